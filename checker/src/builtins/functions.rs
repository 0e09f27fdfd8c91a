//! Functions as data: one table of PostgreSQL 15's functions we know (the rows of `pg_proc`
//! the checker models), with overloads, argument and result types, and how NULL flows
//! through them. Extending it is adding rows; resolution is `analysis::resolve`.

use super::tokens::*;
use super::types::Builtin;

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
    /// The extension that defines it (`CREATE EXTENSION` makes it callable).
    pub extension: Option<&'static str>,
}

const fn f(name: &'static str, args: &'static [Tok], ret: Tok, nulls: Nulls) -> FunctionDef {
    FunctionDef {
        name,
        args,
        variadic: false,
        ret,
        kind: Kind::Scalar,
        nulls,
        extension: None,
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
        extension: None,
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
        extension: None,
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
        extension: None,
    }
}

/// A function an extension defines.
const fn ext(
    extension: &'static str,
    name: &'static str,
    args: &'static [Tok],
    ret: Tok,
    nulls: Nulls,
) -> FunctionDef {
    FunctionDef {
        name,
        args,
        variadic: false,
        ret,
        kind: Kind::Scalar,
        nulls,
        extension: Some(extension),
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
    f("json_build_object", &[], JSON, Never),
    f("jsonb_build_object", &[], JSONB, Never),
    f("json_build_array", &[], JSON, Never),
    f("jsonb_build_array", &[], JSONB, Never),
    // Dates and times, as services bin and convert them.
    f("date_bin", &[INTERVAL, TSTZ, TSTZ], TSTZ, Strict),
    f("date_bin", &[INTERVAL, TS, TS], TS, Strict),
    f("timezone", &[TEXT, TSTZ], TS, Strict),
    f("timezone", &[TEXT, TS], TSTZ, Strict),
    f("timezone", &[INTERVAL, TSTZ], TS, Strict),
    f("timezone", &[INTERVAL, TS], TSTZ, Strict),
    f("timezone", &[TEXT, TIMETZ], TIMETZ, Strict),
    f("timezone", &[INTERVAL, TIMETZ], TIMETZ, Strict),
    // Arrays.
    f("array_fill", &[ANYELEMENT, INT4_ARR], ANYARRAY, Always),
    f(
        "array_fill",
        &[ANYELEMENT, INT4_ARR, INT4_ARR],
        ANYARRAY,
        Always,
    ),
    // Settings, sequences and advisory locks (the CockroachDB rule refuses the locks first
    // when the service targets CockroachDB).
    f("set_config", &[TEXT, TEXT, BOOL], TEXT, Always),
    f("current_setting", &[TEXT], TEXT, Strict),
    f("current_setting", &[TEXT, BOOL], TEXT, Always),
    f("nextval", &[REGCLASS], INT8, Strict),
    f("currval", &[REGCLASS], INT8, Strict),
    f("setval", &[REGCLASS, INT8], INT8, Strict),
    f("setval", &[REGCLASS, INT8, BOOL], INT8, Strict),
    f("lastval", &[], INT8, Never),
    f("pg_advisory_lock", &[INT8], VOID, Strict),
    f("pg_advisory_lock", &[INT4, INT4], VOID, Strict),
    f("pg_advisory_xact_lock", &[INT8], VOID, Strict),
    f("pg_advisory_xact_lock", &[INT4, INT4], VOID, Strict),
    f("pg_try_advisory_lock", &[INT8], BOOL, Strict),
    f("pg_try_advisory_lock", &[INT4, INT4], BOOL, Strict),
    f("pg_try_advisory_xact_lock", &[INT8], BOOL, Strict),
    f("pg_try_advisory_xact_lock", &[INT4, INT4], BOOL, Strict),
    f("pg_advisory_unlock", &[INT8], BOOL, Strict),
    f("pg_advisory_unlock", &[INT4, INT4], BOOL, Strict),
    v("json_build_array", &[ANY], JSON, Never),
    f("to_jsonb", &[ANYELEMENT], JSONB, Strict),
    f("to_json", &[ANYELEMENT], JSON, Strict),
    f("row_to_json", &[RECORD], JSON, Strict),
    f("row_to_json", &[RECORD, BOOL], JSON, Strict),
    f(
        "jsonb_populate_record",
        &[ANYELEMENT, JSONB],
        ANYELEMENT,
        Always,
    ),
    f(
        "json_populate_record",
        &[ANYELEMENT, JSON],
        ANYELEMENT,
        Always,
    ),
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
    f("setseed", &[FLOAT8], VOID, Strict),
    f("pow", &[FLOAT8, FLOAT8], FLOAT8, Strict),
    f("pow", &[NUMERIC, NUMERIC], NUMERIC, Strict),
    f("cbrt", &[FLOAT8], FLOAT8, Strict),
    f("exp", &[FLOAT8], FLOAT8, Strict),
    f("exp", &[NUMERIC], NUMERIC, Strict),
    f("ln", &[FLOAT8], FLOAT8, Strict),
    f("ln", &[NUMERIC], NUMERIC, Strict),
    f("log", &[FLOAT8], FLOAT8, Strict),
    f("log", &[NUMERIC], NUMERIC, Strict),
    f("log", &[NUMERIC, NUMERIC], NUMERIC, Strict),
    f("log10", &[FLOAT8], FLOAT8, Strict),
    f("log10", &[NUMERIC], NUMERIC, Strict),
    f("div", &[NUMERIC, NUMERIC], NUMERIC, Strict),
    f("gcd", &[INT4, INT4], INT4, Strict),
    f("gcd", &[INT8, INT8], INT8, Strict),
    f("gcd", &[NUMERIC, NUMERIC], NUMERIC, Strict),
    f("lcm", &[INT4, INT4], INT4, Strict),
    f("lcm", &[INT8, INT8], INT8, Strict),
    f("lcm", &[NUMERIC, NUMERIC], NUMERIC, Strict),
    f("factorial", &[INT8], NUMERIC, Strict),
    f("scale", &[NUMERIC], INT4, Strict),
    f("min_scale", &[NUMERIC], INT4, Strict),
    f("trim_scale", &[NUMERIC], NUMERIC, Strict),
    f(
        "width_bucket",
        &[FLOAT8, FLOAT8, FLOAT8, INT4],
        INT4,
        Strict,
    ),
    f(
        "width_bucket",
        &[NUMERIC, NUMERIC, NUMERIC, INT4],
        INT4,
        Strict,
    ),
    f("pi", &[], FLOAT8, Never),
    f("degrees", &[FLOAT8], FLOAT8, Strict),
    f("radians", &[FLOAT8], FLOAT8, Strict),
    f("sin", &[FLOAT8], FLOAT8, Strict),
    f("cos", &[FLOAT8], FLOAT8, Strict),
    f("tan", &[FLOAT8], FLOAT8, Strict),
    f("cot", &[FLOAT8], FLOAT8, Strict),
    f("asin", &[FLOAT8], FLOAT8, Strict),
    f("acos", &[FLOAT8], FLOAT8, Strict),
    f("atan", &[FLOAT8], FLOAT8, Strict),
    f("atan2", &[FLOAT8, FLOAT8], FLOAT8, Strict),
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
    f("current_database", &[], NAME, Never),
    // LISTEN/NOTIFY (CockroachDB has neither: its rule refuses them).
    f("pg_notify", &[TEXT, TEXT], VOID, Never),
    f("pg_listening_channels", &[], TEXT, Always),
    // Geometry.
    f("point", &[FLOAT8, FLOAT8], POINT, Strict),
    f("circle", &[POINT, FLOAT8], CIRCLE, Strict),
    f("area", &[CIRCLE], FLOAT8, Strict),
    f("center", &[CIRCLE], POINT, Strict),
    f("radius", &[CIRCLE], FLOAT8, Strict),
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
    f("regexp_split_to_table", &[TEXT, TEXT, TEXT], TEXT, Strict),
    f("regexp_matches", &[TEXT, TEXT], TEXT_ARR, Strict),
    f("regexp_matches", &[TEXT, TEXT, TEXT], TEXT_ARR, Strict),
    f("json_array_elements_text", &[JSON], TEXT, Always),
    f("json_object_keys", &[JSON], TEXT, Strict),
    f("jsonb_each", &[JSONB], RECORD, Strict),
    f("json_each", &[JSON], RECORD, Strict),
    f("jsonb_each_text", &[JSONB], RECORD, Strict),
    f("json_each_text", &[JSON], RECORD, Strict),
    f("pg_timezone_names", &[], RECORD, Never),
    // What services read about their own database: sizes, definitions, descriptions,
    // session facts (PostgreSQL's system information and administration functions).
    f("pg_total_relation_size", &[REGCLASS], INT8, Strict),
    f("pg_relation_size", &[REGCLASS], INT8, Strict),
    f("pg_relation_size", &[REGCLASS, TEXT], INT8, Strict),
    f("pg_table_size", &[REGCLASS], INT8, Strict),
    f("pg_indexes_size", &[REGCLASS], INT8, Strict),
    f("pg_database_size", &[NAME], INT8, Strict),
    f("pg_database_size", &[OID], INT8, Strict),
    f("pg_size_pretty", &[INT8], TEXT, Strict),
    f("pg_size_pretty", &[NUMERIC], TEXT, Strict),
    f("pg_get_indexdef", &[OID], TEXT, Strict),
    f("pg_get_constraintdef", &[OID], TEXT, Strict),
    f("pg_get_viewdef", &[OID], TEXT, Strict),
    f("pg_get_functiondef", &[OID], TEXT, Strict),
    f("pg_get_serial_sequence", &[TEXT, TEXT], TEXT, Always),
    f("format_type", &[OID, INT4], TEXT, Always),
    f("obj_description", &[OID, NAME], TEXT, Always),
    f("col_description", &[OID, INT4], TEXT, Always),
    f("to_regclass", &[TEXT], REGCLASS, Always),
    f("to_regtype", &[TEXT], Tok::T(Builtin::RegType), Always),
    f("pg_typeof", &[Tok::Any], Tok::T(Builtin::RegType), Never),
    f("current_schema", &[], NAME, Always),
    f("current_user", &[], NAME, Never),
    f("session_user", &[], NAME, Never),
    f("pg_backend_pid", &[], INT4, Never),
    f("pg_is_in_recovery", &[], BOOL, Never),
    f("pg_postmaster_start_time", &[], TSTZ, Never),
    f("txid_current", &[], INT8, Never),
    f("pg_current_xact_id", &[], Tok::T(Builtin::Xid8), Never),
    f("pg_table_is_visible", &[OID], BOOL, Strict),
    f("has_table_privilege", &[TEXT, TEXT], BOOL, Strict),
    f("has_schema_privilege", &[TEXT, TEXT], BOOL, Strict),
    // Extensions services use: their functions are callable once a migration creates them.
    ext("pgcrypto", "gen_random_bytes", &[INT4], BYTEA, Strict),
    ext("pgcrypto", "crypt", &[TEXT, TEXT], TEXT, Strict),
    ext("pgcrypto", "gen_salt", &[TEXT], TEXT, Strict),
    ext("pgcrypto", "gen_salt", &[TEXT, INT4], TEXT, Strict),
    ext("pgcrypto", "digest", &[TEXT, TEXT], BYTEA, Strict),
    ext("pgcrypto", "digest", &[BYTEA, TEXT], BYTEA, Strict),
    ext("pgcrypto", "hmac", &[TEXT, TEXT, TEXT], BYTEA, Strict),
    ext("pgcrypto", "hmac", &[BYTEA, BYTEA, TEXT], BYTEA, Strict),
    ext("pgcrypto", "pgp_sym_encrypt", &[TEXT, TEXT], BYTEA, Strict),
    ext(
        "pgcrypto",
        "pgp_sym_encrypt",
        &[TEXT, TEXT, TEXT],
        BYTEA,
        Strict,
    ),
    ext("pgcrypto", "pgp_sym_decrypt", &[BYTEA, TEXT], TEXT, Strict),
    ext(
        "pgcrypto",
        "pgp_sym_decrypt",
        &[BYTEA, TEXT, TEXT],
        TEXT,
        Strict,
    ),
    ext("uuid-ossp", "uuid_generate_v1", &[], UUID, Never),
    ext("uuid-ossp", "uuid_generate_v1mc", &[], UUID, Never),
    ext("uuid-ossp", "uuid_generate_v3", &[UUID, TEXT], UUID, Strict),
    ext("uuid-ossp", "uuid_generate_v4", &[], UUID, Never),
    ext("uuid-ossp", "uuid_generate_v5", &[UUID, TEXT], UUID, Strict),
    ext("uuid-ossp", "uuid_nil", &[], UUID, Never),
    ext("uuid-ossp", "uuid_ns_dns", &[], UUID, Never),
    ext("uuid-ossp", "uuid_ns_url", &[], UUID, Never),
    ext("uuid-ossp", "uuid_ns_oid", &[], UUID, Never),
    ext("uuid-ossp", "uuid_ns_x500", &[], UUID, Never),
    ext("pg_trgm", "similarity", &[TEXT, TEXT], FLOAT4, Strict),
    ext("pg_trgm", "word_similarity", &[TEXT, TEXT], FLOAT4, Strict),
    ext(
        "pg_trgm",
        "strict_word_similarity",
        &[TEXT, TEXT],
        FLOAT4,
        Strict,
    ),
    ext("pg_trgm", "show_trgm", &[TEXT], TEXT_ARR, Strict),
    ext("hstore", "akeys", &[HSTORE], TEXT_ARR, Strict),
    ext("hstore", "avals", &[HSTORE], TEXT_ARR, Strict),
    ext("hstore", "exist", &[HSTORE, TEXT], BOOL, Strict),
    ext("hstore", "hstore", &[TEXT, TEXT], HSTORE, Always),
    ext("hstore", "hstore", &[TEXT_ARR, TEXT_ARR], HSTORE, Always),
    ext("hstore", "hstore_to_jsonb", &[HSTORE], JSONB, Strict),
];

/// What a set-returning function gives in FROM.
#[derive(Debug, Clone, Copy)]
pub enum Rows {
    /// One column, named `column` (`None`: after the function or the alias), NULL when
    /// `nullable`.
    Scalar {
        column: Option<&'static str>,
        nullable: bool,
    },
    /// OUT columns: name, type, NULL when true. The [`FUNCTIONS`] row returns `record`.
    Columns(&'static [(&'static str, Builtin, bool)]),
}

/// Set-returning functions usable in FROM and the rows they give.
pub const SET_RETURNING: &[(&str, Rows)] = &[
    ("generate_series", scalar(None, false)),
    ("jsonb_array_elements", scalar(Some("value"), false)),
    ("json_array_elements", scalar(Some("value"), false)),
    ("jsonb_array_elements_text", scalar(Some("value"), true)),
    ("json_array_elements_text", scalar(Some("value"), true)),
    ("jsonb_object_keys", scalar(None, false)),
    ("json_object_keys", scalar(None, false)),
    ("regexp_split_to_table", scalar(None, false)),
    ("regexp_matches", scalar(None, false)),
    // A JSON null is a value of jsonb_each, and SQL NULL of the `_text` forms.
    (
        "jsonb_each",
        Rows::Columns(&[
            ("key", Builtin::Text, false),
            ("value", Builtin::Jsonb, false),
        ]),
    ),
    (
        "json_each",
        Rows::Columns(&[
            ("key", Builtin::Text, false),
            ("value", Builtin::Json, false),
        ]),
    ),
    (
        "jsonb_each_text",
        Rows::Columns(&[
            ("key", Builtin::Text, false),
            ("value", Builtin::Text, true),
        ]),
    ),
    (
        "json_each_text",
        Rows::Columns(&[
            ("key", Builtin::Text, false),
            ("value", Builtin::Text, true),
        ]),
    ),
    (
        "pg_timezone_names",
        Rows::Columns(&[
            ("name", Builtin::Text, true),
            ("abbrev", Builtin::Text, true),
            ("utc_offset", Builtin::Interval, true),
            ("is_dst", Builtin::Boolean, true),
        ]),
    ),
];

const fn scalar(column: Option<&'static str>, nullable: bool) -> Rows {
    Rows::Scalar { column, nullable }
}

/// SQL-standard value functions: written without parentheses (`current_timestamp`), a
/// syntax error with them.
pub const KEYWORD_FUNCTIONS: &[&str] = &[
    "current_timestamp",
    "current_date",
    "localtimestamp",
    "current_time",
    "localtime",
];

/// SQL-standard value functions of type `name` that PostgreSQL parses as key words: written
/// without parentheses, never a column (`current_schema` is also a function, `current_schema()`).
/// The flag says whether the value can be NULL: `current_schema` is when no schema on the
/// search path exists; the others name the session's roles and database.
pub const NAME_KEYWORDS: &[(&str, bool)] = &[
    ("current_catalog", false),
    ("current_role", false),
    ("current_schema", true),
    ("current_user", false),
    ("session_user", false),
    ("user", false),
];

/// Whether `name` is a value key word of [`NAME_KEYWORDS`], and then whether it is nullable.
pub fn name_keyword(name: &str) -> Option<bool> {
    NAME_KEYWORDS
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, nullable)| *nullable)
}

/// Ordered-set aggregates: `name(direct args) WITHIN GROUP (ORDER BY x)`. Their rows in
/// [`FUNCTIONS`] list the direct arguments, then the ordered argument last.
pub const ORDERED_SET: &[&str] = &["percentile_cont", "percentile_disc", "mode"];

pub fn is_aggregate_name(name: &str) -> bool {
    named(name).any(|d| d.kind == Kind::Aggregate)
}

/// The functions named `name` the checker knows: the hand-written [`FUNCTIONS`] (with
/// their exact NULL behaviour) first, then the rows of PostgreSQL 15's `pg_proc` they lack
/// (`pg_proc.tsv`, written by `scripts/gen-function-catalog.sh`), whose results may be
/// NULL whatever the arguments: `proisstrict` says when NULL comes in, not that it
/// cannot come out (`regexp_match` with no match).
pub fn named(name: &str) -> impl Iterator<Item = &'static FunctionDef> + Clone {
    let index = index();
    let hand = index.hand.get(name).map_or(&[][..], Vec::as_slice);
    let listed = rows_of(name).map_or(&[][..], |r| r.defs.as_slice());
    hand.iter().copied().chain(listed)
}

/// Every function the checker knows, as [`named`] gives them, name after name (the
/// hand-written table's, then `pg_proc.tsv`'s in its order). Reads all of `pg_proc.tsv`:
/// for what needs every name (a suggestion for an unknown one), not for a lookup.
pub fn all() -> impl Iterator<Item = &'static FunctionDef> + Clone {
    FUNCTIONS.iter().chain(
        index()
            .runs
            .iter()
            .flat_map(|(name, _)| rows_of(name).map_or(&[][..], |r| r.defs.as_slice())),
    )
}

/// `pg_proc`'s functions that return `record` with no OUT arguments: in FROM, the call
/// declares its columns (`jsonb_to_recordset($1) AS x(id uuid, name text)`).
pub const COLUMN_DEFINITION_LIST: &[&str] = &[
    "json_to_record",
    "json_to_recordset",
    "jsonb_to_record",
    "jsonb_to_recordset",
];

/// Whether `name` is a set-returning function of `pg_proc` that returns one column (of a
/// type other than `record`) the hand-written [`SET_RETURNING`] does not describe.
pub fn generated_set_returning(name: &str) -> bool {
    rows_of(name).is_some_and(|r| r.set_returning)
}

/// Where `pg_proc.tsv` lists each name, found by one pass over the lines' first fields,
/// and the hand-written rows by name. A name's rows are read the first time it is looked
/// up: a compiler process checks a few dozen functions, and reading all 3,000 rows was
/// most of a first query's time after the catalog's build.
struct Index {
    /// Each name and the byte range of its run of lines, in the file's order.
    runs: Vec<(&'static str, std::ops::Range<usize>)>,
    by_name: std::collections::HashMap<&'static str, usize>,
    hand: std::collections::HashMap<&'static str, Vec<&'static FunctionDef>>,
    /// The runs read so far, kept for the process's life like the const table.
    read: std::sync::Mutex<std::collections::HashMap<&'static str, &'static NameRows>>,
}

/// The rows `pg_proc.tsv` adds for one name.
struct NameRows {
    defs: Vec<FunctionDef>,
    /// A set-returning function of one column (of a type other than `record`) that
    /// [`SET_RETURNING`] does not describe.
    set_returning: bool,
    named: Vec<NamedRow>,
}

/// A `pg_proc` row whose input arguments have names (`proargnames`): what a call in named
/// notation (`jsonb_path_exists(target => $1, path => '$.a')`) is matched against.
struct NamedRow {
    /// Every input argument, defaults included.
    args: Vec<Tok>,
    names: Vec<&'static str>,
    /// How many trailing arguments have defaults.
    defaults: usize,
}

/// A built-in function callable in named notation, with all its input arguments.
pub struct NamedSignature {
    /// The row of [`all`] that takes every argument (the hand-written one if there is one).
    pub def: &'static FunctionDef,
    /// Each argument's name (empty for an unnamed one), in declared order.
    pub names: &'static [&'static str],
    /// How many trailing arguments have defaults.
    pub defaults: usize,
}

/// The built-in functions named `name` whose arguments have names. Variadic ones are left
/// out: PostgreSQL passes a variadic argument by name only with `VARIADIC`, which the
/// parser does not read in named notation.
pub fn named_signatures(name: &str) -> impl Iterator<Item = NamedSignature> + '_ {
    rows_of(name)
        .map_or(&[][..], |r| r.named.as_slice())
        .iter()
        .filter_map(move |r| {
            let def = named(name).find(|d| d.args == r.args.as_slice())?;
            (!def.variadic).then_some(NamedSignature {
                def,
                names: &r.names,
                defaults: r.defaults,
            })
        })
}

const PG_PROC: &str = include_str!("pg_proc.tsv");

/// PostgreSQL's `col_name_keyword`s that name `pg_proc` rows and that the grammar never
/// reads as a function call (`overlay(a, b, 2)` and `substring(a, 2)` it does read).
const NOT_CALLABLE: &[&str] = &[
    "bit",
    "char",
    "character",
    "extract",
    "interval",
    "normalize",
    "numeric",
    "position",
    "time",
    "timestamp",
    "trim",
    "varchar",
    "bigint",
    "boolean",
    "decimal",
    "float",
    "int",
    "integer",
    "real",
    "smallint",
    "national",
    "nchar",
];

/// A `format_type` name of `pg_proc.tsv` (or `pg_operator.tsv`) as a token; `None` for
/// types the checker does not model (`internal`, `cstring`, …).
pub(super) fn token(name: &str) -> Option<Tok> {
    Some(match name {
        "\"any\"" => Tok::Any,
        "anyelement" => Tok::AnyElement,
        "anynonarray" => Tok::AnyNonArray,
        "anyenum" => Tok::AnyEnum,
        "anyarray" => Tok::AnyArray,
        "anycompatible" => Tok::AnyCompatible,
        "anycompatiblearray" => Tok::AnyCompatibleArray,
        "anyrange" => Tok::AnyRange,
        "anymultirange" => Tok::AnyMultirange,
        other => match other.strip_suffix("[]") {
            Some(elem) => Tok::Arr(Builtin::from_name(elem).filter(|b| concrete(*b))?),
            None => Tok::T(Builtin::from_name(other).filter(|b| concrete(*b))?),
        },
    })
}

/// Types a `pg_proc` row may name: not the pseudo-types the token table spells itself.
fn concrete(b: Builtin) -> bool {
    !matches!(b, Builtin::AnyArrayColumn)
}

fn index() -> &'static Index {
    static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut runs: Vec<(&'static str, std::ops::Range<usize>)> = Vec::new();
        let mut at = 0;
        for line in PG_PROC.split_inclusive('\n') {
            let name = line.split('\t').next().unwrap_or_default();
            match runs.last_mut() {
                Some((last, range)) if *last == name => range.end = at + line.len(),
                _ => runs.push((name, at..at + line.len())),
            }
            at += line.len();
        }
        let by_name = runs.iter().enumerate().map(|(i, (n, _))| (*n, i)).collect();
        let mut hand: std::collections::HashMap<_, Vec<_>> = Default::default();
        for d in FUNCTIONS {
            hand.entry(d.name).or_default().push(d);
        }
        Index {
            runs,
            by_name,
            hand,
            read: Default::default(),
        }
    })
}

/// `pg_proc.tsv`'s rows for `name`, read on first use; `None` when it lists none.
fn rows_of(name: &str) -> Option<&'static NameRows> {
    let index = index();
    let (name, range) = &index.runs[*index.by_name.get(name)?];
    let mut read = index.read.lock().unwrap_or_else(|p| p.into_inner());
    Some(read.entry(name).or_insert_with(|| {
        let hand = index.hand.get(name).map_or(&[][..], Vec::as_slice);
        Box::leak(Box::new(read_run(name, &PG_PROC[range.clone()], hand)))
    }))
}

/// The rows of one name's run of `pg_proc.tsv` lines. Signatures the hand-written rows
/// (`hand`) or an earlier row already list are left out: the hand-written rows win.
fn read_run(name: &'static str, lines: &'static str, hand: &[&FunctionDef]) -> NameRows {
    let mut rows = NameRows {
        defs: Vec::new(),
        set_returning: false,
        named: Vec::new(),
    };
    // Names the grammar reserves for its own syntax (`position(a IN b)`, `char(10)`): a
    // call by function syntax is PostgreSQL's syntax error.
    if NOT_CALLABLE.contains(&name) {
        return rows;
    }
    let mut listed: Vec<&'static [Tok]> = hand.iter().map(|d| d.args).collect();
    'rows: for line in lines.lines() {
        let mut f = line.split('\t');
        let mut field = || {
            f.next()
                .unwrap_or_else(|| panic!("pg_proc.tsv: eight fields per row: {line:?}"))
        };
        let [_, kind, retset, variadic, defaults, ret, args, names] =
            std::array::from_fn(|_| field());
        assert!(
            f.next().is_none(),
            "pg_proc.tsv: eight fields per row: {line:?}"
        );
        let defaults: usize = defaults.parse().expect("pg_proc.tsv: a count of defaults");
        let Some(ret) = token(ret) else { continue };
        let mut toks = Vec::new();
        for a in args.split(';').filter(|a| !a.is_empty()) {
            let Some(t) = token(a) else { continue 'rows };
            toks.push(t);
        }
        let kind = match kind {
            "a" => Kind::Aggregate,
            "w" => Kind::Window,
            _ => Kind::Scalar,
        };
        // `count()` in pg_proc is `count(*)`, which the hand-written table handles.
        if kind == Kind::Aggregate && toks.is_empty() {
            continue;
        }
        if !names.is_empty() && kind == Kind::Scalar {
            rows.named.push(NamedRow {
                args: toks.clone(),
                names: names.split(';').collect(),
                defaults,
            });
        }
        if retset == "t" && ret != RECORD && !SET_RETURNING.iter().any(|(n, _)| *n == name) {
            rows.set_returning = true;
        }
        // One row per arity a call may have: trailing arguments with defaults left out.
        for n in (toks.len() - defaults.min(toks.len())..=toks.len()).rev() {
            let args = &toks[..n];
            if listed.contains(&args) {
                continue;
            }
            // Built once per process and kept for its life, like the const table.
            let args: &'static [Tok] = Box::leak(args.to_vec().into_boxed_slice());
            listed.push(args);
            rows.defs.push(FunctionDef {
                name,
                args,
                variadic: variadic == "t" && n == toks.len(),
                ret,
                kind,
                nulls: Nulls::Always,
                extension: None,
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loader compares a row's signatures only with its own name's earlier rows, which
    /// holds when the file lists each name's rows together (as its `ORDER BY` does).
    #[test]
    fn pg_proc_lists_each_name_in_one_run() {
        let mut done = std::collections::HashSet::new();
        let mut last = "";
        for line in PG_PROC.lines() {
            let name = line.split('\t').next().unwrap();
            if name != last {
                assert!(
                    done.insert(name),
                    "pg_proc.tsv lists `{name}` in two places"
                );
                last = name;
            }
        }
    }

    /// No signature is listed twice: the hand-written row hides pg_proc's.
    #[test]
    fn every_signature_once() {
        let mut seen = std::collections::HashSet::new();
        for d in all() {
            assert!(
                seen.insert((d.name, d.args)),
                "{} {:?} twice",
                d.name,
                d.args
            );
        }
    }
}
