use checked_query::checked_query;

fn main() {
    let _ = checked_query!("SELECT id FROM user WHERE email = $1", "a@example.com");
}
