//! Type relations PostgreSQL uses when it resolves operators, functions and unions: implicit
//! casts, the common type of two types, and the result types of arithmetic.

use crate::catalog::types::{BaseType, Category};
use crate::catalog::SqlType;

pub fn ty(name: &'static str) -> SqlType {
    SqlType::builtin(name)
}

pub fn array_of(t: &SqlType) -> SqlType {
    SqlType {
        base: t.base.clone(),
        array: true,
    }
}

pub fn element_of(t: &SqlType) -> Option<SqlType> {
    t.array.then(|| SqlType {
        base: t.base.clone(),
        array: false,
    })
}

/// The type without modifiers: what `format_type(oid, NULL)` names and what operators see.
pub fn plain(t: &SqlType) -> SqlType {
    match &t.base {
        BaseType::Builtin { name, .. } => SqlType {
            base: BaseType::Builtin {
                name,
                modifiers: Vec::new(),
            },
            array: t.array,
        },
        BaseType::Enum(_) => t.clone(),
    }
}

/// Position in the numeric category: an implicit cast always goes up.
pub fn numeric_rank(t: &SqlType) -> Option<u8> {
    if t.array {
        return None;
    }
    Some(match t.base_name() {
        "smallint" => 1,
        "integer" => 2,
        "bigint" => 3,
        "numeric" => 4,
        "real" => 5,
        "double precision" => 6,
        _ => return None,
    })
}

fn datetime_rank(t: &SqlType) -> Option<u8> {
    if t.array {
        return None;
    }
    Some(match t.base_name() {
        "date" => 1,
        "timestamp without time zone" => 2,
        "timestamp with time zone" => 3,
        _ => return None,
    })
}

pub fn is_string(t: &SqlType) -> bool {
    !t.array && t.category() == Category::String
}

/// PostgreSQL's implicit casts between the types we model.
pub fn implicit_castable(from: &SqlType, to: &SqlType) -> bool {
    if plain(from) == plain(to) {
        return true;
    }
    if from.array && to.array {
        return implicit_castable(&element_of(from).unwrap(), &element_of(to).unwrap());
    }
    if from.array != to.array {
        return false;
    }
    if let (Some(a), Some(b)) = (numeric_rank(from), numeric_rank(to)) {
        return a <= b;
    }
    if let (Some(a), Some(b)) = (datetime_rank(from), datetime_rank(to)) {
        return a <= b;
    }
    if is_string(from) && is_string(to) {
        return from.base_name() != "citext" || to.base_name() == "text";
    }
    matches!((from.base_name(), to.base_name()), ("cidr", "inet"))
}

/// Whether a type is its category's preferred type (a common-type resolution stops there).
pub fn is_preferred(t: &SqlType) -> bool {
    !t.array
        && matches!(
            t.base_name(),
            "text"
                | "double precision"
                | "timestamp with time zone"
                | "boolean"
                | "interval"
                | "inet"
        )
}

/// The type two values resolve to when they must be one (UNION, CASE, COALESCE, IN, VALUES):
/// PostgreSQL's `select_common_type`, which is ordered — `current` is the type chosen so
/// far, `next` the next input. `varchar` then `text` stays `varchar`; `integer` then `bigint`
/// becomes `bigint`.
pub fn common_type(current: &SqlType, next: &SqlType) -> Option<SqlType> {
    let (p, n) = (plain(current), plain(next));
    if p == n {
        return Some(p);
    }
    if p.array && n.array {
        return common_type(&element_of(&p).unwrap(), &element_of(&n).unwrap())
            .map(|e| array_of(&e));
    }
    if p.array != n.array
        || p.category() != n.category()
        || matches!(p.category(), Category::Other | Category::Enum)
    {
        return if implicit_castable(&n, &p) {
            Some(p)
        } else if implicit_castable(&p, &n) {
            Some(n)
        } else {
            None
        };
    }
    if is_preferred(&p) {
        return implicit_castable(&n, &p).then_some(p);
    }
    if implicit_castable(&p, &n) && !implicit_castable(&n, &p) {
        return Some(n);
    }
    if implicit_castable(&n, &p) {
        return Some(p);
    }
    None
}

/// The type an operator takes for a value of type `t`: `varchar` has no operators of its
/// own and compares as `text`, so `name = $1` types `$1` as text.
pub fn operator_input(t: &SqlType) -> SqlType {
    if !t.array && t.base_name() == "character varying" {
        ty("text")
    } else {
        plain(t)
    }
}

/// Whether `=`, `<` … exist between values of these types (after resolving to a common type).
pub fn comparable(t: &SqlType) -> bool {
    !matches!(t.base_name(), "json" | "xml" | "point")
}

/// The result type of `l op r` for the arithmetic operators on known types, or None when no
/// such operator exists.
pub fn arithmetic(op: &str, l: &SqlType, r: &SqlType) -> Option<SqlType> {
    if let (Some(a), Some(b)) = (numeric_rank(l), numeric_rank(r)) {
        // real with anything but real resolves through float8 (the category's preferred
        // type wins the tie between float4 and float8 operators).
        let t = if (a == 5) != (b == 5) {
            ty("double precision")
        } else if a >= b {
            plain(l)
        } else {
            plain(r)
        };
        return match op {
            "+" | "-" | "*" | "/" => Some(t),
            "%" => (t.base_name() != "real" && t.base_name() != "double precision").then_some(t),
            "^" => Some(if t.base_name() == "numeric" {
                t
            } else {
                ty("double precision")
            }),
            _ => None,
        };
    }
    let (ln, rn) = (
        if l.array { "" } else { l.base_name() },
        if r.array { "" } else { r.base_name() },
    );
    let int = |n: &str| matches!(n, "smallint" | "integer" | "bigint");
    let num = |n: &str| numeric_rank(&ty_static(n)).is_some();
    // jsonb - text (a key), jsonb - integer (an index), jsonb - text[] (keys).
    if op == "-" && ln == "jsonb" {
        let key = matches!(
            rn,
            "text" | "character varying" | "character" | "smallint" | "integer"
        ) || (r.array && r.base_name() == "text");
        return key.then(|| ty("jsonb"));
    }
    let ts = "timestamp without time zone";
    let tstz = "timestamp with time zone";
    Some(match (op, ln, rn) {
        ("+", "date", n) | ("+", n, "date") if int(n) => ty("date"),
        ("-", "date", n) if int(n) => ty("date"),
        ("-", "date", "date") => ty("integer"),
        ("+", "date", "interval") | ("+", "interval", "date") | ("-", "date", "interval") => ty(ts),
        ("+", "date", "time without time zone") | ("+", "time without time zone", "date") => ty(ts),
        ("+", t, "interval") | ("-", t, "interval") if t == ts || t == tstz => ty_static(t),
        ("+", "interval", t) if t == ts || t == tstz => ty_static(t),
        ("-", a, b) if (a == ts || a == tstz) && a == b => ty("interval"),
        ("-", a, b) if (a == ts && b == tstz) || (a == tstz && b == ts) => ty("interval"),
        ("+", "interval", "interval") | ("-", "interval", "interval") => ty("interval"),
        ("*", "interval", n) | ("*", n, "interval") | ("/", "interval", n) if num(n) => {
            ty("interval")
        }
        ("+", "time without time zone", "interval")
        | ("-", "time without time zone", "interval") => ty("time without time zone"),
        ("-", "time without time zone", "time without time zone") => ty("interval"),
        _ => return None,
    })
}

fn ty_static(name: &str) -> SqlType {
    // Names coming from other SqlTypes are already canonical; map them back to 'static.
    const NAMES: &[&str] = &[
        "smallint",
        "integer",
        "bigint",
        "numeric",
        "real",
        "double precision",
        "date",
        "interval",
        "timestamp without time zone",
        "timestamp with time zone",
        "time without time zone",
        "text",
    ];
    NAMES
        .iter()
        .find(|n| **n == name)
        .map(|n| SqlType::builtin(n))
        .unwrap_or_else(|| SqlType::builtin("text"))
}

/// The name PostgreSQL's parser gives a type in a cast, which becomes the column name of
/// `SELECT x::type` (`integer` → `int4`).
pub fn cast_column_name(t: &SqlType) -> String {
    match &t.base {
        BaseType::Enum(n) => n.clone(),
        BaseType::Builtin { name, .. } => match *name {
            "smallint" => "int2",
            "integer" => "int4",
            "bigint" => "int8",
            "real" => "float4",
            "double precision" => "float8",
            "boolean" => "bool",
            "character varying" => "varchar",
            "character" => "bpchar",
            "timestamp with time zone" => "timestamptz",
            "timestamp without time zone" => "timestamp",
            "time with time zone" => "timetz",
            "time without time zone" => "time",
            "bit varying" => "varbit",
            other => other,
        }
        .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution_rules() {
        assert_eq!(
            common_type(&ty("integer"), &ty("bigint")),
            Some(ty("bigint"))
        );
        assert_eq!(
            common_type(&ty("integer"), &ty("numeric")),
            Some(ty("numeric"))
        );
        // select_common_type is ordered: the first string type stays unless it is not
        // preferred and only the other way round casts implicitly.
        assert_eq!(
            common_type(&ty("character varying"), &ty("text")),
            Some(ty("character varying"))
        );
        assert_eq!(
            common_type(&ty("text"), &ty("character varying")),
            Some(ty("text"))
        );
        assert_eq!(common_type(&ty("numeric"), &ty("real")), Some(ty("real")));
        assert_eq!(
            arithmetic("+", &ty("real"), &ty("numeric")),
            Some(ty("double precision"))
        );
        assert_eq!(
            common_type(&ty("date"), &ty("timestamp with time zone")),
            Some(ty("timestamp with time zone"))
        );
        assert_eq!(common_type(&ty("uuid"), &ty("text")), None);
        assert_eq!(
            arithmetic("/", &ty("integer"), &ty("numeric")),
            Some(ty("numeric"))
        );
        assert_eq!(
            arithmetic("+", &ty("integer"), &ty("bigint")),
            Some(ty("bigint"))
        );
        assert_eq!(
            arithmetic("-", &ty("date"), &ty("date")),
            Some(ty("integer"))
        );
        assert_eq!(
            arithmetic("+", &ty("timestamp with time zone"), &ty("interval")),
            Some(ty("timestamp with time zone"))
        );
        assert_eq!(arithmetic("+", &ty("text"), &ty("integer")), None);
        assert_eq!(cast_column_name(&ty("integer")), "int4");
    }
}
