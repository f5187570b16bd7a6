"""best_text from differently damaged copies of a shipped sample report (real normalize, no ../shared)."""

from __future__ import annotations

import contextlib
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.normalize import normalize_text
from tasks.repair import align, anchor_index, repair_cluster

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
NOTICE = "因篇幅问题不能全部显示,请点此查看更多更全内容"
SPIN = {"发展": "开展", "服务": "效劳", "则": "那么", "达到": "到达", "项目": "工程"}


def body() -> str:
    raw = (SAMPLES / "real" / "lawtext__gov" / "其他地市__淮安市__2016.txt").read_text(encoding="utf-8")
    return raw.split("\n---", 1)[1]


def member(doc_id: str, raw: str) -> dict:
    n = normalize_text(raw)
    return {"doc_id": doc_id, "text": n.text, "quality_flags": sorted(n.flags)}


def truncate(text: str, share: float) -> str:
    return text[: int(len(text) * share)] + "\n" + NOTICE


def spin(text: str, rng: random.Random) -> str:
    pattern = re.compile("|".join(sorted(SPIN, key=len, reverse=True)))
    return pattern.sub(lambda m: SPIN[m.group(0)] if rng.random() < 0.8 else m.group(0), text)


def placeholders(text: str, rng: random.Random) -> str:
    text = re.sub(r"\d+(\.\d+)?", lambda m: "×" if rng.random() < 0.7 else m.group(0), text)
    return re.sub(
        r"[\u4e00-\u9fff]{2}(市|县|区)", lambda m: "XX" + m.group(1) if rng.random() < 0.5 else m.group(0), text
    )


def lose(text: str, rng: random.Random) -> str:
    return "".join("?" if "\u4e00" <= c <= "\u9fff" and rng.random() < 0.01 else c for c in text)


def damaged_copies(seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    b = body()
    return [
        member("a-truncated", truncate(b, 0.6)),
        member("b-spun", spin(b, rng)),
        member("c-placeholder", placeholders(b, rng)),
        member("d-lost", lose(b, rng)),
    ]


def test_copies_damaged_differently_repair_each_other_to_the_clean_text():
    clean = normalize_text(body()).text
    members = damaged_copies()
    assert all(m["text"] != clean for m in members)  # every copy is damaged
    speech, rows = repair_cluster("c1", members)
    assert speech["best_text"] == clean
    assert {r["kind"] for r in rows} == {"spin"}  # the spun copy is the base: every other copy shows 发展
    assert speech["n_repairs"] == sum(r["kind"] != "conflict" for r in rows)
    for r in rows:  # every row says where its text is in best_text
        assert speech["best_text"][r["position"] : r["position"] + len(r["after"])] == r["after"]
    spin_rows = [r for r in rows if r["kind"] == "spin"]
    assert all("b-spun" not in r["evidence"] for r in spin_rows)
    assert all((r["before"], r["after"]) in {(v, k) for k, v in SPIN.items()} for r in spin_rows)


def sentences(text: str) -> set[str]:
    return {s for s in re.findall(r"[^。！？；\n]+[。！？；]?", text) if len(s) >= 6}


def test_placeholders_and_lost_characters_are_filled_from_the_other_copies():
    clean = normalize_text(body()).text
    a, _, c, d = damaged_copies()
    speech, rows = repair_cluster("c1", [a, c, d])
    assert speech["base_id"] == "c-placeholder"  # 1 flag, longer than d-lost
    assert {r["kind"] for r in rows} == {"placeholder"}
    truth = sentences(clean)
    held = set().union(*(sentences(m["text"]) & truth for m in (a, c, d)))
    got = sentences(speech["best_text"])
    assert len(held & got) >= 0.99 * len(held)
    assert len(held & got) > max(len(sentences(m["text"]) & truth) for m in (a, c, d)) + 50
    for r in rows:
        if r["kind"] in ("placeholder", "lost_chars"):
            assert re.fullmatch(r"[×Xx?？\ufffd]+", r["before"]) and r["after"] in clean
    speech, rows = repair_cluster("c1", [a, d])  # the lost-bytes copy is the base; the truncated one fills it
    assert speech["base_id"] == "d-lost"
    assert {r["kind"] for r in rows} == {"lost_chars"}
    assert len(rows) > 20 and all(r["evidence"] == ["a-truncated"] for r in rows)
    assert speech["best_text"][: len(a["text"]) - 20] == clean[: len(a["text"]) - 20]


def test_member_order_does_not_change_the_result():
    members = damaged_copies(seed=2)
    first = repair_cluster("c1", members)
    shuffled = list(reversed(members))
    assert repair_cluster("c1", shuffled) == first


def test_truncated_base_gets_its_tail_from_a_longer_copy():
    b = body()
    short = member("a", truncate(b, 0.45))
    longer = member("b", spin(truncate(b, 0.8), random.Random(3)))  # two flags: not the base
    speech, rows = repair_cluster("c2", [short, longer])
    assert speech["base_id"] == "a"
    assert speech["best_text"].startswith(short["text"])
    assert abs(len(speech["best_text"]) - len(longer["text"])) < 20  # 那么 -> 则 by context in the tail
    (tail,) = [r for r in rows if r["kind"] == "truncated_tail"]
    assert tail["evidence"] == ["b"] and tail["before"] == ""
    assert tail["position"] == len(short["text"])
    assert speech["best_text"].endswith(tail["after"])


def test_a_base_cut_silently_at_a_paragraph_end_gets_the_tail_every_other_copy_shows():
    b = body()
    clean = member("z", b)["text"]
    cut_at = clean.rfind("\n", 0, int(len(clean) * 0.93))  # the last page lost at a paragraph end, no notice
    cut = {"doc_id": "a", "text": clean[:cut_at], "quality_flags": []}
    assert cut["text"][-1] == "。"
    rng = random.Random(5)
    others = [
        {**member("b", placeholders(b, rng)), "quality_flags": ["placeholder"]},
        {**member("c", spin(b, rng)), "quality_flags": ["spun"]},
    ]
    speech, rows = repair_cluster("c11", [cut, *others])
    assert speech["base_id"] == "a"
    (tail,) = [r for r in rows if r["kind"] == "truncated_tail"]
    assert tail["position"] == cut_at and tail["before"] == ""
    assert speech["best_text"] == clean  # the tail's own damage repaired by the other copy
    # a copy that ends where the base ends says the speech ends there: nothing is appended
    same_end = {"doc_id": "d", "text": cut["text"], "quality_flags": ["spun"]}
    speech, rows = repair_cluster("c12", [cut, *others, same_end])
    assert speech["best_text"] == cut["text"] and not [r for r in rows if r["kind"] == "truncated_tail"]
    # an editor's note after a complete speech is no lost page
    note = {**member("e", b + "\n字库未存字注释：\n＠①原字石右加安"), "quality_flags": ["spun"]}
    speech, rows = repair_cluster("c13", [member("f", b), note])
    assert speech["best_text"] == clean and rows == []


def test_real_differences_between_versions_are_never_repaired():
    b = body()
    assert "3500亿" in b and "推进" in b
    edited = b.replace("3500亿", "3600亿", 1).replace("推进", "推动", 3)
    one, two = member("v1", b), member("v2", edited)
    speech, rows = repair_cluster("c3", [one, two])
    assert speech["best_text"] in (one["text"], two["text"])
    assert rows == []


def test_placeholder_conflict_is_left_and_flagged():
    base = member(
        "a", "各位代表：\n今年全市地区生产总值增长×％，财政收入突破一百亿元，城乡居民收入稳步提高，人民生活持续改善。"
    )
    # the copies lost a character each elsewhere: the complete copy with the placeholder is the base
    c1 = member(
        "b", "各位代表：\n今年全市地区生产总值增长8％，财政收入突破一百亿元，城乡居民\ufffd入稳步提高，人民生活持续改善"
    )
    c2 = member(
        "c", "各位代表：\n今年全市地区生产总值增长9％，财政收入突破一百亿元，城乡居民收入稳步提高，人民\ufffd活持续改善"
    )
    speech, rows = repair_cluster("c4", [base, c1, c2])
    assert "增长×％" in speech["best_text"]
    (row,) = rows
    assert row["kind"] == "conflict" and row["before"] == "×" and row["after"] == "8 | 9"
    assert row["evidence"] == ["b", "c"]
    assert speech["n_repairs"] == 0 and speech["n_conflicts"] == 1


def test_lost_characters_around_injected_pinyin_are_filled():
    damaged = member(
        "a", "深入開展社會治安秩序?qū)m?xiàng整治行動，切實維護人民群眾生命財產安全，確保全區社會大局持續穩定。"
    )
    assert "\ufffd" in damaged["text"]
    clean = member("b", "深入开展社会治安秩序专项整治行动，切实维护人民群众生命财产安全，确保全区\n" + NOTICE)
    speech, rows = repair_cluster("c5", [damaged, clean])
    assert speech["base_id"] == "a"  # the complete copy, though damaged
    assert "秩序专项整治" in speech["best_text"]
    assert [(r["before"], r["after"], r["kind"]) for r in rows] == [("\ufffd", "专项", "lost_chars")]


def test_lone_copy_keeps_its_text_except_certain_spin_contexts():
    text = "我们坚持原那么，推动经济开展，提升公共效劳水平，开展专项整治工作，那么我们就能完成任务。"
    speech, rows = repair_cluster("c6", [member("a", text)])
    assert (
        speech["best_text"] == "我们坚持原则，推动经济发展，提升公共服务水平，开展专项整治工作，那么我们就能完成任务。"
    )
    assert {r["kind"] for r in rows} == {"spin_context"}
    assert [r["before"] for r in rows] == ["那么", "开展", "效劳"]
    assert speech["n_members"] == 1 and speech["sources"] == ["a"]


def test_empty_and_missing_text_do_not_crash():
    speech, rows = repair_cluster("c7", [{"doc_id": "a", "text": None}, {"doc_id": "b", "text": "短文本。"}])
    assert speech["best_text"] == "短文本。" and rows == []
    speech, rows = repair_cluster("c8", [])
    assert speech["best_text"] == "" and rows == []


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_alignment_blocks_are_exact_and_increasing(seed):
    rng = random.Random(seed)
    a = normalize_text(body()).text[rng.randint(0, 5000) :][:3000]
    b = list(a)
    for _ in range(rng.randint(0, 30)):  # random edits, insertions and deletions
        k = rng.randrange(len(b))
        op = rng.random()
        if op < 0.4:
            b[k] = "×"
        elif op < 0.7:
            del b[k]
        else:
            b.insert(k, "某")
    b = "".join(b)
    blocks = align(a, b)
    ia = ib = 0
    for i, j, n in blocks:
        assert i >= ia and j >= ib and n > 0
        assert a[i : i + n] == b[j : j + n]
        ia, ib = i + n, j + n
    assert sum(n for _, _, n in blocks) >= len(a) - 2 * 30 - 10


def test_repair_table_follows_the_schemas_and_rebuilds_only_the_named_clusters():
    import pyarrow as pa

    from tasks.repair import repair_table
    from tasks.schema import REPAIRS, SPEECHES

    members = [*damaged_copies()[:2], member("z", "我们坚持原那么，推动各项工作落实落细，取得了明显成效。")]
    table = pa.table(
        {
            "doc_id": [m["doc_id"] for m in members],
            "cluster_id": ["k1", "k1", "k2"],
            "text": [m["text"] for m in members],
            "quality_flags": pa.array([m["quality_flags"] for m in members], pa.list_(pa.string())),
        }
    )
    speeches, repairs = repair_table(table)
    assert speeches.schema == SPEECHES and repairs.schema == REPAIRS
    assert speeches.column("cluster_id").to_pylist() == ["k1", "k2"]
    assert "坚持原则" in speeches.column("best_text").to_pylist()[1]
    only, _ = repair_table(table, {"k2"})
    assert only.column("cluster_id").to_pylist() == ["k2"]
    assert only.to_pylist()[0] == speeches.to_pylist()[1]


def test_a_complete_base_never_gets_another_copys_trailing_junk():
    b = body()
    base = member("a", b)
    junk = member("b", b + "\n本文来源于网络整理，仅供学习交流使用，请勿用于商业用途，转载请注明出处谢谢合作")
    junk["quality_flags"] = ["foreign_word", "spun"]  # more flags: not the base
    speech, rows = repair_cluster("c9", [base, junk])
    assert speech["base_id"] == "a" and speech["best_text"] == base["text"] and rows == []
    # without the notice, a base cut mid-paragraph still gets its tail
    half = base["text"][: len(base["text"]) // 2]
    half = half[: max(half.rfind("。"), half.rfind("\n")) + 25]  # 24 characters into a paragraph
    cut = {"doc_id": "c", "text": half, "quality_flags": ["spun"]}
    speech, rows = repair_cluster("c10", [cut, {**base, "quality_flags": ["placeholder", "spun"]}])
    assert speech["base_id"] == "c"
    assert [r["kind"] for r in rows] == ["truncated_tail"]
    assert speech["best_text"] == base["text"]


def test_the_repair_step_recomputes_only_the_cluster_parts_whose_copies_changed(tmp_path):
    import hashlib
    import json

    import pyarrow as pa

    from tasks.common import write_table
    from tasks.repair import repair_parts
    from tasks.schema import MEMBERS

    text = body()
    rng = random.Random(3)

    def shard(name: str, clusters: dict[int, list[tuple[str, str]]]) -> str:
        """A members artifact: cluster part -> [(doc_id, text)], every doc in cluster c<part>."""
        folder = tmp_path / name
        for part, docs in clusters.items():
            rows = [
                {"doc_id": d, "cluster_id": f"c{part}", "text": t, "quality_flags": [], "is_canonical": i == 0}
                for i, (d, t) in enumerate(docs)
            ]
            write_table(pa.Table.from_pylist(rows, schema=MEMBERS), folder / "members" / f"{part:03d}.parquet")
        return str(folder)

    def run(name: str, shards: list[str]) -> dict:
        out = tmp_path / "repair" / name
        out.mkdir(parents=True)
        done = [str(d) for d in (tmp_path / "repair").iterdir() if (d / "_done.json").exists()]
        stats = repair_parts({"members": shards}, str(out), earlier=done)  # the flow passes same-code artifacts
        (out / "_done.json").write_text("{}")  # complete, as the step marks it
        return stats

    def digests(name: str) -> dict[str, str]:
        root = tmp_path / "repair" / name
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*.parquet")}

    a = shard("a", {1: [("a1", text)], 2: [("a2", text)]})
    b = shard("b", {1: [("b1", truncate(text, 0.6))], 2: [("b2", placeholders(text, rng))]})
    first = run("first", [a, b])
    assert first["parts_repaired"] == 2 and first["best_texts"] == 2
    # a new truncated copy joins cluster c2 only: part 1 is linked from the first run, part 2 recomputed
    c = shard("c", {2: [("c2", truncate(text, 0.5))]})
    second = run("second", [a, b, c])
    assert second["parts_reused"] == 1 and second["parts_repaired"] == 1
    assert (
        json.loads((tmp_path / "repair" / "second" / "parts.json").read_text())["1"]
        == json.loads((tmp_path / "repair" / "first" / "parts.json").read_text())["1"]
    )
    # and the result equals a cold computation of the same inputs
    for d in (tmp_path / "repair").iterdir():
        if d.name != "second":
            (d / "_done.json").unlink()
    run("cold", [a, b, c])
    assert digests("second") == digests("cold")


def test_a_changed_part_repairs_only_its_changed_clusters(tmp_path):
    """Two clusters share part 7; a copy joins one: that one is repaired, the other copied — and the
    part equals a cold computation."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks.common import write_table
    from tasks.repair import repair_parts
    from tasks.schema import MEMBERS

    text = body()
    rng = random.Random(5)

    def shard(name: str, docs: list[tuple[str, str, str]]) -> str:
        rows = [
            {"doc_id": d, "cluster_id": c, "text": t, "quality_flags": [], "is_canonical": i == 0}
            for i, (d, c, t) in enumerate(docs)
        ]
        write_table(pa.Table.from_pylist(rows, schema=MEMBERS), tmp_path / name / "members" / "007.parquet")
        return str(tmp_path / name)

    a = shard("a", [("a1", "cA", text), ("a2", "cB", text[::-1])])
    b = shard("b", [("b1", "cA", truncate(text, 0.6)), ("b2", "cB", placeholders(text[::-1], rng))])
    first = repair_parts({"members": [a, b]}, str(tmp_path / "r1"))
    assert first["clusters_repaired"] == 2
    c = shard("c", [("c1", "cB", truncate(text[::-1], 0.5))])
    warm = repair_parts({"members": [a, b, c]}, str(tmp_path / "r2"), earlier=[str(tmp_path / "r1")])
    assert (warm["clusters_repaired"], warm["clusters_copied"]) == (1, 1)
    repair_parts({"members": [a, b, c]}, str(tmp_path / "r3"))  # cold
    for t in ("best_texts", "repairs", "memo", "align"):
        assert (tmp_path / "r2" / t / "007.parquet").read_bytes() == (tmp_path / "r3" / t / "007.parquet").read_bytes()
    assert pq.read_table(tmp_path / "r2" / "best_texts" / "007.parquet").column("cluster_id").to_pylist() == [
        "cA",
        "cB",
    ]


# ----------------------------------------------------------------------------- the aligner, pinned
# The reference is the aligner as first written (every anchor verified and looped over in Python, one
# character at a time when a run grows, patience LIS element by element, difflib on every small gap).
# The fast one must return the very same blocks: same alignments, same edits, byte-identical output.


def _reference_lis(b_pos: list[int]) -> list[int]:
    from bisect import bisect_left

    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(b_pos)
    for i, v in enumerate(b_pos):
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tails_idx.append(i)
        else:
            tails[k] = v
            tails_idx[k] = i
        prev[i] = tails_idx[k - 1] if k else -1
    out = []
    i = tails_idx[-1] if tails_idx else -1
    while i >= 0:
        out.append(i)
        i = prev[i]
    return out[::-1]


def _reference_blocks(a: str, b: str, a0: int, a1: int, b0: int, b1: int, depth: int) -> list:
    import difflib

    import numpy as np

    import tasks.repair as rp

    def by_difflib():
        sm = difflib.SequenceMatcher(None, a[a0:a1], b[b0:b1], autojunk=False)
        return [(a0 + i, b0 + j, n) for i, j, n in sm.get_matching_blocks() if n]

    na, nb = a1 - a0, b1 - b0
    if na <= 0 or nb <= 0:
        return []
    if na * nb <= rp.DIFFLIB_MAX_CELLS:
        return by_difflib()
    anchors: list = []
    if depth < rp.MAX_DEPTH and na >= rp.ANCHOR_K and nb >= rp.ANCHOR_K:
        ha, pa_ = rp._unique_positions(rp.shingle_hashes(a[a0:a1]))
        hb, pb_ = rp._unique_positions(rp.shingle_hashes(b[b0:b1]))
        common, ia, ib = np.intersect1d(ha, hb, assume_unique=True, return_indices=True)
        if len(common):
            pairs = sorted(zip((pa_[ia] + a0).tolist(), (pb_[ib] + b0).tolist(), strict=True))
            chain = _reference_lis([p[1] for p in pairs])
            k = rp.ANCHOR_K
            anchors = [pairs[i] for i in chain if a[pairs[i][0] : pairs[i][0] + k] == b[pairs[i][1] : pairs[i][1] + k]]
    if not anchors:
        return by_difflib() if na * nb <= rp.GAP_MAX_CELLS else []
    out: list = []
    ca, cb = a0, b0
    for xa, xb in anchors:
        if xa < ca or xb < cb:
            continue
        s_a, s_b = xa, xb
        while s_a > ca and s_b > cb and a[s_a - 1] == b[s_b - 1]:
            s_a -= 1
            s_b -= 1
        e_a, e_b = xa + rp.ANCHOR_K, xb + rp.ANCHOR_K
        while e_a < a1 and e_b < b1 and a[e_a] == b[e_b]:
            e_a += 1
            e_b += 1
        out.extend(_reference_blocks(a, b, ca, s_a, cb, s_b, depth + 1))
        out.append((s_a, s_b, e_a - s_a))
        ca, cb = e_a, e_b
    out.extend(_reference_blocks(a, b, ca, a1, cb, b1, depth + 1))
    return out


def _reference_align(a: str, b: str) -> list:
    return _reference_blocks(a, b, 0, len(a), 0, len(b), 0)


def _edited(a: str, rng: random.Random, n_edits: int) -> str:
    """Substitutions, deletions, insertions, a moved paragraph-sized chunk and a repeated one."""
    b = list(a)
    for _ in range(n_edits):
        k = rng.randrange(len(b) or 1)
        op = rng.random()
        if op < 0.3 and b:
            b[k] = rng.choice("×?某发")
        elif op < 0.55 and b:
            del b[k]
        elif op < 0.8:
            b.insert(k, rng.choice("某号区"))
        elif len(b) > 40:  # move a chunk elsewhere (anchors out of order: the LIS must choose)
            s = rng.randrange(len(b) - 30)
            chunk = b[s : s + rng.randint(5, 300)]
            del b[s : s + len(chunk)]
            t = rng.randrange(len(b) + 1)
            b[t:t] = chunk
        else:
            b.extend(b[: rng.randint(0, 50)])
    return "".join(b)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000))
def test_fast_lis_picks_the_same_subsequence_as_element_by_element_patience(seed):
    from tasks.repair import _lis

    rng = random.Random(seed)
    values: list[int] = []
    while len(values) < rng.randint(0, 400):
        start, length = rng.randint(0, 500), rng.randint(1, 40)  # runs rising by 1, as anchors in a copy
        values.extend(range(start, start + length))
        if rng.random() < 0.3:
            values.append(rng.randint(0, 500))  # a stray, sometimes a repeated value
    assert _lis(values) == _reference_lis(values)


@contextlib.contextmanager
def _walk(kind: str):
    """The anchor runs of `_blocks` from the compiled kernel, or from its Python twin (a machine
    without a C compiler at install): both must give the reference's blocks."""
    import tasks.repair as rp

    assert rp._kernels is not None, "tasks/_kernels.pyx is not built: run `make install`"
    kept = rp._kernels
    if kind == "python":
        rp._kernels = None
    try:
        yield
    finally:
        rp._kernels = kept


WALKS = pytest.mark.parametrize("walk", ["compiled", "python"])


@WALKS
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_fast_aligner_returns_the_reference_blocks_on_edited_real_text(walk, seed):
    with _walk(walk):
        _check_edited_real_text(seed)


def _check_edited_real_text(seed: int) -> None:
    rng = random.Random(seed)
    text = normalize_text(body()).text
    a = text[rng.randint(0, 4000) :][: rng.choice([50, 300, 3000, 8000])]
    b = _edited(a, rng, rng.randint(0, 80))
    if rng.random() < 0.3:
        b = b[: int(len(b) * rng.uniform(0.3, 1.0))]  # a truncated copy
    assert align(a, b) == _reference_align(a, b)
    assert align(a, b, anchor_index(a)) == _reference_align(a, b)  # the base's index, as repair_cluster
    assert align(b, a, anchor_index(b)) == _reference_align(b, a)


@WALKS
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_fast_aligner_returns_the_reference_blocks_on_adversarial_pairs(walk, seed):
    """Repetitive text (few unique 5-grams), two-letter alphabets (big gaps, recursion depth), and
    texts with long shared runs: the anchor chain, the skipping and the run growth all matter."""
    with _walk(walk):
        _check_adversarial(seed)


def _check_adversarial(seed: int) -> None:
    rng = random.Random(seed)
    kind = seed % 3
    if kind == 0:
        unit = "".join(rng.choice("同志们要坚持发展") for _ in range(rng.randint(3, 12)))
        a = unit * rng.randint(20, 200)
    elif kind == 1:
        a = "".join(rng.choice("ab") for _ in range(rng.randint(200, 2500)))
    else:
        a = "".join(rng.choice("一二三四五六七八九十百千万") for _ in range(rng.randint(300, 4000)))
    b = _edited(a, rng, rng.randint(0, 40))
    assert align(a, b) == _reference_align(a, b)
    assert align(a, b, anchor_index(a)) == _reference_align(a, b)


@WALKS
def test_fast_aligner_skips_anchors_whose_hashes_collide(monkeypatch, walk):
    """A 5-gram hash that collides often: anchors are checked against the text, and an alignment
    whose every anchor collides falls back to difflib — exactly as the reference does."""
    import numpy as np

    import tasks.repair as rp

    real = rp.shingle_hashes
    monkeypatch.setattr(rp, "shingle_hashes", lambda s: real(s) % np.uint64(997))
    # without the base's table: the compiled walk hashes both texts by the colliding hash (anchor_chain_of
    # hashes the copy itself, with the real one)
    real_index = rp.anchor_index
    monkeypatch.setattr(rp, "anchor_index", lambda t: (*real_index(t)[:6], None))
    rng = random.Random(5)
    text = normalize_text(body()).text
    with _walk(walk):
        for _ in range(20):
            a = text[rng.randint(0, 4000) :][:2500]
            b = _edited(a, rng, rng.randint(0, 40))
            assert rp.align(a, b) == _reference_align(a, b)
            assert rp.align(a, b, rp.anchor_index(a)) == _reference_align(a, b)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000))
def test_anchor_chain_kernel_pairs_keys_unique_on_both_sides_and_keeps_the_patience_chain(seed):
    """`_kernels.anchor_chain` on raw keys (few distinct values: many repeats on either side, keys
    of 0 and 2**64 - 1, colliding table slots): the pairs of keys occurring once in a and once in b,
    in a's order, then element-by-element patience sorting's chain — as the NumPy path computes."""
    from collections import Counter

    import numpy as np

    import tasks.repair as rp

    assert rp._kernels is not None, "tasks/_kernels.pyx is not built: run `make install`"
    rng = random.Random(seed)
    pool = [0, 2**64 - 1, *(rng.getrandbits(64) for _ in range(rng.randint(1, 300)))]
    pool += [k + 4096 * i for k in pool[:3] for i in range(1, 4) if k + 4096 * i < 2**64]  # same low bits
    a = [rng.choice(pool) for _ in range(rng.randint(0, 400))]
    b = [rng.choice(pool) for _ in range(rng.randint(0, 400))]
    a0, b0 = rng.randint(0, 50), rng.randint(0, 50)
    ca, cb = Counter(a), Counter(b)
    pairs = [(a0 + i, b0 + b.index(k)) for i, k in enumerate(a) if ca[k] == 1 and cb[k] == 1]
    chain = _reference_lis([y for _, y in pairs])
    want = ([pairs[i][0] for i in chain], [pairs[i][1] for i in chain])
    ha, hb = np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64)
    xa, xb = rp._kernels.anchor_chain(ha, np.arange(len(a), dtype=np.int64), a0, hb, b0, False)
    assert (xa.tolist(), xb.tolist()) == want
    once = [i for i, k in enumerate(a) if ca[k] == 1]  # a's keys given already unique (an anchor index)
    xa, xb = rp._kernels.anchor_chain(ha[once], np.array(once, dtype=np.int64), a0, hb, b0, True)
    assert (xa.tolist(), xb.tolist()) == want
    with pytest.raises(ValueError):
        rp._kernels.anchor_chain(ha, np.arange(len(a) + 1, dtype=np.int64), a0, hb, b0, False)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000))
def test_anchor_chain_of_hashes_the_copy_and_probes_the_base_table_as_anchor_chain_does(seed):
    """`_kernels.anchor_chain_of` (the copy's 5-grams hashed in the kernel, looked up in the base's
    `anchor_table`) gives `anchor_chain`'s chain on the copy's NumPy shingle hashes, for any window
    b[b0:b1] of the copy: real edited text, repetitive text (5-grams repeated on either side) and a
    two-letter alphabet (few distinct 5-grams, long probe runs in the table)."""
    import numpy as np

    import tasks.repair as rp
    from tasks.dedupe import SHINGLE, shingle_hashes

    assert rp._kernels is not None, "tasks/_kernels.pyx is not built: run `make install`"
    rng = random.Random(seed)
    kind = seed % 3
    if kind == 0:
        text = normalize_text(body()).text
        a = text[rng.randint(0, 4000) :][: rng.choice([5, 50, 3000])]
    elif kind == 1:
        a = "".join(rng.choice("同志们要坚持发展") for _ in range(rng.randint(3, 12))) * rng.randint(2, 60)
    else:
        a = "".join(rng.choice("ab") for _ in range(rng.randint(5, 600)))
    b = _edited(a, rng, rng.randint(0, 40)) or a
    index = rp.anchor_index(a)
    cb = rp._codepoints(b)
    for _ in range(5):
        b0 = rng.randint(0, max(0, len(b) - SHINGLE))
        b1 = rng.randint(min(len(b), b0 + SHINGLE), len(b))
        if b1 - b0 < SHINGLE:
            continue
        a0 = rng.randint(0, 30)
        want = rp._kernels.anchor_chain(index[5], index[3], a0, shingle_hashes(b[b0:b1]), b0, True)
        got = rp._kernels.anchor_chain_of(index[6], index[3], a0, cb, b0, b1, SHINGLE)
        assert [x.tolist() for x in got] == [x.tolist() for x in want]
    with pytest.raises(ValueError):  # a window shorter than a 5-gram, or past the text
        rp._kernels.anchor_chain_of(index[6], index[3], 0, cb, 0, SHINGLE - 1, SHINGLE)
    with pytest.raises(ValueError):
        rp._kernels.anchor_chain_of(index[6], index[3], 0, cb, 0, len(b) + 1, SHINGLE)
    with pytest.raises(ValueError):  # not a table of these keys
        rp._kernels.anchor_chain_of(np.zeros(6, dtype=np.uint64), index[3], 0, cb, 0, len(b), SHINGLE)


def test_anchor_runs_kernel_checks_its_inputs_and_stays_inside_the_texts():
    """Anchors past a text's end or of differing 5-grams are skipped (never read out of bounds), a
    run grows only inside [a0, a1) x [b0, b1), and mismatched chains are refused."""
    import numpy as np

    import tasks.repair as rp

    a, b = rp._codepoints("甲乙丙丁戊己庚辛壬癸"), rp._codepoints("子甲乙丙丁戊己庚辛壬癸")
    runs = rp._kernels.anchor_runs(a, b, np.array([0, 8]), np.array([1, 9]), 0, len(a), 0, len(b), 5)
    assert runs.tolist() == [[0, 1, 10]]  # one run grown from the first anchor; the second lies inside it
    bounded = rp._kernels.anchor_runs(a, b, np.array([2]), np.array([3]), 1, 8, 1, 9, 5)
    assert bounded.tolist() == [[1, 2, 7]]  # back to a0 = 1, forward to a1 = 8
    wild = rp._kernels.anchor_runs(a, b, np.array([0, 7]), np.array([5, 20]), 0, len(a), 0, len(b), 5)
    assert wild.tolist() == []  # 甲乙丙丁戊 against 戊己庚辛壬: not the same 5-gram; then past b's end
    with pytest.raises(ValueError):
        rp._kernels.anchor_runs(a, b, np.array([0, 1]), np.array([1]), 0, len(a), 0, len(b), 5)


def test_a_rerun_reads_only_the_copies_of_changed_clusters_and_links_parts_whose_clusters_are_unchanged(tmp_path):
    """Member files carry each cluster's digest: a new copy of cB is repaired reading only cB's
    copies (not cA's, in the same part), and part 3, whose cluster cC moved to another shard's
    file unchanged, is linked although its files' bytes changed. Both equal a cold computation."""
    import os

    import pyarrow.parquet as pq

    from tasks.repair import repair_parts, write_members_part

    text = body()
    rng = random.Random(11)

    def shard(name: str, docs: list[tuple[str, str, str]]) -> str:
        parts: dict[str, list[dict]] = {}
        for i, (d, c, t) in enumerate(docs):
            row = {"doc_id": d, "cluster_id": c, "text": t, "quality_flags": [], "is_canonical": i == 0}
            parts.setdefault("003" if c == "cC" else "007", []).append(row)
        for p, rows in parts.items():
            write_members_part(rows, tmp_path / name / "members" / f"{p}.parquet")
        return str(tmp_path / name)

    other = text[len(text) // 2 :] + text[: len(text) // 2]
    a = shard("a", [("a1", "cA", text), ("a2", "cB", text[::-1]), ("a3", "cC", other)])
    damaged = placeholders(text[::-1], rng)
    b = shard("b", [("b1", "cA", truncate(text, 0.6)), ("b2", "cB", damaged)])
    b_cc = shard("b_cc", [("b1", "cA", truncate(text, 0.6)), ("b2", "cB", damaged)])
    write_members_part(
        [
            {
                "doc_id": "b3",
                "cluster_id": "cC",
                "text": spin(other, rng),
                "quality_flags": ["spun"],
                "is_canonical": False,
            }
        ],
        tmp_path / "b_cc" / "members" / "003.parquet",
    )
    first = repair_parts({"members": [a, b_cc]}, str(tmp_path / "r1"))
    assert (first["parts_repaired"], first["clusters_repaired"]) == (2, 3)

    # next night: b3 now sits in the new shard's file (same row), and a new copy joins cB
    c = shard("c", [("c1", "cB", truncate(text[::-1], 0.5))])
    write_members_part(
        pq.read_table(tmp_path / "b_cc" / "members" / "003.parquet").to_pylist(),
        tmp_path / "c" / "members" / "003.parquet",
    )
    warm = repair_parts({"members": [a, b, c]}, str(tmp_path / "r2"), earlier=[str(tmp_path / "r1")])
    assert (warm["parts_reused"], warm["parts_repaired"]) == (1, 1)
    # cB's copies read: the new one and the base a2 (b2's rows are unchanged: the record lists them)
    assert (warm["clusters_repaired"], warm["clusters_copied"], warm["copies_read"]) == (1, 1, 2)
    # cB's base (a2, complete) is unchanged: b2's alignment against it is known, only c1's is computed
    assert (warm["alignments_computed"], warm["alignments_known"]) == (1, 1)
    for t in ("best_texts", "repairs", "memo", "align"):
        assert os.path.samefile(tmp_path / "r2" / t / "003.parquet", tmp_path / "r1" / t / "003.parquet")
    cold = repair_parts({"members": [a, b, c]}, str(tmp_path / "r3"))
    assert cold["copies_read"] == 7 and cold["clusters_repaired"] == 3
    for t in ("best_texts", "repairs", "memo", "align"):
        for p in ("003", "007"):
            got = (tmp_path / "r2" / t / f"{p}.parquet").read_bytes()
            assert got == (tmp_path / "r3" / t / f"{p}.parquet").read_bytes()


def test_a_part_is_repaired_in_batches_of_clusters_with_the_bytes_of_one_batch(tmp_path, monkeypatch):
    """A part holds 1/64 of the corpus's copies, so it grows with the corpus: it is repaired in
    contiguous cluster batches (spilled to disk by batch), never holding more than a batch's copies.
    Batching must not show in the output: cold and incremental runs with batches of one or two
    clusters give the bytes of one batch."""
    import os

    import pyarrow.parquet as pq

    import tasks.repair as rp
    from tasks.repair import repair_parts, write_members_part

    rng = random.Random(17)
    base = body()
    texts = {f"c{k}": base[k * 40 :] + base[: k * 40] for k in range(6)}  # six speeches, one part

    def shard(name: str, docs: list[tuple[str, str, str]]) -> str:
        rows = [
            {"doc_id": d, "cluster_id": c, "text": t, "quality_flags": [], "is_canonical": d.startswith("a")}
            for d, c, t in docs
        ]
        write_members_part(rows, tmp_path / name / "members" / "005.parquet")
        return str(tmp_path / name)

    a = shard("a", [(f"a{k}", c, t) for k, (c, t) in enumerate(texts.items())])
    b = shard("b", [(f"b{k}", c, truncate(t, 0.6)) for k, (c, t) in enumerate(texts.items())])
    c = shard("c", [("c0", "c2", placeholders(texts["c2"], rng)), ("c1", "c4", truncate(texts["c4"], 0.4))])

    held: list[int] = []
    real = rp.repair_table

    def counting(members, *args, **kwargs):
        held.append(members.num_rows)
        return real(members, *args, **kwargs)

    def files(root) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.parquet"))}

    one = repair_parts({"members": [a, b, c]}, str(tmp_path / "one"))
    assert one["clusters_repaired"] == 6 and one["copies_read"] == 14
    monkeypatch.setattr(rp, "repair_table", counting)
    monkeypatch.setattr(rp, "REPAIR_BATCH_COPIES", 3)
    monkeypatch.setattr(rp, "REPAIR_BATCH_CLUSTERS", 2)
    monkeypatch.setattr(rp, "SPEECH_ROW_GROUP", 2)  # several row groups, cut across batches
    small = repair_parts({"members": [a, b, c]}, str(tmp_path / "small"))
    assert max(held) <= 3 and len(held) >= 5  # c2 alone holds 3 copies; no batch more
    assert {k: v for k, v in small.items() if k != "digest"} == {k: v for k, v in one.items() if k != "digest"}
    assert sorted(p.name for p in (tmp_path / "small").iterdir()) == [
        "align",
        "best_texts",
        "memo",
        "parts.json",
        "repairs",
        "sources",
        "votes",
    ]
    assert not any((tmp_path / "small").rglob(".tmp-*"))
    for name in files(tmp_path / "one"):  # other row groups, same rows
        assert pq.read_table(tmp_path / "small" / name).equals(pq.read_table(tmp_path / "one" / name))
    assert pq.ParquetFile(tmp_path / "small" / "best_texts" / "005.parquet").num_row_groups == 3

    monkeypatch.setattr(rp, "SPEECH_ROW_GROUP", 512)
    small = repair_parts({"members": [a, b, c]}, str(tmp_path / "small2"))
    assert files(tmp_path / "small2") == files(tmp_path / "one")

    # next night a copy joins c3: warm in small batches (c3 repaired, the rest copied) == cold
    d = shard("d", [("d0", "c3", placeholders(texts["c3"], rng))])
    warm = repair_parts({"members": [a, b, c, d]}, str(tmp_path / "warm"), earlier=[str(tmp_path / "one")])
    # c3's copies read: d0 (new) and its base a3; b3's rows are unchanged (listed in c3's record)
    assert (warm["clusters_repaired"], warm["clusters_copied"], warm["copies_read"]) == (1, 5, 2)
    monkeypatch.setattr(rp, "repair_table", real)
    monkeypatch.setattr(rp, "REPAIR_BATCH_COPIES", 2_000)
    monkeypatch.setattr(rp, "REPAIR_BATCH_CLUSTERS", 2_000)
    repair_parts({"members": [a, b, c, d]}, str(tmp_path / "cold"))
    assert files(tmp_path / "warm") == files(tmp_path / "cold")
    assert not os.path.exists(tmp_path / "warm" / f"{rp.SPILL_DIR}-005")


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000))
def test_gap_blocks_are_difflibs_though_computed_mostly_by_rapidfuzz(seed):
    """`_difflib_blocks` asks rapidfuzz's LCS first and difflib only where the LCS has several
    blocks: the result is difflib's, also on small alphabets where an LCS differs from difflib's
    longest-run-first blocks (a plain rapidfuzz LCS would not be)."""
    import difflib

    from tasks.repair import _difflib_blocks

    rng = random.Random(seed)
    alphabet = rng.choice(["ab", "的是在了和", "一二三四五六七八九十", "同志们要坚持发展×某?"])
    for _ in range(50):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, rng.choice([8, 60, 400]))))
        b = _edited(a, rng, rng.randint(0, 8)) if rng.random() < 0.8 else "".join(rng.sample(a, len(a)))
        pad_a, pad_b = "前" * rng.randint(0, 3), "后" * rng.randint(0, 3)  # blocks are offset to the gap
        want = [
            (len(pad_a) + i, len(pad_b) + j, n)
            for i, j, n in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
            if n
        ]
        got = _difflib_blocks(
            pad_a + a + "尾", pad_b + b + "尾", len(pad_a), len(pad_a) + len(a), len(pad_b), len(pad_b) + len(b)
        )
        assert got == want


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000))
def test_matching_blocks_kernel_is_difflibs(seed):
    """`_kernels.matching_blocks` (small gaps, compiled) gives difflib's blocks at the gap's place in
    the whole texts: small alphabets (many tied runs), shuffles, edited copies, empty sides."""
    import difflib

    import tasks.repair as rp

    assert rp._kernels is not None, "tasks/_kernels.pyx is not built: run `make install`"
    rng = random.Random(seed)
    alphabet = rng.choice(["ab", "的是在了和", "一二三四五六七八九十", "同志们要坚持发展×某?"])
    for _ in range(50):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, rng.choice([8, 60, 200]))))
        b = _edited(a, rng, rng.randint(0, 8)) if rng.random() < 0.8 else "".join(rng.sample(a, len(a)))
        pad_a, pad_b = "前" * rng.randint(0, 3), "后" * rng.randint(0, 3)
        want = [
            (len(pad_a) + i, len(pad_b) + j, n)
            for i, j, n in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
            if n
        ]
        A, B = rp._codepoints(pad_a + a + "尾"), rp._codepoints(pad_b + b + "尾")
        assert (
            rp._kernels.matching_blocks(A, B, len(pad_a), len(pad_a) + len(a), len(pad_b), len(pad_b) + len(b)) == want
        )


def test_matching_blocks_kernel_refuses_ranges_outside_the_texts():
    import tasks.repair as rp

    a, b = rp._codepoints("甲乙丙"), rp._codepoints("甲乙")
    assert rp._kernels.matching_blocks(a, b, 0, 3, 0, 2) == [(0, 0, 2)]
    assert rp._kernels.matching_blocks(a, b, 1, 1, 0, 2) == []
    for bad in ((0, 4, 0, 2), (0, 3, 1, 0), (-1, 3, 0, 2)):
        with pytest.raises(ValueError):
            rp._kernels.matching_blocks(a, b, *bad)


def test_an_lcs_that_differs_from_difflib_is_not_taken():
    """difflib keeps the longest run first (`bc` here); the LCS is longer (`abc`, three scattered
    characters): the blocks stay difflib's."""
    import difflib

    from rapidfuzz.distance import Indel

    from tasks.repair import _difflib_blocks

    a, b = "aabc", "bccacbdcc"
    want = [(i, j, n) for i, j, n in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if n]
    lcs = [(m.a, m.b, m.size) for m in Indel.opcodes(a, b).as_matching_blocks() if m.size]
    assert want == [(2, 0, 2)] and lcs != want
    assert _difflib_blocks(a, b, 0, len(a), 0, len(b)) == want


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_numpy_longest_match_is_difflibs_on_any_range(seed):
    """`_longest_match` (one NumPy step per character of the shorter side) returns difflib's
    find_longest_match: the longest run, the first in a, then the first in b — on skewed and
    square ranges, small alphabets (many ties) and real text."""
    import difflib

    from tasks.repair import _codepoints, _longest_match

    rng = random.Random(seed)
    if seed % 2:
        a = "".join(rng.choice("abc的是") for _ in range(rng.randint(1, 400)))
        b = (
            _edited(a, rng, rng.randint(0, 30))
            if rng.random() < 0.5
            else "".join(rng.choice("abc") for _ in range(rng.randint(1, 60)))
        )
    else:
        text = normalize_text(body()).text
        a = text[rng.randint(0, 3000) :][: rng.choice([30, 300, 3000])]
        b = _edited(a[: rng.randint(1, len(a))], rng, rng.randint(0, 20))
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    ca, cb = _codepoints(a), _codepoints(b)
    for _ in range(10):
        alo = rng.randint(0, len(a))
        ahi = rng.randint(alo, len(a))
        blo = rng.randint(0, len(b))
        bhi = rng.randint(blo, len(b))
        assert _longest_match(ca, cb, alo, ahi, blo, bhi) == tuple(sm.find_longest_match(alo, ahi, blo, bhi))
    assert _longest_match(ca, cb, 0, len(a), 0, len(b)) == tuple(sm.find_longest_match(0, len(a), 0, len(b)))


def test_members_files_hold_one_row_group_per_cluster_so_a_rerun_reads_only_its_clusters(tmp_path):
    """A re-run repairs the clusters new pages touched, whose copies sit in every shard's file of the
    part: reading those files whole read every copy's text (100k +1 %: 3.1 GB for 23 k copies). Each
    cluster is its own row group, found from the statistics; a file written before with several
    clusters in one row group is read whole and filtered, as before."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks.common import write_table
    from tasks.repair import MEMBERS, _group_copies, _groups_of, write_members_part

    rows = [
        {"doc_id": f"{c}{k}", "cluster_id": c, "text": body()[k:], "quality_flags": [], "is_canonical": k == 0}
        for c in ("cC", "cA", "cB")
        for k in range(1 + "cAcBcC".index(c) // 2)
    ]
    write_members_part(rows, tmp_path / "new.parquet")
    pf = pq.ParquetFile(tmp_path / "new.parquet")
    meta = pf.metadata
    assert [meta.row_group(g).num_rows for g in range(meta.num_row_groups)] == [1, 2, 3]
    assert _groups_of(pf, {"cB", "cX"}) == [1] and _groups_of(pf, set()) == []
    assert _group_copies(pf) == {"cA": 1, "cB": 2, "cC": 3}
    assert pf.read_row_groups(_groups_of(pf, {"cB"})).column("doc_id").to_pylist() == ["cB0", "cB1"]

    table = pa.Table.from_pylist(rows, schema=MEMBERS).sort_by([("cluster_id", "ascending"), ("doc_id", "ascending")])
    write_table(table, tmp_path / "old.parquet", compression="none", plain=["text"])  # one row group
    old = pq.ParquetFile(tmp_path / "old.parquet")
    assert _groups_of(old, {"cB"}) == [0] and _group_copies(old) is None
    assert _groups_of(old, {"cZ"}) == []  # outside the group's [min, max]


def test_cluster_digests_change_with_every_field_and_not_with_batches_or_slices(monkeypatch):
    """A members part's cluster digest (what repair compares to skip an unchanged cluster) moves when
    any column repair reads changes in any row, a row moves or goes, or a text becomes null; not with how
    the rows are cut into batches or chunks (the texts are read from the Arrow buffers at their offsets)."""
    import pyarrow as pa

    from tasks import repair
    from tasks.schema import MEMBERS

    rows = [
        {"doc_id": f"d{k}", "cluster_id": "c1" if k < 3 else "c2", "text": "全市生产总值增长" * (k + 1),
         "quality_flags": ["truncated"] if k == 1 else [], "is_canonical": k in (0, 3)}
        for k in range(5)
    ] + [{"doc_id": "lone", "cluster_id": None, "text": "独立一篇", "quality_flags": [], "is_canonical": True}]  # fmt: skip
    table = pa.Table.from_pylist(rows, schema=MEMBERS)
    base = repair._cluster_digests(table)
    assert set(base) == {"c1", "c2", "lone"}
    monkeypatch.setattr(repair, "CLUSTER_DIGEST_BATCH", 2)
    assert repair._cluster_digests(table) == base
    assert repair._cluster_digests(pa.concat_tables([table.slice(0, 1), table.slice(1, 4), table.slice(5)])) == base
    for change in (
        {"text": "全市生产总值增长！"},
        {"text": None},
        {"text": ""},
        {"quality_flags": ["placeholder"]},
        {"is_canonical": True},
        {"doc_id": "d9"},
    ):
        changed = [dict(r) for r in rows]
        changed[1].update(change)
        got = repair._cluster_digests(pa.Table.from_pylist(changed, schema=MEMBERS))
        assert got["c1"] != base["c1"] and got["c2"] == base["c2"], change
    swapped = [rows[1], rows[0], *rows[2:]]
    assert repair._cluster_digests(pa.Table.from_pylist(swapped, schema=MEMBERS))["c1"] != base["c1"]
    assert repair._cluster_digests(pa.Table.from_pylist(rows[1:], schema=MEMBERS))["c1"] != base["c1"]
    # a text's bytes and the next row's do not run together: moving characters across rows moves the digest
    moved = [dict(r) for r in rows]
    moved[0]["text"], moved[1]["text"] = rows[0]["text"] + "全", rows[1]["text"][1:]
    assert repair._cluster_digests(pa.Table.from_pylist(moved, schema=MEMBERS))["c1"] != base["c1"]


def test_a_hard_wrapped_copy_that_lost_its_paragraphs_is_not_the_base():
    b = body()
    flat = "".join(line.strip() for line in b.splitlines())
    wrapped = "\n".join(flat[i : i + 37] for i in range(0, len(flat), 37))  # a PDF-to-text page: paragraphs lost
    wrapped += "\n本报告中的数据均为初步统计数，最终数据以统计年鉴为准，部分指标按可比价格计算增长速度。"  # a longer edition: the longest unflagged copy was the base
    clean, reflowed = member("b-clean", b), member("a-wrapped", wrapped)
    assert "hard_wrapped" in reflowed["quality_flags"] and "hard_wrapped" not in clean["quality_flags"]
    # the wrapped copy's outline headings glued after a sentence are split again (normalize._split_glued_headings), its
    # other paragraphs stay lost
    assert len(reflowed["text"]) > len(clean["text"]) and clean["text"].count("\n") > 1.4 * reflowed["text"].count("\n")
    speech, _ = repair_cluster("c14", [reflowed, clean])
    assert speech["base_id"] == "b-clean" and speech["best_text"] == clean["text"]


def test_symbols_a_legacy_encoding_lost_are_filled_from_a_copy_that_has_them():
    from tasks.ingest import decode_bytes

    b = body().replace("\n", "\n人口自然增长率6.1‰，三次产业结构调整为10.1∶48.8∶41.1。\n", 1)
    import opencc

    trad = opencc.OpenCC("s2t").convert(b)
    text, _ = decode_bytes(trad.encode("big5", errors="replace"))  # a Big5 page: ‰ and ∶ became `?`
    lossy = member("a-big5", text)
    assert "6.1?，" in lossy["text"] and "10.1?48.8?41.1" in lossy["text"]
    other = {**member("b-spun", spin(b, random.Random(4))), "quality_flags": ["foreign_word", "placeholder", "spun"]}
    speech, rows = repair_cluster("c15", [lossy, other])
    assert speech["base_id"] == "a-big5"
    assert "增长率6.1‰，三次产业结构调整为10.1∶48.8∶41.1。" in speech["best_text"]
    filled = {(r["before"], r["after"]) for r in rows if r["kind"] == "lost_chars"}
    assert {("?", "‰"), ("?", "∶")} <= filled
    # a question mark the copies agree on, or a full-width one, is no lost symbol
    q = member("c", "会议提出：能否达到6.1?\n" + b)
    q2 = {**member("d", "会议提出：能否达到6.1？\n" + b), "quality_flags": ["spun", "foreign_word"]}
    speech, rows = repair_cluster("c16", [q, q2])
    assert speech["best_text"].startswith("会议提出：能否达到6.1?") and not [
        r for r in rows if r["kind"] == "lost_chars"
    ]


def test_a_copy_whose_pinyin_was_removed_is_the_base_before_a_copy_with_lost_characters():
    from tests.test_dedupe import traditional_with_pinyin

    b = body()
    clean = member("z", b)["text"]
    lossy = member("a-lossy", re.sub("[\u4e00-\u9fff]{12}", lambda m: m.group(0)[:6] + "\ufffd" + m.group(0)[7:], b))
    lossy["text"] += "\n各位代表，让我们紧密团结起来，奋力谱写新篇章！"  # the longer copy
    trad = member("b-trad", traditional_with_pinyin(b))
    assert lossy["quality_flags"] == ["lost_chars"] and trad["quality_flags"] == ["pinyin_removed"]
    assert trad["text"] == clean
    speech, _ = repair_cluster("c17", [lossy, trad])
    assert speech["base_id"] == "b-trad" and speech["best_text"] == clean


def test_a_copy_with_lost_characters_the_others_mend_is_a_better_base_than_a_hard_wrapped_one():
    b = body()
    flat = "".join(line.strip() for line in b.splitlines())
    wrapped = member(
        "a-wrapped",
        "\n".join(flat[i : i + 37] for i in range(0, len(flat), 37))
        + "\n本报告全文刊载于淮安日报，欢迎广大市民和社会各界人士提出宝贵意见和建议，共同建设美好淮安。",
    )
    lossy = member("b-lossy", re.sub("[\u4e00-\u9fff]{12}", lambda m: m.group(0)[:6] + "\ufffd" + m.group(0)[7:], b))
    assert wrapped["quality_flags"] == ["hard_wrapped"] and lossy["quality_flags"] == ["lost_chars"]
    assert len(wrapped["text"]) > len(lossy["text"])
    speech, rows = repair_cluster("c18", [wrapped, lossy])
    assert speech["base_id"] == "b-lossy" and {r["kind"] for r in rows} == {"lost_chars"}
    assert speech["best_text"] == member("z", b)["text"]  # every lost character filled from the wrapped copy


def _undo(best: str, rows: list[dict]) -> str:
    """best_text with every change undone from its end: the base copy's text, if the rows explain best_text."""
    text = best
    for r in sorted(rows, key=lambda r: (-r["position"], r["kind"] != "truncated_tail")):
        if r["kind"] == "truncated_tail":
            text = text[: r["position"]]
        elif r["kind"] != "conflict":
            text = text[: r["position"]] + r["before"] + text[r["position"] + len(r["after"]) :]
    return text


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_repairs_rows_explain_every_character_best_text_changed(seed):
    """Undoing the published rows from best_text gives the base copy back: no change is unrecorded."""
    rng = random.Random(seed)
    b = body()
    clean = member("z", b)["text"]
    cut = {"doc_id": "a-cut", "text": clean[: clean.rfind("\n", 0, int(len(clean) * 0.9))], "quality_flags": []}
    copies = [
        cut,
        {**member("b-spun", spin(b, rng)), "quality_flags": ["spun"]},
        member("c-placeholder", placeholders(b, rng)),
        member("d-lost", lose(b, rng)),
        member("e-truncated", truncate(spin(b, rng), 0.5)),
    ]
    speech, rows = repair_cluster("c19", copies)
    base = next(m for m in copies if m["doc_id"] == speech["base_id"])
    assert rows and _undo(speech["best_text"], rows) == base["text"]
    assert set(speech["sources"]) == {speech["base_id"], *(d for r in rows for d in r["evidence"])}


def test_spin_contexts_searched_only_in_windows_holding_a_context_trigger_equal_the_whole_search():
    """`_context_spans` skips the spun_spans windows without a context trigger word (开展, 那么, 效劳, 成认):
    the spin_context edits equal those of every SPUN match (the whole-text search), on random texts dense
    in every trigger, the context words SPUN's alternatives need around them, and the characters before 那么."""
    import random

    from tasks import normalize_rules as R
    from tasks.repair import _CONTEXT_TRIGGERS, _RULE_PRECEDES, _context_edits
    from tasks.vocab import SPIN_PAIRS

    def reference(text: str, taken: list) -> list[dict]:  # the code before: every match of the whole text
        out = []
        for m in R.SPUN.finditer(text):
            for t in R.SPUN_TRIGGER.finditer(text, m.start(), m.end()):
                word = t.group(0)
                s, e = t.span()
                if word not in _CONTEXT_TRIGGERS or (word == "那么" and (s == 0 or text[s - 1] not in _RULE_PRECEDES)):
                    continue
                if any(s < te and ts < e for ts, te in taken):
                    continue
                out.append({"start": s, "end": e, "after": SPIN_PAIRS[word], "kind": "spin_context", "evidence": []})
                taken.append((s, e))
        return out

    words = sorted(SPIN_PAIRS) + sorted({w for pair in R.SPUN_CONTEXT.values() for ws in pair for w in ws})
    words += [*_RULE_PRECEDES, "公共", "原", "表达了", "发展思想", "工作", "的", "我们"]
    filler = [*"的了是在和我们要加强工作经济社会发展建设", "。", "，", "；", "\n"]
    rng = random.Random(46)
    hits = 0
    for _ in range(600):
        pieces = [rng.choice(words) if rng.random() < 0.45 else rng.choice(filler) for _ in range(rng.randint(5, 160))]
        if rng.random() < 0.3:  # long runs of filler between triggers: windows apart
            pieces = [p + "".join(rng.choice(filler[:-4]) for _ in range(rng.randint(0, 40))) for p in pieces]
        text = "".join(pieces)
        taken = [(k, k + 2) for k in range(0, len(text), rng.randint(50, 400))] if rng.random() < 0.3 else []
        want = reference(text, list(taken))
        assert _context_edits(text, list(taken)) == want, text
        hits += len(want)
    assert hits > 100  # the texts do hold spin contexts


def test_a_window_without_a_context_trigger_is_not_searched_for_spin_contexts():
    """A SPUN match on another trigger (表达公平) gives no spin_context edit, so its window is not searched;
    a window holding 开展 is, and gives spun_spans' spans there."""
    from tasks import normalize_rules as R
    from tasks.repair import _context_spans

    far = "我们要继续努力。" * 10
    text = "坚持表达公平" + far + "推动经济开展速度加快"
    everything = R.spun_spans(text)
    assert len(everything) == 2
    assert list(_context_spans(text)) == everything[1:]
