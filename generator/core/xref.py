"""Cross-references in prose: « 2.4.3 », « fiche action n°4-1 », « axe stratégique 3 », « objectif 2.4 »,
« défi 3 », « action 1.2.3.4 »: the words before a number are those the contract's structure declares for its levels.

One finder serves validation (a reference to nothing is a problem) and rendering (every
reference becomes a link). Short forms are read in context: « fiche action n°4-5 » in the
text of objective 4.1 is sheet 4.1.5; the first level's short name alone (« axe 3 ») is read
only in the texts of the strategy, where it cannot mean another document's axis.
"""
from __future__ import annotations

import bisect
import heapq
import re
from dataclasses import dataclass
from functools import lru_cache

from generator.core.registry import LEVELS
from generator.core.structure import Level, Structure

# Matched on the lower-cased text (case-sensitive patterns are several times faster than re.I).
# A sheet number's parts have no leading zero (ids never do), and an objective or a sheet rank has at
# most two digits: « 12.03.2024 » and « 1.250.500 habitants » are not sheets; nor is a number followed
# by a currency, nor one ending in a year (« 1.2.2024 »).
_ACTION = re.compile(r"([1-9]\d{0,3}\.[1-9]\d?\.[1-9]\d?)(?!\d|\.\d|,\d|\s?(?:€|m€|euros?\b|k€))")
# Below the third level, a number is read only after its level's words (« action 1.2.3.4 »): bare, four parts
# are as often a version or an address.
_DEEPER = r" ([1-9]\d{0,3}(?:\.[1-9]\d?){%d})(?!\d|\.\d|,\d)"
_YEAR = re.compile(r"\.(?:1[89]|2\d)\d\d$")
_NOT_AFTER = r"(?<![^\W\d_])"  # a name starts a word: « taxe 3 » names nothing


@dataclass(frozen=True)
class Forms:
    """How a contract's prose names the items of its levels, in the words its structure declares: patterns
    built once per structure (`forms`), none for a slot it does not declare."""
    actions: bool = False                # bare « 2.4.3 »: an item of the third slot
    short: re.Pattern | None = None      # « fiche action n°4-1 » in the text of objective 4.x: item 4.x.1
    objective: re.Pattern | None = None  # « objectif 2.4 » (or the first level's short name: « axe 2.4 »)
    axis_long: re.Pattern | None = None  # « axe stratégique 3 », « défi 3 »
    axis_short: re.Pattern | None = None  # « axe 3 », read only in the texts of the strategy
    deeper: tuple[tuple[str, re.Pattern], ...] = ()  # (slot, « action 1.2.3.4 ») for each level below the third


def _any(words) -> str:
    """An alternation of words, escaped, the longest first."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) + ")"


def _either_number(level: Level) -> str:
    """Its name in the singular or the plural, word by word when both have as many words (« fiches? actions? »)."""
    one, many = level.singular.lower().split(), level.plural.lower().split()
    if len(one) != len(many):
        return _any((" ".join(one), " ".join(many)))
    return " ".join(_any(pair) for pair in zip(one, many))


@lru_cache(maxsize=64)
def forms(structure: Structure) -> Forms:
    axis, objective, action = (structure.of(slot) for slot in LEVELS[:3])
    short = objective_form = axis_long = axis_short = None
    if action and objective:
        short = re.compile(_NOT_AFTER + _either_number(action) + r" n°\s?(\d+)-(\d+)")
    if objective and axis:
        words = (objective.singular, objective.name, objective.short, axis.name, axis.short)
        objective_form = re.compile(_NOT_AFTER + _any(w.lower() for w in words) + r" (\d+\.\d+)(?!\d|\.\d)")
    if axis:
        named = {axis.name.lower(), axis.short.lower()} - {axis.singular.lower()}
        axis_long = re.compile(_NOT_AFTER + re.escape(axis.singular.lower()) + r" (\d+)(?!\d|[.,]\d)")  # « … 2. » ends a sentence
        axis_short = re.compile(_NOT_AFTER + _any(named) + r" (\d+)(?!\d|[.,]\d)") if named else None
    deeper = tuple((level.slot, re.compile(_NOT_AFTER + "(?:" + _either_number(level) + "|"
                                           + _any((level.name.lower(), level.short.lower())) + ")" + _DEEPER % depth))
                   for depth, level in enumerate(structure.levels) if depth >= 3)
    return Forms(bool(action and objective), short, objective_form, axis_long, axis_short, deeper)


@dataclass(frozen=True)
class Ref:
    start: int
    end: int
    collection: str
    id: str


@lru_cache(maxsize=4096)  # validation, the derived relations and rendering read the same texts
def find(text: str, forms: Forms, objective: str | None = None, short_axes: bool = False) -> tuple[Ref, ...]:
    """References in `text`, in the `forms` of its contract, without overlaps, in order. `objective` is the id
    of the objective whose text this is (for « n°A-B » forms); `short_axes` allows the bare short name of the
    first level (« axe N »).
    Each pattern is one pass; a match overlapping an earlier pass's is dropped. The time is
    linear in the text's length (times the log of the number of references)."""
    found: list[Ref] = []

    def add(candidates):
        nonlocal found
        starts = [r.start for r in found]
        kept = []
        for ref in candidates:  # in order and without overlaps among themselves (one finditer)
            i = bisect.bisect_left(starts, ref.start)
            if (i < len(found) and found[i].start < ref.end) or (i and found[i - 1].end > ref.start):
                continue
            kept.append(ref)
        found = list(heapq.merge(found, kept, key=lambda r: r.start))

    lower = text.lower()
    if len(lower) != len(text):  # rare letters whose lower case is longer: keep offsets right
        lower = text
    if objective and forms.short and "n°" in lower:
        add(Ref(*m.span(), "actions", f"{objective}.{m.group(2)}") for m in forms.short.finditer(lower)
            if objective.split(".")[0] == m.group(1))
    for slot, pattern in forms.deeper:
        add(Ref(*m.span(), slot, m.group(1)) for m in pattern.finditer(lower))
    if forms.actions:
        add(Ref(*m.span(1), "actions", m.group(1)) for m in _ACTION.finditer(lower)
            if not (m.start() and lower[m.start() - 1] in "0123456789.,") and not _YEAR.search(m.group(1)))
    if forms.objective:
        add(Ref(*m.span(), "objectives", m.group(1)) for m in forms.objective.finditer(lower))
    if forms.axis_long:
        add(Ref(*m.span(), "axes", m.group(1)) for m in forms.axis_long.finditer(lower))
    if short_axes and forms.axis_short:
        add(Ref(*m.span(), "axes", m.group(1)) for m in forms.axis_short.finditer(lower))
    return tuple(found)


# Which texts carry references is the registry's (`prose`); how to read them depends on whose text it is.
def context_of(collection: str, data) -> dict:
    if collection == "objectives":
        return {"objective": data["id"], "short_axes": True}
    if collection == "axes":
        return {"short_axes": True}
    return {}
