//! How the build grows with a history's size (issue: linear cost): N one-table migrations,
//! and N tables in one file, each with its DOWN part. Prints time per item and the process's
//! peak memory after each case (cases run smallest first, so the peak is that case's).
//! `cargo bench -p checked-query-checker --bench scale`

use std::path::{Path, PathBuf};
use std::time::Instant;

use checked_query_checker::build_workspace_with;
use checked_query_checker::lints::lint_service;
use checked_query_checker::policies::Settings;

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
    for n in [250, 500, 1000, 2000] {
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
        measure(&format!("{n} one-table migrations"), n, &svc.migrations());
    }
    for n in [1000, 2000, 5000] {
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
        measure(&format!("{n} tables in one file"), n, &svc.migrations());
    }
}
