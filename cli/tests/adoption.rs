//! Adopting checked-query on a service with history, end to end: a history written before
//! adoption (sqlx-style timestamps, simple and reversible migrations mixed, none of our
//! conventions) fails the convention lints; `checked-query baseline` exempts it, while what
//! is wrong whatever its age (a modified migration) still fails, and new migrations are
//! held to the conventions.

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_checked-query"))
        .args(args)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap(), json, text)
}

fn lint(dir: &Path) -> (i32, Vec<serde_json::Value>) {
    let (code, json, text) = run(&["lint", dir.to_str().unwrap(), "--format", "json"]);
    let diags = json["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no JSON: {text}"))
        .clone();
    (code, diags)
}

fn codes(diags: &[serde_json::Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

/// A fresh `services/legacy/migrations` directory with a history in the style of services
/// that used sqlx before adopting checked-query.
fn legacy_service(test: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("cq-adoption-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let dir = root.join("services/legacy/migrations");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, sql: &str| std::fs::write(dir.join(name), sql).unwrap();
    write(
        "20230301101500_initial.sql",
        "CREATE TABLE \"user\" (\n    id SERIAL PRIMARY KEY,\n    email VARCHAR(255) NOT NULL UNIQUE,\n    admin BOOLEAN NOT NULL DEFAULT FALSE,\n    created TIMESTAMP NOT NULL DEFAULT NOW()\n);\nCREATE TABLE post (\n    id SERIAL PRIMARY KEY,\n    author_id INTEGER NOT NULL REFERENCES \"user\"(id),\n    title TEXT NOT NULL,\n    published BOOLEAN DEFAULT FALSE\n);\n",
    );
    write(
        "20230415083000_comments.up.sql",
        "CREATE TABLE comment (\n    id BIGSERIAL PRIMARY KEY,\n    post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,\n    body TEXT NOT NULL\n);\n",
    );
    write("20230415083000_comments.down.sql", "DROP TABLE comment;\n");
    write(
        "20230601120000_post_slug.sql",
        "ALTER TABLE post ADD COLUMN slug TEXT;\nCREATE INDEX post_slug ON post (slug);\n",
    );
    dir
}

#[test]
fn a_baseline_exempts_history_from_the_conventions_only() {
    let dir = legacy_service("conventions");
    let (code, before) = lint(&dir);
    assert_eq!(code, 1, "the history breaks the conventions: {before:?}");
    let rules = codes(&before);
    for r in [
        "missing-down",
        "fk-without-index",
        "table-naming",
        "crdb-divergence",
    ] {
        assert!(rules.iter().any(|c| c == r), "{r} in {rules:?}");
    }

    let (code, _, text) = run(&["baseline", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("baseline of 3 migration(s)"), "{text}");
    let baseline = std::fs::read_to_string(dir.join("baseline.lock")).unwrap();
    assert!(baseline.contains("20230415083000_comments"), "{baseline}");
    assert!(
        dir.join("checksums.lock").is_file(),
        "adoption locks the checksums too"
    );

    let (code, after) = lint(&dir);
    assert_eq!(code, 0, "{after:?}");
    assert_eq!(after, Vec::<serde_json::Value>::new());

    // A baseline is set once.
    let (code, _, text) = run(&["baseline", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("already has a baseline of 3"), "{text}");

    // New migrations are held to the conventions.
    std::fs::write(
        dir.join("20240110090000_likes.up.sql"),
        "CREATE TABLE likes (\n    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),\n    post_id INTEGER NOT NULL REFERENCES post(id),\n    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),\n    updated_at TIMESTAMPTZ\n);\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("20240110090000_likes.down.sql"),
        "DROP TABLE likes;\n",
    )
    .unwrap();
    let (code, new) = lint(&dir);
    assert_eq!(code, 1, "{new:?}");
    assert!(
        codes(&new).contains(&"fk-without-index".to_string()),
        "{new:?}"
    );
    for d in &new {
        let file = d["file"].as_str().unwrap();
        assert!(
            file.contains("20240110090000_likes"),
            "only the new migration: {d}"
        );
    }
    std::fs::remove_file(dir.join("20240110090000_likes.up.sql")).unwrap();
    std::fs::remove_file(dir.join("20240110090000_likes.down.sql")).unwrap();

    // History stays immutable: editing a baselined migration is still an error.
    let initial = dir.join("20230301101500_initial.sql");
    let mut text = std::fs::read_to_string(&initial).unwrap();
    text.push_str("CREATE INDEX post_author_id_idx ON post (author_id);\n");
    std::fs::write(&initial, text).unwrap();
    let (code, modified) = lint(&dir);
    assert_eq!(code, 1, "{modified:?}");
    assert_eq!(codes(&modified), ["migration-modified"], "{modified:?}");

    std::fs::remove_dir_all(dir.ancestors().nth(3).unwrap()).unwrap();
}

#[test]
fn a_baselined_history_still_has_to_build() {
    let dir = legacy_service("build");
    let (code, _, text) = run(&["baseline", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    // Broken SQL is not a convention: a history that does not build fails whatever its age.
    std::fs::write(
        dir.join("baseline.lock"),
        format!(
            "{}20230701000000_broken\n",
            std::fs::read_to_string(dir.join("baseline.lock")).unwrap()
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("20230701000000_broken.sql"),
        "ALTER TABLE posts ADD COLUMN views INTEGER;\n",
    )
    .unwrap();
    let (code, diags) = lint(&dir);
    assert_eq!(code, 1, "{diags:?}");
    assert_eq!(codes(&diags), ["unknown-table"], "{diags:?}");
    std::fs::remove_dir_all(dir.ancestors().nth(3).unwrap()).unwrap();
}

#[test]
fn a_baselined_down_part_that_fails_is_a_warning() {
    let dir = legacy_service("down");
    // DOWN parts as real histories have them: never run, and PostgreSQL fails them.
    std::fs::write(
        dir.join("20230415083000_comments.down.sql"),
        "ALTER TABLE comment DELETE COLUMN body;\nDROP TABLE comments;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("20230501000000_dropped.down.sql"),
        "DROP TABLE archive;\n",
    )
    .unwrap();
    let (code, before) = lint(&dir);
    assert_eq!(code, 1, "{before:?}");
    let errors = |diags: &[serde_json::Value]| {
        diags
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    for r in ["syntax-error", "migration-file-name"] {
        assert!(
            errors(&before).contains(&r.to_string()),
            "{r} in {before:?}"
        );
    }

    let (code, _, text) = run(&["baseline", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    let (code, after) = lint(&dir);
    assert_eq!(code, 0, "{after:?}");
    assert_eq!(errors(&after), Vec::<String>::new(), "{after:?}");
    let down: Vec<_> = after
        .iter()
        .filter(|d| d["file"].as_str().unwrap().ends_with(".down.sql"))
        .collect();
    assert!(down.len() >= 2, "still reported, as warnings: {after:?}");
    for d in down {
        assert_eq!(d["severity"], "warning", "{d}");
        assert!(
            d["help"]
                .as_str()
                .unwrap()
                .contains("predates the baseline"),
            "{d}"
        );
    }
    // The UP parts still have to build.
    std::fs::write(
        dir.join("20230601120000_post_slug.sql"),
        "ALTER TABLE posts ADD COLUMN slug TEXT;\n",
    )
    .unwrap();
    let (code, diags) = lint(&dir);
    assert_eq!(code, 1, "{diags:?}");
    assert!(
        errors(&diags).contains(&"unknown-table".to_string()),
        "{diags:?}"
    );
    std::fs::remove_dir_all(dir.ancestors().nth(3).unwrap()).unwrap();
}
