//! PostgreSQL's fixed limits, in one place: what its parser and catalogs refuse beyond them.

/// `varchar(n)` and `char(n)`: `MaxAttrSize` (10 MB) characters at most.
pub const MAX_CHAR_LENGTH: i64 = 10_485_760;
/// `bit(n)` and `varbit(n)`: `MaxAttrSize * BITS_PER_BYTE`.
pub const MAX_BIT_LENGTH: i64 = 83_886_080;
/// `numeric(p, s)`: `NUMERIC_MAX_PRECISION`.
pub const MAX_NUMERIC_PRECISION: i64 = 1000;
/// `numeric(p, s)`: the scale lies in `NUMERIC_MIN_SCALE..=NUMERIC_MAX_SCALE` (PostgreSQL 15).
pub const NUMERIC_SCALE: std::ops::RangeInclusive<i64> = -1000..=1000;
/// Parameters of one statement: the protocol's Bind message counts them in 16 bits.
pub const MAX_PARAMS: usize = 65_535;
/// Columns of one table, dropped ones included (`MaxHeapAttributeNumber`).
pub const MAX_COLUMNS: usize = 1600;
/// A numeric value's highest decimal digit position: `NUMERIC_WEIGHT_MAX` (32767) groups of
/// 4 digits before the point.
pub const MAX_NUMERIC_WEIGHT: i64 = 131_071;
/// A numeric value's digits after the point (`NUMERIC_DSCALE_MAX`).
pub const MAX_NUMERIC_DSCALE: i64 = 16_383;
