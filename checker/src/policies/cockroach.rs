//! CockroachDB compatibility: one table of rules, each with its reason and the CockroachDB
//! documentation page it comes from. CockroachDB cannot be installed here, so the guarantee
//! is rule-based; the rules match resolved AST nodes (a function call, an operator, a type, a
//! statement), never text, so `'pg_notify'` in a string or a user column named `oid` pass.
//!
//! Errors are features CockroachDB lacks. Warnings (`divergence`) are where the same SQL
//! means something else there; in queries the macros turn a divergence that changes the Rust
//! type into an error explaining the cast to add.

use crate::diagnostic::{Code, Diagnostic};

/// A CockroachDB rule, named in messages and in `allow = [...]` by its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CrdbRule {
    AdvisoryLocks,
    ListenNotify,
    FullTextSearch,
    Domains,
    Rules,
    Inheritance,
    ExclusionConstraints,
    LockTable,
    SystemColumns,
    LargeObjects,
    Serial,
    Sequences,
    Triggers,
    Plpgsql,
    IntWidth,
    IntegerDivision,
    SumOfIntegers,
    JsonbKeys,
    NestedArrays,
    UserCasts,
}

pub struct Rule {
    pub rule: CrdbRule,
    /// The id used in messages and in `allow = [...]`.
    pub id: &'static str,
    /// An error (unsupported) or a warning (behaves differently).
    pub error: bool,
    pub reason: &'static str,
    pub doc: &'static str,
}

const COMPAT: &str = "https://www.cockroachlabs.com/docs/stable/postgresql-compatibility";

pub static RULES: &[Rule] = &[
    Rule { rule: CrdbRule::AdvisoryLocks, id: "advisory-locks", error: true, reason: "CockroachDB has no advisory locks (`pg_advisory_lock` and the other `pg_*advisory*` functions)", doc: COMPAT },
    Rule { rule: CrdbRule::ListenNotify, id: "listen-notify", error: true, reason: "CockroachDB has no LISTEN, NOTIFY, UNLISTEN or pg_notify", doc: COMPAT },
    Rule { rule: CrdbRule::FullTextSearch, id: "full-text-search", error: true, reason: "PostgreSQL full-text search (`tsvector`, `tsquery`, `to_tsvector`, `@@`, …) is not portable to CockroachDB", doc: COMPAT },
    Rule { rule: CrdbRule::Domains, id: "domains", error: true, reason: "CockroachDB does not support CREATE DOMAIN", doc: COMPAT },
    Rule { rule: CrdbRule::Rules, id: "rules", error: true, reason: "CockroachDB does not support CREATE RULE", doc: COMPAT },
    Rule { rule: CrdbRule::Inheritance, id: "inheritance", error: true, reason: "CockroachDB has no table inheritance (INHERITS)", doc: COMPAT },
    Rule { rule: CrdbRule::ExclusionConstraints, id: "exclusion-constraints", error: true, reason: "CockroachDB has no EXCLUDE constraints", doc: COMPAT },
    Rule { rule: CrdbRule::LockTable, id: "lock-table", error: true, reason: "CockroachDB does not support LOCK TABLE", doc: COMPAT },
    Rule { rule: CrdbRule::SystemColumns, id: "system-columns", error: true, reason: "CockroachDB has no PostgreSQL system columns (`xmin`, `xmax`, `cmin`, `cmax`, `ctid`, `tableoid`)", doc: COMPAT },
    Rule { rule: CrdbRule::LargeObjects, id: "large-objects", error: true, reason: "CockroachDB has no large objects (`lo_*` functions)", doc: COMPAT },
    Rule { rule: CrdbRule::Serial, id: "serial", error: false, reason: "on CockroachDB SERIAL is INT8 filled by unique_rowid(): not sequential, and 64-bit; prefer UUID keys (`DEFAULT gen_random_uuid()`)", doc: "https://www.cockroachlabs.com/docs/stable/serial" },
    Rule { rule: CrdbRule::Sequences, id: "sequences", error: false, reason: "sequences are a contention point on CockroachDB; prefer UUID keys", doc: "https://www.cockroachlabs.com/docs/stable/create-sequence" },
    Rule { rule: CrdbRule::Triggers, id: "triggers", error: false, reason: "trigger support depends on the CockroachDB version (v24.3+)", doc: "https://www.cockroachlabs.com/docs/stable/triggers" },
    Rule { rule: CrdbRule::Plpgsql, id: "plpgsql", error: false, reason: "PL/pgSQL support depends on the CockroachDB version and is partial", doc: "https://www.cockroachlabs.com/docs/stable/plpgsql" },
    Rule { rule: CrdbRule::IntWidth, id: "int-width", error: false, reason: "`INT`/`INTEGER` is 64-bit on CockroachDB but 32-bit on PostgreSQL; declare `INT4` or `BIGINT` explicitly", doc: "https://www.cockroachlabs.com/docs/stable/int" },
    Rule { rule: CrdbRule::IntegerDivision, id: "integer-division", error: false, reason: "integer `/` returns DECIMAL on CockroachDB but an integer on PostgreSQL; cast the result, e.g. `(a / b)::INT8`", doc: "https://www.cockroachlabs.com/docs/stable/int" },
    Rule { rule: CrdbRule::SumOfIntegers, id: "sum-of-integers", error: false, reason: "`sum` of integers returns DECIMAL on CockroachDB; cast it, e.g. `sum(x)::INT8`", doc: "https://www.cockroachlabs.com/docs/stable/functions-and-operators" },
    Rule { rule: CrdbRule::JsonbKeys, id: "jsonb-keys", error: false, reason: "CockroachDB cannot index JSONB columns for PRIMARY KEY, UNIQUE or FOREIGN KEY constraints", doc: "https://www.cockroachlabs.com/docs/stable/jsonb" },
    Rule { rule: CrdbRule::NestedArrays, id: "nested-arrays", error: false, reason: "CockroachDB does not support nested (multi-dimensional) arrays", doc: "https://www.cockroachlabs.com/docs/stable/array" },
    Rule { rule: CrdbRule::UserCasts, id: "user-casts", error: true, reason: "CockroachDB does not support CREATE CAST; convert with a function call instead", doc: COMPAT },
];

impl CrdbRule {
    pub fn row(self) -> &'static Rule {
        // RULES lists the variants in declaration order (a test checks it).
        &RULES[self as usize]
    }

    pub fn id(self) -> &'static str {
        self.row().id
    }

    /// The rule named `id`, or `None`: text becomes a rule only here.
    pub fn from_id(id: &str) -> Option<CrdbRule> {
        RULES.iter().find(|r| r.id == id).map(|r| r.rule)
    }
}

/// The diagnostic for `rule`: `what` says what was found.
pub fn diagnostic(rule: CrdbRule, what: &str) -> Diagnostic {
    let r = rule.row();
    let id = r.id;
    let code = if r.error {
        Code::CrdbIncompatible
    } else {
        Code::CrdbDivergence
    };
    let message = if r.error {
        format!("{what} is not supported on CockroachDB ({id})")
    } else {
        format!("{what} behaves differently on CockroachDB ({id})")
    };
    let mut d = Diagnostic::new(code, message).with_help(format!(
        "{}; see {} (or allow `{id}` / set `targets = [\"postgres\"]` in the configuration)",
        r.reason, r.doc
    ));
    d.policy = Some(rule);
    d
}

/// The rule a function name breaks, if any.
pub fn function_rule(name: &str) -> Option<CrdbRule> {
    if name.starts_with("pg_") && name.contains("advisory") {
        Some(CrdbRule::AdvisoryLocks)
    } else if name == "pg_notify" {
        Some(CrdbRule::ListenNotify)
    } else if matches!(
        name,
        "to_tsvector"
            | "to_tsquery"
            | "plainto_tsquery"
            | "phraseto_tsquery"
            | "websearch_to_tsquery"
            | "ts_rank"
            | "ts_rank_cd"
            | "ts_headline"
            | "setweight"
            | "tsvector_update_trigger"
    ) {
        Some(CrdbRule::FullTextSearch)
    } else if name.starts_with("lo_") {
        Some(CrdbRule::LargeObjects)
    } else {
        None
    }
}

/// The rule a type name breaks, if any.
pub fn type_rule(t: &crate::catalog::SqlType) -> Option<CrdbRule> {
    use crate::catalog::types::Builtin;
    matches!(t.as_builtin(), Some(Builtin::TsVector | Builtin::TsQuery))
        .then_some(CrdbRule::FullTextSearch)
}

pub const SYSTEM_COLUMNS: &[&str] = &["xmin", "xmax", "cmin", "cmax", "ctid", "tableoid"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_cites_a_cockroachdb_page() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.rule as usize, i, "{}", r.id);
            assert_eq!(CrdbRule::from_id(r.id), Some(r.rule));
            assert!(
                r.doc.starts_with("https://www.cockroachlabs.com/docs/"),
                "{}",
                r.id
            );
            assert!(!r.reason.is_empty());
        }
        let d = diagnostic(CrdbRule::AdvisoryLocks, "`pg_advisory_lock`");
        assert!(d.message.contains("CockroachDB"));
        assert_eq!(
            function_rule("pg_try_advisory_xact_lock"),
            Some(CrdbRule::AdvisoryLocks)
        );
        assert_eq!(function_rule("pg_notify"), Some(CrdbRule::ListenNotify));
        assert_eq!(function_rule("lower"), None);
    }
}
