//! Domains: `CREATE DOMAIN`, `ALTER DOMAIN` and `DROP DOMAIN` with PostgreSQL's errors
//! (`DefineDomain`, `AlterDomain*` in its typecmds.c). Statements arrive read by
//! [`crate::interpreter::domain_syntax`].

use sqlparser::ast::{Expr, Ident, ObjectName, Spanned};
use sqlparser::tokenizer::Span;

use super::table::{
    check_collation, check_default, resolve_type, resolve_value_type, stored_default,
};
use super::types::{drop_type, rename_type};
use super::{sqlstate, Applied, Ctx};
use crate::catalog::names::{choose_name, qualify};
use crate::catalog::types::BaseType;
use crate::catalog::{ident_name, references, split_key, Catalog, Domain, SqlType};
use crate::diagnostic::{Code, Diagnostic};
use crate::interpreter::domain_syntax::{Action, Clause, DomainStatement};

pub fn apply(cx: &Ctx, cat: &mut Catalog, stmt: DomainStatement) -> Applied {
    match stmt {
        DomainStatement::Create {
            name,
            data_type,
            type_span,
            clauses,
        } => create(cx, cat, &name, &data_type, type_span, clauses),
        DomainStatement::Alter {
            name,
            action,
            not_valid,
        } => alter(cx, cat, &name, *action, not_valid),
        DomainStatement::Drop {
            if_exists,
            names,
            cascade,
        } => {
            for n in &names {
                let (key, span) = cx.object_name(n)?;
                if cat.domain(&key).is_none() && cat.user_type(&key).is_some() {
                    return Err(not_a_domain(cx, &key, span));
                }
                if cat.domain(&key).is_none() && !if_exists {
                    return Err(unknown_domain(cx, cat, &key, span));
                }
                drop_type(cx, cat, &key, span, true, cascade)?;
            }
            Ok(())
        }
    }
}

fn create(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &ObjectName,
    data_type: &sqlparser::ast::DataType,
    type_span: Span,
    clauses: Vec<Clause>,
) -> Applied {
    let (key, span) = cx.object_name(name)?;
    cx.check_schema(cat, &key, span)?;
    if cat.type_taken(&key) {
        return Err(cx.duplicate("type", &key, span));
    }
    let base = resolve_value_type(cx, cat, data_type, type_span)?;
    if base.is(crate::catalog::types::Builtin::Record) {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("`{base}` is not a valid base type for a domain"),
                type_span,
            )
            .with_sqlstate("42804")
            .with_help("base a domain on a built-in, enum, composite or domain type"));
    }
    // A domain over a domain starts with its base domain's default (DefineDomain copies
    // typdefault); its NOT NULL and checks stay the base domain's own.
    let inherited = base
        .domain_name()
        .filter(|_| !base.array)
        .and_then(|d| cat.domain(d)?.default.clone());
    let mut domain = Domain {
        name: key.clone(),
        service: cat.service.clone(),
        base,
        default: inherited,
        not_null: false,
        checks: Vec::new(),
    };
    let (mut nullness, mut collated, mut defaulted) = (None::<bool>, false, false);
    for clause in clauses {
        match clause {
            Clause::Collate(c) => {
                if collated {
                    return Err(cx
                        .error(
                            Code::InvalidDefinition,
                            "multiple COLLATE clauses",
                            c.span(),
                        )
                        .with_sqlstate("42601")
                        .with_help("keep one COLLATE"));
                }
                check_collation(cx, cat, &domain.base, &c)?;
                collated = true;
            }
            Clause::Default(e) => {
                if defaulted {
                    return Err(cx
                        .error(
                            Code::InvalidDefinition,
                            "multiple default expressions",
                            e.span(),
                        )
                        .with_sqlstate("42601")
                        .with_help("keep one DEFAULT"));
                }
                check_default(cx, cat, &e)?;
                domain.default = default_text(cx, cat, &e, &domain.base);
                defaulted = true;
            }
            Clause::NotNull(s) | Clause::Null(s) => {
                let not_null = matches!(clause, Clause::NotNull(_));
                if nullness.is_some_and(|n| n != not_null) {
                    return Err(cx
                        .error(
                            Code::InvalidDefinition,
                            "conflicting NULL/NOT NULL constraints",
                            s,
                        )
                        .with_sqlstate("42601")
                        .with_help("say NOT NULL or NULL, not both"));
                }
                nullness = Some(not_null);
                domain.not_null = not_null;
            }
            Clause::Check { name, expr, span } => {
                add_check(cx, cat, &mut domain, name, &expr, span)?
            }
            Clause::Refused { what, span } => return Err(refused(cx, &what, span)),
        }
    }
    cat.domains.push(domain);
    Ok(())
}

/// The default PostgreSQL stores (`typdefault`): none for a NULL constant, as for columns
/// (see [`stored_default`]).
fn default_text(cx: &Ctx, cat: &Catalog, e: &Expr, base: &SqlType) -> Option<String> {
    stored_default(e, base, &|dt| {
        resolve_type(cx, cat, dt, e.span()).ok().map(|(t, _)| t)
    })
}

fn refused(cx: &Ctx, what: &str, span: Span) -> Diagnostic {
    cx.error(
        Code::InvalidDefinition,
        format!("{what} constraints not possible for domains"),
        span,
    )
    .with_sqlstate("42P16")
    .with_help("put the constraint on the table's column instead")
}

/// A CHECK on the domain's `VALUE`: no other column, no subquery (PostgreSQL's
/// `domainAddConstraint`), named `{domain}_check` unless named.
fn add_check(
    cx: &Ctx,
    cat: &Catalog,
    domain: &mut Domain,
    name: Option<Ident>,
    expr: &Expr,
    span: Span,
) -> Applied {
    let refs = references::collect(expr);
    if let Some(other) = refs.identifiers.iter().find(|i| *i != "value") {
        return Err(cx
            .error(
                Code::UnknownColumn,
                format!("column `{other}` does not exist"),
                expr.span(),
            )
            .with_sqlstate(sqlstate::UNDEFINED_COLUMN)
            .with_help("a domain's CHECK can refer only to VALUE, the value being checked"));
    }
    if !refs.relations.is_empty() || has_subquery(expr) {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                "cannot use subquery in check constraint",
                expr.span(),
            )
            .with_sqlstate("0A000")
            .with_help("check the value with operators and functions only"));
    }
    let cname = match name {
        Some(n) => {
            let n = ident_name(&n);
            if domain.checks.iter().any(|(c, _)| *c == n) {
                return Err(cx.duplicate_in(
                    "constraint",
                    &n,
                    &format!("for domain `{}`", domain.name),
                    span,
                ));
            }
            n
        }
        None => {
            let taken = |n: &str| {
                cat.constraint_name_taken(split_key(n).1)
                    || domain.checks.iter().any(|(c, _)| c == split_key(n).1)
            };
            split_key(&choose_name(&domain.name, None, "check", &taken))
                .1
                .to_string()
        }
    };
    domain.checks.push((cname, expr.to_string()));
    Ok(())
}

fn has_subquery(expr: &Expr) -> bool {
    let mut found = false;
    let _ = sqlparser::ast::visit_expressions(expr, |e| {
        if matches!(
            e,
            Expr::Subquery(_)
                | Expr::Exists { .. }
                | Expr::In {
                    target: sqlparser::ast::InTarget::Subquery(_),
                    ..
                }
        ) {
            found = true;
            return std::ops::ControlFlow::Break(());
        }
        std::ops::ControlFlow::Continue(())
    });
    found
}

fn not_a_domain(cx: &Ctx, key: &str, span: Span) -> Diagnostic {
    cx.error(
        Code::InvalidDefinition,
        format!("`{key}` is not a domain"),
        span,
    )
    .with_sqlstate("42809")
    .with_help("name a domain here; other types are changed with ALTER TYPE / DROP TYPE")
}

fn unknown_domain(cx: &Ctx, cat: &Catalog, key: &str, span: Span) -> Diagnostic {
    cx.unknown(
        Code::UnknownType,
        "type",
        key,
        span,
        cat.domains.iter().map(|d| d.name.as_str()),
        "create the domain with CREATE DOMAIN in an earlier statement",
    )
}

fn alter(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &ObjectName,
    action: Action,
    not_valid: bool,
) -> Applied {
    let (key, span) = cx.object_name(name)?;
    let Some(mut domain) = cat.domain(&key).cloned() else {
        return Err(match cat.user_type(&key) {
            Some(_) => not_a_domain(cx, &key, span),
            None => unknown_domain(cx, cat, &key, span),
        });
    };
    let unknown_constraint = |c: &Ident| {
        cx.error(
            Code::UnknownConstraint,
            format!(
                "constraint `{}` of domain `{key}` does not exist",
                ident_name(c)
            ),
            c.span,
        )
        .with_sqlstate(sqlstate::UNDEFINED_OBJECT)
        .with_help(crate::suggest::did_you_mean(
            &ident_name(c),
            domain.checks.iter().map(|(n, _)| n.as_str()),
            || "the domain has no constraint of that name at this point".to_string(),
        ))
    };
    let position = |c: &Ident| domain.checks.iter().position(|(n, _)| *n == ident_name(c));
    // Checking stored values: PostgreSQL cannot look inside arrays of the domain.
    let validates = match &action {
        Action::SetNotNull | Action::AddConstraint(Clause::NotNull(_)) => !domain.not_null,
        Action::AddConstraint(Clause::Check { .. }) => !not_valid,
        Action::ValidateConstraint(_) => true,
        _ => false,
    };
    if let (true, Some((t, c))) = (validates, array_use(cat, &key)) {
        return Err(cx
            .error(
                Code::DependentObjects,
                format!("cannot alter type `{key}` because column `{t}.{c}` uses it"),
                span,
            )
            .with_sqlstate("0A000")
            .with_help("PostgreSQL cannot check values inside arrays of the domain: change that column first, or add the constraint NOT VALID"));
    }
    match action {
        Action::SetDefault(e) => {
            check_default(cx, cat, &e)?;
            domain.default = default_text(cx, cat, &e, &domain.base);
        }
        Action::DropDefault => domain.default = None,
        Action::SetNotNull => domain.not_null = true,
        Action::DropNotNull => domain.not_null = false,
        Action::AddConstraint(Clause::NotNull(_)) => domain.not_null = true,
        Action::AddConstraint(Clause::Check { name, expr, span }) => {
            add_check(cx, cat, &mut domain, name, &expr, span)?
        }
        Action::AddConstraint(Clause::Refused { what, span }) => {
            return Err(refused(cx, &what, span))
        }
        Action::AddConstraint(Clause::Null(s)) => {
            return Err(cx
                .error(
                    Code::InvalidDefinition,
                    "a NULL constraint cannot be added to a domain",
                    s,
                )
                .with_sqlstate("42601")
                .with_help("use ALTER DOMAIN … DROP NOT NULL"))
        }
        Action::AddConstraint(other) => {
            let span = match &other {
                Clause::Collate(c) => c.span(),
                Clause::Default(e) => e.span(),
                _ => span,
            };
            return Err(cx
                .error(
                    Code::SyntaxError,
                    "ALTER DOMAIN … ADD takes a CHECK or NOT NULL constraint",
                    span,
                )
                .with_sqlstate("42601")
                .with_help("change the default with ALTER DOMAIN … SET DEFAULT"));
        }
        Action::DropConstraint { name, if_exists } => match position(&name) {
            Some(i) => {
                domain.checks.remove(i);
            }
            None if if_exists => {}
            None => return Err(unknown_constraint(&name)),
        },
        Action::RenameConstraint { from, to } => {
            let Some(i) = position(&from) else {
                return Err(unknown_constraint(&from));
            };
            let new = ident_name(&to);
            if domain.checks.iter().any(|(n, _)| *n == new) {
                return Err(cx.duplicate_in(
                    "constraint",
                    &new,
                    &format!("for domain `{key}`"),
                    to.span,
                ));
            }
            domain.checks[i].0 = new;
        }
        Action::ValidateConstraint(c) => {
            if position(&c).is_none() {
                return Err(unknown_constraint(&c));
            }
        }
        Action::Owner => {}
        Action::Rename(to) => {
            let new = qualify(split_key(&key).0, ident_name(&to));
            return rename(cx, cat, &key, new, to.span);
        }
        Action::SetSchema(schema) => {
            let s = ident_name(&schema);
            let new = qualify(
                (s != "public").then_some(s.as_str()),
                split_key(&key).1.to_string(),
            );
            cx.check_schema(cat, &new, schema.span)?;
            return rename(cx, cat, &key, new, schema.span);
        }
    }
    if let Some(mut slot) = cat.domains.find_mut(|d| d.name == key) {
        *slot = domain;
    }
    Ok(())
}

/// A table column that is an array of the domain (or of a domain over it).
fn array_use(cat: &Catalog, domain: &str) -> Option<(String, String)> {
    let contains = |t: &SqlType| {
        let mut base = &t.base;
        while let BaseType::Domain { name, base: inner } = base {
            if name == domain {
                return true;
            }
            base = &inner.base;
        }
        false
    };
    cat.tables.iter().find_map(|t| {
        t.columns
            .iter()
            .find(|c| c.ty.array && contains(&c.ty))
            .map(|c| (t.name.clone(), c.name.clone()))
    })
}

fn rename(cx: &Ctx, cat: &mut Catalog, from: &str, to: String, span: Span) -> Applied {
    if cat.type_taken(&to) {
        return Err(cx.duplicate("type", &to, span));
    }
    rename_type(cat, from, &to);
    Ok(())
}
