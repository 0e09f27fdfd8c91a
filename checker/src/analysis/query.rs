//! SELECT and everything a query is made of: FROM and joins, CTEs, subqueries, set
//! operations, VALUES, GROUP BY/HAVING, ORDER BY, LIMIT.

use crate::catalog::types::Builtin;
use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr, GroupByExpr, LimitClause, Query, SelectItem, SetExpr, SetOperator, Spanned, Value, Visit,
    Visitor,
};
use sqlparser::tokenizer::Span;

use super::expr::strip;
use super::ops::{plain, ty};
use super::scope::{Col, Scope};
use super::{Analyzer, ColumnId, Level, OutputColumn, Typed};
use crate::builtins::functions::is_aggregate_name;
use crate::catalog::ident_name;
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic};

/// A CTE visible to the query: its name and columns.
#[derive(Debug, Clone)]
pub(crate) struct Cte {
    pub name: String,
    pub columns: Vec<Col>,
    /// An INSERT/UPDATE/DELETE without RETURNING: it runs, but cannot be read.
    pub no_returning: bool,
}

/// A result column before untyped values are settled (a UNION may still type them).
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub name: String,
    pub value: Typed,
    pub span: Span,
}

/// Finds aggregate calls of this query level (not inside subqueries): PostgreSQL's and the
/// service's own (`CREATE AGGREGATE`).
pub(crate) struct AggregateFinder<'c> {
    catalog: &'c Catalog,
    depth: usize,
    found: bool,
}

impl Visitor for AggregateFinder<'_> {
    type Break = ();
    fn pre_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
        self.depth += 1;
        ControlFlow::Continue(())
    }
    fn post_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }
    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        if let Expr::Function(f) = e {
            if self.depth == 0 && f.over.is_none() && is_aggregate(self.catalog, &f.name) {
                self.found = true;
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    }
}

/// Whether a call of `name` is an aggregate call: a built-in aggregate, or one of the
/// service's aggregates under the name as [`super::function`] keys it.
pub(crate) fn is_aggregate(catalog: &Catalog, name: &sqlparser::ast::ObjectName) -> bool {
    let last = name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .map(ident_name)
        .unwrap_or_default();
    if name.0.len() == 1 && is_aggregate_name(&last) {
        return true;
    }
    super::function::call_key(name).is_some_and(|key| {
        is_aggregate_name(&key)
            || catalog
                .routines_named(&key)
                .any(|r| r.kind == crate::catalog::RoutineKind::Aggregate)
    })
}

/// What in a query body makes row locking impossible, as PostgreSQL names it.
pub(crate) fn lock_conflict(catalog: &Catalog, body: &SetExpr) -> Option<&'static str> {
    let SetExpr::Select(s) = body else {
        return Some("UNION/INTERSECT/EXCEPT");
    };
    let items: Vec<&Expr> = s
        .projection
        .iter()
        .filter_map(|p| match p {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => Some(e),
            _ => None,
        })
        .collect();
    if s.distinct.is_some() {
        Some("DISTINCT clause")
    } else if !matches!(&s.group_by, GroupByExpr::Expressions(e, _) if e.is_empty()) {
        Some("GROUP BY clause")
    } else if s.having.is_some() {
        Some("HAVING clause")
    } else if items.iter().any(|e| expr_has_aggregate(catalog, e)) {
        Some("aggregate functions")
    } else if items.iter().any(|e| has_window(*e)) {
        Some("window functions")
    } else {
        None
    }
}

pub(crate) fn has_window<V: Visit>(node: &V) -> bool {
    let mut found = false;
    let _ = sqlparser::ast::visit_expressions(node, |e| {
        if matches!(e, Expr::Function(f) if f.over.is_some()) {
            found = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
}

/// Whether an expression calls an aggregate of this query level. The common shapes are
/// walked here, iteratively and without entering subqueries, whose aggregates are their own
/// level's: sqlparser's visitor cannot skip a subtree, and asked at every level of a nesting
/// it walked every inner level again (quadratic: 2,400 nested subqueries over a
/// 100,000-item `IN` list took 10 s). Other shapes go to the visitor, which skips nothing
/// but counts only calls outside subqueries, so both give the same answer.
pub(crate) fn expr_has_aggregate(catalog: &Catalog, e: &Expr) -> bool {
    use sqlparser::ast::{FunctionArg, FunctionArgExpr, FunctionArguments};
    let mut todo = vec![e];
    while let Some(e) = todo.pop() {
        match e {
            Expr::Subquery(_) | Expr::Exists { .. } => {}
            Expr::Identifier(_) | Expr::CompoundIdentifier(_) | Expr::Value(_) => {}
            Expr::BinaryOp { left, right, .. } => todo.extend([&**left, &**right]),
            Expr::UnaryOp { expr, .. }
            | Expr::Nested(expr)
            | Expr::Cast { expr, .. }
            | Expr::IsNull(expr)
            | Expr::IsNotNull(expr)
            | Expr::IsTrue(expr)
            | Expr::IsNotTrue(expr)
            | Expr::IsFalse(expr)
            | Expr::IsNotFalse(expr) => todo.push(expr),
            Expr::In { expr, target, .. } => {
                todo.push(expr);
                match target {
                    sqlparser::ast::InTarget::List(list) => todo.extend(list),
                    sqlparser::ast::InTarget::Subquery(_) => {}
                    other => {
                        if has_aggregate(catalog, other) {
                            return true;
                        }
                    }
                }
            }
            Expr::Between {
                expr, low, high, ..
            } => todo.extend([&**expr, &**low, &**high]),
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                todo.extend(operand.as_deref());
                todo.extend(conditions.iter().flat_map(|w| [&w.condition, &w.result]));
                todo.extend(else_result.as_deref());
            }
            Expr::Function(f) => {
                if f.over.is_none() && is_aggregate(catalog, &f.name) {
                    return true;
                }
                let plain_args = match &f.args {
                    FunctionArguments::None => Some(Vec::new()),
                    FunctionArguments::List(l) if l.clauses.is_empty() => (l.args.iter())
                        .map(|a| match a {
                            FunctionArg::Unnamed(FunctionArgExpr::Expr(e))
                            | FunctionArg::Named {
                                arg: FunctionArgExpr::Expr(e),
                                ..
                            }
                            | FunctionArg::ExprNamed {
                                arg: FunctionArgExpr::Expr(e),
                                ..
                            } => Some(e),
                            FunctionArg::Unnamed(_)
                            | FunctionArg::Named { .. }
                            | FunctionArg::ExprNamed { .. } => None,
                        })
                        .collect(),
                    _ => None,
                };
                match plain_args {
                    Some(args) if f.over.is_none() && f.within_group.is_empty() => {
                        todo.extend(args);
                        todo.extend(f.filter.as_deref());
                    }
                    _ if has_aggregate(catalog, e) => return true,
                    _ => {}
                }
            }
            other if has_aggregate(catalog, other) => return true,
            _ => {}
        }
    }
    false
}

pub(crate) fn has_aggregate<V: Visit>(catalog: &Catalog, node: &V) -> bool {
    let mut f = AggregateFinder {
        catalog,
        depth: 0,
        found: false,
    };
    let _ = node.visit(&mut f);
    f.found
}

impl Analyzer<'_> {
    pub fn top_query(&mut self, q: &Query) -> Result<Vec<OutputColumn>, Diagnostic> {
        // `WITH … INSERT/UPDATE/DELETE`: the CTEs, then the statement.
        if let SetExpr::Insert(stmt) | SetExpr::Update(stmt) | SetExpr::Delete(stmt) =
            q.body.as_ref()
        {
            if q.order_by.is_some() || q.limit_clause.is_some() || !q.locks.is_empty() {
                return Err(self.unsupported(
                    "ORDER BY/LIMIT/FOR UPDATE around a data-modifying statement",
                    q.span(),
                ));
            }
            let mark = self.ctes.len();
            let result = (|| {
                if let Some(with) = &q.with {
                    for cte in &with.cte_tables {
                        self.cte(cte, with.recursive, None)?;
                    }
                }
                match stmt {
                    sqlparser::ast::Statement::Insert(i) => self.insert(i),
                    sqlparser::ast::Statement::Update(u) => self.update(u),
                    sqlparser::ast::Statement::Delete(d) => self.delete(d),
                    other => Err(self.unsupported("this statement", other.span())),
                }
            })();
            self.ctes.truncate(mark);
            return result;
        }
        let cols = self.query(q, None)?;
        Ok(self.settle_columns(cols))
    }

    pub fn settle_columns(&mut self, cols: Vec<Column>) -> Vec<OutputColumn> {
        cols.into_iter()
            .map(|c| {
                let v = self.settle(c.value);
                OutputColumn {
                    name: c.name,
                    ty: v.ty.map(|t| plain(&t)).unwrap_or_else(|| ty(Builtin::Text)),
                    nullable: v.nullable,
                }
            })
            .collect()
    }

    /// A subquery in an expression: its own query level, seeing `scope` as outer.
    pub fn subquery(&mut self, q: &Query, scope: &Scope) -> Result<Vec<OutputColumn>, Diagnostic> {
        self.levels.push(Level::default());
        let r = self.query(q, Some(scope));
        self.levels.pop();
        let cols = r?;
        Ok(cols
            .into_iter()
            .map(|c| {
                let v = self.settle(c.value);
                OutputColumn {
                    name: c.name,
                    ty: v.ty.map(|t| plain(&t)).unwrap_or_else(|| ty(Builtin::Text)),
                    nullable: v.nullable,
                }
            })
            .collect())
    }

    pub fn query(&mut self, q: &Query, parent: Option<&Scope>) -> Result<Vec<Column>, Diagnostic> {
        // Computed on error only: a span walks the whole tree (quadratic over nested queries).
        let span = || q.span();
        if q.for_clause.is_some()
            || q.settings.is_some()
            || q.format_clause.is_some()
            || !q.pipe_operators.is_empty()
        {
            return Err(self.unsupported("this query clause", span()));
        }
        let cte_mark = self.ctes.len();
        self.query_depth += 1;
        let result = (|| {
            if let Some(with) = &q.with {
                for cte in &with.cte_tables {
                    self.cte(cte, with.recursive, parent)?;
                }
            }
            let cols = match q.body.as_ref() {
                SetExpr::Select(s) => self.select(s, parent, q.order_by.as_ref())?,
                other => {
                    let cols = self.set_expr(other, parent)?;
                    if let Some(ob) = &q.order_by {
                        self.order_by_outputs(ob, &cols)?;
                    }
                    cols
                }
            };
            if !q.locks.is_empty() {
                if let Some(clause) = lock_conflict(self.catalog, q.body.as_ref()) {
                    return Err(self
                        .error(
                            Code::InvalidQuery,
                            format!("FOR UPDATE is not allowed with {clause}"),
                            span(),
                        )
                        .with_help(
                            "lock the rows in a subquery, then aggregate or deduplicate outside it",
                        ));
                }
            }
            if let Some(fetch) = &q.fetch {
                // FETCH FIRST n ROWS ONLY is the standard spelling of LIMIT. WITH TIES is
                // PostgreSQL 13+ and not in CockroachDB; PERCENT is not PostgreSQL.
                if fetch.percent || fetch.with_ties {
                    return Err(self.unsupported(
                        if fetch.percent {
                            "FETCH … PERCENT"
                        } else {
                            "FETCH … WITH TIES"
                        },
                        span(),
                    ));
                }
                if q.limit_clause
                    .as_ref()
                    .is_some_and(|l| matches!(l, LimitClause::LimitOffset { limit: Some(_), .. }))
                {
                    return Err(self
                        .error(
                            Code::InvalidQuery,
                            "multiple LIMIT clauses not allowed",
                            span(),
                        )
                        .with_help("use either LIMIT or FETCH FIRST"));
                }
                if let Some(n) = &fetch.quantity {
                    self.limit_value(n, "FETCH FIRST")?;
                }
            }
            if let Some(limit) = &q.limit_clause {
                match limit {
                    LimitClause::LimitOffset {
                        limit,
                        offset,
                        limit_by,
                    } => {
                        if !limit_by.is_empty() {
                            return Err(self.unsupported("LIMIT BY", span()));
                        }
                        if let Some(l) = limit {
                            self.limit_value(l, "LIMIT")?;
                        }
                        if let Some(o) = offset {
                            self.limit_value(&o.value, "OFFSET")?;
                        }
                    }
                    LimitClause::OffsetCommaLimit { .. } => {
                        return Err(self.unsupported("LIMIT offset, count", span()))
                    }
                }
            }
            Ok(cols)
        })();
        self.query_depth -= 1;
        self.ctes.truncate(cte_mark);
        result
    }

    pub(crate) fn limit_value(&mut self, e: &Expr, what: &str) -> Result<(), Diagnostic> {
        if let Expr::Value(v) = strip(e) {
            if matches!(v.value, Value::Null) {
                return Ok(());
            }
        }
        let empty = Scope::new(self.new_scope_id(), None);
        let t = self.expr(e, &empty).map_err(|d| {
            if d.code == Code::UnknownColumn || d.code == Code::UnknownTable {
                self.error(
                    Code::InvalidQuery,
                    format!("argument of {what} must not contain variables"),
                    e.span(),
                )
                .with_help("use a number or a parameter")
            } else {
                d
            }
        })?;
        match &t.ty {
            Some(x)
                if crate::catalog::types::assignment_castable(x, &ty(Builtin::BigInt))
                    && x.category() == crate::catalog::types::Category::Numeric =>
            {
                Ok(())
            }
            Some(x) => Err(self
                .error(
                    Code::TypeMismatch,
                    format!("argument of {what} must be type bigint, not type {x}"),
                    e.span(),
                )
                .with_help("use an integer")),
            None => self.coerce(&t, &ty(Builtin::BigInt), e.span()),
        }
    }

    pub(crate) fn cte(
        &mut self,
        cte: &sqlparser::ast::Cte,
        recursive: bool,
        parent: Option<&Scope>,
    ) -> Result<(), Diagnostic> {
        let name = ident_name(&cte.alias.name);
        let names: Vec<String> = cte
            .alias
            .columns
            .iter()
            .map(|c| ident_name(&c.name))
            .collect();
        let cols = match (recursive, cte.query.body.as_ref()) {
            (
                true,
                SetExpr::SetOperation {
                    op: SetOperator::Union,
                    left,
                    right,
                    ..
                },
            ) if references(&cte.query, &name) => {
                let base = self.set_expr(left, parent)?;
                let base_cols = self.rename(base, &names, cte.alias.name.span)?;
                let columns = to_cols(self, &base_cols);
                self.ctes.push(Cte {
                    name: name.clone(),
                    columns,
                    no_returning: false,
                });
                let rec = self.set_expr(right, parent);
                self.ctes.pop();
                let rec = rec?;
                let merged =
                    self.merge_set_columns(base_cols, rec, "UNION", &|| cte.query.span())?;
                self.rename(merged, &names, cte.alias.name.span)?
            }
            (_, SetExpr::Insert(stmt) | SetExpr::Update(stmt) | SetExpr::Delete(stmt)) => {
                // `WITH moved AS (DELETE … RETURNING …) INSERT …`: allowed only in the
                // outermost statement, and read through its RETURNING list.
                if self.query_depth > 1 || parent.is_some() {
                    return Err(self
                        .error(
                            Code::InvalidQuery,
                            "WITH clause containing a data-modifying statement must be at the top level",
                            cte.query.span(),
                        )
                        .with_help("move the WITH … INSERT/UPDATE/DELETE to the outermost query"));
                }
                if cte.query.with.is_some()
                    || cte.query.order_by.is_some()
                    || cte.query.limit_clause.is_some()
                {
                    return Err(self.unsupported(
                        "WITH, ORDER BY or LIMIT around a data-modifying WITH query",
                        cte.query.span(),
                    ));
                }
                let out = match stmt {
                    sqlparser::ast::Statement::Insert(i) => self.insert(i)?,
                    sqlparser::ast::Statement::Update(u) => self.update(u)?,
                    sqlparser::ast::Statement::Delete(d) => self.delete(d)?,
                    other => return Err(self.unsupported("this statement", other.span())),
                };
                let no_returning = out.is_empty();
                let cols: Vec<Column> = out
                    .into_iter()
                    .map(|c| Column {
                        name: c.name,
                        value: Typed::known(c.ty, c.nullable),
                        span: cte.query.span(),
                    })
                    .collect();
                let cols = self.rename(cols, &names, cte.alias.name.span)?;
                let columns = to_cols(self, &cols);
                self.ctes.push(Cte {
                    name,
                    columns,
                    no_returning,
                });
                return Ok(());
            }
            _ => {
                let cols = self.query(&cte.query, parent)?;
                self.rename(cols, &names, cte.alias.name.span)?
            }
        };
        let columns = to_cols(self, &cols);
        self.ctes.push(Cte {
            name,
            columns,
            no_returning: false,
        });
        Ok(())
    }

    pub(crate) fn rename(
        &self,
        mut cols: Vec<Column>,
        names: &[String],
        span: Span,
    ) -> Result<Vec<Column>, Diagnostic> {
        if names.len() > cols.len() {
            return Err(self
                .error(
                    Code::ColumnCount,
                    format!(
                        "the alias lists {} columns but the query has {}",
                        names.len(),
                        cols.len()
                    ),
                    span,
                )
                .with_help("name at most as many columns as the query returns"));
        }
        for (c, n) in cols.iter_mut().zip(names) {
            c.name = n.clone();
        }
        Ok(cols)
    }

    // ---- FROM -------------------------------------------------------------------------

    // ---- SELECT -----------------------------------------------------------------------
}

pub(crate) fn to_cols(a: &mut Analyzer, cols: &[Column]) -> Vec<Col> {
    cols.iter()
        .map(|c| {
            let v = a.settle(c.value.clone());
            Col {
                name: c.name.clone(),
                ty: v.ty.map(|t| plain(&t)).unwrap_or_else(|| ty(Builtin::Text)),
                nullable: v.nullable,
            }
        })
        .collect()
}

/// Whether a query mentions a relation named `name` (a recursive CTE's self-reference).
pub(crate) fn references(q: &Query, name: &str) -> bool {
    let refs = crate::catalog::references_of(q);
    refs.iter().any(|n| n == name)
}

/// The column an expression is, if it is one, in this scope only.
pub(crate) fn column_id(scope: &Scope, e: &Expr) -> Option<ColumnId> {
    let (rel, col) = match strip(e) {
        Expr::Identifier(i) => (None, ident_name(i)),
        Expr::CompoundIdentifier(p) if p.len() == 2 => (Some(ident_name(&p[0])), ident_name(&p[1])),
        _ => return None,
    };
    if rel.is_none() {
        if let Some(m) = scope.merged.iter().find(|m| m.name == col) {
            return m.same_as.map(|(r, c)| scope.column_id(r, c));
        }
    }
    let mut hit = None;
    for (ri, r) in scope.rels.iter().enumerate() {
        if rel.as_ref().is_some_and(|n| *n != r.name) {
            continue;
        }
        if let Some(ci) = r.columns.iter().position(|c| c.name == col) {
            if hit.is_some() {
                return None;
            }
            hit = Some(scope.column_id(ri, ci));
        }
    }
    hit
}

/// Columns a WHERE clause proves non-null: each AND-ed `col IS NOT NULL`, and each column
/// compared with `=`, `<`, `LIKE`, `IN`, `BETWEEN` (a NULL there filters the row out).
pub(crate) fn narrow(e: &Expr, scope: &mut Scope) {
    use sqlparser::ast::BinaryOperator as B;
    match strip(e) {
        Expr::BinaryOp {
            left,
            op: B::And,
            right,
        } => {
            narrow(left, scope);
            narrow(right, scope);
        }
        Expr::IsNotNull(x) => add(scope, x),
        Expr::BinaryOp {
            left,
            op: B::Eq | B::NotEq | B::Lt | B::Gt | B::LtEq | B::GtEq,
            right,
        } => {
            add(scope, left);
            add(scope, right);
        }
        Expr::Like {
            expr,
            negated: false,
            ..
        }
        | Expr::ILike {
            expr,
            negated: false,
            ..
        } => add(scope, expr),
        Expr::In {
            expr,
            negated: false,
            ..
        }
        | Expr::Between {
            expr,
            negated: false,
            ..
        } => add(scope, expr),
        Expr::AnyOp { left, .. } => add(scope, left),
        _ => {}
    }
    fn add(scope: &mut Scope, e: &Expr) {
        if let Some(id) = column_id(scope, e) {
            scope.narrowed.push(id);
        }
    }
}
