"""The example values of a new repository, declared once.

`contrat nouveau` writes a minimal contract (generator/engine/scaffold/) whose every example carries one of
these markers; validation refuses a value that still holds one (CV208, at the marker's line and column) until
the editor replaces it with what the contract says, so that no example is ever published. The markers are
written in capitals, or as an identifier, as no contract prints them: « sera à remplacer » in a contract's
prose is left alone.
"""
from __future__ import annotations

import re

TEXT = "À REMPLACER"  # in a text: « Premier axe du contrat (À REMPLACER) »
DATE = "AAAA-MM-JJ"   # in place of a date, whose form it shows
ID = "a-remplacer"    # in an identifier, and so in the name of its file: « quartier-a-remplacer »
MARKERS = (TEXT, DATE, ID)

# A marker stands alone: « la-remplacer » in an address is not « a-remplacer ».
_FOUND = re.compile("|".join(rf"(?<!\w){re.escape(m)}(?!\w)" for m in MARKERS))


def find(text: str) -> list[tuple[int, str]]:
    """(offset, marker) of every example marker in `text`, in order."""
    return [(m.start(), m.group()) for m in _FOUND.finditer(text)]
