# One `pnpm bench` run of trino-python-client (PyPI `trino`, DB-API): the query read with a fetchmany(10_000) loop,
# the way its docs stream a large result. Prints one JSON line: { rows, milliseconds, peakRssBytes }.
#   python python_client_bench.py <server-url> <user> <sql> [encoding]
# encoding: omitted = the client's default (it asks for spooling: json+zstd,json+lz4,json), `direct` = none
# (the direct protocol), else the spooled encoding(s) to ask for, e.g. json+zstd.
import json
import resource
import sys
import time
from urllib.parse import urlparse

import trino

server_url, user, sql = sys.argv[1:4]
encoding_argument = sys.argv[4] if len(sys.argv) > 4 else None
encoding_option = {} if encoding_argument is None else {"encoding": None if encoding_argument == "direct" else encoding_argument}
server = urlparse(server_url)
started = time.perf_counter()
connection = trino.dbapi.connect(
    host=server.hostname,
    port=server.port or (443 if server.scheme == "https" else 80),
    http_scheme=server.scheme,
    user=user,
    source="bench-trino-python-client",
    **encoding_option,
)
cursor = connection.cursor()
cursor.execute(sql)
rows = 0
while True:
    batch = cursor.fetchmany(10_000)
    if not batch:
        break
    rows += len(batch)
connection.close()
milliseconds = (time.perf_counter() - started) * 1000
# ru_maxrss is in KiB on Linux and in bytes on macOS.
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
peak_bytes = peak if sys.platform == "darwin" else peak * 1024
print(json.dumps({"contender": "trino-python-client", "rows": rows, "milliseconds": milliseconds, "peakRssBytes": peak_bytes}))
