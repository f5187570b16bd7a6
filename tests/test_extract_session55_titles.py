"""Titles a careful reader gives and the extractor missed (session 55's fresh pages, thirteenth round)."""

from __future__ import annotations

import pytest

from tasks.extract import extract_fields, is_junk_title
from tasks.normalize import normalize_text


def _fields(raw: str) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)


_NEWS = (
    "3月2日上午,某某区召开重点项目推进会,区委副书记、区长王某主持会议并讲话。\n"
    "王某强调,要始终坚持项目为王的理念,把项目建设作为一号工程,全力抓服务、抓保障、抓落实。\n"
)


@pytest.mark.parametrize(
    "chrome",
    [
        # an accessibility skip link over a page (.gov.tw, info.gov.hk, sina) and the accesskey marks after it
        "按Enter到主內容區\n:::\n:::",
        "跳至主要內容",
        "跳转到正文内容",
        # a breadcrumb opened by `您当前所在位置`, then a disclosure page's metadata grid, its labels as lines
        "您当前所在位置:首页>公开>重点建设项目>基本信息\n文号 索引号 关键词\n主题分类 基本信息 体裁分类 服务对象",
    ],
)
def test_page_chrome_above_the_headline_is_no_title(chrome):
    f = _fields(f"{chrome}\n\n某某区召开2023年重点项目推进会\n\n{_NEWS}")
    assert f["title"] == "某某区召开2023年重点项目推进会"


@pytest.mark.parametrize(
    "line", ["按Enter到主内容区", "跳至主要内容", "您当前所在位置:首页>公开", "索引号: 0031/2019-00336"]
)
def test_chrome_lines_are_junk_titles(line):
    assert is_junk_title(line)


@pytest.mark.parametrize(
    "title",
    ["文化建设的主要内容", "关于跳出舒适区的几点思考", "全区服务对象满意度测评工作推进会召开", "索引工作推进会召开"],
)
def test_headlines_near_those_words_stay_titles(title):
    assert not is_junk_title(title)


def test_a_forum_subject_label_is_no_part_of_the_title():
    raw = (
        "某某资讯网 » 讨论与交流 » 生活文化\n主題: 某某鄉長林某某2025新年感言\n作者: 小編 發表時間: 2025-01-01\n"
        "2024年的结尾感觉来得特别快,在去年,公所团队办理了相当充实且多元的活动,感谢我们某某乡的乡亲一路以来的支持与配合。\n"
    )
    assert _fields(raw)["title"] == "某某乡长林某某2025新年感言"


def test_a_site_name_and_channel_after_a_spaced_dash_leave_the_page_title():
    raw = f"某某街道召开文明创建工作推进会 —— 某某党媒云| 社区融-某某官网首页登录\n\n{_NEWS}"
    assert _fields(raw)["title"] == "某某街道召开文明创建工作推进会"


def test_a_subtitle_led_by_its_speaker_marks_the_speech_title_above_it():
    raw = (
        "交通部副部長某某某:做好交通定點扶貧開發工作\n中央政府門戶網站 www.gov.cn 2006年04月3日 來源:交通部網站\n\n"
        "做好交通定點扶貧開發工作為社會主義新農村建設做貢獻\n——某某某副部長在2006年部扶貧領導小組會上的講話\n\n同志們:\n"
        "今天我們在這裡召開扶貧領導小組會議,總結2005年我部定點扶貧開發工作,部署2006年的扶貧任務。\n"
    )
    assert _fields(raw)["title"] == "做好交通定点扶贫开发工作为社会主义新农村建设做贡献"


def test_a_collection_count_called_daquan_leaves_the_title():
    raw = (
        "大学校长开学典礼致辞(大全10篇)\n\n尊敬的各位老师、亲爱的同学们:\n"
        "大家好!今天我们隆重举行开学典礼,欢迎新同学加入我们的大家庭。\n"
    )
    assert _fields(raw)["title"] == "大学校长开学典礼致辞"
