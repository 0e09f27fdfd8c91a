//! The query type as a sqlx user continues with it: `map`, `try_map`, `fetch_many`,
//! `into_sqlx`, and every parameter form sqlx can encode (`Cow<str>`, `Box<str>`,
//! `Arc<str>`, `Rc<str>`, `&Vec<&str>`, `Box<[u8]>`…), on a real PostgreSQL.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

use checked_query::sqlx::{Either, PgPool};
use checked_query::testing::TempPostgres;
use checked_query::{checked_query, checked_query_scalar};
use futures_util::TryStreamExt;

async fn pool() -> (TempPostgres, PgPool) {
    let db = TempPostgres::start();
    let pool = PgPool::connect(db.url()).await.unwrap();
    checked_query::migrate!()
        .up(&pool)
        .await
        .expect("migrations apply");
    (db, pool)
}

#[tokio::test]
async fn every_text_bytes_and_array_form_binds() {
    let (_db, pool) = pool().await;
    let cow: Cow<'_, str> = Cow::Owned("cow".to_owned());
    let boxed: Box<str> = "boxed".into();
    let arc: Arc<str> = "arc".into();
    let tags = vec!["a", "b"];
    let bytes: Box<[u8]> = vec![1u8, 2, 3].into_boxed_slice();
    checked_query!(
        "INSERT INTO everything (id, t, vc, ta, ba) VALUES (1, $1, $2, $3, $4)",
        &cow,
        boxed,
        &tags,
        bytes
    )
    .execute(&pool)
    .await
    .unwrap();
    // Rc<str> is not Send, so it is bound and dropped before the query is awaited.
    let query = {
        let rc: Rc<str> = "rc".into();
        checked_query!("UPDATE everything SET t = t || $1 WHERE id = 1", rc)
    };
    query.execute(&pool).await.unwrap();
    let optional: Option<Arc<str>> = Some(arc.clone());
    checked_query!("UPDATE everything SET vc = $1 WHERE id = 1", optional)
        .execute(&pool)
        .await
        .unwrap();
    let row = checked_query!("SELECT t, vc, ta, ba FROM everything WHERE id = 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(row.t.as_deref(), Some("cowrc"));
    assert_eq!(row.vc.as_deref(), Some("arc"));
    assert_eq!(row.ta, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(row.ba, Some(vec![1, 2, 3]));
}

#[tokio::test]
async fn map_try_map_fetch_many_and_into_sqlx_keep_the_checked_query() {
    let (_db, pool) = pool().await;
    for id in 1..=3 {
        checked_query!(
            "INSERT INTO everything (id, i) VALUES ($1, $2)",
            id,
            id * 10
        )
        .execute(&pool)
        .await
        .unwrap();
    }

    // map: each record through a closure that captures its environment.
    let offset = 1;
    let ids: Vec<i32> = checked_query!("SELECT id FROM everything ORDER BY id")
        .map(|r| r.id + offset)
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(ids, [2, 3, 4]);

    // try_map chained after map; the closure's error is the query's error.
    let err = checked_query_scalar!("SELECT i FROM everything ORDER BY id")
        .map(|i| i.unwrap_or_default())
        .try_map(|i| {
            if i < 30 {
                Ok(i)
            } else {
                Err(checked_query::sqlx::Error::Protocol(format!(
                    "{i} is too big"
                )))
            }
        })
        .fetch_all(&pool)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("30 is too big"), "{err}");

    // fetch_many: the rows, then the statement's own result, once.
    let steps: Vec<_> = checked_query!(
        "UPDATE everything SET i = i + 1 WHERE id <= $1 RETURNING id",
        2
    )
    .fetch_many(&pool)
    .try_collect()
    .await
    .unwrap();
    let rows: Vec<i32> = steps
        .iter()
        .filter_map(|s| match s {
            Either::Right(r) => Some(r.id),
            Either::Left(_) => None,
        })
        .collect();
    let results: Vec<u64> = steps
        .iter()
        .filter_map(|s| match s {
            Either::Left(done) => Some(done.rows_affected()),
            Either::Right(_) => None,
        })
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(results, [2]);

    // fetch_one / fetch_optional / fetch map the executor's rows themselves: no row is
    // RowNotFound for one and None for the other; a mapping error is the query's error.
    let missing = checked_query!("SELECT id FROM everything WHERE id = $1", 99)
        .fetch_one(&pool)
        .await
        .unwrap_err();
    assert!(
        matches!(missing, checked_query::sqlx::Error::RowNotFound),
        "{missing}"
    );
    let none = checked_query!("SELECT id FROM everything WHERE id = $1", 99)
        .fetch_optional(&pool)
        .await
        .unwrap();
    assert!(none.is_none());
    let some = checked_query!("SELECT id FROM everything WHERE id = $1", 2)
        .fetch_optional(&pool)
        .await
        .unwrap();
    assert_eq!(some.map(|r| r.id), Some(2));
    let refused = checked_query_scalar!("SELECT id FROM everything WHERE id = $1", 1)
        .try_map(|id| -> Result<i32, _> {
            Err(checked_query::sqlx::Error::Protocol(format!(
                "{id} refused"
            )))
        })
        .fetch_one(&pool)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("1 refused"), "{refused}");
    let streamed: Vec<i32> = checked_query!("SELECT id FROM everything ORDER BY id")
        .fetch(&pool)
        .map_ok(|r| r.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, [1, 2, 3]);

    // into_sqlx: sqlx's own Map, with the checked SQL, parameters and decoding.
    let query = checked_query!("SELECT i FROM everything WHERE id = $1", 3).persistent(false);
    let sql = query.sql();
    let map = query.into_sqlx().unwrap();
    assert_eq!(sql, "SELECT i FROM everything WHERE id = $1");
    let row = map.fetch_one(&pool).await.unwrap();
    assert_eq!(row.i, Some(30));
}
