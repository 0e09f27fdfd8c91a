//! The migration interpreter: applies each statement of a service's migrations, in order, to
//! its [`Catalog`](crate::catalog::Catalog), with PostgreSQL's errors. It sits above both
//! `catalog` (the data it builds) and `analysis` (views are analysed when created, DML in a
//! migration is checked like any query), so neither of those depends on the other.

pub mod apply;
mod build;
mod cast_syntax;
mod ddl;
mod do_block;
mod do_loop;
mod domain_syntax;
mod fallback;
mod read_ahead;

pub use build::{
    apply_section, build_service, build_service_with, build_workspace, build_workspace_with,
    MigrationOutcome, ServiceCatalog, Workspace,
};

#[cfg(test)]
mod tests;
