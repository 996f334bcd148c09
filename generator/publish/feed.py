"""The contract's news as an Atom 1.0 feed (RFC 4287): its dated events and every amendment.

Entry ids are `urn:uuid:` names derived from the contract's signature date and territory and the
amendment's number, so they stay the same wherever the site is published.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from generator.core.model import Contract
from generator.site import urls
from generator.site.markup import plain
from generator.site.urls import PAGES, absolute, event_anchor, public_address, public_url

PATH = urls.FEED
ATOM = "http://www.w3.org/2005/Atom"


def _id(contract: Contract, *parts: str) -> str:
    key = ":".join(("contrat-de-ville", contract.meta["signature"]["date"], contract.meta["territory"], *parts))
    return uuid.uuid5(uuid.NAMESPACE_URL, key).urn


def _time(iso_date: str) -> str:
    return f"{iso_date}T00:00:00Z"


def entries(contract: Contract) -> list[dict]:
    """The feed's entries, newest first: the dated events around the contract (its signature at
    least) and each amendment."""
    events = contract.meta.get("timeline") or [
        {"date": contract.meta["signature"]["date"], "kind": "signature", "title": f"Signature du contrat : {contract.meta['title']}",
         "text": f"Version initiale du contrat, signée par {len(contract.meta['parties'])} parties."}]
    items = [{"id": _id(contract, "evenement", e["date"], e["kind"]), "title": e["title"], "date": e["date"],
              "href": public_url(PAGES["timeline"], event_anchor(e)) if contract.meta.get("timeline") else public_url(PAGES["home"]),
              "summary": e["text"]} for e in events]
    for amendment in contract.all("amendments"):
        items.append({"id": _id(contract, "avenant", amendment.id), "title": amendment.data["title"],
                      "date": amendment.data["date"],
                      "href": public_address(amendment, contract.structure),
                      "summary": amendment.data["summary"].strip()})
    ranked = sorted(enumerate(items), key=lambda pair: (pair[1]["date"], pair[0]), reverse=True)
    return [item for _, item in ranked]  # on the same day, the later one first


def atom(contract: Contract, site_url: str = "") -> str:
    """The feed as XML text. Links are absolute when the site's address is known, else relative
    to the feed, which lives at the site's root."""
    items = entries(contract)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    sub(feed, "id", _id(contract, "flux"))
    sub(feed, "title", plain(contract.meta["title"]))
    sub(feed, "subtitle", "Avenants et événements datés du contrat")
    sub(feed, "updated", _time(items[0]["date"]))
    for party in contract.meta["parties"]:
        signatory = contract.get("signatories", party["signatory"])
        sub(sub(feed, "author"), "name", signatory.data["name"] if signatory else party["signatory"])
    sub(feed, "link", rel="alternate", type="text/html", href=absolute(site_url, public_url(PAGES["home"])))
    if site_url:
        sub(feed, "link", rel="self", type="application/atom+xml", href=absolute(site_url, PATH))
    for item in items:
        entry = sub(feed, "entry")
        sub(entry, "id", item["id"])
        sub(entry, "title", plain(item["title"]))
        sub(entry, "updated", _time(item["date"]))
        sub(entry, "link", rel="alternate", type="text/html", href=absolute(site_url, item["href"]))
        sub(entry, "summary", plain(item["summary"]), type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
