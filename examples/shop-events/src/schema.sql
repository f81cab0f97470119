-- Scenario 3 (e-commerce events), database "examples". Idempotent.
CREATE SCHEMA IF NOT EXISTS events;

-- Clickstream (page_view, add_to_cart) and order (order_placed) events; event_id makes re-sent events
-- update instead of duplicating.
CREATE TABLE IF NOT EXISTS events.shop_events (
  event_id        text PRIMARY KEY,
  event_type      text NOT NULL,
  session_id      text NOT NULL,
  customer_id     integer,
  product_id      integer,
  amount          numeric(10, 2),
  occurred_at_ms  bigint NOT NULL,
  occurred_at     timestamptz GENERATED ALWAYS AS (to_timestamp(occurred_at_ms / 1000.0)) STORED
);
