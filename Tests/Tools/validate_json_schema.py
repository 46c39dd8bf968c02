"""Validates JSON documents against a JSON Schema (2020-12) with the independent `jsonschema`
package: the check that `simulate schema` describes what `simulate validate` accepts.

usage: validate_json_schema.py SCHEMA DOCUMENT...
Prints one line per document, "accept PATH" or "reject PATH: reason"; exits 2 if the schema itself
is not a valid 2020-12 schema.
"""
import json
import sys

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        schema = json.load(handle)
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        print(f"invalid schema: {error.message}")
        return 2
    validator = Draft202012Validator(schema)
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        error = next(iter(sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))), None)
        if error is None:
            print(f"accept {path}")
        else:
            where = ".".join(str(part) for part in error.absolute_path)
            print(f"reject {path}: {where}: {error.message[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
