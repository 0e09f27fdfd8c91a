//! The baseline: adopting checked-query on a service with history.
//!
//! **What**: `checked-query baseline` records the migrations that exist when a team adopts
//! checked-query in `migrations/baseline.lock`, one name per line (and locks their checksums).
//! The convention rules — naming, required columns, keys, FK indexes, missing DOWN, risky
//! changes, CockroachDB portability (`CQ05xx`, `CQ06xx`) — then apply only to later
//! migrations; what makes a history wrong whatever its age still applies to all of it:
//! SQL that does not build (`CQ00xx`–`CQ03xx`), another service's tables (`CQ04xx`) and a
//! modified migration (`migration-modified`). One exception: an error in the DOWN part of a
//! baselined migration is a warning. Real histories carry DOWN parts that never ran
//! (`ALTER TABLE t DELETE COLUMN c`, a `.down.sql` with no `.up.sql`); PostgreSQL fails them
//! too, so the warning stays, but they do not change the schema queries are checked against,
//! and an error there would fail every query of the service for a file nobody runs.
//! **Why**: history written before adoption does not follow the conventions, and it is
//! immutable: without a baseline every query of such a service fails the lint gate.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::migrations::{Migration, ServiceMigrations};

pub const FILE_NAME: &str = "baseline.lock";

pub fn path(migrations_dir: &Path) -> PathBuf {
    migrations_dir.join(FILE_NAME)
}

/// The baselined migration names (empty when there is no baseline); `#` starts a comment.
pub fn read(migrations_dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(path(migrations_dir))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Records every migration of the service as predating adoption. A baseline is set once:
/// an existing one is kept unless `force`. Returns how many migrations it names.
pub fn write(service: &ServiceMigrations, force: bool) -> std::io::Result<Result<usize, usize>> {
    let existing = read(&service.dir);
    if !existing.is_empty() && !force {
        return Ok(Err(existing.len()));
    }
    let mut text = String::from(
        "# Migrations that predate checked-query (checked-query baseline): the convention\n\
         # lints apply only to later ones. Build errors, ownership and immutability apply to all.\n",
    );
    for m in &service.migrations {
        text.push_str(&m.name);
        text.push('\n');
    }
    crate::files::write_replacing(&path(&service.dir), &text)?;
    Ok(Ok(service.migrations.len()))
}

/// Whether a rule is a convention the baseline exempts history from.
pub fn is_convention(code: Code) -> bool {
    let n = code.as_str();
    (n.starts_with("CQ05") || n.starts_with("CQ06")) && code != Code::MigrationModified
}

/// Drops the convention diagnostics that point into baselined migrations, and makes the
/// errors in their DOWN parts warnings.
pub fn apply(diagnostics: Vec<Diagnostic>, service: &ServiceMigrations) -> Vec<Diagnostic> {
    let names = read(&service.dir);
    if names.is_empty() {
        return diagnostics;
    }
    let baselined: Vec<&Migration> = service
        .migrations
        .iter()
        .filter(|m| names.contains(&m.name))
        .collect();
    let files: BTreeSet<String> = baselined
        .iter()
        .flat_map(|m| m.files.iter().filter_map(|f| f.display_path()))
        .collect();
    let down_of = |d: &Diagnostic| {
        baselined.iter().find(|m| {
            m.down.as_ref().is_some_and(|down| {
                d.file == down.file.display_path()
                    && (down.range.contains(&d.start) || down.range.start == d.start)
            })
        })
    };
    diagnostics
        .into_iter()
        .filter(|d| !(is_convention(d.code) && d.file.as_ref().is_some_and(|f| files.contains(f))))
        .map(|mut d| {
            if d.is_error() {
                if let Some(m) = down_of(&d) {
                    d.severity = Severity::Warning;
                    let why = format!(
                        "`{}` predates the baseline, so its DOWN part fails no build; \
                         PostgreSQL fails it too: reverting past `{}` fails until it is fixed",
                        m.name, m.name
                    );
                    d.help = Some(match d.help.take() {
                        Some(h) => format!("{h}; {why}"),
                        None => why,
                    });
                }
            }
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions_are_the_policy_and_lint_codes_but_immutability() {
        assert!(is_convention(Code::TableNaming));
        assert!(is_convention(Code::MissingDown));
        assert!(is_convention(Code::CrdbDivergence));
        assert!(!is_convention(Code::MigrationModified));
        assert!(!is_convention(Code::UnknownTable));
        assert!(!is_convention(Code::CrossServiceReference));
        assert!(!is_convention(Code::SyntaxError));
    }
}
