"""``scripts/messages.py``: every message id the code uses is in both catalogues, and the check
fails on a missing id, an unused entry and an id built from an undeclared pattern."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def messages() -> ModuleType:
    spec = importlib.util.spec_from_file_location("messages_script", ROOT / "scripts" / "messages.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["messages_script"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def copied(messages: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The catalogues copied under ``tmp_path``, where the script reads and writes them."""
    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "govcloud" / "locale", locale)
    monkeypatch.setattr(messages, "LOCALE", locale)
    monkeypatch.setattr(messages, "TEMPLATE", locale / "govcloud.pot")
    return locale


def test_every_used_id_is_in_both_catalogues_and_every_entry_is_used(messages: ModuleType) -> None:
    assert messages.check() == []


def test_the_scan_sees_literal_ids_families_and_template_ids(messages: ModuleType) -> None:
    used = messages.used_ids()
    assert "plan.wrote" in used  # t("plan.wrote", ...) in cli.py
    assert "analysis.kind.same-asset" in used  # the family analysis.kind.{}
    assert "report.section.costs" in used  # tr('...') in the HTML template
    assert len(used) > 300


def test_a_missing_id_fails_the_check(messages: ModuleType, copied: Path) -> None:
    catalogue = messages.read_catalogue("zh")
    del catalogue["plan.wrote"]
    messages.write_catalogue(catalogue, "zh")
    assert "zh: missing plan.wrote" in messages.check()


def test_an_empty_text_fails_the_check(messages: ModuleType, copied: Path) -> None:
    catalogue = messages.read_catalogue("en")
    catalogue["plan.wrote"].string = ""
    messages.write_catalogue(catalogue, "en")
    assert "en: empty plan.wrote" in messages.check()


def test_an_unused_entry_fails_the_check(messages: ModuleType, copied: Path) -> None:
    messages.add_message("nobody.asks", "没人用", "nobody uses it")
    failures = messages.check()
    assert {"zh: unused nobody.asks", "en: unused nobody.asks"} <= set(failures)


def test_placeholders_must_agree(messages: ModuleType, copied: Path) -> None:
    catalogue = messages.read_catalogue("en")
    catalogue["plan.wrote"].string = "wrote {file}"
    messages.write_catalogue(catalogue, "en")
    assert any(f.startswith("placeholders of plan.wrote differ") for f in messages.check())


def test_an_undeclared_dynamic_id_fails_the_check(
    messages: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "govcloud" / "x.py"
    source.parent.mkdir()
    source.write_text('t(f"nowhere.{kind}", "en")\nt(code, "en")\nt(f"analysis.kind.{k}", "en")\n')
    monkeypatch.setattr(messages, "ROOT", tmp_path)
    monkeypatch.setattr(messages, "PACKAGE", tmp_path / "govcloud")
    wrong = messages.dynamic_calls()
    assert len(wrong) == 2
    assert "'nowhere.{}' is no family" in wrong[0]
    assert "passed as data" in wrong[1]


def test_add_and_port_write_both_catalogues(messages: ModuleType, copied: Path, tmp_path: Path) -> None:
    old = tmp_path / "i18n_old.py"
    old.write_text(
        'MESSAGES: dict[str, tuple[str, str]] = {"plan.wrote": ("x", "y"), "new.one": ("新", "new")}\n'
    )
    assert messages.port_dict(old) == ["new.one"]  # what the catalogues have is kept
    zh = {messages.message_id(m): m.string for m in messages.read_catalogue("zh") if m.id}
    en = {messages.message_id(m): m.string for m in messages.read_catalogue("en") if m.id}
    assert (zh["new.one"], en["new.one"]) == ("新", "new")
    assert en["plan.wrote"] != "y"


def test_update_keeps_the_texts_and_adds_nothing(messages: ModuleType, copied: Path) -> None:
    before = {lang: messages.catalogue_path(lang).read_bytes() for lang in messages.LANGS}
    messages.update()
    assert {lang: messages.catalogue_path(lang).read_bytes() for lang in messages.LANGS} == before


def test_derived_families_are_read_from_the_registries_and_the_code(messages: ModuleType) -> None:
    """The families that mirror a registry, or the codes analysers and planner write, are not
    listed in ``FAMILIES``: the check reads them where they are declared."""
    from govcloud.analysis import kind_names
    from govcloud.i18n import FAMILIES
    from govcloud.importers.formats import IMPORT_FORMATS
    from govcloud.ledger.model import ENTITY_KINDS

    assert not set(messages.DERIVED_FAMILIES) & set(FAMILIES)
    derived = messages.derived_ids(messages.catalogue_ids())
    assert set(derived) == set(messages.DERIVED_FAMILIES)
    assert derived["analysis.kind.{}"] == set(kind_names())
    assert derived["kind.import-{}"] == {f.kind for f in IMPORT_FORMATS.entries()}
    assert derived["kind.{}"] == set(ENTITY_KINDS)
    assert {"same-asset", "network-classified", "idle-servers"} <= derived["finding.{}"]
    assert {"merge-records", "keep-isolated"} <= derived["recommend.{}"]
    assert {"coupled", "platform-scenario", "platform-analysis"} <= derived["reason.{}"]


def test_a_registered_kind_and_format_need_only_their_messages(messages: ModuleType, copied: Path) -> None:
    """Registering a finding kind or an import format is enough for the check to ask for its
    messages; ``messages.py add`` satisfies it (no family to extend)."""
    from govcloud.analysis import FINDING_KINDS, FindingKind
    from govcloud.importers.formats import IMPORT_FORMATS, Imported, ImportFormat, Request

    def nothing(request: Request) -> Imported:
        return Imported({"version": 1})

    kind = FindingKind("test-dummy", lambda facts, thresholds: iter(()))
    fmt = ImportFormat("test-dummy-format", "test-dummy-file", nothing)
    with FINDING_KINDS.extended(kind.name, kind), IMPORT_FORMATS.extended(fmt.name, fmt):
        wanted = {"analysis.kind.test-dummy", "kind.import-test-dummy-file"}
        assert {f"{lang}: missing {code}" for lang in ("zh", "en") for code in wanted} <= set(
            messages.check()
        )
        messages.add_message("analysis.kind.test-dummy", "测试类", "Test kind")
        messages.add_message("kind.import-test-dummy-file", "测试文件", "test file")
        assert messages.check() == []
    assert {"zh: unused analysis.kind.test-dummy", "en: unused kind.import-test-dummy-file"} <= set(
        messages.check()
    )


def test_a_literal_reason_or_recommendation_needs_its_message(
    messages: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finding's reason or recommendation, or a decision's reason, given as a literal is
    asked for; one passed on in a variable counts when its literal has a message."""
    for folder, text in (
        (
            "analysis",
            'Finding("k", (), "brand-new" if x else "other-new", recommendation="new-step")\n'
            'Finding("k", (), reason, "keep-isolated")\nreason = "same-asset"\nunrelated = "no-such"\n',
        ),
        ("plan", '_reason("new-why", a=1)\nReason(code="other-why")\n'),
    ):
        (tmp_path / "govcloud" / folder).mkdir(parents=True)
        (tmp_path / "govcloud" / folder / "x.py").write_text(text)
    monkeypatch.setattr(messages, "PACKAGE", tmp_path / "govcloud")
    derived = messages.derived_ids({"finding.same-asset", "recommend.keep-isolated"})
    assert derived["finding.{}"] == {"brand-new", "other-new", "same-asset"}
    assert derived["recommend.{}"] == {"new-step", "keep-isolated"}
    assert derived["reason.{}"] == {"new-why", "other-why"}


def test_port_against_a_base_takes_only_what_the_branch_changed(
    messages: ModuleType, copied: Path, tmp_path: Path
) -> None:
    base = tmp_path / "base.py"
    base.write_text(
        'MESSAGES = {"gone.since": ("旧", "old"), "plan.wrote": ("已写出 {path}", "wrote {path}")}\n'
    )
    branch = tmp_path / "branch.py"
    branch.write_text(
        'MESSAGES = {"gone.since": ("旧", "old"), "plan.wrote": ("已写出 {path}", "wrote {path}"),'
        ' "branch.new": ("新", "new")}\n'
    )
    assert messages.port_dict(branch, base) == ["branch.new"]
    ids = {messages.message_id(m) for m in messages.read_catalogue("en") if m.id}
    assert "branch.new" in ids
    assert "gone.since" not in ids  # removed on this side: not brought back
