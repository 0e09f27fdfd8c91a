//! `checked-query`: SQL checked at compile time against the schema your service's own
//! migration files define — no database needed to build — and executed through sqlx.
//!
//! ```ignore
//! let user = checked_query!("SELECT id, email FROM users WHERE email = $1", email)
//!     .fetch_optional(&pool)
//!     .await?;
//! ```
//!
//! * [`checked_query!`] — a query whose rows are an anonymous record, one field per column,
//!   typed from the analysis (`Option<T>` where the column can be NULL).
//! * [`checked_query_as!`] — fills a struct of yours by field name.
//! * [`checked_query_scalar!`] — the single column of each row.
//!
//! Queries run on any sqlx executor (`&PgPool`, `&mut PgConnection`, `&mut *tx`) with
//! [`Query::fetch_one`], [`Query::fetch_all`], [`Query::fetch_optional`], [`Query::fetch`]
//! and [`Query::execute`]. This crate has no way of its own to run a SQL string: everything
//! it executes comes from a checked macro. [`sqlx`] is re-exported for its pool, connection,
//! transaction and error types, so your service uses the same version.
#![deny(missing_docs)]

mod enums;
mod migrate;
mod params;
mod query;
mod transaction;

pub use checked_query_macros::{checked_query, checked_query_as, checked_query_scalar, migrate};
pub use enums::PgEnumText;
pub use migrate::{MigrateError, Migration, MigrationStatus, Migrator};
#[cfg(feature = "testing")]
pub mod testing;
pub use query::Query;
pub use sqlx;
pub use transaction::{
    is_retryable, transaction, Committed, Isolation, RetryError, Transact, TransactionError, Tx,
};

/// Items the macros' expansions use. Not public API: names and signatures may change in
/// any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::enums::{EnumArg, EnumArrayArg, EnumLabel, EnumLabels};
    pub use crate::params::Param;
    pub use crate::query::{get, get_unchecked, no_columns, row, Args, Columns};
    pub use sqlx;
    pub use sqlx::postgres::PgRow;
}
