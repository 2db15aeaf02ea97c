"""Duplicate systems: the function of a system whose category column is empty."""

from __future__ import annotations

from govcloud.analysis.messy import HELD_OUT_JOBS, messy_ledger
from govcloud.analysis.systems import function_of, functions, learned_names
from govcloud.ledger import model
from tests.analysis.builders import dept, ledger, system


def test_an_uncategorised_system_takes_the_function_the_ledger_names_it_by_elsewhere() -> None:
    """无纸化办公 is no function word; another department filled in its category for a system
    of that name, so a row left empty (read as business) with the name is OA too."""
    led = ledger(
        dept("a", "city", "990100", name="海州市教育局"),
        dept("b", "city", "990100", name="海州市民政局"),
        dept("c", "city", "990100", name="海州市财政局"),
        system("a-oa", "a", category="oa", name="教育局无纸化办公系统"),
        system("b-oa", "b", category="business", name="民政无纸化办公平台"),
        system("c-x", "c", category="business", name="财政无纸化报账系统"),
    )
    learned = learned_names(led)
    assert learned == {"无纸化办公": "oa"}
    assert function_of(led.systems["b-oa"], led, learned) == "oa"
    assert function_of(led.systems["c-x"], led, learned) == "business"
    assert function_of(led.systems["b-oa"], led) == "business"  # without what the ledger says


def test_a_messy_ledger_with_the_held_out_vocabulary_names_systems_otherwise() -> None:
    drawn, truth = messy_ledger(3, held_out=True)
    held_out = {n for _, names in HELD_OUT_JOBS.values() for n in names}
    assert truth.duplicate_systems
    assert any(any(n in s.name for n in held_out) for s in drawn.systems.values())


def _functions(*systems: model.System) -> dict[str, str]:
    led = ledger(
        dept("a", "city", "990100", name="海州市教育局"),
        dept("b", "city", "990100", name="海州市民政局"),
        dept("c", "city", "990100", name="海州市财政局"),
        dept("d", "city", "990100", name="海州市交通局"),
        *systems,
    )
    return {s.id: f for s, f in functions(led, list(led.systems.values())).items()}


def test_a_function_word_names_a_system_only_as_the_head_of_its_name() -> None:
    """网站 (a spelling of the portal category) heads 外网网站 and 网站群 (a form word after it),
    but only modifies 网站内容巡查 and 办公用品: those do another job."""
    found = _functions(
        system("a-web", "a", name="教育外网网站"),
        system("b-web", "b", name="民政网站群"),
        system("c-x", "c", name="网站内容巡查系统"),
        system("d-x", "d", name="办公用品管理系统"),
        system("d-mail", "d", name="交通局邮件服务器"),
        system("c-arc", "c", name="财政档案信息化平台"),
    )
    assert found == {
        "a-web": "portal",
        "b-web": "portal",
        "c-x": "business",
        "d-x": "business",
        "d-mail": "email",
        "c-arc": "archive",  # 信息化 is a generic word, removed whole
    }


def test_the_head_two_categorised_names_share_is_learned() -> None:
    """视讯 is no function word; two other names categorised as video conference end with it,
    so a third name ending with it is one too.  The head of one categorised name alone names
    that system, not a function."""
    one = _functions(
        system("a-v", "a", category="video_conference", name="云视讯平台"),
        system("c-v", "c", name="财政局标清视讯"),
    )
    assert one["c-v"] == "business"
    two = _functions(
        system("a-v", "a", category="video_conference", name="云视讯平台"),
        system("b-v", "b", category="video_conference", name="高清视讯系统"),
        system("c-v", "c", name="财政局标清视讯"),
        system("d-x", "d", name="视讯设备登记"),
    )
    assert two["c-v"] == "video_conference"
    assert two["d-x"] == "business"  # 视讯 modifies: the head is 登记


def test_a_piece_of_a_shared_head_or_a_head_many_own_systems_carry_is_not_learned() -> None:
    """服务 is only a piece of 邮件服务, all that 邮件服务器 and Exchange邮件服务 share; 一体化
    heads two categorised archive names but more of the departments' own systems."""
    found = _functions(
        system("a-m", "a", category="email", name="邮件服务器"),
        system("b-m", "b", category="email", name="Exchange邮件服务"),
        system("c-x", "c", name="就业服务平台"),
        system("a-r", "a", category="archive", name="文档一体化系统"),
        system("b-r", "b", category="archive", name="档案一体化"),
        system("c-y", "c", name="预算一体化系统"),
        system("d-y", "d", name="执法一体化平台"),
        system("d-z", "d", name="审批一体化平台"),
    )
    assert found["c-x"] == found["c-y"] == found["d-y"] == "business"


def test_a_head_alone_adds_no_system_to_a_function_its_department_is_known_to_run() -> None:
    """A department whose OA is categorised is not given a second one on a name's head alone;
    another department's system of that name is its OA."""
    found = _functions(
        system("a-oa", "a", category="oa", name="OA系统"),
        system("a-x", "a", name="网上办公平台"),
        system("b-x", "b", name="网上办公平台"),
    )
    assert found["a-x"] == "business"
    assert found["b-x"] == "oa"
