//! The macro's own time per expansion, through the entry point the macro uses
//! (`verdict::locate_from_env` → `verdict::built` → `verdict::dependency_files` →
//! `verdict::check_call`), for a service of 5 and of 200 migrations:
//! - cold: the first expansion in a compiler process (nothing cached: the catalog is built,
//!   sibling services loaded, the migrations linted for the gate);
//! - warm: every later expansion (the catalog cached; its files' sizes and mtimes checked).
//!
//! Goals (issue #14): warm ≤ 0.3 ms per call, cold ≤ 20 ms for 200 migrations.
//! `cargo bench -p checked-query-checker --bench macro_time`

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use checked_query_checker::verdict::{self, call::ArgShape, Features, Form, Request};

/// A crate `svc` beside `migrations/` with `n` migrations in a services root of its own.
struct Workspace(PathBuf);

impl Workspace {
    fn new(n: usize) -> Workspace {
        let root = std::env::temp_dir().join(format!("cq-macro-time-{n}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let dir = root.join("services/svc/migrations");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            root.join("services/svc/Cargo.toml"),
            "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("00001_accounts.sql"),
            "-- +migrate Up\nCREATE TABLE accounts (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), email TEXT NOT NULL UNIQUE, name TEXT, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now());\n-- +migrate Down\nDROP TABLE accounts;\n",
        )
        .unwrap();
        for i in 2..=n {
            std::fs::write(
                dir.join(format!("{i:05}_entries_{i}.sql")),
                format!("-- +migrate Up\nCREATE TABLE entries_{i} (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), account_id UUID NOT NULL REFERENCES accounts (id), amount BIGINT NOT NULL, memo TEXT, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now());\nCREATE INDEX idx_entries_{i}_account_id ON entries_{i} (account_id);\n-- +migrate Down\nDROP TABLE entries_{i};\n"),
            )
            .unwrap();
        }
        Workspace(root)
    }

    fn crate_dir(&self) -> PathBuf {
        self.0.join("services/svc")
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One expansion, as `checked_query!` runs it.
fn expand(crate_dir: &Path, sql: &str, args: &[ArgShape]) {
    expand_timed(crate_dir, sql, args);
}

/// One expansion, and the time of each of its steps: locating the service, the workspace
/// built (migrations read, catalogs built), its files listed, and the query checked (the
/// first check of a service lints its migrations).
fn expand_timed(crate_dir: &Path, sql: &str, args: &[ArgShape]) -> [Duration; 4] {
    let t = Instant::now();
    let located = verdict::locate_from_env(crate_dir).expect("the service locates");
    let locate = t.elapsed();
    let t = Instant::now();
    let built = verdict::built(&located);
    let build = t.elapsed();
    let t = Instant::now();
    let _files = verdict::dependency_files(&located, &built);
    let files = t.elapsed();
    let t = Instant::now();
    let request = Request {
        sql,
        form: Form::Record,
        args,
        features: Features {
            uuid: true,
            chrono: true,
            json: true,
            ..Features::default()
        },
    };
    verdict::check_call(&located, &built, &request).expect("the query is accepted");
    [locate, build, files, t.elapsed()]
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    // `-- cold`: only cold expansions of the 200-migration service, many times (to profile).
    if std::env::args().any(|a| a == "cold") {
        let ws = Workspace::new(200);
        let dir = ws.crate_dir();
        let args = [ArgShape::Positional, ArgShape::Positional];
        let sql = "SELECT a.id FROM accounts a WHERE a.email = $1 AND a.name = $2";
        let mut steps: [Vec<Duration>; 4] = Default::default();
        let times = (0..40)
            .map(|_| {
                verdict::clear_cache();
                let t = Instant::now();
                let step = expand_timed(&dir, sql, &args);
                let total = t.elapsed();
                for (all, one) in steps.iter_mut().zip(step) {
                    all.push(one);
                }
                total
            })
            .collect();
        println!("200 migrations cold: {:.2?}", median(times));
        let [locate, build, files, check] = steps.map(median);
        println!(
            "  steps: locate {locate:.2?}, workspace {build:.2?}, files {files:.2?}, check (with the lints) {check:.2?}"
        );
        // Its parts: building the catalog, and linting the history for the gate.
        let migrations = dir.join("migrations");
        let settings = checked_query_checker::policies::Settings::default();
        let (mut build, mut lint) = (Vec::new(), Vec::new());
        for _ in 0..20 {
            let t = Instant::now();
            let service = checked_query_checker::build_service_with(
                checked_query_checker::migrations::load_migrations(&migrations, "svc"),
                &settings,
                &Default::default(),
            );
            build.push(t.elapsed());
            let t = Instant::now();
            checked_query_checker::lints::lint_service(&service, &settings);
            lint.push(t.elapsed());
        }
        println!("  build {:.2?}, lint {:.2?}", median(build), median(lint));
        return;
    }
    const SQL: &str = "SELECT a.id, a.email, e.amount FROM accounts a JOIN entries_2 e ON e.account_id = a.id WHERE a.email = $1 AND e.amount > $2";
    let args = [ArgShape::Positional, ArgShape::Positional];
    println!("{:<16} {:>12} {:>12}", "service", "cold", "warm/call");
    for n in [5, 200] {
        let ws = Workspace::new(n);
        let dir = ws.crate_dir();
        let cold = median(
            (0..7)
                .map(|_| {
                    verdict::clear_cache();
                    let t = Instant::now();
                    expand(&dir, SQL, &args);
                    t.elapsed()
                })
                .collect(),
        );
        expand(&dir, SQL, &args);
        let calls = 2_000;
        let warm = median(
            (0..5)
                .map(|_| {
                    let t = Instant::now();
                    for _ in 0..calls {
                        expand(&dir, SQL, &args);
                    }
                    t.elapsed() / calls
                })
                .collect(),
        );
        println!(
            "{:<16} {cold:>12.2?} {warm:>12.2?}",
            format!("{n} migrations")
        );
    }
}
