"""Every message shown to people, in Chinese and English, looked up by a stable code.

The texts live in gettext catalogues, ``govcloud/locale/{zh,en}/LC_MESSAGES/govcloud.po``
(the message id is the code; the source of truth, edited by hand or with
``scripts/messages.py``), read with Babel at first use.  A message is formatted with named
parameters (``str.format``), so a problem can be stored once and rendered in either language;
:func:`tn` picks the plural form for a count.  Numbers and lists inside a text are written with
:func:`number`, :func:`percent` and :func:`join_list`, in the conventions of each language
(Babel's CLDR data), never with ``f"{x:,}"`` or ``", ".join(...)``.

An id missing from a catalogue is a bug that ``scripts/messages.py check`` (and its test)
catches before release.  Should one slip through, the English text is used, else the code
itself, and a warning is logged; with ``GOVCLOUD_STRICT_MESSAGES=1`` (set by the test suite)
it raises :class:`MissingMessage` instead.
"""

from __future__ import annotations

import functools
import gettext
import locale
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.lists import format_list
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "govcloud"

_log = logging.getLogger(__name__)


class MissingMessage(KeyError):
    """A message id that a catalogue lacks (raised in strict mode only)."""


#: the codes of govcloud.safeio's refusals: each has a message and a hint
_SAFEIO_REFUSALS: tuple[str, ...] = (
    "bad-shape",
    "binary",
    "csv-limit",
    "invisible",
    "json-constant",
    "json-huge-int",
    "missing",
    "not-finite",
    "not-integer",
    "not-json",
    "not-number",
    "not-regular",
    "not-utf8",
    "not-xlsx",
    "out-of-range",
    "too-deep",
    "too-large",
    "unreadable",
    "xlsx-limit",
)

#: ids built at run time, ``pattern`` → the values its ``{}`` takes; ``scripts/messages.py
#: check`` fails on a ``t(f"...")`` whose pattern is not declared (here or among its derived
#: families) and on a member missing from either catalogue.  Add the new value here when you add
#: one to the code.  Families that mirror a registry or codes the code writes as literals are not
#: listed here (this module is the bottom layer and cannot read them): the check reads their
#: members where they are declared (``DERIVED_FAMILIES`` in ``scripts/messages.py``) —
#: ``analysis.kind.{}`` (the finding kinds), ``kind.import-{}`` (the import formats' kinds),
#: ``kind.{}`` (the ledger's entity kinds, ``govcloud.ledger.model.ENTITY_KINDS``),
#: ``finding.{}`` and ``recommend.{}`` (the analysers' reasons and recommendations) and
#: ``reason.{}`` (the planner's reasons).
FAMILIES: dict[str, tuple[str, ...]] = {
    # what became of a stack between two emissions (govcloud.stacks.diff.compare)
    "stacks-diff.stack.{}": ("added", "changed", "removed"),
    # whose size limit a file is over (govcloud.safeio.LIMITS)
    "file-kind.{}": ("ledger", "settings", "plan", "resources", "csv", "xlsx", "netbox", "azure"),
    # what a path that is no regular file is (govcloud.safeio refusals)
    "file-type.{}": ("directory", "fifo", "character-device", "block-device", "socket", "special"),
    # what a JSON Schema says of a document read back (govcloud.safeio.schema_words)
    "schema.{}": (
        "required",
        "type",
        "additional-one",
        "additional-many",
        "minimum",
        "maximum",
        "exclusive-minimum",
        "exclusive-maximum",
        "enum",
        "const",
        "pattern",
        "too-short",
        "too-long",
        "non-empty",
        "unique",
        "multiple",
        "none-valid",
        "many-valid",
        "format",
        "not",
        "dependency",
        "few-properties",
        "many-properties",
        "contains",
        "false-schema",
        "unevaluated-one",
        "unevaluated-many",
        "other",
    ),
    # "invalid <kind of file>: …" (govcloud.errors.GovcloudError.invalid)
    "invalid.{}": ("thresholds", "scenario", "mapping", "stacks", "plan"),
    "kind.import-group-{}": ("network", "storage", "other"),
    "type.{}": ("string", "integer", "number", "boolean", "array", "object", "null"),
    "action.{}": ("refactor", "rehost", "relocate", "replatform", "repurchase", "retain", "retire"),
    "analysis.col.{}": (
        "departments",
        "id",
        "kind",
        "members",
        "reason",
        "recommendation",
        "saving",
        "status",
    ),
    "analysis.status.{}": ("candidate", "kept"),
    "baseline.col.{}": ("fix", "missing", "rule", "severity", "subject", "waiver", "where"),
    "baseline.retests.col.{}": ("level", "moved_in", "slot", "system", "why"),
    "baseline.retests.why.{}": ("location", "platform"),
    "baseline.severity.{}": ("critical", "high", "low", "medium"),
    "baseline.status.{}": ("fail", "not-applicable", "not-evaluated", "pass", "waived"),
    "baseline.waiver.col.{}": ("approver", "expires", "reason", "rule", "target", "ticket", "verdict"),
    "baseline.waiver.{}": (
        "expired",
        "expired-classified",
        "text",
        "waiver-expired",
        "waiver-unknown-rule",
        "waiver-unused",
    ),
    "cashflow.col.{}": (
        "as_is",
        "capex",
        "cumulative",
        "depreciation",
        "level",
        "opex",
        "saving",
        "to_be",
        "year",
    ),
    "cashflow.one_off.{}": ("lease-exit", "line-exit", "migration", "porting", "retirement"),
    "confidence.factor.{}": ("cost", "dependencies", "location", "size", "utilisation"),
    "diff.date.{}": ("end", "start"),
    "diff.{}": (
        "as_is_cny",
        "as_is_estimated_cny",
        "cost",
        "lines",
        "never",
        "npv_cny",
        "one_off_cny",
        "rooms",
        "same",
        "to_be_cny",
        "verified",
        "violation",
        "waves",
        "yearly_saving_cny",
    ),
    "evidence.matrix.col.{}": ("clause", "manual", "rules", "title"),
    "kpi.{}": (
        "cloud_rate",
        "duplicates_retired",
        "extranet_department_coverage",
        "extranet_mbps",
        "extranet_site_coverage",
        "line",
        "line_consolidation_rate",
        "network_consolidation_rate",
        "not_recorded",
        "room_closure_rate",
        "shared_platform_rate",
        "title",
        "yearly_cost_cny",
    ),
    "kpi.{}.formula": (
        "cloud_rate",
        "col",
        "duplicates_retired",
        "extranet_department_coverage",
        "extranet_mbps",
        "extranet_site_coverage",
        "line_consolidation_rate",
        "network_consolidation_rate",
        "room_closure_rate",
        "shared_platform_rate",
        "yearly_cost_cny",
    ),
    "operators.col.{}": ("application", "as_is", "before", "infrastructure", "system", "to_be"),
    "plan.col.{}": (
        "action",
        "as_is",
        "cancelled_lines",
        "closed_rooms",
        "confirm",
        "cutover",
        "data_tb",
        "department",
        "holds",
        "one_off",
        "payback",
        "readdress",
        "reason",
        "reclaimed",
        "saving",
        "servers",
        "switch",
        "systems",
        "target",
        "to_be",
        "upgraded",
        "wave",
    ),
    "plan.exit.{}": ("closes_on", "contract_end", "early", "free_on", "id", "penalty", "saving"),
    "plan.hold.{}": (
        "classified",
        "equipment-in-use",
        "line-in-use",
        "national-network",
        "recovery-copy",
        "servers",
    ),
    "plan.path.{}": ("no-path", "offline", "online"),
    "progress.{}": (
        "analyse",
        "baseline",
        "cache",
        "graph",
        "load",
        "plan",
        "render",
        "report",
        "stacks",
        "summary",
        "validate",
        "write",
    ),
    "recovery.col.{}": ("offsite", "problems", "rpo", "standby", "system", "today"),
    "recovery.problem.{}": ("no-recovery-site", "rpo-not-met", "standby-same-zone"),
    "recovery.standby.{}": ("cold", "hot"),
    "report.state.{}": ("as-is", "to-be"),
    "report.topology.{}": (
        "after",
        "before",
        "intro",
        "on_cloud",
        "other_departments",
        "other_places",
        "rooms",
    ),
    "runbook.{}": (
        "acceptance",
        "cancel-line",
        "close-room",
        "cutover",
        "cutover-network",
        "done",
        "foundation",
        "parallel-run",
        "readdress",
        "reclaim",
        "remove-equipment",
        "repoint",
        "retire",
        "retire-idle",
        "rollback",
        "switch-users",
        "transfer-offline",
        "transfer-online",
        "upgrade-line",
    ),
    "safeio.{}": _SAFEIO_REFUSALS,
    "safeio.{}.hint": _SAFEIO_REFUSALS,
    "severity.{}": ("error", "warning"),
    "status.col.{}": (
        "cancelled_lines",
        "closed_rooms",
        "cutover_networks",
        "retired_systems",
        "state",
        "systems",
        "window",
    ),
    "status.state.{}": ("done", "in-progress", "planned"),
    "summary.{}": (
        "bandwidth_mbps",
        "cores",
        "department",
        "depreciation",
        "line_cost",
        "lines",
        "maintenance",
        "memory_gb",
        "networks",
        "operations",
        "room_cost",
        "servers",
        "sites",
        "storage_tb",
        "systems",
        "targets",
        "title",
        "total",
        "yearly_cost",
    ),
}

#: catalogue entries no code asks for by a literal id or a family, but that stay: none today.
ALLOWED_UNUSED: tuple[str, ...] = ()


def family_ids() -> Iterator[str]:
    """Every id of every family in :data:`FAMILIES`."""
    for pattern, values in FAMILIES.items():
        for value in values:
            yield pattern.format(value)


@functools.cache
def _catalogue(lang: Lang) -> tuple[dict[str, tuple[str, ...]], Callable[[int], int]]:
    """The entries of ``lang`` (id → its forms: one, or one per plural form) and its plural rule."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=lang, domain=DOMAIN)
    entries: dict[str, tuple[str, ...]] = {}
    for message in catalogue:
        if not message.id:
            continue
        code = message.id if isinstance(message.id, str) else message.id[0]
        text = message.string
        entries[code] = (text,) if isinstance(text, str) else tuple(text or ())
    return entries, gettext.c2py(catalogue.plural_expr)


def _strict() -> bool:
    return os.environ.get("GOVCLOUD_STRICT_MESSAGES", "") not in ("", "0")


def _forms(code: str, lang: Lang) -> tuple[str, ...]:
    forms = _catalogue(lang)[0].get(code)
    if forms and all(forms):
        return forms
    if _strict():
        raise MissingMessage(f"message {code!r} is missing from the {lang} catalogue")
    _log.warning("message %r is missing from the %s catalogue", code, lang)
    fallback = _catalogue("en")[0].get(code) if lang != "en" else None
    return fallback if fallback and all(fallback) else (code,)


def _format(template: str, params: dict[str, object]) -> str:
    return template.format(**params) if params else template.replace("{{", "{").replace("}}", "}")


def t(code: str, lang: Lang, **params: object) -> str:
    """The message ``code`` in ``lang``, formatted with ``params``."""
    return _format(_forms(code, lang)[0], params)


def tn(code: str, n: int, lang: Lang, **params: object) -> str:
    """The plural message ``code`` in ``lang`` in its form for the count ``n`` (also passed as
    the parameter ``n``), formatted with ``params``."""
    forms = _forms(code, lang)
    index = _catalogue(lang)[1](n) if len(forms) > 1 else 0
    return _format(forms[min(index, len(forms) - 1)], {"n": n, **params})


class _Messages(Mapping[str, tuple[str, str]]):
    """Read-only view ``code → (zh, en)`` of the catalogues (the first form of a plural entry)."""

    def __getitem__(self, code: str) -> tuple[str, str]:
        zh, en = (_catalogue(lang)[0][code][0] for lang in LANGS)
        return zh, en

    def __iter__(self) -> Iterator[str]:
        return iter(_catalogue("en")[0])

    def __len__(self) -> int:
        return len(_catalogue("en")[0])


MESSAGES: Mapping[str, tuple[str, str]] = _Messages()


def default_lang() -> Lang:
    """``GOVCLOUD_LANG`` if set, else Chinese under a Chinese locale, else English."""
    wanted = os.environ.get("GOVCLOUD_LANG", "")[:2].lower()
    if wanted in LANGS:
        return wanted
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    current = locale.getlocale()[0] or ""
    return "zh" if current.lower().startswith("zh") else "en"


# --- numbers and lists, in the conventions of each language (Babel's CLDR data) -------------

#: the Babel locale of each language
LOCALES: dict[Lang, str] = {"zh": "zh_Hans_CN", "en": "en"}


def _decimal(value: float | int | Decimal) -> Decimal:
    """``value`` exactly: a float's binary value, not its shortest repr, so that rounding
    agrees with Python's own ``format`` (both round half to even on the exact value)."""
    return value if isinstance(value, Decimal) else Decimal(value)


#: figures formatted and kept (Babel takes 30 µs each; a plan of 100k servers writes hundreds
#: of thousands of them, nine in ten seen before)
_FIGURES = 1 << 16


def _kept(value: float | int | Decimal) -> bool:
    """Whether ``value``'s text may be kept by value: not a Decimal (1.0 and 1.00 are equal)
    nor a float zero (0.0 and -0.0 are equal, and written ``0`` and ``-0``)."""
    kind = type(value)
    return kind is int or (kind is float and value != 0)


def number(value: float | int | Decimal, lang: Lang, digits: int = 0) -> str:
    """``value`` with grouped thousands and ``digits`` decimals, e.g. ``1,234,568`` or
    ``1,234.6`` (Chinese groups by thousands too in figures)."""
    return (_number_kept if _kept(value) else _number)(value, lang, digits)


def _number(value: float | int | Decimal, lang: Lang, digits: int) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(_decimal(value), format=pattern, locale=LOCALES[lang], decimal_quantization=True)


def percent(value: float | int | Decimal, lang: Lang, digits: int = 0) -> str:
    """The share ``value`` (0.25 for a quarter) as a percentage with ``digits`` decimals."""
    return (_percent_kept if _kept(value) else _percent)(value, lang, digits)


def _percent(value: float | int | Decimal, lang: Lang, digits: int) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return format_percent(_decimal(value), format=pattern, locale=LOCALES[lang], decimal_quantization=True)


_number_kept = functools.lru_cache(maxsize=_FIGURES, typed=True)(_number)
_percent_kept = functools.lru_cache(maxsize=_FIGURES, typed=True)(_percent)


def join_list(items: Iterable[object], lang: Lang, *, conjunction: bool = False, empty: str = "") -> str:
    """``items`` as an enumeration in ``lang``: ``a, b, c`` in English, ``a、b、c`` in Chinese
    (the separator of the locale's list pattern); with ``conjunction``, the locale's full list
    (``a, b, and c`` / ``a、b和c``).  ``empty`` when there are none."""
    texts = [str(item) for item in items]
    if not texts:
        return empty
    if conjunction:
        return format_list(texts, style="standard", locale=LOCALES[lang])
    return _list_separator(lang).join(texts)


@functools.cache
def _list_separator(lang: Lang) -> str:
    """What goes between two items in the middle of a list in ``lang`` (``, `` or ``、``)."""
    middle: str = Locale.parse(LOCALES[lang]).list_patterns["standard"]["middle"]
    return middle.replace("{0}", "").replace("{1}", "")
