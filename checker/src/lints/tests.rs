//! Lint tests.

use crate::migrations::load_migrations;
use crate::policies::Settings;
use crate::rules::Rule;

/// Lints a one-migration service written to a fresh directory, targeting CockroachDB too.
fn lint_one(name: &str, up: &str, settings: &Settings) -> Vec<crate::diagnostic::Diagnostic> {
    let dir = std::env::temp_dir().join(format!("cq-lints-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("001_a.sql"),
        format!("-- +migrate Up\n{up}\n-- +migrate Down\nDROP TABLE accounts;\n"),
    )
    .unwrap();
    let service =
        crate::build_service_with(load_migrations(&dir, "svc"), settings, &Default::default());
    let out = super::lint_service(&service, settings);
    std::fs::remove_dir_all(&dir).unwrap();
    out
}

const TABLE: &str = "CREATE TABLE accounts (id SERIAL PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ);";

fn rules(d: &[crate::diagnostic::Diagnostic]) -> Vec<String> {
    d.iter()
        .map(|d| d.policy.map_or(d.rule, |p| p.id()).to_string())
        .collect()
}

#[test]
fn one_allow_mechanism_for_codes_and_cockroachdb_rules() {
    let settings = Settings::default();
    let found = rules(&lint_one("plain", TABLE, &settings));
    assert!(found.contains(&"serial".to_string()), "{found:?}");
    assert!(found.contains(&"uuid-primary-key".to_string()), "{found:?}");
    // An allow comment names a CockroachDB rule as it names a lint.
    let commented = format!(
        "-- checked-query: allow(serial, uuid-primary-key) ids predate the convention\n{TABLE}"
    );
    let found = rules(&lint_one("comment", &commented, &settings));
    assert!(!found.contains(&"serial".to_string()), "{found:?}");
    assert!(
        !found.contains(&"uuid-primary-key".to_string()),
        "{found:?}"
    );
    // So does the configuration, and a severity applies to either kind.
    let configured = Settings {
        allow: vec![Rule::parse("uuid-primary-key").unwrap()],
        severities: vec![(
            Rule::parse("serial").unwrap(),
            crate::diagnostic::Severity::Error,
        )],
        ..Settings::default()
    };
    let d = lint_one("config", TABLE, &configured);
    assert!(!rules(&d).contains(&"uuid-primary-key".to_string()));
    let serial = d
        .iter()
        .find(|d| d.policy.is_some_and(|p| p.id() == "serial"))
        .unwrap();
    assert!(serial.is_error());
    // A name that is no rule is an error at the comment, with a suggestion.
    let typo = format!("-- checked-query: allow(seriall) typo\n{TABLE}");
    let d = lint_one("typo", &typo, &settings);
    let e = d
        .iter()
        .find(|d| d.rule == "unknown-rule")
        .expect("unknown-rule");
    assert!(e.help.as_deref().unwrap().contains("`serial`"), "{e:?}");
}

/// A history long enough to be linted on two threads: every migration's findings, each
/// once, in migration order.
#[test]
fn a_long_history_is_linted_in_order() {
    let n = 2 * super::PARALLEL_FROM + 3;
    let dir = std::env::temp_dir().join(format!("cq-lints-long-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for k in 1..=n {
        // A singular table name: one `table-naming` warning per migration.
        std::fs::write(
            dir.join(format!("{k:03}_item_{k}.sql")),
            format!("-- +migrate Up\nCREATE TABLE item_{k} (id UUID PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now());\n-- +migrate Down\nDROP TABLE item_{k};\n"),
        )
        .unwrap();
    }
    let settings = Settings::default();
    let service =
        crate::build_service_with(load_migrations(&dir, "svc"), &settings, &Default::default());
    let found = super::lint_service(&service, &settings);
    std::fs::remove_dir_all(&dir).unwrap();
    let naming: Vec<String> = (found.iter())
        .filter(|d| d.rule == "table-naming")
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(naming.len(), n, "{naming:#?}");
    for (k, message) in (1..=n).zip(&naming) {
        assert!(
            message.contains(&format!("`item_{k}`")),
            "{message} is about item_{k}"
        );
    }
}
