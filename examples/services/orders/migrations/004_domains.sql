-- Domains: a bounded customer note and a tracking code, checked by PostgreSQL on every
-- write; queries read and bind them as text.
-- +migrate Up
CREATE DOMAIN order_note AS TEXT CHECK (length(VALUE) BETWEEN 1 AND 280);
CREATE DOMAIN tracking_code AS VARCHAR(20) CHECK (VALUE ~ '^[A-Z0-9]+$');
ALTER TABLE orders ADD COLUMN customer_note order_note;
ALTER TABLE orders ADD COLUMN tracking tracking_code;

-- +migrate Down
ALTER TABLE orders DROP COLUMN tracking;
ALTER TABLE orders DROP COLUMN customer_note;
DROP DOMAIN tracking_code;
DROP DOMAIN order_note;
