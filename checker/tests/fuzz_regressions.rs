//! Every input kept in `fuzz/corpus/` (the seeds, and each input a fuzzing run found that
//! crashed, once fixed) runs through the same entry point as its fuzz target, on stable
//! Rust, in every test run: none may panic.

use std::path::{Path, PathBuf};

use checked_query_checker::fuzzing::{self, Fixture};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = root().join("fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

/// Runs each input, naming the one that panicked.
fn run(target: &str, f: impl Fn(&[u8])) {
    for (path, bytes) in inputs(target) {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&bytes)));
        assert!(outcome.is_ok(), "{} panicked", path.display());
    }
}

#[test]
fn migrations_corpus() {
    run("migrations", fuzzing::migrations);
}

#[test]
fn sql_corpus() {
    let fixture = Fixture::get(&root());
    run("sql", |d| fixture.sql(d));
}

#[test]
fn rust_source_corpus() {
    let fixture = Fixture::get(&root());
    run("rust_source", |d| fixture.rust_source(d));
}

#[test]
fn macro_input_corpus() {
    run("macro_input", fuzzing::macro_input);
}
