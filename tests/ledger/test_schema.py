"""The published JSON Schema: shipped copy, draft 2020-12, and the spellings it accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from govcloud.ledger import schema, yamlio
from tests.conftest import MINI

SHIPPED = Path(schema.__file__).with_name("ledger.schema.json")


def test_shipped_schema_is_current() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == schema.schema_text(), (
        "regenerate it: govcloud schema -o govcloud/ledger/ledger.schema.json"
    )


def test_schema_is_valid_draft_2020_12() -> None:
    built = schema.build_schema()
    assert built["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(built)


@pytest.mark.parametrize("path", sorted(MINI.rglob("*.yaml")), ids=lambda p: p.name)
def test_valid_files_pass_a_plain_validator(path: Path) -> None:
    """Editors use the schema without govcloud: the files people write must pass it as they are."""
    document = yamlio.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema.build_schema()).validate(document)


@pytest.mark.parametrize(
    ("field", "spelling"),
    [("carrier", "中国电信"), ("carrier", "telecom"), ("carrier", "电信"), ("technology", "MSTP")],
)
def test_enums_list_chinese_and_english_spellings(field: str, spelling: str) -> None:
    line = schema.build_schema()["properties"]["lines"]["items"]["properties"][field]
    assert spelling in line["enum"]
    assert line["x-choices"]


@pytest.mark.parametrize("bad", [".hidden", "a b", "a/b", "", "x" * 129])
def test_ids_that_cannot_be_file_or_resource_names_are_refused(bad: str) -> None:
    validator = jsonschema.Draft202012Validator(schema.build_schema())
    document = {"departments": [{"id": bad, "name": "n", "level": "province", "region_code": "990000"}]}
    assert list(validator.iter_errors(document))


def test_schema_text_is_stable_json() -> None:
    text = schema.schema_text()
    assert json.loads(text) == schema.build_schema()
    assert text == schema.schema_text()
