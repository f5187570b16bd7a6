"""Lost breaks, eighth round (session 50): outline headings a copy joined a few paragraphs at a time."""

from __future__ import annotations

from tasks.extract_structure import extract_sections
from tasks.normalize import normalize_text


def _sections(raw: str) -> list[tuple[str, str, str]]:
    text = normalize_text(raw).text
    return [(r["path"], r["marker_style"], r["heading"]) for r in extract_sections("d", text)]


# An unpunctuated `一、` heading joined to the first heading below it (session 49's left-alone: 23 pairs on the
# grouped layout of the shared corpus).
HEADING_GLUED_TO_NESTED = (
    "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。一、2025年工作回顾\n"
    "过去一年，我们做了大量工作，取得了明显成效，全市经济稳中有进。二、2026年主要任务（一）扩大有效需求。"
    "我们将实施一批重大项目，推动消费持续回升。（二）发展新质生产力。我们将加快创新体系建设，培育新兴产业集群。\n"
)


def test_a_heading_glued_to_its_first_subheading_is_broken():
    text = normalize_text(HEADING_GLUED_TO_NESTED).text
    assert "二、2026年主要任务" in text.split("\n")
    rows = _sections(HEADING_GLUED_TO_NESTED)
    assert ("2", "一、", "2026年主要任务") in rows
    assert ("2.1", "（一）", "扩大有效需求") in rows
    assert ("2.2", "（一）", "发展新质生产力") in rows


def test_a_bracket_inside_a_heading_is_no_subheading():
    # a bracketed word (not a numeral) or a bracket at the line's end leaves the heading whole
    for raw in (
        "一、2025年工作回顾\n过去一年成效明显。二、推进中国（陕西）自由贸易试验区建设\n我们将深化改革，扩大开放。\n",
        "一、2025年工作回顾\n过去一年成效明显。二、2026年主要任务（一）\n我们将深化改革，扩大开放。\n",
    ):
        lines = normalize_text(raw).text.split("\n")
        assert not any(line.startswith("（一）") for line in lines), lines
