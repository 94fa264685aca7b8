# oceanid-gen: see README.md. `make build` and `make test` are all a fresh machine needs.
SWIFT ?= swift
BIN := .build/debug/oceanid-gen

.PHONY: deps build test lint check golden bench hooks clean guide

deps:
	@scripts/deps.sh

## build: compile the tool (the definitions are compiled into it) and regenerate every
## output root (clusters/, bootstrap/, hosts/, sql/, policy/, cloud/, docs/, .oceanid-gen/)
## The build compiles in the SHA-256 of the definitions (the CompiledSources plugin):
## oceanid-gen refuses to run on definitions/ with other bytes, whatever the file times.
build: deps
	$(SWIFT) build --product oceanid-gen
	$(BIN) build

## test: every unit, golden, safety and consumer test, and the style lint
test: deps lint
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

## check: is what is staged what the definitions generate? (exit 1 when stale)
check:
	$(SWIFT) build --product oceanid-gen
	$(BIN) check

## golden: rewrite Tests/golden/ on purpose; read the diff before committing it
golden:
	$(SWIFT) build --build-tests
	-OCEANID_RECORD_GOLDENS=1 $(SWIFT) test --skip-build --filter GoldenTests
	@git --no-pager diff --stat -- Tests/golden || true

## bench: release-built benchmark of synthetic fleets (10 to 10,000 apps)
bench:
	$(SWIFT) build -c release --product oceanid-bench
	.build/release/oceanid-bench

## hooks: install the native git pre-commit hook (checks what is staged)
hooks:
	@mkdir -p "$$(git rev-parse --git-path hooks)"
	install -m 0755 scripts/pre-commit "$$(git rev-parse --git-path hooks)/pre-commit"
	@echo "installed $$(git rev-parse --git-path hooks)/pre-commit"

clean:
	rm -rf .build
