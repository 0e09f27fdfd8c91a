//! `CREATE AGGREGATE name (args) (SFUNC = f, STYPE = t [, FINALFUNC = g] …)`: an aggregate
//! the service's queries call like `max` or `sum`. PostgreSQL checks at creation that the
//! transition function takes `(state, args…)` exactly and returns the state type, and that
//! the final function takes the state; the aggregate's result is the final function's,
//! else the state type. The options that change no type (`PARALLEL`, `INITCOND`,
//! `COMBINEFUNC`, …) are accepted as written.

use sqlparser::ast::{CreateAggregate, CreateAggregateArgs, CreateAggregateOption as O, Spanned};
use sqlparser::tokenizer::Span;

use super::routines::{add_routine, check_new_signature, declared_type, signature_types};
use super::{Applied, Ctx};
use crate::catalog::{ArgMode, Catalog, Declared, Returns, Routine, RoutineArg, RoutineKind};
use crate::diagnostic::{Code, Diagnostic};

pub fn create_aggregate(cx: &Ctx, cat: &mut Catalog, ca: &CreateAggregate) -> Applied {
    let (name, span) = cx.object_name(&ca.name)?;
    cx.check_schema(cat, &name, span)?;
    let args = match &ca.args {
        CreateAggregateArgs::List(args) => args,
        // `(*)`: an aggregate of no argument, as count(*) is.
        CreateAggregateArgs::Star => &Vec::new(),
        CreateAggregateArgs::Legacy => {
            return Err(cx.unsupported(
                "the old CREATE AGGREGATE syntax (BASETYPE = …)",
                span,
                "write `CREATE AGGREGATE name (argument types) (SFUNC = …, STYPE = …)`",
            ))
        }
        CreateAggregateArgs::OrderedSet { .. } => {
            return Err(cx.unsupported(
                "ordered-set aggregates (`ORDER BY` in CREATE AGGREGATE)",
                span,
                "the checker types only normal aggregates; compute the value in a SQL function",
            ))
        }
    };
    let mut inputs = Vec::new();
    for a in args {
        let at = a.name.as_ref().map_or(span, |n| n.span);
        inputs.push(RoutineArg {
            name: a.name.as_ref().map(crate::catalog::ident_name),
            mode: match a.mode {
                Some(sqlparser::ast::ArgMode::Variadic) => ArgMode::Variadic,
                _ => ArgMode::In,
            },
            ty: declared_type(cx, cat, &a.data_type, at)?,
            has_default: false,
        });
    }
    let mut sfunc = None;
    let mut stype = None;
    let mut finalfunc = None;
    let mut final_extra = false;
    for option in &ca.options {
        match option {
            O::StateTransitionFunction(f) => sfunc = Some(f),
            O::StateDataType(t) => stype = Some(declared_type(cx, cat, t, span)?),
            O::FinalFunction(f) => finalfunc = Some(f),
            O::FinalFunctionExtra => final_extra = true,
            _ => {}
        }
    }
    let (Some(sfunc), Some(stype)) = (sfunc, stype) else {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                "aggregate stype and sfunc must be specified",
                span,
            )
            .with_help("add `SFUNC = transition_function, STYPE = state_type`"));
    };
    let input_types: Vec<Declared> = inputs.iter().map(|a| a.ty.clone()).collect();
    let mut transition_args = vec![stype.clone()];
    transition_args.extend(input_types.iter().cloned());
    let mut uses = Vec::new();
    let transition = lookup(cx, cat, sfunc, &transition_args)?;
    if let Some(r) = transition {
        if !returns(r, &stype) {
            return Err(cx
                .error(
                    Code::InvalidDefinition,
                    format!(
                        "return type of transition function {} is not {stype}",
                        r.signature()
                    ),
                    sfunc.span(),
                )
                .with_help(format!(
                    "make the transition function return the state type {stype}"
                )));
        }
        uses.push(r.signature());
    }
    let result = match finalfunc {
        None => stype.clone(),
        Some(f) => {
            let final_args = if final_extra {
                transition_args.clone()
            } else {
                vec![stype.clone()]
            };
            match lookup(cx, cat, f, &final_args)? {
                Some(r) => {
                    uses.push(r.signature());
                    match &r.returns {
                        Returns::Value { ty, set: false } => ty.clone(),
                        _ => {
                            return Err(cx.unsupported(
                                format!("the result of final function {}", r.signature()),
                                f.span(),
                                "make the final function return one value of a type",
                            ))
                        }
                    }
                }
                None => {
                    return Err(cx.unsupported(
                        format!("a built-in final function (`{f}`)"),
                        f.span(),
                        "the checker cannot tell its result type; wrap it in a SQL function of the service",
                    ))
                }
            }
        }
    };
    let routine = Routine {
        name: name.clone(),
        kind: RoutineKind::Aggregate,
        args: inputs,
        returns: Returns::Value {
            ty: result,
            set: false,
        },
        language: "internal".to_string(),
        uses,
    };
    check_new_signature(cx, cat, &routine, ca.or_replace, span)?;
    add_routine(cat, routine);
    Ok(())
}

/// The service's function `name` taking exactly `args` (PostgreSQL allows no coercion
/// here); `None` for a built-in function of that name, whose signature the checker takes
/// on trust; an error when neither exists.
fn lookup<'c>(
    cx: &Ctx,
    cat: &'c Catalog,
    name: &sqlparser::ast::ObjectName,
    args: &[Declared],
) -> Result<Option<&'c Routine>, Diagnostic> {
    let span: Span = name.span();
    let (key, _) = cx.object_name(name)?;
    let wanted: Vec<Declared> = args
        .iter()
        .map(|d| match d {
            Declared::Type(t) => Declared::Type(t.without_modifiers()),
            p => p.clone(),
        })
        .collect();
    if let Some(r) = cat
        .routines_named(&key)
        .find(|r| r.kind == RoutineKind::Function && signature_types(r) == wanted)
    {
        return Ok(Some(r));
    }
    let builtin = !key.contains('.')
        && crate::builtins::functions::named(&key).any(|d| d.args.len() == args.len());
    if builtin {
        return Ok(None);
    }
    let types: Vec<String> = args.iter().map(ToString::to_string).collect();
    let others: Vec<String> = cat.routines_named(&key).map(Routine::signature).collect();
    Err(cx
        .error(
            Code::UnknownFunction,
            format!("function {key}({}) does not exist", types.join(", ")),
            span,
        )
        .with_sqlstate("42883")
        .with_help(if others.is_empty() {
            format!("create `{key}` with these argument types in an earlier statement")
        } else {
            format!(
                "the service has {}; the argument types must match exactly",
                others.join(", ")
            )
        }))
}

fn returns(r: &Routine, ty: &Declared) -> bool {
    let plain = |d: &Declared| match d {
        Declared::Type(t) => Declared::Type(t.without_modifiers()),
        p => p.clone(),
    };
    matches!(&r.returns, Returns::Value { ty: t, set: false } if plain(t) == plain(ty))
}
