use checked_query::checked_query;

fn main() {
    let _ = checked_query!("SELECT table_name FROM information_schema.tables");
}
