//! Name resolution: the relations a query reads (tables, views, CTEs, subqueries, joins) and
//! how a column reference finds its column — or fails the way PostgreSQL fails.

use crate::catalog::types::Builtin;
use crate::policies::cockroach::CrdbRule;
use sqlparser::ast::Ident;
use sqlparser::tokenizer::Span;

use super::{Analyzer, ColumnId, Origin, ScopeId, Typed};
use crate::catalog::{ident_name, SqlType};
use crate::diagnostic::{Code, Diagnostic};
use crate::suggest;

#[derive(Debug, Clone)]
pub(crate) struct Col {
    pub name: String,
    pub ty: SqlType,
    pub nullable: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Rel {
    /// The name the query refers to it by: the alias, else the table name.
    pub name: String,
    /// The table behind it, if any (for "invalid reference" errors and primary keys).
    pub table: Option<String>,
    pub aliased: bool,
    pub columns: Vec<Col>,
    /// On the nullable side of an outer join.
    pub outer: bool,
    /// The composite type of its rows, for a whole-row reference (`to_jsonb(t)`): the
    /// table's, view's or sequence's own; `None` for subqueries, CTEs and functions, whose
    /// rows are anonymous records.
    pub row_type: Option<String>,
    /// A function's single value rather than a row (`FROM now() AS t`, a function of one
    /// OUT argument): a whole-row reference to it is that value, as in PostgreSQL.
    pub scalar: bool,
}

/// A column merged by `JOIN … USING (col)`: referenced unqualified, it is one column.
#[derive(Debug, Clone)]
pub(crate) struct Merged {
    pub name: String,
    pub ty: SqlType,
    pub nullable: bool,
    pub sources: Vec<(usize, usize)>,
    /// The source column the merged one is, as PostgreSQL resolves a join alias: the left
    /// column of an INNER or LEFT join, the right one of a RIGHT join, when its type is the
    /// merged type. `None` for FULL joins (a COALESCE) and coerced columns. Grouping by the
    /// merged column groups this one.
    pub same_as: Option<(usize, usize)>,
    /// Where the join that merged it ends (its right side's last relation + 1): `*` shows
    /// a later join's merged columns before an earlier one's, as PostgreSQL's join tree does.
    pub join_end: usize,
}

pub(crate) struct Scope<'p> {
    pub id: ScopeId,
    pub rels: Vec<Rel>,
    pub merged: Vec<Merged>,
    /// Columns a WHERE clause proves non-null (`col IS NOT NULL`, `col = …`).
    pub narrowed: Vec<ColumnId>,
    pub parent: Option<&'p Scope<'p>>,
}

impl<'p> Scope<'p> {
    pub fn new(id: ScopeId, parent: Option<&'p Scope<'p>>) -> Self {
        Scope {
            id,
            rels: Vec::new(),
            merged: Vec::new(),
            narrowed: Vec::new(),
            parent,
        }
    }

    pub fn column_id(&self, rel: usize, column: usize) -> ColumnId {
        ColumnId {
            scope: self.id,
            rel,
            column,
        }
    }

    pub fn column_typed(&self, rel: usize, col: usize) -> Typed {
        Typed {
            ty: Some(self.rels[rel].columns[col].ty.clone()),
            nullable: self.column_nullable(rel, col),
            origin: Origin::Column(self.column_id(rel, col)),
        }
    }

    /// Whether a column can be NULL here: declared so or on an outer join's nullable side,
    /// and not narrowed by `IS NOT NULL`.
    pub fn column_nullable(&self, rel: usize, col: usize) -> bool {
        let r = &self.rels[rel];
        (r.columns[col].nullable || r.outer) && !self.narrowed.contains(&self.column_id(rel, col))
    }

    fn merged_typed(&self, m: &Merged) -> Typed {
        let narrowed = m
            .sources
            .iter()
            .any(|&(r, c)| self.narrowed.contains(&self.column_id(r, c)));
        Typed {
            ty: Some(m.ty.clone()),
            nullable: m.nullable && !narrowed,
            origin: Origin::Value,
        }
    }
}

enum Found {
    One(Typed),
    Ambiguous,
    None,
}

fn find_unqualified(scope: &Scope, name: &str) -> Found {
    if let Some(m) = scope.merged.iter().find(|m| m.name == name) {
        return Found::One(scope.merged_typed(m));
    }
    let mut hits = Vec::new();
    for (ri, r) in scope.rels.iter().enumerate() {
        for (ci, c) in r.columns.iter().enumerate() {
            if c.name == name {
                hits.push((ri, ci));
            }
        }
    }
    match hits.as_slice() {
        [] => Found::None,
        [(r, c)] => Found::One(scope.column_typed(*r, *c)),
        _ => Found::Ambiguous,
    }
}

impl Analyzer<'_> {
    /// Resolves `col`, `rel.col` (and `public.rel.col`).
    pub fn resolve_column(
        &mut self,
        scope: &Scope,
        parts: &[Ident],
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        let names: Vec<String> = parts.iter().map(ident_name).collect();
        let (rel_name, col) = match names.as_slice() {
            [c] => (None, c.clone()),
            [r, c] => (Some(r.clone()), c.clone()),
            [s, r, c] if s == "public" || self.schema_relation_in_scope(scope, s, r) => {
                (Some(r.clone()), c.clone())
            }
            _ => return Err(self.unsupported(format!("the reference `{}`", names.join(".")), span)),
        };
        let mut current = Some(scope);
        while let Some(s) = current {
            if let Some(found) = self.column_in(s, rel_name.as_deref(), &col, span) {
                return found;
            }
            current = s.parent;
        }
        if rel_name.is_none() {
            if let Some(found) = self.whole_row(scope, &col, span) {
                return found;
            }
        }
        // In a SQL function's body, a name no column takes is an argument (`x`, or
        // `function_name.x`).
        if let Some(r) = &self.routine {
            if rel_name.is_none() || rel_name.as_deref() == Some(r.name.as_str()) {
                if let Some(i) = r
                    .args
                    .iter()
                    .position(|(n, _)| n.as_deref() == Some(col.as_str()))
                {
                    return Ok(Typed {
                        ty: Some(r.args[i].1.clone()),
                        nullable: true,
                        origin: Origin::Param(i),
                    });
                }
            }
        }
        self.column_not_found(scope, rel_name, col, span)
    }

    /// Whether `schema.rel` is a relation the query reads (`s.t.col` names its column).
    fn schema_relation_in_scope(&self, scope: &Scope, schema: &str, rel: &str) -> bool {
        let key = format!("{schema}.{rel}");
        let mut current = Some(scope);
        while let Some(s) = current {
            if s.rels.iter().any(|r| {
                r.name == rel
                    && (r.table.as_deref() == Some(&key) || r.row_type.as_deref() == Some(&key))
            }) {
                return true;
            }
            current = s.parent;
        }
        false
    }

    /// A bare relation name where a value goes (`to_jsonb(t)`, `row_to_json(u)`): the whole
    /// row, of the relation's composite type (`record` for subqueries), NULL only on the
    /// outer side of a join. PostgreSQL tries this after every column of that name.
    fn whole_row(
        &mut self,
        scope: &Scope,
        name: &str,
        span: Span,
    ) -> Option<Result<Typed, Diagnostic>> {
        let mut current = Some(scope);
        while let Some(s) = current {
            if let Some(ri) = s.rels.iter().position(|r| r.name == name) {
                let r = &s.rels[ri];
                let grouped = self
                    .levels
                    .iter()
                    .rev()
                    .find(|l| l.grouping.as_ref().is_some_and(|g| g.scope_id == s.id))
                    .filter(|l| l.in_aggregate == 0 && l.grouped_expr == 0)
                    .and_then(|l| l.grouping.as_ref());
                if grouped.is_some_and(|g| !g.dependent_rels.contains(&ri)) {
                    return Some(Err(self
                        .error(Code::Grouping, format!("column `{name}.*` must appear in the GROUP BY clause or be used in an aggregate function"), span)
                        .with_help(format!("group by `{name}`'s primary key, or aggregate the row"))));
                }
                let ty = match (&r.row_type, r.scalar, r.columns.as_slice()) {
                    (_, true, [only]) => only.ty.clone(),
                    (Some(t), _, _) => SqlType::composite(t),
                    (None, _, _) => SqlType::builtin(Builtin::Record),
                };
                let value_nullable = r.scalar && r.columns.iter().any(|c| c.nullable);
                return Some(Ok(Typed {
                    ty: Some(ty),
                    nullable: r.outer || value_nullable,
                    origin: Origin::Value,
                }));
            }
            current = s.parent;
        }
        None
    }

    /// The column in one scope (not its parents): `Some` when found there or when the
    /// reference is wrong there, `None` to look further out.
    fn column_in(
        &mut self,
        s: &Scope,
        rel_name: Option<&str>,
        col: &str,
        span: Span,
    ) -> Option<Result<Typed, Diagnostic>> {
        let Some(rn) = rel_name else {
            return match find_unqualified(s, col) {
                Found::One(t) => Some(self.check_grouping(s, t, col, span)),
                Found::Ambiguous => Some(Err(self
                    .error(
                        Code::AmbiguousColumn,
                        format!("column reference `{col}` is ambiguous"),
                        span,
                    )
                    .with_help(format!(
                        "qualify it: {}",
                        s.rels
                            .iter()
                            .filter(|r| r.columns.iter().any(|c| c.name == col))
                            .map(|r| format!("`{}.{col}`", r.name))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    )))),
                Found::None => None,
            };
        };
        if let Some(ri) = s.rels.iter().position(|r| r.name == rn) {
            let r = &s.rels[ri];
            return Some(match r.columns.iter().position(|c| c.name == col) {
                Some(ci) => {
                    let t = s.column_typed(ri, ci);
                    self.check_grouping(s, t, col, span)
                }
                None if r.table.is_some()
                    && crate::policies::cockroach::SYSTEM_COLUMNS.contains(&col) =>
                {
                    self.system_column(col, span)
                }
                None => Err(self.unknown_column_in(
                    &r.name,
                    r.columns.iter().map(|c| c.name.as_str()),
                    col,
                    span,
                )),
            });
        }
        // A table this scope reads under an alias does not answer to its own name; an outer
        // scope may still hold the name (PostgreSQL reports the alias only when none does).
        None
    }

    /// The error for a reference no scope resolves: the relation or the column is unknown.
    fn column_not_found(
        &mut self,
        scope: &Scope,
        rel_name: Option<String>,
        col: String,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        match rel_name {
            Some(rn) => {
                let mut outward = Some(scope);
                while let Some(s) = outward {
                    if let Some(aliased) = s
                        .rels
                        .iter()
                        .find(|r| r.aliased && r.table.as_deref() == Some(rn.as_str()))
                    {
                        return Err(self
                            .error(
                                Code::UnknownTable,
                                format!("invalid reference to FROM-clause entry for table `{rn}`"),
                                span,
                            )
                            .with_help(format!(
                                "the table is aliased: write `{}.{col}`",
                                aliased.name
                            )));
                    }
                    outward = s.parent;
                }
                let names: Vec<String> = all_rel_names(scope);
                Err(self
                    .error(
                        Code::UnknownTable,
                        format!("missing FROM-clause entry for table `{rn}`"),
                        span,
                    )
                    .with_help(suggest::did_you_mean(
                        &rn,
                        names.iter().map(String::as_str),
                        || format!("add `{rn}` to FROM, or use one of the query's relations"),
                    )))
            }
            None if crate::policies::cockroach::SYSTEM_COLUMNS.contains(&col.as_str())
                && scope.rels.len() == 1
                && scope.rels[0].table.is_some() =>
            {
                self.system_column(&col, span)
            }
            None => {
                let cols: Vec<String> = all_column_names(scope);
                let relations = scope
                    .rels
                    .iter()
                    .map(|r| format!("`{}`", r.name))
                    .collect::<Vec<_>>()
                    .join(", ");
                Err(self
                    .error(Code::UnknownColumn, format!("unknown column `{col}`"), span)
                    .with_help(suggest::did_you_mean(
                        &col,
                        cols.iter().map(String::as_str),
                        || {
                            if relations.is_empty() {
                                "the query reads no table".to_string()
                            } else {
                                format!("no relation of the query ({relations}) has it")
                            }
                        },
                    )))
            }
        }
    }

    /// `xmin`, `ctid`, …: PostgreSQL's system columns, which CockroachDB lacks.
    fn system_column(&self, col: &str, span: Span) -> Result<Typed, Diagnostic> {
        if let Some(e) = self.crdb_error(
            CrdbRule::SystemColumns,
            &format!("system column `{col}`"),
            span,
        ) {
            return Err(e);
        }
        let ty = match col {
            "xmin" | "xmax" => Builtin::Xid,
            "cmin" | "cmax" => Builtin::Cid,
            "ctid" => Builtin::Tid,
            _ => Builtin::Oid,
        };
        Ok(Typed {
            ty: Some(SqlType::builtin(ty)),
            nullable: false,
            origin: Origin::Value,
        })
    }

    pub fn unknown_column_in<'c>(
        &self,
        rel: &str,
        columns: impl Iterator<Item = &'c str>,
        col: &str,
        span: Span,
    ) -> Diagnostic {
        let cols: Vec<&str> = columns.collect();
        self.error(
            Code::UnknownColumn,
            format!("unknown column `{col}` in `{rel}`"),
            span,
        )
        .with_help(suggest::did_you_mean(col, cols.iter().copied(), || {
            format!(
                "`{rel}` has columns {}",
                cols.iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }))
    }

    /// In an aggregated query, a column outside aggregates must be grouped (or depend on a
    /// grouped primary key).
    pub(crate) fn check_grouping(
        &mut self,
        scope: &Scope,
        t: Typed,
        col: &str,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        // The level that owns the column's scope decides (an outer query's grouping also
        // binds its columns used inside a subquery).
        let Some(level) = self
            .levels
            .iter()
            .rev()
            .find(|l| l.grouping.as_ref().is_some_and(|g| g.scope_id == scope.id))
        else {
            return Ok(t);
        };
        let g = level.grouping.as_ref().unwrap();
        if level.in_aggregate > 0 || level.grouped_expr > 0 {
            return Ok(t);
        }
        let ok = match &t.origin {
            Origin::Column(id) => g.columns.contains(id) || g.dependent_rels.contains(&id.rel),
            // A USING column is grouped when any of its sources is.
            _ => scope
                .merged
                .iter()
                .find(|m| m.name == col)
                .is_some_and(|m| {
                    m.sources.iter().any(|&(r, c)| {
                        g.columns.contains(&scope.column_id(r, c))
                            || g.exprs.contains(&col.to_string())
                    })
                }),
        };
        if ok {
            Ok(t)
        } else {
            Err(self
                .error(Code::Grouping, format!("column `{col}` must appear in the GROUP BY clause or be used in an aggregate function"), span)
                .with_help(format!("add `{col}` to GROUP BY, or aggregate it (e.g. `max({col})`)")))
        }
    }
}

fn all_rel_names(scope: &Scope) -> Vec<String> {
    let mut out = Vec::new();
    let mut s = Some(scope);
    while let Some(x) = s {
        out.extend(x.rels.iter().map(|r| r.name.clone()));
        s = x.parent;
    }
    out
}

fn all_column_names(scope: &Scope) -> Vec<String> {
    let mut out = Vec::new();
    let mut s = Some(scope);
    while let Some(x) = s {
        out.extend(
            x.rels
                .iter()
                .flat_map(|r| r.columns.iter().map(|c| c.name.clone())),
        );
        s = x.parent;
    }
    out
}
