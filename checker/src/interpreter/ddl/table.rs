//! CREATE TABLE, column definitions, and the constraints shared with ALTER TABLE.

use std::sync::Arc;

use crate::catalog::types::Builtin;
use crate::policies::cockroach::CrdbRule;
use sqlparser::ast::{
    ColumnDef, ColumnOption, CreateTable, Expr, GeneratedAs, Ident, IndexColumn, ObjectName,
    Spanned, TableConstraint,
};
use sqlparser::tokenizer::Span;

use super::{Applied, Ctx};
use crate::catalog::names::{choose_name, join_columns};
use crate::catalog::types::{self, foreign_key_compatible, Serial, TypeError};
use crate::catalog::{
    ident_name, references, Catalog, Column, Constraint, ConstraintKind, Identity, Index, IndexKey,
    Sequence, Table,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::interpreter::fallback::{LikeClause, LikeOptions};

/// A constraint from a column or table definition, applied once the table exists.
#[derive(Clone)]
pub(super) enum Pending {
    PrimaryKey {
        name: Option<Ident>,
        columns: Vec<Ident>,
        /// `INCLUDE (…)`: columns the key's index carries without keying on them.
        include: Vec<Ident>,
        span: Span,
    },
    Unique {
        name: Option<Ident>,
        columns: Vec<Ident>,
        include: Vec<Ident>,
        span: Span,
    },
    ForeignKey {
        name: Option<Ident>,
        columns: Vec<Ident>,
        ref_table: ObjectName,
        ref_columns: Vec<Ident>,
        on_delete: Option<String>,
        on_update: Option<String>,
        span: Span,
    },
    Check {
        name: Option<Ident>,
        expr: Expr,
    },
    Exclude {
        name: Option<Ident>,
        method: String,
        /// Each element: the column and the operator it is compared with.
        elements: Vec<(Ident, String)>,
        span: Span,
    },
}

pub fn create_table(cx: &Ctx, cat: &mut Catalog, ct: &CreateTable) -> Applied {
    create_table_with_likes(cx, cat, ct, &[])
}

/// CREATE TABLE with the `LIKE source` elements sqlparser cannot read, taken out of the
/// column list beforehand (see [`LikeClause`]).
pub fn create_table_with_likes(
    cx: &Ctx,
    cat: &mut Catalog,
    ct: &CreateTable,
    likes: &[LikeClause],
) -> Applied {
    let (name, span) = cx.object_name(&ct.name)?;
    cx.check_schema(cat, &name, span)?;
    let help = "write the columns out in this migration";
    if ct.like.is_some() {
        return Err(cx.unsupported("CREATE TABLE … LIKE", ct.name.span(), help));
    }
    if ct.clone.is_some() {
        return Err(cx.unsupported("CREATE TABLE … CLONE", ct.name.span(), help));
    }
    if ct.inherits.is_some() {
        cx.crdb_warning(
            CrdbRule::Inheritance,
            "table inheritance (INHERITS)",
            ct.name.span(),
        );
    }
    if ct.temporary {
        return Err(cx.unsupported(
            "temporary tables in migrations",
            ct.name.span(),
            "a temporary table disappears at the end of the migration's session; create a regular table",
        ));
    }
    if cat.relation_kind(&name).is_some() {
        if ct.if_not_exists {
            return Ok(()); // PostgreSQL: NOTICE, skipping
        }
        cx.check_relation_free(cat, &name, span)?;
    }
    if cat.enum_type(&name).is_some() {
        return Err(cx.duplicate("type", &name, span));
    }

    if let Some(parent) = &ct.partition_of {
        return create_partition(cx, cat, &name, span, parent, ct);
    }
    if let Some(query) = &ct.query {
        return super::table_as::create_table_as(cx, cat, name, span, ct, query);
    }

    let mut table = Table::new(name.clone(), cat.service.clone(), Vec::new());
    let parents = ct.inherits.as_deref().unwrap_or_default();
    let inherited = inherited_columns(cx, cat, parents)?;
    let inherited_count = inherited.len();
    table.columns = inherited;
    let mut pending = Vec::new();
    let mut copies = Vec::new();
    for (k, def) in ct.columns.iter().map(Some).chain([None]).enumerate() {
        for like in likes.iter().filter(|l| l.position == k) {
            let (source, sspan) = cx.table(cat, &like.source)?;
            for c in &source.columns {
                if table.column(&c.name).is_some() {
                    return Err(cx
                        .error(
                            Code::DuplicateObject,
                            format!("column `{}` specified more than once", c.name),
                            sspan,
                        )
                        .with_help("a LIKE source and the table (or another source) share this column name; rename one"));
                }
                table.columns.push(like_column(c, like.options));
            }
            copies.push((source.clone(), like.options));
        }
        let Some(def) = def else { break };
        let col_name = ident_name(&def.name);
        if let Some(i) = table.columns[..inherited_count]
            .iter()
            .position(|c| c.name == col_name)
        {
            // PostgreSQL merges a column declared again with the one inherited: same type,
            // NOT NULL if either is, the child's default first.
            let (column, mut cons) = column_def(cx, cat, def)?;
            let parent = &mut table.columns[i];
            if parent.ty != column.ty {
                return Err(type_conflict(
                    cx,
                    &col_name,
                    &parent.ty,
                    &column.ty,
                    def.name.span,
                ));
            }
            parent.not_null |= column.not_null;
            if column.default.is_some() {
                parent.default = column.default;
            }
            pending.append(&mut cons);
            continue;
        }
        if table.column(&col_name).is_some() {
            return Err(cx
                .error(
                    Code::DuplicateObject,
                    format!("column `{col_name}` specified more than once"),
                    def.name.span,
                )
                .with_help("remove or rename one of them"));
        }
        let (column, mut cons) = column_def(cx, cat, def)?;
        table.columns.push(column);
        pending.append(&mut cons);
    }
    for def in &ct.columns {
        check_generated(cx, &table, def)?;
    }
    check_column_count(cx, &table, 0, span)?;
    if ct.columns.is_empty() && ct.constraints.is_empty() && !has_column_list(cx.frag) {
        return Err(cx
            .error(Code::SyntaxError, "syntax error: CREATE TABLE needs a column list", span)
            .with_sqlstate("42601")
            .with_help("write the columns in parentheses: `CREATE TABLE t (id bigint PRIMARY KEY, …)`, or `()` for a table without columns"));
    }
    for c in &ct.constraints {
        pending.push(table_constraint(cx, c)?);
    }
    if let Some(key) = &ct.partition_by {
        table.partition_key = Some(partition_key(cx, &table, key)?);
    }
    cat.tables.push(table);
    // Serial and identity sequences come first, as PostgreSQL creates them before the table.
    create_owned_sequences(cat, &name);
    apply_pending(cx, cat, &name, pending)?;
    for (source, options) in copies {
        copy_constraints_and_indexes(
            cat,
            &source,
            &name,
            Copied {
                checks: options.constraints,
                foreign_keys: false,
                indexes: options.indexes,
            },
        );
    }
    Ok(())
}

/// A column as `LIKE` copies it: name, type and NOT NULL always; the default, identity and
/// generation expression only when asked (a copied identity gets a sequence of its own).
fn like_column(c: &Column, options: LikeOptions) -> Column {
    Column {
        default: c.default.clone().filter(|_| options.defaults),
        identity: c.identity.filter(|_| options.identity),
        generated: c.generated.clone().filter(|_| options.generated),
        ..c.clone()
    }
}

/// Which of a table's constraints and indexes another table gets a copy of.
struct Copied {
    checks: bool,
    foreign_keys: bool,
    /// PRIMARY KEY, UNIQUE and EXCLUDE constraints, and plain indexes.
    indexes: bool,
}

/// The columns `INHERITS (parent, …)` gives a new table, in PostgreSQL's order: each
/// parent's columns in turn, a name two parents share merged into one (same type, NOT NULL if
/// either is). Defaults come along; identity and constraints other than NOT NULL do not
/// (the checker does not copy CHECK constraints, which only narrow what an INSERT may hold).
fn inherited_columns(
    cx: &Ctx,
    cat: &Catalog,
    parents: &[sqlparser::ast::ObjectName],
) -> Result<Vec<Column>, Diagnostic> {
    let mut columns: Vec<Column> = Vec::new();
    for parent in parents {
        let (pname, pspan) = cx.object_name(parent)?;
        let Some(p) = cat.table(&pname) else {
            return Err(cx.unknown_relation(cat, &pname, pspan, "table"));
        };
        if p.partition_key.is_some() {
            return Err(cx
                .error(
                    Code::InvalidDefinition,
                    format!("cannot inherit from partitioned table `{pname}`"),
                    pspan,
                )
                .with_sqlstate("42809")
                .with_help(
                    "create a partition with `PARTITION OF`, or inherit from a plain table",
                ));
        }
        for c in &p.columns {
            match columns.iter_mut().find(|x| x.name == c.name) {
                Some(x) if x.ty != c.ty => {
                    return Err(type_conflict(cx, &c.name, &x.ty, &c.ty, pspan));
                }
                Some(x) => x.not_null |= c.not_null,
                None => columns.push(Column {
                    identity: None,
                    ..c.clone()
                }),
            }
        }
    }
    Ok(columns)
}

fn type_conflict(
    cx: &Ctx,
    column: &str,
    a: &types::SqlType,
    b: &types::SqlType,
    span: Span,
) -> Diagnostic {
    cx.error(
        Code::TypeMismatch,
        format!("column `{column}` has a type conflict: {a} versus {b}"),
        span,
    )
    .with_sqlstate("42804")
    .with_help("declare the column with the type the parent table gives it")
}

/// PostgreSQL creates the PRIMARY KEY index first, then UNIQUE ones, then CHECKs and
/// foreign keys; the order decides which generated names get numeric suffixes.
pub(super) fn apply_pending(
    cx: &Ctx,
    cat: &mut Catalog,
    table: &str,
    pending: Vec<Pending>,
) -> Applied {
    let rank = |p: &Pending| match p {
        Pending::PrimaryKey { .. } => 0,
        Pending::Unique { .. } => 1,
        Pending::Exclude { .. } => 2,
        Pending::Check { .. } => 3,
        Pending::ForeignKey { .. } => 4,
    };
    let mut pending = pending;
    pending.sort_by_key(rank);
    // PostgreSQL keeps one index per column list: a UNIQUE on the primary key's columns,
    // or a repeated UNIQUE, merges into the first (which keeps its name, else takes the
    // later one's).
    let key_of = |p: &Pending| match p {
        Pending::PrimaryKey {
            columns, include, ..
        }
        | Pending::Unique {
            columns, include, ..
        } => Some((
            columns.iter().map(ident_name).collect::<Vec<_>>(),
            include.iter().map(ident_name).collect::<Vec<_>>(),
        )),
        _ => None,
    };
    let mut merged: Vec<Pending> = Vec::with_capacity(pending.len());
    for p in pending {
        let key = key_of(&p);
        let earlier = key
            .as_ref()
            .and_then(|k| merged.iter().position(|m| key_of(m).as_ref() == Some(k)));
        match (earlier, p) {
            (Some(i), Pending::Unique { name, .. }) => {
                if let Pending::PrimaryKey { name: first, .. }
                | Pending::Unique { name: first, .. } = &mut merged[i]
                {
                    if first.is_none() {
                        *first = name;
                    }
                }
            }
            (_, p) => merged.push(p),
        }
    }
    for p in merged {
        add_constraint(cx, cat, table, p)?;
    }
    Ok(())
}

fn partition_key(cx: &Ctx, table: &Table, key: &Expr) -> Result<Vec<String>, Diagnostic> {
    let Expr::Function(f) = key else {
        return Err(cx.unsupported(
            format!("partition key `{key}`"),
            key.span(),
            "use PARTITION BY RANGE|LIST|HASH (columns)",
        ));
    };
    let strategy = f.name.to_string().to_lowercase();
    if !matches!(strategy.as_str(), "range" | "list" | "hash") {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("unrecognized partitioning strategy `{strategy}`"),
                f.name.span(),
            )
            .with_help("use RANGE, LIST or HASH"));
    }
    let sqlparser::ast::FunctionArguments::List(args) = &f.args else {
        return Err(cx.unsupported(
            format!("partition key `{key}`"),
            key.span(),
            "list the key columns",
        ));
    };
    let mut cols = Vec::new();
    for a in &args.args {
        match a {
            sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(
                Expr::Identifier(i),
            )) => {
                cols.push(cx.columns(table, std::slice::from_ref(i))?.remove(0));
            }
            other => {
                return Err(cx.unsupported(
                    format!("partition key expression `{other}`"),
                    key.span(),
                    "partition by plain columns",
                ))
            }
        }
    }
    Ok(cols)
}

fn create_partition(
    cx: &Ctx,
    cat: &mut Catalog,
    name: &str,
    span: Span,
    parent: &ObjectName,
    ct: &CreateTable,
) -> Applied {
    let (parent_table, parent_span) = cx.table(cat, parent)?;
    if !parent_table.is_partitioned() {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("table `{}` is not partitioned", parent_table.name),
                parent_span,
            )
            .with_help("declare the parent with PARTITION BY"));
    }
    if !ct.columns.is_empty() || !ct.constraints.is_empty() {
        return Err(cx.unsupported(
            "column or constraint definitions on a partition",
            span,
            "declare columns and constraints on the partitioned parent",
        ));
    }
    let parent_table = parent_table.clone();
    let mut table = Table::new(
        name.to_string(),
        cat.service.clone(),
        parent_table.columns.clone(),
    );
    table.partition_of = Some(parent_table.name.clone());
    if let Some(key) = &ct.partition_by {
        table.partition_key = Some(partition_key(cx, &table, key)?);
    }
    cat.tables.push(table);
    copy_constraints_and_indexes(
        cat,
        &parent_table,
        name,
        Copied {
            checks: true,
            foreign_keys: true,
            indexes: true,
        },
    );
    Ok(())
}

/// Copies `from`'s constraints and indexes to table `name`, as a partition or `LIKE`
/// does: CHECKs and foreign keys keep their names, index-backed constraints and plain
/// indexes get names of the new table's own.
fn copy_constraints_and_indexes(cat: &mut Catalog, from: &Table, name: &str, what: Copied) {
    for c in &from.constraints {
        let wanted = match c.kind {
            ConstraintKind::Check { .. } => what.checks,
            ConstraintKind::ForeignKey { .. } => what.foreign_keys,
            _ => what.indexes,
        };
        if !wanted {
            continue;
        }
        let cloned = match &c.kind {
            ConstraintKind::PrimaryKey { columns } | ConstraintKind::Unique { columns } => {
                // The key's INCLUDE columns come along with its index, and into its name.
                let include: Vec<String> = cat
                    .indexes
                    .iter()
                    .find(|i| i.table == from.name && i.constraint.as_deref() == Some(&c.name))
                    .map(|i| i.include.clone())
                    .unwrap_or_default();
                let label = if matches!(c.kind, ConstraintKind::PrimaryKey { .. }) {
                    "pkey"
                } else {
                    "key"
                };
                let cname = choose_name(
                    name,
                    (label == "key")
                        .then(|| join_columns(columns.iter().chain(&include).map(String::as_str)))
                        .as_deref(),
                    label,
                    &|n| cat.relation_kind(n).is_some(),
                );
                // The index is keyed in the table's schema; the constraint is named bare.
                let bare = crate::catalog::split_key(&cname).1.to_string();
                push_index(cat, name, &cname, columns, true, Some(bare.clone()));
                if !include.is_empty() {
                    cat.indexes
                        .update_where(|i| i.name == cname, |i| i.include = include.clone());
                }
                Constraint {
                    name: bare,
                    kind: c.kind.clone(),
                }
            }
            _ => c.clone(),
        };
        cat.table_mut(name).unwrap().constraints.push(cloned);
    }
    if !what.indexes {
        return;
    }
    let parent_indexes: Vec<Index> = cat
        .indexes
        .iter()
        .filter(|i| i.table == from.name && i.constraint.is_none())
        .map(|i| Index::clone(i))
        .collect();
    for idx in parent_indexes {
        let cols = index_name_columns(&idx.keys);
        let iname = choose_name(name, Some(&cols), "idx", &|n| {
            cat.relation_kind(n).is_some()
        });
        cat.indexes.push(Index {
            name: iname,
            table: name.to_string(),
            constraint: None,
            ..idx
        });
    }
}

/// The column-name part PostgreSQL uses when it names an index: columns by name,
/// expressions by their function name or `expr`.
pub(super) fn index_name_columns(keys: &[IndexKey]) -> String {
    join_columns(keys.iter().map(|k| match k {
        IndexKey::Column(c) => c.as_str(),
        IndexKey::Expression { text, .. } => expression_label(text),
    }))
}

fn expression_label(text: &str) -> &str {
    // `lower(email)` → `lower`; anything else → `expr` (FigureIndexColname).
    match text.find('(') {
        Some(i) if i > 0 && text[..i].chars().all(|c| c.is_alphanumeric() || c == '_') => {
            &text[..i]
        }
        _ => "expr",
    }
}

/// A column definition: the column and the constraints it declares.
pub(super) fn column_def(
    cx: &Ctx,
    cat: &Catalog,
    def: &ColumnDef,
) -> Result<(Column, Vec<Pending>), Diagnostic> {
    let name = ident_name(&def.name);
    let (ty, serial) = resolve_type(cx, cat, &def.data_type, def.name.span)?;
    let declared_int = matches!(
        def.data_type,
        sqlparser::ast::DataType::Int(None) | sqlparser::ast::DataType::Integer(None)
    ) || (serial == Serial::Yes && ty.is(Builtin::Integer));
    let mut column = Column {
        name: name.clone(),
        ty,
        not_null: false,
        default: None,
        identity: None,
        generated: None,
        declared_int,
    };
    crdb_type_warnings(cx, def, &name, declared_int, serial);
    let (pending, explicit_null) = column_options(cx, cat, def, &mut column)?;
    check_column_values(cx, def, &mut column, serial, explicit_null)?;
    Ok((column, pending))
}

/// What a column's declared type means on CockroachDB: `INT` is 64-bit there, SERIAL is
/// not sequential, nested arrays do not exist.
fn crdb_type_warnings(cx: &Ctx, def: &ColumnDef, name: &str, declared_int: bool, serial: Serial) {
    if declared_int && serial == Serial::No {
        cx.crdb_warning(
            CrdbRule::IntWidth,
            &format!("column `{name}` declared `{}`", def.data_type),
            def.name.span,
        );
    }
    if serial == Serial::Yes {
        cx.crdb_warning(
            CrdbRule::Serial,
            &format!("`{}` column `{name}`", def.data_type),
            def.name.span,
        );
    }
    if let sqlparser::ast::DataType::Array(sqlparser::ast::ArrayElemTypeDef::SquareBracket(
        inner,
        _,
    )) = &def.data_type
    {
        if matches!(inner.as_ref(), sqlparser::ast::DataType::Array(_)) {
            cx.crdb_warning(
                CrdbRule::NestedArrays,
                &format!("nested array column `{name}`"),
                def.name.span,
            );
        }
    }
}

/// The column's options in order: nullability, default, keys and checks (as pending
/// constraints), identity and generation. Returns the constraints and whether NULL was
/// written explicitly.
fn column_options(
    cx: &Ctx,
    cat: &Catalog,
    def: &ColumnDef,
    column: &mut Column,
) -> Result<(Vec<Pending>, bool), Diagnostic> {
    let mut pending = Vec::new();
    let mut explicit_null = false;
    for opt in &def.options {
        let span = def.name.span;
        match &opt.option {
            ColumnOption::Null => explicit_null = true,
            ColumnOption::NotNull => column.not_null = true,
            ColumnOption::Default(expr) => {
                check_default(cx, cat, expr)?;
                let ty = column.ty.clone();
                column.default = stored_default(expr, &ty, &|dt| {
                    resolve_type(cx, cat, dt, span).ok().map(|(t, _)| t)
                });
            }
            ColumnOption::PrimaryKey(pk) => pending.push(Pending::PrimaryKey {
                name: opt.name.clone().or(pk.name.clone()),
                columns: vec![def.name.clone()],
                include: Vec::new(),
                span,
            }),
            ColumnOption::Unique(u) => pending.push(Pending::Unique {
                name: opt.name.clone().or(u.name.clone()),
                columns: vec![def.name.clone()],
                include: Vec::new(),
                span,
            }),
            ColumnOption::ForeignKey(fk) => pending.push(Pending::ForeignKey {
                name: opt.name.clone().or(fk.name.clone()),
                columns: vec![def.name.clone()],
                ref_table: fk.foreign_table.clone(),
                ref_columns: fk.referred_columns.clone(),
                on_delete: fk.on_delete.map(|a| a.to_string()),
                on_update: fk.on_update.map(|a| a.to_string()),
                span: fk.foreign_table.span(),
            }),
            ColumnOption::Check(c) => pending.push(Pending::Check {
                name: opt.name.clone().or(c.name.clone()),
                expr: (*c.expr).clone(),
            }),
            ColumnOption::Generated {
                generated_as,
                generation_expr,
                sequence_options,
                ..
            } => match (generated_as, generation_expr) {
                (GeneratedAs::Always | GeneratedAs::ByDefault, None)
                    if column.ty.is_integer() && sequence_options.is_some() =>
                {
                    let options = sequence_options.as_deref().unwrap_or_default();
                    super::sequence_options::check(cx, options, column.ty.as_builtin(), span)?;
                    column.identity = Some(if *generated_as == GeneratedAs::Always {
                        Identity::Always
                    } else {
                        Identity::ByDefault
                    });
                }
                (GeneratedAs::Always, None) => column.identity = Some(Identity::Always),
                (GeneratedAs::ByDefault, None) => column.identity = Some(Identity::ByDefault),
                (_, Some(expr)) => column.generated = Some(expr.to_string()),
                (GeneratedAs::ExpStored, None) => {
                    return Err(cx.unsupported(
                        "GENERATED without an expression",
                        span,
                        "write GENERATED ALWAYS AS (expr) STORED",
                    ));
                }
            },
            ColumnOption::Collation(c) => check_collation(cx, cat, &column.ty, c)?,
            other => {
                return Err(cx.unsupported(
                    format!("column option `{other}`"),
                    span,
                    "remove the option, or report it if PostgreSQL accepts it",
                ));
            }
        }
    }
    Ok((pending, explicit_null))
}

/// The combinations PostgreSQL refuses: NULL with NOT NULL, serial or identity with a
/// DEFAULT, identity on a non-integer, a generated column with a DEFAULT. Settles what
/// serial and identity imply (NOT NULL, the sequence default).
fn check_column_values(
    cx: &Ctx,
    def: &ColumnDef,
    column: &mut Column,
    serial: Serial,
    explicit_null: bool,
) -> Applied {
    let name = &column.name.clone();
    if explicit_null && column.not_null {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("conflicting NULL/NOT NULL declarations for column `{name}`"),
                def.name.span,
            )
            .with_help("keep one of them"));
    }
    if serial == Serial::Yes {
        if column.default.is_some() || column.identity.is_some() {
            return Err(cx
                .error(Code::InvalidDefinition, format!("multiple default values specified for column `{name}`"), def.name.span)
                .with_help("a serial column already has a default; use the plain integer type with your DEFAULT"));
        }
        column.not_null = true;
        // The sequence name is settled in create_owned_sequences, once the table exists.
        column.default = Some(SERIAL_DEFAULT.to_string());
    }
    if column.identity.is_some() {
        if !column.ty.is_integer() {
            return Err(cx
                .error(Code::InvalidDefinition, "identity column type must be smallint, integer, or bigint", def.name.span)
                .with_help("declare the column as bigint (or use a DEFAULT such as gen_random_uuid() for uuid keys)"));
        }
        if column.default.is_some() {
            return Err(cx
                .error(
                    Code::InvalidDefinition,
                    format!("both default and identity specified for column `{name}`"),
                    def.name.span,
                )
                .with_help("drop the DEFAULT: the identity generates the value"));
        }
        column.not_null = true;
    }
    if column.generated.is_some() && column.default.is_some() {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("both default and generation expression specified for column `{name}`"),
                def.name.span,
            )
            .with_help("a generated column computes its value; drop the DEFAULT"));
    }
    Ok(())
}

/// `COLLATE name` in a definition names a collation the server has, on a collatable
/// type (a string type or an array of one).
pub(super) fn check_collation(
    cx: &Ctx,
    cat: &Catalog,
    ty: &types::SqlType,
    name: &ObjectName,
) -> Applied {
    // PostgreSQL's own collations may be written qualified (`pg_catalog."C"`, as pg_dump
    // writes them); they are the built-in ones.
    let builtin = match name.0.as_slice() {
        [schema, c] => schema
            .as_ident()
            .filter(|s| ident_name(s) == "pg_catalog")
            .and(c.as_ident())
            .map(|c| (ident_name(c), c.span)),
        _ => None,
    };
    let (n, span) = match builtin {
        Some(found) => found,
        None => cx.object_name(name)?,
    };
    let element = types::SqlType {
        base: ty.base.clone(),
        array: false,
    };
    if element.category() != types::Category::String {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("collations are not supported by type {ty}"),
                span,
            )
            .with_help("only string types (text, varchar, char, citext) take a collation"));
    }
    if cat.collation_known(&n) {
        return Ok(());
    }
    Err(cx.unknown(
        Code::UnknownCollation,
        "collation",
        &n,
        span,
        cat.collations.iter().map(String::as_str),
        Catalog::UNKNOWN_COLLATION_HELP,
    ))
}

/// The default PostgreSQL stores for `DEFAULT expr`: none for a NULL constant (`DEFAULT
/// NULL`, `DEFAULT NULL::text`), which it does not record in `pg_attrdef`.
///
/// Only a bare NULL constant goes unrecorded: PostgreSQL stores the default when converting
/// the NULL to the column's type leaves an expression — a length coercion for a type
/// modifier (`varchar(100)`, `numeric(10,2)`, `timestamptz(3)`, `bit(3)`, and arrays of
/// them; `interval(p)` excepted), or a cast to another type than the column's (`NULL::varchar`
/// for a text column). `cast_type` resolves a cast's type.
pub(super) fn stored_default(
    expr: &Expr,
    column: &types::SqlType,
    cast_type: &dyn Fn(&sqlparser::ast::DataType) -> Option<types::SqlType>,
) -> Option<String> {
    let stored = Some(expr.to_string());
    let length_coercion = match &column.base {
        types::BaseType::Builtin { ty, modifiers } => {
            !modifiers.is_empty() && *ty != Builtin::Interval
        }
        // The conversion to a domain (CoerceToDomain) is never a constant.
        types::BaseType::Domain { .. } => true,
        _ => false,
    };
    if length_coercion {
        return stored;
    }
    let mut e = expr;
    loop {
        match e {
            Expr::Nested(inner) => e = inner,
            Expr::Cast {
                expr: inner,
                data_type,
                ..
            } => {
                // A cast to the column's own type folds into the constant.
                if cast_type(data_type).as_ref() != Some(column) {
                    return stored;
                }
                e = inner;
            }
            Expr::Value(v) if matches!(v.value, sqlparser::ast::Value::Null) => return None,
            _ => return stored,
        }
    }
}

/// Placeholder default of a serial column until its sequence is named.
pub(super) const SERIAL_DEFAULT: &str = "nextval(<serial>)";

/// Creates the sequences serial and identity columns own, naming them as PostgreSQL does
/// (`{table}_{column}_seq`).
pub(super) fn create_owned_sequences(cat: &mut Catalog, table: &str) {
    let cols: Vec<(String, bool)> = cat
        .table(table)
        .map(|t| {
            t.columns
                .iter()
                .filter(|c| c.identity.is_some() || c.default.as_deref() == Some(SERIAL_DEFAULT))
                .filter(|c| {
                    !cat.sequences
                        .iter()
                        .any(|s| s.owned_by == Some((table.to_string(), c.name.clone())))
                })
                .map(|c| (c.name.clone(), c.identity.is_none()))
                .collect()
        })
        .unwrap_or_default();
    for (col, serial) in cols {
        let seq = choose_name(table, Some(&col), "seq", &|n| {
            cat.relation_kind(n).is_some()
        });
        if serial {
            let mut t = cat.table_mut(table).unwrap();
            let c = t.column_mut(&col).unwrap();
            c.default = Some(format!("nextval('{seq}'::regclass)"));
        }
        cat.sequences.push(Sequence {
            name: seq,
            owned_by: Some((table.to_string(), col)),
        });
    }
}

pub(super) fn resolve_type(
    cx: &Ctx,
    cat: &Catalog,
    dt: &sqlparser::ast::DataType,
    span: Span,
) -> Result<(types::SqlType, Serial), Diagnostic> {
    if let Ok((t, _)) = types::resolve(dt, &|n| cat.user_type(n), &|e| cat.has_extension(e)) {
        if let Some(rule) = crate::policies::cockroach::type_rule(&t) {
            cx.crdb_warning(rule, &format!("type `{}`", t.base_name()), span);
        }
    }
    if let sqlparser::ast::DataType::Custom(name, _) = dt {
        if let Some(owners) =
            crate::catalog::object_key(name).and_then(|n| cx.env.foreign.get(&n).map(|o| (n, o)))
        {
            if cat.user_type(&owners.0).is_none() {
                let (message, help) =
                    crate::policies::ownership_message("type", &owners.0, owners.1);
                return Err(cx
                    .error(Code::CrossServiceReference, message, span)
                    .with_help(help));
            }
        }
    }
    types::resolve(dt, &|n| cat.user_type(n), &|e| cat.has_extension(e)).map_err(move |e| match e {
        TypeError::Unknown(name) => {
            let candidates: Vec<String> =
                types::known_type_names().map(String::from).chain(cat.enums.iter().map(|e| e.name.clone())).chain(cat.composites.iter().map(|c| c.name.clone())).collect();
            cx.unknown(Code::UnknownType, "type", &name, span, candidates.iter().map(String::as_str), "use a PostgreSQL type, or create the enum or composite type with CREATE TYPE in an earlier statement")
        }
        TypeError::Invalid(what) => cx
            .error(Code::InvalidDefinition, format!("invalid type {what}"), span)
            .with_help("write the type as PostgreSQL spells it"),
        TypeError::NeedsExtension { ty, extension } => cx
            .error(Code::UnknownType, format!("type `{ty}` needs the `{extension}` extension"), span)
            .with_help(format!("add `CREATE EXTENSION IF NOT EXISTS {extension};` in an earlier statement")),
    })
}

/// A type outside a column definition, where the serial pseudo-types do not exist
/// (attributes, routine arguments, domains).
pub(super) fn resolve_value_type(
    cx: &Ctx,
    cat: &Catalog,
    dt: &sqlparser::ast::DataType,
    span: Span,
) -> Result<types::SqlType, Diagnostic> {
    let (ty, serial) = resolve_type(cx, cat, dt, span)?;
    if serial == Serial::Yes {
        return Err(cx
            .error(
                Code::UnknownType,
                format!("type `{dt}` does not exist here"),
                span,
            )
            .with_sqlstate(super::sqlstate::UNDEFINED_OBJECT)
            .with_help("serial types exist only in column definitions; use integer or bigint"));
    }
    Ok(ty)
}

/// DEFAULT expressions may not mention columns, and `nextval('seq')` must name an existing
/// sequence (PostgreSQL resolves the regclass when the default is stored).
pub(super) fn check_default(cx: &Ctx, cat: &Catalog, expr: &Expr) -> Applied {
    let refs = references::collect(expr);
    if let Some(id) = refs.identifiers.first() {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("cannot use column reference `{id}` in DEFAULT expression"),
                expr.span(),
            )
            .with_help(
                "a default is computed without the row; use a generated column or a trigger",
            ));
    }
    let mut result = Ok(());
    let _ = sqlparser::ast::visit_expressions(expr, |e| {
        if let Expr::Function(f) = e {
            if f.name.to_string().eq_ignore_ascii_case("nextval") {
                if let Some(seq) = first_string_arg(f) {
                    if cat.sequence(&seq).is_none() {
                        result = Err(cx.unknown(
                            Code::UnknownSequence,
                            "sequence",
                            &seq,
                            e.span(),
                            cat.sequences.iter().map(|s| s.name.as_str()),
                            "create it with CREATE SEQUENCE in an earlier statement",
                        ));
                        return std::ops::ControlFlow::Break(());
                    }
                }
            }
        }
        std::ops::ControlFlow::Continue(())
    });
    result
}

fn first_string_arg(f: &sqlparser::ast::Function) -> Option<String> {
    let sqlparser::ast::FunctionArguments::List(list) = &f.args else {
        return None;
    };
    let arg = list.args.first()?;
    let sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(e)) = arg else {
        return None;
    };
    let e = match e {
        Expr::Cast { expr, .. } => expr.as_ref(),
        e => e,
    };
    match e {
        Expr::Value(v) => match &v.value {
            sqlparser::ast::Value::SingleQuotedString(s) => {
                crate::catalog::names::relation_key_from_text(s)
            }
            _ => None,
        },
        _ => None,
    }
}

/// A table constraint clause as a pending constraint.
pub(super) fn table_constraint(cx: &Ctx, c: &TableConstraint) -> Result<Pending, Diagnostic> {
    let plain = |cols: &[IndexColumn], what: &str| -> Result<Vec<Ident>, Diagnostic> {
        cols.iter()
            .map(|ic| match &ic.column.expr {
                Expr::Identifier(i) => Ok(i.clone()),
                other => Err(cx.unsupported(
                    format!("expression `{other}` in a {what}"),
                    other.span(),
                    "list plain columns",
                )),
            })
            .collect()
    };
    Ok(match c {
        TableConstraint::PrimaryKey(pk) => Pending::PrimaryKey {
            name: pk.name.clone(),
            columns: plain(&pk.columns, "PRIMARY KEY")?,
            include: pk.include.clone(),
            span: c.span(),
        },
        TableConstraint::Unique(u) => Pending::Unique {
            name: u.name.clone(),
            columns: plain(&u.columns, "UNIQUE constraint")?,
            include: u.include.clone(),
            span: c.span(),
        },
        TableConstraint::ForeignKey(fk) => Pending::ForeignKey {
            name: fk.name.clone(),
            columns: fk.columns.clone(),
            ref_table: fk.foreign_table.clone(),
            ref_columns: fk.referred_columns.clone(),
            on_delete: fk.on_delete.map(|a| a.to_string()),
            on_update: fk.on_update.map(|a| a.to_string()),
            span: fk.foreign_table.span(),
        },
        TableConstraint::Check(ch) => Pending::Check {
            name: ch.name.clone(),
            expr: (*ch.expr).clone(),
        },
        TableConstraint::Exclude(ex) => {
            cx.crdb_warning(
                CrdbRule::ExclusionConstraints,
                "an EXCLUDE constraint",
                c.span(),
            );
            let mut elements = Vec::new();
            for el in &ex.elements {
                let Expr::Identifier(col) = &el.column.column.expr else {
                    return Err(cx.unsupported(
                        "an EXCLUDE element that is an expression",
                        c.span(),
                        "exclude on plain columns",
                    ));
                };
                let op = match &el.operator {
                    sqlparser::ast::ExcludeConstraintOperator::Token(t) => t.clone(),
                    other => {
                        return Err(cx.unsupported(
                            format!("the operator `{other}`"),
                            c.span(),
                            "write the operator itself, e.g. `WITH &&`",
                        ))
                    }
                };
                if el.column.operator_class.is_some() {
                    return Err(cx.unsupported(
                        "operator classes in EXCLUDE",
                        c.span(),
                        "drop the operator class",
                    ));
                }
                elements.push((col.clone(), op));
            }
            if !ex.include.is_empty() || ex.where_clause.is_some() {
                return Err(cx.unsupported(
                    "EXCLUDE with INCLUDE or WHERE",
                    c.span(),
                    "write the plain EXCLUDE constraint",
                ));
            }
            Pending::Exclude {
                name: ex.name.clone(),
                method: ex
                    .index_method
                    .as_ref()
                    .map_or("btree".to_string(), |m| m.value.to_lowercase()),
                elements,
                span: c.span(),
            }
        }
        other => {
            return Err(cx.unsupported(
                format!("constraint `{other}`"),
                other.span(),
                "use PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK",
            ))
        }
    })
}

pub(super) fn push_index(
    cat: &mut Catalog,
    table: &str,
    name: &str,
    columns: &[String],
    unique: bool,
    constraint: Option<String>,
) {
    cat.indexes.push(Index {
        name: name.to_string(),
        table: table.to_string(),
        keys: columns.iter().cloned().map(IndexKey::Column).collect(),
        include: Vec::new(),
        unique,
        predicate: None,
        predicate_columns: Vec::new(),
        method: "btree".to_string(),
        concurrently: false,
        constraint,
    });
}

/// Adds a constraint to an existing table, as PostgreSQL would.
pub(super) fn add_constraint(cx: &Ctx, cat: &mut Catalog, table_name: &str, p: Pending) -> Applied {
    // The catalog's own table, shared while read: each `add_*` lets go of it (`release`)
    // before changing it, so that the change copies it only if the statement's undo or
    // another catalog holds it. A copy per constraint was a fifth of creating a table.
    let table = Arc::clone(
        cat.tables
            .named(table_name)
            .expect("constraint target exists"),
    );
    match p {
        Pending::PrimaryKey {
            name,
            columns,
            include,
            span,
        } => add_key(cx, cat, table, name, (&columns, &include), span, true),
        Pending::Unique {
            name,
            columns,
            include,
            span,
        } => add_key(cx, cat, table, name, (&columns, &include), span, false),
        Pending::ForeignKey {
            name,
            columns,
            ref_table,
            ref_columns,
            on_delete,
            on_update,
            span,
        } => add_foreign_key(
            cx,
            cat,
            table,
            name,
            &columns,
            &ref_table,
            &ref_columns,
            on_delete,
            on_update,
            span,
        ),
        Pending::Check { name, expr } => add_check(cx, cat, table, name, &expr),
        Pending::Exclude {
            name,
            method,
            elements,
            span,
        } => add_exclusion(cx, cat, table, name, &method, &elements, span),
    }
}

/// Lets go of a table read by an `add_*` before the catalog's copy is changed; its name.
fn release(table: Arc<Table>) -> String {
    table.name.clone()
}

/// `EXCLUDE USING method (col WITH op, …)`. The operators the checker can vouch for: `=` on
/// any type the index method supports (gist needs the btree_gist extension for scalar
/// types), and `&&` on range and geometric types under gist; anything else is refused
/// rather than guessed.
fn add_exclusion(
    cx: &Ctx,
    cat: &mut Catalog,
    table: Arc<Table>,
    name: Option<Ident>,
    method: &str,
    elements: &[(Ident, String)],
    span: Span,
) -> Applied {
    let idents: Vec<Ident> = elements.iter().map(|(c, _)| c.clone()).collect();
    let cols = cx.columns(&table, &idents)?;
    if !matches!(method, "btree" | "hash" | "gist" | "spgist") {
        return Err(cx.unsupported(
            format!("EXCLUDE USING {method}"),
            span,
            "use gist (or btree for `=`)",
        ));
    }
    for ((_, op), col) in elements.iter().zip(&cols) {
        let ty = &table.column(col).expect("resolved above").ty;
        let overlaps = !ty.array
            && matches!(ty.category(), types::Category::Other)
            && matches!(
                ty.typcategory(),
                types::TypCategory::Range | types::TypCategory::Geometric
            );
        let range = !ty.array && ty.typcategory() == types::TypCategory::Range;
        let equality = !ty.array
            && !matches!(ty.category(), types::Category::Composite)
            && !matches!(ty.typcategory(), types::TypCategory::Geometric)
            && !ty.is(Builtin::Json)
            && !ty.is(Builtin::Xml);
        let ok = match (method, op.as_str()) {
            ("btree" | "hash", "=") => equality,
            ("gist", "=") if range => true,
            ("gist", "=") if !equality => false,
            ("gist", "=") => {
                if !cat.has_extension("btree_gist") {
                    return Err(cx
                        .error(Code::InvalidDefinition, format!("data type {ty} has no default operator class for access method \"gist\""), span)
                        .with_help("create the btree_gist extension first: `CREATE EXTENSION IF NOT EXISTS btree_gist;`"));
                }
                true
            }
            ("gist" | "spgist", "&&") => overlaps,
            _ => false,
        };
        if !ok {
            return Err(cx.unsupported(
                format!("EXCLUDE USING {method} with `{col} WITH {op}` on type {ty}"),
                span,
                "the checker knows `=` (btree, or gist with btree_gist) and `&&` on ranges and geometric types",
            ));
        }
    }
    let schema = crate::catalog::split_key(&table.name).0;
    let explicit = explicit_name(cx, cat, &table, &name, true)?;
    let index_name = match explicit {
        Some(e) => crate::catalog::names::qualify(schema, e),
        None => choose_name(
            &table.name,
            Some(&join_columns(cols.iter().map(String::as_str))),
            "excl",
            &|n| cat.relation_kind(n).is_some(),
        ),
    };
    let cname = crate::catalog::split_key(&index_name).1.to_string();
    let table_name = release(table);
    cat.table_mut(&table_name)
        .expect("target exists")
        .constraints
        .push(Constraint {
            name: cname.clone(),
            kind: ConstraintKind::Exclude {
                columns: cols.clone(),
            },
        });
    push_index(cat, &table_name, &index_name, &cols, false, Some(cname));
    if let Some(mut i) = cat.indexes.last_mut() {
        i.method = method.to_string();
    }
    Ok(())
}

/// An explicitly named constraint must be new on its table; an index-backed one also needs
/// its name free in the relation namespace (the index takes it).
fn explicit_name(
    cx: &Ctx,
    cat: &Catalog,
    table: &Table,
    name: &Option<Ident>,
    index_backed: bool,
) -> Result<Option<String>, Diagnostic> {
    let Some(ident) = name else { return Ok(None) };
    let n = ident_name(ident);
    if table.constraint(&n).is_some() {
        return Err(cx.duplicate_in(
            "constraint",
            &n,
            &format!("on table `{}`", table.name),
            ident.span,
        ));
    }
    if index_backed {
        cx.check_relation_free(cat, &n, ident.span)?;
    }
    Ok(Some(n))
}

/// CockroachDB cannot key a constraint on a JSONB column.
fn jsonb_key_warning(cx: &Ctx, table: &Table, cols: &[String], what: &str, span: Span) {
    for c in cols {
        if table.column(c).is_some_and(|col| col.ty.is(Builtin::Jsonb)) {
            cx.crdb_warning(
                CrdbRule::JsonbKeys,
                &format!("{what} on JSONB column `{}.{c}`", table.name),
                span,
            );
        }
    }
}

fn add_key(
    cx: &Ctx,
    cat: &mut Catalog,
    table: Arc<Table>,
    name: Option<Ident>,
    (columns, include): (&[Ident], &[Ident]),
    span: Span,
    primary: bool,
) -> Applied {
    let cols = cx.columns(&table, columns)?;
    let included = cx.columns(&table, include)?;
    jsonb_key_warning(
        cx,
        &table,
        &cols,
        if primary {
            "PRIMARY KEY"
        } else {
            "UNIQUE constraint"
        },
        span,
    );
    if primary && table.primary_key().is_some() {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!(
                    "multiple primary keys for table `{}` are not allowed",
                    table.name
                ),
                span,
            )
            .with_help("a table has one PRIMARY KEY; use UNIQUE for other keys"));
    }
    if let Some(key) = &table.partition_key {
        if let Some(missing) = key.iter().find(|k| !cols.contains(k)) {
            let what = if primary {
                "PRIMARY KEY"
            } else {
                "UNIQUE constraint"
            };
            return Err(cx
                .error(Code::InvalidDefinition, format!("{what} on partitioned table `{}` must include the partition key column `{missing}`", table.name), span)
                .with_help("add the partition key columns to the key"));
        }
    }
    let explicit = explicit_name(cx, cat, &table, &name, true)?;
    let (label, name2) = if primary {
        ("pkey", None)
    } else {
        // INCLUDE columns are in the generated name too, as PostgreSQL chooses it.
        (
            "key",
            Some(join_columns(
                cols.iter().chain(&included).map(String::as_str),
            )),
        )
    };
    let schema = crate::catalog::split_key(&table.name).0;
    let index_name = match explicit {
        Some(e) => crate::catalog::names::qualify(schema, e),
        None => choose_name(&table.name, name2.as_deref(), label, &|n| {
            cat.relation_kind(n).is_some()
        }),
    };
    let cname = crate::catalog::split_key(&index_name).1.to_string();
    let table_name = release(table);
    let mut t = cat.table_mut(&table_name).unwrap();
    if primary {
        for c in &cols {
            t.column_mut(c).unwrap().not_null = true;
        }
    }
    let kind = if primary {
        ConstraintKind::PrimaryKey {
            columns: cols.clone(),
        }
    } else {
        ConstraintKind::Unique {
            columns: cols.clone(),
        }
    };
    t.constraints.push(Constraint {
        name: cname.clone(),
        kind,
    });
    drop(t);
    push_index(
        cat,
        &table_name,
        &index_name,
        &cols,
        true,
        Some(cname.clone()),
    );
    if !included.is_empty() {
        cat.indexes
            .update_where(|i| i.name == index_name, |i| i.include = included.clone());
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn add_foreign_key(
    cx: &Ctx,
    cat: &mut Catalog,
    table: Arc<Table>,
    name: Option<Ident>,
    columns: &[Ident],
    ref_table: &ObjectName,
    ref_columns: &[Ident],
    on_delete: Option<String>,
    on_update: Option<String>,
    span: Span,
) -> Applied {
    let cols = cx.columns(&table, columns)?;
    jsonb_key_warning(cx, &table, &cols, "FOREIGN KEY", span);
    let (ref_name, ref_span) = cx.object_name(ref_table)?;
    let target = match (cat.tables.named(&ref_name), cat.relation_kind(&ref_name)) {
        (Some(t), _) => Arc::clone(t),
        (None, Some(kind)) => {
            return Err(cx
                .error(
                    Code::ForeignKeyTarget,
                    format!(
                        "referenced relation `{ref_name}` is a {}, not a table",
                        kind.noun()
                    ),
                    ref_span,
                )
                .with_help("a foreign key must reference a table"))
        }
        (None, None) => return Err(cx.unknown_relation(cat, &ref_name, ref_span, "table")),
    };
    let refs = if ref_columns.is_empty() {
        match target.primary_key() {
            Some(pk) => pk.to_vec(),
            None => {
                return Err(cx
                    .error(
                        Code::ForeignKeyTarget,
                        format!("there is no primary key for referenced table `{ref_name}`"),
                        ref_span,
                    )
                    .with_help(
                        "name the referenced columns, which must carry a UNIQUE constraint",
                    ))
            }
        }
    } else {
        cx.columns(&target, ref_columns)?
    };
    if refs.len() != cols.len() {
        return Err(cx
            .error(
                Code::ForeignKeyTarget,
                "number of referencing and referenced columns for foreign key disagree",
                span,
            )
            .with_help(format!(
                "reference as many columns of `{ref_name}` as the key has ({})",
                cols.len()
            )));
    }
    let has_unique = cat.has_unique_key(&ref_name, &refs);
    if !has_unique {
        return Err(cx
            .error(Code::ForeignKeyTarget, format!("there is no unique constraint matching given keys for referenced table `{ref_name}`"), ref_span)
            .with_help(format!("add PRIMARY KEY or UNIQUE ({}) to `{ref_name}` first", refs.join(", "))));
    }
    // `cx.columns` resolved both lists against their tables above.
    let types = |t: &Table, names: &[String]| -> Vec<crate::catalog::SqlType> {
        names
            .iter()
            .filter_map(|n| t.column(n))
            .map(|c| c.ty.clone())
            .collect()
    };
    for ((c, r), (ct, rt)) in cols
        .iter()
        .zip(&refs)
        .zip(types(&table, &cols).iter().zip(&types(&target, &refs)))
    {
        if !foreign_key_compatible(ct, rt) {
            return Err(cx
                .error(Code::ForeignKeyTypes, format!("foreign key column `{c}` is {ct} but referenced column `{ref_name}.{r}` is {rt}"), span)
                .with_help(format!("declare `{c}` as {rt}")));
        }
    }
    drop(target);
    let explicit = explicit_name(cx, cat, &table, &name, false)?;
    let cname = explicit.unwrap_or_else(|| {
        choose_name(
            &table.name,
            Some(&join_columns(cols.iter().map(String::as_str))),
            "fkey",
            &|n| cat.constraint_name_taken(crate::catalog::split_key(n).1),
        )
    });
    let cname = crate::catalog::split_key(&cname).1.to_string();
    cat.table_mut(&release(table))
        .unwrap()
        .constraints
        .push(Constraint {
            name: cname,
            kind: ConstraintKind::ForeignKey {
                columns: cols,
                ref_table: ref_name,
                ref_columns: refs,
                on_delete,
                on_update,
            },
        });
    Ok(())
}

fn add_check(
    cx: &Ctx,
    cat: &mut Catalog,
    table: Arc<Table>,
    name: Option<Ident>,
    expr: &Expr,
) -> Applied {
    let ids = references::collect(expr).identifiers;
    if let Some(unknown) = ids.iter().find(|i| table.column(i).is_none()) {
        return Err(cx.unknown_column(&table, unknown, expr.span()));
    }
    let explicit = explicit_name(cx, cat, &table, &name, false)?;
    // PostgreSQL names a CHECK after its column when it mentions exactly one.
    let cname = explicit.unwrap_or_else(|| {
        let single = if ids.len() == 1 {
            Some(ids[0].as_str())
        } else {
            None
        };
        choose_name(&table.name, single, "check", &|n| {
            cat.constraint_name_taken(crate::catalog::split_key(n).1)
        })
    });
    let cname = crate::catalog::split_key(&cname).1.to_string();
    cat.table_mut(&release(table))
        .unwrap()
        .constraints
        .push(Constraint {
            name: cname,
            kind: ConstraintKind::Check {
                expr: expr.to_string(),
                columns: ids,
            },
        });
    Ok(())
}

/// PostgreSQL's limit on a table's columns, dropped ones included, with `adding` more.
pub(super) fn check_column_count(cx: &Ctx, table: &Table, adding: usize, span: Span) -> Applied {
    use crate::catalog::limits::MAX_COLUMNS;
    if table.columns.len() + table.dropped_columns + adding > MAX_COLUMNS {
        return Err(cx
            .error(
                Code::InvalidDefinition,
                format!("tables can have at most {MAX_COLUMNS} columns"),
                span,
            )
            .with_sqlstate("54011")
            .with_help(if table.dropped_columns > 0 {
                "dropped columns count until the table is rewritten: create a new table, or split this one"
            } else {
                "split the table"
            }));
    }
    Ok(())
}

/// Whether `CREATE TABLE name` is followed by a parenthesised list (sqlparser also takes
/// the statement without one, which PostgreSQL refuses).
fn has_column_list(frag: &crate::source::Fragment) -> bool {
    crate::interpreter::fallback::tokens(frag).is_none_or(|toks| {
        toks.iter()
            .any(|t| t.token == sqlparser::tokenizer::Token::LParen)
    })
}

/// Generated columns may only mention columns of their own table.
pub(super) fn check_generated(cx: &Ctx, table: &Table, def: &ColumnDef) -> Applied {
    for opt in &def.options {
        if let ColumnOption::Generated {
            generation_expr: Some(expr),
            ..
        } = &opt.option
        {
            let ids = references::collect(expr).identifiers;
            let own = ident_name(&def.name);
            // The column itself, or another generated column: PostgreSQL computes generated
            // columns from the others in one pass.
            let generated =
                |i: &String| *i == own || table.column(i).is_some_and(|c| c.generated.is_some());
            if let Some(g) = ids.iter().find(|i| generated(i)) {
                return Err(cx
                    .error(
                        Code::InvalidDefinition,
                        format!("cannot use generated column `{g}` in column generation expression"),
                        expr.span(),
                    )
                    .with_sqlstate("42P17")
                    .with_help("a generated column can only reference columns that are not generated; repeat that column's expression instead"));
            }
            if let Some(unknown) = ids.iter().find(|i| table.column(i).is_none()) {
                return Err(cx.unknown_column(table, unknown, expr.span()));
            }
        }
    }
    Ok(())
}
