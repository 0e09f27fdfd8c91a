//! PostgreSQL types to Rust types, as sqlx maps them, chosen by the crate features enabled
//! on `checked-query` (defaults: `uuid`, `chrono`, `json`).

use std::collections::BTreeMap;

use checked_query_checker::catalog::types::Builtin;
use checked_query_checker::catalog::SqlType;
use proc_macro2::TokenStream;
use quote::quote;

/// How a value crosses the wire.
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

pub struct RustType {
    pub tokens: TokenStream,
    pub wire: Wire,
}

fn feature(enabled: bool, name: &str, pg: &str) -> Result<(), String> {
    if enabled {
        Ok(())
    } else {
        Err(format!("PostgreSQL type `{pg}` needs the `{name}` feature of checked-query: add `features = [\"{name}\"]` to the dependency"))
    }
}

fn scalar(t: &SqlType, user_types: &BTreeMap<String, String>) -> Result<RustType, String> {
    let t = t.base_type();
    let plain = |tokens: TokenStream| {
        Ok(RustType {
            tokens,
            wire: Wire::Plain,
        })
    };
    if let Some(name) = t.enum_name() {
        return match user_types.get(name) {
            Some(path) => {
                let p: syn::Path = syn::parse_str(path).map_err(|e| {
                    format!("invalid Rust path `{path}` configured for enum `{name}`: {e}")
                })?;
                plain(quote!(#p))
            }
            None => Ok(RustType {
                tokens: quote!(::std::string::String),
                // The name PostgreSQL parses back to the type (`foo."Foo"`), for sqlx to look up.
                wire: Wire::EnumText(t.display_name().into_owned()),
            }),
        };
    }
    if let Some(name) = t.composite_name() {
        return match user_types.get(name) {
            Some(path) => {
                let p: syn::Path = syn::parse_str(path).map_err(|e| {
                    format!("invalid Rust path `{path}` configured for type `{name}`: {e}")
                })?;
                plain(quote!(#p))
            }
            None => Err(format!(
                "no Rust type for composite type `{name}`: map it to a `#[derive(sqlx::Type)]` struct with `[package.metadata.checked-query.types] {name} = \"crate::YourType\"`, name one with `AS \"col: YourType\"`, or select its fields (`(col).field`)"
            )),
        };
    }
    if t.is(Builtin::Record) {
        return Err("no Rust type for an anonymous record (`ROW(…)`, a whole-row reference to a subquery): select its fields as columns, or cast it to a composite type".to_string());
    }
    let chrono = cfg!(feature = "chrono");
    let time = cfg!(feature = "time") && !chrono;
    let name = t.base_name();
    let Some(builtin) = t.as_builtin() else {
        return Err(format!("no Rust type for PostgreSQL type `{name}`: cast it in the SQL (e.g. `col::text AS col`) or name a type with `AS \"col: MyType\"`"));
    };
    use Builtin as B;
    match builtin {
        B::SmallInt => plain(quote!(i16)),
        B::Integer => plain(quote!(i32)),
        B::BigInt => plain(quote!(i64)),
        B::Real => plain(quote!(f32)),
        B::Float8 => plain(quote!(f64)),
        B::Boolean => plain(quote!(bool)),
        B::Text | B::Varchar | B::Bpchar | B::Name | B::Citext => plain(quote!(::std::string::String)),
        B::Bytea => plain(quote!(::std::vec::Vec<u8>)),
        B::Uuid => {
            feature(cfg!(feature = "uuid"), "uuid", name)?;
            plain(quote!(::checked_query::sqlx::types::Uuid))
        }
        B::Json | B::Jsonb => {
            feature(cfg!(feature = "json"), "json", name)?;
            plain(quote!(::checked_query::sqlx::types::JsonValue))
        }
        B::Numeric => {
            if cfg!(feature = "rust_decimal") {
                plain(quote!(::checked_query::sqlx::types::Decimal))
            } else if cfg!(feature = "bigdecimal") {
                plain(quote!(::checked_query::sqlx::types::BigDecimal))
            } else {
                Err("PostgreSQL type `numeric` needs the `rust_decimal` or `bigdecimal` feature of checked-query".to_string())
            }
        }
        B::Inet | B::Cidr => {
            feature(cfg!(feature = "ipnetwork"), "ipnetwork", name)?;
            plain(quote!(::checked_query::sqlx::types::ipnetwork::IpNetwork))
        }
        B::Interval => plain(quote!(::checked_query::sqlx::postgres::types::PgInterval)),
        B::Timestamptz | B::Timestamp | B::Date | B::Time => {
            if chrono {
                match builtin {
                    B::Timestamptz => plain(quote!(::checked_query::sqlx::types::chrono::DateTime<::checked_query::sqlx::types::chrono::Utc>)),
                    B::Timestamp => plain(quote!(::checked_query::sqlx::types::chrono::NaiveDateTime)),
                    B::Date => plain(quote!(::checked_query::sqlx::types::chrono::NaiveDate)),
                    _ => plain(quote!(::checked_query::sqlx::types::chrono::NaiveTime)),
                }
            } else if time {
                match builtin {
                    B::Timestamptz => plain(quote!(::checked_query::sqlx::types::time::OffsetDateTime)),
                    B::Timestamp => plain(quote!(::checked_query::sqlx::types::time::PrimitiveDateTime)),
                    B::Date => plain(quote!(::checked_query::sqlx::types::time::Date)),
                    _ => plain(quote!(::checked_query::sqlx::types::time::Time)),
                }
            } else {
                Err(format!("PostgreSQL type `{name}` needs the `chrono` or `time` feature of checked-query"))
            }
        }
        _ => Err(format!(
            "no Rust type for PostgreSQL type `{name}`: cast it in the SQL (e.g. `col::text AS col`) or name a type with `AS \"col: MyType\"`"
        )),
    }
}

/// The Rust type of a column or parameter of PostgreSQL type `t`.
///
/// A domain is its base type's Rust type: sqlx decodes a domain column as its base type,
/// and PostgreSQL converts a parameter of the base type to the domain (checking it).
pub fn rust_type(t: &SqlType, user_types: &BTreeMap<String, String>) -> Result<RustType, String> {
    let domain_array = t.array && t.domain_name().is_some();
    let t = t.base_type();
    if !t.array {
        return scalar(t, user_types);
    }
    let elem = SqlType {
        base: t.base.clone(),
        array: false,
    };
    let inner = scalar(&elem, user_types)?;
    let tokens = inner.tokens;
    let wire = match inner.wire {
        Wire::EnumText(n) => Wire::EnumTextArray(n),
        Wire::Plain if domain_array => Wire::Unchecked,
        Wire::Plain => Wire::Plain,
        Wire::EnumTextArray(_) | Wire::Unchecked => {
            return Err("nested arrays have no Rust mapping".to_string())
        }
    };
    Ok(RustType {
        tokens: quote!(::std::vec::Vec<#tokens>),
        wire,
    })
}
