# The two commands a fresh clone needs: `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test test-fast test-durations lint format bench docs clean

# SETUP=0 (CI: .ci/run) leaves `jianghua setup` out of the install: the suite runs on Prefect homes of its own
# (tests/conftest.py) and tests setup on a fresh home itself (tests/test_cli.py, tests/test_procs.py), so the database
# it prepares under ~/.prefect is never read there (~7 s of a quiet install, README; at load ~40 it spent 20 CPU-s and
# timed out after 180 s waiting for its temporary server). A run without it prepares the database on its start.
SETUP ?= 1
SETUP_CMD = $(if $(filter 0,$(SETUP)),@true,$(BIN)/jianghua setup)

# pip compiles every installed package's bytecode one file at a time (~9,300 files); compileall writes the same
# files on every core (-j 0). A file that does not compile (a template or test file shipped as .py) is skipped, as pip
# skips it: hence `|| true`.
# The last step writes bytecode for our own modules, as pip does for every installed package: an editable
# install has none, and where PYTHONDONTWRITEBYTECODE is set every run's CLI and each pool worker compiled
# the modules it imports again (~0.25 CPU-s a process). A source edited later is compiled in memory as
# before (its stale .pyc is never used).
$(VENV)/.installed: pyproject.toml requirements.lock setup.py tasks/_kernels.pyx tasks/_textscan.pyx
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --no-compile -r requirements.lock
	$(BIN)/python -m compileall -q -j 0 $$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))') >/dev/null || true
	$(BIN)/pip install -q --no-deps -e .
	$(BIN)/python -m compileall -q -j 0 flows tasks bench >/dev/null
	$(SETUP_CMD)  # Prefect's local database, created once here rather than in the first run
	touch $@

install: $(VENV)/.installed

demo: install  ## run the pipeline on the sample pages in data/ -> out/samples
	$(BIN)/jianghua run data/samples --out out/samples

# One test worker more than the cores: the suite waits on spawned workers, servers and subprocesses for ~15 % of
# its wall time (session 57's CI: 1,575 CPU-s over 970 s on 2 cores), which a third worker fills.
TEST_WORKERS ?= $(shell $(PY) -c 'import os; print(len(os.sched_getaffinity(0)) + 1)')

test: install  ## run the test suite (servers and clusters included), on every core
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

test-fast: install  ## the suite without servers and clusters, on every core
	$(BIN)/python -m pytest -q -m "not slow" -n auto --dist loadfile --no-loadscope-reorder

test-durations: install  ## run the suite and record each test file's seconds (tests/durations.json: heaviest files start first)
	JIANGHUA_TEST_DURATIONS=1 $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

lint: install  ## ruff (lint + format check) and mypy over the whole tree
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy flows tasks

format: install  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install  ## time a run on a corpus folder (default: ../shared/corpus/real)
	$(BIN)/python -m bench.pipeline $(or $(CORPUS),../shared/corpus/real)

docs: install  ## regenerate docs/columns.md (tasks/schema.py) and docs/rules.md (the rule registry)
	$(BIN)/python -m tasks.schema > docs/columns.md
	$(BIN)/python -m tasks.normalize_rules > docs/rules.md

clean:
	rm -rf out $(VENV)
