"""Speakers a careful reader finds and the extractor missed (session 55's fresh pages, thirteenth round)."""

from __future__ import annotations

import pytest

from tasks.extract import _strip_jurisdiction, _title_speaker, extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)


# ---------------------------------------------------------------- association, school and council items with no dated lead


@pytest.mark.parametrize(
    ("raw", "name", "office"),
    [
        # the head reported speaking in his remarks (`在致辭中表示`), the lead's day in words only
        (
            "某某同鄉會慶成立二十周年\n"
            "澳門某某同鄉會於昨晚假酒樓舉行成立二十周年慶祝晚宴,多位社團代表及嘉賓出席,場面熱鬧。\n"
            "會長陳大文在致辭中表示,同鄉會成立以來一直致力團結鄉親,服務社會,今後將繼續秉持創會宗旨。\n"
            "理事長李小明在致謝詞中感謝各界人士一直以來的支持,期望大家繼續關心會務發展。\n",
            "陈大文",
            "会长",
        ),
        # …or at the dinner (`在晚宴上表示`), the lead dated nowhere
        (
            "今年是某某青年商會成立四十周年,該會邀請了來自各地的一百多位嘉賓歡聚一堂,共同慶祝這個重要的里程碑。\n"
            "活動安排了圓桌交流,各地代表就產業發展狀況及成功經驗進行交流,並共同探討未來合作的方向。\n"
            "某某青年商會會長黃志強在晚宴上表示,商會一直致力於促進青年創新,期望與海外會員加強合作交流。\n",
            "黄志强",
            "会长",
        ),
        # a Taiwanese primary school holding the event `昨日` (no digits), the head's words to the graduates
        (
            "古城國小昨日舉行第57屆畢業典禮,在樂團演奏下揭開序幕,師長、家長齊聚一堂歡送畢業生。\n"
            "校長楊大同期勉畢業學子要傑出須先付出,要出頭須先埋頭,並祝福大家前程似錦。\n"
            "典禮中並頒發各項獎項,現場離情依依,畢業生與師長合影留念。\n",
            "杨大同",
            "校长",
        ),
        # the host's role before the office (`主持人校長`), the event held `昨天上午` after a scene clause
        (
            "六月是別離的時節,介壽國中小昨天上午為國中部、國小部的同學舉辦一場溫馨的畢業典禮。\n"
            "典禮前,學校特別安排學生國樂演奏以及直笛表演,讓所有來賓及家長一睹孩子的成長。\n"
            "主持人校長林國棟表示,畢業不是結束,而是另一個里程的開始,他恭喜每一位表現優異的學子。\n",
            "林国栋",
            "校长",
        ),
        # who attended and whom he stood for are no part of the office (`出席典禮的行政長官代表、`)
        (
            "某某國際商會就職典禮今晚隆重舉行,商會成立十五年來一直是連接澳門與東盟國家的重要橋樑。\n"
            "出席典禮的行政長官代表、社會文化司司長歐陽瑜在致辭中表示,對商會所取得的成績表示充分肯定。\n"
            "商會主席陳海生表示,商會將積極推動澳門與東盟國家全方位的合作。\n",
            "欧阳瑜",
            "社会文化司司长",
        ),
    ],
)
def test_an_association_or_school_item_names_the_head_reported_speaking(raw, name, office):
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == (name, office)


def test_a_council_item_names_its_speaker_who_hosts_not_the_mayor_who_came_too():
    # a Taiwanese council's 議長 hosts; the mayor `也率` his team (read as `張國華也` before)
    raw = (
        "農曆新年將至,某某市議會6日舉行新春聯誼餐會,邀請議員、議會員工齊聚一堂,回顧過去一年的成果。"
        "議長王美玲與多位議員同台舉杯,並合唱歌曲向同仁致意;市長張國華也率市府各局處首長親臨現場祝賀。\n"
        "王美玲議長表示,感謝議會同仁一年來的專業與付出,也肯定議員們為市民嚴格把關市政。\n"
        "張國華市長則感謝議員們長期以來對市政的監督與支持。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("王美玲", "议长")


def test_a_speaker_named_with_a_title_of_courtesy_is_read_a_listed_guest_is_not():
    lead = (
        "某某歐洲商會為慶祝成立五周年舉行誌慶酒會,嘉賓雲集,包括經濟財政司司長李明先生、旅遊局局長陳芳女士,"
        "以及歐洲各國駐港澳總領事。\n"
        "商會秉承宗旨,在過去一年積極推動澳門與歐洲的雙邊關係發展,舉辦了多項交流活動並取得豐碩成果。\n"
    )
    spoke = "某某歐洲商會理事會主席陳家明教授於致辭時說:「新時代的機遇出現眼前,商會將繼續擔當合作平台的角色。」\n"
    f = _fields(lead + spoke)
    assert f["doc_type"] == "新闻报道"
    assert f["speaker_name"] == "陈家明"
    # the guests named with 先生/女士 in the list speak nowhere: no speaker rather than one of them
    assert _fields(lead)["speaker_name"] is None


def test_a_speech_quoting_its_superior_at_a_meeting_stays_a_speech():
    # `在大會上指出` is a meeting, not a dinner or a ceremony: what a speech says of its superiors
    raw = (
        "在全市經濟工作會議上的講話\n"
        "同志們:\n"
        "省委書記在全省大會上指出,要堅定不移推動高質量發展。我們要認真學習領會,抓好貫徹落實。\n"
        "下面,我講三點意見。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "讲话"
    assert f["speaker_name"] is None


# ---------------------------------------------------------------- offices in doc-site and school titles


@pytest.mark.parametrize(
    ("title", "office"),
    [
        # a doc site's 关于 before the title it files: no name, no part of the office
        ("关于院长新春致辞", "院长"),
        ("关于县长在全县大会上的讲话", "县长"),
        ("关于市委书记在全市大会上的讲话", "市委书记"),
        # the body before its own head's office (as _strip_institution has it in a byline)
        ("医院院长新年致辞", "院长"),
        ("某某中学校长开学致辞", "校长"),
        # a head's words sent to an audience the title names, under a school year
        ("108学年度县长给国小毕业生祝福词", "县长"),
        ("校长给全体毕业生的一封信", "校长"),
    ],
)
def test_a_title_names_the_office_around_a_doc_sites_or_a_schools_words(title, office):
    assert _title_speaker(title) == (None, office, False)


def test_a_filed_title_without_an_office_gives_none():
    assert _title_speaker("关于加强作风建设的讲话") == (None, None, False)
    assert _title_speaker("关于县长工作的讲话") == (None, None, False)  # the office is the topic
    assert _title_speaker("关于王明同志在大会上的讲话")[:2] == ("王明", None)


def test_a_school_notice_names_the_office_its_title_gives_not_its_uploaders_role():
    raw = (
        "108學年度縣長給國小畢業生祝福詞\n"
        "上一則公告 下一則公告\n"
        "一般公告 / 張貼者 教務主任\n"
        "張貼日期: 2020-06-15 09:34:43 點閱:1452\n"
        "親愛的畢業生:\n"
        "時序進入夏天,校園裡火紅盛開的鳳凰花,意味著畢業季節的來臨。六年來認真過的每一天,一幕幕浮現在腦海,"
        "這是成長的足跡,更是行囊中的珍貴回憶。縣長以下列三點和畢業生共勉,祝福大家前程似錦。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == (None, "县长")
    assert f["admin_level"] == "county"


@pytest.mark.parametrize(
    ("office", "bare"),
    [("永福国小校长", "校长"), ("介寿国中小校长", "校长"), ("某某高中校长", "校长"), ("某某国中党委书记", "党委书记")],
)
def test_a_taiwanese_schools_name_leaves_its_heads_office(office, bare):
    assert _strip_jurisdiction(office) == bare


# ---------------------------------------------------------------- a principal calling himself by his office


PRINCIPAL = (
    "各位貴賓、各位家長及本校同仁,以及我最親愛的六年級畢業生,大家晚安:\n"
    "首先要感謝各位貴賓及家長蒞臨本校,共同見證本屆畢業生成長的喜悅與榮耀的時刻。\n"
    "其次,校長要恭喜今天即將畢業的52位畢業生,你們在國小6年期間努力學習,校長以你們為榮,也以你們為傲。\n"
    "畢業前校長仍要給畢業生幾句叮嚀,希望你們能夠牢記在心。未來你們要面對更困難的學習,"
    "校長希望大家帶著勇氣努力求學,學習你感興趣的事物。\n"
)


def test_a_principals_address_naming_him_by_his_office_gives_it():
    f = _fields("一○八學年度畢業生致詞稿\n" + PRINCIPAL)
    assert (f["speaker_name"], f["speaker_title"]) == (None, "校长")


def test_a_pupils_speech_thanking_the_principal_gives_no_office():
    raw = (
        "畢業生代表致詞\n"
        "敬愛的校長、各位老師、親愛的同學們:\n"
        "六年來,感謝校長和老師們辛勤的付出,校長的每一句叮嚀我們都記在心裡。"
        "還記得一年級時,校長在升旗典禮上說過的話,我們一直不敢忘記。\n"
        "今天我們就要畢業了,我們會帶著母校的期許繼續努力,謝謝校長,謝謝老師。\n"
    )
    assert _fields(raw)["speaker_title"] is None
