# vnfacts: `make demo` and `make test` do all their own set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out

.PHONY: install demo test bench clean labelstudio annotate chromium redis transformers

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	mkdir -p $(OUT)
	$(BIN)/vnfacts demo --corpus corpus --out $(OUT)

test: $(STAMP) labelstudio chromium redis transformers
	$(BIN)/python -m pytest -q

# The optional token-classification backend (torch CPU wheel + transformers), so its test runs
# a tiny checkpoint built on the fly. Optional: if it cannot be installed, that test is skipped.
transformers: $(STAMP)
	@$(BIN)/python -c "import torch, transformers" 2>/dev/null \
	  || $(BIN)/python -m pip install -q -e '.[transformers]' \
	  || echo "warning: torch/transformers could not be installed; the transformers backend test will be skipped" >&2

# Label Studio (the annotators' tool) in its own virtual environment: it pins its own Django and
# numpy. Made once (~1 minute), only when missing; the stamp records the pinned version.
LS_VENV    := .venv-labelstudio
LS_VERSION := 1.23.2
LS_STAMP   := $(LS_VENV)/.installed-$(LS_VERSION)

# If it cannot be installed, the tests that need a running Label Studio are skipped and say why.
$(LS_STAMP):
	@( test -x $(LS_VENV)/bin/python || $(PYTHON) -m venv $(LS_VENV) ) \
	  && $(LS_VENV)/bin/python -m pip install -q --upgrade pip \
	  && $(LS_VENV)/bin/python -m pip install -q 'label-studio==$(LS_VERSION)' \
	  && touch $(LS_STAMP) \
	  || echo "warning: label-studio $(LS_VERSION) could not be installed in $(LS_VENV); its tests will be skipped" >&2

labelstudio: $(LS_STAMP)

# Start Label Studio on http://127.0.0.1:8080 for an annotator (Ctrl-C stops it).
annotate: $(STAMP) labelstudio
	$(BIN)/vnfacts annotate serve --port $(or $(PORT),8080)

# Headless Chromium for the site's browser tests (tests/publish): Debian's package, installed
# with apt-get only when /usr/bin/chromium is missing (instant otherwise).
chromium:
	bash scripts/ensure-chromium.sh

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

# Benchmarks (bench/, results in bench/results/): on demand, never part of `make test`. Installs
# the scaling engine (Dask) first; instant when it is already there.
bench: $(STAMP)
	$(BIN)/python -c "import dask.distributed" 2>/dev/null || $(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(OUT) .pytest_cache tests/artifacts
