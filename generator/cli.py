"""`contrat`: a thin command line over the library. Exit 0 clean, 1 problems, 2 usage."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator.check.pipeline import check
from generator.core.problems import report
from generator.engine.engines import NAMES as ENGINES
from generator.publish import export

# argparse's own words, in French (it looks `_` up at call time).
_FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "expected one argument": "une valeur est attendue",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
}
argparse._ = lambda text: _FRENCH.get(text, text)  # type: ignore[attr-defined]  # argparse's gettext hook, not declared in typeshed


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="contrat", description="Valider, exporter et publier un contrat de ville décrit en YAML.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    def contract_arg(p):
        p.add_argument("--contract", metavar="DOSSIER", type=Path, default=Path("contract"),
                       help="dossier des données du contrat (défaut : contract)")

    p = sub.add_parser("validate", help="vérifier les données : schémas, références, numérotation, nombres déclarés")
    contract_arg(p)
    p.add_argument("--format", choices=("text", "github", "json"), default="text",
                   help="text (défaut), github (annotations de workflow) ou json")

    p = sub.add_parser("build", help="construire le site statique (échec : le site précédent reste intact)")
    contract_arg(p)
    p.add_argument("--config", metavar="FICHIER", type=Path, default=Path("mkdocs.yml"), help="configuration mkdocs (défaut : mkdocs.yml)")
    p.add_argument("--site-dir", metavar="DOSSIER", type=Path, default=Path("site"), help="dossier du site (défaut : site)")
    p.add_argument("--sans-pdf", action="store_true", help="ne pas produire le PDF de la version imprimable (plus rapide)")
    p.add_argument("--moteur", choices=ENGINES, default=None,
                   help="moteur de publication : mkdocs (défaut), properdocs (pris d'office quand MkDocs n'est pas installé) "
                        "ou zensical")

    p = sub.add_parser("diff", help="comparer deux versions du contrat comme données (défaut : main et la copie de travail)")
    contract_arg(p)
    p.add_argument("base", nargs="?", default="main", help="révision git de départ (défaut : main)")
    p.add_argument("head", nargs="?", default=None, help="révision git d'arrivée (défaut : la copie de travail)")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text", help="text (défaut), markdown ou json")

    p = sub.add_parser("amendment", help="avenants : vérifier qu'une modification est déclarée, préparer un avenant")
    amend = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, text in (("check", "vérifier que les modifications depuis --base sont exactement celles que déclare un nouvel avenant"),
                       ("draft", "écrire un brouillon d'avenant qui déclare les modifications depuis --base")):
        q = amend.add_parser(name, help=text)
        contract_arg(q)
        q.add_argument("--base", default="main", help="révision git de départ (défaut : main)")

    p = sub.add_parser("nouveau", help="créer le dépôt d'un nouveau contrat : données d'exemple à remplacer, schémas, mkdocs.yml, pages")
    p.add_argument("dossier", metavar="DOSSIER", type=Path, help="dossier à créer (nouveau ou vide)")

    p = sub.add_parser("export", help="exporter les données ouvertes en JSON ou CSV")
    contract_arg(p)
    p.add_argument("--format", choices=("json", "csv"), default="json", help="json (défaut) ou csv")
    p.add_argument("--table", metavar="TABLE", default=None,
                   help="table CSV à exporter, nommée comme son fichier (« territoires » pour territoires.csv) "
                        "(défaut : celle du niveau le plus fin de la structure)")
    p.add_argument("-o", "--output", metavar="FICHIER", help="fichier de sortie (défaut : sortie standard)")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help, 2 for usage errors
        return int(exc.code or 0)
    if args.command in ("diff", "amendment"):
        from generator.revisions.commands import run
        return run(args)
    if args.command == "nouveau":
        return _new(args.dossier)
    if args.command == "build":
        from generator.engine.build import build_site
        return build_site(args.config, args.contract, args.site_dir, pdf=not args.sans_pdf, engine=args.moteur)
    if args.command == "export" and args.output is not None:
        refused = _output_refused(args.output)
        if refused:
            print(f"contrat : {refused}", file=sys.stderr)
            return 2
    result = check(args.contract)
    if args.command == "validate":
        output = report(result.problems, args.format)
        if output:
            print(output)
        return 0 if result.ok else 1
    if not result.ok:
        print(report(result.problems, "text"), file=sys.stderr)
        print("Export impossible : corrigez d'abord les problèmes ci-dessus.", file=sys.stderr)
        return 1
    assert result.contract is not None  # no problems: the contract was linked
    if args.format == "json":
        text = export.to_json(result.contract)
    else:
        published = export.tables_of(result.contract)
        wanted = args.table or export.default_table(result.contract).stem
        key = next((key for key, table in published.items() if wanted in (table.stem, key)), None)
        if key is None:
            print(f"contrat : ce contrat ne publie pas de table « {wanted} » ; ses tables : "
                  f"{', '.join(table.stem for table in published.values())}", file=sys.stderr)
            return 2
        text = export.to_csv(result.contract, key)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    return _write(Path(args.output), text)


def _output_refused(output: str) -> str | None:
    """Why `-o` cannot name the file to write, in French; None when it can."""
    if not output.strip():
        return "-o : le nom du fichier de sortie est vide"
    path = Path(output)
    if output.endswith(("/", os.sep)) or path.is_dir():
        return f"-o : « {output} » désigne un dossier ; donnez le nom du fichier à écrire"
    if not path.parent.is_dir():
        return f"-o : le dossier « {path.parent} » n'existe pas ; créez-le d'abord ou choisissez un autre fichier"
    return None


def _write(path: Path, text: str) -> int:
    """Write through a temporary file beside the target, then rename: never a half-written file, no leftover."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "x", encoding="utf-8", newline="") as out:
            out.write(text)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        print(f"contrat : écriture de « {path} » impossible : {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def _new(folder: Path) -> int:
    from generator.core import examples
    from generator.engine.new import SCHEMAS, Refused, create
    try:
        written = create(folder)
    except Refused as exc:
        print(f"contrat : {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"contrat : dossier « {folder} » impossible à créer : {exc.strerror or exc}", file=sys.stderr)
        return 1
    schemas = [name for name in written if name.startswith(f"{SCHEMAS}/")]
    print(f"Nouveau contrat créé dans {folder} ({len(written)} fichiers) :")
    print("\n".join(f"  {name}" for name in written if name not in schemas))
    print(f"  {SCHEMAS}/ : {len(schemas)} schémas JSON, désignés par la première ligne de chaque fichier YAML "
          "(complétion et vérification dans l'éditeur, hors ligne)")
    print(f"Remplacez chaque exemple « {examples.TEXT} » (« {examples.DATE} » pour une date, « {examples.ID} » dans "
          f"un identifiant et le nom de son fichier) : dans {folder}, « contrat validate » les liste tous ; puis "
          "« mkdocs serve » pour prévisualiser, « contrat build » pour publier.")
    return 0
