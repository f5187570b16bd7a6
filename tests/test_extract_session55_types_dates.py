"""Doc types and dates, thirteenth round (session 55's fresh pages): written reflections and writing guides typed none,
salutations naming their guests before the greeting, a government's report to the standing committee, a notice by its
own formula and a signature whose zeros are letters O, news features about a press conference, news leads (a purpose
and an organ holding the event 于 its day, a site's dated 讯 mark, 快讯, an occasion before the day, 举办 by a 局) and
a doc site's date before its toolbar."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks.extract import extract_fields
from tasks.normalize import normalize_text

REFLECTION_BODY = (
    "西柏坡，这是一个令人肃然起敬的地方，这里的土屋，这里曾经的故事，都让我产生了颇多感悟。\n"
    "望着巨大的“两个务必”的标语：务必使同志们继续地保持谦虚、谨慎、不骄、不躁的作风。\n"
    "此次实践教学，实地学习了中央统一战线纪念馆，更加深切地体会到团结合作的意义。\n"
)
SPEECH_BODY = (
    "今天是我们学校首次联合举办毕业典礼，很荣幸代表全体毕业生致词。\n"
    "这几年的大学生活，也将在今天画下美丽的休止符，心中虽然荡漾着离愁与感伤，却也欣喜分享着大家的成长与喜悦。\n"
    "我们感谢师长给予我们的教导及行政部门提供的各项服务，让我们具备更深入的知识。\n"
)


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


@pytest.mark.parametrize(
    "title",
    ["2020年党外干部培训班学习体会", "学习胡领导讲话学习心得", "《平凡的世界》读后感", "观看《焦裕禄》观后感"],
)
def test_a_written_reflection_is_typed_none(title):
    # its body quotes `同志们`, its title may name the 讲话 it studied: neither makes it a speech
    assert _fields(f"{title}\n{REFLECTION_BODY}")["doc_type"] is None


def test_a_reflection_meetings_speech_keeps_its_kind():
    assert _fields(f"在学习心得体会交流会上的发言\n{REFLECTION_BODY}")["doc_type"] == "发言"
    assert _fields(f"在全县学习体会交流大会上的讲话\n同志们：\n{REFLECTION_BODY}")["doc_type"] == "讲话"


@pytest.mark.parametrize("title", ["会议主持词格式", "表态发言稿怎么写", "述职报告的写法", "如何写好讲话稿"])
def test_a_writing_guide_is_no_text_of_its_genre(title):
    body = "会议主持词一般应由标题、正文和结语三部分组成。\n介绍与会人员。介绍顺序要按照级别和重要程度由高到低、由外到内。\n"
    assert _fields(f"{title}\n{body}")["doc_type"] is None


def test_a_genres_own_title_keeps_its_kind():
    body = "同志们：\n现在开会。今天的会议主要有两项议程，第一项是传达省政府全体会议精神。\n下面进行第一项议程。\n"
    assert _fields(f"市政府第四次全体会议主持词\n{body}")["doc_type"] == "主持词"


@pytest.mark.parametrize(
    "salutation",
    [
        "李董事长、苏校长各位嘉宾、各位师长、各位毕业生，还有默默支持我们的家属朋友们大家好：",
        "进修学院运修系二A 陈荣哲同学\n李董事长 苏校长 各位师长 各位贵宾\n各位学弟妹大家好",
    ],
)
def test_guests_named_before_the_greeting_make_an_address(salutation):
    assert _fields(f"{salutation}\n{SPEECH_BODY}")["doc_type"] == "致辞"


def test_a_salutation_without_guests_stays_a_speech():
    raw = f"李董事长 苏校长 各位师长 各位同事\n各位学弟妹大家好\n{SPEECH_BODY}"
    assert _fields(raw)["doc_type"] == "讲话"


def test_a_governments_report_to_the_standing_committee_is_a_report():
    raw = (
        "汕头市潮阳区审计局局长 郑创平\n2023年9月28日\n主任、各位副主任、各位委员：\n"
        "我受区人民政府的委托，向区人大常委会报告2022年度区本级预算执行和其他财政收支审计情况，请予审议。\n"
        "根据审计法规定和区委审计委员会批准的审计计划，区审计局依法审计了2022年度区级预算执行情况。\n"
        "报告期间内共完成审计项目19个，共查出问题330项，提出审计建议47条。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "报告"
    assert f["delivered_on"] == dt.date(2023, 9, 28)
    # the same officer reporting on no commission to the committee: no type from this rule
    assert _fields(raw.replace("我受区人民政府的委托，向区人大常委会报告", "下面报告"))["doc_type"] != "报告"


NOTICE = (
    "各镇（街道）、市直各单位、八届政协委员：\n"
    "经市政协八届四次常委会议研究决定，政协天长市第八届委员会第二次会议于2008年1月14日至17日在市区举行，会期四天。"
    "现将有关事项通知如下：\n"
    "一、出席、特邀和列席会议人员\n出席会议人员：八届政协委员。特邀参会人员：市领导班子成员。\n"
    "二、请各人民团体党政主要负责人于1月14日下午到天长宾馆三号楼大厅报到，领取会议材料。\n"
    "特此通知\n政协天长市委员会\n二OO八年一月七日\n"
)


def test_a_notice_is_typed_by_its_own_formula_and_dated_by_its_signature():
    f = _fields(NOTICE)
    assert f["doc_type"] == "通知"
    assert f["delivered_on"] == dt.date(2008, 1, 7)
    assert f["year"] == 2008
    assert _fields(NOTICE.replace("二OO八", "二ＯＯ八"))["delivered_on"] == dt.date(2008, 1, 7)


def test_a_press_conference_feature_is_news():
    raw = (
        "总理记者会：李克强两个半小时答17个问题，喝一杯半水\n"
        "新京报快讯（记者 王姝 李玉坤）3月15日上午，十三届全国人大二次会议闭幕后，国务院总理李克强会见了中外记者。"
        "记者会10点半准时开始，在长达2小时30多分钟的提问环节中，李克强回答了17个问题。\n"
        "落座后，李克强说，“首先感谢记者朋友们为中国两会报道所付出的辛劳，记者会时间有限，就请提问吧。”\n"
        "第一个提问的是路透社记者。他问道，面对经济下行压力，中国会采取哪些措施。\n"
    )
    assert _fields(raw)["doc_type"] == "新闻报道"
    # the transcript's headline ends on the press conference: still its answers
    transcript = (
        "李克强总理答中外记者问（全文）\n" + raw.split("\n", 1)[1] + "新华社记者：请问总理，\n李克强：谢谢你的提问。\n"
    )
    assert _fields(transcript)["doc_type"] == "答记者问"


def test_a_headline_quoting_the_spokesman_is_no_answer_turn():
    raw = (
        "赵启正：今天记者们所提的问题都良好以上的！\n"
        "中国经济网北京3月2日讯（中国经济信息记者张超）3月2日下午，全国政协十一届五次会议新闻发布会在人民大会堂三楼"
        "金色大厅召开，全国政协十一届五次会议新闻发言人赵启正答中外记者问。\n"
        "原定于1小时的发布会却开了将近2个小时。期间，发言人赵启正先后回答了17家中外媒体记者的问题。\n"
    )
    f = _fields(raw, url="http://msn.finance.sina.com.cn/gdxw/20120302/1858738380.html")
    assert f["doc_type"] == "新闻报道"
    assert f["delivered_on"] == dt.date(2012, 3, 2)


def test_an_organ_holding_its_event_on_the_day_after_yu_is_news():
    raw = (
        "为深入学习《习近平谈治国理政》的深邃思想和伟大实践，引领党支部党员坚持用党的创新理论成果武装头脑，外国语学院"
        "19级学生党支部英语专业党小组分别于9月17日晚上7点、9月27日上午10点在腾讯会议召开《习近平谈治国理政》第四卷"
        "读书分享会。会议分别由张某、谢某主持。\n"
        "会议伊始，张某从出版背景、主要内容等几个方面介绍了第四卷的基本框架。\n全体党员纷纷发言分享读书心得。\n"
    )
    assert _fields(raw)["doc_type"] == "新闻报道"
    # a speech's own opening never says so of its meeting
    assert _fields("同志们：\n" + raw.replace("召开", "召开了"))["doc_type"] == "讲话"


def test_a_bureau_holding_its_meeting_under_a_news_mark_is_news():
    raw = (
        "临汾新闻网讯（记者 郭秀婷）在新中国成立70周年之际，为推进全市书香校园建设，6月28日，市委教育工作委员会、"
        "市教育局在市第二小学举办了“超星杯”读书征文活动表彰大会。\n"
        "此次征文活动自今年3月份开展以来，得到全市广大师生的积极响应，最终评选出一二三等奖170余人。\n"
    )
    assert _fields(raw)["doc_type"] == "新闻报道"


def test_an_occasion_before_the_leads_day_is_cut_before_the_day_is_read():
    raw = (
        "在新春佳节即将来临之际，1月18日下午，商城县2023年社会各界人士迎新年座谈会召开。县委书记胡某，县人大常委会"
        "主任蒋某出席会议。朱某主持座谈会。\n"
        "会上，涂某代表县政府通报了全县经济社会发展情况，各界人士代表作了交流发言。\n胡某发表了热情洋溢的讲话。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert f["delivered_on"] == dt.date(2023, 1, 18)


def test_a_doc_sites_date_before_its_toolbar_is_the_pages():
    raw = (
        "誓师大会代表发言稿\n\n2022-07-30 版权声明 我要投稿\n\n"
        "一份好的发言稿不仅让发言者更加胸有成竹，而且能让受众更好的理解发言的内容，获取受众的支持。\n"
        "第1篇：誓师大会代表发言稿\n全国人大代表王某：中国文学在海外市场被接受程度有限，很少有读者能看到书。\n"
    )
    f = _fields(raw)
    assert f["published_on"] == dt.date(2022, 7, 30)
    assert f["delivered_on"] is None


def test_a_dateless_leads_national_session_gives_its_year():
    raw = (
        "总理记者会：李克强两个半小时答17个问题\n"
        "新京报快讯（记者 王姝）3月15日上午，十三届全国人大二次会议闭幕后，国务院总理李克强会见了中外记者。"
        "记者会10点半准时开始，李克强回答了17个问题。\n"
        "落座后，李克强说，“首先感谢记者朋友们为中国两会报道所付出的辛劳。”\n"
    )
    f = _fields(raw)
    assert f["delivered_on"] == dt.date(2019, 3, 15)
    assert f["year"] == 2019
    # a local congress's session names no national year
    local = _fields(raw.replace("十三届全国人大二次会议", "十三届市人大二次会议"))
    assert local["delivered_on"] is None
