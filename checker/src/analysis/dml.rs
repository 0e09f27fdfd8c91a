//! INSERT, UPDATE and DELETE: target columns, assignment conversions, ON CONFLICT, FROM /
//! USING, RETURNING.

use sqlparser::ast::{
    AssignmentTarget, ConflictTarget, Delete, Expr, FromTable, Insert, InsertOverriding,
    OnConflictAction, OnInsert, SelectItem, SetExpr, Spanned, TableFactor, TableObject, Update,
    UpdateTableFromKind,
};
use sqlparser::tokenizer::Span;

use super::literals::check_literal;
use super::ops::plain;
use super::scope::{Col, Rel, Scope};
use super::{Analyzer, Origin, OutputColumn, Typed};
use crate::catalog::types::assignment_castable;
use crate::catalog::{
    ident_name, CastContext, Column, ConstraintKind, Identity, RelationKind, Table,
};
use crate::diagnostic::{Code, Diagnostic};

fn is_default(e: &Expr) -> bool {
    matches!(e, Expr::Identifier(i) if i.quote_style.is_none() && i.value.eq_ignore_ascii_case("default"))
}

impl Analyzer<'_> {
    fn target_table(
        &self,
        name: &sqlparser::ast::ObjectName,
        span: Span,
    ) -> Result<&Table, Diagnostic> {
        let Some(n) = crate::catalog::object_key(name) else {
            return Err(self.unsupported(format!("the relation `{name}`"), span));
        };
        if let Some((schema, rel, Some(_))) = crate::builtins::system_catalog::for_key(&n) {
            return Err(self
                .error(
                    Code::UnknownTable,
                    format!("`{schema}.{rel}` is PostgreSQL's own catalog, which checked queries only read"),
                    span,
                )
                .with_help("PostgreSQL changes its catalogs itself through DDL; write to this service's tables"));
        }
        match self.catalog.relation_kind(&n) {
            Some(RelationKind::Table) => Ok(self.catalog.table(&n).unwrap()),
            Some(RelationKind::View) => {
                Err(self.unsupported(format!("writing through view `{n}`"), span))
            }
            Some(RelationKind::MaterializedView) => Err(self
                .error(
                    Code::UnknownTable,
                    format!("cannot change materialized view `{n}`"),
                    span,
                )
                .with_help("a materialized view is written by REFRESH MATERIALIZED VIEW")),
            Some(other) => Err(self
                .error(
                    Code::UnknownTable,
                    format!("`{n}` is a {}, not a table", other.noun()),
                    span,
                )
                .with_help("write to a table")),
            None if self.env.foreign.contains_key(&n) => {
                Err(self.foreign("table", &n, span).unwrap())
            }
            None => {
                let candidates: Vec<&str> = self
                    .catalog
                    .tables
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect();
                Err(self
                    .error(Code::UnknownTable, format!("unknown table `{n}`"), span)
                    .with_help(crate::suggest::missing_table(&n, candidates, || {
                        "no table of that name exists in this service's schema".to_string()
                    })))
            }
        }
    }

    fn table_rel(table: &Table, alias: Option<String>) -> Rel {
        Rel {
            name: alias
                .clone()
                .unwrap_or_else(|| crate::catalog::split_key(&table.name).1.to_string()),
            table: Some(table.name.clone()),
            aliased: alias.is_some(),
            columns: table
                .columns
                .iter()
                .map(|c| Col {
                    name: c.name.clone(),
                    ty: plain(&c.ty),
                    nullable: !c.not_null,
                })
                .collect(),
            outer: false,
            row_type: Some(table.name.clone()),
            scalar: false,
        }
    }

    /// A value stored into `col`: PostgreSQL's assignment conversion.
    fn assign(
        &mut self,
        v: &Typed,
        table: &str,
        col: &Column,
        span: Span,
    ) -> Result<(), Diagnostic> {
        match &v.origin {
            Origin::Error | Origin::Null => Ok(()),
            Origin::Param(i) if v.ty.is_none() => self.set_param(*i, &col.ty, span),
            Origin::Row(fields) if col.ty.composite_name().is_some() && !col.ty.array => {
                self.coerce_row(fields, &col.ty, assignment_castable, span)
            }
            Origin::Literal(text) => check_literal(self.catalog, &col.ty, text).map_err(|e| self.error(Code::InvalidLiteral, e.message, span).with_help(e.help)),
            _ => match &v.ty {
                Some(t) if self.castable(t, &col.ty, CastContext::Assignment) => Ok(()),
                Some(t) => Err(self
                    .error(Code::TypeMismatch, format!("column `{}` of table `{table}` is of type {} but expression is of type {t}", col.name, col.ty), span)
                    .with_help(format!("rewrite or cast the expression: `::{}`", col.ty.with_modifiers()))),
                None => Ok(()),
            },
        }
    }

    fn writable(
        &self,
        table: &Table,
        col: &Column,
        span: Span,
        insert: bool,
    ) -> Result<(), Diagnostic> {
        let what = if insert {
            "cannot insert a non-DEFAULT value into"
        } else {
            "cannot update"
        };
        if col.identity == Some(Identity::Always) {
            return Err(self
                .error(
                    Code::GeneratedColumnWrite,
                    format!(
                        "{what} column `{}`: it is GENERATED ALWAYS AS IDENTITY",
                        col.name
                    ),
                    span,
                )
                .with_help(if insert {
                    "leave the column out and let the identity generate it"
                } else {
                    "identity values are not updated"
                }));
        }
        if col.generated.is_some() {
            return Err(self
                .error(
                    Code::GeneratedColumnWrite,
                    format!(
                        "{what} column `{}` of table `{}`: it is a generated column",
                        col.name, table.name
                    ),
                    span,
                )
                .with_help("a generated column computes its value; leave it out"));
        }
        Ok(())
    }

    fn returning(
        &mut self,
        items: &[SelectItem],
        scope: &Scope,
    ) -> Result<Vec<OutputColumn>, Diagnostic> {
        let mut cols = Vec::new();
        for item in items {
            match item {
                SelectItem::UnnamedExpr(e) => {
                    let v = self.expr(e, scope)?;
                    let name = super::colname::column_name(e, &|_| None)
                        .unwrap_or_else(|| "?column?".to_string());
                    cols.push(super::query::Column {
                        name,
                        value: v,
                        span: e.span(),
                    });
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    let v = self.expr(expr, scope)?;
                    cols.push(super::query::Column {
                        name: ident_name(alias),
                        value: v,
                        span: expr.span(),
                    });
                }
                SelectItem::Wildcard(_) => {
                    for ri in 0..scope.rels.len() {
                        for (ci, c) in scope.rels[ri].columns.iter().enumerate() {
                            cols.push(super::query::Column {
                                name: c.name.clone(),
                                value: scope.column_typed(ri, ci),
                                span: item.span(),
                            });
                        }
                    }
                }
                SelectItem::QualifiedWildcard(
                    sqlparser::ast::SelectItemQualifiedWildcardKind::ObjectName(name),
                    _,
                ) => {
                    let ri = self.wildcard_rel(
                        scope,
                        name,
                        item.span(),
                        "qualify with the statement's table or a relation of its FROM/USING",
                    )?;
                    self.expand_rel(scope, ri, None, item.span(), &mut cols)?;
                }
                other => return Err(self.unsupported("this RETURNING item", other.span())),
            }
        }
        self.int_width_warnings(scope, &cols);
        self.record_provenance(scope, &cols, &[]);
        Ok(self.settle_columns(cols))
    }

    pub fn insert(&mut self, i: &Insert) -> Result<Vec<OutputColumn>, Diagnostic> {
        let span = i.span();
        if i.or.is_some()
            || i.ignore
            || i.replace_into
            || i.overwrite
            || i.partitioned.is_some()
            || !i.after_columns.is_empty()
            || i.priority.is_some()
            || i.insert_alias.is_some()
            || i.settings.is_some()
            || i.format_clause.is_some()
            || !i.assignments.is_empty()
            || i.output.is_some()
            || i.by_name
            || i.multi_table_insert_type.is_some()
        {
            return Err(self.unsupported("this INSERT form", span));
        }
        let TableObject::TableName(name) = &i.table else {
            return Err(self.unsupported("INSERT into a table function", span));
        };
        let table = self.target_table(name, name.span())?.clone();
        let targets = self.insert_targets(&table, &i.columns, name.span())?;
        let overriding = i
            .overriding
            .as_ref()
            .is_some_and(|o| matches!(o, InsertOverriding::System));
        if let Some(q) = i.source.as_deref() {
            self.insert_source(q, &table, &targets, overriding, span)?;
        }
        if i.source.is_some() {
            self.leaves_out_not_null(&table, &targets, name.span())?;
        }
        let alias = i.table_alias.as_ref().map(|a| ident_name(&a.alias));
        let mut scope = Scope::new(self.new_scope_id(), None);
        scope.rels.push(Self::table_rel(&table, alias));
        if let Some(on) = &i.on {
            self.on_conflict(on, &table, &scope)?;
        }
        match &i.returning {
            Some(items) => self.returning(items, &scope),
            None => Ok(Vec::new()),
        }
    }

    /// The columns an INSERT writes: its column list (each once, each existing), or every
    /// column of the table in order.
    fn insert_targets(
        &self,
        table: &Table,
        columns: &[sqlparser::ast::ObjectName],
        table_span: Span,
    ) -> Result<Vec<(Column, Span)>, Diagnostic> {
        let mut targets: Vec<(Column, Span)> = Vec::new();
        if columns.is_empty() {
            targets = table
                .columns
                .iter()
                .map(|c| (c.clone(), table_span))
                .collect();
        } else {
            for c in columns {
                let cname =
                    c.0.last()
                        .and_then(|p| p.as_ident())
                        .map(ident_name)
                        .unwrap_or_default();
                let Some(col) = table.column(&cname) else {
                    return Err(self.unknown_column_in(
                        &table.name,
                        table.columns.iter().map(|c| c.name.as_str()),
                        &cname,
                        c.span(),
                    ));
                };
                if targets.iter().any(|(t, _)| t.name == cname) {
                    return Err(self
                        .error(
                            Code::DuplicateObject,
                            format!("column `{cname}` specified more than once"),
                            c.span(),
                        )
                        .with_help("list each column once"));
                }
                targets.push((col.clone(), c.span()));
            }
        }
        Ok(targets)
    }

    /// VALUES rows or a query, each value checked against its target column.
    fn insert_source(
        &mut self,
        q: &sqlparser::ast::Query,
        table: &Table,
        targets: &[(Column, Span)],
        overriding: bool,
        span: Span,
    ) -> Result<(), Diagnostic> {
        let empty = Scope::new(self.new_scope_id(), None);
        match q.body.as_ref() {
            SetExpr::Values(values)
                if q.with.is_none() && q.order_by.is_none() && q.limit_clause.is_none() =>
            {
                // PostgreSQL analyses every value before converting any to its column's
                // type, so a parameter's type from its use inside a value wins over
                // the column's (`$1 = 'x'` makes `$1` text before `state = $1` is seen).
                let mut stored = Vec::new();
                for row in &values.rows {
                    let row = &row.content;
                    self.check_arity(
                        row.len(),
                        targets.len(),
                        if row.is_empty() {
                            span
                        } else {
                            row[0].span().union(&row[row.len() - 1].span())
                        },
                    )?;
                    for ((col, _), e) in targets.iter().zip(row) {
                        if is_default(e) {
                            continue;
                        }
                        if !(overriding && col.identity.is_some()) {
                            self.writable(table, col, e.span(), true)?;
                        }
                        stored.push((self.expr(e, &empty)?, col, e.span()));
                    }
                }
                for (v, col, span) in stored {
                    self.assign(&v, &table.name, col, span)?;
                }
            }
            _ => {
                let cols = self.query(q, None)?;
                self.check_arity(cols.len(), targets.len(), q.span())?;
                for ((col, _), c) in targets.iter().zip(&cols) {
                    if !(overriding && col.identity.is_some()) {
                        self.writable(table, col, c.span, true)?;
                    }
                    self.assign(&c.value, &table.name, col, c.span)?;
                }
            }
        }
        Ok(())
    }

    /// PostgreSQL fails every execution of an INSERT that leaves out a NOT NULL column
    /// without a default: the checker refuses it.
    fn leaves_out_not_null(
        &self,
        table: &Table,
        targets: &[(Column, Span)],
        table_span: Span,
    ) -> Result<(), Diagnostic> {
        for c in &table.columns {
            if !self.catalog.insert_may_omit(c) && !targets.iter().any(|(t, _)| t.name == c.name) {
                let what = match (c.not_null, c.ty.domain_name()) {
                    (false, Some(d)) => {
                        format!("of domain `{d}`, which is NOT NULL and gives no default,")
                    }
                    _ => "NOT NULL and has no default,".to_string(),
                };
                return Err(self
                    .error(Code::MissingNotNull, format!("column `{}` of table `{}` is {what} but the INSERT leaves it out", c.name, table.name), table_span)
                    .with_help(format!("add `{}` to the column list (PostgreSQL would fail every execution with a not-null violation)", c.name)));
            }
        }
        Ok(())
    }

    fn check_arity(&self, values: usize, targets: usize, span: Span) -> Result<(), Diagnostic> {
        if values > targets {
            return Err(self
                .error(
                    Code::ColumnCount,
                    "INSERT has more expressions than target columns",
                    span,
                )
                .with_help(format!("the column list names {targets} columns")));
        }
        if values < targets {
            return Err(self
                .error(
                    Code::ColumnCount,
                    "INSERT has more target columns than expressions",
                    span,
                )
                .with_help(format!("give a value for each of the {targets} columns")));
        }
        Ok(())
    }

    fn on_conflict(
        &mut self,
        on: &OnInsert,
        table: &Table,
        scope: &Scope,
    ) -> Result<(), Diagnostic> {
        let OnInsert::OnConflict(oc) = on else {
            return Err(self.unsupported("ON DUPLICATE KEY", Span::empty()));
        };
        match &oc.conflict_target {
            Some(ConflictTarget::Columns {
                predicate: Some(p), ..
            }) => {
                return Err(self.unsupported("ON CONFLICT with an index predicate", p.span()));
            }
            Some(ConflictTarget::Columns {
                columns: cols,
                predicate: None,
            }) => {
                let names: Vec<String> = cols.iter().map(ident_name).collect();
                for (n, c) in names.iter().zip(cols) {
                    if table.column(n).is_none() {
                        return Err(self.unknown_column_in(
                            &table.name,
                            table.columns.iter().map(|c| c.name.as_str()),
                            n,
                            c.span,
                        ));
                    }
                }
                let found = self.catalog.has_unique_key(&table.name, &names);
                if !found {
                    let span = cols.first().map(|c| c.span).unwrap_or(Span::empty());
                    return Err(self
                        .error(Code::InvalidQuery, "there is no unique or exclusion constraint matching the ON CONFLICT specification", span)
                        .with_help(format!("name the columns of a PRIMARY KEY or UNIQUE constraint of `{}`", table.name)));
                }
            }
            Some(ConflictTarget::OnConstraint(name)) => {
                let n = name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .map(ident_name)
                    .unwrap_or_default();
                if !table.constraints.iter().any(|c| {
                    c.name == n
                        && matches!(
                            c.kind,
                            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
                        )
                }) {
                    return Err(self
                        .error(
                            Code::UnknownConstraint,
                            format!("constraint `{n}` for table `{}` does not exist", table.name),
                            name.span(),
                        )
                        .with_help("name a PRIMARY KEY or UNIQUE constraint of the table"));
                }
            }
            None => {
                if matches!(oc.action, OnConflictAction::DoUpdate(_)) {
                    return Err(self
                        .error(Code::InvalidQuery, "ON CONFLICT DO UPDATE requires inference specification or constraint name", Span::empty())
                        .with_help("write ON CONFLICT (key columns) DO UPDATE …"));
                }
            }
        }
        if let OnConflictAction::DoUpdate(du) = &oc.action {
            let mut s = Scope::new(self.new_scope_id(), None);
            s.rels = scope.rels.clone();
            let mut excluded = Self::table_rel(table, Some("excluded".to_string()));
            excluded.aliased = true;
            s.rels.push(excluded);
            self.assignments(&du.assignments, table, &s)?;
            if let Some(w) = &du.selection {
                self.condition(w, &s, "WHERE")?;
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_lines)]
    fn assignments(
        &mut self,
        assignments: &[sqlparser::ast::Assignment],
        table: &Table,
        scope: &Scope,
    ) -> Result<(), Diagnostic> {
        let mut seen: Vec<String> = Vec::new();
        let mut assigned_parts: Vec<String> = Vec::new();
        // As for INSERT: every value is analysed before any is converted to its column.
        let mut stored = Vec::new();
        for a in assignments {
            // `SET (a, b) = (x, y)` and `= (SELECT x, y …)` assign column by column.
            let targets: Vec<(&sqlparser::ast::ObjectName, Source)> = match &a.target {
                AssignmentTarget::ColumnName(name) => vec![(name, Source::Expr(&a.value))],
                AssignmentTarget::Tuple(names) => {
                    let sources: Vec<Source> = match super::expr::strip(&a.value) {
                        Expr::Tuple(items) => items.iter().map(Source::Expr).collect(),
                        Expr::Function(f) if f.name.to_string().eq_ignore_ascii_case("row") => match &f.args {
                            sqlparser::ast::FunctionArguments::List(l) => {
                                let args: Vec<&sqlparser::ast::FunctionArg> = l.args.iter().collect();
                                self.plain_args(&args, "row", a.span())?.into_iter().map(Source::Expr).collect()
                            }
                            _ => Vec::new(),
                        },
                        Expr::Subquery(q) => {
                            let cols = self.subquery(q.as_ref(), scope)?;
                            cols.into_iter().map(|c| Source::Value(Typed::known(c.ty, true))).collect()
                        }
                        _ => {
                            return Err(self
                                .error(Code::InvalidQuery, "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression", a.value.span())
                                .with_help("write `SET (a, b) = (x, y)` or `= (SELECT x, y …)`"))
                        }
                    };
                    if sources.len() != names.len() {
                        let which = if sources.len() > names.len() {
                            "more expressions than target columns"
                        } else {
                            "more target columns than expressions"
                        };
                        return Err(self
                            .error(
                                Code::ColumnCount,
                                format!(
                                    "number of columns does not match number of values: {which}"
                                ),
                                a.span(),
                            )
                            .with_help("give one value per column"));
                    }
                    names.iter().zip(sources).collect()
                }
            };
            for (name, source) in targets {
                let parts: Vec<String> = name
                    .0
                    .iter()
                    .filter_map(|p| p.as_ident())
                    .map(ident_name)
                    .collect();
                let [cname] = parts.as_slice() else {
                    return Err(self
                        .error(
                            Code::UnknownColumn,
                            format!(
                                "column `{}` of relation `{}` does not exist",
                                parts.join("."),
                                table.name
                            ),
                            name.span(),
                        )
                        .with_help("SET takes bare column names: write `SET col = …`"));
                };
                let Some(col) = table.column(cname) else {
                    return Err(self.unknown_column_in(
                        &table.name,
                        table.columns.iter().map(|c| c.name.as_str()),
                        cname,
                        name.span(),
                    ));
                };
                let twice = self
                    .error(
                        Code::InvalidQuery,
                        format!("multiple assignments to same column `{cname}`"),
                        name.span(),
                    )
                    .with_help("assign each column once (parts of it, `col[i]`, may be assigned several times)");
                // `SET a[1] = x, a[2] = y` assigns parts of one column, as PostgreSQL allows;
                // not beside an assignment of the whole column.
                if let Source::Expr(e) = &source {
                    if let Some((subscripts, value)) = subscripted(e) {
                        if seen.contains(cname) {
                            return Err(twice);
                        }
                        assigned_parts.push(cname.clone());
                        self.writable(table, col, name.span(), false)?;
                        let ty = self.subscript_target(col, &subscripts, scope, name.span())?;
                        let part = Column {
                            ty,
                            not_null: false,
                            ..col.clone()
                        };
                        stored.push((
                            self.expr(value, scope)?,
                            std::borrow::Cow::Owned(part),
                            value.span(),
                        ));
                        continue;
                    }
                }
                if seen.contains(cname) || assigned_parts.contains(cname) {
                    return Err(twice);
                }
                seen.push(cname.clone());
                match source {
                    Source::Expr(e) if is_default(e) => continue,
                    Source::Expr(e) => {
                        self.writable(table, col, name.span(), false)?;
                        stored.push((
                            self.expr(e, scope)?,
                            std::borrow::Cow::Borrowed(col),
                            e.span(),
                        ));
                    }
                    Source::Value(v) => {
                        self.writable(table, col, name.span(), false)?;
                        stored.push((v, std::borrow::Cow::Borrowed(col), a.value.span()));
                    }
                }
            }
        }
        for (v, col, span) in stored {
            self.assign(&v, &table.name, &col, span)?;
        }
        Ok(())
    }

    /// The type an assignment to `col[subscripts]` stores: an element of an array (a slice
    /// stores an array), or jsonb for jsonb's `data['key']`. Subscripts are integers (jsonb:
    /// text or integer).
    fn subscript_target(
        &mut self,
        col: &Column,
        subscripts: &[Sub<'_>],
        scope: &Scope,
        span: Span,
    ) -> Result<crate::catalog::SqlType, Diagnostic> {
        use crate::catalog::types::Builtin;
        let int = crate::catalog::SqlType::builtin(Builtin::Integer);
        if col.ty.is_array() {
            for s in subscripts {
                for b in s.bounds() {
                    let t = self.expr(b, scope)?;
                    self.coerce(&t, &int, b.span())?;
                }
            }
            return Ok(if subscripts.iter().any(|s| matches!(s, Sub::Slice(..))) {
                col.ty.base_type().clone()
            } else {
                super::ops::element_of(&col.ty).expect("an array")
            });
        }
        if col.ty.is(Builtin::Jsonb) {
            for s in subscripts {
                let Sub::Index(e) = s else {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            "jsonb subscript does not support slices",
                            span,
                        )
                        .with_sqlstate("42804")
                        .with_help("assign one key or index at a time: `SET data['key'] = …`"));
                };
                let t = self.expr(e, scope)?;
                match &t.ty {
                    None => self.coerce(
                        &t,
                        &crate::catalog::SqlType::builtin(Builtin::Text),
                        e.span(),
                    )?,
                    Some(x) if x.is(Builtin::Text) || x.is(Builtin::Varchar) || x.is_integer() => {}
                    Some(x) => {
                        return Err(self
                            .error(
                                Code::TypeMismatch,
                                format!("subscript type {x} is not supported"),
                                e.span(),
                            )
                            .with_sqlstate("42804")
                            .with_help("jsonb subscripts are text keys or integer positions"))
                    }
                }
            }
            return Ok(col.ty.clone());
        }
        Err(self
            .error(
                Code::TypeMismatch,
                format!(
                    "cannot subscript type {} because it does not support subscripting",
                    col.ty
                ),
                span,
            )
            .with_sqlstate("42804")
            .with_help("only arrays and jsonb columns take `SET col[…] = …`"))
    }

    pub fn update(&mut self, u: &Update) -> Result<Vec<OutputColumn>, Diagnostic> {
        let span = u.span();
        if u.on_cluster.is_some()
            || u.output.is_some()
            || u.or.is_some()
            || !u.order_by.is_empty()
            || u.limit.is_some()
            || u.settings.is_some()
            || !u.table.joins.is_empty()
        {
            return Err(self.unsupported("this UPDATE form", span));
        }
        let TableFactor::Table { name, alias, .. } = &u.table.relation else {
            return Err(self.unsupported("UPDATE of this target", span));
        };
        let table = self.target_table(name, name.span())?.clone();
        let mut scope = Scope::new(self.new_scope_id(), None);
        scope.rels.push(Self::table_rel(
            &table,
            alias.as_ref().map(|a| ident_name(&a.name)),
        ));
        match &u.from {
            None => {}
            Some(UpdateTableFromKind::AfterSet(items)) => {
                for item in items {
                    self.add_from_item(item, &mut scope, None)?;
                }
            }
            Some(UpdateTableFromKind::BeforeSet(_)) => {
                return Err(self.unsupported("UPDATE … FROM before SET", span))
            }
        }
        self.assignments(&u.assignments, &table, &scope)?;
        if let Some(w) = &u.selection {
            self.condition(w, &scope, "WHERE")?;
        }
        match &u.returning {
            Some(items) => self.returning(items, &scope),
            None => Ok(Vec::new()),
        }
    }

    pub fn delete(&mut self, d: &Delete) -> Result<Vec<OutputColumn>, Diagnostic> {
        let span = d.span();
        if !d.tables.is_empty()
            || d.on_cluster.is_some()
            || d.output.is_some()
            || !d.order_by.is_empty()
            || d.limit.is_some()
            || d.settings.is_some()
        {
            return Err(self.unsupported("this DELETE form", span));
        }
        let from = match &d.from {
            FromTable::WithFromKeyword(f) | FromTable::WithoutKeyword(f) => f,
        };
        let [target] = from.as_slice() else {
            return Err(self.unsupported("DELETE from several tables", span));
        };
        if !target.joins.is_empty() {
            return Err(self.unsupported("DELETE with joins (use USING)", span));
        }
        let TableFactor::Table { name, alias, .. } = &target.relation else {
            return Err(self.unsupported("DELETE of this target", span));
        };
        let table = self.target_table(name, name.span())?.clone();
        let mut scope = Scope::new(self.new_scope_id(), None);
        scope.rels.push(Self::table_rel(
            &table,
            alias.as_ref().map(|a| ident_name(&a.name)),
        ));
        for item in d.using.iter().flatten() {
            self.add_from_item(item, &mut scope, None)?;
        }
        if let Some(w) = &d.selection {
            self.condition(w, &scope, "WHERE")?;
        }
        match &d.returning {
            Some(items) => self.returning(items, &scope),
            None => Ok(Vec::new()),
        }
    }
}

/// Where an assigned value comes from: an expression of the SET list, or a column of a
/// multiple-column assignment's sub-SELECT.
enum Source<'e> {
    Expr(&'e Expr),
    Value(Typed),
}

/// One subscript of a `SET col[…] = v` target.
enum Sub<'e> {
    Index(&'e Expr),
    Slice(&'e Expr, &'e Expr),
}

impl<'e> Sub<'e> {
    fn bounds(&self) -> Vec<&'e Expr> {
        match self {
            Sub::Index(e) => vec![e],
            Sub::Slice(lo, hi) => vec![lo, hi],
        }
    }
}

/// The plain arguments of a call named `name`.
fn call_args<'e>(e: &'e Expr, name: &str) -> Option<Vec<&'e Expr>> {
    let Expr::Function(f) = e else { return None };
    if !f.name.to_string().eq_ignore_ascii_case(name) {
        return None;
    }
    let sqlparser::ast::FunctionArguments::List(list) = &f.args else {
        return None;
    };
    list.args
        .iter()
        .map(|a| match a {
            sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(x)) => {
                Some(x)
            }
            _ => None,
        })
        .collect()
}

/// The subscripts and value of a `SET col[…] = v` the statement's tokens were rewritten
/// into (see `crate::subscript_assignment`).
fn subscripted(e: &Expr) -> Option<(Vec<Sub<'_>>, &Expr)> {
    use crate::subscript_assignment::{INDEX, MARKER, SLICE};
    let args = call_args(e, MARKER)?;
    let (value, subs) = args.split_last()?;
    let subs = subs
        .iter()
        .map(|s| match (call_args(s, INDEX), call_args(s, SLICE)) {
            (Some(i), _) if i.len() == 1 => Some(Sub::Index(i[0])),
            (_, Some(b)) if b.len() == 2 => Some(Sub::Slice(b[0], b[1])),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some((subs, value))
}
