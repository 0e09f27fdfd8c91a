// Migration warnings are compiler warnings from `migrate!()`, once, not at every query. The
// misspelt column is here so the case fails to compile and its output is recorded.
use checked_query::checked_query;

fn main() {
    let _migrator = checked_query::migrate!();
    let _ = checked_query!("SELECT id, name FROM team");
    let _ = checked_query!("SELECT nme FROM team");
}
