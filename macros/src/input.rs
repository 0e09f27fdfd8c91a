//! The macro call as plain data: `(Struct,)? "SQL" (, expr | , name = expr)*`.

use syn::parse::ParseStream;
use syn::{Expr, Ident, LitStr, Path, Token};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Record,
    As,
    Scalar,
}

pub enum Arg {
    Positional(Expr),
    Named(Ident, Expr),
}

pub struct Call {
    pub target: Option<Path>,
    pub sql: LitStr,
    pub args: Vec<Arg>,
}

/// Why the SQL must be a literal, said once for every form of non-literal.
pub const LITERAL_ONLY: &str = "only a string literal can be checked at compile time: write the SQL inline (raw strings `r#\"…\"#` are fine) and pass values as parameters (`$1` or `:name`), never by formatting them into the SQL";

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
            let what: Expr = input
                .parse()
                .map_err(|e| syn::Error::new(e.span(), LITERAL_ONLY))?;
            return Err(syn::Error::new_spanned(what, LITERAL_ONLY));
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
                args.push(Arg::Named(name, input.parse()?));
            } else {
                args.push(Arg::Positional(input.parse()?));
            }
        }
        Ok(Call { target, sql, args })
    }
}

pub struct Parser(pub Form);

impl Parser {
    pub fn parse(&self, tokens: proc_macro2::TokenStream) -> syn::Result<Call> {
        let form = self.0;
        syn::parse::Parser::parse2(move |input: ParseStream| Call::parse(input, form), tokens)
    }
}
