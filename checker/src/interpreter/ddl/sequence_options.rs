//! Sequence options as PostgreSQL's `init_params` checks them when a sequence or an identity
//! column is created: the type, a non-zero increment, bounds within the type and in order, a
//! start between them, a positive cache.

use sqlparser::ast::{DataType, Expr, SequenceOptions, UnaryOperator, Value};
use sqlparser::tokenizer::Span;

use super::{Applied, Ctx};
use crate::catalog::types::Builtin;
use crate::diagnostic::{Code, Diagnostic};

/// The range of a sequence of type `ty` (smallint, integer or bigint).
fn range(ty: Builtin) -> (i128, i128) {
    match ty {
        Builtin::SmallInt => (i16::MIN.into(), i16::MAX.into()),
        Builtin::Integer => (i32::MIN.into(), i32::MAX.into()),
        _ => (i64::MIN.into(), i64::MAX.into()),
    }
}

/// An integer constant as written (`5`, `-5`); `None` for anything else, which is left to
/// PostgreSQL.
fn constant(e: &Expr) -> Option<i128> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => constant(expr).map(|n| -n),
        Expr::Nested(e) => constant(e),
        _ => None,
    }
}

/// Checks `options`; `ty` is the column's type for an identity column, `None` for
/// `CREATE SEQUENCE` (bigint unless `AS` says otherwise).
pub fn check(cx: &Ctx, options: &[SequenceOptions], ty: Option<Builtin>, span: Span) -> Applied {
    let error = |message: String, help: &str| -> Diagnostic {
        cx.error(Code::InvalidDefinition, message, span)
            .with_sqlstate("22023")
            .with_help(help.to_string())
    };
    let mut ty = ty.unwrap_or(Builtin::BigInt);
    let (mut increment, mut min, mut max, mut start, mut cache) = (Some(1), None, None, None, None);
    for o in options {
        match o {
            SequenceOptions::DataType(dt) => {
                ty = match dt {
                    DataType::SmallInt(None) | DataType::Int2(None) => Builtin::SmallInt,
                    DataType::Int(None) | DataType::Integer(None) | DataType::Int4(None) => {
                        Builtin::Integer
                    }
                    DataType::BigInt(None) | DataType::Int8(None) => Builtin::BigInt,
                    _ => {
                        return Err(error(
                            "sequence type must be smallint, integer, or bigint".to_string(),
                            "write AS smallint, AS integer or AS bigint",
                        ))
                    }
                }
            }
            SequenceOptions::IncrementBy(e, _) => increment = constant(e),
            SequenceOptions::MinValue(e) => min = e.as_ref().map(constant),
            SequenceOptions::MaxValue(e) => max = e.as_ref().map(constant),
            SequenceOptions::StartWith(e, _) => start = Some(constant(e)),
            SequenceOptions::Cache(e) => cache = constant(e),
            SequenceOptions::Cycle(_) | SequenceOptions::OwnedBy(_) => {}
        }
    }
    let name = ty.name();
    let Some(increment) = increment else {
        return Ok(());
    };
    if increment == 0 {
        return Err(error(
            "INCREMENT must not be zero".to_string(),
            "use a positive increment to count up, a negative one to count down",
        ));
    }
    let (lo, hi) = range(ty);
    // Unwritten bounds default by direction; a bound written as a non-constant is unknown.
    let max = match max {
        Some(Some(m)) => m,
        Some(None) => return Ok(()),
        None if increment > 0 => hi,
        None => -1,
    };
    let min = match min {
        Some(Some(m)) => m,
        Some(None) => return Ok(()),
        None if increment > 0 => 1,
        None => lo,
    };
    for (what, v) in [("MAXVALUE", max), ("MINVALUE", min)] {
        if v < lo || v > hi {
            return Err(error(
                format!("{what} ({v}) is out of range for sequence data type {name}"),
                "keep the bounds within the sequence's type, or give it a wider type with AS",
            ));
        }
    }
    if min >= max {
        return Err(error(
            format!("MINVALUE ({min}) must be less than MAXVALUE ({max})"),
            "swap the bounds, or widen them",
        ));
    }
    let start = match start {
        Some(Some(s)) => s,
        Some(None) => return Ok(()),
        None if increment > 0 => min,
        None => max,
    };
    if start < min {
        return Err(error(
            format!("START value ({start}) cannot be less than MINVALUE ({min})"),
            "start within the bounds",
        ));
    }
    if start > max {
        return Err(error(
            format!("START value ({start}) cannot be greater than MAXVALUE ({max})"),
            "start within the bounds",
        ));
    }
    if cache.is_some_and(|c| c < 1) {
        return Err(error(
            format!(
                "CACHE ({}) must be greater than zero",
                cache.unwrap_or_default()
            ),
            "cache at least 1 value",
        ));
    }
    Ok(())
}
