# logdx — the two set-up commands are `make demo` and `make test`; both install what is missing.
SWIFT   ?= swift
PREFIX  ?= /usr/local
RELEASE := .build/release/logdx
DEBUG   := .build/debug/logdx
DEMO    := --config Fixtures/config/seed-uv/.gitlab-ci.yml Fixtures/pipelines/seed-uv-system-python/gitlab-ci-local.log
# apt-get needs root; use sudo when we are not root and it exists.
SUDO    := $(shell [ "$$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && echo sudo)

.PHONY: help deps test-deps build debug test demo install uninstall record clean eval bench fuzz

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

deps: ## install the system packages logdx builds with (libpcre2-dev, libvectorscan-dev, zlib1g-dev), if missing
	@missing=""; \
	pkg-config --exists libpcre2-8 2>/dev/null || missing="$$missing libpcre2-dev pkg-config"; \
	pkg-config --exists zlib 2>/dev/null || missing="$$missing zlib1g-dev pkg-config"; \
	pkg-config --exists libhs 2>/dev/null || missing="$$missing libvectorscan-dev pkg-config"; \
	if [ -n "$$missing" ]; then \
	  echo "logdx: installing$$missing with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@pkg-config --exists libpcre2-8 || { echo "logdx: libpcre2-8 not found by pkg-config; install libpcre2-dev (Debian/Ubuntu) or pcre2 (Homebrew)" >&2; exit 1; }
	@pkg-config --exists libhs || { echo "logdx: libhs not found by pkg-config; install libvectorscan-dev (Debian/Ubuntu) or vectorscan (Homebrew)" >&2; exit 1; }
	@pkg-config --exists zlib || { echo "logdx: zlib not found by pkg-config (GitHub's log archives are zip files); install zlib1g-dev (Debian/Ubuntu)" >&2; exit 1; }

build: deps ## release build: .build/release/logdx
	$(SWIFT) build -c release --product logdx

debug: deps
	$(SWIFT) build

demo: build ## build, then diagnose the seed pipeline (uv on GitLab CI)
	@echo
	@echo "\$$ logdx $(DEMO)"
	@$(RELEASE) $(DEMO)

# The tests also need python3 (the loopback CI API server) and chromium (the HTML report test).
test-deps: deps
	@missing=""; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "logdx: installing$$missing with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

test: test-deps ## unit tests, rule fixtures with golden outputs, CLI snapshots, the CI hook on loopback
	$(SWIFT) build
	python3 Tests/Tools/test_fake_ci_api.py
	$(SWIFT) test
	$(DEBUG) rules test

record: debug ## rewrite golden outputs (review the diff before committing)
	LOGDX_RECORD=1 $(DEBUG) rules test
	LOGDX_RECORD=1 $(SWIFT) test

install: build ## install into $(PREFIX)/bin with the rules in $(PREFIX)/share/logdx
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/logdx
	install -m 755 $(RELEASE) $(DESTDIR)$(PREFIX)/bin/logdx
	rm -rf $(DESTDIR)$(PREFIX)/share/logdx/Rules $(DESTDIR)$(PREFIX)/share/logdx/Fixtures
	cp -R Rules Fixtures $(DESTDIR)$(PREFIX)/share/logdx/

uninstall: ## remove what install put in place
	rm -rf $(DESTDIR)$(PREFIX)/bin/logdx $(DESTDIR)$(PREFIX)/share/logdx

clean:
	rm -rf .build

bench: build ## time logdx scan against rg and pcre2grep on ~1 GB of generated logs; peak RSS; latency
	@missing=""; command -v rg >/dev/null 2>&1 || missing="$$missing ripgrep"; \
	command -v pcre2grep >/dev/null 2>&1 || missing="$$missing pcre2-utils"; \
	[ -x /usr/bin/time ] || missing="$$missing time"; \
	if [ -n "$$missing" ]; then echo "logdx: installing$$missing with apt-get"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi
	python3 Tests/Tools/bench.py $(RELEASE) .build-bench

fuzz: deps ## libFuzzer on ingest, diagnose and the rule loader (FUZZ_SECONDS per target, default 200)
	bash Tests/Tools/fuzz.sh

# The previous run's results are kept in .build/eval (each checkout its own); the first run has none.
EVAL_STATE := .build/eval
eval: build ## score real pasted failures (wild-dev) and failure excerpts (cidiff, LogChunks), with the previous run
	python3 Tests/Tools/wild_dev_eval.py $(RELEASE) ../shared/datasets/wild-dev ../shared/tools/check_cases.py $(EVAL_STATE)
	python3 Tests/Tools/excerpt_eval.py $(RELEASE) ../shared/datasets --previous $(EVAL_STATE)/excerpts.json

# Batch scans (issue 5): generated pipelines → logdx scan → logdx report (text and HTML).
SCAN_DEMO := .build-scan-demo
.PHONY: scan-demo scan-report-png
scan-demo: build ## generate ~240 pipelines, scan them into SQLite, print the report and write report.html
	python3 Tests/Tools/generate_pipelines.py $(SCAN_DEMO)/logs --seed 7
	rm -f $(SCAN_DEMO)/logdx.sqlite*
	$(RELEASE) scan $(SCAN_DEMO)/logs --db $(SCAN_DEMO)/logdx.sqlite
	$(RELEASE) report --db $(SCAN_DEMO)/logdx.sqlite
	$(RELEASE) report --db $(SCAN_DEMO)/logdx.sqlite --format html > $(SCAN_DEMO)/report.html
	@echo "logdx: HTML report in $(SCAN_DEMO)/report.html"

scan-report-png: deps scan-demo ## render the demo's HTML report to a PNG with headless Chromium
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1800 \
	  --screenshot=$(SCAN_DEMO)/report.png file://$(CURDIR)/$(SCAN_DEMO)/report.html
	@echo "logdx: screenshot in $(SCAN_DEMO)/report.png"
