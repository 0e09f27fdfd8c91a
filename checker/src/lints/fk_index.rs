//! `fk-without-index` [error]
//!
//! **What**: a foreign key whose columns are not the leading columns of a non-partial index
//! on its table (the primary key and unique constraints count; a partial index cannot serve
//! the foreign key's own lookups). Checked against the schema after every migration, so an
//! index added by a later migration counts.
//! **Why**: the seed: "Foreign keys: always indexed". Without one, deleting a parent row scans
//! the child table.
//! **Instead**: `CREATE INDEX idx_{table}_{column} ON {table} ({column})`.

use sqlparser::ast::{AlterTableOperation, ColumnOption, Spanned, Statement, TableConstraint};

use super::StatementCtx;
use crate::catalog::{ident_name, Catalog, ConstraintKind, IndexKey};
use crate::diagnostic::{Code, Diagnostic};

fn covered(cat: &Catalog, table: &str, cols: &[String]) -> bool {
    cat.indexes_on(table)
        .filter(|i| i.predicate.is_none())
        .any(|i| {
            let lead: Vec<&str> = i
                .keys
                .iter()
                .take(cols.len())
                .filter_map(|k| match k {
                    IndexKey::Column(c) => Some(c.as_str()),
                    _ => None,
                })
                .collect();
            lead.len() == cols.len() && cols.iter().all(|c| lead.contains(&c.as_str()))
        })
}

pub fn check(cx: &StatementCtx) -> Vec<Diagnostic> {
    let (table, fks): (String, Vec<(Vec<String>, sqlparser::tokenizer::Span)>) = match cx.stmt {
        Statement::CreateTable(ct) => {
            let mut fks = Vec::new();
            for c in &ct.columns {
                for o in &c.options {
                    if let ColumnOption::ForeignKey(_) = o.option {
                        fks.push((vec![ident_name(&c.name)], c.name.span));
                    }
                }
            }
            for c in &ct.constraints {
                if let TableConstraint::ForeignKey(fk) = c {
                    fks.push((fk.columns.iter().map(ident_name).collect(), c.span()));
                }
            }
            (
                crate::catalog::object_key(&ct.name).unwrap_or_default(),
                fks,
            )
        }
        Statement::AlterTable(at) => {
            let mut fks = Vec::new();
            for op in &at.operations {
                match op {
                    AlterTableOperation::AddConstraint {
                        constraint: TableConstraint::ForeignKey(fk),
                        ..
                    } => fks.push((
                        fk.columns.iter().map(ident_name).collect(),
                        fk.foreign_table.span(),
                    )),
                    AlterTableOperation::AddColumn { column_def, .. }
                        if column_def
                            .options
                            .iter()
                            .any(|o| matches!(o.option, ColumnOption::ForeignKey(_))) =>
                    {
                        fks.push((vec![ident_name(&column_def.name)], column_def.name.span))
                    }
                    _ => {}
                }
            }
            (
                crate::catalog::object_key(&at.name).unwrap_or_default(),
                fks,
            )
        }
        _ => return Vec::new(),
    };
    // The foreign key must still exist at the end (a later migration may drop it).
    let Some(t) = cx.last.table(&table) else {
        return Vec::new();
    };
    fks.into_iter()
        .filter(|(cols, _)| t.constraints.iter().any(|c| matches!(&c.kind, ConstraintKind::ForeignKey { columns, .. } if columns == cols)))
        .filter(|(cols, _)| !covered(cx.last, &table, cols))
        .map(|(cols, span)| {
            cx.at(Code::FkWithoutIndex, format!("foreign key ({}) of `{table}` has no index", cols.join(", ")), span).with_help(format!(
                "add `CREATE INDEX idx_{table}_{} ON {table} ({})` (a partial index does not serve the foreign key)",
                cols.join("_"),
                cols.join(", ")
            ))
        })
        .collect()
}
