"""Extraction: who spoke, in what office, where, when, at which meeting — plus tables and keywords.

Pure functions on plain data (no Prefect). `text` is the normalized speech (Simplified, Chinese
punctuation, one paragraph per line); `raw_text` and `removed_lines` carry the page chrome the
normalizer cut (发布时间, 来源, front-matter title), read for published_on / source_site / page_title.
Region resolution lives in `extract_regions`, the outline/figures/slogans/mentions in
`extract_structure`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import heapq
import itertools
import json
import math
import operator
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache, partial
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tasks import extract_regions as regions
from tasks import extract_text, vocab
from tasks.common import content_digest, save_arrays
from tasks.extract_structure import NATIONAL_OPENING_CHARS, extract_tables
from tasks.extract_text import (
    ANON_NAME,
    ANON_RE,
    DATA_DIR,
    HAN,
    LINE_MEMO_MAX_CHARS,
    LINE_MEMO_SIZE,
    OFFICE_KW,
    OFFICE_KW_RE,
    ORG_PREFIX_RE,
    ROC_EPOCH,
    SALUTATION_RE,
    YEAR_RE,
    _prefixed,
    clean_line,
    cn_int,
    find_date,
    is_byline_name,
    is_name,
    jieba_dict_digest,
    jieba_main_dict,
    make_date,
    simplify,
    simplify_lines,
    surnames,
    to_half,
    word_tags,
)

__all__ = ["document_keywords", "extract_fields", "extract_tables", "term_counts", "top_keywords"]

HEAD_MAX_LINES = 60

# ---------------------------------------------------------------- reading windows
# Each rule reads a fixed prefix (or suffix) of a text, never all of it: extraction stays linear in document size
# and a phrase deep in the body is not taken for a header. The values were set with the rules they serve; the
# figures quoted are measured on the normalized texts of the 675 accepted reports of /work/shared/corpus/real.
# The opening where a report says who delivers it to whom (`我代表…人民政府，向大会报告政府工作`,
# `我代表第十二届中央委员会向大会作报告`, `我代表国务院`): title + dateline + byline + salutation + first paragraph.
# WORK_REPORT_BODY_RE matches by character 1,040 in all 578 reports it matches, PARTY_REPORT_RE by 86,
# NATIONAL_SELF_RE by 424.
OPENING_CHARS = 3000
# Removed photo captions / HTML comments searched for the speaker's office: pages carry one or two at the top.
CAPTION_LINES = 3
# The salutation (`各位代表：`) and the opening paragraph that names the report (`向大会报告`) or the meeting
# (`在…会议上`); an NPC resolution's name and opening sentence. 99% of the 636 reports with 各位代表 have it by
# character 1,145; 向大会报告 by 951.
OPENING_PARA_CHARS = 1500
# Title + dateline + salutation only: `政府工作报告` / `各位代表` / `同志们` here type the document; deeper they are
# quoted in the body.
DOC_TYPE_HEAD_CHARS = 400
# A press conference's question names the report it asks about (`新华社记者：总理您好，今年政府工作报告提出…`): a
# transcript's turn, not the head of a government work report.
# a reporter's turn: `新华社记者：`, `问：`, and the bracketed turns of live text (`[新华社记者]总理，您好`, session 46);
# a byte the copy lost (`中国日\ufffd和中国日\ufffd网记者：`, U+FFFD for 报: session 54's fresh transcript) is part of the outlet
PRESS_TURN_RE = re.compile(
    rf"(?m)^\s*(?:(?:[{HAN}A-Za-z·\ufffd]{{0,16}}(?:记者|主持人|发言人)|问)\s*[:：]"
    rf"|[【\[](?:[{HAN}A-Za-z·]{{0,16}}(?:记者|主持人|发言人)|问)[】\]]).*$"
)
# `同志们：` opening a party speech or congress report comes right after its title and dateline.
PARTY_SALUTATION_CHARS = 800
# A news report of a congress names the report the deputies heard (`大会听取并审议通过了…镇人民政府工作报告`, `认真听取镇长…
# 向大会作的…政府工作报告`): its head is no report's head (2 of the 53 held-out pages, g1, were typed 政府工作报告 so).
REPORT_HEARD_RE = re.compile(
    r"(?:听取|审议|通过|讨论)[^。；！？\n]{0,40}?政府工作报告"
    # and a clause telling in the third person who delivered it (`县人民政府县长龚德汉向大会作政府工作报告。`, a county
    # news item of its congress's opening, session 49's fresh pages): the news of the report. The clause must name its
    # subject, with no 我 (`我代表县人民政府向大会作政府工作报告` is the report's own opening).
    r"|(?:^|(?<=[，,。；！？\n]))[^，,。；！？\n我]{2,30}?向大会(?:作|做)了?《?政府工作报告"
)
# `我代表…人民政府，向全省各族人民…致以…感谢` closes a report's review part: latest at character 16,660 (354 reports).
GOV_THANKS_CHARS = 30000
# 全区/全县/全市/全省/我国 are counted in the review part, where a report speaks of its own jurisdiction; the rest of a
# long report adds cost, not signal.
KIND_COUNT_CHARS = 20000
# The plan heading (`2019年主要目标任务`) after the review part: latest at character 16,252 (423 reports).
PLAN_SECTION_CHARS = 30000
# The review heading (`2018年工作回顾`) opens the body: latest at character 296 (382 reports).
REVIEW_HEADING_CHARS = 5000
# A national report names the congress it addresses or looks back to (`第六届全国人民代表大会第一次会议`): the first
# mention in the 143 national reports is at most at character 19,734.
SESSION_MENTION_CHARS = 40000
# `去年9月第五届全国人民代表大会…`: 去年 within the 12 characters before a congress name (a month and day fit).
LAST_YEAR_GAP = 12
# The year a report speaks in is read from its first 60,000 characters: the longest report has 56,564.
TEXT_YEAR_CHARS = 60000
# 国务院 / 中央人民政府 in the opening marks a national report, dated by the congress session it addresses.
STATE_ORGAN_CHARS = 5000
# With no salutation, a head keeps at most 10 short lines (title, byline, dateline, source); more is body.
HEAD_SHORT_LINES = 10
# A kept header line is found again in the text by its first 20 characters (unique within a head).
LINE_PROBE_CHARS = 20
# A date right after a byline name: `二〇二四年十二月三十一日` (12 characters) and a separator or two.
NAME_DATE_CHARS = 14
# A place right after a breadcrumb's title (`省政府工作报告陕西省2026年…`), as INNER_TITLE_RE's lookahead allows (2-12
# characters before 省/市/县…): a prefecture name such as `克孜勒苏柯尔克孜自治州` (11) fits.
INNER_PLACE_CHARS = 12
# A page title with its site suffix (`…的重要讲话 - 嘉峪关论坛`) opening a page that lost its line breaks.
SITE_TITLE_CHARS = 200
# Page chrome above a speech (发布时间, 来源, breadcrumbs) is read in the raw page's first 4,000 characters and 60
# lines, chrome below it (来源, 责任编辑) in the last 1,500 characters and 15 lines.
RAW_HEAD_CHARS = 4000
RAW_HEAD_LINES = 60
RAW_TAIL_CHARS = 1500
RAW_TAIL_LINES = 15
# Chrome the normalizer kept (`来源：…` above the title) is read in the text's first 2,000 characters.
TEXT_CHROME_CHARS = 2000
# An NPC resolution is a page or two: its adoption (`决定批准这个报告`) falls within 6,000 characters, and its name
# is one of its first 12 lines or header spans.
RESOLUTION_CHARS = 6000
RESOLUTION_HEAD_LINES = 12

# ---------------------------------------------------------------- title / doc_type
# Greetings titled by their own word (`新春献词`, `市长欢迎词`, `致闭幕词`, Traditional `致詞` as `致词`) and keynotes
# (`…发表主旨演讲全文`): 9 of the 53 held-out pages (g1) had such a title and took a chrome line as title instead.
DOC_END = (
    r"(?:重要讲话|讲话稿|讲话材料|讲话提纲|讲话|致辞|致词|贺词|献词|开幕词|闭幕词|欢迎词|答谢词|祝酒词|主旨演讲|演讲|演说"
    r"|祝酒辞|祝词|祝辞|贺辞|献辞|开幕辞|闭幕辞|欢迎辞|答谢辞|悼词|悼辞|贺信|慰问信|一封信"
    r"|政府工作报告|工作报告|报告|发言稿|表态发言|发言|总结|主持词|串联词|串词|决议|讲稿|谈话|致训|训词)"
)
# a note after the title, before or after `全文`: `（附图/短片）`, `致辞全文（只有中文）`, `致辞（全文）`
TITLE_LINE_RE = re.compile(
    rf"^[^。；！？]{{3,80}}?{DOC_END}(?:[（(][^）)]{{0,30}}[）)])?(?:[(（]?全文[)）]?)?(?:[（(][^）)]{{0,12}}[）)])?$"
)
# A page title's site suffix: a site word (`- 百度文库`, `_中国政府网`) or an organ's own site (`- 中华人民共和国财政部`,
# `_北京市人民政府门户网站`, `- 广州市人民政府`: ministries' and governments' pages are titled so). A match starts only
# where a run of separators (or the spaces before it) starts: a title of 50,000 dashes is read in linear time (every
# start inside the run re-read the rest of it: 0.76 s at 5,000 characters, quadratic).
SITE_SUFFIX_RE = re.compile(
    r"(?<![\s\-_|｜—–])\s*(?:[-_|｜—–]+\s*|——)([^-_|｜]{2,20}?(?:网|論壇|论坛|網|网站|文库|站|社区|频道|文档|报)"
    r"|中华人民共和国[^-_|｜\s]{2,14}|[^-_|｜\s]{2,14}?人民政府(?:门户网站)?)(?:\s.*)?$"
)
DOC_TYPES = (
    ("政府工作报告", "政府工作报告"),
    (
        "政府工作的报告",
        "政府工作报告",
    ),  # `关于政府工作的报告` (周恩来, 1954: the State Council's first report's own title)
    ("工作报告", "报告"),
    ("致辞", "致辞"),
    ("贺词", "致辞"),
    ("致词", "致辞"),
    ("献词", "致辞"),
    ("开幕词", "致辞"),
    ("闭幕词", "致辞"),
    ("欢迎词", "致辞"),
    ("答谢词", "致辞"),
    ("祝酒词", "致辞"),
    # the same greetings written with 辞 (`…欢迎宴会上的祝酒辞`, Xinhua 2019) and a president's `国庆祝词`/`元旦祝词`
    # (president.gov.tw): session 46's search-tool pages had no type and a wire dateline for title
    ("祝酒辞", "致辞"),
    ("祝词", "致辞"),
    ("祝辞", "致辞"),
    ("贺辞", "致辞"),
    ("献辞", "致辞"),
    ("开幕辞", "致辞"),
    ("闭幕辞", "致辞"),
    ("欢迎辞", "致辞"),
    ("答谢辞", "致辞"),
    # a eulogy read at a memorial (`局長的悼詞`, `…追悼会悼词`): the ceremony's address, as its 贺词 and 答谢词 are
    # (session 59's fresh pages were untyped, one dated by the death its second example reports)
    ("悼词", "致辞"),
    ("悼辞", "致辞"),
    # a greeting or a letter of sympathy read to its audience (`新春贺信`, `八一建军节政府代表慰问信`, m9): an address
    ("贺信", "致辞"),
    ("慰问信", "致辞"),
    ("演讲", "讲话"),
    ("演说", "讲话"),
    ("发言", "发言"),
    ("主持词", "主持词"),
    ("开场白", "主持词"),  # `主持会议的开场白`: the chair's opening words
    # a gala's or a ceremony's host script, its acts linked by the host's words (`春节联欢晚会串词`, `…串联词`): the
    # 主持词 of a show (session 54's fresh pages: typed 讲话 by its `各位观众朋友们，大家好！`)
    ("串联词", "主持词"),
    ("串词", "主持词"),
    ("决议", "决议"),
    ("讲话", "讲话"),
    ("讲稿", "讲话"),
    # a president's or leader's address titled by its occasion (`蔡總統國慶談話全文`, CNA; `新年谈话`): a 讲话
    ("谈话", "讲话"),
    # the ROC era's addresses to the nation or to officials (`蔣主席…對全國同胞致訓`, `…训词`)
    ("致训", "讲话"),
    ("训词", "讲话"),
    ("政治报告", "党代会报告"),
    ("总结", "总结"),
    # a party lecture (`…大会上的专题党课`, `专题党课讲稿`): delivered by a leader to members, a 讲话 (session 52)
    ("党课", "讲话"),
    ("报告", "报告"),
    # `…工作汇报`, `…情况汇报`: a report to a superior organ or meeting (a government's, `我代表…政府…向大家汇报`, is read
    # from the body below)
    ("汇报", "报告"),
)

# Documents an organ issues (national or local), typed by their title's last word (`中共中央 国务院关于…的意见`,
# `国务院关于印发《…》的通知`, `中共中央关于…的决定`, `…全体会议公报`, `…第十四个五年规划和2035年远景目标纲要`,
# `中国共产党纪律处分条例`): no 讲话, so an analyst filtering speeches leaves them out. Only the title's end decides
# (a speech title naming one, `学习贯彻《条例》的讲话`, ends in 讲话); 决议 is in DOC_TYPES already.
ISSUED_DOC_TYPES = ("意见", "通知", "决定", "公报", "规划", "纲要", "条例")
# 意见, 通知 and 决定 end an issued document's title as `关于…的意见`, `…实施意见`, `紧急通知`; a news headline ends in them
# as an object (`省长…分赴各设区市征求对政府工作意见`, a held-out news page, k3, typed 意见)
ISSUED_AS_PHRASE = ("意见", "通知", "决定")
ISSUED_PHRASE_RE = re.compile(r"关于|(?:的|》|实施|指导|若干|补充|紧急|暂行|处理|联合)(?:意见|通知|决定)$")
# A news headline announcing a meeting held (`中央经济工作会议在北京举行 习近平发表重要讲话`, `…全会在京召开`): the
# meeting's communiqué (新华社 通稿), which reports the speech in the third person — a 公报, not the 讲话 it names.
MEETING_HELD_TITLE_RE = re.compile(
    r"(?:会议|全会|大会)在[^，。\s]{1,6}(?:隆重)?(?:举行|召开|开幕|闭幕)|(?:会议|全会)(?:举行|召开)(?=\s|$)"
)
# Only a central meeting's release is that communiqué (`中央经济工作会议…`, `中国共产党第二十届中央委员会第三次全体会议…`,
# `十九届五中全会…`, `全国…会议`, `国务院…`): a local paper's `全市县(区)委书记座谈会暨…工作会议召开` over `9月26日下午，…
# 会议召开。市委书记杨某主持会议并讲话` is its news report, as `…主持召开…` is (the search tool's pages, session 46: 公报
# for one headline verb, 新闻报道 for the other).
CENTRAL_MEETING_TITLE_RE = re.compile(
    r"^(?:中共中央|中央|全国|国务院|中国共产党第|第[一二三四五六七八九十]{1,3}届(?:全国|中央))"
    r"|中央委员会|[一二三四五六七八九十]中全会"
)
# A news genre named at the headline's end (`…大会发言侧记`, `…开幕会侧记`, `…综述`, `…纪实`): the report of the meeting,
# never the 发言 or 讲话 its headline names (session 46: a 侧记 whose headline held 发言 was typed 发言).
NEWS_GENRES = ("侧记", "综述", "纪实", "特写", "花絮", "速写", "手记", "见闻", "札记")


def _genre_title(t: str) -> bool:
    """A headline ending in a news genre's word (NEWS_GENRES): read at its end only, on a title of any length."""
    return t.endswith(NEWS_GENRES)


# a breadcrumb taken for the title (`当前位置: 学院首页 >> 通知公告 >> 正文`) over a genre headline yields to it
BREADCRUMB_TITLE_RE = re.compile(
    r"^\s*(?:当前位置|当前页面|当前栏目|您的位置|你的位置|您现在的位置|所在位置|(?:您|你)?当前所在的?位置)\s*[:：]"
)
GENRE_TITLE_LINE_RE = re.compile(r"^[^。！？]{6,80}$")  # a headline's length, no sentence end
# A news headline whose report word is an object (`…会议开幕 代表热议政府工作报告`, `…审议政府工作报告`): the news
# of the report, not the report (session 46: a county paper's report of its congress was typed 政府工作报告).
# A headline whose last word, a report, is what a session hears (`…并开始听取关于第一个五年计划的报告`, the 1955 NPC
# session's opening news on scopsr.gov.cn, session 49's fresh pages; `市人大常委会听取市政府关于…的报告`): the news of
# the hearing, never the report, which its title's 报告 made it. A report's own title names no hearing.
# Only 听取 (hearing): `…草案审议结果的报告`, `…的审查结果报告` are committees' own reports.
HEARD_REPORT_TITLE_RE = re.compile(r"听取(?:了|和审议了?|并审议了?)?(?:关于)?[^，。；！？\s]{0,40}?报告$")
NEWS_OBJECT_TITLE_RE = re.compile(
    r"(?:热议|审议|讨论|听取|解读|征求|传达|点赞|聚焦|盘点|畅谈)了?《?[^，。\s的《》]{0,12}?》?" + DOC_END + "$"
)

# A news page's lead dates the event by month and day only (`新华社北京1月19日电 国务院总理李强1月19日主持召开国务院
# 常务会议`, `3月11日，十四届全国人大二次会议…举行记者会`, `中央经济工作会议12月11日至12日在北京举行`, `…李强13日上午
# …出席记者会`: the month from the agency's dateline): a month-day followed in its clause by the meeting's verb.
NEWS_DATELINE_RE = re.compile(r"^[^\s，。]{2,12}?(?P<m>\d{1,2})月(?P<d>\d{1,2})日电")
# A wire's month or day in Chinese numerals (`中新社澳門九月二十四日電`, `【中新社澳門二十日電】`): China News Service's
# copies of the 2000s and Macau dailies write them so (session 50 left them; 3 of this round's fresh pages)
CN_DAY = r"[一二三四五六七八九十]{1,3}"
DAY_NUM = rf"(?:\d{{1,2}}|{CN_DAY})"
NEWS_LEAD_DATE_RE = re.compile(
    r"(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})(?:日|(?=[上下]午))(?:至(?:\d{1,2}月)?\d{1,2}日)?"
    # the weekday and the clock after the day (`2022年10月18日(星期二)下午15:00，…举办第一场集体采访`: this round's fresh
    # press page was undated for them)
    r"(?:[（(]星期[一二三四五六日天][）)])?(?:上午|下午|晚间|晚上|晚)?(?:\d{1,2}[:：]\d{2})?，?"
    r"[^，。；\n]{0,30}?(?:主持召开|召开|举行|举办|出席|开幕|闭幕)"
)
# A copy's credit to its source before the lead (`据新华社北京电(记者 杨维汉 林晖)`, `据黔东南日报消息 `): no date of its own
ATTRIBUTION = r"据[^\s，。（(]{2,16}?(?:电|消息|报道)(?:\s*[（(][^）)\n]{0,30}[）)])?\s*"
ATTRIBUTION_RE = re.compile(ATTRIBUTION)
# A lead's day: `26日`, and a typo's `4下午` (`3月4下午，…`: 日 dropped before the time of day; session 49 left it)
# and a Taiwanese or spoken `17號` (`11月17號，…`: the month-day leads read 日 only; session 49 left it)
LEAD_DAY = r"\d{1,2}(?:日|号|(?=[上下]午))"
LEAD_MONTH_DAY_RE = re.compile(rf"\d{{1,2}}月{LEAD_DAY}")
NEWS_OPENING_DAY_RE = re.compile(
    r"(?P<m>\d{1,2})月(?P<d>\d{1,2})(?:日|号|(?=[上下]午))(?:上午|下午|晚间|晚上|晚)?[，,]"
)
# A news lead's day alone (`30日新春開工首日，台中市長…`, under the reporter's mark): in the page date's month or the one
# before, never more than WIRE_YEAR_DAYS before the page (session 50's fresh pages: a dated page, an undated lead)
LEAD_DAY_ONLY_RE = re.compile(
    r"^(?:[【\[（(][^】\]）)\n]{0,30}[】\]）)]\s*)*(?:(?P<d>\d{1,2})日(?![电讯])[^，。\n]{0,12}[，,]"
    # the subject before its day, the act after it (`彰化縣鹿港鎮公所31日舉行新春團拜`, `國務院總理溫家寶18日下午在人民
    # 大會堂與…舉行會談`: this round's fresh pages were undated for it); a subject may hold its term's number
    # (`南投縣第19屆縣長宣誓就職及交接活動25日在文化局演藝廳舉行`: session 56's fresh page, undated)
    r"|[^，。\n]{2,24}?(?<![\d月])(?P<d2>\d{1,2})日(?![电讯])(?:上午|中午|下午|晚上|晚间)?[^，。\n]{0,24}?"
    r"(?:举行|出席|主持|召开|会见|会谈|接见|前往|视察|参加|率领|率团))"
)
# One sentence of background before the lead's month-day (NEWS_MARK_RE allows it too): `根据市委部署，…进行换届。8月12日上午，`
LEAD_BACKGROUND_CHARS = 41
LEAD_BACKGROUND_RE = re.compile(
    # …or the quote (`“我自任职以来，…”5月13日，`) or the scene-setting clauses (`金秋送爽，丹桂飘香，9月4日，`) NEWS_MARK_RE
    # lets a lead open on (session 54)
    rf"(?:[^。\n]{{4,40}}。|“[^”\n]{{4,160}}?”|(?:[^，。\n\d]{{2,8}}[，,]){{1,3}})(?=\d{{1,2}}月{LEAD_DAY})"
)
LEAD_SCENE_CHARS = 27  # three scene-setting clauses of up to 8 characters and their commas
# A lead's month-day more than half a year after the page's date is of the year before (a January page on a December
# meeting); one a few days after it contradicts the page and dates nothing.
NEWS_ROLLBACK_DAYS = 183
NEWS_LEAD_LINES = (
    3  # the lead is the first body line; a deck (`李强作总结讲话 赵乐际…出席会议`) or title may precede it
)
# Lines above the lead that are no sentence — a section label, a breadcrumb, the headline, a stamp (`政协要闻`, `区政协召开
# 六届十九次常委(扩大)会议`, `发稿时间:2025-07-03`) — do not use up NEWS_LEAD_LINES: a county portal's lead stood fifth
# under four of them and the page was untyped and unnamed (session 50's fresh pages; session 49 left `a lead behind 4+
# chrome lines`). At most LEAD_SCAN_LINES lines are read whatever they hold.
LEAD_SCAN_LINES = 10
LEAD_CHROME_MAX = 40  # characters: a chrome line or headline without a comma or full stop (a lead sentence is longer;
# link bars like `更多》…` run to 40 on session 50's county news pages)
# `主持召开国务院常务会议`, `主持召开中央财经委员会第四次会议`: the meeting a news lead reports
# a paper's or site's news mark and the day right after it (`本网讯1月10日上午`, `随州日报讯（记者 某某）3月5日，`,
# `新京报快讯（记者 王姝）3月15日上午`: session 55)
NEWS_XUN_DAY_RE = re.compile(
    r"^(?:[^\s，。]{0,12}?(?:报|网|台|社)快?|本报[^\s，。（(]{1,6}?)(?:讯|消息\s*[:：])\s*(?:[（(][^）)\n]{0,30}[）)])?\s*(?:(?P<m>\d{1,2})月)(?P<d>\d{1,2})日"
)
# the year a dateless lead states for the meeting it reports (`召开2016年度党委工作会`, `举行2024年全县经济工作会议`)
LEAD_MEETING_YEAR_RE = re.compile(r"(?:召开|举行|开展|组织)了?(?P<y>(?:19|20)\d{2})\s*年度?")
# the year in the name of the event the lead's sentence holds (`9月1日，重庆南开中学2023年秋季开学典礼隆重举行。`: session 54's
# fresh item was undated), read in the lead's first sentence only
LEAD_EVENT_YEAR_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年[^，。；\n\d]{0,20}?(?:会议|大会|会|典礼|仪式|活动|晚会|比赛)"
    r"[^，。；\n]{0,20}?(?:隆重|正式|顺利)?(?:举行|召开|开幕|举办)"
)
LEAD_EVENT_YEAR_CHARS = 80
# a meeting that reviews the year it names, held in the next one (`2015年度总结表彰大会`, `年度考核述职会`)
REVIEW_MEETING_RE = re.compile(r"[^，。；\n]{0,12}?(?:总结|表彰|述职|考核|评议|颁奖)")
NEWS_LEAD_MEETING_RE = re.compile(r"主持召开(?P<meeting>[^，。；\s]{2,24}?会议)(?=[，。；\s]|$)")

# A text delivered in the first person: a news headline over it (`十四届全国人大二次会议在京开幕`, then `各位代表：现在，
# 我代表国务院…`) heads the report, not a communiqué.
DELIVERED_OPENING_RE = re.compile(r"各位代表|同志们|我代表|女士们|朋友们")

# A line that is never a title: a salutation, an outline heading, a dateline or meeting line, a body sentence.
OUTLINE_HEAD_RE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}\s*[.．、](?!\d)"
    r"|第[一二三四五六七八九十]+(?:章|节|部分|条|篇)|[一二三四五六七八九十]是)"
)
DATELINE_RE = re.compile(r"^(?:[—\-─–－―]{1,3}|[（(]\s*(?:\d{4}|[〇零○一二三四五六七八九]{4})\s*年)")
FOOTNOTE_RE = re.compile(r"\[\^?\d{1,3}\]")
# NPC resolutions: `第十四届全国人民代表大会第二次会议听取和审议了国务院总理李强所作的政府工作报告。…决定批准这个报告`
RESOLUTION_RE = re.compile(
    rf"^(?P<meeting>[{HAN}]{{0,16}}?第[一二三四五六七八九十]+届(?:全国)?人民代表大会(?:常务委员会)?第[一二三四五六七八九十]+次会议)"
    rf"(?:听取|审议)[^。]{{0,60}}?(?:所作|作)的\s*(?P<report>[{HAN}、“”]{{2,40}}?报告)"
)
RESOLUTION_NAME_RE = re.compile(
    rf"^[{HAN}]{{0,16}}第[一二三四五六七八九十]+届(?:全国)?人民代表大会[{HAN}]{{0,12}}会议关于[^。，]{{2,40}}的决议$"
)


# A photo caption run into the head: `省长赵刚作政府工作报告` (office, name, 作 — a title puts the name first). The
# "name" must be one: `全国人民代表大会常务委员会工作报告` is 委员 + `会工` + 作 (the title of every people's congress
# standing committee's and CPPCC committee's work report, national and local).
CAPTION_RE = re.compile(rf"^[^在的]{{0,16}}?{OFFICE_KW}[ \u3000]?(?P<name>[{HAN}]{{2,3}})(?:同志)?作")


# A portrait's caption over a news copy: a name and its picture's source (`朱善璐(現代快報圖)`, `某某（新华社发）`, session 58's
# fresh pages took it for the title); a headline's own `（图）` (it has photos) follows a whole headline, never a name alone.
PHOTO_CREDIT_LINE_RE = re.compile(rf"[{HAN}]{{2,4}}\s*[（(][^（()）]{{2,12}}(?:图|摄|发)[)）]")


def _is_caption(t: str) -> bool:
    m = CAPTION_RE.search(t)
    return bool(m and is_byline_name(m.group("name")))


# A title's trailing note on how much of the text the page gives (`政府工作报告（全文）`, `李强总理答中外记者问(全文)`,
# `…讲话（摘要）`, `…讲话全文`): the site's, never the document's title.
TEXT_NOTES_MAX = 3  # notes stacked at a title's end: `全文`, then info.gov.hk's two (`致辞全文(只有中文)(附图/短片)`)
TEXT_NOTE_TAIL = 16  # characters: the longest note (`（图文实录）`) with the spaces before it, or info.gov.hk's two
# notes (`(只有中文)(附图/短片)`, 12)
# info.gov.hk's press-release notes on what the release carries (`行政长官国庆酒会致辞(附图/短片)`, `…致辞全文(只有中文)`;
# the last one may be cut at the page's width: `…(只有中文)(附图/短片`): the site's, never the speech's title
# (session 47 left them in 4 of this round's 30 fresh pages' titles)
HK_RELEASE_NOTE = r"[（(](?:附图|附短片|附图/短片|附图及短片|只有中文|只有英文)(?:[）)]|$)"
TEXT_NOTE_SUFFIX_RE = re.compile(
    r"\s*(?:[（(【\[](?:附)?(?:全文|摘要|节选|摘登|实录|全文实录|文字实录|图文实录|图文直播)[）)】\]]"
    rf"|(?:{HK_RELEASE_NOTE}\s*)+"
    # …and a release's day in words after it (`…开幕典礼致辞全文(十月四日)`: an archive's copy of info.gov.hk, session 57)
    r"|[（(][一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日[）)]"
    r"|(?<=[告话辞言见定知报问])(?:全文|实录|全文实录))$"
)


TEXT_NOTE_PREFIX_RE = re.compile(r"[（(【\[](?:现场|图文|文字|全文)?实录[）)】\]]\s*(?=\S)")


# A head line wholly in brackets is an editor's note on the text (`（摘要）`, `（本文有删节）`, `（根据录音整理）`,
# `(译自…档案俄文稿)`) or a dateline, never the title: a page whose only other head line is the body took it as title.
EDITORIAL_NOTE_RE = re.compile(r"[（(【\[][^（）()【】\[\]]{1,40}[）)】\]]")


# A font-size bar's words, whole or a piece of one (`还原减小】`, `中小】`: a head joined a few lines at a time cuts the
# bar anywhere, and the normalizer records a bar it rejoined under its first line only): never a title.
PRESS_BANNER_RE = re.compile(r"新[闻聞](?:公[报報]|稿|[发發]布)")
# A government site's link bar over a release (info.gov.hk: `寄給朋友政府主網頁`, `簡體版 英文版 寄給朋友`): the page's
# tools, never its title (session 49's fresh pages: 1 of 22 dev pages had it for title). Whole lines of these words only.
LINK_BAR_RE = re.compile(
    r"(?:[\s|｜]*(?:寄给朋友|政府主网页|政府新闻网|简体版|繁体版|英文版|打印本页|打印|关闭窗口|加入收藏"
    # a forum's account links (`免費註冊` / `忘記密碼` over a Discuz thread: session 60's fresh pages took one for the title)
    r"|免费注册|立即注册|忘记密码|找回密码))+\s*"
)
# A menu's item set as a bullet (`• 馆内`, `• 馆际`, hk01's `• 正報`): a short word after the bullet, no title
# (session 49's fresh pages: a library's page titled `• 馆内`; session 48's `• 正報`). Up to BULLET_ITEM_MAX characters.
BULLET_ITEM_MAX = 8  # a menu entry's words (`馆际`, `站内`, `正報`); a bulleted headline is longer
BULLET_ITEM_RE = re.compile(rf"[•▪●◆■►▶◦‣∙]\s*\S{{1,{BULLET_ITEM_MAX}}}")
# A page's date alone on its line, in any year form: a Taiwanese site's ROC year (`88年02月24日`, `114年01月13日` over
# president.gov.tw's releases), which find_date does not read as a date: the day the page was posted, never its title.
DATE_ONLY_LINE_RE = re.compile(
    r"(?:民国)?\d{2,4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?(?:\s*(?:星期|周)[一二三四五六日天])?"
)
# …and the page tools beside them (`【字号】【收藏】【打印】【关闭`: a school site's copy of a Xinhua item; this round's fresh
# pages took it for the title, over the item's `…见面侧记` headline)
TOOLBAR_WORDS_RE = re.compile(
    # …and a back-to-top link (`回到頂端` over a portal's headline: session 61's fresh yam.com page took it for the title)
    r"(?:[【】\[\]|｜\s]*(?:(?:字号|字体)[:：]?|加大|还原|减小|默认|[大中小]|收藏|打印|关闭|纠错|(?:回到|返回)(?:顶端|顶部)))+"
    r"[【】\[\]|｜\s]*"
)


# A report's first section heading, on a copy that starts at `各位代表：` (no title line): `2009年工作回顾`,
# `过去五年工作回顾`, `2024年工作总结` — never the report's title (it names the year before the report's).
REVIEW_HEADING_RE = re.compile(
    r"^(?:(?:\d{4}|[〇零○一二三四五六七八九]{4})\s*年|过去(?:一|五)年|本届政府|[“”\"]?十?[一二三四五六七八九十]{1,2}五[“”\"]?时期)"
    r"(?:的)?(?:主要)?(?:工作)?(?:回顾|总结)$"
)


# A title has Han characters: a head line with under two (`• <ul id="wsmey"></ul>`, `ad9_210*60`, `???`, `0`) is the
# page's markup or counters (pages from the search tool's store, session 46, took each as the title). Counted in the
# line's first TITLE_MIN_HAN_SCAN characters (linear, and a title's Han come early).
TITLE_MIN_HAN_SCAN = 40
# a paginated copy's page list (`【 第1页 第2页 第3页 … 第10页 】`, crntt), its line joined with the breadcrumb above it
PAGER_RE = re.compile(r"第\s*\d{1,3}\s*页\s*第\s*\d{1,3}\s*页")
# a site's address run on after the title (`全国政协十届五次会议开幕http://www.sina.com.cn`)
TITLE_URL_TAIL_RE = re.compile(r"\s*https?://[!-~]*$")


# A news site's section label over the headline (`即時港聞`, `地方新聞`, udn's dated `快訊`): the section, never the title
# (2 of this round's 22 fresh dev pages had it for title, 2 more a dated flash label).
CHANNEL_LABEL_RE = re.compile(
    r"^(?:\S{0,6}\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*)?[^\s，。:：|｜]{0,4}"
    r"(?:新闻|港闻|澳闻|要闻|快讯|速报|即时|头条)[:：]?$"
)
# A reporter's byline spaced instead of slashed (`大众网·海报新闻记者 李江峰 东营报道`: session 59's fresh pages): the
# outlet, 记者, a name and the place it reports from, no sentence in it
SPACED_BYLINE_RE = re.compile(r"^[^，。！？\s]{0,16}记者\s+[^，。！？]{2,24}?\s+\S{1,8}(?:报道|报导)$")
# A clock after a headline (`…发表《施政报告》 (17:15)`): when the site posted it
TITLE_CLOCK_TAIL_RE = re.compile(r"\s*[（(]\d{1,2}:\d{2}[）)]$")
# The reporters' credit run on after a headline (`…開幕典禮記者:何梅娟 邱 水文`, tnews.cc: session 59's fresh pages): who
# wrote it, never part of the title
TITLE_REPORTER_TAIL_RE = re.compile(
    rf"(?<=\S{{5}})\s*记者\s*[:：]\s*[{HAN}]{{1,4}}(?:[\s、，,]+[{HAN}]{{1,4}}){{0,3}}\s*$"
)


# A table of contents' label over its headings (wm114's `目录/提纲:……`, a doc's `目 录`): never the title
TOC_LABEL_RE = re.compile(r"^(?:目\s*录|提\s*纲|目录\s*/\s*提纲)\s*[:：]?\s*[…\.。·]*$")


# A site's phone line (`全国免费热线：400-9913-666`, `咨询电话: 0571-88888888`): a label, a colon and the number alone;
# a scenic site's notice (yunwushan.cn, session 53's fresh pages) was titled by it over its headline.
CONTACT_LINE_RE = re.compile(
    r"[^\d:：]{0,12}(?:热线|电话|客服|传真|手机|联系方式)[^\d:：]{0,6}[:：]\s*[+(（]?\d[\d\-－—()（）\s]{6,}"
)


# An accessibility skip link at a page's top (`按Enter到主內容區` over .gov.tw pages, info.gov.hk's `跳至主要內容`, sina's
# `跳转到正文内容`): the page's keyboard shortcut, never its title (session 55's fresh pages: a kmdn.gov.tw item was
# titled `按Enter到主内容区`).
SKIP_LINK_RE = re.compile(
    r"^(?:按\s*enter\s*键?|跳转?)(?:到|至)?(?:主要内容|主内容区?|正文内容?|内容区|路径导航栏?|导航栏?)$", re.I
)
# A disclosure page's metadata grid read as lines (zhq.gov.cn: `文号 索引号 关键词` / `主题分类 基本信息 体裁分类 服务对象`
# above the headline; session 55's fresh pages): a cell's label opening the line, then a space or a colon — no
# headline opens on one.
INFO_LABEL_LINE_RE = re.compile(
    r"^(?:索引号|文号|发文字号|主题分类|组配分类|体裁分类|信息分类|发布机构|发文机构|生成日期|成文日期|发文日期"
    r"|公开方式|公开范围|服务对象|主题词|关键词"
    # a city's press release labels (`發稿單位:新聞及國際關係處 發稿時間:110年1 月1日 11:30 發稿人員:…`: tnews, session 60)
    r"|发稿单位|发稿时间|发稿人员)(?:\s|[:：])"
)


# A page widget's line above the headline (session 57's fresh pages took each for the title): a view counter (`人气: 2`,
# epochtimes), a reading-time note (`本篇文章572字,读完约1分钟`), a photo's file name (`0101004台南元旦升旗.jpg`, a
# blog's image without its caption) and a logo's alt text (`台灣新聞網(Logo-image) 台灣新聞網(Logo-text)`).
PAGE_WIDGET_LINE_RE = re.compile(
    r"^(?:人气|点击|点击数|点击量|浏览|浏览量|浏览次数|阅读|阅读量|阅读数)\s*[:：]\s*\d*$"
    r"|^本篇?文章?共?\d+字[，,]?\s*(?:读完|阅读)(?:约|需要?)?\d+分钟$"
    r"|^\S{1,40}\.(?:jpe?g|png|gif|webp|bmp)$"
    r"|[（(]Logo-(?:image|text)[）)]"
    # a flipbook's page header over its page (`Page 331 - 疫情防护指南_Neat`: flipbuilder, session 60's fresh pages)
    r"|^Page\s*\d+\s*-\s"
    # a video player's loading notice (`视频加载中...` over xiziyuan's item: session 59's fresh pages)
    r"|^(?:视频)?(?:正在)?加载中?\s*[，,]?\s*(?:请稍候)?\s*(?:\.{3}|…{1,2})?$",
    re.I,
)


# A photo caption's mark (`△北京小学校长李明新在开学典礼上讲话`, `▲圖說:…`) and a breadcrumb of chevrons (`dsblog.net 资讯 »
# 企业动态 » 金科伟业2020年会海阳分会(之二)召开`, the headline repeated below it): no title (session 60's fresh pages took each).
CAPTION_MARKS = frozenset("△▲")
CHEVRON_CRUMBS_RE = re.compile(r"^[^»]{1,30}»[^»]{1,30}»")
# A forum poster's handle on its line (`記者 097202` over a Discuz thread's post): no title
# …and a photo's caption credited to its photographer (`台中市长卢秀燕（中）率…拜晚年（记者梁金源摄）-正声新闻`)
PHOTO_SHOT_RE = re.compile(r"[（(](?:记者|摄影)[^（()）]{1,12}摄[）)]")
POSTER_HANDLE_RE = re.compile(r"^(?:记者|作者|楼主|发帖人)[\s:：]*[A-Za-z0-9_\-]{2,20}$")


# A reference entry's source and a portal's trending searches, labelled, above the page's title (session 61's fresh pages)
SOURCE_LABEL_LINE_RE = re.compile(r"(?:出处|热门|热搜|热门搜索)\s*[:：]")


TITLE_DATE_PREFIX_RE = re.compile(r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s*[-_－–]\s*(?=[^\W\d_])")


def is_junk_title(line: str) -> bool:
    """Salutations (`各位代表:`), outline headings (`一、去年`), datelines, bylines and body sentences."""
    t = line.strip()
    if len(t) < 3 or SALUTATION_RE.match(t) or t.startswith(("各位代表", "同志们", "现在", "我代表")):
        return True
    if len(vocab.HAN_RE.findall(t[:TITLE_MIN_HAN_SCAN])) < 2 or PAGER_RE.search(t):
        return True  # markup, an ad slot or `???` left of the page's head; a page list `【 第1页 第2页 … 】`
    if OUTLINE_HEAD_RE.match(t) or DATELINE_RE.match(t) or TOOLBAR_WORDS_RE.fullmatch(t) or REVIEW_HEADING_RE.match(t):
        return True
    if "。" in t or t.endswith(("，", "、", "的", "：", ":", "了")) or (len(t) > 40 and "，" in t):
        return True
    found = find_date(t)
    if found and found[1] <= 2 and ("在" in t[found[2] : found[2] + 3] or len(t) - found[2] <= 2):
        return True  # `2000年1月20日在…上` / `2006年2月8日`
    if found and found[1] <= 2 and re.fullmatch(r"\s*(?:星期|周)[一二三四五六日天]", t[found[2] :]):
        return True  # `2023年03月29日 星期三`: a site's header date
    if re.match(r"^在.{4,60}上$", t) or _is_caption(t) or _caption_speaker([t])[0]:
        return True
    if REPORTER_BYLINE_RE.match(t) or SPACED_BYLINE_RE.match(t):
        return True  # `記者陳玉/台中報導`, `大众网·海报新闻记者 李江峰 东营报道`: the reporter's byline
    if PHOTO_CREDIT_LINE_RE.fullmatch(t):
        return True  # `朱善璐(現代快報圖)`: a portrait's caption, a name and the paper it came from
    if CHANNEL_LABEL_RE.match(t):
        return True  # `地方新闻`, `即时港闻`, `2026-01-01 快讯`: the section the headline below it is filed under
    if PRESS_BANNER_RE.fullmatch(t):
        return True  # info.gov.hk's `新聞公報` (cmab.gov.hk's `新聞發布`) over every release: the site's genre (m9)
    if LINK_BAR_RE.fullmatch(t) or DATE_ONLY_LINE_RE.fullmatch(t) or BULLET_ITEM_RE.fullmatch(t):
        return True  # `寄給朋友政府主網頁`: a link bar; `88年02月24日`: the day it was posted; `• 馆内`: a menu
    if SOURCE_LABEL_LINE_RE.match(t):
        return True  # `出处:…《中国文书大典下卷》第2414页`, `熱門: 黃某 徐某 地震`: a reference's source, a portal's trends
    if EDITORIAL_NOTE_RE.fullmatch(t):
        return True  # `（摘要）`, `（根据录音整理）`, `（译自中共驻共产国际代表团档案俄文稿）`: a note on the text, not its title
    cut, parts = _keyword_labels(t)
    if cut == 0 and parts > 1:
        return True  # `领导讲话_县长讲话_经济工作会议讲话`: a keyword line, labels only
    if TOC_LABEL_RE.match(t):
        return True  # `目录/提纲:……`: a table of contents' label
    if t[-1:].isdigit() and CONTACT_LINE_RE.fullmatch(t):
        return True  # `全国免费热线：400-9913-666`: the site's phone line over the headline
    if SKIP_LINK_RE.match(t) or BREADCRUMB_TITLE_RE.match(t) or INFO_LABEL_LINE_RE.match(t):
        return True  # `按Enter到主内容区`, `您当前所在位置:首页>公开>…`, `文号 索引号 关键词`: the page's chrome
    if PAGE_WIDGET_LINE_RE.search(t):
        return True  # `人气: 2`, `本篇文章572字,读完约1分钟`, `0101004台南元旦升旗.jpg`, `…(Logo-image)`: the page's widgets
    if t[0] in CAPTION_MARKS or CHEVRON_CRUMBS_RE.match(t) or POSTER_HANDLE_RE.match(t) or PHOTO_SHOT_RE.search(t):
        return True  # `△北京小学校长李明新在开学典礼上讲话`, `…拜晚年（记者梁金源摄）`: a photo's caption; `… » … »`: a breadcrumb
    return bool(is_name(t.replace(" ", "")) or (OFFICE_KW_RE.search(t) and _byline([t])[1] is not None))  # a byline


# ---------------------------------------------------------------- dates / chrome
# the key before a page date; a table cell's bar may stand between (gov.cn's info table: `| 发布日期： | 2023年02月13日 |`,
# `发布日期：| 2021-02-27 |`, `公开日期：|`), or a separator (`来源： | 四川日报`: a head joined with get_text(" | "))
# (`成文日期` is the day a document was signed, `施行日期` the day it takes effect: never the page's)
PUBLISHED_KEY_RE = re.compile(
    r"(?:发布时间|发布日期|发表于|发表时间|更新时间|上传时间|发布于|公开日期|时间|(?<!成文)(?<!印发)(?<!施行)(?<!生效)日期)"
    r"\s*[:：]?[\s|｜丨│]*$"
)
SOURCE_RE = re.compile(r"来源\s*[:：][\s|│｜]*([^\s|│｜:：,，]{2,20})")
SITE_WORD_RE = re.compile(r"(?:网|论坛|网站|文库|日报|晚报|报|站|社|频道|电视台|新闻网|杂志|客户端)$")
CHROME_SITE_RE = re.compile(rf"([{HAN}A-Za-z0-9]{{2,8}}(?:网|论坛))(?=负责|整理|版权所有|首页|提供|上传|所有|发布)")
WELCOME_SITE_RE = re.compile(rf"(?:欢迎(?:访问|来到)|本文来自|转载自|来自)([{HAN}]{{2,8}}(?:网|论坛))")
# a word every match of CHROME_SITE_RE (after its name) or WELCOME_SITE_RE (before it) holds
_SITE_CUE_RE = re.compile(r"负责|整理|所有|首页|提供|上传|发布|欢迎|来自|转载自")
DASH_DATE_RE = re.compile(r"^[—\-─–－―]{1,3}\s*")
# `(2022年12月30日在毕节市第三届人民代表大会第二次会议上)`: a parenthesized dateline too long for PAREN_DATE_RE.
PAREN_OPEN_RE = re.compile(r"^[（(]\s*")
PAREN_DATE_RE = re.compile(r"^[（(]\s*([^()（）]{6,20})\s*[）)]$")

# ---------------------------------------------------------------- meeting
# a banquet is a gathering a speech is given at (`在…欢迎晚宴上的致辞`, `国宴`): 宴会 and 酒会 end in 会 already
MEET_SUFFIX = r"(?:会议|大会|全体会|常委会|座谈会|汇报会|推进会|动员会|现场会|会|论坛|仪式|典礼|开幕式|闭幕式|培训班|晚宴|午宴|国宴)"
# A lead naming the meeting before its day and place (`2007年贵州省政府参事、省文史馆员迎春茶话会2月13日下午在贵阳举行。`,
# `中央经济工作会议12月11日至12日在北京举行`): the meeting's own sentence, its day the event's (session 50's gov.cn copy was
# untyped, unnamed and undated)
MEETING_FIRST_LEAD_RE = re.compile(
    rf"(?:(?:19|20)\d{{2}}年)?[^，。；\n\d]{{2,40}}?(?:{MEET_SUFFIX})"
    rf"(?=\d{{1,2}}月{LEAD_DAY}(?:至(?:\d{{1,2}}月)?\d{{1,2}}日)?(?:上午|下午|晚上|晚)?在[^，。；\n]{{1,20}}?(?:举行|召开|开幕|闭幕))"
)
MEET_AT_RE = re.compile(rf"在(.{{2,60}}?{MEET_SUFFIX})(?:上|闭幕时|开幕时)?(?:的)?(?:重要)?{DOC_END}")
MEET_DASH_RE = re.compile(rf"在(.{{4,60}}?)上(?:的{DOC_END})?\s*[)）]?\s*$")
# `——在…会议上`, `（在…会议上）`, a bare `在河北省第十届人民代表大会第一次会议上`, or one with its date after it
# (`在…第二次会议上（2019年1月14日）`)
MEET_NODATE_RE = re.compile(
    r"^(?:[—\-─–－―]{1,3}\s*|[（(]\s*)?在(.{4,60}?(?:会议|大会))上\s*(?:[)）]|[（(]\s*\d{4}年[^（()）]{0,12}[)）])?$"
)
# An editor's note of a collected-works copy (建国以来重要文献选编, 文选): `这是周恩来在第三届全国人民代表大会第一次会议上作的
# 报告。`, `这是毛泽东在中国共产党第七届中央委员会第二次全体会议上的讲话。` — the speaker and the meeting.
# An editor's note of collected works and Qiushi (求是) articles: `这是毛泽东同志在…会议上的讲话`, `这是习近平总书记2023年1月31日
# 在二十届中央政治局第二次集体学习时讲话的一部分`, `本文是…在…上所作报告的主要部分` (the name may carry the leader's office,
# the date may stand before or after it; a study session ends in 时, not 上).
_NOTE_DATE = r"(?:\d{4}年\d{1,2}月\d{1,2}日(?:(?:和|至|、)(?:\d{1,2}月)?\d{1,2}日)?)"
EDITOR_NOTE_RE = re.compile(
    rf"(?:^|(?<=[。）)\]]))(?:这|本文)是{_NOTE_DATE}?(?P<name>[{HAN}·]{{2,12}}?)(?:同志|总书记|主席|总理|委员长)?"
    rf"{_NOTE_DATE}?在(?P<meeting>[^，。；]{{4,60}}?(?:{MEET_SUFFIX}|集体学习|研讨班|开班式|视察|考察))(?:上|时)?"
    rf"(?:作|所作|发表)?的?(?:重要)?(?P<kind>{DOC_END})"
)
# a second day of a two-day speech after the first date: `11月30日和12月1日在…`, `7月5日至6日在…`
SECOND_DAY_RE = re.compile(r"^\s*(?:和|至|、|[—\-－~])\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日")
# `——2009年1月8日在佛山市第十三届人民代表大会第三次会议`: a dateline whose final 上 was lost
MEET_NO_ON_RE = re.compile(r"^在(.{4,60}?(?:人民代表大会|代表大会)第.{1,3}次会议)\s*[)）]?$")
# the congress that adopted a report, on its date line: `（1995年4月4日甘肃省第八届人民代表大会第三次会议通过）`
MEET_PASSED_RE = re.compile(r"^\s*(.{4,60}?(?:会议|大会))(?:审议)?通过\s*[)）]?\s*$")
MEET_BODY_RE = re.compile(
    rf"(?:今天|今天的|本次|这次)(?:这次|我们)?(?:召开的?|举行的?|在这里召开的?)?(?:这次)?([^，。,；:：“”\s]{{2,30}}?{MEET_SUFFIX})"
)
# `这次代表会议` / `本次大会`: a meeting named only by its kind is no meeting name.
GENERIC_MEETING_RE = re.compile(r"^(?:这次|本次|此次|这个)?(?:代表|全体|工作|党员)?(?:会议|大会|会)$")
MEET_BARE_RE = re.compile(rf"^(.{{2,40}}?{MEET_SUFFIX})(?:上)?的?(?:重要)?{DOC_END}")

# ---------------------------------------------------------------- speaker
# an office set with a space inside it, as print layouts pad two-character words: `省 长 王文涛`, `市 长`, `主 席`
SPACED_OFFICE_RE = re.compile(r"^\s*(省|市|县|区|州|主)[ \u3000]+(长|席)(?=[ \u3000])")
NAME_TAIL_RE = re.compile(rf"^[\s]*([{HAN}](?:\s?[{HAN}]){{1,3}}|[{HAN}]{{1,8}}(?:·[{HAN}]{{1,8}})+)\s*$")
# (a doc site's word for the text between the office and 在, `省长讲话文稿在省第十三次党代会上的报告`: session 50's
# left-alone list)
TITLE_SPEAKER_RE = re.compile(
    rf"^(?P<pre>[^在，。]{{0,14}}?)(?P<office>{OFFICE_KW})(?:同志)?(?:的?(?:讲话文稿|讲话稿|发言稿|讲稿))?(?:在|的)"
)
PAGE_TITLE_NAME_RE = re.compile(rf"[（(]\s*\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*([{HAN}·]{{2,10}})\s*[）)]")
# A page title that ends with the speech's dateline (`镇江市政府工作报告(2022年3月1日 徐曙海)`: 221 of the shared
# corpus's 676 reports): the date and the name have columns of their own, the title is what comes before.
PAGE_TITLE_DATELINE_RE = re.compile(r"(?<!\s)\s*[（(]([^（）()]{6,40})[）)]\s*$")
DATELINE_BYLINE_RE = re.compile(r"^(.{0,20}在.{4,60}?上)\s+(\S.{1,30})$")
PLACE_SUFFIX = ("省", "市", "区", "县", "州", "旗", "盟", "镇", "乡", "街道")


# ---------------------------------------------------------------- header tokenizer
# Header fields are read from the first HEAD_CHARS characters only (extraction stays linear in document size).
# 3000 covers the longest chrome + title + dateline + byline run seen before a salutation in the 676 real reports.
HEAD_CHARS = 3000
CN_YEAR4 = r"(?:\d{4}|[〇零○ＯО一二三四五六七八九]{4})"
# vocab's salutation words, the one list (extract kept a copy without 各位 alone, 同学们, 老师们, 先生们, 代表们: an untitled
# gala script's `【春节联欢晚会串词】各位观众朋友们，大家好！` was cut at 朋友们 and kept `各位观众` on its heading's line)
SALUTATION_WORDS = rf"(?:{vocab.SALUTATION_WORDS})"
# Anchors that start a header span wherever the line breaks fell:
#   dash dateline `——2024年1月30日在…` / `——在中国共产党…上的报告`, paren dateline `（2022年10月16日）`,
#   a bare dateline `2016年1月19日在…`, page chrome run into the title (`…的讲话发布时间：2021-03-25来源：…`),
#   and the salutation `各位代表：` / `同志们！`.
HEAD_SPLIT_RE = _prefixed(
    rf"(?P<dash>(?:[—─–－―]{{1,3}}|-{{2,3}})\s*(?={CN_YEAR4}\s*年|在))"
    rf"|(?P<paren>[（(]\s*{CN_YEAR4}\s*年[^（()）\n]{{0,60}}[）)])"
    rf"|(?P<date>(?<![—─–－―\-（(\d]){CN_YEAR4}\s*年\s*[\d一二三四五六七八九十]{{1,3}}\s*月\s*[\d一二三四五六七八九十]{{1,3}}\s*日\s*(?=在))"
    r"|(?P<outline>(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}、(?=[^，。]{0,12}(?:回顾|工作|任务|情况)))"
    r"|(?P<chrome>(?:发布时间|发布日期|发表时间|发表于|更新时间|来源|点击|作者|浏览|时间)\s*[:：])"
    rf"|(?P<sal>{SALUTATION_WORDS}[^。：:！!\n]{{0,20}}?[：:！!])"
)
# The end of a dateline's meeting: `…第五次会议上` then the byline (`市长 向辉`) — not `会议上的讲话` (a title).
DATELINE_END_RE = re.compile(
    r"在[^，。；：:\n]{2,60}?(?:会议|大会|会|典礼|仪式|论坛|开幕式|闭幕式)上\s*[）)]?(?![的讲话发言致辞报告）)])"
)
# `——2020年1月9日丹东市第十六届人民代表大会第三次会议通过` then the byline: the date the congress adopted the report.
DATELINE_PASSED_RE = _prefixed(
    rf"{CN_YEAR4}\s*年\s*[\d一二三四五六七八九十]{{1,3}}\s*月\s*[\d一二三四五六七八九十]{{1,3}}\s*日"
    r"[^，。；：:\n（()）]{2,60}?会议(?:审议)?通过\s*[）)]?"
)
# Page chrome whose END is a cut too, so what the page ran into it (a byline, a title) stands alone:
#   a keyed page date `时间：2026-02-09` / `发表时间：2026-02-09 09:45:30`, a date with a clock time (never a speech's
#   dateline: `2026年02月10日 07时41分`, `2026-01-31 07:00:44`), a keyed source ending in a site word
#   (`来源：解放日报`), toolbars (`【字号：加大还原减小】`, `【字体：大中小】`), breadcrumb steps (`首页>要闻>`),
#   `分享：`, a photo credit (`记者 李森 摄`).
_CLOCK = r"\s*(?:\d{1,2}\s*[:：时]\s*\d{2}(?:\s*[:：分]\s*\d{2}\s*秒?|\s*分)?)"
_ANY_DATE = (
    rf"(?:{CN_YEAR4}\s*年\s*[\d一二三四五六七八九十]{{1,3}}\s*月\s*[\d一二三四五六七八九十]{{1,3}}\s*[日号]"
    r"|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2})"
)
DATE_CLOCK_RE = re.compile(rf"{_ANY_DATE}{_CLOCK}")
HEAD_CHROME_END_RE = _prefixed(
    rf"(?:发布时间|发布日期|发表时间|发表于|更新时间|上传时间|发布于|时间|日期)\s*[:：]?\s*{_ANY_DATE}{_CLOCK}?"
    rf"|{_ANY_DATE}{_CLOCK}"
    rf"|来源\s*[:：]\s*[{HAN}A-Za-z0-9]{{1,14}}?(?:日报|晚报|新闻网|网|报(?!告)|电视台|杂志)(?:客户端)?"
    rf"|{vocab.TOOLBAR_BAR}"
    r"|【[^】\n]{0,20}】|[>＞»]|分享到?\s*[:：]|记者[ \u3000]*[\u4e00-\u9fff]{2,4}[ \u3000]*摄"
    r"|(?:您的|当前|您的当前)所?在?位置\s*[:：]?\s*(?:首页\s*[>＞»]?\s*)?(?:正文\s*[>＞»]?)?"
    # a document site's download notice ends at its support contact (`网站客服：3074922707`, `客服QQ：…`)
    r"|客服(?:电话|热线|QQ|qq|微信)?\s*[:：]\s*\d{5,11}"
)
# Page chrome that STARTS a span: `您的位置：首页>…`, `当前位置：`, a toolbar run `下载打印全屏收藏`.
HEAD_CHROME_START_RE = _prefixed(
    rf"(?:您的|当前|您的当前)所?在?位置|首页\s*[>＞»]|下载打印|【字[号体]|{_ANY_DATE}(?=\s*(?:来源|作者|点击|浏览))"
)
# What may follow a byline's name on a page that ran the byline into the next span: the name again (a photo
# caption `省长 刘小涛省长刘小涛代表…`, `市长 殷勇殷勇同志作…`), an office, 同志/在/作, a date, punctuation, chrome.
_AFTER_NAME_RE = re.compile(
    rf"(?:{OFFICE_KW}|[，。：:；（(\[\d]|{SALUTATION_WORDS}|首页|来源|时间|发布|分享|当前|您的)"
)
_SPACED_NAME_RE = re.compile(
    rf"[{HAN}](?:[ \u3000]+[{HAN}]){{1,2}}(?![ \u3000]*[{HAN}])|[{HAN}](?:[ \u3000]+[{HAN}]){{1,2}}(?=[ \u3000])"
)
_DOT_NAME_RE = re.compile(rf"[{HAN}]{{1,8}}(?:·[{HAN}]{{1,8}})+")
BYLINE_PRE_MAX = 24  # `新疆维吾尔自治区人民政府` + 代 fits; a title sentence before an office is longer


def _byline_end(seg: str) -> int:
    """Where a byline (`上海市市长 龚 正`, `省长刘小涛`) that opens seg ends when more text follows it; 0 when
    seg does not open with a byline or the byline is all of seg."""
    for m in OFFICE_KW_RE.finditer(seg):
        pre = seg[: m.start()]
        if len(pre) > BYLINE_PRE_MAX or re.search(r"[在的，。：:；]", pre):
            return 0
        rest = seg[m.end() :]
        r = rest.lstrip(" \u3000")
        at = m.end() + len(rest) - len(r)
        if not r or OFFICE_KW_RE.match(r) or r[0] in "、兼":
            continue  # `区委副书记、区长 孙俨玲`: the last office holds the name
        dm = _DOT_NAME_RE.match(r)
        if dm:
            # `艾力·买买提自治区主席作…`: the shortest `·` name that the caption, an office or chrome follows.
            for k in range(r.rindex("·", 0, dm.end()) + 2, dm.end() + 1):
                after = r[k:]
                if not after.strip():
                    return 0
                if (
                    after.startswith(r[:k])
                    or _AFTER_NAME_RE.match(after)
                    or (pre.strip() and after.startswith(pre.strip()[:4]))
                ):
                    return at + k
            return 0
        sm = _SPACED_NAME_RE.match(r) if r[1:2] in (" ", "\u3000") else None
        if sm:
            cand = re.sub(r"[ \u3000]", "", sm.group(0))
            if is_byline_name(cand):
                end = at + sm.end()
                return end if seg[end:].strip() else 0
        for n in (3, 2):
            cand, after = r[:n], r[n:]
            if len(cand) < n or not is_byline_name(cand):
                continue
            if not after.strip():
                return 0
            again = after.startswith(cand) or bool(pre.strip() and after.startswith(pre.strip()[:4]))
            if again or _AFTER_NAME_RE.match(after.lstrip(" \u3000")) or find_date(after[:NAME_DATE_CHARS]):
                return at + n
        return 0
    return 0


TITLE_END_RE = re.compile(DOC_END)


# A speaker's bare name a space after the title (`在全县经济工作会议上的讲话 张三`, `年会嘉宾演讲 陈晋`: a doc site's or a
# blog's head; session 49 left it, the name read as part of the title): the name alone, never a word the dictionary
# tags as anything but a name (`…讲话 全文`, `…讲话 原文`, `…讲话 解读`), nor a doc site's own word (jieba tags 范文 nr).
NAME_AFTER_TITLE_RE = re.compile(rf"[ \u3000]+(?P<name>[{HAN}]{{2,3}}|[{HAN}](?:[ \u3000][{HAN}]){{1,2}})[ \u3000]*$")
NOT_NAMES_AFTER_TITLE = frozenset({"范文", "全文", "原文", "文稿", "初稿", "定稿", "节选", "摘要", "全集"})


def _title_byline_cut(seg: str) -> int:
    """Where a title ends when a byline (office and name, or a bare name a space after it; nothing else) follows it
    in the same span; 0 if none."""
    for m in TITLE_END_RE.finditer(seg):
        rest = clean_line(seg[m.end() :])
        if 4 <= len(rest) <= 40 and OFFICE_KW_RE.search(rest) and _byline([rest])[0]:
            return m.end()
        if (bare := NAME_AFTER_TITLE_RE.match(seg, m.end())) and _name_after_title(bare.group("name")):
            return m.end()
    return 0


def _name_after_title(cand: str) -> bool:
    name = re.sub(r"[ \u3000]", "", cand)
    tag = word_tags().get(name)
    return name not in NOT_NAMES_AFTER_TITLE and is_byline_name(name) and (tag or "nr").startswith("nr")


# `…汇报会致辞区长在互学互比汇报会讲话`: a second title (an office or name, then `在…讲话`) run into the first.
SECOND_TITLE_RE = re.compile(rf"{DOC_END}(?=[^，。；：:！!？?]{{1,12}}?在[^，。；：:！!？?]{{2,60}}?{DOC_END}$)")


# A doc site's last tag is a bare doc word (`2023 / 区长 / 互学互 / 汇报会 / 致辞`); run into a title that opens with its
# speaker's office (`致辞区长在互学互比汇报会讲话`: seed 003 with its lines joined 2-5 at a time) it is no part of it.
DOC_WORD_RE = re.compile(DOC_END)


def _title_title_cut(seg: str) -> int:
    """Where a first title ends when a whole `…在…讲话` title follows it in the same span; 0 if none."""
    for m in SECOND_TITLE_RE.finditer(seg):
        first, rest = clean_line(seg[: m.end()]), clean_line(seg[m.end() :])
        # `…工作总结暨在全区经济工作会议上的讲话` is one title
        if (
            (len(first) >= 5 or (DOC_WORD_RE.fullmatch(first) and TITLE_SPEAKER_RE.match(rest)))
            and TITLE_LINE_RE.match(rest)
            and not rest.startswith(("的", "上", "暨", "和", "及", "与", "、"))
        ):
            return m.end()
    return 0


# Gates for _split_chrome, run on every line of a page's head, tail and cut lines (~5k characters a page): each match
# of HEAD_CHROME_END_RE holds a date's core (`年…月`, or the ISO form's two separators) or one of the literal words of
# its other alternatives, and each match of HEAD_CHROME_START_RE one of its words (its date alternative is followed
# by 来源/作者/点击/浏览). A line without them is not scanned: the patterns try their alternatives at every digit and
# at 一, 上, 时, 日 … (~50 ns a character), these literal alternations are scanned for their first characters in C.
# On 300 bench pages 8.7k lines, 2/3 of them body text: only ~1/4 pass the end gate, 1/35 the start gate.
_CHROME_END_WORDS_RE = re.compile(r"来源|字号|字体|分享|【|>|＞|»|记者|位置|客服")
_CHROME_CN_DATE_RE = re.compile(r"年\s*[\d一二三四五六七八九十]{1,3}\s*月")
# scanned for its separators in C, not at every digit; and only in a line holding one (a character test, ~10x quicker
# than the pattern's scan of a set: 1 in 4 of a shard's chrome lines holds one, session 60)
_CHROME_ISO_DATE_RE = re.compile(r"[-/.]\d{1,2}[-/.]")
_CHROME_START_WORDS_RE = re.compile(r"位置|首页|下载打印|【字|来源|作者|点击|浏览")


def _split_chrome(line: str) -> list[int]:
    """Cut points inside one line for page chrome and a byline run into what follows."""
    cuts = []
    if (
        _CHROME_END_WORDS_RE.search(line)
        or ("年" in line and _CHROME_CN_DATE_RE.search(line))
        or (("-" in line or "/" in line or "." in line) and _CHROME_ISO_DATE_RE.search(line))
    ):
        for m in HEAD_CHROME_END_RE.finditer(line):
            cuts += [m.start(), m.end()]
    if _CHROME_START_WORDS_RE.search(line):
        for m in HEAD_CHROME_START_RE.finditer(line):
            cuts.append(m.start())
    return cuts


def header_segments(text: str) -> tuple[list[str], int]:
    """The head (first HEAD_CHARS characters) cut into spans: title, dateline, byline, salutation, body.

    Cuts fall on line breaks and on anchors (a dash/paren/bare dateline, the end of its `在…会议上`, a
    salutation), so `——2024年1月30日在沧州市…会议上市长 向辉各位代表：现在，…` gives the same spans as the
    same words on four lines. Returns the spans and the offset in text where the head ends (after the
    salutation, or HEAD_CHARS). A document's fields read the same head 3-4 times: memoized on it.
    """
    head = text[:HEAD_CHARS]
    got = _HEADER_MEMO.get(head)
    if got is None:
        if len(_HEADER_MEMO) >= HEADER_MEMO_MAX:
            _HEADER_MEMO.clear()
        got = _HEADER_MEMO[head] = _header_segments(text)
    return list(got[0]), got[1]


# A line of the head longer than this is read as a run-together head: chrome spans and bylines inside it are cut
# (a short line is a title or a byline as given; only the chrome it starts with is cut).
CHROME_SPLIT_MIN = 40
HEADER_MEMO_MAX = 8  # heads kept: one document reads its own (and its page title's) a few times in a row
_HEADER_MEMO: dict[str, tuple[list[str], int]] = {}


def _header_segments(text: str) -> tuple[list[str], int]:
    segs: list[str] = []
    offset = 0
    for line in text[:HEAD_CHARS].split("\n"):
        spans, sal_end = _line_spans(line) if len(line) <= LINE_MEMO_MAX_CHARS else _line_spans_of(line)
        segs += spans
        if sal_end >= 0:
            return segs, offset + sal_end
        offset += len(line) + 1
        if len(segs) >= HEAD_MAX_LINES:
            break
    return segs, min(len(text), HEAD_CHARS)


def _line_spans_of(line: str) -> tuple[tuple[str, ...], int]:
    """The spans one line of a head is cut into (_header_segments), up to a salutation's, and where in the line
    that salutation's span ends (-1: none). A function of the line alone: a line the head repeats, the same head read
    to another length (_resolution_title's 1,500 characters) or another page of the site gives is cut once (_line_spans:
    ~40 % of a 20k-bench shard's head lines were cut again, session 58)."""
    segs: list[str] = []
    cuts = {0, len(line)}
    for m in HEAD_SPLIT_RE.finditer(line):
        cuts.add(m.start())
        if m.lastgroup in ("sal", "paren"):
            cuts.add(m.end())
    for m in DATELINE_END_RE.finditer(line):
        cuts.add(m.end())
    if "通过" in line:  # each of its matches ends so (the pattern tries a date at every digit)
        for m in DATELINE_PASSED_RE.finditer(line):
            cuts.add(m.end())
    if len(line) > CHROME_SPLIT_MIN:
        cuts.update(_split_chrome(line))  # a run-together head: chrome and bylines are spans of their own
    elif (pre := HEAD_CHROME_END_RE.match(line)) and pre.end() < len(line):
        # `分享到:在全区…会议上的讲话`: a short line opened by chrome (a head joined a few lines at a time)
        cuts.add(pre.end())
    if "|" in line or "｜" in line or "│" in line:  # each separator holds one; its pattern tries every position
        for m in vocab.HEAD_SEPARATOR_RE.finditer(line):
            cuts.update((m.start(), m.end()))  # `标题 | ——2024年…会议上 | 市长 向辉`: get_text(" | ")
    order = sorted(cuts)
    for a, b in pairwise(order):
        seg = line[a:b]
        while len(line) > 40 and (k := _byline_end(seg)):
            segs.append(seg[:k])
            seg = seg[k:]
        if k := _title_byline_cut(seg):
            segs.append(seg[:k])  # `…会议上的讲话区委副书记、区长 孙俨玲`: the title, then its byline
            seg = seg[k:]
        # any line: a head joined a few lines at a time, or what is left of one after its notice went
        if k := _title_title_cut(seg):
            segs.append(seg[:k])  # `…汇报会致辞区长在互学互比汇报会讲话`: two titles, the page's and the speech's
            seg = seg[k:]
        if seg.strip(vocab.HEAD_SEPARATOR_CHARS):
            segs.append(seg)
            if SALUTATION_RE.match(clean_line(seg)):
                return tuple(segs), b
    return tuple(segs), -1


_line_spans = lru_cache(maxsize=LINE_MEMO_SIZE)(_line_spans_of)


def _head_lines(text: str) -> tuple[list[str], int, int]:
    """Cleaned header spans before the salutation (同志们：/各位代表：) — where title, byline, date live —
    whether or not the page kept its line breaks; plus the salutation's index (-1: none) and the body offset."""
    out: list[str] = []
    segs, body_at = header_segments(text)
    for raw in segs:
        line = clean_line(raw)
        if not line:
            continue
        if SALUTATION_RE.match(line):
            return out, len(out), body_at
        m = DATELINE_BYLINE_RE.match(line)
        if m and find_date(m.group(1)):
            out += [m.group(1), m.group(2)]  # a dateline and a byline run together on one line
            continue
        out.append(line)
    # No salutation: keep only the first short lines (a title and a byline at most).
    short = []
    for line in out:
        if len(line) > 80:
            break
        short.append(line)
    return short[:HEAD_SHORT_LINES], -1, _offset_after(text, short)


# Rules under which a normalizer has been seen to cut speech header lines (issue 11: a dateline taken for a
# repeated title, a joined `各位代表：现在，我代表…` run taken for a photo caption, a joined run that starts with
# `<!-- … -->` taken whole for an HTML comment).
HEADER_LOSS_RULES = ("chrome.photo_caption", "chrome.repeated_title", "chrome.page_title")


def _head_from_removed(removed_lines: Sequence) -> str:
    """Header lines the normalizer cut from the page head (datelines, a joined header run), in page order, so
    speaker, date and meeting are read even when normalization took them; empty when none."""
    keep = []
    for r in removed_lines:
        rule = str(r[2]) if len(r) >= 3 else ""
        if (rule in HEADER_LOSS_RULES or rule.startswith("markup.")) and str(r[0]).isdigit() and int(r[0]) <= 80:
            line = simplify(str(r[1]))[:HEAD_CHARS]
            if find_date(line) or SALUTATION_RE.search(line) or "各位代表" in line or "同志们" in line:
                keep.append((int(r[0]), to_half(line)))
    return "\n".join(x for _, x in sorted(keep))


def _offset_after(text: str, lines: list[str]) -> int:
    """Where the body starts when the head had no salutation: after the last kept header span."""
    at = 0
    for line in lines:
        i = text.find(line[:LINE_PROBE_CHARS], at, HEAD_CHARS + 200)
        if i >= 0:
            at = i + len(line[:LINE_PROBE_CHARS])
    return at


# The channel a portal files a page under, between the title and the site's name: `…的意见_中央有关文件_中国政府网`,
# `…工作报告--时政--人民网`, `…_滚动新闻_中国政府网` (up to two levels: `_国务院文件_国务院文件`). Cut only where a
# site suffix was cut, and never a name (`讲话_李强_中国政府网` keeps its speaker).
CHANNEL_SUFFIX_RE = re.compile(rf"(?<![\s\-_|—])\s*(?:[-_|]+|——)\s*([{HAN}]{{2,8}})\s*$")
CHANNEL_LEVELS = 2


# A site's name after a document's title and a space, no dash (`…召开时间的决定 中华文库`, zhonghuashu.com's page titles;
# session 49's fresh pages): the site's, not the title's last word.
SPACED_SITE_SUFFIX_RE = re.compile(rf"(?<=[^\s])\s+[{HAN}]{{2,8}}?(?:文库|网|百科|文档|论坛)$")
SPACED_SITE_KIND_RE = re.compile(rf"(?:{DOC_END}|意见|通知|决定|公报|规划|纲要|条例)$")


# A site's name and channel after a spaced dash, the two split by a bar (`…推进会 —— 安徽党媒云| 社区融-…首页登录`, session
# 55's fresh pages): no subtitle holds a bar.
DASH_SITE_BAR_RE = re.compile(r"(?<=\S)\s+(?:——|—|--)\s+[^|｜\s]{2,20}\s*[|｜].*$")


def _strip_site(title: str) -> str:
    if "|" in title or "｜" in title:
        title = DASH_SITE_BAR_RE.sub("", title)
    if (m := SPACED_SITE_SUFFIX_RE.search(title)) and SPACED_SITE_KIND_RE.search(title, 0, m.start()):
        title = title[: m.start()]
    stripped = SITE_SUFFIX_RE.sub("", title).strip()
    if stripped == title.strip():
        return stripped
    for _ in range(CHANNEL_LEVELS):
        m = CHANNEL_SUFFIX_RE.search(stripped)
        seg = m.group(1) if m else ""
        tag = word_tags().get(seg)
        if not m or m.start() < 4 or re.search(f"{DOC_END}$", seg) or (is_name(seg) and (tag or "nr").startswith("nr")):
            break
        stripped = stripped[: m.start()].strip()
    return stripped


# A breadcrumb's last step run into the title: the column named twice (`云南要闻云南要闻2026年政府工作报告`) or a
# column that is itself a title (`省政府工作报告陕西省2026年政府工作报告`).
DOUBLED_PREFIX_RE = re.compile(rf"^([{HAN}]{{2,8}})\1(?=.{{4}})")
INNER_TITLE_RE = re.compile(
    rf"^.{{2,30}}?{DOC_END}\s*(?=(?:{CN_YEAR4}\s*年|[{HAN}]{{2,12}}?[省市县区州旗盟]).{{2,60}}{DOC_END}$)"
)
# A doc site's tags run into the title a space apart (`2023 区长 互学互 汇报会 致辞 区长在互学互比汇报会讲话`: seed 003 with
# its head's breaks turned into spaces): short words before a whole title. TAG_MAX: the seeds' tags have 2-4 characters.
TAG_MAX = 6
TAGGED_TITLE_RE = re.compile(rf"^(?:[^\s，。：:]{{1,{TAG_MAX}}}\s+){{2,}}(?P<title>[^\s]{{5,80}})$")


# A template's blanked name set off by spaces (`在 XX 镇新一届村干部履职尽责动员大会上的讲话`, gongwk's PDF text): the
# words around it are the title's own, not a doc site's tags (session 49's fresh pages lost `在 XX ` so).
PLACEHOLDER_TAG_RE = re.compile(r"(?:^|\s)(?:在|[×xX]{2,3}|某某|\*{2,3}|〇〇|□□)\s")


# a whole title given twice (`2003年广州市政府工作报告2003年广州市政府工作报告`: a page's front matter, 4 reports)
# the first copy may keep a collection's number the cut at the end took from the second (`省长政府全会讲话材料(2)省长政府全会
# 讲话材料`: session 51's held-out regression, the merged title kept `(2)`)
# A doc site's page chunk heads its text with the title given three times (`1、乡镇政府换届工作报告乡镇政府换届工作报告乡镇
# 政府换届工作报告`, session 52's held-out regression once the chunk's number was cut): up to TITLE_COPIES_MAX copies.
TITLE_COPIES_MAX = 5
DOUBLED_TITLE_RE = re.compile(
    rf"^\s*(.{{4,60}}?)(?:\s*(?:[（(][一二三四五六七八九十\d]{{1,3}}[）)])?\s*\1){{1,{TITLE_COPIES_MAX - 1}}}\s*$"
)
# ... or its copies spaced apart, framed or not (`全区…会议上讲话 在全区…会议上的讲话 在全区…会议上的讲话`): one title when
# every copy reads the same without the 在…的 frame (the first copy, as for exact copies).
TITLE_FRAME_RE = re.compile(r"^在|的(?=(?:讲话|致辞|发言|报告)$)")


def _undouble_title(t: str) -> str:
    """`t` once where a page gives it two or more times (DOUBLED_TITLE_RE, TITLE_FRAME_RE)."""
    t = DOUBLED_TITLE_RE.sub(r"\1", t)
    if " " in t or "\u3000" in t:
        copies = t.split()
        if 1 < len(copies) <= TITLE_COPIES_MAX and len(copies[0]) >= 4:
            cores = {TITLE_FRAME_RE.sub("", c) for c in copies}
            if len(cores) == 1:
                return copies[0]
    return t


# A news headline names the speaker before a colon and runs the subtitle on after a dash: `习近平：高举…而团结奋斗——在
# 中国共产党第二十次全国代表大会上的报告`, `习近平：在庆祝中国共产党成立100周年大会上的讲话` (xinhuanet, people.com.cn).
HEADLINE_SPEAKER_RE = re.compile(
    rf"^(?P<name>[{HAN}]{{2,4}}|[{HAN}]{{1,8}}(?:·[{HAN}]{{1,8}})+)\s*[:：]\s*(?P<rest>\S.{{3,}})$"
)
SUBTITLE_RE = re.compile(rf"(?<=[^—\-─–－―\s]{{4}})\s*(?:——|--|—|－－)\s*在[^—]{{2,60}}?上的(?:重要)?{DOC_END}$")


def _headline_speaker(line: str) -> tuple[str | None, str]:
    """(the speaker a headline names before its colon, the rest) — (None, line) unless the rest is a title."""
    m = HEADLINE_SPEAKER_RE.match(line.strip())
    if not m or not TITLE_LINE_RE.match(m.group("rest")):
        return None, line
    name = m.group("name")
    if not (is_name(name) or name in _leaders()) or regions.find_places(name):
        return None, line
    return name, m.group("rest")


# a 范文 collection's numbering after a title (`…会议讲话（一）：`, `…致辞(1)`, its item heading `…的讲话篇2`), the count
# of texts it gathers (`…会议讲话(2篇)`, `…致辞（精选5篇）`: session 51's fresh pages) and a tag before it (`[县长在县委书记]`)
TITLE_NUMBERING_RE = re.compile(
    r"\s*[（(][一二三四五六七八九十\d]{1,3}[）)]\s*[:：]?\s*$|(?<=[话辞词言稿])\s*篇\d{1,2}\s*$"
    r"|\s*[（(【](?:精选|通用|汇总|合集|优选|推荐|热门|最新|大全|共)?\s*\d{1,3}\s*篇[）)】]\s*$"
)
COLLECTION_NUMBER_ENDS = frozenset("）):：】0123456789")  # the last characters TITLE_NUMBERING_RE's matches end with
# A column tag before the headline: bracketed (`【快讯】`) or before a bar (`两会|十四届全国人大二次会议闭幕…`,
# `施政报告|林郑月娥11月25日发表《施政报告》`: HK papers' topic tags, 2 of this round's 22 fresh dev pages)
# A county paper's column before a bar written with the Han stroke 丨 (`南漳新闻丨罗兴斌主持召开…`: session 59's fresh pages)
# A school's column in corner brackets or before a spaced double bar (`『开学第一课』…`, `开学第一课 || 你，就是未来`: a
# principal's address filed under its column, session 60's fresh pages; session 59's held-out pages kept the tag)
TITLE_TAG_RE = re.compile(
    r"^\s*(?:[\[【『][^\]】』]{1,20}[\]】』]|[^\s|｜丨\[【『（(]{2,6}\s*(?:\|\||｜｜|[|｜丨]))\s*(?=.{5})"
)


# A doc site's word after the document's (`…全体（扩大）会议上的讲话文稿`, `…上级领导致辞范文`) and a 范文 collection's variant
# number (`…脱贫攻坚会议主持讲话3`): the upload's file naming (wenke99, beiweimall; session 50's fresh pages), not the title.
TITLE_UPLOAD_SUFFIX_RE = re.compile(r"(?<=[话辞词言])(?:文稿|范文|\d)$")


# A hacked or 范文 site's keyword labels after the title, joined with `_` or `|` (`…会议上的讲话_领导讲话_范文`,
# `…讲话|领导讲话|讲话稿`; session 49 left them in the title): a label is a genre word with at most KEYWORD_LABEL_LEAD
# characters before it (`县长讲话`, `经济工作会议讲话`); a title is longer (`在全县经济工作会议上的讲话`: 11).
KEYWORD_LABEL_LEAD = 6
KEYWORD_LABEL_RE = re.compile(
    rf"[{HAN}]{{0,{KEYWORD_LABEL_LEAD}}}(?:讲话|讲话稿|发言|发言稿|致辞|演讲稿|主持词|范文|大全|精选|模板|材料|文稿)"
)
KEYWORD_SEPARATOR_RE = re.compile(r"\s*[_|｜]\s*")


def _keyword_labels(t: str) -> tuple[int, int]:
    """(where the labels after a title start, how many parts the line has) — (len(t), 1) when no label follows."""
    if "_" not in t and "|" not in t and "｜" not in t:
        return len(t), 1
    seps = list(KEYWORD_SEPARATOR_RE.finditer(t))
    parts = KEYWORD_SEPARATOR_RE.split(t)
    k = len(parts)
    while k > 0 and KEYWORD_LABEL_RE.fullmatch(parts[k - 1]):
        k -= 1
    if k == len(parts):
        return len(t), len(parts)
    return (seps[k - 1].start() if k else 0), len(parts)


# A 范文 collection's place for the title: its item number (`第1篇 在全市…会议上的讲话`, yiqiwanjituan) or its category
# path, the last category echoed after the title (`演讲稿范文/公众演讲 副县长关于庆祝教师节的电视讲话公众演讲`, zhuangpeitu's
# resource description): the collection's, not the title's.
COLLECTION_ITEM_RE = re.compile(r"^第[一二三四五六七八九十百\d]{1,4}篇[\s:：、.]*(?=\S{5})")
CATEGORY_PATH_RE = re.compile(rf"^[{HAN}]{{2,10}}/(?P<last>[{HAN}]{{2,10}})\s+(?=\S{{5}})")


# A doc site's note after the title on what the upload is (`…(精选文档)`, `…(范文推荐)`, `…(仅供领导参考)`, `…(通用版)`), its
# length (`…专题党课(7442字)`, `…开班式上的讲话(2355字)`) and a collection's count run on after the genre word (`…工作报告多篇
# 4篇`, `…述职报告十二篇`): the upload's, not the title's (session 52's fresh doc-site pages: 6 of 33 titles kept one).
# Read on a title's last DOC_SITE_NOTE_TAIL characters only.
DOC_SITE_NOTE_TAIL = 16  # the longest note, `（仅供领导干部参考）`, with the spaces before it
DOC_SITE_NOTE_RE = re.compile(
    r"\s*[（(【\[](?:精选文档|精选范文|范文推荐|推荐范文|优秀范文|范文精选|精选推荐|推荐精选|精选|范文|推荐|优选|热门|通用|通用版|最新|最新版"
    r"|完整|完整版|[Ww][Oo][Rr][Dd]版|可编辑|可编辑版|仅供[^）)】\]]{0,6}参考|\d{2,6}\s*字"
    # the page of a collection split over several (`…讲话汇编-13篇(第3/4页)`, sucai198: session 53's fresh pages)
    r"|第\d{1,3}\s*/\s*\d{1,3}\s*页)[）)】\]]\s*$"
    r"|(?<=[话辞词言稿告结课报编])\s*[-－—]?\s*(?:多篇)?[一二三四五六七八九十\d]{1,3}篇\s*$"
)


def _unnote_title(t: str) -> str:
    """`t` without a doc site's notes and counts after it (DOC_SITE_NOTE_RE), two at most (`…(精选)(3000字)`)."""
    for _ in range(2):
        m = DOC_SITE_NOTE_RE.search(t, max(0, len(t) - DOC_SITE_NOTE_TAIL))
        if m is None or m.start() < 4:
            break
        t = t[: m.start()]
    return t


# A doc site's page number run into the first line of its text (wnwk, book118: `1、县政协八届二次会议预备会主持词 各位委员:`,
# the next page's text opening `2、…`): not an outline heading when what follows is a title.
PAGE_CHUNK_PREFIX_RE = re.compile(r"^1\s*[、.．\-]\s*(?=\S{5})")


def _uncollect_title(t: str) -> str:
    t = COLLECTION_ITEM_RE.sub("", t)
    if "/" in t and (m := CATEGORY_PATH_RE.match(t)):
        rest = t[m.end() :]
        last = m.group("last")
        if rest.endswith(last) and TITLE_LINE_RE.match(rest[: -len(last)]):
            return rest[: -len(last)]
        return rest
    return t


def _unchrome_title(t: str) -> str:
    t = TITLE_TAG_RE.sub("", TITLE_NUMBERING_RE.sub("", _unnote_title(t)))
    if t[:1] == "1" and (m := PAGE_CHUNK_PREFIX_RE.match(t)) and TITLE_LINE_RE.match(t[m.end() :]):
        t = t[m.end() :]
    t = _uncollect_title(t)
    cut, _ = _keyword_labels(t)
    if 0 < cut < len(t) and TITLE_LINE_RE.match(t[:cut]):
        t = t[:cut]  # `…会议上的讲话_领导讲话_范文`: the title, then a keyword line's labels
    t = TITLE_UPLOAD_SUFFIX_RE.sub("", t)
    t = _headline_speaker(t)[1]
    m = TAGGED_TITLE_RE.match(t) if " " in t else None
    if m and TITLE_LINE_RE.match(m.group("title")):
        if PLACEHOLDER_TAG_RE.search(t[: m.start("title")]):
            t = re.sub(r"\s+", "", t)  # `在 XX 镇新一届…动员大会上的讲话`: an anonymised name spaced off, no tags
        else:
            t = m.group("title")
    t = _undouble_title(t)
    t = DOUBLED_PREFIX_RE.sub("", t)
    m = INNER_TITLE_RE.match(t)
    if m and (regions.find_places(t[m.end() :][:INNER_PLACE_CHARS]) or re.match(CN_YEAR4, t[m.end() :])):
        t = t[m.end() :]
    return t


# A page title's `- 网站名` suffix broken by a hard wrap (a PDF's text wraps at its width, wherever that falls):
# `…工作推进会议上的重要讲话 - 嘉` / `峪关论坛 广州公益慈善书院` (seed 001 at 36 characters a line).
SITE_SUFFIX_CUT_RE = re.compile(r"(?<![\s\-_|｜—–])\s*[-_|｜—–]+\s*[^-_|｜\s]{0,19}$")
_SITE_SEPARATOR_RE = re.compile(r"[-_|｜—–]")


def _site_suffix_wrap(line: str, frag: str) -> bool:
    """`line` ends in a site suffix cut short and `frag` completes the site's name (the name spans the break)."""
    tail = line[-SITE_TITLE_CHARS:]
    if not _SITE_SEPARATOR_RE.search(tail):
        return False  # its match holds a separator; the pattern itself tries every position (most head lines)
    cut = SITE_SUFFIX_CUT_RE.search(tail)
    if not cut or not frag or not TITLE_LINE_RE.match(line[: len(line) - len(cut.group(0))].strip()):
        return False
    # head lines are bounded already; the tail keeps the search so on any caller's
    m = SITE_SUFFIX_RE.search(tail + frag[:SITE_TITLE_CHARS])
    return bool(
        m and m.start(1) <= len(tail) < m.end(1)
    )  # the break inside the name or before it (`讲话 -` / `嘉峪关论坛`)


def _joined_title_lines(lines: list[str]) -> list[str]:
    """Lines with a title broken before its last character or two joined again (`政府工作报` / `告`: the
    wikisource copies of the 2017 and 2021 State Council reports): only where the join makes a title
    (TITLE_LINE_RE) and the first half alone does not."""
    out: list[str] = []
    for line in lines:
        frag = line.strip()
        if out and vocab.year_title_wrap(out[-1].strip(), frag):
            out[-1] = out[-1].strip() + frag  # `2026年吉林` / `省政府工作报告`: a year title wrapped in the head
            continue
        if out and _site_suffix_wrap(out[-1].strip(), frag):
            out[-1] = (
                out[-1].strip() + frag
            )  # `…的重要讲话 - 嘉` / `峪关论坛 …`: a page title wrapped in its site's name
            continue
        if (
            out
            and 1 <= len(frag) <= 2
            and re.fullmatch(f"[{HAN}]+", frag)
            and not TITLE_LINE_RE.match(out[-1].strip())
            and TITLE_LINE_RE.match(out[-1].strip() + frag)
        ):
            out[-1] = out[-1].strip() + frag
        else:
            out.append(line)
    return out


# The second line of a two-line slogan title (`高举中国特色社会主义伟大旗帜` / `为全面建设社会主义现代化国家而团结奋斗`)
HEADLINE_LINES = 3  # a page's headline is among its first lines (the breadcrumb and page title come before it)
TITLE_PURPOSE_RE = re.compile(rf"^为[{HAN}、“”]{{4,30}}(?:奋斗|胜利|努力|前进)$")


SUBTITLE_LINE_RE = re.compile(rf"^\s*(?:——|--|—|－－|──)\s*在[^，。；]{{2,60}}?上的(?:重要)?{DOC_END}\s*$")
# the same subtitle led by its speaker (`——黄先耀副部长在2006年部扶贫领导小组会上的讲话`, a gov.cn copy of a ministry's
# speech; session 55's fresh pages): a name and office, at most SUBTITLE_SPEAKER_CHARS, before 在
SUBTITLE_SPEAKER_CHARS = 16
SPEAKER_SUBTITLE_LINE_RE = re.compile(
    rf"^\s*(?:——|--|—|－－|──)\s*[^，。；：:\s在]{{2,{SUBTITLE_SPEAKER_CHARS}}}?在[^，。；]{{2,60}}?上的(?:重要)?{DOC_END}\s*$"
)


def _main_title_line(line: str) -> bool:
    """A slogan title's line above its `——在…上的报告` subtitle: short, no sentence or dateline, no chrome."""
    t = line.strip()
    return (
        4 <= len(t) <= 60
        and not re.search(r"[，。：:；!！?？]", t)
        and find_date(t) is None
        and not TITLE_LINE_RE.match(t)
        and not is_junk_title(t)
        and not DATELINE_RE.match(t)
    )


# A greeting titled by its occasion alone, too short for TITLE_LINE_RE: `新春献词`, `新年贺词`, `元旦致辞`.
SHORT_GREETING_TITLE_RE = re.compile(
    r"^(?:新春|新年|元旦|春节|开幕|闭幕|欢迎|答谢)(?:献词|贺词|致辞|致词|贺信|慰问信)$"
)
# A festival's letter to the people (`春节致王城乡亲的一封信`, `新春致全县人民的一封信`) is its greeting; a letter of
# another occasion (`疫情防控致全县人民的一封信`) is an appeal, typed none (m9)
GREETING_LETTER_RE = re.compile(
    r"^(?:\d{4}年)?(?:春节|新春|新年|元旦|中秋|国庆|端午|八一|建军节|重阳)[^，。；]{0,24}一封信$"
)
# …or one whose title names no festival but whose opening greets at one (`——致双峰在外商贤的一封信` / `值此龙年新春来临之际，
# 我谨代表…向您和您的家人致以最诚挚的问候`: session 59's fresh pages were untyped)
FESTIVAL_GREETING_RE = re.compile(
    r"值此[^，。！]{0,16}?(?:春节|新春|新年|元旦|中秋|国庆|端午|重阳)[^，。！]{0,12}?之际[^。！]{0,80}?(?:问候|祝福|祝愿)"
)
FESTIVAL_GREETING_CHARS = 600  # the head (title, stamp, source line) and the letter's first sentence
# A New Year or festival address to the people at large (`各位父老乡亲、同志们、朋友们：` / `…值此万家团圆…的美好时刻，我谨代表…
# 致以诚挚的问候和新春的祝福`, `尊敬的各位老乡：` / `值此戊戌新春即将到来之际，…把…祝福，送给…`): a greeting, typed 致辞 as its
# 新春贺信 title would type it, never a 讲话 for the 同志们 it also greets (session 60's fresh county pages had no title).
# The folk it greets (父老乡亲, 乡亲们, 老乡) and the festival's greeting in its opening say so together.
FOLK_SALUTATION_RE = re.compile(r"^[^。！？!?\n：:]{0,24}?(?:父老乡亲|乡亲们|老乡们?)[^。！？!?\n：:]{0,16}[：:]", re.M)
FOLK_SALUTATION_CHARS = 200  # the salutation's line under a title or a stamp
# …whose greeting may name the moment rather than the festival (`值此万家团圆、欢乐祥和的美好时刻`)
NEW_YEAR_GREETING_RE = re.compile(r"(?:新春|新年|节日)的?(?:问候|祝福|祝愿)")
# a title set in spaced letters (`元 旦 献 词`): read without its spaces
SPACED_LETTERS_RE = re.compile(r"^[\u4e00-\u9fff](?:[ \u3000][\u4e00-\u9fff]){2,9}$")
# a slogan title's greeting subtitle (`平凡孕育不凡 奋斗创造未来` / `——2026年元旦献词`, `——代2026年新年献词`): the title is
# both, so its kind is the subtitle's
GREETING_SUBTITLE_LINE_RE = re.compile(
    r"^\s*(?:——|--|—|──)\s*(?:代)?(?:\d{4}年|[一二三四五六七八九〇零]{4}年)?[^，。；：:—\s]{0,10}?(?:献词|贺词|致辞|致词)\s*$"
)


# A series' navigation in a collection's header (wikisource: `中华民国第七任总统就职演说` / `第六任总统就职演说 中华民国第七任
# 总统就职演说` / `总统 蒋经国` / `1984年5月20日` / `第八任总统就职演说`): the previous and next works are titled as the
# page's own title with another number. A later title-like line that is the earlier title with its numbers changed
# (or its tail so), or a previous link run into the title on one line, is a link, not the title.
SERIES_NUMBER_RE = re.compile(r"[一二三四五六七八九十百零〇两\d]+")


def _series_link(t: str, titles: list[str]) -> bool:
    """t links to another work of the series whose titles `titles` (the earlier title-like lines) belong to."""
    for earlier in titles:
        if t == earlier:
            continue
        if " " in t and t.rsplit(" ", 1)[1] == earlier:
            return True  # `第六任总统就职演说 中华民国第七任总统就职演说`: the previous link, then the title
        a, b = SERIES_NUMBER_RE.sub("#", t), SERIES_NUMBER_RE.sub("#", earlier)
        if (
            "#" in a
            and len(a) >= 5
            and b.endswith(a)
            and SERIES_NUMBER_RE.findall(t) != SERIES_NUMBER_RE.findall(earlier)[-len(SERIES_NUMBER_RE.findall(t)) :]
        ):
            return True  # `第八任总统就职演说` under `中华民国第七任总统就职演说`: the next link
    return False


# A whole line in lenticular brackets (`【小学校长开学典礼致辞】尊敬的各位老师…`: a doc site's heading run into the salutation,
# this round's fresh pages): the title inside; a short tag (`【导语】`, `【特讯】`) stays what it was.
BRACKETED_TITLE_RE = re.compile(r"^\s*【([^【】\[\]]{5,60})】\s*$")


def _speech_title(head: list[str]) -> str | None:
    """The last title-like line before the salutation, joined with a split first half (seed 001)."""
    best = None
    head = _joined_title_lines(head)
    titles: list[str] = []  # title-like lines seen (a series' links are told from them)
    for i, line in enumerate(head):
        if (
            i > 0
            and (SUBTITLE_LINE_RE.match(line) or SPEAKER_SUBTITLE_LINE_RE.match(line))
            and _main_title_line(head[i - 1])
            and not (i > 1 and _main_title_line(head[i - 2]))  # a title on two lines: TITLE_PURPOSE_RE below joins it
        ):
            # `高举…而团结奋斗` / `——在中国共产党第二十次全国代表大会上的报告`: the subtitle says where the speech was
            # given; the line above it is the title (a doc site's copy whose page title is the subtitle)
            best = head[i - 1].strip()
            continue
        if i > 0 and GREETING_SUBTITLE_LINE_RE.match(line) and _main_title_line(head[i - 1]):
            best = head[i - 1].strip() + line.strip()  # `平凡孕育不凡 奋斗创造未来——2026年元旦献词`
            continue
        if line.lstrip().startswith("【"):
            line = BRACKETED_TITLE_RE.sub(r"\1", line)  # `【小学校长开学典礼致辞】`: a doc site's heading in brackets
        t = _unchrome_title(FOOTNOTE_RE.sub("", _strip_site(line)).strip())
        if SPACED_LETTERS_RE.match(t):
            t = re.sub(r"[ \u3000]", "", t)  # `元 旦 献 词`
        if SHORT_GREETING_TITLE_RE.match(t):
            best = t  # `新春献词`: a newspaper's greeting titled by its occasion alone
            continue
        if (
            len(t) < 5
            or not TITLE_LINE_RE.match(t)
            or t.startswith(("来源", "导语", "摘要", "出处"))
            or is_junk_title(t)
        ):
            continue
        if "，" in t and len(t) > 30:
            continue
        t = SUBTITLE_RE.sub("", t)  # `高举…而团结奋斗——在…大会上的报告`: the title, then its subtitle
        if _series_link(t, titles):
            continue
        titles.append(t)
        if i > 0 and not t.startswith("在") and "在" not in t[:3]:
            prev = head[i - 1]
            if (
                2 <= len(prev) <= 40
                and not re.search(r"[，。：:；!！?？、]", prev)
                and not TITLE_LINE_RE.match(prev)
                and ("在" in prev)
                and find_date(prev) is None
            ):
                t = prev + t
        full = next((x for x in titles[:-1] if _fuller_title(x, t)), None)
        best = full or t
        if i + 1 < len(head) and (cont := TITLE_PURPOSE_RE.match(head[i + 1].strip())):
            best = f"{t} {cont.group(0)}"  # 决胜全面建成小康社会 / 为夺取…伟大胜利: a party congress report's title
    return best


# How much longer than a header a page's full title may be and still be the same title with the speaker before it.
FULLER_TITLE_EXTRA = 30


def _fuller_title(full: str, short: str) -> bool:
    """wikisource heads a text with its page title (`中華民國大總統徐世昌在慶賀協約國勝利大會之演說`), then its own short
    header (`在慶賀協約國勝利大會之演說`): the full title, whose end is the header, names the speaker and stays. Only a
    header saying where and not who (`在…`): `政府工作报告` under `湖州要闻2026年湖州市政府工作报告` is no such header."""
    return (
        short.startswith("在")
        and len(short) < len(full) <= len(short) + FULLER_TITLE_EXTRA
        and full.endswith(short)
        and not re.search(r"\s", full)
    )


# `我代表市人民政府，向大会报告工作` / `我代表国务院向大会作政府工作报告`: the government's own report to its congress.
# `我代表国务院，向全国各族人民…表示诚挚感谢`: the thanks only a government's report to its congress gives.
GOV_THANKS_RE = re.compile(
    r"我代表(?:[^，。；]{0,14}?)(?:人民政府|国务院)[，,]\s*向(?:全[国省市区县州]|辛勤|各族|广大)"
)
WORK_REPORT_BODY_RE = re.compile(
    r"我代表(?:[^，。；]{0,14}?)(?:人民政府|国务院|政府)[，,]?\s*(?:向大会|向[^，。]{0,30}?会议)?"
    r"(?:作|做)?(?:报告(?:政府)?工作|(?:政府)?工作报告|政府工作的报告)"
    # `我代表汉川市政府，向大家汇报过去一年的工作成果`, `我谨代表沧源县政府，向大家汇报2023年的工作成果`: a doc site's
    # work report addressed to `各位领导、各位代表` (session 52's fresh pages were typed 报告 or nothing)
    r"|我谨?代表[^，。；]{0,14}?(?:人民政府|政府)[，,]?\s*向(?:大家|各位[^，。]{0,6}?|全[市县区镇]人民)汇报[^，。；]{0,14}?工作"
)
PLAN_REPORT_RE = re.compile(r"关于.{0,40}?(?:预算|决算|计划|规划|纲要).{0,30}?报告$")
# The speaker's own words naming the report a plan or budget report (`我代表国务院向…会议，提出关于一九五八年度国民经济计划
# （草案）的报告`, `我受中共中央和国务院的委托，向大会作关于…全国农业发展纲要的执行情况…的报告`): the untitled pages
# of old State Council reports carry no other sign of their kind.
PLAN_REPORT_BODY_RE = re.compile(
    r"(?:我(?:现在)?代表|我受|受)[^。；]{0,40}?(?:作|做|提出)关于[^。；]{0,60}?(?:预算|决算|计划|规划|纲要)[^。；]{0,40}?的报告"
)
# `市十三届人大一次会议以来，…市政府紧紧依靠全市人民…`: a government reporting its work since the congress's last
# session — the opening of a work report whose title and salutation the page lost.
SINCE_SESSION_GOV_RE = re.compile(
    r"(?:人大|人民代表大会)[^，。；\n]{0,12}?次会议以来[^。；\n]{0,80}?[，,]\s*"
    r"(?:[省市区县州旗](?:人民)?政府|本届政府|国务院)(?!办|各部门)"
)
# Another organ reporting its work to the congress (`我受全国人民代表大会常务委员会委托，向大会报告工作`, `我代表最高人民法院
# 向大会报告工作`, `我受政协第十四届全国委员会常务委员会委托`; local standing committees and courts alike): its `各位代表` and
# `向大会报告` are a government work report's words, but the report is a 报告.
OTHER_ORGAN_REPORT_RE = re.compile(
    r"我(?:代表|受)[^，。；]{0,30}?(?:人民代表大会常务委员会|人大常委会|人民法院|人民检察院|政协[^，。；]{0,16}?委员会)"
)
# A government's report to its people's congress's standing committee, delivered by an officer on the government's
# commission (`我受区人民政府的委托，向区人大常委会报告2022年度区本级预算执行和其他财政收支审计情况`: an audit, budget or
# special work report — session 55's fresh district page, untyped): a 报告, never the 政府工作报告 the congress hears.
STANDING_COMMITTEE_REPORT_RE = re.compile(
    r"受[^，。；]{0,20}?(?:人民政府|政府|国务院)的?委托[，,]?\s*向[^，。；]{0,20}?(?:人大常委会|人民代表大会常务委员会)"
    r"[^，。；]{0,8}?(?:报告|作[^，。；]{0,40}?报告)"
)
HEAD_OFFICE_RE = re.compile(r"(?:^|[、兼])(?:代理|代)?(?:总理|省长|市长|州长|区长|县长|旗长|盟长|自治区主席|主席)$")


# An untitled news copy says what it carries where it introduces the full text: `以下为致辞全文`, `…在晚宴上致辞全文：`,
# `以下是主旨演讲全文`, `致辞，全文如下`, `【习近平致词全文】` (5 of the 53 held-out pages, g1, had no other sign of their kind).
# A news page carrying a letter in full says so the same way (`贺信全文如下：`, `慰问信全文如下`: sina's copy of a city's
# letter to a university, session 49's fresh pages): the letter, read to its addressees, is a 致辞.
_LEAD_KIND = r"(致辞|致词|贺词|献词|讲话|演讲|演说|发言|贺信|慰问信)"
LEAD_KIND_RE = re.compile(
    rf"(?:以下|下面)(?:为|是)[^。；！？\n]{{0,60}}?{_LEAD_KIND}的?全文|{_LEAD_KIND}[，,。]?\s*全文如下"
    rf"|[【\[][^】\]\n]{{0,12}}?{_LEAD_KIND}全文[】\]]"
)


# An untitled acceptance, in its opening paragraph: the newly elected's thanks (`非常感谢大家对我的信任，选举我做辽宁省
# 人民政府的省长`: a 讲话) or an honoree's (`这份荣誉不再只属于我一个人`, `获此殊荣`: a 发言, as 获奖感言 are filed).
ACCEPTANCE_RE = re.compile(
    r"(?P<elected>(?:感谢|谢谢)[^。！；\n]{0,16}?信任[^。！；\n]{0,6}?(?:选举|推选)我|(?:我|本人)(?:有幸)?当选为?[^。，；\n]{0,16}?"
    r"(?:省长|市长|县长|区长|州长|主席|主任|书记))"
    r"|这份荣誉|获此殊荣|(?:我|本人)(?:有幸)?荣获[^。，；\n]{0,24}?(?:称号|奖)"
)


# A written reflection's title (`2020年党外干部培训班学习体会`, `学习胡领导讲话学习心得`, `…读后感`, `…观后感`): a text
# written to be read, never delivered — typed none (docs/doc_types.md), though its title names the 讲话 it studied or
# its body quotes `同志们` (session 55's fresh pages: 2 of 5 such pages typed 讲话). Read at the title's end, or before
# a colon that opens its subtitle (`“两学一做”心得体会:学深还需笃行`); a title ending in a speech's word
# (`…心得体会交流会上的发言`) is typed by it first, one read aloud by its opening salutation (_salutation_kind).
REFLECTION_TITLE_RE = re.compile(r"(?:心得|体会|感悟|感想|读后感|观后感|随笔)(?:体会)?(?:$|[:：])")
# A writing guide titled by the genre it teaches (`会议主持词格式`, `表态发言稿怎么写`, `述职报告的写法`, `如何写好讲话稿`):
# about the genre, never one (session 55's fresh pages: a 范文 site's `会议主持词格式` typed 主持词).
GUIDE_TITLE_RE = re.compile(
    # …and its example after it (`悼词写法及范文`: session 59's fresh pages typed it 讲话 by the example's salutation)
    r"(?:格式|的?写法|怎么写|如何写|写作(?:技巧|要点|方法)|模板格式)(?:[及与和](?:范文|范例|例文|模板))?$|^(?:如何|怎样)写好?"
    # …or asking what the genre is (`老秘答什么是悼词？`: a writing column's answer, session 60's fresh forum pages)
    r"|(?:什么是|何谓|何为)[^，。？?]{0,6}?(?:悼词|讲话稿?|致辞|贺词|发言稿?|主持词|述职报告|工作报告|总结)[？?]?$"
)


# A title opening on its year with no 年 (`2023开学典礼校长讲话致辞`, `2021春节团拜会致辞`: 范文 sites' titles, session 54's
# fresh pages had no year): the year its occasion fell in. Not before a unit or a count (`2000亿元…`, `2022个…`).
TITLE_LEAD_YEAR_RE = re.compile(r"^\s*((?:19|20)\d{2})(?=[\u4e00-\u9fff])(?![年亿万千百元个人名户家项件次多余])")


# The report named as what a text talks about (`是希望把政府工作报告的一些具体内容，透过部长的口看如何去落实`: a CCTV reporter's
# interview on the congress, session 56's fresh pages, typed 政府工作报告): a head holding it only so is no report.
REPORT_MENTION_RE = re.compile(r"政府工作报告的")


def _doc_type(title: str | None, text: str, speaker_title: str | None = None, meeting: str | None = None) -> str | None:
    """Type from the title's ending; a generic 报告 is a 政府工作报告 when the government reports its work to its
    congress. A plan or budget report (`关于1955年国家决算和1956年国家预算的报告`) is a 报告 unless the head of
    government (总理, 省长, 市长 … — not a 副总理 or a 财政部长) delivers it to a people's congress."""
    if PARTY_REPORT_RE.search(text[:OPENING_CHARS]) or (
        # `中国共产党惠州市第十一次代表大会第四次会议`: a congress's annual session hears its committee's report too
        meeting
        and re.search(r"中国共产党.{0,12}代表大会(?:第[一二三四五六七八九十]{1,3}次会议)?$", meeting)
        and (not title or title.endswith("报告"))
    ):
        return "党代会报告"  # the committee's report to its party congress, never a 讲话
    kind = None
    if title:
        t = re.sub(r"[（(][^）)]*[）)]$", "", FOOTNOTE_RE.sub("", title)).strip()
        if _genre_title(t):
            return "新闻报道"  # `…大会发言侧记`: the report of the meeting, not a 发言
        if HEARD_REPORT_TITLE_RE.search(t):
            return "新闻报道"  # `会议通过主要议程并开始听取关于第一个五年计划的报告`: the news of a session hearing it
        held = MEETING_HELD_TITLE_RE.search(t)
        if (
            held
            and CENTRAL_MEETING_TITLE_RE.search(t[: held.end()])
            and not DELIVERED_OPENING_RE.search(text[:OPENING_CHARS])
        ):
            return "公报"  # `中央经济工作会议在北京举行 习近平发表重要讲话`: the meeting's news release
        if GUIDE_TITLE_RE.search(t):
            return None  # `会议主持词格式`: a guide to the genre its title names
        for key, k in DOC_TYPES:
            if t.endswith(key):
                kind = k  # `…关于政府工作报告的决议` ends in 决议
                break
        if kind is None and REFLECTION_TITLE_RE.search(t):
            # `…学习体会`, `…讲话学习心得`: a written reflection, read to nobody — unless it opens on a spoken
            # salutation (`…学习全会精神的几点感悟` / `各位领导、各位同仁：大家好。`: a participant's talk, session 53)
            return _salutation_kind(title, text)
        if kind is None and GREETING_LETTER_RE.match(t):
            return "致辞"
        if kind is None and t.endswith("一封信") and FESTIVAL_GREETING_RE.search(text, 0, FESTIVAL_GREETING_CHARS):
            return "致辞"  # `…——致双峰在外商贤的一封信` / `值此龙年新春来临之际，…致以…问候`: the festival's greeting
        if kind is None:
            issued = next((k for k in ISSUED_DOC_TYPES if t.endswith(k)), None)
            if issued and (issued not in ISSUED_AS_PHRASE or ISSUED_PHRASE_RE.search(t)):
                return issued
        if kind is None:
            for key, k in DOC_TYPES:
                if key in t[-8:]:
                    kind = k
                    break
        if kind is None:
            for key, k in DOC_TYPES:
                if key in t:
                    kind = k
                    break
            if kind is not None and _third_person_report(text):
                # `习近平发表新年贺词 涉台提…`, `某某新年贺词:每个小家热气腾腾…`: a news headline that names the speech
                # mid-title over a report in the third person (`习近平表示，`), not the speech (session 46)
                return "新闻报道"
    head_office = bool(speaker_title and HEAD_OFFICE_RE.search(speaker_title) and "副" not in speaker_title)
    congress = bool(meeting and re.search(r"人民代表大会|人大", meeting))
    plan_opening = PLAN_REPORT_BODY_RE.search(text[:OPENING_PARA_CHARS])
    if kind == "政府工作报告" and plan_opening and speaker_title and not head_office:
        # `1960年政府工作报告` over a vice-premier's `…作关于…农业发展纲要…的报告`: the headline files the year's
        # report; the speaker's own words say what it is.
        return "报告"
    if kind not in (None, "报告"):
        return kind
    if OTHER_ORGAN_REPORT_RE.search(text[:OPENING_PARA_CHARS]) or STANDING_COMMITTEE_REPORT_RE.search(
        text[:OPENING_PARA_CHARS]
    ):
        return "报告"
    if title and PLAN_REPORT_RE.search(re.sub(r"[（(][^）)]*[）)]$", "", title)):
        return "政府工作报告" if head_office and congress else "报告"
    if WORK_REPORT_BODY_RE.search(text[:OPENING_CHARS]):
        return "政府工作报告"
    if plan_opening and speaker_title:
        return "政府工作报告" if head_office and congress else "报告"
    if kind == "报告":
        return "政府工作报告" if head_office and congress else "报告"
    if (congress and head_office) or (
        (congress or "各位代表" in text[:OPENING_CHARS]) and GOV_THANKS_RE.search(text[:GOV_THANKS_CHARS])
    ):
        return "政府工作报告"
    head = text[:DOC_TYPE_HEAD_CHARS]
    if "政府工作报告" in REPORT_MENTION_RE.sub("", REPORT_HEARD_RE.sub("", PRESS_TURN_RE.sub("", head))) or (
        "各位代表" in head and "向大会报告" in text[:OPENING_PARA_CHARS]
    ):
        return "政府工作报告"
    if "各位代表" in text[:OPENING_PARA_CHARS] and re.search(
        r"向大会(?:作)?(?:政府)?(?:工作)?报告|报告(?:政府)?工作|作政府工作报告", text[:OPENING_CHARS]
    ):
        return "政府工作报告"
    if plan_opening:
        return "报告"  # a plan or budget report whose speaker the page does not name
    if SINCE_SESSION_GOV_RE.search(text[:DOC_TYPE_HEAD_CHARS]):
        return "政府工作报告"
    if lead := LEAD_KIND_RE.search(text[:OPENING_PARA_CHARS]):
        word = next(g for g in lead.groups() if g)
        return next(k for key, k in DOC_TYPES if word.endswith(key))
    if title is None and (accept := ACCEPTANCE_RE.search(text[:OPENING_PARA_CHARS])):
        return "讲话" if accept.group("elected") else "发言"
    if (
        kind is None
        and (folk := FOLK_SALUTATION_RE.search(text, 0, FOLK_SALUTATION_CHARS))
        and (
            FESTIVAL_GREETING_RE.search(text, folk.end(), folk.end() + FESTIVAL_GREETING_CHARS)
            or NEW_YEAR_GREETING_RE.search(text, folk.end(), folk.end() + FESTIVAL_GREETING_CHARS)
        )
    ):
        return "致辞"  # `各位父老乡亲、同志们、朋友们：` / `…致以…新春的祝福`: the New Year's greeting to the people
    if "同志们" in head:
        return "讲话"
    if kind is None and ISSUING_NOTICE_RE.search(text, 0, OPENING_PARA_CHARS):
        return "通知"
    return _salutation_kind(title, text)


# An organ's notice issuing a document to those it addresses (`各科室，各站所，各村：…制定《…应急预案》，现印发给你们，请…`,
# under its number `鹿山政〔2020〕72号`): a 通知 whose page gave no title (session 54's fresh town page, untyped). What
# issues it is the notice's own formula; a speech never hands a document over so.
# Also a notice's own formula announcing what it notifies (`现将有关事项通知如下：`, `现就…有关事项通知如下`: a CPPCC's
# notice of its session to `各镇(街道)、市直各单位…：`, session 55's fresh page, untyped): no speech says so.
ISSUING_NOTICE_RE = re.compile(
    r"(?:现|特)(?:将[^。；！？\n]{0,80}?)?(?:印发|转发|下发)给你们|(?:现|特)[将就][^。；！？\n]{0,60}?通知如下"
)


# The opening salutation of a text whose title (if it has one) names no kind: untitled 开学典礼 speeches (`尊敬的各位老师、亲爱的
# 同学们：` … `谢谢大家！`), a study talk under its theme (`…的几点感悟` / `各位领导、各位同仁：大家好。…今天，我想借此宝贵机会…`):
# 3 of this round's fresh pages were untyped (`同志们` alone was read). Whom it addresses says which: guests (来宾, 嘉宾,
# 女士们, 先生们) an address (致辞); the leaders first, with no 同志们 (`各位领导、各位同仁`) a participant's statement (发言);
# anyone else (同学们, 老师们, 同事们, 朋友们) a 讲话, as 同志们 is. It must be spoken: its opening greets or says 今天, or it
# ends on thanks; a letter or an appeal (`…的一封信`, `倡议书`: read to nobody) is none.
SALUTATION_GUEST_RE = re.compile(r"来宾|嘉宾|贵宾|女士们|先生们")  # 贵宾: Taiwanese commencement addresses
# The addressees named before the salutation's own words, on the segment the header cut before them (`李董事长、苏校长各位
# 嘉宾、各位师长、各位毕业生，还有…家属` | `朋友们大家好：`, `李董事长 苏校长 各位师长 各位贵宾` | `各位学弟妹大家好`: session
# 55's fresh commencement addresses, typed 讲话 by the greeting's last words): one salutation, whose guests make it a 致辞.
# The segment names 各位 and holds no sentence.
ADDRESSEE_RUN_MAX = 60
ADDRESSEE_RUN_RE = re.compile(r"^[^。！？!?]*各位[^。！？!?]*$")
SALUTATION_SUPERIOR_RE = re.compile(r"^(?:尊敬的)?各位(?:领导|首长)")
# …and an evening's reception (`欢迎大家莅临今晚的招待会`: session 61's fresh embassy page under `尊敬的各位来宾` was untyped)
SPOKEN_OPENING_RE = re.compile(r"大家好|今天|今晚|借此(?:宝贵)?机会|下面[，,]?我")
SPOKEN_OPENING_CHARS = 120  # the greeting and the opening sentence after the salutation
CLOSING_THANKS_RE = re.compile(r"谢谢(?:大家|各位|您们|你们)?[!！。]?\s*$")
CLOSING_CHARS = 40
LETTER_TITLE_RE = re.compile(r"信$|书$|倡议|公开信|来信")


# A salutation run into its greeting with no colon, at the text's start (`各位老师同学大家好，今天我演讲的题目是…`: a student's
# contest speech, session 54's fresh pages, untyped): the words before 大家好 address the audience as `各位老师、同学们：` would.
GREETED_OPENING_RE = re.compile(
    rf"^\s*(?P<sal>(?:{SALUTATION_WORDS})[^。！!？?：:，,\n]{{0,16}}?)大家(?:上午|下午|晚上)?好"
)


def _salutation_kind(title: str | None, text: str) -> str | None:
    """The kind a spoken text's opening salutation gives (SALUTATION_GUEST_RE …), None without one."""
    if title and LETTER_TITLE_RE.search(title):
        return None
    if (greeted := GREETED_OPENING_RE.match(text)) is not None:
        line = greeted["sal"]  # spoken: it greets
        if SALUTATION_GUEST_RE.search(line):
            return "致辞"
        return "发言" if SALUTATION_SUPERIOR_RE.match(line) else "讲话"
    segs, _ = header_segments(text)
    for i, raw in enumerate(segs[:HEAD_SHORT_LINES]):
        line = clean_line(raw)
        if not SALUTATION_RE.match(line):
            continue
        at = text.find(raw.strip()[:8])
        after = text[at + len(raw) : at + len(raw) + SPOKEN_OPENING_CHARS] if at >= 0 else ""
        if not (SPOKEN_OPENING_RE.search(after) or CLOSING_THANKS_RE.search(text[-CLOSING_CHARS:])):
            return None
        if i > 0 and len(prev := clean_line(segs[i - 1])) <= ADDRESSEE_RUN_MAX and ADDRESSEE_RUN_RE.match(prev):
            line = prev + line  # `李董事长 苏校长 各位师长 各位贵宾` | `各位学弟妹大家好`: one salutation
        if SALUTATION_GUEST_RE.search(line):
            return "致辞"
        return "发言" if SALUTATION_SUPERIOR_RE.match(line) else "讲话"
    return None


# A news report of a meeting or of a leader's activity, not the speech (held-out audit k5: `李强主持召开国务院常务会议`,
# `…调研时强调`, `本网讯1月10日上午，…团拜会隆重举行`, `4月14日，市政府召开第107次常务会议。会议强调，…`): its lead opens
# with a news mark — an agency's or paper's dateline, `本报讯`, a month-day — and reports an activity (召开, 调研, 出席 …),
# and its text reports in the third person (`会议强调`, `李强指出`, `作了…致辞`), with no salutation opening a speech
# and no `以下为…全文` handing over to one. Such a page is a 新闻报道: never a 讲话 it tells about.
# Session 47's search-tool pages added: a year before the month-day and a clock time after it (`2024年12月20日上午10时，`,
# gcs.gov.mo), a space inside it (`2月 2日，`), one short scene-setting sentence before it (`新春佳节将至，…牵动人心。2月
# 2日，`), a bracketed flash mark (`【特讯】`, Macau dailies) and the Taiwanese dated lead (`蕭美琴副總統今(21)日下午`,
# `賴清德總統今(13)日上午`: president.gov.tw's news pages, the day in brackets after 今/昨).
# A headline announcing when a policy address or work report will be delivered (`特首明发表2019施政报告`,
# `行政长官贺一诚明日发表【2023年度施政报告】`, `林郑月娥11月25日发表《施政报告》`): a news item, never the report, which
# its title's 报告 made it (session 47 left it; 3 of this round's 22 fresh dev pages). The time word comes before the verb;
# the report's own title says `所作的`/`作的` (`…会议上作的政府工作报告`), which this never reads.
ANNOUNCED_REPORT_RE = re.compile(
    r"(?:明日?|明天|后天|将于?|将在|拟于?|擬於?|下周.|下星期.|下月[^，。；发]{0,4}|\d{1,2}月\d{1,2}日)"
    r"[^，。；]{0,12}?(?:发表|宣读|(?<!工)作|做)[^，。；的]{0,16}?(?:施政报告|政府工作报告)"
)
# A headline telling that a session closed or opened and passed its documents (`十四届全国人大二次会议闭幕 通过政府工作报告
# 等多项决议`): the news of the session, never the resolution its last word names (typed 决议, the chair unnamed).
SESSION_PASSED_TITLE_RE = re.compile(r"(?:闭幕|开幕|闭会|结束)[\s，,]{0,2}(?:并|后)?(?:表决)?通过")
# A Taiwanese or HK paper's byline line over its lead (`記者陳玉/台中報導`, `聯合報/ 記者陳敬丰/台中即時報導`,
# `【大成報記者蕭宇廷/臺中報導】…`, a wire's `中央社/ 台北7日電`): the report's own mark, never its title (session 47
# left such pages untyped with the byline for title: 4 of this round's 22 fresh dev pages).
REPORTER_BYLINE = (
    # the outlet before 记者 with or without its slash (`台灣新聞網記者李某/南投報導`: session 50 left it)
    r"[【\[（(]?(?:[^\s，。/／∕【\[]{1,8}\s*[/／∕]\s*|[^\s，。/／∕【\[（(记]{2,8}?)?(?:特派)?记者[^，。！？\n/／∕]{1,24}?[/／∕]\s*"
    r"[^，。！？\s/／∕】\]）)]{1,12}?(?:即时)?(?:报导|报道)[】\]）)]?"
)
REPORTER_BYLINE_RE = re.compile(
    rf"^\s*(?:{REPORTER_BYLINE}|[^\s，。/／∕]{{2,8}}\s*[/／∕]\s*[^\s，。/／∕]{{2,6}}?\d{{1,2}}日电)。?\s*$"
)
# A lead's day or days: 号 for 日 (`19号上午`, `11月17號`), a range or list whose first day may drop its 日
# (`2月1日-2日`, `10月15、16日`, `6月24日、25日和28日`).
NEWS_DAYS = r"\d{1,2}(?:[日号]|(?=[至、和\-—~～]\d))(?:[至、和\-—~～](?:\d{1,2}月)?\d{1,2}[日号]?)*"
# The occasion a lead opens on before its day (`在第26个中国记者节来临之际，`, `在全县人民的热切期盼下，`): session 49
# and this round's county news pages were untyped for it.
NEWS_OCCASION = (
    r"(?:在[^，。\n]{2,30}?(?:之际|前夕|期间|下)"
    # …or the new year or festival it welcomes (`迎接113年元旦新年到來，台南市政府今(1)日一早…舉行升旗典禮`: session 57)
    r"|(?:为|為)?迎接[^，。\n]{2,20}?(?:到来|来临)(?:之际)?)[，,]"
)
# The reason a lead gives before its day (`根据区政协年度工作安排，近日，`: a county CPPCC's item, this round's fresh pages)
LEAD_REASON = r"(?:根据|按照|依照)[^，。\n]{2,24}?(?:安排|部署|要求|计划)[，,]"
# A mainland paper's reporters in brackets before the lead's day, no 讯 mark (`（四川日报记者孙琳本报记者赖晓莉）昨日，`)
LEAD_REPORTERS = r"[（(][^）)\n]{0,12}?(?:记者|通讯员)[^）)\n]{1,24}?[）)]\s*"
# …or a company's or department's own correspondent (`(通讯员 李某)1月31日至2月2日，公司召开…`: this round's fresh pages)
# The purpose a lead states before its full date (`为深入贯彻…精神，谋划2023年工作思路，2023年1月29日，集团召开…`): a
# company's or department's item opens so (this round's fresh pages); only before a date with its year, which no speech's
# `为…，今天我们召开…` has, or before 近日/日前 (`为深入学习…，近日，我院在…召开…大会`: a college's item, session 54).
LEAD_PURPOSE = r"为[^。；！？\n]{4,160}?[，,](?=\d{4}年\d{1,2}月\d{1,2}日|近日|日前)"
# An outlet's own bracket before its reporter's (`（觀傳媒南投新聞）【記者石振賢/南投報導】`): no space inside, 12 characters at
# most (`（觀傳媒南投新聞）` is 7)
OUTLET_BRACKET = r"(?:[（(][^）)\n\s]{2,12}[）)]\s*)?"
# The times of day a news lead puts after its day (`上午`, `傍晚`, `凌晨`); `晚` alone only before a comma or a clock.
LEAD_HOUR_WORDS = "上午|中午|下午|傍晚|晚间|晚上|清晨|凌晨|早上|早晨|深夜"
LEAD_HOURS = LEAD_HOUR_WORDS + "|晚"
NEWS_MARK_RE = re.compile(
    # `本报洛阳讯4月10日，`: a paper's mark naming where it filed from (session 50 read `本报讯` only)
    # `新京报快讯（记者…）`: a paper's flash mark (session 55's fresh copy of a press-conference feature)
    # a county's convergence-media centre (`【张店融媒讯】2月14日下午，…`: session 59's fresh district item, untyped)
    r"^(?:[【\[]?(?:[^\s，。]{0,12}?(?:报|网|台|社|特|融媒|融媒体中心)快?|本报[^\s，。（(]{1,6}?)讯[】\]]?|[【\[][^\s，。】\]]{0,8}新闻[】\]]|"
    # an outlet's `消息` mark (`央视网消息：2月24日，国务院新闻办公室举行…发布会`: session 54's fresh copy, untyped)
    r"[^\s，。：:]{1,12}?(?:网|台|社|报)消息\s*[:：]|"
    # LTN's lenticular brackets (`〔記者蔡政珉／苗栗報導〕`: session 50 left them), also after the outlet's own bracket
    # (`（觀傳媒南投新聞）【記者石振賢/南投報導】`: session 56's fresh LINE Today copy, untyped)
    rf"{OUTLET_BRACKET}[【\[（(〔][^】\]）)〕\n]{{0,12}}?记者[^】\]）)〕\n]{{1,24}}?(?:报导|报道)[】\]）)〕]|"
    # a Taiwanese paper's bracket without 報導 (`【記者蕭國華/台北】`) and a dated mark (`【大紀元2012年07月01日訊】`,
    # `【中新社澳門二十日電】`)
    rf"[【\[][^】\]\n]{{0,12}}?记者[{HAN}]{{2,4}}\s*[/／]\s*[{HAN}]{{2,6}}[】\]]|[【\[][^】\]\s，。]{{0,12}}?{DAY_NUM}日(?:专)?[讯电][】\]]|"
    # a paper's own mark without its reporter (`(星島日報報道)昨天是十月一日…`)
    # …and a site's dated mark (`中国经济网北京3月2日讯`: session 55's fresh copy of a press-conference report, untyped)
    rf"[【\[（(][^】\]）)\n\s，。]{{2,12}}?(?:报导|报道)[】\]）)]|[^\s，。]{{2,12}}?{DAY_NUM}月{DAY_NUM}日(?:专)?[电讯]|"
    # a TV channel's report mark (`上视新闻综合频道1月13日报道:`: session 53's fresh Shanghai page was untyped)
    rf"[^\s，。]{{2,12}}?(?:频道|电视台|广播电台|之声){DAY_NUM}月{DAY_NUM}日(?:消息|报道)[:：]|"
    # `今(23)日`, and the day inside the bracket (`今（十九日）晚`, `今（19日）`: Macau's government releases)
    rf"[^\s，。]{{2,20}}?(?:今|昨)\s*[（(](?:\d{{1,2}}[）)]\s*日|{DAY_NUM}日[）)])|[（(][^）)\s]{{2,24}}?\d{{1,2}}日(?:专)?[电讯][）)]|"
    # …and a paper's day mark in round brackets with 讯 (`（香港1日讯）香港在周一…`: Oriental Daily's HK copy, session 56's
    # fresh pages, untyped and undated)
    # a TV news script's lead label (`【导语】19号上午，县政府召开…征求意见会`)
    r"[【\[]导语[】\]]|"
    # a county media centre's or a reporter's byline run into the lead, no bracket around it (`云上嘉鱼报道（全媒体记者
    # 熊某 通讯员叶某）2月12日，…`, `记者吴某报道 星期天(10月27日)晚上，…`, `王某报道7月30日，…`: session 60's fresh
    # county and overseas items were untyped)
    rf"[^\s，。（(【\[]{{2,12}}?(?:报道|报导){LEAD_REPORTERS}|记者\s?[{HAN}]{{2,4}}\s?(?:报道|报导)\s|"
    rf"[{HAN}]{{2,4}}(?:报道|报导)(?=\d{{1,2}}月\d{{1,2}}日)|"
    # the day named as an occasion (`今日（10月1日）是國慶76周年，特區政府…`: session 50 read it after a month-day only)
    r"(?:今天|今日|昨天|昨日)[（(]\d{1,2}月\d{1,2}日[）)]是[^，。\n]{2,24}?[，,]|"
    # a copy naming its source (`据新华社北京电(记者 杨某 林某)`, `据黔东南日报消息 9月26日晚，`): the wire's or paper's report
    rf"{ATTRIBUTION}|{MEETING_FIRST_LEAD_RE.pattern}|"
    # one sentence of background, a quote the item opens on (`“我自任职以来，…取得了一些成绩。”5月13日，在…`), or short
    # scene-setting clauses (`金秋送爽，丹桂飘香，9月4日，…`): session 54's fresh school and township items were untyped
    r"(?:[^。\n]{4,40}。|“[^”\n]{4,160}?”|(?:[^，。\n\d]{2,8}[，,]){1,3}(?=\d{1,2}月))?(?:" + ATTRIBUTION + r")?"
    # the occasion before the day (`在第26个中国记者节来临之际，11月7日下午，`, `在全县人民的热切期盼下，`)
    rf"(?:{NEWS_OCCASION}|{LEAD_REASON}|{LEAD_PURPOSE})?(?:{LEAD_REPORTERS})?(?:今年)?"
    rf"(?:(?:\d{{4}}年)?\d{{1,2}}月\s?(?:{NEWS_DAYS}|{LEAD_DAY})"
    # the day named as an occasion, then its hour (`11月8日是第25个中国记者节，当天上午，`)
    r"(?:是[^，。\n]{2,24}?[，,。]\s*(?:当天)?(?=上午|下午|晚))?"
    r"|\d{1,2}月\d{1,2}(?=上午|下午|晚)"  # 日 dropped before the hour (`3月4下午3:00`: a typo lead)
    # a local paper's day alone (`5日,由《海南日報》…記者團一行到定安開展…活動`)
    r"|\d{1,2}日(?=(?:上午|下午|晚上|晚)?[，,])"
    # …with its hour before the bracketed date (`今天下午（12月26日），…会议召开`: session 56's fresh city item, untyped)
    rf"|(?:今天|今日|昨天|昨日)(?:(?:上午|中午|下午|晚上|晚间)?[（(]\d{{1,2}}月\d{{1,2}}日[）)])?|近日|日前)"
    # HK and Macau papers put the weekday after the date (`3月12日（星期四）下午3时，…闭幕会在人民大会堂举行`)
    r"(?:[（(](?:星期|周|週)[一二三四五六日天][）)])?"
    # …and its time of day, dusk and dawn too (`7月8日傍晚，…会见了…`: session 59's fresh Shanghai item, untyped)
    rf"(?:(?:{LEAD_HOURS})?(?:\d{{1,2}}[时点](?:\d{{1,2}}分|半)?|\d{{1,2}}[:：]\d{{2}})?[，,\s]"
    # the time of day and the subject with no comma between (`12月31日上午全國政協舉行新年茶話會。`, session 50)
    rf"|(?:{LEAD_HOUR_WORDS})(?=[{HAN}])))"
)
# A lead with no date or agency mark that says, in the third person, that an officer spoke or presided
# (`澳門特區行政長官賀一誠在慶祝酒會致辭時表示，`, `行政長官李家超致詞時提到`, `國務院總理李強主持召開…座談會`): HK, Macau
# and mainland items whose dateline the copy dropped (4 of this round's 22 fresh dev pages were untyped and unnamed).
# The office and a 2-4 character name first, the speaking clause within its sentence (`…时表示`: what a speech's own
# opening never says of its speaker).
# Taiwanese leads put the name first (`雙十國慶晚會在台中，賴清德總統到場致詞`).
# A dinner, a reception or a ceremony where a person is reported speaking (`…在晚宴上表示`, `…在典禮上致詞時表示`): events
# only, never a meeting (`习近平总书记在大会上指出`: what a speech quotes of its superiors)
CEREMONY_WORDS = "晚宴|午宴|宴会|酒会|典礼|仪式|庆典|联欢会|年会|茶话会|开幕式|闭幕式"
NEWS_SPOKE_LEAD_RE = re.compile(
    rf"^[^。！？\n]{{0,40}}?(?:(?:{OFFICE_KW}|特首)(?:当选人)?[ ]?[{HAN}·]{{2,4}}|[{HAN}]{{2,3}}副?总统)"
    r"(?:[^。！？\n]{0,30}?(?:致辞|致词|讲话|发言)时(?:表示|指出|强调|提到|说)"
    # …in the remarks or at the dinner or ceremony (`會長蔡田田在致辭中表示`, `商會會長朱學霖在晚宴上表示`): Macau and
    # Taiwanese association and school items whose lead names no day in digits (5 of session 55's 24 fresh dev pages)
    r"|[^。！？\n]{0,30}?[在于](?:致辞|致词|讲话|发言)中(?:表示|指出|强调|提到|说)"
    rf"|[^。！？\n]{{0,8}}?[在于][^，。！？\n]{{0,16}}?(?:{CEREMONY_WORDS})(?:上|中|时)(?:表示|指出|强调|提到|说)"
    r"|[^。！？\n]{0,30}?(?:出席|到场)[^。！？\n]{0,20}?(?:致辞|致词|讲话)"
    r"|(?:\d{1,2}日)?(?:上午|下午|晚上)?主持召开"
    # the day word right after the name, then the act (`行政長官李家超今日(28日)出席…`, `…今日率領特區政府代表團…出席`):
    # HK items with no dateline and no bracketed day (session 49 left `今日` without a bracketed day)
    # …or the weekday (`中國國家主席習近平星期三(12月18日)會見…`: zaobao's copy of a Xinhua item)
    r"|(?:(?:今|昨)(?:日|天|晨|早|晚)|星期[一二三四五六日天])(?:[（(][^）)\n]{1,8}[）)])?(?:上午|中午|下午|晚上|晚间)?"
    r"[^。！？\n]{0,20}?(?:出席|率领|率团|主持|会见|接见|前往|到访|访问|视察|考察|巡视)"
    # attended, then what the person said with no 致詞 (`副總統賴清德出席新創創業嘉年華時表示，`: session 49 left it)
    r"|[^。！？\n]{0,30}?(?:出席|到场)[^。！？\n]{0,30}?(?:时|并)?(?:表示|指出|强调)[，,：:])"
    # a Taiwanese lead opening on the name and office, then the day or the act (`吳敦義副總統上午前往臺中市`, `賴清德副總統
    # 第二天…`: a visit's later day)
    rf"|^[{HAN}]{{2,3}}副?总统(?:上午|中午|下午|晚间|晚上|前往|出席|“|第[一二三四五六七八九十]天)"
)
# NEWS_SPOKE_LEAD_RE's literal words and the reach of its match: most lines hold none of them there (its alternation
# of offices at 40 positions cost 18 µs a page, 2.5x _news_report on the shared corpus, before this gate)
SPOKE_LEAD_GATE = (
    "致辞",
    "致词",
    "讲话",
    "发言",
    "主持召开",
    "总统",
    "今日",
    "今天",
    "昨日",
    "昨天",
    "出席",
    "到场",
    "星期",
    # CEREMONY_WORDS' literal stems
    "宴",
    "酒会",
    "典礼",
    "仪式",
    "庆典",
    "联欢会",
    "年会",
    "茶话会",
    "幕式",
)
SPOKE_LEAD_REACH = 120  # 40 characters before the office, the office and name, 30 + 20 to the verb


# The day in digits or in brackets right after the officer's name (`國務院總理溫家寶18日下午在人民大會堂與…舉行會談`,
# `行政長官崔世安今(23)日回應傳媒訪問表示，`, `…今(22)日表示`): HK/Macau and wire items with no dateline (session 50 left
# them). A pattern of its own behind its own gate: in NEWS_SPOKE_LEAD_RE it cost every gated line (2.5 -> 4.5 µs a line).
NEWS_DAY_SPOKE_RE = re.compile(
    rf"^[^。！？\n]{{0,40}}?(?:{OFFICE_KW}|特首)[ ]?[{HAN}·]{{2,4}}?"
    r"(?:\d{1,2}日|(?:今|昨)\s*[（(]\d{1,2}[）)]\s*日)(?:上午|中午|下午|晚上|晚间)?"
    r"[^。！？\n]{0,30}?(?:出席|率领|率团|主持|会见|接见|会谈|前往|到访|访问|视察|考察|巡视|宴请|回应[^。！？\n]{0,8}?表示|表示[，,])"
)
SPOKE_DAY_GATE_RE = re.compile(r"\d日(?:上午|中午|下午|晚)|[今昨]\s*[（(]\d")  # a dateline's `1月15日）` passes none


def _spoke_lead(line: str) -> bool:
    head = line[:SPOKE_LEAD_REACH]
    if any(w in head for w in SPOKE_LEAD_GATE) and NEWS_SPOKE_LEAD_RE.match(line) is not None:
        return True
    return "日" in head and SPOKE_DAY_GATE_RE.search(head) is not None and NEWS_DAY_SPOKE_RE.match(line) is not None


# A dated lead whose subject is an officer by office and name doing the item's act (`3月2日，区政协召开…会议。区政协主席
# 张某主持会议并讲话`, `3日下午，广州市市长陈某主持召开市政府常务会议。`, `10月27日、28日，市委书记王某深入乡镇…调研`, `昨日，
# 省长张某在蓉会见了…`): the act is the news, though the item quotes nobody as `某某指出，` (session 50 needed a reported
# sentence: 6 of this round's 36 fresh dev pages, county and city items, were untyped for it). Read in the lead's first
# LEAD_ACT_CHARS only, where the news mark already stands.
LEAD_ACTOR_RE = re.compile(
    rf"(?:{OFFICE_KW})[ ]?[{HAN}·]{{2,4}}?(?:同志)?(?:{DAY_NUM}日)?(?:上午|中午|下午|晚上)?"
    r"(?:在[^，。；！？\n]{1,16}?)?"
    r"(?:主持(?:召开)?|出席|讲话|致辞|致词|调研|考察|视察|会见|会谈|深入|前往|率领|率队|率团|带队|看望|慰问|走访"
    # …or went to a place to inspect it (`街道党工委书记李某到四联社区、…，督导检查…`: session 60's fresh street item)
    r"|到[^。；！？\n]{1,40}?(?:调研|督导|检查|指导|视察|考察))"
)
LEAD_ACT_CHARS = 120  # the lead's mark, a meeting held and the officer's clause (`…主席会议，区政协主席刘某主持会议`)


# A lead reporting a visit to people (春节 看望慰问, 走访): the visit is the news; such reports often quote no
# `某某表示，` sentence at all (session 46 left them untyped: 3 of session 47's 4 慰问 pages).
NEWS_VISIT_RE = re.compile(
    r"看望|慰问|走访"
    # a delegation's or a leader's visit to the page's own place (`全市农业农村工作观摩团来我县观摩`)
    r"|(?:来|到)我[县市区镇乡旗州](?:考察|调研|观摩|视察|检查|督导)"
)
# A lead whose subject is an organ or a meeting holding a meeting (`茶地镇及时召开学习贯彻…会议，`, `湖滨街道召开社区党组织书记
# 述职评议会，`, `十四届全国人大一次会议在…新闻发布厅举行首场新闻发布会，`): the lead is the report itself. A township's or a
# street office's short item often quotes nobody as `某某指出，` (6 of session 49's 12 township and 街道 news pages).
NEWS_ORGAN_HELD_RE = re.compile(
    rf"[{HAN}]{{2,16}}?(?:镇|乡|街道|街|办事处|党工委|党委|政府|人大|政协|会议|委员会|局)(?:在[^，。；]{{1,24}}?)?"
    # `召开了“…大会”。`, `举办了“超星杯”读书征文活动表彰大会。` (session 55's fresh city page: 举办 untyped)
    r"(?:及时|专门|组织|隆重)?(?:召开|举行|举办)了?[^，。；]{0,40}?(?:会议|大会|会)[”」』》]?[，,。]"
)
# A lead whose subject is the meeting or the organ, its day after it (`桃源县第十五届人民代表大会第二次会议3月4下午3:00在县剧院
# 隆重开幕`, `新北区春江镇于10月15、16日召开了第一次党代会`): NEWS_MARK_RE reads leads that open on the day only.
MEETING_HELD_LEAD_RE = re.compile(
    rf"(?:{NEWS_OCCASION})?[^，。；\n]{{2,40}}?(?:会议|大会|党代会|镇|乡|街道|县|区|市|委员会|政府|党委)于?"
    rf"(?:\d{{4}}年)?\d{{1,2}}月\s?(?:{NEWS_DAYS}|\d{{1,2}}(?=上午|下午|晚))(?:上午|下午|晚上)?"
    r"[^，。；\n]{0,24}?(?:召开|举行|开幕|闭幕)"
)
# A lead whose subject is a school, a hospital, a firm, an agency or the ceremony itself, its day after it and the event
# held in its clause (`臺東大學6月1日上午在該校綜合體育館舉辦畢業典禮，校長鄭某…`, `母校109級畢業典禮於5月30日上午舉行`,
# `行政院海岸巡防署於104年6月1日上午10時假所屬…舉行…典禮`, `受…影響，臺北大學19日透過線上直播舉辦…`): campus, company and
# Taiwanese agency items (4 of this round's 22 fresh dev pages went untyped and unnamed; session 52 left "news leads
# dated after the organiser"). MEETING_HELD_LEAD_RE knows organs of government and meetings only, NEWS_MARK_RE leads
# that open on the day. A background clause of up to ORGAN_LEAD_PRE characters may come first.
ORGAN_LEAD_PRE = 40  # `受COVID-19疫情警戒影響，` or a wire service's stamp `(中央社訊息服務20150601 11:55:37)`
ORGAN_DAY_LEAD_RE = re.compile(
    rf"^[^。！？\n]{{0,{ORGAN_LEAD_PRE}}}?[{HAN}]{{2,20}}?"
    r"(?:大学|学院|学校|中学|小学|医院|公司|集团|协会|学会|商会|基金会|署|局|典礼|仪式"
    # Taiwan's schools (`古城國小`, `介壽國中小`) and any association or council by its 会 (`臺南市議會6日舉行`, `媽閣水陸
    # 演戲會於昨晚(14)八時…舉行`): session 55's fresh Matsu, Kinmen, Tainan and Macau items went untyped and unnamed
    # …and a HK ceremony by its 礼 (`…回歸26周年活動啓動禮今日上午在維園舉行`: session 56's fresh HKET page, untyped)
    r"|国中小|国小|国中|高中|(?<!大)会|礼)于?"
    r"(?:(?:(?:\d{4}|\d{2,3})年)?(?:\d{1,2}月)?\d{1,2}日"
    # …and a day in words (`昨日`, `昨天上午`, `昨晚(14)`, `日前(9月14日)`), as local and Macau papers write it
    r"|(?:今|昨)(?:日|天|晚|晨|早)(?:[（(]\d{1,2}(?:日)?[）)])?|日前(?:[（(]\d{1,2}月\d{1,2}日[）)])?)"
    r"(?:上午|中午|下午|晚上|晚间)?(?:\d{1,2}[时点](?:\d{1,2}分|半)?|[一二三四五六七八九十]{1,3}[时点])?"
    r"[^，。；！？\n]{0,30}?(?:举办|举行|召开)"
)
ORGAN_DAY_GATE_RE = re.compile(r"\d日|[今昨][日天晚晨早]|日前")  # every such lead holds its day


def _organ_day_lead(line: str) -> bool:
    head = line[: ORGAN_LEAD_PRE + 100]
    return ORGAN_DAY_GATE_RE.search(head) is not None and ORGAN_DAY_LEAD_RE.match(line) is not None


NEWS_ACTIVITY_RE = re.compile(
    r"主持召开|召开|举行|举办|主持|出席|调研|考察|视察|督导|检查|会见|接见|看望|慰问|走访|座谈|开幕|闭幕|部署|听取|征求|审议|参加"
    r"|致辞|致词"  # `總統賴清德今（28）日到台南…參拜，他在致詞中強調`: the remarks are the activity
    r"|前往|率领|率团|参拜|到访"
    # a dinner given and its toast (`…在《論壇》歡迎午宴上作熱情洋溢的祝酒辭`, `…今（十九日）晚…設晚宴`: Macau items)
    r"|祝酒|宴请|设宴|晚宴|午宴"  # `蔡英文總統今(24)日下午前往彰化…參拜祈福時表示`: a visit is the item's act
)
NEWS_REPORTED_RE = re.compile(
    # `…传达了县“两会”精神，并指出，`: the clause's subject left out after 并
    rf"(?:会议|会上|他|她|并|[{HAN}]{{2,3}})(?:指出|强调|要求|认为|表示|提出|希望|说)[，,：:]"
    r"|(?:作|做|发表)了?[^，。；\n]{0,16}?(?:讲话|致辞|报告)[，,。：:]"
)
NEWS_HEADLINE_RE = re.compile(
    r"(?:主持召开|调研|考察|视察|督导|会见|看望|慰问|走访).{0,30}(?:时强调|时指出|时要求|时表示)?$"
    r"|(?:时强调|时指出|时要求|时表示).{0,30}$|出席[^，。]{2,40}并(?:发表)?(?:重要)?(?:讲话|致辞)$"
)
# The speaker's own voice in a lead (`我们`, `大家`, `我` — not `我市`/`我县`, a local paper's own place).
# `…等我县代表团各位代表出席会议`: the delegates named in the third person, not addressed (session 46)
# `向大家致以节日的祝福`, `勉励大家`: the people a reported leader addressed, not the lead's own voice (a county news
# lead on a 记者节 visit, this round's fresh pages).
FIRST_PERSON_RE = re.compile(
    # `…重視南投縣大家長的交接典禮`: 大家长 (the county's patriarch, its magistrate) is no 大家 (session 56's fresh page)
    # `…到代表团看望…代表，与大家一一握手`: 大家 as the object of the leaders' act is whom they met, not the lead's voice
    # `…来到代表住地，亲切看望各位代表`: 各位 as whom the leaders visited, not the lead addressing anyone (session 56)
    r"我们|咱们|(?<![与向同跟励望求召])大家(?!长)|(?<!看望|探望|慰问|问候)各位(?![^，。；]{0,4}(?:出席|参加|列席))"
    r"|我(?![市县区省州镇乡国院部厅局委校])"
)
NEWS_FULLTEXT_RE = re.compile(r"全文如下|(?:以下|下面)(?:为|是)[^。\n]{0,60}?全文|全文[:：]\s*$", re.M)
# Types a news-report page keeps: a meeting's communiqué (its `…会议在北京举行` headline) and documents issued or adopted.
NOT_NEWS_TYPES = ("公报", "决议", "党代会报告", *ISSUED_DOC_TYPES)
NEWS_REPORT_CHARS = 3000  # the lead and the paragraphs after it: where a news report says what the meeting said
NEWS_REPORTED_MIN = 2  # reporting sentences a page with a news headline but no news lead needs (one may be a quote)


# A news headline with its deck after a space (`浙江舉行各界人士新年茶話會 車俊致辭`, `…茶话会 习近平发表重要讲话`): an organ held
# the event, the leader's remarks are what it reports — not the remarks' own title (typed 致辞/讲话, session 50's pages;
# session 49 left people.com.cn's deck)
NEWS_DECK_TITLE_RE = re.compile(
    # …with the speaker's office before the name (`郑州市委市政府举行2023年春节团拜会 市委书记安伟致辞 市长何雄主持`: this
    # round's fresh pages typed it 致辞)
    rf"(?:举行|召开|开幕|闭幕|出席|会见|看望)[^\s]{{0,30}}\s+(?:[{HAN}]{{0,8}}?{OFFICE_KW})?[{HAN}]{{2,3}}(?:发表)?(?:重要)?"
    r"(?:讲话|致辞|致词"
    # the toast or welcome named (`河南省政府隆重举行国庆招待会 郭庚茂致祝酒辞`: typed 致辞, unnamed, this round's pages)
    r"|致(?:祝酒|欢迎|开幕|闭幕|答谢|新年)[辞词])(?:\s|$)"
)
# a reporter's bracketed mark opening the lead (NEWS_MARK_RE's reporter alternatives)
REPORTER_MARK_RE = re.compile(
    rf"^{OUTLET_BRACKET}[【\[（(〔][^】\]）)〕\n]{{0,12}}?记者[^】\]）)〕\n]{{1,24}}?(?:报导|报道|[/／]\s*[{HAN}]{{2,6}})[】\]）)〕]"
    r"|^[【\[][^】\]\s，。]{0,12}?\d{1,2}日讯[】\]]\s*[（(][^）)\n]{0,12}?记者[^）)\n]{1,24}?(?:报导|报道)[）)]"
)
# An agency's or site's dateline with its month and day opening the lead (`中评社北京3月4日电（记者 林艳）…`): the wire's own
# report. Like a reporter's byline it makes the lead a report whatever its verb: session 56's fresh features on press
# conferences (`…首场新闻发布会在人民大会堂…举行，`, `…在3月2日下午的政协首场新闻发布会中拉开序幕，…他表示，`) quoted one
# sentence or none and were untyped.
WIRE_MARK_LEAD_RE = re.compile(rf"^[^\s，。]{{2,12}}?{DAY_NUM}月{DAY_NUM}日(?:专)?[电讯]")
SENTENCE_MARK_RE = re.compile(r"[，。；！？]")
BARE_MARK_MAX = 60  # a mark with a headline after it (`中新社北京10月25日电 题:…`), no sentence: not the lead
QUOTED_RE = re.compile(r"“[^”\n]{0,80}”|「[^」\n]{0,80}」")
LEAD_MIN_CHARS = 30  # a lead sentence is longer than a headline or a byline (`记者某某／北京报导`)


def _lead_lines(opening: str) -> list[str]:
    """The opening's first NEWS_LEAD_LINES + 1 stripped non-empty lines, short lines without a comma or full stop
    (chrome, a headline, a stamp) not counted, LEAD_SCAN_LINES lines read at most, none past a salutation. Under a
    news site's chrome (LTN's menus, its age notice and rating-law sentence: 20+ lines, some punctuated) the lines
    start at a reporter's bracketed mark (`〔記者蔡某／苗栗報導〕總統賴清德昨天…`) within MARK_SCAN_LINES."""
    out = _first_lines(opening)
    if (
        opening.find("记者", 0, MARK_SCAN_CHARS) >= 0
        and not any(x[0] in MARK_OPENERS and REPORTER_MARK_RE.match(x) for x in out)
        and MARK_LINE_RE.search(opening, 0, MARK_SCAN_CHARS) is not None
    ):
        rest = opening.split("\n", MARK_SCAN_LINES)
        for i, raw in enumerate(rest[:MARK_SCAN_LINES]):
            x = raw.lstrip()
            if x and x[0] in MARK_OPENERS and REPORTER_MARK_RE.match(x):
                return _first_lines("\n".join(rest[i:]))
    return out


MARK_SCAN_LINES = 40  # LTN's chrome runs 25-30 lines above the lead on this round's fresh pages
MARK_SCAN_CHARS = 1200  # …and 600-700 characters
MARK_OPENERS = "【[（(〔"
MARK_LINE_RE = re.compile(r"\n[ \t\u3000]*[【\[（(〔][^】\]）)〕\n]{0,12}?记者")  # the gate: a line opening on a mark


# A lead's month or day in words (`元月十日下午，…舉行…新春茶話會`, `2023年元月8日，海螺集团在总部召开…`): 元月 is January;
# company and county items write it so (this round's fresh pages were untyped and undated for it). Rewritten to digits in
# the lead lines only, so the month-day leads below read it; 正月 is the lunar month and is never read.
LEAD_WORD_DATE_RE = re.compile(
    r"^(?P<y>\d{4}年)?(?P<m>元|十[一二]?|[一二三四五六七八九]|\d{1,2})月(?P<d>[一二三四五六七八九十]{1,3}|\d{1,2})日"
)
LEAD_WORD_DATE_CHARS = 8  # `2023年元月` / `元月十日`: where the month stands when a lead opens on it


# A lead whose month-day lost its 月 (`929日下午，代市长吴威主持召开…`: a county site's typo, session 57's fresh page was
# undated): read only where one split is a date — three digits whose first two are no month (9|29), or four whose first
# two are (10|11); `111日` (1|11 or 11|1) stays unread.
GLUED_MONTH_DAY_RE = re.compile(r"^(?P<m>[2-9]|1[0-2])(?P<d>[0-2]\d|3[01])日(?=[上中下]午|晚|，)")


def _lead_digits(x: str) -> str:
    """The lead line with an opening `元月十日` written `1月10日` (LEAD_WORD_DATE_RE), `929日` written `9月29日`
    (GLUED_MONTH_DAY_RE); any other line unchanged."""
    if x[:1].isdigit() and "月" not in x[:LEAD_WORD_DATE_CHARS] and (g := GLUED_MONTH_DAY_RE.match(x)):
        glued = g["m"] + g["d"]
        if int(g["d"]) >= 1 and (len(glued) == 4 or int(glued[:2]) > 12):
            return f"{int(g['m'])}月{int(g['d'])}日{x[g.end('d') + 1 :]}"
        return x
    if "月" not in x[:LEAD_WORD_DATE_CHARS] or (m := LEAD_WORD_DATE_RE.match(x)) is None:
        return x
    if m["m"].isdigit() and m["d"].isdigit():
        return x
    month = 1 if m["m"] == "元" else (int(m["m"]) if m["m"].isdigit() else cn_int(m["m"]))
    day = int(m["d"]) if m["d"].isdigit() else cn_int(m["d"])
    return f"{m['y'] or ''}{month}月{day}日{x[m.end() :]}" if month and day else x


# A page whose first LEAD_SCAN_LINES lines are all chrome (tainan.gov.tw's weather and air-quality widget: 50 short lines
# above the headline; session 56 left `leads below more than 10 chrome lines`) is read from LEAD_CHROME_KEEP lines above
# its first sentence (the headline and the release's stamps), found within LEAD_CHROME_SCAN_LINES.
LEAD_CHROME_SCAN_LINES = 80
LEAD_CHROME_KEEP = 4
LEAD_SENTENCE_MARKS = "，,。；;！!？?"


def _sentence_line(x: str) -> bool:
    return len(x) > LEAD_CHROME_MAX or any(c in x for c in LEAD_SENTENCE_MARKS)


# Question marks opening a line are a lost indent (a copy's U+3000 or NBSP written `???`: `??? 本報訊 (記者王穎) 7月27日，…`,
# session 58's fresh pages were untyped): no sentence starts with one, so a lead line is read without them.
LOST_SPACE_MARKS = "?？ \u3000\xa0"


def _first_lines(opening: str) -> list[str]:
    out: list[str] = []
    counted = 0
    raws = opening.split("\n", LEAD_SCAN_LINES)[:LEAD_SCAN_LINES]
    if len(raws) == LEAD_SCAN_LINES and not any(_sentence_line(x.strip()) for x in raws):
        more = opening.split("\n", LEAD_CHROME_SCAN_LINES)[:LEAD_CHROME_SCAN_LINES]
        if (first := next((i for i, x in enumerate(more) if _sentence_line(x.strip())), None)) is not None:
            raws = more[max(0, first - LEAD_CHROME_KEEP) :][:LEAD_SCAN_LINES]
    for raw in raws:
        x = _lead_digits(raw.strip().lstrip(LOST_SPACE_MARKS))
        if not x:
            continue
        out.append(x)
        if SALUTATION_RE.match(x):
            break  # `同志们：`: a speech starts here, and its lines are no lead
        if _sentence_line(x):
            counted += 1
            if counted > NEWS_LEAD_LINES:
                break
    return out


def _third_person_report(text: str) -> bool:
    """An opening that reports a speaker in the third person (NEWS_REPORTED_MIN sentences `某某表示，`, `他指出，`) with
    no salutation, no speech opening and no hand-over to the full text."""
    opening = text[:NEWS_REPORT_CHARS]
    lines = [x.strip() for x in opening.split("\n", NEWS_LEAD_LINES + 1)[: NEWS_LEAD_LINES + 1] if x.strip()]
    if DELIVERED_OPENING_RE.search(opening[:OPENING_PARA_CHARS]):
        return False  # `各位代表！` under a two-line title and a byline (国务院 1990: `1990年政府工作报告 为…而奋斗`)
    if NEWS_FULLTEXT_RE.search(opening[:OPENING_PARA_CHARS]) or LEAD_KIND_RE.search(opening[:OPENING_PARA_CHARS]):
        return False
    lead = next((x for x in lines if len(x) > LEAD_MIN_CHARS and ("，" in x or "。" in x)), "")  # not the headline
    if FIRST_PERSON_RE.search(QUOTED_RE.sub("", lead[:200])):
        return False  # a quote's `大家` (`并指“每个小家热气腾腾，中国这个大家就蒸蒸日上”`) is the speaker's, not the lead's
    return sum(1 for _ in itertools.islice(NEWS_REPORTED_RE.finditer(opening), NEWS_REPORTED_MIN)) >= NEWS_REPORTED_MIN


def _first_person_lead(lead: str) -> bool:
    """The lead speaks in the first person itself: before its first reporting verb and outside quotes. What the
    speaker is reported to have said (`總統賴清德出席致詞時強調…「我們是主權獨立的國家」`, `致詞時表示，…大家一路上`) is
    the speaker's voice, not the lead's (2 of this round's fresh Taiwanese pages were no news for it)."""
    if (r := NEWS_REPORTED_RE.search(lead)) is not None:
        lead = lead[: r.start()]
    return FIRST_PERSON_RE.search(QUOTED_RE.sub("", lead)) is not None


def _news_report(title: str | None, text: str) -> bool:
    """True for a news report of a meeting or a leader's activity (NEWS_MARK_RE …), not the speech itself."""
    if title and _genre_title(title):
        return True  # `…开幕会侧记`: a news genre by its own word
    if (
        title
        and re.search(DOC_END + r"$", title)
        and not re.search(r"并(?:发表)?(?:重要)?(?:讲话|致辞)$", title)
        and not NEWS_DECK_TITLE_RE.search(title)
        and not NEWS_OBJECT_TITLE_RE.search(title)
        and not SESSION_PASSED_TITLE_RE.search(title)
    ):
        return False  # `在…会议上的讲话`: the speech, whatever its first paragraph says
    opening = text[:NEWS_REPORT_CHARS]
    lines = _lead_lines(opening)
    at = next(
        (
            i
            for i, x in enumerate(lines)
            if NEWS_MARK_RE.match(x)
            # the festival it welcomes before the organ and its day (`迎接113年元旦新年到来，台南市政府今(1)日…`)
            or (
                x[:2] in ("迎接", "为迎", "為迎")
                and (occ := LEAD_OCCASION_RE.match(x))
                and NEWS_MARK_RE.match(x[occ.end() :])
            )
            or MEETING_HELD_LEAD_RE.match(x)
            or SUBJECT_DAY_LEAD_RE.match(x)
            or ("日" in x[:LEAD_ON_DAY_CHARS] and BRACKET_DAY_LEAD_RE.match(x))
            or ("于" in x[:LEAD_ON_DAY_CHARS] and ORGAN_ON_DAY_HELD_RE.match(x))
            or (x.startswith(DAY_WORDS) and LEAD_ACTOR_RE.match(x, len(DAY_WORDS[0])))
        ),
        None,
    )
    if at is None:
        at = next((i for i, x in enumerate(lines) if _organ_day_lead(x)), None)
    organ_day = at is not None and _organ_day_lead(lines[at])  # `(中央社訊息服務…)…署於104年6月1日…舉行`: a mark too
    lead = lines[at] if at is not None else None
    # a reporter's own mark on the lead (`【記者蕭國華/台北】蔡英文總統…`, `【新南瀛記者黃鐘毅報導】`): the report, whatever its
    # verb (`登場`, `率領…參與升旗`: no activity word)
    marked = bylined = lead is not None and REPORTER_MARK_RE.match(lead) is not None
    wired = lead is not None and WIRE_MARK_LEAD_RE.match(lead) is not None
    if at is not None and len(lines[at]) <= BARE_MARK_MAX and not SENTENCE_MARK_RE.search(lines[at]):
        # the mark alone on its line (`【記者梁金源/臺中報導】`, `中新社北京10月25日電 題:…`): the lead is the next sentence
        lead = next((x for x in lines[at + 1 :] if len(x) > LEAD_MIN_CHARS and ("，" in x or "。" in x)), None)
        bylined = lead is not None
    # a marked lead that says the officer spoke (`行政長官崔某今(23)日回應傳媒訪問表示，`): its verb is the report
    spoke = lead is not None and _spoke_lead(lead)
    if lead is None and (said := next((x for x in lines if _spoke_lead(x)), None)) is not None:
        lead, spoke = said, True  # its own verb is the activity and the report (`致詞時提到`)
    if (
        lead is None
        and (byline := next((i for i, x in enumerate(lines) if REPORTER_BYLINE_RE.match(x)), None)) is not None
    ):
        # `記者陳玉/台中報導` on its own line marks the report whatever its lead's verb (`市長盧秀燕表示，`): the lead
        # is the next sentence-long line
        lead = next((x for x in lines[byline + 1 :] if len(x) > LEAD_MIN_CHARS and ("，" in x or "。" in x)), None)
        bylined = lead is not None
    headline = bool(
        title
        and (
            NEWS_HEADLINE_RE.search(title)
            or SESSION_PASSED_TITLE_RE.search(title)
            or NEWS_DECK_TITLE_RE.search(title)  # the deck says who spoke at the event the headline reports
        )
    )
    if lead is None and not headline:
        return False  # most pages: the cheap checks first
    if any(SALUTATION_RE.match(x) for x in lines) or DELIVERED_OPENING_RE.match(opening.lstrip()):
        return False
    if NEWS_FULLTEXT_RE.search(opening[:OPENING_PARA_CHARS]) or LEAD_KIND_RE.search(opening[:OPENING_PARA_CHARS]):
        return False  # a wire copy handing over to the full text is the speech's copy
    if (
        lead is not None
        and (held := NEWS_ORGAN_HELD_RE.search(lead[:200]))
        and not FIRST_PERSON_RE.search(QUOTED_RE.sub("", lead[: held.end()]))
    ):
        # the organ held the meeting in the lead's first words; a `祝大家…` later in it is whom the leader addressed
        return True
    if (
        lead is not None
        and "于" in lead[:LEAD_ON_DAY_CHARS]
        and ORGAN_ON_DAY_HELD_RE.match(lead)
        and not _first_person_lead(lead[:200])
    ):
        return True  # `…党小组分别于9月17日晚上7点…召开…分享会。`: the organ held it on the day (ORGAN_ON_DAY_HELD_RE)
    if organ_day and lead is not None and not _first_person_lead(lead[:200]):
        return True  # a school, firm or agency held the event on the lead's day: the report of it (ORGAN_DAY_LEAD_RE)
    if (
        at is not None
        and lead is not None
        and SUBJECT_DAY_LEAD_RE.match(lead)
        and any(REPORTER_BYLINE_RE.match(x) for x in lines[:at])
        and not _first_person_lead(lead[:FIRST_PERSON_LEAD_CHARS])
    ):
        # `記者李華峻/彰化報導` / `2008.02.15` / `彰化縣政府於今天舉辦「…團拜茶會」`: the organ acting on its day under a
        # reporter's byline, quoting nobody (session 61's fresh 台灣新聞網 page was untyped and undated)
        return True
    if lead is not None and BRACKET_DAY_LEAD_RE.match(lead) and not _first_person_lead(lead[:FIRST_PERSON_LEAD_CHARS]):
        # `游錫堃院長今(16)日上午於南方澳出席…`, `…交接典禮今(25)日登場`: the subject acting on the bracketed day
        return True
    reported = sum(1 for _ in itertools.islice(NEWS_REPORTED_RE.finditer(opening), NEWS_REPORTED_MIN))
    if (
        lead is not None
        and (
            # a dated lead with no activity word (`金秋送爽，…9月4日，某校迎来了…开学典礼。`) is a report when the item
            # then reports two sentences (`蒋校长发表了题为…的致辞。`, `蒋校长强调，`: session 54's fresh school item)
            (
                not bylined
                and not wired
                and not spoke
                and not NEWS_ACTIVITY_RE.search(lead[:200])
                and reported < NEWS_REPORTED_MIN
            )
            # a reporter's mark on the lead is no speech's opening: its `祝福大家` is what the speaker did
            or (not marked and _first_person_lead(lead[: _acted_sentence_end(lead)]))
        )
    ):
        return False  # `今天，我们在这里隆重召开…大会`: a speech opening on the day, not a news lead
    if lead is not None and (spoke or NEWS_VISIT_RE.search(lead[:200]) or LEAD_ACTOR_RE.search(lead[:LEAD_ACT_CHARS])):
        return True
    if lead is not None and EVENT_HELD_LEAD_RE.match(
        lead, pre.end() if (pre := LEAD_MARK_PREFIX_RE.match(lead)) else 0
    ):
        return True  # `4月12日上午9点，由团县委主办的…演讲比赛，在…隆重举办。`: the event held is the news
    if (
        lead is not None
        and (full := LEAD_FULL_DATE_RE.match(lead))
        and NEWS_LEAD_DATE_RE.match(lead, full.start("m"), OPENING_PARA_CHARS)
    ):
        # `…的工作安排，2017年12月6日下午，行政党支部组织召开了…宣讲和…讲党课活动。`: a lead stating its year and the meeting
        # held right after it, in the third person (checked above) — a branch's or company's item whose organ and
        # meeting words NEWS_ORGAN_HELD_RE does not know (this round's fresh pages)
        return True
    if lead is not None and not reported and NAME_OFFICE_SPOKE_RE.search(opening, 0, OPENING_PARA_CHARS):
        return True  # a marked lead, then `王晓副书记强调要…`: the officer named before the office, reported speaking
    if wired and lead is not None and NEWS_ACTIVITY_RE.search(lead[:200]):
        return True  # the wire reports the event held or attended (WIRE_MARK_LEAD_RE), quoting nobody
    return reported >= (1 if lead is not None else NEWS_REPORTED_MIN)


# The day in words glued to the officer acting (`昨日董事长孟某主持召开了2022年度目标会议，`: a company's own item, session 56),
# read with LEAD_ACTOR_RE right after it. All four are two characters.
DAY_WORDS = ("今天", "今日", "昨天", "昨日")
FIRST_PERSON_LEAD_CHARS = 200  # how much of a lead the first-person test reads


def _acted_sentence_end(lead: str) -> int:
    """How much of the lead the first-person test reads: its first sentence when an officer acts in it (LEAD_ACTOR_RE:
    `董事长孟某主持召开了…会议。…总结我们的工作成绩`: a firm's own item says 我们 of itself after the report), else
    FIRST_PERSON_LEAD_CHARS."""
    end = lead.find("。", 0, FIRST_PERSON_LEAD_CHARS)
    if end >= 0 and LEAD_ACTOR_RE.search(lead, 0, min(end, LEAD_ACT_CHARS)):
        return end
    return FIRST_PERSON_LEAD_CHARS


# A lead whose subject is the organ before its day alone, then the act (`中共中央、国务院8日上午在人民大会堂举行2024年春节团拜会。`:
# a copy of the wire with its dateline dropped, session 54's fresh pages, untyped): LEAD_DAY_ONLY_RE's second form.
# The day may be a word (`莿桐鄉公所日昨在三樓禮堂舉行…記者會`, `苗栗縣第17屆縣長宣誓就職典禮今天登場` has no act: none): Taiwanese
# township items write 日昨 (yesterday), 今天, 今(19)日 where a wire writes the digits (session 58's fresh pages, untyped).
SUBJECT_DAY_LEAD_RE = re.compile(
    r"[^，。\n\d]{2,16}?(?:\d{1,2}日(?![电讯])|日昨|今天|今日|昨天|昨日|[今昨][（(]\d{1,2}[)）]日)(?:上午|中午|下午|晚上|晚间)?"
    r"[^，。\n]{0,24}?(?:举行|举办|出席|主持|召开|会见|会谈|接见|前往|视察|参加|率领|率团)"
)
# A subject, its day in brackets and its act run together (`游錫堃院長今(16)日上午於南方澳出席…開幕典禮`, `苗栗縣長宣誓就職暨
# 交接典禮今(25)日登場`): a Taiwanese paper's lead, whoever the subject — a person named before his office, an event that
# 登場 (takes the stage) — which no speech writes of itself (session 59's fresh pages were untyped)
BRACKET_DAY_LEAD_RE = re.compile(
    r"[^，。\n\d]{2,24}?[今昨][（(]\d{1,2}[)）]日(?:上午|中午|下午|晚上|晚间)?[^，。\n]{0,24}?"
    r"(?:举行|举办|出席|主持|召开|会见|会谈|接见|前往|视察|参加|率领|率团|登场)"
)
# A dated lead whose sentence ends on the event being held, the event its subject (`4月12日上午9点，由共青团延川县委主办的“…”
# 演讲比赛，在延川县法院大会议室隆重举办。`, `9月1日，重庆南开中学2023年秋季开学典礼隆重举行。`): the report of the event; a speech
# says `我们召开`, and an organ holding a meeting names it after the verb (NEWS_ORGAN_HELD_RE). Session 54's fresh items
# quoted nobody and went untyped.
EVENT_HELD_LEAD_RE = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日[^。；！？\n]{0,60}?(?:隆重|正式|顺利|成功)?(?:举行|举办|召开|开幕|闭幕)了?[。，,]"
)
# A wire's or site's mark and its reporter's bracket before the lead's day (`中国经济网北京3月2日讯（…记者张超）3月2日下午，
# …新闻发布会在人民大会堂三楼金色大厅召开，`: session 55's fresh copy, untyped): the event held is read after them.
LEAD_ON_DAY_CHARS = 220  # the gate: 于 within the purpose (160) and the subject (40) ORGAN_ON_DAY_HELD_RE allows
LEAD_MARK_PREFIX_RE = re.compile(r"[^\s，。（(]{2,20}?(?:电|讯)\s*(?:[（(][^）)\n]{0,30}[）)])?\s*")
# A lead whose subject, after its purpose, held the event on its day written after 于 (`为深入学习…，外国语学院19级学生党
# 支部…党小组分别于9月17日晚上7点、9月27日上午10点…召开…读书分享会。`: session 55's fresh college item; session 54 left
# `于1月14日召开…` untyped): what no speech's opening says of its own meeting.
ORGAN_ON_DAY_HELD_RE = re.compile(
    r"(?:为[^。；！？\n]{4,160}?[，,])?[^，。；！？\n]{2,40}?(?:分别)?于(?:\d{4}年)?\d{1,2}月\d{1,2}日"
    r"[^。；！？\n]{0,100}?(?:召开|举行|举办)"
)


# A mainland item's officer named before the office and reported speaking (`王晓副书记强调要全面领会…`, `林新长副市长
# 指出，`): NEWS_REPORTED_RE wants the name right before the verb and a comma after it (session 53's fresh city page,
# dated lead and all, went untyped). Read only under a dated lead: a speech quotes `习近平总书记强调` too.
NAME_OFFICE_SPOKE_RE = re.compile(
    rf"(?:^|[，。；！？\n])[{HAN}]{{2,3}}(?:{OFFICE_KW})(?:在[^，。；！？\n]{{0,20}}?)?(?:指出|强调|要求|表示)"
)


# Who the news report is about: the office and name its lead puts before the activity (`国务院总理李强1月19日主持召开…`,
# `镇长石朝富同志代表镇党委、政府作了…致辞`, `市委书记陈英杰主持会议`).
# Offices a news lead names that no byline does: a spokesperson (`外交部发言人…表示`) and Taiwan's council heads (`由副主委
# 兼發言人梁文傑主持`, 主委 = 主任委员: the Mainland Affairs Council's briefings, 2 of this round's fresh dev pages unnamed)
NEWS_EXTRA_OFFICE = "主委|发言人|特首|议长"  # …and HK/Macau papers' 特首 (`特首李家超今早(1月21日)出席…`)
# …and a Taiwanese council's 议长, who hosts its events (`議長邱莉莉與多位議員同台舉杯`: session 55's fresh Tainan item)
NEWS_OFFICE_IN_NAME_RE = re.compile(rf"{OFFICE_KW}|{NEWS_EXTRA_OFFICE}")
NEWS_SPEAKER_RE = re.compile(
    rf"(?P<office>[^，。；：:！？\s了]{{0,20}}?(?:{OFFICE_KW}|{NEWS_EXTRA_OFFICE})(?:当选人)?)[ \u3000]?(?P<name>[{HAN}·]{{2,12}}?)(?:同志)?"
    r"(?=\d|上午|下午|晚上|在|到|先后|代表|主持|出席|作了|做了|所作|所做|作|做|发表|讲话|致辞|致词|强调|指出|表示|带领|带队|率领|率|"
    r"调研|考察|视察|会见|看望|"
    # `行政長官李家超與政府高層官員昨晨出席…`: the one named first of those who went, not a list's `…江启臣与其他立委`
    r"与(?=[^，。；\n]{0,12}?(?:出席|参加|一同|一起|共同))|"
    # …or with the people who joined in (`議長邱莉莉與多位議員同台舉杯`), and an adverb glued to the name (`市長黃偉哲也率…`:
    # read as 黃偉哲也, session 54 left it)
    r"与(?=[^，。；\n]{0,6}?(?:议员|代表|嘉宾|来宾|委员|同仁|官员|首长|师生|员工))|也(?=[^，。；\n]{0,3}?(?:率|出席|参加|到场|致))|"
    # `行政長官賀一誠及五司司長今(14)日…`, `行政長官何厚鏵和國務院副總理錢其琛分別致詞`: the one named first of two officials
    rf"(?:及|和|偕同?)(?=[^，。；\n]{{0,12}}?(?:{OFFICE_KW}|出席|参加|一同|一起|共同))|"
    # a Chinese-numeral day (`行政長官何厚鏵二十四日中午…`) and what the person said (`市长连维良说，`)
    r"[一二三四五六七八九十]{1,3}日|说[，,：:]|致(?=[^，。；\s]{0,3}[辞词])|"
    # a verb of speech glued to the name (`縣長徐榛蔚提到`: read as 徐榛蔚提, session 50 left it) and the matter
    # addressed (`會上鎮黨委書記章某對…提出要求`)
    r"提到|提及|期许|期勉|感谢|呼吁|对(?=[^，。；\n]{1,30}?(?:提出|作出|进行|表示|强调|要求|讲话))|"
    # a head's words to the graduates (`校長李承嘉鼓勵全校…畢業同學`, `…勗勉海巡同仁`) and who presided in person (`典禮由署長
    # 王崇儀親自主持`): campus and agency items, this round's fresh pages
    r"勉励|鼓励|勗勉|勖勉|亲自(?=主持|出席|颁|致)|"
    r"慰问|走访|督导|深入|就|参加|来到|一行|今日|昨日|今天|昨天|今晚|昨晚|今[（(]|昨[（(]|星期[一二三四五六日天]"
    # `会议由会长金某主持，名誉会长韩某参会并讲话`: the one who spoke, not the chair (session 58's fresh association item)
    r"|参会"
    r"|今早|今晨|昨早|昨晨"  # `特首李家超今早（1月21日）出席…`
    # a title of courtesy after the name of one reported speaking (`理事會主席湯柏燊教授於致辭時說`: a Macau paper's item,
    # session 55's fresh pages); a guest list's (`…司長梁維特先生、…`) is no speaker
    r"|(?:教授|博士|先生|女士)(?=[在于]?(?:致辞|致词|讲话|发言)|表示|指出|强调|说)"
    # the first of a list of leaders by office (`市委书记周霁，市委副书记、市长张家胜与…欢聚一堂`): the ranking one
    r"|[，,](?=[^，。；\s]{0,8}?(?:副?书记|省长|市长|县长|区长|主席|主任|常委))"
    # …or run with 、 (`行政長官李家超、全國政協副主席梁振英、…等人出席升旗禮`)
    rf"|、(?=[^，。；、\s]{{0,12}}?(?:{OFFICE_KW})[{HAN}]{{2,3}}(?:[，,、]|出席|参加|陪同|等))"
    # (`县委书记吴钟民，县委常委、宣传部部长章志都来到…`: a standing committee member named second)
    # …and of a list of guests by office (`县委书记郭强,长治日报社社长刘建林,…等参加座谈`): any office and a name next
    rf"|[，,](?=[^，。；\s]{{0,12}}?(?:{OFFICE_KW})[{HAN}]{{2,3}}(?:[，,、]|出席|参加|陪同|等)))"
)
# The meeting a news report tells about: `主持召开(X会议)`, `(X会议)召开`, `…(X团拜会)在这里隆重举行`.
NEWS_MEETING_RE = re.compile(
    rf"主持召开(?P<a>[^，。；\s]{{2,30}}?{MEET_SUFFIX})(?=[，。；\s、]|$)"
    rf"|(?:^|[，。；\s])(?:[^，。；\s]{{0,4}}?[，,])?(?P<b>[^，。；\s、]{{2,30}}?{MEET_SUFFIX})(?:在[^，。；\s]{{1,12}})?(?:隆重|胜利|顺利)?(?:召开|举行|开幕)"
    rf"|(?:^|[，。；\s])(?P<org>[^，。；\s、]{{2,8}}?)召开(?P<c>第?[^，。；\s、]{{1,24}}?{MEET_SUFFIX})(?=[，。；\s]|$)"
)
NEWS_MEETING_LEAD_RE = re.compile(r"^[^，。；的]{1,8}的(?=.{4})")  # `一年一度的…团拜会`: no part of its name
# `我县三级干部大会召开`, `我区召开全区…会议`: the page's own jurisdiction in its words, no part of the meeting's name
NEWS_MEETING_SELF_RE = re.compile(r"^我(?:省|市|县|区|州|盟|旗|镇|乡|街道|校|院|局)")
# `昨天下午首场新闻发布会在…举行`: the lead's day word before the meeting, no part of its name (session 56's fresh wire page)
NEWS_MEETING_DAY_RE = re.compile(r"^(?:今|昨|前)(?:天|日|晚|晨|早)(?:上午|中午|下午|晚上|晚间)?")
# `我们党将召开第十九次全国代表大会`: a meeting to come, or one the speaker names in the first person, not the one reported
NEWS_MEETING_NOT_REPORTED_RE = re.compile(r"^我们|(?:将|将要|即将|要|拟|准备)$")


NOT_NAME_TAGS = ("v", "vn", "vd")  # jieba's verb tags: no person's name is one (`宣誓`, `讲话`)
# the first leader of a run `office name、office` (NEWS_SPEAKER_RE's office swallowed him: `省委书记栗战书、副书记`)
# (NEWS_SPEAKER_RE's offices: `連江縣議會議長陳貴忠、副議長曹以標一行` gave 曹以标 with `…议长陈贵忠、副议长` for an office,
# session 58's fresh pages)
LISTED_LEADER_RE = re.compile(rf"^(?P<office>[^、，]*?(?:{OFFICE_KW}|主委|议长))(?P<name>[{HAN}]{{2,3}})、")
# A national leader whose words the item reports, named without an office (`《新華社》報道，習近平、李強…歡聚一堂。` /
# `習近平指出，`): the speaker, when the lead names nobody by office (session 50's fresh pages)
REPORTED_NAME_RE = re.compile(rf"(?:^|[，。；\n])(?P<name>[{HAN}]{{2,3}})(?:指出|强调|表示)[，,：:]")


def _reported_leader(text: str) -> str | None:
    """The first national leader (leaders.txt) a news opening reports as `某某指出，` at a clause's start."""
    known = _leaders()
    for m in REPORTED_NAME_RE.finditer(text[:NEWS_REPORT_CHARS]):
        if m.group("name") in known:
            return m.group("name")
    return None


def _office_before(name: str, zones: Sequence[str]) -> str | None:
    """The office a zone writes right before the name (`中共中央总书记、国家主席、中央军委主席习近平`), first zone first."""
    rx = re.compile(rf"(?P<office>[^，。；：:！？\s了]{{0,20}}?(?:{OFFICE_KW}))[ \u3000]?{re.escape(name)}")
    for zone in zones:
        if name in zone and (m := rx.search(zone)) and not STUDIED_OFFICE_RE.search(m.group("office")):
            return _strip_jurisdiction(NEWS_OFFICE_LEAD_RE.sub("", m.group("office")))
    return None


def _place_for_name(name: str) -> bool:
    """A place read where an office's name stands (`书记江苏…`), not a name whose given name a place shares: after an
    office, `李镇江` (镇江), `马平昌` (平昌) are a surname and a given name (session 46's search-tool pages lost them)."""
    return any(h.start == 0 for h in regions.find_places(name))


# The Taiwanese lead puts the name before the office (`賴清德總統今(13)日上午接見…`, `蕭美琴副總統今(21)日下午`).
# president.gov.tw's undated leads too (`吳敦義副總統上午前往臺中市`, `陳建仁副總統「聖誼專案」一行`: session 49's pages).
NEWS_NAME_OFFICE_RE = re.compile(
    rf"(?:^|\n)\s*(?P<name>[{HAN}]{{2,3}}?)(?P<office>{OFFICE_KW})"
    r"(?:(?:今|昨)\s*[（(]\d{1,2}[）)]\s*日|今天|今日|今晚|昨天|昨日|昨晚|上午|中午|下午|晚间|晚上|前往|出席|“"
    r"|第[一二三四五六七八九十]天)"
)


# What a lead puts before the office and is no part of it: a bracketed mark or dateline (`【特訊】`, `（中央社記者…30日電）`)
# and the paper's `该县`/`该市` (`该县县委书记魏曰高一行`): session 47's search-tool pages
NEWS_OFFICE_LEAD_RE = re.compile(
    r"^(?:会上|会议上|会中)|"  # `會上鎮黨委書記章某對…`: where the officer spoke, no part of the office
    r"^(?:今天|今日|昨天|昨日)(?=\S{2})|"  # `昨日董事长孟某主持召开…` (DAY_WORDS): when, no part of the office
    # a wire's dateline with its reporters in half-width brackets and no space before the office, the day in Chinese
    # numerals (`中新社澳门十一月十六日电(黄某孙某)澳门特首`): session 54's held-out scoring kept it in the office
    r"^[^()（）]{0,16}?[电電][(（][^()（）]{0,20}[)）]|"
    r"^(?:[【\[（(][^】\]）)]{0,30}[】\]）)])+|^该(?=[省市县区州旗镇乡])[省市县区州旗镇乡]?(?=[^委])|^(?:[^，。；、由\s]{0,6}?(?:会议|大会|会|典礼|仪式|活动))?由(?=\S{2})|"
    # who attended, and whom the officer stood for (`出席典禮的行政長官代表、經濟財政司司長戴某`), or the role he played
    # there (`主持人校長陳某表示`): no part of the office (session 55's fresh Macau and Matsu items)
    r"^(?:(?:应邀)?(?:出席|参加|莅临)[^，。；、]{0,12}?的)?(?:[^、，。；]{2,10}?代表、(?=.))?(?:主持人|司仪)?"
)
# The other side's leaders on a Taiwan council's page (`陆委会…回应…习近平`, `…针对国务院总理李强…`): whom the council
# answers, never who briefed (session 47's held-out page took 李强).
MAC_PAGE_WORD = "陆委会"
# What stands before an office word and is no surname (`副总统`, `代市长`, `党主席`, `团主席`): surnames() lacks
# common Taiwanese ones (赖), so a one-character prefix is a surname unless it is one of these.
ORGAN_HEAD_CHARS = frozenset("副代总正常执党团省市区县州旗盟镇乡村国政人委院部厅局处科校社会")
MAINLAND_OFFICE_RE = re.compile(r"中共|大陆|国务院|国家主席|总书记|国台办|国务院台湾事务办公室|中国")


HEARD_RE = re.compile(r"听取|审议|审查|批准")
OFFICE_NAME_RE = re.compile(rf"(?:{OFFICE_KW})(?:当选人)?")
# The offices a Taiwanese lead puts after the name (`賴清德總統`, `蕭美琴副總統`), and those a company's or a school's own
# news item does (`史某董事长作总结讲话`, `李某总经理结合…`, `窦某校长致辞`: session 52's fresh enterprise pages had no
# speaker). Not 部长/院长/书记: before those stand organs a name test passes (`纪委书记`, `宣传部长`, `司法院长`, `管委会主任`);
# before these only a firm's or school's word (`集团`, `公司`, `分行`, `该校`), which jieba tags as no name.
NAME_FIRST_OFFICE_RE = re.compile(r"副?(?:总统|董事长|总经理|总裁|行长|校长)$")
NAME_BEFORE_OFFICE = (2, 3)  # the lengths of a name a Taiwanese lead puts before its office


def _name_before_office(office: str) -> tuple[str, str] | None:
    """(name, office) of a clause that names the person before the office (`賴清德總統`, `蕭美琴副總統`): a 2-3
    character byline name that no organ's character opens, jieba knows as no other word (`韩国`, `时任` before
    `总统`) and no place."""
    m = NAME_FIRST_OFFICE_RE.search(office)
    if m is None or not NAME_BEFORE_OFFICE[0] <= m.start() <= NAME_BEFORE_OFFICE[1]:
        return None
    name = office[: m.start()]
    tag = word_tags().get(name)
    if name[0] in ORGAN_HEAD_CHARS or (tag is not None and tag != "nr") or not is_byline_name(name):
        return None
    return (name, m.group(0)) if not _place_for_name(name) else None


CLAUSE_END = "，,。；;！？!?\n"


def _clause_start(text: str, end: int) -> int:
    """Where the clause holding text[end] starts (after the last comma or sentence end before it)."""
    return max(text.rfind(c, 0, end) for c in CLAUSE_END) + 1


def _news_speaker(text: str) -> tuple[str | None, str | None]:
    m = NEWS_NAME_OFFICE_RE.search(text[:OPENING_PARA_CHARS])
    # `蕭副總統上午出席`: a surname and the office's own 副, no name
    if m and is_byline_name(m.group("name")) and m.group("name")[-1] not in ORGAN_HEAD_CHARS:
        return m.group("name"), m.group("office")
    zone = text[:OPENING_PARA_CHARS]
    mac = MAC_PAGE_WORD in zone
    first: tuple[str, str] | None = None
    first_at = 0  # where the first officer is named
    named: list[tuple[str, str]] = []  # every officer the opening names, for the one whose words it reports
    reading = True  # past the first name's reach only a speaking clause (_speaking_officer) can pick a later one
    run: tuple[int, tuple[str, str]] | None = None  # (end, first officer) of a list of officers the lead runs together
    for m in NEWS_SPEAKER_RE.finditer(zone):
        name, office = m.group("name"), m.group("office")
        if "简称" in office:
            office = ABBREVIATION_NOTE_RE.sub("", office)  # `…同乡会（以下简称“龙岩同乡会”）会长`: no quote of a speech
        if zone.startswith(("所作", "所做"), m.end()) and HEARD_RE.search(
            zone, _clause_start(zone, m.start()), m.start()
        ):
            # `会议听取和审议了国务院总理李克强所作的政府工作报告`: the report the session heard, not who presided or
            # spoke (a closing-session news item named the premier for the chair: session 47's held-out page)
            continue
        last = None
        for k in NEWS_OFFICE_IN_NAME_RE.finditer(name):
            last = k
        if last is not None and last.end() < len(name):
            # `市委书记、市人大常委会主任马某`: the office stopped at 常委 and left `会主任马某` for the name
            office, name = office + name[: last.end()], name[last.end() :]
        if "、" in office and (listed := LISTED_LEADER_RE.match(office)) and is_byline_name(listed.group("name")):
            # `省委书记栗战书、副书记赵克志看望…`: the office run swallowed the first of two leaders, who ranks first
            name, office = listed.group("name"), listed.group("office")
        sur = SURNAME_OFFICE_RE.fullmatch(office)
        if sur and sur.group("s") not in ORGAN_HEAD_CHARS:
            continue  # `賴總統談話是強調…`: a surname and office name the person; what follows is no name
        if name[0] == "们" or word_tags().get(name) in NOT_NAME_TAGS:
            # `参加…会议的委员们陆续来到`: the office word's plural; `…第11屆市長宣誓就職`: a verb where a name would stand
            continue
        if STUDIED_RE.match(office):
            continue  # `传达习近平总书记近期重要讲话`: the speech a meeting studied, its office swallowing the name
        if not is_name(name) and (before := _name_before_office(NEWS_OFFICE_LEAD_RE.sub("", office))) is not None:
            name, office = before  # `賴清德總統到場致詞`: the name before the office, what follows is the act
        elif OFFICE_NAME_RE.fullmatch(name):
            continue  # `520總統副總統就職典禮`: an office where the name would stand
        elif name[0] not in surnames() and word_tags().get(name[:2]) in NOT_NAME_TAGS:
            continue  # `…補選的鄉長舉行宣誓就職典禮` (the head's name left out): a verb where the name would start
        if mac and MAINLAND_OFFICE_RE.search(office):
            continue
        if LISTED_OFFICE_RE.search(office):
            continue  # `…吴丽兰以及全体在家的县级领导和主席团成员在主席台就坐`: a list of those seated, no office
        if _listed_names(office):
            continue  # `區政協領導陳某、黃某、葛某及秘書長施某參加會議`: the last of a list of attendees, no office
        if OFFICE_OBJECT_RE.match(office) or NOT_NAME_START_RE.match(name):
            continue  # `向江澤民主席和夫人…致以…敬意`: whom the speaker addressed, not who spoke
        if STUDIED_OFFICE_RE.search(office):
            # `要坚持以全国“两会”精神特别是习近平总书记(系列重要)讲话…`, `认真学习领会上杭县委书记傅藏荣在…的讲话精神`: the
            # run before the name is a sentence about a speech studied, not the office of anyone at the meeting
            # (a township's news item went national, session 49's fresh pages)
            continue
        if is_byline_name(name) and not _place_for_name(name):
            found = (name, _strip_jurisdiction(NEWS_OFFICE_LEAD_RE.sub("", office)))
            if run is None or zone[run[0] : m.start()] not in OFFICER_LIST_SEPARATORS:
                run = (m.end(), found)
            else:
                run = (m.end(), run[1])
            if (
                reading
                and SPOKE_AFTER_RE.match(zone, m.end(), min(len(zone), m.end() + SPOKE_REACH))
                and not STUDIED_RE.search(zone, _clause_start(zone, m.start()), m.start())
                # a later paragraph's guests who spoke (`…會長艾倫、…總領事黃屏等致辭`) rank below the lead's own actor
                # (`上海市市長龔正率…代表團訪問…`), who is read below by his own words (session 60's fresh pages)
                and (first is None or "\n" not in zone[first_at : m.start()])
            ):
                # `县委书记张三出席会议并讲话`: who spoke, before the one who presided; of a list that did so together
                # (`…市委书记林某，…常务副省长郭某，…副会长陈某出席大会并致辞`) the first, as the lead ranks them
                return run[1]
            if first is None:
                first, first_at = found, m.start()
            named.append(found)
            if len(named) >= NEWS_NAMED_MAX:
                break
            if (spoke := _spoke_later(zone, m.end())) is None:
                reading = False  # no later clause says anyone spoke: the first one named, unless he is silent
            elif spoke > _clause_start(zone, m.end()) + SPOKE_CLAUSES_CHARS:
                reading = False
    if first is None and (addr := _address_by_name_first(zone)) is not None:
        return addr  # `…王如哲校長致詞恭賀畢業生`: the head named before the office and said to address the event
    if first is not None and not _speaks(text, first[0]):
        # the first one named (a guest list's ranking leader, a chair) says nothing the item reports: the officer it
        # names who does (`省委书记王国生，省长陈润儿…出席开幕式。…陈润儿、李小林先后致辞。`), else a participant it names
        # who does (`市领导杨军、李同道…看望代表。…杨军指出，`)
        return (
            _speaking_officer(text, named)
            or _speaking_participant(text, zone)
            # `…会长卢某…参加活动` first, `严某总领事致辞` later: the head named before his office who addressed it
            or _address_by_name_first(zone)
            or _presider(zone)
            or first
        )
    if first is not None:
        # the first one named speaks, but so does another the opening names, earlier (`谢某致辞。` under a lead naming a
        # visiting deputy mayor first, who spoke after him): the first reported speaking (columns.md)
        return _speaking_officer(text, named) or first
    return _speaking_participant(text, zone) or (None, None)


# An organ's short name given in brackets after it (`澳大利亚龙岩同乡会（以下简称“龙岩同乡会”）会长谢某`): its quote marks are
# no speech quoted in the office's run (STUDIED_OFFICE_RE), and the note no part of the office (session 60's fresh page)
ABBREVIATION_NOTE_RE = re.compile(r"[（(](?:以下)?简称[^）)]{1,20}[）)]")


# What stands between two officers the lead lists together (`市委书记林某，省委常委、常务副省长郭某，…出席大会并致辞`).
OFFICER_LIST_SEPARATORS = frozenset(["", "，", ",", "、"])


# Who the lead says presided (`…出席会议，会议由蔡某主持。`, `会议由集团副总裁苏某主持`): when nobody the opening names is
# reported speaking, the chair is whom the item is about, not the guest list's ranking first (session 56's fresh city
# item took the party secretary who only attended). The office is the clause's own, else the one the opening puts
# before the name (`市人大常委会主任蔡某、…`).
PRESIDED_BY_RE = re.compile(
    rf"(?:会议|大会|会|典礼|仪式|活动|座谈会|开幕式)由(?P<office>[^，。；：:！？\s、]{{0,16}}?(?:{OFFICE_KW}))?"
    rf"(?P<name>[{HAN}]{{2,3}}?)(?:同志)?主持"
)


def _presider(zone: str) -> tuple[str, str] | None:
    m = PRESIDED_BY_RE.search(zone)
    if m is None or not is_byline_name(name := m.group("name")) or _place_for_name(name):
        return None
    office = m.group("office")
    office = _strip_jurisdiction(office) if office else _office_before(name, [zone[: m.start()]])
    return (name, office) if office else None


# A head named before the office and said to address the event (`王如哲校長致詞恭賀畢業生`, `李某董事長在大會上作總結講話`):
# a campus's, company's or agency's own item names its head so, with no office before him (this round's fresh campus page
# had no speaker). Read only when no officer is named office first; the office words are those a name test passes before
# (NAME_FIRST_OFFICE_RE's reasoning) and the heads such items report.
# Overseas items name their diplomats and association heads so too (`严某总领事致辞`, `馬某處長致辭表示`), after their
# association's name (`米兰华侨华人工商会周斌会长代表侨团致辞`) and for whom they spoke (`代表侨团`): session 60's fresh
# pages had a silent guest or nobody.
NAME_OFFICE_ADDRESS_RE = re.compile(
    rf"(?:^|[，。；！？\n]|(?<=商会|协会|侨团|总会))(?P<name>[{HAN}]{{2,3}})"
    r"(?P<office>副?(?:校长|院长|董事长|总经理|总裁|行长|会长|理事长|署长|总统|总领事|领事|大使|处长))"
    r"(?:在[^，。；！？\n]{0,20}?|代表[^，。；！？\n]{1,12}?)?"
    r"(?:致辞|致词|讲话|发表[^，。；！？\n]{0,8}?讲话|作[^，。；！？\n]{0,8}?讲话)"
)
ADDRESS_GATE = ("致辞", "致词", "讲话")


def _address_by_name_first(zone: str) -> tuple[str, str] | None:
    if not any(w in zone for w in ADDRESS_GATE):
        return None
    for m in NAME_OFFICE_ADDRESS_RE.finditer(zone):
        if is_byline_name(m.group("name")) and m.group("name")[-1] not in ORGAN_HEAD_CHARS:
            return m.group("name"), m.group("office")
    return None


# A participant the item reports speaking at a clause's start (`杨军指出，`, `胡志强表示，`, `刘卫忠在讲话中要求，`): the
# verb is found first (SPEAKING_VERB_RE, a literal alternation), then its clause read back from it
SPEAKING_VERB_RE = re.compile(r"(?:指出|强调|要求|表示|说|希望|认为)[，,：:]")
# …and the address's own kind said with the verb (`佘某致歡迎辭表示，`, `周某在致歡迎詞時候表示`: HK associations' items, session 56)
ADDRESS_KIND = r"(?:致|发表)(?:欢迎|祝酒|开幕|闭幕|答谢|新年|新春)?[辞词]"
SPEAKING_CLAUSE_RE = re.compile(
    rf"(?P<name>[{HAN}]{{2,3}})(?:在[^，。；！？\n]{{0,20}}?(?:致辞|致词|讲话|发言|{ADDRESS_KIND})(?:中|时|时候)?|{ADDRESS_KIND}(?:时)?)?"
)
SPEAKING_CLAUSE_MAX = 26  # a name and `在…讲话中` before the verb
# The leaders a local item lists by their rank's collective word, no office each (`市领导杨军、李同道…`, `县领导刘卫忠、
# 李刚、王春平参加会议`): session 53's fresh county and city pages had the first officer named (a secretary-general who
# only came) or nobody for the listed leader whose words they report.
LEADER_LIST_RE = re.compile(
    rf"(?:[省市县区州旗镇乡]|校|院)领导(?:同志)?[:：]?(?P<names>[{HAN}]{{2,3}}(?:、[{HAN}]{{2,3}})+)"
)


def _speaking_participant(text: str, zone: str) -> tuple[str, str | None] | None:
    """(name, office) of the first person the item reports speaking whom the opening names as a participant: in a
    leader list (LEADER_LIST_RE: no office) or after an office word (`市长胡志强与公所同仁…`); None if none."""
    listed = {n for m in LEADER_LIST_RE.finditer(zone) for n in m.group("names").split("、")}
    for v in SPEAKING_VERB_RE.finditer(text, 0, NEWS_REPORT_CHARS):
        start = max(v.start() - SPEAKING_CLAUSE_MAX, max(text.rfind(c, 0, v.start()) for c in SPEAKING_CLAUSE_END) + 1)
        m = SPEAKING_CLAUSE_RE.fullmatch(text, start, v.start())
        if m is None:
            continue
        name = m.group("name")
        if name not in zone[:start] or not is_byline_name(name) or _place_for_name(name):
            continue
        if name in listed:
            # `市领导许某、…看望代表。市委书记许某首先代表…`: the office the opening gives him after the list, if any
            return name, _office_before(name, [zone[len(name) + zone.find(name) :]])
        if (office := _office_before(name, [zone[:start]])) is not None:
            return name, office
    return None


SPEAKING_CLAUSE_END = "，。；！？\n”」"  # what ends the clause before a speaking participant's name


NEWS_NAMED_MAX = 12  # officers read in a news opening: a guest list names a dozen
# what an office run never starts with: a preposition making it the object (`向江泽民主席和夫人…致以敬意`); not 和, 同 or
# 与, which open places (`和美鎮長`, `同安区委书记`)
OFFICE_OBJECT_RE = re.compile(r"^(?:向|对|给)")
NOT_NAME_START_RE = re.compile(r"^(?:及|与)|(?:夫人|伉俪)$")  # `…主席和夫人`: a spouse, no name
# a run of 2-3 character names joined by 、 and 及 before the last one's office (`陈某、黄某、葛某及秘书长`): none has an
# office word, so the run lists attendees, not one person's offices (`市委书记、市长` has one in each part)
LISTED_NAME_PART_RE = re.compile(rf"[{HAN}]{{2,3}}")


def _listed_names(office: str) -> bool:
    # `…議員梁某、陸某、郭某和灣仔民政事務專員`: 和 joins the list's last name too
    parts = re.split(r"[、及和]", office)
    bare = [x for x in parts[:-1] if LISTED_NAME_PART_RE.fullmatch(x) and not OFFICE_NAME_RE.search(x)]
    if len(parts) >= 3 and len(bare) >= 2:
        return True
    # `…市工商联主席孙某及无锡市民政局领导、…董事长张某`: a person's name (a surname's, jieba knows as no other word) before
    # 及 or 、 inside the run: the run spans two people, the last one's office is not all of it (session 56's fresh page)
    return any(_guest_name(x) for x in parts[:-1])


LISTED_GUEST_RE = re.compile(rf"(?:{OFFICE_KW})?(?P<n>[{HAN}]{{2,3}})$")  # a list part's name, after its office if any


def _guest_name(part: str) -> bool:
    m = LISTED_GUEST_RE.search(part)
    if m is None or OFFICE_NAME_RE.search(n := m.group("n")) or (m.start() > 0 and m.start("n") == m.start()):
        return False
    return is_name(n) and word_tags().get(n) in (None, "nr")


# A clause in which the named person speaks: `陈某说，`, `陈某在致辞中…`, `陈某、李某先后致辞`, `陈某强调，`
def _speaking_re(name: str) -> re.Pattern[str]:
    return re.compile(
        # a lost indent before the name (LOST_SPACE_MARKS: `\n??? 刘某在讲话中指出`) still opens its clause
        rf"(?:^|[，。；！？\n、”」])[?？ \u3000\xa0]*(?:{re.escape(name)})(?:、[{HAN}]{{2,3}})*(?:先后|分别|也|还|又|首先|随后)?"
        # `王縣長於致詞時表示`: 于 for 在
        r"(?:[在于][^，。；！？\n]{0,20}?(?:致辞|致词|讲话|发言)[^，。；！？\n]{0,4}?(?:中|时)?|(?:发表|作|做)(?:了)?)?"
        r"(?:致辞|致词|讲话|发言|指出|强调|表示|说|要求|希望|认为|代表)"
    )


# A page no news mark typed that reports, in the third person, an officer it names by office speaking (`鄉長李添進現場…。
# 李添進表示，`, `處長賴銘琪說︰「…」`, `永兴县委副书记、县长刘朝晖主持召开…。…刘朝晖要求，`): a news item whose lead opens on no
# date, a 讯 run into its date or an overseas paper's own mark (session 61's fresh pages: 13 of 45 dev pages untyped, no
# speaker). Its speaker is read as a news report's (_news_speaker), on a page that greets nobody (no salutation) and says
# nothing in its own voice before his speaking clause (`我们`, `大家` outside quotes: a speech's opening); what the
# officer is reported saying may hold them (`希望新的一年大家共同努力`).
def _untyped_report_speaker(text: str, name: str) -> bool:
    m = _speaking_re(name).search(text, 0, NEWS_REPORT_CHARS)
    return m is not None and FIRST_PERSON_RE.search(QUOTED_RE.sub("", text[: m.start()])) is None


# A diplomat written the way Taiwan's missions and the older press write them, surname, office, given name (`劉大使德立`,
# `駐處石公使澄茂偕全體員眷…與會`, `李總領事某某`): the office split the name, so no name rule read him (session 60 left
# `劉大使德立`; session 61's fresh South African item had no speaker). Read where the item names him so once and reports
# him, by surname and office, speaking (`石公使應邀致詞時表示`).
# `陈大使与…`, `李总领事在…`: a word after the office, no given name
NOT_GIVEN_FIRST = "的与和及在于向对也亦都又还将已曾"
SPLIT_DIPLOMAT_RE = re.compile(
    rf"(?P<s>[{HAN}])(?P<o>大使|公使|总领事|副总领事|领事|参赞)(?P<g>(?![馆处{NOT_GIVEN_FIRST}])[{HAN}]{{1,2}}?)"
    r"(?=偕|率|与|应邀|出席|莅临|夫妇|伉俪|致|表示|指出)"
)
SPLIT_DIPLOMAT_SPOKE_RE = r"[^，。；！？\n]{0,12}?(?:致辞|致词|讲话|表示|指出|说)"


def _split_diplomat(text: str) -> tuple[str, str] | None:
    zone = text[:OPENING_PARA_CHARS]
    if not any(o in zone for o in ("使", "领事", "参赞")):
        return None
    for m in SPLIT_DIPLOMAT_RE.finditer(zone):
        sur, office, given = m.group("s"), m.group("o"), m.group("g")
        if sur not in surnames():
            continue
        if re.search(re.escape(sur + office) + SPLIT_DIPLOMAT_SPOKE_RE, text[:NEWS_REPORT_CHARS]):
            return sur + given, office
    return None


def _speaks(text: str, name: str) -> bool:
    return _speaking_re(name).search(text, 0, NEWS_REPORT_CHARS) is not None


def _speaking_officer(text: str, named: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """Of the officers a news opening names, the one whose speaking clause comes first (None if none speaks)."""
    best: tuple[int, tuple[str, str]] | None = None
    for found in named:
        m = _speaking_re(found[0]).search(text, 0, NEWS_REPORT_CHARS)
        if m is not None and (best is None or m.start() < best[0]):
            best = (m.start(), found)
    return best[1] if best else None


# A clause saying the person spoke (`出席会议并讲话`, `作重要讲话`, `发表讲话`, `致辞`): the news item's speaker, rather than
# the chair named first (`县委副书记、县长李四主持会议。县委书记张三出席并讲话`: session 47's county page named the head).
# `传达学习国家主席习近平在…峰会上的讲话`: a speech the meeting studied (`的讲话`, 传达/学习 before the name) is no one's
# speaking there (a city's news page went national with 习近平).
SPOKE_AFTER_RE = re.compile(r"[^，。；\n的]{0,16}?(?:讲话|致辞|致词)")
STUDIED_RE = re.compile(r"传达|学习|贯彻|落实|领会")
# what an office's run never holds: a speech's spirit, a quote, the words studying it (`精神`, `“两会”`, `特别是`, `学习`)
STUDIED_OFFICE_RE = re.compile(r"精神|[“”「」]|特别是|学习|领会|贯彻")
LISTED_OFFICE_RE = re.compile(r"以及|全体")
SPOKE_REACH = 24  # characters after a name: `出席会议并作重要讲话` with a meeting's short name between
SPOKE_CLAUSES_CHARS = 200  # how far past the first name a speaking leader may stand: the lead's sentence or two


def _spoke_later(zone: str, p: int) -> int | None:
    """Where a later `讲话`/`致辞` stands in the zone (None if none): only then is a later name worth reading."""
    found = [i for w in ("讲话", "致辞", "致词") if (i := zone.find(w, p)) >= 0]
    return min(found) if found else None


# A news headline quoting a person after a colon (`中共建政招待會 習近平:深化兩岸交流反台獨`, `李家超：…`): the report of
# what the person said, not the speech (session 46 left HK and TW such pages untyped). The quote is no title
# (TITLE_LINE_RE: `某某：在…上的讲话` is a title with its speaker before it) and the report speaks of the person in the
# third person (`習近平表示，`).
# The person may carry an office (`國慶盛典 臺南市長黃偉哲:珍惜國土、感恩前人`, session 50's fresh pages: untyped, unnamed).
QUOTE_HEADLINE_RE = re.compile(
    rf"(?:^|\s)(?:(?P<office>[{HAN}]{{0,8}}?(?:{OFFICE_KW})))?(?P<name>[{HAN}]{{2,3}})\s*[:：]\s*"
    r"(?P<quote>[^:：\s][^:：]{3,40})$"
)


# The deck's speaker (NEWS_DECK_TITLE_RE: `澳門特區舉行成立15週年慶祝酒會 崔世安致辭`): the item reports that person's
# remarks, though its body names a higher leader first (`…國家主席習近平發表了重要講話`, quoted from the remarks:
# session 53's fresh Macau page took the president).
DECK_NAME_RE = re.compile(
    rf"\s(?P<name>[{HAN}]{{2,3}})(?:发表)?(?:重要)?(?:讲话|致辞|致词|致(?:祝酒|欢迎|开幕|闭幕|答谢|新年)[辞词])\s*$"
)


def _deck_speaker(title: str | None, text: str) -> tuple[str, str | None] | None:
    """(name, office) of the person a news headline's deck says spoke, when the body names them; None otherwise. The
    office is the one the body puts before the name, or joined to it by 的 (`第四任行政長官的崔世安`)."""
    if not title or not NEWS_DECK_TITLE_RE.search(title) or (m := DECK_NAME_RE.search(title)) is None:
        return None
    name = m.group("name")
    body = text[:NEWS_REPORT_CHARS]
    if not (is_name(name) or name in _leaders()) or _place_for_name(name) or name not in body.replace(title, "", 1):
        return None
    office = _office_before(name, [body])
    if office is None and (o := re.search(rf"(?P<office>{OFFICE_KW})的{re.escape(name)}", body)):
        office = o.group("office")
    return name, office


# A headline naming its actor by office and name before the act (`天津代市长戴相龙第一次主持市政府常务会议`): who presided or
# spoke, on a page whose wire mark the normalizer cut as a source line and so went untyped and unnamed (session 53's
# fresh sina page). The body must report the person speaking (`戴相龙说，`).
HEADLINE_ACTOR_RE = re.compile(
    rf"^(?P<office>[^\s，。：:]{{0,8}}?(?:{OFFICE_KW}))(?P<name>[{HAN}]{{2,3}})(?:第一次|首次|再次|专门|亲自)?"
    r"(?:主持|出席|讲话|致辞|致词|调研|考察|视察|会见|看望|慰问)"
)


def _headline_actor(title: str | None, text: str) -> tuple[str, str] | None:
    """(name, office) of a headline's actor (HEADLINE_ACTOR_RE) whom the body reports speaking; None otherwise."""
    m = HEADLINE_ACTOR_RE.match(title.strip()) if title else None
    if m is None:
        return None
    name = m.group("name")
    if not is_byline_name(name) or _place_for_name(name) or not _speaks(text.replace(title or "", "", 1), name):
        return None
    return name, _strip_jurisdiction(m.group("office"))


# A headline's actor named by surname and office (`澎湖縣王縣長參加中興國小畢業典禮`): the item is about him, though its lead
# says who presided (`典禮由校長許某主持`). Session 55 left it; session 56's fresh page had it again.
HEADLINE_SURNAME_ACTOR_RE = re.compile(
    rf"^[^\s，。：:]{{0,8}}?(?P<s>[{HAN}])(?P<o>{OFFICE_KW})(?:第一次|首次|再次|专门|亲自)?"
    r"(?:参加|出席|主持|讲话|致辞|致词|调研|考察|视察|会见|看望|慰问)"
)


def _headline_surname_actor(title: str | None, text: str) -> tuple[str, str] | None:
    """(name, office) of a headline's surname-and-office actor whom the opening names in full after the office
    (`縣長王某`) and the body reports speaking (`王縣長於致詞時表示`); None otherwise."""
    m = HEADLINE_SURNAME_ACTOR_RE.match(title.strip()) if title else None
    if m is None or (sur := m.group("s")) in ORGAN_HEAD_CHARS or sur not in surnames():
        return None
    body = text.replace(title or "", "", 1)
    word = m.group("o")
    if not _speaks(body, sur + word):
        return None
    for f in re.finditer(rf"{word}\s?(?P<n>{sur}[{HAN}]{{1,2}})", body[:OPENING_PARA_CHARS]):
        if is_byline_name(name := f.group("n")) and not _place_for_name(name):
            return name, _strip_jurisdiction(word)
    return None


def _quote_headline_name(title: str | None, text: str) -> str | None:
    """The person a `name: quote` news headline quotes, when the page reports them in the third person."""
    m = QUOTE_HEADLINE_RE.search(title) if title and ("：" in title or ":" in title) else None
    if m is None or TITLE_LINE_RE.match(m.group("quote")):
        return None
    name = m.group("name")
    if not (is_name(name) or name in _leaders()) or regions.find_places(name):
        return None
    opening = text[:NEWS_REPORT_CHARS]
    if DELIVERED_OPENING_RE.search(opening[:OPENING_PARA_CHARS]) or NEWS_FULLTEXT_RE.search(opening):
        return None  # the speech itself under a headline quoting it
    said = re.search(rf"{re.escape(name)}(?:[^，。；\n]{{0,12}}?)(?:表示|指出|强调|说|宣称|称)[，,：:]", opening)
    return name if said else None


def _quote_headline_office(title: str | None, name: str) -> str | None:
    """The office a `office name: quote` headline gives its person (`臺南市長黃偉哲:`), without its place."""
    m = QUOTE_HEADLINE_RE.search(title) if title else None
    if m is None or m.group("name") != name or not m.group("office"):
        return None
    return _strip_jurisdiction(m.group("office"))


# A title naming the speaker by surname and office (`蔡總統國慶談話全文`, `习主席…`): the office is the title word; the
# person is the one the text names with that surname and office (`總統蔡英文`, `习近平主席`).
SURNAME_OFFICE_RE = re.compile(rf"(?P<s>[{HAN}])(?P<o>{OFFICE_KW})")
SURNAME_OFFICE_TITLE_RE = re.compile(rf"^(?P<s>[{HAN}])(?P<o>{OFFICE_KW})")


def _surname_office(
    name: str | None, office: str | None, title: str | None, text: str
) -> tuple[str | None, str | None]:
    """(name, office) with a surname-and-office speaker (`习主席`) resolved to the office and the text's full name."""
    m = SURNAME_OFFICE_RE.fullmatch(office) if office else None
    if m is None and office is None and title:
        m = SURNAME_OFFICE_TITLE_RE.match(title)
    if m is None or m.group("s") not in surnames():
        return name, office
    sur, word = m.group("s"), m.group("o")
    if name is None:
        zone = text[:OPENING_PARA_CHARS]
        for rx in (rf"{word}\s?(?P<n>{sur}[{HAN}]{{1,2}})", rf"(?P<n>{sur}[{HAN}]{{1,2}}){word}"):
            for f in re.finditer(rx, zone):
                if is_byline_name(f.group("n")):
                    name = f.group("n")
                    break
            if name:
                break
        if name is None and office is None:
            return None, None  # a title opening on a surname-like character and an office word, nobody named
    return name, word


def _news_meeting(title: str | None, text: str) -> str | None:
    for zone in (title or "", text[:OPENING_PARA_CHARS]):
        for m in NEWS_MEETING_RE.finditer(zone):
            org = m.group("org") or ""
            if m.group("c") and NEWS_MEETING_NOT_REPORTED_RE.search(org):
                continue
            meeting = m.group("a") or m.group("b") or (org + m.group("c") if m.group("c") else None)
            meeting = NEWS_MEETING_SELF_RE.sub(
                "", NEWS_MEETING_LEAD_RE.sub("", NEWS_MEETING_DAY_RE.sub("", meeting or ""))
            )
            if meeting and not GENERIC_MEETING_RE.match(meeting):
                return meeting
    return None


# A press conference's transcript (`国务院总理李强出席记者会并回答中外记者提问`, `李强总理答中外记者问（全文）`, a ministry's
# `新闻发布会实录`): the answers given to reporters, typed 答记者问 — never the 政府工作报告 its NPC session and the
# premier's office would make it, nor a 讲话 — and held at the press conference (`十四届全国人大二次会议…举行记者会`:
# meeting `第十四届全国人民代表大会第二次会议记者会`). Known by its headline or by reporters' turns under its lead.
_PRESS_KIND = r"(?:记者会|新闻发布会|记者招待会|新闻吹风会|吹风会|发布会)"
PRESS_CONF_TITLE_RE = re.compile(
    rf"{_PRESS_KIND}|答(?:中外)?记者问|回答(?:中外)?记者(?:的)?提问|会见中外记者|与中外记者见面"
    # a congress's news centre's group interview (`二十大新闻中心第一场集体采访`: spokespeople answer reporters; this
    # round's fresh pages) is a press conference
    r"|集体采访"
    # info.gov.hk's `行政長官會見傳媒答問內容`: the answers to the media (untyped and unnamed, session 50's fresh pages)
    r"|会见传媒[^，。；\s]{0,8}?答问"
)
PRESS_CONF_MEETING_RE = re.compile(
    rf"(?:欢迎(?:出席|参加)|出席)(?P<s>[^，。；！？\s]{{2,40}}?)(?P<k>{_PRESS_KIND})"
    rf"|(?P<s2>[^，。；！？\s]{{2,40}}?)(?:在[^，。；！？\s]{{1,24}}?)?(?:举行|召开)(?:的)?(?P<k2>{_PRESS_KIND})"
)
PRESS_TURNS_MIN = 2  # reporters' turns (`新华社记者：`, `问：`) that make an untitled page a transcript
PRESS_CHARS = 3000


# A title naming a speech given at a press conference, with the page's `内容`/`全文` and a note after it (`…记者会发言全文
# (只有中文)`, info.gov.hk): the remarks, typed by their own word (k4's held-out LegCo pages were 答记者问).
PRESS_SPEECH_TITLE_RE = re.compile(DOC_END + r"(?:内容|全文|稿)?(?:[（(][^）)]{0,12}[）)])?$")


def _press_conference(title: str | None, text: str) -> bool:
    if title and _genre_title(title):
        return False  # `温家宝与中外记者见面侧记`: the news of the press conference
    if title and PRESS_SPEECH_TITLE_RE.search(title):
        return False  # `在新闻发布会上的讲话`, `立法会主席年结记者会发言内容`: a speech given there
    if title and PRESS_CONF_TITLE_RE.search(title):
        return True
    head = text[:PRESS_CHARS]
    if "记者" not in head and "问:" not in head and "问：" not in head:
        return False
    if "中外记者" in head and PRESS_ANSWER_LEAD_RE.search(text[:OPENING_PARA_CHARS]):
        return True  # `国务院总理某某…会见中外记者并回答记者提问`: the transcript's lead
    turns = sum(1 for _ in itertools.islice(PRESS_TURN_RE.finditer(head), PRESS_TURNS_MIN))
    if 0 < turns < PRESS_TURNS_MIN:
        # a reporter's question and the official's answer under their own names (`中国日报和中国日报网记者：` /
        # `人力资源社会保障部党组书记、部长尹蔚民：`: session 54's fresh copy of a congress's news-centre transcript)
        turns += sum(1 for _ in itertools.islice(ANSWER_TURN_RE.finditer(head), PRESS_TURNS_MIN))
    # reporters' turns under a lead naming a press conference, or answered by a national leader's turns (`【李克强】…`:
    # the page's headline `记者会开场` was removed as a caption)
    return turns >= PRESS_TURNS_MIN and (
        bool(PRESS_CONF_TITLE_RE.search(text[:OPENING_PARA_CHARS])) or bool(_leader_turns(text))
    )


# An answer's turn in a transcript: the official's office and name alone on the line (`人力资源社会保障部党组书记、部长尹蔚民：`)
ANSWER_TURN_RE = re.compile(rf"(?m)^\s*[^，。；：:\n]{{0,30}}?(?:{OFFICE_KW})[{HAN}·]{{2,4}}\s*[:：]\s*$")


# What a transcript's headline may carry after the press conference it names: a note on the copy (`（全文）`, `实录`).
PRESS_HEADLINE_TAIL_RE = re.compile(
    r"\s*(?:[（(【\[][^）)】\]]{0,12}[）)】\]]|(?:文字|图文|视频)?(?:全文|实录|直播)(?:全文)?)*\s*"
)


def _press_headline(title: str | None) -> bool:
    """A headline naming the press conference (PRESS_CONF_TITLE_RE) that is no news lead taken for the title (`人民网北京
    2月29日电(孙博洋) 今天上午，国新办在京举行新闻发布会，会上`), and ends on it: a headline going on to tell something of
    it (`总理记者会：李克强两个半小时答17个问题`, `总理记者招待会创下了近20年来之“最”`: session 55's fresh news features,
    typed 答记者问) is the news of the press conference, its subject."""
    if not title or NEWS_MARK_RE.match(title):
        return False
    ends = [m.end() for m in PRESS_CONF_TITLE_RE.finditer(title)]
    return bool(ends) and PRESS_HEADLINE_TAIL_RE.fullmatch(title, ends[-1]) is not None


def _press_turn(text: str, title: str | None = None) -> bool:
    """A question or an answer turn in the opening (`新华社记者：`, `问：`, `答：`), at a line's start or run into the text.
    The headline's own line, when the text opens on it, is no turn (`赵启正：今天记者们所提的问题都良好以上的！`: a news
    headline quoting the spokesman, session 55's fresh page, read as his answer)."""
    head = text[:PRESS_CHARS]
    if title:
        first, _, rest = head.lstrip().partition("\n")
        if re.sub(r"\W", "", first) == re.sub(r"\W", "", title):
            head = rest
    return (
        PRESS_TURN_RE.search(head) is not None
        or re.search(r"(?:记者|问|答)\s*[:：]|[【\[][^】\]\n]{0,16}记者[】\]]", head) is not None
        or PRESS_NAME_TURN_RE.search(head) is not None  # `赵某：时间有限，…`, `【李克强】…`: the answerer's own turn
        or ANSWER_TURN_RE.search(head) is not None
    )


def _leader_turns(text: str) -> dict[str, int]:
    """National leaders' (leaders.txt) answer turns in a transcript's opening (PRESS_NAME_TURN_RE), by name."""
    turns: dict[str, int] = {}
    known = _leaders()
    for m in PRESS_NAME_TURN_RE.finditer(text[:PRESS_CHARS]):
        name = m.group("a") or m.group("b")
        if name in known:
            turns[name] = turns.get(name, 0) + 1
    return turns


def _press_speaker(text: str) -> tuple[str | None, str | None]:
    """(name, office) of who answers at a press conference: its lead's `国务院总理某某…会见中外记者`, else the national
    leader (leaders.txt) with the most answer turns in the transcript's opening."""
    lead = text[:OPENING_PARA_CHARS]
    if "记者" in lead:
        for m in PRESS_ANSWER_LEAD_RE.finditer(lead):
            name, office = m.group("name"), m.group("office")
            if is_byline_name(name) and not _place_for_name(name):
                return name, _strip_jurisdiction(office)
    turns = _leader_turns(text)
    if turns:
        return max(turns, key=lambda n: turns[n]), None
    return None, None


def _press_meeting(text: str) -> str | None:
    """`第十四届全国人民代表大会第二次会议记者会` from `十四届全国人大二次会议…举行记者会` or `欢迎出席…记者会`."""
    for m in PRESS_CONF_MEETING_RE.finditer(text[:OPENING_PARA_CHARS]):
        session, kind = (m.group("s"), m.group("k")) if m.group("k") else (m.group("s2"), m.group("k2"))
        # `3月11日，…`, `国务院新闻办公室于2024年1月18日（星期四）上午10时举行…`: the date is no part of the name
        session = re.sub(r"^[\d年月日]+(?:上午|下午|晚上|晚)?", "", session)
        session = re.sub(r"于?(?:\d{4}年)?\d{1,2}月\d{1,2}日.*$|于?(?:今天|今日|昨天|上午|下午).*$", "", session)
        if len(session) >= 2 and not re.search(OFFICE_KW, session):
            return (_full_meeting_name(session) or session) + kind
    return None


def _news_lead(
    text: str, published: dt.date | None, title: str | None = None, news: bool = False
) -> tuple[dt.date | None, str | None]:
    """The date and meeting of a news page's lead (NEWS_LEAD_DATE_RE): a month-day completed with the published
    year (the previous one when it would fall after the page's date: a January page on a December meeting). Only a
    lead that is news — an agency's dateline, or a line opening with the month-day — never a speech's review of
    the year (`2月18日，省委召开…` deep in its body)."""
    lines = _lead_lines(text[:NEWS_REPORT_CHARS])
    # a full-date line above a speech's salutation (`2019年9月26日于市委礼堂召开全市经济工作会议，…` / `同志们：`) is a
    # header sentence _delivered has judged, not a news lead
    saluted = not news and any(SALUTATION_RE.match(x) for x in lines)
    for line in lines:
        if line.startswith("据") and (att := ATTRIBUTION_RE.match(line)):
            line = line[att.end() :]  # `据黔东南日报消息 9月26日晚，…`: the source's credit before the lead
        elif ("。" in line[:LEAD_BACKGROUND_CHARS] or line[:1] == "“" or "，" in line[:LEAD_SCENE_CHARS]) and (
            bg := LEAD_BACKGROUND_RE.match(line)
        ):
            line = line[
                bg.end() :
            ]  # `根据市委部署，八所镇党委安排…进行换届。8月12日上午，…召开`: a sentence of background first
        elif line[:1] == "在" and (occasion := LEAD_OCCASION_RE.match(line)):
            line = line[occasion.end() :]  # `在新春佳节即将来临之际，1月18日下午，…座谈会召开。`: the occasion first
        elif "在" in line and (first := MEETING_FIRST_LEAD_RE.match(line)):
            line = line[
                first.end() :
            ]  # `2007年贵州省政府参事…迎春茶话会2月13日下午在贵阳举行。`: the meeting before its day
        if (
            not saluted
            and (full := LEAD_FULL_DATE_RE.match(line))
            # a bare date line is an e-paper's or site's stamp above the headline (`2024年11月21日` / `第04版` / the
            # headline / `新华社东京11月19日电…活动18日在东京举行`: read as the lead's date, session 57's fresh page), no lead
            and ("，" in line[full.end() :] or "。" in line[full.end() :])
            and (news or NEWS_LEAD_DATE_RE.match(line, full.start("m"), OPENING_PARA_CHARS))
        ):
            # `2023年4月19日，我院…党支部…召开了…学习会`: a lead that states its year is dated by itself, with or
            # without a page date (this round's fresh company, school and county items were undated for it)
            meeting = m.group("meeting") if (m := NEWS_LEAD_MEETING_RE.search(line[:OPENING_PARA_CHARS])) else None
            day = make_date(full["y"], full["m"], full["d"])
            return (None if day is None or (published and day > published) else day), meeting
        dl = NEWS_DATELINE_RE.match(line)
        xun = None if dl else NEWS_XUN_DAY_RE.match(line)
        if not dl and not xun and not LEAD_MONTH_DAY_RE.match(line):
            continue
        meeting = m.group("meeting") if (m := NEWS_LEAD_MEETING_RE.search(line[:OPENING_PARA_CHARS])) else None
        stated = _lead_year(line[:OPENING_PARA_CHARS], title) if published is None else None
        if published is None and stated is None:
            return None, meeting
        # `本网讯1月10日上午，…`: the day right after a paper's or site's 讯 mark is the news's own
        lead = xun or NEWS_LEAD_DATE_RE.search(line, dl.end() if dl else 0, OPENING_PARA_CHARS)
        if lead is None and news and not dl:
            # a news item's lead opening on its month-day, its verb far after (`9月26日晚，省委书记…等省领导到…看望`)
            lead = NEWS_OPENING_DAY_RE.match(line)
        if lead is None:
            return None, meeting
        month = lead.group("m") or (dl.group("m") if dl else None)
        if month is None:
            return None, meeting
        try:
            if published is None:
                return dt.date(stated or 0, int(month), int(lead.group("d"))), meeting
            day = dt.date(published.year, int(month), int(lead.group("d")))
            if (day - published).days > NEWS_ROLLBACK_DAYS:
                day = dt.date(published.year - 1, int(month), int(lead.group("d")))
        except ValueError:
            return None, meeting
        if day > published:
            return None, meeting  # a lead after its page's own date: one of the two is not this page's
        return day, meeting
    return None, None


# The occasion a lead opens on before its day (NEWS_OCCASION), cut before the day is read (`在新春佳节即将来临之际，1月18日
# 下午，商城县2023年社会各界人士迎新年座谈会召开。`: session 55's fresh county item, typed news but undated)
LEAD_OCCASION_RE = re.compile(NEWS_OCCASION)


# A lead opening on its full date (`2010年1月4日，集团在总部大楼…召开…`), after the purpose or correspondent a company's item
# puts first (`为…，2023年1月29日，集团召开…`): read by _news_lead before the month-day leads, which it would skip.
LEAD_FULL_DATE_RE = re.compile(
    rf"(?:{LEAD_PURPOSE})?(?:{LEAD_REPORTERS})?(?P<y>(?:19|20)\d{{2}})年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日"
)


def _lead_year(lead: str, title: str | None) -> int | None:
    """The year a dateless news lead states for its own meeting (`3月10日，童市镇隆重召开2016年度党委工作会`) or its title
    names, when only one year is so stated; none for a review meeting (`召开2015年度总结表彰大会` meets the year
    after) or when the two disagree."""
    years = set()
    if (m := LEAD_MEETING_YEAR_RE.search(lead)) or (m := LEAD_EVENT_YEAR_RE.search(lead, 0, LEAD_EVENT_YEAR_CHARS)):
        if REVIEW_MEETING_RE.match(lead, m.end("y")):
            return None
        years.add(int(m.group("y")))
    if title and (m := YEAR_RE.search(title)):
        years.add(int(m.group(1)))
    if not years and "全国" in lead[:LEAD_EVENT_YEAR_CHARS]:
        # the national congress session the lead names (`3月15日上午，十三届全国人大二次会议闭幕后，…会见了中外记者`:
        # session 55's fresh feature, no page date; session 54 left years only in a meeting's name): its year
        for m in NPC_RE.finditer(lead, 0, LEAD_EVENT_YEAR_CHARS):
            if "全国" in m.group(0) and (y := _npc_year(m)) is not None:
                years.add(y)
    return years.pop() if len(years) == 1 else None


# A list of other items' stamps (`大灣區精選:` / `- 2025年02月04日 23:10:05` / `- 2025年02月04日 18:41:02` …: a related
# column under igo9go's copy of a wire item, session 56's fresh pages, read as its published_on a week late): lines holding
# a date and clock alone, after a bullet at most; LISTED_STAMPS_MIN of them are a list, not the page's stamp (a page
# stamps itself once, or twice as posted and updated).
LISTED_STAMP_RE = re.compile(r"[\s\-•·*]*")
LISTED_STAMPS_MIN = 3


def _published_on(chrome: list[str]) -> dt.date | None:
    """Page date: 发布时间:2021-03-25 / 发表于2019-01-29 / `2021-02-06 来源:…` / 时间：2026-02-09 /
    `2024年03月13日06:52 | 来源：人民网－人民日报` (people.com.cn's stamp: clock and bar before its source)."""
    # a line the chrome repeats (the raw head's paragraphs come back as the text's head and its spans) read once: a
    # long line's date is not remembered by find_date (a 20k-bench shard's chrome repeats a third of its characters)
    dates = {line: find_date(line) for line in dict.fromkeys(chrome)}
    found_lines = [(line, found) for line in chrome if (found := dates[line])]
    for line, (d, s, e) in found_lines:
        # a labelled stamp first: a bare clock above it is the page's (an e-paper reader's `2024-11-25 02:44:48` over
        # `发布时间：2016-10-22 13:50`, a held-out news page, k3)
        # …or a doc site's toolbar after it (`2022-07-30 版权声明 我要投稿`: wenshuyi, session 55's fresh page, undated)
        if PUBLISHED_KEY_RE.search(line[:s]) or re.match(
            r"^[\s\d:：|｜丨]*(?:来源|作者|点击|浏览|阅读|版权声明|我要投稿)", line[e:]
        ):
            return d
    listed = {line for line, _found in found_lines if LISTED_STAMP_RE.fullmatch(DATE_CLOCK_RE.sub("", line))}
    # distinct stamps: the chrome repeats the page's own (three copies of `2021-11-15 17:50`), and glues a list's lines
    stamps = {re.sub(r"\s", "", m.group(0)) for line in listed for m in DATE_CLOCK_RE.finditer(line)}
    if len(stamps) >= LISTED_STAMPS_MIN:
        found_lines = [x for x in found_lines if x[0] not in listed]  # a list of other items' stamps
    for line, (d, s, _e) in found_lines:
        before = line[:s]
        if not before.strip() and DATE_CLOCK_RE.fullmatch(line):
            return d  # `2026-02-03 09:02:33` alone: a page stamp (a speech's dateline never gives the clock time)
        if "。" not in line and DATE_CLOCK_RE.match(line, s):
            # a stamp with the clock time among other chrome: `2024-03-05 11:20:15 香港文匯網`,
            # `来源：《求是》2023/08　作者：习近平　2023-04-15 09:00:00` (qstheory.cn)
            return d
    for line in chrome:  # `發稿時間: 110年1 月1日 08:45`: a Taiwan page's stamp in the ROC calendar (m9: tainan.gov.tw)
        m = ROC_STAMP_RE.search(line) if "年" in line and ("时间" in line or "日期" in line) else None
        roc_year = int(m["y"]) if m and ROC_STAMP_YEARS[0] <= int(m["y"]) <= ROC_STAMP_YEARS[1] else None
        if m and roc_year and (d2 := make_date(str(ROC_EPOCH + roc_year), m["m"], m["d"])) is not None:
            return d2
    for line in chrome:  # `时间:15-02-11 09:43`: a labelled stamp giving the year in two digits (kf.hns93.gov.cn)
        m = SHORT_YEAR_STAMP_RE.search(to_half(line)) if "-" in line else None
        if m and (d2 := make_date("20" + m["y"], m["m"], m["d"])) is not None:
            return d2
    return None


# a keyed page stamp in the ROC calendar (`發稿時間:110年1 月1日 11:30`, `发布日期：108年06月26日`): the key right before
# the date, so a bare ROC year elsewhere in chrome (a caption's `111年12月8日`, a breadcrumb's `108年`) is no page date
ROC_STAMP_RE = _prefixed(
    r"(?:时间|(?<!成文)(?<!印发)(?<!施行)(?<!生效)日期)\s*[:：]?[\s|｜丨│]*"
    r"(?<!\d)(?P<y>\d{2,3})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
)
ROC_STAMP_YEARS = (38, 189)  # 1949 (the government's move to Taiwan) to 2100: the years a page of today's sites has
WEEKDAY_TAIL_RE = re.compile(r"\s*[（(]?\s*(?:星期|周|週)[一二三四五六日天]\s*[）)]?\s*")
# a page stamp's two-digit year (`时间:15-02-11 09:43`): labelled and with its clock, read as 20YY
SHORT_YEAR_STAMP_RE = re.compile(
    r"(?:发布时间|发布日期|更新时间|时间|日期)\s*[:：]\s*(?P<y>\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\s+\d{1,2}:\d{2}(?!\d)"
)


# A Taiwanese government page's own date, alone on its line above the headline (president.gov.tw's `109年06月22日` under
# `總統府新聞`: 5 of session 49's 14 Taiwanese pages had no published_on): the ROC calendar's year, whole line only.
# The Ministry of Foreign Affairs' copies write the era before it (`中華民國108年02月24日`, session 50's fresh pages).
ROC_DATE_LINE_RE = re.compile(r"(?:中华民国\s*)?(?P<y>\d{2,3})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")


def _roc_date_line(head: Sequence[str]) -> dt.date | None:
    for line in head:
        m = ROC_DATE_LINE_RE.fullmatch(line.strip())
        if m and ROC_STAMP_YEARS[0] <= int(m["y"]) <= ROC_STAMP_YEARS[1]:
            return make_date(str(ROC_EPOCH + int(m["y"])), m["m"], m["d"])
    return None


# A paper's mark with its full date on the lead (`【大紀元2012年07月01日訊】`): the day it ran the item (session 50's fresh
# pages: no other date on the page)
MARK_DATED_RE = re.compile(
    r"^[【\[][^】\]\s，。]{0,12}?(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日讯[】\]]"
)


def _marked_on(text: str) -> dt.date | None:
    for line in _lead_lines(text[:OPENING_PARA_CHARS]):
        if "讯" in line[:24] and (m := MARK_DATED_RE.match(line)):
            return make_date(m["y"], m["m"], m["d"])
    return None


def _release_dated(raw_text: str) -> dt.date | None:
    """A press release's date line closing the page, alone with its weekday (info.gov.hk: `二○○五年三月十日(星期四)`,
    `2007年3月25日(星期日)` over `香港時間22時54分`), m9. Only at the page's tail: the same line in its header is the
    site's today (`2023年03月29日 星期三`), not the page's."""
    for line in reversed(raw_text[-RAW_TAIL_CHARS:].splitlines()[-RAW_TAIL_LINES:]):
        if "星期" not in line and "周" not in line and "週" not in line:
            continue
        line = clean_line(line)
        if (found := find_date(line)) and found[1] == 0 and WEEKDAY_TAIL_RE.fullmatch(to_half(line), found[2]):
            return found[0]
    return None


# A date alone on its line above the title (a blog's date header: `2017/10/26` over `閉幕典禮|吳澤成代理縣長致詞`, session
# 54's fresh blogspot page had no published_on): the page's date, as a padded date alone is a site's stamp. Never an
# unpadded dotted date (a manuscript's dateline, MANUSCRIPT_DATE_RE) and never below the title.
BARE_STAMP_LINE_RE = re.compile(r"\s*(?:19|20)\d{2}([-/.])\d{1,2}\1\d{1,2}\s*")
STAMP_TITLE_PREFIX = 6  # characters of the title that mark its line in the head


def _stamp_above_title(head: Sequence[str], title: str | None) -> dt.date | None:
    """The date of a line holding nothing but a date above the title's line (BARE_STAMP_LINE_RE)."""
    if not title:
        return None
    mark = title[:STAMP_TITLE_PREFIX]
    for line in head:
        if mark in line:
            return None
        if BARE_STAMP_LINE_RE.fullmatch(line) and not MANUSCRIPT_DATE_RE.fullmatch(line.strip()):
            found = find_date(line)
            return found[0] if found else None
    return None


# A doc or 范文 site's upload date run into the column it files the page under, on its own line in the head (`2018-07-21悼词`,
# `2025-07-10演讲稿`: session 61's fresh pages had no published_on): the day the copy was posted. Padded ISO only (a site's
# stamp), the column a few Han characters and nothing after it; never `…在` (a dateline's place).
COLUMN_STAMP_LINE_RE = re.compile(rf"\s*(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}\s*(?!在)[{HAN}]{{2,5}}\s*")
COLUMN_STAMP_LINES = 6  # the title, the site's name, the stamp


def _stamp_with_column(head: Sequence[str]) -> dt.date | None:
    """The date of a head line holding a padded date and the site's column name alone (COLUMN_STAMP_LINE_RE)."""
    for line in head[:COLUMN_STAMP_LINES]:
        if COLUMN_STAMP_LINE_RE.fullmatch(line) and (found := find_date(line)):
            return found[0]
    return None


# A blog's date header with its weekday (`2012年11月18日星期日` over the post's title: Blogger's, which the normalizer removes as
# a site's clock of the reading day): the post's date when the url's year and month folder agrees (`/2012/11/blog-post_…`,
# session 61's fresh blogspot page); a clock of the day the page was read agrees with no posting path. Only where the url
# holds no day of its own (that one dates the page, _url_date).
WEEKDAY_DATE_LINE_RE = re.compile(r"\s*((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日\s*(?:星期|周|週)[一二三四五六日天]\s*")
URL_YEAR_MONTH_RE = re.compile(r"/((?:19|20)\d{2})/?(0[1-9]|1[0-2])/")
WEEKDAY_HEADER_LINES = 6  # the blog's name, its menu, the date header


def _weekday_header_on_url(removed_lines: Sequence, text: str, url: str | None) -> dt.date | None:
    """The date of a head line holding a date and its weekday alone (WEEKDAY_DATE_LINE_RE) in the url's month."""
    if not url or _url_date(url) is not None or (u := URL_YEAR_MONTH_RE.search(urlparse(url).path)) is None:
        return None
    lines = [str(r[1]) for r in removed_lines[:WEEKDAY_HEADER_LINES] if len(r) >= 3]
    for line in lines + text.split("\n", WEEKDAY_HEADER_LINES)[:WEEKDAY_HEADER_LINES]:
        m = WEEKDAY_DATE_LINE_RE.fullmatch(to_half(line))
        if m and (int(m[1]), int(m[2])) == (int(u[1]), int(u[2])):
            return make_date(m[1], m[2], m[3])
    return None


def _stamp_under_byline(head: Sequence[str]) -> dt.date | None:
    """A padded date alone on the line right under a reporter's byline (`台灣新聞網記者李華峻/南投報導` / `2014.12.25`): the
    day the item was posted (session 56's fresh 台灣新聞網 pages, whose header line holds the site's clock of today)."""
    for line, below in itertools.pairwise(head):
        if (
            REPORTER_BYLINE_RE.match(line)
            and BARE_STAMP_LINE_RE.fullmatch(below)
            and not MANUSCRIPT_DATE_RE.fullmatch(below.strip())
            and (found := find_date(below))
        ):
            return found[0]
    return None


# A weekday alone on its line (`星期日`, `Tuesday`): under a date at a page's top it makes the two a site's clock of the
# day the page was read (an e-paper reader's `2026-01-25` / `星期日` over a 2024 address: session 59's fresh pages)
WEEKDAY_LINE_RE = re.compile(
    r"\s*(?:星期|周|礼拜|禮拜)[一二三四五六日天]\s*|\s*(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s*", re.I
)


def _stamped_on(removed_lines: Sequence, raw_text: str = "") -> dt.date | None:
    """The date of a line the normalizer removed as a page stamp (`2024-10-28 09:19:49 某素材网`, `2026-03-18 10.00元
    免费试读`, `2024-11-26下载文档一键复制全文`): what _published_on reads no label or clock alone on; never a clock's
    date with its weekday on the line below (WEEKDAY_LINE_RE)."""
    for r in removed_lines:
        if len(r) >= 3 and str(r[2]) == "chrome.published_at":
            found = find_date(to_half(simplify(str(r[1]))))
            if found and not _over_weekday(raw_text, r[0]):
                return found[0]
    return None


def _over_weekday(raw_text: str, line_no: object) -> bool:
    """Whether the raw page's next non-empty line after line `line_no` (1-based) is a weekday alone."""
    if not raw_text or not str(line_no).isdigit() or ("星期" not in raw_text and "day" not in raw_text):
        return False
    after = raw_text.split("\n", int(str(line_no)) + 3)[int(str(line_no)) : int(str(line_no)) + 3]
    nxt = next((x for x in after if x.strip()), "")
    return WEEKDAY_LINE_RE.fullmatch(nxt) is not None


# Page provenance a scraper keeps as YAML front matter (`source: https://…`, `url:`, `link:`, `date:`) or as an
# HTML canonical link; read from the raw page's first FRONT_MATTER_CHARS characters only.
FRONT_MATTER_CHARS = 3000
FRONT_MATTER_RE = re.compile(r"\A\s*---\s*\n(.{0,2900}?)\n---\s*(?:\n|\Z)", re.S)
FM_URL_RE = re.compile(r"^(?:source|url|link|canonical|source_url|original_url)\s*:\s*['\"]?(https?://[^\s'\"]+)", re.M)
FM_DATE_RE = re.compile(r"^(?:date|published|pubdate|publish_date|published_at)\s*:\s*['\"]?([^\n'\"]{8,40})", re.M)
CANONICAL_RE = re.compile(r"<link[^>]{0,200}?rel=[\"']canonical[\"'][^>]{0,200}?href=[\"'](https?://[^\"'\s>]+)", re.I)
# Host -> the site's own name, for hosts whose pages do not name themselves (docs/doc_types.md). Matched on the
# host or any parent domain (`www.gov.cn`, `zh.wikisource.org`); other hosts give the host without `www.`.
HOST_SITES = {
    "www.gov.cn": "中国政府网",
    "wikisource.org": "维基文库",
    "people.com.cn": "人民网",
    "xinhuanet.com": "新华网",
    "news.cn": "新华网",
    "cctv.com": "央视网",
    "chinanews.com.cn": "中国新闻网",
    "chinanews.com": "中国新闻网",
    "npc.gov.cn": "中国人大网",
    "cppcc.gov.cn": "中国政协网",
    "12371.cn": "共产党员网",
    "qstheory.cn": "求是网",
}


def _provenance(raw_text: str, removed_lines: Sequence) -> tuple[str | None, str]:
    """The page's url and front-matter date text: front matter (`source: https://…`), the normalizer's removed
    front-matter lines, or an HTML canonical link."""
    head = raw_text[:FRONT_MATTER_CHARS]
    fm = FRONT_MATTER_RE.match(head)
    block = fm.group(1) if fm else ""
    block += "\n" + "\n".join(str(r[1]) for r in removed_lines if len(r) >= 3 and str(r[2]).startswith("frontmatter"))
    m = FM_URL_RE.search(block) or CANONICAL_RE.search(head)
    d = FM_DATE_RE.search(block)
    return (m.group(1) if m else None), (d.group(1) if d else "")


def _site_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = (urlparse(url).hostname or "").lower()
    except ValueError:
        return None
    parts = host.split(".")
    for i in range(len(parts) - 1):
        site = HOST_SITES.get(".".join(parts[i:]))
        if site:
            return site
    return (host[4:] if host.startswith("www.") else host) or None


def _source_site(chrome: list[str], page_title: str | None, url: str | None, first_span: str = "") -> str | None:
    if page_title:
        m = SITE_SUFFIX_RE.search(page_title)
        if m:
            return simplify(m.group(1).strip())  # `｜香港文匯網`: the site's name in the script of the corpus
    m = SITE_SUFFIX_RE.search(first_span[:SITE_TITLE_CHARS]) if first_span and not page_title else None
    if m and TITLE_LINE_RE.match(first_span[: m.start()].strip()):
        # `…的重要讲话 - 嘉峪关论坛 …` opening a page that lost its line breaks: the page title's site suffix.
        return m.group(1).strip()
    for line in chrome:
        for m in SOURCE_RE.finditer(line):
            v = m.group(1)
            if SITE_WORD_RE.search(v) and not v.endswith(("报告", "总结")):
                return v
    for line in chrome:
        if "网" not in line and "论坛" not in line:
            continue  # both patterns' names end in 网 or 论坛 (their backtracking search was ~8 % of the fields' CPU)
        if not _SITE_CUE_RE.search(line):
            continue  # nor the words either needs around the name (a body line naming a 网 has none mostly)
        m = CHROME_SITE_RE.search(line) or WELCOME_SITE_RE.search(line)
        if m:
            return m.group(1)
    return _site_of(url)


SIGNED_ON_RE = re.compile(r"成文日期\s*[:：]?[\s|｜│]*([^|｜│\n]{6,20})")
PAGE_STAMP_NEXT_RE = re.compile(r"^\s*(?:来源|作者|发布|编辑|责任编辑|责编|点击|浏览|阅读|字号)\s*[:：]?")


# a ROC date's own year before the Western one it gives in brackets (wikisource: `中華民國7年(1918年)11月28日`)
ROC_YEAR_RE = re.compile(r"(?:中华)?民国\s*\d{1,3}\s*年\s*[（(]\s*")
ROC_YEAR_ONLY_RE = re.compile(r"(?:中华)?民国\s*\d{1,3}\s*年")
WESTERN_YEAR_RE = re.compile(r"[（(]\s*\d{4}\s*年\s*[）)]")
# a dateline's place after the date (`1918年11月28日于北京故宫太和殿`): short, no punctuation
PLACE_AFTER_DATE_RE = re.compile(rf"于[{HAN}]{{2,12}}")


def _roc_dates_joined(head: list[str]) -> list[str]:
    """The header cuts a ROC date at its brackets (`中华民国7年` / `(1918年)` / `11月28日`): one line again, in place of
    its first piece (the pieces after it become empty, so indexes stay those of `head`)."""
    head = list(head)
    for i in range(len(head) - 2):
        if ROC_YEAR_ONLY_RE.fullmatch(head[i]) and WESTERN_YEAR_RE.fullmatch(head[i + 1]):
            head[i : i + 3] = [head[i] + head[i + 1] + head[i + 2], "", ""]
    return head


# A manuscript's own date written with dots and no padding under its title or signature (`2023.1.5`, `2023.12.5`): a
# site's stamp pads its month and day (`2023-01-05`, `2023.01.05`) — session 52's fresh pages and the brief's classes.
MANUSCRIPT_DATE_RE = re.compile(r"(?:19|20)\d{2}\.(?:[1-9]\.\d{1,2}|1[0-2]\.[1-9])")
# The date a speech or report is signed with, alone on one of its last lines (`二〇二三年一月五日`, `2023年1月5日`,
# `（2023年1月5日）`, `2023.1.5`; under the speaker's or organ's name): the day it was given or signed, as gov.cn's
# 成文日期 is. Only the text's last FOOTER_DATE_LINES lines, a line holding the date and nothing else.
FOOTER_DATE_LINES = 3
FOOTER_DATE_TAIL = 120  # characters read at the text's end: three short lines
FOOTER_DATE_LINE_RE = re.compile(
    # the zero also typed as a letter O (`二OO八年一月七日`, `二ＯＯ八年`: a notice's signature, session 55's fresh page)
    r"[（(]?\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[一二三四五六七八九〇○零OＯ]{4}年[一二三四五六七八九十]{1,2}月"
    r"[一二三四五六七八九十]{1,3}日|(?:19|20)\d{2}\.(?:[1-9]\.\d{1,2}|1[0-2]\.[1-9]))\s*[）)]?"
)


def _footer_date(text: str) -> dt.date | None:
    """The signed date on one of the text's last lines (FOOTER_DATE_LINE_RE), else None."""
    tail = text[-FOOTER_DATE_TAIL:].rstrip()
    if not tail or not ("日" in tail[-12:] or "." in tail[-12:] or "）" in tail[-2:] or ")" in tail[-2:]):
        return None  # the cheap gate: a speech ends on a sentence
    for line in tail.split("\n")[-FOOTER_DATE_LINES:]:
        line = line.strip()
        if FOOTER_DATE_LINE_RE.fullmatch(line) and (found := find_date(line)):
            return found[0]
    return None


# A dash dateline whose day lost its 日 before the meeting (`——2013年12月25在沙县第十六届人民代表大会第三次会议上`: a
# county portal's report, session 54's fresh pages, undated): the dash, a full date and 在 leave no other reading.
DASH_DATE_NO_DAY_RE = re.compile(
    r"^\s*(?:[—─–－―]{1,3}|-{2,3})\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*(?=在)"
)


def _delivered(head: list[str], page_title: str | None) -> tuple:
    """Speech date from the head: `——2016年1月19日在…上`, `(2012年6月15日)`, or a page title's (date name)."""
    if any(line.endswith("年") and "民国" in line for line in head):
        head = _roc_dates_joined(head)
    for i, line in enumerate(head):
        if re.search(r"发布|来源|时间|发表|点击|日期", line):
            continue
        found = find_date(line)
        if not found:
            if (nd := DASH_DATE_NO_DAY_RE.match(line)) and (d := make_date(nd["y"], nd["m"], nd["d"])):
                return d, i  # `——2013年12月25在沙县第十六届人民代表大会第三次会议上`: 日 dropped before 在
            continue
        d, s, e = found
        if _dateline_name(line):
            return d, i  # `（2006年1月16日 梁保华）`
        rest = line[e:].strip()
        rest = rest[second.end() :].strip() if (second := SECOND_DAY_RE.match(rest)) else rest  # 7月5日至6日在…
        pre = line[:s]
        if ROC_YEAR_RE.fullmatch(pre):
            pre = ""  # `中華民國7年(1918年)11月28日`: the Western year in brackets after the ROC's
            rest = rest[1:].strip() if rest[:1] in "）)" else rest
        if rest[:1] == "于" and PLACE_AFTER_DATE_RE.fullmatch(rest):
            rest = ""  # `…11月28日于北京故宮太和殿`, `…1月22日于臺北市`: where, not what
        if DASH_DATE_RE.sub("", pre).strip() == "" and (rest.startswith("在") or rest == ""):
            if (
                not pre
                and not rest
                and re.fullmatch(r"[\d\s/.-]+", line)
                and not MANUSCRIPT_DATE_RE.fullmatch(line.strip())
            ):
                continue  # `2021-02-06` alone: a page stamp cut from its `来源：…`, not a speech's dateline
            if not pre and not rest and i + 1 < len(head) and PAGE_STAMP_NEXT_RE.match(head[i + 1]):
                continue  # `2024年03月12日` | `来源：人民网`: the header cut a page stamp from its source
            return d, i
        if PAREN_OPEN_RE.sub("", pre) == "" and pre and rest.startswith("在") and re.search(r"[）)]$", rest):
            return d, i
        # `（2022年3月11日第十三届全国人民代表大会第五次会议通过）`: an NPC resolution's adoption line.
        if PAREN_OPEN_RE.sub("", pre) == "" and pre and re.search(r"通过\s*[）)]$", rest):
            return d, i
        # `——2020年1月9日丹东市第十六届人民代表大会第三次会议通过`: the date the congress adopted the report.
        # (without its dash, `2019年1月11日长沙市第十五届人民代表大会第四次会议通过`, the same)
        if DASH_DATE_RE.sub("", pre).strip() == "" and re.search(r"会议(?:审议)?通过$", rest):
            return d, i
        m = PAREN_DATE_RE.match(to_half(line))
        if m and find_date(m.group(1)):
            return d, i
    if page_title:
        m = re.search(r"[（(]([^）)]*\d{4}\s*年[^）)]*)[）)]", to_half(page_title))
        if m:
            found = find_date(m.group(1))
            if found:
                return found[0], -1
    return None, -1


# A news copy dates the speech by its dateline, without a year: `香港新闻网3月13日电 3月13日上午9时…`, `中评社坎培拉4月4日电`,
# `新华网10月31日电`, `中评社香港7月30日电/7月29日晚，…致辞` (the lead may name the day before), and a government press
# release by its lead, `以下为行政长官…今日（六月三十日）出席…的致辞全文` (11 of the 53 held-out pages, g1). The year
# comes from the page's stamp or its url's date path (`/200706/30/`, `/2008/08-08/`), taken only when that date falls
# within WIRE_YEAR_DAYS after the dateline's day (a repost months later says nothing of the year).
WIRE_DAY_RE = re.compile(
    rf"(?:社|网|台|报)[^\s，。,；:：/|]{{0,8}}?(?P<m>{DAY_NUM})月(?P<d>{DAY_NUM})日[^\s，。/|]{{0,4}}?(?:电|讯)"
)
# CNA's dateline gives the day alone (`（中央社記者葉素萍台北10日電）`, `（中央社记者谢怡璇北京30日电）`), a paper's mark too
# (`（香港1日讯）`: session 56's fresh Oriental Daily page)
WIRE_DAY_ONLY_RE = re.compile(
    rf"^[（(【\[][^）)】\]\n]{{2,24}}?(?<![\d一二三四五六七八九十月])(?P<d>{DAY_NUM})日(?:专)?[电讯][）)】\]]", re.M
)
# A Taiwanese or HK lead's day in brackets after 今/昨 (`總統賴清德今（28）日到台南`, `國慶晚會今(5)日晚間`, `今日(21日)`),
# read in the lead's first lines only (a later paragraph's `昨(3)日` tells of another day): dated by the page's stamp or
# its url's date like CNA's `台北10日電` (5 of this round's 31 fresh pages had no delivered_on).
# …and `今早（9日）`, `昨晚（14日）` (session 56's fresh HK page: its day word was not 日 or 天)
LEAD_TODAY_DAY_RE = re.compile(r"(?:今|昨)(?:日|天|早|晨|晚)?\s*[（(]\s*(?P<d>\d{1,2})\s*日?\s*[）)]\s*日?")
TODAY_LEAD_LINES = 6  # a site's section label, stamp, headline and deck may stand above the lead
RELEASE_TODAY_RE = re.compile(
    rf"今(?:日|天|早|晨|晚)?\s*[（(](?P<m>{DAY_NUM})月(?P<d>{DAY_NUM})日[）)]"  # `特首李家超今早（1月21日）出席…`
    # …and the month and day slashed (`吉安鄉公所今(1/1)日上午在希望公園舉辦…`: session 61's fresh Hualien page)
    r"|今[（(](?P<ms>\d{1,2})/(?P<ds>\d{1,2})[）)]日"
)
# A lead's weekday with the month-day after it (`星期三(12月18日)`): the day of the item, its year from the page or url
WEEKDAY_DATE_RE = re.compile(r"星期[一二三四五六日天]\s*[（(](?P<m>\d{1,2})月(?P<d>\d{1,2})日[）)]")
LEAD_DAY_RE = re.compile(r"^[^。；\n]{0,12}?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日")
URL_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_]?(\d{2})[-/_]?(\d{2})(?!\d)")
# 30 days: a wire copy is posted the day it is filed or within days; info.gov.hk's paths carry the release's own day
WIRE_YEAR_DAYS = 30
# the lead's own day may precede the dateline's (`7月30日电/7月29日晚`), never by more than two days
LEAD_DAY_BEFORE = 2


# A crawler's date field written ahead of the page's text (` date 2025-10-09 雙十國慶晚會…`: the stored copies of udn,
# ltn, Yahoo and CNA news pages, 9 of this round's 31 fresh pages): the page's date, glued to its lead, which then
# matched no lead pattern and gave no speaker. Read on the raw page (the normalizer may have cut the date as a stamp and
# left `date` alone on its line); cut from the text it starts.
CRAWL_DATE_HEAD_RE = re.compile(
    r"\A\s*date\s*[:：]?\s*(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?(?![\d:])\s*",
    re.I,
)
CRAWL_DATE_TEXT_RE = re.compile(
    r"\A\s*date(?![A-Za-z])\s*[:：]?\s*(?:(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?(?![\d:]))?\s*",
    re.I,
)


# A site's year-month folder (`/201403/88883.html`, `/mrtt/201812/t4207143.shtml`): the month the page was posted. Its
# last day anchors a news lead's month-day (`2月28日，县委书记…主持召开`) to its year, never dates the page itself.
URL_MONTH_RE = re.compile(r"/((?:19|20)\d{2})(\d{2})/")


def _url_month_end(url: str | None) -> dt.date | None:
    m = URL_MONTH_RE.search(urlparse(url).path) if url else None
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    return dt.date(y + mo // 12, mo % 12 + 1, 1) - dt.timedelta(days=1)


def _url_date(url: str | None) -> dt.date | None:
    m = URL_DATE_RE.search(urlparse(url).path) if url else None
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _dated_by(month: int, day: int, anchors: Sequence[dt.date | None]) -> dt.date | None:
    """The date (month, day) of the year that puts it within WIRE_YEAR_DAYS before the first anchor that allows one."""
    for anchor in anchors:
        if anchor is None:
            continue
        for year in (anchor.year, anchor.year - 1):
            try:
                d = dt.date(year, month, day)
            except ValueError:
                continue
            if dt.timedelta(0) <= anchor - d <= dt.timedelta(days=WIRE_YEAR_DAYS):
                return d
    return None


# A wire's lead that announces its event for a later day (`（中央社记者…桃园24日电）桃园市长当选人郑文灿明天就职`, `中国台湾网12月19日讯
# 据台湾“东森新闻云”报道，台中将举办首次“草地就职典礼”`): the dateline is the day the preview was filed, no day of the
# event (session 60's fresh preview pages were dated by it). Read on the lead's first clause only, past a `据…报道，`
# attribution: `…今天开幕，会议将持续…` holds its event's day.
WIRE_ANNOUNCED_RE = re.compile(
    r"[）)】\]\s]*(?:据[^，。\n]{1,30}?报道[，,])?[^，。；\n]{0,40}?(?:明天|明日|明年|后天|将(?:于|在|举[行办]|召开|出席)|即将|预计)"
)


def _wire_delivered(text: str, published: dt.date | None, url: str | None) -> dt.date | None:
    """A news copy's or press release's date of the speech (WIRE_DAY_RE, RELEASE_TODAY_RE) with its year."""
    lead = text[:OPENING_PARA_CHARS]
    m = WIRE_DAY_RE.search(lead)
    first = m or (WIRE_DAY_ONLY_RE.search(lead) if published else None)
    if first and WIRE_ANNOUNCED_RE.match(lead, first.end()):
        return None  # a preview: the day it was filed, not the event's
    if m:
        month, day = cn_int(m.group("m")) or 0, cn_int(m.group("d")) or 0  # `中新社澳門九月二十四日電`
        if (n := LEAD_DAY_RE.match(lead[m.end() :].lstrip("/ ：:"))) and 0 < int(n.group("d")) <= 31:
            m2 = int(n.group("m")) if n.group("m") else month
            if m2 == month and 0 <= day - int(n.group("d")) <= LEAD_DAY_BEFORE:
                day = int(n.group("d"))
    elif m := RELEASE_TODAY_RE.search(lead):
        month, day = cn_int(m.group("m") or m.group("ms")) or 0, cn_int(m.group("d") or m.group("ds")) or 0
    elif "星期" in lead and (m := WEEKDAY_DATE_RE.search(lead)):
        month, day = int(m.group("m")), int(m.group("d"))  # `習近平星期三(12月18日)會見…`
    elif published and (m := WIRE_DAY_ONLY_RE.search(lead)):
        # `（中央社記者葉素萍台北10日電）`: the day alone, in the month of the page's stamp or the one before it
        day = cn_int(m.group("d")) or 0  # `【中新社澳門二十日電】`
        month = published.month if day <= published.day else (published.month - 2) % 12 + 1
    elif (anchor := published or _url_date(url)) and (
        m := LEAD_TODAY_DAY_RE.search("\n".join(lead.split("\n", TODAY_LEAD_LINES)[:TODAY_LEAD_LINES]))
    ):
        # `總統賴清德今（28）日到台南…`, `國慶晚會今(5)日晚間…`: the day alone, as CNA's dateline gives it
        day = int(m.group("d"))
        month = anchor.month if day <= anchor.day else (anchor.month - 2) % 12 + 1
    else:
        return None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return _dated_by(month, day, (published, _url_date(url)))


# A news lead's day relative to its page (`副總統蕭美琴今天出席…`, `(星島日報報道)昨天是十月一日國慶日`, `今晚到台南`): the page's
# date or the day before it. Read at the lead's opening only (LEAD_RELATIVE_CHARS), and only on a news report: a speech
# says `今天` of itself, and a doc site's upload date is not the day it reposts.
# 日昨 is yesterday too (`莿桐鄉公所日昨在三樓禮堂舉行…`: Taiwanese local papers, session 58's fresh pages)
LEAD_RELATIVE_DAY_RE = re.compile(r"(?:(?P<w>今|昨)(?:天|日|晚|晨|早)|日(?P<y>昨))(?![（(\d])")
LEAD_RELATIVE_CHARS = (
    60  # a lead's mark and subject (`（中央社記者黃旭昇新北22日電）副總統蕭美琴今天`) before its day word
)


def _relative_lead_day(text: str, published: dt.date) -> dt.date | None:
    """The day of a news lead saying `今天`/`昨天` (LEAD_RELATIVE_DAY_RE), from the page's date."""
    lines = _lead_lines(text[:OPENING_PARA_CHARS])
    lead = (
        next((x for x in lines if NEWS_MARK_RE.match(x)), None)
        # the subject, its day word and its act (SUBJECT_DAY_LEAD_RE: `莿桐鄉公所日昨在…舉行`) under a photo caption
        or next((x for x in lines if SUBJECT_DAY_LEAD_RE.match(x)), None)
        or next((x for x in lines if len(x) > LEAD_MIN_CHARS and ("，" in x or "。" in x)), "")
    )  # the marked lead (`(星島日報報道)昨天…`) under a photo caption
    m = LEAD_RELATIVE_DAY_RE.search(lead, 0, LEAD_RELATIVE_CHARS)
    if m is None:
        # the day in brackets after the word (`嘉義縣政府今(3)日在府前舉辦…`, `台南市政府今(1)日一早…`): read here too when
        # the lead stands below a site's menu or widget, past the opening lines _wire_delivered reads (session 59's
        # fresh pages were undated under their stamps)
        if (t := LEAD_TODAY_DAY_RE.search(lead, 0, LEAD_RELATIVE_CHARS)) is None or not 1 <= int(t["d"]) <= 31:
            return None
        day = int(t["d"])
        month = published.month if day <= published.day else (published.month - 2) % 12 + 1
        return _dated_by(month, day, (published,))
    return published - dt.timedelta(days=1) if "昨" in (m["w"], m["y"]) else published


def _day_only_lead(text: str, published: dt.date) -> dt.date | None:
    """The date of a news lead opening on its day alone (LEAD_DAY_ONLY_RE), from the page's date."""
    lines = _lead_lines(text[:OPENING_PARA_CHARS])
    # the marked lead first (`（觀傳媒南投新聞）【記者…報導】…活動25日在…舉行`), not a browser notice above it (session 56)
    lead = next(
        (x for x in lines if REPORTER_MARK_RE.match(x) and len(x) > LEAD_MIN_CHARS and ("，" in x or "。" in x)), None
    ) or next(
        # a photo's caption credited to its photographer above the lead (`…拜晚年，祝市政昌隆！（记者梁金源摄）`) is none
        (x for x in lines if len(x) > LEAD_MIN_CHARS and ("，" in x or "。" in x) and not PHOTO_SHOT_RE.search(x)),
        "",
    )  # a one-sentence lead has no comma (`國務院總理溫家寶18日下午在人民大會堂與…舉行會談。`)
    m = LEAD_DAY_ONLY_RE.match(lead)
    if m is None:
        return None
    day = int(m["d"] or m["d2"])
    month = published.month if day <= published.day else (published.month - 2) % 12 + 1
    return _dated_by(month, day, (published,)) if 1 <= day <= 31 else None


# A lead whose event is the new year's own, named with its year (`举办“115年苗栗县元旦升旗典礼”`, `一一五年元旦升旗典礼`,
# `民国103年…元旦升旗典礼`, `慶祝2021年元旦升旗典禮`), held on the first (`1日清晨`, `一日清晨`, `今(1)日`, `今(一)日`): the day is
# that year's 1 January, stated by the event itself with or without a page date (session 60's fresh Taiwanese pages on New
# Year's flag-raisings were undated: the day alone and the year only in the event's name). A date after the page's own (a
# preview: `礁溪乡公所于一一五年一月一日…举办`, posted 2025-12-19) or a day the lead announces (`将`, `明年`, `明天`) is none.
# Session 61: the ROC's National Day the same way (`臺南市慶祝106年雙十國慶升旗典禮` held `10日上午`: 10 October; 国庆 only with
# an ROC year, a Western one may be the PRC's 1 October), the day also just after the event's name (`慶祝一一0年元旦升旗典禮
# 活動,1日分別在…`, `慶祝中華民國106年雙十國慶,10日上午…`) and a zero typed as a digit or a letter among Chinese numerals (`一一0年`).
NEW_YEAR_EVENT_RE = re.compile(
    r"(?P<y>(?<![\d〇零○一二三四五六七八九])(?:\d{2,4}|[〇零○一二三四五六七八九][〇零○O0一二三四五六七八九]{1,3}))年"
    r"[^，。；！？\n]{0,12}?(?P<h>元旦|双十|国庆)"
)
HOLIDAY_DAY_RE = {
    (1, 1): re.compile(
        r"(?:今[（(](?:1|一)日?[)）]日?|(?<![\d〇零一二三四五六七八九十廿卅月第每同某前后隔次数当半])(?:1|一)日)"
        r"(?=[上早清凌晨一]|在|于|举[行办]|主持|分别)"
    ),
    (10, 10): re.compile(
        r"(?:今[（(](?:10|十)日?[)）]日?|(?<![\d〇零一二三四五六七八九十廿卅月第每同某前后隔次数当半])(?:10|十)日)"
        r"(?=[上早清凌晨]|在|于|举[行办]|主持|分别)"
    ),
}
NEW_YEAR_ANNOUNCED_RE = re.compile(r"将|明年|明天|明日|预计|即将|届时")
NEW_YEAR_HELD_CHARS = 60  # the day before its event: `苗栗县政府1日清晨，睽违三年…举办“115年…元旦升旗典礼”` is 49
# the day after the event's name: its kind and a comma (`一一0年元旦升旗典禮活動,1日` is 8 characters after 元旦)
HOLIDAY_AFTER_CHARS = 16
ROC_YEAR_OFFSET = 1911  # 民国 N is N + 1911 (113年 is 2024)
CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "O": "0"}


def _new_year_day(text: str, published: dt.date | None) -> dt.date | None:
    """The day of a lead's own New Year or National Day event named with its year (NEW_YEAR_EVENT_RE), held on its
    day (HOLIDAY_DAY_RE)."""
    opening = text[:OPENING_PARA_CHARS]
    if "元旦" not in opening and "双十" not in opening and "国庆" not in opening:
        return None  # the cheap gate: nearly every page
    for sentence in opening.split("。"):
        for e in NEW_YEAR_EVENT_RE.finditer(sentence):
            digits = "".join(CN_DIGITS.get(c, c) for c in e["y"])
            roc = int(digits) < 1000
            if e["h"] == "国庆" and not roc:
                continue  # `2020年国庆`: the PRC's 1 October or the ROC's 10th, the page does not say which
            month_day = (1, 1) if e["h"] == "元旦" else (10, 10)
            day_re = HOLIDAY_DAY_RE[month_day]
            d = day_re.search(sentence, max(0, e.start() - NEW_YEAR_HELD_CHARS), e.start()) or day_re.search(
                sentence, e.end(), e.end() + HOLIDAY_AFTER_CHARS
            )
            if d is None:
                continue
            # the announcing words before the event, or in the day's own clause when it follows the event
            clause_end = min((i for i in (sentence.find(c, d.end()) for c in "，,；") if i >= 0), default=len(sentence))
            if NEW_YEAR_ANNOUNCED_RE.search(sentence, 0, max(e.start(), clause_end if d.start() > e.start() else 0)):
                break
            year = int(digits) + (ROC_YEAR_OFFSET if roc else 0)
            if not 1912 <= year <= 2100:
                continue
            day = dt.date(year, *month_day)
            if published is not None and day > published:
                return None  # a preview posted before the day it announces
            return day
    return None


# A doc site's summary line that runs the title into its slogan subtitles and dateline (`在全县…结业仪式上的讲话用心用爱用功答好
# “强县之问”以良好的精神状态奋力开创强县事业新局面(2019年3月31日) 同志们: …`, wdocx: session 60's fresh pages), the page's
# own lines below it: the speech's title is the line that begins the summary and ends on the speech's word.
OWN_TITLE_LINES = 8  # the summary, then the title, subtitles and dateline on their own lines
OWN_TITLE_MIN = 8  # characters: `在…上的讲话` at its shortest


# A forum's printable page labels its thread's title (Discuz's `action=printable`: `标题：` / `老秘答什么是悼词？` / `作者：` / …,
# under the site's name, which session 60's fresh page took for the title): the label's value is the title.
TITLE_LABEL_RE = re.compile(r"^\s*标题\s*[:：]\s*$")
TITLE_LABEL_LINES = 6  # the site's name, `[打印本页]`, the label


def _labelled_title(text: str) -> str | None:
    """The line after a `标题：` label alone on its line among the text's first lines (TITLE_LABEL_RE)."""
    if "标题" not in text[:OPENING_CHARS]:
        return None  # the cheap gate: nearly every page
    lines = text.split("\n", TITLE_LABEL_LINES + 1)[: TITLE_LABEL_LINES + 1]
    for label, value in pairwise(lines):
        if TITLE_LABEL_RE.match(label) and not is_junk_title(value):
            return value.strip()
    return None


def _own_title_line(text: str, title: str) -> str | None:
    """A later line that begins the title and ends on a speech's word (DOC_END): the title the summary runs on."""
    start = text.find("\n") + 1
    for _ in range(OWN_TITLE_LINES - 1):
        if start <= 0:
            break
        end = text.find("\n", start)
        t = text[start : end if end >= 0 else len(text)].strip()
        if OWN_TITLE_MIN <= len(t) < len(title) and title.startswith(t) and re.search(DOC_END + r"$", t):
            return t
        start = end + 1
    return None


def _cn_ordinal(n: int) -> str:
    """1..99 -> 一 … 九十九 (`第二十次`)."""
    d = "零一二三四五六七八九"
    if n < 10:
        return d[n]
    return ("" if n < 20 else d[n // 10]) + "十" + (d[n % 10] if n % 10 else "")


# A news headline that opens with a national meeting and says where it met: `中央经济工作会议在北京举行`,
# `全国教育大会9日至10日在北京召开`, `中央农村工作会议在京召开`.
MEET_HEADLINE_RE = re.compile(
    rf"^((?:中央|全国|中共中央|国务院)[^\s，。、“”]{{1,20}}?(?:会议|大会))\s*(?:\d{{1,2}}日(?:至\d{{1,2}}日)?)?\s*在[{HAN}]{{1,6}}(?:举行|召开|开幕|闭幕)"
)


def _meeting(
    head: list[str], title: str | None, page_title: str | None, text: str, subtitle: str | None = None
) -> str | None:
    party_report = PARTY_REPORT_RE.search(text[:OPENING_CHARS]) and "中央委员会" in text[:OPENING_CHARS]
    if party_report or "同志们" in text[:PARTY_SALUTATION_CHARS]:
        # A national party congress report names its congress near the top (`中国共产党第十五次全国代表大会是…`).
        # `我代表第十二届中央委员会向大会作报告` / `我受十二届中央委员会委托`: the committee elected by the previous congress reports to the next.
        c = re.search(r"我(?:代表|受)(?:中国共产党)?第?([一二三四五六七八九十]{1,3})届中央委员会", text[:OPENING_CHARS])
        n = (cn_int(c.group(1)) or 0) + 1 if c else 0
        if 1 < n < 100:
            return f"中国共产党第{_cn_ordinal(n)}次全国代表大会"
        m = CPC_CONGRESS_RE.search(" ".join(head)) or CPC_CONGRESS_RE.search(text[:OPENING_PARA_CHARS])
        if m:
            return f"中国共产党第{m.group(1)}次全国代表大会"
    for i, line in enumerate(head):
        found = find_date(line)
        if not found:
            continue
        seg = line[found[2] :]
        seg = seg[second.end() :] if (second := SECOND_DAY_RE.match(seg)) else seg
        passed = MEET_PASSED_RE.match(seg) if re.match(r"^[—\-─–－―（(\s]*$", line[: found[1]]) else None
        if passed and "在" not in seg[:3]:
            return passed.group(1)  # `（1995年4月4日甘肃省第八届人民代表大会第三次会议通过）`
        if "在" not in seg[:3]:
            continue
        lost = MEET_NO_ON_RE.match(seg.replace(" ", ""))
        if lost:
            return lost.group(1)  # a dateline that lost its final 上
        if not re.search(r"上[)）]?$", seg.rstrip()) and "上的" not in seg and i + 1 < len(head):
            seg = seg + head[i + 1]
        m = MEET_DASH_RE.search(seg.replace(" ", ""))
        if m:
            return m.group(1)
    for line in head:
        m = MEET_NODATE_RE.match(line.replace(" ", ""))
        if m:
            return m.group(1)
    m = _editor_note(head)
    if m:
        return m.group("meeting")
    for t in (title, page_title, subtitle, *_place_subtitles(head)):
        if t:
            m = MEET_AT_RE.search(_strip_site(t))
            if m:
                return m.group(1)
    m = MEET_BODY_RE.search(text[:OPENING_PARA_CHARS])
    if m:
        # `今天x县隆重举行25个工业项目集中开工奠基仪式`: the meeting is what is held, not who holds it
        named = re.split(r"(?:隆重)?(?:举行|召开)(?:了|的)?", m.group(1))[-1].strip()
        # `出席今天这个酒会`: a demonstrative names no meeting (a held-out press release, g1, got `这个酒会`)
        named = re.sub(r"^(?:这个|这场|这次|本次|此次)", "", named)
        if len(named) >= 4 and not named.startswith(("的", "是")) and not GENERIC_MEETING_RE.match(named):
            return named
    for t in (title, page_title):
        if t:
            m = MEET_BARE_RE.match(_strip_site(t))
            if m:
                return m.group(1)
    for t in (title, page_title):
        if t and (m := MEET_HEADLINE_RE.match(_strip_site(t))):
            return m.group(1)  # `中央经济工作会议在北京举行 习近平发表重要讲话`: the news of a national meeting
    m = NPC_ADDRESSED_RE.search(text[:OPENING_PARA_CHARS])
    if m:  # a national report to a new congress (`向第四届全国人民代表大会作政府工作报告`) meets its first session
        return m.group(1) + (m.group(2) or "第一次会议")
    return None


def _place_subtitles(head: Sequence[str]) -> list[str]:
    """`——在北京奥运会欢迎宴会上的祝酒词` under a slogan title (`弘扬奥林匹克精神 共创世界美好未来`, a Xinhua copy): the
    subtitle that names the meeting and the kind, not the speaker (`_subtitle` reads those that name one)."""
    return [x.strip() for x in head[1 : HEADLINE_LINES + 3] if SUBTITLE_LINE_RE.match(x)]


def _editor_note(head: list[str]) -> re.Match | None:
    """The editor's note among the head's spans (the header cuts it after its `…会议上`: spans are joined first)."""
    for i in range(len(head)):
        note = "".join(head[i : i + EDITOR_NOTE_SPANS]).replace(" ", "")
        if ("这是" in note or "本文是" in note) and (m := EDITOR_NOTE_RE.search(note)):  # as its match does
            return m
    return None


EDITOR_NOTE_SPANS = 3  # `这是…会议上` / `作的报告。`: the note cut at its meeting, and once more at a bracket


# A street office's organ before its head's office (`某街道办事处主任`, `新虹街道办事处主任`): session 49's left-alone
# list kept the bare `主任`.
STREET_OFFICE_ORGANS = ("街道办事处", "办事处")
# An office ending what precedes the last one, joined by 、 (`党组书记、主任在…的讲话`, `局党组书记、局长`): the first of a
# double office, whose own run (organ, place, name) is split in turn; before, the last office stood alone (`主任`: a
# department head's farewell speech, session 53's fresh pages).
DOUBLE_OFFICE_PRE_RE = re.compile(rf"^(?P<pre>.*?)(?P<first>(?:党组|党委|党工委|党总支)?(?:{OFFICE_KW}))、$")
# Hong Kong's three secretaries of department (政务司, 财政司, 律政司) are named with their 司: `政務司副司長出席…致辭` gave
# a bare 副司长 (session 53's fresh info.gov.hk page).
SAR_DEPARTMENT_RE = re.compile(r"(?:政务|财政|律政)司$")
LEVEL_CHARS = "省市区县州旗盟镇乡"


# A school's or a firm's party branch before its secretary (`党总支书记在…开学典礼上的讲话`): an organ, never a name (党 is
# a surname, so `党总支` passed is_name and the page's speaker was `党总支`, office 书记: this round's fresh school page)
PARTY_BRANCH_ORGANS = ("总支", "支部", "党组")


def _split_office(pre: str, office: str) -> tuple[str | None, str, bool]:
    """Split what precedes an office word: a place (长城区), a name (龚正), an organ (组织) or 'X'."""
    pre = pre.strip()
    if not pre:
        return None, office, False
    if ANON_RE.match(pre):
        return None, office, True
    if (double := DOUBLE_OFFICE_PRE_RE.match(pre)) and not ORG_PREFIX_RE.search(pre):
        dpre, first = double.group("pre").strip(), double.group("first")
        if len(dpre) == 1 and dpre in LEVEL_CHARS:
            dpre, first = "", dpre + first  # `镇党委书记、镇长`: the level is the committee's (`区委副书记、区长`)
        name, first, anon = _split_office(dpre, first)
        return name, f"{first}、{office}", anon
    if SAR_DEPARTMENT_RE.search(pre) and len(pre) <= SAR_DEPARTMENT_PRE_MAX:
        return None, pre[-3:] + office, False
    if (
        pre.endswith(PLACE_SUFFIX)
        or regions.load_gazetteer().by_name.get(pre)
        or regions.load_gazetteer().by_name.get("~" + pre)
    ):
        return None, office, False
    if organ := next((o for o in STREET_OFFICE_ORGANS if pre.endswith(o)), None):
        # `某街道办事处主任`: the office's organ without its place (a bare 主任 said nothing of which office)
        return None, organ + office, False
    if (
        ORG_PREFIX_RE.search(pre)
        or pre.endswith(("部", "委", "局", "办", "厅", *PARTY_BRANCH_ORGANS))
        or (len(pre) <= 2 and not is_name(pre))
    ):
        return None, pre + office, False
    if is_name(pre):
        return pre, office, False
    return None, office, False


OFFICE_LEAD_PUNCT = "”’」』\"'）)》〉】]，,。；;：:—─-↑↓▲△"  # `——國家主席`: a dash before the office; a caption's arrow
# The name of a school, hospital, firm or association before its own head's office (`國家電力投資集團有限公司董事長、黨組
# 書記`, `市四醫院院黨委書記、院長`, `臺北大學校長`): the body is no part of the office, as a place is none of a government
# office (3 of this round's 22 fresh dev pages kept it). Greedy to the last such word before the office; the body's own
# one-character short form before its party organ (`院黨委`, `校黨委`) goes with it. Government bodies (局, 厅, 委员会)
# are not listed: `民政事務局局長` is the office as HK names it.
INSTITUTION_WORDS = (
    # Taiwan's schools (`永福國小校長`, `介壽國中小`: session 55's fresh pages kept them in the office)
    r"(?:国中小|国小|国中|高中|大学|学院|学校|中学|小学|医院|有限公司|股份公司|公司|集团|协会|学会|商会|总会|基金会"
    # overseas Chinese associations (`澳大利亚龙岩同乡会会长`, `…华侨华人企业家联谊会会长`: session 60's fresh pages)
    r"|同乡会|联谊会|研究院|研究所)"
)
INSTITUTION_WORD_RE = re.compile(INSTITUTION_WORDS + r"(?:[院校](?=党|团委|纪委))?")
INSTITUTION_END_RE = re.compile(INSTITUTION_WORDS + r"$")  # a title's words before the office end on the body
# the heads' offices that name their body's kind themselves (a 校长 heads a school, a 董事长 a firm); a bare 主席 or 主任 says
# nothing without its body (`青石商會主席`, `管委会主任`) and keeps it
INSTITUTION_HEAD_RE = re.compile(
    r"(?:党委|党总支|党支部|党组)?(?:常务|执行)?副?(?:书记|校长|院长|董事长|总经理|总裁|行长|会长|理事长|所长)(?:[、，]|$)"
)
# A task force's role after the standing office (`黨委書記、第四次黨代會籌備工作領導小組組長`, `县委书记、县扶贫开发领导小组
# 组长`, `区长、区防汛抗旱指挥部总指挥`): the group is convened for one task and its head is the office's holder already; a
# careful reader gives the office (this round's fresh school page kept the role). Only after another office (`、`).
TASK_FORCE_ROLE_RE = re.compile(
    r"(?<=.)、[^、]{2,30}?(?:领导小组|工作小组|工作组|筹备组|指挥部)(?:常务)?副?(?:组长|总指挥|指挥长)$"
)
INSTITUTION_NAME_MAX = 32  # `上海交通大学医学院附属瑞金医院`: a body's full name; a longer run is a sentence
COUNTRY_BEFORE_OFFICE_RE = re.compile(r"^(?:中国大陆|大陆|中国)(?=国家主席|国家副主席|国务院|总理|副总理)")
# A lead's bracketed mark or the tail of one before the office (`〔記者蔡某／苗栗報導〕總統`, `楊強）中國國務院總理`: the
# office run started inside the reporter's bracket): no part of the office (this round's wire and LTN pages)
OFFICE_MARK_PREFIX_RE = re.compile(
    r"^(?:[【\[（(〔][^】\]）)〕]{0,30}[】\]）)〕])+|^[^【\[（(〔】\]）)〕]{1,30}[】\]）)〕]"
)
# A Taiwanese county, city or township head named with the place's short name (`苗栗縣長`, `和美鎮長`, `鹿港鎮公所鎮長`:
# places the gazetteer does not hold): the place is no part of the office; never a deputy's or acting head's own word
# (`常务副县长`, `代理市长`)
PLACE_HEAD_RE = re.compile(rf"^[{HAN}]{{2,5}}?(?:[县市镇乡]公所)?(?<![副代务理])(?=[县市镇乡]长$)")
CAPTION_WORDS_RE = re.compile(r"^(?:图为|图中为|图中|上图为|下图为|这是|左起|右起)")
HANDOVER_RE = re.compile(r"^(?:以下|下面)(?:是|为)")


def _strip_party_place(office: str) -> str:
    """_strip_place, also after the party's name before a local committee (`中共眉山市委副书记` -> 市委副书记); the
    party's central organs keep it (`中共中央总书记`: no place follows 中共)."""
    if office.startswith("中共") and (rest := _strip_place(office[2:])) != office[2:]:
        return rest
    return _strip_place(office)


# A later office's government between its place and its head (`…、人民政府市长` once the place is gone): the office is the
# head's (the first office's own is read by _strip_jurisdiction's rules below)
PART_GOVERNMENT_RE = re.compile(r"^(?:人民政府|政府)(?=(?:常务|代理|代)?副?[省市州县区]长$)")


def _strip_jurisdiction(office: str) -> str:
    """`上海市市长` -> `市长`; `淮安市人民政府代市长` -> `代市长`; keeps 区委副书记、区长 whole."""
    # a photo caption's words before the office (`圖為國務院總理溫家寶(資料圖)`: office `图为国务院总理`, session 46)
    # a quote's close before a lead's office (`」中國大陸國家主席習近平…`: office `”中国大陆国家主席`, session 46)
    if (
        office[:1] in "【[（(〔"
        or "）" in office[:31]
        or ")" in office[:31]
        or "〕" in office[:31]
        or "】" in office[:31]
    ):
        office = OFFICE_MARK_PREFIX_RE.sub("", office)
    office = CAPTION_WORDS_RE.sub("", office.strip(" 、").lstrip(OFFICE_LEAD_PUNCT))
    # a press release's hand-over cut at its date by the header (`以下是行政長官李家超` | `11月28日就…發表的聲明:`): read
    # as a byline whose office began with `以下是` (this round's fresh HK page)
    office = HANDOVER_RE.sub("", office)
    # a guest list's label before the first guest's office (`與會貴賓和美鎮長林庚壬、…`: office `与会贵宾和美镇长`,
    # session 57's fresh Taiwanese page)
    office = GUEST_LABEL_RE.sub("", office)
    # a country named before a national office (`大陆国家主席`, `中国大陆国家主席`, `中国国务院总理`: Taiwanese and
    # foreign news copies)
    office = COUNTRY_BEFORE_OFFICE_RE.sub("", office)
    office = SAR_OFFICE_RE.sub("", office)
    office = SAR_NAME_BEFORE_OFFICE_RE.sub("", office)
    office = MISSION_BEFORE_OFFICE_RE.sub("", office)
    # a congress's or a committee's term before its office (`十一届全国人大常委会委员长`, `第十届市政协主席`: a closing
    # session's news item, session 53's fresh pages): the term is no part of the office
    office = TERM_BEFORE_OFFICE_RE.sub("", office)
    office = _strip_party_place(office)
    if "、" in office:
        # each office of several names its own place (`江苏省委常委、南京市委书记` -> 省委常委、市委书记: session 58's
        # fresh pages), its government too (`中共眉山市委副书记、眉山市人民政府市长` -> 市委副书记、市长: session 59's)
        first, *more = office.split("、")
        office = "、".join([first, *(PART_GOVERNMENT_RE.sub("", _strip_party_place(part)) for part in more)])
    # `省人民政府省长` -> 省长, `自治区人民政府主席` -> 自治区主席 (the region's head, not a 政协/人大 主席).
    # Not before the government's own party group (`县政府党组书记、县长`, `市政府党组书记、市长`): 党组书记 alone names no
    # organ (session 49's fresh county and city news gave `党组书记、县长`).
    office = re.sub(r"^(自治区)?(?:[省市州县区])?(?:人民政府|国务院|政府)(?!党组)", lambda m: m.group(1) or "", office)
    # `怒江州人民政府州长`: a short place name the gazetteer does not hold whole, then its government
    office = re.sub(rf"^[{HAN}]{{1,8}}?[省市州县区旗盟](?:人民政府|政府)(?=.)", "", office)
    # `沙沟镇镇长`, `某乡人民政府乡长`: a township the gazetteer does not hold, before its own head's office
    office = re.sub(rf"^[{HAN}]{{1,6}}?([镇乡])(?:人民政府|政府|公所)?(?=(?:代理|代)?\1长$)", "", office)
    if len(office) <= PLACE_HEAD_MAX and office.endswith("长") and not OFFICE_KW_RE.fullmatch(office):
        office = PLACE_HEAD_RE.sub("", office)
    return TASK_FORCE_ROLE_RE.sub("", _strip_institution(office))


COUNCIL_HEADS = ("议长", "副议长")


def _strip_place(office: str) -> str:
    """The office without the place it opens with (`佛山市委常委` -> 市委常委, `龙岩市长` -> 市长); a place named under its
    province or city first (`湖北省公安县县委书记`: a visiting delegation's head, session 58's fresh pages) is one place."""
    hits = regions.find_places(office)
    while len(hits) > 1 and hits[0].start == 0 and hits[1].start == hits[0].end and hits[1].end < len(office):
        office = office[hits[0].end :]
        hits = regions.find_places(office)
    for h in hits:
        if h.start == 0 and h.end < len(office):
            rest, level = office[h.end :], office[h.end - 1]
            if rest.startswith("委") and level in "省市州县区旗盟":
                office = level + rest  # `佛山市委常委、常务副市长` -> 市委常委、常务副市长 (the city's party committee)
            elif level in "省市州县区旗盟" and rest.startswith(level + "委"):
                office = rest  # `公安县县委书记` -> 县委书记: the place's own committee written out
            elif rest.startswith("议会") and rest[2:] in COUNCIL_HEADS:
                office = rest[2:]  # `连江县议会议长` -> 议长: a Taiwanese council's speaker (docs/columns.md)
            elif level in "省市州县区旗盟" and not OFFICE_KW_RE.match(rest) and OFFICE_KW_RE.match(level + rest):
                office = level + rest  # `龙岩市长` -> 市长: the place's 市 is the office's
            elif OFFICE_KW_RE.match(rest) or rest.startswith(("人民政府", "政府", "人大", "政协")):
                head_of = re.sub(r"^(?:人民政府|政府)", "", rest)
                if h.key.endswith("自治区") and re.fullmatch(r"(?:代理|代)?主席", head_of):
                    office = "自治区" + head_of  # 西藏自治区主席, 内蒙古自治区人民政府代主席: the region's head
                else:
                    office = rest
        break
    return office


def _strip_institution(office: str) -> str:
    """`國家電力投資集團有限公司董事長` -> 董事長: the last school, hospital, firm or association word (INSTITUTION_WORD_RE)
    before an office that names its body's kind itself (INSTITUTION_HEAD_RE)."""
    first = office.find("、")
    end = min(INSTITUTION_NAME_MAX, first if first >= 0 else len(office))
    cut = 0
    for m in INSTITUTION_WORD_RE.finditer(office, 0, end):
        if INSTITUTION_HEAD_RE.match(office, m.end()):
            cut = m.end()
    return office[cut:] if cut else office


GUEST_LABEL_RE = re.compile(
    r"^(?:与会|出席|到场|莅临)?(?:贵宾|嘉宾|来宾(?![市区]))[有为：:]?(?=.{2})"
)  # 来宾市 is a city
PLACE_HEAD_MAX = 12  # `彰化縣鹿港鎮公所鎮長`: a place, its office and the head; a longer run is no such office
TERM_BEFORE_OFFICE_RE = re.compile(r"^第?[一二三四五六七八九十\d]{1,3}届(?=[^届]{2})")
SAR_DEPARTMENT_PRE_MAX = 6  # `香港政务司`: the SAR's name and the department; a longer run is a sentence


# Head spans that hold an office but are no byline: an editor's note (`这是…`, `本文是…`) and a wire lead's dateline
# (`新华社北京1月19日电`, `本报北京3月5日电`, `中新网3月5日电`), cut from their sentence at its date by the header.
NOTE_START_RE = re.compile(r"^\s*(?:这|本文)是")
WIRE_DATELINE_RE = re.compile(
    rf"^\s*[{HAN}]{{1,6}}(?:社|网|报)(?:[{HAN}]{{2,6}})?(?:\d{{1,2}}月)?\d{{1,2}}日(?:专)?电(?:[（(][^）)]{{1,20}}[）)])?\s*"
    # CNA's bracketed dateline (`（中央社記者管某苗栗縣8日電）苗栗縣長徐某`)
    r"|^\s*[（(][^）)\s]{2,24}?\d{1,2}日(?:专)?电[）)]\s*"
)


BYLINE_DOC_WORD_RE = re.compile(r"全文|讲话|谈话|致辞|致词|发言|报告")
# A headline's verbs, which no office holds: a news headline ending on an office word (`第19屆南投縣長就職 許淑華成為首位
# 南投女縣長`, `…當選新任董事長`) is no byline, and the whole line was the speaker_title (session 52's fresh Taiwanese page).
HEADLINE_VERB_RE = re.compile(
    r"就职|成为|当选|宣誓|上任|卸任|接任|交接|履新|出席|会见|视察|调研|看望|慰问|表示|强调|指出"
)
ANON_TAIL_RE = re.compile(rf"(?:{OFFICE_KW})\s*{ANON_NAME}\s*$")  # a byline's redacted name after its office


# A writer's or photographer's credit over an item (`撰文/校友總會楊某秘書長`, `文/…`, `圖/…`): the one who wrote it up or
# took the pictures, never the speaker (this round's fresh campus page took the alumni secretary for the office).
# Slashes only: a `作者:` label names the speaker of a speech page (docs/columns.md); a colon line is no byline anyway.
CREDIT_LINE_RE = re.compile(
    r"^\s*(?:撰文|撰稿|文字|文|图|图文|采写|采访|记者|通讯员|编辑|责编|审核|审稿|供稿|摄影|摄像)\s*/"
)
CREDIT_REACH = 8  # the credit word and its slash open the line
UPLOADER_LABEL_RE = re.compile(r"张贴者|张贴人|发布者|发布人|上传者|上传人|发帖人|投稿人|投稿者")


def _byline(head: list[str]) -> tuple[str | None, str | None, int]:
    """`区委副书记、区长  孙俨玲`, `市长何宁卡`, `上海市市长 龚 正`, `市长：王勇`, `州长 多杰`,
    `自治区主席艾尔肯·吐尼亚孜`, `南昌市人民政府市长`."""
    for i, line in enumerate(head):
        if NOTE_START_RE.match(line):
            continue  # `这是习近平总书记` | `2023年1月31日在…时讲话的一部分。`: an editor's note the header cut at its date
        line = WIRE_DATELINE_RE.sub("", line)  # `新华社北京1月19日电 国务院总理李强` | `1月19日主持召开…`: a news lead
        if (tag := CAPTION_TAG_RE.search(line)) is not None:
            line = line[
                tag.end() :
            ]  # `…全文来了！【同期】香港特区第六任行政长官 李家超`: a TV caption names who speaks
        line = re.sub(rf"({OFFICE_KW})\s*[:：]\s*(?=[{HAN}])", r"\1 ", line)  # 市长：王勇
        line = SPACED_OFFICE_RE.sub(r"\1\2", line)  # 省 长 王文涛
        if line.count("）") + line.count(")") > line.count("（") + line.count("("):
            line = re.sub(r"\s*[）)]\s*$", "", line)  # `（2017年1月15日在…会议上 代省长 刘国中）` cut at its dateline
        if len(line) > 40 or re.search(r"[，。：:；]", line) or find_date(line):
            continue
        if "/" in line[:CREDIT_REACH] and CREDIT_LINE_RE.match(line):
            continue  # `撰文/校友總會楊某秘書長`: who wrote the item up, never its speaker
        if UPLOADER_LABEL_RE.search(line):
            continue  # `一般公告 / 張貼者 教務主任`: who posted the page, never its speaker (session 55's school notice)
        offices = list(OFFICE_KW_RE.finditer(line))
        if not offices:
            continue
        last = offices[-1]
        if len(offices) > 1 and (joint := NAME_TAIL_RE.match(line[offices[0].end() : offices[1].start()])):
            # `市委书记马明龙 市长徐曙海`: a greeting signed by two; the first named speaks first (the office before the
            # last one had been read as `市委书记马明龙市长`)
            cand = re.sub(r"\s", "", joint.group(1))
            if _plausible_name(cand, False):
                lead_office = line[: offices[0].end()].lstrip("0123456789 ")
                if not re.search(r"在|的|上|讲话|报告|致辞", lead_office):
                    return cand, _strip_jurisdiction(lead_office.replace(" ", "")), i
        # an office never starts with a number: `2023区长` is a document site's year tag run into the next tag
        office_part = line[: last.end()].lstrip("0123456789 ")
        # 在/的/讲话 mark a title, not a byline; place names are cut first (上海市 holds a 上).
        bare = office_part
        for h in reversed(regions.find_places(office_part)):
            bare = bare[: h.start] + bare[h.end :]
        if re.search(r"在|的|上|讲话|报告|致辞", bare) or HEADLINE_VERB_RE.search(bare):
            continue
        tail = line[last.end() :]
        if ANON_RE.match(tail.strip()):
            # `县委书记 XXX`, `县委常委、县政府负责人xxx`: the name redacted, the office kept (session 52's fresh pages)
            return None, _strip_jurisdiction(office_part.replace(" ", "")), i
        if GENRE_TAIL_RE.match(tail):
            # `吳鳴會長短言`, `107學年度開業典禮校長祝福`: a forum's or a campus page's heading, name (or occasion), office
            # and its genre word — the genre was read as the name (`短言`, `祝福`)
            g_name, g_office, _ = _split_office(office_part[: last.start()], office_part[last.start() :])
            return g_name, _strip_jurisdiction(g_office.replace(" ", "")), i
        m = NAME_TAIL_RE.match(tail)
        name = None
        if m:
            cand = re.sub(r"\s", "", m.group(1))
            if BYLINE_DOC_WORD_RE.search(cand):
                continue  # `行政長官談話全文`: info.gov.hk's title, the kind of text where a name would stand
            if is_byline_name(cand) or is_name(cand):
                name = cand
            else:
                continue
        elif tail.strip():
            continue
        if (
            name is None
            and len(line) <= BYLINE_PRE_MAX
            and i + 1 < len(head)
            and (below := NAME_TAIL_RE.match(head[i + 1]))
        ):
            # `泰州市人民政府市长` / `万闻华`: the name on the line under its office — a surname's name, as a line
            # hard-wrapped under `…区长` (`互学互`, bench_extract's pdf_pages) is no name
            cand = re.sub(r"\s", "", below.group(1))
            name = cand if _plausible_name(cand, False) else None
        return name, _strip_jurisdiction(office_part.replace(" ", "")), i
    return None, None, -1


# A page stamp's view count whose number the scraper lost, followed by the reporter's or uploader's name
# (`发布时间:2008-03-06 08:39:18 访问次数: 王某 信息来源:…县政府网`): the normalizer removes the label as chrome and
# leaves the name alone on a head line, where it was read as the speaker's byline (session 45's held-out pages).
VIEW_COUNT_NAME_RE = re.compile(
    rf"(?:浏览|点击|阅读|访问|查看|访问量|阅读量)(?:次数|数|量|人次)?\s*[:：]\s*(?:\d+\s*次?\s*)?(?P<name>[{HAN}·]{{2,4}})"
)


def _view_count_names(raw_text: str) -> set[str]:
    """Names that follow a view-count label in the raw page's head (VIEW_COUNT_NAME_RE)."""
    head = raw_text[:RAW_HEAD_CHARS]
    if not re.search(r"[:：]", head):
        return set()
    return {m.group("name") for m in VIEW_COUNT_NAME_RE.finditer(head)}


def _bare_name(head: list[str], before_salutation: bool) -> str | None:
    """A line holding only a name (`韩立华`, `吾拉木江·热依木`) next to the dateline or the meeting line, or a
    dateline that ends with the name (`（2006年1月16日 梁保华）`: 12 provincial reports of the shared corpus)."""
    for line in head:
        named = _dateline_name(line)
        if named:
            return named
    for i, line in enumerate(head):
        cand = line.replace(" ", "")
        # `习 近 平`: a name set with a space between its characters (national documents) needs no surname list.
        spaced = bool(re.fullmatch(rf"[{HAN}](?: [{HAN}]){{1,3}}", line)) and is_byline_name(cand)
        if len(cand) > 16 or not (is_name(cand) or spaced or cand in _leaders()):
            continue
        tag = word_tags().get(cand)
        if tag is not None and not tag.startswith("nr") and cand not in _leaders():
            continue  # a word (代表, 池州); jieba tags some leaders' names otherwise (周恩来: t)
        if "·" not in cand and regions.find_places(cand):
            continue
        near = head[max(0, i - 1) : i] + head[i + 1 : i + 2]
        if (before_salutation and i == len(head) - 1) or any(
            find_date(x) or re.search(r"在.{2,60}上$", x) for x in near
        ):
            return cand
    return None


def _leaders() -> dict:
    from tasks.extract_people import leaders  # the national leaders' list (mentions use it too)

    return leaders()


def _dateline_name(line: str) -> str | None:
    """The name after the date of a dateline that holds nothing else: `（2005年1月24日 田成平）`,
    `(2007年1月22日 司马义·铁力瓦尔地)`, `2004年2月12日　徐荣凯`."""
    found = find_date(line)
    if not found or found[1] > 2 or re.sub(r"[（(\s\u3000—\-]", "", line[: found[1]]):
        return None
    cand = re.sub(r"[\s\u3000]", "", line[found[2] :])
    if "(" in line[: found[1]] or "（" in line[: found[1]]:
        cand = re.sub(r"[）)]$", "", cand)
    if len(cand) > 16 or not is_name(cand) or ("·" not in cand and regions.find_places(cand)):
        return None
    tag = word_tags().get(cand)
    return cand if tag is None or tag.startswith("nr") else None


# A photo caption in the head names the speaker: `赵立香作政府工作报告`, `<!-- 西藏自治区主席白玛赤林作政府工作报告 -->`.
CAPTION_SPEAKER_RE = re.compile(
    rf"^(?:(?P<office>[^在的，。]{{0,16}}?{OFFICE_KW})[ \u3000]?)?(?P<name>[{HAN}·]{{2,12}}?)(?:同志)?"
    r"(?:作|做)了?(?:政府)?工作报告"
)


def _caption_speaker(lines: Sequence[str], sentences: bool = False) -> tuple[str | None, str | None]:
    """(name, office) from the first head span that is a caption `[office] name 作政府工作报告`; with `sentences`,
    from any sentence of a span (`2月3日，…会议在省人民会堂开幕。省长毛伟明作政府工作报告。…记者 刘尚文 摄`)."""
    for line in lines:
        line = clean_line(re.sub(r"<!--|-->", "", line))
        for part in re.split(r"(?<=[。！；])", line) if sentences else (line,):
            m = CAPTION_SPEAKER_RE.match(part.strip())
            if not m:
                continue
            name, office = m.group("name"), m.group("office")
            if (is_byline_name(name) if office else is_name(name)) and not (
                _place_for_name(name) if office else regions.find_places(name)
            ):
                return name, _strip_jurisdiction(office) if office else None
    return None, None


# A news copy's lead that introduces the full text: `…北京奥组委主席刘淇致辞。以下为致辞全文：`, `国际奥委会主席罗格8日晚在
# …开幕式上致辞，全文如下：`, `全国政协主席王沪宁代表…常务委员会作工作报告：` (the report follows on the next line).
LEAD_SPEAKER_RE = re.compile(
    rf"(?P<office>[^，。；：:！？\s]{{0,20}}?{OFFICE_KW})[ \u3000]?(?P<name>[{HAN}·]{{2,12}}?)"
    rf"(?=同志|代表|在|于|出席|\d|作|做|致辞|致词|讲话|发表|[ \u3000])(?:同志)?"
    rf"[^，。；：:！？]{{0,40}}?(?:(?:致辞|致词|讲话|发表[^，。；]{{0,12}}?讲话)[，,。]?\s*(?:(?:以下|下面)(?:为|是)(?:其)?"
    rf"(?:致辞|致词|讲话|报告)?全文|全文如下)|(?:作|做)(?:政府)?工作报告[:：](?=\s*(?:\n|[一二三四五六七八九十]、|各位)))"
)


# The same lead turned round, as government press releases and wire copies put it: `以下为行政长官…今日（六月三十日）
# 出席…酒会的致辞全文：`, `以下是行政长官…今日（十月一日）出席…国庆酒会致辞：`, `以下是政务司司长…今日（二月十五日）晚上出席…晚宴的致辞全文（中文译本）`, and a keynote's
# `…总理…发表主旨演讲。以下是主旨演讲全文` (a speech named 演讲: 7 of the 53 held-out news pages named their speaker so).
# A greeting handed over the same way (`以下是行政长官林郑月娥今日（一月三十一日）发表的农历新年贺辞全文：`, info.gov.hk's
# festival greetings: the speaker was missing on 2 of this round's 3 such pages).
_GREETING_WORDS = "贺辞|贺词|献词|祝词|祝辞"
PRESS_LEAD_RE = re.compile(
    rf"(?:以下|下面)(?:为|是)(?P<office>[^，。；：:！？\s]{{0,20}}?{OFFICE_KW})[ \u3000]?(?P<name>[{HAN}·]{{2,12}}?)"
    # up to 120 characters to the kind: `…今日(十一月十一日)下午聯同律政司司長…就…作出的決定會見傳媒的答問內容` (HK's answers)
    # …and a statement read to the press (`以下是行政長官李家超11月28日就《香港國安法》…發表的聲明:`: this round's HK page)
    rf"(?=今|昨|于|在|出席|就|向|为|发表|联同|[（(]|\d)[^。；！？\n]{{0,120}}?(?:致辞|致词|讲话|演讲|演说|发言|谈话|答问|声明|{_GREETING_WORDS})"
    r"(?:的?全文|内容|\s*[:：])"
)
KEYNOTE_LEAD_RE = re.compile(
    rf"(?P<office>[^，。；：:！？\s]{{0,20}}?{OFFICE_KW})[ \u3000]?(?P<name>[{HAN}·]{{2,12}}?)"
    rf"(?=同志|在|于|出席|\d|发表|[ \u3000])(?:同志)?[^，。；：:！？]{{0,40}}?发表(?:了)?(?:主旨|重要|专题)?(?:演讲|演说)[，,。]?\s*(?:以下|下面)(?:为|是)(?:其)?"
    r"(?:主旨|重要|专题)?(?:演讲|演说)?全文"
)


# A lead naming who delivered what the page carries, with a greeting's or a policy address's word (session 46's held-out
# pages: `新华社北京12月31日电 新年前夕，国家主席习近平通过中央广播电视总台和互联网，发表了二〇二五年新年贺词`,
# `行政长官某某已于今日在立法会宣读完《2025年财政年度施政报告》`): one sentence, commas allowed.
DELIVERED_LEAD_RE = re.compile(
    rf"(?P<office>[^，。；：:！？\s]{{0,20}}?{OFFICE_KW})[ \u3000]?(?P<name>[{HAN}·]{{2,12}}?)"
    r"(?=同志|在|于|已|将|今|昨|晚|上午|下午|通过|出席|\d|发表|宣读|[（(]|[ \u3000])(?:同志)?[^。；：:！？\n]{0,60}?"
    r"(?:发表了?|宣读(?:完|了)?)[^，。；：:！？\n]{0,24}?(?:贺词|献词|祝词|施政报告)"
)
DELIVERED_LEAD_WORDS_RE = re.compile(r"贺词|献词|祝词|施政报告")


# The Republic of China's honorific form, the office between surname and given name (`李總統登輝先生今天向駐華使節…重申`,
# `蔣總統經國先生`): president.gov.tw's releases of the 1990s name the president only so (session 49's fresh pages).
# Read in the lead only (its first HONORIFIC_LEAD_CHARS characters: the first sentence or two of a release).
HONORIFIC_LEAD_CHARS = 300
HONORIFIC_RE = re.compile(rf"(?P<s>[{HAN}])(?P<o>副?总统|院长|副院长|主席|副主席)(?P<g>[{HAN}]{{1,2}})先生")


def _honorific_speaker(text: str) -> tuple[str | None, str | None]:
    """(name, office) of a lead's `李总统登辉先生`: the surname before the office and the given name after it."""
    for m in HONORIFIC_RE.finditer(text[:HONORIFIC_LEAD_CHARS]):
        if m.group("s") in surnames() and is_name(m.group("s") + m.group("g")):
            return m.group("s") + m.group("g"), m.group("o")
    return None, None


def _lead_speaker(text: str) -> tuple[str | None, str | None]:
    """(name, office) named by a news copy's lead before the full text (first OPENING_PARA_CHARS characters)."""
    lead = text[:OPENING_PARA_CHARS]
    if "以 下" in lead or "下 面" in lead:
        # `以 下 是 署 理 行 政 長 官 曾 蔭 權 今 晚…`: a release set in spaced letters
        lead = LETTER_SPACE_RE.sub("", lead)
    # each pattern tries an office at every character: tried only on a lead holding the words it ends with (20k bench:
    # 3.5 ms a document, extract 43.6 -> 86.4 CPU-s with the new keyword checks)
    full = "全文" in lead
    tries = []
    if full or "工作报告:" in lead or "工作报告：" in lead:
        tries.append(LEAD_SPEAKER_RE.finditer(lead))
    if "以下" in lead or "下面" in lead:
        tries.append(PRESS_LEAD_RE.finditer(lead))
    if full:
        tries.append(KEYNOTE_LEAD_RE.finditer(lead))
    if DELIVERED_LEAD_WORDS_RE.search(lead):
        tries.append(DELIVERED_LEAD_RE.finditer(lead))
    for m in itertools.chain(*tries):
        name, office = m.group("name"), m.group("office")
        if is_byline_name(name) and not _place_for_name(name):
            # `【本报消息】行政长官崔世安于明日…发表…施政报告`: the paper's mark is no part of the office
            return name, _strip_jurisdiction(NEWS_OFFICE_LEAD_RE.sub("", office))
    return None, None


# Speakers a page names by a label, not a byline (held-out audit k5, the search tool's stored pages): a TV caption
# (`【同期】香港特区第六任行政长官 李家超`, `【同期声】`, `【现场声】`, `字幕：`), an author line (`作者:温家宝` over
# `在2008年春节团拜会上的讲话`, `文/王某`), wikisource's infobox (`發布機關:中華民國總統 馬英九`), a speaker label
# (`讲话人：县委书记 张某`, `发言人：`), a heading that introduces the full text (`【習近平致詞全文】`,
# `王某同志讲话全文：`) and a signature closing a letter or greeting (`市委书记 王某` / `2024年2月9日`).
_LABEL_NAME = rf"(?P<name>[{HAN}]{{1,8}}(?:·[{HAN}]{{1,8}})+|[{HAN}]{{2,4}})"
CAPTION_TAG_RE = re.compile(
    r"(?:[【\[（(]\s*(?:同期声?|现场声|现场同期|采访同期|同期采访|字幕)\s*[】\]）)]|(?<![{HAN}])(?:同期声?|现场声|字幕)\s*[:：])\s*".replace(
        "{HAN}", HAN
    )
)
# A 行政长官's region and term are no part of the office: `香港特区第六任行政长官` -> 行政长官.
SAR_OFFICE_RE = re.compile(r"^.{0,12}?(?:特区|特别行政区)(?:政府)?(?:第[一二三四五六七八九十\d]{1,3}任)?(?=行政长官)")
# Hong Kong's or Macau's own name before any other office of the region (`香港特区立法会主席梁某`, `澳门特区行政法务司司长`):
# no part of the office, as the place is none of a mainland head's (session 60's fresh HK items kept it)
SAR_NAME_BEFORE_OFFICE_RE = re.compile(r"^(?:中国)?(?:香港|澳门)(?:特区|特别行政区)(?:政府)?(?=[^、，]{2})")
# A diplomat's mission before the office (`中国驻菲大使`, `中领馆总领事`, `中国驻悉尼总领事馆副总领事`): where he serves, no
# part of the office, as a mayor's city is none of his (session 60's fresh overseas items)
MISSION_BEFORE_OFFICE_RE = re.compile(
    r"^[^、，]{0,20}?(?:驻[^、，]{1,10}?)?(?:总领事馆|总领馆|领事馆|领馆|大使馆|使馆)?(?=副?总?领事(?!馆)|大使(?!馆))"
)
AUTHOR_LABEL_RE = re.compile(r"(?:^|[\s|｜])(?:作者|撰文|撰稿)\s*[:：]\s*|^文\s*[/／|｜]\s*")
SPEAKER_LABEL_RE = re.compile(r"(?:^|[\s|｜])(?:讲话人|发言人|主讲人|致辞人|报告人|演讲人)\s*[:：]\s*")
ISSUER_LABEL_RE = re.compile(rf"发布机关\s*[:：]\s*(?P<org>[^\s:：|｜]{{2,16}}?)\s+{_LABEL_NAME}(?=$|[\s|｜]|发布)")
# Words after a label that say it names the page's writer, not the speaker (`作者：本报记者 王某`, `作者: 佚名`).
NOT_SPEAKER_LABEL_RE = re.compile(r"^(?:本报|本网|本站|记者|通讯员|编辑|小编|网友|佚名|admin|匿名|未知)", re.I)
# What may follow the name on a label line glued by the scrape (`作者: 习近平发布时间: 2022-11-16 来源: 《求是》`).
LABEL_NAME_END_RE = re.compile(r"$|[\s|｜,，;；/（(【\[]|发布|来源|时间|日期|编辑|责任|点击|浏览|阅读|字号|[:：]")
FULLTEXT_HEADING_RE = re.compile(
    rf"^\s*[【\[]?\s*(?:(?P<office>[^【\[\]】，。；：:\s]{{0,16}}?{OFFICE_KW})\s?)?{_LABEL_NAME}(?:同志|先生|女士)?"
    rf"(?:主席|总书记|总理)?的?(?:重要|新年|新春)?(?:致辞|致词|讲话|演讲|演说|发言|贺词|献词)(?:全文|原文|实录)"
    r"\s*[】\]]?\s*[:：]?\s*$"
)
# A label's words in either script, before the line is converted (simplify costs more than the search).
LABEL_CUE_RE = re.compile(
    r"作者|撰文|撰稿|^\s*文\s*[/／|｜]|[讲講][话話]人|[发發]言人|主[讲講]人|致[辞辭詞]人|[报報]告人|演[讲講]人|"
    r"[发發]布[机機][关關]|同期|[现現][场場][声聲]|字幕|全文"
)
LABEL_HEAD_LINES = 12  # raw lines before the body a label is read from (the infobox and author lines of g1's pages)
SIGNATURE_TAIL_LINES = 4  # a signature and its date close the text
SIGNATURE_NAME_MAX = 3  # a signature's name without an office: surname + one or two (a 4-character run is a phrase)
SIGN_OFF_RE = re.compile(r"^(?:谢谢|再见|此致|敬礼|祝|致以|欢迎)")


def _label_name(rest: str) -> tuple[str | None, str | None]:
    """(name, office) at the start of what follows a label: `县委书记 张某`, `温家宝`, `习近平发布时间…`."""
    rest = rest.strip()
    if not rest or NOT_SPEAKER_LABEL_RE.match(rest):
        return None, None
    office = None
    if m := re.match(rf"(?P<office>[^\s:：，。]{{0,16}}?{OFFICE_KW})\s*(?=[{HAN}])", rest):
        office, rest = m.group("office"), rest[m.end() :]
    for n in (3, 2, 4):  # a name runs into the chrome after it on a glued line: try its lengths, commonest first
        cand = rest[:n]
        if (
            len(cand) == n
            and re.fullmatch(rf"[{HAN}]+", cand)
            and LABEL_NAME_END_RE.match(rest, n)
            and _plausible_name(cand, office is not None)
        ):
            return cand, office
    if m := re.match(rf"[{HAN}]{{1,8}}(?:·[{HAN}]{{1,8}})+", rest):
        return m.group(0), office
    return None, None


def _plausible_name(cand: str, after_office: bool) -> bool:
    if cand in _leaders():
        return True
    if not (is_byline_name(cand) if after_office else is_name(cand)) or regions.find_places(cand):
        return False
    tag = word_tags().get(cand)
    return tag is None or tag.startswith("nr")


def _office_of(office: str | None) -> str | None:
    if not office:
        return None
    return _strip_jurisdiction(SAR_OFFICE_RE.sub("", office))


def _labelled_speaker(raw_text: str, text: str, head: Sequence[str]) -> tuple[str | None, str | None]:
    """(name, office) a label names (see above): the raw page's lines before its body, the text's head and its
    opening paragraph, then the text's last lines for a signature."""
    lines: list[str] = []
    for line in raw_text.split("\n", LABEL_HEAD_LINES)[:LABEL_HEAD_LINES]:
        line = to_half(line[:RAW_HEAD_CHARS])
        if SALUTATION_RE.match(line.strip()) or (len(line) > 80 and "。" in line):
            break  # the body starts: an author line after it is the reporter's (`来源:平茶镇政府 / 作者:方三益`)
        if LABEL_CUE_RE.search(line):  # only a line holding a label's word is converted and read
            lines.append(clean_line(simplify(line)))
    lines += [x for x in head if x not in lines]
    opening = [x for x in text[:OPENING_PARA_CHARS].split("\n") if x.strip()]
    for line in lines:
        if "发布机关" in line and (m := ISSUER_LABEL_RE.search(line)) and _plausible_name(m.group("name"), True):
            return m.group("name"), re.sub(r"^(?:中华民国|中华人民共和国)", "", m.group("org")) or None
    for line in lines + opening:
        if (m := CAPTION_TAG_RE.search(line)) and (named := _label_name(line[m.end() :]))[0]:
            return named[0], _office_of(named[1])
    for line in lines:
        for label in (SPEAKER_LABEL_RE, AUTHOR_LABEL_RE):
            if (m := label.search(line)) and (named := _label_name(line[m.end() :]))[0]:
                return named[0], _office_of(named[1])
    for line in lines + opening:
        if "全文" in line or "原文" in line or "实录" in line:
            m = FULLTEXT_HEADING_RE.match(line)
            if m and _plausible_name(m.group("name"), bool(m.group("office"))):
                return m.group("name"), _office_of(m.group("office"))
    return _signature(text)


# The speaker naming the office they were elected or appointed to, in the first person, at the speech's start (`大会选举
# 我担任丰城市人民政府市长`, `市人大常委会会议决定我为哈尔滨市人民政府代理市长`, `选举我担任冷水江市新一任市长`): an
# inaugural or a pledge speech's own office, when no byline, title or caption gives one (3 of session 53's fresh pages
# left it empty). The office run may join two offices (`任命我为副市长、代市长`).
SELF_OFFICE_RE = re.compile(
    r"(?:选举|选|任命|决定|推选|提名|同意)(?:由)?我(?:继续)?(?:担任|为|任)(?:了)?"
    rf"(?P<office>[^，。；！？\s、]{{0,24}}?(?:{OFFICE_KW})(?:、[^，。；！？\s、]{{0,12}}?(?:{OFFICE_KW}))*)"
    r"(?=[，。；！？\s]|职务|一职|这一|的|$)"
)
SELF_OFFICE_CHARS = 400  # the opening sentences: an inaugural speech names its office first (`今天，大会选举我…`)
# `冷水江市新一任市长`, `第十八任县长`: the term is no part of the office
OFFICE_TERM_RE = re.compile(rf"(?:新一任|新任|第[一二三四五六七八九十\d]{{1,3}}任)(?=(?:{OFFICE_KW})$)")
PRC_HEAD_RE = re.compile(r"^中华人民共和国(?=(?:副)?主席$)")  # `选举我继续担任中华人民共和国主席`: 国家主席


def _self_named_office(text: str) -> str | None:
    """The office a speech's opening says its speaker was elected or appointed to (SELF_OFFICE_RE), None if none."""
    m = SELF_OFFICE_RE.search(text, 0, SELF_OFFICE_CHARS)
    if m is None:
        return None
    office = _strip_jurisdiction(OFFICE_TERM_RE.sub("", PRC_HEAD_RE.sub("国家", m.group("office"))))
    return office or None


# A school head speaking of himself by his office (`校長要恭喜今天即將畢業的69位畢業生`, `校長以你們為榮`, `校長希望大家…`):
# Taiwanese principals' addresses do so throughout, and a title like `107學年度畢業生致詞稿` names nobody (session 55's fresh
# page). Several such clauses are needed — a pupil's speech thanks the 校长 once or twice, never wishes in his name — and
# none may follow a word that makes the office someone addressed or spoken of (`感谢校长`, `向校长`, `校长的`).
SELF_HEAD_RE = re.compile(
    r"(?<![的向请谢给和与及、位敬])(?P<office>校长|院长|园长)"
    r"(?=要|希望|期许|期勉|勉励|鼓励|相信|祝福|祝愿|恭喜|以你们|心目中|仍要|也要|在此|衷心)"
)
SELF_HEAD_CHARS = 3000  # the address's opening paragraphs, where its wishes stand
SELF_HEAD_MIN = 3  # the clauses a head's own address holds; p26 holds 6 in its first 1,500 characters


def _self_referred_head(text: str) -> str | None:
    """The office a school or hospital head calls himself by in his own address (SELF_HEAD_RE), None if fewer than
    SELF_HEAD_MIN clauses do or they name two offices."""
    zone = text[:SELF_HEAD_CHARS]
    if "长" not in zone or ("校长" not in zone and "院长" not in zone and "园长" not in zone):
        return None
    found = [m.group("office") for m in itertools.islice(SELF_HEAD_RE.finditer(zone), SELF_HEAD_MIN)]
    return found[0] if len(found) >= SELF_HEAD_MIN and len(set(found)) == 1 else None


def _signature(text: str) -> tuple[str | None, str | None]:
    """A signature closing the text: `市委书记 王某` or `王某` on a line of its own next to a line holding only a date
    (`2024年2月9日`), or `王某 2023年5月1日` on one line."""
    tail = [x.strip() for x in text[-RAW_TAIL_CHARS:].split("\n") if x.strip()][-SIGNATURE_TAIL_LINES:]
    for i, line in enumerate(tail):
        if len(line) > 30 or re.search(r"[，。；！？:：]", line):
            continue
        found = find_date(line)
        if found:
            rest, date_only = line[: found[1]].strip(), not line[found[2] :].strip() and not line[: found[1]].strip()
            if date_only:
                continue
            cands = [rest]
        else:
            near = tail[i + 1 : i + 2] + tail[max(0, i - 1) : i]
            if not any((f := find_date(x)) and not re.sub(r"[\s（()）]", "", x[: f[1]] + x[f[2] :]) for x in near):
                continue
            cands = [line]
        for cand in cands:
            office = None
            if m := re.match(rf"(?P<office>[^\s，。]{{0,16}}?{OFFICE_KW})\s*", cand):
                office, cand = m.group("office"), cand[m.end() :]
            cand = re.sub(r"\s", "", cand)
            if SIGN_OFF_RE.match(cand) or (office is None and len(cand) > SIGNATURE_NAME_MAX and "·" not in cand):
                continue  # `谢谢大家` over the date closes a speech too (jieba tags 谢谢 a name)
            if cand and _plausible_name(cand, office is not None):
                return cand, _office_of(office)
    return None, None


TITLE_YEAR_RE = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s*年(?:度)?"
    # …or a school year (`108學年度縣長給國小畢業生祝福詞`: a Taiwanese school's notice, session 55's fresh pages)
    r"|\d{2,4}\s*学年度?)"
)


# A press conference's headline names who answers: `国务院总理李强出席记者会并回答中外记者提问`, `李强总理答中外记者问`,
# `外交部长王毅就中国外交政策和对外关系回答中外记者提问`.
PRESS_TITLE_RE = re.compile(
    rf"^(?P<pre>[^在，。：:]{{0,14}}?)(?P<office>{OFFICE_KW})(?P<name>[{HAN}]{{2,4}}?)?(?:同志)?"
    r"(?:出席记者会|举行记者会|记者会|记者招待会|答中外记者问|答记者问|(?:就[^，。]{1,30})?回答中外记者(?:的)?提问"
    r"|会见中外记者)"
)
# The lead of a press conference's transcript names who answers (`国务院总理李克强在人民大会堂三楼金色大厅会见采访…的中外
# 记者并回答记者提出的问题`, `…国务院总理温家宝应大会发言人李肇星的邀请会见中外记者，并回答记者提问`): session 46's search-
# tool pages had no title that said so, or a breadcrumb for one, and came out untyped with no speaker.
PRESS_ANSWER_LEAD_RE = re.compile(
    rf"(?P<office>[^，。；：:！？\s]{{0,20}}?{OFFICE_KW})[ \u3000]?(?P<name>[{HAN}·]{{2,4}}?)"
    r"(?=在|于|应|将|\d|出席|会见|与|同|[ \u3000])[^。；！？\n]{0,60}?"
    r"(?:会见[^。；！？\n]{0,30}?中外记者|与[^。；！？\n]{0,30}?中外记者见面|回答(?:中外)?记者(?:提出的|的)?(?:提问|问题)"
    r"|答(?:中外)?记者问)"
)
# A transcript's answer turns (`【李克强】首先感谢媒体的朋友们…`, `[温家宝]我愿意回答大家的问题`, `温家宝: 记者朋友们…`):
# the national leader who answers is the speaker, not the host who opens (`【张业遂】…有请李总理`).
PRESS_NAME_TURN_RE = re.compile(rf"(?m)^\s*(?:[【\[](?P<a>[{HAN}·]{{2,4}})[】\]]|(?P<b>[{HAN}·]{{2,4}})\s*[:：])")


# A title that names the speaker after the office or alone, as news copies and collections title a speech:
# `市长姚某在市十五届人大一次会议结束时的讲话`, `县委书记 张某在…上的讲话`, `姜某在市七届人大六次会议上的表态发言`,
# `李某 在中国共产党…代表大会…上的报告`, `通商中国主席李某先生致辞` (5 of the 53 held-out pages named their speaker
# only so). Without an office the title must say where (`在…`): a bare `X致辞` is no name.
TITLE_FESTIVAL_YEAR = r"(?:[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥]|(?:19|20)\d{2})年(?=新春|新年|春节|元旦)"
TITLE_NAMED_RE = re.compile(
    rf"^(?:(?P<office>[^在，。：:\s]{{0,14}}?{OFFICE_KW})[ \u3000]?)?"
    rf"(?P<name>[{HAN}]{{2,4}}?|[{HAN}]{{1,8}}(?:·[{HAN}]{{1,8}})+)(?:同志|先生|女士)?[ \u3000]?"
    # …and the year of the festival (`澳门特别行政区行政长官何厚铧丙戌年新春献辞`, `…2024年新春贺词`: session 57's fresh page)
    rf"(?P<at>在[^，。；]{{2,60}}?(?:上|时|期间)?)?的?(?:{TITLE_FESTIVAL_YEAR})?(?:重要|表态|主旨|即席|新春|新年|元旦|春节|国庆|中秋)?{DOC_END}"
)


def _title_named(title: str) -> tuple[str | None, str | None]:
    """(name, office) of a title that names the speaker (TITLE_NAMED_RE); a name must be no place and no word."""
    m = TITLE_NAMED_RE.match(title.strip())
    if not m or not (m.group("office") or m.group("at")):
        return None, None
    name, office = m.group("name"), m.group("office")
    if not (is_byline_name(name) if office else is_name(name)) or regions.find_places(name):
        return None, None
    if "·" not in name and len(name) > 3:
        return None, None  # `高举旗帜在…`, `国庆酒会致辞`: a four-character run before 在 is a phrase, not a name
    tags = word_tags()
    for w in {name, name[:2]}:  # `高举…`: a name starts with no word of another kind either
        if (tag := tags.get(w)) is not None and not tag.startswith("nr"):
            return None, None
    return name, _strip_jurisdiction(office) if office else None


def _subtitle(head: Sequence[str]) -> str | None:
    """A subtitle under the title that names the speaker (`——王某同志在全省经济工作会议上的讲话`, Qiushi's and
    collected works' layout): the title reader keeps the main title, so its speaker and meeting were lost (k5)."""
    for line in head[1 : HEADLINE_LINES + 1]:
        if DASH_DATE_RE.match(line) and "在" in line:
            rest = DASH_DATE_RE.sub("", line).strip()
            if re.search(DOC_END + r"$", rest) and not rest.startswith("在"):
                return rest
    return None


# A title that names the office attending and speaking, with no 在 (`總統出席美國關島僑界晚宴致詞全文`, president.gov.tw's
# 重要致詞; `县委书记出席…座谈会并讲话`): the office is the speaker's (session 49's fresh pages had no speaker_title so).
TITLE_ATTEND_RE = re.compile(
    rf"^(?P<pre>[^在，。]{{0,14}}?)(?P<office>{OFFICE_KW})(?:同志)?出席[^，。；]{{2,40}}?(?:致辞|致词|讲话|演讲|演说)"
)


# `副县长关于庆祝教师节的电视讲话`: the office speaking on a subject, no 在 (a 范文 site's title; session 50's fresh pages)
TITLE_ABOUT_RE = re.compile(
    rf"^(?P<pre>[^在，。]{{0,14}}?)(?P<office>{OFFICE_KW})(?:同志)?关于[^，。；]{{2,40}}?(?:讲话|致辞|致词|演讲|发言)"
)


# A 范文 title that opens with the office and runs into the occasion without 在 (`区长领导干部大会上的讲话`, `县长调研…
# 试点项目工作时的讲话`, `县长2015年全县经济工作会议讲话`: session 51's fresh pages and session 50's left-alone list).
TITLE_OFFICE_LEAD_RE = re.compile(
    rf"^(?P<pre>[^在，。]{{0,12}}?)(?P<office>{OFFICE_KW})(?:同志)?(?P<rest>[^，。；：:]{{2,60}}?)(?:上|时|中)?的?(?:重要)?"
    # …and the full text so named (`蘇慧貞校長108級畢業典禮致詞全文`: a university's own page, this round's fresh pages)
    r"(?:讲话|讲话稿|讲话提纲|致辞|致词|演讲|发言|表态发言)(?:全文)?$"
)
# the office's own meeting, which it attends as an audience (`乡镇党委书记座谈会上的讲话`, `村党组织书记培训班讲话`): no
# speaker's office
AUDIENCE_MEETING_RE = re.compile(
    r"(?:座谈会|培训班|轮训班|研讨班|读书班|会议|大会|例会|工作会|联席会|办公会|论坛|见面会|恳谈会|交流会|述职会|集体约谈)"
)


def _office_lead(title: str) -> tuple[str | None, str, bool] | None:
    """(name, office, anonymized) of a title led by its speaker's office without 在 (TITLE_OFFICE_LEAD_RE): what precedes
    the office may be nothing, a placeholder, a place or its organ (`镇党委`) — never a phrase (`学习…`, `全县乡镇…`) nor a name (a studied
    `习近平总书记系列重要讲话`), and the office must not be the audience of the meeting named after it."""
    m = TITLE_OFFICE_LEAD_RE.match(title)
    if not m or AUDIENCE_MEETING_RE.match(m.group("rest")):
        return None
    pre = m.group("pre").strip()
    placed = bool(pre) and (
        pre.endswith(PLACE_SUFFIX)
        or regions.load_gazetteer().by_name.get(pre) is not None
        or regions.load_gazetteer().by_name.get("~" + pre) is not None
    )
    organ = pre.endswith(("部", "委", "局", "办", "厅")) or bool(ORG_PREFIX_RE.search(pre))  # `镇党委` + 书记
    if _occasion_named(pre, m.group("rest")):
        return pre, m.group("office"), False  # `窦某校长新学期开学致辞`, `翟某总裁2023年新春致辞`
    if len(pre) == 1 and pre in surnames() and pre not in ORGAN_HEAD_CHARS and pre != "全":
        # `刘书记春节团拜会讲话`: a surname and the office name nobody in full; the office is kept, as for `王书记在…`
        return None, m.group("office"), False
    if (
        pre
        and len(pre) <= INSTITUTION_NAME_MAX
        and INSTITUTION_END_RE.search(pre)
        and INSTITUTION_HEAD_RE.fullmatch(m.group("office"))
    ):
        # `医院院长新年致辞`, `某某中学校长开学致辞`: the body heads its own office and is no part of it (as
        # _strip_institution has it); session 55's fresh doc-site pages had no office
        return None, m.group("office"), False
    if pre and not ANON_RE.match(pre) and (not (placed or organ) or pre.startswith("全")):
        return None
    return _split_office(pre, m.group("office"))


# What a title says of a speech it studies rather than one it holds (`习近平总书记系列重要讲话`, `…重要讲话精神`,
# `…讲话学习心得`): after a name and an office, the speech is someone's subject, not the page's text.
STUDIED_SPEECH_RE = re.compile(r"^(?:重要|系列|最新|近期|一系列)+$|系列|精神|学习|解读|心得|体会|摘编|论述|研讨")


# A 范文 title that names the occasion, then the office, then the kind (`开学典礼校长讲话`, `2023年春节团拜会书记致辞`,
# `毕业典礼校长致辞`: session 52's fresh pages): the office speaks at the event; an organ before it (`政协主席讲话`) is
# the office's own and read by TITLE_OFFICE_LEAD_RE's kin, not here.
EVENT_OFFICE_TITLE_RE = re.compile(
    rf"^(?:(?:19|20)\d{{2}}年)?(?P<event>[^在，。的：:\s]{{1,12}}?(?:会|典礼|仪式|式|节|活动|开学|毕业))"
    # …the event's `上的` before the office (`2023年医院职工大会上的院长讲话`: a doc site's heading, this round's pages)
    r"(?:上的)?"
    rf"(?P<office>(?:代理|代|常务|执行)?副?(?:{OFFICE_KW}))(?:同志)?的?(?:讲话|讲话稿|讲话提纲|致辞|致词|发言)$"
)


# A title about its topic (`关于县长工作的讲话`): 的 before the kind, no 在 frame — the office after 关于 is no speaker's
ABOUT_TOPIC_RE = re.compile(rf"[^在]*的(?:重要)?{DOC_END}$")
# An office's words to an audience it names (`縣長給國小畢業生祝福詞`, `校长给全体毕业生的一封信`): a head's greeting sent to
# the schools rather than spoken (session 55's fresh Taiwanese school notice had its uploader's role for office)
GIVEN_TO_TITLE_RE = re.compile(
    rf"^(?P<pre>[^在，。给]{{0,12}}?)(?P<office>{OFFICE_KW})(?:同志)?给[^，。；：:]{{2,24}}?的?"
    r"(?:祝福词|祝福语|祝福|贺词|贺信|寄语|一封信|公开信|献词|致辞|致词)$"
)


def _occasion_named(pre: str, rest: str) -> bool:
    """A name before the office of a title led so (`窦某校长新学期开学致辞`: a school's, a firm's, a collection's
    title names the speaker by name and office and the occasion without 在), never a studied speech's."""
    return bool(pre) and _plausible_name(pre, False) and not STUDIED_SPEECH_RE.search(rest)


HEADING_END_RE = re.compile(DOC_END + r"$")
# A heading's genre word after its office (`…會長短言`, `…校長祝福`, `…董事長寄語`): what the office wrote or said, never
# a name (BYLINE_DOC_WORD_RE's words mark a title and are skipped there)
GENRE_TAIL_RE = re.compile(r"^\s*(?:短言|寄语|祝福|感言|赠言|贺词|献词|祝词)\s*$")


def _heading_speaker(head: Sequence[str], title: str) -> tuple[str | None, str | None]:
    """(name, office) a speech heading among the head's first HEADLINE_LINES lines names, other than the title's line
    (which named none): a 范文 site repeats the speech under its own heading, and one of the two may name the office."""
    for line in head[:HEADLINE_LINES]:
        x = line.strip()
        if not x or x == title or title in x or not HEADING_END_RE.search(x):
            continue
        name, office, anon = _title_speaker(x)
        if office is not None and not anon:
            return name, office
    return None, None


def _title_speaker(title: str | None) -> tuple[str | None, str | None, bool]:
    if not title:
        return None, None, False
    if (
        title.lstrip().startswith("关于")
        and not ABOUT_TOPIC_RE.match(title.lstrip(), 2)
        and (filed := _title_speaker(title.lstrip()[2:]))[:2] != (None, None)
    ):
        # a doc site's `关于` before the title it files (`关于院长新春致辞`, `关于县长在全县大会上的讲话`): the title after
        # it names the speaker; 关于 is neither a name nor part of the office (session 55's fresh pages) — unless the
        # office is the topic (`关于县长工作的讲话`: a 的 before the kind and no 在…上 frame)
        return filed
    # `2023年市委书记在…会上讲话`: a 范文 site's title leads with the year, which is no part of the office
    m = TITLE_SPEAKER_RE.match(TITLE_YEAR_RE.sub("", _strip_site(title)))
    if not m and "出席" in title:
        m = TITLE_ATTEND_RE.match(TITLE_YEAR_RE.sub("", _strip_site(title)))
    if not m and "关于" in title:
        m = TITLE_ABOUT_RE.match(TITLE_YEAR_RE.sub("", _strip_site(title)))
    # `2014年李克强总理答中外记者问(双语全文)`: the year is no part of the office either
    if not m and (p := PRESS_TITLE_RE.match(TITLE_YEAR_RE.sub("", _strip_site(title)))):
        named = p.group("name")
        if named and (is_name(named) or named in _leaders()):
            return named, _strip_jurisdiction(p.group("pre") + p.group("office")), False
        name, office, anon = _split_office(p.group("pre"), p.group("office"))
        return name, _strip_jurisdiction(office), anon
    if not m:
        named_name, named_office = _title_named(TITLE_YEAR_RE.sub("", _strip_site(title)))
        if named_name is None and named_office is None and (led := _office_lead(TITLE_YEAR_RE.sub("", title.strip()))):
            return led
        if named_name is None and named_office is None and (ev := EVENT_OFFICE_TITLE_RE.match(title.strip())):
            return None, ev.group("office"), False  # `开学典礼校长讲话`, `春节团拜会书记致辞`
        if (
            named_name is None
            and named_office is None
            and (given := GIVEN_TO_TITLE_RE.match(TITLE_YEAR_RE.sub("", title)))
        ):
            return _split_office(given.group("pre"), given.group("office"))  # `县长给国小毕业生祝福词`
        return named_name, named_office, False
    name, office, anon = _split_office(m.group("pre"), m.group("office"))
    return name, office, anon


KIND_OF_OFFICE = (
    ("总理", "national"),
    ("省长", "省"),
    ("主席", None),
    ("州长", "州"),
    ("市长", "市"),
    ("区长", "区"),
    ("县长", "县"),
    ("旗长", "旗"),
    ("镇长", "镇"),
    ("乡长", "镇"),
    ("镇党委", "镇"),  # `海宴镇委书记`, `XX镇党委书记`: a township's party secretary
    ("镇委", "镇"),
    ("乡党委", "镇"),
    # a street office (街道) is a township-level division: its party working committee and its office's head
    # (`街道党工委书记杨国正`, `某街道办事处主任`, `街党工委书记林苏泉`; session 49's fresh 街道 pages had no level)
    ("街道党工委", "镇"),
    ("街党工委", "镇"),
    ("街道工委", "镇"),
    ("街道办事处", "镇"),
)


# A party committee's offices (`县委书记`, `区委常委、政法委书记`, `市委常委、县委书记`) name their jurisdiction's kind as a
# head of government does: without them a 县委书记's page fell back to 全市/全县 counts (`新乡县委书记`'s article quoting
# `全市项目建设大会` went to 新乡市: this round's fresh pages). The lower committee first: a city's standing committee
# member who is a county's secretary speaks for the county.
PARTY_KIND_OF_OFFICE = (
    ("自治区党委", "省"),
    ("县委", "县"),
    ("区委", "区"),
    ("旗委", "旗"),
    ("市委", "市"),
    ("州委", "州"),
    ("地委", "州"),
    ("盟委", "州"),
    ("省委", "省"),
)


TITLE_OFFICE_MAX = (
    24  # characters of a title's speaker run before 在 (`新疆维吾尔自治区人民政府副主席` fits; BYLINE_PRE_MAX)
)


# A development zone, industrial park or new area is run by a party working committee (党工委) and an administrative
# committee (管委会), never by a 区委 or 区政府 — those are a district's; a street office's 党工委 is 街道党工委. Such an
# office was read as a township's (`高新区党工委书记` with the zone's meeting taken for a township's congress) or, after
# `市委常委、`, as its city's (this round's fresh pages). The table says what a zone is: the statistical division codes
# list national and provincial zones at county level under the city that runs them (320971 盐城经济技术开发区, 411271
# 河南三门峡经济开发区: codes xx7x), and extract_regions keeps them out of the names a page is placed by. So a zone's page
# is of county level, placed in the city (or county) it names; an office that also holds a county's or a district's
# (`区委书记、高新区党工委书记`, `常务副县长、…园区管委会主任`) is that division's.
ZONE_KIND = "园"
ZONE_OFFICE_RE = re.compile(r"区(?:党工委|工委|管委会|管理委员会)")
DIVISION_OFFICE_RE = re.compile(r"[县区旗](?:委|长|人民政府|政府)")


# The level a jurisdiction kind fixes without its place (m9: 13 of 19 county and township pages of 35 fresh real pages
# had a level and no region they named in full: `县长在…`, `镇党委书记…`, `*县人民政府`, `全区` counts). 市 is absent: a
# 市长 or 全市 is a prefecture's or a county-level city's (钟祥市); 州 (an autonomous prefecture, a league, a 地区:
# 州委, 盟委, 地委) is always a prefecture.
LEVEL_OF_KIND_ALONE = {
    "省": regions.PROVINCE,
    "县": regions.COUNTY,
    "旗": regions.COUNTY,
    "州": regions.PREFECTURE,  # 州, 盟 and 地区 are prefectures (session 48: a 地委 page had no level)
    "区": regions.COUNTY,
    "镇": regions.TOWNSHIP,
    ZONE_KIND: regions.COUNTY,  # a zone is listed at county level (ZONE_KIND)
}


# The kinds of a county's or a township's page: the ones a government site named by initials is read for
COUNTY_PAGE_KINDS = ("县", "区", "旗", "镇", ZONE_KIND)


GOV_SELF_RE = re.compile(
    rf"我代表([{HAN}]{{0,12}}?)?(?:(?P<kind>省|市|州|县|区|旗|自治区|自治州)?人民政府|(?P<state>国务院))"
)


# Documents of the national organs, by how they name themselves or their meeting: the State Council's and the
# Central People's Government's reports (`我代表国务院` / `我代表中央人民政府作工作报告`, 1954), the CPC Central
# Committee's report to a national party congress (`我代表第十四届中央委员会向大会作报告`), the NPC and CPPCC
# national committees.
NATIONAL_SELF_RE = re.compile(
    r"我代表(?:中华人民共和国)?(?:国务院|中央人民政府)|我代表(?:中国共产党)?(?:第[一二三四五六七八九十]+届)?中央委员会"
    r"|我(?:代表|受)(?:全国人民代表大会常务委员会|全国人大常委会|中国人民政治协商会议全国委员会|全国政协|政协第[一二三四五六七八九十]+届全国委员会)"
    r"|我代表(?:最高人民法院|最高人民检察院)"
)
# A ministry speaking as itself (`总结2005年我部定点扶贫开发工作`, `部党组和黄镇东部长…都非常重视`: a vice-minister's speech
# copied on gov.cn, filed under 洛阳 — the city it helps — in session 55's fresh pages): both its self-reference and its
# leading party group, which only the State Council's ministries have (a province's departments have 厅党组, the
# party's own departments none; a group's headquarters is 总部).
MINISTRY_SELF_RE = re.compile(r"我部(?![门队分署位属下])")
MINISTRY_PARTY_GROUP_RE = re.compile(r"(?<![总本全])部党组")
# The meetings of the national organs: congresses and their sessions, the NPC Standing Committee's sessions, the
# Central Committee's plenums (`中国共产党第二十届中央委员会第三次全体会议`, `十九届五中全会`), the Politburo's study
# sessions and the central work conferences (`中央经济工作会议`, `中央农村工作会议`, `中央全面依法治国工作会议`).
NATIONAL_MEETING_RE = re.compile(
    r"^(?:中国共产党第[一二三四五六七八九十]+次全国代表大会|第[一二三四五六七八九十]+届全国人民代表大会"
    r"|中国人民政治协商会议第[一二三四五六七八九十]+届全国委员会"
    r"|(?:中国共产党|党的)?第?[一二三四五六七八九十]+届(?:中央委员会第[一二三四五六七八九十]+次全体会议|[一二三四五六七]中全会|中央政治局)"
    r"|中共中央政治局|中央政治局|中央[一-鿿]{0,10}工作会议$"
    # the central commissions' meetings (`中央财经委员会第四次会议`, `中央全面深化改革委员会第三次会议`) and the State
    # Council's (`国务院常务会议`, `国务院第五次全体会议`)
    r"|中央[一-鿿]{2,14}委员会第[一二三四五六七八九十]+次会议$|国务院(?:第[一二三四五六七八九十]+次)?(?:常务|全体)会议$)"
)
# A national law, plan or outline by its title (`中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要`,
# `中华人民共和国民法典`, `中华人民共和国国务院组织法`)
NATIONAL_STATE_TITLE_RE = re.compile(r"^中华人民共和国[^，。\s]{1,60}(?:法|法典|规划|纲要|条例|决定|公报)$")
# The issuer a national document's title opens with (`中共中央 国务院关于…的意见`, `国务院办公厅关于…的通知`,
# `全国人民代表大会常务委员会关于…的决定`, `教育部关于…`): the central organs and the State Council's ministries (their
# local counterparts are 厅 and 局, so a ministry's name is national wherever it stands).
MINISTRY = (
    r"(?:外交部|国防部|国家发展和改革委员会|国家发展改革委|教育部|科学技术部|科技部|工业和信息化部|工信部|国家民族事务委员会|国家民委"
    r"|公安部|国家安全部|民政部|司法部|财政部|人力资源和社会保障部|人力资源社会保障部|人社部|自然资源部|生态环境部"
    r"|住房和城乡建设部|住房城乡建设部|交通运输部|水利部|农业农村部|商务部|文化和旅游部|国家卫生健康委员会|国家卫生健康委"
    r"|退役军人事务部|应急管理部|中国人民银行|审计署|国务院国有资产监督管理委员会|国务院国资委"
    r"|国土资源部|环境保护部|农业部|文化部|卫生部|铁道部|交通部(?!门)|监察部|人事部|劳动和社会保障部|建设部|信息产业部"
    r"|国家计划委员会|国家计委)"
)
_ISSUER = (
    rf"(?:中共中央(?:办公厅)?|中央(?:军委|军事委员会|办公厅)|国务院(?:办公厅)?|全国人民代表大会(?:常务委员会)?|全国人大常委会"
    rf"|最高人民法院|最高人民检察院|全国政协|中国人民政治协商会议全国委员会|{MINISTRY}|国家[\u4e00-\u9fff]{{2,10}}?(?:总局|局|署|委员会))"
)
# A ministry's own site (`- 中华人民共和国财政部`, source_site) names the ministry a bare office in its pages belongs to:
# `蓝佛安部长在全国财政工作会议上的讲话` on mof.gov.cn is 财政部部长. Only an office with no organ before it.
MINISTRY_SITE_RE = re.compile(rf"(?:中华人民共和国)?(?P<organ>{MINISTRY})(?:官网|网站|门户网站|政府网站)?")
BARE_MINISTRY_OFFICE_RE = re.compile(r"(?:党组书记、)?(?:常务)?副?(?:部长|主任|署长|行长)")
NATIONAL_ISSUER_TITLE_RE = re.compile(rf"^{_ISSUER}(?:[\s、]*{_ISSUER}){{0,5}}\s*关于")
# A central organ's own news (`工业和信息化部召开干部大会传达学习全国“两会”精神`, `商务部党组召开…`): the organ that acts in
# the headline is the page's, whose body names no place (a ministry's meeting news had no region nor level: session
# 54's fresh pages). Only the acts of an organ's own meetings and papers: `…部长到某省调研` is the province's news.
NATIONAL_ORGAN_ACTS_TITLE_RE = re.compile(rf"^{_ISSUER}(?:党组|党委|机关)?(?:召开|举行|举办|传达|部署|印发|发布)")
# The CPC congress a report is made to (`中国共产党第十五次全国代表大会`, `党的第十一次全国代表大会`).
CPC_CONGRESS_RE = re.compile(r"(?:中国共产党|党的)第([一二三四五六七八九十]{1,3})次全国代表大会")
# A party committee reporting to its congress: `我代表第十九届中央委员会向大会作报告`,
# `我代表中共沧州市第九届委员会向大会作报告`.
PARTY_REPORT_RE = re.compile(
    r"我代表(?:中国共产党|中共)?[^，。；]{0,20}?第[一二三四五六七八九十]+届[^，。；]{0,6}?委员会[，,]?\s*"
    r"向(?:大会|本次大会|这次大会|全会)(?:作|做)(?:工作)?报告"
    # `现在我代表中央委员会作关于上届代表会议以来的工作报告` (1923): the Central Committee, no term number.
    r"|我代表(?:中国共产党|中共)?中央委员会[，,]?\s*(?:向(?:大会|本次大会|这次大会|代表大会)[，,]?)?"
    r"(?:作|做)(?:关于[^。；]{0,30}?以来的)?(?:工作)?报告"
)


# An office of a national organ in the byline (`中共中央总书记、国家主席、中央军委主席`, `国务委员`, `全国政协主席`,
# `最高人民法院院长`): KIND_OF_OFFICE reads the last office word, and 主席 says no level.
NATIONAL_OFFICE_RE = re.compile(
    r"^(?:中共中央|中央(?:军委|军事委员会|委员会)?|国务院|国家|全国人民代表大会|全国人大|全国政协|中国人民政治协商会议全国委员会"
    rf"|最高人民法院|最高人民检察院|{MINISTRY})|总书记|国家主席|国务委员|委员长"
)
# The head of a delegation the centre sends to a place's own celebration (`中央有关部门祝贺团团长、国家民委专职委员`,
# `中央代表团团长`) speaks there as a guest: the page is the place's (巴音郭楞蒙古自治州成立70周年庆祝大会 was national:
# session 48's fresh pages).
VISITING_DELEGATION_RE = re.compile(r"(?:祝贺|代表|慰问|访问)团(?:副)?团长")
# A gathering of the whole country (`全国科技大会`, `中央经济工作会议`, `庆祝中国共产党成立100周年大会`): with a national
# leader (leaders.txt) as its speaker and no office of another level in the byline, the speech is a national one. Its
# body's places (`杭州`, a summit's host) made such speeches a prefecture's.
# `中共中央政治局委员、上海市委书记`: a Politburo member who leads a province or city speaks as its leader.
LOCAL_OFFICE_RE = re.compile(r"[省市区县州旗盟](?:委|长|人民政府|政府|人大|政协)|自治区|自治州")
NATIONAL_GATHERING_RE = re.compile(
    r"^(?:全国|中央|中共中央|国务院|中国共产党|中华人民共和国|庆祝|纪念|省部级)"
)  # 省部级主要领导干部…专题研讨班: the central party school's


# National news leads with a national leader by his office (`国务院总理温家宝在北京人民大会堂…`, `国家主席习近平主持会议`,
# `习近平主席在…会议上发表重要讲话`, `吴邦国委员长主持会议`) or with a session of the NPC or CPPCC (`十届全国人大五次会议
# …闭幕`): with no office of a province, city or county before it and no 全市/全县… counts, the page is national. Its
# places (the dateline's 北京, the summit's host 天津, `上海合作组织`) were its region (session 46's held-out pages).
NATIONAL_LEAD_CHARS = 400  # the title and this much of the text: a news lead's first sentence or two
NATIONAL_LEAD_OFFICE = (
    r"(?:国务院(?:副)?总理|国家(?:副)?主席|全国人大常委会委员长|全国政协主席|中共中央总书记|国务委员)"
)
NATIONAL_SESSION_RE = re.compile(
    r"(?:第?[一二三四五六七八九十]+届)?全国(?:人大|人民代表大会|政协)(?:第?[一二三四五六七八九十]+届)?"
    r"(?:常委会)?第?[一二三四五六七八九十]+次(?:全体)?会议"
    # the party's national congress and its central committee's plenums (`中国共产党第二十次全国代表大会在京闭幕`,
    # `中共十九届四中全会`: a held-out page's title with 京 its only place)
    r"|中国共产党第[一二三四五六七八九十]+次全国代表大会|中共(?:中央)?第?[一二三四五六七八九十]+届[一二三四五六七八九]中全会"
)


# The central offices for Taiwan, Hong Kong and Macau (`中共中央台办、国务院台办主任宋涛致辞`, `国台办：将坚持…`) speak for
# the country: their news was filed under 天津市 (the 津台会's host, `中评社天津…电` skipped once of five) and 台湾省
# (`台湾同胞` in the headline) — session 47's fresh pages. A province's or city's own 台办 (`市台办`) is none of these.
CENTRAL_SAR_ORGAN = (
    r"(?<![省市区县州])(?:中共中央台办|国务院台办|国台办|国务院台湾事务办公室|中央台办"
    r"|国务院港澳(?:事务)?办(?:公室)?|中央港澳(?:工作)?办(?:公室)?)"
)


@lru_cache(maxsize=1)
def _national_lead_re() -> re.Pattern:
    names = "|".join(sorted((n for n, v in _leaders().items() if v[1] == "national"), key=len, reverse=True))
    return re.compile(
        rf"{NATIONAL_LEAD_OFFICE}[、，,\s\u4e00-\u9fff]{{0,24}}?(?:{names})|(?:{names})(?:主席|总理|委员长)"
        rf"|{NATIONAL_SESSION_RE.pattern}|{CENTRAL_SAR_ORGAN}"
    )


# A local outlet's item about a national leader speaks of its own place (`国家主席习近平给景宁畲族自治县各族干部群众回信
# 在我县引起强烈反响`): a self-reference anywhere in the opening keeps it local, wherever the leader stands.
# The organ a congress is named after stands before its place: the party's (`中国共产党乌镇镇第十四次代表大会`), the
# Youth League's (`共青团嵊泗县第十九次代表大会`) and the CPPCC's (`政协东乡县第十三届委员会第五次会议`). Read only
# after 中共, a Youth League congress whose guest from the city spoke (`团市委副书记`) was a 市 page with no region,
# its county named three times in full (this round's fresh pages).
CPC_PREFIX_RE = re.compile(r"^(?:中国共产党|中共|中国共产主义青年团|共青团|中国人民政治协商会议|政协)")
LOCAL_SELF_RE = re.compile(r"我(?:省|市|县|区|旗|州|盟|镇|乡)|本(?:市|县)(?!场)")


def _national_lead(title: str | None, text: str) -> bool:
    """Whether the title or the text's opening leads with a national leader or a national session, before any local
    office (LOCAL_OFFICE_RE)."""
    opening = (title or "") + "\n" + text[:NATIONAL_LEAD_CHARS]
    m = _national_lead_re().search(opening)
    if not m:
        return False
    local = LOCAL_OFFICE_RE.search(opening, 0, m.start())
    return local is None and not LOCAL_SELF_RE.search(opening)


# The governments of Hong Kong, Macau and Taiwan speak through their own sites (info.gov.hk, gov.mo, president.gov.tw)
# and offices (行政长官, 立法会, 政务司司长 …; 总统府, 行政院长, 立法院), and their pages seldom name their own place
# more than in passing (`香港时间17时03分`) or at all: info.gov.hk pages had no region, Taiwan's new-year addresses
# were 台湾省台北市 (their `于臺北市` line) and a 行政院长's report 北京市 (`正告北京当局`) — session 46's held-out and
# fresh pages. The place named most in the opening tells Hong Kong's 行政长官 from Macau's.
SAR_SITES = (
    ("gov.hk", "香港特别行政区"),
    ("gov.mo", "澳门特别行政区"),
    ("gov.tw", "台湾省"),
    ("president.gov.tw", "台湾省"),
)
SAR_OWN_OFFICE_RE = re.compile(
    r"行政长官|特首|立法会(?:主席|议员|秘书处)|政务司司长|财政司司长|律政司司长|特区政府|特别行政区政府"
)
TAIWAN_OFFICE_RE = re.compile(
    r"总统府|中华民国(?:[0-9一二三四五六七八九十〇○]+年)?总统|行政院(?:长|会|院会)|立法院(?:长|院会|会期)?"
)
# A mainland organ about Hong Kong, Macau or Taiwan (国台办, 港澳办) speaks for the country, not for them.
SAR_MAINLAND_ORGAN_RE = re.compile(r"国台办|国务院台湾事务办公室|台湾地区领导人|民进党当局|港澳办|港澳事务办公室")
SAR_OPENING_CHARS = 3000  # the opening the offices and the place names are read in


def _own_sar(url: str | None, title: str, text: str) -> str | None:
    """香港特别行政区 / 澳门特别行政区 / 台湾省 when the page is that government's own (its site or its office at the
    top, no mainland office before it), else None."""
    host = (urlparse(url).hostname or "").lower() if url else ""
    for site, sar in SAR_SITES:
        if host == site or host.endswith("." + site):
            return sar
    opening = title + "\n" + text[:SAR_OPENING_CHARS]

    def mainland_before(at: int) -> bool:  # a mainland office or organ before the SAR's own (特区政府 is no 区政府)
        before = opening[:at]
        return bool(
            SAR_MAINLAND_ORGAN_RE.search(before)
            or LOCAL_OFFICE_RE.search(before.replace("特别行政区", "").replace("特区", ""))
        )

    if (
        (m := TAIWAN_OFFICE_RE.search(opening))
        and ("台湾" in opening or "台北" in opening or host.endswith(".tw"))
        and not SAR_MAINLAND_ORGAN_RE.search(opening)
        and not mainland_before(m.start())
    ):
        return "台湾省"
    if (m := SAR_OWN_OFFICE_RE.search(opening)) and not mainland_before(m.start()):
        hk = opening.count("香港") + host.endswith(".hk")
        mo = opening.count("澳门") + host.endswith(".mo")
        if hk > mo:
            return "香港特别行政区"
        if mo > hk:
            return "澳门特别行政区"
    return None


# The regions whose own divisions govern (Taiwan's counties, cities and townships): a Hong Kong district council or
# Macau's parishes govern nothing, so a SAR secretary's speech at a district's venue (`政務司司長出席元朗文化康樂大樓開幕
# 典禮致辭`) is the SAR's, as it was while the gazetteer named the district `香港特别行政区香港元朗区` (session 56).
SAR_OWN_DIVISIONS = frozenset({"台湾省"})


def _titled_within(region: str | None, sar: str, title: str) -> bool:
    """Whether `region` is a division inside `sar` (台湾省台东县 in 台湾省) whose own name the title holds."""
    if not region or not region.startswith(sar) or region == sar:
        return False
    own = region[len(sar) :]
    names = (own, own[:-1]) if len(own) >= 3 else (own,)
    # a venue's (`2020年01月01日于台北市` read as the title) is no page's own
    return any(title[i - 1 : i] not in VENUE_BEFORE for n in names for i in _finds_all(title, n))


VENUE_BEFORE = frozenset("于在赴至到")


# A county or city of the SAR that a page on the SAR's site names in full this often in its opening is the page's own
# (kmdn.gov.tw, 金門日報: `金門縣歷任鄉鎮長協會…` five times, an untitled item; it was 台湾省 and province in session 55's
# fresh pages). Three, not two: a central office's page names the venue's city twice (`總統出席台北市…`).
SAR_OWN_DIVISION_MENTIONS = 3


def _named_within(region: str | None, sar: str, text: str) -> bool:
    """Whether `region` is a division inside `sar` whose own full name `text` holds SAR_OWN_DIVISION_MENTIONS times,
    not as a venue (`于台北市`: where a central office spoke)."""
    if not region or not region.startswith(sar) or region == sar:
        return False
    own = region[len(sar) :]
    if len(own) < 3:
        return False
    starts = list(_finds_all(text, own))
    if sum(text[i - 1 : i] not in VENUE_BEFORE for i in starts) >= SAR_OWN_DIVISION_MENTIONS:
        return True
    # its own organ or head as the subject of a sentence (`金門縣政府昨(22)日…召開`, `，金門縣長楊鎮浯今早…`): kmdn.gov.tw's
    # county items named 金門縣 once and were 台湾省 and province (session 59's fresh pages); `總統出席台北市政府…` is a venue
    return any(
        text[i - 1 : i] in SUBJECT_BEFORE
        and (regions.OWN_ORGAN_RE.match(text, i + len(own), i + len(own) + 8) or text.startswith("长", i + len(own)))
        for i in starts
    )


# What stands before a sentence's subject: the text's start, a line's, a clause's end or a closed bracket
SUBJECT_BEFORE = frozenset(["", "\n", "。", "，", ",", "；", ";", "】", "」", ")", "）", " "])


def _taiwan_twin(code: str | None, taiwan_region: str) -> bool:
    """Whether the division of `code` is a mainland one named like the Taiwanese division `taiwan_region` ends in
    (四川's 大安区 and 台中's): regions.taiwan_township already checked the page names the Taiwanese city before it."""
    dv = regions.load_gazetteer().by_code.get(code or "")
    return dv is not None and dv.province != "台湾省" and taiwan_region.endswith(dv.name)


def _township_candidate(region: str | None) -> bool:
    """Whether a page so placed may be a Taiwanese township's: unplaced, Taiwanese, a district, or a mainland county or
    city whose name a township's may hold (_inside_township)."""
    return region is None or region.startswith("台湾省") or region.endswith(("区", "县", "市"))


def _inside_township(code: str | None, tw: tuple[str, str | None, str]) -> bool:
    """Whether the mainland division of `code` was read from a name inside the Taiwanese township `tw` names (山西's
    武乡县 in 泰武乡, 江西's 吉安市 in 吉安乡: session 61's fresh pages), the township the page names with its organ."""
    gz = regions.load_gazetteer()
    dv, county = gz.by_code.get(code or ""), gz.by_code.get(tw[1] or "")
    if dv is None or county is None or dv.province == "台湾省" or not tw[0].startswith(county.full_name):
        return False
    town = tw[0][len(county.full_name) :]
    return dv.name[:-1] in town


def _finds_all(text: str, sub: str) -> Iterator[int]:
    """Every start of `sub` in `text`."""
    i = text.find(sub)
    while i >= 0:
        yield i
        i = text.find(sub, i + 1)


# The organ a government portal's disclosure table names as the page's publisher (`发布机构: | 沂水县沙沟镇 |`,
# `发文机关：平江县人民政府`): the page's own jurisdiction, often named nowhere else. A township's work report named
# only 沙沟镇, which four counties have, and was left with no region (session 47's fresh pages); normalize removes the
# table as chrome, so it is read from the chrome lines.
PUBLISHER_RE = re.compile(rf"(?:发布机构|发布机关|发文机关|发布单位)\s*[:：]?\s*[|｜]?\s*(?P<organ>[{HAN}]{{2,30}})")


def _publisher(chrome: Sequence[str]) -> str | None:
    """The publishing organ of a disclosure table among the page's chrome lines, if any."""
    for line in chrome:
        if "发" in line and (m := PUBLISHER_RE.search(line)):
            return m.group("organ")
    return None


# `我代表500万九江人民，对本次大会的召开表示热烈的祝贺`: a city's head speaking for its people names the city; the
# counts of 省委/省政府 in the speech made it a province's page (this round's fresh pages).
PEOPLE_SELF_RE = re.compile(
    rf"我(?:谨)?代表(?:全?[0-9一二三四五六七八九十百千万余多]+万?)?(?!全)(?P<place>[{HAN}]{{2,8}}?)(?:各族|全体|广大)?人民(?!政府|代表)"
)


def _people_self(text: str) -> str | None:
    """The place a speaker names as the people they speak for (我代表500万九江人民 -> 九江), if any."""
    if "代表" not in text[:OPENING_CHARS]:
        return None
    m = PEOPLE_SELF_RE.search(text, 0, OPENING_CHARS)
    return m.group("place") if m else None


# An office read with the relative clause a news lead puts before it (`刚刚在省委十一届一次全会上当选的省委书记张三`):
# the office is what follows the clause's 的 (session 50's held-out set: the clause was kept whole).
RELATIVE_CLAUSE_RE = re.compile(
    r"(?:当选|任命|上任|履新|到任|就任|新任|连任|选举产生|提名)[^、，,]{0,4}的(?P<office>[^的]+)$"
)


def _without_relative_clause(office: str) -> str:
    """The office without a relative clause before it (`刚刚…当选的省委书记` -> 省委书记), else as it is."""
    m = RELATIVE_CLAUSE_RE.search(office)
    return m.group("office") if m else office


# The organs below a party committee and a government — people's congresses, CPPCCs, courts, procuratorates, discipline
# commissions, supervisory commissions and mass organisations — are each jurisdiction's own: their offices name its
# kind as a 县委书记's does (`县人大常委会主任`, `县政协主席`, `市中级人民法院院长`, `镇人大主席`, `区总工会主席`). They named
# none, and such pages fell back to 全市/全县 counts (session 50's left-alone list).
ORGAN_OFFICE_RE = re.compile(
    r"(?P<k>自治区|自治州|省|市|州|县|区|旗|镇|乡)(?:人大常委会|人大|政协|纪委|监委|中级人民法院|人民法院|法院|人民检察院"
    r"|检察院|总工会|工会|妇联|妇女联合会|团委|残联|科协|侨联|文联)"
)
ORGAN_KIND = {"自治区": "省", "自治州": "州", "乡": "镇"}


# A county's page about visitors from above (`部分全国、省人大代表来鄱调研`: the speaker read is a provincial survey
# group's member, 省委宣传部副部长) calls itself 我县 throughout: the visitor's office made it a province's page with
# no region (session 50's left-alone list: a guest deciding the place). The page's own word wins over a higher office
# when it is said this often and no higher self-reference (我市, 我省) is made. 我区 is a district's, and an autonomous
# region's (自治区主席: 我区) — so never below a province's office.
OWN_KIND_MIN = 2
OWN_BELOW = {"县": ("我县", "我縣"), "区": ("我区", "我區"), "旗": ("我旗",), "镇": ("我镇", "我鎮", "我乡", "我鄉")}
OWN_ABOVE = ("我市", "我省", "我州", "我盟")
KIND_RANK = {"省": 3, "市": 2, "州": 2, "县": 1, "区": 1, "旗": 1, "镇": 0}


def _own_kind_below(text: str, office_kind: str) -> str | None:
    """The lower kind the page calls itself (我县 …) when the office read is of a higher one, else None."""
    if KIND_RANK.get(office_kind, 0) < 2 or "我" not in text:
        return None
    body = text[:KIND_COUNT_CHARS]
    if any(w in body for w in OWN_ABOVE):
        return None
    counts = {
        k: sum(body.count(w) for w in ws) for k, ws in OWN_BELOW.items() if not (k == "区" and office_kind == "省")
    }
    kind, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return kind if n >= OWN_KIND_MIN else None


def _kind_hint(
    speaker_title: str | None, title: str | None, meeting: str | None, text: str, speaker_name: str | None = None
) -> str | None:
    """Jurisdiction kind from the office (区长 -> 区) or from 全区/全县/全市/全省 counts."""
    if NATIONAL_SELF_RE.search(text[:OPENING_CHARS]) or (meeting and NATIONAL_MEETING_RE.match(meeting)):
        return "national"
    opening = text[:OPENING_CHARS]
    if (
        "我部" in opening
        and MINISTRY_SELF_RE.search(opening)
        and MINISTRY_PARTY_GROUP_RE.search(opening)
        and not LOCAL_OFFICE_RE.search(speaker_title or "")
    ):
        return "national"  # a ministry's own speech: `我部…`, `部党组…`
    if (
        speaker_title
        and NATIONAL_OFFICE_RE.search(speaker_title)
        and not LOCAL_OFFICE_RE.search(speaker_title)
        and not VISITING_DELEGATION_RE.search(speaker_title)
    ):
        return "national"
    if (
        meeting
        and meeting.startswith("全国")
        and speaker_title
        and not LOCAL_OFFICE_RE.search(speaker_title)
        and not regions.find_places(speaker_title)
    ):
        return "national"  # `蓝佛安部长在全国财政工作会议上的讲话`: an office of no place at a national conference
    if title and (
        NATIONAL_ISSUER_TITLE_RE.match(title)
        or NATIONAL_STATE_TITLE_RE.match(title)
        or NATIONAL_ORGAN_ACTS_TITLE_RE.match(title)
    ):
        return "national"  # `中共中央 国务院关于…的意见`: its body's places (黑龙江、吉林) are no jurisdiction
    if (
        speaker_name
        and not speaker_title
        and meeting
        and NATIONAL_GATHERING_RE.match(meeting)
        and _leaders().get(speaker_name, ("", ""))[1] == "national"
    ):
        return "national"
    if meeting:
        meeting = CPC_PREFIX_RE.sub("", meeting, count=1)
        towns = regions.find_towns(meeting)
        if towns and towns[0][0] == 0:
            # `文昌镇第十五届人民代表大会…`, `中国共产党乌镇镇第十四次代表大会`: a township's own congress, whoever from
            # the county or city above speaks at it (this round's fresh pages went to 宣州区 and 嘉兴市)
            return "镇"
        # `淮安市第七届人民代表大会…`: the meeting names the jurisdiction outright.
        hits = regions.find_places(meeting)
        # `长春市绿园区第十九届人民代表大会`: the last of the places the name opens with is the meeting's own (a
        # district's congress was read as its city's, session 47's fresh pages)
        inner = 0
        while inner + 1 < len(hits) and hits[inner + 1].start == hits[inner].end and not hits[inner + 1].is_alias:
            inner += 1
        if hits and hits[0].start == 0 and not hits[inner].is_alias:
            divs = regions.load_gazetteer().by_name.get(hits[inner].key, [])
            if divs:
                k = divs[0].suffix_kind
                return "市" if k == "州" else k
        if re.match(r"^第[一二三四五六七八九十]+届全国人民代表大会", meeting):
            return "national"
    gm = GOV_SELF_RE.search(text[:OPENING_CHARS])
    if gm and gm.group("state"):
        return "national"  # `我代表国务院` / `我代表中华人民共和国国务院`
    probe = " ".join(x for x in (meeting, title) if x)
    if "全国人民代表大会" in probe and not re.search(r"[省市区县州]第", probe):
        return "national"
    st = speaker_title or ""
    if st and title and (pre := title.split("在", 1)[0]).endswith(st) and len(pre) <= TITLE_OFFICE_MAX:
        # `某街道办事处主任在…上的讲话`: the office kept only `主任`; its organ stands before it in the title
        st = pre
    if ZONE_OFFICE_RE.search(st) and not DIVISION_OFFICE_RE.search(st):
        return ZONE_KIND  # `高新区党工委书记`, `市委常委、金普新区党工委书记、管委会主任`: a zone's own office
    office_kind = None
    for key, kind in KIND_OF_OFFICE:
        if key in st:
            if key == "主席" and "自治区" in st:
                office_kind = "省"
                break
            if kind:
                office_kind = kind
                break
    if office_kind is None:
        office_kind = next((kind for key, kind in PARTY_KIND_OF_OFFICE if key in st), None)
    if office_kind is None and (om := ORGAN_OFFICE_RE.search(st)):
        office_kind = ORGAN_KIND.get(om.group("k"), om.group("k"))
    if (
        office_kind
        and KIND_RANK.get(office_kind, 0) >= 2
        and (lower := next((kind for key, kind in PARTY_KIND_OF_OFFICE if key in st), None))
        and KIND_RANK.get(lower, 3) < KIND_RANK[office_kind]
    ):
        # a city's office held with a county's committee (`衡阳市人民政府副市长、衡东县委书记` at the oath of 衡东县's new head):
        # the lower committee is the one the holder runs, as PARTY_KIND_OF_OFFICE reads `市委常委、县委书记` (the county's
        # news went to 衡阳市 at prefecture level: session 54's fresh pages)
        office_kind = lower
    if office_kind and KIND_RANK.get(office_kind, 0) >= 2 and regions.guest_visit(text):
        # `全市农业农村工作观摩团来我县观摩。市政协副主席…参加观摩`: the office read is the visiting delegation's
        office_kind = None
    if office_kind:
        # a visitor from above (`省委宣传部副部长` of a provincial survey group) on a page that calls itself 我县
        return _own_kind_below(text, office_kind) or office_kind
    if (place := _people_self(text)) and (hits := regions.find_places(place)) and hits[-1].end == len(place):
        divs = regions.load_gazetteer().by_name.get(hits[-1].key, [])
        if divs and len({d.suffix_kind for d in divs}) == 1:
            k = divs[0].suffix_kind
            return "市" if k == "州" else k  # `我代表500万九江人民`: the people the speaker speaks for are its place's
    if gm and gm.group("kind"):
        k = gm.group("kind")
        place = gm.group(1) or ""
        if k in ("省", "自治区") or place.endswith(("省", "自治区")):
            return "省"
        if k in ("市", "州", "自治州") and not (
            place
            and regions.load_gazetteer().by_name.get(place)
            and regions.load_gazetteer().by_name[place][0].level == "province"
        ):
            return "市"
        if k in ("县", "旗"):
            return k
        if k == "区" and not place.endswith("自治区"):
            return "区"
    body = text[:KIND_COUNT_CHARS]
    # A banner (旗) is a county of Inner Mongolia: its own words count as a county's (`在市委、市政府和旗委的坚强领导下`,
    # `旗人民政府`, `我旗`): 土默特左旗's congress news was a 市 kind with no region (session 47's fresh pages).
    banner = body.count("全旗") + body.count("旗委") + body.count("旗人民政府") + body.count("我旗")
    counts = {
        "区": body.count("全区") + body.count("区委") + body.count("区政府"),
        "县": body.count("全县") + body.count("县委") + body.count("县政府") + banner,
        # `省市委要求` is the province's and the city's committees over a county, not a city's own word (`十月的沛县…认真贯彻
        # 落实省市委要求`, `市委书记…在沛调研`: the county page was a 市 kind and lost its county; session 53's fresh pages)
        "市": body.count("全市")
        + body.count("市委")
        - body.count("省市委")
        + body.count("市政府")
        + body.count("我市"),
        # a prefecture that is no city: an autonomous prefecture, a league or a 地区 (`地委扩大会议`, `盟委`, `全州`)
        "州": body.count("全州")
        + body.count("州委")
        + body.count("州政府")
        + body.count("我州")
        + body.count("地委")
        + body.count("行署")
        + body.count("全地区")
        + body.count("盟委")
        + body.count("全盟")
        + body.count("我盟"),
        "省": body.count("全省") + body.count("省委") + body.count("省政府") + body.count("自治区人民政府"),
        "镇": body.count("全镇")
        + body.count("全乡")
        + body.count("镇党委")
        + body.count("乡党委")
        + body.count("镇委")
        # a street office's own words (`街道党工委`, `全街道`, `街道办事处`): a township-level division's
        + body.count("街道党工委")
        + body.count("街道工委")
        + body.count("全街道")
        + body.count("街道办事处"),
    }
    if body.count("国务院") >= 5 and body.count("全国") > max(counts.values()):
        return "national"
    nation = body.count("我国") + body.count("全国")
    if "国务院" in body and nation >= 10 and nation > 3 * max(counts.values()):
        return "national"  # the State Council's own reports of the 1950s-80s say 我国/全国, not 全省/全市
    kind, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    if n < 2:
        return "national" if _national_lead(title, text) else None
    # 自治区 reports say 全区 for the whole region: a province, not a district.
    if kind == "区" and body.count("自治区") * 2 >= counts["区"]:
        return "省"
    if kind == "县" and banner * 2 > n:
        # a banner's own words (旗委书记, 全旗) ask for a banner: a county's short name read in a person's name
        # (`旗领导孙志春、海乌兰图雅` → 乌兰县) beat the banner the text names once (session 48's fresh pages)
        return "旗"
    # A city report names the province often too; the city's own 全市/市委 dominates.
    return kind


PLAN_YEAR_RE = _prefixed(
    r"(?<!\d)((?:19|20)\d{2})年(?:的)?(?:工作|政府工作|经济社会发展)?(?:的)?(?:总体要求|主要任务|主要目标|目标任务|工作安排|重点工作|预期目标|工作任务|主要预期目标)"
)
REVIEW_YEAR_RE = _prefixed(
    r"(?<!\d)((?:19|20)\d{2})年(?:的)?(?:[^，。\n\d]{0,6}?)(?:工作)?(?:的)?回顾"
    # `一、回顾2024年，我们克难攻坚…`: the review heading names its year after the verb.
    r"|(?:^|(?<=[。！!；;]))(?:[一二三四五六七八九十]+、\s*)?回顾((?:19|20)\d{2})年(?![\d月])",
    re.M,
)


# Every PLAN_YEAR_RE match holds its 年 this many characters after its start (the four digits of its year).
PLAN_YEAR_LEAD = 4
# …and every REVIEW_YEAR_RE match this word (either branch).
REVIEW_WORD = "回顾"


def search_at(rx: re.Pattern, text: str, anchor: str, lead: int, endpos: int) -> re.Match | None:
    """rx.search(text[:endpos]) for a pattern each of whose matches holds `anchor` `lead` characters after its start:
    tried only where str.find (in C) puts the anchor, in order, so the first match is the search's. The pattern's
    search tried its lookahead at every position of 30k characters (~0.5 ms a report: _report_year was ~4 % of
    extract's CPU, session 58); a lookbehind still reads the text before the position tried."""
    p = text.find(anchor, lead, endpos)
    while p >= 0:
        if m := rx.match(text, p - lead, endpos):
            return m
        p = text.find(anchor, p + 1, endpos)
    return None


def finditer_at(rx: re.Pattern, text: str, anchor: str, leads: tuple[int, ...]) -> Iterator[re.Match]:
    """rx.finditer(text) for a pattern each of whose matches holds `anchor` one of `leads` characters after its
    start: tried only at those starts (search_at's reason), each after the last match's end as finditer goes on."""
    starts: set[int] = set()
    p = text.find(anchor)
    while p >= 0:
        starts.update(p - lead for lead in leads if p >= lead)
        p = text.find(anchor, p + 1)
    nxt = 0
    for at in sorted(starts):
        if at >= nxt and (m := rx.match(text, at)):
            yield m
            nxt = max(m.end(), at + 1)


def _report_year(text: str) -> int | None:
    """Undated reports: the year they plan for (`2019年主要目标任务`), else the reviewed year + 1."""
    # A review section may name last year's targets (`2025年主要目标任务全面完成`): the report's own year is the
    # later of the planned year and the reviewed year + 1.
    cands = []
    m = search_at(PLAN_YEAR_RE, text, "年", PLAN_YEAR_LEAD, PLAN_SECTION_CHARS)
    if m:
        cands.append(int(m.group(1)))
    m = REVIEW_YEAR_RE.search(text[:REVIEW_HEADING_CHARS]) if REVIEW_WORD in text[:REVIEW_HEADING_CHARS] else None
    if m:
        cands.append(int(m.group(1) or m.group(2)) + 1)
    return max(cands) if cands else _text_year(text)


# ---- text evidence for a report's year when no date, title or `YYYY年工作回顾` states it
CN_YEAR_RE = re.compile(r"[〇零○ＯО一二三四五六七八九]{4}(?=\s*年)")
# `2013年是全面贯彻落实党的十八大精神的开局之年 … 做好今年…`: a sentence-initial `YYYY年是` tied to 今年 nearby.
YEAR_IS_RE = re.compile(
    r"(?:(?:^|[。！!；\n])[^。！!\n]{0,6}?(?<!\d)"
    # … or right after a heading the page ran into it (`…确保“十一五”开好局、起好步2006年是实施…`)
    r"|(?<=[\u4e00-\u9fff”）)])(?<![到至在于从自前后以末底初])(?=(?:19|20)\d{2}年[，,]?是(?!否)))"
    r"((?:19|20)\d{2})年[，,]?(?:是|，是)"
)
# What every YEAR_IS_RE match holds at its 年, and how far that 年 and the match's end (plus the one character its
# (?!否) reads) lie from the match's start: `；` + 6 characters + `2013` puts 年 at +11, `年，，是否` ends by +16.
YEAR_IS_LITERAL_RE = re.compile(r"年[，,]?，?是")
YEAR_IS_LEAD = 11
YEAR_IS_REACH = 17


def year_is_matches(text: str) -> Iterator[re.Match]:
    """YEAR_IS_RE.finditer(text), searched only around the 年 a match needs: the pattern's lookbehind branch can
    start at any Han character, so a plain scan tried every position of 60k characters per page (~1 % of a cold
    run, session 21). Exact: a match starting at or after `pos` has its 年 at or after the next literal p, so it
    starts at or after p - YEAR_IS_LEAD; a search bounded at p + YEAR_IS_REACH sees every character a match
    starting at or before p reads (lookbehinds read before the search start, as in finditer)."""
    pos = 0
    while (lit := YEAR_IS_LITERAL_RE.search(text, pos)) is not None:
        p = lit.start()
        m = YEAR_IS_RE.search(text, max(pos, p - YEAR_IS_LEAD), p + YEAR_IS_REACH)
        if m is not None and m.start() <= p:
            yield m
            pos = m.end()
        else:
            pos = p + 1


# … or to this year's programme (`2003年是…第一年…全市工作总的要求是`).
THIS_YEAR_CUE_RE = re.compile(r"今年|工作总的要求|工作的总体要求|工作总体要求")
# The year just reviewed: `在刚刚过去的1987年` -> that year + 1.
LAST_YEAR_EQ_RE = re.compile(r"刚刚过去的((?:19|20)\d{2})年")
# A heading announcing this year's work (`二、今年主要任务`, `三、2011年的工作`, `二、2005年工作总体部署`).
THIS_YEAR_HEAD_RE = re.compile(r"^[一二三四五六七八九十]+、\s*今年[^\n]{0,12}$", re.M)
YEAR_WORK_HEAD_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)?[^\S\n]*(?:关于)?((?:19|20)\d{2})年(?:的)?(?:政府)?工作(?:总体部署|安排|任务|总的要求|的总体要求)?$",
    re.M,
)
# The same heading run into its paragraph (`…。三、2011年的工作2011年，是…`, `二、1992年政府工作总的要求展望新的一年`).
YEAR_WORK_RE = re.compile(
    r"年(?:的)?(?:政府)?工作"
)  # what every match of the two holds (its literal 年 first: a C scan)
YEAR_WORK_HEAD_JOINED_RE = _prefixed(
    r"(?:^|(?<=[。！!；;]))[一二三四五六七八九十]+、\s*(?:关于)?((?:19|20)\d{2})年(?:的)?(?:政府)?工作"
    r"(?:总体部署|安排|任务|总的要求|的总体要求)?(?=(?:19|20)\d{2}年|今年|展望|新的一年|做好|根据|按照)"
)
# The plan or budget a report presents: `一九八六年的国民经济和社会发展计划草案`, `1956年的国家预算`,
# `1987年经济体制改革的主要任务`, `2006年国民经济和社会发展的主要预期目标`.
PLAN_YEAR2_RE = _prefixed(
    r"(?<!\d)((?:19|20)\d{2})年度?(?:的)?(?:国民经济(?:和社会发展)?(?:的)?(?:计划|主要预期目标)|国家预算|"
    r"[^，。\n\d年]{0,8}?的主要任务|工作(?:总体)?部署)"
    r"|做好((?:19|20)\d{2})年(?:的)?(?:各项)?(?:政府)?工作"
)  # `必须扎实做好2011年各项工作`
# A current-year estimate in a report given late in the year (`一九五四年预计现代工业的总产值`).
# … also with the item between (`一九六四年全国工业总产值，预计比一九六三年增长`).
PLAN_YEAR2_LEADS = (4, 6)  # where a PLAN_YEAR2_RE match holds its 年: after its four digits, or after `做好` and them
YEAR_EST_RE = _prefixed(r"(?<!\d)((?:19|20)\d{2})年(?:全年)?(?:[^，。；\n\d年]{1,10}[，,])?预计")
CN_ORD = r"[一二三四五六七八九十]{1,3}"
NPC_RE = _prefixed(rf"(?<![省市区县州旗盟])第?({CN_ORD})届(?:全国人民代表大会|全国人大|人大)第?({CN_ORD})次会议")
# A national session written short (`十四届全国人大二次会议`, `全国政协十四届二次会议`, `政协第十四届全国委员会第二次会议`): the
# same session as its full name, which the other copies of the speech (gov.cn, the NPC's own pages) give and
# NPC_MEETING_RE / NATIONAL_MEETING_RE read. Whole-field matches only; local sessions stay as written.
NPC_SHORT_RE = re.compile(rf"^第?({CN_ORD})届全国人(?:民代表)?大(?:会)?第?({CN_ORD})次(?:全体)?会议$")
NPCSC_SHORT_RE = re.compile(
    rf"^第?({CN_ORD})届全国人(?:民代表)?大(?:会)?常(?:务)?委(?:员)?会第?({CN_ORD})次(?:全体)?会议$"
)  # `十四届全国人大常委会第十次会议` -> 第十四届全国人民代表大会常务委员会第十次会议
CPPCC_SHORT_RE = re.compile(
    rf"^(?:全国政协第?({CN_ORD})届第?({CN_ORD})次会议|(?:中国人民政治协商会议|政协)第({CN_ORD})届全国委员会第({CN_ORD})次会议)$"
)


# A local session written short (`南京市十六届人大三次会议`, `州八届人大五次会议`; 8 of 595 meetings on the shared corpus):
# the form the other 475 local ones and the speech's other copies give, its place kept as written.
LOCAL_NPC_SHORT_RE = re.compile(rf"^(.*?[省市区县州旗盟]?)第?({CN_ORD})届人大第?({CN_ORD})次(?:全体)?会议$")


def _full_meeting_name(meeting: str | None) -> str | None:
    if not meeting:
        return meeting
    if (m := LOCAL_NPC_SHORT_RE.match(meeting)) and "全国" not in m.group(1):
        return f"{m.group(1)}第{m.group(2)}届人民代表大会第{m.group(3)}次会议"
    if m := NPC_SHORT_RE.match(meeting):
        return f"第{m.group(1)}届全国人民代表大会第{m.group(2)}次会议"
    if m := NPCSC_SHORT_RE.match(meeting):
        return f"第{m.group(1)}届全国人民代表大会常务委员会第{m.group(2)}次会议"
    if m := CPPCC_SHORT_RE.match(meeting):
        term, n = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return f"中国人民政治协商会议第{term}届全国委员会第{n}次会议"
    return meeting


# `向第四届全国人民代表大会作政府工作报告` (1975): a report to a new congress, no session named, is at its first.
NPC_FIRST_RE = re.compile(rf"向第({CN_ORD})届全国人民代表大会(?:作|做|提出)")
CPC_RE = re.compile(rf"党的第?({CN_ORD})次全国代表大会")
# The meeting field when it names an NPC session (`第十四届全国人民代表大会第二次会议`): its year is NPC_SESSION_YEAR's.
# 15 of the 20 NPC resolutions of the shared corpus state no adoption date and had no year (session 41).
NPC_MEETING_RE = re.compile(rf"第({CN_ORD})届全国人民代表大会第({CN_ORD})次会议")
# The session a national report addresses in its opening sentence (`我代表国务院向第六届全国人民代表大会第一次会议作
# 政府工作报告`): the meeting of 7 of the 51 national pages of the shared corpus that name none in their head.
NPC_ADDRESSED_RE = re.compile(rf"向(第{CN_ORD}届全国人民代表大会)(第{CN_ORD}次会议)?[，,]?\s*(?:作|做|提出|报告)")
# National People's Congress sessions that heard a government work report (term, session) -> year.
NPC_SESSION_YEAR = {
    (1, 1): 1954,
    (1, 2): 1955,
    (1, 3): 1956,
    (1, 4): 1957,
    (1, 5): 1958,
    (2, 1): 1959,
    (2, 2): 1960,
    (2, 3): 1962,
    (2, 4): 1963,
    (3, 1): 1964,
    (4, 1): 1975,
    (5, 1): 1978,
    (5, 2): 1979,
    (5, 3): 1980,
    (5, 4): 1981,
    (5, 5): 1982,
    **{(t, n): 1983 + 5 * (t - 6) + n - 1 for t in range(6, 16) for n in range(1, 6)},
}
CPC_CONGRESS_YEAR = {
    1: 1921,
    2: 1922,
    3: 1923,
    4: 1925,
    5: 1927,
    6: 1928,
    7: 1945,
    8: 1956,
    9: 1969,
    10: 1973,
    11: 1977,
    12: 1982,
    13: 1987,
    14: 1992,
    15: 1997,
    16: 2002,
    17: 2007,
    18: 2012,
    19: 2017,
    20: 2022,
}


def _digit_years(text: str) -> str:
    """`一九五六年` -> `1956年` (same length, so offsets stay put)."""

    def conv(m: re.Match) -> str:
        v = cn_int(m.group(0))
        return str(v) if v is not None and 1800 <= v <= 2100 else m.group(0)

    return CN_YEAR_RE.sub(conv, text)


def _npc_year(m: re.Match) -> int | None:
    return NPC_SESSION_YEAR.get((cn_int(m.group(1)) or 0, cn_int(m.group(2)) or 0))


def _session_year(text: str) -> int | None:
    """A national report's year from the congress it addresses (`向第六届全国人民代表大会第一次会议作政府工作报告`,
    `九届全国人大一次会议将要进行政府换届`), or one held last year (`从去年9月第五届全国人民代表大会第三次会议`,
    `去年召开的党的第十一次全国代表大会`) + 1, or the session five years back (`第八届…第一次会议以来的五年`) + 5."""
    for m in NPC_RE.finditer(text[:SESSION_MENTION_CHARS]):
        y = _npc_year(m)
        if y is None:
            continue
        before, after = text[max(0, m.start() - 16) : m.start()], text[m.end() : m.end() + 24]
        if "去年" in before[-LAST_YEAR_GAP:]:
            return y + 1
        if (
            re.search(r"(?:^|[，。：:！!\n])(?:[^，。：:！!\n]{0,12}?向|我们|在这次)$", before)
            and m.start() < NATIONAL_OPENING_CHARS
        ):
            return y
        if re.match(r"[，,]?到(?:这次|本次)(?:大会|会议)[^。]{0,8}?(?:已经)?(?:整整)?过(?:去)?了?五年", after):
            return y + 5  # `从第七届全国人民代表大会第一次会议，到这次大会的召开，已经整整过了五年`
        if re.match(r"(?:将要|将)(?:进行|选举)|(?:开幕|召开)之际", after):
            return y
        if re.match(r"以来的五年", after):
            return y + 5
    first = NPC_FIRST_RE.search(text[:NATIONAL_OPENING_CHARS])
    if first:
        y = NPC_SESSION_YEAR.get((cn_int(first.group(1)) or 0, 1))
        if y is not None:
            return y
    for m in CPC_RE.finditer(text[:SESSION_MENTION_CHARS]):
        y = CPC_CONGRESS_YEAR.get(cn_int(m.group(1)) or 0)
        if y is not None and re.search(r"去年(?:召开|举行)的$", text[max(0, m.start() - 8) : m.start()]):
            return y + 1
    return None


# Types whose page date is the day of what they tell (a news report, a press conference, a communiqué): a year their
# text plans for does not replace the url's.
URL_DAY_IS_NEWS_TYPES = ("新闻报道", "答记者问", "公报")


def _text_year(text: str) -> int | None:
    """The year a report speaks in, from its own words: this year's work tied to a stated year, else the plan or
    budget it presents; national reports first by the congress session they address."""
    t = _digit_years(text[:TEXT_YEAR_CHARS])
    if (
        "国务院" in t[:STATE_ORGAN_CHARS]
        or "中央人民政府" in t[:STATE_ORGAN_CHARS]
        or "全国人民代表大会" in t[:NATIONAL_OPENING_CHARS]
    ):
        y = _session_year(t)
        if y is not None:
            return y
    m = LAST_YEAR_EQ_RE.search(t)
    if m:
        return int(m.group(1)) + 1
    for m in year_is_matches(t):
        near = t[max(0, m.start() - 40) : m.end() + 160]
        if THIS_YEAR_CUE_RE.search(near) and "去年" not in t[m.start() : m.end() + 40]:
            return int(m.group(1))
    for h in THIS_YEAR_HEAD_RE.finditer(t) if "今年" in t else ():  # each match holds 今年: a C scan, not one a line
        stated = YEAR_RE.search(t[h.end() : h.end() + 40])
        if stated:
            return int(stated.group(1))
    # both patterns' matches hold `年…工作`: where the text has none, neither is tried (their ^ is tried at every position)
    w = (YEAR_WORK_HEAD_RE.search(t) or YEAR_WORK_HEAD_JOINED_RE.search(t)) if YEAR_WORK_RE.search(t) else None
    if w:
        return int(w.group(1))
    votes = Counter(int(m.group(1) or m.group(2)) for m in finditer_at(PLAN_YEAR2_RE, t, "年", PLAN_YEAR2_LEADS))
    if votes:
        plan = max(votes.items(), key=lambda kv: (kv[1], kv[0]))[0]
        # A report given late in the year presents next year's plan against this year's estimates
        # (`1981年国民经济计划…比1980年预计增长5.5%`): its own year is the estimated one.
        est = Counter(int(m.group(1)) for m in finditer_at(YEAR_EST_RE, t, "年", (PLAN_YEAR_LEAD,)))
        if est and max(est.items(), key=lambda kv: (kv[1], kv[0]))[0] == plan - 1:
            return plan - 1
        return plan
    return None


CHROME_KEY_LINE_RE = re.compile(r"(?:来源|发布时间|发布日期|发表时间|更新时间|时间|日期)\s*[:：]\s*$")


def _chrome_key_line(line: str) -> bool:
    """CHROME_KEY_LINE_RE.search(line), searched only in a line that ends in its colon (most head lines do not)."""
    return line.rstrip().endswith((":", "：")) and bool(CHROME_KEY_LINE_RE.search(line))


# A page stamp a PDF's width wrapped (`發布時間:2021-03-25 來源: 實習報` / `告 點擊:`, the normalizer removes both
# lines under one rule): read as one line first, so `来源：` gives the whole value. A next line that opens with its own
# label (`来源：A` / `来源：B`) is a stamp of its own.
STAMP_RULES = ("chrome.published_at", "chrome.source")
STAMP_LABEL_START_RE = re.compile(r"^\s*(?:来源|时间|日期|发布|发表|更新|点击|浏览|阅读|作者|编辑|责任编辑|字号)")


def _wrapped_stamps(removed_lines: Sequence) -> tuple[list[str], set[int]]:
    """The stamps wrapped over two removed lines, joined; and the line numbers they join (read no more alone)."""
    rows = [r for r in removed_lines if len(r) >= 3 and str(r[2]) in STAMP_RULES and str(r[0]).isdigit()]
    pairs = [(a, b) for a, b in pairwise(rows) if int(b[0]) == int(a[0]) + 1 and a[2] == b[2]]
    if not pairs:
        return [], set()
    firsts = simplify_lines([str(a[1]).strip() for a, _ in pairs])
    seconds = simplify_lines([str(b[1]).strip() for _, b in pairs])
    joined, used = [], set()
    for (a, b), x, y in zip(pairs, firsts, seconds, strict=True):
        if not STAMP_LABEL_START_RE.match(y):
            joined.append(x + y)
            used |= {int(a[0]), int(b[0])}
    return joined, used


def _chrome_lines(raw_text: str, removed_lines: Sequence, text: str) -> list[str]:
    lines, used = _wrapped_stamps(removed_lines)
    lines += [
        str(r[1]) for r in removed_lines if len(r) >= 2 and not (used and str(r[0]).isdigit() and int(r[0]) in used)
    ]
    if raw_text:
        raw_head = raw_text[:RAW_HEAD_CHARS].splitlines()[:RAW_HEAD_LINES]
        lines += [x for k, x in enumerate(raw_head, 1) if k not in used] if used else raw_head
        # `来源：` / `发表时间：` with the value on the next line: read as one line, as a joined page gives it.
        # (blank lines between skipped: a WeChat copy puts an empty <p> after each line)
        lines += [a.strip() + b.strip() for a, b in pairwise([x for x in raw_head if x.strip()]) if _chrome_key_line(a)]
        lines += raw_text[-RAW_TAIL_CHARS:].splitlines()[-RAW_TAIL_LINES:]
    lines = simplify_lines(lines)  # the raw page's lines, Simplified (one OpenCC call, not one a line)
    text_head = text[:TEXT_CHROME_CHARS].splitlines()[:HEAD_MAX_LINES]
    lines += text_head
    lines += [a.strip() + b.strip() for a, b in pairwise(text_head) if _chrome_key_line(a)]
    # A page that lost its line breaks keeps its chrome (`来源：解放日报时间：2026-02-09`) in the text: read it
    # span by span as the header tokenizer cuts it.
    lines += header_segments(text)[0]
    # Chrome run together where a scraper joined the head's lines a few at a time (`来源：云南日报2026-02-03
    # 09:02:33【字体：`, `来源：宁夏日报客户端阅读量：`): each keyed value, stamp and toolbar read alone too, after the
    # lines as given (a reader takes the first line it can read, so a page whose lines gave a value keeps it).
    lines += [piece for x in dict.fromkeys(lines) for piece in _chrome_pieces(x)]  # a line the head repeats: once
    return [clean_line(x) for x in lines if x.strip()]


def _chrome_pieces(line: str) -> tuple[str, ...]:
    """The spans of a chrome line cut where page chrome starts or ends (`_split_chrome`); none when it has no inner
    cut. A short line's are remembered: a site's chrome and the head lines its pages share come back page after page
    (a 20k-bench shard asked for 30 distinct lines a page, ~30 % of them again, session 58)."""
    return _chrome_pieces_memo(line) if len(line) <= LINE_MEMO_MAX_CHARS else _chrome_pieces_of(line)


def _chrome_pieces_of(line: str) -> tuple[str, ...]:
    cuts = _split_chrome(line)
    if not cuts:  # most lines (body text the head and tail windows hold)
        return ()
    # never a cut after 于 (`…突发多种疾病，于2006年7月29日12时10分病逝`): a sentence's date with its clock, which cut alone
    # passed for a page stamp (a eulogy's second example dated its 2018 page: session 59's fresh pages)
    cuts = sorted({a for a in cuts if 0 < a < len(line) and line[a - 1] not in DATE_CLAUSE_MARKS})
    if not cuts:
        return ()
    return tuple(p for a, b in pairwise([0, *cuts, len(line)]) if (p := line[a:b].strip()))


DATE_CLAUSE_MARKS = "于於"


_chrome_pieces_memo = lru_cache(maxsize=LINE_MEMO_SIZE)(_chrome_pieces_of)


# the label of a title a page repeats: a doc site's `文章标题：` / `本文标题：`, a disclosure table's `标 题：|` / `文件名称 |`
TITLE_LABEL_RE = re.compile(r"^(?:(?:本文|文章)标题|标\s*题|文件名称|信息名称)\s*[:：]?\s*[|｜]?\s*")
FAVOURITE_TITLE_RE = re.compile(r"^收藏《(.{2,60})》[）)]?$")  # 新文秘网's `收藏《在全市领导干部大会上的讲话》）`
# a 范文 site's introduction names the text: `下面是小编为大家整理的…讲话，供大家参考。`, `…分享一些关于…讲话稿3篇，…`
INTRO_TITLE_RE = re.compile(
    r"小编(?:为|给)?(?:大家|您)?(?:精心)?(?:整理|收集|搜集|带来|分享|推荐)(?:的|了)(?P<t>[^，。,]{4,60}?)[，。,]"
)


CAPTION_RULES = ("markup.html_comment", "chrome.photo_caption")
_CAPTION_DONE = ("。", "摄", "报道", "供图", "）", ")")


def _removed_captions(removed_lines: Sequence) -> list[str]:
    """The photo captions (and HTML comments) the normalizer cut, in page order; a caption hard-wrapped over
    consecutive lines (`…开幕。省长毛伟` / `明作政府工作报告。…刘尚文 摄`, a PDF's text) is one caption again."""
    out: list[str] = []
    last: int | None = None
    for r in removed_lines:
        if len(r) < 3 or str(r[2]) not in CAPTION_RULES:
            continue
        line, v = (int(r[0]) if str(r[0]).isdigit() else None), str(r[1]).strip()
        if (
            out
            and str(r[2]) == "chrome.photo_caption"
            and line is not None
            and last is not None
            and line == last + 1
            and not out[-1].endswith(_CAPTION_DONE)
        ):
            out[-1] += v
        else:
            out.append(v)
        last = line
    return out


def _page_title(page_title: str | None, raw_text: str, removed_lines: Sequence, text: str) -> str | None:
    found = _page_title_as_given(page_title, raw_text, removed_lines, text)
    return _undouble_title(found) if found else found  # a title given twice: once


# A congress speech's salutation run into its first paragraph (`各位代表！我代表国务院，向大会作政府工作报告…`: a page
# whose head kept no line of its own, wikisource 1988 in bench/reflow.py's head_with_paragraph): the speech has begun,
# so the outline heading below (`过去五年国内工作的基本总结`) is no page title. Only the words a speech to a congress or
# meeting opens with: `亲爱的用户：` opens a site's notice, above the title.
SPEECH_OPENS_RE = re.compile(r"^(?:各位代表|各位委员|同志们|代表们)[:：!！,，]")


# A news page joined into one line, its headline run into the lead's wire dateline after a space (`在全面深化改革新征程上
# 汇聚力量——全国政协十二届二次会议开幕会侧记 新华社北京3月3日电（新华社记者 …）3日下午…`, a 侧记 copy): the headline is
# what stands before the dateline (no sentence end in it, at most HEADLINE_WIRE_MAX characters).
HEADLINE_WIRE_MAX = 60
HEADLINE_WIRE_RE = re.compile(
    rf"([^。！？\s][^。！？]{{5,{HEADLINE_WIRE_MAX}}}?)\s+(?=[{HAN}]{{1,6}}(?:社|网|报)[{HAN}]{{0,6}}\d{{1,2}}月\d{{1,2}}日(?:专)?电)"
)


# A doc site's speech title run into the text's first sentence, no salutation between (`在2022年县元旦团拜会上的致辞文稿
# 一年一度的元旦即将来临。今天，…`, wenke99: session 59's fresh pages were untitled and untyped): `在…上的` and a speech's word,
# then a whole short sentence (no comma before its full stop), as no body sentence opening on `在…上的讲话` goes on
GLUED_SPEECH_TITLE_RE = re.compile(
    rf"^(在[^，。；！？:：\s]{{2,60}}?上的?(?:重要)?{DOC_END}(?:文稿)?)(?=[^，。；！？:：\s]{{4,30}}[。！])"
)


# A press release and its copies put the title right above the lead that hands the text over (`以下為政務司司長曾蔭權
# 今日…的發言全文：`, `以下是署理行政長官…的發言：`); what stands higher is the site's banner, link bar, section or a
# series' name (`新聞公報`, `寄給朋友政府主網頁`, `荃話題`, `迎接新的特首 - 曾蔭權`). Session 49's fresh pages: 3 of 22 dev
# pages (info.gov.hk, cmab.gov.hk, a fan site's copy) were titled by one of those lines.
PRESS_LEAD_LINE_RE = re.compile(
    rf"(?:以下|下面)(?:为|是)[^。！？]{{2,100}}?(?:致辞|致词|讲话|演讲|演说|发言|谈话|{_GREETING_WORDS})(?:的?全文|内容|\s*[:：])"
)
# a line set in spaced letters (`署 理 行 政 長 官 記 者 會 發 言 全 文`, cmab.gov.hk's releases): read without its spaces
LETTER_SPACE_RE = re.compile(rf"(?<=[{HAN}])[ \u3000](?=[{HAN}（(])|(?<=[{HAN}）)])[ \u3000](?=[{HAN}])")
LETTER_SPACED_LINE_RE = re.compile(rf"[{HAN}](?:[ \u3000][{HAN}])+")


def _press_lead_title(lines: list[tuple[int, str]], skip: set[int]) -> str | None:
    """The line above a press release's lead (`以下为…全文：`) among the head's first HEAD_SHORT_LINES lines."""
    filled = 0
    for k, (_, line) in enumerate(lines):
        v = line.strip()
        if not v:
            continue
        filled += 1
        if filled > HEAD_SHORT_LINES:
            return None
        if not v.startswith(("以下", "下面", "以 下", "下 面")):
            continue  # the cheap gate: only a line opening as a lead is converted and matched
        if not PRESS_LEAD_LINE_RE.match(LETTER_SPACE_RE.sub("", clean_line(simplify(v)))):
            return None
        for i, above in reversed(lines[:k]):
            t = clean_line(simplify(above)) if i not in skip else ""
            if LETTER_SPACED_LINE_RE.fullmatch(t):
                t = LETTER_SPACE_RE.sub("", t)
            if t and not is_junk_title(t):
                return FOOTNOTE_RE.sub("", t).strip() or None
        return None
    return None


# A forum's print page labels its thread's subject (`主題: 東引鄉長林德建2025新年感言`, matsu.idv.tw; session 55's fresh
# pages): the label is no part of the title.
FORUM_SUBJECT_RE = re.compile(r"^主题\s*[:：]\s*(?=\S{4})")


# A site's chrome above a page's headline (session 56's fresh pages: a weather widget's `今日氣溫`, a greeting
# `您好！今天是`, a column name `社会广角`, a portal's menu `114全運在雲林` / `嘉市潮選店` / …) shares no word with the
# text: a short first line none of whose character pairs the prose repeats is weighed against the lines below it. A
# headline agrees with its lead (a third of its pairs, at least three, as `政府總部下周六日對外開放` over
# `【特訊】政府總部將於本月…向公眾開放`; session 56's dev headlines 0.35-0.8); menus and labels under 0.25.
CHROME_TITLE_MAX = 12  # the chrome lines above a headline on session 56's pages were 4-8 characters
HEADLINE_AGREE_SHARE = 1 / 3
HEADLINE_AGREE_MIN = 3
HEADLINE_MAX = 60  # HEADLINE_WIRE_MAX: a headline, not a sentence of the lead
MENU_RUN = 3  # three short lines agreeing with nothing before the lead: a menu, and no headline among them
PROSE_LINE_MIN = 40  # a line of the text this long is prose (a lead, a paragraph), not a head's label or headline
PROSE_CHARS = 4000


NOT_HAN_RE = re.compile(rf"[^{HAN}]+")


@lru_cache(maxsize=1)
def _prose_han(text: str) -> str:
    """The Han characters of the text's prose lines (its lead and first paragraphs), run together: a character pair
    is the prose's when it occurs in them (`pair in han`, the same test as membership in the set of its adjacent
    pairs). Building that set of ~3k pairs and finding the Han characters one match each was ~1.7 ms of every page
    with a short first line, +20 % of session 56's cold extract; the run, once a page, ~0.2 ms."""
    prose = "".join(x for x in text[:PROSE_CHARS].splitlines() if len(x.strip()) >= PROSE_LINE_MIN)
    return NOT_HAN_RE.sub("", simplify(prose))


def _agreement(line: str, han: str) -> tuple[int, int]:
    """(pairs of the line's Han runs the prose repeats, pairs of the line)."""
    own = {r[i : i + 2] for r in re.findall(rf"[{HAN}]+", simplify(line)) for i in range(len(r) - 1)}
    return sum(pair in han for pair in own), len(own)


def _agreeing_headline(cands: list[str], pairs: str, quoting: bool = False) -> str | None:
    """The first line below a chrome run that agrees with the prose as a headline does; `quoting` lets a headline
    quote its speaker after a colon (`燈會開燈祈福 蔡總統:新的一年…`), never one opening as a speech's subtitle (`在…`)."""
    for v in cands:
        if not (6 <= len(v) <= HEADLINE_MAX) or is_junk_title(v):
            continue
        if (":" in v or "：" in v) and not (quoting and COLON_HEADLINE_RE.match(v)):
            continue
        if quoting and (v.startswith("在") or SPEECH_TITLE_END_RE.search(v)):
            continue  # a speech's own title or subtitle under a series label (`市十六届人大七次会议文件(三)`) stays below it
        hit, n = _agreement(v, pairs)
        if hit >= HEADLINE_AGREE_MIN and hit >= HEADLINE_AGREE_SHARE * n:
            return v
    return None


def _han_count(line: str) -> int:
    """Han characters of a line: a site's name with its English one (`京海傳媒 | Jinghai Media`) is as short as a label."""
    return len(vocab.HAN_RE.findall(line))


def _over_chrome(first: str, below: Callable[[], list[str]], text: str) -> tuple[bool, str | None]:
    """(weighed, title) for a first title line: not weighed when it is long or agrees with the prose at all; else the
    agreeing headline below it, or None when it opens a menu run (MENU_RUN short lines agreeing with nothing). The
    lines below are read only then (`below`)."""
    if _han_count(first) > CHROME_TITLE_MAX:
        return False, None
    pairs = _prose_han(text)
    if len(pairs) < 2 or not _stranger(first, pairs):
        return False, None
    rest = below()
    found = _agreeing_headline([x for x in rest if not x.startswith(("—", "-", "("))], pairs)
    if found:
        return True, found
    run = [first, *rest[: MENU_RUN - 1]]
    if len(run) == MENU_RUN and all(
        len(x) <= CHROME_TITLE_MAX and _stranger(x, pairs) and not is_junk_title(x) for x in run
    ):
        return True, None
    return False, None


SPEECH_TITLE_END_RE = re.compile(DOC_END + r"$")
# A headline quoting its speaker after a colon (`燈會開燈祈福 蔡總統:新的一年不分黨派…`): words before the colon, then the
# quote — not a label's key (`来源：`, `时间：`), which the colon ends within its first four characters.
COLON_HEADLINE_RE = re.compile(r"^[^:：]{5,}[:：]\s*\S{4}")


def _over_stranger(first: str, below: Callable[[], list[str]], text: str) -> tuple[bool, str | None]:
    """(weighed, title) for a first title line longer than a label that shares no words with the prose (udn's `快訊`
    ticker item above the headline, a portal's link to another item over its menu; session 59's fresh pages): the
    headline below it that agrees with the prose, or no title when a menu run (MENU_RUN short strangers) follows it.
    Not weighed when it agrees with the prose (a headline) or is longer than a headline."""
    if len(first) > HEADLINE_MAX:
        return False, None
    pairs = _prose_han(text)
    if len(pairs) < 2 or not _stranger(first, pairs):
        return False, None
    rest = below()
    found = _agreeing_headline([x for x in rest if not x.startswith(("—", "-", "("))], pairs, quoting=True)
    if found:
        return True, found
    run = rest[:MENU_RUN]
    if len(run) == MENU_RUN and all(
        _han_count(x) <= CHROME_TITLE_MAX and _stranger(x, pairs) and not is_junk_title(x) for x in run
    ):
        return True, None
    return False, None


def _stranger(line: str, pairs: str) -> bool:
    """A line the prose shares at most one character pair with, and fewer than half of its pairs (`今日氣溫`: `今日`)."""
    hit, n = _agreement(line, pairs)
    return hit <= 1 and hit * 2 < max(n, 1)


def _page_title_as_given(page_title: str | None, raw_text: str, removed_lines: Sequence, text: str) -> str | None:
    if page_title:
        return clean_line(simplify(page_title)) or None
    skip = {
        int(r[0])
        for r in removed_lines
        if len(r) >= 3 and not str(r[2]).endswith("title") and str(r[0]).lstrip("-").isdigit()
    }
    for r in removed_lines:
        if len(r) >= 3 and str(r[2]).endswith("title"):
            v = clean_line(simplify(str(r[1])))
            v = re.sub(r"^title\s*[:：]\s*", "", v).strip().strip("'\"")
            v = FAVOURITE_TITLE_RE.sub(r"\1", TITLE_LABEL_RE.sub("", v).strip(" |｜"))  # `标 题：| 某镇…报告 |`
            if (
                v
                and str(r[2]) == "chrome.repeated_title"
                and _han_count(v) <= CHROME_TITLE_MAX
                and not is_junk_title(v)
            ):
                pairs = _prose_han(text)
                if len(pairs) >= 2 and _stranger(v, pairs):
                    continue  # a widget's label repeated (`今日氣溫` twice, tainan.gov.tw): it agrees with no prose
            if v and not (str(r[2]) == "chrome.repeated_title" and is_junk_title(v)):
                return _banner_segment(v, text) or v  # a repeated banner (`新聞發布` twice) is chrome, not a title
    src = raw_text or text
    fm = re.match(r"^\s*---\s*\n(.*?)\n---\s*\n", src[:FRONT_MATTER_CHARS], re.S)
    if fm:
        m = re.search(r"^title\s*[:：]\s*(.+)$", fm.group(1), re.M)
        if m:
            return clean_line(simplify(m.group(1))).strip("'\"") or None
        src = src[fm.end() :]
    seen = 0
    lines = [(i, x) for i, x in enumerate(src[:HEAD_CHARS].splitlines(), 1)]
    filled = [k for k, (_, x) in enumerate(lines) if clean_line(x)][:HEAD_SHORT_LINES]
    # each head line Simplified once (a pair's second line is the next pair's first, and the loop below reads them
    # again), the first ones in one OpenCC call: on Traditional pages ~2 % of extract's CPU was these lines' per-line
    # conversions (session 58)
    simple = dict(zip((lines[k][1] for k in filled), simplify_lines([lines[k][1] for k in filled]), strict=True))

    def simplified(x: str) -> str:
        if (got := simple.get(x)) is None:
            got = simple[x] = simplify(x)
        return got

    for a, b in itertools.pairwise(filled):  # `政府工作报` / `告`: a title broken before its end
        joined = _joined_title_lines([clean_line(simplified(lines[a][1])), clean_line(simplified(lines[b][1]))])
        if len(joined) == 1:
            lines = [*lines[:a], (lines[a][0], joined[0]), *lines[a + 1 : b], *lines[b + 1 :]]
            break
    if lines:
        # A page that lost its line breaks (a first line that is long or runs on into the salutation): its first
        # spans as the header tokenizer cuts them.
        first = lines[0][1]
        spans = header_segments(simplified(first))[0] if len(first) > 40 else []
        if len(first) > 100 and len(spans) == 1 and (m := HEADLINE_WIRE_RE.match(simplified(first))):
            spans = [m.group(1), spans[0][m.end(1) :]]  # `…开幕会侧记 新华社北京3月3日电（…）3日下午…`: the headline
        elif len(first) > 100 and len(spans) == 1 and (m := GLUED_SPEECH_TITLE_RE.match(spans[0])):
            spans = [m.group(1), spans[0][m.end(1) :]]  # `在…团拜会上的致辞文稿一年一度的元旦即将来临。`: the title
        if len(first) > 100 or (spans and SALUTATION_RE.match(clean_line(spans[-1]))):
            lines = [(0, x) for x in spans] + lines[1:]
    lead_title = _press_lead_title(lines, skip if src is raw_text else set())
    if lead_title:
        return lead_title
    for i, line in lines:
        if src is raw_text and i in skip:
            continue  # breadcrumb / download notice lines are not the page's title
        v = FORUM_SUBJECT_RE.sub("", clean_line(simplified(line)))
        if i == 0 and HEAD_CHROME_END_RE.fullmatch(v):
            continue  # a span of page chrome (`您的当前位置:首页正文`) cut from a joined head
        if v and v != "---":
            if v.startswith("title:"):
                return v[6:].strip().strip("'\"") or None
            if BULLET_ITEM_RE.fullmatch(v) or LINK_BAR_RE.fullmatch(v):
                continue  # a menu's bullets (`• 馆内` `• 馆际` `• 站内`, twice) are chrome: they do not use up the head
            seen += 1
            if len(v) > 100 or seen > 8 or SALUTATION_RE.match(v) or SPEECH_OPENS_RE.match(v):
                return None  # the body (or the salutation) starts: this page shows no title
            if is_junk_title(v):
                continue  # a dateline, byline or outline heading is not a title
            v = FOOTNOTE_RE.sub("", v).strip()
            if v and _han_count(v) <= CHROME_TITLE_MAX:
                below = partial(_lines_below, lines, i, skip if src is raw_text else set())
                weighed, found = _over_chrome(v, below, text)
                if weighed:
                    return found
            elif v:
                below = partial(_lines_below, lines, i, skip if src is raw_text else set())
                weighed, found = _over_stranger(v, below, text)
                if weighed:
                    return found
            return v or None
    return None


# A page title joining the site, its channel and the headline (`非凡音廣播電台 LIBRA RADIO FM98.5 - 焦點新聞 - 連江縣第8屆
# 縣長王忠銘宣誓就職`, `县委书记讲话_领导讲话_某某网`: session 56's fresh pages): the part the page sets again as a line
# of its own is the headline.
BANNER_SPLIT_RE = re.compile(r"\s+[-–—|｜_]\s+|_|\s*[|｜]\s*")


def _banner_segment(title: str, text: str) -> str | None:
    """The part of a joined banner title that stands alone as a line of the text's head."""
    parts = [x.strip() for x in BANNER_SPLIT_RE.split(title)]
    if len(parts) < 2:
        return None
    own = {clean_line(x) for x in text[:HEAD_CHARS].splitlines()}
    return next((x for x in parts if len(x) >= 6 and x in own and not is_junk_title(x)), None)


# A doc site's SEO heading gives one title in several phrasings (`2022院长在开学典礼上的讲话院长在开学典礼上的讲话
# 校长在开学典礼上发言稿`, wenke99: session 56's fresh pages): its parts each end on a speech's word; the first is the
# title, once (a year before its first copy, `2022`, stays).
SEO_PART_MIN = 6
SEO_PART_END_RE = re.compile(rf"{DOC_END}$")
SEO_REPEAT_RE = re.compile(r"^(\S{0,6}?)(\S{6,}?)\2$")


def _seo_title(t: str) -> str:
    """The first of a doc site's phrasings of one title, given once."""
    parts = t.split()
    if len(parts) > 1 and all(len(x) >= SEO_PART_MIN and SEO_PART_END_RE.search(x) for x in parts):
        t = parts[0]
    m = SEO_REPEAT_RE.match(t)
    if m and SEO_PART_END_RE.search(m.group(2)) and (not m.group(1) or m.group(1).isdigit()):
        return m.group(1) + m.group(2)
    return t


def _lines_below(lines: list[tuple[int, str]], i: int, skip: set[int]) -> list[str]:
    """The head's lines after line i that the normalizer kept, up to the first line of prose."""
    out = []
    for j, line in lines:
        if j <= i or j in skip:
            continue
        v = clean_line(simplify(line))
        if not v:
            continue
        if len(v) >= PROSE_LINE_MIN and not v.endswith(("|", "｜")):
            break
        out.append(v)
    return out


ADOPTED_LINE_RE = re.compile(r"^[（(][^（）()\n]{4,60}?通过[）)]\s*")


def _resolution_title(text: str) -> tuple[str | None, str | None]:
    """An NPC resolution's name: stated (`…会议关于政府工作报告的决议`) or built from its opening sentence
    (`第十四届全国人民代表大会第二次会议听取和审议了…所作的政府工作报告` -> `…会议关于政府工作报告的决议`)."""
    head = text[:OPENING_PARA_CHARS]
    if "决议" not in head and "批准" not in text[:RESOLUTION_CHARS]:
        return None, None
    # The name on its own line, or a span of a head whose line breaks were lost (the adoption line cuts it).
    for line in head.splitlines()[:RESOLUTION_HEAD_LINES] + header_segments(head)[0][:RESOLUTION_HEAD_LINES]:
        t = clean_line(line)
        if RESOLUTION_NAME_RE.match(t):
            m = re.match(r"^(.*?会议)关于", t)
            return t, m.group(1) if m else None
    flat = re.sub(r"\s+", "", head)
    for line in [flat] + [clean_line(x) for x in head.splitlines()[:RESOLUTION_HEAD_LINES]]:
        # the adoption line run into the opening sentence (`(2023年2月3日义乌市…会议通过)义乌市…听取和审议了…`: a
        # Traditional copy that lost the line break; this round's fresh pages were untyped)
        line = ADOPTED_LINE_RE.sub("", line, count=1) if line[:1] in "（(" else line
        m = RESOLUTION_RE.match(line)
        if m and re.search(r"批准(?:这个|该|了)?报告|决定批准|会议批准", text[:RESOLUTION_CHARS]):
            report = m.group("report").strip("“”")
            return f"{m.group('meeting')}关于{report}的决议", m.group("meeting")
    return None, None


def extract_fields(
    text: str,
    *,
    raw_text: str = "",
    removed_lines: Sequence[tuple[int, str, str]] = (),
    page_title: str | None = None,
    url: str | None = None,
) -> dict:
    """Document-level fields of one speech (see module doc); never raises on odd input."""
    try:
        return _extract_fields(text or "", raw_text or "", removed_lines or (), page_title, url)
    except Exception as exc:  # noqa: BLE001 - bad input must not stop the pipeline: report it as a flag
        out = _empty_fields()
        out["flags"] = {"extract_error": 1, f"extract_error.{type(exc).__name__}": 1}
        return out


def _empty_fields() -> dict:
    return {
        "title": None,
        "page_title": None,
        "doc_type": None,
        "speaker_name": None,
        "speaker_title": None,
        "admin_level": None,
        "region": None,
        "region_code": None,
        "region_mentions": [],
        "meeting": None,
        "delivered_on": None,
        "published_on": None,
        "year": None,
        "source_site": None,
        "url": None,
        "flags": {},
    }


def _crawl_date_head(text: str, raw_text: str) -> tuple[str, str, dt.date | None]:
    """(text, raw_text, date) with a crawler's leading date field (CRAWL_DATE_HEAD_RE) cut from both: the date is the
    page's, the field no part of its title or lead."""
    if raw_text[:64].lstrip()[:4].lower() != "date":
        return text, raw_text, None  # the cheap gate: nearly every page
    m = CRAWL_DATE_HEAD_RE.match(raw_text)
    if m is None:
        return text, raw_text, None
    t = CRAWL_DATE_TEXT_RE.match(text)
    return (text[t.end() :] if t else text), raw_text[m.end() :], make_date(m["y"], m["m"], m["d"])


def _extract_fields(text: str, raw_text: str, removed_lines: Sequence, page_title: str | None, url: str | None) -> dict:
    out = _empty_fields()
    flags: dict[str, int] = {}
    text = to_half(text) if text else text
    text, raw_text, crawl_date = _crawl_date_head(text, raw_text)
    head, sal, body_start = _head_lines(text)
    if sal < 0:
        recovered = _head_from_removed(removed_lines)
        if recovered:
            head2, sal2, _ = _head_lines(recovered + "\n" + text[:HEAD_CHARS])
            if sal2 >= 0:
                head, sal = head2, sal2
                # Read the cut header (its `我代表市人民政府向大会报告工作` names the doc type) with the text.
                text = recovered + "\n" + text
                body_start += len(recovered) + 1
    ptitle = _page_title(page_title, raw_text, removed_lines, text)
    res_title, res_meeting = _resolution_title(text)
    title = _speech_title(head) or res_title
    if title is None:
        # A breadcrumb the scraper ran into the title (`您的位置:首页>要闻要闻2026年政府工作报告`) is cut whole by
        # the normalizer: read the title from its last step.
        crumbs = [str(r[1]) for r in removed_lines if len(r) >= 3 and str(r[2]) == "chrome.breadcrumb"][:3]
        title = _speech_title(
            [clean_line(simplify(re.split(r"[>＞»]", c)[-1])) for c in crumbs if re.search(r"[>＞»]", c)]
        )
        if title and ptitle and title not in ptitle and not is_junk_title(ptitle):
            title = None  # `首页 > 新闻发布 > 部领导讲话`: the channel, when the page title names another text
    if title is None:
        intros = [str(r[1]) for r in removed_lines if len(r) >= 3 and str(r[2]) == "chrome.intro"][:2]
        # the note the site puts after the title it names (`…调度会议上讲话【精选推荐】,供大家参考。`: this round's fresh pages)
        named = [_unnote_title(m.group("t")) for x in intros if (m := INTRO_TITLE_RE.search(clean_line(simplify(x))))]
        title = _speech_title(named)
    if title is None and ptitle and not is_junk_title(ptitle):
        title = SUBTITLE_RE.sub("", _headline_speaker(TITLE_TAG_RE.sub("", _strip_site(ptitle)))[1]) or None
        m = PAGE_TITLE_DATELINE_RE.search(title or "")
        if title and m and m.start() >= 4 and find_date(m.group(1)):
            title = title[: m.start()]
        lines = [x.strip() for x in head]
        if title in lines[:-1] and (cont := TITLE_PURPOSE_RE.match(lines[lines.index(title) + 1])):
            title = f"{title} {cont.group(0)}"  # 决胜全面建成小康社会 / 为夺取…伟大胜利: a two-line slogan title
    if (
        title is None
        or is_junk_title(title)
        or BREADCRUMB_TITLE_RE.match(title)
        # a site's banner over the page (`视界千岛湖`, a label's length, from the page's first line, naming no genre)
        # gives way to the genre headline below it (`…开幕式侧记`: session 59's fresh pages)
        or (
            page_title is None and title == ptitle and _han_count(title) <= CHROME_TITLE_MAX and not _genre_title(title)
        )
    ):
        # a headline that names its news genre (`“…”——某某与中外记者见面侧记`) and no speech word: the page's title
        lines = [x.strip() for x in text[:HEAD_CHARS].split("\n", HEAD_SHORT_LINES)[:HEAD_SHORT_LINES]]
        # the normalizer may take a short dashed headline for a photo caption and remove it
        lines += [clean_line(simplify(str(r[1]))) for r in removed_lines[:HEAD_SHORT_LINES] if len(r) >= 3]
        genre = next((x for x in lines if GENRE_TITLE_LINE_RE.match(x) and _genre_title(x)), None)
        title = genre or title
    out["page_title"] = ptitle
    for _ in range(TEXT_NOTES_MAX):
        # read at the tail only: linear on a page title of any length; notes stack (`…致辞全文(只有中文)(附图/短片)`:
        # 全文 stayed behind the site's notes while `…致辞全文` alone lost it, session 57 settled it: one rule, dropped)
        if not title or not (note := TEXT_NOTE_SUFFIX_RE.search(title, max(0, len(title) - TEXT_NOTE_TAIL))):
            break
        if note.start() == 0:
            break
        title = title[: note.start()]
    if title:
        # a news page's note before its headline (`（现场实录）习近平…的讲话`) and a table cell's bar after it
        # (`省长…征求对政府工作意见 |`): held-out news pages (k3)
        title = title[pre.end() :] if (pre := TEXT_NOTE_PREFIX_RE.match(title)) else title
        if "://" in title:
            title = title[: m.start()] if (m := TITLE_URL_TAIL_RE.search(title)) and m.start() > 0 else title
        title = TITLE_CLOCK_TAIL_RE.sub("", title).rstrip(" \t|｜│丨") or None
        # a photo album's date run before the headline (`20100907-兩鄉一鎮昨在烈嶼聯誼`: session 61's fresh pixnet page)
        if title:
            title = TITLE_DATE_PREFIX_RE.sub("", title) or None
        title = TITLE_REPORTER_TAIL_RE.sub("", title) if title and "记者" in title else title
        title = _unnote_title(title) if title else None
    if title and len(title) > 2 * SEO_PART_MIN:
        title = _seo_title(title)
    if title and title[-1:] in COLLECTION_NUMBER_ENDS:
        # a collection's number on a title read from the page title (`全市工业经济工作会议讲话材料(2)`, its next item
        # headed `…讲话材料篇3`: session 53's fresh pages), cut as the head's titles have it cut (_unchrome_title)
        title = TITLE_NUMBERING_RE.sub("", title) or title
    if title and title[:1] == "《" and title[-1:] == "》" and title.count("《") == 1:
        # a doc site's title set whole in book-title marks (`《追悼会发言稿(通用4篇)》` under its breadcrumb: bxzi, session 60)
        title = TITLE_NUMBERING_RE.sub("", title[1:-1]) or None
    if (labelled := _labelled_title(text)) is not None:
        title = labelled  # a forum's printable page: `[打印本页]` / `标题：` / `老秘答什么是悼词？`
    if title and (own := _own_title_line(text, title)):
        title = own  # `在…结业仪式上的讲话用心用爱…新局面` over `在…结业仪式上的讲话` on its own line
    out["title"] = title

    news = _news_report(title or ptitle, text)
    press = _press_conference(title or ptitle, text)
    if press and news and not _press_turn(text, title or ptitle) and not _press_headline(title or ptitle):
        # a news item on a press conference (`人民网北京2月29日电 今天上午，国新办在京举行新闻发布会，…尹蔚民表示，`): a
        # dated lead reporting in the third person, no question put and none answered — the news of it, not its
        # transcript (session 54's fresh wire copies were typed 答记者问 by the 新闻发布会 their headline or lead named)
        # — unless its own headline names the conference (`二十大新闻中心第一场集体采访`: the transcript's page, excerpted)
        press = False
    quoted = _quote_headline_name(title or ptitle, text)
    news = (news or quoted is not None) and not press
    name, office, _bi = _byline(head)
    if office and name is None and _bi >= 0 and ANON_TAIL_RE.search(head[_bi]):
        flags["anonymized_speaker"] = 1  # `县委书记 XXX`
    t_name, t_office, anon = _title_speaker(title)
    if not office:
        for t in (ptitle,):
            if t and (t_office is None):
                p_name, t_office, anon = _title_speaker(t)
                t_name = (
                    p_name or t_name
                )  # `姜某在…上的表态发言` names no office: the page title must not drop the name
    if anon:
        flags["anonymized_speaker"] = 1
    if office is None:
        office = t_office
    if name is None and not anon and res_title is None:
        name = t_name
        if name is None and ptitle:
            m = PAGE_TITLE_NAME_RE.search(to_half(ptitle))
            if m and is_name(m.group(1)):
                name = m.group(1)
        if name is None:
            name = _bare_name(head, sal >= 0)
            if name is not None and name in _view_count_names(raw_text):
                name = None  # `访问次数: 王某`: the view count's reporter, not a byline
        if name is None:
            note = _editor_note(head)
            name = (
                note.group("name")
                if note and (is_name(note.group("name")) or note.group("name") in _leaders())
                else None
            )
    subtitle = _subtitle(head)
    if name is None and not anon and res_title is None and subtitle:
        name, s_office, _ = _title_speaker(subtitle)
        office = office or (s_office if name else None)
    if name is None and not anon and res_title is None:
        for line in [*head[:HEADLINE_LINES], ptitle or ""]:
            name = _headline_speaker(line)[0]
            if name:
                break
    if name is None and not anon and res_title is None and press:
        name, p_office = _press_speaker(text)
        office = office or (p_office if name else None)
    if name is None and not anon and res_title is None:
        # the photo caption of the report (`赵立香作政府工作报告`, in the head) names the speaker too
        caption = _removed_captions(removed_lines)[:3]
        name, c_office = _caption_speaker(head + caption, sentences=True)
        office = office or (c_office if name else None)
    if name is None and not anon and res_title is None:
        name, l_office = _lead_speaker(text)
        if name and l_office and office and l_office.endswith(office) and len(l_office) > len(office):
            office = l_office  # `立法会主席的发言` named the office short; `以下是立法会主席陈某…` names it whole
        office = office or (l_office if name else None)
    if name is None and not anon and res_title is None and "先生" in text[:HONORIFIC_LEAD_CHARS]:
        name, h_office = _honorific_speaker(text)
        office = office or (h_office if name else None)
    if name is None and not anon and res_title is None and news and (deck := _deck_speaker(title or ptitle, text)):
        name, office = deck[0], office or deck[1]  # `…慶祝酒會 崔世安致辭`: the deck names who spoke
    if (
        name is None
        and not anon
        and res_title is None
        and news
        and (sa := _headline_surname_actor(title or ptitle, text))
    ):
        name, office = sa  # `澎湖縣王縣長參加…畢業典禮`: the headline's actor, not the lead's chair
    if name is None and not anon and res_title is None:
        # a news report names who presided or spoke in its lead; its author line names the reporter
        name, l_office = _news_speaker(text) if news else _labelled_speaker(raw_text, text, head)
        if news and name and l_office:
            # the office the lead gives its officer, not a nameless office word from the head (`鹿港公所新春團拜 同仁歡送
            # 鎮長`: the headline's tail read as a byline's office)
            office = l_office
        office = office or (l_office if name else None)
    if name is None and not anon and res_title is None and news:
        # `習近平指出，`: the leader whose words the item reports; his office where the opening or a removed photo caption
        # names it before him (`中共中央总书记、国家主席、中央军委主席习近平在茶话会上发表重要讲话。新华社记者 张领摄`)
        name = _reported_leader(text)
        if name and office is None:
            office = _office_before(name, [text[:NEWS_REPORT_CHARS], *_removed_captions(removed_lines)[:CAPTION_LINES]])
    if name is not None and office is None and res_title is None:
        # A byline that gives the name alone (`毛伟明`): the photo caption the page put under it names the office
        # (`省长毛伟明作政府工作报告`) — kept only when it names the same person.
        captions = _removed_captions(removed_lines)[:CAPTION_LINES]
        c_name, c_office = _caption_speaker(head + captions, sentences=True)
        if c_name == name:
            office = c_office
    if news and name is not None and not anon and res_title is None and not _speaks(text, name):
        # a guest list's first officer cut from the lead as a byline (`省委书记王国生，省长陈润儿…出席开幕式`): the
        # officer the lead names who speaks, when the byline's says nothing the item reports
        n_name, n_office = _news_speaker(text)
        if n_name is not None and n_name != name and _speaks(text, n_name):
            name, office = n_name, n_office
    if res_title is None and not anon:
        name, office = _surname_office(name, office, title, text)
    if name is None and not anon and res_title is None and quoted:
        name = (
            quoted  # `中共建政招待會 習近平:深化兩岸交流反台獨`: the headline's speaker, when the lead names no office
        )
        office = office or _quote_headline_office(title or ptitle, quoted)
    if name is None and not anon and res_title is None and (actor := _headline_actor(title or ptitle, text)):
        name, office = actor[0], office or actor[1]  # `天津代市长戴相龙第一次主持市政府常务会议`
    if name is None and not anon and res_title is None and not news and sal < 0:
        # an untyped page reporting an officer it names by office speaking: the news item no mark opened
        r_name, r_office = _news_speaker(text)
        if r_name is not None and _untyped_report_speaker(text, r_name):
            name, office = r_name, office or r_office
    if name is None and not anon and res_title is None and (split := _split_diplomat(text)) is not None:
        name, office = split[0], office or split[1]  # `駐處石公使澄茂偕全體員眷…與會`: surname, office, given name
    if office is None and name is None and not anon and not news and res_title is None and title:
        # a doc site's heading above the speech's own title names the office the title leaves out (`2023年医院职工大会上的
        # 院长讲话` over `在医院职工代表大会上的讲话`)
        name, office = _heading_speaker(head, title)
    if office is None and not news and res_title is None:
        office = _self_named_office(text)  # `大会选举我担任X市人民政府市长`: an inaugural speech's own office
    if office is None and name is None and not news and res_title is None:
        office = _self_referred_head(text)  # `校長要恭喜…畢業生`: a principal's address names him by his office
    out["speaker_name"] = name
    if office and "的" in office and (bare := _without_relative_clause(office)) != office:
        office = _strip_place(bare)  # `刚刚上任的江苏省委常委` -> 省委常委: the place after the clause
    out["speaker_title"] = office

    delivered, at = _delivered(head, ptitle)
    if (
        delivered is not None
        and news
        and at >= 0
        and (found := find_date(head[at]))
        and found[1] == 0
        and not head[at][found[2] :].strip()
        and (lead_day := _news_lead(text, delivered, title or ptitle, news)[0])
    ):
        # a bare date on a news page is the e-paper's or site's stamp (`2024年11月21日` / `第04版` / headline /
        # `新华社东京11月19日电…活动18日在东京举行`): the lead that dates itself dates the event (session 57's fresh page)
        delivered = lead_day
    if delivered is None and (note := _editor_note(head)) and (found := find_date(note.group(0))):
        delivered = found[0]  # `本文是2021年1月11日习近平总书记在…上的讲话`: the note's date before the name
    chrome = _chrome_lines(raw_text, removed_lines, text)
    stamped = (
        _published_on(chrome)
        or _stamped_on(removed_lines, raw_text)
        or _release_dated(raw_text)
        or crawl_date
        or _roc_date_line(head)
        or _marked_on(text)
        or _stamp_under_byline(head)
        or _stamp_above_title(head, title)
        or _stamp_with_column(head)
        or _weekday_header_on_url(removed_lines, text, url)
    )
    # the record's own url dates it (`/2019/12/20/`, `/Html/2022-01-13/`, `/202209/06/`): a site's path is the
    # day it posted the page (session 48 left such news pages undated)
    published = stamped or _url_date(url)
    if delivered is None:
        # gov.cn's info table dates a document the day it was signed (`| 成文日期：| 2024年01月11日 |`): its own date
        for line in chrome:
            if "成文日期" in line and (m := SIGNED_ON_RE.search(line)) and (found := find_date(m.group(1))):
                delivered = found[0]
                break
    if delivered is None and not news and len(text) > FOOTER_DATE_TAIL:
        delivered = _footer_date(text)  # `…谢谢大家！` / `二〇二三年一月五日`: signed at its end
    lead_meeting = None
    if delivered is None:
        # the page's date, else its url's (`/content/2012/01/12/…`): a news page is posted the day it is written
        delivered, lead_meeting = _news_lead(
            text, published or _url_date(url) or _url_month_end(url), title or ptitle, news
        )
    if delivered is None:
        delivered = _wire_delivered(text, published, url or _provenance(raw_text, removed_lines)[0])
    if delivered is None and news and published:
        delivered = _relative_lead_day(text, published)
    if delivered is None and news and published:
        delivered = _day_only_lead(text, published)  # `30日新春開工首日，…`
    if delivered is None:
        delivered = _new_year_day(text, published)  # `苗栗县政府1日清晨…举办“115年苗栗县元旦升旗典礼”`
    out["delivered_on"] = delivered
    out["published_on"] = published
    out["meeting"] = _full_meeting_name(
        _meeting(head, title, ptitle, text, subtitle)
        or res_meeting
        or lead_meeting
        or (_news_meeting(title, text) if news else None)
    )
    if press and (press_meeting := _press_meeting(text)):
        out["meeting"] = press_meeting  # the session is where the press conference was held, not the meeting
    out["doc_type"] = _doc_type(title, text, office, out["meeting"])
    if press and out["doc_type"] in (None, "政府工作报告", "报告", "讲话", "发言"):
        out["doc_type"] = "答记者问"  # the answers to reporters' questions, not the report the session heard
    if news and (
        out["doc_type"] not in NOT_NEWS_TYPES
        or (out["doc_type"] == "决议" and title and SESSION_PASSED_TITLE_RE.search(title))
    ):
        out["doc_type"] = "新闻报道"  # the report tells about the meeting or the speech; it is neither
    if out["doc_type"] in (None, "报告", "政府工作报告") and title and ANNOUNCED_REPORT_RE.search(title):
        out["doc_type"] = "新闻报道"  # `特首明发表2019施政报告`: the news that the report will be delivered
    if out["doc_type"] is None and (placed := _place_subtitles(head)):
        # the slogan title names no kind; its subtitle does (`——在…欢迎宴会上的祝酒词`, session 46's search-tool pages)
        out["doc_type"] = _doc_type(placed[0].lstrip("—-─–－― "), text, office, out["meeting"])
    if out["doc_type"] is None and (note := _editor_note(head)):
        # a Qiushi article or a collected work titled by its theme: the editor's note says what it was
        out["doc_type"] = next((k for key, k in DOC_TYPES if note.group("kind").endswith(key)), None)
    year = delivered.year if delivered else (published.year if published else None)
    if delivered is None:
        for t in (title, ptitle):
            m = YEAR_RE.search(t or "") or TITLE_LEAD_YEAR_RE.match(t or "")
            if m:
                # a page posted after the year its title names (a doc or 范文 site's repost: `2022年中秋讲话致辞`
                # uploaded 2024-11-26) is of the title's year; a title's later year (a plan year) does not move it
                if year is None or int(m.group(1)) < year:
                    year = int(m.group(1))
                break
    if year is None and out["meeting"]:
        m = CPC_CONGRESS_RE.match(out["meeting"])
        if m:
            year = CPC_CONGRESS_YEAR.get(cn_int(m.group(1)) or 0)  # the year the congress met
    if year is None and out["doc_type"] in ("政府工作报告", "报告", None):
        year = _report_year(text)
    elif (
        # dated by its url alone: a doc site's path is the day a copy was uploaded (book118's `/html/2019/0312/`), years
        # after the report it copies; the year the report plans for, when it names one no later, is the report's
        delivered is None
        and stamped is None
        and year == (published.year if published else None)
        # any copied document, not only reports: a 人代会's chairing script (`听取…2006年国民经济和社会发展计划…的报告`,
        # hongzhai's `/2021/0205/`; session 52's fresh pages). A news page's url is the day of its news.
        and out["doc_type"] not in URL_DAY_IS_NEWS_TYPES
        and (planned := _report_year(text))
        and planned <= (year or 0)
    ):
        year = planned
    if year is None and out["meeting"]:
        m = NPC_MEETING_RE.match(out["meeting"])
        if m:  # a resolution or speech of an NPC session with no date of its own: the year the session met
            year = _npc_year(m)
    out["year"] = year
    page_url, fm_date = _provenance(raw_text, removed_lines)
    url = url or page_url
    out["url"] = url
    if out["published_on"] is None and fm_date:
        found = find_date(fm_date)
        out["published_on"] = found[0] if found else None
    first = header_segments(text)[0][:1] if raw_text or text else []
    out["source_site"] = _source_site(chrome, ptitle, url, clean_line(simplify(first[0])) if first else "")
    office = out["speaker_title"]
    if (
        office
        and BARE_MINISTRY_OFFICE_RE.fullmatch(office)
        and (site := MINISTRY_SITE_RE.fullmatch(out["source_site"] or ""))
    ):
        out["speaker_title"] = site.group("organ") + office  # `部长` on the ministry's own site: 财政部部长

    kind = _kind_hint(office, title, out["meeting"], text, name)
    title_zone = " ".join(x for x in (title, ptitle) if x)
    head_zone = "\n".join(head) + "\n" + (out["meeting"] or "")
    m = GOV_SELF_RE.search(text[:OPENING_CHARS])
    if m and m.group(1):
        head_zone += "\n" + m.group(1)  # `我代表福州市人民政府`: the jurisdiction names itself
    if people := _people_self(text):
        head_zone += "\n" + people  # `我代表500万九江人民`: the people the speaker speaks for
    if organ := _publisher(chrome):
        head_zone += "\n" + organ  # `发布机构: | 沂水县沙沟镇`: the organ that published the page
    if url and (
        site_name := regions.site_place((urlparse(url).hostname or "").lower(), initials=kind in COUNTY_PAGE_KINDS)
    ):
        head_zone += "\n" + site_name  # `xianggelila.gov.cn`: the government whose site it is
    rr = regions.resolve_region(
        title_zone, head_zone, text[body_start : body_start + 60000], kind, body_at=(text, body_start)
    )
    out["region"], out["region_code"], out["admin_level"] = rr.region, rr.region_code, rr.admin_level
    if kind == ZONE_KIND and out["admin_level"] == regions.PREFECTURE:
        out["admin_level"] = regions.COUNTY  # the zone's own level; its region is the city that runs it
    if out["admin_level"] is None:
        # the place is unknown (`*县人民政府`, `××镇`, a template's `XX区`) but the office or the text's own 全县/全镇
        # fixes the level; a 市 may be a prefecture or a county-level city, so it says none (LEVEL_OF_KIND_ALONE)
        out["admin_level"] = LEVEL_OF_KIND_ALONE.get(kind or "")
    out["region_mentions"] = rr.mentions
    if (
        kind != "national"
        and (sar := _own_sar(url, title_zone, text))
        and (divs := regions.lookup(sar))
        # a county or city of its own that the title names inside it stays (`臺東縣第19屆卑南鄉長宣誓…` on a township's
        # .gov.tw site was 台湾省 and province: session 54's fresh pages); a dateline's city (`于台北市`) does not
        and not (
            divs[0].full_name in SAR_OWN_DIVISIONS
            and (
                _titled_within(out["region"], divs[0].full_name, title_zone)
                or _named_within(out["region"], divs[0].full_name, text[:SAR_OPENING_CHARS])
            )
        )
    ):
        out["region"], out["region_code"], out["admin_level"] = divs[0].full_name, divs[0].code, divs[0].level
    if (
        kind != "national"
        and (tw := regions.taiwan_township(title_zone + "\n" + text) if _township_candidate(out["region"]) else None)
        and (
            out["region"] is None
            or tw[0].startswith(out["region"])
            or _taiwan_twin(out["region_code"], tw[0])
            or _inside_township(out["region_code"], tw)
        )
    ):
        # a Taiwanese township's own page (`西屿乡公所` ×2, `澎湖日报`): the table has no Taiwanese townships
        out["region"], out["region_code"], out["admin_level"] = tw
    flags.update(rr.flags)
    out["flags"] = dict(sorted(flags.items()))
    return out


# ---------------------------------------------------------------- keywords


@lru_cache(maxsize=1)
def _tokenizer():
    """A private jieba Tokenizer with the domain user dictionary (leaves the global one alone)."""
    import jieba

    tk = jieba.Tokenizer()
    tk.initialize()
    ud = DATA_DIR / "userdict.txt"
    if ud.exists():
        tk.load_userdict(str(ud))
    return tk


def _jieba_dict_entries() -> Iterator[tuple[str, int, str | None]]:
    """(word, frequency, tag) of jieba's main dictionary, then of the domain user dictionary (jieba's load order)."""
    yield from zip(*jieba_main_dict(), strict=True)  # parsed once per process, shared with word_tags
    yield from _userdict_entries()


def _userdict_entries() -> Iterator[tuple[str, int, str | None]]:
    """(word, frequency, tag) of the domain user dictionary, in file order."""
    ud = DATA_DIR / "userdict.txt"
    if ud.exists():
        for line in ud.read_text("utf-8").splitlines():
            m = USERDICT_RE.match(line.strip())
            if m and m.group(2):  # every entry carries its frequency (jieba would otherwise guess one)
                yield m.group(1), int(m.group(2)), m.group(3)


USERDICT_RE = re.compile(r"^(.+?) ([0-9]+)(?: ([a-z]+))?$")  # jieba's own user-dictionary line format


@lru_cache(maxsize=4)
def word_freq(min_freq: int = 1) -> dict[str, int]:
    """jieba's word frequencies (main + domain user dictionary) of at least `min_freq`: a caller that only asks
    `freq >= threshold` loads the words above its smallest threshold (~1/6 of the dictionary at 100).

    From the table cache when an earlier process built it from the same files and code: building it walks the
    dictionary's 349k words (0.09-0.15 CPU-s of every fresh extract or annotate worker's first call, session 56);
    36k words at 100 load in ~0.01."""
    sources = (Path(__file__), Path(extract_text.__file__), DATA_DIR / "userdict.txt")
    extra = f"{WORD_FREQ_CACHE_FORMAT}\0{min_freq}\0{jieba_dict_digest()}"
    name = f"word-freq-{WORD_FREQ_CACHE_FORMAT}-{extract_text.source_digest(*sources, extra=extra)}"
    cached = extract_text.load_cached(name)
    if cached is not None:
        try:
            return extract_text.unpack_counts(cached)
        except (KeyError, ValueError, UnicodeDecodeError):  # a damaged table: build it again
            pass
    out = _word_freq(min_freq)
    packed = extract_text.pack_counts(out)
    if packed is not None:
        save_arrays(name, packed)
    return out


WORD_FREQ_CACHE_FORMAT = 1  # bump when the packed table changes meaning: older cached tables are then never read


def _word_freq(min_freq: int) -> dict[str, int]:
    import numpy as np

    words, freqs, _ = jieba_main_dict()
    out: dict[str, int]
    # the main dictionary's words at the floor, picked in C (the loop below over its 349k entries was ~0.1-0.15
    # CPU-s of a fresh worker's first extract or annotate call). A dict of the kept entries is the loop's dict
    # (a repeated word keeps its first place and its last frequency) unless a word is dropped after being kept
    # (the loop pops it): jieba's own file lists 'B超' twice, both below every floor used.
    mask = np.asarray(freqs, dtype=np.int64) >= min_freq
    keep = mask.tolist()
    out = dict(zip(itertools.compress(words, keep), itertools.compress(freqs, keep), strict=True))
    if out.keys().isdisjoint(itertools.compress(words, (~mask).tolist())):
        later = _userdict_entries()
    else:
        out, later = {}, _jieba_dict_entries()
    for word, freq, _ in later:
        if freq >= min_freq:
            out[word] = freq
        else:
            out.pop(word, None)  # the user dictionary re-weights a word below the floor
    return out


# (rjieba version, sha256 of jieba's dict.txt) pairs whose `rjieba.Jieba()` holds exactly that file's words,
# frequencies and tags (so the same total and segmentation as adding them one by one): checked word by word and on
# joined pairs by tests/test_extract_speed.py for the pinned versions. Any other pair builds the segmenter from the
# file, as before.
RJIEBA_BUILTIN_IS_JIEBAS = {("0.2.2", "7197c3211ddd98962b036cdf40324d1ea2bfaa12bd028e68faa70111a88e12a8")}


# Segmenters filled with the domain words, by whether they are rjieba's default (a checked pair) or built from
# dict.txt, and the lock that fills them. `lru_cache` lets two threads that miss at once both run the builder: in an
# inline run (tests, Dask workers: stage code on several threads of one process) both added words to rjieba's ONE
# default while the first's callers segmented with it, and PyO3 refused the second borrow ("RuntimeError: Already
# borrowed") — extract_tables then lost that document's slogans or mentions (session 61, the CI run of 3011d00).
_SEGMENTERS: dict[bool, Any] = {}
_SEGMENTER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _segmenter():
    """rjieba (jieba-rs) with jieba's dictionary and the domain user dictionary, or None without rjieba; each kind
    is filled once a process, under a lock, and never changed after (segmenting only reads it)."""
    try:
        import rjieba
    except ImportError:
        return None
    import importlib.metadata

    try:
        installed = importlib.metadata.version("rjieba")
    except importlib.metadata.PackageNotFoundError:  # importable without its metadata: not a checked pair
        installed = ""
    bundled = (installed, jieba_dict_digest()) in RJIEBA_BUILTIN_IS_JIEBAS
    with _SEGMENTER_LOCK:
        if bundled not in _SEGMENTERS:
            _SEGMENTERS[bundled] = _filled_segmenter(rjieba, bundled)
        return _SEGMENTERS[bundled]


def _filled_segmenter(rjieba: Any, bundled: bool) -> Any:
    if bundled:
        # its bundled dictionary is this dict.txt: built in Rust (~0.05 s) rather than by 349k add_word calls
        # from Python (~0.2 s of every fresh extract or annotate worker's first call). Importing rjieba builds one
        # already, its module-level default (`rjieba.cut` is its bound method): a second `Jieba()` was 0.13-0.2
        # CPU-s and 24 MB more of every fresh extract or annotate worker (session 56). The default takes the
        # domain words; nothing else in a worker segments with it.
        default = getattr(rjieba.cut, "__self__", None)
        seg = default if isinstance(default, rjieba.Jieba) else rjieba.Jieba()
        entries = _userdict_entries()
    else:
        seg, entries = rjieba.Jieba.empty(), _jieba_dict_entries()
    for word, freq, tag in entries:
        seg.add_word(word, freq, tag)
    return seg


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word of jieba's precise mode (the keywords' segmenter) in `text`."""
    seg = _segmenter()
    if seg is not None:
        return [(a, b) for _, a, b in seg.tokenize(text, "default", True)]
    return [(a, b) for _, a, b in _tokenizer().tokenize(text, HMM=True)]


@lru_cache(maxsize=1)
def _token_counts():
    """Token counts of jieba's precise mode with its dictionary and the domain user dictionary.

    rjieba (jieba-rs) when installed: the same dictionary, DAG and HMM as jieba, ~27x faster (the 675 shared real
    reports, 12 M characters: 482 s with jieba, 18 s with rjieba, same machine and window); its token counts are
    identical to jieba's on every one of them (tests/test_speed.py checks the tricky runs). Without it, jieba.
    """
    seg = _segmenter()
    if seg is None:
        tk = _tokenizer()
        return lambda text: Counter(tk.lcut(text, HMM=True))

    words = jieba_main_dict()[0]
    # dictionary words that are not all letters/digits (C++, ...): jieba keeps them whole
    known = set(itertools.filterfalse(str.isalnum, itertools.chain(words, (w for w, _, _ in _userdict_entries()))))

    def counts(text: str) -> Counter:
        got = Counter(seg.cut(text, True))
        # unique tokens only, and the all-alphanumeric ones (nearly all, Han included) skipped in C: few
        for tok in [t for t in itertools.filterfalse(str.isalnum, got) if len(t) > 1]:
            if tok not in known and not HAN_CHAR_RE.search(tok):
                # jieba-rs keeps an unknown run like Wi-Fi, 2011-2020 whole; jieba's HMM step splits it at
                # its alphanumeric runs (Wi - Fi): count as jieba does.
                pieces = [x for x in JIEBA_SKIP_RE.split(tok) if x]
                if pieces != [tok]:
                    n = got.pop(tok)
                    for x in pieces:
                        got[x] += n
        return got

    return counts


HAN_CHAR_RE = re.compile("[\u4e00-\u9fd5]")  # jieba's Han range (jieba.finalseg.re_han)
JIEBA_SKIP_RE = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # jieba.finalseg.re_skip


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    words: set[str] = set()
    for name in ("stopwords.txt",):
        p = DATA_DIR / name
        if p.exists():
            words.update(w for w in p.read_text("utf-8").split() if w and not w.startswith("#"))
    return frozenset(words)


TERM_RE = re.compile(rf"^[{HAN}][{HAN}A-Za-z0-9]*$|^[A-Za-z]{{2,}}$")
# 我区, 我市, 本省, 全州, 我国: the speaker's own jurisdiction, whichever it is — every local speech says it, so it tells
# nothing about the speech (its place is in the region columns). A rule, not a list: one per admin unit word.
PLACE_PRONOUN_RE = re.compile(r"^[我本全](?:国|省|市|区|县|州|盟|旗|镇|乡|村)$")
PLACE_WORDS = frozenset({"自治区", "自治州", "自治县", "直辖市", "地级市", "县级市"})  # the kinds of division


# Tokens already judged, each with its keyword weight: keyword_idf for a term, NOT_A_TERM for any other token. A
# document's tokens are looked up once, in C (map), and only unseen ones are judged in Python, their IDF looked up
# for all of a document's new terms together (one binary search in NumPy per term and document cost ~7 % of keywords,
# session 9). Cleared when it passes this many tokens, so memory stays bounded whatever the corpus (jieba's
# dictionary has ~350k words; 300k short strings are ~25 MB). One table: the two sets and the IDF dict it replaced
# (judged tokens, terms, weights) were three lookups of every token in tables of ~80k entries, each a cache miss:
# 1.8 of keywords' ~6.5 CPU-s on 1,296 documents of the 20k bench's cold annotate calls, 0.9 with one (session 60).
TERM_MEMO_MAX = 300_000
NOT_A_TERM = -1.0  # a weight no term has (keyword_idf is a positive IDF times a domain weight in [0, 1])
_TOKEN_WEIGHTS: dict[str, float] = {}


def _is_term(t: str, stop: frozenset[str]) -> bool:
    return (
        len(t) >= 2
        and t not in stop
        and bool(TERM_RE.match(t))
        and not PLACE_PRONOUN_RE.match(t)
        and not _is_place_name(t)
        and not _is_fragment(t)
    )


# A token jieba's HMM made of characters its dictionary could not place, starting or ending with a function word's
# character, is a piece of a phrase, not a term: 以学(促干), 比前(一年), 每生(每年), 中宁至, 店为. 55 of the 1,757 terms
# outside both dictionaries among the shared corpus's keywords (session 43); the others are the domain's
# abbreviations (提质, 规上, 文旅, 两山) and stay.
FRAGMENT_FIRST = frozenset("以为之比每和与及的至把被从于将向是")
FRAGMENT_LAST = frozenset("为至之的和与及在于以把被将向了从是")


def _is_fragment(t: str) -> bool:
    if t[0] not in FRAGMENT_FIRST and t[-1] not in FRAGMENT_LAST:
        return False
    return t not in word_tags() and t not in _userdict_words()


@lru_cache(maxsize=1)
def _userdict_words() -> frozenset[str]:
    return frozenset(w for w, _, _ in _userdict_entries())


def _is_place_name(t: str) -> bool:
    """A division's name or short form (青岛, 青岛市, 崂山, 自治区): a report's own places were ~28 % of its top-10
    keywords on the shared corpus (session 42); places have their own columns and mention rows."""
    by_name = regions.load_gazetteer().by_name
    if t in PLACE_WORDS or t in by_name or ("~" + t) in by_name:
        return True
    # a county or city named without its suffix (仙居 of 仙居县, 图们 of 图们市); not 区: districts are named like
    # words (和平区, 新华区, 长安区)
    tag = word_tags().get(t)
    if tag is not None and not tag.startswith("ns"):
        return False  # an ordinary word first (新兴 of 新兴产业, though 新兴县 exists)
    return len(t) >= 2 and any(t + suffix in by_name for suffix in "县市旗")


def term_counts(text: str) -> dict[str, int]:
    """Term frequencies for TF-IDF: jieba (precise mode, domain user dict) minus domain stopwords, sorted by term."""
    if not text:
        return {}
    counts = _token_counts()(text)
    return {t: counts[t] for t in sorted(_terms_of(counts))}


def _terms_of(counts: Mapping[str, int]) -> set[str]:
    """The tokens of `counts` that are terms (see _is_term), judged once per process (memo above)."""
    tokens = list(counts)
    return set(itertools.compress(tokens, map(NOT_A_TERM.__lt__, _token_weights(tokens))))


def _token_weights(tokens: Sequence[str]) -> list[float]:
    """Each token's keyword weight (keyword_idf, or NOT_A_TERM), the unseen ones judged and stored in the memo. The
    weights judged here are returned from this call's own table: another thread clearing the memo meanwhile
    (in-process runs) changes nothing."""
    weights: list[Any] = list(map(_TOKEN_WEIGHTS.get, tokens))
    if None not in weights:
        return weights
    new = [t for t, w in zip(tokens, weights, strict=True) if w is None]
    stop = _stopwords()
    terms = [t for t in new if _is_term(t, stop)]
    judged = dict.fromkeys(new, NOT_A_TERM)
    judged.update(zip(terms, keyword_idf(terms), strict=True))
    if len(_TOKEN_WEIGHTS) + len(judged) > TERM_MEMO_MAX:
        _TOKEN_WEIGHTS.clear()
    _TOKEN_WEIGHTS.update(judged)
    return list(map(judged.get, tokens, weights))  # a judged token's new weight, the others' as looked up


# The domain reference (bench/domain_df.py): in how many of the development corpus's speeches each term occurs.
# jieba's IDF comes from general text, where 产业, 改革, 创新 are rare: they were the first keywords of most
# government work reports (产业 among the top 20 of 461 of 593 speeches of the shared corpus). Each term's IDF is
# weighted by its rarity among speeches, w = (ln((N+1)/(df+1)) / ln(N+1)) ** DOMAIN_IDF_POWER, in (0, 1]: a term
# every speech uses weighs ~0, an unseen one 1. A fixed table, like jieba's: keywords stay a function of the document.
DOMAIN_DF_FILE = DATA_DIR / "domain_df.tsv"
# 1 (plain domain IDF) made segmentation fragments of one report its keywords (董家, 青诉, 中宁至 on 13 sampled
# reports); 0.5 keeps the distinctive policy terms (上合, 量子, 建档立卡, 公私合营) and the place, measured by eye on
# the top 12 of those 13 reports.
DOMAIN_IDF_POWER = 0.5


@lru_cache(maxsize=1)
def domain_df() -> tuple[int, dict[str, int]]:
    """(speeches counted, term -> speeches it occurs in) of the shipped domain table; (0, {}) without one.

    From the table cache when an earlier process read the same file with the same code: parsing its 30k lines was
    0.03-0.05 CPU-s of every fresh extract or annotate worker's first call (session 56), the packed table ~0.005."""
    if not DOMAIN_DF_FILE.exists():
        return 0, {}
    digest = extract_text.source_digest(Path(__file__), DOMAIN_DF_FILE, extra=str(DOMAIN_DF_CACHE_FORMAT))
    name = f"domain-df-{DOMAIN_DF_CACHE_FORMAT}-{digest}"
    cached = extract_text.load_cached(name)
    if cached is not None:
        try:
            table = extract_text.unpack_counts(cached)
            return table.pop(DOMAIN_DF_SPEECHES), table
        except (KeyError, ValueError, UnicodeDecodeError):  # a damaged table: read the file again
            pass
    n, df = _read_domain_df()
    packed = extract_text.pack_counts({DOMAIN_DF_SPEECHES: n, **df}) if DOMAIN_DF_SPEECHES not in df else None
    if packed is not None:
        save_arrays(name, packed)
    return n, df


DOMAIN_DF_CACHE_FORMAT = 1  # bump when the packed table changes meaning: older cached tables are then never read
DOMAIN_DF_SPEECHES = "# speeches"  # the table's line counting the speeches (a `#` line, never a term)


def _read_domain_df() -> tuple[int, dict[str, int]]:
    n, df = 0, {}
    for line in DOMAIN_DF_FILE.read_text("utf-8").splitlines():
        term, _, count = line.partition("\t")
        if term == DOMAIN_DF_SPEECHES:
            n = int(count)
        elif term and not term.startswith("#"):
            df[term] = int(count)
    return n, df


def keyword_idf(terms: Sequence[str]) -> list[float]:
    """The terms' keyword IDF: jieba's reference IDF (unseen: its median) times the domain weight (<= 1)."""
    idf, default = reference_idf()
    n, df = domain_df()
    ref = idf.get_many(terms, default)
    if not n:
        return list(ref)
    norm = math.log(n + 1)
    return [
        w * (math.log((n + 1) / (df.get(t, 0) + 1)) / norm) ** DOMAIN_IDF_POWER for t, w in zip(terms, ref, strict=True)
    ]


def top_keywords(doc_id: str, tf: Mapping[str, int], idf: Mapping[str, float], k: int = 20) -> list[dict]:
    """Top-k rows of schema.KEYWORDS; unseen terms get the largest IDF; ties break on the term."""
    if not tf or k <= 0:
        return []
    default = max(idf.values()) if idf else 1.0
    scored = [(tf_ * idf.get(t, default), t, tf_) for t, tf_ in tf.items() if tf_ > 0]
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [
        {"doc_id": doc_id, "rank": i + 1, "term": t, "tf": int(n), "score": float(s)}
        for i, (s, t, n) in enumerate(scored[:k])
    ]


class ReferenceIdf(Mapping):
    """A read-only word -> IDF mapping held as one sorted NumPy string array (and a float array) per word length:
    ~6 MB instead of a ~48 MB dict of 350k str and float objects in every extract worker. Keywords look up only a
    few hundred terms a document (the heap below stops early), so a binary search in C costs nothing measurable."""

    def __init__(self, table: dict[str, float]):
        import numpy as np

        by_len: dict[int, list[str]] = {}
        for word in table:
            by_len.setdefault(len(word), []).append(word)
        self._words = {}
        self._values = {}
        for n, words in by_len.items():
            words.sort()
            self._words[n] = np.array(words, dtype=f"<U{n}")
            self._values[n] = np.array([table[w] for w in words], dtype=np.float64)
        self._len = len(table)

    def arrays(self) -> dict[str, Any]:
        """The packed table as named arrays (w<length>: sorted words, v<length>: their IDF)."""
        return {**{f"w{n}": w for n, w in self._words.items()}, **{f"v{n}": v for n, v in self._values.items()}}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, Any], n: int) -> ReferenceIdf:
        self = cls({})
        self._words = {int(k[1:]): arrays[k] for k in arrays if k.startswith("w")}
        self._values = {int(k[1:]): arrays[k] for k in arrays if k.startswith("v")}
        self._len = n
        return self

    def get(self, word, default=None):
        words = self._words.get(len(word)) if isinstance(word, str) else None
        if words is None:
            return default
        i = int(words.searchsorted(word))
        if i < len(words) and words[i] == word:
            return float(self._values[len(word)][i])
        return default

    def get_many(self, words: Sequence[str], default: float) -> list[float]:
        """get(word, default) of every word, one vectorised binary search per word length (the same floats)."""
        import numpy as np

        out = [default] * len(words)
        by_len: dict[int, list[int]] = {}
        for i, word in enumerate(words):
            by_len.setdefault(len(word), []).append(i)
        for n, idx in by_len.items():
            table = self._words.get(n)
            if table is None:
                continue
            query = np.array([words[i] for i in idx], dtype=f"<U{n}")
            at = np.minimum(table.searchsorted(query), len(table) - 1)
            found = (table[at] == query).tolist()
            for i, hit, value in zip(idx, found, self._values[n][at].tolist(), strict=True):
                if hit:
                    out[i] = value
        return out

    def __getitem__(self, word):
        got = self.get(word, self)
        if got is self:
            raise KeyError(word)
        return got

    def __contains__(self, word):
        return self.get(word, self) is not self

    def __iter__(self):
        for n in sorted(self._words):
            yield from (str(w) for w in self._words[n])

    def __len__(self):
        return self._len


@lru_cache(maxsize=1)
def reference_idf() -> tuple[ReferenceIdf, float]:
    """IDF from jieba's bundled reference corpus, and its median for unseen terms (jieba's own rule).

    A corpus-learned IDF would change every document's keywords whenever a page arrives: a fixed
    reference keeps keywords a function of the document alone (cold run = incremental run, and a
    nightly run costs what its new pages cost).
    """
    import importlib.util
    import statistics
    from pathlib import Path

    # The file, not `jieba.analyse`: importing that module builds jieba's own TF-IDF and TextRank
    # extractors, a second copy of this table (~90 MB resident in every extract worker).
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin is not None, "jieba is a pinned dependency"
    path = Path(spec.origin).with_name("analyse") / "idf.txt"
    data = path.read_bytes()
    global _MAX_IDF
    # parsing the 350k lines and packing them cost ~0.5 CPU-s in every fresh extract worker (on a +1 %
    # run's critical path beside dedupe); the packed arrays load in milliseconds
    name = f"idf-{IDF_CACHE_FORMAT}-{hashlib.sha256(data).hexdigest()[:24]}"
    cached = extract_text.load_cached(name)  # a damaged file (a bad CRC too) is parsed again
    if cached is not None:
        median, _MAX_IDF, n = float(cached["median"]), float(cached["max"]), int(cached["n"])
        return ReferenceIdf.from_arrays(cached, n), median
    idf: dict[str, float] = {}
    for line in data.decode("utf-8").splitlines():
        word, _, value = line.rpartition(" ")
        if word:
            idf[word] = float(value)
    median = statistics.median(idf.values())
    _MAX_IDF = max(max(idf.values(), default=median), median)
    table = ReferenceIdf(idf)
    save_arrays(name, {**table.arrays(), "median": median, "max": _MAX_IDF, "n": len(idf)})
    return table, median


IDF_CACHE_FORMAT = 1  # bump when ReferenceIdf's arrays change meaning: older cached tables are then never read


_MAX_IDF = 0.0  # set by reference_idf(), from the table before it is packed


def _max_idf() -> float:
    reference_idf()
    return _MAX_IDF


def document_keywords(doc_id: str, text: str, k: int = 20) -> list[dict]:
    """Top-k TF-IDF terms of one document (schema.KEYWORDS rows): top_keywords with `keyword_idf`, only the terms
    that reach the k-th best score sorted."""
    reference_idf()  # loaded before the first document (_terms_of reads it)
    if not text or k <= 0:
        return []
    tf = _token_counts()(text)
    tokens = list(tf)
    weights = _token_weights(tokens)
    is_term = list(map(NOT_A_TERM.__lt__, weights))
    terms = list(itertools.compress(tokens, is_term))
    if not terms:
        return []
    counts = list(itertools.compress(tf.values(), is_term))
    weights = list(itertools.compress(weights, is_term))
    # Every term scored, in C (map); only those scoring at least the k-th best score are ordered by
    # (-score, term), top_keywords' sort key (terms are unique, so tf never decides). The loop it replaced
    # (terms by count, a heap of the k best, stopping once a count could not reach the k-th score) looked at
    # ~590 of a document's ~600 terms anyway: the bound (count x the largest IDF) rarely fell below the k-th
    # score (20k bench, 1,231 canonical documents: 358 stops).
    scores = list(map(operator.mul, counts, weights))
    scored: Iterable[tuple[float, str, int]] = zip(map(operator.neg, scores), terms, counts, strict=True)
    if min(counts) <= 0:
        scored = ((s, t, n) for s, t, n in scored if n > 0)  # no term counted 0 times is a keyword
    elif len(scores) > k:
        kth = heapq.nlargest(k, scores)[-1]
        scored = ((s, t, n) for s, t, n in scored if -s >= kth)
    best = sorted(scored)[:k]
    return [
        {"doc_id": doc_id, "rank": i + 1, "term": t, "tf": int(n), "score": float(-s)}
        for i, (s, t, n) in enumerate(best)
    ]


# ----------------------------------------------------------------------------- stage runner


# Documents converted to Python at a time: bounds a worker's memory by the batch, not the shard (a batch of
# 256 speeches of ~20 KB is ~5 MB of text; larger batches only save per-batch overhead, measured negligible).


def _doc_digest(doc: dict, removed: Sequence[tuple[int, str, str]]) -> str:
    """Everything field extraction reads of one document (the code is versioned by the artifact)."""
    return content_digest(*(doc[c] for c in DOC_COLUMNS), list(map(list, removed)))


def _earlier_digests(earlier: Sequence[str]) -> dict[str, str]:
    """digest -> the first earlier artifact (sorted) that extracted a document with those inputs."""
    import pyarrow.parquet as pq

    known: dict[str, str] = {}
    for d in sorted(earlier):
        path = os.path.join(d, "memo.parquet")
        try:
            digests = pq.ParquetFile(path).read(columns=["digest"]).column(0).to_pylist()
        except (OSError, ValueError, KeyError):
            continue  # pruned meanwhile or made before memos: its documents are extracted again
        for digest in digests:
            known.setdefault(digest, d)
    return known


def _rows_of(path, ids: list[str], target):
    """The rows of `ids` in an earlier artifact's table, in its (sorted) order."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.ParquetFile(path).read()
    return table.filter(pc.is_in(table.column("doc_id"), value_set=pa.array(ids, pa.string()))).cast(target)


BATCH_ROWS = 256
DOC_COLUMNS = ("doc_id", "text", "raw_text", "page_title", "url")


def _doc_batches(path, removed: Mapping[str, Sequence] | None = None) -> Iterator[list[dict]]:
    """The documents of a docs.parquet, BATCH_ROWS at a time, one row group held as Python strings.

    A column at a time, its Arrow buffers handed back before the next: decoding a shard's row group with all five
    columns held ~160 MB of Arrow memory for the whole run (22 MB shard); its texts as Python strings are ~55 MB.
    With `removed` (doc_id -> its removed lines), each document's "digest" is _doc_digest's, hashed column by column
    while the column's buffers are held (_column_digests).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq
    import xxhash

    docs_file = pq.ParquetFile(path)
    for group in range(docs_file.metadata.num_row_groups):
        columns = []
        hashers: list = []
        for name in DOC_COLUMNS:
            column = docs_file.read_row_group(group, columns=[name]).column(0)
            columns.append(column.to_pylist())
            if removed is not None:
                hashers = hashers or [xxhash.xxh3_128() for _ in columns[0]]
                _column_digests(hashers, column, columns[-1], name in DIGEST_FROM_BUFFERS)
            del column
            pa.default_memory_pool().release_unused()
        for at in range(0, len(columns[0]), BATCH_ROWS):
            batch = [
                dict(zip(DOC_COLUMNS, row, strict=True)) for row in zip(*(c[at : at + BATCH_ROWS] for c in columns))
            ]
            if removed is not None:
                for doc, h in zip(batch, hashers[at : at + BATCH_ROWS], strict=True):
                    _digest_part(h, list(map(list, removed.get(doc["doc_id"], ()))))
                    doc["digest"] = h.hexdigest()
            yield batch
        del columns, hashers


# The columns whose strings' UTF-8 the digest reads from Arrow's buffers instead of encoding the decoded strings again:
# a page's text and raw text, ~60 KB a document (that encoding was ~1.6 % of extract's CPU: py-spy of the cold calls,
# session 60). Arrow's strings are valid UTF-8 and to_pylist decodes them, so the bytes are what str.encode gives.
DIGEST_FROM_BUFFERS = ("text", "raw_text")


def _digest_part(h: Any, part: Any) -> None:
    """One part of common.content_digest into h, as content_digest hashes it."""
    if isinstance(part, str):
        data = part.encode("utf-8", "surrogatepass")
        h.update(b"s" + (len(data) + 1).to_bytes(8, "little"))
    else:
        data = json.dumps(part, ensure_ascii=False).encode("utf-8", "surrogatepass")
        h.update(b"j" + (len(data) + 1).to_bytes(8, "little"))
    h.update(data)


def _column_digests(hashers: list, column: Any, values: list, from_buffers: bool) -> None:
    """Each row's value of one column into its hasher (_digest_part's bytes); a string column's strings read from
    its Arrow buffers when from_buffers."""
    import numpy as np
    import pyarrow as pa

    at = 0
    for chunk in column.chunks:
        n = len(chunk)
        kind = chunk.type
        if not (from_buffers and n and (pa.types.is_string(kind) or pa.types.is_large_string(kind))):
            for h, v in zip(hashers[at : at + n], values[at : at + n], strict=True):
                _digest_part(h, v)
            at += n
            continue
        _, offsets_buffer, data_buffer = chunk.buffers()
        width = np.int32 if pa.types.is_string(kind) else np.int64
        offsets = np.frombuffer(offsets_buffer, dtype=width)[chunk.offset : chunk.offset + n + 1].tolist()
        data = memoryview(data_buffer) if data_buffer is not None else memoryview(b"")
        for j in range(n):
            h = hashers[at + j]
            if values[at + j] is None:
                _digest_part(h, None)
            else:
                a, b = offsets[j], offsets[j + 1]
                h.update(b"s" + (b - a + 1).to_bytes(8, "little"))
                h.update(data[a:b])
        at += n


def rows_table(rows: list[dict], schema):
    """common.rows_to_table's table (missing keys become nulls, other keys are ignored), converted as one struct
    array: Arrow reads each row dict in C++ instead of Python building a list per column first (a shard's side
    tables: ~7 % of extract's CPU, about half of it those lists; session 9)."""
    import pyarrow as pa

    struct = pa.array(rows, type=pa.struct(schema))
    return pa.Table.from_arrays(struct.flatten(), schema=schema)


# The cyclic garbage collector's first-generation threshold while a shard is extracted (CPython's default is 700
# allocations). Extraction allocates millions of short-lived acyclic objects (match objects, row dicts, token
# lists): at 700 the collector ran ~700 times a 900-document shard of the 20k bench and took ~4 % of its CPU
# (measured with gc.callbacks: 0.68 of 17.7 s), at 20 000 ~20 times and ~1 % (0.21 s). The young generation it
# scans stays a few MB; the worker's own threshold is restored after the shard.
EXTRACT_GC_GEN0 = 20_000
# The threshold is the process's, and threads of one process (an inline run, a Dask worker) run extract and annotate
# calls at once: each call restoring the threshold it had found left a raised one behind for good when two overlapped
# (A finds 700 and raises it, B finds 20 000, A restores 700 while B runs, B restores 20 000). The first call in
# raises it, the last one out restores what the first found (calls inside, that threshold).
_GC_LOCK = threading.Lock()
_GC_HELD: list[Any] = [0, None]


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """The collector's first-generation threshold at least EXTRACT_GC_GEN0 while a call of this process is inside."""
    import gc

    with _GC_LOCK:
        if not _GC_HELD[0]:
            _GC_HELD[1] = found = gc.get_threshold()
            gc.set_threshold(max(EXTRACT_GC_GEN0, found[0]), *found[1:])
        _GC_HELD[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_HELD[0] -= 1
            if not _GC_HELD[0]:
                gc.set_threshold(*_GC_HELD[1])


def extract_shard(inputs: dict, out_dir: str, doc_seconds: float | None = None, earlier: Sequence[str] = ()) -> dict:
    """The documents' fields (who spoke, where, when, which meeting) of every document of a shard.

    The side tables (figures, mentions, ...) are the annotate stage's (tasks.annotate): they describe
    a speech, so only the canonical copy of each cluster is annotated, once dedupe has chosen it.
    Extraction is a function of the document alone, so a document whose inputs digest is in an
    `earlier` complete artifact made by the same code (the flow passes them) is copied, not
    re-extracted: a shard that re-runs because one page arrived costs that page, not the shard.
    """
    with fewer_collections():
        return _extract_shard(inputs, out_dir, doc_seconds, earlier)


def _extract_shard(inputs: dict, out_dir: str, doc_seconds: float | None, earlier: Sequence[str]) -> dict:
    from pathlib import Path

    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks import schema
    from tasks.common import write_table
    from tasks.jurisdiction import jurisdiction
    from tasks.procs import TimeBudgetExceeded, time_budget

    folder = Path(inputs["normalize"])
    removed: dict[str, list[tuple[int, str, str]]] = {}
    # ParquetFile, not pq.read_table: that imports pyarrow.dataset, which imports pandas (~45 MB in every worker).
    lines = pq.ParquetFile(folder / "removed_lines.parquet").read(columns=["doc_id", "line_no", "text", "rule"])
    for batch in lines.to_batches(BATCH_ROWS):
        for doc_id, n, line, rule in zip(*(c.to_pylist() for c in batch.columns), strict=True):
            removed.setdefault(doc_id, []).append((n, line, rule))
    del lines
    fields: list[dict] = []
    errors = timeouts = 0
    known = _earlier_digests(earlier)
    memo: list[dict] = []
    reused: dict[str, list[str]] = {}  # earlier artifact -> its documents copied here
    # Row batches, not the whole shard as dicts: a worker holds one batch of texts and the shard's rows as Arrow.
    for batch in _doc_batches(folder / "docs.parquet", removed):
        for doc in batch:
            digest = doc["digest"]
            memo.append({"doc_id": doc["doc_id"], "digest": digest})
            if digest in known:
                reused.setdefault(known[digest], []).append(doc["doc_id"])
                continue
            try:
                with time_budget(doc_seconds):
                    got = extract_fields(
                        doc["text"],
                        raw_text=doc["raw_text"],
                        removed_lines=removed.get(doc["doc_id"], ()),
                        page_title=doc["page_title"],
                        url=doc["url"],
                    )
            except TimeBudgetExceeded:
                got = {"flags": {"extract_timeout": 1}}
                timeouts += 1
            except Exception:  # noqa: BLE001 - extraction is annotation: the page stays, a flag says it failed
                got = {"flags": {"extract_error": 1}}
                errors += 1
            flags = got.pop("flags", None) or {}
            got.update(jurisdiction(got.get("region_code"), got.get("admin_level")))
            fields.append({**got, "doc_id": doc["doc_id"], "extract_flags": sorted(flags.items())})
    field_parts = [rows_table(fields, schema.EXTRACTED)]
    for src, ids in sorted(reused.items()):
        field_parts.append(_rows_of(Path(src) / "fields.parquet", ids, schema.EXTRACTED))
    out = Path(out_dir)
    write_table(pa.concat_tables(field_parts), out / "fields.parquet", ["doc_id"])
    write_table(pa.Table.from_pylist(memo, schema=schema.EXTRACT_MEMO), out / "memo.parquet", ["doc_id"])
    del field_parts
    # Arrow's allocator (mimalloc) keeps what the shard's tables freed: hand it back, the next call allocates afresh.
    pa.default_memory_pool().release_unused()
    return {
        "docs": len(memo),
        "reused_docs": sum(len(ids) for ids in reused.values()),
        "errors": errors,
        "timeouts": timeouts,
        "cacheable": timeouts == 0,
    }
