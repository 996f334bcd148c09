"""The contract as it stood on any date: the initial version, then the version after each amendment.

A version is today's model with the entities that amendments changed set back to how they read
then, taken from the git history that history.collect gathered (the files changed by the commit
that added each amendment, before and after it). Old data is not checked against today's rules. Without that history
(no git, or amendments not yet committed) there are no versions to show.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from . import urls
from .history import History, Refused
from .model import Contract, Entity

FOLDER = urls.VERSIONS
AMENDMENTS = "amendments"


@dataclass(frozen=True)
class Version:
    slug: str                    # its folder under versions/: "initiale", "revision-1", …
    start: str                   # in force from (ISO date)
    end: str | None              # until the next version starts, or the contract's end (None: not known)
    amendment: Entity | None     # the amendment it starts with (None: the initial version)
    contract: Contract           # the contract as it read then
    changed: tuple               # (collection, id) of the entities some amendment changes, present then
    unavailable: str = ""        # why it cannot be shown (its data in git no longer follows the schemas), for people


def _entity(key: str, data) -> Entity | None:
    collection, _, id_ = key.partition("/")
    if not isinstance(data, dict):
        return None
    return Entity(collection, id_, f"{collection}/{id_}.yaml", 1, MappingProxyType(dict(data)))


def _end(contract: Contract) -> str | None:
    """When the contract stopped producing its effects, if a dated event says so."""
    return next((e["date"] for e in contract.meta.get("timeline") or () if e.get("kind") == "fin"), None)


def versions(contract: Contract, history: History) -> list[Version]:
    amendments = contract.all(AMENDMENTS)
    if not amendments or any(a.id not in history.states for a in amendments):
        return []
    # states[j] = (before, after) amendment j+1's commit, for the files that commit changed only
    states = [history.states[a.id] for a in amendments]
    touched = [set(before) | set(after) for before, after in states]
    changed = sorted({key for d in history.diffs.values() for c in d.changes for key in (c.key, c.to)
                      if key and key != "contrat" and not key.startswith(AMENDMENTS + "/")})
    meta_changed = any(c.key == "contrat" for d in history.diffs.values() for c in d.changes)

    def then(key: str, index: int):
        """The data of `key` in version `index` (0: initial; k: after amendment k), None if absent."""
        for j in range(index - 1, -1, -1):  # the last amendment up to this version that touched it
            if key in touched[j]:
                return states[j][1].get(key)
        for j in range(index, len(states)):  # else as it was before the next one that touches it
            if key in touched[j]:
                return states[j][0].get(key)
        return None

    out = []
    for index in range(len(amendments) + 1):
        data = {key: then(key, index) for key in changed + (["contrat"] if meta_changed else [])}
        refused = next((d for d in data.values() if isinstance(d, Refused)), None)
        amendment = amendments[index - 1] if index else None
        slug = f"revision-{amendment.id}" if amendment else "initiale"
        dates = dict(start=amendment.data["date"] if amendment else contract.meta["signature"]["date"],
                     end=amendments[index].data["date"] if index < len(amendments) else _end(contract))
        if refused:  # shown as unavailable rather than rendered from data today's templates cannot read
            out.append(Version(slug, **dates, amendment=amendment, contract=contract, changed=(),
                               unavailable=f"les données de {refused.key} {refused.where} ne suivent pas les schémas actuels"))
            continue
        replaced = {tuple(key.split("/", 1)): _entity(key, data[key]) for key in changed}
        replaced.update({(AMENDMENTS, a.id): None for a in amendments[index:]})  # not adopted yet then
        meta = data.get("contrat")
        out.append(Version(slug, **dates, amendment=amendment,
                           contract=contract.replaced(replaced, meta if isinstance(meta, dict) else None),
                           changed=tuple(k for k, e in replaced.items() if e is not None and k[0] != AMENDMENTS)))
    return out
