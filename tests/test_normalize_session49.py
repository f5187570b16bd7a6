"""Real pages shorter than --min-chars: a short document is kept and flagged `short`, a stub stays a too_short
reject (session 49's fresh pages: a 1958 NPC decision, a press conference's opening, short news items)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tasks import normalize, schema
from tasks.common import rows_to_table, write_table
from tests.test_ingest import _ingest

PAGES = {
    # a decision of the NPC Standing Committee: title, adoption line, one long sentence (zhonghuashu.com, abridged)
    "decision.txt": "全国人民代表大会常务委员会关于第二届全国人民代表大会第一次会议召开时间的决定\n"
    "（1958年6月29日全国人民代表大会常务委员会第九十八次会议通过）\n"
    "为了适应目前全国工农业生产大跃进的情况，为了便于及时制定国民经济计划和国家预算，"
    "决定第二届全国人民代表大会第一次会议在一九五九年一月召开。\n",
    # a premier's press conference, its opening turns only
    "opening.txt": "记者会开场\n"
    "【张业遂】各位媒体朋友，女士们、先生们，大家下午好。十三届全国人大三次会议刚刚举行了闭幕会议，"
    "现在我们非常荣幸地邀请李克强总理与大家见面，并回答大家的提问。有请李总理。\n"
    "【李克强】首先感谢媒体的朋友们在特殊的时期，而且克服了特殊的困难，对中国的两会进行报道。时间有限，请大家提问。\n",
    # a county news item of two sentences (qynews.zjol.com.cn)
    "news.txt": "3月17日下午，县委副书记、代县长叶青以普通代表的身份先后来到人大第一代表团和第二代表团，"
    "与代表们共同审议《政府工作报告》。在审议和讨论中，叶青强调，要团结奋进，抢抓机遇，突出基础性、发展性、"
    "民生性项目建设。\n",
    # what stays a reject: tags, an index, a 404 notice, a login wall, one sentence of a transcript
    "tags.txt": "人代会 一次会议 乡镇\n全国两会2023年召开时间\n",
    "index.txt": "首页 > 新闻中心 > 领导讲话\n在全县经济工作会议上的讲话\n在全市安全生产工作会议上的讲话\n上一篇 下一篇\n",
    "notfound.txt": "对不起，您访问的页面不存在或已被删除！请检查您输入的网址是否正确。返回首页\n",
    "login.txt": "在全市经济工作会议上的讲话\n本文为会员专享内容，您还没有登录，请登录或注册会员后查看全文。"
    "登录后即可免费阅读全部文章内容并下载本文档。\n",
    "fragment.txt": "即使是在一个县府、市府或者是中央里面，其实在意环保的朋友、经济的朋友们、在意社会、劳动的朋友们，"
    "每一个会的语言都不一样，如果内部没有办法达到一个共识，根本不用跟公民开会，我们内部就吵得乱七八糟。\n",
}
KEPT = {"decision.txt", "opening.txt", "news.txt"}


def test_short_documents_are_kept_and_flagged_stubs_rejected(tmp_path):
    land = tmp_path / "land"
    land.mkdir()
    for name, text in PAGES.items():
        (land / name).write_text(text, encoding="utf-8")
    got = _ingest(land)
    write_table(rows_to_table(got.docs, schema.INGEST_DOCS), tmp_path / "ingest" / "docs.parquet", ["doc_id"])
    stats = normalize.normalize_shard({"ingest": str(tmp_path / "ingest")}, str(tmp_path / "n"), min_chars=200)
    rows = pq.read_table(tmp_path / "n" / "docs.parquet").to_pylist()
    rejects = pq.read_table(tmp_path / "n" / "rejects.parquet").to_pylist()
    kept = {Path(r["source_path"]).name: dict(r["norm_flags"]) for r in rows}
    assert set(kept) == KEPT
    assert all(flags.get("short") == 1 for flags in kept.values())
    # every other page is accounted for: a too_short reject
    assert {Path(r["source_path"]).name: r["reason"] for r in rejects} == {
        n: "too_short" for n in PAGES if n not in KEPT
    }
    assert stats["docs"] + stats["rejects"] == len(PAGES)


def test_a_page_above_min_chars_is_not_flagged_short(tmp_path):
    assert normalize.short_document(PAGES["news.txt"])
    long_text = "".join(
        f"第{i}项工作：我们坚持稳中求进工作总基调，全市经济运行总体平稳、稳中有进。\n" for i in range(20)
    )
    land = tmp_path / "land"
    land.mkdir()
    (land / "long.txt").write_text(long_text, encoding="utf-8")
    got = _ingest(land)
    write_table(rows_to_table(got.docs, schema.INGEST_DOCS), tmp_path / "ingest" / "docs.parquet", ["doc_id"])
    normalize.normalize_shard({"ingest": str(tmp_path / "ingest")}, str(tmp_path / "n"), min_chars=200)
    (row,) = pq.read_table(tmp_path / "n" / "docs.parquet").to_pylist()
    assert "short" not in dict(row["norm_flags"])


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        (
            "5月20日，全國政協十三屆三次會(huì )議新聞發布會(huì )在北京舉行。",
            "全国政协十三届三次会议新闻发布会在北京举行",
        ),
        ("大會(huì )新聞發言人郭衛民介紹本次大會(huì )有關情況。", "大会新闻发言人郭卫民介绍本次大会有关情况"),
    ],
)
def test_a_reading_with_a_space_before_its_paren_is_dropped(raw, want):
    # 07774.cn's mirror leaves a space before the closing paren: every reading stayed, the meeting's name with them
    out = normalize.normalize_text(raw * 3)
    assert want in out.text and "(hu" not in out.text
    assert out.flags.get("pinyin_removed", 0) >= 6


def test_a_parenthesised_word_with_a_space_stays():
    out = normalize.normalize_text("我们要学习中国(China )的经验，坚持改革开放不动摇，推动经济社会高质量发展。" * 3)
    assert "(China )" in out.text
