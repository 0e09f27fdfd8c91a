//! Untyped string literals coerced to a type: `'maybe'` is not a boolean, `'refund'` is not a
//! label of that enum, `'x'` is not an integer. PostgreSQL checks these when it plans the
//! query, so we do too.
//!
//! Policy for dates and times: ISO 8601 forms and PostgreSQL's special values (`epoch`,
//! `infinity`, `-infinity`, `now`, `today`, `tomorrow`, `yesterday`) are accepted; the many
//! other forms PostgreSQL reads depend on `DateStyle`, so they are refused with a hint to use
//! ISO or a parameter.

use crate::catalog::{Catalog, SqlType};

/// Why a literal does not fit: the message and the help.
pub struct LiteralError {
    pub message: String,
    pub help: String,
}

fn invalid(ty: &SqlType, text: &str, help: &str) -> LiteralError {
    LiteralError {
        message: format!("invalid input syntax for type {}: `'{text}'`", ty),
        help: help.to_string(),
    }
}

/// A `regclass` literal (`nextval('orders_id_seq')`) names a relation, which PostgreSQL
/// looks up when it parses the query: `name`, `public.name` or `"Quoted"`.
fn check_regclass(catalog: &Catalog, text: &str) -> Result<(), LiteralError> {
    let Some(name) = crate::catalog::names::relation_key_from_text(text) else {
        return Err(LiteralError {
            message: format!("invalid name syntax: `'{text}'`"),
            help: "name a relation as 'name' or 'schema.name'".to_string(),
        });
    };
    if catalog.relation_kind(&name).is_some() {
        return Ok(());
    }
    // PostgreSQL's own relations: `'pg_class'::regclass`, `'pg_catalog.pg_type'`.
    if let Some((_, _, Some(_))) = crate::builtins::system_catalog::for_key(&name) {
        return Ok(());
    }
    Err(LiteralError {
        message: format!("relation `{name}` does not exist"),
        help: crate::suggest::did_you_mean(&name, catalog.relation_names(), || {
            "name a table, view, index or sequence of this service".to_string()
        }),
    })
}

/// Whether a numeric constant (`1.5e-3`) fits PostgreSQL's numeric format: its leading
/// digit at most [`MAX_NUMERIC_WEIGHT`] places before the point, at most
/// [`MAX_NUMERIC_DSCALE`] digits after it.
///
/// [`MAX_NUMERIC_WEIGHT`]: crate::catalog::limits::MAX_NUMERIC_WEIGHT
/// [`MAX_NUMERIC_DSCALE`]: crate::catalog::limits::MAX_NUMERIC_DSCALE
pub fn numeric_fits(text: &str) -> bool {
    use crate::catalog::limits::{MAX_NUMERIC_DSCALE, MAX_NUMERIC_WEIGHT};
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => match text[i + 1..].parse::<i64>() {
            Ok(e) => (&text[..i], e),
            Err(_) => return false,
        },
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let int = int.trim_start_matches('0');
    let weight = match (int.len(), frac.find(|c: char| c != '0')) {
        (n, _) if n > 0 => n as i64 - 1,
        (_, Some(i)) => -(i as i64) - 1,
        _ => i64::MIN / 2, // zero
    };
    let dscale = (frac.len() as i64).saturating_sub(exponent).max(0);
    weight.saturating_add(exponent) <= MAX_NUMERIC_WEIGHT && dscale <= MAX_NUMERIC_DSCALE
}

/// Checks that `text` is a valid input for `ty`.
pub fn check_literal(catalog: &Catalog, ty: &SqlType, text: &str) -> Result<(), LiteralError> {
    // A domain's input function is its base type's, with the base type's modifier.
    let ty = ty.base_type();
    if ty.array {
        return check_array(catalog, ty, text);
    }
    if let Some(name) = ty.enum_name() {
        let labels = catalog
            .enum_type(name)
            .map(|e| e.labels.clone())
            .unwrap_or_default();
        if labels.iter().any(|l| l == text) {
            return Ok(());
        }
        return Err(LiteralError {
            message: format!("`'{text}'` is not a label of enum `{name}`"),
            help: crate::suggest::did_you_mean(text, labels.iter().map(String::as_str), || {
                format!(
                    "labels: {}",
                    labels
                        .iter()
                        .map(|l| format!("'{l}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }),
        });
    }
    if let Some(name) = ty.composite_name() {
        return check_record(catalog, name, text);
    }
    let t = text.trim();
    use crate::catalog::types::Builtin as B;
    let Some(builtin) = ty.as_builtin() else {
        return Err(LiteralError {
            message: format!("not supported yet: a string literal of type {ty}"),
            help: format!("pass the value as a parameter, or cast it explicitly (`'…'::{ty}`) and report this"),
        });
    };
    if builtin == B::Regclass {
        return check_regclass(catalog, text);
    }
    if let Some(subtype) = range_subtype(builtin) {
        return check_range(catalog, builtin, subtype, text);
    }
    // Text search configurations PostgreSQL 15 ships (`pg_ts_config`); regconfigin looks
    // the name up when the statement is parsed.
    if builtin == B::RegConfig {
        const CONFIGS: &[&str] = &[
            "arabic",
            "armenian",
            "basque",
            "catalan",
            "danish",
            "dutch",
            "english",
            "finnish",
            "french",
            "german",
            "greek",
            "hindi",
            "hungarian",
            "indonesian",
            "irish",
            "italian",
            "lithuanian",
            "nepali",
            "norwegian",
            "portuguese",
            "romanian",
            "russian",
            "serbian",
            "simple",
            "spanish",
            "swedish",
            "tamil",
            "turkish",
            "yiddish",
        ];
        let name = t.strip_prefix("pg_catalog.").unwrap_or(t).to_lowercase();
        if CONFIGS.contains(&name.as_str()) {
            return Ok(());
        }
        return Err(LiteralError {
            message: format!("text search configuration `{t}` does not exist"),
            help: crate::suggest::did_you_mean(&name, CONFIGS.iter().copied(), || {
                "name one of PostgreSQL's configurations, e.g. 'english' or 'simple'".to_string()
            }),
        });
    }
    // PostgreSQL parses a jsonpath when the statement is prepared; the checker vouches
    // only for the paths it reads in full.
    if builtin == B::Jsonpath {
        if super::jsonpath::reads(text) {
            return Ok(());
        }
        return Err(LiteralError {
            message: format!("not supported yet: the jsonpath `{text}`"),
            help: "the checker reads `$`, keys, `[*]`, subscripts, `?(…)` filters with comparisons, `&&`, `||`, `!` and item methods; pass anything else as a parameter (`$2::jsonpath`)".to_string(),
        });
    }
    // The input function looks the schema up: a missing one is an error at PREPARE.
    if builtin == B::RegNamespace {
        let name = match t.strip_prefix('"').and_then(|q| q.strip_suffix('"')) {
            Some(quoted) => quoted.to_string(),
            None => t.to_lowercase(),
        };
        let builtin_schema = ["public", "pg_catalog", "information_schema", "pg_toast"];
        if builtin_schema.contains(&name.as_str()) || catalog.schemas.contains(&name) {
            return Ok(());
        }
        return Err(LiteralError {
            message: format!("schema `{name}` does not exist"),
            help: "name `public` or a schema this service's migrations create".to_string(),
        });
    }
    let ok = match builtin {
        B::SmallInt => t.parse::<i16>().is_ok(),
        B::Oid => t.parse::<u32>().is_ok(),
        B::Integer => t.parse::<i32>().is_ok(),
        B::BigInt => t.parse::<i64>().is_ok(),
        B::Numeric => is_decimal(t) || ["nan", "infinity", "-infinity", "+infinity"].contains(&t.to_ascii_lowercase().as_str()),
        B::Real | B::Float8 => {
            is_decimal(t)
                || is_float(t)
                || ["nan", "infinity", "-infinity", "+infinity", "inf", "-inf"].contains(&t.to_ascii_lowercase().as_str())
        }
        B::Boolean => is_bool(t),
        B::Uuid => is_uuid(t),
        B::Date => is_date(t) || is_special_date(t),
        B::Timestamp | B::Timestamptz => is_timestamp(t) || is_special_date(t),
        B::Time | B::TimeTz => is_time(t) || ["now", "allballs"].contains(&t.to_ascii_lowercase().as_str()),
        B::Interval => is_interval(t),
        B::Json | B::Jsonb => serde_json::from_str::<serde_json::Value>(text).is_ok(),
        B::Inet | B::Cidr => is_inet(t, builtin == B::Cidr),
        B::Point => is_point(t),
        B::Bytea => match text.strip_prefix("\\x") {
            Some(hex) => hex.len() % 2 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
            None => true,
        },
        // A length limit applies as the input function enforces it: characters beyond it
        // may only be spaces.
        B::Varchar | B::Bpchar => match &ty.base {
            crate::catalog::types::BaseType::Builtin { modifiers, .. } => match modifiers.first() {
                Some(&n) if n >= 0 && text.chars().count() > n as usize => {
                    if text.chars().skip(n as usize).all(|c| c == ' ') {
                        true
                    } else {
                        return Err(LiteralError {
                            message: format!("value too long for type {}", ty.with_modifiers()),
                            help: format!("the value has {} characters; shorten it or widen the type", text.chars().count()),
                        });
                    }
                }
                _ => true,
            },
            _ => true,
        },
        B::Text | B::Name | B::Char | B::Citext => true,
        other => {
            return Err(LiteralError {
                message: format!("not supported yet: a string literal of type {other}"),
                help: format!("pass the value as a parameter, or cast it explicitly (`'…'::{other}`) and report this"),
            })
        }
    };
    if ok {
        return Ok(());
    }
    let help = match builtin {
        B::Date | B::Timestamp | B::Timestamptz | B::Time | B::TimeTz => {
            "write dates and times in ISO 8601 (e.g. '2024-01-31', '2024-01-31 12:00:00+00'), or pass a parameter"
        }
        B::Boolean => "use TRUE or FALSE",
        B::Interval => "write intervals like '1 day', '2 hours 30 minutes' or ISO 8601 'P1DT2H'",
        _ => "fix the literal, or pass the value as a parameter",
    };
    Err(invalid(ty, text, help))
}

/// `point_in`: `(x, y)` or `x, y`, two floats.
fn is_point(t: &str) -> bool {
    let inner = t
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(t);
    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
    let float = |p: &str| is_decimal(p) || is_float(p);
    parts.len() == 2 && parts.iter().all(|p| float(p))
}

fn is_decimal(t: &str) -> bool {
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    !(int.is_empty() && frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn is_float(t: &str) -> bool {
    match t.split_once(['e', 'E']) {
        Some((m, e)) => {
            is_decimal(m) && {
                let e = e.strip_prefix(['+', '-']).unwrap_or(e);
                !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
            }
        }
        None => false,
    }
}

fn is_bool(t: &str) -> bool {
    let l = t.to_ascii_lowercase();
    if l.is_empty() {
        return false;
    }
    ["true", "false", "yes", "no"]
        .iter()
        .any(|w| w.starts_with(&l))
        || ["on", "off", "of", "1", "0"].contains(&l.as_str())
}

fn is_uuid(t: &str) -> bool {
    let t = t
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(t);
    let mut digits = 0;
    let mut prev_hyphen = true; // no leading hyphen
    for c in t.chars() {
        if c == '-' {
            if prev_hyphen || digits % 4 != 0 {
                return false;
            }
            prev_hyphen = true;
        } else if c.is_ascii_hexdigit() {
            digits += 1;
            prev_hyphen = false;
        } else {
            return false;
        }
    }
    digits == 32 && !prev_hyphen
}

fn is_special_date(t: &str) -> bool {
    [
        "epoch",
        "infinity",
        "-infinity",
        "+infinity",
        "now",
        "today",
        "tomorrow",
        "yesterday",
    ]
    .contains(&t.to_ascii_lowercase().as_str())
}

fn num(s: &str, len: usize) -> Option<u32> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn is_date(t: &str) -> bool {
    let parts: Vec<&str> = t.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let (Some(y), Some(m), Some(d)) = (num(y, 4), num(m, 2), num(d, 2)) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize]
}

fn is_time(t: &str) -> bool {
    // HH:MM[:SS[.ffffff]] with an optional zone (Z, ±HH, ±HH:MM).
    let (clock, zone) = split_zone(t);
    if let Some(z) = zone {
        if !is_zone(z) {
            return false;
        }
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let ok =
        |h: &str, m: &str| matches!(num(h, 2), Some(0..=24)) && matches!(num(m, 2), Some(0..=59));
    match parts.as_slice() {
        [h, m] => ok(h, m),
        [h, m, s] => {
            let (sec, frac) = s.split_once('.').unwrap_or((s, "0"));
            ok(h, m)
                && matches!(num(sec, 2), Some(0..=60))
                && !frac.is_empty()
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

fn split_zone(t: &str) -> (&str, Option<&str>) {
    if let Some(c) = t.strip_suffix(['Z', 'z']) {
        return (c, Some("Z"));
    }
    match t.rfind(['+', '-']) {
        Some(i) if i >= 5 => (&t[..i], Some(&t[i..])),
        _ => (t, None),
    }
}

fn is_zone(z: &str) -> bool {
    if z == "Z" {
        return true;
    }
    let body = &z[1..];
    let parts: Vec<&str> = body.split(':').collect();
    match parts.as_slice() {
        [h] => num(h, 2).is_some_and(|h| h <= 15) || num(h, 4).is_some(),
        [h, m] => num(h, 2).is_some_and(|h| h <= 15) && num(m, 2).is_some_and(|m| m < 60),
        _ => false,
    }
}

fn is_timestamp(t: &str) -> bool {
    if is_date(t) {
        return true;
    }
    let Some(i) = t.find(['T', ' ']) else {
        return false;
    };
    let (d, rest) = (&t[..i], t[i + 1..].trim_start());
    is_date(d)
        && (is_time(rest)
            || rest
                .rsplit_once(' ')
                .is_some_and(|(c, z)| is_time(c) && (is_zone(z) || z.eq_ignore_ascii_case("utc"))))
}

fn is_interval(t: &str) -> bool {
    let l = t.to_ascii_lowercase();
    if let Some(p) = l.strip_prefix('p') {
        // ISO 8601 duration: P1Y2M3DT4H5M6S, P1W.
        let mut seen = false;
        let mut number = String::new();
        let mut in_time = false;
        for c in p.chars() {
            match c {
                '0'..='9' | '.' => number.push(c),
                't' if number.is_empty() && !in_time => in_time = true,
                'y' | 'm' | 'w' | 'd' | 'h' | 's' if !number.is_empty() => {
                    if (c == 'h' || c == 's') && !in_time {
                        return false;
                    }
                    number.clear();
                    seen = true;
                }
                _ => return false,
            }
        }
        return seen && number.is_empty();
    }
    const UNITS: &[&str] = &[
        "microsecond",
        "microseconds",
        "us",
        "usec",
        "usecs",
        "millisecond",
        "milliseconds",
        "ms",
        "msec",
        "msecs",
        "second",
        "seconds",
        "s",
        "sec",
        "secs",
        "minute",
        "minutes",
        "m",
        "min",
        "mins",
        "hour",
        "hours",
        "h",
        "hr",
        "hrs",
        "day",
        "days",
        "d",
        "week",
        "weeks",
        "w",
        "month",
        "months",
        "mon",
        "mons",
        "year",
        "years",
        "y",
        "yr",
        "yrs",
        "decade",
        "decades",
        "century",
        "centuries",
        "millennium",
        "millennia",
    ];
    let words: Vec<&str> = l.trim_start_matches('@').split_whitespace().collect();
    if words.is_empty() {
        return false;
    }
    let mut i = 0;
    let mut any = false;
    // The interval's three fields (months, days, microseconds), which PostgreSQL stores as
    // int32, int32 and int64: a literal beyond them is "interval out of range".
    let mut fields = [0f64; 3];
    while i < words.len() {
        let w = words[i];
        if w == "ago" && i == words.len() - 1 && any {
            break;
        }
        if is_time(w.trim_start_matches(['-', '+'])) {
            any = true;
            i += 1;
            continue;
        }
        // "1 day" or "1day"
        let split = w.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(w.len());
        let (n, unit) = w.split_at(split);
        if n.is_empty() || !(is_decimal(n)) {
            return false;
        }
        let unit = if unit.is_empty() {
            if let Some(next) = words.get(i + 1).filter(|u| UNITS.contains(u)) {
                i += 2;
                *next
            } else {
                i += 1; // a bare number is seconds
                "s"
            }
        } else if UNITS.contains(&unit) {
            i += 1;
            unit
        } else {
            return false;
        };
        let (field, factor) = interval_unit(unit);
        fields[field] += n.parse::<f64>().unwrap_or(0.0) * factor;
        any = true;
    }
    let limits = [i32::MAX as f64, i32::MAX as f64, i64::MAX as f64];
    any && fields.iter().zip(limits).all(|(v, max)| v.abs() <= max)
}

/// The field (0 months, 1 days, 2 microseconds) a unit counts in, and how many of it.
fn interval_unit(unit: &str) -> (usize, f64) {
    match unit.trim_end_matches('s') {
        "microsecond" | "u" | "usec" => (2, 1.0),
        "millisecond" | "m" if unit.starts_with("ms") || unit.starts_with("milli") => (2, 1e3),
        "msec" => (2, 1e3),
        "second" | "" | "sec" => (2, 1e6),
        "minute" | "m" | "min" => (2, 6e7),
        "hour" | "h" | "hr" => (2, 3.6e9),
        "day" | "d" => (1, 1.0),
        "week" | "w" => (1, 7.0),
        "month" | "mon" => (0, 1.0),
        "year" | "y" | "yr" => (0, 12.0),
        "decade" => (0, 120.0),
        "century" | "centurie" => (0, 1200.0),
        "millennium" | "millennia" => (0, 12000.0),
        _ => (2, 1e6),
    }
}

fn is_inet(t: &str, cidr: bool) -> bool {
    let (addr, mask) = match t.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (t, None),
    };
    let Ok(ip) = addr.parse::<std::net::IpAddr>() else {
        return false;
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let bits = match mask {
        Some(m) => match m.parse::<u32>() {
            Ok(b) if b <= max => b,
            _ => return false,
        },
        None => max,
    };
    if !cidr {
        return true;
    }
    // cidr: no bits set to the right of the mask.
    match ip {
        std::net::IpAddr::V4(v4) => bits == 32 || u32::from(v4) & (u32::MAX >> bits) == 0,
        std::net::IpAddr::V6(v6) => bits == 128 || u128::from(v6) & (u128::MAX >> bits) == 0,
    }
}

/// The element type of a built-in range type.
fn range_subtype(b: crate::catalog::types::Builtin) -> Option<crate::catalog::types::Builtin> {
    use crate::catalog::types::Builtin as B;
    Some(match b {
        B::Int4Range => B::Integer,
        B::Int8Range => B::BigInt,
        B::NumRange => B::Numeric,
        B::DateRange => B::Date,
        B::TsRange => B::Timestamp,
        B::TstzRange => B::Timestamptz,
        _ => return None,
    })
}

/// A range literal as `range_in` reads it: `empty`, or `[`/`(` lower `,` upper `]`/`)`, a
/// bound empty for infinity or a value of the subtype (double quotes and backslashes
/// escaping), and the lower bound not above the upper one. Bounds are compared where
/// their text orders as their values (integers, numbers, ISO dates and timestamps);
/// other bounds are refused rather than guessed at.
fn check_range(
    catalog: &Catalog,
    range: crate::catalog::types::Builtin,
    subtype: crate::catalog::types::Builtin,
    text: &str,
) -> Result<(), LiteralError> {
    use crate::catalog::types::Builtin as B;
    let name = SqlType::builtin(range).to_string();
    let malformed = |why: &str| LiteralError {
        message: format!("malformed range literal: `'{text}'` ({why})"),
        help: format!(
            "write a {name} as '[lower,upper)', with an empty side for no bound, or 'empty'"
        ),
    };
    let t = text.trim();
    if t.eq_ignore_ascii_case("empty") {
        return Ok(());
    }
    let Some(body) = t.strip_prefix(['[', '(']) else {
        return Err(malformed("missing left parenthesis or bracket"));
    };
    let Some(body) = body.strip_suffix([']', ')']) else {
        return Err(malformed("missing right parenthesis or bracket"));
    };
    // The bounds, unquoted; `None` for an infinite (empty) one.
    let mut bounds: Vec<Option<String>> = Vec::new();
    let mut current = String::new();
    let (mut quoted, mut any, mut chars) = (false, false, body.chars());
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            '\\' => {
                current.extend(chars.next());
                any = true;
            }
            ',' if !quoted => {
                bounds.push(any.then(|| std::mem::take(&mut current)));
                any = false;
            }
            c => {
                current.push(c);
                any = true;
            }
        }
    }
    if quoted {
        return Err(malformed("unexpected end of input"));
    }
    bounds.push(any.then_some(current));
    let [lower, upper] = bounds.as_slice() else {
        return Err(malformed(if bounds.len() < 2 {
            "missing comma after lower bound"
        } else {
            "too many commas"
        }));
    };
    for b in [lower, upper].into_iter().flatten() {
        check_literal(catalog, &SqlType::builtin(subtype), b)?;
    }
    let (Some(lo), Some(hi)) = (lower, upper) else {
        return Ok(());
    };
    let (lo, hi) = (lo.trim(), hi.trim());
    let iso = |v: &str| {
        v.len() >= 10
            && v.as_bytes()[..10].iter().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    *b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            })
            && !v[10..].contains(['+', 'Z', 'z'])
            && v[10..].matches('-').count() == 0
    };
    let ordered = match subtype {
        B::Integer | B::BigInt => lo
            .parse::<i64>()
            .ok()
            .zip(hi.parse::<i64>().ok())
            .map(|(a, b)| a <= b),
        B::Numeric => lo
            .parse::<f64>()
            .ok()
            .zip(hi.parse::<f64>().ok())
            .map(|(a, b)| a <= b),
        // The same separator after the date (` ` or `T`), so the texts order as the values.
        B::Date | B::Timestamp
            if iso(lo) && iso(hi) && lo.as_bytes().get(10) == hi.as_bytes().get(10) =>
        {
            Some(lo <= hi)
        }
        _ => None,
    };
    match ordered {
        Some(true) => Ok(()),
        Some(false) => Err(LiteralError {
            message: "range lower bound must be less than or equal to range upper bound"
                .to_string(),
            help: format!("write the smaller bound first: `'{text}'`"),
        }),
        None => Err(LiteralError {
            message: format!(
                "not supported yet: comparing the bounds of the {name} literal `'{text}'`"
            ),
            help: format!("pass the range as a parameter, or build it with {name}(lower, upper)"),
        }),
    }
}

/// `'{a,b}'` for an array type: braces, quoting, and each element against the element type.
/// A composite literal as `record_in` reads it: `(a,"b c",)`, one field per attribute,
/// empty for NULL, double quotes and backslashes escaping; each field is checked against
/// its attribute's type.
fn check_record(catalog: &Catalog, name: &str, text: &str) -> Result<(), LiteralError> {
    let malformed = |why: &str| {
        LiteralError {
        message: format!("malformed record literal: `'{text}'` ({why})"),
        help: format!("write values of `{name}` as '(a,b,…)' with one field per attribute, or use ROW(…)::{name}"),
    }
    };
    let Some(fields) = catalog.row_fields(name) else {
        return Err(LiteralError {
            message: format!("not supported yet: a string literal of type {name}"),
            help: format!("write the value as ROW(…)::{name}"),
        });
    };
    let t = text.trim_start();
    let Some(body) = t.strip_prefix('(') else {
        return Err(malformed("missing left parenthesis"));
    };
    let mut values: Vec<Option<String>> = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut any) = (false, false);
    let mut chars = body.chars();
    let rest = loop {
        let Some(c) = chars.next() else {
            return Err(malformed("unexpected end of input"));
        };
        match c {
            '"' if quoted && chars.clone().next() == Some('"') => {
                chars.next();
                cur.push('"');
            }
            '"' => {
                quoted = !quoted;
                any = true;
            }
            '\\' => match chars.next() {
                Some(x) => {
                    cur.push(x);
                    any = true;
                }
                None => return Err(malformed("unexpected end of input")),
            },
            ',' | ')' if !quoted => {
                values.push((any || !cur.is_empty()).then(|| std::mem::take(&mut cur)));
                any = false;
                if c == ')' {
                    break chars.as_str();
                }
            }
            c => cur.push(c),
        }
    };
    if !rest.trim().is_empty() {
        return Err(malformed("junk after right parenthesis"));
    }
    if values.len() != fields.len() {
        let why = if values.len() < fields.len() {
            "too few columns"
        } else {
            "too many columns"
        };
        return Err(malformed(why));
    }
    for ((field, ty), v) in fields.iter().zip(&values) {
        if let Some(v) = v {
            check_literal(catalog, ty, v).map_err(|e| LiteralError {
                message: format!("in field `{field}` of `{name}`: {}", e.message),
                help: e.help,
            })?;
        }
    }
    Ok(())
}

fn check_array(catalog: &Catalog, ty: &SqlType, text: &str) -> Result<(), LiteralError> {
    let elem = SqlType {
        base: ty.base.clone(),
        array: false,
    };
    let t = text.trim();
    let Some(inner) = t.strip_prefix('{').and_then(|x| x.strip_suffix('}')) else {
        return Err(LiteralError {
            message: format!("malformed array literal: `'{text}'`"),
            help: "write arrays as '{a,b,c}', or pass a parameter".to_string(),
        });
    };
    if inner.trim().is_empty() {
        return Ok(());
    }
    if inner.contains('{') {
        return Err(LiteralError {
            message: "not supported yet: multi-dimensional array literals".to_string(),
            help: "pass the value as a parameter".to_string(),
        });
    }
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            '\\' if quoted => cur.extend(chars.next()),
            ',' if !quoted => {
                items.push((std::mem::take(&mut cur), was_quoted));
                was_quoted = false;
            }
            c => cur.push(c),
        }
    }
    if quoted {
        return Err(LiteralError {
            message: format!("malformed array literal: `'{text}'`"),
            help: "close the quoted element".to_string(),
        });
    }
    items.push((cur, was_quoted));
    for (item, q) in items {
        let v = if q { item.as_str() } else { item.trim() };
        if !q && v.eq_ignore_ascii_case("null") {
            continue;
        }
        check_literal(catalog, &elem, v)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::types::Builtin;

    fn ok(ty: &str, text: &str) -> bool {
        let ty = Builtin::from_name(ty).expect("a built-in type");
        check_literal(&Catalog::default(), &SqlType::builtin(ty), text).is_ok()
    }

    #[test]
    fn literals_are_checked_like_postgres() {
        assert!(ok("integer", " 42 ") && !ok("integer", "x") && !ok("smallint", "70000"));
        assert!(ok("boolean", "t") && ok("boolean", "off") && !ok("boolean", "maybe"));
        assert!(
            ok("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
                && ok("uuid", "{a0eebc999c0b4ef8bb6d6bb9bd380a11}")
        );
        assert!(!ok("uuid", "42") && !ok("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1"));
        assert!(
            ok("date", "2024-02-29")
                && !ok("date", "2023-02-29")
                && ok("date", "today")
                && !ok("date", "01/02/2024")
        );
        assert!(
            ok("timestamp with time zone", "2024-01-31 12:00:00+00")
                && ok("timestamp with time zone", "2024-01-31T12:00:00.123Z")
        );
        assert!(
            ok("timestamp without time zone", "2024-01-31 12:00")
                && !ok("timestamp without time zone", "yesterday noon")
        );
        assert!(
            ok("interval", "1 day")
                && ok("interval", "2 hours 30 minutes")
                && ok("interval", "P1DT2H")
                && !ok("interval", "soon")
        );
        assert!(ok("jsonb", "{\"a\": 1}") && !ok("jsonb", "{a: 1}"));
        assert!(ok("inet", "10.0.0.1/8") && ok("cidr", "10.0.0.0/8") && !ok("cidr", "10.0.0.1/8"));
        assert!(ok("numeric", "-1.50") && !ok("numeric", "1.2.3"));
        let arr = SqlType {
            base: SqlType::builtin(Builtin::Integer).base,
            array: true,
        };
        assert!(check_literal(&Catalog::default(), &arr, "{1, 2, NULL}").is_ok());
        assert!(check_literal(&Catalog::default(), &arr, "{1, x}").is_err());
    }
}
