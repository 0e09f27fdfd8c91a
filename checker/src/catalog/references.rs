//! What a view query, a default or a check expression refers to, found with sqlparser's
//! visitor. Used for dependencies (DROP … CASCADE, DROP COLUMN, ALTER COLUMN TYPE) and to
//! check that the relations a statement reads exist.

use std::ops::ControlFlow;

use sqlparser::ast::{Expr, ObjectName, Query, SelectItem, Visit, Visitor};
use sqlparser::tokenizer::Span;

use super::ident_name;

#[derive(Debug, Default)]
pub struct References {
    /// Relations read, as (name, span), without CTE names.
    pub relations: Vec<(ObjectName, Span)>,
    /// Every identifier mentioned in an expression (the last part of qualified names).
    pub identifiers: Vec<String>,
    /// The query uses `*` or `t.*`.
    pub wildcard: bool,
}

#[derive(Default)]
struct Collector {
    ctes: Vec<String>,
    refs: References,
}

impl Visitor for Collector {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            self.ctes
                .extend(with.cte_tables.iter().map(|c| ident_name(&c.alias.name)));
        }
        if let sqlparser::ast::SetExpr::Select(select) = query.body.as_ref() {
            if select.projection.iter().any(|p| {
                matches!(
                    p,
                    SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
                )
            }) {
                self.refs.wildcard = true;
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
        use sqlparser::ast::Spanned;
        self.refs
            .relations
            .push((relation.clone(), relation.span()));
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        match expr {
            Expr::Identifier(i) => self.refs.identifiers.push(ident_name(i)),
            Expr::CompoundIdentifier(parts) => {
                if let Some(last) = parts.last() {
                    self.refs.identifiers.push(ident_name(last));
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

/// References of any AST node (a query, an expression, a statement).
pub fn collect<V: Visit>(node: &V) -> References {
    let mut c = Collector::default();
    let _ = node.visit(&mut c);
    let ctes = c.ctes;
    c.refs.relations.retain(|(name, _)| {
        !(name.0.len() == 1
            && name.0[0]
                .as_ident()
                .is_some_and(|i| ctes.contains(&ident_name(i))))
    });
    c.refs.identifiers.sort();
    c.refs.identifiers.dedup();
    c.refs
}
