"""Parquet schemas of everything jianghua publishes: the one place that defines them.

Every column carries its description as field metadata, so `docs/columns.md` is generated
from here (`python -m tasks.schema > docs/columns.md`) and analysts can read it from the file
itself (`pq.read_schema(path).field("region").metadata`).
"""

from __future__ import annotations

import pyarrow as pa


def _f(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


STR = pa.string()
COUNTS = pa.map_(pa.string(), pa.int32())

DOCUMENTS = pa.schema(
    [
        _f(
            "doc_id",
            STR,
            "Stable id: first 16 hex digits of sha256(content_sha256 + relative path). "
            "Same bytes at the same relative path always give the same id.",
            False,
        ),
        _f(
            "source_path",
            STR,
            "Input path as given (for multi-document files: `file.jsonl#L12`, `file.parquet#row=3`).",
            False,
        ),
        _f(
            "content_sha256",
            STR,
            "sha256 of the input bytes (for records of multi-document files: of the record's text, UTF-8).",
            False,
        ),
        _f("format", STR, "Input format: txt, html, jsonl, parquet.", False),
        _f("encoding", STR, "Encoding the bytes were decoded with (utf-8, gb18030, big5, utf-16 ...)."),
        _f("url", STR, "URL of the page when the input carries one (jsonl/parquet `url` field)."),
        _f("fetched_at", STR, "Crawl time when the input carries one, as given."),
        _f("raw_text", STR, "Decoded text before normalization (HTML: main text from trafilatura)."),
        _f(
            "text",
            STR,
            "The speech: Simplified script, Chinese punctuation, page chrome removed, one paragraph per line.",
        ),
        _f("n_chars", pa.int32(), "Characters in `text`."),
        _f("script", STR, "Script of raw_text: simplified, traditional, mixed or unknown."),
        _f("traditional_ratio", pa.float32(), "Share of Traditional-only among script-specific characters."),
        _f("title", STR, "The speech's own title, else the page title."),
        _f("page_title", STR, "The site's page title (HTML <title>, record title or first page line)."),
        _f("doc_type", STR, "讲话 / 致辞 / 政府工作报告 / 报告 / 发言 / 总结 / 决议 …"),
        _f("speaker_name", STR, "Speaker's name when stated (null for anonymized speakers)."),
        _f("speaker_title", STR, "Speaker's office (区长, 省长, 区委副书记、区长 …)."),
        _f("admin_level", STR, "Level of the jurisdiction: national, province, prefecture, county, township."),
        _f("region", STR, "Jurisdiction the speech is about, normalized full name (河北省邢台市桥东区)."),
        _f("region_code", STR, "6-digit administrative division code of `region`, where one exists."),
        _f("region_mentions", pa.list_(STR), "Place names in the text that support `region`."),
        _f("province", STR, "Province-level division of `region_code` (河北省); null for national and unknown rows."),
        _f(
            "province_code",
            STR,
            "Its 6-digit code (130000); `100000` marks a national document (region 全国), null when unknown.",
        ),
        _f(
            "prefecture",
            STR,
            "Prefecture-level division (邢台市); null above that level and where none exists "
            "(districts of 北京/天津/上海/重庆, county-level cities under a province).",
        ),
        _f("prefecture_code", STR, "Its 6-digit code (130500)."),
        _f("county", STR, "County-level division (信都区) for county and township documents."),
        _f("county_code", STR, "Its 6-digit code (130503)."),
        _f("meeting", STR, "Meeting the speech was given at (全区三级干部大会 …)."),
        _f("delivered_on", pa.date32(), "Date the speech was delivered."),
        _f("published_on", pa.date32(), "Date the page was published (发布时间, 发表于 …)."),
        _f("year", pa.int16(), "delivered_on's year, else published_on's, else a year stated in the title."),
        _f("source_site", STR, "Site that served the page (布克知识网, 嘉峪关论坛 …), from chrome or URL."),
        _f(
            "quality_flags",
            pa.list_(STR),
            "Damage found: placeholder, spun, foreign_word, lost_chars, "
            "pinyin_removed, truncated, redacted_name, anonymized_speaker … (sorted).",
            False,
        ),
        _f("flag_counts", COUNTS, "How often each quality flag's evidence occurs in the document."),
        _f("rule_counts", COUNTS, "How often each normalization rule fired (see removed_lines for lines)."),
        _f("cluster_id", STR, "Duplicate cluster; every document is in one (singletons too)."),
        _f("is_canonical", pa.bool_(), "True for the cluster's best copy (complete, cleanest, longest)."),
        _f("dup_of", STR, "doc_id of the canonical copy (null for the canonical itself)."),
        _f("dup_jaccard", pa.float32(), "Estimated Jaccard similarity with the canonical copy."),
        _f("dup_containment", pa.float32(), "Share of this copy's shingles found in the canonical copy."),
        _f("dup_reason", STR, "Why merged: exact, near or contained (null for canonical/singletons)."),
        _f("pipeline_version", STR, "jianghua version plus the code version of every stage.", False),
    ]
)

REJECTS = pa.schema(
    [
        _f("source_path", STR, "Input path as given (or record id inside a multi-document file).", False),
        _f("content_sha256", STR, "sha256 of the rejected bytes (null when they could not be read)."),
        _f(
            "reason",
            STR,
            "Machine-readable reason: empty, binary, decode_error, too_short, too_large, "
            "unsupported_type, bad_record, read_error, no_text, parse_error.",
            False,
        ),
        _f("detail", STR, "What went wrong and what to do about it.", False),
    ]
)

REMOVED_LINES = pa.schema(
    [
        _f("doc_id", STR, "Document the line was removed from.", False),
        _f("line_no", pa.int32(), "1-based line number in raw_text.", False),
        _f("text", STR, "The removed line as it was in raw_text.", False),
        _f("rule", STR, "Rule that removed it (e.g. chrome.breadcrumb, learned.boilerplate).", False),
    ]
)

DUPLICATES = pa.schema(
    [
        _f("cluster_id", STR, "Cluster the document belongs to.", False),
        _f("doc_id", STR, "Member document.", False),
        _f("canonical_id", STR, "The cluster's canonical document.", False),
        _f("is_canonical", pa.bool_(), "Whether this member is the canonical one.", False),
        _f("reason", STR, "exact, near or contained (null for the canonical member)."),
        _f("jaccard", pa.float32(), "Estimated Jaccard similarity with the canonical member."),
        _f("containment", pa.float32(), "Share of this member's shingles found in the canonical member."),
        _f("matched_with", STR, "doc_id of the member whose pair evidence joined this one to the cluster."),
    ]
)

SECTIONS = pa.schema(
    [
        _f("doc_id", STR, "Document.", False),
        _f("path", STR, "Ordinal path in the outline (`2.3`).", False),
        _f("level", pa.int8(), "Depth (1 = top).", False),
        _f("marker_style", STR, "Marker: 一、 / （一） / 1. / 一是 / 第一， / 一要 …", False),
        _f("heading", STR, "Heading text without its marker.", False),
        _f("start", pa.int32(), "Character offset of the heading in `text`.", False),
        _f("end", pa.int32(), "Character offset where the section ends in `text`.", False),
    ]
)

FIGURES = pa.schema(
    [
        _f("doc_id", STR, "Document.", False),
        _f("section_path", STR, "Section the figure is in."),
        _f("sentence", STR, "Sentence containing the figure.", False),
        _f("as_written", STR, "The number as written (5.67万亿, 三个多月, ×个).", False),
        _f("value", pa.float64(), "Numeric value in the unit (null for placeholders)."),
        _f("unit", STR, "亿元, 万平方米, %, 亩, 个, 家 …"),
        _f("kind", STR, "amount, percentage, count, area, rate, other."),
        _f("qualifiers", pa.list_(STR), "多, 约, 以上, 左右, 同比, 增长, 下降 …"),
        _f("ref_year", pa.int16(), "Year the figure refers to, when stated."),
        _f("is_placeholder", pa.bool_(), "Number replaced by ×/X in the source.", False),
        _f("is_implausible", pa.bool_(), "Value outside plausible bounds (e.g. 220230亿元).", False),
        _f("start", pa.int32(), "Character offset in `text`.", False),
    ]
)

SLOGANS = pa.schema(
    [
        _f("doc_id", STR, "Document.", False),
        _f("text", STR, "Formula or campaign (“5+2”, 百日大会战, “六个围绕”).", False),
        _f("count", pa.int32(), "Occurrences in the document.", False),
    ]
)

MENTIONS = pa.schema(
    [
        _f("doc_id", STR, "Document.", False),
        _f("kind", STR, "person, organization or place.", False),
        _f("text", STR, "Mention as written (省委书记周本顺).", False),
        _f(
            "name",
            STR,
            "Person's full name; organization as written; place: full division name when unambiguous in the "
            "document (河北省邢台市), else as written.",
        ),
        _f("office", STR, "Office written next to the person (省委书记, 国务院总理, 总书记); null without one."),
        _f(
            "level",
            STR,
            "People: level of the office when it says (省委书记 -> province; national, province, prefecture, "
            "county, township). Places: level of the resolved division; null when the place is ambiguous.",
        ),
        _f("start", pa.int32(), "Character offset in `text`.", False),
        _f("end", pa.int32(), "End offset in `text`.", False),
    ]
)

KEYWORDS = pa.schema(
    [
        _f("doc_id", STR, "Document.", False),
        _f("rank", pa.int16(), "1 = most characteristic.", False),
        _f("term", STR, "Term (jieba on Simplified text, domain stopwords removed).", False),
        _f("tf", pa.int32(), "Occurrences in the document.", False),
        _f("score", pa.float32(), "TF-IDF with IDF learned from this corpus.", False),
    ]
)

# pandas reads nullable integer columns back as Int16/Int32 (not float64 with NaN) from this metadata.
_PANDAS_INT = {pa.int8(): "Int8", pa.int16(): "Int16", pa.int32(): "Int32", pa.int64(): "Int64"}


def with_pandas_metadata(schema: pa.Schema) -> pa.Schema:
    """Attach pandas metadata so `pd.read_parquet` gives nullable integer dtypes (`year` -> Int16)."""
    import json

    import pyarrow as _pa

    cols = []
    for f in schema:
        if f.type in _PANDAS_INT:
            ptype, ntype = _PANDAS_INT[f.type].lower(), _PANDAS_INT[f.type]
        else:
            ptype, ntype = "object", "object"
        cols.append({"name": f.name, "field_name": f.name, "pandas_type": ptype, "numpy_type": ntype, "metadata": None})
    meta = {
        "index_columns": [{"kind": "range", "name": None, "start": 0, "stop": 0, "step": 1}],
        "column_indexes": [],
        "columns": cols,
        "creator": {"library": "pyarrow", "version": _pa.__version__},
        "pandas_version": "2.0.0",
    }
    return schema.with_metadata({**(schema.metadata or {}), b"pandas": json.dumps(meta).encode()})


DOCUMENTS = with_pandas_metadata(DOCUMENTS)
REJECTS = with_pandas_metadata(REJECTS)
REMOVED_LINES = with_pandas_metadata(REMOVED_LINES)
DUPLICATES = with_pandas_metadata(DUPLICATES)
SECTIONS = with_pandas_metadata(SECTIONS)
FIGURES = with_pandas_metadata(FIGURES)
SLOGANS = with_pandas_metadata(SLOGANS)
MENTIONS = with_pandas_metadata(MENTIONS)
KEYWORDS = with_pandas_metadata(KEYWORDS)

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "rejects": REJECTS,
    "removed_lines": REMOVED_LINES,
    "duplicates": DUPLICATES,
    "sections": SECTIONS,
    "figures": FIGURES,
    "slogans": SLOGANS,
    "mentions": MENTIONS,
    "keywords": KEYWORDS,
}

# Sort keys make the output deterministic: same inputs and code give byte-identical files.
SORT_KEYS: dict[str, list[str]] = {
    "documents": ["doc_id"],
    "rejects": ["source_path"],
    "removed_lines": ["doc_id", "line_no"],
    "duplicates": ["cluster_id", "doc_id"],
    "sections": ["doc_id", "start"],
    "figures": ["doc_id", "start"],
    "slogans": ["doc_id", "text"],
    "mentions": ["doc_id", "start", "kind"],
    "keywords": ["doc_id", "rank"],
}


def columns_markdown() -> str:
    """Render every table's columns as Markdown (the source of docs/columns.md)."""
    out = ["# Output columns", "", "Generated from `tasks/schema.py` — do not edit by hand.", ""]
    for table, schema in TABLES.items():
        out += [f"## `OUT/{table}/`", "", "| column | type | meaning |", "|---|---|---|"]
        for field in schema:
            doc = (field.metadata or {}).get(b"doc", b"").decode()
            out.append(f"| `{field.name}` | {field.type} | {doc} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(columns_markdown())
