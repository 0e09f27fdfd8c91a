//! PostgreSQL's own relations as data: the tables and views of `pg_catalog` and the views of
//! `information_schema`, with their columns as a PostgreSQL 15 server describes them
//! (`system_catalog.tsv`, written by `scripts/gen-system-catalog.sh`). Queries read them as
//! a read-only built-in catalog: `SELECT relname FROM pg_class`, `information_schema.columns`.
//!
//! A column is NOT NULL exactly where `pg_attribute.attnotnull` says so, which holds for
//! catalog tables only: every view column may be NULL. A relation with a column whose type
//! the checker does not model (`anyarray` in `pg_stats`, …) is listed as unmodeled, so that
//! the checker says so rather than showing it with a column missing.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::types::Builtin;

/// The type of a system relation's column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Builtin {
        ty: Builtin,
        array: bool,
    },
    /// One of `information_schema`'s domains: the column has the domain's type, as
    /// PostgreSQL's Describe reports it; operators see its base type.
    Domain {
        name: &'static str,
        base: Builtin,
        modifiers: &'static [i64],
    },
}

/// `information_schema`'s domains (SQL standard, section 5 of the information schema) with
/// their base types.
const DOMAINS: &[(&str, Builtin, &[i64])] = &[
    ("information_schema.sql_identifier", Builtin::Name, &[]),
    ("information_schema.cardinal_number", Builtin::Integer, &[]),
    ("information_schema.character_data", Builtin::Varchar, &[]),
    ("information_schema.yes_or_no", Builtin::Varchar, &[3]),
    ("information_schema.time_stamp", Builtin::Timestamptz, &[2]),
];

#[derive(Debug)]
pub struct SystemColumn {
    pub name: &'static str,
    pub ty: ColumnType,
    pub not_null: bool,
}

#[derive(Debug)]
pub struct SystemRelation {
    /// `pg_catalog.pg_class`, `information_schema.columns`.
    pub name: &'static str,
    pub is_view: bool,
    pub columns: Vec<SystemColumn>,
}

/// What the built-in catalog knows of a relation name.
#[derive(Debug)]
pub enum Lookup {
    Relation(SystemRelation),
    /// The relation exists, but its column `column` has type `ty`, which the checker does
    /// not model.
    Unmodeled {
        column: &'static str,
        ty: &'static str,
    },
}

const DATA: &str = include_str!("system_catalog.tsv");

fn column_type(text: &'static str) -> Option<ColumnType> {
    if let Some(&(name, base, modifiers)) = DOMAINS.iter().find(|d| d.0 == text) {
        return Some(ColumnType::Domain {
            name,
            base,
            modifiers,
        });
    }
    let (name, array) = match text.strip_suffix("[]") {
        Some(elem) => (elem, true),
        None => (text, false),
    };
    Builtin::from_name(name).map(|ty| ColumnType::Builtin { ty, array })
}

fn relations() -> &'static HashMap<&'static str, Lookup> {
    static RELATIONS: OnceLock<HashMap<&'static str, Lookup>> = OnceLock::new();
    RELATIONS.get_or_init(|| {
        let mut out = HashMap::new();
        let mut lines = DATA.lines().peekable();
        while let Some(header) = lines.next() {
            let (name, kind) = header
                .split_once('\t')
                .expect("system_catalog.tsv: a relation line is `name<TAB>kind`");
            let mut columns = Vec::new();
            let mut unmodeled = None;
            while let Some(line) = lines.next_if(|l| l.starts_with('\t')) {
                let mut f = line[1..].split('\t');
                let (Some(col), Some(ty), Some(nulls)) = (f.next(), f.next(), f.next()) else {
                    panic!("system_catalog.tsv: a column line is `<TAB>name<TAB>type<TAB>nulls`: {line:?}");
                };
                match column_type(ty) {
                    Some(t) => columns.push(SystemColumn {
                        name: col,
                        ty: t,
                        not_null: nulls == "not null",
                    }),
                    None => {
                        unmodeled.get_or_insert(Lookup::Unmodeled { column: col, ty });
                    }
                }
            }
            let entry = unmodeled.unwrap_or_else(|| {
                Lookup::Relation(SystemRelation {
                    name,
                    is_view: kind == "view",
                    columns,
                })
            });
            out.insert(name, entry);
        }
        out
    })
}

/// The relation `schema.name` of PostgreSQL's own schemas, if there is one.
pub fn lookup(schema: &str, name: &str) -> Option<&'static Lookup> {
    relations().get(format!("{schema}.{name}").as_str())
}

/// Schemas PostgreSQL ships (`pg_catalog`, `information_schema`, `pg_toast`, …).
pub fn is_system_schema(schema: &str) -> bool {
    schema == "pg_catalog" || schema == "information_schema" || schema.starts_with("pg_")
}

/// What a catalog key (`pg_class`, `information_schema.columns`, `s.t`) names among
/// PostgreSQL's own relations: for a name qualified by a system schema, that schema, the
/// name and the relation if it exists; for an unqualified name `pg_catalog` has, that
/// relation (`pg_catalog` comes first on the search path). `None` for anything else: a
/// name of the service's own.
pub fn for_key(key: &str) -> Option<(&str, &str, Option<&'static Lookup>)> {
    match key.split_once('.') {
        Some((schema, name)) if is_system_schema(schema) => {
            Some((schema, name, lookup(schema, name)))
        }
        Some(_) => None,
        None => lookup("pg_catalog", key).map(|found| ("pg_catalog", key, Some(found))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_parses_and_holds_what_services_read() {
        let Some(Lookup::Relation(class)) = lookup("pg_catalog", "pg_class") else {
            panic!("pg_class")
        };
        assert!(!class.is_view);
        let relname = class.columns.iter().find(|c| c.name == "relname").unwrap();
        assert_eq!(
            relname.ty,
            ColumnType::Builtin {
                ty: Builtin::Name,
                array: false
            }
        );
        assert!(relname.not_null);
        let Some(Lookup::Relation(cols)) = lookup("information_schema", "columns") else {
            panic!("information_schema.columns")
        };
        assert!(cols.is_view && cols.columns.iter().all(|c| !c.not_null));
        assert!(matches!(
            lookup("pg_catalog", "pg_statistic_ext_data"),
            Some(Lookup::Unmodeled {
                column: "stxdexpr",
                ty: "pg_statistic[]"
            })
        ));
        assert!(lookup("pg_catalog", "pg_nope").is_none());
    }
}
