//! SARIF 2.1.0, the format code-scanning services (GitHub's among them) read: one run of
//! the tool, its rules (every code that appears), and one result per diagnostic.

use serde_json::{json, Value};

use crate::diagnostic::{Code, Diagnostic, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log of `diagnostics`; paths are shown as the diagnostics give them, relative
/// to `%SRCROOT%` (where the command ran) when relative.
pub fn render(diagnostics: &[Diagnostic]) -> Value {
    let mut codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
    codes.sort_by_key(|c| c.as_str());
    codes.dedup();
    let rules: Vec<Value> = codes
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": c.rule(),
                "shortDescription": { "text": c.rule().replace('-', " ") },
                "defaultConfiguration": { "level": level(c.default_severity()) },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": codes.iter().position(|c| *c == d.code).unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": text },
            });
            if let Some(file) = &d.file {
                let mut location = json!({
                    "physicalLocation": {
                        "artifactLocation": artifact(file),
                    }
                });
                if d.line > 0 {
                    let mut region = json!({ "startLine": d.line, "startColumn": d.column });
                    if let Some((line, col)) = d.end_line_col() {
                        region["endLine"] = json!(line);
                        region["endColumn"] = json!(col);
                    }
                    location["physicalLocation"]["region"] = region;
                }
                result["locations"] = json!([location]);
            }
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "checked-query",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A file as a SARIF artifact location: a URI reference (`/` separators, reserved
/// characters percent-encoded), relative ones against `%SRCROOT%`.
fn artifact(path: &str) -> Value {
    let slashed = path.replace('\\', "/");
    let mut uri = String::new();
    for b in slashed.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(b as char)
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    if slashed.starts_with('/') {
        json!({ "uri": format!("file://{uri}") })
    } else {
        json!({ "uri": uri, "uriBaseId": "%SRCROOT%" })
    }
}
