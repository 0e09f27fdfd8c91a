use checked_query::{checked_query, checked_query_scalar};
use checked_query::sqlx::PgPool;

async fn run(pool: &PgPool) -> Result<(), checked_query::sqlx::Error> {
    // A string that merely mentions pg_notify, an alias named like an advisory lock, and a
    // cast that makes integer division portable.
    let _ = checked_query!("SELECT 'pg_notify' AS pg_advisory_lock, id FROM users WHERE status <> 'xmin'").fetch_all(pool).await?;
    let _: i64 = checked_query_scalar!("SELECT (count(*) / 2)::INT8 FROM sessions").fetch_one(pool).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
