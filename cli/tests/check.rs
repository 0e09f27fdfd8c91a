//! `checked-query check` on a service crate written for it (`tests/fixtures/billing`): right
//! and wrong queries, escapes, a raw multi-line literal, a renamed macro, an argument too
//! many, SQL run unchecked through sqlx (allowed with a reason, allowed without one, built
//! with `format!`), and a file no module declares. Every format names the same codes at the
//! same `file:line:column`, inside the string literals.

use std::path::Path;
use std::process::Command;

fn fixture() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/billing"
    ))
}

/// Runs `check` in the fixture crate (so paths are shown relative to it).
fn check(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_checked-query"))
        .arg("check")
        .args(args)
        .current_dir(fixture())
        .env_remove("CHECKED_QUERY_MIGRATIONS")
        .output()
        .expect("the binary runs");
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// What every format must say: code, file, line, column.
const EXPECTED: &[(&str, &str, usize, usize)] = &[
    ("CQ0202", "src/lib.rs", 18, 36),
    ("CQ0202", "src/lib.rs", 25, 75),
    ("CQ0701", "src/lib.rs", 32, 79),
    ("CQ0202", "src/reports.rs", 8, 23),
    ("CQ0801", "src/reports.rs", 18, 5),
    ("CQ0619", "src/reports.rs", 23, 5),
    ("CQ0801", "src/reports.rs", 24, 5),
    ("CQ0620", "src/reports.rs", 29, 5),
];

fn sorted(mut v: Vec<(String, String, usize, usize)>) -> Vec<(String, String, usize, usize)> {
    v.sort();
    v
}

fn expected() -> Vec<(String, String, usize, usize)> {
    sorted(
        EXPECTED
            .iter()
            .map(|(c, f, l, k)| (c.to_string(), f.to_string(), *l, *k))
            .collect(),
    )
}

#[test]
fn json_names_each_finding_inside_the_literal() {
    let (out, status) = check(&["--format", "json"]);
    assert_eq!(status, 1, "errors fail the run");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let got: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap() as usize,
                d["column"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(sorted(got), expected());
    let source = std::fs::read_to_string(fixture().join("src/lib.rs")).unwrap();
    // The column is inside the literal, after the escaped quotes: at `amount`.
    let line = source.lines().nth(24).unwrap();
    assert!(line
        .chars()
        .skip(74)
        .collect::<String>()
        .starts_with("amount >"));
}

#[test]
fn github_workflow_commands() {
    let (out, status) = check(&["--format", "github"]);
    assert_eq!(status, 1);
    let mut got = Vec::new();
    for line in out.lines() {
        let rest = line
            .strip_prefix("::error ")
            .or_else(|| line.strip_prefix("::warning "))
            .unwrap_or_else(|| panic!("not a workflow command: {line}"));
        let (props, _message) = rest.split_once("::").unwrap();
        let prop = |k: &str| {
            props
                .split(',')
                .find_map(|p| p.strip_prefix(&format!("{k}=")))
                .unwrap_or_else(|| panic!("{k} missing in {line}"))
                .to_string()
        };
        let code = prop("title").split(' ').next().unwrap().to_string();
        got.push((
            code,
            prop("file"),
            prop("line").parse().unwrap(),
            prop("col").parse().unwrap(),
        ));
    }
    assert_eq!(sorted(got), expected());
}

#[test]
fn sarif_is_valid_and_says_the_same() {
    let (out, status) = check(&["--format", "sarif"]);
    assert_eq!(status, 1);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    // OASIS's published schema (`sarif-schema-2.1.0.json`, as serde-sarif ships it). Its
    // `language` patterns have a stray `]` that ECMAScript reads as a literal and the
    // validator's stricter regex check rejects; escaped, they mean what ECMAScript reads.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(text.contains(stray));
    let text = text.replace(stray, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
    let got: Vec<_> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap().to_string(),
                loc["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                loc["region"]["startLine"].as_u64().unwrap() as usize,
                loc["region"]["startColumn"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(sorted(got), expected());
    // A SARIF log that breaks the schema is caught.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn human_output_points_inside_the_literal_and_warnings_can_fail() {
    let out = Command::new(env!("CARGO_BIN_EXE_checked-query"))
        .args(["check", "--format", "human"])
        .current_dir(fixture())
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--> src/reports.rs:8:23"), "{err}");
    assert!(
        err.contains("checked 6 call(s) in 2 file(s) of 1 crate(s)"),
        "{err}"
    );
    // The workspace's own example services check clean, warnings denied.
    let clean = Command::new(env!("CARGO_BIN_EXE_checked-query"))
        .args(["check", "--deny-warnings", "examples/services"])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap())
        .output()
        .unwrap();
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
}
