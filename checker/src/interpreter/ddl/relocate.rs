//! Moving and renaming relations: `ALTER TABLE … SET SCHEMA`, and `ALTER [MATERIALIZED]
//! VIEW` (`RENAME TO`, `SET SCHEMA`, `RENAME COLUMN`, and the forms that change nothing the
//! catalog holds: `OWNER TO`, `SET`/`RESET (option)`, column defaults).

use sqlparser::ast::{AlterView, AlterViewOperation, ObjectName, Spanned};
use sqlparser::tokenizer::Span;

use super::{Applied, Ctx};
use crate::catalog::names::qualify;
use crate::catalog::{ident_name, split_key, Catalog, RelationKind};
use crate::diagnostic::{Code, Diagnostic};

/// The key a relation has once moved to `schema` (`public` is the unqualified one).
fn moved_key(name: &str, schema: &str) -> String {
    let schema = (schema != "public").then_some(schema);
    qualify(schema, split_key(name).1.to_string())
}

/// The schema a `SET SCHEMA` names, which must exist.
fn target_schema(cx: &Ctx, cat: &Catalog, schema: &ObjectName) -> Result<String, Diagnostic> {
    let [part] = schema.0.as_slice() else {
        return Err(cx.unsupported(
            format!("schema name `{schema}`"),
            schema.span(),
            "name the schema with one identifier",
        ));
    };
    let Some(ident) = part.as_ident() else {
        return Err(cx.unsupported(
            format!("schema name `{schema}`"),
            schema.span(),
            "name the schema with one identifier",
        ));
    };
    let name = ident_name(ident);
    if name != "public" {
        cx.check_schema(cat, &format!("{name}.x"), ident.span)?;
    }
    Ok(name)
}

/// `ALTER TABLE t SET SCHEMA s`: the table moves with its indexes, owned
/// sequences and row type; constraints keep their names.
pub fn set_table_schema(
    cx: &Ctx,
    cat: &mut Catalog,
    table: &ObjectName,
    schema: &ObjectName,
) -> Applied {
    let (name, _) = cx.object_name(table)?;
    let (id, span) = cx.table_id(cat, table)?;
    let schema = target_schema(cx, cat, schema)?;
    let new = moved_key(&name, &schema);
    if new == name {
        return Ok(());
    }
    cx.check_relation_free(cat, &new, span)?;
    if cat.type_taken(&new) {
        return Err(cx.duplicate("type", &new, span));
    }
    super::alter::rename_table(cat, id, &new);
    cat.indexes.update_where(
        |i| i.table == new,
        |i| {
            i.name = moved_key(&i.name, &schema);
        },
    );
    cat.sequences.update(|s| {
        if s.owned_by.as_ref().is_some_and(|(t, _)| *t == new) {
            s.name = moved_key(&s.name, &schema);
        }
    });
    Ok(())
}

/// `ALTER TYPE t OWNER TO r`: the type must exist.
pub fn type_exists(cx: &Ctx, cat: &Catalog, name: &ObjectName) -> Applied {
    let (key, span) = cx.object_name(name)?;
    super::types::existing_type(cx, cat, &key, span).map(|_| ())
}

/// `ALTER TYPE t SET SCHEMA s`: an enum or composite type moves; the columns and
/// attributes of its type follow it.
pub fn set_type_schema(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &ObjectName,
    schema: &ObjectName,
) -> Applied {
    let (key, span) = cx.object_name(name)?;
    let kind = super::types::existing_type(cx, cat, &key, span)?;
    if matches!(kind, crate::catalog::types::BaseType::Domain { .. }) {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("`{key}` is a domain"),
                span,
            )
            .with_help("move a domain with ALTER DOMAIN … SET SCHEMA"));
    }
    let schema = target_schema(cx, cat, schema)?;
    let new = moved_key(&key, &schema);
    if new == key {
        return Ok(());
    }
    if cat.type_taken(&new) {
        return Err(cx.duplicate("type", &new, span));
    }
    super::types::rename_type(cat, &key, &new);
    Ok(())
}

pub fn alter_view(cx: &Ctx, cat: &mut Catalog, av: &AlterView) -> Applied {
    let (name, span) = cx.object_name(&av.name)?;
    let (want, noun) = if av.materialized {
        (RelationKind::MaterializedView, "materialized view")
    } else {
        (RelationKind::View, "view")
    };
    match cat.relation_kind(&name) {
        Some(k) if k == want => {}
        None if av.if_exists => return Ok(()),
        None => return Err(cx.unknown_relation(cat, &name, span, noun)),
        Some(other) => {
            return Err(cx
                .error(
                    Code::InvalidDefinition,
                    format!("`{name}` is a {}, not a {noun}", other.noun()),
                    span,
                )
                .with_sqlstate("42809")
                .with_help(format!("use the ALTER statement for a {}", other.noun())))
        }
    }
    match &av.operation {
        AlterViewOperation::RenameTo { new_name } => {
            let (new, nspan) = cx.object_name(new_name)?;
            // RENAME keeps the view in its schema.
            let new = qualify(split_key(&name).0, split_key(&new).1.to_string());
            rename_view(cx, cat, &name, &new, nspan)
        }
        AlterViewOperation::SetSchema { schema_name } => {
            let schema = target_schema(cx, cat, schema_name)?;
            let new = moved_key(&name, &schema);
            if new == name {
                return Ok(());
            }
            rename_view(cx, cat, &name, &new, span)?;
            cat.indexes.update_where(
                |i| i.table == new,
                |i| {
                    i.name = moved_key(&i.name, &schema);
                },
            );
            Ok(())
        }
        AlterViewOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => rename_view_column(cx, cat, &name, old_column_name, new_column_name),
        AlterViewOperation::AlterColumn { column_name, .. } => {
            view_column_index(cx, cat, &name, column_name).map(|_| ())
        }
        AlterViewOperation::OwnerTo(_)
        | AlterViewOperation::SetOptions { .. }
        | AlterViewOperation::ResetOptions { .. } => Ok(()),
        AlterViewOperation::As { .. } => {
            Err(cx.unsupported("ALTER VIEW … AS", span, "write CREATE OR REPLACE VIEW"))
        }
    }
}

fn rename_view(cx: &Ctx, cat: &mut Catalog, old: &str, new: &str, span: Span) -> Applied {
    cx.check_relation_free(cat, new, span)?;
    if cat.type_taken(new) {
        return Err(cx.duplicate("type", new, span));
    }
    cat.views.update(|v| {
        if v.name == old {
            v.name = new.to_string();
        }
        for r in v.relations.iter_mut().filter(|r| *r == old) {
            *r = new.to_string();
        }
    });
    cat.indexes.update_where(
        |i| i.table == old,
        |i| {
            i.table = new.to_string();
        },
    );
    super::types::rename_type(cat, old, new);
    Ok(())
}

fn view_column_index(
    cx: &Ctx,
    cat: &Catalog,
    view: &str,
    column: &sqlparser::ast::Ident,
) -> Result<Option<usize>, Diagnostic> {
    let col = ident_name(column);
    let v = cat.view(view).expect("the caller checked the view exists");
    let Some(columns) = &v.columns else {
        // Columns unknown (a query the analysis does not support): nothing to check against.
        return Ok(None);
    };
    match columns.iter().position(|c| c.name == col) {
        Some(i) => Ok(Some(i)),
        None => Err(cx
            .error(
                Code::UnknownColumn,
                format!("column `{col}` of relation `{view}` does not exist"),
                column.span,
            )
            .with_sqlstate("42703")
            .with_help("name one of the view's columns")),
    }
}

fn rename_view_column(
    cx: &Ctx,
    cat: &mut Catalog,
    view: &str,
    old: &sqlparser::ast::Ident,
    new: &sqlparser::ast::Ident,
) -> Applied {
    let Some(i) = view_column_index(cx, cat, view, old)? else {
        return Err(cx.unsupported(
            format!(
                "renaming a column of view `{view}`, whose query the checker could not analyse"
            ),
            old.span,
            "recreate the view with CREATE OR REPLACE VIEW and the new column name",
        ));
    };
    let new_name = ident_name(new);
    let mut v = cat.views.find_mut(|v| v.name == view).unwrap();
    let columns = v.columns.as_mut().unwrap();
    if columns.iter().any(|c| c.name == new_name) {
        return Err(cx.duplicate_in(
            "column",
            &new_name,
            &format!("of relation `{view}`"),
            new.span,
        ));
    }
    let old_name = std::mem::replace(&mut columns[i].name, new_name.clone());
    if let Some(n) = v.column_names.iter_mut().find(|n| **n == old_name) {
        *n = new_name;
    }
    Ok(())
}
