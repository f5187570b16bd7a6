"""The worker pool: work runs in other processes, and a dead worker does not poison later retries."""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool

import pytest

from tasks import pool


def _pid(_: int) -> int:
    return os.getpid()


def _die(_: int) -> int:
    os._exit(3)  # what an out-of-memory kill looks like from the parent


@pytest.fixture
def two_workers():
    pool.configure(2)
    yield
    pool.shutdown()
    pool.configure(1)


def test_work_runs_in_worker_processes(two_workers):
    assert pool.run(_pid, 0) != os.getpid()


def test_a_dead_worker_fails_that_call_and_the_retry_gets_a_fresh_pool(two_workers):
    with pytest.raises(BrokenProcessPool):
        pool.run(_die, 0)
    assert pool.run(_pid, 0) != os.getpid()


def test_one_worker_runs_inline():
    pool.configure(1)
    assert pool.run(_pid, 0) == os.getpid()
