//! `required-columns` [warning]
//!
//! **What**: every table has `id`, `created_at` and `updated_at` (in the schema after all
//! migrations).
//! **Why**: the seed: "Always include: id, created_at, updated_at".
//! **Instead**: add the missing columns in a new migration.

use super::StatementCtx;
use crate::diagnostic::{Code, Diagnostic};

pub fn check(cx: &StatementCtx) -> Vec<Diagnostic> {
    let Some((ct, name)) = cx.created_table() else {
        return Vec::new();
    };
    let Some(t) = cx.last.table(&name) else {
        return Vec::new();
    };
    let missing: Vec<&str> = ["id", "created_at", "updated_at"]
        .into_iter()
        .filter(|c| t.column(c).is_none())
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let span = ct
        .name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| i.span)
        .unwrap_or(sqlparser::tokenizer::Span::empty());
    vec![cx
        .at(Code::RequiredColumns, format!("table `{name}` has no {}", missing.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")), span)
        .with_help("every table has `id`, `created_at TIMESTAMPTZ NOT NULL DEFAULT now()` and `updated_at`")]
}
