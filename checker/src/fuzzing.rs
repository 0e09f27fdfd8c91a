//! The entry points the fuzz targets (`fuzz/`) drive, here so the regression test
//! (`checker/tests/fuzz_regressions.rs`) runs every kept input through exactly the same code
//! on stable Rust. Each takes arbitrary bytes and must return without panicking, whatever
//! they are; a diagnostic is a fine outcome. Not public API.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::check::{self, Service};
use crate::policies::Settings;
use crate::render;
use crate::source::SourceFile;
use crate::verdict::call::{Form, Parser};

/// Separates the files of one fuzzed migrations directory in an input.
pub const FILE_SEPARATOR: &str = "\n--- next migration ---\n";

/// Renders diagnostics every way the CLI does: renderers slice the source by the
/// diagnostics' spans, so they are part of what must not panic.
fn render_all(diagnostics: &[crate::Diagnostic]) {
    let _ = render::human::render_all(diagnostics, true);
    let _ = render::json::diagnostics(diagnostics);
    let _ = render::github::render(diagnostics);
    let _ = render::sarif::render(diagnostics);
}

/// A directory of its own for this thread's inputs, emptied before each one.
fn scratch() -> PathBuf {
    let id = format!("{:?}", std::thread::current().id())
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>();
    std::env::temp_dir().join(format!("cq-fuzz-{}-{id}", std::process::id()))
}

/// A migrations directory: the input split on [`FILE_SEPARATOR`] into numbered files (bytes
/// as they are, UTF-8 or not), built and linted as the macro's gate does.
pub fn migrations(data: &[u8]) {
    let root = scratch();
    let dir = root.join("fuzzed/migrations");
    let _ = std::fs::remove_dir_all(&root);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let separator = FILE_SEPARATOR.as_bytes();
    let mut files = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(separator.len()).position(|w| w == separator) {
        files.push(&rest[..at]);
        rest = &rest[at + separator.len()..];
    }
    files.push(rest);
    for (i, bytes) in files.iter().enumerate().take(64) {
        let _ = std::fs::write(dir.join(format!("{:03}_m{i}.sql", i + 1)), bytes);
    }
    let settings = Settings::default();
    let ws = crate::build_workspace_with(&dir, &settings);
    if let Some(service) = ws.service("fuzzed") {
        let mut diagnostics = crate::lints::lint_service(service, &settings);
        diagnostics.extend(service.diagnostics.iter().cloned());
        render_all(&diagnostics);
        let _ = render::text::schema(&service.catalog);
        let _ = render::json::schema(&service.catalog, &diagnostics);
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// A fixed service for the SQL and Rust targets: the repository's users example.
pub struct Fixture {
    service: Service,
}

impl Fixture {
    /// Built once per process from the repository at `root`.
    pub fn get(root: &Path) -> &'static Fixture {
        static FIXTURE: OnceLock<Fixture> = OnceLock::new();
        FIXTURE.get_or_init(|| {
            let crate_dir = root.join("examples/services/users");
            let located = crate::verdict::locate(&crate_dir, None)
                .unwrap_or_else(|d| panic!("the fuzz fixture does not locate: {}", d.message));
            Fixture {
                service: Service::new(located),
            }
        })
    }

    /// SQL as a query of the fixed service, as `describe` and the macro analyse it.
    pub fn sql(&self, data: &[u8]) {
        let Ok(sql) = std::str::from_utf8(data) else {
            return;
        };
        let Ok(service) = self.service.built.service(&self.service.located) else {
            return;
        };
        match crate::verdict::analyse(service, sql) {
            Ok(analysed) => {
                render_all(&analysed.analysis.diagnostics);
                let _ = render::text::describe(&analysed);
                let _ = render::json::describe(&serde_json::Value::Null, &analysed);
            }
            Err(d) => render_all(&[d]),
        }
    }

    /// Rust source as `checked-query check` reads a file of the service's crate.
    pub fn rust_source(&self, data: &[u8]) {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let file = SourceFile::new(Some(PathBuf::from("fuzzed.rs")), text.to_string());
        let report = check::check_source(file, Ok(&self.service), Default::default());
        render_all(&report.diagnostics);
    }
}

/// The tokens inside a query macro's parentheses, parsed as each macro parses them.
pub fn macro_input(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() else {
        return;
    };
    for form in [Form::Record, Form::As, Form::Scalar] {
        let _ = Parser(form).parse(tokens.clone());
    }
    proc_macro2::extra::invalidate_current_thread_spans();
}
