//! The names PostgreSQL gives result columns (`FigureColname`): the column, the function,
//! the cast's type, `case`, `exists`, … and `?column?` for everything else.

use sqlparser::ast::{
    Expr, FunctionArguments, Ident, JoinConstraint, ObjectName, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, TableFactor, TableWithJoins, TrimWhereField, Value,
};

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
        // `NOT EXISTS (…)` is a NOT over the sublink: PostgreSQL names it `?column?`.
        Expr::Exists { negated: false, .. } => Some("exists".into()),
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
/// unknown), so the code reading them gets no follow-up errors. `*` and `t.*` take the
/// columns of the tables named in FROM (or the target of `RETURNING *`) from `columns`, the
/// schema's answer for a relation name. `None` when the names are not all plain to see (a
/// `?column?`, a star over a join with USING, a subquery or a relation `columns` does not
/// know, a statement that does not parse).
pub fn result_names(
    sql: &str,
    columns: &dyn Fn(&ObjectName) -> Option<Vec<String>>,
) -> Option<Vec<String>> {
    use sqlparser::ast::{FromTable, Statement, TableObject};
    let file = crate::source::SourceFile::inline(sql);
    let fragment = crate::source::Fragment {
        range: 0..file.text.len(),
        file,
    };
    let statement = crate::statements::parse_statement(&fragment).ok()?;
    let (items, from): (_, Vec<&TableWithJoins>) = match &statement {
        // A CTE may shadow a table's name: its columns are not the table's.
        Statement::Query(q) => {
            let select = first_select(&q.body)?;
            let from = if q.with.is_some() {
                Vec::new()
            } else {
                select.from.iter().collect()
            };
            (&select.projection, from)
        }
        Statement::Insert(i) => {
            let TableObject::TableName(name) = &i.table else {
                return None;
            };
            let names = i.returning.as_ref()?;
            return expand(
                names,
                &[(name, i.table_alias.as_ref().map(|a| &a.alias))],
                columns,
            );
        }
        Statement::Update(u) => {
            let from = if u.from.is_none() {
                vec![&u.table]
            } else {
                Vec::new()
            };
            (u.returning.as_ref()?, from)
        }
        Statement::Delete(d) => {
            let tables = match &d.from {
                FromTable::WithFromKeyword(t) | FromTable::WithoutKeyword(t) => t,
            };
            let from = if d.using.is_none() {
                tables.iter().collect()
            } else {
                Vec::new()
            };
            (d.returning.as_ref()?, from)
        }
        _ => return None,
    };
    let mut relations = Vec::new();
    for t in &from {
        // USING and NATURAL merge columns: `*` is not the tables' columns side by side.
        let merges = t.joins.iter().any(|j| {
            use sqlparser::ast::JoinOperator as J;
            let constraint = match &j.join_operator {
                J::Join(c) | J::Inner(c) | J::Left(c) | J::LeftOuter(c) => c,
                J::Right(c) | J::RightOuter(c) | J::FullOuter(c) | J::CrossJoin(c) => c,
                _ => return true,
            };
            !matches!(constraint, JoinConstraint::On(_) | JoinConstraint::None)
        });
        if merges {
            return names_without_star(items);
        }
        for factor in std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)) {
            match factor {
                // An alias's column list (`users AS u (a, b)`) renames the columns.
                TableFactor::Table {
                    name,
                    alias,
                    args: None,
                    ..
                } if alias.as_ref().is_none_or(|a| a.columns.is_empty()) => {
                    relations.push((name, alias.as_ref().map(|a| &a.name)))
                }
                _ => return names_without_star(items),
            }
        }
    }
    expand(items, &relations, columns)
}

/// The names when no item is a star.
fn names_without_star(items: &[SelectItem]) -> Option<Vec<String>> {
    expand(items, &[], &|_| None)
}

/// Each item's name, stars expanded over `relations` (name, alias) in FROM order.
fn expand(
    items: &[SelectItem],
    relations: &[(&ObjectName, Option<&Ident>)],
    columns: &dyn Fn(&ObjectName) -> Option<Vec<String>>,
) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for item in items {
        match item {
            SelectItem::UnnamedExpr(e) => names.push(column_name(e, &|_| None)?),
            SelectItem::ExprWithAlias { alias, .. } => names.push(ident_name(alias)),
            SelectItem::Wildcard(_) if !relations.is_empty() => {
                for (name, _) in relations {
                    names.extend(columns(name)?);
                }
            }
            SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(q), _) => {
                // `t.*` names a relation by its alias, else by its name as written.
                let wanted = q.0.last()?.as_ident().map(ident_name)?;
                let (name, _) = relations.iter().find(|(name, alias)| match alias {
                    Some(a) => ident_name(a) == wanted,
                    None => {
                        q.0.len() <= name.0.len()
                            && name.0.last().and_then(|p| p.as_ident()).map(ident_name)
                                == Some(wanted.clone())
                    }
                })?;
                names.extend(columns(name)?);
            }
            _ => return None,
        }
    }
    Some(names)
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
