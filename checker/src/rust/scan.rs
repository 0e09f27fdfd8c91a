//! What a Rust file runs as SQL, read with syn: every call of the checked macros (however
//! they are named: a path, a `use … as` rename) and every place SQL runs through sqlx
//! without being checked.

use std::collections::BTreeMap;
use std::ops::Range;

use proc_macro2::TokenStream;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Expr, Token};

use crate::verdict::Form;

/// A call of `checked_query!`, `checked_query_as!` or `checked_query_scalar!`.
pub struct MacroCall {
    pub form: Form,
    /// The tokens between the delimiters.
    pub tokens: TokenStream,
    /// The whole invocation, in bytes of the file.
    pub range: Range<usize>,
}

/// SQL that runs without being checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    pub range: Range<usize>,
    /// What runs it: `sqlx::query`, `QueryBuilder`, `.execute`.
    pub via: String,
    /// How the SQL is built, when the syntax shows it: `format!` or `+`.
    pub built: Option<&'static str>,
}

/// A `mod name;` declaration: a file of the crate's module tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModDecl {
    pub name: String,
    /// Its `#[path = "…"]`, if any.
    pub path: Option<String>,
    /// The inline modules (`mod a { mod b { mod name; } }`) it is declared in.
    pub within: Vec<String>,
}

#[derive(Default)]
pub struct Scanned {
    pub calls: Vec<MacroCall>,
    pub unchecked: Vec<Unchecked>,
    pub modules: Vec<ModDecl>,
}

/// sqlx's functions that take SQL text and run it unchecked.
const SQLX_FUNCTIONS: &[&str] = &[
    "query",
    "query_as",
    "query_scalar",
    "query_with",
    "query_as_with",
    "query_scalar_with",
    "raw_sql",
];

/// `Executor` methods: given SQL text (not a query), they run it unchecked.
const EXECUTOR_METHODS: &[&str] = &[
    "execute",
    "execute_many",
    "fetch",
    "fetch_all",
    "fetch_many",
    "fetch_one",
    "fetch_optional",
    "prepare",
];

/// Reads `text` as a Rust file. Spans are bytes of `text`.
pub fn scan(text: &str) -> syn::Result<Scanned> {
    // syn parses, visits and drops recursively, one level per nesting level.
    crate::stack::for_statement(text.len(), || scan_on_this_stack(text))
}

fn scan_on_this_stack(text: &str) -> syn::Result<Scanned> {
    let file = syn::parse_file(text)?;
    let mut names = Names::default();
    names.visit_file(&file);
    let mut finder = Finder {
        names: &names,
        out: Scanned::default(),
        within: Vec::new(),
    };
    finder.visit_file(&file);
    Ok(finder.out)
}

/// The names the file gives our macros and sqlx's functions by `use`.
#[derive(Default)]
struct Names {
    macros: BTreeMap<String, Form>,
    sqlx: BTreeMap<String, String>,
}

impl<'ast> Visit<'ast> for Names {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut prefix = Vec::new();
        self.tree(&u.tree, &mut prefix);
    }
}

impl Names {
    fn tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        let mut add = |prefix: &[String], name: String, alias: String| {
            if let Some(form) = Form::from_macro_name(&name) {
                self.macros.insert(alias.clone(), form);
            }
            if prefix.first().is_some_and(|p| p == "sqlx")
                && SQLX_FUNCTIONS.contains(&name.as_str())
            {
                self.sqlx.insert(alias, format!("sqlx::{name}"));
            }
        };
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.tree(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => add(prefix, n.ident.to_string(), n.ident.to_string()),
            syn::UseTree::Rename(r) => add(prefix, r.ident.to_string(), r.rename.to_string()),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.tree(t, prefix);
                }
            }
            syn::UseTree::Glob(_) => {
                if prefix.first().is_some_and(|p| p == "sqlx") {
                    for f in SQLX_FUNCTIONS {
                        self.sqlx.insert(f.to_string(), format!("sqlx::{f}"));
                    }
                }
                if prefix.last().is_some_and(|p| p == "checked_query") {
                    for form in [Form::Record, Form::As, Form::Scalar] {
                        self.macros.insert(form.macro_name().to_string(), form);
                    }
                }
            }
        }
    }
}

struct Finder<'n> {
    names: &'n Names,
    out: Scanned,
    /// The inline modules being visited.
    within: Vec<String>,
}

fn range(s: proc_macro2::Span) -> Range<usize> {
    s.byte_range()
}

impl Finder<'_> {
    fn form(&self, path: &syn::Path) -> Option<Form> {
        let last = path.segments.last()?.ident.to_string();
        if path.segments.len() == 1 {
            // A bare name: ours if imported (or renamed) as ours, or spelled as ours.
            return self
                .names
                .macros
                .get(&last)
                .copied()
                .or_else(|| Form::from_macro_name(&last));
        }
        Form::from_macro_name(&last)
    }

    /// The sqlx function a call's path names, if any (`sqlx::query`, an imported `query`).
    fn sqlx_function(&self, path: &syn::Path) -> Option<String> {
        let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        match segs.as_slice() {
            [one] => self.names.sqlx.get(one).cloned(),
            [first, .., last] if first == "sqlx" && SQLX_FUNCTIONS.contains(&last.as_str()) => {
                Some(format!("sqlx::{last}"))
            }
            [.., builder, new] if builder == "QueryBuilder" && new == "new" => {
                Some("QueryBuilder".to_string())
            }
            _ => None,
        }
    }
}

/// How an SQL argument is built, when the syntax shows it.
fn built(e: &Expr) -> Option<&'static str> {
    match e {
        Expr::Reference(r) => built(&r.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => built(&u.expr),
        Expr::Paren(p) => built(&p.expr),
        Expr::Macro(m) if m.mac.path.is_ident("format") => Some("format!"),
        Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => Some("+"),
        Expr::MethodCall(m) if m.method == "as_str" || m.method == "as_ref" => built(&m.receiver),
        _ => None,
    }
}

/// Whether an argument is SQL text as the syntax shows it: a string literal, or text built
/// with `format!` or `+`.
fn is_text(e: &Expr) -> bool {
    match e {
        Expr::Reference(r) => is_text(&r.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => is_text(&u.expr),
        Expr::Paren(p) => is_text(&p.expr),
        Expr::Lit(l) => matches!(l.lit, syn::Lit::Str(_)),
        _ => built(e).is_some(),
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let name = m.ident.to_string();
        if m.content.is_none() {
            let path = m.attrs.iter().find_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
                    Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value()),
                    _ => None,
                },
                _ => None,
            });
            self.out.modules.push(ModDecl {
                name,
                path,
                within: self.within.clone(),
            });
            return;
        }
        self.within.push(name);
        syn::visit::visit_item_mod(self, m);
        self.within.pop();
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if let Some(form) = self.form(&m.path) {
            self.out.calls.push(MacroCall {
                form,
                tokens: m.tokens.clone(),
                range: range(m.span()),
            });
            return;
        }
        // Calls inside other macros (`vec![…]`, `tokio::join!(…)`, `assert!(…)`): their
        // arguments when they read as expressions.
        let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
        if let Ok(exprs) = syn::parse::Parser::parse2(parser, m.tokens.clone()) {
            for e in &exprs {
                self.visit_expr(e);
            }
        }
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*c.func {
            if let Some(via) = self.sqlx_function(&p.path) {
                self.out.unchecked.push(Unchecked {
                    // From the path to the closing parenthesis, not through syn's
                    // `Spanned`, which prints the arguments (exponential on some nestings).
                    range: range(p.path.span()).start..range(c.paren_token.span.close()).end,
                    built: c.args.first().and_then(built),
                    via,
                });
            }
        }
        syn::visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        let method = m.method.to_string();
        if EXECUTOR_METHODS.contains(&method.as_str()) && m.args.len() == 1 && is_text(&m.args[0]) {
            self.out.unchecked.push(Unchecked {
                // The method and its argument list: the receiver may be any expression,
                // and syn's `Spanned` prints it (exponential on some nestings).
                range: range(m.method.span()).start..range(m.paren_token.span.close()).end,
                built: built(&m.args[0]),
                via: format!(".{method}"),
            });
        }
        syn::visit::visit_expr_method_call(self, m);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(text: &str) -> Vec<Form> {
        scan(text).unwrap().calls.iter().map(|c| c.form).collect()
    }

    #[test]
    fn finds_calls_however_named() {
        let text = r#"
            use checked_query::checked_query_scalar as count_of;
            async fn f() {
                let a = checked_query!("SELECT 1 AS one");
                let b = checked_query::checked_query_as!(User, "SELECT id FROM users");
                let c = count_of!("SELECT count(*) FROM users");
                let d = vec![checked_query!("SELECT 2 AS two")];
                let e = sqlx::query!("SELECT 3");
            }
        "#;
        assert_eq!(
            forms(text),
            [Form::Record, Form::As, Form::Scalar, Form::Record]
        );
    }

    #[test]
    fn finds_unchecked_sql() {
        let text = r#"
            use sqlx::query_as as q;
            async fn f(pool: &PgPool, id: i32, table: &str) {
                sqlx::query("SELECT 1").execute(pool).await;
                sqlx::query(&format!("SELECT * FROM {table}")).fetch_all(pool).await;
                q::<_, (i32,)>("SELECT 1").fetch_one(pool).await;
                pool.execute("DELETE FROM t").await;
                pool.fetch_all(&*("SELECT ".to_string() + table)).await;
                let mut b = sqlx::QueryBuilder::<sqlx::Postgres>::new("SELECT ");
                checked_query!("SELECT 1 AS one").fetch_all(pool).await;
            }
        "#;
        let found = scan(text).unwrap().unchecked;
        let got: Vec<(String, Option<&str>)> =
            found.iter().map(|u| (u.via.clone(), u.built)).collect();
        assert_eq!(
            got,
            [
                ("sqlx::query".to_string(), None),
                ("sqlx::query".to_string(), Some("format!")),
                ("sqlx::query_as".to_string(), None),
                (".execute".to_string(), None),
                (".fetch_all".to_string(), Some("+")),
                ("QueryBuilder".to_string(), None),
            ]
        );
        for u in &found {
            assert!(
                text[u.range.clone()].contains('('),
                "{:?}",
                &text[u.range.clone()]
            );
        }
    }
}
