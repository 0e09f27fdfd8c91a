//! The names PostgreSQL gives result columns (`FigureColname`): the column, the function,
//! the cast's type, `case`, `exists`, … and `?column?` for everything else.

use sqlparser::ast::{Expr, FunctionArguments, SelectItem, SetExpr, TrimWhereField, Value};

use super::ops::cast_column_name;
use crate::catalog::{ident_name, SqlType};

/// The name of an expression's column, `None` where PostgreSQL says `?column?`. `cast_type`
/// resolves a cast's target type (needed for `x::int` → `int4`).
pub fn column_name(
    e: &Expr,
    cast_type: &dyn Fn(&sqlparser::ast::DataType) -> Option<SqlType>,
) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(ident_name(i)),
        Expr::CompoundIdentifier(parts) => parts.last().map(ident_name),
        Expr::Nested(inner) => column_name(inner, cast_type),
        Expr::Cast {
            expr, data_type, ..
        } => column_name(expr, cast_type)
            .or_else(|| cast_type(data_type).map(|t| cast_column_name(&t))),
        Expr::Function(f) => f.name.0.last().and_then(|p| p.as_ident()).map(ident_name),
        Expr::Case { .. } => Some("case".into()),
        Expr::Exists { .. } => Some("exists".into()),
        Expr::Array(_) => Some("array".into()),
        Expr::Tuple(_) => Some("row".into()),
        Expr::Extract { .. } => Some("extract".into()),
        Expr::Position { .. } => Some("position".into()),
        Expr::Overlay { .. } => Some("overlay".into()),
        Expr::Substring { shorthand, .. } => {
            Some(if *shorthand { "substr" } else { "substring" }.into())
        }
        Expr::Ceil { .. } => Some("ceil".into()),
        Expr::Floor { .. } => Some("floor".into()),
        Expr::AtTimeZone { .. } => Some("timezone".into()),
        Expr::Trim { trim_where, .. } => Some(
            match trim_where {
                Some(TrimWhereField::Leading) => "ltrim",
                Some(TrimWhereField::Trailing) => "rtrim",
                _ => "btrim",
            }
            .into(),
        ),
        Expr::TypedString(ts) => cast_type(&ts.data_type).map(|t| cast_column_name(&t)),
        Expr::Interval(_) => Some("interval".into()),
        // The last field name of the chain (`(t.h).value`, `t.tags[1]`), else the root's.
        Expr::CompoundFieldAccess { root, access_chain } => access_chain
            .iter()
            .rev()
            .find_map(|a| match a {
                sqlparser::ast::AccessExpr::Dot(Expr::Identifier(i)) => Some(ident_name(i)),
                _ => None,
            })
            .or_else(|| column_name(root, cast_type)),
        Expr::Subquery(q) => match q.body.as_ref() {
            SetExpr::Select(s) => match s.projection.first() {
                Some(SelectItem::ExprWithAlias { alias, .. }) => Some(ident_name(alias)),
                Some(SelectItem::UnnamedExpr(e)) => column_name(e, cast_type),
                _ => None,
            },
            _ => None,
        },
        Expr::Value(v) if matches!(v.value, Value::Null) => None,
        _ => None,
    }
}

/// Whether a function call carries `*` (`count(*)`).
pub fn is_star_call(f: &sqlparser::ast::Function) -> bool {
    matches!(&f.args, FunctionArguments::List(l) if matches!(l.args.as_slice(), [sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Wildcard)]))
}

/// The names of a statement's result columns read from its text alone, for a query that
/// does not check: the record of a failed query keeps its field names (its types are
/// unknown), so the code reading them gets no follow-up errors. `None` when the names are
/// not all plain to see (`*`, a `?column?`, a statement that does not parse).
pub fn result_names(sql: &str) -> Option<Vec<String>> {
    use sqlparser::ast::Statement;
    let file = crate::source::SourceFile::inline(sql);
    let fragment = crate::source::Fragment {
        range: 0..file.text.len(),
        file,
    };
    let items = match crate::statements::parse_statement(&fragment).ok()? {
        Statement::Query(q) => first_select(&q.body)?.projection.clone(),
        Statement::Insert(i) => i.returning?,
        Statement::Update(u) => u.returning?,
        Statement::Delete(d) => d.returning?,
        _ => return None,
    };
    items
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(e) => column_name(e, &|_| None),
            SelectItem::ExprWithAlias { alias, .. } => Some(ident_name(alias)),
            _ => None,
        })
        .collect()
}

/// The select that names a query's columns: the first of a set operation, as PostgreSQL
/// takes its names.
fn first_select(body: &SetExpr) -> Option<&sqlparser::ast::Select> {
    match body {
        SetExpr::Select(s) => Some(s),
        SetExpr::Query(q) => first_select(&q.body),
        SetExpr::SetOperation { left, .. } => first_select(left),
        _ => None,
    }
}
