"""Ingest: every input becomes documents or rejects with a reason — whatever its bytes."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import tasks.ingest as ingest_mod
from tasks.ingest import (
    InputFile,
    Reject,
    accounting_gaps,
    accounting_key,
    decode_bytes,
    discover,
    discover_all,
    doc_id_for,
    fingerprint,
    ingest_files,
    plan_shards,
    unlayout_tables,
)
from tests.fixtures.fuzz import _write_bomb, build_fuzz_folder, speech
from tests.paths import REPO, SEEDS

SEED_000 = (SEEDS / "000_fc7753713425c55d.txt").read_text(encoding="utf-8")
SEED_004 = (SEEDS / "004_6b5c8583c107af7e.txt").read_text(encoding="utf-8")


def _ingest(path: Path):
    files = discover([str(path)])
    return ingest_files([(f, None) for f in files])


def _one_reject(tmp_path: Path, name: str, data: bytes):
    (tmp_path / name).write_bytes(data)
    got = _ingest(tmp_path / name)
    assert got.docs == [] and len(got.rejects) == 1, got
    return got.rejects[0]


# ---------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    "encoding,text",
    [("gb18030", SEED_000), ("big5hkscs", SEED_004), ("utf-16-le", SEED_000), ("utf-16-be", SEED_004)],
)
def test_legacy_and_bomless_encodings_decode_to_the_same_text(encoding, text):
    data = text.encode(encoding, errors="ignore")
    decoded, used = decode_bytes(data)
    assert decoded == data.decode(encoding)
    assert used.replace("_", "-").startswith(encoding.split("hkscs")[0].split("-")[0])


def test_pure_cjk_utf16_without_bom_or_nuls_is_still_read():
    han = "".join(ch for ch in SEED_000 if "\u4e00" <= ch <= "\u9fff")  # no ASCII: no NUL byte to show UTF-16
    for enc in ("utf-16-le", "utf-16-be"):
        assert decode_bytes(han.encode(enc)) == (han, enc)


def test_utf8_that_also_decodes_as_utf16_stays_utf8():
    """An even-length UTF-8 page of ASCII and Chinese decodes as UTF-16 too, into Han-looking noise (`aa` -> 慡): an
    inline base64 icon made a real page `no_text`, and a base64 file a page of noise. Valid UTF-8 wins."""
    import base64

    icon = base64.b64encode(bytes(range(256)) * 12).decode()
    page = f'<html><head><meta charset="utf-8"><link rel="icon" href="data:image/png;base64,{icon}"></head>'
    page += "".join(f"<p>{line}</p>" for line in SEED_000.splitlines()) + "</html>"
    data = page.encode("utf-8")
    data += b" " * (len(data) % 2)
    assert decode_bytes(data, html=True) == (data.decode("utf-8"), "utf-8")
    b64 = base64.b64encode(SEED_000.encode("utf-8"))
    assert decode_bytes(b64[: len(b64) // 2 * 2]) == (b64[: len(b64) // 2 * 2].decode("ascii"), "utf-8")


def test_shift_jis_is_not_read_as_utf16():
    """No Chinese encoding explains Shift-JIS: a decode_error reject, not a page of Han read as UTF-16."""
    from tasks.ingest import Reject

    data = ("日本語のテキストです。これはテストです。" * 60).encode("shift_jis")
    with pytest.raises(Reject, match="decode_error"):
        decode_bytes(data)


def test_an_html_fragment_is_read_like_a_page(tmp_path):
    """`<p>…</p>` with no <html>/<body> (a crawler that saved the article element) gave no text."""
    (tmp_path / "frag.HTML").write_text("<p>" + speech(1) * 3 + "</p>", encoding="utf-8")
    (tmp_path / "page.html").write_text("<html><body><p>" + speech(1) * 3 + "</p></body></html>", encoding="utf-8")
    got = ingest_files([(f, None) for f in discover([str(tmp_path)])])
    assert got.rejects == [] and len({d["raw_text"] for d in got.docs}) == 1


def test_utf8_bom_is_dropped_and_named():
    text, enc = decode_bytes("同志们：".encode("utf-8-sig") + SEED_000.encode())
    assert not text.startswith("\ufeff") and enc == "utf-8"


def test_truncated_utf8_keeps_everything_before_the_cut():
    data = SEED_000.encode("utf-8")
    cut = data[: len(data) - 1]  # last character loses a byte
    text, enc = decode_bytes(cut)
    assert enc == "utf-8" and SEED_000.startswith(text) and len(text) == len(SEED_000) - 1


def test_short_gbk_line_is_not_mistaken_for_another_encoding():
    text, enc = decode_bytes("同志们：今天我们召开全区经济工作会议。".encode("gbk"))
    assert text == "同志们：今天我们召开全区经济工作会议。" and enc == "gb18030"


def test_html_declared_charset_is_honoured():
    html = '<html><head><meta charset="gb2312"><title>讲话</title></head><body>区长讲话全文</body></html>'
    text, enc = decode_bytes(html.encode("gbk"), html=True)
    assert "区长讲话全文" in text and enc == "gb18030"


def test_undecodable_bytes_are_a_decode_error_with_advice():
    with pytest.raises(Reject) as exc:
        decode_bytes(b"\x81\x20\xff\xfd" * 5 + "同志们".encode() + b"\x81\x20\xff" * 50)
    assert exc.value.reason == "decode_error" and "convert the file to UTF-8" in exc.value.detail


# ---------------------------------------------------------------- rejects


def test_empty_file_is_rejected(tmp_path):
    r = _one_reject(tmp_path, "empty.txt", b"")
    assert r["reason"] == "empty" and "empty.txt" in r["source_path"]


def test_binary_file_is_rejected(tmp_path):
    r = _one_reject(tmp_path, "scan.txt", b"%PDF-1.4\x00\x01\x02" + bytes(range(256)) * 20)
    assert r["reason"] == "binary" and "binary" in r["detail"]


def test_hundred_megabyte_file_is_rejected_without_reading_it(tmp_path):
    big = tmp_path / "dump.txt"
    with open(big, "wb") as fh:  # sparse: costs no disk
        fh.truncate(100 * 1024 * 1024)
    r = _ingest(big).rejects[0]
    assert r["reason"] == "too_large" and "104,857,600 bytes" in r["detail"]


def test_unsupported_type_is_rejected(tmp_path):
    r = _one_reject(tmp_path, "page.pdf", b"%PDF-1.4 ...")
    assert r["reason"] == "unsupported_type" and ".pdf" in r["detail"]


@pytest.mark.parametrize("name", ["page.html.gz", "page.htm.gz", "page.txt.gz", "PAGE.XHTML.GZ"])
def test_gzipped_page_reads_as_the_page(tmp_path, name):
    """A crawler that keeps pages as sent (`page.html.gz`) had every page rejected `unsupported_type`."""
    plain = name[: -len(".gz")]
    inner = SEED_000 if plain.lower().endswith(".txt") else f"<html><body><p>{SEED_000}</p></body></html>"
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / plain).write_text(inner, encoding="gb18030")
    (tmp_path / "gz").mkdir()
    (tmp_path / "gz" / name).write_bytes(gzip.compress(inner.encode("gb18030")))
    want, got = _ingest(tmp_path / "plain"), _ingest(tmp_path / "gz")
    assert got.rejects == [] and len(got.docs) == 1
    for field in ("raw_text", "format", "encoding", "page_title"):
        assert got.docs[0].get(field) == want.docs[0].get(field), field


def test_gzipped_page_bomb_and_cut_download_are_rejects(tmp_path):
    cap = 1 << 20
    _write_bomb(tmp_path / "bomb.html.gz", 64 * cap)  # 64 MB of newlines in ~70 KB
    packed = gzip.compress(SEED_000.encode())
    (tmp_path / "cut.txt.gz").write_bytes(packed[: len(packed) // 2])
    got = {r["source_path"]: r for r in ingest_files([(f, None) for f in discover([str(tmp_path)])], cap).rejects}
    assert got["bomb.html.gz"]["reason"] == "too_large" and "inflated" in got["bomb.html.gz"]["detail"]
    assert got["cut.txt.gz"]["reason"] == "decode_error" and "re-download" in got["cut.txt.gz"]["detail"]


@pytest.mark.parametrize(
    "name,says",
    [
        ("speech.html.part", "renamed to its final name (speech.html)"),
        ("speech.txt.crdownload", "renamed to its final name (speech.txt)"),
        ("dump.jsonl.tmp", "renamed"),
        ("pages.7z", "unpack it"),
        ("pages.rar", "unpack it"),
        ("讲话稿.docx", "convert it"),  # doc-sharing sites' downloads
        ("讲话稿.wps", "convert it"),
        ("scan.pdf", "pdftotext"),
        ("crawl.arc.gz", "convert it to WARC"),
        ("speech.txt.headers", "read with that page"),
        ("speech.txt.aria2", "download in progress"),
    ],
)
def test_unsupported_names_say_what_to_do(tmp_path, name, says):
    """A crawler's half-written download and an archive were "unsupported file type '.part'; supported: …"."""
    r = _one_reject(tmp_path, name, SEED_000.encode())
    assert r["reason"] == "unsupported_type" and says in r["detail"], r["detail"]


@pytest.mark.parametrize(
    "name,data",
    [
        ("stray.txt", SEED_000.encode().replace("。".encode(), "。\0".encode(), 5)),  # a scraper's C strings
        ("stray.html", f"<html><body><p>{SEED_000}</p></body></html>".encode("gb18030").replace(b"\n", b"\0\n", 3)),
        ("prealloc.txt", SEED_000.encode("gb18030") + b"\0" * 65536),  # a download preallocated and cut short
    ],
)
def test_text_page_with_stray_nul_bytes_is_read(tmp_path, name, data):
    """A few NUL bytes in a text page (or a NUL-filled tail) made it a `binary` reject: "is it a PDF, image…?"."""
    (tmp_path / name).write_bytes(data)
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / name).write_bytes(data.replace(b"\0", b""))
    got, want = _ingest(tmp_path / name), _ingest(tmp_path / "clean" / name)
    assert got.rejects == [] and got.docs[0]["raw_text"] == want.docs[0]["raw_text"]
    assert got.docs[0]["encoding"] == want.docs[0]["encoding"]


def test_binary_bytes_stay_binary_whatever_their_nuls(tmp_path):
    rng = __import__("random").Random(7)
    noise = bytes(rng.randrange(256) for _ in range(50_000))  # compressed or encrypted: 1 NUL in 256
    assert _one_reject(tmp_path, "noise.txt", noise)["reason"] == "binary"
    few_nuls = bytes(b or 1 for b in noise[:4096]) + b"\0"  # controls alone make it binary
    assert _one_reject(tmp_path, "ctl.txt", few_nuls)["reason"] == "binary"


def _mixed_page(split: int) -> tuple[str, bytes]:
    """A UTF-8 page whose body from character `split` on was stored as GB18030 (a template around a GBK article)."""
    head = f"<html><head><meta charset='utf-8'><title>讲话</title></head><body><p>{SEED_000[:split]}"
    tail = f"{SEED_000[split:]}</p></body></html>"
    return head + tail, head.encode("utf-8") + tail.encode("gb18030")


@pytest.mark.parametrize("split", [len(SEED_000) // 2, SEED_000.index("\n", 200) + 1, 120])
def test_page_mixing_utf8_and_gb18030_is_read_whole(split):
    """Neither encoding explains such a page: it was a decode_error and the speech was lost. Its GBK characters
    whose bytes are valid UTF-8 pairs by chance (同 = CD AC) must not stay UTF-8 (`ͬ`)."""
    want, data = _mixed_page(split)
    text, encoding = decode_bytes(data, html=True)
    assert text == want and encoding == "utf-8+gb18030"


@pytest.mark.parametrize(
    "data",
    [
        ("Café résumé naïve » " * 300).encode("latin-1"),
        ("日本語のテキストです。" * 200).encode("shift_jis"),
        "全区领导干部大会上的讲话。".encode() * 50 + bytes(range(128, 256)) * 20,
    ],
)
def test_bytes_no_encoding_explains_stay_a_decode_error(data):
    with pytest.raises(Reject) as exc:
        decode_bytes(data)
    assert exc.value.reason in ("decode_error", "binary")


def test_too_short_text_is_rejected(tmp_path):
    r = _one_reject(tmp_path, "stub.txt", "讲话".encode())
    assert r["reason"] == "too_short"


def test_unreadable_file_is_a_read_error_not_a_crash(tmp_path):
    f = InputFile(str(tmp_path / "gone.txt"), "gone.txt", "gone.txt", 10)
    got = ingest_files([(f, None)])
    assert got.rejects[0]["reason"] == "read_error" and "exists" in got.rejects[0]["detail"]


# ---------------------------------------------------------------- formats


def test_html_page_main_text_and_title(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in SEED_000.splitlines()[4:30] if line.strip())
    html = (
        "<html><head><meta charset='utf-8'><title>全区领导干部大会上的讲话材料_布克知识网</title></head><body>"
        "<div class='nav'>首页 &gt; 正文</div><article><h1>全区领导干部大会上的讲话材料</h1>"
        f"{body}</article><footer>版权所有 © 布克知识网</footer></body></html>"
    )
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    got = _ingest(tmp_path / "page.html")
    assert len(got.docs) == 1, got.rejects
    doc = got.docs[0]
    assert doc["format"] == "html" and doc["page_title"] == "全区领导干部大会上的讲话材料_布克知识网"
    assert "今天这次全区三级干部大会" in doc["raw_text"] and "版权所有" not in doc["raw_text"]


@pytest.mark.parametrize(
    "row", ["<tr><td>首页 | 要闻</td></tr><tr><td>{}</td></tr>", "<tr><td>首页</td><td>{}</td></tr>"]
)
def test_a_speech_laid_out_in_one_table_cell_keeps_its_paragraphs(tmp_path, row):
    """The extractor renders a table cell's <br> as a space and its row as `| … |`: a page laid out in one <td> came
    out as one line between pipes (its title `| 政府工作报告`, its last sentence `…！ |`)."""
    paras = [line.strip() for line in SEED_000.splitlines()[4:30] if line.strip()]
    data = "<table><tr><td>指标</td><td>2020年</td></tr><tr><td>地区生产总值</td><td>1651亿元</td></tr></table>"
    cell = "<br>".join(paras) + data
    html = f"<html><head><meta charset='utf-8'></head><body><table>{row.format(cell)}</table></body></html>"
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    got = _ingest(tmp_path / "page.html")
    lines = got.docs[0]["raw_text"].split("\n")
    assert [p for p in paras if p in lines] == paras and not any("|" in line for line in lines if line in paras)
    assert "指标 2020年 地区生产总值 1651亿元" in got.docs[0]["raw_text"]  # a data table is read as before


def test_a_page_without_a_layout_table_is_parsed_as_it_came():
    html = "<html><body><table><tr><td>指标</td><td>1651亿元</td></tr></table><p>正文</p></body></html>"
    assert unlayout_tables(html) is html


def test_jsonl_gz_with_a_broken_line_keeps_the_good_records(tmp_path):
    lines = [
        json.dumps(
            {
                "text": SEED_000,
                "url": "https://www.bookzhi.com/a/1.html",
                "title": "讲话材料",
                "fetched_at": "2024-01-02",
            },
            ensure_ascii=False,
        ),
        '{"text": "broken',
        json.dumps({"content": SEED_004}, ensure_ascii=False),
        json.dumps({"no_text": 1}),
    ]
    (tmp_path / "crawl.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode("utf-8")))
    got = _ingest(tmp_path / "crawl.jsonl.gz")
    assert {d["record"] for d in got.docs} == {"L1", "L3"}
    assert all(d["source_path"] == "crawl.jsonl.gz" and d["input_root"].endswith("crawl.jsonl.gz") for d in got.docs)
    assert [d["doc_id"] for d in got.docs] == sorted(
        doc_id_for(d["content_sha256"], "crawl.jsonl.gz", d["record"]) for d in got.docs
    )
    first = next(d for d in got.docs if d["record"] == "L1")
    assert first["url"] == "https://www.bookzhi.com/a/1.html" and first["group"] == "www.bookzhi.com"
    assert first["fetched_at"] == "2024-01-02" and first["page_title"] == "讲话材料"
    reasons = {r["record"]: r["reason"] for r in got.rejects}
    assert reasons == {"L2": "bad_record", "L4": "bad_record"}


def test_jsonl_gz_padded_with_nuls_after_its_last_member_is_whole(tmp_path):
    """Tape and tar writers pad a gzip stream with NULs to a block: no member follows, so nothing is damaged (ingest's
    gzip reader is archives.inflate since session 46; the old reader took the padding for a corrupt member)."""
    records = "\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in (SEED_000, SEED_004)).encode()
    (tmp_path / "padded.jsonl.gz").write_bytes(gzip.compress(records) + b"\0" * 512)
    got = _ingest(tmp_path / "padded.jsonl.gz")
    assert sorted(d["record"] for d in got.docs) == ["L1", "L2"] and got.rejects == []


@pytest.mark.parametrize("name", ["dump.jsonl.bz2", "crawl.ndjson.xz", "pages.ndjson.gz", "hf.jsonl.zst"])
def test_jsonl_compressed_with_bzip2_or_xz_is_read_record_by_record(tmp_path, name):
    """A crawler's JSONL compressed whole with bzip2 or xz was `unsupported_type`: nothing of it was published."""
    import bz2
    import lzma

    def zstd(data: bytes) -> bytes:
        sink = pa.BufferOutputStream()
        stream = pa.CompressedOutputStream(sink, "zstd")
        stream.write(data)
        stream.close()
        return sink.getvalue().to_pybytes()

    codecs = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress, "zst": zstd}
    compress = codecs[name.rsplit(".", 1)[1]]
    lines = [json.dumps({"text": SEED_000}, ensure_ascii=False), '{"text": "broken', json.dumps({"content": SEED_004})]
    (tmp_path / name).write_bytes(compress("\n".join(lines).encode("utf-8")))
    got = _ingest(tmp_path / name)
    assert {d["record"] for d in got.docs} == {"L1", "L3"}
    assert {d["raw_text"][:20] for d in got.docs} == {SEED_000[:20], SEED_004[:20]}
    assert [(r["record"], r["reason"]) for r in got.rejects] == [("L2", "bad_record")]
    # cut at 2/3: the records before the cut are kept, the tail is one reject naming the codec (~2.5 MB of records:
    # bzip2 decodes whole 900 kB blocks, so a shorter file cut anywhere keeps nothing)
    import random

    rng = random.Random(7)  # noise, so the stream is not one long back-reference (xz would emit nothing early)
    n = 2_500_000 // (len(SEED_000.encode()) + 400)
    records = "\n".join(
        json.dumps({"text": f"{rng.randbytes(200).hex()} {SEED_000}"}, ensure_ascii=False) for _ in range(n)
    )
    data = compress(records.encode())
    (tmp_path / ("cut-" + name)).write_bytes(data[: len(data) * 2 // 3])
    got = _ingest(tmp_path / ("cut-" + name))
    assert 0 < len(got.docs) < n
    kind = {"gz": "gzip", "bz2": "bzip2", "xz": "xz", "zst": "zstd"}[name.rsplit(".", 1)[1]]
    assert [r["reason"] for r in got.rejects] == ["decode_error"] and got.rejects[0]["detail"].startswith(kind)


def test_compressed_jsonl_is_capped_on_what_it_inflates_to_not_its_size(tmp_path):
    import bz2

    big = tmp_path / "dump.jsonl.bz2"
    big.write_bytes(
        bz2.compress(b"\n" * (ingest_mod.MULTI_DOC_FACTOR * 1024 + 10))
    )  # tiny on disk, past the cap inflated
    got = ingest_files([(f, None) for f in discover([str(big)])], max_doc_bytes=1024)
    assert [r["reason"] for r in got.rejects] == ["too_large"] and ".jsonl.bz2" in got.rejects[0]["detail"]


def test_cut_off_gzip_keeps_records_before_the_damage(tmp_path):
    import random

    def page(i: int) -> str:  # distinct pages, so the stream is not one long back-reference
        lines = SEED_000.splitlines()
        random.Random(i).shuffle(lines)
        return "\n".join(lines)

    records = "\n".join(json.dumps({"text": page(i)}, ensure_ascii=False) for i in range(20)).encode()
    data = gzip.compress(records)
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) * 2 // 3])
    got = _ingest(tmp_path / "cut.jsonl.gz")
    assert 0 < len(got.docs) < 20
    assert any(r["reason"] == "decode_error" and "damaged" in r["detail"] for r in got.rejects)


def test_a_records_html_field_is_its_page(tmp_path):
    """A crawler's record holding the response body under `html` (scrapy, colly) was a bad_record ("no text field"):
    its page was lost. A fragment without <html>/<body> is HTML all the same under that key."""
    body = "".join(f"<p>{p}</p>" for p in SEED_000.splitlines() if p.strip())
    lines = [
        json.dumps(
            {"url": "http://www.xx.gov.cn/art/1.html", "html": f"<html><body><article>{body}</article></body></html>"}
        ),
        json.dumps({"url": "http://www.xx.gov.cn/art/2.html", "html": f"<div class='TRS_Editor'>{body}</div>"}),
        json.dumps({"html": "<div><script>var a=1;</script></div>"}),
    ]
    (tmp_path / "crawl.jsonl").write_text("\n".join(lines), encoding="utf-8")
    got = _ingest(tmp_path / "crawl.jsonl")
    docs = {d["record"]: d for d in got.docs}
    assert set(docs) == {"L1", "L2"}
    for d in docs.values():
        assert "<p>" not in d["raw_text"] and SEED_000.splitlines()[3].strip()[:20] in d["raw_text"]
    assert [(r["record"], r["reason"]) for r in got.rejects] == [("L3", "no_text")]


def test_parquet_records(tmp_path):
    pq.write_table(
        pa.table({"id": ["a", "b"], "text": [SEED_000, "短"], "url": ["http://x.gov.cn/1", None]}),
        tmp_path / "pages.parquet",
    )
    got = _ingest(tmp_path / "pages.parquet")
    assert [d["record"] for d in got.docs] == ["row=0"]  # positional, never the `id` column
    assert got.rejects[0]["record"] == "row=1" and got.rejects[0]["reason"] == "too_short"


# ---------------------------------------------------------------- discovery and shards


def test_discover_walks_folders_globs_files_and_skips_hidden_and_output(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("x")
    (tmp_path / "a" / "y.html").write_text("y")
    (tmp_path / "a" / ".hidden.txt").write_text("h")
    (tmp_path / "a" / "out").mkdir()
    (tmp_path / "a" / "out" / "z.txt").write_text("z")
    found = discover([str(tmp_path / "a")], exclude=[str(tmp_path / "a" / "out")])
    assert [f.relpath for f in found] == ["b/x.txt", "y.html"]
    assert found[0].source_path == "b/x.txt" and found[0].input_root == str(tmp_path / "a")
    assert "b/x.txt" in {f.relpath for f in discover([str(tmp_path / "a" / "**" / "*.txt")])}
    assert len(discover([str(tmp_path / "a" / "y.html")])) == 1
    with pytest.raises(FileNotFoundError, match="does not exist"):
        discover([str(tmp_path / "missing")])


def test_discover_reads_fsspec_urls():
    import fsspec

    fs = fsspec.filesystem("memory")
    fs.pipe("/landing/p1.txt", SEED_000.encode())
    found = discover(["memory://landing"])
    assert [f.path for f in found] == ["memory:///landing/p1.txt"]
    assert found[0].source_path == "p1.txt" and found[0].input_root == "memory://landing"
    got = ingest_files([(found[0], None)])
    assert got.docs[0]["raw_text"] == SEED_000


def _files(names):
    return [InputFile(n, n, n, 1000) for n in names]


def test_shards_are_stable_when_files_are_added():
    old = [f"2025/{i:05d}.txt" for i in range(5000)]
    new = old + [f"2026-11-21/{i:04d}.txt" for i in range(300)] + ["2025/00017b.txt"]
    before = {p.shard_id: {f.relpath for f in p.files} for p in plan_shards(_files(old), target_docs=500)}
    after = {p.shard_id: {f.relpath for f in p.files} for p in plan_shards(_files(new), target_docs=500)}
    assert len(before) > 3
    changed = {sid for sid in before if after.get(sid) != before[sid]}
    # Only the shard that received 00017b.txt; the new day's folder forms shards of its own.
    receiving = next(sid for sid, members in after.items() if "2025/00017b.txt" in members)
    assert changed == {receiving}
    new_day = {f for members in after.values() for f in members if f.startswith("2026-11-21/")}
    assert all(members <= new_day for sid, members in after.items() if members & new_day)


def test_small_new_folders_join_the_last_shard_instead_of_making_tiny_ones():
    files = [f"2025/{i:05d}.txt" for i in range(1000)] + [f"d{d:02d}/{i}.txt" for d in range(5) for i in range(10)]
    plans = plan_shards(_files(files), target_docs=400)
    assert all(len(p.files) >= 10 for p in plans)
    assert sum(len(p.files) for p in plans) == len(files)


def test_shards_respect_the_byte_cap():
    files = [InputFile(f"{i:04d}.txt", f"{i:04d}.txt", f"{i:04d}.txt", 1_000_000) for i in range(400)]
    plans = plan_shards(files, target_docs=2000, max_bytes=50_000_000)
    assert sum(len(p.files) for p in plans) == 400
    assert all(p.n_bytes <= 50_000_000 or len(p.files) == 1 for p in plans)
    assert len(plans) >= 8


# ---------------------------------------------------------------- hostile landing folders (issue 9)


def _run_all(inputs, max_doc_bytes=ingest_mod.MAX_DOC_BYTES):
    found = discover_all([str(i) for i in inputs])
    prints = [fingerprint(f) for f in found.files]
    unreadable = [(f, err) for f, (_sha, _n, err) in zip(found.files, prints, strict=True) if err]
    got = ingest_files(
        [(f, sha) for f, (sha, _n, err) in zip(found.files, prints, strict=True) if not err], max_doc_bytes
    )
    return found, unreadable, got


def test_fuzz_folder_is_read_without_raising_and_every_entry_is_accounted_for(tmp_path):
    expect = build_fuzz_folder(tmp_path / "landing")
    # 1 MB per document keeps the bomb's cut quick (32 MB inflated); the real cap is tested below.
    found, unreadable, got = _run_all([tmp_path / "landing"], max_doc_bytes=1 << 20)
    assert unreadable == [] and got.cacheable
    assert found.skipped_outputs == [str(tmp_path / "landing" / "old-corpus")]
    assert not any(f.source_path.startswith("old-corpus") for f in found.files)
    discovered = {f.source_path for f in found.files}
    assert discovered == {k for k, v in expect.items() if v != "skipped_output"}
    rows = got.docs + got.rejects
    missing, twice = accounting_gaps(found.files, [accounting_key(r) for r in rows])
    assert missing == [] and twice == []
    outcome = {(r["source_path"], r["record"]): "document" for r in got.docs}
    outcome.update({(r["source_path"], r["record"]): r["reason"] for r in got.rejects})
    for path, want in expect.items():
        if want == "skipped_output":
            continue
        if isinstance(want, dict):
            for record, what in want.items():
                assert outcome[(path, record)] == what, (path, record)
        else:
            assert outcome[(path, None)] == want, path
    assert sum(1 for p, r in outcome if p == "cut.jsonl.gz" and r != "tail") > 0  # records before the cut kept
    for r in got.rejects:  # every reject names its file (and record) and says what to do
        assert r["source_path"] in discovered and len(r["detail"]) > 30
    assert all(r["record"] for r in got.rejects if r["source_path"] == "deep.jsonl")
    # names stay valid UTF-8 everywhere they are stored
    for r in rows:
        r["source_path"].encode("utf-8")
    assert all(isinstance(p.shard_id, str) for p in plan_shards(found.files, target_docs=2))


def test_a_fifo_is_refused_without_blocking(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.txt")
    sha, _n, error = fingerprint(str(tmp_path / "pipe.txt"))  # a blocking open would hang this test
    assert sha is None and "FIFO" in error
    got = ingest_files([(InputFile(str(tmp_path / "pipe.txt"), "pipe.txt", "pipe.txt", 0), None)])
    assert got.rejects[0]["reason"] == "not_regular_file"


_MEMORY_PROBE = """
import resource, sys
sys.path.insert(0, {repo!r})
from tasks.ingest import discover, ingest_files
if sys.argv[1] == "bomb":
    got = ingest_files([(f, None) for f in discover([sys.argv[2]])])
    assert got.rejects[0]["reason"] == "too_large", got.rejects
    assert "raise --max-doc-bytes" in got.rejects[0]["detail"]
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_a_gzip_bomb_is_too_large_in_bounded_memory(tmp_path):
    import subprocess
    import sys

    bomb = tmp_path / "bomb.jsonl.gz"
    _write_bomb(bomb, 1 << 30)  # 1 GB of newlines in ~1 MB
    assert bomb.stat().st_size < 2 << 20

    def peak_kb(mode: str) -> int:
        probe = _MEMORY_PROBE.format(repo=str(REPO))
        run = subprocess.run([sys.executable, "-c", probe, mode, str(bomb)], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return int(run.stdout.split()[-1])

    # Materializing the file (or even the 256 MB cap) would add hundreds of MB; streaming adds a few chunks.
    assert peak_kb("bomb") - peak_kb("baseline") < 64 * 1024


def test_a_file_rewritten_after_its_fingerprint_is_changed_during_run_and_not_cached(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text(speech(1), encoding="utf-8")
    f = discover([str(page)])[0]
    sha, _n, _err = fingerprint(f)
    page.write_text(speech(2), encoding="utf-8")  # the crawler rewrites it
    got = ingest_files([(f, sha)])
    assert got.docs == [] and got.rejects[0]["reason"] == "changed_during_run" and not got.cacheable
    assert "next run" in got.rejects[0]["detail"]
    page.unlink()
    got = ingest_files([(f, sha)])
    assert got.rejects[0]["reason"] == "vanished" and not got.cacheable
    page.write_text(speech(2), encoding="utf-8")  # settled: a fresh fingerprint matches, the result may be cached
    got = ingest_files([(f, fingerprint(f)[0])])
    assert len(got.docs) == 1 and got.cacheable and got.docs[0]["raw_text"].startswith("在全区第3次")


def test_a_file_rewritten_on_every_read_gives_the_same_reject_every_run(tmp_path):
    """Its reject carried the fingerprint's sha256 — different in every run — so a landing folder holding a file a
    crawler keeps rewriting (or a link into /proc) published a new release id on every unchanged rerun."""
    page = tmp_path / "p.txt"
    page.write_text(speech(1), encoding="utf-8")
    f = discover([str(page)])[0]
    rows = []
    for run in (2, 3):
        sha, _n, _err = fingerprint(f)
        page.write_text(speech(run), encoding="utf-8")  # rewritten between the fingerprint and the read
        rows.append(ingest_files([(f, sha)]).rejects)
    assert rows[0] == rows[1] and rows[0][0]["reason"] == "changed_during_run"
    assert rows[0][0]["content_sha256"] is None


def test_a_file_that_settles_between_two_reads_is_read_again(tmp_path, monkeypatch):
    page = tmp_path / "p.txt"
    page.write_text(speech(1), encoding="utf-8")
    f = discover([str(page)])[0]
    sha = fingerprint(f)[0]
    page.write_text(speech(2), encoding="utf-8")
    original = ingest_mod._read_file

    def read_then_settle(*args):
        result = original(*args)
        page.write_text(speech(1), encoding="utf-8")  # the crawler finishes: back to the fingerprinted bytes
        return result

    monkeypatch.setattr(ingest_mod, "_read_file", read_then_settle)
    got = ingest_files([(f, sha)])
    assert [d["content_sha256"] for d in got.docs] == [sha] and got.rejects == [] and got.cacheable


def test_provenance_is_relative_and_doc_ids_do_not_depend_on_the_root(tmp_path):
    import shutil

    a = tmp_path / "a" / "landing"
    (a / "2025").mkdir(parents=True)
    (a / "2025" / "p.txt").write_text(speech(1), encoding="utf-8")
    (a / "2025" / "crawl.jsonl").write_text(json.dumps({"text": speech(2)}, ensure_ascii=False) + "\n")
    b = tmp_path / "b" / "elsewhere"
    shutil.copytree(a, b)
    ids_a = {(d["source_path"], d["record"]): d["doc_id"] for d in _ingest(a).docs}
    ids_b = {(d["source_path"], d["record"]): d["doc_id"] for d in _ingest(b).docs}
    assert ids_a == ids_b and set(ids_a) == {("2025/p.txt", None), ("2025/crawl.jsonl", "L1")}
    assert {f.source_path for f in discover([str(a / "2025" / "p.txt")])} == {"p.txt"}  # a file: its name
    assert {f.source_path for f in discover([str(a / "*" / "*.txt")])} == {"2025/p.txt"}  # glob: below its prefix
    # the same relative path with the same bytes under two roots: read once, the other copy is a reject
    found, _, got = _run_all([a, b])
    assert len(got.docs) == 2 and {r["reason"] for r in got.rejects} == {"duplicate_input"}
    assert {r["input_root"] for r in got.rejects} == {str(b)}
    assert accounting_gaps(found.files, [accounting_key(r) for r in got.docs + got.rejects]) == ([], [])
    # shards never split one relative path, even when every file would start a shard
    for plan in plan_shards(found.files, target_docs=1):
        assert len({f.relpath for f in plan.files}) == 1


def test_overlapping_inputs_read_each_file_once(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "p.txt").write_text(speech(1), encoding="utf-8")
    found, _, got = _run_all([tmp_path / "in", tmp_path / "in" / "sub"])
    assert len(found.files) == 2 and len(got.docs) == 1
    assert [r["reason"] for r in got.rejects] == ["duplicate_input"]


def test_a_symlinked_folder_is_read_once_and_a_real_folder_wins(tmp_path):
    import os

    (tmp_path / "in" / "2025-11-20").mkdir(parents=True)
    (tmp_path / "in" / "2025-11-20" / "p.txt").write_text(speech(1), encoding="utf-8")
    os.symlink("2025-11-20", tmp_path / "in" / "000-latest")  # sorts before its target
    found = discover([str(tmp_path / "in")])
    by_path = {f.source_path: f.problem and f.problem[0] for f in found}
    assert by_path == {"2025-11-20/p.txt": None, "000-latest": "duplicate_input"}


def test_the_output_folder_given_as_input_is_skipped(tmp_path):
    out = tmp_path / "out"
    (out / ".state").mkdir(parents=True)
    (out / "manifest.json").write_text("{}")
    (out / "report.html").write_text("<html></html>")
    found = discover_all([str(out)])
    assert found.files == [] and found.skipped_outputs == [str(out)]


def test_a_crawlers_releases_folder_is_read_but_a_copied_corpus_is_not(tmp_path):
    """A crawler's `releases/2024/manifest.json` beside its pages is input; a corpus copied without .state/
    (`current` + `releases/<id>/` holding manifest.json and documents/) is not."""
    site = tmp_path / "in" / "site"
    (site / "releases" / "2024").mkdir(parents=True)
    (site / "releases" / "2024" / "manifest.json").write_text("{}")
    (site / "releases" / "2024" / "press.txt").write_text(speech(1), encoding="utf-8")
    copied = tmp_path / "in" / "copied"
    (copied / "releases" / "r1" / "documents").mkdir(parents=True)
    (copied / "releases" / "r1" / "manifest.json").write_text("{}")
    found = discover_all([str(tmp_path / "in")])
    assert sorted(f.source_path for f in found.files) == [
        "site/releases/2024/manifest.json",
        "site/releases/2024/press.txt",
    ]
    assert found.skipped_outputs == [str(copied)]


def test_names_that_collide_once_escaped_keep_their_format(tmp_path):
    import os

    """`a_\\xff.txt` (a byte that is not UTF-8) and a file literally named so escape alike: the second one is
    numbered before its extension and still read as text (it was `.txt~2`, an unsupported type)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_\\xff.txt").write_text(speech(1), encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"a_\xff.txt"), "w", encoding="utf-8") as fh:
        fh.write(speech(2))
    files = discover_all([str(folder)]).files
    assert sorted(f.source_path for f in files) == ["a_\\xff.txt", "a_\\xff~2.txt"]
    got = ingest_files([(f, None) for f in files])
    assert len(got.docs) == 2 and got.rejects == []


def test_jsonl_encodings_are_named_in_the_rejects(tmp_path):
    """JSON Lines are UTF-8: a BOM is dropped (its first record was lost), a UTF-16 or GB18030 dump gets rejects
    that name the encoding and the conversion, not a decoder's message."""
    lines = "\n".join(json.dumps({"text": speech(i)}, ensure_ascii=False) for i in (1, 2)) + "\n"
    (tmp_path / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + lines.encode("utf-8"))
    got = ingest_files([(f, None) for f in discover([str(tmp_path / "bom.jsonl")])])
    assert sorted(d["record"] for d in got.docs) == ["L1", "L2"] and got.rejects == []
    for enc, says in (("utf-16", "UTF-16"), ("gb18030", "GB18030")):
        (tmp_path / f"{enc}.jsonl").write_bytes(lines.encode(enc))
        got = ingest_files([(f, None) for f in discover([str(tmp_path / f"{enc}.jsonl")])])
        assert got.docs == [] and got.rejects
        assert all(says in r["detail"] and "iconv" in r["detail"] for r in got.rejects), got.rejects


def test_an_overlong_jsonl_line_is_one_rejected_record(tmp_path):
    lines = [
        json.dumps({"text": "长" * 400_000}, ensure_ascii=False),
        json.dumps({"text": speech(1)}, ensure_ascii=False),
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    got = ingest_files([(f, None) for f in discover([str(tmp_path / "c.jsonl")])], max_doc_bytes=100_000)
    assert [d["record"] for d in got.docs] == ["L2"]
    assert [(r["record"], r["reason"]) for r in got.rejects] == [("L1", "too_large")]


def test_a_parquet_whose_text_columns_hold_no_strings_is_one_reject(tmp_path):
    """An int or list `text` column was a "row N has no text field" reject for every row; a dictionary-encoded
    string column (pandas' category) is text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": list(range(500)), "content": [[1, 2]] * 500}), tmp_path / "n.parquet")
    got = ingest_files([(f, None) for f in discover([str(tmp_path / "n.parquet")])])
    assert got.docs == [] and len(got.rejects) == 1
    assert "text (int64)" in got.rejects[0]["detail"] and "string column" in got.rejects[0]["detail"]
    pq.write_table(pa.table({"text": pa.array([speech(1), speech(2)]).dictionary_encode()}), tmp_path / "d.parquet")
    got = ingest_files([(f, None) for f in discover([str(tmp_path / "d.parquet")])])
    assert len(got.docs) == 2 and got.rejects == []


def test_an_oversized_parquet_text_is_one_rejected_record(tmp_path):
    pq.write_table(pa.table({"text": ["长" * 50_000, speech(1)]}), tmp_path / "p.parquet")
    got = ingest_files([(f, None) for f in discover([str(tmp_path / "p.parquet")])], max_doc_bytes=100_000)
    assert [d["record"] for d in got.docs] == ["row=1"]
    assert [(r["record"], r["reason"]) for r in got.rejects] == [("row=0", "too_large")]


def test_html_canonical_url_is_the_page_url(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in SEED_000.splitlines()[4:30] if line.strip())
    html = (
        '<html><head><meta charset="utf-8"><link rel="canonical" href="https://www.gov.cn/a/1.html">'
        f"<title>讲话</title></head><body><article>{body}</article></body></html>"
    )
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    doc = _ingest(tmp_path / "page.html").docs[0]
    assert doc["url"] == "https://www.gov.cn/a/1.html" and doc["group"] == "www.gov.cn"
    og = html.replace(
        '<link rel="canonical" href="https://www.gov.cn/a/1.html">',
        '<meta property="og:url" content="http://x.gov.cn/2">',
    )
    (tmp_path / "page.html").write_text(og, encoding="utf-8")
    assert _ingest(tmp_path / "page.html").docs[0]["url"] == "http://x.gov.cn/2"


def test_an_unexpected_error_on_one_file_is_its_reject(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(speech(1), encoding="utf-8")
    (tmp_path / "b.txt").write_text(speech(2), encoding="utf-8")

    def broken(f, data, sha, *rest):
        if f.source_path == "a.txt":
            raise RuntimeError("boom")
        return original(f, data, sha, *rest)

    original = ingest_mod._text_doc
    monkeypatch.setattr(ingest_mod, "_text_doc", broken)
    got = _ingest(tmp_path)
    assert [d["source_path"] for d in got.docs] == ["b.txt"]
    assert [(r["source_path"], r["reason"]) for r in got.rejects] == [("a.txt", "processing_error")]
    assert "RuntimeError: boom" in got.rejects[0]["detail"]


def test_streamed_lines_match_a_plain_split_whatever_the_chunking():
    import random

    rng = random.Random(5)
    pieces = [b"", b"   ", b"\r", b'{"text": "x"}', b"\t{}", "讲话".encode(), b"[" * 50]
    data = b"\n".join(rng.choice(pieces) for _ in range(3000))
    want = [(i, line) for i, line in enumerate(data.split(b"\n"), start=1) if line.strip()]
    for size in (1, 2, 7, 64, 4096, len(data)):
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        assert list(ingest_mod._lines(chunks, cap=1000)) == want, size
    long = b"a" * 50 + b"\nb\n" + b"c" * 50
    assert list(ingest_mod._lines([long[i : i + 3] for i in range(0, len(long), 3)], cap=10)) == [
        (1, None),
        (2, b"b"),
        (3, None),
    ]


# ---------------------------------------------------------------- unclosed elements (issue 11)
_SPEECH_P = "现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。"


@pytest.mark.parametrize(
    "opener",
    [
        "<!-- 新华社北京3月15日电 -衑>",  # a comment whose --> a bad copy broke
        "<!-- 图片说明",
        "<script>var a = 1;",
        "<STYLE type='text/css'>p { color: red }",
    ],
)
def test_html_unclosed_element_does_not_swallow_the_page(opener):
    """libxml2 runs an unclosed comment/script/style to the end of the page: the speech would be a no_text reject."""
    body = "".join(f"<p>各位代表：</p><p>{_SPEECH_P}第{i}部分。</p>" for i in range(4))
    html = f"<html><head><title>政府工作报告</title></head><body>{opener}\n<article>{body}</article></body></html>"
    title, text = ingest_mod.html_main_text(html)
    assert title == "政府工作报告"
    assert text is not None and all(f"{_SPEECH_P}第{i}部分。" in text for i in range(4))
    assert "color" not in text and "var a" not in text


def test_close_unclosed_leaves_closed_pages_alone():
    html = "<html><head><style>p{}</style><script>if (a<b) {}</script></head><body><!-- x --><p>正文</p></body></html>"
    assert ingest_mod.close_unclosed(html) == html
    assert ingest_mod.close_unclosed("<p>正文</p><!-- 图片\n<p>接着</p>") == "<p>正文</p><!-- 图片-->\n<p>接着</p>"


@pytest.mark.parametrize(
    "name,head",
    [
        ("page.xhtml", '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'),
        ("page.html", "<html>"),
    ],
)
def test_cdata_text_is_read_and_scripts_keep_theirs(tmp_path, name, head):
    """XHTML (and CMS pages written as XML) wrap text in <![CDATA[…]]>: the HTML parser reads a section as a comment,
    so the whole speech was lost (`no_text`). A section in a script or a comment stays as it is."""
    paras = "".join(f"<p><![CDATA[{_SPEECH_P}第{i}部分，a<b & c。]]></p>" for i in range(4))
    page = (
        f"{head}<head><title><![CDATA[政府工作报告]]></title><script>//<![CDATA[\nvar x = '脚本里的字';\n//]]></script>"
        f"</head><body><!-- <![CDATA[注释里的字]]> --><article>{paras}</article></body></html>"
    )
    (tmp_path / name).write_text(page, encoding="utf-8")
    got = _ingest(tmp_path / name)
    assert got.rejects == [] and len(got.docs) == 1, got.rejects
    doc = got.docs[0]
    assert all(f"{_SPEECH_P}第{i}部分，a<b & c。" in doc["raw_text"] for i in range(4))
    assert "脚本里的字" not in doc["raw_text"] and "注释里的字" not in doc["raw_text"]
    assert doc["page_title"] == "政府工作报告"
    assert ingest_mod.cdata_as_text("<p>正文</p>") == "<p>正文</p>"
    assert ingest_mod.cdata_as_text("<p><![CDATA[x</p>") == "<p><![CDATA[x</p>"  # unclosed: as the parser reads it


# ---------------------------------------------------------------- markup nested past the parser's limit
_PARAGRAPHS = 400  # each opens a <font> never closed: 400 open elements, past libxml2's 256 (PARSER_DEPTH)


@pytest.mark.parametrize("opener", ['<font face="宋体" size="3">', "<span style='font-size:16px'>"])
def test_html_unclosed_formatting_tags_keep_every_paragraph(opener):
    """Old templates open a <font> (or <span>) per paragraph and never close it: libxml2 stops the tree at 256
    open elements and the page lost every paragraph after its ~128th, silently (no error, a shorter text)."""
    paras = [f"{_SPEECH_P}这是第{i}段。" for i in range(_PARAGRAPHS)]
    html = "<html><head><title>政府工作报告</title></head><body><div>" + "".join(f"<p>{opener}{p}" for p in paras)
    html += "</div></body></html>"
    _, text = ingest_mod.html_main_text(html)
    assert text is not None and all(p in text for p in paras)
    assert len([line for line in text.splitlines() if _SPEECH_P in line]) == _PARAGRAPHS  # still one per line


@pytest.mark.parametrize("depth", [ingest_mod.PARSER_DEPTH, 3000, 100_000])
def test_html_nested_past_the_parser_limit_keeps_its_text(depth):
    """A page nested deeper than libxml2's limit was a `no_text` reject ("is it a list or login page?")."""
    html = "<html><body>" + "<div>" * depth + f"<p>{_SPEECH_P}</p><p>结束。</p>" + "</div>" * depth + "</body></html>"
    _, text = ingest_mod.html_main_text(html)
    assert text is not None and _SPEECH_P in text and "结束。" in text


def test_flatten_deep_leaves_pages_within_the_limit_alone():
    nav = "".join(f'<li><a href="/l{i}"><span>栏目{i}</span></a></li>' for i in range(500))
    html = f"<html><body><ul>{nav}</ul><div><p><font>{_SPEECH_P}</font></p></div></body></html>"
    assert ingest_mod.flatten_deep(html) is html


# ---------------------------------------------------------------- slices of a large container file


def _container(path: Path, n: int, bad: set[int] = frozenset(), first: int = 0) -> Path:
    """A crawler's JSONL: n speeches, a blank line every seventh, `bad` lines not JSON."""
    with path.open("a", encoding="utf-8", newline="\n") as fh:
        for i in range(first, first + n):
            if i % 7 == 3:
                fh.write("\n")
            if i in bad:
                fh.write('{"text": "未闭合的记录\n')
            else:
                fh.write(
                    json.dumps({"text": speech(i), "url": f"https://www.gov.cn/{i}.html"}, ensure_ascii=False) + "\n"
                )
    return path


def _ingest_plans(plans, sha: str):
    docs, rejects, cacheable = [], [], True
    for p in plans:
        got = ingest_files([(f, sha) for f in p.files])
        docs += got.docs
        rejects += got.rejects
        cacheable = cacheable and got.cacheable
    return sorted(docs, key=lambda d: d["doc_id"]), sorted(rejects, key=accounting_key), cacheable


def test_a_large_jsonl_is_cut_into_slices_with_the_same_documents_and_ids(tmp_path):
    path = _container(tmp_path / "crawl.jsonl", 60, bad={17, 44})
    small = tmp_path / "other.txt"
    small.write_text(speech(99), encoding="utf-8")
    files = discover([str(tmp_path)])
    whole = ingest_files([(f, fingerprint(f)[0]) for f in files])
    max_bytes = path.stat().st_size // 4  # the file weighs ~4 shards
    plans = plan_shards(files, max_bytes=max_bytes)
    sliced = [p for p in plans if p.files[0].part is not None]
    assert len(sliced) == 4 and all(len(p.files) == 1 for p in sliced)  # one slice a shard
    assert all(p.n_bytes <= max_bytes * 1.25 for p in plans)  # the last slice takes the few bytes left over
    assert [p.files[0].part for p in sliced] == [(i * max_bytes, (i + 1) * max_bytes) for i in range(3)] + [
        (3 * max_bytes, None)
    ]
    assert plan_shards(files, max_bytes=max_bytes) == plans  # stable: the same file, the same slices
    shas = {f.source_path: fingerprint(f)[0] for f in files}
    docs, rejects = [], []
    for p in plans:
        got = ingest_files([(f, shas[f.source_path]) for f in p.files])
        assert got.docs, p  # every slice holds records of its own
        docs += got.docs
        rejects += got.rejects
    assert sorted(docs, key=lambda d: d["doc_id"]) == whole.docs  # same documents, same ids, same texts
    assert sorted(rejects, key=accounting_key) == sorted(whole.rejects, key=accounting_key)
    assert sorted(r["record"] for r in rejects) == ["L21", "L51"]  # bad lines keep their file line numbers
    missing, twice = accounting_gaps(files, [accounting_key(r) for r in docs + rejects])
    assert missing == [] and twice == []


def test_a_bad_line_affects_only_its_own_slice(tmp_path):
    for name in ("clean", "damaged"):
        (tmp_path / name).mkdir()
    clean = _container(tmp_path / "clean" / "crawl.jsonl", 40)
    data = clean.read_bytes()
    at = data.index(b'{"text": "' + speech(25).split("\n")[0].encode())
    damaged = tmp_path / "damaged" / "crawl.jsonl"
    damaged.write_bytes(data[:at] + b"#" + data[at + 1 :])  # same length: the same slice boundaries

    def by_slice(path: Path) -> list[tuple[list, list]]:
        f = discover([str(path)])[0]
        plans = plan_shards([f], max_bytes=len(data) // 3)
        assert len(plans) == 3
        out = []
        for p in plans:
            got = ingest_files([(s, fingerprint(f)[0]) for s in p.files])
            out.append(([d["doc_id"] for d in got.docs], [(r["reason"], r["record"]) for r in got.rejects]))
        return out

    before, after = by_slice(clean), by_slice(damaged)
    changed = [i for i in range(3) if before[i] != after[i]]
    assert len(changed) == 1  # the slice that holds record 25; the others are untouched
    k = changed[0]
    assert after[k][1] == [("bad_record", "L30")] and len(after[k][0]) == len(before[k][0]) - 1


def test_slices_share_out_every_line_whatever_the_boundaries(tmp_path, monkeypatch):
    """Cut anywhere (inside a line, on a newline, in a run of blank lines, CRLF), read in chunks of any
    size: the slices hold exactly the unsplit file's records — each once."""
    import random

    rng = random.Random(7)
    path = tmp_path / "c.jsonl"
    for trial in range(60):
        lines = []
        for i in range(rng.randint(0, 25)):
            r = rng.random()
            lines.append(
                ""
                if r < 0.15
                else " \t"
                if r < 0.2
                else "{bad"
                if r < 0.25
                else json.dumps({"text": f"{'中文讲话内容' * rng.randint(4, 20)}{i}"}, ensure_ascii=rng.random() < 0.5)
            )
        sep = "\r\n" if trial % 5 == 0 else "\n"
        path.write_text(sep.join(lines) + (sep if trial % 2 else ""), encoding="utf-8", newline="")
        monkeypatch.setattr(ingest_mod, "READ_CHUNK", rng.choice([1, 3, 64, 1 << 20]))
        f = discover([str(path)])[0]
        sha = fingerprint(f)[0]
        whole = ingest_files([(f, sha)])
        slice_bytes = rng.randint(1, max(1, f.size // 2 + 1))
        docs, rejects, _ = _ingest_plans(
            [ingest_mod.ShardPlan("s", (s,)) for s in ingest_mod.slice_file(f, slice_bytes)], sha
        )
        assert docs == whole.docs, (trial, slice_bytes)
        if whole.rejects and whole.rejects[0]["reason"] == "empty":  # the file's one reject, from its first slice
            assert [(r["reason"], r["record"]) for r in rejects] == [
                ("empty", f"bytes=0-{slice_bytes}" if f.size > slice_bytes else "bytes=0-")
            ]
        else:
            assert rejects == sorted(whole.rejects, key=accounting_key), (trial, slice_bytes)


def test_appending_to_a_sliced_file_keeps_the_earlier_slices(tmp_path):
    path = _container(tmp_path / "crawl.jsonl", 40)
    slice_bytes = path.stat().st_size // 3
    f = discover([str(path)])[0]
    before = plan_shards([f], max_bytes=slice_bytes)
    old_docs, _, _ = _ingest_plans(before, fingerprint(f)[0])
    _container(path, 30, first=40)  # tonight's crawl appends
    g = discover([str(path)])[0]
    after = plan_shards([g], max_bytes=slice_bytes)
    new_docs, rejects, _ = _ingest_plans(after, fingerprint(g)[0])
    assert [p.shard_id for p in after[: len(before) - 1]] == [p.shard_id for p in before[:-1]]
    assert [p.files[0].part for p in after[: len(before) - 1]] == [p.files[0].part for p in before[:-1]]
    assert rejects == [] and len(new_docs) == 70
    assert {d["doc_id"]: d for d in new_docs}.items() >= {d["doc_id"]: d for d in old_docs}.items()


def test_a_sliced_file_changed_during_the_run_is_caught_by_every_slice(tmp_path):
    path = _container(tmp_path / "crawl.jsonl", 40)
    f = discover([str(path)])[0]
    sha = fingerprint(f)[0]
    plans = plan_shards([f], max_bytes=f.size // 3)
    data = path.read_bytes()
    path.write_bytes(data.replace("第5次".encode(), "第6次".encode(), 1))  # same size, one record rewritten
    docs, rejects, cacheable = _ingest_plans(plans, sha)
    assert docs == [] and not cacheable
    assert [r["reason"] for r in rejects] == ["changed_during_run"] * len(plans)
    assert [r["record"] for r in rejects] == sorted(p.files[0].slice_record for p in plans)  # one row per slice
    missing, twice = accounting_gaps([f], [accounting_key(r) for r in rejects])
    assert missing == [] and twice == []
    path.unlink()
    _docs, rejects, cacheable = _ingest_plans(plans, sha)
    assert {r["reason"] for r in rejects} == {"vanished"} and len(rejects) == len(plans) and not cacheable


def test_a_sliced_file_of_blank_lines_is_one_empty_reject(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_bytes(b"\n \n\t\r\n" * 5000)
    f = discover([str(path)])[0]
    plans = plan_shards([f], max_bytes=4096)
    assert len(plans) > 3
    docs, rejects, _ = _ingest_plans(plans, fingerprint(f)[0])
    assert docs == [] and [(r["reason"], r["record"]) for r in rejects] == [("empty", "bytes=0-4096")]


def test_slices_lift_the_whole_file_cap_but_each_reads_only_its_range(tmp_path):
    """Unsplit, a container over MULTI_DOC_FACTOR x max_doc_bytes is refused (it would be held by one
    worker); sliced, each slice holds only its range, so the file is read."""
    path = _container(tmp_path / "crawl.jsonl", 80)
    f = discover([str(path)])[0]
    sha = fingerprint(f)[0]
    max_doc_bytes = 2000  # each speech fits; 32 of them do not hold the file
    assert f.size > ingest_mod.MULTI_DOC_FACTOR * max_doc_bytes
    unsplit = ingest_files([(f, sha)], max_doc_bytes=max_doc_bytes)
    assert unsplit.docs == [] and unsplit.rejects[0]["reason"] == "too_large"
    docs, rejects = [], []
    for p in plan_shards([f], max_bytes=f.size // 4):
        got = ingest_files([(s, sha) for s in p.files], max_doc_bytes=max_doc_bytes)
        docs += got.docs
        rejects += got.rejects
    assert len(docs) == 80 and rejects == []


def test_copies_of_a_sliced_file_under_two_roots_share_each_slice_shard(tmp_path):
    for root in ("a", "b"):
        (tmp_path / root).mkdir()
    _container(tmp_path / "a" / "crawl.jsonl", 30)
    _container(tmp_path / "b" / "crawl.jsonl", 40)  # the same file, grown by ten records
    files = discover([str(tmp_path / "a"), str(tmp_path / "b")])
    plans = plan_shards(files, max_bytes=files[0].size // 3)
    assert all(len(p.files) == 2 and p.files[0].part == p.files[1].part for p in plans)
    docs, rejects = [], []
    for p in plans:
        got = ingest_files([(f, fingerprint(f)[0]) for f in p.files])
        docs += got.docs
        rejects += got.rejects
    assert len(docs) == 40 and len({d["doc_id"] for d in docs}) == 40
    assert [r["reason"] for r in rejects] == ["duplicate_input"] * 30
    missing, twice = accounting_gaps(files, [accounting_key(r) for r in docs + rejects])
    assert missing == [] and twice == []


def test_small_files_and_unsliceable_containers_are_planned_as_before(tmp_path):
    big_gz = tmp_path / "crawl.jsonl.gz"
    big_gz.write_bytes(gzip.compress(_container(tmp_path / "x.jsonl", 30).read_bytes()))
    files = [f for f in discover([str(tmp_path)])]
    plans = plan_shards(files, max_bytes=1000)
    assert all(f.part is None for p in plans for f in p.files if f.source_path.endswith(".gz"))
    assert sum(1 for p in plans if p.files[0].source_path == "x.jsonl") > 1
    assert plan_shards(files) == plan_shards(files, max_bytes=10**9)  # nothing over the cap: no slice
    assert all(f.part is None for p in plan_shards(files) for f in p.files)


@pytest.mark.parametrize("row_group_size", [7, 1000])  # many row groups, or one that the slices share
def test_a_large_parquet_is_sliced_by_rows_with_the_same_documents(tmp_path, row_group_size):
    texts = [speech(i) if i != 23 else None for i in range(60)]  # row 23 has no text: a reject
    table = pa.table({"text": texts, "url": [f"https://www.gov.cn/{i}.html" for i in range(60)]})
    path = tmp_path / "dump.parquet"
    pq.write_table(table, path, row_group_size=row_group_size)
    f = discover([str(path)])[0]
    sha = fingerprint(f)[0]
    whole = ingest_files([(f, sha)])
    assert len(whole.docs) == 59
    plans = plan_shards([f], max_bytes=f.size // 4)
    assert len(plans) == 4 and all(p.files[0].part is not None for p in plans)
    docs, rejects = [], []
    for p in plans:
        got = ingest_files([(s, sha) for s in p.files])
        assert got.docs  # rows are shared out in proportion: every slice holds some
        docs += got.docs
        rejects += got.rejects
    assert sorted(docs, key=lambda d: d["doc_id"]) == whole.docs
    assert sorted(rejects, key=accounting_key) == whole.rejects
    assert [r["record"] for r in rejects] == ["row=23"]


def test_a_sliced_parquet_without_text_is_one_reject(tmp_path):
    path = tmp_path / "dump.parquet"
    pq.write_table(pa.table({"html_len": list(range(5000))}), path)
    f = discover([str(path)])[0]
    plans = plan_shards([f], max_bytes=f.size // 3)
    assert len(plans) == 3
    docs, rejects, _ = _ingest_plans(plans, fingerprint(f)[0])
    assert docs == [] and [(r["reason"], r["record"]) for r in rejects] == [
        ("bad_record", plans[0].files[0].slice_record)
    ]


def test_a_file_rejected_by_its_name_or_size_is_never_read(tmp_path, monkeypatch):
    """A 2 GB page (sparse here) and a video in the landing folder: their rejects follow from size and name, so
    discovery (given the run's limit) knows them and the fingerprint step never hashes them (it read every byte
    of a 10 GB file first: 56 s of a run). A large JSONL is still left to slicing, and a small page is read."""
    from tasks import ingest as I

    with open(tmp_path / "dump.txt", "wb") as fh:
        fh.truncate(2 * 1024**3)
    (tmp_path / "clip.mp4").write_bytes(b"\0" * 1000)
    (tmp_path / "ok.txt").write_text("各位代表：" + "发展经济。" * 40, encoding="utf-8")
    with open(tmp_path / "big.jsonl", "wb") as fh:
        fh.truncate(3 * 1024 * 1024)
    found = {f.source_path: f for f in I.discover_all([str(tmp_path)], max_doc_bytes=1024 * 1024).files}
    assert found["dump.txt"].problem[0] == "too_large" and "2,147,483,648 bytes" in found["dump.txt"].problem[1]
    assert found["clip.mp4"].problem[0] == "unsupported_type" and "'.mp4'" in found["clip.mp4"].problem[1]
    assert found["big.jsonl"].problem is None and found["ok.txt"].problem is None
    opened = []
    real_open = I.open_checked
    monkeypatch.setattr(I, "open_checked", lambda path: opened.append(os.path.basename(path)) or real_open(path))
    prints = {name: I.fingerprint(f) for name, f in found.items() if name != "big.jsonl"}
    assert opened == ["ok.txt"] and prints["dump.txt"] == (None, 0, None)
    shard = I.ingest_files([(f, prints[n][0]) for n, f in found.items() if n != "big.jsonl"], max_doc_bytes=1024 * 1024)
    assert {r["source_path"]: r["reason"] for r in shard.rejects} == {
        "dump.txt": "too_large",
        "clip.mp4": "unsupported_type",
    }
    assert [d["source_path"] for d in shard.docs] == ["ok.txt"]
    assert opened == ["ok.txt", "ok.txt"]


def test_a_tree_deeper_than_path_max_is_one_reject_that_says_to_shorten_it(tmp_path, monkeypatch):
    """Folders nested past PATH_MAX (4,096 bytes): the folder whose path is too long is a read_error naming it and
    saying what to do; walking the real folders resolves no path again (os.path.realpath per folder was n² lstat
    calls: 7.6 s for a tree 1,100 deep)."""
    from tasks import ingest as I

    (tmp_path / "top.txt").write_text("各位代表：" + "发展经济。" * 40, encoding="utf-8")
    name = "d" * 100
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for _ in range(60):  # 6,060 bytes below tmp_path; names stay short enough for rmtree to remove
            os.mkdir(name)
            os.chdir(name)
        Path("bottom.txt").write_text("各位代表：发展经济。", encoding="utf-8")
    finally:
        os.chdir(cwd)
    calls = []
    real = os.path.realpath
    monkeypatch.setattr(I.os.path, "realpath", lambda p, *a, **k: calls.append(p) or real(p, *a, **k))
    files = I.discover_all([str(tmp_path)]).files
    assert len(calls) <= 2  # the root's, not one per folder
    (deep,) = [f for f in files if f.problem]
    assert deep.source_path.startswith(f"{name}/{name}/") and deep.problem[0] == "read_error"
    assert "longer than the system allows" in deep.problem[1] and "shorter path" in deep.problem[1]
    assert [f.source_path for f in files if not f.problem] == ["top.txt"]


def test_a_download_cut_short_is_flagged_truncated(tmp_path):
    """An HTML file that stops inside the page (no </body> or </html>) and whose text stops mid-sentence is a cut
    download: its speech is flagged truncated, so neither the canonical choice nor repair takes it for whole. A page
    cut in its footer after the last sentence, and a whole page, are not."""
    import pyarrow.parquet as pq

    from tasks import normalize, schema
    from tasks.common import rows_to_table, write_table

    paragraphs = [
        f"第{i}项工作：我们坚持稳中求进工作总基调，全市经济运行总体平稳、稳中有进，各项社会事业全面发展。"
        for i in range(1, 30)
    ]
    head = "<html><head><title>政府工作报告</title></head><body><div class='article'>"
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    pages = {
        "whole.html": head + body + "</div><div class='foot'>版权所有</div></body></html>",
        "cut.html": head + body + "<p>3.加快推进路网",  # the crawler's copy stops inside a paragraph
        "footer.html": head + body + "</div><div class='foot'>",  # stops after the speech
    }
    for name, html in pages.items():
        (tmp_path / "land").mkdir(exist_ok=True)
        (tmp_path / "land" / name).write_text(html, encoding="utf-8")
    got = _ingest(tmp_path / "land")
    cut = {Path(d["source_path"]).name: d["cut_short"] for d in got.docs}
    assert cut == {"whole.html": False, "cut.html": True, "footer.html": True}
    write_table(rows_to_table(got.docs, schema.INGEST_DOCS), tmp_path / "ingest" / "docs.parquet", ["doc_id"])
    normalize.normalize_shard({"ingest": str(tmp_path / "ingest")}, str(tmp_path / "normalize"), min_chars=50)
    rows = pq.read_table(tmp_path / "normalize" / "docs.parquet").to_pylist()
    flags = {Path(r["source_path"]).name: dict(r["norm_flags"]) for r in rows}
    counts = {Path(r["source_path"]).name: dict(r["rule_counts"]) for r in rows}
    assert flags["cut.html"].get("truncated") == 1 and counts["cut.html"].get("ingest.cut_short") == 1
    assert "truncated" not in flags["whole.html"] and "truncated" not in flags["footer.html"]


_WHOLE = "".join(
    f"第{i}项工作：我们坚持稳中求进工作总基调，全市经济运行总体平稳、稳中有进，各项社会事业全面发展。\n"
    for i in range(1, 30)
).encode()


def _head(length: int, *extra: str) -> bytes:
    lines = ["HTTP/1.1 200 OK", "Content-Type: text/plain; charset=utf-8", f"Content-Length: {length}", *extra]
    return "\r\n".join(lines).encode()


def test_a_plain_text_download_cut_short_is_told_by_its_headers_or_a_cut_character(tmp_path):
    """A text page has no closing tag: a download cut short read as whole (session 44). HTTP headers saved with it
    (`wget --save-headers` at its start, `curl -D page.txt.headers` beside it, after a redirect) give the length the
    server sent; UTF-8 that stops inside a character was cut at a byte. A head at the file's start is no speech."""
    cut = _WHOLE[: len(_WHOLE) * 2 // 3]
    cut = cut[: len(cut.decode("utf-8", "ignore").encode())]  # at a character's end: only the length tells
    land = tmp_path / "land"
    land.mkdir()
    files = {
        "wget_cut.txt": _head(len(_WHOLE)) + b"\r\n\r\n" + cut,
        "wget_whole.txt": _head(len(_WHOLE)) + b"\r\n\r\n" + _WHOLE,
        "curl_cut.txt": cut,
        "curl_whole.txt": _WHOLE,
        "gzip_sent.txt": cut,  # sent gzipped, stored inflated: the length sent says nothing of the file's
        "mid_char.txt": _WHOLE[:-2],  # the last 。 cut after its first byte
        "whole.txt": _WHOLE,
    }
    for name, data in files.items():
        (land / name).write_bytes(data)
    redirect = b"HTTP/1.1 301 Moved Permanently\r\nLocation: /a.txt\r\nContent-Length: 0\r\n\r\n"
    (land / "curl_cut.txt.headers").write_bytes(redirect + _head(len(_WHOLE)) + b"\r\n\r\n")
    (land / "curl_whole.txt.headers").write_bytes(_head(len(_WHOLE)) + b"\r\n\r\n")
    (land / "gzip_sent.txt.headers").write_bytes(_head(len(_WHOLE), "Content-Encoding: gzip") + b"\r\n\r\n")
    got = _ingest(land)
    cut_short = {d["source_path"]: d["cut_short"] for d in got.docs}
    assert cut_short == {
        "wget_cut.txt": True,
        "wget_whole.txt": False,
        "curl_cut.txt": True,
        "curl_whole.txt": False,
        "gzip_sent.txt": False,
        "mid_char.txt": True,
        "whole.txt": False,
    }
    texts = {d["source_path"]: d["raw_text"] for d in got.docs}
    assert texts["wget_whole.txt"] == texts["whole.txt"] and "HTTP/1.1" not in texts["wget_cut.txt"]
    assert {r["source_path"]: r["reason"] for r in got.rejects} == dict.fromkeys(
        ["curl_cut.txt.headers", "curl_whole.txt.headers", "gzip_sent.txt.headers"], "unsupported_type"
    )


@pytest.mark.parametrize("marker", [".aria2", ".part"])
def test_a_page_beside_a_download_tools_marker_is_read_once_the_marker_goes(tmp_path, marker):
    """aria2 writes the final name (preallocated) and keeps `<name>.aria2` until the last byte; Firefox creates the
    final name empty and writes `<name>.part`. The page was read as whole (or an `empty` reject, cached)."""
    page = tmp_path / "speech.txt"
    page.write_bytes(_WHOLE[:300] + b"\0" * 4096)  # preallocated, a third written
    (tmp_path / ("speech.txt" + marker)).write_bytes(b"")
    got = _ingest(tmp_path)
    rejects = {r["source_path"]: r for r in got.rejects}
    assert got.docs == [] and rejects["speech.txt"]["reason"] == "download_in_progress"
    assert f"speech.txt{marker}" in rejects["speech.txt"]["detail"] and not got.cacheable
    (tmp_path / ("speech.txt" + marker)).unlink()
    page.write_bytes(_WHOLE)
    got = _ingest(tmp_path)
    assert [d["source_path"] for d in got.docs] == ["speech.txt"] and got.cacheable


def test_a_link_out_of_the_input_folder_is_not_followed(tmp_path):
    """A link a crawler or an unpacked archive left in the landing folder (`etc -> /etc`, `x.txt -> /etc/hostname`)
    was followed: files of the machine were read into the corpus (a link to / walked /proc and /sys). Links within
    the folder are followed as before; an input given on the command line is read wherever it is."""
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "s.txt").write_text(speech(1), encoding="utf-8")
    land = tmp_path / "land"
    (land / "real").mkdir(parents=True)
    (land / "real" / "r.txt").write_text(speech(2), encoding="utf-8")
    os.symlink(secret, land / "out_dir")
    os.symlink(os.path.join("..", "elsewhere", "s.txt"), land / "out_file.txt")
    os.symlink("real", land / "in_dir")  # a second route to a folder inside: a duplicate, as before
    os.symlink(os.path.join("real", "r.txt"), land / "in_file.txt")
    files = discover([str(land)])
    got = {f.source_path: f.problem[0] if f.problem else "read" for f in files}
    assert got == {
        "real/r.txt": "read",
        "in_file.txt": "read",
        "in_dir": "duplicate_input",
        "out_dir": "link_outside",
        "out_file.txt": "link_outside",
    }
    detail = next(f.problem[1] for f in files if f.source_path == "out_dir")
    assert str(secret) in detail and "as an input" in detail
    assert [f.source_path for f in discover([str(land / "out_file.txt")])] == ["out_file.txt"]  # given: read
    assert {f.source_path for f in discover([str(land / "*.txt")])} == {"in_file.txt", "out_file.txt"}
    os.symlink(land, tmp_path / "landing")  # the input itself a link: its folder is the real one
    assert {f.source_path: bool(f.problem) for f in discover([str(tmp_path / "landing")])}["real/r.txt"] is False


def test_byte_order_marks_and_charsets_that_lie_or_are_cut(tmp_path):
    """A GB18030 mark was kept as U+FEFF; a UTF-8 mark before GBK text (a tool that adds one) and a UTF-16 file
    cut inside its last unit were decode_errors (the speech lost); Big5 bytes under `<meta charset=gbk>` decoded
    without an error into rare characters (mojibake published as text)."""
    land = tmp_path / "land"
    land.mkdir()
    page = f"<html><head><meta charset=gbk><title>講話</title></head><body><article><p>{SEED_004}</p></article></body></html>"
    files = {
        "gb_bom.txt": b"\x84\x31\x95\x33" + SEED_000.encode("gb18030"),
        "utf8_bom_gbk.txt": b"\xef\xbb\xbf" + SEED_000.encode("gb18030"),
        "utf16_cut.txt": b"\xff\xfe" + SEED_000.encode("utf-16-le") + b"\x8f",
        "big5_says_gbk.html": page.encode("big5hkscs", "ignore"),
        "big5_plain.html": page.replace("<meta charset=gbk>", "").encode("big5hkscs", "ignore"),
    }
    for name, data in files.items():
        (land / name).write_bytes(data)
    got = _ingest(land)
    assert got.rejects == [], got.rejects
    docs = {d["source_path"]: d for d in got.docs}
    plain = ingest_mod._clean_controls(SEED_000)
    assert docs["gb_bom.txt"]["raw_text"] == plain and docs["utf8_bom_gbk.txt"]["raw_text"] == plain
    assert docs["utf16_cut.txt"]["raw_text"] == plain and docs["utf16_cut.txt"]["cut_short"]
    assert not docs["gb_bom.txt"]["cut_short"]
    assert docs["big5_says_gbk.html"]["encoding"] == docs["big5_plain.html"]["encoding"] == "big5hkscs"
    assert docs["big5_says_gbk.html"]["raw_text"] == docs["big5_plain.html"]["raw_text"]
    gbk = page.encode("gb18030")  # a declaration that tells the truth is taken as before
    assert decode_bytes(gbk, html=True) == (page, "gb18030")


@pytest.mark.parametrize(
    "name",
    [
        "content_5012.shtml",
        "art_123.jhtml",
        "show.asp",
        "view.aspx",
        "index.php?id=3",
        "a.html?from=rss",
        "list.jsp",
        "index.html.1",  # wget's second download of one URL
    ],
)
def test_pages_saved_under_their_servers_name_are_read_as_html(tmp_path, name):
    """A crawler keeps the URL's name (`content_5012.shtml`, `index.php?id=3`, wget's `index.html.1`): these were
    `unsupported_type` rejects (HTML responses all), and a mirrored government portal published nothing."""
    page = f"<html><head><title>政府工作报告</title></head><body><article><p>{SEED_000}</p></article></body></html>"
    (tmp_path / name).write_text(page, encoding="utf-8")
    (tmp_path / "ref.html").write_text(page, encoding="utf-8")
    got = {d["source_path"]: d for d in _ingest(tmp_path).docs}
    assert got[name]["format"] == "html" and got[name]["raw_text"] == got["ref.html"]["raw_text"]
    (tmp_path / "notes.txt?dl=1").write_text(SEED_000, encoding="utf-8")
    assert {d["source_path"]: d["format"] for d in _ingest(tmp_path).docs}["notes.txt?dl=1"] == "txt"


@pytest.mark.parametrize("cte", ["quoted-printable", "base64"])
def test_a_page_saved_as_mhtml_is_read_as_its_html(tmp_path, cte):
    """A browser's "save as a single file" (.mht/.mhtml, doc-sharing sites' downloads) was an unsupported_type
    reject: its text/html part, quoted-printable or base64, in the charset its MIME header names, is the page."""
    import base64
    import quopri

    page = f"<html><head><title>政府工作报告</title></head><body><article><p>{SEED_000}</p></article></body></html>"
    body = page.encode("gb18030")
    encoded = quopri.encodestring(body) if cte == "quoted-printable" else base64.encodebytes(body)
    mht = (
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart_01"\r\n\r\n'
        b'------=_NextPart_01\r\nContent-Type: text/html; charset="gb2312"\r\n'
        b"Content-Transfer-Encoding: "
        + cte.encode()
        + b"\r\nContent-Location: http://www.gov.cn/a.htm\r\n\r\n"
        + encoded
        + b"\r\n------=_NextPart_01\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(b"\x89PNG" + bytes(300))
        + b"\r\n------=_NextPart_01--\r\n"
    )
    (tmp_path / "saved.mht").write_bytes(mht)
    (tmp_path / "ref.html").write_text(page, encoding="utf-8")
    (tmp_path / "nohtml.mhtml").write_bytes(b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhello")
    got = _ingest(tmp_path)
    docs = {d["source_path"]: d for d in got.docs}
    assert docs["saved.mht"]["raw_text"] == docs["ref.html"]["raw_text"]
    assert docs["saved.mht"]["page_title"] == "政府工作报告" and docs["saved.mht"]["encoding"] == "gb18030"
    assert [(r["source_path"], r["reason"]) for r in got.rejects] == [("nohtml.mhtml", "no_text")]


@pytest.mark.parametrize("encoding", ["hz", "utf-7"])
@pytest.mark.parametrize("name", ["speech.txt", "page.html"])
def test_seven_bit_chinese_hz_and_utf7_is_decoded(tmp_path, encoding, name):
    """HZ (`~{...~}`) and UTF-7 (`+ZeVnLA-`) are pure ASCII: strict UTF-8 read them as ASCII escape codes."""
    speech = "\n".join(p for p in SEED_000.splitlines()[:30] if p.strip())
    body = (
        speech
        if name.endswith(".txt")
        else f"<html><body><article><p>{speech.replace(chr(10), '</p><p>')}</p></article></body></html>"
    )
    data = body.encode(encoding)
    assert data.isascii()
    text, used = decode_bytes(data, html=name.endswith(".html"))
    assert text == body and used == encoding
    (tmp_path / name).write_bytes(data)
    docs = _ingest(tmp_path / name).docs
    assert len(docs) == 1 and docs[0]["encoding"] == encoding
    assert docs[0]["raw_text"].count("经济") >= min(1, speech.count("经济")) and "~{" not in docs[0]["raw_text"]


@pytest.mark.parametrize(
    "text",
    [
        "C++ and a+b-c: see http://x.org/?q=a+b+c, email +ABCDEF- now. " * 5,
        "Perl hash ~{ key => 1 ~} and LaTeX ~{\\bf x~} in a README. " * 5,
        "Base64 tokens +QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo- are not Chinese. " * 5,
    ],
)
def test_ascii_with_seven_bit_markers_stays_ascii(text):
    assert decode_bytes(text.encode()) == (text, "utf-8")
