"""The ports of administration, read from the rule data (``policies/admin-ports.yaml``): the
ones administrators log in on, which the stacks open from the bastion's subnet only, and all of
them, which the baseline says a system must not expose to the internet."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from govcloud.ledger import yamlio
from govcloud.samples import bundled

FILE = "admin-ports.yaml"


@dataclass(frozen=True)
class AdminPorts:
    #: every port of administration, ascending
    all: tuple[int, ...]
    #: the ones administrators log in on, ascending
    login: tuple[int, ...]


@functools.lru_cache(maxsize=4)
def admin_ports(root: Path | None = None) -> AdminPorts:
    """The list in ``policies/admin-ports.yaml`` (or under ``root``); a malformed file raises
    ValueError naming it and the entry."""
    path = (root or bundled("policies")) / FILE
    data = yamlio.read_file(path)
    entries = data.get("ports") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: ports: a list of {{port, name, login}} is needed")
    ports: list[int] = []
    login: list[int] = []
    for i, entry in enumerate(entries):
        port = entry.get("port") if isinstance(entry, dict) else None
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536 or port in ports:
            raise ValueError(f"{path}: ports[{i}].port: a port number (1–65535), each once")
        if not isinstance(entry.get("login", False), bool):
            raise ValueError(f"{path}: ports[{i}].login: true or false")
        ports.append(port)
        if entry.get("login"):
            login.append(port)
    return AdminPorts(tuple(sorted(ports)), tuple(sorted(login)))
