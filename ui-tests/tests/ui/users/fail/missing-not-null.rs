use checked_query::checked_query;

fn main() {
    let _ = checked_query!("INSERT INTO users (id) VALUES ($1)", "u1");
}
