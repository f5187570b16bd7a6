"""A doc site's scrambled preview (renrendoc's `蒄蚄袀膇…`: characters drawn from a shuffled font's glyph table) is
removed and flagged, and a page left with too little is a `garbled` reject; a speech's rare names, places and
Traditional script are never taken for it. Every test failed on the code before (no such rule, flag or reason)."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow.parquet as pq

from tasks import normalize, schema
from tasks.common import rows_to_table, write_table
from tasks.normalize import normalize_text
from tests.test_ingest import _ingest

SPEECH = (
    "同志们：\n"
    "今天，我们召开全县经济工作会议，主要任务是认真贯彻落实中央和省委经济工作会议精神，总结去年工作，部署今年任务。\n"
    "过去一年，全县地区生产总值增长百分之七，财政收入稳步增长，人民生活持续改善，各项事业全面进步。\n"
    "下面，我讲三点意见。一是坚定信心，二是突出重点，三是狠抓落实。希望大家认真贯彻，抓好落实。\n"
)


def _glyph_table() -> str:
    """Every Han character of GBK in code order: a font's glyph table, which a shuffled preview draws from."""
    pairs = bytes(
        b for lead in range(0x81, 0xFF) for trail in range(0x40, 0xFF) if trail != 0x7F for b in (lead, trail)
    )
    return "".join(c for c in pairs.decode("gbk", "ignore") if "\u4e00" <= c <= "\u9fff")


def _preview(seed: int, n_lines: int, width: int = 40) -> list[str]:
    """Lines of characters drawn at random from the glyph table, with the punctuation a preview keeps."""
    rng = random.Random(seed)
    table = _glyph_table()
    lines = []
    for _ in range(n_lines):
        chars = [rng.choice(table) for _ in range(width)]
        chars[rng.randrange(10, width - 5)] = "，"
        lines.append("".join(chars) + "。")
    return lines


def test_a_scrambled_preview_is_removed_and_flagged_the_speech_kept():
    for seed in range(20):
        preview = _preview(seed, 3)
        page = "县长在全县经济工作会议上的讲话\n" + "\n".join(preview) + "\n" + SPEECH
        n = normalize_text(page)
        assert n.flags.get("garbled") == 3, seed
        assert [r for _, _, r in n.removed_lines] == ["chrome.garbled_preview"] * 3
        assert not any(p in n.text for p in preview)
        assert "总结去年工作，部署今年任务" in n.text and n.text.startswith("县长在全县经济工作会议上的讲话")


def test_renrendocs_own_preview_string_is_removed():
    page = "羀膈芅蒈袄肁莄蒇蚃羄莀蒆螆膀羃蒅袈莅芁蒄羀肈莆蒄蚀袁肂薃螂肆莈薂袅罿芄薁羇膄肇薀蚇羇肃蕿蝿\n" + SPEECH
    n = normalize_text(page)
    assert n.rule_counts.get("chrome.garbled_preview") == 1 and n.flags["garbled"] == 1


def test_rare_names_places_glossaries_and_traditional_script_are_speech():
    # the shared corpus' rarest lines (GB2312 level-2 and beyond: 霾 莞 濮 漯 儋 镕 鄠 喆 堃), and a Traditional page
    lines = [
        "［48］治霾十法：即精准治霾、网格治霾、依法治霾、转型治霾、科技治霾、增绿治霾、联动治霾。",
        "二主六辅：“二主”即广深第二高铁始发站、东莞东站，“六辅”即虎门高铁站、东莞站、东莞西站、东莞南站。",
        "濮阳市人民政府市长 赵瑞东",
        "漯河、儋州、鄠邑、亳州、邯郸、衢州、婺源、歙县、黟县、滦平的同志们，朱镕基同志、张喆同志、李堃同志都来了。",
        "三節兩賽：東坡文化節、儋州調聲節、海南（儋州）雪茄文化節，儋州國際馬拉松賽、儋州國際象棋特級大師超霸戰。",
        "剛才董先生宣布了他請辭的決定。大家都知道這個決定仍需要中央人民政府的批准，所以董先生仍然是我的上司。",
    ]
    n = normalize_text("\n".join(lines) + "\n" + SPEECH)
    assert "garbled" not in n.flags and "chrome.garbled_preview" not in n.rule_counts


def test_a_page_that_is_mostly_preview_is_a_garbled_reject(tmp_path):
    land = tmp_path / "land"
    land.mkdir()
    title = "县长在全县经济工作会议上的讲话\n"
    (land / "preview.txt").write_text(title + "\n".join(_preview(7, 12)) + "\n", encoding="utf-8")
    (land / "mixed.txt").write_text(title + "\n".join(_preview(8, 4)) + "\n" + SPEECH * 2, encoding="utf-8")
    (land / "stub.txt").write_text("首页 > 领导讲话\n" + title, encoding="utf-8")
    got = _ingest(land)
    write_table(rows_to_table(got.docs, schema.INGEST_DOCS), tmp_path / "ingest" / "docs.parquet", ["doc_id"])
    normalize.normalize_shard({"ingest": str(tmp_path / "ingest")}, str(tmp_path / "n"), min_chars=200)
    kept = {
        Path(r["source_path"]).name: dict(r["norm_flags"])
        for r in pq.read_table(tmp_path / "n" / "docs.parquet").to_pylist()
    }
    rejects = {Path(r["source_path"]).name: r for r in pq.read_table(tmp_path / "n" / "rejects.parquet").to_pylist()}
    assert kept == {"mixed.txt": {"garbled": 4}}
    assert rejects["preview.txt"]["reason"] == "garbled" and "12 lines" in rejects["preview.txt"]["detail"]
    assert rejects["stub.txt"]["reason"] == "too_short"
