//! Every mapped type round-trips through PostgreSQL: bound as a parameter, stored, read back
//! into the record field the macro typed — values and NULLs, enums and enum arrays included.
//! CI runs it with the default types (chrono, rust_decimal) and with
//! `--no-default-features --features alt-types` (time, bigdecimal).

use checked_query::sqlx::postgres::types::PgInterval;
use checked_query::sqlx::types::ipnetwork::IpNetwork;
use checked_query::sqlx::types::Uuid;
use checked_query::sqlx::PgPool;
use checked_query::testing::TempPostgres;
use checked_query::{checked_query, checked_query_as, checked_query_scalar};

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

    // Sixteen columns of plain types decode in one call (the runtime's widest tuple); the
    // same-typed neighbours (si/i/bi, t/vc, dt/ts/tstz) show each lands in its own field.
    let wide = checked_query!(
        "SELECT si, i, bi, r, d, n, t, vc, b, u, ba, dt, tm, ts, tstz, iv FROM everything WHERE id = 1"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (wide.si, wide.i, wide.bi),
        (Some(7), Some(-8), Some(9_000_000_000))
    );
    assert_eq!((wide.r, wide.d), (Some(1.5), Some(-2.25)));
    assert_eq!(wide.t.as_deref(), Some("text"));
    assert_eq!(wide.vc.as_deref(), Some("varchar"));
    assert_eq!((wide.dt, wide.tm), (Some(pick::date()), Some(pick::time())));
    assert_eq!(
        (wide.ts, wide.tstz),
        (Some(pick::timestamp()), Some(pick::timestamptz()))
    );
    assert_eq!(
        (wide.n, wide.b, wide.u),
        (Some(pick::numeric()), Some(true), Some(u))
    );
    assert_eq!(wide.ba.as_deref(), Some(&[0u8, 1, 255][..]));
    assert_eq!(wide.iv, Some(iv));
    // Into a struct of the caller's, in a field order other than the SQL's.
    #[derive(Debug, PartialEq)]
    struct Texts {
        vc: Option<String>,
        id: i32,
        t: Option<String>,
    }
    let texts = checked_query_as!(Texts, "SELECT t, id, vc FROM everything WHERE id = 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        texts,
        Texts {
            vc: Some("varchar".into()),
            id: 1,
            t: Some("text".into())
        }
    );

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

/// Domains read and bind as their base types' Rust types; PostgreSQL checks the values.
#[tokio::test]
async fn domains_round_trip_as_their_base_types() {
    let db = TempPostgres::start();
    let pool = PgPool::connect(db.url()).await.unwrap();
    migrate(&pool).await;

    checked_query!(
        "INSERT INTO domained (id, contact, balance, feel, urgent, tags, others) VALUES (1, $1, $2, $3, $4, $5, $6)",
        "ada@example.com",
        pick::numeric(),
        "sad",
        checked_query_tests::Priority::High,
        vec!["a".to_string()],
        vec!["b@example.com".to_string()]
    )
    .execute(&pool)
    .await
    .unwrap();
    // The domains' defaults fill what the INSERT leaves out.
    checked_query!("INSERT INTO domained (id, contact) VALUES (2, 'bob@example.com')")
        .execute(&pool)
        .await
        .unwrap();
    let rows = checked_query!(
        "SELECT id, contact, balance, feel, urgent, tags, others FROM domained WHERE contact <> $1 OR balance >= $2 ORDER BY id",
        "nobody@example.com",
        pick::numeric()
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let first = &rows[0];
    // The domain's NOT NULL does not make the column non-null (an outer join reads NULL).
    let contact: &Option<String> = &first.contact;
    assert_eq!(contact.as_deref(), Some("ada@example.com"));
    assert_eq!(first.balance, Some(pick::numeric()));
    assert_eq!(first.feel.as_deref(), Some("sad"));
    assert_eq!(first.urgent, Some(checked_query_tests::Priority::High));
    assert_eq!(first.tags, Some(vec!["a".to_string()]));
    assert_eq!(first.others, Some(vec!["b@example.com".to_string()]));
    let second = &rows[1];
    assert_eq!(second.balance, Some("0".parse::<pick::Numeric>().unwrap()));
    assert_eq!(second.urgent, Some(checked_query_tests::Priority::Low));
    assert!(second.feel.is_none() && second.tags.is_none());

    let n: i64 = checked_query_scalar!("SELECT count(*) AS \"n!\" FROM domained WHERE feel::mood = 'sad' AND urgent::priority = $1", checked_query_tests::Priority::High)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n, 1);

    // The CHECK runs in PostgreSQL: a value the domain refuses is a database error.
    let err = checked_query!(
        "INSERT INTO domained (id, contact) VALUES (3, $1)",
        "not-an-address"
    )
    .execute(&pool)
    .await
    .unwrap_err();
    let code = checked_query_tests::sqlstate(&err);
    assert_eq!(code.as_deref(), Some("23514"), "{err}");
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
