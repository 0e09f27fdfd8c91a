//! The analysis behind checked-query: migrations → catalog, SQL → diagnostics.
//!
//! No proc-macro, no database, no I/O beyond reading migration and configuration files, so
//! the macro and the CLI share every check and each rule is unit-tested on plain data.

// Diagnostics are the error type throughout; they are built on cold paths only, so their size
// in `Result` costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

pub mod analysis;
pub mod builtins;
pub mod catalog;
pub mod check;
pub mod config;
pub mod diagnostic;
pub mod files;
#[doc(hidden)]
pub mod fuzzing;
pub mod interpreter;
pub mod lints;
pub mod migrations;
pub mod named_params;
pub mod parallel;
pub mod policies;
pub mod render;
pub mod rules;
pub mod rust;
pub mod source;
pub mod stack;
pub mod statements;
pub mod subscript_assignment;
pub mod suggest;
pub mod variadic_call;
pub mod verdict;

pub use catalog::Catalog;
pub use diagnostic::{Code, Diagnostic, Severity};
pub use interpreter::{
    build_service, build_service_with, build_workspace, build_workspace_with, ServiceCatalog,
    Workspace,
};
