#!/usr/bin/env python3
"""Runs policy/*.rego with a real Rego engine (regorus, PyPI celine-regorus).

- Every fixture in policy/tests/*.json ({"rule", "expect", "input"}) must give exactly its
  expected denials (each rule has a fixture that fires it and one that does not).
- Every emitted input policy/input/*.json must give no denial.
- Every `test_` rule of policy/*_test.rego (OPA's convention, so `opa test policy/` runs the
  same tests) must be true.
- With --verdicts, prints {fixture file: sorted denials} as JSON instead (the parity test
  compares these with the native guardrails'); with --tests, {"<package>.<test>": result}.

Exit 0 when all hold, 1 otherwise; one line per failure and a summary line.
"""
import glob
import json
import os
import re
import sys

import regorus

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def engine():
    e = regorus.Engine()
    for path in sorted(glob.glob(os.path.join(ROOT, "policy", "*.rego"))):
        e.add_policy_from_file(path)
    return e


def denials(e, document):
    e.set_input_json(json.dumps(document))
    try:
        return sorted(e.eval_rule("data.oceanid.guardrails.deny"))
    except Exception as error:  # the policy must give a verdict for any document
        return [f"ERROR: {error}"]


def rego_tests(e):
    """{"<package>.<test_rule>": True, or the error or value it gave}, for every test file."""
    results = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "policy", "*_test.rego"))):
        with open(path) as f:
            text = f.read()
        package = re.search(r"^package\s+([\w.]+)", text, re.M).group(1)
        for name in sorted(set(re.findall(r"^(test_\w+)\b", text, re.M))):
            try:
                value = e.eval_rule(f"data.{package}.{name}")
            except Exception as error:  # undefined or failing: not a pass
                value = f"ERROR: {error}"
            results[f"{package}.{name}"] = value is True or value
    return results


def main():
    e = engine()
    if "--tests" in sys.argv:
        print(json.dumps(rego_tests(e), sort_keys=True, indent=1))
        return 0
    fixtures = sorted(glob.glob(os.path.join(ROOT, "policy", "tests", "*.json")))
    if "--verdicts" in sys.argv:
        out = {}
        for path in fixtures:
            with open(path) as f:
                out[os.path.basename(path)] = denials(e, json.load(f)["input"])
        print(json.dumps(out, sort_keys=True, indent=1))
        return 0
    failures = []
    rules = set()
    for path in fixtures:
        with open(path) as f:
            fixture = json.load(f)
        got = denials(e, fixture["input"])
        rules.add(fixture["rule"])
        if got != sorted(fixture["expect"]):
            failures.append(f"{os.path.basename(path)}: expected {fixture['expect']}, got {got}")
    inputs = sorted(glob.glob(os.path.join(ROOT, "policy", "input", "*.json")))
    for path in inputs:
        with open(path) as f:
            got = denials(e, json.load(f))
        if got:
            failures.append(f"{os.path.relpath(path, ROOT)}: the real fleet is denied: {got}")
    tests = rego_tests(e)
    for name, value in tests.items():
        if value is not True:
            failures.append(f"{name}: {value}")
    for line in failures:
        print(line)
    print(
        f"policy: {len(rules)} rules, {len(fixtures)} fixtures, {len(inputs)} emitted inputs, "
        f"{len(tests)} rego tests, {len(failures)} failures"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
