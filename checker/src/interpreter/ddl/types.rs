//! User-defined types: enums (`CREATE TYPE … AS ENUM`, `ALTER TYPE … ADD/RENAME VALUE`) and
//! composite types (`CREATE TYPE … AS (…)`, `ALTER TYPE … ADD/DROP/RENAME/ALTER ATTRIBUTE`),
//! their renames and drops, and what depends on them.

use sqlparser::ast::{
    AlterType, AlterTypeAddValuePosition, AlterTypeOperation, Ident, ObjectName,
    UserDefinedTypeCompositeAttributeDef, UserDefinedTypeRepresentation,
};
use sqlparser::tokenizer::Span;

use super::{dependents_error, list, Applied, Ctx};
use crate::catalog::types::BaseType;
use crate::catalog::{
    ident_name, Attribute, CastMethod, Catalog, CompositeType, Declared, EnumType, Key, Returns,
    SqlType,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::interpreter::fallback::AttributeAction;
use crate::suggest;

pub fn create_type(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &ObjectName,
    repr: Option<&UserDefinedTypeRepresentation>,
) -> Applied {
    let (n, span) = cx.object_name(name)?;
    cx.check_schema(cat, &n, span)?;
    let labels = match repr {
        Some(UserDefinedTypeRepresentation::Enum { labels }) => labels,
        Some(UserDefinedTypeRepresentation::Composite { attributes }) => {
            return create_composite(cx, cat, n, span, attributes)
        }
        _ => {
            return Err(cx.unsupported(
                "types other than enums and composite types",
                span,
                "use an enum, a composite type, or columns of built-in types",
            ))
        }
    };
    if cat.type_taken(&n) {
        return Err(cx.duplicate("type", &n, span));
    }
    let mut out: Vec<String> = Vec::new();
    for l in labels {
        check_label(cx, &l.value, l.span)?;
        if out.contains(&l.value) {
            return Err(cx
                .error(
                    Code::DuplicateObject,
                    format!("enum label `{}` used more than once", l.value),
                    l.span,
                )
                .with_help("remove the repeated label"));
        }
        out.push(l.value.clone());
    }
    cat.enums.push(EnumType {
        name: n,
        service: cat.service.clone(),
        labels: out,
    });
    Ok(())
}

fn create_composite(
    cx: &Ctx,
    cat: &mut Catalog,
    name: String,
    span: Span,
    defs: &[UserDefinedTypeCompositeAttributeDef],
) -> Applied {
    if cat.type_taken(&name) {
        return Err(cx.duplicate("type", &name, span));
    }
    let mut attributes: Vec<Attribute> = Vec::new();
    for d in defs {
        let a = attribute(cx, cat, &d.name, &d.data_type, d.collation.as_ref())?;
        if attributes.iter().any(|x| x.name == a.name) {
            return Err(cx.duplicate_in(
                "attribute",
                &a.name,
                &format!("of type `{name}`"),
                d.name.span,
            ));
        }
        attributes.push(a);
    }
    cat.composites.push(CompositeType {
        name,
        service: cat.service.clone(),
        attributes,
    });
    Ok(())
}

/// One attribute of a composite type: its type resolved (no serial pseudo-types, which
/// exist only in column definitions), its collation known and applicable.
fn attribute(
    cx: &Ctx,
    cat: &Catalog,
    name: &Ident,
    data_type: &sqlparser::ast::DataType,
    collation: Option<&ObjectName>,
) -> Result<Attribute, Diagnostic> {
    let ty = super::table::resolve_value_type(cx, cat, data_type, name.span)?;
    if let Some(c) = collation {
        super::table::check_collation(cx, cat, &ty, c)?;
    }
    Ok(Attribute {
        name: ident_name(name),
        ty,
    })
}

fn check_label(cx: &Ctx, label: &str, span: Span) -> Applied {
    if label.is_empty() || label.len() > 63 {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("invalid enum label `{label}`"),
                span,
            )
            .with_help("labels must be 1 to 63 bytes long"));
    }
    Ok(())
}

/// The enum, composite type or domain `name`, or PostgreSQL's error.
pub(super) fn existing_type(
    cx: &Ctx,
    cat: &Catalog,
    name: &str,
    span: Span,
) -> Result<BaseType, Diagnostic> {
    match cat.user_type(name) {
        Some(BaseType::Composite(_)) if cat.composite_type(name).is_none() => Err(cx
            .error(
                Code::InvalidDefinition,
                format!("`{name}` is the row type of a table, view or sequence"),
                span,
            )
            .with_help("alter the table itself (ALTER TABLE)")),
        Some(t) => Ok(t),
        None => {
            let names = cat
                .enums
                .iter()
                .map(|e| e.name.as_str())
                .chain(cat.composites.iter().map(|c| c.name.as_str()))
                .chain(cat.domains.iter().map(|d| d.name.as_str()));
            Err(cx.unknown(
                Code::UnknownType,
                "type",
                name,
                span,
                names,
                "create the type with CREATE TYPE first",
            ))
        }
    }
}

pub fn alter_type(cx: &Ctx, cat: &mut Catalog, at: &AlterType) -> Applied {
    let (name, span) = cx.object_name(&at.name)?;
    let kind = existing_type(cx, cat, &name, span)?;
    if let AlterTypeOperation::Rename(r) = &at.operation {
        let new_name = crate::catalog::names::qualify(
            crate::catalog::split_key(&name).0,
            ident_name(&r.new_name),
        );
        if cat.type_taken(&new_name) {
            return Err(cx.duplicate("type", &new_name, r.new_name.span));
        }
        rename_type(cat, &name, &new_name);
        return Ok(());
    }
    let Some(e) = cat.enum_type(&name).cloned() else {
        let (what, help) = match kind {
            BaseType::Domain { .. } => ("a domain", "change a domain with ALTER DOMAIN"),
            _ => (
                "a composite type",
                "change a composite type with ALTER TYPE … ADD/DROP/RENAME ATTRIBUTE",
            ),
        };
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("`{name}` is {what}, not an enum"),
                span,
            )
            .with_help(help));
    };
    let unknown_label = |label: &Ident| {
        cx.error(
            Code::UnknownEnumLabel,
            format!(
                "`{}` is not an existing label of enum `{name}`",
                label.value
            ),
            label.span,
        )
        .with_help(suggest::did_you_mean(
            &label.value,
            e.labels.iter().map(String::as_str),
            || {
                format!(
                    "enum `{name}` has labels {}",
                    list(e.labels.iter().map(String::as_str))
                )
            },
        ))
    };
    let mut labels = e.labels.clone();
    match &at.operation {
        AlterTypeOperation::AddValue(add) => {
            check_label(cx, &add.value.value, add.value.span)?;
            if labels.contains(&add.value.value) {
                if add.if_not_exists {
                    return Ok(());
                }
                return Err(cx.duplicate_in(
                    "enum label",
                    &add.value.value,
                    &format!("of enum `{name}`"),
                    add.value.span,
                ));
            }
            let at_index = match &add.position {
                None => labels.len(),
                Some(AlterTypeAddValuePosition::Before(l)) => labels
                    .iter()
                    .position(|x| *x == l.value)
                    .ok_or_else(|| unknown_label(l))?,
                Some(AlterTypeAddValuePosition::After(l)) => {
                    labels
                        .iter()
                        .position(|x| *x == l.value)
                        .ok_or_else(|| unknown_label(l))?
                        + 1
                }
            };
            labels.insert(at_index, add.value.value.clone());
        }
        AlterTypeOperation::RenameValue(r) => {
            let i = labels
                .iter()
                .position(|x| *x == r.from.value)
                .ok_or_else(|| unknown_label(&r.from))?;
            if labels.contains(&r.to.value) {
                return Err(cx.duplicate_in(
                    "enum label",
                    &r.to.value,
                    &format!("of enum `{name}`"),
                    r.to.span,
                ));
            }
            check_label(cx, &r.to.value, r.to.span)?;
            labels[i] = r.to.value.clone();
        }
        AlterTypeOperation::Rename(_) => unreachable!("handled above"),
    }
    // Found at the top (`e`); nothing above adds or removes enums.
    if let Some(mut slot) = cat.enums.named_mut(&name) {
        slot.labels = labels;
    }
    Ok(())
}

/// Renames a user type everywhere the catalog names it: columns, attributes, and the type
/// itself.
pub(super) fn rename_type(cat: &mut Catalog, from: &str, to: &str) {
    // Through domains' base types too, which columns of a domain carry.
    fn retype(t: &mut SqlType, from: &str, to: &str) {
        match &mut t.base {
            BaseType::Enum(n) | BaseType::Composite(n) if n == from => *n = to.to_string(),
            BaseType::Domain { name, base } => {
                if name == from {
                    *name = to.to_string();
                }
                retype(base, from, to);
            }
            _ => {}
        }
    }
    // What mentions the type: its users, and those of the domains over it (a column of a
    // domain over the type names it inside the domain's base), found through the index.
    let mut names = vec![from.to_string()];
    let mut i = 0;
    while i < names.len() {
        for d in cat.domains.with_key(&Key::Uses(names[i].clone())) {
            if !names.contains(&d.name) {
                names.push(d.name.clone());
            }
        }
        i += 1;
    }
    let tables = cat.tables.slots_using(&names);
    cat.tables.update_slots(tables, |t| {
        t.columns
            .iter_mut()
            .for_each(|c| retype(&mut c.ty, from, to));
    });
    let composites = cat.composites.slots_using(&names);
    cat.composites.update_slots(composites, |c| {
        c.attributes
            .iter_mut()
            .for_each(|a| retype(&mut a.ty, from, to));
    });
    let mut domains = cat.domains.slots_using(&names);
    domains.extend(cat.domains.slot_named(from));
    domains.sort_unstable();
    domains.dedup();
    cat.domains.update_slots(domains, |d| {
        retype(&mut d.base, from, to);
        if d.name == from {
            d.name = to.to_string();
        }
    });
    // Routines of the type change signature; what names them by signature (aggregates'
    // parts, casts' functions) follows.
    let of_type = cat.routines_of_type(from);
    let mut renamed = Vec::new();
    cat.routines.update_where(
        |r| of_type.contains(&r.signature()),
        |r| {
            let was = r.signature();
            let declared = |d: &mut Declared| {
                if let Declared::Type(t) = d {
                    retype(t, from, to);
                }
            };
            r.args.iter_mut().for_each(|a| declared(&mut a.ty));
            match &mut r.returns {
                Returns::Value { ty, .. } => declared(ty),
                Returns::Columns { columns, .. } => {
                    columns.iter_mut().for_each(|(_, t)| retype(t, from, to))
                }
                _ => {}
            }
            renamed.push((was, r.signature()));
        },
    );
    for (was, now) in &renamed {
        cat.routines.update_users(was, |r| {
            r.uses
                .iter_mut()
                .filter(|u| *u == was)
                .for_each(|u| *u = now.clone())
        });
    }
    for c in &mut cat.casts {
        retype(&mut c.source, from, to);
        retype(&mut c.target, from, to);
        if let CastMethod::Function(f) = &mut c.method {
            if let Some((_, now)) = renamed.iter().find(|(was, _)| was == f) {
                *f = now.clone();
            }
        }
    }
    if let Some(mut e) = cat.enums.named_mut(from) {
        e.name = to.to_string();
    }
    if let Some(mut c) = cat.composites.named_mut(from) {
        c.name = to.to_string();
    }
}

/// `ALTER TYPE t ADD | DROP | RENAME | ALTER ATTRIBUTE …` on a composite type.
pub fn alter_composite(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &str,
    span: Span,
    actions: &[AttributeAction],
    cascade: bool,
) -> Applied {
    match existing_type(cx, cat, name, span)? {
        BaseType::Enum(_) => {
            return Err(cx
                .error(
                    Code::InvalidDefinition,
                    format!("`{name}` is an enum, not a composite type"),
                    span,
                )
                .with_help("change an enum with ALTER TYPE … ADD VALUE or RENAME VALUE"))
        }
        BaseType::Domain { .. } => {
            return Err(cx
                .error(
                    Code::InvalidDefinition,
                    format!("`{name}` is a domain, not a composite type"),
                    span,
                )
                .with_help("change a domain with ALTER DOMAIN"))
        }
        _ => {}
    }
    // Stored values would need rewriting: PostgreSQL refuses to change an attribute's type
    // while a table column holds the type, directly or inside another composite type
    // (adding, dropping and renaming attributes are allowed).
    let changes_type = actions
        .iter()
        .any(|a| matches!(a, AttributeAction::SetType { .. }));
    if let (true, Some((t, c))) = (changes_type, stored_use(cat, name)) {
        return Err(cx
            .error(
                Code::DependentObjects,
                format!("cannot alter type `{name}` because column `{t}.{c}` uses it"),
                span,
            )
            .with_help("add a new attribute and migrate the values instead, or change the column's type first"));
    }
    let _ = cascade; // CASCADE reaches typed tables, which the checker does not model.
    let mut attributes = cat
        .composite_type(name)
        .map(|c| c.attributes.clone())
        .unwrap_or_default();
    let position = |attributes: &[Attribute], a: &(String, Span)| {
        attributes
            .iter()
            .position(|x| x.name == a.0)
            .ok_or_else(|| {
                cx.error(
                    Code::UnknownColumn,
                    format!("unknown attribute `{}` of type `{name}`", a.0),
                    a.1,
                )
                .with_help(suggest::did_you_mean(
                    &a.0,
                    attributes.iter().map(|x| x.name.as_str()),
                    || {
                        format!(
                            "type `{name}` has attributes {}",
                            list(attributes.iter().map(|x| x.name.as_str()))
                        )
                    },
                ))
            })
    };
    for action in actions {
        match action {
            AttributeAction::Add {
                name: a,
                data_type,
                collation,
            } => {
                let ident = Ident::with_span(a.1, a.0.clone());
                let mut new = attribute(cx, cat, &ident, data_type, collation.as_ref())?;
                new.name = a.0.clone();
                if new.ty.composite_name() == Some(name) {
                    return Err(cx
                        .error(
                            Code::InvalidDefinition,
                            format!("composite type `{name}` cannot be made a member of itself"),
                            a.1,
                        )
                        .with_help("use another type for the attribute"));
                }
                if attributes.iter().any(|x| x.name == new.name) {
                    return Err(cx.duplicate_in(
                        "attribute",
                        &new.name,
                        &format!("of type `{name}`"),
                        a.1,
                    ));
                }
                attributes.push(new);
            }
            AttributeAction::Drop { name: a, if_exists } => {
                if *if_exists && !attributes.iter().any(|x| x.name == a.0) {
                    continue;
                }
                let i = position(&attributes, a)?;
                attributes.remove(i);
            }
            AttributeAction::Rename { from, to } => {
                let i = position(&attributes, from)?;
                if attributes.iter().any(|x| x.name == to.0) {
                    return Err(cx.duplicate_in(
                        "attribute",
                        &to.0,
                        &format!("of type `{name}`"),
                        to.1,
                    ));
                }
                attributes[i].name = to.0.clone();
            }
            AttributeAction::SetType {
                name: a,
                data_type,
                collation,
            } => {
                let i = position(&attributes, a)?;
                let ident = Ident::with_span(a.1, a.0.clone());
                attributes[i].ty = attribute(cx, cat, &ident, data_type, collation.as_ref())?.ty;
            }
        }
    }
    if let Some(mut c) = cat.composites.named_mut(name) {
        c.attributes = attributes;
    }
    Ok(())
}

/// A table column that stores values of type `name`, directly or inside composite types
/// that contain it.
fn stored_use(cat: &Catalog, name: &str) -> Option<(String, String)> {
    let mut types = vec![name.to_string()];
    let mut i = 0;
    while i < types.len() {
        for (owner, column) in cat.uses_of_type(&types[i]) {
            if cat.table(&owner).is_some() {
                return Some((owner, column));
            }
            if !types.contains(&owner) {
                types.push(owner);
            }
        }
        i += 1;
    }
    None
}

pub(super) fn drop_type(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &str,
    span: Span,
    if_exists: bool,
    cascade: bool,
) -> Applied {
    if cat.user_type(name).is_none() {
        if if_exists {
            return Ok(());
        }
        return Err(existing_type(cx, cat, name, span).unwrap_err());
    }
    existing_type(cx, cat, name, span)?;
    let users = cat.uses_of_type(name);
    let domains = cat.domains_over(name);
    let casts = cat.casts_of_type(name);
    let routines = cat.routines_of_type(name);
    let blocked = !users.is_empty() || !domains.is_empty() || !casts.is_empty();
    if (blocked || !routines.is_empty()) && !cascade {
        let deps: Vec<String> = users
            .iter()
            .map(|(t, c)| match cat.table(t) {
                Some(_) => format!("column `{t}.{c}`"),
                None => format!("attribute `{t}.{c}`"),
            })
            .chain(domains.iter().map(|d| format!("domain `{d}`")))
            .chain(casts.into_iter().map(crate::catalog::Cast::describe))
            .chain(routines.iter().map(|r| format!("function `{r}`")))
            .collect();
        let noun = if cat.domain(name).is_some() {
            "domain"
        } else {
            "type"
        };
        return Err(dependents_error(
            cx,
            &format!("{noun} `{name}`"),
            &deps,
            span,
        ));
    }
    remove_type(cat, name);
    Ok(())
}

/// Removes a user type and, as DROP … CASCADE does, what is of that type: columns,
/// attributes, and domains over it with what is of those.
fn remove_type(cat: &mut Catalog, name: &str) {
    for d in cat.domains_over(name) {
        remove_type(cat, &d);
    }
    remove_uses_of_type(cat, name);
    cat.casts
        .retain(|c| c.source.base_name() != name && c.target.base_name() != name);
    let routines = cat.routines_of_type(name);
    cat.routines.retain(|r| !routines.contains(&r.signature()));
    cat.enums.retain(|e| e.name != name);
    cat.composites.retain(|c| c.name != name);
    cat.domains.retain(|d| d.name != name);
}

/// DROP … CASCADE of a type (or of a table whose row type is stored elsewhere): the columns
/// and attributes of that type go, with the constraints and indexes on those columns.
pub(super) fn remove_uses_of_type(cat: &mut Catalog, name: &str) {
    remove_columns(cat, cat.uses_of_type(name));
}

/// Removes columns and composite attributes given as (owner, column), with the constraints
/// and indexes on those columns.
pub(super) fn remove_columns(cat: &mut Catalog, columns: Vec<(String, String)>) {
    for (owner, column) in columns {
        if let Some(mut table) = cat.tables.named_mut(&owner) {
            table.columns.retain(|x| x.name != column);
            table.dropped_columns += 1;
            table
                .constraints
                .retain(|x| !x.kind.columns().contains(&column));
            drop(table);
            let on_table = cat.indexes.slots_with(&Key::Uses(owner.clone()));
            let gone = on_table
                .into_iter()
                .filter(|&i| cat.indexes[i].all_columns().any(|x| *x == column));
            cat.indexes.remove_slots(gone.collect::<Vec<_>>());
        } else if let Some(mut c) = cat.composites.named_mut(&owner) {
            c.attributes.retain(|a| a.name != column);
        }
    }
}
