//! `CREATE CAST` and `DROP CAST`, with the checks of PostgreSQL's CreateCast
//! (functioncmds.c). A cast between two built-in types is refused as not modelled: it would
//! change how every query resolves, and the built-in `pg_cast` rows are not data here.

use sqlparser::tokenizer::Span;

use super::routines::{declared_type, find_routine, signature_types};
use super::{sqlstate, Applied, Ctx};
use crate::builtins::tokens::Tok;
use crate::catalog::types::{BaseType, Builtin, Category};
use crate::catalog::{
    Cast, CastContext, CastMethod, Catalog, Declared, Returns, RoutineKind, SqlType,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::interpreter::cast_syntax::{CastStatement, MethodSpec, TypeRef};
use crate::policies::cockroach::CrdbRule;

pub fn apply(cx: &Ctx, cat: &mut Catalog, stmt: CastStatement) -> Applied {
    match stmt {
        CastStatement::Create {
            source,
            target,
            method,
            context,
        } => create(cx, cat, &source, &target, method, context),
        CastStatement::Drop {
            source,
            target,
            if_exists,
        } => drop(cx, cat, &source, &target, if_exists),
    }
}

fn create(
    cx: &Ctx,
    cat: &mut Catalog,
    source: &TypeRef,
    target: &TypeRef,
    method: MethodSpec,
    context: CastContext,
) -> Applied {
    cx.crdb_warning(CrdbRule::UserCasts, "`CREATE CAST`", source.span);
    let (from, to) = (
        cast_type(cx, cat, source, "source")?,
        cast_type(cx, cat, target, "target")?,
    );
    if !user_owned(cat, &from) && !user_owned(cat, &to) {
        return Err(cx.unsupported(
            format!("a cast between the built-in types {from} and {to}"),
            source.span.union(&target.span),
            "casts between PostgreSQL's own types are not modelled; convert with a function call",
        ));
    }
    let (method, args) = match method {
        MethodSpec::InOut => (CastMethod::InOut, 0),
        MethodSpec::Without(span) => return Err(binary_cast(cx, &from, &to, span)),
        MethodSpec::Function(desc) => {
            let (_, span) = cx.object_name(&desc.name)?;
            // A procedure or an aggregate of the name is refused there, as PostgreSQL does.
            let index = find_routine(cx, cat, &desc, RoutineKind::Function, false, None)?
                .expect("found: not IF EXISTS");
            let f = &cat.routines[index];
            let signature = f.signature();
            let invalid = |message: &str, help: &str| {
                Err(cx
                    .error(Code::InvalidDefinition, message, span)
                    .with_help(format!("{help} (`{signature}`)")))
            };
            let args = signature_types(f);
            if args.is_empty() || args.len() > 3 {
                return invalid(
                    "cast function must take one to three arguments",
                    "the value, then optionally the type modifier (integer) and whether the cast is explicit (boolean)",
                );
            }
            if !binary_coercible(&from, &args[0]) {
                return invalid(
                    "argument of cast function must match or be binary-coercible from source data type",
                    &format!("name a function whose first argument is of type {from}"),
                );
            }
            if args
                .get(1)
                .is_some_and(|a| *a != Declared::Type(SqlType::builtin(Builtin::Integer)))
            {
                return invalid(
                    "second argument of cast function must be type integer",
                    "the second argument receives the type modifier",
                );
            }
            if args
                .get(2)
                .is_some_and(|a| *a != Declared::Type(SqlType::builtin(Builtin::Boolean)))
            {
                return invalid(
                    "third argument of cast function must be type boolean",
                    "the third argument receives whether the cast is explicit",
                );
            }
            match &f.returns {
                Returns::Value { set: true, .. } => {
                    return invalid(
                        "cast function must not return a set",
                        "return one value, not SETOF",
                    )
                }
                Returns::Value { ty: Declared::Type(r), .. } if binary_coercible(r, &Declared::Type(to.clone())) => {}
                _ => {
                    return invalid(
                        "return data type of cast function must match or be binary-coercible to target data type",
                        &format!("name a function that returns {to}"),
                    )
                }
            }
            (CastMethod::Function(signature), args.len())
        }
    };
    // Only a length coercion (a function of two or three arguments) casts a type to itself.
    if from == to && args < 2 {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                "source data type and target data type are the same",
                source.span.union(&target.span),
            )
            .with_help("a value needs no cast to its own type; only a length coercion (a function of two or three arguments) casts a type to itself"));
    }
    let cast = Cast {
        source: from,
        target: to,
        context,
        method,
    };
    if cat.user_cast(&cast.source, &cast.target).is_some() {
        return Err(cx
            .error(
                Code::DuplicateObject,
                format!("{} already exists", cast.describe()),
                source.span.union(&target.span),
            )
            .with_sqlstate(sqlstate::DUPLICATE_OBJECT)
            .with_help("drop the existing cast first (DROP CAST)"));
    }
    cat.casts.push(cast);
    Ok(())
}

fn drop(
    cx: &Ctx,
    cat: &mut Catalog,
    source: &TypeRef,
    target: &TypeRef,
    if_exists: bool,
) -> Applied {
    // A missing type is a notice under IF EXISTS, as for the cast itself.
    let types = cast_type(cx, cat, source, "source")
        .and_then(|from| Ok((from, cast_type(cx, cat, target, "target")?)));
    let (from, to) = match types {
        Ok(types) => types,
        Err(e) if if_exists && e.code == Code::UnknownType => return Ok(()),
        Err(e) => return Err(e),
    };
    if let Some(i) = cat
        .casts
        .iter()
        .position(|c| c.source == from && c.target == to)
    {
        cat.casts.remove(i);
        return Ok(());
    }
    if !user_owned(cat, &from) && !user_owned(cat, &to) {
        return Err(cx.unsupported(
            format!("dropping a cast between the built-in types {from} and {to}"),
            source.span.union(&target.span),
            "casts between PostgreSQL's own types are not modelled",
        ));
    }
    if if_exists {
        return Ok(());
    }
    Err(cx
        .error(
            Code::UnknownFunction,
            format!("cast from type {from} to type {to} does not exist"),
            source.span.union(&target.span),
        )
        .with_sqlstate(sqlstate::UNDEFINED_OBJECT)
        .with_help("name a cast a migration created with CREATE CAST, or add IF EXISTS"))
}

/// A cast's source or target: an existing type, not a pseudo-type, without modifiers
/// (`pg_cast` is keyed by type alone).
fn cast_type(cx: &Ctx, cat: &Catalog, t: &TypeRef, role: &str) -> Result<SqlType, Diagnostic> {
    let pseudo = |name: String| {
        Err(cx
            .error(
                Code::InvalidDefinition,
                format!("{role} data type {name} is a pseudo-type"),
                t.span,
            )
            .with_help("casts convert between concrete types"))
    };
    match declared_type(cx, cat, &t.data_type, t.span)? {
        Declared::Poly(p) => pseudo(p.to_string()),
        Declared::Type(ty) if ty.is(Builtin::Record) || ty.is(Builtin::Void) => {
            pseudo(ty.to_string())
        }
        Declared::Type(ty) => Ok(ty.without_modifiers()),
    }
}

/// Whether the service owns the type (PostgreSQL requires owning the source or the target):
/// its own enums, composite types, domains and tables' row types, and the types of the
/// extensions it created.
fn user_owned(cat: &Catalog, t: &SqlType) -> bool {
    !matches!(t.base, BaseType::Builtin { .. })
        || t.as_builtin()
            .and_then(crate::catalog::types::extension_of)
            .is_some_and(|e| cat.has_extension(e))
}

/// PostgreSQL's IsBinaryCoercible, as CREATE CAST applies it to the function's first
/// argument and its result: the same type, a domain over it, a polymorphic argument that
/// accepts it, or a built-in binary-compatible pair.
fn binary_coercible(from: &SqlType, to: &Declared) -> bool {
    let from = from.base_type().without_modifiers();
    match to {
        Declared::Poly(Tok::Any | Tok::AnyElement | Tok::AnyCompatible) => true,
        Declared::Poly(Tok::AnyArray | Tok::AnyCompatibleArray) => from.array,
        Declared::Poly(Tok::AnyNonArray) => !from.array,
        Declared::Poly(Tok::AnyEnum) => !from.array && from.enum_name().is_some(),
        Declared::Poly(_) => false,
        Declared::Type(to) => {
            let to = to.without_modifiers();
            from == to
                || (to.is(Builtin::Record) && from.category() == Category::Composite)
                || (from.array == to.array
                    && matches!(
                        (from.as_builtin(), to.as_builtin()),
                        (Some(Builtin::Varchar), Some(Builtin::Text))
                            | (Some(Builtin::Text), Some(Builtin::Varchar))
                            | (Some(Builtin::Cidr), Some(Builtin::Inet))
                    ))
        }
    }
}

/// `WITHOUT FUNCTION`: PostgreSQL's refusals for types that can never be binary-compatible,
/// else not modelled (it needs a superuser, and the types' storage layout).
fn binary_cast(cx: &Ctx, from: &SqlType, to: &SqlType, span: Span) -> Diagnostic {
    let both = [from, to];
    let refusal = if both.iter().any(|t| t.array) {
        Some("array data types are not binary-compatible")
    } else if both
        .iter()
        .any(|t| matches!(t.base, BaseType::Domain { .. }))
    {
        Some("domain data types must not be marked binary-compatible")
    } else if both.iter().any(|t| t.category() == Category::Composite) {
        Some("composite data types are not binary-compatible")
    } else if both.iter().any(|t| t.enum_name().is_some()) {
        Some("enum data types are not binary-compatible")
    } else {
        None
    };
    match refusal {
        Some(message) => cx
            .error(Code::InvalidDefinition, message, span)
            .with_help("convert WITH FUNCTION or WITH INOUT"),
        None => cx.unsupported(
            "`WITHOUT FUNCTION` casts",
            span,
            "binary-compatible casts need a superuser and types of the same storage; use WITH FUNCTION or WITH INOUT",
        ),
    }
}
