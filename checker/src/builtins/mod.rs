//! PostgreSQL's built-in catalogs as data: types (`pg_type`), functions (`pg_proc`),
//! operators (`pg_operator`), the relations of `pg_catalog` and `information_schema`, and the tokens their rows are declared with. Below both `catalog` and `analysis`; depends on neither.

pub mod functions;
pub mod operators;
pub mod settings;
pub mod system_catalog;
pub mod tokens;
pub mod types;
