"""Figures: the quantities a speech states, with what each measures, whether it is a target, and its year.

One pass over the text, sentence by sentence (`。！？` and line ends); every number with a unit is read together
with its clause (`，；：、`): the phrase before the verb that governs it (the subject before 增长/达到/为/控制在…)
names the indicator, the verb says whether the number is a level or a growth rate, the sentence's cues say target
or outcome. The vocabulary of indicators and how each is recognised is documented in docs/indicators.md.

Not figures: ordinals and session numbers (`第三次会议`, `第十四届`), plan numbers (`十三五`), and set phrases
(`三个代表`, `两个一百年`, `五位一体`) — a Chinese-numeral count below 100 with a counting unit is a formula in
these texts far more often than a quantity.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import lru_cache

from tasks.extract_text import _P, DIGITS, YEAR_RE, _first_chars, _prefixed

# Pure functions of short strings that speeches repeat (the same clause before a number, the same number as written,
# in copies and in every year's report): a bounded per-process memo. 8192 entries of clause-sized strings stay a few MB.
MEMO_SIZE = 8192


@lru_cache(maxsize=256)
def _re(pattern: str) -> re.Pattern:
    """A compiled pattern from a C-level memo: re.search(p, s) pays for re's Python-level cache on every call."""
    return re.compile(pattern)


# ---------------------------------------------------------------- units
# unit as written -> kind. The canonical unit keeps the magnitude word as written, folded to 亿 or 万
# (5.67万亿元 -> 56700 亿元, 52万平方米 -> 52 万平方米, 1400亩 -> 1400 亩, 41314元 -> 41314 元), so values read
# as the text wrote them and a filter on `unit` compares like with like.
UNITS: dict[str, str] = {
    "元": "amount",
    "美元": "amount",
    "人民币": "amount",  # 3807亿人民币: 元, not 3807亿 people (folded to 元 below)
    "个百分点": "rate",
    "%": "percentage",
    "％": "percentage",
    "‰": "percentage",
    "倍": "rate",
    "平方米": "area",
    "平方公里": "area",
    "平方千米": "area",
    "亩": "area",
    "公顷": "area",
    "吨": "weight",
    "公斤": "weight",
    "斤": "weight",
    "千瓦时": "other",
    "千瓦小时": "other",
    "度": "other",
    "千瓦": "other",
    "公里": "other",
    "千米": "other",
    "立方米": "other",
    "岁": "other",
    "人次": "count",
    "人": "count",
    "名": "count",
    "户": "count",
    "辆": "count",
    "套": "count",
    "个": "count",
    "家": "count",
    "项": "count",
    "所": "count",
    "座": "count",
    "条": "count",
    "台": "count",
    "处": "count",
    "件": "count",
    "批": "count",
    "场次": "count",
    "次": "count",
    "位": "count",
}
NO_MAG_UNITS = {"%", "％", "‰", "个百分点", "倍", "岁"}
# Counting units: a Chinese-numeral count below 100 with one of these is a set phrase (三个代表, 五位一体).
COUNT_UNITS = {u for u, k in UNITS.items() if k == "count"} | {"倍"}
MAG = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}
UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=lambda u: -len(u)))
ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CN_NUM = "〇零○一二两三四五六七八九十百千万亿点"
# one number: Arabic with an optional magnitude word, or a Chinese numeral (magnitudes and 多/余 inside)
ONE = rf"(?:(?:{ARABIC})\s?(?:万亿|亿|万|千)?|[{CN_NUM}][{CN_NUM}多余]*|[×XＸx]{{1,3}})"
# Every figure starts with a digit, a Chinese numeral (百分之 included) or a placeholder ×: the lookahead lets the scan
# skip every other position with one set test (tests pin the equivalence with the bare pattern).
FIGURE_FIRST = rf"\d{CN_NUM}×XＸx"
FIGURE_RE = re.compile(
    rf"(?=[{FIGURE_FIRST}])(?P<pct>百分之)?(?P<n1>{ONE})(?P<more>多|余)?(?:(?P<u1>%|％|个百分点)?\s*(?P<sep>[-－—–~～]{{1,2}}|至|到)\s*"
    rf"(?P<pct2>百分之)?(?P<n2>{ONE}))?(?P<more2>多|余)?(?P<unit>{UNIT_ALT})?(?P<more3>多|余)?"
)
PLACEHOLDER_RE = re.compile(r"^[×XＸx]{1,3}$")
# A figure row needs a unit (UNIT_ALT, or %/％/个百分点 before a range's second number) written right after a number's
# last character — a digit, a space (`5 元`), a Chinese numeral or magnitude, 多/余 or a placeholder × — or 百分之.
# A sentence with neither (about half of those with a numeral: years, dates, ordinals) yields no row: extract_figures
# skips it with this one scan instead of FIGURE_RE's scan and a _sentence_figures call (tests pin it on the samples).
UNIT_FIRST = "".join(sorted({u[0] for u in UNITS} | {"%", "％", "个"}))
UNIT_AFTER_NUMBER_RE = re.compile(rf"[\d\s{CN_NUM}多余×XＸx][{re.escape(UNIT_FIRST)}]")
MINUS_NOT_AFTER_RE = re.compile(r"[0-9A-Za-z０-９.%)）]")  # -2.3 after one of these is a dash, not a minus sign
FROM_RE = re.compile(r"[从由]")  # 从3到5 within 12 characters before: a span, not a range of one figure
TIMES_RE = re.compile(r"(?:增长|提高|增加|高出|扩大|是)[近约了]?$")  # 增长三倍: a multiple, not a count
MAG_CHAR_RE = re.compile(r"[万亿千百]")
NOT_ABOVE_RE = re.compile(r"不超过|不高于$")
ORDINAL_BEFORE = ("第", "初", "前", "近", "后")  # 第三次, 初一, 前三季度 (前/后 only before a Chinese numeral)
# matched at a position (.match(sent, pos)), not on a copy of the sentence's rest: a copy per number was quadratic
SESSION_AFTER = re.compile(r"(?:届|次(?:会议|全会|全体|全国|代表|党代会|人代会)|五|中全会|大(?:精神|以来|报告))")
CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
CN_YEAR_RE = re.compile(r"([〇零○一二三四五六七八九]{4})\s*年")

PRE_QUAL = ["约", "近", "超过", "超", "逾", "共", "累计", "达到", "达", "同比", "增长", "下降", "减少", "提高"]
PRE_QUAL += ["突破", "不到", "不足", "年均", "平均每年", "实际"]
POST_QUAL = ["以上", "以下", "左右", "以内", "上下"]
PRE_QUAL_RE = re.compile("|".join(map(re.escape, PRE_QUAL)))
POST_QUAL_FIRST = frozenset(q[0] for q in POST_QUAL)  # a post qualifier starts with one of these


def _cn_small(s: str) -> float | None:
    """一万二千三百 -> 12300; 五点四 -> 5.4; None for anything else."""
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = _cn_small(whole) if whole else 0.0
        if w is None or not frac or any(c not in CN_DIGITS for c in frac):
            return None
        return w + float("0." + "".join(str(CN_DIGITS[c]) for c in frac))
    total, section, digit = 0.0, 0.0, None
    units = {"十": 10, "百": 100, "千": 1000}
    for c in s:
        if c in CN_DIGITS:
            if digit is not None:  # 二〇一六-style digit strings
                digit = digit * 10 + CN_DIGITS[c]
            else:
                digit = CN_DIGITS[c]
        elif c in units:
            section += (digit if digit is not None else 1) * units[c]
            digit = None
        elif c in ("万", "亿"):
            section += digit or 0
            if section == 0:
                return None
            mult = 1e4 if c == "万" else 1e8
            if c == "万" and total and total % 1e8 == 0:
                total += section * mult
            else:
                total = (total + section) * mult
            section, digit = 0.0, None
        else:
            return None
    return total + section + (digit or 0)


@lru_cache(maxsize=MEMO_SIZE)
def _mag_word(num: str) -> str | None:
    """Magnitude a number is written in: 5.67万亿 -> 万亿, 八千七百一十亿 -> 亿, 七亿七千多万 -> 万."""
    m = _re(r"(万亿|亿|万)[多余]?$").search(num.strip())
    return m.group(1) if m else None


@lru_cache(maxsize=MEMO_SIZE)
def _number(s: str) -> tuple[float | None, bool]:
    """(value, is_chinese) of one number as written: 5.67万亿, 1,234, 八千七百一十亿, 七亿七千多万."""
    s = s.strip()
    if s[0].isdigit():
        m = _re(r"([\d,]+(?:\.\d+)?)\s?(万亿|亿|万|千)?$").match(s)
        if not m:
            return None, False
        return float(m.group(1).replace(",", "")) * MAG.get(m.group(2) or "", 1.0), False
    return _cn_small(s.replace("多", "").replace("余", "")), True


def _round6(x: float) -> float:
    """round(x, 6) of a float: an integral float is its own rounding, and round with digits formats the float and
    parses it back (~0.4 us a call, 3 calls a row at most: ~3 % of figures' CPU on a 20k-bench shard, session 13)."""
    return x if x.is_integer() else round(x, 6)


# ---------------------------------------------------------------- indicators
# (indicator, alias regex over the governing phrase, rate indicator?) — most specific first. docs/indicators.md
# documents every entry; tests check the two stay in step.
NATIONAL_GDP = "国内生产总值"
REGIONAL_GDP = "地区生产总值"
INDICATORS: list[tuple[str, str, bool]] = [
    (
        "单位国内生产总值能耗",
        r"单位(?:国内|地区)?生产总值(?:能耗|能源消耗)|单位GDP能耗|万元(?:国内|地区)?生产总值能耗",
        False,
    ),
    ("单位国内生产总值二氧化碳排放", r"单位(?:国内|地区)?生产总值二氧化碳排放|碳排放强度", False),
    ("人均国内生产总值", r"人均国内生产总值|人均GDP", False),
    ("人均地区生产总值", r"人均地区生产总值|人均生产总值", False),
    (
        "规模以上工业增加值",
        r"规模以上工业(?:企业)?增加值|规上工业增加值|规模以上工业(?=(?:生产)?(?:增长|增速|同比|实现|完成|达到|年均|分别))",
        False,
    ),
    ("工业增加值", r"(?:全部)?工业增加值", False),
    ("服务业增加值", r"(?<!商务)(?<!技术)(?<!信息)服务业增加值|第三产业增加值", False),
    ("数字经济核心产业增加值", r"数字经济核心产业增加值", False),
    ("国民生产总值", r"国民生产总值", False),
    (NATIONAL_GDP, r"国内生产总值", False),
    (REGIONAL_GDP, r"地区生产总值|[全本][省市区县州盟旗]生产总值", False),
    ("国民收入", r"国民收入", False),
    ("工农业总产值", r"工农业(?:生产)?总产值", False),
    ("工业总产值", r"工业总产值", False),
    ("农业总产值", r"农业总产值|农林牧渔业?总产值", False),
    (
        "一般公共预算收入",
        r"(?:一般|地方)?公共(?:财政)?预算收入|公共财政收入|地方一般公共预算收入|(?:地方)?(?:财政)?一般预算(?:财政)?收入",
        False,
    ),
    ("一般公共预算支出", r"(?:一般)?公共(?:财政)?预算支出|公共财政支出", False),
    ("税收收入", r"税收收入", False),
    ("财政收入", r"财政(?:总)?收入", False),
    ("财政支出", r"财政(?:总)?支出", False),
    ("财政赤字率", r"赤字率", True),
    ("财政赤字", r"财政赤字|赤字规模|赤字", False),
    ("地方政府专项债券", r"地方政府专项债(?:券)?|专项债(?:券)?", False),
    ("超长期特别国债", r"超长期特别国债", False),
    ("固定资产投资", r"(?<!服务业)(?<!工业)(?<!制造业)(?<!民间)(?<!农业)(?<!产业)固定资产投资|全社会投资", False),
    ("社会消费品零售总额", r"社会消费品零售(?:总)?额|社会商品零售(?:总)?额|消费品零售额", False),
    ("城镇居民人均可支配收入", r"城镇(?:常住)?居民(?:人均)?可支配收入|城镇居民人均收入", False),
    ("农村居民人均可支配收入", r"农村(?:常住)?居民(?:人均)?可支配收入|农民人均可支配收入", False),
    ("农村居民人均纯收入", r"农(?:村居)?民人均纯收入", False),
    ("居民人均可支配收入", r"(?:全体|城乡)?居民人均可支配收入|人均可支配收入", False),
    ("居民消费价格", r"居民消费价格|消费价格|CPI", False),
    ("商品零售价格", r"(?:商品)?零售(?:物价|价格)", False),
    ("物价总水平", r"物价(?:总水平)?", False),
    ("城镇新增就业", r"城镇新增就业|新增(?:城镇)?就业", False),
    ("城镇调查失业率", r"(?:城镇)?调查失业率", True),
    ("城镇登记失业率", r"(?:城镇)?登记失业率|失业率", True),
    ("粮食产量", r"粮食(?:总)?产量|粮食(?:生产|总产)", False),
    ("进出口总额", r"(?:外贸)?进出口(?:总额|总值)?|对外贸易(?:总额)?|外贸", False),
    ("出口", r"出口(?:总额|额)?", False),
    ("进口", r"进口(?:总额|额)?", False),
    ("实际使用外资", r"(?:实际)?(?:使用|利用)(?:外(?:资|商直接投资)|境外资金)", False),
    ("常住人口城镇化率", r"(?:常住人口)?(?<!户籍人口)城镇化率|城市化(?:水平|率)", True),
    ("研发经费投入", r"研究与试验发展经费|研发(?:经费)?(?:投入|支出)|R&D", False),
    ("居民储蓄存款", r"(?:城乡)?居民储蓄(?:存款)?", False),
    ("货币供应量", r"广义货币|(?<![A-Za-z])M2|货币供应量?", False),
    ("社会融资规模", r"社会融资规模", False),
    ("人均预期寿命", r"(?:人均)?预期寿命", False),
    ("森林覆盖率", r"森林覆盖率", True),
    ("农村贫困人口", r"(?:农村)?贫困人口|脱贫", False),
    ("棚户区改造", r"棚户区(?:住房)?改造|棚改", False),
    ("外汇储备", r"外汇储备", False),
    ("职工平均工资", r"(?:职工)?平均工资", False),
]
INDICATOR_RES = [(name, _prefixed(rx), rate) for name, rx, rate in INDICATORS]
# matches where any alias matches (an alternation of them all): text without it has no indicator alias
INDICATOR_ANY_RE = _prefixed("|".join(f"(?:{rx})" for _, rx, _ in INDICATORS))


def _indicators_by_first() -> dict[str, tuple[int, ...]]:
    """First character -> the INDICATOR_RES (by index) whose matches can start with it (the characters _prefixed
    puts in each pattern's lookahead): a clause is searched only with the patterns of its own characters."""
    by: dict[str, list[int]] = {}
    for i, (_, rx, _) in enumerate(INDICATORS):
        chars, empty = _first_chars(_P.parse(rx))
        assert chars and not empty and DIGITS not in chars, rx  # every alias starts with a known character
        for c in chars:
            by.setdefault(c, []).append(i)
    return {c: tuple(v) for c, v in by.items()}


INDICATOR_BY_FIRST = _indicators_by_first()
COUNT_INDICATORS = {"城镇新增就业", "农村贫困人口", "棚户区改造"}  # indicators measured in people or homes
RATE_INDICATORS = {name for name, _, rate in INDICATORS if rate}
# bare words for national/regional output: 经济增长, GDP, 生产总值, 经济总量
TARGET_OF_RE = re.compile(r"的(?:宏观)?(?:调控|预期|增长)?目标")  # 经济增长速度的宏观调控目标: still the GDP's target
NOT_HEAD_RE = _prefixed(r"的|贡献|比重|份额|(?<!增长)(?<!增)率|占|拉动|带动")
GDP_WORD_RE = _prefixed(
    r"(?:(?<![\u4e00-\u9fff])|(?<=[全国省市县区年民的是和均，：]))"
    r"(?:经济增长(?:速度|率)?|经济增速|经济总量|经济(?=(?:实际|年均|平均每年)?增长)|生产总值)"
    r"|GDP"
)

PER_UNIT_RE = re.compile(r"(?:万元|亿元|单位|每万元)(?:国内|地区)?$")  # just before a GDP word: an intensity
# The literals every GDP_WORD_RE match starts with (after its lookbehinds): a clause holding none has no match.
GDP_WORD_LITERALS = ("经济", "生产总值", "GDP")  # _indicator tests them in line: keep the two in step (tests pin it)

# 居全国第六位, 升至全国第八位, 翻了一番: remarks between a figure and the growth that follows it
RANK_RE = _prefixed(
    r"(?:[居位列]|升至|跃居|上升至?|保持)?(?:全国|全省|全市|全区|西部|中部|东部|中西部)?"
    r"(?:第[一二三四五六七八九十\d]+位|前列|首位|前[一二三四五六七八九十\d]+位?)|翻了?[一两三]番"
)
POST_GDP_RE = re.compile(r"的(?:经济|GDP|生产总值)(?:增速|增长(?:速度|率)?)")
GROWTH_RE = re.compile(
    r"(?:增长|增速|涨幅|上涨|下降|降低|回落|递增|增幅|提高|减少|增加|上升|下滑|降幅|减幅|上调|下调|增|降|涨)"
    r"(?:了|率|幅度|速度)?(?:分别|实际|名义|约|为|是|达到|达|超过|在)?$"
)
DECLINE_RE = re.compile(
    r"(?:下降|降低|回落|减少|下滑|降幅|减幅|下调|降)(?:了|率|幅度)?(?:分别|实际|约|为|是|达到|在)?$"
)
TO_LEVEL_RE = re.compile(r"(?:提高|增加|增长|下降|降低|降|回落|上升|扩大|缩小|减少|提升)(?:到|至)$")
VERB_RE = re.compile(
    r"(?:增长|增速|涨幅|上涨|下降|降低|回落|递增|增幅|提高|减少|增加|上升|下滑|达到|达|为|是|控制在|保持在|稳定在|"
    r"突破|超过|完成|实现|占|累计|合计|总计|共计|预计|计划|安排|力争|定为|目标为|确定为|在|从|由|比)"
)
SHARE_RE = re.compile(r"占|比重|比例|份额|贡献率|覆盖率|[^增涨降]率")
BASIS_RE = re.compile(r"扣除(?:物价|价格)因素|按可比(?:价格|口径)(?:计算)?")  # 扣除物价因素: not the price index
SUBJECT_TRIM = re.compile(
    r"^(?:其中|全年|今年|去年|上年|明年|当年|同期|全国|全省|全市|全区|全县|我国|我省|我市|我区|我县|主要是|一是|二是|"
    r"[一二三四五六七八九十]是|初步(?:核算|统计)|据初步(?:核算|统计)|预计|力争|争取|确保|要|使|和|与|及|、)+"
)

# ---------------------------------------------------------------- target vs outcome
STRONG_TARGET = re.compile(
    r"预期目标|预期为|增长预期|目标(?:是|为|定为)|力争|争取|控制在|确保|拟|计划(?:增长|达到|完成|安排|要求|为)|定为|要(?:达到|控制|保持)"
    r"|将(?:达到|增长)|预计(?:今年|明年)|调控目标"
)
OUTCOME_RE = _prefixed(
    r"过去一年|(?<!比)去年|(?<!比)上年|一年来|过去五年|五年来|已经|完成了|实现了|达到了|超额|增长了|下降了|提高了|预计全年|"
    r"执行情况|初步(?:核算|统计)"
)
PARA_OUTCOME_RE = _prefixed(r"过去(?:的)?一年|^去年|(?<!比)去年(?:[，,]|以来|全年)|一年来|过去五年|五年来")
# PARA_OUTCOME_RE over a run of whole sentences at once (extract_figures' paragraph cue): no alternative matches a
# terminator or a line end, so a match never crosses a sentence, and a sentence's start (its `^`) is a position after
# one (or the text's start): the same answer as searching each sentence of the run, in one scan instead of a copy and
# a search per sentence (~7 % of figures' CPU on 300 bench pages)
PARA_OUTCOME_SPAN_RE = _prefixed(
    r"过去(?:的)?一年|(?<![^。！？!?\n])去年|(?<!比)去年(?:[，,]|以来|全年)|一年来|过去五年|五年来"
)
OUTCOME_CLAUSE = re.compile(r"完成了|实现了|达到了|超额|增长了|下降了|提高了|实际(?:完成|达到|增长)")
PAST_TARGET = re.compile(r"年初(?:确定|提出|预期|预定)|预定(?:的)?目标|原定|年初.{0,6}目标")
MULTI_YEAR = _prefixed(
    r"年均|平均每年|每年平均|每年(?:递增|增长)|五年|期间|十[一二三四五]五|[一二三四五六七八九]五(?:计划|期间|时期)|今后|累计"
)
STATED_TARGET_HINT = re.compile(r"以上|以内|以下|左右|力争|控制在|不低于|不超过")


# ---------------------------------------------------------------- plausibility
# Largest plausible level in 亿元 per admin level for output-sized amounts (GDP and anything of its order: retail
# sales, investment, trade, deposits). National GDP 2025: 134.9万亿 = 1.35e6; Guangdong 2024: 1.4e5; Shenzhen
# 2024: 3.7e4; the largest county (Kunshan) 5.1e3. Bounds leave ~3x headroom for balances (deposits, M2).
AMOUNT_BOUND = {"national": 5.0e6, "province": 5.0e5, "prefecture": 1.2e5, "county": 2.0e4, "township": 2.0e3}
LOCAL_AMOUNT_BOUND = 2.0e5  # level unknown, not national: the largest province GDP (1.4e5) with headroom
# Share-like and growth percentages: a share or rate level cannot pass 100 %; growth of an indicator rarely passes
# 1000 % even for small bases (largest growth in the dev corpus: 773 %).
PCT_BOUND = {"share": 100.0, "growth": 1000.0}
# GDP growth in any reported year stayed within ±40 % (1958: 21.3 %; 1961: -27 %).
GDP_GROWTH_BOUND = 40.0
GDP_INDICATORS = {NATIONAL_GDP, REGIONAL_GDP, "国民生产总值", "国民收入", "工农业总产值"}

# Anti-plagiarism tools damage digit strings (`42023亿元` for `4-5亿元`): a bare integer of 5+ digits (no decimal
# point, no separator) more than 100x every other figure of the same unit in the document is implausible there.
OUTLIER_UNITS = {"亿元", "万元", "元", "万平方米", "平方米", "亩", "万亩", "万人", "人", "个", "家"}
OUTLIER_RATIO = 100.0
BARE_INT_RE = re.compile(r"^\d{5,}$")

PLAN_HEAD_RE = re.compile(r"今年|明年|总体要求|主要任务|重点任务|工作安排|预期目标|目标任务|工作部署|开局|主要工作")
REVIEW_HEAD_RE = re.compile(r"回顾|过去|去年|上年|工作总结|成就|取得")
# A size that names a class of things is a threshold, not an amount anyone spent or earned: 100亿元以上项目45个,
# 产值超百亿元产业集群达到15个, 培育10亿元企业8家. 681 of 22,777 size rows on the shared corpus (session 43); an
# analyst summing investment read them as money. The noun heads after the figure, from those rows.
THRESHOLD_CLASS = (
    r"(?:项目|企业|集群|园区|基地|工程|行政村|村|县|乡镇|镇|街道|平台|楼宇|商圈|景区|龙头|市场主体|产业链)"
)
THRESHOLD_KINDS = {"amount", "area", "weight"}
# 5000万元以上项目, 10亿元以上33个, 50万元以上的村; not 3000亿元以上，/ 以上的目标 / 以上水平 (a level with its bound)
THRESHOLD_AFTER_BOUND_RE = re.compile(
    rf"(?:以上|以下)的?(?!的?(?:目标|水平|规模|增长|增幅|左右))"
    rf"(?:[\d一二三四五六七八九十两]+[个家户项座条]|[^，。；、,;：:！？\s]{{0,8}}?{THRESHOLD_CLASS})"
)
# 超百亿元产业集群, 收入过10亿元的企业 (项目 only without 的: 总投资超830亿元的产业项目 is
# the projects' total)
THRESHOLD_OVER_RE = re.compile(r"(?:超|过|超过|突破|逾)$")
THRESHOLD_AFTER_OVER_RE = re.compile(
    rf"(?:[^，。；、,;：:！？\s的]{{0,6}}?{THRESHOLD_CLASS}"
    r"|的[^，。；、,;：:！？\s]{0,6}?(?:企业|集群|园区|基地|村|县|乡镇|镇|街道|楼宇|龙头|市场主体))"
)
# 千亿元产业集群, 百亿元企业1户; not 设立5亿元企业应急纾困基金 or 15亿元企业债券 (the money itself)
THRESHOLD_DIRECT_RE = re.compile(
    r"(?:[^，。；、,;：:！？\s的]{0,4}?集群|企业(?:集团)?(?=[\d一二三四五六七八九十两家户个、，。；达增突超新实]))"
)
# A number inside a short quoted phrase names a policy, a campaign or a notion, not a quantity: “28条”, “7个100%”,
# “4050人员”, “三公里”就业圈, “二元结构”. 358 rows on the shared corpus (session 43), all names on a sample of 80.
QUOTED_NAME_RE = re.compile(r"[“「『][^“”「」『』，。；！？,;!?]{1,12}[”」』]")
# A unit's character that starts a word with the one after it: 两千三百万台湾同胞, 515人才工程
UNIT_WORD_AFTER = {"台": "湾", "人": "才", "万人": "才", "人次": "数"}
# 城乡二元结构, 一元化领导, 一度出现: a Chinese digit with 元 or 度 and a word character after it is a word;
# 三元钱, 五元以上, 一度电 are quantities
CN_DIGIT_WORD_UNITS = {"元", "度"}
CN_DIGIT_WORD_OK_AFTER = "钱以左上下多每的电/"
SENT_RE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
NUMERAL_RE = re.compile(r"\d|[一二两三四五六七八九十]")
CLAUSE_SPLIT = "，,；;：:、"


SENTENCE_ENDS = "。！？!?"  # SENT_RE's terminators (a line end also ends a sentence, unkept)
SENTENCE_ENDS_LF = SENTENCE_ENDS + "\n"
SENTENCE_END_RE = re.compile(f"[{SENTENCE_ENDS_LF}]")
# where a sentence can hold a figure: UNIT_AFTER_NUMBER_RE or 百分之 (both needed of a sentence before it is read)
FIGURE_CANDIDATE_RE = re.compile(f"{UNIT_AFTER_NUMBER_RE.pattern}|百分之")


class _Sections:
    """Deepest section containing each position; positions must come in increasing order (one sweep)."""

    def __init__(self, sections: Sequence[dict]):
        self.rows = sorted(sections, key=lambda r: (r["start"], r["level"]))
        self.i = 0
        self.stack: list[dict] = []
        # (method, deepest open row, year) -> answer: the open rows are those that held the deepest one when it was
        # pushed, so it fixes the whole stack; a document's figures ask again and again under the same heading.
        self._memo: dict[tuple, object] = {}

    def at(self, pos: int) -> str | None:
        while self.i < len(self.rows) and self.rows[self.i]["start"] <= pos:
            row = self.rows[self.i]
            while self.stack and self.stack[-1]["end"] <= row["start"]:
                self.stack.pop()
            self.stack.append(row)
            self.i += 1
        while self.stack and self.stack[-1]["end"] <= pos:
            self.stack.pop()
        return self.stack[-1]["path"] if self.stack else None

    def year(self, year: int | None) -> int | None:
        """The year the deepest heading names (`三、2021年主要工作`, `2020年工作回顾`) when it is the document's
        year or next to it (2035年远景目标 is not the year a figure refers to)."""
        key = ("year", id(self.stack[-1]) if self.stack else None, year)
        if key not in self._memo:
            self._memo[key] = self._year(year)
        return self._memo[key]  # type: ignore[return-value]

    def _year(self, year: int | None) -> int | None:
        if year is None:
            return None
        for row in reversed(self.stack):
            found = {int(y) for y in _re(r"((?:19|20)\d{2})\s*年").findall(row.get("heading") or "")}
            found &= {year - 1, year, year + 1}
            if len(found) == 1:
                return found.pop()
        return None

    def plan(self, year: int | None) -> bool | None:
        """True inside a part about this year's work (今年/明年/2025年 in a heading), False inside a review part
        (回顾/过去/去年), None when the headings say neither."""
        key = ("plan", id(self.stack[-1]) if self.stack else None, year)
        if key not in self._memo:
            self._memo[key] = self._plan(year)
        return self._memo[key]  # type: ignore[return-value]

    def _plan(self, year: int | None) -> bool | None:
        verdict = None
        for row in self.stack:
            h = row.get("heading") or ""
            if REVIEW_HEAD_RE.search(h) or (year and f"{year - 1}年" in h):
                verdict = False
            elif PLAN_HEAD_RE.search(h) or (year and _re(rf"{year}年|{year + 1}年").search(h)):
                verdict = True
        return verdict


@lru_cache(maxsize=MEMO_SIZE)
def _indicator(before: str, national: bool) -> tuple[str | None, str]:
    """(indicator, governing phrase) from the clause text before a number.

    The alias ending nearest the number wins, unless a noun follows it (`经济增长的贡献率`, `GDP的比重`): then the
    number measures something else. For `X占Y的比重`, X governs.
    """
    if "扣除" in before or "按可比" in before:  # every BASIS_RE match starts with one of them (~0.1 % of clauses)
        before = BASIS_RE.sub("", before)
    zhan = before.find("占")
    head = before[:zhan] if zhan > 0 else before
    best: tuple[int, int, str] | None = None  # (end, -priority, name)
    if INDICATOR_ANY_RE.search(head):  # one C scan says whether any alias occurs before trying each
        # only the aliases that can start with one of the clause's characters (~4 of 60): best is the largest key
        # whatever the order they are tried in
        tried: set[int] = set()
        for c in INDICATOR_BY_FIRST.keys() & set(head):
            tried.update(INDICATOR_BY_FIRST[c])
        for prio in tried:
            name, rx, _ = INDICATOR_RES[prio]
            for m in rx.finditer(head):
                if name in (NATIONAL_GDP, REGIONAL_GDP) and PER_UNIT_RE.search(head, 0, m.start()):
                    continue  # 单位地区生产总值建设用地: per unit of output
                key = (m.end(), -prio, name)
                if best is None or key > best:
                    best = key
    # every GDP_WORD_RE match starts with one of GDP_WORD_LITERALS (~4 % of clauses hold one): no scan without
    # the three literals tested in line (a generator for any() cost more than the three tests: 35k calls on 300 pages)
    for gm in GDP_WORD_RE.finditer(head) if ("经济" in head or "生产总值" in head or "GDP" in head) else ():
        if PER_UNIT_RE.search(head, 0, gm.start()):
            continue  # 万元GDP用水量, 单位生产总值建设用地: a quantity per unit of output, not output (77 rows, session 42)
        if best is None or gm.end() > best[0]:
            gdp = NATIONAL_GDP if national else REGIONAL_GDP
            best = (gm.end(), 1, gdp)
    phrase = SUBJECT_TRIM.sub("", head.strip(' “”"（）()')).strip()
    if best is None:
        return None, phrase
    end, _, name = best
    if NOT_HEAD_RE.search(TARGET_OF_RE.sub("", head[end:])):
        return None, phrase
    if name in (NATIONAL_GDP, "人均国内生产总值") and not national and not NATIONWIDE_RE.search(head[:end]):
        name = REGIONAL_GDP if name == NATIONAL_GDP else "人均地区生产总值"  # 全省国内生产总值 in a province report
    return name, phrase


def extract_figures(
    doc_id: str,
    text: str,
    sections: Sequence[dict] = (),
    national: bool = False,
    year: int | None = None,
    admin_level: str | None = None,
    reviewed_year: int | None = None,
) -> list[dict]:
    """Figure rows of one document (see module doc and docs/indicators.md); linear in the text's length.

    `year` is the document's year (extract_fields' `year`): targets refer to it, outcomes to the year before
    (`reviewed_year` when given: see `reviewed_year()`), unless the text states the year. `admin_level` (documents' column) sets the plausibility bounds; without it
    `national` decides between national and local bounds.
    """
    text = text or ""
    outcome_year = reviewed_year if reviewed_year is not None else (year - 1 if year is not None else None)
    level = admin_level or ("national" if national else None)
    national = national or level == "national"
    secs = _Sections(sections)
    rows: list[dict] = []
    # Only the sentences holding a candidate (a unit right after a number's last character, or 百分之) can have
    # figures: the text is searched for the next candidate and only its sentence is read — the ~3/4 of a speech's
    # sentences without one cost no Python step (each was one loop turn and two scans, ~10 % of figures' CPU).
    # A sentence is SENT_RE's: the run from just after the last terminator or line end before it.
    # A paragraph's cue (过去一年/去年 in an earlier sentence of it: its figures are outcomes) is read lazily: the
    # sentences from the paragraph's first (or the last sentence with figures) up to a sentence with figures are
    # searched only then, and only while no cue was found — what reading every sentence in turn would find.
    para_outcome = False
    unread = 0  # sentences from here up to the next sentence with figures are not yet searched for the cue
    last = 0  # start of the last sentence read: no line end between it and the next one means the same paragraph
    rev = None  # the text reversed, built on the first candidate: the last terminator before a position, in C
    n = len(text)
    pos = 0  # no sentence holding a later candidate starts before this
    while (m := FIGURE_CANDIDATE_RE.search(text, pos)) is not None:
        p = m.start()
        if text[p] == "\n":  # `\n元`: a candidate across a line end is in no sentence
            pos = p + 1
            continue
        if rev is None:
            rev = text[::-1]
        t = SENTENCE_END_RE.search(rev, n - p, n - pos)
        start = n - t.start() if t is not None else pos
        sm = SENT_RE.match(text, start)
        assert sm is not None  # text[p] is a sentence character: a run starts at `start`
        pos = sm.end()
        sent = sm.group(0)
        if not (sent.strip() and NUMERAL_RE.search(sent)):
            continue
        # a new paragraph: a sentence starting right after a line end, between the last sentence read and this
        # one (a line end followed by a terminator or another line end starts none there: `\n。`, `\n\n。`)
        r = text.rfind("\n", last, start)
        while r >= 0 and text[r + 1] in SENTENCE_ENDS_LF:
            r = text.rfind("\n", last, r)
        if r >= 0:
            unread, para_outcome = r + 1, False
        last = start
        if not para_outcome and unread < start:
            para_outcome = PARA_OUTCOME_SPAN_RE.search(text, unread, start) is not None
        unread = start
        for off, piece in _sentence_pieces(sent):
            rows.extend(
                _sentence_figures(doc_id, piece, start + off, secs, national, year, level, para_outcome, outcome_year)
            )
    _flag_outliers(rows)
    return rows


# A figure reads its sentence up to itself (a goal or a year stated before it, its clause, the list it closes), so a
# sentence of n characters with a figure every few characters costs n²: a page that lost its 。 (`收入增长8元` repeated:
# ~21 s for 50,000 characters; `增长8.5%，` repeated: 73 s for 200,000) ran into the page's time budget. A sentence
# longer than this is read in pieces of at most this many characters, cut after its last clause mark in the piece's
# second half (hard only where there is none). The longest sentence of the shared corpus's 680 pages is 707
# characters (99.99th percentile 502), so no real sentence is cut.
FIGURE_SENTENCE_MAX = 1000


def _sentence_pieces(sent: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) of a sentence read in bounded pieces: the sentence itself when it is short."""
    n = len(sent)
    if n <= FIGURE_SENTENCE_MAX:
        yield 0, sent
        return
    i = 0
    while i < n:
        j = i + FIGURE_SENTENCE_MAX
        if j < n:
            cut = max(sent.rfind(c, i + FIGURE_SENTENCE_MAX // 2, j) for c in CLAUSE_SPLIT)
            j = cut + 1 if cut >= 0 else j
        yield i, sent[i:j]
        i = j


def _clause_bounds(sent: str, pos: int) -> tuple[int, int]:
    """(start, end) of the clause holding `pos`: after the last CLAUSE_SPLIT before it, up to the first at or after
    it. A binary search in the sentence's split positions (found once per sentence), not a character loop."""
    splits = _clause_splits(sent)
    i = bisect_left(splits, pos)
    return (splits[i - 1] + 1 if i else 0), (splits[i] if i < len(splits) else len(sent))


# The last sentences' split positions and years: a sentence's figures ask for them once per number. Sentences run
# to a few hundred characters (a run-on page's, longer): 256 of them stay small.
SENTENCE_MEMO_SIZE = 256
CLAUSE_SPLIT_RE = re.compile(f"[{re.escape(CLAUSE_SPLIT)}]")


@lru_cache(maxsize=SENTENCE_MEMO_SIZE)
def _clause_splits(sent: str) -> list[int]:
    return [m.start() for m in CLAUSE_SPLIT_RE.finditer(sent)]


def _sentence_figures(
    doc_id: str,
    sent: str,
    base: int,
    secs: _Sections,
    national: bool,
    year: int | None,
    level: str | None,
    para_outcome: bool = False,
    outcome_year: int | None = None,
) -> list[dict]:
    out: list[dict] = []
    spans: list[tuple[int, int, bool]] = []  # per row: start and end in the sentence, sign flipped (下降)
    splits = _clause_splits(sent)
    n_splits, n_sent = len(splits), len(sent)
    prev_indicator: tuple[str | None, str | None] = (None, None)
    prev_clause_end = -1
    sentence = sent.strip()[:SENTENCE_MAX_CHARS]  # every row of the sentence carries it
    names = [q.span() for q in QUOTED_NAME_RE.finditer(sent)] if ("“" in sent or "「" in sent or "『" in sent) else ()
    for m in FIGURE_RE.finditer(sent):
        # one call for every group (a named .group() per use cost a lookup each); most matches carry no unit
        # (years, dates, ordinals: ~55 % on the 20k bench) and leave here
        pct, n1, more, u1, sep, _, n2, _, unit_w, more3 = m.groups()
        if not (unit_w or pct or (u1 and n2)):
            continue
        unit = unit_w
        if pct:
            unit = unit if unit in ("个百分点",) else "%"
            if unit_w and unit_w != "个百分点":
                continue  # 百分之五十个 … not a percentage
        if not unit:
            unit = "%" if u1 in ("%", "％") else u1
        if unit == "％":
            unit = "%"
        elif unit == "人民币":
            unit = "元"
        end = m.end()
        start = m.start("n1") if not pct else m.start()
        prev = sent[start - 1 : start]
        neg = False
        if prev in ("-", "－") and not MINUS_NOT_AFTER_RE.match(sent[start - 2 : start - 1] or "。"):
            neg, start, prev = True, start - 1, sent[start - 2 : start - 1]  # 增速-×%, 增长-2.3%: a minus sign
        elif prev and (prev.isdigit() or prev in ".-—－/第$"):  # 21$1.$2亿元: digits damaged by a template
            continue
        if (unit_w and sent.startswith("年", end)) or SESSION_AFTER.match(sent, m.end("n1")):
            continue
        if names and any(qs < start and end < qe for qs, qe in names):
            continue  # “28条”, “7个100%”: a name
        if unit_w and UNIT_WORD_AFTER.get(unit_w) == sent[end : end + 1]:
            continue  # 两千三百万台湾同胞
        if PLACEHOLDER_RE.match(n1):
            value, is_cn, placeholder = None, False, True
        else:
            value, is_cn = _number(n1)
            placeholder = False
            if value is None:
                continue
        if sep and n2 and not PLACEHOLDER_RE.match(n2):
            v2, _ = _number(n2)
            if v2 is None:
                continue
            if n1[0].isdigit() != n2[0].isdigit() and not pct:
                continue
            # 八至九 / 4.5-5: a range only when the bounds ascend and are close (1-2月 and 2016-2020 are not)
            if not (value is not None and value < v2 <= value * 4 + 10):
                continue
            if sep in ("到", "至") and FROM_RE.search(sent, max(0, start - 12), start):
                continue
        else:
            v2 = None
        times = unit == "倍" and TIMES_RE.search(sent[max(0, start - 4) : start])
        if is_cn:
            if prev in ORDINAL_BEFORE and not times:
                continue
            small = value is not None and value < 100 and not MAG_CHAR_RE.search(n1)
            if unit in COUNT_UNITS and small and not (more or more3 or times):
                continue  # 三个代表, 两个一百年, 五位一体, 三项制度
            if unit == "个" and sent.startswith("月", end):
                continue  # 三个多月以来: a span of time in words, not a count
            if n1 in ("一", "十") and unit in COUNT_UNITS:
                continue
            if (
                unit in CN_DIGIT_WORD_UNITS
                and len(n1) == 1
                and "\u4e00" <= sent[end : end + 1] <= "\u9fff"
                and sent[end] not in CN_DIGIT_WORD_OK_AFTER
            ):
                continue  # 城乡二元结构, 一元化, 一度出现
            if n1[0] in "百千万亿" and UNITS[unit] != "amount":
                continue  # 百家宴, 千万吨级: a name, not a quantity
        if prev == "每":
            continue  # 每50公斤提高3元, 每万人口: the base of a rate, not a quantity
        if sent.startswith("级", end):
            continue  # 千万吨级钢铁基地, 5A级
        if unit == "个" and not is_cn and sent[end : end + 2] in ("百分", "百分点"):
            continue
        kind = UNITS[unit]
        mag = _mag_word(n2 if v2 is not None else n1)
        if v2 is not None and mag and not _mag_word(n1) and value is not None:
            value *= MAG[mag]  # 4-5亿元: the magnitude written once applies to both bounds
        canon, scale = unit, 1.0
        if unit not in NO_MAG_UNITS and mag in ("万亿", "亿"):
            canon, scale = "亿" + unit, 1e8
        elif unit not in NO_MAG_UNITS and mag == "万":
            canon, scale = "万" + unit, 1e4
        yi = None  # amount in 亿元 for the plausibility bounds
        if value is not None and unit == "元":
            yi = value / 1e8
        if value is not None:
            value /= scale
            v2 = v2 / scale if v2 is not None else None
        # _clause_bounds(sent, start), on the sentence's split positions found once above
        i = bisect_left(splits, start)
        cs, ce = (splits[i - 1] + 1 if i else 0), (splits[i] if i < n_splits else n_sent)
        clause_before = sent[cs:start]
        post = sent[end : end + 3]
        before8 = sent[max(cs, start - 8) : start]
        if more or more3 or post[:1] in POST_QUAL_FIRST or PRE_QUAL_RE.search(before8):
            quals = _quals(before8, more, more3, post)
        else:  # no qualifier word anywhere (~60 % of numbers): what _quals returns, without its memo's key and miss
            quals = ()
        indicator, phrase = _indicator(clause_before, national)
        after_gdp = POST_GDP_RE.match(sent, end)
        if indicator is None and after_gdp:
            # 今年一季度16.4%的经济增速: the phrase follows the number
            indicator, phrase = (NATIONAL_GDP if national else REGIONAL_GDP), after_gdp.group(0)[1:]
        inherited = False
        # the integer tests first: a number with an indicator of its own, or after none to inherit (most of them),
        # asks _has_noun nothing (120k calls on 300 bench pages, a memo hit or a miss of a few patterns each)
        if (
            indicator is None
            and prev_indicator[0]
            and (cs <= prev_clause_end + 1 or (prev_clause_end >= 0 and not _has_noun(sent[prev_clause_end + 1 : cs])))
            and not _has_noun(phrase)
        ):
            indicator, phrase = prev_indicator[0], prev_indicator[1] or phrase
            inherited = True
        context = clause_before
        if indicator is None and cs > 0 and prev_clause_end < cs - 1 and not _has_noun(phrase):
            # 今年经济增长速度的宏观调控目标，定为百分之八至九: the governing phrase is the clause before
            pcs, _ = _clause_bounds(sent, cs - 1)
            indicator, phrase = _indicator(sent[pcs : cs - 1], national)
            context = sent[pcs:start]
        if indicator == NATIONAL_GDP and "国民生产总值" in sent and "国内生产总值" not in sent:
            indicator = "国民生产总值"  # 国民生产总值翻两番…每年递增百分之五点四的经济增长速度: growth of the GNP named
        if kind == "count" and indicator not in COUNT_INDICATORS:
            indicator = None  # 新增有进出口实绩企业1500家: a count of firms, not the trade total
        # measure; 分别增长8.9%、7.7%: a bare number right after another takes its measure
        measure = _measure(kind, unit, context, indicator)
        if after_gdp and unit in ("%", "‰"):
            measure = "growth"
        if out and not clause_before.strip() and base + cs <= out[-1]["start"] + len(out[-1]["as_written"]) + 2:
            measure = out[-1]["measure"] if out[-1]["kind"] == kind else measure
        if kind in THRESHOLD_KINDS and _is_threshold(sent, start, end, kind):
            measure = "threshold"
        decline = bool(DECLINE_RE.search(clause_before)) and measure in ("growth", "change")
        low = high = None
        if v2 is not None:
            low, high = value, v2
            value = (value + v2) / 2 if value is not None else None
        elif value is not None:
            if "以上" in quals or "不低于" in clause_before[-4:] or post.startswith("以上"):
                low = value
            elif "以内" in quals or "以下" in quals or NOT_ABOVE_RE.search(clause_before):
                high = value
        if decline != neg and value is not None:
            value = -value
            low, high = (-high if high is not None else None), (-low if low is not None else None)
        # target or outcome, and the year referred to

        section_path = secs.at(base + start)
        is_target, past_target = _is_target(sent, cs, start, end, secs.plan(year), para_outcome)
        ref = _ref_year(sent, start, year, is_target, past_target, clause_before, secs.year(year), outcome_year)
        if value is not None and not placeholder:
            value = _round6(value)
        implausible = _implausible(value, yi, canon, measure, indicator, level, national)
        out.append(
            {
                "doc_id": doc_id,
                "section_path": section_path,
                "sentence": sentence,
                "as_written": sent[start:end],
                "value": value,
                "low": _round6(low) if low is not None else None,
                "high": _round6(high) if high is not None else None,
                "unit": canon,
                "kind": kind,
                "measure": measure,
                "indicator": indicator,
                "indicator_phrase": (phrase or "")[-PHRASE_MAX_CHARS:] or None,
                "is_target": is_target,
                "qualifiers": list(quals),
                "ref_year": ref,
                "is_placeholder": placeholder,
                "is_implausible": implausible,
                "start": base + start,
            }
        )
        spans.append((start, end, decline != neg))
        if indicator and not inherited:
            prev_indicator = (indicator, phrase)
        elif not indicator and _has_noun(phrase):
            prev_indicator = (None, None)
        prev_clause_end = ce
    if len(out) > 3:
        _pair_bare_lists(sent, out, spans)
    if "分别" in sent and len(out) > 1:
        _pair_respectively(sent, out, spans, national)
    return out


def _pair_bare_lists(sent: str, rows: list[dict], spans: list[tuple[int, int, bool]]) -> None:
    """`城镇居民人均可支配收入17175元，农村居民人均纯收入5153元，实际增长9.8%和8.5%`: a clause with no phrase of
    its own that lists n values pairs them, in order, with the n figures just before it when those measure
    different indicators."""
    i = 1
    while i < len(rows):
        cs = max(sent.rfind(c, 0, spans[i][0]) for c in "，,；;：:")
        j = i
        while j + 1 < len(rows) and LIST_GAP_RE.match(sent[spans[j][1] : spans[j + 1][0]]):
            j += 1
        n = j - i + 1
        own = sent[cs + 1 : spans[i][0]]
        if n >= 2 and i >= n and cs >= spans[i - 1][1] and not _has_noun(own.replace("分别", "")):
            prev = list(range(i - n, i))
            names = [rows[k]["indicator"] for k in prev]
            gaps_ok = all(not LIST_GAP_RE.match(sent[spans[k][1] : spans[k + 1][0]]) for k in prev[:-1])
            if gaps_ok and all(names) and len(set(names)) == n:
                for k, r in zip(prev, range(i, j + 1), strict=True):
                    if rows[r]["kind"] != "count":
                        rows[r]["indicator"], rows[r]["indicator_phrase"] = (
                            names[k - prev[0]],
                            rows[k]["indicator_phrase"],
                        )
        i = j + 1


# 城镇、农村居民人均可支配收入: the qualifier an item of a shared-head list puts in front of the head
HEAD_QUALIFIER_RE = re.compile(r"^(?:城镇|农村|城市|城乡|全体)(?:常住)?")
LIST_SPLIT_RE = re.compile(r"[、和及与]|以及")
RESPECTIVELY_VERB_RE = re.compile(
    r"^(?:年均|比上年|同比|实际)?(?:增长|增加|提高|下降|减少|降低|达到?|为|是|稳定在|保持在|控制在)?(?:到|至|了)?\s*$"
)
LIST_GAP_RE = re.compile(r"^\s*(?:[、和及与]|以及)\s*$")  # between two values of one list


def _pair_respectively(sent: str, rows: list[dict], spans: list[tuple[int, int, bool]], national: bool) -> None:
    """`A、B和C…分别增长x%、y%和z%`: the i-th value of a 分别 list measures the i-th item of the enumeration
    before 分别 (城乡居民 = 城镇居民 and 农村居民); a following bare list of as many values (`，增长5.3%和6.5%`)
    pairs the same way. The list's values share the first value's measure and sign."""
    pos = 0
    while (p := sent.find("分别", pos)) >= 0:
        pos = p + 2
        first = next((i for i, sp in enumerate(spans) if sp[0] >= p), None)
        if first is None:
            break
        group = [first]
        if not RESPECTIVELY_VERB_RE.match(sent[p + 2 : spans[first][0]]):
            continue
        while group[-1] + 1 < len(rows) and LIST_GAP_RE.match(sent[spans[group[-1]][1] : spans[group[-1] + 1][0]]):
            group.append(group[-1] + 1)
        n = len(group)
        if n < 2:
            continue
        q = max(sent.rfind(c, 0, p) for c in "，,；;：:。")
        subject = sent[q + 1 : p]
        items = [x for x in LIST_SPLIT_RE.split(subject) if x.strip()]
        if not _has_noun(subject.replace("、", "")):
            prev = [i for i in range(first) if spans[i][1] <= p][-n:]
            names = [(rows[i]["indicator"], rows[i]["indicator_phrase"]) for i in prev] if len(prev) == n else None
        else:
            if len(items) == 1 and n == 2 and _re(r"城乡(?:常住)?居民").search(items[0]):
                items = [items[0].replace("城乡", "城镇", 1), items[0].replace("城乡", "农村", 1)]
            names = [_item_indicator(x, items, national) for x in items] if len(items) == n else None
        lead = rows[group[0]]
        for k, i in enumerate(group):
            if names is not None:
                rows[i]["indicator"], rows[i]["indicator_phrase"] = names[k]
                if rows[i]["kind"] == "count" and names[k][0] not in COUNT_INDICATORS:
                    rows[i]["indicator"] = None
            if k and rows[i]["kind"] == lead["kind"] and rows[i]["measure"] != lead["measure"]:
                rows[i]["measure"] = lead["measure"]
            if k and spans[group[0]][2] and not spans[i][2] and lead["measure"] in ("growth", "change"):
                for f in ("value", "low", "high"):
                    if rows[i][f] is not None:
                        rows[i][f] = -rows[i][f]
                rows[i]["low"], rows[i]["high"] = rows[i]["high"], rows[i]["low"]
        if names is None:
            continue
        # 分别达到X元和Y元，增长a%和b%: the next bare list of as many values pairs with the same items
        nxt = group[-1] + 1
        if nxt + n <= len(rows) and not _has_noun(sent[spans[group[-1]][1] : spans[nxt][0]]):
            run = list(range(nxt, nxt + n))
            if all(LIST_GAP_RE.match(sent[spans[a][1] : spans[a + 1][0]]) for a in run[:-1]):
                for k, i in enumerate(run):
                    if rows[i]["kind"] != "count":
                        rows[i]["indicator"], rows[i]["indicator_phrase"] = names[k]


def _ends_with_alias(item: str, name: str) -> bool:
    """The item ends with an alias of `name` (a trailing 年均/比上年 aside)."""
    item = _re(r"(?:年均|平均每年|比上年|同比|实际|总量)+$").sub("", item)
    rxs = [rx for n, rx, _ in INDICATOR_RES if n == name]
    if name in (NATIONAL_GDP, REGIONAL_GDP, "人均地区生产总值"):
        rxs += [GDP_WORD_RE, re.compile("国内生产总值|地区生产总值")]
    return any(m.end() == len(item) for rx in rxs for m in rx.finditer(item))


def _item_indicator(item: str, items: list[str], national: bool) -> tuple[str | None, str | None]:
    """Indicator of one item of an enumeration. A bare qualifier (城镇 in 城镇、农村居民人均可支配收入) takes the head
    of the last item; a bare head (产量 in 粮食种植面积、产量) takes the first item's leading word."""
    item = item.strip()
    name, phrase = _indicator(item, national)
    if name is not None and not _ends_with_alias(item, name):
        name = None  # 单位国内生产总值用水量: the alias is a modifier inside the item
    if name is None and len(item) <= 3:
        last, first = items[-1].strip(), SUBJECT_TRIM.sub("", items[0].strip())
        head = HEAD_QUALIFIER_RE.sub("", last)
        if head != last:
            name, phrase = _indicator(item + head, national)
        if name is None and len(first) > 2 and item != items[0].strip():
            name, phrase = _indicator(first[:2] + item, national)
    return name, (phrase or item)[-PHRASE_MAX_CHARS:] or None


NATIONWIDE_RE = re.compile(r"全国|我国|国家")
NOT_HAN_LATIN_RE = re.compile(r"[^\u4e00-\u9fffA-Za-z]")


@lru_cache(maxsize=MEMO_SIZE)
def _has_noun(subject: str) -> bool:
    """A governing phrase of its own (not just 比上年, 同比, 分别, 年均)."""
    s = subject.replace("增加值", "增值")  # 增加值 is a noun (工业增加值), not the verb 增加
    s = s.replace("人均", "每人")  # 人均3712元: per head, not the total of the clause before
    s = RANK_RE.sub("", BASIS_RE.sub("", s))
    s = NOT_NOUN_RE.sub("", s)
    return len(NOT_HAN_LATIN_RE.sub("", s)) >= 2


NOT_NOUN_RE = _prefixed(
    r"[较比与](?:“?十[一二三四五]五”?(?:末|期间|时期)?|上年(?:同期)?|去年(?:同期)?|(?:19|20)\d{2}年末?|[〇零○一二三四五六七八九]{4}年)|"
    r"比上年|比去年|同比|分别|年均|平均每年|实际|名义|按可比价格计算|扣除价格因素|其中|[再又均将要拟][^\u4e00-\u9fff]?|"
    r"增长|下降|达到|提高|增加|降低|减少|上升|回落|增产|减产|增速|增幅|涨幅|速度|超过|突破|为|约|近|达|在|了|到|至|分别|左右|以上|^总量"
)


@lru_cache(maxsize=MEMO_SIZE)
def _quals(before: str, more: str | None, more3: str | None, post: str) -> tuple[str, ...]:
    """A number's qualifiers, sorted and unique (its row's `qualifiers`): the PRE_QUAL words in the 8 characters
    before it, 多/余 written with it, a POST_QUAL word after it. Memoised: the same few words recur."""
    quals = list(_pre_qualifiers(before))
    quals += [q for q in (more, more3) if q]
    quals += _post_qualifiers(post)
    return tuple(sorted(set(quals)))


@lru_cache(maxsize=MEMO_SIZE)
def _pre_qualifiers(before: str) -> tuple[str, ...]:
    """The PRE_QUAL words in the text before a number, less those inside a longer one found (达 in 达到)."""
    if not PRE_QUAL_RE.search(before):  # one C scan: most text before a number holds none of them
        return ()
    quals = [q for q in PRE_QUAL if q in before]
    # less those inside a longer one found: each word's longer words are known (PRE_QUAL_INSIDE), so a word is
    # dropped when one of them is found, not compared with every word found (two generators a number)
    return tuple(q for q in quals if not (PRE_QUAL_INSIDE[q] and any(o in before for o in PRE_QUAL_INSIDE[q])))


# PRE_QUAL word -> the other PRE_QUAL words that hold it (达 -> 达到; 超 -> 超过): a word inside one found is dropped
PRE_QUAL_INSIDE = {q: tuple(o for o in PRE_QUAL if o != q and q in o) for q in PRE_QUAL}


@lru_cache(maxsize=MEMO_SIZE)
def _post_qualifiers(post: str) -> tuple[str, ...]:
    return tuple(q for q in POST_QUAL if post.startswith(q))


def _is_threshold(sent: str, start: int, end: int, kind: str) -> bool:
    """A size that defines a class of projects, firms or villages (亿元以上项目, 超百亿元产业集群)."""
    if THRESHOLD_AFTER_BOUND_RE.match(sent, end):
        return True
    if THRESHOLD_OVER_RE.search(sent, max(0, start - 2), start) and THRESHOLD_AFTER_OVER_RE.match(sent, end):
        return True
    return kind == "amount" and bool(THRESHOLD_DIRECT_RE.match(sent, end))


@lru_cache(maxsize=MEMO_SIZE)
def _measure(kind: str, unit: str, clause_before: str, indicator: str | None) -> str:
    """growth (rate of change), change (absolute change), share (a proportion or rate level), level, count."""
    tail = clause_before[-8:]
    if unit == "个百分点":
        return "change"
    # both patterns need 到 or 至 in the tail (~11 % of clauses have one there): no scan without
    if ("到" in tail or "至" in tail) and (
        TO_LEVEL_RE.search(tail.rstrip("了约近超过达")) or _re(r"(?:提高|增加|增长|下降|降低)(?:到|至)").search(tail)
    ):
        return "share" if unit in ("%", "‰") else ("count" if kind == "count" and indicator is None else "level")
    if unit in ("%", "‰", "倍"):
        last_growth = max(
            (m.end() for m in _re(r"增长|增速|涨幅|增幅|降幅|上涨|递增").finditer(clause_before[-MEASURE_CUE_CHARS:])),
            default=-1,
        )
        last_share = max(
            (m.end() for m in _re(r"贡献率|比重|占比|覆盖率|普及率|份额").finditer(clause_before[-MEASURE_CUE_CHARS:])),
            default=-1,
        )
        if last_share > last_growth >= 0:
            return "share"
        if GROWTH_RE.search(tail) or last_growth >= 0:
            if indicator in RATE_INDICATORS and not _re(r"增长|增速|涨幅|增幅|上涨|递增").search(tail):
                return "change"
            return "growth"
        return "share" if unit != "倍" else "level"
    if _re(r"(?:增加|减少|增长|下降|降低|提高|扩大|缩小|新增|增产|减产|多|少)了?(?:分别|约|近|超过)?$").search(
        tail
    ) and not _re(r"新增就业").search(tail):
        return "change"
    if kind == "count" and indicator is None:
        return "count"
    return "level"


def _is_target(
    sent: str, cs: int, start: int, end: int, plan: bool | None, para_outcome: bool = False
) -> tuple[bool, bool]:
    """(is_target, refers to last year's target). Targets: a target cue in the clause (力争, 控制在, 预期目标, 拟 …),
    a plan sentence (今年/明年/主要预期目标) or a plan part of the report, unless the text before the number says
    it is an outcome (去年, 过去一年, 完成了, 实现了 …)."""
    # pattern.search(sent, pos, endpos) reads sent[pos:endpos] as if it were the whole string (re's documented
    # contract, anchors and lookarounds included): the text before the number without a copy of it per number
    clause = sent[cs : end + 4]
    if PAST_TARGET.search(clause) and OUTCOME_RE.search(sent):
        return True, True
    if STRONG_TARGET.search(clause) and not OUTCOME_CLAUSE.search(sent, cs, start):
        return True, False
    if STATED_GOAL_RE.search(sent, 0, start) and not GOAL_MET_RE.search(sent, 0, start):
        return True, False
    if para_outcome or OUTCOME_RE.search(sent, 0, start):
        return False, False
    if THIS_YEAR_RE.search(sent, 0, start) and not SO_FAR_THIS_YEAR_RE.search(sent, 0, start):
        return True, False
    return bool(plan), False


STATED_GOAL_RE = re.compile(r"预期目标|主要(?:奋斗)?目标|调控目标|奋斗目标|目标是|目标为")
GOAL_MET_RE = re.compile(r"实现了?|完成了?|达到了|超过|低于|高于|执行|实际")
THIS_YEAR_RE = re.compile(r"今年|明年|本年度")
SO_FAR_THIS_YEAR_RE = re.compile(r"今年以来|今年[一二三四1-4]季度|今年上半年|今年前|今年\d")
# 比2010年, 与2000年相比: a base year, not the year referred to
CLAUSE_YEAR_RE = _prefixed(r"(?<![\d比与较同])((?:19|20)\d{2})\s*年(?!相比|比)")
# 是2002年的 / 相当于2010年的 right before a number: the year a multiple is taken of, not the year referred to
MULTIPLE_BASE_RE = re.compile(r"(?:是|为|相当于)\s*(?:19|20)\d{2}\s*年的\s*$")
NEXT_YEAR_RE = re.compile(r"明年")
OTHER_YEAR_RE = re.compile(r"去年|上年|今年|过去一年")
THIS_YEAR_PART_RE = re.compile(r"上半年|前三季度|一季度|今年以来|1-\d+月|今年")
LAST_YEAR_RE = re.compile(r"去年|上年|过去一年")


# figures.sentence keeps a sentence's first 500 characters: a run-on "sentence" of a page that lost its
# punctuation stays bounded.
SENTENCE_MAX_CHARS = 500
# figures.indicator_phrase keeps the last 30 characters of the phrase an indicator was read from (its head noun
# ends it).
PHRASE_MAX_CHARS = 30
# A growth cue (增长/增速/涨幅) or share cue (比重/占比) governs a figure when it ends within the 14 characters
# before it (`占地区生产总值的比重达到`).
MEASURE_CUE_CHARS = 14
SENTENCE_HEAD = 15  # a year within a sentence's first 15 characters (`1997年，全省…`) dates the whole sentence


def _ref_year(
    sent: str,
    start: int,
    year: int | None,
    is_target: bool,
    past_target: bool,
    before: str,
    section_year: int | None = None,
    outcome_year: int | None = None,
) -> int | None:
    if year is not None and outcome_year is None:
        outcome_year = year - 1
    # the last year written before the number that is not a base (与2002年相比, 低于2007年, 比1992年增长)
    stated, stated_pos = None, -1
    for ys, ye, y in _stated_years(sent):
        if ye <= start:
            stated, stated_pos = y, ys
    if stated is not None and year is not None and (rel := _last_relative_year(before)) is not None:
        return year + rel  # 一九五七年只有一百九十四万吨，今年预计增加到六百四十万吨: the number's own clause says when
    # 比2010年, 与2000年相比: a base year, not the year referred to
    clause_years = CLAUSE_YEAR_RE.findall(before)
    if clause_years and not MULTIPLE_BASE_RE.search(before):
        return int(clause_years[-1])
    # 年均增长, 今后五年, 累计: a span of years (the cue in the number's clause, or just before a bare clause)
    if _has_noun(before):
        span = MULTI_YEAR.search(before)
    else:
        span = MULTI_YEAR.search(sent, max(0, start - 30), start)
    if span or MULTI_YEAR.search(sent, 0, SENTENCE_HEAD):
        return None
    if stated is not None and (start - stated_pos <= 40 or stated_pos <= SENTENCE_HEAD):
        return stated
    if year is None:
        return stated
    # search(sent, 0, start): the text before the number, see _is_target
    if NEXT_YEAR_RE.search(sent, 0, start):
        return year + 1
    if section_year is not None and not past_target and not OTHER_YEAR_RE.search(sent, 0, start):
        return section_year
    if is_target:
        return outcome_year if past_target else year
    if THIS_YEAR_PART_RE.search(sent, 0, start) and not LAST_YEAR_RE.search(sent, 0, start):
        return year
    return outcome_year if stated is None else stated


# A speech delivered in the second half of its year reviews that year (a December 中央经济工作会议's
# `预计全年国内生产总值增长3%左右` is 2022's, a July 半年工作会议's `上半年…增长5.5%` this year's); one delivered in its
# first half — the January–March sessions of the people's congresses, where most reports with figures are
# delivered — reviews the year before. Month 7: the year's first half is over; the latest local sessions meet in
# March, the earliest mid-year meetings in July.
REVIEW_SAME_YEAR_MONTH = 7


def reviewed_year(year: int | None, delivered_on: dt.date | None) -> int | None:
    """The year a document's outcomes refer to when it is its own year (delivered in its second half), else None
    (the default: the year before the document's)."""
    if year is None or delivered_on is None or delivered_on.year != year:
        return None
    return year if delivered_on.month >= REVIEW_SAME_YEAR_MONTH else None


# A year word in the number's own clause, after a year the sentence wrote earlier (`资本充足率从2007年底的8.4%提升到去年底的
# 13.3%`, 1964's `一九五七年只有…，今年预计增加到…`): the clause's word dates the number, not the written year. Only the
# words that count from the day of the speech (今年, 去年, 明年): 本年, 上年, 当年 count from the year written before them
# (`1955年国家决算…共占本年支出的10.87%`). Not a base (比去年, 去年同期), and only after the clause's last number
# (`由今年预计的3%提高到4%`: 4% is the plan's year).
RELATIVE_YEAR_RE = re.compile(r"(?<![比较与同])(今年|去年|明年)(?!同期|水平|相比|比)")
RELATIVE_YEAR_OFFSET = {"今年": 0, "去年": -1, "明年": 1}
LAST_NUMBER_RE = re.compile(r".*(?:\d|百分之)", re.S)


def _last_relative_year(clause: str) -> int | None:
    m = LAST_NUMBER_RE.match(clause)
    found = None
    for r in RELATIVE_YEAR_RE.finditer(clause, m.end() if m else 0):
        found = RELATIVE_YEAR_OFFSET[r.group(1)]
    return found


@lru_cache(maxsize=SENTENCE_MEMO_SIZE)
def _stated_years(sent: str) -> tuple[tuple[int, int, int], ...]:
    """(start, end, year) of the years a sentence writes that are not a base year, in order. The years before a
    number are those ending before it: YEAR_RE and CN_YEAR_RE look neither ahead nor past their match's end, so
    their matches in `sent[:start]` are exactly their matches in `sent` that end by `start` (tests pin it); the base
    test reads the sentence around the year, whatever the number."""
    if "年" not in sent:  # YEAR_RE and CN_YEAR_RE both end with 年 (3 of 4 sentences with figures have none)
        return ()
    found: list[tuple[int, int, int | None]] = [
        (ym.start(), ym.end(), int(ym.group(1))) for ym in YEAR_RE.finditer(sent)
    ]
    found += [(ym.start(), ym.end(), _cn_year(ym.group(1))) for ym in CN_YEAR_RE.finditer(sent)]
    out = []
    for ys, ye, y in sorted(found):
        base = (
            _re(r"(?:[比与较同]|低于|高于|相对)\s*$").search(sent[max(0, ys - 3) : ys])
            or _re(r"\s*(?:相比|比|同期|水平|不变价|价格|可比价)").match(sent[ye : ye + 4])
            # 是2002年的2.5倍, 相当于2010年的两倍: the year a multiple is taken of (226 rows, session 42)
            or (
                _re(r"(?:是|为|相当于)\s*$").search(sent[max(0, ys - 3) : ys])
                and _re(r"的[^，。；]{0,12}倍").match(sent[ye : ye + 16])
            )
        )
        if y and not base:
            out.append((ys, ye, y))
    return tuple(out)


def _cn_year(s: str) -> int | None:
    try:
        return int("".join(str(CN_DIGITS[c]) for c in s))
    except KeyError:
        return None


def _implausible(
    value: float | None,
    yi: float | None,
    canon: str,
    measure: str,
    indicator: str | None,
    level: str | None,
    national: bool,
) -> bool:
    if value is None:
        return False
    v = abs(value)
    if yi is not None and measure in ("level", "change"):
        v = abs(yi)
        bound = AMOUNT_BOUND.get(level or "", AMOUNT_BOUND["national"] if national else LOCAL_AMOUNT_BOUND)
        if indicator in (REGIONAL_GDP,) and level is None:
            bound = AMOUNT_BOUND["province"]
        return v > bound
    if canon == "%":
        if measure == "growth" and indicator in GDP_INDICATORS:
            return v > GDP_GROWTH_BOUND
        return v > PCT_BOUND.get(measure, PCT_BOUND["growth"])
    if canon == "个百分点":
        return v > 100
    return False


def _flag_outliers(rows: list[dict]) -> None:
    """Damaged digits: one pass for the two largest sane values per unit, one pass to flag."""
    top: dict[str, list[float]] = {}
    for r in rows:
        if r["value"] is None or r["unit"] not in OUTLIER_UNITS or r["is_implausible"]:
            continue
        t = top.setdefault(r["unit"], [])
        t.append(abs(r["value"]))
        t.sort(reverse=True)
        del t[3:]
    counts: dict[str, int] = {}
    for r in rows:
        if r["value"] is not None and r["unit"] in OUTLIER_UNITS and not r["is_implausible"]:
            counts[r["unit"]] = counts.get(r["unit"], 0) + 1
    for r in rows:
        if r["value"] is None or r["unit"] not in OUTLIER_UNITS or r["is_implausible"]:
            continue
        num = _re(r"\d+").match(r["as_written"])
        if not num or not BARE_INT_RE.match(num.group(0)):
            continue
        if r["as_written"][len(num.group(0)) : len(num.group(0)) + 1] in ".,":
            continue
        if counts.get(r["unit"], 0) < 3:
            continue
        t = top[r["unit"]]
        v = abs(r["value"])
        other = t[1] if t and t[0] == v else t[0]
        if other > 0 and v > OUTLIER_RATIO * other:
            r["is_implausible"] = True


__all__ = ["INDICATORS", "UNITS", "extract_figures"]
