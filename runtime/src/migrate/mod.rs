//! Running a service's migrations through sqlx, safely on PostgreSQL and CockroachDB.
//!
//! [`migrate!`](crate::migrate) embeds the migrations at compile time, already split into
//! statements by the checker (this crate never parses SQL), with the schema the checker
//! expects after them (for [`crate::testing`]).
//!
//! **Locking without advisory locks** (CockroachDB has none): a lock row with an owner and a
//! lease expiry, taken in its own transaction, renewed by a heartbeat while migrations run,
//! and released explicitly on success and on error (not by `Drop`, which cannot await). A
//! crashed holder's lease expires. Every ledger write happens in a transaction that first
//! checks this migrator still owns an unexpired lease (fencing), so a migrator whose lease
//! lapsed cannot record anything. Serialization failures (SQLSTATE 40001) are retried.
//!
//! **Transactions**: each migration and its ledger row commit in one transaction, except a
//! migration that cannot run in one (`CREATE/DROP INDEX CONCURRENTLY`, or a marker: `--
//! checked-query: no-transaction`, sqlx's `-- no-transaction`, goose's `NO TRANSACTION`): it
//! runs statement by statement outside a transaction, marked dirty in the ledger until it
//! finishes. A dirty migration blocks later runs with a message saying how to recover.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::{PgPool, Row};

mod sqlx_ledger;

/// One migration as embedded by `migrate!`.
#[derive(Debug)]
pub struct Migration {
    /// The file name without `.sql` (e.g. `001_create_users`).
    pub name: &'static str,
    /// SHA-256 of the file(s), line endings normalised.
    pub checksum: &'static str,
    /// What sqlx's migrator would have recorded for it in `_sqlx_migrations` (SHA-384 of
    /// the UP file, hex; as read, and without whitespace), to take over a history that
    /// `sqlx::migrate!` applied.
    pub sqlx_checksums: &'static [&'static str],
    /// UP statements in order.
    pub up: &'static [&'static str],
    /// DOWN statements in order.
    pub down: &'static [&'static str],
    /// Must run outside a transaction.
    pub no_transaction: bool,
}

/// The migrations of one service, as `migrate!()` embeds them, and how they run.
///
/// Not sqlx's `Migrator`, though it reads the same files: it keeps its own ledger
/// (`checked_query_migrations`) and a lease lock instead of advisory locks (CockroachDB has
/// none), runs statements the checker split, reverts with the DOWN parts, and takes over
/// `_sqlx_migrations` when a service switches (see [`Migrator::with_sqlx_table`]).
#[derive(Debug, Clone)]
pub struct Migrator {
    migrations: &'static [Migration],
    expected_schema: &'static [&'static str],
    lease: Duration,
    sqlx_table: &'static str,
}

/// Whether a migration has been applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// The migration's name.
    pub name: String,
    /// Applied to this database.
    pub applied: bool,
    /// Started outside a transaction and not finished.
    pub dirty: bool,
}

/// What can go wrong running migrations. More kinds may come: match with a wildcard arm.
#[derive(Debug)]
#[non_exhaustive]
pub enum MigrateError {
    /// The database refused a statement or the ledger.
    Database {
        /// The migration being applied, if any.
        migration: Option<String>,
        /// The error.
        source: sqlx::Error,
    },
    /// An applied migration's file has changed since: nothing runs.
    Modified {
        /// The migration.
        migration: String,
        /// Checksum in the ledger.
        applied: String,
        /// Checksum of the file now.
        current: String,
    },
    /// The ledger names a migration this service does not have.
    Unknown(String),
    /// A migration that ran outside a transaction did not finish.
    Dirty(String),
    /// This migrator's lease lapsed (another took the lock): it stopped before recording.
    LockLost,
    /// sqlx's ledger, being taken over, records a migration that did not succeed.
    SqlxFailed {
        /// sqlx's ledger table.
        table: String,
        /// The migration's version.
        version: i64,
        /// Its description.
        description: String,
    },
}

impl std::fmt::Display for MigrateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MigrateError::Database { migration: Some(m), source } => write!(f, "migration {m} failed: {source}"),
            MigrateError::Database { migration: None, source } => write!(f, "migration ledger: {source}"),
            MigrateError::Modified { migration, applied, current } => write!(
                f,
                "migration {migration} was modified after it was applied (ledger {applied}, file {current}); migrations are immutable: revert the file and add a new migration"
            ),
            MigrateError::Unknown(m) => write!(f, "the database has migration {m} applied, which this service does not have"),
            MigrateError::Dirty(m) => write!(
                f,
                "migration {m} ran outside a transaction (UP, or DOWN) and did not finish, so nothing else runs: check the schema, complete or undo its statements by hand, then run `UPDATE checked_query_migrations SET dirty = false WHERE name = '{m}'` (it is applied) or `DELETE FROM checked_query_migrations WHERE name = '{m}'` (it is not)"
            ),
            MigrateError::SqlxFailed { table, version, description } => write!(
                f,
                "`{table}` (sqlx's ledger, which this migrator takes over) records migration {version} ({description}) as failed, so nothing runs: check the schema, complete or undo its statements by hand, then run `UPDATE {table} SET success = true WHERE version = {version}` (it is applied) or `DELETE FROM {table} WHERE version = {version}` (it is not)"
            ),
            MigrateError::LockLost => write!(f, "the migration lock's lease lapsed and another migrator took it; this one stopped without recording anything"),
        }
    }
}

impl std::error::Error for MigrateError {
    /// The database's error, for a failed statement or ledger access.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MigrateError::Database { source, .. } => Some(source),
            _ => None,
        }
    }
}

const LEDGER: &str = "CREATE TABLE IF NOT EXISTS checked_query_migrations (
    name TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    checksum TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    duration_ms BIGINT NOT NULL,
    dirty BOOLEAN NOT NULL DEFAULT false
)";

const LOCK_TABLE: &str = "CREATE TABLE IF NOT EXISTS checked_query_migration_lock (
    id INT4 PRIMARY KEY CHECK (id = 1),
    owner TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
)";

fn db(migration: Option<&str>) -> impl FnOnce(sqlx::Error) -> MigrateError + '_ {
    move |source| MigrateError::Database {
        migration: migration.map(str::to_string),
        source,
    }
}

fn serialization_failure(e: &MigrateError) -> bool {
    matches!(e, MigrateError::Database { source, .. } if source.as_database_error().and_then(|d| d.code()).is_some_and(|c| c == "40001"))
}

/// Retries an operation that failed with SQLSTATE 40001 (CockroachDB's serializable retries).
async fn retry<T, F, Fut>(mut op: F) -> Result<T, MigrateError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, MigrateError>>,
{
    let mut attempt = 0;
    loop {
        match op().await {
            Err(e) if serialization_failure(&e) && attempt < 10 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(20 * attempt)).await;
            }
            other => return other,
        }
    }
}

/// `CREATE TABLE IF NOT EXISTS` is not safe against a concurrent creator on PostgreSQL: the
/// loser fails once the winner commits (unique violation on `pg_type` 23505, 42P07 or 42710),
/// by which time the table exists.
async fn create_if_missing(pool: &PgPool, ddl: &str) -> Result<(), MigrateError> {
    // The migrator's own ledger DDL, written in this file.
    match sqlx::raw_sql(sqlx::AssertSqlSafe(ddl.to_string()))
        .execute(pool)
        .await
    {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_database_error()
                .and_then(|d| d.code())
                .is_some_and(|c| matches!(c.as_ref(), "23505" | "42P07" | "42710")) =>
        {
            Ok(())
        }
        Err(e) => Err(db(None)(e)),
    }
}

fn version_of(name: &str) -> &str {
    name.split('_').next().unwrap_or(name)
}

/// Holding the lock: the owner token and the heartbeat that renews the lease.
struct Held {
    owner: String,
    lost: Arc<AtomicBool>,
    heartbeat: tokio::task::JoinHandle<()>,
}

impl Migrator {
    #[doc(hidden)]
    pub const fn __new(
        migrations: &'static [Migration],
        expected_schema: &'static [&'static str],
    ) -> Self {
        Migrator {
            migrations,
            expected_schema,
            lease: Duration::from_secs(30),
            sqlx_table: sqlx_ledger::DEFAULT_TABLE,
        }
    }

    /// The table of `sqlx::migrate!`'s ledger to take over (default `_sqlx_migrations`;
    /// `schema.table` if your `sqlx.toml` set `migrate.table-name`).
    ///
    /// While `checked_query_migrations` is empty, the migrations sqlx recorded there count as
    /// applied: each must be a migration of this service, by version, whose UP file has the
    /// checksum sqlx recorded, and must have succeeded; else nothing runs. The first `up` or
    /// `down` copies them into `checked_query_migrations` under the lock; sqlx's table is
    /// left untouched.
    pub fn with_sqlx_table(mut self, table: &'static str) -> Self {
        self.sqlx_table = table;
        self
    }

    /// The lease of the migration lock (default 30 s); the heartbeat renews it every third
    /// of that.
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// The embedded migrations, in apply order.
    pub fn migrations(&self) -> &'static [Migration] {
        self.migrations
    }

    /// The schema the checker expects after every UP, as comparable lines.
    pub fn expected_schema(&self) -> &'static [&'static str] {
        self.expected_schema
    }

    async fn ledger(&self, pool: &PgPool) -> Result<Vec<(String, String, bool)>, MigrateError> {
        retry(|| async {
            create_if_missing(pool, LEDGER).await?;
            create_if_missing(pool, LOCK_TABLE).await?;
            let rows = sqlx::query(
                "SELECT name, checksum, dirty FROM checked_query_migrations ORDER BY name",
            )
            .fetch_all(pool)
            .await
            .map_err(db(None))?;
            Ok(rows
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect())
        })
        .await
    }

    fn verify(&self, applied: &[(String, String, bool)]) -> Result<(), MigrateError> {
        for (name, checksum, dirty) in applied {
            if *dirty {
                return Err(MigrateError::Dirty(name.clone()));
            }
            match self.migrations.iter().find(|m| m.name == name) {
                None => return Err(MigrateError::Unknown(name.clone())),
                Some(m) if m.checksum != checksum => {
                    return Err(MigrateError::Modified {
                        migration: name.clone(),
                        applied: checksum.clone(),
                        current: m.checksum.to_string(),
                    })
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Which migrations are applied.
    pub async fn status(&self, pool: &PgPool) -> Result<Vec<MigrationStatus>, MigrateError> {
        let mut applied = self.ledger(pool).await?;
        if applied.is_empty() {
            // Not taken over yet: what sqlx applied is applied.
            applied = sqlx_ledger::read(pool, self.sqlx_table, self.migrations)
                .await?
                .iter()
                .map(|a| {
                    (
                        a.migration.name.to_string(),
                        a.migration.checksum.to_string(),
                        false,
                    )
                })
                .collect();
        }
        Ok(self
            .migrations
            .iter()
            .map(|m| {
                let row = applied.iter().find(|(n, _, _)| n == m.name);
                MigrationStatus {
                    name: m.name.to_string(),
                    applied: row.is_some(),
                    dirty: row.is_some_and(|r| r.2),
                }
            })
            .collect())
    }

    async fn acquire(&self, pool: &PgPool) -> Result<Held, MigrateError> {
        // Unique across hosts and processes: pid, time, and the per-process random seed
        // of the standard library's hasher.
        let seed =
            std::hash::BuildHasher::hash_one(&std::collections::hash_map::RandomState::new(), 0u8);
        let owner = format!(
            "{}-{seed:016x}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
        );
        let lease_ms = self.lease.as_millis() as i64;
        loop {
            let took = retry(|| async {
                let mut tx = pool.begin().await.map_err(db(None))?;
                let row = sqlx::query(
                    "INSERT INTO checked_query_migration_lock (id, owner, expires_at)
                     VALUES (1, $1, clock_timestamp() + $2 * interval '1 millisecond')
                     ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
                     WHERE checked_query_migration_lock.expires_at < clock_timestamp() OR checked_query_migration_lock.owner = EXCLUDED.owner
                     RETURNING owner",
                )
                .bind(&owner)
                .bind(lease_ms)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db(None))?;
                tx.commit().await.map_err(db(None))?;
                Ok(row.is_some())
            })
            .await?;
            if took {
                break;
            }
            tokio::time::sleep(Duration::from_millis((lease_ms as u64 / 10).clamp(20, 500))).await;
        }
        let lost = Arc::new(AtomicBool::new(false));
        let heartbeat = {
            let (pool, owner, lost, lease) =
                (pool.clone(), owner.clone(), lost.clone(), self.lease);
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(lease / 3).await;
                    let renewed = sqlx::query(
                        "UPDATE checked_query_migration_lock SET expires_at = clock_timestamp() + $2 * interval '1 millisecond'
                         WHERE id = 1 AND owner = $1 AND expires_at > clock_timestamp()",
                    )
                    .bind(&owner)
                    .bind(lease.as_millis() as i64)
                    .execute(&pool)
                    .await;
                    if !matches!(renewed, Ok(r) if r.rows_affected() == 1) {
                        lost.store(true, Ordering::SeqCst);
                        return;
                    }
                }
            })
        };
        Ok(Held {
            owner,
            lost,
            heartbeat,
        })
    }

    async fn release(&self, pool: &PgPool, held: Held) {
        held.heartbeat.abort();
        let _ = retry(|| async {
            sqlx::query("DELETE FROM checked_query_migration_lock WHERE id = 1 AND owner = $1")
                .bind(&held.owner)
                .execute(pool)
                .await
                .map_err(db(None))
        })
        .await;
    }

    /// Applies every pending migration under the lock; returns how many ran.
    pub async fn up(&self, pool: &PgPool) -> Result<usize, MigrateError> {
        self.ledger(pool).await?;
        let held = self.acquire(pool).await?;
        let result = self.up_locked(pool, &held).await;
        self.release(pool, held).await;
        result
    }

    /// Reverts the last `steps` applied migrations under the lock, newest first.
    pub async fn down(&self, pool: &PgPool, steps: usize) -> Result<usize, MigrateError> {
        self.ledger(pool).await?;
        let held = self.acquire(pool).await?;
        let result = self.down_locked(pool, &held, steps).await;
        self.release(pool, held).await;
        result
    }

    /// Fencing: inside the ledger-writing transaction, the lease must still be ours. The
    /// UPDATE also renews it and takes the lock row, so a competitor waits until we commit.
    async fn fence(
        conn: &mut sqlx::PgConnection,
        held: &Held,
        lease: Duration,
    ) -> Result<(), MigrateError> {
        if held.lost.load(Ordering::SeqCst) {
            return Err(MigrateError::LockLost);
        }
        let r = sqlx::query(
            "UPDATE checked_query_migration_lock SET expires_at = clock_timestamp() + $2 * interval '1 millisecond'
             WHERE id = 1 AND owner = $1 AND expires_at > clock_timestamp()",
        )
        .bind(&held.owner)
        .bind(lease.as_millis() as i64)
        .execute(&mut *conn)
        .await
        .map_err(db(None))?;
        if r.rows_affected() == 1 {
            Ok(())
        } else {
            Err(MigrateError::LockLost)
        }
    }

    /// The ledger read again under the lock (another migrator may have run meanwhile),
    /// after taking over sqlx's ledger if ours is still empty.
    async fn ledger_locked(
        &self,
        pool: &PgPool,
        held: &Held,
    ) -> Result<Vec<(String, String, bool)>, MigrateError> {
        let applied = self.ledger(pool).await?;
        if !applied.is_empty() {
            return Ok(applied);
        }
        let adopted = sqlx_ledger::read(pool, self.sqlx_table, self.migrations).await?;
        if adopted.is_empty() {
            return Ok(applied);
        }
        retry(|| async {
            let mut tx = pool.begin().await.map_err(db(None))?;
            Self::fence(&mut tx, held, self.lease).await?;
            sqlx_ledger::record(&mut tx, self.sqlx_table, &adopted).await?;
            tx.commit().await.map_err(db(None))
        })
        .await?;
        self.ledger(pool).await
    }

    async fn up_locked(&self, pool: &PgPool, held: &Held) -> Result<usize, MigrateError> {
        let applied = self.ledger_locked(pool, held).await?;
        self.verify(&applied)?;
        let mut ran = 0;
        for m in self
            .migrations
            .iter()
            .filter(|m| !applied.iter().any(|(n, _, _)| n == m.name))
        {
            let finish = |ms| LedgerWrite::Applied { ms, dirty: false };
            let mark = LedgerWrite::Applied { ms: 0, dirty: true };
            self.step(pool, held, m, m.up, mark, finish).await?;
            ran += 1;
        }
        Ok(ran)
    }

    async fn down_locked(
        &self,
        pool: &PgPool,
        held: &Held,
        steps: usize,
    ) -> Result<usize, MigrateError> {
        let applied = self.ledger_locked(pool, held).await?;
        self.verify(&applied)?;
        let mut ran = 0;
        for m in self
            .migrations
            .iter()
            .rev()
            .filter(|m| applied.iter().any(|(n, _, _)| n == m.name))
            .take(steps)
        {
            // Dirty while the DOWN statements of a no-transaction migration run: a crash
            // half-way is visible.
            self.step(pool, held, m, m.down, LedgerWrite::Dirty, |_| {
                LedgerWrite::Forget
            })
            .await?;
            ran += 1;
        }
        Ok(ran)
    }

    /// Runs one migration's statements (UP or DOWN) and records the outcome. Normally all in
    /// one transaction with the fenced ledger write; for a migration that cannot run in a
    /// transaction, statement by statement between a fenced `mark` (dirty) and the fenced
    /// final write.
    async fn step(
        &self,
        pool: &PgPool,
        held: &Held,
        m: &Migration,
        statements: &[&str],
        mark: LedgerWrite,
        finish: impl Fn(i64) -> LedgerWrite,
    ) -> Result<(), MigrateError> {
        let started = Instant::now();
        let elapsed = || started.elapsed().as_millis() as i64;
        if m.no_transaction {
            self.fenced_write(pool, held, m, mark).await?;
            for stmt in statements {
                if held.lost.load(Ordering::SeqCst) {
                    return Err(MigrateError::LockLost);
                }
                // A migration's statement: checked by the checker when `migrate!()` embedded it.
                sqlx::raw_sql(sqlx::AssertSqlSafe(*stmt))
                    .execute(pool)
                    .await
                    .map_err(db(Some(m.name)))?;
            }
            return self.fenced_write(pool, held, m, finish(elapsed())).await;
        }
        retry(|| async {
            let mut tx = pool.begin().await.map_err(db(Some(m.name)))?;
            for stmt in statements {
                sqlx::raw_sql(sqlx::AssertSqlSafe(*stmt))
                    .execute(&mut *tx)
                    .await
                    .map_err(db(Some(m.name)))?;
            }
            Self::fence(&mut tx, held, self.lease).await?;
            finish(elapsed()).execute(&mut tx, m).await?;
            tx.commit().await.map_err(db(Some(m.name)))
        })
        .await
    }

    /// A ledger write in its own fenced transaction.
    async fn fenced_write(
        &self,
        pool: &PgPool,
        held: &Held,
        m: &Migration,
        write: LedgerWrite,
    ) -> Result<(), MigrateError> {
        retry(|| async {
            let mut tx = pool.begin().await.map_err(db(Some(m.name)))?;
            Self::fence(&mut tx, held, self.lease).await?;
            write.execute(&mut tx, m).await?;
            tx.commit().await.map_err(db(Some(m.name)))
        })
        .await
    }
}

/// What the ledger records about a migration.
#[derive(Clone, Copy)]
enum LedgerWrite {
    /// Applied (or, with `dirty`, started outside a transaction), taking `ms` so far.
    Applied { ms: i64, dirty: bool },
    /// Its DOWN started outside a transaction.
    Dirty,
    /// Reverted.
    Forget,
}

impl LedgerWrite {
    async fn execute(
        self,
        conn: &mut sqlx::PgConnection,
        m: &Migration,
    ) -> Result<(), MigrateError> {
        let query = match self {
            LedgerWrite::Applied { ms, dirty } => sqlx::query(
                "INSERT INTO checked_query_migrations (name, version, checksum, started_at, duration_ms, dirty)
                 VALUES ($1, $2, $3, clock_timestamp() - $4 * interval '1 millisecond', $4, $5)
                 ON CONFLICT (name) DO UPDATE SET dirty = EXCLUDED.dirty, duration_ms = EXCLUDED.duration_ms, applied_at = clock_timestamp()",
            )
            .bind(m.name)
            .bind(version_of(m.name))
            .bind(m.checksum)
            .bind(ms)
            .bind(dirty),
            LedgerWrite::Dirty => {
                sqlx::query("UPDATE checked_query_migrations SET dirty = true WHERE name = $1").bind(m.name)
            }
            LedgerWrite::Forget => {
                sqlx::query("DELETE FROM checked_query_migrations WHERE name = $1").bind(m.name)
            }
        };
        query
            .execute(conn)
            .await
            .map(drop)
            .map_err(db(Some(m.name)))
    }
}

#[cfg(test)]
mod error_tests {
    use super::MigrateError;
    use std::error::Error;

    #[test]
    fn database_errors_chain_their_source() {
        let e = MigrateError::Database {
            migration: Some("002_x".into()),
            source: sqlx::Error::RowNotFound,
        };
        assert_eq!(
            e.source().unwrap().to_string(),
            sqlx::Error::RowNotFound.to_string()
        );
        assert!(MigrateError::LockLost.source().is_none());
    }
}
