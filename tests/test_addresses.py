"""Published addresses are a public interface: the list each build publishes, the check against the
list last published (contract/adresses-publiees.txt), and the redirects a page leaves when it moves."""
import logging
import re
import shutil

import pytest
import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from generator.publish import addresses
from generator.engine.build import build_site
from generator.check.pipeline import ADDRESSES_FILE, check
from tests.conftest import CONTRACT, HOSTILE, MINI, ROOT, build, declare_renumbering, drop_source, h1

LINE = re.compile(r"^(\./|([a-z0-9][a-z0-9.\-]*/)+)(#[A-Za-z0-9][A-Za-z0-9_.\-]*)?$")


def test_real_site_publishes_the_committed_list(real_site):
    built = (real_site / addresses.PUBLISHED).read_text(encoding="utf-8")
    committed = (CONTRACT / ADDRESSES_FILE).read_text(encoding="utf-8")
    assert built == committed, (f"Les adresses du site ont changé : vérifiez chaque adresse retirée (redirection ?), puis "
                                f"copiez le « {addresses.PUBLISHED} » du site construit dans contract/{ADDRESSES_FILE}")
    lines = built.splitlines()
    assert built.endswith("\n") and lines == sorted(set(lines))  # stable: sorted, unique, one per line
    assert all(LINE.match(line) for line in lines), [line for line in lines if not LINE.match(line)]
    assert {"./", "fiches/2.4.3/", "territoires/etouvie/", "texte/partie-1/", "annexes/#annexe-3", "a-propos/"} <= set(lines)
    assert sum(line.startswith("fiches/") for line in lines) == 91


def test_every_listed_address_is_served(real_site):
    for line in (real_site / addresses.PUBLISHED).read_text(encoding="utf-8").splitlines():
        page, _, fragment = line.partition("#")
        html = (real_site / page.removeprefix("./") / "index.html").read_text(encoding="utf-8")
        if fragment:
            assert f'id="{fragment}"' in html, line


def _contract(tmp_path):
    """A copy of the small contract without source document (its texts can change) in tmp_path/contract,
    with its own list of published addresses: that of a first build."""
    contract = tmp_path / "contract"
    shutil.copytree(MINI, contract)
    drop_source(contract)
    first = build(contract, tmp_path / "premier")
    shutil.copy(first / addresses.PUBLISHED, contract / ADDRESSES_FILE)
    return contract


def _move(contract, old, new, objective):
    """Sheet `old` renumbered `new` in `objective` (label included), in a contract without source document."""
    text = (contract / f"actions/{old}.yaml").read_text(encoding="utf-8")
    (contract / f"actions/{old}.yaml").unlink()
    text = text.replace(f'"{old}"', f'"{new}"').replace(f'objective: "{old.rsplit(".", 1)[0]}"', f'objective: "{objective}"')
    (contract / f"actions/{new}.yaml").write_text(text, encoding="utf-8")


def _config(tmp_path, redirect_maps):
    """mkdocs.yml of the project, usable from tmp_path, with these declared redirects."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      redirect_maps: {}\n" in text
    text = text.replace("      redirect_maps: {}\n", "      redirect_maps: " + yaml.safe_dump(redirect_maps, default_flow_style=True))
    text += f"docs_dir: {ROOT / 'docs'}\n"
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def _redirect(site, old):
    html = (site / old / "index.html").read_text(encoding="utf-8")
    return re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html).group(1)


def test_renamed_sheet_without_redirect_fails_with_the_line_and_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    contract = _contract(tmp_path)
    site = build(contract, tmp_path / "site")
    before = (site / addresses.PUBLISHED).read_bytes()
    _move(contract, "2.1.2", "1.2.3", "1.2")
    capsys.readouterr()

    assert build_site(ROOT / "mkdocs.yml", contract, site) == 1

    err = capsys.readouterr().err
    line = (contract / ADDRESSES_FILE).read_text(encoding="utf-8").splitlines().index("fiches/2.1.2/") + 1
    assert (f"contract/{ADDRESSES_FILE}:{line}:1: CV320 l'adresse publiée « fiches/2.1.2/ » n'est plus servie par le site : "
            "déclarez une redirection vers la page qui la remplace") in err
    assert 'redirect_maps: {"fiches/2.1.2.md": "….md"}' in err and "supprimez cette ligne de la liste" in err
    assert (site / addresses.PUBLISHED).read_bytes() == before  # the previous site is intact

    # The removal is intended: the editor deletes the line, and the site builds.
    listed = (contract / ADDRESSES_FILE).read_text(encoding="utf-8").replace("fiches/2.1.2/\n", "")
    (contract / ADDRESSES_FILE).write_text(listed, encoding="utf-8")
    assert build_site(ROOT / "mkdocs.yml", contract, site) == 0
    assert not (site / "fiches/2.1.2").exists()


def test_declared_redirect_keeps_the_old_address(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    contract = _contract(tmp_path)
    _move(contract, "2.1.2", "1.2.3", "1.2")

    site = tmp_path / "site"
    assert build_site(_config(tmp_path, {"fiches/2.1.2.md": "fiches/1.2.3.md"}), contract, site) == 0

    assert _redirect(site, "fiches/2.1.2") == "../1.2.3/"
    listed = (site / addresses.PUBLISHED).read_text(encoding="utf-8").splitlines()
    assert "fiches/2.1.2/" in listed and "fiches/1.2.3/" in listed  # the old address stays published


def test_renumbering_declared_by_a_revision_leaves_a_redirect(tmp_path, monkeypatch, serve, page):
    monkeypatch.chdir(tmp_path)
    contract = _contract(tmp_path)
    _move(contract, "2.1.2", "1.2.3", "1.2")
    declare_renumbering(contract, "actions/2.1.2", "actions/1.2.3", "Fiche rattachée à l'objectif 1.2.",
                        "rattachée à l'objectif 1.2")

    site = build(contract, tmp_path / "site")

    assert _redirect(site, "fiches/2.1.2") == "../1.2.3/"
    html = (site / "fiches/2.1.2/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="../1.2.3/">' in html
    assert "fiches/2.1.2/" in (site / addresses.PUBLISHED).read_text(encoding="utf-8").splitlines()
    # In a browser, the old address (and its fragment) lands on the new page.
    page.goto(serve(site) + "fiches/2.1.2/#contenu")
    page.wait_for_url("**/fiches/1.2.3/#contenu")
    assert h1(page).startswith("Fiche action 1.2.3")


def test_chained_renumberings_lead_to_the_page_of_today(mini_copy):
    drop_source(mini_copy)
    _move(mini_copy, "2.1.2", "1.2.3", "1.2")
    _move(mini_copy, "1.2.3", "1.1.4", "1.1")
    _move(mini_copy, "1.1.3", "2.1.3", "2.1")
    (mini_copy / "amendments").mkdir()
    for number, (old, new) in enumerate([("2.1.2", "1.2.3"), ("1.2.3", "1.1.4"), ("1.1.3", "2.1.3"), ("2.1.3", "1.1.3"),
                                                 ("..", "1.1.1")], 1):  # no number: no address to redirect
        (mini_copy / f"amendments/{number}.yaml").write_text(yaml.safe_dump({
            "id": str(number), "kind": "rectification", "title": f"Rectification n°{number}", "date": "2025-03-14",
            "summary": "Renumérotation.\n", "changes": [{"entity": f"actions/{old}", "operation": "renumber",
                                                        "to": f"actions/{new}", "reason": "renumérotée"}]}), encoding="utf-8")
    _move(mini_copy, "2.1.3", "1.1.3", "1.1")  # moved back: its old address is a page again
    result = check(mini_copy)
    assert result.ok, result.problems

    assert addresses.derived_redirects(result.contract) == {"fiches/1.2.3.md": "fiches/1.1.4.md",
                                                            "fiches/2.1.2.md": "fiches/1.1.4.md",
                                                            "fiches/2.1.3.md": "fiches/1.1.3.md"}


@pytest.mark.parametrize("maps, expected", [
    ({"fiches/1.1.1.md": "fiches/1.1.2.md"}, "la redirection de « fiches/1.1.1.md » remplacerait la page servie à cette adresse"),
    ({"../../ailleurs.md": "fiches/1.1.1.md"}, "la redirection de « ../../ailleurs.md » ne part pas d'une page du site : "
                                               "indiquez le fichier Markdown de l'ancienne page, relatif au site (ex. « fiches/1.1.1.md »)"),
    ({"fiches/9.9.9.md": "fiches/8.8.8.md"}, "la redirection de « fiches/9.9.9.md » mène à « fiches/8.8.8.md », qui n'est pas "
                                             "une page du site : indiquez le fichier Markdown d'une page (ex. « fiches/1.1.1.md »)"),
])
def test_bad_redirect_declaration_is_refused_in_french(tmp_path, capsys, maps, expected):
    assert build_site(_config(tmp_path, maps), MINI, tmp_path / "site") == 1
    assert expected in capsys.readouterr().err


def test_unreadable_list_is_a_problem(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    contract = tmp_path / "contract"
    shutil.copytree(MINI, contract)
    (contract / ADDRESSES_FILE).write_bytes(b"fiches/1.1.1/\n\xff\xfe\n")
    assert build_site(ROOT / "mkdocs.yml", contract, tmp_path / "site") == 1
    assert f"contract/{ADDRESSES_FILE}:1:1: CV320 liste des adresses publiées illisible" in capsys.readouterr().err


def test_serve_reports_a_missing_address_and_goes_on(tmp_path, monkeypatch, caplog):
    """`mkdocs serve` keeps previewing the site and says which address is missing (a build stops)."""
    contract = tmp_path / "contract"
    shutil.copytree(MINI, contract)
    (contract / ADDRESSES_FILE).write_text("./\nfiches/9.9.9/\n", encoding="utf-8")
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins["contrat"].config.contract_dir = str(contract)
    config.plugins["contrat"].command = "serve"
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.contrat"):
        mkdocs_build(config)
    assert "CV320 l'adresse publiée « fiches/9.9.9/ » n'est plus servie" in caplog.text
    assert (tmp_path / "site/fiches/1.1.1/index.html").is_file()


def test_fixtures_build_and_publish_their_list(tmp_path, monkeypatch):
    monkeypatch.setattr("generator.check.rawhtml.problems", lambda doc: [])  # validation refuses the hostile fixture's HTML
    for name, source in (("mini", MINI), ("hostile", HOSTILE)):
        listed = (build(source, tmp_path / name) / addresses.PUBLISHED).read_text(encoding="utf-8").splitlines()
        assert "./" in listed and "fiches/1.1.1/" in listed, name
