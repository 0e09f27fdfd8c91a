use checked_query::checked_query_as;

struct User {
    id: String,
    email: String,
    status: String,
}

fn main() {
    let _ = checked_query_as!(User, "SELECT id, email FROM users");
}
