//! Compile-fail and compile-pass cases, grouped by the migrations they are checked against.
//! trybuild compiles the cases in a generated crate with no migrations of its own, so each
//! group names its migrations with `CHECKED_QUERY_MIGRATIONS` (the documented override).
//! Groups run one after another: the variable is process-wide.
//!
//! The `.stderr` files hold what rustc [`PINNED_RUSTC`] prints. rustc's own wording (its
//! notes, its error texts, how it draws snippets) changes between releases, so on any other
//! rustc the `.stderr` files are not compared whole: the run says so on a line of its own,
//! still checks every verdict (each fail case must fail, each pass case must build and run),
//! and still compares checked-query's own diagnostics (every `[CQxxxx]` error with its
//! rendered SQL snippet and help) against the pinned files. Cases keep rustc's output about
//! std out of what they expect, so the files hold with and without the `rust-src` component.
//!
//! Review `.stderr` changes like code; on the pinned rustc `TRYBUILD=overwrite` regenerates
//! them (see the README's "ui expectations").

use std::path::{Path, PathBuf};
use std::process::Command;

/// The rustc release the `.stderr` files were written with.
const PINNED_RUSTC: &str = "1.95.0";

#[path = "support/groups.rs"]
mod groups;
use groups::{rs_files, GROUPS};

#[test]
fn ui() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Relative to the package (cargo test's working directory), as the `.stderr` files name
    // the cases.
    let cases = Path::new("tests/ui");
    let rustc = rustc_release();
    let pinned = rustc == PINNED_RUSTC;
    if !pinned {
        // Written to the process's stderr, not through `println!`, which the test harness
        // captures and shows only on failure: the line must be seen on a passing run.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "ui: the .stderr files are compared only on rustc {PINNED_RUSTC}; this is rustc \
             {rustc}, so each case's verdict and checked-query's own diagnostics are checked, \
             not rustc's wording"
        );
    }
    for group in GROUPS {
        let root = manifest.parent().unwrap();
        match group.migrations {
            Some(dir) => std::env::set_var("CHECKED_QUERY_MIGRATIONS", root.join(dir)),
            None => std::env::remove_var("CHECKED_QUERY_MIGRATIONS"),
        }
        let fail_dir = cases.join(group.fail);
        if pinned {
            run(&fail_dir, group.pass.map(|p| cases.join(p)));
        } else {
            let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ui-unpinned");
            let copies = copy_cases(&fail_dir, &tmp.join(group.fail));
            // Without a `.stderr` beside it, overwrite mode writes what rustc printed and
            // checks only that the case failed to compile.
            std::env::set_var("TRYBUILD", "overwrite");
            run(&copies, group.pass.map(|p| cases.join(p)));
            std::env::remove_var("TRYBUILD");
            compare_own_diagnostics(&fail_dir, &copies);
        }
    }
}

/// Runs one group: every `*.rs` of `fail` must fail to compile, every one of `pass` must build
/// and run.
fn run(fail: &Path, pass: Option<PathBuf>) {
    let t = trybuild::TestCases::new();
    t.compile_fail(fail.join("*.rs"));
    if let Some(pass) = pass {
        t.pass(pass.join("*.rs"));
    }
    // TestCases runs when dropped.
}

/// `1.95.0` of `rustc 1.95.0 (59807616e 2026-04-14)`: the compiler trybuild's cargo runs,
/// which is the one running this test (rustup passes its toolchain down).
fn rustc_release() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(&rustc)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{} --version`: {e}", rustc.to_string_lossy()));
    let version = String::from_utf8_lossy(&out.stdout).into_owned();
    version
        .split_whitespace()
        .nth(1)
        .unwrap_or_else(|| panic!("unexpected `rustc --version` output: {version:?}"))
        .to_owned()
}

/// Copies the cases (not their `.stderr` files) of `from` into a fresh `to`.
fn copy_cases(from: &Path, to: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for case in rs_files(from) {
        std::fs::copy(&case, to.join(case.file_name().unwrap())).unwrap();
    }
    to.to_owned()
}

/// Each case's checked-query diagnostics as this rustc printed them must equal those of the
/// pinned `.stderr`.
fn compare_own_diagnostics(pinned_dir: &Path, written_dir: &Path) {
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is `<target>/tmp`")
        .display()
        .to_string();
    let mut differ = Vec::new();
    for case in rs_files(pinned_dir) {
        let name = case.with_extension("stderr");
        let name = name.file_name().unwrap();
        let pinned = std::fs::read_to_string(pinned_dir.join(name))
            .unwrap_or_else(|e| panic!("{}: {e}", pinned_dir.join(name).display()));
        // trybuild writes `$WORKSPACE/target` for the target directory only when it is the
        // workspace's own; a `CARGO_TARGET_DIR` elsewhere shows up verbatim.
        let written = std::fs::read_to_string(written_dir.join(name))
            .unwrap_or_default()
            .replace(target_dir.as_str(), "$WORKSPACE/target");
        if own_diagnostics(&pinned) != own_diagnostics(&written) {
            differ.push(format!(
                "{}:\n--- pinned\n{}\n--- this rustc\n{}",
                case.display(),
                own_diagnostics(&pinned).join("\n"),
                own_diagnostics(&written).join("\n")
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "checked-query's diagnostics differ:\n{}",
        differ.join("\n\n")
    );
}

/// The diagnostics checked-query wrote: each `error`/`warning` header carrying a `[CQxxxx]`
/// code, with the lines of its message up to rustc's ` --> file` location.
fn own_diagnostics(stderr: &str) -> Vec<String> {
    let mut own = Vec::new();
    let mut inside = false;
    for line in stderr.lines() {
        if line.starts_with("error") || line.starts_with("warning") {
            inside = line.contains("[CQ");
        } else if line.starts_with(" --> ") {
            inside = false;
        }
        if inside {
            own.push(line.to_owned());
        }
    }
    own
}
