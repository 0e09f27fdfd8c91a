//! PostgreSQL types to Rust types, as sqlx maps them, chosen by the features enabled on the
//! `checked-query` dependency (defaults: `uuid`, `chrono`, `json`). The macro writes these
//! paths as tokens; `check` reports the same failures without compiling.

use std::collections::BTreeMap;

use crate::catalog::types::Builtin;
use crate::catalog::SqlType;

/// The `checked-query` features that add Rust types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    pub uuid: bool,
    pub chrono: bool,
    pub time: bool,
    pub json: bool,
    pub rust_decimal: bool,
    pub bigdecimal: bool,
    pub ipnetwork: bool,
}

impl Default for Features {
    /// The crate's default features.
    fn default() -> Features {
        Features::from_names(["uuid", "chrono", "json"])
    }
}

impl Features {
    pub const NONE: Features = Features {
        uuid: false,
        chrono: false,
        time: false,
        json: false,
        rust_decimal: false,
        bigdecimal: false,
        ipnetwork: false,
    };

    /// The features named (unknown names add nothing).
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Features {
        let mut f = Features::NONE;
        for n in names {
            match n {
                "uuid" => f.uuid = true,
                "chrono" => f.chrono = true,
                "time" => f.time = true,
                "json" => f.json = true,
                "rust_decimal" => f.rust_decimal = true,
                "bigdecimal" => f.bigdecimal = true,
                "ipnetwork" => f.ipnetwork = true,
                _ => {}
            }
        }
        f
    }
}

/// How a value crosses the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wire {
    /// A type sqlx encodes and decodes itself.
    Plain,
    /// An enum read as its label, bound through the text adapter.
    EnumText(String),
    /// An array of such enums.
    EnumTextArray(String),
    /// Encoded as sqlx does, decoded without sqlx's OID check: an array of a domain, whose
    /// elements sqlx decodes as the base type but whose OID it does not relate to the base
    /// type's array.
    Unchecked,
}

/// A Rust type as a path the macro writes (`::std::vec::Vec<i32>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustType {
    pub path: String,
    pub wire: Wire,
}

fn plain(path: &str) -> Result<RustType, String> {
    Ok(RustType {
        path: path.to_string(),
        wire: Wire::Plain,
    })
}

fn feature(enabled: bool, name: &str, pg: &str) -> Result<(), String> {
    if enabled {
        Ok(())
    } else {
        Err(format!("PostgreSQL type `{pg}` needs the `{name}` feature of checked-query: add `features = [\"{name}\"]` to the dependency"))
    }
}

/// A configured path for a user-defined type, checked to be a Rust path.
fn configured(path: &str, what: &str, name: &str) -> Result<RustType, String> {
    match syn::parse_str::<syn::Path>(path) {
        Ok(_) => plain(path),
        Err(e) => Err(format!(
            "invalid Rust path `{path}` configured for {what} `{name}`: {e}"
        )),
    }
}

const SQLX: &str = "::checked_query::sqlx";

fn scalar(
    t: &SqlType,
    user_types: &BTreeMap<String, String>,
    features: Features,
) -> Result<RustType, String> {
    let t = t.base_type();
    if let Some(name) = t.enum_name() {
        return match user_types.get(name) {
            Some(path) => configured(path, "enum", name),
            None => Ok(RustType {
                path: "::std::string::String".to_string(),
                // The name PostgreSQL parses back to the type (`foo."Foo"`), for sqlx to look up.
                wire: Wire::EnumText(t.display_name().into_owned()),
            }),
        };
    }
    if let Some(name) = t.composite_name() {
        return match user_types.get(name) {
            Some(path) => configured(path, "type", name),
            None => Err(format!(
                "no Rust type for composite type `{name}`: map it to a `#[derive(sqlx::Type)]` struct with `[package.metadata.checked-query.types] {name} = \"crate::YourType\"`, name one with `AS \"col: YourType\"`, or select its fields (`(col).field`)"
            )),
        };
    }
    if t.is(Builtin::Record) {
        return Err("no Rust type for an anonymous record (`ROW(…)`, a whole-row reference to a subquery): select its fields as columns, or cast it to a composite type".to_string());
    }
    let chrono = features.chrono;
    let time = features.time && !chrono;
    let name = t.base_name();
    let unmapped = || {
        Err(format!(
            "no Rust type for PostgreSQL type `{name}`: cast it in the SQL (e.g. `col::text AS col`) or name a type with `AS \"col: MyType\"`"
        ))
    };
    let Some(builtin) = t.as_builtin() else {
        return unmapped();
    };
    use Builtin as B;
    match builtin {
        B::SmallInt => plain("i16"),
        B::Integer => plain("i32"),
        B::BigInt => plain("i64"),
        B::Real => plain("f32"),
        B::Float8 => plain("f64"),
        B::Boolean => plain("bool"),
        B::Text | B::Varchar | B::Bpchar | B::Name | B::Citext => plain("::std::string::String"),
        B::Bytea => plain("::std::vec::Vec<u8>"),
        B::Uuid => {
            feature(features.uuid, "uuid", name)?;
            plain(&format!("{SQLX}::types::Uuid"))
        }
        B::Json | B::Jsonb => {
            feature(features.json, "json", name)?;
            plain(&format!("{SQLX}::types::JsonValue"))
        }
        B::Numeric if features.rust_decimal => plain(&format!("{SQLX}::types::Decimal")),
        B::Numeric if features.bigdecimal => plain(&format!("{SQLX}::types::BigDecimal")),
        B::Numeric => Err(
            "PostgreSQL type `numeric` needs the `rust_decimal` or `bigdecimal` feature of checked-query"
                .to_string(),
        ),
        B::Inet | B::Cidr => {
            feature(features.ipnetwork, "ipnetwork", name)?;
            plain(&format!("{SQLX}::types::ipnetwork::IpNetwork"))
        }
        B::Interval => plain(&format!("{SQLX}::postgres::types::PgInterval")),
        B::Timestamptz | B::Timestamp | B::Date | B::Time if chrono => plain(&match builtin {
            B::Timestamptz => format!(
                "{SQLX}::types::chrono::DateTime<{SQLX}::types::chrono::Utc>"
            ),
            B::Timestamp => format!("{SQLX}::types::chrono::NaiveDateTime"),
            B::Date => format!("{SQLX}::types::chrono::NaiveDate"),
            _ => format!("{SQLX}::types::chrono::NaiveTime"),
        }),
        B::Timestamptz | B::Timestamp | B::Date | B::Time if time => plain(&match builtin {
            B::Timestamptz => format!("{SQLX}::types::time::OffsetDateTime"),
            B::Timestamp => format!("{SQLX}::types::time::PrimitiveDateTime"),
            B::Date => format!("{SQLX}::types::time::Date"),
            _ => format!("{SQLX}::types::time::Time"),
        }),
        B::Timestamptz | B::Timestamp | B::Date | B::Time => Err(format!(
            "PostgreSQL type `{name}` needs the `chrono` or `time` feature of checked-query"
        )),
        _ => unmapped(),
    }
}

/// The Rust type of a column or parameter of PostgreSQL type `t`.
///
/// A domain is its base type's Rust type: sqlx decodes a domain column as its base type,
/// and PostgreSQL converts a parameter of the base type to the domain (checking it).
pub fn rust_type(
    t: &SqlType,
    user_types: &BTreeMap<String, String>,
    features: Features,
) -> Result<RustType, String> {
    let domain_array = t.array && t.domain_name().is_some();
    let t = t.base_type();
    if !t.array {
        return scalar(t, user_types, features);
    }
    let elem = SqlType {
        base: t.base.clone(),
        array: false,
    };
    let inner = scalar(&elem, user_types, features)?;
    let wire = match inner.wire {
        Wire::EnumText(n) => Wire::EnumTextArray(n),
        Wire::Plain if domain_array => Wire::Unchecked,
        Wire::Plain => Wire::Plain,
        Wire::EnumTextArray(_) | Wire::Unchecked => {
            return Err("nested arrays have no Rust mapping".to_string())
        }
    };
    Ok(RustType {
        path: format!("::std::vec::Vec<{}>", inner.path),
        wire,
    })
}
