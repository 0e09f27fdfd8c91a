//! Applying DDL to the catalog, one statement at a time, with PostgreSQL's errors.
//!
//! Each handler works on a copy of the catalog (see [`super::apply`]), so a statement that
//! fails leaves no partial effect, as in PostgreSQL.

mod aggregates;
mod alter;
mod casts;
mod domains;
mod objects;
mod relocate;
mod routines;
mod sequence_options;
mod table;
mod table_as;
mod types;

use crate::policies::cockroach::CrdbRule;
use sqlparser::ast::{Ident, ObjectName, Spanned};
use sqlparser::tokenizer::Span;

use crate::analysis::Context;
use crate::catalog::{ident_name, Catalog, Table, TableId};
use crate::diagnostic::{Code, Diagnostic};
use crate::policies::Env;
use crate::source::Fragment;
use crate::suggest;

pub(super) use aggregates::create_aggregate;
pub(super) use alter::alter_table;
pub(super) use casts::apply as apply_cast_statement;
pub(super) use domains::apply as apply_domain_statement;
pub(super) use objects::*;
pub(super) use relocate::{alter_view, set_table_schema, set_type_schema, type_exists};
pub(super) use routines::{alter_routine, create_routine, create_trigger, drop_routines};
pub(super) use table::{create_table, create_table_with_likes};
pub(super) use types::{alter_composite, alter_type, create_type};

/// The statement being applied: where its diagnostics point.
pub(super) struct Ctx<'a> {
    pub frag: &'a Fragment,
    /// The settings and the other services' names the migrations are checked under.
    pub env: &'a Env,
    /// Warnings of this statement (errors are returned).
    pub warnings: std::cell::RefCell<Vec<Diagnostic>>,
}

pub(super) type Applied = Result<(), Diagnostic>;

impl<'a> Ctx<'a> {
    /// The context views and DML in a migration are analysed in: the catalog at this point.
    pub fn analysis<'c>(&self, cat: &'c Catalog) -> Context<'c>
    where
        'a: 'c,
    {
        Context {
            catalog: cat,
            env: self.env,
        }
    }

    pub fn error(&self, code: Code, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(code, message).at_span(self.frag, span)
    }

    /// A name as the catalog keys it: `public.x` is `x`, `s.x` stays `s.x`; PostgreSQL's own
    /// schemas hold nothing a service's catalog models.
    pub fn object_name(&self, name: &ObjectName) -> Result<(String, Span), Diagnostic> {
        let span = name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map_or_else(|| name.span(), |i| i.span);
        match crate::catalog::object_key(name) {
            Some(n)
                if crate::catalog::split_key(&n)
                    .0
                    .is_some_and(crate::catalog::is_system_schema) =>
            {
                Err(self
                    .error(
                        Code::Unsupported,
                        format!("not supported yet: `{name}` in PostgreSQL's own schema"),
                        name.span(),
                    )
                    .with_help("services keep their objects in `public` or a schema of their own"))
            }
            Some(n) => Ok((n, span)),
            None => Err(self
                .error(
                    Code::Unsupported,
                    format!("not supported yet: the name `{name}`"),
                    name.span(),
                )
                .with_help("name objects as `name` or `schema.name`")),
        }
    }

    /// A new object's schema must exist: `public`, or one a migration created.
    pub fn check_schema(&self, cat: &Catalog, key: &str, span: Span) -> Applied {
        match crate::catalog::split_key(key).0 {
            Some(schema) if !cat.schemas.iter().any(|s| s == schema) => Err(self
                .error(
                    Code::UnknownTable,
                    format!("schema `{schema}` does not exist"),
                    span,
                )
                .with_sqlstate("3F000")
                .with_help(format!(
                    "create it first: `CREATE SCHEMA IF NOT EXISTS {schema};`"
                ))),
            _ => Ok(()),
        }
    }

    /// A CockroachDB finding (an error or a warning, as its rule says), unless the target or
    /// configuration rules it out. The statement is valid PostgreSQL and still applies, so
    /// that what follows is checked against the schema PostgreSQL has: one error, not a
    /// cascade of unknown names after it.
    pub fn crdb_warning(&self, rule: CrdbRule, what: &str, span: Span) {
        if self.env.settings.enforces(rule) {
            let d = crate::policies::cockroach::diagnostic(rule, what);
            self.warnings.borrow_mut().push(d.at_span(self.frag, span));
        }
    }

    /// A CockroachDB incompatibility, as an error, when the service targets CockroachDB, for
    /// statements the checker does not apply anyway.
    pub fn crdb_error(&self, rule: CrdbRule, what: &str, span: Span) -> Option<Diagnostic> {
        self.env
            .settings
            .enforces(rule)
            .then(|| crate::policies::cockroach::diagnostic(rule, what).at_span(self.frag, span))
    }

    pub fn unknown_relation(
        &self,
        cat: &Catalog,
        name: &str,
        span: Span,
        noun: &str,
    ) -> Diagnostic {
        if let Some(owners) = self.env.foreign.get(name) {
            let (message, help) = crate::policies::ownership_message(noun, name, owners);
            return self
                .error(Code::CrossServiceReference, message, span)
                .with_help(help);
        }
        let candidates: Vec<&str> = cat.relation_names().collect();
        let schema = name.split_once('.').map(|(s, _)| s);
        let unknown_schema =
            schema.filter(|s| *s != "public" && !cat.schemas.iter().any(|k| k == s));
        self.error(Code::UnknownTable, format!("unknown {noun} `{name}`"), span).with_sqlstate(sqlstate::UNDEFINED_TABLE).with_help(
            suggest::missing_table(name, candidates, || match unknown_schema {
                // Supabase's `auth`, a queue's schema: another tool creates them.
                Some(schema) => format!(
                    "no migration of this service creates the schema `{schema}`; if another tool creates it, declare what this service uses of it in an SQL file listed in `external` in the configuration"
                ),
                None => format!("no {noun} `{name}` exists at this point of the migrations; create it in an earlier statement or migration"),
            }),
        )
    }

    /// The table `name`, or the error PostgreSQL gives (naming what the name is instead).
    pub fn table<'c>(
        &self,
        cat: &'c Catalog,
        name: &ObjectName,
    ) -> Result<(&'c Table, Span), Diagnostic> {
        let (id, span) = self.table_id(cat, name)?;
        Ok((&cat[id], span))
    }

    /// The table `name` names, resolved once for the handler to index by.
    pub fn table_id(
        &self,
        cat: &Catalog,
        name: &ObjectName,
    ) -> Result<(TableId, Span), Diagnostic> {
        let (n, span) = self.object_name(name)?;
        if let Some(id) = cat.table_id(&n) {
            return Ok((id, span));
        }
        Err(match cat.relation_kind(&n) {
            Some(other) => self
                .error(
                    Code::InvalidDefinition,
                    format!("`{n}` is a {}, not a table", other.noun()),
                    span,
                )
                .with_help("name a table here"),
            None => self.unknown_relation(cat, &n, span, "table"),
        })
    }

    /// "unknown {noun} `name`" with a suggestion from `candidates`, else `fallback` as help.
    pub fn unknown<'c>(
        &self,
        code: Code,
        noun: &str,
        name: &str,
        span: Span,
        candidates: impl IntoIterator<Item = &'c str>,
        fallback: &str,
    ) -> Diagnostic {
        let state = match noun {
            "function" | "procedure" => sqlstate::UNDEFINED_FUNCTION,
            "column" => sqlstate::UNDEFINED_COLUMN,
            "table" | "view" | "sequence" | "index" => sqlstate::UNDEFINED_TABLE,
            _ => sqlstate::UNDEFINED_OBJECT,
        };
        self.error(code, format!("unknown {noun} `{name}`"), span)
            .with_sqlstate(state)
            .with_help(suggest::did_you_mean(name, candidates, || {
                fallback.to_string()
            }))
    }

    pub fn unknown_column(&self, table: &Table, name: &str, span: Span) -> Diagnostic {
        self.error(
            Code::UnknownColumn,
            format!("unknown column `{name}` in table `{}`", table.name),
            span,
        )
        .with_sqlstate(sqlstate::UNDEFINED_COLUMN)
        .with_help(suggest::did_you_mean(
            name,
            table.columns.iter().map(|c| c.name.as_str()),
            || {
                format!(
                    "table `{}` has columns {}",
                    table.name,
                    list(table.columns.iter().map(|c| c.name.as_str()))
                )
            },
        ))
    }

    /// Resolves column identifiers of `table`, failing on the first unknown one.
    pub fn columns(&self, table: &Table, idents: &[Ident]) -> Result<Vec<String>, Diagnostic> {
        idents
            .iter()
            .map(|i| {
                let n = ident_name(i);
                match table.column(&n) {
                    Some(_) => Ok(n),
                    None => Err(self.unknown_column(table, &n, i.span)),
                }
            })
            .collect()
    }

    pub fn duplicate(&self, what: &str, name: &str, span: Span) -> Diagnostic {
        let state = match what {
            "relation" | "table" | "view" | "index" | "sequence" => sqlstate::DUPLICATE_TABLE,
            "function" | "procedure" => sqlstate::DUPLICATE_FUNCTION,
            "schema" => sqlstate::DUPLICATE_SCHEMA,
            _ => sqlstate::DUPLICATE_OBJECT,
        };
        self.error(
            Code::DuplicateObject,
            format!("{what} `{name}` already exists"),
            span,
        )
        .with_sqlstate(state)
        .with_help("pick another name, or drop the existing one first")
    }

    /// A name already taken inside its owner: "column `x` of table `t` already exists".
    pub fn duplicate_in(&self, what: &str, name: &str, owner: &str, span: Span) -> Diagnostic {
        let state = match what {
            "column" | "attribute" => sqlstate::DUPLICATE_COLUMN,
            _ => sqlstate::DUPLICATE_OBJECT,
        };
        self.error(
            Code::DuplicateObject,
            format!("{what} `{name}` {owner} already exists"),
            span,
        )
        .with_sqlstate(state)
        .with_help("pick another name, or drop the existing one first")
    }

    /// The error for a name already used in the relation namespace (tables, views, indexes
    /// and sequences share one).
    pub fn check_relation_free(&self, cat: &Catalog, name: &str, span: Span) -> Applied {
        match cat.relation_kind(name) {
            Some(kind) => Err(self
                .error(
                    Code::DuplicateObject,
                    format!("relation `{name}` already exists (a {})", kind.noun()),
                    span,
                )
                .with_sqlstate(sqlstate::DUPLICATE_TABLE)
                .with_help(
                    "tables, views, indexes and sequences share one namespace; pick another name",
                )),
            None => Ok(()),
        }
    }

    pub fn unsupported(&self, what: impl std::fmt::Display, span: Span, help: &str) -> Diagnostic {
        self.error(
            Code::Unsupported,
            format!("not supported yet: {what}"),
            span,
        )
        .with_help(help.to_string())
    }
}

/// The SQLSTATEs of the DDL errors a DO block's exception handler may catch.
pub(super) mod sqlstate {
    pub const DUPLICATE_OBJECT: &str = "42710";
    pub const DUPLICATE_TABLE: &str = "42P07";
    pub const DUPLICATE_COLUMN: &str = "42701";
    pub const DUPLICATE_FUNCTION: &str = "42723";
    pub const DUPLICATE_SCHEMA: &str = "42P06";
    pub const UNDEFINED_TABLE: &str = "42P01";
    pub const UNDEFINED_COLUMN: &str = "42703";
    pub const UNDEFINED_OBJECT: &str = "42704";
    pub const UNDEFINED_FUNCTION: &str = "42883";

    /// PL/pgSQL's condition names for them (`EXCEPTION WHEN duplicate_object`).
    pub const CONDITIONS: &[(&str, &str)] = &[
        ("duplicate_object", DUPLICATE_OBJECT),
        ("duplicate_table", DUPLICATE_TABLE),
        ("duplicate_column", DUPLICATE_COLUMN),
        ("duplicate_function", DUPLICATE_FUNCTION),
        ("duplicate_schema", DUPLICATE_SCHEMA),
        ("undefined_table", UNDEFINED_TABLE),
        ("undefined_column", UNDEFINED_COLUMN),
        ("undefined_object", UNDEFINED_OBJECT),
        ("undefined_function", UNDEFINED_FUNCTION),
    ];
}

/// `a`, `b` and `c` as backticked list for messages.
pub(super) fn list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
    if v.is_empty() {
        "none".to_string()
    } else {
        v.join(", ")
    }
}
