"""The shared text vocabulary: what a Han character, a salutation, injected pinyin, a truncation notice, a spun word
and a placeholder look like. normalize, extract and dedupe import these so the stages agree on one definition.

Patterns are regex *fragments* (strings) unless named *_RE; callers compile them into their own patterns.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- Han characters
# CJK Unified Ideographs (U+4E00-9FFF), Extension A (U+3400-4DBF), Compatibility Ideographs (U+F900-FAFF) and the
# supplementary-plane Extensions B-H (U+20000-323AF: rare characters of personal and place names, 𬌗 𠮷).
# This is the superset of the two older copies (normalize's had no Extensions B-H, extract's only U+4E00-9FFF,
# so 㙟 or 𬍛 in a name broke a match). 〇 (U+3007) is not included: it is a numeral, read where numbers are read.
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
HAN_RE = re.compile(f"[{HAN}]")
# HAN as code point ranges [start, end): for tables indexed by code point (normalize._class_table)
HAN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x323B0))

# --------------------------------------------------------------------------- salutations
# Openings of the address to the audience (各位代表： / 同志们： / 尊敬的各位来宾：). 各位 covers 各位代表, 各位委员,
# 各位领导, 各位来宾, 各位同志. Union of the two older lists (normalize lacked 同事们, extract lacked 先生们 …).
SALUTATION_WORDS = r"各位|尊敬的|亲爱的|同志们|女士们|先生们|朋友们|同学们|同事们|老师们|代表们|委员们|来宾们"
# A whole line that is a salutation: the words, up to 30 characters of addressees, the closing mark.
SALUTATION_LINE_RE = re.compile(rf"(?:{SALUTATION_WORDS})[^。]{{0,30}}[:：!！,，]$")

# --------------------------------------------------------------------------- injected pinyin
# Doc-sharing sites inject the reading after a character: 區(qū)長, 經(jīng)濟(jì). One letter class for every copy.
PINYIN_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
PINYIN_LETTERS = "a-zü" + PINYIN_TONED
PINYIN_ANNOTATION = rf"[(（][{PINYIN_LETTERS}]{{1,7}}[)）]"
PINYIN_ANNOTATION_RE = re.compile(PINYIN_ANNOTATION)


def pinyin_tolerant(word: str) -> str:
    """A regex fragment for `word` that also matches it with injected pinyin after any character (問(wèn)題)."""
    return "".join(re.escape(c) + f"(?:{PINYIN_ANNOTATION})?" for c in word)


# --------------------------------------------------------------------------- truncation notices
# Doc-sharing sites cut the text and append a notice (因篇幅问题不能全部显示,请点此查看更多更全内容). The fragment is
# written in Simplified and matched against text folded to Simplified character by character; every character
# may carry injected pinyin (因篇幅問題(tí)不能全部顯示). Anchored at the end of a line (re.M).
_TRUNC_HEAD = (
    pinyin_tolerant("因篇幅")
    + "(?:"
    + "|".join(pinyin_tolerant(w) for w in ("问题", "原因", "限制"))
    + ")?(?:"
    + "|".join(pinyin_tolerant(w) for w in ("不能", "无法", "未能"))
    + ")"
    + pinyin_tolerant("全部显示")
)
TRUNCATION_NOTICE = (
    rf"{_TRUNC_HEAD}[^\n]{{0,60}}$"
    rf"|(?:点击|点此)?查看(?:更多|全文)更全内容$"
    # doc88's `亲，该文档总共30页，到这已经超出免费预览范围，如果喜欢就下载吧！`, wenku's `0下载券 还剩20页未读，继续阅读`,
    # `……（未完，全文请下载）` glued to the last sentence shown
    rf"|(?:亲[，,]\s*)?(?:该|本|此)文档(?:总共|共)\s*\d+\s*页[^\n]{{0,40}}$"
    rf"|(?:\d+\s*下载券\s*)?还剩\s*\d+\s*页未读[^\n]{{0,20}}$"
    rf"|[（(]未完[，,]?(?:全文)?(?:请|待)?(?:下载|续|见附件)?[^）)\n]{{0,8}}[）)]$"
    # 范文 sites' paywalls: `此处隐藏5120个字。VIP会员可见` (the rest of the speech follows it), `预览结束，免费获取全文或
    # 定制代笔此类文章，请扫码联系老师！`, `全文约10497字，请下载后阅读、编辑。`, `（想阅读完全部图文内容，您需要先登陆！）`
    rf"|此处(?:已)?隐藏\s*\d+\s*个?字[^\n]{{0,20}}$"
    # 新文秘网: `……（新文秘网https://…省略697字，正式会员可完整阅读）`, `……（未完，全文共3876字，当前仅显示1958字，请阅读下面提示信息。`
    rf"|…*[（(]?[^（(\n]{{0,60}}?省略\s*\d+\s*字[，,]\s*(?:正式)?会员可完整阅读[^\n]{{0,4}}$"
    rf"|…*[（(]?未完[，,]\s*全文共\s*\d+\s*字[，,]\s*当前仅?显示\s*\d+\s*字[^\n]{{0,30}}$"
    rf"|(?:试读|预览)已结束[^\n]{{0,30}}$"
    rf"|(?:试读|预览)结束[，,！!]\s*[^\n]{{0,20}}?(?:全文|下载|购买|扫码|会员|付费)[^\n]{{0,30}}$"
    rf"|全文(?:共|约)\s*\d+\s*字[，,]\s*请下载后(?:阅读|查看)[^\n]{{0,12}}$"
    rf"|[（(]?(?:想|要)?(?:阅读|查看)(?:完)?全部(?:图文)?内容[，,]\s*(?:您|你)?需要先(?:登录|登陆)[^\n]{{0,4}}$"
)
TRUNCATION_NOTICE_RE = re.compile(TRUNCATION_NOTICE, re.M)
TRUNCATION_TRIGGERS = (
    "篇幅",
    "查看",
    "已结束",
    "已結束",
    "文档",
    "文檔",
    "未读",
    "未讀",
    "未完",
    "隐藏",
    "隱藏",
    # the words of the notices themselves, not 结束 or 省略 alone: a speech says them (20k bench: every page then had
    # each line searched, normalize 59.8 -> 111.3 CPU-s)
    "试读结束",
    "試讀結束",
    "预览结束",
    "預覽結束",
    "下载后",
    "下載後",
    "需要先",
    "完整阅读",
    "完整閱讀",
    "当前仅显示",
    "當前僅顯示",
    "当前显示",  # 6dgww: `（未完，全文共2010字，当前显示249字）`
    "當前顯示",
)  # cheap pre-check before the regex

# --------------------------------------------------------------------------- anti-plagiarism spinning
# Words swapped by spinners (seed 003): spun form -> the original. dedupe folds both spellings to one; normalize
# flags the spun form only in contexts no writer produces (normalize_rules.SPUN), since every spun form is also a
# real word (开展工作, 效劳, 那么, 到达, 工程, 表达).
SPIN_PAIRS: dict[str, str] = {
    "开展": "发展",
    "效劳": "服务",
    "那么": "则",  # 原则 -> 原那么
    "到达": "达到",
    "成认": "承认",
    "比方": "比如",
    "表达": "体现",
    "工程": "项目",
}
SPIN_TRIGGER = "|".join(sorted(SPIN_PAIRS, key=len, reverse=True))

# --------------------------------------------------------------------------- placeholders
# Anonymized templates: ×月×日, 20xx年, XX县区, X区长, 某某, 〇〇, □□ (a Latin letter before x makes it a word: Max年);
# and a name or place blanked before any word: `××同志`, `贯彻落实XXX精神`, `XX经济` (doc-site templates: k4's held-out
# 范文 pages and session 44's `以中国式现代化引领XX现代化建设` went unflagged). One X before a word is a Latin word
# (X光, X射线); × between digits is a multiplication (3×4), not before a Han character.
# a blanked name before its unit or title: `**市委`, `**县第十七届…`, `**同志`, `**书记`
_STAR_NAMED = r"[省市县区州旗镇乡村]|同志|书记"
PLACEHOLDER = (
    r"[×xX]{1,3}(?=[月日年号个项条家人次名%％万亿元县区市省镇乡村街局委长书处科部])"
    r"|×{1,3}(?=[\u4e00-\u9fff])|(?:XX|xx)[Xx]?(?=[\u4e00-\u9fff])|某某|〇〇|□□"
    # stars for the digits of a date (`*月*日`, `20**年`) or a name before its organ (`在**市委领导下`, `**同志`): bold
    # marks are gone from a normalized text by then (normalize keeps these stars: STAR_PLACEHOLDER)
    r"|\*{1,3}(?=[月日年号]|[省市县区州旗镇乡村](?:委|政府|人民政府|人大|政协|纪委|党委|长)|同志|书记)"
    r"|\*{2,3}(?=" + _STAR_NAMED + ")"
)
PLACEHOLDER_TRIGGERS = ("×", "x", "X", "某某", "〇〇", "□□", "*")
# The characters a PLACEHOLDER match opens on (each alternative's first one). PLACEHOLDER opens on classes and repeats,
# so re tries the whole alternation at every character of the text (0.66 of the 2.1 CPU-s of normalize's damage
# flags on 1,000 pages of the 5k bench and the shared corpus, nearly every text with no placeholder); normalize
# looks for one of these first and tries PLACEHOLDER only there. Keep in step with PLACEHOLDER (a test checks).
PLACEHOLDER_FIRST = "×xX某〇□*"
# Stars a template put for digits or a name, which the markdown bold rule would take for its marks and remove
# (`20**年` → `20年`, `在**市委的领导下，**县政府` → bold `市委的领导下，`, the placeholder lost with them): a year's
# last digits (19/20 + 1-2 stars before 年: `20**年`), a month's and a day's (`**月**日`, `**月5日`, `年**月`,
# `月**日`), and (group `name`) a name before its unit or title after a Han character, 、 or ， (`在**市委`,
# `、**县政府`) when no `**` follows within STAR_BOLD_REACH characters of the line except another such name: that
# would close a bold span (`要**市场化**改革`). normalize also drops a `name` match that a bold opening within the
# reach before it may close (`**加强党建**市委要求`). A bold span opening a line or after a space stays bold.
STAR_BOLD_REACH = 40  # TITLE_PIECE_MAX's bound: a bold phrase inside a sentence is a heading's or a term's length
# (defined before TITLE_PIECE_MAX below, hence its own name)
STAR_PLACEHOLDER = (
    r"(?<![*\d])(?:19|20)\d?\*{1,2}(?=年)"
    r"|\*{1,3}(?=月(?:\*{1,3}|[\d一二三四五六七八九十]{1,3})[日号])"
    r"|(?<=[年月])\*{1,3}(?=[月日号])"
    r"|(?P<name>(?<=[\u4e00-\u9fff、，])\*{2,3}(?=(?:" + _STAR_NAMED + r")"
    r"(?![^*\n]{0," + str(STAR_BOLD_REACH) + r"}\*\*(?!\*|" + _STAR_NAMED + r"))))"
)
# What every STAR_PLACEHOLDER match holds, and it opens on a literal `*` (re scans for it at C speed; STAR_PLACEHOLDER
# opens on lookbehinds and is tried at every character): a star right before 年/月/日/号 or a named unit. normalize
# runs STAR_PLACEHOLDER only on texts this finds (session 46: the full search cost the 20k bench ~20 CPU-s of normalize
# on pages whose only stars are bold marks).
STAR_PLACEHOLDER_GATE = r"\*(?=[年月日号]|" + _STAR_NAMED + ")"
# How far a STAR_PLACEHOLDER match may start before the gate's star (`20**年`: the year's 3 characters and a star
# before it; rounded up) and how far it and its lookarounds read from its start (a name's 3 stars, its unit,
# STAR_BOLD_REACH characters, `**` and a unit after them; rounded up): normalize looks for a match only in these
# windows around the gate's matches.
STAR_PLACEHOLDER_LEAD = 8
STAR_PLACEHOLDER_READ = STAR_BOLD_REACH + 16
# a `**` that opens a bold span: not a blanked name's, a year's or a date's (`20**年`, `**月**日`)
STAR_BOLD_OPEN = r"(?<![\d年月*])\*\*(?![*年月日号]|" + _STAR_NAMED + r")"


# ---------------------------------------------------------------- a page head's layout lost (normalize and extract)
# A head whose pieces a scraper joined with a separator (BeautifulSoup's get_text(" | "), a site's `2024年03月13日06:52 |
# 来源：人民网`): ` | ` or `│` with whitespace on both sides (a forum's `今日: 434|昨日: 633` and `15:57:43 |只看该作者|`
# have none on one side), or a full-width `｜`. Possessive runs matched from a run's start only: a page of a million
# spaces is read once (a plain `\s+[|│]` retried the run from each of its characters: 90 s for 0.25 MB).
HEAD_SEPARATOR_RE = re.compile(r"(?<!\s)\s++[|│]\s+|(?<![\s｜])\s*+｜\s*+")
HEAD_SEPARATOR_CHARS = " \t\u3000\u00a0|｜│"  # taken off the ends of a joined head's pieces
# A toolbar's values after its label, spaced or not: a font-size bar (`字号：大 中 小`, `字体:T|T`, `【字体：小 中 大】`)
# and a share bar (`分享到：微信 微博 QQ空间`), with the print and close buttons a government site's article head puts
# after them (`字号：大 中 小 打印 关闭`). A single 大/中/小 counts only before a space, a separator, another size or a
# button: `字号：大 中 小 中共…` ends before 中共.
_SIZE_WORD = r"(?:加大|还原|减小|默认|标准|超大|特大|[大中小T](?=[\s|/】\]大中小T]|打印|关闭|$))"
_SHARE_WORD = r"(?:微信|新浪微博|腾讯微博|微博|QQ空间|QQ好友|QQ|朋友圈|豆瓣|人人网|复制链接|更多)"
_BUTTON = r"(?:[【\[]?(?:打印本页|打印|关闭窗口|关闭|收藏|纠错)[】\]]?)"
TOOLBAR_BAR = (
    r"【?(?:字号|字体)(?:大小)?[:：][\s|/]*" + _SIZE_WORD + r"(?:[\s|/]*" + _SIZE_WORD + r")*[\s|/]*】?"
    r"(?:[\s|]*" + _BUTTON + ")*"
    r"|分享(?:到|至)?[:：][\s|/]*" + _SHARE_WORD + r"(?:[\s|/、]*" + _SHARE_WORD + r")*(?:[\s|]*" + _BUTTON + ")*"
)
# A year title wrapped over two lines (`2026年吉林` / `省政府工作报告`, `2026年新疆维吾` / `尔自治区政府工作报告`): the
# first half starts with a year (not a date) and is no report title alone, the second is no new dated line, and the
# two make a report's title. Both stages read it in the head only, where such a first half is no heading.
TITLE_YEAR_START_RE = re.compile(r"^(?:\d{4}|[〇零○一二三四五六七八九]{4})年(?![\d一二三四五六七八九十]{1,2}月)")
REPORT_TITLE_END_RE = re.compile(r".*报告(?:[（(][^）)]{0,20}[）)])?$")
TITLE_PIECE_MAX = 40  # characters of one line of a wrapped title (the bound normalize's two-line join has always used)


def year_title_wrap(a: str, b: str) -> bool:
    """`a` then `b` are one year title broken in two (see TITLE_YEAR_START_RE)."""
    return (
        0 < len(a) <= TITLE_PIECE_MAX
        and 0 < len(b) <= TITLE_PIECE_MAX
        and bool(TITLE_YEAR_START_RE.match(a))  # first: few lines start with a year (the tests have no side effect)
        and not re.search(r"[，。,；：:]", a + b)
        and not REPORT_TITLE_END_RE.match(a)
        and not TITLE_YEAR_START_RE.match(b)
        and not b.startswith(("——", "--", "（", "("))
        and bool(REPORT_TITLE_END_RE.match(a + b))
    )
