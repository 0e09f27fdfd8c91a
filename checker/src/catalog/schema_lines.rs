//! The catalog as comparable text lines, one per table, column, constraint, index, enum,
//! composite type, domain, view, sequence and user cast. `checked_query::testing` builds the same lines from PostgreSQL's
//! catalogs, so "the checker and the database agree" is a comparison of two sorted lists
//! with a readable difference.

use super::{Catalog, ConstraintKind, IndexKey};

/// The catalog as comparable lines. Column lines carry their position; everything else is
/// sorted, since creation order is not part of PostgreSQL's answer.
pub fn schema_lines(cat: &Catalog) -> Vec<String> {
    let mut lines = Vec::new();
    for t in &cat.tables {
        lines.push(format!("table {}", t.name));
        for (i, c) in t.columns.iter().enumerate() {
            lines.push(format!(
                "column {}.{:02} {} {} notnull={} default={}",
                t.name,
                i + 1,
                c.name,
                c.ty.with_modifiers(),
                c.not_null,
                c.has_default()
            ));
        }
        for c in &t.constraints {
            lines.push(match &c.kind {
                ConstraintKind::PrimaryKey { columns } => {
                    format!("constraint {}.{} p ({})", t.name, c.name, columns.join(","))
                }
                ConstraintKind::Unique { columns } => {
                    format!("constraint {}.{} u ({})", t.name, c.name, columns.join(","))
                }
                ConstraintKind::ForeignKey {
                    columns,
                    ref_table,
                    ref_columns,
                    ..
                } => format!(
                    "constraint {}.{} f ({}) -> {} ({})",
                    t.name,
                    c.name,
                    columns.join(","),
                    ref_table,
                    ref_columns.join(",")
                ),
                ConstraintKind::Check { .. } => format!("constraint {}.{} c", t.name, c.name),
                ConstraintKind::Exclude { columns } => {
                    format!("constraint {}.{} x ({})", t.name, c.name, columns.join(","))
                }
            });
        }
    }
    for i in &cat.indexes {
        let keys: Vec<&str> = i
            .keys
            .iter()
            .map(|k| match k {
                IndexKey::Column(c) => c.as_str(),
                IndexKey::Expression { .. } => "<expr>",
            })
            .collect();
        lines.push(format!(
            "index {}.{} unique={} keys=({}) include=({}) partial={}",
            i.table,
            i.name,
            i.unique,
            keys.join(","),
            i.include.join(","),
            i.predicate.is_some()
        ));
    }
    for e in &cat.enums {
        lines.push(format!("enum {} [{}]", e.name, e.labels.join(",")));
    }
    for c in &cat.composites {
        let attributes: Vec<String> = c
            .attributes
            .iter()
            .map(|a| format!("{} {}", a.name, a.ty.with_modifiers()))
            .collect();
        lines.push(format!("composite {} ({})", c.name, attributes.join(", ")));
    }
    for d in &cat.domains {
        let mut checks: Vec<&str> = d.checks.iter().map(|(n, _)| n.as_str()).collect();
        checks.sort();
        lines.push(format!(
            "domain {} {} notnull={} default={} checks=({})",
            d.name,
            d.base.with_modifiers(),
            d.not_null,
            d.default.is_some(),
            checks.join(",")
        ));
    }
    for v in &cat.views {
        let kind = if v.materialized { "matview" } else { "view" };
        lines.push(format!("{kind} {}", v.name));
    }
    for s in &cat.sequences {
        lines.push(format!("sequence {}", s.name));
    }
    for c in &cat.casts {
        lines.push(format!(
            "cast {} -> {} context={} method={}",
            c.source,
            c.target,
            c.context.letter(),
            c.method.letter()
        ));
    }
    lines.sort();
    lines
}
