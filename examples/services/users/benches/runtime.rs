//! Run time of checked queries against the same statements through raw sqlx, on a real
//! PostgreSQL (a fresh database in `DATABASE_URL`'s server, else a throwaway cluster).
//!
//! Four statement kinds, each written twice with the same SQL: once with `checked_query!` and
//! once as a sqlx user writes it by hand (`sqlx::query_as` into a tuple, `sqlx::query` with
//! binds). The sides alternate statement by statement, so the database's own drift
//! (autovacuum, caches, the other core's load) falls on both. Each side's time per statement
//! is the median over the rounds; the ratio is the median over the rounds of raw time /
//! checked time: the checked side's throughput relative to raw sqlx (goal, issue #14: ≥ 0.98
//! on every kind).
//!
//! `cargo bench -p users-service --bench runtime [-- ROUNDS]`

use std::time::{Duration, Instant};

use checked_query::testing::TempPostgres;
use checked_query::{checked_query, checked_query_scalar};
use sqlx::types::chrono::{DateTime, Utc};
use sqlx::PgPool;

/// The rows `fetch all` reads: the users table holds exactly these.
const USERS: usize = 1000;

#[derive(Clone, Copy)]
enum Kind {
    FetchOne,
    FetchAll,
    Insert,
    Transaction,
}

impl Kind {
    const ALL: [Kind; 4] = [
        Kind::FetchOne,
        Kind::FetchAll,
        Kind::Insert,
        Kind::Transaction,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::FetchOne => "fetch_one by primary key",
            Kind::FetchAll => "fetch_all of 1,000 rows",
            Kind::Insert => "insert",
            Kind::Transaction => "transaction (insert + update)",
        }
    }

    /// Statements per round and side: enough that one round takes tens of milliseconds.
    fn per_round(self) -> usize {
        match self {
            Kind::FetchOne => 400,
            Kind::FetchAll => 15,
            Kind::Insert => 300,
            Kind::Transaction => 100,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Checked,
    Raw,
}

/// What each side reads is summed into a number, so neither side's decoding is optimized away
/// and both are checked to read the same thing.
async fn run(pool: &PgPool, kind: Kind, side: Side, i: usize, seq: &mut u64) -> u64 {
    let mut seen = 0u64;
    {
        *seq += 1;
        let user_id = format!("user-{:04}", i % USERS);
        match (kind, side) {
            (Kind::FetchOne, Side::Checked) => {
                let row = checked_query!(
                    "SELECT id, email, email_verified, status, created_at FROM users WHERE id = $1",
                    &user_id
                )
                .fetch_one(pool)
                .await
                .unwrap();
                seen += digest(
                    &row.id,
                    &row.email,
                    row.email_verified,
                    &row.status,
                    row.created_at,
                );
            }
            (Kind::FetchOne, Side::Raw) => {
                let (id, email, verified, status, created_at) =
                    // checked-query: allow(unchecked-sql) the raw sqlx side of the comparison
                    sqlx::query_as::<_, (String, String, bool, String, DateTime<Utc>)>(
                        "SELECT id, email, email_verified, status, created_at FROM users WHERE id = $1",
                    )
                    .bind(&user_id)
                    .fetch_one(pool)
                    .await
                    .unwrap();
                seen += digest(&id, &email, verified, &status, created_at);
            }
            (Kind::FetchAll, Side::Checked) => {
                let rows = checked_query!(
                    "SELECT id, email, email_verified, status, created_at FROM users ORDER BY id LIMIT 1000"
                )
                .fetch_all(pool)
                .await
                .unwrap();
                for row in &rows {
                    seen += digest(
                        &row.id,
                        &row.email,
                        row.email_verified,
                        &row.status,
                        row.created_at,
                    );
                }
            }
            (Kind::FetchAll, Side::Raw) => {
                // checked-query: allow(unchecked-sql) the raw sqlx side of the comparison
                let rows = sqlx::query_as::<_, (String, String, bool, String, DateTime<Utc>)>(
                    "SELECT id, email, email_verified, status, created_at FROM users ORDER BY id LIMIT 1000",
                )
                .fetch_all(pool)
                .await
                .unwrap();
                for (id, email, verified, status, created_at) in &rows {
                    seen += digest(id, email, *verified, status, *created_at);
                }
            }
            (Kind::Insert, Side::Checked) => {
                let code_id = format!("code-{seq}");
                let done = checked_query!(
                    "INSERT INTO auth_codes (id, email, code, purpose, expires_at)
                     VALUES ($1, $2, $3, 'login', now() + interval '10 minutes')",
                    &code_id,
                    "bench@example.com",
                    "123456"
                )
                .execute(pool)
                .await
                .unwrap();
                seen += done.rows_affected();
            }
            (Kind::Insert, Side::Raw) => {
                let code_id = format!("code-{seq}");
                // checked-query: allow(unchecked-sql) the raw sqlx side of the comparison
                let done = sqlx::query(
                    "INSERT INTO auth_codes (id, email, code, purpose, expires_at)
                     VALUES ($1, $2, $3, 'login', now() + interval '10 minutes')",
                )
                .bind(&code_id)
                .bind("bench@example.com")
                .bind("123456")
                .execute(pool)
                .await
                .unwrap();
                seen += done.rows_affected();
            }
            (Kind::Transaction, Side::Checked) => {
                let session_id = format!("session-{seq}");
                let mut tx = pool.begin().await.unwrap();
                let inserted = checked_query!(
                    "INSERT INTO sessions (id, user_id, ip_address) VALUES ($1, $2, '127.0.0.1')",
                    &session_id,
                    &user_id
                )
                .execute(&mut *tx)
                .await
                .unwrap();
                let updated = checked_query!(
                    "UPDATE users SET updated_at = now() WHERE id = $1",
                    &user_id
                )
                .execute(&mut *tx)
                .await
                .unwrap();
                tx.commit().await.unwrap();
                seen += inserted.rows_affected() + updated.rows_affected();
            }
            (Kind::Transaction, Side::Raw) => {
                let session_id = format!("session-{seq}");
                let mut tx = pool.begin().await.unwrap();
                // checked-query: allow(unchecked-sql) the raw sqlx side of the comparison
                let inserted = sqlx::query(
                    "INSERT INTO sessions (id, user_id, ip_address) VALUES ($1, $2, '127.0.0.1')",
                )
                .bind(&session_id)
                .bind(&user_id)
                .execute(&mut *tx)
                .await
                .unwrap();
                // checked-query: allow(unchecked-sql) the raw sqlx side of the comparison
                let updated = sqlx::query("UPDATE users SET updated_at = now() WHERE id = $1")
                    .bind(&user_id)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                seen += inserted.rows_affected() + updated.rows_affected();
            }
        }
    }
    seen
}

fn digest(id: &str, email: &str, verified: bool, status: &str, created_at: DateTime<Utc>) -> u64 {
    (id.len() + email.len() + status.len()) as u64
        + u64::from(verified)
        + (created_at.timestamp() > 0) as u64
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // `cargo bench` passes `--bench`; a number among the arguments sets the rounds.
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(21);
    // A fresh database: in `DATABASE_URL`'s server if set, else a throwaway cluster.
    let db = TempPostgres::start();
    let url = db.url().to_string();
    // One connection: each statement's time is the client's work plus one round trip, with
    // no pool scheduling in between.
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .expect("connect to PostgreSQL");
    users_service::migrate(&pool)
        .await
        .expect("migrations apply");
    for i in 0..USERS {
        checked_query!(
            "INSERT INTO users (id, email) VALUES ($1, $2)",
            format!("user-{i:04}"),
            format!("user{i}@example.com")
        )
        .execute(&pool)
        .await
        .expect("seed a user");
    }
    let count = checked_query_scalar!("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, USERS as i64);

    println!("checked_query! against raw sqlx, one connection, median of {rounds} rounds");
    println!(
        "{:<32} {:>12} {:>12} {:>8}",
        "statement", "checked", "raw sqlx", "ratio"
    );
    let mut seq = 0u64;
    for kind in Kind::ALL {
        let n = kind.per_round();
        // Warm-up: statements prepared, caches filled; both sides read the same.
        for i in 0..n {
            let a = run(&pool, kind, Side::Checked, i, &mut seq).await;
            let b = run(&pool, kind, Side::Raw, i, &mut seq).await;
            assert_eq!(a, b, "{}: both sides read the same rows", kind.name());
        }
        // Each statement is timed on its own, the sides alternating statement by statement
        // (which goes first alternating too), so drift on this shared machine falls on both.
        let (mut checked, mut raw, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            let (mut c, mut r) = (Duration::ZERO, Duration::ZERO);
            for i in 0..n {
                let order = if i % 2 == 0 {
                    [Side::Checked, Side::Raw]
                } else {
                    [Side::Raw, Side::Checked]
                };
                for side in order {
                    let start = Instant::now();
                    run(&pool, kind, side, i, &mut seq).await;
                    match side {
                        Side::Checked => c += start.elapsed(),
                        Side::Raw => r += start.elapsed(),
                    }
                }
            }
            checked.push(c / n as u32);
            raw.push(r / n as u32);
            ratios.push(r.as_secs_f64() / c.as_secs_f64());
        }
        ratios.sort_by(f64::total_cmp);
        println!(
            "{:<32} {:>9.1} µs {:>9.1} µs {:>7.3}×",
            kind.name(),
            median(checked).as_secs_f64() * 1e6,
            median(raw).as_secs_f64() * 1e6,
            ratios[ratios.len() / 2]
        );
    }
    pool.close().await;
}
