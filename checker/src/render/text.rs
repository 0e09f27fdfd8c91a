//! The readable summary `checked-query schema` prints without `--format json`.

use std::fmt::Write;

use crate::catalog::{Catalog, ConstraintKind, IndexKey};

pub fn schema(catalog: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "service `{}`: {} table(s), {} enum(s), {} view(s)",
        catalog.service,
        catalog.tables.len(),
        catalog.enums.len(),
        catalog.views.len()
    );
    for t in &catalog.tables {
        let _ = writeln!(
            out,
            "\ntable {}{}",
            t.name,
            t.partition_of
                .as_ref()
                .map(|p| format!(" (partition of {p})"))
                .unwrap_or_default()
        );
        for c in &t.columns {
            let mut notes = Vec::new();
            if c.not_null {
                notes.push("not null".to_string());
            }
            if let Some(d) = &c.default {
                notes.push(format!("default {d}"));
            }
            if let Some(i) = c.identity {
                notes.push(format!(
                    "identity {}",
                    if i == crate::catalog::Identity::Always {
                        "always"
                    } else {
                        "by default"
                    }
                ));
            }
            if let Some(g) = &c.generated {
                notes.push(format!("generated {g}"));
            }
            let _ = writeln!(
                out,
                "  {:<24} {:<28} {}",
                c.name,
                c.ty.with_modifiers(),
                notes.join(", ")
            );
        }
        for c in &t.constraints {
            let what = match &c.kind {
                ConstraintKind::PrimaryKey { columns } => {
                    format!("primary key ({})", columns.join(", "))
                }
                ConstraintKind::Unique { columns } => format!("unique ({})", columns.join(", ")),
                ConstraintKind::ForeignKey {
                    columns,
                    ref_table,
                    ref_columns,
                    ..
                } => {
                    format!(
                        "foreign key ({}) references {ref_table} ({})",
                        columns.join(", "),
                        ref_columns.join(", ")
                    )
                }
                ConstraintKind::Check { expr, .. } => format!("check ({expr})"),
                ConstraintKind::Exclude { columns } => format!("exclude ({})", columns.join(", ")),
            };
            let _ = writeln!(out, "  constraint {}: {what}", c.name);
        }
        for i in catalog
            .indexes
            .iter()
            .filter(|i| i.table == t.name && i.constraint.is_none())
        {
            let keys: Vec<String> = i
                .keys
                .iter()
                .map(|k| match k {
                    IndexKey::Column(c) => c.clone(),
                    IndexKey::Expression { text, .. } => text.clone(),
                })
                .collect();
            let _ = writeln!(
                out,
                "  {}index {} using {} ({}){}",
                if i.unique { "unique " } else { "" },
                i.name,
                i.method,
                keys.join(", "),
                i.predicate
                    .as_ref()
                    .map(|p| format!(" where {p}"))
                    .unwrap_or_default()
            );
        }
    }
    for e in &catalog.enums {
        let _ = writeln!(out, "\nenum {}: {}", e.name, e.labels.join(", "));
    }
    for c in &catalog.composites {
        let attributes: Vec<String> = c
            .attributes
            .iter()
            .map(|a| format!("{} {}", a.name, a.ty.with_modifiers()))
            .collect();
        let _ = writeln!(out, "\ntype {} as ({})", c.name, attributes.join(", "));
    }
    for d in &catalog.domains {
        let mut parts = vec![d.base.with_modifiers()];
        if let Some(default) = &d.default {
            parts.push(format!("default {default}"));
        }
        if d.not_null {
            parts.push("not null".to_string());
        }
        parts.extend(
            d.checks
                .iter()
                .map(|(n, e)| format!("constraint {n} check ({e})")),
        );
        let _ = writeln!(
            out,
            "
domain {} as {}",
            d.name,
            parts.join(" ")
        );
    }
    for v in &catalog.views {
        let kind = if v.materialized {
            "materialized view"
        } else {
            "view"
        };
        let _ = writeln!(out, "\n{kind} {}: {}", v.name, v.sql);
    }
    for c in &catalog.casts {
        let method = match &c.method {
            crate::catalog::CastMethod::Function(f) => format!("with function {f}"),
            crate::catalog::CastMethod::InOut => "with inout".to_string(),
        };
        let _ = writeln!(
            out,
            "\ncast ({} as {}) {method} as {}",
            c.source,
            c.target,
            c.context.name()
        );
    }
    out
}

/// The readable form of `checked-query describe`.
pub fn describe(analysed: &crate::verdict::Analysed) -> String {
    let analysis = &analysed.analysis;
    let mut out = String::new();
    if !analysis.ok() {
        return out;
    }
    for (i, p) in analysis.params.iter().enumerate() {
        match analysed.names.get(i) {
            Some(name) => {
                let _ = writeln!(out, "param ${} (:{name}): {p}", i + 1);
            }
            None => {
                let _ = writeln!(out, "param ${}: {p}", i + 1);
            }
        }
    }
    for c in &analysis.columns {
        let _ = writeln!(
            out,
            "column {}: {}{}",
            c.name,
            c.ty,
            if c.nullable { " (nullable)" } else { "" }
        );
    }
    if analysis.params.is_empty() && analysis.columns.is_empty() {
        let _ = writeln!(out, "ok: no parameters, no result columns");
    }
    out
}
