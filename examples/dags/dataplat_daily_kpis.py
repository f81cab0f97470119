"""Scenario 3: daily shop KPIs, recomputed whenever NiFi reports that a batch of shop events landed.

Scheduled on the asset dataplat://examples/shop-events, which the NiFi flow shop-events (flows/shop-events.yaml)
emits per stored batch. Trino computes the KPIs per day into iceberg.kpis.daily_shop_kpis.
Connection: trino_default (host = Trino's URL, login = user).
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, dag, task

from dataplat_lib.trino_sql import run_sql

shop_events = Asset(name="shop_events", uri="dataplat://examples/shop-events")

KPIS = """
CREATE OR REPLACE TABLE iceberg.kpis.daily_shop_kpis AS
SELECT CAST(at_timezone(occurred_at, 'UTC') AS date) AS day,
       count(DISTINCT session_id) AS sessions,
       count_if(event_type = 'page_view') AS page_views,
       count_if(event_type = 'add_to_cart') AS add_to_carts,
       count_if(event_type = 'order_placed') AS orders,
       CAST(coalesce(sum(amount) FILTER (WHERE event_type = 'order_placed'), 0) AS decimal(12, 2)) AS revenue,
       CAST(count_if(event_type = 'order_placed') AS double) / count(DISTINCT session_id) AS conversion_rate,
       CAST(sum(amount) FILTER (WHERE event_type = 'order_placed') / nullif(count_if(event_type = 'order_placed'), 0) AS decimal(12, 2)) AS avg_order_value
FROM postgresql.events.shop_events
GROUP BY 1
"""


@dag(
    dag_id="dataplat_daily_kpis",
    schedule=[shop_events],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["dataplat", "examples", "assets"],
)
def dataplat_daily_kpis():
    @task
    def compute_kpis(**context) -> dict:
        events = context["triggering_asset_events"][shop_events]
        run_sql("CREATE SCHEMA IF NOT EXISTS iceberg.kpis")
        run_sql(KPIS)
        rows = run_sql("SELECT CAST(day AS varchar), sessions, page_views, add_to_carts, orders, CAST(revenue AS varchar), conversion_rate FROM iceberg.kpis.daily_shop_kpis ORDER BY day")
        return {"batches": sorted({(event.extra or {}).get("batch") for event in events} - {None}), "days": rows}

    compute_kpis()


dataplat_daily_kpis()
