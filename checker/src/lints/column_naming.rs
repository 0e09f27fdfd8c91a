//! `column-naming` [warning]
//!
//! **What**: columns are snake_case; booleans start with `is_`; timestamps end with `_at`;
//! a single-column foreign key is named `{table_singular}_id` (a self-reference names its
//! role: `parent_id`).
//! **Why**: the seed's conventions (`is_active`, `expires_at`, `user_id`).
//! **Instead**: rename in a new migration (see `column-rename`).

use crate::catalog::types::Builtin;
use sqlparser::ast::{AlterTableOperation, ColumnDef, ColumnOption, Statement};

use super::{is_snake_case, singular, StatementCtx};
use crate::catalog::{ident_name, Catalog};
use crate::diagnostic::{Code, Diagnostic};

fn check_column(
    cx: &StatementCtx,
    cat: &Catalog,
    table: Option<&str>,
    def: &ColumnDef,
    out: &mut Vec<Diagnostic>,
) {
    let name = ident_name(&def.name);
    let span = def.name.span;
    let at = |m: String, h: String| cx.at(Code::ColumnNaming, m, span).with_help(h);
    if !is_snake_case(&name) {
        out.push(at(
            format!("column `{name}` is not snake_case"),
            "name columns in lower snake_case, e.g. `first_name`".into(),
        ));
        return;
    }
    let ty = crate::catalog::types::resolve(&def.data_type, &|n| cat.user_type(n), &|_| true)
        .ok()
        .map(|(t, _)| t);
    match ty.as_ref().and_then(crate::catalog::SqlType::as_builtin) {
        Some(Builtin::Boolean) if !name.starts_with("is_") => out.push(at(
            format!("boolean column `{name}` does not start with `is_`"),
            format!("name booleans `is_…`, e.g. `is_{name}`"),
        )),
        Some(Builtin::Timestamptz | Builtin::Timestamp) if !name.ends_with("_at") => out.push(at(
            format!("timestamp column `{name}` does not end with `_at`"),
            "name timestamps `…_at`, e.g. `expires_at`".into(),
        )),
        _ => {}
    }
    for o in &def.options {
        if let ColumnOption::ForeignKey(fk) = &o.option {
            if let Some(target) = crate::catalog::object_key(&fk.foreign_table) {
                let expected = format!("{}_id", singular(&target));
                // A self-reference names its role (`parent_id`, `replaced_by_id`): `comment_id`
                // on `comments` would read as the row's own id.
                let self_reference = table == Some(target.as_str());
                let named = if self_reference {
                    name.ends_with("_id")
                } else {
                    name == expected || name.ends_with(&format!("_{expected}"))
                };
                if !named {
                    out.push(at(format!("foreign key column `{name}` references `{target}` but is not named `{expected}`"), format!("name it `{expected}` (or `…_{expected}` for a role, e.g. `buyer_{expected}`)")));
                }
            }
        }
    }
}

pub fn check(cx: &StatementCtx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match cx.stmt {
        Statement::CreateTable(ct) => {
            let table = crate::catalog::object_key(&ct.name);
            for c in &ct.columns {
                check_column(cx, cx.before, table.as_deref(), c, &mut out);
            }
        }
        Statement::AlterTable(at) => {
            let table = crate::catalog::object_key(&at.name);
            for op in &at.operations {
                if let AlterTableOperation::AddColumn { column_def, .. } = op {
                    check_column(cx, cx.before, table.as_deref(), column_def, &mut out);
                }
            }
        }
        _ => {}
    }
    out
}
