use checked_query::checked_query;

fn main() {
    let email = "a@example.com";
    let _ = checked_query!(format!("SELECT id FROM users WHERE email = '{email}'"));
}
