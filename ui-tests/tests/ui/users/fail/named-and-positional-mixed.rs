use checked_query::checked_query;

fn main() {
    let email = "a@example.com";
    let _ = checked_query!("SELECT id FROM users WHERE email = :email AND status = $1", "active");
}
