"""Duplicate-function systems: several departments each running their own OA, video
conference, email, portal … where one shared platform would serve them all."""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import yaml
from networkx.utils import UnionFind

from govcloud.analysis.common import Facts
from govcloud.analysis.config import Thresholds
from govcloud.analysis.findings import Finding
from govcloud.analysis.normalise import text_key
from govcloud.graph import node_id
from govcloud.ledger import model
from govcloud.ledger.choices import SYSTEM_CATEGORY

#: functions every department needs and a shared platform can provide: data, so a region can
#: add its own (a scenario's ``common_functions:`` replaces the list for the plan)
COMMON_FUNCTIONS_FILE = Path(__file__).with_name("data") / "common_functions.yaml"
COMMON_FUNCTIONS = frozenset(
    str(c) for c in yaml.safe_load(COMMON_FUNCTIONS_FILE.read_text(encoding="utf-8"))["common_functions"]
)
#: words that name a common function in a system's name, for systems whose category column was
#: left empty (read as "business"): departments name one job many ways
FUNCTION_WORDS: dict[str, tuple[str, ...]] = {
    "oa": ("oa", "协同办公", "办公自动化", "综合办公"),
    "video_conference": ("视频会议", "会议电视", "视频会商", "videoconference"),
    "email": ("电子邮件", "邮件系统", "邮箱", "email"),
    "portal": ("门户网站", "政府网站", "官方网站", "门户"),
    "archive": ("档案管理", "电子档案", "数字档案"),
}
#: words that say a system does another job with the same thing (视频会商指挥调度, 网站监测)
_OTHER_JOB = ("指挥", "调度", "监控", "监测", "预约", "加工")
#: words in system names that say nothing about the function, each removed whole (信息化
#: before 信息, so that 档案信息化 leaves 档案 and not 档案化)
_NOISE = ("系统", "平台", "管理", "信息化", "信息", "综合", "省", "市", "system", "platform")


def name_key(system: model.System, ledger: model.Ledger) -> str:
    """A system's name without its department's name and generic words."""
    key = text_key(system.name)
    owner = ledger.departments.get(system.owner)
    if owner:
        key = key.replace(text_key(owner.name), "")
    for word in _NOISE:
        key = key.replace(word, "")
    return key


#: a department's name after the place it belongs to (海州市教育局 → 教育局)
_PLACE = re.compile(r"^(?:.{1,4}?省)?(?:.{1,4}?市)?(?:.{1,4}?[区县])?")


@functools.cache
def _name_forms(name: str) -> tuple[str, ...]:
    """How a department's name is written inside its systems' names: in full, without its
    place (教育局), and shortened to its first two characters at the start (教育)."""
    full = text_key(name)
    bare = _PLACE.sub("", full, count=1)
    forms = [full, bare] if bare and bare != full else [full]
    if len(bare) > 2:
        forms.append(bare[:2])
    return tuple(forms)


def function_of(system: model.System, ledger: model.Ledger, learned: dict[str, str] | None = None) -> str:
    """The system's category; for a catch-all "business" one, the common function its name
    names, if it names exactly one and no other job: by :data:`FUNCTION_WORDS`, else by the
    names the ledger itself gives systems whose category is filled in (``learned``, see
    :func:`learned_names`)."""
    if system.category != "business":
        return system.category
    # another job's word counts outside the department's name (市场监管局, 应急指挥中心)
    own = name_key(system, ledger)
    if any(word in own for word in _OTHER_JOB):
        return system.category
    key = text_key(system.name)
    named = {f for f, words in FUNCTION_WORDS.items() if any(_names(key, w) for w in words)}
    if not named and learned:
        named = {f for name, f in learned.items() if name in own}
    return named.pop() if len(named) == 1 else system.category


#: a name shorter than this (after the noise is removed) teaches nothing: 网站, 邮件 alone are
#: already function words, and two characters match too much by chance
_MIN_LEARNED = 3
#: a head teaches a function when this many different categorised names of it share it
MIN_NAMES = 2


def _core(system: model.System, ledger: model.Ledger) -> str:
    """A system's name without its department's name in any of the ways it is written
    (海州市教育局, 教育局, 教育 at the start) and without generic words."""
    key = text_key(system.name)
    owner = ledger.departments.get(system.owner)
    if owner:
        for form in _name_forms(owner.name):
            key = key.replace(form, "") if len(form) > 2 else key.removeprefix(form)
    for word in _NOISE:
        key = key.replace(word, "")
    return key


def learned_names(ledger: model.Ledger) -> dict[str, str]:
    """What this ledger calls its common functions: the name (without department name and
    noise) of every system whose category column names a common function → that function.
    A name given to two functions, or containing another job's word, teaches nothing.  A
    region that names its OA 无纸化办公系统 in the rows it categorised names it so in the rows
    it did not."""
    seen: dict[str, set[str]] = defaultdict(set)
    for system in ledger.systems.values():
        if system.category in COMMON_FUNCTIONS:
            key = _core(system, ledger)
            if len(key) >= _MIN_LEARNED and not any(word in key for word in _OTHER_JOB):
                seen[key].add(system.category)
    return {key: next(iter(functions)) for key, functions in sorted(seen.items()) if len(functions) == 1}


def _names(key: str, word: str) -> bool:
    """``word`` in ``key``; a Latin word only standing alone (``oa`` in 移动oa, not in goal)."""
    if not word.isascii():
        return word in key
    return re.search(rf"(?<![a-z]){word}(?![a-z])", key) is not None


def functions(ledger: model.Ledger, systems: list[model.System]) -> dict[model.System, str]:
    """The function of each of ``systems``: :func:`function_of`, and then, for a system still
    in the catch-all category, the common function that the head of its name names
    (:func:`_shared_part`: a function word, or a head the ledger's categorised names of one
    function share), unless its department already runs a system known to do that function:
    a head alone is weaker evidence than a category or a function word."""
    learned = learned_names(ledger)
    out = {s: function_of(s, ledger, learned) for s in systems}
    parts = _function_parts(ledger)
    known = {(s.owner, f) for s, f in out.items() if f in COMMON_FUNCTIONS}
    for system, function in out.items():
        if function != "business" or any(word in name_key(system, ledger) for word in _OTHER_JOB):
            continue
        head = _shared_part(_core(system, ledger), parts)
        if head and (system.owner, head) not in known:
            out[system] = head
    return out


def _function_parts(ledger: model.Ledger) -> dict[str, set[str]]:
    """The heads (:func:`_heads`) of the names of the ledger's categorised systems → the
    functions whose names they head, with the words of :func:`_head_words`.  A head teaches a
    function when two different names of it share it (云视讯 alone teaches only 云视讯, which
    :func:`learned_names` knows), when it is all they share (:func:`_closed`), and when no more
    systems left in the catch-all category carry it as their head than systems categorised
    with it (一体化 heads 文档一体化 and 档案一体化, and more departments' own 预算一体化)."""
    parts: dict[str, set[str]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for system in ledger.systems.values():
        key = _core(system, ledger)
        if any(word in key for word in _OTHER_JOB):
            continue
        for part in _heads(key):
            if system.category == "business":
                counts[part] -= 1
            else:
                parts[part].add(system.category)
                names[part].add(key)
                counts[part] += 1
    kept = {
        part: functions
        for part, functions in parts.items()
        if len(names[part]) >= MIN_NAMES and counts[part] >= 0 and _closed(part, names)
    }
    for function, words in _head_words().items():
        for word in words:
            kept.setdefault(word, set()).add(function)
    return kept


def _closed(part: str, names: dict[str, set[str]]) -> bool:
    """Whether ``part`` is all its names share: no longer part is held by the same names
    (服务 of 邮件服务器 and Exchange邮件服务 is only a piece of 邮件服务)."""
    held = sorted(names[part])
    first = held[0]
    around = {
        longer
        for i in range(len(first))
        if first.startswith(part, i)
        for longer in (first[max(0, i - 1) : i + len(part)], first[i : i + len(part) + 1])
        if len(longer) > len(part)
    }
    return not any(all(longer in name for name in held) for longer in around)


def _heads(key: str) -> set[str]:
    """The parts (two characters or more) of a name that can be its head: those that end it,
    or that only a form word follows (:data:`_TAIL`)."""
    return {key[i:j] for j in range(2, len(key) + 1) for i in range(j - 1) if _is_head(key, i, j)}


def _is_head(key: str, start: int, end: int) -> bool:
    """Whether ``key[start:end]`` is a head of ``key``: only a form word follows it, and it
    does not cut a Latin word (oa in goaltracker)."""
    if not _TAIL.fullmatch(key[end:]):
        return False
    return not (
        (end < len(key) and _latin(key[end - 1]) and _latin(key[end]))
        or (start > 0 and _latin(key[start - 1]) and _latin(key[start]))
    )


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


@functools.cache
def _head_words() -> dict[str, tuple[str, ...]]:
    """Words that name a common function when they end a name: :data:`FUNCTION_WORDS` and the
    ways the ledger's category column spells those functions (网站, 邮件, 档案 …).  Anywhere in
    a name such a word also names other jobs (办公用品, 网站安全监测); as its head it names
    the system's own."""
    out: dict[str, tuple[str, ...]] = {}
    for function, words in FUNCTION_WORDS.items():
        choice = next(c for c in SYSTEM_CATEGORY.choices if c.value == function)
        spelled = {text_key(w) for w in (choice.zh, *choice.aliases)}
        heads = {_head_word(w) for w in (*words, *spelled)}
        out[function] = tuple(sorted(w for w in {*words, *spelled, *heads} if len(w) >= 2))
    return out


def _head_word(word: str) -> str:
    """The last word of a Chinese compound of two-character words, without generic words
    (视频会商 → 会商, 邮件系统 → 邮件): the word the compound is a kind of."""
    for noise in _NOISE:
        word = word.replace(noise, "")
    return word[-2:] if len(word) == 4 and not word.isascii() else word


#: what may follow the part that names a function at the end of a name: words that say what
#: form the thing takes, like 系统 and 平台 (软件, 服务器, 客户端, a product code such as MCU or
#: APP, one character: 云, 网, 群 …): the head of a Chinese name comes last, so 邮件收发登记
#: registers mail and does not serve it
_TAIL = re.compile(r"(?:[a-z0-9]+|[云网群端器]|软件|服务器?|客户端|小程序|应用)?")


def _shared_part(core: str, parts: dict[str, set[str]]) -> str | None:
    """The common function that the longest head of ``core`` (a part a form word at most
    follows, :data:`_TAIL`) names alone, if that head names one function only."""
    for size in range(len(core), 1, -1):
        named = {
            f
            for i in range(len(core) - size + 1)
            if _is_head(core, i, i + size)
            for f in parts.get(core[i : i + size], ())
            if len(parts[core[i : i + size]]) == 1
        }
        if named:
            return named.pop() if len(named) == 1 and named <= COMMON_FUNCTIONS else None
    return None


def find(facts: Facts, thresholds: Thresholds) -> Iterator[Finding]:
    ledger = facts.ledger
    active = [s for s in ledger.systems.values() if s.status != "decommissioning"]
    by_category: dict[str, list[model.System]] = defaultdict(list)
    for system, function in functions(ledger, active).items():
        by_category[function].append(system)
    for category, systems in sorted(by_category.items()):
        clusters = [systems] if category in COMMON_FUNCTIONS else _similar_names(systems, ledger, thresholds)
        for cluster in clusters:
            yield from _cluster_findings(facts, category, cluster, thresholds)


def _similar_names(
    systems: list[model.System], ledger: model.Ledger, thresholds: Thresholds
) -> list[list[model.System]]:
    """Clusters of systems of one category whose names are alike (after removing noise).

    Only pairs that share a distinctive character bigram are compared (blocking), so a
    province with thousands of business systems is not compared pair by pair.
    """
    keys = {s.id: name_key(s, ledger) for s in systems}
    by_id = {s.id: s for s in systems}
    union: UnionFind[str] = UnionFind(keys)
    for a, b in sorted(_candidate_pairs(keys)):
        if by_id[a].owner != by_id[b].owner:
            ratio = difflib.SequenceMatcher(None, keys[a], keys[b]).ratio()
            if ratio >= thresholds.name_similarity:
                union.union(a, b)
    return [[by_id[i] for i in sorted(group)] for group in union.to_sets() if len(group) > 1]


#: a bigram shared by more names than this says little about function and is not a block
MAX_BLOCK = 30


def _candidate_pairs(keys: dict[str, str]) -> set[tuple[str, str]]:
    """Pairs of ids whose name keys share a bigram that few names have, or are equal."""
    postings: dict[str, list[str]] = defaultdict(list)
    for ident, key in keys.items():
        for gram in {key[i : i + 2] for i in range(len(key) - 1)} or ({key} if key else set()):
            postings[gram].append(ident)
    pairs: set[tuple[str, str]] = set()
    for ids in postings.values():
        if 2 <= len(ids) <= MAX_BLOCK:
            ids = sorted(ids)
            pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    same: dict[str, list[str]] = defaultdict(list)
    for ident, key in keys.items():
        if key:
            same[key].append(ident)
    for ids in same.values():
        ids = sorted(ids)
        pairs.update(itertools.pairwise(ids))
    return pairs


def _cluster_findings(
    facts: Facts, category: str, systems: list[model.System], thresholds: Thresholds
) -> Iterator[Finding]:
    classified = sorted((s for s in systems if s.classified), key=lambda s: s.id)
    shareable = sorted((s for s in systems if not s.classified), key=lambda s: s.id)
    if len({s.owner for s in systems}) < 2:
        return
    if classified:
        yield Finding(
            kind="duplicate-systems",
            members=tuple(node_id("system", s.id) for s in classified),
            reason="systems-classified",
            recommendation="keep-isolated",
            status="kept",
            departments=tuple(sorted({s.owner for s in classified})),
            evidence={"category": category, "classification": sorted({s.classification for s in classified})},
            params={"category": category},
        )
    owners = sorted({s.owner for s in shareable})
    if len(owners) < 2:
        return
    platform = _platform(facts, shareable)
    saving = (len(shareable) - 1) * thresholds.system_running_cny * thresholds.system_saving_share
    yield Finding(
        kind="duplicate-systems",
        members=tuple(node_id("system", s.id) for s in shareable),
        reason="systems-duplicate",
        recommendation="share-platform",
        departments=tuple(owners),
        evidence={
            "category": category,
            "systems": [
                {"id": s.id, "name": s.name, "owner": s.owner, "users": s.users, "mlps_level": s.mlps_level}
                for s in shareable
            ],
            "platform": platform.id,
            "mlps_level_needed": max(s.mlps_level for s in shareable),
        },
        params={
            "count": len(shareable),
            "departments": len(owners),
            "category": category,
            "platform": platform.name,
        },
        confidence=0.85 if category in COMMON_FUNCTIONS else 0.6,
        saving_cny=saving,
    )


def _platform(facts: Facts, systems: list[model.System]) -> model.System:
    """The system to grow into the shared platform: a province-level one if any, the highest
    protection level, then the most users."""

    def rank(s: model.System) -> tuple[int, int, int, str]:
        dept = facts.ledger.departments.get(s.owner)
        provincial = 0 if dept and dept.level == "province" else 1
        return (provincial, -s.mlps_level, -(s.users or 0), s.id)

    return min(systems, key=rank)
