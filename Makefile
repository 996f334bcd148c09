# Two entry points do all the set-up on a fresh machine: `make serve` and `make test`.
VENV    ?= .venv
PYTHON  ?= python3
BIN      = $(VENV)/bin
STAMP    = $(VENV)/.installed-stamp
CHROMIUM = /usr/bin/chromium
SUDO     = $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The publishing engine of `make build` and `make serve`: mkdocs, properdocs or zensical (build only)
# (README « Moteurs de publication »);
# empty: `contrat build` takes MkDocs, or ProperDocs when MkDocs is not installed, and `make serve` MkDocs.
MOTEUR  ?=

.PHONY: install lock browser pdf-libs checkers validate build serve test golden bench lighthouse clean

# The tests run the versions the publication installs: both come from the hashed lock files (`make lock`).
$(STAMP): pyproject.toml requirements.lock requirements-test.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(STAMP)

# After a change of the dependencies in pyproject.toml: requirements.lock holds what the workflows install
# (the engine and its build backend), requirements-test.lock the same versions plus the test extras.
# Existing pins are kept while they fit; LOCK_ARGS=--upgrade takes the newest versions the ranges allow.
LOCK = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
       --custom-compile-command 'make lock' $(LOCK_ARGS)
lock: install
	$(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
	  | $(LOCK) pyproject.toml - -o requirements.lock
	$(LOCK) pyproject.toml --extra test -c requirements.lock -o requirements-test.lock

# Browser tests drive Debian's Chromium: no browser download.
browser: $(CHROMIUM)
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# The PDF of the printable contract is made by WeasyPrint, which needs Debian's Pango.
pdf-libs:
	@ldconfig -p | grep -q libpangoft2-1.0 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }

# The site's outside judges (tools/package.json, pinned): pa11y drives Debian's Chromium (no browser
# download), the Nu HTML Checker runs with Java. No install scripts: they would fetch browsers or a JDK.
checkers: browser
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jre-headless; }
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	cd tools && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

validate: install
	$(BIN)/contrat validate

build: install pdf-libs
	$(BIN)/contrat build $(if $(MOTEUR),--moteur $(MOTEUR))

serve: install
	@[ "$(MOTEUR)" != zensical ] || { echo "make serve : Zensical n'exécute pas le greffon du contrat ; aperçu avec MkDocs (make serve) ou ProperDocs (MOTEUR=properdocs), ou : contrat build --moteur zensical puis python3 -m http.server -d site" >&2; exit 2; }
	$(BIN)/python -m generator.engine.settings mkdocs.yml
	$(BIN)/$(or $(MOTEUR),mkdocs) serve --config-file mkdocs.yml --dev-addr 127.0.0.1:8000

test: install browser pdf-libs checkers
	$(BIN)/python -m pytest

# Rewrites tests/golden/*.json (the hash of every file each fixture contract's build writes): review the diff.
golden: install pdf-libs
	$(BIN)/python -m tests.golden

# Lighthouse on four pages behind a compressing local server (see bench/RESULTS.md); Debian's Chromium.
lighthouse: install browser
	cd bench/lighthouse && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	NO_MKDOCS_2_WARNING=1 CHROME_PATH=$(CHROMIUM) $(BIN)/python bench/lighthouse.py

clean:
	rm -rf site $(VENV) .pytest_cache tools/node_modules bench/lighthouse/node_modules

# Benchmark: prints times, memory and sizes at several scales (see bench/RESULTS.md).
bench: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/python bench/run.py
