use checked_query::checked_query;
use checked_query::sqlx::PgPool;

async fn run(pool: &PgPool) -> Result<u64, checked_query::sqlx::Error> {
    let mut tx = pool.begin().await?;
    let done = checked_query!("UPDATE sessions SET revoked_at = now() WHERE user_id = $1", "u1").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

fn main() {
    let _ = run;
}
