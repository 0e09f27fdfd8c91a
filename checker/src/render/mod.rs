//! The one place diagnostics become text: rustc-style for people, JSON for machines.

pub mod human;
pub mod json;
pub mod text;
