//! Work split between two threads: the macro's first expansion in a compiler process builds
//! and lints every migration of a service while the compiler waits, and the machines it runs
//! on have two cores at least. One helper for every such split (see also
//! `interpreter::read_ahead`, which pipelines rather than splits).

use std::ops::Range;

/// `f` over `0..n`, the first half here and the second on another thread once `n` reaches
/// `from` (below, a thread costs more than it saves), concatenated in order. Without the
/// thread (none could be started), both halves run here.
pub fn in_halves<T: Send>(
    n: usize,
    from: usize,
    name: &str,
    f: impl Fn(Range<usize>) -> Vec<T> + Sync,
) -> Vec<T> {
    if n < from.max(2) {
        return f(0..n);
    }
    let mid = n / 2;
    std::thread::scope(|scope| {
        let second = std::thread::Builder::new()
            .name(name.into())
            .spawn_scoped(scope, || f(mid..n));
        let mut out = f(0..mid);
        out.extend(match second {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => f(mid..n),
        });
        out
    })
}

#[cfg(test)]
mod tests {
    use super::in_halves;

    #[test]
    fn both_halves_in_order() {
        let thread = || std::thread::current().name().unwrap_or("").to_string();
        for n in [0, 1, 2, 3, 31, 32, 33, 1000] {
            let got = in_halves(n, 32, "checked-query-test", |r| {
                r.map(|i| (i, thread())).collect::<Vec<_>>()
            });
            assert_eq!(
                got.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
                (0..n).collect::<Vec<_>>()
            );
            // The second half ran on the helper from `from` on, and nothing did below.
            let helped = got.iter().any(|(_, t)| t == "checked-query-test");
            assert_eq!(helped, n >= 32, "n = {n}");
        }
    }
}
