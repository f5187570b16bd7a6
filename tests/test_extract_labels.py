"""Speakers a page names by a label rather than a byline, and pages that report on a meeting rather than give the
speech (held-out audit k5, from the search tool's stored pages: TV captions, author lines, wikisource infoboxes,
full-text headings, signatures, news reports of meetings, press conferences). Every name and place is invented."""

from __future__ import annotations

import pytest

from tasks import extract as E


def _page(raw: str, url: str | None = None) -> dict:
    from tasks.normalize import normalize_text

    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


BODY = (
    "同志们，朋友们：\n"
    "刚刚过去的一年，全市人民团结奋斗，经济社会发展取得了新的成就，人民生活继续改善。在新春佳节来临之际，我向大家拜年！\n"
    "新的一年，我们要坚定信心，真抓实干，奋力开创各项工作新局面。\n"
)


@pytest.mark.parametrize(
    ("head", "name", "office"),
    [
        # a TV news copy: the caption names who speaks, after the headline it was run into
        ("林立群宣誓就任 就职典礼致辞全文来了！【同期】香港特区第七任行政长官 林立群\n", "林立群", "行政长官"),
        ("青石县新春团拜会\n【同期声】县委书记 赵文华：\n", "赵文华", "县委书记"),
        ("青石县新春团拜会\n（现场声）县长 钱志明\n", "钱志明", "县长"),
        # a magazine or archive page: the author line of a speech titled without its speaker
        ("[政治]在2008年春节团拜会上的讲话（2008年2月5日）\n作者:温家宝\n《新华月报》2008年 第03期\n", "温家宝", None),
        ("在全县经济工作会议上的讲话\n作者： 孙建国 来源： 青石县人民政府\n", "孙建国", None),
        ("在全市宣传工作会议上的讲话\n文/周立新\n", "周立新", None),
        # a speaker label
        ("在全县安全生产工作会议上的讲话\n讲话人：县委书记 吴海平\n", "吴海平", "县委书记"),
        # wikisource's infobox, joined on one line with the title and the dateline
        (
            "中華民國一○一年總統農曆春節談話 中華民國101年(2012年)1月22日於臺北市 發布機關:中華民國總統 馬英九 "
            "發布於總統府新聞:總統除夕賀歲談話 |\n",
            "马英九",
            "总统",
        ),
    ],
)
def test_labelled_speaker(head, name, office):
    out = _page(head + BODY)
    assert (out["speaker_name"], out["speaker_title"]) == (name, office)


@pytest.mark.parametrize(
    "head",
    [
        "在全县经济工作会议上的讲话\n作者: 佚名 来源: 作者原创\n",
        "在全县经济工作会议上的讲话\n作者：admin 发布时间：2020-01-01\n",
        "在全县经济工作会议上的讲话\n作者：本报记者 郑明\n",
    ],
)
def test_author_line_of_no_speaker(head):
    assert _page(head + BODY)["speaker_name"] is None


def test_author_line_after_the_body_is_the_reporter():
    raw = (
        "本网讯1月10日上午，青石镇各界人士迎春团拜会在镇文化中心隆重举行，镇党委、政府领导以及社会各界人士代表共100多人"
        "欢聚一堂，共话奋斗历程，共享成功喜悦，共绘发展蓝图，现场气氛热烈。\n"
        "团拜会上，镇长石文明同志代表镇党委、政府作了热情洋溢的新春致辞，总结回顾了一年来全镇各项工作取得的成绩。\n"
        "来源:青石镇政府\n作者:方立新\n编辑:admin\n"
    )
    assert _page(raw)["speaker_name"] != "方立新"


def test_full_text_heading_names_the_speaker():
    raw = (
        "大陆中心/综合报导\n"
        "“2016年，是非凡的一年。”中国大陆国家主席习近平今(31)晚于央视发表新年贺词，并向各国民众问候。"
        "10分钟的致词中，习近平细数2016年各项发展。\n"
        "（图/中央社）\n"
        "【習近平致詞全文】\n"
        "2016年即将过去，新年的钟声即将敲响。在这辞旧迎新的美好时刻，我向全国各族人民致以新年的祝福！\n"
    )
    assert _page(raw)["speaker_name"] == "习近平"


@pytest.mark.parametrize(
    ("tail", "name", "office"),
    [
        ("\n市委书记 王立群\n2024年2月9日\n", "王立群", "市委书记"),
        ("\n张文海\n2023年5月1日\n", "张文海", None),
        ("\n张文海 2023年5月1日\n", "张文海", None),
    ],
)
def test_signature_closing_a_greeting(tail, name, office):
    raw = "致全市人民的新春贺信\n亲爱的市民朋友们：\n" + BODY.split("\n", 1)[1] + "祝大家新春快乐，万事如意！" + tail
    out = _page(raw)
    assert (out["speaker_name"], out["speaker_title"]) == (name, office)


def test_date_alone_closing_a_speech_names_nobody():
    raw = "在全县经济工作会议上的讲话\n" + BODY + "谢谢大家！\n青石县人民政府\n2023年5月1日\n"
    assert _page(raw)["speaker_name"] is None


@pytest.mark.parametrize(
    ("raw", "name", "office", "meeting"),
    [
        (
            "赵明主持召开国务院常务会议 研究推动高质量发展的政策举措\n"
            "新华社北京1月19日电 国务院总理赵明1月19日主持召开国务院常务会议，研究推动高质量发展的政策举措。\n"
            "会议指出，推动高质量发展是新时代的硬道理。\n会议强调，今年是关键一年。\n",
            "赵明",
            "总理",
            "国务院常务会议",
        ),
        (
            "10月10日，市委副书记、市长王建文主持召开市政府常务会议，研究经济运行、安全生产等工作。市领导出席会议。\n"
            "会议强调，各级各部门要深刻把握精神实质，结合实际抓好贯彻落实。\n会议要求，要确保圆满完成全年目标任务。\n",
            "王建文",
            "市委副书记、市长",
            "市政府常务会议",
        ),
        (
            "市委书记史立军调研民生工作时强调 高质高效推进民生实事项目\n"
            "12月8日，市委书记史立军调研民生工作，强调要坚持在高质量发展中增进民生福祉。\n"
            "史立军指出，民生工作关系群众切身利益。\n他强调，要落实责任，确保各项民生实事按期完成。\n",
            "史立军",
            "市委书记",
            None,
        ),
        (
            "本网讯1月10日上午，青石镇各界人士迎春团拜会在镇文化中心隆重举行，社会各界人士代表共100多人欢聚一堂。\n"
            "团拜会上，镇长石文明同志代表镇党委、政府作了热情洋溢的新春致辞，总结回顾了一年来全镇各项工作取得的成绩。\n"
            "来源:青石镇政府\n作者:方立新\n",
            "石文明",
            "镇长",
            "青石镇各界人士迎春团拜会",
        ),
        (
            "4月14日，市政府召开第107次常务会议。\n会议强调，要认真落实各项部署要求，坚决打赢防汛抗旱这场硬仗。\n",
            None,
            None,
            "市政府第107次常务会议",
        ),
        (
            # the page's own jurisdiction (我县) is no part of the meeting's name
            "3月2日，我县三级干部大会召开。县委书记陈洪豪出席会议并讲话。\n陈洪豪强调，要真抓实干。\n",
            "陈洪豪",
            "县委书记",
            "三级干部大会",
        ),
        (
            # a meeting to come that the lecturer names is not the one reported
            "5月9日上午，学院党校举行专题报告会。常务副校长王学成作了报告。\n王学成指出，我们党将召开第二十次全国代表大会，"
            "要认真学习。\n他强调，要学以致用。\n",
            "王学成",
            "常务副校长",
            None,
        ),
    ],
)
def test_news_report_of_a_meeting_is_no_speech(raw, name, office, meeting):
    out = _page(raw)
    assert (out["doc_type"], out["speaker_name"], out["speaker_title"], out["meeting"]) == (
        "新闻报道",
        name,
        office,
        meeting,
    )


@pytest.mark.parametrize(
    "raw",
    [
        # a speech opening on the day, in its own voice
        "今天，我们在这里隆重召开全镇两个文明建设总结表彰大会。这次会议的主要任务是总结成绩，表彰先进。\n"
        "会上，大家要认真讨论。刚才，王镇长指出，我们要抓好落实。\n",
        # a wire copy handing over to the full text is the speech's copy
        "新华社北京3月5日电 国务院总理赵明5日在人民大会堂出席招待会并致辞。以下为致辞全文：\n"
        "尊敬的各位来宾：\n今天，我们欢聚一堂。会议指出，发展是硬道理。\n",
        # a speech's title decides whatever its first paragraph says
        "在全市经济工作会议上的讲话\n12月8日，市委召开全市经济工作会议。会议强调，要稳中求进。他指出，要抓好落实。\n",
    ],
)
def test_speech_is_no_news_report(raw):
    assert _page(raw)["doc_type"] != "新闻报道"


@pytest.mark.parametrize(
    ("raw", "meeting"),
    [
        (
            "李明总理答中外记者问（全文）\n3月11日，十四届全国人大二次会议在北京人民大会堂举行记者会，国务院总理李明出席记者会并"
            "回答中外记者提问。\n新华社记者：总理您好，今年政府工作报告将经济增长预期目标定为5%左右，请问底气何在？\n"
            "李明：谢谢你的提问。我们有基础、有条件、有信心。\n",
            "第十四届全国人民代表大会第二次会议记者会",
        ),
        (
            "国务院新闻办公室于2024年1月18日（星期四）上午10时举行新闻发布会，请国家统计局局长介绍2023年国民经济运行情况，"
            "并答记者问。\n中央广播电视总台记者：请问去年经济运行有哪些特点？\n国家统计局局长：谢谢你的提问。\n"
            "路透社记者：请问今年的形势如何？\n国家统计局局长：谢谢。\n",
            "国务院新闻办公室新闻发布会",
        ),
    ],
)
def test_press_conference_answers(raw, meeting):
    out = _page(raw)
    assert (out["doc_type"], out["meeting"]) == ("答记者问", meeting)


def test_speech_at_a_press_conference_stays_a_speech():
    raw = (
        "在全市新闻发布会上的讲话\n各位记者朋友：\n大家上午好！今天，我们在这里举行新闻发布会，介绍全市经济运行情况。\n"
    )
    assert _page(raw)["doc_type"] == "讲话"


@pytest.mark.parametrize("title", ["立法会主席年结记者会发言内容", "立法会主席年结记者会发言全文(只有中文)"])
def test_remarks_at_a_press_conference_titled_with_the_pages_word_stay_remarks(title):
    """info.gov.hk's `…记者会发言全文(只有中文)`: the remarks given there, not the answers to reporters."""
    raw = (
        f"{title}\n以下是立法会主席今日在年结记者会上的发言：\n各位传媒朋友：\n大家好！今年是本届立法会的第三个年度，"
        "我想与大家回顾过去一年的工作。记者：请问主席如何评价今年的工作？\n"
    )
    assert _page(raw)["doc_type"] == "发言"


@pytest.mark.parametrize(
    ("head", "name", "office", "meeting"),
    [
        # Qiushi's and collected works' layout: a theme title, the speaker in the subtitle under it
        (
            "加快构建新发展格局\n——王立新同志在全省经济工作会议上的讲话\n（2023年1月31日）\n",
            "王立新",
            None,
            "全省经济工作会议",
        ),
        ("坚定信心 真抓实干\n——县委书记孙建国在全县三级干部大会上的讲话\n", "孙建国", "县委书记", "全县三级干部大会"),
        # a greeting's title names the speaker before the occasion
        ("市委书记王立新新春贺词\n", "王立新", "市委书记", None),
    ],
)
def test_subtitle_and_greeting_title_name_the_speaker(head, name, office, meeting):
    out = _page(head + BODY)
    assert (out["speaker_name"], out["speaker_title"], out["meeting"]) == (name, office, meeting)


@pytest.mark.parametrize(
    ("head", "name", "office"),
    [
        # an office line with the name on the line under it
        ("新春贺词\n青石市人民政府市长\n万文华\n", "万文华", "市长"),
        # a greeting signed by two: the first named
        ("新春贺词\n市委书记马立龙 市长徐海明\n2023年1月21日\n", "马立龙", "市委书记"),
        # one person holding two offices stays one byline
        ("在全区经济工作会议上的讲话\n区委副书记、区长 孙文玲\n", "孙文玲", "区委副书记、区长"),
    ],
)
def test_byline_over_two_lines_or_for_two(head, name, office):
    out = _page(head + BODY)
    assert (out["speaker_name"], out["speaker_title"]) == (name, office)


def test_hard_wrapped_line_under_an_office_is_no_name():
    """A doc site's tags wrapped one word a line (bench_extract's pdf_pages: `2023` / `区长` / `互学互` / `汇报会` /
    `致辞` over `区长在互学互比汇报会讲话`): the fragment under the office is no name."""
    text = "2023\n区长\n互学互\n汇报会\n致辞\n区长在互学互比汇报会讲话\n" + BODY.replace("同志们，朋友们：\n", "")
    assert E.extract_fields(text)["speaker_name"] != "互学互"


@pytest.mark.parametrize(
    "closing", ["谢谢大家\n2023年5月1日\n", "谢谢\n2023年5月1日\n", "祝大家新年快乐\n2023年5月1日\n"]
)
def test_sign_off_over_the_date_is_no_signature(closing):
    raw = "在全县经济工作会议上的讲话\n" + BODY + closing
    assert _page(raw)["speaker_name"] is None
