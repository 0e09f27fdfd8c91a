//! Finding a service's migration files, ordering them, and cutting them into sections.
//!
//! Layout: `<root>/services/{name}/migrations/`. Files are `NNN_description.sql` with Up/Down
//! markers (see [`sections`]) or sqlx-style pairs `NNN_description.up.sql` +
//! `NNN_description.down.sql`. Order is numeric (`2_` before `10_`); the seed's
//! `YYYYMMDD_NNN_description.sql` orders by (date, number).

mod plan;
pub mod sections;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;

pub use plan::{checksum, plan, PlannedMigration};
pub use sections::Direction;

/// A section (UP or DOWN) of a migration: a byte range of one file.
#[derive(Debug, Clone)]
pub struct Section {
    pub file: Arc<SourceFile>,
    pub range: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Migration {
    /// Numeric ordering key: `[7]` for `007_x.sql`, `[20240131, 2]` for `20240131_002_x.sql`.
    pub version: Vec<u64>,
    /// The file name without `.sql` / `.up.sql` (e.g. `001_create_users`).
    pub name: String,
    pub up: Option<Section>,
    pub down: Option<Section>,
    /// The files this migration was read from (two for sqlx-style pairs).
    pub files: Vec<Arc<SourceFile>>,
}

/// The migrations of one service, in apply order, with what went wrong reading them.
#[derive(Debug, Clone)]
pub struct ServiceMigrations {
    pub service: String,
    pub dir: PathBuf,
    pub migrations: Vec<Migration>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses the version prefix of a migration file stem.
pub fn parse_version(stem: &str) -> Option<Vec<u64>> {
    // Flyway's and refinery's `V<version>__<name>` (`V2__users`, `V1.1__fix`).
    if let Some((version, _)) = stem.strip_prefix('V').and_then(|r| r.split_once("__")) {
        return version
            .split('.')
            .map(|p| {
                (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| p.parse().ok())
                    .flatten()
            })
            .collect();
    }
    let mut parts = stem.split('_');
    let first = parts.next()?;
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut version = vec![first.parse().ok()?];
    // `YYYYMMDD_NNN_…`: a date followed by a sequence number.
    if first.len() == 8 {
        if let Some(second) = parts
            .next()
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            version.push(second.parse().ok()?);
        }
    }
    Some(version)
}

enum FileKind {
    Combined,
    Up,
    Down,
}

fn classify(file_name: &str) -> Option<(String, FileKind)> {
    if let Some(stem) = file_name.strip_suffix(".up.sql") {
        Some((stem.to_string(), FileKind::Up))
    } else if let Some(stem) = file_name.strip_suffix(".down.sql") {
        Some((stem.to_string(), FileKind::Down))
    } else {
        file_name
            .strip_suffix(".sql")
            .map(|s| (s.to_string(), FileKind::Combined))
    }
}

/// Reads every migration in `dir` (which belongs to `service`).
pub fn load_migrations(dir: &Path, service: &str) -> ServiceMigrations {
    let mut out = ServiceMigrations {
        service: service.to_string(),
        dir: dir.to_path_buf(),
        migrations: Vec::new(),
        diagnostics: Vec::new(),
    };
    let shown = dir.to_path_buf();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::MigrationsDirMissing,
                    format!(
                        "cannot read migrations directory `{}`: {e}",
                        shown.display()
                    ),
                )
                .in_file(&shown)
                .with_help(
                    "pass the service's `migrations/` directory, e.g. `services/users/migrations`",
                ),
            );
            return out;
        }
    };
    // Every entry named like a migration, whatever it is: a directory or a link that cannot
    // be read as one is an error, never skipped (see `crate::files`). The listing gives each
    // entry's type: a plain file needs no `stat`.
    let mut names: Vec<(String, Option<std::fs::FileType>)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let kind = e.file_type().ok();
            e.file_name().into_string().ok().map(|n| (n, kind))
        })
        .filter(|(n, _)| classify(n).is_some())
        .collect();
    names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let repository = crate::files::repository_root(dir);
    // Each entry classified and read, on two threads for a long history: reading 200 files
    // (the kernel's time, mostly) was a tenth of the first expansion in a compiler process.
    let read = crate::parallel::in_halves(names.len(), 32, "checked-query-load", |range| {
        (names[range].iter())
            .map(|(file_name, kind)| {
                let path = dir.join(file_name);
                let entry = match kind {
                    Some(k) if k.is_file() => crate::files::Entry::File(path.clone()),
                    _ => crate::files::migration_entry(&path, &repository),
                };
                let read = match entry {
                    crate::files::Entry::File(p) => Ok(std::fs::read(p)),
                    crate::files::Entry::Refused(why) => Err(why),
                };
                (path, read)
            })
            .collect()
    });

    let mut by_stem: BTreeMap<String, Migration> = BTreeMap::new();
    for ((file_name, _), (path, read)) in names.iter().zip(read) {
        let Some((stem, kind)) = classify(file_name) else {
            continue;
        };
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(why) => {
                out.diagnostics.push(
                    Diagnostic::new(Code::Io, format!("cannot read migration `{file_name}`: {why}"))
                        .in_file(&path)
                        .with_help("a migration is a UTF-8 text file in the migrations directory, or a link to one inside the repository"),
                );
                continue;
            }
        };
        let text = match bytes.map(String::from_utf8) {
            Ok(Ok(t)) => t,
            // Located at the first offending byte: the text before it is what it is.
            Ok(Err(e)) => {
                let at = e.utf8_error().valid_up_to();
                let byte = e.as_bytes()[at];
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let file = SourceFile::new(Some(path.clone()), lossy);
                out.diagnostics.push(
                    Diagnostic::new(
                        Code::Io,
                        format!("invalid byte sequence for encoding \"UTF8\": 0x{byte:02x}"),
                    )
                    .at(&file, at..at + char::REPLACEMENT_CHARACTER.len_utf8())
                    .with_sqlstate("22021")
                    .with_help(
                        "save the migration as UTF-8 (PostgreSQL would refuse these bytes too)",
                    ),
                );
                continue;
            }
            Err(e) => {
                out.diagnostics.push(
                    Diagnostic::new(Code::Io, format!("cannot read `{}`: {e}", path.display()))
                        .in_file(&path)
                        .with_help("migrations must be readable UTF-8 text files"),
                );
                continue;
            }
        };
        let file = SourceFile::new(Some(path.clone()), text);
        if let Some(at) = file.text.find('\0') {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::Io,
                    "invalid byte sequence for encoding \"UTF8\": 0x00",
                )
                .at(&file, at..at + 1)
                .with_sqlstate("22021")
                .with_help("remove the NUL byte: PostgreSQL refuses it in SQL text"),
            );
            continue;
        }
        if file.text.starts_with('\u{feff}') {
            out.diagnostics.push(
                Diagnostic::new(Code::SyntaxError, "the file starts with a byte order mark (U+FEFF)")
                    .at(&file, 0..'\u{feff}'.len_utf8())
                    .with_help("save the migration as UTF-8 without BOM: PostgreSQL reads the mark as part of the first word and rejects the statement"),
            );
            continue;
        }
        let Some(version) = parse_version(&stem) else {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::MigrationFileName,
                    format!("migration file `{file_name}` has no numeric prefix"),
                )
                .at(&file, 0..0)
                .with_help("name migrations `NNN_description.sql` (e.g. `002_add_email_index.sql`, or sqlx's `<timestamp>_x.sql`, Flyway's `V2__x.sql`), numbered in apply order"),
            );
            continue;
        };
        let m = by_stem.entry(stem.clone()).or_insert_with(|| Migration {
            version,
            name: stem.clone(),
            up: None,
            down: None,
            files: Vec::new(),
        });
        m.files.push(file.clone());
        let whole = Section {
            file: file.clone(),
            range: 0..file.text.len(),
        };
        match kind {
            FileKind::Up => m.up = Some(whole),
            FileKind::Down => m.down = Some(whole),
            FileKind::Combined => {
                let (s, diagnostics) = sections::split_sections(&file);
                out.diagnostics.extend(diagnostics);
                m.up = s.up.map(|range| Section {
                    file: file.clone(),
                    range,
                });
                m.down = s.down.map(|range| Section {
                    file: file.clone(),
                    range,
                });
            }
        }
    }
    for m in by_stem.values() {
        if m.up.is_none()
            && m.down.is_some()
            && m.files.len() == 1
            && m.files[0]
                .path
                .as_ref()
                .is_some_and(|p| p.to_string_lossy().ends_with(".down.sql"))
        {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::MigrationFileName,
                    format!("`{}.down.sql` has no matching `{}.up.sql`", m.name, m.name),
                )
                .at(&m.files[0], 0..0)
                .with_help("add the `.up.sql` file, or rename this one"),
            );
        }
    }
    out.migrations = by_stem.into_values().collect();
    out.migrations
        .sort_by(|a, b| a.version.cmp(&b.version).then_with(|| a.name.cmp(&b.name)));
    out
}

/// The services beside the one that owns `migrations_dir`: given `.../services/users/migrations`,
/// every `.../services/*/migrations` directory, as (service name, migrations dir), sorted by
/// name. The service itself is included.
pub fn discover_services(migrations_dir: &Path) -> Vec<(String, PathBuf)> {
    let Some(service_dir) = migrations_dir.parent() else {
        return Vec::new();
    };
    let own = service_name(migrations_dir);
    let mut services = vec![(own.clone(), migrations_dir.to_path_buf())];
    if let Some(root) = service_dir.parent() {
        if let Ok(entries) = std::fs::read_dir(root) {
            for e in entries.flatten() {
                let dir = e.path().join("migrations");
                let name = e.file_name().to_string_lossy().to_string();
                if name != own && dir.is_dir() {
                    services.push((name, dir));
                }
            }
        }
    }
    services.sort_by(|a, b| a.0.cmp(&b.0));
    services
}

/// The service a migrations directory belongs to: the name of its parent directory.
pub fn service_name(migrations_dir: &Path) -> String {
    let abs =
        std::fs::canonicalize(migrations_dir).unwrap_or_else(|_| migrations_dir.to_path_buf());
    abs.parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "service".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn odd_entries_are_located_errors_and_links_inside_are_read() {
        // Alone, and among enough plain files that the directory is read on two threads.
        for extra in [0, 40] {
            let root = std::env::temp_dir().join(format!("cq-odd-{extra}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            let dir = root.join("svc/migrations");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::create_dir_all(root.join(".git")).unwrap();
            std::fs::write(root.join("kept.sql"), "CREATE TABLE a (id int);").unwrap();
            std::os::unix::fs::symlink(root.join("kept.sql"), dir.join("001_linked.sql")).unwrap();
            std::fs::create_dir(dir.join("002_folder.sql")).unwrap();
            std::fs::write(dir.join("003_nul.sql"), "SELECT 1;\nSELECT\0 2;").unwrap();
            std::os::unix::fs::symlink("/etc/passwd", dir.join("004_outside.sql")).unwrap();
            let plain: Vec<String> = (100..100 + extra).map(|k| format!("{k}_plain")).collect();
            for (k, name) in plain.iter().enumerate() {
                std::fs::write(
                    dir.join(format!("{name}.sql")),
                    format!("CREATE TABLE p{k} (id int);"),
                )
                .unwrap();
            }
            let loaded = load_migrations(&dir, "svc");
            let names: Vec<&str> = loaded.migrations.iter().map(|m| m.name.as_str()).collect();
            let expected: Vec<&str> = std::iter::once("001_linked")
                .chain(plain.iter().map(String::as_str))
                .collect();
            assert_eq!(names, expected);
            assert!(loaded.migrations[0].files[0]
                .text
                .contains("CREATE TABLE a"));
            assert!(loaded
                .migrations
                .iter()
                .skip(1)
                .enumerate()
                .all(|(k, m)| m.files[0].text.contains(&format!("p{k} "))));
            let messages: Vec<String> = loaded
                .diagnostics
                .iter()
                .map(|d| d.message.clone())
                .collect();
            assert_eq!(messages.len(), 3, "{messages:?}");
            assert!(
                messages[0].contains("`002_folder.sql`: it is a directory"),
                "{messages:?}"
            );
            assert!(messages[1].contains("0x00"), "{messages:?}");
            assert_eq!(
                (loaded.diagnostics[1].line, loaded.diagnostics[1].column),
                (2, 7)
            );
            assert!(
                messages[2].contains("outside the repository"),
                "{messages:?}"
            );
            let _ = std::fs::remove_dir_all(&root);
        }
    }

    #[test]
    fn versions_order_numerically() {
        assert_eq!(parse_version("001_create_users"), Some(vec![1]));
        assert_eq!(parse_version("10_x"), Some(vec![10]));
        assert_eq!(parse_version("20240131_002_add"), Some(vec![20240131, 2]));
        assert_eq!(
            parse_version("20240131120000_add"),
            Some(vec![20240131120000])
        );
        assert_eq!(parse_version("create_users"), None);
        // Flyway / refinery.
        assert_eq!(parse_version("V2__users"), Some(vec![2]));
        assert_eq!(parse_version("V1.10__fix"), Some(vec![1, 10]));
        assert!(parse_version("V2__a") < parse_version("V10__a"));
        assert_eq!(parse_version("V__x"), None);
        assert_eq!(parse_version("Vx__x"), None);
        assert!(parse_version("2_a") < parse_version("10_a"));
    }
}
