#!/bin/sh
# Runs once in the demo shop database (docker-entrypoint-initdb.d): sellers, 500 sales over the last 30 days, and a
# read-only user for Tributary whose password is the shop-reader-password secret.
set -eu
psql -v ON_ERROR_STOP=1 -v reader_password="$(cat /run/secrets/shop-reader-password)" \
     --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE TABLE sellers (id int PRIMARY KEY, name text NOT NULL, team text NOT NULL);
INSERT INTO sellers VALUES (1, 'Ada', 'North'), (2, 'Grace', 'North'), (3, 'Linus', 'South'),
                           (4, 'Barbara', 'South'), (5, 'Ken', 'West'), (6, 'Margaret', 'West');
CREATE TABLE sales (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  seller_id  int NOT NULL REFERENCES sellers,
  amount     numeric(10, 2) NOT NULL,
  currency   text NOT NULL DEFAULT 'EUR',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sales_created_at ON sales (created_at);
INSERT INTO sales (seller_id, amount, created_at)
  SELECT 1 + i % 6, round((10 + random() * 490)::numeric, 2), now() - (500 - i) * interval '86 minutes'
  FROM generate_series(1, 500) i;
CREATE ROLE reader LOGIN PASSWORD :'reader_password';
GRANT SELECT ON sellers, sales TO reader;
SQL
