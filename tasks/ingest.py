"""Ingest: find the inputs, plan stable shards, read and decode every page.

Nothing is dropped silently and no input can stop the run: every discovered entry (file, link,
FIFO, record inside a JSONL/Parquet file) ends as a document or as a reject row with a reason and a
detail that names it and says what to do. Every read is streamed and capped, so no input can take
more memory than its cap; every byte ingest reads is hashed and checked against the fingerprint, so
a page that changed during the run is never cached under a key it does not match.

Provenance: `source_path` is the path relative to the input root it was found under (`input_root`,
the input as given), `record` the position inside a multi-document file (`L12`, `row=3`); the
triple (input_root, source_path, record) is the accounting key, and `doc_id` depends on
(content, source_path, record) only, so reading the same folder from elsewhere keeps every id.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import dataclasses
import errno
import glob as globlib
import hashlib
import io
import itertools
import os
import posixpath
import re
import stat
import tarfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import fsspec
import xxhash

from tasks import archives as _archives
from tasks.common import sha256_hex

# .mht/.mhtml: a page a browser saved as one file ("网页，单个文件"; doc-sharing sites' downloads), MIME-encoded; its
# text/html part is read as the page (MHTML_SUFFIXES)
SINGLE_DOC_SUFFIXES = (".txt", ".html", ".htm", ".xhtml", ".mht", ".mhtml")
MHTML_SUFFIXES = (".mht", ".mhtml")
# A page saved gzipped (crawlers that keep the response body as sent, `page.html.gz`): inflated while read, capped at
# max_doc_bytes like the page itself, then read as its inner type. These were `unsupported_type` while `.jsonl.gz`
# was read, so a landing folder of compressed pages published nothing of them.
# bzip2, xz and zstd likewise (`wget` mirrors compressed afterwards, `xz -k page.txt`, `zstd page.html`): they were
# `unsupported_type`.
PAGE_CODECS = {".gz": "gz", ".bz2": "bz2", ".xz": "xz", ".zst": "zst"}
COMPRESSED_PAGE_SUFFIXES = tuple(s + c for c in PAGE_CODECS for s in SINGLE_DOC_SUFFIXES)
PAGE_SUFFIXES = SINGLE_DOC_SUFFIXES + COMPRESSED_PAGE_SUFFIXES  # one document per file
# Pages a crawler saved under their server's name — `content_5012.shtml`, `art_123.jhtml` (government portals'
# templates), `show.asp`, `index.php?id=3` (wget without --adjust-extension keeps the URL's name, query and all) —
# are HTML responses and are read as .html; they were unsupported_type, so a mirrored portal published nothing.
SERVER_PAGE_SUFFIXES = (
    ".shtml",
    ".shtm",
    ".jhtml",
    ".xhtm",
    ".asp",
    ".aspx",
    ".php",
    ".jsp",
    ".jspx",
    ".do",
    ".action",
    ".cgi",
)
# A crawler's JSONL compressed whole (`pages.jsonl.gz`, `dump.jsonl.bz2`, `crawl.ndjson.xz`): inflated line by line as
# it streams in. Only gzip was read; a `.jsonl.bz2` or `.jsonl.xz` export (common.crawl tools, `xz -k`) was
# `unsupported_type`, so a landing folder of them published nothing.
COMPRESSED_JSONL_SUFFIXES = tuple(s + c for c in PAGE_CODECS for s in (".jsonl", ".ndjson"))
MULTI_DOC_SUFFIXES = (".jsonl", ".ndjson", ".parquet", *COMPRESSED_JSONL_SUFFIXES)
# Zip and tar bundles and crawl archives (WARC), read member by member: see tasks/archives.py.
ARCHIVE_SUFFIXES = _archives.ARCHIVE_SUFFIXES
SUPPORTED_SUFFIXES = PAGE_SUFFIXES + MULTI_DOC_SUFFIXES + ARCHIVE_SUFFIXES
# Names an operator should read differently from "unsupported": a download still being written (or abandoned) by a
# crawler, browser or transfer tool — read once renamed — and an archive to unpack. Suffixes as the tools write them.
_IN_PROGRESS_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp", ".temp", ".filepart", ".!ut", ".!qb")
_OFFICE_SUFFIXES = (".doc", ".docx", ".wps", ".wpt", ".rtf", ".pdf", ".odt", ".xls", ".xlsx", ".ppt", ".pptx", ".caj")
_ARCHIVE_SUFFIXES = (".gz", ".zip", ".bz2", ".xz", ".zst", ".7z", ".rar", ".tar", ".tgz", ".z")
# Container files plan_shards may cut into slices (byte ranges, see InputFile.part), whose records
# a worker finds by itself: JSONL lines (any newline is a boundary), Parquet rows (shared out in
# proportion to their place, see _row_share). Not .jsonl.gz (or .bz2/.xz): a compressed stream cannot be entered
# mid-way, and its inflated size is unknown until read.
SLICEABLE_SUFFIXES = (".jsonl", ".ndjson", ".parquet")
# A sliced file's last slice takes a tail of up to 1/4 slice rather than leave a few records a shard
# of their own (every shard costs a step per stage): shards stay within 1.25 x max_shard_bytes.
SLICE_TAIL = 4

# first present one is the page text; `html` last: a crawler's record of the response body (scrapy, colly, trafilatura's
# own dumps) whose page was rejected as bad_record ("no text field") though it held the page
TEXT_FIELDS = ("text", "content", "raw_text", "body", "html")
RECORD_FIELDS = (*TEXT_FIELDS, "url", "title", "fetched_at")  # the only columns read from a record
MAX_DOC_BYTES = 8 * 1024 * 1024  # a speech is < 1 MB; 8 MB of "speech" is a dump or a mistake
MIN_RAW_CHARS = 20  # shorter than this there is nothing to normalize; the real bar is min_chars later

# Caps on what one multi-document file may hold once decoded (inflated .gz, uncompressed Parquet
# row groups): 32 x max_doc_bytes (256 MB by default) — plan_shards gives a worker ~32 MB of input,
# so a single file may weigh eight shards but never the whole machine. A 1 MB .jsonl.gz that
# inflates to 1 GB is cut at the cap (too_large) without ever being held in memory.
MULTI_DOC_FACTOR = 32
# A JSONL line holds one record: its text (<= max_doc_bytes as UTF-8) may double when JSON-escaped
# (`\u4e00` is 6 bytes for 3), plus some metadata; a longer line is one record too large.
LINE_FACTOR = 2
LINE_SLACK = 64 * 1024
READ_CHUNK = 1 << 20  # 1 MB reads: few syscalls, bounded buffers
PARQUET_BATCH_ROWS = 64  # rows decoded at a time; with the per-text cap, a batch stays ~64 x max_doc_bytes
ALL_ROWS = 1 << 62  # the end of a whole Parquet file's rows: no row is past it

# Reasons a transient state of the landing folder produced: never cache a result that holds one.
TRANSIENT_REASONS = frozenset({"changed_during_run", "vanished", "download_in_progress"})


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class InputFile:
    """One discovered entry.

    `path` is how we open it (a local path may hold undecodable name bytes as surrogates, see
    os.fsdecode; remote paths keep their protocol). `source_path`/`relpath` are the path below the
    input root in a form that is always valid UTF-8 (undecodable bytes as `\\xff`); they feed doc
    ids, so moving the landing folder elsewhere does not change them. `problem` is (reason, detail)
    for an entry discovery already knows it cannot read (FIFO, dangling link, link loop …): it is
    rejected without ever being opened.

    `part` is set on a slice of a large container file (see plan_shards): the byte range
    [start, end) of the file (end None: to the end of the file) whose records this entry stands
    for — a record belongs to the slice its first byte is in. Everything else, `source_path`
    included, is the whole file's, so records keep their ids whatever slice they land in.
    """

    path: str
    source_path: str
    relpath: str
    size: int
    input_root: str = ""
    problem: tuple[str, str] | None = None
    part: tuple[int, int | None] | None = None

    @property
    def slice_record(self) -> str | None:
        """The record a slice's own rejects carry (`bytes=0-33554432`, `bytes=67108864-`), so a
        file-level problem seen by several slices is one row per slice; None for a whole file."""
        if self.part is None:
            return None
        start, end = self.part
        return f"bytes={start}-{'' if end is None else end}"

    @property
    def owns_file(self) -> bool:
        """A whole file or its first slice: the entry that hashes the file and reports it as
        unreadable, so a sliced file is read for its fingerprint once and rejected once."""
        return self.part is None or self.part[0] == 0

    @property
    def whole(self) -> InputFile:
        return self if self.part is None else dataclasses.replace(self, part=None)

    @property
    def n_bytes(self) -> int:
        """The bytes this entry stands for: the file's size, or the slice's share of it."""
        if self.part is None:
            return self.size
        start, end = self.part
        return max(0, min(self.size, self.size if end is None else end) - start)


@dataclass
class Discovery:
    files: list[InputFile]
    skipped_outputs: list[str]  # jianghua output folders found inside the inputs (not read; list them)
    skipped_hidden: int = 0  # hidden entries (a name starting with "."): folders count once, their content unread


_GLOB_CHARS = re.compile(r"[*?\[]")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def display_path(path: str) -> str:
    """A path as valid UTF-8 text: undecodable name bytes become `\\xNN` (stable across runs)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace") if _has_surrogates(path) else path


def _has_surrogates(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def discover(inputs: Iterable[str], exclude: Iterable[str] = ()) -> list[InputFile]:
    """Every entry under the inputs (see discover_all); the skipped output folders are dropped."""
    return discover_all(inputs, exclude).files


def discover_all(inputs: Iterable[str], exclude: Iterable[str] = (), max_doc_bytes: int | None = None) -> Discovery:
    """List every entry under the inputs (folders recursively, globs, files, fsspec URLs).

    Hidden files and folders (`.git`, `.DS_Store`), anything under `exclude` (the output folder)
    and earlier jianghua output folders (returned in `skipped_outputs`) are skipped; everything
    else is returned, supported or not, so that unsupported files become rejects rather than
    vanish. Local paths are never parsed as URLs (`a::b.txt`, `report#1.txt` are names).
    Symlinked folders are followed once (a loop, or a second route to a folder already read,
    becomes a reject); FIFOs, sockets and devices become `not_regular_file` without being opened.
    Given `max_doc_bytes` (the run's), an entry whose reject follows from its name or size alone
    (`unsupported_type`, a page over the limit: `unread_problem`) is known here too, so it is never read.
    """
    walker = _Walker([e for e in exclude])
    for spec in dict.fromkeys(inputs):  # the same input twice is read once
        if is_local_spec(spec):
            walker.local(spec)
        else:
            walker.remote(spec)
    files = sorted(walker.found.values(), key=lambda f: (f.source_path, f.input_root))
    if max_doc_bytes is not None:
        files = [
            f if f.problem is not None else _with_problem(f, unread_problem(f, max_doc_bytes, True)) for f in files
        ]
    return Discovery(files, sorted(set(walker.skipped_outputs)), walker.skipped_hidden)


_WGET_COPY = re.compile(r"(\.(?:txt|html|htm|xhtml|shtml|jhtml|asp|aspx|php|jsp))\.\d{1,4}$")


def _suffix_of(f: InputFile) -> str | None:
    return _name_suffix(f.relpath)


def _name_suffix(relpath: str) -> str | None:
    """The supported suffix a name reads as (a file's, or an archive member's), None when it is unsupported."""
    lower = relpath.lower()
    name = lower.rsplit("/", 1)[-1]
    if "?" in name:  # `index.php?id=3`, `a.html?from=rss`: the URL's query kept in the name
        lower = lower[: len(lower) - len(name) + name.index("?")]
    lower = _WGET_COPY.sub(r"\1", lower)  # `index.html.1`: wget's name for a second download of one URL
    found = next((s for s in sorted(SUPPORTED_SUFFIXES, key=len, reverse=True) if lower.endswith(s)), None)
    if found is None and lower.endswith(SERVER_PAGE_SUFFIXES):
        return ".html"
    return found


def unread_problem(f: InputFile, max_doc_bytes: int, before_slicing: bool = False) -> tuple[str, str] | None:
    """(reason, detail) of a reject that follows from the entry's name or size alone, else None. Such an entry is
    rejected without its bytes being read: a crawler's 4 GB video or 10 GB dump in the landing folder was hashed
    whole by the fingerprint step before ingest rejected it by its size (a 10 GB file: 56 s of a run).
    `before_slicing` (discovery): a large JSONL or Parquet file is not judged by its size, plan_shards slices it."""
    suffix = _suffix_of(f)
    if suffix is None:
        return "unsupported_type", _unsupported_detail(f.relpath)
    if before_slicing and suffix not in PAGE_SUFFIXES:
        return None
    cap = max_doc_bytes if suffix in PAGE_SUFFIXES else MULTI_DOC_FACTOR * max_doc_bytes
    # a slice reads its range only; a compressed JSONL or an archive is capped on what it inflates to, as it streams
    if suffix not in COMPRESSED_JSONL_SUFFIXES and suffix not in ARCHIVE_SUFFIXES and f.part is None and f.size > cap:
        return "too_large", _too_large(f.size, cap, suffix)
    return None


def _unsupported_detail(relpath: str) -> str:
    stem, ext = posixpath.splitext(relpath.lower())
    named = f"unsupported file type {ext or '(no extension)'!r}"
    if ext in _IN_PROGRESS_SUFFIXES:
        return (
            f"{named}: a download still being written (or abandoned) by a crawler or browser; it is read once renamed "
            f"to its final name{f' ({posixpath.basename(stem)})' if stem.endswith(SUPPORTED_SUFFIXES) else ''} — "
            "delete it if the download was abandoned"
        )
    base = posixpath.basename(stem)
    if ext == HEADERS_SIDECAR:
        return (
            f"HTTP headers a crawler saved beside {base!r}: read with that page (a Content-Length longer than the page "
            "marks it cut short); nothing to do"
        )
    if ext == ".aria2":
        return (
            f"aria2's control file of a download in progress ({base!r} is not read while it is there); it goes when "
            "the download ends — delete it if the download was abandoned"
        )
    if ext in _OFFICE_SUFFIXES:
        return (
            f"{named}: a word-processor or PDF document, not a web page; jianghua reads text and HTML — convert it "
            "(`libreoffice --headless --convert-to txt:Text`, `pdftotext -enc UTF-8`) into the landing folder"
        )
    if ext == ".arc" or relpath.lower().endswith(".arc.gz"):
        return (
            f"{named}: an old-style crawl archive (ARC) holding pages; convert it to WARC (`warcio recompress`, "
            "`arc2warc`), which jianghua reads record by record"
        )
    if ext in _ARCHIVE_SUFFIXES:
        return (
            f"{named}: an archive jianghua cannot open; unpack it into the landing folder, or repack it as "
            f"{', '.join(ARCHIVE_SUFFIXES)} (read member by member; pages may also stay compressed one by one: "
            f"{', '.join(COMPRESSED_PAGE_SUFFIXES[:3])} …, {', '.join(COMPRESSED_JSONL_SUFFIXES[:3])} …)"
        )
    return f"{named}; supported: {', '.join(SUPPORTED_SUFFIXES)}"


def _with_problem(f: InputFile, problem: tuple[str, str] | None) -> InputFile:
    return f if problem is None else dataclasses.replace(f, problem=problem)


def is_local_spec(spec: str) -> bool:
    """A local path (or file:// URL), never parsed as a URL when such a path exists (`a::b.txt`)."""
    return spec.startswith("file://") or not _URL.match(spec) or os.path.lexists(spec)


def is_jianghua_output(folder: str) -> bool:
    """An earlier corpus (`OUT/` with `.state/` and `manifest.json`, or with `releases/<id>/` holding a
    release: `manifest.json` and `documents/`) must not be read back as speeches. Only names are checked:
    nothing is opened. A crawler's own `releases/2024/manifest.json` beside its pages is not a corpus."""
    join = os.path.join
    if os.path.isfile(join(folder, "manifest.json")) and os.path.isdir(join(folder, ".state")):
        return True
    releases = join(folder, "releases")
    if os.path.isdir(releases) and os.path.basename(os.path.normpath(folder)) != "releases":
        try:
            with os.scandir(releases) as it:
                return any(e.is_dir() and _is_release(e.path) for e in it)
        except OSError:
            return False
    return False


def _is_release(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "manifest.json")) and os.path.isdir(os.path.join(folder, "documents"))


def _numbered(source_path: str, n: int) -> str:
    """`a_\\xff.txt` -> `a_\\xff~2.txt`: the counter goes before the extensions, which still name the format."""
    folder, _, name = source_path.rpartition("/")
    dot = name.find(".", 1)
    name = f"{name[:dot]}~{n}{name[dot:]}" if dot > 0 else f"{name}~{n}"
    return f"{folder}/{name}" if folder else name


class _Walker:
    def __init__(self, exclude: list[str]):
        self.excluded = [os.path.abspath(e) for e in exclude] + [os.path.realpath(e) for e in exclude]
        self.found: dict[tuple[str, str], InputFile] = {}
        self.seen_paths: dict[str, InputFile] = {}  # opened path -> first entry that claimed it
        self.skipped_outputs: list[str] = []
        self.skipped_hidden = 0

    # -- local

    def local(self, spec: str) -> None:
        path = spec[len("file://") :] if spec.startswith("file://") else spec
        root = display_path(spec)
        magic = _GLOB_CHARS.search(path)
        if magic and not os.path.lexists(path):
            base = os.path.dirname(path[: magic.start()]) or "."
            matches = sorted(globlib.glob(path, recursive=True))
            if not matches:
                raise FileNotFoundError(
                    f"input {root!r} matches nothing: give a folder, a glob, a file or an fsspec URL"
                )
            walked = _TreeWalk(self, root, os.path.realpath(base))
            for m in matches:
                if not self.is_excluded(os.path.abspath(m)):
                    walked.entry(os.path.abspath(m), _rel(m, base), top=True)
            walked.finish()
            return
        if not os.path.lexists(path):
            raise FileNotFoundError(f"input {root!r} does not exist: give a folder, a glob, a file or an fsspec URL")
        walked = _TreeWalk(self, root, os.path.realpath(path) if os.path.isdir(path) else None)
        if os.path.isdir(path):
            walked.tree(os.path.abspath(path), "")
        else:
            walked.entry(os.path.abspath(path), display_path(os.path.basename(os.path.normpath(path))), top=True)
        walked.finish()

    def is_excluded(self, path: str) -> bool:
        return any(path == e or path.startswith(e.rstrip("/") + "/") for e in self.excluded)

    def add(self, f: InputFile) -> None:
        first = self.seen_paths.get(f.path)
        if first is not None and f.problem is None:
            f = InputFile(
                f.path,
                f.source_path,
                f.relpath,
                f.size,
                f.input_root,
                (
                    "duplicate_input",
                    f"the same file is also listed as {first.source_path!r} under input {first.input_root!r} "
                    "(overlapping inputs); it is read once there",
                ),
            )
        self.seen_paths.setdefault(f.path, f)
        key = (f.input_root, f.source_path)
        n = 2
        while key in self.found:  # only for names whose escaped form collides; keep both accounted
            key = (f.input_root, _numbered(f.source_path, n))
            n += 1
        if key[1] != f.source_path:
            f = InputFile(f.path, key[1], key[1], f.size, f.input_root, f.problem)
        self.found[key] = f

    # -- remote (fsspec URL)

    def remote(self, spec: str) -> None:
        fs, root = fsspec.core.url_to_fs(spec)
        proto = fs.protocol
        protocol = proto[0] if isinstance(proto, (tuple, list)) else proto
        magic = _GLOB_CHARS.search(root)
        if magic:
            base = root[: magic.start()].rsplit("/", 1)[0]
            entries = {p: info for p, info in fs.glob(root, detail=True).items() if info["type"] == "file"}
        elif fs.isdir(root):
            base = root.rstrip("/")
            entries = fs.find(root, detail=True)
        elif fs.exists(root):
            base = posixpath.dirname(root.rstrip("/"))
            entries = {root: fs.info(root)}
        else:
            raise FileNotFoundError(f"input {spec!r} does not exist: give a folder, a glob, a file or an fsspec URL")
        for path, info in sorted(entries.items()):
            rel = posixpath.relpath(path, base) if base else path.lstrip("/")
            if _is_hidden(rel):
                self.skipped_hidden += 1
                continue
            full = path if protocol in ("file", "local") else f"{protocol}://{path}"
            problem = None
            if info.get("type") not in (None, "file"):
                problem = ("not_regular_file", f"a {info.get('type')} entry, not a file; jianghua reads files only")
            self.add(InputFile(full, rel, rel, int(info.get("size") or 0), spec, problem))


def _rel(path: str, base: str) -> str:
    return display_path(os.path.relpath(path, base)).replace(os.sep, "/")


def _is_hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/") if part not in (".", ".."))


_KIND = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a Unix socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _not_regular_detail(mode: int) -> str:
    kind = next((name for test, name in _KIND if test(mode)), "not a regular file")
    return f"{kind}, not a regular file: jianghua does not open it (reading could block); remove it from the landing folder"


class _TreeWalk:
    """Walk one input root: real folders first, then symlinked folders in name order, each real
    folder at most once (a link back to an ancestor is a loop; a second route is a duplicate)."""

    def __init__(self, walker: _Walker, root: str, inside: str | None = None):
        self.w = walker
        self.root = root
        self.inside = inside  # the real folder the input names: links are followed only within it
        self.visited: dict[str, str] = {}  # realpath of walked folder -> its relpath
        self.links: list[tuple[str, str]] = []

    def tree(self, top: str, rel_top: str) -> None:
        if is_jianghua_output(top):
            self.w.skipped_outputs.append(display_path(top))
            return
        real_top = os.path.realpath(top)
        self.visited[real_top] = rel_top
        # a real (not linked) subfolder's realpath is its parent's plus its name: os.path.realpath of each folder
        # resolved every component again, n² lstat calls in a tree n deep (7.6 s for a 1,100-deep one)
        stack = [(top, rel_top, real_top)]
        while stack:
            folder, rel, real = stack.pop()
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name, reverse=True)
            except OSError as exc:
                self._reject(folder, rel or ".", "read_error", _describe_os_error(exc) + " (a folder)")
                continue
            for e in entries:
                if e.name.startswith("."):
                    self.w.skipped_hidden += 1
                    continue
                erel = f"{rel}/{display_path(e.name)}" if rel else display_path(e.name)
                if self.w.is_excluded(e.path):
                    continue
                try:
                    is_link = e.is_symlink()
                    is_dir = not is_link and e.is_dir(follow_symlinks=False)
                except OSError as exc:
                    self._reject(e.path, erel, "read_error", _describe_os_error(exc))
                    continue
                if is_dir:
                    if is_jianghua_output(e.path):
                        self.w.skipped_outputs.append(display_path(e.path))
                        continue
                    real_sub = os.path.join(real, e.name)
                    self.visited[real_sub] = erel
                    stack.append((e.path, erel, real_sub))
                else:
                    self.entry(e.path, erel)

    def entry(self, path: str, rel: str, top: bool = False) -> None:
        """One non-folder entry (or a glob match / a file given directly, which may be a folder)."""
        try:
            st = os.stat(path)  # follows links: the target decides
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self._reject(path, rel, "symlink_loop", "a symbolic link that loops back on itself; remove or fix it")
            elif os.path.islink(path) and exc.errno in (errno.ENOENT, errno.ENOTDIR):
                self._reject(
                    path, rel, "dangling_link", f"a symbolic link to {_link_target(path)!r}, which does not exist"
                )
            else:
                self._reject(path, rel, "read_error", _describe_os_error(exc))
            return
        if not top and self._outside(path, rel):
            return
        if stat.S_ISDIR(st.st_mode):
            if top and not os.path.islink(path):
                self.tree(path, rel if rel != "." else "")
            else:
                self.links.append((rel, path))
            return
        if not stat.S_ISREG(st.st_mode):
            self._reject(path, rel, "not_regular_file", _not_regular_detail(st.st_mode))
            return
        self.w.add(InputFile(path, rel, rel, st.st_size, self.root))

    def finish(self) -> None:
        """Follow symlinked folders after every real one is known, so a real folder always wins."""
        while self.links:
            self.links.sort(reverse=True)
            rel, path = self.links.pop()
            real = os.path.realpath(path)
            if self.w.is_excluded(real):
                continue
            parent = os.path.realpath(os.path.dirname(path))
            if self._outside(path, rel):
                continue
            if parent == real or parent.startswith(real.rstrip("/") + "/"):
                self._reject(
                    path,
                    rel,
                    "symlink_loop",
                    f"a link to {_link_target(path)!r}, a folder that contains it; not followed",
                )
            elif real in self.visited:
                self._reject(
                    path,
                    rel,
                    "duplicate_input",
                    f"a link to a folder already read as {self.visited[real] or '.'!r}; its files are read there",
                )
            else:
                self.tree(path, rel)

    def _reject(self, path: str, rel: str, reason: str, detail: str) -> None:
        self.w.add(InputFile(path, rel, rel, 0, self.root, (reason, detail)))

    def _outside(self, path: str, rel: str) -> bool:
        """A link found in the input folder whose target is outside it is rejected (link_outside), not followed: a
        link a crawler or an unpacked archive left (`../../etc`, `/`) read files of this machine into the corpus, or
        walked the whole filesystem (/proc, /sys). A file or folder given as an input is read wherever it is."""
        if self.inside is None or not os.path.islink(path):
            return False
        real = os.path.realpath(path)
        if real == self.inside or real.startswith(self.inside.rstrip("/") + "/"):
            return False
        self._reject(
            path,
            rel,
            "link_outside",
            f"a symbolic link to {_link_target(path)!r}, outside the input folder: not followed (a link a crawler or "
            f"an unpacked archive left could read any file of this machine); give {display_path(real)!r} as an input "
            "to read it",
        )
        return True


def _link_target(path: str) -> str:
    try:
        return display_path(os.readlink(path))
    except OSError:
        return "?"


# --------------------------------------------------------------------------- accounting


def accounting_key(row: dict[str, Any]) -> tuple[str, str, str]:
    """(input_root, source_path, record): one per discovered file or record, in documents or rejects."""
    return (row.get("input_root") or "", row["source_path"], row.get("record") or "")


def file_accounting_keys(files: Iterable[InputFile]) -> list[tuple[str, str, str]]:
    """The file-level keys (record '') of discovered entries: each must head some row's key."""
    return sorted((f.input_root, f.source_path, "") for f in files)


def accounting_gaps(
    files: Iterable[InputFile], row_keys: Iterable[tuple[str, str, str]]
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(discovered entries with no row, keys held by more than one row) — both must be empty."""
    seen: set[tuple[str, str]] = set()
    counts: dict[tuple[str, str, str], int] = {}
    for key in row_keys:
        seen.add((key[0], key[1]))
        counts[key] = counts.get(key, 0) + 1
    missing = [k for k in file_accounting_keys(files) if (k[0], k[1]) not in seen]
    twice = sorted(k for k, n in counts.items() if n > 1)
    return missing, twice


def input_key(f: InputFile, sha: str | None) -> tuple[str | None, ...]:
    """What an ingest step's cache key holds for one of its entries: the file's place below its
    root and its bytes, a slice's byte range (two slices of one file are two different steps) and
    the problem discovery found (its detail is in the reject row). Given entries from `located`,
    the root is a token, never the absolute root: a landing folder that moves keeps its keys."""
    key: tuple[str | None, ...] = (f.input_root, f.source_path, sha)
    if f.part is not None:
        key += (f.slice_record,)
    if f.problem is not None:
        key += f.problem
    return key


# --------------------------------------------------------------------------- moving landing folders
# Shard artifacts never hold an absolute input root: the flow hands ingest each shard's files with
# their root replaced by a token naming its rank among the shard's roots (`located`), so reading a
# copied, re-mounted or moved landing folder hits the same cache keys. The published provenance is
# the current location: export writes documents.input_root from the shard's roots (`resolve_root`)
# and the flow resolves rejects (`locate_rejects`) when it assembles the release.
ROOT_TOKEN = "\0input-"  # NUL: no input given on a command line starts with it
_ROOT_TOKEN_DIGITS = 6  # zero-padded, so tokens sort like the roots they stand for


def root_token(rank: int) -> str:
    return f"{ROOT_TOKEN}{rank:0{_ROOT_TOKEN_DIGITS}d}"


def located(
    files: Iterable[tuple[InputFile, str | None]],
) -> tuple[list[tuple[InputFile, str | None]], list[str]]:
    """(the shard's files with each input_root replaced by its token, the roots by rank).

    Ranks follow the roots' sort order, so which copy of a path ingest keeps (the root that sorts
    first) is the same whatever the roots are called; if a move reorders roots, the keys change."""
    items = list(files)
    roots = sorted({f.input_root for f, _ in items})
    rank = {r: i for i, r in enumerate(roots)}
    return [(dataclasses.replace(f, input_root=root_token(rank[f.input_root])), sha) for f, sha in items], roots


def resolve_root(value: str | None, roots: list[str]) -> str | None:
    """The current root a token stands for (anything else is returned as it is; so is a token
    without a root, e.g. a bench running export alone: the flow's accounting check would fail on
    a token in a release, since no discovered file carries one)."""
    if value is None or not value.startswith(ROOT_TOKEN):
        return value
    rank = int(value[len(ROOT_TOKEN) :])
    return roots[rank] if rank < len(roots) else value


def locate_rejects(table: Any, roots: list[str]) -> Any:
    """A rejects table with its tokens resolved: input_root, and `input '<token>'` in details
    (ingest names the root a duplicate copy was read under)."""
    import pyarrow as pa

    if not table.num_rows:
        return table
    names = table.column_names
    at = names.index("input_root")
    values = [resolve_root(v, roots) for v in table.column(at).to_pylist()]
    table = table.set_column(at, table.schema.field(at), pa.array(values, pa.string()))
    tokens = {repr(root_token(i)): repr(r) for i, r in enumerate(roots)}
    if not tokens:
        return table
    pattern = re.compile("|".join(re.escape(t) for t in tokens))
    quoted = repr(ROOT_TOKEN)[1:-1]  # how a token looks inside a repr: `\x00input-`
    d = names.index("detail")
    details = [
        v if v is None or quoted not in v else pattern.sub(lambda m: tokens[m.group(0)], v)
        for v in table.column(d).to_pylist()
    ]
    return table.set_column(d, table.schema.field(d), pa.array(details, pa.string()))


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class ShardPlan:
    shard_id: str
    files: tuple[InputFile, ...]

    @property
    def n_bytes(self) -> int:
        return sum(f.n_bytes for f in self.files)


def plan_shards(
    files: list[InputFile],
    target_docs: int = 2000,
    max_bytes: int = 32 * 1024 * 1024,
    slice_bytes: int | None = None,
) -> list[ShardPlan]:
    """Cut the path-sorted file list into shards at content-defined boundaries.

    A file starts a new shard when the hash of its relative path hits 0 modulo the target size
    (like content-defined chunking), so the cut points depend only on the file's own name:
    adding or removing files changes only the shard they fall in. A new top-level folder (a
    crawler's new dated folder) also starts a shard once the current one is a quarter full, so
    new days form shards of their own. A shard over `max_bytes` is split again at finer
    boundaries (still name-based), so no shard ties up a worker for long. Files with the same
    relative path under different roots are never cut apart, so one shard sees both and keeps one.

    A container file over `max_bytes` (SLICEABLE_SUFFIXES: a crawler's .jsonl) is not one shard but
    several slices, one shard each (see slice_file): no shard stage's memory or time grows with the
    file, and its slices spread over the workers. Nothing is read here.
    """
    sliced = {f.relpath for f in files if _sliceable(f) and f.size > max_bytes}
    whole = [f for f in files if f.relpath not in sliced or f.problem is not None]
    ordered = sorted(whole, key=lambda f: (f.relpath, f.input_root))
    # no shard spans a sliced file: the shards in plan order are then the listing in path order, which
    # names every duplicate cluster (dedupe: its first member in the listing) — a shard [a.txt, c.txt]
    # around b.jsonl's slices would put c.txt before b.jsonl's records
    cuts = sorted(sliced)
    runs = itertools.groupby(ordered, key=lambda f: bisect.bisect_right(cuts, f.relpath))
    shards = [list(group) for _, run in runs for group in _cut(list(run), max(1, target_docs))]
    out: list[list[InputFile]] = []
    for group in shards:
        out.extend(_split_large(group, max(1, target_docs) // 2, max_bytes))
    if sliced:
        out.extend(
            _slice_groups([f for f in files if f.relpath in sliced and f.problem is None], slice_bytes or max_bytes)
        )
        out.sort(key=lambda g: (g[0].relpath, (g[0].part or (0,))[0]))
    return [ShardPlan(_shard_id(g), tuple(g)) for g in out if g]


def _sliceable(f: InputFile) -> bool:
    return f.problem is None and f.relpath.lower().endswith(SLICEABLE_SUFFIXES)


def slice_file(f: InputFile, slice_bytes: int, size: int | None = None) -> list[InputFile]:
    """`f` as slices at fixed offsets 0, S, 2S, … (S = slice_bytes); the last runs to the end of the
    file, so a file that grew since discovery is still read whole, and takes a tail of up to
    S / SLICE_TAIL rather than leave it a shard of its own. Fixed offsets: the same file
    gives the same slices, and appending to it leaves every slice but the last unchanged."""
    size = f.size if size is None else size
    slice_bytes = max(1, slice_bytes)
    n = max(1, -(-(size - slice_bytes // SLICE_TAIL) // slice_bytes))
    return [
        dataclasses.replace(f, part=(i * slice_bytes, (i + 1) * slice_bytes if i < n - 1 else None)) for i in range(n)
    ]


def _slice_groups(files: list[InputFile], slice_bytes: int) -> list[list[InputFile]]:
    """One shard per slice; copies of a path under several roots are sliced alike (from the largest
    copy) and share each slice's shard, so ingest keeps one of two identical records."""
    by_path: dict[str, list[InputFile]] = {}
    for f in sorted(files, key=lambda f: (f.relpath, f.input_root)):
        by_path.setdefault(f.relpath, []).append(f)
    groups: list[list[InputFile]] = []
    for copies in by_path.values():
        size = max(f.size for f in copies)
        groups.extend(map(list, zip(*(slice_file(f, slice_bytes, size) for f in copies), strict=True)))
    return groups


def _utf8(s: str) -> bytes:
    return s.encode("utf-8", "surrogatepass")  # never raises, same bytes as utf-8 for valid text


def _boundary(f: InputFile, modulus: int) -> bool:
    return modulus <= 1 or xxhash.xxh64_intdigest(_utf8(f.relpath)) % modulus == 0


def _cut(files: list[InputFile], modulus: int) -> Iterator[list[InputFile]]:
    current: list[InputFile] = []
    for f in files:
        if current and f.relpath != current[-1].relpath and (_boundary(f, modulus) or _new_folder(current, f, modulus)):
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
    """Named after its first file, so a shard keeps its name while files join or leave it; a
    slice's shard after its file and offset."""
    first = group[0]
    name = first.relpath if first.part is None else f"{first.relpath}\0{first.part[0]}"
    return "shard-" + xxhash.xxh64_hexdigest(_utf8(name))[:10]


# --------------------------------------------------------------------------- reading


class NotRegular(OSError):
    """The path is a FIFO, socket or device: never read it."""


def _is_local(path: str) -> bool:
    return not _URL.match(path)


def open_checked(path: str) -> BinaryIO:
    """Open for reading without ever blocking: stat first, open non-blocking, fstat the open file.

    A FIFO is refused before it is opened; one swapped in between stat and open is opened with
    O_NONBLOCK (which returns at once) and refused by fstat. Local paths never go through fsspec,
    so `#` and `::` in names are just characters.
    """
    if not _is_local(path):
        return fsspec.open(path, "rb").open()
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotRegular(errno.EINVAL, _not_regular_detail(st.st_mode))
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(errno.EINVAL, _not_regular_detail(st.st_mode))
        return os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise


class HashingReader:
    """A file read once, front to back, hashing exactly the bytes handed out."""

    def __init__(self, fh: BinaryIO):
        self.fh = fh
        self.hash = hashlib.sha256()
        self.n = 0

    def read(self, n: int = READ_CHUNK) -> bytes:
        data = self.fh.read(n)
        if data:
            self.hash.update(data)
            self.n += len(data)
        return data or b""

    def chunks(self) -> Iterator[bytes]:
        while chunk := self.read(READ_CHUNK):
            yield chunk

    def drain(self) -> str:
        """Hash whatever is left unread (memory stays one chunk) and return the file's sha256."""
        for _ in self.chunks():
            pass
        return self.hash.hexdigest()


def fingerprint(item: InputFile | str) -> tuple[str | None, int, str | None]:
    """sha256 of the bytes, streamed; (None, 0, error) when the file cannot be read for a lasting
    reason (missing, no permission, not a regular file).

    Given an InputFile that discovery already rejected (`problem`), returns (None, 0, None) without
    touching it: ingest turns it into its reject row with the precise reason.
    """
    if isinstance(item, InputFile):
        if item.problem is not None:
            return None, 0, None
        path = item.path
    else:
        path = item
    try:
        with open_checked(path) as fh:
            reader = HashingReader(fh)
            sha = reader.drain()
        return sha, reader.n, None
    except NotRegular as exc:
        return None, 0, str(exc.strerror)
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
    errno.ENXIO,  # opening a socket file
}


def _is_lasting(exc: OSError) -> bool:
    """Missing file, no permission: retrying won't help, so it is a reject, not a failure."""
    return isinstance(exc, (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError)) or (
        exc.errno in _LASTING_ERRNOS
    )


def _describe_os_error(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:  # a tree deeper than PATH_MAX: "check it exists" would not help
        return (
            f"cannot read it ({exc.__class__.__name__}: {exc.strerror or exc}): its path is longer than the system "
            "allows; move what is below it to a shorter path"
        )
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
    (b"\x84\x31\x95\x33", "gb18030"),  # GB18030's encoding of U+FEFF: Chinese Windows tools write it
)
# Share of common Han (as UTF16_COMMON_HAN) a page decoded with its declared charset must have for the declaration
# to be believed: Big5 bytes under `<meta charset=gbk>` (a template copied between sites) decode without an error
# into rare characters — the seeds' Traditional page 0.56, a Simplified one read as Big5 0.54, true text 1.0.
DECLARED_COMMON_HAN = 0.8
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
                return data.decode(enc).removeprefix("\ufeff"), enc.replace("-sig", "")
            except UnicodeDecodeError as exc:
                unit = 4 if "32" in enc else 2 if "16" in enc else 1
                if len(data) % unit and exc.start >= len(data) - unit:  # a download cut inside its last code unit
                    return data[: len(data) - len(data) % unit].decode(enc, "replace"), enc
                bom_error = (
                    f"starts with a {enc} byte-order mark but is not valid {enc} ({exc.reason} at byte {exc.start})"
                )
            # a mark the bytes after it do not bear out (a tool that put the UTF-8 mark before GBK text): read them
            # as if it were not there
            try:
                return decode_bytes(data[len(bom) :], html)
            except Reject as rej:
                raise Reject("decode_error", f"{bom_error}, and {rej.detail}") from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16), utf16
    if _looks_binary(data):
        utf16 = _utf16_cjk_only(data)  # mostly Chinese with a little ASCII: a few NULs, too few for the check above
        if utf16:
            return data.decode(utf16), utf16
        text_part = _without_stray_nuls(data)
        if text_part is not None:
            return decode_bytes(text_part, html)
        raise Reject(
            "binary", "the file holds binary data (NUL/control bytes), not text; is it a PDF, image or archive?"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        seven_bit = _seven_bit_chinese(data) if data.isascii() else None
        return seven_bit or (text, "utf-8")
    if html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            enc = _CHARSET_ALIASES.get(
                declared.group(1).decode("ascii", "ignore").lower(), declared.group(1).decode("ascii", "ignore").lower()
            )
            try:
                text = data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                pass
            else:
                if not _HAN.search(text, 0, 20000) or _common_han_share(text) > DECLARED_COMMON_HAN:
                    return text, enc
                try:  # the declaration lies: what the bytes say, if they say something better
                    found = _undeclared(data, utf8_error, html)
                except Reject:
                    return text, enc
                return found if _common_han_share(found[0]) > _common_han_share(text) else (text, enc)
    return _undeclared(data, utf8_error, html)


_HAN = re.compile("[\u4e00-\u9fff]")
# Chinese in 7-bit encodings: HZ (RFC 1843, GB2312 between `~{` and `~}`: Usenet, mail and BBS archives, `hz-gb-2312`
# pages) and UTF-7 (RFC 2152, `+ZeVnLIqe-`: old mail, some Windows exports). Their bytes are pure ASCII, so strict
# UTF-8 read them as ASCII and the speech became `~{M,V>CG#,...~}` (a document of escape codes, or too_short). Pure
# ASCII holding their markers is decoded with them when that decodes strictly into Chinese: at least
# SEVEN_BIT_MIN_HAN Han characters (MIN_RAW_CHARS: less is no document anyway) of which a DECLARED_COMMON_HAN share is
# common, as a declared charset must be, and at least SEVEN_BIT_CJK_SHARE of the non-ASCII characters decoded are Han
# or CJK punctuation: base64 that is no text (`+QUJDREVG…-`, a token) decodes as UTF-7 into any of 65,536 code
# points, 1 in 3 of them in the Han block (a token's characters: 0.35-0.45), where Chinese is Han and its punctuation
# (every 20th report of the shared corpus and the seeds: 0.99-1.0; the seed with injected pinyin `區(qū)長`: 0.87).
# English with a `+` or `~{` fails the strict decoding or gives no Han.
SEVEN_BIT_MIN_HAN = MIN_RAW_CHARS
SEVEN_BIT_CJK_SHARE = 0.6
_UTF7_SHIFT = re.compile(rb"\+[A-Za-z0-9/+]{4,}")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CJK_TEXT = re.compile("[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2010-\u2027\u00b7]")


def _seven_bit_chinese(data: bytes) -> tuple[str, str] | None:
    """ASCII bytes that are HZ or UTF-7 Chinese, decoded (see SEVEN_BIT_MIN_HAN); None for ASCII that is ASCII."""
    for enc, marker in (("hz", b"~{"), ("utf-7", None)):
        if marker is not None and marker not in data:
            continue
        if marker is None and _UTF7_SHIFT.search(data) is None:
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        n_han = len(_HAN.findall(text, 0, 20000))
        if n_han < SEVEN_BIT_MIN_HAN or _common_han_share(text) <= DECLARED_COMMON_HAN:
            continue
        n_cjk = len(_CJK_TEXT.findall(text, 0, 20000))
        if n_cjk >= SEVEN_BIT_CJK_SHARE * len(_NON_ASCII.findall(text, 0, 20000)):
            return text, enc
    return None


def _undeclared(data: bytes, utf8_error: UnicodeDecodeError, html: bool = True) -> tuple[str, str]:
    """decode_bytes past strict UTF-8 and the declared charset: UTF-16 without NULs, stray NULs, detection."""
    utf16 = _utf16_cjk_only(data)
    if utf16:
        return data.decode(utf16), utf16
    if b"\0" in data:  # past the binary test's sample: a legacy-encoded page with a NUL tail or stray NULs
        text_part = _without_stray_nuls(data)
        if text_part is not None:
            return decode_bytes(text_part, html)
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
    return None


def _utf16_cjk_only(data: bytes) -> str | None:
    """UTF-16 without BOM whose text is all Chinese has no NUL bytes to show it. Tried only after strict UTF-8
    and the page's declared charset failed: almost any even-length byte string decodes as UTF-16, and ASCII
    pairs (`aa` -> 慡) or Shift-JIS decode as Han. Chinese text uses the common characters (GB2312 level 1 or
    Big5's frequent ones) nearly always; Han decoded from other bytes is spread over all ~21k of them."""
    if len(data) < 4 or len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _han_share(text) > 0.6 and _mostly_text(text) and _common_han_share(text) > UTF16_COMMON_HAN:
            return enc
    return None


# Share of a Han sample in the common sets for a BOM-less, NUL-less file to be read as UTF-16: every 20th page of
# the shared corpus so encoded gives 0.985-1.0 (Simplified, and converted to Traditional); a UTF-8 page, its base64
# and Shift-JIS text read as UTF-16 give 0.27-0.57 (the common sets hold ~8k of the ~21k unified ideographs).
UTF16_COMMON_HAN = 0.8


def _common_han_share(text: str) -> float:
    han = [ch for ch in text[:2000] if "\u4e00" <= ch <= "\u9fff"]
    return sum(1 for ch in han if _common_han(ch)) / max(1, len(han))


def _common_han(ch: str) -> bool:
    """In GB2312's level 1 (3,755 frequent Simplified characters) or Big5's frequent set (5,401 Traditional)."""
    try:
        if 0xB0 <= ch.encode("gb2312")[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        b = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return 0xA440 <= (b[0] << 8 | b[1]) <= 0xC67E


# A text page may carry NUL bytes that are no encoding's: a download preallocated and cut short ends in a run of them,
# a scraper's C string leaves one per field. Such a page was a `binary` reject ("is it a PDF, image or archive?").
# Its NULs are dropped when, the trailing run aside, they are at most STRAY_NUL_SHARE of its bytes and what is left
# reads as text (the control-byte test of _looks_binary). Compressed or encrypted bytes hold 1 NUL in 256 (0.39 %),
# four times the share, and fail the control-byte test anyway (~9 % of uniform bytes are controls); UTF-16 was
# tried before (a NUL in every other byte).
STRAY_NUL_SHARE = 0.001


def _without_stray_nuls(data: bytes) -> bytes | None:
    body = data.rstrip(b"\0")
    if not body.strip() or body.count(0) > STRAY_NUL_SHARE * len(body):
        return None
    text = body.replace(b"\0", b"")
    return None if _looks_binary(text) else text


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
        utf16_noise = enc.replace("_", "-").startswith("utf-16") and _common_han_share(text) <= UTF16_COMMON_HAN
        if _mostly_text(text) and (_han_share(text) > 0.2 or len(text) < 200) and not utf16_noise:
            return text, enc.replace("_", "-")  # (Shift-JIS read as UTF-16 is Han noise: utf16_noise)
    # Truncated UTF-8 (a download cut mid-character) is UTF-8 with a damaged tail, not a legacy encoding.
    if utf8_error.start >= len(data) - 3:
        return data[: utf8_error.start].decode("utf-8"), "utf-8"
    mixed = _utf8_and_gb18030(data)
    if mixed is not None:
        return mixed, "utf-8+gb18030"
    raise Reject(
        "decode_error",
        f"not valid UTF-8 (bad byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) and no "
        "Chinese legacy encoding (GB18030, Big5, UTF-16) explains the bytes; convert the file to UTF-8",
    )


# A page assembled from two sources — a UTF-8 site template around an article body stored as GBK, a GB18030 paragraph
# pasted into a UTF-8 page — is neither encoding whole: no detector explains it, and it was a decode_error (the
# speech lost). It is read line by line. A GBK character whose bytes are C2-DF + 80-BF is a valid UTF-8 pair by
# chance (~1 in 4 of them; 同 = CD AC reads `ͬ`), decoding to the two-byte band U+0080-U+07FF; so a line is UTF-8
# unless it is not valid UTF-8, or it holds that band and reads as common Han in GB18030. A line holding the switch
# is UTF-8 up to its first bad byte, less the chance pairs before it (and the ASCII among them), and GB18030 after.
# Only when nothing else explained the bytes, and only if every piece decodes strictly, the GB18030 pieces are common
# Chinese (UTF16_COMMON_HAN: Latin-1 or binary bytes read as GB18030 give rare characters) and the page reads as
# text. Every 37th split point of a 5,800-character speech so built decodes exactly.
_TWO_BYTE = re.compile("[\u0080-\u07ff]")


def _utf8_and_gb18030(data: bytes) -> str | None:
    pieces: list[str] = []
    legacy: list[str] = []
    for line in data.splitlines(keepends=True):
        split = _split_line(line)
        if split is None:
            return None
        pieces.extend(split)
        if split[1]:
            legacy.append(split[1])
    text = "".join(pieces)
    if not legacy or not _mostly_text(text) or _han_share(text) <= 0.2:
        return None
    return text if _common_han_share("".join(legacy)) > UTF16_COMMON_HAN else None


def _without_chance_pairs(head: str) -> str:
    """`head` less its end made of two-byte-band characters and the ASCII among them (`(һ)` is GBK's `(一)`)."""
    cut = i = len(head)
    while i:
        while i and head[i - 1] < "\x80":
            i -= 1
        if not i or not "\u0080" <= head[i - 1] <= "\u07ff":
            return head[:cut]
        while i and "\u0080" <= head[i - 1] <= "\u07ff":
            i -= 1
        cut = i
    return head[:cut]


def _split_line(line: bytes) -> tuple[str, str] | None:
    """(its UTF-8 head, its GB18030 tail) of one line; None when the tail is not GB18030."""
    try:
        as_utf8 = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = _without_chance_pairs(line[: exc.start].decode("utf-8"))
        try:
            return head, line[len(head.encode("utf-8")) :].decode("gb18030")
        except UnicodeDecodeError:
            return None
    if _TWO_BYTE.search(as_utf8):
        try:
            as_gb = line.decode("gb18030")
        except UnicodeDecodeError:
            return as_utf8, ""
        if _common_han_share(as_gb) > UTF16_COMMON_HAN:
            return "", as_gb
    return as_utf8, ""


# --------------------------------------------------------------------------- formats


@dataclass
class ShardIngest:
    docs: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    # False when a reject reflects a passing state of the landing folder (a file that changed or
    # vanished during the run, an I/O hiccup): such a result must not be cached, the next run reads
    # the file again.
    cacheable: bool = True


def doc_id_for(content_sha256: str, source_path: str, record: str | None = None) -> str:
    """First 16 hex of sha256(content_sha256 NUL source_path NUL record): the same bytes at the same
    relative path (and position in a multi-document file) get the same id under any input root."""
    return sha256_hex(f"{content_sha256}\0{source_path}\0{record or ''}")[:16]


def ingest_files(files: Iterable[tuple[InputFile, str | None]], max_doc_bytes: int = MAX_DOC_BYTES) -> ShardIngest:
    """Read a shard's files. Each item is (file, sha256 from the fingerprint step or None).

    Never raises for anything an input does: each file's failure is its reject. The same relative
    path with the same bytes under two roots is read once (under the root that sorts first); the other is a
    `duplicate_input` reject.
    """
    out = ShardIngest()
    seen: dict[str, str] = {}  # doc_id -> input_root that produced it
    for f, expected_sha in sorted(files, key=lambda item: (item[0].source_path, item[0].input_root)):
        part = ShardIngest()
        ingest_one(f, part, max_doc_bytes=max_doc_bytes, expected_sha=expected_sha)
        out.cacheable = out.cacheable and part.cacheable
        out.rejects.extend(part.rejects)
        for doc in part.docs:
            if doc["doc_id"] in seen:
                out.rejects.append(
                    reject_row(
                        f,
                        doc["content_sha256"],
                        "duplicate_input",
                        f"the same bytes at the same path were read under input {seen[doc['doc_id']]!r}; "
                        "this copy is skipped",
                        doc["record"],
                    )
                )
            else:
                seen[doc["doc_id"]] = f.input_root
                out.docs.append(doc)
    out.docs.sort(key=lambda d: d["doc_id"])
    out.rejects.sort(key=_reject_order)
    return out


def _reject_order(r: dict[str, Any]) -> tuple[str, str, str, str]:
    return (r["source_path"], r.get("record") or "", r.get("input_root") or "", r["reason"])


def ingest_one(
    f: InputFile, out: ShardIngest, max_doc_bytes: int = MAX_DOC_BYTES, expected_sha: str | None = None
) -> None:
    """Read one file into `out`. The bytes read are hashed and checked against `expected_sha`: on a
    mismatch the file is read once more, and if it still differs it is `changed_during_run`."""
    if f.problem is not None:
        out.rejects.append(reject_row(f, None, *f.problem))
        return
    problem = unread_problem(f, max_doc_bytes)  # discovery finds these when given the limit; callers that did not
    if problem is not None:
        out.rejects.append(reject_row(f, expected_sha, *problem))
        return
    suffix = _suffix_of(f)
    assert suffix is not None  # unread_problem rejects the unsupported
    for _attempt in (1, 2):
        part = ShardIngest()
        try:
            sha = _read_file(f, suffix, part, max_doc_bytes)
        except FileNotFoundError as exc:
            out.cacheable = False
            if expected_sha is None:
                out.rejects.append(reject_row(f, None, "read_error", _describe_os_error(exc)))
            else:
                out.rejects.append(
                    reject_row(
                        f,
                        expected_sha,
                        "vanished",
                        "the file was deleted or moved after jianghua found it; the next run reads it if it is back",
                    )
                )
            return
        except NotRegular as exc:
            out.rejects.append(reject_row(f, None, "not_regular_file", str(exc.strerror)))
            return
        except OSError as exc:
            out.cacheable = out.cacheable and _is_lasting(exc)
            detail = _describe_os_error(exc)
            if not _is_lasting(exc):
                detail += "; a passing I/O error: the next run reads it again"
            out.rejects.append(reject_row(f, None, "read_error", detail))
            return
        except Exception as exc:  # noqa: BLE001 - whatever a file does, it is its own reject
            out.cacheable = out.cacheable and not isinstance(exc, MemoryError)
            out.rejects.append(
                reject_row(
                    f,
                    expected_sha,
                    "processing_error",
                    f"reading this file failed ({exc.__class__.__name__}: {str(exc)[:200]}); "
                    "this is a jianghua bug — please report it with the file",
                )
            )
            return
        if expected_sha is None or sha == expected_sha:
            out.docs.extend(part.docs)
            out.rejects.extend(part.rejects)
            out.cacheable = out.cacheable and part.cacheable
            return
    out.cacheable = False
    out.rejects.append(
        reject_row(
            f,
            None,  # no one content was rejected: the fingerprint's bytes are gone, and a file rewritten on every
            # read (a crawler's log, /proc) gave each run's release a new row and a new id for the same landing folder
            "changed_during_run",
            "the file changed while jianghua read it (its bytes differ from the fingerprint, twice); "
            "the next run reads it again",
        )
    )


def _too_large(size: int, cap: int, suffix: str) -> str:
    if suffix in COMPRESSED_PAGE_SUFFIXES:
        return (
            f"at least {size:,} bytes of page (inflated) is more than one speech (limit {cap:,}); "
            "raise --max-doc-bytes if it is one"
        )
    if suffix in SINGLE_DOC_SUFFIXES:
        return f"{size:,} bytes is more than one speech (limit {cap:,}); split the file or raise --max-doc-bytes"
    return (
        f"{size:,}+ bytes of decoded content in one {suffix} file (limit {cap:,} = {MULTI_DOC_FACTOR} x "
        "--max-doc-bytes); split it into smaller files or raise --max-doc-bytes"
    )


def _read_file(f: InputFile, suffix: str, out: ShardIngest, max_doc_bytes: int) -> str:
    """Parse the file into `out`; return the sha256 of every byte of it (read in one pass)."""
    with open_checked(f.path) as fh:
        reader = HashingReader(fh)
        if suffix == ".parquet":
            sha = reader.drain()  # Parquet needs seeks: hash the whole file first, then parse it
            fh.seek(0)
            before = _stat_key(fh)
            _parquet_docs(f, fh, sha, out, max_doc_bytes, reader.n)
            if before is not None and _stat_key(fh) != before:
                return "changed"  # rewritten in place while parsed: never equals a sha
            return sha
        if suffix in ARCHIVE_SUFFIXES:
            return _archive_docs(f, fh, reader, suffix, out, max_doc_bytes)
        if suffix in MULTI_DOC_SUFFIXES:
            codec = PAGE_CODECS.get("." + suffix.rsplit(".", 1)[1]) if suffix in COMPRESSED_JSONL_SUFFIXES else None
            _jsonl_docs(f, reader, out, max_doc_bytes, codec)
            return reader.drain()
        if suffix in COMPRESSED_PAGE_SUFFIXES:
            return _gzipped_page(f, suffix, reader, out, max_doc_bytes)
        data = _read_capped(reader, max_doc_bytes)
        sha = reader.drain()
        if data is None:
            out.rejects.append(reject_row(f, sha, "too_large", _too_large(reader.n, max_doc_bytes, suffix)))
            return sha
        return _page_doc(f, suffix, data, sha, out)


def _gzipped_page(f: InputFile, suffix: str, reader: HashingReader, out: ShardIngest, max_doc_bytes: int) -> str:
    """A `.html.gz`, `.txt.bz2`, `.txt.xz`, `.html.zst` (see COMPRESSED_PAGE_SUFFIXES) inflated as it streams in, never past
    max_doc_bytes."""
    ext = "." + suffix.rsplit(".", 1)[1]
    codec = PAGE_CODECS[ext]
    try:
        data = b"".join(_archives.inflate(reader.chunks(), codec, None, max_doc_bytes))
    except OverflowError as exc:
        sha = reader.drain()
        out.rejects.append(reject_row(f, sha, "too_large", _too_large(exc.args[0], max_doc_bytes, suffix)))
        return sha
    except _archives.Damaged as exc:
        sha = reader.drain()
        tool = _CODEC_NAMES[codec]
        out.rejects.append(
            reject_row(
                f,
                sha,
                "decode_error",
                f"not a whole {tool} file ({exc}); re-download it, or `{tool} -d` what is there",
            )
        )
        return sha
    return _page_doc(f, suffix[: -len(ext)], data, reader.drain(), out)


def _page_doc(
    f: InputFile, suffix: str, data: bytes, sha: str, out: ShardIngest, member: dict[str, Any] | None = None
) -> str:
    """One page into `out`. `member` is set for a page inside an archive: its `record` name, `group`, and what the
    archive says of it (a WARC response's `headers`, `url`, `fetched_at`), used as a saved page's own."""
    marker = None if member is not None else _download_marker(f)
    if marker is not None:
        out.cacheable = False  # the same bytes are read as a page once the tool removes its marker
        out.rejects.append(
            reject_row(
                f,
                sha,
                "download_in_progress",
                f"{marker!r} beside it says its download is not finished (aria2 and browsers write the final name "
                "first and remove that file last); the next run reads it once the download ends — delete "
                f"{marker!r} if the download was abandoned, to read what arrived",
            )
        )
        return sha
    extra = dict(member or {})
    record = extra.get("record")
    headers = extra.pop("headers", None)
    data, headers_cut, http_charset = _http_response(f, data, headers, sidecar=member is None)
    try:
        if suffix == ".txt":
            out.docs.append(_text_doc(f, data, sha, headers_cut, http_charset, **extra))
        elif suffix in MHTML_SUFFIXES:
            html, charset = _mhtml_page(data)
            out.docs.append(_html_doc(f, html, sha, headers_cut, charset, **extra))
        else:
            out.docs.append(_html_doc(f, data, sha, headers_cut, http_charset=http_charset, **extra))
    except Reject as rej:
        out.rejects.append(reject_row(f, sha, rej.reason, rej.detail, record))
    return sha


# A zip or tar inside an archive is held whole (zipfile seeks) up to this many times max_doc_bytes: plan_shards gives a
# worker ~32 MB of input, which 4 x 8 MB matches; a larger one is a too_large reject that says to unpack it.
NESTED_ARCHIVE_FACTOR = 4
# Record names of an archive's own rows (its damaged or oversized rest, the records that hold no page); a member of
# the same name is renamed `tail [2]` like any repeated name, so keys stay unique.
ARCHIVE_TAIL = "tail"
ARCHIVE_NOT_PAGES = "not pages"


@dataclass
class _ArchiveRead:
    f: InputFile
    out: ShardIngest
    max_doc_bytes: int
    kept: int = 0  # UTF-8 bytes of text kept from the archive's pages (capped as a JSONL's inflated bytes)


class _ArchiveFull(Exception):
    pass


def _archive_docs(f: InputFile, fh: BinaryIO, reader: HashingReader, suffix: str, out: ShardIngest, cap: int) -> str:
    """A zip, tar or WARC read member by member (tasks/archives.py): every member a document or a reject whose
    record names it. A zip is hashed first, then read through its central directory (it must seek); a tar or WARC
    streams through once, hashed as read."""
    kind = _archives.archive_kind(suffix)
    state = _ArchiveRead(f, out, cap)
    if kind == "zip":
        sha = reader.drain()
        fh.seek(0)
        before = _stat_key(fh)
        _read_archive(state, "zip", fh, reader.n, "", 0)
        if before is not None and _stat_key(fh) != before:
            return "changed"  # rewritten in place while read: never equals a sha
        return sha
    _read_archive(state, kind, reader.chunks(), None, "", 0, lambda: reader.n)
    return reader.drain()


def _read_archive(
    state: _ArchiveRead,
    kind: str,
    src: Any,
    size: int | None,
    prefix: str,
    depth: int,
    compressed: Any = None,
) -> None:
    f, out, cap = state.f, state.out, state.max_doc_bytes
    names: dict[str, int] = {ARCHIVE_TAIL: 1, ARCHIVE_NOT_PAGES: 1}
    skipped = _archives.NotPages()
    n_members = 0
    whole = "zip archive" if kind == "zip" else "crawl archive (WARC)" if kind == "warc" else "tar archive"

    def cap_for(name: str) -> int:
        return NESTED_ARCHIVE_FACTOR * cap if _held_whole(_name_suffix(name)) else cap

    failed = []

    def rest(reason: str, detail: str) -> None:
        failed.append(reason)
        # nothing read: the row is the archive's own (the file, or the member that holds a nested archive)
        out.rejects.append(
            reject_row(f, None, reason, detail, prefix + ARCHIVE_TAIL if n_members else prefix[:-2] or None)
        )

    budget_cap = MULTI_DOC_FACTOR * cap
    try:
        members: Iterator[_archives.Member]
        if kind == "zip":
            assert size is not None
            members = _archives.zip_members(src, size, cap_for, budget_cap)
        else:
            chunks = iter(src)
            first = next(chunks, b"")
            codec = _archives.sniffed_codec(first)
            stream = itertools.chain((first,), chunks)
            budget = _archives.Budget(budget_cap, compressed)
            data = _archives.inflate(stream, codec, budget) if codec else _archives.counted(stream, budget)
            if kind == "tar":
                members = _archives.tar_members(io.BufferedReader(_archives.ChunkReader(data), READ_CHUNK), cap_for)
            else:
                members = _archives.warc_members(data, cap, skipped)
        for m in members:
            n_members += 1
            count = names.get(m.name, 0) + 1
            names[m.name] = count
            name = m.name if count == 1 else f"{m.name} [{count}]"
            try:
                _archive_member(state, kind, m, prefix + name, depth)
            except (_ArchiveFull, _archives.Bomb, _archives.Damaged):
                raise
            except Exception as exc:  # noqa: BLE001 - one member's failure is its own reject, the rest is read
                out.rejects.append(
                    reject_row(
                        f,
                        None,
                        "processing_error",
                        f"reading this member failed ({exc.__class__.__name__}: {str(exc)[:200]}); "
                        "this is a jianghua bug — please report it with the file",
                        prefix + name,
                    )
                )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, tarfile.TarError, EOFError) as exc:
        rest("decode_error", f"not a readable {whole} ({str(exc)[:160]}); re-download or re-create it")
    except _archives.Bomb as exc:
        rest(
            "too_large",
            f"the {whole} inflates past {exc.args[0]:,} bytes, over {_archives.ARCHIVE_RATIO} times its own size "
            f"(a decompression bomb?); {'the members before are kept, ' if n_members else ''}the rest is not read — "
            "unpack it with care if it is real",
        )
    except _archives.Damaged as exc:
        kept = f"the {n_members:,} member(s) before it are read, the rest is lost" if n_members else "nothing read"
        rest("decode_error", f"the {whole} is damaged ({exc}); {kept} — re-download it")
    except _ArchiveFull:
        rest(
            "too_large",
            f"the {whole}'s pages hold over {MULTI_DOC_FACTOR * cap:,} bytes of text (the limit of one file, "
            f"{MULTI_DOC_FACTOR} x --max-doc-bytes); the members after that are not read — split the archive",
        )
    if skipped.kinds:
        out.rejects.append(reject_row(f, None, "not_a_page", skipped.detail(), prefix + ARCHIVE_NOT_PAGES))
    elif n_members == 0 and not failed:
        out.rejects.append(reject_row(f, None, "empty", f"the {whole} holds no files", prefix[:-2] or None))


def _archive_member(state: _ArchiveRead, kind: str, m: Any, record: str, depth: int) -> None:
    """One member of an archive: a page (document or reject), an archive inside it (read in turn), or a reject."""
    f, out, cap = state.f, state.out, state.max_doc_bytes
    if state.kept > MULTI_DOC_FACTOR * cap:
        raise _ArchiveFull
    if m.problem is not None:
        out.rejects.append(reject_row(f, None, m.problem[0], m.problem[1], record))
        return
    if kind != "warc" and _archives.is_hidden_member(m.name):
        out.rejects.append(
            reject_row(
                f,
                None,
                "not_a_page",
                "a hidden file an archiving tool adds (`__MACOSX/` resource forks, `.DS_Store`, `Thumbs.db`); "
                "nothing to do",
                record,
            )
        )
        return
    suffix = (".txt" if m.page_type == "text/plain" else ".html") if kind == "warc" else _name_suffix(m.name)
    if suffix is None:
        out.rejects.append(reject_row(f, None, "unsupported_type", _unsupported_detail(m.name), record))
        return
    if m.data is None:
        limit = NESTED_ARCHIVE_FACTOR * cap if _held_whole(suffix) else cap
        what = "a nested archive or JSONL is read whole" if _held_whole(suffix) else "one speech"
        out.rejects.append(
            reject_row(
                f,
                None,
                "too_large",
                f"the member holds {m.size:,}+ bytes, more than {what} (limit {limit:,}); unpack it, or raise "
                "--max-doc-bytes",
                record,
            )
        )
        return
    data: bytes = m.data
    sha = sha256_hex(data)
    if suffix in ARCHIVE_SUFFIXES:
        if depth + 1 >= _archives.MAX_ARCHIVE_DEPTH:
            out.rejects.append(
                reject_row(
                    f,
                    sha,
                    "unsupported_type",
                    f"an archive nested {depth + 2} deep (archives inside archives are opened "
                    f"{_archives.MAX_ARCHIVE_DEPTH} deep); unpack it into the landing folder",
                    record,
                )
            )
            return
        inner = _archives.archive_kind(suffix)
        if inner == "zip":
            _read_archive(state, inner, io.BytesIO(data), len(data), record + "!/", depth + 1)
        else:
            _read_archive(state, inner, iter((data,)), None, record + "!/", depth + 1, lambda: len(data))
        return
    if suffix in MULTI_DOC_SUFFIXES and suffix != ".parquet":
        _jsonl_member(state, data, sha, suffix, record)
        return
    if suffix in MULTI_DOC_SUFFIXES:
        out.rejects.append(
            reject_row(
                f,
                sha,
                "unsupported_type",
                f"a {suffix} file inside an archive; unpack it into the landing folder, where it is read record by "
                "record",
                record,
            )
        )
        return
    if suffix in COMPRESSED_PAGE_SUFFIXES:
        ext = "." + suffix.rsplit(".", 1)[1]
        try:
            data = b"".join(_archives.inflate((data,), PAGE_CODECS[ext], None, cap))
        except OverflowError as exc:
            out.rejects.append(reject_row(f, sha, "too_large", _too_large(exc.args[0], cap, suffix), record))
            return
        except _archives.Damaged as exc:
            out.rejects.append(reject_row(f, sha, "decode_error", f"the compressed page is damaged ({exc})", record))
            return
        suffix = suffix[: -len(ext)]
    headers = m.headers
    if headers is not None:
        if m.status is not None and not 200 <= m.status < 300:
            out.rejects.append(
                reject_row(
                    f,
                    sha,
                    "not_a_page",
                    f"an HTTP {m.status} response (a redirect or an error page, not the page itself); nothing to do — "
                    "the page it points to is read if the crawl fetched it",
                    record,
                )
            )
            return
        try:
            data = _archives.http_body(data, headers, cap)
        except OverflowError as exc:
            out.rejects.append(reject_row(f, sha, "too_large", _too_large(exc.args[0], cap, ".html.gz"), record))
            return
        except _archives.Damaged as exc:
            out.rejects.append(reject_row(f, sha, "decode_error", f"{exc}; re-crawl the page", record))
            return
    member = {
        "record": record,
        "group": posixpath.dirname(f"{f.relpath}!/{record}"),
        "url": m.url,
        "fetched_at": m.fetched_at,
        "headers": headers,
    }
    before = len(out.docs)
    _page_doc(f, suffix, data, sha, out, member)
    for doc in out.docs[before:]:
        state.kept += len(doc["raw_text"].encode("utf-8", "surrogatepass"))


def _held_whole(suffix: str | None) -> bool:
    """Members read whole before they are parsed, up to NESTED_ARCHIVE_FACTOR x max_doc_bytes: nested archives and
    JSONL (a crawler's daily dumps tarred for the month)."""
    return suffix in ARCHIVE_SUFFIXES or (suffix in MULTI_DOC_SUFFIXES and suffix != ".parquet")


def _jsonl_member(state: _ArchiveRead, data: bytes, sha: str, suffix: str, record: str) -> None:
    """A JSONL member (plain or compressed): one document or reject a line, named `member!/L12` like a nested
    archive's members, so ids never depend on the member's position in its archive."""
    f, out, cap = state.f, state.out, state.max_doc_bytes
    codec = PAGE_CODECS["." + suffix.rsplit(".", 1)[1]] if suffix in COMPRESSED_JSONL_SUFFIXES else None
    part = ShardIngest()
    seen = _LinesSeen()
    limit = MULTI_DOC_FACTOR * cap
    chunks = _inflate(iter((data,)), limit, codec) if codec else iter((data,))
    try:
        _jsonl_records(f, chunks, part, cap, seen, prefix=record + "!/")
    except _TooLarge:
        out.rejects.append(reject_row(f, sha, "too_large", _too_large(limit, limit, suffix), record))
        return
    except _Damaged as exc:
        kind = _CODEC_NAMES[codec or "gz"]
        if seen.records == 0:
            out.rejects.append(reject_row(f, sha, "decode_error", f"not a readable {kind} member ({exc})", record))
            return
        part.rejects.append(_damaged_tail(f, kind, seen, exc, record + "!/" + ARCHIVE_TAIL))
    if seen.records == 0:
        out.rejects.append(reject_row(f, sha, "empty", "the JSONL member holds no records", record))
        return
    for doc in part.docs:
        state.kept += len(doc["raw_text"].encode("utf-8", "surrogatepass"))
    out.docs.extend(part.docs)
    out.rejects.extend(part.rejects)


# A page's download that did not finish can look whole: plain text has no closing tag (html_cut_short), and a cut
# between two lines leaves nothing odd. What else says so:
# - a download tool's marker beside the final name: aria2 creates `<file>` (preallocated) and keeps `<file>.aria2`
#   until the last byte; Firefox creates `<file>` empty and writes `<file>.part`. A page is read once it is gone.
# - HTTP headers saved with the page — at its start (`wget --save-headers`), or beside it (`curl -D <file>.headers`,
#   crawlers that keep the response head) — whose Content-Length is more than the body's bytes. Only without a
#   Content-Encoding: a body stored decoded has another length than the one sent. The head saved at the start is cut
#   off the page (it is no speech).
# - UTF-8 that ends inside a character: a cut at a random byte of Chinese text falls inside one 2 times in 3.
# Any of the last two makes the page `cut_short` (normalize flags it truncated when its text ends mid-sentence).
_DOWNLOAD_MARKERS = (".aria2", ".part", ".crdownload", ".download", ".filepart", ".partial")
HEADERS_SIDECAR = ".headers"
HTTP_HEAD_BYTES = 65536  # servers refuse a response head over 8-64 KB (nginx 8 KB by default, Apache 8 KB a line)
_HTTP_STATUS = re.compile(rb"HTTP/\d(?:\.\d)? +\d{3}\b[^\r\n]*\r?\n")
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_HEADER_LINE = re.compile(rb"^([A-Za-z0-9-]+)[ \t]*:[ \t]*([^\r\n]*)", re.M)


def _mhtml_page(data: bytes) -> tuple[bytes, str | None]:
    """The first text/html part of an MHTML file (decoded from quoted-printable or base64) and its MIME charset."""
    import email
    import email.policy

    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                return payload, part.get_content_charset()
    raise Reject(
        "no_text",
        "a saved web page (MHTML) without an HTML part; open it in a browser and save it as a web page (.html)",
    )


def _download_marker(f: InputFile) -> str | None:
    """The name of a download tool's in-progress file beside a local page, if one is there."""
    if not _is_local(f.path):
        return None
    for suffix in _DOWNLOAD_MARKERS:
        if os.path.lexists(f.path + suffix):
            return posixpath.basename(f.relpath) + suffix
    return None


def _response_heads(data: bytes) -> tuple[int, dict[bytes, bytes]] | None:
    """(where the body starts, the last response head's headers, lower-cased names) of bytes that open with an HTTP
    status line (one head, or several when redirects were followed); None otherwise."""
    pos = 0
    headers: dict[bytes, bytes] | None = None
    while (m := _HTTP_STATUS.match(data, pos)) is not None:
        end = _HEAD_END.search(data, m.start(), m.start() + HTTP_HEAD_BYTES)
        if end is None:
            head, pos = data[m.end() : m.start() + HTTP_HEAD_BYTES], len(data)
        else:
            head, pos = data[m.end() : end.start()], end.end()
        headers = {k.lower(): v.strip() for k, v in _HEADER_LINE.findall(head)}
    return None if headers is None else (pos, headers)


def _http_response(
    f: InputFile, data: bytes, given: dict[bytes, bytes] | None = None, sidecar: bool = True
) -> tuple[bytes, bool, str | None]:
    """The page's body (without a response head saved at its start), whether its headers say it is cut short, and
    the charset they name. The headers are the ones saved at the page's start, else `given` (a WARC response's),
    else the `.headers` file beside it."""
    heads = _response_heads(data)
    if heads is not None:
        data = data[heads[0] :]
    headers = (
        heads[1] if heads is not None else given if given is not None else _sidecar_headers(f) if sidecar else None
    )
    if headers is None:
        return data, False, None
    length = headers.get(b"content-length", b"")
    encoded = headers.get(b"content-encoding", b"identity").lower() not in (b"", b"identity")
    chunked = b"chunked" in headers.get(b"transfer-encoding", b"").lower()
    cut = length.isdigit() and not encoded and not chunked and len(data) < int(length)
    return data, cut, _archives.header_charset(headers)


def _sidecar_headers(f: InputFile) -> dict[bytes, bytes] | None:
    if not _is_local(f.path):
        return None
    try:
        with open(f.path + HEADERS_SIDECAR, "rb") as fh:
            heads = _response_heads(fh.read(HTTP_HEAD_BYTES * 4))
    except OSError:
        return None
    return None if heads is None else heads[1]


def _cut_inside_character(data: bytes, encoding: str) -> bool:
    """The bytes stop inside a character of `encoding` (UTF-8's lead byte without its tail, half a UTF-16 unit)."""
    if encoding == "utf-8":
        return _utf8_cut(data)
    if encoding in ("utf-16", "utf-32"):  # read from a byte-order mark (decode_bytes keeps the whole units)
        return len(data) % (2 if encoding == "utf-16" else 4) != 0
    return False


def _utf8_cut(data: bytes) -> bool:
    """The bytes end inside a UTF-8 character: a lead byte whose continuation bytes are missing."""
    i = len(data) - 1
    while i >= 0 and len(data) - i <= 3 and 0x80 <= data[i] <= 0xBF:
        i -= 1
    if i < 0 or data[i] < 0xC0:
        return False
    need = 2 if data[i] < 0xE0 else 3 if data[i] < 0xF0 else 4
    return len(data) - i < need


def _stat_key(fh: Any) -> tuple[int, int] | None:
    try:
        st = os.fstat(fh.fileno())
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return None  # not a local file: nothing cheaper to compare
    return st.st_size, st.st_mtime_ns


def _read_capped(reader: HashingReader, cap: int) -> bytes | None:
    """Up to `cap` bytes, or None when there are more (the rest stays unread, for drain())."""
    parts: list[bytes] = []
    n = 0
    while n <= cap:
        chunk = reader.read(min(READ_CHUNK, cap + 1 - n))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        n += len(chunk)
    return None


def reject_row(f: InputFile, sha: str | None, reason: str, detail: str, record: str | None = None) -> dict[str, Any]:
    """A rejects row for `f` (and a record inside it) with every provenance column filled; a
    slice's own problem (changed, vanished, unreadable) is recorded under its byte range."""
    return {
        "source_path": f.source_path,
        "record": f.slice_record if record is None else record,
        "input_root": f.input_root,
        "content_sha256": sha,
        "reason": reason,
        "detail": detail,
    }


def _base_doc(f: InputFile, sha: str, fmt: str, raw_text: str, encoding: str | None, **extra: Any) -> dict[str, Any]:
    if len(raw_text.strip()) < MIN_RAW_CHARS:
        raise Reject("too_short", f"only {len(raw_text.strip())} characters of text; nothing to analyse")
    record = extra.pop("record", None)
    doc = {
        "doc_id": doc_id_for(sha, f.source_path, record),
        "source_path": f.source_path,
        "record": record,
        "input_root": f.input_root,
        "content_sha256": sha,
        "format": fmt,
        "encoding": encoding,
        "url": None,
        "fetched_at": None,
        "page_title": None,
        "raw_text": raw_text,
        "group": posixpath.dirname(f.relpath) or ".",
        "cut_short": False,
    }
    doc.update(extra)
    if doc["url"]:
        doc["group"] = _url_host(doc["url"]) or doc["group"]
    return doc


def _url_host(url: str) -> str | None:
    m = re.match(r"^[a-z][a-z0-9+.-]*://([^/?#:]+)", url.strip(), re.I)
    return m.group(1).lower() if m else None


def _text_doc(
    f: InputFile, data: bytes, sha: str, cut: bool = False, http_charset: str | None = None, **extra: Any
) -> dict[str, Any]:
    text, encoding = _http_declared(data, http_charset) or decode_bytes(data)
    cut = cut or _cut_inside_character(data, encoding)
    return _base_doc(f, sha, "txt", _clean_controls(text), encoding, cut_short=cut, **extra)


def _http_declared(data: bytes, charset: str | None) -> tuple[str, str] | None:
    """`data` decoded with the charset its HTTP Content-Type names, when the bytes bear it out: not UTF-8 (which
    decode_bytes reads first anyway), decoding without an error, and common Chinese (DECLARED_COMMON_HAN, as for a
    page's own <meta charset>: servers default to `iso-8859-1`, and a GBK site's template says `utf-8`)."""
    if not charset or charset.replace("_", "-") in ("utf-8", "utf8"):
        return None
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    enc = _CHARSET_ALIASES.get(charset, charset)
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None
    if _HAN.search(text, 0, 20000) and _common_han_share(text) > DECLARED_COMMON_HAN:
        return text, enc
    return None


_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_TAG = re.compile(r"<(?:link|meta)\b[^>]{0,1000}>", re.I)
_ATTR = re.compile(r"""([a-z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def page_url(html: str) -> str | None:
    """The page's own URL from `<link rel="canonical">` or `<meta property="og:url">`, if absolute."""
    import html as html_lib

    found: dict[str, str] = {}
    for m in _TAG.finditer(html[:50000]):
        attrs = {a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or "" for a in _ATTR.finditer(m.group(0))}
        if "canonical" in attrs.get("rel", "").lower().split() and attrs.get("href"):
            found.setdefault("canonical", attrs["href"])
        elif attrs.get("property", attrs.get("name", "")).lower() == "og:url" and attrs.get("content"):
            found.setdefault("og", attrs["content"])
    for key in ("canonical", "og"):
        url = html_lib.unescape(found.get(key, "")).strip()
        if _url_host(url) and url.lower().startswith(("http://", "https://")):
            return url
    return None


def _html_doc(
    f: InputFile,
    data: bytes,
    sha: str,
    cut: bool = False,
    charset: str | None = None,
    http_charset: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    html, encoding = _declared(data, charset) or _http_declared(data, http_charset) or decode_bytes(data, html=True)
    url = extra.pop("url", None) or page_url(html)  # a WARC record's target URI: where the page was fetched
    title, text = html_main_text(html, url)
    if text is None:
        raise Reject(
            "no_text",
            "the HTML page has no main text the extractor (trafilatura) can find; is it a list or login page?",
        )
    cut = cut or html_cut_short(html) or _cut_inside_character(data, encoding)
    return _base_doc(f, sha, "html", text, encoding, page_title=title, url=url, cut_short=cut, **extra)


def _declared(data: bytes, charset: str | None) -> tuple[str, str] | None:
    """`data` decoded with a charset its container names (an MHTML part's), if that decodes it; else None."""
    if not charset:
        return None
    enc = _CHARSET_ALIASES.get(charset.lower(), charset.lower())
    try:
        return data.decode(enc).removeprefix("\ufeff"), enc
    except (UnicodeDecodeError, LookupError):
        return None


# How far from each end of a page its <html>/<body> opener and closer are looked for: the closers end a page (a few
# scripts after them at most), the openers come after a <head> of links and styles (the shared corpus's pages: < 8 KB).
HTML_EDGE_CHARS = 65536
_HTML_OPENER = re.compile(r"<(?:html|body)\b", re.I)
_HTML_CLOSER = re.compile(r"</(?:html|body)\s*>", re.I)


def html_cut_short(html: str) -> bool:
    """The page opens <html> or <body> and closes neither: the file stops inside the page (a download cut short,
    a crawler's size cap). Its text may end mid-sentence with nothing else to say so."""
    return bool(_HTML_OPENER.search(html, 0, HTML_EDGE_CHARS)) and not _HTML_CLOSER.search(
        html, max(0, len(html) - HTML_EDGE_CHARS)
    )


# Elements whose content the HTML parser swallows up to their closer: a page whose closer is lost (a truncated download,
# a bad copy: `-衑>`) loses everything after the opener, and the extractor finds no text (a `no_text` reject).
_SWALLOWING = (
    (re.compile(r"<!--"), re.compile(r"-->")),
    (re.compile(r"<script\b[^>]{0,2000}>", re.I), re.compile(r"</script\s*>", re.I)),
    (re.compile(r"<style\b[^>]{0,2000}>", re.I), re.compile(r"</style\s*>", re.I)),
)
# where an unclosed opener's content ends: its line, or the next tag, whichever comes first
_UNCLOSED_END = re.compile(r"\n|<[A-Za-z/!]")


def close_unclosed(html: str) -> str:
    """An opener (<!--, <script>, <style>) with no closer after it gets one at the end of its line or before the next
    tag: only that line is hidden, never the rest of the page. Pages whose elements all close are returned as is."""
    for opener, closer in _SWALLOWING:
        last_close = None
        for last_close in closer.finditer(html):  # noqa: B007 - the last one is wanted
            pass
        m = opener.search(html, last_close.end() if last_close else 0)
        if m is None:
            continue
        e = _UNCLOSED_END.search(html, m.end())
        at = e.start() if e else len(html)
        html = html[:at] + ("-->" if m.group(0) == "<!--" else f"</{m.group(0)[1:].split()[0].strip('>')}>") + html[at:]
    return html


# XHTML (and pages a CMS writes as XML) hold text in `<![CDATA[…]]>` sections; the HTML parser under the extractor
# reads one as a bogus comment and drops it, so a speech wrapped in CDATA was a `no_text` reject. Outside the elements
# whose content is raw text anyway (script, style, textarea) and comments, a section becomes its text, escaped; a page
# without one is returned as it came.
_CDATA_OPEN = "<![CDATA["
_CDATA_CLOSE = "]]>"
_RAW_TEXT_OPENER = re.compile(r"<!--|<(script|style|textarea)\b", re.I)
_RAW_TEXT_CLOSER: dict[str | None, re.Pattern[str]] = {
    None: re.compile(r"-->"),
    **{t: re.compile(rf"</{t}\s*>", re.I) for t in ("script", "style", "textarea")},
}


def cdata_as_text(html: str) -> str:
    """`html` with each CDATA section outside script/style/textarea/comments replaced by its escaped text. One pass:
    each raw-text element before a section is looked at once."""
    if _CDATA_OPEN not in html:
        return html
    import html as html_lib

    out: list[str] = []
    pos = 0  # html[:pos] is in `out`
    known = 0  # html[:known] is accounted for: outside raw-text elements, or inside one that ends at `known`
    at = html.find(_CDATA_OPEN)
    while at >= 0:
        while known <= at:
            m = _RAW_TEXT_OPENER.search(html, known, at)
            if m is None:
                known = at
                break
            tag = m.group(1).lower() if m.group(1) else None
            e = _RAW_TEXT_CLOSER[tag].search(html, m.end())
            known = len(html) if e is None else e.end()
        if known > at:  # inside a script, style or comment: its content stays as it is
            at = html.find(_CDATA_OPEN, known)
            continue
        close = html.find(_CDATA_CLOSE, at + len(_CDATA_OPEN))
        if close < 0:
            break  # an unclosed section: the parser's reading (a bogus comment up to the next `>`) stands
        out.append(html[pos:at])
        out.append(html_lib.escape(html[at + len(_CDATA_OPEN) : close], quote=False))
        pos = known = close + len(_CDATA_CLOSE)
        at = html.find(_CDATA_OPEN, pos)
    out.append(html[pos:])
    return "".join(out)


_BODY_TAG = re.compile(r"<(?:html|body)\b", re.I)
# A table used for layout holds the page's text in a cell; the extractor renders a table cell's <br> and <p> as spaces
# and its row as `| … |`, so a speech laid out in one <td> reached normalize as one line between pipes. A table with a
# cell of LAYOUT_CELL_CHARS+ characters of its own text is read as blocks (its table tags as <div>s); a data table's
# cells (figures, names) are far shorter and stay a table.
LAYOUT_CELL_CHARS = 200
_TABLE_TAGS = frozenset({"table", "tbody", "thead", "tfoot", "tr", "td", "th"})


def unlayout_tables(html: str) -> str:
    """`html` with every layout table (see LAYOUT_CELL_CHARS) turned into <div>s; unchanged when there is none."""
    if "<td" not in html and "<TD" not in html:
        return html
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - lxml raises several types on broken markup: the extractor will say what is wrong
        return html
    layout: list[Any] = []  # the tables (lxml elements) holding a layout cell
    for cell in root.iter("td", "th"):
        own = "".join(
            t for el in cell.iter() if el.tag not in _TABLE_TAGS or el is cell for t in (el.text, el.tail) if t
        )
        if len(own) >= LAYOUT_CELL_CHARS:
            layout.extend(a for a in cell.iterancestors("table"))
    if not layout:
        return html
    tables = {id(t): t for t in layout}
    parts = [  # a table's own parts, not those of a (data) table nested in one of its cells
        el
        for t in tables.values()
        for el in t.iter("tbody", "thead", "tfoot", "tr", "td", "th")
        if next(el.iterancestors("table"), None) is t
    ]
    for el in [*tables.values(), *parts]:
        el.tag = "div"
    return lxml.html.tostring(root, encoding="unicode")


# libxml2's HTML parser (under lxml, hence under trafilatura and unlayout_tables) stops building the tree at 256 open
# elements — "Excessive depth in document: 256" (ERR_RESOURCE_LIMIT, libxml2 2.14 without XML_PARSE_HUGE) — and
# drops everything after that point without raising: a speech whose paragraphs each open a <font> or <span> that is
# never closed (old site templates) lost all text after its ~128th paragraph, and a page nested 256 deep became
# `no_text`. Such a page is flattened until it parses whole: inline formatting tags first (they carry no structure),
# then, if still too deep, every tag that can nest becomes a line break (the text survives; chrome is normalize's).
# A page that stays within the limit is parsed as before.
PARSER_DEPTH = 256  # libxml2's xmlParserMaxDepth (2.14, as lxml 6.1 ships it): a page with fewer tags cannot reach it
_DEPTH_EXCEEDED = "Excessive depth"  # the libxml2 message (lxml `error_log` entry) for the limit above
_FORMATTING_TAGS = re.compile(
    r"</?(?:font|span|b|strong|i|em|u|small|big|s|strike|tt|sub|sup|ins|del|mark|abbr|cite|q|label|nobr|center)"
    r"(?:\s[^>]{0,2000})?/?>",
    re.I,
)
_NESTING_TAGS = re.compile(
    r"</?(?!(?:html|head|body|title|meta|link|script|style|br|hr|img|p|h[1-6])\b)[A-Za-z][A-Za-z0-9:-]*"
    r"(?:\s[^>]{0,2000})?/?>",
    re.I,
)
# a run of the line breaks the nesting tags became (100,000 nested <div>s: 200,000 <br>s, over which the extractor
# spent 200 s) is one paragraph break
_BREAK_RUN = re.compile(r"(?:<br>\s*){3,}")


def _too_deep(html: str) -> bool:
    """Whether libxml2 gives up on `html` at its nesting limit (one parse, ~5 % of the extractor's time)."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(collect_ids=False, remove_comments=True, remove_pis=True)
    try:
        lxml.etree.fromstring(html, parser)
    except Exception:  # noqa: BLE001 - broken markup: the extractor says what is wrong
        return False
    return any(_DEPTH_EXCEEDED in e.message for e in parser.error_log)


def flatten_deep(html: str) -> str:
    """`html` as is when the parser reads it whole, else flattened (see _DEPTH_EXCEEDED) until it does."""
    if html.count("<") < PARSER_DEPTH or not _too_deep(html):
        return html
    html = _FORMATTING_TAGS.sub("", html)
    if not _too_deep(html):
        return html
    return _BREAK_RUN.sub("<br><br>", _NESTING_TAGS.sub("<br>", html))


def html_main_text(html: str, url: str | None = None) -> tuple[str | None, str | None]:
    """Main text via trafilatura (favouring recall: chrome is normalize's job, lost body is forever)."""
    import html as html_lib

    import trafilatura

    html = unlayout_tables(flatten_deep(close_unclosed(cdata_as_text(html))))
    m = _TITLE_TAG.search(html[:20000])
    title = html_lib.unescape(re.sub(r"\s+", " ", m.group(1))).strip() if m else None
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, favor_recall=True, include_comments=False, include_tables=True, with_metadata=False
        )
    except Exception as exc:  # noqa: BLE001 - trafilatura/lxml raise many types on broken markup
        raise Reject(
            "parse_error",
            f"the HTML could not be parsed ({exc.__class__.__name__}: {exc}); check the download is complete",
        ) from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text and not _BODY_TAG.search(html[:200_000]):
        # a fragment (`<p>…</p>` with no <html>/<body>): the extractor reads a whole 4,000-character paragraph as
        # nothing unless it sits in a body
        with contextlib.suppress(Exception):
            doc = trafilatura.bare_extraction(
                f"<html><body>{html}</body></html>",
                url=url,
                favor_recall=True,
                include_comments=False,
                include_tables=True,
                with_metadata=False,
            )
            text = getattr(doc, "text", None) if doc is not None else None
    doc_title = getattr(doc, "title", None)
    if text and doc_title and not text.startswith(doc_title):
        text = f"{doc_title}\n{text}"
    return title or None, text or None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_controls(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _stringy(t: Any) -> bool:
    """An Arrow type whose values read as str (plain, large, view, or dictionary-encoded strings)."""
    import pyarrow as pa

    if pa.types.is_dictionary(t):
        t = t.value_type
    return pa.types.is_string(t) or pa.types.is_large_string(t) or getattr(pa.types, "is_string_view", bool)(t)


def _record_text(record: dict[str, Any]) -> tuple[str | None, str | None]:
    for key in TEXT_FIELDS:
        value = record.get(key)
        if isinstance(value, _Oversized):
            raise Reject(
                "too_large", f"its {key!r} holds {value.n:,} bytes, more than one speech; raise --max-doc-bytes"
            )
        if isinstance(value, str):
            return key, value
    return None, None


def _record_doc(
    f: InputFile, record: Any, rid: str, where: str, out: ShardIngest, fmt: str, max_doc_bytes: int
) -> None:
    """One record of a JSONL/Parquet file: text plus optional url/title/fetched_at. Whatever the
    record holds, it ends as a document or as a reject naming the file and the record."""
    sha = None
    try:
        if not isinstance(record, dict):
            raise Reject("bad_record", f"{where} is JSON but not an object ({type(record).__name__}); fix or drop it")
        key, text = _record_text(record)
        if text is None:
            raise Reject("bad_record", f"{where} has no text field (looked for {', '.join(TEXT_FIELDS)})")
        data = text.encode("utf-8", "surrogatepass")
        sha = sha256_hex(data)
        if len(data) > max_doc_bytes:
            raise Reject(
                "too_large", f"{where}: text of {len(data):,} bytes, over {max_doc_bytes:,}; raise --max-doc-bytes"
            )
        text = data.decode("utf-8", "replace")  # lone surrogates (JSON `\ud800`) cannot be stored
        url = record.get("url") if isinstance(record.get("url"), str) else None
        title = record.get("title") if isinstance(record.get("title"), str) else None
        fetched = record.get("fetched_at")
        if key == "html" or "<html" in text[:2000].lower() or "<body" in text[:5000].lower():
            url = url or page_url(text)
            page_title, main = html_main_text(text, url)
            if main is None:
                raise Reject("no_text", f"{where}: the record's HTML has no main text the extractor can find")
            title = title or page_title
            text = main
        out.docs.append(
            _base_doc(
                f,
                sha,
                fmt,
                _clean_controls(text),
                "utf-8",
                record=rid,
                url=url,
                page_title=title,
                fetched_at=None if fetched is None else str(fetched)[:200],
            )
        )
    except Reject as rej:
        out.rejects.append(reject_row(f, sha, rej.reason, rej.detail, rid))
    except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError, odd types: one record's problem
        out.rejects.append(
            reject_row(
                f,
                sha,
                "bad_record",
                f"{where} could not be read ({exc.__class__.__name__}: {str(exc)[:120]}); fix or drop it",
                rid,
            )
        )


class _TooLarge(Exception):
    pass


class _Damaged(Exception):
    pass


def _inflate(chunks: Iterable[bytes], cap: int, codec: str = "gz") -> Iterator[bytes]:
    """A gzip/bzip2/xz stream decompressed by archives.inflate (never more than its CHUNK at a time, a bomb never
    materialized), with ingest's own errors: _TooLarge past `cap`, _Damaged for a corrupt or cut stream."""
    try:
        yield from _archives.inflate(chunks, codec, None, cap)
    except OverflowError as exc:
        raise _TooLarge(exc.args[0]) from None
    except _archives.Damaged as exc:
        raise _Damaged(str(exc)) from None


def _capped(chunks: Iterable[bytes], cap: int) -> Iterator[bytes]:
    """Plain JSONL counted like inflated bytes (a file that grows while read is cut at the cap too)."""
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > cap:
            raise _TooLarge(total)
        yield chunk


_BLANK_LINES = re.compile(rb"[ \t\r\n]*\n")  # a char class, not a repeated group: no per-line stack


def _lines(chunks: Iterable[bytes], cap: int, first_line: int = 1) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for every non-blank line; None for a line over `cap` bytes, which is
    skipped without being held. Runs of blank lines are skipped at C speed."""
    line_no = first_line
    buf = bytearray()
    over = False
    for chunk in chunks:
        pos = 0
        end = len(chunk)
        while pos < end:
            if not buf and not over:
                m = _BLANK_LINES.match(chunk, pos)
                if m:
                    line_no += chunk.count(b"\n", m.start(), m.end())
                    pos = m.end()
                    continue
            nl = chunk.find(b"\n", pos)
            stop = end if nl < 0 else nl
            if not over:
                buf += chunk[pos:stop]
                if len(buf) > cap:
                    over = True
                    buf = bytearray()
            if nl < 0:
                break
            if over:
                yield line_no, None
            elif buf.strip():
                yield line_no, bytes(buf)
            line_no += 1
            buf = bytearray()
            over = False
            pos = nl + 1
    if over:
        yield line_no, None
    elif buf.strip():
        yield line_no, bytes(buf)


def _slice_region(
    chunks: Iterator[bytes], start: int, end: int | None, rest: list[bytes]
) -> tuple[int, Iterator[bytes]]:
    """A slice's lines out of the file's chunks: (number of its first line, the bytes from that
    line's start through the end of the last line that starts before `end`).

    A line belongs to the slice its first byte is in, so the slices of a file share out its lines
    exactly, each found here from the bytes alone. The bytes before are only counted (newlines, for
    the line numbers that name records); nothing outside the region is held, except the part of the
    chunk after the region, which goes to `rest`.
    """
    newlines = 0
    offset = 0  # file offset of `chunk`
    chunk = b""
    if start > 0:  # the first line start at or after `start` follows the first newline at >= start - 1
        for chunk in chunks:
            lo = start - 1 - offset
            nl = chunk.find(b"\n", max(0, lo)) if lo < len(chunk) else -1
            if nl < 0:
                newlines += chunk.count(b"\n")
                offset += len(chunk)
                continue
            newlines += chunk.count(b"\n", 0, nl + 1)
            chunk = chunk[nl + 1 :]
            offset += nl + 1
            break
        else:
            return newlines + 1, iter(())
    return newlines + 1, _region_until(chunk, chunks, offset, end, rest)


def _region_until(
    first: bytes, chunks: Iterator[bytes], offset: int, end: int | None, rest: list[bytes]
) -> Iterator[bytes]:
    """`first` and the chunks after it (starting at file offset `offset`, a line start) up to and
    including the first newline at offset >= end - 1: the end of the last line starting before `end`."""
    if end is not None and offset >= end:
        rest.append(first)
        return
    for chunk in itertools.chain((first,), chunks):
        lo = None if end is None else end - 1 - offset
        if lo is not None and lo < len(chunk):
            nl = chunk.find(b"\n", max(0, lo))
            if nl >= 0:
                rest.append(chunk[nl + 1 :])
                yield chunk[: nl + 1]
                return
        if chunk:
            yield chunk
        offset += len(chunk)


def _bad_jsonl_line(line: bytes, line_no: int, exc: Exception) -> str:
    """What is wrong with a JSONL line, and what to do: the encoding first (a UTF-16 or GB18030 dump fails on
    every line, and a decoder's message alone does not say so)."""
    if b"\x00" in line or line.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return (
            f"line {line_no} holds NUL bytes: the file looks UTF-16, and JSON Lines must be UTF-8; convert it "
            "(iconv -f UTF-16 -t UTF-8)"
        )
    if isinstance(exc, UnicodeDecodeError):
        try:
            line.decode("gb18030")
            legacy = "; it decodes as GB18030: convert the file (iconv -f GB18030 -t UTF-8)"
        except UnicodeDecodeError:
            legacy = ""
        return f"line {line_no} is not UTF-8 (byte 0x{line[exc.start]:02x} at {exc.start}){legacy or '; fix or drop the line'}"
    return f"line {line_no} is not valid JSON ({exc.__class__.__name__}: {str(exc)[:120]}); fix or drop the line"


_CODEC_NAMES = {
    "gz": "gzip",
    "bz2": "bzip2",
    "xz": "xz",
    "zst": "zstd",
}  # PAGE_CODECS' values as an operator knows them


def _jsonl_docs(f: InputFile, reader: HashingReader, out: ShardIngest, max_doc_bytes: int, codec: str | None) -> None:
    """JSONL read line by line as it streams in (inflated on the fly when `codec` names one), one record a line;
    records are named by line (`L12`), never by anything inside them. A slice (f.part) reads the
    whole file — every byte is hashed for the change check — but parses only its own lines."""
    cap = MULTI_DOC_FACTOR * max_doc_bytes
    part = ShardIngest()
    seen = _LinesSeen()
    first_line = 1
    rest: list[bytes] = []  # a slice: the bytes read past its region
    chunks: Iterable[bytes]
    if f.part is not None and codec is None:
        first_line, chunks = _slice_region(reader.chunks(), *f.part, rest)
    else:
        chunks = _inflate(reader.chunks(), cap, codec) if codec else _capped(reader.chunks(), cap)
    try:
        _jsonl_records(f, chunks, part, max_doc_bytes, seen, first_line)
    except _TooLarge:
        reader.drain()
        out.rejects.append(reject_row(f, None, "too_large", _too_large(cap, cap, _suffix_of(f) or ".jsonl")))
        return
    except _Damaged as exc:
        kind = _CODEC_NAMES[codec or "gz"]
        if seen.records == 0:
            if reader.n == 0:
                out.rejects.append(reject_row(f, None, "empty", f"empty {kind} file (0 bytes)"))
                return
            out.rejects.append(
                reject_row(f, None, "decode_error", f"not a readable {kind} file ({exc}); re-download it")
            )
            return
        part.rejects.append(_damaged_tail(f, kind, seen, exc, "tail"))
    if seen.records == 0:
        if f.part is None or (f.part[0] == 0 and not _any_text(itertools.chain(rest, reader.chunks()))):
            out.rejects.append(reject_row(f, None, "empty", "the JSONL file holds no records"))
        return  # a slice without records of its own: the file's other slices hold them
    out.docs.extend(part.docs)
    out.rejects.extend(part.rejects)


@dataclass
class _LinesSeen:
    records: int = 0
    last_line: int = 0


def _jsonl_records(
    f: InputFile,
    chunks: Iterable[bytes],
    part: ShardIngest,
    max_doc_bytes: int,
    seen: _LinesSeen,
    first_line: int = 1,
    prefix: str = "",
) -> None:
    """Every non-blank line of `chunks` a document or a reject in `part`, named `{prefix}L{line}`; `seen` counts
    them as they go, so a stream that breaks (_Damaged, _TooLarge from `chunks`) still tells where."""
    import json

    line_cap = LINE_FACTOR * max_doc_bytes + LINE_SLACK
    for line_no, line in _lines(chunks, line_cap, first_line):
        seen.records += 1
        seen.last_line = line_no
        rid = f"{prefix}L{line_no}"
        if line is None:
            part.rejects.append(
                reject_row(
                    f,
                    None,
                    "too_large",
                    f"line {line_no} is over {line_cap:,} bytes, more than one speech; "
                    "split the record or raise --max-doc-bytes",
                    rid,
                )
            )
            continue
        if line_no == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]  # a UTF-8 BOM: allowed by most writers, not by json.loads
        try:
            record = json.loads(line.decode("utf-8"))
        except Exception as exc:  # noqa: BLE001 - ValueError, RecursionError (deep nesting), MemoryError
            part.rejects.append(reject_row(f, sha256_hex(line), "bad_record", _bad_jsonl_line(line, line_no, exc), rid))
            continue
        _record_doc(f, record, rid, f"line {line_no}", part, "jsonl", max_doc_bytes)


def _damaged_tail(f: InputFile, kind: str, seen: _LinesSeen, exc: Exception, rid: str) -> dict:
    """A cut-off stream still yields the complete lines before the cut (the cut line never is): one row for the rest."""
    return reject_row(
        f,
        None,
        "decode_error",
        f"{kind} stream is damaged after line {seen.last_line} ({exc}); records after the damage are lost — "
        "re-download the file",
        rid,
    )


_BLANK = b" \t\n\r\x0b\x0c"  # what bytes.strip() removes: a line of only these is no record


def _any_text(chunks: Iterable[bytes]) -> bool:
    """Whether any chunk holds a byte that is not blank (stops at the first; the caller drains)."""
    return any(chunk.translate(None, _BLANK) for chunk in chunks)


def _parquet_docs(
    f: InputFile, fh: BinaryIO, sha: str, out: ShardIngest, max_doc_bytes: int, size: int | None = None
) -> None:
    """Parquet read in batches of PARQUET_BATCH_ROWS rows, only the columns jianghua uses; records
    are named by row position (`row=3`, from 0), never by an `id` column. A slice (f.part) reads
    its share of the rows (see _row_share) from the row groups that hold them; a problem of the
    whole file (unreadable, no rows, no text column) is reported by its first slice only."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    cap = MULTI_DOC_FACTOR * max_doc_bytes
    mine = f.owns_file  # a whole file, or the slice that speaks for it
    try:
        pf = pq.ParquetFile(fh)
        names = pf.schema_arrow.names
        counts = [pf.metadata.row_group(i).num_rows for i in range(pf.num_row_groups)]
        sizes = [pf.metadata.row_group(i).total_byte_size for i in range(pf.num_row_groups)]
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many types on damaged files
        if mine:
            out.rejects.append(reject_row(f, sha, "decode_error", f"not a readable Parquet file ({exc}); re-export it"))
        return
    n_rows = sum(counts)
    groups: list[int] | None = None  # None: every row group (a whole file)
    lo, hi, first_row, decoded = 0, ALL_ROWS, 0, sum(sizes)
    if f.part is not None:
        lo, hi = _row_share(n_rows, size or f.size, f.part)
        groups, decoded, start = [], 0, 0
        for i, (n, b) in enumerate(zip(counts, sizes, strict=True)):
            if start < hi and start + n > lo:  # the row group holds rows of this share
                first_row = start if not groups else first_row
                groups.append(i)
                decoded += b * (min(hi, start + n) - max(lo, start)) // max(1, n)  # its share of the group
            start += n
    if decoded > cap:
        out.rejects.append(reject_row(f, sha, "too_large", _too_large(decoded, cap, ".parquet")))
        return
    if n_rows == 0:
        if mine:
            out.rejects.append(reject_row(f, sha, "empty", "the Parquet file has no rows"))
        return
    wanted = [n for n in dict.fromkeys(names) if n in RECORD_FIELDS]
    if not any(n in TEXT_FIELDS for n in wanted):
        if mine:
            out.rejects.append(
                reject_row(
                    f,
                    sha,
                    "bad_record",
                    f"no text column (looked for {', '.join(TEXT_FIELDS)}; found {', '.join(names)})",
                )
            )
        return
    types = {field.name: field.type for field in pf.schema_arrow}
    if not any(_stringy(types[n]) for n in wanted if n in TEXT_FIELDS):
        if mine:  # one reject for the file, not "row N has no text field" for each of its rows
            found = ", ".join(f"{n} ({types[n]})" for n in wanted if n in TEXT_FIELDS)
            out.rejects.append(
                reject_row(
                    f,
                    sha,
                    "bad_record",
                    f"no text column holds strings (found {found}); re-export the page text as a string column",
                )
            )
        return
    if groups == []:
        return  # a slice with no rows of its own
    part = ShardIngest()
    row = first_row
    try:
        for batch in pf.iter_batches(
            batch_size=PARQUET_BATCH_ROWS, row_groups=groups, columns=wanted, use_threads=False
        ):
            if row + batch.num_rows <= lo:  # rows of the slice before: decoded, not read
                row += batch.num_rows
                continue
            columns: dict[str, list[Any]] = {}
            for i, name in enumerate(batch.schema.names):
                if name not in columns:  # a repeated column name: the first one counts
                    columns[name] = _column_values(batch.column(i), max_doc_bytes)
            for j in range(batch.num_rows):
                if lo <= row < hi:
                    record = {name: values[j] for name, values in columns.items()}
                    _record_doc(f, record, f"row={row}", f"row {row}", part, "parquet", max_doc_bytes)
                row += 1
            if row >= hi:
                break  # only a slice gets here
    except (pa.ArrowException, OSError, ValueError) as exc:
        if row == first_row and f.part is None:
            out.rejects.append(reject_row(f, sha, "decode_error", f"not a readable Parquet file ({exc}); re-export it"))
            return
        part.rejects.append(
            reject_row(
                f,
                sha,
                "decode_error",
                f"damaged after row {row - 1} ({exc}); later rows are lost — re-export it",
                "tail" if f.part is None else None,  # a slice's damage: under the slice's range
            )
        )
    out.docs.extend(part.docs)
    out.rejects.extend(part.rejects)


def _row_share(n_rows: int, size: int, part: tuple[int, int | None]) -> tuple[int, int]:
    """The rows [lo, hi) of a Parquet slice: row r sits at byte r * size // n_rows of the file (its
    place in proportion), and belongs to the slice that byte is in. Row groups need not match the
    slices (a one-group file is shared out too); the same file and slices always give the same rows."""
    start, end = part
    size = max(1, size)
    lo = min(n_rows, -(-start * n_rows // size))
    hi = n_rows if end is None else min(n_rows, -(-end * n_rows // size))
    return lo, hi


class _Oversized:
    """Stands in for a Parquet text cell over the cap, which is never turned into a str."""

    def __init__(self, n: int):
        self.n = n


def _column_values(column: Any, max_doc_bytes: int) -> list[Any]:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        sizes = pc.binary_length(column).to_pylist()
        if any(s is not None and s > max_doc_bytes for s in sizes):
            values = []
            for k, s in enumerate(sizes):
                values.append(column[k].as_py() if s is None or s <= max_doc_bytes else _Oversized(s))
            return values
    return column.to_pylist()


# ----------------------------------------------------------------------------- stage runner


def ingest_shard(inputs: dict[str, Any], out_dir: str, max_doc_bytes: int) -> dict[str, Any]:
    """Decode the shard's files: docs.parquet (raw text + page metadata) and rejects.parquet."""
    from collections import Counter
    from pathlib import Path

    from tasks import schema
    from tasks.common import ARTIFACT_COMPRESSION, rows_to_table, write_table

    result = ingest_files(inputs["files"], max_doc_bytes=max_doc_bytes)
    out = Path(out_dir)
    docs = rows_to_table(result.docs, schema.INGEST_DOCS)
    write_table(docs, out / "docs.parquet", ["doc_id"], compression=ARTIFACT_COMPRESSION, plain=["raw_text"])
    write_table(rows_to_table(result.rejects, schema.REJECTS), out / "rejects.parquet", schema.SORT_KEYS["rejects"])
    groups = Counter(doc["group"] for doc in result.docs)
    return {
        "docs": len(result.docs),
        "rejects": len(result.rejects),
        "groups": dict(sorted(groups.items())),
        "bytes": sum(len(d["raw_text"].encode("utf-8")) for d in result.docs),
        # a page that changed or vanished while read is right next run, so this result must not be reused
        "cacheable": result.cacheable,
    }
