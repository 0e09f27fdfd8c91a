//! Fixture trees: every error case renders exactly its reviewed `expected.txt`, and every
//! migration format builds cleanly into its reviewed schema. `UPDATE_EXPECT=1` rewrites the
//! expected files (then review the diff like code).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use checked_query_checker::diagnostic::Code;
use checked_query_checker::migrations::load_migrations;
use checked_query_checker::policies::Settings;
use checked_query_checker::{build_service, build_service_with, build_workspace_with, render};

/// The crate root: fixture paths are built from it and shown relative to it.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Renders diagnostics with their paths relative to the crate root, as the reviewed files
/// have them.
fn render_relative(diagnostics: &[checked_query_checker::Diagnostic]) -> String {
    let relative: Vec<_> = diagnostics
        .iter()
        .map(|d| d.clone().relative_to(root()))
        .collect();
    render::human::render_all(&relative, false)
}

fn cases(kind: &str) -> Vec<PathBuf> {
    let root = root().join("tests/fixtures").join(kind);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn compare(expected_file: &Path, actual: &str) -> Option<String> {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(expected_file, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(expected_file).unwrap_or_default();
    (expected != actual).then(|| {
        format!(
            "{}:\n--- expected\n{expected}\n--- actual\n{actual}",
            expected_file.display()
        )
    })
}

#[test]
fn error_fixtures_render_their_expected_diagnostics() {
    let mut failures = Vec::new();
    let mut seen = HashSet::new();
    for dir in cases("errors") {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        // `crdb-*` fixtures check the CockroachDB rules; the others PostgreSQL's behaviour.
        let settings = Settings {
            postgres_only: !name.starts_with("crdb"),
            allow: Vec::new(),
            severities: Default::default(),
            external: Vec::new(),
            effects: Vec::new(),
        };
        let service =
            build_service_with(load_migrations(&dir, &name), &settings, &Default::default());
        assert!(
            service.diagnostics.iter().any(|d| d.is_error()),
            "{name}: expected at least one error"
        );
        for d in &service.diagnostics {
            assert!(
                d.help.is_some(),
                "{name}: every diagnostic carries help: {d:?}"
            );
            assert!(
                d.file.is_some(),
                "{name}: every migration diagnostic names its file: {d:?}"
            );
            seen.insert(d.code);
        }
        let rendered = render_relative(&service.diagnostics);
        failures.extend(compare(&dir.join("expected.txt"), &rendered));
    }
    // Query errors: one snapshot per diagnostic of each query in `queries/errors.jsonl`.
    let queries = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/queries");
    // Two services, so that another service's table can be refused.
    let ws = build_workspace_with(
        &queries.join("services/shop/migrations"),
        &Settings::default(),
    );
    let schema = ws.service("shop").unwrap();
    assert!(schema.diagnostics.is_empty(), "{:?}", schema.diagnostics);
    let mut rendered = String::new();
    for line in std::fs::read_to_string(queries.join("errors.jsonl"))
        .unwrap()
        .lines()
    {
        let q: serde_json::Value = serde_json::from_str(line).unwrap();
        let analysis = checked_query_checker::analysis::analyze_sql(
            schema.context(),
            q["sql"].as_str().unwrap(),
        );
        assert!(!analysis.ok(), "{}: expected an error", q["id"]);
        for d in &analysis.diagnostics {
            assert!(
                d.help.is_some(),
                "{}: every diagnostic carries help: {d:?}",
                q["id"]
            );
            seen.insert(d.code);
        }
        rendered.push_str(&format!(
            "== {}\n{}\n",
            q["id"].as_str().unwrap(),
            render_relative(&analysis.diagnostics)
        ));
    }
    failures.extend(compare(&queries.join("errors.expected.txt"), &rendered));
    // Ownership across services in migrations: a foreign key to another service's table.
    let ws = build_workspace_with(
        &root().join("tests/fixtures/workspaces/ownership/orders/migrations"),
        &Settings::default(),
    );
    let orders = ws.service("orders").unwrap();
    assert!(
        ws.service("users").unwrap().diagnostics.is_empty(),
        "same table names in two services are fine"
    );
    seen.extend(orders.diagnostics.iter().map(|d| d.code));
    failures.extend(compare(
        &root().join("tests/fixtures/workspaces/ownership/expected.txt"),
        &render_relative(&orders.diagnostics),
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Lints: each rule's tree renders its reviewed diagnostics (true positives and near misses).
    for dir in cases("lints") {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let settings = Settings {
            postgres_only: true,
            allow: Vec::new(),
            severities: Default::default(),
            external: Vec::new(),
            effects: Vec::new(),
        };
        let service = build_service_with(
            load_migrations(&dir.join("migrations"), &name),
            &settings,
            &Default::default(),
        );
        let diags = checked_query_checker::lints::lint_service(&service, &settings);
        seen.extend(diags.iter().map(|d| d.code));
        failures.extend(compare(&dir.join("expected.txt"), &render_relative(&diags)));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Every code a migration or a query can produce has a fixture. A macro call's own codes
    // (the lint gate, arguments, Rust types, result shape, literal SQL) have theirs in the ui
    // cases (ui-tests/tests/ui), Rust sources' (`unchecked-sql`) in cli/tests/check.rs.
    let untested: Vec<_> = Code::ALL
        .iter()
        .filter(|c| !matches!(c, Code::Io | Code::Config | Code::MigrationsDirMissing))
        .filter(|c| {
            !matches!(
                c,
                Code::MigrationErrors
                    | Code::ArgumentCount
                    | Code::NamedArgument
                    | Code::NoRustType
                    | Code::ResultShape
                    | Code::LiteralRequired
                    | Code::UncheckedSql
            )
        })
        .filter(|c| !seen.contains(c))
        .map(|c| c.as_str())
        .collect();
    assert!(
        untested.is_empty() || std::env::var_os("UPDATE_EXPECT").is_some(),
        "codes without an error fixture: {untested:?}"
    );
}

#[test]
fn every_migration_format_builds_its_expected_schema() {
    let mut failures = Vec::new();
    for dir in cases("formats") {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let service = build_service(load_migrations(&dir.join("migrations"), &name));
        assert!(
            service.diagnostics.is_empty(),
            "{name}: {}",
            render_relative(&service.diagnostics)
        );
        assert!(
            service.migrations.migrations.iter().all(|m| m.up.is_some()),
            "{name}"
        );
        failures.extend(compare(
            &dir.join("expected.txt"),
            &render::text::schema(&service.catalog),
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A tree that follows every convention lints clean in each migration format, with the
/// CockroachDB rules on: no rule fires on near misses such as an FK covered by the leading
/// column of a composite index or a nullable `joined_at`.
#[test]
fn clean_trees_lint_clean_in_every_format() {
    let formats = cases("clean");
    assert_eq!(
        formats.len(),
        4,
        "sql-migrate, goose, dbmate and sqlx pairs"
    );
    for dir in formats {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let settings = Settings::default();
        let service = build_service_with(
            load_migrations(&dir.join("migrations"), &name),
            &settings,
            &Default::default(),
        );
        assert_eq!(service.migrations.migrations.len(), 2, "{name}");
        let diags = checked_query_checker::lints::lint_service(&service, &settings);
        assert!(diags.is_empty(), "{name}:\n{}", render_relative(&diags));
    }
}
