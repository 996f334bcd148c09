"""The JSON Schemas of the data: where they are, each one read once, and how their patterns read."""
from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path


def _schema_dir() -> Path:
    """The schemas: package data of the installed package (read through importlib.resources, the package
    being installed on disk), else the top-level folder of the source checkout they are built from."""
    packaged = files("generator") / "schemas"
    return Path(str(packaged)) if packaged.is_dir() else Path(__file__).resolve().parents[2] / "schemas"


SCHEMA_DIR = _schema_dir()


@cache
def _whole(pattern: str) -> re.Pattern:
    # A final « $ » is the end of the text, as in ECMA 262 (the schemas' dialect, what editors apply); Python's
    # also matches before a final line break, which would let « 1.2\n » through as an id (and as a folder name).
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern)


def matches(pattern: str, text: str) -> bool:
    """Whether `text` has the form a schema's `pattern` describes, read as editors read it (ECMA 262)."""
    return _whole(pattern).search(text) is not None


@cache
def schema_for(kind: str, schema_dir: Path = SCHEMA_DIR) -> dict:
    return json.loads((schema_dir / f"{kind}.schema.json").read_text(encoding="utf-8"))


def json_path(path) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out

