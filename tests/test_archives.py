"""Archives in the landing folder (zip, tar, WARC) and compressed pages (.bz2, .xz) are read member by member:
every member a document or a reject naming the archive and the member, streamed and capped."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
from pathlib import Path

import pytest

from tasks import archives
from tasks.ingest import MULTI_DOC_FACTOR, discover, doc_id_for, fingerprint, ingest_files
from tests.paths import SEEDS

SEED_000 = (SEEDS / "000_fc7753713425c55d.txt").read_text(encoding="utf-8")
SEED_004 = (SEEDS / "004_6b5c8583c107af7e.txt").read_text(encoding="utf-8")
PAGE = (
    "<html><head><title>在全市经济工作会议上的讲话</title></head><body><article><h1>在全市经济工作会议上的讲话</h1>"
    + "".join(f"<p>{p}</p>" for p in SEED_000.splitlines() if p.strip())
    + "</article></body></html>"
)


def _arrow_compress(data: bytes, codec: str = "zstd") -> bytes:
    """zstd/brotli as their tools write them (a framed stream), by pyarrow: no zstandard or brotli module needed."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    stream = pa.CompressedOutputStream(sink, codec)
    stream.write(data)
    stream.close()
    return sink.getvalue().to_pybytes()


def _ingest(path: Path, sha: bool = False, max_doc_bytes: int = 8 * 1024 * 1024):
    files = discover([str(path)])
    return ingest_files([(f, fingerprint(f)[0] if sha else None) for f in files], max_doc_bytes=max_doc_bytes)


def _rows(got):
    return {d["record"]: d for d in got.docs}, {r["record"]: r for r in got.rejects}


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _tar(path: Path, members: dict[str, bytes], mode: str = "w:gz") -> None:
    with tarfile.open(path, mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))


def _warc_record(rtype: str, uri: str, block: bytes, ctype: str) -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: {rtype}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-01T08:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{abs(hash((rtype, uri))):032x}>\r\nContent-Type: {ctype}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def _http(body: bytes, ctype: str = "text/html; charset=utf-8", status: str = "200 OK", extra: str = "") -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n{extra}\r\n".encode() + body


def _warc_gz(records: list[bytes]) -> bytes:
    return b"".join(gzip.compress(r) for r in records)  # one gzip member per record, as WARC writers do


# ---------------------------------------------------------------- zip / tar


def test_zip_members_become_documents_named_by_archive_and_member(tmp_path):
    """A zip was `unsupported_type` ("unpack it"): none of its pages reached the corpus."""
    _zip(
        tmp_path / "bundle.zip",
        {
            "site/a.html": PAGE.encode(),
            "b.txt": SEED_004.encode("big5hkscs"),
            "logo.png": b"\x89PNG\r\n\x1a\n" + bytes(200),
            "site/": b"",
        },
    )
    got = _ingest(tmp_path, sha=True)
    docs, rejects = _rows(got)
    assert set(docs) == {"site/a.html", "b.txt"}
    a = docs["site/a.html"]
    assert a["source_path"] == "bundle.zip" and a["format"] == "html" and "经济" in a["raw_text"]
    assert a["doc_id"] == doc_id_for(a["content_sha256"], "bundle.zip", "site/a.html")
    assert docs["b.txt"]["encoding"].startswith("big5")
    assert rejects["logo.png"]["reason"] == "unsupported_type"
    assert set(rejects) == {"logo.png"}  # the folder entry is no member


def test_zip_member_ids_do_not_depend_on_the_archive_or_its_other_members(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    _zip(tmp_path / "one" / "b.zip", {"a.html": PAGE.encode()})
    _zip(tmp_path / "two" / "b.zip", {"x.txt": SEED_004.encode(), "a.html": PAGE.encode()})
    one = {d["record"]: d["doc_id"] for d in _ingest(tmp_path / "one").docs}
    two = {d["record"]: d["doc_id"] for d in _ingest(tmp_path / "two").docs}
    assert one["a.html"] == two["a.html"]


@pytest.mark.parametrize(
    "mode,name",
    [("w:gz", "b.tar.gz"), ("w:bz2", "b.tar.bz2"), ("w:xz", "b.tar.xz"), ("w", "b.tar"), ("w", "b.tar.zst")],
)
def test_tarballs_are_read_as_a_stream(tmp_path, mode, name):
    _tar(tmp_path / name, {"x/a.html": PAGE.encode(), "b.txt": SEED_004.encode("utf-8")}, mode)
    if name.endswith(".zst"):  # tarfile writes no zstd: a plain tar, compressed as `tar --zstd` does
        (tmp_path / name).write_bytes(_arrow_compress((tmp_path / name).read_bytes()))
    got = _ingest(tmp_path, sha=True)
    docs, rejects = _rows(got)
    assert set(docs) == {"x/a.html", "b.txt"} and not rejects, got.rejects
    assert docs["x/a.html"]["source_path"] == name


def test_tar_links_and_hidden_members_are_rejects_naming_them(tmp_path):
    with tarfile.open(tmp_path / "b.tgz", "w:gz") as tf:
        info = tarfile.TarInfo("a.html")
        info.size = len(PAGE.encode())
        tf.addfile(info, io.BytesIO(PAGE.encode()))
        link = tarfile.TarInfo("passwd.txt")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tf.addfile(link)
        hidden = tarfile.TarInfo("__MACOSX/._a.html")
        hidden.size = 4
        tf.addfile(hidden, io.BytesIO(b"\0\5\26\7"))
    docs, rejects = _rows(_ingest(tmp_path))
    assert set(docs) == {"a.html"}
    assert rejects["passwd.txt"]["reason"] == "not_regular_file" and "/etc/passwd" in rejects["passwd.txt"]["detail"]
    assert rejects["__MACOSX/._a.html"]["reason"] == "not_a_page"


def test_traversal_names_are_labels_never_paths(tmp_path):
    """`../../x.html` and `/abs.html` inside an archive name records; nothing is written anywhere."""
    land = tmp_path / "land"
    land.mkdir()
    _zip(land / "evil.zip", {"../../x.html": PAGE.encode(), "/abs.txt": SEED_004.encode(), "a.html": PAGE.encode()})
    before = sorted(p.name for p in tmp_path.rglob("*"))
    docs, rejects = _rows(_ingest(land))
    assert set(docs) == {"../../x.html", "/abs.txt", "a.html"} and not rejects
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_gbk_member_names_of_chinese_windows_zips(tmp_path):
    """Chinese Windows tools write member names in GBK without the UTF-8 flag: `讲话.html`, not `╜▓╗░.html`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("placeholder.html", PAGE.encode())
    raw = buf.getvalue()
    name = "讲话稿12345.html".encode("gb18030")
    assert len(name) == len(b"placeholder.html")
    (tmp_path / "w.zip").write_bytes(raw.replace(b"placeholder.html", name))
    docs, _ = _rows(_ingest(tmp_path))
    assert list(docs) == [name.decode("gb18030")]


def test_nested_archives_are_opened_and_named_by_their_path(tmp_path):
    inner = io.BytesIO()
    _zip(inner, {"a.html": PAGE.encode()})  # type: ignore[arg-type]
    tar_buf = io.BytesIO()
    with tarfile.open(fileobj=tar_buf, mode="w:gz") as tf:
        info = tarfile.TarInfo("day1.zip")
        info.size = len(inner.getvalue())
        tf.addfile(info, io.BytesIO(inner.getvalue()))
    _zip(tmp_path / "crawl.zip", {"day1.tar.gz": tar_buf.getvalue(), "b.txt": SEED_004.encode()})
    docs, rejects = _rows(_ingest(tmp_path))
    assert set(docs) == {"day1.tar.gz!/day1.zip!/a.html", "b.txt"} and not rejects


def test_nesting_past_the_depth_is_a_reject(tmp_path):
    data = PAGE.encode()
    name = "a.html"
    for depth in range(archives.MAX_ARCHIVE_DEPTH + 1):
        buf = io.BytesIO()
        _zip(buf, {name: data})  # type: ignore[arg-type]
        data, name = buf.getvalue(), f"l{depth}.zip"
    (tmp_path / "deep.zip").write_bytes(data)
    got = _ingest(tmp_path)
    assert got.docs == [] and len(got.rejects) == 1
    assert "nested" in got.rejects[0]["detail"] and got.rejects[0]["record"].count("!/") == 2


def test_zip_bomb_members_and_the_whole_archive_are_capped(tmp_path):
    """A member inflating past max_doc_bytes is too_large (read no further); overlapping members past
    ARCHIVE_RATIO x the archive's size stop the archive, the members before kept."""
    cap = 64 * 1024
    members = {"a.html": PAGE.encode(), "bomb.txt": b"0" * (cap * 50)}
    _zip(tmp_path / "b.zip", members)
    docs, rejects = _rows(_ingest(tmp_path, max_doc_bytes=cap))
    assert set(docs) == {"a.html"} and rejects["bomb.txt"]["reason"] == "too_large"

    # many members each inflating to just under the cap: the total passes ARCHIVE_RATIO x size
    (tmp_path / "b.zip").unlink()
    many = {f"m{i}.txt": b"0" * (cap - 10) for i in range(MULTI_DOC_FACTOR + 40)}
    _zip(tmp_path / "many.zip", {"a.html": PAGE.encode(), **many})
    got = _ingest(tmp_path, max_doc_bytes=cap)
    _, rejects = _rows(got)
    assert rejects["tail"]["reason"] == "too_large" and "bomb" in rejects["tail"]["detail"]


def test_corrupt_zip_member_is_its_reject_and_the_others_are_read(tmp_path):
    _zip(tmp_path / "b.zip", {"a.html": PAGE.encode(), "b.txt": SEED_004.encode() * 3})
    raw = bytearray((tmp_path / "b.zip").read_bytes())
    at = raw.find(b"b.txt") + 5 + 40  # inside b.txt's deflated data
    raw[at : at + 8] = b"\xff" * 8
    (tmp_path / "b.zip").write_bytes(bytes(raw))
    docs, rejects = _rows(_ingest(tmp_path))
    assert set(docs) == {"a.html"} and rejects["b.txt"]["reason"] == "decode_error"


def test_truncated_tarball_keeps_the_members_before_the_cut(tmp_path):
    _tar(tmp_path / "b.tar.gz", {"a.html": PAGE.encode(), "b.txt": SEED_004.encode() * 20})
    raw = (tmp_path / "b.tar.gz").read_bytes()
    (tmp_path / "b.tar.gz").write_bytes(raw[: len(raw) * 2 // 3])
    docs, rejects = _rows(_ingest(tmp_path))
    assert set(docs) == {"a.html"}
    assert rejects["tail"]["reason"] == "decode_error" and "damaged" in rejects["tail"]["detail"]


def test_not_an_archive_is_one_reject(tmp_path):
    (tmp_path / "b.zip").write_bytes(b"this is no zip at all" * 10)
    (tmp_path / "c.tar.gz").write_bytes(gzip.compress(b"no tar here" * 100))
    got = _ingest(tmp_path)
    assert got.docs == [] and {r["source_path"]: r["reason"] for r in got.rejects} == {
        "b.zip": "decode_error",
        "c.tar.gz": "decode_error",
    }
    assert all(r["record"] is None for r in got.rejects)


def test_empty_zip_is_an_empty_reject(tmp_path):
    _zip(tmp_path / "b.zip", {})
    got = _ingest(tmp_path)
    assert [r["reason"] for r in got.rejects] == ["empty"]


# ---------------------------------------------------------------- WARC


def test_warc_responses_become_documents_and_the_rest_is_counted(tmp_path):
    """wget --warc-file / Heritrix output was `unsupported_type` ("extract its HTML responses")."""
    gbk_page = PAGE.replace("utf-8", "gbk").encode("gb18030")
    records = [
        _warc_record("warcinfo", "", b"software: wget/1.21\r\n", "application/warc-fields"),
        _warc_record("request", "http://gov.example.cn/a.html", b"GET /a.html HTTP/1.1\r\n\r\n", "application/http"),
        _warc_record("response", "http://gov.example.cn/a.html", _http(PAGE.encode()), "application/http"),
        # the charset only in the HTTP header: GBK bytes, no <meta charset>
        _warc_record(
            "response", "http://gov.example.cn/b.html", _http(gbk_page, "text/html; charset=GBK"), "application/http"
        ),
        _warc_record("response", "http://gov.example.cn/logo.png", _http(b"\x89PNG", "image/png"), "application/http"),
        _warc_record(
            "response",
            "http://gov.example.cn/gone.html",
            _http(b"<html>404</html>", status="404 Not Found"),
            "application/http",
        ),
        _warc_record("metadata", "http://gov.example.cn/a.html", b"outlink: x\r\n", "application/warc-fields"),
        _warc_record("resource", "http://gov.example.cn/c.txt", SEED_004.encode(), "text/plain"),
        _warc_record(
            "response",
            "http://gov.example.cn/robots.txt",
            _http(
                b"User-agent: *\nDisallow: /admin/\nDisallow: /search?\nSitemap: http://gov.example.cn/sitemap.xml\n",
                "text/plain",
            ),
            "application/http",
        ),
    ]
    (tmp_path / "crawl.warc.gz").write_bytes(_warc_gz(records))
    got = _ingest(tmp_path, sha=True)
    docs, rejects = _rows(got)
    assert set(docs) == {"http://gov.example.cn/a.html", "http://gov.example.cn/b.html", "http://gov.example.cn/c.txt"}
    a = docs["http://gov.example.cn/a.html"]
    assert a["source_path"] == "crawl.warc.gz" and a["url"] == "http://gov.example.cn/a.html"
    assert a["group"] == "gov.example.cn" and a["fetched_at"] == "2024-03-01T08:00:00Z"
    b = docs["http://gov.example.cn/b.html"]
    assert b["encoding"] == "gb18030" and "经济" in b["raw_text"]
    assert docs["http://gov.example.cn/c.txt"]["format"] == "txt"
    assert rejects["http://gov.example.cn/gone.html"]["reason"] == "not_a_page"
    assert "404" in rejects["http://gov.example.cn/gone.html"]["detail"]
    counted = rejects["not pages"]
    assert counted["reason"] == "not_a_page"
    for kind in ("request 1", "metadata 1", "warcinfo 1", "response image/png 1", "response robots.txt 1"):
        assert kind in counted["detail"], counted["detail"]
    assert len(got.rejects) == 2


def test_warc_chunked_gzip_body_and_cut_short_by_content_length(tmp_path):
    """wget keeps the body as it came over the wire: chunked and gzip-encoded."""
    body = gzip.compress(PAGE.encode())
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i : i + 100]), body[i : i + 100]) for i in range(0, len(body), 100))
    chunked += b"0\r\n\r\n"
    short = PAGE.encode()[:-200]
    records = [
        _warc_record(
            "response",
            "http://x.cn/a",
            _http(chunked, extra="Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n"),
            "application/http; msgtype=response",
        ),
        _warc_record(
            "response",
            "http://x.cn/cut",
            _http(short, extra=f"Content-Length: {len(PAGE.encode())}\r\n"),
            "application/http; msgtype=response",
        ),
    ]
    (tmp_path / "c.warc").write_bytes(b"".join(records))
    docs, rejects = _rows(_ingest(tmp_path))
    assert not rejects
    assert "经济" in docs["http://x.cn/a"]["raw_text"] and not docs["http://x.cn/a"]["cut_short"]
    assert docs["http://x.cn/cut"]["cut_short"]


def test_warc_brotli_body_is_decoded(tmp_path):
    """A server answers `Accept-Encoding: br` (browsertrix and headless-browser crawls send it) with a brotli body: it
    was a `decode_error` row ("cannot decode"), so the page was lost."""
    body = _arrow_compress(PAGE.encode(), "brotli")
    records = [
        _warc_record(
            "response",
            "http://x.cn/br",
            _http(body, extra="Content-Encoding: br\r\n"),
            "application/http; msgtype=response",
        ),
        _warc_record(
            "response",
            "http://x.cn/broken",
            _http(body[: len(body) // 2], extra="Content-Encoding: br\r\n"),
            "application/http; msgtype=response",
        ),
    ]
    (tmp_path / "c.warc").write_bytes(b"".join(records))
    docs, rejects = _rows(_ingest(tmp_path))
    assert "经济" in docs["http://x.cn/br"]["raw_text"]
    assert (
        rejects["http://x.cn/broken"]["reason"] == "decode_error"
        and "brotli" in rejects["http://x.cn/broken"]["detail"]
    )


def test_warc_repeated_uri_gets_its_own_stable_record(tmp_path):
    rec = _warc_record("response", "http://x.cn/a", _http(PAGE.encode()), "application/http")
    rec2 = _warc_record("response", "http://x.cn/a", _http(PAGE.replace("经济", "金融").encode()), "application/http")
    (tmp_path / "c.warc.gz").write_bytes(_warc_gz([rec, rec2]))
    first = {d["record"]: d["doc_id"] for d in _ingest(tmp_path).docs}
    assert set(first) == {"http://x.cn/a", "http://x.cn/a [2]"}
    # the WARC grows (the crawler appends): what it held keeps its ids
    rec3 = _warc_record("response", "http://x.cn/b", _http(PAGE.encode()), "application/http")
    (tmp_path / "c.warc.gz").write_bytes(_warc_gz([rec, rec2, rec3]))
    second = {d["record"]: d["doc_id"] for d in _ingest(tmp_path).docs}
    assert {k: second[k] for k in first} == first and "http://x.cn/b" in second


def test_truncated_warc_keeps_the_records_before_the_cut(tmp_path):
    records = [
        _warc_record(
            "response", f"http://x.cn/{i}", _http(PAGE.replace("经济", f"经济{i}").encode()), "application/http"
        )
        for i in range(3)
    ]
    raw = _warc_gz(records)
    (tmp_path / "c.warc.gz").write_bytes(raw[: len(raw) - 300])
    docs, rejects = _rows(_ingest(tmp_path))
    assert set(docs) == {"http://x.cn/0", "http://x.cn/1"}
    assert rejects["tail"]["reason"] == "decode_error" and "2 member(s)" in rejects["tail"]["detail"]


def test_warc_gzip_bomb_is_stopped_by_the_ratio(tmp_path):
    cap = 64 * 1024
    big = _warc_record("resource", "http://x.cn/z", b"0" * (cap * (MULTI_DOC_FACTOR + 8)), "text/plain")
    ok = _warc_record("response", "http://x.cn/a", _http(PAGE.encode()), "application/http")
    (tmp_path / "c.warc.gz").write_bytes(_warc_gz([ok, big]))
    docs, rejects = _rows(_ingest(tmp_path, max_doc_bytes=cap))
    assert set(docs) == {"http://x.cn/a"}
    assert rejects["tail"]["reason"] == "too_large" and "bomb" in rejects["tail"]["detail"]


def test_not_a_warc_is_one_reject(tmp_path):
    (tmp_path / "c.warc").write_bytes(PAGE.encode())
    got = _ingest(tmp_path)
    assert got.docs == [] and [(r["record"], r["reason"]) for r in got.rejects] == [(None, "decode_error")]


# ---------------------------------------------------------------- compressed pages


@pytest.mark.parametrize(
    "ext,compress", [(".bz2", bz2.compress), (".xz", lzma.compress), (".gz", gzip.compress), (".zst", _arrow_compress)]
)
def test_compressed_pages(tmp_path, ext, compress):
    """`.txt.bz2`/`.html.xz` were `unsupported_type` while `.html.gz` was read; `.zst` too until session 47."""
    (tmp_path / f"a.txt{ext}").write_bytes(compress(SEED_000.encode("gb18030")))
    (tmp_path / f"b.html{ext}").write_bytes(compress(PAGE.encode()))
    got = _ingest(tmp_path, sha=True)
    assert not got.rejects and len(got.docs) == 2
    assert {d["format"] for d in got.docs} == {"txt", "html"}


@pytest.mark.parametrize("ext,compress", [(".bz2", bz2.compress), (".xz", lzma.compress), (".zst", _arrow_compress)])
def test_compressed_page_bomb_and_damage(tmp_path, ext, compress):
    (tmp_path / f"a.txt{ext}").write_bytes(compress(b"0" * (200 * 1024)))
    (tmp_path / f"b.txt{ext}").write_bytes(compress(SEED_000.encode())[:-30])
    got = _ingest(tmp_path, max_doc_bytes=64 * 1024)
    assert {r["source_path"]: r["reason"] for r in got.rejects} == {
        f"a.txt{ext}": "too_large",
        f"b.txt{ext}": "decode_error",
    }


def test_tar_names_that_are_not_utf8_become_labels(tmp_path):
    """tarfile keeps undecodable name bytes as lone surrogates, which Parquet cannot store: GB18030 names are read as
    such, other bytes shown as `\\xNN`."""
    with tarfile.open(tmp_path / "b.tar", "w", encoding="utf-8", errors="surrogateescape") as tf:
        for raw in ("讲话.txt".encode("gb18030"), b"bad\xff\xfe.txt"):
            info = tarfile.TarInfo(raw.decode("utf-8", "surrogateescape"))
            info.size = len(SEED_004.encode())
            tf.addfile(info, io.BytesIO(SEED_004.encode()))
    docs, _ = _rows(_ingest(tmp_path))
    assert set(docs) == {"讲话.txt", "bad\\xff\\xfe.txt"}
    for name in docs:
        name.encode("utf-8")  # no lone surrogate


def test_a_broken_nested_archive_is_the_row_of_its_member(tmp_path):
    _zip(tmp_path / "b.zip", {"inner.zip": b"not a zip" * 20, "a.html": PAGE.encode()})
    docs, rejects = _rows(_ingest(tmp_path))
    assert set(docs) == {"a.html"} and rejects["inner.zip"]["reason"] == "decode_error"


# ---------------------------------------------------------------- JSONL members


def test_jsonl_members_of_a_tar_are_read_record_by_record(tmp_path):
    """A month of a crawler's daily JSONL dumps tarred together was one `unsupported_type` row a member ("unpack it"):
    nothing of it reached the corpus. Records are named `member!/L3`, as a nested archive's members are."""
    import json
    import random

    day1 = "\n".join([json.dumps({"text": SEED_000, "url": "http://www.xx.gov.cn/a.html"}, ensure_ascii=False), "{"])
    day2 = json.dumps({"content": SEED_004}, ensure_ascii=False).encode()
    rng = random.Random(3)  # noise, so the stream is not one long back-reference
    cut = gzip.compress(
        "\n".join(json.dumps({"text": f"{rng.randbytes(300).hex()} {SEED_004}"}) for _ in range(60)).encode()
    )
    _tar(
        tmp_path / "crawl-2024-03.tar.gz",
        {
            "2024-03-01.jsonl": day1.encode(),
            "2024-03-02.ndjson.bz2": bz2.compress(day2),
            "2024-03-03.jsonl.gz": cut[: len(cut) // 2],
            "2024-03-04.jsonl": b"\n\n",
            "rows.parquet": b"PAR1",
        },
    )
    got = _ingest(tmp_path / "crawl-2024-03.tar.gz", sha=True)
    docs, rejects = _rows(got)
    assert docs["2024-03-01.jsonl!/L1"]["url"] == "http://www.xx.gov.cn/a.html"
    assert docs["2024-03-01.jsonl!/L1"]["source_path"] == "crawl-2024-03.tar.gz"
    assert "2024-03-02.ndjson.bz2!/L1" in docs
    assert rejects["2024-03-01.jsonl!/L2"]["reason"] == "bad_record"
    day3 = [r for r in docs if r.startswith("2024-03-03.jsonl.gz!/")]
    assert 0 < len(day3) < 60  # the lines before the cut are kept, the rest is one row
    assert rejects["2024-03-03.jsonl.gz!/tail"]["reason"] == "decode_error"
    assert rejects["2024-03-04.jsonl"]["reason"] == "empty"
    assert rejects["rows.parquet"]["reason"] == "unsupported_type"  # Parquet needs seeks: unpack it
    for d in got.docs:  # ids from content, the archive and the record: never the member's position
        assert d["doc_id"] == doc_id_for(d["content_sha256"], "crawl-2024-03.tar.gz", d["record"])


def test_a_jsonl_member_is_capped_like_a_jsonl_file(tmp_path):
    _zip(tmp_path / "dumps.zip", {"big.jsonl.xz": lzma.compress(b"\n" * (MULTI_DOC_FACTOR * 1024 + 10))})
    got = _ingest(tmp_path / "dumps.zip", max_doc_bytes=1024)
    assert [(r["record"], r["reason"]) for r in got.rejects] == [("big.jsonl.xz", "too_large")]
