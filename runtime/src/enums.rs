//! PostgreSQL enums as text. sqlx's `String` neither decodes an enum column nor binds to an
//! enum parameter (it checks type OIDs), so by default the macros read enum columns as
//! `String` through [`PgEnumText`] and bind `&str`/`String` arguments for enum parameters
//! through [`EnumArg`], which declares the enum's own type to PostgreSQL. A service that
//! prefers its own `#[derive(sqlx::Type)]` enum configures it per enum type instead.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgTypeKind, PgValueRef};
use sqlx::{Decode, Encode, Postgres, Type};

/// The label of any PostgreSQL enum value, as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PgEnumText(pub String);

impl Type<Postgres> for PgEnumText {
    fn type_info() -> PgTypeInfo {
        <String as Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        matches!(ty.kind(), PgTypeKind::Enum(_)) || <String as Type<Postgres>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Postgres> for PgEnumText {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        // Text and binary forms of an enum value are both its label.
        Ok(PgEnumText(
            <&str as Decode<Postgres>>::decode(value)?.to_string(),
        ))
    }
}

/// A label bound to a parameter of enum type `name`.
#[doc(hidden)]
pub struct EnumArg<'a> {
    pub label: Option<&'a str>,
    pub type_name: &'static str,
}

impl Type<Postgres> for EnumArg<'_> {
    fn type_info() -> PgTypeInfo {
        <String as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for EnumArg<'_> {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        match self.label {
            Some(l) => <&str as Encode<Postgres>>::encode_by_ref(&l, buf),
            None => Ok(IsNull::Yes),
        }
    }

    fn produces(&self) -> Option<PgTypeInfo> {
        Some(PgTypeInfo::with_name(self.type_name))
    }
}

/// Labels bound to a parameter of type `name[]`.
#[doc(hidden)]
pub struct EnumArrayArg<'a> {
    pub labels: Option<Vec<&'a str>>,
    pub type_name: &'static str,
}

impl Type<Postgres> for EnumArrayArg<'_> {
    fn type_info() -> PgTypeInfo {
        <Vec<String> as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for EnumArrayArg<'_> {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        match &self.labels {
            Some(labels) => {
                let items: Vec<EnumArg<'_>> = labels
                    .iter()
                    .map(|l| EnumArg {
                        label: Some(l),
                        type_name: self.type_name,
                    })
                    .collect();
                <&[EnumArg<'_>] as Encode<Postgres>>::encode_by_ref(&items.as_slice(), buf)
            }
            None => Ok(IsNull::Yes),
        }
    }

    fn produces(&self) -> Option<PgTypeInfo> {
        Some(PgTypeInfo::array_of(self.type_name))
    }
}

/// Values that give an enum label (or NULL).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be passed for a PostgreSQL enum parameter",
    label = "pass the label as `&str` or `String` (or an `Option` of them)"
)]
pub trait EnumLabel {
    fn label(&self) -> Option<&str>;
}

#[diagnostic::do_not_recommend]
impl EnumLabel for String {
    fn label(&self) -> Option<&str> {
        Some(self)
    }
}
#[diagnostic::do_not_recommend]
impl EnumLabel for str {
    fn label(&self) -> Option<&str> {
        Some(self)
    }
}
#[diagnostic::do_not_recommend]
impl<T: EnumLabel + ?Sized> EnumLabel for &T {
    fn label(&self) -> Option<&str> {
        (**self).label()
    }
}
#[diagnostic::do_not_recommend]
impl<T: EnumLabel> EnumLabel for Option<T> {
    fn label(&self) -> Option<&str> {
        self.as_ref().and_then(|t| t.label())
    }
}

/// Values that give a list of enum labels (or NULL).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be passed for a PostgreSQL enum-array parameter",
    label = "pass the labels as a slice or Vec of `&str` or `String`"
)]
pub trait EnumLabels {
    fn labels(&self) -> Option<Vec<&str>>;
}

#[diagnostic::do_not_recommend]
impl<T: EnumLabel> EnumLabels for [T] {
    fn labels(&self) -> Option<Vec<&str>> {
        Some(self.iter().filter_map(|t| t.label()).collect())
    }
}
#[diagnostic::do_not_recommend]
impl<T: EnumLabel> EnumLabels for Vec<T> {
    fn labels(&self) -> Option<Vec<&str>> {
        self.as_slice().labels()
    }
}
#[diagnostic::do_not_recommend]
impl<T: EnumLabel, const N: usize> EnumLabels for [T; N] {
    fn labels(&self) -> Option<Vec<&str>> {
        self.as_slice().labels()
    }
}
#[diagnostic::do_not_recommend]
impl<T: EnumLabels + ?Sized> EnumLabels for &T {
    fn labels(&self) -> Option<Vec<&str>> {
        (**self).labels()
    }
}
#[diagnostic::do_not_recommend]
impl<T: EnumLabels> EnumLabels for Option<T> {
    fn labels(&self) -> Option<Vec<&str>> {
        self.as_ref().and_then(|t| t.labels())
    }
}

impl<'a> EnumArg<'a> {
    /// The argument for an enum parameter.
    pub fn new<T: EnumLabel + ?Sized>(value: &'a T, type_name: &'static str) -> Self {
        EnumArg {
            label: value.label(),
            type_name,
        }
    }
}

impl<'a> EnumArrayArg<'a> {
    /// The argument for an enum-array parameter.
    pub fn new<T: EnumLabels + ?Sized>(value: &'a T, type_name: &'static str) -> Self {
        EnumArrayArg {
            labels: value.labels(),
            type_name,
        }
    }
}
