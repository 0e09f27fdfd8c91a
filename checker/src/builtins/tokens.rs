//! The argument and result types of the built-in tables' rows, as PostgreSQL declares them in
//! `pg_proc` and `pg_operator`: a concrete type, an array of one, or a polymorphic pseudo-type.

use std::fmt;

use super::types::Builtin;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tok {
    /// A concrete type.
    T(Builtin),
    /// An array of a concrete type.
    Arr(Builtin),
    /// `"any"`: any one type, no binding.
    Any,
    AnyElement,
    AnyNonArray,
    AnyEnum,
    /// Binds its element.
    AnyArray,
    /// Binds to the common type of its arguments.
    AnyCompatible,
    AnyCompatibleArray,
    /// A range type; binds its subtype as `anyelement` does (`lower(anyrange) → anyelement`).
    AnyRange,
    /// A multirange type; binds its subtype likewise.
    AnyMultirange,
}

impl Tok {
    pub fn is_polymorphic(self) -> bool {
        !matches!(self, Tok::T(_) | Tok::Arr(_))
    }
}

/// The token as PostgreSQL spells the declared type: `integer`, `text[]`, `anyelement`.
impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::T(b) => f.write_str(b.name()),
            Tok::Arr(b) => write!(f, "{}[]", b.name()),
            Tok::Any => f.write_str("any"),
            Tok::AnyElement => f.write_str("anyelement"),
            Tok::AnyNonArray => f.write_str("anynonarray"),
            Tok::AnyEnum => f.write_str("anyenum"),
            Tok::AnyArray => f.write_str("anyarray"),
            Tok::AnyCompatible => f.write_str("anycompatible"),
            Tok::AnyCompatibleArray => f.write_str("anycompatiblearray"),
            Tok::AnyRange => f.write_str("anyrange"),
            Tok::AnyMultirange => f.write_str("anymultirange"),
        }
    }
}

/// How a result's nullability follows from the arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// NULL when any argument is NULL.
    Strict,
    /// Never NULL.
    Never,
    /// May be NULL whatever the arguments (aggregates over no rows, `lag`, `array_length`).
    Always,
}

pub const INT2: Tok = Tok::T(Builtin::SmallInt);
pub const INT4: Tok = Tok::T(Builtin::Integer);
pub const INT8: Tok = Tok::T(Builtin::BigInt);
pub const NUMERIC: Tok = Tok::T(Builtin::Numeric);
pub const FLOAT4: Tok = Tok::T(Builtin::Real);
pub const FLOAT8: Tok = Tok::T(Builtin::Float8);
pub const TEXT: Tok = Tok::T(Builtin::Text);
pub const VARCHAR: Tok = Tok::T(Builtin::Varchar);
pub const BPCHAR: Tok = Tok::T(Builtin::Bpchar);
pub const BOOL: Tok = Tok::T(Builtin::Boolean);
pub const UUID: Tok = Tok::T(Builtin::Uuid);
pub const BYTEA: Tok = Tok::T(Builtin::Bytea);
pub const DATE: Tok = Tok::T(Builtin::Date);
pub const TIME: Tok = Tok::T(Builtin::Time);
pub const TS: Tok = Tok::T(Builtin::Timestamp);
pub const TSTZ: Tok = Tok::T(Builtin::Timestamptz);
pub const TIMETZ: Tok = Tok::T(Builtin::TimeTz);
pub const REGCLASS: Tok = Tok::T(Builtin::Regclass);
pub const INTERVAL: Tok = Tok::T(Builtin::Interval);
pub const JSON: Tok = Tok::T(Builtin::Json);
pub const JSONB: Tok = Tok::T(Builtin::Jsonb);
pub const RECORD: Tok = Tok::T(Builtin::Record);
pub const OID: Tok = Tok::T(Builtin::Oid);
pub const TSVECTOR: Tok = Tok::T(Builtin::TsVector);
pub const TSQUERY: Tok = Tok::T(Builtin::TsQuery);
pub const NAME: Tok = Tok::T(Builtin::Name);
pub const POINT: Tok = Tok::T(Builtin::Point);
pub const CIRCLE: Tok = Tok::T(Builtin::Circle);
pub const INET: Tok = Tok::T(Builtin::Inet);
pub const HSTORE: Tok = Tok::T(Builtin::Hstore);
pub const VOID: Tok = Tok::T(Builtin::Void);
pub const TEXT_ARR: Tok = Tok::Arr(Builtin::Text);
pub const INT4_ARR: Tok = Tok::Arr(Builtin::Integer);
pub const FLOAT8_ARR: Tok = Tok::Arr(Builtin::Float8);
pub const INTERVAL_ARR: Tok = Tok::Arr(Builtin::Interval);
pub const ANY: Tok = Tok::Any;
pub const ANYELEMENT: Tok = Tok::AnyElement;
pub const ANYNONARRAY: Tok = Tok::AnyNonArray;
pub const ANYENUM: Tok = Tok::AnyEnum;
pub const ANYARRAY: Tok = Tok::AnyArray;
pub const ANYCOMPATIBLE: Tok = Tok::AnyCompatible;
pub const ANYCOMPATIBLEARRAY: Tok = Tok::AnyCompatibleArray;
