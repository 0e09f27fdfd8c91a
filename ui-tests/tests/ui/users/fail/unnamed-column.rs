use checked_query::checked_query;

fn main() {
    let _ = checked_query!("SELECT count(*) + 1 FROM users");
}
