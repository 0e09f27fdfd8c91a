//! The schema a service's migrations define, as data: what PostgreSQL's catalogs would hold
//! — tables with ordered columns, constraints, indexes, enums, views, sequences, and the
//! opaque objects (functions, triggers, policies, extensions) DDL may refer to. It knows
//! nothing of analysis or policies; `crate::interpreter` builds it from migrations.

mod casts;
mod keys;
pub mod limits;
pub mod names;
mod objects;
pub(crate) mod references;
mod schema_lines;
pub mod types;

use serde::Serialize;

pub use casts::{Cast, CastContext, CastMethod};
pub use objects::{Key, Keyed, ObjectMut, Objects};
use sqlparser::ast::Ident;

pub use schema_lines::schema_lines;
pub use types::SqlType;

/// The single-part relation names a query, statement or expression reads (CTE names excluded).
pub fn references_of<V: sqlparser::ast::Visit>(node: &V) -> Vec<String> {
    references::collect(node)
        .relations
        .iter()
        .filter_map(|(name, _)| match name.0.as_slice() {
            [one] => one.as_ident().map(ident_name),
            _ => None,
        })
        .collect()
}

/// The catalog's key for an object reference: `x` and `public.x` are `x` (`public` is the
/// schema services use, first on the default search path); `s.x` in another schema is
/// `s.x`. `None` for longer names.
pub fn object_key(name: &sqlparser::ast::ObjectName) -> Option<String> {
    match name.0.as_slice() {
        [n] => Some(ident_name(n.as_ident()?)),
        [schema, n] => {
            let (schema, n) = (ident_name(schema.as_ident()?), ident_name(n.as_ident()?));
            Some(if schema == "public" {
                n
            } else {
                format!("{schema}.{n}")
            })
        }
        _ => None,
    }
}

/// The schema of a catalog key (`None`: public) and the name within it.
pub fn split_key(key: &str) -> (Option<&str>, &str) {
    match key.split_once('.') {
        Some((s, n)) => (Some(s), n),
        None => (None, key),
    }
}

/// Schemas PostgreSQL ships: migrations cannot create in them, queries read them from the
/// built-in catalog.
pub use crate::builtins::system_catalog::is_system_schema;

/// An identifier as PostgreSQL stores it: unquoted names fold to lower case, quoted names
/// keep theirs; both are cut to 63 bytes. The fold is ASCII only, as PostgreSQL's
/// `downcase_identifier` is in a multibyte encoding (UTF8): an unquoted `Ärger` stays
/// `Ärger`, and `ärger` is another name.
pub fn ident_name(ident: &Ident) -> String {
    let mut name = names::truncate_identifier(&ident.value);
    if ident.quote_style.is_none() {
        name.make_ascii_lowercase();
    }
    name
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    /// The service whose migrations built this catalog.
    pub service: String,
    pub tables: Objects<Table>,
    pub views: Objects<View>,
    pub enums: Objects<EnumType>,
    /// `CREATE TYPE … AS (…)`.
    pub composites: Objects<CompositeType>,
    /// `CREATE DOMAIN`.
    pub domains: Objects<Domain>,
    pub indexes: Objects<Index>,
    pub sequences: Objects<Sequence>,
    pub extensions: Vec<String>,
    /// Functions and procedures the migrations create, with their signatures.
    pub routines: Objects<Routine>,
    pub triggers: Objects<Trigger>,
    pub policies: Objects<Policy>,
    /// Collations created by the migrations (`CREATE COLLATION`).
    pub collations: Vec<String>,
    /// Schemas other than `public` the migrations created (`CREATE SCHEMA`); their objects
    /// are keyed `schema.name`.
    pub schemas: Vec<String>,
    /// `CREATE CAST`: conversions the service added to PostgreSQL's own.
    pub casts: Vec<Cast>,
}

/// Where a level of changes to a catalog starts (see [`Catalog::begin`]).
#[must_use = "a level is ended by commit or rollback"]
pub struct Mark {
    lists: [objects::Mark; 10],
    rest: (Vec<String>, Vec<String>, Vec<String>, Vec<Cast>),
}

/// One result column of a query or view: the name, type and nullability analysis decides
/// and a view keeps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputColumn {
    pub name: String,
    #[serde(rename = "type", serialize_with = "serialize_type")]
    pub ty: SqlType,
    pub nullable: bool,
}

fn serialize_type<S: serde::Serializer>(t: &SqlType, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_string())
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    /// The service whose migrations created the table.
    pub service: String,
    /// In attnum order: `ADD COLUMN` appends.
    pub columns: Vec<Column>,
    pub constraints: Vec<Constraint>,
    /// `PARTITION BY … (cols)`: the key's column names (expressions as written).
    pub partition_key: Option<Vec<String>>,
    /// `PARTITION OF parent`.
    pub partition_of: Option<String>,
    pub row_level_security: bool,
    /// Columns dropped so far: PostgreSQL keeps their attnums, and they count towards
    /// [`limits::MAX_COLUMNS`].
    pub dropped_columns: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub ty: SqlType,
    pub not_null: bool,
    /// The DEFAULT expression as written (serial columns get `nextval('…'::regclass)`).
    pub default: Option<String>,
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`: the expression.
    pub generated: Option<String>,
    /// Declared `INT`/`INTEGER`/`SERIAL`: 32-bit on PostgreSQL, 64-bit on CockroachDB.
    pub declared_int: bool,
}

impl Column {
    /// True for a DEFAULT, identity or generated column: one an INSERT may leave out.
    pub fn has_default(&self) -> bool {
        self.default.is_some() || self.identity.is_some() || self.generated.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    Always,
    ByDefault,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub name: String,
    pub kind: ConstraintKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConstraintKind {
    PrimaryKey {
        columns: Vec<String>,
    },
    Unique {
        columns: Vec<String>,
    },
    ForeignKey {
        columns: Vec<String>,
        ref_table: String,
        ref_columns: Vec<String>,
        on_delete: Option<String>,
        on_update: Option<String>,
    },
    /// Kept, not evaluated. `columns` are the columns the expression mentions.
    Check {
        expr: String,
        columns: Vec<String>,
    },
    /// `EXCLUDE USING method (col WITH op, …)`: backed by an index of that method.
    Exclude {
        columns: Vec<String>,
    },
}

impl ConstraintKind {
    /// The table's own columns the constraint involves.
    pub fn columns(&self) -> &[String] {
        match self {
            ConstraintKind::PrimaryKey { columns }
            | ConstraintKind::Unique { columns }
            | ConstraintKind::ForeignKey { columns, .. }
            | ConstraintKind::Check { columns, .. }
            | ConstraintKind::Exclude { columns } => columns,
        }
    }

    /// A PRIMARY KEY or UNIQUE constraint: what foreign keys and ON CONFLICT can use.
    pub fn is_unique_key(&self) -> bool {
        matches!(
            self,
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
        )
    }

    /// A constraint whose index goes (and is renamed) with it.
    pub fn has_index(&self) -> bool {
        matches!(
            self,
            ConstraintKind::PrimaryKey { .. }
                | ConstraintKind::Unique { .. }
                | ConstraintKind::Exclude { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    pub name: String,
    pub table: String,
    pub keys: Vec<IndexKey>,
    pub include: Vec<String>,
    pub unique: bool,
    /// The partial index predicate as written.
    pub predicate: Option<String>,
    pub predicate_columns: Vec<String>,
    pub method: String,
    pub concurrently: bool,
    /// The PRIMARY KEY or UNIQUE constraint this index implements.
    pub constraint: Option<String>,
}

impl Index {
    /// Every column of the table the index depends on.
    pub fn all_columns(&self) -> impl Iterator<Item = &String> {
        self.keys
            .iter()
            .flat_map(|k| match k {
                IndexKey::Column(c) => std::slice::from_ref(c),
                IndexKey::Expression { columns, .. } => columns.as_slice(),
            })
            .chain(&self.include)
            .chain(&self.predicate_columns)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum IndexKey {
    Column(String),
    Expression { text: String, columns: Vec<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub name: String,
    pub service: String,
    pub sql: String,
    /// `CREATE VIEW v (a, b)`: the column names given.
    pub column_names: Vec<String>,
    /// Tables and views the query reads.
    pub relations: Vec<String>,
    /// Every identifier the query mentions, used (conservatively) for column dependencies.
    pub identifiers: Vec<String>,
    /// Relations whose every column the view depends on (`*` / `t.*`).
    pub wildcard: bool,
    /// The view's columns, from analysing its query when it was created (PostgreSQL fixes
    /// them then too). `None` when the query uses something the analysis does not support.
    pub columns: Option<Vec<OutputColumn>>,
    /// `CREATE MATERIALIZED VIEW`: its rows are stored, it takes indexes, and it is
    /// refreshed, not written.
    pub materialized: bool,
    /// The columns' types with their type modifiers (`varchar(200)`), as `pg_attribute`
    /// holds them; `None` where the checker cannot tell a modifier (see
    /// `interpreter::ddl::table_as`). Only `CREATE TABLE … AS SELECT * FROM view` needs them.
    pub stored_types: Option<Vec<SqlType>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumType {
    pub name: String,
    pub service: String,
    pub labels: Vec<String>,
}

/// A composite type: named, typed attributes in order (`ADD ATTRIBUTE` appends).
#[derive(Debug, Clone, PartialEq)]
pub struct CompositeType {
    pub name: String,
    pub service: String,
    pub attributes: Vec<Attribute>,
}

/// A domain: a base type with a default, NOT NULL and CHECK constraints of its own
/// (`pg_type` with `typtype = 'd'`).
#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    pub name: String,
    pub service: String,
    pub base: SqlType,
    /// The DEFAULT expression as written: what a column of the domain without a default of
    /// its own gets.
    pub default: Option<String>,
    /// `NOT NULL` (`typnotnull`). It does not make columns non-null for the analysis:
    /// PostgreSQL reads NULL from such a column on the outer side of a join, and an empty
    /// scalar subquery stores one without a check.
    pub not_null: bool,
    /// CHECK constraints: name and expression as written.
    pub checks: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub ty: SqlType,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    pub name: String,
    /// `OWNED BY table.column` (serial and identity sequences are owned by their column).
    pub owned_by: Option<(String, String)>,
}

/// A function or procedure a migration created (its `pg_proc` row): what overload
/// resolution, `CALL`, triggers and `DROP FUNCTION name(args)` need.
#[derive(Debug, Clone, PartialEq)]
pub struct Routine {
    pub name: String,
    pub kind: RoutineKind,
    pub args: Vec<RoutineArg>,
    pub returns: Returns,
    /// `sql`, `plpgsql`, … as written, lower case (`internal` for an aggregate).
    pub language: String,
    /// The signatures of the routines it is made of (an aggregate's state transition and
    /// final functions): they cannot be dropped while it exists.
    pub uses: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutineKind {
    Function,
    Procedure,
    /// `CREATE AGGREGATE`: called like a function, but folds the rows of a group.
    Aggregate,
}

impl RoutineKind {
    pub fn noun(self) -> &'static str {
        match self {
            RoutineKind::Function => "function",
            RoutineKind::Procedure => "procedure",
            RoutineKind::Aggregate => "aggregate",
        }
    }

    /// Whether a call in an expression reaches it (a function or an aggregate; procedures
    /// are run with CALL).
    pub fn in_expressions(self) -> bool {
        matches!(self, RoutineKind::Function | RoutineKind::Aggregate)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoutineArg {
    pub name: Option<String>,
    pub mode: ArgMode,
    pub ty: Declared,
    pub has_default: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgMode {
    In,
    Out,
    InOut,
    /// `VARIADIC xs int[]`: `ty` is the array type.
    Variadic,
}

impl ArgMode {
    /// Whether callers pass it (IN, INOUT, VARIADIC): what the signature is made of.
    pub fn is_input(self) -> bool {
        !matches!(self, ArgMode::Out)
    }

    /// Whether it is part of the result (OUT, INOUT).
    pub fn is_output(self) -> bool {
        matches!(self, ArgMode::Out | ArgMode::InOut)
    }
}

/// A declared argument or result type: a type, or a polymorphic pseudo-type (`anyelement`).
#[derive(Debug, Clone, PartialEq)]
pub enum Declared {
    Type(SqlType),
    Poly(crate::builtins::tokens::Tok),
}

impl std::fmt::Display for Declared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Declared::Type(t) => write!(f, "{t}"),
            Declared::Poly(t) => write!(f, "{t}"),
        }
    }
}

/// What a routine returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Returns {
    /// Procedures, and `RETURNS void`.
    Void,
    Trigger,
    /// One value of a type (`RETURNS integer`, `RETURNS users`, one OUT argument); `set`
    /// for `SETOF`.
    Value {
        ty: Declared,
        set: bool,
    },
    /// Named columns: `RETURNS TABLE (…)`, or several OUT arguments.
    Columns {
        columns: Vec<(String, SqlType)>,
        set: bool,
    },
    /// `RETURNS record` without OUT arguments: a column definition list is needed in FROM.
    Record {
        set: bool,
    },
}

impl Routine {
    /// The arguments a call passes, in order: a function's IN, INOUT and VARIADIC ones; all
    /// of a procedure's (since PostgreSQL 14 its OUT arguments are passed too, as NULL).
    pub fn passed_args(&self) -> impl Iterator<Item = &RoutineArg> {
        self.args
            .iter()
            .filter(|a| a.mode.is_input() || self.kind == RoutineKind::Procedure)
    }

    /// The types of [`Routine::passed_args`]: the signature PostgreSQL identifies it by.
    pub fn input_types(&self) -> Vec<&Declared> {
        self.passed_args().map(|a| &a.ty).collect()
    }

    /// `name(integer, text)`, as PostgreSQL names a routine in messages.
    pub fn signature(&self) -> String {
        let types: Vec<String> = self.input_types().iter().map(|t| t.to_string()).collect();
        format!("{}({})", self.name, types.join(", "))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub name: String,
    pub table: String,
    pub function: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: String,
    pub table: String,
}

/// What kind of relation holds a name in the namespace tables, views, indexes and
/// sequences share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    Table,
    View,
    MaterializedView,
    Index,
    Sequence,
}

impl RelationKind {
    pub fn noun(self) -> &'static str {
        match self {
            RelationKind::Table => "table",
            RelationKind::View => "view",
            RelationKind::MaterializedView => "materialized view",
            RelationKind::Index => "index",
            RelationKind::Sequence => "sequence",
        }
    }
}

/// A table of the catalog by position: resolved once from a name, then indexed without a
/// second lookup. Valid while no table is added or removed (one DDL handler's work).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableId(usize);

impl std::ops::Index<TableId> for Catalog {
    type Output = Table;
    fn index(&self, id: TableId) -> &Table {
        &self.tables[id.0]
    }
}

impl Catalog {
    /// What to do about a collation [`Catalog::collation_known`] does not know, for the
    /// migrations' and the queries' error alike.
    pub const UNKNOWN_COLLATION_HELP: &'static str = "create it with CREATE COLLATION first, or use `C`, `POSIX` or an ICU collation such as `und-x-icu`";

    /// Whether `COLLATE name` names a collation every PostgreSQL server has, or one the
    /// migrations created: `C`, `POSIX`, `default`, `ucs_basic`, `C.utf8`, and the ICU
    /// collations initdb imports (`und-x-icu`). Operating-system locales (`en_US.utf8`)
    /// depend on the server, so they are not assumed: create a collation for them.
    pub fn collation_known(&self, name: &str) -> bool {
        self.collations.iter().any(|c| c == name)
            || matches!(
                name,
                "default" | "C" | "POSIX" | "ucs_basic" | "C.utf8" | "C.UTF-8"
            )
            || name.ends_with("-x-icu")
    }

    pub fn table_id(&self, name: &str) -> Option<TableId> {
        self.tables.slot_named(name).map(TableId)
    }

    /// The table `id` names, to change.
    pub fn table_at_mut(&mut self, id: TableId) -> ObjectMut<'_, Table> {
        self.tables
            .get_mut(id.0)
            .expect("a TableId is valid while no table is added or removed")
    }

    /// The tables whose `partition_of` is `parent`.
    fn partitions_of<'a>(&'a self, parent: &'a str) -> impl Iterator<Item = usize> + 'a {
        let slots = self.tables.slots_with(&Key::Uses(parent.to_string()));
        slots
            .into_iter()
            .filter(move |&i| self.tables[i].partition_of.as_deref() == Some(parent))
    }

    /// The table and every partition below it, parents first.
    pub fn family_ids(&self, id: TableId) -> Vec<TableId> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            let parent = &self[out[i]].name;
            out.extend(self.partitions_of(parent).map(TableId));
            i += 1;
        }
        out
    }

    /// The copy of the catalog kept after a migration for the lints: the same objects,
    /// without the lookup indexes the interpreter needs (see `objects`).
    /// Starts a level of changes to keep or undo (see [`Objects::begin`]): a statement, or a
    /// DO block's subtransaction.
    pub fn begin(&mut self) -> Mark {
        Mark {
            lists: [
                self.tables.begin(),
                self.views.begin(),
                self.enums.begin(),
                self.composites.begin(),
                self.domains.begin(),
                self.indexes.begin(),
                self.sequences.begin(),
                self.routines.begin(),
                self.triggers.begin(),
                self.policies.begin(),
            ],
            // Short lists, copied whole.
            rest: (
                self.extensions.clone(),
                self.collations.clone(),
                self.schemas.clone(),
                self.casts.clone(),
            ),
        }
    }

    /// Keeps the changes since `mark`.
    pub fn commit(&mut self, mark: Mark) {
        let [t, v, e, c, d, i, s, r, tr, p] = mark.lists;
        self.tables.commit(t);
        self.views.commit(v);
        self.enums.commit(e);
        self.composites.commit(c);
        self.domains.commit(d);
        self.indexes.commit(i);
        self.sequences.commit(s);
        self.routines.commit(r);
        self.triggers.commit(tr);
        self.policies.commit(p);
    }

    /// Undoes the changes since `mark`.
    pub fn rollback(&mut self, mark: Mark) {
        let [t, v, e, c, d, i, s, r, tr, p] = mark.lists;
        self.tables.rollback(t);
        self.views.rollback(v);
        self.enums.rollback(e);
        self.composites.rollback(c);
        self.domains.rollback(d);
        self.indexes.rollback(i);
        self.sequences.rollback(s);
        self.routines.rollback(r);
        self.triggers.rollback(tr);
        self.policies.rollback(p);
        (self.extensions, self.collations, self.schemas, self.casts) = mark.rest;
    }

    pub fn snapshot(&self) -> Catalog {
        Catalog {
            tables: self.tables.without_index(),
            views: self.views.without_index(),
            enums: self.enums.without_index(),
            composites: self.composites.without_index(),
            domains: self.domains.without_index(),
            indexes: self.indexes.without_index(),
            sequences: self.sequences.without_index(),
            routines: self.routines.without_index(),
            triggers: self.triggers.without_index(),
            policies: self.policies.without_index(),
            ..self.clone()
        }
    }

    /// Whether every list's index agrees with its objects: checked after each statement of
    /// a small catalog in debug builds, so that every test also tests the index.
    pub fn indexes_are_consistent(&self) -> bool {
        self.tables.index_is_consistent()
            && self.views.index_is_consistent()
            && self.enums.index_is_consistent()
            && self.composites.index_is_consistent()
            && self.domains.index_is_consistent()
            && self.indexes.index_is_consistent()
            && self.sequences.index_is_consistent()
            && self.routines.index_is_consistent()
            && self.triggers.index_is_consistent()
            && self.policies.index_is_consistent()
    }

    pub fn new(service: &str) -> Catalog {
        Catalog {
            service: service.to_string(),
            ..Catalog::default()
        }
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.named(name).map(|o| &**o)
    }

    pub fn table_mut(&mut self, name: &str) -> Option<ObjectMut<'_, Table>> {
        self.tables.named_mut(name)
    }

    pub fn view(&self, name: &str) -> Option<&View> {
        self.views.named(name).map(|o| &**o)
    }

    pub fn enum_type(&self, name: &str) -> Option<&EnumType> {
        self.enums.named(name).map(|o| &**o)
    }

    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.named(name).map(|o| &**o)
    }

    /// The indexes on `table` (or materialized view), in catalog order.
    pub fn indexes_on<'a>(&'a self, table: &'a str) -> impl Iterator<Item = &'a Index> + 'a {
        (self
            .indexes
            .with_key(&Key::Uses(table.to_string()))
            .into_iter())
        .map(|i| &**i)
        .filter(move |i| i.table == table)
    }

    pub fn sequence(&self, name: &str) -> Option<&Sequence> {
        self.sequences.named(name).map(|o| &**o)
    }

    /// The functions and procedures of that name.
    pub fn routines_named<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s Routine> + 's {
        let name = name.to_string();
        self.routines
            .iter()
            .filter(move |r| r.name == name)
            .map(|r| &**r)
    }

    pub fn has_extension(&self, name: &str) -> bool {
        self.extensions.iter().any(|e| e == name)
    }

    /// Which relation (if any) holds `name`.
    pub fn relation_kind(&self, name: &str) -> Option<RelationKind> {
        if self.table(name).is_some() {
            Some(RelationKind::Table)
        } else if let Some(v) = self.view(name) {
            Some(if v.materialized {
                RelationKind::MaterializedView
            } else {
                RelationKind::View
            })
        } else if self.index(name).is_some() {
            Some(RelationKind::Index)
        } else if self.sequence(name).is_some() {
            Some(RelationKind::Sequence)
        } else {
            None
        }
    }

    /// `table` and every partition below it, parents first.
    pub fn table_family(&self, table: &str) -> Vec<String> {
        let mut out = vec![table.to_string()];
        let mut i = 0;
        while i < out.len() {
            let parent = out[i].clone();
            let children: Vec<String> = (self.partitions_of(&parent))
                .map(|i| self.tables[i].name.clone())
                .collect();
            out.extend(children);
            i += 1;
        }
        out
    }

    /// Removes constraints given as (table, constraint name).
    pub fn remove_constraints(&mut self, constraints: &[(String, String)]) {
        for (table, name) in constraints {
            if let Some(mut t) = self.table_mut(table) {
                t.constraints.retain(|c| &c.name != name);
            }
        }
    }

    pub fn composite_type(&self, name: &str) -> Option<&CompositeType> {
        self.composites.named(name).map(|o| &**o)
    }

    pub fn domain(&self, name: &str) -> Option<&Domain> {
        self.domains.named(name).map(|o| &**o)
    }

    /// The domains a value of type `ty` is, outermost first (a domain over a domain is
    /// both); none for an array or a type that is no domain.
    fn domains_of<'a>(&'a self, ty: &'a SqlType) -> impl Iterator<Item = &'a Domain> + 'a {
        let mut next = Some(ty);
        std::iter::from_fn(move || {
            let t = next?;
            let (name, base) = match (&t.base, t.array) {
                (types::BaseType::Domain { name, base }, false) => (name, base),
                _ => return None,
            };
            next = Some(base);
            self.domain(name)
        })
    }

    /// Whether an INSERT may leave `column` out without storing NULL in a NOT NULL column or
    /// domain: it has a default, or its domain gives one.
    pub fn insert_may_omit(&self, column: &Column) -> bool {
        let domain_default = self.domains_of(&column.ty).any(|d| d.default.is_some());
        let domain_not_null = self.domains_of(&column.ty).any(|d| d.not_null);
        column.has_default() || domain_default || !(column.not_null || domain_not_null)
    }

    /// Names in the type namespace: enums, composite types, and the row types of tables,
    /// views and sequences.
    pub fn type_taken(&self, name: &str) -> bool {
        self.user_type(name).is_some()
    }

    /// The user-defined type a name denotes: an enum, a composite type, or the row type a
    /// table, view or sequence of that name has (PostgreSQL creates one for each).
    pub fn user_type(&self, name: &str) -> Option<types::BaseType> {
        if self.enum_type(name).is_some() {
            return Some(types::BaseType::Enum(name.to_string()));
        }
        if let Some(d) = self.domain(name) {
            return Some(types::BaseType::Domain {
                name: name.to_string(),
                base: Box::new(d.base.clone()),
            });
        }
        let row_type = self.composite_type(name).is_some()
            || self.table(name).is_some()
            || self.view(name).is_some()
            || self.sequence(name).is_some();
        row_type.then(|| types::BaseType::Composite(name.to_string()))
    }

    /// The fields of a composite or row type, in order; `None` when the name is no such
    /// type, or is a view whose columns the analysis could not decide.
    pub fn row_fields(&self, name: &str) -> Option<Vec<(String, SqlType)>> {
        if let Some(c) = self.composite_type(name) {
            return Some(
                c.attributes
                    .iter()
                    .map(|a| (a.name.clone(), a.ty.clone()))
                    .collect(),
            );
        }
        if let Some(t) = self.table(name) {
            return Some(
                t.columns
                    .iter()
                    .map(|c| (c.name.clone(), c.ty.clone()))
                    .collect(),
            );
        }
        if let Some(v) = self.view(name) {
            let cols = v.columns.as_ref()?;
            return Some(
                cols.iter()
                    .map(|c| (c.name.clone(), c.ty.clone()))
                    .collect(),
            );
        }
        self.sequence(name).map(|_| {
            use types::Builtin as B;
            vec![
                ("last_value".to_string(), SqlType::builtin(B::BigInt)),
                ("log_cnt".to_string(), SqlType::builtin(B::BigInt)),
                ("is_called".to_string(), SqlType::builtin(B::Boolean)),
            ]
        })
    }

    /// Columns of tables and attributes of composite types that have type `name` (or an
    /// array of it) as their own type: what depends on the type, as (owner, column).
    /// Domains over the type are dependents of their own ([`Catalog::domains_over`]).
    pub fn uses_of_type(&self, name: &str) -> Vec<(String, String)> {
        self.uses_of_types(&[name])
    }

    /// [`Catalog::uses_of_type`] of several types in one pass over the catalog (a table
    /// and its partitions are dropped together: one pass, not one per partition).
    pub fn uses_of_types<S: AsRef<str>>(&self, names: &[S]) -> Vec<(String, String)> {
        let is = |t: &SqlType| match &t.base {
            types::BaseType::Enum(n)
            | types::BaseType::Composite(n)
            | types::BaseType::Domain { name: n, .. } => names.iter().any(|x| x.as_ref() == n),
            types::BaseType::Builtin { .. } => false,
        };
        // The objects that use any of the types, in catalog order, each once.
        fn users<'a, T: Keyed, S: AsRef<str>>(list: &'a Objects<T>, names: &[S]) -> Vec<&'a T> {
            (list.slots_using(names).into_iter())
                .map(|i| &*list[i])
                .collect()
        }
        let mut out = Vec::new();
        for t in users(&self.tables, names) {
            for c in t.columns.iter().filter(|c| is(&c.ty)) {
                out.push((t.name.clone(), c.name.clone()));
            }
        }
        for t in users(&self.composites, names) {
            for a in t.attributes.iter().filter(|a| is(&a.ty)) {
                out.push((t.name.clone(), a.name.clone()));
            }
        }
        out
    }

    /// The signatures of the routines whose arguments or result are of type `name` (or an
    /// array of it): PostgreSQL records a dependency on each.
    pub fn routines_of_type(&self, name: &str) -> Vec<String> {
        let is = |t: &SqlType| t.base_name() == name;
        let declared = |d: &Declared| matches!(d, Declared::Type(t) if is(t));
        self.routines
            .iter()
            .filter(|r| {
                r.args.iter().any(|a| declared(&a.ty))
                    || match &r.returns {
                        Returns::Value { ty, .. } => declared(ty),
                        Returns::Columns { columns, .. } => columns.iter().any(|(_, t)| is(t)),
                        _ => false,
                    }
            })
            .map(|r| r.signature())
            .collect()
    }

    /// The domains whose base type is `name` (or an array of it).
    pub fn domains_over(&self, name: &str) -> Vec<String> {
        self.domains
            .iter()
            .filter(|d| {
                d.base.base_name() == name
                    && !matches!(d.base.base, types::BaseType::Builtin { .. })
            })
            .map(|d| d.name.clone())
            .collect()
    }

    /// Whether `columns` (in any order) are exactly the key of a PRIMARY KEY, a UNIQUE
    /// constraint, or a non-partial unique index on plain columns of `table`: what a foreign
    /// key needs to reference and what `ON CONFLICT (cols)` needs to infer.
    pub fn has_unique_key(&self, table: &str, columns: &[String]) -> bool {
        let same =
            |key: &[String]| key.len() == columns.len() && columns.iter().all(|c| key.contains(c));
        let by_constraint = self.table(table).is_some_and(|t| {
            t.constraints
                .iter()
                .any(|c| c.kind.is_unique_key() && same(c.kind.columns()))
        });
        by_constraint
            || self.indexes_on(table).any(|i| {
                let keys: Option<Vec<String>> = i
                    .keys
                    .iter()
                    .map(|k| match k {
                        IndexKey::Column(c) => Some(c.clone()),
                        IndexKey::Expression { .. } => None,
                    })
                    .collect();
                i.unique && i.predicate.is_none() && keys.is_some_and(|k| same(&k))
            })
    }

    /// Every constraint name in the schema (PostgreSQL checks generated names against all).
    pub fn constraint_name_taken(&self, name: &str) -> bool {
        let key = Key::Constraint(name.to_string());
        self.tables.has_key(&key) || self.domains.has_key(&key)
    }

    pub fn relation_names(&self) -> impl Iterator<Item = &str> {
        self.tables
            .iter()
            .map(|t| t.name.as_str())
            .chain(self.views.iter().map(|v| v.name.as_str()))
    }
}

impl Table {
    /// A table with these columns and nothing else yet: no constraints, not partitioned,
    /// no row-level security, no dropped columns.
    pub fn new(name: String, service: String, columns: Vec<Column>) -> Table {
        Table {
            name,
            service,
            columns,
            constraints: Vec::new(),
            partition_key: None,
            partition_of: None,
            row_level_security: false,
            dropped_columns: 0,
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    pub fn constraint(&self, name: &str) -> Option<&Constraint> {
        self.constraints.iter().find(|c| c.name == name)
    }

    pub fn primary_key(&self) -> Option<&[String]> {
        self.constraints.iter().find_map(|c| match &c.kind {
            ConstraintKind::PrimaryKey { columns } => Some(columns.as_slice()),
            _ => None,
        })
    }

    pub fn is_partitioned(&self) -> bool {
        self.partition_key.is_some()
    }
}
