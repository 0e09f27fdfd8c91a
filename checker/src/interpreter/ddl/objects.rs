//! Everything but tables, types and routines: indexes, views, sequences, DROP, and the
//! objects kept opaque (extensions, policies) that DDL may refer to.

use sqlparser::ast::{CreateIndex, CreateView, Expr, Ident, ObjectName, ObjectType, Spanned};
use sqlparser::tokenizer::Span;

use super::table::index_name_columns;
use super::{Applied, Ctx};
use crate::catalog::names::choose_name;
use crate::catalog::{
    ident_name, references, Catalog, ConstraintKind, Index, IndexKey, Keyed, Objects, Policy,
    RelationKind, Sequence, View,
};
use crate::diagnostic::{Code, Diagnostic};

// ---- dependencies -------------------------------------------------------------------------

/// Removes the objects of `list` that belong to (`table_of`) one of `tables`.
fn remove_on<T: Keyed + Clone, S: AsRef<str>>(
    list: &mut Objects<T>,
    tables: &[S],
    table_of: impl Fn(&T) -> &String,
) {
    let gone: Vec<usize> = (list.slots_using(tables).into_iter())
        .filter(|&i| tables.iter().any(|t| t.as_ref() == table_of(&list[i])))
        .collect();
    list.remove_slots(gone);
}

/// Views reading `relation`.
pub fn views_using(cat: &Catalog, relation: &str) -> Vec<String> {
    (cat.views.slots_using(&[relation]).into_iter())
        .map(|i| &cat.views[i])
        .filter(|v| v.relations.iter().any(|r| r == relation))
        .map(|v| v.name.clone())
        .collect()
}

/// Views that may read `table.column`: they read the table and mention the column's name
/// or use `*`. Conservative by design: a false dependency asks for CASCADE, a missed one
/// would accept a migration PostgreSQL rejects.
pub fn views_using_column(cat: &Catalog, table: &str, column: &str) -> Vec<String> {
    (cat.views.slots_using(&[table]).into_iter())
        .map(|i| &cat.views[i])
        .filter(|v| {
            v.relations.iter().any(|r| r == table)
                && (v.wildcard || v.identifiers.iter().any(|i| i == column))
        })
        .map(|v| v.name.clone())
        .collect()
}

/// Foreign keys (table, constraint) that reference any of `columns` of `table`.
pub fn foreign_keys_referencing(
    cat: &Catalog,
    table: &str,
    columns: &[String],
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in cat
        .tables
        .slots_using(&[table])
        .into_iter()
        .map(|i| &cat.tables[i])
    {
        for c in &t.constraints {
            if let ConstraintKind::ForeignKey {
                ref_table,
                ref_columns,
                ..
            } = &c.kind
            {
                if ref_table == table && ref_columns.iter().any(|r| columns.contains(r)) {
                    out.push((t.name.clone(), c.name.clone()));
                }
            }
        }
    }
    out
}

/// Drops a view and, recursively, the views built on it.
pub fn drop_views_cascade(cat: &mut Catalog, view: &str) {
    for dependent in views_using(cat, view) {
        drop_views_cascade(cat, &dependent);
    }
    cat.views.remove_named(view);
    // A materialized view's indexes go with it.
    remove_on(&mut cat.indexes, &[view], |i| &i.table);
}

/// `REFRESH MATERIALIZED VIEW [CONCURRENTLY] name`: CONCURRENTLY needs a unique index on
/// plain columns of the view (PostgreSQL's error otherwise).
pub fn refresh_materialized_view(
    cx: &Ctx,
    cat: &Catalog,
    r: &sqlparser::ast::RefreshMaterializedView,
) -> Applied {
    let (name, span) = cx.object_name(&r.name)?;
    match cat.relation_kind(&name) {
        Some(RelationKind::MaterializedView) => {}
        Some(other) => return Err(wrong_kind(cx, &name, other, "materialized view", span)),
        None => return Err(cx.unknown_relation(cat, &name, span, "materialized view")),
    }
    let unique = cat.indexes.iter().any(|i| {
        i.table == name
            && i.unique
            && i.predicate.is_none()
            && i.keys.iter().all(|k| matches!(k, IndexKey::Column(_)))
    });
    if r.concurrently && !unique {
        return Err(cx
            .error(Code::InvalidDefinition, format!("cannot refresh materialized view `{name}` concurrently"), span)
            .with_help("create a unique index with no WHERE clause on one or more columns of the materialized view"));
    }
    if r.concurrently && r.with_data == Some(false) {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                "REFRESH options CONCURRENTLY and WITH NO DATA cannot be used together",
                span,
            )
            .with_help("drop one of them"));
    }
    Ok(())
}

/// The relation `CREATE INDEX` targets: a table, or a materialized view seen as one (its
/// columns, no constraints).
fn index_target(
    cx: &Ctx,
    cat: &Catalog,
    name: &ObjectName,
) -> Result<crate::catalog::Table, Diagnostic> {
    let (n, _) = cx.object_name(name)?;
    if let Some(v) = cat.view(&n).filter(|v| v.materialized) {
        let columns = v.columns.iter().flatten().map(|c| crate::catalog::Column {
            name: c.name.clone(),
            ty: c.ty.clone(),
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            declared_int: false,
        });
        return Ok(crate::catalog::Table::new(
            n,
            v.service.clone(),
            columns.collect(),
        ));
    }
    Ok(cx.table(cat, name)?.0.clone())
}

pub(super) fn dependents_error(cx: &Ctx, what: &str, deps: &[String], span: Span) -> Diagnostic {
    cx.error(
        Code::DependentObjects,
        format!(
            "cannot drop {what} because other objects depend on it: {}",
            deps.join(", ")
        ),
        span,
    )
    .with_help("drop the dependent objects first, or add CASCADE")
}

// ---- indexes ------------------------------------------------------------------------------

pub fn create_index(cx: &Ctx, cat: &mut Catalog, ci: &CreateIndex) -> Applied {
    create_index_on(cx, cat, ci, true)
}

/// `CREATE INDEX … ON [ONLY] t`: with `recurse`, on each partition of `t` too; `ON ONLY`
/// (pg_dump's form) creates the parent's alone, its partitions' indexes attached later.
pub fn create_index_on(cx: &Ctx, cat: &mut Catalog, ci: &CreateIndex, recurse: bool) -> Applied {
    let table = index_target(cx, cat, &ci.table_name)?;
    let mut keys = Vec::new();
    for ic in &ci.columns {
        let e = &ic.column.expr;
        match e {
            Expr::Identifier(i) => keys.push(IndexKey::Column(
                cx.columns(&table, std::slice::from_ref(i))?.remove(0),
            )),
            other => {
                let ids = references::collect(other).identifiers;
                if let Some(unknown) = ids.iter().find(|i| table.column(i).is_none()) {
                    return Err(cx.unknown_column(&table, unknown, other.span()));
                }
                let text = match other {
                    Expr::Nested(inner) => inner.to_string(),
                    o => o.to_string(),
                };
                keys.push(IndexKey::Expression { text, columns: ids });
            }
        }
    }
    let include = cx.columns(&table, &ci.include)?;
    let (predicate, predicate_columns) = match &ci.predicate {
        Some(p) => {
            let ids = references::collect(p).identifiers;
            if let Some(unknown) = ids.iter().find(|i| table.column(i).is_none()) {
                return Err(cx.unknown_column(&table, unknown, p.span()));
            }
            (Some(p.to_string()), ids)
        }
        None => (None, Vec::new()),
    };
    if ci.concurrently && table.is_partitioned() {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!(
                    "cannot create index on partitioned table `{}` concurrently",
                    table.name
                ),
                ci.table_name.span(),
            )
            .with_help(
                "create the index on each partition concurrently, then on the parent with ON ONLY",
            ));
    }
    let name = match &ci.name {
        Some(n) => {
            let (n, span) = cx.object_name(n)?;
            // An index lives in its table's schema.
            let n = match crate::catalog::split_key(&table.name).0 {
                Some(schema) if crate::catalog::split_key(&n).0.is_none() => {
                    format!("{schema}.{n}")
                }
                _ => n,
            };
            if cat.relation_kind(&n).is_some() {
                if ci.if_not_exists {
                    return Ok(());
                }
                cx.check_relation_free(cat, &n, span)?;
            }
            n
        }
        None => choose_name(&table.name, Some(&index_name_columns(&keys)), "idx", &|n| {
            cat.relation_kind(n).is_some()
        }),
    };
    let method = ci
        .using
        .as_ref()
        .map(|m| m.to_string().to_lowercase())
        .unwrap_or_else(|| "btree".to_string());
    let index = Index {
        name,
        table: table.name.clone(),
        keys,
        include,
        unique: ci.unique,
        predicate,
        predicate_columns,
        method,
        concurrently: ci.concurrently,
        constraint: None,
    };
    // An index on a partitioned table is created on each partition too, named after it.
    let partitions: Vec<String> = cat
        .tables
        .iter()
        .filter(|t| recurse && t.partition_of.as_deref() == Some(&table.name))
        .map(|t| t.name.clone())
        .collect();
    for p in partitions {
        let pname = choose_name(&p, Some(&index_name_columns(&index.keys)), "idx", &|n| {
            cat.relation_kind(n).is_some() || n == index.name
        });
        cat.indexes.push(Index {
            name: pname,
            table: p,
            ..index.clone()
        });
    }
    cat.indexes.push(index);
    Ok(())
}

pub fn rename_index(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &ObjectName,
    new_name: &ObjectName,
) -> Applied {
    let (old, span) = cx.object_name(name)?;
    let (new, new_span) = cx.object_name(new_name)?;
    let Some(pos) = cat.indexes.slot_named(&old) else {
        return Err(unknown_index(cx, cat, &old, span));
    };
    // RENAME keeps the index in its schema; a constraint's name is the bare one.
    let (schema, _) = crate::catalog::split_key(&old);
    let bare = crate::catalog::split_key(&new).1.to_string();
    let new = crate::catalog::names::qualify(schema, bare.clone());
    cx.check_relation_free(cat, &new, new_span)?;
    let mut idx = cat.indexes.get_mut(pos).expect("the index found above");
    idx.name = new.clone();
    if let Some(c) = idx.constraint.clone() {
        // Renaming a constraint's index renames the constraint, as in PostgreSQL.
        idx.constraint = Some(bare.clone());
        let table = idx.table.clone();
        std::mem::drop(idx);
        if let Some(mut t) = cat.table_mut(&table) {
            if let Some(con) = t.constraints.iter_mut().find(|x| x.name == c) {
                con.name = bare;
            }
        }
    }
    Ok(())
}

fn unknown_index(cx: &Ctx, cat: &Catalog, name: &str, span: Span) -> Diagnostic {
    cx.unknown(
        Code::UnknownIndex,
        "index",
        name,
        span,
        cat.indexes.iter().map(|i| i.name.as_str()),
        "no index of that name exists at this point of the migrations",
    )
}

// ---- DROP ---------------------------------------------------------------------------------

pub fn drop(
    cx: &Ctx,
    cat: &mut Catalog,
    object_type: ObjectType,
    if_exists: bool,
    names: &[ObjectName],
    cascade: bool,
) -> Applied {
    let mut resolved = Vec::new();
    for n in names {
        resolved.push(cx.object_name(n)?);
    }
    let dropping: Vec<String> = resolved.iter().map(|(n, _)| n.clone()).collect();
    for (name, span) in resolved {
        match object_type {
            ObjectType::Table => drop_table(cx, cat, &name, span, if_exists, cascade, &dropping)?,
            ObjectType::View => {
                drop_view(cx, cat, &name, span, if_exists, cascade, RelationKind::View)?
            }
            ObjectType::MaterializedView => drop_view(
                cx,
                cat,
                &name,
                span,
                if_exists,
                cascade,
                RelationKind::MaterializedView,
            )?,
            ObjectType::Index => drop_index(cx, cat, &name, span, if_exists, cascade)?,
            ObjectType::Type => super::types::drop_type(cx, cat, &name, span, if_exists, cascade)?,
            ObjectType::Sequence => drop_sequence(cx, cat, &name, span, if_exists, cascade)?,
            ObjectType::Collation => drop_collation(cx, cat, &name, span, if_exists)?,
            ObjectType::Schema => drop_schema(cx, cat, &name, span, if_exists, cascade)?,
            other => {
                return Err(cx.unsupported(
                    format!("DROP {other}"),
                    span,
                    "services own tables, views, indexes, enums and sequences; drop those",
                ))
            }
        }
    }
    Ok(())
}

/// `CREATE SCHEMA [IF NOT EXISTS] s`: `public` always exists.
/// `ALTER SCHEMA s OWNER TO r`: the schema must exist; owners are not modelled. Renaming a
/// schema would move everything in it, which the checker does not do.
pub fn alter_schema(cx: &Ctx, cat: &Catalog, a: &sqlparser::ast::AlterSchema) -> Applied {
    use sqlparser::ast::AlterSchemaOperation as Op;
    let (n, span) = cx.object_name(&a.name)?;
    let exists = n == "public" || cat.schemas.contains(&n);
    if !exists && !a.if_exists {
        return Err(cx
            .error(
                Code::UnknownTable,
                format!("schema `{n}` does not exist"),
                span,
            )
            .with_help("create it first with CREATE SCHEMA"));
    }
    for op in &a.operations {
        if !matches!(op, Op::OwnerTo { .. }) {
            return Err(cx.unsupported(
                format!("`ALTER SCHEMA … {op}`"),
                span,
                "the checker models schemas' names only; rename a schema by creating the new one and moving its objects (ALTER TABLE … SET SCHEMA)",
            ));
        }
    }
    Ok(())
}

pub fn create_schema(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &ObjectName,
    if_not_exists: bool,
) -> Applied {
    let (n, span) = cx.object_name(name)?;
    if crate::catalog::is_system_schema(&n) || n.contains('.') {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("unacceptable schema name `{n}`"),
                span,
            )
            .with_help("the prefix \"pg_\" is reserved for system schemas"));
    }
    if n == "public" || cat.schemas.contains(&n) {
        return if if_not_exists {
            Ok(())
        } else {
            Err(cx.duplicate("schema", &n, span))
        };
    }
    cat.schemas.push(n);
    Ok(())
}

/// `DROP SCHEMA s [CASCADE]`: refused while objects are in it, unless CASCADE drops them.
fn drop_schema(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &str,
    span: Span,
    if_exists: bool,
    cascade: bool,
) -> Applied {
    if !cat.schemas.iter().any(|s| s == name) {
        if if_exists {
            return Ok(());
        }
        if name == "public" {
            return Err(cx.unsupported(
                "dropping the public schema",
                span,
                "services keep their objects in public",
            ));
        }
        return Err(cx.unknown(
            Code::UnknownTable,
            "schema",
            name,
            span,
            cat.schemas.iter().map(String::as_str),
            "create it first with CREATE SCHEMA",
        ));
    }
    let prefix = format!("{name}.");
    let inside = |n: &str| n.starts_with(&prefix);
    let keys_inside = |names: &mut dyn Iterator<Item = &String>| -> Vec<String> {
        names.filter(|n| inside(n)).cloned().collect()
    };
    let tables = keys_inside(&mut cat.tables.iter().map(|t| &t.name));
    let views = keys_inside(&mut cat.views.iter().map(|v| &v.name));
    let types = keys_inside(
        &mut cat
            .enums
            .iter()
            .map(|e| &e.name)
            .chain(cat.composites.iter().map(|c| &c.name)),
    );
    let sequences = keys_inside(&mut cat.sequences.iter().map(|s| &s.name));
    let routines = cat.routines.iter().filter(|r| inside(&r.name)).count();
    let mut objects: Vec<String> = tables.iter().map(|t| format!("table `{t}`")).collect();
    objects.extend(views.iter().map(|v| format!("view `{v}`")));
    objects.extend(types.iter().map(|t| format!("type `{t}`")));
    objects.extend(sequences.iter().map(|s| format!("sequence `{s}`")));
    if routines > 0 {
        objects.push(format!("{routines} routine(s)"));
    }
    if !objects.is_empty() && !cascade {
        return Err(dependents_error(
            cx,
            &format!("schema `{name}`"),
            &objects,
            span,
        ));
    }
    for v in &views {
        if cat.view(v).is_some() {
            drop_views_cascade(cat, v);
        }
    }
    for t in &tables {
        if cat.table(t).is_some() {
            drop_table(cx, cat, t, span, true, true, &tables)?;
        }
    }
    for t in &types {
        super::types::drop_type(cx, cat, t, span, true, true)?;
    }
    for s in &sequences {
        if cat.sequence(s).is_some() {
            drop_sequence(cx, cat, s, span, true, true)?;
        }
    }
    cat.routines.retain(|r| !inside(&r.name));
    cat.schemas.retain(|s| s != name);
    Ok(())
}

fn wrong_kind(cx: &Ctx, name: &str, kind: RelationKind, expected: &str, span: Span) -> Diagnostic {
    cx.error(
        Code::InvalidDefinition,
        format!("`{name}` is a {}, not a {expected}", kind.noun()),
        span,
    )
    .with_help(format!("use DROP {}", kind.noun().to_uppercase()))
}

fn drop_table(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &str,
    span: Span,
    if_exists: bool,
    cascade: bool,
    dropping: &[String],
) -> Applied {
    match cat.relation_kind(name) {
        Some(RelationKind::Table) => {}
        Some(other) => return Err(wrong_kind(cx, name, other, "table", span)),
        None if if_exists => return Ok(()),
        None => return Err(cx.unknown_relation(cat, name, span, "table")),
    }
    // Partitions go with their parent; foreign keys and views elsewhere need CASCADE.
    let family = cat.table_family(name);
    let mut deps = Vec::new();
    let mut fks = Vec::new();
    for t in cat
        .tables
        .slots_using(&family)
        .into_iter()
        .map(|i| &cat.tables[i])
    {
        if family.contains(&t.name) || dropping.contains(&t.name) {
            continue;
        }
        for c in &t.constraints {
            if let ConstraintKind::ForeignKey { ref_table, .. } = &c.kind {
                if family.contains(ref_table) {
                    deps.push(format!("constraint `{}` on table `{}`", c.name, t.name));
                    fks.push((t.name.clone(), c.name.clone()));
                }
            }
        }
    }
    let views: Vec<String> = family
        .iter()
        .flat_map(|t| views_using(cat, t))
        .filter(|v| !dropping.contains(v))
        .collect();
    deps.extend(views.iter().map(|v| format!("view `{v}`")));
    // Columns elsewhere whose type is the table's row type.
    let row_type_users: Vec<(String, String)> = cat
        .uses_of_types(&family)
        .into_iter()
        .filter(|(owner, _)| !family.contains(owner) && !dropping.contains(owner))
        .collect();
    deps.extend(
        row_type_users
            .iter()
            .map(|(t, c)| format!("column `{t}.{c}`")),
    );
    if !deps.is_empty() && !cascade {
        return Err(dependents_error(
            cx,
            &format!("table `{name}`"),
            &deps,
            span,
        ));
    }
    cat.remove_constraints(&fks);
    for v in views {
        drop_views_cascade(cat, &v);
    }
    // Uses inside the family go with it; tables dropped by the same statement go next.
    super::types::remove_columns(cat, row_type_users);
    for t in &family {
        cat.tables.remove_named(t);
    }
    remove_on(&mut cat.indexes, &family, |i| &i.table);
    remove_on(&mut cat.triggers, &family, |t| &t.table);
    remove_on(&mut cat.policies, &family, |p| &p.table);
    let owned =
        cat.sequences.slots_using(&family).into_iter().filter(|&i| {
            (cat.sequences[i].owned_by.as_ref()).is_some_and(|(t, _)| family.contains(t))
        });
    cat.sequences.remove_slots(owned.collect::<Vec<_>>());
    Ok(())
}

fn drop_view(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &str,
    span: Span,
    if_exists: bool,
    cascade: bool,
    kind: RelationKind,
) -> Applied {
    match cat.relation_kind(name) {
        Some(k) if k == kind => {}
        Some(other) => return Err(wrong_kind(cx, name, other, kind.noun(), span)),
        None if if_exists => return Ok(()),
        None => return Err(cx.unknown_relation(cat, name, span, kind.noun())),
    }
    let deps: Vec<String> = views_using(cat, name)
        .iter()
        .map(|v| format!("view `{v}`"))
        .collect();
    if !deps.is_empty() && !cascade {
        return Err(dependents_error(cx, &format!("view `{name}`"), &deps, span));
    }
    drop_views_cascade(cat, name);
    Ok(())
}

fn drop_index(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &str,
    span: Span,
    if_exists: bool,
    cascade: bool,
) -> Applied {
    let Some(idx) = cat.index(name).cloned() else {
        return match cat.relation_kind(name) {
            Some(other) => Err(wrong_kind(cx, name, other, "index", span)),
            None if if_exists => Ok(()),
            None => Err(unknown_index(cx, cat, name, span)),
        };
    };
    if let Some(c) = &idx.constraint {
        if !cascade {
            return Err(cx
                .error(Code::DependentObjects, format!("cannot drop index `{name}` because constraint `{c}` on table `{}` requires it", idx.table), span)
                .with_help(format!("drop the constraint instead: ALTER TABLE {} DROP CONSTRAINT {c}", idx.table)));
        }
        // An index always belongs to a table of the catalog.
        if let Some(mut t) = cat.table_mut(&idx.table) {
            t.constraints.retain(|x| &x.name != c);
        }
    }
    cat.indexes.remove_named(name);
    Ok(())
}

fn drop_sequence(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &str,
    span: Span,
    if_exists: bool,
    cascade: bool,
) -> Applied {
    let Some(seq) = cat.sequence(name).cloned() else {
        return match cat.relation_kind(name) {
            Some(other) => Err(wrong_kind(cx, name, other, "sequence", span)),
            None if if_exists => Ok(()),
            None => Err(cx.unknown(
                Code::UnknownSequence,
                "sequence",
                name,
                span,
                cat.sequences.iter().map(|s| s.name.as_str()),
                "no sequence of that name exists at this point of the migrations",
            )),
        };
    };
    if let Some((t, c)) = &seq.owned_by {
        let col = cat.table(t).and_then(|t| t.column(c));
        if col.is_some_and(|c| c.identity.is_some()) {
            return Err(cx
                .error(
                    Code::DependentObjects,
                    format!("cannot drop sequence `{name}`: identity column `{t}.{c}` owns it"),
                    span,
                )
                .with_help("ALTER COLUMN … DROP IDENTITY instead"));
        }
    }
    let needle = format!("nextval('{name}'");
    let users: Vec<(String, String)> = cat
        .tables
        .iter()
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| c.default.as_deref().is_some_and(|d| d.contains(&needle)))
                .map(move |c| (t.name.clone(), c.name.clone()))
        })
        .collect();
    if !users.is_empty() && !cascade {
        let deps: Vec<String> = users
            .iter()
            .map(|(t, c)| format!("default of `{t}.{c}`"))
            .collect();
        return Err(dependents_error(
            cx,
            &format!("sequence `{name}`"),
            &deps,
            span,
        ));
    }
    for (t, c) in users {
        if let Some(col) = cat
            .table_mut(&t)
            .as_deref_mut()
            .and_then(|t| t.column_mut(&c))
        {
            col.default = None;
        }
    }
    cat.sequences.remove_named(name);
    Ok(())
}

// ---- views --------------------------------------------------------------------------------

pub fn create_view(cx: &Ctx, cat: &mut Catalog, cv: &CreateView) -> Applied {
    let (name, span) = cx.object_name(&cv.name)?;
    cx.check_schema(cat, &name, span)?;
    let kind = if cv.materialized {
        RelationKind::MaterializedView
    } else {
        RelationKind::View
    };
    match cat.relation_kind(&name) {
        Some(k) if k == kind && cv.or_replace && !cv.materialized => {}
        Some(k) if k == kind && cv.if_not_exists => return Ok(()),
        Some(_) => cx.check_relation_free(cat, &name, span)?,
        None => {}
    }
    if cat.enum_type(&name).is_some() {
        return Err(cx.duplicate("type", &name, span));
    }
    let refs = references::collect(cv.query.as_ref());
    let mut relations = Vec::new();
    for (rel, rel_span) in &refs.relations {
        let (r, _) = cx.object_name(rel)?;
        match cat.relation_kind(&r) {
            Some(RelationKind::Table | RelationKind::View | RelationKind::MaterializedView)
                if r != name || !cv.or_replace =>
            {
                relations.push(r)
            }
            _ => return Err(cx.unknown_relation(cat, &r, *rel_span, "table")),
        }
    }
    relations.sort();
    relations.dedup();
    let columns = view_columns(cx, cat, cv)?;
    let view = View {
        name: name.clone(),
        service: cat.service.clone(),
        sql: cv.query.to_string(),
        column_names: cv.columns.iter().map(|c| ident_name(&c.name)).collect(),
        relations,
        identifiers: refs.identifiers,
        wildcard: refs.wildcard,
        stored_types: columns
            .as_ref()
            .and_then(|c| super::table_as::stored_types(cx, cat, &cv.query, c)),
        columns,
        materialized: cv.materialized,
    };
    match cat.views.slot_named(&name) {
        Some(i) => *cat.views.get_mut(i).expect("the view found above") = view,
        None => cat.views.push(view),
    }
    Ok(())
}

/// The view's columns as PostgreSQL fixes them at creation, renamed by `CREATE VIEW v (a, b)`.
fn view_columns(
    cx: &Ctx,
    cat: &Catalog,
    cv: &CreateView,
) -> Result<Option<Vec<crate::analysis::OutputColumn>>, Diagnostic> {
    let Some(mut cols) = crate::analysis::analyze_view(cx.analysis(cat), cx.frag, &cv.query)?
    else {
        return Ok(None);
    };
    if cv.columns.len() > cols.len() {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                "CREATE VIEW specifies more column names than columns",
                cv.name.span(),
            )
            .with_help("name at most as many columns as the query returns"));
    }
    for (c, n) in cols.iter_mut().zip(&cv.columns) {
        c.name = ident_name(&n.name);
    }
    for (i, c) in cols.iter().enumerate() {
        if cols[..i].iter().any(|x| x.name == c.name) {
            return Err(cx
                .error(
                    Code::DuplicateObject,
                    format!("column `{}` specified more than once in the view", c.name),
                    cv.name.span(),
                )
                .with_help("give the columns distinct names with AS"));
        }
    }
    Ok(Some(cols))
}

// ---- sequences ----------------------------------------------------------------------------

pub fn create_sequence(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &ObjectName,
    if_not_exists: bool,
    options: &[sqlparser::ast::SequenceOptions],
) -> Applied {
    let (n, span) = cx.object_name(name)?;
    super::sequence_options::check(cx, options, None, span)?;
    cx.check_schema(cat, &n, span)?;
    if cat.relation_kind(&n).is_some() {
        if if_not_exists {
            return Ok(());
        }
        cx.check_relation_free(cat, &n, span)?;
    }
    cat.sequences.push(Sequence {
        name: n,
        owned_by: None,
    });
    Ok(())
}

// ---- opaque objects -----------------------------------------------------------------------

pub fn create_collation(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &sqlparser::ast::ObjectName,
    if_not_exists: bool,
) -> Applied {
    let (n, span) = cx.object_name(name)?;
    if cat.collations.contains(&n) {
        if if_not_exists {
            return Ok(());
        }
        return Err(cx.duplicate("collation", &n, span));
    }
    cat.collations.push(n);
    Ok(())
}

fn drop_collation(cx: &Ctx, cat: &mut Catalog, name: &str, span: Span, if_exists: bool) -> Applied {
    if !cat.collations.iter().any(|c| c == name) {
        if if_exists {
            return Ok(());
        }
        return Err(cx.unknown(
            Code::UnknownCollation,
            "collation",
            name,
            span,
            cat.collations.iter().map(String::as_str),
            "no collation of that name was created by this service's migrations",
        ));
    }
    cat.collations.retain(|c| c != name);
    Ok(())
}

pub fn create_extension(cx: &Ctx, cat: &mut Catalog, name: &Ident, if_not_exists: bool) -> Applied {
    let n = ident_name(name);
    if cat.has_extension(&n) {
        if if_not_exists {
            return Ok(());
        }
        return Err(cx.duplicate("extension", &n, name.span));
    }
    cat.extensions.push(n);
    Ok(())
}

pub fn drop_extension(cx: &Ctx, cat: &mut Catalog, names: &[Ident], if_exists: bool) -> Applied {
    for name in names {
        let n = ident_name(name);
        if !cat.has_extension(&n) && !if_exists {
            return Err(cx
                .error(
                    Code::UnknownFunction,
                    format!("unknown extension `{n}`"),
                    name.span,
                )
                .with_help("create it first"));
        }
        cat.extensions.retain(|e| *e != n);
    }
    Ok(())
}

pub fn drop_trigger(cx: &Ctx, cat: &mut Catalog, dt: &sqlparser::ast::DropTrigger) -> Applied {
    let (name, span) = cx.object_name(&dt.trigger_name)?;
    let Some(table_name) = &dt.table_name else {
        return Err(cx.unsupported(
            "DROP TRIGGER without ON table",
            span,
            "write DROP TRIGGER name ON table",
        ));
    };
    let (table, tspan) = cx.object_name(table_name)?;
    if cat.table(&table).is_none() {
        if dt.if_exists {
            return Ok(());
        }
        return Err(cx.unknown_relation(cat, &table, tspan, "table"));
    }
    if !cat
        .triggers
        .iter()
        .any(|t| t.table == table && t.name == name)
    {
        if dt.if_exists {
            return Ok(());
        }
        return Err(cx
            .error(
                Code::UnknownTrigger,
                format!("unknown trigger `{name}` on table `{table}`"),
                span,
            )
            .with_help("check the trigger's name"));
    }
    cat.triggers
        .retain(|t| !(t.table == table && t.name == name));
    Ok(())
}

pub fn create_policy(cx: &Ctx, cat: &mut Catalog, name: &Ident, table: &ObjectName) -> Applied {
    let (t, _) = cx.table(cat, table)?;
    let t = t.name.clone();
    let n = ident_name(name);
    if cat.policies.iter().any(|p| p.table == t && p.name == n) {
        return Err(cx.duplicate_in("policy", &n, &format!("on table `{t}`"), name.span));
    }
    cat.policies.push(Policy { name: n, table: t });
    Ok(())
}

pub fn drop_policy(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &Ident,
    table: &ObjectName,
    if_exists: bool,
) -> Applied {
    let (t, tspan) = cx.object_name(table)?;
    let n = ident_name(name);
    if !cat.policies.iter().any(|p| p.table == t && p.name == n) {
        if if_exists && cat.table(&t).is_some() {
            return Ok(());
        }
        if cat.table(&t).is_none() {
            return Err(cx.unknown_relation(cat, &t, tspan, "table"));
        }
        return Err(cx
            .error(
                Code::UnknownPolicy,
                format!("unknown policy `{n}` on table `{t}`"),
                name.span,
            )
            .with_help("check the policy's name"));
    }
    cat.policies.retain(|p| !(p.table == t && p.name == n));
    Ok(())
}

/// COMMENT ON and GRANT/REVOKE change nothing we model, but PostgreSQL still resolves the
/// objects they name.
pub fn require_relations(cx: &Ctx, cat: &Catalog, names: &[ObjectName]) -> Applied {
    for n in names {
        let (name, span) = cx.object_name(n)?;
        if cat.relation_kind(&name).is_none() {
            return Err(cx.unknown_relation(cat, &name, span, "relation"));
        }
    }
    Ok(())
}

pub fn require_column(cx: &Ctx, cat: &Catalog, name: &ObjectName) -> Applied {
    let parts: Vec<&Ident> = name.0.iter().filter_map(|p| p.as_ident()).collect();
    let (tname, table, column) = match parts.as_slice() {
        [t, c] => (ident_name(t), t, c),
        [s, t, c] if ident_name(s) == "public" => (ident_name(t), t, c),
        [s, t, c] => (
            crate::catalog::names::qualify(Some(&ident_name(s)), ident_name(t)),
            t,
            c,
        ),
        _ => {
            return Err(cx.unsupported(
                format!("COMMENT ON COLUMN {name}"),
                name.span(),
                "write table.column",
            ))
        }
    };
    let Some(t) = cat.table(&tname) else {
        if let Some(v) = cat.view(&tname) {
            let _ = v;
            return Ok(());
        }
        return Err(cx.unknown_relation(cat, &tname, table.span, "table"));
    };
    if t.column(&ident_name(column)).is_none() {
        return Err(cx.unknown_column(t, &ident_name(column), column.span));
    }
    Ok(())
}
