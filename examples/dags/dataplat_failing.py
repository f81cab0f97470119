"""Fails on purpose, so clients can check how a failed run is reported (failed task and its log)."""

from __future__ import annotations

import logging

import pendulum
from airflow.sdk import dag, task

log = logging.getLogger(__name__)


@dag(
    dag_id="dataplat_failing",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 0},
    tags=["dataplat", "examples"],
)
def dataplat_failing():
    @task
    def prepare() -> int:
        return 42

    @task
    def validate(value: int) -> None:
        log.warning("validating batch of %d rows", value)
        raise ValueError("batch rejected: 3 rows have no sensor id")

    @task
    def publish() -> None:
        log.info("never reached")

    validate(prepare()) >> publish()


dataplat_failing()
