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
        ("行政長官出席花卉展覽開幕典禮致辭全文(只有中文)(附圖/短片)", "行政长官出席花卉展览开幕典礼致辞全文"),
        # the page cut at its width inside the last note
        ("行政长官出席花卉展览开幕典礼致辞全文(只有中文)(附图/短片", "行政长官出席花卉展览开幕典礼致辞全文"),
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
