use checked_query::checked_query_as;
use checked_query::sqlx::PgPool;

struct Session {
    id: String,
    user_id: String,
    device_label: Option<String>,
}

async fn run(pool: &PgPool) -> Result<Vec<Session>, checked_query::sqlx::Error> {
    checked_query_as!(Session, "SELECT id, user_id, device_label FROM sessions WHERE revoked_at IS NULL").fetch_all(pool).await
}

fn main() {
    let _ = run;
}
