//! `jsonpath` literals, which PostgreSQL parses when the statement is prepared. The checker
//! reads a subset of the grammar (`jsonpath_gram.y`): `strict`/`lax`, `$`, `$var`, `@` in
//! filters, `.key`, `."key"`, `.*`, `.**`, `[*]`, subscripts with `to` and `last`,
//! `?(filter)`, arithmetic, comparisons, `&&`, `||`, `!`, and the item methods. Every path
//! it accepts PostgreSQL accepts; anything outside the subset is "not read", never guessed
//! valid or invalid.

/// Whether `text` is a path of the subset the checker reads (and so one PostgreSQL accepts).
pub fn reads(text: &str) -> bool {
    let mut p = Path {
        s: text.as_bytes(),
        i: 0,
        filters: 0,
        subscripts: 0,
        depth: 0,
    };
    p.ws();
    if p.word("strict") || p.word("lax") {
        p.ws();
    }
    p.expr().is_some() && {
        p.ws();
        p.i == p.s.len()
    }
}

/// Item methods PostgreSQL 15 knows, each taking no argument but `datetime`'s template.
const METHODS: &[&str] = &[
    "type", "size", "double", "ceiling", "floor", "abs", "keyvalue", "datetime",
];

/// How deep expressions may nest before the reader gives up (a hostile literal must not
/// overflow the stack).
const MAX_DEPTH: usize = 64;

struct Path<'a> {
    s: &'a [u8],
    i: usize,
    /// How many `?( … )` filters enclose the position: `@` is allowed only inside one.
    filters: usize,
    /// How many `[ … ]` subscripts enclose it: `last` is allowed only inside one.
    subscripts: usize,
    /// How deep expressions nest at the position.
    depth: usize,
}

/// What an expression is: a value, or a predicate (a comparison, `&&`, `||`, `!`), which
/// the grammar keeps apart (`$.a && $.b` and `$.a ? (@.b)` are syntax errors).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Value,
    Pred,
}

impl Path<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(token.as_bytes()) {
            self.i += token.len();
            true
        } else {
            false
        }
    }

    /// A keyword, not followed by more identifier characters.
    fn word(&mut self, w: &str) -> bool {
        self.ws();
        let end = self.i + w.len();
        let ok = self.s.get(self.i..end) == Some(w.as_bytes())
            && !self.s.get(end).is_some_and(|c| is_ident(*c));
        if ok {
            self.i = end;
        }
        ok
    }

    fn ident(&mut self) -> Option<&str> {
        let start = self.i;
        if !self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        {
            return None;
        }
        while self.peek().is_some_and(is_ident) {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i]).ok()
    }

    /// A double-quoted string with the escapes the grammar knows.
    fn string(&mut self) -> Option<()> {
        self.ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        self.i += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => {
                    let c = *self.s.get(self.i + 1)?;
                    if !b"\"\\/bfnrtv".contains(&c) {
                        return None; // \uXXXX and \xXX are left to PostgreSQL
                    }
                    self.i += 2;
                }
                _ => self.i += 1,
            }
        }
    }

    fn number(&mut self) -> Option<()> {
        self.ws();
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if self.peek() == Some(b'.') && self.s.get(self.i + 1).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.i += 1;
            }
        }
        // `1a` or `1.e3`: the lexer's trailing-junk cases are PostgreSQL's to judge.
        if self.i == start || self.peek().is_some_and(|c| is_ident(c) || c == b'.') {
            return None;
        }
        Some(())
    }

    /// An expression: `||` over `&&` over comparisons over arithmetic, whose `||` and
    /// `&&` join predicates only.
    fn expr(&mut self) -> Option<Kind> {
        self.depth += 1;
        let r = if self.depth > MAX_DEPTH {
            None
        } else {
            self.or_expr()
        };
        self.depth -= 1;
        r
    }

    fn or_expr(&mut self) -> Option<Kind> {
        self.predicates("||", Self::and_expr)
    }

    fn and_expr(&mut self) -> Option<Kind> {
        self.predicates("&&", Self::comparison)
    }

    /// `a op b op …` of `operand`s: one operand as it is, or a chain of predicates.
    fn predicates(&mut self, op: &str, operand: fn(&mut Self) -> Option<Kind>) -> Option<Kind> {
        let first = operand(self)?;
        if !self.eat(op) {
            return Some(first);
        }
        (first == Kind::Pred).then_some(())?;
        loop {
            (operand(self)? == Kind::Pred).then_some(())?;
            if !self.eat(op) {
                return Some(Kind::Pred);
            }
        }
    }

    /// `a < b` of two values is a predicate; comparisons do not chain.
    fn comparison(&mut self) -> Option<Kind> {
        let left = self.arithmetic(&["+", "-"])?;
        for op in ["==", "!=", "<>", "<=", ">=", "<", ">"] {
            if self.eat(op) {
                (left == Kind::Value).then_some(())?;
                (self.arithmetic(&["+", "-"])? == Kind::Value).then_some(())?;
                return Some(Kind::Pred);
            }
        }
        Some(left)
    }

    /// `+ -` over `* / %` over unary operands: values only.
    fn arithmetic(&mut self, ops: &[&str]) -> Option<Kind> {
        let operand = |p: &mut Self| {
            if ops[0] == "+" {
                p.arithmetic(&["*", "/", "%"])
            } else {
                p.unary()
            }
        };
        let first = operand(self)?;
        let mut any = false;
        while ops.iter().any(|op| self.eat(op)) {
            any = true;
            (operand(self)? == Kind::Value).then_some(())?;
        }
        if any {
            (first == Kind::Value).then_some(Kind::Value)
        } else {
            Some(first)
        }
    }

    fn unary(&mut self) -> Option<Kind> {
        if self.eat("!") {
            // `!` applies to a parenthesised predicate.
            self.eat("(").then_some(())?;
            (self.expr()? == Kind::Pred).then_some(())?;
            return self.eat(")").then_some(Kind::Pred);
        }
        if self.eat("-") || self.eat("+") {
            return (self.accessor_expr()? == Kind::Value).then_some(Kind::Value);
        }
        self.accessor_expr()
    }

    fn accessor_expr(&mut self) -> Option<Kind> {
        let kind = self.primary()?;
        loop {
            self.ws();
            let accessor = matches!(self.peek(), Some(b'[' | b'?' | b'.'));
            if accessor && kind == Kind::Pred {
                return None; // a parenthesised predicate has no items
            }
            if self.eat("[") {
                self.subscripts += 1;
                let ok = self.subscript();
                self.subscripts -= 1;
                ok?;
            } else if self.eat("?") {
                self.eat("(").then_some(())?;
                self.filters += 1;
                let ok = self.expr();
                self.filters -= 1;
                (ok? == Kind::Pred).then_some(())?;
                self.eat(")").then_some(())?;
            } else if self.peek() == Some(b'.') {
                self.i += 1;
                self.member()?;
            } else {
                return Some(kind);
            }
        }
    }

    /// After `.`: `*`, `**`, a key, a quoted key, or a method call.
    fn member(&mut self) -> Option<()> {
        if self.s[self.i..].starts_with(b"**") {
            self.i += 2;
            return Some(()); // `.**{…}` levels are left to PostgreSQL
        }
        if self.peek() == Some(b'*') {
            self.i += 1;
            return Some(());
        }
        if self.peek() == Some(b'"') {
            return self.string();
        }
        let name = self.ident()?.to_string();
        if self.eat("(") {
            if !METHODS.contains(&name.as_str()) {
                return None;
            }
            if name == "datetime" && !self.eat(")") {
                self.string()?;
                return self.eat(")").then_some(());
            }
            return self.eat(")").then_some(());
        }
        Some(())
    }

    /// Inside `[ … ]`: `*`, or indexes and `a to b` ranges separated by commas.
    fn subscript(&mut self) -> Option<()> {
        if self.eat("*") {
            return self.eat("]").then_some(());
        }
        loop {
            (self.expr()? == Kind::Value).then_some(())?;
            if self.word("to") {
                (self.expr()? == Kind::Value).then_some(())?;
            }
            if self.eat("]") {
                return Some(());
            }
            if !self.eat(",") {
                return None;
            }
        }
    }

    fn primary(&mut self) -> Option<Kind> {
        self.ws();
        match self.peek()? {
            b'$' => {
                self.i += 1;
                if self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
                {
                    self.ident()?; // a variable, bound by the function's `vars`
                }
                Some(Kind::Value)
            }
            b'@' if self.filters > 0 => {
                self.i += 1;
                Some(Kind::Value)
            }
            b'(' => {
                self.i += 1;
                let kind = self.expr()?;
                self.eat(")").then_some(kind)
            }
            b'"' => self.string().map(|()| Kind::Value),
            c if c.is_ascii_digit() => self.number().map(|()| Kind::Value),
            _ => {
                let literal = self.word("true") || self.word("false") || self.word("null");
                (literal || (self.subscripts > 0 && self.word("last"))).then_some(Kind::Value)
            }
        }
    }
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

#[cfg(test)]
mod tests {
    use super::reads;

    #[test]
    fn reads_the_paths_services_write_and_nothing_it_cannot_vouch_for() {
        for ok in [
            "$",
            "$.a",
            "strict $.items[*].price",
            "lax $.a.\"b c\"",
            "$.a[0 to 2, last]",
            "$.tags[*] ? (@ == \"x\")",
            "$.a ? (@.b > 1 && !(@.c == null))",
            "$.a.size()",
            "$.when.datetime(\"YYYY-MM-DD\")",
            "$.n + 1",
            "$.*",
            "$.**",
            "$ ? (@.price < $max)",
        ] {
            assert!(reads(ok), "{ok}");
        }
        for not_read in [
            "",
            "@.a",
            "$.a[last]x",
            "last",
            "$.a.nope()",
            "$.a ? (@ like_regex \"x\")",
            "$.a <",
            "1 < 2 < 3",
            "$.a[",
            "$.\"unterminated",
            "$.a ? (@.b == \"\\u0041\")",
            "$.a && $.b",
            "$.a ? (@.b)",
            "($.a == 1) + 1",
            "!($.a)",
            "((((",
        ] {
            assert!(!reads(not_read), "{not_read}");
        }
        // Hostile nesting is refused, not recursed into without bound.
        assert!(!reads(&format!("$.a{}", "[".repeat(10_000))));
        assert!(!reads(&"(".repeat(10_000)));
    }
}
