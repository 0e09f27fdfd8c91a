//! `enum-value-used-in-same-migration` [error]
//!
//! **What**: a label added by `ALTER TYPE … ADD VALUE` used (as a literal) by a later
//! statement of the same migration.
//! **Why**: PostgreSQL refuses it inside the migration's transaction ("unsafe use of new
//! value"): the new label is usable only after the transaction commits.
//! **Instead**: use the label in the next migration.

use std::ops::ControlFlow;
use std::sync::Arc;

use sqlparser::ast::{AlterTypeOperation, Expr, Statement, Value};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Fragment;

pub fn check(statements: &[(Fragment, Arc<Statement>)]) -> Vec<Diagnostic> {
    let mut added: Vec<(String, String)> = Vec::new(); // (enum, label)
    let mut out = Vec::new();
    for (frag, stmt) in statements {
        let mut hits = Vec::new();
        let _ = sqlparser::ast::visit_expressions(&**stmt, |e: &Expr| {
            if let Expr::Value(v) = e {
                if let Value::SingleQuotedString(s) = &v.value {
                    if let Some((ty, _)) = added.iter().find(|(_, l)| l == s) {
                        hits.push((ty.clone(), s.clone(), v.span));
                    }
                }
            }
            ControlFlow::<()>::Continue(())
        });
        for (ty, label, span) in hits {
            out.push(
                Diagnostic::new(Code::EnumValueUsedInSameMigration, format!("label '{label}' is added to enum `{ty}` and used in the same migration"))
                    .at_span(frag, span)
                    .with_help("PostgreSQL cannot use a new enum label in the transaction that adds it: use it in the next migration"),
            );
        }
        if let Statement::AlterType(at) = &**stmt {
            if let AlterTypeOperation::AddValue(add) = &at.operation {
                added.push((at.name.to_string(), add.value.value.clone()));
            }
        }
    }
    out
}
