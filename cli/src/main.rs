//! `checked-query`: the command line around the checker. Argument parsing and output only;
//! every analysis lives in `checked-query-checker`.
#![allow(clippy::result_large_err)] // diagnostics are the error type, built on cold paths

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use checked_query_checker::diagnostic::{has_errors, Diagnostic};
use checked_query_checker::render;
use clap::{Parser, Subcommand, ValueEnum};

mod migrate;

#[derive(Parser)]
#[command(
    name = "checked-query",
    version,
    about = "SQL checked against your service's own migrations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Human,
    Json,
}

/// `check`'s output formats.
#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum CheckFormat {
    /// rustc-style, with the Rust line and a caret inside the string literal.
    Human,
    /// `{"diagnostics": [...]}`, each in the one diagnostic shape.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`).
    Github,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
}

#[derive(Subcommand)]
enum Command {
    /// Print the schema a service's migrations define (after every UP section).
    Schema {
        /// The service's migrations directory (`services/{name}/migrations`). Defaults to the
        /// one `checked-query.toml` names.
        #[arg(long)]
        migrations: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Lint migrations: numbering, UP/DOWN, immutability, rollbacks, foreign-key indexes,
    /// naming, unsafe changes, ownership and CockroachDB. PATH is a services root, a service
    /// directory or a migrations directory.
    Lint {
        path: PathBuf,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Record checksums of new migrations in `migrations/checksums.lock` (existing entries are
    /// kept unless --force).
    Lock {
        path: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// Adopt checked-query on a service with history: record its existing migrations in
    /// `migrations/baseline.lock` (the convention lints then apply only to later ones) and
    /// lock their checksums. A baseline is set once; --force rewrites it.
    Baseline {
        path: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// Check queries against a service's schema: parameter types, result columns, diagnostics.
    Describe {
        /// The service's migrations directory (`services/{name}/migrations`).
        #[arg(long)]
        migrations: Option<PathBuf>,
        /// One query.
        #[arg(long, conflicts_with = "queries")]
        sql: Option<String>,
        /// A JSON-lines file of `{"id": "...", "sql": "..."}`.
        #[arg(long)]
        queries: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Check every `checked_query!`, `checked_query_as!` and `checked_query_scalar!` call of
    /// the crates under PATH (default: the workspace around the current directory) as the
    /// macro does, without compiling; report SQL that runs through sqlx unchecked; lint each
    /// service's migrations once. Argument types stay with rustc.
    Check {
        paths: Vec<PathBuf>,
        /// Check every crate against this migrations directory (as the macro's
        /// `CHECKED_QUERY_MIGRATIONS` does).
        #[arg(long)]
        migrations: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: CheckFormat,
        /// Exit with status 1 on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Run a service's migrations against a database, under a lease lock that works on
    /// PostgreSQL and CockroachDB. Migrations with errors (build or lint) never run.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
        /// The database; defaults to the `DATABASE_URL` environment variable.
        #[arg(long, global = true)]
        database_url: Option<String>,
        /// The service's migrations directory. Defaults to the one `checked-query.toml` names.
        #[arg(long, global = true)]
        migrations: Option<PathBuf>,
        /// The lock's lease in milliseconds (default 30000); a heartbeat renews it.
        #[arg(long, global = true)]
        lease_ms: Option<u64>,
    },
}

#[derive(Subcommand)]
enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// Revert the newest applied migrations.
    Down {
        /// How many (default 1).
        #[arg(long, default_value_t = 1)]
        steps: usize,
    },
    /// List migrations as applied, pending or dirty.
    Status,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Schema { migrations, format } => schema(migrations, format),
        Command::Lint { path, format } => lint(path, format),
        Command::Lock { path, force } => lock(path, force),
        Command::Baseline { path, force } => baseline(path, force),
        Command::Describe {
            migrations,
            sql,
            queries,
            format,
        } => describe(migrations, sql, queries, format),
        Command::Check {
            paths,
            migrations,
            format,
            deny_warnings,
        } => check(paths, migrations, format, deny_warnings),
        Command::Migrate {
            action,
            database_url,
            migrations,
            lease_ms,
        } => run_migrations(action, database_url, migrations, lease_ms),
    }
}

fn check(
    paths: Vec<PathBuf>,
    migrations: Option<PathBuf>,
    format: CheckFormat,
    deny_warnings: bool,
) -> ExitCode {
    let migrations = migrations.or_else(|| {
        std::env::var_os(checked_query_checker::verdict::MIGRATIONS_ENV).map(PathBuf::from)
    });
    let paths = if paths.is_empty() {
        vec![checked_query_checker::check::crates::workspace_root(
            Path::new("."),
        )]
    } else {
        paths
    };
    let report = checked_query_checker::check::check_paths(&paths, migrations.as_deref());
    // Paths as the user typed them: relative to where the command runs.
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let diagnostics: Vec<Diagnostic> = report
        .diagnostics
        .into_iter()
        .map(|d| d.relative_to(&here))
        .collect();
    match format {
        CheckFormat::Human => {
            eprint!(
                "{}",
                render::human::render_all(&diagnostics, std::io::stderr().is_terminal())
            );
            eprintln!(
                "checked {} call(s) in {} file(s) of {} crate(s)",
                report.calls, report.files, report.crates
            );
        }
        CheckFormat::Json => println!("{}", serde_json::json!({ "diagnostics": diagnostics })),
        CheckFormat::Github => print!("{}", render::github::render(&diagnostics)),
        CheckFormat::Sarif => println!(
            "{}",
            serde_json::to_string_pretty(&render::sarif::render(&diagnostics))
                .expect("SARIF serialises")
        ),
    }
    let failing = diagnostics.iter().any(|d| d.is_error() || deny_warnings);
    if failing {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_migrations(
    action: MigrateAction,
    database_url: Option<String>,
    migrations: Option<PathBuf>,
    lease_ms: Option<u64>,
) -> ExitCode {
    let dir = match locate(migrations) {
        Ok(l) => l.dir,
        Err(d) => return fail(d, Format::Human),
    };
    let Some(url) = database_url.or_else(|| std::env::var("DATABASE_URL").ok()) else {
        return fail(
            Diagnostic::new(
                checked_query_checker::Code::Config,
                "no database to migrate",
            )
            .with_help("pass `--database-url postgres://…` or set DATABASE_URL"),
            Format::Human,
        );
    };
    let migrator = match migrate::load(&dir) {
        Ok(m) => m,
        Err(diagnostics) => {
            eprint!(
                "{}",
                render::human::render_all(&diagnostics, std::io::stderr().is_terminal())
            );
            eprintln!(
                "error: the migrations of `{}` have errors; nothing ran",
                dir.display()
            );
            return ExitCode::FAILURE;
        }
    };
    let action = match action {
        MigrateAction::Up => migrate::Action::Up,
        MigrateAction::Down { steps } => migrate::Action::Down { steps },
        MigrateAction::Status => migrate::Action::Status,
    };
    migrate::run(
        migrator,
        &url,
        lease_ms.map(std::time::Duration::from_millis),
        action,
    )
}

fn fail(d: Diagnostic, format: Format) -> ExitCode {
    match format {
        Format::Json => println!("{}", serde_json::json!({ "diagnostics": [d] })),
        Format::Human => eprint!(
            "{}",
            render::human::render_all(&[d], std::io::stderr().is_terminal())
        ),
    }
    ExitCode::FAILURE
}

/// The service whose migrations directory `dir` is. A directory that is none (`/`, a
/// path with no service name) is an error that says what to pass.
fn own_service<'w>(
    workspace: &'w checked_query_checker::Workspace,
    service: &str,
    dir: &std::path::Path,
) -> Result<&'w checked_query_checker::ServiceCatalog, Diagnostic> {
    workspace.service(service).ok_or_else(|| {
        Diagnostic::new(
            checked_query_checker::Code::Config,
            format!("`{}` is not a service's migrations directory", dir.display()),
        )
        .with_help("pass the directory that holds the migration files, e.g. `--migrations services/NAME/migrations`")
    })
}

fn schema(migrations: Option<PathBuf>, format: Format) -> ExitCode {
    let located = match locate(migrations) {
        Ok(l) => l,
        Err(d) => return fail(d, format),
    };
    let built = checked_query_checker::verdict::built(&located);
    let own = match own_service(&built.workspace, &located.service, &located.dir) {
        Ok(s) => s,
        Err(d) => return fail(d, format),
    };
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&render::json::schema(&own.catalog, &own.diagnostics))
                .unwrap()
        ),
        Format::Human => {
            print!("{}", render::text::schema(&own.catalog));
            eprint!(
                "{}",
                render::human::render_all(&own.diagnostics, std::io::stderr().is_terminal())
            );
        }
    }
    if has_errors(&own.diagnostics) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads `--sql` or the JSON-lines file into (id, sql) pairs.
fn read_queries(
    sql: Option<String>,
    queries: Option<PathBuf>,
) -> Result<Vec<(serde_json::Value, String)>, Diagnostic> {
    let bad = |m: String| Diagnostic::new(checked_query_checker::Code::Config, m);
    match (sql, queries) {
        (Some(s), None) => Ok(vec![(serde_json::Value::Null, s)]),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(&path).map_err(|e| bad(format!("cannot read `{}`: {e}", path.display())).in_file(&path))?;
            let mut out = Vec::new();
            let file = checked_query_checker::source::SourceFile::new(Some(path.clone()), text.clone());
            let mut start = 0;
            for line in text.split_inclusive('\n') {
                // The diagnostic points at the line itself: file, line and column fields.
                let range = start..start + line.trim_end().len();
                start += line.len();
                let line = line.trim_end();
                if line.trim().is_empty() {
                    continue;
                }
                let shape = "each line is {\"id\": \"…\", \"sql\": \"…\"}";
                let v: serde_json::Value = serde_json::from_str(line)
                    .map_err(|e| bad(format!("invalid JSON: {e}")).at(&file, range.clone()).with_help(shape))?;
                let Some(sql) = v.get("sql").and_then(|s| s.as_str()) else {
                    return Err(bad("missing \"sql\"".to_string()).at(&file, range).with_help(shape));
                };
                out.push((v.get("id").cloned().unwrap_or(serde_json::Value::Null), sql.to_string()));
            }
            Ok(out)
        }
        _ => Err(bad("give one query with --sql or a file with --queries".to_string()).with_help("e.g. `checked-query describe --migrations services/users/migrations --sql 'SELECT 1'`")),
    }
}

fn describe(
    migrations: Option<PathBuf>,
    sql: Option<String>,
    queries: Option<PathBuf>,
    format: Format,
) -> ExitCode {
    let located = match locate(migrations) {
        Ok(l) => l,
        Err(d) => return fail(d, format),
    };
    let queries = match read_queries(sql, queries) {
        Ok(q) => q,
        Err(d) => return fail(d, format),
    };
    let built = checked_query_checker::verdict::built(&located);
    let own = match own_service(&built.workspace, &located.service, &located.dir) {
        Ok(s) => s,
        Err(d) => return fail(d, format),
    };
    let styled = std::io::stderr().is_terminal();
    // The macro's gate: with errors in the migrations, every query fails; describe still
    // shows what it can.
    let gate = built.service(&located).err();
    if gate.is_some() {
        eprint!(
            "{}",
            render::human::render_all(&built.lints(&located.service), styled)
        );
        eprintln!(
            "the migrations of `{}` have errors: query results below may be wrong",
            located.service
        );
    }
    let mut all_ok = gate.is_none();
    for (id, sql) in queries {
        let analysis = match checked_query_checker::verdict::analyse(own, &sql) {
            Ok(a) => a,
            Err(d) => checked_query_checker::verdict::Analysed {
                sql: sql.clone(),
                names: Vec::new(),
                analysis: checked_query_checker::analysis::Analysis {
                    diagnostics: vec![d],
                    ..Default::default()
                },
            },
        };
        all_ok &= analysis.analysis.ok();
        match format {
            Format::Json => println!("{}", render::json::describe(&id, &analysis)),
            Format::Human => {
                if !id.is_null() {
                    println!("-- {id}");
                }
                print!("{}", render::text::describe(&analysis));
                eprint!(
                    "{}",
                    render::human::render_all(&analysis.analysis.diagnostics, styled)
                );
            }
        }
    }
    if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The service a command works on, found as the macro finds it: `--migrations` (with the
/// configuration above it) or `CHECKED_QUERY_MIGRATIONS`, else from the current directory.
fn locate(
    migrations: Option<PathBuf>,
) -> Result<checked_query_checker::verdict::Located, Diagnostic> {
    match migrations {
        Some(dir) => checked_query_checker::verdict::locate(Path::new("."), Some(dir)),
        None => checked_query_checker::verdict::locate_from_env(Path::new(".")),
    }
}

/// The migrations directories PATH stands for.
fn migrations_dirs(path: &std::path::Path) -> Vec<PathBuf> {
    if path.join("migrations").is_dir() {
        return vec![path.join("migrations")];
    }
    let has_sql = std::fs::read_dir(path)
        .map(|d| {
            d.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .unwrap_or(false);
    if has_sql || path.file_name().is_some_and(|n| n == "migrations") {
        return vec![path.to_path_buf()];
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(path)
        .map(|d| {
            d.flatten()
                .map(|e| e.path().join("migrations"))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

fn no_migrations(path: &std::path::Path) -> Diagnostic {
    Diagnostic::new(checked_query_checker::Code::MigrationsDirMissing, format!("no migrations under `{}`", path.display()))
        .in_file(path)
        .with_help("pass a services root (with `{name}/migrations/`), a service directory, or a migrations directory")
}

fn lint(path: PathBuf, format: Format) -> ExitCode {
    let dirs = migrations_dirs(&path);
    if dirs.is_empty() {
        return fail(no_migrations(&path), format);
    }
    let mut all = Vec::new();
    for dir in dirs {
        let settings = match checked_query_checker::policies::Settings::for_dir(&dir) {
            Ok(s) => s,
            Err(d) => return fail(d, format),
        };
        let service = checked_query_checker::migrations::service_name(&dir);
        let ws = checked_query_checker::build_workspace_with(&dir, &settings);
        if let Some(s) = ws.service(&service) {
            all.extend(checked_query_checker::lints::lint_service(s, &settings));
        }
    }
    match format {
        Format::Json => println!("{}", serde_json::json!({ "diagnostics": all })),
        Format::Human => eprint!(
            "{}",
            render::human::render_all(&all, std::io::stderr().is_terminal())
        ),
    }
    if has_errors(&all) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs `write` on each service under `path` (the one loop of `baseline` and `lock`): it
/// returns the line to print, or the diagnostic that stops the command; an I/O error names
/// the directory and the file it could not write.
fn write_per_service(
    path: &Path,
    file: &str,
    write: impl Fn(
        &Path,
        &checked_query_checker::migrations::ServiceMigrations,
    ) -> std::io::Result<Result<String, Diagnostic>>,
) -> ExitCode {
    let dirs = migrations_dirs(path);
    if dirs.is_empty() {
        return fail(no_migrations(path), Format::Human);
    }
    for dir in dirs {
        let service = checked_query_checker::migrations::service_name(&dir);
        let loaded = checked_query_checker::migrations::load_migrations(&dir, &service);
        match write(&dir, &loaded) {
            Ok(Ok(line)) => println!("{}: {line}", dir.display()),
            Ok(Err(d)) => return fail(d, Format::Human),
            Err(e) => {
                return fail(
                    Diagnostic::new(
                        checked_query_checker::Code::Io,
                        format!("cannot write {file} in `{}`: {e}", dir.display()),
                    )
                    .in_file(&dir)
                    .with_help("check the directory's permissions"),
                    Format::Human,
                )
            }
        }
    }
    ExitCode::SUCCESS
}

fn baseline(path: PathBuf, force: bool) -> ExitCode {
    use checked_query_checker::lints::{baseline, lockfile};
    write_per_service(&path, "the baseline", |dir, loaded| {
        Ok(match baseline::write(loaded, force)? {
            Ok(n) => {
                lockfile::lock(loaded, false)?;
                Ok(format!("baseline of {n} migration(s) in {}; checksums locked", baseline::FILE_NAME))
            }
            Err(n) => Err(Diagnostic::new(
                checked_query_checker::Code::Config,
                format!("`{}` already has a baseline of {n} migration(s)", dir.display()),
            )
            .in_file(&baseline::path(dir))
            .with_help("a baseline is set once, when a service adopts checked-query; pass --force to rewrite it")),
        })
    })
}

fn lock(path: PathBuf, force: bool) -> ExitCode {
    write_per_service(&path, "the lockfile", |_, loaded| {
        let added = checked_query_checker::lints::lockfile::lock(loaded, force)?;
        Ok(Ok(format!(
            "locked {} new migration(s){}",
            added.len(),
            if added.is_empty() {
                String::new()
            } else {
                format!(": {}", added.join(", "))
            }
        )))
    })
}
