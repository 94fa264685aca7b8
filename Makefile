# oceanid-gen: see README.md. `make build` and `make test` are all a fresh machine needs.
SWIFT ?= swift
## FULL=1: build the tool with `swift build` even when only definitions/ changed
FULL ?= 0
BIN := .build/debug/oceanid-gen

.PHONY: deps build test lint check golden bench hooks clean stock-python-test guide

## deps: everything building and testing need (scripts/deps.sh test); build and test run their half
deps:
	@scripts/deps.sh test

## build: compile the tool (the definitions are compiled into it) and regenerate every
## output root (clusters/, bootstrap/, hosts/, sql/, policy/, cloud/, docs/, .oceanid-gen/)
## The build compiles in the SHA-256 of the definitions (the CompiledSources plugin):
## oceanid-gen refuses to run on definitions/ with other bytes, whatever the file times.
## Its dependency check is a few pkg-config probes (the build's own libraries only).
## scripts/build-tool: when only definitions/ changed since the last full `swift build`, it
## compiles them into the live fleet library instead (docs/reference/development.md);
## `make build FULL=1` always runs `swift build`.
build:
	@scripts/deps.sh build
	@SWIFT=$(SWIFT) OCEANID_FULL_BUILD=$(FULL) scripts/build-tool
	$(BIN) build

## test: every unit, golden, safety and consumer test, and the style lint
## (creates .venv/ with the Python tools the tests run; nothing goes into the system Python)
test: lint
	@scripts/deps.sh test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest
	scripts/guide-recipes

## guide: run docs/guide.md's recipes against a scratch clone (.build/guide-clone) and compare
## what each command prints with what the guide shows
guide:
	scripts/guide-recipes

## lint: swift-format (the toolchain's `swift format`) with .swift-format (120 columns, every public
## declaration documented) over the paths in scripts/lint-paths, which only grows
lint:
	$(SWIFT) format lint --strict --recursive $$(grep -v '^#' scripts/lint-paths)

## check: is the working tree what the definitions generate? (exit 1 when stale) Right after
## `make build` it is; the pre-commit hook compares the index instead (what is about to be committed)
check:
	@scripts/deps.sh build
	@SWIFT=$(SWIFT) OCEANID_FULL_BUILD=$(FULL) scripts/build-tool
	$(BIN) check --against worktree

## golden: rewrite Tests/golden/ on purpose; read the diff before committing it
golden:
	$(SWIFT) build --build-tests
	-OCEANID_RECORD_GOLDENS=1 $(SWIFT) test --skip-build --filter GoldenTests
	@git --no-pager diff --stat -- Tests/golden || true

## bench: release-built benchmark of synthetic fleets (10 to 10,000 apps), then the edit loop:
## a one-line edit of definitions/ to regenerated output, per phase (scripts/edit-loop-bench.sh)
bench:
	$(SWIFT) build -c release --product oceanid-bench
	.build/release/oceanid-bench
	scripts/edit-loop-bench.sh

## stock-python-test: a fresh clone's dependency step on a python3 that refuses installing packages
## outside a venv (PEP 668; Debian's /usr/bin/python3 when marked); --full also runs make build and test
stock-python-test:
	scripts/stock-python-test.sh

## hooks: install the native git pre-commit hook (checks what is staged)
hooks:
	@mkdir -p "$$(git rev-parse --git-path hooks)"
	install -m 0755 scripts/pre-commit "$$(git rev-parse --git-path hooks)/pre-commit"
	@echo "installed $$(git rev-parse --git-path hooks)/pre-commit"

clean:
	rm -rf .build
