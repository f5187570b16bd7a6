"""Benchmark of best_text: copies that are each damaged differently repair each other.

From ../shared/corpus/real, sample reports; give each one several copies, every copy damaged in a
different way (truncated after 40-75 %, spun words, ×/XX placeholders, lost characters `?`, with or
without site chrome), run them through the real normalize stage, withhold the clean original, and
let `repair_cluster` build best_text. Checked against the normalized clean original:

- recovered: share of the original's sentences that at least one copy still has which best_text has
  (beside it: the same share for the best single copy of each speech);
- harmful: repairs whose sentence was correct before the change and is wrong after it.

    python bench/bench_repair.py [--corpus DIR] [--speeches N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import shared_corpus  # noqa: E402
from bench.devset_dedupe import (  # noqa: E402
    _strip_front_matter,
    chrome,
    placeholder,
    spun,
    truncated,
)
from tasks.normalize import normalize_text  # noqa: E402
from tasks.repair import repair_cluster  # noqa: E402

DEFAULT_CORPUS = shared_corpus() / "real"
SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
HAN = re.compile(r"[\u4e00-\u9fff]")
MIN_SENTENCE_HAN = 4  # shorter pieces (一、 / 同志们：) say nothing about repair


def lost(text: str, rng: random.Random) -> str:
    """Characters lost in encoding: about 1 % of Han characters become `?` (some runs `??`)."""
    out = []
    for ch in text:
        if HAN.match(ch) and rng.random() < 0.01:
            out.append("??" if rng.random() < 0.3 else "?")
        else:
            out.append(ch)
    return "".join(out)


PRIMARY = {"truncated": truncated, "spun": spun, "placeholder": placeholder, "lost": lost}


def copies_of(body: str, rng: random.Random) -> list[tuple[str, str]]:
    """One copy per primary damage; some get a second damage and site chrome on top."""
    out = []
    kinds = list(PRIMARY)
    rng.shuffle(kinds)
    for kind in kinds:
        text = PRIMARY[kind](body, rng)
        label = [kind]
        if rng.random() < 0.3:
            second = rng.choice([k for k in ("spun", "placeholder", "lost") if k != kind])
            text = PRIMARY[second](text, rng)
            label.append(second)
        if rng.random() < 0.5:
            text = chrome(text, rng)
            label.append("chrome")
        out.append(("+".join(label), text))
    return out


def sentences(text: str) -> list[str]:
    return [s for s in (m.group(0).strip() for m in SENTENCE.finditer(text)) if len(HAN.findall(s)) >= MIN_SENTENCE_HAN]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--speeches", type=int, default=80)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--show", type=int, default=5, help="print this many wrong or missed sentences")
    args = ap.parse_args()
    files = sorted(args.corpus.glob("*/*.txt"))
    rng = random.Random(args.seed)
    files = sorted(rng.sample(files, min(args.speeches, len(files))))

    held = got = best_copy = 0
    harmful = good = undecided = 0
    kinds: Counter = Counter()
    n_chars = 0
    seconds = cpu = 0.0
    shown = 0
    for f in files:
        body = _strip_front_matter(f.read_text(encoding="utf-8", errors="replace"))
        clean = normalize_text(body).text
        if len(clean) < 500:
            continue
        truth = set(sentences(clean))
        members = []
        r = random.Random(f"{args.seed}:{f.name}")
        for i, (label, raw) in enumerate(copies_of(body, r)):
            norm = normalize_text(raw)
            members.append({"doc_id": f"{i}:{label}", "text": norm.text, "quality_flags": sorted(norm.flags)})
        n_chars += sum(len(m["text"]) for m in members)
        t0, c0 = time.perf_counter(), time.process_time()
        speech, rows = repair_cluster(f.name, members)
        seconds += time.perf_counter() - t0
        cpu += time.process_time() - c0
        copy_sets = [set(sentences(m["text"])) & truth for m in members]
        have = set().union(*copy_sets)
        best_sents = set(sentences(speech["best_text"]))
        held += len(have)
        got += len(have & best_sents)
        best_copy += max(len(s) for s in copy_sets)
        for missed in sorted(have - best_sents)[: max(0, args.show - shown)]:
            print(f"  missed [{f.name}] {missed[:80]}")
            shown += 1
        best = speech["best_text"]
        for row in rows:
            kinds[row["kind"]] += 1
            if row["kind"] in ("conflict", "truncated_tail"):
                continue
            pos = row["position"]
            lo = max(best.rfind(c, 0, pos) for c in "。！？；\n") + 1
            hi_c = [best.find(c, pos + len(row["after"])) for c in "。！？；\n"]
            hi = min([h + 1 for h in hi_c if h >= 0] or [len(best)])
            sent = best[lo:hi].strip()
            if sent in truth:
                good += 1
                continue
            undone = (best[lo:pos] + row["before"] + best[pos + len(row["after"]) : hi]).strip()
            if undone in truth:
                harmful += 1
                print(f"  HARMFUL [{f.name}] {row['before']}->{row['after']}: {sent[:80]}")
            else:
                undecided += 1
    print(
        f"speeches {len(files)}, copies' text {n_chars:,} chars, repair wall {seconds:.2f} s, "
        f"CPU {cpu:.2f} s ({n_chars / max(cpu, 1e-9) / 1e6:.2f} M chars/CPU-s; the machine is shared)"
    )
    print(f"sentences held by at least one copy: {held:,}")
    print(f"best_text recovers:  {got / held:.4%}  ({got:,})")
    print(f"best single copy:    {best_copy / held:.4%}  ({best_copy:,})")
    print(f"repairs by kind: {dict(sorted(kinds.items()))}")
    print(f"repairs in a sentence now correct: {good:,}; harmful (correct -> wrong): {harmful}; other: {undecided:,}")


if __name__ == "__main__":
    main()
