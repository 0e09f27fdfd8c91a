//! The `schema` command end to end: JSON shape, exit codes, located diagnostics.

use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> (i32, serde_json::Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_checked-query"))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), json)
}

#[test]
fn schema_of_the_seed_service() {
    let (code, v) = run(&[
        "schema",
        "--migrations",
        "examples/services/users/migrations",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{v}");
    let users = &v["tables"][0];
    assert_eq!(users["name"], "users");
    assert_eq!(users["primary_key"], serde_json::json!(["id"]));
    assert_eq!(
        users["columns"][0],
        serde_json::json!({"name": "id", "type": "text", "full_type": "text", "nullable": false, "default": false,
                           "default_expression": null, "identity": null, "generated": null})
    );
    assert_eq!(users["columns"][2]["default"], true);
    assert_eq!(v["diagnostics"], serde_json::json!([]));
    let (code, v) = run(&[
        "schema",
        "--migrations",
        "examples/services/orders/migrations",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        v["enums"],
        serde_json::json!([{"name": "order_status", "labels": ["pending", "paid", "shipped", "cancelled"]}])
    );
    // The example services pass the whole rule set, CockroachDB's included.
    assert_eq!(v["diagnostics"], serde_json::json!([]));
}

#[test]
fn schema_with_errors_exits_1_with_located_diagnostics() {
    let (code, v) = run(&[
        "schema",
        "--migrations",
        "checker/tests/fixtures/errors/unknown-table-did-you-mean",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "CQ0201");
    assert_eq!(d["rule"], "unknown-table");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        d["file"],
        "checker/tests/fixtures/errors/unknown-table-did-you-mean/002_add_age.sql"
    );
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(13))
    );
    assert_eq!(d["help"], "did you mean `people`?");
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["code", "rule", "severity", "message", "file", "line", "column", "start", "end", "help"]
    );
}

#[test]
fn missing_migrations_dir_is_an_error_not_a_panic() {
    let (code, v) = run(&[
        "schema",
        "--migrations",
        "no/such/service/migrations",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(v["diagnostics"][0]["code"], "CQ0103");
    assert_eq!(v["diagnostics"][0]["file"], "no/such/service/migrations");
}

#[test]
fn a_directory_that_is_no_service_is_an_error_not_a_panic() {
    for command in ["schema", "describe"] {
        let mut args = vec![command, "--migrations", "/", "--format", "json"];
        if command == "describe" {
            args.extend(["--sql", "SELECT 1"]);
        }
        let (code, v) = run(&args);
        assert_eq!(code, 1, "{v}");
        assert_eq!(
            v["diagnostics"][0]["message"],
            "`/` is not a service's migrations directory"
        );
    }
}
