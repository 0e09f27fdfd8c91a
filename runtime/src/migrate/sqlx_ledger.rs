//! Taking over the ledger of `sqlx::migrate!`, so a service switches migrators in one step
//! and nothing runs twice.
//!
//! sqlx records each applied migration in `_sqlx_migrations` (`version`, `description`,
//! `installed_on`, `success`, `checksum` = SHA-384 of the UP file, `execution_time` in
//! nanoseconds). While `checked_query_migrations` is empty, that ledger is what is applied:
//! each of its rows must name a migration of this service by version (the file name's number)
//! with the checksum sqlx would compute for the file now, and must have succeeded. Under the
//! migration lock, the first `up` or `down` copies those rows into `checked_query_migrations`
//! in one fenced transaction; from then on that ledger alone counts. `_sqlx_migrations` is
//! left as it was, so going back to sqlx stays possible until you drop it.

use sqlx::{PgPool, Row};

use super::{db, MigrateError, Migration};

/// A migration sqlx applied, matched to this service's file.
pub(super) struct Adopted {
    pub migration: &'static Migration,
    /// sqlx's version number, the key of its row.
    pub version: i64,
}

/// The table `sqlx::migrate!` writes unless `sqlx.toml` renames it (`migrate.table-name`).
pub(super) const DEFAULT_TABLE: &str = "_sqlx_migrations";

/// `schema.table` or `table`.
fn parts(table: &str) -> (Option<&str>, &str) {
    match table.rsplit_once('.') {
        Some((schema, name)) => (Some(schema), name),
        None => (None, table),
    }
}

/// `"schema"."table"` or `"table"`: the name is the user's configuration, quoted so it can
/// only ever be an identifier.
pub(super) fn quoted(table: &str) -> String {
    let ident = |part: &str| format!("\"{}\"", part.replace('"', "\"\""));
    match parts(table) {
        (Some(schema), name) => format!("{}.{}", ident(schema), ident(name)),
        (None, name) => ident(name),
    }
}

/// sqlx's number for a migration file: the digits before the first `_`.
fn sqlx_version(m: &Migration) -> Option<i64> {
    m.name.split('_').next()?.parse().ok()
}

/// The migrations sqlx's ledger records as applied, validated against this service's
/// files; empty when there is no such ledger.
pub(super) async fn read(
    pool: &PgPool,
    table: &str,
    migrations: &'static [Migration],
) -> Result<Vec<Adopted>, MigrateError> {
    let (schema, name) = parts(table);
    let exists: bool = sqlx::query(
        "SELECT EXISTS (SELECT 1 FROM information_schema.tables
         WHERE table_schema = coalesce($1, current_schema()) AND table_name = $2)",
    )
    .bind(schema)
    .bind(name)
    .fetch_one(pool)
    .await
    .map_err(db(None))?
    .get(0);
    if !exists {
        return Ok(Vec::new());
    }
    let rows = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        // The table name is quoted as an identifier (see `quoted`).
        "SELECT version, description, success, checksum FROM {} ORDER BY version",
        quoted(table)
    )))
    .fetch_all(pool)
    .await
    .map_err(db(None))?;
    let mut adopted = Vec::with_capacity(rows.len());
    for row in rows {
        let version: i64 = row.try_get(0).map_err(db(None))?;
        let description: String = row.try_get(1).map_err(db(None))?;
        let success: bool = row.try_get(2).map_err(db(None))?;
        let checksum: Vec<u8> = row.try_get(3).map_err(db(None))?;
        if !success {
            return Err(MigrateError::SqlxFailed {
                table: table.to_string(),
                version,
                description,
            });
        }
        let Some(migration) = migrations.iter().find(|m| sqlx_version(m) == Some(version)) else {
            return Err(MigrateError::Unknown(format!(
                "{version} ({description}, recorded in {table})"
            )));
        };
        let applied: String = checksum.iter().map(|b| format!("{b:02x}")).collect();
        if !migration.sqlx_checksums.contains(&applied.as_str()) {
            return Err(MigrateError::Modified {
                migration: migration.name.to_string(),
                applied,
                current: migration
                    .sqlx_checksums
                    .first()
                    .copied()
                    .unwrap_or_default()
                    .to_string(),
            });
        }
        adopted.push(Adopted { migration, version });
    }
    Ok(adopted)
}

/// Copies the adopted rows into `checked_query_migrations` (inside the caller's fenced
/// transaction), keeping sqlx's install time and duration.
pub(super) async fn record(
    conn: &mut sqlx::PgConnection,
    table: &str,
    adopted: &[Adopted],
) -> Result<(), MigrateError> {
    for a in adopted {
        let m = a.migration;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            // The table name is quoted as an identifier (see `quoted`).
            "INSERT INTO checked_query_migrations (name, version, checksum, started_at, applied_at, duration_ms, dirty)
             SELECT $1, $2, $3, installed_on, installed_on, execution_time / 1000000, false
             FROM {} WHERE version = $4",
            quoted(table)
        )))
        .bind(m.name)
        .bind(super::version_of(m.name))
        .bind(m.checksum)
        .bind(a.version)
        .execute(&mut *conn)
        .await
        .map_err(db(Some(m.name)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn table_names_are_quoted_identifiers() {
        assert_eq!(quoted("_sqlx_migrations"), "\"_sqlx_migrations\"");
        assert_eq!(quoted("ops.migrations"), "\"ops\".\"migrations\"");
        assert_eq!(
            quoted("a\"; DROP TABLE x; --"),
            "\"a\"\"; DROP TABLE x; --\""
        );
    }
}
