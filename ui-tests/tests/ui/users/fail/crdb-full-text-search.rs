use checked_query::checked_query;

fn main() {
    let _ = checked_query!("SELECT id FROM users WHERE to_tsvector(email) @@ plainto_tsquery($1)", "alice");
}
