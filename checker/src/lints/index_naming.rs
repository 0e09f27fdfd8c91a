//! `index-naming` [warning]
//!
//! **What**: indexes are named `idx_{table}_{columns}`, optionally with a suffix (`_active`,
//! `_fk`, …).
//! **Why**: the seed's convention (`idx_auth_codes_email_purpose`); a name that says what is
//! indexed makes plans and lock waits readable.
//! **Instead**: `ALTER INDEX … RENAME TO idx_{table}_{columns}`.

use sqlparser::ast::{Expr, Statement};

use super::StatementCtx;
use crate::catalog::ident_name;
use crate::diagnostic::{Code, Diagnostic};

pub fn check(cx: &StatementCtx) -> Vec<Diagnostic> {
    let Statement::CreateIndex(ci) = cx.stmt else {
        return Vec::new();
    };
    let Some(table) = crate::catalog::object_key(&ci.table_name) else {
        return Vec::new();
    };
    // An expression key is named after the columns it reads (`lower(email)` → `email`);
    // naming it after the function too (`lower_email`) is also fine.
    let mut by_columns: Vec<String> = Vec::new();
    let mut with_functions: Vec<String> = Vec::new();
    for c in &ci.columns {
        let columns = columns_read(&c.column.expr);
        if let Expr::Function(f) = &c.column.expr {
            with_functions.push(f.name.to_string().to_lowercase());
        }
        by_columns.extend(columns.iter().cloned());
        with_functions.extend(columns);
    }
    let expected = format!("idx_{table}_{}", by_columns.join("_"));
    let also = format!("idx_{table}_{}", with_functions.join("_"));
    match &ci.name {
        None => vec![cx
            .at(
                Code::IndexNaming,
                format!("index on `{table}` has no name"),
                ci.table_name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .map(|i| i.span)
                    .unwrap_or(sqlparser::tokenizer::Span::empty()),
            )
            .with_help(format!("name it: `CREATE INDEX {expected} ON …`"))],
        Some(n) => {
            let name = crate::catalog::object_key(n).unwrap_or_default();
            let matches = |stem: &str| {
                name == stem
                    || name
                        .strip_prefix(stem)
                        .is_some_and(|rest| rest.starts_with('_'))
            };
            let ok = matches(&expected) || matches(&also);
            if ok {
                Vec::new()
            } else {
                let span =
                    n.0.last()
                        .and_then(|p| p.as_ident())
                        .map(|i| i.span)
                        .unwrap_or(sqlparser::tokenizer::Span::empty());
                vec![cx
                    .at(
                        Code::IndexNaming,
                        format!("index `{name}` is not named `{expected}`"),
                        span,
                    )
                    .with_help(format!(
                        "name it `{expected}` (a suffix such as `{expected}_active` is fine)"
                    ))]
            }
        }
    }
}

/// The column names an index key reads, in order, each once.
fn columns_read(expr: &Expr) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let _ = sqlparser::ast::visit_expressions(expr, |e| {
        let name = match e {
            Expr::Identifier(i) => Some(ident_name(i)),
            Expr::CompoundIdentifier(parts) => parts.last().map(ident_name),
            _ => None,
        };
        if let Some(n) = name.filter(|n| !out.contains(n)) {
            out.push(n);
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    out
}
