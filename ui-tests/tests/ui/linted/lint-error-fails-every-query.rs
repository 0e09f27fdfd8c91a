// A lint error in the service's migrations (an unindexed foreign key) fails every query of
// the service with one compact error naming the migration.
use checked_query::checked_query;

fn main() {
    let _ = checked_query!("SELECT id, name FROM teams");
}
