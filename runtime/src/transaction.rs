//! Transactions that survive serialization failures: CockroachDB runs every transaction
//! SERIALIZABLE and aborts one of two conflicting ones with SQLSTATE 40001, which the
//! client must retry; PostgreSQL does the same under SERIALIZABLE (and reports deadlocks as
//! 40P01). [`transaction`] begins, runs your closure, commits, and on those two codes rolls
//! back and runs the closure again, with jittered exponential backoff, a bounded number of
//! times.
//!
//! **The closure may run more than once**: keep side effects other than the transaction's
//! own statements (sending mail, calling other services) out of it, or make them
//! idempotent.

use std::fmt;
use std::time::Duration;

use futures_util::future::BoxFuture;
use sqlx::{PgPool, Postgres};

/// The transaction a [`transaction`] closure runs its queries on (`&mut **tx` or
/// `&mut *tx` as an executor).
pub type Tx = sqlx::Transaction<'static, Postgres>;

/// The isolation level a [`Transact`] begins with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Isolation {
    /// The default: what CockroachDB always runs, and what makes retries necessary.
    Serializable,
    /// PostgreSQL's REPEATABLE READ (snapshot): concurrent updates of a row still fail
    /// with 40001.
    RepeatableRead,
    /// PostgreSQL's default; CockroachDB runs it only when enabled for the cluster.
    ReadCommitted,
}

impl Isolation {
    fn begin(self) -> &'static str {
        match self {
            Isolation::Serializable => "BEGIN ISOLATION LEVEL SERIALIZABLE",
            Isolation::RepeatableRead => "BEGIN ISOLATION LEVEL REPEATABLE READ",
            Isolation::ReadCommitted => "BEGIN ISOLATION LEVEL READ COMMITTED",
        }
    }
}

/// Errors a transaction closure may return: the sqlx error inside, if any, decides
/// whether the attempt is retried. Implement it for your own error type (return the
/// `sqlx::Error` it wraps) to use it in [`transaction`].
pub trait RetryError {
    /// The database error this is, if it is one.
    fn sqlx_error(&self) -> Option<&sqlx::Error>;
}

impl RetryError for sqlx::Error {
    fn sqlx_error(&self) -> Option<&sqlx::Error> {
        Some(self)
    }
}

/// Whether an error is one a retry can fix: serialization failure (40001) or deadlock
/// (40P01).
pub fn is_retryable(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| matches!(c.as_ref(), "40001" | "40P01"))
}

/// A transaction that failed, after how many attempts.
#[derive(Debug)]
#[non_exhaustive]
pub struct TransactionError<E> {
    /// How many times the closure ran (1 when the error was not retryable).
    pub attempts: u32,
    /// The last attempt's error (the closure's, or BEGIN's or COMMIT's).
    pub error: E,
}

impl<E: fmt::Display> fmt::Display for TransactionError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "transaction failed after {} attempt{}: {}",
            self.attempts,
            if self.attempts == 1 { "" } else { "s" },
            self.error
        )
    }
}

impl<E: std::error::Error + 'static> std::error::Error for TransactionError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// What a committed transaction returned, and how many attempts it took.
#[derive(Debug)]
#[non_exhaustive]
pub struct Committed<T> {
    /// What the closure returned on the attempt that committed.
    pub value: T,
    /// How many times the closure ran (1: no retry).
    pub attempts: u32,
}

/// How a transaction is begun and retried. [`transaction`] is `Transact::new().run(…)`.
#[derive(Debug, Clone)]
pub struct Transact {
    isolation: Isolation,
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    savepoints: bool,
}

impl Default for Transact {
    fn default() -> Self {
        Transact::new()
    }
}

impl Transact {
    /// SERIALIZABLE, at most 10 attempts, backoff from 10 ms doubling up to 1 s.
    pub fn new() -> Transact {
        Transact {
            isolation: Isolation::Serializable,
            max_attempts: 10,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(1),
            savepoints: false,
        }
    }

    /// The isolation level to begin with.
    pub fn isolation(mut self, isolation: Isolation) -> Self {
        self.isolation = isolation;
        self
    }

    /// How many times the closure may run in all (at least 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The backoff before the first retry, and the most it grows to (doubling, with up to
    /// half of it random so that conflicting clients spread out).
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = max.max(base);
        self
    }

    /// CockroachDB's client-side retry protocol: `SAVEPOINT cockroach_restart` after BEGIN,
    /// `ROLLBACK TO SAVEPOINT cockroach_restart` on a retryable error (the transaction keeps
    /// its priority, so it wins sooner), `RELEASE SAVEPOINT cockroach_restart` before
    /// COMMIT. Not for PostgreSQL, where a serialization failure ends the transaction.
    pub fn cockroach_savepoints(mut self, on: bool) -> Self {
        self.savepoints = on;
        self
    }

    fn delay(&self, retry: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << retry.min(16))
            .min(self.max_delay);
        // Jitter: 50–100 % of the backoff, from the process's random hasher keys.
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(retry);
        let frac = 0.5 + (h.finish() % 1000) as f64 / 2000.0;
        exp.mul_f64(frac)
    }

    /// Runs `f` in a transaction, committing what it did, and retrying on 40001/40P01.
    /// Other errors return at once (after ROLLBACK); the error says how many attempts ran.
    pub async fn run<T, E, F>(
        &self,
        pool: &PgPool,
        mut f: F,
    ) -> Result<Committed<T>, TransactionError<E>>
    where
        F: for<'t> FnMut(&'t mut Tx) -> BoxFuture<'t, Result<T, E>>,
        E: RetryError + From<sqlx::Error>,
    {
        let mut attempts = 0;
        let fail = |attempts, error| TransactionError { attempts, error };
        let mut tx: Option<Tx> = None;
        loop {
            attempts += 1;
            // A fresh transaction, or (CockroachDB) the same one restarted at its savepoint.
            let mut current = match tx.take() {
                Some(t) => t,
                None => {
                    let mut t = pool
                        .begin_with(self.isolation.begin())
                        .await
                        .map_err(|e| fail(attempts, E::from(e)))?;
                    if self.savepoints {
                        sqlx::raw_sql("SAVEPOINT cockroach_restart")
                            .execute(&mut *t)
                            .await
                            .map_err(|e| fail(attempts, E::from(e)))?;
                    }
                    t
                }
            };
            // The attempt's error (a success returns from here).
            let e: E = match f(&mut current).await {
                Ok(value) => {
                    let committed = if self.savepoints {
                        match sqlx::raw_sql("RELEASE SAVEPOINT cockroach_restart")
                            .execute(&mut *current)
                            .await
                        {
                            Ok(_) => current.commit().await,
                            Err(e) => Err(e),
                        }
                    } else {
                        current.commit().await
                    };
                    match committed {
                        Ok(()) => return Ok(Committed { value, attempts }),
                        Err(e) => E::from(e),
                    }
                }
                Err(e) => {
                    let retry = e.sqlx_error().is_some_and(is_retryable);
                    if retry && self.savepoints && attempts < self.max_attempts {
                        match sqlx::raw_sql("ROLLBACK TO SAVEPOINT cockroach_restart")
                            .execute(&mut *current)
                            .await
                        {
                            Ok(_) => {
                                tx = Some(current);
                                tokio::time::sleep(self.delay(attempts - 1)).await;
                                continue;
                            }
                            Err(_) => {
                                let _ = current.rollback().await;
                            }
                        }
                    } else {
                        let _ = current.rollback().await;
                    }
                    e
                }
            };
            let retry = e.sqlx_error().is_some_and(is_retryable);
            if !retry || attempts >= self.max_attempts {
                return Err(fail(attempts, e));
            }
            tokio::time::sleep(self.delay(attempts - 1)).await;
        }
    }
}

/// Runs `f` in a SERIALIZABLE transaction on `pool` and commits, retrying the whole
/// closure on serialization failures (40001) and deadlocks (40P01) up to 10 times with
/// jittered exponential backoff. **The closure may run more than once.**
///
/// ```ignore
/// let id = checked_query::transaction(&pool, |tx| Box::pin(async move {
///     let order = checked_query!("INSERT INTO orders (user_id) VALUES ($1) RETURNING id", user)
///         .fetch_one(&mut **tx).await?;
///     checked_query!("UPDATE stock SET n = n - 1 WHERE sku = $1", sku).execute(&mut **tx).await?;
///     Ok::<_, sqlx::Error>(order.id)
/// })).await?;
/// ```
pub async fn transaction<T, E, F>(pool: &PgPool, f: F) -> Result<T, TransactionError<E>>
where
    F: for<'t> FnMut(&'t mut Tx) -> BoxFuture<'t, Result<T, E>>,
    E: RetryError + From<sqlx::Error>,
{
    Transact::new().run(pool, f).await.map(|c| c.value)
}
