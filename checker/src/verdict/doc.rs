//! The doc comment of a generated record field: what rust-analyzer shows on hover. It says
//! where the value comes from (`users.email`), its PostgreSQL type, and why the field is an
//! `Option` or not, from what the analysis decided ([`Provenance`]).

use crate::analysis::{Nullability, OutputColumn, Provenance};

/// The doc of field `name` for result column `c`. `override_null` is a `?`/`!` in the
/// column's name; `decoded` says which Rust type its name gives, if it gives one.
pub(super) fn field(
    name: &str,
    c: &OutputColumn,
    provenance: Option<&Provenance>,
    override_null: Option<bool>,
    decoded: &str,
) -> String {
    let source = match provenance {
        Some(Provenance::Column {
            table: Some(table),
            relation,
            column,
            ..
        }) if table == relation => format!("from `{table}.{column}`, "),
        Some(Provenance::Column {
            table: Some(table),
            relation,
            column,
            ..
        }) => format!("from `{relation}.{column}` (table `{table}`), "),
        Some(Provenance::Column {
            table: None,
            relation,
            column,
            ..
        }) => format!("from `{relation}.{column}` (a subquery, CTE or function), "),
        Some(Provenance::Aggregate { .. } | Provenance::Expression) | None => String::new(),
    };
    let null = match (override_null, provenance) {
        (Some(true), _) => "may be NULL: `?` in its name says so".to_string(),
        (Some(false), _) => "never NULL: `!` in its name says so".to_string(),
        (None, Some(Provenance::Column { why, relation, table, .. })) => match (why, c.nullable) {
            (Nullability::NotNull, false) if table.is_some() => "never NULL: the column is NOT NULL".to_string(),
            (Nullability::NotNull, false) => "never NULL: the query it comes from never gives NULL there".to_string(),
            (Nullability::Narrowed, false) => "never NULL: the column is nullable, but the WHERE clause keeps only rows where it is not".to_string(),
            (Nullability::Nullable, true) if table.is_some() => "may be NULL: the column is nullable, so an `Option`".to_string(),
            (Nullability::Nullable, true) => "may be NULL: the query it comes from may give NULL there, so an `Option`".to_string(),
            (Nullability::OuterJoin, true) => format!("may be NULL: `{relation}` is on the nullable side of an outer join, so an `Option`"),
            (_, nullable) => generic(nullable).to_string(),
        },
        (None, Some(Provenance::Aggregate { function })) => {
            let is_count = function.rsplit('.').next().is_some_and(|f| f.eq_ignore_ascii_case("count"));
            match (is_count, c.nullable) {
                (_, true) => format!("may be NULL: `{function}` gives NULL when it aggregates no rows, so an `Option`"),
                (true, false) => format!("never NULL: `{function}` gives 0 when it counts no rows"),
                (false, false) => format!("never NULL: `{function}` gives a value even over no rows"),
            }
        }
        (None, _) => generic(c.nullable).to_string(),
    };
    format!("`{name}`: {source}PostgreSQL `{}`, {null}{decoded}.", c.ty)
}

/// Why an expression's value is or is not nullable, when no column says.
fn generic(nullable: bool) -> &'static str {
    if nullable {
        "may be NULL (the checker cannot prove that this expression never is), so an `Option`"
    } else {
        "never NULL"
    }
}
