//! Compile-fail and compile-pass cases, grouped by the migrations they are checked against.
//! trybuild compiles the cases in a generated crate with no migrations of its own, so each
//! group names its migrations with `CHECKED_QUERY_MIGRATIONS` (the documented override).
//! Groups run one after another: the variable is process-wide.
//!
//! Review `.stderr` changes like code; `TRYBUILD=overwrite` regenerates them.

use std::path::Path;

fn group(migrations: Option<&str>, fail: &str, pass: Option<&str>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    match migrations {
        Some(dir) => std::env::set_var("CHECKED_QUERY_MIGRATIONS", root.join(dir)),
        None => std::env::remove_var("CHECKED_QUERY_MIGRATIONS"),
    }
    let t = trybuild::TestCases::new();
    t.compile_fail(fail);
    if let Some(p) = pass {
        t.pass(p);
    }
    // TestCases runs when dropped.
}

#[test]
fn ui() {
    group(
        Some("examples/services/users/migrations"),
        "tests/ui/users/fail/*.rs",
        Some("tests/ui/users/pass/*.rs"),
    );
    group(
        Some("examples/services/orders/migrations"),
        "tests/ui/orders/fail/*.rs",
        Some("tests/ui/orders/pass/*.rs"),
    );
    group(
        Some("ui-tests/fixtures/broken/migrations"),
        "tests/ui/broken/*.rs",
        None,
    );
    group(
        Some("ui-tests/fixtures/crossref/services/billing/migrations"),
        "tests/ui/crossref/*.rs",
        None,
    );
    group(
        Some("ui-tests/fixtures/linted/migrations"),
        "tests/ui/linted/*.rs",
        None,
    );
    group(
        Some("ui-tests/fixtures/warned/migrations"),
        "tests/ui/warned/*.rs",
        None,
    );
    group(None, "tests/ui/no-config/*.rs", None);
}
