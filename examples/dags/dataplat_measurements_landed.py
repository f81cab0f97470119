"""Runs when NiFi reports that a batch of sensor measurements landed (asset dataplat://examples/measurements).

The iot-sensors flow (flows/iot-sensors.yaml) emits the asset event from its trigger "measurements-landed".
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, dag, task

measurements = Asset(name="sensor_measurements", uri="dataplat://examples/measurements")


@dag(
    dag_id="dataplat_measurements_landed",
    schedule=[measurements],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["dataplat", "examples", "assets"],
)
def dataplat_measurements_landed():
    @task
    def summarize(**context) -> dict:
        events = context["triggering_asset_events"][measurements]
        return {"batches": len(events), "extra": [dict(event.extra or {}) for event in events]}

    summarize()


dataplat_measurements_landed()
