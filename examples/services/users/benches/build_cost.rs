//! What checking costs at build time, against sqlx: `cargo check` after touching a file of N
//! queries against this service's schema, in three variants of the same code:
//! - `unchecked`: `sqlx::query` / `query_as` / `query_scalar` with `.bind(…)`, nothing checked;
//! - `checked`: `checked_query!` and friends (the schema from `migrations/`, no database);
//! - `sqlx`: `sqlx::query!` and friends from their offline `.sqlx` cache, prepared once against
//!   a throwaway PostgreSQL (a fresh database in `DATABASE_URL`'s server, else a cluster) with this
//!   service's migrations applied; the timed builds run with `SQLX_OFFLINE=true`.
//!
//! The crates are generated in `target/build-cost/` (a workspace of their own, one target
//! directory, dependencies built once, and the proc macros optimized as each tool's README
//! advises). For each N the variants are built in turn, one `cargo check` each per run,
//! `runs` times (at least 5), so drift on a shared machine falls on every variant alike. It
//! prints the median wall time of each, the ratio to `unchecked` (the median of each
//! run's own ratio, so that a slow stretch of the machine cancels within the run), and
//! what each query adds over `unchecked` (from the medians).
//!
//! Goals (issue #14): `checked` ≤ 1.5× `unchecked` at N = 200; its cost per query not growing
//! from N = 50 to 1000.
//!
//! `cargo bench -p users-service --bench build_cost [-- N… [--runs R]]` (default N = 50 200
//! 1000, R = 5; a few minutes, most of it `sqlx::query!` at N = 1000).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use checked_query::testing::TempPostgres;

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Unchecked,
    Checked,
    Sqlx,
}

impl Variant {
    const ALL: [Variant; 3] = [Variant::Unchecked, Variant::Checked, Variant::Sqlx];

    fn name(self) -> &'static str {
        match self {
            Variant::Unchecked => "unchecked",
            Variant::Checked => "checked",
            Variant::Sqlx => "sqlx",
        }
    }

    fn package(self) -> String {
        format!("cost-{}", self.name())
    }

    fn label(self) -> &'static str {
        match self {
            Variant::Unchecked => "sqlx::query + bind (unchecked)",
            Variant::Checked => "checked_query!",
            Variant::Sqlx => "sqlx::query! (offline cache)",
        }
    }
}

/// The sqlx both other variants use: the version the runtime is built on.
const SQLX: &str = r#"sqlx = { version = "=0.9.1", default-features = false, features = ["postgres", "runtime-tokio", "chrono"#;

/// Query `i` of a generated file in `variant`: an async function reading what each variant
/// returns the same way, so the three files differ only in how the SQL is checked. Five
/// shapes in turn, as a service's queries go: a row by primary key, a join, an insert, an
/// update, a count. The literal numbered `i` keeps each SQL text distinct, as real queries are.
fn query(variant: Variant, i: usize) -> String {
    let f = format!(
        "pub async fn q{i}(pool: &sqlx::PgPool, key: &str) -> Result<usize, sqlx::Error> {{"
    );
    let body = match (i % 5, variant) {
        (0, v) => {
            let sql = format!("SELECT id, email, email_verified, status, created_at FROM users WHERE id = $1 LIMIT {}", i + 1);
            let fetch = match v {
                Variant::Unchecked => format!("let (id, email, verified, status, created_at): (String, String, bool, String, DateTime<Utc>) = sqlx::query_as({sql:?}).bind(key).fetch_one(pool).await?;"),
                Variant::Checked => format!("let r = checked_query!({sql:?}, key).fetch_one(pool).await?; let (id, email, verified, status, created_at) = (r.id, r.email, r.email_verified, r.status, r.created_at);"),
                Variant::Sqlx => format!("let r = sqlx::query!({sql:?}, key).fetch_one(pool).await?; let (id, email, verified, status, created_at) = (r.id, r.email, r.email_verified, r.status, r.created_at);"),
            };
            format!("{fetch}\n    Ok(id.len() + email.len() + usize::from(verified) + status.len() + created_at.timestamp() as usize)")
        }
        (1, v) => {
            let sql = format!("SELECT s.id, s.device_label, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND s.revoked_at IS NULL ORDER BY s.created_at DESC LIMIT {}", i + 1);
            let fetch = match v {
                Variant::Unchecked => format!("let rows: Vec<(String, Option<String>, String)> = sqlx::query_as({sql:?}).bind(key).fetch_all(pool).await?;"),
                Variant::Checked => format!("let rows: Vec<_> = checked_query!({sql:?}, key).fetch_all(pool).await?.into_iter().map(|r| (r.id, r.device_label, r.email)).collect();"),
                Variant::Sqlx => format!("let rows: Vec<_> = sqlx::query!({sql:?}, key).fetch_all(pool).await?.into_iter().map(|r| (r.id, r.device_label, r.email)).collect();"),
            };
            format!("{fetch}\n    Ok(rows.iter().map(|(id, label, email)| id.len() + label.as_ref().map_or(0, |l| l.len()) + email.len()).sum())")
        }
        (2, v) => {
            let sql = format!("INSERT INTO auth_codes (id, email, code, purpose, expires_at) VALUES ($1, $2, $3, 'purpose_{i}', now() + interval '10 minutes')");
            let run = match v {
                Variant::Unchecked => format!("sqlx::query({sql:?}).bind(key).bind(\"user@example.com\").bind(\"123456\").execute(pool).await?"),
                Variant::Checked => format!("checked_query!({sql:?}, key, \"user@example.com\", \"123456\").execute(pool).await?"),
                Variant::Sqlx => format!("sqlx::query!({sql:?}, key, \"user@example.com\", \"123456\").execute(pool).await?"),
            };
            format!("let done = {run};\n    Ok(done.rows_affected() as usize)")
        }
        (3, v) => {
            let sql = format!("UPDATE auth_codes SET used_at = now() WHERE email = $1 AND purpose = 'purpose_{i}' AND used_at IS NULL");
            let run = match v {
                Variant::Unchecked => {
                    format!("sqlx::query({sql:?}).bind(key).execute(pool).await?")
                }
                Variant::Checked => format!("checked_query!({sql:?}, key).execute(pool).await?"),
                Variant::Sqlx => format!("sqlx::query!({sql:?}, key).execute(pool).await?"),
            };
            format!("let done = {run};\n    Ok(done.rows_affected() as usize)")
        }
        (_, v) => {
            let sql = format!(
                "SELECT count(*) AS n FROM auth_codes WHERE email = $1 AND purpose = 'purpose_{i}'"
            );
            // sqlx::query_scalar! cannot see that count(*) is never NULL; checked_query! can.
            let fetch = match v {
                Variant::Unchecked => format!("let n: i64 = sqlx::query_scalar({sql:?}).bind(key).fetch_one(pool).await?;"),
                Variant::Checked => format!("let n = checked_query_scalar!({sql:?}, key).fetch_one(pool).await?;"),
                Variant::Sqlx => format!("let n = sqlx::query_scalar!({sql:?}, key).fetch_one(pool).await?.unwrap_or(0);"),
            };
            format!("{fetch}\n    Ok(n as usize)")
        }
    };
    format!("{f}\n    {body}\n}}\n\n")
}

fn source(variant: Variant, n: usize) -> String {
    let mut out = String::from(
        "//! Generated by users-service's build_cost bench.\n#![allow(clippy::all)]\n",
    );
    match variant {
        Variant::Unchecked => out.push_str("use sqlx::types::chrono::{DateTime, Utc};\n\n"),
        Variant::Checked => {
            out.push_str("use checked_query::{checked_query, checked_query_scalar};\n\n")
        }
        Variant::Sqlx => out.push('\n'),
    }
    for i in 0..n {
        out.push_str(&query(variant, i));
    }
    out
}

struct Bench {
    root: PathBuf,
}

impl Bench {
    /// The generated workspace; its target directory persists between runs of the bench, so
    /// only the first run builds the dependencies.
    fn create() -> Bench {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let repo = here
            .join("../../..")
            .canonicalize()
            .expect("the repository");
        let root = repo.join("target/build-cost");
        let quote = |p: &Path| format!("{:?}", p.display().to_string());
        let runtime = quote(&repo.join("runtime"));
        let migrations = quote(&here.join("migrations"));
        write(
            &root.join("Cargo.toml"),
"[workspace]\nresolver = \"2\"\nmembers = [\"cost-unchecked\", \"cost-checked\", \"cost-sqlx\"]\n\n\
                 # The proc macros optimized, as checked-query's and sqlx's READMEs advise.\n\
                 [profile.dev.package.checked-query-macros]\nopt-level = 3\n\
                 [profile.dev.package.checked-query-checker]\nopt-level = 3\n\
                 [profile.dev.package.sqlparser]\nopt-level = 3\n\
                 [profile.dev.package.sqlx-macros]\nopt-level = 3\n\
                 [profile.dev.package.syn]\nopt-level = 3\n\
                 [profile.dev.package.proc-macro2]\nopt-level = 3\n\
                 [profile.dev.package.quote]\nopt-level = 3\n",
        );
        // The repository's lock pins every version both share.
        if !root.join("Cargo.lock").exists() {
            std::fs::copy(repo.join("Cargo.lock"), root.join("Cargo.lock"))
                .expect("copy Cargo.lock");
        }
        for variant in Variant::ALL {
            let deps = match variant {
                Variant::Unchecked => format!("{SQLX}\"] }}\n"),
                Variant::Checked => format!(
                    "{SQLX}\"] }}\nchecked-query = {{ path = {runtime} }}\n\n\
                     [package.metadata.checked-query]\nmigrations = {migrations}\n"
                ),
                Variant::Sqlx => format!("{SQLX}\", \"macros\"] }}\n"),
            };
            write(
                &root.join(variant.package()).join("Cargo.toml"),
                &format!(
                    "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{deps}",
                    variant.package()
                ),
            );
        }
        Bench { root }
    }

    fn lib(&self, variant: Variant) -> PathBuf {
        self.root.join(variant.package()).join("src/lib.rs")
    }

    /// `cargo check` of one variant; sqlx's macros read the offline cache unless
    /// `database_url` is given (then they describe against it and write the cache).
    fn check(&self, variant: Variant, database_url: Option<&str>) -> Duration {
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.args(["check", "--quiet", "-p", &variant.package()])
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", self.root.join("target"))
            .env_remove("CHECKED_QUERY_MIGRATIONS")
            .env_remove("RUSTFLAGS");
        let sqlx_cache = self.root.join(variant.package()).join(".sqlx");
        match database_url {
            Some(url) => {
                let _ = std::fs::remove_dir_all(&sqlx_cache);
                std::fs::create_dir_all(&sqlx_cache).unwrap();
                cmd.env("DATABASE_URL", url)
                    .env("SQLX_OFFLINE", "false")
                    .env("SQLX_OFFLINE_DIR", &sqlx_cache);
            }
            None => {
                cmd.env_remove("DATABASE_URL")
                    .env_remove("SQLX_OFFLINE_DIR")
                    .env("SQLX_OFFLINE", "true");
            }
        }
        let start = Instant::now();
        let status = cmd.status().expect("run cargo");
        let took = start.elapsed();
        assert!(
            status.success(),
            "cargo check -p {} failed",
            variant.package()
        );
        took
    }

    /// Rewrites a variant's file with `text` (a new mtime even when the text is the same), so
    /// the next `cargo check` compiles the crate again and nothing else.
    fn touch(&self, variant: Variant, text: &str) {
        write(&self.lib(variant), text);
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let mut sizes = Vec::new();
    let mut runs = 5usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args
                .next()
                .and_then(|r| r.parse::<usize>().ok())
                .expect("--runs R")
                .max(5);
        } else if let Ok(n) = arg.parse::<usize>() {
            sizes.push(n);
        }
    }
    if sizes.is_empty() {
        sizes = vec![50, 200, 1000];
    }

    // A fresh database: in `DATABASE_URL`'s server if set, else a throwaway cluster.
    let db = TempPostgres::start();
    let url = db.url().to_string();
    checked_query::testing::block_on(async {
        let pool = checked_query::sqlx::PgPool::connect(&url)
            .await
            .expect("connect");
        users_service::migrate(&pool)
            .await
            .expect("migrations apply");
        pool.close().await;
    });

    let bench = Bench::create();
    println!(
        "cargo check after touching a file of N queries; median of {runs} runs, variants in turn;\nratio: the median of each run's ratio to the unchecked build"
    );
    println!(
        "{:>5}  {:<32} {:>9} {:>8} {:>16}",
        "N", "variant", "check", "ratio", "per query added"
    );
    for n in sizes {
        let sources = Variant::ALL.map(|v| source(v, n));
        for (variant, text) in Variant::ALL.iter().zip(&sources) {
            bench.touch(*variant, text);
        }
        // The first build per N: dependencies, and sqlx's cache written from the database.
        for variant in Variant::ALL {
            bench.check(variant, (variant == Variant::Sqlx).then_some(url.as_str()));
        }
        let mut times = [(); 3].map(|_| Vec::new());
        for _ in 0..runs {
            for (k, (variant, text)) in Variant::ALL.iter().zip(&sources).enumerate() {
                bench.touch(*variant, text);
                times[k].push(bench.check(*variant, None));
            }
        }
        // Each run's ratio to the unchecked build of the same run.
        let ratios = times.each_ref().map(|t| {
            let mut r: Vec<f64> = (t.iter().zip(&times[0]))
                .map(|(t, base)| t.as_secs_f64() / base.as_secs_f64())
                .collect();
            r.sort_by(f64::total_cmp);
            r[r.len() / 2]
        });
        let medians = times.map(median);
        let base = medians[0].as_secs_f64();
        for ((variant, t), ratio) in Variant::ALL.iter().zip(medians).zip(ratios) {
            let t = t.as_secs_f64();
            let added = if *variant == Variant::Unchecked {
                String::new()
            } else {
                format!("{:.2} ms", (t - base) * 1e3 / n as f64)
            };
            println!(
                "{n:>5}  {:<32} {:>7.2} s {:>7.2}× {:>16}",
                variant.label(),
                t,
                ratio,
                added
            );
        }
    }
}
