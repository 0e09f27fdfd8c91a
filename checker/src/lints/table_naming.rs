//! `table-naming` [warning]
//!
//! **What**: table names are plural snake_case (`users`, `auth_codes`, `people`).
//! **Why**: the seed's naming convention.
//! **Instead**: rename in a new migration (see `table-rename` for the safe way).

use super::{is_plural, is_snake_case, StatementCtx};
use crate::diagnostic::{Code, Diagnostic};

pub fn check(cx: &StatementCtx) -> Vec<Diagnostic> {
    let Some((ct, name)) = cx.created_table() else {
        return Vec::new();
    };
    let span = ct
        .name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| i.span)
        .unwrap_or(sqlparser::tokenizer::Span::empty());
    let mut out = Vec::new();
    if !is_snake_case(&name) {
        out.push(
            cx.at(
                Code::TableNaming,
                format!("table `{name}` is not snake_case"),
                span,
            )
            .with_help("name tables in lower snake_case, e.g. `order_items`"),
        );
    } else if !is_plural(&name) {
        out.push(
            cx.at(
                Code::TableNaming,
                format!("table `{name}` is not plural"),
                span,
            )
            .with_help(format!("name tables in the plural, e.g. `{name}s`")),
        );
    }
    out
}
