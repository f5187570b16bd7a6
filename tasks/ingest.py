"""Ingest: find the inputs, plan stable shards, read and decode every page.

Nothing is dropped silently: every discovered file ends as documents or as rejects with a reason
and a detail that says what to do. Only errors that may pass on retry (I/O hiccups, timeouts)
escape as exceptions, so that the Prefect task around this module can retry them.
"""

from __future__ import annotations

import codecs
import errno
import gzip
import hashlib
import io
import json
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import xxhash

from tasks.common import sha256_hex

INGEST_VERSION = "ingest-1"

SINGLE_DOC_SUFFIXES = (".txt", ".html", ".htm", ".xhtml")
MULTI_DOC_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".parquet")
SUPPORTED_SUFFIXES = SINGLE_DOC_SUFFIXES + MULTI_DOC_SUFFIXES

TEXT_FIELDS = ("text", "content", "raw_text", "body")  # first present one is the page text
MAX_DOC_BYTES = 8 * 1024 * 1024  # a speech is < 1 MB; 8 MB of "speech" is a dump or a mistake
MIN_RAW_CHARS = 20  # shorter than this there is nothing to normalize; the real bar is min_chars later


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class InputFile:
    """One discovered file. `relpath` (path below the input root) feeds doc ids, so that moving
    the landing folder elsewhere does not change them."""

    path: str  # fsspec-openable path as we will read it (protocol kept for remote URLs)
    source_path: str  # the path as the user would recognise it
    relpath: str
    size: int


_GLOB_CHARS = re.compile(r"[*?\[]")


def discover(inputs: Iterable[str], exclude: Iterable[str] = ()) -> list[InputFile]:
    """List every file under the inputs (folders recursively, globs, files, fsspec URLs).

    Hidden files and folders (`.git`, `.DS_Store`) and anything under `exclude` (the output
    folder, when it sits inside the landing folder) are skipped; everything else is returned,
    supported or not, so that unsupported files become rejects rather than vanish.
    """
    excluded = [e.rstrip("/") + "/" for e in exclude]
    found: dict[str, InputFile] = {}
    for spec in inputs:
        fs, root = fsspec.core.url_to_fs(spec)
        protocol = _protocol(fs)
        if _GLOB_CHARS.search(root):
            base = root[: _GLOB_CHARS.search(root).start()].rsplit("/", 1)[0]
            entries = {p: info for p, info in fs.glob(root, detail=True).items() if info["type"] == "file"}
        elif fs.isdir(root):
            base = root.rstrip("/")
            entries = fs.find(root, detail=True)
        elif fs.exists(root):
            base = posixpath.dirname(root.rstrip("/"))
            entries = {root: fs.info(root)}
        else:
            raise FileNotFoundError(f"input {spec!r} does not exist: give a folder, a glob, a file or an fsspec URL")
        for path, info in entries.items():
            rel = posixpath.relpath(path, base) if base else path
            if _is_hidden(rel) or any((path + "/").startswith(e) or path.startswith(e) for e in excluded):
                continue
            full = path if protocol in ("file", "local") else f"{protocol}://{path}"
            source = _source_path(spec, root, path, protocol)
            found.setdefault(full, InputFile(full, source, rel, int(info.get("size") or 0)))
    return sorted(found.values(), key=lambda f: f.path)


def _protocol(fs: fsspec.AbstractFileSystem) -> str:
    proto = fs.protocol
    return proto[0] if isinstance(proto, (tuple, list)) else proto


def _is_hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/") if part not in (".", ".."))


def _source_path(spec: str, root: str, path: str, protocol: str) -> str:
    """Show paths relative to what the user typed: `data/samples/x.txt`, not `/work/.../x.txt`."""
    if protocol not in ("file", "local"):
        return f"{protocol}://{path}"
    if "://" in spec or _GLOB_CHARS.search(spec):
        return path
    spec_norm = spec.rstrip("/")
    root_norm = root.rstrip("/")
    if path == root_norm:
        return spec
    if path.startswith(root_norm + "/"):
        return spec_norm + path[len(root_norm) :]
    return path


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class ShardPlan:
    shard_id: str
    files: tuple[InputFile, ...]

    @property
    def n_bytes(self) -> int:
        return sum(f.size for f in self.files)


def plan_shards(files: list[InputFile], target_docs: int = 2000, max_bytes: int = 32 * 1024 * 1024) -> list[ShardPlan]:
    """Cut the path-sorted file list into shards at content-defined boundaries.

    A file starts a new shard when the hash of its relative path hits 0 modulo the target size
    (like content-defined chunking), so the cut points depend only on the file's own name:
    adding or removing files changes only the shard they fall in. A new top-level folder (a
    crawler's new dated folder) also starts a shard once the current one is a quarter full, so
    new days form shards of their own. A shard over `max_bytes` is split again at finer
    boundaries (still name-based), so no shard ties up a worker for long.
    """
    ordered = sorted(files, key=lambda f: f.relpath)
    shards = [list(group) for group in _cut(ordered, max(1, target_docs))]
    out: list[list[InputFile]] = []
    for group in shards:
        out.extend(_split_large(group, max(1, target_docs) // 2, max_bytes))
    return [ShardPlan(_shard_id(g), tuple(g)) for g in out if g]


def _boundary(f: InputFile, modulus: int) -> bool:
    return modulus <= 1 or xxhash.xxh64_intdigest(f.relpath.encode("utf-8")) % modulus == 0


def _cut(files: list[InputFile], modulus: int) -> Iterator[list[InputFile]]:
    current: list[InputFile] = []
    for f in files:
        if current and (_boundary(f, modulus) or _new_folder(current, f, modulus)):
            yield current
            current = []
        current.append(f)
    if current:
        yield current


def _new_folder(current: list[InputFile], f: InputFile, modulus: int) -> bool:
    """A new top-level folder (a crawler's new day) starts a shard once the current one holds a
    quarter of the target, so tonight's pages do not re-run an old shard, and tiny days don't
    make tiny shards."""
    return len(current) >= max(1, modulus // 4) and _top_folder(f) != _top_folder(current[-1])


def _top_folder(f: InputFile) -> str:
    return f.relpath.split("/", 1)[0] if "/" in f.relpath else ""


def _split_large(group: list[InputFile], modulus: int, max_bytes: int) -> list[list[InputFile]]:
    if len(group) <= 1 or sum(f.size for f in group) <= max_bytes:
        return [group]
    parts = list(_cut(group, max(1, modulus)))
    if len(parts) == 1:  # no finer boundary inside: try a finer modulus
        if modulus <= 1:
            return [group]
        return _split_large(group, modulus // 2, max_bytes)
    return [p for part in parts for p in _split_large(part, max(1, modulus // 2), max_bytes)]


def _shard_id(group: list[InputFile]) -> str:
    """Named after its first file, so a shard keeps its name while files join or leave it."""
    return "shard-" + xxhash.xxh64_hexdigest(group[0].relpath.encode("utf-8"))[:10]


# --------------------------------------------------------------------------- fingerprint


def fingerprint(path: str) -> tuple[str | None, int, str | None]:
    """sha256 of the bytes; (None, 0, error) when the file cannot be read for a lasting reason."""
    try:
        h = hashlib.sha256()
        size = 0
        with fsspec.open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
                size += len(chunk)
        return h.hexdigest(), size, None
    except OSError as exc:
        if not _is_lasting(exc):
            raise
        return None, 0, _describe_os_error(exc)


_LASTING_ERRNOS = {
    errno.ENOENT,
    errno.EACCES,
    errno.EPERM,
    errno.EISDIR,
    errno.ENOTDIR,
    errno.ENAMETOOLONG,
    errno.ELOOP,
}


def _is_lasting(exc: OSError) -> bool:
    """Missing file, no permission: retrying won't help, so it is a reject, not a failure."""
    return isinstance(exc, (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError)) or (
        exc.errno in _LASTING_ERRNOS
    )


def _describe_os_error(exc: OSError) -> str:
    return f"cannot read the file ({exc.__class__.__name__}: {exc.strerror or exc}); check it exists and is readable"


# --------------------------------------------------------------------------- decoding


class Reject(Exception):
    """A data problem with one input: becomes a rejects row, never a failed run."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# GB2312 and GBK pages are decoded as their superset GB18030, so no character is lost.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs", "cp936": "gb18030"}


def decode_bytes(data: bytes, html: bool = False) -> tuple[str, str]:
    """Bytes -> (text, encoding): BOM, strict UTF-8, the page's declared charset, then detection.

    Raises Reject for binary data or bytes no encoding explains.
    """
    if not data.strip():
        raise Reject("empty", "the file has no content (0 bytes or only whitespace); check the crawler's download")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise Reject(
                    "decode_error",
                    f"starts with a {enc} byte-order mark but is not valid {enc} ({exc.reason} at byte {exc.start}); re-download the page",
                ) from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16), utf16
    if _looks_binary(data):
        raise Reject(
            "binary", "the file holds binary data (NUL/control bytes), not text; is it a PDF, image or archive?"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            enc = _CHARSET_ALIASES.get(
                declared.group(1).decode("ascii", "ignore").lower(), declared.group(1).decode("ascii", "ignore").lower()
            )
            try:
                return data.decode(enc), enc
            except (UnicodeDecodeError, LookupError):
                pass
    return _detect(data, utf8_error)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM shows as NUL bytes on every other position for ASCII and CJK alike."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    for enc, ok in (("utf-16-le", odd_nul > 0.2 and even_nul < 0.05), ("utf-16-be", even_nul > 0.2 and odd_nul < 0.05)):
        if ok:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _mostly_text(text):
                return enc
    # CJK-only UTF-16 has few NULs: accept it when it decodes cleanly into mostly Han characters.
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _han_share(text) > 0.6 and _mostly_text(text):
            return enc
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or (13 < b < 32 and b != 27))
    return controls / max(1, len(sample)) > 0.05


def _mostly_text(text: str) -> bool:
    sample = text[:2000]
    printable = sum(1 for ch in sample if ch.isprintable() or ch in "\r\n\t")
    return printable / max(1, len(sample)) > 0.95


def _han_share(text: str) -> float:
    sample = text[:2000]
    han = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    return han / max(1, len(sample))


def _detect(data: bytes, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    """Not UTF-8: let charset-normalizer choose among the Chinese legacy encodings."""
    from charset_normalizer import from_bytes

    best = from_bytes(
        data,
        cp_isolation=["gb18030", "big5", "big5hkscs", "utf_16", "utf_16_le", "utf_16_be", "utf_8", "hz"],
    ).best()
    if best is not None and best.encoding:
        enc = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}.get(best.encoding, best.encoding)
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            text = str(best)
        if _mostly_text(text) and (_han_share(text) > 0.2 or len(text) < 200):
            return text, enc.replace("_", "-")
    # Truncated UTF-8 (a download cut mid-character) is UTF-8 with a damaged tail, not a legacy encoding.
    if utf8_error.start >= len(data) - 3:
        return data[: utf8_error.start].decode("utf-8"), "utf-8"
    raise Reject(
        "decode_error",
        f"not valid UTF-8 (bad byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) and no "
        "Chinese legacy encoding (GB18030, Big5, UTF-16) explains the bytes; convert the file to UTF-8",
    )


# --------------------------------------------------------------------------- formats


@dataclass
class ShardIngest:
    docs: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)


def doc_id_for(content_sha256: str, relpath: str) -> str:
    return sha256_hex(f"{content_sha256}\n{relpath}")[:16]


def ingest_files(files: Iterable[tuple[InputFile, str | None]], max_doc_bytes: int = MAX_DOC_BYTES) -> ShardIngest:
    """Read a shard's files. Each item is (file, sha256 from the fingerprint step or None)."""
    out = ShardIngest()
    for f, expected_sha in files:
        ingest_one(f, out, max_doc_bytes=max_doc_bytes, expected_sha=expected_sha)
    out.docs.sort(key=lambda d: d["doc_id"])
    out.rejects.sort(key=lambda r: r["source_path"])
    return out


def ingest_one(
    f: InputFile, out: ShardIngest, max_doc_bytes: int = MAX_DOC_BYTES, expected_sha: str | None = None
) -> None:
    lower = f.relpath.lower()
    suffix = next((s for s in sorted(SUPPORTED_SUFFIXES, key=len, reverse=True) if lower.endswith(s)), None)
    if suffix is None:
        out.rejects.append(
            _reject_row(
                f.source_path,
                None,
                "unsupported_type",
                f"unsupported file type {posixpath.splitext(lower)[1] or '(no extension)'!r}; "
                f"supported: {', '.join(SUPPORTED_SUFFIXES)}",
            )
        )
        return
    if suffix in SINGLE_DOC_SUFFIXES and f.size > max_doc_bytes:
        out.rejects.append(
            _reject_row(
                f.source_path,
                expected_sha,
                "too_large",
                f"{f.size:,} bytes is more than one speech (limit {max_doc_bytes:,}); "
                "split the file or raise --max-doc-bytes",
            )
        )
        return
    try:
        with fsspec.open(f.path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        if not _is_lasting(exc):
            raise  # transient: the task retries
        out.rejects.append(_reject_row(f.source_path, None, "read_error", _describe_os_error(exc)))
        return
    sha = sha256_hex(data)
    try:
        if suffix in (".html", ".htm", ".xhtml"):
            out.docs.append(_html_doc(f, data, sha))
        elif suffix == ".txt":
            out.docs.append(_text_doc(f, data, sha))
        elif suffix == ".parquet":
            _parquet_docs(f, data, sha, out, max_doc_bytes)
        else:
            _jsonl_docs(f, data, sha, out, max_doc_bytes, gz=suffix.endswith(".gz"))
    except Reject as rej:
        out.rejects.append(_reject_row(f.source_path, sha, rej.reason, rej.detail))


def _reject_row(source_path: str, sha: str | None, reason: str, detail: str) -> dict[str, Any]:
    return {"source_path": source_path, "content_sha256": sha, "reason": reason, "detail": detail}


def _base_doc(f: InputFile, sha: str, fmt: str, raw_text: str, encoding: str | None, **extra: Any) -> dict[str, Any]:
    if len(raw_text.strip()) < MIN_RAW_CHARS:
        raise Reject("too_short", f"only {len(raw_text.strip())} characters of text; nothing to analyse")
    doc = {
        "doc_id": doc_id_for(sha, extra.pop("id_path", f.relpath)),
        "source_path": extra.pop("source_path", f.source_path),
        "content_sha256": sha,
        "format": fmt,
        "encoding": encoding,
        "url": None,
        "fetched_at": None,
        "page_title": None,
        "raw_text": raw_text,
        "group": posixpath.dirname(f.relpath) or ".",
    }
    doc.update(extra)
    if doc["url"]:
        doc["group"] = _url_host(doc["url"]) or doc["group"]
    return doc


def _url_host(url: str) -> str | None:
    m = re.match(r"^[a-z][a-z0-9+.-]*://([^/?#:]+)", url.strip(), re.I)
    return m.group(1).lower() if m else None


def _text_doc(f: InputFile, data: bytes, sha: str) -> dict[str, Any]:
    text, encoding = decode_bytes(data)
    return _base_doc(f, sha, "txt", _clean_controls(text), encoding)


_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def _html_doc(f: InputFile, data: bytes, sha: str, url: str | None = None) -> dict[str, Any]:
    html, encoding = decode_bytes(data, html=True)
    title, text = html_main_text(html, url)
    if text is None:
        raise Reject(
            "no_text",
            "the HTML page has no main text the extractor (trafilatura) can find; is it a list or login page?",
        )
    return _base_doc(f, sha, "html", text, encoding, page_title=title, url=url)


def html_main_text(html: str, url: str | None = None) -> tuple[str | None, str | None]:
    """Main text via trafilatura (favouring recall: chrome is normalize's job, lost body is forever)."""
    import html as html_lib

    import trafilatura

    m = _TITLE_TAG.search(html[:20000])
    title = html_lib.unescape(re.sub(r"\s+", " ", m.group(1))).strip() if m else None
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, favor_recall=True, include_comments=False, include_tables=True, with_metadata=False
        )
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        raise Reject(
            "parse_error",
            f"the HTML could not be parsed ({exc.__class__.__name__}: {exc}); check the download is complete",
        ) from None
    text = getattr(doc, "text", None) if doc is not None else None
    if text and doc.title and not text.startswith(doc.title):
        text = f"{doc.title}\n{text}"
    return title or None, text or None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_controls(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _record_text(record: dict[str, Any]) -> tuple[str | None, str | None]:
    for key in TEXT_FIELDS:
        value = record.get(key)
        if isinstance(value, str):
            return key, value
    return None, None


def _record_doc(f: InputFile, record: dict[str, Any], rid: str, out: ShardIngest, fmt: str, max_doc_bytes: int) -> None:
    """One record of a JSONL/Parquet file: text plus optional url/title/fetched_at."""
    source = f"{f.source_path}#{rid}"
    key, text = _record_text(record)
    if text is None:
        out.rejects.append(
            _reject_row(source, None, "bad_record", f"record has no text field (looked for {', '.join(TEXT_FIELDS)})")
        )
        return
    sha = sha256_hex(text)
    if len(text.encode("utf-8")) > max_doc_bytes:
        out.rejects.append(_reject_row(source, sha, "too_large", f"record text over {max_doc_bytes:,} bytes"))
        return
    url = record.get("url") if isinstance(record.get("url"), str) else None
    title = record.get("title") if isinstance(record.get("title"), str) else None
    fetched = record.get("fetched_at")
    try:
        if "<html" in text[:2000].lower() or "<body" in text[:5000].lower():
            page_title, main = html_main_text(text, url)
            if main is None:
                raise Reject("no_text", "the record's HTML has no main text the extractor can find")
            title = title or page_title
            text = main
        out.docs.append(
            _base_doc(
                f,
                sha,
                fmt,
                _clean_controls(text),
                "utf-8",
                id_path=f"{f.relpath}#{rid}",
                source_path=source,
                url=url,
                page_title=title,
                fetched_at=None if fetched is None else str(fetched),
            )
        )
    except Reject as rej:
        out.rejects.append(_reject_row(source, sha, rej.reason, rej.detail))


def _jsonl_docs(f: InputFile, data: bytes, sha: str, out: ShardIngest, max_doc_bytes: int, gz: bool) -> None:
    if gz:
        try:
            data = _gunzip(data)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            if not data:
                raise Reject("empty", "empty .gz file") from None
            # A cut-off archive still yields the records before the cut; say so in the rejects.
            partial = _gunzip_partial(data)
            if not partial:
                raise Reject("decode_error", f"not a readable gzip file ({exc}); re-download it") from None
            out.rejects.append(
                _reject_row(
                    f"{f.source_path}#tail",
                    sha,
                    "decode_error",
                    f"gzip stream is damaged ({exc}); records after the damage are lost — re-download the file",
                )
            )
            data = partial
    n_records = 0
    for line_no, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        n_records += 1
        rid = f"L{line_no}"
        try:
            record = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            out.rejects.append(
                _reject_row(
                    f"{f.source_path}#{rid}",
                    sha256_hex(line),
                    "bad_record",
                    f"line {line_no} is not valid JSON ({exc.__class__.__name__}: {str(exc)[:120]}); fix or drop the line",
                )
            )
            continue
        if not isinstance(record, dict):
            out.rejects.append(
                _reject_row(
                    f"{f.source_path}#{rid}",
                    sha256_hex(line),
                    "bad_record",
                    f"line {line_no} is JSON but not an object",
                )
            )
            continue
        _record_doc(f, record, rid, out, "jsonl", max_doc_bytes)
    if n_records == 0:
        raise Reject("empty", "the JSONL file holds no records")


def _gunzip(data: bytes) -> bytes:
    return gzip.decompress(data)


def _gunzip_partial(data: bytes) -> bytes:
    """Whatever a cut-off gzip stream still yields, up to its last complete line."""
    import zlib

    decoder = zlib.decompressobj(wbits=31)
    try:
        got = decoder.decompress(data)
    except zlib.error:
        return b""
    return got[: got.rfind(b"\n") + 1] if b"\n" in got else b""


def _parquet_docs(f: InputFile, data: bytes, sha: str, out: ShardIngest, max_doc_bytes: int) -> None:
    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise Reject("decode_error", f"not a readable Parquet file ({exc}); re-export it") from None
    if table.num_rows == 0:
        raise Reject("empty", "the Parquet file has no rows")
    if not any(k in table.column_names for k in TEXT_FIELDS):
        raise Reject(
            "bad_record", f"no text column (looked for {', '.join(TEXT_FIELDS)}; found {', '.join(table.column_names)})"
        )
    for i, record in enumerate(table.to_pylist()):
        rid = f"row={record['id']}" if isinstance(record.get("id"), (str, int)) else f"row={i}"
        _record_doc(f, record, rid, out, "parquet", max_doc_bytes)


# ----------------------------------------------------------------------------- stage runner


def ingest_shard(inputs: dict[str, Any], out_dir: str, max_doc_bytes: int) -> dict[str, Any]:
    """Decode the shard's files: docs.parquet (raw text + page metadata) and rejects.parquet."""
    from collections import Counter
    from pathlib import Path

    from tasks import schema
    from tasks.common import rows_to_table, write_table

    result = ingest_files(inputs["files"], max_doc_bytes=max_doc_bytes)
    out = Path(out_dir)
    write_table(rows_to_table(result.docs, schema.INGEST_DOCS), out / "docs.parquet", ["doc_id"])
    write_table(rows_to_table(result.rejects, schema.REJECTS), out / "rejects.parquet", schema.SORT_KEYS["rejects"])
    groups = Counter(doc["group"] for doc in result.docs)
    return {
        "docs": len(result.docs),
        "rejects": len(result.rejects),
        "groups": dict(sorted(groups.items())),
        "bytes": sum(len(d["raw_text"].encode("utf-8")) for d in result.docs),
        # a page that changed or vanished while read is right next run, so this result must not be reused
        "cacheable": getattr(result, "cacheable", True),
    }
