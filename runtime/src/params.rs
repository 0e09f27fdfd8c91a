//! Which Rust values may be passed for a parameter of a given type. The macros call
//! [`check_param`] at each argument's own span, so a wrong argument is an ordinary type
//! error pointing at that argument.

/// `Self` may be passed where the query expects a value of Rust type `T`: `T`, `&T`,
/// `Option<T>` (nothing infers whether a parameter may be NULL), `&str` for text, slices and
/// arrays for `Vec<T>`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be passed for a parameter of Rust type `{T}`",
    label = "this argument has the wrong type for its SQL parameter",
    note = "pass `{T}`, `&{T}` or `Option<{T}>`"
)]
pub trait Param<T: ?Sized> {}

#[diagnostic::do_not_recommend]
impl<T> Param<T> for T {}
#[diagnostic::do_not_recommend]
impl<T> Param<T> for &T {}
#[diagnostic::do_not_recommend]
impl<T> Param<T> for Option<T> {}
#[diagnostic::do_not_recommend]
impl<T> Param<T> for &Option<T> {}
#[diagnostic::do_not_recommend]
impl<T> Param<T> for Option<&T> {}
#[diagnostic::do_not_recommend]
impl Param<String> for &str {}
#[diagnostic::do_not_recommend]
impl Param<String> for str {}
#[diagnostic::do_not_recommend]
impl Param<String> for &&str {}
#[diagnostic::do_not_recommend]
impl Param<String> for Option<&str> {}
#[diagnostic::do_not_recommend]
impl Param<String> for &Option<&str> {}
#[diagnostic::do_not_recommend]
impl<T> Param<Vec<T>> for &[T] {}
#[diagnostic::do_not_recommend]
impl<T> Param<Vec<T>> for [T] {}
#[diagnostic::do_not_recommend]
impl<T, const N: usize> Param<Vec<T>> for [T; N] {}
#[diagnostic::do_not_recommend]
impl<T, const N: usize> Param<Vec<T>> for &[T; N] {}
#[diagnostic::do_not_recommend]
impl<T> Param<Vec<T>> for Option<&[T]> {}
#[diagnostic::do_not_recommend]
impl Param<Vec<String>> for Vec<&str> {}
#[diagnostic::do_not_recommend]
impl Param<Vec<String>> for &[&str] {}
#[diagnostic::do_not_recommend]
impl Param<Vec<String>> for [&str] {}
#[diagnostic::do_not_recommend]
impl<const N: usize> Param<Vec<String>> for [&str; N] {}
#[diagnostic::do_not_recommend]
impl<const N: usize> Param<Vec<String>> for &[&str; N] {}

/// Compiles only when `A` may be passed for a parameter of Rust type `T`.
pub fn check_param<T: ?Sized, A: ?Sized + Param<T>>(_: &A) {}
