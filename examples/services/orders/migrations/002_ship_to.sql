-- Where an order ships: a composite type, stored whole and read field by field.
-- +migrate Up
CREATE TYPE postal_address AS (street TEXT, city TEXT, zip TEXT);
ALTER TABLE orders ADD COLUMN ship_to postal_address;

-- +migrate Down
ALTER TABLE orders DROP COLUMN ship_to;
DROP TYPE postal_address;
