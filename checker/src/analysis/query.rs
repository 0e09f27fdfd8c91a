//! SELECT and everything a query is made of: FROM and joins, CTEs, subqueries, set
//! operations, VALUES, GROUP BY/HAVING, ORDER BY, LIMIT.

use crate::catalog::types::Builtin;
use crate::policies::cockroach::CrdbRule;
use std::ops::ControlFlow;

use sqlparser::ast::{
    Distinct, Expr, GroupByExpr, Join, JoinConstraint, JoinOperator, LimitClause, OrderBy,
    OrderByKind, Query, Select, SelectItem, SelectItemQualifiedWildcardKind, SetExpr, SetOperator,
    Spanned, TableAlias, TableFactor, TableWithJoins, Value, Visit, Visitor,
};
use sqlparser::tokenizer::Span;

use super::colname::column_name;
use super::expr::strip;
use super::ops::{common_type, element_of, plain, ty};
use super::scope::{Col, Merged, Rel, Scope};
use super::{Analyzer, ColumnId, Grouping, Level, OutputColumn, Typed};
use crate::builtins::functions::is_aggregate_name;
use crate::catalog::{ident_name, RelationKind};
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

/// Finds aggregate calls of this query level (not inside subqueries).
struct AggregateFinder {
    depth: usize,
    found: bool,
}

impl Visitor for AggregateFinder {
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
            let name = f
                .name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .map(ident_name)
                .unwrap_or_default();
            if self.depth == 0 && f.over.is_none() && is_aggregate_name(&name) {
                self.found = true;
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    }
}

/// What in a query body makes row locking impossible, as PostgreSQL names it.
fn lock_conflict(body: &SetExpr) -> Option<&'static str> {
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
    } else if items.iter().any(|e| has_aggregate(*e)) {
        Some("aggregate functions")
    } else if items.iter().any(|e| has_window(*e)) {
        Some("window functions")
    } else {
        None
    }
}

fn has_window<V: Visit>(node: &V) -> bool {
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

fn has_aggregate<V: Visit>(node: &V) -> bool {
    let mut f = AggregateFinder {
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
        let span = q.span();
        if q.for_clause.is_some()
            || q.settings.is_some()
            || q.format_clause.is_some()
            || !q.pipe_operators.is_empty()
        {
            return Err(self.unsupported("this query clause", span));
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
                if let Some(clause) = lock_conflict(q.body.as_ref()) {
                    return Err(self
                        .error(
                            Code::InvalidQuery,
                            format!("FOR UPDATE is not allowed with {clause}"),
                            span,
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
                        span,
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
                            span,
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
                            return Err(self.unsupported("LIMIT BY", span));
                        }
                        if let Some(l) = limit {
                            self.limit_value(l, "LIMIT")?;
                        }
                        if let Some(o) = offset {
                            self.limit_value(&o.value, "OFFSET")?;
                        }
                    }
                    LimitClause::OffsetCommaLimit { .. } => {
                        return Err(self.unsupported("LIMIT offset, count", span))
                    }
                }
            }
            Ok(cols)
        })();
        self.query_depth -= 1;
        self.ctes.truncate(cte_mark);
        result
    }

    fn limit_value(&mut self, e: &Expr, what: &str) -> Result<(), Diagnostic> {
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

    fn cte(
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
                let merged = self.merge_set_columns(base_cols, rec, "UNION", cte.query.span())?;
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

    fn rename(
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

    fn set_expr(
        &mut self,
        body: &SetExpr,
        parent: Option<&Scope>,
    ) -> Result<Vec<Column>, Diagnostic> {
        match body {
            SetExpr::Select(s) => self.select(s, parent, None),
            SetExpr::Query(q) => self.query(q, parent),
            SetExpr::SetOperation {
                op,
                left,
                right,
                set_quantifier,
            } => {
                let l = self.set_expr(left, parent)?;
                let r = self.set_expr(right, parent)?;
                let distinct = !matches!(set_quantifier, sqlparser::ast::SetQuantifier::All);
                let what = match op {
                    SetOperator::Union => "UNION",
                    SetOperator::Intersect => "INTERSECT",
                    SetOperator::Except => "EXCEPT",
                    _ => return Err(self.unsupported(format!("`{op}`"), body.span())),
                };
                let cols = self.merge_set_columns(l, r, what, body.span())?;
                if distinct {
                    self.require_equality(&cols)?;
                }
                Ok(cols)
            }
            SetExpr::Values(values) => self.values(values, parent),
            other => Err(self.unsupported(
                "this query form (data-modifying statements in WITH, TABLE …)",
                other.span(),
            )),
        }
    }

    /// The columns of `a UNION b`: same arity, each pair resolved to a common type.
    fn merge_set_columns(
        &mut self,
        l: Vec<Column>,
        r: Vec<Column>,
        what: &str,
        span: Span,
    ) -> Result<Vec<Column>, Diagnostic> {
        if l.len() != r.len() {
            return Err(self
                .error(
                    Code::ColumnCount,
                    format!("each {what} query must have the same number of columns"),
                    span,
                )
                .with_help(format!(
                    "the left side has {} columns, the right side {}",
                    l.len(),
                    r.len()
                )));
        }
        let mut out = Vec::new();
        for (a, b) in l.into_iter().zip(r) {
            let (t, _) =
                self.common_of_typed(&[a.value.clone(), b.value.clone()], &[a.span, b.span], what)?;
            let nullable = a.value.nullable || b.value.nullable;
            let value = match t {
                Some(t) => Typed::known(t, nullable),
                None => Typed {
                    ty: None,
                    nullable,
                    origin: a.value.origin.clone(),
                },
            };
            out.push(Column {
                name: a.name,
                value,
                span: a.span,
            });
        }
        Ok(out)
    }

    fn values(
        &mut self,
        values: &sqlparser::ast::Values,
        parent: Option<&Scope>,
    ) -> Result<Vec<Column>, Diagnostic> {
        let scope = Scope::new(self.new_scope_id(), parent);
        let width = values.rows.first().map_or(0, |r| r.content.len());
        let mut per_column: Vec<(Vec<Typed>, Vec<Span>)> = vec![(Vec::new(), Vec::new()); width];
        for row in &values.rows {
            let row = &row.content;
            if row.len() != width {
                return Err(self
                    .error(
                        Code::ColumnCount,
                        "VALUES lists must all be the same length",
                        values.span(),
                    )
                    .with_help("give every row the same number of values"));
            }
            for (i, e) in row.iter().enumerate() {
                let t = self.expr(e, &scope)?;
                per_column[i].0.push(t);
                per_column[i].1.push(e.span());
            }
        }
        let mut out = Vec::new();
        for (i, (typed, spans)) in per_column.into_iter().enumerate() {
            let (t, nullable) = self.common_of_typed(&typed, &spans, "VALUES")?;
            let value = match t {
                Some(t) => Typed::known(t, nullable),
                None => typed[0].clone(),
            };
            out.push(Column {
                name: format!("column{}", i + 1),
                value,
                span: spans[0],
            });
        }
        Ok(out)
    }

    // ---- FROM -------------------------------------------------------------------------

    fn relation_columns(
        &mut self,
        name: &sqlparser::ast::ObjectName,
        span: Span,
    ) -> Result<(String, Option<String>, Vec<Col>), Diagnostic> {
        let Some(n) = crate::catalog::unqualified_name(name) else {
            return Err(self.unsupported(format!("the relation `{name}`"), span));
        };
        if name.0.len() == 1 {
            if let Some(cte) = self.ctes.iter().rev().find(|c| c.name == n) {
                if cte.no_returning {
                    return Err(self
                        .error(
                            Code::InvalidQuery,
                            format!("WITH query `{n}` does not have a RETURNING clause"),
                            span,
                        )
                        .with_help("add `RETURNING …` to the statement in the WITH query"));
                }
                return Ok((n.clone(), None, cte.columns.clone()));
            }
        }
        match self.catalog.relation_kind(&n) {
            Some(RelationKind::Table) => {
                let t = self.catalog.table(&n).unwrap();
                let cols = t
                    .columns
                    .iter()
                    .map(|c| Col {
                        name: c.name.clone(),
                        ty: plain(&c.ty),
                        nullable: !c.not_null,
                    })
                    .collect();
                Ok((n.clone(), Some(n), cols))
            }
            Some(RelationKind::View) => {
                let v = self.catalog.view(&n).unwrap();
                match &v.columns {
                    Some(cols) => Ok((
                        n.clone(),
                        None,
                        cols.iter()
                            .map(|c| Col {
                                name: c.name.clone(),
                                ty: c.ty.clone(),
                                nullable: c.nullable,
                            })
                            .collect(),
                    )),
                    None => Err(self.unsupported(
                        format!("view `{n}`: its query could not be analysed when it was created"),
                        span,
                    )),
                }
            }
            Some(other) => Err(self
                .error(
                    Code::UnknownTable,
                    format!("`{n}` is a {}, not a table", other.noun()),
                    span,
                )
                .with_help("select from a table or a view")),
            None if self.env.foreign.contains_key(&n) => {
                Err(self.foreign("table", &n, span).unwrap())
            }
            None => {
                let mut candidates: Vec<String> =
                    self.catalog.relation_names().map(String::from).collect();
                candidates.extend(self.ctes.iter().map(|c| c.name.clone()));
                Err(self
                    .error(Code::UnknownTable, format!("unknown table `{n}`"), span)
                    .with_help(crate::suggest::did_you_mean(
                        &n,
                        candidates.iter().map(String::as_str),
                        || {
                            "no table, view or CTE of that name exists in this service's schema"
                                .to_string()
                        },
                    )))
            }
        }
    }

    fn apply_alias(&self, rel: &mut Rel, alias: &Option<TableAlias>) -> Result<(), Diagnostic> {
        if let Some(a) = alias {
            rel.name = ident_name(&a.name);
            rel.aliased = true;
            if a.columns.len() > rel.columns.len() {
                return Err(self
                    .error(
                        Code::ColumnCount,
                        format!(
                            "table `{}` has {} columns available but {} columns specified",
                            rel.name,
                            rel.columns.len(),
                            a.columns.len()
                        ),
                        a.name.span,
                    )
                    .with_help("name at most as many columns as the relation has"));
            }
            for (c, n) in rel.columns.iter_mut().zip(&a.columns) {
                if n.data_type.is_some() {
                    return Err(self.unsupported("column types in a table alias", a.name.span));
                }
                c.name = ident_name(&n.name);
            }
        }
        Ok(())
    }

    /// Adds the relations of one FROM item to `scope`; returns how many were added.
    fn table_factor(
        &mut self,
        tf: &TableFactor,
        scope: &mut Scope,
        outer: Option<&Scope>,
    ) -> Result<usize, Diagnostic> {
        let span = tf.span();
        match tf {
            TableFactor::Table {
                name,
                alias,
                args: None,
                with_hints,
                version: None,
                with_ordinality: false,
                partitions,
                json_path: None,
                sample: None,
                index_directives,
                ..
            } if with_hints.is_empty() && partitions.is_empty() && index_directives.is_empty() => {
                let (n, table, columns) = self.relation_columns(name, name.span())?;
                let mut rel = Rel {
                    name: n,
                    table,
                    aliased: false,
                    columns,
                    outer: false,
                };
                self.apply_alias(&mut rel, alias)?;
                self.add_rel(scope, rel, span)?;
                Ok(1)
            }
            TableFactor::Derived {
                lateral,
                subquery,
                alias,
                sample: None,
            } => {
                let Some(a) = alias else {
                    return Err(self
                        .error(
                            Code::InvalidQuery,
                            "subquery in FROM must have an alias",
                            span,
                        )
                        .with_help("add an alias, e.g. `(SELECT …) AS t`"));
                };
                // LATERAL sees the FROM items before it; a plain subquery only outer queries.
                let lateral_scope = lateral.then(|| {
                    let mut s = Scope::new(self.new_scope_id(), outer);
                    s.rels = scope.rels.clone();
                    s.merged = scope.merged.clone();
                    s
                });
                self.levels.push(Level::default());
                let r = self.query(subquery, lateral_scope.as_ref().or(outer));
                self.levels.pop();
                let cols = r?;
                let cols = to_cols(self, &cols);
                let mut rel = Rel {
                    name: String::new(),
                    table: None,
                    aliased: true,
                    columns: cols,
                    outer: false,
                };
                self.apply_alias(&mut rel, &Some(a.clone()))?;
                self.add_rel(scope, rel, span)?;
                Ok(1)
            }
            TableFactor::UNNEST {
                alias,
                array_exprs,
                with_offset: false,
                with_offset_alias: None,
                with_ordinality: false,
            } => {
                let expr_scope = Scope::new(self.new_scope_id(), outer);
                let mut cols = Vec::new();
                for e in array_exprs {
                    let t = self.expr(e, &expr_scope)?;
                    let elem = match &t.ty {
                        Some(x) if x.array => element_of(x).unwrap(),
                        Some(x) => {
                            return Err(self
                                .error(
                                    Code::TypeMismatch,
                                    format!("function unnest({x}) does not exist"),
                                    e.span(),
                                )
                                .with_help("unnest takes arrays"))
                        }
                        None => {
                            return Err(self
                                .error(
                                    Code::ParamType,
                                    "could not determine the array type of unnest's argument",
                                    e.span(),
                                )
                                .with_help("cast it, e.g. `$1::uuid[]`"))
                        }
                    };
                    cols.push(Col {
                        name: "unnest".to_string(),
                        ty: elem,
                        nullable: true,
                    });
                }
                let mut rel = Rel {
                    name: "unnest".into(),
                    table: None,
                    aliased: false,
                    columns: cols,
                    outer: false,
                };
                if let Some(a) = alias {
                    if a.columns.is_empty() && rel.columns.len() == 1 {
                        rel.columns[0].name = ident_name(&a.name);
                    }
                }
                self.apply_alias(&mut rel, alias)?;
                self.add_rel(scope, rel, span)?;
                Ok(1)
            }
            TableFactor::Table {
                name,
                alias,
                args: Some(args),
                with_hints,
                version: None,
                with_ordinality: false,
                partitions,
                json_path: None,
                sample: None,
                index_directives,
                ..
            } if with_hints.is_empty()
                && partitions.is_empty()
                && index_directives.is_empty()
                && args.settings.is_none() =>
            {
                let rel = self.set_returning(name, &args.args, alias, scope, outer, span)?;
                self.add_rel(scope, rel, span)?;
                Ok(1)
            }
            TableFactor::NestedJoin {
                table_with_joins,
                alias: None,
            } => self.add_from_item(table_with_joins, scope, outer),
            _ => Err(self.unsupported(format!("the FROM item `{tf}`"), span)),
        }
    }

    /// A set-returning function in FROM (`generate_series`, `jsonb_array_elements`, …),
    /// which sees the FROM items before it, as PostgreSQL's implicit LATERAL does.
    fn set_returning(
        &mut self,
        name: &sqlparser::ast::ObjectName,
        args: &[sqlparser::ast::FunctionArg],
        alias: &Option<TableAlias>,
        scope: &Scope,
        outer: Option<&Scope>,
        span: Span,
    ) -> Result<Rel, Diagnostic> {
        let fname = name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map(ident_name)
            .unwrap_or_default();
        let Some(&(_, column, nullable)) = crate::builtins::functions::SET_RETURNING
            .iter()
            .find(|(n, _, _)| *n == fname)
        else {
            return Err(self.unsupported(format!("the function `{name}` in FROM"), span));
        };
        let mut local = Scope::new(self.new_scope_id(), outer);
        local.rels = scope.rels.clone();
        local.merged = scope.merged.clone();
        let mut typed = Vec::new();
        let mut spans = Vec::new();
        for a in args {
            let sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(e)) = a
            else {
                return Err(self.unsupported("named arguments", span));
            };
            typed.push(self.expr(e, &local)?);
            spans.push(e.span());
        }
        let (t, _) = self.call_function(&fname, &typed, &spans, span)?;
        // A function with a named OUT column keeps it; a scalar one takes the alias's name.
        let col_name = match (column, alias) {
            (Some(c), _) => c.to_string(),
            (None, Some(a)) if a.columns.is_empty() => ident_name(&a.name),
            (None, _) => fname.clone(),
        };
        let mut rel = Rel {
            name: fname.clone(),
            table: None,
            aliased: false,
            columns: vec![Col {
                name: col_name,
                ty: t.ty.map(|x| plain(&x)).unwrap_or_else(|| ty(Builtin::Text)),
                nullable,
            }],
            outer: false,
        };
        self.apply_alias(&mut rel, alias)?;
        Ok(rel)
    }

    fn add_rel(&self, scope: &mut Scope, rel: Rel, span: Span) -> Result<(), Diagnostic> {
        if scope.rels.iter().any(|r| r.name == rel.name) {
            return Err(self
                .error(
                    Code::InvalidQuery,
                    format!("table name `{}` specified more than once", rel.name),
                    span,
                )
                .with_help("give one of them an alias"));
        }
        scope.rels.push(rel);
        Ok(())
    }

    /// One comma-separated FROM item with its joins.
    pub(crate) fn add_from_item(
        &mut self,
        twj: &TableWithJoins,
        scope: &mut Scope,
        outer: Option<&Scope>,
    ) -> Result<usize, Diagnostic> {
        let start = scope.rels.len();
        self.table_factor(&twj.relation, scope, outer)?;
        for join in &twj.joins {
            self.join(join, scope, start, outer)?;
        }
        Ok(scope.rels.len() - start)
    }

    fn join(
        &mut self,
        join: &Join,
        scope: &mut Scope,
        start: usize,
        outer: Option<&Scope>,
    ) -> Result<(), Diagnostic> {
        let span = join.relation.span();
        let left_end = scope.rels.len();
        self.table_factor(&join.relation, scope, outer)?;
        let right = left_end..scope.rels.len();
        let (kind, constraint) = match &join.join_operator {
            JoinOperator::Join(c) | JoinOperator::Inner(c) => ("inner", c),
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => ("left", c),
            JoinOperator::Right(c) | JoinOperator::RightOuter(c) => ("right", c),
            JoinOperator::FullOuter(c) => ("full", c),
            JoinOperator::CrossJoin(c) => ("cross", c),
            other => return Err(self.unsupported(format!("the join `{other:?}`"), span)),
        };
        // Nullability of each side's columns as seen before this join changes them.
        let left_view: Vec<Vec<bool>> = (start..left_end)
            .map(|r| {
                (0..scope.rels[r].columns.len())
                    .map(|c| scope.column_typed(r, c).nullable)
                    .collect()
            })
            .collect();
        match constraint {
            JoinConstraint::On(cond) => {
                // ON sees the relations of this join tree (and outer queries), nothing else.
                let mut local = Scope::new(self.new_scope_id(), outer);
                local.rels = scope.rels[start..].to_vec();
                let saved = std::mem::take(self.level());
                let r = self.condition(cond, &local, "JOIN/ON");
                *self.level() = saved;
                r?;
            }
            JoinConstraint::Using(names) => {
                for n in names {
                    let col =
                        n.0.last()
                            .and_then(|p| p.as_ident())
                            .map(ident_name)
                            .unwrap_or_default();
                    // (relation, column) pairs named `col` among some relations.
                    let hits = |rels: std::ops::Range<usize>| -> Vec<(usize, usize)> {
                        rels.flat_map(|r| {
                            scope.rels[r]
                                .columns
                                .iter()
                                .enumerate()
                                .filter(|(_, c)| c.name == col)
                                .map(move |(ci, _)| (r, ci))
                        })
                        .collect()
                    };
                    let left_hits = hits(start..left_end);
                    let right_hits = hits(right.clone());
                    let merged_left = scope
                        .merged
                        .iter()
                        .position(|m| m.name == col && m.sources.iter().all(|s| s.0 < left_end));
                    let (l, r) = match (left_hits.as_slice(), right_hits.as_slice(), merged_left) {
                        (_, [r], Some(m)) => (scope.merged[m].sources[0], *r),
                        ([l], [r], None) => (*l, *r),
                        ([], _, None) | (_, [], _) => {
                            return Err(self
                                .error(Code::UnknownColumn, format!("column `{col}` specified in USING clause does not exist in {} table", if right_hits.is_empty() { "right" } else { "left" }), n.span())
                                .with_help("USING joins on a column both sides have"))
                        }
                        _ => {
                            return Err(self
                                .error(Code::AmbiguousColumn, format!("common column name `{col}` appears more than once in a table of the join"), n.span())
                                .with_help("use ON with qualified columns instead"))
                        }
                    };
                    let lt = &scope.rels[l.0].columns[l.1].ty;
                    let rt = &scope.rels[r.0].columns[r.1].ty;
                    let Some(t) = common_type(lt, rt) else {
                        return Err(self
                            .error(
                                Code::TypeMismatch,
                                format!("JOIN/USING types {lt} and {rt} cannot be matched"),
                                n.span(),
                            )
                            .with_help("join on columns of the same type"));
                    };
                    let ln = left_view[l.0 - start][l.1];
                    let rn = scope.rels[r.0].columns[r.1].nullable;
                    let nullable = match kind {
                        "inner" => false,
                        "left" => ln,
                        "right" => rn,
                        _ => ln || rn,
                    };
                    if let Some(m) = merged_left {
                        scope.merged.remove(m);
                    }
                    scope.merged.push(Merged {
                        name: col,
                        ty: t,
                        nullable,
                        sources: vec![l, r],
                    });
                }
            }
            JoinConstraint::None if kind == "cross" => {}
            JoinConstraint::Natural => return Err(self.unsupported("NATURAL joins", span)),
            _ => {
                return Err(self
                    .error(Code::SyntaxError, "join without ON or USING", span)
                    .with_help("add an ON condition"))
            }
        }
        match kind {
            "left" => right.clone().for_each(|r| scope.rels[r].outer = true),
            "right" => (start..left_end).for_each(|r| scope.rels[r].outer = true),
            "full" => (start..scope.rels.len()).for_each(|r| scope.rels[r].outer = true),
            _ => {}
        }
        Ok(())
    }

    // ---- SELECT -----------------------------------------------------------------------

    pub fn select(
        &mut self,
        s: &Select,
        parent: Option<&Scope>,
        order_by: Option<&OrderBy>,
    ) -> Result<Vec<Column>, Diagnostic> {
        let span = s.span();
        if s.top.is_some()
            || s.into.is_some()
            || !s.lateral_views.is_empty()
            || s.prewhere.is_some()
            || !s.connect_by.is_empty()
            || !s.cluster_by.is_empty()
            || !s.distribute_by.is_empty()
            || !s.sort_by.is_empty()
            || s.qualify.is_some()
            || s.value_table_mode.is_some()
            || s.exclude.is_some()
        {
            return Err(self.unsupported("this SELECT clause", span));
        }
        let mut scope = Scope::new(self.new_scope_id(), parent);
        for item in &s.from {
            self.add_from_item(item, &mut scope, parent)?;
        }
        if let Some(w) = &s.selection {
            self.level().aggregates_allowed = false;
            self.level().windows_allowed = false;
            self.condition(w, &scope, "WHERE")?;
            narrow(w, &mut scope);
        }
        // GROUP BY
        let group_exprs: Vec<Expr> = match &s.group_by {
            GroupByExpr::Expressions(exprs, modifiers) if modifiers.is_empty() => exprs.clone(),
            GroupByExpr::Expressions(..) => {
                return Err(self.unsupported("ROLLUP/CUBE/GROUPING SETS", span))
            }
            GroupByExpr::All(_) => return Err(self.unsupported("GROUP BY ALL", span)),
        };
        let aggregated = !group_exprs.is_empty()
            || s.having.is_some()
            || s.projection.iter().any(|p| match p {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    has_aggregate(e)
                }
                _ => false,
            })
            || order_by.is_some_and(has_aggregate);
        let mut grouping = Grouping {
            scope_id: scope.id,
            exprs: Vec::new(),
            columns: Vec::new(),
            dependent_rels: Vec::new(),
        };
        for g in &group_exprs {
            let target = self.group_target(g, s, &scope)?;
            self.level().aggregates_allowed = false;
            self.level().windows_allowed = false;
            let gt = self.expr(target, &scope)?;
            if let Some(t) = &gt.ty {
                if !super::ops::comparable(t) {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            format!("could not identify an equality operator for type {t}"),
                            g.span(),
                        )
                        .with_help("group by a comparable value (jsonb instead of json)"));
                }
            }
            grouping.exprs.push(strip(target).to_string());
            if let Some(id) = column_id(&scope, target) {
                grouping.columns.push(id);
            }
        }
        if aggregated {
            for (ri, r) in scope.rels.iter().enumerate() {
                let pk = r
                    .table
                    .as_deref()
                    .and_then(|t| self.catalog.table(t))
                    .and_then(|t| t.primary_key());
                if let Some(pk) = pk {
                    let all = pk.iter().all(|c| {
                        r.columns
                            .iter()
                            .position(|x| &x.name == c)
                            .is_some_and(|ci| grouping.columns.contains(&scope.column_id(ri, ci)))
                    });
                    if all {
                        grouping.dependent_rels.push(ri);
                    }
                }
            }
            self.level().grouping = Some(grouping);
        }
        // SELECT list
        self.level().aggregates_allowed = true;
        self.level().windows_allowed = true;
        self.window_definitions(&s.named_window, &scope)?;
        let mut cols = Vec::new();
        for item in &s.projection {
            match item {
                SelectItem::UnnamedExpr(e) => {
                    let v = self.projection_expr(e, &scope)?;
                    let name = self.column_name_of(e);
                    cols.push(Column {
                        name,
                        value: v,
                        span: strip(e).span(),
                    });
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    let v = self.projection_expr(expr, &scope)?;
                    cols.push(Column {
                        name: ident_name(alias),
                        value: v,
                        span: strip(expr).span(),
                    });
                }
                SelectItem::Wildcard(opts) => {
                    if opts.opt_ilike.is_some()
                        || opts.opt_exclude.is_some()
                        || opts.opt_except.is_some()
                        || opts.opt_replace.is_some()
                        || opts.opt_rename.is_some()
                    {
                        return Err(self.unsupported("wildcard options", span));
                    }
                    if scope.rels.is_empty() {
                        return Err(self
                            .error(
                                Code::InvalidQuery,
                                "SELECT * with no tables specified is not valid",
                                item.span(),
                            )
                            .with_help("name the values to select"));
                    }
                    for m in scope.merged.clone() {
                        let v = self.resolve_column(
                            &scope,
                            &[sqlparser::ast::Ident::new(m.name.clone())],
                            item.span(),
                        )?;
                        cols.push(Column {
                            name: m.name.clone(),
                            value: v,
                            span: item.span(),
                        });
                    }
                    for ri in 0..scope.rels.len() {
                        self.expand_rel(&scope, ri, true, item.span(), &mut cols)?;
                    }
                }
                SelectItem::QualifiedWildcard(kind, _) => {
                    let SelectItemQualifiedWildcardKind::ObjectName(name) = kind else {
                        return Err(self.unsupported("this wildcard", item.span()));
                    };
                    let n = name
                        .0
                        .last()
                        .and_then(|p| p.as_ident())
                        .map(ident_name)
                        .unwrap_or_default();
                    let Some(ri) = scope.rels.iter().position(|r| r.name == n) else {
                        return Err(self
                            .error(
                                Code::UnknownTable,
                                format!("missing FROM-clause entry for table `{n}`"),
                                item.span(),
                            )
                            .with_help("qualify with a relation of the FROM clause"));
                    };
                    self.expand_rel(&scope, ri, false, item.span(), &mut cols)?;
                }
                SelectItem::ExprWithAliases { .. } => {
                    return Err(self.unsupported("multiple aliases", item.span()))
                }
            }
        }
        if let Some(h) = &s.having {
            self.level().windows_allowed = false;
            self.condition(h, &scope, "HAVING")?;
        }
        match &s.distinct {
            None | Some(Distinct::All) | Some(Distinct::Distinct) => {}
            Some(Distinct::On(exprs)) => {
                for e in exprs {
                    self.expr(e, &scope)?;
                }
                if let Some(ob) = order_by {
                    self.distinct_on_matches_order(exprs, ob, s)?;
                }
            }
        }
        self.int_width_warnings(&scope, &cols);
        if matches!(s.distinct, Some(Distinct::Distinct)) {
            self.require_equality(&cols)?;
        }
        if let Some(ob) = order_by {
            self.order_by_select(
                ob,
                &scope,
                &cols,
                matches!(s.distinct, Some(Distinct::Distinct)),
                s,
            )?;
        }
        self.level().grouping = None;
        self.level().aggregates_allowed = false;
        self.level().windows_allowed = false;
        Ok(cols)
    }

    /// A result column read straight from a column declared `INT`/`INTEGER`/`SERIAL` is
    /// 32-bit here and 64-bit on CockroachDB: the Rust type cannot decode both.
    pub(crate) fn int_width_warnings(&mut self, scope: &Scope, cols: &[Column]) {
        if self.levels.len() != 1 {
            return;
        }
        for c in cols {
            if let Some(&(_, rule)) = self.divergent.iter().find(|(s, _)| *s == c.span) {
                let what = if rule == CrdbRule::IntegerDivision {
                    format!("integer division in result column `{}`", c.name)
                } else {
                    format!("`sum` of integers in result column `{}`", c.name)
                };
                self.crdb_warning(rule, &what, c.span);
            }
            let super::Origin::Column(id) = c.value.origin else {
                continue;
            };
            let (ri, ci) = (id.rel, id.column);
            if id.scope != scope.id {
                continue;
            }
            let rel = &scope.rels[ri];
            let declared = rel
                .table
                .as_deref()
                .and_then(|t| self.catalog.table(t))
                .and_then(|t| t.column(&rel.columns[ci].name))
                .is_some_and(|col| col.declared_int);
            if declared {
                let what = format!(
                    "result column `{}` (declared `INT` in `{}`)",
                    c.name,
                    rel.table.as_deref().unwrap_or("")
                );
                self.crdb_warning(CrdbRule::IntWidth, &what, c.span);
            }
        }
    }

    /// `DISTINCT ON (a, b)` needs the ORDER BY to start with `a` and `b` (in any order).
    fn distinct_on_matches_order(
        &self,
        on: &[Expr],
        ob: &OrderBy,
        s: &Select,
    ) -> Result<(), Diagnostic> {
        let OrderByKind::Expressions(items) = &ob.kind else {
            return Ok(());
        };
        // ORDER BY positions and output names stand for their SELECT-list expressions.
        let resolve = |e: &Expr| -> String {
            let e = strip(e);
            if let Expr::Value(v) = e {
                if let Value::Number(n, _) = &v.value {
                    if let Some(
                        SelectItem::UnnamedExpr(x) | SelectItem::ExprWithAlias { expr: x, .. },
                    ) = n
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| s.projection.get(i.wrapping_sub(1)))
                    {
                        return strip(x).to_string();
                    }
                }
            }
            if let Expr::Identifier(i) = e {
                let name = ident_name(i);
                for p in &s.projection {
                    if let SelectItem::ExprWithAlias { expr, alias } = p {
                        if ident_name(alias) == name {
                            return strip(expr).to_string();
                        }
                    }
                }
            }
            e.to_string()
        };
        let mut remaining: Vec<String> = on.iter().map(&resolve).collect();
        for item in items {
            if remaining.is_empty() {
                break;
            }
            let text = resolve(&item.expr);
            match remaining.iter().position(|r| *r == text) {
                Some(i) => {
                    remaining.remove(i);
                }
                None => return Err(self
                    .error(
                        Code::InvalidQuery,
                        "SELECT DISTINCT ON expressions must match initial ORDER BY expressions",
                        item.expr.span(),
                    )
                    .with_help("start the ORDER BY with the DISTINCT ON expressions")),
            }
        }
        Ok(())
    }

    /// DISTINCT and set operations without ALL compare whole rows: every column needs `=`.
    fn require_equality(&self, cols: &[Column]) -> Result<(), Diagnostic> {
        for c in cols {
            if let Some(t) = &c.value.ty {
                if !super::ops::comparable(t) {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            format!("could not identify an equality operator for type {t}"),
                            c.span,
                        )
                        .with_help(if t.base_name() == "json" {
                            "use jsonb, which has equality"
                        } else {
                            "this type cannot be compared"
                        }));
                }
            }
        }
        Ok(())
    }

    fn projection_expr(&mut self, e: &Expr, scope: &Scope) -> Result<Typed, Diagnostic> {
        let is_group_expr = self
            .level()
            .grouping
            .as_ref()
            .is_some_and(|g| g.exprs.contains(&strip(e).to_string()));
        if is_group_expr {
            self.level().grouped_expr += 1;
        }
        let r = self.expr(e, scope);
        if is_group_expr {
            self.level().grouped_expr -= 1;
        }
        r
    }

    fn expand_rel(
        &mut self,
        scope: &Scope,
        ri: usize,
        skip_merged: bool,
        span: Span,
        cols: &mut Vec<Column>,
    ) -> Result<(), Diagnostic> {
        let rel = &scope.rels[ri];
        for (ci, c) in rel.columns.iter().enumerate() {
            if skip_merged && scope.merged.iter().any(|m| m.sources.contains(&(ri, ci))) {
                continue;
            }
            // By position, not name: UNNEST's columns may all be called `unnest`.
            let v = scope.column_typed(ri, ci);
            let v = self.check_grouping(scope, v, &c.name, span)?;
            cols.push(Column {
                name: c.name.clone(),
                value: v,
                span,
            });
        }
        Ok(())
    }

    /// What a GROUP BY item refers to: an input column or expression, else an output
    /// column's alias or ordinal.
    fn group_target<'s>(
        &self,
        g: &'s Expr,
        s: &'s Select,
        scope: &Scope,
    ) -> Result<&'s Expr, Diagnostic> {
        if let Expr::Value(v) = strip(g) {
            if let Value::Number(n, _) = &v.value {
                let i: usize = n.parse().unwrap_or(0);
                return match s.projection.get(i.wrapping_sub(1)) {
                    Some(SelectItem::UnnamedExpr(e))
                    | Some(SelectItem::ExprWithAlias { expr: e, .. }) => Ok(e),
                    _ => Err(self
                        .error(
                            Code::InvalidQuery,
                            format!("GROUP BY position {n} is not in select list"),
                            g.span(),
                        )
                        .with_help("use a position of the SELECT list, or an expression")),
                };
            }
        }
        if let Expr::Identifier(i) = strip(g) {
            let name = ident_name(i);
            let is_input = scope
                .rels
                .iter()
                .any(|r| r.columns.iter().any(|c| c.name == name))
                || scope.merged.iter().any(|m| m.name == name);
            if !is_input {
                if let Some(SelectItem::ExprWithAlias { expr, .. }) = s.projection.iter().find(|p| matches!(p, SelectItem::ExprWithAlias { alias, .. } if ident_name(alias) == name)) {
                    return Ok(expr);
                }
            }
        }
        Ok(g)
    }

    fn order_by_select(
        &mut self,
        ob: &OrderBy,
        scope: &Scope,
        cols: &[Column],
        distinct: bool,
        s: &Select,
    ) -> Result<(), Diagnostic> {
        let OrderByKind::Expressions(items) = &ob.kind else {
            return Err(self.unsupported("ORDER BY ALL", ob.span()));
        };
        self.level().windows_allowed = true;
        self.level().aggregates_allowed = true;
        for item in items {
            if item.with_fill.is_some() {
                return Err(self.unsupported("WITH FILL", item.span()));
            }
            let e = strip(&item.expr);
            if let Expr::Value(v) = e {
                if let Value::Number(n, _) = &v.value {
                    let i: usize = n.parse().unwrap_or(0);
                    if i == 0 || i > cols.len() {
                        return Err(self
                            .error(
                                Code::InvalidQuery,
                                format!("ORDER BY position {n} is not in select list"),
                                e.span(),
                            )
                            .with_help(format!("use a position from 1 to {}", cols.len())));
                    }
                    continue;
                }
            }
            if let Expr::Identifier(i) = e {
                let name = ident_name(i);
                let hits = cols.iter().filter(|c| c.name == name).count();
                if hits == 1 {
                    continue;
                }
                if hits > 1 {
                    return Err(self
                        .error(
                            Code::AmbiguousColumn,
                            format!("ORDER BY `{name}` is ambiguous"),
                            e.span(),
                        )
                        .with_help("order by position or a qualified column"));
                }
            }
            if distinct {
                let text = e.to_string();
                let in_list = s.projection.iter().any(|p| match p {
                    SelectItem::UnnamedExpr(x) | SelectItem::ExprWithAlias { expr: x, .. } => {
                        strip(x).to_string() == text
                    }
                    _ => true,
                });
                if !in_list {
                    return Err(self
                        .error(
                            Code::InvalidQuery,
                            "for SELECT DISTINCT, ORDER BY expressions must appear in select list",
                            e.span(),
                        )
                        .with_help("add the expression to the SELECT list"));
                }
            }
            let is_group_expr = self
                .level()
                .grouping
                .as_ref()
                .is_some_and(|g| g.exprs.contains(&e.to_string()));
            if is_group_expr {
                self.level().grouped_expr += 1;
            }
            let r = self.expr(e, scope);
            if is_group_expr {
                self.level().grouped_expr -= 1;
            }
            let t = r?;
            if let Some(x) = &t.ty {
                if !super::ops::comparable(x) {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            format!("could not identify an ordering operator for type {x}"),
                            e.span(),
                        )
                        .with_help("order by a comparable value (jsonb instead of json)"));
                }
            }
        }
        Ok(())
    }

    /// ORDER BY of a set operation: only output names and positions.
    fn order_by_outputs(&mut self, ob: &OrderBy, cols: &[Column]) -> Result<(), Diagnostic> {
        let OrderByKind::Expressions(items) = &ob.kind else {
            return Err(self.unsupported("ORDER BY ALL", ob.span()));
        };
        for item in items {
            let e = strip(&item.expr);
            let ok = match e {
                Expr::Value(v) => {
                    matches!(&v.value, Value::Number(n, _) if n.parse::<usize>().is_ok_and(|i| i >= 1 && i <= cols.len()))
                }
                Expr::Identifier(i) => cols.iter().any(|c| c.name == ident_name(i)),
                _ => false,
            };
            if !ok {
                return Err(self
                    .error(
                        Code::InvalidQuery,
                        "invalid UNION/INTERSECT/EXCEPT ORDER BY clause",
                        e.span(),
                    )
                    .with_help("order a set operation by a result column's name or position"));
            }
        }
        Ok(())
    }

    fn column_name_of(&self, e: &Expr) -> String {
        let catalog = self.catalog;
        column_name(e, &|dt| {
            crate::catalog::types::resolve(dt, &|n| catalog.enum_type(n).is_some(), &|x| {
                catalog.has_extension(x)
            })
            .ok()
            .map(|(t, _)| t)
        })
        .unwrap_or_else(|| "?column?".to_string())
    }
}

fn to_cols(a: &mut Analyzer, cols: &[Column]) -> Vec<Col> {
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
fn references(q: &Query, name: &str) -> bool {
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
fn narrow(e: &Expr, scope: &mut Scope) {
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
