"""Addresses that compare as people mean them: one building key per place.

Ledgers of different departments write one building many ways: 府前路1号 / 府前路一号,
三〇五 / 305, full- and half-width digits, 省府 / 省政府, with or without the province, city
and district in front, with the floor and room behind.  :func:`building_key` reduces all of
these to one key:

1. width, case, spaces and punctuation are folded, Chinese numerals become digits;
2. when the address has a street number (``<road><road word><n>号``), the key is the road and
   the number, and everything before (divisions) and after (building, floor, room) is dropped;
3. otherwise the abbreviations of ``data/address_words.yaml`` are expanded, leading divisions
   and trailing floors, rooms and building words are dropped.

The words are data (``govcloud/analysis/data/address_words.yaml``), not code.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import yaml

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL_RUN = re.compile(f"[{''.join(_DIGITS)}{''.join(_UNITS)}]+")
_PUNCTUATION = re.compile(r"[\s\-_.·・,，、/\\()（）\[\]【】#:：;；'\"“”‘’]+")
#: a floor or room at the end: 3楼, 4层, 2f, 305室, 1单元, b1
_FLOOR_OR_ROOM = re.compile(r"(?:第?\d+(?:号楼|楼|层|f|室|房间|房|单元|号)|[a-z]\d+)$")


@dataclass(frozen=True)
class Words:
    abbreviations: tuple[tuple[re.Pattern[str], str], ...]
    building_words: tuple[str, ...]
    road: re.Pattern[str]
    division: re.Pattern[str]
    division_word: re.Pattern[str]


@functools.cache
def words() -> Words:
    """The address words shipped with govcloud, read once."""
    text = resources.files("govcloud.analysis").joinpath("data/address_words.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    abbreviations = []
    for short, long in sorted(data["abbreviations"].items(), key=lambda kv: -len(kv[0])):
        short_key, long_key = fold(short), fold(long)
        tail = long_key[len(short_key) :] if long_key.startswith(short_key) else ""
        pattern = re.escape(short_key) + (f"(?!{re.escape(tail)})" if tail else "")
        abbreviations.append((re.compile(pattern), long_key))
    road = "|".join(re.escape(fold(w)) for w in sorted(data["road_words"], key=len, reverse=True))
    division = "|".join(re.escape(fold(w)) for w in sorted(data["division_words"], key=len, reverse=True))
    return Words(
        abbreviations=tuple(abbreviations),
        building_words=tuple(sorted((fold(w) for w in data["building_words"]), key=len, reverse=True)),
        road=re.compile(rf"((?:{road}))(\d+)号"),
        division=re.compile(rf"^(.{{1,8}}?(?:{division}))(?=..)"),
        division_word=re.compile(rf"^(?:{division})"),
    )


def numerals_to_digits(text: str) -> str:
    """Chinese numerals as digits: 一号 → 1号, 三〇五 → 305, 二十三 → 23, 一百零五 → 105."""
    return _NUMERAL_RUN.sub(lambda m: str(_numeral(m.group())), text)


def _numeral(run: str) -> str:
    if all(c in _DIGITS for c in run):
        return "".join(str(_DIGITS[c]) for c in run)
    total, current = 0, 0
    for c in run:
        if c in _DIGITS:
            current = _DIGITS[c]
        else:
            total += (current or 1) * _UNITS[c]
            current = 0
    return str(total + current)


#: a range of street numbers (府前路1-3号, 1至3号): the building is known by the first
_NUMBER_RANGE = re.compile(r"(\d+)\s*[-~～—至到]\s*\d+\s*号")


def fold(text: str) -> str:
    """Width-, case-, space- and punctuation-insensitive text with digits for numerals.

    >>> fold("府前路１－３号 二楼")
    '府前路1号2楼'
    """
    folded = numerals_to_digits(unicodedata.normalize("NFKC", text).casefold())
    return _PUNCTUATION.sub("", _NUMBER_RANGE.sub(r"\1号", folded))


def building_key(address: str | None) -> str:
    """The building an address names, as a key all its spellings share ("" for nothing).

    >>> building_key("海州市府前路1号省政府大楼")
    '府前路1号'
    """
    street, name = address_parts(address)
    return street or name


@functools.lru_cache(maxsize=1 << 16)
def address_parts(address: str | None) -> tuple[str, str]:
    """An address's street key (``府前路1号``, "" when it has no street number) and the key of
    the building name written with or instead of it (``省政府``, "" for none).

    >>> address_parts("海州市府前路1号省政府大楼")
    ('府前路1号', '省政府')
    >>> address_parts(None)
    ('', '')
    """
    if not address:
        return "", ""
    text = fold(address)
    w = words()
    street = w.road.search(text)
    if street:
        road = _without_divisions(text[: street.start(1)], w)
        return f"{road}{street.group(1)}{street.group(2)}号", _name(text[street.end() :], w)
    # abbreviations first: 城关区省府大楼 is 省政府, not 府 after a division 省
    return "", _name(_without_divisions(_expand(text, w), w), w)


def _expand(text: str, w: Words) -> str:
    for pattern, long in w.abbreviations:
        text = pattern.sub(long, text)
    return text


@functools.lru_cache(maxsize=1 << 16)
def leading_city(address: str) -> str:
    """The city an address starts with (海州市府前路1号 → 海州市; "" when none).

    >>> leading_city("海州市府前路1号")
    '海州市'
    """
    text = fold(address)
    w = words()
    match = w.division.match(text)
    while match:
        prefix, text = match.group(1), text[match.end() :]
        more = w.division_word.match(text)
        if more and len(text) > more.end() + 1 and not prefix.endswith(more.group()):
            prefix, text = prefix + more.group(), text[more.end() :]
        if prefix.endswith(("市", "州", "盟", "地区")):
            return prefix
        match = w.division.match(text)
    return ""


def _name(text: str, w: Words) -> str:
    """A building name without abbreviations, floors, rooms and building words."""
    text = _expand(text, w)
    changed = True
    while changed:
        changed = False
        floor = _FLOOR_OR_ROOM.search(text)
        if floor and floor.start() > 0:
            text, changed = text[: floor.start()], True
        elif floor and floor.group() == text:
            return ""
        for word in w.building_words:
            if text.endswith(word) and len(text) > len(word):
                text, changed = text[: -len(word)], True
            elif text == word:
                return ""
    return text


def without_divisions(text: str) -> str:
    """Folded ``text`` without the province, city and district names it starts with.

    >>> without_divisions("澜州市教育局")
    '教育局'
    """
    return _without_divisions(text, words())


def _without_divisions(text: str, w: Words) -> str:
    """``text`` without the province, city and district names it starts with.

    A division word that begins what is left (海州市政府 → 政府) is put back: it was the
    government's, not the city's (市政府)."""
    while True:
        match = w.division.match(text)
        if not match:
            return text
        prefix, rest = match.group(1), text[match.end() :]
        # 海州市: the shortest match is 海州; take the next division word too (not 市 after 市:
        # 玉溪市市场监管局 is 玉溪市 and 市场监管局)
        more = w.division_word.match(rest)
        if more and len(rest) > more.end() + 1 and not prefix.endswith(more.group()):
            prefix, rest = prefix + more.group(), rest[more.end() :]
        if rest.startswith(("政府", "人民政府", "委")):
            return prefix[-1] + rest
        text = rest


class Places:
    """Building keys told apart by prefecture where that is known, and building names tied
    to the street address the ledger writes them with.

    ``人民路1号`` in two prefectures is two buildings, but a line end written without a region
    code is the one building of that key the ledger knows — if it knows only one.  A bare
    ``省府大楼`` is ``府前路1号`` when the ledger writes ``府前路1号省政府大楼`` elsewhere and
    no other street with that name.  Built from every address in the ledger with its
    prefecture (None when not recorded)."""

    def __init__(self, addresses: Iterable[tuple[str, str | None]]) -> None:
        prefectures: dict[str, set[str]] = defaultdict(set)
        streets_named: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
        name_prefectures: dict[str, set[str | None]] = defaultdict(set)
        for address, prefecture in addresses:
            street, name = address_parts(address)
            if street and prefecture:
                prefectures[street].add(prefecture)
            if name:
                name_prefectures[name].add(prefecture)
                if street:
                    streets_named[name].add((street, prefecture))
                elif prefecture:
                    prefectures[name].add(prefecture)
        self._prefectures = prefectures
        self._streets_named = streets_named
        self._name_prefectures = name_prefectures

    def place(self, key: str, prefecture: str | None) -> str:
        """The place of a building key seen in ``prefecture`` (None: not recorded)."""
        key = self._street_of(key, prefecture)
        if len(self._prefectures.get(key, ())) <= 1:
            return key
        return f"{prefecture}|{key}" if prefecture else f"?|{key}"

    def _street_of(self, key: str, prefecture: str | None) -> str:
        """The one street address a building name is written with, else the name."""
        named = self._streets_named.get(key)
        if not named:
            return key
        streets = {s for s, p in named if p == prefecture and p is not None}
        if not streets:  # none written in that prefecture: those whose prefecture is not known
            streets = {s for s, p in named if prefecture is None or p is None}
        one_prefecture = prefecture is not None or len(self._name_prefectures[key] - {None}) <= 1
        return streets.pop() if len(streets) == 1 and one_prefecture else key
