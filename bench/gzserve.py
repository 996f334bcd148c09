"""A local static server that compresses as static hosting does (gzip for text types, Cache-Control), for
measurements in a browser (bench/search_budget.py, bench/lighthouse.py). Usage: `python bench/gzserve.py SITE`."""
from __future__ import annotations

import functools
import gzip
import io
import http.server
import sys
import threading
from pathlib import Path

COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml",
              "application/wasm")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "application/javascript",
                      ".mjs": "application/javascript", ".json": "application/json", ".wasm": "application/wasm"}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "") or not ctype.startswith(COMPRESSED):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)

    def send_header(self, keyword, value):
        if keyword == "Content-Length":  # what the server sends, for the budgets
            self.server.sent.append((self.path, int(value)))
        super().send_header(keyword, value)

    def log_message(self, *args):
        pass


def start(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    server.sent = []  # (path, body bytes) of every response
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


if __name__ == "__main__":
    server, url = start(Path(sys.argv[1]))
    print(url, flush=True)
    threading.Event().wait()
