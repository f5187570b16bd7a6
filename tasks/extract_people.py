"""Mentions of people, organizations and places in a speech, precise enough to count.

A string is a person's name only with evidence:
- an office right before it (`省委书记周本顺`, `国务院总理 李强`) or right after it (`习近平总书记`, `周本顺书记`),
  or `同志` after it (`李强同志`, `以习近平同志为核心`);
- a list joined by `、` to such a name (`李强、赵乐际、王沪宁…同志`);
- a byline: a line near the top that is only a name (`李　强`);
- the national leaders' list (`data/extract/leaders.txt`: 毛泽东思想, 邓小平理论 name them without an office).
Every further occurrence of a name so established in the same document is a mention too. A single surname with
an office (`毛主席`, `朱区长`) is not a name: it cannot be counted per person.

Places are the gazetteer's hits outside people and organizations, resolved to a full name only when unambiguous in
the document (`金山` alone stays `金山`; inside `省长王金山` it is part of a person). Everything is compiled regexes
and dictionary lookups over the text once: linear in document size.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from tasks import extract_regions as regions
from tasks.extract_text import DATA_DIR, HAN, surnames, word_tags

# jieba dictionary frequency above which a two-character given name is read as the word (主义 2416, 流域 2825;
# given names that are words are rarer: 爱民 107, 志强 15). Chosen on the labelled sample in bench/labels/.
COMMON_WORD_FREQ = 1000
# A three-character candidate whose first two characters are a verb/adverb this frequent is that word (高举 833,
# 全面 9321), not a name (包起帆: 包起 3). Chosen on the development set.
LEADING_VERB_FREQ = 100
# Surnames the common list lacks but officials carry (习近平, 琚朝晖, 郗杰英, 傅莹, 萧万长).
EXTRA_SURNAMES = frozenset("习琚郗傅萧")
# Organ before a title: 中共中央总书记, 国务院总理, 省委书记, 市人民政府市长, 区政府区长 …
ORGAN = (
    r"(?:最高人民(?:法院|检察院)|[省市区县州]?(?:高级|中级)?人民法院|[省市区县州]?人民检察院|"
    r"中共中央|中央军委|中央纪委|中央政治局常委|中央政治局委员|中央|国务院|国家|全国人大常委会|全国政协|"
    r"全国人大|(?:中共)?自治区党委|自治区(?:人民)?政府|自治区人大常委会|自治区政协|(?:中共)?[省市区县州旗盟镇乡]委|[省市区县州旗盟镇乡](?:人民)?政府|[省市区县州]人大常委会|"
    r"[省市区县州]政协|自治区|人民政府|省|市|区|县|州|镇|乡)"
)
# Titles, longest first so 副总理 is not read as 总理 after a stray 副.
TITLES = sorted(
    [
        "总书记",
        "国家主席",
        "总理",
        "国务委员",
        "委员长",
        "主席",
        "书记",
        "省长",
        "市长",
        "区长",
        "县长",
        "州长",
        "旗长",
        "盟长",
        "镇长",
        "乡长",
        "主任",
        "部长",
        "秘书长",
        "检察长",  # 最高人民检察院检察长应勇 (a procurator-general's report to the congress)
        "院长",  # 最高人民法院院长张军
        "局长",
        "厅长",
        "常委",
        "代表",
        "记者",
    ],
    key=lambda t: (-len(t), t),
)
TITLE = "|".join(TITLES)
# The characters an office can start with (ORGAN's, the 代理/常务/执行/副 prefixes', TITLES'): the lookahead lets the
# scan skip every other position with one set test instead of trying each alternative (tests pin the equivalence).
OFFICE_FIRST = "最高中国全省市区县州旗盟镇乡自人代常执副" + "".join(sorted({t[0] for t in TITLES}))
OFFICE_RE = re.compile(rf"(?=[{OFFICE_FIRST}])(?:{ORGAN})?(?:代理|代|常务|执行)?副?(?:{TITLE})")
# Titles that may follow a name (习近平总书记, 周本顺书记); 代表 and 常委 are too often nouns there.
AFTER_RE = re.compile(
    r"(?=[同代常副总国委主书省市区县州旗镇乡])(?:同志(?!们)|(?:代理|代|常务)?副?(?:总书记|总理|委员长|主席|书记|省长|市长|区长|县长|州长|旗长|镇长|乡长)"
    r"|代表(?=发表|提出|指出|建议|认为|说|的|，|。|、))"  # 叶圣陶代表发表… (a deputy), not 李强代表国务院
)
SPACES = " \u3000\t"
# Uyghur, Tibetan and foreign names written with a middle dot (艾尔肯·吐尼亚孜, 雪克来提·扎克尔)
DOTTED_NAME_RE = re.compile(rf"[{HAN}]{{1,6}}[·•・][{HAN}]{{1,8}}")
DOTTED_VERB_TAIL_RE = re.compile(
    r"(?:出席|主持|指出|强调|宣布|发表|视察|考察|调研|参加|会见|提出|要求|带领|所作|代表|作|在)$"
)
# Characters that end a name's left context: punctuation, particles and verbs that precede names (向, 以, 由 …).
LEFT_OK = set("、，。；：！？（）()《》“”\"' \u3000\t\n向以由于从自同和与及对请为在是把被将给陪有了的和等即让使叫")
# Third characters that are a following word, not part of the name (李强所作, 周本顺在, 王沪宁同志).
NOT_THIRD = set("所在的和讲对说同作主出要代等为也向指强提带率是将已于就到来致会任")
# Words that may follow a name after an office (省长王金山在…, 国务院总理李强所作的).
FOLLOW_RE = re.compile(
    r"(?:同志|所作|所|在|的|、|，|。|；|：|和|与|及|等|为|代表|向|对|说|讲|指出|强调|主持|出席|作|做|宣布|致|发表|摄|"
    r"到|来|视察|考察|调研|参加|会见|提出|要求|也|已|于|就|是|将|带领|率|同|[^\u4e00-\u9fff]|$)"
)
NON_NAME_CHARS = set(
    "两说其以的了在是和与及等为要把对从向这那我你他们个年月日上下中省市区县委府长记部局会院党政全各新同志一二三四五六七八九十"
)
MAX_NAME = 4
# An unanchored list is people only with this many three-character names (王洪文、张春桥、江青、姚文元 has three;
# 成资、成龙简、金简仁 — roads — has two). Chosen on the development set.
MIN_LIST_FULL_NAMES = 3
# 、 lists of three or more tokens (王洪文、张春桥、江青、姚文元); see _long_list.
LONG_LIST_RE = re.compile(rf"[{HAN}]{{1,12}}(?:、[{HAN}]{{1,12}}){{2,}}")
# Last characters of place and project names that look like names in a list (南延线, 元江街, 高新园).
NOT_LAST = set("线街路桥站区村镇河湖山港园厂楼场馆院校店岛湾坑渠沟塘城寺庙阁台亭坝井矿田岭岩祠洞峰泉堂贷")
# 朱亚民、吴义海、黄荣文等 (model workers, honourees): a 、 list of two or more names closed by 等.
NAME_LIST_RE = re.compile(rf"[{HAN}]{{2,3}}(?:、[{HAN}]{{2,3}}){{2,}}等")  # two would admit 宁创贷、苏科贷等
# Function characters that are also rare surnames: 和周 (毛主席和周总理), 向李强 are a particle and a name;
# 来川 (总书记来川视察) a verb and a place.
FUNC_FIRST = set("和向与同及对把将给由于从以为在是有被了的等来到去")
# National leaders whose names are also ordinary words (汪洋大海, 黄菊花, 罗干将): a person only with evidence.
WORD_LIKE_LEADERS = frozenset({"汪洋", "黄菊", "罗干", "宋平"})


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    return surnames() | EXTRA_SURNAMES


@lru_cache(maxsize=1)
def _word_tags() -> dict:
    return word_tags()  # jieba.posseg's table, read once from jieba's dictionary file (extract_text)


@lru_cache(maxsize=1)
def _freq() -> dict:
    """jieba's word frequencies (main + domain user dictionary), shared with the keywords step."""
    from tasks.extract import word_freq

    return word_freq(min(LEADING_VERB_FREQ, COMMON_WORD_FREQ))  # only ever compared with these thresholds


def _not_word(s: str) -> bool:
    tag = _word_tags().get(s)
    return tag is None or tag.startswith("nr")


@lru_cache(maxsize=1)
def leaders() -> dict[str, tuple[str, str]]:
    """name -> (office, level) of the national leaders list."""
    out = {}
    for line in (DATA_DIR / "leaders.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, office, level = line.split("\t")
            out[name] = (office, level)
    return out


@lru_cache(maxsize=1)
def _leaders_re() -> re.Pattern:
    return re.compile("|".join(sorted(leaders(), key=lambda n: (-len(n), n))))


# Patterns compiled once: re.fullmatch(pattern_string, s) looks the string up in re's Python-level cache on every
# call (~1 us): ~100k calls a 20k-bench shard from the helpers below (session 13).
NAME_SHAPE_RE = re.compile(rf"[{HAN}]{{2,{MAX_NAME}}}")
TITLE_TAIL_RE = re.compile(rf"(?:代理|代|常务|执行)?副?(?:{TITLE})$")
NATIONAL_OFFICE_RE = re.compile(r"(?:中共中央|中央|国务院|国家|全国|最高人民)")
NATIONAL_TITLE_RE = re.compile(r"总书记|总理|国务委员|委员长")
OFFICE_HEAD_RE = re.compile(r"(?:中共)?([省市区县州旗盟镇乡自])")
HEAD_CHIEF_RE = re.compile(r"([省市区县州旗盟镇乡])长$")
SPACES_CLASS_RE = re.compile(f"[{SPACES}]")


def plausible_name(s: str) -> bool:
    """Surname + 1-2 characters (compound surname + 1-2), no function characters, not an ordinary word."""
    if not NAME_SHAPE_RE.fullmatch(s):
        return False
    if s[0] in FUNC_FIRST and s not in leaders() and (len(s) == 2 or plausible_name(s[1:])):
        return False
    sn = _surnames()
    if len(s) >= 3 and s[:2] in sn:
        given = s[2:]
    elif s[0] in sn and len(s) <= 3:
        given = s[1:]
    else:
        return False
    if any(c in NON_NAME_CHARS for c in given):
        return False
    if s in leaders():
        return True
    if len(s) == 2 and s[0] == s[1] and _freq().get(s, 0) >= COMMON_WORD_FREQ:
        return False  # 谢谢 (jieba tags it nr; `谢谢总理` was a national person), 常常: a doubled character is a word
    tags = _word_tags()
    tag = tags.get(s)
    if tag is not None and not tag.startswith("nr"):
        return False  # 代表, 干部, 池州, 班主任: words
    if len(s) == 3:
        t1, t2 = tags.get(s[1:]), tags.get(s[:2])
        if t2 is not None and t2[0] in "mrq":
            return False  # 许多老(同志), 这些人: a numeral or pronoun
        if t2 is not None and t2[0] in "vdacp" and _freq().get(s[:2], 0) >= LEADING_VERB_FREQ:
            return False  # 高举毛(主席), 全面地: the first two characters are a common verb or adverb (not 包起|帆)
        if s[0] in FUNC_FIRST:
            return False  # 和列席(同志): a particle, not the rare surname
        if t2 is not None and t2.startswith("ns"):
            return False  # 兰州蓝、金城绿、黄河清: a place and a colour
        if t1 is not None and not t1.startswith("nr") and _freq().get(s[1:], 0) >= COMMON_WORD_FREQ:
            return False  # 宁主义 (列宁主义), 江流域: the given name would be a frequent word
        # 江流域, 周年度: the last two characters are an ordinary word and the first two are not a name
        if t1 is not None and t1[0] in "vdacpumrf" and not (t2 or "").startswith("nr"):
            return False  # 江流动, 周年度; a time word or place is a possible given name (吴东来, 张德江)
        if t1 is not None and t1 in ("n", "vn", "v", "a", "d", "m", "f") and t2 is not None and not t2.startswith("nr"):
            return False
    by_name = regions.load_gazetteer().by_name
    return not (by_name.get(s) or by_name.get("~" + s))  # 黄山, 龙岩, 娄烦 are places


def _office_level(name: str, office: str | None) -> str | None:
    """The level of a mention's office; an office that says none (主席, 副主席: a 政协's or the state's) held by a
    national leader (`毛泽东主席`, `习近平主席`, `叶剑英副主席`: 70 rows of the shared corpus's national documents) is
    the leader's level."""
    if not office:
        return None
    if (level := _level_of(office)) or office.endswith("书记"):
        return level  # `习近平书记`: a province's secretary in 2005, the party's general secretary is 总书记
    return leaders()[name][1] if name in leaders() else None


def _level_of(office: str) -> str | None:
    """Level of the jurisdiction an office belongs to (省委书记 -> province), when the office says it."""
    if NATIONAL_OFFICE_RE.match(office) or NATIONAL_TITLE_RE.search(office):
        return "national"
    m = OFFICE_HEAD_RE.match(office)
    head = m.group(1) if m else None
    if head is None:
        m2 = HEAD_CHIEF_RE.search(office)
        head = m2.group(1) if m2 else None
    return {
        "省": "province",
        "自": "province",
        "市": "prefecture",
        "州": "prefecture",
        "盟": "prefecture",
        "区": "county",
        "县": "county",
        "旗": "county",
        "镇": "township",
        "乡": "township",
    }.get(head or "")


def _office_ok(text: str, m: re.Match, place_spans: dict[int, tuple[int, bool]]) -> bool:
    """An office match is an office, not the tail of a word: 干部长期, 池州长江, 社区长远 are not 部长/州长/区长."""
    s = m.start()
    if s == 0:
        return True
    tag = _word_tags().get(text[s - 1 : s + 1])
    head = TITLE_TAIL_RE.sub("", m.group(0))
    if tag is not None and not tag.startswith("nr") and not head:
        return False  # a bare title whose first character belongs to the word before it (干部|长期, 全县|长远)
    hit = place_spans.get(s)
    return not (hit is not None and hit[1])  # the office's first character closes a place alias (池州|长江)


def _name_after(text: str, p: int, bare_title: bool = False) -> tuple[int, str] | None:
    """The name starting at p (after optional spaces): longest plausible length followed by a boundary.

    Right after a title with no organ (总书记盛赞, 区长江路, 市长安镇) a two-character "name" is usually a word;
    it counts only in a byline (a space between) or from the leaders' list."""
    q = p
    while q < len(text) and q - p < 3 and text[q] in SPACES:
        q += 1
    dotted = DOTTED_NAME_RE.match(text, q)
    if dotted and _dotted_ok(dotted.group(0)) and (FOLLOW_RE.match(text, dotted.end()) or dotted.end() == len(text)):
        name = dotted.group(0)
        while (m := DOTTED_VERB_TAIL_RE.search(name)) and m.start() - name.index("·") > 2:
            name = name[: m.start()]  # 艾尔肯·吐尼亚孜出席: the verb after the name is not part of it
        return q, name  # 自治区主席 艾尔肯·吐尼亚孜
    for n in (4, 3, 2):
        cand = text[q : q + n]
        if len(cand) < n or not plausible_name(cand):
            continue
        if n == 3 and cand[2] == "摄":
            continue  # 记者 戴冰摄: a photo credit
        if n == 2 and cand not in leaders() and (cand[-1] in NOT_LAST or (bare_title and q == p)):
            continue
        hard_end = q + 3 >= len(text) or not re.match(rf"[{HAN}]", text[q + 3])
        if n == 3 and cand[2] in NOT_THIRD and plausible_name(cand[:2]) and cand not in leaders() and not hard_end:
            continue
        if FOLLOW_RE.match(text, q + n) or q + n == len(text):
            return q, cand
    return None


def _dotted_ok(s: str) -> bool:
    """A dotted name's parts are transliterations, not words: `市长在线·民声留言板` is a hotline (在线 is a
    frequent word), `艾尔肯·吐尼亚孜`, `司马义·艾买提`, `川·立派` (立派: a rare noun) are names."""
    tags, freq = _word_tags(), _freq()
    for part in re.split("[·•・]", s):
        for n in range(len(part), 1, -1):
            tag = tags.get(part[:n])
            if tag is not None:
                if not tag.startswith(("nr", "ns")) and freq.get(part[:n], 0) >= LEADING_VERB_FREQ:
                    return False  # the part begins with a frequent ordinary word (在线)
                break
    return True


def _name_before(text: str, q: int, comrade: bool = False) -> tuple[int, str] | None:
    """The name ending at q whose left neighbour is a boundary (向|习近平|同志, 、|李希|同志).

    Before 同志 a two-character name may follow any character that cannot start a longer name (革命家|康生|同志)."""
    for n in (4, 3, 2):
        s = q - n
        if s < 0:
            continue
        cand = text[s:q]
        if not plausible_name(cand):
            continue
        prev = text[s - 1] if s > 0 else "\n"
        if comrade and n <= 3 and (prev not in _surnames() or _ends_word(text, s)):
            return s, cand  # 革命家康生同志, 好干部张鸣岐同志, 优秀教师王思明同志: a plausible name right before 同志
        if (t := _word_tags().get(prev + cand[0])) is not None and not t.startswith("nr"):
            continue  # 了解毛主席: the first character belongs to the word before it
        if prev in LEFT_OK or not re.match(rf"[{HAN}]", prev):
            return s, cand
        if re.search(rf"(?:{TITLE})$", text[max(0, s - 12) : s]):
            return s, cand  # 国务院总理李强同志
    return None


def _starts_word(s: str) -> bool:
    """s begins with an ordinary word of two or three characters (反革命, 反党)."""
    tags = _word_tags()
    return any((t := tags.get(s[:n])) is not None and not t.startswith("nr") for n in (3, 2) if len(s) >= n)


def _ends_word(text: str, s: int) -> bool:
    """A dictionary word ends at s (教师|王思明): the character before s is not the start of the name."""
    tags = _word_tags()
    return any((t := tags.get(text[s - n : s])) is not None and not t.startswith("nr") for n in (2, 3) if s >= n)


def _free_edge(c: str) -> bool:
    """A name cut out of a longer run ends at a character that cannot continue it (王张江|姚 is four surnames)."""
    return c in LEFT_OK or c not in _surnames()


def _list_names(text: str, s: int, e: int) -> list[tuple[int, str]]:
    """Names joined to the one at [s, e) by 、 (李强、赵乐际、王沪宁、蔡奇): each token between 、 is whole."""
    out = []
    i = s
    while i > 0 and text[i - 1] == "、":
        j = i - 1
        k = j
        while k > 0 and j - k < MAX_NAME and re.match(rf"[{HAN}]", text[k - 1]) and text[k - 1] != "、":
            k -= 1
        tok = text[k:j]
        if not plausible_name(tok) or (k > 0 and re.match(rf"[{HAN}]", text[k - 1]) and text[k - 1] != "、"):
            # the token may follow an office (政治局常委李强、赵乐际): accept when an office ends right before it
            m = None
            for n in (3, 2):
                cand = text[j - n : j]
                before = text[j - n - 1] if j - n > 0 else "\n"
                # not cut out of a dictionary word ending at the 、 (科学发展观、习近平 is not 展观)
                inside_word = any(not _not_word(text[j - k : j]) for k in (n + 1, n + 2) if j - k >= 0)
                if j - n >= 0 and plausible_name(cand) and _not_word(cand) and _free_edge(before) and not inside_word:
                    m = (j - n, cand)  # 还会出|王明、刘少奇: the list is anchored, its first name is the token's tail
                    break
            if m:
                out.append(m)
            break
        out.append((k, tok))
        i = k
    i = e
    while i < len(text) and text[i] == "、":
        j = i + 1
        k = j
        while k < len(text) and k - j < MAX_NAME and re.match(rf"[{HAN}]", text[k]) and text[k] != "、":
            k += 1
        tok = text[j:k]
        if not plausible_name(tok):
            # the list's last name runs into 同志/等同志 (蔡奇、丁薛祥、李希同志)
            mm = re.match(rf"([{HAN}]{{2,{MAX_NAME}}}?)(?:等)?同志", text[j : j + MAX_NAME + 3])
            if mm and plausible_name(mm.group(1)):
                out.append((j, mm.group(1)))
            else:
                for n in (3, 2):  # 刘少奇、陈伯达|塞进: the last name runs into the next word
                    cand = text[j : j + n]
                    if n == 3 and _starts_word(text[j + 2 : j + 5]):
                        continue  # 林彪、江青|反革命集团
                    after = text[j + n] if j + n < len(text) else "\n"
                    if plausible_name(cand) and _not_word(cand) and cand[-1] not in NOT_LAST and _free_edge(after):
                        out.append((j, cand))
                        break
            break
        out.append((j, tok))
        i = k
    return out


def _list_token_ok(t: str) -> bool:
    return plausible_name(t) and (t in _word_tags() or t[-1] not in NOT_LAST) and _not_word(t)


# the Han run (at most 12 characters) that ends where a search's endpos is
HAN_TAIL_RE = re.compile(rf"[{HAN}]{{1,12}}\Z")


def long_lists(text: str) -> Iterator[re.Match]:
    """LONG_LIST_RE.finditer(text), trying the pattern only where a list can start: the Han run right before each
    、. From any later start in that run the list is the same (it is read from the 、 on), so one try per 、 is
    enough; the regex alone backtracks up to 12 characters at every Han character of the text. Only a 、 that two
    more tokens follow (LONG_LIST_MARK_RE) is tried: the list's first token is the whole run before it (a 、 ends
    the run), so its match needs them right after that 、 (most 、 of the 20k bench's cold annotate calls have
    none: 186k of 298k on cold calls 5-12, `A、B` pairs; session 60)."""
    pos = 0  # where finditer would resume
    for mark in LONG_LIST_MARK_RE.finditer(text):
        q = mark.start()
        if q < pos:
            continue
        run = HAN_TAIL_RE.search(text, max(pos, q - 12), q)
        if run is not None:
            m = LONG_LIST_RE.match(text, run.start())
            if m is not None:
                yield m
                pos = m.end()


# A 、 that a list of LONG_LIST_RE can start at: a token of 1-12 Han characters, a 、 and a Han character after it
LONG_LIST_MARK_RE = re.compile(rf"、(?=[{HAN}]{{1,12}}、[{HAN}])")


def name_lists(text: str) -> Iterator[re.Match]:
    """NAME_LIST_RE.finditer(text), trying the pattern only where a match can start: its first name is two or three
    Han characters followed by 、, so 2 or 3 characters before a 、 (the regex alone is tried at every character), and
    only in a run of Han characters and 、 that holds a list's end (、, a last name, 等: NAME_LIST_END_RE) after it. A
    match reads Han characters and 、 alone up to that end, so a start in a run without one cannot match: 9 of 10
    starts on the 20k bench's cold annotate calls (318k of 29k), each a regex try that read its chain (session 60)."""
    marks: list[int] | None = None
    keep: set[int] = set()
    n_text = len(text)
    rev = ""
    for end in NAME_LIST_END_RE.finditer(text):
        p = end.start()  # the last 、 of any list that ends here
        if marks is None:
            marks, rev = [m.start() for m in LIST_MARK_RE.finditer(text)], text[::-1]
        # the run of Han characters and 、 ending at p, read backwards (text reversed: in C), at most as far back as a
        # match that reaches p can start
        run = LIST_RUN_RE.match(rev, n_text - 1 - p, min(n_text, n_text - p + NAME_LIST_MAX_CHARS))
        first = n_text - run.end()  # type: ignore[union-attr]
        last = bisect_right(marks, p)
        keep.update(q - 2 for q in marks[bisect_left(marks, first + 2) : last])  # starts in the run, from `first`
        keep.update(q - 3 for q in marks[bisect_left(marks, first + 3) : last])
    pos = 0
    for s in sorted(keep):
        if s < pos:
            continue
        m = NAME_LIST_RE.match(text, s, min(n_text, s + NAME_LIST_MAX_CHARS))
        if m is not None:
            yield m
            pos = m.end()


LIST_MARK_RE = re.compile("、")
# Where a NAME_LIST_RE match ends: its last 、, last name and 等; and the characters its matches are made of
NAME_LIST_END_RE = re.compile(rf"、[{HAN}]{{2,3}}等")
LIST_RUN_RE = re.compile(rf"[{HAN}、]*")
# A 、 list closed by 等 is read at most this far from its start: a try reads the whole 、 chain before it finds no 等,
# and there are two tries per 、, so a page of one long chain (`一、发展` repeated: 24 s for 100,000 characters) cost
# n². The longest such list of the shared corpus's 680 pages is 48 characters (~12 names); 400 holds ~100.
NAME_LIST_MAX_CHARS = 400


def _long_list(text: str, m: re.Match) -> list[tuple[int, str]]:
    """Names of a 、 list of three or more (马天水、于会泳、迟群、张铁生): the inner tokens must each be a name the
    dictionary does not know as a word; the outer ones are cut from their neighbours (象|马天水, 陈阿大|那样)."""
    toks = m.group(0).split("、")
    starts, pos = [], m.start()
    for t in toks:
        starts.append(pos)
        pos += len(t) + 1
    if not all(2 <= len(t) <= 3 and _list_token_ok(t) for t in toks[1:-1]):
        return []
    first = last = None
    for n in (3, 2):
        t = toks[0][-n:]
        b = starts[0] + len(toks[0]) - n
        if len(toks[0]) >= n and _list_token_ok(t) and (len(toks[0]) == n or _free_edge(text[b - 1])):
            first = (b, t)
            break
    for n in (3, 2):
        t = toks[-1][:n]
        if n == 3 and _starts_word(toks[-1][2:]):
            continue  # 江青|反革命集团
        if len(toks[-1]) >= n and _list_token_ok(t) and (len(toks[-1]) == n or _free_edge(toks[-1][n])):
            last = (starts[-1], t)
            break
    if first is None or last is None:
        return []
    names = [first] + [(st, t) for st, t in zip(starts[1:-1], toks[1:-1], strict=True)] + [last]
    if sum(len(t) == 3 for _, t in names) < MIN_LIST_FULL_NAMES:
        return []  # 成德、成眉、成资 (rail lines), 战贫、战疫、战洪: short tokens are rarely a list of people
    return names


def _bylines(text: str) -> list[tuple[int, str, int]]:
    """(start, name, end) of a line near the top that is only a name (`李　强`, `周本顺`)."""
    out = []
    pos = 0
    for n_line, line in enumerate(text.split("\n")):
        if n_line > 15:
            break
        raw = line.strip(SPACES + "#*>")
        name = SPACES_CLASS_RE.sub("", raw)
        if 2 <= len(name) <= 3 and plausible_name(name) and len(raw) <= 5:
            out.append((pos + line.index(raw[0]), name, pos + line.index(raw[0]) + len(raw)))
        pos += len(line) + 1
    return out


def _bare_ok(text: str, s: int, e: int) -> bool:
    """A known name standing alone is a name unless it sits inside a word (李强调研, 包罗干将)."""
    tags = _word_tags()
    for w in (text[e - 1 : e + 1], text[e - 1 : e + 2]) if e - s == 2 else ():
        if len(w) >= 2 and (t := tags.get(w)) is not None and not t.startswith("nr"):
            return False
    for n in (4, 3):
        w = text[s : s + n]
        if n > e - s and len(w) == n and (t := tags.get(w)) is not None and not t.startswith("nr"):
            return False
    if s > 0:
        w = text[s - 1 : s + 1]
        if (t := tags.get(w)) is not None and not t.startswith("nr") and e - s == 2:
            return False
        if text[s - 1] in _surnames() and text[s - 1] not in LEFT_OK and plausible_name(text[s - 1 : e]):
            return False  # 张李强: the name is longer than the one we know
    return True


def person_mentions(doc_id: str, text: str, place_hits: list | None = None) -> list[dict]:
    """Person rows: every occurrence of a name that has evidence in this document."""
    if place_hits is None:
        place_hits = regions.find_places(text)
    gz_hits = {h.end - 1: (h.start, h.is_alias) for h in place_hits}
    found: dict[int, dict] = {}  # name start -> row
    names: dict[str, str | None] = {}  # established name -> an office seen with it

    def add(s: int, name: str, span_s: int, span_e: int, office: str | None) -> None:
        row = found.get(s)
        if row is not None and (row["office"] or not office):
            return
        if office:
            # 海南省省长 reads 省|省长 and 广州市代市长 市|代市长: the office is 省长, 代市长, and the
            # mention starts there (天津市市长 张工: `市长 张工`, not `市市长 张工`)
            cut = re.match(r"([省市区县州])(?=(?:代理|代|常务|执行)?副?\1)", office)
            if cut:
                office = office[1:]
                span_s += span_s < s  # the office came first: its span starts at the office
        found[s] = {
            "doc_id": doc_id,
            "kind": "person",
            "text": text[span_s:span_e],
            "name": name,
            "office": office,
            "level": _office_level(name, office),
            "start": span_s,
            "end": span_e,
        }
        if office or name not in names:
            names[name] = office or names.get(name)

    # office, then name
    for m in OFFICE_RE.finditer(text):
        if not _office_ok(text, m, gz_hits):
            continue
        bare = not TITLE_TAIL_RE.sub("", m.group(0))
        got = _name_after(text, m.end(), bare_title=bare)
        if got is None:
            continue
        s, name = got
        if m.group(0).endswith("代表") and not re.search(r"代表[\s\u3000]", text[m.end() - 2 : m.end() + 1]):
            continue  # 代表李强: only `代表 李强` in a byline
        add(s, name, m.start(), s + len(name), m.group(0))
        for ls, lname in _list_names(text, s, s + len(name)):
            add(ls, lname, ls, ls + len(lname), None)
    # name, then office or 同志
    for m in AFTER_RE.finditer(text):
        got = _name_before(text, m.start(), comrade=m.group(0).startswith("同志"))
        if got is None:
            continue
        s, name = got
        office = None if m.group(0).startswith("同志") else m.group(0)
        add(s, name, s, m.end() if office else s + len(name), office)
        for ls, lname in _list_names(text, s, s + len(name)):
            add(ls, lname, ls, ls + len(lname), None)
    for m in name_lists(text):
        toks = m.group(0)[:-1].split("、")
        pos = m.start()
        if len(toks[0]) == 3 and not plausible_name(toks[0]) and m.start() > 0:
            toks[0], pos = toks[0][1:], pos + 1  # 出朱亚民 -> 朱亚民 is handled by the match start; 现出朱 is not
        if all(plausible_name(t) and t not in _word_tags() and t[-1] not in NOT_LAST for t in toks) and (
            sum(len(t) == 3 for t in toks) >= MIN_LIST_FULL_NAMES
        ):
            for t in toks:
                add(pos, t, pos, pos + len(t), None)
                pos += len(t) + 1
    for m in long_lists(text):
        for ls, lname in _long_list(text, m):
            add(ls, lname, ls, ls + len(lname), None)
    for s, name, e in _bylines(text):
        if names or name in leaders():
            add(s, name, s, e, None)
    # every other occurrence of an established or national-leader name; names a list adds get a second round
    done: set[str] = set()
    named_leaders = set(_leaders_re().findall(text)) - WORD_LIKE_LEADERS
    for _round in range(2):
        known = (set(names) | named_leaders) - done
        if not known:
            break
        done |= known
        alt = "|".join(re.escape(n) for n in sorted(known, key=lambda n: (-len(n), n)))
        for m in re.finditer(alt, text):
            s, e = m.span()
            if s in found or any(r["start"] <= s < r["end"] for r in _around(found, s)):
                continue
            if not _bare_ok(text, s, e):
                continue
            if DOCTRINE_RE.match(text, e):
                continue  # 毛泽东思想, 邓小平理论, 习近平新时代中国特色社会主义思想: a doctrine, not the person
            after = AFTER_RE.match(text, e)
            if after and not after.group(0).startswith("同志"):
                add(s, m.group(0), s, after.end(), after.group(0))
            else:
                add(s, m.group(0), s, e, None)
            for ls, lname in _list_names(text, s, e):
                add(ls, lname, ls, ls + len(lname), None)
    for a, b in _thing_lists(text):
        for s in [k for k, row in found.items() if a <= k < b and not row["office"]]:
            del found[s]
    return sorted(found.values(), key=lambda r: r["start"])


# A 、 list closed by 等 and a noun of things (可喜安、韩正、华瑞等人参精加工企业; 王老吉、周黑鸭、张小泉等老字号) names
# brands or firms, not people, though its tokens read as names; 等企业家 / 等公司负责人 are people again.
THING_LIST_END_RE = re.compile(
    r"等[^，。；：！？、\n]{0,8}?(?:企业|品牌|公司|集团|产品|商标|老字号|门店|商家|药业|食品)"
    r"(?!家|负责人|代表|领导|职工|员工|老板|主|高管|老总)"
)


def _thing_lists(text: str) -> list[tuple[int, int]]:
    """Spans of 、 lists that name things (THING_LIST_END_RE): from 等 back token by token over the 、 chain; the
    first token's span is its last MAX_NAME characters (培育壮大可喜安: a name there starts in 可喜安)."""
    spans = []
    for m in THING_LIST_END_RE.finditer(text):
        end = start = m.start()
        floor = max(0, end - NAME_LIST_MAX_CHARS)
        while True:
            tok = start
            while tok > floor and tok > start - MAX_NAME_LIST_TOKEN and _NAME_CHAR.match(text[tok - 1]):
                tok -= 1
            if tok > floor and text[tok - 1] == "、":
                start = tok - 1
                continue
            start = max(tok, start - MAX_NAME)
            break
        if "、" in text[start:end]:
            spans.append((start, end))
    return spans


MAX_NAME_LIST_TOKEN = 12  # a brand or firm between 、 (LONG_LIST_RE's tokens)
_NAME_CHAR = re.compile(f"[{HAN}·]")
_HAN_CHAR = re.compile(f"[{HAN}]")


# A leader's name that names a doctrine (a third of the shared corpus's person rows were these, session 42)
DOCTRINE_RE = re.compile(r"(?:新时代中国特色社会主义|经济|法治|生态文明|强军|外交|文化|文艺)?(?:思想|理论)(?!工作|家)")


def _around(found: dict[int, dict], s: int) -> list[dict]:
    return [found[k] for k in range(max(0, s - 16), s + 1) if k in found]


@lru_cache(maxsize=1)
def _org_words() -> frozenset[str]:
    words = set()
    for line in (DATA_DIR / "orgs.txt").read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("*"):  # departments: with and without a level prefix (发改局, 区发改局)
            core = line[1:]
            words.add(core)
            for p in "省市区县":
                words.add(p + core)
        else:
            words.add(line)
    return frozenset(words)


@lru_cache(maxsize=1)
def _org_re() -> re.Pattern:
    """The organizations as one alternation, longest first (the reference _org_matches must agree with)."""
    words = _org_words()
    alt = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    first = "".join(re.escape(c) for c in sorted({w[0] for w in words}))  # one set test per position, not one per word
    return re.compile(rf"(?=[{first}])(?:{alt})")


@lru_cache(maxsize=1)
def _org_index() -> tuple[dict[str, list[str]], tuple[int, Any, Any]] | None:
    """Organizations by their first two characters, longest first, and the sorted codes of those pairs; None when
    a one-character organization exists (the pair scan cannot see it)."""
    import numpy as np

    words = _org_words()
    if any(len(w) < 2 for w in words):
        return None
    by_prefix: dict[str, list[str]] = {}
    for w in sorted(words, key=lambda w: (-len(w), w)):
        by_prefix.setdefault(w[:2], []).append(w)
    codes = np.array(sorted(regions._gram_code(p) for p in by_prefix), dtype=np.uint64)
    firsts = np.zeros(max(ord(p[0]) for p in by_prefix) + 2, dtype=bool)
    firsts[[ord(p[0]) for p in by_prefix]] = True
    return by_prefix, (2, firsts, codes)


def _org_matches(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of _org_re's matches: its alternation tried, in effect, only where a text's two
    characters begin an organization (a NumPy lookup), instead of at every position whose first character may
    (~1.5 % of extract's CPU on a 20k-bench shard)."""
    index = _org_index()
    if index is None:
        return [(m.start(), m.end(), m.group(0)) for m in _org_re().finditer(text)]
    return regions.literal_scan(text, *index)


def place_mentions(doc_id: str, text: str, taken: bytearray, place_hits: list | None = None) -> list[dict]:
    """Gazetteer hits outside `taken` spans; a hit gets its full name and level only when one division fits.

    One division fits when the name has a single division and, for a county's short form (金山 for 金山区), the
    document also names its province or prefecture; with several divisions (朝阳区), the one whose parent is named.
    A full name that stays ambiguous is kept with its surface as name and no level; a short form is dropped."""
    gz = regions.load_gazetteer()
    if place_hits is None:
        place_hits = regions.find_places(text)
    hits = [h for h in place_hits if not _inside(h.start, h.end, taken) and not _cuts_a_word(text, h)]
    named_parents: set[str] = set()
    for h in hits:
        divs = gz.by_name.get(h.key, [])
        if len(divs) == 1 and divs[0].level in (regions.PROVINCE, regions.PREFECTURE):
            named_parents.add(divs[0].province or "")
            if divs[0].city:
                named_parents.add(divs[0].city)
    rows = []
    freq = _freq()
    for h in hits:
        divs = gz.by_name.get(h.key, [])
        fit = None
        generic = GENERIC_COUNTY_RE.match(h.surface) or (h.is_alias and freq.get(h.surface, 0) >= LEADING_VERB_FREQ)
        if len(divs) == 1 and divs[0].level not in (regions.PROVINCE, regions.PREFECTURE) and generic:
            # a county named like an ordinary word (老城区, 滨海新区) or by a frequent one (新建, 惠民, 中原, 金山):
            # a place only where the document names its prefecture
            if divs[0].city not in named_parents:
                continue
            fit = divs[0]
        elif len(divs) == 1 and (not h.is_alias or divs[0].level in (regions.PROVINCE, regions.PREFECTURE)):
            fit = divs[0]
        else:
            ctx = [
                d
                for d in divs
                if d.level != regions.PROVINCE
                and (d.province in named_parents or (d.city in named_parents and d.city != d.name))
            ]
            if len(ctx) == 1:
                fit = ctx[0]
        if fit is None and h.is_alias:
            continue  # an unresolved short form is as often a word (新建, 惠民, 红旗) as a place
        rows.append(
            {
                "doc_id": doc_id,
                "kind": "place",
                "text": h.surface,
                "name": fit.full_name if fit else h.surface,
                "office": None,
                "level": fit.level if fit else None,
                "start": h.start,
                "end": h.end,
            }
        )
    return rows


# Words read around a place hit (normalize's segmenter, jieba's precise mode) to tell a place from a cut word: a
# window this wide each side holds the words that could cross the hit's ends (jieba's longest are 4-7 characters).
PLACE_WORD_WINDOW = 8
# What may follow a place inside one dictionary word and leave it a place: 四川省委, 和县县域, 北京市民, 县级
PLACE_WORD_TAIL_RE = re.compile(
    r"^(?:委|政府|人民政府|人大|政协|党委|州|地区|域|级|籍|内|外|直属|属|境|方面|人|民|长|城区|区)"
)


# A word that begins with a place and names something else there: a lake, a mountain, a road, a school
PLACE_FEATURE_TAIL_RE = re.compile(
    r"^(?:湖|山|江|河|湾|海|岛|峡|峰|岭|港|路|街|桥|泉|洞|沟|湿地|水库|大道|大学|学院|医院|平原|盆地|沙漠|山脉|草原)"
)


# Adjacent character pairs inside the dictionary's words (_word_tags), hashed into a bit filter of 2^this bits (2 MB):
# _cuts_a_word's tests all read a dictionary word that holds the pair across the hit's start or across its end, or
# the hit itself as a word. Where neither pair is in any word and the hit is no such word, no segmentation of its
# window can cut it, and it is not segmented: 59 % of the place hits of 595 documents of the 20k bench's cold
# annotate calls (a pair hashed onto another's bit only costs the segmentation it had before). 2^24 bits hold the
# dictionary's ~320k pairs with 1.5 % of the hits' other end pairs colliding there (3.4 % with 2^23 bits).
WORD_PAIR_BITS = 24
WORD_PAIR_MULT = 0x9E3779B1  # odd: spreads the code points' pairs over the bits (21 + 32 bits: no uint64 overflow)


@lru_cache(maxsize=1)
def _word_pair_filter() -> bytes:
    """The bit filter of WORD_PAIR_BITS: bit h set for every pair (x, y) of adjacent characters of a dictionary word
    (and, harmlessly, across the separator between two words), h as _in_a_word_pair hashes it; built in NumPy
    (~0.07 s)."""
    import numpy as np

    joined = "\0".join(_word_tags())
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    hashes = (codes[:-1] * np.uint64(WORD_PAIR_MULT) + codes[1:]) & np.uint64((1 << WORD_PAIR_BITS) - 1)
    bits = np.zeros(1 << WORD_PAIR_BITS, dtype=bool)
    bits[hashes] = True
    return np.packbits(bits, bitorder="little").tobytes()


def _in_a_word_pair(x: str, y: str) -> bool:
    """Whether x then y may stand inside a dictionary word (False: they stand in none)."""
    h = (ord(x) * WORD_PAIR_MULT + ord(y)) & ((1 << WORD_PAIR_BITS) - 1)
    return bool(_word_pair_filter()[h >> 3] >> (h & 7) & 1)


def _cuts_a_word(text: str, hit: Any) -> bool:
    """A gazetteer hit that is not a word of its sentence: 示范县 holds 范县, 义务教育和县乡 reads 和|县乡, 均衡水平 衡水,
    以上城市 上城, 绿水青山 青山, 鄱阳湖 鄱阳 (a lake, not the county); a short form that is an ordinary word (惠民, 新建).
    23 % of the county mentions of the shared corpus were such words (session 42)."""
    from tasks.extract import word_spans

    s, e = hit.start, hit.end
    if (
        not (s and _in_a_word_pair(text[s - 1], text[s]))
        and not (e < len(text) and _in_a_word_pair(text[e - 1], text[e]))
        and not (hit.is_alias and not (_word_tags().get(text[s:e]) or "ns").startswith(("ns", "nr")))
    ):
        # every test below needs a dictionary word across the hit's start (a < s < b), across its end (s < a < e < b;
        # a == s < e < b), or the alias itself as a word of another kind than a place or a name (a == s, b == e):
        # none exists (WORD_PAIR_BITS)
        return False
    lo = max(0, s - PLACE_WORD_WINDOW)
    words = _word_tags()
    for a, b in word_spans(text[lo : min(len(text), e + PLACE_WORD_WINDOW)]):
        a, b = a + lo, b + lo
        # every test below reads a word that crosses the hit's start, starts inside it and runs past its end, or
        # starts with it: the others (~5 of a window's ~6 words) were sliced and looked up for nothing, and the words
        # come in order, so none after one starting at or past the hit's end is read
        if a >= e:
            break
        if not (a < s < b or s < a < e < b or a == s):
            continue
        if b - a < 2 or text[a:b] not in words:
            continue  # only a dictionary word is evidence (jieba's HMM joins unknown names: 台湾同胞, 玉树州)
        if s < a < e < b and e - a == 1 and text[a] in "省市县区州旗盟" and PLACE_WORD_TAIL_RE.match(text[e:b]):
            continue  # 开封|市民, 贵州|省委: the place's own suffix begins an office or its people
        if a < s < b or s < a < e < b:
            return True  # a word runs into the hit's start, or out of it past its end
        if a == s and b > e and PLACE_FEATURE_TAIL_RE.match(text[e:b]):
            return True  # the hit begins the name of a lake, a mountain, a road … (鄱阳湖, 长白山, 河北大学)
        if a == s and b == e and hit.is_alias and _county_or_below(hit.key):
            tag = _word_tags().get(text[s:e])
            if tag is not None and not tag.startswith(("ns", "nr")):
                return True  # a county's short form that is a frequent ordinary word (惠民, 新建); jieba's tags of
                # cities are not to be trusted (合肥: n, 遵义: v, 大连: d), so prefectures are never judged so
    return False


# County names that are also what any city has: 老城区 (洛阳's, and every old town), 滨海新区, 城关区 …
GENERIC_COUNTY_RE = re.compile(r"^(?:老城|新城|城关|城中|市中|城区|郊|矿|滨海新|新)区$")


def _county_or_below(key: str) -> bool:
    divs = regions.load_gazetteer().by_name.get(key, [])
    return bool(divs) and all(d.level not in (regions.PROVINCE, regions.PREFECTURE) for d in divs)


ORG_LEVEL_CHARS = "省市区县州"  # 市政府, 区政府 …: after 全 the whole level's governments
CPC_PREFIX = "中共"  # 中共河南省委: kept in the mention's text, not in its name


def _inside(s: int, e: int, used: bytearray) -> bool:
    return any(used[s:e])


# Organizations of the whole country (orgs.txt): never named with a place before them.
NATIONAL_ORG_PREFIXES = ("全国", "中共中央", "中央", "国务院", "最高人民")


def extract_mentions(doc_id: str, text: str) -> list[dict]:
    """Person, organization and place rows of one document, sorted by (start, kind)."""
    place_hits = regions.find_places(text)
    rows = person_mentions(doc_id, text, place_hits)
    taken = bytearray(len(text) + 1)  # characters already inside a mention
    place_ends = {h.end: h for h in place_hits}  # 郴州市|市委: a place ending in or right before an organization
    for r in rows:
        s, e = r["start"], r["end"]
        # 罗城仫佬族自治县|县人民政府县长 蒋韦慧: the office repeats its place's level character; the place stays a
        # mention of its own (the person's text starts at the office, as before)
        place = next((place_ends[p] for p in range(s + 1, min(e, s + len("自治区")) + 1) if p in place_ends), None)
        own = place.end if place is not None and place.start < s else s
        taken[own:e] = b"\1" * (e - own)
    for s, e, org in _org_matches(text):
        if _inside(s, e, taken):
            continue
        if s and text[s - 1] == "全" and org[0] in ORG_LEVEL_CHARS:
            continue  # 全市政府投资, 全省政府系统: the governments of the whole city, not the city government
        start, name = s, org
        place = next((place_ends[p] for p in range(e - 1, s - 1, -1) if p in place_ends), None)
        if place is not None and place.start < s and org.startswith(NATIONAL_ORG_PREFIXES):
            place = (
                None  # 香港特别行政区|全国人大代表: a national organ has no place (the place qualifies its deputies)
            )
        if place is not None and place.start < s:
            # 中共郴州市委, 广西壮族自治区人大, 香港特别行政区政府: the organization named with its place, which
            # stays a place mention of its own
            start, name = place.start, text[place.start : e]
            if text[start - len(CPC_PREFIX) : start] == CPC_PREFIX:
                start -= len(CPC_PREFIX)
        rows.append(
            {
                "doc_id": doc_id,
                "kind": "organization",
                "text": text[start:e],
                "name": name,
                "office": None,
                "level": None,
                "start": start,
                "end": e,
            }
        )
        own = place.end if place is not None and place.start < s else s
        taken[own:e] = b"\1" * (e - own)
    rows += place_mentions(doc_id, text, taken, place_hits)
    rows.sort(key=lambda r: (r["start"], r["kind"]))
    return rows
