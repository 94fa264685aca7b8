#!/usr/bin/env bash
# Installs what building and testing need, only when it is missing (idempotent, quick when
# everything is there). Debian packages via apt, Python tools via pip into .venv/.
set -euo pipefail

apt_missing=()
pkg-config --exists libgit2 2>/dev/null || apt_missing+=(libgit2-dev pkg-config)
# oceanid-apply talks HTTPS through libcurl (the compiler never links it).
pkg-config --exists libcurl 2>/dev/null || apt_missing+=(libcurl4-openssl-dev)
# `oceanid-apply db` talks to PostgreSQL through libpq (the compiler never links it either).
pkg-config --exists libpq 2>/dev/null || apt_missing+=(libpq-dev)
command -v pkg-config >/dev/null 2>&1 || apt_missing+=(pkg-config)
command -v shellcheck >/dev/null 2>&1 || apt_missing+=(shellcheck)
# The database tests start their own PostgreSQL (initdb + pg_ctl) from Debian's package.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_missing+=(postgresql)
# The squid consumer test starts Debian's squid with the generated squid.conf.
command -v squid >/dev/null 2>&1 || [ -x /usr/sbin/squid ] || apt_missing+=(squid)
if [ ${#apt_missing[@]} -gt 0 ]; then
  echo "deps: installing ${apt_missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

# The Python tools the tests run live in a virtual environment inside the repository
# (.venv/, git-ignored): a stock Debian or Ubuntu python3 refuses `pip install` into the
# system (PEP 668, externally-managed-environment), and nothing goes into the system Python.
venv=.venv
if ! "$venv/bin/python3" -c 'import sys' 2>/dev/null; then
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    echo "deps: installing python3-venv (apt)"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
  fi
  echo "deps: creating $venv (python3 -m venv)"
  python3 -m venv "$venv"
fi
pip_missing=()
"$venv/bin/python3" -c 'import kubernetes_validate' 2>/dev/null || pip_missing+=(kubernetes-validate)
"$venv/bin/python3" -c 'import jsonschema' 2>/dev/null || pip_missing+=(jsonschema)
"$venv/bin/python3" -c 'import yaml' 2>/dev/null || pip_missing+=(PyYAML)
"$venv/bin/python3" -c 'import regorus' 2>/dev/null || pip_missing+=(celine-regorus)
if [ ${#pip_missing[@]} -gt 0 ]; then
  echo "deps: installing ${pip_missing[*]} into $venv (pip)"
  "$venv/bin/python3" -m pip install -q --disable-pip-version-check "${pip_missing[@]}"
fi

command -v kubectl >/dev/null 2>&1 || echo "deps: warning: kubectl is not installed; the kustomize consumer tests will fail" >&2
exit 0
