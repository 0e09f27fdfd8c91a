//! Which service a crate's queries are checked against: the one search the macro, the CLI
//! and the build helper share, so they never disagree about which files a service has.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::cache::Recent;
use crate::config;
use crate::diagnostic::{Code, Diagnostic};
use crate::migrations;
use crate::policies::Settings;

/// The environment variable naming a migrations directory, overriding configuration (for
/// tests: trybuild compiles cases in a generated crate with no migrations of its own).
pub const MIGRATIONS_ENV: &str = "CHECKED_QUERY_MIGRATIONS";

/// A service found for a crate (or a directory), with its configuration applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The service's migrations directory.
    pub dir: PathBuf,
    pub service: String,
    /// Rust types configured for user-defined PostgreSQL types, by type name.
    pub user_types: BTreeMap<String, String>,
    pub settings: Settings,
    /// The configuration file that applied, if any.
    pub config: Option<PathBuf>,
}

impl Located {
    /// The service of the migrations directory `dir`, configured by the nearest
    /// configuration at or above it.
    pub fn from_dir(dir: PathBuf) -> Result<Located, Diagnostic> {
        let loaded = config::find(&dir)?;
        Ok(Located::configured(dir, loaded.as_ref()))
    }

    fn configured(dir: PathBuf, loaded: Option<&config::Loaded>) -> Located {
        let c = loaded.map(|l| &l.config);
        Located {
            service: c
                .and_then(|c| c.service.clone())
                .unwrap_or_else(|| migrations::service_name(&dir)),
            user_types: c.map(config::Config::rust_types).unwrap_or_default(),
            settings: loaded
                .map(|l| Settings::from_config(&l.config, &l.base))
                .unwrap_or_default(),
            config: loaded.map(|l| l.file.clone()),
            dir,
        }
    }

    /// What a build must watch to see the service change: every service's migrations
    /// directory (siblings' tables decide ownership errors) and the `external` files.
    pub fn watched(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = migrations::discover_services(&self.dir)
            .into_iter()
            .map(|(_, d)| d)
            .collect();
        if out.is_empty() {
            out.push(self.dir.clone());
        }
        out.extend(self.settings.external.iter().cloned());
        out.extend(self.config.iter().cloned());
        out
    }
}

/// The service of the crate in `crate_dir`, searched in this order:
/// 1. `dir_override` (the `--migrations` option, or [`MIGRATIONS_ENV`]);
/// 2. `[package.metadata.checked-query]` in the crate's `Cargo.toml`;
/// 3. a `migrations/` directory beside it;
/// 4. the nearest `checked-query.toml` (or crate metadata) above it that names one.
pub fn locate(crate_dir: &Path, dir_override: Option<PathBuf>) -> Result<Located, Diagnostic> {
    let manifest = crate_dir.join("Cargo.toml");
    if let Some(dir) = dir_override {
        // The settings are the migrations' own; the Rust types are the crate's.
        let mut located = Located::from_dir(dir)?;
        located.user_types = crate_config(crate_dir, &manifest)?
            .map(|l| l.config.rust_types())
            .unwrap_or_default();
        return Ok(located);
    }
    if manifest.is_file() {
        if let Some(loaded) = config::from_manifest(&manifest)? {
            let dir = loaded
                .migrations_dir()
                .unwrap_or_else(|| crate_dir.join("migrations"));
            return Ok(Located::configured(dir, Some(&loaded)));
        }
    }
    let beside = crate_dir.join("migrations");
    if beside.is_dir() {
        return Located::from_dir(beside);
    }
    if let Some(loaded) = config::find(crate_dir)? {
        if let Some(dir) = loaded.migrations_dir() {
            return Ok(Located::configured(dir, Some(&loaded)));
        }
    }
    Err(Diagnostic::new(
        Code::Config,
        "no migrations found for this crate",
    )
    .in_file(&manifest)
    .with_help(format!(
        "looked for the {MIGRATIONS_ENV} environment variable, [package.metadata.checked-query] in `{}`, a `migrations/` directory beside it, and a `{}` above it; put the service's migrations in `services/{{name}}/migrations/` beside its Cargo.toml, or add `[package.metadata.checked-query] migrations = \"path/to/migrations\"`",
        manifest.display(),
        config::FILE_NAME
    )))
}

/// The crate's own configuration: its `Cargo.toml` metadata, else the nearest above it.
fn crate_config(crate_dir: &Path, manifest: &Path) -> Result<Option<config::Loaded>, Diagnostic> {
    if manifest.is_file() {
        if let Some(loaded) = config::from_manifest(manifest)? {
            return Ok(Some(loaded));
        }
    }
    config::find(crate_dir)
}

/// Crates located lately, by directory and override.
static RECENT: Recent<(PathBuf, Option<PathBuf>), Located> = Recent::new();

/// Forgets the crates located lately (with the cache's `clear_cache`).
pub(super) fn forget() {
    RECENT.clear();
}

/// [`locate`] with the override from [`MIGRATIONS_ENV`], as the macro and the build helper
/// see it. A process asks for the same crate once per query, so what it found is reused for
/// [`TRUSTED_FOR`](super::cache::TRUSTED_FOR), as the built workspace is: reading and
/// parsing the manifest was a fifth of a warm expansion in rustc.
pub fn locate_from_env(crate_dir: &Path) -> Result<Located, Diagnostic> {
    let key = (
        crate_dir.to_path_buf(),
        std::env::var_os(MIGRATIONS_ENV).map(PathBuf::from),
    );
    if let Some(located) = RECENT.get(&key) {
        return Ok(located);
    }
    let located = locate(&key.0, key.1.clone())?;
    RECENT.put(key, located.clone());
    Ok(located)
}
