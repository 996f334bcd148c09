"""Cross-references in prose: « 2.4.3 », « fiche action n°4-1 », « axe stratégique 3 », « objectif 2.4 ».

One finder serves validation (a reference to nothing is a problem) and rendering (every
reference becomes a link). Short forms are read in context: « fiche action n°4-5 » in the
text of objective 4.1 is sheet 4.1.5; « axe 3 » alone is read only in Part 2 texts, where
it cannot mean another document's axis.
"""
from __future__ import annotations

import bisect
import heapq
import re
from dataclasses import dataclass
from functools import lru_cache

# Matched on the lower-cased text (case-sensitive patterns are several times faster than re.I).
# A sheet number's parts have no leading zero (ids never do), and an objective or a sheet rank has at
# most two digits: « 12.03.2024 » and « 1.250.500 habitants » are not sheets; nor is a number followed
# by a currency, nor one ending in a year (« 1.2.2024 »).
_ACTION = re.compile(r"([1-9]\d{0,3}\.[1-9]\d?\.[1-9]\d?)(?!\d|\.\d|,\d|\s?(?:€|m€|euros?\b|k€))")
_YEAR = re.compile(r"\.(?:1[89]|2\d)\d\d$")
_SHORT = re.compile(r"fiches? actions? n°\s?(\d+)-(\d+)")
_OBJECTIVE = re.compile(r"(?:objectif(?: opérationnel)?|axe) (\d+\.\d+)(?!\d|\.\d)")
_AXIS_LONG = re.compile(r"axe stratégique (\d+)(?!\d|[.,]\d)")  # « axe stratégique 2. » ends a sentence
_AXIS_SHORT = re.compile(r"axe (\d+)(?!\d|[.,]\d)")


@dataclass(frozen=True)
class Ref:
    start: int
    end: int
    collection: str
    id: str


@lru_cache(maxsize=4096)  # validation, the derived relations and rendering read the same texts
def find(text: str, objective: str | None = None, short_axes: bool = False) -> tuple[Ref, ...]:
    """References in `text`, without overlaps, in order. `objective` is the id of the objective
    whose text this is (for « n°A-B » forms); `short_axes` allows bare « axe N ».
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
    if objective and "n°" in lower:
        add(Ref(*m.span(), "actions", f"{objective}.{m.group(2)}") for m in _SHORT.finditer(lower)
            if objective.split(".")[0] == m.group(1))
    add(Ref(*m.span(1), "actions", m.group(1)) for m in _ACTION.finditer(lower)
        if not (m.start() and lower[m.start() - 1] in "0123456789.,") and not _YEAR.search(m.group(1)))
    add(Ref(*m.span(), "objectives", m.group(1)) for m in _OBJECTIVE.finditer(lower))
    add(Ref(*m.span(), "axes", m.group(1)) for m in _AXIS_LONG.finditer(lower))
    if short_axes:
        add(Ref(*m.span(), "axes", m.group(1)) for m in _AXIS_SHORT.finditer(lower))
    return tuple(found)


# Which texts carry references is the registry's (`prose`); how to read them depends on whose text it is.
def context_of(collection: str, data) -> dict:
    if collection == "objectives":
        return {"objective": data["id"], "short_axes": True}
    if collection == "axes":
        return {"short_axes": True}
    return {}
