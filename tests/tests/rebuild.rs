//! Editing a migration rebuilds the crates whose queries it checks, with no `build.rs`: the
//! macro tells rustc about the migration files with `include_bytes!`, in one expansion per
//! crate (the crate's dep-info lists them), and cargo sees the edit.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MIGRATION: &str = "-- +migrate Up
CREATE TABLE accounts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- +migrate Down
DROP TABLE accounts;
";

/// Three queries: the first expansion carries the includes, the others none.
const LIB: &str = r#"
use checked_query::{checked_query, checked_query_scalar};

pub fn names() -> checked_query::Query<Option<String>> {
    checked_query_scalar!("SELECT name FROM accounts ORDER BY name")
}

pub fn count() -> checked_query::Query<i64> {
    checked_query_scalar!("SELECT count(*) FROM accounts")
}

pub fn by_email(email: &str) -> checked_query::Query<String> {
    checked_query_scalar!("SELECT email FROM accounts WHERE email = $1", email)
}

pub fn unused() {
    let _ = checked_query!("SELECT name, email FROM accounts");
}
"#;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn cargo_check(dir: &Path, target: &Path) -> Output {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--quiet", "--offline"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("CHECKED_QUERY_MIGRATIONS")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo")
}

#[test]
fn editing_a_migration_rebuilds_the_crate_without_a_build_script() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let repo = repo.canonicalize().unwrap();
    let dir = std::env::temp_dir().join(format!("cq-rebuild-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let migration = dir.join("migrations/001_accounts.sql");
    write(&migration, MIGRATION);
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"rebuild-probe\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [workspace]\n\n[dependencies]\nchecked-query = {{ path = {:?}, default-features = false }}\n",
            repo.join("runtime").display().to_string()
        ),
    );
    write(&dir.join("src/lib.rs"), LIB);
    // The repository's lock: the same versions, nothing to download.
    std::fs::copy(repo.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    // A target directory of its own that outlives the test, so later runs build only the
    // probe.
    let target = repo.join("target/rebuild-probe");

    let first = cargo_check(&dir, &target);
    assert!(
        first.status.success(),
        "the probe builds: {}",
        String::from_utf8_lossy(&first.stderr)
    );

    // The column the last queries read is renamed in the migration itself.
    write(
        &migration,
        &MIGRATION.replace("email TEXT", "email_address TEXT"),
    );
    let second = cargo_check(&dir, &target);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        !second.status.success(),
        "the edit must rebuild the crate and fail it"
    );
    assert!(stderr.contains("email"), "{stderr}");

    // And back: the crate builds again.
    write(&migration, MIGRATION);
    let third = cargo_check(&dir, &target);
    assert!(
        third.status.success(),
        "{}",
        String::from_utf8_lossy(&third.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
