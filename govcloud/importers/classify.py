"""What a row is: a server (physical, VM, hypervisor host), a network or security device,
storage, or something else — from its device type or role, through the table in
``roles.yaml`` (and the roles a mapping file sets).  Only servers become servers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

#: classes a row can be, in the order the table tries them
CLASSES = ("vm", "host", "storage", "server", "security", "network", "other")
SERVER_CLASSES = frozenset({"vm", "host", "server"})
#: the ledger's server kind of each server class
SERVER_KIND = {"vm": "vm", "host": "physical", "server": "physical"}
#: the group a non-server class is counted in
GROUP = {"storage": "storage", "security": "network", "network": "network", "other": "other"}


def _fold(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], list[tuple[str, str]], list[str]]:
    text = resources.files("govcloud.importers").joinpath("roles.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    exact = {_fold(k): str(v) for k, v in data.get("exact", {}).items()}
    words = [(_fold(w), cls) for cls in CLASSES for w in data["classes"].get(cls, [])]
    makers = [_fold(w) for w in data.get("network_makers", [])]
    return exact, words, makers


def classify(
    role: str | None, overrides: Mapping[str, str] | None = None, makers: tuple[str | None, ...] = ()
) -> str | None:
    """The class of a device type or role; None when nothing is known about it.  ``makers``
    (manufacturer, model) overrule a server role that network gear was given too."""
    found = _classify(role, overrides)
    if found in SERVER_CLASSES and not _overridden(role, overrides):
        network_makers = _table()[2]
        for maker in makers:
            if maker and any(_contains(_fold(maker), m) for m in network_makers):
                return "network"
    return found


def _overridden(role: str | None, overrides: Mapping[str, str] | None) -> bool:
    return role is not None and any(_fold(str(n)) == _fold(str(role)) for n in (overrides or {}))


def _classify(role: str | None, overrides: Mapping[str, str] | None) -> str | None:
    if role is None or not str(role).strip():
        return None
    folded = _fold(str(role))
    for name, cls in (overrides or {}).items():
        if _fold(str(name)) == folded:
            return str(cls)
    exact, words, _ = _table()
    if folded in exact:
        return exact[folded]
    for cls in CLASSES:
        candidates = sorted((w for w, c in words if c == cls), key=len, reverse=True)
        for word in candidates:
            if _contains(folded, word):
                return cls
    return None


def _contains(text: str, word: str) -> bool:
    """``word`` in ``text``; a Latin word only as a whole word (``ap`` is not in ``laptop``)."""
    if re.fullmatch(r"[a-z0-9 ]+", word):
        return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text) is not None
    return word in text
