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
        texts: Vec::new(),
    };
    finder.visit_file(&file);
    Ok(finder.out)
}

/// The names the file gives our macros and sqlx's functions by `use`, and its constants
/// of SQL text (`const LIST: &str = "SELECT …";`), wherever they are declared.
#[derive(Default)]
struct Names {
    macros: BTreeMap<String, Form>,
    sqlx: BTreeMap<String, String>,
    text_consts: std::collections::BTreeSet<String>,
}

impl<'ast> Visit<'ast> for Names {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut prefix = Vec::new();
        self.tree(&u.tree, &mut prefix);
    }

    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        self.text_const(&c.ident, &c.expr);
        syn::visit::visit_item_const(self, c);
    }

    fn visit_impl_item_const(&mut self, c: &'ast syn::ImplItemConst) {
        self.text_const(&c.ident, &c.expr);
        syn::visit::visit_impl_item_const(self, c);
    }

    fn visit_item_static(&mut self, c: &'ast syn::ItemStatic) {
        self.text_const(&c.ident, &c.expr);
        syn::visit::visit_item_static(self, c);
    }
}

impl Names {
    fn text_const(&mut self, name: &syn::Ident, value: &Expr) {
        let literal = match value {
            Expr::Lit(l) => matches!(l.lit, syn::Lit::Str(_)),
            Expr::Macro(m) => m.mac.path.is_ident("concat"),
            _ => false,
        };
        if literal {
            self.text_consts.insert(name.to_string());
        }
    }

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
    /// Per enclosing block, its local variables: `Some` for those bound to SQL text the
    /// syntax shows (`let mut sql = String::from("…")`), with how the text was built so far;
    /// `None` for others, which hide an outer text of the same name.
    texts: Vec<BTreeMap<String, Option<Built>>>,
}

fn range(s: proc_macro2::Span) -> Range<usize> {
    s.byte_range()
}

/// How text is built, as the syntax shows it: `format!`, `+`, `push_str`.
type Built = Option<&'static str>;

impl Finder<'_> {
    /// A local variable bound to SQL text, innermost block first.
    fn text_local(&mut self, e: &Expr) -> Option<&mut Built> {
        let Expr::Path(p) = e else { return None };
        let name = p.path.get_ident()?.to_string();
        self.texts
            .iter_mut()
            .rev()
            .find_map(|scope| scope.get_mut(&name))?
            .as_mut()
    }

    /// How an SQL argument is built, when the syntax shows it.
    fn built(&mut self, e: &Expr) -> Built {
        match e {
            Expr::Reference(r) => self.built(&r.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.built(&u.expr),
            Expr::Paren(p) => self.built(&p.expr),
            Expr::Macro(m) if m.mac.path.is_ident("format") => Some("format!"),
            Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => Some("+"),
            Expr::MethodCall(m) if is_view(m) => self.built(&m.receiver),
            _ => self.text_local(e).and_then(|b| *b),
        }
    }

    /// Whether an argument is SQL text as the syntax shows it: a string literal, text built
    /// with `format!` or `+`, or a local variable bound to such text.
    fn is_text(&mut self, e: &Expr) -> bool {
        match e {
            Expr::Reference(r) => self.is_text(&r.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.is_text(&u.expr),
            Expr::Paren(p) => self.is_text(&p.expr),
            Expr::Lit(l) => matches!(l.lit, syn::Lit::Str(_)),
            Expr::MethodCall(m) if is_view(m) => self.is_text(&m.receiver),
            Expr::Path(p) => {
                self.text_local(e).is_some()
                    || p.path
                        .segments
                        .last()
                        .is_some_and(|s| self.names.text_consts.contains(&s.ident.to_string()))
            }
            _ => self.built(e).is_some(),
        }
    }

    /// A new `String` made from text: `String::new()`, `String::from(t)`, `t.to_string()`.
    fn new_text(&mut self, e: &Expr) -> Option<Built> {
        match e {
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else { return None };
                let segs: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                match segs
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice()
                {
                    [.., "String", "new" | "with_capacity"] => Some(None),
                    [.., "String", "from"] if c.args.len() == 1 && self.is_text(&c.args[0]) => {
                        Some(self.built(&c.args[0]))
                    }
                    _ => None,
                }
            }
            Expr::MethodCall(m)
                if matches!(
                    m.method.to_string().as_str(),
                    "to_string" | "to_owned" | "into"
                ) && self.is_text(&m.receiver) =>
            {
                Some(self.built(&m.receiver))
            }
            _ if self.is_text(e) => Some(self.built(e)),
            _ => None,
        }
    }
}

/// A method that views text as it is (`s.as_str()`), so the SQL is the receiver's.
fn is_view(m: &syn::ExprMethodCall) -> bool {
    m.args.is_empty()
        && matches!(
            m.method.to_string().as_str(),
            "as_str" | "as_ref" | "borrow"
        )
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
                let built = c.args.first().and_then(|a| self.built(a));
                self.out.unchecked.push(Unchecked {
                    // From the path to the closing parenthesis, not through syn's
                    // `Spanned`, which prints the arguments (exponential on some nestings).
                    range: range(p.path.span()).start..range(c.paren_token.span.close()).end,
                    built,
                    via,
                });
            }
        }
        syn::visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        let method = m.method.to_string();
        if EXECUTOR_METHODS.contains(&method.as_str())
            && m.args.len() == 1
            && self.is_text(&m.args[0])
        {
            let built = self.built(&m.args[0]);
            self.out.unchecked.push(Unchecked {
                // The method and its argument list: the receiver may be any expression,
                // and syn's `Spanned` prints it (exponential on some nestings).
                range: range(m.method.span()).start..range(m.paren_token.span.close()).end,
                built,
                via: format!(".{method}"),
            });
        }
        if matches!(method.as_str(), "push_str" | "push") {
            if let Some(built) = self.text_local(&m.receiver) {
                *built = Some("push_str");
            }
        }
        syn::visit::visit_expr_method_call(self, m);
    }

    fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
        if matches!(b.op, syn::BinOp::AddAssign(_)) {
            if let Some(built) = self.text_local(&b.left) {
                *built = Some("+=");
            }
        }
        syn::visit::visit_expr_binary(self, b);
    }

    fn visit_block(&mut self, b: &'ast syn::Block) {
        self.texts.push(BTreeMap::new());
        syn::visit::visit_block(self, b);
        self.texts.pop();
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        // The initializer first: `let sql = sql.to_string()` reads the outer `sql`.
        syn::visit::visit_local(self, l);
        let name = match &l.pat {
            syn::Pat::Ident(i) => i.ident.to_string(),
            syn::Pat::Type(t) => match &*t.pat {
                syn::Pat::Ident(i) => i.ident.to_string(),
                _ => return,
            },
            _ => return,
        };
        let text = l.init.as_ref().and_then(|init| self.new_text(&init.expr));
        if let Some(scope) = self.texts.last_mut() {
            scope.insert(name, text);
        }
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

    /// What runs each unchecked SQL, and how the SQL is built.
    fn via_and_built(found: &[Unchecked]) -> Vec<(String, Option<&'static str>)> {
        found.iter().map(|u| (u.via.clone(), u.built)).collect()
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
        let got = via_and_built(&found);
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

    #[test]
    fn follows_sql_text_through_local_variables() {
        let text = r#"
            async fn f(pool: &PgPool, owner: &str, q: Query) {
                let mut sql = String::from("SELECT * FROM t WHERE owner = '");
                pool.fetch_all(sql.as_str()).await;
                sql.push_str(owner);
                pool.execute(sql.as_str()).await;
                sqlx::query(&sql).execute(pool).await;
                let mut s2 = "DELETE FROM t".to_string();
                s2 += owner;
                pool.execute(&*s2).await;
                let f = format!("SELECT {owner}");
                {
                    pool.fetch_one(f.as_str()).await;
                    let f = q;
                    pool.execute(f).await;
                }
                pool.execute(q).await;
                let sql = 5;
                pool.execute(sql).await;
                pool.fetch_all(LIST).await;
                pool.fetch_all(Self::ONE).await;
            }
            const LIST: &str = "SELECT * FROM t";
            impl X { const ONE: &'static str = concat!("SELECT ", "1"); }
        "#;
        let found = scan(text).unwrap().unchecked;
        let got = via_and_built(&found);
        assert_eq!(
            got,
            [
                (".fetch_all".to_string(), None),
                (".execute".to_string(), Some("push_str")),
                ("sqlx::query".to_string(), Some("push_str")),
                (".execute".to_string(), Some("+=")),
                (".fetch_one".to_string(), Some("format!")),
                (".fetch_all".to_string(), None),
                (".fetch_all".to_string(), None),
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
