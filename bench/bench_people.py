"""Precision and recall of person mentions on the hand-checked sample in bench/labels/people.jsonl.

Labels: one JSON line per person mention — doc (path under the shared corpus), start/end (offsets of the name in
the file's UTF-8 text), name, office (the office written next to it, or null). Scope: full personal names
(surname + given name) of real people, and names written with a middle dot (川·立派); surname-only forms (毛主席,
朱区长), given names alone (建平、立彬同志), undotted foreign transliterations (伏罗希洛夫, 马哈迪尔) and, since
session 42, a leader's name that names a doctrine (毛泽东思想, 邓小平理论: extract_people.DOCTRINE_RE, applied to the
labels here) are out of scope. The labels were checked by reading every candidate in
context: the extractor's output and, independently, jieba's `nr` tokens and every `同志` not preceded by a found
name (misses found that way are in the file, e.g. 唐仁健).

    python -m bench.bench_people [CORPUS]   # default /work/shared/corpus
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from tasks.extract_people import DOCTRINE_RE, _freq, person_mentions

LABELS = Path(__file__).parent / "labels"
# people.jsonl: 34 documents read while the rules were written (development set).
# people_heldout.jsonl: 7 documents labelled afterwards; its first score is the honest one (see docs/analysts.md).
LABEL_FILES = ("people.jsonl", "people_heldout.jsonl")


def main(corpus: str = "/work/shared/corpus") -> None:
    person_mentions("d", "省委书记周本顺同志，涌现出朱亚民、吴义海等")  # load jieba and the gazetteer before timing
    _freq()
    for name in LABEL_FILES:
        print(f"== {name}")
        score(corpus, [json.loads(x) for x in (LABELS / name).read_text("utf-8").splitlines() if x.strip()])


def score(corpus: str, labels: list[dict]) -> None:
    texts = {d: (Path(corpus) / d).read_text("utf-8") for d in sorted({x["doc"] for x in labels})}
    doctrine = [x for x in labels if DOCTRINE_RE.match(texts[x["doc"]], x["end"])]
    labels = [x for x in labels if x not in doctrine]
    if doctrine:
        print(
            f"{len(doctrine)} labelled names of a doctrine left out (毛泽东思想, 邓小平理论: not mentions since session 42)"
        )
    gold = {(x["doc"], x["start"], x["name"]) for x in labels}
    gold_office = {(x["doc"], x["start"]): x["office"] for x in labels}
    docs = sorted({x["doc"] for x in labels})
    found, chars, secs = set(), 0, 0.0
    office_ok = 0
    for d in docs:
        text = texts[d]
        chars += len(text)
        t0 = time.perf_counter()
        rows = person_mentions("d", text)
        secs += time.perf_counter() - t0
        for r in rows:
            ns = r["start"] + r["text"].find(r["name"])
            found.add((d, ns, r["name"]))
            if (d, ns) in gold_office and gold_office[(d, ns)] == r["office"]:
                office_ok += 1
    tp = len(found & gold)
    fp, fn = sorted(found - gold), sorted(gold - found)
    print(f"documents {len(docs)}  labelled person mentions {len(gold)}  found {len(found)}")
    print(
        f"precision {tp / max(1, len(found)):.3f}  recall {tp / max(1, len(gold)):.3f}  office exact {office_ok}/{tp}"
    )
    print(f"speed {chars / max(secs, 1e-9) / 1e6:.2f} M chars/s ({chars:,} chars in {secs:.2f} s)")
    for name, rows in (("false positives", fp), ("misses", fn)):
        if rows:
            print(f"{name}: " + ", ".join(f"{n}@{Path(d).name[:24]}:{s}" for d, s, n in rows[:20]))
    print("top names:", Counter(n for _, _, n in found).most_common(8))


if __name__ == "__main__":
    main(*sys.argv[1:])
