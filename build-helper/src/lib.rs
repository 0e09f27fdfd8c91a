//! The one-line `build.rs` helper: rebuild (and so re-check every query) when a migration is
//! added or removed, not only when an existing one changes (the macros already track those).
//!
//! ```ignore
//! // build.rs ([build-dependencies] checked-query-build = "0.1")
//! fn main() {
//!     checked_query_build::rerun_if_migrations_change();
//! }
//! ```
//!
//! The service is found by the macro's own search (`checked_query_checker::verdict::locate`),
//! so the helper, the macro and the CLI agree on which files a service has.

use std::path::{Path, PathBuf};

use checked_query_checker::verdict::{self, MIGRATIONS_ENV};

/// Tells Cargo to rerun the build script — and so recompile the crate — when anything the
/// crate's queries are checked against changes: every service's migrations directory
/// (sibling services decide ownership errors), the configuration, and its `external` files.
/// A crate whose service cannot be found gets a warning; its macros report the error.
pub fn rerun_if_migrations_change() {
    let manifest_dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("run from a build script"));
    for line in directives(&manifest_dir) {
        println!("{line}");
    }
}

/// The `cargo:` lines for the crate in `manifest_dir`.
pub fn directives(manifest_dir: &Path) -> Vec<String> {
    let mut out = vec![
        format!("cargo:rerun-if-env-changed={MIGRATIONS_ENV}"),
        format!(
            "cargo:rerun-if-changed={}",
            manifest_dir.join("Cargo.toml").display()
        ),
    ];
    match verdict::locate_from_env(manifest_dir) {
        Ok(located) => {
            for path in located.watched() {
                out.push(format!("cargo:rerun-if-changed={}", path.display()));
                // A directory's listing is watched through its entries' paths too: cargo
                // compares mtimes, and a removed file changes its directory's.
                if let Ok(entries) = std::fs::read_dir(&path) {
                    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                    files.sort();
                    out.extend(
                        files
                            .into_iter()
                            .map(|f| format!("cargo:rerun-if-changed={}", f.display())),
                    );
                }
            }
        }
        Err(d) => out.push(format!(
            "cargo:warning=checked-query: {} [{}]",
            d.message,
            d.code.as_str()
        )),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::directives;
    use std::path::Path;

    #[test]
    fn watches_what_the_macro_reads() {
        let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .join("examples/services/users");
        std::env::remove_var(super::MIGRATIONS_ENV);
        let lines = directives(&crate_dir);
        let has = |suffix: &str| lines.iter().any(|l| l.ends_with(suffix));
        // The service's migrations, one file of them, and the sibling service's directory.
        assert!(has("services/users/migrations"), "{lines:#?}");
        assert!(
            has("services/users/migrations/001_create_users.sql"),
            "{lines:#?}"
        );
        assert!(has("services/orders/migrations"), "{lines:#?}");
        // A crate with no service: a warning, not a panic.
        let bare = std::env::temp_dir().join(format!("cq-build-{}", std::process::id()));
        std::fs::create_dir_all(&bare).unwrap();
        let lines = directives(&bare);
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("cargo:warning=checked-query: no migrations found")),
            "{lines:#?}"
        );
        std::fs::remove_dir_all(&bare).unwrap();
    }
}
