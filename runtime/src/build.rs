//! The one-line `build.rs` helper: rebuild (and so re-check every query) when a migration is
//! added or removed, not only when an existing one changes (the macros already track those).
//!
//! ```ignore
//! // build.rs
//! fn main() {
//!     checked_query::build::rerun_if_migrations_change();
//! }
//! ```

use std::path::PathBuf;

/// Tells Cargo to rerun the build script — and so recompile the crate — when anything in the
/// service's migrations directory changes. The directory is found as the macros find it: the
/// `CHECKED_QUERY_MIGRATIONS` variable, `[package.metadata.checked-query] migrations`, or
/// `migrations/` beside `Cargo.toml`.
pub fn rerun_if_migrations_change() {
    let manifest_dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("run from a build script"));
    println!("cargo:rerun-if-env-changed=CHECKED_QUERY_MIGRATIONS");
    let dir = std::env::var_os("CHECKED_QUERY_MIGRATIONS")
        .map(PathBuf::from)
        .or_else(|| metadata_migrations(&manifest_dir))
        .unwrap_or_else(|| manifest_dir.join("migrations"));
    println!("cargo:rerun-if-changed={}", dir.display());
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            println!("cargo:rerun-if-changed={}", e.path().display());
        }
    }
}

fn metadata_migrations(manifest_dir: &std::path::Path) -> Option<PathBuf> {
    // A light read of `migrations = "…"` under [package.metadata.checked-query]; the macros
    // validate the whole section.
    let text = std::fs::read_to_string(manifest_dir.join("Cargo.toml")).ok()?;
    let section = text.split("[package.metadata.checked-query]").nth(1)?;
    let section = section.split("\n[").next()?;
    let line = section
        .lines()
        .find(|l| l.trim_start().starts_with("migrations"))?;
    let value = line.split_once('=')?.1.trim().trim_matches('"');
    Some(manifest_dir.join(value))
}
