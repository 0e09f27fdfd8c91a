//! Functions and procedures: `CREATE [OR REPLACE] FUNCTION | PROCEDURE` with their
//! signatures (argument names, modes, defaults, result), `LANGUAGE sql` bodies analysed as
//! PostgreSQL does at creation, `DROP FUNCTION | PROCEDURE name[(types)]`, and the triggers
//! that name them.

use sqlparser::ast::{
    CreateFunction, CreateFunctionBody, DataType, Expr, FunctionDesc, ObjectName, Statement, Value,
};
use sqlparser::tokenizer::Span;

use super::{dependents_error, Applied, Ctx};
use crate::analysis::cast::castable;
use crate::analysis::{analyze_routine_statement, RoutineScope};
use crate::builtins::tokens::Tok;
use crate::catalog::types::Builtin;
use crate::catalog::{
    ident_name, ArgMode, Catalog, Declared, OutputColumn, Returns, Routine, RoutineArg,
    RoutineKind, SqlType, Trigger,
};
use crate::catalog::{Cast, CastContext, CastMethod};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Fragment;

/// Languages every server has; others come from an extension of the same name.
const BUILTIN_LANGUAGES: &[&str] = &["sql", "plpgsql", "c", "internal"];

/// Trigger functions PostgreSQL ships, which migrations may use without creating them.
const BUILTIN_TRIGGER_FUNCTIONS: &[&str] = &[
    "suppress_redundant_updates_trigger",
    "tsvector_update_trigger",
    "tsvector_update_trigger_column",
];

/// A declared argument or result type: the polymorphic pseudo-types by name, `record`,
/// else a type of the catalog (serial pseudo-types exist only in column definitions).
pub(super) fn declared_type(
    cx: &Ctx,
    cat: &Catalog,
    dt: &DataType,
    span: Span,
) -> Result<Declared, Diagnostic> {
    if let DataType::Custom(name, modifiers) = dt {
        if let (Some(n), true) = (crate::catalog::object_key(name), modifiers.is_empty()) {
            let poly = match n.as_str() {
                "any" => Some(Tok::Any),
                "anyelement" => Some(Tok::AnyElement),
                "anyarray" => Some(Tok::AnyArray),
                "anynonarray" => Some(Tok::AnyNonArray),
                "anyenum" => Some(Tok::AnyEnum),
                "anycompatible" => Some(Tok::AnyCompatible),
                "anycompatiblearray" => Some(Tok::AnyCompatibleArray),
                _ => None,
            };
            if let Some(t) = poly {
                return Ok(Declared::Poly(t));
            }
            match n.as_str() {
                "record" => return Ok(Declared::Type(SqlType::builtin(Builtin::Record))),
                "void" => return Ok(Declared::Type(SqlType::builtin(Builtin::Void))),
                _ => {}
            }
        }
    }
    Ok(Declared::Type(super::table::resolve_value_type(
        cx, cat, dt, span,
    )?))
}

/// `trigger`, which sqlparser parses as a type of its own.
fn is_trigger(dt: &DataType) -> bool {
    match dt {
        DataType::Trigger => true,
        DataType::Custom(name, m) => {
            m.is_empty() && crate::catalog::object_key(name).as_deref() == Some("trigger")
        }
        _ => false,
    }
}

/// The span of a routine's name, for errors about the whole routine.
fn name_span(cx: &Ctx, name: &ObjectName) -> Result<(String, Span), Diagnostic> {
    cx.object_name(name)
}

pub fn create_routine(
    cx: &Ctx,
    cat: &mut Catalog,
    cf: &CreateFunction,
    kind: RoutineKind,
) -> Applied {
    let (name, span) = name_span(cx, &cf.name)?;
    cx.check_schema(cat, &name, span)?;
    let noun = kind.noun();
    let language = match (&cf.language, &cf.function_body) {
        (Some(l), _) => l.value.to_lowercase(),
        (None, Some(CreateFunctionBody::Return(_) | CreateFunctionBody::BeginAtomic(_))) => {
            "sql".to_string()
        }
        (None, _) => {
            return Err(cx
                .error(Code::InvalidDefinition, "no language specified", span)
                .with_help("add `LANGUAGE sql` or `LANGUAGE plpgsql`"))
        }
    };
    if !BUILTIN_LANGUAGES.contains(&language.as_str()) && !cat.has_extension(&language) {
        return Err(cx
            .error(Code::InvalidDefinition, format!("language `{language}` does not exist"), span)
            .with_help(format!("create it first (`CREATE EXTENSION {language};`), or write the {noun} in sql or plpgsql")));
    }
    let args = arguments(cx, cat, cf, span)?;
    let returns = result(cx, cat, cf, kind, &args, span)?;
    if language == "sql" && returns == Returns::Trigger {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                "SQL functions cannot return type trigger",
                span,
            )
            .with_help("write trigger functions in plpgsql"));
    }
    let routine = Routine {
        name: name.clone(),
        kind,
        args,
        returns,
        language,
        uses: Vec::new(),
    };
    check_new_signature(cx, cat, &routine, cf.or_replace, span)?;
    // `SET check_function_bodies = false` (pg_dump writes it) defers the check to the
    // first call, as PostgreSQL does.
    if routine.language == "sql" && !cx.env.skip_function_bodies {
        check_sql_body(cx, cat, cf, &routine, span)?;
    }
    add_routine(cat, routine);
    Ok(())
}

/// A routine with the signature of an existing one is refused, unless `OR REPLACE` was
/// written and the replacement keeps what callers rely on.
pub(super) fn check_new_signature(
    cx: &Ctx,
    cat: &Catalog,
    routine: &Routine,
    or_replace: bool,
    span: Span,
) -> Applied {
    let Some(existing) = cat
        .routines
        .iter()
        .find(|r| r.name == routine.name && same_inputs(r, routine))
    else {
        return Ok(());
    };
    if !or_replace {
        return Err(cx
            .error(
                Code::DuplicateObject,
                format!(
                    "{} {} already exists with same argument types",
                    existing.kind.noun(),
                    existing.signature()
                ),
                span,
            )
            .with_help("use CREATE OR REPLACE, or give it other argument types"));
    }
    check_replacement(cx, existing, routine, span)
}

/// Adds the routine in place of one with its signature.
pub(super) fn add_routine(cat: &mut Catalog, routine: Routine) {
    cat.routines
        .retain(|r| !(r.name == routine.name && same_inputs(r, &routine)));
    cat.routines.push(routine);
}

/// The signature PostgreSQL compares: input argument types (all arguments of a procedure).
pub(super) fn signature_types(r: &Routine) -> Vec<Declared> {
    r.input_types()
        .into_iter()
        .map(|d| match d {
            Declared::Type(t) => Declared::Type(t.without_modifiers()),
            p => p.clone(),
        })
        .collect()
}

fn same_inputs(a: &Routine, b: &Routine) -> bool {
    signature_types(a) == signature_types(b)
}

/// `CREATE OR REPLACE` keeps what callers rely on: the kind, the result type, input names.
fn check_replacement(cx: &Ctx, old: &Routine, new: &Routine, span: Span) -> Applied {
    let fail = |message: String, help: &str| {
        Err(cx
            .error(Code::InvalidDefinition, message, span)
            .with_help(help.to_string()))
    };
    if old.kind != new.kind {
        return fail(
            "cannot change routine kind".to_string(),
            "drop it first, then create it anew",
        );
    }
    if old.returns != new.returns {
        return fail(
            format!(
                "cannot change return type of existing function {}",
                old.signature()
            ),
            "drop the function first (DROP FUNCTION), then create it anew",
        );
    }
    let inputs = |r: &Routine| -> Vec<Option<String>> {
        r.args
            .iter()
            .filter(|a| a.mode.is_input())
            .map(|a| a.name.clone())
            .collect()
    };
    for (o, n) in inputs(old).iter().zip(inputs(new)) {
        if o.is_some() && *o != n {
            return fail(
                format!(
                    "cannot change name of input parameter `{}`",
                    o.as_deref().unwrap_or_default()
                ),
                "drop the function first, then create it anew",
            );
        }
    }
    let defaults = |r: &Routine| r.args.iter().filter(|a| a.has_default).count();
    if defaults(new) < defaults(old) {
        return fail(
            "cannot remove parameter defaults from existing function".to_string(),
            "drop the function first, then create it anew",
        );
    }
    Ok(())
}

fn arguments(
    cx: &Ctx,
    cat: &Catalog,
    cf: &CreateFunction,
    span: Span,
) -> Result<Vec<RoutineArg>, Diagnostic> {
    let mut out: Vec<RoutineArg> = Vec::new();
    let mut seen_default = false;
    for a in cf.args.iter().flatten() {
        let at = a.name.as_ref().map_or(span, |n| n.span);
        let mode = match a.mode {
            None | Some(sqlparser::ast::ArgMode::In) => ArgMode::In,
            Some(sqlparser::ast::ArgMode::Out) => ArgMode::Out,
            Some(sqlparser::ast::ArgMode::InOut) => ArgMode::InOut,
            Some(sqlparser::ast::ArgMode::Variadic) => ArgMode::Variadic,
        };
        let ty = declared_type(cx, cat, &a.data_type, at)?;
        let bad = |message: String, help: &str| {
            Err(cx
                .error(Code::InvalidDefinition, message, at)
                .with_help(help.to_string()))
        };
        if let Declared::Type(t) = &ty {
            if t.is(Builtin::Void) || is_trigger(&a.data_type) {
                return bad(
                    format!("functions cannot take arguments of type {t}"),
                    "use a data type",
                );
            }
        }
        if out.iter().any(|x| x.mode == ArgMode::Variadic) && mode.is_input() {
            return bad(
                "VARIADIC parameter must be the last input parameter".to_string(),
                "move it to the end of the argument list",
            );
        }
        if mode == ArgMode::Variadic {
            let is_array = match &ty {
                Declared::Type(t) => t.array,
                Declared::Poly(p) => {
                    matches!(p, Tok::AnyArray | Tok::AnyCompatibleArray | Tok::Any)
                }
            };
            if !is_array {
                return bad(
                    "VARIADIC parameter must be an array".to_string(),
                    "declare it as an array type, e.g. `VARIADIC xs text[]`",
                );
            }
        }
        let has_default = a.default_expr.is_some();
        if has_default && !mode.is_input() {
            return bad(
                "only input parameters can have default values".to_string(),
                "remove the DEFAULT",
            );
        }
        if mode.is_input() && !has_default && seen_default {
            return bad(
                "input parameters after one with a default value must also have defaults"
                    .to_string(),
                "give it a default too, or move it before the defaulted ones",
            );
        }
        seen_default |= has_default && mode.is_input();
        let name = a.name.as_ref().map(ident_name);
        if let Some(n) = &name {
            // An input and an output-only argument may share a name; two inputs or two
            // outputs may not.
            let clash = out.iter().any(|x| {
                x.name.as_ref() == Some(n)
                    && ((x.mode.is_input() && mode.is_input())
                        || (x.mode.is_output() && mode.is_output()))
            });
            if clash {
                return bad(
                    format!("parameter name `{n}` used more than once"),
                    "rename one of them",
                );
            }
        }
        if let (Some(d), Declared::Type(t)) = (&a.default_expr, &ty) {
            check_default(cx, cat, d, t, at)?;
        }
        out.push(RoutineArg {
            name,
            mode,
            ty,
            has_default,
        });
    }
    Ok(out)
}

/// A DEFAULT must convert to its argument's type (PostgreSQL coerces it at creation): a
/// string literal is checked as a literal of the type, anything else is analysed as a value
/// and must convert by assignment.
fn check_default(cx: &Ctx, cat: &Catalog, expr: &Expr, ty: &SqlType, span: Span) -> Applied {
    if let Expr::Value(v) = expr {
        match &v.value {
            Value::Null => return Ok(()),
            Value::SingleQuotedString(text) => {
                return crate::analysis::literals::check_literal(cat, ty, text).map_err(|e| {
                    cx.error(Code::InvalidLiteral, e.message, span)
                        .with_help(e.help)
                })
            }
            _ => {}
        }
    }
    let file = crate::source::SourceFile::inline(&format!("SELECT {expr}"));
    let frag = Fragment {
        file: file.clone(),
        range: 0..file.text.len(),
    };
    let stmt = crate::statements::parse_statement(&frag)?;
    let a = crate::analysis::analyze_statement(cx.analysis(cat), &frag, &stmt);
    if let Some(d) = a.diagnostics.into_iter().find(Diagnostic::is_error) {
        let help = d.help.clone().unwrap_or_default();
        return Err(cx
            .error(d.code, format!("in the DEFAULT: {}", d.message), span)
            .with_help(help));
    }
    match a.columns.first() {
        Some(c) if !castable(cat, &c.ty, ty, CastContext::Assignment) => Err(cx
            .error(
                Code::TypeMismatch,
                format!("argument of type {ty} has a DEFAULT of type {}", c.ty),
                span,
            )
            .with_help(format!(
                "cast the default: `DEFAULT (…)::{}`",
                ty.with_modifiers()
            ))),
        _ => Ok(()),
    }
}

/// The result: `RETURNS type | SETOF type | TABLE (…) | trigger | void | record`, or what the
/// OUT arguments make it.
fn result(
    cx: &Ctx,
    cat: &Catalog,
    cf: &CreateFunction,
    kind: RoutineKind,
    args: &[RoutineArg],
    span: Span,
) -> Result<Returns, Diagnostic> {
    let outputs: Vec<&RoutineArg> = args.iter().filter(|a| a.mode.is_output()).collect();
    let bad = |message: String, help: &str| {
        Err(cx
            .error(Code::InvalidDefinition, message, span)
            .with_help(help.to_string()))
    };
    let out_columns = || -> Vec<(String, SqlType)> {
        outputs
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let ty = match &a.ty {
                    Declared::Type(t) => t.clone(),
                    Declared::Poly(_) => SqlType::builtin(Builtin::Record),
                };
                (
                    a.name.clone().unwrap_or_else(|| format!("column{}", i + 1)),
                    ty,
                )
            })
            .collect()
    };
    if kind == RoutineKind::Procedure {
        if cf.return_type.is_some() {
            return bad(
                "procedures cannot have a RETURNS clause".to_string(),
                "return values through INOUT or OUT arguments",
            );
        }
        return Ok(Returns::Void);
    }
    let from_outputs = |set: bool| match outputs.as_slice() {
        [] => None,
        [one] => Some(Returns::Value {
            ty: one.ty.clone(),
            set,
        }),
        _ => Some(Returns::Columns {
            columns: out_columns(),
            set,
        }),
    };
    let (dt, set) = match &cf.return_type {
        None => {
            return match from_outputs(false) {
                Some(r) => Ok(r),
                None => bad(
                    "function result type must be specified".to_string(),
                    "add RETURNS type (or RETURNS void)",
                ),
            }
        }
        Some(sqlparser::ast::FunctionReturnType::DataType(dt)) => (dt, false),
        Some(sqlparser::ast::FunctionReturnType::SetOf(dt)) => (dt, true),
    };
    if let DataType::Table(Some(cols)) = dt {
        if !outputs.is_empty() {
            return bad(
                "OUT and INOUT arguments are not allowed in TABLE functions".to_string(),
                "list the result columns in TABLE (…) only",
            );
        }
        let mut columns = Vec::new();
        for c in cols {
            let t = match declared_type(cx, cat, &c.data_type, c.name.span)? {
                Declared::Type(t) => t,
                Declared::Poly(_) => SqlType::builtin(Builtin::Record),
            };
            columns.push((ident_name(&c.name), t));
        }
        return Ok(Returns::Columns { columns, set: true });
    }
    if is_trigger(dt) {
        if set || !args.is_empty() {
            return bad(
                "trigger functions cannot have declared arguments or return a set".to_string(),
                "read trigger arguments through TG_ARGV",
            );
        }
        return Ok(Returns::Trigger);
    }
    let declared = declared_type(cx, cat, dt, span)?;
    if declared == Declared::Type(SqlType::builtin(Builtin::Void)) {
        if !outputs.is_empty() {
            return bad(
                "function result type must be record because of OUT parameters".to_string(),
                "drop the RETURNS clause, or RETURNS record",
            );
        }
        return Ok(if set {
            Returns::Value { ty: declared, set }
        } else {
            Returns::Void
        });
    }
    if declared == Declared::Type(SqlType::builtin(Builtin::Record)) {
        return Ok(from_outputs(set).unwrap_or(Returns::Record { set }));
    }
    match outputs.as_slice() {
        [] => {}
        [one] if one.ty == declared => {}
        [one] => {
            return bad(
                format!(
                    "function result type must be {} because of OUT parameters",
                    one.ty
                ),
                "make RETURNS name the OUT argument's type",
            )
        }
        _ => {
            return bad(
                "function result type must be record because of OUT parameters".to_string(),
                "write RETURNS record, or drop the RETURNS clause",
            )
        }
    }
    if let Declared::Poly(_) = declared {
        let polymorphic_input = args
            .iter()
            .any(|a| a.mode.is_input() && matches!(a.ty, Declared::Poly(_)));
        if !polymorphic_input {
            return bad("cannot determine result data type".to_string(), "a function returning a polymorphic type must have at least one polymorphic argument");
        }
    }
    Ok(Returns::Value { ty: declared, set })
}

/// The body of a `LANGUAGE sql` routine, analysed statement by statement against the
/// catalog with the arguments in scope, and its last statement checked against the result
/// type, as PostgreSQL's fmgr_sql_validator does when `check_function_bodies` is on (the
/// default). With polymorphic arguments PostgreSQL only parses the body, and so do we.
fn check_sql_body(
    cx: &Ctx,
    cat: &Catalog,
    cf: &CreateFunction,
    routine: &Routine,
    span: Span,
) -> Applied {
    let statements: Vec<(Fragment, Statement)> = match &cf.function_body {
        Some(
            CreateFunctionBody::AsBeforeOptions { body, .. }
            | CreateFunctionBody::AsAfterOptions(body),
        ) => body_statements(cx, body, span)?,
        Some(CreateFunctionBody::Return(expr)) => {
            let file = crate::source::SourceFile::inline(&format!("SELECT {expr}"));
            let frag = Fragment {
                file: file.clone(),
                range: 0..file.text.len(),
            };
            let stmt = crate::statements::parse_statement(&frag)?;
            vec![(frag, stmt)]
        }
        Some(CreateFunctionBody::BeginAtomic(b)) => b
            .statements
            .iter()
            .map(|s| (cx.frag.clone(), s.clone()))
            .collect(),
        Some(_) | None => {
            return Err(cx.unsupported(
                "this form of function body",
                span,
                "write the body as AS $$ … $$",
            ));
        }
    };
    if routine
        .args
        .iter()
        .any(|a| matches!(a.ty, Declared::Poly(_)))
    {
        return Ok(());
    }
    let scope = RoutineScope {
        name: routine.name.clone(),
        args: routine
            .passed_args()
            .map(|a| match &a.ty {
                Declared::Type(t) => (a.name.clone(), t.clone()),
                Declared::Poly(_) => unreachable!("polymorphic bodies are not analysed"),
            })
            .collect(),
    };
    let mut last: Option<(Vec<OutputColumn>, bool)> = None;
    for (frag, stmt) in &statements {
        let returns_rows = match stmt {
            Statement::Query(_) => true,
            Statement::Insert(i) => i.returning.is_some(),
            Statement::Update(u) => u.returning.is_some(),
            Statement::Delete(d) => d.returning.is_some(),
            // Utility statements are parsed, not analysed, at creation.
            _ => {
                last = Some((Vec::new(), false));
                continue;
            }
        };
        let analysis = analyze_routine_statement(cx.analysis(cat), frag, stmt, &scope);
        if let Some(d) = analysis.diagnostics.into_iter().find(Diagnostic::is_error) {
            return Err(d);
        }
        last = Some((analysis.columns, returns_rows));
    }
    check_result(cx, cat, routine, last, span)
}

/// The statements of a string body: in the migration itself when the body appears there
/// verbatim (dollar quoting), so errors point into the file; else in the string's value.
fn body_statements(
    cx: &Ctx,
    body: &Expr,
    span: Span,
) -> Result<Vec<(Fragment, Statement)>, Diagnostic> {
    let Expr::Value(v) = body else {
        return Err(cx.unsupported(
            "a function body that is not a string",
            span,
            "write the body as AS $$ … $$",
        ));
    };
    let text = match &v.value {
        Value::DollarQuotedString(d) => d.value.clone(),
        Value::SingleQuotedString(s) => s.clone(),
        _ => {
            return Err(cx.unsupported(
                "this kind of function body",
                span,
                "write the body as AS $$ … $$",
            ))
        }
    };
    let whole = cx.frag.range_of(v.span);
    let file_text = &cx.frag.file.text;
    let inner = file_text.get(whole.clone()).and_then(|w| {
        w.find(&text)
            .map(|at| whole.start + at..whole.start + at + text.len())
    });
    let (file, range) = match inner {
        Some(r) if file_text.get(r.clone()) == Some(text.as_str()) => (cx.frag.file.clone(), r),
        _ => {
            let file = crate::source::SourceFile::inline(&text);
            let len = file.text.len();
            (file, 0..len)
        }
    };
    let fragments = crate::statements::split_statements(&file, range)?;
    fragments
        .into_iter()
        .map(|f| crate::statements::parse_statement(&f).map(|s| (f, s)))
        .collect()
}

/// check_sql_fn_retval: the final statement yields what the routine declares.
fn check_result(
    cx: &Ctx,
    cat: &Catalog,
    routine: &Routine,
    last: Option<(Vec<OutputColumn>, bool)>,
    span: Span,
) -> Applied {
    let declared = routine.signature();
    let mismatch = |detail: String| {
        Err(cx
            .error(
                Code::TypeMismatch,
                format!("return type mismatch in function {declared}"),
                span,
            )
            .with_help(detail))
    };
    let expected: Vec<SqlType> = match &routine.returns {
        Returns::Void | Returns::Record { .. } | Returns::Trigger => return Ok(()),
        Returns::Value {
            ty: Declared::Type(t),
            ..
        } if t.is(Builtin::Void) => return Ok(()),
        Returns::Value {
            ty: Declared::Type(t),
            ..
        } => vec![t.clone()],
        Returns::Value {
            ty: Declared::Poly(_),
            ..
        } => return Ok(()),
        Returns::Columns { columns, .. } => columns.iter().map(|(_, t)| t.clone()).collect(),
    };
    let Some((columns, true)) = last else {
        return mismatch(
            "the final statement must be a SELECT or INSERT/UPDATE/DELETE RETURNING".to_string(),
        );
    };
    // A composite result may come as its fields, one column each.
    let fields = match expected.as_slice() {
        [t] if columns.len() != 1 => t
            .composite_name()
            .and_then(|n| cat.row_fields(n))
            .map(|f| f.into_iter().map(|(_, t)| t).collect()),
        _ => None,
    };
    let expected = fields.unwrap_or(expected);
    if columns.len() != expected.len() {
        return mismatch(format!(
            "the final statement must return exactly {} column(s), not {}",
            expected.len(),
            columns.len()
        ));
    }
    for (c, want) in columns.iter().zip(&expected) {
        if !castable(cat, &c.ty, want, CastContext::Assignment) {
            return mismatch(format!(
                "the final statement returns {} instead of {want} at column `{}`",
                c.ty, c.name
            ));
        }
    }
    Ok(())
}

/// `DROP FUNCTION | PROCEDURE name[(types)] [, …]`: without types the name must be unique.
/// The routine `desc` names (`f`, or `f(integer, text)`), of `kind`: `None` when it does
/// not exist and `if_exists` allows that. The errors PostgreSQL gives for a name that is
/// unknown, not unique, or of another kind.
pub(super) fn find_routine(
    cx: &Ctx,
    cat: &Catalog,
    desc: &FunctionDesc,
    kind: RoutineKind,
    if_exists: bool,
    // The statement's verb, for the help when the name is a routine of another kind (`None`
    // where only this kind will do).
    verb: Option<&str>,
) -> Result<Option<usize>, Diagnostic> {
    let (name, span) = name_span(cx, &desc.name)?;
    let noun = kind.noun();
    let matching: Vec<usize> = match &desc.args {
        None => cat
            .routines
            .slots()
            .filter(|(_, r)| r.name == name)
            .map(|(i, _)| i)
            .collect(),
        Some(args) => {
            let mut types = Vec::new();
            for a in args {
                // OUT arguments are not part of a function's signature.
                if matches!(a.mode, Some(sqlparser::ast::ArgMode::Out))
                    && kind == RoutineKind::Function
                {
                    continue;
                }
                types.push(match declared_type(cx, cat, &a.data_type, span)? {
                    Declared::Type(t) => Declared::Type(t.without_modifiers()),
                    p => p,
                });
            }
            cat.routines
                .slots()
                .filter(|(_, r)| r.name == name && signature_types(r) == types)
                .map(|(i, _)| i)
                .collect()
        }
    };
    let index = match matching.as_slice() {
        [] if if_exists => return Ok(None),
        [] => {
            let same_name: Vec<String> =
                cat.routines_named(&name).map(Routine::signature).collect();
            let help = if same_name.is_empty() {
                format!("name a {noun} this service's migrations create")
            } else {
                format!("the service has {}", same_name.join(", "))
            };
            return Err(cx
                .error(
                    Code::UnknownFunction,
                    format!("unknown {noun} `{name}`"),
                    span,
                )
                .with_help(help));
        }
        [one] => *one,
        _ => {
            return Err(cx
                .error(
                    Code::InvalidDefinition,
                    format!("{noun} name `{name}` is not unique"),
                    span,
                )
                .with_help("name its argument types, e.g. DROP FUNCTION f(integer)"))
        }
    };
    let routine = &cat.routines[index];
    if routine.kind != kind {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!(
                    "{} is not {} {noun}",
                    routine.signature(),
                    if noun.starts_with('a') { "an" } else { "a" }
                ),
                span,
            )
            .with_help(match verb {
                Some(verb) => format!("use {verb} {}", routine.kind.noun().to_uppercase()),
                None => format!("name a {noun}"),
            }));
    }
    Ok(Some(index))
}

/// `ALTER FUNCTION | PROCEDURE | AGGREGATE …`: `RENAME TO` and `SET SCHEMA` move the
/// routine (and the triggers that name it); owner, attributes (`SECURITY DEFINER`,
/// `SET search_path …`, volatility) and extension dependencies change nothing the catalog
/// holds, but the routine must exist.
pub fn alter_routine(cx: &Ctx, cat: &mut Catalog, af: &sqlparser::ast::AlterFunction) -> Applied {
    use sqlparser::ast::{AlterFunctionKind, AlterFunctionOperation as Op};
    let kind = match af.kind {
        AlterFunctionKind::Aggregate => RoutineKind::Aggregate,
        _ => RoutineKind::Function,
    };
    let Some(index) = find_routine(cx, cat, &af.function, kind, false, Some("ALTER"))? else {
        return Ok(());
    };
    let old = cat.routines[index].name.clone();
    let new = match &af.operation {
        Op::RenameTo { new_name } => {
            crate::catalog::names::qualify(crate::catalog::split_key(&old).0, ident_name(new_name))
        }
        Op::SetSchema { schema_name } => {
            let schema = schema_name.to_string().trim_matches('"').to_lowercase();
            if schema != "public" {
                cx.check_schema(
                    cat,
                    &format!("{schema}.x"),
                    sqlparser::ast::Spanned::span(schema_name),
                )?;
            }
            let bare = crate::catalog::split_key(&old).1.to_string();
            crate::catalog::names::qualify((schema != "public").then_some(schema.as_str()), bare)
        }
        _ => return Ok(()),
    };
    let mut moved: Routine = (*cat.routines[index]).clone();
    moved.name = new.clone();
    let clash = cat
        .routines
        .iter()
        .any(|r| r.name == new && signature_types(r) == signature_types(&moved));
    if clash {
        let (_, span) = name_span(cx, &af.function.name)?;
        return Err(cx
            .error(
                Code::DuplicateObject,
                format!("{} {} already exists", kind.noun(), moved.signature()),
                span,
            )
            .with_help("choose another name"));
    }
    let (was, now) = (
        CastMethod::Function(cat.routines[index].signature()),
        CastMethod::Function(moved.signature()),
    );
    for c in cat.casts.iter_mut().filter(|c| c.method == was) {
        c.method = now.clone();
    }
    cat.routines.remove(index);
    add_routine(cat, moved);
    cat.triggers.update(|t| {
        if t.function == old {
            t.function = new.clone();
        }
    });
    Ok(())
}

pub fn drop_routines(
    cx: &Ctx,
    cat: &mut Catalog,
    descs: &[FunctionDesc],
    kind: RoutineKind,
    if_exists: bool,
    cascade: bool,
) -> Applied {
    for desc in descs {
        let (name, span) = name_span(cx, &desc.name)?;
        let noun = kind.noun();
        let Some(index) = find_routine(cx, cat, desc, kind, if_exists, Some("DROP"))? else {
            continue;
        };
        let routine = &cat.routines[index];
        let signature = routine.signature();
        // Aggregates built on it, and casts converting with it.
        let by_function = CastMethod::Function(signature.clone());
        let users: Vec<String> = (cat.routines.iter())
            .filter(|r| r.uses.contains(&signature))
            .map(|r| format!("{} {}", r.kind.noun(), r.signature()))
            .chain(
                (cat.casts.iter())
                    .filter(|c| c.method == by_function)
                    .map(Cast::describe),
            )
            .collect();
        if !users.is_empty() {
            if !cascade {
                return Err(dependents_error(
                    cx,
                    &format!("{noun} `{signature}`"),
                    &users,
                    span,
                ));
            }
            cat.routines.retain(|r| !r.uses.contains(&signature));
            cat.casts.retain(|c| c.method != by_function);
        }
        let Some(index) = cat.routines.slot_where(|r| r.signature() == signature) else {
            continue;
        };
        let routine = &cat.routines[index];
        let is_trigger_function = routine.returns == Returns::Trigger;
        let triggers: Vec<String> = cat
            .triggers
            .iter()
            .filter(|t| is_trigger_function && t.function == name)
            .map(|t| format!("trigger `{}` on `{}`", t.name, t.table))
            .collect();
        if !triggers.is_empty() && !cascade {
            return Err(dependents_error(
                cx,
                &format!("{noun} `{}`", routine.signature()),
                &triggers,
                span,
            ));
        }
        if is_trigger_function {
            cat.triggers.retain(|t| t.function != name);
        }
        cat.routines.remove(index);
    }
    Ok(())
}

pub fn create_trigger(cx: &Ctx, cat: &mut Catalog, ct: &sqlparser::ast::CreateTrigger) -> Applied {
    let (name, span) = cx.object_name(&ct.name)?;
    let (table, _) = cx.table(cat, &ct.table_name)?;
    let table = table.name.clone();
    let Some(body) = &ct.exec_body else {
        return Err(cx.unsupported(
            "triggers without EXECUTE FUNCTION",
            span,
            "use EXECUTE FUNCTION name()",
        ));
    };
    let (function, fspan) = cx.object_name(&body.func_desc.name)?;
    // A trigger calls its function with no arguments (its own arguments are TG_ARGV).
    let routine = cat
        .routines_named(&function)
        .find(|r| r.kind == RoutineKind::Function && signature_types(r).is_empty());
    match routine {
        Some(r) if r.returns != Returns::Trigger => {
            return Err(cx
                .error(
                    Code::InvalidDefinition,
                    format!("function {} must return type trigger", r.signature()),
                    fspan,
                )
                .with_help("declare it RETURNS trigger"));
        }
        Some(_) => {}
        None if BUILTIN_TRIGGER_FUNCTIONS.contains(&function.as_str()) => {}
        None => {
            let names: Vec<&str> = cat
                .routines
                .iter()
                .filter(|r| r.returns == Returns::Trigger)
                .map(|r| r.name.as_str())
                .collect();
            return Err(cx.unknown(
                Code::UnknownFunction,
                "function",
                &format!("{function}()"),
                fspan,
                names,
                "create the trigger function (RETURNS trigger, no arguments) with CREATE FUNCTION in an earlier statement",
            ));
        }
    }
    let existing = cat
        .triggers
        .slot_where(|t| t.table == table && t.name == name);
    match existing {
        Some(i) if ct.or_replace => {
            cat.triggers.remove(i);
        }
        Some(_) => {
            return Err(cx.duplicate_in("trigger", &name, &format!("on table `{table}`"), span))
        }
        None => {}
    }
    cat.triggers.push(Trigger {
        name,
        table,
        function,
    });
    Ok(())
}
