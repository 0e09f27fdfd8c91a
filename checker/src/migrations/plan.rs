//! Migrations ready to run: statements split by the checker (so the runtime never parses
//! SQL), a checksum for immutability, and whether they must run outside a transaction.

use sha2::{Digest, Sha256};

use super::{Migration, Section};
use crate::diagnostic::Diagnostic;
use crate::statements::split_statements;

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedMigration {
    pub name: String,
    pub checksum: String,
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
    }
}
