//! `checked-query`: SQL checked at compile time against the schema your service's own
//! migrations define, executed through sqlx.
//!
//! The query macros and the migrator arrive with later work; today this crate anchors the
//! workspace so that users depend on one crate from the start.
#![deny(missing_docs)]
