"""Echoes the run's conf: logs a few lines and returns the conf, so clients can check logs and XCom."""

from __future__ import annotations

import logging

import pendulum
from airflow.sdk import dag, task

log = logging.getLogger(__name__)


@dag(
    dag_id="dataplat_echo",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["dataplat", "examples"],
)
def dataplat_echo():
    @task
    def echo(**context) -> dict:
        conf = dict(context["dag_run"].conf or {})
        for line in range(3):
            log.info("echo line %d of run %s", line, context["run_id"])
        return {"conf": conf, "run_id": context["run_id"]}

    echo()


dataplat_echo()
