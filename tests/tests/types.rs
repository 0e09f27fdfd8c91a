//! Every mapped type round-trips through PostgreSQL: bound as a parameter, stored, read back
//! into the record field the macro typed — values and NULLs, enums and enum arrays included.
//! CI runs it with the default types (chrono, rust_decimal) and with
//! `--no-default-features --features alt-types` (time, bigdecimal).

use checked_query::sqlx::postgres::types::PgInterval;
use checked_query::sqlx::types::ipnetwork::IpNetwork;
use checked_query::sqlx::types::Uuid;
use checked_query::sqlx::PgPool;
use checked_query::testing::TempPostgres;
use checked_query::{checked_query, checked_query_scalar};

#[cfg(not(feature = "alt-types"))]
mod pick {
    use checked_query::sqlx::types::chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
    pub type Numeric = checked_query::sqlx::types::Decimal;
    pub fn numeric() -> Numeric {
        "1234.5678".parse().unwrap()
    }
    pub fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
    }
    pub fn time() -> NaiveTime {
        NaiveTime::from_hms_opt(12, 30, 5).unwrap()
    }
    pub fn timestamp() -> NaiveDateTime {
        date().and_time(time())
    }
    pub fn timestamptz() -> DateTime<Utc> {
        DateTime::from_naive_utc_and_offset(timestamp(), Utc)
    }
}

#[cfg(feature = "alt-types")]
mod pick {
    use checked_query::sqlx::types::time::{Date, OffsetDateTime, PrimitiveDateTime, Time};
    pub type Numeric = checked_query::sqlx::types::BigDecimal;
    pub fn numeric() -> Numeric {
        "1234.5678".parse().unwrap()
    }
    pub fn date() -> Date {
        // 2024-02-29: day 60 of a leap year.
        Date::from_ordinal_date(2024, 60).unwrap()
    }
    pub fn time() -> Time {
        Time::from_hms(12, 30, 5).unwrap()
    }
    pub fn timestamp() -> PrimitiveDateTime {
        PrimitiveDateTime::new(date(), time())
    }
    pub fn timestamptz() -> OffsetDateTime {
        timestamp().assume_utc()
    }
}

async fn migrate(pool: &PgPool) {
    checked_query::migrate!()
        .up(pool)
        .await
        .expect("migrations apply");
}

#[tokio::test]
async fn every_mapped_type_round_trips() {
    let db = TempPostgres::start();
    let pool = PgPool::connect(db.url()).await.unwrap();
    migrate(&pool).await;

    let u = Uuid::from_u128(0x1234);
    let json = serde_json::json!({"a": [1, 2, null], "b": "c"});
    let ip: IpNetwork = "10.1.2.3/32".parse().unwrap();
    let iv = PgInterval {
        months: 1,
        days: 2,
        microseconds: 3_000_000,
    };
    checked_query!(
        "INSERT INTO everything (id, si, i, bi, r, d, n, t, vc, b, u, ba, dt, tm, ts, tstz, iv, j, jb, ip, ta, ia, ua, m, ma)
         VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)",
        7i16,
        -8i32,
        9_000_000_000i64,
        1.5f32,
        -2.25f64,
        pick::numeric(),
        "text",
        "varchar",
        true,
        u,
        vec![0u8, 1, 255],
        pick::date(),
        pick::time(),
        pick::timestamp(),
        pick::timestamptz(),
        iv.clone(),
        &json,
        &json,
        ip,
        vec!["x".to_string(), "y".to_string()],
        vec![1, 2, 3],
        vec![u],
        "so-so",
        &["happy", "sad"][..]
    )
    .execute(&pool)
    .await
    .unwrap();
    checked_query!("INSERT INTO everything (id) VALUES (2)")
        .execute(&pool)
        .await
        .unwrap();

    let rows = checked_query!("SELECT * FROM everything ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    let full = &rows[0];
    assert_eq!(full.si, Some(7));
    assert_eq!(full.i, Some(-8));
    assert_eq!(full.bi, Some(9_000_000_000));
    assert_eq!(full.r, Some(1.5));
    assert_eq!(full.d, Some(-2.25));
    assert_eq!(full.n, Some(pick::numeric()));
    assert_eq!(full.t.as_deref(), Some("text"));
    assert_eq!(full.vc.as_deref(), Some("varchar"));
    assert_eq!(full.b, Some(true));
    assert_eq!(full.u, Some(u));
    assert_eq!(full.ba.as_deref(), Some(&[0u8, 1, 255][..]));
    assert_eq!(full.dt, Some(pick::date()));
    assert_eq!(full.tm, Some(pick::time()));
    assert_eq!(full.ts, Some(pick::timestamp()));
    assert_eq!(full.tstz, Some(pick::timestamptz()));
    assert_eq!(full.iv, Some(iv));
    assert_eq!(full.j.as_ref(), Some(&json));
    assert_eq!(full.jb.as_ref(), Some(&json));
    assert_eq!(full.ip, Some(ip));
    assert_eq!(full.ta, Some(vec!["x".to_string(), "y".to_string()]));
    assert_eq!(full.ia, Some(vec![1, 2, 3]));
    assert_eq!(full.ua, Some(vec![u]));
    assert_eq!(full.m.as_deref(), Some("so-so"));
    assert_eq!(full.ma, Some(vec!["happy".to_string(), "sad".to_string()]));

    let empty = &rows[1];
    assert!(
        empty.si.is_none()
            && empty.n.is_none()
            && empty.tstz.is_none()
            && empty.j.is_none()
            && empty.ip.is_none()
    );
    assert!(empty.ta.is_none() && empty.m.is_none() && empty.ma.is_none() && empty.iv.is_none());

    // Enum and enum-array parameters bind through the text adapter.
    let sad = checked_query_scalar!(
        "SELECT id FROM everything WHERE m = $1 OR $2 = ANY(ma)",
        "so-so",
        "sad"
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(sad, vec![1]);
    let by_array = checked_query_scalar!(
        "SELECT id FROM everything WHERE m = ANY($1)",
        vec!["so-so".to_string()]
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(by_array, vec![1]);
    let none: Option<&str> = None;
    let nulls = checked_query_scalar!(
        "SELECT count(*) FROM everything WHERE m IS NOT DISTINCT FROM $1",
        none
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(nulls, 1);
    // An unknown label is PostgreSQL's error at run time (literals are checked at compile time).
    let err = checked_query!("SELECT id FROM everything WHERE m = $1", "angry")
        .fetch_all(&pool)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid input value for enum mood"),
        "{err}"
    );
}

#[tokio::test]
async fn streams_and_transactions() {
    use futures_util::StreamExt;
    let db = TempPostgres::start();
    let pool = PgPool::connect(db.url()).await.unwrap();
    migrate(&pool).await;
    let mut tx = pool.begin().await.unwrap();
    for id in 10..15 {
        checked_query!("INSERT INTO everything (id, i) VALUES ($1, $1)", id)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let mut stream = checked_query_scalar!("SELECT i FROM everything WHERE id >= 10 ORDER BY id")
        .fetch(&mut *conn);
    let mut seen = Vec::new();
    while let Some(v) = stream.next().await {
        seen.push(v.unwrap());
    }
    assert_eq!(seen, vec![Some(10), Some(11), Some(12), Some(13), Some(14)]);
}
