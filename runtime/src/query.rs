//! The queries the macros build, and how they run through sqlx.

use std::marker::PhantomData;

use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use sqlx::postgres::{PgArguments, PgQueryResult, PgRow};
use sqlx::{Arguments, Encode, Executor, Postgres, Type};

use crate::params::Param;

/// Bound parameters, with the first encoding error kept for when the query runs (sqlx
/// reports such errors at execution too).
#[doc(hidden)]
#[derive(Default)]
pub struct Args {
    inner: PgArguments,
    error: Option<sqlx::error::BoxDynError>,
}

impl Args {
    /// Binds the next parameter.
    pub fn add<'q, T>(&mut self, value: T)
    where
        T: Encode<'q, Postgres> + Type<Postgres> + 'q,
    {
        if self.error.is_none() {
            if let Err(e) = self.inner.add(value) {
                self.error = Some(e);
            }
        }
    }

    /// Binds the next parameter, an argument for a parameter of Rust type `T`: compiles
    /// only when [`Param`] allows `A` for `T`. One call per argument, where a type check
    /// and a bind were two (and a `let`): rustc's work on a checked call grows with the
    /// items and calls the macro writes.
    pub fn bind<'q, T: ?Sized, A: ?Sized + Param<T>>(&mut self, value: &'q A)
    where
        &'q A: Encode<'q, Postgres> + Type<Postgres>,
    {
        self.add(value)
    }

    fn into_inner(self) -> Result<PgArguments, sqlx::Error> {
        match self.error {
            Some(e) => Err(sqlx::Error::Encode(e)),
            None => Ok(self.inner),
        }
    }
}

/// How the macros turn a row into the query's record: a plain function, so a query built by
/// a macro is a small value with nothing boxed.
#[doc(hidden)]
pub type MapFn<R> = fn(PgRow) -> Result<R, sqlx::Error>;

/// Column `index` of `row`, checked against its OID as sqlx's `Row::try_get` does. The
/// type comes from the field or variable it goes to: the macros write no turbofish, which
/// keeps the path of each column's type out of every decoder rustc parses and hashes.
#[doc(hidden)]
#[inline]
pub fn get<'r, T>(row: &'r PgRow, index: usize) -> Result<T, sqlx::Error>
where
    T: sqlx::Decode<'r, Postgres> + Type<Postgres>,
{
    sqlx::Row::try_get(row, index)
}

/// Column `index` of `row` without the OID check (`Row::try_get_unchecked`): an enum's
/// label decodes as text, an array of a domain as an array of its base type.
#[doc(hidden)]
#[inline]
pub fn get_unchecked<'r, T>(row: &'r PgRow, index: usize) -> Result<T, sqlx::Error>
where
    T: sqlx::Decode<'r, Postgres>,
{
    sqlx::Row::try_get_unchecked(row, index)
}

/// Every column of a row at once, as a tuple (`(String, Option<i64>)`), each checked
/// against its OID as [`get`] does. A record's decoder is one call and one `?` rather than
/// one of each per column; the tuple's types come from the record's fields.
#[doc(hidden)]
pub trait Columns<'r>: Sized {
    fn decode(row: &'r PgRow) -> Result<Self, sqlx::Error>;
}

macro_rules! columns {
    ($($T:ident $i:tt),+) => {
        impl<'r, $($T),+> Columns<'r> for ($($T,)+)
        where
            $($T: sqlx::Decode<'r, Postgres> + Type<Postgres>,)+
        {
            #[inline]
            fn decode(row: &'r PgRow) -> Result<Self, sqlx::Error> {
                Ok(($(get(row, $i)?,)+))
            }
        }
    };
}
columns!(A 0, B 1);
columns!(A 0, B 1, C 2);
columns!(A 0, B 1, C 2, D 3);
columns!(A 0, B 1, C 2, D 3, E 4);
columns!(A 0, B 1, C 2, D 3, E 4, F 5);
columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12);
columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13);
columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14);
columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15);

/// The columns of `row` as the tuple `C`.
#[doc(hidden)]
#[inline]
pub fn row<'r, C: Columns<'r>>(row: &'r PgRow) -> Result<C, sqlx::Error> {
    C::decode(row)
}

/// The decoder of a statement without result columns: its rows (there are none, unless
/// a rule rewrites it) are `()`. One function for every such statement, where a record
/// without fields was a struct, a `Debug` impl and a closure per call.
#[doc(hidden)]
pub fn no_columns(_: PgRow) -> Result<(), sqlx::Error> {
    Ok(())
}

/// A checked query returning rows of type `R` (a record, your struct, or a scalar). A
/// statement without result columns is one too, a `Query<()>`: it is executed, or fetched
/// (rows are empty) as sqlx allows.
///
/// `M` is how a row becomes an `R`: the macro's decoder, or that decoder followed by your
/// own function after [`Query::map`] / [`Query::try_map`]. Name the type as `Query<R>`.
#[must_use = "a query does nothing until you run it, e.g. with `.fetch_all(&pool).await`"]
pub struct Query<R, M = MapFn<R>> {
    sql: &'static str,
    args: Args,
    map: M,
    persistent: bool,
    rows: PhantomData<fn() -> R>,
}

impl<R, M> std::fmt::Debug for Query<R, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Query")
            .field("sql", &self.sql)
            .field("persistent", &self.persistent)
            .finish_non_exhaustive()
    }
}

impl<R> Query<R> {
    /// The macros' constructor: `sql` is the checked literal. Not public API (the public
    /// API has no way to build a query from a string); a statement-specific type carrying
    /// the SQL as an associated constant was one struct, impl and constant per call, and
    /// those items were a seventh of what rustc spent on a checked call.
    #[doc(hidden)]
    pub fn __new(sql: &'static str, args: Args, map: MapFn<R>) -> Self {
        Query {
            sql,
            args,
            map,
            persistent: true,
            rows: PhantomData,
        }
    }

    /// What a call that does not check expands to, beside its errors: a query of the same
    /// type (its record when the columns are known), so that neither rustc nor
    /// rust-analyzer reports errors in the code using it. The crate does not compile, so
    /// this never runs; if it did, it would fail rather than send anything.
    #[doc(hidden)]
    pub fn __placeholder() -> Self {
        Query {
            sql: "",
            args: Args::default(),
            map: |_| {
                Err(sqlx::Error::Protocol(
                    "a checked query that did not check cannot run".into(),
                ))
            },
            persistent: true,
            rows: PhantomData,
        }
    }
}

impl<R, M> Query<R, M>
where
    R: Send + Unpin,
    M: FnMut(PgRow) -> Result<R, sqlx::Error> + Send,
{
    /// Whether the statement is prepared once per connection and kept (the default, as in
    /// sqlx). `false` for PgBouncer's transaction pooling, where a prepared statement may
    /// not be on the next connection.
    pub fn persistent(mut self, value: bool) -> Self {
        self.persistent = value;
        self
    }

    /// The checked SQL this query runs.
    pub fn sql(&self) -> &'static str {
        self.sql
    }

    /// Each row's record passed through `f`, as sqlx's `Query::map`. The SQL and its
    /// parameters stay the checked ones.
    ///
    /// ```ignore
    /// let emails: Vec<Email> = checked_query!("SELECT email FROM users")
    ///     .map(|row| Email(row.email))
    ///     .fetch_all(&pool)
    ///     .await?;
    /// ```
    pub fn map<O, F>(self, mut f: F) -> Query<O, impl FnMut(PgRow) -> Result<O, sqlx::Error> + Send>
    where
        O: Send + Unpin,
        F: FnMut(R) -> O + Send,
    {
        self.try_map(move |r| Ok(f(r)))
    }

    /// Each row's record passed through a fallible `f`; its error is the query's error, as
    /// with sqlx's `Query::try_map` (use `sqlx::Error::Decode` or `sqlx::Error::Protocol`
    /// for your own failures).
    pub fn try_map<O, F>(
        self,
        mut f: F,
    ) -> Query<O, impl FnMut(PgRow) -> Result<O, sqlx::Error> + Send>
    where
        O: Send + Unpin,
        F: FnMut(R) -> Result<O, sqlx::Error> + Send,
    {
        let mut map = self.map;
        Query {
            sql: self.sql,
            args: self.args,
            map: move |row| map(row).and_then(&mut f),
            persistent: self.persistent,
            rows: PhantomData,
        }
    }

    /// The same query as sqlx's own `Map`, to continue with anything sqlx offers: the SQL,
    /// its bound parameters and the row decoding are the checked ones. The error is a
    /// parameter that failed to encode (sqlx reports those when the query runs).
    pub fn into_sqlx(
        self,
    ) -> Result<sqlx::query::Map<'static, Postgres, M, PgArguments>, sqlx::Error> {
        let (query, map) = self.statement()?;
        Ok(query.try_map(map))
    }

    /// The statement as sqlx runs it: the checked SQL and its bound parameters.
    fn statement(
        self,
    ) -> Result<(sqlx::query::Query<'static, Postgres, PgArguments>, M), sqlx::Error> {
        let query = sqlx::query_with(self.sql, self.args.into_inner()?).persistent(self.persistent);
        Ok((query, self.map))
    }

    // The fetch methods below map the executor's rows themselves rather than through
    // `into_sqlx()`: sqlx's `Map` passes every row through an extra generator stream
    // (`try_stream!`), which costs about 7 % on a `fetch_all` of 1,000 rows
    // (`cargo bench -p users-service --bench runtime`); `sqlx::query_as` maps as here.

    /// Exactly one row; `sqlx::Error::RowNotFound` when there is none.
    pub async fn fetch_one<'e, 'c: 'e, E>(self, executor: E) -> Result<R, sqlx::Error>
    where
        E: 'e + Executor<'c, Database = Postgres>,
        M: 'e,
        R: 'e,
    {
        let (query, mut map) = self.statement()?;
        match executor.fetch_optional(query).await? {
            Some(row) => map(row),
            None => Err(sqlx::Error::RowNotFound),
        }
    }

    /// At most one row.
    pub async fn fetch_optional<'e, 'c: 'e, E>(self, executor: E) -> Result<Option<R>, sqlx::Error>
    where
        E: 'e + Executor<'c, Database = Postgres>,
        M: 'e,
        R: 'e,
    {
        let (query, mut map) = self.statement()?;
        executor
            .fetch_optional(query)
            .await?
            .map(&mut map)
            .transpose()
    }

    /// Every row.
    pub async fn fetch_all<'e, 'c: 'e, E>(self, executor: E) -> Result<Vec<R>, sqlx::Error>
    where
        E: 'e + Executor<'c, Database = Postgres>,
        M: 'e,
        R: 'e,
    {
        self.fetch(executor).try_collect().await
    }

    /// The rows as a stream.
    pub fn fetch<'e, 'c: 'e, E>(self, executor: E) -> BoxStream<'e, Result<R, sqlx::Error>>
    where
        E: 'e + Executor<'c, Database = Postgres>,
        M: 'e,
        R: 'e,
    {
        match self.statement() {
            Ok((query, mut map)) => executor
                .fetch(query)
                .map(move |row| row.and_then(&mut map))
                .boxed(),
            Err(e) => Box::pin(futures_util::stream::once(async move { Err(e) })),
        }
    }

    /// The rows as a stream, then the statement's result (rows affected): everything
    /// PostgreSQL returns for it, as sqlx's `fetch_many`. sqlx deprecates that method
    /// because one prepared statement may hold several statements on SQLite; a checked
    /// query is always exactly one statement, so the stream ends with exactly one
    /// `Either::Left`.
    pub fn fetch_many<'e, 'c: 'e, E>(
        self,
        executor: E,
    ) -> BoxStream<'e, Result<sqlx::Either<PgQueryResult, R>, sqlx::Error>>
    where
        E: 'e + Executor<'c, Database = Postgres>,
        M: 'e,
        R: 'e,
    {
        match self.statement() {
            #[allow(deprecated)]
            Ok((query, mut map)) => executor
                .fetch_many(query)
                .map(move |item| match item? {
                    sqlx::Either::Left(done) => Ok(sqlx::Either::Left(done)),
                    sqlx::Either::Right(row) => map(row).map(sqlx::Either::Right),
                })
                .boxed(),
            Err(e) => Box::pin(futures_util::stream::once(async move { Err(e) })),
        }
    }

    /// Runs the statement, discarding any rows; returns how many rows it affected.
    pub async fn execute<'e, 'c: 'e, E>(self, executor: E) -> Result<PgQueryResult, sqlx::Error>
    where
        E: 'e + Executor<'c, Database = Postgres>,
    {
        executor.execute(self.statement()?.0).await
    }
}
