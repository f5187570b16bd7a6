"""The app factory of the CLI's temporary Prefect server (`flows.cli.TemporaryServer`): Prefect's own
`prefect.server.api.server.create_app`, imported and called with the cyclic garbage collector off.

The server's start is the run's critical path before the flow starts (20k bench timeline: the CLI has
imported at 1.9 s, the server answers at 4.2 s). Importing Prefect's server package creates objects by the
hundred thousand (pydantic models, FastAPI routes, SQLAlchemy tables) that all survive, and CPython's
collector, triggered every 700 allocations, walked the young ones ~600 times and the whole heap 6 times:
the server's CPU until it answers, 4.76 -> 3.92 s (medians of 4 alternated starts, every pair lower by
0.4-0.9 s; Python 3.11, load ~19, `bench/server_start.py`). With it off, Prefect's own `gc.collect()` in
`create_api_app(final=True)` (the temporary server's setting) still frees the import's garbage; then the
survivors are frozen (`gc.freeze`: later collections, during the run's requests, skip them) and the
collector is turned back on. The app, its routes and its database are Prefect's, unchanged.
"""

from __future__ import annotations

import gc
import os
from typing import Any


def create_app() -> Any:
    """Prefect's server app (a uvicorn `--factory`), built with the collector off, then frozen."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        from prefect.server.api.server import create_app as prefect_create_app

        app = prefect_create_app()
        if not os.environ.get("PREFECT__SERVER_FINAL"):  # with it, create_api_app collects (what flows.cli sets)
            gc.collect()
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
    return app
