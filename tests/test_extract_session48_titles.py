"""Session 48's fresh real pages (helper n5): titles, speakers, types and dates of HK, Macau, Taiwan and mainland
news pages. Every test failed on the code before its commit."""

from __future__ import annotations

import pytest

from tasks import extract as E
from tasks.normalize import normalize_text


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ info.gov.hk's releases

HK_RELEASE = (
    "跳至主要內容\n\n{title}\n*******************\n  以下是{lead}\n   \n"
    "  回望過去一年，牛耕穩大局。在中央支持和各界努力下，香港堅守「一國兩制」初心，重回「一國兩制」正軌。\n   \n"
    "  祝全港市民身體健康、家庭和睦、萬事如意！\n"
)


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("行政長官發表農曆新年賀辭(附圖/短片)", "行政长官发表农历新年贺辞"),
        ("行政长官国庆酒会致辞(附图/短片)", "行政长官国庆酒会致辞"),
        # `全文` before the notes goes too, as after any speech's word (session 57: one rule for `…致辞全文`, `…讲话全文`)
        ("行政長官出席花卉展覽開幕典禮致辭全文(只有中文)(附圖/短片)", "行政长官出席花卉展览开幕典礼致辞"),
        # the page cut at its width inside the last note
        ("行政长官出席花卉展览开幕典礼致辞全文(只有中文)(附图/短片", "行政长官出席花卉展览开幕典礼致辞"),
        ("政务司司长出席酒会致辞(附图)", "政务司司长出席酒会致辞"),
    ],
)
def test_a_hk_release_note_is_no_part_of_the_title(title, want):
    out = _page(HK_RELEASE.format(title=title, lead="行政長官林鄭月娥今日（一月三十一日）發表的農曆新年賀辭全文："))
    assert out["title"] == want


def test_a_hk_release_hands_over_a_greeting_by_its_speaker():
    """`以下是行政長官林鄭月娥今日…發表的農曆新年賀辭全文：` named nobody: only 致辞/讲话/演讲/发言 were handed over."""
    out = _page(
        HK_RELEASE.format(
            title="行政長官發表農曆新年賀辭(附圖/短片)",
            lead="行政長官林鄭月娥今日（一月三十一日）發表的農曆新年賀辭全文：",
        )
    )
    assert (out["speaker_name"], out["speaker_title"], out["doc_type"]) == ("林郑月娥", "行政长官", "致辞")


def test_a_note_word_inside_a_title_stays():
    out = _page(HK_RELEASE.format(title="行政長官出席附圖展覽開幕典禮致辭", lead="行政長官李家超今日出席的致辭全文："))
    assert out["title"] == "行政长官出席附图展览开幕典礼致辞"


# ------------------------------------------------------------------ a policy address announced


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        (
            "特首明發表2019施政報告\n\n    【本報消息】行政長官崔世安於明（十五）日下午三時到立法會發表《2019年財政年度施政報告》，"
            "下午五時於澳門特別行政區政府總部舉行記者會，就施政報告內容回答記者提問。\n\n    澳廣視屬下電視台將會現場直播"
            "施政報告發表情況、記者會及十六日的立法會答問大會。\n",
            "崔世安",
        ),
        (
            "行政長官賀一誠明日發表【2023年度施政報告】（澳門新聞局）\n\n2022-11-14\n\n行政長官賀一誠將於明（15）日下午3時在"
            "立法會發表《2023年財政年度施政報告》，並於同日下午5時在政府總部舉行新聞發佈會，就施政報告內容回答記者提問。\n\n"
            "行政長官發表《2023年財政年度施政報告》後，市民可以到政府總部事務局索取施政報告中、葡文本。\n",
            "贺一诚",
        ),
    ],
)
def test_a_policy_address_announced_is_news_about_its_speaker(raw, name):
    """The title's 报告 typed the announcement a 报告; `賀一誠將` was the name and `【本報消息】行政長官` the office."""
    out = _page(raw)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == (name, "行政长官")


@pytest.mark.parametrize(
    "title",
    [
        "李强3月5日作政府工作报告",
        "行政长官将于下周三在立法会宣读施政报告",
    ],
)
def test_an_announced_report_headline_is_news(title):
    out = _page(
        f"{title}\n\n据政府消息，报告将于上午十一时在会议厅宣读，电视台和网页均会作现场直播，市民可以透过网页浏览相关内容。\n"
    )
    assert out["doc_type"] == "新闻报道"


@pytest.mark.parametrize(
    "title",
    [
        "政府工作报告——2023年1月12日在青石市第十六届人民代表大会第一次会议上",
        "市长王立明在2023年1月12日市人大会议上作的政府工作报告",
        "2024年施政报告",
    ],
)
def test_a_report_titled_with_its_day_stays_a_report(title):
    out = _page(
        f"{title}\n\n各位代表：\n\n现在，我代表市人民政府，向大会报告工作，请予审议。过去一年，全市经济运行稳中向好。\n"
    )
    assert out["doc_type"] in ("政府工作报告", "报告")


# ------------------------------------------------------------------ NPC closing sessions, HK papers' leads and tags


def test_a_weekday_after_the_lead_date_keeps_it_a_news_lead():
    """`3月12日（星期四）下午3時，` was no lead: the closing session's chair went unnamed."""
    out = _page(
        "兩會：努力實現良好開局\n\n3月12日（星期四）下午3時，十四屆全國人大四次會議閉幕會在人民大會堂舉行。國家主席習近平等"
        "黨和國家領導人出席，人大委員長趙樂際發表講話。\n\n大會表決11項決議草案，全部獲通過。\n\n趙樂際表示，制定和實施五年"
        "規劃，是治國理政一條重要經驗。\n"
    )
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("赵乐际", "人大委员长")


@pytest.mark.parametrize(
    ("line", "want"),
    [
        (
            "兩會|十四屆全國人大二次會議閉幕 通過政府工作報告等多項決議",
            "十四届全国人大二次会议闭幕 通过政府工作报告等多项决议",
        ),
        ("施政报告｜林郑月娥将于下周三发表施政报告", "林郑月娥将于下周三发表施政报告"),
    ],
)
def test_a_column_tag_before_a_bar_leaves_the_headline(line, want):
    out = _page(
        f"{line}\n十四屆全國人大二次會議閉幕會下午3時在北京人民大會堂舉行，習近平等黨和國家領導人出席。會議由人大委員長"
        "趙樂際主持，表決多項決議草案。趙樂際在會上發表講話。\n趙樂際說，會議開得很成功。\n"
    )
    assert out["title"] == want


def test_a_session_closing_headline_is_news_of_its_chair_not_a_resolution():
    """`…會議閉幕 通過…等多項決議` was typed 决议 with nobody speaking."""
    out = _page(
        "兩會|十四屆全國人大二次會議閉幕 通過政府工作報告等多項決議\n【有線新聞】十四屆全國人大二次會議閉幕表決通過政府工作報告、"
        "新修訂的國務院組織法等多項決議，人大委員長趙樂際發表講話。\n十四屆全國人大二次會議閉幕會下午3時在北京人民大會堂舉行，"
        "習近平等黨和國家領導人出席。會議由人大委員長趙樂際主持，共有2900名代表出席，表決多項決議草案。趙樂際在會上發表講話。\n"
    )
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("赵乐际", "人大委员长")


def test_the_premier_whose_report_was_heard_is_not_the_chair():
    """`会议听取和审议了国务院总理李克强所作的政府工作报告` named the premier (session 47's held-out NPC page)."""
    out = _page(
        "十二届全国人大五次会议闭幕 表决通过多项决议\n新华社北京3月15日电 第十二届全国人民代表大会第五次会议15日上午在人民大会堂"
        "闭幕。会议听取和审议了国务院总理李克强所作的政府工作报告，表决通过了关于政府工作报告的决议。大会执行主席张德江主持"
        "闭幕会。\n张德江在闭幕会上发表讲话。他指出，会议期间，代表们认真履行职责。\n"
    )
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("张德江", "大会执行主席")


def test_a_resolution_under_its_own_title_stays_a_resolution():
    out = _page(
        "第十四届全国人民代表大会第二次会议关于政府工作报告的决议\n（2024年3月11日第十四届全国人民代表大会第二次会议通过）\n"
        "第十四届全国人民代表大会第二次会议听取和审议了国务院总理李强所作的政府工作报告。会议充分肯定国务院过去一年的工作，"
        "同意报告提出的今年经济社会发展总体要求、政策取向，决定批准这个报告。\n"
    )
    assert out["doc_type"] == "决议"


# ------------------------------------------------------------------ Taiwanese papers and the Mainland Affairs Council


@pytest.mark.parametrize(
    "head",
    [
        "記者陳玉/台中報導\n",
        "聯合報／ 記者陳敬丰／台中即時報導\n",
        "【大成報記者蕭宇廷/臺中報導】",
    ],
)
def test_a_reporters_byline_marks_taiwanese_news_and_is_no_title(head):
    """Untyped with nobody speaking, and `記者陳玉/台中報導` the title (session 47 left it)."""
    out = _page(
        f"{head}台中市政府元旦早上8點於府前廣場舉行升旗典禮，逾1萬名市民到場參與。台中市長盧秀燕帶領市政團隊與市民站在一起"
        "唱國歌；盧秀燕表示，新年有三個願望，祝福市民幸福快樂。\n盧秀燕指出，市府已做全面配套準備。\n"
    )
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("卢秀燕", "市长")
    assert out["title"] is None or "记者" not in out["title"]


MAC = (
    "中央社／ 台北7日電\n\n針對中國大陸國台辦批評總統賴清德凱達格蘭論壇致詞內容，陸委會今天回應，賴總統談話是強調台灣在印太"
    "和平的角色，國台辦一再重複同樣的話會讓人很厭煩。\n\n大陸委員會（陸委會）7日下午召開例行記者會，由副主委兼發言人梁文傑主持，"
    "他在會中作上述表示。\n\n梁文傑表示，國台辦不用多作聯想。\n"
)


def test_the_mainland_affairs_councils_briefer_is_the_speaker():
    """`賴總統談話是強調`: `谈话是` was the name; the briefing's host (`由副主委兼發言人梁文傑主持`) was never read."""
    out = _page(MAC)
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("梁文杰", "副主委兼发言人")


def test_the_mainland_premier_a_council_answers_is_no_speaker():
    """Session 47's held-out 陆委会 page took the premier 李强."""
    out = _page(
        "（中央社記者李雅雯台北17日電）大陸國務院總理李強昨日出席記者會談兩岸，陸委會表示，有注意到相關談話，也在觀察中。\n\n"
        "大陸委員會（陸委會）17日下午舉行例行記者會，由副主委兼發言人梁文傑主持，他於會上做出上述表示。\n\n梁文傑表示，"
        "我們都在觀察。\n"
    )
    assert out["speaker_name"] == "梁文杰"


def test_a_spokespersons_statement_names_the_spokesperson():
    out = _page(
        "新华社北京3月7日电 外交部发言人毛宁7日主持例行记者会时表示，中方一贯主张通过对话协商解决分歧。"
        "她说，希望有关方面停止炒作。\n毛宁指出，中方愿同各方一道努力。\n"
    )
    assert out["speaker_name"] == "毛宁"


# ------------------------------------------------------------------ who spoke, not who presided


def test_the_secretary_who_spoke_is_the_speaker_not_the_head_who_presided():
    """Session 47's county news item named the county head who presided."""
    out = _page(
        "我县召开经济工作会议\n本报讯 2月10日，全县经济工作会议召开。县委副书记、县长李文明主持会议。县委书记张立新出席会议"
        "并讲话。\n张立新强调，要坚定信心，真抓实干。\n"
    )
    assert (out["speaker_name"], out["speaker_title"]) == ("张立新", "县委书记")


def test_the_first_of_a_list_of_leaders_is_the_speaker():
    """`市委书记周霁，市委副书记、市长张家胜与…欢聚一堂`: nobody was named (a comma followed the name)."""
    out = _page(
        "12月27日，宜昌市各界人士2019年新年茶话会在城区举行。市委书记周霁，市委副书记、市长张家胜与全市各界人士代表欢聚"
        "一堂，共叙友情，共谋发展。\n周霁代表市委向全市各界人士表示亲切的问候。\n周霁指出，2018年是具有里程碑意义的一年。\n"
    )
    assert out["doc_type"] == "新闻报道"
    assert (out["speaker_name"], out["speaker_title"]) == ("周霁", "市委书记")


def test_the_chair_who_also_spoke_stays_the_speaker():
    out = _page(
        "9月26日下午，全市县(区)委书记座谈会暨信访、安全稳定工作会议召开。市委书记杨广亭主持会议并讲话，市长王勇安排稳增长"
        "工作，市人大常委会主任景耀平参加会议。\n杨广亭强调，各级各部门要抓紧高质量发展首要任务。\n王勇强调，要奋力冲刺。\n"
    )
    assert (out["speaker_name"], out["speaker_title"]) == ("杨广亭", "市委书记")


def test_a_leaders_speech_the_meeting_studied_is_no_speaking_there():
    """`…主持召开…会议，传达学习国家主席习近平在…峰会上的讲话`: the chair stays the speaker (and the city its region)."""
    out = _page(
        "10月10日，市委副书记、市长王建文主持召开市政府常务会议，传达学习国家主席习近平在上海合作组织峰会上的讲话。"
        "要讲好邹城故事。\n"
    )
    assert out["speaker_name"] == "王建文"


# ------------------------------------------------------------------ news sites' section labels


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        (
            "即時新聞:\n地方新聞\n中市府113年元旦升旗    盧秀燕:幸福台中、再創高峰!\n2024-01-02\n\n【大成報記者蕭宇廷/臺中報導】"
            "台中市政府113年元旦升旗典禮，1日上午8時在市府前廣場盛大舉行。市長盧秀燕表示，市府會繼續打造幸福宜居的台中家園。\n",
            "中市府113年元旦升旗 卢秀燕:幸福台中、再创高峰!",
        ),
        (
            "即時港聞\n\n施政報告|林鄭月娥11月25日發表《施政報告》 (17:15)\n\n特首林鄭月娥上月宣告押後發表新一份《施政報告》，"
            "據政府消息，林鄭月娥將於下周三早上11時，在立法會發表《施政報告》。\n",
            "林郑月娥11月25日发表《施政报告》",
        ),
        (
            " date 2026-01-01 快訊\n\n聯合報／ 記者陳敬丰／台中即時報導\n台中市長盧秀燕表示，近日國內外動盪，許多人心中不安，"
            "唯有和平安全，台灣才會富強。\n\n2026年第一天，台中市政府舉行元旦升旗典禮，市長盧秀燕表示，台中市民幸福感超過70%。\n",
            None,
        ),
    ],
)
def test_a_section_label_is_no_title(raw, want):
    """`地方新聞`, `即時港聞` and `date 2026-01-01 快訊` were the titles; the posting clock stayed in one."""
    assert _page(raw)["title"] == want
