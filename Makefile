# Two commands do all set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench bench-licenses clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m openness.licenses.spdx_text
	@# Byte-compile now: with PYTHONDONTWRITEBYTECODE set, every run would recompile the sources.
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

demo: $(STAMP)
	@for d in examples/*/; do \
		echo "== openness audit $$d"; \
		$(BIN)/openness audit "$$d" || true; \
	done
	@echo "== summary (openness check --require osaid-1.0)"
	@for d in examples/*/; do \
		printf '%-26s ' "$$d"; $(BIN)/openness check "$$d" --format json 2>&1 >/dev/null | grep -v '^ ' | tail -1; \
	done

# The HTML report test opens the page in Debian's headless Chromium; install it when root can.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing Debian's chromium for the HTML report test"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) \
		>/dev/null || echo "chromium could not be installed: the browser test of the HTML report will be skipped"; \
	else \
		echo "chromium is missing and this is not root: the browser test of the HTML report will be skipped"; \
	fi

test: $(STAMP) browser
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m compileall -q src
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/manifests.py
	$(BIN)/python benchmarks/hub.py

bench-licenses: $(STAMP)
	$(BIN)/python -m compileall -q src
	$(BIN)/python benchmarks/licenses.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
