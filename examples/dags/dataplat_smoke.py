"""A minimal DAG that proves the stack's Airflow parses the examples' DAG folder and runs tasks."""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task


@dag(
    dag_id="dataplat_smoke",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["dataplat", "smoke"],
)
def dataplat_smoke():
    @task
    def say_hello(**context) -> str:
        # The return value lands in XCom as return_value.
        return f"hello from {context['run_id']}"

    say_hello()


dataplat_smoke()
