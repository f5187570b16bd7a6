"""Archives in the landing folder: zip and tar bundles and crawl archives (WARC), read member by member.

Crawlers and operators drop what they fetched as bundles — `wget --warc-file`, Heritrix, browsertrix and
scrapy's WARC writers (`crawl.warc.gz`), a zip or tarball of a mirrored site — and these were `unsupported_type`
rejects ("unpack it"), so nothing of them reached the corpus. Each member (a zip/tar entry, a WARC response or
resource record) is now read as its own input: `source_path` is the archive, `record` names the member (`a/b.html`,
a WARC record's target URI, `inner.zip!/a.html` for an archive inside an archive), and doc ids follow from the
member's bytes, the archive's path and the member's name — never from the member's position — so an archive that
grows (a WARC appended to) keeps the ids of what it held.

Everything is streamed: a tar or WARC is read front to back once (inflated on the fly), a zip through its central
directory with one member open at a time; a member is read up to max_doc_bytes and the rest of it skipped, and the
whole archive may not inflate past ARCHIVE_RATIO times its own size (zip and gzip bombs, overlapping zip entries).
Every member ends as a document or a reject naming it; records that hold no page (WARC requests, metadata,
revisits, images and scripts) are counted in one reject row per archive that says what they were.
"""

from __future__ import annotations

import bz2
import io
import lzma
import re
import tarfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

# Archive suffixes read member by member (see the module docstring); longest first where one ends another.
ZIP_SUFFIXES = (".zip",)
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst", ".tzst")
WARC_SUFFIXES = (".warc", ".warc.gz")
ARCHIVE_SUFFIXES = ZIP_SUFFIXES + TAR_SUFFIXES + WARC_SUFFIXES

# How far an archive may inflate, in multiples of its own (compressed) bytes, once past the multi-document cap:
# text and HTML deflate 3-10x (the shared corpus's pages gzip to 1/4-1/6; a WARC.gz of HTML responses ~1/5), a zip
# bomb 1,000x (42.zip) to 28 million x (overlapping entries). 100x leaves every real crawl far inside it and stops
# a bomb after ~100 bytes inflated per byte it holds: time stays linear in the archive's size.
ARCHIVE_RATIO = 100
# Archives inside archives are opened this deep (`crawl.zip!/day1.tar.gz!/a.html`); deeper ones are rejects. A
# nested bomb (42.zip nests 5 levels) is stopped by the depth and by each level's ratio.
MAX_ARCHIVE_DEPTH = 3
# WARC records' heads are a few hundred bytes (WARC 1.1: named fields, one per line); a head past this is no WARC.
WARC_HEAD_BYTES = 65536
CHUNK = 1 << 20  # inflated at most 1 MB at a time (as ingest.READ_CHUNK)

# WARC record types that hold no page of their own: `request` (what the crawler sent), `metadata` (links found,
# fetch times), `warcinfo` (the crawl's settings), `revisit` (the payload equals an earlier response, which is read),
# `continuation` (the rest of a segmented record, rare). Counted, never documents.
_WARC_NO_PAGE = ("request", "metadata", "warcinfo", "revisit", "continuation")
# Content types read as pages; a response of another type (image, script, style sheet, PDF) is counted as not a page.
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/xml", "application/xml", "message/rfc822")
# Files a crawler fetches from every site (wget and Heritrix ask for robots.txt first; sitemaps list the pages):
# text/plain and XML, but no page.
_CRAWL_FILES = re.compile(r"^[a-z]+://[^/?#]+/(?:robots\.txt|sitemap[\w-]*\.xml(?:\.gz)?)(?:[?#]|$)", re.I)
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


class Bomb(Exception):
    """The archive inflates past ARCHIVE_RATIO times its size."""


class Damaged(Exception):
    """The archive's bytes stop making sense (cut short, corrupt): what came before is kept."""


@dataclass
class Member:
    """One member of an archive, read up to the cap: `data` is None when it is larger (`size` says how large, as far
    as it was read). `headers` are a WARC response's HTTP headers (lower-cased names), used as saved headers are."""

    name: str
    data: bytes | None
    size: int
    url: str | None = None
    fetched_at: str | None = None
    headers: dict[bytes, bytes] | None = None
    status: int | None = None
    page_type: str | None = None
    problem: tuple[str, str] | None = None


@dataclass
class Budget:
    """Inflated bytes an archive may still produce: max(cap, ARCHIVE_RATIO x compressed bytes read so far)."""

    cap: int
    compressed: Any  # a callable giving the compressed bytes read so far
    inflated: int = 0

    def spend(self, n: int) -> None:
        self.inflated += n
        if self.inflated > max(self.cap, ARCHIVE_RATIO * self.compressed()):
            raise Bomb(self.inflated)


@dataclass
class NotPages:
    """WARC records and zip/tar entries that hold no page, counted by kind for one reject row."""

    kinds: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str) -> None:
        self.kinds[kind] += 1

    def detail(self) -> str:
        n = sum(self.kinds.values())
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:12])
        more = "" if len(self.kinds) <= 12 else f", and {len(self.kinds) - 12} more kinds"
        return (
            f"{n:,} record(s) of the archive hold no page and are not read: {parts}{more} (a crawl archive keeps "
            "the requests it sent, its metadata and every image and script with the pages; a revisit repeats an "
            "earlier response, which is read); nothing to do"
        )


def archive_kind(suffix: str) -> str:
    return "zip" if suffix in ZIP_SUFFIXES else "warc" if suffix in WARC_SUFFIXES else "tar"


# --------------------------------------------------------------------------- streams


def sniffed_codec(head: bytes) -> str | None:
    """The compression a stream's first bytes name (gzip, bzip2, xz, zstd), whatever the file is called."""
    if head.startswith(b"\x1f\x8b"):
        return "gz"
    if head.startswith(ZSTD_MAGIC):
        return "zst"
    if head.startswith(b"BZh"):
        return "bz2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    return None


def _decompressor(codec: str) -> Any:
    if codec == "gz":
        return zlib.decompressobj(wbits=31)
    if codec == "bz2":
        return bz2.BZ2Decompressor()
    return lzma.LZMADecompressor()


def inflate(chunks: Iterable[bytes], codec: str, budget: Budget | None, cap: int | None = None) -> Iterator[bytes]:
    """A gzip, bzip2, xz or zstd stream (several members/streams in a row, as `cat a.gz b.gz`) inflated at most CHUNK
    at a time; the inflated bytes are charged to `budget` (Bomb) and stop at `cap` (Damaged is raised for a stream
    cut short or corrupt, OverflowError past `cap`)."""
    if codec in ARROW_CODECS:
        yield from _pull_inflate(chunks, codec, budget, cap)
        return
    decoder: Any = None
    total = 0
    for chunk in chunks:
        data = chunk
        more = bool(data)
        while more:
            if decoder is None:
                decoder = _decompressor(codec)
            try:
                if codec == "gz":
                    out = decoder.decompress(data, CHUNK)
                    tail = decoder.unconsumed_tail
                else:  # bz2/lzma keep unconsumed input themselves: feed b"" until they need more
                    out = decoder.decompress(data, CHUNK)
                    tail = b""
            except (zlib.error, OSError, EOFError, lzma.LZMAError) as exc:
                raise Damaged(f"the {codec} stream is corrupt ({exc})") from None
            total += len(out)
            if budget is not None:
                budget.spend(len(out))
            if cap is not None and total > cap:
                raise OverflowError(total)
            if out:
                yield out
            if decoder.eof:
                data = decoder.unused_data
                decoder = None
                more = bool(data.strip(b"\0"))  # tar.gz writers may pad with NULs after the last member
            elif codec == "gz":
                data = tail
                more = bool(data) or len(out) == CHUNK
            else:
                data = b""
                more = len(out) == CHUNK or not decoder.needs_input
    if decoder is not None:
        raise Damaged(f"the {codec} stream ends early (the file is cut short)")


# Codecs the standard library lacks, decoded by pyarrow's streaming codecs (already a dependency; its wheels carry
# zstd and brotli): zstd for `.jsonl.zst`/`.tar.zst` (Hugging Face datasets, The Pile, datatrove's own outputs),
# brotli for WARC bodies a server sent `Content-Encoding: br` (most CDNs, for browsers that ask for it).
ARROW_CODECS = {"zst": "zstd", "br": "brotli"}
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def _pull_inflate(chunks: Iterable[bytes], codec: str, budget: Budget | None, cap: int | None) -> Iterator[bytes]:
    """inflate() for ARROW_CODECS: pyarrow pulls the compressed bytes through ChunkReader, CHUNK inflated at a time."""
    import pyarrow as pa

    source = ChunkReader(chunks)
    total = 0
    try:
        stream = pa.CompressedInputStream(pa.PythonFile(source, mode="r"), ARROW_CODECS[codec])
        while True:
            out = stream.read(CHUNK)
            if not out:
                break
            total += len(out)
            if budget is not None:
                budget.spend(len(out))
            if cap is not None and total > cap:
                raise OverflowError(total)
            yield out
    except OSError as exc:  # pyarrow's ArrowIOError: corrupt, or "Truncated compressed stream"
        ends_early = "runcated" in str(exc)
        what = "ends early (the file is cut short)" if ends_early else f"is corrupt ({exc})"
        raise Damaged(f"the {codec} stream {what}") from None
    if source.n == 0:
        raise Damaged(f"the {codec} stream ends early (the file is cut short)")


class ChunkReader(io.RawIOBase):
    """A read()-able file over an iterator of chunks (tarfile's stream mode reads through it)."""

    def __init__(self, chunks: Iterable[bytes]):
        self._it = iter(chunks)
        self._buf = b""
        self._pos = 0
        self.n = 0  # bytes handed out

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while self._pos >= len(self._buf):
            try:
                self._buf = next(self._it)
            except StopIteration:
                return 0
            self._pos = 0
        n = min(len(b), len(self._buf) - self._pos)
        b[:n] = self._buf[self._pos : self._pos + n]
        self._pos += n
        self.n += n
        return n


def counted(chunks: Iterable[bytes], budget: Budget | None) -> Iterator[bytes]:
    """Uncompressed archive bytes charged to the budget like inflated ones (they are what members are read from)."""
    for chunk in chunks:
        if budget is not None:
            budget.spend(len(chunk))
        yield chunk


def _read_member(fh: Any, cap: int) -> tuple[bytes | None, int]:
    """Up to `cap` bytes of a member (None past it; the size read so far)."""
    parts: list[bytes] = []
    n = 0
    while n <= cap:
        chunk = fh.read(min(CHUNK, cap + 1 - n))
        if not chunk:
            return b"".join(parts), n
        parts.append(chunk)
        n += len(chunk)
    return None, n


# --------------------------------------------------------------------------- zip


_SURROGATE = re.compile("[\udc80-\udcff]")


def label(name: str) -> str:
    """A member's name as a valid UTF-8 label: bytes a tar holds that are not UTF-8 (tarfile keeps them as surrogates)
    are read as GB18030 when they are that (a Chinese Windows tool's tar), else shown as `\\xNN` (as discovery shows
    a file name's undecodable bytes); Parquet cannot store a lone surrogate."""
    if not _SURROGATE.search(name):
        return name
    raw = name.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return _SURROGATE.sub(lambda m: f"\\x{ord(m.group(0)) - 0xDC00:02x}", name)


def zip_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its writer meant it: names without the UTF-8 flag are CP437 to zipfile, but Chinese
    Windows tools (WinRAR, 7-Zip, Explorer) write them in GBK — `讲话.html` read as `╜▓╗░.html`."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            return name
        for enc in ("utf-8", "gb18030"):
            try:
                return raw.decode(enc)
            except UnicodeDecodeError:
                continue
    return name


def zip_members(fh: BinaryIO, size: int, cap_for: Any, budget_cap: int) -> Iterator[Member]:
    """A zip's regular members, read one at a time through the central directory (fh must seek). A member that
    cannot be read (bad CRC, encrypted, unknown method) is a Member with a problem; the others are read."""
    zf = zipfile.ZipFile(fh)  # BadZipFile for no central directory: the caller rejects the file
    budget = Budget(budget_cap, lambda: size)
    for info in zf.infolist():
        name = zip_name(info)
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            yield Member(
                name, None, 0, problem=("decode_error", "the member is encrypted; unpack it with its password")
            )
            continue
        try:
            with zf.open(info) as member:
                data, n = _read_member(member, cap_for(name))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, lzma.LZMAError) as exc:
            yield Member(
                name,
                None,
                0,
                problem=("decode_error", f"the member cannot be unpacked ({str(exc)[:160]}); re-create the archive"),
            )
            continue
        budget.spend(n)
        yield Member(name, data, n)


# --------------------------------------------------------------------------- tar


_TAR_NOT_REGULAR = {
    tarfile.SYMTYPE: "a symbolic link",
    tarfile.LNKTYPE: "a hard link",
    tarfile.CHRTYPE: "a character device",
    tarfile.BLKTYPE: "a block device",
    tarfile.FIFOTYPE: "a FIFO",
}


def tar_members(stream: BinaryIO, cap_for: Any) -> Iterator[Member]:
    """A tar's members from a stream (read front to back once, never seeking). Links and devices are Members with a
    problem; a tar cut short raises Damaged after the members before the cut."""
    try:
        tf = tarfile.open(fileobj=stream, mode="r|")  # noqa: SIM115 - a stream over the caller's file, which closes it
    except tarfile.ReadError as exc:
        raise Damaged(f"not a tar archive ({exc})") from None
    try:
        for info in tf:
            if info.isdir():
                continue
            if not info.isreg():
                kind = _TAR_NOT_REGULAR.get(info.type, f"a special entry (type {info.type!r})")
                target = f" to {label(info.linkname)!r}" if info.linkname else ""
                yield Member(
                    label(info.name),
                    None,
                    0,
                    problem=("not_regular_file", f"{kind}{target} inside the archive, not a page; nothing to do"),
                )
                continue
            fh = tf.extractfile(info)
            assert fh is not None
            data, n = _read_member(fh, cap_for(info.name))
            yield Member(label(info.name), data, n if data is not None else max(n, info.size))
    except (tarfile.ReadError, EOFError) as exc:
        raise Damaged(f"the tar stream is cut short or corrupt ({exc})") from None


# --------------------------------------------------------------------------- WARC


class _Bytes:
    """A buffered reader over chunks that can read lines and exact lengths without holding more than one chunk."""

    def __init__(self, chunks: Iterable[bytes]):
        self._it = iter(chunks)
        self._buf = bytearray()

    def _fill(self) -> bool:
        try:
            self._buf += next(self._it)
        except StopIteration:
            return False
        return True

    def at_end(self) -> bool:
        while not self._buf:
            if not self._fill():
                return True
        return False

    def skip_blank(self) -> None:
        while True:
            while not self._buf:
                if not self._fill():
                    return
            stripped = self._buf.lstrip(b"\r\n")
            if stripped:
                del self._buf[: len(self._buf) - len(stripped)]
                return
            self._buf.clear()

    def head(self, limit: int) -> bytes | None:
        """Bytes through the first blank line (CRLF CRLF or LF LF), at most `limit`; None at the end of the data."""
        start = 0
        while True:
            m = _HEAD_END.search(self._buf, max(0, start - 3))
            if m is not None:
                out = bytes(self._buf[: m.end()])
                del self._buf[: m.end()]
                return out
            if len(self._buf) > limit:
                raise Damaged(f"a record head is over {limit:,} bytes: not a WARC file, or a corrupt one")
            start = len(self._buf)
            if not self._fill():
                if self._buf.strip():
                    raise Damaged("the file ends inside a record head (cut short)")
                return None

    def take(self, n: int, cap: int) -> tuple[bytes | None, int]:
        """The next n bytes, kept if n <= cap (else skipped: None); the count actually there."""
        keep = n <= cap
        parts: list[bytes] = []
        got = 0
        while got < n:
            if not self._buf and not self._fill():
                break
            piece = bytes(self._buf[: n - got])
            del self._buf[: len(piece)]
            got += len(piece)
            if keep:
                parts.append(piece)
        return (b"".join(parts) if keep else None), got


_HEAD_END = re.compile(rb"\r?\n\r?\n")
_FIELD = re.compile(rb"^([!-9;-~]+)[ \t]*:[ \t]*([^\r\n]*)", re.M)
_HTTP_STATUS = re.compile(rb"HTTP/\d(?:\.\d)? +(\d{3})\b")


def _fields(head: bytes) -> dict[bytes, bytes]:
    return {k.lower(): v.strip() for k, v in _FIELD.findall(head)}


def warc_members(chunks: Iterable[bytes], cap: int, skipped: NotPages) -> Iterator[Member]:
    """The pages of a WARC (or the inflated bytes of a WARC.gz): `response` records with an HTTP response (its head
    cut off and kept as headers), `resource` and `conversion` records as they are. Other records are counted in
    `skipped`. A WARC cut short or corrupt raises Damaged after the records before the damage."""
    src = _Bytes(chunks)
    names: Counter[str] = Counter()
    n_record = 0
    while True:
        src.skip_blank()
        if src.at_end():
            return
        head = src.head(WARC_HEAD_BYTES)
        if head is None:
            return
        if not head.startswith(b"WARC/"):
            raise Damaged(f"record {n_record + 1} does not start with a WARC version line: not a WARC, or corrupt")
        n_record += 1
        fields = _fields(head)
        length = fields.get(b"content-length", b"")
        if not length.isdigit():
            raise Damaged(f"record {n_record} has no Content-Length: the rest of the file cannot be read")
        rtype = fields.get(b"warc-type", b"").decode("ascii", "replace").lower()
        uri = fields.get(b"warc-target-uri", b"").decode("utf-8", "replace").strip("<>")
        wanted = rtype in ("response", "resource", "conversion")
        block, got = src.take(int(length), cap + WARC_HEAD_BYTES if wanted else -1)
        if got < int(length):
            raise Damaged(f"record {n_record} ({uri or rtype}) is cut short: {got:,} of {int(length):,} bytes")
        if not wanted:
            skipped.add(rtype or "untyped record")
            continue
        base = uri or fields.get(b"warc-record-id", b"").decode("ascii", "replace").strip("<>") or f"#{n_record}"
        names[base] += 1
        name = base if names[base] == 1 else f"{base} [{names[base]}]"
        when = fields.get(b"warc-date", b"").decode("ascii", "replace") or None
        ctype = fields.get(b"content-type", b"").lower()
        headers: dict[bytes, bytes] | None = None
        status: int | None = None
        if rtype == "response" and ctype.startswith(b"application/http") and block is not None:
            end = _HEAD_END.search(block, 0, WARC_HEAD_BYTES)
            m = _HTTP_STATUS.match(block)
            if end is None or m is None:
                yield Member(
                    name,
                    None,
                    got,
                    url=uri or None,
                    problem=("decode_error", "a WARC response whose HTTP head cannot be read; re-crawl the page"),
                )
                continue
            headers = _fields(block[m.end() : end.start()])
            status = int(m.group(1))
            block = block[end.end() :]
            ctype = headers.get(b"content-type", b"").lower()
        page_type = ctype.split(b";")[0].strip().decode("ascii", "replace")
        if page_type and page_type not in _PAGE_TYPES:
            skipped.add(f"{rtype} {page_type}")
            continue
        if _CRAWL_FILES.search(uri):  # every crawler fetches these: text, but no page
            skipped.add(f"{rtype} {uri.rsplit('/', 1)[-1].split('?')[0].lower()}")
            continue
        if block is not None and len(block) > cap:
            block = None
        yield Member(
            name, block, got, url=uri or None, fetched_at=when, headers=headers, status=status, page_type=page_type
        )


def http_body(data: bytes, headers: dict[bytes, bytes], cap: int) -> bytes:
    """A WARC response's payload as the page: WARC keeps the bytes as they came over the wire, so a chunked body is
    de-chunked and a gzip/deflate one inflated (capped). Raises Damaged for a body that does not decode."""
    if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
        data = _dechunk(data)
    coding = headers.get(b"content-encoding", b"identity").lower().strip()
    if coding in (b"gzip", b"x-gzip"):
        if not data.startswith(b"\x1f\x8b"):
            return data  # a writer that stored the decoded body (warcio's default) but kept the header
        try:
            return b"".join(inflate((data,), "gz", None, cap))
        except OverflowError:
            raise
        except Damaged:
            raise Damaged("the gzip-encoded body is cut short or corrupt") from None
    if coding == b"deflate":
        for wbits in (15, -15):
            try:
                d = zlib.decompressobj(wbits=wbits)
                out = d.decompress(data, cap + 1)
                if len(out) > cap:
                    raise OverflowError(len(out))
                return out
            except zlib.error:
                continue
        raise Damaged("the deflate-encoded body is corrupt")
    if coding == b"br":
        try:
            return b"".join(inflate((data,), "br", None, cap))
        except Damaged:
            raise Damaged("the brotli-encoded body is cut short or corrupt") from None
    if coding in (b"", b"identity"):
        return data
    raise Damaged(f"the body is {coding.decode('ascii', 'replace')}-encoded, which jianghua cannot decode")


def _dechunk(data: bytes) -> bytes:
    """HTTP/1.1 chunked transfer coding removed (linear: one pass over the chunk sizes); bytes that are not chunked
    after all (a writer that stored the de-chunked body) are returned as they are."""
    out: list[bytes] = []
    pos = 0
    while pos < len(data):
        nl = data.find(b"\n", pos, pos + 1024)
        if nl < 0:
            return data if not out else b"".join(out)
        size_text = data[pos:nl].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return data if not out else b"".join(out)
        if size == 0:
            break
        out.append(data[nl + 1 : nl + 1 + size])
        pos = nl + 1 + size
        if data[pos : pos + 2] == b"\r\n":
            pos += 2
        elif data[pos : pos + 1] == b"\n":
            pos += 1
    return b"".join(out)


def header_charset(headers: dict[bytes, bytes] | None) -> str | None:
    """The charset an HTTP Content-Type names, if any."""
    if not headers:
        return None
    m = _CHARSET.search(headers.get(b"content-type", b""))
    return None if m is None else m.group(1).decode("ascii", "replace").lower()


def is_hidden_member(name: str) -> bool:
    """Hidden entries a zip tool adds (`__MACOSX/._a.html` resource forks, `.DS_Store`, `Thumbs.db`)."""
    parts = [p for p in name.replace("\\", "/").split("/") if p]
    return any((p.startswith(".") and p not in (".", "..")) or p == "__MACOSX" for p in parts) or (
        bool(parts) and parts[-1].lower() in ("thumbs.db", "desktop.ini")
    )
