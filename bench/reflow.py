"""Reflowed variants of a page: the same words as scrapers deliver them with the layout lost.

Held-out pages often arrive with the header run together (title, dateline, byline and
salutation on one line, or with the first paragraph), paragraphs joined (all of them, or 2-5 at a time) (with nothing, a space or an ideographic indent where the
breaks were), hard-wrapped with page numbers and running headers (a PDF's text), ideographic indents or
full-width digits. The
body-survival and extraction benchmarks run every development document through each variant:
the same page must give the same speech text and the same fields whatever its layout.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable

HEADER_LINES = 6  # title, dateline, byline, salutation (and a subtitle) fit in the first six lines

_FULL_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def _split_front_matter(text: str) -> tuple[str, str]:
    """YAML front matter is page metadata, not layout: variants keep it as it is."""
    m = _FRONT_MATTER.match(text)
    return (m.group(0), text[m.end() :]) if m else ("", text)


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def join_header(text: str, n: int = HEADER_LINES) -> str:
    """`——2024年1月30日在…会议上` + `市长 向辉` + `各位代表：` on one line, the body below."""
    front, body = _split_front_matter(text)
    lines = _lines(body)
    return front + "\n".join(["".join(line.strip() for line in lines[:n]), *lines[n:]]) + "\n"


_SALUTATION = re.compile(r"^\s*[*#]*\s*(?:各位代表|代表们|同志们|各位委员)")
HEAD_MAX_LINES = 40  # a page's head (chrome, title, dateline, byline) ends within its first 40 lines


def join_head(text: str) -> str:
    """Every line before the salutation on one line, page chrome included: a scraper that dropped the <br> and
    <p> of the header block (`您的位置:首页>要闻2026年政府工作报告来源：云南日报…——2026年1月28日在…会议上省长 王予波`).
    A page with no salutation in its head is left as it is."""
    front, body = _split_front_matter(text)
    lines = _lines(body)
    k = next((i for i, line in enumerate(lines[:HEAD_MAX_LINES]) if _SALUTATION.match(line)), None)
    if not k:
        return text
    return front + "\n".join(["".join(line.strip() for line in lines[:k]), *lines[k:]]) + "\n"


def join_paragraphs(text: str) -> str:
    """Every paragraph of the page on one line, as scrapers that drop <p> boundaries deliver it."""
    front, body = _split_front_matter(text)
    return front + "".join(line.strip() for line in _lines(body)) + "\n"


PARAGRAPH_GROUP = 3  # paragraphs per line in the grouped variant


def group_paragraphs(text: str, n: int = PARAGRAPH_GROUP) -> str:
    """Paragraphs joined a few at a time (a scraper that kept some <p> and dropped others), chrome lines included."""
    front, body = _split_front_matter(text)
    lines = [line.strip() for line in _lines(body)]
    return front + "\n".join("".join(lines[i : i + n]) for i in range(0, len(lines), n)) + "\n"


# Groups of varying size, in a fixed order (a scraper keeps the <p> of some blocks and drops those of others: 2 to 5
# lines run together, unrelated to where the head ends or a section starts)
GROUP_SIZES = (2, 5, 3, 4, 2, 3, 5, 4)


def group_varied(text: str, sizes: tuple[int, ...] = GROUP_SIZES) -> str:
    """Lines joined 2-5 at a time, the group size changing from group to group (chrome lines included)."""
    front, body = _split_front_matter(text)
    lines = [line.strip() for line in _lines(body)]
    out, i, k = [], 0, 0
    while i < len(lines):
        n = sizes[k % len(sizes)]
        out.append("".join(lines[i : i + n]))
        i, k = i + n, k + 1
    return front + "\n".join(out) + "\n"


def join_head_with_first_paragraph(text: str) -> str:
    """Every line up to the first paragraph of the speech on one line, that paragraph included (a page whose head
    block and first <p> shared one <div>): `2026年政府工作报告——2026年1月28日在…会议上省长 王予波各位代表：现在，我代表…`.
    The first paragraph is the first line after the salutation, or the salutation's own line when the speech opens
    on it; a page with no salutation in its head is left as it is."""
    front, body = _split_front_matter(text)
    lines = _lines(body)
    k = next((i for i, line in enumerate(lines[:HEAD_MAX_LINES]) if _SALUTATION.match(line)), None)
    if k is None:
        return text
    end = k + 1 if len(lines[k].strip()) > 12 else k + 2  # `各位代表：` alone: its paragraph is the next line
    return front + "\n".join(["".join(line.strip() for line in lines[:end]), *lines[end:]]) + "\n"


PDF_WIDTH = 36  # characters per printed line of an A4 page of Chinese text in a PDF's extracted text
PDF_PAGE_LINES = 42  # printed lines per page


def pdf_pages(text: str) -> str:
    """A PDF's text: every paragraph hard-wrapped at PDF_WIDTH characters, and after every PDF_PAGE_LINES lines the
    page's number (`- 3 -`) and the running header (the page's first short line, its title) between the lines."""
    front, body = _split_front_matter(text)
    lines = [line.strip() for line in _lines(body)]
    # a PDF's running header is the document's title or issuing office: the page's first line when it is short and
    # unpunctuated, else the generic title
    first = lines[0].strip("*#") if lines else ""
    header = first if 4 <= len(first) <= 30 and not re.search(r"[，。：；！？、]", first) else "政府工作报告"
    out: list[str] = []
    page = 1
    for para in lines:
        for i in range(0, len(para), PDF_WIDTH):
            out.append(para[i : i + PDF_WIDTH])
            if len(out) % (PDF_PAGE_LINES + 2) == PDF_PAGE_LINES:
                out += [f"- {page} -", header]
                page += 1
    return front + "\n".join([*out, f"- {page} -"]) + "\n"


def spaces_for_breaks(text: str) -> str:
    """Every line break a space: a PDF's or a <div>'s text where paragraphs and headings meet at one space."""
    front, body = _split_front_matter(text)
    return front + " ".join(line.strip() for line in _lines(body)) + "\n"


def ideographic_breaks(text: str) -> str:
    """Every paragraph on one line, each opened by its print indent of two ideographic spaces (U+3000)."""
    front, body = _split_front_matter(text)
    return front + "".join("\u3000\u3000" + line.strip() for line in _lines(body)) + "\n"


def ideographic_indent(text: str) -> str:
    """Each paragraph indented with two ideographic spaces (U+3000), the print convention."""
    front, body = _split_front_matter(text)
    return front + "\n".join("\u3000\u3000" + line.strip() for line in _lines(body)) + "\n"


def fullwidth_digits(text: str) -> str:
    """Digits as full-width characters (２０２４年), as old and typeset pages carry them."""
    front, body = _split_front_matter(text)
    return front + body.translate(_FULL_DIGITS)


# ---------------------------------------------------------------- head layouts (the body keeps its line breaks)
# What scrapers do to a page's head block alone: its <br> turned into spaces, ` | ` or two spaces (BeautifulSoup's
# get_text(separator)), a government site's article head (title, publishing line, font-size toolbar) on one line, a
# long title wrapped over two lines, a mobile page's share bar between the title and the dateline.

_META_LINE = re.compile(r"^(?:(?:发布)?时间|日期|来源)\s*[:：]\s*(\S.*)$")
_TOOLBAR_TOKEN = re.compile(r"^(?:下载|打印|全屏|收藏|【字[号体][:：]|加大|还原|减小|[大中小]|】)$")
_TITLE_END = re.compile(r"(?:报告|讲话|致辞|发言|决议|总结|贺词)(?:[（(][^）)]{0,20}[）)])?$")
TITLE_WRAP_MIN = 14  # a title a page prints over two lines: longer than a centred headline line holds (~13 characters)


def _head_split(text: str) -> tuple[str, list[str], list[str]] | None:
    """(front matter, head lines before the salutation, the lines from the salutation on); None without a salutation
    in the first HEAD_MAX_LINES lines."""
    front, body = _split_front_matter(text)
    lines = [line.strip() for line in _lines(body)]
    k = next((i for i, line in enumerate(lines[:HEAD_MAX_LINES]) if _SALUTATION.match(line)), None)
    if not k:
        return None
    return front, lines[:k], lines[k:]


def _head_joined_with(sep: str) -> Callable[[str], str]:
    def join(text: str) -> str:
        parts = _head_split(text)
        if parts is None:
            return text
        front, head, rest = parts
        return front + "\n".join([sep.join(head), *rest]) + "\n"

    join.__doc__ = f"Every line before the salutation on one line, joined with {sep!r}; the body keeps its breaks."
    return join


def _title_index(head: list[str], last: bool = False) -> int:
    """The head's title line: the first (or `last`) that ends like a title (报告, 讲话 …) and is not chrome or a
    dateline; else the first line."""
    found = [
        i
        for i, line in enumerate(head)
        if _TITLE_END.search(line) and not _META_LINE.match(line) and not line.startswith(("——", "--", "（", "("))
    ]
    return (found[-1] if last else found[0]) if found else 0


def gov_site_head(text: str) -> str:
    """A government site's article head on one line: `标题 发布时间：2026-02-01 来源：吉林日报 字号：大 中 小 打印 关闭`
    then the dateline and byline, the page's own date and source lines moved into the publishing line and its
    toolbar pieces dropped; the salutation and body on lines of their own."""
    parts = _head_split(text)
    if parts is None:
        return text
    front, head, rest = parts
    meta: dict[str, str] = {}
    kept = []
    for line in head:
        m = _META_LINE.match(line)
        if m:
            meta["来源" if line.startswith("来源") else "发布时间"] = m.group(1).strip()
        elif not _TOOLBAR_TOKEN.match(line):
            kept.append(line)
    if not kept:
        return text
    t = _title_index(kept)
    bar = " ".join(f"{k}：{v}" for k, v in sorted(meta.items(), key=lambda kv: kv[0] != "发布时间"))
    bar = (bar + " " if bar else "") + "字号：大 中 小 打印 关闭"
    line = " ".join([*kept[: t + 1], bar, *kept[t + 1 :]])
    return front + "\n".join([line, *rest]) + "\n"


def title_wrapped(text: str) -> str:
    """A long title printed over two lines (a centred heading in a large font): the head's title line broken in the
    middle; everything else as it is."""
    parts = _head_split(text)
    if parts is None:
        return text
    front, head, rest = parts
    t = _title_index(head, last=True)  # the speech's own title, below a page's headline
    title = head[t]
    if len(title) < TITLE_WRAP_MIN or not _TITLE_END.search(title):
        return text
    half = len(title) // 2
    head = [*head[:t], title[:half], title[half:], *head[t + 1 :]]
    return front + "\n".join([*head, *rest]) + "\n"


def mobile_share(text: str) -> str:
    """A mobile page's head: the share bar `分享到：微信 微博 QQ空间` after the title, the head's lines joined with spaces."""
    parts = _head_split(text)
    if parts is None:
        return text
    front, head, rest = parts
    t = _title_index(head)
    head = [*head[: t + 1], "分享到：微信 微博 QQ空间", *head[t + 1 :]]
    return front + "\n".join([" ".join(head), *rest]) + "\n"


# ---------------------------------------------------------------- third round: more ways real copies lose breaks

NBSP_INDENT = "\u00a0" * 4  # a CMS's paragraph indent typed as &nbsp;&nbsp;&nbsp;&nbsp;


def nbsp_breaks(text: str) -> str:
    """The <br>/<p> dropped and the &nbsp; indents kept: every paragraph on one line, each opened by four no-break
    spaces (U+00A0), as BeautifulSoup's get_text() gives a CMS page whose paragraphs were `&nbsp;&nbsp;…` runs."""
    front, body = _split_front_matter(text)
    return front + "".join(NBSP_INDENT + line.strip() for line in _lines(body)) + "\n"


_SENTENCE_END = re.compile(r"(?<=[。！？!?])(?![”’」』）)])")


def sentence_lines(text: str) -> str:
    """A WeChat article: each sentence its own <p>, an empty <p> between paragraphs (the text has a blank line there)."""
    front, body = _split_front_matter(text)
    paras = [[s for s in _SENTENCE_END.split(line.strip()) if s.strip()] for line in _lines(body)]
    return front + "\n\n".join("\n".join(p) for p in paras if p) + "\n"


PDF_NARROW_WIDTH = 35  # a PDF printed with wider margins: ~35 characters a line (a 16 pt 仿宋 A4 page holds 28-36)
PDF_NARROW_PAGE_LINES = 30  # lines of text a page holds at that size
PDF_NARROW_PAGES = "第{page}页 共{pages}页"  # the footer Word and WPS print by default


def pdf_footers(text: str) -> str:
    """A PDF's text printed in a large font: paragraphs hard-wrapped at PDF_NARROW_WIDTH, no hyphen where a word
    is cut, and after every PDF_NARROW_PAGE_LINES lines the page footer `第3页 共12页`, between two lines of one
    paragraph where the page break fell."""
    front, body = _split_front_matter(text)
    wrapped = [
        para[i : i + PDF_NARROW_WIDTH]
        for para in (line.strip() for line in _lines(body))
        for i in range(0, len(para), PDF_NARROW_WIDTH)
    ]
    pages = -(-len(wrapped) // PDF_NARROW_PAGE_LINES) or 1
    out: list[str] = []
    for k in range(0, len(wrapped), PDF_NARROW_PAGE_LINES):
        out += wrapped[k : k + PDF_NARROW_PAGE_LINES]
        out.append(PDF_NARROW_PAGES.format(page=k // PDF_NARROW_PAGE_LINES + 1, pages=pages))
    return front + "\n".join(out) + "\n"


VIEWER_PAGE_CHARS = 1500  # characters of text a doc site's viewer page holds before its `第N页 共M页` line


def viewer_pages(text: str) -> str:
    """A doc site's viewer text copied out: the paragraphs keep their breaks, and every VIEWER_PAGE_CHARS characters
    a page break (`第3页 共12页` on a line of its own) cuts the paragraph it falls in into two lines."""
    front, body = _split_front_matter(text)
    flat = "\n".join(line.strip() for line in _lines(body))
    pages = -(-len(flat) // VIEWER_PAGE_CHARS) or 1
    out = []
    for k in range(0, len(flat), VIEWER_PAGE_CHARS):
        piece = flat[k : k + VIEWER_PAGE_CHARS]
        out.append(piece.strip("\n"))
        out.append(PDF_NARROW_PAGES.format(page=k // VIEWER_PAGE_CHARS + 1, pages=pages))
    return front + "\n".join(p for p in out if p) + "\n"


_HEADING_LINE = re.compile(r"^[*#\s]*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])")


def headings_up(text: str) -> str:
    """Each outline heading (`二、…`, `（三）…`) on the line of the paragraph before it (an editor's <p> closed after
    the heading instead of before it): `…取得新成效。二、2013年工作安排`, the heading's paragraph on the next line."""
    front, body = _split_front_matter(text)
    out: list[str] = []
    for line in (line.strip() for line in _lines(body)):
        if out and _HEADING_LINE.match(line) and len(line) <= 60:
            out[-1] += line
        else:
            out.append(line)
    return front + "\n".join(out) + "\n"


TOC_MAX = 40  # entries of a table of contents printed above a report
TOC_ENTRY_MAX = 40  # a contents line holds a heading of at most 40 characters


def toc_top(text: str) -> str:
    """A table of contents above the speech (a doc site's or a PDF's `目录`): the page's outline headings, each on a
    line, with dotted leaders and page numbers, between the head and the salutation."""
    parts = _head_split(text)
    if parts is None:
        return text
    front, head, rest = parts
    if len(head) > HEADER_LINES:  # a salutation deep in the page (after its review): the contents open the page
        head, rest = [], head + rest
    # an entry is the heading without the sentence a paragraph may open with (`（一）…提升。` + its paragraph)
    heads = [re.split(r"[。；！？]", line.strip("*# "))[0] for line in rest if _HEADING_LINE.match(line)]
    toc = [h for h in heads if len(h) <= TOC_ENTRY_MAX][:TOC_MAX]
    if not toc:
        return text
    entries = [f"{h}{'…' * 6}{k + 2}" for k, h in enumerate(toc)]
    return front + "\n".join([*head, "目录", *entries, *rest]) + "\n"


# ---------------------------------------------------------------- a forum's anti-copy junk
# Discuz! (the software of most Chinese forums) hides a random string at every line break of a post
# (source/function/function_discuzcode.php, `jammer()`): 5-15 pairs of `chr(mt_rand(32, 59)) . ' ' .
# chr(mt_rand(63, 126))`, in a `<font class="jammer">` before the break or a `<span style="display:none">` after it.
# A browser hides it; a copy taken from the page's text keeps it (`一、去年工作回顾+ v% [0 P+ _; u3 {$ y9 r`).


def jammer(seed: str) -> str:
    """Discuz's jammer string, drawn from a generator seeded by the line it follows (the variant is deterministic)."""
    rng = random.Random(zlib.crc32(seed.encode("utf-8")))
    return "".join(chr(rng.randint(32, 59)) + " " + chr(rng.randint(63, 126)) for _ in range(rng.randint(5, 15)))


def forum_jammer(text: str) -> str:
    """A forum post's text copied out: every line followed by Discuz's jammer string, the line breaks kept."""
    front, body = _split_front_matter(text)
    return front + "\n".join(line.strip() + jammer(line) for line in _lines(body)) + "\n"


def forum_jammer_grouped(text: str, n: int = PARAGRAPH_GROUP) -> str:
    """The same post with its breaks lost a few lines at a time (paragraphs_grouped): the jammer strings stand where
    the breaks were (`…提出意见。8 ]( X…一、去年工作回顾+ v% [0 P去年，…`)."""
    front, body = _split_front_matter(text)
    lines = [line.strip() + jammer(line) for line in _lines(body)]
    return front + "\n".join("".join(lines[i : i + n]) for i in range(0, len(lines), n)) + "\n"


VARIANTS: dict[str, Callable[[str], str]] = {
    "header_joined": join_header,
    "head_joined": join_head,
    "paragraphs_joined": join_paragraphs,
    "paragraphs_grouped": group_paragraphs,
    "paragraphs_varied": group_varied,
    "head_with_paragraph": join_head_with_first_paragraph,
    "spaces_for_breaks": spaces_for_breaks,
    "ideographic_breaks": ideographic_breaks,
    "pdf_pages": pdf_pages,
    "ideographic_indent": ideographic_indent,
    "fullwidth_digits": fullwidth_digits,
    "head_spaced": _head_joined_with(" "),
    "head_piped": _head_joined_with(" | "),
    "head_double_spaced": _head_joined_with("  "),
    "gov_site_head": gov_site_head,
    "title_wrapped": title_wrapped,
    "mobile_share": mobile_share,
    "nbsp_breaks": nbsp_breaks,
    "sentence_lines": sentence_lines,
    "pdf_footers": pdf_footers,
    "viewer_pages": viewer_pages,
    "headings_up": headings_up,
    "toc_top": toc_top,
    "forum_jammer": forum_jammer,
    "forum_jammer_grouped": forum_jammer_grouped,
}


def variants(text: str) -> dict[str, str]:
    """The page as given plus every reflowed variant, by name."""
    return {"original": text, **{name: fn(text) for name, fn in VARIANTS.items()}}
