//! Stack for deep statements. A left-associative chain (`'a' || 'a' || …`, `x + 1 + 1 …`,
//! `a AND b AND …`) parses into an AST as deep as it is long, and every walk over it —
//! sqlparser's spans, visitors, `Display` and `Drop`, the analysis — recurses that deep:
//! 2,400 terms overflowed the 8 MB main stack. A statement longer than a few hundred bytes
//! therefore runs on a stack sized by its length (reserved virtual memory, touched only as
//! deep as it goes).

/// Statements up to this many bytes recurse at most a few hundred levels: any thread's
/// stack holds them (rustc's, for the macro, included).
const INLINE: usize = 512;

/// Stack reserved per byte of SQL: a level of nesting or of a chain takes two bytes at
/// least (`1+`, `((`…`))`), and costs a few frames, up to about 8 KB in debug builds (the
/// macro's); twice that, for margin. Measured: a 40,000-term `1+1+…` needs more than 1 KB
/// per byte.
const PER_BYTE: usize = 8 << 10;

/// Runs `f`, the processing of one statement of `len` bytes, on a stack big enough for it.
pub fn for_statement<R>(len: usize, f: impl FnOnce() -> R) -> R {
    let need = len.saturating_mul(PER_BYTE);
    // A statement that fits what is left of this thread's stack runs here: a new stack is
    // an mmap and its page faults, which were a good part of a warm expansion's time for
    // queries of a few hundred bytes.
    if len <= INLINE || stacker::remaining_stack().is_some_and(|left| left >= need + (1 << 20)) {
        return f();
    }
    stacker::grow(need.clamp(16 << 20, 4 << 30), f)
}
