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
    let Some(table) = crate::catalog::unqualified_name(&ci.table_name) else {
        return Vec::new();
    };
    let cols: Vec<String> = ci
        .columns
        .iter()
        .map(|c| match &c.column.expr {
            Expr::Identifier(i) => ident_name(i),
            Expr::Function(f) => f.name.to_string().to_lowercase(),
            _ => "expr".to_string(),
        })
        .collect();
    let expected = format!("idx_{table}_{}", cols.join("_"));
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
            let name = crate::catalog::unqualified_name(n).unwrap_or_default();
            let ok = name == expected
                || name
                    .strip_prefix(&expected)
                    .is_some_and(|rest| rest.starts_with('_'));
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
