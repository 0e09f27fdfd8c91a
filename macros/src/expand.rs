//! Tokens only: the checked call becomes a block that binds the arguments (each type-checked
//! at its own span) and builds a `checked_query::Query`. On error, the block holds only the
//! errors, so callers see them and no cascade.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Ident};

use crate::check::{check, Checked};
use crate::input::{Arg, Call, Form, Parser};
use crate::types::{rust_type, RustType, Wire};

pub fn run(tokens: TokenStream, form: Form) -> TokenStream {
    // The macro never panics: an internal failure becomes a compile error asking for a report.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| expand(tokens, form)));
    match result {
        Ok(Ok(t)) => t,
        Ok(Err(errors)) => fallback(errors),
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            fallback(vec![syn::Error::new(
                Span::call_site(),
                format!("internal error in checked-query ({what}); please report it with the query that caused it"),
            )])
        }
    }
}

/// Every error, with the last as the block's value: a `compile_error!` in tail position has
/// the error type, which keeps rustc from reporting follow-up errors on its uses.
fn fallback(errors: Vec<syn::Error>) -> TokenStream {
    let mut errors: Vec<TokenStream> = errors.iter().map(syn::Error::to_compile_error).collect();
    let last = errors.pop().unwrap_or_default();
    quote!({ #(#errors;)* #last })
}

struct Column {
    field: Ident,
    ty: TokenStream,
    /// `Result<ty, sqlx::Error>` of the column.
    get: TokenStream,
    /// The column's value, `?` applied.
    decode: TokenStream,
    custom_type: bool,
}

/// Splits sqlx-style overrides off a column alias: `name!`, `name?`, `name: Type`.
fn parse_override(name: &str) -> (String, Option<bool>, Option<String>) {
    if name == "?column?" {
        return (name.to_string(), None, None);
    }
    let (head, ty) = match name.split_once(':') {
        Some((h, t)) => (h.trim(), Some(t.trim().to_string())),
        None => (name, None),
    };
    if let Some(h) = head.strip_suffix('!') {
        (h.to_string(), Some(false), ty)
    } else if let Some(h) = head.strip_suffix('?') {
        (h.to_string(), Some(true), ty)
    } else {
        (head.to_string(), None, ty)
    }
}

fn field_ident(name: &str, span: Span) -> Result<Ident, String> {
    let ok = !name.is_empty()
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if name == "?column?" {
        return Err("a result column has no name (PostgreSQL calls it `?column?`): give it one with `AS name` in the SQL".to_string());
    }
    if !ok {
        return Err(format!(
            "column `{name}` cannot be a Rust field name: give it one with `AS name` in the SQL"
        ));
    }
    Ok(syn::parse_str::<Ident>(name).unwrap_or_else(|_| Ident::new_raw(name, span)))
}

fn columns(
    checked: &Checked,
    span: Span,
    need_names: bool,
) -> Result<Vec<Column>, Vec<syn::Error>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, c) in checked.analysis.columns.iter().enumerate() {
        let (name, nullable_override, ty_override) = parse_override(&c.name);
        let field = if need_names {
            match field_ident(&name, span) {
                Ok(f) => f,
                Err(e) => {
                    errors.push(syn::Error::new(span, e));
                    continue;
                }
            }
        } else {
            format_ident!("__cq_col{}", i)
        };
        if need_names && out.iter().any(|c: &Column| c.field == field) {
            errors.push(syn::Error::new(
                span,
                format!("two result columns are named `{name}`: give one another name with `AS`"),
            ));
            continue;
        }
        let nullable = nullable_override.unwrap_or(c.nullable);
        let (base, wire, custom) = match &ty_override {
            Some(t) => match syn::parse_str::<syn::Type>(t) {
                Ok(parsed) => (quote!(#parsed), Wire::Plain, true),
                Err(e) => {
                    errors.push(syn::Error::new(
                        span,
                        format!("column `{name}`: `{t}` is not a Rust type ({e})"),
                    ));
                    continue;
                }
            },
            None => match rust_type(&c.ty, &checked.user_types) {
                Ok(RustType { tokens, wire }) => (tokens, wire, false),
                Err(e) => {
                    errors.push(syn::Error::new(span, format!("column `{name}`: {e}")));
                    continue;
                }
            },
        };
        let ty = if nullable {
            quote!(::std::option::Option<#base>)
        } else {
            base
        };
        let index = i;
        let get = match wire {
            // sqlx's String checks the column's OID; an enum's label decodes as text, and an
            // array of a domain as an array of its base type.
            Wire::EnumText(_) | Wire::EnumTextArray(_) | Wire::Unchecked => {
                quote!(::checked_query::__private::Row::try_get_unchecked::<#ty, _>(&__cq_row, #index))
            }
            Wire::Plain => {
                quote!(::checked_query::__private::Row::try_get::<#ty, _>(&__cq_row, #index))
            }
        };
        let decode = quote!(#get?);
        out.push(Column {
            field,
            ty,
            get,
            decode,
            custom_type: custom,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The argument expressions in `$n` order.
fn arguments(call: &Call, checked: &Checked) -> Result<Vec<Expr>, Vec<syn::Error>> {
    let count = checked.analysis.params.len();
    let mut errors = Vec::new();
    if !checked.names.is_empty() {
        let mut out = Vec::new();
        for name in &checked.names {
            let given = call.args.iter().find_map(|a| match a {
                Arg::Named(n, e) if n == name => Some(e.clone()),
                _ => None,
            });
            out.push(given.unwrap_or_else(|| {
                // Like format!'s inline arguments: the local variable of that name.
                let ident = Ident::new(name, call.sql.span());
                syn::parse_quote!(#ident)
            }));
        }
        for a in &call.args {
            match a {
                Arg::Named(n, _) if !checked.names.iter().any(|x| n == x) => errors.push(syn::Error::new(
                    n.span(),
                    format!("unused argument: the query has no parameter `:{n}` (it has {})", checked.names.iter().map(|x| format!("`:{x}`")).collect::<Vec<_>>().join(", ")),
                )),
                Arg::Positional(e) => errors.push(syn::Error::new(
                    e.span(),
                    "this query uses named parameters (`:name`): pass `name = value`, or let a local variable of that name be used",
                )),
                _ => {}
            }
        }
        return if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        };
    }
    let mut out = Vec::new();
    for (i, a) in call.args.iter().enumerate() {
        match a {
            Arg::Named(n, _) => errors.push(syn::Error::new(
                n.span(),
                "named arguments need `:name` parameters in the SQL; this query uses `$n`",
            )),
            Arg::Positional(e) if i >= count => errors.push(syn::Error::new(
                e.span(),
                format!(
                    "unused argument: the query has {count} parameter{}",
                    if count == 1 { "" } else { "s" }
                ),
            )),
            Arg::Positional(e) => out.push(e.clone()),
        }
    }
    if call.args.len() < count {
        let missing: Vec<String> = checked.analysis.params[call.args.len()..]
            .iter()
            .enumerate()
            .map(|(k, t)| format!("${} ({t})", call.args.len() + k + 1))
            .collect();
        errors.push(syn::Error::new(
            call.sql.span(),
            format!(
                "expected {count} argument{} but got {}: missing {}",
                if count == 1 { "" } else { "s" },
                call.args.len(),
                missing.join(", ")
            ),
        ));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

pub fn migrate(tokens: TokenStream) -> TokenStream {
    if !tokens.is_empty() {
        return fallback(vec![syn::Error::new_spanned(tokens, "migrate!() takes no arguments: it reads the service's migrations as the query macros do")]);
    }
    match crate::check::migrations() {
        Err(e) => fallback(vec![syn::Error::new(Span::call_site(), e)]),
        Ok(crate::check::Embedded {
            plan,
            files,
            schema,
            warnings,
        }) => {
            // Stable proc macros cannot emit warnings; using a deprecated item can. One per
            // migration warning, here and not at every query, with the message as its note.
            let warnings = warnings.iter().map(|w| {
                quote!({
                    #[deprecated(note = #w)]
                    #[allow(non_camel_case_types)]
                    struct migration_warning;
                    let _ = migration_warning;
                })
            });
            let includes = files.iter().map(|p| {
                let p = p.display().to_string();
                quote!(
                    const _: &[u8] = ::core::include_bytes!(#p);
                )
            });
            let items = plan.iter().map(|m| {
                let (name, checksum, up, down, nt) = (&m.name, &m.checksum, &m.up, &m.down, m.no_transaction);
                quote!(::checked_query::Migration { name: #name, checksum: #checksum, up: &[#(#up),*], down: &[#(#down),*], no_transaction: #nt })
            });
            quote!({
                #(#includes)*
                #(#warnings)*
                static __CQ_MIGRATIONS: &[::checked_query::Migration] = &[#(#items),*];
                static __CQ_SCHEMA: &[&str] = &[#(#schema),*];
                ::checked_query::Migrator::__new(__CQ_MIGRATIONS, __CQ_SCHEMA)
            })
        }
    }
}

fn expand(tokens: TokenStream, form: Form) -> Result<TokenStream, Vec<syn::Error>> {
    let call = Parser(form).parse(tokens).map_err(|e| vec![e])?;
    let checked = check(&call.sql)?;
    let span = call.sql.span();
    let exprs = arguments(&call, &checked)?;

    let mut binds = Vec::new();
    let mut errors = Vec::new();
    for (i, (expr, pg)) in exprs.iter().zip(&checked.analysis.params).enumerate() {
        let arg = format_ident!("__cq_arg{}", i);
        let espan = expr.span();
        match rust_type(pg, &checked.user_types) {
            Ok(RustType { tokens: ty, wire }) => {
                // The type check sits at the argument's own span, so a wrong argument is a
                // type error on that argument; enums are checked by their adapter alone.
                binds.push(match wire {
                    Wire::Plain | Wire::Unchecked => quote_spanned! {espan=>
                        let #arg = &(#expr);
                        ::checked_query::__private::check_param::<#ty, _>(#arg);
                        __cq_args.add(#arg);
                    },
                    Wire::EnumText(name) => quote_spanned! {espan=>
                        let #arg = &(#expr);
                        __cq_args.add(::checked_query::__private::EnumArg::new(#arg, #name));
                    },
                    Wire::EnumTextArray(name) => quote_spanned! {espan=>
                        let #arg = &(#expr);
                        __cq_args.add(::checked_query::__private::EnumArrayArg::new(#arg, #name));
                    },
                });
            }
            Err(e) => errors.push(syn::Error::new(espan, format!("parameter ${}: {e}", i + 1))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let sql = &checked.sql;
    let includes = checked.files.iter().map(|p| {
        let p = p.display().to_string();
        quote!(
            const _: &[u8] = ::core::include_bytes!(#p);
        )
    });
    let prelude = quote! {
        #(#includes)*
        struct __CqSql;
        #[automatically_derived]
        impl ::checked_query::__private::StaticSql for __CqSql {
            const SQL: &'static str = #sql;
        }
        #[allow(unused_mut)]
        let mut __cq_args = ::checked_query::__private::Args::default();
        #(#binds)*
    };

    let cols = checked.analysis.columns.len();
    let body = match form {
        Form::Record if cols == 0 => quote!(::checked_query::Execute::__new::<__CqSql>(__cq_args)),
        Form::Record => {
            let columns = columns(&checked, span, true)?;
            let fields = columns.iter().map(|c| {
                let (f, t) = (&c.field, &c.ty);
                quote!(pub #f: #t)
            });
            let inits = columns.iter().map(|c| {
                let (f, d) = (&c.field, &c.decode);
                quote!(#f: #d)
            });
            let derive = if columns.iter().any(|c| c.custom_type) {
                quote!()
            } else {
                quote!(#[derive(Debug)])
            };
            quote! {
                /// The row of a checked query: one field per result column.
                #derive
                #[allow(non_snake_case, dead_code)]
                struct Record { #(#fields,)* }
                ::checked_query::Query::<Record>::__new::<__CqSql>(__cq_args, |__cq_row: ::checked_query::__private::PgRow| {
                    ::std::result::Result::Ok(Record { #(#inits,)* })
                })
            }
        }
        Form::As => {
            if cols == 0 {
                return Err(vec![syn::Error::new(
                    span,
                    "this statement returns no columns: use `checked_query!` and `.execute()`",
                )]);
            }
            let target = call.target.as_ref().expect("parsed for Form::As");
            let columns = columns(&checked, span, true)?;
            let tspan = target.span();
            let lets = columns.iter().enumerate().map(|(i, c)| {
                let (t, d) = (&c.ty, &c.decode);
                let v = format_ident!("__cq_v{}", i);
                quote!(let #v: #t = #d;)
            });
            let inits = columns.iter().enumerate().map(|(i, c)| {
                let f = &c.field;
                let v = format_ident!("__cq_v{}", i);
                quote_spanned!(tspan=> #f: #v)
            });
            quote_spanned! {tspan=>
                ::checked_query::Query::<#target>::__new::<__CqSql>(__cq_args, |__cq_row: ::checked_query::__private::PgRow| {
                    #(#lets)*
                    ::std::result::Result::Ok(#target { #(#inits,)* })
                })
            }
        }
        Form::Scalar => {
            if cols != 1 {
                return Err(vec![syn::Error::new(
                    span,
                    format!("checked_query_scalar! needs exactly one result column; this query returns {cols}: use `checked_query!` for several"),
                )]);
            }
            let columns = columns(&checked, span, false)?;
            let (t, get) = (&columns[0].ty, &columns[0].get);
            quote! {
                ::checked_query::Query::<#t>::__new::<__CqSql>(__cq_args, |__cq_row: ::checked_query::__private::PgRow| #get)
            }
        }
    };
    Ok(quote!({ #prelude #body }))
}
