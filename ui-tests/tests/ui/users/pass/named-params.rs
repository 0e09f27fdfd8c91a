use checked_query::checked_query;
use checked_query::sqlx::PgPool;

async fn run(pool: &PgPool, email: &str) -> Result<(), checked_query::sqlx::Error> {
    let status = "active";
    // `:email` takes the local `email`; `:state` is given explicitly.
    let _ = checked_query!("SELECT id FROM users WHERE email = :email AND status = :state OR email = :email", state = status)
        .fetch_optional(pool)
        .await?;
    Ok(())
}

fn main() {
    let _ = run;
}
