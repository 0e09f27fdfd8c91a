//! Analysis unit tests: each construct against a small schema.
