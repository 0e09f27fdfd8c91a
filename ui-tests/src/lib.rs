//! Hosts the trybuild cases in `tests/ui/`; see `tests/ui.rs`.
