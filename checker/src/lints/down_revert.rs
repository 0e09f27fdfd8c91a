//! `down-does-not-revert` [error]
//!
//! **What**: applying UP n then DOWN n to the catalog must give the catalog after n-1:
//! tables, columns (type, nullability, default), keys, indexes, enums, views, sequences;
//! column order ignored. Where PostgreSQL cannot revert (enum labels cannot be dropped) a
//! warning says so instead.
//! **Why**: the seed says to test rollback before committing; a DOWN that leaves a column
//! behind breaks the next UP.
//! **Instead**: make DOWN undo exactly what UP did.

use std::collections::BTreeSet;

use crate::catalog::{Catalog, ConstraintKind, Index, IndexKey, Table};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::migrations::{Migration, Section};

fn column_line(t: &Table, c: &str) -> Option<String> {
    let col = t.column(c)?;
    Some(format!(
        "{} {}{}",
        col.ty.with_modifiers(),
        if col.not_null { "NOT NULL" } else { "NULL" },
        if col.has_default() {
            " with a default"
        } else {
            ""
        }
    ))
}

fn constraint_line(k: &ConstraintKind) -> String {
    match k {
        ConstraintKind::PrimaryKey { columns } => format!("PRIMARY KEY ({})", columns.join(", ")),
        ConstraintKind::Unique { columns } => format!("UNIQUE ({})", columns.join(", ")),
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            ..
        } => format!(
            "FOREIGN KEY ({}) REFERENCES {ref_table} ({})",
            columns.join(", "),
            ref_columns.join(", ")
        ),
        ConstraintKind::Check { expr, .. } => format!("CHECK ({expr})"),
        ConstraintKind::Exclude { columns } => format!("EXCLUDE ({})", columns.join(", ")),
    }
}

fn index_line(i: &Index) -> String {
    let keys: Vec<String> = i
        .keys
        .iter()
        .map(|k| match k {
            IndexKey::Column(c) => c.clone(),
            IndexKey::Expression { text, .. } => text.clone(),
        })
        .collect();
    format!(
        "{}({}){}",
        if i.unique { "UNIQUE " } else { "" },
        keys.join(", "),
        i.predicate
            .as_ref()
            .map(|p| format!(" WHERE {p}"))
            .unwrap_or_default()
    )
}

fn named<'a>(tables: &[&'a Table], name: &str) -> Option<&'a Table> {
    tables.iter().find(|t| t.name == name).copied()
}

/// What differs between the catalog before UP and the one after UP then DOWN: (message,
/// severity) pairs.
pub fn differences(before: &Catalog, after: &Catalog) -> Vec<(String, Severity)> {
    let mut out = Vec::new();
    let err = |m: String| (m, Severity::Error);
    let (tables_before, tables_after) = before.tables.unshared(&after.tables);
    let names = |ts: &[&Table]| -> BTreeSet<String> { ts.iter().map(|t| t.name.clone()).collect() };
    let (b, a) = (names(&tables_before), names(&tables_after));
    out.extend(
        a.difference(&b)
            .map(|t| err(format!("DOWN leaves table `{t}`"))),
    );
    out.extend(b.difference(&a).map(|t| {
        err(format!(
            "DOWN drops table `{t}`, which existed before the migration"
        ))
    }));
    for name in a.intersection(&b) {
        let (tb, ta) = (
            named(&tables_before, name).unwrap(),
            named(&tables_after, name).unwrap(),
        );
        let cols =
            |t: &Table| -> BTreeSet<String> { t.columns.iter().map(|c| c.name.clone()).collect() };
        let (cb, ca) = (cols(tb), cols(ta));
        out.extend(
            ca.difference(&cb)
                .map(|c| err(format!("DOWN leaves column `{name}.{c}`"))),
        );
        out.extend(cb.difference(&ca).map(|c| {
            err(format!(
                "DOWN drops column `{name}.{c}`, which existed before"
            ))
        }));
        for c in ca.intersection(&cb) {
            let (lb, la) = (column_line(tb, c), column_line(ta, c));
            if lb != la {
                out.push(err(format!(
                    "DOWN leaves column `{name}.{c}` as {} (it was {})",
                    la.unwrap_or_default(),
                    lb.unwrap_or_default()
                )));
            }
        }
        let cons = |t: &Table| -> BTreeSet<String> {
            t.constraints
                .iter()
                .map(|c| format!("`{}` {}", c.name, constraint_line(&c.kind)))
                .collect()
        };
        let (kb, ka) = (cons(tb), cons(ta));
        out.extend(
            ka.difference(&kb)
                .map(|c| err(format!("DOWN leaves constraint {c} on `{name}`"))),
        );
        out.extend(kb.difference(&ka).map(|c| {
            err(format!(
                "DOWN drops constraint {c} on `{name}`, which existed before"
            ))
        }));
    }
    let idx = |is: Vec<&Index>| -> BTreeSet<String> {
        is.into_iter()
            .filter(|i| i.constraint.is_none())
            .map(|i| format!("`{}` on `{}` {}", i.name, i.table, index_line(i)))
            .collect()
    };
    let (indexes_before, indexes_after) = before.indexes.unshared(&after.indexes);
    let (ib, ia) = (idx(indexes_before), idx(indexes_after));
    out.extend(
        ia.difference(&ib)
            .map(|i| err(format!("DOWN leaves index {i}"))),
    );
    out.extend(
        ib.difference(&ia)
            .map(|i| err(format!("DOWN drops index {i}, which existed before"))),
    );
    for e in &after.enums {
        match before.enum_type(&e.name) {
            None => out.push(err(format!("DOWN leaves enum type `{}`", e.name))),
            Some(eb) => {
                let extra: Vec<&String> =
                    e.labels.iter().filter(|l| !eb.labels.contains(l)).collect();
                let missing: Vec<&String> =
                    eb.labels.iter().filter(|l| !e.labels.contains(l)).collect();
                if !missing.is_empty() {
                    out.push(err(format!(
                        "DOWN leaves enum `{}` without label(s) {}",
                        e.name,
                        missing
                            .iter()
                            .map(|l| format!("'{l}'"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                } else if !extra.is_empty() {
                    out.push((
                        format!(
                            "DOWN leaves label(s) {} in enum `{}`: PostgreSQL cannot drop enum labels, so this part of the migration cannot be reverted",
                            extra.iter().map(|l| format!("'{l}'")).collect::<Vec<_>>().join(", "),
                            e.name
                        ),
                        Severity::Warning,
                    ));
                }
            }
        }
    }
    for e in &before.enums {
        if after.enum_type(&e.name).is_none() {
            out.push(err(format!(
                "DOWN drops enum type `{}`, which existed before",
                e.name
            )));
        }
    }
    let set = |v: Vec<&String>| -> BTreeSet<String> { v.into_iter().cloned().collect() };
    let (views_before, views_after) = before.views.unshared(&after.views);
    let (sequences_before, sequences_after) = before.sequences.unshared(&after.sequences);
    for (what, b, a) in [
        (
            "view",
            set(views_before.iter().map(|v| &v.name).collect()),
            set(views_after.iter().map(|v| &v.name).collect()),
        ),
        (
            "sequence",
            set(sequences_before.iter().map(|s| &s.name).collect()),
            set(sequences_after.iter().map(|s| &s.name).collect()),
        ),
    ] {
        out.extend(
            a.difference(&b)
                .map(|n| err(format!("DOWN leaves {what} `{n}`"))),
        );
        out.extend(
            b.difference(&a)
                .map(|n| err(format!("DOWN drops {what} `{n}`, which existed before"))),
        );
    }
    out
}

pub fn check(
    m: &Migration,
    before: &Catalog,
    after_down: Option<&Catalog>,
    down: &Section,
) -> Vec<Diagnostic> {
    let Some(after) = after_down else {
        return Vec::new();
    };
    let text = &down.file.text[down.range.clone()];
    let lead = text.len() - text.trim_start().len();
    let start = down.range.start + lead;
    let first_line_end = down.file.text[start..]
        .find('\n')
        .map_or(down.range.end, |n| start + n);
    differences(before, after)
        .into_iter()
        .map(|(message, severity)| {
            let mut d = Diagnostic::new(Code::DownDoesNotRevert, format!("{message} (migration `{}`)", m.name))
                .at(&down.file, start..first_line_end.max(start))
                .with_help(if severity == Severity::Error { "make the DOWN part undo exactly what the UP part does" } else { "accept it (and allow this rule here with a reason), or avoid adding enum labels you may need to roll back" });
            d.severity = severity;
            d
        })
        .collect()
}
