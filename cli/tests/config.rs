//! One configuration loader: every command rejects the same invalid `checked-query.toml`
//! with the same located CQ0901 diagnostic.

use std::path::Path;
use std::process::Command;

/// A service directory with one migration and the given configuration above it.
fn service(config: &str) -> TempDir {
    let dir = TempDir::new("config");
    std::fs::create_dir_all(dir.path().join("migrations")).unwrap();
    std::fs::write(
        dir.path().join("migrations/001_accounts.sql"),
        "-- +migrate Up\nCREATE TABLE accounts (id UUID PRIMARY KEY);\n-- +migrate Down\nDROP TABLE accounts;\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("checked-query.toml"), config).unwrap();
    dir
}

mod support;
use support::TempDir;

/// (exit code, stderr) of a command run in `dir`.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_checked-query"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_command_rejects_an_invalid_configuration_alike() {
    let cases = [
        ("frobnicate = 1\n", "unknown field `frobnicate`", "1:1"),
        ("allow = 123\n", "expected a sequence", "1:9"),
        (
            "targets = [\"oracle\"]\n",
            "unknown target `oracle`",
            "1:12",
        ),
        (
            "allow = [\"no-such-rule\"]\n",
            "unknown rule `no-such-rule`",
            "1:10",
        ),
        (
            "[severity]\nmissing-down = \"catastrophic\"\n",
            "unknown severity `catastrophic`",
            "2:16",
        ),
    ];
    for (config, message, at) in cases {
        let dir = service(config);
        for args in [
            &["lint", "migrations"][..],
            &["schema", "--migrations", "migrations"],
            &[
                "describe",
                "--migrations",
                "migrations",
                "--sql",
                "SELECT id FROM accounts",
            ],
        ] {
            let (code, stderr) = run(dir.path(), args);
            assert_eq!(code, 1, "{args:?} with {config:?}: {stderr}");
            assert!(
                stderr.contains("error[CQ0901]")
                    && stderr.contains(message)
                    && stderr.contains(&format!("checked-query.toml:{at}")),
                "{args:?} with {config:?}:\n{stderr}"
            );
        }
    }
}

#[test]
fn a_migrations_directory_reached_through_a_symlink_keeps_its_configuration() {
    // The configuration sits at the top; the migrations live deep in a crate and are named
    // through a link from the top (`m -> crates/db/src/migrations`).
    let dir = TempDir::new("config");
    let deep = dir.path().join("crates/db/src/migrations");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(
        deep.join("001_counters.sql"),
        "-- +migrate Up\nCREATE TABLE counters (id UUID PRIMARY KEY);\nLOCK TABLE counters;\n-- +migrate Down\nDROP TABLE counters;\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&deep, dir.path().join("m")).unwrap();
    // Without configuration, LOCK TABLE is CockroachDB's error; `targets = ["postgres"]`
    // above the link lifts it, so the configuration was found and read.
    let (code, err) = run(dir.path(), &["schema", "--migrations", "m"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("lock-table"), "{err}");
    std::fs::write(
        dir.path().join("checked-query.toml"),
        "targets = [\"postgres\"]\n",
    )
    .unwrap();
    let (code, err) = run(dir.path(), &["schema", "--migrations", "m"]);
    assert_eq!(code, 0, "{err}");
}
