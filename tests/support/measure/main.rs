//! `measure`: how the checker does on a checkout of a service that uses sqlx today, judged by
//! PostgreSQL. Not a test (the checkouts are not ours to commit): a tool to run on a public
//! repository brought onto the machine.
//!
//! ```text
//! cargo run -p checked-query-tests --bin measure -- <checkout> [--verbose]
//! cargo run -p checked-query-tests --bin measure -- --sqlc <sqlc>/internal/endtoend/testdata
//! ```
//!
//! For every `migrations` directory under the checkout it builds the checker's catalog from
//! the files, applies the same files to a fresh PostgreSQL database (a history PostgreSQL
//! rejects is reported and left out: it is another database's), and compares the two schemas.
//! Then it reads every `sqlx::query!`-family call of the Rust sources (`query_file!` included)
//! and sets the checker's verdict on each statement beside PostgreSQL's Parse/Describe: false
//! accepts, false rejects with the checker's reason, and parameter or column types that
//! differ. The same queries are then judged against older prefixes of the history (its first
//! half, and all but its last migration): code ahead of its schema, which the checker must
//! reject wherever PostgreSQL does. A source file's queries go to the history of its crate (`sqlx::migrate!("…")` when
//! the crate names one, else the nearest `migrations` directory).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use checked_query::testing::database_schema;
use checked_query_checker::analysis::{analyze_sql, Context};
use checked_query_checker::catalog::schema_lines;
use checked_query_checker::migrations::load_migrations;
use checked_query_checker::policies::Settings;
use checked_query_checker::statements::split_statements;
use checked_query_checker::{build_service_with, render, Diagnostic, ServiceCatalog, Severity};
use checked_query_tests::judge::{
    describe_on_postgres, null_columns, rejected_when_run, Described,
};
use checked_query_tests::{block_on, TestDb};
use syn::visit::Visit;

mod sqlc;

/// The sqlx macros whose SQL is checked at build time, and the position of their SQL
/// argument (after `query_as!`'s record type).
const MACROS: &[(&str, usize)] = &[
    ("query", 0),
    ("query_unchecked", 0),
    ("query_scalar", 0),
    ("query_scalar_unchecked", 0),
    ("query_as", 1),
    ("query_as_unchecked", 1),
    ("query_file", 0),
    ("query_file_unchecked", 0),
    ("query_file_scalar", 0),
    ("query_file_scalar_unchecked", 0),
    ("query_file_as", 1),
    ("query_file_as_unchecked", 1),
];

/// The table sqlx 0.9's migrator creates before it runs a history.
const SQLX_LEDGER: &str = "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, \
     description TEXT NOT NULL, installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), \
     success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)";

/// One query-macro call found in the sources.
struct Found {
    /// `path:line` of the call.
    at: String,
    sql: String,
}

/// A history and the queries that run against it.
struct History {
    dir: PathBuf,
    queries: Vec<Found>,
}

#[derive(Default)]
struct Tally {
    queries: usize,
    pg_ok: usize,
    pg_err: usize,
    agree: usize,
    false_accept: usize,
    false_reject: usize,
    types: usize,
    /// DOWN parts on which the checker and PostgreSQL agree (both run, or both fail).
    down_agree: usize,
    /// DOWN parts PostgreSQL runs where the checker reports an error.
    down_false_error: usize,
    /// DOWN parts PostgreSQL fails where the checker reports none.
    down_missed: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose" || a == "-v");
    let Some(root) = args.iter().find(|a| !a.starts_with('-')) else {
        eprintln!("usage: measure <checkout> [--verbose] | measure --sqlc <testdata> [--verbose]");
        std::process::exit(2);
    };
    let root = PathBuf::from(root);
    if args.iter().any(|a| a == "--sqlc") {
        block_on(sqlc::run(&root, verbose));
        return;
    }
    let mut dirs = Vec::new();
    let mut sources = Vec::new();
    walk(&root, &mut dirs, &mut sources);
    dirs.sort();
    let mut histories: Vec<History> = dirs
        .into_iter()
        .map(|dir| History {
            dir,
            queries: Vec::new(),
        })
        .collect();
    let mut unassigned = 0;
    let mut not_literal = 0;
    // Each crate's `migrate!("…")` directory, read once per crate rather than per file.
    let mut named: BTreeMap<PathBuf, Option<PathBuf>> = BTreeMap::new();
    for file in &sources {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let Ok(ast) = syn::parse_file(&text) else {
            continue;
        };
        let krate = crate_root(file, &root);
        let mut calls = Calls::default();
        calls.visit_file(&ast);
        if calls.found.is_empty() && calls.not_literal == 0 {
            continue;
        }
        not_literal += calls.not_literal;
        let named = named
            .entry(krate.clone())
            .or_insert_with(|| migrate_path(&krate));
        let Some(h) = history_of(file, named.as_deref(), &histories) else {
            unassigned += calls.found.len();
            continue;
        };
        for (line, sql) in calls.found {
            let sql = match sql {
                Sql::Text(s) => s,
                Sql::File(p) => match std::fs::read_to_string(krate.join(&p)) {
                    Ok(s) => s,
                    Err(_) => {
                        not_literal += 1;
                        continue;
                    }
                },
            };
            let at = format!(
                "{}:{line}",
                file.strip_prefix(&root).unwrap_or(file).display()
            );
            histories[h].queries.push(Found { at, sql });
        }
    }

    // sqlx's ledger, which sqlx's migrator creates first, declared as the README says.
    let ledger = std::env::temp_dir().join("checked-query-measure-sqlx-ledger.sql");
    std::fs::write(&ledger, format!("{SQLX_LEDGER};\n")).expect("write the ledger's DDL");
    let settings = Settings {
        postgres_only: true,
        external: vec![ledger],
        ..Settings::default()
    };
    let mut total = Tally::default();
    let mut prefix = Tally::default();
    println!(
        "{:<50} {:>5} {:>6} {:>6} {:>8} {:>6} {:>5} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "history",
        "migr",
        "errors",
        "up-err",
        "postgres",
        "schema",
        "d-err",
        "d-mis",
        "quer",
        "pg-ok",
        "pg-err",
        "f-acc",
        "f-rej",
        "types"
    );
    let mut details = Vec::new();
    for h in &histories {
        let rel = h
            .dir
            .strip_prefix(&root)
            .unwrap_or(&h.dir)
            .display()
            .to_string();
        let service = h
            .dir
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "service".to_string());
        let built = build_service_with(
            load_migrations(&h.dir, &service),
            &settings,
            &Default::default(),
        );
        let errors: Vec<_> = built
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        // Errors outside DOWN parts: what still fails the build after a baseline.
        let up_errors = errors
            .iter()
            .filter(|d| {
                !built.migrations.migrations.iter().any(|m| {
                    m.down.as_ref().is_some_and(|down| {
                        d.file == down.file.display_path()
                            && (down.range.contains(&d.start) || down.range.start == d.start)
                    })
                })
            })
            .count();
        let (applied, schema_diff, tally) = block_on(judge(&built, h, &mut details, verbose));
        let applied_text = match &applied {
            Ok(()) => "ok".to_string(),
            Err(_) => "rejects".to_string(),
        };
        if let Err(why) = &applied {
            details.push(format!(
                "{rel}: PostgreSQL rejects the history, left out: {why}"
            ));
        }
        for d in &errors {
            details.push(format!(
                "{rel}: BUILD ERROR {}",
                render::human::render(d, false)
            ));
        }
        for l in &schema_diff {
            details.push(format!("{rel}: SCHEMA {l}"));
        }
        println!(
            "{:<50} {:>5} {:>6} {:>6} {:>8} {:>6} {:>5} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            truncate(&rel, 50),
            built.migrations.migrations.len(),
            errors.len(),
            up_errors,
            applied_text,
            if applied.is_ok() {
                schema_diff.len().to_string()
            } else {
                "-".to_string()
            },
            tally.down_false_error,
            tally.down_missed,
            tally.queries,
            tally.pg_ok,
            tally.pg_err,
            tally.false_accept,
            tally.false_reject,
            tally.types
        );
        if applied.is_ok() {
            total += &tally;
            // Older prefixes: half the history, and all but its last migration.
            let n = built.migrations.migrations.len();
            let mut cuts = vec![n / 2, n.saturating_sub(1)];
            cuts.dedup();
            for cut in cuts.into_iter().filter(|&c| c > 0 && !h.queries.is_empty()) {
                let t = block_on(judge_prefix(
                    h,
                    &service,
                    &settings,
                    cut,
                    &mut details,
                    verbose,
                ));
                println!(
                    "  prefix {cut}/{n}: {} queries, PostgreSQL rejects {}, false accepts {}, false rejects {}, type differences {}",
                    t.queries, t.pg_err, t.false_accept, t.false_reject, t.types
                );
                prefix += &t;
            }
        }
    }
    print_totals(&total, not_literal, unassigned);
    println!(
        "against older prefixes: {} queries judged; PostgreSQL rejects {}; false accepts: {}; \
         false rejects: {}; type differences: {}",
        prefix.queries, prefix.pg_err, prefix.false_accept, prefix.false_reject, prefix.types
    );
    for d in details {
        println!("{d}");
    }
}

impl std::ops::AddAssign<&Tally> for Tally {
    fn add_assign(&mut self, t: &Tally) {
        self.queries += t.queries;
        self.pg_ok += t.pg_ok;
        self.pg_err += t.pg_err;
        self.agree += t.agree;
        self.false_accept += t.false_accept;
        self.false_reject += t.false_reject;
        self.types += t.types;
        self.down_agree += t.down_agree;
        self.down_false_error += t.down_false_error;
        self.down_missed += t.down_missed;
    }
}

/// The totals over everything judged.
fn print_totals(total: &Tally, not_literal: usize, unassigned: usize) {
    let accepted = total.pg_ok - total.false_reject;
    println!(
        "\nqueries judged: {}; PostgreSQL accepts {} and the checker {} of them ({:.1} %); \
         false accepts: {}; type differences: {}; agreement {:.1} %; \
         calls without a literal or readable file: {not_literal}; calls with no history: {unassigned}\n\
         DOWN parts judged: {}; the checker agrees on {}, errs where PostgreSQL runs {}, misses {}",
        total.queries,
        total.pg_ok,
        accepted,
        if total.pg_ok == 0 {
            100.0
        } else {
            100.0 * accepted as f64 / total.pg_ok as f64
        },
        total.false_accept,
        total.types,
        if total.queries == 0 {
            100.0
        } else {
            100.0 * total.agree as f64 / total.queries as f64
        },
        total.down_agree + total.down_false_error + total.down_missed,
        total.down_agree,
        total.down_false_error,
        total.down_missed,
    );
}

/// Applies the history to a fresh database, compares the schemas and judges its queries.
async fn judge(
    built: &ServiceCatalog,
    h: &History,
    details: &mut Vec<String>,
    verbose: bool,
) -> (Result<(), String>, Vec<String>, Tally) {
    use sqlx_describe::Connection as _;
    let (db, mut conn) = fresh_with_ledger().await;
    let mut tally = Tally::default();
    for m in &built.migrations.migrations {
        // A DOWN part without an UP (an orphan `.down.sql`) is the checker's file error.
        if m.up.is_none() {
            continue;
        }
        if let Err(e) = apply_up(&mut conn, m).await {
            return (Err(e), Vec::new(), tally);
        }
        // The DOWN part, judged where the checker judges it: right after its UP, in a
        // transaction rolled back.
        let Some(down) = &m.down else { continue };
        let checker_errors: Vec<&Diagnostic> = built
            .diagnostics
            .iter()
            .filter(|d| {
                d.severity == Severity::Error
                    && d.file == down.file.display_path()
                    && down.range.contains(&d.start)
            })
            .collect();
        let text = &down.file.text[down.range.clone()];
        let ran = run_rolled_back(&mut conn, text).await;
        match (ran, checker_errors.first()) {
            (Ok(()), None) => tally.down_agree += 1,
            (Err(e), Some(_)) => {
                tally.down_agree += 1;
                if verbose {
                    details.push(format!("both reject the DOWN of {}: {e}", m.name));
                }
            }
            (Ok(()), Some(d)) => {
                tally.down_false_error += 1;
                details.push(format!(
                    "DOWN FALSE ERROR {}: PostgreSQL runs it; checker {}",
                    m.name,
                    render::human::render(d, false)
                ));
            }
            // `CREATE INDEX CONCURRENTLY` and the like cannot be judged in a transaction.
            (Err(e), None) if e.contains("25001") => {}
            (Err(e), None) => {
                tally.down_missed += 1;
                details.push(format!(
                    "DOWN MISSED {}: PostgreSQL fails it ({e}); the checker has no error",
                    m.name
                ));
            }
        }
    }
    let mut ours = schema_lines(&built.catalog);
    ours.retain(|l| !l.contains("_sqlx_migrations"));
    let mut theirs = database_schema(&mut conn).await.expect("read the schema");
    theirs.retain(|l| !l.contains("_sqlx_migrations"));
    let diff = differences(&ours, &theirs);
    drop(conn);

    let mut conn = sqlx_describe::PgConnection::connect(db.url())
        .await
        .expect("connect");
    for q in &h.queries {
        judge_query(built.context(), &mut conn, q, &mut tally, details, verbose).await;
    }
    (Ok(()), diff, tally)
}

/// A fresh database with sqlx's ledger, which exists before the first migration runs (and
/// histories read it), and a connection to it.
async fn fresh_with_ledger() -> (TestDb, checked_query::sqlx::PgConnection) {
    use checked_query::sqlx::Connection as _;
    let db = TestDb::start();
    let mut conn = checked_query::sqlx::PgConnection::connect(db.url())
        .await
        .expect("connect");
    checked_query::sqlx::raw_sql(checked_query::sqlx::AssertSqlSafe(SQLX_LEDGER))
        .execute(&mut conn)
        .await
        .expect("create sqlx's ledger");
    (db, conn)
}

/// Runs a migration's UP part as sqlx does: the file's text in one simple query; statement by
/// statement when it has `CREATE INDEX CONCURRENTLY` and the like (no transaction).
async fn apply_up(
    conn: &mut checked_query::sqlx::PgConnection,
    m: &checked_query_checker::migrations::Migration,
) -> Result<(), String> {
    let Some(up) = &m.up else { return Ok(()) };
    let pieces: Vec<String> = match split_statements(&up.file, up.range.clone()) {
        Ok(stmts) => stmts.iter().map(|s| s.text().to_string()).collect(),
        Err(_) => vec![up.file.text[up.range.clone()].to_string()],
    };
    for piece in pieces {
        checked_query::sqlx::raw_sql(checked_query::sqlx::AssertSqlSafe(piece))
            .execute(&mut *conn)
            .await
            .map_err(|e| format!("{}: {e}", m.name))?;
    }
    Ok(())
}

/// The history's queries judged against its first `cut` migrations only: code ahead of its
/// schema, which the checker must still reject wherever PostgreSQL does.
async fn judge_prefix(
    h: &History,
    service: &str,
    settings: &Settings,
    cut: usize,
    details: &mut Vec<String>,
    verbose: bool,
) -> Tally {
    use sqlx_describe::Connection as _;
    let mut migrations = load_migrations(&h.dir, service);
    let total = migrations.migrations.len();
    migrations.migrations.truncate(cut);
    let built = build_service_with(migrations, settings, &Default::default());
    let mut tally = Tally::default();
    let (db, mut conn) = fresh_with_ledger().await;
    for m in &built.migrations.migrations {
        if let Err(e) = apply_up(&mut conn, m).await {
            details.push(format!("prefix {cut}/{total}: PostgreSQL rejects {e}"));
            return tally;
        }
    }
    drop(conn);
    let mut conn = sqlx_describe::PgConnection::connect(db.url())
        .await
        .expect("connect");
    for q in &h.queries {
        let q = Found {
            at: format!("{} (first {cut} of {total} migrations)", q.at),
            sql: q.sql.clone(),
        };
        judge_query(built.context(), &mut conn, &q, &mut tally, details, verbose).await;
    }
    tally
}

/// Sets the checker's verdict on one statement beside PostgreSQL's, counting it in `tally`
/// and saying in `details` where they differ.
async fn judge_query(
    cx: Context<'_>,
    conn: &mut sqlx_describe::PgConnection,
    q: &Found,
    tally: &mut Tally,
    details: &mut Vec<String>,
    verbose: bool,
) {
    tally.queries += 1;
    let analysis = analyze_sql(cx, &q.sql);
    let theirs = describe_on_postgres(conn, &q.sql).await;
    let reason = || {
        analysis
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {}", d.code.as_str(), d.message))
            .unwrap_or_default()
    };
    let one_line = q.sql.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = &q.at;
    match (theirs, analysis.ok()) {
        (Err((state, msg)), true) => {
            tally.pg_err += 1;
            tally.false_accept += 1;
            details.push(format!(
                "FALSE ACCEPT {at}: {one_line}\n    PostgreSQL {state}: {msg}"
            ));
        }
        (Err((state, msg)), false) => {
            tally.pg_err += 1;
            tally.agree += 1;
            if verbose {
                details.push(format!(
                    "both reject {at}: PostgreSQL {state}: {msg}; checker {}",
                    reason()
                ));
            }
        }
        (Ok(pg), false) if matches!(null_columns(conn, &pg.params).await, Err((ref state, _)) if rejected_when_run(state)) =>
        {
            tally.pg_err += 1;
            tally.agree += 1;
            if verbose {
                details.push(format!(
                    "both reject {at} (PostgreSQL when it runs): checker {}",
                    reason()
                ));
            }
        }
        (Ok(_), false) => {
            tally.pg_ok += 1;
            tally.false_reject += 1;
            details.push(format!(
                "FALSE REJECT {at}: {one_line}\n    checker {}",
                reason()
            ));
        }
        (Ok(pg), true) => {
            tally.pg_ok += 1;
            let our = Described::of(&analysis);
            if our != pg {
                tally.types += 1;
                details.push(format!(
                    "TYPES {at}: {one_line}\n    PostgreSQL {pg:?}\n    checker    {our:?}"
                ));
            } else {
                tally.agree += 1;
            }
        }
    }
}

/// Runs `sql` in a transaction that is rolled back; the error with its SQLSTATE.
async fn run_rolled_back(
    conn: &mut checked_query::sqlx::PgConnection,
    sql: &str,
) -> Result<(), String> {
    use checked_query::sqlx::{raw_sql, AssertSqlSafe};
    raw_sql("BEGIN").execute(&mut *conn).await.expect("BEGIN");
    let ran = raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await;
    raw_sql("ROLLBACK")
        .execute(&mut *conn)
        .await
        .expect("ROLLBACK");
    ran.map(|_| ()).map_err(|e| {
        let state = e
            .as_database_error()
            .and_then(|d| d.code())
            .map(|c| c.to_string())
            .unwrap_or_default();
        format!("{state} {e}")
    })
}

/// Lines only one side has, marked with the side.
fn differences(ours: &[String], theirs: &[String]) -> Vec<String> {
    fn count(v: &[String]) -> BTreeMap<&str, usize> {
        let mut m = BTreeMap::new();
        for l in v {
            *m.entry(l.as_str()).or_default() += 1;
        }
        m
    }
    let (a, b) = (count(ours), count(theirs));
    let mut out = Vec::new();
    for (l, n) in &a {
        if b.get(l).copied().unwrap_or(0) < *n {
            out.push(format!("checker only: {l}"));
        }
    }
    for (l, n) in &b {
        if a.get(l).copied().unwrap_or(0) < *n {
            out.push(format!("PostgreSQL only: {l}"));
        }
    }
    out
}

enum Sql {
    Text(String),
    /// `query_file!`'s path, relative to the crate's manifest directory.
    File(String),
}

/// The query-macro calls of one file, with macros inside other macros' arguments
/// (`tokio::join!(query!(…).fetch_one(…), …)`) read as expressions.
#[derive(Default)]
struct Calls {
    found: Vec<(usize, Sql)>,
    not_literal: usize,
}

impl<'ast> Visit<'ast> for Calls {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let args = mac.parse_body_with(
            syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
        );
        match MACROS.iter().find(|(n, _)| *n == name) {
            Some((_, position)) => {
                let line = mac
                    .path
                    .segments
                    .first()
                    .map(|s| s.ident.span().start().line)
                    .unwrap_or(0);
                let literal = args.ok().and_then(|a| match a.iter().nth(*position) {
                    Some(syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    })) => Some(s.value()),
                    _ => None,
                });
                match literal {
                    Some(s) if name.starts_with("query_file") => {
                        self.found.push((line, Sql::File(s)))
                    }
                    Some(s) => self.found.push((line, Sql::Text(s))),
                    None => self.not_literal += 1,
                }
            }
            None => {
                if let Ok(args) = args {
                    for a in &args {
                        self.visit_expr(a);
                    }
                }
            }
        }
    }
}

/// Collects `migrations` directories holding `.sql` files and the Rust sources, skipping
/// build output, VCS data and dependencies.
fn walk(dir: &Path, dirs: &mut Vec<PathBuf>, sources: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut has_sql = false;
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() {
            if matches!(name.as_str(), "target" | ".git" | "node_modules" | "vendor") {
                continue;
            }
            walk(&path, dirs, sources);
        } else if name.ends_with(".rs") {
            sources.push(path);
        } else if name.ends_with(".sql") {
            has_sql = true;
        }
    }
    // `migrations/` itself, or a directory under it (`migrations/postgresql/`).
    if has_sql && dir.components().any(|c| c.as_os_str() == "migrations") {
        dirs.push(dir.to_path_buf());
    }
}

/// The nearest directory above `file` with a `Cargo.toml` (the checkout's root at most).
fn crate_root(file: &Path, root: &Path) -> PathBuf {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d.join("Cargo.toml").is_file() || d == root {
            return d.to_path_buf();
        }
        dir = d.parent();
    }
    root.to_path_buf()
}

/// The history a file's queries run against: the one its crate's `migrate!("…")` names
/// (`named`), else the `migrations` directory nearest to the file, else the checkout's
/// only one.
fn history_of(file: &Path, named: Option<&Path>, histories: &[History]) -> Option<usize> {
    if let Some(named) = named {
        if let Some(i) = histories.iter().position(|h| same_dir(&h.dir, named)) {
            return Some(i);
        }
    }
    histories
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            // The directory holding `migrations/` (whatever lies below it).
            let base = h
                .dir
                .ancestors()
                .find(|a| a.file_name().is_some_and(|n| n == "migrations"))?
                .parent()?;
            file.starts_with(base)
                .then(|| (base.components().count(), i))
        })
        .max()
        .map(|(_, i)| i)
        .or((histories.len() == 1).then_some(0))
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The directory of the crate's first `sqlx::migrate!("…")`, relative to its manifest.
fn migrate_path(krate: &Path) -> Option<PathBuf> {
    let mut stack = vec![krate.join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).ok()?.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                if let Some(at) = text.find("migrate!(\"") {
                    let rest = &text[at + "migrate!(\"".len()..];
                    let end = rest.find('"')?;
                    return Some(krate.join(&rest[..end]));
                }
            }
        }
    }
    None
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let tail: String = s
            .chars()
            .rev()
            .take(n - 1)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("…{tail}")
    }
}
