use checked_query::checked_query;

fn main() {
    let _ = checked_query!("SELECT 1 AS one");
}
