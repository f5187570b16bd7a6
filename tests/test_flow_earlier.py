"""A re-run shard step is handed its own shard's earlier artifacts, not every shard's (issue 10):
handed them all, each call of extract, members and annotate read one memo or sources file per
shard of the corpus, O(shards x corpus) per run."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from flows.pipeline import build_corpus
from tasks import annotate, extract, repair, schema
from tasks.stages import ByShard, earlier_artifacts

pytestmark = pytest.mark.usefixtures("prefect_api")

LENDING = {"extract": (extract, "extract_shard"), "members": (repair, "cluster_members_shard"),
           "annotate": (annotate, "annotate_shard")}  # fmt: skip


def _run(inputs: Path, out: Path, **kw):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIANGHUA_INLINE", "1")  # in-process: the test sees each runner call
        return build_corpus(inputs=[str(inputs)], out=str(out), workers=1, target_shard_docs=4, **kw)


def _tables(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for table in schema.TABLES
        for p in sorted((out / table).glob("*.parquet"))
    }


def _shard_of(artifact: str | Path) -> str:
    return json.loads((Path(artifact) / "_done.json").read_text(encoding="utf-8"))["shard"]


def test_a_re_run_shard_reads_only_its_own_earlier_artifacts(samples, tmp_path, monkeypatch):
    out = tmp_path / "out"
    _run(samples, out)
    state = out / ".state" / "artifacts"
    before: dict[str, dict[str, str]] = {}  # stage -> shard -> its artifact
    for stage in LENDING:
        for done in (state / stage).glob("*/_done.json"):
            before.setdefault(stage, {})[_shard_of(done.parent)] = str(done.parent)
        assert len(before[stage]) >= 3, "every shard's artifact says which shard it was made for"

    seen: dict[str, list[tuple[str, list[str]]]] = {s: [] for s in LENDING}  # (artifact, earlier) per call
    for stage, (module, name) in LENDING.items():
        original = getattr(module, name)

        def recording(inputs, out_dir, *args, _stage=stage, _original=original, **kw):
            seen[_stage].append((out_dir, list(kw.get("earlier", []))))
            return _original(inputs, out_dir, *args, **kw)

        monkeypatch.setattr(module, name, recording)
    # one page of an existing shard rewritten: that shard re-runs extract, copying its other pages
    page = samples / "seeds" / "003_7e76521d6e309743.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n会议要求，各地要认真贯彻落实。\n", encoding="utf-8")
    _run(samples, out)

    for stage, calls in seen.items():  # the rewritten page's shard re-ran each lending stage
        assert any(_shard_of(a) in before[stage] for a, _ in calls), stage
    for stage, calls in seen.items():
        for artifact, earlier in calls:
            shard = _shard_of(artifact)
            if shard in before[stage]:  # an existing shard: its own earlier artifact and no other shard's
                assert earlier == [before[stage][shard]], (stage, shard, earlier)
            else:  # a new shard: its pages may have been in any
                assert sorted(earlier) == sorted(before[stage].values()), (stage, shard)
    # the lent documents are a cold run's bytes
    cold = tmp_path / "cold"
    _run(samples, cold)
    assert _tables(out) == _tables(cold)


def test_by_shard_gives_a_shard_its_own_the_orphans_and_the_unknown():
    hint = ByShard((("a1", "A"), ("b1", "B"), ("gone1", "GONE"), ("old1", ""), ("a0", "A")))
    plan = frozenset({"A", "B", "NEW"})
    assert hint.for_shard("A", plan) == ["a1", "gone1", "old1", "a0"]  # own, unplanned shard's, unrecorded
    assert hint.for_shard("B", plan) == ["b1", "gone1", "old1"]
    assert hint.for_shard("NEW", plan) == ["a1", "b1", "gone1", "old1", "a0"]  # no own artifact: every one
    assert len(hint) == 5


def test_earlier_artifacts_are_by_shard_for_shard_stages_only(tmp_path):
    from tasks.stages import code_version

    state = tmp_path / "state"
    for stage, shard in (("annotate", "shard-1"), ("repair", "")):
        d = state / "artifacts" / stage / "k1"
        d.mkdir(parents=True)
        (d / "_done.json").write_text(json.dumps({"code_version": code_version(stage), "shard": shard}))
        stale = state / "artifacts" / stage / "k0"  # another code version: never lent from
        stale.mkdir(parents=True)
        (stale / "_done.json").write_text(json.dumps({"code_version": "old", "shard": shard}))
    got = earlier_artifacts("annotate", str(state), rebuild=False)["earlier"]
    assert isinstance(got, ByShard) and got.artifacts == ((str(state / "artifacts" / "annotate" / "k1"), "shard-1"),)
    assert earlier_artifacts("repair", str(state), rebuild=False) == {
        "earlier": [str(state / "artifacts" / "repair" / "k1")]
    }
    assert earlier_artifacts("annotate", str(state), rebuild=True) == {"earlier": []}
