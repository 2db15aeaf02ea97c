"""Where the bundled sample inventories and policies are, in a checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

#: the sample province planned when no inventory is named
DEFAULT_REGION = "haiyue"


def bundled(name: str) -> Path:
    """The bundled top-level folder ``name`` (``inventories`` or ``policies``).

    A wheel carries it inside the package (``govcloud/_bundled``); a source checkout or an
    editable install has it beside the package.
    """
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled {name}/ folder is missing from this installation")


def default_inventory() -> Path:
    """The sample province's inventory directory."""
    return bundled("inventories") / DEFAULT_REGION
