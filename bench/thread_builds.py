"""A landing folder (the samples by default) built in fresh processes with stage code on several threads of one
process — inline (JIANGHUA_INLINE=1, workers=2: Prefect's thread pool runs several shards' steps at once) and on a
threaded Dask LocalCluster (processes=False, threads_per_worker=2) — against a build on worker processes: every
published table's bytes must be equal. Each build is a new process with an empty table cache, so its first documents
on two threads meet every lazily built table unbuilt and build and save them (session 61's CI failure was such a
race: two threads filling the keywords' segmenter; tests/test_threads.py races each shared table on its own). Not a
test: the three builds cost ~86 CPU-s (pool 19.2, inline 26.8, Dask 40.2 on the samples, session 61).

    PREFECT_HOME=/tmp/x python bench/thread_builds.py --rounds 3 [--landing data/samples] [--shard-docs 4]

One temporary Prefect server (the CLI's) serves every build and is stopped at the end. Prints each build's CPU-s
(the child and its workers) and whether its tables equal the reference; exits 1 on a difference. One build at a time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MODES = ("pool", "inline", "dask")


def tables(out: Path) -> dict[str, str]:
    """sha256 of every published Parquet file, by its path below OUT less the release id its name carries (builds that
    differ anywhere differ in every name: the id hashes the content)."""
    from tasks import schema

    return {
        f"{table}/{RELEASE_IN_NAME.sub('part-', p.name)}": hashlib.sha256(p.read_bytes()).hexdigest()
        for table in schema.TABLES
        for p in sorted((out / table).glob("*.parquet"))
    }


RELEASE_IN_NAME = re.compile(r"^part-[0-9a-f]+-")  # `part-<release id>-shard-<shard>.parquet`


def child(mode: str, landing: str, out: str, shard_docs: int) -> None:
    """One build in this (fresh) process; prints its tables' digests as JSON."""
    from flows.pipeline import build_corpus

    if mode == "dask":
        from distributed import Client, LocalCluster

        with (
            LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster,
            Client(cluster),
        ):
            build_corpus(
                inputs=[landing], out=out, target_shard_docs=shard_docs, dask_address=cluster.scheduler_address
            )
    else:  # the reference on one worker process (a process pool, one core); inline: two threads' worth of steps
        build_corpus(inputs=[landing], out=out, workers=1 if mode == "pool" else 2, target_shard_docs=shard_docs)
    print(json.dumps(tables(Path(out))))


def build(mode: str, landing: str, out: Path, shard_docs: int, api_url: str, scratch: Path) -> tuple[dict, float]:
    """(tables, CPU-s of the child process tree) of one build in a new process with an empty table cache."""
    cache = scratch / f"cache-{out.name}"
    env = dict(os.environ, PREFECT_API_URL=api_url, JIANGHUA_CACHE=str(cache))
    env.pop("JIANGHUA_INLINE", None)
    if mode == "inline":
        env["JIANGHUA_INLINE"] = "1"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    args = [sys.executable, __file__, "--child", mode, "--landing", landing, "--out", str(out)]
    done = subprocess.run(
        [*args, "--shard-docs", str(shard_docs)], env=env, capture_output=True, text=True, check=False
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} build failed:\n{done.stderr[-4000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return json.loads(done.stdout.strip().splitlines()[-1]), cpu


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3, help="threaded builds of each kind (each a fresh process)")
    ap.add_argument("--landing", default=str(ROOT / "data" / "samples"))
    ap.add_argument("--shard-docs", type=int, default=4, help="target_shard_docs: several shards run side by side")
    ap.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.landing, args.out, args.shard_docs)
        return 0
    from flows import cli

    cli._server_defaults()
    scratch = Path(tempfile.mkdtemp(prefix="jianghua-thread-builds-"))
    server = cli.TemporaryServer()
    failed = 0
    try:
        if not server.join():
            raise RuntimeError(server.failed)
        started = time.monotonic()
        want, cpu = build("pool", args.landing, scratch / "pool", args.shard_docs, server.api_url, scratch)
        print(f"pool      reference  {len(want)} files  {cpu:6.1f} CPU-s", flush=True)
        for r in range(args.rounds):
            for mode in ("inline", "dask"):
                out = scratch / f"{mode}-{r}"
                got, cpu = build(mode, args.landing, out, args.shard_docs, server.api_url, scratch)
                differ = sorted(k for k in want.keys() | got.keys() if want.get(k) != got.get(k))
                failed += bool(differ)
                print(f"{mode:9} round {r}    {'same bytes' if not differ else 'DIFFERS: ' + ', '.join(differ)}"
                      f"  {cpu:6.1f} CPU-s", flush=True)  # fmt: skip
                shutil.rmtree(out, ignore_errors=True)
        print(f"{time.monotonic() - started:.0f} s; {failed} build(s) differ")
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
