//! The ui cases, grouped by the migrations they are checked against (shared by the
//! trybuild run and the `check` agreement test).

use std::path::{Path, PathBuf};

/// A set of cases checked against one service's migrations.
pub struct Group {
    pub migrations: Option<&'static str>,
    pub fail: &'static str,
    pub pass: Option<&'static str>,
}

pub const GROUPS: &[Group] = &[
    Group {
        migrations: Some("examples/services/users/migrations"),
        fail: "users/fail",
        pass: Some("users/pass"),
    },
    Group {
        migrations: Some("examples/services/orders/migrations"),
        fail: "orders/fail",
        pass: Some("orders/pass"),
    },
    Group {
        migrations: Some("ui-tests/fixtures/broken/migrations"),
        fail: "broken",
        pass: None,
    },
    Group {
        migrations: Some("ui-tests/fixtures/crossref/services/billing/migrations"),
        fail: "crossref",
        pass: None,
    },
    Group {
        migrations: Some("ui-tests/fixtures/linted/migrations"),
        fail: "linted",
        pass: None,
    },
    Group {
        migrations: Some("ui-tests/fixtures/warned/migrations"),
        fail: "warned",
        pass: None,
    },
    Group {
        migrations: None,
        fail: "no-config",
        pass: None,
    },
];

/// The case files (`*.rs`) of a directory, in name order.
pub fn rs_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}
