"""Runs when the asset dataplat://examples/orders-landed gets an event (e.g. emitted by NiFi after a load)."""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, dag, task

orders_landed = Asset(name="orders_landed", uri="dataplat://examples/orders-landed")


@dag(
    dag_id="dataplat_orders_landed",
    schedule=[orders_landed],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["dataplat", "examples", "assets"],
)
def dataplat_orders_landed():
    @task
    def summarize(**context) -> dict:
        events = context["triggering_asset_events"][orders_landed]
        return {"events": len(events), "extra": [dict(event.extra or {}) for event in events]}

    summarize()


dataplat_orders_landed()
