//! Queries that check, for the macro's time per call in rust-analyzer's proc-macro server
//! (`scripts/ra-diagnostics.sh --timings`): forty distinct statements, so that every warm
//! expansion analyses its own SQL. rust-analyzer must report nothing here.

use checked_query::checked_query;
use checked_query::sqlx::PgPool;

type Result<T> = std::result::Result<T, checked_query::sqlx::Error>;

pub async fn by_id_0(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, status AS state FROM users WHERE id = $1 LIMIT 1", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_1(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, email FROM users WHERE id = $1 LIMIT 2", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_2(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, email_verified FROM users WHERE id = $1 LIMIT 3", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_3(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, status FROM users WHERE id = $1 LIMIT 4", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_4(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, created_at FROM users WHERE id = $1 LIMIT 5", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_5(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, updated_at FROM users WHERE id = $1 LIMIT 6", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_6(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, status AS state FROM users WHERE id = $1 LIMIT 7", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_7(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, email FROM users WHERE id = $1 LIMIT 8", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_8(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, email_verified FROM users WHERE id = $1 LIMIT 9", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_9(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, status FROM users WHERE id = $1 LIMIT 10", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_10(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, created_at FROM users WHERE id = $1 LIMIT 11", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_11(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, updated_at FROM users WHERE id = $1 LIMIT 12", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_12(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, status AS state FROM users WHERE id = $1 LIMIT 13", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_13(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, email FROM users WHERE id = $1 LIMIT 14", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_14(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, email_verified FROM users WHERE id = $1 LIMIT 15", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_15(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, status FROM users WHERE id = $1 LIMIT 16", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_16(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, created_at FROM users WHERE id = $1 LIMIT 17", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_17(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, updated_at FROM users WHERE id = $1 LIMIT 18", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_18(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, status AS state FROM users WHERE id = $1 LIMIT 19", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn by_id_19(pool: &PgPool, id: &str) -> Result<usize> {
    let rows = checked_query!("SELECT id, email FROM users WHERE id = $1 LIMIT 20", id)
        .fetch_all(pool)
        .await?;
    Ok(rows.len())
}

pub async fn sessions_0(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 1",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_1(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 2",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_2(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 3",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_3(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 4",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_4(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 5",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_5(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 6",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_6(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 7",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_7(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 8",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_8(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 9",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_9(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 10",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_10(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 11",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_11(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 12",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_12(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 13",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_13(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 14",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_14(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 15",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_15(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 16",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_16(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 17",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_17(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 18",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_18(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 19",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}

pub async fn sessions_19(pool: &PgPool, user_id: &str) -> Result<Option<String>> {
    let row = checked_query!(
        "SELECT s.id, s.ip_address, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT 20",
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.email))
}
