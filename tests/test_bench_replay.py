"""bench/replay_calls re-runs a recorded call of any stage, ingest's included: its InputFile entries are
logged as their fields and rebuilt (logged as their repr, an ingest call could not be replayed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import replay_calls
from tasks.calls import CALL_LOG_ENV, logged_value, replayed_value, run_stage
from tasks.ingest import InputFile, discover


def test_input_file_round_trips_through_the_log() -> None:
    f = InputFile("/land/a.jsonl", "a.jsonl", "a.jsonl", 10, "\x00input-000000", None, (0, 33554432))
    logged = json.loads(json.dumps({"files": [[f, "ab"]]}, default=logged_value))
    assert replayed_value(logged) == {"files": [[f, "ab"]]}
    rejected = InputFile("/land/p", "p", "p", 0, "/land", ("fifo", "a FIFO: skipped"))
    assert replayed_value(json.loads(json.dumps(rejected, default=logged_value))) == rejected


def test_an_ingest_call_replays_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    land = tmp_path / "land"
    land.mkdir()
    (land / "a.txt").write_text("各位代表：\n现在，我代表市人民政府向大会报告工作。\n" * 3, encoding="utf-8")
    rows = [
        {"url": "http://example.gov.cn/1.html", "title": "区长讲话", "text": "同志们：今天我们召开全区工作会议。\n" * 4}
    ]
    (land / "b.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    files = discover([str(land)])
    assert len(files) == 2
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv(CALL_LOG_ENV, str(log))
    stats = run_stage(
        "tasks.ingest:ingest_shard",
        {"files": [[f, None] for f in files]},
        str(tmp_path / "out"),
        {"max_doc_bytes": 1 << 20},
    )
    monkeypatch.delenv(CALL_LOG_ENV)
    assert stats["docs"] == 2
    assert replay_calls.main([str(log), "ingest_shard", str(tmp_path / "scratch")]) == 0
    assert "same 1, differ 0" in capsys.readouterr().out
    assert (tmp_path / "scratch" / "0000" / "docs.parquet").read_bytes() == (
        tmp_path / "out" / "docs.parquet"
    ).read_bytes()
