//! Changes to tables that already hold data (created by an earlier migration):
//!
//! - `non-concurrent-index` [warning]: CREATE INDEX without CONCURRENTLY locks writes for the
//!   whole build. Instead: `CREATE INDEX CONCURRENTLY` in a migration of its own.
//! - `not-null-column-added` [error]: ADD COLUMN … NOT NULL without DEFAULT fails on any
//!   non-empty table. Instead: add it nullable (or with a DEFAULT), backfill, then SET NOT NULL.
//! - `volatile-default-rewrite` [warning]: ADD COLUMN with a volatile default
//!   (`gen_random_uuid()`, `random()`, `clock_timestamp()`) rewrites the table under an
//!   exclusive lock. A constant or stable default (`now()`) has been free since PostgreSQL 11
//!   (the seed predates that).
//! - `set-not-null-scan` [warning]: SET NOT NULL scans the table under an exclusive lock.
//!   Instead: `ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT`, then
//!   `SET NOT NULL` (which uses the validated check).
//! - `column-type-change`, `column-rename`, `table-rename` [warning]: breaking for code still
//!   deployed. Instead: expand and contract — add the new column/table, write both, backfill,
//!   switch reads, then drop the old one in a later release.

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnOption, Expr, Spanned, Statement,
};

use super::StatementCtx;
use crate::catalog::ident_name;
use crate::diagnostic::{Code, Diagnostic};

const VOLATILE: &[&str] = &[
    "gen_random_uuid",
    "random",
    "clock_timestamp",
    "uuid_generate_v4",
    "timeofday",
    "nextval",
];

fn volatile(e: &Expr) -> bool {
    let mut found = false;
    let _ = sqlparser::ast::visit_expressions(e, |x: &Expr| {
        if let Expr::Function(f) = x {
            if VOLATILE.contains(&f.name.to_string().to_lowercase().as_str()) {
                found = true;
            }
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    found
}

pub fn check(cx: &StatementCtx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match cx.stmt {
        Statement::CreateIndex(ci) if !ci.concurrently => {
            if let Some(t) = crate::catalog::object_key(&ci.table_name) {
                if cx.before.table(&t).is_some() {
                    out.push(
                        cx.at(Code::NonConcurrentIndex, format!("CREATE INDEX on existing table `{t}` without CONCURRENTLY"), ci.table_name.span())
                            .with_help("use CREATE INDEX CONCURRENTLY (the migrator runs such a migration outside a transaction)"),
                    );
                }
            }
        }
        Statement::AlterTable(at) => {
            let Some(t) = crate::catalog::object_key(&at.name) else {
                return out;
            };
            if cx.before.table(&t).is_none() {
                return out;
            }
            for op in &at.operations {
                match op {
                    AlterTableOperation::AddColumn { column_def, .. } => {
                        let name = ident_name(&column_def.name);
                        let not_null = column_def.options.iter().any(|o| matches!(o.option, ColumnOption::NotNull | ColumnOption::PrimaryKey(_)));
                        let default = column_def.options.iter().find_map(|o| match &o.option {
                            ColumnOption::Default(e) => Some(e),
                            _ => None,
                        });
                        let generated = column_def.options.iter().any(|o| matches!(o.option, ColumnOption::Generated { .. }));
                        let serial = matches!(&column_def.data_type, sqlparser::ast::DataType::Custom(n, _) if n.to_string().to_lowercase().contains("serial"));
                        if not_null && default.is_none() && !generated && !serial {
                            out.push(
                                cx.at(Code::NotNullColumnAdded, format!("ADD COLUMN `{name}` NOT NULL without DEFAULT on existing table `{t}`"), column_def.name.span)
                                    .with_help("it fails on any non-empty table: add it nullable (or with a DEFAULT), backfill, then SET NOT NULL"),
                            );
                        }
                        if default.is_some_and(volatile) || serial {
                            out.push(
                                cx.at(Code::VolatileDefaultRewrite, format!("ADD COLUMN `{name}` with a volatile default rewrites table `{t}`"), column_def.name.span)
                                    .with_help("add the column without a default (or with a constant or stable one such as now(), free since PostgreSQL 11), then backfill in batches"),
                            );
                        }
                    }
                    AlterTableOperation::AlterColumn { column_name, op } => match op {
                        AlterColumnOperation::SetNotNull => out.push(
                            cx.at(Code::SetNotNullScan, format!("SET NOT NULL on `{t}.{}` scans the table under an exclusive lock", ident_name(column_name)), column_name.span)
                                .with_help("add `CHECK (col IS NOT NULL) NOT VALID`, then `VALIDATE CONSTRAINT`, then SET NOT NULL (which then skips the scan)"),
                        ),
                        AlterColumnOperation::SetDataType { .. } => out.push(
                            cx.at(Code::ColumnTypeChange, format!("changing the type of `{t}.{}` breaks code still deployed", ident_name(column_name)), column_name.span)
                                .with_help("expand and contract: add a column of the new type, write both, backfill, switch reads, drop the old one later"),
                        ),
                        _ => {}
                    },
                    AlterTableOperation::RenameColumn { old_column_name, .. } => out.push(
                        cx.at(Code::ColumnRename, format!("renaming `{t}.{}` breaks code still deployed", ident_name(old_column_name)), old_column_name.span)
                            .with_help("expand and contract: add the new column, write both, backfill, switch reads, drop the old one later"),
                    ),
                    AlterTableOperation::RenameTable { .. } => out.push(
                        cx.at(Code::TableRename, format!("renaming table `{t}` breaks code still deployed"), at.name.span())
                            .with_help("expand and contract: create the new table (or a view with the new name), move code over, then drop the old name"),
                    ),
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out
}
