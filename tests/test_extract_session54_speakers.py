"""Speakers a careful reader finds and the extractor missed (session 54's fresh pages, twelfth round)."""

from __future__ import annotations

import pytest

from tasks.extract import _strip_jurisdiction, _title_speaker, extract_fields
from tasks.extract_text import is_byline_name
from tasks.normalize import normalize_text


def _fields(raw: str) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)


# ---------------------------------------------------------------- a campus's, a firm's or an agency's news item


@pytest.mark.parametrize(
    ("lead", "name", "office"),
    [
        # a university's item: the organiser, its day, the event held; the head named office first
        (
            "臺東大學6月1日上午在該校綜合體育館舉辦畢業典禮,校長陳建宏特別為每位畢業生親筆書寫祝福卡片,"
            "希望這份溫暖能成為畢業生們展翅高飛的支持力量。陳建宏表示,每個名字背後都是父母對孩子最虔誠的期望。",
            "陈建宏",
            "校长",
        ),
        # a background clause before the organiser, and the head's words to the graduates (`鼓勵`)
        (
            "受疫情警戒影響,臺北大學19日透過線上直播舉辦109學年度畢業典禮,校長李承嘉鼓勵全校2601位畢業同學,"
            "面對未來要全力以赴,隨時廣泛學習。",
            "李承嘉",
            "校长",
        ),
        # a wire service's stamp, a ROC year, and who presided in person
        (
            "(中央社訊息服務20150601 11:55:37)行政院海岸巡防署於104年6月1日上午10時假所屬海岸巡防總局中正堂舉行"
            "總局長布達交接暨宣誓典禮,典禮由署長王崇儀親自主持。",
            "王崇仪",
            "署长",
        ),
    ],
)
def test_a_lead_dated_after_its_organiser_is_news_and_names_the_head(lead, name, office):
    raw = (
        f"{lead}\n"
        "典禮在莊嚴的國歌聲中開始,與會師生共同回顧了一年來的成績,並對畢業生的未來寄予厚望。\n"
        "典禮在熱烈的掌聲中圓滿結束,畢業生與師長合影留念,場面溫馨感人。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == (name, office)


def test_a_writers_credit_is_no_byline_and_a_head_named_first_addresses_the_event():
    raw = (
        "撰文/校友總會楊裕貿秘書長\n"
        "母校109級畢業典禮於5月30日上午舉行。典禮以「力行近仁」為主題,期勉畢業學子勇敢追求人生目標,承擔大任。\n"
        "今年因受到疫情影響,典禮簡單而隆重。王如哲校長致詞恭賀畢業生學習有成,期許同學應大膽築夢並且勇於追求圓夢。\n"
        "校友總會賴清標理事長、簡嘉助常務理事、潮州高中林榮洲校長三位嘉賓到校祝賀。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("王如哲", "校长")


@pytest.mark.parametrize("count", ["三位嘉宾", "两名代表", "几位同志"])
def test_a_count_of_people_is_no_name(count):
    assert not is_byline_name(count)


def test_a_first_person_opening_on_its_schools_day_is_no_news():
    raw = (
        "我们学校9月1日上午在体育馆隆重举办开学典礼,我代表学校向新同学表示热烈的欢迎!\n"
        "同学们,新的学期开始了,希望大家珍惜时光,刻苦学习,全面发展,不辜负老师和家长的期望。\n"
        "我们要牢记校训,立志成才,为学校争光,为祖国的繁荣富强贡献自己的力量。\n"
    )
    assert _fields(raw)["doc_type"] != "新闻报道"


# ---------------------------------------------------------------- a body's name before its head's office


@pytest.mark.parametrize(
    ("office", "want"),
    [
        ("国家电力投资集团有限公司董事长、党组书记", "董事长、党组书记"),
        ("市四医院院党委书记、院长", "党委书记、院长"),
        ("↑台北大学校长", "校长"),
        ("中国化学会理事长", "理事长"),
        ("集团董事长", "董事长"),
        ("上海交通大学医学院附属瑞金医院院长", "院长"),
        # a bare 主席 or 主任 keeps its body: it says nothing without it
        ("青石商会主席", "青石商会主席"),
        ("大学校长办公室主任", "大学校长办公室主任"),
        # government bodies are the office as named (HK's bureaux)
        ("民政事务局局长", "民政事务局局长"),
    ],
)
def test_a_schools_firms_or_associations_name_is_no_part_of_its_heads_office(office, want):
    assert _strip_jurisdiction(office) == want


def test_a_hospital_heads_byline_keeps_the_office_without_the_hospital():
    raw = (
        "喜迎国庆中秋佳节致辞\n市四医院院党委书记、院长  夏大\n亲爱的医院全体干职工及病友:\n"
        "秋风送爽,丹桂飘香。值此,我谨代表医院党政班子向努力工作、辛勤付出的全院干职工致以节日的问候和崇高的敬意!\n"
        "在已过去的九个月里,我院全院干职工紧密团结、立足岗位、无私奉献,医院院容院貌全面提升。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("夏大", "党委书记、院长")


@pytest.mark.parametrize("branch", ["党总支", "党支部"])
def test_a_party_branch_before_its_secretary_is_an_organ_not_a_name(branch):
    assert _title_speaker(f"{branch}书记在2026年春季学期开学典礼上的讲话")[:2] == (None, f"{branch}书记")


# ---------------------------------------------------------------- headings and leads that name the speaker


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("苏慧贞校长108级毕业典礼致词全文", ("苏慧贞", "校长")),  # a university's page: the full text so named
        ("2023年医院职工大会上的院长讲话", (None, "院长")),  # a doc site's heading: the event's 上的 before the office
    ],
)
def test_a_title_names_the_office_after_its_occasion(title, want):
    assert _title_speaker(title)[:2] == want


def test_a_heading_above_the_speech_title_names_the_office():
    raw = (
        "2023年医院职工大会上的院长讲话\n在医院职工代表大会上的讲话\n各位职工代表、同志们:\n"
        "我院第六届职工代表大会第二次会议在全体代表和工作人员的共同努力下,已圆满完成各项议程。\n"
        "下面,我代表医院行政再讲几点意见。一、凝聚共识,共识是团结奋斗的动力。\n"
    )
    f = _fields(raw)
    assert f["title"] == "在医院职工代表大会上的讲话"
    assert f["speaker_title"] == "院长"


@pytest.mark.parametrize(("heading", "name"), [("吴鸣会长短言", "吴鸣"), ("李华会长寄语", "李华")])
def test_a_forum_heading_names_the_writer_before_the_office_and_its_genre(heading, name):
    raw = (
        f"北极星195566 发表于 2023-5-2 22:44\n\n{heading}\n\n"
        "会员们大家好:今天我想和大家说说心里话,我当会长有十来年了,其中经历了很多事情,在大家的支持下我们扩大了协会面积,"
        "加固维修了泳池。今年到了换届选举的时候了,由于我的任期已满,我主动退出会长竞选,坚决支持换届选举工作。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == (name, "会长")


def test_a_press_release_hands_over_to_a_statement():
    raw = (
        "行政長官李家超發表聲明指,於11月27日收到中央人民政府發出的函件,要求行政長官就有關情況向中央政府提交報告。\n"
        "以下是行政長官李家超11月28日就《香港國安法》向中央人民政府提交報告發表的聲明:\n"
        "我昨天收到中央人民政府按《香港國安法》第11條發出的函件,要求行政長官提交報告。我就此召開了委員會的會議。\n"
        "現在,我以香港特區行政長官的身分作出聲明。維護國家主權、安全和發展利益是「一國兩制」方針的最高原則。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("李家超", "行政长官")


# ---------------------------------------------------------------- a task force's role after the office


@pytest.mark.parametrize(
    ("office", "want"),
    [
        ("党委书记、第四次党代会筹备工作领导小组组长", "党委书记"),
        ("县委书记、县扶贫开发领导小组组长", "县委书记"),
        ("区长、区防汛抗旱指挥部总指挥", "区长"),
        # two standing offices stay, and a group's head alone is the only office given
        ("党组书记、主任", "党组书记、主任"),
        ("市委副书记、市人大常委会主任", "市委副书记、市人大常委会主任"),
        ("领导小组组长", "领导小组组长"),
    ],
)
def test_a_task_forces_role_after_the_standing_office_is_no_part_of_it(office, want):
    assert _strip_jurisdiction(office) == want


def test_a_news_items_secretary_keeps_the_office_without_the_task_force():
    raw = (
        "3月12日上午,學校召開黨委全委會,黨委書記、第四次黨代會籌備工作領導小組組長張偉作講話,會議由校黨委副書記"
        "張殿臣主持,會議審議通過了黨代會有關事項。\n"
        "張偉指出,開好學校第四次黨代會對加強學校建設具有積極的推動作用,全校上下要群策群力、同心同德。\n"
        "張殿臣強調,各工作小組要按照有關分工和工作要求,扎實細致地做好各項工作。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("张伟", "党委书记")
