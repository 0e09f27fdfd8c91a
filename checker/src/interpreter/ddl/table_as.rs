//! `CREATE TABLE t [(a, b)] AS query`: a table whose columns are the query's, as PostgreSQL
//! makes it — named as the query (or the list) names them, all nullable, no defaults, no
//! constraint of the source copied, and each column's type with the type modifier
//! (`varchar(200)`, `numeric(10,2)`) the query's expression carries.
//!
//! The analysis types expressions without modifiers (what operators and `format_type(oid,
//! NULL)` see), so the modifiers are read here from the query's syntax: a column of a table
//! keeps its declared modifier, a cast gives its own, and functions, operators and literals
//! give none (PostgreSQL's `exprTypmod` is -1 for them). For the expressions that pass a
//! modifier through (`CASE`, `COALESCE`, subqueries, set operations, views, CTEs) the
//! checker does not guess: it asks for a cast.

use sqlparser::ast::{CreateTable, Expr, Query, Select, SelectItem, SetExpr, Spanned, TableFactor};
use sqlparser::tokenizer::Span;

use super::table::{check_column_count, resolve_value_type};
use super::{Applied, Ctx};
use crate::catalog::types::{BaseType, Builtin, SqlType};
use crate::catalog::{ident_name, Catalog, Column, OutputColumn, Table};
use crate::diagnostic::{Code, Diagnostic};

pub(super) fn create_table_as(
    cx: &Ctx,
    cat: &mut Catalog,
    name: String,
    span: Span,
    ct: &CreateTable,
    query: &Query,
) -> Applied {
    let Some(mut columns) = crate::analysis::analyze_view(cx.analysis(cat), cx.frag, query)? else {
        return Err(cx.unsupported(
            "CREATE TABLE … AS with this query",
            ct.name.span(),
            "the checker cannot type every column of the query; create the table with its columns written out, then INSERT … SELECT into it",
        ));
    };
    if ct.columns.len() > columns.len() {
        return Err(cx
            .error(
                Code::SyntaxError,
                "CREATE TABLE AS specifies too many column names",
                ct.name.span(),
            )
            .with_sqlstate("42601")
            .with_help("name at most as many columns as the query returns"));
    }
    with_modifiers(cx, cat, query, &mut columns)?;
    for (c, n) in columns.iter_mut().zip(&ct.columns) {
        c.name = ident_name(&n.name);
    }
    let mut table = Table::new(name, cat.service.clone(), Vec::new());
    for c in columns {
        if table.column(&c.name).is_some() {
            return Err(cx
                .error(
                    Code::DuplicateObject,
                    format!("column `{}` specified more than once", c.name),
                    ct.name.span(),
                )
                .with_sqlstate("42701")
                .with_help("give the query's columns distinct names with AS, or name them in a list after the table's name"));
        }
        table.columns.push(Column {
            name: c.name,
            ty: c.ty,
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            declared_int: false,
        });
    }
    check_column_count(cx, &table, 0, span)?;
    cat.tables.push(table);
    Ok(())
}

/// The types with modifiers a view's columns have, `None` when the checker cannot tell.
pub(super) fn stored_types(
    cx: &Ctx,
    cat: &Catalog,
    query: &Query,
    columns: &[OutputColumn],
) -> Option<Vec<SqlType>> {
    let mut columns = columns.to_vec();
    with_modifiers(cx, cat, query, &mut columns).ok()?;
    Some(columns.into_iter().map(|c| c.ty).collect())
}

/// Whether values of this type may carry a type modifier that a stored column keeps.
fn takes_modifier(t: &SqlType) -> bool {
    use Builtin as B;
    matches!(
        &t.base,
        BaseType::Builtin {
            ty: B::Varchar
                | B::Bpchar
                | B::Numeric
                | B::Timestamp
                | B::Timestamptz
                | B::Time
                | B::TimeTz
                | B::Interval
                | B::Bit
                | B::VarBit,
            ..
        }
    )
}

/// Gives each column whose type may carry a modifier the one PostgreSQL gives it.
fn with_modifiers(cx: &Ctx, cat: &Catalog, query: &Query, columns: &mut [OutputColumn]) -> Applied {
    if !columns.iter().any(|c| takes_modifier(&c.ty)) {
        return Ok(());
    }
    let ask_for_cast = |what: &str, span: Span| {
        cx.error(
            Code::Unsupported,
            format!("not supported yet: the type modifier (length, precision) of {what} in CREATE TABLE … AS"),
            span,
        )
        .with_help("cast the column to the type the table should have (`::varchar(200)`, `::numeric(10,2)`), or create the table with its columns written out and fill it with INSERT … SELECT")
    };
    let select = match (&query.with, query.body.as_ref()) {
        (None, SetExpr::Select(select)) => select,
        _ => {
            return Err(ask_for_cast(
                "a query with WITH or a set operation",
                query.span(),
            ))
        }
    };
    let tables = FromTables::of(cat, select);
    let mut at = 0;
    for item in &select.projection {
        match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                let Some(c) = columns.get_mut(at) else { break };
                at += 1;
                if takes_modifier(&c.ty) {
                    c.ty = expression_type(cx, cat, &tables, e, &c.ty)
                        .ok_or_else(|| ask_for_cast(&format!("column `{}`", c.name), e.span()))??;
                }
            }
            SelectItem::ExprWithAliases { expr, .. } => {
                return Err(ask_for_cast("this select item", expr.span()))
            }
            SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..) => {
                let qualifier = match item {
                    SelectItem::QualifiedWildcard(
                        sqlparser::ast::SelectItemQualifiedWildcardKind::ObjectName(n),
                        _,
                    ) => Some(crate::catalog::object_key(n)),
                    _ => None,
                };
                // Only a wildcard over tables joined without USING/NATURAL expands to their
                // columns in order; anything else needs the columns written out.
                let expanded = tables
                    .expand(qualifier.as_ref().map(|q| q.as_deref()))
                    .ok_or_else(|| ask_for_cast("a `*` over this FROM clause", item.span()))?;
                for source in expanded {
                    let Some(c) = columns.get_mut(at) else { break };
                    at += 1;
                    c.ty = source;
                }
            }
        }
    }
    Ok(())
}

/// The tables (and views whose column modifiers are known) of a SELECT's FROM clause, with
/// the names that reach them; `complete` is false when the clause holds anything else (a
/// subquery, a function, a USING join), so a name that matches none of them might be one
/// of those.
struct FromTables {
    /// (name that reaches it, catalog key, columns with their stored types)
    relations: Vec<(String, String, StoredColumns)>,
    complete: bool,
}

/// A relation's columns: name and type with its modifier.
type StoredColumns = Vec<(String, SqlType)>;

impl FromTables {
    fn of(cat: &Catalog, select: &Select) -> FromTables {
        let mut out = FromTables {
            relations: Vec::new(),
            complete: true,
        };
        for twj in &select.from {
            let joins = twj.joins.iter().map(|j| {
                use sqlparser::ast::{JoinConstraint as C, JoinOperator as O};
                let constraint = match &j.join_operator {
                    O::Join(c)
                    | O::Inner(c)
                    | O::Left(c)
                    | O::LeftOuter(c)
                    | O::Right(c)
                    | O::RightOuter(c)
                    | O::FullOuter(c) => Some(c),
                    O::CrossJoin(c) => Some(c),
                    _ => None,
                };
                let plain = matches!(constraint, Some(C::On(_) | C::None));
                (&j.relation, plain)
            });
            for (factor, plain) in std::iter::once((&twj.relation, true)).chain(joins) {
                out.complete &= plain;
                let TableFactor::Table {
                    name,
                    alias,
                    args: None,
                    ..
                } = factor
                else {
                    out.complete = false;
                    continue;
                };
                let Some(key) = crate::catalog::object_key(name) else {
                    out.complete = false;
                    continue;
                };
                let columns: Option<StoredColumns> = match cat.table(&key) {
                    Some(t) => Some(
                        t.columns
                            .iter()
                            .map(|c| (c.name.clone(), c.ty.clone()))
                            .collect(),
                    ),
                    None => cat.view(&key).and_then(|v| {
                        let names = v.columns.as_ref()?.iter().map(|c| c.name.clone());
                        Some(names.zip(v.stored_types.clone()?).collect())
                    }),
                };
                let Some(columns) = columns else {
                    out.complete = false;
                    continue;
                };
                let reached = match alias {
                    Some(a) => ident_name(&a.name),
                    None => crate::catalog::split_key(&key).1.to_string(),
                };
                out.complete &= alias.as_ref().is_none_or(|a| a.columns.is_empty());
                out.relations.push((reached, key, columns));
            }
        }
        out
    }

    /// The type of the column `parts` (`c`, `t.c`, `s.t.c`) names, when it surely names one.
    fn column(&self, parts: &[String]) -> Option<SqlType> {
        if !self.complete {
            return None;
        }
        let find = |cols: &StoredColumns, c: &str| {
            cols.iter().find(|(n, _)| n == c).map(|(_, t)| t.clone())
        };
        let (qualifier, column) = match parts {
            [c] => (None, c),
            [t, c] => (Some(t.as_str()), c),
            [s, t, c] => {
                let key = if s == "public" {
                    t.clone()
                } else {
                    format!("{s}.{t}")
                };
                let (_, _, cols) = self.relations.iter().find(|(_, k, _)| *k == key)?;
                return find(cols, c);
            }
            _ => return None,
        };
        let mut found = self
            .relations
            .iter()
            .filter(|(reached, _, _)| qualifier.is_none_or(|q| q == reached))
            .filter_map(|(_, _, cols)| find(cols, column));
        let first = found.next()?;
        // Another relation with the column makes it ambiguous, which the analysis has
        // already rejected.
        found.next().is_none().then_some(first)
    }

    /// The column types `*` (or `t.*`) expands to, in order.
    fn expand(&self, qualifier: Option<Option<&str>>) -> Option<Vec<SqlType>> {
        if !self.complete {
            return None;
        }
        let relations = self
            .relations
            .iter()
            .filter(|(reached, key, _)| match qualifier {
                None => true,
                Some(Some(q)) => q == reached || q == key,
                Some(None) => false,
            });
        Some(
            relations
                .flat_map(|(_, _, cols)| cols.iter().map(|(_, t)| t.clone()))
                .collect(),
        )
    }
}

/// The type with the modifier that `expr` carries, `None` when the checker cannot tell.
fn expression_type(
    cx: &Ctx,
    cat: &Catalog,
    tables: &FromTables,
    expr: &Expr,
    analysed: &SqlType,
) -> Option<Result<SqlType, Diagnostic>> {
    let without = || Some(Ok(analysed.clone()));
    match expr {
        Expr::Nested(inner) => expression_type(cx, cat, tables, inner, analysed),
        Expr::Identifier(i) => tables.column(&[ident_name(i)]).map(Ok),
        Expr::CompoundIdentifier(parts) => {
            let parts: Vec<String> = parts.iter().map(ident_name).collect();
            tables.column(&parts).map(Ok)
        }
        Expr::Cast { data_type, .. }
        | Expr::TypedString(sqlparser::ast::TypedString { data_type, .. }) => {
            Some(resolve_value_type(cx, cat, data_type, expr.span()))
        }
        // exprTypmod is -1 for function results (but for the ones that pass an argument's
        // through), operators and literals.
        Expr::Function(f) => {
            let name = f.name.to_string().to_lowercase();
            let passes_through = ["coalesce", "nullif", "greatest", "least"];
            (!passes_through.contains(&name.as_str())).then(|| Ok(analysed.clone()))
        }
        Expr::BinaryOp { .. }
        | Expr::UnaryOp { .. }
        | Expr::Value(_)
        | Expr::Extract { .. }
        | Expr::Ceil { .. }
        | Expr::Floor { .. }
        | Expr::Substring { .. }
        | Expr::Trim { .. }
        | Expr::Position { .. }
        | Expr::Overlay { .. } => without(),
        _ => None,
    }
}
