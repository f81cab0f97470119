-- Tables of the IoT sensors scenario (database "examples", schema iot). Applied by the scenario before
-- it feeds data; idempotent.
CREATE SCHEMA IF NOT EXISTS iot;

-- One row per sensor, upserted by NiFi from the readings it receives.
CREATE TABLE IF NOT EXISTS iot.sensors (
  sensor_id  text PRIMARY KEY,
  location   text NOT NULL,
  zone_type  text NOT NULL,
  latitude   double precision NOT NULL,
  longitude  double precision NOT NULL
);

-- Valid readings; (sensor_id, measured_at) makes re-sent readings update instead of duplicating.
CREATE TABLE IF NOT EXISTS iot.measurements (
  sensor_id       text NOT NULL,
  measured_at_ms  bigint NOT NULL,
  -- When NiFi stored it as epoch milliseconds (as the sensors send it); the timestamp is derived.
  measured_at     timestamptz GENERATED ALWAYS AS (to_timestamp(measured_at_ms / 1000.0)) STORED,
  pm25            double precision NOT NULL,
  temperature     double precision NOT NULL,
  humidity        double precision NOT NULL,
  co2             double precision NOT NULL,
  above_who_pm25  boolean NOT NULL,
  batch           text,
  PRIMARY KEY (sensor_id, measured_at_ms)
);

-- Readings that failed validation, as received (every field as text), with NiFi's reason.
CREATE TABLE IF NOT EXISTS iot.quarantine (
  sensor_id    text,
  location     text,
  zone_type    text,
  latitude     text,
  longitude    text,
  measured_at  text,
  pm25         text,
  temperature  text,
  humidity     text,
  co2          text,
  batch        text,
  reason       text
);
