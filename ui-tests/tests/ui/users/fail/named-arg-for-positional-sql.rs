use checked_query::checked_query;

fn main() {
    let _ = checked_query!("SELECT id FROM users WHERE email = $1", email = "a@example.com");
}
