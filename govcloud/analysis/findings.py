"""What the analysis reports: findings with evidence, saving, recommendation and reason."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

from govcloud.i18n import Lang, t

Status = Literal["candidate", "kept"]


@dataclass(frozen=True)
class Finding:
    """One consolidation opportunity, or something that looks like one and should stay.

    ``members`` are graph node keys (``site:hy-gat-room1``); ``reason`` and ``recommendation``
    are message codes in :mod:`govcloud.i18n`, filled from ``params``.
    """

    kind: str
    members: tuple[str, ...]
    reason: str
    recommendation: str
    status: Status = "candidate"
    departments: tuple[str, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    confidence: float = 1.0
    saving_cny: float = 0.0

    @property
    def id(self) -> str:
        """Stable across runs and file layouts: the kind and a digest of the sorted members."""
        digest = hashlib.sha256("\n".join(sorted(self.members)).encode("utf-8")).hexdigest()[:10]
        return f"{self.kind}-{digest}"

    def reason_text(self, lang: Lang) -> str:
        return t(f"finding.{self.reason}", lang, **self.params)

    def recommendation_text(self, lang: Lang) -> str:
        return t(f"recommend.{self.recommendation}", lang, **self.params)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "members": sorted(self.members),
            "departments": sorted(self.departments),
            "evidence": self.evidence,
            "confidence": round(self.confidence, 2),
            "saving_cny": round(self.saving_cny),
            "recommendation": {
                "code": self.recommendation,
                "zh": self.recommendation_text("zh"),
                "en": self.recommendation_text("en"),
            },
            "reason": {"code": self.reason, "zh": self.reason_text("zh"), "en": self.reason_text("en")},
        }
