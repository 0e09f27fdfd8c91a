//! The orders service: enums, numeric money, jsonb and a composite type, all through
//! checked queries.

use checked_query::sqlx::encode::IsNull;
use checked_query::sqlx::error::BoxDynError;
use checked_query::sqlx::postgres::types::{PgRecordDecoder, PgRecordEncoder};
use checked_query::sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef, Postgres};
use checked_query::sqlx::types::{Decimal, JsonValue, Uuid};
use checked_query::sqlx::{Decode, Encode, PgPool, Type};
use checked_query::{checked_query, checked_query_scalar};

/// PostgreSQL's `postal_address` composite type, mapped in `Cargo.toml`
/// (`[package.metadata.checked-query.types]`). sqlx's `#[derive(sqlx::Type)]` writes these
/// three impls; they are spelled out here because the crate depends on sqlx only through
/// checked-query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalAddress {
    pub street: String,
    pub city: String,
    pub zip: Option<String>,
}

impl Type<Postgres> for PostalAddress {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_name("postal_address")
    }
}

impl<'r> Decode<'r, Postgres> for PostalAddress {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        let mut fields = PgRecordDecoder::new(value)?;
        Ok(PostalAddress {
            street: fields.try_decode()?,
            city: fields.try_decode()?,
            zip: fields.try_decode()?,
        })
    }
}

impl Encode<'_, Postgres> for PostalAddress {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        let mut fields = PgRecordEncoder::new(buf);
        fields.encode(&self.street)?;
        fields.encode(&self.city)?;
        fields.encode(&self.zip)?;
        fields.finish();
        Ok(IsNull::No)
    }
}

/// Sets where an order ships, as one composite value.
pub async fn ship_to(
    pool: &PgPool,
    id: Uuid,
    address: &PostalAddress,
) -> Result<bool, checked_query::sqlx::Error> {
    let r = checked_query!("UPDATE orders SET ship_to = $1 WHERE id = $2", address, id)
        .execute(pool)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// The whole address of an order (`None` until one is set).
pub async fn shipping_address(
    pool: &PgPool,
    id: Uuid,
) -> Result<Option<PostalAddress>, checked_query::sqlx::Error> {
    checked_query_scalar!("SELECT ship_to FROM orders WHERE id = $1", id)
        .fetch_one(pool)
        .await
}

/// Orders shipping to a city, read field by field; the city is set from text fields with a
/// row constructor.
pub async fn orders_to_city(
    pool: &PgPool,
    city: &str,
) -> Result<Vec<(Uuid, Option<String>)>, checked_query::sqlx::Error> {
    let rows = checked_query!(
        "SELECT id, (ship_to).street FROM orders WHERE (ship_to).city = $1 ORDER BY created_at",
        city
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.street)).collect())
}

/// Moves every order of `user_id` to a new address given as its fields.
pub async fn readdress(
    pool: &PgPool,
    user_id: &str,
    street: &str,
    city: &str,
) -> Result<u64, checked_query::sqlx::Error> {
    let r = checked_query!(
        "UPDATE orders SET ship_to = ROW($1, $2, NULL) WHERE user_id = $3",
        street,
        city,
        user_id
    )
    .execute(pool)
    .await?;
    Ok(r.rows_affected())
}

/// Places an order for `user_id` (a users-service id; no foreign key crosses services).
pub async fn place(
    pool: &PgPool,
    user_id: &str,
    total: Decimal,
    notes: Option<&JsonValue>,
) -> Result<Uuid, checked_query::sqlx::Error> {
    checked_query_scalar!(
        "INSERT INTO orders (user_id, total, notes) VALUES ($1, $2, $3) RETURNING id",
        user_id,
        total,
        notes
    )
    .fetch_one(pool)
    .await
}

/// Moves an order to a status (`'paid'`, `'shipped'`, …), given as text: the enum is bound
/// through checked-query's text adapter.
pub async fn set_status(
    pool: &PgPool,
    id: Uuid,
    status: &str,
) -> Result<bool, checked_query::sqlx::Error> {
    let r = checked_query!(
        "UPDATE orders SET status = $1, updated_at = now() WHERE id = $2",
        status,
        id
    )
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Order ids and statuses of a user in the given statuses.
pub async fn by_status(
    pool: &PgPool,
    user_id: &str,
    statuses: &[&str],
) -> Result<Vec<(Uuid, String, Decimal)>, checked_query::sqlx::Error> {
    let rows = checked_query!(
        "SELECT id, status, total FROM orders WHERE user_id = $1 AND status = ANY($2) ORDER BY created_at",
        user_id,
        statuses
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.status, r.total))
        .collect())
}

/// Adds a line to an order.
pub async fn add_item(
    pool: &PgPool,
    order_id: Uuid,
    sku: &str,
    quantity: i32,
    unit_price: Decimal,
) -> Result<Uuid, checked_query::sqlx::Error> {
    checked_query_scalar!(
        "INSERT INTO order_items (order_id, sku, quantity, unit_price) VALUES ($1, $2, $3, $4) RETURNING id",
        order_id,
        sku,
        quantity,
        unit_price
    )
    .fetch_one(pool)
    .await
}

/// An order's total, read inside a transaction.
pub async fn total_in(
    tx: &mut checked_query::Tx,
    order_id: Uuid,
) -> Result<Decimal, checked_query::sqlx::Error> {
    checked_query_scalar!("SELECT total FROM orders WHERE id = $1", order_id)
        .fetch_one(&mut **tx)
        .await
}

/// Inside a transaction: adds a line to an order and the line's amount to the order's total
/// (two tables, one transaction).
pub async fn add_line_in(
    tx: &mut checked_query::Tx,
    order_id: Uuid,
    sku: &str,
    quantity: i32,
    unit_price: Decimal,
) -> Result<Uuid, checked_query::sqlx::Error> {
    let id = checked_query_scalar!(
        "INSERT INTO order_items (order_id, sku, quantity, unit_price) VALUES ($1, $2, $3, $4) RETURNING id",
        order_id,
        sku,
        quantity,
        unit_price
    )
    .fetch_one(&mut **tx)
    .await?;
    checked_query!(
        "UPDATE orders SET total = total + $2::int4 * $3::numeric, updated_at = now() WHERE id = $1",
        order_id,
        quantity,
        unit_price
    )
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Adds a line and its amount to the order's total in one SERIALIZABLE transaction, retried
/// on serialization failures (CockroachDB's 40001 under contention): the closure may run
/// more than once, so it only runs the transaction's own statements.
pub async fn add_line(
    pool: &PgPool,
    order_id: Uuid,
    sku: &str,
    quantity: i32,
    unit_price: Decimal,
) -> Result<
    checked_query::Committed<Uuid>,
    checked_query::TransactionError<checked_query::sqlx::Error>,
> {
    let sku = sku.to_string();
    checked_query::Transact::new()
        .run(pool, move |tx| {
            let sku = sku.clone();
            Box::pin(async move { add_line_in(tx, order_id, &sku, quantity, unit_price).await })
        })
        .await
}

/// What an order's lines add up to, computed by the service's own SQL function (its result
/// is nullable, as every user function's is).
pub async fn order_value(
    pool: &PgPool,
    id: Uuid,
) -> Result<Option<Decimal>, checked_query::sqlx::Error> {
    checked_query_scalar!("SELECT order_value($1)", id)
        .fetch_one(pool)
        .await
}

/// Cancels pending orders older than `older_than`, through a procedure.
pub async fn cancel_stale_orders(
    pool: &PgPool,
    older_than: checked_query::sqlx::postgres::types::PgInterval,
) -> Result<(), checked_query::sqlx::Error> {
    checked_query!("CALL cancel_stale_orders($1)", older_than)
        .execute(pool)
        .await?;
    Ok(())
}

/// Notes an order and sets its tracking code: both columns are domains, bound as text
/// (PostgreSQL checks the domains' CHECKs, so a bad value is a database error).
pub async fn annotate(
    pool: &PgPool,
    id: Uuid,
    note: &str,
    tracking: &str,
) -> Result<bool, checked_query::sqlx::Error> {
    let r = checked_query!(
        "UPDATE orders SET customer_note = $1, tracking = $2 WHERE id = $3",
        note,
        tracking,
        id
    )
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// An order's note and tracking code, read as text (a domain's NOT NULL or CHECK does not
/// make the column non-null).
pub async fn annotation(
    pool: &PgPool,
    id: Uuid,
) -> Result<(Option<String>, Option<String>), checked_query::sqlx::Error> {
    let r = checked_query!(
        "SELECT customer_note, tracking FROM orders WHERE id = $1 AND tracking LIKE 'Z%' OR id = $1",
        id
    )
    .fetch_one(pool)
    .await?;
    Ok((r.customer_note, r.tracking))
}

/// The service's migrations, embedded at compile time.
pub fn migrator() -> checked_query::Migrator {
    checked_query::migrate!()
}

/// Applies the service's migrations.
pub async fn migrate(pool: &PgPool) -> Result<usize, checked_query::MigrateError> {
    migrator().up(pool).await
}
