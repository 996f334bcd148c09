# Two entry points do all the set-up on a fresh machine: `make serve` and `make test`.
VENV    ?= .venv
PYTHON  ?= python3
BIN      = $(VENV)/bin
STAMP    = $(VENV)/.installed-stamp
CHROMIUM = /usr/bin/chromium
SUDO     = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser pdf-libs checkers validate build serve test bench lighthouse clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

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
	$(BIN)/contrat build

serve: install
	$(BIN)/python -m generator.settings mkdocs.yml
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

test: install browser pdf-libs checkers
	$(BIN)/python -m pytest

# Lighthouse on four pages behind a compressing local server (see bench/RESULTS.md); Debian's Chromium.
lighthouse: install browser
	cd bench/lighthouse && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	NO_MKDOCS_2_WARNING=1 CHROME_PATH=$(CHROMIUM) $(BIN)/python bench/lighthouse.py

clean:
	rm -rf site $(VENV) .pytest_cache tools/node_modules bench/lighthouse/node_modules

# Benchmark: prints times, memory and sizes at several scales (see bench/RESULTS.md).
bench: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/python bench/run.py
