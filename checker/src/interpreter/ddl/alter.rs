//! ALTER TABLE: columns, constraints, renames, row-level security. Column changes on a
//! partitioned table reach its partitions too, as in PostgreSQL.

use sqlparser::ast::{
    AlterColumnOperation, AlterTable, AlterTableOperation, GeneratedAs, Ident, RenameTableNameKind,
};
use sqlparser::tokenizer::Span;

use super::objects::{
    dependents_error, drop_views_cascade, foreign_keys_referencing, views_using_column,
};
use super::table::{
    add_constraint, apply_pending, check_default, column_def, create_owned_sequences, resolve_type,
    table_constraint, Pending,
};
use super::{list, Applied, Ctx};
use crate::analysis::cast::castable;
use crate::catalog::CastContext;
use crate::catalog::{ident_name, Catalog, Column, ConstraintKind, Identity, IndexKey, TableId};
use crate::diagnostic::{Code, Diagnostic};

pub fn alter_table(cx: &Ctx, cat: &mut Catalog, at: &AlterTable) -> Applied {
    let (name, span) = cx.object_name(&at.name)?;
    if cat.table(&name).is_none() && at.if_exists {
        return Ok(());
    }
    // ALTER TABLE also takes a sequence, view or materialized view for its owner
    // (pg_dump writes `ALTER TABLE public.s_id_seq OWNER TO …`).
    let owner_only = at
        .operations
        .iter()
        .all(|op| matches!(op, AlterTableOperation::OwnerTo { .. }));
    if owner_only && cat.table(&name).is_none() && cat.relation_kind(&name).is_some() {
        return Ok(());
    }
    let (id, _) = cx.table_id(cat, &at.name)?;
    for op in &at.operations {
        alter_one(cx, cat, id, span, op)?;
        // A key added to a partitioned table is added to each partition too, under the
        // partition's own name; `ALTER TABLE ONLY` (pg_dump's form) keeps it on the parent.
        if let (AlterTableOperation::AddConstraint { constraint, .. }, false) = (op, at.only) {
            let unnamed = match table_constraint(cx, constraint)? {
                Pending::PrimaryKey {
                    columns,
                    include,
                    span,
                    ..
                } => Pending::PrimaryKey {
                    name: None,
                    columns,
                    include,
                    span,
                },
                Pending::Unique {
                    columns,
                    include,
                    span,
                    ..
                } => Pending::Unique {
                    name: None,
                    columns,
                    include,
                    span,
                },
                _ => continue,
            };
            for p in cat.table_family(&name).into_iter().skip(1) {
                add_constraint(cx, cat, &p, unnamed.clone())?;
            }
        }
    }
    Ok(())
}

/// `ALTER TABLE parent ATTACH PARTITION child FOR VALUES …`: the child must have exactly
/// the parent's columns (names and types), its NOT NULL columns and CHECK constraints, and
/// be no partition yet. It becomes one, and gets the parent's indexes and foreign keys that
/// it has no equal of, as PostgreSQL creates them.
fn attach_partition(
    cx: &Ctx,
    cat: &mut Catalog,
    id: TableId,
    child: &sqlparser::ast::ObjectName,
) -> Applied {
    let parent = cat[id].clone();
    let (child_table, child_span) = cx.table(cat, child)?;
    let child_table = child_table.clone();
    let fail = |message: String, help: &str| {
        Err(cx
            .error(Code::InvalidDefinition, message, child_span)
            .with_help(help.to_string()))
    };
    if !parent.is_partitioned() {
        return fail(
            format!("table `{}` is not partitioned", parent.name),
            "attach partitions to a table declared with PARTITION BY",
        );
    }
    if let Some(of) = &child_table.partition_of {
        return fail(
            format!("`{}` is already a partition of `{of}`", child_table.name),
            "detach it first",
        );
    }
    if child_table.name == parent.name {
        return fail(
            format!("cannot attach `{}` as a partition of itself", parent.name),
            "attach another table",
        );
    }
    for c in &child_table.columns {
        if parent.column(&c.name).is_none() {
            return fail(
                format!(
                    "table `{}` contains column `{}` not found in parent `{}`",
                    child_table.name, c.name, parent.name
                ),
                "the new partition may contain only the columns present in the parent",
            );
        }
    }
    for pc in &parent.columns {
        let Some(cc) = child_table.column(&pc.name) else {
            return fail(
                format!("child table is missing column `{}`", pc.name),
                "give the partition every column of the parent",
            );
        };
        // Type and modifier alike, as PostgreSQL compares atttypid and atttypmod.
        if cc.ty != pc.ty {
            return fail(
                format!(
                    "child table `{}` has different type for column `{}`",
                    child_table.name, pc.name
                ),
                "declare the partition's columns with the parent's types",
            );
        }
        if pc.not_null && !cc.not_null {
            return fail(
                format!(
                    "column `{}` in child table must be marked NOT NULL",
                    pc.name
                ),
                "add NOT NULL to the partition's column first",
            );
        }
    }
    for c in &parent.constraints {
        if let ConstraintKind::Check { .. } = c.kind {
            if !child_table.constraints.iter().any(|x| x.name == c.name) {
                return fail(
                    format!("child table is missing constraint `{}`", c.name),
                    "add the parent's CHECK constraints to the partition first",
                );
            }
        }
    }
    let child_name = child_table.name.clone();
    cat.table_mut(&child_name).unwrap().partition_of = Some(parent.name.clone());
    // The parent's indexes the child has no equal of are created on it.
    let parent_indexes: Vec<crate::catalog::Index> = cat
        .indexes
        .iter()
        .filter(|i| i.table == parent.name)
        .map(|i| crate::catalog::Index::clone(i))
        .collect();
    for idx in parent_indexes {
        let equal = cat.indexes.iter().any(|i| {
            i.table == child_name
                && i.keys == idx.keys
                && i.unique == idx.unique
                && i.include == idx.include
                && i.predicate == idx.predicate
        });
        if equal {
            continue;
        }
        match idx
            .constraint
            .as_ref()
            .and_then(|n| parent.constraints.iter().find(|c| &c.name == n))
        {
            Some(c) => {
                let columns: Vec<Ident> = match &c.kind {
                    ConstraintKind::PrimaryKey { columns } | ConstraintKind::Unique { columns } => {
                        columns.iter().map(|c| Ident::new(c.as_str())).collect()
                    }
                    _ => continue,
                };
                let include: Vec<Ident> =
                    idx.include.iter().map(|c| Ident::new(c.as_str())).collect();
                let span = child_span;
                let pending = if matches!(c.kind, ConstraintKind::PrimaryKey { .. }) {
                    Pending::PrimaryKey {
                        name: None,
                        columns,
                        include,
                        span,
                    }
                } else {
                    Pending::Unique {
                        name: None,
                        columns,
                        include,
                        span,
                    }
                };
                add_constraint(cx, cat, &child_name, pending)?;
            }
            None => {
                let cols = super::table::index_name_columns(&idx.keys);
                let iname =
                    crate::catalog::names::choose_name(&child_name, Some(&cols), "idx", &|n| {
                        cat.relation_kind(n).is_some()
                    });
                cat.indexes.push(crate::catalog::Index {
                    name: iname,
                    table: child_name.clone(),
                    ..idx
                });
            }
        }
    }
    // Foreign keys are cloned under their own names.
    let fks: Vec<crate::catalog::Constraint> = parent
        .constraints
        .iter()
        .filter(|c| matches!(c.kind, ConstraintKind::ForeignKey { .. }))
        .filter(|c| !child_table.constraints.iter().any(|x| x.name == c.name))
        .cloned()
        .collect();
    cat.table_mut(&child_name).unwrap().constraints.extend(fks);
    Ok(())
}

/// `ALTER TABLE parent DETACH PARTITION child`: the child stands alone again, keeping the
/// indexes and constraints it got.
fn detach_partition(
    cx: &Ctx,
    cat: &mut Catalog,
    id: TableId,
    child: &sqlparser::ast::ObjectName,
) -> Applied {
    let parent = cat[id].name.clone();
    let (child_table, span) = cx.table(cat, child)?;
    if child_table.partition_of.as_deref() != Some(&parent) {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!(
                    "relation `{}` is not a partition of relation `{parent}`",
                    child_table.name
                ),
                span,
            )
            .with_help("name one of the table's partitions"));
    }
    let child_name = child_table.name.clone();
    cat.table_mut(&child_name).unwrap().partition_of = None;
    Ok(())
}

/// Applies `f` to column `name` of the table and of every partition below it: column
/// changes reach them all (partitions have their parent's columns).
fn set_in_family(cat: &mut Catalog, id: TableId, name: &str, f: impl Fn(&mut Column)) {
    for t in cat.family_ids(id) {
        if let Some(c) = cat.table_at_mut(t).column_mut(name) {
            f(c);
        }
    }
}

fn column<'a>(
    cx: &Ctx,
    cat: &'a Catalog,
    id: TableId,
    ident: &Ident,
) -> Result<&'a Column, Diagnostic> {
    let t = &cat[id];
    t.column(&ident_name(ident))
        .ok_or_else(|| cx.unknown_column(t, &ident_name(ident), ident.span))
}

fn alter_one(
    cx: &Ctx,
    cat: &mut Catalog,
    id: TableId,
    table_span: Span,
    op: &AlterTableOperation,
) -> Applied {
    use AlterTableOperation as Op;
    let table_name = cat[id].name.clone();
    let table = table_name.as_str();
    match op {
        Op::AddColumn {
            if_not_exists,
            column_def: def,
            column_position: None,
            ..
        } => add_column(cx, cat, id, def, *if_not_exists),
        Op::DropColumn {
            column_names,
            if_exists,
            drop_behavior,
            ..
        } => {
            let cascade = matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
            for ident in column_names {
                let name = ident_name(ident);
                if cat[id].column(&name).is_none() {
                    if *if_exists {
                        continue;
                    }
                    column(cx, cat, id, ident)?;
                }
                drop_column(cx, cat, id, &name, ident.span, cascade)?;
            }
            Ok(())
        }
        Op::RenameColumn {
            old_column_name,
            new_column_name,
        } => {
            let old = column(cx, cat, id, old_column_name)?.name.clone();
            let new = ident_name(new_column_name);
            if cat[id].column(&new).is_some() {
                return Err(cx.duplicate_in(
                    "column",
                    &new,
                    &format!("of table `{table}`"),
                    new_column_name.span,
                ));
            }
            for t in cat.family_ids(id) {
                rename_column(cat, t, &old, &new);
            }
            Ok(())
        }
        Op::RenameTable { table_name } => {
            let target = match table_name {
                RenameTableNameKind::As(n) | RenameTableNameKind::To(n) => n,
            };
            let (new, span) = cx.object_name(target)?;
            // RENAME keeps the relation in its schema.
            let new = crate::catalog::names::qualify(
                crate::catalog::split_key(&cat[id].name).0,
                crate::catalog::split_key(&new).1.to_string(),
            );
            cx.check_relation_free(cat, &new, span)?;
            if cat.type_taken(&new) {
                return Err(cx.duplicate("type", &new, span));
            }
            rename_table(cat, id, &new);
            Ok(())
        }
        Op::AlterColumn { column_name, op } => {
            let col = column(cx, cat, id, column_name)?.clone();
            alter_column(cx, cat, id, &col, column_name.span, op)
        }
        Op::AddConstraint { constraint, .. } => {
            let pending = table_constraint(cx, constraint)?;
            if let Pending::PrimaryKey { .. } | Pending::Unique { .. } = pending {
                // PostgreSQL adds the index to partitions too; we model the parent's.
            }
            add_constraint(cx, cat, table, pending)
        }
        Op::DropConstraint {
            if_exists,
            name,
            drop_behavior,
        } => drop_constraint(cx, cat, id, name, *if_exists, drop_behavior.as_ref()),
        Op::RenameConstraint { old_name, new_name } => {
            rename_constraint(cx, cat, id, old_name, new_name)
        }
        Op::ValidateConstraint { name } => {
            let t = &cat[id];
            if t.constraint(&ident_name(name)).is_none() {
                return Err(unknown_constraint(cx, t, &ident_name(name), name.span));
            }
            Ok(())
        }
        Op::EnableRowLevelSecurity | Op::ForceRowLevelSecurity => {
            cat.table_at_mut(id).row_level_security = true;
            Ok(())
        }
        Op::DisableRowLevelSecurity => {
            cat.table_at_mut(id).row_level_security = false;
            Ok(())
        }
        Op::SetOptionsParens { options } => {
            let names: Vec<&sqlparser::ast::ObjectName> = options
                .iter()
                .filter_map(|o| match o {
                    sqlparser::ast::SqlOption::KeyValue { key, .. } => Some(key),
                    sqlparser::ast::SqlOption::Ident(key) => Some(key),
                    _ => None,
                })
                .collect();
            if names.len() != options.len() {
                return Err(cx.unsupported(
                    "this storage parameter form",
                    sqlparser::tokenizer::Span::empty(),
                    "write SET (name = value, …)",
                ));
            }
            storage_parameters(cx, &names)
        }
        // PostgreSQL resets any name, known or not.
        Op::ResetOptions { .. } => Ok(()),
        Op::NoForceRowLevelSecurity
        | Op::OwnerTo { .. }
        | Op::SetLogged
        | Op::SetUnlogged
        | Op::ReplicaIdentity { .. } => Ok(()),
        Op::EnableTrigger { name }
        | Op::DisableTrigger { name }
        | Op::EnableAlwaysTrigger { name }
        | Op::EnableReplicaTrigger { name } => require_trigger(cx, cat, table, name),
        Op::AttachPartitionOf { partition, .. } => attach_partition(cx, cat, id, partition),
        Op::DetachPartitionOf { partition, .. } => detach_partition(cx, cat, id, partition),
        other => Err(cx.unsupported(
            format!("ALTER TABLE … {other}"),
            table_span,
            "split the change into statements the checker understands, or report this",
        )),
    }
}

/// ADD COLUMN: to the table and its partitions, with the sequences and constraints the
/// definition brings.
fn add_column(
    cx: &Ctx,
    cat: &mut Catalog,
    id: TableId,
    def: &sqlparser::ast::ColumnDef,
    if_not_exists: bool,
) -> Applied {
    let table_name = cat[id].name.clone();
    let table = table_name.as_str();
    let name = ident_name(&def.name);
    if cat[id].column(&name).is_some() {
        if if_not_exists {
            return Ok(());
        }
        return Err(cx.duplicate_in(
            "column",
            &name,
            &format!("of table `{table}`"),
            def.name.span,
        ));
    }
    let (col, pending) = column_def(cx, cat, def)?;
    super::table::check_column_count(cx, &cat[id], 1, def.name.span)?;
    for t in cat.family_ids(id) {
        cat.table_at_mut(t).columns.push(col.clone());
    }
    super::table::check_generated(cx, &cat[id], def)?;
    create_owned_sequences(cat, table);
    apply_pending(cx, cat, table, pending)
}

/// DROP CONSTRAINT: foreign keys that need its index go with CASCADE, or stop it.
fn drop_constraint(
    cx: &Ctx,
    cat: &mut Catalog,
    id: TableId,
    name: &Ident,
    if_exists: bool,
    drop_behavior: Option<&sqlparser::ast::DropBehavior>,
) -> Applied {
    let table_name = cat[id].name.clone();
    let table = table_name.as_str();
    let cname = ident_name(name);
    let t = &cat[id];
    let Some(c) = t.constraint(&cname).cloned() else {
        if if_exists {
            return Ok(());
        }
        return Err(unknown_constraint(cx, t, &cname, name.span));
    };
    let cascade = matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
    if c.kind.is_unique_key() {
        let dependents: Vec<(String, String)> =
            foreign_keys_referencing(cat, table, c.kind.columns())
                .into_iter()
                .filter(|(t, _)| t != table)
                .collect();
        if !dependents.is_empty() && !cascade {
            return Err(cx
                .error(
                    Code::DependentObjects,
                    format!(
                        "cannot drop constraint `{cname}`: foreign keys depend on it ({})",
                        list(dependents.iter().map(|(_, c)| c.as_str()))
                    ),
                    name.span,
                )
                .with_help("drop those foreign keys first, or add CASCADE"));
        }
        cat.remove_constraints(&dependents);
    }
    if c.kind.has_index() {
        cat.indexes
            .retain(|i| i.constraint.as_deref() != Some(&cname) || i.table != table);
    }
    cat.table_at_mut(id).constraints.retain(|c| c.name != cname);
    Ok(())
}

/// RENAME CONSTRAINT, and the index of a key constraint with it.
fn rename_constraint(
    cx: &Ctx,
    cat: &mut Catalog,
    id: TableId,
    old_name: &Ident,
    new_name: &Ident,
) -> Applied {
    let table_name = cat[id].name.clone();
    let table = table_name.as_str();
    let old = ident_name(old_name);
    let new = ident_name(new_name);
    let t = &cat[id];
    let Some(c) = t.constraint(&old).cloned() else {
        return Err(unknown_constraint(cx, t, &old, old_name.span));
    };
    if t.constraint(&new).is_some() {
        return Err(cx.duplicate_in(
            "constraint",
            &new,
            &format!("on table `{table}`"),
            new_name.span,
        ));
    }
    if c.kind.has_index() {
        cx.check_relation_free(cat, &new, new_name.span)?;
        cat.indexes.update_where(
            |i| i.table == table && i.constraint.as_deref() == Some(&old),
            |i| {
                i.name = new.clone();
                i.constraint = Some(new.clone());
            },
        );
    }
    if let Some(c) = cat
        .table_at_mut(id)
        .constraints
        .iter_mut()
        .find(|c| c.name == old)
    {
        c.name = new;
    }
    Ok(())
}

/// ENABLE/DISABLE TRIGGER names a trigger of the table (or ALL / USER).
fn require_trigger(cx: &Ctx, cat: &Catalog, table: &str, name: &Ident) -> Applied {
    let n = ident_name(name);
    if matches!(n.as_str(), "all" | "user")
        || cat.triggers.iter().any(|t| t.table == table && t.name == n)
    {
        Ok(())
    } else {
        Err(cx
            .error(
                Code::UnknownTrigger,
                format!("unknown trigger `{n}` on table `{table}`"),
                name.span,
            )
            .with_help("create the trigger first, or check its name"))
    }
}

fn unknown_constraint(cx: &Ctx, t: &crate::catalog::Table, name: &str, span: Span) -> Diagnostic {
    cx.error(
        Code::UnknownConstraint,
        format!("unknown constraint `{name}` on table `{}`", t.name),
        span,
    )
    .with_help(crate::suggest::did_you_mean(
        name,
        t.constraints.iter().map(|c| c.name.as_str()),
        || {
            format!(
                "table `{}` has constraints {}",
                t.name,
                list(t.constraints.iter().map(|c| c.name.as_str()))
            )
        },
    ))
}

fn alter_column(
    cx: &Ctx,
    cat: &mut Catalog,
    id: TableId,
    col: &Column,
    span: Span,
    op: &AlterColumnOperation,
) -> Applied {
    use AlterColumnOperation as A;
    let name = col.name.clone();
    let table_name = cat[id].name.clone();
    let table = table_name.as_str();
    let in_pk = cat[id].primary_key().is_some_and(|pk| pk.contains(&name));
    match op {
        A::SetNotNull => {
            set_in_family(cat, id, &name, |c| c.not_null = true);
        }
        A::DropNotNull => {
            if in_pk {
                return Err(cx
                    .error(
                        Code::InvalidDefinition,
                        format!("column `{name}` is in a primary key"),
                        span,
                    )
                    .with_help(
                        "primary key columns are always NOT NULL; drop the primary key first",
                    ));
            }
            if col.identity.is_some() {
                return Err(cx
                    .error(
                        Code::InvalidDefinition,
                        format!("column `{name}` of table `{table}` is an identity column"),
                        span,
                    )
                    .with_help("identity columns are NOT NULL; DROP IDENTITY first"));
            }
            set_in_family(cat, id, &name, |c| c.not_null = false);
        }
        A::SetDefault { value } => {
            if col.identity.is_some() || col.generated.is_some() {
                let what = if col.identity.is_some() {
                    "an identity"
                } else {
                    "a generated"
                };
                return Err(cx
                    .error(
                        Code::InvalidDefinition,
                        format!("column `{name}` of table `{table}` is {what} column"),
                        span,
                    )
                    .with_help("such a column cannot have a DEFAULT"));
            }
            check_default(cx, cat, value)?;
            let stored = super::table::stored_default(value, &col.ty, &|dt| {
                super::table::resolve_type(cx, cat, dt, span)
                    .ok()
                    .map(|(t, _)| t)
            });
            set_in_family(cat, id, &name, |c| c.default = stored.clone());
        }
        A::DropDefault => {
            if col.identity.is_some() {
                return Err(cx
                    .error(
                        Code::InvalidDefinition,
                        format!("column `{name}` of table `{table}` is an identity column"),
                        span,
                    )
                    .with_help("use ALTER COLUMN … DROP IDENTITY instead"));
            }
            set_in_family(cat, id, &name, |c| c.default = None);
        }
        A::SetDataType {
            data_type, using, ..
        } => set_data_type(cx, cat, id, col, span, data_type, using.is_some())?,
        A::AddGenerated { generated_as, .. } => {
            add_identity(cx, cat, id, col, span, generated_as.as_ref())?
        }
        other => {
            return Err(cx.unsupported(
                format!("ALTER COLUMN … {other}"),
                span,
                "split the change into statements the checker understands, or report this",
            ));
        }
    }
    Ok(())
}

/// ALTER COLUMN … TYPE: refused while a view reads the column, and without USING when
/// no assignment cast exists.
fn set_data_type(
    cx: &Ctx,
    cat: &mut Catalog,
    id: TableId,
    col: &Column,
    span: Span,
    data_type: &sqlparser::ast::DataType,
    has_using: bool,
) -> Applied {
    let name = col.name.clone();
    let table_name = cat[id].name.clone();
    let table = table_name.as_str();
    let (ty, serial) = resolve_type(cx, cat, data_type, span)?;
    if serial == crate::catalog::types::Serial::Yes {
        return Err(cx
            .error(
                Code::UnknownType,
                format!("type `{data_type}` does not exist"),
                span,
            )
            .with_help(
                "serial is only a shorthand in CREATE TABLE / ADD COLUMN; use integer or bigint",
            ));
    }
    let views = views_using_column(cat, table, &name);
    if !views.is_empty() {
        return Err(cx
            .error(
                Code::DependentObjects,
                format!(
                    "cannot alter type of column `{name}`: used by view {}",
                    list(views.iter().map(String::as_str))
                ),
                span,
            )
            .with_help("drop the view, alter the column, then create the view again"));
    }
    if !has_using && !castable(cat, &col.ty, &ty, CastContext::Assignment) {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!(
                    "column `{name}` cannot be cast automatically from {} to {ty}",
                    col.ty
                ),
                span,
            )
            .with_help(format!("add `USING {name}::{}`", ty.with_modifiers())));
    }
    if col.identity.is_some() && !ty.is_integer() {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                "identity column type must be smallint, integer, or bigint",
                span,
            )
            .with_help("keep an integer type, or DROP IDENTITY first"));
    }
    set_in_family(cat, id, &name, |c| c.ty = ty.clone());
    Ok(())
}

/// ADD GENERATED … AS IDENTITY on an existing NOT NULL integer column without a default.
fn add_identity(
    cx: &Ctx,
    cat: &mut Catalog,
    id: TableId,
    col: &Column,
    span: Span,
    generated_as: Option<&GeneratedAs>,
) -> Applied {
    let name = col.name.clone();
    let table_name = cat[id].name.clone();
    let table = table_name.as_str();
    if col.identity.is_some() {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("column `{name}` of table `{table}` is already an identity column"),
                span,
            )
            .with_help("remove this statement"));
    }
    if !col.not_null {
        return Err(cx
            .error(Code::InvalidDefinition, format!("column `{name}` of table `{table}` must be declared NOT NULL before identity can be added"), span)
            .with_help(format!("run `ALTER TABLE {table} ALTER COLUMN {name} SET NOT NULL` first")));
    }
    if col.default.is_some() {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("column `{name}` of table `{table}` already has a default value"),
                span,
            )
            .with_help("DROP DEFAULT first"));
    }
    if !col.ty.is_integer() {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                "identity column type must be smallint, integer, or bigint",
                span,
            )
            .with_help("change the column to bigint first"));
    }
    let identity = match generated_as {
        Some(GeneratedAs::ByDefault) => Identity::ByDefault,
        _ => Identity::Always,
    };
    if let Some(c) = cat.table_at_mut(id).column_mut(&name) {
        c.identity = Some(identity);
    }
    create_owned_sequences(cat, table);
    Ok(())
}

fn drop_column(
    cx: &Ctx,
    cat: &mut Catalog,
    id: TableId,
    name: &str,
    span: Span,
    cascade: bool,
) -> Applied {
    let t = &cat[id];
    let table_name = t.name.clone();
    let table = table_name.as_str();
    if t.partition_key
        .as_ref()
        .is_some_and(|k| k.iter().any(|c| c == name))
    {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("cannot drop column `{name}` named in the partition key of `{table}`"),
                span,
            )
            .with_help("a partition key column stays as long as the table is partitioned by it"));
    }
    if t.partition_of.is_some() {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("cannot drop inherited column `{name}` of partition `{table}`"),
                span,
            )
            .with_help("drop the column from the partitioned parent"));
    }
    let fks: Vec<(String, String)> =
        foreign_keys_referencing(cat, table, std::slice::from_ref(&name.to_string()))
            .into_iter()
            .filter(|(t, _)| t != table)
            .collect();
    let views = views_using_column(cat, table, name);
    if (!fks.is_empty() || !views.is_empty()) && !cascade {
        let mut deps: Vec<String> = fks
            .iter()
            .map(|(t, c)| format!("constraint `{c}` on `{t}`"))
            .collect();
        deps.extend(views.iter().map(|v| format!("view `{v}`")));
        return Err(dependents_error(
            cx,
            &format!("column `{name}` of table `{table}`"),
            &deps,
            span,
        ));
    }
    cat.remove_constraints(&fks);
    for v in views {
        drop_views_cascade(cat, &v);
    }
    for t in cat.family_ids(id) {
        remove_column(cat, t, name);
    }
    Ok(())
}

/// Removes a column and everything on its table that involves it.
fn remove_column(cat: &mut Catalog, id: TableId, name: &str) {
    let table = cat[id].name.clone();
    let table = table.as_str();
    let mut t = cat.table_at_mut(id);
    t.columns.retain(|c| c.name != name);
    t.dropped_columns += 1;
    t.constraints
        .retain(|c| !c.kind.columns().iter().any(|x| x == name));
    // A self-referencing foreign key to the column goes too.
    t.constraints.retain(|c| !matches!(&c.kind, ConstraintKind::ForeignKey { ref_table, ref_columns, .. } if ref_table == table && ref_columns.iter().any(|x| x == name)));
    let constraints: Vec<String> = t.constraints.iter().map(|c| c.name.clone()).collect();
    drop(t);
    cat.indexes.retain(|i| {
        i.table != table
            || (!i.all_columns().any(|c| c == name)
                && i.constraint
                    .as_ref()
                    .is_none_or(|c| constraints.contains(c)))
    });
    cat.sequences
        .retain(|s| s.owned_by.as_ref() != Some(&(table.to_string(), name.to_string())));
}

fn rename_column(cat: &mut Catalog, id: TableId, old: &str, new: &str) {
    let rename = |v: &mut Vec<String>| {
        v.iter_mut()
            .filter(|c| *c == old)
            .for_each(|c| *c = new.to_string())
    };
    let table = cat[id].name.clone();
    let table = table.as_str();
    let mut t = cat.table_at_mut(id);
    if let Some(c) = t.column_mut(old) {
        c.name = new.to_string();
    }
    if let Some(key) = &mut t.partition_key {
        rename(key);
    }
    for c in &mut t.constraints {
        match &mut c.kind {
            ConstraintKind::PrimaryKey { columns }
            | ConstraintKind::Unique { columns }
            | ConstraintKind::Check { columns, .. }
            | ConstraintKind::Exclude { columns } => rename(columns),
            ConstraintKind::ForeignKey { columns, .. } => rename(columns),
        }
    }
    drop(t);
    cat.tables.update_users(table, |other| {
        for c in &mut other.constraints {
            if let ConstraintKind::ForeignKey {
                ref_table,
                ref_columns,
                ..
            } = &mut c.kind
            {
                if ref_table == table {
                    rename(ref_columns);
                }
            }
        }
    });
    cat.indexes.update_users(table, |i| {
        if i.table == table {
            for k in &mut i.keys {
                match k {
                    IndexKey::Column(c) if c == old => *c = new.to_string(),
                    IndexKey::Expression { columns, .. } => rename(columns),
                    _ => {}
                }
            }
            rename(&mut i.include);
            rename(&mut i.predicate_columns);
        }
    });
    cat.sequences.update_users(table, |s| {
        if s.owned_by.as_ref() == Some(&(table.to_string(), old.to_string())) {
            s.owned_by = Some((table.to_string(), new.to_string()));
        }
    });
}

pub(super) fn rename_table(cat: &mut Catalog, id: TableId, new: &str) {
    let old = std::mem::replace(&mut cat.table_at_mut(id).name, new.to_string());
    let old = old.as_str();
    // The table's row type is renamed with it.
    super::types::rename_type(cat, old, new);
    cat.tables.update_users(old, |t| {
        if t.partition_of.as_deref() == Some(old) {
            t.partition_of = Some(new.to_string());
        }
        for c in &mut t.constraints {
            if let ConstraintKind::ForeignKey { ref_table, .. } = &mut c.kind {
                if ref_table == old {
                    *ref_table = new.to_string();
                }
            }
        }
    });
    cat.indexes.update_users(old, |i| {
        if i.table == old {
            i.table = new.to_string();
        }
    });
    cat.views.update_users(old, |v| {
        for r in &mut v.relations {
            if r == old {
                *r = new.to_string();
            }
        }
    });
    cat.triggers.update_users(old, |tr| {
        if tr.table == old {
            tr.table = new.to_string();
        }
    });
    cat.policies.update_users(old, |p| {
        if p.table == old {
            p.table = new.to_string();
        }
    });
    cat.sequences.update_users(old, |s| {
        if let Some((t, _)) = &mut s.owned_by {
            if t == old {
                *t = new.to_string();
            }
        }
    });
}

/// Table storage parameters PostgreSQL 15 knows (`SET (fillfactor = 90)`); they change no
/// schema the checker models, but an unknown one is PostgreSQL's error.
const STORAGE_PARAMETERS: &[&str] = &[
    "fillfactor",
    "toast_tuple_target",
    "parallel_workers",
    "autovacuum_enabled",
    "autovacuum_vacuum_threshold",
    "autovacuum_vacuum_scale_factor",
    "autovacuum_vacuum_insert_threshold",
    "autovacuum_vacuum_insert_scale_factor",
    "autovacuum_analyze_threshold",
    "autovacuum_analyze_scale_factor",
    "autovacuum_vacuum_cost_delay",
    "autovacuum_vacuum_cost_limit",
    "autovacuum_freeze_min_age",
    "autovacuum_freeze_max_age",
    "autovacuum_freeze_table_age",
    "autovacuum_multixact_freeze_min_age",
    "autovacuum_multixact_freeze_max_age",
    "autovacuum_multixact_freeze_table_age",
    "log_autovacuum_min_duration",
    "user_catalog_table",
    "vacuum_index_cleanup",
    "vacuum_truncate",
];

fn storage_parameters(cx: &Ctx, names: &[&sqlparser::ast::ObjectName]) -> Applied {
    for n in names {
        let parts: Vec<String> =
            n.0.iter()
                .filter_map(|p| p.as_ident())
                .map(ident_name)
                .collect();
        let known = match parts.as_slice() {
            [p] => STORAGE_PARAMETERS.contains(&p.as_str()),
            // The TOAST table takes the autovacuum parameters (and vacuum_*).
            [ns, p] if ns == "toast" => {
                STORAGE_PARAMETERS.contains(&p.as_str())
                    && (p.starts_with("autovacuum")
                        || p.starts_with("vacuum")
                        || p == "log_autovacuum_min_duration")
            }
            _ => false,
        };
        if !known {
            return Err(cx
                .error(Code::InvalidDefinition, format!("unrecognized parameter `{n}`"), sqlparser::ast::Spanned::span(*n))
                .with_help("use a storage parameter PostgreSQL knows, e.g. fillfactor or autovacuum_vacuum_scale_factor"));
        }
    }
    Ok(())
}
