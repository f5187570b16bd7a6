"""Speakers and offices a careful reader gets right and the extractor did not (session 60's fresh pages, eighteenth
round): diplomats' offices, Hong Kong's name before its offices, a later paragraph's guests who spoke."""

from __future__ import annotations

from tasks.extract import _strip_jurisdiction, extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


def test_an_ambassador_who_spoke_is_the_speaker():
    # `大使` was no office: a wire's item on the ambassador's address had no speaker
    raw = (
        "中国驻菲大使出席第十届世界福建同乡恳亲大会\n"
        "中新社马尼拉11月25日电 (记者 张某某)中国驻菲大使黄某某25日出席在菲律宾马尼拉举行的第十届世界福建同乡恳亲大会并致辞。\n"
        "黄某某对大会的召开表示热烈祝贺，高度赞扬闽籍乡亲秉持爱国爱乡的优良传统。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("黄某某", "大使")


def test_a_consul_general_after_a_guest_list_is_the_speaker():
    # `总领事` (the office word 领事) was none: the consul general whose words the item reports was nobody
    raw = (
        "新中国60周年庆旧金山侨界同欢\n"
        "据媒体报道，庆祝中华人民共和国国庆60周年公宴19日晚在旧金山华埠酒楼举行，2500多人参加了盛会。\n"
        "中领馆总领事高某某在晚宴上发表讲话：华埠街头，红幅高挂，喜气洋洋。他代表总领馆，向各位侨胞致以节日的问候。\n"
        "他说，百年前的旧中国，饱受外国列强的欺凌。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("高某某", "总领事")


def test_a_mission_is_no_part_of_a_diplomats_office():
    assert _strip_jurisdiction("中国驻菲大使") == "大使"
    assert _strip_jurisdiction("中领馆总领事") == "总领事"
    assert _strip_jurisdiction("中国驻悉尼总领事馆副总领事") == "副总领事"
    # an embassy's name is no ambassador
    assert _strip_jurisdiction("大使馆参赞") == "大使馆参赞"


def test_hong_kongs_name_is_no_part_of_its_councils_office():
    raw = (
        "香港第六届立法会办惜别晚宴\n"
        "中新社香港10月25日电 (记者 曾某)即将结束会期的香港特区第六届立法会25日举行惜别晚宴。\n"
        "香港特区立法会主席梁某某在晚宴致辞时表示，过去5年立法会发生了很多前所未有的事。\n"
        "梁某某认为，官员和议员之间的“火花”可以当作磨练。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("梁某某", "立法会主席")
    assert _strip_jurisdiction("澳门特区行政法务司司长") == "行政法务司司长"


def test_a_later_paragraphs_guests_who_spoke_rank_below_the_leads_actor():
    # the lead's actor leads the delegation and gives the keynote; the guests who welcomed him in the next paragraph,
    # listed as speaking together, are not the item's speaker (once 总领事 is an office the list reached the verb)
    raw = (
        "5月22日至25日，上海市市长龚某率上海市代表团访问美国纽约市。访问期间，龚某会见纽约市市长亚当斯，"
        "出席“投资上海”海外行系列活动并发表主旨演讲。\n"
        "5月23日，“投资上海”海外行系列活动成功举办，200多位政商界人士出席。美中贸易全国委员会会长艾伦、"
        "中国驻纽约总领事黄某等致辞。龚某作主旨推介。\n"
        "会见亚当斯时，龚某说，上海和纽约同为两国经济规模最大的都市。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("龚某", "市长")
    assert f["region"] == "上海市"


def test_a_head_named_before_his_office_who_addressed_the_event_outranks_a_silent_guest():
    # the guest list's association head (`…协会会长卢某…参加活动`) says nothing; the consul general named before his office
    # gave the address
    raw = (
        "严某某总领事出席总领馆与侨界兔年春节联谊活动\n"
        "1月13日，驻累西腓总领馆举行兔年春节侨界联谊活动，严某某总领事致辞并为获奖者颁奖。旅巴老侨代表刘某某，"
        "累西腓华侨华人协会会长卢某某、中巴工商外贸联合总会会长陈某以及累西腓市侨胞代表参加活动。\n"
        "严总领事表示，本次活动的主题是“温暖迎春”，今天与大家欢聚一堂是给大家送温暖、送祝福。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("严某某", "总领事")


def test_a_director_named_before_his_office_who_addressed_them():
    raw = (
        "【大纪元2015年10月02日讯】(大纪元记者曹某某旧金山报导)周三(9月30日)上午，驻旧金山台北经济文化办事处向灣区"
        "北部获得侨务荣誉职的人士颁发了聘书。马某某处长一一给每位颁发聘书。\n"
        "马某某处长致辞表示，在座的侨社前辈和首长们，多年来一贯支持孙中山先生所提倡的理念。\n"
        "经文处副处长钟某某、旧金山文教中心主任吴某某等出席颁证仪式。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("马某某", "处长")


def test_a_county_media_centres_byline_run_into_the_lead_marks_a_news_report():
    # `云上嘉鱼报道（全媒体记者…）2月12日，…`: the outlet's byline with its reporters, no bracket around the mark
    raw = (
        "云上嘉鱼报道（全媒体记者熊某 通讯员叶某 李某某）2月12日，正月初三，嘉鱼县举行2024年新春联谊暨招商推介会，"
        "县委书记王某某，县委副书记、县长胡某某，县领导李某某、余某某等，与企业家、乡贤欢聚一堂。\n"
        "王某某致新年贺词。他说，过去的一年，极不平凡。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("王某某", "县委书记")


def test_a_reporters_byline_fused_into_the_lead_marks_a_news_report():
    from tasks.extract import NEWS_MARK_RE

    assert NEWS_MARK_RE.match("记者吴某某报道 星期天(10月27日)晚上，第八届恳亲大会欢迎晚宴在悉尼举行。")
    assert NEWS_MARK_RE.match("王某某报道7月30日，全县防汛工作会议召开。")
    # a sentence about reporting is no byline: the mark wants the reporters' bracket or the day right after it
    assert not NEWS_MARK_RE.match("新闻报道的真实性是新闻的生命，7月30日我们要再次强调。")


def test_the_first_reported_speaking_outranks_a_guest_the_lead_names_first():
    # the lead names the visiting deputy mayor first; the host association's head spoke first (`谢某致辞。`), his office
    # given with the association's short name in brackets
    raw = (
        "第八届世界龙岩同乡恳亲联谊大会欢迎晚宴\n"
        "记者吴某某报道 星期天(10月27日)晚上，第八届世界龙岩同乡恳亲联谊大会欢迎晚宴在悉尼举行。\n"
        "龙岩市副市长郭某某带领的市代表团、中国驻悉尼总领事馆副总领事米某等政要以及当地各大社团近700人出席了晚宴。\n"
        "谢某某致辞。\n"
        "主办方代表，澳大利亚龙岩同乡会(以下简称“龙岩同乡会”)会长谢某某致欢迎辞，代表全体旅澳的龙岩乡亲表示热烈欢迎。\n"
        "龙岩市副市长郭某某在致辞中说，她受中共龙岩市委书记的委托，感谢龙岩同乡会和乡亲们的款待。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("谢某某", "会长")


def test_a_head_who_leads_a_team_out_is_the_news_speaker():
    # `区长胡某带队深入…调研`: 带队 as 率队
    raw = (
        "本报讯 (记者 韩某某 王某某)8月15日6时30分，区长胡某某带队深入重点项目建设一线开展督导调研。区领导韩某某、马某，"
        "相关街道、区直相关部门负责同志参加调研。\n"
        "在西坑公园暖心驿站，胡某某一行实地查看便民设施运行情况。他指出，要认真践行人民城市理念。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"], f["admin_level"]) == ("胡某某", "区长", "county")


def test_an_officer_who_went_to_inspect_is_a_news_leads_actor():
    # `…书记李某到四联社区、…，督导检查…`: a street office's item quoting nobody as `某某指出，`
    raw = (
        "8月21日，街道党工委书记李某某到四联社区、华侨新村社区、志盛社区，督导检查市容环境品质提升及疫情防控工作。\n"
        "在四联社茂盛居民小组，某某同志实地检查排水排污、道路、城中村环境综合整治落实情况，要求社区切实负起牵头抓总的作用。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert f["speaker_name"] == "李某某"
