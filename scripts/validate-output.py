#!/usr/bin/env python3
"""Runs the real consumers over generated trees.

For every folder with a kustomization.yaml under the given roots: `kubectl kustomize` must
build it; every object it yields must validate, core kinds with kubernetes-validate
(Kubernetes 1.31, strict), custom resources against the CRD JSON schemas in the
repository's schemas/ folder (or --schemas; see schemas/README.md). An object of a kind
neither knows is a failure.

Exit 0 when all pass, 1 otherwise. Prints one line per failure and a summary line.
"""
import argparse
import json
import os
import subprocess
import sys

import jsonschema
import kubernetes_validate
import yaml

K8S_VERSION = "1.31.0"


class KustomizeLoader(yaml.SafeLoader):
    """kubectl writes YAML 1.2: a plain `=` is a string there, but YAML 1.1's `value` tag to
    PyYAML, which then cannot construct it. Drop that one implicit resolver."""


KustomizeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:value"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "schemas")


def kustomize_folders(roots):
    for root in roots:
        for folder, _dirs, files in sorted(os.walk(root)):
            if "kustomization.yaml" in files:
                yield folder


def crd_schema(schemas, api_version, kind):
    if "/" not in api_version:
        return None
    group, version = api_version.split("/", 1)
    path = os.path.join(schemas, group, f"{kind.lower()}_{version}.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("roots", nargs="+")
    parser.add_argument("--schemas", default=os.path.normpath(SCHEMAS),
                        help="folder of CRD JSON schemas, <group>/<kind>_<version>.json (default: %(default)s)")
    args = parser.parse_args()
    if not os.path.isdir(args.schemas):
        parser.error(f"--schemas {args.schemas}: no such folder")

    failures = []
    seen = set()
    folders = 0
    core = crd = 0
    for folder in kustomize_folders(args.roots):
        folders += 1
        result = subprocess.run(["kubectl", "kustomize", folder], capture_output=True, text=True)
        if result.returncode != 0:
            failures.append(f"{folder}: kubectl kustomize failed: {result.stderr.strip()}")
            continue
        for doc in yaml.load_all(result.stdout, Loader=KustomizeLoader):
            if doc is None:
                continue
            key = json.dumps(doc, sort_keys=True)
            if key in seen:
                continue
            seen.add(key)
            api_version, kind = doc.get("apiVersion", ""), doc.get("kind", "")
            name = f"{kind} {doc.get('metadata', {}).get('namespace', '')}/{doc.get('metadata', {}).get('name', '')}"
            schema = crd_schema(args.schemas, api_version, kind)
            if schema is not None:
                crd += 1
                errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
                for error in errors:
                    failures.append(f"{folder}: {name}: {'/'.join(map(str, error.path))}: {error.message}")
                continue
            try:
                kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
                core += 1
            except kubernetes_validate.SchemaNotFoundError:
                failures.append(f"{folder}: {name}: unknown kind {api_version} {kind} (no Kubernetes or CRD schema)")
            except kubernetes_validate.ValidationError as error:
                failures.append(f"{folder}: {name}: {'/'.join(map(str, error.path))}: {error.message}")
            except Exception as error:  # invalid documents, schema load problems
                failures.append(f"{folder}: {name}: {error}")
    for failure in failures:
        print(failure)
    print(f"validate: {folders} kustomize folders, {core} core objects, {crd} custom resources, {len(failures)} failures")
    return 1 if failures or folders == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
