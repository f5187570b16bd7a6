"""Incremental dedupe: a run on the previous run's index gives the bytes of a cold run.

Real texts from data/samples, real signatures (tasks.dedupe.shard_signatures), real Parquet. Every
step runs `cluster_corpus` twice on the same signature files, once on the previous state and once
cold, and compares every output file byte for byte plus the digests the stage returns.
"""

from __future__ import annotations

import json
import mmap
import random
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from tasks import dedupe, dedupe_cluster
from tasks.dedupe_cluster import DedupeStateError
from tasks.normalize import normalize_text

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "real"
NOTICE = "因篇幅问题不能全部显示,请点此查看更多更全内容"
SPAN = 2500  # characters taken from each real report: long enough for anchors, short enough to be quick


def speeches() -> list[str]:
    """Six different long real reports (a slice of each), in a fixed order."""
    out = []
    for path in sorted(SAMPLES.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        start = len(text) // 5
        if len(text) - start >= SPAN:
            out.append(text[start : start + SPAN])
    assert len(out) >= 6
    return out


def near_copy(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(len(chars) // 100):  # 1 % of characters replaced, as bench/scale.py does
        chars[rng.randrange(len(chars))] = chr(rng.randrange(0x4E00, 0x9FA5))
    return "".join(chars)


def pool(seed: int) -> dict[str, str]:
    """Originals, near copies, truncated copies, paragraph mosaics, and bridges (two whole speeches
    in one page: contains both, so it joins their clusters)."""
    rng = random.Random(seed)
    base = speeches()
    docs = {f"orig-{i}": t for i, t in enumerate(base)}
    for i, t in enumerate(base):
        for k in range(rng.randint(0, 2)):
            docs[f"near-{i}-{k}"] = near_copy(t, rng)
        if rng.random() < 0.6:
            docs[f"cut-{i}"] = t[: int(len(t) * rng.uniform(0.4, 0.75))] + "\n" + NOTICE
    for k in range(3):
        a, b = rng.sample(range(len(base)), 2)
        docs[f"mosaic-{k}"] = base[a][: SPAN // 2] + "\n" + base[b][SPAN // 2 :]
    a, b = rng.sample(range(len(base)), 2)
    docs["bridge"] = base[a] + "\n" + base[b]
    return docs


_SIGNED: dict[tuple[str, str], pa.Table] = {}


def signed(doc_id: str, text: str) -> pa.Table:
    """One document's signature row (the real stage on the real normalize output), memoised."""
    key = (doc_id, text)
    if key not in _SIGNED:
        norm = normalize_text(text)
        t = pa.table(
            {
                "doc_id": [doc_id],
                "text": [norm.text],
                "quality_flags": pa.array([sorted(norm.flags)], pa.list_(pa.string())),
                "n_chars": pa.array([len(norm.text)], pa.int32()),
            }
        )
        _SIGNED[key] = dedupe.shard_signatures(t)
    return _SIGNED[key]


def write_shards(folder: Path, shards: list[dict[str, str]]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for k, docs in enumerate(shards):
        rows = [signed(d, docs[d]) for d in sorted(docs)]
        schema = signed("x", "同志们").schema
        table = pa.concat_tables(rows) if rows else schema.empty_table()
        path = folder / f"{k}.parquet"
        pq.write_table(table, path)
        files.append(str(path))
    return files


def deal(docs: dict[str, str], n_shards: int, rng: random.Random) -> list[dict[str, str]]:
    shards: list[dict[str, str]] = [{} for _ in range(n_shards)]
    for d in sorted(docs):
        shards[rng.randrange(n_shards)][d] = docs[d]
    return shards


def stage(files: list[str], out: Path, prev: str | None) -> dict:
    """The stage runner (part and shared digests included) on these signature files."""
    folders = []
    for f in files:  # the runner reads <dir>/signatures.parquet
        d = Path(f).with_suffix("")
        d.mkdir(exist_ok=True)
        (d / "signatures.parquet").write_bytes(Path(f).read_bytes())
        folders.append(str(d))
    return dedupe_cluster.cluster_shards({"signatures": folders}, str(out), prev, threads=THREADS[0])


THREADS = {0: 1}  # the calls' threads: 2 on the fast path (the flow's on two workers: chunks made ahead), else 1


def all_bytes(out: Path, parts: int) -> list[bytes]:
    """Assignments, duplicates and (the stage runner's, not `cluster_corpus`'s) per-shard shared lists."""
    shared = [out / "shared" / f"{i:05d}.parquet" for i in range(parts)] if (out / "shared").exists() else []
    return [
        *((out / "assignments" / f"{i:05d}.parquet").read_bytes() for i in range(parts)),
        *(p.read_bytes() for p in shared),
        (out / "duplicates.parquet").read_bytes(),
    ]


def check_shared(out: Path, parts: int) -> None:
    """Each shard's list of its clusters with copies is what the duplicates table holds of them."""
    copied = set(pq.read_table(out / "duplicates.parquet", columns=["cluster_id"]).column(0).to_pylist())
    for i in range(parts):
        mine = set(
            pq.read_table(out / "assignments" / f"{i:05d}.parquet", columns=["cluster_id"]).column(0).to_pylist()
        )
        got = pq.read_table(out / "shared" / f"{i:05d}.parquet").column("cluster_id").to_pylist()
        assert got == sorted(mine & copied), i


@pytest.fixture(params=["fast", "full"])
def path_mode(request, monkeypatch):
    """Every incremental test runs twice: through the fast path wherever it applies (its size
    limits lifted: these corpora are tiny) and through the full path only."""
    if request.param == "fast":
        monkeypatch.setattr(dedupe_cluster, "FAST_MAX_SHARE", 10.0)
        monkeypatch.setattr(dedupe_cluster, "ADD_MAX_SHARE", 1e9)
        monkeypatch.setitem(THREADS, 0, 2)
    else:
        monkeypatch.setattr(dedupe_cluster, "FAST_MAX_SHARE", -1.0)
        monkeypatch.setitem(THREADS, 0, 1)
    return request.param


@pytest.fixture(autouse=True)
def _both_paths(path_mode):
    return path_mode


# A test that sets FAST_MAX_SHARE = -1 itself takes the full path in both modes; its "fast" run differed only in
# the cold call's 2 threads, which every other "fast" test's cold run (check_step) and the full-path "fast" tests
# (large change, too many anchor pairs) exercise. test_a_signature_files_runs… "fast" was 21.6 s of the file's 264.
FULL_PATH_ONCE = "forces the full path: its full-mode run is this test"


def check_step(tmp: Path, name: str, shards: list[dict[str, str]], prev: str | None) -> tuple[str, dict]:
    """Incremental (on `prev`) and cold on the same files: the same bytes and digests."""
    files = write_shards(tmp / f"{name}-sig", shards)
    inc = stage(files, tmp / f"{name}-inc", prev)
    cold = stage(files, tmp / f"{name}-cold", None)
    assert all_bytes(tmp / f"{name}-inc", len(files)) == all_bytes(tmp / f"{name}-cold", len(files)), name
    check_shared(tmp / f"{name}-inc", len(files))
    assert inc["part_digests"] == cold["part_digests"] and inc["shared_digests"] == cold["shared_digests"]
    for k in ("docs", "clusters", "duplicates", "duplicate_reasons", "cluster_sizes"):
        assert inc[k] == cold[k], (name, k)
    return str(tmp / f"{name}-inc" / "state"), inc


def cluster_of(out: Path, parts: int) -> dict[str, dict]:
    t = pa.concat_tables([pq.read_table(out / "assignments" / f"{i:05d}.parquet") for i in range(parts)])
    return {r["doc_id"]: r for r in t.to_pylist()}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_additions_removals_changes_and_renumbering_match_cold(tmp_path, seed):
    rng = random.Random(seed)
    docs = pool(seed)
    ids = sorted(docs)
    present = set(rng.sample(ids, len(ids) * 2 // 3))
    state, _ = check_step(tmp_path, "s0", deal({d: docs[d] for d in present}, 3, rng), None)
    for step in range(1, 4):
        absent = sorted(set(ids) - present)
        added = set(rng.sample(absent, min(len(absent), rng.randint(1, 4))))
        removed = set(rng.sample(sorted(present), rng.randint(0, 3)))
        present = (present | added) - removed
        current = {d: docs[d] for d in present}
        for d in rng.sample(sorted(present), 1):  # a document rewritten under the same id
            current[d] = near_copy(current[d], rng)
        docs.update(current)
        n_shards = rng.randint(2, 4)  # shards re-dealt and renumbered too
        state, stats = check_step(tmp_path, f"s{step}", deal(current, n_shards, rng), state)
        assert stats["reexamined_docs"] < len(present)  # the index was used, not a cold rebuild


def test_bridge_joins_two_old_clusters_and_its_removal_splits_them(tmp_path):
    base = speeches()
    rng = random.Random(5)
    docs = {"a": base[0], "a-copy": near_copy(base[0], rng), "b": base[1], "b-copy": near_copy(base[1], rng)}
    s0, _ = check_step(tmp_path, "before", [docs], None)
    rows = cluster_of(tmp_path / "before-inc", 1)
    assert rows["a"]["cluster_id"] != rows["b"]["cluster_id"]
    bridged = dict(docs, ab=base[0] + "\n" + base[1])
    s1, stats = check_step(tmp_path, "bridge", [docs, {"ab": bridged["ab"]}], s0)
    rows = cluster_of(tmp_path / "bridge-inc", 2)
    assert rows["a"]["cluster_id"] == rows["b"]["cluster_id"] == rows["ab"]["cluster_id"]
    assert stats["reexamined_docs"] == 1 and stats["reused_files"] == 1  # the old shard is not read again
    check_step(tmp_path, "split", [docs], s1)  # the bridge removed again
    rows = cluster_of(tmp_path / "split-inc", 1)
    assert rows["a"]["cluster_id"] != rows["b"]["cluster_id"]


def test_removed_canonical_is_re_elected_like_cold(tmp_path):
    base = speeches()
    rng = random.Random(6)
    docs = {"full": base[2], "near": near_copy(base[2], rng), "cut": base[2][:1500] + "\n" + NOTICE, "x": base[3]}
    s0, _ = check_step(tmp_path, "all", [docs], None)
    rows = cluster_of(tmp_path / "all-inc", 1)
    canonical = next(d for d, r in rows.items() if r["is_canonical"] and r["cluster_id"] == rows["cut"]["cluster_id"])
    rest = {d: t for d, t in docs.items() if d != canonical}
    check_step(tmp_path, "gone", [rest], s0)
    rows = cluster_of(tmp_path / "gone-inc", 1)
    assert canonical not in rows and rows["cut"]["dup_of"] in rest


def test_only_renumbered_shards_reuse_every_pair(tmp_path):
    rng = random.Random(7)
    docs = pool(7)
    shards = deal(docs, 3, rng)
    s0, _ = check_step(tmp_path, "order", shards, None)
    _, stats = check_step(tmp_path, "renumbered", shards[::-1], s0)
    assert stats["reexamined_docs"] == 0 and stats["reverified_pairs"] == 0 and stats["reused_files"] == 3


def test_index_partitions_and_weight_changes_are_exact(tmp_path, monkeypatch):
    """Many small partitions (index, pairs, batches) and boilerplate whose weight changes."""
    monkeypatch.setattr(dedupe_cluster, "PARTITION_ROWS", 300)
    monkeypatch.setattr(dedupe_cluster, "PAIR_BATCH", 4)
    monkeypatch.setattr(dedupe_cluster, "EXPAND_BATCH", 200)
    rng = random.Random(8)
    docs = pool(8)
    boiler = "各位代表，现在，我代表市人民政府向大会报告政府工作，请予审议，并请市政协委员提出意见。"
    docs = {d: (boiler + t if i % 2 else t) for i, (d, t) in enumerate(sorted(docs.items()))}
    ids = sorted(docs)
    first = {d: docs[d] for d in ids[: len(ids) // 2]}
    s0, _ = check_step(tmp_path, "half", deal(first, 2, rng), None)
    check_step(tmp_path, "all", deal(docs, 3, rng), s0)


def test_changed_parameters_rebuild_the_index(tmp_path, monkeypatch):
    docs = pool(9)
    s0, _ = check_step(tmp_path, "one", [docs], None)
    monkeypatch.setattr(dedupe, "MIN_CONTAINMENT", 0.9)
    _, stats = check_step(tmp_path, "two", [dict(docs, extra=speeches()[4] + "。")], s0)
    assert stats["reexamined_docs"] == len(docs) + 1  # other parameters: nothing reused
    info = json.loads((Path(s0).parent.parent / "two-inc" / "state" / "index" / "index.json").read_text())
    assert info["version"] == dedupe_cluster.params_version()


def test_damaged_index_fails_loudly(tmp_path, monkeypatch, path_mode):
    if path_mode == "fast":
        pytest.skip(FULL_PATH_ONCE)
    monkeypatch.setattr(dedupe_cluster, "FAST_MAX_SHARE", -1.0)  # the full path reads the main index
    docs = pool(10)
    s0, _ = check_step(tmp_path, "one", [docs], None)
    more = [docs, {"extra": speeches()[1][:900]}]
    pairs = sorted((Path(s0) / "index" / "pairs").glob("*.npz"))
    data = bytearray(pairs[0].read_bytes())
    data[-20] ^= 0xFF  # one flipped byte in a partition: the digest check says which file
    pairs[0].write_bytes(bytes(data))
    files = write_shards(tmp_path / "more-sig", more)
    with pytest.raises(dedupe_cluster.DedupeStateError, match=r"pairs/00000\.npz.*damaged"):
        dedupe_cluster.cluster_corpus(files, s0, str(tmp_path / "out"))
    (Path(s0) / "index" / "index.json").write_text("{broken")
    with pytest.raises(dedupe_cluster.DedupeStateError, match=r"index\.json"):
        dedupe_cluster.cluster_corpus(files, s0, str(tmp_path / "out2"))


def test_a_signature_files_runs_are_kept_in_a_few_files_and_a_damaged_partition_is_refused(
    tmp_path, monkeypatch, path_mode
):
    """The index keeps each signature file's keyed runs one pair of files per kind (keys, rows) plus
    their partition offsets and digests, however many partitions: one file a partition made the index
    hold signature files x partitions files (36 k of 38.8 k at 100k). The full path on the index reads
    a partition's slice only, checked against that partition's digest: a flipped byte is refused,
    naming the file."""
    if path_mode == "fast":
        pytest.skip(FULL_PATH_ONCE)
    monkeypatch.setattr(dedupe_cluster, "PARTITION_ROWS", 300)  # many partitions
    monkeypatch.setattr(dedupe_cluster, "FAST_MAX_SHARE", -1.0)  # the full path reads the cached runs
    docs = pool(12)
    s0, _ = check_step(tmp_path, "one", deal(docs, 2, random.Random(12)), None)
    info = json.loads((Path(s0) / "index" / "index.json").read_text())
    assert any(bits > 2 for bits in info["bits"].values())
    per_file: dict[str, set[str]] = {}
    for rel in info["files"]:
        if rel.startswith("files/"):
            _, digest, name = rel.split("/")
            per_file.setdefault(digest, set()).add(name)
    kinds = ("bands", "anchors", "sample", "exact")
    runs = {f"{k}-{x}" for k in kinds for x in ("k.bin", "row.bin", "at.npz")}
    assert len(per_file) == 2 and all(runs <= names and len(names) <= len(runs) + 5 for names in per_file.values())
    _, stats = check_step(tmp_path, "again", deal(docs, 2, random.Random(12))[::-1], s0)
    assert stats["reused_files"] == 2  # the same bytes as cold (check_step), from the kept runs
    digest = sorted(per_file)[0]
    keys = Path(s0) / "index" / "files" / digest / "sample-k.bin"
    data = bytearray(keys.read_bytes())
    data[len(data) // 2] ^= 0xFF
    keys.write_bytes(bytes(data))
    more = [*deal(docs, 2, random.Random(12)), {"extra": speeches()[1][:900]}]  # new inputs: no outputs reused
    files = write_shards(tmp_path / "more-sig", more)
    with pytest.raises(dedupe_cluster.DedupeStateError, match=rf"{digest}/sample-k\.bin.*damaged"):
        dedupe_cluster.cluster_corpus(files, s0, str(tmp_path / "out"))


def test_index_holds_every_measured_pair_once_per_key(tmp_path):
    docs = pool(11)
    s0, _ = check_step(tmp_path, "one", [docs], None)
    idx = Path(s0) / "index"
    info = json.loads((idx / "index.json").read_text())
    seen = set()
    for p in range(1 << info["pair_bits"]):
        with np.load(idx / "pairs" / f"{p:05d}.npz") as z:
            assert (np.diff(z["h"].astype(np.float64)) >= 0).all()
            assert (z["lo"] <= z["hi"]).all()
            seen |= set(zip(z["lo"].tolist(), z["hi"].tolist(), strict=True))
    cand = json.loads((Path(s0) / "state.json").read_text())["stats"]
    assert len(seen) >= cand["reverified_pairs"] > 0
    dups = pq.read_table(Path(s0).parent / "duplicates.parquet")
    assert pc.sum(pc.cast(pc.invert(dups.column("is_canonical")), pa.int64())).as_py() == cand["duplicates"]


def test_incremental_on_dask_gives_the_cold_bytes(tmp_path):
    distributed = pytest.importorskip("distributed")
    rng = random.Random(12)
    docs = pool(12)
    ids = sorted(docs)
    first = deal({d: docs[d] for d in ids[: len(ids) // 2]}, 2, rng)
    s0, _ = check_step(tmp_path, "half", first, None)
    files = write_shards(tmp_path / "all-sig", [*first, {d: docs[d] for d in ids[len(ids) // 2 :]}])
    with (
        distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        stats = dedupe_cluster.cluster_corpus(files, s0, str(tmp_path / "dask"), client=client)
    dedupe_cluster.cluster_corpus(files, None, str(tmp_path / "cold"))
    assert stats["reused_files"] == 2
    assert all_bytes(tmp_path / "dask", 3) == all_bytes(tmp_path / "cold", 3)


def test_incremental_in_place_on_its_own_state(tmp_path):
    """The previous state may be out/state itself: replaced only after the run has used it."""
    rng = random.Random(13)
    docs = pool(13)
    ids = sorted(docs)
    first = deal({d: docs[d] for d in ids[:-5]}, 2, rng)
    out = tmp_path / "out"
    dedupe_cluster.cluster_corpus(write_shards(tmp_path / "a", first), None, str(out))
    files = write_shards(tmp_path / "b", [*first, {d: docs[d] for d in ids[-5:]}])
    for _ in range(2):  # the second time: same files, outputs reused from out/state itself
        dedupe_cluster.cluster_corpus(files, str(out / "state"), str(out))
        dedupe_cluster.cluster_corpus(files, None, str(tmp_path / "cold"))
        assert all_bytes(out, 3) == all_bytes(tmp_path / "cold", 3)
    assert (out / "state" / "index" / "index.json").exists()


# --- the fast path (cost follows the change) ----------------------------------------------------


def test_fast_path_add_to_one_cluster(tmp_path, path_mode):
    base = speeches()
    rng = random.Random(21)
    docs = {f"s{i}": t for i, t in enumerate(base[:5])} | {"s0-copy": near_copy(base[0], rng)}
    s0, _ = check_step(tmp_path, "base", [docs], None)
    _, stats = check_step(tmp_path, "more", [docs, {"s0-copy2": near_copy(base[0], rng)}], s0)
    assert stats["fast_path"] is (path_mode == "fast")
    rows = cluster_of(tmp_path / "more-inc", 2)
    assert rows["s0-copy2"]["cluster_id"] == rows["s0"]["cluster_id"] != rows["s1"]["cluster_id"]
    if path_mode == "fast":  # only the new document's pairs measured; the other shard's part untouched
        assert stats["reexamined_docs"] == 1 and stats["reverified_pairs"] <= 3 and stats["reused_files"] == 1


FAST_PHASES = ["load", "new and removed", "band candidates", "anchor candidates", "candidate partitions",
               "near groups", "df changes", "measured pairs", "known pair deltas", "election", "outputs",
               "next state"]  # fmt: skip
COLD_PHASES = ["scatter", "candidates", "jaccard", "near groups", "verification", "election", "next state"]


def test_stats_say_where_the_call_spent_its_time(tmp_path, path_mode):
    """Each path reports its phases' seconds (manifest `stages`); a reused call computed nothing and
    reports none, not the seconds of the run whose outputs it reuses."""
    base = speeches()
    rng = random.Random(22)
    docs = {f"s{i}": t for i, t in enumerate(base[:4])} | {"s0-copy": near_copy(base[0], rng)}
    files = write_shards(tmp_path / "a", [docs])
    started = time.perf_counter()
    cold = stage(files, tmp_path / "cold", None)
    elapsed = time.perf_counter() - started
    assert list(cold["phase_wall_s"]) == COLD_PHASES and list(cold["phase_cpu_s"]) == COLD_PHASES
    assert all(v >= 0 for v in [*cold["phase_wall_s"].values(), *cold["phase_cpu_s"].values()])
    assert sum(cold["phase_wall_s"].values()) <= elapsed
    more = write_shards(tmp_path / "b", [docs, {"s1-copy": near_copy(base[1], rng)}])
    inc = stage(more, tmp_path / "inc", str(tmp_path / "cold" / "state"))
    assert list(inc["phase_wall_s"]) == (FAST_PHASES if path_mode == "fast" else COLD_PHASES)
    again = stage(more, tmp_path / "again", str(tmp_path / "inc" / "state"))
    assert again["reexamined_docs"] == 0 and not any(k.startswith("phase_") for k in again)


def test_the_stage_reads_its_parquet_files_without_a_dataset(tmp_path, monkeypatch, path_mode):
    """Every Parquet read of the dedupe stage (signature doc_ids for names, the previous duplicates, its
    own parts and duplicates for the shared lists) goes through `pq.ParquetFile`: `pq.read_table` builds a
    dataset on every call (~0.5 CPU-ms more per file, ~55 files a +1 % night at 20k). Cold, incremental
    and reused calls, with the same bytes as cold."""
    import pyarrow.dataset as ds

    def no_dataset(*args, **kwargs):
        raise AssertionError("a dataset was built to read one file")

    base = speeches()
    rng = random.Random(23)
    docs = {f"s{i}": t for i, t in enumerate(base[:5])} | {"s0-copy": near_copy(base[0], rng)}
    files = write_shards(tmp_path / "a", [docs])
    more = write_shards(tmp_path / "b", [docs, {"s1-copy": near_copy(base[1], rng)}])
    cold_more = stage(more, tmp_path / "cold-more", None)
    with monkeypatch.context() as m:
        m.setattr(pq, "read_table", no_dataset)
        m.setattr(ds, "dataset", no_dataset)
        stage(files, tmp_path / "cold", None)
        inc = stage(more, tmp_path / "inc", str(tmp_path / "cold" / "state"))
        again = stage(more, tmp_path / "again", str(tmp_path / "inc" / "state"))
    assert inc["fast_path"] is (path_mode == "fast") and again["reexamined_docs"] == 0
    assert all_bytes(tmp_path / "inc", 2) == all_bytes(tmp_path / "cold-more", 2) == all_bytes(tmp_path / "again", 2)
    assert inc["part_digests"] == cold_more["part_digests"] and inc["shared_digests"] == cold_more["shared_digests"]


def boiler_case() -> tuple[dict[str, str], dict[str, str]]:
    """X = boilerplate P + a little own text, Y = P + a speech: X is contained in Y while P is rare.
    Five new pages carry P too: P's shingles are then in 7 groups (weight 4/7) and X's rare-weight
    containment in Y drops below 0.8 — a verdict between two old documents flips."""
    base = speeches()
    p = base[5][:440]
    x = p + base[4][2000:2070]
    y = p + base[0]
    others = {f"z{k}": p + base[1 + k % 3][k * 350 : k * 350 + 800] for k in range(5)}
    return {"x": x, "y": y}, others


def test_fast_path_df_flip_changes_a_verdict_between_old_documents(tmp_path, path_mode):
    old, others = boiler_case()
    s0, _ = check_step(tmp_path, "two", [old], None)
    rows = cluster_of(tmp_path / "two-inc", 1)
    assert rows["x"]["cluster_id"] == rows["y"]["cluster_id"]  # X contained in Y
    s1, stats = check_step(tmp_path, "seven", [old, others], s0)
    assert stats["fast_path"] is (path_mode == "fast")
    rows = cluster_of(tmp_path / "seven-inc", 2)
    assert rows["x"]["cluster_id"] != rows["y"]["cluster_id"]  # P is boilerplate now: X stands alone
    _, stats = check_step(tmp_path, "back", [old], s1)  # removal: P rare again, X back in Y's cluster
    rows = cluster_of(tmp_path / "back-inc", 1)
    assert rows["x"]["cluster_id"] == rows["y"]["cluster_id"]


def test_fast_path_removal_and_bridge_chain(tmp_path, path_mode):
    """Several fast runs in a row on each other's state: bridge added, copies removed, re-added."""
    base = speeches()
    rng = random.Random(22)
    docs = {"a": base[0], "a2": near_copy(base[0], rng), "b": base[1], "b2": near_copy(base[1], rng), "c": base[2]}
    s, _ = check_step(tmp_path, "s0", [docs], None)
    s, _ = check_step(tmp_path, "s1", [docs, {"ab": base[0] + "\n" + base[1]}], s)
    rows = cluster_of(tmp_path / "s1-inc", 2)
    assert rows["a"]["cluster_id"] == rows["b"]["cluster_id"]
    less = {d: t for d, t in docs.items() if d not in ("a", "b2")}
    s, stats = check_step(tmp_path, "s2", [less, {"ab": base[0] + "\n" + base[1]}], s)
    assert stats["fast_path"] is (path_mode == "fast")
    s, _ = check_step(tmp_path, "s3", [docs], s)
    rows = cluster_of(tmp_path / "s3-inc", 1)
    assert rows["a"]["cluster_id"] != rows["b"]["cluster_id"]


def _npy_reads(monkeypatch) -> list[str]:
    """The index files the fast path reads through `_FastState.npy`, in order (the list fills as it runs)."""
    read: list[str] = []
    real = dedupe_cluster._FastState.npy

    def recording(self, rel, mmap=False, sparse=False):
        read.append(rel)
        return real(self, rel, mmap, sparse)

    monkeypatch.setattr(dedupe_cluster._FastState, "npy", recording)
    return read


def test_fast_path_reads_only_the_partitions_new_keys_fall_in(tmp_path, monkeypatch, path_mode):
    if path_mode != "fast":
        pytest.skip("fast path only")
    monkeypatch.setattr(dedupe_cluster, "PARTITION_ROWS", 200)  # many small partitions
    docs = pool(23)
    s0, _ = check_step(tmp_path, "base", [docs], None)
    info = json.loads((Path(s0) / "index" / "index.json").read_text())
    n_parts = 1 << info["bits"]["sample"]
    assert n_parts >= 32
    read = _npy_reads(monkeypatch)
    short = speeches()[3][100:130]  # 30 characters of its own: a handful of sampled shingles
    _, stats = check_step(tmp_path, "one", [docs, {"short": short}], s0)
    assert stats["fast_path"] and stats["reexamined_docs"] == 1
    sample_parts = {r.split("/")[2].split("-")[1] for r in read if r.startswith("delta/base/sample-")}
    df_parts = {r.split("/")[2].split("-")[1] for r in read if r.startswith("delta/df/base-")}
    keys = dedupe.shard_signatures(
        pa.table({"doc_id": ["short"], "text": [normalize_text(short).text], "quality_flags": [[]], "n_chars": [30]})
    )["sample"][0].as_py()
    touched = set(dedupe_cluster._partition_of(np.array(keys, np.uint64), info["bits"]["sample"]).tolist())
    # the df bounds of its keys are looked up in their partitions only; no df crossed a grid point,
    # so no holder of a sampled shingle is read at all
    assert {int(p) for p in df_parts} == touched and len(touched) < n_parts // 2
    assert stats["df_recount_keys"] == 0 and len(sample_parts) == stats["partitions_read"]["sample"] == 0


def test_fast_path_damaged_delta_state_falls_back_to_the_full_path(tmp_path, path_mode):
    if path_mode != "fast":
        pytest.skip("fast path only")
    docs = pool(24)
    s0, _ = check_step(tmp_path, "one", [docs], None)
    docs_file = Path(s0) / "index" / "delta" / "docs.npz"
    data = bytearray(docs_file.read_bytes())
    data[-20] ^= 0xFF
    docs_file.write_bytes(bytes(data))
    _, stats = check_step(tmp_path, "two", [docs, {"extra": speeches()[1][:900]}], s0)
    assert stats["fast_path"] is False  # and the same bytes as cold (check_step)


@pytest.mark.parametrize("damaged", ["bydoc", "base"])
def test_fast_path_damaged_key_files_fall_back_to_the_full_path(tmp_path, path_mode, damaged):
    """A doc-major file of a rewritten shard (read for its removed document's keys) or a base
    partition of df bounds (read for the new document's shingles) whose bytes changed: the fast path
    notices (digest checked as it streams the file) and the full path gives the cold bytes."""
    if path_mode != "fast":
        pytest.skip("fast path only")
    docs = pool(27)
    ids = sorted(docs)
    first, second = {d: docs[d] for d in ids[::2]}, {d: docs[d] for d in ids[1::2]}
    s0, _ = check_step(tmp_path, "one", [first, second], None)
    index = Path(s0) / "index"
    info = json.loads((index / "index.json").read_text())
    if damaged == "bydoc":
        gone_file = dedupe_cluster._file_digest(str(tmp_path / "one-sig" / "1.parquet"))
        target = index / "files" / gone_file / "bydoc-sample.bin"
    else:  # the df bounds of the new document's first sampled shingle (session 10: no holders read)
        key = dedupe.shard_signatures(
            pa.table({"doc_id": ["extra"], "text": [normalize_text(speeches()[1][:900]).text], "quality_flags": [[]],
                      "n_chars": [900]})
        )["sample"][0].as_py()[0]  # fmt: skip
        p = int(dedupe_cluster._partition_of(np.array([key], np.uint64), info["bits"]["sample"])[0])
        target = index / "delta" / "df" / f"base-{p:05d}-v.npy"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    less = dict(list(second.items())[1:])  # shard 1 rewritten: its first document removed
    _, stats = check_step(tmp_path, "two", [first, less, {"extra": speeches()[1][:900]}], s0)
    assert stats["fast_path"] is False  # and the same bytes as cold (check_step)


def _mapped_view(a: np.ndarray) -> bool:
    """Whether the array is a view of a memory-mapped file (np.memmap, or a buffer over mmap)."""
    while a is not None:
        if isinstance(a, (np.memmap, mmap.mmap)):
            return True
        a = getattr(a, "base", None)
        if isinstance(a, memoryview):
            a = a.obj
    return False


def test_fast_path_reads_holders_in_bounded_slices(tmp_path, monkeypatch, path_mode):
    """Holders of changed keys are read a slice at a time (HOLDER_ROWS rows, here 5) from
    memory-mapped base partitions, never a whole partition into memory; the slices add up to
    the same bytes as cold, over additions, a df flip and removals."""
    if path_mode != "fast":
        pytest.skip("fast path only")
    monkeypatch.setattr(dedupe_cluster, "HOLDER_ROWS", 5)
    opened: list[tuple[str, bool]] = []
    real = dedupe_cluster._FastState.npy

    def recording(self, rel, mmap=False, sparse=False):
        out = real(self, rel, mmap, sparse)
        opened.append((rel, _mapped_view(out)))
        return out

    monkeypatch.setattr(dedupe_cluster._FastState, "npy", recording)
    chunks: list[int] = []
    real_chunks = dedupe_cluster._FastState.holder_chunks

    def sizes(self, *args, **kw):
        for c in real_chunks(self, *args, **kw):
            chunks.append(len(c[3]))  # table rows of the slice
            yield c

    monkeypatch.setattr(dedupe_cluster._FastState, "holder_chunks", sizes)
    old, others = boiler_case()
    s0, _ = check_step(tmp_path, "two", [old], None)
    s1, stats = check_step(tmp_path, "seven", [old, others], s0)
    assert stats["fast_path"]
    _, stats = check_step(tmp_path, "back", [old], s1)
    assert stats["fast_path"]
    docs = pool(28)
    ids = sorted(docs)
    s3, _ = check_step(tmp_path, "pool", [{d: docs[d] for d in ids[:-4]}], None)
    _, stats = check_step(tmp_path, "pool2", [{d: docs[d] for d in ids[:-4]}, {d: docs[d] for d in ids[-4:]}], s3)
    assert stats["fast_path"]
    base = [ok for rel, ok in opened if rel.startswith("delta/base/")]
    assert base and all(base)  # every base partition memory-mapped
    assert len(chunks) > 10 and max(chunks) <= 60  # many small slices (one key may exceed 5 rows)


def test_too_many_anchor_pairs_to_recount_take_the_full_path(tmp_path, monkeypatch, path_mode):
    """The fast path holds the anchor pairs it recounts in memory: above FAST_MAX_ANCHOR_CODES
    (here 0, any) it gives up before writing anything and the full path gives the cold bytes."""
    monkeypatch.setattr(dedupe_cluster, "FAST_MAX_ANCHOR_CODES", 0)
    base = speeches()
    docs = {f"s{i}": t for i, t in enumerate(base[:4])}
    s0, _ = check_step(tmp_path, "base", [docs], None)
    _, stats = check_step(tmp_path, "more", [docs, {"cut": base[0][:1500] + "\n" + NOTICE}], s0)
    assert stats["fast_path"] is False


def test_large_change_takes_the_full_path(tmp_path, monkeypatch, path_mode):
    monkeypatch.setattr(dedupe_cluster, "FAST_MAX_SHARE", 0.25)
    docs = pool(25)
    ids = sorted(docs)
    s0, _ = check_step(tmp_path, "half", [{d: docs[d] for d in ids[: len(ids) // 2]}], None)
    _, stats = check_step(tmp_path, "all", [{d: docs[d] for d in ids}], s0)
    assert stats["fast_path"] is False


def small_pair_partitions(monkeypatch) -> None:
    """delta/pairs split into many partitions of a few pairs, the changed rows of the df loop into
    many blocks: every pair-local phase of the fast path runs partition by partition."""
    monkeypatch.setattr(dedupe_cluster, "DELTA_PART_PAIRS", 3)
    monkeypatch.setattr(dedupe_cluster, "HOLDER_ROWS", 40)


def pair_partitions(state: str) -> tuple[int, list[int]]:
    """(partition bits of delta/pairs, pairs in each partition) of a state's index."""
    index = Path(state) / "index"
    info = json.loads((index / "index.json").read_text())
    bits = info["delta"]["pair_bits"]
    sizes = [len(np.load(index / "delta" / "pairs" / f"{p:05d}.npz")["ka"]) for p in range(1 << bits)]
    return bits, sizes


@pytest.mark.parametrize("seed", [11, 12])
def test_fast_path_over_many_pair_partitions_matches_cold(tmp_path, monkeypatch, path_mode, seed):
    """Candidate pairs partitioned by their smaller document key (here ~3 a partition): a cluster's
    pairs, a truncation's containers, a member and its canonical fall in different partitions, so
    groups, best containers, components, evidence and matched_with must combine every partition.
    Additions, removals, rewrites and a df flip over several fast runs, each byte for byte as cold."""
    if path_mode != "fast":
        pytest.skip("fast path only")
    small_pair_partitions(monkeypatch)
    rng = random.Random(seed)
    docs = pool(seed)
    ids = sorted(docs)
    present = set(rng.sample(ids, len(ids) * 3 // 4))
    state, _ = check_step(tmp_path, "s0", deal({d: docs[d] for d in present}, 2, rng), None)
    bits, sizes = pair_partitions(state)
    assert bits >= 3 and sum(1 for x in sizes if x) >= 4
    for step in range(1, 4):
        absent = sorted(set(ids) - present)
        added = set(rng.sample(absent, min(len(absent), rng.randint(1, 3))))
        removed = set(rng.sample(sorted(present), rng.randint(0, 2)))
        present = (present | added) - removed
        current = {d: docs[d] for d in present}
        for d in rng.sample(sorted(present), 1):  # a document rewritten under the same id
            current[d] = near_copy(current[d], rng)
        docs.update(current)
        state, stats = check_step(tmp_path, f"s{step}", deal(current, 3, rng), state)
        assert stats["fast_path"] and stats["pair_partitions"] == 1 << bits
    old, others = boiler_case()
    s0, _ = check_step(tmp_path, "two", [old, {f"c{k}": t for k, t in enumerate(speeches()[:3])}], None)
    _, stats = check_step(tmp_path, "seven", [old, {f"c{k}": t for k, t in enumerate(speeches()[:3])}, others], s0)
    assert stats["fast_path"]
    rows = cluster_of(tmp_path / "seven-inc", 3)
    assert rows["x"]["cluster_id"] != rows["y"]["cluster_id"]  # the df flip, as in the unpartitioned test


def test_fast_path_old_pair_layout_or_damaged_partition_takes_the_full_path(tmp_path, monkeypatch, path_mode):
    """A state whose delta/pairs is the session 8 layout (one file, no `pairs_format`) is never
    read as partitions: the full path runs and writes the new layout. A damaged pair partition
    (digest differs) also falls back. Both give the cold bytes."""
    if path_mode != "fast":
        pytest.skip("fast path only")
    small_pair_partitions(monkeypatch)
    docs = pool(26)
    s0, _ = check_step(tmp_path, "one", [docs], None)
    index = Path(s0) / "index"
    info = json.loads((index / "index.json").read_text())
    del info["delta"]["pairs_format"]
    (index / "index.json").write_text(json.dumps(info))
    s1, stats = check_step(tmp_path, "two", [docs, {"extra": speeches()[2][:900]}], s0)
    assert stats["fast_path"] is False
    assert json.loads((Path(s1) / "index" / "index.json").read_text())["delta"]["pairs_format"] == 2
    _, sizes = pair_partitions(s1)
    target = Path(s1) / "index" / "delta" / "pairs" / f"{int(np.argmax(sizes)):05d}.npz"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    _, stats = check_step(tmp_path, "three", [docs, {"extra": speeches()[2][:900]}, {"more": speeches()[3]}], s1)
    assert stats["fast_path"] is False


@pytest.mark.parametrize("flush", [1_000_000, 1])
def test_anchor_crossing_max_df_moves_only_its_holders_pairs(tmp_path, monkeypatch, path_mode, flush):
    """New pages push boilerplate P's anchors over ANCHOR_MAX_DF (3 here): pairs among P's holders
    lose those shared anchors, and some old anchor candidates (X = P + a little own text inside
    Y) stop being candidates. Only the new pages' anchors are recounted in full, the old pairs'
    stored counts move by the anchors that became boilerplate (spilled by pair partition: with
    `flush` 1 every row goes to disk on its own, and no bound on their number sends the night to
    the full path); removing the pages makes P rare again (its holders recounted). Every step byte
    for byte as cold."""
    monkeypatch.setattr(dedupe_cluster, "LOST_FLUSH_CODES", flush)
    monkeypatch.setattr(dedupe, "ANCHOR_MAX_DF", 3)
    monkeypatch.setattr(dedupe, "MIN_ANCHOR_SHARE", 0.3)  # X's own anchors are 20-30 % of its anchors
    base = speeches()
    p = base[5][:600]
    old = {
        "x": p + base[4][:150],
        "y": p + base[4],
        "c": base[0],
        "cut": base[0][:1100] + "\n" + NOTICE,
        "w": p + base[2][:700],
    }
    others = {f"z{k}": p + base[1 + k][k * 300 : k * 300 + 700] for k in range(3)}
    s0, _ = check_step(tmp_path, "old", [old], None)
    rows = cluster_of(tmp_path / "old-inc", 1)
    assert rows["x"]["cluster_id"] == rows["y"]["cluster_id"]
    s1, stats = check_step(tmp_path, "more", [old, others], s0)
    assert stats["fast_path"] is (path_mode == "fast")
    if path_mode == "fast":  # additions only: no old document's anchors recounted
        assert stats["anchor_recount_docs"] == len(others) and stats["anchor_moved_pairs"] >= 3
        assert not (tmp_path / "more-inc" / ".work" / "fast-lost").exists()  # the spill is removed
    s2, stats = check_step(tmp_path, "back", [old], s1)  # removal: P rare again
    rows = cluster_of(tmp_path / "back-inc", 1)
    assert rows["x"]["cluster_id"] == rows["y"]["cluster_id"]
    if path_mode == "fast":
        assert stats["anchor_recount_docs"] >= 3
    s3, _ = check_step(tmp_path, "again", [old, dict(list(others.items())[:1])], s2)
    check_step(tmp_path, "all", [old, others, {"z99": p + base[3][:500]}], s3)


def test_boilerplate_anchors_holders_are_not_read_by_additions(tmp_path, monkeypatch, path_mode):
    """P's anchors are boilerplate already (5 holders, ANCHOR_MAX_DF 3 here). A night that only adds a
    page holding P skips their holders (their previous count, from the tables' offsets, is past the
    bound and can only grow); after a removal since the last full run the tables name an absent page
    (their rows no longer count previous holders exactly) and every holder is read again. Every step
    byte for byte as cold."""
    monkeypatch.setattr(dedupe, "ANCHOR_MAX_DF", 3)
    base = speeches()
    p = base[5][:600]
    old = {f"b{k}": p + base[1 + k % 4][k * 300 : k * 300 + 900] for k in range(5)}
    old.update({"c": base[0], "cut": base[0][:1100] + "\n" + NOTICE})
    s0, _ = check_step(tmp_path, "old", [old], None)
    s1, stats = check_step(tmp_path, "add", [old, {"n1": p + base[2][2000:2900]}], s0)
    assert stats["fast_path"] is (path_mode == "fast")
    if path_mode == "fast":
        assert stats["holder_rows_skipped"] >= 5  # at least one of P's anchors, its five old holders
    fewer = {k: v for k, v in old.items() if k != "b4"}
    s2, _ = check_step(tmp_path, "removed", [fewer, {"n1": p + base[2][2000:2900]}], s1)
    _, stats = check_step(tmp_path, "after", [fewer, {"n1": p + base[2][2000:2900]}, {"n2": p + base[3][:800]}], s2)
    assert stats["fast_path"] is (path_mode == "fast")  # a removal at the night before: its rows stay
    if path_mode == "fast":
        assert stats["holder_rows_skipped"] == 0  # b4's rows are still in the tables: counts not exact


def group_names(state: str, doc_ids: list[str]) -> dict[str, int]:
    """doc_id -> the name of its near-duplicate group in a run's state (delta/docs.npz)."""
    with np.load(Path(state) / "index" / "delta" / "docs.npz") as z:
        at = {int(h): int(g) for h, g in zip(z["idhash"], z["group"], strict=True)}
    hashes = dedupe_cluster._id_hashes(pa.array(doc_ids, pa.string()))
    return {d: at[int(h)] for d, h in zip(doc_ids, hashes, strict=True)}


def test_a_group_keeps_its_name_when_a_smaller_key_joins(tmp_path, path_mode):
    """A group is named by a member's document key; a cold run takes the smallest. A new copy with a
    smaller key than that leaves the name alone in a fast run: its copies are not regrouped, so their
    shingles' df bounds do not widen (no holder read for them). When the member that names the group
    goes, the group takes its smallest key again. Every step byte for byte as cold."""
    if path_mode != "fast":
        pytest.skip("fast path only")
    base = speeches()
    rng = random.Random(41)
    speech = {"s0": base[0]} | {f"s0-{k}": near_copy(base[0], rng) for k in range(3)}
    others = {f"s{i}": t for i, t in enumerate(base[1:5], 1)}
    s0, _ = check_step(tmp_path, "base", [speech | others], None)
    before = group_names(s0, sorted(speech))
    assert len(set(before.values())) == 1
    name = next(iter(before.values()))
    joining = {f"new-{k}": near_copy(base[0], rng) for k in range(8)}
    s1, stats = check_step(tmp_path, "join", [speech | others, joining], s0)
    after = group_names(s1, sorted(speech | joining))
    cold = group_names(str(tmp_path / "join-cold" / "state"), sorted(speech | joining))
    assert len(set(cold.values())) == 1 and next(iter(cold.values())) < name  # cold renames the group...
    assert set(after.values()) == {name}  # ... the fast run keeps its name
    assert stats["fast_path"] and stats["regrouped_docs"] == 0
    # the page whose key names the group goes: the group takes its smallest key, every member regrouped
    with np.load(Path(s1) / "index" / "delta" / "docs.npz") as z:
        by_key = {int(k): int(h) for k, h in zip(z["dockey"], z["idhash"], strict=True)}
    ids = sorted(speech | joining)
    named = [d for d, h in zip(ids, dedupe_cluster._id_hashes(pa.array(ids)), strict=True) if int(h) == by_key[name]]
    assert len(named) == 1
    rest = {d: t for d, t in (speech | joining).items() if d != named[0]}
    s2, stats = check_step(tmp_path, "gone", [others, rest], s1)
    renamed = group_names(s2, sorted(rest))
    assert len(set(renamed.values())) == 1 and next(iter(renamed.values())) != name
    assert stats["fast_path"] and stats["regrouped_docs"] == len(rest)


@pytest.mark.parametrize("steps", [1, 0])
def test_df_inside_its_grid_cell_moves_no_weight(tmp_path, monkeypatch, path_mode, steps):
    """df is rounded up to a geometric grid before weighting (DF_GRID_STEPS; 1 = powers of two), so
    a new page that moves a boilerplate paragraph's df inside its grid cell (5 -> 6 groups, both
    weigh 4/8) changes no weight: no holder's row of it is a delta for the known pairs. Crossing a
    grid point (6 -> 9 groups: 4/8 -> 4/16) moves the weight of every holder's row. With exact df
    (steps 0) the first step already moves them. Every step byte for byte as cold."""
    if path_mode != "fast":
        pytest.skip("fast path only")
    monkeypatch.setattr(dedupe_cluster, "DF_GRID_STEPS", steps)
    p = speeches()[5][:440]  # a boilerplate paragraph P, then each page's own text
    rng = random.Random(31)
    # each page's own text: characters of the reports in a random order (characters drawn from the whole CJK block
    # are a doc site's scrambled preview to normalize: mostly rare Han, removed as chrome.garbled_preview)
    common = sorted({c for s in speeches() for c in s if "\u4e00" <= c <= "\u9fa5"})
    pages = {f"w{k}": p + "".join(rng.choice(common) for _ in range(600)) for k in range(9)}
    base = {k: pages[k] for k in ("w0", "w1", "w2", "w7", "w8")}  # P in 5 groups
    s0, _ = check_step(tmp_path, "five", [base], None)
    s1, stats = check_step(tmp_path, "six", [base, {"w3": pages["w3"]}], s0)
    assert stats["fast_path"] and stats["regrouped_docs"] == 0 and stats["df_keys"] > 50
    if steps:
        assert stats["weight_changed_keys"] == 0 and stats["weight_changed_rows"] == 0
    else:  # exact df: 4/5 -> 4/6 for every shingle of P, on each of its 6 holders' rows
        assert stats["weight_changed_keys"] > 50 and stats["weight_changed_rows"] >= 6 * stats["weight_changed_keys"]
    s2, stats = check_step(tmp_path, "seven", [base, {k: pages[k] for k in ("w3", "w4")}], s1)
    if steps:  # bounds [5, 7] kept from the previous runs, still inside (4, 8]: nothing read
        assert stats["df_recount_keys"] == 0 and stats["weight_changed_rows"] == 0
    s3, stats = check_step(tmp_path, "nine", [base, {k: pages[k] for k in ("w3", "w4", "w5", "w6")}], s2)
    assert stats["fast_path"] and stats["weight_changed_keys"] > 50  # bounds [5, 9] straddle 8: recounted
    assert stats["weight_changed_rows"] >= 9 * stats["weight_changed_keys"] * 0.9  # P's 9 holders
    _, stats = check_step(tmp_path, "back", [base], s3)  # removals: 9 -> 5 groups, 4/16 -> 4/8 again
    assert stats["fast_path"] and stats["weight_changed_keys"] > 50


def test_fast_state_checks_files_over_their_mapping(tmp_path, monkeypatch):
    """`_FastState` checks a state file's digest over its memory mapping and hands out arrays read
    from that mapping: the same bytes hashed (a damaged byte past the first hash chunk, a truncated
    or a missing file is still refused), but never copied through `read()` (session 12: ~1.3 GB of
    copies a 20k +1 % call)."""
    import xxhash

    monkeypatch.setattr(dedupe_cluster, "HASH_CHUNK", 64)
    root = tmp_path / "index"
    (root / "delta").mkdir(parents=True)
    keys = np.arange(1000, dtype=np.uint64) * np.uint64(7)
    np.save(root / "delta" / "k.npy", keys)
    (root / "files").mkdir()
    raw = np.arange(50, dtype=np.uint64)
    (root / "files" / "bydoc-sample.bin").write_bytes(raw.tobytes())
    digest = {
        rel: xxhash.xxh3_128_hexdigest((root / rel).read_bytes()) for rel in ("delta/k.npy", "files/bydoc-sample.bin")
    }
    info = {"files": digest, "bits": {k: 0 for k in dedupe_cluster.KINDS}, "pair_bits": 0}

    def fresh():
        return dedupe_cluster._FastState(dedupe_cluster._Index(root, info), {})

    real_open = open

    def no_read(path, mode="r", *a, **kw):  # the state's files may be opened, not read
        f = real_open(path, mode, *a, **kw)
        if str(path).startswith(str(root)) and "b" in mode:
            f.read = f.readinto = lambda *_: pytest.fail(f"{path} copied through read()")
        return f

    monkeypatch.setattr("builtins.open", no_read)
    st = fresh()
    got = st.npy("delta/k.npy", mmap=True)
    assert _mapped_view(got) and (got == keys).all()
    assert (st.npy("delta/k.npy") == keys).all() and (st.npy("delta/k.npy", mmap=True, sparse=True) == keys).all()
    assert (st.raw("files/bydoc-sample.bin", (50,))[0] == raw).all()
    with pytest.raises(dedupe_cluster.DedupeStateError, match="wrong size"):
        fresh().raw("files/bydoc-sample.bin", (51,))
    monkeypatch.setattr("builtins.open", real_open)

    data = bytearray((root / "delta" / "k.npy").read_bytes())
    data[-100] ^= 1  # past the header and the first hash chunks
    (root / "delta" / "k.npy").write_bytes(bytes(data))
    with pytest.raises(dedupe_cluster.DedupeStateError, match="damaged"):
        fresh().npy("delta/k.npy", mmap=True)
    (root / "delta" / "k.npy").write_bytes(bytes(data[:-8]))
    with pytest.raises(dedupe_cluster.DedupeStateError, match="damaged"):
        fresh().npy("delta/k.npy")
    (root / "delta" / "k.npy").unlink()
    with pytest.raises(dedupe_cluster.DedupeStateError, match="missing"):
        fresh().npy("delta/k.npy")


def test_chunks_made_ahead_come_in_order_and_stop_with_their_caller(path_mode):
    """`_ahead` (the fast path's holder chunks on two threads): the same items in the same order; a
    caller that stops early stops the thread and closes the source; a source's error reaches the
    caller; off, it is the source itself."""
    if path_mode != "fast":
        pytest.skip("one run is enough")
    closed: list[int] = []

    def source(n: int, fail_at: int = -1):
        try:
            for i in range(n):
                if i == fail_at:
                    raise DedupeStateError(f"item {i}")
                yield np.arange(i)
        finally:
            closed.append(n)

    assert [len(x) for x in dedupe_cluster._ahead(source(50), True)] == list(range(50))
    assert [len(x) for x in dedupe_cluster._ahead(source(5), False)] == list(range(5))
    before = {t.ident for t in threading.enumerate()}
    ahead = dedupe_cluster._ahead(source(1000), True)
    assert [len(next(ahead)) for _ in range(3)] == [0, 1, 2]
    ahead.close()  # the caller's early `return`
    assert 1000 in closed
    assert not [t for t in threading.enumerate() if t.ident not in before and t.name == "jianghua-dedupe-ahead"]
    with pytest.raises(DedupeStateError, match="item 7"):
        for _ in dedupe_cluster._ahead(source(20, fail_at=7), True):
            pass


def test_a_change_larger_than_one_fast_run_holds_runs_as_steps(tmp_path, monkeypatch, path_mode):
    """New files holding more sampled shingles than FAST_STEP_ROWS go in steps, a batch of files at a
    time on the kept ones (a removal with the first): the last step's bytes are a cold run's."""
    rng = random.Random(21)
    docs = pool(21)
    ids = sorted(docs)
    first = deal({d: docs[d] for d in ids[: len(ids) // 2]}, 2, rng)
    s0, _ = check_step(tmp_path, "half", first, None)
    rows = signed(ids[0], docs[ids[0]]).column("sample").combine_chunks().value_lengths()[0].as_py()
    monkeypatch.setattr(dedupe_cluster, "FAST_STEP_ROWS", rows)  # about one document's worth
    later = deal({d: docs[d] for d in ids[len(ids) // 2 :]}, 3, rng)
    kept = {d: v for d, v in first[0].items() if d != sorted(first[0])[0]}  # one page removed as well
    _, stats = check_step(tmp_path, "steps", [kept, first[1], *later], s0)
    if path_mode == "fast":
        assert stats["fast_path"] and stats["fast_steps"] == 4  # three new files, one at a time, then all
    assert not (tmp_path / "steps-inc" / ".steps").exists()


def test_state_files_are_taken_on_their_stamps_and_a_rewritten_one_is_hashed(tmp_path, monkeypatch, path_mode):
    """A state file whose size, mtime and inode are those index.json recorded (and not racily clean
    then) is not hashed again: a nightly run reads a few rows of each, and hashing them whole made its
    cost follow the corpus. One rewritten in place since (a new mtime) is hashed and refused."""
    if path_mode != "fast":
        pytest.skip("fast path only")
    # this test's files count as old: the record's clock is far ahead of every file's timestamp
    monkeypatch.setattr(dedupe_cluster, "_fs_clock", lambda root: time.time_ns() + 10**12)
    docs = pool(31)
    ids = sorted(docs)
    first, second = {d: docs[d] for d in ids[::2]}, {d: docs[d] for d in ids[1::2]}
    s0, _ = check_step(tmp_path, "one", [first, second], None)
    s1, stats = check_step(tmp_path, "two", [first, second, {"extra": speeches()[1][:900]}], s0)
    assert stats["fast_path"] and stats["state_files_trusted"] > 0 and stats["state_bytes_hashed"] == 0
    index_json = Path(s0) / "index" / "index.json"
    info = json.loads(index_json.read_text())
    info["stamps"]["clock"] = min(v[1] for v in info["stamps"]["files"].values())  # every file in the record's tick
    index_json.write_text(json.dumps(info, sort_keys=True) + "\n")
    _, stats = check_step(tmp_path, "two-racy", [first, second, {"extra": speeches()[1][:900]}], s0)
    assert stats["fast_path"] and stats["state_files_trusted"] == 0 and stats["state_bytes_hashed"] > 0
    time.sleep(0.05)  # past the file system's timestamp tick
    target = next(p for p in sorted((Path(s1) / "index" / "files").rglob("bydoc-sample.bin")) if p.stat().st_size)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))  # in place: same inode and size, a new mtime
    less = dict(list(second.items())[1:])  # every shard's keys read: its removed document's, the others'
    _, stats = check_step(tmp_path, "three", [first, less], s1)
    assert stats["fast_path"] is False  # refused, the full path's cold bytes (check_step)


def test_shared_lists_come_from_the_calls_own_clusters(tmp_path, monkeypatch, path_mode):
    """Each shard's list of its clusters with copies is made from the clusters the call elected, not
    by reading back the duplicates table and every assignments part it has just written (a night:
    25 parts and the table at 20k); when the outputs are reused unchanged it reads them as before.
    Either way the lists are those the tables give (`check_shared`) and the cold run's bytes."""
    docs = pool(17)
    ids = sorted(docs)
    rng = random.Random(17)
    real = dedupe_cluster._read_parquet
    reads: list[Path] = []
    monkeypatch.setattr(
        dedupe_cluster, "_read_parquet", lambda path, *a, **k: reads.append(Path(path)) or real(path, *a, **k)
    )

    def own_reads(out: Path) -> list[Path]:
        return [r for r in reads if r.parent in (out, out / "assignments")]

    s0, _ = check_step(tmp_path, "one", deal({d: docs[d] for d in ids[: len(ids) * 2 // 3]}, 3, rng), None)
    shards = deal(docs, 4, rng)
    s1, _ = check_step(tmp_path, "two", shards, s0)
    assert not own_reads(tmp_path / "one-inc") and not own_reads(tmp_path / "two-inc")
    assert not own_reads(tmp_path / "two-cold")
    again = tmp_path / "again"
    stats = stage(write_shards(tmp_path / "again-sig", shards), again, s1)  # the same bytes: outputs reused
    assert stats["reexamined_docs"] == 0 and own_reads(again)
    check_shared(again, len(shards))
    assert all_bytes(again, len(shards)) == all_bytes(tmp_path / "two-cold", len(shards))


def test_duplicates_rows_go_to_the_partition_of_their_ids_first_hex_digit():
    """The fast path sorts the duplicates table by cluster-id ranges (DUP_PARTS, the id hash's top 4
    bits) with Arrow kernels, not a Python int() per row: the same partition for every id, over
    chunks; a damaged id sends the night to the full path."""
    rng = np.random.default_rng(5)
    ids = [f"{h:016x}" for h in rng.integers(0, 2**63, 500, dtype=np.int64).astype(np.uint64).tolist()]
    ids += ["f" * 16, "0" * 16, "A" * 16]
    got = dedupe_cluster._dup_parts(pa.chunked_array([ids[:200], ids[200:]], pa.string()))
    assert got.tolist() == [int(c[0], 16) for c in ids] and got.dtype == np.int64
    assert len(dedupe_cluster._dup_parts(pa.chunked_array([], pa.string()))) == 0
    with pytest.raises(DedupeStateError):
        dedupe_cluster._dup_parts(pa.chunked_array([["0abc", "zz"]], pa.string()))


def test_a_state_file_is_trusted_from_the_file_system_clock_of_its_record(tmp_path):
    """The racily-clean rule compares a file's mtime with the file system's own timestamp of the
    record (a marker's mtime), not the wall clock less 1 s: the index is written in the last second
    of the call, so the first nightly run after a cold run hashed every state file it mapped. A file
    written before the record's tick is trusted at once; one rewritten since, or stamped in the
    record's own tick, is not; a record without a clock keeps the 1 s margin."""
    f = tmp_path / "a.bin"
    f.write_bytes(b"x" * 100)
    time.sleep(0.05)  # past the file system's timestamp tick
    stamps = dedupe_cluster._stamps(tmp_path, ["a.bin", "gone.bin"])
    assert sorted(stamps["files"]) == ["a.bin"] and not (tmp_path / dedupe_cluster.STAMP_CLOCK).exists()
    assert stamps["clock"] > f.stat().st_mtime_ns
    assert dedupe_cluster._stamped({"stamps": stamps}, "a.bin", f)
    wall = {"at": stamps["at"], "files": stamps["files"]}  # an older record: the wall clock's margin
    assert not dedupe_cluster._stamped({"stamps": wall}, "a.bin", f)
    racy = {**stamps, "clock": f.stat().st_mtime_ns}  # written in the record's own tick
    assert not dedupe_cluster._stamped({"stamps": racy}, "a.bin", f)
    f.write_bytes(b"y" * 100)  # rewritten in place after the record: same size and inode
    assert not dedupe_cluster._stamped({"stamps": stamps}, "a.bin", f)


def test_signature_files_seen_before_are_not_hashed_again_and_a_rewritten_one_is(tmp_path, monkeypatch, path_mode):
    """Every call hashed every signature file whole to learn which are new: O(corpus) bytes a nightly
    run. A file at the path, size, mtime and inode the last state recorded keeps its digest unread;
    the new file is hashed, and so is one rewritten in place since (new mtime), which is then
    clustered as the documents it now holds (the same bytes as a cold run on the same files)."""
    if path_mode != "fast":
        pytest.skip("one run is enough: the digests come before the path is chosen")
    monkeypatch.setattr(dedupe_cluster, "STAMP_RACY_NS", -(10**12))  # this test's files count as old
    docs = pool(41)
    ids = sorted(docs)
    shards = [{d: docs[d] for d in ids[k::3]} for k in range(3)]
    folders = []
    for k, path in enumerate(write_shards(tmp_path / "sig", shards)):
        d = tmp_path / f"shard-{k}"
        d.mkdir()
        Path(path).rename(d / "signatures.parquet")
        folders.append(str(d))
    real = dedupe_cluster._file_digest
    hashed: list[str] = []
    monkeypatch.setattr(dedupe_cluster, "_file_digest", lambda p: hashed.append(p) or real(p))

    def run(name: str, inputs: list[str], prev: str | None) -> Path:
        hashed.clear()
        dedupe_cluster.cluster_shards({"signatures": inputs}, str(tmp_path / name), prev, threads=THREADS[0])
        return tmp_path / name

    first = run("one", folders[:2], None)
    assert sorted(hashed) == sorted(f"{d}/signatures.parquet" for d in folders[:2])
    second = run("two", folders, str(first / "state"))
    assert hashed == [f"{folders[2]}/signatures.parquet"]  # the new file only

    time.sleep(0.05)  # past the file system's timestamp tick
    other = write_shards(tmp_path / "other", [{d: near_copy(docs[d], random.Random(5)) for d in ids[0::3]}])
    Path(folders[0], "signatures.parquet").write_bytes(Path(other[0]).read_bytes())  # same path, new bytes
    third = run("three", folders, str(second / "state"))
    assert hashed == [f"{folders[0]}/signatures.parquet"]
    cold = run("three-cold", folders, None)
    assert all_bytes(third, 3) == all_bytes(cold, 3)


def test_nightly_runs_merge_by_level_and_match_cold(tmp_path, monkeypatch, path_mode):
    """Night after night, each fast run adds one run of holder rows and df bounds to the index; a
    level's runs merge into one run of the next level when it is full (here two a level: the runs
    after night k follow k's binary digits). Lookups across every run give a cold run's bytes, also
    for a removed page and one added back while its rows sit in an old run."""
    if path_mode != "fast":
        pytest.skip("fast path only")
    monkeypatch.setattr(dedupe_cluster, "ADD_RUNS_PER_LEVEL", 2)
    docs = pool(21)
    ids = sorted(docs)
    present = set(ids[: len(ids) // 2])
    state, _ = check_step(tmp_path, "n0", [{d: docs[d] for d in sorted(present)}], None)
    nights = [sorted(set(ids) - present)[k::7] for k in range(7)]
    gone = ""
    for k, added in enumerate(nights, start=1):
        present |= set(added)
        if k == 3:
            gone = sorted(present)[0]
            present.discard(gone)
        if k == 6:
            present.add(gone)  # back, its holder rows still in an older run
        shards = [{d: docs[d] for d in sorted(present) if d in set(ids[: len(ids) // 2])},
                  {d: docs[d] for d in sorted(present) if d not in set(ids[: len(ids) // 2])}]  # fmt: skip
        state, stats = check_step(tmp_path, f"n{k}", shards, state)
        assert stats["fast_path"], k
        info = json.loads((Path(state) / "index" / "index.json").read_text())
        levels = [r["level"] for r in info["delta"]["add_runs"]]
        assert levels == [b for b in range(k.bit_length() - 1, -1, -1) if k >> b & 1], (k, levels)
        runs = {r["id"] for r in info["delta"]["add_runs"]}
        listed = {rel.split("/")[2] for rel in info["files"] if rel.startswith(("delta/add/", "delta/df/r"))}
        assert listed == runs  # merged runs are gone from the state


def test_an_error_writing_tonights_run_falls_back_to_the_full_path(tmp_path, monkeypatch, path_mode):
    """Tonight's run is written by a helper thread beside the election and the outputs (`_write_night`); an
    error there (a damaged older run met by the merge: DedupeStateError) reaches the call, which takes the
    full path and gives the cold bytes, with no thread left writing into the work folder."""
    if path_mode != "fast":
        pytest.skip("fast path only")
    docs = pool(22)
    ids = sorted(docs)
    half = ids[: len(ids) // 2]
    state, _ = check_step(tmp_path, "n0", [{d: docs[d] for d in half}], None)
    merged_in: list[str] = []
    original = dedupe_cluster._merge_runs

    def failing(*args, **kwargs):
        merged_in.append(threading.current_thread().name)
        raise dedupe_cluster.DedupeStateError("dedupe index file delta/add/r000001/sample-00000-k.npy is damaged")

    monkeypatch.setattr(dedupe_cluster, "_merge_runs", failing)
    threads = threading.active_count()
    _, stats = check_step(tmp_path, "n1", [{d: docs[d] for d in half}, {ids[-1]: docs[ids[-1]]}], state)
    assert stats["fast_path"] is False  # and the same bytes as cold (check_step)
    assert merged_in and set(merged_in) == {"dedupe-background-night"}
    assert threading.active_count() == threads
    monkeypatch.setattr(dedupe_cluster, "_merge_runs", original)
    _, stats = check_step(tmp_path, "n1b", [{d: docs[d] for d in half}, {ids[-1]: docs[ids[-1]]}], state)
    assert stats["fast_path"]


def test_merged_runs_keep_every_holder_row_and_each_shingles_newest_bounds(path_mode):
    """Runs merge oldest first: holder rows all kept, sorted by key in age order; df bounds one row a
    shingle, the newest run's (a later night's bounds replace an earlier night's)."""
    if path_mode != "fast":
        pytest.skip("one run is enough")
    u8, u4 = np.uint64, np.uint32
    old = {"k": np.array([1, 3, 5], u8), "lo": np.array([1, 1, 1], u4), "hi": np.array([1, 2, 1], u4)}
    new = {"k": np.array([3, 4], u8), "lo": np.array([2, 2], u4), "hi": np.array([3, 3], u4)}
    got = dedupe_cluster._merge_runs([old, new], newest_wins=True)
    assert (
        got["k"].tolist() == [1, 3, 4, 5] and got["lo"].tolist() == [1, 2, 2, 1] and got["hi"].tolist() == [1, 3, 3, 1]
    )
    rows = dedupe_cluster._merge_runs(
        [{"k": np.array([1, 2], u8), "d": np.array([11, 10], u8)}, {"k": np.array([1], u8), "d": np.array([12], u8)}],
        newest_wins=False,
    )
    assert rows["k"].tolist() == [1, 1, 2] and rows["d"].tolist() == [11, 12, 10]


def test_base_lookups_search_distinct_keys_and_an_older_base_its_key_column(tmp_path, monkeypatch, path_mode):
    """Holder lookups in a base partition binary-search its distinct keys and their row offsets
    (-u, -o), never the rows' own key column (-k: one key a row, ~18 rows a key at 100k); a base
    written before those files existed is searched by its key column, with the same bytes."""
    if path_mode != "fast":
        pytest.skip("fast path only")
    opened = _npy_reads(monkeypatch)
    docs = pool(29)
    ids = sorted(docs)
    old, new = {d: docs[d] for d in ids[:-3]}, {d: docs[d] for d in ids[-3:]}
    s0, _ = check_step(tmp_path, "base", [old], None)
    _, stats = check_step(tmp_path, "plus", [old, new], s0)
    assert stats["fast_path"]
    base = [rel for rel in opened if rel.startswith("delta/base/")]
    assert any(rel.endswith("-u.npy") for rel in base) and any(rel.endswith("-o.npy") for rel in base)
    assert not any(rel.endswith("-k.npy") for rel in base)
    index = Path(s0) / "index"
    info = json.loads((index / "index.json").read_text())
    gone = [r for r in info["files"] if r.startswith("delta/base/") and r.endswith(("-u.npy", "-o.npy"))]
    assert gone
    for rel in gone:
        del info["files"][rel]
        info.get("stamps", {}).get("files", {}).pop(rel, None)
        (index / rel).unlink()
    (index / "index.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
    opened.clear()
    _, stats = check_step(tmp_path, "plus-older", [old, new], s0)  # the same bytes as cold (check_step)
    assert stats["fast_path"]
    assert any(rel.startswith("delta/base/") and rel.endswith("-k.npy") for rel in opened)


def test_a_night_reads_each_signature_files_doc_ids_once(tmp_path, monkeypatch, path_mode):
    """The fast path's outputs read the doc_id column of the files whose parts it writes, and of the files
    holding the canonical and matched documents those parts name: a +1 % night rewrites every part (a few
    changed rows each), so each file's column was read twice. Once now, the bytes a cold run's."""
    if path_mode != "fast":
        pytest.skip("fast path only")
    from collections import Counter

    base = speeches()
    rng = random.Random(7)
    shards = [
        {"a0": base[0], "a1": near_copy(base[1], rng), "a2": base[2]},
        {"b0": near_copy(base[0], rng), "b1": base[1], "b3": base[3]},
    ]
    s0, _ = check_step(tmp_path, "base", shards, None)
    # a longer copy of each speech with a copy: it takes the canonical from both old shards (their parts rewritten)
    longer = {"n0": base[0] + "\n" + base[4][:400], "n1": base[1] + "\n" + base[5][:400]}
    files = write_shards(tmp_path / "night-sig", [*shards, longer])
    reads: Counter[str] = Counter()
    real = dedupe_cluster._read_signature_file

    def counted(path: str, columns: list[str] | None = None) -> pa.Table:
        if columns == ["doc_id"]:
            reads[Path(path).parent.name] += 1
        return real(path, columns)

    monkeypatch.setattr(dedupe_cluster, "_read_signature_file", counted)
    inc = stage(files, tmp_path / "night-inc", s0)
    monkeypatch.setattr(dedupe_cluster, "_read_signature_file", real)
    assert inc["fast_path"] and inc["rewritten_parts"] == 3
    assert sorted(reads) == ["0", "1", "2"] and set(reads.values()) == {1}, reads
    stage(files, tmp_path / "night-cold", None)
    assert all_bytes(tmp_path / "night-inc", 3) == all_bytes(tmp_path / "night-cold", 3)


def _lexsort_best(rows: np.ndarray, idhash: np.ndarray) -> np.ndarray:
    """What `_best_partner` returned until session 53: the first row per x of a four-key lexsort."""
    x = rows[0].astype(np.int64)
    order = np.lexsort((idhash[rows[1].astype(np.int64)], -rows[3], -rows[2], x))
    return rows[:, order[np.r_[True, x[order][1:] != x[order][:-1]]]]


def test_best_partner_is_the_lexsort_first_row_without_a_lexsort(monkeypatch, path_mode):
    """Each document's best partner (containment, Jaccard, partner id hash, then the first row) is
    the very row a four-key lexsort put first — ties of every key included, rows told apart by a
    fifth index row — found without sorting every accepted row by four keys (~0.2 CPU-s of the 20k
    +1 % call); only NaN figures still take the lexsort."""
    if path_mode == "full":
        pytest.skip("a pure function: once")
    cases = []
    for seed in range(300):
        r = np.random.default_rng(seed)
        m = int(r.integers(1, 80))
        idhash = r.integers(0, 6, 24).astype(np.uint64)  # partners whose id hashes tie
        rows = np.stack(
            [
                r.integers(0, int(r.integers(1, 9)), m),
                r.integers(0, 24, m),
                r.choice([0.0, -0.0, 0.25, 0.5, 1.0], m),
                r.choice([0.0, 0.5, 0.9], m),
                np.arange(m),  # which row was picked, not only equal values
            ]
        ).astype(np.float64)
        cases.append((rows, idhash, _lexsort_best(rows, idhash)))
    meta = type("M", (), {})()

    def no_lexsort(*a, **k):
        raise AssertionError("lexsort over the accepted rows")

    monkeypatch.setattr(dedupe_cluster.np, "lexsort", no_lexsort)
    for rows, idhash, want in cases:
        meta.idhash = idhash
        got = dedupe_cluster._best_partner(rows, meta)
        assert got.shape == want.shape and np.array_equal(got, want)
    monkeypatch.undo()
    rows = np.array([[0.0, 0.0], [1.0, 2.0], [np.nan, 0.5], [0.5, 0.5], [0.0, 1.0]])
    meta.idhash = np.arange(3, dtype=np.uint64)
    assert np.array_equal(dedupe_cluster._best_partner(rows, meta), _lexsort_best(rows, meta.idhash), equal_nan=True)


def test_election_looks_up_only_one_way_pairs_among_best_containers(tmp_path, monkeypatch, path_mode):
    """The fast path's election asks which kept pairs are a best container only of its one-way
    kept pairs (mutual ones are edges anyway), not of every candidate pair of a partition (~35 ms a
    partition at 20k); the outputs stay a cold run's (check_step)."""
    base = speeches()
    rng = random.Random(31)
    docs = {f"s{i}": t for i, t in enumerate(base[:5])}
    docs |= {f"s{i}-copy{k}": near_copy(base[i], rng) for i in range(3) for k in range(3)}
    docs["s1-cut"] = base[1][: len(base[1]) // 2]  # a truncation: one-way contained in its speech
    s0, _ = check_step(tmp_path, "base", [docs], None)
    sizes: list[int] = []
    isin = np.isin

    def counted(a, *args, **kwargs):
        sizes.append(len(np.atleast_1d(a)))
        return isin(a, *args, **kwargs)

    monkeypatch.setattr(dedupe_cluster.np, "isin", counted)
    files = write_shards(tmp_path / "more-sig", [docs, {"s0-copy9": near_copy(base[0], rng)}])
    stats = stage(files, tmp_path / "more-inc", s0)
    monkeypatch.undo()
    cold = stage(files, tmp_path / "more-cold", None)
    assert all_bytes(tmp_path / "more-inc", 2) == all_bytes(tmp_path / "more-cold", 2)
    if path_mode == "fast":
        info = json.loads((tmp_path / "more-inc" / "state" / "index" / "index.json").read_text())
        pairs = int(info["delta"]["pairs"])  # the candidate pairs the call kept (one partition here)
        assert stats["fast_path"] and pairs > 20 and cold["duplicate_reasons"].get("contained", 0) >= 1
        assert max(sizes) < pairs / 2, (sizes, pairs)


def test_a_night_that_appends_files_does_not_sort_the_stored_pairs_again(tmp_path, monkeypatch, path_mode):
    """The stored candidate pairs come in the previous run's code order (a cold run's too): while
    every document keeps its gid (new files appended, none removed) they are sorted already, and the
    fast path neither orders them again nor gathers each stored column through that order; the
    bytes stay a cold run's, on the night after a cold run and on the one after a fast run."""
    if path_mode == "full":
        pytest.skip("fast path only")
    base = speeches()
    rng = random.Random(32)
    docs = {f"s{i}": t for i, t in enumerate(base[:5])}
    docs |= {f"s{i}-copy{k}": near_copy(base[i], rng) for i in range(3) for k in range(3)}
    s0, _ = check_step(tmp_path, "base", [docs], None)
    stored = int(json.loads((Path(s0) / "index" / "index.json").read_text())["delta"]["pairs"])
    seen: list[int] = []
    order = dedupe_cluster._order

    def recorded(keys):
        seen.append(len(keys))
        return order(keys)

    monkeypatch.setattr(dedupe_cluster, "_order", recorded)
    shards = [docs, {"s1-copy9": near_copy(base[1], rng)}]
    s1, stats = check_step(tmp_path, "more", shards, s0)
    assert stats["fast_path"] and stored > 20 and seen
    assert stored not in seen, (stored, seen)  # the stored pairs were not ordered again
    stored = int(json.loads((Path(s1) / "index" / "index.json").read_text())["delta"]["pairs"])
    seen.clear()
    _, stats = check_step(tmp_path, "again", [*shards, {"s2-copy9": near_copy(base[2], rng)}], s1)
    assert stats["fast_path"] and seen and stored not in seen, (stored, seen)
