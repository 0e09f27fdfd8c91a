use checked_query::checked_query;

fn main() {
    let table = "users";
    let _ = checked_query!(String::from("SELECT id FROM ") + table);
}
