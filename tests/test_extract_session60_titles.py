"""Titles a careful reader gets right and the extractor did not (session 60's fresh pages, eighteenth round): column
tags before a title, and the chrome above it (captions, breadcrumbs, bylines, a forum's bar, a flipbook's
page header, a press release's labels) taken for it."""

from __future__ import annotations

from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


SPEECH = (
    "老师们,同学们:\n早上好!\n人生序章,始于初秋。又一个崭新的九月,我们全校师生,怀揣梦想和希望,相聚在温暖的校园。今天,我们举行"
    "简单而隆重的开学典礼。首先,让我们用掌声向本学期加入大家庭的新老师和初一年级新同学表示热烈的欢迎!\n"
    "今天,我讲话的题目是:你,就是未来。\n亲爱的同学们,何谓未来?未来,是远眺梦想并追逐梦想,是探索真知并实践真知。\n"
)


def test_a_column_tag_before_a_double_bar_or_in_corner_brackets_is_no_title():
    raw = "开学第一课 || 你,就是未来\n作者: 某某某\n来源:本站原创 编辑:某某\n点击数: 发布时间: 2023-09-04\n" + SPEECH
    assert _fields(raw)["title"] == "你,就是未来"
    raw = "『开学第一课』点亮梦想 奔赴未来\n" + SPEECH
    assert _fields(raw)["title"] == "点亮梦想 奔赴未来"


NEWS = (
    "2月17日,正值北京市中小学迎接2025年春节假期后新学期的首日,校园内洋溢着勃勃生机与无限希望。\n"
    "此刻,我们精心挑选并呈现了来自北京市十八位名校长的开学典礼致辞精华,这些寄语照亮着同学们新学期的道路。\n"
    "新的学期,怎样成长得更好?我对同学们提出以下三个“培养”的要求:\n第一,培养自主能力。希望每一位同学都要学会自主学习。\n"
)


def test_a_photo_caption_marked_with_a_triangle_is_no_title():
    raw = "△北京小学校长某某某在开学典礼上讲话\n" + NEWS
    assert _fields(raw)["title"] is None


def test_a_breadcrumb_of_chevrons_is_no_title():
    raw = (
        "dsblog.net 资讯 » 企业动态 » 某某公司2020年会海阳分会(之二)召开\n\n某某公司2020年会海阳分会(之二)召开\n\n"
        "http://www.dsblog.net 2021-01-15 14:30:57\n\n  董事长发表重要讲话。\n  董事长说:\n"
        "  尊敬的黄教授,各位新老朋友,各位家人,下午好!\n  一场瑞雪过后,又迎来海阳明媚的阳光,今天天气特别好。在这个美好的时刻,"
        "非常感谢大家来到海阳,一起参加年会的分会,一起回顾过去,展望未来。\n"
    )
    assert _fields(raw)["title"] == "某某公司2020年会海阳分会(之二)召开"


def test_a_byline_with_a_division_slash_is_no_title():
    raw = (
        " date 2026-01-01 迎接二０二六年到來，某某市政府一日清晨舉行元旦升旗典禮。（某某市政府提供）\n\n"
        "記者楊某某、張某某∕綜合報導\n\n"
        "迎接二０二六年到來，某某市政府一日清晨舉行「某某」一一五年元旦升旗典禮；某某縣政府升旗典禮在運動公園田徑場登場。\n\n"
        "某某市長某某某、副市長某某某率領市府一級主管與同仁，共同迎向新年的第一天。\n"
    )
    assert _fields(raw)["title"] is None


def test_a_forums_bar_a_posters_handle_and_a_credited_caption_are_no_title():
    raw = (
        "請選擇... 進入行動版 | 繼續瀏覽電腦版\n免費註冊\n 忘記密碼\n 免費註冊\n\n正聲新聞\n\n搜尋\n\n記者 097202\n"
        "發佈於:2023-1-30 20:41:35\n\n    \n【記者某某某/臺中報導】\n\n"
        "台中市長某某某(中)率副市長某某某及市府一級機關首長拜晚年,祝市政昌隆!(記者某某某攝)\n\n\n"
        " 台中市長某某某(中)率副市長某某某及市府一級機關首長拜晚年,祝市政昌隆!(記者某某某攝)-正聲新聞\n\n"
        " 30日新春開工首日,台中市長某某某率副市長某某某及市府一級機關首長拜晚年,某市長表示,今年開工團拜兩大特別,"
        "一是史上最長年假後舉行,二是近三年來首次恢復舉辦。\n"
    )
    assert _fields(raw)["title"] is None


def test_a_flipbooks_page_header_is_no_title():
    raw = (
        "Page 331 - 某某指南_Neat\nP. 331\n\n某某研究所召开全体职工大会\n\n"
        "  某某研究所 3 月 4 日召开全体职工大会,研究当前重点工作。所长某某某主持会议并讲话。\n\n"
        "  某某某指出,经过全所上下艰苦努力,当前已初步呈现生产生活秩序加快恢复的态势。\n"
    )
    assert _fields(raw)["title"] != "Page 331 - 某某指南_Neat"


def test_a_press_releases_labels_are_no_title():
    raw = (
        "發稿單位:新聞及國際關係處 發稿時間:110年1 月1日 11:30 發稿人員:某某某 06-2991111#8154 迎接2021年來臨,台南市政府"
        "今(1日)晨於新營區南瀛綠都心公園舉辦「慶祝2021年元旦升旗典禮」,台南市長某某某親自帶領局處首長出席。 市長表示,"
        "台南市是全台灣少數幾個有舉辦現場升旗典禮的縣市,感謝中央與地方全心協力,共同抗疫。\n"
    )
    assert not (_fields(raw)["title"] or "").startswith("发稿")


def test_a_summary_line_running_the_title_into_its_subtitles_gives_the_title_below_it():
    raw = (
        "在全县专题研讨班结业仪式上的讲话用心用爱用功答好“强县之问”以良好的精神状态奋力开创强县事业新局面(2019年3月31日) 同志们:"
        " 县不图强,必有远忧。当前,全国各地都在深入学习贯彻\n"
        "在全县专题研讨班结业仪式上的讲话\n用心用爱用功答好“强县之问”\n以良好的精神状态奋力开创强县事业新局面\n(2019年3月31日)\n"
        "同志们:\n县不图强,必有远忧。当前,全国各地都在深入学习贯彻新发展理念,高质量发展的浪潮中百舸争流、千帆竞发。\n"
    )
    f = _fields(raw)
    assert f["title"] == "在全县专题研讨班结业仪式上的讲话"
    assert f["doc_type"] == "讲话"


def test_a_title_set_whole_in_book_title_marks_is_read_inside_them():
    raw = (
        "首页 > 实用范文 > 发言稿 > 追悼会发言稿(通用4篇)正文\n\n《追悼会发言稿(通用4篇)》\n\n时间:\n\n"
        "在平平淡淡的学习、工作、生活中,大家总少不了要接触或使用致辞吧,致辞讲求文辞不能过于口语化。那么你有真正了解过致辞吗?"
        "这次漂亮的小编为您带来了追悼会发言稿(通用4篇),希望能够给予您一些参考与帮助。\n\n"
        "追悼会发言稿 篇1\n\n----悼念人民警察某某某逝世一周年\n\n巴山无语悼英烈渝水长叹泣忠魂\n\n"
        "2003年6月6日的棠城,开始飘起丝丝冷雨,整个大地笼罩在浓厚的悲伤气氛中。天刚蒙蒙亮,老百姓便自发地从四面八方涌向街头,"
        "这一天,是他们送别英雄民警某某某的日子。\n\n上午9时正,天空下起倾盆大雨,追悼大会准时开始。\n"
    )
    assert _fields(raw)["title"] == "追悼会发言稿"


GUIDE = (
    "网友问题:\n什么是悼词?\n老秘观点:\n"
    "悼词在这里专指公务性的悼词,即由领导同志代表组织在追悼会上对死者表示哀思的致词。它既是对死者的悼念,又是对死者家属的安慰。\n"
    "(1)叙述性悼词。它以叙述死者的生平业绩为主,适当加入一些说明性文字。\n例文:\n"
    "今天,我们怀着极其沉痛的心情,悼念中国共产党的优秀党员某某某同志。\n"
)


def test_a_forums_printable_page_gives_its_labelled_title_and_a_what_is_question_is_a_guide():
    raw = (
        "老秘网_材夜思范文\n标题:\n老秘答什么是悼词?\n[打印本页]\n作者:\n辽宁老秘\n时间:\n2011-12-20 07:05\n标题:\n老秘答什么是悼词?\n"
        + GUIDE
    )
    f = _fields(raw)
    assert f["title"] == "老秘答什么是悼词？"
    assert f["doc_type"] is None
    assert f["published_on"] is not None and f["published_on"].isoformat() == "2011-12-20"
