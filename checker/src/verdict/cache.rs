//! Workspaces built once per process and rebuilt when a migration file is added, removed
//! or changed (paths, sizes, mtimes): the compiler runs the macro once per call, and
//! rust-analyzer's proc-macro server lives for a whole session, so both must reuse the
//! catalog yet see edits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use super::locate::Located;
use crate::diagnostic::{Code, Diagnostic};
use crate::lints::lint_service;
use crate::policies::Settings;
use crate::{build_workspace_with, ServiceCatalog, Workspace};

/// A workspace built from files (every service beside the located one), and each
/// service's lints (with its build diagnostics), computed when first asked for.
pub struct Built {
    pub workspace: Workspace,
    settings: Settings,
    lints: Mutex<HashMap<String, Arc<Vec<Diagnostic>>>>,
    dependencies: Mutex<HashMap<String, Arc<Vec<PathBuf>>>>,
}

type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;
/// By the workspace's service directories and the settings it was built with: the crates
/// of one services root share one build.
type Key = (Vec<PathBuf>, String);
/// The fingerprint, when it was last taken, and the build it belongs to.
type Cache = Mutex<HashMap<Key, (Fingerprint, Instant, Arc<Built>)>>;

/// How long a build is trusted without looking at its files again. A compiler runs every
/// expansion of a crate within moments, and taking the fingerprint (one `stat` per
/// migration) was most of a warm expansion's time; an editor's next expansion after an
/// edit comes later than this, and sees it.
pub(super) const TRUSTED_FOR: Duration = Duration::from_millis(100);

fn fingerprint(located: &Located) -> Fingerprint {
    let mut out = Vec::new();
    let mut add = |p: &Path| {
        let meta = std::fs::metadata(p).ok();
        out.push((
            p.to_path_buf(),
            meta.as_ref().map_or(0, |m| m.len()),
            meta.and_then(|m| m.modified().ok()),
        ));
    };
    for watched in located.watched() {
        match std::fs::read_dir(&watched) {
            Ok(entries) => entries.flatten().for_each(|e| add(&e.path())),
            Err(_) => add(&watched),
        }
    }
    // Only compared for equality, so any fixed order does: bytes, not `Path`'s
    // component-by-component order (which was most of taking the fingerprint).
    out.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
    out
}

static CACHE: OnceLock<Cache> = OnceLock::new();
/// The workspaces asked for lately, by what located them.
static RECENT: Recent<Located, Arc<Built>> = Recent::new();

/// Answers reused for [`TRUSTED_FOR`] without looking at anything again: a compiler asks the
/// same questions once per query, within moments. Few keys (one per crate or service), so
/// a list; entries past the window are dropped when another is stored.
pub(super) struct Recent<K, V>(Mutex<Vec<(K, Instant, V)>>);

impl<K: PartialEq, V: Clone> Recent<K, V> {
    pub(super) const fn new() -> Self {
        Recent(Mutex::new(Vec::new()))
    }

    pub(super) fn get(&self, key: &K) -> Option<V> {
        let entries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        (entries.iter())
            .find(|(k, at, _)| k == key && at.elapsed() < TRUSTED_FOR)
            .map(|(_, _, v)| v.clone())
    }

    pub(super) fn put(&self, key: K, value: V) {
        let mut entries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|(k, at, _)| *k != key && at.elapsed() < TRUSTED_FOR);
        entries.push((key, Instant::now(), value));
    }

    pub(super) fn clear(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

/// Forgets every cached workspace (a benchmark's cold run; a long-lived process that wants
/// its memory back).
pub fn clear_cache() {
    if let Some(cache) = CACHE.get() {
        cache.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
    RECENT.clear();
    super::locate::forget();
}

/// The workspace of `located`, from this process's cache when no file changed.
pub fn built(located: &Located) -> Arc<Built> {
    // A recent answer for the same `located`: finding the services root's directories (a
    // directory listing and a canonical path each) for the key cost more than the rest of
    // a warm lookup.
    if let Some(built) = RECENT.get(located) {
        return built;
    }
    let built = built_uncached(located);
    RECENT.put(located.clone(), built.clone());
    built
}

fn built_uncached(located: &Located) -> Arc<Built> {
    let cache = CACHE.get_or_init(Default::default);
    let dirs: Vec<PathBuf> = crate::migrations::discover_services(&located.dir)
        .into_iter()
        .map(|(_, d)| std::fs::canonicalize(&d).unwrap_or(d))
        .collect();
    let key = (dirs, format!("{:?}", located.settings));
    let mut map = cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, checked, built)) = map.get(&key) {
        if checked.elapsed() < TRUSTED_FOR {
            return built.clone();
        }
    }
    let print = fingerprint(located);
    if let Some((f, checked, built)) = map.get_mut(&key) {
        if *f == print {
            *checked = Instant::now();
            return built.clone();
        }
    }
    let built = Arc::new(Built {
        workspace: build_workspace_with(&located.dir, &located.settings),
        settings: located.settings.clone(),
        lints: Mutex::default(),
        dependencies: Mutex::default(),
    });
    map.insert(key, (print, Instant::now(), built.clone()));
    built
}

impl Built {
    /// The files a query of `service` depends on (its migrations and the configuration's
    /// external SQL), canonical, computed once per build: every expansion `include_bytes!`
    /// them, and resolving 200 paths per call was most of a warm expansion's time.
    pub fn dependency_files(&self, service: &str) -> Arc<Vec<PathBuf>> {
        let mut map = self.dependencies.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(service.to_string())
            .or_insert_with(|| {
                let Some(service) = self.workspace.service(service) else {
                    return Arc::default();
                };
                // Each directory is made canonical once, not each file in it: resolving 200
                // paths component by component was a seventh of a cold expansion.
                let mut dirs: HashMap<PathBuf, PathBuf> = HashMap::new();
                let mut canonical = |p: PathBuf| -> PathBuf {
                    let (Some(dir), Some(name)) = (p.parent(), p.file_name()) else {
                        return std::fs::canonicalize(&p).unwrap_or(p);
                    };
                    let dir = if dir.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        dir
                    };
                    let dir = (dirs.entry(dir.to_path_buf()))
                        .or_insert_with(|| std::fs::canonicalize(dir).unwrap_or(dir.to_path_buf()));
                    dir.join(name)
                };
                Arc::new(
                    (service.migrations.migrations.iter())
                        .flat_map(|m| m.files.iter())
                        .filter_map(|f| f.path.clone())
                        .chain(self.settings.external.iter().cloned())
                        .map(&mut canonical)
                        .collect(),
                )
            })
            .clone()
    }

    /// The lints of `service` (with its build diagnostics; empty for no service).
    pub fn lints(&self, service: &str) -> Arc<Vec<Diagnostic>> {
        let mut map = self.lints.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(service.to_string())
            .or_insert_with(|| {
                Arc::new(
                    self.workspace
                        .service(service)
                        .map(|s| lint_service(s, &self.settings))
                        .unwrap_or_default(),
                )
            })
            .clone()
    }

    /// The located service's catalog, or the one error every query of the service fails
    /// with when its migrations have errors (the build's or the lints'): it names the first
    /// problems, and the details belong to `checked-query lint`.
    pub fn service(&self, located: &Located) -> Result<&ServiceCatalog, Diagnostic> {
        let Some(service) = self.workspace.service(&located.service) else {
            return Err(Diagnostic::new(
                Code::MigrationsDirMissing,
                format!(
                    "service `{}` has no migrations directory at `{}`",
                    located.service,
                    located.dir.display()
                ),
            )
            .with_help("put the service's migrations in `services/{name}/migrations/`, or name the directory in the configuration"));
        };
        // The lints include the build's own diagnostics.
        let lints = self.lints(&located.service);
        let errors: Vec<&Diagnostic> = lints.iter().filter(|d| d.is_error()).collect();
        if errors.is_empty() {
            return Ok(service);
        }
        let mut first: Vec<String> = errors.iter().take(3).map(|d| compact(d)).collect();
        if errors.len() > 3 {
            first.push(format!("... and {} more", errors.len() - 3));
        }
        Err(Diagnostic::new(
            Code::MigrationErrors,
            format!(
                "the migrations of service `{}` have errors, so queries cannot be checked",
                located.service
            ),
        )
        .with_help(format!(
            "{}\nrun `checked-query lint {}` to see them all",
            first.join("\n"),
            located.dir.display()
        )))
    }
}

/// `file:line:column: message [code]` — one line per diagnostic. The path is shown relative
/// to the directory the process runs in, as rustc shows a crate's own paths.
pub fn compact(d: &Diagnostic) -> String {
    let d = match std::env::current_dir() {
        Ok(cwd) => d.clone().relative_to(&cwd),
        Err(_) => d.clone(),
    };
    format!(
        "{}:{}:{}: {} [{}]",
        d.file.as_deref().unwrap_or("?"),
        d.line,
        d.column,
        d.message,
        d.code.as_str()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_answers_last_the_trusted_window_and_a_new_answer_replaces_the_old() {
        let recent: Recent<&str, u32> = Recent::new();
        assert_eq!(recent.get(&"a"), None);
        recent.put("a", 1);
        recent.put("b", 2);
        recent.put("a", 3);
        assert_eq!((recent.get(&"a"), recent.get(&"b")), (Some(3), Some(2)));
        std::thread::sleep(TRUSTED_FOR + Duration::from_millis(20));
        assert_eq!(recent.get(&"a"), None, "past the window, asked again");
        recent.put("c", 4);
        assert_eq!(recent.0.lock().unwrap().len(), 1, "stale entries dropped");
        recent.clear();
        assert_eq!(recent.get(&"c"), None);
    }

    #[test]
    fn an_added_or_edited_migration_is_seen_once_the_trusted_window_passes() {
        let root = std::env::temp_dir().join(format!("cq-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let dir = root.join("services/svc/migrations");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            root.join("services/svc/Cargo.toml"),
            "[package]\nname = \"svc\"\n",
        )
        .unwrap();
        std::fs::write(dir.join("001_a.sql"), "CREATE TABLE a (id int);").unwrap();
        let located = crate::verdict::locate(&root.join("services/svc"), None).unwrap();
        let first = built(&located);
        assert!(
            Arc::ptr_eq(&first, &built(&located)),
            "reused within a process"
        );
        std::fs::write(dir.join("002_b.sql"), "CREATE TABLE b (id int);").unwrap();
        std::thread::sleep(TRUSTED_FOR + Duration::from_millis(20));
        let second = built(&located);
        assert!(!Arc::ptr_eq(&first, &second));
        let catalog = &second.workspace.service("svc").unwrap().catalog;
        assert!(catalog.table("b").is_some());
        // An edit in place (same name) is seen too.
        std::fs::write(dir.join("002_b.sql"), "CREATE TABLE c (id int, more text);").unwrap();
        std::thread::sleep(TRUSTED_FOR + Duration::from_millis(20));
        let third = built(&located);
        assert!(third
            .workspace
            .service("svc")
            .unwrap()
            .catalog
            .table("c")
            .is_some());
        let _ = std::fs::remove_dir_all(&root);
    }
}
