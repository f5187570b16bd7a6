"""Titles a careful reader gets right and the extractor did not (session 58's fresh pages, sixteenth round)."""

from __future__ import annotations

from tasks.extract import extract_fields, is_junk_title
from tasks.normalize import normalize_text


def _fields(raw: str, url: str | None = None) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines, url=url)


def test_a_portraits_caption_is_no_title():
    raw = (
        "\n\n朱某璐(現代快報圖)\n\n"
        "資料圖:一月十五日,培訓工作誓師大會在北京國家體育館舉行。 中新社發 任海霞 攝\n|\n"
        "昨天下午,剛剛上任的江蘇省委常委、南京市委書記朱某璐出現在南京郊縣工作會議上。朱某璐表示,剛來南京,將先當學生。\n"
        "會上,市委副書記某某某首先回顧了2007年南京郊縣的發展情況。\n"
    )
    assert _fields(raw)["title"] is None


def test_a_headline_with_its_photo_note_stays_a_title():
    assert is_junk_title("朱善璐(现代快报图)")
    assert not is_junk_title("南京市委书记朱善璐首次公开亮相(图)")
