//! Functions as data: one table of PostgreSQL 15's functions we know, with overloads,
//! argument and result types, and how NULL flows through them. Extending it is adding rows.
//!
//! Type tokens: a canonical type name (`integer`, `text[]`), `any` (any one type, no
//! binding), or a polymorphic token: `anyelement`, `anynonarray`, `anyenum`, `anyarray`
//! (binds its element), `anycompatible` / `anycompatiblearray` (bind to a common type).

use sqlparser::tokenizer::Span;

use super::ops::{array_of, common_type, element_of, implicit_castable, plain};
use super::{Analyzer, Origin, Typed};
use crate::catalog::types::Category;
use crate::catalog::SqlType;
use crate::diagnostic::{Code, Diagnostic};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Scalar,
    Aggregate,
    Window,
}

/// How the result's nullability follows from the arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// NULL when any argument is NULL.
    Strict,
    /// Never NULL.
    Never,
    /// May be NULL whatever the arguments (aggregates over no rows, `lag`, `array_length`).
    Always,
}

#[derive(Debug)]
pub struct FunctionDef {
    pub name: &'static str,
    pub args: &'static [&'static str],
    /// The last argument repeats.
    pub variadic: bool,
    pub ret: &'static str,
    pub kind: Kind,
    pub nulls: Nulls,
}

const fn f(
    name: &'static str,
    args: &'static [&'static str],
    ret: &'static str,
    nulls: Nulls,
) -> FunctionDef {
    FunctionDef {
        name,
        args,
        variadic: false,
        ret,
        kind: Kind::Scalar,
        nulls,
    }
}
const fn v(
    name: &'static str,
    args: &'static [&'static str],
    ret: &'static str,
    nulls: Nulls,
) -> FunctionDef {
    FunctionDef {
        name,
        args,
        variadic: true,
        ret,
        kind: Kind::Scalar,
        nulls,
    }
}
const fn agg(
    name: &'static str,
    args: &'static [&'static str],
    ret: &'static str,
    nulls: Nulls,
) -> FunctionDef {
    FunctionDef {
        name,
        args,
        variadic: false,
        ret,
        kind: Kind::Aggregate,
        nulls,
    }
}
const fn win(
    name: &'static str,
    args: &'static [&'static str],
    ret: &'static str,
    nulls: Nulls,
) -> FunctionDef {
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

const TS: &str = "timestamp without time zone";
const TSTZ: &str = "timestamp with time zone";
const DP: &str = "double precision";

pub static FUNCTIONS: &[FunctionDef] = &[
    // Aggregates.
    agg("count", &["any"], "bigint", Never),
    agg("sum", &["smallint"], "bigint", Always),
    agg("sum", &["integer"], "bigint", Always),
    agg("sum", &["bigint"], "numeric", Always),
    agg("sum", &["numeric"], "numeric", Always),
    agg("sum", &["real"], "real", Always),
    agg("sum", &[DP], DP, Always),
    agg("sum", &["interval"], "interval", Always),
    agg("avg", &["smallint"], "numeric", Always),
    agg("avg", &["integer"], "numeric", Always),
    agg("avg", &["bigint"], "numeric", Always),
    agg("avg", &["numeric"], "numeric", Always),
    agg("avg", &["real"], DP, Always),
    agg("avg", &[DP], DP, Always),
    agg("avg", &["interval"], "interval", Always),
    // Ordered-set aggregates (see ORDERED_SET): direct arguments, then the ordered one.
    agg("percentile_cont", &[DP, DP], DP, Always),
    agg("percentile_cont", &[DP, "interval"], "interval", Always),
    agg(
        "percentile_cont",
        &["double precision[]", DP],
        "double precision[]",
        Always,
    ),
    agg(
        "percentile_cont",
        &["double precision[]", "interval"],
        "interval[]",
        Always,
    ),
    agg("percentile_disc", &[DP, "anyelement"], "anyelement", Always),
    agg(
        "percentile_disc",
        &["double precision[]", "anyelement"],
        "anyarray",
        Always,
    ),
    agg("mode", &["anyelement"], "anyelement", Always),
    agg("min", &["smallint"], "smallint", Always),
    agg("min", &["integer"], "integer", Always),
    agg("min", &["bigint"], "bigint", Always),
    agg("min", &["numeric"], "numeric", Always),
    agg("min", &["real"], "real", Always),
    agg("min", &[DP], DP, Always),
    agg("min", &["text"], "text", Always),
    agg("min", &["character"], "character", Always),
    agg("min", &["date"], "date", Always),
    agg(
        "min",
        &["time without time zone"],
        "time without time zone",
        Always,
    ),
    agg("min", &[TS], TS, Always),
    agg("min", &[TSTZ], TSTZ, Always),
    agg("min", &["interval"], "interval", Always),
    agg("min", &["inet"], "inet", Always),
    agg("min", &["anyenum"], "anyenum", Always),
    agg("min", &["anyarray"], "anyarray", Always),
    agg("max", &["smallint"], "smallint", Always),
    agg("max", &["integer"], "integer", Always),
    agg("max", &["bigint"], "bigint", Always),
    agg("max", &["numeric"], "numeric", Always),
    agg("max", &["real"], "real", Always),
    agg("max", &[DP], DP, Always),
    agg("max", &["text"], "text", Always),
    agg("max", &["character"], "character", Always),
    agg("max", &["date"], "date", Always),
    agg(
        "max",
        &["time without time zone"],
        "time without time zone",
        Always,
    ),
    agg("max", &[TS], TS, Always),
    agg("max", &[TSTZ], TSTZ, Always),
    agg("max", &["interval"], "interval", Always),
    agg("max", &["inet"], "inet", Always),
    agg("max", &["anyenum"], "anyenum", Always),
    agg("max", &["anyarray"], "anyarray", Always),
    agg("array_agg", &["anynonarray"], "anyarray", Always),
    agg("array_agg", &["anyarray"], "anyarray", Always),
    agg("string_agg", &["text", "text"], "text", Always),
    agg("string_agg", &["bytea", "bytea"], "bytea", Always),
    agg("bool_and", &["boolean"], "boolean", Always),
    agg("bool_or", &["boolean"], "boolean", Always),
    agg("every", &["boolean"], "boolean", Always),
    agg("jsonb_agg", &["anyelement"], "jsonb", Always),
    agg("json_agg", &["anyelement"], "json", Always),
    agg("jsonb_object_agg", &["any", "any"], "jsonb", Always),
    // Window functions.
    win("row_number", &[], "bigint", Never),
    win("rank", &[], "bigint", Never),
    win("dense_rank", &[], "bigint", Never),
    win("percent_rank", &[], DP, Never),
    win("cume_dist", &[], DP, Never),
    win("ntile", &["integer"], "integer", Always),
    win("lag", &["anyelement"], "anyelement", Always),
    win("lag", &["anyelement", "integer"], "anyelement", Always),
    win(
        "lag",
        &["anycompatible", "integer", "anycompatible"],
        "anycompatible",
        Always,
    ),
    win("lead", &["anyelement"], "anyelement", Always),
    win("lead", &["anyelement", "integer"], "anyelement", Always),
    win(
        "lead",
        &["anycompatible", "integer", "anycompatible"],
        "anycompatible",
        Always,
    ),
    win("first_value", &["anyelement"], "anyelement", Always),
    win("last_value", &["anyelement"], "anyelement", Always),
    // Date and time.
    f("now", &[], TSTZ, Never),
    f("current_timestamp", &[], TSTZ, Never),
    f("transaction_timestamp", &[], TSTZ, Never),
    f("statement_timestamp", &[], TSTZ, Never),
    f("clock_timestamp", &[], TSTZ, Never),
    // Slow backfills and tests of the migrator's lease use it; it returns `void`.
    f("pg_sleep", &[DP], "void", Strict),
    f("current_date", &[], "date", Never),
    f("localtimestamp", &[], TS, Never),
    f("date_trunc", &["text", TS], TS, Strict),
    f("date_trunc", &["text", TSTZ], TSTZ, Strict),
    f("date_trunc", &["text", "interval"], "interval", Strict),
    f("date_trunc", &["text", TSTZ, "text"], TSTZ, Strict),
    f("date_part", &["text", TS], DP, Strict),
    f("date_part", &["text", TSTZ], DP, Strict),
    f("date_part", &["text", "interval"], DP, Strict),
    f("date_part", &["text", "date"], DP, Strict),
    f("age", &[TS, TS], "interval", Strict),
    f("age", &[TSTZ, TSTZ], "interval", Strict),
    f("age", &[TS], "interval", Strict),
    f("age", &[TSTZ], "interval", Strict),
    f("to_char", &[TS, "text"], "text", Strict),
    f("to_char", &[TSTZ, "text"], "text", Strict),
    f("to_char", &["interval", "text"], "text", Strict),
    f("to_char", &["numeric", "text"], "text", Strict),
    f("to_char", &["integer", "text"], "text", Strict),
    f("to_char", &["bigint", "text"], "text", Strict),
    f("to_char", &[DP, "text"], "text", Strict),
    // make_interval: every argument has a default; analysed in expr.rs (named arguments).
    // Strings.
    f("lower", &["text"], "text", Strict),
    f("upper", &["text"], "text", Strict),
    f("initcap", &["text"], "text", Strict),
    f("length", &["text"], "integer", Strict),
    f("length", &["bytea"], "integer", Strict),
    f("char_length", &["text"], "integer", Strict),
    f("character_length", &["text"], "integer", Strict),
    f("octet_length", &["text"], "integer", Strict),
    f("octet_length", &["bytea"], "integer", Strict),
    f("md5", &["bytea"], "text", Strict),
    f("btrim", &["text"], "text", Strict),
    f("btrim", &["text", "text"], "text", Strict),
    f("ltrim", &["text"], "text", Strict),
    f("ltrim", &["text", "text"], "text", Strict),
    f("rtrim", &["text"], "text", Strict),
    f("rtrim", &["text", "text"], "text", Strict),
    f("substr", &["text", "integer"], "text", Strict),
    f("substr", &["text", "integer", "integer"], "text", Strict),
    f("substring", &["text", "integer"], "text", Strict),
    f("substring", &["text", "integer", "integer"], "text", Strict),
    // The regular-expression forms: `substring($1, $2)` resolves to these (text wins).
    // No match is NULL.
    f("substring", &["text", "text"], "text", Always),
    f("substring", &["text", "text", "text"], "text", Always),
    f("replace", &["text", "text", "text"], "text", Strict),
    v("concat", &["any"], "text", Never),
    v("num_nulls", &["any"], "integer", Never),
    v("num_nonnulls", &["any"], "integer", Never),
    v("concat_ws", &["text", "any"], "text", Strict),
    f("left", &["text", "integer"], "text", Strict),
    f("right", &["text", "integer"], "text", Strict),
    f("strpos", &["text", "text"], "integer", Strict),
    f("split_part", &["text", "text", "integer"], "text", Strict),
    f("repeat", &["text", "integer"], "text", Strict),
    f("reverse", &["text"], "text", Strict),
    f("md5", &["text"], "text", Strict),
    f("lpad", &["text", "integer"], "text", Strict),
    f("lpad", &["text", "integer", "text"], "text", Strict),
    f("rpad", &["text", "integer"], "text", Strict),
    f("rpad", &["text", "integer", "text"], "text", Strict),
    f("starts_with", &["text", "text"], "boolean", Strict),
    f("regexp_replace", &["text", "text", "text"], "text", Strict),
    f(
        "regexp_replace",
        &["text", "text", "text", "text"],
        "text",
        Strict,
    ),
    v("format", &["text", "any"], "text", Strict),
    f("gen_random_uuid", &[], "uuid", Never),
    // JSON.
    v("jsonb_build_object", &["any"], "jsonb", Never),
    v("jsonb_build_array", &["any"], "jsonb", Never),
    v("json_build_object", &["any"], "json", Never),
    v("json_build_array", &["any"], "json", Never),
    f("to_jsonb", &["anyelement"], "jsonb", Strict),
    f("to_json", &["anyelement"], "json", Strict),
    f("jsonb_array_length", &["jsonb"], "integer", Strict),
    f("json_array_length", &["json"], "integer", Strict),
    f("jsonb_typeof", &["jsonb"], "text", Strict),
    f("jsonb_set", &["jsonb", "text[]", "jsonb"], "jsonb", Strict),
    f(
        "jsonb_set",
        &["jsonb", "text[]", "jsonb", "boolean"],
        "jsonb",
        Strict,
    ),
    f("jsonb_strip_nulls", &["jsonb"], "jsonb", Strict),
    f("jsonb_pretty", &["jsonb"], "text", Strict),
    v(
        "jsonb_extract_path_text",
        &["jsonb", "text"],
        "text",
        Always,
    ),
    v("jsonb_extract_path", &["jsonb", "text"], "jsonb", Always),
    // Arrays.
    f("array_length", &["anyarray", "integer"], "integer", Always),
    f("cardinality", &["anyarray"], "integer", Strict),
    f(
        "array_position",
        &["anycompatiblearray", "anycompatible"],
        "integer",
        Always,
    ),
    f(
        "array_append",
        &["anycompatiblearray", "anycompatible"],
        "anycompatiblearray",
        Never,
    ),
    f(
        "array_prepend",
        &["anycompatible", "anycompatiblearray"],
        "anycompatiblearray",
        Never,
    ),
    f(
        "array_cat",
        &["anycompatiblearray", "anycompatiblearray"],
        "anycompatiblearray",
        Always,
    ),
    f(
        "array_remove",
        &["anycompatiblearray", "anycompatible"],
        "anycompatiblearray",
        Always,
    ),
    f("array_to_string", &["anyarray", "text"], "text", Strict),
    f("string_to_array", &["text", "text"], "text[]", Strict),
    f("unnest", &["anyarray"], "anyelement", Always),
    // Numbers.
    f("abs", &["smallint"], "smallint", Strict),
    f("abs", &["integer"], "integer", Strict),
    f("abs", &["bigint"], "bigint", Strict),
    f("abs", &["numeric"], "numeric", Strict),
    f("abs", &["real"], "real", Strict),
    f("abs", &[DP], DP, Strict),
    f("round", &[DP], DP, Strict),
    f("round", &["numeric"], "numeric", Strict),
    f("round", &["numeric", "integer"], "numeric", Strict),
    f("trunc", &[DP], DP, Strict),
    f("trunc", &["numeric"], "numeric", Strict),
    f("trunc", &["numeric", "integer"], "numeric", Strict),
    f("ceil", &[DP], DP, Strict),
    f("ceil", &["numeric"], "numeric", Strict),
    f("ceiling", &[DP], DP, Strict),
    f("ceiling", &["numeric"], "numeric", Strict),
    f("floor", &[DP], DP, Strict),
    f("floor", &["numeric"], "numeric", Strict),
    f("sign", &[DP], DP, Strict),
    f("sign", &["numeric"], "numeric", Strict),
    f("mod", &["smallint", "smallint"], "smallint", Strict),
    f("mod", &["integer", "integer"], "integer", Strict),
    f("mod", &["bigint", "bigint"], "bigint", Strict),
    f("mod", &["numeric", "numeric"], "numeric", Strict),
    f("power", &[DP, DP], DP, Strict),
    f("power", &["numeric", "numeric"], "numeric", Strict),
    f("sqrt", &[DP], DP, Strict),
    f("sqrt", &["numeric"], "numeric", Strict),
    f("random", &[], DP, Never),
    // More dates, strings and bytes.
    f("date", &[TS], "date", Strict),
    f("date", &[TSTZ], "date", Strict),
    f("to_timestamp", &[DP], TSTZ, Strict),
    f("to_timestamp", &["text", "text"], TSTZ, Strict),
    f("to_date", &["text", "text"], "date", Strict),
    f(
        "make_date",
        &["integer", "integer", "integer"],
        "date",
        Strict,
    ),
    f("encode", &["bytea", "text"], "text", Strict),
    f("decode", &["text", "text"], "bytea", Strict),
    f("sha256", &["bytea"], "bytea", Strict),
    f("version", &[], "text", Never),
    // Network addresses.
    f("host", &["inet"], "text", Strict),
    f("masklen", &["inet"], "integer", Strict),
    f("family", &["inet"], "integer", Strict),
    f("array_upper", &["anyarray", "integer"], "integer", Always),
    f("array_lower", &["anyarray", "integer"], "integer", Always),
    // Set-returning functions (in FROM, or one row per element in a SELECT list).
    f(
        "generate_series",
        &["integer", "integer"],
        "integer",
        Strict,
    ),
    f(
        "generate_series",
        &["integer", "integer", "integer"],
        "integer",
        Strict,
    ),
    f("generate_series", &["bigint", "bigint"], "bigint", Strict),
    f(
        "generate_series",
        &["bigint", "bigint", "bigint"],
        "bigint",
        Strict,
    ),
    f(
        "generate_series",
        &["numeric", "numeric"],
        "numeric",
        Strict,
    ),
    f(
        "generate_series",
        &["numeric", "numeric", "numeric"],
        "numeric",
        Strict,
    ),
    f("generate_series", &[TS, TS, "interval"], TS, Strict),
    f("generate_series", &[TSTZ, TSTZ, "interval"], TSTZ, Strict),
    f("jsonb_array_elements", &["jsonb"], "jsonb", Strict),
    f("json_array_elements", &["json"], "json", Strict),
    f("jsonb_array_elements_text", &["jsonb"], "text", Always),
    f("jsonb_object_keys", &["jsonb"], "text", Strict),
    f("regexp_split_to_table", &["text", "text"], "text", Strict),
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

/// A canonical type from a table token.
pub fn concrete(token: &str) -> Option<SqlType> {
    let (base, array) = match token.strip_suffix("[]") {
        Some(b) => (b, true),
        None => (token, false),
    };
    const NAMES: &[&str] = &[
        "smallint",
        "integer",
        "bigint",
        "numeric",
        "real",
        "double precision",
        "text",
        "character",
        "boolean",
        "uuid",
        "bytea",
        "date",
        "time without time zone",
        "timestamp without time zone",
        "timestamp with time zone",
        "interval",
        "json",
        "jsonb",
        "inet",
        "void",
    ];
    let name = NAMES.iter().find(|n| **n == base)?;
    let t = SqlType::builtin(name);
    Some(if array { array_of(&t) } else { t })
}

/// Functions PostgreSQL also defines on types the checker does not model (`trunc(macaddr)`):
/// for them an untyped argument stays ambiguous, as it is in PostgreSQL.
const HIDDEN_OVERLOADS: &[(&str, usize)] = &[("trunc", 1), ("age", 1)];

/// PostgreSQL's type categories as func_select_candidate compares them: interval is a
/// category of its own (timespan), apart from dates and times.
fn pg_category(t: &SqlType) -> (Category, bool) {
    (t.category(), !t.array && t.base_name() == "interval")
}

/// func_select_candidate's rule for untyped arguments: at each such position, keep the
/// candidates taking a string type if any does, else require one category for all; then
/// keep those taking the category's preferred type, if any does. Leaves `scored` as is when
/// the positions give no clue (the caller reports the ambiguity).
fn resolve_unknowns(
    scored: &mut Vec<(usize, usize, &'static FunctionDef, Binding)>,
    unknown_positions: &[usize],
) {
    let mut kept = scored.clone();
    for &i in unknown_positions {
        let type_at = |s: &(usize, usize, &'static FunctionDef, Binding)| {
            resolve_token(arg_token(s.2, i), &s.3)
        };
        if kept
            .iter()
            .any(|s| type_at(s).is_some_and(|t| pg_category(&t).0 == Category::String))
        {
            kept.retain(|s| type_at(s).is_some_and(|t| pg_category(&t).0 == Category::String));
        } else if HIDDEN_OVERLOADS.contains(&(kept[0].2.name, kept[0].2.args.len())) {
            return;
        } else {
            let categories: Vec<Option<(Category, bool)>> = kept
                .iter()
                .map(|s| type_at(s).map(|t| pg_category(&t)))
                .collect();
            if categories.iter().any(Option::is_none)
                || categories.iter().any(|c| *c != categories[0])
            {
                return;
            }
        }
        if kept
            .iter()
            .any(|s| type_at(s).is_some_and(|t| preferred(&t)))
        {
            kept.retain(|s| type_at(s).is_some_and(|t| preferred(&t)));
        }
    }
    *scored = kept;
}

fn preferred(t: &SqlType) -> bool {
    !t.array
        && matches!(
            t.base_name(),
            "double precision" | "text" | "timestamp with time zone" | "boolean" | "interval"
        )
}

/// Polymorphic bindings of one candidate.
#[derive(Default, Clone)]
struct Binding {
    element: Option<SqlType>,
    compatible: Option<SqlType>,
}

enum ArgMatch {
    Exact,
    Cast { preferred: bool },
    Unknown,
}

fn match_arg(token: &str, arg: &Typed, binding: &mut Binding) -> Option<ArgMatch> {
    let Some(t) = &arg.ty else {
        return Some(ArgMatch::Unknown);
    };
    let t = plain(t);
    match token {
        "any" => Some(ArgMatch::Exact),
        "anyelement" | "anynonarray" | "anyenum" | "anyarray" => {
            let elem = if token == "anyarray" {
                element_of(&t)?
            } else {
                t.clone()
            };
            if token == "anynonarray" && t.array {
                return None;
            }
            if token == "anyenum" && t.category() != Category::Enum {
                return None;
            }
            match &binding.element {
                Some(e) if *e != elem => None,
                _ => {
                    binding.element = Some(elem);
                    Some(ArgMatch::Exact)
                }
            }
        }
        "anycompatible" | "anycompatiblearray" => {
            let elem = if token == "anycompatiblearray" {
                element_of(&t)?
            } else {
                t.clone()
            };
            binding.compatible = Some(match &binding.compatible {
                Some(c) => common_type(c, &elem)?,
                None => elem,
            });
            Some(ArgMatch::Exact)
        }
        concrete_token => {
            let want = concrete(concrete_token)?;
            if want == t {
                Some(ArgMatch::Exact)
            } else if implicit_castable(&t, &want) {
                Some(ArgMatch::Cast {
                    preferred: preferred(&want),
                })
            } else {
                None
            }
        }
    }
}

fn resolve_token(token: &str, b: &Binding) -> Option<SqlType> {
    match token {
        "anyelement" | "anynonarray" | "anyenum" => b.element.clone(),
        "anyarray" => b.element.as_ref().map(array_of),
        "anycompatible" => b.compatible.clone(),
        "anycompatiblearray" => b.compatible.as_ref().map(array_of),
        "any" => None,
        t => concrete(t),
    }
}

fn arg_token(def: &FunctionDef, i: usize) -> &'static str {
    if def.variadic && i >= def.args.len() {
        def.args[def.args.len() - 1]
    } else {
        def.args[i]
    }
}

fn describe_args(args: &[Typed]) -> String {
    args.iter()
        .map(|a| match (&a.ty, &a.origin) {
            (Some(t), _) => t.to_string(),
            (None, Origin::Param(_)) => "unknown".to_string(),
            _ => "unknown".to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Analyzer<'_> {
    /// Picks the overload of `name` PostgreSQL would, types the untyped arguments from it, and
    /// returns the result with its nullability.
    pub fn call_function(
        &mut self,
        name: &str,
        args: &[Typed],
        arg_spans: &[Span],
        span: Span,
    ) -> Result<(Typed, &'static FunctionDef), Diagnostic> {
        let by_name: Vec<&'static FunctionDef> =
            FUNCTIONS.iter().filter(|d| d.name == name).collect();
        if by_name.is_empty() {
            let names: Vec<&str> = FUNCTIONS.iter().map(|d| d.name).collect();
            return Err(self.error(Code::UnknownFunction, format!("unknown function `{name}`"), span).with_help(
                crate::suggest::did_you_mean(name, names.iter().copied(), || {
                    "the checker knows PostgreSQL's common functions; if this one exists, report it so it can be added to the function table".to_string()
                }),
            ));
        }
        // Score every candidate: exact matches first, then preferred-type casts.
        let mut scored: Vec<(usize, usize, &'static FunctionDef, Binding)> = Vec::new();
        for def in &by_name {
            let arity_ok = if def.variadic {
                args.len() >= def.args.len()
            } else {
                args.len() == def.args.len()
            };
            if !arity_ok {
                continue;
            }
            let mut binding = Binding::default();
            let mut exact = 0;
            let mut preferred_casts = 0;
            let mut ok = true;
            for (i, a) in args.iter().enumerate() {
                match match_arg(arg_token(def, i), a, &mut binding) {
                    Some(ArgMatch::Exact) => exact += 1,
                    Some(ArgMatch::Cast { preferred }) => preferred_casts += preferred as usize,
                    Some(ArgMatch::Unknown) => {}
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                scored.push((exact, preferred_casts, def, binding));
            }
        }
        let signature = format!("{name}({})", describe_args(args));
        if scored.is_empty() {
            return Err(self
                .error(
                    Code::TypeMismatch,
                    format!("function {signature} does not exist"),
                    span,
                )
                .with_help(format!(
                    "no overload of `{name}` takes these argument types; add explicit casts"
                )));
        }
        let best_exact = scored.iter().map(|s| s.0).max().unwrap();
        scored.retain(|s| s.0 == best_exact);
        let best_pref = scored.iter().map(|s| s.1).max().unwrap();
        scored.retain(|s| s.1 == best_pref);
        if scored.len() > 1 {
            // Candidates that agree on every untyped argument's type are one answer.
            let unknown_positions: Vec<usize> = args
                .iter()
                .enumerate()
                .filter(|(_, a)| a.ty.is_none())
                .map(|(i, _)| i)
                .collect();
            let first = &scored[0];
            let same = scored.iter().all(|s| {
                unknown_positions.iter().all(|&i| {
                    resolve_token(arg_token(s.2, i), &s.3)
                        == resolve_token(arg_token(first.2, i), &first.3)
                }) && resolve_token(s.2.ret, &s.3) == resolve_token(first.2.ret, &first.3)
            });
            // PostgreSQL's last rule: when every typed argument has the same type, assume
            // the untyped ones have it too, and take the one candidate that accepts that.
            let known: Vec<SqlType> = args
                .iter()
                .filter_map(|a| a.ty.as_ref().map(super::ops::plain))
                .collect();
            if !same && !known.is_empty() && known.iter().all(|k| *k == known[0]) {
                let accepts = |s: &(usize, usize, &'static FunctionDef, Binding)| {
                    unknown_positions.iter().all(|&i| {
                        resolve_token(arg_token(s.2, i), &s.3).is_some_and(|t| {
                            t == known[0] || super::ops::implicit_castable(&known[0], &t)
                        })
                    })
                };
                if scored.iter().filter(|s| accepts(s)).count() == 1 {
                    scored.retain(|s| accepts(s));
                }
            }
            if !same && scored.len() > 1 {
                resolve_unknowns(&mut scored, &unknown_positions);
            }
            let agree = scored.iter().all(|s| {
                unknown_positions.iter().all(|&i| {
                    resolve_token(arg_token(s.2, i), &s.3)
                        == resolve_token(arg_token(scored[0].2, i), &scored[0].3)
                }) && resolve_token(s.2.ret, &s.3) == resolve_token(scored[0].2.ret, &scored[0].3)
            });
            if !agree {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("function {signature} is not unique"),
                        span,
                    )
                    .with_help("add explicit casts to the arguments, e.g. `$1::numeric`"));
            }
        }
        let (_, _, def, mut binding) = scored.swap_remove(0);
        // `anycompatible` arguments that are all untyped resolve as text, as PostgreSQL's
        // enforce_generic_type_consistency does (`array_append($1, $2)`: text[], text);
        // all-untyped `anyelement` arguments stay an error there ("could not determine
        // polymorphic type because input has type unknown").
        let has = |tokens: &[&str]| def.args.iter().any(|a| tokens.contains(a));
        if binding.compatible.is_none() && has(&["anycompatible", "anycompatiblearray"]) {
            binding.compatible = Some(SqlType::builtin("text"));
        }
        // Type the untyped arguments from the chosen overload.
        for (i, a) in args.iter().enumerate() {
            let token = arg_token(def, i);
            if a.ty.is_some() {
                continue;
            }
            let target = resolve_token(token, &binding).or_else(|| {
                // An untyped literal for a polymorphic argument with nothing else to go by
                // resolves as text, as in PostgreSQL.
                match (&a.origin, token) {
                    (Origin::Literal(_) | Origin::Null, "any") => Some(SqlType::builtin("text")),
                    _ => None,
                }
            });
            match target {
                Some(t) => {
                    if matches!(token, "anyelement" | "anynonarray") && binding.element.is_none() {
                        binding.element = Some(t.clone());
                    }
                    if token == "anycompatible" && binding.compatible.is_none() {
                        binding.compatible = Some(t.clone());
                    }
                    self.coerce(a, &t, arg_spans.get(i).copied().unwrap_or(span))?;
                }
                None if token == "any" && matches!(a.origin, Origin::Param(_)) => {
                    return Err(self
                        .error(
                            Code::ParamType,
                            format!("could not determine data type of a parameter of `{name}`"),
                            arg_spans.get(i).copied().unwrap_or(span),
                        )
                        .with_help("add a cast, e.g. `$1::text`"));
                }
                None if token == "any" => {}
                None => {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            format!("could not determine polymorphic type for {signature}"),
                            span,
                        )
                        .with_help("cast the argument to a concrete type"));
                }
            }
        }
        let Some(ret) = resolve_token(def.ret, &binding) else {
            return Err(self
                .error(
                    Code::TypeMismatch,
                    format!("could not determine the result type of {signature}"),
                    span,
                )
                .with_help("cast the arguments to concrete types"));
        };
        let nullable = match def.nulls {
            Nulls::Never => false,
            Nulls::Always => true,
            Nulls::Strict => args.iter().any(|a| a.nullable),
        };
        Ok((Typed::known(ret, nullable), def))
    }
}
