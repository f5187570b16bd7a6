"""Shared text helpers for extraction: dates, Chinese numerals, offices, surnames, head lines.

Everything here is a compiled pattern or a dictionary lookup; cn2an is called only on the few
numeral strings a date or figure pattern has already isolated.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from array import array
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from tasks.vocab import HAN, PINYIN_ANNOTATION_RE, SALUTATION_WORDS  # one text vocabulary (HAN re-exported)

DATA_DIR = Path(__file__).parent / "data" / "extract"

# the parser of the re module these patterns are compiled by (private modules: untyped)
_C: Any = importlib.import_module("re._constants")
_P: Any = importlib.import_module("re._parser")


# Stands for \d (re's Unicode decimal digits) in a set of first characters: the lookahead names the class itself.
DIGITS = "\\d"


def _first_chars(items) -> tuple[set[str] | None, bool]:
    """(characters a match of the parsed pattern `items` can start with, whether it can match empty); None when
    that set is not a small known one (., \\w, [^…], a wide range, a back-reference). \\d is DIGITS."""
    out: set[str] = set()
    for op, av in items:
        if op is _C.LITERAL:
            return out | {chr(av)}, False
        if op is _C.IN:
            for o, a in av:
                if o is _C.LITERAL:
                    out.add(chr(a))
                elif o is _C.RANGE and a[1] - a[0] < 256:
                    out.update(chr(x) for x in range(a[0], a[1] + 1))
                elif o is _C.CATEGORY and a is _C.CATEGORY_DIGIT:
                    out.add(DIGITS)
                else:
                    return None, False
            return out, False
        if op in (_C.ASSERT_NOT, _C.ASSERT, _C.AT):
            continue  # zero-width: the first character is the next item's
        if op is _C.SUBPATTERN or op is _C.BRANCH or op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            subs = [av[3]] if op is _C.SUBPATTERN else av[1] if op is _C.BRANCH else [av[2]]
            nullable = op is not _C.SUBPATTERN and op is not _C.BRANCH and av[0] == 0
            for sub in subs:
                chars, empty = _first_chars(sub)
                if chars is None:
                    return None, False
                out |= chars
                nullable |= empty
            if not nullable:
                return out, False
            continue
        return None, False
    return out, True


def _re_scans_itself(items) -> bool:
    """re compiles its own prefix scan for a pattern led by a literal or a set, or by alternatives each led by a
    literal (re._compiler._get_charset_prefix): a lookahead there only adds a step."""
    if not len(items):
        return False
    op, av = items[0]
    if op is _C.SUBPATTERN and not av[1] and not av[2]:
        return _re_scans_itself(av[3])
    if op is _C.BRANCH:
        return all(len(b) and b[0][0] is _C.LITERAL for b in av[1])
    return op in (_C.LITERAL, _C.IN)


def _prefixed(pattern: str, flags: int = 0) -> re.Pattern:
    """`pattern` compiled behind a lookahead for the characters its matches can start with: the same matches, but
    the scan skips every other position with one set test instead of trying each alternative there (re finds such a
    prefix itself only when every alternative starts with a literal). The alias alternation of 60 indicators, most
    behind lookbehinds, scanned ~6x faster (session 9). Patterns that can match empty stay as they are."""
    if flags & re.IGNORECASE:
        return re.compile(pattern, flags)  # the first characters would need their other cases: not worth it
    parsed = _P.parse(pattern, flags)
    chars, empty = _first_chars(parsed)
    if chars is None or empty or not chars or _re_scans_itself(parsed):
        return re.compile(pattern, flags)
    digits = DIGITS if DIGITS in chars else ""
    return re.compile(f"(?=[{digits}{re.escape(''.join(sorted(chars - {DIGITS})))}])(?:{pattern})", flags)


FULLWIDTH = str.maketrans("０１２３４５６７８９．％：（）", "0123456789.%:()")
CN_DIGIT = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "О": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_NUM_CHARS = "〇零○一二两三四五六七八九十百千万亿"

DATE_RE = _prefixed(
    # a ROC date gives the Western year in brackets before the month (`中華民國7年(1918年)11月28日`: wikisource)
    r"(?P<y>\d{4}|[〇零○ＯОO一二三四五六七八九]{4})\s*年\s*[）)]?\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]"
)
# A ROC date (Taiwan's calendar, year 1 = 1912): `中华民国十七年十月十日`, `民国一百一十三年五月二十日`, `中华民国84年06月10日`,
# and the bare three-digit stamps of Taiwanese government pages (`114年01月21日`, president.gov.tw: month and day
# always two digits there, which keeps a count like `建党100年7月1日` out). Session 47's search-tool pages: such dates
# were not read, or the Western year bracketed after them was.
ROC_DATE_RE = re.compile(
    r"(?:(?:中[华華])?民[国國]\s*(?P<ry>\d{1,3}|[〇零○一二三四五六七八九十百]{1,6})\s*年\s*(?P<rm>\d{1,2}|[一二三四五六七八九十]{1,3})"
    r"\s*月\s*(?P<rd>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]"
    r"|(?<!\d)(?P<sy>1\d{2})年(?P<sm>0[1-9]|1[0-2])月(?P<sd>[0-3]\d)日)"
)
ROC_EPOCH = 1911  # ROC year n is Western year 1911 + n
# what a ROC_DATE_RE match needs: 民国 (民國 in a raw stamp), or a three-digit year and a two-digit month (`114年01月`);
# tried in that order, the literals first (22,005 lines of 200 shared reports: find_date 0.047-0.067 CPU-s before, the
# first cue, an alternation opening on a lookbehind, made it 0.092-0.107)
_ROC_CUE_RE = re.compile(r"年(?=[01]\d月)(?<=(?<!\d)1\d\d年)")  # led by its literal 年: re scans for it in C
# …its padded day may run into a clock (`发布时间：2024-05-0110:30`: a CMS that drops the space; session 56 left such pages
# without published_on): two digits of day, then the clock's hour and minutes.
ISO_DATE_RE = _prefixed(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{2}(?=\d{1,2}:\d{2}(?!\d))|\d{1,2}(?!\d))"
)
YEAR_RE = _prefixed(r"(?<!\d)((?:19|20)\d{2})\s*年")
PINYIN_RE = PINYIN_ANNOTATION_RE
MARKUP_RE = re.compile(r"^\s*(?:#{1,6}\s*)?|\*\*|__|<!--.*?-->")
SPACES_RE = re.compile(r"[ \t\u3000\xa0]+")

SALUTATION_RE = re.compile(rf"^\s*(?:{SALUTATION_WORDS})[^。]{{0,20}}[:：!！,，]?\s*$")

# 委员长 (the NPC Standing Committee's head) and 检察长 (a procuratorate's) come before 委员: `…常务委员会委员长 赵乐际`
# was read as office `…委员` and name `长赵乐际`, `最高人民检察院检察长 应勇` as no byline at all.
OFFICE_KW = (
    r"(?:代理|代|常务|执行)?副?(?:总理|省长|市长|区长|县长|州长|旗长|盟长|镇长|乡长|主席|书记|主任|部长|局长|"
    r"厅长|秘书长|常委|委员长|检察长|委员|专员|署长|司长|处长|行长|院长|校长|社长|会长|理事长|董事长|总经理|组长|"
    # a company's chief executive (`香江集团总裁 翟某` signing a greeting, `翟某总裁2023年新春致辞`: session 52's fresh
    # enterprise pages named their speaker only so)
    r"总裁|"
    # the head of a special administrative region (info.gov.hk's `以下为行政长官…的致辞全文`, 6 of 53 held-out pages)
    r"行政长官|"
    # a president (wikisource's `总统 蒋经国` under `中华民国第七任总统就职演说`, `發布機關:中華民國總統 馬英九`): no
    # office before session 46, so the byline under the title named nobody
    r"总统|"
    # a consul general, an ambassador, an American state senator and a school inspector, as overseas Chinese news and
    # guest lists name them (`中国驻悉尼总领事馆副总领事米斌`, `中国驻菲大使黄溪连`, `加州参议员余某`, `督学某某`): without
    # them a guest list's run went on to the next office (`…大使馆领事董某、政协主席`: session 59's fresh pages) and the
    # consul who spoke was nobody's speaker (session 60's fresh overseas items). Not 大使馆: an embassy's name.
    r"领事|大使(?!馆)|参议员|督学)"
)
OFFICE_KW_RE = _prefixed(OFFICE_KW)  # paste OFFICE_KW, not its .pattern, into other patterns
# Organ prefixes that belong to an office (区委副书记, 组织部长), not to a place or a person.
ORG_PREFIX_RE = _prefixed(
    r"(?:[省市区县州旗镇乡]委|[省市区县镇乡]政府|[省市区县]人大(?:常委会)?|[省市区县]政协|纪委|监委|政法委|"
    r"人民政府|国务院|组织|宣传|统战|政法|纪检|财政|组织部|宣传部|统战部|人大常委会|政协)$"
)
# A redacted name where a name would stand: `X`, `XXX`, `×××`, `某`, `某某` (a 范文 site's `某某校长毕业典礼致辞`, `县委书记
# 某某`), `○○`, `□□` (the brief of session 52: the office is kept, the name is empty).
ANON_NAME = r"(?:[XxＸｘ×＊*]{1,3}|某{1,3}|[○〇□]{2,3})"
ANON_RE = re.compile(rf"^{ANON_NAME}$")


_HALF_OF = {chr(k): chr(v) for k, v in FULLWIDTH.items()}
_FULLWIDTH_RE = re.compile("[" + "".join(map(re.escape, _HALF_OF)) + "]")


_HALF_PAIRS = tuple(_HALF_OF.items())


def to_half(s: str) -> str:
    # same as s.translate(FULLWIDTH), ~10x faster: translate looks every character up. A text holding one is replaced
    # character by character in C (no half form is itself replaced): a speech holds hundreds of ：（）, and a re.sub
    # callback each cost more than the 15 scans (extract's to_half calls on 300 bench pages 0.035 -> 0.026 CPU-s).
    if not _FULLWIDTH_RE.search(s):
        return s
    for full, half in _HALF_PAIRS:
        if full in s:
            s = s.replace(full, half)
    return s


# Numbers as written in ordinals and dates (十五, 二十一, 三) recur in every document; cn2an takes ~13 us a call
# (it converts traditional to simplified script first): ~14k calls a 20k-bench shard (session 13). A few thousand
# short strings stay well under a MB.
CN_INT_MEMO = 4096


# The numbers of a date's month and day and of most ordinals (一 … 九, 十, 十二, 二十, 三十一): their values, as cn2an
# gives them (tests check every one against it). cn2an's import compiles its patterns (a city list among them):
# ~0.15 CPU-s a process, which the 300 bench pages' extract paid for 16 such numbers (session 45).
_CN_NINE = "一二三四五六七八九"
SMALL_CN_INT = {c: k for k, c in enumerate(_CN_NINE, 1)} | {
    f"{a}十{b}": (_CN_NINE.index(a) + 1 if a else 1) * 10 + (_CN_NINE.index(b) + 1 if b else 0)
    for a in ("", *_CN_NINE)
    for b in ("", *_CN_NINE)
}


@lru_cache(maxsize=CN_INT_MEMO)
def cn_int(s: str) -> int | None:
    """'15' / '十五' / '二〇一六' -> int; None when it is not a number."""
    if not s:
        return None
    s = to_half(s)
    if s.isdigit():
        return int(s)
    if all(c in CN_DIGIT for c in s) and len(s) >= 2:
        return int("".join(str(CN_DIGIT[c]) for c in s))
    if (small := SMALL_CN_INT.get(s)) is not None:
        return small
    try:
        import cn2an

        v = cn2an.cn2an(s, "normal")
        return int(v)
    except Exception:  # noqa: BLE001 - cn2an raises many kinds on non-numbers
        return None


def make_date(y: str, m: str, d: str) -> dt.date | None:
    yy, mm, dd = cn_int(y), cn_int(m), cn_int(d)
    if yy is None or mm is None or dd is None or not 1900 <= yy <= 2100:
        return None
    try:
        return dt.date(yy, mm, dd)
    except ValueError:
        return None


# A date needs 月 (DATE_RE) or an ISO separator (ISO_DATE_RE), as written or as to_half writes it: a line with
# neither (most chrome and body lines find_date is asked about) has no date, found with one C scan.
_DATE_CUE_RE = re.compile(
    "[" + re.escape("".join(sorted({c for c, h in _HALF_OF.items() if set(h) & set("月-/.")} | set("月-/.")))) + "]"
)


# what every ISO_DATE_RE match holds: its month between two separators (a decimal or a URL's dot alone is no date)
_ISO_CUE_RE = re.compile(r"[-/.]\d{1,2}[-/.]")


# A chrome line is read by several of the fields' readers (the published date, the byline, the source, the year …),
# each asking find_date and clean_line again: on one worker's four shards of the 5k bench 62 % of find_date's and
# 73 % of clean_line's calls repeated an earlier line. Lines up to this length (a head line; the longest read are
# pieces of RAW_HEAD_CHARS) are remembered, LINE_MEMO_SIZE of them: a few MB.
LINE_MEMO_MAX_CHARS = 200
LINE_MEMO_SIZE = 8192


def find_date(s: str) -> tuple[dt.date, int, int] | None:
    """First date (Chinese, Chinese-numeral or ISO) in s with its span; a short line's is remembered."""
    return _find_date_memo(s) if len(s) <= LINE_MEMO_MAX_CHARS else _find_date(s)


def _find_date(s: str) -> tuple[dt.date, int, int] | None:
    if not _DATE_CUE_RE.search(s):
        return None
    s = to_half(s)
    best = None
    # each pattern only where its literals are (a line of page chrome is mostly digits, dots and dashes: DATE_RE's
    # scan tried each of its numbers as a year)
    for rx in (DATE_RE,) * ("年" in s and "月" in s) + (ISO_DATE_RE,) * bool(_ISO_CUE_RE.search(s)):
        for m in rx.finditer(s):
            d = make_date(m["y"], m["m"], m["d"])
            if d is not None:
                if best is None or m.start() < best[1]:
                    best = (d, m.start(), m.end())
                break
    if "民国" in s or "民國" in s or (("年0" in s or "年1" in s) and _ROC_CUE_RE.search(s)):
        for m in ROC_DATE_RE.finditer(s):
            d = _roc_date(m)
            if d is not None:
                if best is None or m.start() < best[1]:
                    best = (d, m.start(), m.end())
                break
    return best


_find_date_memo = lru_cache(maxsize=LINE_MEMO_SIZE)(_find_date)


def _roc_date(m: re.Match) -> dt.date | None:
    """The Western date of a ROC_DATE_RE match."""
    y, mo, d = (m["ry"], m["rm"], m["rd"]) if m["ry"] else (m["sy"], m["sm"], m["sd"])
    ry = cn_int(y)
    return None if ry is None or ry < 1 else make_date(str(ROC_EPOCH + ry), mo, d)


def clean_line(s: str) -> str:
    """Strip markdown emphasis/heading marks and HTML comments; squeeze spaces (a short line's result remembered)."""
    return _clean_line_memo(s) if len(s) <= LINE_MEMO_MAX_CHARS else _clean_line(s)


def _clean_line(s: str) -> str:
    # Most lines hold no markup and no space to squeeze: a substring test in C skips each substitution then (the
    # head and chrome lines of every document pass here; both re.sub scans were ~1.5 % of extract's CPU, session 10).
    if s[:1].isspace() or s[:1] == "#" or "**" in s or "__" in s or "<!--" in s:
        s = MARKUP_RE.sub("", s)
    if " " in s or "\t" in s or "\u3000" in s or "\xa0" in s:
        s = SPACES_RE.sub(" ", s)
    return s.strip()


_clean_line_memo = lru_cache(maxsize=LINE_MEMO_SIZE)(_clean_line)


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    p = DATA_DIR / "surnames.txt"
    return frozenset(x for x in p.read_text("utf-8").split() if x and not x.startswith("#"))


@lru_cache(maxsize=1)
def t2s():
    """OpenCC Traditional->Simplified converter, built once."""
    import opencc

    try:
        return opencc.OpenCC("t2s")
    except Exception:  # noqa: BLE001 - pragma: no cover - older config naming
        return opencc.OpenCC("t2s.json")


def simplify(s: str) -> str:
    """Simplified, pinyin-free, half-width-digit text for reading metadata from raw page chrome."""
    if not s:
        return ""
    s = PINYIN_RE.sub("", s)
    if _traditional().search(s):  # else nothing for OpenCC to do (see _traditional)
        try:
            s = t2s().convert(s)
        except Exception:  # noqa: BLE001 - a title that OpenCC cannot convert stays as it is
            pass
    return to_half(s)


@lru_cache(maxsize=1)
def _traditional() -> re.Pattern:
    """The characters OpenCC t2s converts on their own (every BMP character tried once, ~60 ms a process; beyond the
    BMP not tried, so all of them), as tasks.normalize's _T2S_TABLE. A line without one is Simplified and read as
    written, as normalize leaves such lines: t2s phrases would otherwise rewrite Simplified words in it (`藉口` ->
    `借口`: 藉 is a Simplified character too). On the 20k bench most pages' chrome holds none: OpenCC was ~6 % of
    extract's CPU (py-spy of a cold run), converting Simplified lines."""
    chars = [chr(c) for c in range(0x80, 0x10000) if not 0xD800 <= c < 0xE000]
    alone = t2s().convert("\n".join(chars)).split("\n")
    converted = [c for c, s in zip(chars, alone, strict=True) if s != c]
    return re.compile("[" + "".join(map(re.escape, converted)) + "\U00010000-\U0010ffff]")


def simplify_lines(lines: Sequence[str]) -> list[str]:
    """[simplify(x) for x in lines], converted as one string: OpenCC's per-call cost, not its per-character one, was
    most of what the page chrome's ~35 short lines a document cost (extract's _chrome_lines). The same result: no
    OpenCC phrase, injected pinyin or full-width form spans a line break, so each line converts as it would alone
    (a line holding a break, an OpenCC failure or a changed line count falls back to the line-by-line loop)."""
    joined = "\n".join(lines)
    if not lines or joined.count("\n") != len(lines) - 1:  # a line holding a break (counted in C, not line by line)
        return [simplify(x) for x in lines]
    s = PINYIN_RE.sub("", joined)
    if m := _traditional().search(s):  # the lines holding Traditional script, converted in one call
        parts = s.split("\n")
        todo = _lines_holding(s, m)
        try:
            done = t2s().convert("\n".join(parts[i] for i in todo)).split("\n")
        except Exception:  # noqa: BLE001 - one line OpenCC cannot convert stays as it is: convert them one by one
            return [simplify(x) for x in lines]
        if len(done) != len(todo):
            return [simplify(x) for x in lines]
        for i, x in zip(todo, done, strict=True):
            parts[i] = x
        s = "\n".join(parts)
    out = to_half(s).split("\n")
    return out if len(out) == len(lines) else [simplify(x) for x in lines]


def _lines_holding(s: str, m: re.Match | None) -> list[int]:
    """The numbers of s's lines holding a Traditional character, m the first: one search from each such line's end
    on, instead of one search a line (a shard's chrome blocks: 1 line in 9 holds one, session 60)."""
    found = []
    line, last = 0, 0
    while m:
        at = m.start()
        line += s.count("\n", last, at)
        found.append(line)
        nl = s.find("\n", at)
        if nl < 0:
            break
        line, last = line + 1, nl + 1
        m = _traditional().search(s, last)
    return found


# Characters that never occur in a byline's personal name but do in the words that follow an office
# (政府, 工作, 报告 …): a line `市长 多杰` has a name, `市长 工作报告` does not.
NOT_NAME_CHARS = set(
    "的了在是和与及对把将被为从向于省市县区州乡镇村委会议局厅部办处室政府报告工作讲话发展建设全同志年月日"
    # the half sentence after an office that names nobody (session 49's fresh pages): `總統也表示` gave 也表示,
    # `賴清德總統伉儷昨(20)晚間` gave 伉俪昨 — adverbs that open a predicate, a couple, yesterday. A name with a listed
    # surname (is_name) is read before this set: 曾荫权 is not affected.
    "也亦并还又则均仍伉俪昨"
)


COUNTED_PEOPLE_RE = re.compile(r"[一二三四五六七八九十两几数多]+[位名个]")


def is_byline_name(s: str) -> bool:
    """A name right after an office in a byline (`州长 多杰`, `代州长 刀文`, `自治区主席 嘎玛泽登`).

    The office fixes the slot, so a surname from the list is not required (Tibetan, Dai and Uyghur names have
    none); the candidate must still be 2-4 Han characters (or a `·` name), hold no function/office character
    and not be a word jieba knows as something other than a person's name.
    """
    if is_name(s):
        return True
    if not re.fullmatch(rf"[{HAN}]{{2,4}}", s) or any(c in NOT_NAME_CHARS for c in s) or s in DOC_WORDS_NOT_NAMES:
        return False
    if len(s) == 3 and s[:2] in CLAUSE_CONNECTIVES:
        return False  # `接着徐`: a connective and a surname (is_name's reasoning), whatever the surname list says
    if COUNTED_PEOPLE_RE.match(s):
        return (
            False  # `…林某校長三位嘉賓到校祝賀`: a count of the guests just listed, no name (this round's fresh page)
        )
    tag = word_tags().get(s)
    return tag is None or tag.startswith("nr")


@lru_cache(maxsize=1)
def jieba_main_dict() -> tuple[list[str], Sequence[int], list[str]]:
    """(words, frequencies, tags) of jieba's main dictionary `dict.txt`, in file order, read once per process.

    Three readers need it (the POS table below, extract.word_freq and rjieba's segmenter); each used to parse the
    349k-line file itself, ~10 % of a one-shard extract process (one parse ~0.25 CPU-s). Tags are interned (350k
    copies of `n`, `nr`, `vn` ...); words are shared with the tables built from them and frequencies are packed, so
    the cached parse costs ~8 MB.
    """
    from tasks.common import save_arrays

    path = jieba_dict_path()
    if path is None:  # pragma: no cover - jieba is a pinned dependency
        return [], array("q"), []
    data = path.read_bytes()
    # parsing the 349k lines was ~0.19 s of every fresh extract or annotate worker's first call (a +1 % run
    # spawns 3-5 of them as workers are recycled); the packed arrays load in ~0.04 s
    name = f"jieba-dict-{JIEBA_DICT_CACHE_FORMAT}-{jieba_dict_digest()[:24]}"
    cached = load_cached(name)  # a damaged file (a bad CRC too) is parsed again
    if cached is not None:
        try:
            return _unpack_jieba_dict(cached)
        except (KeyError, ValueError, IndexError, UnicodeDecodeError):  # a damaged table: parse the file again
            pass
    parsed = parse_jieba_dict(data.decode("utf-8"))
    save_arrays(name, _pack_jieba_dict(*parsed))
    return parsed


def jieba_dict_path() -> Path | None:
    """jieba's main dictionary file, as installed."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    return None if spec is None or spec.origin is None else Path(spec.origin).with_name("dict.txt")


@lru_cache(maxsize=1)
def jieba_dict_digest() -> str:
    """sha256 of jieba's main dictionary file ("" without one): names the tables built from it."""
    import hashlib

    path = jieba_dict_path()
    return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else ""


JIEBA_DICT_CACHE_FORMAT = 1  # bump when the packed arrays change meaning: older cached tables are then never read


def _pack_jieba_dict(words: list[str], freqs: Sequence[int], tags: list[str]) -> dict[str, Any]:
    """jieba_main_dict's parse as plain arrays: the words and the distinct tags as newline-joined UTF-8 (neither
    holds a newline: the parse splits lines), tags as indices into the distinct ones."""
    import numpy as np

    names = sorted(set(tags))
    index = {t: i for i, t in enumerate(names)}
    return {
        "words": np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        "freqs": np.asarray(freqs, dtype=np.int64),
        "tag_names": np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
        "tags": np.array([index[t] for t in tags], dtype=np.uint16),
    }


def _unpack_jieba_dict(packed: dict[str, Any]) -> tuple[list[str], Sequence[int], list[str]]:
    import sys

    words = packed["words"].tobytes().decode("utf-8").split("\n") if packed["words"].size else []
    freqs = array("q", packed["freqs"].astype("<i8").tobytes())
    names = [sys.intern(t) for t in packed["tag_names"].tobytes().decode("utf-8").split("\n")]
    tags = list(map(names.__getitem__, packed["tags"].tolist()))
    if not len(words) == len(freqs) == len(tags):
        raise ValueError("a damaged packed dictionary: its columns differ in length")
    return words, freqs, tags


def source_digest(*files: Path, extra: str = "") -> str:
    """sha256 (24 hex) of `extra` and each file's name and bytes ("-" for a missing one): names a cached table by
    what it is built from, the code that builds it included (its modules' source files)."""
    import hashlib

    digest = hashlib.sha256(extra.encode())
    for f in files:
        digest.update(f.name.encode() + b"\0" + (f.read_bytes() if f.exists() else b"-") + b"\0")
    return digest.hexdigest()[:24]


def load_cached(name: str) -> dict[str, Any] | None:
    """tasks.common.load_arrays, or None whatever went wrong reading the file: a damaged zip (a bad CRC is
    zipfile.BadZipFile, which load_arrays lets through) is built again, never a failed call."""
    from tasks.common import load_arrays

    try:
        return load_arrays(name)
    except Exception:  # noqa: BLE001 - any damage means: build the table again
        return None


def pack_counts(table: Mapping[str, int]) -> dict[str, Any] | None:
    """A str -> int table as plain arrays (keys newline-joined UTF-8, values int64), in its order; None when a key
    holds a newline (such a table is not cached)."""
    import numpy as np

    keys = "\n".join(table)
    if keys.count("\n") != max(0, len(table) - 1):
        return None
    return {
        "keys": np.frombuffer(keys.encode("utf-8"), dtype=np.uint8),
        "values": np.fromiter(table.values(), dtype=np.int64, count=len(table)),
    }


def unpack_counts(packed: Mapping[str, Any]) -> dict[str, int]:
    """pack_counts' table back, in its order (ValueError: a damaged one)."""
    keys = packed["keys"].tobytes().decode("utf-8").split("\n") if packed["keys"].size else []
    values = packed["values"]
    if values.dtype.kind != "i" or values.ndim != 1 or len(keys) != len(values):
        raise ValueError("a damaged packed table: its keys and values differ in length")
    out = dict(zip(keys, values.tolist(), strict=True))
    if len(out) != len(keys):
        raise ValueError("a damaged packed table: a key repeats")
    return out


def parse_jieba_dict(data: str) -> tuple[list[str], Sequence[int], list[str]]:
    """(words, frequencies, tags) of a jieba dictionary file's text, line by line as jieba.posseg's load_word_tag
    reads it: strip the line, skip it if empty, `word freq tag`."""
    import sys

    intern = sys.intern
    words: list[str] = []
    freqs = array("q")
    tags: list[str] = []
    for raw in data.split("\n"):
        line = raw.strip(" \t\r\x0b\x0c")  # bytes.strip()'s ASCII whitespace, as jieba strips the raw line
        if line:
            word, freq, tag = line.split(" ")
            words.append(word)
            freqs.append(int(freq))
            tags.append(intern(tag))
    return words, freqs, tags


@lru_cache(maxsize=1)
def word_tags() -> dict[str, str]:
    """word -> part-of-speech tag of jieba's main dictionary: exactly jieba.posseg's `word_tag_tab`, built from the
    shared parse of the file. Importing jieba.posseg builds that table with a str object per tag and loads its HMM
    tables too; here the tags are interned, ~56 -> ~35 MB per extract worker, and the gazetteer reads the same
    table."""
    words, _, tags = jieba_main_dict()
    return dict(zip(words, tags, strict=True))


# A document's own words that open on a surname's character (全, 原, 解, 范, 初, 文, 简): a doc site's label after a
# title or under a byline (`…讲话 全文`, `市长 解读`, `范文` — which jieba's dictionary even tags nr) is no person's name.
# Session 50's left-alone list: `is_byline_name` took 全文/原文/解读 and 范文 as names; the words listed here are the
# ones such labels use of the 2-4 character document words that pass the surname test.
DOC_WORDS_NOT_NAMES = frozenset(
    {
        "全文", "原文", "解读", "范文", "初稿", "定稿", "文稿", "原稿", "全稿", "修订稿", "全集", "全本", "全篇", "原题",
        "简报", "简介", "简版", "范本", "范例", "解析", "文档", "原创", "纪要", "节选", "摘要",
        # a site's mailbox link under the head's office (`院长信箱`, `书记信箱`, `市长信箱`): chrome, no byline
        "信箱", "邮箱",
    }
)  # fmt: skip


# Prepositions that are also surnames (向, 于, 和 …): before an addressee word they open a phrase, not a name.
PREPOSITION_SURNAMES = frozenset("向对为给把被从在与和同")
# jieba's tags of the words such a phrase addresses (`向全体`, `向大家`, `对各位`, `为广大`, `向在座`, `同与会`): a common noun,
# pronoun, adjective or verb. A given name jieba tags nr (`于文明`) or nz (`向大明`) is not one of them.
ADDRESSEE_TAGS = frozenset({"n", "r", "a", "v", "vn"})
# The connectives that open a clause before an officer named by surname (`接着徐董事长还对…`, `最后徐董事长明确了…`): a
# three-character run opening on one is the connective and a surname, never a name (session 56's fresh company page
# read `接着徐`). Listed, not taken from jieba's tags: real names open on words jieba tags so (毕力夫: 毕力 d, 于言良:
# 于言 c, bylines on the shared corpus).
CLAUSE_CONNECTIVES = frozenset(
    {
        "接着",
        "然后",
        "随后",
        "最后",
        "之后",
        "其后",
        "首先",
        "其次",
        "同时",
        "此外",
        "另外",
        "而且",
        "并且",
        "但是",
        "于是",
        "因此",
        "以及",
    }
)


def is_name(s: str) -> bool:
    """A plausible Chinese personal name: surname + 1-2 chars, or a transliterated name with '·'."""
    if "·" in s:
        return bool(re.fullmatch(rf"[{HAN}]{{1,8}}(?:·[{HAN}]{{1,8}})+", s))
    if not re.fullmatch(rf"[{HAN}]{{2,4}}", s) or s in DOC_WORDS_NOT_NAMES:
        return False
    if len(s) == 3 and s[0] in PREPOSITION_SURNAMES and word_tags().get(s[1:]) in ADDRESSEE_TAGS:
        return False  # `…区长向全体机关干部作动员`: the preposition and whom the officer addressed, no name
    if s[-1] in "了的":
        return False  # `最后徐董事长明确了…`: the verb's particle after a surname-like character (明), no name
    if len(s) == 3 and s[:2] in CLAUSE_CONNECTIVES:
        return False  # `接着徐董事长还对…`: a connective and a surname before the office (徐), no name
    sn = surnames()
    return s[0] in sn or (len(s) >= 3 and s[:2] in sn)
