//! Operators as data: the rows of PostgreSQL 15's `pg_operator` the checker models, each with
//! its left and right operand types, result type and how NULL flows. They are resolved by the
//! same overload rules as functions (`analysis::resolve`), as PostgreSQL resolves both from
//! its catalogs; adding an operator is adding a row.
//!
//! Comparison operators (`=`, `<`, …) and `AND`/`OR` are not rows: PostgreSQL defines a
//! comparison for every type of one btree family, so the analysis compares values of a common
//! type instead (see `analysis::compare`).

use super::tokens::Nulls::{Always, Strict};
use super::tokens::*;

#[derive(Debug)]
pub struct OperatorDef {
    /// `oprname`: `+`, `||`, `->>`.
    pub symbol: &'static str,
    /// Left and right operand types.
    pub args: &'static [Tok],
    pub ret: Tok,
    pub nulls: Nulls,
    /// The extension that defines it (`CREATE EXTENSION` makes it usable).
    pub extension: Option<&'static str>,
}

const fn op(symbol: &'static str, args: &'static [Tok], ret: Tok) -> OperatorDef {
    op_nulls(symbol, args, ret, Strict)
}

const fn op_nulls(
    symbol: &'static str,
    args: &'static [Tok],
    ret: Tok,
    nulls: Nulls,
) -> OperatorDef {
    OperatorDef {
        symbol,
        args,
        ret,
        nulls,
        extension: None,
    }
}

/// An operator an extension defines.
const fn op_ext(
    extension: &'static str,
    symbol: &'static str,
    args: &'static [Tok],
    ret: Tok,
    nulls: Nulls,
) -> OperatorDef {
    OperatorDef {
        extension: Some(extension),
        ..op_nulls(symbol, args, ret, nulls)
    }
}

/// `+ - * /` on one numeric type, as PostgreSQL declares them for each.
macro_rules! arithmetic {
    ($($t:expr),*) => {
        [$(
            op("+", &[$t, $t], $t),
            op("-", &[$t, $t], $t),
            op("*", &[$t, $t], $t),
            op("/", &[$t, $t], $t),
        )*]
    };
}

/// `+ - * /` between two integer or float types (`int24pl`, `float48mul`, …).
macro_rules! cross {
    ($(($l:expr, $r:expr, $ret:expr)),*) => {
        [$(
            op("+", &[$l, $r], $ret),
            op("-", &[$l, $r], $ret),
            op("*", &[$l, $r], $ret),
            op("/", &[$l, $r], $ret),
        )*]
    };
}

static NUMERIC_SAME: [OperatorDef; 24] = arithmetic!(INT2, INT4, INT8, NUMERIC, FLOAT4, FLOAT8);

static NUMERIC_CROSS: [OperatorDef; 32] = cross!(
    (INT2, INT4, INT4),
    (INT4, INT2, INT4),
    (INT2, INT8, INT8),
    (INT8, INT2, INT8),
    (INT4, INT8, INT8),
    (INT8, INT4, INT8),
    (FLOAT4, FLOAT8, FLOAT8),
    (FLOAT8, FLOAT4, FLOAT8)
);

static OTHERS: &[OperatorDef] = &[
    op("%", &[INT2, INT2], INT2),
    op("%", &[INT4, INT4], INT4),
    op("%", &[INT8, INT8], INT8),
    op("%", &[NUMERIC, NUMERIC], NUMERIC),
    op("^", &[FLOAT8, FLOAT8], FLOAT8),
    op("^", &[NUMERIC, NUMERIC], NUMERIC),
    // Bitwise operators on integers; shifts take an integer count.
    op("&", &[INT2, INT2], INT2),
    op("&", &[INT4, INT4], INT4),
    op("&", &[INT8, INT8], INT8),
    op("|", &[INT2, INT2], INT2),
    op("|", &[INT4, INT4], INT4),
    op("|", &[INT8, INT8], INT8),
    op("#", &[INT2, INT2], INT2),
    op("#", &[INT4, INT4], INT4),
    op("#", &[INT8, INT8], INT8),
    op("<<", &[INT2, INT4], INT2),
    op("<<", &[INT4, INT4], INT4),
    op("<<", &[INT8, INT4], INT8),
    op(">>", &[INT2, INT4], INT2),
    op(">>", &[INT4, INT4], INT4),
    op(">>", &[INT8, INT4], INT8),
    // Dates and times.
    op("+", &[DATE, INT4], DATE),
    op("+", &[INT4, DATE], DATE),
    op("-", &[DATE, INT4], DATE),
    op("-", &[DATE, DATE], INT4),
    op("+", &[DATE, INTERVAL], TS),
    op("+", &[INTERVAL, DATE], TS),
    op("-", &[DATE, INTERVAL], TS),
    op("+", &[DATE, TIME], TS),
    op("+", &[TIME, DATE], TS),
    op("+", &[TS, INTERVAL], TS),
    op("+", &[INTERVAL, TS], TS),
    op("-", &[TS, INTERVAL], TS),
    op("-", &[TS, TS], INTERVAL),
    op("+", &[TSTZ, INTERVAL], TSTZ),
    op("+", &[INTERVAL, TSTZ], TSTZ),
    op("-", &[TSTZ, INTERVAL], TSTZ),
    op("-", &[TSTZ, TSTZ], INTERVAL),
    op("+", &[TIME, INTERVAL], TIME),
    op("+", &[INTERVAL, TIME], TIME),
    op("-", &[TIME, INTERVAL], TIME),
    op("-", &[TIME, TIME], INTERVAL),
    op("+", &[INTERVAL, INTERVAL], INTERVAL),
    op("-", &[INTERVAL, INTERVAL], INTERVAL),
    op("*", &[INTERVAL, FLOAT8], INTERVAL),
    op("*", &[FLOAT8, INTERVAL], INTERVAL),
    op("/", &[INTERVAL, FLOAT8], INTERVAL),
    // Concatenation.
    op("||", &[TEXT, TEXT], TEXT),
    op("||", &[TEXT, ANYNONARRAY], TEXT),
    op("||", &[ANYNONARRAY, TEXT], TEXT),
    op("||", &[BYTEA, BYTEA], BYTEA),
    op("||", &[JSONB, JSONB], JSONB),
    op(
        "||",
        &[ANYCOMPATIBLEARRAY, ANYCOMPATIBLEARRAY],
        ANYCOMPATIBLEARRAY,
    ),
    op(
        "||",
        &[ANYCOMPATIBLEARRAY, ANYCOMPATIBLE],
        ANYCOMPATIBLEARRAY,
    ),
    op(
        "||",
        &[ANYCOMPATIBLE, ANYCOMPATIBLEARRAY],
        ANYCOMPATIBLEARRAY,
    ),
    // Pattern matching.
    op("~~", &[TEXT, TEXT], BOOL),
    op("!~~", &[TEXT, TEXT], BOOL),
    op("~~*", &[TEXT, TEXT], BOOL),
    op("!~~*", &[TEXT, TEXT], BOOL),
    op("~", &[TEXT, TEXT], BOOL),
    op("!~", &[TEXT, TEXT], BOOL),
    op("~*", &[TEXT, TEXT], BOOL),
    op("!~*", &[TEXT, TEXT], BOOL),
    // JSON: a missing key or index is NULL.
    op_nulls("->", &[JSON, TEXT], JSON, Always),
    op_nulls("->", &[JSON, INT4], JSON, Always),
    op_nulls("->", &[JSONB, TEXT], JSONB, Always),
    op_nulls("->", &[JSONB, INT4], JSONB, Always),
    op_nulls("->>", &[JSON, TEXT], TEXT, Always),
    op_nulls("->>", &[JSON, INT4], TEXT, Always),
    op_nulls("->>", &[JSONB, TEXT], TEXT, Always),
    op_nulls("->>", &[JSONB, INT4], TEXT, Always),
    op_nulls("#>", &[JSON, TEXT_ARR], JSON, Always),
    op_nulls("#>", &[JSONB, TEXT_ARR], JSONB, Always),
    op_nulls("#>>", &[JSON, TEXT_ARR], TEXT, Always),
    op_nulls("#>>", &[JSONB, TEXT_ARR], TEXT, Always),
    op("#-", &[JSONB, TEXT_ARR], JSONB),
    op("-", &[JSONB, TEXT], JSONB),
    op("-", &[JSONB, INT4], JSONB),
    op("-", &[JSONB, TEXT_ARR], JSONB),
    op("?", &[JSONB, TEXT], BOOL),
    op("?|", &[JSONB, TEXT_ARR], BOOL),
    op("?&", &[JSONB, TEXT_ARR], BOOL),
    // Containment and overlap.
    op("@>", &[JSONB, JSONB], BOOL),
    op("<@", &[JSONB, JSONB], BOOL),
    op("@>", &[ANYARRAY, ANYARRAY], BOOL),
    op("<@", &[ANYARRAY, ANYARRAY], BOOL),
    op("&&", &[ANYARRAY, ANYARRAY], BOOL),
    // Extensions: pg_trgm's similarity, hstore's key access and containment.
    op_ext("pg_trgm", "%", &[TEXT, TEXT], BOOL, Strict),
    // Full-text search matches.
    op("@@", &[TSVECTOR, TSQUERY], BOOL),
    op("@@", &[TSQUERY, TSVECTOR], BOOL),
    op("@@", &[TEXT, TSQUERY], BOOL),
    op("@@", &[TEXT, TEXT], BOOL),
    op("||", &[TSVECTOR, TSVECTOR], TSVECTOR),
    op("&&", &[TSQUERY, TSQUERY], TSQUERY),
    op("||", &[TSQUERY, TSQUERY], TSQUERY),
    op_ext("hstore", "->", &[HSTORE, TEXT], TEXT, Always),
    op_ext("hstore", "->", &[HSTORE, TEXT_ARR], TEXT_ARR, Strict),
    op_ext("hstore", "?", &[HSTORE, TEXT], BOOL, Strict),
    op_ext("hstore", "?|", &[HSTORE, TEXT_ARR], BOOL, Strict),
    op_ext("hstore", "?&", &[HSTORE, TEXT_ARR], BOOL, Strict),
    op_ext("hstore", "@>", &[HSTORE, HSTORE], BOOL, Strict),
    op_ext("hstore", "<@", &[HSTORE, HSTORE], BOOL, Strict),
    op_ext("hstore", "||", &[HSTORE, HSTORE], HSTORE, Strict),
    op_ext("hstore", "-", &[HSTORE, TEXT], HSTORE, Strict),
    op_ext("hstore", "-", &[HSTORE, TEXT_ARR], HSTORE, Strict),
    op_ext("hstore", "-", &[HSTORE, HSTORE], HSTORE, Strict),
];

/// Every operator row.
pub fn operators() -> impl Iterator<Item = &'static OperatorDef> {
    hand_written().chain(generated().iter())
}

fn hand_written() -> impl Iterator<Item = &'static OperatorDef> {
    NUMERIC_SAME
        .iter()
        .chain(NUMERIC_CROSS.iter())
        .chain(OTHERS.iter())
}

const PG_OPERATOR: &str = include_str!("pg_operator.tsv");

/// The binary operators of PostgreSQL 15's `pg_operator` the hand-written rows lack
/// (`pg_operator.tsv`, written by `scripts/gen-operator-catalog.sh`): range and array
/// containment, geometric and network operators, … Their results may be NULL.
fn generated() -> &'static [OperatorDef] {
    static GENERATED: std::sync::OnceLock<Vec<OperatorDef>> = std::sync::OnceLock::new();
    GENERATED.get_or_init(|| {
        let mut seen: std::collections::HashSet<(&str, Vec<Tok>)> = hand_written()
            .map(|o| (o.symbol, o.args.to_vec()))
            .collect();
        let mut out = Vec::new();
        'rows: for line in PG_OPERATOR.lines() {
            let f: Vec<&'static str> = line.split('\t').collect();
            let [symbol, left, right, ret] = f[..] else {
                panic!("pg_operator.tsv: four fields per row: {line:?}");
            };
            let mut args = Vec::new();
            for t in [left, right] {
                let Some(t) = super::functions::token(t) else {
                    continue 'rows;
                };
                args.push(t);
            }
            let Some(ret) = super::functions::token(ret) else {
                continue;
            };
            if !seen.insert((symbol, args.clone())) {
                continue;
            }
            out.push(OperatorDef {
                symbol,
                // Built once per process and kept for its life, like the const tables.
                args: Box::leak(args.into_boxed_slice()),
                ret,
                nulls: Always,
                extension: None,
            });
        }
        out
    })
}
