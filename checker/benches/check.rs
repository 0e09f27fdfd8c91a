//! `checked-query check` end to end on a generated workspace: 20 services (each with its
//! migrations and one crate), 10,000 macro calls in all, written in the style of a service
//! (several queries per function, named and positional parameters, joins). Rust parsing,
//! locating the services, building their catalogs, linting and analysing every call are
//! all counted. Prints calls per second, the median of 5 runs (goal: ≥ 20,000/s on 2 cores).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SERVICES: usize = 20;
const CALLS: usize = 10_000;
const CALLS_PER_FILE: usize = 50;

fn migration(service: usize) -> String {
    format!(
        "-- +migrate Up
CREATE TABLE accounts (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email      TEXT NOT NULL UNIQUE,
    name       TEXT,
    balance    BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE entries_{service} (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id UUID NOT NULL REFERENCES accounts (id),
    amount     BIGINT NOT NULL,
    memo       TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX entries_{service}_account_id_idx ON entries_{service} (account_id);

-- +migrate Down
DROP TABLE entries_{service};
DROP TABLE accounts;
"
    )
}

fn query(service: usize, i: usize) -> String {
    match i % 5 {
        0 => "checked_query!(\"SELECT id, email, name FROM accounts WHERE email = $1\", email)".to_string(),
        1 => format!("checked_query!(\"SELECT a.email, sum(e.amount)::bigint AS total FROM accounts a JOIN entries_{service} e ON e.account_id = a.id WHERE a.id = :id GROUP BY a.email\")"),
        2 => format!("checked_query_scalar!(\"SELECT count(*) FROM entries_{service} WHERE amount > $1\", {i}i64)"),
        3 => format!("checked_query!(\"INSERT INTO entries_{service} (account_id, amount, memo) VALUES ($1, $2, $3) RETURNING id\", id, {i}i64, memo)"),
        _ => "checked_query!(\"UPDATE accounts SET balance = balance + $1, updated_at = now() WHERE id = $2\", delta, id)".to_string(),
    }
}

fn generate(root: &Path) {
    let _ = std::fs::remove_dir_all(root);
    let members: Vec<String> = (0..SERVICES)
        .map(|s| format!("\"services/s{s}\""))
        .collect();
    std::fs::create_dir_all(root).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        format!("[workspace]\nmembers = [{}]\n", members.join(", ")),
    )
    .unwrap();
    let per_service = CALLS / SERVICES;
    for s in 0..SERVICES {
        let dir = root.join(format!("services/s{s}"));
        std::fs::create_dir_all(dir.join("migrations")).unwrap();
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("migrations/001_ledger.sql"), migration(s)).unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            format!("[package]\nname = \"s{s}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nchecked-query = \"0.1\"\n"),
        )
        .unwrap();
        let files = per_service / CALLS_PER_FILE;
        let mods: Vec<String> = (0..files).map(|f| format!("pub mod q{f};\n")).collect();
        std::fs::write(dir.join("src/lib.rs"), mods.concat()).unwrap();
        for f in 0..files {
            let mut text =
                String::from("use checked_query::{checked_query, checked_query_scalar};\n\n");
            for k in 0..CALLS_PER_FILE / 5 {
                text.push_str(&format!(
                    "pub async fn f{k}(pool: &sqlx::PgPool, id: uuid::Uuid, email: &str, memo: Option<&str>, delta: i64) -> Result<(), sqlx::Error> {{\n"
                ));
                for j in 0..5 {
                    text.push_str(&format!(
                        "    let _ = {}.fetch_all(pool).await?;\n",
                        query(s, k * 5 + j)
                    ));
                }
                text.push_str("    Ok(())\n}\n\n");
            }
            std::fs::write(dir.join(format!("src/q{f}.rs")), text).unwrap();
        }
    }
}

fn main() {
    let root: PathBuf = std::env::temp_dir().join(format!("cq-check-bench-{}", std::process::id()));
    generate(&root);
    let mut times: Vec<Duration> = Vec::new();
    let mut calls = 0;
    let mut errors = 0;
    let mut first_error = String::new();
    for _ in 0..5 {
        // Each run as a fresh `check` process would do it: no catalog cached.
        checked_query_checker::verdict::clear_cache();
        let t = Instant::now();
        let report = checked_query_checker::check::check_paths(std::slice::from_ref(&root), None);
        times.push(t.elapsed());
        calls = report.calls;
        errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
        if let Some(d) = report.diagnostics.iter().find(|d| d.is_error()) {
            first_error = format!(
                "{} [{}] at {:?}:{}",
                d.message,
                d.code.as_str(),
                d.file,
                d.line
            );
        }
    }
    times.sort();
    let median = times[times.len() / 2];
    let _ = std::fs::remove_dir_all(&root);
    assert_eq!(calls, CALLS, "every generated call is found");
    assert_eq!(
        errors, 0,
        "the generated queries are all right: {first_error}"
    );
    println!(
        "check: {SERVICES} services, {calls} calls: median {median:.2?} ({:.0} calls/s)",
        calls as f64 / median.as_secs_f64()
    );
}
