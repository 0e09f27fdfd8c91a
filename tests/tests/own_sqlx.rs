//! A crate's own sqlx 0.9 (this crate depends on `sqlx = "0.9"` itself, not only through
//! checked-query): its `PgPool`, `PgConnection` and `Transaction` are what checked queries
//! run on, because checked-query is built on the same sqlx.
#![cfg(feature = "examples")]

use checked_query::testing::TempPostgres;
use sqlx::types::Decimal;
use sqlx::{Connection, PgConnection, PgPool, Postgres, Transaction};

#[tokio::test]
async fn checked_queries_run_on_the_crates_own_sqlx_types() {
    let db = TempPostgres::start();
    let pool: PgPool = PgPool::connect(db.url()).await.unwrap();
    orders_service::migrate(&pool).await.unwrap();
    let order = orders_service::place(&pool, "user-1", Decimal::ZERO, None)
        .await
        .unwrap();
    // A transaction of the crate's own sqlx, passed to the example's checked queries.
    let mut tx: Transaction<'static, Postgres> = pool.begin().await.unwrap();
    orders_service::add_line_in(&mut tx, order, "pen", 2, Decimal::ONE)
        .await
        .unwrap();
    assert_eq!(
        orders_service::total_in(&mut tx, order).await.unwrap(),
        Decimal::from(2)
    );
    tx.commit().await.unwrap();
    // A connection of its own, as an executor of a checked query.
    let mut conn: PgConnection = PgConnection::connect(db.url()).await.unwrap();
    let n: i32 = checked_query::checked_query_scalar!("SELECT 41 + 1 AS n")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(n, 42);
    // A statement without result columns is fetched as sqlx allows: no rows.
    let statement = checked_query::checked_query!("RESET statement_timeout").persistent(false);
    assert!(format!("{statement:?}").contains("RESET statement_timeout"));
    assert!(statement.fetch_all(&mut conn).await.unwrap().is_empty());
}
