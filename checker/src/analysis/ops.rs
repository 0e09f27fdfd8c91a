//! Type relations PostgreSQL uses when it resolves operators, functions and unions: implicit
//! casts, the common type of two types, and the names operators and casts go by.

use crate::catalog::types::Builtin;
use crate::catalog::types::{BaseType, Category};
use crate::catalog::SqlType;

pub fn ty(b: Builtin) -> SqlType {
    SqlType::builtin(b)
}

pub fn array_of(t: &SqlType) -> SqlType {
    SqlType {
        base: t.base.clone(),
        array: true,
    }
}

/// The element type of an array (of a domain over an array too).
pub fn element_of(t: &SqlType) -> Option<SqlType> {
    let t = t.base_type();
    t.array.then(|| SqlType {
        base: t.base.clone(),
        array: false,
    })
}

/// The type without modifiers: what `format_type(oid, NULL)` names and what operators see.
pub fn plain(t: &SqlType) -> SqlType {
    match &t.base {
        BaseType::Builtin { ty, .. } => SqlType {
            base: BaseType::Builtin {
                ty: *ty,
                modifiers: Vec::new(),
            },
            array: t.array,
        },
        BaseType::Enum(_) | BaseType::Composite(_) | BaseType::Domain { .. } => t.clone(),
    }
}

/// Position in the numeric category: an implicit cast always goes up.
pub fn numeric_rank(t: &SqlType) -> Option<u8> {
    Some(match t.as_builtin()? {
        Builtin::SmallInt => 1,
        Builtin::Integer => 2,
        Builtin::BigInt => 3,
        Builtin::Numeric => 4,
        Builtin::Real => 5,
        Builtin::Float8 => 6,
        _ => return None,
    })
}

fn datetime_rank(t: &SqlType) -> Option<u8> {
    Some(match t.as_builtin()? {
        Builtin::Date => 1,
        Builtin::Timestamp => 2,
        Builtin::Timestamptz => 3,
        _ => return None,
    })
}

pub fn is_string(t: &SqlType) -> bool {
    !t.array && t.category() == Category::String
}

/// PostgreSQL's implicit casts between the types we model.
pub fn implicit_castable(from: &SqlType, to: &SqlType) -> bool {
    if plain(from) == plain(to) {
        return true;
    }
    // A domain converts as its base type, both ways (find_coercion_pathway).
    if from.base_type() != from || to.base_type() != to {
        return implicit_castable(from.base_type(), to.base_type());
    }
    if from.array && to.array {
        return implicit_castable(&element_of(from).unwrap(), &element_of(to).unwrap());
    }
    if from.array != to.array {
        return false;
    }
    // Every composite value is a `record`; a `record` becomes a composite type when its
    // fields do (checked where the fields are known, as PostgreSQL's
    // coerce_record_to_complex does).
    if from.category() == Category::Composite && to.category() == Category::Composite {
        return from.is(Builtin::Record) || to.is(Builtin::Record);
    }
    if let (Some(a), Some(b)) = (numeric_rank(from), numeric_rank(to)) {
        return a <= b;
    }
    if let (Some(a), Some(b)) = (datetime_rank(from), datetime_rank(to)) {
        return a <= b;
    }
    if is_string(from) && is_string(to) {
        return !from.is(Builtin::Citext) || to.is(Builtin::Text);
    }
    if let (Some(f), Some(t)) = (from.as_builtin(), to.as_builtin()) {
        if oid_cast(f, t) {
            return true;
        }
    }
    matches!(
        (from.as_builtin(), to.as_builtin()),
        (Some(Builtin::Cidr), Some(Builtin::Inet))
            | (
                Some(Builtin::Time),
                Some(Builtin::Interval | Builtin::TimeTz)
            )
    )
}

/// The implicit casts of `pg_cast` among `oid`, its aliases (`regclass`, `regtype`, …) and
/// the integers: an integer becomes an oid or a `regclass`/`regtype`/`regproc`, every alias
/// and `oid` convert to each other through `oid`, and strings become `regclass`
/// (`c.oid = 'users'::regclass`, `WHERE attrelid = $1::regclass`).
fn oid_cast(from: Builtin, to: Builtin) -> bool {
    use Builtin as B;
    let alias = |b: Builtin| {
        matches!(
            b,
            B::Regclass
                | B::RegType
                | B::RegProc
                | B::RegProcedure
                | B::RegNamespace
                | B::RegRole
                | B::RegConfig
        )
    };
    match (from, to) {
        (f, B::Oid | B::Regclass | B::RegType | B::RegProc) if f.is_integer() => true,
        (B::Oid, t) => alias(t),
        (f, B::Oid) => alias(f),
        (B::RegProcedure, B::RegProc) => true,
        (B::Text | B::Varchar | B::Bpchar, B::Regclass) => true,
        _ => false,
    }
}

/// Whether a type is its category's preferred type (a common-type resolution stops there).
pub fn is_preferred(t: &SqlType) -> bool {
    t.as_builtin().is_some_and(Builtin::preferred)
}

/// The type two values resolve to when they must be one (UNION, CASE, COALESCE, IN, VALUES):
/// PostgreSQL's `select_common_type`, which is ordered — `current` is the type chosen so
/// far, `next` the next input. `varchar` then `text` stays `varchar`; `integer` then `bigint`
/// becomes `bigint`.
pub fn common_type(current: &SqlType, next: &SqlType) -> Option<SqlType> {
    let (p, n) = (plain(current), plain(next));
    if p == n {
        return Some(p);
    }
    // Inputs of one domain keep it; otherwise domains meet as their base types.
    let (p, n) = (plain(p.base_type()), plain(n.base_type()));
    if p == n {
        return Some(p);
    }
    // Two different row types meet as `record` (`refund = ROW(…)`).
    if !p.array
        && !n.array
        && p.category() == Category::Composite
        && n.category() == Category::Composite
    {
        return Some(ty(Builtin::Record));
    }
    if p.array && n.array {
        return common_type(&element_of(&p).unwrap(), &element_of(&n).unwrap())
            .map(|e| array_of(&e));
    }
    // select_common_type: every input must be of one category.
    if p.typcategory() != n.typcategory() {
        return None;
    }
    if p.array != n.array
        || p.category() != n.category()
        || matches!(p.category(), Category::Other | Category::Enum)
    {
        return if implicit_castable(&n, &p) {
            Some(p)
        } else if implicit_castable(&p, &n) {
            Some(n)
        } else {
            None
        };
    }
    if is_preferred(&p) {
        return implicit_castable(&n, &p).then_some(p);
    }
    if implicit_castable(&p, &n) && !implicit_castable(&n, &p) {
        return Some(n);
    }
    if implicit_castable(&n, &p) {
        return Some(p);
    }
    None
}

/// The type an operator takes for a value of type `t`: `varchar` has no operators of its
/// own and compares as `text`, so `name = $1` types `$1` as text; `cidr` compares as
/// `inet` the same way.
///
/// Composite types have no operators of their own either: they compare as `record`
/// (`refund = $1` types `$1` as record, as PostgreSQL does).
pub fn operator_input(t: &SqlType) -> SqlType {
    let t = t.base_type();
    if t.is(Builtin::Varchar) {
        ty(Builtin::Text)
    } else if t.is(Builtin::Cidr) {
        ty(Builtin::Inet)
    } else if !t.array && t.category() == Category::Composite {
        ty(Builtin::Record)
    } else {
        plain(t)
    }
}

/// Whether `=`, `<` … exist between values of these types (after resolving to a common type).
pub fn comparable(t: &SqlType) -> bool {
    !matches!(
        t.base_type().base,
        BaseType::Builtin {
            ty: Builtin::Json | Builtin::Xml | Builtin::Point,
            ..
        }
    )
}

/// The operator table's name (`oprname`) for a binary operator sqlparser parsed.
pub fn operator_symbol(op: &sqlparser::ast::BinaryOperator) -> Option<&'static str> {
    use sqlparser::ast::BinaryOperator as B;
    Some(match op {
        B::Plus => "+",
        B::Minus => "-",
        B::Multiply => "*",
        B::Divide => "/",
        B::Modulo => "%",
        B::PGExp => "^",
        B::StringConcat => "||",
        B::Arrow => "->",
        B::LongArrow => "->>",
        B::HashArrow => "#>",
        B::HashLongArrow => "#>>",
        B::HashMinus => "#-",
        B::AtArrow => "@>",
        B::ArrowAt => "<@",
        B::Question => "?",
        B::QuestionPipe => "?|",
        B::QuestionAnd => "?&",
        B::PGOverlap => "&&",
        B::PGLikeMatch => "~~",
        B::PGILikeMatch => "~~*",
        B::PGNotLikeMatch => "!~~",
        B::PGNotILikeMatch => "!~~*",
        B::PGRegexMatch => "~",
        B::PGRegexIMatch => "~*",
        B::PGRegexNotMatch => "!~",
        B::PGRegexNotIMatch => "!~*",
        B::BitwiseAnd => "&",
        B::BitwiseOr => "|",
        B::PGBitwiseXor => "#",
        B::PGBitwiseShiftLeft => "<<",
        B::PGBitwiseShiftRight => ">>",
        B::PGStartsWith => "^@",
        // Operators sqlparser has no variant of its own for (`<<=` on inet, `~<~` on
        // text): the table's row of that symbol, if there is one.
        other => {
            let written = other.to_string();
            return crate::builtins::operators::operators()
                .find(|o| o.symbol == written)
                .map(|o| o.symbol);
        }
    })
}

/// The name PostgreSQL's parser gives a type in a cast, which becomes the column name of
/// `SELECT x::type` (`integer` → `int4`).
pub fn cast_column_name(t: &SqlType) -> String {
    match &t.base {
        BaseType::Enum(n) | BaseType::Composite(n) | BaseType::Domain { name: n, .. } => n.clone(),
        BaseType::Builtin { ty, .. } => ty.typname().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution_rules() {
        assert_eq!(
            common_type(&ty(Builtin::Integer), &ty(Builtin::BigInt)),
            Some(ty(Builtin::BigInt))
        );
        assert_eq!(
            common_type(&ty(Builtin::Integer), &ty(Builtin::Numeric)),
            Some(ty(Builtin::Numeric))
        );
        // select_common_type is ordered: the first string type stays unless it is not
        // preferred and only the other way round casts implicitly.
        assert_eq!(
            common_type(&ty(Builtin::Varchar), &ty(Builtin::Text)),
            Some(ty(Builtin::Varchar))
        );
        assert_eq!(
            common_type(&ty(Builtin::Text), &ty(Builtin::Varchar)),
            Some(ty(Builtin::Text))
        );
        assert_eq!(
            common_type(&ty(Builtin::Numeric), &ty(Builtin::Real)),
            Some(ty(Builtin::Real))
        );
        assert_eq!(
            common_type(&ty(Builtin::Date), &ty(Builtin::Timestamptz)),
            Some(ty(Builtin::Timestamptz))
        );
        assert_eq!(common_type(&ty(Builtin::Uuid), &ty(Builtin::Text)), None);
        assert_eq!(cast_column_name(&ty(Builtin::Integer)), "int4");
    }
}
