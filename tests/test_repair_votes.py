"""A cluster that gains or loses copies is repaired from its earlier vote record (issue 10: a +1 %
run re-voted every touched cluster from all its copies): only the new copies are read into Python
and aligned; the outputs are those of a repair from every copy, byte for byte."""

from __future__ import annotations

import hashlib
import random

import pyarrow as pa
import pytest

from tasks.repair import Aligner, _alignment_rows, repair_parts, repair_table
from tasks.schema import MEMBERS
from tests.test_repair import body, lose, member, placeholders, spin, truncate

pytestmark = pytest.mark.filterwarnings("ignore")


def _copies(seed: int, n: int, prefix: str) -> list[dict]:
    """n damaged copies of the sample speech: truncated, spun, placeholders, lost characters, or clean."""
    rng = random.Random(seed)
    b = body()
    out = []
    for k in range(n):
        kind = rng.choice(["trunc", "spin", "place", "lose", "clean", "trunc_spin", "place_lose"])
        t = b
        if "spin" in kind:
            t = spin(t, rng)
        if "place" in kind:
            t = placeholders(t, rng)
        if "lose" in kind:
            t = lose(t, rng)
        if "trunc" in kind:
            t = truncate(t, rng.uniform(0.4, 0.95))
        if kind == "clean" and rng.random() < 0.5:
            t = t.replace("。", "。\n", 1)  # another text, no damage
        out.append(member(f"{prefix}{k:02d}", t))
    return out


_POOL: dict[int, list[dict]] = {}


def _pool(seed: int) -> list[dict]:
    if seed not in _POOL:
        _POOL[seed] = _copies(seed, 14, f"s{seed}-")
    return _POOL[seed]


def _table(members: list[dict], cluster: str = "c1") -> pa.Table:
    rows = [{**m, "cluster_id": cluster, "is_canonical": k == 0} for k, m in enumerate(members)]
    return pa.Table.from_pylist(rows, schema=MEMBERS)


def _run(members: list[dict], votes: dict | None = None) -> tuple[pa.Table, pa.Table, dict, Aligner]:
    aligner = Aligner()
    records: dict[str, str] = {}
    speeches, repairs = repair_table(_table(members), None, aligner, votes, records)
    return speeches, repairs, records, aligner


@pytest.mark.parametrize("seed", range(8))
def test_a_cluster_repaired_from_its_vote_record_equals_one_repaired_from_every_copy(seed):
    """Copies added (any damage, a better tail, a new base), taken away (a tail's giver, a voter that
    stopped with the text) or changed: the fast path's speech and repair rows, its new record and the
    alignments it records for the memo are a repair's from every copy; where it cannot tell it repairs
    from the copies."""
    pool = _pool(seed)
    rng = random.Random(100 + seed)
    fast_used = 0
    for trial in range(6):
        before = rng.sample(pool, rng.randint(1, 8))
        rest = [m for m in pool if m not in before]
        after = [m for m in before if rng.random() > 0.15] + rng.sample(rest, rng.randint(0, min(3, len(rest))))
        if rng.random() < 0.2 and after:  # a copy's text changes under the same doc_id
            k = rng.randrange(len(after))
            after[k] = {**after[k], "text": after[k]["text"] + "\n附件：略"}
        if not after:
            continue
        _, _, records, _ = _run(before)
        cold_s, cold_r, cold_rec, cold_al = _run(after)
        got_s, got_r, got_rec, got_al = _run(after, records)
        assert got_s.equals(cold_s) and got_r.equals(cold_r), (seed, trial)
        assert got_rec == cold_rec, (seed, trial)
        assert _alignment_rows(got_al.used).equals(_alignment_rows(cold_al.used)), (seed, trial)
        fast_used += got_al.from_votes
    assert fast_used >= 1  # the record was used, not only the fallback


def test_a_new_copy_is_the_only_text_aligned_and_the_old_copies_are_not_read_into_python(monkeypatch):
    """8 copies voted; a 9th arrives: one text aligned against the completed base, the result a cold
    repair's. The code before re-read the 8 others (their alignments from the memo) for every vote."""
    import tasks.repair as rep

    pool = _pool(3)
    base = sorted(pool[:8], key=lambda m: m["doc_id"])
    _, _, records, first = _run(base)
    new = [*base, pool[8]]
    cold_s, cold_r, _, _ = _run(new)
    seen: list[int] = []
    votes = rep._member_votes

    def counting(text, spots, c, blocks):
        seen.append(len(c))
        return votes(text, spots, c, blocks)

    monkeypatch.setattr(rep, "_member_votes", counting)
    aligner = Aligner(known=dict(first.known))
    speeches, repairs = repair_table(_table(new), None, aligner, records, {})
    assert speeches.equals(cold_s) and repairs.equals(cold_r)
    assert aligner.from_votes == 1 and seen == [len(pool[8]["text"])]


def _digests(root) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*.parquet"))
    }


def test_the_repair_step_repairs_a_touched_cluster_from_its_record_with_a_cold_runs_bytes(tmp_path):
    """Two shards' copies of two clusters in one part; a third shard adds a copy to each: both are
    repaired from their records (clusters_from_votes), and every file of the part (best_texts,
    repairs, memo, align, votes) equals a cold computation's."""
    from tasks.common import write_table

    pool = _pool(5)

    def shard(name: str, docs: list[tuple[str, dict]]) -> str:
        rows = [{**m, "cluster_id": c, "is_canonical": False} for c, m in docs]
        write_table(pa.Table.from_pylist(rows, schema=MEMBERS), tmp_path / name / "members" / "007.parquet")
        return str(tmp_path / name)

    rev = [{**m, "doc_id": "r" + m["doc_id"], "text": m["text"][::-1]} for m in pool]
    a = shard("a", [("cA", pool[0]), ("cA", pool[1]), ("cB", rev[0])])
    b = shard("b", [("cA", pool[2]), ("cB", rev[1]), ("cB", rev[2])])
    repair_parts({"members": [a, b]}, str(tmp_path / "r1"))
    c = shard("c", [("cA", pool[3]), ("cB", rev[3])])
    warm = repair_parts({"members": [a, b, c]}, str(tmp_path / "r2"), earlier=[str(tmp_path / "r1")])
    repair_parts({"members": [a, b, c]}, str(tmp_path / "r3"))
    assert warm["clusters_repaired"] == 2
    assert warm["clusters_from_votes"] >= 1
    assert _digests(tmp_path / "r2") == _digests(tmp_path / "r3")


_CODEC = {"none": "UNCOMPRESSED"}  # Parquet names the codec so


def test_the_alignment_memo_and_vote_records_are_written_as_intermediate_artifacts(tmp_path):
    """align/ and votes/ are read only by a later repair part, and a +1 % run rewrites them in every
    part it touches: no compression (tasks.common.ARTIFACT_COMPRESSION) and no dictionary on their
    unique columns; best_texts and repairs, which the release links as they are, keep zstd and their
    dictionaries. A later run still reads them back: it repairs a touched cluster from its record."""
    import pyarrow.parquet as pq

    from tasks.common import ARTIFACT_COMPRESSION, write_table

    pool = _pool(5)

    def shard(name: str, docs: list[dict]) -> str:
        rows = [{**m, "cluster_id": "cA", "is_canonical": False} for m in docs]
        write_table(pa.Table.from_pylist(rows, schema=MEMBERS), tmp_path / name / "members" / "007.parquet")
        return str(tmp_path / name)

    a, b = shard("a", pool[:2]), shard("b", pool[2:3])
    repair_parts({"members": [a, b]}, str(tmp_path / "r1"))

    def chunks(table: str) -> dict[str, tuple[str, bool]]:
        f = pq.ParquetFile(tmp_path / "r1" / table / "007.parquet")
        rg = f.metadata.row_group(0)
        return {
            rg.column(i).path_in_schema: (rg.column(i).compression, rg.column(i).dictionary_page_offset is not None)
            for i in range(rg.num_columns)
        }

    align, votes, best = chunks("align"), chunks("votes"), chunks("best_texts")
    assert (
        {c for c, _ in align.values()}
        == {c for c, _ in votes.values()}
        == {_CODEC.get(ARTIFACT_COMPRESSION, ARTIFACT_COMPRESSION.upper())}
    )
    assert align["cluster_id"][1] and votes["cluster_id"][1]  # a few clusters: the dictionary pays
    assert not align["pair"][1] and not align["blocks.list.element"][1] and not votes["votes"][1]
    assert {c for c, _ in best.values()} == {"ZSTD"} and best["best_text"][1]
    c = shard("c", pool[3:4])
    warm = repair_parts({"members": [a, b, c]}, str(tmp_path / "r2"), earlier=[str(tmp_path / "r1")])
    assert warm["clusters_repaired"] == 1 and warm["clusters_from_votes"] == 1
