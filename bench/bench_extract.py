"""Extraction accuracy (precision/recall per field) and speed (MB/s per core).

Dev set: the lawtext government reports in ../shared/corpus/real/lawtext__gov — labels from the file
name (`<level>__<region>__<year>.txt`) and the front-matter `title:` (date and speaker, `（2016年1月18日
惠建林）`); the front matter is STRIPPED before extraction so labels are not read back — plus the seeds'
hand labels (tests/fixtures/extract/seeds.json).

    python -m bench.bench_extract [--corpus ../shared/corpus] [--show FIELD] [--limit N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tasks import extract_regions as regions  # noqa: E402
from tasks.extract import extract_fields, extract_tables, term_counts  # noqa: E402

FIELDS = ["title", "doc_type", "speaker_name", "speaker_title", "admin_level", "region", "region_code",
          "meeting", "delivered_on", "published_on", "year", "source_site", "anonymized_speaker"]
FM_RE = re.compile(r"^\s*---\s*\n(.*?)\n---\s*\n", re.S)
FM_DATE_NAME_RE = re.compile(r"[（(]\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*([\u4e00-\u9fff·]{2,10})?\s*[）)]")
FM_NAME_OFFICE_RE = re.compile(r"^([\u4e00-\u9fff]{2,3})(?:市长|省长|主席|代市长)在")


def _normalizer():
    try:
        from tasks.normalize import normalize_text

        return normalize_text
    except Exception:
        return None


def normalize(raw: str):
    nt = _normalizer()
    if nt is None:
        from tasks.extract_text import simplify

        return simplify(raw), []
    n = nt(raw)
    return n.text, list(n.removed_lines)


def _region_label(level: str, name: str) -> tuple[str | None, str | None, str | None]:
    if level == "国务院":
        return "中华人民共和国", None, "national"
    divs = [d for d in regions.lookup(name) if d.status == "current" and d.level in ("province", "prefecture")]
    if not divs:
        return name, None, None
    d = divs[0]
    return d.full_name, d.code, d.level


def lawtext_cases(corpus: Path) -> list[tuple[str, str, dict]]:
    cases = []
    for p in sorted((corpus / "real" / "lawtext__gov").glob("*.txt")):
        parts = p.stem.split("__")
        level, name, year = (parts[0], "", parts[1]) if len(parts) == 2 else parts[:3]
        raw = p.read_text("utf-8", errors="replace")
        label: dict = {"doc_type": "政府工作报告"}
        fm = FM_RE.match(raw)
        title = ""
        if fm:
            m = re.search(r"^title:\s*(.+)$", fm.group(1), re.M)
            title = m.group(1).strip() if m else ""
            raw = raw[fm.end():]
        # Misfiled copies (淮南市 holding 淮安市's report): the front-matter title names the real city.
        tm = re.match(r"^([\u4e00-\u9fff]{2,8}?[市州盟])", title)
        if tm and name and tm.group(1) != name and regions.lookup(tm.group(1)):
            name = tm.group(1)
        label["region"], label["region_code"], label["admin_level"] = _region_label(level, name)
        y = re.match(r"\d{4}", year)
        label["year"] = int(y.group(0)) if y else None
        m = FM_DATE_NAME_RE.search(title)
        if m:
            label["delivered_on"] = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if m.group(4):
                label["speaker_name"] = m.group(4)
            # schema: year is delivered_on's year (a December session files under the next year's name)
            label["year"] = label["delivered_on"].year
        m = FM_NAME_OFFICE_RE.match(title)
        if m:
            label["speaker_name"] = m.group(1)
        cases.append((p.name, raw, label))
    return cases


def seed_cases() -> list[tuple[str, str, dict]]:
    labels = json.loads((ROOT / "tests" / "fixtures" / "extract" / "seeds.json").read_text("utf-8"))
    out = []
    for name, lab in labels.items():
        if name.startswith("_"):
            continue
        raw = (ROOT / "data" / "samples" / "seeds" / name).read_text("utf-8", errors="replace")
        lab = dict(lab)
        for k in ("delivered_on", "published_on"):
            if lab.get(k):
                lab[k] = dt.date.fromisoformat(lab[k])
        out.append((name, raw, lab))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--show", default="", help="print the misses of this field")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    cases = seed_cases()
    if (corpus / "real" / "lawtext__gov").exists():
        cases += lawtext_cases(corpus)
    else:
        print(f"(no dev corpus at {corpus}: seeds only)")
    if args.limit:
        cases = cases[: args.limit]
    prepared = [(n, raw, *normalize(raw), lab) for n, raw, lab in cases]
    regions.load_gazetteer()
    term_counts("预热分词器")
    stats = {f: [0, 0, 0, 0] for f in FIELDS}  # predicted, correct_pred, labelled, correct_labelled
    misses: dict[str, list] = {f: [] for f in FIELDS}
    n_bytes = 0
    t_fields = t_tables = t_terms = 0.0
    for name, raw, text, removed, lab in prepared:
        n_bytes += len(text.encode("utf-8"))
        t0 = time.process_time()
        out = extract_fields(text, raw_text=raw, removed_lines=removed)
        t1 = time.process_time()
        extract_tables(name, text)
        t2 = time.process_time()
        term_counts(text)
        t3 = time.process_time()
        t_fields += t1 - t0
        t_tables += t2 - t1
        t_terms += t3 - t2
        out["anonymized_speaker"] = bool(out["flags"].get("anonymized_speaker"))
        for f in FIELDS:
            if f not in lab:
                continue  # this source carries no label for the field
            gold, pred = lab[f], out.get(f)
            st = stats[f]
            if pred not in (None, False) or (f == "anonymized_speaker" and pred is not None):
                st[0] += 1
                st[1] += pred == gold
            if gold not in (None,):
                st[2] += 1
                st[3] += pred == gold
            if pred != gold:
                misses[f].append((name, gold, pred))
    print(f"documents: {len(prepared)} ({n_bytes / 1e6:.2f} MB of normalized text)")
    print(f"{'field':<20}{'precision':>10}{'recall':>10}{'pred':>7}{'gold':>7}")
    for f in FIELDS:
        p, cp, g, cg = stats[f]
        prec = cp / p if p else float("nan")
        rec = cg / g if g else float("nan")
        print(f"{f:<20}{prec:>10.1%}{rec:>10.1%}{p:>7}{g:>7}")
    total = t_fields + t_tables + t_terms
    mb = n_bytes / 1e6
    print(f"speed (CPU time, one core): fields {mb / t_fields:.2f} MB/s, tables {mb / t_tables:.2f} MB/s, "
          f"jieba terms {mb / t_terms:.2f} MB/s, all {mb / total:.2f} MB/s")
    if args.show:
        for name, gold, pred in misses.get(args.show, []):
            print(f"  {name}: gold={gold!r} pred={pred!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
