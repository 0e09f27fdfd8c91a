//! The seed's auth service on checked-query. Every statement is a checked macro: this crate
//! compiles only while each query matches `migrations/`.

use checked_query::sqlx::PgPool;
use checked_query::{checked_query, checked_query_as, checked_query_scalar};

/// A user as the service shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub email_verified: bool,
    pub status: String,
}

#[derive(Debug)]
pub enum AuthError {
    EmailTaken,
    BadCredentials,
    InvalidCode,
    Db(checked_query::sqlx::Error),
    Hash(bcrypt::BcryptError),
}

impl From<checked_query::sqlx::Error> for AuthError {
    fn from(e: checked_query::sqlx::Error) -> Self {
        AuthError::Db(e)
    }
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for AuthError {}

/// A transaction retries when the database error inside is a serialization failure.
impl checked_query::RetryError for AuthError {
    fn sqlx_error(&self) -> Option<&checked_query::sqlx::Error> {
        match self {
            AuthError::Db(e) => Some(e),
            _ => None,
        }
    }
}

/// bcrypt's minimum cost keeps the example quick; a real service uses the default.
const COST: u32 = 4;

/// Creates a user with its password and the `member` role: three tables written in one
/// SERIALIZABLE transaction, retried on serialization failures (the closure may run more
/// than once, so the password is hashed before it).
pub async fn sign_up(pool: &PgPool, email: &str, password: &str) -> Result<User, AuthError> {
    let hash = bcrypt::hash(password, COST).map_err(AuthError::Hash)?;
    let email = email.to_string();
    checked_query::transaction(pool, move |tx| {
        let (email, hash) = (email.clone(), hash.clone());
        Box::pin(async move {
            let created = checked_query!(
                "INSERT INTO users (id, email) VALUES (gen_random_uuid()::text, lower(:email))
                 ON CONFLICT (email) DO NOTHING
                 RETURNING id, email, email_verified, status"
            )
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(AuthError::EmailTaken)?;
            checked_query!(
                "INSERT INTO user_passwords (user_id, password_hash) VALUES ($1, $2)",
                &created.id,
                &hash
            )
            .execute(&mut **tx)
            .await?;
            checked_query!(
                "INSERT INTO user_roles (user_id, role) VALUES ($1, 'member')",
                &created.id
            )
            .execute(&mut **tx)
            .await?;
            Ok(User {
                id: created.id,
                email: created.email,
                email_verified: created.email_verified,
                status: created.status,
            })
        })
    })
    .await
    .map_err(|e| e.error)
}

pub async fn find_user(pool: &PgPool, email: &str) -> Result<Option<User>, AuthError> {
    Ok(checked_query_as!(
        User,
        "SELECT id, email, email_verified, status FROM users WHERE email = lower($1)",
        email
    )
    .fetch_optional(pool)
    .await?)
}

/// Checks the password and opens a session; returns its id.
pub async fn login(
    pool: &PgPool,
    email: &str,
    password: &str,
    ip: Option<&str>,
    device: Option<&str>,
) -> Result<String, AuthError> {
    let row = checked_query!(
        "SELECT u.id, p.password_hash FROM users u JOIN user_passwords p ON p.user_id = u.id
         WHERE u.email = lower($1) AND u.status = 'active'",
        email
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AuthError::BadCredentials)?;
    if !bcrypt::verify(password, &row.password_hash).map_err(AuthError::Hash)? {
        return Err(AuthError::BadCredentials);
    }
    let session = checked_query_scalar!(
        "INSERT INTO sessions (id, user_id, ip_address, device_label) VALUES (gen_random_uuid()::text, :user_id, :ip, :device) RETURNING id",
        user_id = &row.id,
        ip = ip,
        device = device
    )
    .fetch_one(pool)
    .await?;
    Ok(session)
}

/// The user of a live session.
pub async fn session_user(pool: &PgPool, session_id: &str) -> Result<Option<User>, AuthError> {
    Ok(checked_query_as!(
        User,
        "SELECT u.id, u.email, u.email_verified, u.status FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id = $1 AND s.revoked_at IS NULL",
        session_id
    )
    .fetch_optional(pool)
    .await?)
}

pub async fn logout(pool: &PgPool, session_id: &str) -> Result<bool, AuthError> {
    let done = checked_query!("UPDATE sessions SET revoked_at = now(), updated_at = now() WHERE id = $1 AND revoked_at IS NULL", session_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Issues a one-time code for `purpose` (e.g. `verify_email`), valid ten minutes.
pub async fn issue_code(pool: &PgPool, email: &str, purpose: &str) -> Result<String, AuthError> {
    let code = checked_query_scalar!(
        "INSERT INTO auth_codes (id, email, code, purpose, expires_at)
         VALUES (gen_random_uuid()::text, lower($1), lpad((floor(random() * 1000000))::int::text, 6, '0'), $2, now() + interval '10 minutes')
         RETURNING code",
        email,
        purpose
    )
    .fetch_one(pool)
    .await?;
    Ok(code)
}

/// Consumes a code once and marks the email verified: both writes commit together or not
/// at all, retried on serialization failures.
pub async fn verify_email(pool: &PgPool, email: &str, code: &str) -> Result<(), AuthError> {
    let (email, code) = (email.to_string(), code.to_string());
    checked_query::transaction(pool, move |tx| {
        let (email, code) = (email.clone(), code.clone());
        Box::pin(async move {
            let used = checked_query!(
                "UPDATE auth_codes SET used_at = now(), updated_at = now()
                 WHERE email = lower($1) AND code = $2 AND purpose = 'verify_email' AND used_at IS NULL AND expires_at > now()
                 RETURNING id",
                &email,
                &code
            )
            .fetch_optional(&mut **tx)
            .await?;
            if used.is_none() {
                return Err(AuthError::InvalidCode);
            }
            checked_query!(
                "UPDATE users SET email_verified = TRUE, updated_at = now() WHERE email = lower($1)",
                &email
            )
            .execute(&mut **tx)
            .await?;
            Ok(())
        })
    })
    .await
    .map_err(|e| e.error)
}

pub async fn grant_role(pool: &PgPool, user_id: &str, role: &str) -> Result<(), AuthError> {
    checked_query!("INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT (user_id, role) DO NOTHING", user_id, role)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn roles(pool: &PgPool, user_id: &str) -> Result<Vec<String>, AuthError> {
    Ok(checked_query_scalar!(
        "SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role",
        user_id
    )
    .fetch_all(pool)
    .await?)
}

/// Live sessions per user, with the last device used (an outer join: users without sessions
/// appear with a count of 0 and no device).
pub async fn session_counts(
    pool: &PgPool,
) -> Result<Vec<(String, i64, Option<String>)>, AuthError> {
    let rows = checked_query!(
        r#"SELECT u.email, count(s.id) AS "sessions!", max(s.device_label) AS last_device
           FROM users u LEFT JOIN sessions s ON s.user_id = u.id AND s.revoked_at IS NULL
           GROUP BY u.email ORDER BY u.email"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.email, r.sessions, r.last_device))
        .collect())
}

/// The service's migrations, embedded at compile time.
pub fn migrator() -> checked_query::Migrator {
    checked_query::migrate!()
}

/// Applies the service's migrations.
pub async fn migrate(pool: &PgPool) -> Result<usize, checked_query::MigrateError> {
    migrator().up(pool).await
}
