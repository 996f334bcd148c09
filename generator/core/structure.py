"""The contract's own structure: the levels of its strategy, as `contrat.yaml` declares them.

The engine has four generic slots for strategy items (registry.LEVELS: `axes`, `objectives`, `actions`,
`subactions`, each the parent of the next). A contract declares from one to four levels, mapped onto these
slots in order, and gives each its words: singular, plural, the name with its article, the short label before
a number, the folder of its pages, the value of the search page's « type » filter, the name of its open-data
table, and how the number of an item is shown (`number`: « {parent}.{n} » gives « 2.4.3 », « {n} » the rank alone, « {A} » a letter,
« {I} » a roman numeral). Ids, file names and addresses never change with it: an item's id reads
`parent.N` whatever number it shows. Nothing in the engine names a level: it asks the contract
(`Contract.structure.level(slot)`). A slot the contract does not declare stays empty and unused.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from generator.core.registry import COLLECTIONS, LEVELS
from generator.core.schemas import schema_for

NUMBERED = "strategique"  # the kind of a first-level item numbered 1, 2, 3…; another kind is named, not numbered
ARTICLE = re.compile(r"^(?:l['’]|la |le |les )", re.I)
# The placeholders of a level's `number`: its parent's number as shown, and its rank within its parent in
# figures, capital or small letters, capital or small roman numerals.
PARENT = "parent"
RANKS = ("n", "A", "a", "I", "i")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
TOKEN = re.compile(r"\{([^{}]*)\}|[{}]")  # a placeholder, or a brace that opens or closes none
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def number_problems(pattern: str, has_parent: bool) -> list[tuple[int, str]]:
    """What is wrong with a level's `number` pattern: (offset in the pattern, message), none when it is right.
    A pattern names its rank at least once, its parent only when the level has one, and no other placeholder;
    a brace is always part of a placeholder."""
    known = RANKS + ((PARENT,) if has_parent else ())
    problems, ranked = [], False
    for m in TOKEN.finditer(pattern):
        if m.group(1) is None:
            problems.append((m.start(), f"accolade « {m.group(0)} » seule : un repère s'écrit entre accolades, ex. « {{n}} »"))
        elif m.group(1) in RANKS:
            ranked = True
        elif m.group(1) == PARENT and not has_parent:
            problems.append((m.start(), "repère « {parent} » au premier niveau, qui n'a pas de niveau au-dessus"))
        elif m.group(1) not in known:
            problems.append((m.start(), f"repère « {m.group(0)} » inconnu ; repères possibles : "
                                        + ", ".join("{" + k + "}" for k in known)))
    if not ranked and not problems:  # else the problem found first is what hides the rank
        problems.append((0, "le rang de l'élément n'y figure pas ({n}, {A}, {a}, {I} ou {i}) : deux éléments "
                            "d'un même parent auraient le même numéro"))
    return problems


def _letters(rank: int) -> str:
    """1 → « A », 26 → « Z », 27 → « AA »."""
    out = ""
    while rank:
        rank, rest = divmod(rank - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def _roman(rank: int) -> str:
    out = ""
    for value, digits in ROMAN:
        count, rank = divmod(rank, value)
        out += digits * count
    return out


VOWELS = "aàâeéèêiîoôuûyh"  # the first letters before which « de », « ce » elide or change (« d'axes », « cet axe »)


def capital(text: str) -> str:
    """Its first letter in capital: « défis » → « Défis »."""
    return text[:1].upper() + text[1:]


def listed(words: list[str], last: str = " et ") -> str:
    """Words in a list, `last` before the last one: « axes, objectifs et fiches »."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + last + words[-1]


def de(noun: str) -> str:
    """« de » before a noun, elided before a vowel: « de fiche action », « d'engagement », « d'axes »."""
    return ("d'" if noun[:1].lower() in VOWELS else "de ") + noun


def of_the(named: str) -> str:
    """« de » before a name with its article, contracted: « de l'axe », « de la fiche », « du défi », « des défis »."""
    return "du " + named[3:] if named.startswith("le ") else "des " + named[4:] if named.startswith("les ") else "de " + named


def to_the(named: str) -> str:
    """« à » before a name with its article, contracted: « à l'axe », « à la fiche », « au défi », « aux défis »."""
    return "au " + named[3:] if named.startswith("le ") else "aux " + named[4:] if named.startswith("les ") else "à " + named


def slug(text: str) -> str:
    """Lower case, no accents, words joined by « - »: « Défi » → « defi »."""
    folded = "".join(ch for ch in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


@dataclass(frozen=True)
class Level:
    slot: str          # the engine's slot: « axes », « objectives », « actions » or « subactions »
    singular: str      # « fiche action », « défi »
    plural: str        # « fiches actions », « défis »
    article: str       # the name with its article, as a sentence names it in passing: « la fiche action », « le défi »
    short: str         # the label before a number: « Fiche 1.1.1 », « Défi 3 »
    folder: str        # the folder of its pages, a segment of their addresses: « fiches »
    search: str        # the search page's « type » filter value of its pages
    label: str         # before a number in a page's title (« Fiche action 1.1.1 — … »): the short label unless declared
    feminine: bool     # for the words that agree with it (« aucune fiche », « aucun défi »)
    names: str         # the plural of its name (the noun of `article`): « objectifs »; its plural unless declared
    passage: str       # how a passage of one of its items is introduced (« Fiche action »): its singular unless declared
    number: str = "{n}"  # how an item's number is shown (module docstring): « {parent}.{n} » below the first level
    table: str = ""    # the name of its open-data table (« fiches-actions »): its folder unless declared
    former: tuple[str, ...] = ()  # the folders its pages had before a change of folder: each keeps a redirect

    def shown(self, rank: str, parent: str) -> str:
        """The number of an item of rank `rank` (the last part of its id) under a parent shown as `parent`. A rank
        that is not a number (an axis named, not numbered) or too large for letters and roman numerals is shown as is."""
        ranked = int(rank) if rank.isdigit() and 0 < int(rank) < 4000 else None
        values = {PARENT: parent, "n": rank}
        if ranked is not None:
            values |= {"A": _letters(ranked), "a": _letters(ranked).lower(), "I": _roman(ranked), "i": _roman(ranked).lower()}
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), rank), self.number)

    @property
    def name(self) -> str:
        """The name without its article, as running text says it: « fiche action », « objectif »."""
        return ARTICLE.sub("", self.article)

    @property
    def heading(self) -> str:
        """Its plural as a heading: « Fiches actions »."""
        return capital(self.plural)

    @property
    def page(self) -> str:
        """The path pattern of its items' pages, filled by urls.py."""
        return self.folder + "/{id}.md"

    @property
    def printed(self) -> str:
        """The anchor pattern of its items on the printable page (« imprimer-defi-3 » for « Défi 3 »)."""
        return f"imprimer-{self.mark}-{{id}}"

    @property
    def mark(self) -> str:
        """Its short label as a name part (anchors, footnote labels): « axe », « defi »."""
        return slug(self.short)

    @property
    def e(self) -> str:
        """The ending of the words that agree with it: « précédente » or « précédent »."""
        return "e" if self.feminine else ""

    @property
    def the(self) -> str:
        """Its short label with its article: « la fiche », « l'axe », « le défi »."""
        found = ARTICLE.match(self.article)
        return (found.group(0).lower() if found else "") + self.short.lower()

    @property
    def of(self) -> str:
        """« de » before its name with its article: « de l'axe », « de la fiche action », « du défi »."""
        return of_the(self.article)

    @property
    def this(self) -> str:
        """Its short label after a demonstrative: « cette fiche », « cet axe », « ce défi »."""
        word = self.short.lower()
        return ("cette " if self.feminine else "cet " if word[:1] in VOWELS else "ce ") + word

    def kinds(self) -> tuple[tuple[str, str, str], ...]:
        """The kinds of its items, in schema order, as the site names them in the contract's words:
        (value, singular, plural). A numbered item is named by its level's own words (« axe stratégique »,
        « défi »), another by its level's name and the qualifier its schema gives the kind (`x-labels`, or
        `x-feminine-labels` for a feminine name): « axe transversal », « axes transversaux »."""
        spec = schema_for(COLLECTIONS[self.slot].schema)["properties"].get("kind")
        if spec is None:  # a level whose items have no kind
            return ()
        qualifiers = spec["x-feminine-labels"] if self.feminine else spec["x-labels"]
        return tuple((value, self.singular, self.plural) if value == NUMBERED else
                     (value, f"{self.name} {qualifiers[value][0]}", f"{self.names} {qualifiers[value][1]}")
                     for value in spec["enum"])

    def kind_name(self, value: str, plural: bool = False) -> str | None:
        """The name of one kind of its items (kinds); None for a kind its schema does not know."""
        return next((many if plural else one for v, one, many in self.kinds() if v == value), None)

    def none(self) -> str:
        """« aucune fiche action », « aucun défi »."""
        return ("aucune " if self.feminine else "aucun ") + self.singular

    def count(self, n: int) -> str:
        """« 1 défi », « 3 fiches actions »."""
        return f"{n} {self.plural if n > 1 else self.singular}"

    @property
    def brief_plural(self) -> str:
        """The first word of the plural of its name, where the menu names all levels at once (« fiches »)."""
        return self.names.split()[0]

    def brief_count(self, n: int) -> str:
        """« 1 objectif », « 3 objectifs »: the count with its name."""
        return f"{n} {self.names if n > 1 else self.name}"


@dataclass(frozen=True)
class Structure:
    levels: tuple[Level, ...]

    def level(self, slot: str) -> Level:
        """The level a slot holds; a KeyError for a slot the contract does not use."""
        for level in self.levels:
            if level.slot == slot:
                return level
        raise KeyError(f"slot {slot!r} is not used by this contract")

    def has(self, slot: str) -> bool:
        return any(level.slot == slot for level in self.levels)

    def names(self, article: str = "") -> str:
        """The plurals of its levels' names in a list: « axes, objectifs et fiches actions » (each after
        `article` when given: « les axes, les objectifs et les fiches actions »)."""
        return listed([article + level.names for level in self.levels])

    @property
    def slots(self) -> tuple[str, ...]:
        return tuple(level.slot for level in self.levels)

    @property
    def sheets(self) -> str:
        """The slot whose items carry a sheet's rubrics (pilot, partners, funding, territories…) and the relations
        derived from them: the finest level declared, when it is the third or the fourth; else the third, which
        such a contract leaves empty."""
        return self.slots[-1] if self.slots and self.slots[-1] in LEVELS[2:] else LEVELS[2]

    def of(self, collection: str) -> Level | None:
        """The level of a collection, None for a collection that is not a level (territories…)."""
        return next((level for level in self.levels if level.slot == collection), None)

    def words(self, collection: str) -> tuple[str, str, str]:
        """(singular, plural, name with its article) of a collection, for messages: a level's as declared,
        another collection's (or a slot the contract does not declare) as the registry names it."""
        level = self.of(collection)
        if level:
            return level.singular, level.plural, level.article
        kind = COLLECTIONS[collection]
        return kind.singular, kind.plural, kind.article


def structure_of(meta: Mapping) -> Structure:
    """The structure contrat.yaml declares. Tolerant of a document the schema refuses (the check stage
    says what is wrong): levels beyond the slots, or not mappings, are left out."""
    declared = meta.get("structure")
    levels = []
    for slot, item in zip(LEVELS, declared if isinstance(declared, list) else ()):
        if not isinstance(item, Mapping) or not all(isinstance(item.get(k), str) for k in ("singular", "plural", "article", "short", "folder")):
            continue
        singular = item["singular"]
        levels.append(Level(slot, singular, item["plural"], item["article"], item["short"], item["folder"],
                            item.get("search") or slug(item["short"]), item.get("label") or item["short"],
                            item.get("feminine") is True, item.get("names") or item["plural"],
                            item.get("passage") or capital(singular),
                            number=number if isinstance(number := item.get("number"), str) else "{n}" if slot == LEVELS[0] else "{parent}.{n}",
                            table=item.get("table") or item["folder"],
                            former=tuple(f for f in former if isinstance(f, str))
                            if isinstance(former := item.get("former_folders"), list) else ()))
    return Structure(tuple(levels))
