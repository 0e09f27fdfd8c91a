//! Asking the checker: the one verdict path (`checked_query_checker::verdict`), with the
//! service located from `CARGO_MANIFEST_DIR` (or the `CHECKED_QUERY_MIGRATIONS` override),
//! the features this crate was built with, and findings turned into errors at their spans.

use std::path::{Path, PathBuf};

use checked_query_checker::render::human::render_for_compiler;
use checked_query_checker::verdict::{self, At, Features, Finding, Located, Shape, Verdict};
use checked_query_checker::Diagnostic;
use proc_macro2::Span;

use crate::input::{Arg, Call, Form};

/// The features of `checked-query` this macro crate was built with (they mirror the
/// runtime's, which enables them here).
fn features() -> Features {
    Features {
        uuid: cfg!(feature = "uuid"),
        chrono: cfg!(feature = "chrono"),
        time: cfg!(feature = "time"),
        json: cfg!(feature = "json"),
        rust_decimal: cfg!(feature = "rust_decimal"),
        bigdecimal: cfg!(feature = "bigdecimal"),
        ipnetwork: cfg!(feature = "ipnetwork"),
    }
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_string()))
}

fn error(span: Span, d: &Diagnostic) -> syn::Error {
    syn::Error::new(span, render_for_compiler(d))
}

fn locate() -> Result<Located, String> {
    verdict::locate_from_env(&manifest_dir()).map_err(|d| render_for_compiler(&d))
}

/// A call that does not check: its errors, and what is known of its result.
pub struct Failure {
    pub errors: Vec<syn::Error>,
    pub shape: Shape,
}

impl From<syn::Error> for Failure {
    fn from(e: syn::Error) -> Failure {
        Failure {
            errors: vec![e],
            shape: Shape::Unknown,
        }
    }
}

/// The verdict on `call` with the files it depends on, or its findings as errors: SQL
/// findings at the literal (their snippet points inside it), argument findings at the
/// argument.
pub fn check(call: &Call, form: Form) -> Result<(Verdict, std::sync::Arc<Vec<PathBuf>>), Failure> {
    let lit = call.sql.span();
    let located = locate().map_err(|e| syn::Error::new(lit, e))?;
    let built = verdict::built(&located);
    let shapes = call.shapes();
    let sql = call.sql.value();
    let request = verdict::Request {
        sql: &sql,
        form,
        args: &shapes,
        features: features(),
    };
    let files = verdict::dependency_files(&located, &built);
    let verdict = verdict::check_call(&located, &built, &request).map_err(|rejected| Failure {
        errors: rejected
            .findings
            .iter()
            .map(|Finding { at, diagnostic }| {
                let span = match at {
                    At::Sql => lit,
                    At::Arg(i) => match &call.args[*i] {
                        Arg::Positional(e) => e.span(),
                        Arg::Named(n, _) => n.span(),
                    },
                };
                error(span, diagnostic)
            })
            .collect(),
        shape: rejected.shape,
    })?;
    Ok((verdict, files))
}

/// What `migrate!()` embeds.
pub struct Embedded {
    /// The migrations, planned for running.
    pub plan: Vec<checked_query_checker::migrations::PlannedMigration>,
    /// Every migration file, for `include_bytes!` (so edits rebuild).
    pub files: Vec<PathBuf>,
    /// The schema after every UP, as `checked_query::testing` compares it.
    pub schema: Vec<String>,
    /// The migrations' warnings (there are no errors), reported once from `migrate!()`.
    pub warnings: Vec<String>,
}

/// The service's migrations, planned for running, with their files and resulting schema.
pub fn migrations() -> Result<Embedded, String> {
    let located = locate()?;
    let built = verdict::built(&located);
    let service = built
        .service(&located)
        .map_err(|d| render_for_compiler(&d))?;
    let plan = checked_query_checker::migrations::plan(&service.migrations.migrations)
        .map_err(|d| render_for_compiler(&d))?;
    let files = service
        .migrations
        .migrations
        .iter()
        .flat_map(|m| m.files.iter())
        .filter_map(|f| f.path.clone())
        .map(|p| absolute(&p))
        .collect();
    Ok(Embedded {
        plan,
        files,
        schema: checked_query_checker::catalog::schema_lines(&service.catalog),
        warnings: built
            .lints(&located.service)
            .iter()
            .map(verdict::compact)
            .collect(),
    })
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}
