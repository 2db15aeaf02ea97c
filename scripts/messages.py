"""Manage the message catalogues (``govcloud/locale/{zh,en}/LC_MESSAGES/govcloud.po``).

The message id of every entry is its stable code (``plan.wrote``, ``safeio.not-xlsx``); the
Chinese and English catalogues hold the texts.  Commands (run from the repository root)::

    python scripts/messages.py extract   # write govcloud/locale/govcloud.pot: every id the code uses
    python scripts/messages.py update    # merge the template into zh and en (new ids come in empty)
    python scripts/messages.py check     # fail on an id used but missing/empty in zh or en,
                                         # on placeholders that differ, and on unused entries
    python scripts/messages.py add CODE --zh TEXT --en TEXT [--zh-plural ... --en-plural ...]
    python scripts/messages.py port FILE [--base BASE]
                                         # add the MESSAGES dict of an older i18n.py (code: (zh, en));
                                         # with --base, only what FILE changed against BASE

The ids the code uses are the literal first arguments of ``t()``/``tn()`` calls plus the
members of the families of ids built at run time: those listed in :mod:`govcloud.i18n`
``FAMILIES``, and those read from where the code declares their members
(:data:`DERIVED_FAMILIES`: a registry's names, or the codes the analysers and the planner write
as literals), so a new finding kind, import format, reason or recommendation needs no list here.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import re
import string
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "govcloud"
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / "govcloud.pot"
LANGS = ("zh", "en")
#: fixed dates in the headers, so that the catalogues change only when a message does
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
WIDTH = 110


def catalogue_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "govcloud.po"


def new_catalogue(lang: str | None) -> Catalog:
    return Catalog(
        locale=lang,
        domain="govcloud",
        project="govcloud",
        version="",
        copyright_holder="govcloud contributors",
        msgid_bugs_address="",
        creation_date=STAMP,
        revision_date=STAMP,
        last_translator="govcloud contributors",
        language_team=lang or "",
        fuzzy=False,
        header_comment=(
            f"# govcloud's messages{' in ' + lang if lang else ': the ids the code uses'}.\n"
            "# The id is the message's code; see CONTRIBUTING.md (messages) for the workflow."
        ),
    )


def read_catalogue(lang: str) -> Catalog:
    with catalogue_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang, domain="govcloud")


def write_catalogue(catalogue: Catalog, lang: str | None) -> Path:
    path = TEMPLATE if lang is None else catalogue_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalogue.creation_date = STAMP
    catalogue.revision_date = STAMP
    catalogue.fuzzy = False
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as handle:
        write_po(handle, catalogue, width=WIDTH, omit_header=False, include_previous=False, sort_output=True)
    tmp.replace(path)
    return path


def message_id(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def texts(message: Message) -> tuple[str, ...]:
    return (message.string,) if isinstance(message.string, str) else tuple(message.string)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help="write the template of every id the code uses")
    sub.add_parser("update", help="merge the template into the zh and en catalogues")
    sub.add_parser("check", help="fail on missing, empty, mismatched or unused entries")
    add = sub.add_parser("add", help="add or replace one message in both languages")
    add.add_argument("code")
    add.add_argument("--zh", required=True)
    add.add_argument("--en", required=True)
    add.add_argument("--zh-plural", help="not used: Chinese has one plural form")
    add.add_argument("--en-plural", help="the English text for n != 1 (makes a plural entry)")
    port = sub.add_parser("port", help="add the entries of a MESSAGES dict (code: (zh, en)) from FILE")
    port.add_argument("file", type=Path)
    port.add_argument(
        "--base",
        type=Path,
        help="the i18n.py the branch started from: only codes FILE adds or changes against it are taken",
    )
    args = parser.parse_args(argv)
    if args.command == "extract":
        print(write_catalogue(template(), None))
        return 0
    if args.command == "update":
        return update()
    if args.command == "check":
        failures = check()
        for line in failures:
            print(line)
        print(f"{len(failures)} problem(s)" if failures else "catalogues OK")
        return 1 if failures else 0
    if args.command == "add":
        add_message(args.code, args.zh, args.en, args.en_plural)
        return 0
    if args.command == "port":
        for code in port_dict(args.file, args.base):
            print(f"added {code}")
        return 0
    return 2


# ---- which ids the code uses


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def calls(paths: Iterable[Path]) -> Iterator[tuple[Path, int, str, ast.expr]]:
    """Every ``t(...)``/``tn(...)`` call: file, line, function and the id's expression."""
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) in ("t", "tn") and node.args:
                yield path, node.lineno, _call_name(node) or "", node.args[0]


def sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "_bundled" not in p.parts)


#: ids the code passes around as data (``t(code, ...)`` with a variable): where, and why the
#: check need not see them as literals
DATA_CALLS = {
    "govcloud/problems.py": "problem codes (and their .hint) and the kind./type./pattern. words of params",
    "govcloud/safeio.py": "UnsafeInput.render: safeio.<code> and the schema.<what> words of a detail",
    "govcloud/settings.py": "ConfigError.render: the ledger's code of a YAML problem (yamlio's literals)",
    "govcloud/errors.py": "GovcloudError.render: the code an error was raised with (a literal there)",
    "govcloud/report/html/inputs.py": "ReportInputError.render: report-input.* codes raised in the same file",
    "govcloud/report/html/render.py": "tr(): the template's literal ids, scanned in templates/*.j2",
    "govcloud/report/plan.py": "the literal ids of the one table built from (key, value) pairs",
    "govcloud/report/plan_money.py": "literal ids chosen a few lines before the call",
}
#: a problem code (``yaml-syntax``); each has a ``.hint``
PROBLEM_CODE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)+")
TEMPLATE_CALL = re.compile(r"\btr\(\s*['\"]([^'\"]+)['\"]\s*(~)?")


def _pattern(expr: ast.expr) -> str | None:
    """``"analysis.kind.{}"`` for ``f"analysis.kind.{kind}"`` or ``"analysis.kind." + kind``."""
    if isinstance(expr, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in expr.values)  # type: ignore[misc]
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        left, right = _pattern(expr.left), _pattern(expr.right)
        return None if left is None or right is None else left + right
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value.replace("{", "{{").replace("}", "}}")
    return "{}"


def literal_ids() -> dict[str, str]:
    """Literal ids → where first used; plural ids are marked with a trailing ``#n``."""
    found: dict[str, str] = {}
    for path, line, name, expr in calls(sources()):
        where = f"{path.relative_to(ROOT)}:{line}"
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            found.setdefault(expr.value + ("#n" if name == "tn" else ""), where)
        elif isinstance(expr, ast.IfExp):
            for branch in (expr.body, expr.orelse):
                if isinstance(branch, ast.Constant) and isinstance(branch.value, str):
                    found.setdefault(branch.value, where)
    for template in sorted((PACKAGE / "report" / "html" / "templates").glob("*.j2")):
        for match in TEMPLATE_CALL.finditer(template.read_text(encoding="utf-8")):
            if not match.group(2):  # tr('prefix.' ~ value) is a family: see dynamic_calls
                found.setdefault(match.group(1), str(template.relative_to(ROOT)))
    return found


#: families whose members are not listed in ``govcloud.i18n.FAMILIES`` but read from where
#: the code declares them (:func:`derived_ids`): pattern → where
DERIVED_FAMILIES = {
    "analysis.kind.{}": "the names of the finding kinds (govcloud/analysis/kinds.py FINDING_KINDS)",
    "kind.import-{}": "the kinds of file of the import formats (govcloud/importers/formats.py IMPORT_FORMATS)",
    "kind.{}": "the ledger's entity kinds (govcloud/ledger/model.py ENTITY_KINDS)",
    "finding.{}": "the reason of every Finding(...) in govcloud/analysis/",
    "recommend.{}": "the recommendation of every Finding(...) in govcloud/analysis/",
    "reason.{}": "the code of every Reason(...) / _reason(...) in govcloud/plan/",
}
#: families of codes the code writes as literals: pattern → (folder, calls, keyword, position)
CODE_FAMILIES = {
    "finding.{}": ("analysis", ("Finding",), "reason", 2),
    "recommend.{}": ("analysis", ("Finding",), "recommendation", 3),
    "reason.{}": ("plan", ("Reason", "_reason"), "code", 0),
}


def _strings(expr: ast.expr | None) -> Iterator[str]:
    """The string literals an expression can be: a constant, either branch of ``a if c else b``."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        yield expr.value
    elif isinstance(expr, ast.IfExp):
        yield from _strings(expr.body)
        yield from _strings(expr.orelse)


def _code_argument(node: ast.Call, keyword: str, position: int) -> ast.expr | None:
    for kw in node.keywords:
        if kw.arg == keyword:
            return kw.value
    return node.args[position] if len(node.args) > position else None


def written_codes(folder: str, names: Iterable[str], keyword: str, position: int) -> set[str]:
    """The literal codes given to the calls ``names`` (argument ``keyword`` or at
    ``position``) in the modules of ``govcloud/<folder>``: they must have their messages."""
    found: set[str] = set()
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _call_name(node) in names:
                found.update(_strings(_code_argument(node, keyword, position)))
    return found


def _constants(folder: str) -> set[str]:
    found: set[str] = set()
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def derived_ids(known: Iterable[str] = ()) -> dict[str, set[str]]:
    """The members of each of :data:`DERIVED_FAMILIES`: the registries' names; for the codes
    of findings and decisions, every literal code their calls are given, and — for codes passed
    on in a variable (``reason=reason``) — every string constant of those modules whose id is
    in a catalogue (``known``), as problem codes are found."""
    from govcloud.analysis.kinds import FINDING_KINDS
    from govcloud.importers.formats import IMPORT_FORMATS
    from govcloud.ledger.model import ENTITY_KINDS

    known = set(known)
    members: dict[str, set[str]] = {
        "analysis.kind.{}": set(FINDING_KINDS.names()),
        "kind.import-{}": {f.kind for f in IMPORT_FORMATS.entries()},
        "kind.{}": set(ENTITY_KINDS),
    }
    for pattern, (folder, names, keyword, position) in CODE_FAMILIES.items():
        written = written_codes(folder, names, keyword, position)
        members[pattern] = written | {c for c in _constants(folder) if pattern.format(c) in known}
    return members


def _families() -> set[str]:
    from govcloud.i18n import FAMILIES

    return set(FAMILIES) | set(DERIVED_FAMILIES)


def dynamic_calls() -> list[str]:
    """Calls whose id is built at run time from an undeclared pattern, or passed as data
    outside :data:`DATA_CALLS`."""
    families = _families()
    wrong: list[str] = []
    for path, line, _, expr in calls(sources()):
        if isinstance(expr, ast.Constant | ast.IfExp):
            continue
        where = f"{path.relative_to(ROOT)}:{line}"
        pattern = _pattern(expr)
        if pattern == "{}":
            if str(path.relative_to(ROOT)) not in DATA_CALLS:
                wrong.append(f"{where}: id passed as data ({ast.unparse(expr)}): list the file in DATA_CALLS")
        elif pattern not in families and pattern not in ("{}.hint", "safeio.{}", "safeio.{}.hint"):
            wrong.append(f"{where}: {pattern!r} is no family of govcloud.i18n.FAMILIES nor derived")
    for template in sorted((PACKAGE / "report" / "html" / "templates").glob("*.j2")):
        for match in TEMPLATE_CALL.finditer(template.read_text(encoding="utf-8")):
            if match.group(2) and match.group(1) + "{}" not in families:
                wrong.append(f"{template.relative_to(ROOT)}: {match.group(1)!r} ~ … is no family")
    return wrong


def data_ids(known: Iterable[str]) -> set[str]:
    """The catalogue ids that appear as string constants in the code (problem codes, words
    of parameters, ids chosen before the call), with the hint of each problem code."""
    known = set(known)
    found: set[str] = set()
    for path in sources():
        if path.name == "i18n.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in known:
                found.add(node.value)
    found |= {f"{code}.hint" for code in found if PROBLEM_CODE.fullmatch(code) and f"{code}.hint" in known}
    return found


def catalogue_ids() -> set[str]:
    """The ids either catalogue holds."""
    return {message_id(m) for lang in LANGS for m in read_catalogue(lang) if m.id}


def used_ids() -> dict[str, bool]:
    """Every id the code asks for by a literal or a family → whether it is a plural entry."""
    from govcloud.i18n import family_ids

    used = {code.removesuffix("#n"): code.endswith("#n") for code in literal_ids()}
    for code in family_ids():
        used.setdefault(code, False)
    for pattern, members in derived_ids(catalogue_ids()).items():
        for member in members:
            used.setdefault(pattern.format(member), False)
    return used


def template() -> Catalog:
    """Every id the code uses: literal, of a family, or passed as data (known to a catalogue)."""
    catalogue = new_catalogue(None)
    used = used_ids()
    for code in data_ids(message_id(m) for m in read_catalogue("en") if m.id):
        used.setdefault(code, False)
    for code, plural in sorted(used.items()):
        catalogue.add((code, code) if plural else code, ("", "") if plural else "")
    return catalogue


# ---- update, check, add, port


def update() -> int:
    pot = template()
    for lang in LANGS:
        catalogue = read_catalogue(lang)
        catalogue.update(pot, no_fuzzy_matching=True, update_header_comment=False)
        catalogue.obsolete.clear()
        path = write_catalogue(catalogue, lang)
        missing = [message_id(m) for m in catalogue if m.id and not all(texts(m))]
        print(f"{path.name} ({lang}): {len(missing)} message(s) to write: {', '.join(missing)}")
    return 0


def check() -> list[str]:
    from govcloud.i18n import ALLOWED_UNUSED

    used = used_ids()
    failures: list[str] = dynamic_calls()
    entries: dict[str, dict[str, Message]] = {}
    for lang in LANGS:
        entries[lang] = {message_id(m): m for m in read_catalogue(lang) if m.id}
        for code, plural in sorted(used.items()):
            message = entries[lang].get(code)
            if message is None:
                failures.append(f"{lang}: missing {code}")
            elif not all(texts(message)):
                failures.append(f"{lang}: empty {code}")
            elif plural != message.pluralizable:
                failures.append(f"{lang}: {code} is {'not ' if plural else ''}a plural entry")
        data = data_ids(entries[lang])
        for code in sorted(set(entries[lang]) - set(used) - data - set(ALLOWED_UNUSED)):
            failures.append(f"{lang}: unused {code}")
    for code in sorted(set(entries["zh"]) & set(entries["en"])):
        zh = set().union(*(placeholders(s) for s in texts(entries["zh"][code])))
        en = set().union(*(placeholders(s) for s in texts(entries["en"][code])))
        if zh != en:
            failures.append(f"placeholders of {code} differ: zh {sorted(zh)} en {sorted(en)}")
    return failures


def add_message(code: str, zh: str, en: str, en_plural: str | None = None) -> None:
    for lang, text in (("zh", zh), ("en", en)):
        catalogue = read_catalogue(lang)
        if code in catalogue:
            del catalogue[code]
        if en_plural is None:
            catalogue.add(code, text)
        else:
            catalogue.add((code, code), (text,) if lang == "zh" else (text, en_plural))
        write_catalogue(catalogue, lang)


def port_dict(file: Path, base: Path | None = None) -> list[str]:
    """Add the entries of a ``MESSAGES = {code: (zh, en)}`` literal that the catalogues lack;
    with ``base`` (the dict the branch started from), only the codes the branch added or
    changed, replacing the catalogues' texts of changed ones (entries removed since are not
    brought back)."""
    table = _messages_dict(file)
    if base is not None:
        before = _messages_dict(base)
        changed = [code for code in table if before.get(code) != table[code]]
        for code in changed:
            add_message(code, *table[code])
        return changed
    known = {message_id(m) for m in read_catalogue("en") if m.id}
    added = [code for code in table if code not in known]
    for code in added:
        zh, en = table[code]
        add_message(code, zh, en)
    return added


def _messages_dict(file: Path) -> dict[str, tuple[str, str]]:
    tree = ast.parse(file.read_text(encoding="utf-8"))
    table: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if isinstance(target, ast.Name) and target.id == "MESSAGES" and node.value is not None:  # type: ignore[union-attr]
            table = ast.literal_eval(node.value)  # type: ignore[union-attr]
    return table


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
