"""Dedupe on a real Dask LocalCluster gives the bytes of the in-process run, on a fixture where every
step decides something: near-duplicate grouping by estimated containment, the boilerplate discount
(document frequency over groups), containment of a truncated copy, exact copies, and unrelated
speeches. Real texts from data/samples, real signatures, real Parquet, real distributed."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tasks import dedupe_cluster
from tests.test_dedupe import HUAIAN, HUAINAN, NOTICE, NPC_A, NPC_B, SH_GOV, SH_NEWS, _damaged, part_bytes, sample, sign


def every_step() -> dict[str, str]:
    """Four damaged copies of one speech that ten other speeches quote (grouping + boilerplate df:
    test_damaged_copies_quoted_by_other_speeches_still_cluster), one speech with an exact and a
    truncated copy (containment), a cross-site pair and an unrelated report."""
    rng = random.Random(1)
    base = sample(HUAIAN)
    paras = [p for p in base.split("\n") if len(p) > 40]
    others = [p for name in (SH_GOV, HUAINAN) for p in sample(name).split("\n") if len(p) > 40]
    docs = {f"copy{i}": _damaged(base, rng, 0.01, 0.06) for i in range(4)}
    for k in range(10):
        mine = rng.sample(paras, int(len(paras) * 0.7))
        docs[f"quote{k}"] = "\n".join(mine + rng.sample(others, min(len(others), len(mine))))
    full = sample(NPC_B)  # the damaged copies are of HUAIAN: these three are of another speech
    held = {"a-full": full, "b-copy": full, "cut": full[: len(full) // 2] + "\n" + NOTICE, "other": sample(NPC_A)}
    return docs | held | {SH_GOV: sample(SH_GOV), SH_NEWS: sample(SH_NEWS)}


def by_id(out, parts: int) -> dict[str, dict]:
    t = pa.concat_tables([pq.read_table(out / "assignments" / f"{i:05d}.parquet") for i in range(parts)])
    return {r["doc_id"]: r for r in t.to_pylist()}


@pytest.mark.parametrize("small", [False, True], ids=["one-partition", "many-partitions"])
def test_dask_gives_the_local_bytes_on_every_step(tmp_path, monkeypatch, small):
    distributed = pytest.importorskip("distributed")
    docs = every_step()
    ids = sorted(docs)
    files = [sign(tmp_path, {d: docs[d] for d in ids[k::3]}, f"s{k}") for k in range(3)]
    if small:  # many keyed partitions, pair batches and chunks: many Dask tasks, results in order
        monkeypatch.setattr(dedupe_cluster, "PARTITION_ROWS", 1000)
        monkeypatch.setattr(dedupe_cluster, "PAIR_BATCH", 40)
        monkeypatch.setattr(dedupe_cluster, "EXPAND_BATCH", 200)
    dedupe_cluster.cluster_corpus(files, None, str(tmp_path / "local"))
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as c,
        distributed.Client(c) as client,
    ):
        dedupe_cluster.cluster_corpus(files, None, str(tmp_path / "dask"), client=client)
    assert part_bytes(tmp_path / "dask", 3) == part_bytes(tmp_path / "local", 3)
    # and the fixture did exercise each step (else equal bytes prove little)
    rows = by_id(tmp_path / "local", 3)
    copies = {rows[f"copy{i}"]["cluster_id"] for i in range(4)}
    assert len(copies) == 1  # grouped: shared text not discounted against their own damage
    assert all(rows[f"quote{k}"]["cluster_id"] not in copies for k in range(10))  # discounted boilerplate
    assert rows["cut"]["cluster_id"] == rows["a-full"]["cluster_id"] == rows["b-copy"]["cluster_id"]
    assert rows["cut"]["dup_reason"] == "contained" and not rows["cut"]["is_canonical"]
    assert rows[SH_GOV]["cluster_id"] == rows[SH_NEWS]["cluster_id"]
    assert rows["other"]["is_canonical"]


def test_npy_headers_parse_one_thread_at_a_time():
    """numpy parses .npy headers with ast.literal_eval, which Python 3.11 cannot run in two threads at
    once (SystemError: AST constructor recursion depth mismatch, seen here with threaded workers):
    importing any stage module serialises it, and arrays still load."""
    import ast
    import io
    import threading

    import numpy as np

    import tasks.common  # noqa: F401 - installs the lock

    assert getattr(ast.literal_eval, "_jianghua_serialised", False)
    buf = io.BytesIO()
    np.save(buf, np.arange(7))
    data, errors = buf.getvalue(), []

    def load() -> None:
        try:
            for _ in range(200):
                assert np.load(io.BytesIO(data)).tolist() == list(range(7))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
