"""``govcloud evidence --out DIR``: what an auditor hands to an assessor.

The bundle holds the baseline in every format (JSON, Markdown, SARIF, JUnit), the clause
coverage matrix (the clauses checked automatically with each rule's states, and the clauses
that need evidence collected by hand, listed as such), the rule, pack and coverage files and
the waiver file the run used, a digest of every ledger file, and ``MANIFEST.sha256``: the
SHA-256 of every other file of the bundle in ``sha256sum`` format, so that
``sha256sum -c MANIFEST.sha256`` (or ``govcloud evidence --verify DIR``) shows nothing was
changed after the run.  Classified systems are left out as in every ordinary output.
Everything is deterministic: the same ledger, rules and waivers give the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govcloud import baseline, safeio
from govcloud.baseline.classified import redact
from govcloud.baseline.residual import residual
from govcloud.baseline.rules import policies_dir
from govcloud.errors import GovcloudError
from govcloud.i18n import Lang, join_list, t
from govcloud.ledger import model
from govcloud.ledger.files import discover
from govcloud.outputs import json_text, write_many
from govcloud.pipeline import Progress, plan_ledger
from govcloud.plan import Plan
from govcloud.report import baseline as baseline_report
from govcloud.stacks import Stack
from govcloud.text import md_escape

MANIFEST = "MANIFEST.sha256"
EVIDENCE_SCHEMA_VERSION = 1


class BundleError(GovcloudError):
    """The bundle cannot be written (a folder holding other files) or does not verify."""

    kind = "bundle"

    def render(self, lang: Lang) -> str:
        """The message in ``lang``; a refusal to read the manifest in that language too."""
        cause = self.__cause__
        if self.code and isinstance(cause, safeio.UnsafeInput):
            said = GovcloudError(code=self.code)
            said.params = {**self.params, "detail": cause.render(lang)}
            return said.render(lang)
        return super().render(lang)


@dataclass(frozen=True)
class Bundle:
    files: dict[str, bytes]

    @property
    def manifest_digest(self) -> str:
        return hashlib.sha256(self.files[MANIFEST]).hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ledger_digest(inventory: Path) -> dict[str, Any]:
    """Each ledger file's path relative to the inventory, size and SHA-256, and one digest of
    them all (over the sorted ``sha256  path`` lines)."""
    files, _ = discover(inventory)
    base = inventory if inventory.is_dir() else inventory.parent
    rows = []
    for ledger_file in files:
        data = ledger_file.path.read_bytes()
        rows.append(
            {
                "path": ledger_file.path.relative_to(base).as_posix(),
                "bytes": len(data),
                "sha256": sha256(data),
            }
        )
    rows.sort(key=lambda r: str(r["path"]))
    lines = "".join(f"{r['sha256']}  {r['path']}\n" for r in rows)
    return {"schema_version": EVIDENCE_SCHEMA_VERSION, "files": rows, "sha256": sha256(lines.encode("utf-8"))}


def coverage_matrix(rules: list[baseline.Rule], result: baseline.Result, lang: Lang) -> dict[str, Any]:
    """Every clause of ``policies/coverage.yaml``: its rules with their states, and the evidence
    to collect by hand (``manual``: the clause needs it; ``automatic_only``: it does not)."""
    known = {r.id for r in rules}
    clauses = []
    for clause in baseline.load_coverage():
        automatic = [r for r in clause.get("automatic", []) if r in known]
        manual = clause.get("manual", {}).get(lang, "")
        clauses.append(
            {
                "clause": clause["clause"],
                "title": clause["title"][lang],
                "rules": [{"id": r, "states": result.rule_counts(r)} for r in automatic],
                "needs_manual_evidence": bool(manual) or not automatic,
                "manual_evidence": manual,
            }
        )
    return {"schema_version": EVIDENCE_SCHEMA_VERSION, "clauses": clauses}


def _matrix_markdown(matrix: dict[str, Any], lang: Lang) -> str:
    lines = [
        f"# {t('evidence.matrix.title', lang)}",
        "",
        "| "
        + " | ".join(t(f"evidence.matrix.col.{c}", lang) for c in ("clause", "title", "rules", "manual"))
        + " |",
        "|---|---|---|---|",
    ]
    for c in matrix["clauses"]:
        rules = t("list.groups", lang).join(
            f"`{r['id']}` "
            + join_list((f"{t(f'baseline.status.{s}', lang)} {n}" for s, n in r["states"].items() if n), lang)
            for r in c["rules"]
        )
        manual = (
            t("evidence.matrix.manual", lang, evidence=md_escape(c["manual_evidence"] or "-"))
            if c["needs_manual_evidence"]
            else "-"
        )
        lines.append(f"| {md_escape(c['clause'])} | {md_escape(c['title'])} | {rules or '-'} | {manual} |")
    return "\n".join(lines) + "\n"


def collect(
    ledger: model.Ledger,
    inventory: Path,
    lang: Lang,
    *,
    waivers_file: Path | None = None,
    waivers: list[baseline.Waiver] | None = None,
    progress: Progress | None = None,
) -> tuple[Bundle, baseline.Result]:
    """The bundle of a valid ledger: analysed, planned and its stacks built
    (:func:`govcloud.pipeline.plan_ledger`), then the baseline checked (:func:`build_bundle`)."""
    planned = plan_ledger(ledger, progress)
    if progress is not None:
        progress("baseline", 0, 1)
    return build_bundle(
        ledger, planned.plan, planned.stacks, inventory, lang, waivers_file=waivers_file, waivers=waivers
    )


def build_bundle(
    ledger: model.Ledger,
    plan: Plan,
    stacks: list[Stack],
    inventory: Path,
    lang: Lang,
    *,
    rules_root: Path | None = None,
    waivers_file: Path | None = None,
    waivers: list[baseline.Waiver] | None = None,
    today: Any = None,
) -> tuple[Bundle, baseline.Result]:
    """Every file of the bundle by its path inside it, the manifest last."""
    rules, result = baseline.check(ledger, plan, stacks, waivers=waivers, rules_root=rules_root, today=today)
    left = residual(rules, result, plan)
    matrix = coverage_matrix(rules, result, lang)
    files: dict[str, bytes] = {
        "baseline.json": json_text(baseline_report.to_json(rules, result, lang, left)).encode("utf-8"),
        "baseline.md": baseline_report.markdown(rules, result, lang, left).encode("utf-8"),
        "baseline.sarif": json_text(baseline_report.sarif(rules, result, lang)).encode("utf-8"),
        "baseline.junit.xml": baseline_report.junit(rules, result, lang).encode("utf-8"),
        "coverage-matrix.json": json_text(matrix).encode("utf-8"),
        "coverage-matrix.md": _matrix_markdown(matrix, lang).encode("utf-8"),
        "ledger-digest.json": json_text(ledger_digest(inventory)).encode("utf-8"),
    }
    root = rules_root or policies_dir()
    for path in sorted(root.rglob("*.yaml")):
        files[f"policies/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    if waivers_file is not None:
        files[f"waivers/{waivers_file.name}"] = waivers_file.read_bytes()
    files = redact(files, ledger)
    manifest = "".join(f"{sha256(data)}  {name}\n" for name, data in sorted(files.items()))
    files[MANIFEST] = manifest.encode("utf-8")
    return Bundle(files), result


def write_bundle(bundle: Bundle, out: Path) -> list[Path]:
    """Write the bundle into ``out``; a folder holding files that are not the bundle's (an
    earlier bundle's included) is refused, so the manifest always describes the whole folder."""
    if out.exists():
        if not out.is_dir():
            raise BundleError(f"{out}: not a folder", code="evidence.not-folder", path=out)
        extra = sorted(
            p.relative_to(out).as_posix()
            for p in out.rglob("*")
            if p.is_file() and p.relative_to(out).as_posix() not in bundle.files
        )
        if extra:
            listed = ", ".join(extra[:5])
            raise BundleError(
                f"{out}: holds files that are not part of the bundle: {listed}",
                code="evidence.foreign-files",
                path=out,
                files=listed,
            )
    paths = [out / name for name in bundle.files]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
    write_many((out / name, data) for name, data in bundle.files.items())
    return paths


def verify(out: Path, lang: Lang = "en") -> list[str]:
    """The problems of the bundle in ``out``, in ``lang``: files changed, missing or added
    since its manifest was written (nothing: it is intact)."""
    manifest = out / MANIFEST
    try:
        text = safeio.read_text(manifest, "plan")  # a regular file: a FIFO would block
    except safeio.UnsafeInput as exc:
        raise BundleError(
            f"{manifest}: cannot read the manifest: {exc}",
            code="evidence.no-manifest",
            path=manifest,
            detail=exc,
        ) from exc
    problems = []
    listed = set()
    for number, line in enumerate(text.splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            problems.append(t("evidence.bad-line", lang, path=f"{manifest}:{number}"))
            continue
        listed.add(name)
        path = out / name
        if not path.is_file():
            problems.append(t("evidence.missing", lang, path=name))
        elif sha256(path.read_bytes()) != digest:
            problems.append(t("evidence.changed", lang, path=name))
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if path.is_file() and name != MANIFEST and name not in listed:
            problems.append(t("evidence.unlisted", lang, path=name))
    return problems
