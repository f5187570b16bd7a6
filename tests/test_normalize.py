"""Normalize stage: golden seeds, every named rule on the real line it targets, properties, real-corpus checks."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks import normalize
from tasks.normalize import (
    LOST,
    Normalized,
    detect_script,
    learn_boilerplate,
    line_keys,
    normalize_text,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "samples" / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"
from tests.paths import SHARED  # noqa: E402  (../shared/corpus beside the repo; absent on a plain clone)

SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))
HAN = re.compile(r"[\u4e00-\u9fff]")


def seed(name_prefix: str) -> str:
    (path,) = [p for p in SEEDS.glob(f"{name_prefix}*.txt")]
    return path.read_text(encoding="utf-8")


def rules_of(text: str) -> dict[str, str]:
    """line -> rule for every removed line."""
    return {line.strip(): rule for _, line, rule in normalize_text(text).removed_lines}


# ============================================================================ golden seeds


@pytest.mark.parametrize("name", SEED_NAMES)
def test_golden_text(name):
    got = normalize_text((SEEDS / name).read_text(encoding="utf-8")).text
    assert got + "\n" == (GOLDEN / name).read_text(encoding="utf-8")


def _han_skeleton(text: str) -> str:
    from tasks.normalize import _T2S_MAP

    text = re.sub(r"[(（][a-zü\u00e0-\u01dc]{1,7}[)）]", "", text)
    return "".join(HAN.findall(text.translate(_T2S_MAP)))


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_body_sentence_survives(name):
    """Each raw sentence of >= 12 Han characters reappears (Han characters only: punctuation is rewritten)."""
    raw = (SEEDS / name).read_text(encoding="utf-8")
    n = normalize_text(raw)
    out = _han_skeleton(n.text)
    removed = {line for _, line, _ in n.removed_lines}
    for line in raw.splitlines():
        if line in removed:
            continue
        for sentence in re.split(r"[。！？!?；;]", line):
            skeleton = _han_skeleton(sentence)
            if len(skeleton) >= 12 and "?" not in sentence and "A(" not in sentence:
                assert skeleton in out, sentence


# Chrome of each seed, reviewed by hand: none of it may survive in `text`.
CHROME = {
    "000": ["您的当前位置", "来源", "布克知识网", "因篇幅问题"],
    "001": [
        "嘉峪关论坛",
        "今日",
        "帖子",
        "sid2029624",
        "积分",
        "发表于",
        "只看该作者",
        "楼主",
        "分享到",
        "点评",
        "回帖",
        "快速回帖",
        "扫一扫",
        "重要讲话",
    ],
    "002": ["发布时间", "来源", "点击", "相关热词搜索", "热点文章阅读", "(qū)", "ū"],
    "003": ["温馨提示", "网站客服", "本文档由用户上传", "第8页", "共8页", "下载"],
    "004": ["时间：2022", "导语", "不代表本站观点", "2022-05-16"],
}


@pytest.mark.parametrize("prefix", sorted(CHROME))
def test_no_chrome_survives(prefix):
    text = normalize_text(seed(prefix)).text
    for fragment in CHROME[prefix]:
        assert fragment not in text, fragment
    assert not any(line in {"2023", "区长", "互学互", "汇报会", "致辞"} for line in text.split("\n"))


def test_seed_flags_and_scripts():
    s0, s1, s2, s3, s4 = (normalize_text(seed(p)) for p in ["000", "001", "002", "003", "004"])
    assert s0.flags.get("truncated") == 1 and s0.script == "simplified"
    assert s1.flags.get("foreign_word") == 3  # 市government ×3
    assert s2.script == "traditional" and s2.traditional_ratio > 0.9
    assert s4.script == "traditional"
    assert s2.flags["pinyin_removed"] == 583
    assert s2.flags["lost_chars"] == 4  # 秩序?qū)m?xiàng整治, 實施;A(chǔ)設施, 挑重?fù)?dān)子, 工地?fù)P塵
    assert s2.flags["placeholder"] >= 10  # ×月×日, X區長
    assert s3.flags["spun"] >= 23  # 经济开展, 公共效劳, 原那么, 成认 … and 具体工程, 落在工程上, 表达公开 …
    assert s4.flags["redacted_name"] >= 5  # 使的增速, “的城市管理99天好
    for n in (s0, s1, s2, s4):
        assert "spun" not in n.flags
    for n in (s0, s1, s2, s3):
        assert n.flags.get("redacted_name", 0) <= 1
    for n in (s2, s4):
        assert not set("區長會經濟時間") & set(n.text)


def test_seed_text_is_simplified_with_chinese_punctuation():
    for p in ["000", "001", "002", "003", "004"]:
        text = normalize_text(seed(p)).text
        assert not re.search(r"[\u4e00-\u9fff][,:;?!]|[,:;?!][\u4e00-\u9fff]", text)
        assert "〞" not in text and "\u3000" not in text
        assert "\n\n" not in text and text == text.strip()


def test_extract_can_read_metadata_from_removed_lines():
    removed = normalize_text(seed("002")).removed_lines
    assert (2, "發(fā)布時間:2021-03-25 來源: 實(shí)習(xí)報告 點(diǎn)擊:", "chrome.published_at") in removed
    r1 = rules_of(seed("001"))
    assert r1["发表于2019-01-29 15:57:43 |只看该作者|倒序浏览"] == "chrome.published_at"
    assert rules_of(seed("000"))["2021-02-06 来源:布克知识网"] == "chrome.published_at"
    assert rules_of(seed("004"))["時間:2022-05-16 08:36:00"] == "chrome.published_at"


def test_removed_lines_are_raw_lines_with_raw_numbers():
    raw = seed("001")
    lines = raw.split("\n")
    for line_no, line, rule in normalize_text(raw).removed_lines:
        assert lines[line_no - 1] == line and rule


# ============================================================================ rule library, one real line each

RULE_LINES = [
    ("您的当前位置:首页正文", "chrome.breadcrumb"),
    ("發(fā)布時間:2021-03-25 來源: 實(shí)習(xí)報告 點(diǎn)擊:", "chrome.published_at"),
    ("时间：2026-02-09", "chrome.published_at"),
    ("2026-02-03 09:02:33", "chrome.published_at"),
    ("2026年02月10日 07时41分", "chrome.published_at"),
    ("来源：解放日报", "chrome.source"),
    ("（来源：青海日报）", "chrome.source"),
    ("编辑：何继红", "chrome.editor"),
    ("阅读量：", "chrome.clicks"),
    (
        "導語:組織部長在季度總結大會講話一文來源于網友上傳,不代表本站觀點,若需要原創文章可咨詢客服老師,歡迎參考。",
        "chrome.disclaimer",
    ),
    ("网站客服:3074922707", "chrome.download_notice"),
    ("第8页 共8页", "chrome.page_counter"),
    ("【字号：加大 还原 减小】", "chrome.toolbar"),
    ("今日: 434|昨日: 633|帖子: 2189450|会员: 163392|欢迎新会员: LY333", "chrome.forum"),
    ("积分0在线时间43小时", "chrome.forum"),
    ("点评 回复 举报", "chrome.forum"),
    ("分享到:", "chrome.share"),
    ("扫一扫在手机打开当前页", "chrome.share"),
    ("相关热词搜索:区政府 区长 会上 讲话", "chrome.related"),
    ("》》点击图片进入专题《《", "chrome.related"),
    ("关闭窗口", "chrome.toolbar"),
    # national pages' chrome (helper h1, session 43): people.com.cn, gov.cn, xinhuanet, doc88
    ("2024年03月13日06:52 | 来源：人民网－人民日报", "chrome.published_at"),
    ("小字号", "chrome.toolbar"),
    ("字号：默认 大 超大 | 打印 |", "chrome.toolbar"),
    ("新华社北京3月12日电", "chrome.source"),
    ("上传人：gov2024 | 上传时间：2024-03-06 | 格式：DOC | 页数：30", "chrome.download_notice"),
    ("下载文档到电脑，查找使用更方便", "chrome.download_notice"),
]

BODY = (
    "同志们：\n" + "今天的会议，是在全区上下认真学习贯彻省第十二次党代会精神的关键时刻召开的一次会议，非常重要。\n" * 3
)


@pytest.mark.parametrize("line,rule", RULE_LINES)
def test_rule_fires_on_its_real_line(line, rule):
    assert rules_of("讲话标题\n" + line + "\n" + BODY).get(line) == rule
    assert rule in normalize_text("讲话标题\n" + line + "\n" + BODY).rule_counts


def test_toolbar_one_token_per_line():
    head = "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n2026年上海市政府工作报告\n"
    n = normalize_text(head + "来源：解放日报\n时间：2026-02-09\n" + BODY + "相关报道：\n")
    rules = [r for _, _, r in n.removed_lines]
    assert rules[:9] == ["chrome.toolbar"] * 9
    assert n.text.split("\n")[0] == "2026年上海市政府工作报告"
    assert "相关报道" not in n.text and "下载" not in n.text


def test_label_and_value_on_separate_lines_share_the_rule():
    n = normalize_text("发表时间：\n2026-02-09 09:45:30\n来源：\n宁夏日报客户端\n" + BODY)
    assert [r for _, _, r in n.removed_lines] == ["chrome.published_at"] * 2 + ["chrome.source"] * 2


def test_breadcrumb_chain():
    raw = "首页\n>\n政府信息公开\n>\n省政府工作报告\n陕西省2026年政府工作报告\n" + BODY
    n = normalize_text(raw)
    assert n.text.startswith("陕西省2026年政府工作报告\n")
    assert {r for _, _, r in n.removed_lines} == {"chrome.breadcrumb"}


def test_keyword_lines_before_title():
    n = normalize_text("2023\n区长\n互学互\n汇报会\n致辞\n区长在互学互比汇报会讲话\n" + BODY)
    assert n.text.startswith("区长在互学互比汇报会讲话\n同志们：")
    assert n.rule_counts["chrome.keywords"] == 5


def test_front_matter_and_markdown():
    raw = (
        "---\nsource: https://www.shanghai.gov.cn/x.html\ntitle: 龚正市长的政府工作报告（2026年）\n---\n\n"
        "**政府工作报告**\n\n<!-- 殷勇同志作政府工作报告。 -->\n\n## 一、2025年工作回顾\n\n"
        + BODY
        + "PM2.5浓度为26.3微克/立方米[^1]，增长241 亿元。\n"
    )
    n = normalize_text(raw)
    rules = {line: rule for _, line, rule in n.removed_lines}
    assert rules["title: 龚正市长的政府工作报告（2026年）"] == "frontmatter.title"
    assert rules["source: https://www.shanghai.gov.cn/x.html"] == "frontmatter.source"
    assert rules["<!-- 殷勇同志作政府工作报告。 -->"] == "markup.html_comment"
    assert n.text.startswith("政府工作报告\n一、2025年工作回顾\n")
    assert "增长241亿元" in n.text and "*" not in n.text and "#" not in n.text


def test_photo_caption_before_salutation():
    raw = (
        "2026年江苏省政府工作报告\n省长 刘小涛\n省长刘小涛代表省人民政府向大会作政府工作报告。本报记者 朱江 摄\n各位代表：\n"
        + BODY
    )
    assert rules_of(raw)["省长刘小涛代表省人民政府向大会作政府工作报告。本报记者 朱江 摄"] == "chrome.photo_caption"


def test_truncation_notice():
    n = normalize_text(BODY + "因篇幅问题不能全部显示,请点此查看更多更全内容")
    assert n.flags["truncated"] == 1 and "篇幅" not in n.text
    assert n.removed_lines[-1][2] == "truncation.notice"
    glued = normalize_text(BODY + "为推动桥东区的新跨越而努力奋斗！因篇幅问题不能全部显示,请点此查看更多更全内容")
    assert glued.text.endswith("努力奋斗！") and glued.flags["truncated"] == 1


def test_tail_after_marker_is_cut():
    opening = "各位代表：现在，我代表省人民政府，向大会报告工作。\n"
    body = opening + BODY
    raw = body + "分享到微信\n×\n相关文档：\n关闭窗口\n2026年四川省人民政府工作报告\n" + opening
    n = normalize_text(raw)
    assert n.text == normalize_text(body).text


def test_speech_below_a_tail_marker_is_never_cut():
    """A speech line below a misplaced marker stays unless the page's text above already holds it."""
    raw = BODY + "相关文档：\n关闭窗口\n各位代表：现在，我代表省人民政府，向大会报告工作。\n"
    assert "我代表省人民政府，向大会报告工作。" in normalize_text(raw).text


# ============================================================================ learned boilerplate


def test_learned_boilerplate_with_formulaic_guard():
    group = "example.com"
    counts = {
        (group, k): 40 for k in ["本站声明：转载请注明出处", "同志们:", "各位代表：", "谢谢大家！", "一、工作回顾"]
    }
    counts[(group, "只出现一次")] = 1
    learned = learn_boilerplate(counts, {group: 50, "tiny.site": 2})
    assert learned == {group: frozenset({"本站声明:转载请注明出处"})}
    n = normalize_text("本站声明：转载请注明出处\n" + BODY + "谢谢大家！\n", learned[group])
    assert n.removed_lines == [(1, "本站声明：转载请注明出处", "learned.boilerplate")]
    assert n.text.endswith("谢谢大家！")
    # a formulaic line is never removed, even if a caller passes it in
    assert "同志们：" in normalize_text(BODY, frozenset({"同志们："})).text


def test_line_keys_match_what_normalize_removes():
    raw = "發布時間：２０２１\n  來源:  網站  \n" + BODY
    keys = line_keys(raw)
    assert "发布时间:2021" in keys and "来源:网站" in keys
    assert all(len(k) <= 60 for k in keys)
    assert line_keys(None) == set()  # type: ignore[arg-type]


def test_learn_boilerplate_is_deterministic():
    counts = {("g", f"菜单{i}"): 10 for i in range(30)}
    a = learn_boilerplate(counts, {"g": 10})
    b = learn_boilerplate(dict(reversed(list(counts.items()))), {"g": 10})
    assert a == b and len(a["g"]) == 30


# ============================================================================ script, pinyin, damage


def test_script_from_script_specific_characters_not_first_characters():
    assert detect_script("首页 " + "這個區長的經濟發展報告" * 5)[0] == "traditional"
    assert detect_script("區長" + "这个区长的经济发展报告" * 5)[0] == "simplified"
    assert detect_script("这个区长的经济发展" * 3 + "這個區長的經濟發展" * 3)[0] == "mixed"
    assert detect_script("hello 123")[:2] == ("unknown", None)


def test_opencc_t2s():
    n = normalize_text("組織部長在季度總結大會講話\n同志們：\n剛才，同志代表區委、區政府對一季度的工作進行了全面總結。")
    assert n.text == "组织部长在季度总结大会讲话\n同志们：\n刚才，同志代表区委、区政府对一季度的工作进行了全面总结。"
    assert n.script == "traditional" and n.rule_counts["script.t2s"] > 0


def test_t2s_converts_only_the_lines_holding_traditional_script():
    # OpenCC's phrases rewrite Simplified words too (藉口 -> 借口): a page's Simplified lines stay as written, as they
    # read in a copy of the page without any Traditional line
    simplified = "我们决不找任何藉口推卸责任，要把各项工作落到实处。"
    assert normalize._T2S.convert(simplified) != simplified  # what converting the whole page did
    n = normalize_text("區長在全區經濟工作會議上的講話\n" + simplified)
    assert n.text.split("\n") == ["区长在全区经济工作会议上的讲话", simplified]
    assert normalize_text(simplified).text == simplified
    assert n.rule_counts["script.t2s"] > 0


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("區(qū)長在2021年區(qū)政府全體會上", "区长在2021年区政府全体会上"),  # 區(qū)長 -> 區長
        ("經(jīng)濟(jì)社會發(fā)展", "经济社会发展"),
        ("我们和中国(China)合作", "我们和中国(China)合作"),
        ("全区(GDP)增长", "全区(GDP)增长"),
        ("他叫张三(zhāng)吧", "他叫张三(zhāng)吧"),  # zhāng is not a reading of 三
        # the injector read the Simplified 了解 (le), then converted: 瞭 alone is liǎo / liào
        ("區(qū)長要深入瞭(le)解情況", "区长要深入了解情况"),
        ("區(qū)長登高瞭(le)望", "区长登高瞭(le)望"),  # 瞭望 stays 瞭 in Simplified too: (le) is not its reading there
    ],
)
def test_injected_pinyin(raw, expected):
    assert normalize_text(raw).text == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("城市秩序?qū)m?xiàng)整治", f"城市秩序{LOST}整治"),
        ("盡快實(shí)施;A(chǔ)設(shè)施類項(xiàng)目", f"尽快实施；{LOST}设施类项目"),
        ("要敢于挑重?fù)?dān)子", f"要敢于挑重{LOST}子"),
        ("建筑工地?fù)P塵治理", f"建筑工地{LOST}尘治理"),
        ("洞庭湖区重点垸堤防加固二期、?水灌区开工建设", f"洞庭湖区重点垸堤防加固二期、{LOST}水灌区开工建设"),
    ],
)
def test_damaged_leftovers_marked_lost(raw, expected):
    n = normalize_text(raw)
    assert n.text == expected
    assert n.flags["lost_chars"] == 1


# ============================================================================ punctuation, width, layout


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("同志们:", "同志们："),
        ("今天,我们召开会议;主要任务是部署?对!", "今天，我们召开会议；主要任务是部署？对！"),
        ("(2012年6月15日)", "（2012年6月15日）"),
        ("联系, 2867户农户", "联系，2867户农户"),
        ("“互学互比〞活动", "“互学互比”活动"),
        # a page that writes 〞 for both marks (an ASCII `"` turned into 〞 by a doc-sharing site)
        ("实施〞两新〞政策，推进〞三农〞和“五水〞工作", "实施“两新”政策，推进“三农”和“五水”工作"),
        ("他说〞好", "他说”好"),  # a lone mark closes, as before
        ("「三个代表」", "“三个代表”"),
        ('他说"实事求是"。', "他说“实事求是”。"),
        ("１９５５年收入合计２７，０００亿元，完成９６．９８％", "1955年收入合计27,000亿元，完成96.98％"),
        ("时间08:36,数字1,000", "时间08:36，数字1,000"),
        ("　　现在我代表国务院报告工作。", "现在我代表国务院报告工作。"),
        ("上海市市长 龚 正", "上海市市长 龚正"),
        ("PM_2.5浓度下降19%", "PM2.5浓度下降19%"),
    ],
)
def test_punctuation_width_spacing(raw, expected):
    assert normalize_text(raw).text == expected


def test_title_wrap_joined():
    raw = "在全区社会管理创新暨城乡一体化\n\n建设工作推进会议上的讲话\n\n区委副书记、区长  孙俨玲\n\n同志们:\n" + BODY
    lines = normalize_text(raw).text.split("\n")
    assert lines[:3] == [
        "在全区社会管理创新暨城乡一体化建设工作推进会议上的讲话",
        "区委副书记、区长 孙俨玲",
        "同志们：",
    ]


def test_broken_lines_joined():
    raw = "今年经济社会发展的\n主要预期目标\n是：地区生产总值增长4.5%—5%。\n1.“四上”企业：\n现阶段统计工作实践中的一种习惯称谓。"
    assert (
        normalize_text(raw).text
        == "今年经济社会发展的主要预期目标是：地区生产总值增长4.5%—5%。\n1.“四上”企业：现阶段统计工作实践中的一种习惯称谓。"
    )


def test_hard_wrapped_paragraphs_joined():
    para = "今天的会议，是在全区上下认真学习贯彻省党代会精神，推进社会管理创新的关键时刻召开的。" * 2
    wrapped = "\n".join(para[i : i + 30] for i in range(0, len(para), 30))
    n = normalize_text("\n\n".join([wrapped] * 4))
    assert n.text.split("\n") == [para] * 4


# ============================================================================ damage flags


@pytest.mark.parametrize(
    "text,flag",
    [
        ("×月×日，我区已集中开工复工了×个重点建设项目。", "placeholder"),
        ("跟青厦杭甬的中心XX县区相比，差距很大。", "placeholder"),
        ("20xx年是我区落实战略的突破之年。", "placeholder"),
        ("全面贯彻落实XXX精神，以中国式现代化引领XX现代化建设。", "placeholder"),  # a name blanked before any word
        ("××同志在会上作了重要讲话。", "placeholder"),
        ("在*月*日召开的会议上，市委提出了明确要求。", "placeholder"),  # stars for a date's digits
        ("推进公共效劳型政府建设。", "spun"),
        ("要记住一条原那么，即对一切有利于经济开展的事情。", "spun"),
        ("和那么顺，顺那么通，通那么达。", "spun"),
        ("在市委、市government和市属各部门任务指标全部明确的基础上。", "foreign_word"),
        ("但是，“的城市管理99天好，1天不好，等于不好。", "redacted_name"),
        ("从第二季度起，对来讲是一个至关重要的阶段。", "redacted_name"),
    ],
)
def test_damage_flag(text, flag):
    assert normalize_text(text).flags.get(flag, 0) >= 1


@pytest.mark.parametrize(
    "text",
    [
        "要促进经济社会高质量发展，扎实开展主题教育，提升公共服务水平。",
        "为的是更好激发比学赶超的激情，那么我们就要做好准备。",
        "我们要正确认识形势，形成认识上的统一，完成认定工作。",
        "中国(China)与GDP增长，PM2.5浓度下降，手机app用户增加。",
        "医院购置了X光机，建设3×4米的展板，引进MAXX精酿生产线。",  # X光, a multiplication, a Latin word
    ],
)
def test_natural_text_is_not_flagged(text):
    assert normalize_text(text).flags == {}


# 项目→工程 and 体现→表达 (seed 003): each pattern with the real line it targets; only the swapped word fires there.
@pytest.mark.parametrize(
    "text",
    [
        "“一副责任人”就是所有具体工作工程均明确责任单位分管领导、责任人。",
        "把宏伟的奋斗目标转化为实实在在的具体工程，把班子的责任与压力转化为全体干部的责任与动力。",
        "创新不是喊在口头上的，要落在工程上、落在载体上。",
        "但总体来讲，我们的盘子还不够大，工程还不够多，特别是在投资结构上还需要不断优化。",
        "要挂到网上，晒晒工作，表达公开、公平、公正。",
        "推动工程落地，加强招商工程储备。",
        "这充分表达了以人民为中心的发展思想，主要表达在三个方面。",
    ],
)
def test_spun_project_and_embody(text):
    assert normalize_text(text).flags.get("spun", 0) >= 1


@pytest.mark.parametrize(
    "text",
    [
        "加快重点工程建设，实施民生工程、水利工程和重大工程。",
        "推动重点任务、重大工程落地见效，十大类45项年度民生实事工程落地见效。",
        "明确年度工作重点、具体工程项目和实施责任主体。",
        "实施水系联通和水资源战略储备工程，干部到工程第一线工作。",
        "畅通群众诉求表达渠道，保障人民知情权、参与权、表达权、监督权。",
        "各族群众载歌载舞，充分表达对伟大祖国的衷心祝福。",
        "词意恳切，充分表达了学生、教师、家长的心声，意见充分表达。",
        "大力实施工程化攻关，重点工程还在加紧建设。",
    ],
)
def test_natural_project_and_embody_not_spun(text):
    assert "spun" not in normalize_text(text).flags


def _spun_reference(text: str) -> int:
    """normalize._count_spun without its lone-trigger shortcut: every trigger's window searched."""
    from tasks import normalize_rules as R

    spans = set()
    for m in R.SPUN_TRIGGER.finditer(text):
        lo, hi = max(0, m.start() - R.SPUN_REACH_BEFORE), min(len(text), m.end() + R.SPUN_REACH_AFTER)
        for hit in R.SPUN.finditer(text, lo, hi):
            if hit.start() <= m.start() < hit.end() or hit.start() < m.end() <= hit.end():
                spans.add(hit.span())
    return len(spans)


def test_a_spinner_context_whose_lookahead_reaches_far_is_counted():
    """表达了 looks up to 19 characters ahead for the principle it embodies; a window ending 14 characters
    after the trigger cut that lookahead off and the context went uncounted (until session 40)."""
    from tasks import normalize_rules as R

    text = "我们充分表达了以人民为中心的新时代发展思想。"
    assert normalize._count_spun(text) == 1 == len(R.spun_spans(text))
    assert normalize._count_spun("我们充分表达了以人民为中心的新时代文化生活和情感。") == 0  # no principle: natural


def test_spun_shortcut_counts_what_every_window_search_counts():
    """The skipped windows (a lone 开展 or 工程 without one of its contexts) never held a spinner context:
    random strings dense in triggers, their context words, other triggers' contexts and delimiters."""
    import random

    from tasks import normalize_rules as R

    pieces = [*R.SPUN_CONTEXT["开展"][0], *R.SPUN_CONTEXT["开展"][1], *R.SPUN_CONTEXT["工程"][0]]
    pieces += [*R.SPUN_CONTEXT["工程"][1], "开展", "开展", "工程", "工程", "那么", "到达", "目标", "了", "表达"]
    pieces += ["效劳", "公共", "成认", "比方", "原", "重点", "项目", "师", "推动", "落在", "充分", "公开", "在"]
    pieces += [*"，。；、！？“\n的和与大水", "建设", "工作"]
    rng = random.Random(5)
    counted = 0
    for _ in range(30000):
        t = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert normalize._count_spun(t) == _spun_reference(t), t
        counted += _spun_reference(t)
    assert counted > 3000  # the strings do hold spinner contexts
    for t in [*(p.read_text("utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt"))), "大开展大，开展的速度"]:
        assert normalize._count_spun(t) == _spun_reference(t)


def test_spun_spans_are_the_whole_text_scans_matches():
    """normalize_rules.spun_spans searches windows around the trigger words only: the same spans as
    SPUN.finditer over the whole text, on strings dense in triggers, every context word, the
    principle words 表达了 looks up to 19 characters ahead for, line ends (`^`, `$` under re.M) and
    fillers that stretch the distances, and on the seed pages."""
    import random

    from tasks import normalize_rules as R

    pieces = [*R.SPUN_CONTEXT["开展"][0], *R.SPUN_CONTEXT["开展"][1], *R.SPUN_CONTEXT["工程"][0]]
    pieces += [*R.SPUN_CONTEXT["工程"][1], "开展", "开展", "工程", "工程", "那么", "那么", "到达", "目标", "了"]
    pieces += ["表达", "表达了", "充分", "公开", "具体", "主要", "在", "原则", "理念", "发展思想", "宗旨"]
    pieces += ["效劳", "公共", "中心", "成认", "完", "定", "比方", "说", "原", "否", "多", "重点", "项目", "师"]
    pieces += ["推动", "落地", "落在", "上", "还", "不够多", *"，。；、：！？“\n的和与大水人民", "建设", "工作"]
    pieces += ["以人民为中心的新时代", "党和国家事业的"]
    rng = random.Random(40)
    found = 0
    for _ in range(20000):
        t = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        want = [m.span() for m in R.SPUN.finditer(t)]
        assert R.spun_spans(t) == want, t
        found += len(want)
    assert found > 3000  # the strings do hold spinner contexts
    filler = "发展经济改革开放" * 40  # triggers far apart: windows searched one by one, the text between skipped
    for t in [
        *(p.read_text("utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt"))),
        filler + "原那么" + filler,
    ]:
        assert R.spun_spans(t) == [m.span() for m in R.SPUN.finditer(t)]


# ============================================================================ properties


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_never_raises_and_idempotent(s):
    n = normalize_text(s)
    assert isinstance(n, Normalized)
    assert normalize_text(n.text).text == n.text


CHINESE = st.text(
    alphabet=st.sampled_from(
        list('区长经济發展區長會議同志们：:,，。.?？!()（）“〞"「」 \u3000\n×X1２3ā(qū)的开展那么-—来源时间下载')
    ),
    max_size=300,
)


@settings(max_examples=400, deadline=None)
@given(CHINESE)
def test_chinese_like_text_idempotent_and_never_grows(s):
    n = normalize_text(s)
    assert normalize_text(n.text).text == n.text
    # documented replacements are all 1:1 or shrinking (U+FFFD replaces a damaged span)
    assert len(n.text) <= len(s)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SEED_NAMES), min_size=1, max_size=2), st.integers(0, 40))
def test_seed_fragments_idempotent(names, cut):
    raw = "\n".join((SEEDS / n).read_text(encoding="utf-8") for n in names)
    lines = raw.split("\n")
    part = "\n".join(lines[cut:])
    n = normalize_text(part)
    assert normalize_text(n.text).text == n.text


def test_bad_input_never_raises():
    for bad in [None, b"bytes", 123, "", "\ud800\udfff孤立代理", "a\x00b\x1f", "\n" * 1000, "(" * 500 + "ā" * 500]:
        n = normalize_text(bad)  # type: ignore[arg-type]
        assert isinstance(n.text, str)


def test_deterministic():
    raw = seed("002")
    assert normalize_text(raw) == normalize_text(raw)


# ============================================================================ shared corpus (skipped when absent)

needs_shared = pytest.mark.skipif(
    not (SHARED / "real" / "DUPLICATE_PAIRS.tsv").exists(), reason="no ../shared/corpus beside the repository"
)
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if len(s.strip()) >= 4]


@needs_shared
def test_scraped_2026_reports_match_lawtext_copies():
    real = SHARED / "real"
    with open(real / "DUPLICATE_PAIRS.tsv", encoding="utf-8") as fh:
        pairs = [r for r in csv.DictReader(fh, delimiter="\t") if r["file_a"].startswith("johncodes404")]
    assert len(pairs) == 31
    hit = total = 0
    for pair in pairs:
        scraped = normalize_text((real / pair["file_a"]).read_text(encoding="utf-8"))
        clean = normalize_text((real / pair["file_b"]).read_text(encoding="utf-8"))
        for chrome in ["下载", "打印", "全屏", "收藏", "【字号", "相关报道", "来源：", "时间："]:
            assert not any(line.startswith(chrome) for line in scraped.text.split("\n")), (pair["file_a"], chrome)
        mine, theirs = _sentences(scraped.text), set(_sentences(clean.text))
        found = sum(s in theirs for s in mine)
        assert found / len(mine) >= 0.97, pair["file_a"]
        hit, total = hit + found, total + len(mine)
    assert hit / total >= 0.98


@needs_shared
def test_real_corpus_is_not_flagged_spun_or_redacted():
    flagged = Counter()
    files = sorted((SHARED / "real").glob("*/*.txt"))
    for path in files:
        n = normalize_text(path.read_text(encoding="utf-8"))
        for flag in ("spun", "redacted_name", "foreign_word", "lost_chars"):
            if n.flags.get(flag, 0) >= 2:
                flagged[flag] += 1
        assert normalize_text(n.text).text == n.text, path.name
    assert flagged["spun"] <= len(files) * 0.02, flagged
    assert flagged["redacted_name"] <= len(files) * 0.02, flagged


# ============================================================================ rule registry (docs/rules.md)

from tasks.normalize_rules import RULES, SPEECH_SAMPLES, rules_markdown  # noqa: E402


def _words(text: str) -> str:
    """Han characters and digits only: what must survive whatever punctuation and layout rules do."""
    return "".join(re.findall(r"[0-9\u4e00-\u9fff]", text))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_fires_on_its_example(rule):
    assert rule.name in normalize_text(rule.example, frozenset(rule.boilerplate)).rule_counts


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_never_removes_speech_beside_its_example(rule):
    """The example page with speech samples in front: every sample's words are still in `text`."""
    page = "\n".join(SPEECH_SAMPLES) + "\n" + rule.example
    got = _words(normalize_text(page, frozenset(rule.boilerplate)).text)
    for sample in SPEECH_SAMPLES:
        assert _words(sample) in got, (rule.name, sample)


@pytest.mark.parametrize("sample", SPEECH_SAMPLES)
def test_no_rule_fires_on_speech(sample):
    n = normalize_text(sample)
    assert n.removed_lines == []
    assert n.rule_counts == {}
    assert n.text == sample


def test_registry_names_every_rule_the_code_writes():
    """Every rule name in normalize.py's source is documented (frontmatter.<key> by its examples)."""
    source = (ROOT / "tasks" / "normalize.py").read_text(encoding="utf-8")
    used = set(
        re.findall(
            r'"((?:chrome|markup|truncation|learned|pinyin|damage|script|punct|width|space|layout)\.[a-z_]+)"', source
        )
    )
    assert used <= {r.name for r in RULES}, used - {r.name for r in RULES}


def test_rules_doc_in_sync():
    on_disk = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert on_disk == rules_markdown(), "run `python -m tasks.normalize_rules > docs/rules.md`"


# ============================================================================ speech is never chrome (issue 11)

OPENING_CITY = "现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。"
OPENING_STATE = "现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协各位委员提出意见。"
DATELINE = "——2019年1月27日在广州市第十五届人民代表大会第二次会议上"
BODY_PARA = "过去一年，全市经济运行稳中有进，地区生产总值增长百分之六，城乡居民收入稳步提高，民生福祉明显改善。"


def _report(opening: str, caption: str = "温国辉作政府工作报告。本报记者 霍艳恩摄") -> str:
    return (
        "\n".join(
            [
                "政府工作报告",
                DATELINE,
                "广州市市长 温国辉",
                caption,
                "各位代表：",
                opening,
                BODY_PARA,
                BODY_PARA[:-1] + "。",
            ]
        )
        + "\n"
    )


@pytest.mark.parametrize("opening", [OPENING_CITY, OPENING_STATE, "各位代表：" + OPENING_CITY])
def test_work_report_opening_is_speech(opening):
    n = normalize_text(_report(opening))
    assert opening in n.text
    assert DATELINE in n.text and "广州市市长 温国辉" in n.text
    assert "霍艳恩" not in n.text
    assert [rule for _, _, rule in n.removed_lines] == ["chrome.photo_caption"]


def test_opening_glued_to_body_survives_when_paragraphs_are_joined():
    page = _report(OPENING_CITY).replace("\n", "") + "\n"
    text = normalize_text(page).text
    assert _words(OPENING_CITY) in _words(text) and _words(BODY_PARA) in _words(text)


def test_header_joined_keeps_dateline_byline_and_opening():
    lines = _report(OPENING_CITY).split("\n")
    page = "".join(lines[:6]) + "\n" + "\n".join(lines[6:])
    text = _words(normalize_text(page).text)
    for part in (DATELINE, "广州市市长温国辉", OPENING_CITY):
        assert _words(part) in text


def test_repeated_dateline_stays_once():
    page = "政府工作报告\n" + DATELINE + "\n**政府工作报告**\n" + DATELINE + "\n各位代表：\n" + OPENING_CITY + "\n"
    assert normalize_text(page).text.count(DATELINE) == 1


def test_captions_signed_anywhere_or_unsigned_in_the_head_are_removed():
    """An unsigned `省长赵刚作政府工作报告` is the report photo's caption in the head (session 42: the lawtext copy
    has it in a comment, the scraped one in the text, and the two copies differed); below the salutation it stays."""
    n = normalize_text(_report(OPENING_CITY, "省长赵刚作政府工作报告"))
    assert "赵刚作" not in n.text and ("chrome.photo_caption" in {r[2] for r in n.removed_lines})
    body_line = OPENING_CITY + "\n省长赵刚作政府工作报告\n"
    assert "省长赵刚作政府工作报告" in normalize_text("各位代表：\n" + body_line).text
    for caption in (
        "2月3日，宁夏回族自治区第十三届人民代表大会第四次会议在银川开幕。自治区人民政府主席张雨浦作政府工作报告。 宁夏日报记者 王鼎 摄",
        "石榴云/新疆日报记者 谢龙 摄",
        "任振鹤作政府工作报告。新甘肃·甘肃日报记者 盛学卿",
    ):
        assert "记者" not in normalize_text(_report(OPENING_CITY, caption)).text


WIKISOURCE_TRAILER = (
    "本作品来自1949年10月1日（含）之后的中国共产党文件。根据《刑事审判参考》指导案例，属于\n公有领域\n。\n"
    "中国共产党的领导人讲话和其它文件是否属于以上范围，在中文维基文库社群中存在争议。在有进一步共识之前，"
    "本模板的使用仅限于以上所列之文件。\n\n\nPublic domain\nPublic domain\nfalse\nfalse\n"
)


def test_wikisource_licence_trailer_is_removed_and_speech_kept():
    n = normalize_text("同志们：\n" + BODY_PARA + "\n" + WIKISOURCE_TRAILER)
    assert n.text == "同志们：\n" + BODY_PARA
    joined = normalize_text(("同志们：\n" + BODY_PARA + "\n" + WIKISOURCE_TRAILER).replace("\n", "") + "\n")
    assert "维基文库" not in joined.text and "false" not in joined.text and _words(BODY_PARA) in _words(joined.text)


def test_markdown_emphasis_over_a_line_break_and_headings_without_space():
    page = (
        "**——2026年1月6日在武汉市第十五届人民代表大会第六次会议上\n代市长 熊征宇**\n##（一）关于经济形势\n“*人计划”\n"
    )
    assert normalize_text(page).text == (
        "——2026年1月6日在武汉市第十五届人民代表大会第六次会议上\n代市长 熊征宇\n（一）关于经济形势\n“*人计划”"
    )


@pytest.mark.parametrize(
    "page,text,placeholders",
    [
        # a template's stars for a year's digits, a date's and a name before its unit (doc-site 范文 pages): the bold
        # rule paired them (`**年在**` bold) and removed them, so the text read `20年` / `市委` and carried no flag
        ("20**年，在**市委的坚强领导下，**县政府扎实工作。", None, 3),
        ("2026年**月**日在**县第十七届人民代表大会第一次会议上", None, 3),
        ("尊敬的***同志：\n今天我们召开全县大会。", None, 1),
        ("19**年以来，我县经济快速发展。", None, 1),
        # real bold is still stripped, beside a placeholder and on its own
        (
            "**一、2012年工作回顾**\n在**市委的领导下，全县上下团结一心，攻坚克难，经济社会发展取得了显著成绩，各项事业全面进步。我们要**坚持**改革。",
            "一、2012年工作回顾\n在**市委的领导下，全县上下团结一心，攻坚克难，经济社会发展取得了显著成绩，各项事业全面进步。我们要坚持改革。",
            1,
        ),
        (
            "要**市场化**改革，**加强党建**市委要求，**要坚持**同志们。",
            "要市场化改革，加强党建市委要求，要坚持同志们。",
            0,
        ),
        ("**1978**年是转折之年。", "1978年是转折之年。", 0),
        (
            "**——2026年1月6日在武汉市第十五届人民代表大会上\n代市长 熊征宇**",
            "——2026年1月6日在武汉市第十五届人民代表大会上\n代市长 熊征宇",
            0,
        ),
    ],
)
def test_star_placeholders_survive_the_bold_rule(page, text, placeholders):
    n = normalize_text(page)
    assert n.text == (page if text is None else text)
    assert n.flags.get("placeholder", 0) == placeholders
    assert normalize_text(n.text).text == n.text  # idempotent


@pytest.mark.parametrize(
    "notice", ["因篇幅問題(tí)不能全部顯示,請點此查看更多更全內容", "因篇幅问题不能全部显示，请点此查看更多更全内容"]
)
def test_truncation_notice_with_pinyin_or_traditional(notice):
    for page in (BODY_PARA + "\n" + notice + "\n", BODY_PARA + notice + "\n"):
        n = normalize_text(page)
        assert n.text == BODY_PARA and n.flags.get("truncated") == 1


# ============================================================================ body survival on the shipped samples


def test_body_survival_on_shipped_samples_and_reflowed_variants():
    """bench/bench_survival.py on data/samples: every clean-copy sentence readable in the input is in `text`."""
    from bench.bench_survival import run

    lines: list[str] = []
    assert run(ROOT / "data" / "samples", out=lines.append) == 0, "\n".join(lines[-40:])
    assert not [line for line in lines if line.startswith("LOST")]
    assert sum(int(line.split()[2]) for line in lines[-5:]) > 5 * 2000  # the check saw the samples' sentences


# ---------------------------------------------------------------- unclosed spans (issue 11)
# A bad copy loses a closing `-->` or `---` (`-衑>`, `--泦`, `-衑-`); the opener must not swallow the speech after it.

SPEECH_LINES = [
    "各位代表：",
    "现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。",
    "过去一年，全市经济运行稳中有进，地区生产总值增长百分之六，城乡居民收入稳步提高，民生福祉明显改善。",
    "今年经济社会发展的主要预期目标是：地区生产总值增长百分之五左右，城镇新增就业十二万人以上。",
]
SPEECH_TEXT = "\n\n".join(SPEECH_LINES) + "\n"


def _keeps_speech(n: Normalized) -> None:
    for line in SPEECH_LINES:
        assert line in n.text, (line, n.text[:300], n.removed_lines)


def test_unclosed_comment_at_top_keeps_the_speech():
    n = normalize_text("<!-- 新华社北京3月15日电\n\n**政府工作报告**\n\n" + SPEECH_TEXT)
    _keeps_speech(n)
    assert n.text.startswith("政府工作报告\n各位代表：")
    assert n.removed_lines == [(1, "<!-- 新华社北京3月15日电", "markup.html_comment")]


@pytest.mark.parametrize("closer", ["-衑>", "--泦", "衟->", "->", "--", "- ->", ""])
def test_damaged_comment_closer_keeps_the_speech(closer):
    caption = f"<!-- 陈博彰在长沙市第十六届人民代表大会第六次会议上作政府工作报告。 {closer}"
    raw = "**政府工作报告**\n\n" + caption + "\n\n" + SPEECH_TEXT + "\n<!-- 图为会场 -->\n\n结束语。\n"
    n = normalize_text(raw)
    _keeps_speech(n)
    assert "结束语。" in n.text and "陈博彰在长沙市" not in n.text
    rules = {line.strip(): rule for _, line, rule in n.removed_lines}
    assert rules[caption.strip()] == "markup.html_comment"
    assert rules["<!-- 图为会场 -->"] == "markup.html_comment"


def test_unclosed_comment_with_speech_glued_cuts_only_the_marker():
    raw = (
        "<!-- 图 --X各位代表：现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。\n"
    )
    n = normalize_text(raw + SPEECH_TEXT)
    _keeps_speech(n)
    assert "图 --X各位代表：现在，我代表市人民政府向大会报告工作" in n.text
    assert (1, "<!--", "markup.html_comment") in n.removed_lines


def test_multiline_comment_within_bound_is_removed_whole():
    n = normalize_text("<!--\n王正谱作政府工作报告。河北日报记者 霍艳恩摄\n-->\n\n" + SPEECH_TEXT)
    _keeps_speech(n)
    assert "霍艳恩" not in n.text
    assert [r for _, _, r in n.removed_lines] == ["markup.html_comment"] * 3


def test_a_comment_opened_after_text_and_closed_on_a_later_line_is_cut():
    """A hard-wrapped markdown copy: `贺海东<!-- 2月10日，…向` / `大会作政府工作报告。刘清羽 摄 -->各位代表：`."""
    raw = "呼和浩特市人民政府市长 贺海东<!-- 2月10日，市长贺海东代表市政府向\n大会作政府工作报告。刘清羽 摄 -->各位代表：\n"
    n = normalize_text(raw + SPEECH_TEXT)
    _keeps_speech(n)
    assert n.text.startswith("呼和浩特市人民政府市长 贺海东\n各位代表：") and "刘清羽" not in n.text
    assert [r for _, _, r in n.removed_lines] == ["markup.html_comment"] * 2
    # unclosed within the bound: the text after the opener stays
    n = normalize_text("现在，我代表市人民政府<!-- 图\n" + SPEECH_TEXT)
    _keeps_speech(n)


def test_comment_closed_past_the_bound_removes_only_its_opener():
    from tasks.normalize_rules import COMMENT_MAX_LINES

    filler = "\n".join(f"第{i}项工作。" for i in range(COMMENT_MAX_LINES))
    n = normalize_text("<!-- 图片说明\n" + filler + "\n-->\n" + SPEECH_TEXT)
    _keeps_speech(n)
    assert all(f"第{i}项工作。" in n.text for i in range(COMMENT_MAX_LINES))
    assert (1, "<!-- 图片说明", "markup.html_comment") in n.removed_lines
    assert "-->" not in n.text


def test_comment_whose_closer_belongs_to_the_next_comment_keeps_what_is_between():
    n = normalize_text("<!-- 图一 -x>\n结束语。\n<!-- 图二 -->\n" + SPEECH_TEXT)
    _keeps_speech(n)
    assert "结束语。" in n.text and "图一" not in n.text and "图二" not in n.text


def test_unclosed_front_matter_keeps_the_speech():
    raw = "---\nsource: https://www.changsha.gov.cn/a.html\ntitle: 2026年政府工作报告\n\n**政府工作报告**\n\n"
    n = normalize_text(raw + SPEECH_TEXT)
    _keeps_speech(n)
    assert n.text.startswith("政府工作报告\n各位代表：")
    assert n.removed_lines == [
        (1, "---", "frontmatter.delimiter"),
        (2, "source: https://www.changsha.gov.cn/a.html", "frontmatter.source"),
        (3, "title: 2026年政府工作报告", "frontmatter.title"),
    ]


@pytest.mark.parametrize(("opener", "closer"), [("---", "-衑-"), ("---", "--"), ("-湂-", "---"), ("--X", "X--")])
def test_damaged_front_matter_delimiters(opener, closer):
    n = normalize_text(f"{opener}\ntitle: 2026年政府工作报告\n{closer}\n\n" + SPEECH_TEXT)
    _keeps_speech(n)
    assert n.removed_lines == [
        (1, opener, "frontmatter.delimiter"),
        (2, "title: 2026年政府工作报告", "frontmatter.title"),
        (3, closer, "frontmatter.delimiter"),
    ]


def test_markdown_rules_around_indented_speech_are_not_front_matter():
    indented = "\n".join("\u3000\u3000" + line for line in SPEECH_LINES)
    n = normalize_text("---\n" + indented + "\n---\n")
    _keeps_speech(n)
    assert [r for _, _, r in n.removed_lines] == ["markup.rule", "markup.rule"]


@given(st.integers(min_value=0, max_value=10_000))
@settings(max_examples=60, deadline=None)
def test_any_damage_to_a_closer_never_loses_speech(seed):
    """Replace or drop one character of each --> and ---: every speech line is still in the text."""
    import random

    rng = random.Random(seed)

    def damage(s: str) -> str:
        i = rng.randrange(len(s))
        return s[:i] + rng.choice(["", "衑", "泦", "x", " "]) + s[i + 1 :]

    raw = (
        f"---\ntitle: 政府工作报告\n{damage('---')}\n\n<!-- 本报记者 霍艳恩摄 {damage('-->')}\n\n"
        + SPEECH_TEXT
        + f"<!-- 图为会场 {damage('-->')}\n\n"
        + "\n".join(SPEECH_LINES[2:])
    )
    _keeps_speech(normalize_text(raw))


# --- line keys of a whole page at once are the per-line keys ----------------------------------------------------

KEY_CASES = [
    "第一行\r\n第二行\r第三行\n\n  各 位　代 表：\t",
    "發佈時間：２０２３／０１／０２\x0b下一段\u2028同一行\x0c",
    "**加粗**\n# 標題\n> 引用\n區(qū)長（ā）",
    "\ufeff\u200b零宽\u00a0空格\x00控制\x7f",
    "\ud800孤立\n" + chr(0x20000) + "扩展B",
    "",
    "\n",
    "\r",
]


@pytest.mark.parametrize("raw", KEY_CASES)
def test_page_line_keys_are_the_per_line_keys(raw):
    from tasks.normalize import _key, _line_keys_of, _split_lines

    assert _line_keys_of(raw) == [_key(line) for line in _split_lines(raw)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"國发展 \t\r\n\u3000\u00a0\u2028\x0b（(ā)）*#>:：／Ａ１區長", "\ufeff"])))
def test_page_line_keys_random_pages(raw):
    from tasks.normalize import _key, _line_keys_of, _split_lines

    assert _line_keys_of(raw) == [_key(line) for line in _split_lines(raw)]


def test_page_line_keys_keep_a_break_split_by_spaces():
    r"""`\r \n` is three lines (\r, a space, \n): dropping the space must not join the breaks into one \r\n."""
    from tasks.normalize import _key, _line_keys_of, _split_lines

    assert _line_keys_of("甲\r \n乙") == [_key(line) for line in _split_lines("甲\r \n乙")] == ["甲", "", "乙"]


@pytest.mark.parametrize(
    "tail",
    [
        "相关报道：",
        "》》点击图片进入专题《《收藏|分享到：分享到微信×相关文档：",
        "扫一扫在手机打开当前页【打印本页】【关闭窗口】",
        "（来源：青海日报）编辑：何继红",
        "来源：河北日报",
        "责任编辑：李莎莎扫一扫在手机打开当前页相关附件>>相关链接>>四川省第十四届人民代表大会第五次会议关于政府工作报告的决议",
    ],
)
def test_end_of_page_chrome_on_a_joined_last_line_is_cut(tail):
    """Paragraphs joined into one line carry the page's end chrome on the speech's last line."""
    body = BODY_PARA * 5  # a joined body: longer than R.JOINED_TAIL_MIN
    n = normalize_text(OPENING_CITY + body + tail + "\n")
    assert n.text == OPENING_CITY + body
    assert [r[2] for r in n.removed_lines] == ["chrome.tail"]


def test_a_source_inside_the_speech_is_not_a_tail():
    text = OPENING_CITY + BODY_PARA * 5 + "拓宽资金来源：财政、社会资本共同投入，形成合力。"
    assert normalize_text(text).text == text


def test_a_body_line_with_a_dated_meeting_is_not_broken():
    """Only the head is broken again: a body sentence naming a dated meeting stays one paragraph."""
    body = "2019年1月17日在市第十五届人民代表大会第四次会议上，代表们审议通过了政府工作报告，会议取得圆满成功。"
    text = "政府工作报告\n各位代表：\n" + body + "\n" + BODY_PARA
    assert normalize_text(text).text == text


def test_a_quotation_or_book_title_on_lines_of_its_own_is_joined():
    """wikisource renders a linked quotation or title on its own lines (589 breaks in 33 national reports)."""
    page = (
        "毛主席发表了《\n关于正确处理人民内部矛盾的问题\n》这部伟大著作，提醒全党：“\n在我国，阶级斗争还没有结束\n”。\n"
    )
    assert (
        normalize_text(page).text
        == "毛主席发表了《关于正确处理人民内部矛盾的问题》这部伟大著作，提醒全党：“在我国，阶级斗争还没有结束”。"
    )


def test_a_subscript_or_footnote_mark_on_its_own_line_is_joined():
    page = "广义货币M\n2\n和社会融资规模增速要与名义增速相匹配。\n邓同志\n[\n4\n]\n在唐山矿工罢工时犯了错误。\n"
    text = normalize_text(page).text
    assert text == "广义货币M2和社会融资规模增速要与名义增速相匹配。\n邓同志[4]在唐山矿工罢工时犯了错误。"
    assert normalize_text(text).text == text  # idempotent


def test_a_page_counter_inside_a_paragraph_leaves_one_paragraph():
    page = (
        OPENING_CITY + "\n过去一年，全市基层党组织不断加\n第3页 共8页\n强。党风廉政建设深入推进。\n"
        "一、主要工作\n全市经济运行稳中有进。\n第4页 共8页\n二、今年安排\n今年要做好以下工作。\n"
    )
    n = normalize_text(page)
    assert "不断加强。党风廉政建设深入推进。" in n.text and "\n二、今年安排" in n.text
    assert [r[2] for r in n.removed_lines] == ["chrome.page_counter"] * 2


def test_two_page_counters_in_one_cut_join_the_two_halves_only():
    """`…不断加` / `第3页 共8页` / `第4页 共8页` / `强`: the paragraph is one again, and the next paragraph (which
    ends mid-sentence too) stays a paragraph of its own (it was glued on: each counter joined once)."""
    page = (
        OPENING_CITY
        + "\n过去一年，全市基层党组织不断加\n第3页 共8页\n第4页 共8页\n强\n今年要全面推进乡村振兴战略实施\n"
        "我们要继续努力奋斗。\n"
    )
    n = normalize_text(page)
    assert "不断加强\n今年要全面推进乡村振兴战略实施\n" in n.text
    assert [r[2] for r in n.removed_lines] == ["chrome.page_counter"] * 2


# Pages that took minutes before (a step per counter looking back and ahead over every other counter; a link address
# read to the line's end from every `[`): their time is measured by `bench/bench_normalize.py --scaling` (a flat s/MB
# column up to 16 MB); here, what such a page gives.
HOSTILE_PAGE_CHARS = 100_000


@pytest.mark.parametrize(
    "unit",
    ["第3页 共8页\n", "基层党组织不断加\n第3页 共8页\n", "[发展](http://"],
    ids=["page_counters", "counters_mid_paragraph", "unclosed_links"],
)
def test_hostile_pages_normalize_whole(unit):
    page = (unit * (HOSTILE_PAGE_CHARS // len(unit) + 1))[:HOSTILE_PAGE_CHARS]
    n = normalize_text(page)
    assert n.text or n.removed_lines


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("（《人民日报》19540924第1至2版）", "chrome.source"),
        ("（新华社北京2026年3月13日电）", "chrome.source"),
        ("（本稿来源：常德日报）", "chrome.source"),
        ("（绍兴市人民政府网站）", "chrome.source"),
        ("- 2026年政府工作报告.pdf", "chrome.related"),
        ("- 2024政府工作报告名词解释.DOCX", "chrome.related"),
    ],
)
def test_citations_and_attachment_lists_that_close_a_page(line, rule):
    n = normalize_text(OPENING_CITY + "\n" + BODY_PARA + "\n" + line + "\n")
    assert n.text == OPENING_CITY + "\n" + BODY_PARA and [r[2] for r in n.removed_lines] == [rule]


def test_a_line_of_spaced_characters_is_one_word():
    n = normalize_text("政 府 工 作 报 告\n习 近 平\n同志们：\n" + BODY_PARA + "\n")
    assert n.text.startswith("政府工作报告\n习近平\n同志们：")
    assert (
        "一 二" in normalize_text(BODY_PARA + "一 二 三 四 五 六 七 八 九 十 百 千 万\n").text
    )  # 13: not a name or title


def test_a_number_typeset_digit_by_digit_or_split_by_a_space_is_one_number():
    page = (
        BODY_PARA
        + "\n1 9 9 7年国内生产总值达到7 4 7 7 2亿元，平均每年增长1 1 ％，工业增加值增长1 5 ．3 ％。"
        + "澳门将于1 9 9 9年1 2月2 0日回到祖国怀抱。签约项目4 1个，金额2 33亿元，新增1 2.2万人，围绕201 0年左右。\n"
    )
    n = normalize_text(page)
    assert "1997年国内生产总值达到74772亿元，平均每年增长11％，工业增加值增长15.3％" in n.text
    assert "1999年12月20日" in n.text and "项目41个，金额233亿元，新增12.2万人，围绕2010年" in n.text
    assert n.rule_counts["space.digit_split"] >= 9


def test_spaces_between_numbers_that_are_not_one_number_stay():
    page = BODY_PARA + "\n形成“6 1”支柱产业集群，对比2019 2020年两年的数据，PM2.5 3个监测点。\n"
    text = normalize_text(page).text
    assert "“6 1”" in text and "2019 2020年" in text and "PM2.5 3个" in text


@pytest.mark.parametrize(
    ("tail", "kept_end"),
    [
        ("亲，该文档总共30页，到这已经超出免费预览范围，如果喜欢就下载吧！", "全区上下。"),
        ("0下载券  还剩20页未读，继续阅读", "全区上下。"),
        ("", "重大水利工程开……"),
    ],
)
def test_doc_sharing_preview_ends_are_truncation_notices(tail, kept_end):
    """doc88's `超出免费预览范围`, wenku's `还剩20页未读`, `……（未完，全文请下载）` glued to the last sentence shown."""
    last = "全区上下。" if tail else "一批防汛抗旱、引水调水等重大水利工程开……（未完，全文请下载）"
    n = normalize_text(BODY + last + "\n" + tail + "\n")
    assert n.flags.get("truncated") and n.text.rstrip().endswith(kept_end)
    # speech that says 文档 or 未完 stays
    speech = BODY + "要把这份文档共10页的内容学深悟透。\n各项工作尚未完成的，要抓紧推进。\n"
    assert normalize_text(speech).text.rstrip().endswith("要抓紧推进。")


def _learned_from_pages(tmp_path, pages: list[tuple[str, str]]) -> dict[str, set[str]]:
    """The lines and boilerplate stages' runners on pages (group, raw text): the learned lines per group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks import schema
    from tasks.boilerplate import learn_boilerplate_shards
    from tasks.normalize import line_counts_shard

    ingest, lines, learned = tmp_path / "ingest", tmp_path / "lines", tmp_path / "learned"
    for d in (ingest, lines, learned):
        d.mkdir()
    rows = [{"doc_id": f"d{i}", "raw_text": raw, "group": g} for i, (g, raw) in enumerate(pages)]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema.INGEST_DOCS), ingest / "docs.parquet")
    line_counts_shard({"ingest": str(ingest)}, str(lines))
    learn_boilerplate_shards({"lines": [str(lines)]}, str(learned))
    out: dict[str, set[str]] = {}
    for r in pq.read_table(learned / "boilerplate.parquet").to_pylist():
        out.setdefault(r["group"], set()).add(r["line_key"])
    return out


def _lines_shard(folder: Path, pages: list[tuple[str, str]]) -> str:
    """The lines stage's artifact of one shard of pages (group, raw text), in `folder`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks import schema
    from tasks.normalize import line_counts_shard

    ingest, lines = folder / "ingest", folder / f"lines-{folder.name}"  # artifact folders are named by their keys
    ingest.mkdir(parents=True)
    lines.mkdir()
    rows = [{"doc_id": f"{folder.name}-{i}", "raw_text": raw, "group": g} for i, (g, raw) in enumerate(pages)]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema.INGEST_DOCS), ingest / "docs.parquet")
    line_counts_shard({"ingest": str(ingest)}, str(lines))
    return str(lines)


# Lines a site's pages carry with these chances: some well above the 30 % share, several around it, some below
_CHROME_POOL = [
    (f"本站栏目{i}：政务公开第{i}版", share)
    for i, share in enumerate((0.9, 0.6, 0.4, 0.33, 0.31, 0.3, 0.29, 0.27, 0.2, 0.1))
]


def _site_pages(rng, group: str, n: int) -> list[tuple[str, str]]:
    pages = []
    for _ in range(n):
        lines = [line for line, share in _CHROME_POOL if rng.random() < share]
        lines.append(f"会议强调，要{rng.randrange(10**6)}号文件精神落到实处，推动第{rng.randrange(10**6)}项工作。")
        rng.shuffle(lines)
        pages.append((group, "\n".join(lines)))
    return pages


def test_boilerplate_learning_adds_new_shards_to_the_earlier_counts(tmp_path):
    """A night's learning from the earlier artifact's kept counts plus the new shards only writes the bytes a learning
    from every shard writes (thresholds that move with the group's documents, keys crossing them, a new site), without
    reading the earlier shards; when a group's floor passes its threshold every shard is read again, same bytes."""
    import random
    import shutil

    from tasks.boilerplate import learn_boilerplate_shards

    rng = random.Random(7)
    shards = [
        _lines_shard(tmp_path / f"s{i}", _site_pages(rng, "a.site", 40) + _site_pages(rng, "c.site", 2))
        for i in range(3)
    ]
    nights = [
        _site_pages(rng, "a.site", 10) + _site_pages(rng, "new.site", 12),  # a group no earlier shard had
        _site_pages(rng, "a.site", 10) + _site_pages(rng, "c.site", 4),  # c.site reaches MIN_GROUP_DOCS
        _site_pages(rng, "a.site", 70),  # more than the threshold's headroom: every shard read
    ]
    previous = tmp_path / "cold"
    stats = learn_boilerplate_shards({"lines": shards}, str(previous))
    assert stats["incremental"] == 0
    expected_added = [1, 0, 0]  # c.site's floor (3 + 2) passes its new threshold (3) on the second night
    for n, pages in enumerate(nights):
        shards.append(_lines_shard(tmp_path / f"n{n}", pages))
        cold, night = tmp_path / f"cold{n}", tmp_path / f"night{n}"
        learn_boilerplate_shards({"lines": shards}, str(cold))
        if expected_added[n]:  # the incremental learning never opens an earlier shard's files
            hidden = [Path(d) for d in shards[:-1]]
            for d in hidden:
                d.rename(d.with_name("hidden"))
        stats = learn_boilerplate_shards({"lines": shards}, str(night), earlier=[str(previous)])
        if expected_added[n]:
            for d in hidden:
                d.with_name("hidden").rename(d)
        assert stats["incremental"] == expected_added[n]
        assert (night / "boilerplate.parquet").read_bytes() == (cold / "boilerplate.parquet").read_bytes()
        learned = pq_rows(night / "boilerplate.parquet")
        assert learned, "the scenario learns boilerplate"
        previous = night
    shutil.rmtree(tmp_path / "n2")  # a summed shard gone (re-ingested): the state is not usable, every shard read
    shards[-1] = _lines_shard(tmp_path / "n2", nights[2][:-1])
    stats = learn_boilerplate_shards({"lines": shards}, str(tmp_path / "again"), earlier=[str(previous)])
    assert stats["incremental"] == 0


def pq_rows(path: Path) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def test_copies_of_one_speech_in_a_folder_are_not_its_boilerplate(tmp_path):
    """Five copies of a report in one landing folder: its byline and short headings are the speech's, not the
    folder's chrome (they were removed from every copy). A site's chrome on different reports is still learned."""
    import random

    from tests.test_dedupe import traditional_with_pinyin
    from tests.test_repair import lose, placeholders, spin, truncate

    samples = Path(__file__).resolve().parents[1] / "data" / "samples" / "real" / "lawtext__gov"
    body = (samples / "其他地市__淮安市__2016.txt").read_text(encoding="utf-8").split("\n---", 1)[1]
    rng = random.Random(3)
    chrome = "欢迎访问第一范文网 www.diyifanwen.com\n"
    copies = [
        body,
        spin(body, rng),
        placeholders(body, rng),
        lose(body, rng),
        truncate(traditional_with_pinyin(body), 0.5),
    ]
    others = [p for p in sorted(samples.parent.rglob("*.txt")) if "淮安" not in p.name]  # 9 pages, 7 speeches
    reports = [p.read_text(encoding="utf-8").split("\n---", 1)[-1] for p in others]
    learned = _learned_from_pages(
        tmp_path,
        [("landing/day1", c) for c in copies]
        + [("site.example", chrome + r) for r in reports]
        + [("site.example", chrome + c) for c in copies[:2]],
    )
    heading = "淮安市人民政府代市长 惠建林"
    assert heading in body
    assert "landing/day1" not in learned  # one speech: no line of it is any folder's chrome
    # 8 speeches in 11 pages: the site's line is chrome (and so is wikisource's licence), the report's are not
    assert "欢迎访问第一范文网www.diyifanwen.com" in learned["site.example"]
    assert not learned["site.example"] & line_keys(body)


# ---------------------------------------------------------------- paragraphs delivered on one line
# A PDF's text, a <div> of <span>s, one <td>: the page's paragraphs on one line, met by nothing, a space or an
# ideographic indent. The outline (extract_structure) reads markers at line starts: a page whose breaks are lost kept
# ~3 % of its sections (the shared corpus, bench/reflow.py's paragraphs_joined).


def _outline(text: str) -> list[tuple[str, str]]:
    from tasks.extract_structure import extract_sections

    return [(s["path"], s["marker_style"]) for s in extract_sections("d", normalize_text(text).text)]


@pytest.mark.parametrize("variant", ["spaces_for_breaks", "ideographic_breaks", "paragraphs_joined"])
def test_a_report_on_one_line_keeps_its_outline(variant):
    from bench.reflow import VARIANTS

    for name in ("lawtext__gov/主要城市__上海市__2026.txt", "lawtext__gov/其他地市__淮南市__2016.txt"):
        raw = (ROOT / "data" / "samples" / "real" / name).read_text("utf-8")
        want = _outline(raw)
        got = _outline(VARIANTS[variant](raw))
        assert len(want) >= 9
        if variant == "paragraphs_joined":  # nothing where a heading ended: its first level and most of the rest
            assert [s for s in want if "." not in s[0]] == [s for s in got if "." not in s[0]], name
            assert len(set(got) & set(want)) >= 0.85 * len(want) and set(got) <= set(want), name
        else:
            assert got == want, name


_SECTION = "全年地区生产总值增长百分之六，城乡居民收入稳步提高，民生福祉明显改善，生态环境持续向好。" * 7


def test_joined_sections_are_broken_but_an_inline_enumeration_is_not():
    enumeration = (
        "今年办好民生实事：（1）开展校园周边安全整治行动。（2）建设中小学幼儿园家长等候区。（3）改善村镇医疗条件。"
    )
    page = (
        "各位代表：现在，我代表市人民政府向大会报告工作，请予审议。一、2025年工作回顾"
        + _SECTION * 3
        + "二、2026年工作安排"
        + _SECTION
        + enumeration
        + _SECTION * 2
        + "三、加强政府自身建设"
        + _SECTION * 3
    )
    assert len(page) >= 2500
    lines = normalize_text(page).text.split("\n")
    assert [line[:2] for line in lines if line[1] == "、"] == ["一、", "二、", "三、"]
    assert any(enumeration in line for line in lines)  # the (1)(2)(3) items stay in their paragraph
    assert _outline(page) == [("1", "一、"), ("2", "一、"), ("3", "一、")]


def test_spaces_of_a_joined_page_break_paragraphs_and_headings_not_bylines_or_brackets():
    page = (
        "（2004年1月8日 石秀诗） 各位代表： 现在，我代表省人民政府，向大会作工作报告，请予审议。 2003年政府工作回顾 "
        + _SECTION * 4
        + " 一、加快转变经济发展方式 "
        + _SECTION * 4
        + "预计实现地区生产总值 1651亿元，增长10.3%。"
    )
    assert len(page) >= 2500
    lines = normalize_text(page).text.split("\n")
    assert lines[0] == "（2004年1月8日 石秀诗）"
    assert "2003年政府工作回顾" in lines and "一、加快转变经济发展方式" in lines
    assert lines[-1].endswith("预计实现地区生产总值1651亿元，增长10.3%。")


def test_a_paragraph_with_spaces_after_its_sentences_stays_one_paragraph():
    """`…建成了陕北天然气进津。 蓝天、碧水…`: 843 such spaces inside the paragraphs of 80 shared-corpus pages."""
    para = "扩建了机场，启动了地铁、轻轨等大型项目。 完成了城乡电网改造，建成了陕北天然气进津工程。 " * 20
    assert len(para) < 2500
    assert normalize_text("各位代表：\n" + para + "\n").text.count("\n") == 1


def test_a_spaced_head_keeps_the_byline_before_its_caption():
    """A page whose breaks became spaces: `天津市市长 张工 张工作政府工作报告。` lost the byline with the caption."""
    page = (
        "下载 打印 全屏 收藏 2026年天津市政府工作报告 ——2026年1月26日在天津市第十八届人民代表大会第四次会议上 "
        "来源：天津日报 时间：2026-02-03 天津市市长 张工 张工作政府工作报告。 各位代表： " + OPENING_CITY + " "
    )
    lines = normalize_text(page).text.split("\n")
    assert "天津市市长 张工" in lines and not any("作政府工作报告" in line for line in lines)


# ---------------------------------------------------------------- end-of-page chrome on a joined line


def _end(text: str) -> str:
    return _words(text)[-30:]


@pytest.mark.parametrize("variant", ["paragraphs_joined", "paragraphs_grouped", "spaces_for_breaks"])
def test_a_joined_page_ends_where_its_speech_ends(variant):
    """Forum footers (`点评 回复 举报 快速回帖…`), `相關(guān)熱詞搜索:…` with pinyin, `第8页 共8页`, `相关报道：` and link
    titles, the wikisource licence: on the speech's last line, or after it on a few joined lines."""
    from bench.reflow import VARIANTS

    pages = sorted((ROOT / "data" / "samples").rglob("*.txt"))
    assert len(pages) >= 15
    for path in pages:
        raw = path.read_text("utf-8")
        assert _end(normalize_text(VARIANTS[variant](raw)).text) == _end(normalize_text(raw).text), path.name


def test_a_joined_tail_marker_needs_a_sentence_end_unless_no_speech_says_it():
    speech = "我们要把现场点评的成果转化为工作的常态，把宏伟的奋斗目标转化为实实在在的业绩。" * 6
    assert normalize_text(speech + "相关报道\n").text == speech  # after a sentence end
    kept = speech + "会后要组织现场点评工作"  # 点评 inside a sentence cut short: speech, not a forum footer
    assert normalize_text(kept + "\n").text == kept
    assert normalize_text(kept + "点评 回复 举报 快速回帖使用\n").text == kept  # the forum footer goes
    assert normalize_text(speech + "（赣州市政府网站）\n").text == speech


def test_a_joined_tail_cut_stops_where_speech_goes_on_below():
    speech = "我们要把宏伟的奋斗目标转化为实实在在的业绩，推动全区经济社会高质量发展。" * 6
    page = speech + "上一篇：关于全区工作的通知\n二、坚持创新驱动，加快转型升级\n" + speech + "\n"
    assert _words(normalize_text(page).text) == _words(page)


def test_a_joined_page_keeps_numbers_spaced_from_their_words_and_its_bold_subheadings():
    """`一、2002 年工作回顾2002 年是…`, `达到 55 亿元`: a copy's typeset spaces beside numbers are no paragraph breaks (the
    year of 拉萨 2003 was lost to `一、2002` / `年工作回顾…`); `。（一）**以增加农牧民收入为重点**1．进一步…` is a heading."""
    body = "全市国内生产总值达到 55 亿元，同口径增长 16.6%，人民生活水平得到提高。" * 20
    page = (
        "拉萨市市长 罗布顿珠各位代表：现在，我代表市人民政府向大会作工作报告，请予审议。**一、2002 年工作回顾**2002 年是全面推进我市"
        "跨越式发展重要的一年。"
        + body
        + "**二、2003 年工作的主要任务**今年是关键之年。（一）**以增加农牧民收入为重点**1．进一步调整"
        "农牧业产业结构。" + body + "2．稳定和落实党在农村的各项政策。" + body
    )
    assert len(page) >= 2500
    lines = normalize_text(page).text.split("\n")
    assert "一、2002年工作回顾" in lines and "（一）以增加农牧民收入为重点" in lines
    assert any(line.startswith("1．进一步调整") or line.startswith("1.进一步调整") for line in lines)
    assert not any(line.endswith(("2002", "55")) for line in lines)
    assert _outline(page) == [("1", "一、"), ("2", "一、"), ("2.1", "（一）"), ("2.1.1", "1."), ("2.1.2", "1.")]


# ---------------------------------------------------------------- a PDF's text: hard wraps, page numbers, running headers


def test_a_pdf_text_loses_its_page_numbers_and_running_headers():
    from bench.reflow import VARIANTS

    for name in ("lawtext__gov/主要城市__上海市__2026.txt", "lawtext__gov/其他地市__淮南市__2016.txt"):
        raw = (ROOT / "data" / "samples" / "real" / name).read_text("utf-8")
        page = VARIANTS["pdf_pages"](raw)
        assert page.count(" -\n") >= 10
        n = normalize_text(page)
        assert _words(n.text) == _words(normalize_text(raw).text), name  # the same words, nothing between them
        assert _outline(page) == _outline(raw), name


def test_bracketed_pieces_and_footnote_marks_on_lines_of_their_own_are_no_running_headers():
    """wikisource puts a linked title or a footnote mark on lines of its own: `《` / `纲要（草案）` / `》`, `[` / `1` / `]`."""
    parts = []
    for k in range(1, 5):
        parts += ["我们要认真落实《", "纲要（草案）", f"》提出的第{k}项任务，这是", "[", str(k), "]", "重要的工作。"]
    page = "各位代表：\n" + OPENING_CITY + "\n" + "\n".join(parts) + "\n"
    n = normalize_text(page)
    assert not n.removed_lines and n.text.count("纲要（草案）") == 4 and "[4]" in n.text


def test_a_head_joined_a_few_lines_at_a_time_keeps_its_byline_and_loses_its_toolbar():
    """bench/reflow.py's paragraphs_grouped on the 2026 provincial pages: `收藏【字号：加大` / `还原减小】` stayed, and
    `时间：2026-02-02河北省人民政府省长 王正谱王正谱作政府工作报告。本报记者 霍艳恩摄` went whole under the caption rule."""
    from bench.reflow import VARIANTS
    from tasks.extract import extract_fields

    page = (
        "下载打印全屏\n收藏【字号：加大\n还原减小】\n"
        "2026年河北省政府工作报告——2026年1月26日在河北省第十四届人民代表大会第四次会议上来源：河北日报\n"
        "时间：2026-02-02河北省人民政府省长 王正谱王正谱作政府工作报告。本报记者 霍艳恩摄\n"
        "各位代表：" + OPENING_CITY + "\n" + BODY_PARA + "\n"
    )
    n = normalize_text(page)
    assert n.text.split("\n")[:3] == [
        "2026年河北省政府工作报告",
        "——2026年1月26日在河北省第十四届人民代表大会第四次会议上",
        "河北省人民政府省长 王正谱",
    ]
    raw = (ROOT / "data" / "samples" / "real" / "johncodes404__china-provincial-gov-reports-2026").glob("*.txt")
    for path in raw:
        page = path.read_text("utf-8")
        want = extract_fields(
            normalize_text(page).text, raw_text=page, removed_lines=normalize_text(page).removed_lines
        )
        grouped = VARIANTS["paragraphs_grouped"](page)
        g = normalize_text(grouped)
        got = extract_fields(g.text, raw_text=grouped, removed_lines=g.removed_lines)
        for field in ("title", "speaker_name", "speaker_title", "published_on", "source_site", "meeting"):
            assert got[field] == want[field], (path.name, field)


PDF_WIDTH = 36  # a PDF's text cut at its line width


def _pdf_lines(para: str) -> list[str]:
    """`para` between two long paragraphs, every line cut at PDF_WIDTH."""
    paras = [BODY_PARA * 6, para, BODY_PARA * 6]
    return [p[i : i + PDF_WIDTH] for p in paras for i in range(0, len(p), PDF_WIDTH)]


def test_a_wrapped_line_ending_in_reporter_and_two_characters_is_no_caption():
    """A PDF's line cut at its width: `“约法三章”：2013 年3 月全国两会后，李克强总理在与中外记者见面时` (七台河 2014) was
    removed as a photo caption signed by 记者 见面时."""
    para = (
        "“约法三章”：2013 年3 月全国两会后，李克强总理在与中外记者见面时郑重提出：本届政府任期内，政府性的楼堂馆所"
        "一律不得新建，财政供养人员只减不增，公费接待、公费出国、公费购车只减不增。"
    )
    assert para[:PDF_WIDTH].endswith("记者见面时")
    page = "各位代表：\n" + "\n".join(_pdf_lines(para)) + "\n"
    n = normalize_text(page)
    assert _words(para) in _words(n.text) and not n.removed_lines
    assert normalize_text("各位代表：\n" + OPENING_CITY + "\n王正谱作政府工作报告。本报记者 霍艳恩摄\n").removed_lines


def test_a_wrapped_line_ending_in_a_chrome_word_stays():
    """浙江 1992 as a PDF's text: the 36-character line `府工作人员的监督检查。充分发挥群众监督和新闻舆论监督的作用，认真查处举报`
    ends in 举报 (a forum footer's word) and was removed as forum chrome."""
    para = (
        "府工作人员的监督检查。充分发挥群众监督和新闻舆论监督的作用，认真查处举报"
        "的问题。加强廉政建设，首先要从省级机关做起，从领导干部做起，从严要求，作出表率。"
    )
    assert para[:PDF_WIDTH].endswith("认真查处举报")
    lines = _pdf_lines(para)
    assert any(line.endswith("认真查处举报") for line in lines)
    n = normalize_text("各位代表：\n" + "\n".join(lines) + "\n")
    assert _words(para) in _words(n.text) and not n.removed_lines


# ---------------------------------------------------------------- outline headings glued on lines under JOINED_LINE_MIN
# Paragraphs joined a few at a time (bench/reflow `paragraphs_grouped`) glue a section's heading after the sentence
# that ends the section before: the line is broken there when the heading continues the page's outline.

_GLUED_PAGE = [
    "各位代表：",
    "现在，我代表市人民政府向大会报告工作，请予审议。",
    "一、2025年工作回顾",
    "过去一年，全市经济运行稳中向好，地区生产总值增长5.5%。",
    "（一）产业升级步伐加快。新建项目120个，完成投资300亿元。",
    "（二）城乡面貌持续改善。改造老旧小区86个，新建公园12个。",
    "二、2026年工作安排",
    "今年全市经济社会发展的主要预期目标是：地区生产总值增长5%左右。",
    "（一）扩大有效需求。推动消费提质升级，扩大有效投资。",
    "（二）推进科技创新。加快建设创新平台，培育新质生产力。",
    "三、加强政府自身建设",
    "我们要坚持依法行政，建设人民满意的政府。",
]


# a section's paragraphs run OUTLINE_GAP+ characters (an inline list's items are closer)
_FILLER = (
    "各部门要认真抓好落实，确保各项工作取得实效，推动经济社会高质量发展，不断增强人民群众的获得感、幸福感、安全感。" * 5
)
_GLUED_PAGE = [line + _FILLER if line.endswith("。") and not line.startswith("现在") else line for line in _GLUED_PAGE]


def test_headings_glued_on_grouped_lines_are_broken_off():
    from tasks.extract_structure import extract_sections

    want = [(r["path"], r["heading"]) for r in extract_sections("x", normalize_text("\n".join(_GLUED_PAGE)).text)]
    assert [p for p, _ in want] == ["1", "1.1", "1.2", "2", "2.1", "2.2", "3"]
    for n in (2, 3):
        grouped = "\n".join("".join(_GLUED_PAGE[i : i + n]) for i in range(0, len(_GLUED_PAGE), n))
        got = extract_sections("x", normalize_text(grouped).text)
        assert [r["path"] for r in got] == [p for p, _ in want], n


_DECIMAL_PAGE = [
    "各位代表：",
    "一、2025年工作回顾",
    "过去一年，全市经济运行稳中有进，地区生产总值增长5.2%。",
    "二、2026年主要任务",
    "（一）扩大有效需求",
    "今年要着力扩大有效需求，推动消费提质升级。",
    "1.加强保障性住房建设。完成建设保障性住房2410套，增长8.5%。",
    "2、加快城乡客运一体化建设。全年新增通客车行政村95个。",
    "3．推进综合交通运输通道建设。加快“双高铁、四高速”建设。",
    "（二）推进科技创新",
    "今年要加快建设创新平台，培育新质生产力。",
    "1.激发创新创造活力。创新激励机制，加大创新投入。",
    "2.深入推进乡村振兴。继续打好精准脱贫攻坚战。",
    "三、加强政府自身建设",
    "我们要坚持依法行政，建设人民满意的政府。",
]
_DECIMAL_PAGE = [line + _FILLER if line.endswith("。") else line for line in _DECIMAL_PAGE]


def test_numbered_headings_glued_on_grouped_lines_are_broken_off():
    """The outline's third level (`1.`, `2、`, `3．`) glued after a sentence's end, as a copy that joined its paragraphs
    a few at a time gives it (`…增长8.5%。2、加快城乡客运一体化建设。…`), continues its run: the sections are those of the
    page as given, whatever the grouping (565 such rows of the shared corpus were lost in the grouped layout)."""
    from tasks.extract_structure import extract_sections

    def numbered(page: str) -> list[str]:
        return [r["heading"] for r in extract_sections("x", normalize_text(page).text) if r["marker_style"] == "1."]

    want = numbered("\n".join(_DECIMAL_PAGE))
    assert len(want) == 5 and want[1] == "加快城乡客运一体化建设"
    for n in (2, 4):  # (three puts `二、…主要任务（一）…` on one line: headings glued with no sentence end, left alone)
        grouped = "\n".join("".join(_DECIMAL_PAGE[i : i + n]) for i in range(0, len(_DECIMAL_PAGE), n))
        assert numbered(grouped) == want, n


@pytest.mark.parametrize(
    "label",
    ["注释：", "名词解释", "**名词解释**", "附件1名词解释", "附件《政府工作报告》注释", "《政府工作报告》名词注释"],
)
@pytest.mark.parametrize("entries_glued", [False, True])
def test_a_glossary_label_glued_after_the_last_sentence_is_its_own_line(label, entries_glued):
    """`…共同创造佛山更加幸福美好的明天而努力奋斗！注释：` (佛山 2016 as given; grouped copies of 成都 2026, 昆明 2022,
    江西 2013): the label goes on a line of its own (an annex line before it too), so its numbered entries are read
    as the glossary, not as the outline's sections."""
    from tasks.extract_structure import extract_sections

    entries = [
        "1．票根经济：指消费者凭借票务凭证享受折扣等权益。",
        "2．两重：指国家重大战略实施和重点领域安全能力建设。",
    ]
    body = "\n".join(_DECIMAL_PAGE) + "为谱写中国式现代化新篇章不懈奋斗！" + label
    page = body + ("".join(entries) if entries_glued else "\n" + "\n".join(entries)) + "\n"
    text = normalize_text(page).text
    lines = text.split("\n")
    k = lines.index(label.replace("*", "").removeprefix("附件1").removeprefix("附件"))
    assert lines[k - 1 - label.startswith("附件")].endswith("不懈奋斗！")
    assert not [r for r in extract_sections("x", text) if "票根" in r["heading"] or "两重" in r["heading"]]


def test_a_numbered_list_wrapped_over_pdf_lines_stays_one_paragraph():
    """Ten items of a list inside one paragraph, ~100 characters apart, hard-wrapped at a PDF's line width: each
    `。2.` is glued on a line of its own, but its neighbours are as close as on the page as given (河池 2015's
    `继续集中财力办十件惠民实事、好事。1.教育惠民。…2.卫生惠民。…`): no heading is split off."""
    items = "".join(
        f"{k}.{w}惠民。新建城镇保障性住房11676套，分配入住5570户，完成农村危房改造25000户，确保各项工作取得实效。"
        for k, w in enumerate(["教育", "卫生", "安居", "农补", "生态", "文体"], 1)
    )
    para = "继续集中财力办十件惠民实事、好事。" + items
    page = "各位代表：\n一、2026年主要任务\n（一）保障民生\n" + para + "\n"
    wrapped = "各位代表：\n一、2026年主要任务\n（一）保障民生\n" + "\n".join(
        para[i : i + 36] for i in range(0, len(para), 36)
    )
    assert normalize_text(page).text.split("\n")[-1] == para
    assert normalize_text(wrapped).text.split("\n")[-1] == para


@pytest.mark.parametrize(
    "line",
    [
        "措施如下：1.加强食品安全监管；2.改善农村人居环境；3.提升公共服务水平。",
        "全年完成投资1.5亿元。2、3月份分别增长8.5%和9.2%。",
        "增长8.5%。10.5万人实现就业。",
    ],
)
def test_inline_numbered_lists_and_numbers_are_no_glued_heading(line):
    page = "各位代表：\n一、2025年工作回顾\n（一）经济运行\n" + line + "\n"
    assert normalize_text(page).text.split("\n")[-1] == normalize_text(line).text


@pytest.mark.parametrize(
    "line",
    [
        "全市经济平稳增长，人均GDP达到7.3万元。一、二、三产业增加值分别增长7.7%、8.5%、4.7%。",
        "城市承载能力明显增强。一、三水厂改扩建工程竣工投入运行。",
        "报告分六个部分：一、三年来的斗争；二、把揭批的斗争进行到底；三、加快社会主义建设。",
        "重申党的纪律：（一）个人服从组织；（二）少数服从多数；（三）下级服从上级。",
    ],
)
def test_numbers_and_inline_lists_are_no_glued_heading(line):
    page = "各位代表：\n一、2025年工作回顾\n" + line + "\n"
    assert normalize_text(page).text.split("\n")[-1] == normalize_text(line).text


def test_a_dateline_wrapped_in_the_head_counts_as_a_title_wrap():
    page = "政府工作报告\n——2026年1月20日在湖州市第九届\n人民代表大会第五次会议上\n市长 吴波\n各位代表：\n现在，我代表市人民政府向大会报告工作。\n"
    n = normalize_text(page)
    assert n.text.split("\n")[1] == "——2026年1月20日在湖州市第九届人民代表大会第五次会议上"
    assert n.rule_counts.get("layout.title_wrap") == 1


# ---------------------------------------------------------------- 范文 sites' paywalls (held-out audit, session 44)

PAYWALL_TAIL = "如果喜欢本篇内容，请赞赏鼓励哦！\n尚未有人赏赞，赶紧来一个吧\n请选择打赏类型\n¥6.66\n¥2\n阅读全文\n"


@pytest.mark.parametrize(
    "notice",
    [
        "预览结束，免费获取全文或定制代笔此类文章，请扫码联系老师！",
        "全文约8120字，请下载后阅读、编辑。",
        "（想阅读完全部图文内容，您需要先登陆！）",
        "(阅读全部图文内容,您需要先登录!)",
    ],
)
def test_paywall_notice_ends_the_speech_and_flags_it_truncated(notice):
    """A 范文 site cuts the speech at its paywall: the notice, its reward prompts and prices are chrome."""
    n = normalize_text(BODY + notice + "\n" + PAYWALL_TAIL)
    assert n.flags.get("truncated") == 1
    assert n.text == normalize_text(BODY).text


def test_hidden_middle_is_truncation_and_the_rest_stays():
    """`此处隐藏4310个字。VIP会员可见`: the middle of the speech is hidden, its end is shown."""
    end = "同志们，让我们撸起袖子加油干，奋力谱写新时代高质量发展的新篇章！\n"
    n = normalize_text(BODY + "此处隐藏4310个字。VIP会员可见\n" + end)
    assert n.flags.get("truncated") == 1 and "隐藏" not in n.text and n.text.endswith(end.strip())


def test_share_and_copyright_block_under_a_fanwen_page():
    tail = (
        "微信扫一扫在手机阅读、分享本文\n本文标题：在镇第五届人大二次会议闭幕式上的讲话\n"
        "链接地址：http://www.example.com/doc/4411.html\n版权声明\n"
        "作者原创，不允许二次传播，一经发现收回会员权益，追究法律责任。\n微信订阅号\n联系客服\n"
    )
    assert normalize_text(BODY + tail).text == normalize_text(BODY).text


def test_speech_that_says_ended_or_login_stays():
    speech = BODY + "试点工作预览结束后，要全面总结经验。\n对违规者，要依法追究法律责任。\n群众登录平台即可办理。\n"
    assert normalize_text(speech).text.endswith("群众登录平台即可办理。") and not normalize_text(speech).flags


# ---------------------------------------------------------------- 范文 and doc sites' heads (held-out audit, session 44)


@pytest.mark.parametrize(
    "chrome",
    [
        "您现在的位置是：首页 > 政务动态 > 讲话",
        "位置：首页 > 范文 > 工作报告",
        "某某文库 > 讲话稿 > 领导讲话 > 在全镇大会上的讲话",
        "2023-05-12 08:11:30 某某范文网",
        "某某网 2023-05-12 08:11:30 讲话",
        "2023-05-12 07:00:01 58",
        "2022-09-01 8.00元 免费试读",
        "2022-09-01下载文档一键复制全文",
        "General 更新 2022年09月01日",
        "快捷搜索：论文 合同 演讲 心得",
        "编号：770231559",
        "下面是小编为大家整理的在全镇安全生产大会上的讲话，供大家参考。",
        "讲话稿是领导在会议上发表的讲话。下面给大家分享一些关于镇长讲话稿3篇，供大家参考。",
        "索 引 号：| 0000/2022-0031 | 主 题 词：| 政务公开 | 公开方式：| 主动公开 |",
        "文 号：| 发布机构：| 某县某镇 | 发布日期：| 2022-03-01 | |",
        "有效性 | 有效 | 公开日期：| 2022-03-02 09:15 |",
    ],
)
def test_fanwen_and_doc_site_head_chrome(chrome):
    n = normalize_text(chrome + "\n" + BODY)
    assert n.text == normalize_text(BODY).text, n.removed_lines


def test_disclosure_table_row_is_removed_whole_and_read_as_title():
    raw = "标 题：| 某镇2022年政府工作报告 |\n文 号：| 发布机构：| 某县某镇 | 发布日期：| 2022-03-01 | |\n" + BODY
    n = normalize_text(raw)
    assert [r[2] for r in n.removed_lines] == ["chrome.table_title", "chrome.info_table"]
    assert n.removed_lines[1][1].endswith("2022-03-01 | |")  # one row, not broken at its date


@pytest.mark.parametrize(
    "head",
    [
        "第1页共9页县长在全县春耕生产会议上的讲话文章标题：县长在全县春耕生产会议上的讲话",
        "编号：770231559县长在全县春耕生产会议上的讲话",
        "县长在全县春耕生产会议上的讲话编者按：本文从春耕备耕、农资保障和技术服务三个方面进行阐述。具体材料请详见：",
        "03-15 | 移动端：县长在全县春耕生产会议上的讲话",
    ],
)
def test_doc_site_head_run_into_the_title_is_broken_off(head):
    """A doc site's page counter, number, title label, editor's note or mobile link glued to the title."""
    n = normalize_text(head + "同志们：今天的会议，主要任务是部署今年的春耕生产工作，非常重要。\n" + BODY)
    assert n.text.startswith("县长在全县春耕生产会议上的讲话\n同志们："), n.text[:80]


def test_speech_with_arrows_dates_and_editors_stays():
    speech = (
        BODY + "PM2.5浓度>75微克的天数减少>10天>去年同期。\n各项数据将于2023年5月1日更新。\n"
        "下面，我给大家分享一些体会，供大家参考。\n"
    )
    assert normalize_text(speech).text == normalize_text(speech).text and "供大家参考" in normalize_text(speech).text
    assert "75微克" in normalize_text(speech).text


def test_wenmi_preview_end_is_truncation():
    """新文秘网-style preview: the omitted count, the `未完` notice and the `收藏《title》` link are chrome."""
    tail = (
        "……（某文秘网https://www.example.com省略512字，正式会员可完整阅读）\n"
        "……（未完，全文共3020字，当前仅显示1460字，请阅读下面提示信息。\n收藏《在全镇秋收工作会议上的讲话》）\n"
    )
    n = normalize_text(BODY + tail)
    assert n.flags.get("truncated") == 2 and n.text == normalize_text(BODY).text
    assert normalize_text(BODY + "要加快推进，转……\n").text.endswith("转……")


@pytest.mark.parametrize(
    "chrome",
    [
        "前言：本站为你精心整理了在全镇大会上的讲话范文，希望能为你的创作提供参考价值，我们的客服老师可以帮助你。",
        "查看: 3107|回复: 0",
        "联系客服提示-某某资料网",
    ],
)
def test_site_voice_with_a_speech_word_and_forum_counters(chrome):
    assert normalize_text(chrome + "\n" + BODY).text == normalize_text(BODY).text


@pytest.mark.parametrize("glue", [": ", "：** ", "。 "])
def test_a_glued_heading_after_a_space_or_bold_close_is_split_once(glue):
    # `工作: （一）` / `体现在：** （一）` on the raw line read `工作：（一）` once normalized: the heading is split in the
    # first pass, so a second normalize finds nothing more (安徽 2005, 新疆 2007 of the shared corpus)
    page = (
        "一、过去一年的工作回顾\n过去一年，全省经济社会发展取得新成效，各项事业全面进步。\n"
        "二、今年的主要任务\n**为此，着力抓好以下几个方面工作" + glue + "（一）进一步加强三农工作，巩固发展好势头\n"
        "始终把三农问题作为全局工作的重中之重，努力实现粮食稳定增产。\n"
        "（二）加快经济结构调整，大力培育新的增长点\n要坚持走新型工业化道路，推进产业结构优化升级。\n"
    )
    once = normalize_text(page).text
    assert "\n（一）进一步加强三农工作，巩固发展好势头\n" in once, once
    assert normalize_text(once).text == once


@pytest.mark.parametrize(
    "sentence",
    [
        "新华社北京3月13日电 国务院总理李强13日上午在人民大会堂金色大厅出席记者会并回答中外记者提问。",
        "会后，省长接受了中外记者采访。",
    ],
)
def test_a_sentence_ending_in_a_word_after_记者_is_no_caption(sentence):
    """`…回答中外记者提问。` matched the unsigned `记者 NAME` caption (提问 read as a name): a press conference's lead
    sentence, the news it reports, was removed as chrome.photo_caption (session 44, national audit)."""
    n = normalize_text("国务院总理李强出席记者会并回答中外记者提问\n" + sentence + "\n" + BODY)
    assert sentence.replace(" ", "") in n.text.replace(" ", ""), n.removed_lines
    assert "记者" not in normalize_text(_report(OPENING_CITY, "任振鹤作政府工作报告。新甘肃·甘肃日报记者 盛学卿")).text


def test_gov_cns_document_info_table_is_chrome():
    """gov.cn's 索引号/发文机关/成文日期/标题/发文字号 table stayed in the text of every 国务院文件 page, its `发文字号` row cut
    in two at `字号：` (a font-size toolbar's label) by the head split (session 44, national audit)."""
    raw = (
        "| 索 引 号： | 000014349/2024-00005 | 主题分类： | 民政、扶贫、救灾\\老龄工作 | \n"
        "| 发文机关： | 国务院办公厅 | 成文日期： | 2024年01月11日 | \n"
        "| 标 题： | 国务院办公厅关于发展银发经济增进老年人福祉的意见 |  |  | \n"
        "| 发文字号： | 国办发〔2024〕1号 | 发布日期： | 2024年01月15日 | \n"
        "国办发〔2024〕1号\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n" + BODY
    )
    n = normalize_text(raw)
    assert n.text.startswith("国办发〔2024〕1号\n各省、自治区、直辖市人民政府"), n.text[:200]
    assert [r[2] for r in n.removed_lines] == ["chrome.info_table"] * 4


def test_breaks_inside_brackets_are_dropped_in_one_pass():
    """normalize._outside_brackets keeps exactly the offsets no open bracket holds (what counting from the line's
    start for each offset gave, in one pass: a one-line page's split was quadratic)."""
    import random

    from tasks.normalize import _outside_brackets

    rng = random.Random(7)
    for _ in range(200):
        line = "".join(rng.choice("（）()文字 。") for _ in range(rng.randrange(1, 80)))
        offsets = sorted(rng.sample(range(len(line) + 1), k=min(len(line) + 1, rng.randrange(0, 12))))
        want = [
            a
            for a in offsets
            if line.count("（", 0, a) + line.count("(", 0, a) <= line.count("）", 0, a) + line.count(")", 0, a)
        ]
        assert _outside_brackets(line, offsets) == want, (line, offsets)
    page = "政府工作报告（2017年1月15日在省第十二届人民代表大会第六次会议上 代省长 刘国中） 各位代表："
    assert normalize_text(page).text.startswith("政府工作报告（2017年1月15日")


def test_injected_pinyin_a_fixed_width_wrap_cut_is_removed():
    # a PDF's text wraps inside the annotation: `狀態(t` / `ài)`, `項(xiàn` / `g)目`, `設` / `(shè)`; the break stays
    page = "區(qū)長講話\n要保持良好狀態(t\nài)，抓好重點項(xiàn\ng)目，加快建設\n(shè)步伐。\n中國(China)合(\nhé)作\n"
    n = normalize_text(page)
    assert not re.search(r"[(（]|[a-zāáǎàìù]", n.text.replace("(China)", "")), n.text
    assert _words(n.text) == "区长讲话要保持良好状态抓好重点项目加快建设步伐中国合作"
    assert "中国(China)" in n.text and normalize_text(n.text).text == n.text


# ============================================================================ prefilters: the same result as without


_HEAD_PIECES = [
    *["来源：", "來源:", "发布时间：", "發(fā)布時(shí)間：", "日期:", "【字号：", "字体：", "当前位置：", "您的位置:"],
    *["点击：", "阅读量：", "分享到：", "下载", "打印", "全屏", "收藏", "第1页共21页", "编号：541193579", "移动端："],
    *[
        "10-28 | ",
        "文章标题：在全市大会上的讲话",
        "编者按：",
        "首页>正文",
        "首页正文",
        "记者 李森 摄",
        "本报记者霍艳恩摄",
    ],
    *["2026年1月27日", "2026-02-02", " 08:11:30", "07时41分", "——", "―", "─", "-", "在", "吉林省第十四届人民代表大会"],
    *["第五次会议上", "大会上", " | ", "｜", "│", " ", "\u3000", "省长 ", "市长", "胡玉亭", "各位代表：", "同志们:"],
    *[
        "2026年吉林省政府工作报告",
        "的讲话",
        "（",
        "）",
        "(",
        ")",
        "。",
        "，",
        "时",
        "日",
        "年",
        "摄",
        "页",
        "第",
        "正文",
    ],
    *[
        "过去一年，全市经济运行稳中有进",
        "地区生产总值增长百分之六",
        "某某网 ",
        "索引号：",
        "上传人：",
        "不代表本站观点",
    ],
    *["——在哈密市第二届人民代表大会第一次会议上", "― 在全区领导干部大会上", "市长 王雪峰", "省长刘小涛"],
    *["2026年02月10日 07时41分", "2026-02-03 09:02:33", "首页>正文全区", "记者 谢龙 摄政府", "下载打印全屏收藏"],
]
_HEAD_OPENINGS = ["", "", "", "第1页共21页", "第 2 页 共 9 页", "编号：541193579", "10-28 | 移动端：", " "]


def test_head_break_prefilter_breaks_what_the_patterns_break():
    """_may_break_head skips the head split's patterns on a line they cannot break: the offsets are those of the
    patterns run on every line (random lines dense in the labels, datelines, bars, stamps and credits the split
    breaks at, their Traditional and pinyin-injected forms, and the seed pages' lines)."""
    import random

    from tasks import normalize_rules as R

    def unfiltered(line: str) -> list[int]:
        return normalize._head_breaks_at(line, *normalize._folded(line[: R.HEAD_SPLIT_CHARS]))

    rng = random.Random(44)
    broken = 0
    for _ in range(8000):
        line = rng.choice(_HEAD_OPENINGS) + "".join(rng.choice(_HEAD_PIECES) for _ in range(rng.randint(1, 12)))
        want = unfiltered(line)
        assert normalize._head_breaks(line) == want, line
        broken += bool(want)
    assert broken > 2000  # the lines do hold joined heads
    for p in sorted(SEEDS.glob("*.txt")):
        for line in p.read_text("utf-8", errors="replace").split("\n"):
            assert normalize._head_breaks(line) == unfiltered(line), line


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            [*"國發展區長會議來源時間：：／Ａ１ａｚ０９，．％＞｜发展 \t\n(ā)", "\ud800", "\udfff", "😀"]
        )
    )
)
def test_fold_by_array_is_translate(text):
    """_fold's array lookup folds as str.translate(_KEY_FOLD) does, surrogates and astral characters included."""
    for t in (text, text * 9):  # short ones go through translate, long ones through the array
        assert normalize._fold(t) == t.translate(normalize._KEY_FOLD)


def test_fold_by_array_folds_every_mapped_character():
    every = "".join(chr(c) for c in sorted(normalize._KEY_FOLD))
    assert len(every) >= normalize._FOLD_ARRAY_MIN
    assert normalize._fold(every) == every.translate(normalize._KEY_FOLD)


def _glued_reference(lines, counts) -> None:
    """normalize._split_glued_headings as it was before its page scans: both patterns tried on every line (with the
    heading's end split the pass gained since: _heading_end)."""
    from tasks import normalize_rules as R

    last: dict[str, int] = {}
    prev_style = ""
    breaks: dict[int, list[int]] = {}
    listed = normalize._close_numbers(lines, set(range(len(lines.raw))))
    every = [i for i in range(len(lines.raw)) if lines.rule[i] is None and lines.keys[i]]
    heads = normalize._heading_marks(
        lines,
        every,
        {i: list(R.GLUED_HEADING.finditer(lines.raw[i])) for i in every if len(lines.raw[i]) < R.JOINED_LINE_MIN},
    )
    for i, raw in enumerate(lines.raw):
        if lines.rule[i] is not None or not lines.keys[i]:
            continue
        events: list[tuple[int, str, int]] = []
        mark_ends: dict[int, int] = {}
        start = R.LINE_HEADING.match(raw)
        if start:
            events.append((0, *normalize._heading_of(start)))
            mark_ends[0] = start.end("mark")
        elif start := R.LINE_DECIMAL.match(raw):
            events.append((0, *normalize._decimal_of(start)))
            mark_ends[0] = start.end("mark")
        if len(raw) < R.JOINED_LINE_MIN:
            glued = [(m.start() + 1, *normalize._heading_of(m)) for m in R.GLUED_HEADING.finditer(raw)]
            glued += [(m.start() + 1, *normalize._decimal_of(m)) for m in R.GLUED_DECIMAL.finditer(raw)]
            glued.sort()
            mark_ends.update((m.start() + 1, m.end("mark")) for m in R.GLUED_HEADING.finditer(raw))
            mark_ends.update((m.start() + 1, m.end("mark")) for m in R.GLUED_DECIMAL.finditer(raw))
            seen: dict[str, tuple[int, int, int]] = {}
            close: set[int] = set()
            for a, style, n in glued:
                if style == "1.":
                    if (i, a) in listed:
                        close.add(a)
                    continue
                b, m, first = seen.get(style, (-R.OUTLINE_GAP, -1, n))
                if a - b < R.OUTLINE_GAP and not (n == m + 1 and first >= 2):
                    close |= {a, b}
                seen[style] = (a, n, first if a - b < R.OUTLINE_GAP and n == m + 1 else n)
            close -= normalize._outline_runs(glued, close, heads, i)
            events += [(a, style, n) for a, style, n in glued if a not in close and raw[a - 1] not in "；;"]
        for a, style, _ in list(events):
            if style == "一、" and (nested := R.HEADING_THEN_NESTED.match(raw, mark_ends[a])):
                events.append((nested.start("mark"), "（一）", normalize._cn_ordinal(nested.group(2))))
                mark_ends[nested.start("mark")] = nested.end("mark")
        events.sort()
        for a, style, n in events:
            if not n:
                continue
            follows = n == last.get(style, 0) + 1 or (n == 1 and prev_style not in ("", style))
            opens = a == 0 and style not in last  # the first heading of its style the page shows (session 51)
            if a == 0 or follows:
                if a:
                    breaks.setdefault(i, []).append(a)
                end = (
                    normalize._heading_end(raw, a, mark_ends[a])
                    if (follows or opens) and style != "1." and len(raw) < R.JOINED_LINE_MIN
                    else None
                )
                if end is not None:
                    breaks.setdefault(i, []).append(end)
                last[style] = n
                prev_style = style
    for i in sorted(breaks, reverse=True):
        before = len(lines.raw)
        lines.split(i, sorted(set(breaks[i])), count=False)
        counts["layout.paragraph_split"] += len(lines.raw) - before


_OUTLINE_PIECES = [
    *[
        "一、",
        "二、",
        "三、",
        "四、",
        "十二、",
        "一、二、三次产业",
        "（一）",
        "（二）",
        "(三)",
        "（四）",
        "（1）",
        "1.",
        "2.",
        "3、",
        "２．",
        "8.5%",
    ],
    *["。", "；", "：", "!", "**", "## ", " ", "\u3000", "\t", "\n", "\n", "\n", "\n\n", "\r\n", "\r", "推进改革发展"],
    *[
        "过去一年，全市经济运行稳中有进。",
        "加快重点工程建设，实施民生工程、水利工程和重大工程",
        "各位代表：",
        "来源：新华网",
    ],
    *["工作回顾", "<!-- 图 -->", "<!--", "-->", "---\n", "title: 报告\n", "（", "）", "、", "十"],
]


def test_glued_headings_read_only_the_marked_lines(monkeypatch):
    """_split_glued_headings reads only the lines _marked_lines finds on the raw page (an outline numeral then its 、
    or bracket): the same splits and counts as both patterns tried on every line, alone and in normalize_text after
    the front matter, comments and joined paragraphs are split and cut (random pages dense in outline markers,
    sentence ends, bold and heading marks, \\r\\n and lone \\r breaks, comments; a line over JOINED_LINE_MIN with
    markers far apart; the seed pages)."""
    import random

    from tasks import normalize_rules as R

    def alone(page: str, split) -> tuple[list[str], Counter]:
        lines = normalize._Lines(page)
        counts: Counter = Counter()
        split(lines, counts)
        return lines.raw, counts

    def marked(lines, counts) -> None:
        classes = normalize._char_classes(page)
        cr = "\r" in page
        normalize._split_glued_headings(
            lines, counts, normalize._marked_lines(classes, cr), normalize._decimal_lines(page, cr)
        )

    def reference(page: str) -> Normalized:
        with monkeypatch.context() as m:
            m.setattr(normalize, "_split_glued_headings", lambda lines, counts, *_: _glued_reference(lines, counts))
            return normalize_text(page)

    rng = random.Random(45)
    split_pages = 0
    long_line = ("推进改革发展" * 50 + "。二、") * (R.JOINED_LINE_MIN // 300 + 1)  # its markers far apart
    pages = []
    for _ in range(3000):
        page = "".join(rng.choice(_OUTLINE_PIECES) for _ in range(rng.randint(0, 40)))
        if rng.random() < 0.02:
            page += "\n一、总结。" + long_line + "\n"
        pages.append(page)
    pages += [p.read_text("utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt"))]
    for k, page in enumerate(pages):
        want = alone(page, _glued_reference)
        assert alone(page, marked) == want, page
        split_pages += bool(want[1])
        if k % 3 == 0 or len(page) > 1000:
            assert normalize_text(page) == reference(page), page
    assert split_pages > 150  # the pages do hold glued headings


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"12３٣，,，，中 \n"])))
def test_digit_group_pattern_starting_at_its_comma_matches_as_the_lookbehind_one(text):
    """_DIGIT_GROUP starts with its comma (the search skips to it) and looks back for the digit: the same
    replacements as the pattern that looked behind first (at every character)."""
    before = re.compile(r"(?<=\d)，(?=\d{3}(?:[，,]\d{3})*(?!\d))")
    assert normalize._DIGIT_GROUP.subn(",", text) == before.subn(",", text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"****中a\n\t。 *\r\u3000"])))
def test_stray_stars_pattern_starting_at_its_star_matches_as_the_lookbehind_one(text):
    """_MD_STRAY_STARS starts with its `*` (line start and end looked for from after it): the same spans as the
    pattern whose third alternative looked behind first."""
    before = re.compile(r"\*{2,}|^\*(?=[^\s*\x00-\x7f])|(?<=[^\s*\x00-\x7f])\*$", re.M)
    assert [m.span() for m in normalize._MD_STRAY_STARS.finditer(text)] == [m.span() for m in before.finditer(text)]


def test_rule_words_read_off_a_pattern():
    """_rule_words: strings one of which every match holds; none where a match may hold no fixed string."""
    from re import _parser  # type: ignore[attr-defined]

    def words(pattern: str):
        return normalize._rule_words(_parser.parse(pattern))

    assert words(r".{0,120}(?:不代表本站观点|版权归原作者)") == {"不代表本站观点", "版权归原作者"}
    assert words(r"(?:下面|以下)(?:是|为)?小编") == {"小编"}  # one word before two
    assert words(r"[（(]?来源[:：]") == {"来源"}
    assert words(r"[:：]\d+") == {":", "："}
    assert words(r"(?:ab|cd)+x?") == {"ab", "cd"}
    for none in (r"x*", r"[^a]{3}", r"(?i:pdf)", r"\d{4}", r"(?:ab|\d)", r"."):
        assert words(none) is None, none


def test_line_rule_remembers_short_keys_only_and_a_bounded_number():
    """A key read again (a site's chrome, a speech's short lines in each copy) is not matched again: the second page
    of the same lines adds no miss to the memo; the memo is bounded, and a key longer than a chrome line (a head's
    piece) is never kept."""
    normalize._line_rule_memo.cache_clear()
    page = "首页>新闻中心>领导讲话\n责任编辑：张三\n各位代表：\n现在，我代表市人民政府，向大会报告工作。\n版权声明\n"
    first = normalize.normalize_text(page)
    misses = normalize._line_rule_memo.cache_info().misses
    assert misses > 0
    again = normalize.normalize_text(page)
    assert again == first
    info = normalize._line_rule_memo.cache_info()
    assert info.misses == misses and info.hits >= misses
    assert info.maxsize == normalize.LINE_RULE_MEMO_SIZE
    long_key = "责任编辑" + "发展" * normalize._MAX_CHROME_KEY
    assert normalize._line_rule(long_key) == normalize._match_line_rule(long_key)
    assert normalize._line_rule_memo.cache_info().currsize == info.currsize


def test_line_rule_tries_the_scanning_rules_only_on_keys_holding_their_words():
    """_line_rule gives the first rule of the whole alternation on every key: random keys of the line rules' own words,
    separators, digits, dates and filler, the rule examples' lines and the seed pages' keys; and each rule's words
    (_rule_words) are in every key it matches."""
    import random
    from re import _parser  # type: ignore[attr-defined]

    from tasks import normalize_rules as R

    words = [normalize._rule_words(_parser.parse(p)) for _, p in R.LINE_RULES]
    assert normalize._SCANNING_RULES and all(words[i] == w for i, w in normalize._SCANNING_RULES.items())
    pieces = sorted({w for ws in words if ws for w in ws})
    pieces += [*"：:|-.>＞【】《》（）()，。 0123456789年月日电", "2026", "pdf", "docx", "发展经济", "各位代表", "QQ"]
    rng = random.Random(46)
    keys = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 9))) for _ in range(30000)]
    keys += [line for rule in RULES for line in normalize.line_keys(rule.example)]
    keys += normalize.line_keys(
        "首页>新闻中心>领导讲话\n标题|关于某某的讲话\n某某网2023-05-1208:11:30讲话\n（新华社北京3月5日电）\n"
        "新华社北京3月12日电\n（某某县人民政府网站）\n（责任编辑：张三）\n3主题15帖子120积分\n在线客服\n"
        "马上注册，结交更多好友，享用更多功能\n快捷搜索：政府工作报告\n本文标题：在全市大会上的讲话\n某某讲话.docx\n"
        "下面是小编为大家整理的讲话稿，供大家参考\n只看该作者\n本文不代表本站观点\n版权声明\n大会现场\n"
        # session 46's head leftovers
        "• 中国台湾网移动版\n• 人民网\n德育素材网 首页\n本作品收录于《东方杂志\n中国作家网>> 2013年全国两会 >> 正文\n"
        "标签：讲话 致辞\n点这里了解中央社隐私声明。当您关闭此视窗，代表您同意上述规范。\n十一月 2024 |\n"
        # session 51's doc-site lines
        "某某讲话》所在栏目：优质范文 > 内容摘要：《某某讲话》格式模板，仅供写作参考\n公文高手，写作神器！立即了解\n"
    )
    keys += [k for p in sorted(SEEDS.glob("*.txt")) for k in normalize.line_keys(p.read_text("utf-8", "replace"))]
    fired = Counter()
    for key in keys:
        want = normalize._LINE_RULES_ANY.match(key)
        got = normalize._line_rule(key)
        assert got == (want and normalize._LINE_RULE_NAMES[str(want.lastgroup)]), key
        if want:  # the rule that matched may open on the key's first character (_line_rule's gate lets it through)
            first = normalize._RULE_OPENINGS[int(str(want.lastgroup)[1:])]
            assert first is None or key[0] in first, (want.lastgroup, key)
        for i, (_, pattern) in enumerate(R.LINE_RULES):
            if words[i] and re.match(pattern, key):
                assert any(w in key for w in words[i]), (i, pattern, key)
                fired[i] += 1
    assert len(fired) >= 35  # most rules do fire on the keys
    assert all(fired[i] for i in normalize._SCANNING_RULES)


def _broken_lines_reference(lines: list[str], counts: Counter) -> list[str]:
    """normalize._join_broken_lines with each pattern tried on every line (before its first-character prefilters)."""
    out: list[list[str]] = []
    for line in lines:
        if out and (
            (out[-1][-1].endswith(normalize._OPEN_END) and (len(out[-1]) > 1 or len(out[-1][-1]) > 1))
            or out[-1][-1].endswith(normalize._OPENER_END)
            or (len(out[-1]) == 1 and normalize._TERM_LINE.match(out[-1][0]))
            or normalize._CONTINUATION_START.match(line)
            or normalize._CLOSER_START.match(line)
        ):
            out[-1].append(line)
            counts["layout.broken_line"] += 1
        else:
            out.append([line])
    joined = ["".join(parts) for parts in out]
    out = []
    glue = False
    for line in joined:
        lone = (
            bool(out) and bool(normalize._LONE_MARK.match(line)) and not out[-1][-1].endswith(normalize._TERMINAL_END)
        )
        if glue or lone:
            out[-1].append(line)
            counts["layout.broken_line"] += 1
        else:
            out.append([line])
        glue = lone
    return ["".join(parts) for parts in out]


def test_broken_line_prefilters_join_what_the_patterns_join():
    """The line-end and first-character tests before _join_broken_lines' patterns: the same joins and counts on random
    lines dense in their marks (是：, 的确, closers, 1.标题：, [4], lone letters and digits)."""
    import random

    pieces = [
        "是：",
        "是:",
        "是",
        "的",
        "的确",
        "的士",
        *"，、；。）,;)”》’」』]］“《[M2",
        "[4]",
        "［12］",
        "1.",
        "1、",
    ]
    pieces += ["［3］", "[123]", "abc", "标题：", "主要目标", "发展经济。", "和", "及", "：", ":", "！", "Ab", "12"]
    rng = random.Random(47)
    joined = 0
    for _ in range(20000):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))) for _ in range(rng.randint(1, 6))]
        want_counts, got_counts = Counter(), Counter()
        want = _broken_lines_reference(lines, want_counts)
        assert normalize._join_broken_lines(lines, got_counts) == want and got_counts == want_counts, lines
        joined += bool(want_counts)
    assert joined > 5000


@pytest.mark.parametrize(
    "name,page",
    [
        # a .txt copy of a page's source: its references were never resolved
        ("page.txt", "人口自然增长率为6.5&permil;，&ldquo;两新&rdquo;政策落地&hellip;&copy2020 某网\n{speech}\n"),
        # a page escaped twice (`&amp;ldquo;`): the extractor resolves the second level itself; unknown names stay
        (
            "page.html",
            "<html><body><article><p>人口自然增长率为6.5&amp;permil;，&amp;ldquo;两新&amp;rdquo;政策落地&amp;hellip;"
            "&amp;copy2020 某网</p><p>{speech}</p></article></body></html>",
        ),
    ],
)
def test_character_references_left_in_a_page_are_resolved_and_unknown_ones_counted(tmp_path, name, page):
    """`&permil;`, `&ldquo;` stayed in the text as typed (the shared corpus's 昆明 2005 report: `6.5&permil;`)."""
    from tasks.ingest import discover, ingest_files

    speech = "现在，我代表市人民政府向大会报告工作，请予审议，推进&xyz;项目建设，并请市政协委员提出意见。" * 3
    (tmp_path / name).write_text(page.format(speech=speech), encoding="utf-8")
    docs = ingest_files([(f, None) for f in discover([str(tmp_path / name)])]).docs
    assert len(docs) == 1
    got = normalize_text(docs[0]["raw_text"])
    assert "人口自然增长率为6.5‰，“两新”政策落地…©2020" in got.text, got.text
    assert "&permil" not in got.text and "&ldquo" not in got.text and "&copy" not in got.text
    assert "推进&xyz;项目" in got.text  # no browser knows it: kept as it is (its `;` no Chinese semicolon), counted
    assert got.rule_counts["damage.unknown_entity"] == 3
    assert got.rule_counts.get("fix.entity") == (5 if name.endswith(".txt") else None)
    assert normalize_text("AT&T与R&D合作，现在我代表市人民政府向大会报告工作。").rule_counts.get("fix.entity") is None


@pytest.mark.parametrize(
    "text,kept",
    [
        ("一是推进&xyz;项目建设;二是抓好招商引资工作，确保全年目标任务圆满完成。", "推进&xyz;项目建设；二是"),
        ("会议强调&zwnjx;要坚持稳中求进工作总基调，推动经济持续健康发展。", "强调&zwnjx;要坚持"),
    ],
)
def test_an_unknown_reference_keeps_its_semicolon_and_real_semicolons_still_convert(text, kept):
    """`推进&xyz;项目` became `推进&xyz；项目`: the semicolon rule took the reference's `;` for Chinese punctuation."""
    got = normalize_text(text)
    assert kept in got.text, got.text
    assert (got.rule_counts.get("punct.ascii_to_cjk") or 0) == text.count(";") - 1


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="**年月日号市县区委政府同志书记19203，、在的 \n", max_size=60))
def test_the_star_placeholder_gate_is_in_every_match(text):
    """STAR_PLACEHOLDER runs only on texts STAR_PLACEHOLDER_GATE finds: every match must hold a gate match, or a page
    would lose its placeholders to the bold rule."""
    from tasks import normalize_rules as R

    for m in R.STAR_PLACEHOLDER.finditer(text):
        assert R.STAR_PLACEHOLDER_GATE.search(text, m.start(), m.end() + 2), (text, m)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="×xXa某〇□**月日年号个县区市委长书记同志省政府人%万元12 \n，的", max_size=60))
def test_placeholders_are_looked_for_where_their_first_character_stands(text):
    """_count_placeholders tries PLACEHOLDER only at a character of vocab.PLACEHOLDER_FIRST: every match opens on one,
    and the gated scan finds what the whole-text scan finds."""
    from tasks import normalize_rules as R
    from tasks import vocab
    from tasks.normalize import _placeholder_matches

    found = [m.span() for m in R.PLACEHOLDER.finditer(text)]
    assert all(text[a] in vocab.PLACEHOLDER_FIRST for a, _ in found), (text, found)
    assert [m.span() for m in _placeholder_matches(text)] == found, text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="的\n，。；：！？“、对来把当在召开就是确士 发展", max_size=40))
def test_the_redacted_trigger_is_any_of_its_words(text):
    """_redacted_trigger (的 after a mark found from the 的, the other triggers by `in`) says what a search for any of
    R.REDACTED_TRIGGERS says, and REDACTED finds nothing where it says no."""
    from tasks import normalize_rules as R
    from tasks.normalize import _redacted_trigger

    assert _redacted_trigger(text) == any(t in text for t in R.REDACTED_TRIGGERS), text
    if not _redacted_trigger(text):
        assert not R.REDACTED.findall(text), text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abcgovXYZ发展市。 é1", max_size=40))
def test_the_foreign_word_gate_passes_every_text_holding_one(text):
    """_count_foreign_words reads a text only when its ASCII holds FOREIGN_MIN_LEN lowercase letters in a row: a text
    holding a foreign word (`市government`) always does."""
    from tasks import normalize_rules as R
    from tasks.normalize import _HAN_RE, _may_hold_foreign_word

    words = [
        m
        for m in R.LATIN_RUN.finditer(text)
        if len(m.group()) >= R.FOREIGN_MIN_LEN
        and m.group().islower()
        and m.group() not in R.FOREIGN_OK
        and (_HAN_RE.match(text[m.start() - 1 : m.start()] or " ") or _HAN_RE.match(text[m.end() : m.end() + 1] or " "))
    ]
    if words:
        assert _may_hold_foreign_word(text), text


def test_opening_chars_of_a_parsed_pattern():
    """_opening_chars: the characters a match may open on, through optional openings, groups, alternatives and
    lookarounds; None where any character may open one."""
    from re import _parser  # type: ignore[attr-defined]

    def opening(p):
        return normalize._opening_chars(_parser.parse(p))

    assert opening(r"(?:点击)?展开") == (frozenset("点展"), False)
    assert opening(r"[（(]?(?:文章|信息)?来源[:：]") == (frozenset("（(文信来"), False)
    assert opening(r"(?=[^+-]*[+-])[【\[]?(?:[+-]?A[+-]?){1,3}") == (frozenset("【[+-A"), False)
    assert opening(r"^第\d+页$|共\d+页$") == (frozenset("第共"), False)
    assert opening(r"x*") == (frozenset("x"), True)
    for anything in (r".{0,120}不代表本站观点", r"[^，。]{2,30}正文$", r"\d{4}年", r"(?i:pdf)", r"a?.b"):
        assert opening(anything)[0] is None, anything


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \n，。“”（）—…发展a1\t", max_size=40))
def test_single_spaces_are_rewritten_as_each_run_was(text):
    """_single_spaces (two substitutions finding only the spaces that go) gives what the callback on every space run
    gives, text and counts, on a text holding no two spaces in a row."""
    import functools

    from tasks.normalize import _SPACE_RUN, _single_spaces, _space_or_nothing

    while "  " in text:
        text = text.replace("  ", " a ")
    want_counts: Counter = Counter()
    want = _SPACE_RUN.sub(functools.partial(_space_or_nothing, counts=want_counts), text)
    got_counts: Counter = Counter()
    assert _single_spaces(text, got_counts) == want, text
    assert +got_counts == +want_counts, text


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "**",
                "*",
                "年",
                "月",
                "日",
                "号",
                "市",
                "县委",
                "政府",
                "同志",
                "书记",
                "19",
                "20",
                "5",
                "，",
                "在",
                "的",
                "发展改革",
                "\n",
                "是" * 20,
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_star_placeholders_are_found_around_the_gate(text):
    """_star_placeholder_in (STAR_PLACEHOLDER searched in windows around the gate's matches) says what a search of
    the whole text says, bold spans up to and past STAR_BOLD_REACH included."""
    from tasks import normalize_rules as R
    from tasks.normalize import _star_placeholder_in

    assert _star_placeholder_in(text) == (R.STAR_PLACEHOLDER.search(text) is not None), text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=",;:?!&amp \t\n发展”“）。，a1", max_size=50))
def test_punctuation_is_replaced_in_the_lines_holding_it_as_in_the_whole_text(text):
    """_sub_in_lines (only the lines holding the rule's character searched) gives what a substitution over the whole
    text gives, for every line-local punctuation pattern and the semicolon's two."""
    from tasks import normalize as N

    for char, pattern, repl in N._PUNCT_RULES:
        if pattern in N._LINE_LOCAL_PUNCT:
            assert N._sub_in_lines(pattern, repl, text, char) == pattern.subn(repl, text), (char, text)

    def one(m):
        return m.group(1) if m.group(1) is not None else "；"

    for pattern in (N._SEMI, N._SEMI_NO_REF):
        assert N._sub_in_lines(pattern, one, text, ";") == pattern.subn(one, text), text


def test_decimal_lines_match_the_digit_first_pattern():
    """_decimal_lines' pattern opens on the point and looks back for the digit: the same lines as `\\d[.．、]` with its
    lookahead (every Unicode digit, points after points and digits, \\r\\n and lone \\r breaks; random pages)."""
    import random

    digit_first = re.compile(r"\d[.．、](?![\d.．、%％])")

    def reference(raw: str, cr: bool) -> set[int]:
        out, line, prev = set(), 0, 0
        for m in digit_first.finditer(raw):
            line += raw.count("\n", prev, m.start())
            if cr:
                line += raw.count("\r", prev, m.start()) - raw.count("\r\n", prev, m.start())
            out.add(line)
            prev = m.start()
        return out

    rng = random.Random(59)
    pieces = [*"12０٣.．、%％", "\n", "\r", "\r\n", "一、", "增长", "3.5", "1.", "2、", "第", "x"]
    pages = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    found = 0
    for page in pages:
        cr = "\r" in page
        want = reference(page, cr)
        assert normalize._decimal_lines(page, cr) == want, page
        found += bool(want)
    assert found > 1000


def test_inner_whitespace_is_every_space_but_the_break():
    """_INNER_WS lists its characters: exactly those of `[^\\S\\n]` (every code point tried)."""
    negated = re.compile(r"[^\S\n]+")
    every = "".join(map(chr, [*range(0xD800), *range(0xE000, 0x110000)]))
    assert [m.span() for m in normalize._INNER_WS.finditer(every)] == [m.span() for m in negated.finditer(every)]
    assert normalize._INNER_WS.sub(" ", "a \t\u3000\u00a0b\n\x1c\x85c\u2028\u2029") == "a b\n c "


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([*"國（(aqüǖḿā)）*#> \n\r（", "（x）", "(zhōng)", "\n#", "\n>", "**", "區(qū)"])).map(
        "".join
    )
)
def test_page_line_keys_finish_only_the_keys_that_need_it(raw):
    """_line_keys_of finishes only the keys _unfinished_keys names (a `*`, a `#`/`>` opening the line, a bracket a
    pinyin letter follows): every other key is finished already."""
    from tasks.normalize import _key, _line_keys_of, _split_lines

    assert _line_keys_of(raw) == [_key(line) for line in _split_lines(raw)]


def test_to_simplified_converts_each_traditional_line_as_alone():
    """_to_simplified is OpenCC t2s of each line holding a character t2s converts, every other line as written: first
    and last lines, empty lines, several such lines in a row, a text without a break (random pages)."""
    import random

    table = normalize._T2S_TABLE

    def reference(text: str) -> str:
        lines = text.split("\n")
        return "\n".join(
            normalize._T2S.convert(line) if any(table[min(ord(c), 0x10000)] for c in line) else line for line in lines
        )

    rng = random.Random(59)
    pieces = [*"國發展区藉口報告", "\n", "\n\n", "藉口", "政府", "會議"]
    converted = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        got = normalize._to_simplified(text)
        assert got == reference(text), text
        converted += got != text
    assert converted > 1000
