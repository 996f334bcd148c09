"""The Atom feed of the contract's signature and amendments (RFC 4287)."""
import re
import xml.etree.ElementTree as ET

from generator.publish import feed
from generator.check.pipeline import check
from tests.conftest import CONTRACT

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def rfc4287_problems(xml_text: str) -> list[str]:
    """What RFC 4287 (section 4) requires of a feed and its entries, checked one by one."""
    root = ET.fromstring(xml_text)
    problems = [] if root.tag == A + "feed" else ["root is not atom:feed"]

    def once(element, tag, where):
        found = element.findall(A + tag)
        if len(found) != 1:
            problems.append(f"{where}: {len(found)} atom:{tag}, exactly one required")
        elif tag == "updated" and not RFC3339.match(found[0].text or ""):
            problems.append(f"{where}: atom:updated « {found[0].text} » is not an RFC 3339 date-time")
        elif tag == "id" and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$", found[0].text or ""):
            problems.append(f"{where}: atom:id « {found[0].text} » is not an absolute IRI")

    def alternates_unique(element, where):
        kinds = [(link.get("type"), link.get("hreflang")) for link in element.findall(A + "link")
                 if link.get("rel", "alternate") == "alternate"]
        if len(kinds) != len(set(kinds)):
            problems.append(f"{where}: two alternate links with the same type and hreflang")

    for tag in ("id", "title", "updated"):
        once(root, tag, "feed")
    alternates_unique(root, "feed")
    feed_has_author = bool(root.findall(A + "author"))
    for author in root.iter(A + "author"):
        if len(author.findall(A + "name")) != 1:
            problems.append("atom:author without exactly one atom:name")
    for i, entry in enumerate(root.findall(A + "entry")):
        where = f"entry {i + 1}"
        for tag in ("id", "title", "updated"):
            once(entry, tag, where)
        if not feed_has_author and not entry.findall(A + "author"):
            problems.append(f"{where}: no atom:author, and the feed has none")
        has_alternate = any(link.get("rel", "alternate") == "alternate" for link in entry.findall(A + "link"))
        if not entry.findall(A + "content") and not has_alternate:
            problems.append(f"{where}: neither atom:content nor an alternate link")
        alternates_unique(entry, where)
    return problems


def test_real_site_feed_is_valid_atom_and_linked_from_every_page(real_site):
    text = (real_site / feed.PATH).read_text(encoding="utf-8")
    assert rfc4287_problems(text) == []
    entries = ET.fromstring(text).findall(A + "entry")
    titles = [(e.find(A + "updated").text[:10], e.find(A + "title").text) for e in entries]
    assert titles[0] == ("2024-12-18", "Signature du contrat de ville 2024-2030 « Engagements Quartiers 2030 »")
    assert titles[-1] == ("2015-02-20", "Signature du contrat de ville 2015-2020")
    assert len(titles) == len(check(CONTRACT).contract.meta["timeline"])  # every dated event, no amendment
    assert entries[-1].find(A + "link").get("href") == "chronologie/#evenement-2015-02-20"
    for page in ("index.html", "fiches/2.4.3/index.html", "avenants/index.html"):
        html = (real_site / page).read_text(encoding="utf-8")
        assert re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="(\.\./)*flux\.xml">', html), page


def test_entry_ids_do_not_depend_on_the_sites_address():
    contract = check(CONTRACT).contract
    here, there = (ET.fromstring(feed.atom(contract, url)) for url in ("", "https://exemple.org/contrat/"))
    ids = [[e.text for e in root.iter(A + "id")] for root in (here, there)]
    assert ids[0] == ids[1] and all(i.startswith("urn:uuid:") for i in ids[0])
    assert there.find(A + "link[@rel='self']").get("href") == "https://exemple.org/contrat/flux.xml"
    assert here.find(A + "link[@rel='self']") is None  # no address, no self link: nothing broken


def test_amended_site_feed_lists_each_amendment_newest_first(amended_site):
    text = (amended_site / feed.PATH).read_text(encoding="utf-8")
    assert rfc4287_problems(text) == []
    entries = ET.fromstring(text).findall(A + "entry")
    assert [(e.find(A + "title").text, e.find(A + "updated").text) for e in entries][:2] == [
        ("Révision n°2", "2025-03-14T00:00:00Z"), ("Révision n°1", "2025-03-14T00:00:00Z")]
    assert entries[0].find(A + "link").get("href") == "avenants/#revision-2"
    assert entries[-1].find(A + "title").text.startswith("Signature du contrat")


def test_the_checker_catches_a_broken_feed():
    broken = '<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><title>y</title></entry></feed>'
    assert rfc4287_problems(broken) == [
        "feed: 0 atom:id, exactly one required", "feed: 0 atom:updated, exactly one required",
        "entry 1: 0 atom:id, exactly one required", "entry 1: 0 atom:updated, exactly one required",
        "entry 1: no atom:author, and the feed has none", "entry 1: neither atom:content nor an alternate link"]
