//! How the checker grows with its input's size (issue: linear cost): N one-table migrations,
//! N tables in one file, each with its DOWN part, and one query of N tokens. Prints time per
//! item and the process's peak memory after each case (cases run smallest first, so the peak
//! is that case's). Linear cost shows as a flat time per item.
//! `cargo bench -p checked-query-checker --bench scale [-- FILTER]`: FILTER runs only the
//! cases whose label contains it (`-- "in one file"`), for profiling one.

use std::path::{Path, PathBuf};
use std::time::Instant;

use checked_query_checker::analysis::analyze_source;
use checked_query_checker::build_workspace_with;
use checked_query_checker::lints::lint_service;
use checked_query_checker::policies::Settings;
use checked_query_checker::source::SourceFile;

/// A service directory under the system's temporary directory, removed when dropped.
struct Service(PathBuf);

impl Service {
    fn new(label: &str, files: impl Iterator<Item = (String, String)>) -> Service {
        let root = std::env::temp_dir().join(format!("cq-scale-{label}-{}", std::process::id()));
        let dir = root.join("svc/migrations");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        Service(root)
    }

    fn migrations(&self) -> PathBuf {
        self.0.join("svc/migrations")
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn table(i: usize) -> (String, String) {
    (
        format!("CREATE TABLE t{i} (id UUID PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL);\n"),
        format!("DROP TABLE t{i};\n"),
    )
}

/// Peak resident memory of this process so far, from Linux's /proc (None elsewhere).
fn peak_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// Whether the case labelled `label` runs: every case, or those the command line's filter
/// names (cargo passes `--bench` to bench binaries; that is no filter).
fn selected(label: &str) -> bool {
    let filter = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    filter.is_none_or(|f| label.contains(&f))
}

fn measure(label: &str, items: usize, dir: &Path) {
    let settings = Settings::default();
    let start = Instant::now();
    let ws = build_workspace_with(dir, &settings);
    let build = start.elapsed();
    let service = ws.service("svc").expect("the service builds");
    let start = Instant::now();
    drop(lint_service(service, &settings));
    let lint = start.elapsed();
    println!(
        "{label:<32} {build:>10.2?} {lint:>10.2?} {:>10.2?}/item {:>8}",
        (build + lint) / items as u32,
        peak_mb().map_or("?".into(), |m| format!("{m} MB"))
    );
}

fn main() {
    println!(
        "{:<32} {:>10} {:>10} {:>15} {:>8}",
        "history", "build", "lint", "per item", "peak"
    );
    for n in [100, 1000, 2000, 5000] {
        let label = format!("{n} one-table migrations");
        if !selected(&label) {
            continue;
        }
        let svc = Service::new(
            &format!("files{n}"),
            (1..=n).map(|i| {
                let (up, down) = table(i);
                (
                    format!("{i:05}_t{i}.sql"),
                    format!("-- +migrate Up\n{up}-- +migrate Down\n{down}"),
                )
            }),
        );
        measure(&label, n, &svc.migrations());
    }
    for n in [1000, 5000, 10000] {
        let label = format!("{n} tables in one file");
        if !selected(&label) {
            continue;
        }
        let (ups, downs): (Vec<String>, Vec<String>) = (0..n).map(table).unzip();
        let text = format!(
            "-- +migrate Up\n{}-- +migrate Down\n{}",
            ups.concat(),
            downs.concat()
        );
        let svc = Service::new(
            &format!("one{n}"),
            std::iter::once(("001_all.sql".to_string(), text)),
        );
        measure(&label, n, &svc.migrations());
    }
    for n in [10000] {
        // Each table dropped right after its creation: every DROP looks for dependents, and
        // the catalog's emptied slots are reclaimed as it goes.
        let label = format!("{n} CREATE/DROP pairs in one file");
        if !selected(&label) {
            continue;
        }
        let pairs: String = (0..n)
            .map(|i| {
                let (up, down) = table(i);
                format!("{up}{down}")
            })
            .collect();
        let text = format!("-- +migrate Up\n{pairs}-- +migrate Down\nSELECT 1;\n");
        let svc = Service::new(
            &format!("pairs{n}"),
            std::iter::once(("001_all.sql".to_string(), text)),
        );
        measure(&label, n, &svc.migrations());
    }
    for n in [5000] {
        // Renames follow every reference (foreign keys, indexes, the row type): each table
        // here references the one before it.
        let label = format!("{n} tables renamed in one file");
        if !selected(&label) {
            continue;
        }
        let creates: String = (0..n)
            .map(|i| match i {
                0 => "CREATE TABLE t0 (id UUID PRIMARY KEY);\n".to_string(),
                _ => format!(
                    "CREATE TABLE t{i} (id UUID PRIMARY KEY, prev UUID REFERENCES t{} (id));\n",
                    i - 1
                ),
            })
            .collect();
        let renames: String = (0..n)
            .map(|i| {
                format!(
                    "ALTER TABLE t{i} RENAME TO r{i};\nALTER TABLE r{i} RENAME COLUMN id TO key;\n"
                )
            })
            .collect();
        let text = format!("-- +migrate Up\n{creates}{renames}-- +migrate Down\nSELECT 1;\n");
        let svc = Service::new(
            &format!("renames{n}"),
            std::iter::once(("001_all.sql".to_string(), text)),
        );
        measure(&label, n, &svc.migrations());
    }
    tokens();
}

/// One statement of about N tokens, analysed against a one-table catalog: a long `IN` list,
/// a long left-associative operator chain (no nesting, so no depth limit applies), and a
/// syntax error at the third token of a long statement (the error must not cost the rest).
fn tokens() {
    let svc = Service::new(
        "tokens",
        std::iter::once((
            "001_t.sql".to_string(),
            "-- +migrate Up\nCREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL);\n-- +migrate Down\nDROP TABLE t;\n".to_string(),
        )),
    );
    let settings = Settings::default();
    let ws = build_workspace_with(&svc.migrations(), &settings);
    let service = ws.service("svc").expect("the service builds");
    println!(
        "\n{:<40} {:>10} {:>15} {:>8}",
        "one statement", "analysis", "per token", "peak"
    );
    for n in [1_000, 10_000, 100_000] {
        // Each list item is a literal and a comma: two tokens.
        let items = vec!["7"; n / 2].join(", ");
        let in_list = format!("SELECT id FROM t WHERE id IN ({items})");
        let chain = format!("SELECT name{} FROM t", " || 'a'".repeat(n / 2));
        let broken = format!("SELECT FROM FROM t WHERE id IN ({items})");
        // `$k::int,`: four tokens.
        let params = (1..=n / 4)
            .map(|k| format!("${k}::int"))
            .collect::<Vec<_>>()
            .join(", ");
        let params = format!("SELECT {params}");
        // `UNION ALL SELECT id FROM t`: six tokens.
        let union = vec!["SELECT id FROM t"; n / 6].join(" UNION ALL ");
        // `JOIN t tk ON tk.id = t0.id`: twelve tokens.
        let joins: String = (1..n / 12)
            .map(|k| format!(" JOIN t t{k} ON t{k}.id = t0.id"))
            .collect();
        let joins = format!("SELECT t0.id FROM t t0{joins}");
        // 1,000 nested scalar subqueries (three tokens a level) over an IN list: every level
        // holds the list below it.
        let depth = 1_000.min(n / 6);
        let inner = vec!["7"; (n - 3 * depth) / 2].join(", ");
        let nested = format!(
            "SELECT {}id FROM t WHERE id IN ({inner}){}",
            "(SELECT ".repeat(depth),
            ")".repeat(depth)
        );
        for (label, sql) in [
            ("IN list", in_list),
            ("|| chain", chain),
            ("syntax error at 3", broken),
            ("parameters", params),
            ("UNION ALL chain", union),
            ("JOIN chain", joins),
            ("subqueries over a list", nested),
        ] {
            let label = format!("{n} tokens: {label}");
            if !selected(&label) {
                continue;
            }
            let file = SourceFile::inline(&sql);
            let start = Instant::now();
            drop(analyze_source(service.context(), &file));
            let took = start.elapsed();
            println!(
                "{:<40} {took:>10.2?} {:>10.2?}/token {:>8}",
                label,
                took / n as u32,
                peak_mb().map_or("?".into(), |m| format!("{m} MB"))
            );
        }
    }
}
