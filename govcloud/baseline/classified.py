"""分级保护 apart from 等保: classified (涉密) systems are assessed under their own regime
(BMB17), never in the ordinary outputs.

The ordinary baseline leaves out every classified system and every server one of them runs
on, and only counts them as assessed separately; their assessment goes into an annex written
only on request, to a path of its own.  :func:`redact` is the last guard of the ordinary
outputs: every classified system's id and name is replaced by a stable placeholder in every
file an ordinary run writes, so a writer that lists systems cannot leak one.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping

from govcloud.ledger import model
from govcloud.text import md_escape

#: the regime classified systems are assessed under
REGIME = "涉密信息系统分级保护 (BMB17)"


def subjects(ledger: model.Ledger) -> set[tuple[str, str]]:
    """``(kind, id)`` of every baseline subject that is assessed separately: the classified
    systems and the servers they run on."""
    out: set[tuple[str, str]] = set()
    for system in ledger.systems.values():
        if system.classified:
            out.add(("systems", system.id))
            out.update(("servers", s) for s in system.servers)
    return out


def placeholders(ledger: model.Ledger) -> dict[str, str]:
    """Every classified system's id and name → its placeholder (``classified-<n>`` and
    ``涉密系统 <n>``, numbered in id order: stable for the same ledger)."""
    out: dict[str, str] = {}
    systems = sorted((s for s in ledger.systems.values() if s.classified), key=lambda s: s.id)
    for n, system in enumerate(systems, 1):
        out[system.id] = f"classified-{n}"
        for name in (system.name, system.name_en):
            if name and name.strip():
                out[name] = f"涉密系统 {n}"
    return out


def _forms(text: str) -> Iterable[str]:
    """``text`` as it may be written: plain, JSON-escaped, HTML-escaped."""
    yield text
    yield json.dumps(text, ensure_ascii=False)[1:-1]
    yield html.escape(text)
    yield html.escape(text, quote=False)
    yield md_escape(text)


def redactor(ledger: model.Ledger) -> re.Pattern[str] | None:
    """One pattern of every form of every classified id and name (longest first); ids match
    only as whole ids, not inside a longer one."""
    table = placeholders(ledger)
    if not table:
        return None
    return re.compile("|".join(alternative for _, alternative in _alternatives(table)))


def _alternatives(table: dict[str, str]) -> list[tuple[str, str]]:
    """Every form of every classified id and name, longest first, with its alternative."""
    forms = sorted({f for key in table for f in _forms(key) if f}, key=lambda f: (-len(f), f))
    return [(f, _alternative(f, f in table and f.isascii())) for f in forms]


def _alternative(form: str, whole: bool) -> str:
    # an ASCII id or name is replaced only where it is not part of a longer id
    return rf"(?<![A-Za-z0-9_.]){re.escape(form)}(?![A-Za-z0-9_-])" if whole else re.escape(form)


def redact(outputs: Mapping[str, bytes], ledger: model.Ledger) -> dict[str, bytes]:
    """``outputs`` with every classified system's id and name replaced by its placeholder."""
    table = placeholders(ledger)
    if not table:
        return dict(outputs)
    lookup = {form: table[key] for key in table for form in _forms(key)}
    # a substring search per form is far cheaper than the pattern, and most files hold no
    # form; in a file that holds some, those forms are found with str.find and replaced as
    # the pattern would replace them (an absent form matches nowhere): see _replaced
    forms = [
        (order, form, form.encode("utf-8"), form in table and form.isascii())
        for order, (form, _) in enumerate(_alternatives(table))
    ]
    out: dict[str, bytes] = {}
    for name, data in outputs.items():
        present = [(order, form, whole) for order, form, needle, whole in forms if needle in data]
        out[name] = _replaced(data.decode("utf-8"), present, lookup).encode("utf-8") if present else data
    return out


class Redaction:
    """:func:`redact` prepared once for a ledger and applied to one output at a time, in its
    UTF-8 bytes without decoding them: an ASCII boundary character is one byte, and no byte
    of a multi-byte character is ASCII, so every match and every boundary is where
    :func:`redact` finds it (tests compare the two)."""

    def __init__(self, ledger: model.Ledger) -> None:
        table = placeholders(ledger)
        self.lookup = {
            form.encode("utf-8"): table[key].encode("utf-8") for key in table for form in _forms(key)
        }
        self.forms = [
            (order, form.encode("utf-8"), form in table and form.isascii())
            for order, (form, _) in enumerate(_alternatives(table))
        ]
        self.longest = max((len(form) for _, form, _ in self.forms), default=0)

    def __call__(self, data: bytes) -> list[bytes | memoryview]:
        """``data`` redacted, as pieces to write in turn (views of ``data`` where unchanged)."""
        present = [(order, needle, whole) for order, needle, whole in self.forms if needle in data]
        if not present:
            return [data]
        parts, _ = _replaced_bytes(data, present, self.lookup, -1, len(data), final=True)
        return parts

    def stream(self, blocks: Iterable[bytes]) -> Iterator[bytes | memoryview]:
        """The redacted bytes of the text written in ``blocks``, block by block: a form
        across two blocks is found as in the whole text (what may start a match is held
        back until the next block shows what follows it)."""
        if not self.forms:
            yield from blocks
            return
        pending = b""
        before = -1  # the byte before ``pending`` in the text; -1 at its start
        for block in itertools.chain(blocks, (None,)):
            final = block is None
            buf = pending + block if block is not None else pending
            limit = len(buf) if final else len(buf) - self.longest
            if limit <= 0:
                pending = buf
                continue
            present = [(order, needle, whole) for order, needle, whole in self.forms if needle in buf]
            parts, done = _replaced_bytes(buf, present, self.lookup, before, limit, final=final)
            yield from parts
            before = buf[done - 1]
            pending = buf[done:]


def redaction(ledger: model.Ledger) -> Redaction:
    """A :class:`Redaction` of ``ledger``'s classified systems."""
    return Redaction(ledger)


_BEFORE_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.")
_AFTER_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _replaced_bytes(
    data: bytes,
    forms: list[tuple[int, bytes, bool]],
    lookup: dict[bytes, bytes],
    before: int,
    limit: int,
    *,
    final: bool,
) -> tuple[list[bytes | memoryview], int]:
    """:func:`_replaced` on UTF-8 bytes, for the matches that start before ``limit``
    (``before``: the byte that precedes ``data`` in the text, -1 at its start): the pieces up
    to where they end (views of ``data`` between the forms replaced, and the placeholders),
    and that position.  Unless ``final``, every form starting before ``limit`` ends before
    the end of ``data``, so its boundaries are known."""
    found: list[tuple[int, int, bytes]] = []
    end = len(data)
    for order, form, whole in forms:
        start = data.find(form, 0, limit + len(form) - 1)
        while 0 <= start < limit:
            stop = start + len(form)
            previous = data[start - 1] if start else before
            if not whole or (
                (previous < 0 or previous not in _BEFORE_BYTES)
                and (stop == end or data[stop] not in _AFTER_BYTES)
            ):
                found.append((start, order, form))
            start = data.find(form, start + 1, limit + len(form) - 1)
    found.sort()
    view = memoryview(data)
    parts: list[bytes | memoryview] = []
    done = 0
    for start, _, form in found:
        if start >= done:
            parts += (view[done:start], lookup[form])
            done = start + len(form)
    cut = end if final else max(done, limit)
    parts.append(view[done:cut])
    return parts, cut


_BEFORE_ID = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.")
_AFTER_ID = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _replaced(text: str, forms: list[tuple[int, str, bool]], lookup: dict[str, str]) -> str:
    """What :func:`redactor`'s pattern substitutes in ``text``, found with ``str.find``.

    The pattern scans left to right and, at each position, takes the first alternative
    (longest form first) that matches there, a whole id only where no id character is next
    to it; so: every occurrence of every form that passes its boundaries, by position and
    then by the pattern's order, taken when it starts after the last one taken.  A scan by
    ``find`` of the few forms a file holds is many times faster than the pattern over a plan
    of hundreds of MB (tests compare the two)."""
    found: list[tuple[int, int, str]] = []
    end = len(text)
    for order, form, whole in forms:
        start = text.find(form)
        while start >= 0:
            stop = start + len(form)
            if not whole or (
                (start == 0 or text[start - 1] not in _BEFORE_ID)
                and (stop == end or text[stop] not in _AFTER_ID)
            ):
                found.append((start, order, form))
            start = text.find(form, start + 1)
    found.sort()
    parts: list[str] = []
    done = 0
    for start, _, form in found:
        if start >= done:
            parts += (text[done:start], lookup[form])
            done = start + len(form)
    parts.append(text[done:])
    return "".join(parts)


def redact_text(text: str, ledger: model.Ledger) -> str:
    """One output's text with every classified system's id and name replaced."""
    return redact({"": text.encode("utf-8")}, ledger)[""].decode("utf-8")
