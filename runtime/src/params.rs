//! Which Rust values may be passed for a parameter of a given type. The macros bind each
//! argument with `Args::bind` at the argument's own span, so a wrong argument is an
//! ordinary type error pointing at that argument.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

/// `Self` may be passed where the query expects a value of Rust type `T`: `T`, `&T`,
/// `Option<T>` (nothing infers whether a parameter may be NULL), `&str` for text, slices and
/// arrays for `Vec<T>`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be passed for a parameter of Rust type `{T}`",
    label = "this argument has the wrong type for its SQL parameter",
    note = "pass `{T}`, `&{T}` or `Option<{T}>`"
)]
pub trait Param<T: ?Sized> {}

/// Declares each listed form, and a reference to it, as passable for `T`. (Coherence rules
/// out one blanket `impl Param<T> for &A where A: Param<T>`: it overlaps `T` itself.)
macro_rules! param {
    ($($gen:tt $target:ty => $($ty:ty),*;)*) => {$($(
        param!(@one $gen $target, $ty);
    )*)*};
    (@one [$($gen:tt)*] $target:ty, $ty:ty) => {
        #[diagnostic::do_not_recommend]
        impl<$($gen)*> Param<$target> for $ty {}
        #[diagnostic::do_not_recommend]
        impl<$($gen)*> Param<$target> for &$ty {}
    };
}

param! {
    [T] T => T, Option<T>, Option<&T>;
    // The string types sqlx encodes as text.
    [] String => str, Box<str>, Arc<str>, Rc<str>, Cow<'_, str>,
        Option<&str>, Option<Box<str>>, Option<Arc<str>>, Option<Rc<str>>, Option<Cow<'_, str>>;
    // The byte-string types sqlx encodes as bytea.
    [] Vec<u8> => Box<[u8]>, Arc<[u8]>, Rc<[u8]>, Cow<'_, [u8]>;
    // Arrays: slices and fixed-size arrays of the element type, and `&str`s for text[].
    [T] Vec<T> => [T], Option<&[T]>;
    [T, const N: usize] Vec<T> => [T; N];
    [] Vec<String> => Vec<&str>, [&str], Option<Vec<&str>>;
    [const N: usize] Vec<String> => [&str; N];
}
// `str` above brings `&str`; a reference to a `&str` variable is one more level.
#[diagnostic::do_not_recommend]
impl Param<String> for &&str {}
