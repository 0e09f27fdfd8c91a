//! Functions as data: one table of PostgreSQL 15's functions we know (the rows of `pg_proc`
//! the checker models), with overloads, argument and result types, and how NULL flows
//! through them. Extending it is adding rows; resolution is `analysis::resolve`.

use super::tokens::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Scalar,
    Aggregate,
    Window,
}

#[derive(Debug)]
pub struct FunctionDef {
    pub name: &'static str,
    pub args: &'static [Tok],
    /// The last argument repeats.
    pub variadic: bool,
    pub ret: Tok,
    pub kind: Kind,
    pub nulls: Nulls,
}

const fn f(name: &'static str, args: &'static [Tok], ret: Tok, nulls: Nulls) -> FunctionDef {
    FunctionDef {
        name,
        args,
        variadic: false,
        ret,
        kind: Kind::Scalar,
        nulls,
    }
}
const fn v(name: &'static str, args: &'static [Tok], ret: Tok, nulls: Nulls) -> FunctionDef {
    FunctionDef {
        name,
        args,
        variadic: true,
        ret,
        kind: Kind::Scalar,
        nulls,
    }
}
const fn agg(name: &'static str, args: &'static [Tok], ret: Tok, nulls: Nulls) -> FunctionDef {
    FunctionDef {
        name,
        args,
        variadic: false,
        ret,
        kind: Kind::Aggregate,
        nulls,
    }
}
const fn win(name: &'static str, args: &'static [Tok], ret: Tok, nulls: Nulls) -> FunctionDef {
    FunctionDef {
        name,
        args,
        variadic: false,
        ret,
        kind: Kind::Window,
        nulls,
    }
}

use Nulls::{Always, Never, Strict};

pub static FUNCTIONS: &[FunctionDef] = &[
    // Aggregates.
    agg("count", &[ANY], INT8, Never),
    agg("sum", &[INT2], INT8, Always),
    agg("sum", &[INT4], INT8, Always),
    agg("sum", &[INT8], NUMERIC, Always),
    agg("sum", &[NUMERIC], NUMERIC, Always),
    agg("sum", &[FLOAT4], FLOAT4, Always),
    agg("sum", &[FLOAT8], FLOAT8, Always),
    agg("sum", &[INTERVAL], INTERVAL, Always),
    agg("avg", &[INT2], NUMERIC, Always),
    agg("avg", &[INT4], NUMERIC, Always),
    agg("avg", &[INT8], NUMERIC, Always),
    agg("avg", &[NUMERIC], NUMERIC, Always),
    agg("avg", &[FLOAT4], FLOAT8, Always),
    agg("avg", &[FLOAT8], FLOAT8, Always),
    agg("avg", &[INTERVAL], INTERVAL, Always),
    // Ordered-set aggregates (see ORDERED_SET): direct arguments, then the ordered one.
    agg("percentile_cont", &[FLOAT8, FLOAT8], FLOAT8, Always),
    agg("percentile_cont", &[FLOAT8, INTERVAL], INTERVAL, Always),
    agg("percentile_cont", &[FLOAT8_ARR, FLOAT8], FLOAT8_ARR, Always),
    agg(
        "percentile_cont",
        &[FLOAT8_ARR, INTERVAL],
        INTERVAL_ARR,
        Always,
    ),
    agg("percentile_disc", &[FLOAT8, ANYELEMENT], ANYELEMENT, Always),
    agg(
        "percentile_disc",
        &[FLOAT8_ARR, ANYELEMENT],
        ANYARRAY,
        Always,
    ),
    agg("mode", &[ANYELEMENT], ANYELEMENT, Always),
    agg("min", &[INT2], INT2, Always),
    agg("min", &[INT4], INT4, Always),
    agg("min", &[INT8], INT8, Always),
    agg("min", &[NUMERIC], NUMERIC, Always),
    agg("min", &[FLOAT4], FLOAT4, Always),
    agg("min", &[FLOAT8], FLOAT8, Always),
    agg("min", &[TEXT], TEXT, Always),
    agg("min", &[BPCHAR], BPCHAR, Always),
    agg("min", &[DATE], DATE, Always),
    agg("min", &[TIME], TIME, Always),
    agg("min", &[TS], TS, Always),
    agg("min", &[TSTZ], TSTZ, Always),
    agg("min", &[INTERVAL], INTERVAL, Always),
    agg("min", &[INET], INET, Always),
    agg("min", &[ANYENUM], ANYENUM, Always),
    agg("min", &[ANYARRAY], ANYARRAY, Always),
    agg("max", &[INT2], INT2, Always),
    agg("max", &[INT4], INT4, Always),
    agg("max", &[INT8], INT8, Always),
    agg("max", &[NUMERIC], NUMERIC, Always),
    agg("max", &[FLOAT4], FLOAT4, Always),
    agg("max", &[FLOAT8], FLOAT8, Always),
    agg("max", &[TEXT], TEXT, Always),
    agg("max", &[BPCHAR], BPCHAR, Always),
    agg("max", &[DATE], DATE, Always),
    agg("max", &[TIME], TIME, Always),
    agg("max", &[TS], TS, Always),
    agg("max", &[TSTZ], TSTZ, Always),
    agg("max", &[INTERVAL], INTERVAL, Always),
    agg("max", &[INET], INET, Always),
    agg("max", &[ANYENUM], ANYENUM, Always),
    agg("max", &[ANYARRAY], ANYARRAY, Always),
    agg("array_agg", &[ANYNONARRAY], ANYARRAY, Always),
    agg("array_agg", &[ANYARRAY], ANYARRAY, Always),
    agg("string_agg", &[TEXT, TEXT], TEXT, Always),
    agg("string_agg", &[BYTEA, BYTEA], BYTEA, Always),
    agg("bool_and", &[BOOL], BOOL, Always),
    agg("bool_or", &[BOOL], BOOL, Always),
    agg("every", &[BOOL], BOOL, Always),
    agg("jsonb_agg", &[ANYELEMENT], JSONB, Always),
    agg("json_agg", &[ANYELEMENT], JSON, Always),
    agg("jsonb_object_agg", &[ANY, ANY], JSONB, Always),
    // Window functions.
    win("row_number", &[], INT8, Never),
    win("rank", &[], INT8, Never),
    win("dense_rank", &[], INT8, Never),
    win("percent_rank", &[], FLOAT8, Never),
    win("cume_dist", &[], FLOAT8, Never),
    win("ntile", &[INT4], INT4, Always),
    win("lag", &[ANYELEMENT], ANYELEMENT, Always),
    win("lag", &[ANYELEMENT, INT4], ANYELEMENT, Always),
    win(
        "lag",
        &[ANYCOMPATIBLE, INT4, ANYCOMPATIBLE],
        ANYCOMPATIBLE,
        Always,
    ),
    win("lead", &[ANYELEMENT], ANYELEMENT, Always),
    win("lead", &[ANYELEMENT, INT4], ANYELEMENT, Always),
    win(
        "lead",
        &[ANYCOMPATIBLE, INT4, ANYCOMPATIBLE],
        ANYCOMPATIBLE,
        Always,
    ),
    win("first_value", &[ANYELEMENT], ANYELEMENT, Always),
    win("last_value", &[ANYELEMENT], ANYELEMENT, Always),
    // Date and time.
    f("now", &[], TSTZ, Never),
    f("current_timestamp", &[], TSTZ, Never),
    f("transaction_timestamp", &[], TSTZ, Never),
    f("statement_timestamp", &[], TSTZ, Never),
    f("clock_timestamp", &[], TSTZ, Never),
    // Slow backfills and tests of the migrator's lease use it; it returns `void`.
    f("pg_sleep", &[FLOAT8], VOID, Strict),
    f("current_date", &[], DATE, Never),
    f("localtimestamp", &[], TS, Never),
    f("date_trunc", &[TEXT, TS], TS, Strict),
    f("date_trunc", &[TEXT, TSTZ], TSTZ, Strict),
    f("date_trunc", &[TEXT, INTERVAL], INTERVAL, Strict),
    f("date_trunc", &[TEXT, TSTZ, TEXT], TSTZ, Strict),
    f("date_part", &[TEXT, TS], FLOAT8, Strict),
    f("date_part", &[TEXT, TSTZ], FLOAT8, Strict),
    f("date_part", &[TEXT, INTERVAL], FLOAT8, Strict),
    f("date_part", &[TEXT, DATE], FLOAT8, Strict),
    f("age", &[TS, TS], INTERVAL, Strict),
    f("age", &[TSTZ, TSTZ], INTERVAL, Strict),
    f("age", &[TS], INTERVAL, Strict),
    f("age", &[TSTZ], INTERVAL, Strict),
    f("to_char", &[TS, TEXT], TEXT, Strict),
    f("to_char", &[TSTZ, TEXT], TEXT, Strict),
    f("to_char", &[INTERVAL, TEXT], TEXT, Strict),
    f("to_char", &[NUMERIC, TEXT], TEXT, Strict),
    f("to_char", &[INT4, TEXT], TEXT, Strict),
    f("to_char", &[INT8, TEXT], TEXT, Strict),
    f("to_char", &[FLOAT8, TEXT], TEXT, Strict),
    // make_interval: every argument has a default; analysed in expr.rs (named arguments).
    // Strings.
    f("lower", &[TEXT], TEXT, Strict),
    f("upper", &[TEXT], TEXT, Strict),
    f("initcap", &[TEXT], TEXT, Strict),
    f("length", &[TEXT], INT4, Strict),
    f("length", &[BYTEA], INT4, Strict),
    f("char_length", &[TEXT], INT4, Strict),
    f("character_length", &[TEXT], INT4, Strict),
    f("octet_length", &[TEXT], INT4, Strict),
    f("octet_length", &[BYTEA], INT4, Strict),
    f("md5", &[BYTEA], TEXT, Strict),
    f("btrim", &[TEXT], TEXT, Strict),
    f("btrim", &[TEXT, TEXT], TEXT, Strict),
    f("ltrim", &[TEXT], TEXT, Strict),
    f("ltrim", &[TEXT, TEXT], TEXT, Strict),
    f("rtrim", &[TEXT], TEXT, Strict),
    f("rtrim", &[TEXT, TEXT], TEXT, Strict),
    f("substr", &[TEXT, INT4], TEXT, Strict),
    f("substr", &[TEXT, INT4, INT4], TEXT, Strict),
    f("substring", &[TEXT, INT4], TEXT, Strict),
    f("substring", &[TEXT, INT4, INT4], TEXT, Strict),
    // The regular-expression forms: `substring($1, $2)` resolves to these (text wins).
    // No match is NULL.
    f("substring", &[TEXT, TEXT], TEXT, Always),
    f("substring", &[TEXT, TEXT, TEXT], TEXT, Always),
    f("replace", &[TEXT, TEXT, TEXT], TEXT, Strict),
    v("concat", &[ANY], TEXT, Never),
    v("num_nulls", &[ANY], INT4, Never),
    v("num_nonnulls", &[ANY], INT4, Never),
    v("concat_ws", &[TEXT, ANY], TEXT, Strict),
    f("left", &[TEXT, INT4], TEXT, Strict),
    f("right", &[TEXT, INT4], TEXT, Strict),
    f("strpos", &[TEXT, TEXT], INT4, Strict),
    f("split_part", &[TEXT, TEXT, INT4], TEXT, Strict),
    f("repeat", &[TEXT, INT4], TEXT, Strict),
    f("reverse", &[TEXT], TEXT, Strict),
    f("md5", &[TEXT], TEXT, Strict),
    f("lpad", &[TEXT, INT4], TEXT, Strict),
    f("lpad", &[TEXT, INT4, TEXT], TEXT, Strict),
    f("rpad", &[TEXT, INT4], TEXT, Strict),
    f("rpad", &[TEXT, INT4, TEXT], TEXT, Strict),
    f("starts_with", &[TEXT, TEXT], BOOL, Strict),
    f("regexp_replace", &[TEXT, TEXT, TEXT], TEXT, Strict),
    f("regexp_replace", &[TEXT, TEXT, TEXT, TEXT], TEXT, Strict),
    v("format", &[TEXT, ANY], TEXT, Strict),
    f("gen_random_uuid", &[], UUID, Never),
    // JSON.
    v("jsonb_build_object", &[ANY], JSONB, Never),
    v("jsonb_build_array", &[ANY], JSONB, Never),
    v("json_build_object", &[ANY], JSON, Never),
    v("json_build_array", &[ANY], JSON, Never),
    f("to_jsonb", &[ANYELEMENT], JSONB, Strict),
    f("to_json", &[ANYELEMENT], JSON, Strict),
    f("jsonb_array_length", &[JSONB], INT4, Strict),
    f("json_array_length", &[JSON], INT4, Strict),
    f("jsonb_typeof", &[JSONB], TEXT, Strict),
    f("jsonb_set", &[JSONB, TEXT_ARR, JSONB], JSONB, Strict),
    f("jsonb_set", &[JSONB, TEXT_ARR, JSONB, BOOL], JSONB, Strict),
    f("jsonb_strip_nulls", &[JSONB], JSONB, Strict),
    f("jsonb_pretty", &[JSONB], TEXT, Strict),
    v("jsonb_extract_path_text", &[JSONB, TEXT], TEXT, Always),
    v("jsonb_extract_path", &[JSONB, TEXT], JSONB, Always),
    // Arrays.
    f("array_length", &[ANYARRAY, INT4], INT4, Always),
    f("cardinality", &[ANYARRAY], INT4, Strict),
    f(
        "array_position",
        &[ANYCOMPATIBLEARRAY, ANYCOMPATIBLE],
        INT4,
        Always,
    ),
    f(
        "array_append",
        &[ANYCOMPATIBLEARRAY, ANYCOMPATIBLE],
        ANYCOMPATIBLEARRAY,
        Never,
    ),
    f(
        "array_prepend",
        &[ANYCOMPATIBLE, ANYCOMPATIBLEARRAY],
        ANYCOMPATIBLEARRAY,
        Never,
    ),
    f(
        "array_cat",
        &[ANYCOMPATIBLEARRAY, ANYCOMPATIBLEARRAY],
        ANYCOMPATIBLEARRAY,
        Always,
    ),
    f(
        "array_remove",
        &[ANYCOMPATIBLEARRAY, ANYCOMPATIBLE],
        ANYCOMPATIBLEARRAY,
        Always,
    ),
    f("array_to_string", &[ANYARRAY, TEXT], TEXT, Strict),
    f("string_to_array", &[TEXT, TEXT], TEXT_ARR, Strict),
    f("unnest", &[ANYARRAY], ANYELEMENT, Always),
    // Numbers.
    f("abs", &[INT2], INT2, Strict),
    f("abs", &[INT4], INT4, Strict),
    f("abs", &[INT8], INT8, Strict),
    f("abs", &[NUMERIC], NUMERIC, Strict),
    f("abs", &[FLOAT4], FLOAT4, Strict),
    f("abs", &[FLOAT8], FLOAT8, Strict),
    f("round", &[FLOAT8], FLOAT8, Strict),
    f("round", &[NUMERIC], NUMERIC, Strict),
    f("round", &[NUMERIC, INT4], NUMERIC, Strict),
    f("trunc", &[FLOAT8], FLOAT8, Strict),
    f("trunc", &[NUMERIC], NUMERIC, Strict),
    f("trunc", &[NUMERIC, INT4], NUMERIC, Strict),
    f("ceil", &[FLOAT8], FLOAT8, Strict),
    f("ceil", &[NUMERIC], NUMERIC, Strict),
    f("ceiling", &[FLOAT8], FLOAT8, Strict),
    f("ceiling", &[NUMERIC], NUMERIC, Strict),
    f("floor", &[FLOAT8], FLOAT8, Strict),
    f("floor", &[NUMERIC], NUMERIC, Strict),
    f("sign", &[FLOAT8], FLOAT8, Strict),
    f("sign", &[NUMERIC], NUMERIC, Strict),
    f("mod", &[INT2, INT2], INT2, Strict),
    f("mod", &[INT4, INT4], INT4, Strict),
    f("mod", &[INT8, INT8], INT8, Strict),
    f("mod", &[NUMERIC, NUMERIC], NUMERIC, Strict),
    f("power", &[FLOAT8, FLOAT8], FLOAT8, Strict),
    f("power", &[NUMERIC, NUMERIC], NUMERIC, Strict),
    f("sqrt", &[FLOAT8], FLOAT8, Strict),
    f("sqrt", &[NUMERIC], NUMERIC, Strict),
    f("random", &[], FLOAT8, Never),
    // More dates, strings and bytes.
    f("date", &[TS], DATE, Strict),
    f("date", &[TSTZ], DATE, Strict),
    f("to_timestamp", &[FLOAT8], TSTZ, Strict),
    f("to_timestamp", &[TEXT, TEXT], TSTZ, Strict),
    f("to_date", &[TEXT, TEXT], DATE, Strict),
    f("make_date", &[INT4, INT4, INT4], DATE, Strict),
    f("encode", &[BYTEA, TEXT], TEXT, Strict),
    f("decode", &[TEXT, TEXT], BYTEA, Strict),
    f("sha256", &[BYTEA], BYTEA, Strict),
    f("version", &[], TEXT, Never),
    // Network addresses.
    f("host", &[INET], TEXT, Strict),
    f("masklen", &[INET], INT4, Strict),
    f("family", &[INET], INT4, Strict),
    f("array_upper", &[ANYARRAY, INT4], INT4, Always),
    f("array_lower", &[ANYARRAY, INT4], INT4, Always),
    // Set-returning functions (in FROM, or one row per element in a SELECT list).
    f("generate_series", &[INT4, INT4], INT4, Strict),
    f("generate_series", &[INT4, INT4, INT4], INT4, Strict),
    f("generate_series", &[INT8, INT8], INT8, Strict),
    f("generate_series", &[INT8, INT8, INT8], INT8, Strict),
    f("generate_series", &[NUMERIC, NUMERIC], NUMERIC, Strict),
    f(
        "generate_series",
        &[NUMERIC, NUMERIC, NUMERIC],
        NUMERIC,
        Strict,
    ),
    f("generate_series", &[TS, TS, INTERVAL], TS, Strict),
    f("generate_series", &[TSTZ, TSTZ, INTERVAL], TSTZ, Strict),
    f("jsonb_array_elements", &[JSONB], JSONB, Strict),
    f("json_array_elements", &[JSON], JSON, Strict),
    f("jsonb_array_elements_text", &[JSONB], TEXT, Always),
    f("jsonb_object_keys", &[JSONB], TEXT, Strict),
    f("regexp_split_to_table", &[TEXT, TEXT], TEXT, Strict),
];

/// Set-returning functions usable in FROM, with the name of their single output column
/// (`None`: named after the function) and whether that column can be NULL.
pub const SET_RETURNING: &[(&str, Option<&str>, bool)] = &[
    ("generate_series", None, false),
    ("jsonb_array_elements", Some("value"), false),
    ("json_array_elements", Some("value"), false),
    ("jsonb_array_elements_text", Some("value"), true),
    ("jsonb_object_keys", None, false),
    ("regexp_split_to_table", None, false),
];

/// SQL-standard value functions: written without parentheses (`current_timestamp`), a
/// syntax error with them.
pub const KEYWORD_FUNCTIONS: &[&str] = &[
    "current_timestamp",
    "current_date",
    "localtimestamp",
    "current_time",
    "localtime",
];

/// Ordered-set aggregates: `name(direct args) WITHIN GROUP (ORDER BY x)`. Their rows in
/// [`FUNCTIONS`] list the direct arguments, then the ordered argument last.
pub const ORDERED_SET: &[&str] = &["percentile_cont", "percentile_disc", "mode"];

pub fn is_aggregate_name(name: &str) -> bool {
    FUNCTIONS
        .iter()
        .any(|d| d.name == name && d.kind == Kind::Aggregate)
}
