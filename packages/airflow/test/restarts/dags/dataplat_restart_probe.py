"""For the restart tests: a run that lasts as long as its conf says, so a server can restart during it."""

from __future__ import annotations

import time

import pendulum
from airflow.sdk import dag, task


@dag(
    dag_id="dataplat_restart_probe",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["dataplat", "tests"],
)
def dataplat_restart_probe():
    @task
    def hold(**context) -> int:
        seconds = int((context["dag_run"].conf or {}).get("seconds", 20))
        time.sleep(seconds)
        return seconds

    hold()


dataplat_restart_probe()
