# `make run` and `make test` each build .venv first; nothing else needs installing by hand
# except Chromium for the browser tests (`make test` installs Debian's when run as root).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8866
HUB_PORT ?= 8000
# JupyterHub's proxy for `make hub` and the hub's browser tests: npm's configurable-http-proxy, every
# version pinned by proxy/package-lock.json, installed into the virtualenv
PROXY := $(VENV)/node_modules/.bin/configurable-http-proxy
export NEGLECT_KIT_DB ?= sqlite:///$(CURDIR)/data/neglect_kit.sqlite
# a hung notebook kernel must not hold CI (see docs/testing.md)
TIMEOUT := timeout --kill-after=30

.PHONY: install run demo hub test lint unit notebooks research-outputs browser bench lock clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

$(PROXY): $(STAMP) proxy/package.json proxy/package-lock.json
	cp proxy/package.json proxy/package-lock.json $(VENV)/
	npm ci --prefix $(VENV) --omit=dev --no-audit --no-fund --loglevel=error
	touch $(PROXY)

install: $(STAMP) $(PROXY)

demo: $(STAMP)
	$(BIN)/neglect-kit demo

run: demo
	$(BIN)/neglect-kit serve --port $(PORT)

# a team's server (docs/deployment-hub.md): as root, NEGLECT_KIT_DB naming the team's PostgreSQL over its
# socket, HUB_USERS the accounts who may sign in (comma-separated)
hub: $(STAMP) $(PROXY)
	$(BIN)/neglect-kit hub --port $(HUB_PORT) $(if $(HUB_USERS),--users $(HUB_USERS))

lint: $(STAMP)
	$(BIN)/ruff check neglect_kit tests benchmarks
	$(BIN)/lint-imports

unit: $(STAMP) $(PROXY)
	$(TIMEOUT) 600 $(BIN)/pytest tests --ignore=tests/e2e --ignore=tests/e2e_hub -q -n auto --maxprocesses=4

NBVAL_OPTS := -q -p no:playwright --nbval-cell-timeout=120 --nbval-kernel-startup-timeout=60 \
	--nbval-sanitize-with tests/nbval_sanitize.cfg
# the analysis notebooks are checked strictly (their stored outputs against a fresh run), on a new database
# holding the sample corpus and its codings alone (--noconftest: the root conftest.py would point the kernels at a
# database of its own); `make research-outputs` stores a fresh run's outputs
RESEARCH_NOTEBOOKS := notebooks/research/prevalence.ipynb notebooks/research/cooccurrence.ipynb
RESEARCH_DB = scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	export NEGLECT_KIT_DB="sqlite:///$$scratch/research.sqlite" NEGLECT_KIT_DATA="$$scratch/data" && \
	unset MPLBACKEND NEGLECT_KIT_SETTINGS && \
	$(BIN)/neglect-kit reviews load sample_cases/reviews --codings sample_cases/reviews/sample_codings.csv >/dev/null

notebooks: $(STAMP)
	NEGLECT_KIT_STRICT=1 $(TIMEOUT) 300 $(BIN)/pytest --nbval-lax notebooks $(NBVAL_OPTS) \
		$(addprefix --ignore=,$(RESEARCH_NOTEBOOKS))
	$(RESEARCH_DB) && NEGLECT_KIT_STRICT=1 $(TIMEOUT) 300 $(BIN)/pytest --noconftest --nbval $(RESEARCH_NOTEBOOKS) \
		$(NBVAL_OPTS)

research-outputs: $(STAMP)
	$(RESEARCH_DB) && NEGLECT_KIT_STRICT=1 $(TIMEOUT) 300 $(BIN)/jupyter nbconvert --to notebook --execute \
		--inplace --ExecutePreprocessor.record_timing=False $(RESEARCH_NOTEBOOKS)

.PHONY: chromium
chromium:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq chromium; } \
		|| { echo "Browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)"; exit 1; }

browser: $(STAMP) $(PROXY) chromium
	$(TIMEOUT) 600 $(BIN)/pytest tests/e2e -q
	$(TIMEOUT) 400 $(BIN)/pytest tests/e2e_hub -q

test: lint unit notebooks browser

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# refresh the pinned versions after changing pyproject.toml's dependencies
lock:
	rm -rf /tmp/neglect-kit-lock && $(PYTHON) -m venv /tmp/neglect-kit-lock
	/tmp/neglect-kit-lock/bin/pip install --quiet -e '.[test]'
	/tmp/neglect-kit-lock/bin/pip freeze --exclude-editable | grep -v '^neglect-kit' > constraints.txt

clean:
	rm -rf $(VENV) data test-results
