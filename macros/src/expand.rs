//! Tokens only: the checked call becomes a block that binds the arguments (each type-checked
//! at its own span) and builds a `checked_query::Query`. On error, the block holds only the
//! errors, so callers see them and no cascade.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Ident};

use checked_query_checker::verdict::{Column, Source, Wire};

use crate::check::check;
use crate::input::{Arg, Form, Parser};

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
                let (name, checksum, sqlx, up, down, nt) = (&m.name, &m.checksum, &m.sqlx_checksums, &m.up, &m.down, m.no_transaction);
                quote!(::checked_query::Migration { name: #name, checksum: #checksum, sqlx_checksums: &[#(#sqlx),*], up: &[#(#up),*], down: &[#(#down),*], no_transaction: #nt })
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

/// A Rust type path from the verdict as tokens (the checker validated it).
fn type_tokens(path: &str) -> Result<TokenStream, Vec<syn::Error>> {
    syn::parse_str::<syn::Type>(path)
        .map(|t| quote!(#t))
        .map_err(|e| {
            vec![syn::Error::new(
                Span::call_site(),
                format!("internal error in checked-query: `{path}`: {e}"),
            )]
        })
}

fn expand(tokens: TokenStream, form: Form) -> Result<TokenStream, Vec<syn::Error>> {
    let call = Parser(form).parse(tokens).map_err(|e| vec![e])?;
    let (checked, files) = check(&call, form)?;
    let span = call.sql.span();

    let mut binds = Vec::new();
    for (i, binding) in checked.bindings.iter().enumerate() {
        let expr: Expr = match &binding.source {
            Source::Arg(a) => match &call.args[*a] {
                Arg::Positional(e) | Arg::Named(_, e) => e.clone(),
            },
            Source::Local(name) => {
                // Like format!'s inline arguments: the local variable of that name.
                let ident = Ident::new(name, span);
                syn::parse_quote!(#ident)
            }
        };
        let arg = format_ident!("__cq_arg{}", i);
        let espan = expr.span();
        let ty = type_tokens(&binding.rust.path)?;
        // The type check sits at the argument's own span, so a wrong argument is a type
        // error on that argument; enums are checked by their adapter alone.
        binds.push(match &binding.rust.wire {
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

    let sql = &checked.sql;
    let includes = files.iter().map(|p| {
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

    let columns = checked
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| column(i, c, span))
        .collect::<Result<Vec<_>, _>>()?;
    let body = match form {
        Form::Record => {
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
            let target = call.target.as_ref().expect("parsed for Form::As");
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
            let (t, get) = (&columns[0].ty, &columns[0].get);
            quote! {
                ::checked_query::Query::<#t>::__new::<__CqSql>(__cq_args, |__cq_row: ::checked_query::__private::PgRow| #get)
            }
        }
    };
    Ok(quote!({ #prelude #body }))
}

struct ColumnTokens {
    field: Ident,
    ty: TokenStream,
    /// `Result<ty, sqlx::Error>` of the column.
    get: TokenStream,
    /// The column's value, `?` applied.
    decode: TokenStream,
    custom_type: bool,
}

fn column(index: usize, c: &Column, span: Span) -> Result<ColumnTokens, Vec<syn::Error>> {
    let field = match &c.field {
        Some(name) => syn::parse_str::<Ident>(name).unwrap_or_else(|_| Ident::new_raw(name, span)),
        None => format_ident!("__cq_col{}", index),
    };
    let ty = type_tokens(&c.ty)?;
    let get = match c.wire {
        // sqlx's String checks the column's OID; an enum's label decodes as text, and an
        // array of a domain as an array of its base type.
        Wire::EnumText(_) | Wire::EnumTextArray(_) | Wire::Unchecked => {
            quote!(::checked_query::__private::Row::try_get_unchecked::<#ty, _>(&__cq_row, #index))
        }
        Wire::Plain => {
            quote!(::checked_query::__private::Row::try_get::<#ty, _>(&__cq_row, #index))
        }
    };
    Ok(ColumnTokens {
        field,
        decode: quote!(#get?),
        get,
        ty,
        custom_type: c.custom,
    })
}
