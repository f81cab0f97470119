"""Scenario 2: the nightly warehouse load.

1. extract: runs the NiFi flow warehouse-extract once (through nifi_flow_warehouse_extract, the DAG that
   `flows dag warehouse-extract` generated) — rows changed since the last night land in staging.*;
2. build_star_schema: Trino rebuilds the star schema (iceberg.warehouse: fact_orders and its dimensions)
   from staging;
3. check_counts: the warehouse must hold exactly what the shop database holds, or the run fails.

Connections: nifi_default (for the extract DAG) and trino_default (host = Trino's URL, login = user).
"""

from __future__ import annotations

import pendulum
from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import dag, task

from dataplat_lib.trino_sql import run_sql

STAR_SCHEMA = [
    "CREATE SCHEMA IF NOT EXISTS iceberg.warehouse",
    """CREATE OR REPLACE TABLE iceberg.warehouse.dim_customer AS
       SELECT customer_id AS customer_key, name, email, country, segment FROM postgresql.staging.customers""",
    """CREATE OR REPLACE TABLE iceberg.warehouse.dim_product AS
       SELECT product_id AS product_key, name, category, unit_price FROM postgresql.staging.products""",
    """CREATE OR REPLACE TABLE iceberg.warehouse.dim_date AS
       SELECT DISTINCT CAST(date_format(day, '%Y%m%d') AS integer) AS date_key, day AS date,
              year(day) AS year, month(day) AS month, day_of_week(day) AS weekday
       FROM (SELECT CAST(at_timezone(ordered_at, 'UTC') AS date) AS day FROM postgresql.staging.orders)""",
    """CREATE OR REPLACE TABLE iceberg.warehouse.fact_orders AS
       SELECT order_id, customer_id AS customer_key, product_id AS product_key,
              CAST(date_format(at_timezone(ordered_at, 'UTC'), '%Y%m%d') AS integer) AS date_key,
              quantity, unit_price, quantity * unit_price AS revenue, status
       FROM postgresql.staging.orders""",
]

COUNTS = """
SELECT (SELECT count(*) FROM iceberg.warehouse.fact_orders), (SELECT count(*) FROM postgresql.shop.orders),
       (SELECT count(*) FROM iceberg.warehouse.dim_customer), (SELECT count(*) FROM postgresql.shop.customers),
       (SELECT count(*) FROM iceberg.warehouse.dim_product), (SELECT count(*) FROM postgresql.shop.products)
"""


@dag(
    dag_id="dataplat_nightly_warehouse",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["dataplat", "examples", "warehouse"],
)
def dataplat_nightly_warehouse():
    extract = TriggerDagRunOperator(
        task_id="extract",
        trigger_dag_id="nifi_flow_warehouse_extract",
        wait_for_completion=True,
        poke_interval=2,
        failed_states=["failed"],
    )

    @task
    def build_star_schema() -> int:
        for statement in STAR_SCHEMA:
            run_sql(statement)
        return len(STAR_SCHEMA)

    @task
    def check_counts() -> dict:
        facts, orders, customers_dim, customers, products_dim, products = run_sql(COUNTS)[0]
        counts = {"fact_orders": facts, "orders": orders, "dim_customer": customers_dim, "customers": customers, "dim_product": products_dim, "products": products}
        if (facts, customers_dim, products_dim) != (orders, customers, products):
            raise ValueError(f"The warehouse does not match the shop database: {counts}")
        return counts

    extract >> build_star_schema() >> check_counts()


dataplat_nightly_warehouse()
