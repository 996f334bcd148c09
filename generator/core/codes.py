"""The catalogue of problem codes: each code once, with its French title and what shows it.

A module that reports a problem names its code here (`codes.DUPLICATE_KEY`), never as a literal. The
README table (« Valider les données ») says the same titles, and every code is shown by an invalid case
(a folder of tests/cases/invalid/) or, when no case can show it, by named tests: tests/test_codes.py
checks all of it both ways. This module imports nothing from the engine.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Code:
    code: str                    # as printed: « CV101 »
    title: str                   # the README row, word for word
    cases: tuple[str, ...] = ()  # folders of tests/cases/invalid/ whose expected problems have this code
    tests: tuple[str, ...] = ()  # « tests/test_x.py::test_y », only for a code no invalid case can show


_defined: dict[str, Code] = {}
CATALOGUE: Mapping[str, Code] = MappingProxyType(_defined)  # by code, in the README's order


def _code(code: str, title: str, *, cases: tuple[str, ...] = (), tests: tuple[str, ...] = ()) -> str:
    if code in _defined:
        raise ValueError(f"{code} defined twice")
    _defined[code] = Code(code, title, cases, tests)
    return code


# Reading a file as YAML
YAML_SYNTAX = _code("CV101", "syntaxe YAML (indentation, deux-points, guillemet non fermé, tabulation)",
                    cases=("syntax-error", "tab-indentation"))
DUPLICATE_KEY = _code("CV102", "clé en double", cases=("duplicate-key",))
YAML_ALIAS = _code("CV103", "ancre, alias ou clé de fusion (interdits, ce qui écarte aussi les « bombes d'alias »)",
                   cases=("alias-bomb",))
YAML11_BOOLEAN = _code("CV104", "`yes`, `no`, `on`, `off`… qui seraient lus comme des booléens",
                       cases=("yaml11-boolean",))
UNQUOTED_DATE = _code("CV105", "date non entre guillemets", cases=("unquoted-date",))
NUMBER_TRAP = _code("CV106", "nombre piège : `010` (octal), `1.10` (lu 1.1), nombre de plus de 15 chiffres",
                    cases=("octal-number", "decimal-trap", "big-integer"))
NOT_UTF8 = _code("CV107", "fichier qui n'est pas en UTF-8", cases=("non-utf8",))
YAML_TAG = _code("CV108", "étiquette YAML explicite (`!!python/…`)", cases=("explicit-tag",))
NOT_ONE_DOCUMENT = _code("CV109", "fichier vide ou à plusieurs documents", cases=("empty-file", "two-documents"))

# The schemas: one problem per value
WRONG_TYPE = _code("CV201", "type inattendu : un texte, un nombre, une liste… attendu (un identifiant `1.2` sans "
                            "guillemets est lu comme un nombre)",
                   cases=("wrong-type", "unquoted-numeric-id", "parts-not-a-list"))
MISSING_FIELD = _code("CV202", "champ obligatoire manquant, ou aucun des champs dont l'un au moins est attendu",
                      cases=("missing-required", "quote-without-source", "without-sources"))
UNKNOWN_FIELD = _code("CV203", "champ inconnu (les champs possibles sont donnés)", cases=("unknown-field",))
WRONG_FORM = _code("CV204", "valeur qui n'a pas la forme attendue (identifiant, date…)",
                   cases=("pattern-mismatch", "malformed-date", "huge-annex-id"))
VALUE_NOT_ALLOWED = _code("CV205", "valeur hors de la liste des valeurs permises (elles sont données)",
                          cases=("enum-value",))
SCHEMA_RULE = _code("CV206", "autre règle du schéma : liste ou texte vide, texte trop long, nombre hors des bornes, "
                             "valeur en double dans une liste",
                    cases=("event-without-source", "long-id", "huge-section-order"))
UNFINISHED_DRAFT = _code("CV207", "brouillon d'avenant non terminé : « À COMPLÉTER » ou « aaaa-mm-jj » encore présent "
                                  "(le champ est nommé)",
                         cases=("amendment-placeholders",))
EXAMPLE_VALUE = _code("CV208", "exemple de `contrat nouveau` encore présent : « À REMPLACER », « AAAA-MM-JJ » ou "
                               "« a-remplacer » (chacun est nommé, à sa ligne et sa colonne)",
                      cases=("scaffold-examples",))
SCHEMA_LINE = _code("CV209", "ligne `# yaml-language-server: $schema=…` qui désigne le schéma d'un autre type de "
                             "fichier : l'éditeur le vérifierait et le compléterait avec un autre schéma",
                    cases=("schema-line",))

# The contract as a whole: its folder, its links, its source document, its site
UNKNOWN_REFERENCE = _code("CV301", "référence à un identifiant inexistant",
                          cases=("unknown-reference", "unknown-commitment-item"))
DUPLICATE_ID = _code("CV302", "identifiant en double", cases=("duplicate-id",))
FILE_NAME_NOT_ID = _code("CV303", "nom de fichier différent de l'identifiant", cases=("filename-id-mismatch",))
NUMBERING = _code("CV304", "numérotation interrompue ou incohérente (niveaux de la stratégie, ordre des sections)",
                  cases=("numbering-gap", "large-numbering-gap", "section-order-gap"))
COUNT_MISMATCH = _code("CV305", "nombre déclaré par le contrat (`counts` de `contrat.yaml`) différent des données",
                       cases=("count-mismatch",))
FOLDER_LAYOUT = _code("CV306", "fichier ou dossier inattendu, `contrat.yaml` manquant", cases=("unknown-folder",))
PROSE_REFERENCE = _code("CV307", "renvoi dans le texte (un numéro « 2.4.3 », ou le nom d'un niveau de la structure "
                                 "suivi d'un numéro : « défi 3 ») vers une entité inexistante",
                        cases=("prose-reference",))
SOURCE_DOCUMENT = _code("CV308", "document source déclaré absent ou modifié (empreinte SHA-256 différente)",
                        cases=("source-missing", "source-checksum"))
SOURCE_LINES = _code("CV309", "`source_lines` mal formé ou hors du document source (ou ligne déclarée « pas du "
                              "contenu » qui n'existe pas) ; repère de page (`source_document.pages`) hors du "
                              "document ou dans le désordre",
                     cases=("source-lines-range", "page-markers"))
TEXT_NOT_IN_SOURCE = _code("CV310", "texte introuvable dans les lignes du document source qu'il cite, ou texte sans "
                                    "`source_lines`",
                           cases=("text-not-in-source",))
LINE_NOT_TRANSCRIBED = _code("CV311", "ligne de contenu du document source transcrite nulle part (paragraphe "
                                      "supprimé, passage modifié)",
                             cases=("line-not-transcribed",))
QUOTATION_DRIFT = _code("CV312", "citation différente du texte transcrit aux mêmes lignes (copie qui a dérivé)",
                        cases=("quotation-drift",))
TABLE_ROW = _code("CV313", "ligne de tableau différente de celle du document : cellule changée, permutée, manquante "
                           "ou en trop",
                  cases=("table-cell",))
PRINTED_NUMBER = _code("CV314", "numéro imprimé (« 1.1.13- ») qui n'est pas celui de l'entité (élément déplacé ou "
                                "renuméroté)",
                       cases=("printed-number",))
AMENDED_WORDING = _code("CV315", "texte différent de la nouvelle rédaction que déclare un avenant ou une rectification",
                        cases=("amended-wording",))
RESERVED_ID = _code("CV316", "identifiant réservé (`index`) pour une entité qui a sa page : elle remplacerait la page "
                             "qui liste sa collection",
                    cases=("reserved-id",))
PUBLISHED_ADDRESS = _code(
    "CV320", "adresse publiée (ligne de `contract/adresses-publiees.txt`) que le site ne sert plus, ni par une page "
             "ni par une redirection ; liste illisible ; redirection déclarée dans `mkdocs.yml` refusée (à sa ligne) : "
             "elle ne part pas d'une page, masquerait une page ou un fichier publié (données, flux, index de "
             "recherche), ou ne mène pas à une page du site ou à une ancre qu'il publie. Vérifié à la construction "
             "du site (voir « Adresses publiées »)",
    tests=("tests/test_addresses.py::test_renamed_sheet_without_redirect_fails_with_the_line_and_what_to_do",
           "tests/test_addresses.py::test_unreadable_list_is_a_problem",
           "tests/test_untrusted.py::test_a_redirect_that_collides_with_a_published_file_is_cv320"))
SITE_SETTINGS = _code(
    "CV330", "configuration du site refusée (`mkdocs.yml`, à sa ligne) : ce qui ferait exécuter du code Python à la "
             "lecture (`hooks:`, étiquette `!!python/…`, greffon autre que `contrat`, `redirects` et `search`, "
             "extension Markdown hors de Markdown et des paquets du moteur, dans le fichier comme dans ceux qu'il "
             "hérite par `INHERIT`) ; adresse du site ou du dépôt (`site_url`, `repo_url`, variables "
             "`CONTRAT_SITE_URL`, `CONTRAT_REPO_URL`) qui n'est pas une simple adresse `https://` (`http://` en "
             "local) ; contact (`extra.contact_email`, `CONTRAT_CONTACT_EMAIL`) qui n'est pas une simple adresse "
             "électronique. Vérifié par `contrat build` et `make serve`",
    tests=("tests/test_untrusted.py::test_configuration_that_would_run_code_is_refused",
           "tests/test_untrusted.py::test_configuration_values_are_checked_on_reading"))

# The contract's structure (« structure » in contrat.yaml)
UNDECLARED_LEVEL = _code("CV340", "éléments d'un niveau de la stratégie que la structure du contrat ne déclare pas "
                                  "(un dossier `objectives/` pour un contrat d'un seul niveau)",
                         cases=("undeclared-level",))
DUPLICATE_LEVEL = _code("CV341", "niveau de la structure en double : même dossier, même nom ou même libellé court "
                                 "qu'un autre niveau, dossier déjà pris par une autre page du site, ou ancien dossier "
                                 "(`former_folders`) qui sert encore des pages",
                        cases=("duplicate-level",))
TOO_MANY_LEVELS = _code("CV342", "plus de quatre niveaux dans la structure du contrat",
                        cases=("too-many-levels",))
TABLE_NAME = _code("CV343", "table des données ouvertes d'un niveau (`table`, par défaut son dossier) qui porte le "
                            "nom d'une autre table ou d'un autre fichier publié, ou dont le nom dépasse 31 caractères "
                            "(la limite d'un nom de feuille de classeur)",
                   cases=("table-name",))
NUMBER_PATTERN = _code("CV346", "numéro affiché d'un niveau (`number` de la structure) mal formé : repère inconnu, "
                                "accolade seule, `{parent}` au premier niveau, ou rang absent (`{n}`, `{A}`, `{I}`…)",
                       cases=("number-pattern",))

# Territories
QPV_CODE_TWICE = _code("CV350", "code de quartier prioritaire (`qpv_code`) porté par deux territoires",
                       cases=("qpv-code-twice",))

# Bounds and safety
NOT_A_FILE = _code("CV401", "lien symbolique, tube, périphérique ou sous-module dans le dossier du contrat (jamais "
                            "suivi ni ouvert)",
                   tests=("tests/test_safety.py::test_symlinks_in_the_contract_are_problems_and_never_read",
                          "tests/test_safety.py::test_a_fifo_is_a_problem_and_never_opened"))
UNREADABLE = _code("CV402", "fichier ou dossier illisible (droits d'accès)",
                   tests=("tests/test_safety.py::test_unreadable_files_and_folders_are_problems",))
TOO_LARGE = _code("CV403", "fichier trop gros (plus de 2 Mio ; 20 Mio pour le document source)",
                  tests=("tests/test_safety.py::test_a_file_too_large_is_not_read",))
TOO_DEEP = _code("CV404", "imbrication trop profonde (plus de 32 niveaux de listes et de champs)",
                 cases=("deep-nesting",))
FORBIDDEN_CHARACTER = _code(
    "CV405", "caractère interdit : caractère de contrôle (sauf tabulation et fin de ligne) ou de direction du texte "
             "(U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), non-caractère que XML ne peut porter "
             "(U+FDD0–U+FDEF, U+FFFE, U+FFFF et les deux derniers de chaque plan), demi-code de substitution écrit "
             "en échappement ; nommé par son code",
    cases=("bidi-control", "escaped-control", "noncharacter-fffe", "noncharacter-escaped"))
STATISTICS_ROW = _code("CV406", "tableau statistique dont une ligne n'a pas une cellule par colonne",
                       cases=("statistics-row-length",))
RAW_HTML = _code("CV407", "HTML brut dans un texte hors de la liste permise (`<sup>`, `<sub>`, `<u>`, `<br>`…), fermé "
                          "ou non",
                 cases=("raw-html-closed", "raw-html-unclosed"))
EXTERNAL_IMAGE = _code("CV408", "image dans un texte qui ne vient pas du dépôt (adresse `http(s)://` ou autre site)",
                       cases=("external-image",))
ATTRIBUTE_LIST = _code("CV409", "liste d'attributs Markdown (`{: #id .classe }`) dans un texte : les textes du contrat "
                                "n'en ont pas besoin, et un identifiant ou une classe prendrait la place de ce que lit "
                                "le thème (`#__config`) ; écrivez `\\{` pour une accolade",
                       cases=("attribute-list",))
MARKDOWN_COST = _code("CV410", "texte au coût de mise en page non borné : paragraphe de plus de 10 000 caractères, ou "
                               "de plus de 500 signes de ponctuation ou de mise en forme (`[`, `*`, `_`, `.`…)",
                      cases=("markdown-cost",))
