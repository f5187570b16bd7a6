"""Page heads whose line breaks a scraper lost, as bench/reflow.py's head layouts render them: joined with ` | `,
spaces or nothing, a government site's article head on one line, a long title wrapped over two lines, a mobile page's
share bar, a document site's download notice opening a page joined whole. Real OpenCC and jieba, no mocks."""

from __future__ import annotations

import datetime as dt

from tasks.extract import extract_fields
from tasks.normalize import normalize_text

OPENING = "现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。"
BODY = "过去一年，全市经济运行稳中有进，地区生产总值增长百分之六，城乡居民收入稳步提高，民生福祉明显改善。"
SPEECH = "各位代表：\n" + OPENING + "\n" + BODY + "\n"
TITLE = "2026年吉林省政府工作报告"
DATELINE = "——2026年1月27日在吉林省第十四届人民代表大会第五次会议上"


def _fields(page: str) -> dict:
    n = normalize_text(page)
    return extract_fields(n.text, raw_text=page, removed_lines=n.removed_lines)


def _lines(page: str) -> list[str]:
    return normalize_text(page).text.split("\n")


# ---------------------------------------------------------------- separators


def test_a_head_joined_with_separators_is_broken_where_they_stand():
    """get_text(" | "): every label, value, title and byline a separator apart; the label's value after its own bar."""
    page = f"{TITLE} | {DATELINE} | 来源： | 吉林日报 | 时间：2026-02-01 | 省长 胡玉亭\n" + SPEECH
    assert _lines(page)[:4] == [TITLE, DATELINE, "省长 胡玉亭", "各位代表："]
    got = _fields(page)
    assert (got["title"], got["speaker_name"], got["speaker_title"]) == (TITLE, "胡玉亭", "省长")
    assert got["source_site"] == "吉林日报" and got["published_on"] == dt.date(2026, 2, 1)
    assert got["delivered_on"] == dt.date(2026, 1, 27)


def test_full_width_separators_and_a_long_head_past_the_window():
    """`｜` needs no spaces; a head whose title and byline come after 700 characters of front matter is still broken."""
    preface = "本页面为存档文本" * 90  # 720 characters, no punctuation a rule would read
    page = f"{preface} | {TITLE}｜{DATELINE}｜省长 胡玉亭\n" + SPEECH
    lines = _lines(page)
    assert lines[1:4] == [TITLE, DATELINE, "省长 胡玉亭"]
    assert _fields(page)["speaker_name"] == "胡玉亭"


def test_a_forum_statistics_line_without_spaced_bars_stays_whole():
    """`今日: 434|昨日: 633|帖子: …` is the forum rule's line: not broken at its bars, removed whole."""
    page = "今日: 434|昨日: 633|帖子: 2189450|会员: 163392|欢迎新会员: LY333\n" + SPEECH
    n = normalize_text(page)
    assert any(r[2] == "chrome.forum" and "昨日" in r[1] for r in n.removed_lines)
    assert "昨日" not in n.text


def test_nothing_after_a_salutation_on_the_line_is_broken_as_head():
    """A head run into its salutation and speech: the speech's own `2月3日，` and `来源：` stay in their sentence."""
    speech = "现在，我代表市人民政府报告工作。2月3日，市政府召开常务会议，来源：各部门的报告显示，全年目标全面完成。"
    page = f"{DATELINE} | 来源：吉林日报 | 省长 胡玉亭 各位代表：{speech}\n"
    assert speech in normalize_text(page).text.replace("\n", "")
    assert speech in _lines(page)[-1]


# ---------------------------------------------------------------- toolbars and share bars


def test_a_government_site_head_on_one_line():
    """`标题 发布时间：… 来源：… 字号：大 中 小 打印 关闭` then the dateline and byline: the bar's values went with the
    byline (speaker_name 15 % on bench/reflow.py's gov_site_head)."""
    page = (
        f"{TITLE} 发布时间：2026-02-01 10:00 来源：吉林省人民政府办公厅 字号：大 中 小 打印 关闭 "
        f"{DATELINE} 吉林省人民政府省长 胡玉亭\n" + SPEECH
    )
    lines = _lines(page)
    assert lines[:4] == [TITLE, DATELINE, "吉林省人民政府省长 胡玉亭", "各位代表："]
    got = _fields(page)
    assert (got["title"], got["speaker_name"], got["speaker_title"]) == (TITLE, "胡玉亭", "省长")
    assert got["published_on"] == dt.date(2026, 2, 1)
    # a report page without a headline: the bar between the dateline and the byline
    page = f"{DATELINE} 字号：大 中 小 打印 关闭 吉林省人民政府省长 胡玉亭\n" + SPEECH
    assert _lines(page)[:2] == [DATELINE, "吉林省人民政府省长 胡玉亭"]
    assert _fields(page)["speaker_title"] == "省长"


def test_a_font_bar_ends_before_a_word_that_starts_with_a_size_character():
    page = f"字号：大 中 小 中共吉林省委员会 {DATELINE} 省长 胡玉亭\n" + SPEECH
    assert "中共吉林省委员会" in _lines(page)


def test_a_mobile_share_bar_goes_and_the_byline_before_it_stays():
    page = f"{TITLE} 分享到：微信 微博 QQ空间 {DATELINE} 省长 胡玉亭\n" + SPEECH
    assert _lines(page)[:3] == [TITLE, DATELINE, "省长 胡玉亭"]
    short = "白山市市长王雪峰 分享到：微信 微博 QQ空间\n" + SPEECH
    assert _lines(short)[0] == "白山市市长王雪峰"
    assert _fields(short)["speaker_name"] == "王雪峰"


def test_a_dateline_without_its_date_breaks_a_joined_head():
    """`——在哈密市…会议上 分享到：… 吾拉木江·热依木 （2022年1月11日）`: the dateline gives no date, the brackets do."""
    page = (
        "——在哈密市第二届人民代表大会第一次会议上 分享到：微信 微博 QQ空间 吾拉木江·热依木 （2022年1月11日）\n" + SPEECH
    )
    got = _fields(page)
    assert got["speaker_name"] == "吾拉木江·热依木" and got["delivered_on"] == dt.date(2022, 1, 11)


def test_a_count_label_whose_count_was_lost_does_not_take_the_title():
    """`阅读量：` alone, then the title: a count's value is a number (the title was removed as the count)."""
    page = "阅读量：\n政府工作报告\n" + DATELINE + "\n省长 胡玉亭\n" + SPEECH
    assert _fields(page)["title"] == "政府工作报告"
    counted = "阅读量：\n1234\n政府工作报告\n" + DATELINE + "\n省长 胡玉亭\n" + SPEECH
    assert "1234" not in normalize_text(counted).text


# ---------------------------------------------------------------- a download notice opening a joined page

NOTICE = (
    "温馨提示：1. 部分包含数学公式或PPT动画的文件，查看预览时可能会显示错乱或异常，文件下载后无此问题，请放心下载。"
    "2. 本文档由用户上传，版权归属用户，汇文网负责整理代发布。如果您对本文档版权有争议请及时联系客服。"
    "3. 下载前请仔细阅读文档内容，确认文档内容符合您的需求后进行下载，若出现内容与标题不符可向本站投诉处理。"
    "4. 下载文档时可能由于网络波动等原因无法下载或下载错误，付费完成后未能成功下载的用户请联系客服处理。"
    "网站客服：3074922707"
)


def test_a_download_notice_opening_a_page_joined_whole_goes():
    """Seed 003 joined whole: the notice (longer than the head window) stayed in the speech's text."""
    page = NOTICE + "2023区长互学互汇报会致辞区长在互学互比汇报会讲话同志们：" + OPENING + BODY + "\n"
    n = normalize_text(page)
    assert "温馨提示" not in n.text and "网站客服" not in n.text
    assert any(r[2] == "chrome.download_notice" for r in n.removed_lines)
    assert n.text.startswith("2023区长")  # the tag's year is no part of the QQ number
    assert _fields(page)["title"] == "区长在互学互比汇报会讲话"


def test_tags_a_space_apart_before_a_title_are_no_part_of_it():
    page = NOTICE + " 2023 区长 互学互 汇报会 致辞 区长在互学互比汇报会讲话\n同志们：\n" + OPENING + "\n" + BODY + "\n"
    assert _fields(page)["title"] == "区长在互学互比汇报会讲话"


# ---------------------------------------------------------------- wrapped titles


def test_a_year_title_wrapped_over_two_lines_is_one_title():
    page = "2026年吉林\n省政府工作报告\n" + DATELINE + "\n省长 胡玉亭\n" + SPEECH
    assert _lines(page)[0] == TITLE and _fields(page)["title"] == TITLE


def test_a_title_wrapped_where_breaks_became_spaces_loses_the_space():
    """`在全区…城乡一体化 建设工作推进会议上的讲话 区委副书记、区长 孙俨玲 （2012年6月15日）` on one line."""
    page = (
        "分享到：微信 微博 在全区社会管理创新暨城乡一体化 建设工作推进会议上的讲话 区委副书记、区长 孙俨玲 "
        "(2012年6月15日)\n同志们：\n" + OPENING + "\n"
    )
    lines = _lines(page)
    assert lines[:3] == [
        "在全区社会管理创新暨城乡一体化建设工作推进会议上的讲话",
        "区委副书记、区长 孙俨玲",
        "（2012年6月15日）",
    ]
    got = _fields(page)
    assert got["meeting"] == "全区社会管理创新暨城乡一体化建设工作推进会议" and got["speaker_name"] == "孙俨玲"


def test_a_two_part_title_and_body_lines_are_not_joined_as_a_wrap():
    """A slogan title's second part keeps its space; a review heading after the salutation is no title half."""
    title = "1990年政府工作报告 为我国政治经济和社会的进一步稳定发展而奋斗"
    assert title in _lines(title + "\n" + SPEECH)
    page = SPEECH + "2025年工作\n回顾和报告\n"
    assert _lines(page)[-2:] == ["2025年工作", "回顾和报告"]


def test_a_separator_is_matched_from_its_whitespace_run_start():
    """The separator's whitespace runs are possessive and start where a run starts (a page of a million spaces took
    90 s per 0.25 MB when each of its characters restarted the run; bench/bench_normalize.py --scaling, hostile)."""
    from tasks.vocab import HEAD_SEPARATOR_RE

    assert HEAD_SEPARATOR_RE.findall("标题   |  日期 ｜来源｜ x |y") == ["   |  ", " ｜", "｜ "]
    page = "篇幅" + " " * 20000 + "|\n" + SPEECH
    assert normalize_text(page).text.startswith("篇幅")


# ---------------------------------------------------------------- heads joined a few lines at a time, PDF wraps


def test_a_bare_doc_word_tag_run_into_a_title_that_opens_with_an_office_is_cut():
    """A doc site's tags joined 2-5 lines at a time: the last tag (a bare `发言`/`致辞`) runs into a title opened by
    its speaker's office (`致辞区长在互学互比汇报会讲话`: seed 003 in bench/reflow.py's paragraphs_varied)."""
    page = "2024\n县长全县经济\n发言县长在全县经济工作会议上的讲话同志们：" + OPENING + "\n" + BODY + "\n"
    got = _fields(page)
    assert (got["title"], got["speaker_title"]) == ("县长在全县经济工作会议上的讲话", "县长")


def test_a_short_line_of_title_and_byline_is_cut_between_them():
    """`在…会议上的讲话县委副书记、县长 王立平` is under 40 characters: the byline still leaves the title."""
    page = (
        "在全县经济工作会议上的讲话县委副书记、县长 王立平\n（2023年2月1日）同志们：\n" + OPENING + "\n" + BODY + "\n"
    )
    got = _fields(page)
    assert got["title"] == "在全县经济工作会议上的讲话"
    assert (got["speaker_name"], got["speaker_title"]) == ("王立平", "县委副书记、县长")


def test_a_page_title_wrapped_inside_its_site_name_gives_the_whole_site():
    """A PDF's text wraps the <title> wherever its width falls: `…的重要讲话 - 长` / `城论坛 公益书院`."""
    page = "县长在全县城乡建设工作推进会议上的重要讲话 - 长\n城论坛 公益书院\n" + SPEECH
    assert _fields(page)["source_site"] == "长城论坛"
    whole = "县长在全县城乡建设工作推进会议上的重要讲话 - 长城论坛 公益书院\n" + SPEECH
    assert _fields(whole)["source_site"] == "长城论坛"


def _wrapped(text: str, width: int = 36) -> str:
    return "\n".join(p[i : i + width] for p in text.split("\n") for i in range(0, max(len(p), 1), width)) + "\n"


def test_a_hard_wrapped_caption_goes_whole_and_names_the_office():
    """A PDF's text at 36 characters a line: the caption's first line (`…开幕。省长胡玉` / `亭作政府工作报告。…摄`)
    goes with its signed last line, the salutation is not glued to it, and the caption gives the byline's office."""
    caption = "1月27日，吉林省第十四届人民代表大会第五次会议在长春开幕。省长胡玉亭作政府工作报告。吉林日报记者 张三 摄"
    body = "\n".join([OPENING + BODY * 3] * 4)
    page = _wrapped(f"{TITLE}\n{DATELINE}\n胡玉亭\n{caption}\n各位代表：\n{body}")
    n = normalize_text(page)
    assert "开幕" not in n.text and "\n各位代表：\n" in n.text
    got = _fields(page)
    assert (got["speaker_name"], got["speaker_title"]) == ("胡玉亭", "省长")


def test_a_salutation_run_into_the_first_paragraph_ends_the_page_title_search():
    """`各位代表！我代表国务院，…` on the first line: the speech has begun, the outline heading below it is no title."""
    page = "各位代表！我代表国务院，向大会作政府工作报告，请予审议。\n过去五年工作的基本总结\n" + BODY + "\n"
    got = _fields(page)
    assert got["title"] is None and got["doc_type"] == "政府工作报告"
    notice = "亲爱的用户：本站文档均由用户上传，仅供学习交流。\n2026年吉林省政府工作报告\n" + SPEECH
    assert _fields(notice)["title"] == TITLE


def test_a_hard_wrapped_page_stamp_goes_whole_and_keeps_its_whole_source():
    """`…来源：实习` / `报告 点击：` at 36 characters a line: the tail is no speech, and the source is read whole
    (`实习报告` is a doc site's column, no site: nothing), not as `实习`."""
    stamp = "发布时间：2021-03-25 10:08:31 作者：佚名 来源：实习报告 点击："
    body = "\n".join([OPENING + BODY * 3] * 4)
    page = _wrapped(f"{TITLE}\n{stamp}\n各位代表：\n{body}")
    assert page.split("\n")[2] == "报告 点击："
    n = normalize_text(page)
    assert "点击" not in n.text
    got = _fields(page)
    assert got["source_site"] is None and got["published_on"] == dt.date(2021, 3, 25)
    one = f"{TITLE}\n发布时间：2021-03-25 来源：人民网\n来源：新华社\n" + SPEECH
    assert _fields(one)["source_site"] == "人民网"
