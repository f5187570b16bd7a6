"""Session 49's fresh real pages (helper n6): chrome, bullets, dates and half sentences taken as title or speaker.
Every test failed on the code before its commit."""

from __future__ import annotations

import pytest

from tasks import extract as E
from tasks.extract_text import is_byline_name
from tasks.normalize import normalize_text

BODY = (
    "剛才董先生宣布了他請辭的決定。大家都知道這個決定仍需要中央人民政府的批准，所以董先生仍然是我的上司，"
    "是我們的行政長官，而香港特區政府亦照常運作。我十分敬重董先生，他一直以來全心全意、盡心盡力工作，"
    "為香港市民服務，特別是成功地落實了「一國兩制」。這項政策是毫無先例可援、毫不容易的歷史性任務。\n"
)


def _page(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return E.extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


# ------------------------------------------------------------------ chrome lines that are never a title


@pytest.mark.parametrize(
    "line",
    ["寄給朋友政府主網頁", "簡體版 英文版 寄給朋友", "新聞發布", "88年02月24日", "114年01月13日", "• 馆内", "• 正報"],
)
def test_link_bars_banners_roc_dates_and_bullets_are_junk_titles(line):
    assert E.is_junk_title(E.simplify(line))


@pytest.mark.parametrize(
    "line",
    [
        "新闻发布会上的讲话",
        "总统晚宴款待驻华使节及代表",
        "在全区离退休老干部座谈会上的讲话",
        "• 在全县经济工作会议上的讲话",
    ],
)
def test_titles_like_them_stay(line):
    assert not E.is_junk_title(line)


def test_a_release_under_a_link_bar_is_titled_by_its_own_line():
    raw = (
        "新聞公報\n \n\n 寄給朋友政府主網頁\n\n政務司司長談行政長官請辭\n\n************\n\n"
        "以下為政務司司長曾蔭權今日(三月十日)傍晚在政府總部西座大堂就行政長官請辭會見傳媒的發言全文(中文部分):\n\n"
        + BODY
    )
    out = _page(raw)
    assert out["title"] == "政务司司长谈行政长官请辞"
    assert (out["speaker_name"], out["speaker_title"]) == ("曾荫权", "政务司司长")


def test_a_site_section_and_series_above_a_release_are_not_its_title():
    raw = (
        "荃話題\n\n迎接新的特首 - 曾蔭權\n\n政府就國務院批准曾蔭權辭去香港特別行政區政務司司長職務談話內容\n\n"
        "以下為署理行政長官唐英年於六月二日就國務院批准曾蔭權辭去香港特別行政區政務司司長職務,"
        "在中區政府總部西座大堂會見新聞界的談話全文(中文部分):\n\n署理行政長官:\n\n各位早晨,大家好。\n\n" + BODY
    )
    out = _page(raw)
    assert out["title"] == "政府就国务院批准曾荫权辞去香港特别行政区政务司司长职务谈话内容"
    assert (out["speaker_name"], out["speaker_title"]) == ("唐英年", "署理行政长官")


def test_a_release_set_in_spaced_letters():
    spaced = " ".join
    raw = (
        "跳至內容的開始\n\n新聞發布\n\n新聞發布\n\n\n"
        + spaced("署理行政長官記者會發言全文")
        + "\n* * * * * * * * *\n\n"
        + spaced("以下是署理行政長官曾蔭權今晚")
        + " ( 三 月 十 二 日 ) "
        + spaced("在中區政府合署的記者會上的發言")
        + " :\n\n各 位 :\n\n"
        + spaced("董先生在前日")
        + " , "
        + spaced("即三月十日")
        + " , "
        + spaced("已經宣佈了他辭職的決定")
        + " 。\n\n"
        + BODY
    )
    out = _page(raw)
    assert out["title"] in ("署理行政长官记者会发言全文", "署理行政长官记者会发言")
    assert (out["speaker_name"], out["speaker_title"]) == ("曾荫权", "署理行政长官")


def test_a_lead_that_hands_over_no_text_leaves_the_title_alone():
    raw = "荃話題\n\n迎接新的特首\n\n以下為本站整理的新聞,歡迎轉載。\n\n" + BODY
    assert _page(raw)["title"] != "迎接新的特首"


def test_a_bullet_menu_does_not_use_up_the_head():
    raw = (
        "馆内\n\n  • 馆内\n  • 馆际\n  • 站内\n\n馆内\n\n  • 馆内\n  • 馆际\n  • 站内\n年会嘉宾演讲陈晋\n"
        "发布日期:2015-03-10\n\n  各位同志、各位朋友,大家下午好!很高兴今天来做一个主题演讲,我向大家汇报的是毛泽东到底是怎样读书的。"
        "今年咱们年会的主题是“馆员的力量”,我就想到毛泽东跟图书馆的三段小故事。第一大家都知道1918年他在师范学校毕业以后,"
        "到北京大学当了图书馆馆员,正是在那个时候他的思想发生了巨大的飞跃,通过大量的阅读,成为了一个马克思主义者。\n"
    )
    assert _page(raw)["title"] == "年会嘉宾演讲陈晋"


def test_a_roc_date_over_a_release_is_not_its_title():
    raw = (
        "跳到主要內容\n:::\n:::\n\n新聞與活動\n\n總統府新聞\n\n88年02月24日\n總統晚宴款待駐華使節及代表\n"
        "  李總統登輝先生今天向駐華使節與代表們重申:中華民國政府與人民願意與國際社會攜手並進,為提升全人類文明福祉,貢獻最大力量。\n"
        "  總統也表示,新的一年,中華民國政府和人民會以最大的努力,從鞏固民主憲政、厲行政府再造、穩定經濟發展、"
        "加速司法改革和實踐社會公義等方面,展開建設行動,以開創現代化的新里程。\n"
    )
    assert _page(raw)["title"] == "总统晚宴款待驻华使节及代表"


# ------------------------------------------------------------------ a blanked name spaced off in a title


def test_a_placeholder_spaced_off_in_a_title_is_kept():
    raw = (
        "在 XX 镇新一届村干部履职尽责动员大会上的\n讲话\n同志们:\n大家好!\n今天,我们在这里隆重集会,召开 XX 镇新一届村干部履职尽"
        "责动员大会。首先,我代表镇党委、镇政府,向光荣当选的新一届村“两委”班子全体成员,表示最热烈的祝贺和最诚挚的欢迎!"
        "这次会议,是在我们圆满完成“十四五”规划、阔步迈入“十五五”新征程的关键节点上召开的一次重要会议。\n"
    )
    assert _page(raw)["title"] == "在XX镇新一届村干部履职尽责动员大会上的讲话"


def test_a_doc_sites_tags_are_still_cut():
    assert E._unchrome_title("2023 区长 汇报会 区长在互学互比汇报会上的讲话") == "区长在互学互比汇报会上的讲话"


# ------------------------------------------------------------------ half sentences taken as speaker

ROC_RELEASE = (
    "總統府新聞\n\n88年02月24日\n總統晚宴款待駐華使節及代表\n"
    "  {lead}今天向駐華使節與代表們重申:中華民國政府與人民願意與國際社會攜手並進,為提升全人類文明福祉,貢獻最大力量。\n"
    "  總統也表示,新的一年,中華民國政府和人民會以最大的努力,從鞏固民主憲政、厲行政府再造、穩定經濟發展、"
    "加速司法改革和實踐社會公義等方面,展開建設行動,以開創現代化的新里程。\n"
    "  總統伉儷今晚在總統府,設宴款待駐華使節及代表夫婦時,作了以上表示;總統並祝福大家平安吉祥、萬事如意。\n"
)


@pytest.mark.parametrize("words", ["也表示", "伉俪昨", "并指出", "亦强调", "还说"])
def test_the_words_after_an_office_that_open_a_predicate_are_no_name(words):
    assert not is_byline_name(words)


@pytest.mark.parametrize("name", ["多杰", "刀文", "嘎玛泽登", "曾荫权"])
def test_names_after_an_office_stay(name):
    assert is_byline_name(name)  # 曾荫权: a listed surname is read before the predicate's characters


def test_a_predicate_after_the_office_is_not_the_speaker():
    out = _page(ROC_RELEASE.format(lead="總統"))
    assert out["speaker_name"] != "也表示"


def test_the_roc_honorific_form_names_the_president():
    out = _page(ROC_RELEASE.format(lead="李總統登輝先生"))
    assert (out["speaker_name"], out["speaker_title"]) == ("李登辉", "总统")


def test_a_taiwanese_couple_is_no_name():
    raw = (
        "賴清德總統伉儷偕同蕭美琴副總統 在台南福爾摩沙遊艇酒店以國晏款待 各國貴賓\n\n記者吳文隆、廖瑞銘台南報導\n\n"
        "賴清德總統伉儷昨(20)晚間偕同蕭美琴副總統在臺南福爾摩沙遊艇酒店,以國宴款待專程來臺參加我國第16任總統副總統"
        "宣誓就職典禮及慶祝活動的各國貴賓,歡迎並感謝大家遠道而來,帶給臺灣人民堅定的友誼,也帶給臺灣社會力量。\n\n"
        "總統致詞時,首先感謝各國友邦元首、貴賓、駐臺使節代表,以及來自海外的500多位貴賓,參加他與蕭美琴副總統的就職典禮。\n"
    )
    assert _page(raw)["speaker_name"] != "伉俪昨"


# ------------------------------------------------------------------ an office attending and speaking, in the title


@pytest.mark.parametrize(
    ("title", "office"),
    [("總統出席美國關島僑界晚宴致詞全文", "总统"), ("县委书记出席全县经济工作会议并讲话", "县委书记")],
)
def test_a_title_naming_the_office_that_attended_and_spoke(title, office):
    raw = (
        f"重要致詞\n\n{title}\n\n106/11/03\n\n大家好!我非常高興來到關島,也很感謝在出訪太平洋友邦之後,有機會在此過境。"
        "我們在關島有許多朋友,包括副總督提諾瑞歐、議長克魯茲、關島大學校長安德伍德及幾位關島參議員。\n\n"
        "臺灣和關島的友誼很獨特。關島是美國最接近臺灣的地區之一,這些年來,雙方在觀光、貿易、投資等方面的發展日益熱絡。\n"
    )
    assert _page(raw)["speaker_title"] == office


def test_an_office_attending_without_speaking_names_no_speaker():
    assert E._title_speaker("市长出席招商会")[1] is None
