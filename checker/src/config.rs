//! The one configuration format and its one loader: `checked-query.toml` (found by walking
//! up from a path), or `[package.metadata.checked-query]` in a crate's `Cargo.toml`, with the
//! same keys.
//!
//! ```toml
//! services-root = "services"          # where `{name}/migrations/` live
//! service = "users"                    # this crate's / directory's service
//! migrations = "services/users/migrations"
//! targets = ["postgres", "cockroachdb"]
//! external = ["db/external.sql"]       # what the migrations use but another tool creates
//! ```
//! Relative paths are relative to the file that holds them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::rules::Rule;
use crate::source::SourceFile;

pub const FILE_NAME: &str = "checked-query.toml";

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub services_root: Option<PathBuf>,
    pub service: Option<String>,
    pub migrations: Option<PathBuf>,
    pub targets: Option<Vec<String>>,
    /// Rust types for PostgreSQL enums, by enum name: `order_status = "crate::OrderStatus"`
    /// (a `#[derive(sqlx::Type)]` enum). Enums not listed are read and bound as text.
    pub enums: Option<std::collections::BTreeMap<String, String>>,
    /// Rust types for composite types, by type name: `header_pair = "crate::HeaderPair"` (a
    /// `#[derive(sqlx::Type)]` struct). Composite values without one have no Rust mapping.
    pub types: Option<std::collections::BTreeMap<String, String>>,
    /// Rules not to report: CockroachDB rule ids (`serial`, `int-width`, …) and lint names.
    pub allow: Option<Vec<String>>,
    /// Severity per rule name: `"error"` or `"warning"`.
    pub severity: Option<std::collections::BTreeMap<String, String>>,
    /// SQL files that create what the migrations use but do not create themselves: another
    /// tool's schema (a job queue's `durable.create_queue`), objects a DBA made. Applied
    /// before the first migration to build the catalog; never run by the migrator, never
    /// linted.
    pub external: Option<Vec<PathBuf>>,
    /// What `DO` blocks the checker cannot interpret do to the schema, declared without
    /// editing committed migrations: `"file.sql:LINE"` (the line the `DO` starts on) = the
    /// DDL it runs, `""` for none.
    pub effects: Option<std::collections::BTreeMap<String, String>>,
}

/// `"file.sql:LINE"`, the key of an `[effects]` entry: the migration's file name and the
/// line its `DO` starts on.
pub fn effect_key(key: &str) -> Option<(&str, usize)> {
    let (file, line) = key.rsplit_once(':')?;
    let line: usize = line.parse().ok().filter(|l| *l > 0)?;
    (!file.is_empty() && !file.contains('/')).then_some((file, line))
}

/// A configuration and the directory its relative paths start from.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub file: PathBuf,
    pub base: PathBuf,
    pub config: Config,
}

impl Config {
    /// The Rust types the configuration names for user-defined PostgreSQL types: `enums`
    /// and `types` in one map by type name.
    pub fn rust_types(&self) -> std::collections::BTreeMap<String, String> {
        let mut out = self.enums.clone().unwrap_or_default();
        out.extend(self.types.clone().unwrap_or_default());
        out
    }
}

impl Loaded {
    /// The migrations directory the configuration names, directly or as
    /// `services-root/service/migrations`.
    pub fn migrations_dir(&self) -> Option<PathBuf> {
        if let Some(m) = &self.config.migrations {
            return Some(self.base.join(m));
        }
        let root = self.config.services_root.as_ref()?;
        let service = self.config.service.as_ref()?;
        Some(self.base.join(root).join(service).join("migrations"))
    }
}

fn toml_error(file: &Arc<SourceFile>, e: toml::de::Error) -> Diagnostic {
    let range = e.span().unwrap_or(0..0);
    Diagnostic::new(
        Code::Config,
        format!("invalid configuration: {}", e.message()),
    )
    .at(file, range)
    .with_help(
        "allowed keys: `services-root`, `service`, `migrations`, `targets`, `enums`, `types`, `allow`, `severity`, `external`, `effects`",
    )
}

/// `"error"` or `"warning"`, as `[severity]` spells them.
pub fn parse_severity(s: &str) -> Option<Severity> {
    match s {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        _ => None,
    }
}

/// Where `text` is written in the file (the first occurrence), for locating a value the
/// TOML deserializer has already turned into data.
fn located(file: &Arc<SourceFile>, text: &str) -> std::ops::Range<usize> {
    let at = file.text.find(text).unwrap_or(0);
    at..at + text.len()
}

/// Names in the configuration become enums here: an unknown target, rule or severity is a
/// located error, never a default.
fn validate(file: &Arc<SourceFile>, config: Config) -> Result<Config, Diagnostic> {
    for t in config.targets.iter().flatten() {
        if t != "postgres" && t != "cockroachdb" {
            return Err(
                Diagnostic::new(Code::Config, format!("unknown target `{t}`"))
                    .at(file, located(file, &format!("\"{t}\"")))
                    .with_help("targets are `postgres` and `cockroachdb`"),
            );
        }
    }
    let rules = config
        .allow
        .iter()
        .flatten()
        .map(|r| (r, format!("\"{r}\"")));
    let severity_rules = config
        .severity
        .iter()
        .flatten()
        .map(|(r, _)| (r, r.clone()));
    for (rule, written) in rules.chain(severity_rules) {
        if Rule::parse(rule).is_none() {
            return Err(
                Diagnostic::new(Code::Config, format!("unknown rule `{rule}`"))
                    .at(file, located(file, &written))
                    .with_help(Rule::unknown_help(rule)),
            );
        }
    }
    for (rule, severity) in config.severity.iter().flatten() {
        if parse_severity(severity).is_none() {
            return Err(Diagnostic::new(
                Code::Config,
                format!("unknown severity `{severity}` for `{rule}`"),
            )
            .at(file, located(file, &format!("\"{severity}\"")))
            .with_help("a severity is `\"error\"` or `\"warning\"`"));
        }
    }
    for key in config.effects.iter().flatten().map(|(k, _)| k) {
        if effect_key(key).is_none() {
            return Err(Diagnostic::new(
                Code::Config,
                format!("`{key}` does not name a DO block"),
            )
            .at(file, located(file, &format!("\"{key}\"")))
            .with_help("an `[effects]` key is the migration's file name and the line its DO starts on: `\"0007_backfill.sql:12\"`"));
        }
    }
    Ok(config)
}

/// Parses a `checked-query.toml`.
pub fn parse(path: &Path, text: &str) -> Result<Config, Diagnostic> {
    let file = SourceFile::new(Some(path.to_path_buf()), text.to_string());
    let config = toml::from_str::<Config>(text).map_err(|e| toml_error(&file, e))?;
    validate(&file, config)
}

/// Reads `[package.metadata.checked-query]` from a crate manifest, if present.
pub fn from_manifest(manifest: &Path) -> Result<Option<Loaded>, Diagnostic> {
    let text = std::fs::read_to_string(manifest).map_err(|e| {
        Diagnostic::new(
            Code::Io,
            format!("cannot read `{}`: {e}", manifest.display()),
        )
    })?;
    let file = SourceFile::new(Some(manifest.to_path_buf()), text.clone());
    let value: toml::Value = toml::from_str(&text).map_err(|e| toml_error(&file, e))?;
    let Some(section) = value
        .get("package")
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("checked-query"))
    else {
        return Ok(None);
    };
    let config: Config = section.clone().try_into().map_err(|e: toml::de::Error| {
        let at = text.find("checked-query]").unwrap_or(0);
        Diagnostic::new(
            Code::Config,
            format!("invalid [package.metadata.checked-query]: {}", e.message()),
        )
        .at(&file, at..at + "checked-query".len())
        .with_help(
            "allowed keys: `services-root`, `service`, `migrations`, `targets`, `enums`, `types`, `allow`, `severity`, `external`, `effects`",
        )
    })?;
    let base = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
    Ok(Some(Loaded {
        file: manifest.to_path_buf(),
        base,
        config: validate(&file, config)?,
    }))
}

/// `path` with `.` and `..` resolved by their names alone (no file system).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The nearest configuration at or above `start`: a `checked-query.toml`, or a crate's
/// `Cargo.toml` with a `[package.metadata.checked-query]` table.
///
/// The paths it returns start from `start` as given: from `.`, a file two levels up is
/// `../../checked-query.toml`, so what is shown and resolved stays relative to the caller's
/// root.
pub fn find(start: &Path) -> Result<Option<Loaded>, Diagnostic> {
    let canonical = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    // Relative paths are rebuilt by walking up `start` itself, which is right only when no
    // symbolic link lies on it: through a link, the real parents are not `start`'s, so the
    // paths found are absolute.
    let relative = !start.is_absolute()
        && std::env::current_dir()
            .map(|cwd| lexical(&cwd.join(start)) == canonical)
            .unwrap_or(false);
    for (up, dir) in canonical.ancestors().enumerate() {
        let own_file = dir.join(FILE_NAME).is_file();
        // A crate's `[package.metadata.checked-query]` counts as a configuration file of
        // its directory, as the macro reads it: the CLI then agrees with the build.
        if !own_file && !dir.join("Cargo.toml").is_file() {
            continue;
        }
        let base = if !relative {
            dir.to_path_buf()
        } else {
            let mut base = if start == Path::new(".") {
                PathBuf::new()
            } else {
                start.to_path_buf()
            };
            // Up from `migrations` is `.`-relative ``, not `migrations/..`.
            for _ in 0..up {
                let named = matches!(
                    base.components().next_back(),
                    Some(std::path::Component::Normal(_))
                );
                if named {
                    base.pop();
                } else {
                    base.push("..");
                }
            }
            base
        };
        if !own_file {
            match from_manifest(&base.join("Cargo.toml"))? {
                Some(loaded) => return Ok(Some(loaded)),
                None => continue,
            }
        }
        let candidate = base.join(FILE_NAME);
        let text = std::fs::read_to_string(&candidate).map_err(|e| {
            Diagnostic::new(
                Code::Io,
                format!("cannot read `{}`: {e}", candidate.display()),
            )
        })?;
        let config = parse(&candidate, &text)?;
        return Ok(Some(Loaded {
            file: candidate,
            base,
            config,
        }));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_keys() {
        let c = parse(
            Path::new("checked-query.toml"),
            "services-root = \"services\"\nservice = \"users\"\ntargets = [\"postgres\"]\n",
        )
        .unwrap();
        assert_eq!(c.service.as_deref(), Some("users"));
        let loaded = Loaded {
            file: "x".into(),
            base: "/repo".into(),
            config: c,
        };
        assert_eq!(
            loaded.migrations_dir(),
            Some(PathBuf::from("/repo/services/users/migrations"))
        );
    }

    #[test]
    fn unknown_keys_and_targets_are_located_errors() {
        let e = parse(
            Path::new("checked-query.toml"),
            "service = \"a\"\nmigratons = \"m\"\n",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(
            e.message.contains("unknown field `migratons`"),
            "{}",
            e.message
        );
        let e = parse(Path::new("checked-query.toml"), "targets = [\"mysql\"]\n").unwrap_err();
        assert_eq!(e.message, "unknown target `mysql`");
        assert_eq!(e.column, 12);
        let e = parse(
            Path::new("checked-query.toml"),
            "allow = [\"serial\", \"seriall\"]\n",
        )
        .unwrap_err();
        assert_eq!(e.message, "unknown rule `seriall`");
        assert_eq!(e.column, 20);
        assert!(e.help.as_deref().unwrap().contains("`serial`"));
        let e = parse(
            Path::new("checked-query.toml"),
            "[severity]\ntable-namin = \"error\"\n",
        )
        .unwrap_err();
        assert_eq!(e.message, "unknown rule `table-namin`");
        assert_eq!(e.line, 2);
        let e = parse(
            Path::new("checked-query.toml"),
            "[severity]\ntable-naming = \"catastrophic\"\n",
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "unknown severity `catastrophic` for `table-naming`"
        );
        // Valid names of both kinds load into one rule set.
        let c = parse(
            Path::new("checked-query.toml"),
            "allow = [\"serial\", \"fk-without-index\"]\n[severity]\nint-width = \"error\"\n",
        )
        .unwrap();
        let settings = crate::policies::Settings::from_config(&c, Path::new("."));
        assert_eq!(settings.allow.len(), 2);
        assert_eq!(settings.severities.len(), 1);
        // External SQL files are relative to the configuration's directory.
        let c = parse(
            Path::new("checked-query.toml"),
            "external = [\"db/queues.sql\"]\n",
        )
        .unwrap();
        let settings = crate::policies::Settings::from_config(&c, Path::new("/srv/app"));
        assert_eq!(settings.external, [Path::new("/srv/app/db/queues.sql")]);
        // An effect names a DO block by file name and line.
        let c = parse(
            Path::new("checked-query.toml"),
            "[effects]\n\"0007_backfill.sql:12\" = \"\"\n",
        )
        .unwrap();
        let settings = crate::policies::Settings::from_config(&c, Path::new("."));
        assert_eq!(
            settings.effects,
            [("0007_backfill.sql".to_string(), 12, String::new())]
        );
        let e = parse(
            Path::new("checked-query.toml"),
            "[effects]\n\"0007_backfill.sql\" = \"\"\n",
        )
        .unwrap_err();
        assert_eq!(e.message, "`0007_backfill.sql` does not name a DO block");
    }

    #[test]
    fn reads_package_metadata() {
        let dir = std::env::temp_dir().join(format!("cq-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let manifest = dir.join("Cargo.toml");
        std::fs::write(
            &manifest,
            "[package]\nname = \"x\"\n[package.metadata.checked-query]\nmigrations = \"db\"\n",
        )
        .unwrap();
        let loaded = from_manifest(&manifest).unwrap().unwrap();
        assert_eq!(loaded.migrations_dir(), Some(dir.join("db")));
        std::fs::write(&manifest, "[package]\nname = \"x\"\n").unwrap();
        assert_eq!(from_manifest(&manifest).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
