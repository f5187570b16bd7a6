"""Line breaks written as OOXML escapes (`_x000D_`: text that went through a spreadsheet) are breaks, and a photo
credit's 摄 that opens a word (`记者架起摄像机`) breaks no head line. Real OpenCC and jieba, no mocks."""

from __future__ import annotations

from tasks.extract_structure import extract_sections
from tasks.normalize import normalize_text

SPEECH = "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。"
BODY = "过去一年，全市经济运行稳中有进，地区生产总值增长百分之六，城乡居民收入稳步提高，民生福祉明显改善。"


def test_a_page_whose_breaks_are_escaped_crs_gets_its_paragraphs_and_outline_back():
    parts = [SPEECH, "一、2025年工作回顾", BODY, "二、2026年工作安排", BODY + BODY]
    page = "_x000D_ _x000D_ ".join(parts) + "_x000D_\n"
    n = normalize_text(page)
    assert n.text.split("\n") == "\n".join(parts).split("\n")
    assert [r["heading"] for r in extract_sections("d", n.text)] == ["2025年工作回顾", "2026年工作安排"]
    assert n.rule_counts["layout.escaped_break"] == 9  # two between each part, one at the end


def test_an_escaped_lf_is_a_break_and_a_word_holding_the_letters_stays():
    n = normalize_text(SPEECH + "_x000A_" + BODY + "\n变量名_x0001_不是换行。\n")
    assert n.text.split("\n") == [*SPEECH.split("\n"), BODY, "变量名_x0001_不是换行。"]


def test_a_reporter_setting_up_a_camera_is_no_photo_credit():
    """`记者架起摄像机` read as a credit (记者 + two characters + 摄) broke the line after 摄 and the piece went as a
    caption (a real blog's copy of a CNS report, once its escaped breaks were read)."""
    page = (
        "新常委亮相\n中新社北京10月25日电\n"
        "500多名中外记者架起摄像机、照相机，打开电脑、录音笔，早早等候于此。\n"
        "11时54分，在热烈的掌声中，新一届中央政治局常委步入东大厅，向现场中外记者致意。\n"
    )
    n = normalize_text(page)
    assert "500多名中外记者架起摄像机、照相机，打开电脑、录音笔，早早等候于此。" in n.text.split("\n")
    assert "chrome.photo_caption" not in n.rule_counts
