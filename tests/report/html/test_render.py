"""report.html: self-contained, in both languages, escaped, the same bytes from plan and report."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import shutil
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcloud.cli import cli
from govcloud.pipeline import run_plan
from govcloud.report.html import ReportInputError, read, render
from tests.conftest import MINI

SECTIONS = ("glance", "topology", "waves", "costs", "findings", "compliance", "decisions")


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_the_sample_report_has_every_section_and_chart(sample_out: Path) -> None:
    page = (sample_out / "report.html").read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f'<section id="{section}"' in page
    for figure in ("topology-before", "topology-after", "wave-calendar", "cost-chart"):
        assert re.search(rf'<figure id="{figure}"><svg class="chart', page), figure
    plan = json.loads((sample_out / "plan.json").read_text(encoding="utf-8"))
    # every wave has its article, every decision its row with its reasons
    assert page.count('<article class="wave"') == len(plan["waves"])
    assert page.count('data-action="') == len(plan["decisions"])
    for decision in plan["decisions"]:
        assert f'id="sys-{decision["system"]}"' in page
        assert decision["reasons"][0]["zh"].replace("<", "&lt;")[:20] in page
    # the first wave's dates and the payback from the plan are on the page
    assert plan["waves"][0]["start"] in page
    assert f"{plan['costs']['total']['payback_years']:.1f} 年" in page


def test_the_page_needs_nothing_from_the_network(sample_out: Path) -> None:
    page = (sample_out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link " not in page
    assert "@import" not in page
    # one script, ours, allowed by the page's policy through its hash
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page
    assert "default-src 'none'" in page


def test_english_report(sample_out: Path, tmp_path: Path) -> None:
    target = tmp_path / "report-en.html"
    code, output = _invoke("report", str(sample_out / "plan.json"), "--lang", "en", "-o", str(target))
    assert code == 0, output
    page = target.read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert "Wave calendar" in page
    assert "At a glance" in page
    assert "网络拓扑" not in page  # no Chinese heading left in the English report


def test_report_rebuilds_the_same_bytes_as_plan(sample_out: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    shutil.copytree(sample_out, folder)
    (folder / "report.html").unlink()
    code, output = _invoke("report", str(folder / "plan.json"), "--lang", "zh")
    assert code == 0, output
    assert (folder / "report.html").read_bytes() == (sample_out / "report.html").read_bytes()
    inputs = read(folder / "plan.json")
    assert render(inputs, "zh") == render(inputs, "zh")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("topology.json", None, "topology.json: missing"),
        ("analysis.json", "{not json", "analysis.json: is not JSON (line 1, column 2)"),
        ("baseline.json", "[]", "baseline.json: is not a JSON object"),
        ("plan.json", '{"schema_version": 1}', "plan.json: at (top): 'region' is a required property"),
    ],
)
def test_missing_or_broken_inputs_are_named(
    sample_out: Path, tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    folder = tmp_path / "out"
    shutil.copytree(sample_out, folder)
    (folder / "report.html").unlink()
    if content is None:
        (folder / name).unlink()
    else:
        (folder / name).write_text(content, encoding="utf-8")
    code, output = _invoke("report", str(folder / "plan.json"), "--lang", "en")
    assert code == 2
    assert message in output
    assert "run govcloud plan again" in output
    assert "Traceback" not in output
    assert not (folder / "report.html").exists()


def test_documents_of_another_region_are_refused(sample_out: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    shutil.copytree(sample_out, folder)
    topology = json.loads((folder / "topology.json").read_text(encoding="utf-8"))
    topology["region"]["id"] = "elsewhere"
    (folder / "topology.json").write_text(json.dumps(topology), encoding="utf-8")
    with pytest.raises(ReportInputError, match=r"topology\.json: is of region 'elsewhere'"):
        read(folder / "plan.json")


HOSTILE = "<script>alert('x')</script> & \"引号\""
#: short enough to be drawn whole in the topology; "$...$" would be mathematics to matplotlib
ROOM = "卫健委机房<b>$x^2$"


def test_inventory_text_is_shown_as_text_everywhere(tmp_path: Path) -> None:
    ledger = tmp_path / "mini"
    shutil.copytree(MINI, ledger)
    department = ledger / "departments" / "卫健委.yaml"
    text = department.read_text(encoding="utf-8").replace("卫健委机房", ROOM)
    for old in ("测试省卫生健康委员会", "卫健委门户网站"):
        text = text.replace(old, f"{old}{HOSTILE}")
    department.write_text(text, encoding="utf-8")
    run = run_plan(ledger, tmp_path / "out", "zh")
    assert run.plan is not None, [p.render("en") for p in run.load.problems]
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert page.count("<script") == 1  # only the page's own
    assert "alert('x')</script>" not in page
    escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;引号&#34;"
    assert f"卫健委门户网站{escaped}" in page  # the decisions table and the waves (HTML)
    assert f"测试省卫生健康委员会{escaped}" in page
    # the room in the topology drawing: SVG text, escaped, and not typeset as mathematics
    assert re.search(r"<text[^>]*>卫健委机房&lt;b&gt;\$x\^2\$</text>", page)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("<>&\"'$\\"),
        min_size=1,
        max_size=40,
    )
)
def test_any_name_is_text(sample_out: Path, name: str) -> None:
    """Whatever a department, room, line or system is called, the page shows it as text."""
    inputs = read(sample_out / "plan.json")
    topology = copy.deepcopy(inputs.topology)
    plan = copy.deepcopy(inputs.plan)
    marked = f"{name}<i>"
    topology["departments"][0]["name"] = marked
    topology["nodes"][0]["name"] = marked
    topology["links"][0]["name"] = marked
    plan["decisions"][0]["name"] = marked
    page = render(replace(inputs, topology=topology, plan=plan), "zh")
    assert "<i>" not in page  # the mark never reaches the page as markup
    assert page.count("<script") == 1
    parser = _Elements()
    parser.feed(page)
    assert parser.tags["script"] == 1
    assert parser.tags["svg"] == 5  # four charts and the cash flow


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1


def test_the_templates_read_a_dict_as_jinja_does() -> None:
    """``x.name`` of a plain dict: its item without an AttributeError raised first, the
    dict's own attribute where it has one, undefined where it has neither."""
    import jinja2

    from govcloud.report.html.render import _environment

    ours, theirs = _environment(), jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    value = {"name": "x", "items": [1], "keys": 2}
    for name in ("name", "items", "keys", "__len__"):
        assert ours.getattr(value, name) == theirs.getattr(value, name)
    assert isinstance(ours.getattr(value, "missing"), jinja2.Undefined)
    assert ours.getattr(Counter(a=1), "a") == 1
    template = ours.from_string("{{ d.name }} {{ d['items'] }} {{ d.items is callable }}")
    assert template.render(d=value) == "x [1] True"
