"""Runs SQL on Trino over its REST protocol (standard library only), for the example DAGs.

The Trino server and user come from an Airflow connection: host = the coordinator's URL
(e.g. http://trino:8080), login = the Trino user.
"""

from __future__ import annotations

import json
import logging
import urllib.request

from airflow.sdk import Connection

log = logging.getLogger(__name__)


def run_sql(sql: str, connection_id: str = "trino_default") -> list[list]:
    """Runs one statement to its end and returns its rows; raises on a query error."""
    connection = Connection.get(connection_id)
    server = (connection.extra_dejson or {}).get("url") or connection.host
    headers = {"X-Trino-User": connection.login or "airflow", "X-Trino-Source": "dataplat-airflow"}
    request = urllib.request.Request(f"{server.rstrip('/')}/v1/statement", data=sql.encode(), headers=headers, method="POST")
    rows: list[list] = []
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.load(response)
    while True:
        if "error" in body:
            error = body["error"]
            raise RuntimeError(f"Trino {error.get('errorName')}: {error.get('message')}\n{sql}")
        rows.extend(body.get("data") or [])
        next_uri = body.get("nextUri")
        if not next_uri:
            log.info("trino query %s: %s row(s)", body.get("id"), len(rows))
            return rows
        with urllib.request.urlopen(urllib.request.Request(next_uri, headers=headers), timeout=60) as response:
            body = json.load(response)
