"""A problem is data: where it is, what is wrong, what was expected.

Every stage returns problems instead of raising, so that an editor sees all of them at once.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    code: str
    message: str
    json_path: str = "$"

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.code} {self.message}"

    def github(self) -> str:
        # GitHub workflow commands need '%', CR and LF escaped in the message.
        msg = f"{self.code} {self.message}".replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.file},line={self.line},col={self.column}::{msg}"


def report(problems: list[Problem], fmt: str) -> str:
    """Render problems in one of the formats the CLI offers: text, github or json."""
    problems = sorted(problems)
    if fmt == "json":
        return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(p.github() for p in problems)
    lines = [p.text() for p in problems]
    n = len(problems)
    lines.append(f"{n} problème{'s' if n > 1 else ''} trouvé{'s' if n > 1 else ''}." if n else "Aucun problème : le contrat est valide.")
    return "\n".join(lines)
