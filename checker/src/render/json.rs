//! Machine output: every command prints diagnostics in the one shape of
//! [`Diagnostic`](crate::diagnostic::Diagnostic)'s serialisation.

use serde_json::{json, Value};

use crate::catalog::{CastMethod, Catalog, ConstraintKind, IndexKey};
use crate::diagnostic::Diagnostic;

pub fn diagnostics(diagnostics: &[Diagnostic]) -> Value {
    serde_json::to_value(diagnostics).expect("diagnostics serialise")
}

/// The `schema` command's document: tables (columns in attnum order), enums, composite types, domains, views,
/// indexes, and the diagnostics met while building it.
pub fn schema(catalog: &Catalog, diags: &[Diagnostic]) -> Value {
    let tables: Vec<Value> = catalog
        .tables
        .iter()
        .map(|t| {
            let constraints = |pred: fn(&ConstraintKind) -> bool| -> Vec<Value> {
                t.constraints
                    .iter()
                    .filter(|c| pred(&c.kind))
                    .map(|c| match &c.kind {
                        ConstraintKind::ForeignKey { columns, ref_table, ref_columns, on_delete, on_update } => json!({
                            "name": c.name, "columns": columns, "references": {"table": ref_table, "columns": ref_columns},
                            "on_delete": on_delete, "on_update": on_update,
                        }),
                        ConstraintKind::Check { expr, .. } => json!({"name": c.name, "expression": expr}),
                        other => json!({"name": c.name, "columns": other.columns()}),
                    })
                    .collect()
            };
            json!({
                "name": t.name,
                "service": t.service,
                "columns": t.columns.iter().map(|c| json!({
                    "name": c.name,
                    "type": c.ty.to_string(),
                    "full_type": c.ty.with_modifiers(),
                    "nullable": !c.not_null,
                    "default": c.has_default(),
                    "default_expression": c.default,
                    "identity": c.identity,
                    "generated": c.generated,
                })).collect::<Vec<_>>(),
                "primary_key": t.primary_key(),
                "unique": constraints(|k| matches!(k, ConstraintKind::Unique { .. })),
                "foreign_keys": constraints(|k| matches!(k, ConstraintKind::ForeignKey { .. })),
                "checks": constraints(|k| matches!(k, ConstraintKind::Check { .. })),
                "partition_key": t.partition_key,
                "partition_of": t.partition_of,
                "row_level_security": t.row_level_security,
            })
        })
        .collect();
    let indexes: Vec<Value> = catalog
        .indexes
        .iter()
        .map(|i| json!({
            "name": i.name,
            "table": i.table,
            "columns": i.keys.iter().map(|k| match k { IndexKey::Column(c) => c.clone(), IndexKey::Expression { text, .. } => text.clone() }).collect::<Vec<_>>(),
            "include": i.include,
            "unique": i.unique,
            "predicate": i.predicate,
            "method": i.method,
            "concurrently": i.concurrently,
            "constraint": i.constraint,
        }))
        .collect();
    json!({
        "service": catalog.service,
        "tables": tables,
        "enums": catalog.enums.iter().map(|e| json!({"name": e.name, "labels": e.labels})).collect::<Vec<_>>(),
        "composites": catalog.composites.iter().map(|c| json!({"name": c.name, "attributes": c.attributes.iter().map(|a| json!({"name": a.name, "type": a.ty.with_modifiers()})).collect::<Vec<_>>()})).collect::<Vec<_>>(),
        "domains": catalog.domains.iter().map(|d| json!({"name": d.name, "base": d.base.with_modifiers(), "default": d.default, "not_null": d.not_null, "checks": d.checks.iter().map(|(n, e)| json!({"name": n, "expr": e})).collect::<Vec<_>>()})).collect::<Vec<_>>(),
        "views": catalog.views.iter().map(|v| json!({"name": v.name, "sql": v.sql, "relations": v.relations})).collect::<Vec<_>>(),
        "indexes": indexes,
        "sequences": catalog.sequences.iter().map(|s| json!({"name": s.name, "owned_by": s.owned_by.as_ref().map(|(t, c)| format!("{t}.{c}"))})).collect::<Vec<_>>(),
        "extensions": catalog.extensions,
        "casts": catalog.casts.iter().map(|c| json!({
            "source": c.source.to_string(),
            "target": c.target.to_string(),
            "context": c.context.name(),
            "function": match &c.method { CastMethod::Function(f) => Some(f.as_str()), CastMethod::InOut => None },
        })).collect::<Vec<_>>(),
        "diagnostics": diagnostics(diags),
    })
}

/// One line of `checked-query describe --format json`; `names` are the `:name` parameters
/// in `$n` order, for named SQL.
pub fn describe(id: &Value, analysed: &crate::verdict::Analysed) -> Value {
    let analysis = &analysed.analysis;
    let mut v = json!({
        "id": id,
        "ok": analysis.ok(),
        "params": analysis.params.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
        "columns": analysis.columns,
        "diagnostics": diagnostics(&analysis.diagnostics),
    });
    if !analysed.names.is_empty() {
        v["names"] = json!(analysed.names);
        v["sql"] = json!(analysed.sql);
    }
    v
}
