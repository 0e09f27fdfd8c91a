//! Asking the checker: find the service's migrations, build (or reuse) its catalog, and
//! analyse the query. The catalog is built once per compiler process and rebuilt when a
//! migration file is added, removed or changed (paths, sizes, mtimes), so rust-analyzer's
//! long-lived proc-macro server sees edits.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use checked_query_checker::analysis::{analyze_source, Analysis};
use checked_query_checker::build_workspace_with;
use checked_query_checker::lints::lint_service;
use checked_query_checker::named_params::rewrite_named;
use checked_query_checker::policies::Settings;
use checked_query_checker::render::human::render_for_compiler;
use checked_query_checker::source::SourceFile;
use checked_query_checker::{config, migrations, Code, Diagnostic, ServiceCatalog, Workspace};
use syn::LitStr;

/// The environment variable naming a migrations directory, overriding configuration (for
/// tests: trybuild compiles cases in a generated crate with no migrations of its own).
pub const MIGRATIONS_ENV: &str = "CHECKED_QUERY_MIGRATIONS";

pub struct Checked {
    /// The SQL as it runs (`:name` rewritten to `$n`).
    pub sql: String,
    /// Named parameters in `$n` order (empty for positional SQL).
    pub names: Vec<String>,
    pub analysis: Analysis,
    /// Every migration file, for `include_bytes!` (edits recompile the crate).
    pub files: Vec<PathBuf>,
    pub user_types: BTreeMap<String, String>,
}

struct Located {
    dir: PathBuf,
    service: String,
    user_types: BTreeMap<String, String>,
    settings: Settings,
}

fn locate() -> Result<Located, String> {
    let manifest_dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_string()));
    let render = |d: Diagnostic| render_for_compiler(&d);
    let from_dir = |dir: PathBuf, loaded: Option<&config::Loaded>| {
        let config = loaded.map(|l| &l.config);
        Ok(Located {
            service: config
                .and_then(|c| c.service.clone())
                .unwrap_or_else(|| migrations::service_name(&dir)),
            user_types: config.map(config::Config::rust_types).unwrap_or_default(),
            settings: match loaded {
                Some(l) => Settings::from_config(&l.config, &l.base),
                None => Settings::for_dir(&dir).map_err(render)?,
            },
            dir,
        })
    };
    if let Some(dir) = std::env::var_os(MIGRATIONS_ENV) {
        return from_dir(PathBuf::from(dir), None);
    }
    let manifest = manifest_dir.join("Cargo.toml");
    if let Some(loaded) = config::from_manifest(&manifest).map_err(render)? {
        let dir = loaded
            .migrations_dir()
            .unwrap_or_else(|| manifest_dir.join("migrations"));
        return from_dir(dir, Some(&loaded));
    }
    let beside = manifest_dir.join("migrations");
    if beside.is_dir() {
        return from_dir(beside, None);
    }
    if let Some(loaded) = config::find(&manifest_dir).map_err(render)? {
        if let Some(dir) = loaded.migrations_dir() {
            return from_dir(dir, Some(&loaded));
        }
    }
    Err(format!(
        "no migrations found for this crate [CQ0901]\n looked for: the {MIGRATIONS_ENV} environment variable, \
         [package.metadata.checked-query] in {}, a `migrations/` directory beside it, and a `{}` above it\n  = help: put the service's \
         migrations in `services/{{name}}/migrations/` beside its Cargo.toml, or add\n          [package.metadata.checked-query]\n          migrations = \"path/to/migrations\"",
        manifest.display(),
        config::FILE_NAME
    ))
}

type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;
type Cache = Mutex<HashMap<PathBuf, (Fingerprint, Arc<Built>)>>;

/// A workspace built from files, with the lints (and build diagnostics) of the located service.
struct Built {
    ws: Workspace,
    lints: Vec<Diagnostic>,
}

fn fingerprint(dir: &Path) -> Fingerprint {
    let mut out = Vec::new();
    let services: Vec<PathBuf> = migrations::discover_services(dir)
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    for d in services {
        if let Ok(entries) = std::fs::read_dir(&d) {
            for e in entries.flatten() {
                let meta = e.metadata().ok();
                out.push((
                    e.path(),
                    meta.as_ref().map_or(0, |m| m.len()),
                    meta.and_then(|m| m.modified().ok()),
                ));
            }
        }
    }
    out.sort();
    out
}

fn built(located: &Located) -> Arc<Built> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let print = fingerprint(&located.dir);
    let mut map = cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((f, built)) = map.get(&located.dir) {
        if *f == print {
            return built.clone();
        }
    }
    let ws = build_workspace_with(&located.dir, &located.settings);
    let lints = ws
        .service(&located.service)
        .map(|s| lint_service(s, &located.settings))
        .unwrap_or_default();
    let built = Arc::new(Built { ws, lints });
    map.insert(located.dir.clone(), (print, built.clone()));
    built
}

/// The located service's catalog, or one compact error naming the first problems when its
/// migrations have errors (the build's or the lints'): every macro call of the service
/// fails with it, and the details belong to `checked-query lint`.
fn service<'a>(located: &Located, built: &'a Built) -> Result<&'a ServiceCatalog, String> {
    let Some(service) = built.ws.service(&located.service) else {
        return Err(format!(
            "service `{}` has no migrations directory at `{}` [CQ0103]",
            located.service,
            located.dir.display()
        ));
    };
    // The lints include the build's own diagnostics.
    let errors: Vec<&Diagnostic> = built.lints.iter().filter(|d| d.is_error()).collect();
    if errors.is_empty() {
        return Ok(service);
    }
    let first: Vec<String> = errors.iter().take(3).map(|d| compact(d)).collect();
    let more = match errors.len() {
        n if n > 3 => format!("\n... and {} more", n - 3),
        _ => String::new(),
    };
    Err(format!(
        "the migrations of service `{}` have errors, so queries cannot be checked\n{}{more}\n  = help: run `checked-query lint {}` to see them all",
        located.service,
        first.join("\n"),
        located.dir.display()
    ))
}

/// `file:line:column: message [code]` — one line per diagnostic. The path is shown relative
/// to the directory the compiler runs in, as rustc shows the crate's own paths.
fn compact(d: &Diagnostic) -> String {
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

/// What `migrate!()` embeds.
pub struct Embedded {
    /// The migrations, planned for running.
    pub plan: Vec<checked_query_checker::migrations::PlannedMigration>,
    /// Every migration file, for `include_bytes!` (so edits rebuild).
    pub files: Vec<PathBuf>,
    /// The schema after every UP, as `checked_query::testing` compares it.
    pub schema: Vec<String>,
    /// The migrations' warnings (there are no errors), reported once from `migrate!()`.
    pub warnings: Vec<String>,
}

/// The service's migrations, planned for running, with their files and resulting schema.
pub fn migrations() -> Result<Embedded, String> {
    let located = locate()?;
    let built = built(&located);
    let service = service(&located, &built)?;
    let plan =
        migrations::plan(&service.migrations.migrations).map_err(|d| render_for_compiler(&d))?;
    let files = service
        .migrations
        .migrations
        .iter()
        .flat_map(|m| m.files.iter())
        .filter_map(|f| f.path.clone())
        .map(|p| absolute(&p))
        .collect();
    Ok(Embedded {
        plan,
        files,
        schema: checked_query_checker::catalog::schema_lines(&service.catalog),
        warnings: built.lints.iter().map(compact).collect(),
    })
}

pub fn check(lit: &LitStr) -> Result<Checked, Vec<syn::Error>> {
    let span = lit.span();
    let one = |msg: String| vec![syn::Error::new(span, msg)];
    let located = locate().map_err(one)?;
    let built = built(&located);
    let service = service(&located, &built).map_err(one)?;
    let file = SourceFile::inline(&lit.value());
    let placeholders =
        rewrite_named(&file).map_err(|d| vec![syn::Error::new(span, render_for_compiler(&d))])?;
    // Analyse the rewritten SQL but report positions in the SQL as written (same lengths).
    let rewritten = SourceFile::inline(&placeholders.sql);
    let mut analysis = analyze_source(service.context(), &rewritten);
    for d in &mut analysis.diagnostics {
        d.source = Some(file.clone());
    }
    // A CockroachDB divergence in a query changes the Rust type that decodes the result on
    // one of the two databases: in a build it is an error explaining the cast to add.
    let fatal: Vec<&Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.is_error() || d.code == Code::CrdbDivergence)
        .collect();
    if !fatal.is_empty() {
        return Err(fatal
            .into_iter()
            .map(|d| syn::Error::new(span, render_for_compiler(d)))
            .collect());
    }
    let files = service
        .migrations
        .migrations
        .iter()
        .flat_map(|m| m.files.iter())
        .filter_map(|f| f.path.clone())
        .chain(located.settings.external.iter().cloned())
        .map(|p| absolute(&p))
        .collect();
    Ok(Checked {
        sql: placeholders.sql,
        names: placeholders.names,
        analysis,
        files,
        user_types: located.user_types,
    })
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}
