//! Tokens only: the checked call becomes a block that binds the arguments (each type-checked
//! at its own span) and builds a `checked_query::Query`. On error, the block holds the errors
//! and no cascade follows them, in rustc and in rust-analyzer alike (see [`Failed`]).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::Ident;

use checked_query_checker::verdict::{Column, Shape, Source, Wire};

use crate::check::check;
use crate::input::{Arg, Call, Form, Parser};

pub fn run(tokens: TokenStream, form: Form) -> TokenStream {
    let start = std::time::Instant::now();
    // The macro never panics: an internal failure becomes a compile error asking for a report.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| expand(tokens, form)));
    record_time(start.elapsed());
    match result {
        Ok(Ok(t)) => t,
        Ok(Err(failed)) => failed.placeholder(),
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Failed::bare(vec![syn::Error::new(
                Span::call_site(),
                format!("internal error in checked-query ({what}); please report it with the query that caused it"),
            )])
            .placeholder()
        }
    }
}

/// With `CHECKED_QUERY_TIMINGS=FILE` in the environment (of rustc, or of rust-analyzer,
/// whose proc-macro server inherits it), each expansion appends its time in microseconds
/// to FILE: how the macro's own time is measured where it runs
/// (`scripts/ra-diagnostics.sh --timings`). Off, it costs one environment lookup.
fn record_time(took: std::time::Duration) {
    use std::io::Write;
    let Some(path) = std::env::var_os("CHECKED_QUERY_TIMINGS") else {
        return;
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path);
    if let Ok(mut f) = file {
        let _ = writeln!(f, "{}", took.as_micros());
    }
}

/// `include_bytes!` of each file the service's queries depend on, so that editing a
/// migration recompiles the crate (stable proc macros have no other way to tell rustc). A
/// compiler process compiles one crate, and one include per file in it is enough: the crate's
/// dep-info lists every file included anywhere in it. So only the first expansion per crate
/// and set of files (a migration added is a new set) carries them; the rest carry nothing.
/// Embedding every migration in every call made rustc hash, track and evaluate
/// calls × migrations constants.
fn includes_once(files: &std::sync::Arc<Vec<std::path::PathBuf>>) -> TokenStream {
    use std::sync::{Arc, Mutex};
    type Included = Vec<(Option<std::ffi::OsString>, Arc<Vec<std::path::PathBuf>>)>;
    static INCLUDED: Mutex<Included> = Mutex::new(Vec::new());
    // The crate being compiled: rustc's process compiles one, rust-analyzer's server many.
    let krate = std::env::var_os("CARGO_MANIFEST_DIR").map(|mut dir| {
        dir.push("\0");
        dir.push(std::env::var_os("CARGO_CRATE_NAME").unwrap_or_default());
        dir
    });
    let mut included = INCLUDED.lock().unwrap_or_else(|p| p.into_inner());
    if included
        .iter()
        .any(|(k, f)| *k == krate && (Arc::ptr_eq(f, files) || f == files))
    {
        return TokenStream::new();
    }
    included.retain(|(k, _)| *k != krate);
    included.push((krate, files.clone()));
    let includes = files.iter().map(|p| {
        let p = p.display().to_string();
        quote!(
            const _: &[u8] = ::core::include_bytes!(#p);
        )
    });
    quote!(#(#includes)*)
}

/// A call that does not check, as it expands: its errors, then a query of the call's own
/// type, so that the code using it (`.fetch_all(pool).await?`, `row.email`, a target
/// struct) gets no follow-up errors in rustc or in rust-analyzer.
struct Failed {
    errors: Vec<syn::Error>,
    /// The row type, when known.
    row: Option<Row>,
    /// The call's argument expressions, still evaluated so that what they use is used.
    args: Vec<TokenStream>,
}

/// Whether this expansion runs in rust-analyzer's proc-macro server rather than in a
/// compiler (its server is `rust-analyzer-proc-macro-srv`, or `rust-analyzer proc-macro`).
/// `cfg(rust_analyzer)` would say it in the expansion, but rustc warns about that cfg
/// (`unexpected_cfgs`) in the user's crate, whatever `allow` the expansion carries.
fn in_rust_analyzer() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().contains("rust-analyzer"))
        })
        .unwrap_or(false)
}

/// The row type of a call that does not check: the target of `checked_query_as!`, the
/// record or scalar of columns decided before the failure, or the record of the field
/// names the SQL shows.
struct Row {
    /// Items defining it.
    items: TokenStream,
    ty: TokenStream,
}

impl Failed {
    fn bare(errors: Vec<syn::Error>) -> Failed {
        Failed {
            errors,
            row: None,
            args: Vec::new(),
        }
    }

    fn placeholder(self) -> TokenStream {
        let mut errors: Vec<TokenStream> = self
            .errors
            .iter()
            .map(syn::Error::to_compile_error)
            .collect();
        if !in_rust_analyzer() {
            // rustc types a `compile_error!` in tail position as an error, which silences
            // everything downstream: field reads, `?`, inference, unused variables.
            let last = errors.pop().unwrap_or_default();
            return quote!({ #(#errors;)* #last });
        }
        // rust-analyzer types it as `()` and reports every method called on it, so there
        // the errors are statements and the value is a query of the call's own type: its
        // row when known, else left to inference (which rust-analyzer reports nothing on,
        // but settles as `()` for a field read).
        let args = &self.args;
        let value = match self.row {
            Some(Row { items, ty }) => quote! {
                #items
                ::checked_query::Query::<#ty>::__placeholder()
            },
            None => quote!(::checked_query::Query::<_>::__placeholder()),
        };
        quote!({
            #(#errors;)*
            #(let _ = &(#args);)*
            #value
        })
    }
}

/// Every error, then a value of the macro's own type (`value`), which keeps the code using
/// it free of follow-up errors.
fn fallback(errors: Vec<syn::Error>, value: TokenStream) -> TokenStream {
    let errors = errors.iter().map(syn::Error::to_compile_error);
    quote!({ #(#errors;)* #value })
}

pub fn migrate(tokens: TokenStream) -> TokenStream {
    let no_migrator = quote!(::checked_query::Migrator::__new(&[], &[]));
    if !tokens.is_empty() {
        return fallback(vec![syn::Error::new_spanned(tokens, "migrate!() takes no arguments: it reads the service's migrations as the query macros do")], no_migrator);
    }
    match crate::check::migrations() {
        Err(e) => fallback(vec![syn::Error::new(Span::call_site(), e)], no_migrator),
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

/// A Rust type path from the verdict as tokens (the checker validated it as a type). Lexed
/// in one piece rather than parsed by syn and quoted back token by token: in rustc every
/// token built is a call into the compiler, and this was a sixth of a warm expansion.
fn type_tokens(path: &str) -> Result<TokenStream, syn::Error> {
    path.parse::<TokenStream>().map_err(|e| {
        syn::Error::new(
            Span::call_site(),
            format!("internal error in checked-query: `{path}`: {e}"),
        )
    })
}

/// The row type of a call that does not check, when it is known.
fn row_type(call: &Call, form: Form, shape: &Shape) -> Option<Row> {
    let span = call.sql.span();
    let row = |items, ty| Row { items, ty };
    match (form, shape) {
        (Form::As, _) => call.target.as_ref().map(|t| row(quote!(), quote!(#t))),
        (Form::Record, Shape::Columns(columns)) => {
            let columns = columns
                .iter()
                .enumerate()
                .map(|(i, c)| column(i, c, span))
                .collect::<Result<Vec<_>, _>>()
                .ok()?;
            let doc = "The row of a checked query (it does not check yet).";
            Some(row(record(&columns, doc), quote!(Record)))
        }
        // Names without types: a record generic in each field's type, which the code
        // reading the fields decides.
        (Form::Record, Shape::Fields(names)) => {
            let params: Vec<Ident> = (0..names.len()).map(|i| format_ident!("T{}", i)).collect();
            let fields = names.iter().zip(&params).map(|(n, t)| {
                let f = field_ident(n, span);
                quote!(pub #f: #t)
            });
            let holes = params.iter().map(|_| quote!(_));
            Some(row(
                quote! {
                    #[allow(non_snake_case, dead_code)]
                    struct Record<#(#params),*> { #(#fields,)* }
                },
                quote!(Record<#(#holes),*>),
            ))
        }
        (Form::Scalar, Shape::Columns(columns)) => {
            Some(row(quote!(), type_tokens(&columns.first()?.ty).ok()?))
        }
        _ => None,
    }
}

/// A result column's field, raw (`r#type`) where the name is a keyword.
fn field_ident(name: &str, span: Span) -> Ident {
    syn::parse_str::<Ident>(name).unwrap_or_else(|_| Ident::new_raw(name, span))
}

/// The record struct of `checked_query!`: one field per result column, documented with
/// `doc` (the SQL and its parameters) and each column's own doc.
fn record(columns: &[ColumnTokens], doc: &str) -> TokenStream {
    let fields = columns.iter().map(|c| {
        let (f, t, doc) = (&c.field, &c.ty, &c.doc);
        quote!(#[doc = #doc] pub #f: #t)
    });
    let derive = if columns.iter().any(|c| c.custom_type) {
        quote!()
    } else {
        quote!(#[derive(Debug)])
    };
    quote! {
        #[doc = #doc]
        #derive
        #[allow(non_snake_case, dead_code)]
        struct Record { #(#fields,)* }
    }
}

fn expand(tokens: TokenStream, form: Form) -> Result<TokenStream, Failed> {
    let call = Parser(form)
        .parse(tokens)
        .map_err(|e| Failed::bare(vec![e]))?;
    let failed = |errors: Vec<syn::Error>, shape: &Shape| Failed {
        errors,
        row: row_type(&call, form, shape),
        args: call
            .args
            .iter()
            .map(|a| match a {
                Arg::Positional(e) | Arg::Named(_, e) => e.0.clone(),
            })
            .collect(),
    };
    let (checked, files) = check(&call, form).map_err(|f| failed(f.errors, &f.shape))?;
    let span = call.sql.span();

    let mut binds = Vec::new();
    for (i, binding) in checked.bindings.iter().enumerate() {
        let (expr, espan) = match &binding.source {
            Source::Arg(a) => match &call.args[*a] {
                Arg::Positional(e) | Arg::Named(_, e) => (e.0.clone(), e.span()),
            },
            Source::Local(name) => {
                // Like format!'s inline arguments: the local variable of that name.
                let ident = Ident::new(name, span);
                (quote!(#ident), span)
            }
        };
        let arg = format_ident!("__cq_arg{}", i);
        let ty = type_tokens(&binding.rust.path).map_err(|e| failed(vec![e], &Shape::Unknown))?;
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
    let includes = includes_once(&files);
    let prelude = quote! {
        #includes
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
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| failed(vec![e], &Shape::Unknown))?;
    let body = match form {
        Form::Record => {
            let inits = columns.iter().map(|c| {
                let (f, d) = (&c.field, &c.decode);
                quote!(#f: #d)
            });
            let record = record(&columns, &record_doc(&checked));
            quote! {
                #record
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

/// The record's doc comment: the SQL as it runs and its parameters' PostgreSQL types.
fn record_doc(checked: &checked_query_checker::verdict::Verdict) -> String {
    let mut doc = format!(
        "The row of a checked query, one field per result column:\n\n```sql\n{}\n```",
        checked.sql
    );
    for (i, p) in checked.analysis.params.iter().enumerate() {
        let name = checked
            .names
            .get(i)
            .map(|n| format!(" (`:{n}`)"))
            .unwrap_or_default();
        doc.push_str(&format!("\n- `${}`{name}: PostgreSQL `{p}`", i + 1));
    }
    doc
}

struct ColumnTokens {
    field: Ident,
    ty: TokenStream,
    /// `Result<ty, sqlx::Error>` of the column.
    get: TokenStream,
    /// The column's value, `?` applied.
    decode: TokenStream,
    custom_type: bool,
    /// The field's doc comment.
    doc: String,
}

fn column(index: usize, c: &Column, span: Span) -> Result<ColumnTokens, syn::Error> {
    let field = match &c.field {
        Some(name) => field_ident(name, span),
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
        doc: c.doc.clone(),
    })
}
