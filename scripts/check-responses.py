#!/usr/bin/env python3
"""Checks HTTP responses against the API contract (Sources/ConvergentAPI/openapi.yaml).

Reads one JSON object a line on stdin — {"method", "path", "status", "contentType", "body"} —
and answers one line on stdout: {"ok": true} or {"ok": false, "problems": [...]}. A response
fails when its operation, status or media type is not in the document, or when its JSON body
does not match the schema; an object member the schema does not declare fails too (every
schema with properties is closed with unevaluatedProperties: false, unless it is a part of an
allOf). Used by the server tests (Tests/ConvergentServerTests/Contract.swift), one process per
test run.
"""
import json
import re
import sys

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

URI = "urn:convergent:openapi"


def close_schemas(doc):
    """Closes every object schema: a member it does not declare fails. A schema listing properties
    gets unevaluatedProperties: false, and so does one made of allOf parts (which sees the members
    its parts declare); the parts themselves stay open, and a component that is such a part is
    closed where it is used alone instead."""
    parts = set()

    def collect(node):
        if isinstance(node, dict):
            if isinstance(node.get("allOf"), list):
                parts.update(item["$ref"] for item in node["allOf"] if isinstance(item, dict) and "$ref" in item)
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(doc)

    def is_open(node):
        return "additionalProperties" not in node and "unevaluatedProperties" not in node

    def close(node, pointer, part=False):
        if isinstance(node, list):
            return [close(value, f"{pointer}/{index}") for index, value in enumerate(node)]
        if not isinstance(node, dict):
            return node
        if not part and set(node) == {"$ref"} and node["$ref"] in parts:
            return {"allOf": [node], "unevaluatedProperties": False}
        result = {}
        for key, value in node.items():
            if key == "allOf" and isinstance(value, list):
                result[key] = [close(item, f"{pointer}/allOf/{index}", part=True) for index, item in enumerate(value)]
            else:
                result[key] = close(value, pointer + "/" + key.replace("~", "~0").replace("/", "~1"))
        closable = "properties" in node or "allOf" in node
        if closable and not part and is_open(node) and "#" + pointer not in parts:
            result["unevaluatedProperties"] = False
        return result

    schemas = doc.get("components", {}).get("schemas", {})
    doc["components"]["schemas"] = {name: close(schema, "/components/schemas/" + name) for name, schema in schemas.items()}
    doc["paths"] = close(doc.get("paths", {}), "/paths")


def escape(token):
    return token.replace("~", "~0").replace("/", "~1")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    close_schemas(doc)
    registry = Registry().with_resource(URI, Resource.from_contents(doc, default_specification=DRAFT202012))
    routes = []
    for template in doc.get("paths", {}):
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        routes.append((template.count("{"), template, re.compile(pattern)))
    routes.sort()
    validators = {}

    def validator(pointer):
        if pointer not in validators:
            validators[pointer] = Draft202012Validator({"$ref": URI + "#" + pointer}, registry=registry)
        return validators[pointer]

    def resolve(obj):
        while isinstance(obj, dict) and "$ref" in obj:
            node = doc
            for token in obj["$ref"].lstrip("#/").split("/"):
                node = node[token.replace("~1", "/").replace("~0", "~")]
            obj = node
        return obj

    for line in sys.stdin:
        request = json.loads(line)
        problems = []
        method = request["method"].lower()
        path = request["path"].split("?", 1)[0]
        status = str(request["status"])
        template = next((t for _, t, p in routes if p.match(path)), None)
        operation = doc["paths"].get(template, {}).get(method) if template else None
        if operation is None:
            # A path or method the API does not have may only be refused.
            if status not in ("404", "405"):
                problems.append(f"{method.upper()} {path} is not in the document, and was answered {status}")
        else:
            responses = operation.get("responses", {})
            key = status if status in responses else status[0] + "XX" if status[0] + "XX" in responses else "default" if "default" in responses else None
            if key is None:
                problems.append(f"{method.upper()} {template} answered {status}, a status the document does not declare for it")
            else:
                response = resolve(responses[key])
                content = response.get("content", {})
                media = (request.get("contentType") or "").split(";", 1)[0].strip().lower()
                body = request.get("body") or ""
                if not content:
                    if body.strip():
                        problems.append(f"{method.upper()} {template} {status}: a body ({media}) where the document declares none")
                elif media not in content:
                    problems.append(f"{method.upper()} {template} {status}: media type {media or 'none'} not declared (declared: {', '.join(content)})")
                elif media.endswith("json") and "schema" in content[media]:
                    ref = responses[key]["$ref"][1:] if "$ref" in responses[key] else \
                        f"/paths/{escape(template)}/{method}/responses/{escape(key)}"
                    pointer = f"{ref}/content/{escape(media)}/schema"
                    try:
                        instance = json.loads(body)
                    except ValueError as error:
                        problems.append(f"{method.upper()} {template} {status}: the body is not JSON ({error})")
                    else:
                        for error in sorted(validator(pointer).iter_errors(instance), key=lambda e: list(e.absolute_path))[:5]:
                            where = "/".join(str(p) for p in error.absolute_path) or "(the body)"
                            problems.append(f"{method.upper()} {template} {status}: at {where}: {error.message[:300]}")
        print(json.dumps({"ok": not problems, "problems": problems}), flush=True)


if __name__ == "__main__":
    main()
