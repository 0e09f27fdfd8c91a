use checked_query::checked_query_scalar;
use checked_query::sqlx::PgPool;

async fn run(pool: &PgPool) -> Result<(i64, Option<String>), checked_query::sqlx::Error> {
    let n: i64 = checked_query_scalar!("SELECT count(*) FROM users").fetch_one(pool).await?;
    let last: Option<String> = checked_query_scalar!("SELECT max(email) FROM users").fetch_one(pool).await?;
    Ok((n, last))
}

fn main() {
    let _ = run;
}
