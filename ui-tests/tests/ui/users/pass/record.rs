use checked_query::checked_query;
use checked_query::sqlx::PgPool;

async fn run(pool: &PgPool) -> Result<(), checked_query::sqlx::Error> {
    let email = String::from("a@example.com");
    let user = checked_query!("SELECT id, email, email_verified, created_at FROM users WHERE email = $1", &email)
        .fetch_one(pool)
        .await?;
    let _: (String, String, bool) = (user.id, user.email, user.email_verified);
    let _: checked_query::sqlx::types::chrono::DateTime<checked_query::sqlx::types::chrono::Utc> = user.created_at;
    let sessions = checked_query!("SELECT s.id, s.revoked_at FROM users u LEFT JOIN sessions s ON s.user_id = u.id").fetch_all(pool).await?;
    for s in sessions {
        let _: Option<String> = s.id;
        let _: Option<checked_query::sqlx::types::chrono::DateTime<checked_query::sqlx::types::chrono::Utc>> = s.revoked_at;
    }
    // Keywords as column names become raw fields.
    let row = checked_query!(r#"SELECT status AS "type", email AS "match" FROM users LIMIT 1"#).fetch_one(pool).await?;
    let _: (String, String) = (row.r#type, row.r#match);
    Ok(())
}

fn main() {
    let _ = run;
}
