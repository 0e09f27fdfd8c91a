//! Applying one statement to a catalog: parse, dispatch, and keep the catalog unchanged when
//! the statement fails (PostgreSQL's statement atomicity).

use std::sync::Arc;

use crate::policies::cockroach::CrdbRule;
use sqlparser::ast::{CommentObject, GrantObjects, Spanned, Statement};

use super::ddl::{self, Ctx};
use super::fallback::{self, Fallback};
use crate::catalog::{Catalog, RoutineKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::policies::Env;
use crate::source::Fragment;
use crate::statements::parse_statement;

/// Applies one statement (with its parse when it was read ahead, see `build::read_section`);
/// on error the catalog is left as it was. Returns the statement's warnings.
pub fn apply_statement(
    catalog: &mut Catalog,
    env: &Env,
    frag: &Fragment,
    parsed: Option<Result<Arc<Statement>, Diagnostic>>,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    crate::stack::for_statement(frag.range.len(), || {
        let mark = catalog.begin();
        let applied = apply_on_stack(catalog, env, frag, parsed);
        match applied {
            Ok(_) => catalog.commit(mark),
            Err(_) => catalog.rollback(mark),
        }
        applied
    })
}

fn apply_on_stack(
    catalog: &mut Catalog,
    env: &Env,
    frag: &Fragment,
    parsed: Option<Result<Arc<Statement>, Diagnostic>>,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    let cx = Ctx {
        frag,
        env,
        warnings: Default::default(),
    };
    let parsed = parsed.unwrap_or_else(|| parse_statement(frag).map(Arc::new));
    if let (true, Ok(stmt)) = (env.keep_parsed, &parsed) {
        frag.file.remember_parse(&frag.range, stmt.clone());
    }
    // DO blocks never parse in sqlparser 0.64; they are recognised from their tokens (only
    // when the parse failed: tokenizing every statement again was a fifth of a build).
    if let Some(block) = parsed
        .is_err()
        .then(|| super::do_block::recognize(frag))
        .flatten()
    {
        let block = block?;
        cx.crdb_warning(
            CrdbRule::Plpgsql,
            "DO block",
            sqlparser::tokenizer::Span::empty(),
        );
        let mut warnings = cx.warnings.into_inner();
        warnings.extend(super::do_block::apply(catalog, env, frag, block)?);
        return Ok(warnings);
    }
    // Domain statements are read from their tokens: sqlparser parses only part of them.
    if let Some(stmt) = super::domain_syntax::recognize(frag) {
        let stmt = stmt?;
        let span = stmt.span();
        cx.crdb_warning(CrdbRule::Domains, stmt.keyword(), span);
        ddl::apply_domain_statement(&cx, catalog, stmt)?;
        return Ok(cx.warnings.into_inner());
    }
    // sqlparser reads `LIKE src` in a column list as a column named `like` (a reserved
    // word PostgreSQL refuses as a column name), or as its own `like` when it comes first,
    // or fails on it: LIKE elements are taken out first. Only such statements are scanned.
    let may_like = match &parsed {
        Err(_) => true,
        Ok(stmt) => match &**stmt {
            Statement::CreateTable(ct) => {
                ct.like.is_some()
                    || (ct.columns.iter()).any(|c| {
                        c.name.quote_style.is_none() && c.name.value.eq_ignore_ascii_case("like")
                    })
            }
            _ => false,
        },
    };
    if let Some((plain, likes)) = may_like
        .then(|| fallback::table_like_for_parser(frag))
        .flatten()
    {
        let cx = Ctx {
            frag: &plain,
            env,
            warnings: Default::default(),
        };
        match parse_statement(&plain)? {
            Statement::CreateTable(ct) => ddl::create_table_with_likes(&cx, catalog, &ct, &likes)?,
            other => apply_parsed(&cx, catalog, &other)?,
        }
        return Ok(cx.warnings.into_inner());
    }
    match parsed {
        Ok(stmt) => apply_parsed(&cx, catalog, &stmt)?,
        Err(parse_error) => match fallback::recognize(frag) {
            Some(f) => apply_fallback(&cx, catalog, f)?,
            None => {
                // Statements sqlparser reads only once rewritten (see `reparse`): checked
                // from the rewritten text, whose offsets are the original's.
                let Some((plain, stmt, kind)) = reparse(frag) else {
                    return Err(parse_error);
                };
                let cx = Ctx {
                    frag: &plain,
                    env,
                    warnings: Default::default(),
                };
                match (&stmt, kind) {
                    (Statement::CreateFunction(cf), Reparsed::Routine(kind)) => {
                        create_routine(&cx, catalog, cf, kind)?
                    }
                    (Statement::DropFunction(df), Reparsed::Routine(kind)) => {
                        let cascade = matches!(
                            df.drop_behavior,
                            Some(sqlparser::ast::DropBehavior::Cascade)
                        );
                        ddl::drop_routines(
                            &cx,
                            catalog,
                            &df.func_desc,
                            kind,
                            df.if_exists,
                            cascade,
                        )?
                    }
                    (Statement::CreateIndex(ci), Reparsed::IndexOnly) => {
                        ddl::create_index_on(&cx, catalog, ci, false)?
                    }
                    (other, Reparsed::Identity(named)) => {
                        apply_parsed(&cx, catalog, other)?;
                        name_identity_sequence(&cx, catalog, &named)?
                    }
                    (other, _) => apply_parsed(&cx, catalog, other)?,
                }
                return Ok(cx.warnings.into_inner());
            }
        },
    }
    Ok(cx.warnings.into_inner())
}

/// A statement sqlparser 0.64 cannot parse as written, rewritten (same length) so it can,
/// with the kind of routine it creates or drops: `DROP AGGREGATE` read as `DROP FUNCTION`,
/// `CREATE TABLE t (a, b) AS` without its name list, a materialized view's `WITH [NO] DATA`,
/// an identity's `SEQUENCE NAME` of the default name, and `CREATE PROCEDURE` or routines
/// with attributes sqlparser does not parse (`COST 100`) read as a plain function.
fn reparse(frag: &Fragment) -> Option<(Fragment, Statement, Reparsed)> {
    if let Some(plain) = fallback::drop_aggregate_for_parser(frag) {
        let stmt = parse_statement(&plain).ok()?;
        return Some((plain, stmt, Reparsed::Routine(RoutineKind::Aggregate)));
    }
    if let Some((plain, stmt)) = table_as(frag) {
        return Some((plain, stmt, Reparsed::Plain));
    }
    if let Some(plain) = fallback::index_on_only_for_parser(frag) {
        let stmt = parse_statement(&plain).ok()?;
        return Some((plain, stmt, Reparsed::IndexOnly));
    }
    if let Some(plain) = fallback::matview_data_for_parser(frag) {
        let stmt = parse_statement(&plain).ok()?;
        return Some((plain, stmt, Reparsed::Plain));
    }
    if let Some((plain, named)) = fallback::identity_sequence_name_for_parser(frag) {
        let stmt = parse_statement(&plain).ok()?;
        return Some((plain, stmt, Reparsed::Identity(named)));
    }
    let (plain, kind) = fallback::routine_for_parser(frag)?;
    let stmt = parse_statement(&plain).ok()?;
    Some((plain, stmt, Reparsed::Routine(kind)))
}

/// The sequence of an identity column just added takes the name the statement gave it.
fn name_identity_sequence(
    cx: &Ctx,
    cat: &mut Catalog,
    named: &fallback::IdentitySequence,
) -> Result<(), Diagnostic> {
    let owner = Some((named.table.clone(), named.column.clone()));
    let Some(current) = cat
        .sequences
        .iter()
        .find(|s| s.owned_by == owner)
        .map(|s| s.name.clone())
    else {
        return Ok(());
    };
    if current == named.sequence {
        return Ok(());
    }
    if cat.relation_kind(&named.sequence).is_some() {
        return Err(cx.duplicate(
            "relation",
            &named.sequence,
            sqlparser::tokenizer::Span::empty(),
        ));
    }
    cat.sequences.update(|s| {
        if s.name == current {
            s.name = named.sequence.clone();
        }
    });
    Ok(())
}

/// What a rewritten statement stands for besides what its second parse says.
enum Reparsed {
    Plain,
    /// An identity column added with its sequence's name (`SEQUENCE NAME s`).
    Identity(fallback::IdentitySequence),
    /// `CREATE INDEX … ON ONLY t`: on `t` alone, not its partitions.
    IndexOnly,
    /// A routine of this kind (`CREATE PROCEDURE`, `DROP AGGREGATE` read as functions).
    Routine(RoutineKind),
}

/// `CREATE TABLE t (a, b) AS …` parsed with its name list blanked out, the names put back
/// as the statement's columns (see [`fallback::table_as_for_parser`]).
fn table_as(frag: &Fragment) -> Option<(Fragment, Statement)> {
    let (plain, names) = fallback::table_as_for_parser(frag)?;
    let mut stmt = parse_statement(&plain).ok()?;
    let Statement::CreateTable(ct) = &mut stmt else {
        return None;
    };
    ct.columns = names
        .into_iter()
        .map(|name| sqlparser::ast::ColumnDef {
            name,
            data_type: sqlparser::ast::DataType::Unspecified,
            options: Vec::new(),
        })
        .collect();
    Some((plain, stmt))
}

fn apply_parsed(cx: &Ctx, cat: &mut Catalog, stmt: &Statement) -> Result<(), Diagnostic> {
    use Statement as S;
    match stmt {
        S::CreateTable(ct) => ddl::create_table(cx, cat, ct),
        S::AlterTable(at) => ddl::alter_table(cx, cat, at),
        S::AlterView(av) => ddl::alter_view(cx, cat, av),
        S::CreateIndex(ci) => ddl::create_index(cx, cat, ci),
        S::AlterIndex { name, operation: sqlparser::ast::AlterIndexOperation::RenameIndex { index_name } } => {
            ddl::rename_index(cx, cat, name, index_name)
        }
        S::Drop { object_type, if_exists, names, cascade, .. } => {
            ddl::drop(cx, cat, *object_type, *if_exists, names, *cascade)
        }
        S::CreateType { name, representation } => ddl::create_type(cx, cat, name, representation.as_ref()),
        S::AlterType(at) => ddl::alter_type(cx, cat, at),
        S::AlterFunction(af) => ddl::alter_routine(cx, cat, af),
        S::AlterSchema(a) => ddl::alter_schema(cx, cat, a),
        S::CreateView(cv) => ddl::create_view(cx, cat, cv),
        S::CreateExtension(ce) => ddl::create_extension(cx, cat, &ce.name, ce.if_not_exists),
        S::CreateCollation(cc) => ddl::create_collation(cx, cat, &cc.name, cc.if_not_exists),
        S::DropExtension(de) => ddl::drop_extension(cx, cat, &de.names, de.if_exists),
        S::CreateSequence { name, if_not_exists, temporary: false, sequence_options } => {
            cx.crdb_warning(CrdbRule::Sequences, &format!("sequence `{name}`"), name.span());
            ddl::create_sequence(cx, cat, name, *if_not_exists, sequence_options)
        }
        S::CreateFunction(cf) => create_routine(cx, cat, cf, RoutineKind::Function),
        S::CreateAggregate(ca) => ddl::create_aggregate(cx, cat, ca),
        S::DropFunction(df) => {
            let cascade = matches!(df.drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
            ddl::drop_routines(cx, cat, &df.func_desc, RoutineKind::Function, df.if_exists, cascade)
        }
        S::DropProcedure { if_exists, proc_desc, drop_behavior } => {
            let cascade = matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
            ddl::drop_routines(cx, cat, proc_desc, RoutineKind::Procedure, *if_exists, cascade)
        }
        S::Call(_) => check_dml(cx, cat, stmt),
        S::RefreshMaterializedView(r) => ddl::refresh_materialized_view(cx, cat, r),
        S::CreateSchema {
            schema_name: sqlparser::ast::SchemaName::Simple(name) | sqlparser::ast::SchemaName::NamedAuthorization(name, _),
            if_not_exists,
            ..
        } => ddl::create_schema(cx, cat, name, *if_not_exists),
        S::CreateTrigger(ct) => {
            cx.crdb_warning(CrdbRule::Triggers, &format!("trigger `{}`", ct.name), ct.name.span());
            ddl::create_trigger(cx, cat, ct)
        }
        S::DropTrigger(dt) => ddl::drop_trigger(cx, cat, dt),
        S::CreatePolicy(cp) => ddl::create_policy(cx, cat, &cp.name, &cp.table_name),
        S::DropPolicy(dp) => ddl::drop_policy(cx, cat, &dp.name, &dp.table_name, dp.if_exists),
        S::Comment { object_type, object_name, if_exists, .. } => match object_type {
            CommentObject::Table | CommentObject::View | CommentObject::Index | CommentObject::Sequence if !*if_exists => {
                ddl::require_relations(cx, cat, std::slice::from_ref(object_name))
            }
            CommentObject::Column if !*if_exists => ddl::require_column(cx, cat, object_name),
            _ => Ok(()),
        },
        S::Grant(g) => grant_objects(cx, cat, g.objects.as_ref()),
        S::Revoke(r) => grant_objects(cx, cat, r.objects.as_ref()),
        S::Insert(_) | S::Update(_) | S::Delete(_) | S::Query(_) => check_dml(cx, cat, stmt),
        S::Truncate(t) => {
            let names: Vec<_> = t.table_names.iter().map(|n| n.name.clone()).collect();
            ddl::require_relations(cx, cat, &names)
        }
        // Session settings and transaction control change no schema.
        S::Set(_) | S::Reset(_) | S::StartTransaction { .. } | S::Commit { .. } | S::Rollback { .. } | S::Analyze(_) | S::Vacuum(_) => Ok(()),
        // LOCK TABLE changes no schema; its tables must exist.
        S::Lock(lock) => {
            cx.crdb_warning(CrdbRule::LockTable, "LOCK TABLE", stmt.span());
            let names: Vec<_> = lock.tables.iter().map(|t| t.name.clone()).collect();
            ddl::require_relations(cx, cat, &names)
        }
        S::CreateRule(_) => {
            let (rule, what) = (CrdbRule::Rules, "CREATE RULE");
            Err(cx.crdb_error(rule, what, stmt.span()).unwrap_or_else(|| cx.unsupported(
            format!("`{}`", first_words(stmt)),
            stmt.span(),
            "the checker does not model rules or explicit locks; use a trigger, a CHECK constraint or the service's code",
            )))
        }
        other => Err(cx
            .error(Code::Unsupported, format!("not supported yet: `{}` in a migration", first_words(other)), other.span())
            .with_help("the checker does not know what this statement changes; express the change with CREATE/ALTER/DROP of tables, indexes, types or views, or report it")),
    }
}

/// `COMMENT ON CONSTRAINT | TRIGGER | FUNCTION …`: the object must exist.
fn comment_target_exists(
    cx: &Ctx,
    cat: &Catalog,
    target: fallback::CommentTarget,
) -> Result<(), Diagnostic> {
    use fallback::CommentTarget as T;
    let missing = |code: Code, message: String, range: std::ops::Range<usize>, help: &str| {
        Err(Diagnostic::new(code, message)
            .at(&cx.frag.file, range)
            .with_help(help.to_string()))
    };
    match target {
        T::Constraint {
            name: (name, range),
            table: (table, trange),
        } => match cat.table(&table) {
            None => missing(
                Code::UnknownTable,
                format!("unknown table `{table}`"),
                trange,
                "name a table this service's migrations create",
            ),
            Some(t) if !t.constraints.iter().any(|c| c.name == name) => missing(
                Code::UnknownConstraint,
                format!("constraint `{name}` for table `{table}` does not exist"),
                range,
                "name one of the table's constraints",
            ),
            Some(_) => Ok(()),
        },
        T::Trigger {
            name: (name, range),
            table: (table, _),
        } => {
            if cat
                .triggers
                .iter()
                .any(|t| t.name == name && t.table == table)
            {
                Ok(())
            } else {
                missing(
                    Code::UnknownTrigger,
                    format!("trigger `{name}` for table `{table}` does not exist"),
                    range,
                    "name a trigger created on that table",
                )
            }
        }
        T::Routine {
            name: (name, range),
        } => {
            if cat.routines_named(&name).next().is_some() {
                Ok(())
            } else {
                missing(
                    Code::UnknownFunction,
                    format!("unknown function `{name}`"),
                    range,
                    "name a function or procedure this service's migrations create",
                )
            }
        }
    }
}

/// DML in a migration (a backfill `UPDATE`, seed `INSERT`s) changes no schema, but it runs:
/// it is analysed against the catalog at that point like any query.
/// A routine as written; `CREATE PROCEDURE` arrives here parsed as a function (see
/// [`fallback::routine_for_parser`]).
fn create_routine(
    cx: &Ctx,
    cat: &mut Catalog,
    cf: &sqlparser::ast::CreateFunction,
    kind: RoutineKind,
) -> Result<(), Diagnostic> {
    if cf
        .language
        .as_ref()
        .is_some_and(|l| l.value.eq_ignore_ascii_case("plpgsql"))
    {
        cx.crdb_warning(
            CrdbRule::Plpgsql,
            &format!("PL/pgSQL {} `{}`", kind.noun(), cf.name),
            cf.name.span(),
        );
    }
    ddl::create_routine(cx, cat, cf, kind)
}

fn check_dml(cx: &Ctx, cat: &Catalog, stmt: &Statement) -> Result<(), Diagnostic> {
    let analysis = crate::analysis::analyze_statement(cx.analysis(cat), cx.frag, stmt);
    match analysis.diagnostics.into_iter().find(Diagnostic::is_error) {
        Some(d) => Err(d),
        None => Ok(()),
    }
}

fn grant_objects(
    cx: &Ctx,
    cat: &Catalog,
    objects: Option<&GrantObjects>,
) -> Result<(), Diagnostic> {
    match objects {
        Some(GrantObjects::Tables(names))
        | Some(GrantObjects::Views(names))
        | Some(GrantObjects::Sequences(names)) => ddl::require_relations(cx, cat, names),
        _ => Ok(()),
    }
}

fn apply_fallback(cx: &Ctx, cat: &mut Catalog, f: Fallback) -> Result<(), Diagnostic> {
    let at = |r: std::ops::Range<usize>| (cx.frag.file.clone(), r);
    match f {
        Fallback::AlterSequence {
            if_exists,
            name: (name, range),
            rename_to,
            owned_by,
        } => {
            if cat.sequence(&name).is_none() {
                if if_exists {
                    return Ok(());
                }
                let (file, r) = at(range);
                return Err(Diagnostic::new(
                    Code::UnknownSequence,
                    format!("unknown sequence `{name}`"),
                )
                .at(&file, r)
                .with_help(crate::suggest::did_you_mean(
                    &name,
                    cat.sequences.iter().map(|s| s.name.as_str()),
                    || "create it with CREATE SEQUENCE first".to_string(),
                )));
            }
            if let Some(owner) = owned_by {
                // An identity column's sequence belongs to it for good (PostgreSQL: "cannot
                // change ownership of identity sequence").
                let identity = cat
                    .sequence(&name)
                    .and_then(|s| s.owned_by.clone())
                    .is_some_and(|(t, c)| {
                        cat.table(&t)
                            .and_then(|tb| tb.column(&c))
                            .is_some_and(|col| col.identity.is_some())
                    });
                if identity {
                    let (file, r) = at(cx.frag.range.clone());
                    return Err(Diagnostic::new(
                        Code::InvalidDefinition,
                        format!("cannot change ownership of identity sequence `{name}`"),
                    )
                    .at(&file, r)
                    .with_help("an identity column owns its sequence; drop the identity (ALTER COLUMN … DROP IDENTITY) to use another"));
                }
                if let Some((t, c)) = &owner {
                    let ok = cat.table(t).is_some_and(|tb| tb.column(c).is_some());
                    if !ok {
                        let (file, r) = at(cx.frag.range.clone());
                        return Err(Diagnostic::new(
                            Code::UnknownColumn,
                            format!("unknown column `{t}.{c}` in OWNED BY"),
                        )
                        .at(&file, r)
                        .with_help("name an existing table.column"));
                    }
                }
                cat.sequences.find_mut(|s| s.name == name).unwrap().owned_by = owner;
            }
            if let Some((new, range)) = rename_to {
                if let Some(schema) = crate::catalog::split_key(&new)
                    .0
                    .filter(|s| !cat.schemas.iter().any(|x| x == s))
                {
                    let (file, r) = at(range);
                    return Err(Diagnostic::new(
                        Code::UnknownTable,
                        format!("schema `{schema}` does not exist"),
                    )
                    .at(&file, r)
                    .with_sqlstate("3F000")
                    .with_help(format!(
                        "create it first: `CREATE SCHEMA IF NOT EXISTS {schema};`"
                    )));
                }
                if let Some(kind) = cat.relation_kind(&new) {
                    let (file, r) = at(range);
                    return Err(Diagnostic::new(
                        Code::DuplicateObject,
                        format!("relation `{new}` already exists (a {})", kind.noun()),
                    )
                    .at(&file, r)
                    .with_help("pick another name"));
                }
                cat.tables.update(|t| {
                    for c in &mut t.columns {
                        if let Some(d) = &mut c.default {
                            *d = d
                                .replace(&format!("nextval('{name}'"), &format!("nextval('{new}'"));
                        }
                    }
                });
                cat.sequences.named_mut(&name).unwrap().name = new;
            }
            Ok(())
        }
        Fallback::ColumnSetting {
            table: (t, trange),
            column: (c, crange),
        } => {
            let Some(table) = cat.table(&t) else {
                let (file, r) = at(trange);
                return Err(
                    Diagnostic::new(Code::UnknownTable, format!("unknown table `{t}`"))
                        .at(&file, r)
                        .with_help("name an existing table"),
                );
            };
            if table.column(&c).is_none() {
                let (file, r) = at(crange);
                return Err(Diagnostic::new(
                    Code::UnknownColumn,
                    format!("unknown column `{c}` in table `{t}`"),
                )
                .at(&file, r)
                .with_help("name an existing column"));
            }
            Ok(())
        }
        Fallback::Comment(target) => comment_target_exists(cx, cat, target),
        Fallback::SetTableSchema {
            table,
            schema,
            if_exists,
        } => {
            // IF EXISTS on a missing table: a notice, nothing moves.
            let missing = cx
                .object_name(&table)
                .is_ok_and(|(name, _)| cat.table(&name).is_none());
            if if_exists && missing {
                return Ok(());
            }
            ddl::set_table_schema(cx, cat, &table, &schema)
        }
        Fallback::SetTypeSchema { name, schema } => ddl::set_type_schema(cx, cat, &name, &schema),
        Fallback::TypeOwner(name) => ddl::type_exists(cx, cat, &name),
        Fallback::Cast(stmt) => ddl::apply_cast_statement(cx, cat, stmt),
        Fallback::AttachIndex { parent, child } => {
            let mut tables = Vec::new();
            for (name, range) in [&parent, &child] {
                let Some(index) = cat.index(name) else {
                    let (file, r) = at(range.clone());
                    return Err(Diagnostic::new(
                        Code::UnknownIndex,
                        format!("unknown index `{name}`"),
                    )
                    .at(&file, r)
                    .with_help("create the index first"));
                };
                tables.push(index.table.clone());
            }
            let child_of = cat.table(&tables[1]).and_then(|t| t.partition_of.clone());
            if child_of.as_deref() != Some(tables[0].as_str()) {
                let (file, r) = at(child.1.clone());
                return Err(Diagnostic::new(
                    Code::InvalidDefinition,
                    format!(
                        "cannot attach index `{}`: table `{}` is not a partition of `{}`",
                        child.0, tables[1], tables[0]
                    ),
                )
                .at(&file, r)
                .with_help("attach an index of one of the table's partitions"));
            }
            Ok(())
        }
        Fallback::Cluster {
            table: (t, trange),
            index,
        } => {
            if cat.table(&t).is_none() {
                let (file, r) = at(trange);
                return Err(
                    Diagnostic::new(Code::UnknownTable, format!("unknown table `{t}`"))
                        .at(&file, r)
                        .with_help("name an existing table"),
                );
            }
            match index {
                Some((i, irange)) if cat.index(&i).is_none_or(|x| x.table != t) => {
                    let (file, r) = at(irange);
                    Err(Diagnostic::new(
                        Code::UnknownIndex,
                        format!("`{i}` is not an index for table `{t}`"),
                    )
                    .at(&file, r)
                    .with_help("name an index of the table"))
                }
                Some(_) => Ok(()),
                None => {
                    let (file, r) = at(trange);
                    Err(Diagnostic::new(
                        Code::InvalidDefinition,
                        format!("there is no previously clustered index for table `{t}`"),
                    )
                    .at(&file, r)
                    .with_help("name the index: CLUSTER t USING index"))
                }
            }
        }
        Fallback::AlterComposite {
            name: (name, span),
            actions,
            cascade,
        } => ddl::alter_composite(cx, cat, &name, span, &actions, cascade),
        Fallback::DropIndex {
            if_exists,
            names,
            cascade,
        } => {
            let object_names: Vec<sqlparser::ast::ObjectName> = names
                .iter()
                .map(|(n, _)| {
                    sqlparser::ast::ObjectName::from(vec![sqlparser::ast::Ident::with_quote(
                        '"',
                        n.clone(),
                    )])
                })
                .collect();
            // Spans of synthesised names are unknown: point at the statement instead.
            ddl::drop(
                cx,
                cat,
                sqlparser::ast::ObjectType::Index,
                if_exists,
                &object_names,
                cascade,
            )
        }
    }
}

/// The first words of a statement, for "not supported" messages.
fn first_words(stmt: &Statement) -> String {
    let text = stmt.to_string();
    let words: Vec<&str> = text.split_whitespace().take(3).collect();
    words.join(" ")
}
