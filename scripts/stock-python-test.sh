#!/usr/bin/env bash
# Proves the README's two commands need nothing from the system Python: on a machine whose
# python3 refuses package installs outside a virtual environment (PEP 668: Debian 12, Ubuntu 24.04),
# a fresh clone's dependency step (scripts/deps.sh, what `make build` and `make test` run)
# succeeds and puts the Python tools into the clone's .venv/.
#
#   scripts/stock-python-test.sh          deps.sh build + test in a scratch clone of HEAD
#   scripts/stock-python-test.sh --full   also `make build` and `make test` there (minutes)
#
# The python3 it puts first on the PATH is Debian's own /usr/bin/python3 when that carries the
# EXTERNALLY-MANAGED marker (https://peps.python.org/pep-0668/#marking-an-interpreter-as-using-an-external-package-manager);
# otherwise a wrapper that refuses `pip install` outside a venv with the same error. Exits
# non-zero, saying why, when any step fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
full=0
[ "${1:-}" = "--full" ] && full=1
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
fail() {
  echo "stock-python-test: FAIL: $*" >&2
  exit 1
}

mkdir "$scratch/bin"
stock=/usr/bin/python3
marker="$("$stock" -c 'import sysconfig; print(sysconfig.get_path("stdlib"))' 2>/dev/null)/EXTERNALLY-MANAGED" || true
if [ -x "$stock" ] && [ -f "$marker" ]; then
  ln -s "$stock" "$scratch/bin/python3"
  echo "stock-python-test: python3 is $stock (marked $marker)"
else
  real="$(command -v python3)"
  cat >"$scratch/bin/python3" <<WRAPPER
#!/usr/bin/env bash
# python3 as a stock Debian ships it: pip refuses to install outside a virtual environment.
if [ "\${1:-}" = "-m" ] && [ "\${2:-}" = "pip" ] && [ "\${3:-}" = "install" ] &&
  "$real" -c 'import sys; sys.exit(0 if sys.prefix == sys.base_prefix else 1)'; then
  echo "error: externally-managed-environment (PEP 668)" >&2
  exit 1
fi
exec "$real" "\$@"
WRAPPER
  chmod +x "$scratch/bin/python3"
  echo "stock-python-test: python3 is a wrapper around $real that refuses pip install outside a venv"
fi
export PATH="$scratch/bin:$PATH"

# The python3 first on the PATH really is externally managed: it carries PEP 668's marker (what
# pip reads before it refuses), or it is the wrapper above. Nothing here asks the system pip to
# install anything, not even a dry run.
managed="$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')/EXTERNALLY-MANAGED"
if [ -f "$managed" ]; then
  echo "stock-python-test: python3 on the PATH is externally managed ($managed)"
elif grep -q "externally-managed-environment" "$scratch/bin/python3" 2>/dev/null; then
  echo "stock-python-test: python3 on the PATH is the refusing wrapper"
else
  fail "python3 on the PATH is neither marked EXTERNALLY-MANAGED nor the refusing wrapper"
fi

git clone --quiet "$root" "$scratch/clone"
cd "$scratch/clone"
[ ! -e .venv ] || fail "a fresh clone has a .venv/"
scripts/deps.sh build || fail "scripts/deps.sh build"
[ ! -e .venv ] || fail "the build's dependency check made a .venv/ (only make test may)"
scripts/deps.sh test || fail "scripts/deps.sh test"
.venv/bin/python3 -c 'import yaml, jsonschema, kubernetes_validate, regorus' ||
  fail "the test tools are not importable from .venv/"
python3 -c 'import sys; sys.exit(0 if sys.prefix == sys.base_prefix else 1)' ||
  fail "python3 on the PATH is a venv"
[ "$(git status --porcelain)" = "" ] || fail "the dependency step left files git sees: $(git status --porcelain)"
echo "stock-python-test: deps.sh build and test passed; the tools are in .venv/ (git-ignored)"
scripts/deps.sh test
echo "stock-python-test: a second deps.sh test is quiet (stamp .venv/.deps-sha256)"
if [ $full -eq 1 ]; then
  make build
  make test
  echo "stock-python-test: make build and make test passed in the fresh clone"
fi
