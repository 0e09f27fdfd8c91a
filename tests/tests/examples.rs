//! The example services' queries, run against PostgreSQL with their results asserted. Every
//! query of `examples/services/*/src` runs here at least once; a column the macros typed
//! non-null that came back NULL would fail to decode, so these runs also check nullability.
#![cfg(feature = "examples")]

use checked_query::sqlx::types::{Decimal, Uuid};
use checked_query::sqlx::PgPool;
use checked_query::testing::TempPostgres;
use users_service::AuthError;

async fn pool(db: &TempPostgres) -> PgPool {
    PgPool::connect(db.url()).await.unwrap()
}

#[tokio::test]
async fn users_scenario_end_to_end() {
    let db = TempPostgres::start();
    let pool = pool(&db).await;
    assert_eq!(users_service::migrate(&pool).await.unwrap(), 2);
    assert_eq!(
        users_service::migrate(&pool).await.unwrap(),
        0,
        "applied migrations are not applied twice"
    );

    let alice = users_service::sign_up(&pool, "Alice@Example.com", "pw-1")
        .await
        .unwrap();
    assert_eq!(
        (
            alice.email.as_str(),
            alice.email_verified,
            alice.status.as_str()
        ),
        ("alice@example.com", false, "active")
    );
    assert!(matches!(
        users_service::sign_up(&pool, "alice@example.com", "x").await,
        Err(AuthError::EmailTaken)
    ));
    assert_eq!(
        users_service::find_user(&pool, "ALICE@example.com")
            .await
            .unwrap(),
        Some(alice.clone())
    );
    assert_eq!(
        users_service::find_user(&pool, "nobody@example.com")
            .await
            .unwrap(),
        None
    );

    assert!(matches!(
        users_service::login(&pool, "alice@example.com", "nope", None, None).await,
        Err(AuthError::BadCredentials)
    ));
    assert!(matches!(
        users_service::login(&pool, "bob@example.com", "pw", None, None).await,
        Err(AuthError::BadCredentials)
    ));
    let s1 = users_service::login(
        &pool,
        "alice@example.com",
        "pw-1",
        Some("10.0.0.1"),
        Some("phone"),
    )
    .await
    .unwrap();
    let s2 = users_service::login(&pool, "alice@example.com", "pw-1", None, None)
        .await
        .unwrap();
    assert_ne!(s1, s2);
    assert_eq!(
        users_service::session_user(&pool, &s1)
            .await
            .unwrap()
            .map(|u| u.id),
        Some(alice.id.clone())
    );

    let code = users_service::issue_code(&pool, "alice@example.com", "verify_email")
        .await
        .unwrap();
    assert_eq!(code.len(), 6);
    assert!(code.chars().all(|c| c.is_ascii_digit()));
    assert!(matches!(
        users_service::verify_email(&pool, "alice@example.com", "abcdef").await,
        Err(AuthError::InvalidCode)
    ));
    users_service::verify_email(&pool, "alice@example.com", &code)
        .await
        .unwrap();
    assert!(matches!(
        users_service::verify_email(&pool, "alice@example.com", &code).await,
        Err(AuthError::InvalidCode)
    ));
    assert!(
        users_service::find_user(&pool, "alice@example.com")
            .await
            .unwrap()
            .unwrap()
            .email_verified
    );

    assert_eq!(
        users_service::roles(&pool, &alice.id).await.unwrap(),
        vec!["member".to_string()]
    );
    users_service::grant_role(&pool, &alice.id, "admin")
        .await
        .unwrap();
    users_service::grant_role(&pool, &alice.id, "admin")
        .await
        .unwrap();
    assert_eq!(
        users_service::roles(&pool, &alice.id).await.unwrap(),
        vec!["admin".to_string(), "member".to_string()]
    );

    users_service::sign_up(&pool, "bob@example.com", "pw-2")
        .await
        .unwrap();
    assert_eq!(
        users_service::session_counts(&pool).await.unwrap(),
        vec![
            (
                "alice@example.com".to_string(),
                2,
                Some("phone".to_string())
            ),
            ("bob@example.com".to_string(), 0, None)
        ]
    );
    assert!(users_service::logout(&pool, &s1).await.unwrap());
    assert!(!users_service::logout(&pool, &s1).await.unwrap());
    assert_eq!(users_service::session_user(&pool, &s1).await.unwrap(), None);
}

#[tokio::test]
async fn orders_enums_numeric_and_json() {
    let db = TempPostgres::start();
    let pool = pool(&db).await;
    orders_service::migrate(&pool).await.unwrap();
    let notes = serde_json::json!({"gift": true});
    let a = orders_service::place(&pool, "user-1", Decimal::new(1999, 2), Some(&notes))
        .await
        .unwrap();
    let b = orders_service::place(&pool, "user-1", Decimal::new(500, 2), None)
        .await
        .unwrap();
    orders_service::place(&pool, "user-2", Decimal::new(100, 2), None)
        .await
        .unwrap();
    assert!(orders_service::set_status(&pool, a, "paid").await.unwrap());
    assert!(!orders_service::set_status(&pool, Uuid::nil(), "paid")
        .await
        .unwrap());
    let err = orders_service::set_status(&pool, b, "refunded")
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid input value for enum order_status"),
        "{err}"
    );

    let paid = orders_service::by_status(&pool, "user-1", &["paid"])
        .await
        .unwrap();
    assert_eq!(paid, vec![(a, "paid".to_string(), Decimal::new(1999, 2))]);
    let open = orders_service::by_status(&pool, "user-1", &["pending", "paid"])
        .await
        .unwrap();
    assert_eq!(open.len(), 2);
    assert!(orders_service::by_status(&pool, "user-1", &["shipped"])
        .await
        .unwrap()
        .is_empty());

    // A composite type end to end: bound whole, read whole, read and written by field.
    use orders_service::PostalAddress;
    assert_eq!(
        orders_service::shipping_address(&pool, a).await.unwrap(),
        None
    );
    let home = PostalAddress {
        street: "1 Main St".into(),
        city: "Oslo".into(),
        zip: None,
    };
    assert!(orders_service::ship_to(&pool, a, &home).await.unwrap());
    assert_eq!(
        orders_service::shipping_address(&pool, a).await.unwrap(),
        Some(home)
    );
    assert_eq!(
        orders_service::orders_to_city(&pool, "Oslo").await.unwrap(),
        vec![(a, Some("1 Main St".to_string()))]
    );
    assert_eq!(
        orders_service::readdress(&pool, "user-1", "2 Side St", "Rome")
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        orders_service::shipping_address(&pool, b).await.unwrap(),
        Some(PostalAddress {
            street: "2 Side St".into(),
            city: "Rome".into(),
            zip: None
        })
    );
    assert!(orders_service::orders_to_city(&pool, "Oslo")
        .await
        .unwrap()
        .is_empty());

    // The service's own SQL function and procedure, through checked queries.
    assert_eq!(
        orders_service::order_value(&pool, a).await.unwrap(),
        Some(Decimal::ZERO)
    );
    orders_service::add_item(&pool, a, "pen", 3, Decimal::new(150, 2))
        .await
        .unwrap();
    assert_eq!(
        orders_service::order_value(&pool, a).await.unwrap(),
        Some(Decimal::new(450, 2))
    );
    // Cancels the pending orders older than `days`, then counts user-1's cancelled ones.
    let cancel_older_than = |days: i32| {
        let pool = pool.clone();
        async move {
            let older_than = checked_query::sqlx::postgres::types::PgInterval {
                months: 0,
                days,
                microseconds: 0,
            };
            orders_service::cancel_stale_orders(&pool, older_than)
                .await
                .unwrap();
            orders_service::by_status(&pool, "user-1", &["cancelled"])
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!(
        cancel_older_than(1).await,
        0,
        "orders placed just now are not stale"
    );
    assert_eq!(
        cancel_older_than(-1).await,
        1,
        "the one pending order of user-1 is cancelled"
    );

    // Domains: bound and read as text, checked by PostgreSQL.
    assert_eq!(
        orders_service::annotation(&pool, a).await.unwrap(),
        (None, None)
    );
    assert!(
        orders_service::annotate(&pool, a, "leave at the door", "ZX42")
            .await
            .unwrap()
    );
    assert_eq!(
        orders_service::annotation(&pool, a).await.unwrap(),
        (
            Some("leave at the door".to_string()),
            Some("ZX42".to_string())
        )
    );
    let err = orders_service::annotate(&pool, a, "ok", "lower-case")
        .await
        .unwrap_err();
    let code = checked_query_tests::sqlstate(&err);
    assert_eq!(
        code.as_deref(),
        Some("23514"),
        "the tracking_code CHECK refuses it: {err}"
    );
}

/// UP, DOWN, UP on a real database: every DOWN runs, and after each UP PostgreSQL's schema
/// equals the catalog the checker built for the compile-time checks.
#[tokio::test]
async fn users_migrations_up_down_up_match_the_checker() {
    let db = TempPostgres::start();
    checked_query::testing::up_down_up(db.url(), &users_service::migrator()).await;
}

#[tokio::test]
async fn orders_migrations_up_down_up_match_the_checker() {
    let db = TempPostgres::start();
    checked_query::testing::up_down_up(db.url(), &orders_service::migrator()).await;
}
