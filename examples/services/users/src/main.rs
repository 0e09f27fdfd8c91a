//! Runs the auth scenario against PostgreSQL: `DATABASE_URL` if set, else a throwaway
//! cluster from the local PostgreSQL binaries.

use checked_query::sqlx::PgPool;
use checked_query::testing::TempPostgres;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let temp;
    let url = match std::env::var("DATABASE_URL") {
        Ok(u) => u,
        Err(_) => {
            temp = TempPostgres::start();
            temp.url().to_string()
        }
    };
    let pool = PgPool::connect(&url).await?;
    println!(
        "migrations applied: {}",
        users_service::migrate(&pool).await?
    );

    let user = users_service::sign_up(&pool, "Alice@Example.com", "correct horse").await?;
    println!(
        "signed up {} ({}), verified: {}",
        user.email, user.id, user.email_verified
    );
    match users_service::sign_up(&pool, "alice@example.com", "again").await {
        Err(users_service::AuthError::EmailTaken) => {
            println!("second sign-up with the same email refused")
        }
        other => return Err(format!("expected EmailTaken, got {other:?}").into()),
    }
    assert!(matches!(
        users_service::login(&pool, "alice@example.com", "wrong", None, None).await,
        Err(users_service::AuthError::BadCredentials)
    ));
    println!("wrong password refused");
    let session = users_service::login(
        &pool,
        "alice@example.com",
        "correct horse",
        Some("10.0.0.7"),
        Some("laptop"),
    )
    .await?;
    println!("logged in, session {session}");
    let me = users_service::session_user(&pool, &session)
        .await?
        .ok_or("session should be live")?;
    println!("session belongs to {}", me.email);

    let code = users_service::issue_code(&pool, "alice@example.com", "verify_email").await?;
    println!("issued code {code}");
    assert!(matches!(
        users_service::verify_email(&pool, "alice@example.com", "000000x").await,
        Err(users_service::AuthError::InvalidCode)
    ));
    users_service::verify_email(&pool, "alice@example.com", &code).await?;
    assert!(matches!(
        users_service::verify_email(&pool, "alice@example.com", &code).await,
        Err(users_service::AuthError::InvalidCode)
    ));
    let verified = users_service::find_user(&pool, "alice@example.com")
        .await?
        .ok_or("user exists")?;
    println!(
        "email verified: {} (code works once)",
        verified.email_verified
    );

    users_service::grant_role(&pool, &user.id, "admin").await?;
    users_service::grant_role(&pool, &user.id, "admin").await?;
    println!("roles: {:?}", users_service::roles(&pool, &user.id).await?);
    users_service::sign_up(&pool, "bob@example.com", "hunter2").await?;
    println!(
        "live sessions: {:?}",
        users_service::session_counts(&pool).await?
    );

    println!(
        "logged out: {}",
        users_service::logout(&pool, &session).await?
    );
    println!(
        "session after logout: {:?}",
        users_service::session_user(&pool, &session).await?
    );
    pool.close().await;
    Ok(())
}
