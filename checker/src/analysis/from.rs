//! FROM: tables, views, CTEs, subqueries and functions as relations, aliases, joins (ON,
//! USING, outer sides) and LATERAL.

use crate::catalog::types::{Builtin, SqlType};

use sqlparser::ast::{
    Join, JoinConstraint, JoinOperator, Spanned, TableAlias, TableFactor, TableWithJoins,
};
use sqlparser::tokenizer::Span;

use super::ops::{common_type, element_of, plain, ty};
use super::query::to_cols;
use super::scope::{Col, Merged, Rel, Scope};
use super::{Analyzer, Level};
use crate::catalog::{ident_name, RelationKind};
use crate::diagnostic::{Code, Diagnostic};

impl Analyzer<'_> {
    pub(crate) fn relation_columns(
        &mut self,
        name: &sqlparser::ast::ObjectName,
        span: Span,
    ) -> Result<(String, Option<String>, Vec<Col>), Diagnostic> {
        let Some(n) = crate::catalog::object_key(name) else {
            return Err(self.unsupported(format!("the relation `{name}`"), span));
        };
        let is_cte = name.0.len() == 1 && self.ctes.iter().any(|c| c.name == n);
        if !is_cte {
            if let Some(cols) = self.system_relation(&n, span)? {
                return Ok((n, None, cols));
            }
        }
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
            Some(RelationKind::View | RelationKind::MaterializedView) => {
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
            // A sequence reads as its one row (`SELECT last_value FROM s`).
            Some(RelationKind::Sequence) => {
                let col = |name: &str, b: Builtin| Col {
                    name: name.to_string(),
                    ty: ty(b),
                    nullable: false,
                };
                let cols = vec![
                    col("last_value", Builtin::BigInt),
                    col("log_cnt", Builtin::BigInt),
                    col("is_called", Builtin::Boolean),
                ];
                Ok((n.clone(), None, cols))
            }
            Some(other) => Err(self
                .error(
                    Code::UnknownTable,
                    format!("`{n}` is a {}, not a table", other.noun()),
                    span,
                )
                .with_help("select from a table, a view or a sequence")),
            None if self.env.foreign.contains_key(&n) => {
                Err(self.foreign("table", &n, span).unwrap())
            }
            None => {
                let mut candidates: Vec<String> =
                    self.catalog.relation_names().map(String::from).collect();
                candidates.extend(self.ctes.iter().map(|c| c.name.clone()));
                Err(self
                    .error(Code::UnknownTable, format!("unknown table `{n}`"), span)
                    .with_help(crate::suggest::missing_table(
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

    /// A relation of PostgreSQL's own schemas, read from the built-in catalog: `key` names
    /// it qualified (`information_schema.columns`), or unqualified when `pg_catalog` has it,
    /// since `pg_catalog` comes first on the search path. `None`: not a system relation.
    fn system_relation(&self, key: &str, span: Span) -> Result<Option<Vec<Col>>, Diagnostic> {
        use crate::builtins::system_catalog::{for_key, ColumnType, Lookup};
        use crate::catalog::types::BaseType;
        let found = match for_key(key) {
            None => return Ok(None),
            Some((_, _, Some(found))) => found,
            Some((schema, name, None)) => {
                return Err(self
                    .error(Code::UnknownTable, format!("unknown table `{key}`"), span)
                    .with_help(format!(
                        "`{schema}` is PostgreSQL's own schema; it has no relation `{name}` in PostgreSQL 15"
                    )))
            }
        };
        let rel = match found {
            Lookup::Relation(rel) => rel,
            Lookup::Unmodeled { column, ty } => {
                return Err(self.unsupported(
                    format!("the relation `{key}`: its column `{column}` has type `{ty}`, which the checker does not model"),
                    span,
                ))
            }
        };
        Ok(Some(
            rel.columns
                .iter()
                .map(|c| Col {
                    name: c.name.to_string(),
                    ty: match c.ty {
                        ColumnType::Builtin { ty: b, array } => SqlType { array, ..ty(b) },
                        ColumnType::Domain {
                            name,
                            base,
                            modifiers,
                        } => SqlType::domain(
                            name,
                            SqlType {
                                base: BaseType::Builtin {
                                    ty: base,
                                    modifiers: modifiers.to_vec(),
                                },
                                array: false,
                            },
                        ),
                    },
                    nullable: !c.not_null,
                })
                .collect(),
        ))
    }

    /// `FROM current_date`: a SQL value function (a reserved word, so never a table) is a
    /// one-row relation of one column named after it, or after the alias.
    fn keyword_function_relation(
        &mut self,
        name: &sqlparser::ast::ObjectName,
        outer: Option<&Scope>,
    ) -> Result<Option<Rel>, Diagnostic> {
        let [part] = name.0.as_slice() else {
            return Ok(None);
        };
        let Some(ident) = part.as_ident().filter(|i| i.quote_style.is_none()) else {
            return Ok(None);
        };
        let fname = ident.value.to_ascii_lowercase();
        if !crate::builtins::functions::KEYWORD_FUNCTIONS.contains(&fname.as_str()) {
            return Ok(None);
        }
        let call = sqlparser::ast::Expr::Function(sqlparser::ast::Function {
            name: name.clone(),
            uses_odbc_syntax: false,
            parameters: sqlparser::ast::FunctionArguments::None,
            args: sqlparser::ast::FunctionArguments::None,
            filter: None,
            null_treatment: None,
            over: None,
            within_group: Vec::new(),
        });
        let none = Scope::new(self.new_scope_id(), outer);
        let t = self.expr(&call, &none)?;
        Ok(Some(Rel {
            name: fname.clone(),
            table: None,
            aliased: false,
            columns: vec![Col {
                name: fname,
                ty: t.ty.map(|x| plain(&x)).unwrap_or_else(|| ty(Builtin::Text)),
                nullable: t.nullable,
            }],
            outer: false,
            row_type: None,
            scalar: true,
        }))
    }

    pub(crate) fn apply_alias(
        &self,
        rel: &mut Rel,
        alias: &Option<TableAlias>,
    ) -> Result<(), Diagnostic> {
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
    pub(crate) fn table_factor(
        &mut self,
        tf: &TableFactor,
        scope: &mut Scope,
        outer: Option<&Scope>,
    ) -> Result<usize, Diagnostic> {
        let span = super::spans::table_factor_span(tf);
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
                sample,
                index_directives,
                ..
            } if with_hints.is_empty() && partitions.is_empty() && index_directives.is_empty() => {
                if let Some(mut rel) = self.keyword_function_relation(name, outer)? {
                    // Like any scalar function in FROM, a bare alias names its column.
                    if let Some(a) = alias.as_ref().filter(|a| a.columns.is_empty()) {
                        rel.columns[0].name = ident_name(&a.name);
                    }
                    self.apply_alias(&mut rel, alias)?;
                    self.add_rel(scope, rel, span)?;
                    return Ok(1);
                }
                let (n, table, columns) = self.relation_columns(name, name.span())?;
                if let Some(sample) = sample {
                    self.table_sample(sample, table.is_some(), outer, span)?;
                }
                let is_cte = name.0.len() == 1 && self.ctes.iter().any(|c| c.name == n);
                // System relations have row types the catalog does not hold: a whole-row
                // reference to one is a `record`.
                let row_type =
                    (!is_cte && self.catalog.relation_kind(&n).is_some()).then(|| n.clone());
                // `FROM s.t` is referred to as `t`.
                let refname = crate::catalog::split_key(&n).1.to_string();
                let mut rel = Rel {
                    name: refname,
                    table,
                    aliased: false,
                    columns,
                    outer: false,
                    row_type,
                    scalar: false,
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
            } => self.derived_table(*lateral, subquery, alias.as_ref(), scope, outer, span),
            TableFactor::UNNEST {
                alias,
                array_exprs,
                with_offset: false,
                with_offset_alias: None,
                with_ordinality,
            } => self.unnest(array_exprs, alias, *with_ordinality, scope, outer, span),
            TableFactor::Table {
                name,
                alias,
                args: Some(args),
                with_hints,
                version: None,
                with_ordinality,
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
                let rel = self.set_returning(
                    name,
                    &args.args,
                    alias,
                    *with_ordinality,
                    scope,
                    outer,
                    span,
                )?;
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

    /// A subquery in FROM: it needs an alias, and sees the FROM items before it only with
    /// LATERAL.
    fn derived_table(
        &mut self,
        lateral: bool,
        subquery: &sqlparser::ast::Query,
        alias: Option<&TableAlias>,
        scope: &mut Scope,
        outer: Option<&Scope>,
        span: Span,
    ) -> Result<usize, Diagnostic> {
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
        let query = |a: &mut Self, parent: Option<&Scope>| {
            a.levels.push(Level::default());
            let r = a.query(subquery, parent);
            a.levels.pop();
            r
        };
        let cols = match lateral {
            true => self.seeing_from_items(scope, outer, |a, s| query(a, Some(s)))?,
            false => query(self, outer)?,
        };
        let cols = to_cols(self, &cols);
        let mut rel = Rel {
            name: String::new(),
            table: None,
            aliased: true,
            columns: cols,
            outer: false,
            row_type: None,
            scalar: false,
        };
        self.apply_alias(&mut rel, &Some(a.clone()))?;
        self.add_rel(scope, rel, span)?;
        Ok(1)
    }

    /// `UNNEST(a, b, …)` in FROM: one column per array, of its element type.
    fn unnest(
        &mut self,
        array_exprs: &[sqlparser::ast::Expr],
        alias: &Option<TableAlias>,
        ordinality: bool,
        scope: &mut Scope,
        outer: Option<&Scope>,
        span: Span,
    ) -> Result<usize, Diagnostic> {
        // Like every function in FROM, unnest sees the FROM items before it (implicit
        // LATERAL): `FROM article, unnest(article.tag_list)`.
        let typed = self.seeing_from_items(scope, outer, |a, s| {
            (array_exprs.iter())
                .map(|e| a.expr(e, s))
                .collect::<Result<Vec<_>, _>>()
        })?;
        let mut cols = Vec::new();
        for (e, t) in array_exprs.iter().zip(typed) {
            let elem = match &t.ty {
                Some(x) if x.is_array() => element_of(x).unwrap(),
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
            row_type: None,
            scalar: false,
        };
        if let Some(a) = alias {
            if a.columns.is_empty() && rel.columns.len() == 1 {
                rel.columns[0].name = ident_name(&a.name);
            }
        }
        with_ordinality(&mut rel, ordinality);
        self.apply_alias(&mut rel, alias)?;
        self.add_rel(scope, rel, span)?;
        Ok(1)
    }

    /// `TABLESAMPLE SYSTEM | BERNOULLI (percent) [REPEATABLE (seed)]` on a table: the
    /// percentage is a `real`, the seed a `double precision`, neither may use the FROM
    /// clause's columns.
    fn table_sample(
        &mut self,
        sample: &sqlparser::ast::TableSampleKind,
        is_table: bool,
        outer: Option<&Scope>,
        span: Span,
    ) -> Result<(), Diagnostic> {
        use sqlparser::ast::{TableSampleKind, TableSampleMethod, TableSampleModifier};
        let (TableSampleKind::AfterTableAlias(ts) | TableSampleKind::BeforeTableAlias(ts)) = sample;
        let method_ok = matches!(
            ts.name,
            Some(TableSampleMethod::System | TableSampleMethod::Bernoulli)
        );
        if ts.modifier != TableSampleModifier::TableSample
            || !method_ok
            || ts.bucket.is_some()
            || ts.offset.is_some()
        {
            return Err(self.unsupported(format!("`{ts}`"), span));
        }
        if !is_table {
            return Err(self
                .error(
                    Code::InvalidQuery,
                    "TABLESAMPLE clause can only be applied to tables and materialized views",
                    span,
                )
                .with_help("sample a table"));
        }
        let Some(quantity) = ts.quantity.as_ref().filter(|q| q.unit.is_none()) else {
            return Err(self.unsupported(format!("`{ts}`"), span));
        };
        let none = Scope::new(self.new_scope_id(), outer);
        let q = self.expr(&quantity.value, &none)?;
        self.coerce(&q, &ty(Builtin::Real), quantity.value.span())?;
        if let Some(seed) = &ts.seed {
            let v = self.value(&seed.value.value, seed.value.span)?;
            self.coerce(&v, &ty(Builtin::Float8), seed.value.span)?;
        }
        Ok(())
    }

    /// A set-returning function in FROM (`generate_series`, `jsonb_array_elements`, …),
    /// which sees the FROM items before it, as PostgreSQL's implicit LATERAL does.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn set_returning(
        &mut self,
        name: &sqlparser::ast::ObjectName,
        args: &[sqlparser::ast::FunctionArg],
        alias: &Option<TableAlias>,
        ordinality: bool,
        scope: &mut Scope,
        outer: Option<&Scope>,
        span: Span,
    ) -> Result<Rel, Diagnostic> {
        let fname = name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map(ident_name)
            .unwrap_or_default();
        let builtin = crate::builtins::functions::SET_RETURNING
            .iter()
            .find(|(n, _)| *n == fname);
        // A set-returning row of pg_proc that the hand-written table does not describe: one
        // column, named after the function, that may be NULL.
        let generated = (builtin.is_none()
            && crate::builtins::functions::generated_set_returning(&fname))
        .then_some(&(
            "",
            crate::builtins::functions::Rows::Scalar {
                column: None,
                nullable: true,
            },
        ));
        let builtin = builtin.or(generated);
        let user = self.catalog.routines_named(&fname).next().is_some();
        let defines_record =
            !user && crate::builtins::functions::COLUMN_DEFINITION_LIST.contains(&fname.as_str());
        if builtin.is_none() && !user && !defines_record {
            return self.scalar_in_from(name, args, alias, ordinality, scope, outer, span);
        }
        let named = args
            .iter()
            .any(|a| !matches!(a, sqlparser::ast::FunctionArg::Unnamed(_)));
        let mut typed = Vec::new();
        let mut spans = Vec::new();
        let mut chosen = None;
        if named && user {
            let refs: Vec<&sqlparser::ast::FunctionArg> = args.iter().collect();
            let (t, routine) =
                self.seeing_from_items(scope, outer, |a, s| a.named_call(&fname, &refs, s, span))?;
            let Some(routine) = routine else {
                return Err(self.unsupported(
                    format!("named arguments to the built-in `{fname}` in FROM"),
                    span,
                ));
            };
            chosen = Some((routine, t));
        } else {
            let mut exprs = Vec::new();
            for a in args {
                let sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(e)) =
                    a
                else {
                    return Err(self.unsupported("named arguments", span));
                };
                exprs.push(e);
                spans.push(super::expr::span_of(e));
            }
            typed = self.seeing_from_items(scope, outer, |a, s| {
                exprs
                    .iter()
                    .map(|e| a.expr(e, s))
                    .collect::<Result<Vec<_>, _>>()
            })?;
        }
        let definition = self.column_definition_list(alias, ordinality, span)?;
        if defines_record {
            self.call_function(&fname, &typed, &spans, span)?;
            return self.defined_record(fname, alias, definition, span);
        }
        let scalar_name = |fallback: &str| match alias {
            Some(a) if a.columns.is_empty() => ident_name(&a.name),
            _ => fallback.to_string(),
        };
        let mut rel = Rel {
            name: fname.clone(),
            table: None,
            aliased: false,
            columns: Vec::new(),
            outer: false,
            row_type: None,
            scalar: false,
        };
        if chosen.is_none() {
            if let Some(routine) = self.user_function(&fname, &typed) {
                let t = self.call_function(&fname, &typed, &spans, span)?;
                chosen = Some((routine, t));
            }
        }
        if let Some((routine, t)) = chosen {
            if let crate::catalog::Returns::Record { .. } = &routine.returns {
                return self.defined_record(fname, alias, definition, span);
            }
            if definition.is_some() {
                return Err(self.definition_list_not_allowed(&fname, span));
            }
            // What a user function returns, as rows: a composite's fields, TABLE (…) or OUT
            // columns, else one column; every value may be NULL.
            let col = |name: String, ty: crate::catalog::SqlType| Col {
                name,
                ty: plain(&ty),
                nullable: true,
            };
            rel.columns = match &routine.returns {
                crate::catalog::Returns::Columns { columns, .. } => columns
                    .iter()
                    .map(|(n, t)| col(n.clone(), t.clone()))
                    .collect(),
                crate::catalog::Returns::Record { .. } => unreachable!("handled above"),
                _ => {
                    let ty = t.ty.unwrap_or_else(|| ty(Builtin::Text));
                    let fields = ty
                        .composite_name()
                        .filter(|_| !ty.array)
                        .and_then(|n| self.catalog.row_fields(n));
                    match fields {
                        Some(fields) => {
                            rel.row_type = ty.composite_name().map(str::to_string);
                            fields.into_iter().map(|(n, t)| col(n, t)).collect()
                        }
                        // A single named OUT argument names the column, before any
                        // alias (PostgreSQL's chooseScalarFunctionAlias).
                        None => {
                            let outs: Vec<&crate::catalog::RoutineArg> = routine
                                .args
                                .iter()
                                .filter(|a| {
                                    matches!(
                                        a.mode,
                                        crate::catalog::ArgMode::Out
                                            | crate::catalog::ArgMode::InOut
                                    )
                                })
                                .collect();
                            let name = match outs.as_slice() {
                                [one] => one.name.clone(),
                                _ => None,
                            };
                            rel.scalar = true;
                            vec![col(name.unwrap_or_else(|| scalar_name(&fname)), ty)]
                        }
                    }
                }
            };
            with_ordinality(&mut rel, ordinality);
            self.apply_alias(&mut rel, alias)?;
            return Ok(rel);
        }
        let Some(&(_, rows)) = builtin else {
            // No function of the service takes these arguments: the call's own error.
            self.call_function(&fname, &typed, &spans, span)?;
            return Err(self.unsupported(format!("the function `{name}` in FROM"), span));
        };
        let t = self.call_function(&fname, &typed, &spans, span)?;
        if definition.is_some() {
            return Err(self.definition_list_not_allowed(&fname, span));
        }
        use crate::builtins::functions::Rows;
        rel.columns = match rows {
            // A function with a named OUT column keeps it; a scalar one takes the alias's
            // name.
            Rows::Scalar { column, nullable } => {
                rel.scalar = true;
                vec![Col {
                    name: column.map_or_else(|| scalar_name(&fname), str::to_string),
                    ty: t.ty.map(|x| plain(&x)).unwrap_or_else(|| ty(Builtin::Text)),
                    nullable,
                }]
            }
            Rows::Columns(columns) => columns
                .iter()
                .map(|&(name, b, nullable)| Col {
                    name: name.to_string(),
                    ty: ty(b),
                    nullable,
                })
                .collect(),
        };
        with_ordinality(&mut rel, ordinality);
        self.apply_alias(&mut rel, alias)?;
        Ok(rel)
    }

    /// A function that returns one value, in FROM (`FROM now() AS t`, `to_tsquery($1) q`,
    /// `NULLIF(a, b) r`): one row of one column, named after the alias or else the function,
    /// typed as the call is in an expression. Aggregates and record results are PostgreSQL's
    /// errors or need a column definition list.
    #[allow(clippy::too_many_arguments)]
    fn scalar_in_from(
        &mut self,
        name: &sqlparser::ast::ObjectName,
        args: &[sqlparser::ast::FunctionArg],
        alias: &Option<TableAlias>,
        ordinality: bool,
        scope: &mut Scope,
        outer: Option<&Scope>,
        span: Span,
    ) -> Result<Rel, Diagnostic> {
        use sqlparser::ast::{Function, FunctionArgumentList, FunctionArguments};
        if super::query::is_aggregate(self.catalog, name) {
            return Err(self
                .error(
                    Code::InvalidQuery,
                    "aggregate functions are not allowed in functions in FROM",
                    span,
                )
                .with_sqlstate("42803")
                .with_help("aggregate in a subquery: `FROM (SELECT count(*) FROM …) AS t`"));
        }
        let call = sqlparser::ast::Expr::Function(Function {
            name: name.clone(),
            uses_odbc_syntax: false,
            parameters: FunctionArguments::None,
            args: FunctionArguments::List(FunctionArgumentList {
                duplicate_treatment: None,
                args: args.to_vec(),
                clauses: Vec::new(),
            }),
            filter: None,
            null_treatment: None,
            over: None,
            within_group: Vec::new(),
        });
        let t = self.seeing_from_items(scope, outer, |a, s| a.expr(&call, s))?;
        let Some(result) =
            t.ty.filter(|r| !r.is(Builtin::Record) && r.composite_name().is_none())
        else {
            return Err(self.unsupported(
                format!("the function `{name}` in FROM (its result type is not known as a row)"),
                span,
            ));
        };
        if self
            .column_definition_list(alias, ordinality, span)?
            .is_some()
        {
            return Err(self.definition_list_not_allowed(&name.to_string(), span));
        }
        let fname = name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map(ident_name)
            .unwrap_or_default();
        let column = match alias {
            Some(a) if a.columns.is_empty() => ident_name(&a.name),
            _ => fname.clone(),
        };
        let mut rel = Rel {
            name: fname,
            table: None,
            aliased: false,
            columns: vec![Col {
                name: column,
                ty: plain(&result),
                nullable: t.nullable,
            }],
            outer: false,
            row_type: None,
            scalar: true,
        };
        with_ordinality(&mut rel, ordinality);
        self.apply_alias(&mut rel, alias)?;
        Ok(rel)
    }

    pub(crate) fn add_rel(
        &self,
        scope: &mut Scope,
        rel: Rel,
        span: Span,
    ) -> Result<(), Diagnostic> {
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

    /// Runs `f` in a scope that sees the FROM items before this one, as LATERAL subqueries
    /// and functions in FROM do. The items move into that scope and back rather than being
    /// copied: a copy per item made a chain of N LATERAL items quadratic.
    fn seeing_from_items<R>(
        &mut self,
        scope: &mut Scope,
        outer: Option<&Scope>,
        f: impl FnOnce(&mut Self, &Scope) -> R,
    ) -> R {
        let mut before = Scope::new(self.new_scope_id(), outer);
        before.rels = std::mem::take(&mut scope.rels);
        before.merged = std::mem::take(&mut scope.merged);
        let r = f(self, &before);
        scope.rels = before.rels;
        scope.merged = before.merged;
        r
    }

    /// One join of a FROM item: the right side's relations join the scope; ON is checked
    /// against this join tree, USING merges columns, outer joins make a side nullable.
    pub(crate) fn join(
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
            JoinOperator::Join(c) | JoinOperator::Inner(c) => (JoinKind::Inner, c),
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (JoinKind::Left, c),
            JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (JoinKind::Right, c),
            JoinOperator::FullOuter(c) => (JoinKind::Full, c),
            JoinOperator::CrossJoin(c) => (JoinKind::Cross, c),
            other => return Err(self.unsupported(format!("the join `{other:?}`"), span)),
        };
        match constraint {
            JoinConstraint::On(cond) => {
                // ON sees the relations of this join tree (and outer queries), nothing else.
                // They move into its scope and back rather than being copied: a chain of N
                // joins copied every earlier relation at every join (quadratic: 20,000
                // joins took minutes).
                let mut local = Scope::new(self.new_scope_id(), outer);
                local.rels = match start {
                    0 => std::mem::take(&mut scope.rels),
                    _ => scope.rels.split_off(start),
                };
                let saved = std::mem::take(self.level());
                let r = self.condition(cond, &local, "JOIN/ON");
                *self.level() = saved;
                match start {
                    0 => scope.rels = local.rels,
                    _ => scope.rels.append(&mut local.rels),
                }
                r?;
            }
            JoinConstraint::Using(names) => {
                let sides = JoinSides { start, left_end };
                for n in names {
                    self.using_column(n, kind, &sides, scope)?;
                }
            }
            JoinConstraint::None if kind == JoinKind::Cross => {}
            // NATURAL: USING every column name both sides have, in the left side's order
            // (none: a cross join).
            JoinConstraint::Natural => {
                // The names the right side has (a few), in the order the left side has
                // them; the search stops once every one is found, so a chain of NATURAL
                // joins, whose names all come from USING columns merged already, does not
                // read every column to its left at every join.
                let mut right_names: Vec<&str> = Vec::new();
                for r in left_end..scope.rels.len() {
                    for c in &scope.rels[r].columns {
                        if !right_names.contains(&c.name.as_str()) {
                            right_names.push(&c.name);
                        }
                    }
                }
                let merged_names = (scope.merged.iter())
                    .filter(|m| m.sources.iter().all(|s| s.0 >= start && s.0 < left_end))
                    .map(|m| m.name.as_str());
                let column_names = (start..left_end)
                    .flat_map(|r| scope.rels[r].columns.iter().map(|c| c.name.as_str()));
                let mut common: Vec<String> = Vec::new();
                for n in merged_names.chain(column_names) {
                    if common.len() == right_names.len() {
                        break;
                    }
                    if right_names.contains(&n) && !common.iter().any(|c| c == n) {
                        common.push(n.to_string());
                    }
                }
                let sides = JoinSides { start, left_end };
                for n in common {
                    let name =
                        sqlparser::ast::ObjectName::from(vec![sqlparser::ast::Ident::with_quote(
                            '"', n,
                        )]);
                    self.using_column(&name, kind, &sides, scope)?;
                }
            }
            _ => {
                return Err(self
                    .error(Code::SyntaxError, "join without ON or USING", span)
                    .with_help("add an ON condition"))
            }
        }
        let outer_side = match kind {
            JoinKind::Left => right,
            JoinKind::Right => start..left_end,
            JoinKind::Full => start..scope.rels.len(),
            JoinKind::Inner | JoinKind::Cross => 0..0,
        };
        outer_side.for_each(|r| scope.rels[r].outer = true);
        Ok(())
    }

    /// One `USING (col)` column: the column both sides have, merged into one of their common
    /// type, nullable as the join kind makes it.
    fn using_column(
        &mut self,
        n: &sqlparser::ast::ObjectName,
        kind: JoinKind,
        sides: &JoinSides,
        scope: &mut Scope,
    ) -> Result<(), Diagnostic> {
        let (start, left_end) = (sides.start, sides.left_end);
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
        // Each side's column of the name: a column merged by a join inside that side (it
        // hides the columns it stands for), else its one column of the name. PostgreSQL's
        // order of complaints: the left side first, ambiguity before absence.
        // A merged entry's sources are in relation order, one per relation: its left
        // side's, then its right side's.
        let side = |rels: std::ops::Range<usize>| {
            let merged = (scope.merged.iter()).position(|m| {
                m.name == col
                    && m.sources.first().is_some_and(|s| s.0 >= rels.start)
                    && m.sources.last().is_some_and(|s| s.0 < rels.end)
            });
            let Some(m) = merged else {
                return match hits(rels).as_slice() {
                    [c] => Ok(Some((*c, None))),
                    [] => Ok(None),
                    _ => Err(()),
                };
            };
            // Another column of the name beside the merged one is ambiguous (`a JOIN b
            // USING (id) JOIN c ON … JOIN d USING (id)`: c's `id`). Only relations the
            // merged column does not cover are read, none in a chain of USING joins.
            let sources = &scope.merged[m].sources;
            let mut covered = sources.iter().map(|s| s.0).peekable();
            let other = sources.len() < rels.len()
                && rels.clone().any(|r| {
                    if covered.next_if_eq(&r).is_some() {
                        return false;
                    }
                    scope.rels[r].columns.iter().any(|c| c.name == col)
                });
            match other {
                true => Err(()),
                false => Ok(Some((sources[0], Some(m)))),
            }
        };
        let pick = |this: &Self, found, which: &str| match found {
            Ok(Some(p)) => Ok(p),
            Ok(None) => Err(this
                .error(
                    Code::UnknownColumn,
                    format!(
                        "column `{col}` specified in USING clause does not exist in {which} table"
                    ),
                    n.span(),
                )
                .with_help("USING joins on a column both sides have")),
            Err(()) => Err(this
                .error(
                    Code::AmbiguousColumn,
                    format!("common column name `{col}` appears more than once in {which} table"),
                    n.span(),
                )
                .with_help("use ON with qualified columns instead")),
        };
        let (l, merged_left) = pick(self, side(start..left_end), "left")?;
        let (r, merged_right) = pick(self, side(left_end..scope.rels.len()), "right")?;
        // A merged side's type and nullability are the merged column's (a FULL join's
        // COALESCE); narrowing is not counted, which can only make it nullable.
        let typed = |c: (usize, usize), m: Option<usize>| match m {
            Some(m) => (scope.merged[m].ty.clone(), scope.merged[m].nullable),
            None => (
                scope.rels[c.0].columns[c.1].ty.clone(),
                // The side as this join found it: merging changes no column, and the join
                // makes a side nullable only after its USING columns are merged.
                scope.column_nullable(c.0, c.1),
            ),
        };
        let ((lt, ln), (rt, rn)) = (typed(l, merged_left), typed(r, merged_right));
        let Some(t) = common_type(&lt, &rt) else {
            return Err(self
                .error(
                    Code::TypeMismatch,
                    format!("JOIN/USING types {lt} and {rt} cannot be matched"),
                    n.span(),
                )
                .with_help("join on columns of the same type"));
        };
        let nullable = match kind {
            JoinKind::Inner => false,
            JoinKind::Left => ln,
            JoinKind::Right => rn,
            JoinKind::Full | JoinKind::Cross => ln || rn,
        };
        let var = |c: (usize, usize), m: Option<usize>| match m {
            Some(m) => scope.merged[m].same_as,
            None => Some(c),
        };
        let same_as = match kind {
            JoinKind::Inner | JoinKind::Left => {
                var(l, merged_left).filter(|_| plain(&lt) == plain(&t))
            }
            JoinKind::Right => var(r, merged_right).filter(|_| plain(&rt) == plain(&t)),
            JoinKind::Full | JoinKind::Cross => None,
        };
        // Every column the merged one stands for, so `*` shows each once. Taken out of the
        // entries they replace, not copied: a chain of N joins stays linear.
        let mut take = |m: Option<usize>, c| match m {
            Some(m) => std::mem::take(&mut scope.merged[m].sources),
            None => vec![c],
        };
        let mut sources = take(merged_left, l);
        sources.extend(take(merged_right, r));
        let mut replaced: Vec<usize> = merged_left.into_iter().chain(merged_right).collect();
        replaced.sort_unstable();
        for m in replaced.into_iter().rev() {
            scope.merged.remove(m);
        }
        scope.merged.push(Merged {
            name: col,
            ty: t,
            nullable,
            sources,
            same_as,
            join_end: scope.rels.len(),
        });
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JoinKind {
    Inner,
    Left,
    Right,
    Full,
    Cross,
}

/// The relations of a join: the join tree's first relation and where its left side ends.
struct JoinSides {
    start: usize,
    left_end: usize,
}

/// `WITH ORDINALITY`: a last column `ordinality` numbering the rows from 1.
impl Analyzer<'_> {
    /// The columns an alias declares with types (`AS x(id uuid, name text)`): a function
    /// returning `record` takes them as its row; `None` when the alias declares no types.
    fn column_definition_list(
        &self,
        alias: &Option<TableAlias>,
        ordinality: bool,
        span: Span,
    ) -> Result<Option<Vec<Col>>, Diagnostic> {
        let Some(a) = alias
            .as_ref()
            .filter(|a| a.columns.iter().any(|c| c.data_type.is_some()))
        else {
            return Ok(None);
        };
        if ordinality {
            return Err(self
                .error(
                    Code::InvalidQuery,
                    "WITH ORDINALITY cannot be used with a column definition list",
                    span,
                )
                .with_help("put the function call inside a ROWS FROM() item"));
        }
        let mut columns: Vec<Col> = Vec::new();
        for c in &a.columns {
            let name = ident_name(&c.name);
            let Some(dt) = &c.data_type else {
                return Err(self
                    .error(
                        Code::SyntaxError,
                        format!("column `{name}` of the column definition list has no type"),
                        c.name.span,
                    )
                    .with_help("give every column a type: `AS x(id uuid, name text)`"));
            };
            if columns.iter().any(|x| x.name == name) {
                return Err(self
                    .error(
                        Code::InvalidQuery,
                        format!("column name `{name}` specified more than once"),
                        c.name.span,
                    )
                    .with_help("give each column its own name"));
            }
            // Every field may be missing from the JSON or the record: NULL.
            columns.push(Col {
                name,
                ty: plain(&self.data_type(dt, c.name.span)?),
                nullable: true,
            });
        }
        Ok(Some(columns))
    }

    /// A function returning `record` in FROM: its row is the column definition list.
    fn defined_record(
        &self,
        fname: String,
        alias: &Option<TableAlias>,
        definition: Option<Vec<Col>>,
        span: Span,
    ) -> Result<Rel, Diagnostic> {
        let Some(columns) = definition else {
            return Err(self
                .error(
                    Code::InvalidQuery,
                    format!(
                        "a column definition list is required for functions returning \"record\" (`{fname}`)"
                    ),
                    span,
                )
                .with_help(format!(
                    "name the columns and their types: `{fname}(…) AS x(id uuid, name text)`"
                )));
        };
        Ok(Rel {
            name: alias.as_ref().map_or(fname, |a| ident_name(&a.name)),
            table: None,
            aliased: alias.is_some(),
            columns,
            outer: false,
            row_type: None,
            scalar: false,
        })
    }

    fn definition_list_not_allowed(&self, fname: &str, span: Span) -> Diagnostic {
        self.error(
            Code::InvalidQuery,
            format!(
                "a column definition list is only allowed for functions returning \"record\" (`{fname}`)"
            ),
            span,
        )
        .with_help("name the columns without types: `AS x(a, b)`")
    }
}

fn with_ordinality(rel: &mut Rel, ordinality: bool) {
    if ordinality {
        rel.columns.push(Col {
            name: "ordinality".to_string(),
            ty: ty(Builtin::BigInt),
            nullable: false,
        });
    }
}
