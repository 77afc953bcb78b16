# vnfacts: `make demo` and `make test` do all their own set-up on a fresh machine.
#
# Every environment is installed through a committed lock (locks/): the same versions on every
# machine and every day. uv installs a lock in seconds and is used when it is on the PATH; without
# it, plain pip installs through the same files (only Python is needed). `make locks` refreshes
# them after a change to pyproject.toml or locks/*.in (see the README, "Dependencies").
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := locks/main.txt
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out
PORT   ?= 8001
UV     ?= $(shell command -v uv 2>/dev/null)

.PHONY: install demo test bench vectors clean locks labelstudio annotate chromium redis transformers wheelhouse

# The lock is also the build constraint, so the editable build's setuptools is pinned too.
ifneq ($(UV),)
# --compile-bytecode: every command starts from compiled modules, also where Python may not write
# them itself (PYTHONDONTWRITEBYTECODE): up to a second of CPU at each start on a slow machine.
INSTALL = $(UV) pip install -q --compile-bytecode --python
INSTALL_MAIN = $(INSTALL) $(BIN)/python --build-constraint $(LOCK) -c $(LOCK)
else
INSTALL_MAIN = PIP_CONSTRAINT=$(abspath $(LOCK)) $(BIN)/python -m pip install -q
endif

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(INSTALL_MAIN) -e '.[test,bench,train]'
	$(BIN)/python -m compileall -q extractor crawler publish vnfacts  # the project's own modules (editable)
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	mkdir -p $(OUT)
	$(BIN)/vnfacts demo --corpus corpus --out $(OUT) --port $(PORT)

test: $(STAMP) labelstudio chromium redis transformers wheelhouse
	$(BIN)/python -m pytest -q

# Refresh every lock from pyproject.toml and locks/*.in (needs uv: `pip install uv`). Run it after
# changing a dependency, and commit the locks with that change.
locks:
	uv pip compile -q pyproject.toml --extra test --extra bench --extra train --universal --python-version 3.11 -o $(LOCK)
	uv pip compile -q pyproject.toml locks/transformers.in --extra test --extra bench --extra transformers \
	  --universal --python-version 3.11 -c $(LOCK) -o locks/transformers.txt
	uv pip compile -q locks/labelstudio.in --universal --python-version 3.11 -o locks/labelstudio.txt

# The optional token-classification backend (torch + transformers), so that its test runs a tiny
# checkpoint built on the fly. torch's CPU build is asked for by name (never a CUDA build); where the
# machine offers none, the backend is left out and its test is skipped with a warning.
TORCH_CPU := torch==2.13.0+cpu
transformers: $(STAMP)
	@$(BIN)/python -c "import torch, transformers" 2>/dev/null \
	  || { $(BIN)/python -m pip install -q --only-binary :all: -c locks/transformers.txt '$(TORCH_CPU)' \
	       && $(BIN)/python -m pip install -q -c locks/transformers.txt -e '.[test,bench,transformers]'; } \
	  || echo "warning: no CPU build of torch here ($(TORCH_CPU)); the transformers backend test will be skipped" >&2

# The runtime dependencies as wheels, for tests/test_wheel.py: it installs the built vnfacts wheel
# into a new virtualenv from this folder alone (offline), through the lock.
WHEELHOUSE := .cache/wheelhouse
WHEELHOUSE_STAMP := $(WHEELHOUSE)/.stamp
$(WHEELHOUSE_STAMP): $(LOCK) pyproject.toml | $(STAMP)
	mkdir -p $(WHEELHOUSE)
	$(BIN)/python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))" \
	  > $(WHEELHOUSE)/runtime.txt
	$(BIN)/python -m pip wheel -q -c $(LOCK) -r $(WHEELHOUSE)/runtime.txt -w $(WHEELHOUSE)
	touch $@
wheelhouse: $(WHEELHOUSE_STAMP)

# Label Studio (the annotators' tool) in its own virtual environment, through its own lock (it pins
# its own Django and numpy). If it cannot be installed, the tests that need a running Label Studio
# are skipped and say why.
LS_VENV  := .venv-labelstudio
LS_LOCK  := locks/labelstudio.txt
LS_STAMP := $(LS_VENV)/.installed-stamp
ifneq ($(UV),)
LS_INSTALL = $(UV) pip install -q --python $(LS_VENV)/bin/python -r $(LS_LOCK)
else
LS_INSTALL = $(LS_VENV)/bin/python -m pip install -q -r $(LS_LOCK)
endif
$(LS_STAMP): $(LS_LOCK)
	@( test -x $(LS_VENV)/bin/python || $(PYTHON) -m venv $(LS_VENV) ) \
	  && $(LS_INSTALL) && touch $(LS_STAMP) \
	  || echo "warning: Label Studio could not be installed in $(LS_VENV) from $(LS_LOCK); its tests will be skipped" >&2

labelstudio: $(LS_STAMP)

# Start Label Studio on http://127.0.0.1:8080 for an annotator (Ctrl-C stops it; ANNOTATE_PORT=N).
ANNOTATE_PORT ?= 8080
annotate: $(STAMP) labelstudio
	$(BIN)/vnfacts annotate serve --port $(ANNOTATE_PORT)

# Headless Chromium for the site's browser tests (tests/publish): Debian's package, installed
# with apt-get only when /usr/bin/chromium is missing (instant otherwise). Where it cannot be
# installed (no root, no apt), the browser tests are skipped and say why (never in CI).
chromium:
	@bash scripts/ensure-chromium.sh || echo "warning: Chromium could not be installed; the browser tests will be skipped" >&2

# A Redis server for the crawler's several-machines test (tests/crawler/test_crawler_redis.py
# starts its own on 127.0.0.1): Debian's package, installed only when redis-server is missing
# (~6 s; instant otherwise). If it cannot be installed, that test is skipped and says why.
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); export DEBIAN_FRONTEND=noninteractive; \
	  echo "installing Debian redis-server (once)" >&2; \
	  { $$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1 \
	    || { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null; }; } \
	  || echo "warning: redis-server could not be installed; the crawler's Redis test will be skipped" >&2; }

# floret subword vectors for the ORG/LOC model, trained on the 35k-article corpus (~25 min on one
# core; floret takes no seed, one thread makes a run repeat). Commit models/vectors with its
# vectors.json. The model: `vnfacts train --vectors models/vectors`.
VECTORS_CORPUS ?= ../shared/corpus/baomoi-all.jsonl.gz
vectors: $(STAMP)
	$(BIN)/vnfacts vectors $(VECTORS_CORPUS) --out models/vectors

# Benchmarks (bench/, results in bench/results/): on demand, never part of `make test`.
bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(OUT) .pytest_cache tests/artifacts
