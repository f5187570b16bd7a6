"""A nightly run's new shard goes first in every shard stage: its steps compute every document, an
old shard's steps patch the few rows a change reached. Last in line, the new shard's annotate ran
alone with the other worker idle and held up export (100k +1 %: 2.8 s of a 102 s run)."""

from __future__ import annotations

from flows.pipeline import Dag, fresh_shards
from tasks.stages import call_priority


def test_steps_on_new_inputs_are_batched_and_ranked_first(tmp_path):
    """In a stage's order of shards, the new shard is last; its step still goes out first, in a batch
    of its own, and waits for a worker ahead of the old shards' steps."""
    dag = Dag(str(tmp_path / "state"), rebuild=False, progress=None, params={"top_k": 10}, runtime={})
    shards = [f"shard-{k:02d}" for k in range(6)]
    work = {sid: ({"normalize": sid, "extract": sid, "dedupe": sid}, [sid], 10) for sid in shards}
    fresh = {"shard-05": 2, "shard-01": 1}  # shard-05: new pages; shard-01: an old shard a change reached
    done, launches = dag.submit("annotate", work, fresh)
    assert done == {}
    order = [sids for sids, _ in launches]
    assert order[0] == ["shard-05"] and order[1] == ["shard-01"]
    assert sorted(s for sids in order[2:] for s in sids) == ["shard-00", "shard-02", "shard-03", "shard-04"]
    jobs = dag.jobs["annotate"]
    assert (jobs["shard-05"].rank, jobs["shard-01"].rank, jobs["shard-00"].rank) == (2, 1, 0)
    assert call_priority("annotate", jobs["shard-05"].rank) > call_priority("annotate", jobs["shard-00"].rank)
    assert call_priority("dedupe") > call_priority("annotate", 99)  # a global call still goes first
    # the rank never reaches the key: a step cached in a run where it was new is a hit in the next
    again = Dag(str(tmp_path / "state"), rebuild=False, progress=None, params={"top_k": 10}, runtime={})
    again.submit("annotate", work)
    assert {s: j.key for s, j in again.jobs["annotate"].items()} == {s: j.key for s, j in jobs.items()}


def test_steps_patching_their_shards_earlier_artifact_share_few_task_runs(tmp_path):
    """A nightly run re-runs an old shard's members / annotate / export step because a global input moved a
    few of its rows: the step lends the rest from the earlier artifact made for that shard by this code.
    Such steps go to Prefect up to PATCH_STEPS_PER_TASK to a task run (a task run's flow and server CPU
    is most of such a step's cost), a step computing its shard from scratch still STEPS_PER_TASK."""
    import json

    from flows.pipeline import PATCH_STEPS_PER_TASK
    from tasks import steps
    from tasks.stages import code_version

    state = tmp_path / "state"
    shards = [f"shard-{k:02d}" for k in range(12)]
    for k, sid in enumerate(shards[:10]):  # the old shards' artifacts of the last run (shard-09's by other code)
        folder = state / "artifacts" / "members" / f"earlier{k}"
        folder.mkdir(parents=True)
        version = code_version("members") if sid != "shard-09" else "another version"
        (folder / steps.DONE_FILE).write_text(json.dumps({"code_version": version, "shard": sid}))
    dag = Dag(str(state), rebuild=False, progress=None, params={}, runtime={})
    work = {sid: ({"normalize": sid, "extract": sid, "dedupe": sid}, [sid], 10) for sid in shards}
    fresh = {"shard-11": 2, "shard-10": 2, "shard-08": 2, "shard-03": 1}  # 10, 11: new shards; 03, 08: pages changed
    (state / "artifacts" / "members" / "earlier8").rename(state / "artifacts" / "members" / "gone")  # 08 moved
    (state / "artifacts" / "members" / "gone" / steps.DONE_FILE).write_text("{}")
    done, launches = dag.submit("members", work, fresh)
    order = [sids for sids, _ in launches]
    # computed from scratch (four: STEPS_PER_TASK, a task run of their own), then shard-09, whose earlier
    # artifact is another code's
    assert done == {} and order[0] == ["shard-08", "shard-10", "shard-11"] and order[1] == ["shard-09"]
    patched = [f"shard-{k:02d}" for k in range(8)]
    assert len(order) == 3 and sorted(order[2]) == patched and len(patched) <= PATCH_STEPS_PER_TASK
    assert order[2][0] == "shard-03"  # the patches keep their rank's order (and Job.rank for the pool)
    assert dag.jobs["members"]["shard-03"].rank == 1
    again = Dag(str(state), rebuild=True, progress=None, params={}, runtime={})  # --rebuild lends nothing
    _, launches = again.submit("members", work, fresh)
    assert max(len(sids) for sids, _ in launches) <= steps.STEPS_PER_TASK


def test_fresh_counts_the_inputs_this_run_computed():
    run = "run-1"
    results = {
        "normalize": {"a": {"computed_by": "run-0"}, "b": {"computed_by": run}},
        "extract": {"a": {"computed_by": "run-0"}, "b": {"computed_by": run}},
        "annotate": {"a": {"computed_by": run}, "b": {"computed_by": run}},
        "dedupe": {"corpus": {"computed_by": run}},
    }
    assert fresh_shards("export", results, run) == {"a": 1, "b": 3}  # a global input is not a shard's
    assert fresh_shards("annotate", results, run) == {"b": 2}
    assert fresh_shards("dedupe", results, run) == {}  # a global stage has one step
    assert fresh_shards("annotate", results, None) == {}  # no flow run: no order


def test_reuse_parts_overtake_queued_repair_parts(monkeypatch):
    """repair and reuse both end the run (nothing reads them), but reuse becomes ready later (after
    reuse_hits) and still has its plan and finish calls to make one at a time: a reuse part that
    arrives while repair's parts wait for a worker goes first (both had one priority, so it waited
    behind every queued repair batch)."""
    import threading

    from tasks import pool

    assert call_priority("reuse") > call_priority("repair") > call_priority("export", 99)
    assert call_priority("reuse_hits") > call_priority("reuse")  # the chain after a stage still comes first
    monkeypatch.setattr(pool, "_workers", 1)
    gate, admitted = pool._Gate(), []
    gate.enter(call_priority("members"))  # the one worker is busy

    def call(stage: str) -> None:
        gate.enter(call_priority(stage))
        admitted.append(stage)
        gate.leave()

    threads = []
    for stage in ("repair", "repair", "reuse"):  # repair's batches queued first
        threads.append(threading.Thread(target=call, args=(stage,)))
        threads[-1].start()
        while len(gate.waiting) < len(threads):  # each waits before the next arrives
            threading.Event().wait(0.01)
    gate.leave()
    for t in threads:
        t.join(10)
    assert admitted == ["reuse", "repair", "repair"]


def test_a_shard_stage_with_stages_after_it_goes_before_global_parts_that_end_the_run():
    """annotate's calls (export reads them) go before repair's and reuse's parts (nothing reads those):
    with every global call first, a +1 % run's deferred annotate calls ran after the last reuse part and
    export after them. A global call still goes first among stages with as many stages after them."""
    for ending in ("repair", "reuse"):
        assert call_priority("annotate") > call_priority(ending)
        assert call_priority(ending) > call_priority("export", 99)
    assert call_priority("reuse_hits") > call_priority("annotate", 99)
    assert call_priority("dedupe") > call_priority("extract", 99)


def test_a_nightly_runs_new_shard_shares_the_patches_task_run(tmp_path):
    """A nightly run's new shard computes its step from scratch beside the old shards' patches: with fewer such
    steps than STEPS_PER_TASK they go in the patches' task run, first (and first for a worker: Job.rank), instead of
    one task run of their own per stage (a task run: ~10 ms of flow and ~43 ms of API-server CPU)."""
    import json

    from flows.pipeline import PATCH_STEPS_PER_TASK
    from tasks import steps
    from tasks.stages import code_version

    state = tmp_path / "state"
    shards = [f"shard-{k:02d}" for k in range(PATCH_STEPS_PER_TASK + 2)]
    for k, sid in enumerate(shards[:-1]):  # every old shard's artifact of the last run, by this code
        folder = state / "artifacts" / "members" / f"earlier{k}"
        folder.mkdir(parents=True)
        (folder / steps.DONE_FILE).write_text(json.dumps({"code_version": code_version("members"), "shard": sid}))
    dag = Dag(str(state), rebuild=False, progress=None, params={}, runtime={})
    work = {sid: ({"normalize": sid, "extract": sid, "dedupe": sid}, [sid], 10) for sid in shards}
    new = shards[-1]
    done, launches = dag.submit("members", {s: work[s] for s in [*shards[:4], new]}, {new: 3, "shard-02": 1})
    assert done == {} and [sids for sids, _ in launches] == [[new, "shard-02", "shard-00", "shard-01", "shard-03"]]
    assert dag.jobs["members"][new].rank == 3
    # more patches than a task run takes: the new shard still rides with them, every task run within the bound
    _, launches = dag.submit("members", work, {new: 3})
    order = [sids for sids, _ in launches]
    assert order[0][0] == new and sorted(s for sids in order for s in sids) == sorted(shards)
    assert len(order) == 2 and max(len(sids) for sids in order) <= PATCH_STEPS_PER_TASK


def test_a_stage_of_more_patches_than_a_task_run_takes_goes_out_in_one_round(tmp_path):
    """A nightly run's export patches every old shard (20k +1 %: 25 steps): more than one task run takes, so two
    batches (13 + 12). Counted a slot per step in the window (24), the second went out only once the first's last
    step ended; a batch of patches takes one slot (the thread its task run holds), so both go at once. Steps that
    compute their shard still take a slot each: a cold stage's batches beyond the window wait."""
    import json

    from flows.pipeline import PATCH_STEPS_PER_TASK, SHARD_WINDOW
    from tasks import steps
    from tasks.stages import code_version

    state = tmp_path / "state"
    shards = [f"shard-{k:02d}" for k in range(PATCH_STEPS_PER_TASK + 2)]
    for k, sid in enumerate(shards[:-1]):  # every old shard's artifact of the last run, by this code
        folder = state / "artifacts" / "members" / f"earlier{k}"
        folder.mkdir(parents=True)
        (folder / steps.DONE_FILE).write_text(json.dumps({"code_version": code_version("members"), "shard": sid}))
    work = {sid: ({"normalize": sid, "extract": sid, "dedupe": sid}, [sid], 10) for sid in shards}
    dag = Dag(str(state), rebuild=False, progress=None, params={}, runtime={})
    _, launches = dag.submit("members", work, {shards[-1]: 3})
    assert len(launches) == 2 and sum(len(sids) for sids, _ in launches) > SHARD_WINDOW
    first, second = (dag.slots("members", sids) for sids, _ in launches)
    assert dag.admits(0, first) and dag.admits(first, second)  # one round
    cold = Dag(str(tmp_path / "cold"), rebuild=False, progress=None, params={}, runtime={})
    _, launches = cold.submit("members", work)
    taken = [cold.slots("members", sids) for sids, _ in launches]
    assert taken == [len(sids) for sids, _ in launches] and max(taken) == steps.STEPS_PER_TASK
    in_flight, admitted = 0, 0
    for slots in taken:
        if not cold.admits(in_flight, slots):
            break
        in_flight, admitted = in_flight + slots, admitted + 1
    assert 0 < admitted < len(taken) and in_flight <= SHARD_WINDOW  # the rest wait for a free slot
