#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tests/common/cdp.py, the headless Chromium client the web console's
page tests use, against a tiny page served here (127.0.0.1, any port) with
a strict Content-Security-Policy (default-src 'self'; script-src 'self').

  cdp_smoke.py

goto loads the page and waits for its load event; eval gives values and
awaits promises, and raises on exceptions; wait_for polls until a value
appears, and times out with the last one; the page's inline <script> is
blocked by the CSP and the violation is in page.console as an error, while
its external script runs and logs; an alert() from it is recorded in
page.dialogs and dismissed (the page does not hang); an init script runs
before the page's scripts; extra HTTP headers reach the server; a
full-page screenshot is a PNG of the window's width. Chromium missing is a
failure, not a skip. TAP output.
"""
import http.server
import os
import struct
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import cdp  # noqa: E402
from tap import check, finish  # noqa: E402

CSP = "default-src 'self'; script-src 'self'"
PAGES = {
    "/": ("text/html", b"""<!doctype html>
<html><head><meta charset="utf-8"><title>cdp smoke</title>
<script src="/app.js"></script></head>
<body><h1 id="out">loading</h1>
<p>""" + b"a line of text to fill the page. " * 200 + b"""</p>
<script>window.inlineRan = true; console.log("inline script ran");</script>
</body></html>
"""),
    "/app.js": ("text/javascript", b"""
window.sawInit = window.__cdpInit === 1;
console.log("external script ran");
console.warn("a warning", 42);
alert("alert from app.js");
document.addEventListener("DOMContentLoaded", function () {
    document.getElementById("out").textContent = "ready";
});
setTimeout(function () { window.late = "later"; }, 300);
"""),
}
seen_headers = []


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        seen_headers.append(dict(self.headers))
        ctype, body = PAGES.get(self.path, ("text/plain", None))
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        body = body if body is not None else b"not found"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    if not cdp.chromium_path():
        check(False, "chromium is installed (scripts/setup installs it): not found on PATH")
        return finish()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/" % server.server_address[1]
    try:
        with cdp.Browser() as browser, tempfile.TemporaryDirectory() as tmp:
            check(browser.version.startswith(("Chrome/", "HeadlessChrome/")),
                  "chromium starts and answers over the pipe (%s)" % browser.version)
            page = browser.new_page()
            page.add_init_script("window.__cdpInit = 1;")
            page.set_extra_headers({"X-Cdp-Smoke": "yes"})
            page.goto(url, timeout=30)
            check(page.eval("location.href") == url and page.eval("document.title") == "cdp smoke",
                  "goto loads the page (%s)" % url)
            check(page.eval("1 + 2") == 3 and page.eval("({a: [1, 'x']})") == {"a": [1, "x"]} and
                  page.eval("new Promise(r => setTimeout(() => r('done'), 50))") == "done",
                  "eval gives values, and awaits promises")
            try:
                page.eval("no_such_function()")
                threw = ""
            except cdp.CDPError as e:
                threw = str(e)
            check("ReferenceError" in threw, "eval raises on an exception (%s)" % threw.splitlines()[0:1])
            check(page.wait_for("window.late", 5) == "later" and
                  page.eval("document.getElementById('out').textContent") == "ready",
                  "wait_for waits for a value set later")
            try:
                page.wait_for("window.never || 0", 0.3)
                msg = ""
            except TimeoutError as e:
                msg = str(e)
            check("0" in msg, "wait_for times out with the last value (%s)" % msg)
            logs = [e["text"] for e in page.console if e["level"] == "log"]
            check("external script ran" in logs and
                  any(e["level"] == "warning" and e["text"] == "a warning 42" for e in page.console),
                  "the external script's console.log and console.warn are in page.console")
            csp = [e for e in page.errors() if "Content Security Policy" in e["text"]]
            check(page.eval("window.inlineRan === undefined") and "inline script ran" not in logs and csp,
                  "the inline <script> is blocked by the CSP, and page.console has the error (%s)"
                  % (csp[0]["text"][:90] + "..." if csp else page.console))
            check([d["type"] + ":" + d["message"] for d in page.dialogs] == ["alert:alert from app.js"],
                  "alert() from the external script is in page.dialogs, dismissed (%s)" % page.dialogs)
            check(page.eval("window.sawInit") is True, "the init script ran before the page's scripts")
            check(any(h.get("X-Cdp-Smoke") == "yes" for h in seen_headers),
                  "the extra HTTP header reaches the server")
            shot = page.screenshot(os.path.join(tmp, "page.png"))
            data = open(shot, "rb").read()
            w, h = struct.unpack("!II", data[16:24]) if len(data) > 24 else (0, 0)
            check(data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000 and w == 1280 and h >= 900,
                  "a full-page screenshot is a PNG, %d bytes, %dx%d" % (len(data), w, h))
            page.goto(url + "nothing")
            check(page.eval("document.body.innerText") == "not found", "a second goto, to a 404, loads too")
    except (cdp.BrowserError, cdp.CDPError, TimeoutError) as e:
        check(False, "the browser session ran to its end: %s" % e)
    finally:
        server.shutdown()
    return finish()


if __name__ == "__main__":
    sys.exit(main())
