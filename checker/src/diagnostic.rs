//! Diagnostics as data: a code from the one table below, a message, where it points, and
//! help. Rules build them; `render` turns them into text or JSON. Nothing else formats them.

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::source::{Fragment, SourceFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = ($code:literal, $rule:literal, $severity:ident); )*) => {
        /// Every diagnostic the checker can report. Codes are grouped by area: `CQ00xx`
        /// input, `CQ01xx` migration files, `CQ02xx` names, `CQ03xx` types and constraints,
        /// `CQ04xx` ownership, `CQ05xx` CockroachDB, `CQ06xx` migration lints, `CQ07xx` a
        /// macro call's arguments and Rust types, `CQ08xx` Rust sources, `CQ09xx`
        /// configuration.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $( $(#[$doc])* $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable code shown to users, e.g. `CQ0201`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The rule name: what configuration and allow comments refer to.
            pub fn rule(self) -> &'static str {
                match self { $(Code::$variant => $rule,)* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }
        }
    };
}

codes! {
    /// sqlparser (or our own statement splitter) could not read the SQL.
    SyntaxError = ("CQ0001", "syntax-error", Error);
    /// The statement parses but the checker does not understand it.
    Unsupported = ("CQ0002", "unsupported", Error);
    /// A file or directory could not be read.
    Io = ("CQ0003", "io", Error);
    /// A `.sql` file in a migrations directory whose name has no numeric prefix.
    MigrationFileName = ("CQ0101", "migration-file-name", Error);
    /// Up/Down markers out of order, repeated, or SQL outside any section.
    MigrationSections = ("CQ0102", "migration-sections", Error);
    /// The migrations directory does not exist or is not a directory.
    MigrationsDirMissing = ("CQ0103", "migrations-dir", Error);
    /// A query's service has migrations with errors: its queries cannot be checked.
    MigrationErrors = ("CQ0104", "migration-errors", Error);
    UnknownTable = ("CQ0201", "unknown-table", Error);
    UnknownColumn = ("CQ0202", "unknown-column", Error);
    UnknownType = ("CQ0203", "unknown-type", Error);
    DuplicateObject = ("CQ0204", "duplicate-object", Error);
    UnknownConstraint = ("CQ0205", "unknown-constraint", Error);
    UnknownIndex = ("CQ0206", "unknown-index", Error);
    /// DROP without CASCADE while other objects depend on the dropped one.
    DependentObjects = ("CQ0207", "dependent-objects", Error);
    UnknownEnumLabel = ("CQ0208", "unknown-enum-label", Error);
    UnknownSequence = ("CQ0209", "unknown-sequence", Error);
    UnknownFunction = ("CQ0210", "unknown-function", Error);
    UnknownPolicy = ("CQ0212", "unknown-policy", Error);
    UnknownTrigger = ("CQ0213", "unknown-trigger", Error);
    /// `COLLATE name` naming no collation the server has.
    UnknownCollation = ("CQ0215", "unknown-collation", Error);
    /// A foreign key whose referenced columns carry no matching PRIMARY KEY or UNIQUE.
    ForeignKeyTarget = ("CQ0301", "foreign-key-target", Error);
    /// Foreign key columns whose types cannot be compared with the referenced ones.
    ForeignKeyTypes = ("CQ0302", "foreign-key-types", Error);
    /// A definition PostgreSQL rejects: identity on a non-integer, two primary keys, ….
    InvalidDefinition = ("CQ0303", "invalid-definition", Error);
    /// An unqualified column name that more than one relation of the query provides.
    AmbiguousColumn = ("CQ0214", "ambiguous-column", Error);
    /// No operator, function or cast exists for the types involved.
    TypeMismatch = ("CQ0304", "type-mismatch", Error);
    /// A literal that is not a valid value of the type it is used as.
    InvalidLiteral = ("CQ0305", "invalid-literal", Error);
    /// A column used outside an aggregate without appearing in GROUP BY.
    Grouping = ("CQ0306", "grouping", Error);
    /// Column counts that disagree (INSERT, UNION, VALUES, subqueries).
    ColumnCount = ("CQ0307", "column-count", Error);
    /// A parameter whose type cannot be decided, decided twice differently, or missing.
    ParamType = ("CQ0308", "parameter-type", Error);
    /// A query PostgreSQL rejects for its shape (aggregate in WHERE, …).
    InvalidQuery = ("CQ0309", "invalid-query", Error);
    /// An INSERT that leaves out a NOT NULL column with no default.
    MissingNotNull = ("CQ0310", "missing-not-null", Error);
    /// A write to an identity (GENERATED ALWAYS) or generated column.
    GeneratedColumnWrite = ("CQ0311", "generated-column-write", Error);
    /// A query names a table, view or type of another service.
    ForeignTable = ("CQ0401", "foreign-table", Error);
    /// A migration refers to (e.g. a foreign key to) another service's table.
    CrossServiceReference = ("CQ0402", "cross-service-reference", Error);
    /// A PostgreSQL feature CockroachDB lacks.
    CrdbIncompatible = ("CQ0501", "crdb-incompatible", Error);
    /// SQL that means something else on CockroachDB (types, sequences, triggers).
    CrdbDivergence = ("CQ0502", "crdb-divergence", Warning);
    // Migration lints (`checked-query lint`), one rule per file in `lints/`.
    MigrationNumbering = ("CQ0601", "migration-numbering", Error);
    MissingDown = ("CQ0602", "missing-down", Error);
    MigrationModified = ("CQ0603", "migration-modified", Error);
    DownDoesNotRevert = ("CQ0604", "down-does-not-revert", Error);
    FkWithoutIndex = ("CQ0605", "fk-without-index", Error);
    EnumValueUsedInSameMigration = ("CQ0606", "enum-value-used-in-same-migration", Error);
    TableNaming = ("CQ0607", "table-naming", Warning);
    ColumnNaming = ("CQ0608", "column-naming", Warning);
    IndexNaming = ("CQ0609", "index-naming", Warning);
    RequiredColumns = ("CQ0610", "required-columns", Warning);
    UuidPrimaryKey = ("CQ0611", "uuid-primary-key", Warning);
    NonConcurrentIndex = ("CQ0612", "non-concurrent-index", Warning);
    NotNullColumnAdded = ("CQ0613", "not-null-column-added", Error);
    VolatileDefaultRewrite = ("CQ0614", "volatile-default-rewrite", Warning);
    SetNotNullScan = ("CQ0615", "set-not-null-scan", Warning);
    ColumnTypeChange = ("CQ0616", "column-type-change", Warning);
    ColumnRename = ("CQ0617", "column-rename", Warning);
    TableRename = ("CQ0618", "table-rename", Warning);
    /// `-- checked-query: allow(rule)` without a reason.
    AllowWithoutReason = ("CQ0619", "allow-without-reason", Error);
    /// An allow comment that suppresses nothing.
    UnusedAllow = ("CQ0620", "unused-allow", Warning);
    /// An allow comment naming no rule.
    UnknownRule = ("CQ0621", "unknown-rule", Error);
    /// `checked-query.toml` or `[package.metadata.checked-query]` is malformed.
    /// The macro call's arguments do not match the query's parameters.
    ArgumentCount = ("CQ0701", "argument-count", Error);
    /// Named arguments (`name = value`) against `$n` parameters, or the reverse.
    NamedArgument = ("CQ0702", "named-argument", Error);
    /// A parameter or result column whose PostgreSQL type has no Rust type (with the
    /// crate's features and configuration).
    NoRustType = ("CQ0703", "no-rust-type", Error);
    /// Result columns that do not fit the call's form: unnamed, duplicated, none for
    /// `checked_query_as!`, not exactly one for `checked_query_scalar!`.
    ResultShape = ("CQ0704", "result-shape", Error);
    /// SQL that is not a string literal, so it cannot be checked.
    LiteralRequired = ("CQ0705", "literal-required", Error);
    /// SQL that runs through sqlx without being checked (`sqlx::query(&format!(…))`).
    UncheckedSql = ("CQ0801", "unchecked-sql", Error);
    Config = ("CQ0901", "config", Error);
}

/// One finding. `file` is `None` for SQL given inline; `start`/`end` are byte offsets in
/// that file or SQL, and `line`/`column` (1-based, column in characters) point at `start`.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    #[serde(serialize_with = "serialize_code")]
    pub code: Code,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub file: Option<String>,
    pub line: usize,
    pub column: usize,
    pub start: usize,
    pub end: usize,
    pub help: Option<String>,
    /// The CockroachDB rule a `crdb-*` diagnostic reports, which `allow` may name too.
    #[serde(skip)]
    pub policy: Option<crate::policies::cockroach::CrdbRule>,
    #[serde(skip)]
    pub source: Option<Arc<SourceFile>>,
    /// The SQLSTATE PostgreSQL raises for the same failure, where the checker knows it
    /// (`42710` duplicate_object, …): what a DO block's `EXCEPTION WHEN …` catches.
    #[serde(skip)]
    pub sqlstate: Option<&'static str>,
}

fn serialize_code<S: serde::Serializer>(code: &Code, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(code.as_str())
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            rule: code.rule(),
            severity: code.default_severity(),
            message: message.into(),
            file: None,
            line: 1,
            column: 1,
            start: 0,
            end: 0,
            help: None,
            policy: None,
            source: None,
            sqlstate: None,
        }
    }

    pub fn with_sqlstate(mut self, sqlstate: &'static str) -> Self {
        self.sqlstate = Some(sqlstate);
        self
    }

    /// Points the diagnostic at `range` of `file`.
    pub fn at(mut self, file: &Arc<SourceFile>, range: Range<usize>) -> Self {
        let (line, column) = file.line_col(range.start);
        self.file = file.display_path();
        self.line = line;
        self.column = column;
        self.start = range.start;
        self.end = range.end.max(range.start);
        self.source = Some(file.clone());
        self
    }

    /// Points the diagnostic at a parser span inside a statement, falling back to the whole
    /// statement when the span is unknown.
    pub fn at_span(self, fragment: &Fragment, span: sqlparser::tokenizer::Span) -> Self {
        let range = fragment.range_of(span);
        self.at(&fragment.file, range)
    }

    /// Names a file (or directory) the diagnostic is about when no position inside it applies.
    /// Shows the file relative to `root` when it lies below it (a command passes the
    /// directory it runs from).
    pub fn relative_to(mut self, root: &std::path::Path) -> Self {
        if let Some(f) = &self.file {
            self.file = Some(
                crate::source::relative_to(std::path::Path::new(f), root)
                    .display()
                    .to_string(),
            );
        }
        self
    }

    /// The 1-based line and column where the diagnostic's range ends (exclusive), when it
    /// has a source.
    pub fn end_line_col(&self) -> Option<(usize, usize)> {
        let source = self.source.as_ref()?;
        let mut end = self.end.max(self.start).min(source.text.len());
        while !source.text.is_char_boundary(end) {
            end -= 1;
        }
        Some(source.line_col(end))
    }

    pub fn in_file(mut self, path: &std::path::Path) -> Self {
        self.file = Some(path.display().to_string());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_rules_are_unique() {
        let codes: HashSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let rules: HashSet<_> = Code::ALL.iter().map(|c| c.rule()).collect();
        assert_eq!(codes.len(), Code::ALL.len());
        assert_eq!(rules.len(), Code::ALL.len());
        for c in Code::ALL {
            assert!(
                c.as_str().starts_with("CQ") && c.as_str().len() == 6,
                "{c:?}"
            );
        }
    }

    #[test]
    fn json_shape_is_the_documented_one() {
        let file = SourceFile::new(Some("m/001_x.sql".into()), "CREATE TABLE x ();\n".into());
        let d = Diagnostic::new(Code::UnknownTable, "unknown table `x`").at(&file, 13..14);
        let v = serde_json::to_value(&d).unwrap();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "code", "rule", "severity", "message", "file", "line", "column", "start", "end",
                "help"
            ]
        );
        assert_eq!(v["code"], "CQ0201");
        assert_eq!(v["column"], 14);
    }
}
