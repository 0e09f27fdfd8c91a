use checked_query::checked_query;

fn main() {
    let _ = checked_query!("SELECT emial, staus FROM users WHERE email_verified = 'maybe'");
}
