"""The HTML report (``report.html``): one self-contained page of the plan, drawn from the JSON
documents ``govcloud plan`` writes."""

from __future__ import annotations

from govcloud.report.html.inputs import ReportInputError, ReportInputs, from_texts, read
from govcloud.report.html.render import render

__all__ = ["ReportInputError", "ReportInputs", "from_texts", "read", "render"]
