"""``govcloud status``: planned against done, per wave, as a terminal table or JSON."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from govcloud.i18n import Lang, t
from govcloud.plan.status import KINDS, WaveStatus


def to_json(waves: list[WaveStatus]) -> dict[str, Any]:
    return {"waves": [w.as_json() for w in waves]}


def table(waves: list[WaveStatus], title: str, lang: Lang) -> Table:
    """One row per wave: its state and window, and done/planned for each kind of work."""
    out = Table(title=title, title_justify="left")
    out.add_column(t("plan.col.wave", lang))
    out.add_column(t("status.col.state", lang))
    out.add_column(t("status.col.window", lang))
    for kind in KINDS:
        out.add_column(t(f"status.col.{kind}", lang), justify="right")
    for wave in waves:
        window = f"{wave.start} – {wave.end}" if wave.start and wave.end else "-"
        out.add_row(
            t("plan.wave", lang, number=wave.number),
            t(f"status.state.{wave.state}", lang),
            window,
            *(f"{len(wave.done[k])}/{len(wave.planned[k])}" for k in KINDS),
        )
    return out
