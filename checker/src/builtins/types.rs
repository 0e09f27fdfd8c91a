//! PostgreSQL 15's built-in types as data, the rows of `pg_type` the checker knows: the name
//! `format_type` prints, the `typname` a cast names its column after, the category and
//! whether the type is its category's preferred one (`typcategory`, `typispreferred`).
//!
//! A type is a [`Builtin`] everywhere inside the checker; text becomes one only at the edges
//! ([`Builtin::from_name`], [`Builtin::from_typname`]), where an unknown name is an error.

/// The families the checker's implicit-cast rules work by (`analysis::ops`): coarser than
/// [`TypCategory`] (`"char"` counts as a string, time and interval as neither).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Numeric,
    String,
    DateTime,
    Boolean,
    Enum,
    Array,
    /// Composite types and `record`: compared field by field.
    Composite,
    Other,
}

/// `pg_type.typcategory`: the category PostgreSQL's overload and common-type resolution
/// compare (`N` numeric, `S` string, `D` date/time, `T` timespan, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypCategory {
    Array,
    Boolean,
    Composite,
    DateTime,
    Enum,
    Geometric,
    Network,
    Numeric,
    Pseudo,
    Range,
    String,
    Timespan,
    User,
    BitString,
    Internal,
}

macro_rules! builtins {
    ($($variant:ident => $name:literal, $typname:literal, $category:ident, $typcategory:ident, $preferred:literal;)*) => {
        /// A built-in type.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Builtin { $($variant,)* }

        /// One row per built-in type: the type, its format_type name, typname, the checker's
        /// cast family, typcategory and typispreferred.
        const TYPES: &[Row] = &[
            $(Row {
                ty: Builtin::$variant,
                name: $name,
                typname: $typname,
                category: Category::$category,
                typcategory: TypCategory::$typcategory,
                preferred: $preferred,
            },)*
        ];
    };
}

struct Row {
    ty: Builtin,
    name: &'static str,
    typname: &'static str,
    category: Category,
    typcategory: TypCategory,
    preferred: bool,
}

builtins! {
    SmallInt => "smallint", "int2", Numeric, Numeric, false;
    Integer => "integer", "int4", Numeric, Numeric, false;
    BigInt => "bigint", "int8", Numeric, Numeric, false;
    Numeric => "numeric", "numeric", Numeric, Numeric, false;
    Real => "real", "float4", Numeric, Numeric, false;
    Float8 => "double precision", "float8", Numeric, Numeric, true;
    Oid => "oid", "oid", Other, Numeric, true;
    Text => "text", "text", String, String, true;
    Varchar => "character varying", "varchar", String, String, false;
    Bpchar => "character", "bpchar", String, String, false;
    Char => "\"char\"", "char", String, Internal, false;
    Name => "name", "name", String, String, false;
    Citext => "citext", "citext", String, String, false;
    Boolean => "boolean", "bool", Boolean, Boolean, true;
    Uuid => "uuid", "uuid", Other, User, false;
    Bytea => "bytea", "bytea", Other, User, false;
    Date => "date", "date", DateTime, DateTime, false;
    Timestamp => "timestamp without time zone", "timestamp", DateTime, DateTime, false;
    Timestamptz => "timestamp with time zone", "timestamptz", DateTime, DateTime, true;
    Time => "time without time zone", "time", Other, DateTime, false;
    TimeTz => "time with time zone", "timetz", Other, DateTime, false;
    Interval => "interval", "interval", Other, Timespan, true;
    Json => "json", "json", Other, User, false;
    Jsonb => "jsonb", "jsonb", Other, User, false;
    Jsonpath => "jsonpath", "jsonpath", Other, User, false;
    Xml => "xml", "xml", Other, User, false;
    Inet => "inet", "inet", Other, Network, true;
    Cidr => "cidr", "cidr", Other, Network, false;
    Macaddr => "macaddr", "macaddr", Other, User, false;
    Macaddr8 => "macaddr8", "macaddr8", Other, User, false;
    Money => "money", "money", Other, Numeric, false;
    Bit => "bit", "bit", Other, BitString, false;
    VarBit => "bit varying", "varbit", Other, BitString, true;
    Point => "point", "point", Other, Geometric, false;
    Line => "line", "line", Other, Geometric, false;
    Lseg => "lseg", "lseg", Other, Geometric, false;
    Box => "box", "box", Other, Geometric, false;
    Path => "path", "path", Other, Geometric, false;
    Polygon => "polygon", "polygon", Other, Geometric, false;
    Circle => "circle", "circle", Other, Geometric, false;
    Int4Range => "int4range", "int4range", Other, Range, false;
    Int8Range => "int8range", "int8range", Other, Range, false;
    NumRange => "numrange", "numrange", Other, Range, false;
    TsRange => "tsrange", "tsrange", Other, Range, false;
    TstzRange => "tstzrange", "tstzrange", Other, Range, false;
    DateRange => "daterange", "daterange", Other, Range, false;
    Regclass => "regclass", "regclass", Other, Numeric, false;
    TsVector => "tsvector", "tsvector", Other, User, false;
    TsQuery => "tsquery", "tsquery", Other, User, false;
    Hstore => "hstore", "hstore", Other, User, false;
    Xid => "xid", "xid", Other, User, false;
    Cid => "cid", "cid", Other, User, false;
    Tid => "tid", "tid", Other, User, false;
    Xid8 => "xid8", "xid8", Other, User, false;
    PgLsn => "pg_lsn", "pg_lsn", Other, User, false;
    RegProc => "regproc", "regproc", Other, Numeric, false;
    RegProcedure => "regprocedure", "regprocedure", Other, Numeric, false;
    RegType => "regtype", "regtype", Other, Numeric, false;
    RegNamespace => "regnamespace", "regnamespace", Other, Numeric, false;
    RegRole => "regrole", "regrole", Other, Numeric, false;
    RegConfig => "regconfig", "regconfig", Other, Numeric, false;
    AclItem => "aclitem", "aclitem", Other, User, false;
    // PostgreSQL files these two under arrays ('A'), but they are not `T[]`: the checker
    // keeps them out of its array rules (nothing compares them with arrays).
    Int2Vector => "int2vector", "int2vector", Other, User, false;
    OidVector => "oidvector", "oidvector", Other, User, false;
    PgNodeTree => "pg_node_tree", "pg_node_tree", Other, Internal, false;
    PgNdistinct => "pg_ndistinct", "pg_ndistinct", Other, Internal, false;
    PgDependencies => "pg_dependencies", "pg_dependencies", Other, Internal, false;
    PgMcvList => "pg_mcv_list", "pg_mcv_list", Other, Internal, false;
    Int4Multirange => "int4multirange", "int4multirange", Other, Range, false;
    Int8Multirange => "int8multirange", "int8multirange", Other, Range, false;
    NumMultirange => "nummultirange", "nummultirange", Other, Range, false;
    TsMultirange => "tsmultirange", "tsmultirange", Other, Range, false;
    TstzMultirange => "tstzmultirange", "tstzmultirange", Other, Range, false;
    DateMultirange => "datemultirange", "datemultirange", Other, Range, false;
    Ltree => "ltree", "ltree", Other, User, false;
    Lquery => "lquery", "lquery", Other, User, false;
    Ltxtquery => "ltxtquery", "ltxtquery", Other, User, false;
    // `pg_attribute.attmissingval`, `pg_stats.most_common_vals`: a column of some array
    // type known only at run time. Nothing but `IS NULL` and a cast to text applies to it.
    AnyArrayColumn => "anyarray", "anyarray", Other, Pseudo, false;
    Void => "void", "void", Other, Pseudo, false;
    Record => "record", "record", Composite, Pseudo, false;
}

impl Builtin {
    fn row(self) -> &'static Row {
        // The table lists the variants in declaration order.
        &TYPES[self as usize]
    }

    /// The name `format_type(oid, NULL)` prints: `integer`, `timestamp with time zone`.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// `pg_type.typname`: what `SELECT x::integer` calls its column (`int4`).
    pub fn typname(self) -> &'static str {
        self.row().typname
    }

    pub fn category(self) -> Category {
        self.row().category
    }

    pub fn typcategory(self) -> TypCategory {
        self.row().typcategory
    }

    /// Whether the type is its category's preferred type (`typispreferred`).
    pub fn preferred(self) -> bool {
        self.row().preferred
    }

    /// The type `format_type` names `name`; `None` for any other text.
    pub fn from_name(name: &str) -> Option<Builtin> {
        TYPES.iter().find(|r| r.name == name).map(|r| r.ty)
    }

    /// The type whose `typname` is `typname` (`int4`, `timestamptz`).
    pub fn from_typname(typname: &str) -> Option<Builtin> {
        TYPES.iter().find(|r| r.typname == typname).map(|r| r.ty)
    }

    pub fn all() -> impl Iterator<Item = Builtin> {
        TYPES.iter().map(|r| r.ty)
    }

    /// The range and multirange types over `subtype`, and back: PostgreSQL's built-in
    /// `pg_range` rows.
    const RANGES: &'static [(Builtin, Builtin, Builtin)] = &[
        (
            Builtin::Int4Range,
            Builtin::Int4Multirange,
            Builtin::Integer,
        ),
        (Builtin::Int8Range, Builtin::Int8Multirange, Builtin::BigInt),
        (Builtin::NumRange, Builtin::NumMultirange, Builtin::Numeric),
        (Builtin::TsRange, Builtin::TsMultirange, Builtin::Timestamp),
        (
            Builtin::TstzRange,
            Builtin::TstzMultirange,
            Builtin::Timestamptz,
        ),
        (Builtin::DateRange, Builtin::DateMultirange, Builtin::Date),
    ];

    /// A range type's subtype (`int4range` → `integer`).
    pub fn range_subtype(self) -> Option<Builtin> {
        Self::RANGES.iter().find(|r| r.0 == self).map(|r| r.2)
    }

    /// A multirange type's subtype (`int4multirange` → `integer`).
    pub fn multirange_subtype(self) -> Option<Builtin> {
        Self::RANGES.iter().find(|r| r.1 == self).map(|r| r.2)
    }

    /// The range type over `self` (`integer` → `int4range`).
    pub fn range_over(self) -> Option<Builtin> {
        Self::RANGES.iter().find(|r| r.2 == self).map(|r| r.0)
    }

    /// The multirange type over `self`.
    pub fn multirange_over(self) -> Option<Builtin> {
        Self::RANGES.iter().find(|r| r.2 == self).map(|r| r.1)
    }

    pub fn is_integer(self) -> bool {
        matches!(self, Builtin::SmallInt | Builtin::Integer | Builtin::BigInt)
    }
}

impl std::fmt::Display for Builtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_declaration_order_and_names_unique() {
        for (i, row) in TYPES.iter().enumerate() {
            assert_eq!(row.ty as usize, i, "{}", row.name);
            assert_eq!(Builtin::from_name(row.name), Some(row.ty));
            assert_eq!(Builtin::from_typname(row.typname), Some(row.ty));
        }
        assert_eq!(Builtin::from_name("integr"), None);
    }
}
