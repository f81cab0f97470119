-- Scenario 2 (nightly warehouse load), database "examples": the shop's operational tables (shop.*) and
-- the staging copies NiFi keeps up to date from them (staging.*). Idempotent.
CREATE SCHEMA IF NOT EXISTS shop;
CREATE SCHEMA IF NOT EXISTS staging;

CREATE TABLE IF NOT EXISTS shop.customers (
  customer_id  integer PRIMARY KEY,
  name         text NOT NULL,
  email        text NOT NULL,
  country      text NOT NULL,
  segment      text NOT NULL,
  updated_at   timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS shop.products (
  product_id  integer PRIMARY KEY,
  name        text NOT NULL,
  category    text NOT NULL,
  unit_price  numeric(10, 2) NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS shop.orders (
  order_id     bigint PRIMARY KEY,
  customer_id  integer NOT NULL REFERENCES shop.customers,
  product_id   integer NOT NULL REFERENCES shop.products,
  quantity     integer NOT NULL,
  unit_price   numeric(10, 2) NOT NULL,
  status       text NOT NULL,
  ordered_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS staging.customers (LIKE shop.customers INCLUDING ALL);
CREATE TABLE IF NOT EXISTS staging.products (LIKE shop.products INCLUDING ALL);
CREATE TABLE IF NOT EXISTS staging.orders (
  order_id     bigint PRIMARY KEY,
  customer_id  integer NOT NULL,
  product_id   integer NOT NULL,
  quantity     integer NOT NULL,
  unit_price   numeric(10, 2) NOT NULL,
  status       text NOT NULL,
  ordered_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);
