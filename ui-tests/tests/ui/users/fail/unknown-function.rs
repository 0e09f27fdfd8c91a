use checked_query::checked_query;

fn main() {
    let _ = checked_query!("SELECT lenght(email) AS n FROM users");
}
