//! One SELECT: its FROM scope, WHERE (and the non-null facts it proves), GROUP BY and
//! HAVING, the select list, DISTINCT [ON], locking clauses, and CockroachDB's integer widths.

use crate::policies::cockroach::CrdbRule;

use sqlparser::ast::{
    Distinct, Expr, GroupByExpr, OrderBy, OrderByKind, Select, SelectItem,
    SelectItemQualifiedWildcardKind, Spanned, Value,
};
use sqlparser::tokenizer::Span;

use super::expr::{span_of, strip};
use super::query::{column_id, expr_has_aggregate, has_aggregate, narrow, Column};
use super::scope::Scope;
use super::{Analyzer, Grouping, Typed};
use crate::catalog::ident_name;
use crate::diagnostic::{Code, Diagnostic};

impl Analyzer<'_> {
    pub fn select(
        &mut self,
        s: &Select,
        parent: Option<&Scope>,
        order_by: Option<&OrderBy>,
    ) -> Result<Vec<Column>, Diagnostic> {
        let span = super::spans::select_span(s);
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
        self.group_by(s, &scope, order_by)?;
        // SELECT list
        self.level().aggregates_allowed = true;
        self.level().windows_allowed = true;
        self.window_definitions(&s.named_window, &scope)?;
        let mut cols = self.select_list(s, &scope)?;
        // Under grouping sets every value but an aggregate's may be NULL (the rows of a set
        // that leaves it out); count is never NULL.
        if self.level().grouping.as_ref().is_some_and(|g| g.partial) {
            let wildcard = s.projection.iter().any(|p| {
                matches!(
                    p,
                    SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
                )
            });
            if wildcard {
                cols.iter_mut().for_each(|c| c.value.nullable = true);
            }
            for (c, item) in cols.iter_mut().zip(&s.projection).filter(|_| !wildcard) {
                let counted = match item {
                    SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                        matches!(strip(e), Expr::Function(f) if f.name.to_string().eq_ignore_ascii_case("count") && f.over.is_none())
                    }
                    _ => false,
                };
                c.value.nullable |= !counted;
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
        self.record_provenance(&scope, &cols, &s.projection);
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

    /// GROUP BY and the functional dependencies it brings: a query level that aggregates
    /// gets its [`Grouping`], against which every column outside an aggregate is checked.
    fn group_by(
        &mut self,
        s: &Select,
        scope: &Scope,
        order_by: Option<&OrderBy>,
    ) -> Result<(), Diagnostic> {
        let span = super::spans::select_span(s);
        // GROUP BY
        let written: Vec<Expr> = match &s.group_by {
            GroupByExpr::Expressions(exprs, modifiers) if modifiers.is_empty() => exprs.clone(),
            GroupByExpr::Expressions(..) => {
                return Err(self.unsupported("GROUP BY … WITH modifiers", span))
            }
            GroupByExpr::All(_) => return Err(self.unsupported("GROUP BY ALL", span)),
        };
        // GROUPING SETS, ROLLUP and CUBE group by every expression they list; a row
        // `(a, b)` groups by both.
        let mut partial = false;
        let mut group_exprs: Vec<Expr> = Vec::new();
        for g in written {
            match strip(&g) {
                Expr::GroupingSets(sets) | Expr::Rollup(sets) | Expr::Cube(sets) => {
                    partial = true;
                    group_exprs.extend(sets.iter().flatten().flat_map(|e| match strip(e) {
                        Expr::Tuple(items) => items.clone(),
                        other => vec![other.clone()],
                    }));
                }
                Expr::Tuple(items) => group_exprs.extend(items.iter().cloned()),
                _ => group_exprs.push(g),
            }
        }
        let aggregated = !group_exprs.is_empty()
            || s.having.is_some()
            || s.projection.iter().any(|p| match p {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    expr_has_aggregate(self.catalog, e)
                }
                _ => false,
            })
            || order_by.is_some_and(|o| match &o.kind {
                OrderByKind::Expressions(items) => (items.iter()).any(|i| {
                    expr_has_aggregate(self.catalog, &i.expr)
                        || has_aggregate(self.catalog, &i.with_fill)
                }),
                OrderByKind::All(_) => false,
            });
        let mut grouping = Grouping {
            scope_id: scope.id,
            exprs: Vec::new(),
            columns: Vec::new(),
            dependent_rels: Vec::new(),
            partial,
        };
        for g in &group_exprs {
            let target = self.group_target(g, s, scope)?;
            self.level().aggregates_allowed = false;
            self.level().windows_allowed = false;
            let gt = self.expr(target, scope)?;
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
            if let Some(id) = column_id(scope, target) {
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
        Ok(())
    }

    /// The select list: one column per expression, `*` and `rel.*` expanded.
    fn select_list(&mut self, s: &Select, scope: &Scope) -> Result<Vec<Column>, Diagnostic> {
        let mut cols = Vec::new();
        for item in &s.projection {
            match item {
                SelectItem::UnnamedExpr(e) => {
                    let v = self.projection_expr(e, scope)?;
                    let name = self.column_name_of(e);
                    cols.push(Column {
                        name,
                        value: v,
                        span: span_of(strip(e)),
                    });
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    let v = self.projection_expr(expr, scope)?;
                    cols.push(Column {
                        name: ident_name(alias),
                        value: v,
                        span: span_of(strip(expr)),
                    });
                }
                SelectItem::Wildcard(opts) => self.wildcard(opts, item, scope, &mut cols)?,
                SelectItem::QualifiedWildcard(kind, _) => {
                    let SelectItemQualifiedWildcardKind::ObjectName(name) = kind else {
                        return Err(self.unsupported("this wildcard", item.span()));
                    };
                    let ri = self.wildcard_rel(
                        scope,
                        name,
                        item.span(),
                        "qualify with a relation of the FROM clause",
                    )?;
                    self.expand_rel(scope, ri, None, item.span(), &mut cols)?;
                }
                SelectItem::ExprWithAliases { .. } => {
                    return Err(self.unsupported("multiple aliases", item.span()))
                }
            }
        }
        Ok(cols)
    }

    /// `*`: the merged USING columns first, then every relation's columns.
    fn wildcard(
        &mut self,
        opts: &sqlparser::ast::WildcardAdditionalOptions,
        item: &SelectItem,
        scope: &Scope,
        cols: &mut Vec<Column>,
    ) -> Result<(), Diagnostic> {
        let span = item.span();
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
        // PostgreSQL's order: FROM items in turn; a join's merged columns first, a later
        // join's before an earlier one's, then its inputs' other columns. A merged column
        // goes where its first source relation starts.
        let first_rel = |m: &super::scope::Merged| m.sources.iter().map(|s| s.0).min();
        let mut merged_order: Vec<&super::scope::Merged> = scope.merged.iter().collect();
        merged_order.sort_by_key(|m| (first_rel(m), std::cmp::Reverse(m.join_end)));
        let merged_sources = (scope.merged.iter())
            .flat_map(|m| m.sources.iter().copied())
            .collect();
        let mut next = merged_order.into_iter().peekable();
        for ri in 0..scope.rels.len() {
            while let Some(m) = next.next_if(|m| first_rel(m) <= Some(ri)) {
                let v = self.resolve_column(
                    scope,
                    &[sqlparser::ast::Ident::new(m.name.clone())],
                    item.span(),
                )?;
                cols.push(Column {
                    name: m.name.clone(),
                    value: v,
                    span: item.span(),
                });
            }
            self.expand_rel(scope, ri, Some(&merged_sources), item.span(), cols)?;
        }
        Ok(())
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

    /// The [`super::Provenance`] of the outermost query's result columns (see
    /// `Analyzer::provenance`): read from a column of `scope`, an aggregate of the select
    /// list `items` (empty for RETURNING), or computed.
    pub(crate) fn record_provenance(
        &mut self,
        scope: &Scope,
        cols: &[Column],
        items: &[SelectItem],
    ) {
        use super::{Nullability, Provenance};
        if self.levels.len() != 1 || self.query_depth > 1 {
            return;
        }
        let aggregates = self.top_level_aggregates(items);
        let out = (cols.iter())
            .map(|c| match &c.value.origin {
                super::Origin::Column(id) if id.scope == scope.id => {
                    let rel = &scope.rels[id.rel];
                    let col = &rel.columns[id.column];
                    let may_be_null = col.nullable || rel.outer;
                    let why = match () {
                        _ if may_be_null && scope.narrowed.contains(id) => Nullability::Narrowed,
                        _ if rel.outer => Nullability::OuterJoin,
                        _ if col.nullable => Nullability::Nullable,
                        _ => Nullability::NotNull,
                    };
                    Provenance::Column {
                        table: rel.table.clone(),
                        relation: rel.name.clone(),
                        column: col.name.clone(),
                        why,
                    }
                }
                _ => match aggregates.iter().find(|(span, _)| *span == c.span) {
                    Some((_, function)) => Provenance::Aggregate {
                        function: function.clone(),
                    },
                    None => Provenance::Expression,
                },
            })
            .collect();
        self.provenance = (out, self.provenance.1 + 1);
    }

    /// The select items that are an aggregate call as a whole (not a window call), by the
    /// span their column carries, with the function's name as written.
    fn top_level_aggregates(&self, items: &[SelectItem]) -> Vec<(Span, String)> {
        (items.iter())
            .filter_map(|item| match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    Some(strip(e))
                }
                _ => None,
            })
            .filter_map(|e| match e {
                Expr::Function(f)
                    if f.over.is_none() && super::query::is_aggregate(self.catalog, &f.name) =>
                {
                    Some((e.span(), f.name.to_string()))
                }
                _ => None,
            })
            .collect()
    }

    /// `DISTINCT ON (a, b)` needs the ORDER BY to start with `a` and `b` (in any order).
    pub(crate) fn distinct_on_matches_order(
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
    pub(crate) fn require_equality(&self, cols: &[Column]) -> Result<(), Diagnostic> {
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

    pub(crate) fn projection_expr(&mut self, e: &Expr, scope: &Scope) -> Result<Typed, Diagnostic> {
        let is_group_expr = self
            .level()
            .grouping
            .as_ref()
            // Printed only when there is a GROUP BY expression to match: printing is linear
            // in the expression, and every level of a nesting would print the levels inside.
            .is_some_and(|g| !g.exprs.is_empty() && g.exprs.contains(&strip(e).to_string()));
        if is_group_expr {
            self.level().grouped_expr += 1;
        }
        let r = self.expr(e, scope);
        if is_group_expr {
            self.level().grouped_expr -= 1;
        }
        r
    }

    /// The relation `rel.*` names, or PostgreSQL's error.
    pub(crate) fn wildcard_rel(
        &self,
        scope: &Scope,
        name: &sqlparser::ast::ObjectName,
        span: Span,
        help: &str,
    ) -> Result<usize, Diagnostic> {
        let n = name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map(ident_name)
            .unwrap_or_default();
        scope.rels.iter().position(|r| r.name == n).ok_or_else(|| {
            self.error(
                Code::UnknownTable,
                format!("missing FROM-clause entry for table `{n}`"),
                span,
            )
            .with_help(help.to_string())
        })
    }

    pub(crate) fn expand_rel(
        &mut self,
        scope: &Scope,
        ri: usize,
        merged: Option<&std::collections::HashSet<(usize, usize)>>,
        span: Span,
        cols: &mut Vec<Column>,
    ) -> Result<(), Diagnostic> {
        let rel = &scope.rels[ri];
        for (ci, c) in rel.columns.iter().enumerate() {
            if merged.is_some_and(|m| m.contains(&(ri, ci))) {
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
    pub(crate) fn group_target<'s>(
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
}
