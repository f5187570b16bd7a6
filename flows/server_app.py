"""The app factory of the CLI's temporary Prefect server (`flows.cli.TemporaryServer`): Prefect's own
`prefect.server.api.server.create_app`, imported and called with the cyclic garbage collector off, its routes
prepared in a thread once it is built.

The server's start is the run's critical path before the flow starts (20k bench timeline: the CLI has
imported at 1.9 s, the server answers at 3.5 s, the flow starts at 4.5 s). Importing Prefect's server package
creates objects by the hundred thousand (pydantic models, FastAPI routes, SQLAlchemy tables) that all survive,
and CPython's collector, triggered every 700 allocations, walked the young ones ~600 times and the whole heap 6
times: the server's CPU until it answers, 4.76 -> 3.92 s (medians of 4 alternated starts, every pair lower by
0.4-0.9 s; Python 3.11, load ~19, `bench/server_start.py`). The survivors are then frozen (`gc.freeze`: later
collections, during the run's requests, skip them) and the collector is turned back on.

Prefect's settings are hashed once while it builds (`_settings_hashed_once`). Prefect's own full collection in
`create_api_app(final=True)` (the temporary server's setting) is skipped where
FastAPI keeps the included routers (>= 0.137, the pinned version): `final` then only runs that collection, which
walked the ~280 k objects to free 6.6 k (0.29-0.37 CPU-s, RSS 182 -> 182 MB, load ~25-30), on the critical path.

FastAPI (>= 0.137) builds each included router's route state (dependants, a pydantic adapter per parameter)
when a request is first matched against it; Prefect's admin router comes after 28 others, so the client's first
request (`GET /api/admin/version`) built 183 routes' state: 0.45 CPU-s of a 0.46 CPU-s request, then ~10 ms a
request (load ~25). The routes are matched once against a path none serves in a thread started as the app is
built, beside the server's start-up and the CLI's own work after /health, and SQLAlchemy's mappers configured
(else done by the first ORM query, a request the flow waits for). The app, its routes and its
database are Prefect's, unchanged.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections.abc import Iterator
from typing import Any

WARM_UP_THREAD = "jianghua-route-warm-up"
# A path no route of Prefect's app serves: matching it walks (and builds) every included router's routes
WARM_UP_PATH = "/api/__jianghua_route_warm_up__"


def create_app() -> Any:
    """Prefect's server app (a uvicorn `--factory`), built with the collector off, then frozen; its routes
    are prepared in a thread (`WARM_UP_THREAD`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        from prefect.server.api import server

        with _without_final_collection(server), _settings_hashed_once():
            app = server.create_app()
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
    threading.Thread(target=warm_up, args=(app,), name=WARM_UP_THREAD, daemon=True).start()
    return app


def warm_up(app: Any) -> None:
    """What the run's first requests would otherwise build, in the order they need it: the routes' state (the
    client's first request), then SQLAlchemy's mappers (configured at the first ORM query: 0.14 CPU-s, load ~35).
    The collector stays off meanwhile (what it builds survives) and what it built is frozen."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        warm_routes(app)
        with contextlib.suppress(Exception):  # only a head start: the first query configures what is left
            from sqlalchemy.orm import configure_mappers

            configure_mappers()
        gc.freeze()
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _without_final_collection(server: Any) -> Iterator[None]:
    """PREFECT__SERVER_FINAL unset while Prefect builds the app, where FastAPI keeps the routers it includes (the
    setting then only makes `create_api_app` collect the whole heap); kept where FastAPI copies them (< 0.137:
    `final` also drops the originals, ~50 MB)."""
    if getattr(server, "_FASTAPI_COPIES_ROUTES_ON_INCLUDE", True) or "PREFECT__SERVER_FINAL" not in os.environ:
        yield
        return
    final = os.environ.pop("PREFECT__SERVER_FINAL")
    try:
        yield
    finally:
        os.environ["PREFECT__SERVER_FINAL"] = final


@contextlib.contextmanager
def _settings_hashed_once() -> Iterator[None]:
    """Prefect's `Settings.hash_key` computed once per settings object while the app is built: `create_app` and
    `create_api_app` each key their app cache on the current settings' hash, a dump of every setting (recursively,
    each level dumped again): 0.105-0.116 CPU-s a call (load ~25-30), twice on the server's start for one object."""
    from prefect.settings import Settings

    original = Settings.hash_key
    memo: dict[int, tuple[Any, str]] = {}

    def hash_key(self: Any) -> str:
        hit = memo.get(id(self))
        if hit is None or hit[0] is not self:
            hit = memo[id(self)] = (self, original(self))
        return hit[1]

    Settings.hash_key = hash_key  # type: ignore[method-assign]
    try:
        yield
    finally:
        Settings.hash_key = original  # type: ignore[method-assign]


def warm_routes(app: Any) -> int:
    """Match every route of `app` (mounted apps' too) against `WARM_UP_PATH`, so FastAPI builds each included
    router's route state now rather than during the first request that reaches it. Returns the routes matched."""
    from starlette.routing import Mount

    scope = {"type": "http", "method": "GET", "path": WARM_UP_PATH, "root_path": "", "headers": [], "query_string": b""}

    def walk(routes: list[Any]) -> int:
        n = 0
        for route in routes:
            with contextlib.suppress(Exception):  # only a head start: a request builds what is left
                route.matches(dict(scope))
                n += 1
            if isinstance(route, Mount) and hasattr(route.app, "router"):
                n += walk(route.app.router.routes)
        return n

    return walk(app.router.routes)
