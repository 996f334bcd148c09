"""A problem is data: where it is, what is wrong, what was expected.

Every stage returns problems instead of raising, so that an editor sees all of them at once.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

# Characters that must never reach a terminal, a log or a CI annotation as they are: C0 and C1
# controls (line breaks included: one problem is one line) and bidirectional controls.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_MESSAGE = 600  # characters; a message quotes at most short excerpts of the data
MAX_LISTED = 100   # problems printed in text and annotations; the rest are counted (the JSON lists them all)


def printable(text: str) -> str:
    """`text` with every unsafe character written as its escape (\\n, \\x1b, \\u202e)."""
    return UNSAFE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    char = match.group()
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(char)
    return named or (f"\\x{ord(char):02x}" if ord(char) <= 0xff else f"\\u{ord(char):04x}")


def excerpt(text: str, limit: int = 60) -> str:
    """A short, printable quotation of a value from the data."""
    text = str(text)
    return printable(text if len(text) <= limit else text[:limit - 1] + "…")


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    code: str
    message: str
    json_path: str = "$"

    def __post_init__(self):
        # Whatever the data holds, a problem prints as one bounded, inert line.
        message = printable(self.message)
        if len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE - 1] + "…"
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "file", printable(self.file))
        object.__setattr__(self, "json_path", excerpt(self.json_path, 200))

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.code} {self.message}"

    def github(self) -> str:
        """A GitHub workflow command (annotation) that no file name or message can break out of."""
        return (f"::error file={github_property(self.file)},line={self.line},col={self.column}"
                f"::{github_message(f'{self.code} {self.message}')}")


def github_message(text: str) -> str:
    """Escape the data of a GitHub workflow command: '%', CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """Escape a property value of a GitHub workflow command: as a message, plus ':' and ','."""
    return github_message(text).replace(":", "%3A").replace(",", "%2C")


def report(problems: list[Problem], fmt: str) -> str:
    """Render problems in one of the formats the CLI offers: text, github or json."""
    problems = sorted(problems)
    if fmt == "json":
        return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)
    n, rest = len(problems), max(0, len(problems) - MAX_LISTED)
    more = [f"… et {rest:,} autre{'s' if rest > 1 else ''} problème{'s' if rest > 1 else ''}".replace(",", "\u202f")] if rest else []
    if fmt == "github":
        return "\n".join([p.github() for p in problems[:MAX_LISTED]] + [f"::error::{github_message(m)}" for m in more])
    lines = [p.text() for p in problems[:MAX_LISTED]] + more
    lines.append(f"{n} problème{'s' if n > 1 else ''} trouvé{'s' if n > 1 else ''}." if n else "Aucun problème : le contrat est valide.")
    return "\n".join(lines)
