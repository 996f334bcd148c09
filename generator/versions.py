"""The contract as it stood on any date: the initial version, then the version after each amendment.

A version is today's model with the entities that amendments changed set back to how they read
then, taken from the git history that history.collect gathered (the commit that added each
amendment, and its parent). Old data is not checked against today's rules. Without that history
(no git, or amendments not yet committed) there are no versions to show.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from .history import History
from .model import Contract, Entity

FOLDER = "versions"
AMENDMENTS = "amendments"


@dataclass(frozen=True)
class Version:
    slug: str                    # its folder under versions/: "initiale", "revision-1", …
    start: str                   # in force from (ISO date)
    end: str | None              # until the next version starts (None: the last one)
    amendment: Entity | None     # the amendment it starts with (None: the initial version)
    contract: Contract           # the contract as it read then
    changed: tuple               # (collection, id) of the entities some amendment changes, present then


def _entity(key: str, data, files: dict) -> Entity | None:
    collection, _, id_ = key.partition("/")
    if not isinstance(data, dict):
        return None
    return Entity(collection, id_, files.get(key, f"{collection}/{id_}.yaml"), 1, MappingProxyType(dict(data)))


def versions(contract: Contract, history: History) -> list[Version]:
    amendments = contract.all(AMENDMENTS)
    if not amendments or any(a.id not in history.states for a in amendments):
        return []
    changed = sorted({key for d in history.diffs.values() for c in d.changes for key in (c.key, c.to)
                      if key and key != "contrat" and not key.startswith(AMENDMENTS + "/")})
    meta_changed = any(c.key == "contrat" for d in history.diffs.values() for c in d.changes)
    states = [history.states[amendments[0].id][0]] + [history.states[a.id][1] for a in amendments]
    out = []
    for index, state in enumerate(states):
        replaced = {tuple(key.split("/", 1)): _entity(key, state.get(key), {}) for key in changed}
        replaced.update({(AMENDMENTS, a.id): None for a in amendments[index:]})  # not adopted yet then
        meta = state.get("contrat") if meta_changed and isinstance(state.get("contrat"), dict) else None
        then = contract.replaced(replaced, meta)
        amendment = amendments[index - 1] if index else None
        out.append(Version(slug=f"revision-{amendment.id}" if amendment else "initiale",
                           start=amendment.data["date"] if amendment else contract.meta["signature"]["date"],
                           end=amendments[index].data["date"] if index < len(amendments) else None,
                           amendment=amendment, contract=then,
                           changed=tuple(k for k, e in replaced.items() if e is not None and k[0] != AMENDMENTS)))
    return out
