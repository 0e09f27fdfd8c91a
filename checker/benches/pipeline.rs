//! What an editor or pre-commit hook pays per run: building a service's catalog from its
//! migrations, linting them, and analysing one query. Prints the median of many runs.

use std::path::Path;
use std::time::{Duration, Instant};

use checked_query_checker::analysis::analyze_source;
use checked_query_checker::build_workspace_with;
use checked_query_checker::lints::lint_service;
use checked_query_checker::policies::Settings;
use checked_query_checker::source::SourceFile;

fn median(mut f: impl FnMut(), runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let cases = [
        ("users (seed)", root.join("examples/services/users/migrations"), "users",
         "SELECT u.id, u.email, s.token FROM users u JOIN sessions s ON s.user_id = u.id WHERE u.email = $1"),
        ("accounts (11 migrations)", root.join("tests/fixtures/services/accounts/migrations"), "accounts",
         "SELECT count(*) FROM people"),
    ];
    println!(
        "{:<28} {:>12} {:>12} {:>12}",
        "service", "build", "lint", "one query"
    );
    for (label, dir, service, sql) in cases {
        let settings = Settings::default();
        let ws = build_workspace_with(&dir, &settings);
        let built = ws.service(service).expect("the service builds");
        let build = median(|| drop(build_workspace_with(&dir, &settings)), 50);
        let lint = median(|| drop(lint_service(built, &settings)), 50);
        let file = SourceFile::inline(sql);
        let query = median(|| drop(analyze_source(built.context(), &file)), 200);
        println!("{label:<28} {build:>12.2?} {lint:>12.2?} {query:>12.2?}");
    }
}
