//! The orders service: enums, numeric money and jsonb, all through checked queries.

use checked_query::sqlx::types::{Decimal, JsonValue, Uuid};
use checked_query::sqlx::PgPool;
use checked_query::{checked_query, checked_query_scalar};

/// Places an order for `user_id` (a users-service id; no foreign key crosses services).
pub async fn place(
    pool: &PgPool,
    user_id: &str,
    total: Decimal,
    notes: Option<&JsonValue>,
) -> Result<Uuid, checked_query::sqlx::Error> {
    checked_query_scalar!(
        "INSERT INTO orders (user_id, total, notes) VALUES ($1, $2, $3) RETURNING id",
        user_id,
        total,
        notes
    )
    .fetch_one(pool)
    .await
}

/// Moves an order to a status (`'paid'`, `'shipped'`, …), given as text: the enum is bound
/// through checked-query's text adapter.
pub async fn set_status(
    pool: &PgPool,
    id: Uuid,
    status: &str,
) -> Result<bool, checked_query::sqlx::Error> {
    let r = checked_query!(
        "UPDATE orders SET status = $1, updated_at = now() WHERE id = $2",
        status,
        id
    )
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Order ids and statuses of a user in the given statuses.
pub async fn by_status(
    pool: &PgPool,
    user_id: &str,
    statuses: &[&str],
) -> Result<Vec<(Uuid, String, Decimal)>, checked_query::sqlx::Error> {
    let rows = checked_query!(
        "SELECT id, status, total FROM orders WHERE user_id = $1 AND status = ANY($2) ORDER BY created_at",
        user_id,
        statuses
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.status, r.total))
        .collect())
}

/// The service's migrations, embedded at compile time.
pub fn migrator() -> checked_query::Migrator {
    checked_query::migrate!()
}

/// Applies the service's migrations.
pub async fn migrate(pool: &PgPool) -> Result<usize, checked_query::MigrateError> {
    migrator().up(pool).await
}
