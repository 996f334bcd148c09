"""No broken internal link: crawl the served site from its home page, following every href and src."""
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])


def crawl(base: str) -> tuple[dict, list, list]:
    """Every page reachable from `base` by its href and src links: (content type by URL, broken
    links as (URL, HTTP status), links to a missing anchor as (page, target, fragment))."""
    pages, ids, fragments, broken = {}, {}, [], []
    queue = [base]
    while queue:
        url = queue.pop()
        if url in pages:
            continue
        try:
            with urllib.request.urlopen(url) as response:
                body = response.read()
                kind = response.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            pages[url] = None
            broken.append((url, exc.code))
            continue
        pages[url] = kind
        if kind != "text/html":
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        ids[url] = parser.ids
        for link in parser.links:
            target, fragment = urldefrag(urljoin(url, link))
            if not target.startswith(base):
                continue
            if fragment:
                fragments.append((url, target, fragment))
            if target not in pages:
                queue.append(target)
    missing = [(src, target, f) for src, target, f in fragments if pages.get(target) == "text/html" and f not in ids[target]]
    return pages, broken, missing


def test_no_broken_internal_link(real_site, serve):
    pages, broken, missing = crawl(serve(real_site))
    assert broken == []
    assert missing == []
    html_pages = [u for u, k in pages.items() if k == "text/html"]
    assert len(html_pages) > 150  # the crawl reached every sheet, not just the menu
