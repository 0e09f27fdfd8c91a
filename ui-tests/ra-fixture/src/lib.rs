//! Each function uses a query that does not check exactly as it would use one that does.
//! Expected: one diagnostic per wrong query, at its literal or argument, and nothing else.

use checked_query::sqlx::PgPool;
use checked_query::{checked_query, checked_query_as, checked_query_scalar};

/// Queries that check: rust-analyzer reports nothing there.
pub mod right;

pub struct User {
    pub id: String,
    pub email: String,
}

/// An unknown column in the select list: the record's columns are not known.
pub async fn unknown_column(pool: &PgPool) -> Result<Vec<String>, checked_query::sqlx::Error> {
    let rows = checked_query!("SELECT id, emial FROM users").fetch_all(pool).await?; // wrong
    Ok(rows.into_iter().map(|r| r.email).collect())
}

/// An unknown table, one row read field by field.
pub async fn unknown_table(pool: &PgPool) -> Result<String, checked_query::sqlx::Error> {
    let row = checked_query!("SELECT id FROM userz WHERE id = $1", "u1").fetch_one(pool).await?; // wrong
    let id: String = row.id;
    Ok(id)
}

/// The columns are known; an argument is extra.
pub async fn extra_argument(pool: &PgPool) -> Result<Option<String>, checked_query::sqlx::Error> {
    let row = checked_query!("SELECT email FROM users WHERE id = $1", "u1", 2) // wrong
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| r.email))
}

/// Into a struct of the caller's: the target type stays.
pub async fn into_struct(pool: &PgPool) -> Result<Vec<User>, checked_query::sqlx::Error> {
    let users: Vec<User> = checked_query_as!(User, "SELECT id, emial AS email FROM users") // wrong
        .fetch_all(pool)
        .await?;
    Ok(users)
}

/// A scalar that does not check.
pub async fn scalar(pool: &PgPool) -> Result<i64, checked_query::sqlx::Error> {
    let n: i64 = checked_query_scalar!("SELECT count(*) FROM userz").fetch_one(pool).await?; // wrong
    Ok(n + 1)
}

/// A statement that does not check, executed.
pub async fn execute(pool: &PgPool) -> Result<u64, checked_query::sqlx::Error> {
    let done = checked_query!("UPDATE users SET emial = $1", "x").execute(pool).await?; // wrong
    Ok(done.rows_affected())
}

/// A query that checks, read the same way (rust-analyzer must type it fully).
pub async fn checks(pool: &PgPool) -> Result<String, checked_query::sqlx::Error> {
    let row = checked_query!("SELECT id FROM users WHERE id = $1", "u1").fetch_one(pool).await?;
    let id: String = row.id;
    Ok(id)
}

/// Every column of an unknown table: its names are not in the SQL.
pub async fn star(pool: &PgPool) -> Result<usize, checked_query::sqlx::Error> {
    let rows = checked_query!("SELECT * FROM userz").fetch_all(pool).await?; // wrong
    Ok(rows.len())
}

/// Every column of a known table, fields read: the record has the table's columns.
pub async fn star_fields(pool: &PgPool) -> Result<String, checked_query::sqlx::Error> {
    let row = checked_query!("SELECT * FROM users WHERE emial = $1", "u1").fetch_one(pool).await?; // wrong
    let email: String = row.email;
    Ok(format!("{email} {}", row.id))
}
