use checked_query::checked_query;
use checked_query::sqlx::types::Decimal;
use checked_query::sqlx::PgPool;

async fn run(pool: &PgPool) -> Result<(), checked_query::sqlx::Error> {
    let rows = checked_query!("SELECT id, status, total, notes FROM orders WHERE status = ANY($1) AND status <> $2", &["paid", "shipped"][..], "cancelled")
        .fetch_all(pool)
        .await?;
    for r in rows {
        let _: (String, Decimal, Option<checked_query::sqlx::types::JsonValue>) = (r.status, r.total, r.notes);
    }
    Ok(())
}

fn main() {
    let _ = run;
}
