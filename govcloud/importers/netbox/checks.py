"""The contract of NetBox objects: every field the importer reads, typed and bounded.

Dumps, REST pages and CSV exports come from other people's systems; before the mapper reads
them, :func:`clean` keeps only the fields it uses, each checked: primary keys are integers,
references are integers, texts are texts (no control characters), slugs are usable ids (not
paths, no invisible characters), numbers are finite and within a range per field (a VM
does not have 10^300 vCPUs), addresses and prefixes parse, dates are real.  A bad optional
field is dropped; an object without a usable required field is left out; either way a
warning names the model, the key and the field.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from govcloud import safeio
from govcloud.errors import GovcloudError
from govcloud.ledger.schema import ID_PATTERN
from govcloud.problems import Problem, make

Objects = dict[str, dict[int, dict[str, Any]]]

#: primary keys NetBox (PostgreSQL bigint) can have
PK_RANGE = (1, 2**63 - 1)
#: the longest text kept from a NetBox field
TEXT_MAX = 1_000
_ID = re.compile(ID_PATTERN)


class Bad(GovcloudError, ValueError):
    """A value that breaks the contract; the message says why: the ``netbox.bad.*`` message ``code``
    with its ``value`` (or ``limit``)."""

    kind = "netbox"

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code=code)
        self.params = params
        self.args = (self.render("en"),)


def _pk(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not PK_RANGE[0] <= value <= PK_RANGE[1]:
        raise Bad("netbox.bad.pk", value=safeio.terminal(repr(value))[:60])
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Bad("netbox.bad.not-text", value=safeio.terminal(repr(value))[:60])
    text = str(value).strip()
    if len(text) > TEXT_MAX:
        raise Bad("netbox.bad.too-long", limit=TEXT_MAX)
    if safeio.TERMINAL_UNSAFE.search(text):
        raise Bad("netbox.bad.control", value=safeio.terminal(text)[:60])
    return text


#: the longest description or comments kept (the mapper keeps 500 characters of notes)
NOTE_MAX = 100_000


def _note(value: Any) -> str:
    """A description or comments: a text that may span lines (``\r\n`` read as ``\n``)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Bad("netbox.bad.not-text", value=safeio.terminal(repr(value))[:60])
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > NOTE_MAX:
        raise Bad("netbox.bad.too-long", limit=NOTE_MAX)
    if safeio.TERMINAL_UNSAFE.search(text):
        raise Bad("netbox.bad.control", value=safeio.terminal(text)[:60])
    return text


def _slug(value: Any) -> str:
    text = _text(value)
    bad = safeio.invisible(text)
    if bad or not _ID.match(text) or len(text) > 128:
        raise Bad("netbox.bad.id", value=text[:60])
    return text


def _number(low: float, high: float, integer: bool = False) -> Callable[[Any], int | float]:
    def check(value: Any) -> int | float:
        try:
            return safeio.number(value, where="", low=low, high=high, integer=integer, text=True)
        except safeio.UnsafeInput as exc:
            said = exc.render("en").split(" → ")[0]
            raise Bad("netbox.bad.number", value=said) from exc

    return check


def _interface(value: Any) -> str:
    text = _text(value)
    try:
        ipaddress.ip_interface(text)
    except ValueError:
        raise Bad("netbox.bad.ip", value=text[:60]) from None
    return text


def _prefix(value: Any) -> str:
    text = _text(value)
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise Bad("netbox.bad.prefix", value=text[:60]) from None
    return text


def _date(value: Any) -> str:
    text = _text(value)
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise Bad("netbox.bad.date", value=text[:60]) from None
    if not 1900 <= date.year <= 2200:
        raise Bad("netbox.bad.year", value=text)
    return text


Check = Callable[[Any], Any]
_PK: Check = _pk
_TEXT: Check = _text

#: model → field → (check, required); the fields the mapper reads, and nothing else
SPEC: dict[str, dict[str, tuple[Check, bool]]] = {
    "tenancy.tenant": {"slug": (_slug, True), "name": (_text, False)},
    "dcim.site": {
        "slug": (_slug, True),
        "name": (_text, False),
        "tenant": (_PK, False),
        "physical_address": (_text, False),
    },
    "dcim.rack": {"site": (_PK, False), "name": (_text, False)},
    "dcim.devicerole": {"name": (_text, True)},
    "dcim.platform": {"name": (_text, True)},
    "dcim.device": {
        "name": (_text, False),
        "role": (_PK, False),
        "device_role": (_PK, False),
        "site": (_PK, False),
        "tenant": (_PK, False),
        "serial": (_text, False),
        "primary_ip4": (_PK, False),
        "primary_ip6": (_PK, False),
        "platform": (_PK, False),
        "device_type": (_PK, False),
        "manufacturer": (_text, False),
        "device_type_name": (_text, False),
        "rack": (_PK, False),
        "cluster": (_PK, False),
        "_at": (_text, False),
        "os": (_text, False),
        "description": (_note, False),
        "comments": (_note, False),
        "tags": (_text, False),
    },
    "dcim.devicetype": {"model": (_text, False), "manufacturer": (_PK, False)},
    "dcim.manufacturer": {"name": (_text, False)},
    "virtualization.cluster": {"site": (_PK, False), "name": (_text, False)},
    "virtualization.virtualmachine": {
        "name": (_text, False),
        "site": (_PK, False),
        "cluster": (_PK, False),
        "tenant": (_PK, False),
        "serial": (_text, False),
        "primary_ip4": (_PK, False),
        "primary_ip6": (_PK, False),
        "platform": (_PK, False),
        "vcpus": (_number(0, 100_000), False),
        "memory": (_number(0, 1024**3), False),  # MB
        "disk": (_number(0, 1024**3), False),  # GB
        "_at": (_text, False),
        "os": (_text, False),
        "description": (_note, False),
        "comments": (_note, False),
        "tags": (_text, False),
    },
    "ipam.ipaddress": {"address": (_interface, True)},
    "ipam.prefix": {
        "prefix": (_prefix, True),
        "status": (_text, False),
        "description": (_text, False),
        "tenant": (_PK, False),
        "vlan": (_PK, False),
        "site": (_PK, False),
    },
    "ipam.vlan": {"vid": (_number(1, 4094, integer=True), True)},
    "circuits.provider": {"name": (_text, True)},
    "circuits.providernetwork": {"name": (_text, True)},
    "circuits.circuit": {
        "cid": (_text, True),
        "provider": (_PK, False),
        "commit_rate": (_number(0, 10**12), False),  # kbps
        "tenant": (_PK, False),
        "termination_a": (_PK, False),
        "termination_z": (_PK, False),
        "termination_date": (_date, False),
    },
    "circuits.circuittermination": {"site": (_PK, False), "provider_network": (_PK, False)},
}


def clean(objects: Objects, source: str) -> tuple[Objects, list[Problem]]:
    """The objects the mapper may read, and a warning for every value or object left out."""
    out: Objects = defaultdict(dict)
    problems: list[Problem] = []
    for model, spec in SPEC.items():
        for pk, fields in objects.get(model, {}).items():
            place = f"{model}[{safeio.terminal(str(pk))[:40]}]"
            try:
                key = _pk(pk)
                if not isinstance(fields, dict):
                    raise Bad("netbox.bad.not-object")
            except Bad as exc:
                problems.append(_problem(source, place, "", exc))
                continue
            kept = _fields(fields, spec, source, place, problems)
            if kept is not None:
                out[model][key] = kept
    return out, problems


def _fields(
    fields: dict[str, Any],
    spec: dict[str, tuple[Check, bool]],
    source: str,
    place: str,
    problems: list[Problem],
) -> dict[str, Any] | None:
    kept: dict[str, Any] = {}
    for name, (check, required) in spec.items():
        value = fields.get(name)
        if value is None or value == "":
            if required:
                problems.append(_problem(source, place, name, Bad("netbox.bad.missing")))
                return None
            continue
        try:
            kept[name] = check(value)
        except Bad as exc:
            problems.append(_problem(source, place, name, exc))
            if required:
                return None
    return kept


def _problem(source: str, place: str, field: str, exc: Exception) -> Problem:
    return make(
        "import-bad-value",
        file=source,
        path=f"{place}.{field}" if field else place,
        severity="warning",
        detail=exc,
    )
