use checked_query::checked_query;

fn main() {
    let _ = checked_query!("SELECT id FROM users WHERE $1 IS NULL", None::<String>);
}
