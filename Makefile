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

# mimalloc's shared library, empty when it is not installed. Expanded when a recipe runs, so
# `build` sees what `deps` has just installed.
MIMALLOC = $(shell f=$$($${CC:-cc} -print-file-name=libmimalloc.so); [ -f "$$f" ] && echo "$$f")

deps: ## install the system packages logdx builds with (libpcre2-dev, libvectorscan-dev, zlib1g-dev, libzstd-dev, libmimalloc-dev), if missing
	@missing=""; \
	pkg-config --exists libpcre2-8 2>/dev/null || missing="$$missing libpcre2-dev pkg-config"; \
	pkg-config --exists zlib 2>/dev/null || missing="$$missing zlib1g-dev pkg-config"; \
	pkg-config --exists libhs 2>/dev/null || missing="$$missing libvectorscan-dev pkg-config"; \
	pkg-config --exists libzstd 2>/dev/null || missing="$$missing libzstd-dev pkg-config"; \
	[ -n "$(MIMALLOC)" ] || missing="$$missing libmimalloc-dev"; \
	if [ -n "$$missing" ]; then \
	  echo "logdx: installing$$missing with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@pkg-config --exists libpcre2-8 || { echo "logdx: libpcre2-8 not found by pkg-config; install libpcre2-dev (Debian/Ubuntu) or pcre2 (Homebrew)" >&2; exit 1; }
	@pkg-config --exists libhs || { echo "logdx: libhs not found by pkg-config; install libvectorscan-dev (Debian/Ubuntu) or vectorscan (Homebrew)" >&2; exit 1; }
	@pkg-config --exists zlib || { echo "logdx: zlib not found by pkg-config (.gz logs and GitHub's zip log archives); install zlib1g-dev (Debian/Ubuntu)" >&2; exit 1; }
	@pkg-config --exists libzstd || { echo "logdx: libzstd not found by pkg-config (.zst logs); install libzstd-dev (Debian/Ubuntu) or zstd (Homebrew)" >&2; exit 1; }

# The release build links the Swift runtime in statically, as `make dist` does: the binary then
# starts without loading and binding a dozen runtime libraries and calls the runtime (every
# retain and release) directly, not through the PLT: 6-8% less CPU on the 10 MB pipeline, 10 ms
# less for a two-line paste. libcurl, which the static FoundationNetworking calls, is not linked:
# the first request of `logdx ci` loads it (Sources/CLibcurl), so other commands start without
# its 30 libraries (3.5 ms of a two-line paste) and run on a machine without it. The static
# FoundationNetworking still asks the linker for -lcurl; an empty archive in $(NO_CURL) answers.
#
# It also links mimalloc, which then serves every malloc and free of the process: logdx allocates
# per event and per line on both cores, each freeing what the other allocated, and glibc's
# arenas spent a fifth of the scan database's writing in their locks and free lists. Measured
# on the same code: 10% less CPU on the 10 MB pipeline (perf stat, 10 runs each), 17% on the
# 100,000 small logs, the 1 GB job 12.9 -> 8.1 s (peak RSS 77 -> 83 MB). `make dist` keeps glibc's
# malloc: Debian ships no static libmimalloc, and the dist binary carries every library but glibc.
NO_CURL := .build/no-curl
build: deps $(NO_CURL)/libcurl.a ## release build: .build/release/logdx
	@allocator=""; \
	if [ -n "$(MIMALLOC)" ]; then allocator="-Xlinker -lmimalloc"; \
	else echo "logdx: libmimalloc.so not found (Debian: libmimalloc-dev); building with glibc's malloc"; fi; \
	set -x; $(SWIFT) build -c release --product logdx --static-swift-stdlib -Xlinker -L$(CURDIR)/$(NO_CURL) $$allocator

$(NO_CURL)/libcurl.a:
	@mkdir -p $(NO_CURL) && rm -f $@ && ar rc $@

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
	  echo "logdx: the tests need$$missing (python3: the loopback CI APIs; chromium: the HTML report test)"; \
	  echo "logdx: installing$$missing with $(SUDO) apt-get install (about 300 MB with chromium)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# `swift test` prints a line per test (over a thousand): its whole output is kept in a file, and
# only the failures, in full, and the totals are printed.
TEST_LOG := .build/test-output.log
test: test-deps ## unit tests, rule fixtures with golden outputs (RuleFixtureTests), CLI snapshots, the CI hook on loopback
	@echo "logdx: building (swift build)"
	@mkdir -p .build && $(SWIFT) build > .build/build-output.log 2>&1 || { cat .build/build-output.log; exit 1; }
	@grep -E "warning:" .build/build-output.log | grep -v "/.build/checkouts/" || true
	@echo "logdx: the loopback CI API's own tests"
	@python3 Tests/Tools/test_fake_ci_api.py > .build/test-fake-ci-api.log 2>&1 || { cat .build/test-fake-ci-api.log; exit 1; }
	@echo "logdx: the engine's targets import one way (Tests/Tools/check_layering.py)"
	@python3 Tests/Tools/check_layering.py > .build/layering.log 2>&1 || { cat .build/layering.log; exit 1; }
	@echo "logdx: swift test (the whole output goes to $(TEST_LOG))"
	@# The tests' rule sets and prefilter databases are cached under .build, not in the user's
	@# ~/.cache/logdx, whose eight entries they would replace with theirs.
	@LOGDX_CACHE_DIR=$(CURDIR)/.build/test-cache $(SWIFT) test > $(TEST_LOG) 2>&1; status=$$?; \
	grep -E "✘|error:|XCTAssert|Fatal error" $(TEST_LOG) | grep -v "^\[" | head -200; \
	grep -E "^(✔|✘|􁁛|􀢄).*Test run with|Executed [0-9]+ tests" $(TEST_LOG) | tail -3; \
	if [ $$status -ne 0 ]; then echo "logdx: swift test failed (exit $$status); see $(TEST_LOG)"; exit $$status; fi

record: debug ## rewrite golden outputs (review the diff before committing)
	LOGDX_RECORD=1 $(DEBUG) rules test
	LOGDX_RECORD=1 $(SWIFT) test

# Completions and the man page are generated from the commands' own help, so they cannot drift.
SHARE := $(DESTDIR)$(PREFIX)/share
install: build ## install logdx, its rules, bash/zsh/fish completions and a man page into $(PREFIX)
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/logdx $(SHARE)/bash-completion/completions \
	  $(SHARE)/zsh/site-functions $(SHARE)/fish/vendor_completions.d $(SHARE)/man/man1
	install -m 755 $(RELEASE) $(DESTDIR)$(PREFIX)/bin/logdx
	rm -rf $(SHARE)/logdx/Rules $(SHARE)/logdx/Fixtures
	cp -R Rules Fixtures $(SHARE)/logdx/
	$(RELEASE) --generate-completion-script bash > $(SHARE)/bash-completion/completions/logdx
	$(RELEASE) --generate-completion-script zsh > $(SHARE)/zsh/site-functions/_logdx
	$(RELEASE) --generate-completion-script fish > $(SHARE)/fish/vendor_completions.d/logdx.fish
	$(RELEASE) --experimental-dump-help | python3 Tests/Tools/make_manpage.py > $(SHARE)/man/man1/logdx.1

uninstall: ## remove what install put in place
	rm -rf $(DESTDIR)$(PREFIX)/bin/logdx $(SHARE)/logdx $(SHARE)/bash-completion/completions/logdx \
	  $(SHARE)/zsh/site-functions/_logdx $(SHARE)/fish/vendor_completions.d/logdx.fish $(SHARE)/man/man1/logdx.1

clean:
	rm -rf .build

bench: build ## logdx scan against rg and pcre2grep on gen_corpus logs; 1 GB job, 10 MB pipeline, paste, 100k small logs
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

# One self-contained binary (issue 16). Every build compiles the rules in (LogDxBuiltInRules);
# `make dist` also links the Swift runtime statically (--static-swift-stdlib) and, from their
# static archives, PCRE2, Vectorscan, zlib, zstd, SQLite and libstdc++ (Vectorscan is C++): a
# folder holds only those archives, and copies of the packages' pkg-config files name it as their
# libdir, so the -L/-l flags SwiftPM takes from pkg-config (and GRDB's -lsqlite3) find the
# archives there before the system folder with the shared libraries. libcurl, under Foundation's
# URLSession (`logdx ci`), stays the machine's: Debian has no static libcurl with its closure
# (TLS, Kerberos, LDAP …), and the binary loads it only for `logdx ci` (Sources/CLibcurl); glibc
# and libgcc_s are what every command needs from the machine. It builds in its own scratch
# folder, so `make build`'s binary stays as it is.
DIST_SCRATCH := .build-dist
DIST_DIR     := .build/dist
DIST_LIBS    := pcre2-8 hs z zstd sqlite3 stdc++
DIST_ARCH    := $(shell uname -m)
# The licence ships with the binary once the repository has one; none is chosen yet.
DIST_LICENCE := $(wildcard LICENSE LICENSE.* LICENCE LICENCE.* COPYING COPYING.*)
.PHONY: dist test-dist

dist: deps $(NO_CURL)/libcurl.a ## .build/dist/logdx-VERSION-linux-ARCH.tar.gz: the binary (rules and Swift runtime inside), README, licence
	@rm -rf $(DIST_SCRATCH)/static-libs $(DIST_SCRATCH)/pkgconfig && mkdir -p $(DIST_SCRATCH)/static-libs $(DIST_SCRATCH)/pkgconfig
	@for package in libpcre2-8 libhs zlib libzstd sqlite3; do \
	  file=$$(pkg-config --path $$package) && \
	  sed "s|^libdir=.*|libdir=$(CURDIR)/$(DIST_SCRATCH)/static-libs|" "$$file" > $(DIST_SCRATCH)/pkgconfig/$$package.pc; \
	done
	@for lib in $(DIST_LIBS); do \
	  archive=$$($${CC:-cc} -print-file-name=lib$$lib.a); \
	  if [ -f "$$archive" ]; then ln -s "$$archive" $(DIST_SCRATCH)/static-libs/; \
	  else echo "logdx: no static lib$$lib.a; lib$$lib stays a shared library of the dist binary"; fi; \
	done
	PKG_CONFIG_PATH=$(CURDIR)/$(DIST_SCRATCH)/pkgconfig $(SWIFT) build -c release --product logdx --scratch-path $(DIST_SCRATCH) --static-swift-stdlib \
	  -Xlinker -L$(CURDIR)/$(DIST_SCRATCH)/static-libs -Xlinker -L$(CURDIR)/$(NO_CURL)
	@version=$$($(DIST_SCRATCH)/release/logdx --version) && name=logdx-$$version-linux-$(DIST_ARCH) && \
	rm -rf $(DIST_DIR)/$$name && mkdir -p $(DIST_DIR)/$$name && \
	cp $(DIST_SCRATCH)/release/logdx $(DIST_DIR)/$$name/logdx && strip $(DIST_DIR)/$$name/logdx && \
	cp README.md $(DIST_DIR)/$$name/ && \
	if [ -n "$(DIST_LICENCE)" ]; then cp $(DIST_LICENCE) $(DIST_DIR)/$$name/; \
	else echo "logdx: warning: the repository has no LICENSE file, so $$name.tar.gz carries no licence; add one before publishing it"; fi && \
	tar -C $(DIST_DIR) -czf $(DIST_DIR)/$$name.tar.gz $$name && \
	(cd $(DIST_DIR) && sha256sum $$name.tar.gz > $$name.tar.gz.sha256) && \
	echo "logdx: $(DIST_DIR)/$$name.tar.gz ($$(du -h $(DIST_DIR)/$$name.tar.gz | cut -f1)); sha256 in $$name.tar.gz.sha256"

# The dist binary alone in an empty folder, with an empty environment, diagnoses the seed as the
# debug build with the checkout's Rules/ does, and links no Swift library.
test-dist: dist debug ## the dist binary, alone and with env -i, diagnoses the seed as the build does; ldd lists no Swift library
	@sh Tests/Tools/test_dist.sh $(DIST_DIR) $(DEBUG)

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

# logdx on Apache Spark (issue 16): the PySpark job in Sources/spark, run here in local mode.
# pyspark goes into a virtual environment under .build-spark; Spark needs Java 17 or later.
SPARK_DIR    := .build-spark
SPARK_VENV   := $(SPARK_DIR)/venv
PYSPARK      := pyspark==4.3.0
SPARK_SUBMIT := PATH="$(CURDIR)/$(SPARK_VENV)/bin:$$PATH" PYSPARK_PYTHON="$(CURDIR)/$(SPARK_VENV)/bin/python" \
                $(SPARK_VENV)/bin/spark-submit --master 'local[2]' --conf spark.log.level=WARN --conf spark.ui.showConsoleProgress=false
.PHONY: spark-deps spark-bundle spark-scan test-spark

spark-deps: ## install Java 17 (apt-get) and pyspark (into .build-spark/venv), if missing
	@major=$$(java -version 2>&1 | awk -F'"' '/version/ { split($$2, v, "."); print v[1] }'); \
	if [ -z "$$major" ] || [ "$$major" -lt 17 ]; then \
	  echo "logdx: Spark needs Java 17 or later (found: $${major:-none}); installing openjdk-17-jre-headless with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	fi
	@if [ ! -x $(SPARK_VENV)/bin/spark-submit ]; then \
	  python3 -m venv $(SPARK_VENV) 2>/dev/null || { \
	    echo "logdx: python3 cannot make a virtual environment; installing python3-venv with apt-get"; \
	    $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv >/dev/null && python3 -m venv $(SPARK_VENV); }; \
	  echo "logdx: installing $(PYSPARK) into $(SPARK_VENV) (about 450 MB)"; \
	  $(SPARK_VENV)/bin/pip install -q $(PYSPARK); \
	fi

spark-bundle: build ## .build-spark/logdx-bundle.tar.gz: logdx, its libraries and rules, for spark-submit --archives
	@sh Sources/spark/make_bundle.sh $(RELEASE) $(SPARK_DIR)/logdx-bundle.tar.gz

spark-scan: build spark-deps ## scan INPUT=DIR with Spark (local[2]): OUTPUT=DIR gets pipelines/ (Parquet by day) and report.json
	@if [ -z "$(INPUT)" ] || [ -z "$(OUTPUT)" ]; then echo "usage: make spark-scan INPUT=DIR OUTPUT=DIR" >&2; exit 2; fi
	@sh Sources/spark/make_bundle.sh $(RELEASE) $(SPARK_DIR)/logdx-bundle.tar.gz
	$(SPARK_SUBMIT) --archives $(SPARK_DIR)/logdx-bundle.tar.gz#logdx Sources/spark/logdx_spark.py $(INPUT) $(OUTPUT)
	@echo "logdx: render it with: $(RELEASE) report --from $(OUTPUT)/report.json --format html > report.html"

# The debug build `make test` made: the job is what is tested, and a release build would add minutes.
test-spark: debug spark-deps ## the Spark job's report equals logdx scan + report on generated pipelines; a rerun adds nothing
	@sh Sources/spark/make_bundle.sh $(DEBUG) $(SPARK_DIR)/logdx-debug-bundle.tar.gz
	@PATH="$(CURDIR)/$(SPARK_VENV)/bin:$$PATH" PYSPARK_PYTHON="$(CURDIR)/$(SPARK_VENV)/bin/python" \
	  $(SPARK_VENV)/bin/python Tests/spark/test_logdx_spark.py --logdx $(DEBUG) --bundle $(SPARK_DIR)/logdx-debug-bundle.tar.gz
