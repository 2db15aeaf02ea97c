"""How sure the plan is: per system and overall, from how much of what it used was measured
rather than assumed — in the manner of Azure Migrate's confidence rating.

Five factors, each a share between 0 and 1 of a system's servers (or of the system itself):

- ``size``: cores, memory and disk recorded (not zero, not an import's default);
- ``utilisation``: a measured CPU peak (``cpu_p95_pct``), which right-sizing rests on;
- ``dependencies``: the system's links to others are recorded (it depends on, or is depended
  on by, another system) and its servers were grouped by the source, not one system per server;
- ``cost``: a real price table (not example prices) and the servers' purchase value or
  maintenance recorded;
- ``location``: each server's department and room came from the source, not a default.

A system's score is the mean of its factors; the overall score is the mean over systems
weighted by their servers.  Stars as Azure Migrate gives them: 0–20 % one star, 21–40 % two,
41–60 % three, 61–80 % four, 81–100 % five.
"""

from __future__ import annotations

from dataclasses import dataclass

from govcloud.i18n import Lang, join_list, t
from govcloud.ledger import model

FACTORS = ("size", "utilisation", "dependencies", "cost", "location")


@dataclass(frozen=True)
class Confidence:
    """A score (0–100 %), its stars, and the factors that were mostly assumed."""

    pct: int
    stars: int
    assumed: tuple[str, ...]


def stars(pct: float) -> int:
    """1–5 stars for a percentage, in steps of 20."""
    return max(1, min(5, int((pct - 1) // 20) + 1 if pct > 0 else 1))


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def system_factors(ledger: model.Ledger, system: model.System, linked: set[str]) -> dict[str, float]:
    """The five factors of one system."""
    assumed = ledger.assumed

    def was_assumed(field: str, kind: str, ident: str) -> bool:
        return f"{kind}:{ident}" in assumed.get(field, frozenset())

    servers = [ledger.servers[s] for s in system.servers if s in ledger.servers]
    size = [
        s.cpu_cores > 0
        and s.memory_gb > 0
        and s.storage_gb > 0
        and not any(
            was_assumed(f"servers.{f}", "servers", s.id) for f in ("cpu_cores", "memory_gb", "storage_gb")
        )
        for s in servers
    ]
    utilisation = [s.cpu_p95_pct is not None for s in servers]
    grouped = not was_assumed("systems.servers", "systems", system.id)
    dependencies = (1.0 if system.id in linked else 0.0) * 0.5 + (0.5 if grouped else 0.0)
    priced = 0.0 if ledger.prices.example or not ledger.prices.instance_types else 1.0
    valued = _share([s.purchase_value_cny is not None or s.maintenance_cny > 0 for s in servers])
    location = [
        not was_assumed("servers.owner", "servers", s.id) and not was_assumed("servers.site", "servers", s.id)
        for s in servers
    ]
    return {
        "size": _share(size),
        "utilisation": _share(utilisation),
        "dependencies": dependencies,
        "cost": (priced + valued) / 2,
        "location": _share(location),
    }


def _linked(ledger: model.Ledger) -> set[str]:
    out: set[str] = set()
    for system in ledger.systems.values():
        for dep in system.dependencies:
            out.update((system.id, dep.system))
    return out


def rate(factors: dict[str, float]) -> Confidence:
    pct = round(100 * sum(factors.values()) / len(factors))
    return Confidence(pct, stars(pct), tuple(f for f in FACTORS if factors[f] < 0.5))


def factors_of(ledger: model.Ledger, systems: list[str]) -> dict[str, dict[str, float]]:
    """The factors of each of ``systems`` (:func:`system_factors`), by id in id order."""
    linked = _linked(ledger)
    return {s: system_factors(ledger, ledger.systems[s], linked) for s in sorted(systems)}


def of_systems(ledger: model.Ledger, systems: list[str]) -> dict[str, Confidence]:
    """The confidence of each of ``systems``, by id."""
    return {s: rate(f) for s, f in factors_of(ledger, systems).items()}


def overall(
    ledger: model.Ledger,
    per_system: dict[str, Confidence],
    factors: dict[str, dict[str, float]] | None = None,
) -> Confidence:
    """The servers-weighted mean of the systems' scores; the factors assumed for most servers.
    ``factors``: the systems' :func:`factors_of`, when already worked out (else here)."""
    weights = {s: max(1, len(ledger.systems[s].servers)) for s in per_system}
    total = sum(weights.values())
    if not total:
        return Confidence(0, 1, FACTORS)
    if factors is None or not weights.keys() <= factors.keys():
        factors = factors_of(ledger, list(weights))
    sums = dict.fromkeys(FACTORS, 0.0)
    for s, weight in weights.items():
        for factor, value in factors[s].items():
            sums[factor] += value * weight
    return rate({f: v / total for f, v in sums.items()})


def line(pct: int, stars_: int, assumed: list[str] | tuple[str, ...], lang: Lang) -> str:
    """The plan's confidence in one line, and the factors mostly assumed."""
    text = t("confidence.overall", lang, stars=stars_, pct=pct)
    if assumed:
        names = [t(f"confidence.factor.{f}", lang) for f in assumed]
        text += t("confidence.assumed", lang, factors=join_list(names, lang))
    return text
