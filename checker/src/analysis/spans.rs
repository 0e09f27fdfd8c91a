//! Spans of the nodes the analysis asks about again and again, remembered per statement.
//!
//! sqlparser's `Spanned` computes a node's span by walking its whole subtree. The analysis
//! asks at every level of a nesting: each operand of a 40,000-term `a || b || …`, each of
//! 5,000 casts `x::text::text…`, each of 2,000 nested `(SELECT (SELECT …))` and each select
//! item holding one. Asked of sqlparser each time, that is quadratic in the statement. Here
//! the nodes that nest — operators, parentheses, casts, subqueries, queries, selects — take
//! their span from their parts' remembered spans, giving exactly what sqlparser gives; every
//! other node is asked of sqlparser once.

use std::cell::RefCell;
use std::collections::HashMap;

use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, InTarget, OrderBy,
    OrderByKind, Query, Select, SelectItem, SetExpr, Spanned, TableFactor, TableWithJoins,
};
use sqlparser::tokenizer::Span;

/// A remembered node: its kind, its address and its parts' addresses. The kind tells apart
/// nodes that share an address (an expression and its first operand); the parts' addresses
/// keep a temporary node, built and dropped during the analysis, from passing for another
/// one later at the same address.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Node {
    /// An expression, with its operands' (or their list's) addresses.
    Expr(usize, usize, usize),
    /// The query and its body's address.
    Query(usize, usize),
    /// The select and its list's address.
    Select(usize, usize),
    /// The FROM item and its subquery's address.
    TableFactor(usize, usize),
}

thread_local! {
    /// Spans of the nodes of the statement being analysed; emptied when an analysis starts
    /// (see [`forget_spans`]), so no address outlives its statement.
    static SPANS: RefCell<HashMap<Node, Span>> = Default::default();
}

/// Empties the memo: called as each analysis starts.
pub(crate) fn forget_spans() {
    SPANS.with(|c| c.borrow_mut().clear());
}

fn addr<T>(x: &T) -> usize {
    x as *const T as usize
}

fn remembered(node: Node, compute: impl FnOnce() -> Span) -> Span {
    if let Some(s) = SPANS.with(|c| c.borrow().get(&node).copied()) {
        return s;
    }
    let s = compute();
    SPANS.with(|c| c.borrow_mut().insert(node, s));
    s
}

/// An expression's span, as sqlparser's `Spanned` gives it.
pub(crate) fn span_of(e: &Expr) -> Span {
    let (first, second): (&Expr, Option<&Expr>) = match e {
        Expr::BinaryOp { left, right, .. }
        | Expr::IsDistinctFrom(left, right)
        | Expr::IsNotDistinctFrom(left, right)
        | Expr::AnyOp { left, right, .. }
        | Expr::AllOp { left, right, .. } => (left, Some(right)),
        Expr::Nested(x)
        | Expr::UnaryOp { expr: x, .. }
        | Expr::Cast { expr: x, .. }
        | Expr::IsNull(x)
        | Expr::IsNotNull(x)
        | Expr::IsTrue(x)
        | Expr::IsNotTrue(x)
        | Expr::IsFalse(x)
        | Expr::IsNotFalse(x)
        | Expr::IsUnknown(x)
        | Expr::IsNotUnknown(x) => (x, None),
        Expr::AtTimeZone {
            timestamp: left,
            time_zone: right,
        } => (left, Some(right)),
        Expr::Collate { expr, collation } => {
            let key = Node::Expr(addr(e), addr(&**expr), collation.0.as_ptr() as usize);
            return remembered(key, || {
                span_of(expr).union(&Span::union_iter(collation.0.iter().map(|i| i.span())))
            });
        }
        Expr::Subquery(q) | Expr::Exists { subquery: q, .. } => return query_span(q),
        Expr::In {
            expr,
            target: InTarget::Subquery(q),
            ..
        } => {
            let key = Node::Expr(addr(e), addr(&**expr), addr(&**q));
            return remembered(key, || span_of(expr).union(&query_span(q)));
        }
        Expr::Function(f) => {
            let key = Node::Expr(addr(e), f.name.0.as_ptr() as usize, args_addr(&f.args));
            return remembered(key, || function_span(f));
        }
        Expr::Case {
            case_token,
            end_token,
            operand,
            conditions,
            else_result,
        } => {
            let key = Node::Expr(
                addr(e),
                conditions.as_ptr() as usize,
                operand.as_deref().map_or(0, addr),
            );
            return remembered(key, || {
                Span::union_iter(
                    std::iter::once(case_token.0.span)
                        .chain(operand.as_deref().map(span_of))
                        .chain(
                            conditions
                                .iter()
                                .flat_map(|w| [span_of(&w.condition), span_of(&w.result)]),
                        )
                        .chain(else_result.as_deref().map(span_of))
                        .chain(std::iter::once(end_token.0.span)),
                )
            });
        }
        _ => return e.span(),
    };
    let key = Node::Expr(addr(e), addr(first), second.map_or(0, addr));
    remembered(key, || match second {
        Some(r) => span_of(first).union(&span_of(r)),
        None => span_of(first),
    })
}

/// A query's span, as sqlparser gives it.
pub(crate) fn query_span(q: &Query) -> Span {
    remembered(Node::Query(addr(q), addr(&*q.body)), || {
        Span::union_iter(
            (q.with.iter().map(|w| w.span()))
                .chain(std::iter::once(set_expr_span(&q.body)))
                .chain(q.order_by.as_ref().map(order_by_span))
                .chain(q.limit_clause.as_ref().map(|l| l.span()))
                .chain(q.fetch.as_ref().map(|f| f.span())),
        )
    })
}

fn set_expr_span(body: &SetExpr) -> Span {
    match body {
        SetExpr::Select(s) => select_span(s),
        SetExpr::Query(q) => query_span(q),
        SetExpr::SetOperation { left, right, .. } => {
            set_expr_span(left).union(&set_expr_span(right))
        }
        other => other.span(),
    }
}

/// A select's span, as sqlparser gives it: the same parts, its items' through [`span_of`].
pub(crate) fn select_span(s: &Select) -> Span {
    remembered(
        Node::Select(addr(s), s.projection.as_ptr() as usize),
        || {
            Span::union_iter(
                std::iter::once(s.select_token.0.span)
                    .chain(s.projection.iter().map(item_span))
                    .chain(s.into.iter().map(|i| i.span()))
                    .chain(s.from.iter().map(from_span))
                    .chain(s.lateral_views.iter().map(|i| i.span()))
                    .chain(s.prewhere.iter().map(span_of))
                    .chain(s.selection.iter().map(span_of))
                    .chain(s.connect_by.iter().map(|i| i.span()))
                    .chain(std::iter::once(s.group_by.span()))
                    .chain(s.cluster_by.iter().map(|i| i.span()))
                    .chain(s.distribute_by.iter().map(|i| i.span()))
                    .chain(s.sort_by.iter().map(|i| i.span()))
                    .chain(s.having.iter().map(span_of))
                    .chain(s.named_window.iter().map(|i| i.span()))
                    .chain(s.qualify.iter().map(span_of)),
            )
        },
    )
}

fn args_addr(args: &FunctionArguments) -> usize {
    match args {
        FunctionArguments::None => 0,
        FunctionArguments::Subquery(q) => addr(&**q),
        FunctionArguments::List(l) => l.args.as_ptr() as usize,
    }
}

/// A call's span, as sqlparser gives it (which leaves out its OVER clause).
fn function_span(f: &Function) -> Span {
    let arg = |a: &FunctionArgExpr| match a {
        FunctionArgExpr::Expr(e) => span_of(e),
        other => other.span(),
    };
    let args = match &f.args {
        FunctionArguments::None => Span::empty(),
        FunctionArguments::Subquery(q) => query_span(q),
        FunctionArguments::List(l) => Span::union_iter(
            (l.args.iter())
                .map(|a| match a {
                    FunctionArg::Named { name, arg: a, .. } => name.span.union(&arg(a)),
                    FunctionArg::Unnamed(a) => arg(a),
                    FunctionArg::ExprNamed { name, arg: a, .. } => name.span().union(&arg(a)),
                })
                .chain(l.clauses.iter().map(|c| c.span())),
        ),
    };
    Span::union_iter(
        (f.name.0.iter().map(|i| i.span()))
            .chain(std::iter::once(args))
            .chain(std::iter::once(f.parameters.span()))
            .chain(f.filter.as_deref().map(span_of))
            .chain(f.within_group.iter().map(|i| i.span())),
    )
}

fn order_by_span(o: &OrderBy) -> Span {
    match &o.kind {
        OrderByKind::All(_) => Span::empty(),
        OrderByKind::Expressions(exprs) => Span::union_iter(
            (exprs.iter())
                .map(|i| span_of(&i.expr).union_opt(&i.with_fill.as_ref().map(|f| f.span())))
                .chain(o.interpolate.iter().map(|i| i.span())),
        ),
    }
}

fn from_span(t: &TableWithJoins) -> Span {
    Span::union_iter(
        std::iter::once(table_factor_span(&t.relation)).chain(t.joins.iter().map(|j| j.span())),
    )
}

/// A FROM item's span, as sqlparser gives it.
pub(crate) fn table_factor_span(tf: &TableFactor) -> Span {
    match tf {
        TableFactor::Derived {
            subquery, alias, ..
        } => remembered(Node::TableFactor(addr(tf), addr(&**subquery)), || {
            query_span(subquery).union_opt(&alias.as_ref().map(|a| a.span()))
        }),
        other => other.span(),
    }
}

fn item_span(item: &SelectItem) -> Span {
    match item {
        SelectItem::UnnamedExpr(e) => span_of(e),
        SelectItem::ExprWithAlias { expr, alias } => span_of(expr).union(&alias.span),
        other => other.span(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    /// Every query, select and expression of these statements gets sqlparser's own span.
    #[test]
    fn spans_are_sqlparsers() {
        let sql = [
            "SELECT (SELECT (SELECT a + 1 FROM t WHERE b > (SELECT 2)) AS x), 3::int",
            "SELECT EXISTS (SELECT 1 FROM t GROUP BY a HAVING count(*) > 1 ORDER BY a LIMIT 2)",
            "WITH w AS (SELECT 1) SELECT a FROM w UNION ALL (SELECT b FROM v WHERE NOT (c OR d))",
            "SELECT *, t.* FROM t, LATERAL (SELECT 1) s WHERE (a || 'x') IS NULL",
            "SELECT 1 FROM (SELECT a FROM (SELECT 1 AS a) x (a)) y JOIN z ON true ORDER BY (SELECT 1)",
            "SELECT 1 WHERE a IN (SELECT b FROM t ORDER BY (SELECT c) DESC) AND d IN (1, 2)",
            "SELECT coalesce((SELECT 1), f(x => 2, ARRAY[3]), count(*) FILTER (WHERE b)), s.f(1)",
            "SELECT CASE a WHEN 1 THEN (SELECT 2) ELSE 3 END, CASE WHEN b THEN c END, string_agg(x, ',' ORDER BY y)",
            "SELECT a IS NULL IS NOT TRUE, b IS DISTINCT FROM c, d = ANY(e), f <> ALL(g), h IS UNKNOWN",
            "SELECT a COLLATE \"C\" COLLATE public.x, now() AT TIME ZONE 'UTC' AT TIME ZONE b",
        ];
        for text in sql {
            forget_spans();
            let statements = Parser::parse_sql(&PostgreSqlDialect {}, text).unwrap();
            let sqlparser::ast::Statement::Query(q) = &statements[0] else {
                panic!()
            };
            assert_eq!(query_span(q), q.span(), "{text}");
            let _ = sqlparser::ast::visit_expressions(q, |e: &Expr| {
                assert_eq!(span_of(e), e.span(), "{e} in {text}");
                std::ops::ControlFlow::<()>::Continue(())
            });
            if let SetExpr::Select(s) = &*q.body {
                assert_eq!(select_span(s), s.span(), "{text}");
                for t in &s.from {
                    assert_eq!(from_span(t), t.span(), "{text}");
                }
            }
        }
    }
}
