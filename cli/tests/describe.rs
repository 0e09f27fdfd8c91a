//! The `describe` command end to end: one JSON line per query, in order, with `ok` exactly
//! when no error-severity diagnostic exists.

use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_checked-query"))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status.code().unwrap(), lines)
}

const SHOP: &str = "tests/fixtures/services/shop/migrations";

#[test]
fn describes_one_query() {
    let (code, lines) = run(&[
        "describe",
        "--migrations",
        SHOP,
        "--sql",
        "SELECT id, email, name FROM users WHERE id = $1",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        lines[0],
        serde_json::json!({"id": null, "ok": true, "params": ["uuid"],
            "columns": [{"name": "id", "type": "uuid", "nullable": false}, {"name": "email", "type": "text", "nullable": false},
                        {"name": "name", "type": "character varying", "nullable": true}],
            "diagnostics": []})
    );
}

#[test]
fn describes_a_jsonl_file_in_order_and_fails_on_errors() {
    let dir = std::env::temp_dir().join(format!("cq-describe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("q.jsonl");
    std::fs::write(&file, "{\"id\": \"a\", \"sql\": \"SELECT count(*) FROM orders\"}\n{\"id\": \"b\", \"sql\": \"SELECT emial FROM users\"}\n").unwrap();
    let (code, lines) = run(&[
        "describe",
        "--migrations",
        SHOP,
        "--queries",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (lines[0]["id"].as_str(), lines[0]["ok"].as_bool()),
        (Some("a"), Some(true))
    );
    assert_eq!(
        (lines[1]["id"].as_str(), lines[1]["ok"].as_bool()),
        (Some("b"), Some(false))
    );
    let d = &lines[1]["diagnostics"][0];
    assert_eq!(
        (
            d["code"].as_str(),
            d["start"].as_u64(),
            d["end"].as_u64(),
            d["line"].as_u64(),
            d["column"].as_u64()
        ),
        (Some("CQ0202"), Some(7), Some(12), Some(1), Some(8))
    );
    assert_eq!(d["file"], serde_json::Value::Null);
    assert_eq!(d["help"], "did you mean `email`?");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn describes_named_parameters_as_the_macro_reads_them() {
    let (code, lines) = run(&[
        "describe",
        "--migrations",
        SHOP,
        "--sql",
        "SELECT id FROM users WHERE email = :email OR name = :name OR email = :email",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{lines:?}");
    // `varchar = $2` is `text = text` in PostgreSQL: $2 is text.
    assert_eq!(lines[0]["params"], serde_json::json!(["text", "text"]));
    assert_eq!(lines[0]["names"], serde_json::json!(["email", "name"]));
    assert_eq!(
        lines[0]["sql"],
        serde_json::json!(
            "SELECT id FROM users WHERE email = $1     OR name = $2    OR email = $1    "
        )
    );
    // Mixed forms are the macro's error too.
    let (code, lines) = run(&[
        "describe",
        "--migrations",
        SHOP,
        "--sql",
        "SELECT id FROM users WHERE email = :email AND id = $2",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(lines[0]["diagnostics"][0]["code"], "CQ0308");
}
