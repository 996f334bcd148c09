# Two entry points do all the set-up on a fresh machine: `make serve` and `make test`.
VENV    ?= .venv
PYTHON  ?= python3
BIN      = $(VENV)/bin
STAMP    = $(VENV)/.installed-stamp
CHROMIUM = /usr/bin/chromium
SUDO     = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser pdf-libs validate build serve test bench clean

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

validate: install
	$(BIN)/contrat validate

build: install pdf-libs
	$(BIN)/contrat build

serve: install
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

test: install browser pdf-libs
	$(BIN)/python -m pytest

clean:
	rm -rf site $(VENV) .pytest_cache

# Benchmark: prints times, memory and sizes at several scales (see bench/RESULTS.md).
bench: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/python bench/run.py
