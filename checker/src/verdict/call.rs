//! The macro call as plain data: `(Struct,)? "SQL" (, expr | , name = expr)*`, parsed
//! with syn by the macro from its tokens and by `check` from a Rust file, alike.

use proc_macro2::{Span, TokenStream};
use syn::parse::ParseStream;
use syn::{Expr, Ident, LitStr, Path, Token};

/// Which macro: `checked_query!`, `checked_query_as!` or `checked_query_scalar!`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Record,
    As,
    Scalar,
}

pub enum Arg {
    Positional(ArgExpr),
    Named(Ident, ArgExpr),
}

/// An argument expression as written. syn checks that it parses as an expression, and its
/// tokens are kept as they came: printing a parsed `Expr` back (as `quote!` and syn's
/// `Spanned` do) takes time exponential in some nestings of ranges and references, which
/// fuzzing found (`0-00 -..&&&…` of 500 bytes took 38 s).
#[derive(Clone)]
pub struct ArgExpr(pub TokenStream);

impl ArgExpr {
    /// From its first token to its last (the first alone where spans cannot join).
    pub fn span(&self) -> Span {
        let mut tokens = self.0.clone().into_iter();
        let Some(first) = tokens.next().map(|t| t.span()) else {
            return Span::call_site();
        };
        match tokens.last() {
            Some(last) => first.join(last.span()).unwrap_or(first),
            None => first,
        }
    }

    /// Parses an expression from `input`, keeping its tokens.
    fn parse(input: ParseStream) -> syn::Result<ArgExpr> {
        let fork = input.fork();
        fork.parse::<Expr>()?;
        let end = fork.cursor();
        input.step(|cursor| {
            let mut rest = *cursor;
            let mut tokens = TokenStream::new();
            while rest != end {
                match rest.token_tree() {
                    Some((tree, next)) => {
                        tokens.extend([tree]);
                        rest = next;
                    }
                    None => return Err(cursor.error("expected an expression")),
                }
            }
            Ok((ArgExpr(tokens), rest))
        })
    }
}

pub struct Call {
    pub target: Option<Path>,
    pub sql: LitStr,
    pub args: Vec<Arg>,
}

/// An argument as the verdict sees it: where it goes, not what it is (its type is rustc's
/// to check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgShape {
    Positional,
    Named(String),
}

impl Form {
    /// The macro's name, as users write it.
    pub fn macro_name(self) -> &'static str {
        match self {
            Form::Record => "checked_query",
            Form::As => "checked_query_as",
            Form::Scalar => "checked_query_scalar",
        }
    }

    pub fn from_macro_name(name: &str) -> Option<Form> {
        [Form::Record, Form::As, Form::Scalar]
            .into_iter()
            .find(|f| f.macro_name() == name)
    }
}

impl Call {
    pub fn shapes(&self) -> Vec<ArgShape> {
        self.args
            .iter()
            .map(|a| match a {
                Arg::Positional(_) => ArgShape::Positional,
                Arg::Named(n, _) => ArgShape::Named(n.to_string()),
            })
            .collect()
    }
}

/// Why the SQL must be a literal, said once for every form of non-literal.
pub const LITERAL_ONLY: &str = "only a string literal can be checked at compile time: write the SQL inline (raw strings `r#\"…\"#` are fine) and pass values as parameters (`$1` or `:name`), never by formatting them into the SQL [CQ0705]";

/// The code of a call that does not parse: [`LITERAL_ONLY`]'s, or Rust's syntax error.
pub fn parse_error_code(e: &syn::Error) -> crate::Code {
    if e.to_string() == LITERAL_ONLY {
        crate::Code::LiteralRequired
    } else {
        crate::Code::SyntaxError
    }
}

impl Call {
    pub fn parse(input: ParseStream, form: Form) -> syn::Result<Call> {
        let target = if form == Form::As {
            let p: Path = input.parse()?;
            input.parse::<Token![,]>()?;
            Some(p)
        } else {
            None
        };
        let sql = if input.peek(LitStr) {
            input.parse::<LitStr>()?
        } else {
            let what =
                ArgExpr::parse(input).map_err(|e| syn::Error::new(e.span(), LITERAL_ONLY))?;
            return Err(syn::Error::new_spanned(&what.0, LITERAL_ONLY));
        };
        let mut args = Vec::new();
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            if input.peek(Ident) && input.peek2(Token![=]) && !input.peek2(Token![==]) {
                let name: Ident = input.parse()?;
                input.parse::<Token![=]>()?;
                args.push(Arg::Named(name, ArgExpr::parse(input)?));
            } else {
                args.push(Arg::Positional(ArgExpr::parse(input)?));
            }
        }
        Ok(Call { target, sql, args })
    }
}

pub struct Parser(pub Form);

impl Parser {
    /// syn's parser recurses once per nesting level (10,000 unary `-` overflowed the 8 MB
    /// stack: found by fuzzing), so a long call parses on a stack sized by its tokens (each
    /// level of nesting is at least one token; counted as two bytes of a statement, the
    /// least a level of SQL takes). The SQL literal is one token however long it is.
    pub fn parse(&self, tokens: proc_macro2::TokenStream) -> syn::Result<Call> {
        let form = self.0;
        let len = token_count(&tokens).saturating_mul(2);
        crate::stack::for_statement(len, move || {
            syn::parse::Parser::parse2(move |input: ParseStream| Call::parse(input, form), tokens)
        })
    }
}

/// Token trees in `tokens`, those inside groups included: walked with a stack of its own,
/// as deep nesting is what it measures.
fn token_count(tokens: &proc_macro2::TokenStream) -> usize {
    let mut count = 0;
    let mut pending = vec![tokens.clone()];
    while let Some(stream) = pending.pop() {
        for tree in stream {
            count += 1;
            if let proc_macro2::TokenTree::Group(g) = tree {
                pending.push(g.stream());
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::{Arg, Form, Parser};
    use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

    #[test]
    fn arguments_keep_their_tokens_even_from_macro_rules_fragments() {
        // `macro_rules!` passes an `$e:expr` as an invisible (None-delimited) group.
        let inner: TokenStream = "a + 1".parse().unwrap();
        let fragment = Group::new(Delimiter::None, inner);
        let mut tokens: TokenStream = r#""SELECT $1, $2","#.parse().unwrap();
        tokens.extend([TokenTree::Group(fragment)]);
        tokens.extend(", x = b.c(1, 2)".parse::<TokenStream>().unwrap());
        let call = Parser(Form::Record).parse(tokens).unwrap();
        let texts: Vec<String> = call
            .args
            .iter()
            .map(|a| match a {
                Arg::Positional(e) => e.0.to_string(),
                Arg::Named(n, e) => format!("{n} = {}", e.0),
            })
            .collect();
        assert_eq!(texts.len(), 2);
        assert!(texts[0].contains("a + 1"), "{texts:?}");
        assert_eq!(texts[1], "x = b . c (1 , 2)");
    }

    #[test]
    fn deep_arguments_parse_on_a_stack_sized_by_their_tokens() {
        // A short SQL literal and 20,000 nested groups, then 20,000 unary minus: syn
        // recurses once per level, which a test thread's 2 MB stack does not hold.
        for arg in [
            format!("{}1{}", "(".repeat(20_000), ")".repeat(20_000)),
            format!("{}1", "-".repeat(20_000)),
        ] {
            let tokens: TokenStream = format!("\"SELECT $1\", {arg}").parse().unwrap();
            assert!(super::token_count(&tokens) > 20_000);
            let call = Parser(Form::Record).parse(tokens).unwrap();
            assert_eq!(call.args.len(), 1);
        }
    }
}
