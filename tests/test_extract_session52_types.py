"""Doc types, doc-site title notes and page-chunk numbers, tenth round (session 52's fresh doc-site pages)."""

from __future__ import annotations

import pytest

from tasks.extract import extract_fields
from tasks.normalize import normalize_text

SPEECH = (
    "同志们：\n今天，我们召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。下面，我讲三点意见。\n"
    "一、认清形势，坚定信心\n去年以来，全县上下认真贯彻落实上级决策部署，经济社会保持平稳健康发展，各项事业取得新的进展。\n"
)


def _fields(raw: str) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)


@pytest.mark.parametrize(
    ("raw_title", "title"),
    [
        ("2024年庆祝七一建党103周年大会上的专题党课(7442字)", "2024年庆祝七一建党103周年大会上的专题党课"),
        ("组织部长在202x年中青年干部培训班开班式上的讲话(2355字)", "组织部长在202x年中青年干部培训班开班式上的讲话"),
        ("2024年职代会上的领导讲话稿(仅供领导参考)", "2024年职代会上的领导讲话稿"),
        ("在全县经济工作会议上的讲话（精选文档）", "在全县经济工作会议上的讲话"),
        ("在全县经济工作会议上的讲话(范文推荐)", "在全县经济工作会议上的讲话"),
        ("2023年政府机构工作报告多篇4篇", "2023年政府机构工作报告"),
        ("镇政府镇长个人述职报告十二篇", "镇政府镇长个人述职报告"),
        # session 51's held-out regression: a doubled title whose copies both carry the collection's number
        ("省长政府全会讲话材料(2)省长政府全会讲话材料(2)", "省长政府全会讲话材料"),
        # notes that are the text's own stay
        ("关于2023年预算执行情况的报告(草案)", "关于2023年预算执行情况的报告(草案)"),
    ],
)
def test_a_doc_sites_note_after_the_title_is_cut(raw_title, title):
    assert _fields(f"{raw_title}\n{SPEECH}")["title"] == title


def test_a_doc_sites_page_number_before_the_first_line_is_no_outline_heading():
    raw = (
        "1、县政协八届二次会议预备会主持词 各位委员：政协县八届二次会议，在县委的亲切关心和领导下，各项筹备工作已就绪，"
        "明天就要开幕了。现在，请工作人员清点人数。本次会议应到会委员128人，符合法定人数。现在举行预备会议。\n"
        "2、书名单（草案），各位委员如果没有意见，现在进行表决。一致通过。\n"
    )
    f = _fields(raw)
    assert f["title"] == "县政协八届二次会议预备会主持词"
    assert f["doc_type"] == "主持词"
    # an outline heading numbered 1 stays a heading
    assert _fields(f"1、认清形势，坚定信心\n{SPEECH}")["title"] is None
