//! `uuid-primary-key` [warning]
//!
//! **What**: a table's `id` column is not UUID.
//! **Why**: the seed: "Use UUIDs for primary keys" (CockroachDB spreads them without
//! hotspots). Its own `users.id TEXT` shows why this is a warning, not an error.
//! **Instead**: `id UUID PRIMARY KEY DEFAULT gen_random_uuid()`.

use crate::catalog::types::Builtin;
use sqlparser::ast::Statement;

use super::StatementCtx;
use crate::diagnostic::{Code, Diagnostic};

pub fn check(cx: &StatementCtx) -> Vec<Diagnostic> {
    let Statement::CreateTable(ct) = cx.stmt else {
        return Vec::new();
    };
    let Some(name) = crate::catalog::object_key(&ct.name) else {
        return Vec::new();
    };
    let Some(def) = ct
        .columns
        .iter()
        .find(|c| crate::catalog::ident_name(&c.name) == "id")
    else {
        return Vec::new();
    };
    let Some(t) = cx.last.table(&name) else {
        return Vec::new();
    };
    match t.column("id") {
        Some(c) if !c.ty.is(Builtin::Uuid) => vec![cx
            .at(
                Code::UuidPrimaryKey,
                format!("`{name}.id` is {}, not uuid", c.ty),
                def.name.span,
            )
            .with_help("use `id UUID PRIMARY KEY DEFAULT gen_random_uuid()`")],
        _ => Vec::new(),
    }
}
