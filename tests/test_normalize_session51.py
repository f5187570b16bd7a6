"""Lost breaks, ninth round (session 51): the salutation's line, headings that run into a paragraph."""

from __future__ import annotations

from tasks.extract_structure import extract_sections
from tasks.normalize import normalize_text


def _lines(raw: str) -> list[str]:
    return normalize_text(raw).text.split("\n")


def _headings(raw: str) -> list[tuple[str, str, str]]:
    text = normalize_text(raw).text
    return [(r["path"], r["marker_style"], r["heading"]) for r in extract_sections("d", text)]


# Real doc-site copies (fanwenq.com, book118.com, xiezuofangchengshi.com, 61taotao.com): the <p> after the salutation
# lost, the first paragraph on the salutation's line.
def test_the_opening_salutation_gets_a_line_of_its_own():
    for raw, salutation, first in (
        (
            "在区安全生产工作推进会上的讲话\n同志们:今天,我们在这里召开全区安全生产工作推进会,主要任务是部署下一阶段"
            "工作。刚才,几个部门作了汇报。\n一、认清形势\n安全生产这根弦,任何时候都只能紧绷。\n",
            "同志们：",
            "今天，我们在这里召开全区安全生产工作推进会，主要任务是部署下一阶段工作。刚才，几个部门作了汇报。",
        ),
        (
            "市委书记在市政协会议闭幕会上的讲话\n各位委员,同志们:市政协X届X次会议,圆满完成各项议程,就要闭幕了。\n",
            "各位委员，同志们：",
            "市政协X届X次会议，圆满完成各项议程，就要闭幕了。",
        ),
        (
            "在招商引资推介会上的致辞\n尊敬的各位领导、各位来宾,女士们、先生们:大家上午好!今天,我们相聚在这里。\n",
            "尊敬的各位领导、各位来宾，女士们、先生们：",
            "大家上午好！今天，我们相聚在这里。",
        ),
    ):
        lines = _lines(raw)
        assert salutation in lines, lines
        assert first in lines, lines


def test_a_salutation_without_its_paragraph_or_addressees_is_left_as_it_is():
    # alone on its line; a colon after no addressee; a later `同志们：` inside the speech (only the opening is read)
    raw = (
        "在全县经济工作会议上的讲话\n同志们:\n今天,我们召开全县经济工作会议。\n"
        "同志们:做好今年的工作,任务艰巨,责任重大。让我们团结一心,奋力拼搏。\n"
    )
    lines = _lines(raw)
    assert "同志们：" in lines
    assert "同志们：做好今年的工作，任务艰巨，责任重大。让我们团结一心，奋力拼搏。" in lines
    raw = "在全县经济工作会议上的讲话\n今年工作要求:全县上下要坚定信心,真抓实干,确保完成全年目标任务。\n"
    assert "今年工作要求：全县上下要坚定信心，真抓实干，确保完成全年目标任务。" in _lines(raw)
