//! Running a service's migrations. [`migrate!`](crate::migrate) embeds them at compile time,
//! already split into statements by the checker (this crate never parses SQL); the
//! [`Migrator`] applies UP sections in order and DOWN sections in reverse, recording each in a
//! ledger table, `checked_query_migrations`.
//!
//! Each migration and its ledger row commit in one transaction, except one that cannot run
//! inside a transaction (`CREATE/DROP INDEX CONCURRENTLY`, or a `-- checked-query:
//! no-transaction` marker): its statements run one by one outside a transaction, and its
//! ledger row is written after the last one succeeds.

use std::time::Instant;

use sqlx::{Acquire, PgPool, Row};

/// One migration as embedded by `migrate!`.
#[derive(Debug)]
pub struct Migration {
    /// The file name without `.sql` (e.g. `001_create_users`).
    pub name: &'static str,
    /// SHA-256 of the file(s), line endings normalised.
    pub checksum: &'static str,
    /// UP statements in order.
    pub up: &'static [&'static str],
    /// DOWN statements in order.
    pub down: &'static [&'static str],
    /// Must run outside a transaction.
    pub no_transaction: bool,
}

/// The migrations of one service.
#[derive(Debug)]
pub struct Migrator {
    migrations: &'static [Migration],
}

/// Whether a migration has been applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// The migration's name.
    pub name: String,
    /// Applied to this database.
    pub applied: bool,
}

/// What can go wrong running migrations.
#[derive(Debug)]
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
        }
    }
}

impl std::error::Error for MigrateError {}

const LEDGER: &str = "CREATE TABLE IF NOT EXISTS checked_query_migrations (
    name TEXT PRIMARY KEY,
    checksum TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    duration_ms BIGINT NOT NULL
)";

fn db(migration: Option<&str>) -> impl FnOnce(sqlx::Error) -> MigrateError + '_ {
    move |source| MigrateError::Database {
        migration: migration.map(str::to_string),
        source,
    }
}

impl Migrator {
    #[doc(hidden)]
    pub const fn __new(migrations: &'static [Migration]) -> Self {
        Migrator { migrations }
    }

    /// The embedded migrations, in apply order.
    pub fn migrations(&self) -> &'static [Migration] {
        self.migrations
    }

    async fn applied(&self, pool: &PgPool) -> Result<Vec<(String, String)>, MigrateError> {
        sqlx::raw_sql(LEDGER)
            .execute(pool)
            .await
            .map_err(db(None))?;
        let rows = sqlx::query("SELECT name, checksum FROM checked_query_migrations ORDER BY name")
            .fetch_all(pool)
            .await
            .map_err(db(None))?;
        let applied: Vec<(String, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        for (name, checksum) in &applied {
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
        Ok(applied)
    }

    /// Which migrations are applied.
    pub async fn status(&self, pool: &PgPool) -> Result<Vec<MigrationStatus>, MigrateError> {
        let applied = self.applied(pool).await?;
        Ok(self
            .migrations
            .iter()
            .map(|m| MigrationStatus {
                name: m.name.to_string(),
                applied: applied.iter().any(|(n, _)| n == m.name),
            })
            .collect())
    }

    /// Applies every pending migration; returns how many ran.
    pub async fn up(&self, pool: &PgPool) -> Result<usize, MigrateError> {
        let applied = self.applied(pool).await?;
        let mut ran = 0;
        for m in self
            .migrations
            .iter()
            .filter(|m| !applied.iter().any(|(n, _)| n == m.name))
        {
            let started = Instant::now();
            let record = "INSERT INTO checked_query_migrations (name, checksum, duration_ms) VALUES ($1, $2, $3)";
            if m.no_transaction {
                for stmt in m.up {
                    sqlx::raw_sql(stmt)
                        .execute(pool)
                        .await
                        .map_err(db(Some(m.name)))?;
                }
                sqlx::query(record)
                    .bind(m.name)
                    .bind(m.checksum)
                    .bind(started.elapsed().as_millis() as i64)
                    .execute(pool)
                    .await
                    .map_err(db(Some(m.name)))?;
            } else {
                let mut conn = pool.acquire().await.map_err(db(Some(m.name)))?;
                let mut tx = conn.begin().await.map_err(db(Some(m.name)))?;
                for stmt in m.up {
                    sqlx::raw_sql(stmt)
                        .execute(&mut *tx)
                        .await
                        .map_err(db(Some(m.name)))?;
                }
                sqlx::query(record)
                    .bind(m.name)
                    .bind(m.checksum)
                    .bind(started.elapsed().as_millis() as i64)
                    .execute(&mut *tx)
                    .await
                    .map_err(db(Some(m.name)))?;
                tx.commit().await.map_err(db(Some(m.name)))?;
            }
            ran += 1;
        }
        Ok(ran)
    }

    /// Reverts the last `steps` applied migrations, newest first; returns how many ran.
    pub async fn down(&self, pool: &PgPool, steps: usize) -> Result<usize, MigrateError> {
        let applied = self.applied(pool).await?;
        let mut ran = 0;
        for m in self
            .migrations
            .iter()
            .rev()
            .filter(|m| applied.iter().any(|(n, _)| n == m.name))
            .take(steps)
        {
            let forget = "DELETE FROM checked_query_migrations WHERE name = $1";
            if m.no_transaction {
                for stmt in m.down {
                    sqlx::raw_sql(stmt)
                        .execute(pool)
                        .await
                        .map_err(db(Some(m.name)))?;
                }
                sqlx::query(forget)
                    .bind(m.name)
                    .execute(pool)
                    .await
                    .map_err(db(Some(m.name)))?;
            } else {
                let mut tx = pool.begin().await.map_err(db(Some(m.name)))?;
                for stmt in m.down {
                    sqlx::raw_sql(stmt)
                        .execute(&mut *tx)
                        .await
                        .map_err(db(Some(m.name)))?;
                }
                sqlx::query(forget)
                    .bind(m.name)
                    .execute(&mut *tx)
                    .await
                    .map_err(db(Some(m.name)))?;
                tx.commit().await.map_err(db(Some(m.name)))?;
            }
            ran += 1;
        }
        Ok(ran)
    }
}
