use checked_query::checked_query;

fn main() {
    let _ = checked_query!(r#"SELECT id AS "id: Vec<<u8>" FROM users"#);
}
