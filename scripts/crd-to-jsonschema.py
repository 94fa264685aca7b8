#!/usr/bin/env python3
"""Converts CustomResourceDefinitions into standalone JSON Schemas (draft-07).

Reads CRD YAML files (one CustomResourceDefinition, or a multi-document bundle; other
documents are skipped) and writes one schema per served version to
OUT/<group>/<kind in lower case>_<version>.json, the layout of schemas/ (see schemas/README.md).

The rules, applied to each version's openAPIV3Schema:
- an object that lists `properties` and does not set x-kubernetes-preserve-unknown-fields
  gets `additionalProperties: false` (unknown or misspelled fields are errors);
- the top level: `apiVersion` and `kind` are required and pinned with an enum,
  `metadata` gets a small ObjectMeta shape (labels and annotations are string maps),
  plus `$schema` and a `title` of "<Kind> <group>/<version>";
- x-kubernetes-int-or-string: an integer or a string (anyOf);
- nullable: true adds "null" to the type (and to an enum);
- x-kubernetes-preserve-unknown-fields: free-form, no `additionalProperties: false` (a field
  with no type, such as a HelmRelease's `values`, keeps only its description and accepts anything);
- the other x-kubernetes-* extensions (CEL validations, list and map types, embedded
  resources) have no JSON Schema form and are dropped.

Output is JSON with sorted keys, one-space indentation and a trailing newline, so that
regenerating from the same CRDs gives the same bytes. The command that made schemas/ is in
schemas/README.md; in short:

    python3 scripts/crd-to-jsonschema.py --out schemas [--kind KIND ...] CRD.yaml...
"""
import argparse
import json
import os
import sys

import yaml

try:  # the libyaml loader is much faster on large bundles; same results
    Loader = yaml.CSafeLoader
except AttributeError:
    Loader = yaml.SafeLoader

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

# The part of ObjectMeta a manifest sets; the server fills in the rest.
OBJECT_META = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "namespace": {"type": "string"},
        "generateName": {"type": "string"},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
        "finalizers": {"type": "array", "items": {"type": "string"}},
        "ownerReferences": {"type": "array", "items": {"type": "object"}},
    },
}

# Keys whose value is a schema, or a map or list of schemas.
SCHEMA_KEYS = ("items", "additionalProperties", "not")
SCHEMA_MAP_KEYS = ("properties", "patternProperties", "definitions")
SCHEMA_LIST_KEYS = ("anyOf", "allOf", "oneOf")


def convert(node):
    """One OpenAPI v3 (structural) schema node → a JSON Schema node."""
    if not isinstance(node, dict):
        return node
    preserve = node.get("x-kubernetes-preserve-unknown-fields") is True
    result = {}
    for key, value in node.items():
        if key.startswith("x-kubernetes-") or key == "nullable":
            continue
        if key in SCHEMA_KEYS and isinstance(value, dict):
            result[key] = convert(value)
        elif key in SCHEMA_MAP_KEYS and isinstance(value, dict):
            result[key] = {name: convert(child) for name, child in value.items()}
        elif key in SCHEMA_LIST_KEYS and isinstance(value, list):
            result[key] = [convert(child) for child in value]
        else:
            result[key] = value

    if node.get("x-kubernetes-int-or-string") is True and "anyOf" not in result:
        result.pop("type", None)
        result["anyOf"] = [{"type": "integer"}, {"type": "string"}]

    if "properties" in result and not preserve and "additionalProperties" not in result:
        result["additionalProperties"] = False

    if node.get("nullable") is True:
        kind = result.get("type")
        if isinstance(kind, str) and kind != "null":
            result["type"] = [kind, "null"]
        elif isinstance(kind, list) and "null" not in kind:
            result["type"] = kind + ["null"]
        elif "anyOf" in result and {"type": "null"} not in result["anyOf"]:
            result["anyOf"] = result["anyOf"] + [{"type": "null"}]
        if "enum" in result and None not in result["enum"]:
            result["enum"] = result["enum"] + [None]
    return result


def document_schema(group, kind, version, openapi):
    schema = convert(openapi)
    properties = schema.setdefault("properties", {})
    properties["apiVersion"] = {"type": "string", "enum": [f"{group}/{version}"]}
    properties["kind"] = {"type": "string", "enum": [kind]}
    properties["metadata"] = json.loads(json.dumps(OBJECT_META))
    required = ["apiVersion", "kind"]
    schema["required"] = required + [name for name in schema.get("required", []) if name not in required]
    schema.setdefault("type", "object")
    if not openapi.get("x-kubernetes-preserve-unknown-fields"):
        schema["additionalProperties"] = False
    schema["$schema"] = DRAFT_07
    schema["title"] = f"{kind} {group}/{version}"
    return schema


def crds(paths):
    for path in paths:
        with open(path) as f:
            for doc in yaml.load_all(f, Loader=Loader):
                if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition":
                    yield path, doc


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("crds", nargs="+", metavar="CRD.yaml", help="CRD files or multi-document bundles")
    parser.add_argument("--out", required=True, help="output folder (<out>/<group>/<kind>_<version>.json)")
    parser.add_argument("--kind", action="append", default=[], metavar="KIND",
                        help="convert only this kind (repeatable; default: every CRD in the files)")
    args = parser.parse_args()

    wanted = {kind.lower() for kind in args.kind}
    found = set()  # kinds (lower case) with at least one served version written
    written = {}  # relative output path -> the CRD file it came from
    for path, crd in crds(args.crds):
        spec = crd.get("spec", {})
        group, kind = spec["group"], spec["names"]["kind"]
        if wanted and kind.lower() not in wanted:
            continue
        for version in spec.get("versions", []):
            if not version.get("served", False):
                continue
            openapi = (version.get("schema") or {}).get("openAPIV3Schema")
            if openapi is None:
                print(f"{path}: {kind} {version['name']}: no openAPIV3Schema, skipped", file=sys.stderr)
                continue
            relative = os.path.join(group, f"{kind.lower()}_{version['name']}.json")
            if relative in written:
                print(f"{path}: {relative} was already written from {written[relative]}", file=sys.stderr)
                return 1
            target = os.path.join(args.out, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w") as f:
                f.write(json.dumps(document_schema(group, kind, version["name"], openapi), indent=1, sort_keys=True) + "\n")
            written[relative] = path
            found.add(kind.lower())
            print(relative)
    missing = sorted(wanted - found)
    if missing:
        print(f"no served version found for: {', '.join(missing)}", file=sys.stderr)
        return 1
    if not written:
        print("no CustomResourceDefinition with a served version in the files", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
