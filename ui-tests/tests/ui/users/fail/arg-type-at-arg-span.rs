use checked_query::checked_query;

fn main() {
    let verified = true;
    let _ = checked_query!("SELECT id FROM users WHERE email = $1 AND email_verified = $2", verified, "yes");
}
