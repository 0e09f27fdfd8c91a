//! The one overload-resolution routine, PostgreSQL's `func_select_candidate`, shared by
//! functions and operators (PostgreSQL resolves both from catalog rows with the same rules):
//! count exact matches, then preferred-type casts, then decide untyped arguments by category.

use super::cast::castable;
use super::ops::{array_of, common_type, element_of, implicit_castable, plain};
use super::{Origin, Typed};
use crate::builtins::functions::FunctionDef;
use crate::builtins::operators::OperatorDef;
use crate::builtins::tokens::{Nulls, Tok};
use crate::catalog::types::{Builtin, TypCategory};
use crate::catalog::{CastContext, Catalog, Declared, SqlType};

/// A candidate overload resolution can choose: a built-in function or operator row, or a
/// routine the migrations created. Argument and result types are declared types.
pub(crate) trait Overload {
    /// The number of arguments it takes (the variadic one counted once).
    fn arity(&self) -> usize;
    fn arg(&self, i: usize) -> Declared;
    /// The last argument repeats.
    fn variadic(&self) -> bool;
    fn ret(&self) -> Declared;
}

/// The declared form of a built-in row's token.
pub(crate) fn declared(token: Tok) -> Declared {
    match concrete(token) {
        Some(t) => Declared::Type(t),
        None => Declared::Poly(token),
    }
}

impl Overload for FunctionDef {
    fn arity(&self) -> usize {
        self.args.len()
    }
    fn arg(&self, i: usize) -> Declared {
        declared(self.args[i])
    }
    fn variadic(&self) -> bool {
        self.variadic
    }
    fn ret(&self) -> Declared {
        declared(self.ret)
    }
}

impl Overload for OperatorDef {
    fn arity(&self) -> usize {
        self.args.len()
    }
    fn arg(&self, i: usize) -> Declared {
        declared(self.args[i])
    }
    fn variadic(&self) -> bool {
        false
    }
    fn ret(&self) -> Declared {
        declared(self.ret)
    }
}

/// The type a concrete token stands for.
pub(crate) fn concrete(token: Tok) -> Option<SqlType> {
    match token {
        Tok::T(b) => Some(SqlType::builtin(b)),
        Tok::Arr(b) => Some(array_of(&SqlType::builtin(b))),
        _ => None,
    }
}

/// Polymorphic bindings of one candidate.
#[derive(Default, Clone)]
pub(crate) struct Binding {
    pub element: Option<SqlType>,
    pub compatible: Option<SqlType>,
}

impl Binding {
    /// The type a declared type stands for under this binding (`None`: not decided, or
    /// `any`).
    pub fn resolve(&self, declared: &Declared) -> Option<SqlType> {
        match declared {
            Declared::Type(t) => Some(t.clone()),
            Declared::Poly(Tok::AnyElement | Tok::AnyNonArray | Tok::AnyEnum) => {
                self.element.clone()
            }
            Declared::Poly(Tok::AnyArray) => self.element.as_ref().map(array_of),
            Declared::Poly(Tok::AnyCompatible) => self.compatible.clone(),
            Declared::Poly(Tok::AnyCompatibleArray) => self.compatible.as_ref().map(array_of),
            Declared::Poly(t @ (Tok::AnyRange | Tok::AnyMultirange)) => {
                let over = if *t == Tok::AnyRange {
                    Builtin::range_over
                } else {
                    Builtin::multirange_over
                };
                let element = self.element.as_ref()?.as_builtin()?;
                over(element).map(SqlType::builtin)
            }
            Declared::Poly(t) => concrete(*t),
        }
    }
}

/// Why no candidate was chosen.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// No candidate takes these argument types.
    NoMatch,
    /// Several remain and the rules cannot choose.
    NotUnique,
}

enum ArgMatch {
    Exact,
    Cast { preferred: bool },
    Unknown,
}

/// The type a candidate declares at argument `i` (a variadic last argument repeats).
pub(crate) fn arg_decl(def: &(impl Overload + ?Sized), i: usize) -> Declared {
    if def.variadic() && i >= def.arity() {
        def.arg(def.arity() - 1)
    } else {
        def.arg(i)
    }
}

fn preferred(t: &SqlType) -> bool {
    t.as_builtin().is_some_and(Builtin::preferred)
}

fn match_arg(
    cat: &Catalog,
    declared: &Declared,
    arg: &Typed,
    binding: &mut Binding,
) -> Option<ArgMatch> {
    let Some(t) = &arg.ty else {
        return Some(ArgMatch::Unknown);
    };
    let t = plain(t);
    let token = match declared {
        Declared::Poly(token) => *token,
        Declared::Type(want) => {
            let want = plain(want);
            // func_select_candidate reduces domains to their base types first: a function
            // of the base type is an exact match for a domain.
            return if want == t || plain(t.base_type()) == want {
                Some(ArgMatch::Exact)
            } else if castable(cat, &t, &want, CastContext::Implicit) {
                Some(ArgMatch::Cast {
                    preferred: preferred(&want),
                })
            } else {
                None
            };
        }
    };
    match token {
        Tok::Any => Some(ArgMatch::Exact),
        Tok::AnyElement | Tok::AnyNonArray | Tok::AnyEnum | Tok::AnyArray => {
            let elem = if token == Tok::AnyArray {
                element_of(&t)?
            } else {
                t.clone()
            };
            if token == Tok::AnyNonArray && t.is_array() {
                return None;
            }
            // A domain over an enum is no `anyenum` (can_coerce_type takes only enums).
            if token == Tok::AnyEnum
                && (t.array || !matches!(t.base, crate::catalog::types::BaseType::Enum(_)))
            {
                return None;
            }
            match &binding.element {
                Some(e) if *e != elem => None,
                _ => {
                    binding.element = Some(elem);
                    Some(ArgMatch::Exact)
                }
            }
        }
        Tok::AnyCompatible | Tok::AnyCompatibleArray => {
            let elem = if token == Tok::AnyCompatibleArray {
                element_of(&t)?
            } else {
                t.clone()
            };
            binding.compatible = Some(match &binding.compatible {
                Some(c) => common_type(c, &elem)?,
                None => elem,
            });
            Some(ArgMatch::Exact)
        }
        Tok::AnyRange | Tok::AnyMultirange => {
            let b = t.as_builtin()?;
            let sub = if token == Tok::AnyRange {
                b.range_subtype()?
            } else {
                b.multirange_subtype()?
            };
            let elem = SqlType::builtin(sub);
            match &binding.element {
                Some(e) if *e != elem => None,
                _ => {
                    binding.element = Some(elem);
                    Some(ArgMatch::Exact)
                }
            }
        }
        // Concrete tokens arrive as `Declared::Type`.
        Tok::T(_) | Tok::Arr(_) => None,
    }
}

struct Candidate<'a, D: ?Sized> {
    exact: usize,
    preferred_casts: usize,
    def: &'a D,
    binding: Binding,
}

impl<D: ?Sized> Clone for Candidate<'_, D> {
    fn clone(&self) -> Self {
        Candidate {
            exact: self.exact,
            preferred_casts: self.preferred_casts,
            def: self.def,
            binding: self.binding.clone(),
        }
    }
}

impl<D: Overload + ?Sized> Candidate<'_, D> {
    fn type_at(&self, i: usize) -> Option<SqlType> {
        self.binding.resolve(&arg_decl(self.def, i))
    }

    fn ret(&self) -> Option<SqlType> {
        self.binding.resolve(&self.def.ret())
    }

    /// Whether two candidates give every untyped argument, and the result, one type.
    fn agrees(&self, other: &Self, unknown_positions: &[usize]) -> bool {
        unknown_positions
            .iter()
            .all(|&i| self.type_at(i) == other.type_at(i))
            && self.ret() == other.ret()
    }
}

/// Scores one candidate against the arguments; `None` when it cannot take them.
fn score<'a, D: Overload + ?Sized>(
    cat: &Catalog,
    def: &'a D,
    args: &[Typed],
) -> Option<Candidate<'a, D>> {
    let arity_ok = if def.variadic() {
        args.len() >= def.arity()
    } else {
        args.len() == def.arity()
    };
    if !arity_ok {
        return None;
    }
    let mut c = Candidate {
        exact: 0,
        preferred_casts: 0,
        def,
        binding: Binding::default(),
    };
    for (i, a) in args.iter().enumerate() {
        match match_arg(cat, &arg_decl(def, i), a, &mut c.binding)? {
            ArgMatch::Exact => c.exact += 1,
            ArgMatch::Cast { preferred } => c.preferred_casts += preferred as usize,
            ArgMatch::Unknown => {}
        }
    }
    // An array type has no array type of its own: `anycompatible` bound to `text[]` cannot
    // make the `anycompatiblearray` of the same row.
    let mut declared = (0..def.arity()).map(|i| def.arg(i)).chain([def.ret()]);
    if c.binding.compatible.as_ref().is_some_and(|t| t.array)
        && declared.any(|d| d == Declared::Poly(Tok::AnyCompatibleArray))
    {
        return None;
    }
    Some(c)
}

/// Chooses the candidate PostgreSQL would for `args`, with the casts of `cat` (its user
/// casts add candidates, as pg_cast's rows do).
pub(crate) fn select<'a, D: Overload + ?Sized>(
    cat: &Catalog,
    candidates: &[&'a D],
    args: &[Typed],
) -> Result<(&'a D, Binding), Failure> {
    // Exact matches first, then preferred-type casts.
    let mut scored: Vec<Candidate<'a, D>> = candidates
        .iter()
        .filter_map(|d| score(cat, *d, args))
        .collect();
    let best_exact = scored
        .iter()
        .map(|s| s.exact)
        .max()
        .ok_or(Failure::NoMatch)?;
    scored.retain(|s| s.exact == best_exact);
    let best_pref = scored.iter().map(|s| s.preferred_casts).max().unwrap_or(0);
    scored.retain(|s| s.preferred_casts == best_pref);
    if scored.len() > 1 {
        let unknown_positions: Vec<usize> = args
            .iter()
            .enumerate()
            .filter(|(_, a)| a.ty.is_none())
            .map(|(i, _)| i)
            .collect();
        // Candidates that agree on every untyped argument's type are one answer.
        if !scored
            .iter()
            .all(|s| s.agrees(&scored[0], &unknown_positions))
        {
            by_unknown_categories(&mut scored, &unknown_positions);
            if scored.len() > 1 {
                same_type_for_unknowns(&mut scored, args, &unknown_positions);
            }
        }
        if !scored
            .iter()
            .all(|s| s.agrees(&scored[0], &unknown_positions))
        {
            return Err(Failure::NotUnique);
        }
    }
    let c = scored.swap_remove(0);
    Ok((c.def, c.binding))
}

/// The category a candidate declares at a position: a polymorphic token is a pseudo-type.
fn declared_category(def: &(impl Overload + ?Sized), i: usize) -> (TypCategory, bool) {
    match arg_decl(def, i) {
        Declared::Type(t) => (t.typcategory(), preferred(&t)),
        Declared::Poly(_) => (TypCategory::Pseudo, false),
    }
}

/// func_select_candidate's rule for untyped arguments: at each such position, the string
/// category if any candidate declares it, else the one category all candidates declare
/// (a conflict leaves the candidates as they are); then, within it, the preferred type if
/// any candidate declares it.
fn by_unknown_categories<D: Overload + ?Sized>(
    scored: &mut Vec<Candidate<'_, D>>,
    unknown_positions: &[usize],
) {
    let mut slots = Vec::new();
    for &i in unknown_positions {
        let mut slot: Option<(TypCategory, bool)> = None;
        let mut conflict = false;
        for s in scored.iter() {
            let (cat, pref) = declared_category(s.def, i);
            slot = Some(match slot {
                None => (cat, pref),
                Some((c, p)) if c == cat => (c, p || pref),
                Some(_) if cat == TypCategory::String => (cat, pref),
                Some(other) => {
                    conflict = true;
                    other
                }
            });
        }
        match slot {
            Some((cat, pref)) if !conflict || cat == TypCategory::String => {
                slots.push((i, cat, pref))
            }
            _ => return,
        }
    }
    let kept: Vec<Candidate<'_, D>> = scored
        .iter()
        .filter(|s| {
            slots.iter().all(|&(i, cat, pref)| {
                let (c, p) = declared_category(s.def, i);
                c == cat && (p || !pref)
            })
        })
        .cloned()
        .collect();
    if !kept.is_empty() {
        *scored = kept;
    }
}

/// PostgreSQL's last rule: when every typed argument has the same type, assume the untyped
/// ones have it too, and take the one candidate that accepts that.
fn same_type_for_unknowns<D: Overload + ?Sized>(
    scored: &mut Vec<Candidate<'_, D>>,
    args: &[Typed],
    unknown_positions: &[usize],
) {
    let known: Vec<SqlType> = args
        .iter()
        .filter_map(|a| a.ty.as_ref().map(plain))
        .collect();
    if known.is_empty() || !known.iter().all(|k| *k == known[0]) {
        return;
    }
    let accepts = |s: &Candidate<'_, D>| {
        unknown_positions.iter().all(|&i| {
            s.type_at(i)
                .is_some_and(|t| t == known[0] || implicit_castable(&known[0], &t))
        })
    };
    if scored.iter().filter(|s| accepts(s)).count() == 1 {
        scored.retain(accepts);
    }
}

/// What an untyped argument becomes under the chosen row, or why it cannot be decided.
pub(crate) enum ArgType {
    /// Already typed, or `any` with a value that needs no type.
    Keep,
    Coerce(SqlType),
    /// A parameter passed to `any`: PostgreSQL cannot type it.
    UntypedParam,
    /// A polymorphic argument with nothing to bind it.
    Undetermined,
}

/// Decides each untyped argument's type from the chosen row, binding polymorphic tokens
/// as it goes, as PostgreSQL's enforce_generic_type_consistency does.
pub(crate) fn argument_types(
    def: &(impl Overload + ?Sized),
    binding: &mut Binding,
    args: &[Typed],
) -> Vec<ArgType> {
    // `anycompatible` arguments that are all untyped resolve as text (`array_append($1,
    // $2)`: text[], text); all-untyped `anyelement` arguments stay an error there ("could
    // not determine polymorphic type because input has type unknown").
    let has_compatible = (0..def.arity()).any(|i| {
        matches!(
            def.arg(i),
            Declared::Poly(Tok::AnyCompatible | Tok::AnyCompatibleArray)
        )
    });
    if binding.compatible.is_none() && has_compatible {
        binding.compatible = Some(SqlType::builtin(Builtin::Text));
    }
    let mut out = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        let declared = arg_decl(def, i);
        let token = match &declared {
            Declared::Poly(t) => Some(*t),
            Declared::Type(_) => None,
        };
        if a.ty.is_some() {
            out.push(ArgType::Keep);
            continue;
        }
        // An untyped literal for `any` with nothing else to go by resolves as text.
        let target = binding
            .resolve(&declared)
            .or_else(|| match (&a.origin, token) {
                (Origin::Literal(_) | Origin::Null, Some(Tok::Any)) => {
                    Some(SqlType::builtin(Builtin::Text))
                }
                _ => None,
            });
        out.push(match target {
            Some(t) => {
                if matches!(token, Some(Tok::AnyElement | Tok::AnyNonArray))
                    && binding.element.is_none()
                {
                    binding.element = Some(t.clone());
                }
                if token == Some(Tok::AnyCompatible) && binding.compatible.is_none() {
                    binding.compatible = Some(t.clone());
                }
                ArgType::Coerce(t)
            }
            None if token == Some(Tok::Any) && matches!(a.origin, Origin::Param(_)) => {
                ArgType::UntypedParam
            }
            None if token == Some(Tok::Any) => ArgType::Keep,
            None => ArgType::Undetermined,
        });
    }
    out
}

/// Whether the result can be NULL, from the row's NULL behaviour and the arguments'.
pub(crate) fn result_nullable(nulls: Nulls, args: &[Typed]) -> bool {
    match nulls {
        Nulls::Never => false,
        Nulls::Always => true,
        Nulls::Strict => args.iter().any(|a| a.nullable),
    }
}
