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
            "Stable id: first 16 hex digits of sha256(content_sha256 + NUL + source_path + NUL + record, "
            "record '' when null). It does not depend on `input_root`: the same bytes at the same relative path "
            "(and position in a multi-document file) give the same id whichever folder, mount or URL they are read "
            "from; moving a file to another relative path gives it a new id.",
            False,
        ),
        _f(
            "source_path",
            STR,
            "Path of the input file relative to `input_root`, with '/' separators: below the folder given, below a "
            "glob's fixed prefix, below an fsspec URL; the file's name when a file was given. Name bytes that are "
            "not UTF-8 are shown as `\\xNN`.",
            False,
        ),
        _f(
            "record",
            STR,
            "Position inside a multi-document file: `L12` (JSONL line, from 1) or `row=3` (Parquet row, from 0); "
            "inside an archive the member: `site/a.html` (zip/tar), the target URI (WARC; a repeated one "
            "`<uri> [2]`), `inner.zip!/a.html` (an archive inside it), `day1.jsonl!/L12` (a line of a JSONL member); "
            "null for single-document files. Never taken "
            "from a record's fields (an `id` column is ignored).",
        ),
        _f(
            "input_root",
            STR,
            "The input the file was found under, as given on the command line (folder, glob, file or URL); "
            "(input_root, source_path, record) names every input exactly once.",
        ),
        _f(
            "content_sha256",
            STR,
            "sha256 of the input bytes (for records of multi-document files: of the record's text, UTF-8).",
            False,
        ),
        _f("format", STR, "Input format: txt, html, jsonl, parquet.", False),
        _f(
            "encoding",
            STR,
            "Encoding the bytes were decoded with (utf-8, gb18030, big5, utf-16 ...; utf-8+gb18030: a page whose "
            "lines mix the two, read line by line).",
        ),
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
        _f(
            "title",
            STR,
            "The speech's own title, else the page title without a dateline it ends with (`镇江市政府工作报告(2022年3月1日 "
            "徐曙海)` -> `镇江市政府工作报告`: page_title keeps it); never a dateline, byline or an editor's note in "
            "brackets (`（摘要）`), nor a site's note on how much it gives (`政府工作报告（全文）` -> `政府工作报告`).",
        ),
        _f("page_title", STR, "The site's page title (HTML <title>, record title or first page line)."),
        _f(
            "doc_type",
            STR,
            "讲话 / 致辞 / 发言 / 主持词 / 总结 / 政府工作报告 / 党代会报告 / 报告 — speeches and reports delivered; "
            "决议 / 决定 / 意见 / 通知 / 公报 / 规划 / 纲要 / 条例 — documents an organ issues, and a meeting's "
            "communiqué; 新闻报道 — a news report of a meeting or a leader's activity (`…主持召开国务院常务会议`, `…调研时强调`, "
            "`本网讯…团拜会隆重举行`), whose speaker is who presided or spoke and whose meeting the one reported "
            "(docs/doc_types.md); 答记者问 — a press conference's answers (`…出席记者会并回答中外记者提问`), held at the "
            "press conference (meeting `第十四届全国人民代表大会第二次会议记者会`), never the session's 政府工作报告.",
        ),
        _f(
            "speaker_name",
            STR,
            "Speaker's name when stated: a byline (`市长 王勇`), the title, a dateline that ends with it "
            "(`（2006年1月16日 梁保华）`), a line of its own by the dateline, a photo caption, a label (`作者:温家宝`, "
            "`讲话人：`, wikisource's `發布機關:中華民國總統 馬英九`, a TV caption `【同期】…行政长官 李家超`), a heading "
            "introducing the full text (`【習近平致詞全文】`), a signature closing the text (`市委书记 王某` over its date); "
            "never an author line after the body (a reporter's). On a news report, the one whose remarks it reports: "
            "a headline's deck (`…庆祝酒会 崔世安致辞`) or actor (`天津代市长戴相龙首次主持…`; by surname and office, "
            "`澎湖縣王縣長參加…`, the full name the lead gives him when the body reports him speaking), else who presided "
            "or spoke in the lead (of several it names: the first reported speaking, else who presided, `…出席会议，会议由"
            "蔡某主持`, else the first named), else a participant it names and reports speaking (`市领导杨军、…看望代表。"
            "杨军指出，`: no office unless the opening gives one). Null for anonymized speakers and a surname alone "
            "(`徐董事长讲话`).",
        ),
        _f(
            "speaker_title",
            STR,
            "Speaker's office (区长, 省长, 区委副书记、区长, 党组书记、主任 …), without its place or term (`十一届`); also "
            "the office an inaugural speech names in the first person (`大会选举我担任X市人民政府市长` -> 市长) when "
            "nothing else names one.",
        ),
        _f(
            "admin_level",
            STR,
            "Level of the jurisdiction: national, province, prefecture, county, township. Also set when region is null but "
            "the speaker's office or the text's own 全县/全区/全镇/全省 counts fix it (县长, 区长 -> county; 乡长, 镇党委书记 -> "
            "township; 省长 -> province); a 市 alone (prefecture or county-level city) leaves it null.",
        ),
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
        _f(
            "year",
            pa.int16(),
            "delivered_on's year, else published_on's (unless the title states an earlier year: a page posted after "
            "the year its title names, as doc and 范文 sites repost, takes the title's), else a year stated in the "
            "title; else, for a document of a "
            "national party congress, the year the congress met; for a report (or a document of no known type), the "
            "year its text speaks in (the plan year, the NPC session it addresses); for an undated document of an NPC "
            "session (most NPC resolutions state no adoption date), the year that session met.",
        ),
        _f("source_site", STR, "Site that served the page (布克知识网, 嘉峪关论坛 …), from chrome or URL."),
        _f(
            "quality_flags",
            pa.list_(STR),
            "Damage found: placeholder, spun, foreign_word, lost_chars, "
            "pinyin_removed, truncated, redacted_name, anonymized_speaker, hard_wrapped (paragraphs rebuilt from a "
            "fixed-width page), short (kept below --min-chars: sentences of prose, not a stub), garbled (a doc site's "
            "scrambled preview removed: characters drawn from a shuffled font's glyph table), annotate_error / "
            "annotate_timeout (a side table's rules raised or ran out of time on this speech: its rows in that table "
            "are missing, the next run tries again) … (sorted).",
            False,
        ),
        _f("flag_counts", COUNTS, "How often each quality flag's evidence occurs in the document."),
        _f(
            "rule_counts",
            COUNTS,
            "How often each normalization rule fired (see removed_lines for lines; docs/rules.md); "
            "ingest.cut_short: the file stops before its page ends (HTML without </body> or </html>, UTF-8 inside a "
            "character, fewer bytes than its saved HTTP headers' Content-Length) and the text ends mid-sentence, a "
            "download cut short (sets truncated).",
        ),
        _f(
            "cluster_id",
            STR,
            "Duplicate cluster; every document is in one (singletons too). It is the 16-hex id hash of the "
            "cluster's first member in the input listing (by source_path, then position in a multi-document "
            "file), so it stays the same across releases while copies arrive later in the listing (a crawler's "
            "new dated folder); two clusters merged by a new page keep the id of the one that comes first.",
        ),
        _f("is_canonical", pa.bool_(), "True for the cluster's best copy (complete, cleanest, longest)."),
        _f("dup_of", STR, "doc_id of the canonical copy (null for the canonical itself)."),
        _f("dup_jaccard", pa.float32(), "Estimated Jaccard similarity with the canonical copy."),
        _f("dup_containment", pa.float32(), "Share of this copy's shingles found in the canonical copy."),
        _f(
            "dup_reason",
            STR,
            "Why merged: exact, near, contained (its dup_containment ≥ 0.8), or linked (joined through "
            "another member's verified pair, named in duplicates.matched_with); null for canonical/singletons.",
        ),
        _f("pipeline_version", STR, "jianghua version plus the code version of every stage.", False),
    ]
)

REJECTS = pa.schema(
    [
        _f(
            "source_path",
            STR,
            "Path of the rejected input relative to `input_root` (as in documents; the link, FIFO or folder "
            "itself for entries that are not files).",
            False,
        ),
        _f(
            "record",
            STR,
            "Position inside a multi-document file (`L12`, `row=3`, `tail` for a damaged rest) or the archive member "
            "(`site/a.html`, a WARC record's URI, `not pages` for an archive's records counted as no page); null for "
            "whole files.",
        ),
        _f("input_root", STR, "The input the file was found under, as given on the command line."),
        _f(
            "content_sha256",
            STR,
            "sha256 of the rejected bytes (null when they could not be read, or were never read: a file rejected "
            "by its name or size alone, unsupported_type or a page over --max-doc-bytes; or changed while read: "
            "changed_during_run).",
        ),
        _f(
            "reason",
            STR,
            "Machine-readable reason: empty, binary, decode_error, too_short, garbled (a doc site's scrambled "
            "preview and too little text besides), too_large, unsupported_type, "
            "bad_record, read_error, no_text, parse_error, processing_error, not_regular_file, symlink_loop, "
            "dangling_link, link_outside, duplicate_input, changed_during_run, vanished, download_in_progress, "
            "not_a_page (archive members that hold no page: WARC requests, metadata, images, HTTP errors, counted).",
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
        _f(
            "reason",
            STR,
            "exact, near, contained (containment ≥ 0.8) or linked (joined through matched_with's verified "
            "pair; its own figures against the canonical are under the thresholds); null for the canonical member.",
        ),
        _f("jaccard", pa.float32(), "Estimated Jaccard similarity with the canonical member."),
        _f("containment", pa.float32(), "Share of this member's shingles found in the canonical member."),
        _f("matched_with", STR, "doc_id of the member whose pair evidence joined this one to the cluster."),
    ]
)

# The side tables (sections, figures, slogans, mentions, keywords) describe a speech, once: the annotate stage
# reads only each duplicate cluster's canonical copy (tasks.annotate).
SIDE_DOC_ID = (
    "Document: the canonical copy of its speech (documents.is_canonical; singletons included). A copy's rows "
    "are its canonical's (documents.dup_of), so the table holds each speech once."
)

SECTIONS = pa.schema(
    [
        _f("doc_id", STR, SIDE_DOC_ID, False),
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
        _f("doc_id", STR, SIDE_DOC_ID, False),
        _f("section_path", STR, "Section the figure is in."),
        _f(
            "sentence", STR, "Sentence containing the figure (up to 。！？ or a line end; first 500 characters).", False
        ),
        _f("as_written", STR, "The number as written, unit included (5.67万亿元, 6.5%—7%, 百分之八至九, ×个).", False),
        _f(
            "value",
            pa.float64(),
            "Numeric value in `unit`: the point, or the midpoint of a range (6.5%—7% -> 6.75); negative for a "
            "decline (下降3% -> -3); null for placeholders. For 以上/以内 the stated bound.",
        ),
        _f("low", pa.float64(), "Lower bound: of a range (6.5 for 6.5%—7%) or of `以上`/`不低于` (5%以上 -> 5)."),
        _f("high", pa.float64(), "Upper bound: of a range (7 for 6.5%—7%) or of `以内`/`以下`/`不超过` (3%以内 -> 3)."),
        _f(
            "unit",
            STR,
            "Unit with the written magnitude folded to 亿 or 万: 亿元 (5.67万亿元 -> 56700), 万元, 元, %, 个百分点, "
            "万人, 亩, 万亩, 亿斤 …",
        ),
        _f("kind", STR, "What the unit is: amount, percentage, rate (个百分点, 倍), count, area, weight, other."),
        _f(
            "indicator",
            STR,
            "What the figure measures, from the vocabulary in docs/indicators.md (国内生产总值, 地区生产总值, "
            "一般公共预算收入, 居民消费价格, 城镇新增就业 …); null when the governing phrase names none of them.",
        ),
        _f(
            "indicator_phrase",
            STR,
            "The governing phrase as written before the number in its clause (国内生产总值增长).",
        ),
        _f(
            "measure",
            STR,
            "growth (rate of change, 增长5%), change (absolute change, 增加1.6万亿元, 提高1个百分点), share (a "
            "proportion or rate level: 失业率5.5%, 占比重10%), level (the indicator's amount), count (a number of "
            "things with no indicator), threshold (a size that names a class of things, not an amount: 100亿元以上项目, "
            "超百亿元产业集群, 收入过10亿元的企业).",
        ),
        _f(
            "is_target",
            pa.bool_(),
            "True for a target or plan (预期目标, 力争, 控制在, 拟, 今年/明年 plans, a plan part of the report); "
            "False for an outcome (过去一年, 去年, 完成了, 实现了) or a figure with no target cue.",
            False,
        ),
        _f("qualifiers", pa.list_(STR), "多, 约, 以上, 左右, 以内, 同比, 增长, 下降, 年均, 累计 …"),
        _f(
            "ref_year",
            pa.int16(),
            "Year the figure refers to: the year stated next to it (2023年); else the document's year for targets "
            "and plans, the year before for outcomes (and for last year's target cited in a review); null over "
            "several years (年均, 五年, 十四五) or when the document's year is unknown.",
        ),
        _f("is_placeholder", pa.bool_(), "Number replaced by ×/X in the source.", False),
        _f(
            "is_implausible",
            pa.bool_(),
            "Value outside what the indicator can be at the document's level (a county's 220230亿元; a share over "
            "100 %; GDP growth over 40 %), or a damaged digit string 100x the document's other figures.",
            False,
        ),
        _f("start", pa.int32(), "Character offset in `text`.", False),
    ]
)

SLOGANS = pa.schema(
    [
        _f("doc_id", STR, SIDE_DOC_ID, False),
        _f("text", STR, "Formula or campaign (“5+2”, 百日大会战, “六个围绕”).", False),
        _f("count", pa.int32(), "Occurrences in the document.", False),
    ]
)

MENTIONS = pa.schema(
    [
        _f("doc_id", STR, SIDE_DOC_ID, False),
        _f("kind", STR, "person, organization or place.", False),
        _f("text", STR, "Mention as written (省委书记周本顺).", False),
        _f(
            "name",
            STR,
            "Person's full name; organization as written, with the place written before it (中共郴州市委 -> 郴州市委); place: full division name when unambiguous in the "
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
        _f("doc_id", STR, SIDE_DOC_ID, False),
        _f("rank", pa.int16(), "1 = most characteristic.", False),
        _f("term", STR, "Term (jieba on Simplified text, domain stopwords removed).", False),
        _f("tf", pa.int32(), "Occurrences in the document.", False),
        _f(
            "score",
            pa.float32(),
            "TF-IDF: term count x jieba's reference IDF (unseen terms: its median) x a domain weight in (0, 1] from how many "
            "government speeches use the term (tasks/data/extract/domain_df.tsv: 产业, 改革 weigh ~0.1, a term no speech "
            "uses 1). Both references are fixed tables, so a document's keywords do not depend on the rest of the corpus.",
            False,
        ),
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


# ----------------------------------------------------------------------------- artifacts between stages
# Not published: what one stage hands the next under OUT/.state/artifacts/<stage>/<key>/.

INGEST_DOCS = pa.schema(
    [
        ("doc_id", STR),
        ("source_path", STR),
        ("record", STR),
        ("input_root", STR),
        ("content_sha256", STR),
        ("format", STR),
        ("encoding", STR),
        ("url", STR),
        ("fetched_at", STR),
        ("page_title", STR),
        ("raw_text", STR),
        ("group", STR),
        # an HTML file that ends before its markup does (no </body> or </html>): a download cut short; normalize
        # flags the page truncated when its text ends unfinished too
        ("cut_short", pa.bool_()),
    ]
)
LINE_COUNTS = pa.schema([("part", pa.uint16()), ("group", STR), ("line_key", STR), ("n_docs", pa.int64())])
GROUP_COUNTS = pa.schema([("group", STR), ("n_docs", pa.int64())])
BOILERPLATE = pa.schema([("group", STR), ("line_key", STR), ("n_docs", pa.int64())])
NORMALIZED_DOCS = pa.schema(
    [
        *INGEST_DOCS,
        ("text", STR),
        ("n_chars", pa.int32()),
        ("script", STR),
        ("traditional_ratio", pa.float32()),
        ("norm_flags", COUNTS),
        ("rule_counts", COUNTS),
    ]
)
EXTRACTED = pa.schema(
    [
        ("doc_id", STR),
        ("title", STR),
        ("page_title", STR),
        ("doc_type", STR),
        ("speaker_name", STR),
        ("speaker_title", STR),
        ("admin_level", STR),
        ("region", STR),
        ("region_code", STR),
        ("region_mentions", pa.list_(STR)),
        *((c, STR) for c in ("province", "province_code", "prefecture", "prefecture_code", "county", "county_code")),
        ("meeting", STR),
        ("delivered_on", pa.date32()),
        ("published_on", pa.date32()),
        ("year", pa.int16()),
        ("source_site", STR),
        ("url", STR),
        ("extract_flags", COUNTS),
    ]
)
NUM_PERM = 128  # MinHash permutations: 32 LSH bands x 4 rows (tasks.dedupe), fixes the signature width
SIGNATURES = pa.schema(
    [
        pa.field("doc_id", STR, nullable=False),
        pa.field("fp_hash", pa.uint64(), nullable=False),
        pa.field("fp_chars", pa.int32(), nullable=False),
        pa.field("n_chars", pa.int32(), nullable=False),
        pa.field("truncated", pa.bool_(), nullable=False),
        pa.field("n_flags", pa.int16(), nullable=False),  # dedupe.flag_rank: damage flags x 16 + notes
        pa.field("minhash", pa.list_(pa.uint32(), NUM_PERM), nullable=False),
        pa.field("bands", pa.list_(pa.uint64()), nullable=False),
        pa.field("sample", pa.list_(pa.uint64()), nullable=False),
        pa.field("anchors", pa.list_(pa.uint64()), nullable=False),
    ]
)
# Copies of repairable clusters, handed from each shard to the repair step (one file per cluster part).
MEMBERS = pa.schema(
    [
        ("doc_id", STR),
        ("cluster_id", STR),
        ("text", STR),
        ("quality_flags", pa.list_(STR)),
        ("is_canonical", pa.bool_()),
    ]
)
# One canonical copy per cluster with the dates that order reuse, handed to the reuse step.
CANONICAL = pa.schema(
    [
        ("doc_id", STR),
        ("cluster_id", STR),
        ("text", STR),
        ("year", pa.int16()),
        ("delivered_on", pa.date32()),
        ("admin_level", STR),
    ]
)
# The fields of CANONICAL taken from the extract artifact's fields.parquet (the others: dedupe's
# assignments and the normalized text).
CANONICAL_FIELDS = ("year", "delivered_on", "admin_level")
# canonical.parquet without its texts, in one row group, written beside it by the members stage
# (`listing.parquet`): what the reuse step's corpus listing and document codes read of a shard.
# canonical.parquet keeps 4 documents a row group for the reuse step's text reads, so reading even
# its small columns cost ~80 us a row group (20k +1 %: 0.6 CPU-s of the listing for 20 changed
# shards, ~0.1-0.3 s more for the codes in each worker). `text_digest`: xxh3_128 of the text's
# UTF-8 bytes (of b"" when null), `chars` its length in characters (tasks.reuse.text_digests).
CANONICAL_LISTING = pa.schema(
    [
        ("doc_id", STR),
        ("cluster_id", STR),
        ("year", pa.int16()),
        ("delivered_on", pa.date32()),
        ("admin_level", STR),
        ("text_digest", pa.binary(16)),
        ("chars", pa.int32()),
    ]
)
# The reuse index: winnowed anchors of canonical copies (hash part, hash, document, cluster, offset).
# What an extract artifact was made from, per document: a later run that re-extracts a shard (a page
# arrived in it) copies the rows of every document whose inputs digest is unchanged.
EXTRACT_MEMO = pa.schema(
    [
        pa.field("doc_id", STR, nullable=False),
        pa.field("digest", STR, nullable=False),
    ]
)

# Annotate's per-document memo: the digest of what it read (reuse across runs) and what went wrong
# (annotate_error / annotate_timeout: export adds them to the document's quality_flags).
ANNOTATE_MEMO = pa.schema(
    [
        pa.field("doc_id", STR, nullable=False),
        pa.field("digest", STR, nullable=False),
        pa.field("flags", pa.list_(STR)),
    ]
)

# What a repair part was made from, per cluster: a later run that repairs the part again (a copy
# arrived in one of its clusters) copies the rows of every cluster whose member rows are unchanged.
CLUSTER_MEMO = pa.schema(
    [
        pa.field("cluster_id", STR, nullable=False),
        pa.field("digest", STR, nullable=False),
    ]
)

ANCHORS = pa.schema(
    [
        pa.field("part", pa.int16(), nullable=False),
        pa.field("hash", pa.uint64(), nullable=False),
        pa.field("doc_id", STR, nullable=False),
        pa.field("cluster_id", STR, nullable=False),
        pa.field("pos", pa.int32(), nullable=False),
    ]
)
ASSIGNMENTS = pa.schema(
    [
        DOCUMENTS.field(c)
        for c in ("doc_id", "cluster_id", "is_canonical", "dup_of", "dup_jaccard", "dup_containment", "dup_reason")
    ]
)
# Per shard, the dedupe step's clusters of its documents that have two or more members (sorted):
# the shard's members step reads this, not the corpus-wide duplicates table.
SHARED_CLUSTERS = pa.schema([pa.field("cluster_id", STR, nullable=False)])

# ----------------------------------------------------------------------------- published tables

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
    "rejects": ["source_path", "record", "input_root", "reason"],
    "removed_lines": ["doc_id", "line_no"],
    "duplicates": ["cluster_id", "doc_id"],
    "sections": ["doc_id", "start"],
    "figures": ["doc_id", "start"],
    "slogans": ["doc_id", "text"],
    "mentions": ["doc_id", "start", "kind"],
    "keywords": ["doc_id", "rank"],
}


# Tables whose rows come from one shard's documents (one part per shard) vs. corpus-wide tables.
EXTRACT_TABLES = ("sections", "figures", "slogans", "mentions", "keywords")
SHARD_TABLES = ("documents", "removed_lines", *EXTRACT_TABLES)

# --------------------------------------------------------------------------- repair and reuse (issue 13)

SPEECHES = pa.schema(
    [
        _f("cluster_id", STR, "Duplicate cluster: one row per cluster (the speech).", False),
        _f("canonical_id", STR, "The cluster's canonical document (documents.is_canonical).", False),
        _f(
            "base_id",
            STR,
            "Member whose text best_text was built on (least damaged: complete, fewest damage flags, then "
            "fewest notes such as pinyin_removed, longest).",
            False,
        ),
        _f(
            "best_text",
            STR,
            "The most faithful text: the base with its truncated tail completed, placeholders and lost "
            "characters filled and spun words reverted where other copies show the real token (see repairs).",
            False,
        ),
        _f("n_chars", pa.int32(), "Characters in best_text.", False),
        _f("n_members", pa.int32(), "Copies in the cluster.", False),
        _f("n_repairs", pa.int32(), "Changes made to the base (repairs rows other than conflicts).", False),
        _f("n_conflicts", pa.int32(), "Damaged spots left as they are because the copies disagree.", False),
        _f("repair_counts", COUNTS, "Repairs rows by kind."),
        _f(
            "sources",
            pa.list_(STR),
            "doc_ids whose text is in best_text: the base and every copy that gave evidence.",
            False,
        ),
    ]
)

REPAIRS = pa.schema(
    [
        _f("cluster_id", STR, "Cluster (speech) of the change.", False),
        _f("position", pa.int32(), "Character offset in speeches.best_text where `after` starts.", False),
        _f("before", STR, "The base's text at that place (empty for a completed tail).", False),
        _f(
            "after",
            STR,
            "The text now in best_text (for a conflict: the copies' alternatives, `a | b`; best_text keeps `before`; "
            "for truncated_tail: the whole completed tail, whose own repairs are rows too).",
        ),
        _f(
            "kind",
            STR,
            "truncated_tail, placeholder (×月×日, XX县, 某某), lost_chars (�, ?), spin (reverted where copies show the "
            "original), spin_context (原那么 -> 原则 from context alone), conflict (left as is).",
            False,
        ),
        _f("evidence", pa.list_(STR), "doc_ids of the copies that show `after` (empty for spin_context).", False),
    ]
)

REUSE = pa.schema(
    [
        _f("doc_id_a", STR, "One document (doc_id_a < doc_id_b).", False),
        _f("doc_id_b", STR, "The other document, in a different cluster.", False),
        _f("cluster_a", STR, "Cluster of doc_id_a."),
        _f("cluster_b", STR, "Cluster of doc_id_b."),
        _f("start_a", pa.int32(), "Character offset of the passage in documents.text of doc_id_a.", False),
        _f("end_a", pa.int32(), "End offset in doc_id_a's text.", False),
        _f("start_b", pa.int32(), "Character offset of the passage in doc_id_b's text.", False),
        _f("end_b", pa.int32(), "End offset in doc_id_b's text.", False),
        _f("length", pa.int32(), "Shared characters after normalization (Han and digits; spin words folded).", False),
        _f("passage", STR, "The passage as written in doc_id_a.", False),
        _f(
            "formulaic",
            pa.bool_(),
            "The passage is acknowledgement or procedure wording (向…致以崇高的敬意, 自觉接受…监督, 请予审议), "
            "not policy: keep it for style studies, drop it for policy diffusion.",
            False,
        ),
        _f(
            "first_doc_id",
            STR,
            "The document dated first (delivered_on, else year); null when the dates tie or are unknown.",
        ),
        _f("date_a", pa.date32(), "Date used for doc_id_a."),
        _f("date_b", pa.date32(), "Date used for doc_id_b."),
    ]
)

REUSE_FORMULAE = pa.schema(
    [
        _f(
            "passage",
            STR,
            "A formula: a passage in too many clusters to list every pair (as written in the example).",
            False,
        ),
        _f("n_docs", pa.int32(), "Documents that contain it (at least).", False),
        _f("n_clusters", pa.int32(), "Clusters that contain it (at least).", False),
        _f("example_doc_id", STR, "A document containing it.", False),
        _f("start", pa.int32(), "Offset of the passage in the example document's text.", False),
    ]
)

SPEECHES, REPAIRS, REUSE, REUSE_FORMULAE = map(with_pandas_metadata, (SPEECHES, REPAIRS, REUSE, REUSE_FORMULAE))
TABLES.update({"best_texts": SPEECHES, "repairs": REPAIRS, "reuse": REUSE, "reuse_formulae": REUSE_FORMULAE})
# Built from whole clusters / the whole corpus, not per shard (like duplicates): export does not look
# for them in shard exports; the flow writes each as one file (empty folders until it does).
GLOBAL_TABLES = ("best_texts", "repairs", "reuse", "reuse_formulae")
SORT_KEYS.update(
    {
        "best_texts": ["cluster_id"],
        "repairs": ["cluster_id", "position", "kind"],
        "reuse": ["doc_id_a", "doc_id_b", "start_a"],
        "reuse_formulae": ["passage"],
    }
)


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
