BEGIN;
CREATE TABLE catalog.orders (id bigint PRIMARY KEY);
COMMIT;
