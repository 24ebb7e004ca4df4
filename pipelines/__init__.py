"""Prefect 3 flows: thin wrappers over :mod:`voc.pipeline` (no business logic, no SQL here).

Importing this package sets safe defaults for running offline with Prefect's temporary local
server (measured on this kind of machine, see docs/operations.md): a first start on a fresh
``PREFECT_HOME`` takes 16-20 s, longer than Prefect's default 20 s timeout; telemetry cannot
reach the internet. Values you set yourself win.
"""

import os

for _key, _value in {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
}.items():
    os.environ.setdefault(_key, _value)
