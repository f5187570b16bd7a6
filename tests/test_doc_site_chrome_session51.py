"""Doc-site and portal chrome, ninth round (session 51's fresh doc-site pages)."""

from __future__ import annotations

import pytest

from tasks.normalize import normalize_text

SPEECH = (
    "同志们：\n今天，我们召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。下面，我讲三点意见。\n"
    "一、认清形势，坚定信心\n去年以来，全县上下认真贯彻落实上级决策部署，经济社会保持平稳健康发展，各项事业取得新的进展。\n"
)


def _kept_and_removed(raw: str) -> tuple[list[str], dict[str, str]]:
    n = normalize_text(raw)
    return n.text.split("\n"), {str(r[1]).strip(): str(r[2]) for r in n.removed_lines}


@pytest.mark.parametrize(
    ("chrome", "rule"),
    [
        # a county portal's breadcrumb with 的 after 当前 (session 50 left it as the first line of the text)
        ("您当前的位置:首页 > 领导讲话", "chrome.breadcrumb"),
        ("你当前的位置：首页 > 讲话", "chrome.breadcrumb"),
        # a path whose last step ends in its mark (xuexila)
        ("学习啦>实用范文>致辞讲话>会议发言稿>", "chrome.breadcrumb"),
        # a doc site's counters (wydbw) and its page and view counts under a preview (gongwen.com.cn)
        ("字数:5031 字 浏览:236次 下载:1次", "chrome.clicks"),
        ("页数：30 大小：1.2MB", "chrome.clicks"),
        ("4 页 999+", "chrome.clicks"),
        # preview and copy labels, a Word shape's name, info.gov.hk's bar
        ("内容预览:", "chrome.toolbar"),
        ("正文复制", "chrome.toolbar"),
        ("Shape2", "chrome.toolbar"),
        ("简体版 寄给朋友 政府主网页", "chrome.toolbar"),
        # a writing tool's ad with its button
        ("公文高手,超级方便的公文写作神器! 立即了解", "chrome.watermark"),
    ],
)
def test_doc_site_and_portal_chrome_above_the_title_is_removed(chrome, rule):
    kept, removed = _kept_and_removed(f"{chrome}\n县长在全县经济工作会议上的讲话\n{SPEECH}")
    assert removed.get(chrome) == rule, removed
    assert kept[0] == "县长在全县经济工作会议上的讲话"
    assert "今天，我们召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。下面，我讲三点意见。" in kept


def test_a_breadcrumbs_last_step_repeated_under_it_is_no_title():
    # gongwensou: the column's name under the path, then the title
    raw = f"您现在的位置是: 首页 > 政经部门 > 营商\n营商\n市长在优化营商环境再出发动员大会上的讲话\n{SPEECH}"
    kept, removed = _kept_and_removed(raw)
    assert removed.get("营商") == "chrome.breadcrumb"
    assert kept[0] == "市长在优化营商环境再出发动员大会上的讲话"
    # a heading that happens to equal a step later in the text stays (only the line right under the path goes)
    raw = f"您现在的位置是: 首页 > 讲话 > 营商\n市长在大会上的讲话\n{SPEECH}营商\n营商环境是发展的生命线，我们要持续用力。\n"
    assert "营商" in normalize_text(raw).text.split("\n")


def test_a_doc_sites_footer_describing_its_page_is_removed():
    # sanweiyuan: the column and summary after the preview, as long as the paragraph it closes
    footer = (
        "县长在全县防汛工作会议上的讲话》所在栏目:优质范文 > 内容摘要:《县长在全县防汛工作会议上的讲话》格式模板,"
        "仅供写作参考,阅读!县长在全县防汛工作会议上的讲话相关关键词:防汛 县长 全县 工作会议上 讲话,范文,仅供参考,"
        "欢迎阅读!助你无忧写作。。"
    )
    kept, removed = _kept_and_removed(f"县长在全县防汛工作会议上的讲话\n{SPEECH}{footer}\n")
    assert removed.get(footer) == "chrome.intro"
    assert kept[-1].startswith("去年以来")
    # its summary quotes the speech's salutation (a speech mark): the site's voice all the same
    footer = (
        "《市长在全市营商环境优化推进会上的讲话》所在栏目:优质范文 > 内容摘要:市长在全市营商环境优化推进会上的讲话同志们:"
        "今天,我们召开全市营商环境优化推进会,主要任务是深入学习贯彻习近平总书记关于优化营商环境的重要论述"
    )
    kept, removed = _kept_and_removed(f"市长在全市营商环境优化推进会上的讲话\n{SPEECH}{footer}\n")
    assert removed.get(footer) == "chrome.intro"
    assert kept[-1].startswith("去年以来")


def test_a_collections_page_title_and_its_item_heading_are_one_title():
    # xuexila: the page title numbered `(2)`, the uploader, the item's heading numbered `篇2`
    raw = f"区长领导干部大会上的讲话(2)\n佩珊分享\n区长领导干部大会上的讲话篇2\n{SPEECH}"
    _, removed = _kept_and_removed(raw)
    assert removed.get("区长领导干部大会上的讲话(2)") == "chrome.repeated_title"


def test_speech_lines_like_the_new_chrome_stay():
    lines = [
        "三、经验分享",
        "各部门发现险情要立即了解情况，立即报告！",
        "复制推广先进经验，篇篇都是好文章。",
        "当前的位置决定了我们的发展方向，我们要认清形势。",
        "全县下载使用政务服务APP的群众达到3万人，浏览量明显增加。",
    ]
    text = normalize_text("县长在全县经济工作会议上的讲话\n" + SPEECH + "\n".join(lines) + "\n").text
    for line in lines:
        assert line in text.split("\n")


@pytest.mark.parametrize(
    ("line", "want"),
    [
        # Tencent wenku: the footer after the page's last sentence
        (
            "下面，我根据县委常委会研究的意见，强调三个问题。 第1页共 17 页",
            "下面，我根据县委常委会研究的意见，强调三个问题。",
        ),
        # a footer that split a word: the word closes up again
        (
            "县委对这次乡镇党委换届工作高度重视，今 第2页共18页 年4月份就在双庙乡进行了试点。",
            "县委对这次乡镇党委换届工作高度重视，今年4月份就在双庙乡进行了试点。",
        ),
        # a PDF's dashed page number after a sentence's end
        (
            "一是抓好项目建设。 - 3 - 二是抓好民生工作，确保群众满意。",
            "一是抓好项目建设。二是抓好民生工作，确保群众满意。",
        ),
        # text that looks like one stays
        ("2019-2020年全县完成投资1-3-5亿元，增长 - 3 - 个百分点。", None),
        ("本书共200页，第3页有详细说明。", None),
    ],
)
def test_a_page_footer_inside_a_line_is_cut_and_the_text_kept(line, want):
    kept, _ = _kept_and_removed(f"县长在全县经济工作会议上的讲话\n{SPEECH}{line}\n")
    assert kept[-1] == (want or line)


def test_a_short_title_under_its_own_path_stays():
    # the path's last step is the page's title, not a column (`首页 > 好词好句 > 市长欢迎词`)
    kept, _ = _kept_and_removed(f"首页 > 好词好句 > 市长欢迎词\n市长欢迎词\n{SPEECH}")
    assert kept[0] == "市长欢迎词"
