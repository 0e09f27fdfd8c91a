//! PostgreSQL types as the catalog stores them, named the way `format_type(oid, NULL)` prints
//! them (`integer`, `character varying`, `timestamp with time zone`, `text[]`).

use std::fmt;

use sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, GeometricTypeKind, ObjectName,
    TimezoneInfo,
};

/// A column or expression type. Arrays of any dimension are one level, as in PostgreSQL
/// (`int[][]` is `integer[]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SqlType {
    pub base: BaseType,
    pub array: bool,
}

pub use crate::builtins::types::{Builtin, Category, TypCategory};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BaseType {
    /// A built-in type with its type modifier (`varchar(20)` → `[20]`).
    Builtin { ty: Builtin, modifiers: Vec<i64> },
    /// A user-defined enum, by name.
    Enum(String),
    /// A composite type by name: one `CREATE TYPE … AS (…)` made, or the row type every
    /// table and view has.
    Composite(String),
    /// A domain (`CREATE DOMAIN d AS base …`) by name, with its base type (which ALTER
    /// DOMAIN cannot change). Columns, parameters and result columns keep the domain's own
    /// type, as PostgreSQL's Describe reports it; operators, functions, casts and
    /// common-type resolution see its base type, as PostgreSQL's `getBaseType` does.
    Domain { name: String, base: Box<SqlType> },
}

impl SqlType {
    pub fn builtin(ty: Builtin) -> SqlType {
        SqlType {
            base: BaseType::Builtin {
                ty,
                modifiers: Vec::new(),
            },
            array: false,
        }
    }

    /// The built-in type of a non-array value (a domain's, if it is one over a built-in
    /// type).
    pub fn as_builtin(&self) -> Option<Builtin> {
        let t = self.base_type();
        match &t.base {
            BaseType::Builtin { ty, .. } if !t.array => Some(*ty),
            _ => None,
        }
    }

    /// PostgreSQL's `getBaseType`: a domain's base type (through domains over domains);
    /// every other type, arrays of domains included, is its own.
    pub fn base_type(&self) -> &SqlType {
        let mut t = self;
        while let (BaseType::Domain { base, .. }, false) = (&t.base, t.array) {
            t = base;
        }
        t
    }

    /// Whether values of this type are arrays (a domain over an array type is one).
    pub fn is_array(&self) -> bool {
        self.base_type().array
    }

    /// A domain over an enum: PostgreSQL's enum operators take `anyenum`, which it is not,
    /// so it has no `=` or `<` of its own.
    pub fn is_enum_domain(&self) -> bool {
        let base = self.base_type();
        self.domain_name().is_some()
            && !self.array
            && !base.array
            && matches!(base.base, BaseType::Enum(_))
    }

    /// The name of the domain this is (or an array of), if it is one.
    pub fn domain_name(&self) -> Option<&str> {
        match &self.base {
            BaseType::Domain { name, .. } => Some(name),
            _ => None,
        }
    }

    pub fn domain(name: &str, base: SqlType) -> SqlType {
        SqlType {
            base: BaseType::Domain {
                name: name.to_string(),
                base: Box::new(base),
            },
            array: false,
        }
    }

    /// Whether this is the non-array built-in `b`.
    pub fn is(&self, b: Builtin) -> bool {
        self.as_builtin() == Some(b)
    }

    pub fn enumeration(name: &str) -> SqlType {
        SqlType {
            base: BaseType::Enum(name.to_string()),
            array: false,
        }
    }

    /// The type without its type modifier (`varchar(20)` → `varchar`): what routine
    /// signatures and operators see.
    pub fn without_modifiers(&self) -> SqlType {
        match &self.base {
            BaseType::Builtin { ty, .. } => SqlType {
                base: BaseType::Builtin {
                    ty: *ty,
                    modifiers: Vec::new(),
                },
                array: self.array,
            },
            _ => self.clone(),
        }
    }

    pub fn composite(name: &str) -> SqlType {
        SqlType {
            base: BaseType::Composite(name.to_string()),
            array: false,
        }
    }

    pub fn base_name(&self) -> &str {
        match &self.base {
            BaseType::Builtin { ty, .. } => ty.name(),
            BaseType::Enum(name) | BaseType::Composite(name) => name,
            BaseType::Domain { name, .. } => name,
        }
    }

    /// The enum this is (or an array of), directly or as a domain's base type.
    pub fn enum_name(&self) -> Option<&str> {
        match &self.base_type().base {
            BaseType::Enum(n) => Some(n),
            _ => None,
        }
    }

    /// The name of a named composite type (not `record`), array or not, directly or as a
    /// domain's base type.
    pub fn composite_name(&self) -> Option<&str> {
        match &self.base_type().base {
            BaseType::Composite(n) => Some(n),
            _ => None,
        }
    }

    pub fn is_integer(&self) -> bool {
        self.as_builtin().is_some_and(Builtin::is_integer)
    }

    /// The type as `format_type(oid, typmod)` prints it: `numeric(10,2)`,
    /// `character varying(20)[]`, `timestamp(3) with time zone`.
    pub fn with_modifiers(&self) -> String {
        let mut s = match &self.base {
            BaseType::Builtin { ty, modifiers } if !modifiers.is_empty() => {
                let name = ty.name();
                let m = format!(
                    "({})",
                    modifiers
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                );
                match name.split_once(' ') {
                    Some((head, tail)) if head.starts_with("time") => format!("{head}{m} {tail}"),
                    _ => format!("{name}{m}"),
                }
            }
            _ => self.display_name().into_owned(),
        };
        if self.array {
            s.push_str("[]");
        }
        s
    }

    /// `typcategory`, as PostgreSQL's overload and common-type resolution compare it.
    /// A domain has its base type's.
    pub fn typcategory(&self) -> TypCategory {
        let t = self.base_type();
        if t.array {
            return TypCategory::Array;
        }
        match &t.base {
            BaseType::Builtin { ty, .. } => ty.typcategory(),
            BaseType::Enum(_) => TypCategory::Enum,
            BaseType::Composite(_) => TypCategory::Composite,
            BaseType::Domain { .. } => unreachable!("base_type() is no domain"),
        }
    }

    /// The family the checker's implicit-cast rules work by (a domain's base type's).
    pub fn category(&self) -> Category {
        let t = self.base_type();
        if t.array {
            return Category::Array;
        }
        match &t.base {
            BaseType::Builtin { ty, .. } => ty.category(),
            BaseType::Enum(_) => Category::Enum,
            BaseType::Composite(_) => Category::Composite,
            BaseType::Domain { .. } => unreachable!("base_type() is no domain"),
        }
    }
}

/// PostgreSQL's reserved key words, which `format_type` quotes as type names.
const RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "current_catalog",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "grant",
    "group",
    "having",
    "in",
    "initially",
    "intersect",
    "into",
    "lateral",
    "leading",
    "limit",
    "localtime",
    "localtimestamp",
    "not",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "placing",
    "primary",
    "references",
    "returning",
    "select",
    "session_user",
    "some",
    "symmetric",
    "system_user",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "when",
    "where",
    "window",
    "with",
];

/// An identifier as `quote_ident` writes it: bare when it reads back as itself.
pub fn quote_ident(name: &str) -> std::borrow::Cow<'_, str> {
    let bare = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&name);
    if bare {
        name.into()
    } else {
        format!("\"{}\"", name.replace('"', "\"\"")).into()
    }
}

impl SqlType {
    /// The type's name as `format_type` prints it: a user type's name (and schema) quoted
    /// where PostgreSQL quotes it (`foo."Foo"`).
    pub fn display_name(&self) -> std::borrow::Cow<'_, str> {
        match &self.base {
            BaseType::Builtin { ty, .. } => ty.name().into(),
            BaseType::Enum(key) | BaseType::Composite(key) | BaseType::Domain { name: key, .. } => {
                match crate::catalog::split_key(key) {
                    (Some(schema), name) => {
                        format!("{}.{}", quote_ident(schema), quote_ident(name)).into()
                    }
                    (None, name) => quote_ident(name),
                }
            }
        }
    }
}

impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_name())?;
        if self.array {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

/// How a column declared with a serial pseudo-type must be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Serial {
    No,
    Yes,
}

/// The extension that brings type `b` (citext, hstore, …), `None` for PostgreSQL's own.
pub fn extension_of(b: Builtin) -> Option<&'static str> {
    NAMED_TYPES
        .iter()
        .find_map(|&(_, t, ext)| (t == b).then_some(ext).flatten())
}

/// Built-in type names PostgreSQL accepts in `Custom` position (as sqlparser hands them to
/// us), mapped to the canonical name. Extension types are listed with their extension.
const NAMED_TYPES: &[(&str, Builtin, Option<&str>)] = &[
    ("int2", Builtin::SmallInt, None),
    ("int4", Builtin::Integer, None),
    ("int8", Builtin::BigInt, None),
    ("float4", Builtin::Real, None),
    ("float8", Builtin::Float8, None),
    ("bool", Builtin::Boolean, None),
    ("varchar", Builtin::Varchar, None),
    ("bpchar", Builtin::Bpchar, None),
    ("char", Builtin::Char, None),
    ("name", Builtin::Name, None),
    ("timestamptz", Builtin::Timestamptz, None),
    ("timetz", Builtin::TimeTz, None),
    ("inet", Builtin::Inet, None),
    ("cidr", Builtin::Cidr, None),
    ("macaddr", Builtin::Macaddr, None),
    ("macaddr8", Builtin::Macaddr8, None),
    ("money", Builtin::Money, None),
    ("xml", Builtin::Xml, None),
    ("oid", Builtin::Oid, None),
    ("varbit", Builtin::VarBit, None),
    ("int4range", Builtin::Int4Range, None),
    ("int8range", Builtin::Int8Range, None),
    ("numrange", Builtin::NumRange, None),
    ("tsrange", Builtin::TsRange, None),
    ("tstzrange", Builtin::TstzRange, None),
    ("daterange", Builtin::DateRange, None),
    ("jsonpath", Builtin::Jsonpath, None),
    ("point", Builtin::Point, None),
    ("line", Builtin::Line, None),
    ("lseg", Builtin::Lseg, None),
    ("box", Builtin::Box, None),
    ("path", Builtin::Path, None),
    ("polygon", Builtin::Polygon, None),
    ("circle", Builtin::Circle, None),
    ("xid", Builtin::Xid, None),
    ("xid8", Builtin::Xid8, None),
    ("cid", Builtin::Cid, None),
    ("tid", Builtin::Tid, None),
    ("pg_lsn", Builtin::PgLsn, None),
    ("regproc", Builtin::RegProc, None),
    ("regprocedure", Builtin::RegProcedure, None),
    ("regtype", Builtin::RegType, None),
    ("regnamespace", Builtin::RegNamespace, None),
    ("regrole", Builtin::RegRole, None),
    ("regconfig", Builtin::RegConfig, None),
    ("int4multirange", Builtin::Int4Multirange, None),
    ("int8multirange", Builtin::Int8Multirange, None),
    ("nummultirange", Builtin::NumMultirange, None),
    ("tsmultirange", Builtin::TsMultirange, None),
    ("tstzmultirange", Builtin::TstzMultirange, None),
    ("datemultirange", Builtin::DateMultirange, None),
    ("citext", Builtin::Citext, Some("citext")),
    ("ltree", Builtin::Ltree, Some("ltree")),
    ("lquery", Builtin::Lquery, Some("ltree")),
    ("ltxtquery", Builtin::Ltxtquery, Some("ltree")),
    ("hstore", Builtin::Hstore, Some("hstore")),
];

/// Names offered in "did you mean" suggestions for unknown types.
pub fn known_type_names() -> impl Iterator<Item = &'static str> {
    NAMED_TYPES.iter().map(|(n, _, _)| *n).chain([
        "smallint",
        "integer",
        "bigint",
        "numeric",
        "decimal",
        "real",
        "double precision",
        "text",
        "boolean",
        "uuid",
        "bytea",
        "date",
        "time",
        "timestamp",
        "interval",
        "json",
        "jsonb",
        "serial",
        "bigserial",
        "smallserial",
    ])
}

/// Why a declared type could not be resolved.
#[derive(Debug)]
pub enum TypeError {
    /// No such type; the name as written.
    Unknown(String),
    /// A type PostgreSQL does not accept in this form (e.g. `int(11)`, `serial[]`).
    Invalid(String),
    /// A type from an extension that has not been created.
    NeedsExtension { ty: String, extension: &'static str },
}

/// Resolves a parsed type against the built-ins and the user types `user_type` knows (enums,
/// composite and row types), and (for column definitions) whether it was a serial pseudo-type.
pub fn resolve(
    dt: &DataType,
    user_type: &dyn Fn(&str) -> Option<BaseType>,
    has_extension: &dyn Fn(&str) -> bool,
) -> Result<(SqlType, Serial), TypeError> {
    use DataType as D;
    let b = |ty: Builtin| Ok((SqlType::builtin(ty), Serial::No));
    let with = |ty: Builtin, modifiers: Vec<i64>| {
        Ok((
            SqlType {
                base: BaseType::Builtin { ty, modifiers },
                array: false,
            },
            Serial::No,
        ))
    };
    let len = |l: &Option<CharacterLength>| match l {
        Some(CharacterLength::IntegerLength { length, .. }) => vec![*length as i64],
        _ => Vec::new(),
    };
    let invalid = |what: String| Err(TypeError::Invalid(what));
    match dt {
        D::SmallInt(None) | D::Int2(None) => b(Builtin::SmallInt),
        D::Int(None) | D::Integer(None) | D::Int4(None) => b(Builtin::Integer),
        D::BigInt(None) | D::Int8(None) => b(Builtin::BigInt),
        D::SmallInt(Some(_))
        | D::Int2(Some(_))
        | D::Int(Some(_))
        | D::Integer(Some(_))
        | D::Int4(Some(_))
        | D::BigInt(Some(_))
        | D::Int8(Some(_)) => invalid(format!(
            "`{dt}`: PostgreSQL integer types take no display width"
        )),
        D::Numeric(info) | D::Decimal(info) | D::Dec(info) => with(
            Builtin::Numeric,
            match info {
                ExactNumberInfo::None => Vec::new(),
                ExactNumberInfo::Precision(p) => vec![*p as i64, 0],
                ExactNumberInfo::PrecisionAndScale(p, s) => vec![*p as i64, *s],
            },
        ),
        D::Real | D::Float4 => b(Builtin::Real),
        D::Float8 | D::DoublePrecision => b(Builtin::Float8),
        D::Float(ExactNumberInfo::Precision(p)) if *p >= 1 && *p <= 24 => b(Builtin::Real),
        D::Float(ExactNumberInfo::Precision(p)) if *p >= 25 && *p <= 53 => b(Builtin::Float8),
        D::Float(ExactNumberInfo::None) => b(Builtin::Float8),
        D::Float(_) => invalid(format!("`{dt}`: float precision must be between 1 and 53")),
        D::Text => b(Builtin::Text),
        D::Varchar(l) | D::CharacterVarying(l) | D::CharVarying(l) => {
            with(Builtin::Varchar, len(l))
        }
        D::Char(l) | D::Character(l) => {
            let m = len(l);
            with(Builtin::Bpchar, if m.is_empty() { vec![1] } else { m })
        }
        D::Bool | D::Boolean => b(Builtin::Boolean),
        D::Uuid => b(Builtin::Uuid),
        D::Bytea => b(Builtin::Bytea),
        D::Date => b(Builtin::Date),
        D::Time(p, tz) | D::Timestamp(p, tz) => {
            let ts = matches!(dt, D::Timestamp(..));
            let name = match (ts, tz) {
                (true, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => Builtin::Timestamptz,
                (true, _) => Builtin::Timestamp,
                (false, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => Builtin::TimeTz,
                (false, _) => Builtin::Time,
            };
            with(name, p.map(|p| vec![p as i64]).unwrap_or_default())
        }
        D::Interval {
            fields: None,
            precision: Some(p),
        } if *p <= 6 => with(Builtin::Interval, vec![*p as i64]),
        D::Interval {
            fields: None,
            precision: None,
        } => b(Builtin::Interval),
        D::Interval { .. } => invalid(format!(
            "`{dt}`: interval fields and precisions above 6 are not supported; use `interval` or `interval(p)`"
        )),
        D::JSON => b(Builtin::Json),
        D::JSONB => b(Builtin::Jsonb),
        D::Regclass => b(Builtin::Regclass),
        D::TsVector => b(Builtin::TsVector),
        D::TsQuery => b(Builtin::TsQuery),
        D::Bit(n) => with(Builtin::Bit, vec![n.map(|n| n as i64).unwrap_or(1)]),
        D::BitVarying(n) | D::VarBit(n) => with(
            Builtin::VarBit,
            n.map(|n| vec![n as i64]).unwrap_or_default(),
        ),
        D::GeometricType(kind) => b(match kind {
            GeometricTypeKind::Point => Builtin::Point,
            GeometricTypeKind::Line => Builtin::Line,
            GeometricTypeKind::LineSegment => Builtin::Lseg,
            GeometricTypeKind::GeometricBox => Builtin::Box,
            GeometricTypeKind::GeometricPath => Builtin::Path,
            GeometricTypeKind::Polygon => Builtin::Polygon,
            GeometricTypeKind::Circle => Builtin::Circle,
        }),
        D::Array(elem) => {
            let inner = match elem {
                ArrayElemTypeDef::SquareBracket(t, _) | ArrayElemTypeDef::Qualified(t, _) => t,
                _ => return Err(TypeError::Unknown(dt.to_string())),
            };
            let (mut t, serial) = resolve(inner, user_type, has_extension)?;
            if serial == Serial::Yes {
                return invalid(format!("`{dt}`: serial types cannot be arrays"));
            }
            t.array = true;
            Ok((t, Serial::No))
        }
        D::Custom(name, modifiers) => resolve_named(name, modifiers, user_type, has_extension),
        _ => Err(TypeError::Unknown(dt.to_string().to_lowercase())),
    }
    .and_then(|(t, serial)| {
        check_modifiers(&t)?;
        Ok((t, serial))
    })
}

/// The type modifier ranges PostgreSQL's `typmodin` functions accept.
fn check_modifiers(t: &SqlType) -> Result<(), TypeError> {
    use super::limits::*;
    let BaseType::Builtin { ty, modifiers } = &t.base else {
        return Ok(());
    };
    let invalid = |m: String| Err(TypeError::Invalid(format!("`{}`: {m}", t.with_modifiers())));
    let length = |kind: &str, max: i64| match modifiers.first() {
        Some(&n) if n < 1 => invalid(format!("length for type {kind} must be at least 1")),
        Some(&n) if n > max => invalid(format!("length for type {kind} cannot exceed {max}")),
        _ => Ok(()),
    };
    match ty {
        Builtin::Varchar => length("varchar", MAX_CHAR_LENGTH),
        Builtin::Bpchar => length("char", MAX_CHAR_LENGTH),
        Builtin::Bit => length("bit", MAX_BIT_LENGTH),
        Builtin::VarBit => length("varbit", MAX_BIT_LENGTH),
        Builtin::Numeric => match modifiers.as_slice() {
            [p, ..] if !(1..=MAX_NUMERIC_PRECISION).contains(p) => invalid(format!(
                "NUMERIC precision {p} must be between 1 and {MAX_NUMERIC_PRECISION}"
            )),
            [_, s] if !NUMERIC_SCALE.contains(s) => invalid(format!(
                "NUMERIC scale {s} must be between {} and {}",
                NUMERIC_SCALE.start(),
                NUMERIC_SCALE.end()
            )),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

fn resolve_named(
    name: &ObjectName,
    modifiers: &[sqlparser::ast::TypeModifier],
    user_type: &dyn Fn(&str) -> Option<BaseType>,
    has_extension: &dyn Fn(&str) -> bool,
) -> Result<(SqlType, Serial), TypeError> {
    let ident = match name.0.as_slice() {
        [part] => part.as_ident().map(crate::catalog::ident_name),
        [schema, part]
            if schema.as_ident().map(crate::catalog::ident_name).as_deref() == Some("public")
                || schema.as_ident().map(crate::catalog::ident_name).as_deref()
                    == Some("pg_catalog") =>
        {
            part.as_ident().map(crate::catalog::ident_name)
        }
        // A type in a schema of the service's own is keyed `schema.name`.
        [schema, part] => match (schema.as_ident(), part.as_ident()) {
            (Some(s), Some(p)) => Some(format!(
                "{}.{}",
                crate::catalog::ident_name(s),
                crate::catalog::ident_name(p)
            )),
            _ => None,
        },
        _ => None,
    };
    let Some(n) = ident else {
        return Err(TypeError::Unknown(name.to_string()));
    };
    let serial = match n.as_str() {
        "serial" | "serial4" => Some(Builtin::Integer),
        "bigserial" | "serial8" => Some(Builtin::BigInt),
        "smallserial" | "serial2" => Some(Builtin::SmallInt),
        _ => None,
    };
    if let Some(t) = serial {
        return Ok((SqlType::builtin(t), Serial::Yes));
    }
    if let Some(base) = user_type(&n) {
        return Ok((SqlType { base, array: false }, Serial::No));
    }
    let mods: Result<Vec<i64>, ()> = modifiers
        .iter()
        .map(|m| match m {
            sqlparser::ast::TypeModifier::Number(n, false) => n.parse::<i64>().map_err(|_| ()),
            _ => Err(()),
        })
        .collect();
    if let Some(&(_, canonical, ext)) = NAMED_TYPES.iter().find(|(alias, _, _)| *alias == n) {
        if let Some(extension) = ext {
            if !has_extension(extension) {
                return Err(TypeError::NeedsExtension { ty: n, extension });
            }
        }
        let mut modifiers =
            mods.map_err(|_| TypeError::Invalid(format!("`{name}`: bad type modifier")))?;
        if canonical == Builtin::Bpchar && modifiers.is_empty() {
            modifiers = vec![1];
        }
        let t = SqlType {
            base: BaseType::Builtin {
                ty: canonical,
                modifiers,
            },
            array: false,
        };
        return Ok((t, Serial::No));
    }
    Err(TypeError::Unknown(n))
}

/// Whether PostgreSQL converts `from` to `to` in assignment context, which is what
/// `ALTER COLUMN … TYPE` without `USING` needs. Conversions to string types always exist
/// (automatic I/O conversion); the rest follows `pg_cast`'s implicit and assignment casts.
pub fn assignment_castable(from: &SqlType, to: &SqlType) -> bool {
    if from.base == to.base && from.array == to.array {
        return true;
    }
    // Into or out of a domain is to or from its base type (find_coercion_pathway).
    if from.base_type() != from || to.base_type() != to {
        return assignment_castable(from.base_type(), to.base_type());
    }
    if from.base_name() == to.base_name() && from.array == to.array {
        return true; // only the modifier changes
    }
    if from.array != to.array {
        return false;
    }
    let (f, t) = (from.category(), to.category());
    // A composite value is a `record`, and a `record` becomes a composite type field by
    // field (checked where its fields are known).
    if f == Category::Composite && t == Category::Composite {
        return from.is(Builtin::Record) || to.is(Builtin::Record);
    }
    if from.array {
        let strip = |x: &SqlType| SqlType {
            base: x.base.clone(),
            array: false,
        };
        return assignment_castable(&strip(from), &strip(to));
    }
    match (f, t) {
        (_, Category::String) => true,
        (Category::Numeric, Category::Numeric) => true,
        (Category::DateTime, Category::DateTime) => true,
        _ => matches!(
            (from.base_name(), to.base_name()),
            ("time without time zone", "time with time zone")
                | ("time with time zone", "time without time zone")
                | ("timestamp without time zone", "time without time zone")
                | ("timestamp with time zone", "time without time zone")
                | ("timestamp with time zone", "time with time zone")
                | ("interval", "time without time zone")
                | ("cidr", "inet")
                | ("inet", "cidr")
                | ("json", "jsonb")
                | ("jsonb", "json")
        ),
    }
}

/// Whether a foreign key from a `from` column to a `to` column has an equality operator
/// PostgreSQL can use (same type, or both in one btree operator family).
pub fn foreign_key_compatible(from: &SqlType, to: &SqlType) -> bool {
    let (from, to) = (from.base_type(), to.base_type());
    if from.array != to.array {
        return false;
    }
    if from.base_name() == to.base_name() {
        return true;
    }
    let family = |t: &SqlType| match t.base_name() {
        "smallint" | "integer" | "bigint" => Some(1),
        "real" | "double precision" => Some(2),
        "text" | "character varying" | "name" => Some(3),
        "date" | "timestamp without time zone" | "timestamp with time zone" => Some(4),
        _ => None,
    };
    family(from).is_some() && family(from) == family(to)
}

#[cfg(test)]
mod tests {
    #[test]
    fn user_type_names_print_as_format_type_does() {
        assert_eq!(quote_ident("mood"), "mood");
        assert_eq!(quote_ident("Foo"), "\"Foo\"");
        assert_eq!(quote_ident("order"), "\"order\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(SqlType::enumeration("foo.Foo").to_string(), "foo.\"Foo\"");
        let mut t = SqlType::composite("billing.line_item");
        t.array = true;
        assert_eq!(t.to_string(), "billing.line_item[]");
    }

    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn ty(sql: &str) -> Result<(String, String), String> {
        let dialect = PostgreSqlDialect {};
        let dt = Parser::new(&dialect)
            .try_with_sql(sql)
            .unwrap()
            .parse_data_type()
            .unwrap();
        resolve(
            &dt,
            &|n| (n == "mood").then(|| BaseType::Enum(n.to_string())),
            &|e| e == "citext",
        )
        .map(|(t, _)| (t.to_string(), t.with_modifiers()))
        .map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn canonical_names_match_format_type() {
        for (sql, plain, full) in [
            ("int", "integer", "integer"),
            ("INT4", "integer", "integer"),
            ("int8", "bigint", "bigint"),
            ("smallint", "smallint", "smallint"),
            ("serial", "integer", "integer"),
            ("bigserial", "bigint", "bigint"),
            ("numeric(10,2)", "numeric", "numeric(10,2)"),
            ("decimal(5)", "numeric", "numeric(5,0)"),
            ("real", "real", "real"),
            ("float", "double precision", "double precision"),
            ("double precision", "double precision", "double precision"),
            ("varchar(20)", "character varying", "character varying(20)"),
            (
                "character varying",
                "character varying",
                "character varying",
            ),
            ("char(3)", "character", "character(3)"),
            ("char", "character", "character(1)"),
            ("boolean", "boolean", "boolean"),
            (
                "timestamptz",
                "timestamp with time zone",
                "timestamp with time zone",
            ),
            (
                "timestamp(3) with time zone",
                "timestamp with time zone",
                "timestamp(3) with time zone",
            ),
            (
                "timestamp",
                "timestamp without time zone",
                "timestamp without time zone",
            ),
            ("time", "time without time zone", "time without time zone"),
            ("text[]", "text[]", "text[]"),
            ("int[][]", "integer[]", "integer[]"),
            (
                "varchar(5)[]",
                "character varying[]",
                "character varying(5)[]",
            ),
            ("jsonb", "jsonb", "jsonb"),
            ("inet", "inet", "inet"),
            ("mood", "mood", "mood"),
            ("mood[]", "mood[]", "mood[]"),
            ("citext", "citext", "citext"),
            ("uuid", "uuid", "uuid"),
            ("bytea", "bytea", "bytea"),
            ("interval", "interval", "interval"),
        ] {
            assert_eq!(ty(sql), Ok((plain.to_string(), full.to_string())), "{sql}");
        }
    }

    #[test]
    fn rejects_what_postgres_rejects() {
        assert!(ty("int(11)").unwrap_err().contains("Invalid"));
        assert!(ty("serial[]").unwrap_err().contains("Invalid"));
        assert!(ty("tinyint").unwrap_err().contains("Unknown"));
        assert!(ty("datetime").unwrap_err().contains("Unknown"));
        assert!(ty("moods").unwrap_err().contains("Unknown"));
        assert!(ty("hstore").unwrap_err().contains("NeedsExtension"));
    }

    #[test]
    fn assignment_casts() {
        let t = |s: &str| {
            let dialect = PostgreSqlDialect {};
            let dt = Parser::new(&dialect)
                .try_with_sql(s)
                .unwrap()
                .parse_data_type()
                .unwrap();
            resolve(&dt, &|_| None, &|_| false).unwrap().0
        };
        assert!(assignment_castable(&t("int"), &t("bigint")));
        assert!(assignment_castable(&t("uuid"), &t("text")));
        assert!(!assignment_castable(&t("text"), &t("integer")));
        assert!(!assignment_castable(&t("integer"), &t("boolean")));
        assert!(assignment_castable(&t("varchar(5)"), &t("varchar(50)")));
        assert!(foreign_key_compatible(&t("int"), &t("bigint")));
        assert!(!foreign_key_compatible(&t("text"), &t("uuid")));
    }
}
