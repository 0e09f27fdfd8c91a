-- The handwritten corpus of the differential test: one query per line, grouped by the
-- construct it exercises (`# construct`). PostgreSQL decides what is valid; the test
-- compares. Schema: tests/fixtures/services/shop/migrations.

# select-star
SELECT * FROM users
SELECT u.* FROM users u
SELECT * FROM orders o JOIN users u ON u.id = o.user_id
SELECT o.*, u.email FROM orders o JOIN users u ON u.id = o.user_id
SELECT * FROM order_items JOIN orders ON orders.id = order_items.order_id
SELECT * FROM orders JOIN users USING (id)
SELECT *, 1 AS one FROM reviews
SELECT x.* FROM users u
SELECT *
SELECT users.* FROM users u
SELECT p.* FROM products

# aliases
SELECT email AS address FROM users
SELECT u.email mail, u.id AS key FROM users AS u
SELECT t.a, t.b FROM users AS t(a, b)
SELECT price * 2 AS double_price FROM products
SELECT "Email" FROM users
SELECT t.a FROM users AS t(a, b, c, d, e, f, g, h, i, j, k, l)
SELECT users.email FROM users AS u
SELECT u.email FROM users u, users u
SELECT o.total AS t, o.note n FROM orders o
SELECT sum(total) AS spent FROM orders AS o
SELECT t.x FROM (SELECT 1 AS x) AS t
SELECT score AS s FROM users WHERE s > 1

# joins
SELECT u.email, o.total FROM users u JOIN orders o ON o.user_id = u.id
SELECT u.email, o.total FROM users u LEFT JOIN orders o ON o.user_id = u.id
SELECT u.email, o.total FROM orders o RIGHT JOIN users u ON o.user_id = u.id
SELECT u.email, o.total FROM users u FULL JOIN orders o ON o.user_id = u.id
SELECT u.email, p.title FROM users u CROSS JOIN products p
SELECT o.id, i.line_no, p.title FROM orders o JOIN order_items i ON i.order_id = o.id LEFT JOIN products p ON p.id = i.product_id
SELECT user_id, email, city FROM users JOIN addresses ON addresses.user_id = users.id
SELECT id, city FROM addresses JOIN users USING (id)
SELECT o.id, a.city FROM orders o JOIN addresses a USING (user_id)
SELECT user_id, o.total, a.city FROM orders o LEFT JOIN addresses a USING (user_id)
SELECT user_id FROM orders o FULL JOIN addresses a USING (user_id)
SELECT r.stars, u.email FROM reviews r LEFT JOIN users u ON u.id = r.user_id WHERE r.stars > 2
SELECT u.email FROM users u JOIN orders o ON o.user_id = u.id JOIN order_items i ON i.order_id = o.id AND i.quantity > 1
SELECT u.email FROM users u JOIN orders o ON o.status = 'paid'
SELECT u.email FROM users u JOIN orders o ON o.user_id = u.email
SELECT u.email FROM users u JOIN orders o ON o.total
SELECT u.email FROM users u JOIN orders o USING (email)
SELECT u.email FROM users u JOIN orders o ON p.id = o.id
SELECT u.email FROM users u, orders o JOIN order_items i ON i.order_id = u.id
SELECT u.email FROM users u LEFT JOIN orders o ON o.user_id = u.id AND o.status = 'refunded'

# where
SELECT email FROM users WHERE is_active
SELECT email FROM users WHERE NOT is_active AND score > 3
SELECT email FROM users WHERE score >= 0 OR born_on < '2000-01-01'
SELECT title FROM products WHERE price BETWEEN 1 AND 5
SELECT title FROM products WHERE stock = 0 AND discount IS NULL
SELECT email FROM users WHERE created_at > now() - interval '7 days'
SELECT email FROM users WHERE email
SELECT email FROM users WHERE score
SELECT email FROM users WHERE is_active = 1
SELECT email FROM users WHERE nope = 1
SELECT email FROM users WHERE born_on > 5

# group-by
SELECT status, count(*) FROM orders GROUP BY status
SELECT user_id, sum(total) AS spent FROM orders GROUP BY user_id HAVING sum(total) > 1
SELECT u.id, u.email, count(o.id) FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.id
SELECT status AS s, count(*) FROM orders GROUP BY s
SELECT status, count(*) FROM orders GROUP BY 1
SELECT date_trunc('day', placed_at), count(*) FROM orders GROUP BY date_trunc('day', placed_at)
SELECT count(*) FROM orders HAVING count(*) > 0
SELECT role, avg(score) FROM users GROUP BY role ORDER BY avg(score) DESC
SELECT product_id, max(stars), min(stars) FROM reviews GROUP BY product_id
SELECT order_id, line_no, quantity FROM order_items GROUP BY order_id, line_no
SELECT status, total FROM orders GROUP BY status
SELECT user_id, note FROM orders GROUP BY user_id
SELECT email, count(*) FROM users u JOIN orders o ON o.user_id = u.id GROUP BY o.user_id
SELECT status, count(*) FROM orders GROUP BY 3
SELECT status FROM orders GROUP BY status HAVING total > 1
SELECT count(*) FROM orders WHERE sum(total) > 1
SELECT status, count(*) FROM orders GROUP BY count(*)

# order-by
SELECT email FROM users ORDER BY email
SELECT email FROM users ORDER BY created_at DESC, id
SELECT email AS e FROM users ORDER BY e
SELECT email, score FROM users ORDER BY 2 DESC NULLS LAST
SELECT title FROM products ORDER BY price * 2
SELECT DISTINCT role FROM users ORDER BY role
SELECT email FROM users ORDER BY 3
SELECT email FROM users ORDER BY nope
SELECT DISTINCT role FROM users ORDER BY email
SELECT id FROM samples ORDER BY j

# limit-offset
SELECT email FROM users LIMIT 10
SELECT email FROM users LIMIT $1 OFFSET $2
SELECT email FROM users ORDER BY email LIMIT 5 OFFSET 5
SELECT email FROM users LIMIT ALL
SELECT email FROM users LIMIT NULL
SELECT email FROM users LIMIT 'ten'
SELECT email FROM users LIMIT score
SELECT email FROM users OFFSET 1.5
SELECT email FROM users OFFSET $1::text

# distinct
SELECT DISTINCT status FROM orders
SELECT DISTINCT ON (user_id) user_id, total FROM orders ORDER BY user_id, placed_at DESC
SELECT DISTINCT user_id, status FROM orders
SELECT count(DISTINCT user_id) FROM orders
SELECT DISTINCT ON (nope) user_id FROM orders
SELECT DISTINCT meta FROM orders
SELECT DISTINCT j FROM samples
SELECT DISTINCT ON (u.id) u.id, o.total FROM users u JOIN orders o ON o.user_id = u.id ORDER BY u.id, o.total DESC
SELECT DISTINCT ON (status) status FROM orders ORDER BY placed_at

# set-ops
SELECT email FROM users UNION SELECT sku FROM products
SELECT id FROM users UNION ALL SELECT user_id FROM orders
SELECT user_id FROM orders INTERSECT SELECT id FROM users
SELECT id FROM users EXCEPT SELECT user_id FROM orders
SELECT score FROM users UNION SELECT stock FROM products
SELECT 1 UNION SELECT '2'
SELECT email FROM users UNION SELECT sku FROM products ORDER BY email
SELECT score, email FROM users UNION SELECT stock, title FROM products ORDER BY 1
SELECT email FROM users UNION SELECT id FROM products
SELECT email, score FROM users UNION SELECT sku FROM products
SELECT id FROM users UNION SELECT 'x'
SELECT email FROM users UNION SELECT sku FROM products ORDER BY lower(email)
SELECT status FROM orders UNION SELECT role FROM users

# cte
WITH paid AS (SELECT * FROM orders WHERE status = 'paid') SELECT user_id, total FROM paid
WITH t AS (SELECT user_id, sum(total) AS s FROM orders GROUP BY user_id) SELECT u.email, t.s FROM users u JOIN t ON t.user_id = u.id
WITH a(x) AS (SELECT 1), b AS (SELECT x + 1 AS y FROM a) SELECT y FROM b
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i FROM n
WITH RECURSIVE chain AS (SELECT id, user_id FROM orders WHERE status = 'paid' UNION SELECT o.id, o.user_id FROM orders o JOIN chain c ON c.user_id = o.user_id) SELECT id FROM chain
WITH x AS (SELECT email FROM users) SELECT email FROM x WHERE email LIKE $1
WITH t AS (SELECT 1) SELECT * FROM nope
WITH t AS (SELECT email FROM users) SELECT id FROM t
WITH t(a, b) AS (SELECT email FROM users) SELECT a FROM t
WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n) SELECT i FROM n

# subqueries
SELECT email FROM users WHERE id IN (SELECT user_id FROM orders)
SELECT email FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)
SELECT email, (SELECT count(*) FROM orders o WHERE o.user_id = u.id) AS n FROM users u
SELECT t.s FROM (SELECT sum(total) AS s FROM orders) t
SELECT x.email FROM (SELECT email, score FROM users WHERE is_active) AS x WHERE x.score > 1
SELECT email FROM users WHERE score > (SELECT avg(score) FROM users)
SELECT email FROM users WHERE id NOT IN (SELECT user_id FROM orders WHERE status = 'cancelled')
SELECT (SELECT max(total) FROM orders) AS top
SELECT email FROM users WHERE id IN (SELECT user_id, total FROM orders)
SELECT (SELECT email, id FROM users LIMIT 1)
SELECT s FROM (SELECT sum(total) AS s FROM orders)
SELECT email FROM users WHERE id IN (SELECT id FROM products)
SELECT email FROM users WHERE EXISTS (SELECT nope FROM orders)

# for-update
SELECT id FROM orders WHERE status = 'pending' FOR UPDATE
SELECT id FROM orders WHERE id = $1 FOR UPDATE SKIP LOCKED
SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id FOR UPDATE OF o
SELECT id FROM orders FOR SHARE
SELECT id FROM orders LIMIT 1 FOR NO KEY UPDATE
SELECT id FROM orders UNION SELECT id FROM users FOR UPDATE
SELECT count(*) FROM orders FOR UPDATE
SELECT DISTINCT status FROM orders FOR UPDATE
SELECT id FROM orders WHERE id = $1 FOR UPDATE NOWAIT
SELECT id FROM orders ORDER BY placed_at LIMIT 10 FOR UPDATE SKIP LOCKED

# windows
SELECT id, row_number() OVER (ORDER BY placed_at) FROM orders
SELECT id, rank() OVER (PARTITION BY user_id ORDER BY total DESC) AS r FROM orders
SELECT id, lag(total) OVER (PARTITION BY user_id ORDER BY placed_at) FROM orders
SELECT id, sum(total) OVER (PARTITION BY user_id) FROM orders
SELECT id, dense_rank() OVER (ORDER BY status) FROM orders
SELECT id, lead(total, 1, 0) OVER (ORDER BY placed_at) FROM orders
SELECT id FROM orders WHERE row_number() OVER (ORDER BY id) = 1
SELECT id, row_number() FROM orders
SELECT id, lower(email) OVER (ORDER BY id) FROM users
SELECT status, count(*) FROM orders GROUP BY status HAVING rank() OVER (ORDER BY status) > 1
SELECT id, count(*) OVER () FROM orders
SELECT id, first_value(total) OVER (PARTITION BY user_id ORDER BY placed_at) FROM orders
SELECT id, ntile(4) OVER (ORDER BY total) FROM orders

# values
VALUES (1, 'a'), (2, 'b')
SELECT * FROM (VALUES (1, 'a'), (2, NULL)) AS v(n, s)
SELECT column1 FROM (VALUES (1), (2)) AS v
VALUES (1), (2.5)
VALUES ($1::int, 'x')
VALUES (1, 'a'), (2)
VALUES (1), ('x')
SELECT n FROM (VALUES (1)) AS v
SELECT v.a + 1 FROM (VALUES (1), (2)) v(a)
VALUES (1, 2), (3, 4) ORDER BY 1
VALUES ($1::text), ('x')
VALUES (1, 'a') UNION VALUES (2, 3)

# insert
INSERT INTO users (email) VALUES ($1)
INSERT INTO orders (user_id, status, note) VALUES ($1, $2, CASE WHEN $2 = 'paid' THEN 'x' END)
INSERT INTO orders (user_id, status, note) VALUES ($1, $2, CASE WHEN $2 = 'paid'::order_status THEN 'x' END)
INSERT INTO users (id, email, name, role) VALUES ($1, $2, $3, $4)
INSERT INTO users (email, role) VALUES ('x@example.com', 'admin')
INSERT INTO products (sku, title, price) VALUES ($1, $2, $3)
INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES ($1, 1, $2, 2, 9.99)
INSERT INTO reviews (product_id, stars) VALUES (1, 5), (2, 4)
INSERT INTO users (email, tags, profile) VALUES ($1, '{a,b}', '{"x": 1}')
INSERT INTO users (email) SELECT sku FROM products
INSERT INTO users DEFAULT VALUES
INSERT INTO users (email, nope) VALUES ($1, $2)
INSERT INTO users (email) VALUES ($1, $2)
INSERT INTO users (email, name) VALUES ($1)
INSERT INTO users (email, role) VALUES ('x', 'owner')
INSERT INTO users (email, score) VALUES ('x', 'many')
INSERT INTO products (id, sku, title, price) VALUES (1, 'a', 'b', 2)
INSERT INTO userz (email) VALUES ($1)
INSERT INTO users (email, email) VALUES ($1, $2)
INSERT INTO users (email, born_on) VALUES ('x', 42)
INSERT INTO orders (user_id, total) VALUES ($1, $2)
INSERT INTO products (sku, title, price) OVERRIDING SYSTEM VALUE VALUES ('a', 'b', 1)
INSERT INTO addresses (user_id, city, zip, ip, delivery_window) VALUES ($1, $2, $3, $4, $5)
INSERT INTO addresses (user_id, city, ip) VALUES ($1, 'Oslo', 'not-an-ip')

# insert-select
INSERT INTO orders (user_id, total) SELECT id, 0 FROM users WHERE is_active
INSERT INTO users (id, email) SELECT * FROM UNNEST($1::uuid[], $2::text[])
INSERT INTO reviews (product_id, stars, body) SELECT id, 5, title FROM products
INSERT INTO users (email, score) SELECT email, score FROM users WHERE id = $1
INSERT INTO users (email) SELECT $1
INSERT INTO users (email, score) SELECT email FROM users
INSERT INTO users (email) SELECT id FROM users
INSERT INTO users (email, born_on) SELECT email, created_at FROM users
INSERT INTO users (email, name) SELECT sku, title FROM products
INSERT INTO users (email) SELECT email, name FROM users
INSERT INTO reviews (product_id, stars) SELECT sku, 5 FROM products

# on-conflict
INSERT INTO users (email) VALUES ($1) ON CONFLICT (email) DO NOTHING
INSERT INTO users (email, name) VALUES ($1, $2) ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name
INSERT INTO addresses (user_id, city) VALUES ($1, $2) ON CONFLICT (user_id, city) DO UPDATE SET is_default = true
INSERT INTO users (email) VALUES ($1) ON CONFLICT ON CONSTRAINT users_email_key DO NOTHING
INSERT INTO users (email) VALUES ($1) ON CONFLICT DO NOTHING
INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email WHERE users.is_active
INSERT INTO users (email) VALUES ($1) ON CONFLICT (name) DO NOTHING
INSERT INTO users (email) VALUES ($1) ON CONFLICT DO UPDATE SET name = 'x'
INSERT INTO users (email) VALUES ($1) ON CONFLICT (email) DO UPDATE SET nope = 1
INSERT INTO users (email) VALUES ($1) ON CONFLICT ON CONSTRAINT nope DO NOTHING
INSERT INTO addresses (user_id, city) VALUES ($1, $2) ON CONFLICT (city) DO NOTHING

# update
UPDATE users SET name = $1 WHERE id = $2
UPDATE orders SET status = $2, shipped_at = CASE WHEN $2 = 'shipped' THEN now() ELSE shipped_at END WHERE id = $1
UPDATE orders SET status = $2, shipped_at = CASE WHEN $2 = 'shipped'::order_status THEN now() ELSE shipped_at END WHERE id = $1
UPDATE orders SET note = $2, meta = CASE WHEN $2 = '' THEN NULL ELSE meta END WHERE id = $1
UPDATE users SET score = score + 1, updated_at = now() WHERE is_active
UPDATE orders SET status = 'shipped', shipped_at = now() WHERE id = $1
UPDATE orders o SET total = o.total * 2 WHERE o.status = 'pending'
UPDATE products SET stock = stock - 1 WHERE sku = ANY($1)
UPDATE orders SET note = u.email FROM users u WHERE u.id = orders.user_id
UPDATE users SET name = DEFAULT WHERE id = $1
UPDATE users SET nope = 1
UPDATE users SET score = 'high'
UPDATE users SET role = 'owner'
UPDATE products SET id = 5
UPDATE users SET users.name = 'x'
UPDATE users SET name = 'a', name = 'b'
UPDATE users SET email = $1 WHERE nope = 2
UPDATE userz SET email = $1

# delete
DELETE FROM users WHERE id = $1
DELETE FROM orders WHERE status = 'cancelled' AND placed_at < $1
DELETE FROM order_items USING orders WHERE orders.id = order_items.order_id AND orders.status = 'cancelled'
DELETE FROM reviews r WHERE r.stars < 2
DELETE FROM addresses
DELETE FROM users WHERE nope = 1
DELETE FROM userz
DELETE FROM orders WHERE status = 'lost'
DELETE FROM orders o WHERE orders.id = $1

# returning
INSERT INTO users (email) VALUES ($1) RETURNING id, created_at
INSERT INTO users (email) VALUES ($1) RETURNING *
UPDATE users SET score = 1 WHERE id = $1 RETURNING id, score
DELETE FROM orders WHERE id = $1 RETURNING total, note
INSERT INTO products (sku, title, price) VALUES ($1, $2, $3) RETURNING id, price * 2 AS twice
UPDATE orders SET note = u.email FROM users u WHERE u.id = orders.user_id RETURNING orders.id, u.email
INSERT INTO users (email) VALUES ($1) RETURNING nope
DELETE FROM orders WHERE id = $1 RETURNING count(*)
UPDATE users SET score = 1 RETURNING products.id
DELETE FROM reviews WHERE stars = 1 RETURNING *
UPDATE products SET stock = 0 WHERE id = $1 RETURNING sku, stock

# column-refs
SELECT users.email FROM users
SELECT public.users.email FROM users
SELECT u.id, o.id FROM users u JOIN orders o ON o.user_id = u.id
SELECT id FROM users u JOIN orders o ON o.user_id = u.id
SELECT email FROM users u JOIN orders o ON o.user_id = u.id
SELECT o.email FROM users u JOIN orders o ON o.user_id = u.id
SELECT q.email FROM users u
SELECT emial FROM users
SELECT user_id FROM users
SELECT o.user_id, u.id FROM orders o JOIN users u ON u.id = o.user_id
SELECT "email" FROM users
SELECT users.email, orders.total FROM users JOIN orders ON orders.user_id = users.id

# params
SELECT email FROM users WHERE id = $1
SELECT email FROM users WHERE score > $1 AND role = $2
SELECT $1::text AS v
SELECT email FROM users WHERE id = $1 OR id = $2
SELECT title FROM products WHERE price < $1 LIMIT $2
SELECT email FROM users WHERE ($1::text IS NULL OR email = $1)
SELECT email FROM users WHERE id = $1 AND $1 = $1
SELECT $1
SELECT email FROM users WHERE id = $2
SELECT email FROM users WHERE $1 = $2
SELECT email FROM users WHERE id = $1 AND email = $1
SELECT $1 + $2
SELECT email FROM users WHERE $1 IS NULL

# literals
SELECT email FROM users WHERE id = '00000000-0000-0000-0000-000000000001'
SELECT email FROM users WHERE role = 'admin'
SELECT email FROM users WHERE is_active = 'true'
SELECT email FROM users WHERE born_on = '1990-01-02'
SELECT email FROM users WHERE created_at > '2024-01-01T00:00:00Z'
SELECT 'a', 1, 2.5, true, NULL
SELECT email FROM users WHERE id = 42
SELECT email FROM users WHERE role = 'root'
SELECT email FROM users WHERE is_active = 'maybe'
SELECT email FROM users WHERE born_on = 'yesterday noon'
SELECT title FROM products WHERE stock = 'x'
SELECT email FROM users WHERE created_at > 'last week'

# casts
SELECT score::bigint FROM users
SELECT CAST(score AS numeric) FROM users
SELECT '2024-01-01'::date
SELECT $1::uuid
SELECT total::text FROM orders
SELECT status::text FROM orders
SELECT 'paid'::order_status
SELECT email::integer FROM users
SELECT '1'::int4, '2'::int8, 3::smallint, 1.5::real, 2::float8
SELECT id::integer FROM users
SELECT is_active::numeric FROM users
SELECT 'x'::integer
SELECT 'soon'::order_status
SELECT score::nope FROM users
SELECT born_on::integer FROM users

# operators
SELECT price * quantity FROM products p JOIN order_items i ON i.product_id = p.id
SELECT total / 2, total % 2 FROM orders
SELECT score / 2, score / 2.0 FROM users
SELECT email || ' <' || name || '>' FROM users
SELECT placed_at - interval '1 day' FROM orders
SELECT born_on + 1, now() - created_at FROM users
SELECT -price, +stock FROM products
SELECT email + 1 FROM users
SELECT is_active * 2 FROM users
SELECT -email FROM users
SELECT tags || 'x' FROM users
SELECT tags || ARRAY['x', 'y'] FROM users
SELECT profile || '{"a": 2}' FROM users

# null-tests
SELECT email FROM users WHERE name IS NULL
SELECT email, name IS NOT NULL AS has_name FROM users
SELECT email FROM users WHERE score IS DISTINCT FROM $1
SELECT email FROM users WHERE is_active IS TRUE
SELECT email FROM users WHERE is_active IS NOT FALSE
SELECT email FROM users WHERE score IS TRUE
SELECT email FROM users WHERE nope IS NULL
SELECT id FROM orders WHERE note IS NOT NULL AND meta IS NULL
SELECT id FROM samples WHERE b IS UNKNOWN
SELECT id FROM samples WHERE t IS FALSE

# between
SELECT title FROM products WHERE price BETWEEN $1 AND $2
SELECT title FROM products WHERE stock NOT BETWEEN 1 AND 10
SELECT email FROM users WHERE born_on BETWEEN '1980-01-01' AND '1999-12-31'
SELECT email FROM users WHERE email BETWEEN 'a' AND 'm'
SELECT email FROM users WHERE id BETWEEN 1 AND 2
SELECT email FROM users WHERE born_on BETWEEN 'x' AND 'y'
SELECT id FROM orders WHERE placed_at BETWEEN $1 AND now()
SELECT id FROM samples WHERE i BETWEEN si AND bi
SELECT id FROM samples WHERE u BETWEEN 1 AND 2

# like
SELECT email FROM users WHERE email LIKE '%@example.com'
SELECT email FROM users WHERE email ILIKE $1
SELECT email FROM users WHERE name NOT LIKE 'A%'
SELECT title FROM products WHERE title ~ '^P'
SELECT email FROM users WHERE email ~* $1
SELECT email FROM users WHERE score LIKE '1%'
SELECT email FROM users WHERE id LIKE 'a%'
SELECT email FROM users WHERE tags LIKE 'a%'
SELECT email FROM users WHERE lower(email) LIKE lower($1) || '%'
SELECT email FROM users WHERE email NOT ILIKE '%test%'

# in-list
SELECT email FROM users WHERE role IN ('admin', 'support')
SELECT email FROM users WHERE score IN (1, 2, 3)
SELECT email FROM users WHERE id IN ($1, $2)
SELECT email FROM users WHERE email NOT IN ('a', 'b')
SELECT title FROM products WHERE price IN (1, 2.5)
SELECT email FROM users WHERE role IN ('admin', 'owner')
SELECT email FROM users WHERE score IN (1, 'x')
SELECT email FROM users WHERE id IN (1, 2)
SELECT id FROM orders WHERE status NOT IN ('cancelled')
SELECT id FROM samples WHERE (i, t) IN ((1, 'a'), (2, 'b'))
SELECT id FROM samples WHERE j IN ('{}')

# any-all
SELECT email FROM users WHERE id = ANY($1)
SELECT title FROM products WHERE sku = ANY($1::text[])
SELECT email FROM users WHERE score > ALL($1)
SELECT email FROM users WHERE 'a' = ANY(tags)
SELECT email FROM users WHERE role = ANY('{admin,support}')
SELECT email FROM users WHERE id = ANY(SELECT user_id FROM orders)
SELECT email FROM users WHERE email = ANY(score)
SELECT email FROM users WHERE score = ANY(tags)
SELECT email FROM users WHERE $1 = ANY($2)
SELECT email FROM users WHERE id = ANY(42)
SELECT title FROM products WHERE price > ANY($1::text[])

# case-coalesce
SELECT CASE WHEN score > 5 THEN 'high' ELSE 'low' END FROM users
SELECT CASE role WHEN 'admin' THEN 1 WHEN 'support' THEN 2 END AS rank FROM users
SELECT coalesce(name, email) FROM users
SELECT coalesce(score, 0) FROM users
SELECT nullif(score, 0) FROM users
SELECT greatest(price, 1), least(discount, price) FROM products
SELECT coalesce(discount, price, 0) FROM products
SELECT CASE WHEN score THEN 1 END FROM users
SELECT CASE WHEN is_active THEN 1 ELSE 'x' END FROM users
SELECT coalesce(score, 'none') FROM users
SELECT coalesce(id, email) FROM users
SELECT greatest(email, 1) FROM users
SELECT CASE role WHEN 'boss' THEN 1 END FROM users

# json
SELECT profile -> 'a' FROM users
SELECT profile ->> 'a' FROM users
SELECT attrs -> 'tags' -> 0 FROM products
SELECT email FROM users WHERE profile @> '{"a": 1}'
SELECT email FROM users WHERE profile ? 'a'
SELECT email FROM users WHERE profile ?| '{a,b}'
SELECT attrs #>> '{color}' FROM products
SELECT attrs ->> $1 FROM products
SELECT email ->> 'a' FROM users
SELECT email FROM users WHERE profile @> 42
SELECT email FROM users WHERE profile ? 1
SELECT j @> j FROM samples
SELECT email FROM users WHERE profile = profile

# arrays
SELECT tags[1] FROM users
SELECT ia[1], ia[2:3] FROM samples
SELECT email FROM users WHERE tags @> '{a}'
SELECT ARRAY[1, 2, 3]
SELECT ARRAY[email, name] FROM users
SELECT cardinality(tags) FROM users
SELECT email[1] FROM users
SELECT ARRAY[1, 'x']
SELECT ARRAY[]
SELECT tags['a'] FROM users

# views
SELECT * FROM user_order_totals
SELECT email, spent FROM user_order_totals WHERE orders > 0
SELECT v.email, u.role FROM user_order_totals v JOIN users u ON u.id = v.user_id
SELECT user_id FROM user_order_totals ORDER BY spent DESC NULLS LAST LIMIT 3
SELECT count(*) FROM user_order_totals
SELECT total FROM user_order_totals
SELECT * FROM user_order_total
SELECT user_id FROM user_order_totals WHERE email = $1
INSERT INTO user_order_totals (email) VALUES ('x')
SELECT orders + 1 FROM user_order_totals

# patterns
SELECT id, email FROM users WHERE ($1::text IS NULL OR email = $1) AND ($2::user_role IS NULL OR role = $2)
SELECT id, email FROM users WHERE id = ANY($1)
INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) SELECT * FROM UNNEST($1::uuid[], $2::int[], $3::bigint[], $4::int[], $5::numeric[])
SELECT id, placed_at FROM orders WHERE (placed_at, id) < ($1, $2) ORDER BY placed_at DESC, id DESC LIMIT $3
SELECT id FROM orders WHERE user_id = $1 AND ($2::order_status IS NULL OR status = $2) ORDER BY placed_at DESC LIMIT 20
SELECT id FROM orders WHERE (placed_at, id) < ($1, $2, $3)
SELECT id, email FROM users WHERE email = ANY($1::uuid[])
SELECT id FROM users WHERE ($1 IS NULL OR email = $1)

# services
SELECT id, email, role, created_at FROM users WHERE email = lower($1)
SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)
SELECT count(*) FROM orders WHERE user_id = $1 AND status = 'pending'
SELECT u.id, u.email, coalesce(sum(o.total), 0) AS spent FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.id ORDER BY spent DESC LIMIT $1
SELECT p.id, p.title, avg(r.stars) AS rating, count(r.id) AS reviews FROM products p LEFT JOIN reviews r ON r.product_id = p.id GROUP BY p.id
UPDATE users SET tags = array_append(tags, $1) WHERE id = $2
UPDATE users SET profile = coalesce(profile, '{}') || $1 WHERE id = $2
SELECT id, placed_at FROM orders WHERE placed_at >= $1 AND placed_at < $2 ORDER BY placed_at
SELECT date_trunc('month', placed_at) AS month, sum(total) FROM orders GROUP BY 1 ORDER BY 1
SELECT status, count(*) FILTER (WHERE total > 5) AS big FROM orders GROUP BY status
SELECT string_agg(email, ', ' ORDER BY email) FROM users
SELECT array_agg(DISTINCT status) FROM orders
SELECT jsonb_build_object('id', id, 'email', email) FROM users
SELECT to_char(placed_at, 'YYYY-MM-DD') AS day FROM orders
SELECT extract(epoch FROM placed_at) FROM orders
SELECT id FROM orders WHERE placed_at > now() - interval '30 days'
SELECT id FROM orders WHERE placed_at > now() - $1::interval
SELECT round(avg(total), 2) FROM orders
SELECT email FROM users WHERE email ILIKE '%' || $1 || '%'
SELECT greatest(updated_at, created_at) FROM users
INSERT INTO users (email, name) VALUES ($1, $2) ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, updated_at = now() RETURNING id
DELETE FROM orders WHERE user_id = $1 AND status = ANY($2) RETURNING id
WITH u AS (SELECT id FROM users WHERE email = $1) UPDATE orders SET note = 'x' WHERE user_id IN (SELECT id FROM u) RETURNING id
SELECT o.id, o.total, json_agg(i.line_no) AS lines FROM orders o JOIN order_items i ON i.order_id = o.id GROUP BY o.id
SELECT u.email, a.city FROM users u LEFT JOIN addresses a ON a.user_id = u.id AND a.is_default
SELECT id, CASE WHEN stock = 0 THEN 'out' WHEN stock < 5 THEN 'low' ELSE 'ok' END AS availability FROM products
SELECT count(*) AS n, max(placed_at) AS last FROM orders WHERE user_id = $1
SELECT id FROM orders WHERE placed_at > now() - $1
SELECT email FROM users ORDER BY created_at DESC LIMIT $1 OFFSET $2
SELECT sum(quantity * unit_price) FROM order_items WHERE order_id = $1
SELECT title, price - coalesce(discount, 0) AS net FROM products
SELECT id FROM products WHERE attrs ->> 'color' = $1
SELECT id FROM users WHERE created_at::date = $1
SELECT lower(email) AS e, count(*) FROM users GROUP BY lower(email) HAVING count(*) > 1
SELECT email FROM users WHERE id = $1 AND is_active AND role <> 'support'
SELECT email FROM users WHERE name = $1 OR name IS NULL
SELECT email, score::text || ' points' FROM users
SELECT id FROM orders WHERE status = $1::order_status
SELECT id FROM orders WHERE status::text = $1
SELECT u.id FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)
SELECT email FROM users WHERE status = 'active'
SELECT email FROM users WHERE role = $1 AND role = $2::text
SELECT id FROM orders WHERE total > 'ten'
SELECT sum(email) FROM users
SELECT avg(created_at) FROM users
UPDATE users SET tags = array_append(tags, 1) WHERE id = $1
SELECT email FROM users u WHERE u.id = $1 GROUP BY u.email HAVING u.score > 1
INSERT INTO orders (user_id, status) VALUES ($1, 'lost')
SELECT email FROM users LIMIT $1::text
SELECT date_trunc('day', $1) FROM users

# from-functions
SELECT d FROM generate_series(1, 10) AS d
SELECT g FROM generate_series(now() - interval '7 days', now(), interval '1 day') g
SELECT day::date, count(o.id) FROM generate_series($1::date, $2::date, interval '1 day') AS day LEFT JOIN orders o ON o.placed_at::date = day::date GROUP BY day
SELECT e.value FROM products p, jsonb_array_elements(p.attrs -> 'tags') AS e
SELECT p.id, k FROM products p, jsonb_object_keys(p.attrs) AS k
SELECT x FROM jsonb_array_elements_text('["a", "b"]') AS t(x)
SELECT * FROM generate_series(1, 'x')
SELECT * FROM generate_series(1)
SELECT * FROM jsonb_array_elements(42)
SELECT * FROM no_such_function(1)

# lateral
SELECT u.email, x.n FROM users u, LATERAL (SELECT count(*) AS n FROM orders o WHERE o.user_id = u.id) x
SELECT u.email, last.total FROM users u LEFT JOIN LATERAL (SELECT total FROM orders o WHERE o.user_id = u.id ORDER BY placed_at DESC LIMIT 1) last ON true
SELECT u.email, t.c FROM users u CROSS JOIN LATERAL (SELECT u.score * 2 AS c) t
SELECT u.email, x.n FROM users u, (SELECT count(*) AS n FROM orders o WHERE o.user_id = u.id) x
SELECT x.n FROM LATERAL (SELECT nope AS n) x
SELECT u.email FROM users u, LATERAL (SELECT o.id FROM orders o WHERE o.user_id = u.nope) x
SELECT p.title, r.stars FROM products p LEFT JOIN LATERAL (SELECT stars FROM reviews WHERE product_id = p.id ORDER BY created_at DESC LIMIT 1) r ON true
SELECT u.email, c.n FROM users u JOIN LATERAL (SELECT count(*) AS n FROM addresses a WHERE a.user_id = u.id) c ON c.n > 0

# array-subquery
SELECT u.email, ARRAY(SELECT o.id FROM orders o WHERE o.user_id = u.id) AS order_ids FROM users u
SELECT ARRAY(SELECT sku FROM products ORDER BY sku)
SELECT ARRAY(SELECT id, sku FROM products)
SELECT ARRAY(SELECT nope FROM products)
SELECT ARRAY(SELECT DISTINCT status FROM orders)
SELECT cardinality(ARRAY(SELECT id FROM users))
SELECT ARRAY(SELECT line_no FROM order_items WHERE order_id = $1 ORDER BY line_no)
SELECT ARRAY(SELECT ARRAY[1])
SELECT ARRAY(SELECT 1 FROM nope)

# window-frames
SELECT id, sum(total) OVER (PARTITION BY user_id ORDER BY placed_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM orders
SELECT id, avg(total) OVER (ORDER BY placed_at ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM orders
SELECT id, count(*) OVER (ORDER BY placed_at RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM orders
SELECT id, sum(total) OVER (ORDER BY placed_at ROWS BETWEEN 'x' PRECEDING AND CURRENT ROW) FROM orders
SELECT id, sum(total) OVER (ORDER BY placed_at ROWS BETWEEN nope PRECEDING AND CURRENT ROW) FROM orders
SELECT id, max(total) OVER (PARTITION BY status ORDER BY placed_at ROWS 3 PRECEDING) FROM orders
SELECT id, sum(total) OVER (ORDER BY placed_at ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) FROM orders
SELECT id, sum(total) OVER (ORDER BY placed_at ROWS BETWEEN $1 PRECEDING AND CURRENT ROW) FROM orders
SELECT id, row_number() OVER (ORDER BY nope) FROM orders

# unknown-common-type
SELECT ARRAY[$1, $2] AS a
SELECT COALESCE($1, $2) AS c
SELECT CASE WHEN $1 THEN $2 ELSE $3 END AS c
SELECT $1 UNION SELECT $2
SELECT id FROM orders WHERE user_id = ANY(ARRAY[$1, $2])
SELECT id FROM orders WHERE user_id = ANY(ARRAY[$1::uuid, $2])
INSERT INTO orders (user_id, note) VALUES ($1, COALESCE($2, $3))
SELECT greatest($1, $2) AS g
SELECT id FROM users WHERE score = COALESCE($1, $2)

# fetch-first
SELECT id FROM users FETCH FIRST 5 ROWS ONLY
SELECT id FROM users ORDER BY id OFFSET 2 ROWS FETCH NEXT 3 ROWS ONLY
SELECT id FROM users FETCH FIRST ROW ONLY
SELECT id FROM users FETCH FIRST $1 ROWS ONLY
SELECT id FROM users LIMIT 2 FETCH FIRST 5 ROWS ONLY
SELECT id FROM users FETCH FIRST 'x' ROWS ONLY

# data-modifying-cte
WITH inserted AS (INSERT INTO users (email) VALUES ($1) RETURNING id) SELECT id FROM inserted
WITH inserted AS (INSERT INTO users (email, name) VALUES ($1, $2) RETURNING id, name) SELECT i.id, i.name FROM inserted i
WITH gone AS (DELETE FROM order_items WHERE order_id = $1 RETURNING product_id) SELECT count(*) FROM gone
WITH shipped AS (UPDATE orders SET status = 'shipped' WHERE id = $1 RETURNING id, user_id) SELECT s.id, u.email FROM shipped s JOIN users u ON u.id = s.user_id
WITH u AS (INSERT INTO users (email) VALUES ($1) RETURNING id) INSERT INTO orders (user_id) SELECT id FROM u RETURNING id, status
WITH u AS (INSERT INTO users (email) VALUES ($1)) SELECT 1 AS one
WITH u AS (INSERT INTO users (email) VALUES ($1)) SELECT * FROM u
WITH u AS (INSERT INTO users (email) VALUES ($1) RETURNING nope) SELECT * FROM u
SELECT * FROM (WITH u AS (INSERT INTO users (email) VALUES ($1) RETURNING id) SELECT id FROM u) s
SELECT (WITH d AS (DELETE FROM order_items RETURNING id) SELECT count(*) FROM d) AS n
WITH u (x) AS (INSERT INTO users (email) VALUES ($1) RETURNING id) SELECT x FROM u
WITH d AS (DELETE FROM reviews WHERE product_id = $1 RETURNING *) SELECT id, rating FROM d

# like-escape
SELECT id FROM users WHERE email LIKE $1 ESCAPE '\'
SELECT id FROM users WHERE email ILIKE $1 ESCAPE '!'
SELECT id FROM users WHERE email LIKE 'a!%' ESCAPE $1
SELECT id FROM users WHERE email LIKE 'a' ESCAPE 1
SELECT id FROM users WHERE email LIKE 'a' ESCAPE score
SELECT id FROM users WHERE email SIMILAR TO '%(a|b)%' ESCAPE '#'

# named-windows
SELECT id, lag(placed_at) OVER w AS prev, lead(placed_at) OVER w AS next FROM orders WINDOW w AS (PARTITION BY user_id ORDER BY placed_at)
SELECT id, row_number() OVER (w ORDER BY total) FROM orders WINDOW w AS (PARTITION BY user_id)
SELECT id, row_number() OVER (w ORDER BY total) FROM orders WINDOW w AS (PARTITION BY user_id ORDER BY id)
SELECT id, row_number() OVER (w PARTITION BY status) FROM orders WINDOW w AS (PARTITION BY user_id)
SELECT id, sum(total) OVER w FROM orders WINDOW w AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
SELECT id, sum(total) OVER (w) FROM orders WINDOW w AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
SELECT id, rank() OVER nope FROM orders
SELECT id FROM orders WINDOW w AS (PARTITION BY nonexistent)
SELECT id, rank() OVER w FROM orders WINDOW w AS (ORDER BY id), w AS (ORDER BY total)
SELECT id, rank() OVER w2 FROM orders WINDOW w1 AS (PARTITION BY user_id), w2 AS (w1 ORDER BY total)
SELECT user_id, sum(count(*)) OVER w FROM orders GROUP BY user_id WINDOW w AS (ORDER BY user_id)
SELECT user_id, rank() OVER w FROM orders GROUP BY user_id WINDOW w AS (ORDER BY total)

# row-in-subquery
SELECT id FROM orders WHERE (user_id, status) IN (SELECT user_id, status FROM orders WHERE total > 0)
SELECT id FROM orders WHERE (user_id, status) IN (SELECT user_id FROM orders)
SELECT id FROM orders WHERE (user_id, status) IN (SELECT user_id, status, id FROM orders)
SELECT id FROM orders WHERE (user_id, total) IN (SELECT user_id, note FROM orders)
SELECT id FROM orders WHERE (user_id, note) NOT IN (SELECT $1::uuid, $2)

# jsonb-delete
SELECT id, meta - 'cover' AS m FROM orders
SELECT id, meta - $1 AS m FROM orders
SELECT id, meta - 1 AS m FROM orders
SELECT id, meta - '{a,b}'::text[] AS m FROM orders
SELECT id, meta - note AS m FROM orders
SELECT id, meta - total AS m FROM orders
SELECT 'x' - meta AS m FROM orders
SELECT id, meta #- '{a}' AS m FROM orders
SELECT id, meta #- $1 AS m FROM orders
SELECT id, meta::json #- '{a}' AS m FROM orders
SELECT version()

# make-interval
SELECT id FROM orders WHERE placed_at > now() - make_interval(days => $1)
SELECT make_interval(days => 3) AS i
SELECT make_interval(1, 2) AS i
SELECT make_interval() AS i
SELECT make_interval(0, 0, 0, 1, 0, 0, 1.5, 3) AS i
SELECT make_interval(secs := 2.5) AS i
SELECT make_interval(days => total) AS i FROM orders
SELECT make_interval(days => 1, days => 2) AS i
SELECT make_interval(days => 1, 2) AS i
SELECT make_interval(weeks => 1, foo => 2) AS i
SELECT make_interval(hours => $1, mins => $2) AS i

# ordered-set-aggregates
SELECT user_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY total) AS median FROM orders GROUP BY user_id
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY placed_at) AS d FROM orders
SELECT percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY total) AS q FROM orders
SELECT mode() WITHIN GROUP (ORDER BY status) AS m FROM orders
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY note) FROM orders
SELECT percentile_cont(0.5) FROM orders
SELECT count(*) WITHIN GROUP (ORDER BY total) FROM orders
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY now() - placed_at) AS age FROM orders
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY total) OVER () FROM orders
SELECT mode() WITHIN GROUP (ORDER BY total, id) FROM orders
SELECT percentile_cont(total::float8) WITHIN GROUP (ORDER BY total) FROM orders
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY total) FROM orders GROUP BY user_id HAVING percentile_cont(0.5) WITHIN GROUP (ORDER BY total) > 1

# regex-substring
SELECT substring(email, '@(.*)$') AS domain FROM users
SELECT substring(email FROM '@(.*)$') AS domain FROM users
SELECT substring('abc', 'x') AS nothing
SELECT substring('abc', 'x', '#') AS nothing
SELECT substr(email, 2) AS s FROM users
SELECT substr($1, $2) AS s
SELECT substring($1, $2) AS s

# untyped-operands
SELECT $1 ^ 2 AS x
SELECT total ^ $1 AS x FROM orders
SELECT score ^ $1 AS x FROM users
SELECT placed_at + $1 AS x FROM orders
SELECT $1 + placed_at AS x FROM orders
SELECT shipped_at + $1 AS x FROM orders
SELECT placed_at + '1 day' AS x FROM orders
SELECT placed_at + 'x' AS x FROM orders
SELECT $1 % 2 AS x
SELECT total * $1 AS x FROM orders

# case-operand
-- A simple CASE compares its operand with each WHEN value; an untyped operand is text.
SELECT CASE $1 WHEN true THEN 'a' ELSE 'b' END AS x FROM samples
SELECT CASE $1 WHEN 'x' THEN 1 ELSE 2 END AS x FROM samples
SELECT CASE $1 WHEN t THEN 1 ELSE 2 END AS x FROM samples
SELECT CASE $1 WHEN vc THEN 1 ELSE 2 END AS x FROM samples
SELECT CASE 'a' WHEN b THEN 1 ELSE 2 END AS x FROM samples
SELECT CASE 'a' WHEN t THEN 1 ELSE 2 END AS x FROM samples
SELECT CASE b WHEN $1 THEN 1 ELSE 2 END AS x FROM samples
SELECT CASE i WHEN 1 THEN 'one' WHEN $1 THEN 'other' END AS x FROM samples
SELECT CASE NULL WHEN 1 THEN 'a' END AS x
UPDATE samples SET t = CASE $1 WHEN true THEN 'a' ELSE 'b' END
UPDATE samples SET t = CASE $1 WHEN 'on' THEN 'a' ELSE 'b' END

# sequences
SELECT nextval('invoice_numbers') AS n
SELECT nextval('public.invoice_numbers') AS n
SELECT currval('invoice_numbers') AS n
SELECT setval('invoice_numbers', $1) AS n
SELECT setval('invoice_numbers', $1, false) AS n
SELECT nextval('reviews_id_seq') AS n
SELECT nextval('products_id_seq') AS n
SELECT nextval('invoice_number') AS n
SELECT nextval('orders') AS n
SELECT nextval($1) AS n
SELECT last_value, is_called FROM invoice_numbers
SELECT last_value + 1 AS next FROM invoice_numbers WHERE is_called
SELECT lastval() AS n

# settings-and-locks
SELECT set_config('app.user_id', $1, true) AS v
SELECT current_setting('app.user_id', true) AS v
SELECT current_setting('TimeZone') AS v
SELECT pg_advisory_xact_lock($1)
SELECT pg_advisory_xact_lock(1, 2)
SELECT pg_try_advisory_lock($1) AS got
SELECT pg_advisory_unlock(42) AS released
SELECT pg_advisory_xact_lock('x')

# more-builtins
SELECT date_bin('15 minutes', placed_at, TIMESTAMPTZ '2001-01-01') AS bucket FROM orders
SELECT date_bin($1, placed_at, $2) AS bucket FROM orders
SELECT date_bin('1 hour', ts, TIMESTAMP '2001-01-01') AS bucket FROM samples
SELECT timezone('UTC', placed_at) AS local FROM orders
SELECT timezone($1, placed_at) AS local FROM orders
SELECT timezone('UTC', ts) AS utc FROM samples
SELECT array_fill(0, ARRAY[3]) AS zeros
SELECT array_fill($1::int, ARRAY[$2]) AS filled
SELECT array_fill($1, ARRAY[3]) AS filled
SELECT json_build_object() AS empty
SELECT jsonb_build_object() AS empty
SELECT json_build_array() AS empty
SELECT jsonb_build_array() AS empty

# empty-arrays
SELECT ARRAY[]::varchar[] AS a
SELECT ARRAY[]::int AS a
SELECT (ARRAY[])::int[] AS a
SELECT CAST(ARRAY[] AS uuid[]) AS a
SELECT ARRAY[]::int[] || 1 AS a
SELECT coalesce($1, ARRAY[]::text[]) AS a
SELECT ARRAY[] AS a
UPDATE samples SET ta = ARRAY[]::text[] WHERE id = $1
INSERT INTO samples (id, ia) VALUES ($1, ARRAY[]::int[])

# extensions
SELECT uuid_generate_v4() AS id
SELECT uuid_generate_v5(uuid_ns_url(), 'x') AS id
SELECT uuid_generate_v5($1, $2) AS id
SELECT crypt($1, gen_salt('bf')) AS hash
SELECT crypt($1, gen_salt('bf', 8)) AS hash
SELECT digest($1, 'sha256') AS d
SELECT encode(hmac($1, $2, 'sha256'), 'hex') AS mac
SELECT gen_random_bytes(16) AS b
SELECT pgp_sym_decrypt(pgp_sym_encrypt($1, $2), $2) AS plain
SELECT product_id FROM product_attributes WHERE search % $1
SELECT similarity(search, $1) AS score FROM product_attributes ORDER BY score DESC
SELECT word_similarity($1, search) AS score FROM product_attributes
SELECT attrs -> 'color' AS color FROM product_attributes
SELECT attrs -> $1 AS v FROM product_attributes
SELECT attrs -> ARRAY['a', 'b'] AS vs FROM product_attributes
SELECT product_id FROM product_attributes WHERE attrs ? $1
SELECT product_id FROM product_attributes WHERE attrs ?| $1
SELECT product_id FROM product_attributes WHERE attrs @> $1
SELECT attrs || $1 AS merged FROM product_attributes
SELECT attrs - 'color'::text AS rest FROM product_attributes
SELECT akeys(attrs) AS k, avals(attrs) AS v FROM product_attributes
SELECT hstore_to_jsonb(attrs) AS j FROM product_attributes
UPDATE product_attributes SET attrs = attrs || hstore($1, $2) WHERE product_id = $3
SELECT uuid_generate_v6() AS id
SELECT attrs -> 1 AS v FROM product_attributes

# collations
SELECT email FROM newsletter_signups WHERE email = $1
SELECT name FROM newsletter_signups ORDER BY name COLLATE "C"
SELECT name COLLATE "und-x-icu" AS n FROM newsletter_signups
SELECT name COLLATE "POSIX" AS n FROM newsletter_signups
SELECT $1 COLLATE "C" AS x
SELECT 'a' COLLATE "C" AS x
SELECT 1 COLLATE "C" AS x
SELECT name COLLATE "nope" AS n FROM newsletter_signups
SELECT name COLLATE "en_US" AS n FROM newsletter_signups
SELECT email COLLATE case_insensitive AS e FROM users
SELECT ta COLLATE "C" AS t FROM samples
SELECT e COLLATE "C" AS t FROM samples

# composite-types
SELECT (first_header).name, (first_header).value FROM idempotency_records
SELECT (r.first_header).name AS header FROM idempotency_records r
SELECT (response_headers[1]).name AS first_name FROM idempotency_records
SELECT r.response_headers[1] AS first FROM idempotency_records r
SELECT (refund).amount, (refund).currency FROM idempotency_records WHERE user_id = $1
SELECT response_status, response_headers FROM idempotency_records WHERE user_id = $1 AND idempotency_key = $2
INSERT INTO idempotency_records (user_id, idempotency_key, response_headers, refund) VALUES ($1, $2, $3, ROW($4, $5))
INSERT INTO idempotency_records (user_id, idempotency_key, first_header, refund) VALUES ($1, $2, ROW($3, $4), ($5, 'EUR'))
INSERT INTO idempotency_records (user_id, idempotency_key, refund) VALUES ($1, $2, $3)
INSERT INTO idempotency_records (user_id, idempotency_key, refund) VALUES ($1, $2, ROW(1, 'EUR', 3))
INSERT INTO idempotency_records (user_id, idempotency_key, refund) VALUES ($1, $2, ROW('x', 'EUR'))
INSERT INTO idempotency_records (user_id, idempotency_key, refund) VALUES ($1, $2, '(2.50,USD)')
INSERT INTO idempotency_records (user_id, idempotency_key, refund) VALUES ($1, $2, '(2.50,USD,1)')
INSERT INTO idempotency_records (user_id, idempotency_key, refund) VALUES ($1, $2, '(abc,USD)')
UPDATE idempotency_records SET refund = ROW($1, 'EUR') WHERE user_id = $2
UPDATE idempotency_records SET first_header = NULL, response_headers = $1 WHERE idempotency_key = $2
SELECT ROW(1.5, 'EUR')::money_amount AS m
SELECT ROW(1, 2, 3)::money_amount AS m
SELECT ('(1.5,USD)'::money_amount).amount AS amount
SELECT ('(1.5,"US D")'::money_amount).currency AS currency
SELECT ('1.5,USD'::money_amount).amount AS amount
SELECT ROW($1, $2)::header_pair AS h
SELECT (ROW(1, 'a')).f2 AS second
SELECT (refund).nope FROM idempotency_records
SELECT (response_status).x FROM idempotency_records
SELECT first_header.name FROM idempotency_records
SELECT refund = ROW(1.5, 'EUR')::money_amount AS same FROM idempotency_records
SELECT * FROM idempotency_records WHERE refund = $1
SELECT to_jsonb(r) AS doc FROM idempotency_records r
SELECT row_to_json(u) AS doc FROM users u WHERE u.id = $1
SELECT row_to_json(t) AS doc FROM (SELECT id, email FROM users) t
SELECT to_jsonb(u) AS doc, o.id FROM orders o LEFT JOIN users u ON u.id = o.user_id
SELECT to_json(users) AS doc FROM users
SELECT u FROM users u
SELECT array_agg((id, email)) AS pairs FROM users
SELECT (address).city, (s.address).zip FROM address_snapshots s
SELECT id FROM address_snapshots WHERE (address).user_id = $1
INSERT INTO address_snapshots (address) SELECT a FROM addresses a WHERE a.user_id = $1
SELECT to_jsonb(u) AS doc FROM users u GROUP BY u.id
SELECT to_jsonb(u) AS doc FROM users u GROUP BY u.email

# routines
SELECT order_total($1) AS total
SELECT id, order_total(id) AS computed FROM orders
SELECT with_tax($1) AS gross, with_tax($1, $2) AS custom
SELECT with_tax(10) AS gross
SELECT with_tax() AS gross
SELECT with_tax('x') AS gross
SELECT with_tax(amount => $1) AS gross
SELECT id, email FROM active_users()
SELECT u.email FROM active_users($1) u WHERE u.role = 'admin'
SELECT * FROM active_users(5)
SELECT count(*) AS n FROM active_users('x')
SELECT c.user_id, c.order_count FROM user_order_counts() c JOIN users u ON u.id = c.user_id
SELECT order_count, revenue FROM order_stats()
SELECT order_stats() AS stats
SELECT first_nonempty('', 'a', 'b') AS f
SELECT first_nonempty($1, $2) AS f
SELECT first_nonempty(1, 2) AS f
SELECT pick(1, 2) AS p
SELECT pick($1, $2) AS p
SELECT pick($1::text, $2) AS p
SELECT pick(1, 'a') AS p
SELECT pick(name, email) AS p FROM users
CALL archive_orders($1)
CALL archive_orders(now())
CALL archive_orders('x')
CALL archive_orders()
CALL order_total($1)
SELECT archive_orders(now())
SELECT touch_user($1)
SELECT set_updated_at()
SELECT order_total($1, $2) AS t
SELECT no_such_function($1) AS x
SELECT * FROM order_total($1)
SELECT * FROM with_tax(2) AS gross
SELECT with_tax(amount => 10, rate => 0.1) AS gross
SELECT with_tax(10, rate => $1) AS gross
SELECT with_tax(rate => 1) AS gross
SELECT with_tax(amount => 1, amount => 2) AS gross
SELECT with_tax(amount := $1) AS gross
SELECT with_tax(nope => 1) AS gross
SELECT * FROM active_users(min_score => $1)

# functions-in-from
SELECT DISTINCT t.tag FROM users u, unnest(u.tags) AS t(tag) ORDER BY t.tag
SELECT u.email, t FROM users u, unnest(u.tags) t
SELECT t FROM unnest(u.tags) t, users u
SELECT u.email, t.tag FROM users u JOIN unnest(u.tags) AS t(tag) ON true
SELECT n FROM users u, generate_series(1, u.score) n
SELECT a.order_count FROM users u, user_order_counts() a WHERE a.user_id = u.id

# grouping-sets
SELECT status, user_id, count(*) AS n FROM orders GROUP BY GROUPING SETS ((status), (user_id), ())
SELECT status, count(*) AS n, sum(total) AS s FROM orders GROUP BY ROLLUP (status)
SELECT status, user_id, count(*) AS n FROM orders GROUP BY CUBE (status, user_id)
SELECT status, grouping(status) AS g, count(*) AS n FROM orders GROUP BY ROLLUP (status)
SELECT grouping(note) AS g FROM orders GROUP BY ROLLUP (status)
SELECT note, count(*) AS n FROM orders GROUP BY ROLLUP (status)
SELECT count(*) AS n FROM orders GROUP BY (status, user_id)
SELECT status, user_id, count(*) AS n FROM orders GROUP BY GROUPING SETS ((status, user_id), (status))
SELECT grouping(status) AS g FROM orders

# natural-joins
SELECT id, email, city FROM users NATURAL JOIN addresses
SELECT u.email, a.city FROM users u NATURAL LEFT JOIN addresses a
SELECT * FROM orders NATURAL JOIN order_items
SELECT email FROM users NATURAL JOIN products
SELECT * FROM users a NATURAL JOIN users b NATURAL JOIN users c
SELECT * FROM users a NATURAL LEFT JOIN users b NATURAL FULL JOIN users c
SELECT * FROM users a NATURAL RIGHT JOIN (users b NATURAL JOIN users c)
SELECT id FROM users a JOIN users b USING (id) LEFT JOIN users c USING (id) FULL JOIN users d USING (id)
SELECT * FROM users a JOIN users b USING (id) JOIN users c USING (id, email)
SELECT * FROM users a JOIN users b USING (id) JOIN users c ON true JOIN users d USING (id)
SELECT * FROM users a, users b NATURAL JOIN users c
SELECT a.id FROM users a CROSS JOIN LATERAL (SELECT a.email) b(e) NATURAL JOIN users c

# tablesample
SELECT id FROM users TABLESAMPLE SYSTEM (10)
SELECT id FROM users TABLESAMPLE BERNOULLI ($1) REPEATABLE (42)
SELECT u.id FROM users AS u TABLESAMPLE SYSTEM (50)
SELECT id FROM users TABLESAMPLE SYSTEM ('x')
SELECT * FROM user_order_totals TABLESAMPLE SYSTEM (10)

# assignment-forms
UPDATE users u SET name = $1 WHERE id = $2 RETURNING u.*
UPDATE users SET name = $1 WHERE id = $2 RETURNING users.*
DELETE FROM reviews r WHERE r.id = $1 RETURNING r.*
UPDATE users SET (name, score) = ($1, $2) WHERE id = $3
UPDATE users SET (name, score) = ROW($1, $2) WHERE id = $3
UPDATE users SET (name, score) = (SELECT title, stock FROM products WHERE id = $1) WHERE id = $2
UPDATE users SET (name, score) = ($1, $2, $3) WHERE id = $4
UPDATE users SET (name, score) = (SELECT title FROM products LIMIT 1)
UPDATE users SET (name, score) = ('x', 'y')
UPDATE users SET (name, name) = ($1, $2)
UPDATE users SET (name, score) = (DEFAULT, $1) WHERE id = $2

# row-comparisons
SELECT id FROM orders WHERE (status, user_id) = (SELECT status, user_id FROM orders LIMIT 1)
SELECT id FROM orders WHERE (status, total) = (SELECT status FROM orders LIMIT 1)
SELECT id FROM orders WHERE (user_id, total) = (SELECT id, score FROM users LIMIT 1)
SELECT id FROM orders WHERE (status, user_id) <> (SELECT status, user_id FROM orders LIMIT 1)

# jsonb-subscripts
SELECT u.profile['a'] AS a FROM users u
SELECT profile['a']['b'] AS ab FROM users
SELECT profile[$1] AS v FROM users
SELECT profile[0] AS first FROM users
SELECT profile['a':'b'] AS bad FROM users
SELECT attrs['color'] AS color FROM product_attributes
SELECT attrs[$1] AS v FROM product_attributes

# ordinality
SELECT t.tag, t.n FROM users u, unnest(u.tags) WITH ORDINALITY AS t(tag, n)
SELECT tag, ordinality FROM users, unnest(tags) WITH ORDINALITY AS tag
SELECT g, ordinality FROM generate_series(1, 3) WITH ORDINALITY AS g
SELECT e.value, e.ordinality FROM users, jsonb_array_elements(profile) WITH ORDINALITY AS e

# like-any
SELECT id FROM users WHERE email ILIKE ANY($1)
SELECT id FROM users WHERE email LIKE ANY(ARRAY['%a%', '%b%'])
SELECT id FROM users WHERE email NOT LIKE ANY($1)
SELECT id FROM users WHERE email LIKE ANY(ARRAY[1, 2])
SELECT id FROM users WHERE email ILIKE ALL($1)

# schemas
SELECT s.id, s.period, p.title FROM reporting.sales s JOIN products p ON p.id = s.product_id WHERE s.period = $1
SELECT sales.amount, reporting.sales.note FROM reporting.sales
SELECT product_id, total FROM reporting.monthly
SELECT reporting.total_for($1) AS total
SELECT $1::reporting.period AS p
INSERT INTO reporting.sales (product_id, period, amount) VALUES ($1, $2, $3) RETURNING id, period
UPDATE reporting.sales SET note = $1 WHERE id = $2 RETURNING sales.*
DELETE FROM reporting.sales WHERE period = 'week'
SELECT * FROM reporting.nope
SELECT * FROM sales
SELECT reporting.sales.nope FROM reporting.sales
SELECT s.amount FROM reporting.sales AS s WHERE sales.id = 1
SELECT period FROM reporting.sales WHERE period = 'year'
SELECT to_jsonb(s) AS doc FROM reporting.sales s

# quoted-type-names
SELECT $1::reporting."Grade" AS g
SELECT grade, dir FROM grade_marks WHERE grade = $1 AND dir = $2
INSERT INTO grade_marks (id, grade, dir) VALUES ($1, $2, $3)
SELECT grade FROM grade_marks WHERE grade = 'C'

# array-casts
SELECT * FROM unnest(ARRAY[$1, $2, $3]::int[]) AS ids(id)
SELECT ARRAY[1.5, 2]::int[] AS a
SELECT ARRAY['a', 'b']::uuid[] AS a
SELECT ARRAY[$1, 'x']::text[] AS a
SELECT ARRAY[true, $1]::int[] AS a
SELECT ARRAY[now()]::date[] AS a

# session-functions
SELECT pg_notify('jobs', $1)
SELECT current_database() AS db
SELECT pg_listening_channels() AS channel

# geometry
SELECT '(1,2)'::point AS p
SELECT '1.5, -2'::point AS p
SELECT '(1,x)'::point AS p
SELECT circle('(0,0)'::point, 2.5) AS c
SELECT area(circle(point(0, 0), 1)) AS a
SELECT radius(circle(point($1, $2), $3)) AS r
CALL report_total($1, NULL)
CALL report_total($1)

# domains
SELECT id, email, alt_email, handle, aliases, credit, discount, state, emails FROM contacts
SELECT * FROM contacts WHERE email = $1
SELECT id FROM contacts WHERE handle = $1 AND state = $2 AND credit > $3
INSERT INTO contacts (email) VALUES ($1) RETURNING id, credit, state
INSERT INTO contacts (email, alt_email, handle, aliases, credit, discount, state, emails) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
INSERT INTO contacts (email, credit) VALUES ($1, $2::bigint)
UPDATE contacts SET credit = credit + $1, discount = $2 WHERE id = $3 RETURNING credit
UPDATE contacts SET aliases = $1, emails = $2 WHERE email = $3
SELECT email || '!' AS e, upper(handle) AS h, credit * 2 AS c, credit + discount AS s FROM contacts
SELECT length(email) AS n, lower(alt_email) AS l, email LIKE $1 AS m FROM contacts
SELECT coalesce(alt_email, email) AS e, coalesce(alt_email, 'none') AS f, coalesce(credit, 0) AS c FROM contacts
SELECT max(credit) AS m, sum(credit) AS s, avg(discount) AS a, array_agg(email) AS es, min(handle) AS h FROM contacts
SELECT aliases[1] AS first, aliases[1:2] AS some, array_length(aliases, 1) AS n, cardinality(emails) AS k FROM contacts
SELECT id FROM contacts WHERE $1 = ANY(aliases)
SELECT id FROM contacts WHERE email = ANY($1)
SELECT unnest(aliases) AS alias FROM contacts
SELECT u.alias FROM contacts c, unnest(c.aliases) AS u(alias)
SELECT $1::contact_email AS e, 'a@b'::contact_email AS f, $2::price_cents AS p
SELECT 'x@y'::contact_email || 'z' AS e, 5::price_cents + 1 AS p
SELECT CAST(credit AS numeric) AS c, credit::text AS t, state::text AS s FROM contacts
SELECT CASE WHEN credit > 0 THEN email ELSE alt_email END AS e FROM contacts
SELECT CASE WHEN credit > 0 THEN credit ELSE 0 END AS c FROM contacts
SELECT email FROM contacts UNION SELECT alt_email FROM contacts
SELECT email FROM contacts UNION ALL SELECT 'x@y'
SELECT normalized_email(email) AS e, normalized_email($1) AS f FROM contacts
SELECT normalized_email('A@B') AS e
SELECT id, email, credit, net FROM contact_credit WHERE net > $1
SELECT c.email, o.status FROM contacts c LEFT JOIN orders o ON o.status = c.state
SELECT state FROM contacts WHERE state IN ('paid', 'shipped')
SELECT state FROM contacts WHERE state = 'refunded'
SELECT id FROM contacts WHERE credit = 'abc'
SELECT id FROM contacts WHERE handle = 1
SELECT email FROM contacts WHERE email > 5
INSERT INTO contacts (email, credit) VALUES ($1, 'abc')
INSERT INTO contacts (email, handle) VALUES ('z@example.com', 'this handle is much longer than thirty characters')
INSERT INTO contacts (email, state) VALUES ($1, 'refunded')
SELECT credit FROM contacts WHERE credit @> 1
SELECT aliases || 'x' AS a, emails || $1 AS b FROM contacts
SELECT to_jsonb(c) AS doc FROM contacts c
SELECT email::varchar(5) AS e FROM contacts
SELECT 'x'::handle_list AS l
SELECT '{x}'::handle_list AS l
SELECT greatest(credit, discount) AS g, nullif(email, $1) AS n FROM contacts

# edge-literals
SELECT 1e999999 AS x
SELECT 1e-999999 AS x
SELECT 1e131071 AS x
SELECT 1e131072 AS x
SELECT 1.5e-16383 AS x
SELECT 1.5e-16382 AS x
SELECT 0.000e5 AS x
SELECT 12345678901234567890123 AS x
SELECT B'101' AS b
SELECT X'1f' AS b
SELECT B'102' AS b
SELECT X'zz' AS b
SELECT 1::numeric(1000, 2) AS x
SELECT 1::numeric(99999, 2) AS x
SELECT 1::numeric(10, 1001) AS x
SELECT 'a'::varchar(0) AS x
SELECT 'a'::varchar(10485760) AS x
SELECT 'a'::char(10485761) AS x
SELECT $ AS x
SELECT 'a' AS ""
SELECT "" FROM users
SELECT 'a' COLLATE "😀" AS x
SELECT '1000000000 years'::interval AS x
SELECT '178956970 years'::interval AS x
SELECT '178956971 years'::interval AS x
SELECT '2147483648 days'::interval AS x
SELECT '1 hour 30 minutes ago'::interval AS x
SELECT '9223372036854 seconds'::interval AS x
SELECT $65536::int AS x
SELECT E'a\x00b' AS x
SELECT E'a\x41b' AS x
SELECT $4294967295::int AS x

# utility-statements
SET LOCAL search_path = public
SET LOCAL search_path TO reporting, public
SET LOCAL search_path = 'tenant_x'
SET LOCAL statement_timeout = '5s'
SET statement_timeout = 5000
SET LOCAL lock_timeout TO '1s'
SET TIME ZONE 'UTC'
RESET statement_timeout
SHOW statement_timeout
SHOW TimeZone
SHOW ALL
SHOW app.unset_setting
SET LOCAL app.tenant = 'acme'
SET max_connections = 5
SET server_version = 'x'
SET foo = 1
SET statement_timeout = 'abc'
SET statement_timeout = 5, 6
SET enable_seqscan = maybe
SET enable_seqscan = off
SET synchronous_commit = sometimes
SET synchronous_commit = 'local'
SET work_mem = '5 parsecs'
SET work_mem = '64MB'
SET log_connections = on
SET statement_timeout = '-1'
SET statement_timeout TO DEFAULT
SET random_page_cost = 1.1
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE
RESET ALL
RESET nonsense
SET application_name = 'svc'
SET idle_in_transaction_session_timeout = '10min'
SET default_transaction_isolation = 'repeatable read'
SELECT set_config('app.user', $1, true) AS v

# subscript-assignment
UPDATE users SET tags[1] = $1 WHERE id = $2
UPDATE users SET tags[$1] = $2, tags[2] = 'x' WHERE id = $3
UPDATE users SET tags[1:2] = $1 WHERE id = $2
UPDATE users SET tags[:2] = ARRAY['a'] WHERE id = $1
UPDATE users SET profile['a'] = $1 WHERE id = $2
UPDATE users SET profile['a']['b'] = '1' WHERE id = $1
UPDATE users SET name[1] = 'x' WHERE id = $1
UPDATE users SET tags[1] = 5 WHERE id = $1
UPDATE users SET tags[1] = 'x', name = $1 WHERE id = $2 RETURNING tags[1] AS t
UPDATE users SET tags['a'] = 'x' WHERE id = $1
UPDATE users SET tags[1] = 'x', tags = '{}' WHERE id = $1
UPDATE users SET profile[1:2] = '1' WHERE id = $1
UPDATE users SET tags[array_length(tags, 1) + 1] = $1 WHERE id = $2
UPDATE users SET tags[1] = upper(tags[1]) WHERE id = $1
UPDATE users SET tags[1] = $1::int WHERE id = $2
INSERT INTO users (id, email, role) VALUES ($1, 'a@b', 'member') ON CONFLICT (id) DO UPDATE SET tags[1] = EXCLUDED.email

# variadic-calls
SELECT concat_ws(',', VARIADIC ARRAY['a','b']) AS x
SELECT format('%s %s', VARIADIC ARRAY['a', 'b']) AS x
SELECT concat(VARIADIC $1::text[]) AS x
SELECT concat(VARIADIC 'a') AS x
SELECT json_build_array(VARIADIC ARRAY[1,2]) AS x
SELECT upper(VARIADIC ARRAY['a']) AS x
SELECT num_nonnulls(VARIADIC ARRAY[1, NULL]) AS x
SELECT first_nonempty(VARIADIC ARRAY['a', '']) AS x
SELECT first_nonempty(VARIADIC $1) AS x
SELECT first_nonempty('a', VARIADIC ARRAY['b']) AS x
SELECT first_nonempty(VARIADIC ARRAY[1]) AS x
SELECT coalesce(VARIADIC ARRAY[1]) AS x
SELECT format('%s', VARIADIC tags) AS x FROM users

# math-functions
SELECT ln(price), log(price), log(2, price), log10(2.5::float8), exp(1), exp(price) FROM products
SELECT cbrt(27), pow(2, 10), pow(price, 2), div(price, 3), mod(7, 3) FROM products
SELECT gcd(12, 18), lcm(4::bigint, 6), factorial(5), scale(price), trim_scale(price), min_scale(price) FROM products
SELECT width_bucket(price, 0, 100, 10), width_bucket(1.5::float8, 0, 10, 5) FROM products
SELECT pi(), degrees(pi()), radians(180), sin(1), cos(1), tan(1), cot(1), asin(1), acos(1), atan(1), atan2(1, 2)
SELECT setseed(0.5)
SELECT ln('x')
SELECT gcd(1.5, 2)
SELECT ln(price, 2) FROM products
SELECT factorial(5.5)

# aliases-across-scopes
SELECT users.id FROM users WHERE EXISTS (SELECT 1 FROM users AS other WHERE other.id <> users.id)
SELECT (SELECT count(*) FROM users AS u2 WHERE u2.id = users.id) AS n FROM users
SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM users AS other WHERE other.id = users.id)
SELECT (SELECT users.id FROM users AS x LIMIT 1) AS n FROM orders

# user-aggregates
SELECT max_uuid(id) AS latest FROM users
SELECT email, max_uuid(id) AS latest FROM users GROUP BY email
SELECT id, max_uuid(id) AS latest FROM users
SELECT price_summary(price) AS summary FROM products
SELECT public.max_uuid(u.id) FILTER (WHERE u.email <> '') AS latest FROM users u
SELECT max_uuid(max_uuid(id)) AS x FROM users
SELECT id FROM users WHERE max_uuid(id) IS NOT NULL
SELECT max_uuid(id) OVER () AS running FROM users
SELECT price_summary(email) FROM users
SELECT larger_uuid(id, id) FILTER (WHERE true) FROM users

# system-catalog
SELECT EXISTS (SELECT 1 FROM pg_type WHERE typname = $1) AS present
SELECT c.relname, n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 1
SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position
SELECT tablename FROM pg_tables WHERE schemaname = 'public'
SELECT a.attname, a.attnotnull FROM pg_attribute a WHERE a.attrelid = 'users'::regclass AND a.attnum > 0 AND NOT a.attisdropped
SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1
SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder
SELECT pg_size_pretty(pg_total_relation_size(c.oid)) AS size FROM pg_class c WHERE c.relname = $1
SELECT relname FROM pg_catalog.pg_class WHERE oid = $1
SELECT count(*) FROM information_schema.tables WHERE table_schema = $1
SELECT name FROM pg_timezone_names ORDER BY name LIMIT 3
SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'orders'::regclass
SELECT extname FROM pg_extension
SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = $1
SELECT * FROM pg_stats
SELECT relname FROM pg_class_nope
SELECT nope FROM pg_class
SELECT relname FROM information_schema.pg_class
SELECT schema_name FROM information_schema.schemata WHERE schema_name = current_schema()

# set-returning-records
SELECT key, value FROM users, jsonb_each(jsonb_build_object('email', users.email))
SELECT e.key, e.value FROM jsonb_each_text($1::jsonb) AS e
SELECT k FROM jsonb_each('{"a":1}'::jsonb) AS t(k)
SELECT key FROM json_each('{"a":1}'::json) WHERE value IS NOT NULL
SELECT m FROM regexp_matches('a1b2', '[0-9]', 'g') AS m
SELECT key FROM jsonb_each($1::json)

# group-by-using
SELECT o.user_id, count(*) AS n FROM orders o JOIN users u ON u.id = o.user_id GROUP BY o.user_id
SELECT users.id, count(*) AS n FROM users JOIN orders USING (id) GROUP BY id
SELECT orders.id, count(*) AS n FROM users JOIN orders USING (id) GROUP BY id
SELECT users.id FROM users LEFT JOIN orders USING (id) GROUP BY id
SELECT orders.id FROM users RIGHT JOIN orders USING (id) GROUP BY id
SELECT users.id FROM users RIGHT JOIN orders USING (id) GROUP BY id
SELECT users.id FROM users FULL JOIN orders USING (id) GROUP BY id

# value-functions-in-from
SELECT * FROM current_date
SELECT d FROM current_date AS d
SELECT t.x FROM current_timestamp AS t(x)
SELECT current_date FROM current_date, users
SELECT * FROM current_date()
SELECT * FROM "current_date"

# scalar-functions-in-from
SELECT t FROM now() AS t
SELECT * FROM now()
SELECT d, q FROM to_tsvector(u.email) d, to_tsquery($1::text) q, users u WHERE q @@ d
SELECT u.id, r FROM users u, NULLIF(u.name, '') r
SELECT NULLIF(u.name, '') AS r FROM users u
SELECT r FROM users u, COALESCE(u.name, 'x') r
SELECT x FROM upper($1::text) AS t(x)
SELECT * FROM lower('A') WITH ORDINALITY
SELECT s.n FROM users u, length(u.email) AS s(n) WHERE s.n > 3
SELECT g FROM users u, COALESCE(u.name, u.email) g
SELECT * FROM count(*)
SELECT * FROM users u, max(u.email) m
SELECT x FROM upper('a') AS t(x, y)
SELECT * FROM upper(1)
SELECT r FROM NULLIF(1, 'a') r
SELECT NULLIF($1::cidr, '10.0.0.0/8') AS n
SELECT $1::cidr = $2 AS same
SELECT NULLIF(u.name, u.email) AS n, NULLIF(1::int4, 2::int8) AS i FROM users u
SELECT NOT EXISTS (SELECT 1 FROM users) AS none, NOT EXISTS (SELECT 1 FROM users)

# ranges-search-and-catalog-functions
SELECT int4range(1, 10) @> 5 AS c
SELECT tstzrange(now(), now() + interval '1 day') && tstzrange($1, $2) AS o
SELECT lower(daterange('2024-01-01', '2024-02-01')) AS lo, upper_inf(int8range(1, NULL)) AS open
SELECT to_tsvector('english', email) @@ plainto_tsquery('english', $1) AS m FROM users
SELECT ts_rank(to_tsvector(email), websearch_to_tsquery($1)) AS r FROM users
SELECT to_tsvector('klingon', email) AS v FROM users
SELECT text(id) AS t, date('2024-01-01') AS d FROM users
SELECT name($1) AS n
SELECT int4($1) AS n
SELECT regexp_match(email, '@(.*)$') AS m, array_replace(tags, 'a', 'b') AS t FROM users
SELECT '10.0.0.1'::inet <<= '10.0.0.0/8'::inet AS inside
SELECT email ^@ 'a' AS s FROM users
SELECT stddev(score) AS s, bit_or(score) AS b FROM users
SELECT xmin = 0 AS fresh FROM users
SELECT 0 = xmin AS fresh FROM users
SELECT jsonb_insert('{"a":1}'::jsonb, '{b}', '2') AS j
SELECT count() FROM users
SELECT position('a', email) FROM users
SELECT x FROM string_to_table('a,b', ',') AS x
SELECT regexp_count(email, 'a') AS n, left(email, 3) AS l FROM users
SELECT (created_at, created_at) OVERLAPS ($1::timestamptz, $2::timestamptz) AS o FROM users
SELECT (DATE '2024-01-01', interval '1 day') OVERLAPS (DATE '2024-01-02', DATE '2024-01-03') AS o
SELECT (created_at, created_at, created_at) OVERLAPS ($1::timestamptz, $2::timestamptz) AS o FROM users

# jsonpath-literals
SELECT jsonb_path_query_first(jsonb_build_object('a', score), '$.a') AS a FROM users
SELECT jsonb_path_exists(jsonb_build_object('tags', tags), '$.tags[*] ? (@ == "x")') AS e FROM users
SELECT jsonb_path_query_array('{"a":[1,2,3]}'::jsonb, 'strict $.a[0 to 1, last]') AS a
SELECT jsonb_build_object('n', score) @? '$.n ? (@ > 1 && !(@ == 3))' AS m FROM users
SELECT jsonb_build_object('n', score) @@ '$.n + 1 > 2' AS m FROM users
SELECT jsonb_path_exists('{}'::jsonb, '$.a && $.b') AS e
SELECT jsonb_path_exists('{}'::jsonb, '$.a ? (@.b)') AS e
SELECT jsonb_path_query_first('{}'::jsonb, $1) AS j

# overlay
SELECT overlay(email PLACING 'x' FROM 2 FOR 1) AS o, overlay(email, 'y', 1) AS p FROM users
SELECT overlay(email PLACING 'x' FROM 'a') AS o FROM users

# builtin-named-arguments
SELECT jsonb_path_exists(target => '{"a": 1}'::jsonb, path => '$.a') AS e
SELECT jsonb_path_query_first('{"a": 1}'::jsonb, '$.a', silent => true) AS q
SELECT jsonb_path_exists(target => $1, path => $2) AS e
SELECT jsonb_path_match(path => '$.a == 1', target => '{"a": 1}'::jsonb) AS m
SELECT jsonb_path_exists(target => '{}'::jsonb) AS e
SELECT jsonb_path_exists('{}'::jsonb, target => '{}'::jsonb) AS e
SELECT jsonb_path_exists(target => '{}'::jsonb, path => '$.a', vars => $1, silent => $2) AS e
SELECT jsonb_set_lax('{}'::jsonb, '{a}', NULL, null_value_treatment => 'delete_key') AS j
SELECT jsonb_set_lax('{}'::jsonb, '{a}', NULL, create_if_missing => 1) AS j
SELECT upper(x => 'a') AS u
SELECT lower(text => 'a') AS l
SELECT count(x => 1) AS c FROM users
SELECT make_interval(days => 1, foo => 2) AS i
SELECT pg_get_viewdef(view => 'users'::regclass) AS v
SELECT jsonb_path_exists(target => '{}'::jsonb, path => '$.a', target => '{}'::jsonb) AS e

# column-definition-lists
SELECT x.id, x.title FROM jsonb_to_recordset($1) AS x(id uuid, title text)
SELECT * FROM jsonb_to_record('{"a": 1, "b": "x"}') AS x(a int, b text)
SELECT * FROM json_to_recordset('[{"a": 1}]') AS x(a bigint)
SELECT * FROM json_to_record($1) AS r(email text, score numeric(10,2))
SELECT u.email, r.n FROM users u, jsonb_to_record(jsonb_build_object('n', u.id)) AS r(n text)
SELECT * FROM jsonb_to_recordset('[]')
SELECT * FROM jsonb_to_recordset('[]') AS x(a, b)
SELECT * FROM jsonb_to_recordset('[]') AS x(a int, b)
SELECT * FROM jsonb_to_recordset('[]') AS x(a int, a text)
SELECT * FROM jsonb_to_recordset('[]') WITH ORDINALITY AS x(a int)
SELECT * FROM generate_series(1, 3) AS g(n int)
SELECT * FROM jsonb_to_recordset('[]') AS x(a nosuchtype)
SELECT * FROM jsonb_to_recordset(42) AS x(a int)
SELECT x.c FROM jsonb_to_recordset('[]') AS x(a int)
INSERT INTO products (sku, title, price) SELECT x.sku, x.title, x.price FROM jsonb_to_recordset($1) AS x(sku text, title text, price numeric) RETURNING id

# name-keywords
SELECT current_schema, current_role, current_catalog, user, current_user, session_user
SELECT tablename FROM pg_tables WHERE schemaname = current_schema AND tablename = ANY($1)
SELECT n.nspname FROM pg_namespace n WHERE n.nspname = current_schema
SELECT id FROM users WHERE current_user = 'postgres' AND session_user IS NOT NULL
SELECT upper(current_role) AS r, length(current_catalog) AS n
SELECT current_user()
SELECT current_role()
SELECT user()
SELECT current_schema + 1 AS x
SELECT "current_role" FROM users

# single-column-functions
SELECT * FROM next_order_number($1)
SELECT * FROM next_order_number('A') AS n
SELECT n.order_number FROM next_order_number('A') AS n
SELECT next_order_number('A') AS o
SELECT * FROM product_ids_over($1)
SELECT product_ids_over(10) AS p
SELECT product_ids_over(min_price => $1) AS p
SELECT p.product_id FROM product_ids_over(1) p JOIN products ON products.id = p.product_id
SELECT n FROM next_order_number('A') AS n
SELECT g FROM generate_series(1, 3) AS g
SELECT g FROM generate_series(1, 3) WITH ORDINALITY AS g
SELECT t FROM lower('A') t
SELECT x FROM users u LEFT JOIN NULLIF(u.name, 'a') x ON true
SELECT * FROM next_order_number(1, 2)
SELECT product_ids_over('x') AS p

# call-named-arguments
CALL archive_orders(shipped_before => $1)
CALL archive_orders(shipped_before => now())
CALL report_total(for_user => $1, total => NULL)
CALL report_total(total => NULL, for_user => $1)
CALL report_total($1, total => NULL)
CALL archive_orders(before => $1)
CALL archive_orders(shipped_before => $1, shipped_before => $2)
CALL report_total(for_user => $1, NULL)
CALL archive_orders(shipped_before => 'x'::int)

# range-literals
SELECT '[-1,)'::int4range AS r
SELECT '(,)'::int8range AS r, 'empty'::numrange AS e, ' EMPTY '::daterange AS d
SELECT '[1.5,2.5]'::numrange AS r
SELECT '[2024-01-01,2024-02-01)'::daterange AS r
SELECT '["2024-01-01 10:00","2024-01-01 12:00")'::tsrange AS r
SELECT 5 <@ '[1,10)'::int4range AS inside
SELECT '[3,3]'::int4range AS r
SELECT '[5,1)'::int4range AS r
SELECT '[1,2,3)'::int4range AS r
SELECT '[1'::int4range AS r
SELECT '1,2'::int4range AS r
SELECT '[a,2)'::int4range AS r
SELECT '[2024-02-01,2024-01-01)'::daterange AS r
SELECT '[3000000000,)'::int4range AS r

# regclass-names
SELECT nextval('"invoice_numbers"') AS n
SELECT nextval('public."invoice_numbers"') AS n
SELECT nextval('PUBLIC.Invoice_Numbers') AS n
SELECT 'reporting.sales'::regclass AS r
SELECT 'Reporting."sales"'::regclass AS r
SELECT '"Invoice_Numbers"'::regclass AS r
SELECT 'reporting..sales'::regclass AS r
SELECT 'db.reporting.sales'::regclass AS r
SELECT nextval('"invoice_numbers') AS n

# user-casts
SELECT price::text AS t FROM shipments
SELECT price::price_label AS l FROM shipments
SELECT ARRAY[price]::price_label[] AS a FROM shipments
SELECT price::price_label::text AS t FROM shipments
SELECT label_of(price) AS l FROM shipments
SELECT label_of($1::price_tag) AS l
SELECT label_of(ROW(1, 'EUR')::price_tag) AS l
UPDATE shipments SET label = price WHERE id = $1
UPDATE shipments SET tag = price WHERE id = $1
UPDATE shipments SET label = tag WHERE id = $1
INSERT INTO shipments (id, state) VALUES ($1, $2::text)
INSERT INTO shipments (id, state, tag) SELECT id + 1, state, price FROM shipments
SELECT label_of(label) AS l FROM shipments
SELECT * FROM shipments WHERE state = $1::text
UPDATE shipments SET price = label WHERE id = $1
UPDATE shipments SET state = $1::varchar WHERE id = $2
SELECT tag::price_tag AS p FROM shipments
SELECT price_tag_text(tag) AS t FROM shipments

# identifier-case
-- PostgreSQL folds unquoted names to lower case in ASCII only (UTF8): `Ärger` stays `Ärger`.
SELECT email AS Ärger FROM users
SELECT ÄRGER.email FROM users AS Ärger
SELECT ärger.email FROM users AS Ärger
SELECT u.EMAIL AS "Mail" FROM users AS U
