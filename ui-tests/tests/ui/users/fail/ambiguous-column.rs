use checked_query::checked_query;

fn main() {
    let _ = checked_query!("SELECT id FROM users JOIN sessions ON sessions.user_id = users.id");
}
