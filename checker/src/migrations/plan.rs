//! Migrations ready to run: statements split by the checker (so the runtime never parses
//! SQL), a checksum for immutability, and whether they must run outside a transaction.

use sha2::{Digest, Sha256, Sha384};

use super::{Migration, Section};
use crate::diagnostic::Diagnostic;
use crate::statements::split_statements;

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedMigration {
    pub name: String,
    pub checksum: String,
    /// What sqlx's migrator records for this file in `_sqlx_migrations`, so a history that
    /// `sqlx::migrate!` applied can be taken over: see [`sqlx_checksums`].
    pub sqlx_checksums: Vec<String>,
    pub up: Vec<String>,
    pub down: Vec<String>,
    pub no_transaction: bool,
}

/// SHA-256 of a migration's files with line endings normalised, so a CRLF checkout does not
/// look like a modified migration.
pub fn checksum(m: &Migration) -> String {
    let mut hasher = Sha256::new();
    for f in &m.files {
        hasher.update(f.text.replace("\r\n", "\n").as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The checksums sqlx 0.7–0.9 may have recorded for a migration: SHA-384 (hex) of its UP file
/// (the `.up.sql` of a pair, else the file) exactly as read, and of the same text without the
/// characters sqlx's documentation suggests for `migrate.ignored-chars` (whitespace and the
/// byte order mark), for histories that configured it.
pub fn sqlx_checksums(m: &Migration) -> Vec<String> {
    let Some(up) = m.files.iter().find(|f| {
        !f.path
            .as_ref()
            .is_some_and(|p| p.to_string_lossy().ends_with(".down.sql"))
    }) else {
        return Vec::new();
    };
    let hex = |text: &str| -> String {
        Sha384::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let stripped: String = up
        .text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{feff}'))
        .collect();
    vec![hex(&up.text), hex(&stripped)]
}

fn statements(section: &Option<Section>) -> Result<Vec<String>, Diagnostic> {
    match section {
        Some(s) => Ok(split_statements(&s.file, s.range.clone())?
            .iter()
            .map(|f| f.text().to_string())
            .collect()),
        None => Ok(Vec::new()),
    }
}

/// Whether PostgreSQL refuses to run the migration inside a transaction block, or its file
/// asks not to (`-- checked-query: no-transaction`, sqlx's `-- no-transaction`, goose's
/// `-- +goose NO TRANSACTION`, sql-migrate's `notransaction`).
fn needs_no_transaction(m: &Migration, up: &[String]) -> bool {
    let marker = m.files.iter().any(|f| {
        f.text.lines().any(|l| {
            let l = l.trim().to_ascii_lowercase();
            l.starts_with("--")
                && (l.contains("checked-query: no-transaction")
                    || l == "-- no-transaction"
                    || l.contains("+goose no transaction")
                    || (l.contains("+migrate") && l.contains("notransaction")))
        })
    });
    marker
        || up.iter().any(|s| {
            let words: Vec<String> = s
                .split_whitespace()
                .take(4)
                .map(str::to_ascii_uppercase)
                .collect();
            let w: Vec<&str> = words.iter().map(String::as_str).collect();
            matches!(
                w.as_slice(),
                ["CREATE", "INDEX", "CONCURRENTLY", ..]
                    | ["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY"]
                    | ["DROP", "INDEX", "CONCURRENTLY", ..]
            )
        })
}

pub fn plan(migrations: &[Migration]) -> Result<Vec<PlannedMigration>, Diagnostic> {
    migrations
        .iter()
        .map(|m| {
            let up = statements(&m.up)?;
            let down = statements(&m.down)?;
            Ok(PlannedMigration {
                name: m.name.clone(),
                checksum: checksum(m),
                sqlx_checksums: sqlx_checksums(m),
                no_transaction: needs_no_transaction(m, &up),
                up,
                down,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrations::load_migrations;

    #[test]
    fn plans_split_statements_and_spot_concurrently() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/formats/sql-migrate/migrations");
        let loaded = load_migrations(&dir, "x");
        let p = plan(&loaded.migrations).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(
            p[0].up,
            ["CREATE TABLE items (id UUID PRIMARY KEY, name TEXT NOT NULL)"]
        );
        assert!(!p[0].no_transaction);
        assert!(p[1].no_transaction);
        assert_eq!(p[0].checksum.len(), 64);
        // sqlx's own checksum: SHA-384 of the file as read.
        let text = std::fs::read(dir.join(format!("{}.sql", p[0].name))).unwrap();
        let expected: String = Sha384::digest(&text)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(p[0].sqlx_checksums[0], expected);
    }
}
