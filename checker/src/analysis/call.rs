//! Calls of functions and operators: the candidates come from the built-in tables, the
//! choice from [`resolve::select`](super::resolve::select), the wording of the errors from
//! here.

use sqlparser::tokenizer::Span;

use super::resolve::{self, ArgType, Failure, Overload};
use super::{Analyzer, Typed};
use crate::builtins::functions::{FunctionDef, FUNCTIONS};
use crate::builtins::operators::{operators, OperatorDef};
use crate::diagnostic::{Code, Diagnostic};

/// Functions PostgreSQL also defines on types the checker does not model (`trunc(macaddr)`):
/// for them an untyped argument stays ambiguous, as it is in PostgreSQL.
const HIDDEN_OVERLOADS: &[(&str, usize)] = &[("trunc", 1), ("age", 1)];

fn describe(a: &Typed) -> String {
    match &a.ty {
        Some(t) => t.to_string(),
        None => "unknown".to_string(),
    }
}

fn describe_args(args: &[Typed]) -> String {
    args.iter().map(describe).collect::<Vec<_>>().join(", ")
}

impl Analyzer<'_> {
    /// Picks the overload of `name` PostgreSQL would, types the untyped arguments from it, and
    /// returns the result with its nullability.
    pub fn call_function(
        &mut self,
        name: &str,
        args: &[Typed],
        arg_spans: &[Span],
        span: Span,
    ) -> Result<(Typed, &'static FunctionDef), Diagnostic> {
        let named = FUNCTIONS.iter().filter(|d| d.name == name);
        let by_name: Vec<&'static FunctionDef> = named
            .clone()
            .filter(|d| d.extension.is_none_or(|e| self.catalog.has_extension(e)))
            .collect();
        if let (true, Some(e)) = (by_name.is_empty(), named.clone().find_map(|d| d.extension)) {
            return Err(self
                .error(
                    Code::UnknownFunction,
                    format!("function `{name}` comes from extension `{e}`, which this service does not create"),
                    span,
                )
                .with_help(format!("create it in a migration: `CREATE EXTENSION IF NOT EXISTS \"{e}\";`")));
        }
        if by_name.is_empty() {
            let names: Vec<&str> = FUNCTIONS.iter().map(|d| d.name).collect();
            return Err(self.error(Code::UnknownFunction, format!("unknown function `{name}`"), span).with_help(
                crate::suggest::did_you_mean(name, names.iter().copied(), || {
                    "the checker knows PostgreSQL's common functions; if this one exists, report it so it can be added to the function table".to_string()
                }),
            ));
        }
        let signature = format!("{name}({})", describe_args(args));
        let hidden = HIDDEN_OVERLOADS.contains(&(name, args.len()));
        let (def, mut binding) = match resolve::select(&by_name, args, hidden) {
            Ok(chosen) => chosen,
            Err(Failure::NoMatch) => {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("function {signature} does not exist"),
                        span,
                    )
                    .with_help(format!(
                        "no overload of `{name}` takes these argument types; add explicit casts"
                    )))
            }
            Err(Failure::NotUnique) => {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("function {signature} is not unique"),
                        span,
                    )
                    .with_help("add explicit casts to the arguments, e.g. `$1::numeric`"))
            }
        };
        let types = resolve::argument_types(def, &mut binding, args);
        for (i, (a, t)) in args.iter().zip(types).enumerate() {
            let at = arg_spans.get(i).copied().unwrap_or(span);
            match t {
                ArgType::Keep => {}
                ArgType::Coerce(t) => self.coerce(a, &t, at)?,
                ArgType::UntypedParam => {
                    return Err(self
                        .error(
                            Code::ParamType,
                            format!("could not determine data type of a parameter of `{name}`"),
                            at,
                        )
                        .with_help("add a cast, e.g. `$1::text`"))
                }
                ArgType::Undetermined => {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            format!("could not determine polymorphic type for {signature}"),
                            span,
                        )
                        .with_help("cast the argument to a concrete type"))
                }
            }
        }
        let Some(ret) = binding.resolve(def.ret) else {
            return Err(self
                .error(
                    Code::TypeMismatch,
                    format!("could not determine the result type of {signature}"),
                    span,
                )
                .with_help("cast the arguments to concrete types"));
        };
        let nullable = resolve::result_nullable(def.nulls, args);
        Ok((Typed::known(ret, nullable), def))
    }

    /// Resolves `l symbol r` against the operator table, as PostgreSQL's oper_select_candidate
    /// does: first an operator taking both operands at the known one's type when the other is
    /// untyped, then the overload rules functions follow.
    pub fn call_operator(
        &mut self,
        symbol: &str,
        operands: [(&Typed, Span); 2],
        span: Span,
    ) -> Result<(Typed, &'static OperatorDef), Diagnostic> {
        let args = [operands[0].0.clone(), operands[1].0.clone()];
        let rows: Vec<&'static OperatorDef> = operators()
            .filter(|o| o.symbol == symbol)
            .filter(|o| o.extension.is_none_or(|e| self.catalog.has_extension(e)))
            .collect();
        let described = format!("{} {symbol} {}", describe(&args[0]), describe(&args[1]));
        let chosen = match exact_with_unknown(&rows, &args) {
            Some(row) => Ok((row, resolve::Binding::default())),
            None => resolve::select(&rows, &args, false),
        };
        let (def, mut binding) = match chosen {
            Ok(c) => c,
            Err(Failure::NotUnique) => {
                let code = if args.iter().any(|a| a.ty.is_none()) {
                    Code::ParamType
                } else {
                    Code::TypeMismatch
                };
                return Err(self
                    .error(code, format!("operator is not unique: {described}"), span)
                    .with_help(
                        "cast the untyped operand, e.g. `$1::integer` or `'1 day'::interval`",
                    ));
            }
            Err(Failure::NoMatch) => {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("operator does not exist: {described}"),
                        span,
                    )
                    .with_help(format!(
                        "no operator `{symbol}` takes these operand types; add explicit casts"
                    )))
            }
        };
        let types = resolve::argument_types(def, &mut binding, &args);
        for ((a, at), t) in operands.iter().zip(types) {
            match t {
                ArgType::Keep => {}
                ArgType::Coerce(t) => self.coerce(a, &t, *at)?,
                ArgType::UntypedParam | ArgType::Undetermined => {
                    return Err(self
                        .error(
                            Code::ParamType,
                            format!("operator is not unique: {described}"),
                            span,
                        )
                        .with_help("cast the untyped operand"))
                }
            }
        }
        let Some(ret) = binding.resolve(def.ret) else {
            return Err(self
                .error(
                    Code::TypeMismatch,
                    format!("could not determine the result type of {described}"),
                    span,
                )
                .with_help("cast the operands to concrete types"));
        };
        let nullable = resolve::result_nullable(def.nulls, &args);
        Ok((Typed::known(ret, nullable), def))
    }
}

/// oper_select_candidate's first rule (`binary_oper_exact`): with one operand untyped,
/// assume it has the other's type and look for an operator taking exactly that pair.
fn exact_with_unknown(
    rows: &[&'static OperatorDef],
    args: &[Typed; 2],
) -> Option<&'static OperatorDef> {
    let known = match (&args[0].ty, &args[1].ty) {
        (Some(t), None) | (None, Some(t)) => super::ops::plain(t),
        _ => return None,
    };
    let want = Some(known);
    rows.iter()
        .find(|r| r.args().iter().all(|&a| resolve::concrete(a) == want))
        .copied()
}
