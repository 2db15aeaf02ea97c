"""The ``govcloud`` command line: options in, one library call, output out.

Exit codes (the same for every command):

- 0: done, no errors;
- 1: the input has errors (or, for checks, findings at or above the threshold);
- 2: a settings file, a document read back or an output that cannot be used, and usage errors
  (unknown option, missing path, raised by click).

Errors derive from :class:`govcloud.errors.GovcloudError`; its kind of file decides the code.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from govcloud import __version__, baseline
from govcloud import generate as region_generator
from govcloud import graph as ledger_graph
from govcloud.analysis import FINDING_KINDS, ConfigError, Thresholds, analyse, load_thresholds
from govcloud.baseline.classified import redact_text
from govcloud.baseline.policy_pack import export_pack
from govcloud.baseline.rules import SEVERITIES, STATES
from govcloud.cache import Cache
from govcloud.errors import EXIT_INPUT, EXIT_OK, EXIT_USAGE, FileKind, GovcloudError
from govcloud.i18n import LANGS, Lang, default_lang, join_list, t, tn
from govcloud.ledger import LoadResult, load, model
from govcloud.ledger.loader import collector_paused
from govcloud.ledger.schema import schema_text
from govcloud.ledger.summary import summarise
from govcloud.outputs import write_atomic
from govcloud.pipeline import printed, run_check, run_plan, run_status
from govcloud.plan import diff as plan_diff
from govcloud.plan import load_scenario
from govcloud.registry import OutputFormat
from govcloud.report import analysis as analysis_report
from govcloud.report import baseline as baseline_report
from govcloud.report import plan as plan_report
from govcloud.report import status as status_report
from govcloud.report import summary as summary_report
from govcloud.report import validation as validation_report
from govcloud.safeio import localized, terminal
from govcloud.samples import default_inventory
from govcloud.stacks import diff as stacks_compare

# exit codes are decided in one place, govcloud.errors (by the kind of file an error concerns)
EXIT_FINDINGS = EXIT_INPUT

_lang_option = click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help="Language of messages and reports (default: GOVCLOUD_LANG, else the locale).",
)
_path_argument = click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))


#: width of tables written to a file or pipe, where no terminal sets one; wide enough for the
#: ledger summary so that redirected output is never squeezed into truncated cells
PIPE_WIDTH = 240


def _console(stderr: bool = False) -> Console:
    console = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if not console.is_terminal:
        console = Console(stderr=stderr, highlight=False, soft_wrap=False, width=PIPE_WIDTH)
    return console


def _inventory(path: Path | None) -> Path:
    return path if path is not None else default_inventory()


def _lang(lang: str | None) -> Lang:
    return lang if lang in LANGS else default_lang()


@contextlib.contextmanager
def _progress(lang: Lang) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback ``(stage, done, total)`` drawing one bar per stage on the terminal,
    named by ``progress.<stage>`` (nothing when not a terminal).  A stage of one step pulses."""
    console = _console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"))
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(t("progress.load", lang), total=None)
        current = [""]

        def step(stage: str, done: int, total: int) -> None:
            fresh = stage != current[0]
            if fresh:
                current[0] = stage
                bar.reset(task, description=t(f"progress.{stage}", lang), total=None)
            if total > 1:
                bar.update(task, completed=done, total=total)
            if fresh:  # drawn at once, however short the stage
                bar.refresh()

        yield step


def _progress_load(path: Path, lang: Lang) -> LoadResult:
    with _progress(lang) as step:
        return load(path, progress=step)


@contextlib.contextmanager
def _writing(lang: Lang) -> Iterator[None]:
    """Turn a failed write (read-only folder, full disk, a file where a folder should be)
    into a message and exit code 2 instead of a traceback."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or ""
        click.echo(t("output.failed", lang, path=where, error=exc.strerror or str(exc)), err=True)
        sys.exit(EXIT_USAGE)


def _report_problems(result: LoadResult, lang: Lang) -> None:
    """The problems of a load and their count, on stderr."""
    click.echo(validation_report.problems_text(result, lang), nl=False, err=True)


def _load_valid(path: Path | None, lang: Lang) -> model.Ledger:
    """The ledger at ``path`` (or the sample); problems and exit 1 when it has errors."""
    result = _progress_load(_inventory(path), lang)
    if result.ledger is None:
        _report_problems(result, lang)
        sys.exit(EXIT_FINDINGS)
    return result.ledger


@contextlib.contextmanager
def _settings(lang: Lang, kind: FileKind) -> Iterator[None]:
    """A settings file or folder read back (thresholds, scenario, mapping, stacks) that cannot
    be used: ``invalid <its kind>: …`` and the exit code of its kind."""
    try:
        yield
    except ConfigError as exc:
        _refuse(exc.concerning(kind), lang)


def _refuse(exc: GovcloudError, lang: Lang) -> None:
    """Say why the file of ``exc`` cannot be used, naming its kind, and exit with its code."""
    click.echo(exc.invalid(lang, terminal(localized(exc, lang))), err=True)
    sys.exit(exc.exit_code)


def _thresholds(config: Path | None, lang: Lang) -> Thresholds:
    with _settings(lang, "thresholds"):
        return load_thresholds(config)


_config_option = click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file with an `analysis:` mapping overriding thresholds (see docs/analysis.md).",
)


_waivers_option = click.option(
    "--waivers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML list of accepted findings: rule, target, reason, approver, ticket, expires.",
)
_allow_expired_option = click.option(
    "--allow-expired-waivers",
    is_flag=True,
    help="Do not exit 1 because a waiver has expired (its findings still count as failures).",
)
_annex_option = click.option(
    "--classified-annex",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the classified (涉密) systems' assessment to this file, outside the output folder.",
)


def _workbooks() -> ModuleType:
    """The spreadsheet ledgers' module (:mod:`govcloud.tabular`), which brings openpyxl, xlrd
    and numpy (0.2 s): imported by the commands that read or write workbooks, not by every
    run of ``govcloud plan``."""
    from govcloud import tabular

    return tabular


def _importers() -> ModuleType:
    """What ``govcloud import`` runs (:mod:`govcloud.importers.run`, which holds its formats'
    registry), imported by that command only."""
    from govcloud.importers import run

    return run


class _Registered(click.Choice):  # type: ignore[type-arg]
    """A choice among a registry's names (:mod:`govcloud.registry`), read each time the
    option is parsed or its help shown, so every registered entry is offered."""

    def __init__(self, names: Callable[[], tuple[str, ...]]) -> None:
        self._names = names
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        return self._names()

    @choices.setter
    def choices(self, value: object) -> None:
        """click sets the choices it was given; the registry is read instead."""


def _print(entry: OutputFormat[Any], document: Any, lang: Lang) -> None:
    """A document in one of its output formats: drawn on the terminal, or printed as text."""
    if entry.show is not None:
        _console().print(entry.show(document, lang))
    else:
        click.echo(entry.text(document, lang), nl=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govcloud")
def cli() -> None:
    """Plan the consolidation of a region's government IT onto one cloud and one network.

    With no PATH, commands use the bundled sample province.
    """


@cli.command()
@_path_argument
@click.option(
    "--format", "fmt", type=_Registered(validation_report.FORMATS.names), default="text", show_default=True
)
@_lang_option
def validate(path: Path | None, fmt: str, lang: str | None) -> None:
    """Check a ledger: YAML syntax, the schema, and the ledger as a whole."""
    language = _lang(lang)
    result = _progress_load(_inventory(path), language)
    click.echo(validation_report.FORMATS[fmt].text(result, language), nl=False)
    sys.exit(EXIT_OK if result.ok else EXIT_FINDINGS)


@cli.command()
@_path_argument
@click.option(
    "--format", "fmt", type=_Registered(summary_report.FORMATS.names), default="table", show_default=True
)
@_lang_option
def ledger(path: Path | None, fmt: str, lang: str | None) -> None:
    """Show the ledger summary: assets, capacity and yearly cost per department."""
    language = _lang(lang)
    _print(summary_report.FORMATS[fmt], summarise(_load_valid(path, language)), language)


@cli.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of ledger files (for editors that validate as you type)."""
    if output is None:
        click.echo(schema_text(), nl=False)
        return
    with _writing(default_lang()):
        write_atomic(output, schema_text())


@cli.command()
@_path_argument
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Directory for the plan's outputs.",
)
@_config_option
@click.option(
    "--scenario",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="What-if YAML: keep departments, force decisions, change rules, thresholds or prices.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Compute everything again instead of reusing a run on the same input "
    "(cache: GOVCLOUD_CACHE_DIR, else XDG_CACHE_HOME/govcloud, else ~/.cache/govcloud).",
)
@_waivers_option
@_allow_expired_option
@_annex_option
@_lang_option
def plan(
    path: Path | None,
    out: Path,
    config: Path | None,
    scenario: Path | None,
    no_cache: bool,
    waivers: Path | None,
    allow_expired_waivers: bool,
    classified_annex: Path | None,
    lang: str | None,
) -> None:
    """The main job: validate, analyse and plan the ledger; write the outputs into --out."""
    with _collector_off():
        language = _lang(lang)
        thresholds = _thresholds(config, language)
        store = None if no_cache else Cache.default()
        _annex_apart(classified_annex, [out], language)
        with _settings(language, "scenario"):  # a scenario naming unknown ids is refused in run_plan
            what_if = load_scenario(scenario)
            accepted = _waivers(waivers, language)
            with _writing(language), _progress(language) as step:
                run = run_plan(
                    _inventory(path),
                    out,
                    language,
                    step,
                    thresholds,
                    what_if,
                    str(scenario or ""),
                    store,
                    waivers=accepted,
                )
        shown = printed(run, language)
        if shown is None:
            _report_problems(run.load, language)
            sys.exit(EXIT_FINDINGS)
        click.echo(shown.problems, nl=False, err=True)
        _console().print(summary_report.table(shown.summary, language))
        click.echo(shown.analysis)
        _console().print(plan_report.table_of(shown.plan))
        click.echo(shown.baseline)
        for written in run.written:
            click.echo(t("plan.wrote", language, path=written))
        _write_annex_text(classified_annex, shown.annex, shown.annex_systems, language)
        _expired_waivers(shown.expired, shown.expired_classified, allow_expired_waivers, language)


@contextlib.contextmanager
def _collector_off() -> Iterator[None]:
    """The cyclic collector off while the main job runs and prints, and what is alive at the
    end frozen (:func:`gc.freeze`) before it is back: the run's millions of objects make no
    reference cycles to speak of, and a collector turned back on would walk every one of them
    at the next allocation (0.5 s at 100k servers), for nothing."""
    with collector_paused():
        try:
            yield
        finally:
            gc.freeze()  # before the collector is back


def _waivers(path: Path | None, lang: Lang) -> list[baseline.Waiver]:
    """The waivers in ``path``; one that cannot be used: its file, line and field, and exit 2."""
    try:
        return baseline.load_waivers(path)
    except ConfigError as exc:
        exc.concerning("waivers")
        click.echo(t("waivers.invalid", lang, detail=terminal(localized(exc, lang))), err=True)
        click.echo(t("waivers.invalid.hint", lang), err=True)
        sys.exit(exc.exit_code)


def _annex_apart(target: Path | None, folders: list[Path], lang: Lang) -> None:
    """The classified annex goes to a path of its own, never among the ordinary outputs."""
    if target is None:
        return
    where = target.resolve()
    for folder in folders:
        if where.is_relative_to(folder.resolve()):
            click.echo(t("baseline.annex.inside", lang, out=folder), err=True)
            sys.exit(EXIT_USAGE)


def _write_annex(
    target: Path | None, rules: list[baseline.Rule], result: baseline.Result, lang: Lang
) -> None:
    if target is not None:
        annex = baseline_report.annex(rules, result, lang)
        _write_annex_text(target, annex, result.separately.get("systems", 0), lang)


def _write_annex_text(target: Path | None, annex: str, systems: int, lang: Lang) -> None:
    if target is None:
        return
    with _writing(lang):
        write_atomic(target, annex)
    click.echo(t("baseline.annex.written", lang, path=target, count=systems), err=True)


def _expired_gate(result: baseline.Result, allow: bool, lang: Lang) -> None:
    """Expired waivers fail the run (exit 1) unless --allow-expired-waivers."""
    expired = [f.waiver for f in result.expired_waivers() if f.waiver is not None]
    secret = result.annex.expired_waivers() if result.annex is not None else []
    _expired_waivers(expired, len(secret), allow, lang)


def _expired_waivers(expired: list[baseline.Waiver], secret: int, allow: bool, lang: Lang) -> None:
    if secret:  # counted, never named: their targets are classified
        click.echo(t("baseline.waiver.expired-classified", lang, count=secret), err=True)
    for waiver in expired:
        click.echo(
            t(
                "baseline.waiver.expired",
                lang,
                rule=waiver.rule,
                target=waiver.target,
                where=waiver.where,
                expires=waiver.expires,
            ),
            err=True,
        )
        click.echo(t("baseline.waiver.expired.hint", lang), err=True)
    if (expired or secret) and not allow:
        sys.exit(EXIT_FINDINGS)


@cli.command()
@click.argument("plan_json", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the page (default: report.html beside PLAN_JSON).",
)
@_lang_option
def report(plan_json: Path, output: Path | None, lang: str | None) -> None:
    """Rebuild the HTML report from a plan.json and the outputs govcloud plan wrote beside it."""
    from govcloud.report import html as html_report  # matplotlib: only for the commands that draw

    language = _lang(lang)
    try:
        inputs = html_report.read(plan_json)
    except html_report.ReportInputError as exc:
        click.echo(t("report.input", language, detail=terminal(localized(exc, language))), err=True)
        click.echo(t("report.input.hint", language), err=True)
        sys.exit(exc.exit_code)
    target = output or plan_json.with_name("report.html")
    with _writing(language):
        write_atomic(target, html_report.render(inputs, language))
    click.echo(t("report.written", language, path=target))


@cli.command()
@_path_argument
@click.option(
    "--format", "fmt", type=_Registered(analysis_report.FORMATS.names), default="table", show_default=True
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=_Registered(FINDING_KINDS.names),
    help="Only these finding kinds (repeatable).",
)
@_config_option
@_lang_option
def analyze(
    path: Path | None, fmt: str, kinds: tuple[str, ...], config: Path | None, lang: str | None
) -> None:
    """Find the duplication: same assets, rooms, parallel lines, private networks, address
    conflicts, duplicate systems and idle capacity, with evidence and savings."""
    language = _lang(lang)
    thresholds = _thresholds(config, language)
    ledger = _load_valid(path, language)
    with _progress(language) as step:
        result = analyse(ledger, thresholds, kinds or None, progress=step)
    _print(analysis_report.FORMATS[fmt], analysis_report.Document(result, ledger), language)


@cli.command()
@_path_argument
@click.option(
    "--format", "fmt", type=_Registered(ledger_graph.FORMATS.names), default="graphml", show_default=True
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@_lang_option
def graph(path: Path | None, fmt: str, output: Path | None, lang: str | None) -> None:
    """Export the ledger as a graph (GraphML for Gephi and yEd, or node-link JSON)."""
    language = _lang(lang)
    ledger = _load_valid(path, language)
    with _progress(language) as step:
        step("graph", 0, 1)
        built = ledger_graph.build(ledger)
        step("graph", 1, 1)
    text = ledger_graph.FORMATS[fmt].text(built, language)
    if output is None:
        click.echo(text, nl=False)
        return
    with _writing(language):
        write_atomic(output, text)


@cli.command()
@click.argument("plan_a", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("plan_b", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=_Registered(plan_diff.FORMATS.names), default="text", show_default=True)
@_lang_option
def diff(plan_a: Path, plan_b: Path, fmt: str, lang: str | None) -> None:
    """Show what changed between two plan.json files, and why."""
    language = _lang(lang)
    try:
        changes = plan_diff.compare(plan_diff.read(plan_a), plan_diff.read(plan_b))
    except plan_diff.PlanFileError as exc:
        click.echo(t("input.refused", language, detail=terminal(localized(exc, language))), err=True)
        sys.exit(exc.exit_code)
    _print(plan_diff.FORMATS[fmt], changes, language)


@cli.command()
@_path_argument
@click.option(
    "--plan",
    "plan_json",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A plan.json to measure against (default: the plan of the ledger as it is now).",
)
@click.option(
    "--format", "fmt", type=_Registered(status_report.FORMATS.names), default="text", show_default=True
)
@_lang_option
def status(path: Path | None, plan_json: Path | None, fmt: str, lang: str | None) -> None:
    """Planned against done, per wave, and the KPIs achieved, from the ledger's progress records."""
    language = _lang(lang)
    ledger = _load_valid(path, language)
    if plan_json is not None:
        try:
            waves = plan_diff.read(plan_json)["waves"]
        except plan_diff.PlanFileError as exc:
            _refuse(exc, language)
    else:
        waves = None  # the re-plan of the ledger as it is now
    result, kpis = run_status(ledger, waves)
    region = ledger.region
    name = region.name_en if language == "en" and region.name_en else region.name
    title = t("status.title", language, region=name, as_of=region.as_of.isoformat())
    _print(status_report.FORMATS[fmt], status_report.Document(result, kpis, title), language)


@cli.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--servers",
    type=click.IntRange(50, 1_000_000),
    default=420,
    show_default=True,
    help="About this many servers.",
)
@click.option("--seed", type=int, default=20261124, show_default=True, help="Same seed, same region.")
@click.option(
    "--servers-per-system",
    type=click.FloatRange(1, 1000),
    default=region_generator.REALISTIC.servers_per_system,
    show_default=True,
    help="About one business system per this many servers.",
)
@click.option(
    "--deps-per-system",
    type=click.FloatRange(0, 100),
    default=region_generator.REALISTIC.deps_per_system,
    show_default=True,
    help="Dependencies per system on average.",
)
@click.option(
    "--cross-department-share",
    type=click.FloatRange(0, 1),
    default=region_generator.REALISTIC.cross_department_share,
    show_default=True,
    help="Share of dependencies on another department's systems.",
)
@click.option(
    "--cross-level-share",
    type=click.FloatRange(0, 1),
    default=region_generator.REALISTIC.cross_level_share,
    show_default=True,
    help="Share of dependencies across levels (city ↔ province); part of the cross-department share.",
)
@click.option(
    "--tight-share",
    type=click.FloatRange(0, 1),
    default=region_generator.REALISTIC.tight_share,
    show_default=True,
    help="Share of systems tightly coupled to one other system of their department.",
)
@click.option(
    "--sample-density",
    is_flag=True,
    help="The bundled sample's own thinner spec instead (the density options are then ignored).",
)
@click.option("--overwrite", is_flag=True, help="Replace the ledger files already in OUT.")
@_lang_option
def generate(
    out: Path,
    servers: int,
    seed: int,
    servers_per_system: float,
    deps_per_system: float,
    cross_department_share: float,
    cross_level_share: float,
    tight_share: float,
    sample_density: bool,
    overwrite: bool,
    lang: str | None,
) -> None:
    """Write a synthetic region (the sample province's shape, every duplication planted) to OUT,
    at a province's density unless told otherwise (see docs/performance.md)."""
    language = _lang(lang)
    if cross_level_share > cross_department_share:
        click.echo(
            t("generate.levels", language, levels=cross_level_share, departments=cross_department_share),
            err=True,
        )
        sys.exit(EXIT_USAGE)
    density = (
        region_generator.SAMPLE
        if sample_density
        else region_generator.Density(
            servers_per_system, deps_per_system, cross_department_share, cross_level_share, tight_share
        )
    )
    ledger = region_generator.generate(servers, seed, density)
    try:
        with _writing(language):
            written = region_generator.write_region(ledger, out, overwrite)
    except region_generator.OutputNotEmpty as exc:
        click.echo(t("generate.not-empty", language, path=out), err=True)
        sys.exit(exc.exit_code)
    counts = ", ".join(f"{kind} {n}" for kind, n in region_generator.iter_counts(ledger))
    click.echo(
        t("generate.done", language, files=tn("count.files", len(written), language), path=out, counts=counts)
    )
    click.echo(t("generate.density", language, **region_generator.measured_density(ledger)))


@cli.command("export")
@click.argument("fmt", type=_Registered(lambda: _workbooks().WORKBOOK_FORMATS.names()))
@_path_argument
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Workbook to write.",
)
@_lang_option
def export(fmt: str, path: Path | None, output: Path, lang: str | None) -> None:
    """Write the ledger as a workbook: one sheet per list, headers in Chinese and English."""
    language = _lang(lang)
    ledger = _load_valid(path, language)
    with _writing(language):
        write_atomic(output, _workbooks().WORKBOOK_FORMATS[fmt].write(ledger))
    click.echo(t("plan.wrote", language, path=output))


@cli.command("import")
@click.argument("fmt", type=_Registered(lambda: _importers().IMPORT_FORMATS.names()), required=False)
@click.argument("sources", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out", "out", type=click.Path(file_okay=False, path_type=Path), help="Folder for the YAML ledger file."
)
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    help="A region folder to merge into: adds or updates departments/<source>.yaml and prints what changed.",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML: sheets: {sheet: list or {list:, columns: {header: field or 'field (MiB)'}}}, columns: {list: {header: field}}, roles: {role: server|vm|host|network|security|storage|other}.",
)
@click.option("--region", help="The region's name, when the ledger has none yet.")
@click.option("--owner", help="The department of rows that name none.")
@click.option("--site", help="The room of rows that name none.")
@click.option("--include-powered-off", is_flag=True, help="rvtools: import powered-off VMs too.")
@click.option(
    "--template",
    "template_fmt",
    type=_Registered(lambda: _workbooks().WORKBOOK_FORMATS.names()),
    help="Write an empty workbook with every sheet and header.",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Where --template writes."
)
@_lang_option
def import_(
    fmt: str | None,
    sources: tuple[Path, ...],
    out: Path | None,
    into: Path | None,
    mapping: Path | None,
    region: str | None,
    owner: str | None,
    site: str | None,
    include_powered_off: bool,
    template_fmt: str | None,
    output: Path | None,
    lang: str | None,
) -> None:
    """Import the ledgers people keep into a plannable YAML ledger: xlsx workbooks and CSV
    files with Chinese or English headers, NetBox, RVTools, Azure Migrate and AWS Cloud
    Migration Factory files.  Only servers become servers; departments, rooms, systems and a
    region skeleton are created, and every default is listed as an assumption to confirm."""
    language = _lang(lang)
    if template_fmt:
        target = output or Path(f"台账模板.{template_fmt}")
        with _writing(language):
            write_atomic(target, _workbooks().WORKBOOK_FORMATS[template_fmt].template())
        click.echo(t("plan.wrote", language, path=target))
        return
    if not fmt or not sources or (out is None) == (into is None):
        raise click.UsageError("give FORMAT, at least one SOURCE and --out or --into (or --template xlsx)")
    with _settings(language, "mapping"):
        columns = _importers().read_mapping(mapping)
    imported = _importers().run_import(
        fmt,
        list(sources),
        out=out,
        into=into,
        mapping=columns,
        region=region,
        owner=owner,
        site=site,
        include_off=include_powered_off,
    )
    outcome = imported.outcome
    for sheet, used in imported.used_columns().items():  # also for a template without rows
        click.echo(t("import.used", language, sheet=sheet, columns=join_list(used, language)))
    for problem in outcome.problems:
        click.echo(problem.render(language), err=True)
    if imported.text is None:
        sys.exit(EXIT_USAGE if outcome.usage else EXIT_FINDINGS)
    counts = outcome.counts
    click.echo(
        t(
            "import.classified",
            language,
            servers=counts["servers"],
            network=counts["network"],
            storage=counts["storage"],
            other=counts["other"],
        )
    )
    with _writing(language):
        write_atomic(imported.target, imported.text)
    if imported.changes is not None:
        change = imported.changes
        click.echo(
            t(
                "import.merged",
                language,
                path=imported.target,
                added=len(change.added),
                changed=len(change.changed),
                removed=len(change.removed),
            )
        )
        for label, items in (("+", change.added), ("~", change.changed), ("-", change.removed)):
            for kind, ident in items[:50]:
                click.echo(t("import.merged.item", language, change=label, kind=kind, id=ident))
    counted = {
        "rows": tn("count.rows", outcome.rows, language),
        "errors": tn("count.errors", len(imported.errors), language),
        "warnings": tn("count.warnings", len(imported.warnings), language),
    }
    click.echo(t("import.done", language, path=imported.target, **counted))
    if imported.errors:
        sys.exit(EXIT_FINDINGS)


@cli.command("check")
@_path_argument
@click.option("--state", type=click.Choice((*STATES, "both")), default="both", show_default=True)
@click.option("--level", type=click.IntRange(1, 5), help="Only the rules that apply at this MLPS level.")
@click.option(
    "--format",
    "fmt",
    type=_Registered(baseline_report.FORMATS.names),
    default="table",
    show_default=True,
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file."
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help="Exit 1 when an open finding is this severe or worse.",
)
@_waivers_option
@_allow_expired_option
@_annex_option
@click.option(
    "--stacks",
    "stacks_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Check the emitted stacks in this folder (as ops will apply them) instead of the plan's.",
)
@_lang_option
def check_cmd(
    path: Path | None,
    state: str,
    level: int | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    waivers: Path | None,
    allow_expired_waivers: bool,
    classified_annex: Path | None,
    lang: str | None,
    stacks_dir: Path | None = None,
) -> None:
    """Check the security baseline (等保 2.0, GB/T 39786) on the estate as it is and on the
    stacks the plan will build; a CI gate with --fail-on."""
    language = _lang(lang)
    if classified_annex is not None and output is not None and classified_annex.resolve() == output.resolve():
        raise click.UsageError("--classified-annex needs a path of its own, not the --output file")
    ledger = _load_valid(path, language)
    accepted = _waivers(waivers, language)
    with _progress(language) as step, _settings(language, "stacks"):  # an unreadable --stacks folder
        checked = run_check(
            ledger, state, level=level, waivers=accepted, stacks_dir=stacks_dir, progress=step
        )
    rules, result, left = checked.rules, checked.result, checked.residual
    entry, document = baseline_report.FORMATS[fmt], baseline_report.Document(rules, result, left)
    if entry.show is not None and output is None:
        _console().print(entry.show(document, language))
    else:
        text = redact_text(entry.text(document, language), ledger)
        if output is None:
            click.echo(text, nl=False)
        else:
            with _writing(language):
                write_atomic(output, text)
            click.echo(baseline_report.summary_line(result, language))
    _write_annex(classified_annex, rules, result, language)
    _expired_gate(result, allow_expired_waivers, language)
    if fail_on and result.at_or_above(fail_on):
        sys.exit(EXIT_FINDINGS)


@cli.command("evidence")
@_path_argument
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the evidence bundle (empty, or holding an earlier bundle).",
)
@click.option(
    "--verify",
    "verify_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Check a bundle against its MANIFEST.sha256 instead of writing one.",
)
@_waivers_option
@_allow_expired_option
@_annex_option
@_lang_option
def evidence_cmd(
    path: Path | None,
    out: Path | None,
    verify_dir: Path | None,
    waivers: Path | None,
    allow_expired_waivers: bool,
    classified_annex: Path | None,
    lang: str | None,
) -> None:
    """Write the evidence an auditor hands to an assessor: the baseline in every format, the
    clause coverage matrix, the rules and waivers used, a digest of the ledger and a SHA-256
    manifest of it all (docs/evidence.md)."""
    from govcloud import evidence  # not imported by the other commands

    language = _lang(lang)
    if verify_dir is not None:
        try:
            problems = evidence.verify(verify_dir, language)
        except evidence.BundleError as exc:
            click.echo(terminal(exc.render(language)), err=True)
            sys.exit(exc.exit_code)
        for problem in problems:
            click.echo(problem, err=True)
        click.echo(
            t(
                "evidence.verified" if not problems else "evidence.tampered",
                language,
                path=verify_dir,
                count=len(problems),
            )
        )
        sys.exit(EXIT_FINDINGS if problems else EXIT_OK)
    if out is None:
        raise click.UsageError("give --out DIR (or --verify DIR)")
    _annex_apart(classified_annex, [out], language)
    ledger = _load_valid(path, language)
    accepted = _waivers(waivers, language)
    with _progress(language) as step:
        bundle, result = evidence.collect(
            ledger, _inventory(path), language, waivers_file=waivers, waivers=accepted, progress=step
        )
    try:
        with _writing(language):
            evidence.write_bundle(bundle, out)
    except evidence.BundleError as exc:
        click.echo(terminal(exc.render(language)), err=True)
        click.echo(t("evidence.not-empty.hint", language), err=True)
        sys.exit(exc.exit_code)
    click.echo(baseline_report.summary_line(result, language))
    click.echo(
        t(
            "evidence.written",
            language,
            path=out,
            files=tn("count.files", len(bundle.files), language),
            digest=bundle.manifest_digest,
        )
    )
    _write_annex(classified_annex, baseline.load_rules(), result, language)
    _expired_gate(result, allow_expired_waivers, language)


@cli.group("policies")
def policies_group() -> None:
    """The baseline rules in policies/."""


@policies_group.command("list")
@_lang_option
def policies_list(lang: str | None) -> None:
    """Every rule with its standard, clause, severity and state."""
    language = _lang(lang)
    for rule in baseline.load_rules():
        click.echo(
            f"{rule.id}\t{rule.severity}\t{rule.state}\t{rule.standard} {rule.clause}\t{rule.text('title', language)}"
        )


@policies_group.command("export-pack")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def policies_export_pack(folder: Path) -> None:
    """Write the to-be rules as a Pulumi CrossGuard policy pack (pulumi preview --policy-pack)."""
    with _writing(default_lang()):
        written = export_pack(baseline.load_rules(), folder)
    click.echo(t("plan.wrote", default_lang(), path=f"{folder} ({len(written)} files)"))


@cli.group()
def stacks() -> None:
    """The Pulumi stacks govcloud plan writes."""


@stacks.command("diff")
@click.argument("old", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=_Registered(stacks_compare.FORMATS.names), default="text", show_default=True
)
@_lang_option
def stacks_diff(old: Path, new: Path, fmt: str, lang: str | None) -> None:
    """Resource changes between two emissions (folders such as out/stacks/<plan>)."""
    language = _lang(lang)
    try:
        changes = stacks_compare.compare(old, new)
    except stacks_compare.StacksFileError as exc:
        click.echo(t("input.refused", language, detail=terminal(localized(exc, language))), err=True)
        sys.exit(exc.exit_code)
    click.echo(stacks_compare.FORMATS[fmt].text(changes, language), nl=False)


def main(argv: list[str] | None = None) -> Any:
    """Entry point of the ``govcloud`` script."""
    return cli.main(args=argv, prog_name="govcloud")
