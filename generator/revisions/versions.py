"""The contract as it stood on any date: the initial version, then the version after each amendment.

A version is today's model with the entities that amendments changed set back to how they read
then, taken from the git history that history.collect gathered (the files changed by the commit
that added each amendment, before and after it). Old data is not checked against today's rules. Without that history
(no git, or amendments not yet committed) there are no versions to show.
"""
from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from generator.core.model import Contract, Entity
from generator.revisions.history import History, Refused

AMENDMENTS = "amendments"
PARTS = "parts"  # key of a part of the text in Version.pages (not a collection)


@dataclass(frozen=True)
class Version:
    slug: str                    # its folder under versions/: "initiale", "revision-1", …
    start: str                   # in force from (ISO date)
    end: str | None              # until the next version starts, or the contract's end (None: not known)
    amendment: Entity | None     # the amendment it starts with (None: the initial version)
    contract: Contract           # the contract as it read then
    changed: tuple               # (collection, id) of the entities some amendment changes, present then
    pages: Mapping = field(default_factory=dict)  # (collection, id) of those, and (PARTS, part id) -> the version whose
                                           # folder holds its page as it read then (shared while it does not change)
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
    changed = sorted({key for d in history.diffs.values() for c in d.changes for key in (c.key, c.to)
                      if key and key != "contrat" and not key.startswith(AMENDMENTS + "/")})
    meta_changed = any(c.key == "contrat" for d in history.diffs.values() for c in d.changes)
    keys = changed + (["contrat"] if meta_changed else [])
    touching: dict[str, list[int]] = {key: [] for key in keys}  # key -> the amendments (indices) whose commit touched it
    for j, (before, after) in enumerate(states):
        for key in set(before) | set(after):
            if key in touching:
                touching[key].append(j)

    def then(key: str, index: int):
        """The data of `key` in version `index` (0: initial; k: after amendment k), None if absent: as the
        last amendment up to this version that touched it left it, else as the next one found it."""
        js = touching[key]
        k = bisect.bisect_left(js, index)
        if k:
            return states[js[k - 1]][1].get(key)
        return states[js[k]][0].get(key) if k < len(js) else None

    out: list[Version] = []
    previous: dict | None = None  # the data and page holders of the version before, when it was shown
    for index in range(len(amendments) + 1):
        data = {key: then(key, index) for key in keys}
        refused = next((d for d in data.values() if isinstance(d, Refused)), None)
        amendment = amendments[index - 1] if index else None
        slug = f"revision-{amendment.id}" if amendment else "initiale"
        dates = dict(start=amendment.data["date"] if amendment else contract.meta["signature"]["date"],
                     end=amendments[index].data["date"] if index < len(amendments) else _end(contract))
        if refused:  # shown as unavailable rather than rendered from data today's templates cannot read
            out.append(Version(slug, **dates, amendment=amendment, contract=contract, changed=(),
                               unavailable=f"les données de {refused.key} {refused.where} ne suivent pas les schémas actuels"))
            previous = None
            continue
        replaced = {tuple(key.split("/", 1)): _entity(key, data[key]) for key in changed}
        replaced.update({(AMENDMENTS, a.id): None for a in amendments[index:]})  # not adopted yet then
        meta = data.get("contrat")
        then_contract = contract.replaced(replaced, meta if isinstance(meta, dict) else None)
        # What each page shows: an entity's data; a part of the text, its heading and its sections' data.
        shown = {k: data["/".join(k)] for k, e in replaced.items() if e is not None and k[0] != AMENDMENTS}
        shown.update({(PARTS, part["id"]): (part, [(k, d) for k, d in sorted(shown.items()) if k[0] == "sections"
                                                  and d.get("part") == part["id"]])
                      for part in then_contract.meta["parts"]})
        holders = {k: previous["holders"][k] if previous and k in previous["holders"] and previous["shown"].get(k) == d else slug
                   for k, d in shown.items()}
        previous = {"shown": shown, "holders": holders}
        out.append(Version(slug, **dates, amendment=amendment, contract=then_contract,
                           changed=tuple(k for k in shown if k[0] != PARTS), pages=MappingProxyType(holders)))
    return out
