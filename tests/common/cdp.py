# SPDX-License-Identifier: MIT
"""A small Chromium DevTools Protocol client for the web console's tests.

Starts headless Chromium with --remote-debugging-pipe: commands go to the
browser's fd 3, answers and events come back on its fd 4, each message JSON
ended by a NUL byte. A reader thread files the answers by id and hands the
events to the page (by session id) they belong to.

    with Browser() as b:
        page = b.new_page()
        page.goto("http://127.0.0.1:8080/")
        page.wait_for("document.querySelector('#hosts tr')", 10)
        page.console, page.dialogs       # what the page logged, alert()s

Standard library only.
"""
import base64
import fcntl
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--no-default-browser-check", "--disable-extensions", "--window-size=1280,900",
         "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-breakpad", "--disable-domain-reliability",
         "--disable-client-side-phishing-detection", "--no-service-autorun", "--mute-audio",
         "--password-store=basic", "--use-mock-keychain", "--metrics-recording-only",
         "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
         "--remote-debugging-pipe"]


class CDPError(Exception):
    """Chromium answered a command with an error, or a page script threw."""


class BrowserError(Exception):
    """Chromium is missing, would not start, or went away."""


def chromium_path():
    """The chromium binary on PATH, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    def __init__(self, binary="chromium", extra_args=(), timeout=30):
        path = shutil.which(binary) or (binary == "chromium" and chromium_path())
        if not path:
            raise BrowserError("%s not found on PATH (scripts/setup installs chromium)" % binary)
        self.timeout = timeout
        self.tmp = tempfile.mkdtemp(prefix="np-cdp-")
        self._lock = threading.Condition()     # guards everything below
        self._next_id, self._answers, self._pages, self._dead = 0, {}, {}, None
        self._wlock = threading.Lock()
        cmd_r, self._cmd_w = os.pipe()          # we write commands, chromium reads fd 3
        self._res_r, res_w = os.pipe()          # chromium writes fd 4, we read
        # bash moves the child's ends to 3 and 4 (from >= 10, so no clash)
        # and execs chromium: no Python code runs between fork and exec
        hi = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (cmd_r, res_w)]
        os.close(cmd_r)
        os.close(res_w)
        script = 'exec 3<&%d 4>&%d %d<&- %d>&-; exec "$0" "$@"' % (hi[0], hi[1], hi[0], hi[1])
        self.stderr_path = os.path.join(self.tmp, "chromium.stderr")
        with open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                ["bash", "-c", script, path, "--user-data-dir=" + os.path.join(self.tmp, "profile")]
                + FLAGS + list(extra_args) + ["about:blank"],
                stdin=subprocess.DEVNULL, stdout=err, stderr=err, pass_fds=hi, start_new_session=True)
        for fd in hi:
            os.close(fd)
        threading.Thread(target=self._read, daemon=True, name="cdp-reader").start()
        try:
            self.version = self.send("Browser.getVersion")["product"]
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Browser.close, then SIGKILL to what is left of its process group."""
        if self.proc.poll() is None:
            try:
                self.send("Browser.close", timeout=5)
            except (CDPError, BrowserError, TimeoutError):
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
        try:    # whatever is left of its own process group (start_new_session)
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.close(self._cmd_w)
        except OSError:
            pass
        shutil.rmtree(self.tmp, ignore_errors=True)

    def stderr_tail(self, n=15):
        try:
            lines = open(self.stderr_path, errors="replace").read().splitlines()
        except OSError:
            return ""
        return "\n".join([ln for ln in lines if "dbus" not in ln.lower()][-n:])   # no bus here: noise

    # --- the wire
    def _read(self):
        buf = b""
        while True:
            try:
                chunk = os.read(self._res_r, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buf += chunk
            *msgs, buf = buf.split(b"\0")
            for m in msgs:
                self._dispatch(json.loads(m))
        os.close(self._res_r)
        try:
            rc = self.proc.wait(5)
        except subprocess.TimeoutExpired:
            rc = "?"
        with self._lock:
            self._dead = "chromium exited (status %s); its stderr ends:\n%s" % (rc, self.stderr_tail())
            self._lock.notify_all()
        for p in list(self._pages.values()):
            with p._cond:
                p._cond.notify_all()

    def _dispatch(self, msg):
        if "id" in msg:
            with self._lock:
                self._answers[msg["id"]] = msg
                self._lock.notify_all()
        else:
            page = self._pages.get(msg.get("sessionId"))
            if page:
                page._event(msg["method"], msg.get("params", {}))

    def send(self, method, params=None, session=None, timeout=None, wait=True):
        """One command; its result (a dict), or CDPError with Chromium's message."""
        with self._lock:
            if self._dead:
                raise BrowserError(self._dead)
            self._next_id += 1
            mid = self._next_id
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        with self._wlock:
            try:
                while data:
                    data = data[os.write(self._cmd_w, data):]
            except OSError as e:
                raise BrowserError("cannot write to chromium: %s" % e)
        if not wait:
            return None
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._lock:
            while mid not in self._answers:
                if self._dead:
                    raise BrowserError(self._dead)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("%s: no answer from chromium" % method)
                self._lock.wait(left)
            ans = self._answers.pop(mid)
        if "error" in ans:
            raise CDPError("%s: %s" % (method, ans["error"].get("message")))
        return ans.get("result", {})

    def new_page(self, width=1280, height=900):
        """A new tab whose viewport is width x height CSS pixels (headless
        Chromium's window would leave 87 pixels less for the page)."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session)
        self._pages[session] = page
        for domain in ("Page", "Runtime", "Log"):
            page.send(domain + ".enable")
        page.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        return page


class Page:
    """One tab. console: [{"level", "text", "source", "url"}] in arrival
    order; dialogs: [{"type", "message", "url"}], each dismissed."""

    def __init__(self, browser, target, session):
        self.browser, self.target, self.session = browser, target, session
        self.console, self.dialogs = [], []
        self._cond = threading.Condition()
        self._loads = 0

    def send(self, method, params=None, **kw):
        return self.browser.send(method, params, session=self.session, **kw)

    def _event(self, method, p):
        entry = None
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", a.get("type"))))
                            for a in p.get("args", []))
            entry = {"level": p["type"], "text": text, "source": "console-api", "url": ""}
        elif method == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            text = d.get("exception", {}).get("description") or d.get("text", "")
            entry = {"level": "error", "text": text, "source": "exception", "url": d.get("url", "")}
        elif method == "Log.entryAdded":
            e = p["entry"]
            entry = {"level": e["level"], "text": e["text"], "source": e["source"], "url": e.get("url", "")}
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append({"type": p["type"], "message": p["message"], "url": p.get("url", "")})
            # not waiting: this runs on the reader thread, which brings the answer
            try:
                self.send("Page.handleJavaScriptDialog", {"accept": False}, wait=False)
            except BrowserError:
                pass
        with self._cond:
            if entry:
                self.console.append(entry)
            if method == "Page.loadEventFired":
                self._loads += 1
            self._cond.notify_all()

    def errors(self):
        """The console entries of level error."""
        return [e for e in self.console if e["level"] == "error"]

    def goto(self, url, timeout=30):
        """Navigates and waits for the load event."""
        with self._cond:
            loads = self._loads
        r = self.send("Page.navigate", {"url": url}, timeout=timeout)
        if r.get("errorText"):
            raise CDPError("navigating to %s: %s" % (url, r["errorText"]))
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._loads == loads:
                if self.browser._dead:
                    raise BrowserError(self.browser._dead)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("%s: no load event in %ss" % (url, timeout))
                self._cond.wait(left)

    def eval(self, expr, timeout=None):
        """The value of a JS expression (promises awaited), JSON-like."""
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                           "awaitPromise": True}, timeout=timeout)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise CDPError("%s: %s" % (expr, d.get("exception", {}).get("description") or d.get("text")))
        return r["result"].get("value")

    def wait_for(self, expr, timeout=10, interval=0.05):
        """Polls expr until it is truthy; its value. TimeoutError with the last one."""
        deadline = time.monotonic() + timeout
        while True:
            last = self.eval(expr)
            if last:
                return last
            if time.monotonic() > deadline:
                raise TimeoutError("%s still %r after %ss" % (expr, last, timeout))
            time.sleep(interval)

    def screenshot(self, path, full_page=True):
        """A PNG of the viewport, or of the whole page."""
        params = {"format": "png"}
        if full_page:
            m = self.send("Page.getLayoutMetrics")
            size, view = m["cssContentSize"], m["cssLayoutViewport"]
            params.update(captureBeyondViewport=True, clip={
                "x": 0, "y": 0, "width": max(size["width"], view["clientWidth"]),
                "height": max(size["height"], view["clientHeight"]), "scale": 1})
        data = base64.b64decode(self.send("Page.captureScreenshot", params)["data"])
        with open(path, "wb") as f:
            f.write(data)
        return path

    def add_init_script(self, js):
        """js runs in every new document of this page, before its scripts."""
        return self.send("Page.addScriptToEvaluateOnNewDocument", {"source": js})["identifier"]

    def set_extra_headers(self, headers):
        """Headers sent with every request of this page from now on."""
        self.send("Network.enable")
        self.send("Network.setExtraHTTPHeaders", {"headers": dict(headers)})
