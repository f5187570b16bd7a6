"""Speakers a careful reader gets right and the extractor did not (session 61's fresh pages, nineteenth round): the
officer an untyped report has speaking, a chair's event word before 由."""

from __future__ import annotations

from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


def test_an_undated_township_item_names_the_head_it_reports_speaking():
    # no date, mark or headline opens the lead: the item was untyped and had no speaker
    raw = (
        "鄉長李某某現場並準備紅包發放給公所同仁,為新的一年祈願平安健康,現場喜氣洋洋同仁熱情參與。"
        "李某某表示,期許新的一年有新氣象,鼓勵同仁盡心盡力為民服務,讓西嶼鄉業務得以順利推動執行。\n"
        "李某某指出,鄉公所的運作須以福民、利民為重任,希望新的一年大家共同努力,以服務鄉親為己任。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("李某某", "乡长")


def test_an_overseas_reception_names_the_representative_who_spoke():
    # a TV station's bracket with no 記者/報導 pattern the news marks know: untyped, no speaker
    raw = (
        "【KTSF 某某某報導】\n\n"
        "駐舊金山台北經文處週四傍晚在中半島的一家酒店內舉辦雙十國慶酒會,慶祝中華民國建國112年。\n\n"
        "處長賴某某說︰「今天這個場合除了是慶祝中華民國生日之外,這也代表我們僑胞以及美國朋友,對於自由民主的支持。」\n\n"
        "賴某某致詞時指出,今年至今已有28個美國訪團到台灣訪問。\n"
    )
    assert _fields(raw)["speaker_name"] == "赖某某"


def test_a_speech_in_its_own_voice_takes_no_officer_from_its_body():
    # the opening speaks in the first person before the officer's clause: a speech, not a report of one
    raw = (
        "今天我们召开全县经济工作会议,主要任务是总结去年工作,安排部署今年任务。\n"
        "刚才,县委书记张某某作了重要讲话,大家要认真学习领会。张某某强调,要坚定信心,真抓实干。\n"
    )
    assert _fields(raw)["speaker_name"] is None


def test_the_event_a_chair_presided_is_no_part_of_his_office():
    # `結盟儀式由金沙鎮鎮長陳某某…`: the office read as 结盟仪式由金沙镇镇长
    raw = (
        "金沙鎮與褒忠鄉昨締盟\n"
        "金沙鎮、褒忠鄉昨日締結姊妹鎮,兩位鄉鎮長代表簽立並交換結盟證書。\n"
        "結盟儀式由金沙鎮鎮長陳某某、褒忠鄉鄉長陳某在代表會主席的監證簽下結盟證書,締結姊妹關係。\n"
        "陳某某表示,金沙鎮於民國六十三年時與屏東東港鎮締結姊妹鎮,期許雙方情誼長長久久。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("陈某某", "镇长")


def test_a_diplomat_written_surname_office_given_name_is_named():
    # `石公使澄茂`, `劉大使德立`: the office splits the name, so no rule read one (session 60 left 劉大使德立)
    raw = (
        "南非僑界慶祝中華民國104年元旦升旗典禮,於104年(1)月1日上午在約堡華心中文學校廣場舉行,"
        "駐處石公使澄茂偕全體員眷與200餘位僑團代表與會。駐處石公使應邀致詞時表示駐處今年會更努力為僑民服務。\n"
    )
    assert (_fields(raw)["speaker_name"], _fields(raw)["speaker_title"]) == ("石澄茂", "公使")
    raw = "劉大使德立伉儷出席僑界國慶酒會。劉大使致詞表示,感謝僑胞長期支持。\n"
    assert (_fields(raw)["speaker_name"], _fields(raw)["speaker_title"]) == ("刘德立", "大使")


def test_a_consul_s_verb_after_his_surname_and_office_is_no_given_name():
    # `陈领事指出，`: 指出 is what he did, not his given name
    raw = (
        "澳洲和统会于2008年7月17日晚假华埠酒楼隆重设宴,热烈欢送陈某某领事任满荣归。\n"
        "陈领事指出,无论是他自己的侨务工作,还是总领馆的工作,都离不开侨胞们的支援和配合。\n"
    )
    assert _fields(raw)["speaker_name"] != "陈指出"
