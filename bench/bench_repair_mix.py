"""End-to-end benchmark of the copies repairing each other: mixes of copies through the whole pipeline.

`bench/bench_repair.py` calls `repair_cluster` on four copies of each speech. This one writes copy sets
of real reports (../shared/corpus/real) to a landing folder the way a crawl would hold them, runs the
CLI on it, and scores what an analyst reads (`speech_texts.best_text`) against the clean original
(normalized by the pipeline: the original's own document in a scratch run). Mixes:

  two       2 noisy copies (spun + chrome, placeholders)
  three     3 noisy copies (truncated with notice, spun, lost characters)
  five      5 noisy copies (truncated, spun + chrome, placeholders, Traditional + pinyin, GBK bytes)
  twenty    20 noisy copies, random damage of every kind
  clean     the clean original + 3 noisy copies
  cut_long  a copy cut silently at a paragraph end near its end (no notice) + chrome, the longest copy;
            the others complete but with placeholders / redacted names
  edit      two versions (a figure updated, a sentence added) + a spun copy of each
  redacted  all copies lose place names (`使的增速`) or have placeholders
  trad      Traditional + pinyin copies and a Big5 copy
  all_spun  every copy spun (80 % of the swappable words, each copy its own), some with other damage
  edit_ph   two versions, every copy damaged: v1 with placeholders, v2 spun + placeholders, v2 with lost characters
  reflowed  two copies hard-wrapped (paragraphs lost), one with ASCII punctuation and lost characters, one truncated

Scores per mix: character accuracy (1 - Levenshtein / len(original)) of best_text, of the base copy
and of the best single copy; sentences of the original that best_text lost although some copy had
them; repairs that made a correct sentence wrong; clusters split or merged; and whether the repairs
table explains best_text (applying the rows in reverse to best_text gives the base copy's text).

    python bench/bench_repair_mix.py OUT_DIR [--corpus DIR] [--per-mix N] [--seed S] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from bench.devset_dedupe import (  # noqa: E402
    DEFAULT_CORPUS,
    _strip_front_matter,
    ascii_punct,
    chrome,
    placeholder,
    read_pairs,
    reflow,
    spun,
    traditional_pinyin,
    truncated,
)

HAN = re.compile(r"[\u4e00-\u9fff]")
SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
MIN_SENTENCE_HAN = 4
MIN_CHARS, MAX_CHARS = 6_000, 40_000  # reports of this size: the run stays ~1 min


def lost(text: str, rng: random.Random) -> str:
    return "".join(("?" if HAN.match(c) and rng.random() < 0.01 else c) for c in text)


def redacted(text: str, rng: random.Random) -> str:
    """Place names cut out, leaving nothing (seed 004: `使的增速`)."""
    return re.sub(
        r"[\u4e00-\u9fff]{2}(?:市|县|区)(?=的|人民|经济|全)", lambda m: "" if rng.random() < 0.6 else m.group(0), text
    )


def cut_silently(text: str, rng: random.Random) -> str:
    """The last page lost without a notice: cut at a paragraph end in the last 3-8 % of the text."""
    lo = int(len(text) * rng.uniform(0.92, 0.97))
    cut = text.rfind("\n", 0, lo)
    return text[: cut if cut > len(text) // 2 else lo]


def edited(text: str, rng: random.Random) -> str:
    """Another version: one figure updated, one sentence added after a paragraph in the middle."""
    nums = list(re.finditer(r"\d+(?:\.\d+)?(?=%|亿|万|个|家|项)", text))
    if nums:
        m = nums[len(nums) // 2]
        text = text[: m.start()] + str(int(float(m.group(0))) + 7) + text[m.end() :]
    mid = text.find("\n", len(text) // 2)
    if mid > 0:
        text = text[:mid] + "\n各级政府要认真落实本报告提出的各项任务，确保取得实效。" + text[mid:]
    return text


DAMAGE = {
    "spun": spun,
    "placeholder": placeholder,
    "lost": lost,
    "truncated": truncated,
    "trad": traditional_pinyin,
    "redacted": redacted,
    "ascii": ascii_punct,
    "reflow": reflow,
    "chrome": chrome,
    "cut": cut_silently,
}


def apply(body: str, spec: str, rng: random.Random) -> str | bytes:
    text: str | bytes = body
    for kind in spec.split("+"):
        if kind == "clean":
            continue
        if kind in ("gbk", "big5"):
            assert isinstance(text, str)
            enc = "gbk" if kind == "gbk" else "big5"
            if enc == "big5":
                import opencc

                text = opencc.OpenCC("s2t").convert(text)
            return text.encode(enc, errors="replace")
        assert isinstance(text, str)
        text = DAMAGE[kind](text, rng)
    return text


def twenty(rng: random.Random) -> list[str]:
    kinds = ["spun", "placeholder", "lost", "truncated", "trad", "redacted", "ascii", "reflow"]
    out = []
    for _ in range(20):
        spec = rng.sample(kinds, rng.choice([1, 1, 2]))
        if "truncated" in spec:  # truncation last, as a site cuts what it shows
            spec = [k for k in spec if k != "truncated"] + ["truncated"]
        if rng.random() < 0.4:
            spec.append("chrome")
        out.append("+".join(spec))
    return out


MIXES = {
    "two": lambda r: ["spun+chrome", "placeholder"],
    "three": lambda r: ["truncated", "spun", "lost"],
    "five": lambda r: ["truncated", "spun+chrome", "placeholder", "trad", "gbk"],
    "twenty": twenty,
    "clean": lambda r: ["clean", "spun", "placeholder+chrome", "truncated"],
    "cut_long": lambda r: ["cut+chrome", "placeholder", "redacted+placeholder"],
    "edit": lambda r: ["clean", "edit", "spun", "edit+spun"],
    "redacted": lambda r: ["redacted", "redacted+spun", "placeholder"],
    "trad": lambda r: ["trad", "trad+spun", "big5"],
    "all_spun": lambda r: ["spun", "spun+chrome", "spun+lost", "spun+placeholder"],
    "edit_ph": lambda r: ["placeholder", "edit+spun+placeholder", "edit+lost"],
    "reflowed": lambda r: ["reflow+chrome", "reflow+spun", "ascii+lost", "truncated"],
}


def build(corpus: Path, land: Path, per_mix: int, seed: int) -> dict:
    paired = {x for a, b, _ in read_pairs(corpus) for x in (a, b)}
    files = []
    for p in sorted(corpus.glob("*/*.txt")):
        rel = str(p.relative_to(corpus))
        if rel in paired:
            continue
        body = _strip_front_matter(p.read_text(encoding="utf-8", errors="replace"))
        if MIN_CHARS <= len(body) <= MAX_CHARS:
            files.append((rel, body))
    rng = random.Random(seed)
    rng.shuffle(files)
    meta: dict = {}
    k = 0
    for mix, specs in MIXES.items():
        for _ in range(per_mix):
            rel, body = files[k]
            k += 1
            name = f"{mix}/{Path(rel).stem}"
            r = random.Random(f"{seed}:{name}")
            versions = {"v1": body, "v2": edited(body, r)}
            (land.parent / "originals" / mix).mkdir(parents=True, exist_ok=True)
            for v, t in versions.items():
                (land.parent / "originals" / f"{name}.{v}.txt").write_text(t, encoding="utf-8")
            copies = []
            for i, spec in enumerate(specs(r)):
                src = versions["v2"] if spec.startswith("edit") else body
                spec2 = spec.removeprefix("edit").lstrip("+") or "clean"
                data = apply(src, spec2, r)
                path = land / name / f"copy{i:02d}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(data, bytes):
                    path.write_bytes(data)
                else:
                    path.write_text(data, encoding="utf-8")
                copies.append({"path": str(path.relative_to(land)), "spec": spec})
            meta[name] = {"mix": mix, "source": rel, "copies": copies}
    return meta


def run_cli(inputs: list[Path], out: Path, workers: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "flows.cli", "run", *map(str, inputs), "--out", str(out), "--workers", str(workers)]
    subprocess.run(cmd, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def sentences(text: str) -> set[str]:
    return {s for s in (m.group(0).strip() for m in SENTENCE.finditer(text)) if len(HAN.findall(s)) >= MIN_SENTENCE_HAN}


def acc(x: str, truth: str) -> float:
    return 1 - Levenshtein.distance(x, truth) / max(1, len(truth))


def unapply(best: str, rows: list[dict]) -> str:
    """best_text with every non-conflict repair undone, from the end: what the base copy was."""
    text = best
    for r in sorted(rows, key=lambda r: (-r["position"], r["kind"] != "truncated_tail")):
        if r["kind"] == "conflict":
            continue
        p = r["position"]
        if r["kind"] == "truncated_tail":
            text = text[:p]
        else:
            text = text[:p] + r["before"] + text[p + len(r["after"]) :]
    return text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("work", type=Path)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--per-mix", type=int, default=5)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reuse", action="store_true", help="score an existing run in WORK/out")
    ap.add_argument("--show", type=int, default=3)
    args = ap.parse_args()
    land, out, orig_out = args.work / "land", args.work / "out", args.work / "orig-out"
    if not args.reuse:
        shutil.rmtree(args.work, ignore_errors=True)
        land.mkdir(parents=True)
        meta = build(args.corpus, land, args.per_mix, args.seed)
        (args.work / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        run_cli([args.work / "originals"], orig_out, args.workers)
    meta = json.loads((args.work / "meta.json").read_text(encoding="utf-8"))
    run_cli([land], out, args.workers)

    con = duckdb.connect()
    truth: dict[tuple[str, str], str] = {}
    for path, text in con.sql(
        f"select source_path, text from read_parquet('{orig_out}/documents/*.parquet')"
    ).fetchall():
        name, v, _ = path.rsplit(".", 2)
        truth[(name, v)] = text
    con.execute(f"SET VARIABLE corpus = '{out}'")
    con.execute((ROOT / "tasks" / "views.sql").read_text(encoding="utf-8"))
    docs = con.sql(
        "select doc_id, source_path, cluster_id, coalesce(cluster_id, doc_id) s, text from documents"
    ).fetchall()
    by_speech: dict[str, list] = defaultdict(list)
    where = {}
    for doc_id, path, _cid, sid, text in docs:
        name = path.rsplit("/", 1)[0]
        by_speech[sid].append((doc_id, name, text))
        where[doc_id] = name
    best = dict(con.sql("select speech_id, best_text from speech_texts").fetchall())
    base = dict(con.sql("select cluster_id, base_id from best_texts").fetchall())
    rep_rows: dict[str, list] = defaultdict(list)
    for cid, pos, before, after, kind in con.sql(
        "select cluster_id, position, before, after, kind from repairs"
    ).fetchall():
        rep_rows[cid].append({"position": pos, "before": before, "after": after, "kind": kind})

    names_of = defaultdict(set)
    for sid, members in by_speech.items():
        names_of[sid] = {n for _, n, _ in members}
    speeches_of = defaultdict(list)
    for sid, names in names_of.items():
        for n in names:
            speeches_of[n].append(sid)

    stats: dict[str, Counter] = defaultdict(Counter)
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    shown = Counter()
    for name, m in sorted(meta.items()):
        mix = m["mix"]
        st = stats[mix]
        st["speeches"] += 1
        sids = speeches_of.get(name, [])
        if len(sids) != 1:
            st["split"] += 1
        for sid in sids:
            if len(names_of[sid]) > 1:
                st["merged"] += 1
        sid = max(sids, key=lambda s: len(by_speech[s]))
        t1, t2 = truth[(name, "v1")], truth[(name, "v2")]
        b = best[sid]
        versions = [t1, t2] if mix == "edit" else [t1]
        tr = max(versions, key=lambda t: acc(b, t))
        member_texts = {d: t for d, n, t in by_speech[sid]}
        a_best = acc(b, tr)
        a_copy = max(max(acc(t, v) for v in versions) for t in member_texts.values())
        base_id = base.get(sid)
        base_text = member_texts.get(base_id, b)
        a_base = max(acc(base_text, v) for v in versions)
        sums[mix]["best_text"] += a_best
        sums[mix]["base"] += a_base
        sums[mix]["best_copy"] += a_copy
        if a_best + 1e-4 < a_copy:
            st["worse_than_best_copy"] += 1
            if shown[mix] < args.show:
                shown[mix] += 1
                print(f"  [{mix}] {name}: best_text {a_best:.4f} < best copy {a_copy:.4f} (base {a_base:.4f})")
        if sid in base and unapply(b, rep_rows.get(sid, [])) != base_text:
            st["unexplained"] += 1
        # sentences lost / harmed
        ts = sentences(tr)
        have = set().union(*(sentences(t) for t in member_texts.values())) & ts
        bs = sentences(b)
        st["sent_held"] += len(have)
        st["sent_lost"] += len(have - bs)
        if mix == "edit":
            st["mixed_versions"] += int(
                bool(sentences(t1) - sentences(t2) & bs) and bool(sentences(t2) - sentences(t1) & bs)
            )
        for r in rep_rows.get(sid, []):
            st[f"rep_{r['kind']}"] += 1
    print(
        f"{'mix':10} {'n':>3} {'best_text':>9} {'base':>7} {'bestcopy':>8} {'worse':>5} {'sentlost':>9} {'split':>5} {'merged':>6} {'unexpl':>6}  repairs"
    )
    tot = Counter()
    for mix in MIXES:
        st, sm = stats[mix], sums[mix]
        n = st["speeches"]
        if not n:
            continue
        tot.update(st)
        reps = {k[4:]: v for k, v in sorted(st.items()) if k.startswith("rep_")}
        print(
            f"{mix:10} {n:3} {sm['best_text'] / n:9.4f} {sm['base'] / n:7.4f} {sm['best_copy'] / n:8.4f} "
            f"{st['worse_than_best_copy']:5} {st['sent_lost']:4}/{st['sent_held']:<5} {st['split']:5} {st['merged']:6} "
            f"{st['unexplained']:6}  {reps}" + (f" mixed_versions={st['mixed_versions']}" if mix == "edit" else "")
        )
    n = sum(stats[m]["speeches"] for m in MIXES)
    print(
        f"{'all':10} {n:3} {sum(s['best_text'] for s in sums.values()) / n:9.4f} "
        f"{sum(s['base'] for s in sums.values()) / n:7.4f} {sum(s['best_copy'] for s in sums.values()) / n:8.4f} "
        f"{tot['worse_than_best_copy']:5} {tot['sent_lost']:4}/{tot['sent_held']:<5} {tot['split']:5} {tot['merged']:6} {tot['unexplained']:6}"
    )


if __name__ == "__main__":
    main()
