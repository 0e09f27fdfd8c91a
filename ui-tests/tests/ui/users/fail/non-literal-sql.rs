use checked_query::checked_query;

fn main() {
    let sql = String::from("SELECT id FROM users");
    let _ = checked_query!(sql);
}
