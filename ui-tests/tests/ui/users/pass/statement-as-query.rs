use checked_query::checked_query;
use checked_query::sqlx::PgPool;

// A statement without result columns is a query like any other, a `Query<()>`: fetched as
// sqlx allows (its rows are `()`), shown with Debug, and not kept prepared for PgBouncer.
async fn run(pool: &PgPool) -> Result<usize, checked_query::sqlx::Error> {
    let update: checked_query::Query<()> =
        checked_query!("UPDATE sessions SET revoked_at = now() WHERE user_id = $1", "u1");
    assert!(format!("{update:?}").contains("UPDATE sessions"));
    let rows: Vec<()> = update.persistent(false).fetch_all(pool).await?;
    let _: Option<()> = checked_query!("DELETE FROM sessions WHERE user_id = $1", "u2")
        .fetch_optional(pool)
        .await?;
    Ok(rows.len())
}

fn main() {
    let _ = run;
}
