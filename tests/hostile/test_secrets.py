"""No secret in plaintext: inventories cannot carry one, and no output of the sample run
contains anything that looks like one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from govcloud.cli import cli
from govcloud.ledger import load
from tests.conftest import MINI

#: what a leaked credential looks like: cloud access keys, private keys, password assignments
LEAKS = re.compile(
    r"(LTAI[0-9A-Za-z]{12,}|AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|(?i:password|passwd|口令|密码)\s*[:=]\s*\S+)".encode()
)


@pytest.mark.parametrize(
    "field",
    ["password: hunter2", "admin_password: Passw0rd!", "access_key: LTAI5tExampleKey123", "密码: 123456"],
)
def test_an_inventory_cannot_carry_a_secret(mini: Path, field: str) -> None:
    path = mini / "departments" / "卫健委.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    hostname: wjw-web-01\n", f"    hostname: wjw-web-01\n    {field}\n"
    )
    path.write_text(text, encoding="utf-8")
    result = load(mini)
    assert result.ledger is None
    assert [p.code for p in result.errors] == ["schema-unknown-field"]


def test_no_output_of_the_sample_run_looks_like_a_secret(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["plan", "--out", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 0
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) > 50  # reports and every stack's files
    for path in files:
        assert not LEAKS.search(path.read_bytes()), path


def test_the_leak_pattern_catches_what_it_should() -> None:
    assert LEAKS.search(b"password: hunter2")
    assert LEAKS.search("密码=123456".encode())
    assert LEAKS.search(b"key LTAI5tExampleKey123")
    assert not LEAKS.search(b"no secrets here; passwords are never written")
    assert MINI.exists()
