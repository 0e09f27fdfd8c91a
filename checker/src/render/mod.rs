//! The one place diagnostics become text: rustc-style for people, JSON for machines,
//! workflow commands for GitHub Actions, SARIF for code-scanning tools.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod text;
