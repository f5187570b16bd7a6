"""Speakers and document types of session 46's real pages (the search tool's stored pages, scored by hand): news reports
of meetings and of the congress, news genres, greetings written with 辞, presidents, press conferences' transcripts,
leads that name who delivered the text, a view count's reporter. Names and places are invented, except the national
leaders a transcript needs from leaders.txt."""

from __future__ import annotations

import pytest

from tasks import extract as E


def _page(raw: str) -> dict:
    from tasks.normalize import normalize_text

    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)


# ------------------------------------------------------------------ types


@pytest.mark.parametrize(
    "title",
    [
        "踏着前进的春风——青石市政协第十一届二次会议大会发言侧记",
        "在深化改革新征程上汇聚力量——青石市政协十二届二次会议开幕会侧记",
        "“我面临的工作还十分繁重”——赵文华与中外记者见面侧记",
    ],
)
def test_a_news_genre_headline_is_a_news_report(title):
    """A 侧记 whose headline holds 发言 was typed 发言 (or nothing, or 答记者问): it is the report of the meeting."""
    out = _page(
        title + "\n\n9点整，主持人宣布：“大会发言现在开始。”委员们依次上台进行发言，内容涉及品牌战略、空气质量等。\n"
        "九三学社的发言代表是张丽华委员。鞠躬，走向发言台，站定，以坚定、洪亮的声音开场了。\n"
    )
    assert out["doc_type"] == "新闻报道"


def test_a_genre_headline_under_a_breadcrumb_is_the_title():
    """`当前位置: 学院首页 >> 通知公告 >> 正文` was the title of a copy of a Xinhua 侧记, which had no type."""
    from tasks.normalize import normalize_text

    raw = (
        "当前位置: 学院首页 >> 通知公告 >> 正文\n\n“我面临的工作还十分繁重”——赵文华与中外记者见面侧记\n\n2011年03月14日 23:11:47 "
        "来源: szadmin\n\n“我的任期还有两年，我面临的工作还十分繁重。”赵文华总理说。\n\n在两会的最后一次记者会上，总理如此回答有关"
        "他的任期的一个提问。\n"
    )
    n = normalize_text(raw)
    out = E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, page_title=raw.split("\n")[0])
    assert out["title"] == "“我面临的工作还十分繁重”——赵文华与中外记者见面侧记"
    assert out["doc_type"] == "新闻报道"


LOCAL_MEETING_NEWS = (
    "9月26日下午，全市县(区)委书记座谈会暨信访、安全稳定工作会议召开。市委书记王立明主持会议并讲话，市长赵文华"
    "安排稳增长工作。\n王立明强调，各级各部门要全力以赴稳增长，持续巩固经济回升向好态势。\n"
    "赵文华强调，三季度是完成全年目标任务的关键期。\n"
)


def test_a_local_meeting_held_headline_is_a_news_report_like_a_presided_one():
    """`…会议召开` over a local paper's news lead was a 公报 while `…主持召开…` was a 新闻报道: both are the news of a
    meeting; only a central meeting's release (`中央经济工作会议在北京举行`) stays the communiqué."""
    held = _page("全市县(区)委书记座谈会暨信访、安全稳定工作会议召开\n" + LOCAL_MEETING_NEWS)
    presided = _page("王立明主持召开全市县(区)委书记座谈会\n" + LOCAL_MEETING_NEWS)
    assert held["doc_type"] == presided["doc_type"] == "新闻报道"
    assert (held["speaker_name"], held["speaker_title"]) == ("王立明", "市委书记")
    central = _page(
        "中央经济工作会议在北京举行 王立明发表重要讲话\n新华社北京12月12日电 中央经济工作会议12月11日至12日在北京举行。"
        "王立明出席会议并发表重要讲话。\n会议认为，今年是全面贯彻党的二十大精神的开局之年。\n"
    )
    assert central["doc_type"] == "公报"


def test_a_lead_dated_today_with_the_date_in_brackets_is_a_news_lead():
    out = _page(
        "全市“防疫情、抓安全、稳增长”工作推进会召开\n\n今天(10月8日)上午，全市“防疫情、抓安全、稳增长”工作推进会在市区召开。"
        "市委副书记、市长赵文华出席会议并讲话。\n赵文华强调，要坚决守住安全底线。\n"
    )
    assert out["doc_type"] == "新闻报道"


@pytest.mark.parametrize(
    "page",
    [
        # the report word as the headline's object
        "青石县十四届人大四次会议开幕 代表热议政府工作报告\n3月4日，青石县第十四届人民代表大会第四次会议隆重开幕，"
        "县委副书记、县长李文博在大会上作政府工作报告。\n会议结束后，代表们分组讨论。人大代表王小明说：“报告实事求是。”\n",
        # the delegates named in the third person (`各位代表出席会议`), not addressed
        "我县代表团出席市十七届人大五次会议\n2月5日，市十七届人大五次会议在市会展中心隆重开幕。市长赵文华作政府工作报告。"
        "县委书记王立明等我县代表团各位代表出席会议。\n王立明表示，下一步将认真贯彻落实会议精神。\n",
        # a county head asking the standing committee for its views on the draft
        "县长李文博就《政府工作报告》征求县人大常委会意见\n12月11日，县长李文博就《政府工作报告》在县人大常委会征求意见。"
        "县人大常委会主任王立明参加。\n李文博表示，报告起草小组要认真吸取和采纳大家的意见。\n",
    ],
)
def test_the_news_that_a_county_head_delivered_the_work_report_is_no_work_report(page):
    out = _page(page)
    assert out["doc_type"] == "新闻报道"


def test_a_county_heads_name_that_holds_a_place_name_is_still_the_news_speaker():
    """`县长李镇江就…`: 镇江 is a city, but after an office the three characters are a surname and a given name."""
    out = _page(
        "县长李镇江就《政府工作报告》征求县人大常委会意见\n12月11日，县长李镇江就《政府工作报告》在县人大常委会征求意见。"
        "县人大常委会主任王立明参加。\n李镇江表示，报告起草小组要认真吸取和采纳大家的意见。\n"
    )
    assert (out["speaker_name"], out["speaker_title"]) == ("李镇江", "县长")


BANQUET_BODY = (
    "各位来宾，\n女士们，先生们，朋友们：\n晚上好！在这个孕育希望的季节，论坛如约而至。首先，我谨代表主办方，对各位嘉宾表示"
    "热烈的欢迎！\n此刻的大会堂，高朋满座，胜友如云。\n"
)


def test_a_toast_written_with_ci_is_an_address_at_its_banquet():
    """`…欢迎宴会上的祝酒辞` (辞, not 词): the wire dateline was taken for the title and the page had no type."""
    out = _page(
        "新华社北京4月26日电\n在第二届青石国际合作高峰论坛欢迎宴会上的祝酒辞\n(2019年4月26日，北京)\n青石商会会长 王立明\n"
        + BANQUET_BODY
    )
    assert out["title"] == "在第二届青石国际合作高峰论坛欢迎宴会上的祝酒辞"
    assert out["doc_type"] == "致辞"
    assert out["meeting"] == "第二届青石国际合作高峰论坛欢迎宴会"


def test_a_slogan_title_takes_its_kind_and_meeting_from_the_subtitle():
    out = _page(
        "弘扬合作精神 共创美好未来\n——在青石运动会欢迎宴会上的祝酒词\n(2008年8月8日)\n青石商会会长 王立明\n"
        + BANQUET_BODY
    )
    assert out["doc_type"] == "致辞"
    assert out["meeting"] == "青石运动会欢迎宴会"


def test_a_presidents_new_year_greeting_is_an_address():
    out = _page(
        "总统发表元旦祝词\n\n总统在祝词中呼吁国人，支持政府推动各项建设。\n\n各位女士、各位先生：\n今天是元旦。面对新的一年，"
        "我们备觉振奋，也益感责任重大。\n"
    )
    assert out["doc_type"] == "致辞"


# ------------------------------------------------------------------ speakers


def test_a_president_under_the_title_is_the_speaker():
    """wikisource's `总统 蒋经国` under `中华民国第七任总统就职演说`: 总统 was no office, so nobody spoke."""
    out = _page(
        "第七任总统就职演说\n\n第六任总统就职演说 第七任总统就职演说\n总统 林文华\n1984年5月20日\n第八任总统就职演说\n\n"
        "亲爱的全国同胞们、诸位贵宾：\n今天依法宣誓就职，决以至诚，谨守誓言，增进人民福利。这是全体国民交付的使命。\n"
    )
    assert (out["speaker_name"], out["speaker_title"]) == ("林文华", "总统")
    assert out["doc_type"] == "讲话"


def test_a_release_lead_names_the_speaker_before_his_remarks():
    """`以下是立法会主席梁某就…到访立法会，今日…会见传媒的发言：` (info.gov.hk): 就 after the name, and `…发言内容：`."""
    for lead in (
        "以下是立法会主席陈立群就青石商会代表团到访立法会，今日(四月十六日)于立法会综合大楼会见传媒的发言：",
        "以下是立法会主席陈立群今日(十二月十九日)在立法会年结记者会上的开场发言内容：",
    ):
        out = _page(
            "立法会主席的发言(只有中文)\n下稿代立法会秘书处发出：\n\n" + lead + "\n\n各位传媒界朋友，大家好。今天我与"
            "大家回顾立法会今个会期的工作。\n"
        )
        assert (out["speaker_name"], out["speaker_title"]) == ("陈立群", "立法会主席"), lead


@pytest.mark.parametrize(
    ("lead", "office"),
    [
        (
            "新华社北京12月31日电 新年前夕，国家主席王立明通过中央广播电视总台和互联网，发表了二〇二五年新年贺词。全文如下：",
            "国家主席",
        ),
        ("行政长官陈立群已于今日下午在立法会宣读完《2025年财政年度施政报告》。全文如下：", "行政长官"),
    ],
)
def test_a_lead_naming_who_delivered_the_greeting_or_address_names_the_speaker(lead, office):
    out = _page(lead + "\n\n大家好！时间过得真快，我们即将告别这一年，迎来新的一年。这一年，我们一起走过了很多地方。\n")
    name = "王立明" if office == "国家主席" else "陈立群"
    assert (out["speaker_name"], out["speaker_title"]) == (name, office)


def test_a_transcripts_lead_names_who_answers():
    out = _page(
        "3月15日上午十二届全国人大五次会议闭幕后，国务院总理赵文华在人民大会堂三楼金色大厅会见采访十二届全国人大五次会议"
        "的中外记者并回答记者提出的问题。\n赵文华：时间有限，我们单刀直入，我愿意回答记者朋友们提出的问题。\n"
    )
    assert out["doc_type"] == "答记者问"
    assert (out["speaker_name"], out["speaker_title"]) == ("赵文华", "总理")


def test_a_transcripts_answer_turns_name_the_national_leader_not_the_host():
    """`【张某】…有请李总理。` / `【李克强】首先感谢…`: the premier answers; the host opens."""
    out = _page(
        "记者会开场\n【张立新】各位媒体朋友，大家下午好。现在我们非常荣幸地邀请总理与大家见面，并回答大家的提问。\n"
        "【李克强】首先感谢媒体的朋友们对中国的两会进行报道。时间有限，请大家提问。\n【张立新】现在开始提问。\n"
        "【新华社记者】总理，您好，我的问题是关于经济形势的。\n【李克强】中国经济确实遇到了新的下行压力。\n"
        "【路透社记者】总理，我的问题是关于贸易的。\n【李克强】我们坚持开放的步伐。\n"
    )
    assert out["doc_type"] == "答记者问"
    assert out["speaker_name"] == "李克强"


def test_a_press_headline_after_a_year_names_who_answers():
    out = _page(
        "2014年赵文华总理答中外记者问(双语全文)\n\n3月13日上午，大会闭幕后，国务院总理赵文华在人民大会堂金色大厅与中外记者"
        "见面并回答记者提问。以下是记者会实录。\n"
    )
    assert out["speaker_name"] == "赵文华"


def test_a_photo_captions_words_are_no_part_of_the_office():
    """`图为国务院总理温某(资料图)`: the caption's 图为 was kept in the office."""
    assert E._strip_jurisdiction("图为国务院总理") == "总理"


def test_a_name_after_a_view_count_label_is_no_byline():
    """`发布时间：… 浏览次数： 王某`: the count was lost, the label removed as chrome, and the reporter's name left alone
    on the line under the title was read as the speaker."""
    out = _page(
        "在全县经济工作会议上的讲话\n发布时间：2020-01-01 浏览次数： 王立新\n同志们：\n今天召开全县经济工作会议，主要任务是"
        "总结去年工作，部署今年任务。\n"
    )
    assert out["speaker_name"] is None
    # a name alone under the title with no such label is still the speaker
    out = _page(
        "在全县经济工作会议上的讲话\n王立新\n同志们：\n今天召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。\n"
    )
    assert out["speaker_name"] == "王立新"


def test_a_news_lead_office_that_stopped_at_changwei_gives_the_rest_to_the_office():
    """`市委书记、市人大常委会主任马某主持会议`: the office stopped at 常委 and left `会主任马某` for the name."""
    out = _page(
        "市委召开常委会议\n3月15日上午，市委召开常委会议，听取全市经济运行情况汇报。\n市委书记、市人大常委会主任赵明远主持"
        "会议并讲话。\n会议认为，全市工业生产开局稳健。\n"
    )
    assert (out["speaker_name"], out["speaker_title"]) == ("赵明远", "市委书记、市人大常委会主任")


def test_a_news_headline_naming_the_greeting_mid_title_is_a_news_report():
    """`习近平发表新年贺词 涉台提…` over `记者某／北京报导` and `他表示，`: typed 致辞 from the 贺词 in its headline."""
    out = _page(
        "王立明发表新年贺词 大家共同奋斗\n记者陈小华／北京报导\n大陆国家主席王立明晚间7时照往例发表新年贺词，并指“大家一起为梦想奋斗”。他表示，要坚定"
        "不移推进改革。\n王立明表示，乡村振兴取得新进展。\n"
    )
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("王立明", "国家主席")
    # the lead opens on a quote's close and names the country in full (`」中國大陸國家主席…`: held-out TW news)
    out = _page(
        "大陆中心/综合报导\n「2016年，对中国人民来说，是非凡的一年。」中国大陆国家主席王立明今（31）晚于央视发表新年贺词，"
        "并向各国民众问候。\n王立明表示，乡村振兴取得新进展。\n"
    )
    assert out["speaker_title"] == "国家主席"
    # the greeting itself keeps its type
    out = _page("2024年新年贺词\n同志们、朋友们、女士们、先生们：\n大家好！时间过得真快，我们即将告别这一年。\n")
    assert out["doc_type"] == "致辞"
    # and a report under a two-line title (the shared corpus's 国务院 1990), its salutation past the first lines
    out = _page(
        "1990年政府工作报告\n为我国经济和社会的进一步稳定发展而奋斗\n——1990年3月20日在第七届全国人民代表大会第三次会议上\n"
        "国务院总理 赵文华\n各位代表！\n现在，我代表国务院，向大会作政府工作报告，请予审议。\n会议认为，形势很好。他表示，"
        "很好。王立明指出，很好。\n"
    )
    assert out["doc_type"] == "政府工作报告"
