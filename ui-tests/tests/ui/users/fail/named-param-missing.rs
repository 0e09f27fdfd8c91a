use checked_query::checked_query;

fn main() {
    // `:email` takes the local variable `email`, which does not exist.
    let _ = checked_query!("SELECT id FROM users WHERE email = :email");
}
