-- A SQL function queries call, and a procedure the service CALLs.
-- +migrate Up
CREATE FUNCTION order_value(order_id UUID) RETURNS NUMERIC LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(i.quantity * i.unit_price), 0) FROM order_items i WHERE i.order_id = order_value.order_id
$$;
CREATE PROCEDURE cancel_stale_orders(older_than INTERVAL) LANGUAGE sql AS $$
    UPDATE orders SET status = 'cancelled', updated_at = now()
    WHERE status = 'pending' AND created_at < now() - older_than
$$;

-- +migrate Down
DROP PROCEDURE cancel_stale_orders(INTERVAL);
DROP FUNCTION order_value(UUID);
