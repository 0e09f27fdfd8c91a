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

/// Code the macro wrote as text (type paths from the verdict, records, decoders), lexed
/// in one piece. In rustc every token a proc macro builds or joins is a call into the
/// compiler: quoting a record token by token was half of a warm expansion. Text lexed here
/// carries the call site's span, as `quote!` would give it; what must point elsewhere (the
/// arguments, their type checks, a target struct's fields) is still built as tokens.
///
/// In the compiler it goes straight to rustc's lexer: `proc_macro2`'s own parse lexes the
/// text a second time first (to reject what `proc_macro` would panic on, which text we
/// wrote never is), and that cost more than rustc's lexing.
fn lex(text: &str) -> Result<TokenStream, syn::Error> {
    if proc_macro::is_available() {
        if let Ok(tokens) = text.parse::<proc_macro::TokenStream>() {
            return Ok(tokens.into());
        }
    }
    text.parse::<TokenStream>().map_err(|e| {
        syn::Error::new(
            Span::call_site(),
            format!("internal error in checked-query: generated `{text}`: {e}"),
        )
    })
}

/// The row type of a call that does not check, when it is known.
fn row_type(call: &Call, form: Form, shape: &Shape) -> Option<Row> {
    let span = call.sql.span();
    let row = |items, ty| Row { items, ty };
    match (form, shape) {
        (Form::As, _) => call.target.as_ref().map(|t| row(quote!(), quote!(#t))),
        (Form::Record, Shape::Columns(columns)) if columns.is_empty() => {
            Some(row(quote!(), quote!(())))
        }
        (Form::Record, Shape::Columns(columns)) => {
            let columns: Vec<ColumnText> = columns
                .iter()
                .enumerate()
                .map(|(i, c)| column(i, c))
                .collect();
            let doc = "The row of a checked query (it does not check yet).";
            Some(row(lex(&record(&columns, doc)).ok()?, quote!(Record)))
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
            Some(row(quote!(), lex(&columns.first()?.ty).ok()?))
        }
        _ => None,
    }
}

/// Rust's keywords that a raw identifier (`r#type`) can name; the checker refuses the
/// ones it cannot (`self`, `Self`, `super`, `crate`, `_`) as field names.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// A result column's field name as Rust text, raw (`r#type`) where the name is a keyword.
fn field_text(name: &str) -> String {
    if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}

/// A field name as an identifier at `span`, raw where it is a keyword.
fn field_ident(name: &str, span: Span) -> Ident {
    if KEYWORDS.contains(&name) {
        Ident::new_raw(name, span)
    } else {
        Ident::new(name, span)
    }
}

/// The record struct of `checked_query!`, as text: one field per result column,
/// documented with `doc` (the SQL and its parameters) and each column's own doc.
fn record(columns: &[ColumnText], doc: &str) -> String {
    use std::fmt::Write;
    let mut out = format!("#[doc = {doc:?}]");
    if !columns.iter().any(|c| c.custom_type) {
        out.push_str("#[derive(Debug)]");
    }
    out.push_str("#[allow(non_snake_case, dead_code)] struct Record {");
    for c in columns {
        let _ = write!(out, "#[doc = {:?}] pub {}: {},", c.doc, c.field, c.ty);
    }
    out.push('}');
    out
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
    for binding in &checked.bindings {
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
        let ty = lex(&binding.rust.path).map_err(|e| failed(vec![e], &Shape::Unknown))?;
        // The type check sits at the argument's own span, so a wrong argument is a type
        // error on that argument; enums are checked by their adapter alone.
        binds.push(match &binding.rust.wire {
            Wire::Plain | Wire::Unchecked => quote_spanned! {espan=>
                __cq_args.bind::<#ty, _>(&(#expr));
            },
            Wire::EnumText(name) => quote_spanned! {espan=>
                __cq_args.add(::checked_query::__private::EnumArg::new(&(#expr), #name));
            },
            Wire::EnumTextArray(name) => quote_spanned! {espan=>
                __cq_args.add(::checked_query::__private::EnumArrayArg::new(&(#expr), #name));
            },
        });
    }

    let sql = &checked.sql;
    let includes = includes_once(&files);
    let columns: Vec<ColumnText> = checked
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| column(i, c))
        .collect();
    // The query of rows of type `row`, each made by the closure body `map`.
    let new = |row: &str, map: &str| {
        // The closure's parameter type comes from `__new`'s `fn(PgRow) -> …`.
        format!("::checked_query::Query::<{row}>::__new({sql:?}, __cq_args, |__cq_row| {map})")
    };
    let body = match form {
        // A statement without result columns: rows of `()`, decoded by one function in
        // the runtime rather than a record struct, its `Debug` and a closure per call.
        Form::Record if columns.is_empty() => lex(&format!(
            "::checked_query::Query::<()>::__new({sql:?}, __cq_args, ::checked_query::__private::no_columns)"
        )),
        Form::Record => {
            let record = record(&columns, &record_doc(&checked));
            let mut inits = String::new();
            for (i, c) in columns.iter().enumerate() {
                inits.push_str(&format!("{}: __cq_c{i},", c.field));
            }
            let lets = decode_lets(&columns, false);
            let map = format!("{{ {lets} ::std::result::Result::Ok(Record {{ {inits} }}) }}");
            lex(&format!("{record} {}", new("Record", &map)))
        }
        Form::Scalar => {
            let c = &columns[0];
            lex(&new(&c.ty, &c.get))
        }
        Form::As => as_target(&call, &columns, sql),
    }
    .map_err(|e| failed(vec![e], &Shape::Unknown))?;
    let args = if binds.is_empty() {
        quote!(let __cq_args = ::checked_query::__private::Args::default();)
    } else {
        quote!(let mut __cq_args = ::checked_query::__private::Args::default();)
    };
    Ok(quote!({
        #includes
        #args
        #(#binds)*
        #body
    }))
}

/// `checked_query_as!`: the columns into the user's struct, field by field at the
/// target's span, so that a missing or mistyped field is an error on the target.
fn as_target(call: &Call, columns: &[ColumnText], sql: &str) -> Result<TokenStream, syn::Error> {
    let target = call.target.as_ref().expect("parsed for Form::As");
    let tspan = target.span();
    let mut inits = Vec::with_capacity(columns.len());
    for (i, c) in columns.iter().enumerate() {
        let f = field_ident(&c.name, tspan);
        let v = format_ident!("__cq_c{}", i);
        inits.push(quote_spanned!(tspan=> #f: #v));
    }
    // Each column typed as the SQL gives it: a field of another type is a mismatch on
    // the target, not a different decoding. The lets in one piece, as the record lexes
    // its decoder.
    let lets = lex(&decode_lets(columns, true))?;
    Ok(quote_spanned! {tspan=>
        ::checked_query::Query::<#target>::__new(#sql, __cq_args, |__cq_row| {
            #lets
            ::std::result::Result::Ok(#target { #(#inits,)* })
        })
    })
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

/// The `let`s binding each column of `__cq_row` to `__cq_c0`, `__cq_c1`, …, typed as the
/// SQL gives them when `typed` (else their types come from where they go). Two to sixteen
/// columns of plain types decode in one call, as a tuple (the runtime's `Columns`): one
/// `?` rather than one per column. Otherwise each column is decoded by its own call.
fn decode_lets(columns: &[ColumnText], typed: bool) -> String {
    let ty = |t: &str| {
        if typed {
            format!(": {t}")
        } else {
            String::new()
        }
    };
    if (2..=16).contains(&columns.len()) && columns.iter().all(|c| c.checked) {
        let names: Vec<String> = (0..columns.len()).map(|i| format!("__cq_c{i}")).collect();
        let types: Vec<&str> = columns.iter().map(|c| c.ty.as_str()).collect();
        return format!(
            "let ({},){} = ::checked_query::__private::row(&__cq_row)?;",
            names.join(", "),
            ty(&format!("({},)", types.join(", ")))
        );
    }
    let mut lets = String::new();
    for (i, c) in columns.iter().enumerate() {
        lets.push_str(&format!("let __cq_c{i}{} = {}?;", ty(&c.ty), c.get));
    }
    lets
}

/// A result column as the text of its parts.
struct ColumnText {
    /// Its name as the SQL gives it (or a generated one).
    name: String,
    /// Its field name as Rust text.
    field: String,
    /// Its Rust type path.
    ty: String,
    /// `Result<ty, sqlx::Error>` of the column.
    get: String,
    custom_type: bool,
    /// Whether it decodes with sqlx's OID check (not an enum's label, not a domain's
    /// array).
    checked: bool,
    /// The field's doc comment.
    doc: String,
}

fn column(index: usize, c: &Column) -> ColumnText {
    let name = match &c.field {
        Some(name) => name.clone(),
        None => format!("__cq_col{index}"),
    };
    // sqlx's String checks the column's OID; an enum's label decodes as text, and an
    // array of a domain as an array of its base type.
    let get = match c.wire {
        Wire::EnumText(_) | Wire::EnumTextArray(_) | Wire::Unchecked => "get_unchecked",
        Wire::Plain => "get",
    };
    ColumnText {
        field: field_text(&name),
        // The column's type is inferred from where it goes (the field, the `let`, the
        // closure's return type).
        get: format!("::checked_query::__private::{get}(&__cq_row, {index})"),
        name,
        ty: c.ty.clone(),
        custom_type: c.custom,
        checked: c.wire == Wire::Plain,
        doc: c.doc.clone(),
    }
}
