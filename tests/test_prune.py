"""Pruning the state a run did not use: a killed prune never leaves a stage folder holding an
artifact whose `_done.json` promises files that are gone (a later run keyed the same would be
served it as complete), and the next run deletes whatever the killed one set aside."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

from tasks import steps

# One kept and three unused artifacts of two stages, nine files each: with their files deleted in
# directory order, a kill after the first file of each unused artifact leaves `_done.json` behind
# unless it was listed first in all three (about 1 in 700 orders).
FILES = [f"part-{i}.parquet" for i in range(8)]
ARTIFACTS = {
    ("members", "kept"): True,
    ("members", "old1"): False,
    ("export", "old2"): False,
    ("export", "old3"): False,
}
COUNTED = ("unlink", "rmdir", "rename", "mkdir")


def _state(root: Path) -> Path:
    state = root / ".state"
    for (stage, key), _kept in ARTIFACTS.items():
        folder = state / "artifacts" / stage / key
        folder.mkdir(parents=True)
        for name in FILES:
            (folder / name).write_bytes(name.encode() * 100)
        (folder / steps.DONE_FILE).write_text(json.dumps({"dir": str(folder)}), encoding="utf-8")
        results = state / "prefect-results"
        results.mkdir(exist_ok=True)
        (results / key).write_text("{}", encoding="utf-8")
    return state


def _keep() -> set[str]:
    return {key for (_, key), kept in ARTIFACTS.items() if kept}


def _whole_or_gone(state: Path) -> list[str]:
    """Artifacts in a stage folder whose `_done.json` is there but some file is not."""
    bad = []
    for (stage, key), _kept in ARTIFACTS.items():
        folder = state / "artifacts" / stage / key
        if (folder / steps.DONE_FILE).exists() and not all((folder / n).exists() for n in FILES):
            bad.append(f"{stage}/{key}")
    return bad


def _prune_killed_at(state: Path, kill_at: int) -> int:
    """Fork a pruner that SIGKILLs itself just before its kill_at-th filesystem change."""
    pid = os.fork()
    if pid == 0:  # child: no pytest cleanup, no exceptions escaping
        try:
            calls = [0]

            def counted(fn):
                def wrapper(*a, **k):
                    calls[0] += 1
                    if calls[0] == kill_at:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return fn(*a, **k)

                return wrapper

            for name in COUNTED:
                setattr(os, name, counted(getattr(os, name)))
            steps.prune_state(str(state), _keep())
            os._exit(0)
        except BaseException:  # noqa: BLE001
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return status


def test_a_prune_killed_at_any_step_leaves_no_partial_artifact_and_the_next_prune_finishes(tmp_path):
    kill_points = 60  # the prune makes ~40 changes (4 renames, 30 unlinks, 4 rmdirs): the last points run to the end
    finished = 0
    for k in range(1, kill_points):
        state = _state(tmp_path / f"run-{k}")
        status = _prune_killed_at(state, k)
        assert os.WIFSIGNALED(status) or os.WEXITSTATUS(status) == 0, (k, status)
        finished += not os.WIFSIGNALED(status)
        assert _whole_or_gone(state) == [], k
        # the next run prunes what this one left, its set-aside folder included
        assert steps.prune_state(str(state), _keep())["artifacts"] <= 3
        assert sorted(p.relative_to(state).as_posix() for p in (state / "artifacts").iterdir()) == [
            "artifacts/export",
            "artifacts/members",
        ], k
        assert [p.name for p in (state / "artifacts" / "members").iterdir()] == ["kept"]
        assert list((state / "artifacts" / "export").iterdir()) == []
        assert sorted(os.listdir(state / "artifacts" / "members" / "kept")) == sorted([*FILES, steps.DONE_FILE])
        assert os.listdir(state / "prefect-results") == ["kept"]
    assert finished  # the last kill points come after the prune's last change


def test_set_aside_counts_as_prune_did_and_discard_may_run_beside_other_work(tmp_path):
    state = _state(tmp_path)
    removed, trash = steps.set_aside(str(state), _keep())
    assert removed == {"artifacts": 3, "results": 3}
    assert trash is not None and trash.parent == state / "artifacts" and trash.name.startswith(steps.PRUNED)
    # the stage folders hold only what is kept from now on, before anything is deleted
    assert [p.name for p in (state / "artifacts" / "members").iterdir()] == ["kept"]
    assert sorted(p.name for p in trash.iterdir()) == ["export-old2", "export-old3", "members-old1"]
    worker = threading.Thread(target=steps.discard, args=(trash,))
    worker.start()
    worker.join()
    assert not trash.exists()
    assert steps.set_aside(str(state), _keep()) == ({"artifacts": 0, "results": 0}, None)
