"""The main job, ``govcloud plan``, as a library call: load → validate → analyse → plan →
emit → baseline → write outputs; and the other commands' jobs that run several stages
(:func:`plan_ledger`, :func:`run_check`, :func:`run_status`), so the library does what the CLI
does without it.

With a :class:`~govcloud.cache.Cache`, what a run computed is kept under a key of everything
it read (the ledger's files, govcloud's own code, thresholds, scenario, language, baseline
rules), so a re-run on unchanged input only writes the outputs again.  Parts are kept too,
each under a key of exactly what it depends on:

- every ledger file loaded on its own (:class:`~govcloud.cache.FileParts`: name, bytes, code),
  so a run after editing one department's file reads and checks that file only;
- the valid ledger (every file and the code), so a run with other settings skips loading;
- the analysis (the ledger, the thresholds after the scenario's ``analysis:``, the scenario's
  ``prices:`` and ``targets:``, which change the ledger it analyses), so a what-if that changes
  rules, decisions, platforms, calendar or kept departments plans on the analysis it has;
- the as-is baseline of what depends on the ledger alone (the ledger, the scenario's
  ``prices:`` and ``targets:``, the baseline rules: :func:`govcloud.baseline.ledger_part`), so
  a what-if that does not change the ledger, or other waivers, do not check it again.

Only a valid ledger is cached whole, with its warnings, which are reported again on a warm run.

Every stage reports to ``progress(stage, done, total)`` (``done == total`` when it is over);
the CLI draws that as a bar.  The CLI only parses options and prints what this returns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Generic, TypeVar

from govcloud import baseline, forked
from govcloud import cache as warm
from govcloud.analysis import Analysis, Thresholds, analyse
from govcloud.analysis.config import with_overrides
from govcloud.baseline import Waiver
from govcloud.baseline.classified import Redaction, redaction
from govcloud.baseline.residual import residual
from govcloud.baseline.rules import Rule, policies_dir
from govcloud.i18n import Lang
from govcloud.ledger import LoadResult, load, model
from govcloud.ledger.loader import FilePart, collector_paused
from govcloud.ledger.model import Ledger
from govcloud.ledger.summary import Summary, summarise, to_json
from govcloud.outputs import Keeper, Staging, json_blocks, json_bytes, staging
from govcloud.plan import Plan, PlanRules, Scenario, build
from govcloud.plan import status as plan_status
from govcloud.plan.cashflow import cash_flow
from govcloud.plan.kpi import Indicator, indicators
from govcloud.plan.rules import with_overrides as rules_with_overrides
from govcloud.plan.scenario import apply_prices, apply_targets, check_ids
from govcloud.plan.status import WaveStatus
from govcloud.report import analysis as analysis_report
from govcloud.report import baseline as baseline_report
from govcloud.report import plan as plan_report
from govcloud.report import summary as summary_report
from govcloud.report import topology as topology_report
from govcloud.report import validation as validation_report
from govcloud.stacks import Stack, build_stacks
from govcloud.stacks.common import slug
from govcloud.stacks.emit import index_files, project_files, remove_stale
from govcloud.stacks.read import read_stacks

T = TypeVar("T")
Progress = Callable[[str, int, int], None]
#: one group of outputs, yielded one at a time as (path in the output folder, text or bytes)
Renderer = Callable[[], Iterator[tuple[str, str | bytes | Iterator[bytes]]]]

#: the stages of a run that computes, in order; each has a ``progress.<stage>`` message.  A
#: warm run reports ``cache`` and then ``write``.
STAGES: tuple[str, ...] = (
    "load",
    "validate",
    "summary",
    "analyse",
    "plan",
    "stacks",
    "baseline",
    "render",
    "report",
    "write",
)


@dataclass
class PlanRun:
    """What one run of the main job produced."""

    load: LoadResult
    summary: Summary | None = None
    analysis: Analysis | None = None
    plan: Plan | None = None
    #: the stacks until their files are rendered: a computed run lets them go then (at 100k
    #: servers they take 600 MB while the report is drawn and the run is cached), keeping
    #: their project names in ``projects``
    stacks: list[Stack] = field(default_factory=list)
    #: every stack's project name, in the plan's order
    projects: list[str] = field(default_factory=list)
    baseline: baseline.Result | None = None
    #: the baseline rules the run checked (for the classified annex, written on request)
    baseline_rules: list[Rule] = field(default_factory=list)
    #: every output's path relative to the output folder, in writing order
    names: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    #: read back from the cache instead of computed
    cached: bool = False
    #: what this run took from the cache: "run", "ledger" ("1", or "0": loaded and kept),
    #: "files" (how many of how many), "analysis"
    reused: dict[str, str] = field(default_factory=dict)
    #: what ``govcloud plan`` prints of the run (:func:`printed`), once it was made
    shown: Printed | None = None
    #: the wave table as text, by language, when a forked child made it with the plan's
    #: documents (its confidence and cash flow are worked out there, and only there)
    tables: dict[str, plan_report.TableText] = field(default_factory=dict)


@dataclass(frozen=True)
class Printed:
    """What ``govcloud plan`` prints of a valid run, and the classified annex it writes on
    request: made from the run's objects once, and kept with the run in the cache so that a
    warm re-run prints it without them."""

    #: the ledger's warnings and their count (:func:`govcloud.report.validation.problems_text`)
    problems: str
    summary: Summary
    #: :func:`govcloud.report.analysis.total_line`
    analysis: str
    plan: plan_report.TableText
    #: :func:`govcloud.report.baseline.summary_line`
    baseline: str
    #: the waivers that expired (named), and how many of the classified systems' did (counted)
    expired: list[Waiver]
    expired_classified: int
    #: the classified annex (:func:`govcloud.report.baseline.annex`) and how many systems it has
    annex: str
    annex_systems: int


def printed(run: PlanRun, lang: Lang) -> Printed | None:
    """What ``govcloud plan`` prints of ``run`` (None when its ledger has errors): kept with a
    cached run, else made from its objects now."""
    if run.shown is not None or run.summary is None:
        return run.shown
    result, analysis, plan = run.baseline, run.analysis, run.plan
    if result is not None and analysis is not None and plan is not None:  # a valid ledger's run has all
        run.shown = Printed(
            validation_report.problems_text(run.load, lang),
            run.summary,
            analysis_report.total_line(analysis, lang),
            run.tables.get(lang) or plan_report.table_text(plan, lang),
            baseline_report.summary_line(result, lang),
            [f.waiver for f in result.expired_waivers() if f.waiver is not None],
            len(result.annex.expired_waivers()) if result.annex is not None else 0,
            baseline_report.annex(run.baseline_rules, result, lang),
            result.separately.get("systems", 0),
        )
    return run.shown


@dataclass(frozen=True)
class _Keys:
    inputs: str
    ledger: str
    run: str


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None


def run_plan(
    inventory: Path,
    out: Path,
    lang: Lang,
    progress: Progress | None = None,
    thresholds: Thresholds | None = None,
    scenario: Scenario | None = None,
    scenario_file: str = "",
    cache: warm.Cache | None = None,
    waivers: list[baseline.Waiver] | None = None,
    today: dt.date | None = None,
) -> PlanRun:
    """Load and validate ``inventory``; when valid, analyse and plan it and write the outputs
    into ``out``.  Nothing is written when the ledger has errors.

    A scenario's ids are checked against the ledger (:class:`~govcloud.settings.ConfigError`).
    ``waivers`` accept baseline failures until they expire (judged on ``today``).  Classified
    systems never appear in the outputs (:func:`govcloud.baseline.classified.redact`).
    """
    waivers = waivers or []
    today = today or dt.date.today()
    report = progress or _quiet
    thresholds = thresholds or Thresholds()
    scenario = scenario or Scenario()
    keys = (
        _keys(inventory, lang, thresholds, scenario, scenario_file, waivers, today)
        if cache is not None
        else None
    )
    compute = functools.partial(
        _compute,
        lang=lang,
        thresholds=thresholds,
        scenario=scenario,
        scenario_file=scenario_file,
        waivers=waivers,
        today=today,
    )
    if cache is not None and keys is not None:
        report("cache", 0, 1)
        entry = cache.get(keys.run, _Entry)
        report("cache", 1, 1)
        if entry is not None:
            hit = _WarmRun(entry, functools.partial(_again, inventory, cache, keys, compute))
            try:
                _write(hit, entry, out, cache, keys.run, report)
                return hit
            except warm.BrokenBlob:  # an output kept in the cache is gone or damaged
                cache.drop(keys.run)
                warm.Blobs(cache).check(entry.manifest.files.values())  # kept again below
    reused: dict[str, str] = {}
    keeper = _Keeper()
    as_is = _AsIs(None, None, reused)
    try:
        # the stages build millions of short- and long-lived objects but no reference cycles
        # to speak of (peak memory is the same without the cyclic collector): at 50k servers
        # it spent a sixth of the run walking them (29.5 s → 24.3 s paused).  Paused from the
        # load on: between the two, the collector walked the whole ledger (0.4 s at 100k)
        with collector_paused():
            result = _load(inventory, report, cache, keys, reused, keeper)
            # what is computed from a ledger edited while it was read is not kept under its key
            same = keys if "ledger" in reused else None
            analyses = _Analyses(cache, same.ledger if same is not None else None, reused, keeper)
            as_is = _AsIs(cache, same.ledger if same is not None else None, reused, keeper)
            # the outputs are kept in the cache as they are staged, by whichever process stages
            # them; the run's entry only once they are all in place
            since = time.time() - 1  # file times are a clock tick behind
            blobs = warm.Blobs(cache) if cache is not None and same is not None else None
            keep = blobs.hold if blobs is not None and blobs.usable(create=True) else None
            run, rendering = compute(
                result, report=report, analyses=analyses, as_is=as_is, out=out, keep=keep
            )
            run.reused = reused
            if rendering is None:
                return run
            stage = _emit(run, rendering, out, lang, report, keep)
            keeper.wait()  # the run's own entry last: no two processes evict at once
            if cache is not None and same is not None and blobs is not None and keep is not None:
                _keep(run, out, lang, cache, same.run, blobs, stage, since)
        return run
    except BaseException:
        as_is.stop()
        keeper.stop()
        raise
    finally:
        keeper.wait()


class _Keeper:
    """Cache entries written by forked children while the run goes on: pickling a ledger
    of 100k servers and its files' parts takes seconds that analysing and planning need not
    wait for.  Every child is waited for before the run keeps its own entry and returns, or
    stopped on an error, so none outlives the run; one that fails leaves the cache without
    its entry, as a cache that cannot be written does.  Where no child can be forked (or
    without a keeper), the entries are written at once."""

    def __init__(self) -> None:
        self.children: list[forked.Child[None]] = []

    def later(self, write: Callable[[], None]) -> None:
        child = forked.call(write, background=True)
        if child is None:  # no fork here, or one process asked for
            write()
        else:
            self.children.append(child)

    def wait(self) -> None:
        for child in self.children:
            with contextlib.suppress(Exception):
                child.result()
        self.children.clear()

    def stop(self) -> None:
        for child in self.children:
            child.cancel()
        self.children.clear()


def _later(keeper: _Keeper | None, write: Callable[[], None]) -> None:
    if keeper is None:
        write()
    else:
        keeper.later(write)


class _LaterParts:
    """The per-file cache (:class:`~govcloud.cache.FileParts`) whose new parts are kept by
    :meth:`flush`, after the load, rather than as each file is read."""

    def __init__(self, parts: warm.FileParts) -> None:
        self.parts = parts
        self.new: list[tuple[str, bytes, FilePart]] = []

    def has(self, name: str, data: bytes) -> bool:
        return self.parts.has(name, data)

    def get(self, name: str, data: bytes) -> FilePart | None:
        return self.parts.get(name, data)

    def put(self, name: str, data: bytes, part: FilePart) -> None:
        self.new.append((name, data, part))

    def flush(self) -> None:
        for name, data, part in self.new:
            self.parts.put(name, data, part)


def _keys(
    inventory: Path,
    lang: Lang,
    thresholds: Thresholds,
    scenario: Scenario,
    scenario_file: str,
    waivers: list[baseline.Waiver],
    today: dt.date,
) -> _Keys | None:
    """The cache keys of the ledger and of the whole run; None when the ledger's files
    cannot all be read (the loader then says why)."""
    inputs = warm.inputs_digest(inventory)
    if inputs is None:
        return None
    ledger = warm.digest("ledger", warm.code_digest(), inputs)
    settings = {
        "lang": lang,
        "thresholds": asdict(thresholds),
        "scenario": asdict(scenario),
        "scenario_file": scenario_file,
        "inventory": str(inventory),
        # waivers, and the day their expiry is judged on, change the baseline
        "waivers": [asdict(w) for w in waivers],
        "today": today.isoformat() if waivers else "",
    }
    text = json.dumps(settings, sort_keys=True, default=str)
    return _Keys(inputs, ledger, warm.digest("plan", ledger, text, warm.tree_digest(policies_dir())))


def _load(
    inventory: Path,
    report: Progress,
    cache: warm.Cache | None,
    keys: _Keys | None,
    reused: dict[str, str],
    keeper: _Keeper | None = None,
) -> LoadResult:
    """The ledger from the cache, else loaded (the files unchanged since an earlier run taken
    from the cache file by file) and kept when valid and unchanged meanwhile (by ``keeper``'s
    child, with the parts of the files just read)."""
    if cache is not None and keys is not None:
        hit = cache.get(keys.ledger, LoadResult)
        if hit is not None:
            reused["ledger"] = "1"
            return hit
    if cache is None:
        return load(inventory, progress=report)
    parts = _LaterParts(warm.FileParts(cache))
    result = load(inventory, progress=report, parts=parts)
    reused["files"] = f"{parts.parts.hits}/{parts.parts.hits + parts.parts.misses}"
    if keys is not None and result.ledger is not None and warm.inputs_digest(inventory) == keys.inputs:
        # valid, and not edited while it was read
        reused["ledger"] = "0"
        key = keys.ledger

        def keep() -> None:
            parts.flush()
            cache.put(key, result)

        _later(keeper, keep)
    elif parts.new:
        _later(keeper, parts.flush)
    return result


class _OfLedger:
    """Something computed from a ledger and kept in ``cache`` under a key of the ledger's
    (None: not kept), by ``keeper``'s children; what a run took from the cache goes into
    ``reused``."""

    def __init__(
        self,
        cache: warm.Cache | None,
        ledger_key: str | None,
        reused: dict[str, str],
        keeper: _Keeper | None = None,
    ) -> None:
        self.cache = cache
        self.ledger_key = ledger_key
        self.reused = reused
        self.keeper = keeper


class _Analyses(_OfLedger):
    """The analysis of a ledger, from the cache when the same ledger was analysed with the
    same thresholds, prices and targets (a what-if that changes only the plan reuses it)."""

    def analysis(
        self, ledger: Ledger, thresholds: Thresholds, scenario: Scenario, report: Progress
    ) -> Analysis:
        key = None
        if self.cache is not None and self.ledger_key is not None:
            changes = {
                "thresholds": asdict(thresholds),
                "prices": scenario.prices,
                "targets": scenario.targets,
            }
            key = warm.digest("analysis", self.ledger_key, json.dumps(changes, sort_keys=True, default=str))
            report("analyse", 0, 1)
            hit = self.cache.get(key, Analysis)
            if hit is not None:
                self.reused["analysis"] = "1"
                report("analyse", 1, 1)
                return hit
        analysis = analyse(ledger, thresholds, progress=report)
        cache = self.cache
        if cache is not None and key is not None:

            def keep() -> None:
                cache.put(key, analysis)

            _later(self.keeper, keep)
        return analysis


#: from this many servers on, a forked child checks the as-is baseline of the ledger's own
#: subjects while this process analyses and plans (below, forking costs more than it saves)
FORK_MIN_SERVERS = 2000


class _AsIs(_OfLedger):
    """The as-is baseline of what depends on the ledger alone
    (:func:`govcloud.baseline.ledger_part`: most of the subjects, none of the plan), from the
    cache when the same ledger was checked by the same rules (a what-if that does not change
    the ledger reuses it), else made by a child forked as soon as the ledger is valid, on the
    core that is idle while this process analyses and plans; the child keeps it in the
    cache.  A small ledger's, or where nothing can be forked, is made here when the baseline
    is checked.  The child is waited for when the baseline is checked, or stopped on an error
    (:meth:`stop`)."""

    #: the part once made, read or received
    part: baseline.LedgerPart | None = None
    #: the child making it, until it is waited for or stopped
    child: forked.Child[baseline.LedgerPart] | None = None
    #: its key in the cache (None: not kept), once the scenario is known
    key: str | None = None

    def start(self, ledger: Ledger, scenario: Scenario, *, fork: bool = True) -> None:
        """Take the part of ``ledger`` (the loaded one, as ``scenario`` changed it) from the
        cache, or fork the child that makes it (a large ledger, unless not ``fork``)."""
        if self.cache is not None and self.ledger_key is not None:
            self.key = _as_is_key(self.ledger_key, scenario)
        self.part = self._cached()
        if self.part is None and fork and len(ledger.servers) >= FORK_MIN_SERVERS:
            self.child = forked.call(functools.partial(self._made, ledger), background=True)

    def get(self, ledger: Ledger) -> baseline.LedgerPart:
        """The part of ``ledger`` (the one :meth:`start` was given): the child's (its error
        raised here), the cache's, or made now and kept."""
        if self.child is not None:
            child, self.child = self.child, None
            self.part = child.result()
        if self.part is None:
            self.part = part = baseline.ledger_part(ledger)
            cache, key = self.cache, self.key
            if cache is not None and key is not None:

                def keep() -> None:
                    cache.put(key, part)

                _later(self.keeper, keep)
        return self.part

    def stop(self) -> None:
        """Stop the child, if it is still at work, and reap it."""
        if self.child is not None:
            self.child.cancel()
            self.child = None

    def _cached(self) -> baseline.LedgerPart | None:
        if self.cache is None or self.key is None:
            return None
        hit = self.cache.get(self.key, baseline.LedgerPart)
        if hit is not None:
            self.reused["as-is"] = "1"
        return hit

    def _made(self, ledger: Ledger) -> baseline.LedgerPart:  # pragma: no cover - in the child
        part = baseline.ledger_part(ledger)
        if self.cache is not None and self.key is not None:
            self.cache.put(self.key, part)
        return part


def _as_is_key(ledger_key: str, scenario: Scenario) -> str:
    """The cache key of the as-is baseline of what depends on the ledger alone: the ledger
    (its files and the code) and what a scenario changes of it (its prices and targets: a
    node removed rewrites the lines that end there), the baseline rules; not the waivers nor
    the day they are judged on, which apply after the merge (:func:`govcloud.baseline.check`)."""
    changes = json.dumps(
        {"prices": scenario.prices, "targets": scenario.targets}, sort_keys=True, default=str
    )
    return warm.digest("as-is", ledger_key, changes, warm.code_digest(), warm.tree_digest(policies_dir()))


def _compute(
    result: LoadResult,
    lang: Lang,
    report: Progress,
    thresholds: Thresholds,
    scenario: Scenario,
    scenario_file: str,
    waivers: list[baseline.Waiver],
    today: dt.date,
    analyses: _Analyses,
    as_is: _AsIs,
    out: Path | None,
    keep: Keeper | None = None,
) -> tuple[PlanRun, _Rendering | None]:
    """Every stage up to the baseline, and the renderers of the outputs (each yields its
    files one at a time: see :func:`_emit`).  A large plan's outputs are rendered by forked
    children (:func:`_fork_renderer`, :mod:`govcloud.forked`): the ledger's and the plan's
    documents from :data:`FORK_MIN_WAVES` waves on, while this process builds the stacks and
    checks the baseline; from :data:`FORK_MIN_STACKS` stacks on, the stacks' files by
    whichever process is free (:class:`~govcloud.forked.Claims`) and the baseline's
    documents; each output kept in the cache by the process that staged it (``keep``).
    With no ``out`` (the objects computed again, nothing written) nothing is forked."""
    run = PlanRun(result)
    if result.ledger is None:
        return run, None
    check_ids(scenario, result.ledger, scenario_file)
    ledger = apply_targets(
        apply_prices(result.ledger, scenario.prices, scenario_file), scenario.targets, scenario_file
    )
    # the as-is baseline of what depends on the ledger alone, by a child from here on
    as_is.start(ledger, scenario, fork=out is not None)
    thresholds = with_overrides(thresholds, scenario.analysis, scenario_file)
    rules = rules_with_overrides(PlanRules(), scenario.rules, scenario_file)
    report("summary", 0, 1)
    run.summary = summary = summarise(ledger)
    report("summary", 1, 1)
    run.analysis = analysis = analyses.analysis(ledger, thresholds, scenario, report)
    report("plan", 0, 1)
    run.plan = plan = build(ledger, analysis, rules, scenario)
    report("plan", 1, 1)
    root = _stacks(ledger)
    redacted = redaction(ledger)

    def reports() -> Iterator[tuple[str, str | bytes | Iterator[bytes]]]:
        yield "analysis.json", json_bytes(analysis_report.to_json(analysis, ledger))
        yield "analysis.md", analysis_report.markdown(analysis, ledger, lang)
        yield "ledger-summary.json", json_bytes(to_json(summary))
        yield "ledger-summary.md", summary_report.markdown(summary, lang)

    def plans() -> Iterator[tuple[str, str | bytes | Iterator[bytes]]]:
        yield "plan.json", json_blocks(plan_report.to_json(plan, lazy=True))
        yield "plan.md", plan_report.markdown(plan, lang)
        yield "topology.json", json_bytes(topology_report.to_json(plan))

    groups: dict[str, list[Renderer]] = {"reports": [reports], "plans": [plans]}
    rendering = _Rendering(groups, redacted)
    try:
        if out is not None and len(plan.schedule) >= FORK_MIN_WAVES:  # None: nothing is written
            # the documents of the ledger and the plan by a child while this process builds
            # the stacks and checks their baseline: the second core had nothing to do then
            _fork_renderer(rendering, DOCS_GROUPS, plan, lang, out, keep)
        report("stacks", 0, 1)
        run.stacks = stacks = build_stacks(plan)
        report("stacks", 1, 1)
        # the index first: the stacks are let go one by one as their files are rendered
        groups["stacks"] = [functools.partial(_prefixed, root, index_files, stacks)]
        rendering.projects = [
            functools.partial(_prefixed, f"{root}/{s.project}", project_files, s) for s in stacks
        ]
        run.projects = [s.project for s in stacks]
        if out is not None and len(stacks) >= FORK_MIN_STACKS:
            # the stacks go to whichever process is free first: the child, once it has rendered
            # its groups, and this one, once it has checked the baseline and rendered its own
            # and report.html, which it draws from the documents where a child staged them
            rendering.claims = forked.Claims.make(len(rendering.projects))
            if rendering.claims is not None:  # else this process renders them all
                _fork_renderer(rendering, CHILD_GROUPS, plan, lang, out, keep)
        if not any(child.claims for child in rendering.children):
            groups["stacks"].extend(p for p in rendering.projects if p is not None)
            rendering.projects, rendering.claims = [], None
        report("baseline", 0, 1)
        part = as_is.get(ledger)
        checked, found = baseline.check(ledger, plan, stacks, waivers=waivers, today=today, ledger_part=part)
        run.baseline, run.baseline_rules = found, checked
        left = residual(checked, found, plan)
        report("baseline", 1, 1)
        _baseline_renderers(rendering, checked, found, left, plan, lang, out, keep)
    except BaseException:
        rendering.stop()
        raise
    # 分级保护 apart: no classified system's id or name in any ordinary output, whichever
    # writer listed it (the report is drawn from the redacted documents, and checked again)
    return run, rendering


def _baseline_renderers(
    rendering: _Rendering,
    checked: list[Rule],
    found: baseline.Result,
    left: dict[str, Any] | None,
    plan: Plan,
    lang: Lang,
    out: Path | None,
    keep: Keeper | None,
) -> None:
    """The renderers of the baseline's documents, added to ``rendering``; with a child that
    claims stacks, a third child renders them while report.html is drawn here from what it
    needs of baseline.json, made again without the subjects' lists (the chain check →
    baseline.json → report.html was the critical path from the stacks on)."""
    redacted = rendering.redacted

    # each document is made, encoded and written before the next: the findings and the
    # SARIF's results are made as they are written, a block at a time (several hundred MB at
    # 100k servers)
    def baselines() -> Iterator[tuple[str, str | bytes | Iterator[bytes]]]:
        yield "baseline.json", json_blocks(baseline_report.to_json(checked, found, lang, left, lazy=True))

    def findings() -> Iterator[tuple[str, str | bytes | Iterator[bytes]]]:
        yield "baseline.sarif", json_blocks(baseline_report.sarif(checked, found, lang, lazy=True))
        yield "baseline.md", baseline_report.markdown(checked, found, lang, left)

    def drawn() -> bytes:
        # what report.html draws of baseline.json, its members as they are there but the
        # subjects' lists it never reads, redacted as the file is
        residual_drawn = {k: v for k, v in left.items() if k != "retained"} if left is not None else None
        document = baseline_report.to_json(checked, found, lang, residual_drawn, subjects=False)
        return b"".join(redacted(json_bytes(document)))

    rendering.groups["baselines"], rendering.groups["findings"] = [baselines], [findings]
    if out is not None and any(child.claims for child in rendering.children):
        rendering.drawn["baseline.json"] = drawn
        _fork_renderer(rendering, FINDINGS_GROUPS, plan, lang, out, keep)


def _fork_renderer(
    rendering: _Rendering,
    names: tuple[str, ...],
    plan: Plan,
    lang: Lang,
    out: Path,
    keep: Keeper | None,
) -> None:
    """Fork a child rendering the groups of ``names`` still in ``rendering.groups`` (taken
    out of them), then, when ``rendering.claims`` is set, the stacks' files it claims; the
    child that renders the plan's documents sends where it staged them
    (``rendering.note``) and returns the wave table made beside them.  Where no child can be
    forked, nothing is taken: this process renders it all."""
    handed = {name: rendering.groups[name] for name in names if name in rendering.groups}
    note = forked.Note[dict[str, str]]() if "plans" in handed else None
    projects, claims, redacted = rendering.projects, rendering.claims, rendering.redacted

    def rendered(staging: Staging) -> _Rendered:
        done = _render_groups(staging, handed, redacted, out, _quiet)
        if note is not None:
            note.send(dict(staging.where))
        theirs = (
            _render_claimed(staging, projects, claims, redacted, out, _quiet) if claims is not None else {}
        )
        # the table needs the plan's confidence and cash flow, which plan.json has just
        # worked out here: not again, and not on the way, in the parent
        return done, theirs, ({lang: plan_report.table_text(plan, lang)} if note is not None else {})

    # what no output waits for (the stacks' files, the baseline's documents, done at the
    # commit) yields the cores to what report.html waits for: the plan's documents, the
    # baseline's check and the page
    child = forked.stage(rendered, keep, background=note is None)
    if child is None:  # this process renders them
        if note is not None:
            note.close()
        return
    if note is not None:
        note.forked()
        rendering.note = note
    for name in handed:
        del rendering.groups[name]
    rendering.children.append(_Child(child, claims is not None))


#: what the rendering child sends back besides its files: their names by group, the names
#: of the stacks' files it rendered by the stack's position, and the wave table as text by
#: language
_Rendered = tuple[dict[str, list[str]], dict[int, list[str]], dict[str, plan_report.TableText]]
#: the groups of outputs in writing order (``report.html`` is drawn last, from the others)
GROUPS: tuple[str, ...] = ("reports", "plans", "baselines", "findings", "stacks")
#: the groups a child forked once the plan exists renders while this process builds the
#: stacks and checks the baseline: the documents of the ledger and the plan
DOCS_GROUPS: tuple[str, ...] = ("reports", "plans")
#: the groups a child forked once the stacks exist renders (those of :data:`DOCS_GROUPS` no
#: child took, and of "stacks" the index) before it claims stacks' files
CHILD_GROUPS: tuple[str, ...] = ("reports", "plans", "stacks")
#: the groups a child forked once the baseline is checked renders (the plan being large
#: enough for :data:`CHILD_GROUPS`' child) before it claims stacks' files: the baseline's
#: documents (report.html is drawn meanwhile from what it needs of baseline.json, made here:
#: :attr:`_Rendering.drawn`)
FINDINGS_GROUPS: tuple[str, ...] = ("baselines", "findings")
#: from this many stacks on, a forked child renders :data:`CHILD_GROUPS` and claims stacks
#: (below, forking costs more than it saves: the sample's few stacks render in milliseconds)
FORK_MIN_STACKS = 64
#: from this many waves on, a child forked as soon as the plan exists renders
#: :data:`DOCS_GROUPS` (each wave has a stack at least, and its lines in the plan's documents)
FORK_MIN_WAVES = 64


@dataclass
class _Child:
    """A forked child rendering outputs, and whether it claims stacks' files too."""

    staging: forked.StagingChild[_Rendered]
    claims: bool


@dataclass
class _Rendering:
    #: the groups of outputs this process renders, each a list of renderers in writing order
    groups: dict[str, list[Renderer]]
    #: an output's bytes → the redacted bytes, in pieces
    redacted: Redaction
    #: the forked children rendering the other groups, in the order they were forked
    children: list[_Child] = field(default_factory=list)
    #: the renderers of the stacks' own files, in the plan's order, rendered by whichever of
    #: this process and a child claims each first (``claims``; None: this process alone)
    projects: list[Renderer | None] = field(default_factory=list)
    claims: forked.Claims | None = None
    #: where the child rendering the plan's documents staged them, sent once they are
    #: (report.html is drawn from them while the stacks are rendered)
    note: forked.Note[dict[str, str]] | None = None
    #: documents a child renders, as report.html draws them, made by this process instead of
    #: read where the child staged them (see :func:`_report_early`)
    drawn: dict[str, Callable[[], bytes]] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop every child (each removes what it staged) and close the note's pipe."""
        for child in self.children:
            child.staging.cancel()
        if self.note is not None:
            self.note.close()


def _emit(
    run: PlanRun, rendering: _Rendering, out: Path, lang: Lang, report: Progress, keep: Keeper | None = None
) -> Staging:
    """Render every output, redact it and stage it beside its target one at a time (nothing
    is held in memory but the output being written; each hashed and told to ``keep`` when it
    is given), draw report.html from the staged JSON documents (and what the page reads of
    those a child is still rendering, made here: :attr:`_Rendering.drawn`), claim stacks,
    take over what the forked children staged, then rename them all into place together (:func:`~govcloud.outputs.staging`:
    an interruption leaves every previous output intact); remove the stack folders of an
    earlier emission the plan no longer has.  The staging, committed, is returned (its files'
    digests)."""
    run.stacks = []
    try:
        with staging(lambda done, files: report("write", done, files), keep=keep) as stage:
            names = _render_groups(stage, rendering.groups, rendering.redacted, out, report)
            rendering.groups.clear()
            drawn = False
            if rendering.note is not None:
                drawn = _report_early(
                    stage, rendering.note.receive(), rendering.drawn, rendering.redacted, out, lang, report
                )
            claimed: dict[int, list[str]] = {}
            if rendering.claims is not None:
                claimed = _render_claimed(
                    stage, rendering.projects, rendering.claims, rendering.redacted, out, report
                )
            rendering.projects.clear()
            if rendering.children and not drawn:
                _html()  # matplotlib's import (0.3 s) while a child may still be rendering
            for child in rendering.children:
                theirs, their_stacks, tables = child.staging.join(stage)
                run.tables.update(tables)
                for group, written in theirs.items():
                    names.setdefault(group, []).extend(written)
                claimed.update(their_stacks)
            if claimed:
                names["stacks"] = names.get("stacks", []) + [n for i in sorted(claimed) for n in claimed[i]]
            run.names = [name for group in GROUPS for name in names.get(group, [])]
            if not drawn:
                _report(_Staged(stage, out), stage, rendering.redacted, out, lang, report)
            run.names.append("report.html")
    finally:
        rendering.stop()
    _written(run, out)
    return stage


def _report_early(
    stage: Staging,
    theirs: dict[str, str] | None,
    made: dict[str, Callable[[], bytes]],
    redacted: Redaction,
    out: Path,
    lang: Lang,
    report: Progress,
) -> bool:
    """Draw and stage report.html before the children are done, from the parent's documents,
    the plan's child's (``theirs``: where it staged them) and those ``made`` here as the page
    draws them; whether it was drawn (not when the child sent nothing, or its files are
    gone: it stopped, and says why when it is joined; any other error is raised as it would
    be after the join)."""
    if theirs is None:
        return False
    try:
        _report(_Staged(stage, out, theirs, made), stage, redacted, out, lang, report)
    except FileNotFoundError:
        return False
    return True


def _report(
    documents: Mapping[str, bytes],
    stage: Staging,
    redacted: Redaction,
    out: Path,
    lang: Lang,
    report: Progress,
) -> None:
    report("report", 0, 1)
    page = _report_html(documents, lang).encode("utf-8")
    stage.add(os.path.join(out, "report.html"), redacted(page))
    report("report", 1, 1)


def _render_groups(
    stage: Staging, groups: dict[str, list[Renderer]], redacted: Redaction, out: Path, report: Progress
) -> dict[str, list[str]]:
    """Render, redact and stage every output of ``groups``, one at a time; their names by
    group.  Each renderer is let go once rendered (and with it the last reference to its
    stack)."""
    names: dict[str, list[str]] = {}
    total = sum(len(renderers) for renderers in groups.values())
    done = 0
    for group, renderers in groups.items():
        written = names.setdefault(group, [])
        renderers.reverse()
        while renderers:
            report("render", done, total)
            render = renderers.pop()
            for name, data in render():
                target = os.path.join(out, name)
                if isinstance(data, str):
                    stage.add(target, redacted(data.encode("utf-8")))
                elif isinstance(data, bytes):
                    stage.add(target, redacted(data))
                else:
                    stage.add(target, redacted.stream(data))
                written.append(name)
            del render
            done += 1
    report("render", total, total)
    return names


def _render_claimed(
    stage: Staging,
    renderers: list[Renderer | None],
    claims: Iterable[int],
    redacted: Redaction,
    out: Path,
    report: Progress,
) -> dict[int, list[str]]:
    """Render, redact and stage the outputs of each renderer whose position ``claims`` yields
    (:class:`~govcloud.forked.Claims`: those no other process took); their names by position.
    Each renderer is let go once rendered."""
    names: dict[int, list[str]] = {}
    total = len(renderers)
    for i in claims:
        report("render", i, total)
        render, renderers[i] = renderers[i], None
        if render is not None:
            names[i] = _render_groups(stage, {"": [render]}, redacted, out, _quiet)[""]
    report("render", total, total)
    return names


class _Staged(Mapping[str, bytes]):
    """The outputs staged so far, read back from disk when asked for (the report's JSON)."""

    def __init__(
        self,
        stage: Staging,
        out: Path,
        theirs: dict[str, str] | None = None,
        made: dict[str, Callable[[], bytes]] | None = None,
    ) -> None:
        self.stage = stage
        self.out = out
        #: where a child staged its outputs (by target), not adopted yet
        self.theirs = theirs or {}
        #: outputs a child renders, made here by name as the report draws them
        self.made = made or {}

    def __getitem__(self, name: str) -> bytes:
        if name in self.made:
            return self.made[name]()
        target = os.path.join(self.out, name)
        if target in self.theirs:
            with open(self.theirs[target], "rb") as handle:
                return handle.read()
        return self.stage.read(target)

    def __iter__(self) -> Iterator[str]:
        return iter({**self.theirs, **self.stage.where})

    def __len__(self) -> int:
        return len({**self.theirs, **self.stage.where})


def _report_html(outputs: Mapping[str, bytes], lang: Lang) -> str:
    """report.html, drawn from the JSON documents as written, so that ``govcloud report``
    redraws the same bytes from the plan's folder."""
    html_report = _html()
    page: str = html_report.render(html_report.from_texts(outputs), lang)
    return page


def _html() -> ModuleType:
    """The HTML report's module, which brings matplotlib: imported when a plan is made, not
    by every command."""
    from govcloud.report import html

    return html


def _prefixed(
    prefix: str, render: Callable[[T], dict[str, str]], value: T
) -> Iterator[tuple[str, str | bytes | Iterator[bytes]]]:
    for name, text in render(value).items():
        yield f"{prefix}/{name}", text


@dataclass
class _Entry:
    """A run as the cache keeps it: what ``govcloud plan`` prints of it, the names of its
    outputs and stack projects, and its outputs' digests (kept in :class:`~govcloud.cache.Blobs`)
    with their signatures in the folders they were written to; not the run's objects (the
    ledger, analysis, plan and baseline: a warm run computes them again only when asked)."""

    shown: Printed
    names: list[str]
    projects: list[str]
    #: the stack folder of the region, relative to the output folder
    stacks: str
    manifest: warm.Manifest


class _Computed(Generic[T]):
    """An object of a :class:`_WarmRun`, read from (and set on) its run computed again."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, run: _WarmRun, owner: type | None = None) -> T:
        value: T = getattr(run._computed(), self.name)
        return value

    def __set__(self, run: _WarmRun, value: T) -> None:
        setattr(run._computed(), self.name, value)


class _WarmRun(PlanRun):
    """A run read back from the cache.  Its objects (``load``, ``summary``, ``analysis``,
    ``plan``, ``baseline``, ``baseline_rules``) are not kept with it: they are computed again
    from the cached ledger and analysis the first time one is asked for (the CLI prints from
    :attr:`PlanRun.shown` and never asks)."""

    def __init__(self, entry: _Entry, again: Callable[[], PlanRun]) -> None:
        # not PlanRun's __init__: the objects are properties here
        self._again = again
        self._objects: PlanRun | None = None
        self.stacks = []
        self.projects = entry.projects
        self.names = entry.names
        self.written = []
        self.cached = True
        self.reused = {"run": "1"}
        self.shown = entry.shown

    def _computed(self) -> PlanRun:
        if self._objects is None:
            self._objects = self._again()
        return self._objects

    load = _Computed[LoadResult]()
    summary = _Computed[Summary | None]()
    analysis = _Computed[Analysis | None]()
    plan = _Computed[Plan | None]()
    baseline = _Computed[baseline.Result | None]()
    baseline_rules = _Computed[list[Rule]]()


class ChangedSince(RuntimeError):
    """The objects of a run read back from the cache were asked for after its ledger's files
    changed and its cached ledger was evicted: they can no longer be computed as they were."""


def _again(inventory: Path, cache: warm.Cache, keys: _Keys, compute: _Compute) -> PlanRun:
    """The objects of a cached run, computed again (nothing written) from the ledger it read."""
    reused: dict[str, str] = {}
    result = _load(inventory, _quiet, cache, keys, reused)
    if "ledger" not in reused:
        raise ChangedSince(str(inventory))
    with collector_paused():
        run, _ = compute(
            result,
            report=_quiet,
            analyses=_Analyses(cache, keys.ledger, reused),
            as_is=_AsIs(cache, keys.ledger, reused),
            out=None,
        )
    run.stacks = []
    return run


#: :func:`_compute` with a run's settings
_Compute = Callable[..., "tuple[PlanRun, _Rendering | None]"]


def _keep(
    run: PlanRun,
    out: Path,
    lang: Lang,
    cache: warm.Cache,
    key: str,
    blobs: warm.Blobs,
    stage: Staging,
    since: float,
) -> None:
    """Keep ``run`` under ``key``: what is printed of it, and the manifest of its outputs,
    which ``blobs`` kept as they were staged (``stage``: their digests), with their
    signatures now; nothing when a file changed between being staged and now, or one could
    not be kept.  Outputs kept before ``since`` (the run's start) may then be evicted."""
    shown = printed(run, lang)
    if shown is None or run.load.ledger is None:
        return
    manifest = blobs.kept(out, run.names, stage.digests, stage.kept, stage.committed)
    if manifest is not None:
        cache.put(key, _Entry(shown, run.names, run.projects, _stacks(run.load.ledger), manifest))
        blobs.evict(since)


def _write(run: PlanRun, entry: _Entry, out: Path, cache: warm.Cache, key: str, report: Progress) -> None:
    """Write the outputs of a run read back from the cache into ``out``: each file whose
    signature is still the one it had right after it was written there is trusted; the others
    (changed, missing, or ``out`` another folder) are copied from the cache, checked against
    their digest (:class:`~govcloud.cache.BrokenBlob`: nothing is written) and written when
    they differ.  The stack folders of an earlier emission the plan no longer has are removed,
    and the signatures of what ``out`` now holds are kept for the next run."""
    blobs = warm.Blobs(cache)
    folder = str(out.resolve())
    trusted = entry.manifest.trusted(folder)
    total = len(entry.names)
    copied = 0
    with staging() as stage:
        for i, name in enumerate(entry.names):
            report("write", i, total)
            target = os.path.join(out, name)
            known = trusted.get(name)
            if known is not None and warm.signature(target) == known:
                continue
            size, digest = entry.manifest.files[name]
            stage.add(target, blobs.pieces(digest, size))
            copied += 1
    report("write", total, total)
    _written(run, out, entry.stacks)
    if copied or len(trusted) != total:
        signatures = {}
        for name in entry.names:
            seen = warm.signature(os.path.join(out, name))
            if seen is not None:
                signatures[name] = seen
        entry.manifest.saw(folder, signatures)
        cache.put(key, entry)


def _stacks(ledger: Ledger) -> str:
    return f"stacks/{slug(ledger.region.id)}"


def _written(run: PlanRun, out: Path, stacks: str | None = None) -> None:
    run.written = [out / name for name in run.names if "/" not in name]
    if stacks is None and run.load.ledger is not None:
        stacks = _stacks(run.load.ledger)
    if stacks is not None:
        stacks_root = out / stacks
        remove_stale(stacks_root, run.projects)
        run.written.append(stacks_root)


# ---- the other commands' jobs, each one call (the CLI parses options, calls one, prints) ----


@dataclass
class Planned:
    """A ledger analysed and planned with the default settings, and the plan's stacks."""

    analysis: Analysis
    plan: Plan
    stacks: list[Stack]


def plan_ledger(ledger: model.Ledger, progress: Progress | None = None) -> Planned:
    """analyse → plan → stacks of a valid ledger (no scenario, default thresholds)."""
    report = progress or _quiet
    analysis = analyse(ledger, progress=report)
    report("plan", 0, 1)
    plan = build(ledger, analysis)
    report("stacks", 0, 1)
    return Planned(analysis, plan, build_stacks(plan))


@dataclass
class CheckRun:
    """What ``govcloud check`` found: the rules checked, their result, and when the to-be
    state was checked, the plan and what remains after it (``baseline.json``'s residual)."""

    rules: list[Rule]
    result: baseline.Result
    plan: Plan | None = None
    residual: dict[str, Any] | None = None


def run_check(
    ledger: model.Ledger,
    state: str = "both",
    *,
    level: int | None = None,
    waivers: list[baseline.Waiver] | None = None,
    stacks_dir: Path | None = None,
    progress: Progress | None = None,
) -> CheckRun:
    """The security baseline of ``ledger`` as it is (``as-is``), of the stacks its plan builds
    (``to-be``; read from ``stacks_dir`` when given, as ops will apply them) or both.  A stacks
    folder that cannot be read raises :class:`~govcloud.settings.ConfigError`."""
    report = progress or _quiet
    plan = stacks = None
    if state != "as-is":
        analysis = analyse(ledger, progress=report)
        report("plan", 0, 1)
        plan = build(ledger, analysis)
        report("stacks", 0, 1)
        stacks = build_stacks(plan) if stacks_dir is None else read_stacks(stacks_dir)
    report("baseline", 0, 1)
    rules, result = baseline.check(ledger, plan, stacks, state, level=level, waivers=waivers or [])
    return CheckRun(rules, result, plan, residual(rules, result, plan) if plan is not None else None)


def run_status(
    ledger: model.Ledger, waves: list[dict[str, Any]] | None = None
) -> tuple[list[WaveStatus], list[Indicator]]:
    """Planned against done per wave — the waves of a plan.json, else those of the re-plan of
    the ledger as it is now — and the KPIs that re-plan achieves."""
    current = build(ledger, analyse(ledger))
    result = plan_status.status(ledger, waves if waves is not None else plan_status.waves_of_plan(current))
    return result, indicators(current, cash_flow(current))
