"""Schema validation: every document against the JSON Schema of its kind, all problems at once.

Schemas mark references with the annotation keyword `x-ref` (the collection the value must
name). Validation records them on the way, so the linker checks references without knowing
the shape of any entity.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

from generator.core import codes, examples
from generator.core.load import Document
from generator.core.problems import Problem, excerpt
from generator.core.schemas import SCHEMA_DIR, json_path, matches, schema_for


@dataclass(frozen=True)
class Reference:
    """A value that must be the id of an entity of `target` (a collection name)."""
    target: str
    value: str
    file: str
    line: int
    column: int
    json_path: str


def _record_ref(validator, target, instance, schema):
    if isinstance(instance, str):
        yield ValidationError("reference", validator="x-ref", validator_value=target, instance=instance)


def _refuse_placeholders(validator, placeholders, instance, schema):
    """`x-placeholders` on a schema: no text below it may still hold one of these markers (what
    `contrat amendment draft` writes for the editor to fill in)."""
    def walk(node, path):
        if isinstance(node, str):
            found = [p for p in placeholders if p in node]
            if found:
                yield ValidationError("placeholder", validator="x-placeholders", validator_value=found[0],
                                      instance=node, path=path)
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, [*path, key])
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, [*path, index])
    yield from walk(instance, [])


def _pattern(validator, pattern, instance, schema):
    if isinstance(instance, str) and not matches(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"x-ref": _record_ref, "x-placeholders": _refuse_placeholders,
                                                      "pattern": _pattern})


@cache
def _validator(kind: str, schema_dir: Path = SCHEMA_DIR):
    return _Validator(schema_for(kind, schema_dir), format_checker=Draft202012Validator.FORMAT_CHECKER)


def conforms(data, kind: str) -> bool:
    """Whether data follows its schema (references to other entities are not checked here)."""
    return not any(error.validator != "x-ref" for error in _validator(kind).iter_errors(data))


# Keywords that judge a value's form: one problem per value, the most telling one (a draft's
# placeholder date « aaaa-mm-jj » fails the placeholder rule, the pattern and the format alike).
_FORM_RANK = {"x-placeholders": 0, "pattern": 1, "format": 2}


def validate_document(doc: Document, kind: str) -> tuple[list[Problem], list[Reference]]:
    problems: list[Problem] = _schema_line(doc, kind)
    refs: list[Reference] = []
    found = _examples(doc, kind)
    form: dict = {path: None for path in found}  # an example's form is not judged: it is to be replaced
    for error in _validator(kind).iter_errors(doc.data):
        path = tuple(error.absolute_path)
        if error.validator == "x-ref":
            line, col = doc.mark(path)
            refs.append(Reference(error.validator_value, error.instance, doc.file, line, col, json_path(path)))
        elif error.validator in _FORM_RANK:
            if path not in form or form[path] is not None and _FORM_RANK[error.validator] < _FORM_RANK[form[path].validator]:
                form[path] = error
        else:
            problems.extend(_problems_for(error, doc, path))
    for path, error in form.items():
        if error is not None:
            problems.extend(_problems_for(error, doc, path))
    for items in found.values():
        problems.extend(items)
    return problems, refs


def _schema_line(doc: Document, kind: str) -> list[Problem]:
    """The editor's schema comment, when the file has one, names the schema of the file's kind (any folder)."""
    if doc.schema_line is None:
        return []
    line, column, target = doc.schema_line
    expected = f"{kind}.schema.json"
    named = target.rsplit("/", 1)[-1]
    if named == expected:
        return []
    return [Problem(doc.file, line, column, codes.SCHEMA_LINE,
                    f"la ligne « $schema= » désigne « {excerpt(named)} » ; ce fichier suit le schéma « {expected} » : "
                    f"écrivez « $schema={excerpt(target[:len(target) - len(named)])}{expected} », sans quoi l'éditeur "
                    "le vérifie et le complète avec un autre schéma")]


def _examples(doc: Document, kind: str) -> dict[tuple, list[Problem]]:
    """Every example marker of `contrat nouveau` left in a value of the document, at its line and column,
    by the path of the value (core.examples declares them)."""
    found: dict[tuple, list[Problem]] = {}

    def walk(node, path):
        if isinstance(node, str):
            for offset, marker in examples.find(node):
                line, column = doc.text_position(path, node, offset)
                leaf = _subschema(schema_for(kind), path)
                title = leaf.get("title")
                expected = leaf.get("x-expected") or leaf.get("description")
                found.setdefault(path, []).append(Problem(
                    doc.file, line, column, codes.EXAMPLE_VALUE,
                    f"{_field(path)}" + (f" ({title})" if title and path else "")
                    + f" : « {marker} » est un exemple de « contrat nouveau », à remplacer par la valeur de votre contrat"
                    + (" (renommez aussi le fichier)" if path == ("id",) else "")
                    + (f" ; attendu : {expected}" if expected else ""), json_path(path)))
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, index))
    walk(doc.data, ())
    return found


def _field(path) -> str:
    names = [p for p in path if isinstance(p, str)]
    return f"« {names[-1]} »" if names else "le document"


def _where(path) -> str:
    return f" dans {_field(path)}" if path else ""


_TYPES = {"string": "un texte", "integer": "un nombre entier", "number": "un nombre", "object": "un ensemble de champs « clé: valeur »",
          "array": "une liste (lignes commençant par « - »)", "boolean": "true ou false", "null": "une valeur vide"}


def _describe(value) -> str:
    if value is None:
        return "une valeur vide"
    if isinstance(value, bool):
        return f"le booléen {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"le nombre {value!r}"
    if isinstance(value, str):
        return f"le texte « {value if len(value) < 60 else value[:57] + '…'} »"
    if isinstance(value, list):
        return "une liste"
    return "un ensemble de champs"


def _subschema(schema: dict, path) -> dict:
    """The schema that describes the value at `path` below `schema` (properties and items only)."""
    for part in path:
        schema = schema.get("items", {}) if isinstance(part, int) else schema.get("properties", {}).get(part, {})
    return schema


def _problems_for(error: ValidationError, doc: Document, path) -> list[Problem]:
    kw, schema, value = error.validator, error.schema, error.instance
    assert isinstance(schema, dict)  # the project's schemas are objects, never booleans
    rule: Any = error.validator_value  # the keyword's value in the schema (a list for required, enum, anyOf, type)
    expected = schema.get("x-expected")
    label = schema.get("title")
    what = f"{_field(path)}" + (f" ({label})" if label and path else "")
    jp = json_path(path)

    def at(line_col, code, message, p=path):
        return Problem(doc.file, line_col[0], line_col[1], code, message, json_path(p))

    if kw == "type":
        wanted = " ou ".join(_TYPES.get(w) or w for w in (rule if isinstance(rule, list) else [rule]))
        if wanted == "un texte" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return [at(doc.mark(path), codes.WRONG_TYPE,
                       f"{what} : {value!r} est lu comme un nombre ; un texte est attendu : "
                       f"écrivez-le entre guillemets, par exemple \"{value!r}\"")]
        return [at(doc.mark(path), codes.WRONG_TYPE, f"{what} : {wanted} attendu, trouvé {_describe(value)}")]
    if kw == "required":
        missing = [name for name in rule if isinstance(value, dict) and name not in value]
        msgs = []
        props = schema.get("properties", {})
        for name in missing:
            desc = props.get(name, {}).get("description", "")
            msgs.append(at(doc.mark(path), codes.MISSING_FIELD,
                           f"champ obligatoire « {name} » manquant{_where(path)}" + (f" : {desc}" if desc else "")))
        return msgs
    if kw == "additionalProperties":
        known = ", ".join(sorted(schema.get("properties", {})))
        extras = [k for k in value if k not in schema.get("properties", {})] if isinstance(value, dict) else []
        return [at(doc.key_mark(path + (k,)), codes.UNKNOWN_FIELD,
                   f"champ inconnu « {k} »{_where(path)} ; champs possibles : {known}", path + (k,))
                for k in extras]
    if kw == "pattern":
        return [at(doc.mark(path), codes.WRONG_FORM,
                   f"{what} : {_describe(value)} n'a pas la forme attendue"
                   + (f" : {expected}" if expected else f" (motif {error.validator_value})"))]
    if kw == "x-placeholders":
        leaf = _subschema(schema, path)
        title = leaf.get("title")
        return [at(doc.mark(path), codes.UNFINISHED_DRAFT,
                   f"{_field(path)}" + (f" ({title})" if title else "")
                   + f" : « {error.validator_value} » est à remplacer, le brouillon n'est pas terminé ; attendu : "
                   + (leaf.get("x-expected") or leaf.get("description") or "la valeur définitive"))]
    if kw == "enum":
        allowed = ", ".join(f"« {v} »" for v in rule)
        return [at(doc.mark(path), codes.VALUE_NOT_ALLOWED, f"{what} : {_describe(value)} n'est pas une valeur permise ; valeurs possibles : {allowed}")]
    if kw == "format":
        return [at(doc.mark(path), codes.WRONG_FORM, f"{what} : {_describe(value)} n'est pas valide"
                   + (f" : {expected}" if expected else f" (format {error.validator_value})"))]
    if kw in ("minLength", "minItems"):
        return [at(doc.mark(path), codes.SCHEMA_RULE, f"{what} : ne doit pas être vide")]
    if kw in ("maxLength", "maxItems"):
        unit = "caractères" if kw == "maxLength" else "éléments"
        return [at(doc.mark(path), codes.SCHEMA_RULE, f"{what} : trop long ; au plus {error.validator_value} {unit} attendus")]
    if kw == "uniqueItems":
        return [at(doc.mark(path), codes.SCHEMA_RULE, f"{what} : la liste contient deux fois la même valeur")]
    if kw in ("minimum", "maximum"):
        bound = "au moins" if kw == "minimum" else "au plus"
        return [at(doc.mark(path), codes.SCHEMA_RULE, f"{what} : {_describe(value)} ; {bound} {error.validator_value} attendu")]
    if kw == "anyOf" and all(list(sub) == ["required"] for sub in rule):
        names = ", ".join(f"« {n} »" for sub in rule for n in sub["required"])
        return [at(doc.mark(path), codes.MISSING_FIELD, (f"{what} : " if path else "")
                   + f"il faut au moins un de ces champs : {names}"
                   + (f" ; attendu : {expected}" if expected else ""))]
    if kw == "minProperties":
        return [at(doc.mark(path), codes.SCHEMA_RULE, f"{what} : au moins un champ attendu")]
    return [Problem(doc.file, *doc.mark(path), codes.SCHEMA_RULE, f"{what} : valeur refusée ({error.message})", jp)]
