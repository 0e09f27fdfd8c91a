//! Source text and positions.
//!
//! Every position we report is a byte range into one source (a migration file or inline SQL).
//! sqlparser speaks 1-based line/column pairs (columns counted in characters, `0:0` meaning
//! "unknown"), so all conversion between the two lives here and nowhere else.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sqlparser::ast::Statement;
use sqlparser::tokenizer::{Location, Span};

/// A text we report positions in: a migration file, or SQL given inline (`path` is `None`).
#[derive(Debug)]
pub struct SourceFile {
    pub path: Option<PathBuf>,
    pub text: String,
    line_starts: Vec<usize>,
    /// Statement boundaries found in this file, by the range split: the build, the lints
    /// and the migration plan each split the same sections, and tokenizing a file again for
    /// each was a good part of a cold expansion.
    splits: Mutex<Vec<(Range<usize>, Statements)>>,
    /// Syntax trees of the UP statements the build parsed, kept until the lints take them:
    /// parsing every statement a second time for the lints was a third of a cold expansion.
    parsed: Mutex<HashMap<(usize, usize), Arc<Statement>>>,
}

/// The statements of a section, as byte ranges of the file.
pub(crate) type Statements = Arc<[Range<usize>]>;

impl SourceFile {
    pub fn new(path: Option<PathBuf>, text: String) -> Arc<Self> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Arc::new(SourceFile {
            path,
            text,
            line_starts,
            splits: Mutex::default(),
            parsed: Mutex::default(),
        })
    }

    pub fn inline(text: &str) -> Arc<Self> {
        SourceFile::new(None, text.to_string())
    }

    /// The statement ranges of `range`, split before.
    pub(crate) fn split_of(&self, range: &Range<usize>) -> Option<Statements> {
        let splits = self.splits.lock().unwrap_or_else(|p| p.into_inner());
        splits
            .iter()
            .find(|(r, _)| r == range)
            .map(|(_, s)| s.clone())
    }

    /// Remembers the statement ranges of `range`.
    pub(crate) fn remember_split(&self, range: Range<usize>, statements: Statements) {
        let mut splits = self.splits.lock().unwrap_or_else(|p| p.into_inner());
        if !splits.iter().any(|(r, _)| *r == range) {
            splits.push((range, statements));
        }
    }

    /// Keeps the syntax tree of the statement at `range` for [`SourceFile::take_parse`].
    pub(crate) fn remember_parse(&self, range: &Range<usize>, statement: Arc<Statement>) {
        let mut parsed = self.parsed.lock().unwrap_or_else(|p| p.into_inner());
        parsed.insert((range.start, range.end), statement);
    }

    /// The syntax tree the build kept for the statement at `range`, handed over once.
    pub(crate) fn take_parse(&self, range: &Range<usize>) -> Option<Arc<Statement>> {
        let mut parsed = self.parsed.lock().unwrap_or_else(|p| p.into_inner());
        parsed.remove(&(range.start, range.end))
    }

    pub fn display_path(&self) -> Option<String> {
        self.path.as_deref().map(|p| p.display().to_string())
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        (line + 1, column)
    }
}

/// A slice of a [`SourceFile`] that was handed to sqlparser on its own (one statement), so
/// that the parser's line/column positions can be mapped back into the file.
#[derive(Debug, Clone)]
pub struct Fragment {
    pub file: Arc<SourceFile>,
    /// Byte range of the fragment in the file.
    pub range: Range<usize>,
}

impl Fragment {
    pub fn text(&self) -> &str {
        &self.file.text[self.range.clone()]
    }

    /// Byte offset in the file of a parser location relative to this fragment, or `None` for
    /// the parser's "unknown" location.
    pub fn offset_of(&self, loc: Location) -> Option<usize> {
        if loc.line == 0 || loc.column == 0 {
            return None;
        }
        let text = self.text();
        let mut line_start = 0;
        for _ in 1..loc.line {
            line_start += text[line_start..].find('\n')? + 1;
        }
        let line = &text[line_start..];
        let within = line
            .char_indices()
            .nth(loc.column as usize - 1)
            .map(|(i, _)| i)
            .unwrap_or_else(|| line.find('\n').unwrap_or(line.len()));
        Some(self.range.start + line_start + within)
    }

    /// A cursor that turns the locations of a token stream, in order, into byte offsets in
    /// linear total time ([`Fragment::offset_of`] scans from the fragment's start each time).
    pub fn locator(&self) -> Locator<'_> {
        Locator {
            frag: self,
            line: 1,
            column: 1,
            at: 0,
        }
    }

    /// Byte range in the file of a parser span, falling back to the whole fragment when the
    /// parser did not record one (many DDL nodes carry `0:0`).
    pub fn range_of(&self, span: Span) -> Range<usize> {
        match (self.offset_of(span.start), self.offset_of(span.end)) {
            (Some(s), Some(e)) if s <= e => s..e,
            (Some(s), _) => s..self.token_end(s),
            _ => self.range.clone(),
        }
    }

    /// The end of the word starting at `start`, used when only a start position is known.
    fn token_end(&self, start: usize) -> usize {
        let rest = &self.file.text[start..self.range.end];
        start
            + rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '"'))
                .filter(|&n| n > 0)
                .unwrap_or(rest.len().min(1))
    }
}

/// `path` relative to `root` when it lies below it, else as it is, without a leading `./`
/// (`check .` names `src/lib.rs`, the path GitHub matches annotations against). The checker
/// shows paths as it was given them and never reads the process's working directory; a
/// command that wants shorter paths passes the directory it runs from as `root` (see
/// [`Diagnostic::relative_to`](crate::diagnostic::Diagnostic::relative_to)).
pub fn relative_to(path: &Path, root: &Path) -> PathBuf {
    let path = path.strip_prefix(root).unwrap_or(path);
    let trimmed: PathBuf = path
        .components()
        .skip_while(|c| matches!(c, std::path::Component::CurDir))
        .collect();
    if trimmed.as_os_str().is_empty() {
        path.to_path_buf()
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_lose_a_leading_dot() {
        assert_eq!(
            relative_to(Path::new("./src/lib.rs"), Path::new("/w")),
            Path::new("src/lib.rs")
        );
        assert_eq!(
            relative_to(Path::new("/w/a/b.rs"), Path::new("/w")),
            Path::new("a/b.rs")
        );
        assert_eq!(
            relative_to(Path::new("../x/b.rs"), Path::new("/w")),
            Path::new("../x/b.rs")
        );
        assert_eq!(relative_to(Path::new("."), Path::new("/w")), Path::new("."));
    }

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::inline("ab\nçd\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(5), (2, 2)); // after the two-byte `ç`
    }

    #[test]
    fn fragment_maps_parser_locations_into_the_file() {
        let f = SourceFile::inline("-- x\nSELECT 1;\nSELECT\n  çx");
        let frag = Fragment {
            file: f.clone(),
            range: 15..f.text.len(),
        };
        assert_eq!(frag.text(), "SELECT\n  çx");
        let at = frag.offset_of(Location::new(2, 4)).unwrap();
        assert_eq!(&f.text[at..], "x");
        assert_eq!(frag.offset_of(Location::new(0, 0)), None);
        let whole = frag.range_of(Span::empty());
        assert_eq!(whole, 15..f.text.len());
    }
}

/// See [`Fragment::locator`].
pub struct Locator<'a> {
    frag: &'a Fragment,
    /// The location of byte `at` of the fragment's text.
    line: u64,
    column: u64,
    at: usize,
}

impl Locator<'_> {
    /// The file offset of `loc`, moving forward from the last location asked for (an
    /// earlier one is computed from the start).
    pub fn offset(&mut self, loc: Location) -> Option<usize> {
        if loc.line == 0 || loc.column == 0 {
            return None;
        }
        if (loc.line, loc.column) < (self.line, self.column) {
            return self.frag.offset_of(loc);
        }
        let text = self.frag.text();
        while self.line < loc.line {
            self.at += text[self.at..].find('\n')? + 1;
            self.line += 1;
            self.column = 1;
        }
        // Columns count characters: a run of ASCII without a line break is skipped whole.
        let need = usize::try_from(loc.column.saturating_sub(self.column)).unwrap_or(usize::MAX);
        if let Some(run) = text.as_bytes().get(self.at..self.at.saturating_add(need)) {
            if run.is_ascii() && !run.contains(&b'\n') {
                self.at += need;
                self.column = loc.column;
            }
        }
        while self.column < loc.column {
            match text[self.at..].chars().next() {
                Some(c) if c != '\n' => {
                    self.at += c.len_utf8();
                    self.column += 1;
                }
                _ => break,
            }
        }
        Some(self.frag.range.start + self.at)
    }
}

#[cfg(test)]
mod locator_tests {
    use super::*;

    /// The cursor agrees with `offset_of` on every token location, across lines and
    /// multi-byte characters.
    #[test]
    fn locator_matches_offset_of() {
        let text = "-- é\nSELECT 'ü', \"ß\"\n  FROM t -- ✓\nWHERE x = 1;\n";
        let file = SourceFile::inline(text);
        let frag = Fragment {
            file: file.clone(),
            range: 5..text.len(),
        };
        let toks = sqlparser::tokenizer::Tokenizer::new(
            &sqlparser::dialect::PostgreSqlDialect {},
            frag.text(),
        )
        .tokenize_with_location()
        .unwrap();
        let mut at = frag.locator();
        for t in toks {
            for loc in [t.span.start, t.span.end] {
                assert_eq!(at.offset(loc), frag.offset_of(loc), "{loc:?}");
            }
        }
    }
}
