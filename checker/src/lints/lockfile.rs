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

/// `name sha256` per line; `#` comments. No file is no lock; a file that cannot be read
/// (a directory, bad permissions) or a line of another shape is an error at that line: a
/// lock that does not read must not pass as an empty one.
pub fn read(migrations_dir: &Path) -> Result<BTreeMap<String, String>, Diagnostic> {
    let p = path(migrations_dir);
    let text = match std::fs::read_to_string(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => {
            return Err(Diagnostic::new(Code::Io, format!("cannot read `{}`: {e}", p.display()))
                .in_file(&p)
                .with_help("checksums.lock is a text file `checked-query lock` writes; remove what is there and run `checked-query lock`"))
        }
    };
    let file = crate::source::SourceFile::new(Some(p.clone()), text.clone());
    let mut out = BTreeMap::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let range = start..start + line.trim_end().len();
        start += line.len();
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let entry = l.split_once(' ').map(|(n, c)| (n.trim(), c.trim()));
        match entry {
            Some((n, c)) if !n.is_empty() && c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()) => {
                out.insert(n.to_string(), c.to_string());
            }
            _ => {
                return Err(Diagnostic::new(
                    Code::MigrationModified,
                    "this line of checksums.lock is not `migration-name sha256`",
                )
                .at(&file, range)
                .with_help("the lock was edited by hand: restore it from version control, or rewrite it with `checked-query lock --force` if every migration is as committed"))
            }
        }
    }
    Ok(out)
}

/// Adds the migrations not yet locked (all of them, rewritten, with `force`); returns the
/// names added.
pub fn lock(service: &ServiceMigrations, force: bool) -> std::io::Result<Vec<String>> {
    let target = path(&service.dir);
    // Never through a link: it could name any file.
    if std::fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(std::io::Error::other(format!(
            "`{}` is a symbolic link; refusing to write through it (replace it with a regular file)",
            target.display()
        )));
    }
    let mut entries = if force {
        BTreeMap::new()
    } else {
        read(&service.dir).map_err(|d| std::io::Error::other(d.message))?
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
    crate::files::write_replacing(&path(&service.dir), &text)?;
    Ok(added)
}

pub fn check(service: &ServiceMigrations) -> Vec<Diagnostic> {
    let locked = match read(&service.dir) {
        Ok(l) => l,
        Err(d) => return vec![d],
    };
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

#[cfg(test)]
mod tests {
    /// A lock that does not read is an error, never an empty lock.
    #[test]
    fn unreadable_or_garbled_locks_are_errors() {
        let dir = std::env::temp_dir().join(format!("cq-lock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        assert!(super::read(&dir).unwrap().is_empty(), "no file, no lock");
        let hash = "a".repeat(64);
        std::fs::write(super::path(&dir), format!("# c\n001_x {hash}\n")).unwrap();
        assert_eq!(super::read(&dir).unwrap().len(), 1);
        std::fs::write(
            super::path(&dir),
            format!("001_x {hash}\nnot a lock line\n"),
        )
        .unwrap();
        let d = super::read(&dir).unwrap_err();
        assert_eq!((d.code.as_str(), d.line), ("CQ0603", 2));
        std::fs::remove_file(super::path(&dir)).unwrap();
        std::fs::create_dir(super::path(&dir)).unwrap();
        assert_eq!(super::read(&dir).unwrap_err().code.as_str(), "CQ0003");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
