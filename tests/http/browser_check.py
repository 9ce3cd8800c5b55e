#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The web console's pages in real headless Chromium (tests/common/cdp.py),
against netprint's own records: every expected figure and label is counted
here from the --json output (or the -o log) of the same run, never taken
from the API the pages read.

  browser_check.py NETPRINT P0F_FP TLS_FP [--screenshots DIR]

1. Known captures (ndpi__chrome.pcap and csanders__http_espn.pcap, read
   with --json and --http, kept serving). Each page loads, reaches its
   ready state (document.body.dataset.ready) and logs no console error and
   throws nothing (Chromium's own line for a 404 the page expects, /api/me
   of an address the capture lacks, is the one exception):
   - overview: records written = the JSON lines; hosts = their addresses;
     records by kind; the workers' counters; the SYN OS distribution of
     the last 15 minutes of packet time; the rate chart drawn;
   - live: every record arrives (the last 256 at most), the newest row is
     the last record (kind, client, server, label); the kind, address and
     text filters show what they should;
   - hosts: the search (typed, submitted) for a word of 192.168.1.178's SYN
     label lists the hosts whose labels have it;
   - host/192.168.1.178: its SYN OS label, its TLS client label (the host
     table keeps 32 bytes of a name and of a flavor), its connections
     (its SYNs); its last raw SYN signature and full TLS label (the
     console's own memory of the host's signatures);
   - me: the test browser's address, unseen in the capture;
   - unknown: the most frequent raw signature no label names, its count,
     as many rows as distinct such signatures;
   - db: the files in use; the hit count of the most common SYN label =
     its SYN records; then the database experiment: a copy of P0F_FP with
     that label renamed ("... EDITED"), its path and the token typed into
     the compare form, the button clicked: the table shows old vs new
     label, counting the recent SYN and SYN+ACK records of that label.
2. XSS (make_xss_pcap.py's capture, its database label with HTML given
   first): an init script hooks alert/confirm/prompt before each page;
   on live, hosts (searched), the XSS hosts' pages, unknown, db and
   overview: no dialog, no hooked call, no CSP violation, no element made
   from a payload (img, on* attribute, script, <b>bold</b>,
   javascript: link), no console error; each payload (User-Agent, Server,
   SNI, label) is in the pages' text, literally; the Host header's value
   is in no record and no element.
3. My connection: netprint -i lo -o LOG --http; the browser opens #/me
   (its own connection goes over lo) until it shows 127.0.0.1 and an OS
   label; that label is the OS of LOG's mod=syn lines to the console's
   port; the raw signature shown is one of those lines'.
4. Screenshots (overview, live, hosts, host, me of the live run, unknown,
   db with the compare result) into DIR or a temporary one: PNGs of the
   window's width.

Chromium missing is a failure (scripts/setup installs it), not a skip.
TAP output.
"""
import argparse
import collections
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
import cdp  # noqa: E402
from np_run import stop  # noqa: E402
from tap import check, finish  # noqa: E402
from records import label_of, sig_of, subject_ip, wait_for  # noqa: E402

CAPTURES = [os.path.join(HERE, "..", "captures", c)
            for c in ("ndpi__chrome.pcap", "csanders__http_espn.pcap")]
KNOWN_HOST = "192.168.1.178"
TOKEN = "browser-check-token-0123456789"
READY_S = 30
SHOTS = ("overview", "live", "hosts", "host", "me", "unknown", "db")
OWN_SCRIPTS = ["/vendor/uPlot.iife.min.js", "/app.js"]
NP_STR_MAX = 32          # core/hosts.h: a host's name and flavor keep 32 bytes each
SSE_BACKLOG = 256        # /api/events without Last-Event-ID: the last 256 records

# make_xss_pcap.py's payloads, and the database label its docstring gives
UA = 'Mozilla/5.0 <script>alert("ua")</script>'
HOST_HDR = '"><img src=x onerror=alert("host")>.example'
SERVER = 'javascript:alert("srv")//<b>bold</b>'
SNI = '<script>alert("sni")</script>.example'
XSS_FLAVOR = '<img src=x onerror=alert("os")>'
XSS_DB = """classes = win,unix,other

[tcp:request]
label = s:unix:XssTest:%s
sig   = 4:64:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0
""" % XSS_FLAVOR

HOOK = """
window.__xssCalls = [];
window.__csp = [];
for (const f of ['alert', 'confirm', 'prompt']) {
  window[f] = function (m) { window.__xssCalls.push(f + ':' + m); return f === 'confirm' ? false : null; };
}
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""

PAYLOAD_ELEMENTS = """(() => {
  const own = %s;
  return {
    dialogs: window.__xssCalls || ['(hook missing)'],
    csp: window.__csp || ['(hook missing)'],
    img: document.querySelectorAll('img[src="x"], img[src$="/x"]').length +
      document.querySelectorAll('img').length,
    handlers: Array.from(document.querySelectorAll('*'))
      .filter((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name))).length,
    scripts: Array.from(document.scripts).map((s) => s.getAttribute('src') || 'inline')
      .filter((s) => !own.includes(s)),
    bold: Array.from(document.querySelectorAll('b')).filter((b) => b.textContent === 'bold').length,
    jslinks: Array.from(document.querySelectorAll('a[href]'))
      .filter((a) => !a.getAttribute('href').startsWith('#')).length,
  };
})()""" % json.dumps(OWN_SCRIPTS)


# ---- netprint and its records

def start(np, args, tmp, name, done=True):
    """netprint with args; (proc, port or None), once it serves (and, with
    done, has read its captures)."""
    err = os.path.join(tmp, name + ".err")
    proc = subprocess.Popen([np] + args, stdout=subprocess.DEVNULL, stderr=open(err, "w"),
                            env=dict(os.environ, TZ="UTC"), cwd=tmp)
    m = wait_for(err, r"\(port (\d+)\)")
    ok = m is not None and (not done or wait_for(err, r"capture done") is not None)
    check(ok, "netprint %s serves the console (%s)"
          % (name, "port %s" % m.group(1) if ok else open(err).read()[-300:]))
    return proc, int(m.group(1)) if ok else None


def num(n):
    return format(n, ",")


# ---- the browser

class Console:
    """One tab on one netprint: opens pages, and tells their console errors."""

    def __init__(self, browser, port, init_script=None):
        self.page = browser.new_page()
        self.base = "http://127.0.0.1:%d/" % port
        if init_script:
            self.page.add_init_script(init_script)

    def open(self, route, ready, timeout=READY_S):
        """Loads #/route afresh; waits until the page says ready; the console
        mark its errors start from."""
        mark = len(self.page.console)
        self.page.goto("about:blank", timeout=timeout)
        self.page.goto(self.base + "#/" + route, timeout=timeout)
        self.page.wait_for("document.body.dataset.ready === %s" % json.dumps(ready), timeout)
        return mark

    def errors(self, mark, allow_404=()):
        """Errors and exceptions since mark, but for Chromium's network line
        of a 404 from an API path in allow_404."""
        out = []
        for e in self.page.console[mark:]:
            if e["level"] != "error":
                continue
            if (e["source"] == "network" and " 404 " in e["text"] and
                    any(e["url"].split("?")[0].endswith(a) for a in allow_404)):
                continue
            out.append("%s: %s %s" % (e["source"], e["text"][:160], e["url"]))
        return out

    def js(self, expr, timeout=None):
        return self.page.eval(expr, timeout=timeout)

    def wait(self, expr, timeout=READY_S):
        return self.page.wait_for(expr, timeout)

    def rows(self, tbody_id):
        return self.js("Array.from(document.querySelectorAll('#%s > tr')).map("
                       "(tr) => Array.from(tr.cells).map((c) => c.innerText.trim()))" % tbody_id)

    def text(self):
        return self.js("document.body.innerText")

    def type_into(self, elem_id, text):
        """Focuses the field, selects what it holds and types text over it."""
        self.js("(() => { const e = document.getElementById(%s); e.focus(); e.select(); })()"
                % json.dumps(elem_id))
        self.page.send("Input.insertText", {"text": text})

    def click(self, selector):
        """A real mouse click in the middle of the element."""
        box = self.js("(() => { const e = document.querySelector(%s); e.scrollIntoView({block: 'center'});"
                      " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
                      % json.dumps(selector))
        for kind in ("mousePressed", "mouseReleased"):
            self.page.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1],
                                                        "button": "left", "clickCount": 1})

    def shot(self, shots, name, full_page=True):
        self.js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        self.page.screenshot(os.path.join(shots, name + ".png"), full_page=full_page)

    def close(self):
        try:
            self.page.browser.send("Target.closeTarget", {"targetId": self.page.target}, timeout=10)
        except (cdp.CDPError, cdp.BrowserError, TimeoutError):
            pass


def badge_labels(con, page):
    """The host view's summary, {"OS": label, "TLS": label}, without the
    match quality the page adds ("(fuzzy)")."""
    badges = con.js("Array.from(document.querySelectorAll('#page-%s .badge')).map("
                    "(b) => [b.querySelector('b').innerText.trim(), b.innerText])" % page)
    return {k: re.sub(r" \((exact|fuzzy|generic)\)$", "", t[len(k):].strip()) for k, t in badges}


def settled_rows(con, tbody_id, want, timeout=5):
    """The rows of a table once it has want of them (or after timeout)."""
    try:
        con.wait("document.querySelectorAll('#%s > tr').length === %d" % (tbody_id, want), timeout)
    except TimeoutError:
        pass
    return con.rows(tbody_id)


def no_errors(con, mark, what, allow_404=()):
    errs = con.errors(mark, allow_404)
    check(not errs, "%s: no console error, no exception (%s)" % (what, errs or "none"))


# ---- 1. the known captures, page by page

def check_overview(con, recs, shots):
    mark = con.open("overview", "overview")
    cards = dict(con.js("Array.from(document.querySelectorAll('#overview-headline .card')).map("
                        "(c) => [c.querySelector('.label').innerText, c.querySelector('.value').innerText])"))
    addrs = {r[s]["ip"] for r in recs for s in ("client", "server")}
    check(cards.get("records written") == num(len(recs)) and cards.get("hosts") == num(len(addrs)),
          "overview: %s records written (the JSON lines), %s hosts (their addresses): page says %s, %s"
          % (num(len(recs)), num(len(addrs)), cards.get("records written"), cards.get("hosts")))
    kinds = collections.Counter(r["mod"] for r in recs)
    shown = {k: int(v.replace(",", "")) for k, v in con.rows("kinds-rows")}
    check(set(kinds) <= set(shown) and all(shown[k] == kinds.get(k, 0) for k in shown),
          "overview: records by kind as written (%s)" % dict(kinds))
    workers = {row[0]: row[1:] for row in con.rows("workers-rows")}
    check("rx_pkts" in workers and int(workers["rx_pkts"][0].replace(",", "")) > 0 and
          len(workers["rx_pkts"]) >= 2,
          "overview: the workers' counters, a total and a column per worker (rx_pkts %s)"
          % workers.get("rx_pkts"))
    newest = max(r["epoch"] for r in recs)
    syn = collections.Counter(label_of(r) or "(unknown)" for r in recs
                              if r["mod"] == "syn" and r["epoch"] // 60 > newest // 60 - 15)
    want = sorted(syn.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    top = con.js("Array.from(document.querySelectorAll('#overview-top table[data-key=\"syn_os\"] tbody tr'))"
                 ".map((tr) => [tr.cells[0].innerText, tr.cells[2].innerText])")
    check(top and top[0] == [want[0], num(want[1])],
          "overview: the most seen SYN OS of the last 15 min of packet time is %s, %d times (page: %s)"
          % (want[0], want[1], top[:2]))
    check(con.wait("document.querySelector('#overview-chart canvas') !== null"),
          "overview: the rate chart is drawn (uPlot loaded)")
    no_errors(con, mark, "overview")
    con.shot(shots, "overview")


def check_live(con, recs, shots):
    mark = con.open("live", "live")
    tail = recs[-SSE_BACKLOG:]
    want = len(tail)
    try:
        con.wait("document.querySelectorAll('#live-rows > tr').length >= %d" % want)
    except TimeoutError:
        pass
    rows = con.rows("live-rows")
    check(len(rows) == want, "live: %d rows, the last %d records (of %d) (page: %d)"
          % (want, SSE_BACKLOG, len(recs), len(rows)))
    last = recs[-1]
    ep = lambda p: "%s:%d" % (p["ip"], p["port"])  # noqa: E731
    got = rows[0][1:5] if rows else None
    check(got is not None and got[:3] == [last["mod"], ep(last["client"]), ep(last["server"])] and
          (label_of(last) or "—") in got[3],
          "live: the newest row is the last record: %s %s -> %s %s (page: %s)"
          % (last["mod"], ep(last["client"]), ep(last["server"]), label_of(last), got))
    n_syn = sum(r["mod"] == "syn" for r in tail)
    con.js("(() => { const s = document.getElementById('live-kind'); s.value = 'syn';"
           " s.dispatchEvent(new Event('change')); })()")
    rows = settled_rows(con, "live-rows", n_syn)
    kinds, shown = {r[1] for r in rows}, len(rows)
    con.js("(() => { const s = document.getElementById('live-kind'); s.value = '';"
           " s.dispatchEvent(new Event('change')); })()")
    check(shown == n_syn and kinds <= {"syn"},
          "live: the kind filter syn shows the %d SYN records (page: %d, kinds %s)"
          % (n_syn, shown, sorted(kinds)))
    net = KNOWN_HOST.rsplit(".", 1)[0] + ".0/24"
    n_net = sum(any(r[s]["ip"].startswith(KNOWN_HOST.rsplit(".", 1)[0] + ".") for s in ("client", "server"))
                for r in tail)
    con.type_into("live-addr", net)
    shown = len(settled_rows(con, "live-rows", n_net))
    con.type_into("live-addr", "")
    con.js("document.getElementById('live-addr').dispatchEvent(new Event('input'))")
    check(shown == n_net, "live: the address filter %s shows its %d records (page: %d)"
          % (net, n_net, shown))
    word = "firefox"
    n_word = sum(word in " ".join(str(v) for k in ("os", "app") if isinstance(r.get(k), dict)
                                  for v in r[k].values() if isinstance(v, str)).lower() for r in tail)
    con.type_into("live-text", word)
    shown = len(settled_rows(con, "live-rows", n_word))
    check(shown == n_word and n_word > 0, "live: the text filter %r shows the %d records labelled so "
          "(page: %d)" % (word, n_word, shown))
    con.type_into("live-text", "")
    con.js("document.getElementById('live-text').dispatchEvent(new Event('input'))")
    no_errors(con, mark, "live")
    con.shot(shots, "live", full_page=False)


def check_hosts(con, recs, word, shots):
    mark = con.open("hosts", "hosts")
    everyone = {subject_ip(r) for r in recs}
    listed = {row[0] for row in con.rows("hosts-rows")}
    check(listed == everyone, "hosts: without a search, the %d hosts (page: %d)"
          % (len(everyone), len(listed)))
    con.type_into("hosts-q", word)
    con.click("#hosts-form button[type=submit]")
    want = {subject_ip(r) for r in recs if word.lower() in (label_of(r) or "").lower()}
    try:
        con.wait("location.hash === %s && document.querySelectorAll('#hosts-rows > tr').length === %d"
                 % (json.dumps("#/hosts?q=" + word), len(want)))
    except TimeoutError:
        pass
    rows = con.rows("hosts-rows")
    row = [r for r in rows if r[0] == KNOWN_HOST]
    check({r[0] for r in rows} == want and KNOWN_HOST in want and row and word in " ".join(row[0][1:4]),
          "hosts: the search for %r lists the hosts labelled so, %s (page: %s)"
          % (word, sorted(want), rows))
    no_errors(con, mark, "hosts")
    con.shot(shots, "hosts")


def check_host(con, recs, shots):
    mine = [r for r in recs if subject_ip(r) == KNOWN_HOST]
    syn = [r for r in mine if r["mod"] == "syn"]
    tls = [r for r in mine if r["mod"] == "tls client" and r.get("app")]
    mark = con.open("host/" + KNOWN_HOST, "host")
    badges = badge_labels(con, "host")
    os_label = label_of(syn[-1])
    check(badges.get("OS") == os_label,
          "host %s: its SYN OS label %r (page: %s)" % (KNOWN_HOST, os_label, badges))
    app = tls[-1]["app"]
    full = label_of(tls[-1])
    kept = app["name"][:NP_STR_MAX] + (" " + app["flavor"][:NP_STR_MAX] if app.get("flavor") else "")
    check(badges.get("TLS") == kept,
          "host %s: its TLS client label %r%s (page: %s)"
          % (KNOWN_HOST, full, "" if kept == full else ", kept as %r" % kept, badges))
    fields = dict(con.js("(() => { const dl = document.getElementById('host-fields');"
                         " return Array.from(dl.children).filter((e) => e.tagName === 'DT')"
                         ".map((dt) => [dt.innerText, dt.nextElementSibling.innerText]); })()"))
    check(fields.get("addr") == KNOWN_HOST and fields.get("total conn") == num(len(syn)),
          "host %s: %d connections, its SYNs (page: %s)" % (KNOWN_HOST, len(syn), fields.get("total conn")))
    text = con.text()
    check(syn[-1]["raw_sig"] in text and full in text,
          "host %s: its last raw SYN signature %s and its full TLS label %r"
          % (KNOWN_HOST, syn[-1]["raw_sig"], full))
    no_errors(con, mark, "host " + KNOWN_HOST)
    con.shot(shots, "host")


def check_me_unseen(con):
    mark = con.open("me", "me")
    client = con.js("document.getElementById('me-client').innerText")
    unseen = con.js("document.getElementById('me-unseen') !== null")
    check(client == "127.0.0.1" and unseen,
          "me: the browser's address 127.0.0.1, which the capture lacks: not seen (page: %s, %s)"
          % (client, unseen))
    no_errors(con, mark, "me (its 404 from /api/me aside)", allow_404=("/api/me",))


def check_unknown(con, recs, shots):
    unk = collections.Counter((r["mod"], sig_of(r)) for r in recs
                              if r["mod"] in ("syn", "syn+ack", "http request", "http response",
                                              "tls client", "tls server") and not label_of(r))
    mark = con.open("unknown", "unknown")
    rows = con.rows("unknown-rows")
    most = max(unk.values())
    top = {k for k, n in unk.items() if n == most}
    got = (rows[0][0], rows[0][2]) if rows else None
    check(got in top and rows[0][1] == num(most),
          "unknown: the most frequent unnamed signature first, %d times: %s (page: %s)"
          % (most, sorted(top)[0][1][:60], rows[0][:3] if rows else None))
    check(len(rows) == min(200, len(unk)), "unknown: %d distinct unnamed signatures (page: %d rows)"
          % (len(unk), len(rows)))
    no_errors(con, mark, "unknown")
    con.shot(shots, "unknown", full_page=False)


def check_db(con, recs, p0f, tls, tmp, shots):
    syn = [r for r in recs if r["mod"] == "syn" and r.get("os")]
    target = collections.Counter(label_of(r) for r in syn).most_common(1)[0][0]
    os_ = next(r["os"] for r in syn if label_of(r) == target)
    hit_label = "%s:%s:%s" % (os_["class"] or "!", os_["name"], os_["flavor"] or "")
    n_syn = sum(label_of(r) == target for r in syn)
    mark = con.open("db", "db")
    files = con.js("(() => { const dl = document.getElementById('db-info');"
                   " for (const dt of dl.querySelectorAll('dt')) if (dt.innerText === 'files')"
                   " return dt.nextElementSibling.innerText; return ''; })()")
    check(p0f in files and tls in files, "db: the files in use, %s and %s (page: %r)" % (p0f, tls, files))
    hits = [r for r in con.rows("db-hits") if r[0] == "tcp:request" and r[1] == hit_label]
    got = sum(int(r[3].replace(",", "")) for r in hits)
    check(hits and got == n_syn, "db: the SYN label %s has %d hits, its SYN records (page: %s)"
          % (hit_label, n_syn, hits))

    # the experiment: that label renamed in a copy of the database
    name, _, flavor = target.partition(" ")
    pat = re.compile(r"(?m)^(label\s*=\s*[sg]:[^:\n]*:%s:)%s\s*$" % (re.escape(name), re.escape(flavor)))
    edited, n_sub = pat.subn(lambda m: m.group(1) + flavor + " EDITED",
                             open(os.path.join(tmp, p0f)).read())
    path = os.path.join(os.path.dirname(p0f), "edited.fp")	# beside it, as netprint sees it
    open(os.path.join(tmp, path), "w").write(edited)
    recent = [r for r in recs if r["mod"] in ("syn", "syn+ack", "http request", "http response",
                                              "tls client", "tls server")][-4096:]
    want = sum(r["mod"] in ("syn", "syn+ack") and label_of(r) == target for r in recent)
    con.type_into("compare-path", path)
    con.type_into("compare-token", TOKEN)
    con.click("#compare-button")
    status = con.wait("document.getElementById('compare-rows') ? 'table' :"
                      " /error/.test(document.getElementById('compare-status').className) ?"
                      " document.getElementById('compare-status').innerText : ''")
    rows = con.rows("compare-rows") if status == "table" else []
    summary = con.js("(document.getElementById('compare-summary') || {}).innerText || ''")
    count = sum(int(r[3].replace(",", "")) for r in rows)
    check(n_sub > 0 and rows and all(r[4] == target and r[5] == target + " EDITED" for r in rows) and
          count == want,
          "db: compare with %s (%d label lines renamed), typed and clicked: %d observations "
          "%s -> %s EDITED, side by side (page: %s)"
          % (os.path.basename(path), n_sub, want, target, target, [r[3:] for r in rows] or status))
    check(("%s observations, %s would change" % (num(len(recent)), num(want))) in summary,
          "db: the compare summary says %d observations, %d would change (page: %r)"
          % (len(recent), want, summary))
    no_errors(con, mark, "db")
    con.shot(shots, "db")


def known_capture(browser, np, p0f, tls, tmp, shots):
    tokfile, out = os.path.join(tmp, "token"), os.path.join(tmp, "known.json")
    open(tokfile, "w").write(TOKEN + "\n")
    args = sum((["-r", c] for c in CAPTURES), []) + ["-f", p0f, "-f", tls, "--json", out,
                                                    "--http", "127.0.0.1:0", "--http-token", tokfile]
    proc, port = start(np, args, tmp, "on the known captures")
    con = None
    try:
        if not port:
            return
        recs = [json.loads(ln) for ln in open(out)]
        con = Console(browser, port)
        check_overview(con, recs, shots)
        check_live(con, recs, shots)
        word = label_of([r for r in recs if r["mod"] == "syn" and subject_ip(r) == KNOWN_HOST][-1]).split()[0]
        check_hosts(con, recs, word, shots)
        check_host(con, recs, shots)
        check_me_unseen(con)
        check_unknown(con, recs, shots)
        check_db(con, recs, p0f, tls, tmp, shots)
    finally:
        if con:
            con.close()
        check(stop(proc) == 0, "netprint on the known captures stops cleanly on SIGTERM")


# ---- 2. XSS

def xss(browser, np, p0f, tls, tmp):
    cap, db, out = (os.path.join(tmp, n) for n in ("xss.pcap", "xss.fp", "xss.json"))
    subprocess.run([sys.executable, os.path.join(HERE, "make_xss_pcap.py"), "-o", cap], check=True)
    open(db, "w").write(XSS_DB)
    proc, port = start(np, ["-r", cap, "-f", db, "-f", p0f, "-f", tls, "--json", out,
                            "--http", "127.0.0.1:0"], tmp, "on the XSS capture")
    con = None
    try:
        if not port:
            return
        recs = [json.loads(ln) for ln in open(out)]
        raw = open(out).read()
        check(XSS_FLAVOR in {(r.get("os") or {}).get("flavor") for r in recs} and
              all(json.dumps(s)[1:-1] in raw for s in (UA, SERVER, SNI)) and
              json.dumps(HOST_HDR)[1:-1] not in raw,
              "the XSS records carry the User-Agent, Server, SNI and label payloads, "
              "and not the Host header's value")
        con = Console(browser, port, HOOK)
        xss_hosts = sorted({subject_ip(r) for r in recs if r["mod"] in ("syn", "http request", "tls client")})
        visits = [("live", "live", "document.querySelectorAll('#live-rows > tr').length >= %d" % len(recs)),
                  ("hosts?q=XssTest", "hosts", "document.querySelectorAll('#hosts-rows > tr').length > 0")]
        visits += [("host/" + a, "host", "document.getElementById('host-fields') !== null") for a in xss_hosts]
        visits += [("unknown", "unknown", "document.querySelectorAll('#unknown-rows > tr').length > 0"),
                   ("db", "db", "document.querySelectorAll('#db-hits > tr').length > 0"),
                   ("overview", "overview", "document.querySelector('#overview-top table') !== null")]
        texts = {}
        for route, ready, data in visits:
            mark = con.open(route, ready)
            try:
                con.wait(data)
            except TimeoutError:
                pass
            con.wait("new Promise((r) => setTimeout(() => r(true), 300))")   # any late script: its chance
            found = con.js(PAYLOAD_ELEMENTS)
            texts[route] = con.text()
            bad = {k: v for k, v in found.items() if v}
            check(not bad and not con.page.dialogs,
                  "XSS, #/%s: no dialog, no hooked alert/confirm/prompt call, no CSP violation, no "
                  "element from a payload (%s)" % (route, bad or con.page.dialogs or "none"))
            no_errors(con, mark, "XSS, #/" + route)
        for what, s in (("User-Agent", UA), ("Server", SERVER), ("SNI", SNI), ("database label", XSS_FLAVOR)):
            where = [r for r, t in texts.items() if s in t]
            check(where, "XSS: the %s %s is in the page text, literally (on %s)" % (what, s, where))
        check(all(HOST_HDR not in t for t in texts.values()),
              "XSS: the Host header's value is on no page (p0f keeps the header's name only)")
    finally:
        if con:
            con.close()
        check(stop(proc) == 0, "netprint on the XSS capture stops cleanly on SIGTERM")


# ---- 3. my connection, live on lo

def my_connection(browser, np, p0f, tls, tmp, shots):
    log = os.path.join(tmp, "lo.log")
    proc, port = start(np, ["-i", "lo", "-f", p0f, "-f", tls, "--http", "127.0.0.1:0", "-o", log],
                       tmp, "live on lo", done=False)
    con, badges, client, mark, text = None, {}, None, 0, ""
    try:
        if not port:
            return
        con = Console(browser, port)
        deadline = time.monotonic() + 30
        while True:     # the page's first connection may beat its SYN to the host table
            mark = con.open("me", "me")
            client = con.js("document.getElementById('me-client').innerText")
            badges = badge_labels(con, "me")
            if badges.get("OS") or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        text = con.text()
        no_errors(con, mark, "me, live", allow_404=("/api/me",))
        con.shot(shots, "me")
    finally:
        if con:
            con.close()
        check(stop(proc) == 0, "netprint live on lo stops cleanly on SIGTERM")
    if not port:
        return
    lines = [dict(f.split("=", 1) for f in ln.split("] ", 1)[1].strip().split("|") if "=" in f)
             for ln in open(log) if "] mod=syn|" in ln]
    mine = [ln for ln in lines if ln.get("srv") == "127.0.0.1/%d" % port]
    oses = {ln["os"] for ln in mine}
    shown = badges.get("OS")
    check(client == "127.0.0.1" and len(oses) == 1 and shown in oses,
          "me, live: the browser's own host 127.0.0.1, OS %r, as the log's %d SYNs to port %d say %s"
          % (shown, len(mine), port, sorted(oses)))
    sigs = {ln["raw_sig"] for ln in mine}
    check(any(s in text for s in sigs), "me, live: the raw signature of its SYNs %s" % sorted(sigs))


# ---- 4. screenshots

def check_shots(shots):
    for name in SHOTS:
        path = os.path.join(shots, name + ".png")
        data = open(path, "rb").read() if os.path.exists(path) else b""
        w, h = struct.unpack("!II", data[16:24]) if len(data) > 24 else (0, 0)
        check(data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10000 and w == 1280 and h >= 400,
              "screenshot %s: a PNG, %d bytes, %dx%d" % (path, len(data), w, h))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("netprint")
    ap.add_argument("p0f_fp")
    ap.add_argument("tls_fp")
    ap.add_argument("--screenshots", metavar="DIR", help="where to write the pages' PNGs")
    a = ap.parse_args()
    np, p0f, tls = (os.path.abspath(x) for x in (a.netprint, a.p0f_fp, a.tls_fp))
    if not cdp.chromium_path():
        check(False, "chromium is installed (scripts/setup installs it): not found on PATH")
        return finish()
    with tempfile.TemporaryDirectory(prefix="np-browser-") as tmp:
        shots = os.path.abspath(a.screenshots) if a.screenshots else tmp
        # netprint runs in tmp with the databases copied to db/ there: the
        # pages (and their pictures) show "db/p0f.fp", no path of this machine
        os.makedirs(os.path.join(tmp, "db"))
        for src, name in ((p0f, "p0f.fp"), (tls, "tls.fp")):
            shutil.copy(src, os.path.join(tmp, "db", name))
        p0f, tls = "db/p0f.fp", "db/tls.fp"
        os.makedirs(shots, exist_ok=True)
        for name in SHOTS:      # no stale picture passes for a new one
            if os.path.exists(os.path.join(shots, name + ".png")):
                os.unlink(os.path.join(shots, name + ".png"))
        browser = None
        try:
            browser = cdp.Browser()
            check(True, "chromium runs (%s)" % browser.version)
            for part in (lambda: known_capture(browser, np, p0f, tls, tmp, shots),
                         lambda: xss(browser, np, p0f, tls, tmp),
                         lambda: my_connection(browser, np, p0f, tls, tmp, shots)):
                try:
                    part()
                except (cdp.CDPError, TimeoutError) as e:
                    check(False, "the browser session ran to its end: %s" % e)
        except cdp.BrowserError as e:
            check(False, "chromium runs and stays up: %s" % e)
        finally:
            if browser:
                browser.close()
        check_shots(shots)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
