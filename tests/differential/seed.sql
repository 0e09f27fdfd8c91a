-- Rows for the nullability check: every table has rows, every nullable column holds NULL in
-- at least one row, and outer joins have misses (a user without orders, a product without
-- reviews, an order without items).
INSERT INTO users (id, email, name, role, is_active, tags, profile, born_on, score, updated_at) VALUES
  ('00000000-0000-0000-0000-000000000001', 'ada@example.com', 'Ada', 'admin', TRUE, '{a,b}', '{"a": 1, "k": "v"}', '1990-01-02', 10, now()),
  ('00000000-0000-0000-0000-000000000002', 'bob@example.com', NULL, 'member', FALSE, '{}', NULL, NULL, NULL, NULL),
  ('00000000-0000-0000-0000-000000000003', 'cy@example.com', 'Cy', 'support', TRUE, '{c,NULL}', '{"a": null}', '2000-12-31', -5, NULL);
INSERT INTO products (sku, title, price, discount, weight, rating, stock, attrs) VALUES
  ('p-1', 'Pen', 1.50, 0.10, 0.02, 4.5, 10, '{"color": "blue"}'),
  ('p-2', 'Pad', 3.00, NULL, NULL, NULL, 0, '{}'),
  ('p-3', 'Ink', 7.25, 1.00, 0.1, 3.0, 5, '{"tags": ["x", null]}');
INSERT INTO orders (id, user_id, status, total, note, shipped_at, meta) VALUES
  ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001', 'paid', 4.50, 'gift', '2024-02-01 10:00', '{"src": "web"}'),
  ('00000000-0000-0000-0000-0000000000a2', '00000000-0000-0000-0000-000000000001', 'pending', 0, NULL, NULL, NULL),
  ('00000000-0000-0000-0000-0000000000a3', '00000000-0000-0000-0000-000000000003', 'shipped', 7.25, NULL, NULL, '{}');
INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
  ('00000000-0000-0000-0000-0000000000a1', 1, 1, 3, 1.50),
  ('00000000-0000-0000-0000-0000000000a1', 2, NULL, 1, 0.00),
  ('00000000-0000-0000-0000-0000000000a3', 1, 3, 1, 7.25);
INSERT INTO reviews (product_id, user_id, stars, body) VALUES
  (1, '00000000-0000-0000-0000-000000000001', 5, 'great'),
  (1, NULL, 2, NULL),
  (3, '00000000-0000-0000-0000-000000000003', 4, NULL);
INSERT INTO addresses (user_id, city, zip, is_default, ip, delivery_window) VALUES
  ('00000000-0000-0000-0000-000000000001', 'Oslo', '01500', TRUE, '10.0.0.1', '2 hours'),
  ('00000000-0000-0000-0000-000000000003', 'Rome', NULL, FALSE, NULL, NULL);
INSERT INTO samples VALUES
  (1, 1, 2, 3, 4.5, 5.5, 6.5, 'text', 'varchar', 'abc', TRUE, '00000000-0000-0000-0000-000000000001', '\x0102',
   '2024-01-31', '12:30', '2024-01-31 12:30', '2024-01-31 12:30+00', '1 day', '{"a": [1, 2]}', '{"a": [1, 2], "b": {"c": "d"}}',
   '192.168.0.1', '{x,y}', '{1,2,3}', 'paid'),
  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (3, -1, 0, 9, 0, 0, 0, '', '', '', FALSE, '00000000-0000-0000-0000-000000000002', '\x', '1999-12-31', '00:00', '1999-12-31 00:00',
   '1999-12-31 00:00+00', '-1 hour', '[]', '[]', '::1', '{}', '{NULL,1}', 'pending');
INSERT INTO idempotency_records (user_id, idempotency_key, response_status, response_headers, first_header, refund) VALUES
  ('00000000-0000-0000-0000-000000000001', 'k1', 200, ARRAY[ROW('content-type', '\x6a')::header_pair, ROW(NULL, NULL)::header_pair], ROW('etag', NULL), ROW(1.50, 'EUR')),
  ('00000000-0000-0000-0000-000000000001', 'k2', NULL, NULL, NULL, ROW(NULL, NULL)),
  ('00000000-0000-0000-0000-000000000003', 'k3', 500, '{}', ROW(NULL, '\x'), ROW(0, 'USD'));
INSERT INTO address_snapshots (address) SELECT a FROM addresses a;
INSERT INTO address_snapshots (address) VALUES (NULL);
INSERT INTO reporting.sales (product_id, period, amount, note) VALUES
  (1, 'month', 10.00, 'first'),
  (1, 'day', 2.50, NULL),
  (3, 'month', 7.25, NULL);
INSERT INTO grade_marks (id, grade, dir) VALUES (1, 'A', 'asc'), (2, 'B', NULL);
INSERT INTO contacts (email, alt_email, handle, aliases, credit, discount, state, emails) VALUES
  ('ada@example.com', NULL, 'ada', '{a,b}', 500, 20, 'paid', '{x@y}'),
  ('bob@example.com', 'bob@work.example', NULL, NULL, DEFAULT, DEFAULT, NULL, NULL);
