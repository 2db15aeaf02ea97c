"""A problem's detail given as an error is rendered in the reader's language."""

from __future__ import annotations

from govcloud.errors import GovcloudError
from govcloud.problems import coded_detail, make
from govcloud.safeio import UnsafeInput


def test_a_safeio_refusal_as_detail_reads_in_either_language() -> None:
    refusal = UnsafeInput("not-regular", path="a.csv", type="fifo")
    problem = make("import-unreadable", file="a.csv", detail=refusal)
    assert "不是普通文件" in problem.message("zh")
    assert "not a regular file" in problem.message("en")
    assert problem == make(
        "import-unreadable", file="a.csv", detail=UnsafeInput("not-regular", path="a.csv", type="fifo")
    )


def test_a_refusal_found_as_the_cause_or_context_is_used() -> None:
    try:
        try:
            raise UnsafeInput("not-regular", path="a.csv", type="fifo")
        except UnsafeInput:
            raise ValueError("wrapped in English") from None
    except ValueError as exc:
        problem = make("import-unreadable", file="a.csv", detail=exc)
    assert "不是普通文件" in problem.message("zh")


def test_an_error_with_a_code_as_detail_and_a_plain_one() -> None:
    coded = make(
        "import-bad-cell", cell="A1", value="x", detail=GovcloudError(code="cell.not-number", value="x")
    )
    assert coded.message("zh").endswith("'x' 不是数值")
    assert coded.message("en").endswith("'x' is not a number")
    plain = make("import-bad-cell", cell="A1", value="x", detail=ValueError("as it reads"))
    assert plain.message("zh").endswith("as it reads")


def test_coded_detail_names_a_message_with_its_parameters() -> None:
    problem = make("schema-other", **coded_detail("schema.type", value="'8'", expected="integer"))
    assert problem.message("zh") == "'8' 的类型应为 integer"
    assert problem.message("en") == "'8' is not of type integer"


def test_a_list_parameter_is_joined_in_the_readers_language() -> None:
    problem = make("import-ignored-columns", file="a.csv", count=2, columns=["备注", "Notes"])
    assert "备注、Notes" in problem.message("zh")
    assert "备注, Notes" in problem.message("en")
    assert problem == make("import-ignored-columns", file="a.csv", count=2, columns=("备注", "Notes"))
