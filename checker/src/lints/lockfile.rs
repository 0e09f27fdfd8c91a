//! `migration-modified` [error] and the lockfile behind it.
//!
//! **What**: a migration whose content differs from its checksum in
//! `migrations/checksums.lock` (`checked-query lock` writes it: one line per migration, the
//! SHA-256 of its content with line endings normalised).
//! **Why**: committed migrations are immutable; a changed one no longer describes what ran.
//! **Instead**: revert the file and add a new migration. A migration not yet locked is new
//! work and fine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::migrations::{checksum, ServiceMigrations};

pub const FILE_NAME: &str = "checksums.lock";

pub fn path(migrations_dir: &Path) -> PathBuf {
    migrations_dir.join(FILE_NAME)
}

/// `name sha256` per line; `#` comments.
pub fn read(migrations_dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(path(migrations_dir))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            l.split_once(' ')
                .map(|(n, c)| (n.trim().to_string(), c.trim().to_string()))
        })
        .collect()
}

/// Adds the migrations not yet locked (all of them, rewritten, with `force`); returns the
/// names added.
pub fn lock(service: &ServiceMigrations, force: bool) -> std::io::Result<Vec<String>> {
    let mut entries = if force {
        BTreeMap::new()
    } else {
        read(&service.dir)
    };
    let mut added = Vec::new();
    for m in &service.migrations {
        if !entries.contains_key(&m.name) {
            entries.insert(m.name.clone(), checksum(m));
            added.push(m.name.clone());
        }
    }
    let mut text =
        String::from("# Checksums of committed migrations (checked-query lock). Do not edit.\n");
    for m in &service.migrations {
        if let Some(c) = entries.get(&m.name) {
            text.push_str(&format!("{} {c}\n", m.name));
        }
    }
    std::fs::write(path(&service.dir), text)?;
    Ok(added)
}

pub fn check(service: &ServiceMigrations) -> Vec<Diagnostic> {
    let locked = read(&service.dir);
    service
        .migrations
        .iter()
        .filter_map(|m| {
            let expected = locked.get(&m.name)?;
            let actual = checksum(m);
            (*expected != actual).then(|| {
                Diagnostic::new(Code::MigrationModified, format!("migration `{}` was modified after it was locked", m.name))
                    .at(&m.files[0], 0..0)
                    .with_help("committed migrations are immutable: revert this file and put the change in a new migration (`checked-query lock --force` only if the change is intended)")
            })
        })
        .collect()
}
