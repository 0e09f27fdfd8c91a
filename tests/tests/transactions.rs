//! Transactions under contention on a real PostgreSQL: 16 tasks add a line to one order at
//! once, each reading the order's total and then adding to it, SERIALIZABLE. Without
//! retrying, PostgreSQL aborts the losers with 40001; with `checked_query::Transact` every
//! increment lands, after retries.
#![cfg(feature = "examples")]

use std::sync::Arc;
use std::time::Duration;

use checked_query::sqlx::types::Decimal;
use checked_query::sqlx::PgPool;
use checked_query::testing::TempPostgres;
use checked_query::{is_retryable, Transact};

const TASKS: usize = 16;

async fn setup(db: &TempPostgres) -> (PgPool, checked_query::sqlx::types::Uuid) {
    let pool = checked_query::sqlx::postgres::PgPoolOptions::new()
        .max_connections(TASKS as u32 + 2)
        .connect(db.url())
        .await
        .unwrap();
    orders_service::migrate(&pool).await.unwrap();
    let order = orders_service::place(&pool, "user-1", Decimal::ZERO, None)
        .await
        .unwrap();
    (pool, order)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_retries_serialization_failures_lose_increments() {
    let db = TempPostgres::start();
    let (pool, order) = setup(&db).await;
    // Every task reads the total before any writes it: all but one must fail.
    let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
    let tasks: Vec<_> = (0..TASKS)
        .map(|i| {
            let (pool, barrier) = (pool.clone(), barrier.clone());
            tokio::spawn(async move {
                let mut tx = pool
                    .begin_with("BEGIN ISOLATION LEVEL SERIALIZABLE")
                    .await
                    .unwrap();
                orders_service::total_in(&mut tx, order).await.unwrap();
                barrier.wait().await;
                let sku = format!("sku-{i}");
                match orders_service::add_line_in(&mut tx, order, &sku, 1, Decimal::ONE).await {
                    Ok(_) => tx.commit().await,
                    Err(e) => Err(e),
                }
            })
        })
        .collect();
    let mut failed = 0;
    for t in tasks {
        if let Err(e) = t.await.unwrap() {
            assert!(is_retryable(&e), "{e}");
            failed += 1;
        }
    }
    assert!(
        failed > 0,
        "16 concurrent read-modify-writes without a serialization failure"
    );
    let mut tx = pool.begin().await.unwrap();
    let total = orders_service::total_in(&mut tx, order).await.unwrap();
    assert_eq!(
        total,
        Decimal::from((TASKS - failed) as i64),
        "only the winners' increments"
    );
    assert!(total < Decimal::from(TASKS as i64));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn retried_transactions_land_every_increment() {
    let db = TempPostgres::start();
    let (pool, order) = setup(&db).await;
    let tasks: Vec<_> = (0..TASKS)
        .map(|i| {
            let pool = pool.clone();
            tokio::spawn(async move {
                Transact::new()
                    .max_attempts(50)
                    .backoff(Duration::from_millis(2), Duration::from_millis(50))
                    .run(&pool, move |tx| {
                        let sku = format!("sku-{i}");
                        Box::pin(async move {
                            // Read, give the others time to read too, then write.
                            orders_service::total_in(tx, order).await?;
                            tokio::time::sleep(Duration::from_millis(10)).await;
                            orders_service::add_line_in(tx, order, &sku, 1, Decimal::ONE).await
                        })
                    })
                    .await
            })
        })
        .collect();
    let mut attempts = 0;
    for t in tasks {
        let committed = t.await.unwrap().unwrap_or_else(|e| panic!("{e}"));
        attempts += committed.attempts;
    }
    let mut tx = pool.begin().await.unwrap();
    assert_eq!(
        orders_service::total_in(&mut tx, order).await.unwrap(),
        Decimal::from(TASKS as i64),
        "every increment landed exactly once"
    );
    assert!(
        attempts as usize > TASKS,
        "no retry happened ({attempts} attempts): the test did not contend"
    );
    // The example's own helper commits too.
    let line = orders_service::add_line(&pool, order, "pen", 2, Decimal::new(150, 2))
        .await
        .unwrap();
    assert_eq!(line.attempts, 1);
}

#[tokio::test]
async fn errors_other_than_serialization_failures_return_at_once() {
    let db = TempPostgres::start();
    let (pool, order) = setup(&db).await;
    let err = Transact::new()
        .run(&pool, move |tx| {
            Box::pin(async move {
                // quantity > 0 is a CHECK: 23514, not retryable.
                orders_service::add_line_in(tx, order, "bad", 0, Decimal::ONE).await
            })
        })
        .await
        .unwrap_err();
    assert_eq!(err.attempts, 1);
    assert!(
        err.to_string()
            .starts_with("transaction failed after 1 attempt: "),
        "{err}"
    );
    assert!(std::error::Error::source(&err).is_some());
    // Nothing of the failed attempt was committed.
    let mut tx = pool.begin().await.unwrap();
    assert_eq!(
        orders_service::total_in(&mut tx, order).await.unwrap(),
        Decimal::ZERO
    );
}
