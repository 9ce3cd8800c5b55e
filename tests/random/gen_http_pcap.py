#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a random, seed-deterministic Ethernet pcap of complete TCP
conversations (mostly HTTP) that stresses p0f 3.09b's flow bookkeeping and
HTTP collection: flow creation and reset on SYN, retransmitted SYNs, the
SYN+ACK / ACK rules, in-order-only data (no reassembly), the HTTP first-line
and header parser with all its limits, the 8 KB per-direction cap, FIN / RST
teardown, the 30 s connection age limit and the connection / host table
limits (run p0f with -m 50,1000 to make pruning constant).

Standard library only; the same seed always gives the same bytes.

Each flow is a full conversation (SYN, SYN+ACK, ACK, data, usually FIN or
RST; some are left open) with consistent sequence and acknowledgment
numbers.  Between 30 and 300 flows are open at any time; the next packet is
taken round-robin from the open flows, and pcap time advances 1-30 ms per
packet (except when every open flow is idle, near the end).  Some flows go
idle for more than 30 s in the middle of a conversation.

Payloads: realistic HTTP/1.0 and 1.1 GET / HEAD requests (browsers, curl,
wget, bots; Accept-Language; Via / X-Forwarded-For) and Apache / nginx / IIS /
lighttpd / gws / cloudflare responses, split over segments at awkward places;
responses that start before the request is complete; servers that speak
first; non-HTTP payloads (TLS, SMTP, SSH, Redis, POST / PUT / OPTIONS /
CONNECT, proxy-style "GET http://", lowercase "get /"); malformed HTTP at
every limit of p0f's parser; out-of-order, lost and retransmitted segments,
segments after FIN, pure ACKs, keep-alive probes, TCP Fast Open data on the
SYN, retransmitted SYNs after data (same and other sequence numbers), and
new connections on a 4-tuple used before.

Distinct hosts grow with --flows (about 1340 at 2000 flows, past p0f's
-m ...,1000 host limit, whose pruning also drops flows); --hosts N caps them.

Usage: gen_http_pcap.py --seed N --flows N -o OUT.pcap [--hosts N] [--stats]
"""

import argparse
import random
import struct
import sys
from time import gmtime  # formats pcap (not wall-clock) time
from collections import deque

F_FIN, F_SYN, F_RST, F_PSH, F_ACK = 0x01, 0x02, 0x04, 0x08, 0x10

SP_NONE, SP_SYN, SP_SYNACK, SP_IDLE = 0, 1, 2, 3

# ---------------------------------------------------------------------------
# TCP/IP stacks
# ---------------------------------------------------------------------------

L_LINUX = ("mss", "sok", "ts", "nop", "ws")
L_WIN = ("mss", "nop", "ws", "nop", "nop", "sok")
L_WINXP = ("mss", "nop", "nop", "sok")
L_WINTS = ("mss", "nop", "ws", "sok", "ts")
L_MAC = ("mss", "nop", "ws", "nop", "nop", "ts", "sok", "eol")
L_FBSD = ("mss", "nop", "ws", "sok", "ts")
L_OBSD = ("mss", "nop", "nop", "sok", "nop", "ws", "nop", "nop", "ts")

# name, weight, ittl, layout, window (int, or ("mss", k4, k6)), wscales,
# ip id mode, TS clock rates, per-connection TS offset, v6 flow label
CLIENT_OS = [
    ("linux", 14, 64, L_LINUX, ("mss", 20, 20), (7, 10), "rand", (1000, 250), True, True),
    ("linux-new", 12, 64, L_LINUX, ("mss", 44, 45), (7,), "rand", (1000,), True, True),
    ("linux-old", 4, 64, L_LINUX, ("mss", 4, 4), (6, 7), "rand", (100, 250, 1000), False, False),
    ("android", 6, 64, L_LINUX, ("mss", 44, 44), (3, 8), "rand", (100, 1000), True, True),
    ("win10", 20, 128, L_WIN, 64240, (8,), "seq", (), False, False),
    ("win7", 8, 128, L_WIN, 8192, (8, 2), "seq", (), False, False),
    ("winxp", 2, 128, L_WINXP, 65535, (None,), "seq", (), False, False),
    ("wints", 2, 128, L_WINTS, 8192, (2, 8), "seq", (10, 100), False, False),
    ("macos", 12, 64, L_MAC, 65535, (6, 5, 4), "rand", (1000,), False, True),
    ("ios", 6, 64, L_MAC, 65535, (6, 2), "rand", (1000,), False, True),
    ("freebsd", 3, 64, L_FBSD, 65535, (6, 3), "seq", (1000,), False, False),
    ("openbsd", 1, 64, L_OBSD, 16384, (3,), "rand", (2, 100), False, False),
]

# Servers: name, weight, ittl, window, wscale, ip id mode, TS rates, software
SERVER_OS = [
    ("linux", 40, 64, ("mss", 10), 7, "zero", (1000, 250), ("apache", "nginx", "nginx", "lighttpd", "cloudflare", "gws")),
    ("linux-new", 25, 64, 65160, 7, "zero", (1000,), ("nginx", "apache", "cloudflare")),
    ("windows", 20, 128, 8192, 8, "seq", (10,), ("iis",)),
    ("windows-old", 5, 128, 65535, 0, "seq", (10,), ("iis", "apache")),
    ("freebsd", 10, 64, 65535, 6, "seq", (1000,), ("apache", "nginx", "lighttpd")),
]

MSS4 = (1460,) * 14 + (1452, 1440, 1400, 1380, 1360, 1412, 1420, 1250, 536, 1448)
MSS6 = (1440,) * 10 + (1420, 1380, 1400, 1220, 1432)
SRV_MSS4 = (1460,) * 8 + (1400, 1380, 1452, 1440, 1360)
SRV_MSS6 = (1440,) * 6 + (1420, 1380, 1220)


def opt_bytes(layout, mss, ws, tsval, tsecr):
    out = bytearray()
    for o in layout:
        if o == "mss":
            out += struct.pack("!BBH", 2, 4, mss)
        elif o == "nop":
            out.append(1)
        elif o == "ws":
            out += bytes((3, 3, ws))
        elif o == "sok":
            out += b"\x04\x02"
        elif o == "ts":
            out += struct.pack("!BBII", 8, 10, tsval & 0xFFFFFFFF, tsecr & 0xFFFFFFFF)
        elif o == "eol":
            out.append(0)
    while len(out) % 4:
        out.append(0)
    return bytes(out)


class Host:
    __slots__ = ("ver", "addr", "mac", "os", "ittl", "dist", "df", "ipid_mode", "ipid",
                 "ts_hz", "ts_base", "ts_percon", "flow_label", "sw", "date_skew", "ua")


class Flow:
    __slots__ = ("cli", "srv", "cport", "sport", "steps", "pos", "wake", "c_isn", "s_isn",
                 "c_layout", "s_layout", "c_mss", "s_mss", "c_ws", "s_ws", "c_synwin",
                 "s_synwin", "ts_ok", "ts_off", "last_ts", "win", "ipid", "flabel", "tuple",
                 "eff_mss")


# ---------------------------------------------------------------------------
# HTTP content
# ---------------------------------------------------------------------------

DOMAINS = ("www.example.com", "example.org", "cdn.example.net", "api.example.io",
           "static.shop.test", "news.example.co.uk", "blog.example.de", "img.example.jp",
           "www.test-site.fr", "mail.example.com", "intranet.corp.local", "downloads.example.pl")
PATHS = ("/", "/", "/", "/index.html", "/favicon.ico", "/robots.txt", "/images/logo.png",
         "/css/site.css?v=1.2.3", "/static/js/app.3f2a9c.js", "/api/v1/items?id=1234&sort=asc",
         "/search?q=passive+fingerprinting&lang=en", "/wp-login.php", "/news/2019/05/article-17.html",
         "/downloads/file.tar.gz", "/.well-known/security.txt", "/feed/", "/product/8812?ref=home",
         "/a/b/c/d/e/f/g.html", "/~user/", "/cgi-bin/test.cgi?x=%20y")
LANGS = ("en-US,en;q=0.5", "en-US,en;q=0.9", "en-US", "en", "en-GB,en;q=0.8",
         "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", "de", "fr-FR,fr;q=0.8,en-US;q=0.5,en;q=0.3",
         "pl,en-US;q=0.7,en;q=0.3", "pl-PL", "ja,en-US;q=0.9,en;q=0.8", "zh-CN,zh;q=0.9",
         "zh-cn,zh-tw", "ru-RU,ru;q=0.9,en;q=0.8", "es-ES,es;q=0.9", "pt-BR,pt;q=0.8",
         "it-IT,it;q=0.9", "nl-NL,nl;q=0.9", "sv-SE,sv;q=0.8", "ko-KR,ko;q=0.9", "tr-TR",
         "cs,en;q=0.9", "x-klingon", "i-default", "*", "EN-us", "xx", "uk", "he-IL", "ar")
WDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

UA_OS = {
    "win": ("Windows NT 10.0; Win64; x64", "Windows NT 6.1; WOW64", "Windows NT 6.3; Win64; x64"),
    "linux": ("X11; Linux x86_64", "X11; Ubuntu; Linux x86_64", "X11; Fedora; Linux x86_64"),
    "mac": ("Macintosh; Intel Mac OS X 10_15_7", "Macintosh; Intel Mac OS X 10.14"),
    "ios": ("iPhone; CPU iPhone OS 14_4 like Mac OS X", "iPad; CPU OS 13_3 like Mac OS X"),
    "android": ("Linux; Android 10; SM-G973F", "Linux; Android 8.0.0; Pixel 2"),
    "bsd": ("X11; FreeBSD amd64", "X11; OpenBSD amd64"),
}
OS_FAMILY = {"linux": "linux", "linux-new": "linux", "linux-old": "linux", "android": "android",
             "win10": "win", "win7": "win", "winxp": "win", "wints": "win", "macos": "mac",
             "ios": "ios", "freebsd": "bsd", "openbsd": "bsd"}
AGENTS = {
    "win": (("chrome", 40), ("firefox", 22), ("msie", 10), ("edge", 8), ("python", 4), ("java", 3),
            ("curl", 3), ("wget", 2), ("bingbot", 3), ("dishonest", 5)),
    "linux": (("firefox", 22), ("chrome", 18), ("curl", 14), ("wget", 9), ("python", 8),
              ("requests", 6), ("googlebot", 6), ("baidu", 3), ("java", 3), ("lynx", 2),
              ("yandex", 2), ("dishonest", 7)),
    "android": (("chrome-android", 70), ("android-old", 20), ("dishonest", 10)),
    "mac": (("safari", 50), ("chrome", 25), ("firefox", 12), ("curl", 8), ("dishonest", 5)),
    "ios": (("safari", 80), ("chrome", 10), ("dishonest", 10)),
    "bsd": (("fetch", 30), ("firefox", 30), ("curl", 20), ("lynx", 10), ("w3m", 10)),
}


def wpick(r, pairs):
    tot = 0
    for _, w in pairs:
        tot += w
    x = r.random() * tot
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


def http_date(t_s):
    tm = gmtime(t_s)
    return "%s, %02d %s %04d %02d:%02d:%02d GMT" % (WDAYS[tm.tm_wday], tm.tm_mday, MONTHS[tm.tm_mon - 1],
                                                   tm.tm_year, tm.tm_hour, tm.tm_min, tm.tm_sec)


class Http:
    def __init__(self, r):
        self.r = r

    def token(self, n, alphabet="abcdefghijklmnopqrstuvwxyz0123456789"):
        r = self.r
        return "".join(r.choice(alphabet) for _ in range(n))

    def host_hdr(self, srv):
        r = self.r
        x = r.random()
        if x < 0.8:
            return r.choice(DOMAINS)
        if x < 0.9:
            return r.choice(DOMAINS) + ":" + str(r.choice((8080, 8000, 80, 8443)))
        if srv.ver == 4:
            return ".".join(str(b) for b in srv.addr)
        return "[2001:db8::%x]" % r.randint(1, 0xffff)

    def cookie(self, long=False):
        r = self.r
        n = r.randint(1, 4) if not long else r.randint(20, 40)
        parts = []
        for _ in range(n):
            parts.append("%s=%s" % (self.token(r.randint(3, 10)), self.token(r.randint(8, 40 if not long else 60))))
        return "; ".join(parts)

    def ua(self, agent, osf):
        r = self.r
        osstr = r.choice(UA_OS[osf])
        fv = r.choice(("3.6.13", "10.0", "45.0", "68.0", "78.0", "91.0", "102.0", "115.0"))
        cv = r.choice(("18.0.1025.162", "49.0.2623.112", "79.0.3945.130", "91.0.4472.124", "114.0.0.0"))
        if agent == "firefox":
            return "Mozilla/5.0 (%s; rv:%s) Gecko/20100101 Firefox/%s" % (osstr, fv, fv)
        if agent in ("chrome", "edge", "chrome-android"):
            s = "Mozilla/5.0 (%s) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%s %sSafari/537.36" % (
                osstr, cv, "Mobile " if agent == "chrome-android" else "")
            if agent == "edge":
                s += " Edg/%s" % cv
            return s
        if agent == "msie":
            return "Mozilla/%s (compatible; MSIE %s; %s; Trident/%s)" % (
                r.choice(("4.0", "5.0")), r.choice(("7.0", "8.0", "9.0", "10.0")), osstr.split(";")[0],
                r.choice(("4.0", "5.0", "6.0")))
        if agent == "safari":
            return ("Mozilla/5.0 (%s) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/%s "
                    "%sSafari/605.1.15" % (osstr, r.choice(("9.1.2", "13.1", "14.0.3", "16.5")),
                                         "Mobile/15E148 " if osf == "ios" else ""))
        if agent == "android-old":
            return ("Mozilla/5.0 (Linux; U; Android 2.3.6; en-us; GT-S5830 Build/GINGERBREAD) "
                    "AppleWebKit/533.1 (KHTML, like Gecko) Version/4.0 Mobile Safari/533.1")
        if agent == "curl":
            return "curl/" + r.choice(("7.19.7", "7.29.0", "7.58.0", "7.68.0", "7.81.0", "8.1.2"))
        if agent == "wget":
            return "Wget/" + r.choice(("1.12 (linux-gnu)", "1.19.4 (linux-gnu)", "1.20.3 (linux-gnu)", "1.21.2"))
        if agent == "python":
            return "Python-urllib/" + r.choice(("2.6", "2.7", "3.8", "3.10"))
        if agent == "requests":
            return "python-requests/" + r.choice(("2.18.4", "2.22.0", "2.28.1"))
        if agent == "java":
            return "Java/" + r.choice(("1.6.0_26", "1.7.0_80", "1.8.0_181"))
        if agent == "googlebot":
            return "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        if agent == "bingbot":
            return "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
        if agent == "baidu":
            return "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
        if agent == "yandex":
            return "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)"
        if agent == "lynx":
            return "Lynx/2.8.9rel.1 libwww-FM/2.14 SSL-MM/1.4.1 OpenSSL/1.1.1d"
        if agent == "w3m":
            return "w3m/0.5.3+git20190105"
        if agent == "fetch":
            return "fetch libfetch/2.0"
        return "Mozilla/5.0 (%s) Gecko" % osstr

    def request(self, cli, srv, method="GET", ver=None, path=None, extra=()):
        """A realistic request; returns (first_line, [(name, value)])."""
        r = self.r
        osf = OS_FAMILY[cli.os]
        agent = cli.ua if cli.ua and r.random() < 0.85 else wpick(r, AGENTS[osf])
        host = self.host_hdr(srv)
        lang = r.choice(LANGS)
        path = path or r.choice(PATHS)
        v11 = True
        acc_html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        ua_agent = agent
        if agent == "dishonest":
            agent = r.choice(("chrome", "firefox", "curl", "msie"))
            ua_agent = r.choice(("firefox", "safari", "chrome", "wget", "googlebot"))
        ua = self.ua(ua_agent, osf)
        h = []
        if agent == "firefox":
            h = [("Host", host), ("User-Agent", ua), ("Accept", acc_html)]
            if r.random() < 0.85:
                h.append(("Accept-Language", lang))
            h.append(("Accept-Encoding", r.choice(("gzip, deflate", "gzip, deflate, br", "gzip,deflate"))))
            if r.random() < 0.15:
                h.append(("Accept-Charset", "ISO-8859-1,utf-8;q=0.7,*;q=0.7"))
                h.append(("Keep-Alive", r.choice(("115", "300"))))
            if r.random() < 0.3:
                h.append(("DNT", "1"))
            h.append(("Connection", "keep-alive"))
            if r.random() < 0.4:
                h.append(("Referer", "http://%s%s" % (r.choice(DOMAINS), r.choice(PATHS))))
            if r.random() < 0.4:
                h.append(("Cookie", self.cookie()))
            if r.random() < 0.4:
                h.append(("Upgrade-Insecure-Requests", "1"))
        elif agent in ("chrome", "edge", "chrome-android"):
            h = [("Host", host), ("Connection", "keep-alive")]
            if r.random() < 0.6:
                h.append(("Upgrade-Insecure-Requests", "1"))
            if r.random() < 0.5:
                h += [("User-Agent", ua), ("Accept", acc_html)]
            else:
                h += [("Accept", acc_html), ("User-Agent", ua)]
            if r.random() < 0.3:
                h.append(("Referer", "http://%s/" % r.choice(DOMAINS)))
            h.append(("Accept-Encoding", r.choice(("gzip, deflate, sdch", "gzip,deflate,sdch", "gzip, deflate, br"))))
            h.append(("Accept-Language", lang))
            if r.random() < 0.1:
                h.append(("Accept-Charset", "utf-8;q=0.7,*;q=0.3"))
            if r.random() < 0.4:
                h.append(("Cookie", self.cookie()))
        elif agent == "msie":
            h = [("Accept", r.choice(("*/*", "text/html, application/xhtml+xml, */*", "image/gif, image/jpeg, */*")))]
            if r.random() < 0.3:
                h.append(("Referer", "http://%s/" % r.choice(DOMAINS)))
            if r.random() < 0.8:
                h.append(("Accept-Language", lang))
            if r.random() < 0.2:
                h.append(("UA-CPU", "AMD64"))
            h += [("User-Agent", ua), ("Accept-Encoding", "gzip, deflate"), ("Host", host),
                  ("Connection", "Keep-Alive")]
            if r.random() < 0.3:
                h.append(("Cookie", self.cookie()))
            if r.random() < 0.2:
                v11 = False
        elif agent == "safari":
            h = [("Host", host), ("Accept-Encoding", "gzip, deflate"), ("Connection", "keep-alive"),
                 ("Accept", acc_html), ("User-Agent", ua), ("Accept-Language", lang.lower())]
            if r.random() < 0.3:
                h.append(("Referer", "http://%s/" % r.choice(DOMAINS)))
            if r.random() < 0.2:
                h.append(("DNT", "1"))
            if r.random() < 0.3:
                h.append(("Cookie", self.cookie()))
        elif agent == "android-old":
            h = [("Host", host), ("Accept-Encoding", "gzip"), ("Accept-Language", lang), ("User-Agent", ua),
                 ("Accept", "application/xml,application/xhtml+xml,text/html;q=0.9,text/plain;q=0.8,image/png,*/*;q=0.5"),
                 ("Accept-Charset", "utf-16, *;q=0.7")]
        elif agent == "curl":
            if r.random() < 0.5:
                h = [("User-Agent", ua), ("Host", host), ("Accept", "*/*")]
            else:
                h = [("Host", host), ("User-Agent", ua), ("Accept", "*/*")]
        elif agent == "wget":
            h = [("User-Agent", ua), ("Accept", "*/*")]
            if r.random() < 0.5:
                h.append(("Accept-Encoding", "identity"))
            h += [("Host", host), ("Connection", "Keep-Alive")]
            v11 = r.random() < 0.5
        elif agent == "python":
            h = [("Accept-Encoding", "identity"), ("Host", host), ("Connection", "close"), ("User-Agent", ua)]
            v11 = r.random() < 0.7
        elif agent == "requests":
            h = [("Host", host), ("User-Agent", ua), ("Accept-Encoding", "gzip, deflate"), ("Accept", "*/*"),
                 ("Connection", "keep-alive")]
        elif agent == "java":
            h = [("User-Agent", ua), ("Host", host), ("Accept", "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"),
                 ("Connection", "keep-alive")]
        elif agent == "googlebot":
            h = [("Host", host), ("Connection", "Keep-alive"), ("Accept", "*/*"),
                 ("From", "googlebot(at)googlebot.com"), ("User-Agent", ua), ("Accept-Encoding", "gzip,deflate")]
            if r.random() < 0.3:
                h.append(("If-Modified-Since", http_date(1500000000 + r.randint(0, 10 ** 8))))
        elif agent == "bingbot":
            h = [("Cache-Control", "no-cache"), ("Connection", "Keep-Alive"), ("Pragma", "no-cache"),
                 ("Accept", "*/*"), ("Accept-Encoding", "gzip, deflate"), ("Host", host), ("User-Agent", ua)]
        elif agent == "baidu":
            h = [("Host", host), ("Connection", "close"), ("User-Agent", ua), ("Accept-Language", "zh-cn,zh-tw"),
                 ("Accept-Encoding", "gzip"), ("Accept", "*/*")]
        elif agent == "yandex":
            h = [("Host", host), ("Connection", "Keep-Alive"), ("Accept", "*/*"), ("Accept-Encoding", "gzip,deflate"),
                 ("Accept-Language", "en-us, en;q=0.7, *;q=0.01"), ("User-Agent", ua),
                 ("From", "support@search.yandex.ru")]
        elif agent == "lynx":
            h = [("Host", host), ("Accept", "text/html, text/plain, text/sgml, */*;q=0.01"),
                 ("Accept-Encoding", "gzip, compress"), ("Accept-Language", lang), ("User-Agent", ua)]
            v11 = False
        elif agent == "w3m":
            h = [("User-Agent", ua), ("Accept", "text/html, text/*;q=0.5, image/*"),
                 ("Accept-Encoding", "gzip, compress, bzip, bzip2, deflate"), ("Accept-Language", "ja;q=1.0, en;q=0.5"),
                 ("Host", host)]
            v11 = False
        else:  # fetch
            h = [("Host", host), ("User-Agent", ua), ("Connection", "close")]
        x = r.random()
        if x < 0.06:
            h.append(("Via", r.choice(("1.1 proxy.example.com (squid/3.5.27)", "1.1 varnish (Varnish/6.0)",
                                       "1.0 fred, 1.1 p.example.net"))))
        elif x < 0.12:
            h.append(("X-Forwarded-For", ", ".join("%d.%d.%d.%d" % (r.randint(1, 223), r.randint(0, 255), r.randint(0, 255),
                                                                    r.randint(1, 254)) for _ in range(r.randint(1, 3)))))
        elif x < 0.14:
            h.insert(r.randint(0, len(h)), ("X-Forwarded-For", "10.%d.%d.%d" % (r.randint(0, 255), r.randint(0, 255),
                                                                             r.randint(1, 254))))
            h.append(("Via", "1.1 gw"))
        for e in extra:
            h.append(e)
        if ver is None:
            ver = 1 if v11 else 0
        return "%s %s HTTP/1.%d" % (method, path, ver), h

    def response(self, srv, req_ver, head, t_s, status=None, body_len=None):
        """A realistic response; returns (header bytes, body bytes)."""
        r = self.r
        sw = srv.sw
        st = status or wpick(r, (("200 OK", 70), ("301 Moved Permanently", 6), ("302 Found", 5),
                                 ("304 Not Modified", 8), ("404 Not Found", 8), ("500 Internal Server Error", 2),
                                 ("403 Forbidden", 1)))
        ver = 1 if req_ver == 1 or r.random() < 0.5 else 0
        if r.random() < 0.05:
            ver = 1 - ver
        first = "HTTP/1.%d %s" % (ver, st)
        date = http_date(t_s + srv.date_skew)
        lm = http_date(t_s - r.randint(3600, 10 ** 8))
        etag = '"%x-%x"' % (r.getrandbits(20), r.getrandbits(44))
        if st.startswith(("304", "204")):
            blen = 0
        elif body_len is not None:
            blen = body_len
        else:
            blen = r.choice((0, r.randint(20, 600), r.randint(600, 3000), r.randint(3000, 12000)))
        ctype = r.choice(("text/html", "text/html; charset=UTF-8", "text/html; charset=iso-8859-1", "image/png",
                          "application/json", "text/css", "application/javascript"))
        keep = r.random() < 0.7
        chunked = r.random() < 0.15 and blen > 0 and ver == 1
        loc = ("Location", "http://%s/%s" % (r.choice(DOMAINS), self.token(6))) if st[:3] in ("301", "302") else None
        h = []
        if sw == "apache":
            h = [("Date", date), ("Server", r.choice(("Apache/2.4.41 (Ubuntu)", "Apache/2.2.15 (CentOS)", "Apache",
                                                      "Apache/2.4.6 (Red Hat Enterprise Linux) OpenSSL/1.0.2k-fips")))]
            if loc:
                h.append(loc)
            if r.random() < 0.6:
                h += [("Last-Modified", lm), ("ETag", etag), ("Accept-Ranges", "bytes")]
            if not chunked:
                h.append(("Content-Length", str(blen)))
            if r.random() < 0.4:
                h.append(("Vary", "Accept-Encoding"))
            if keep:
                h += [("Keep-Alive", "timeout=5, max=%d" % r.randint(90, 100)), ("Connection", "Keep-Alive")]
            else:
                h.append(("Connection", "close"))
            if chunked:
                h.append(("Transfer-Encoding", "chunked"))
            h.append(("Content-Type", ctype))
        elif sw == "nginx":
            h = [("Server", r.choice(("nginx", "nginx/1.18.0 (Ubuntu)", "nginx/1.14.2", "nginx/0.7.67"))),
                 ("Date", date), ("Content-Type", ctype)]
            if not chunked:
                h.append(("Content-Length", str(blen)))
            else:
                h.append(("Transfer-Encoding", "chunked"))
            if r.random() < 0.5:
                h.append(("Last-Modified", lm))
            h.append(("Connection", "keep-alive" if keep else "close"))
            if loc:
                h.append(loc)
            if keep and r.random() < 0.4:
                h.append(("Keep-Alive", "timeout=20"))
            if r.random() < 0.5:
                h += [("ETag", etag), ("Accept-Ranges", "bytes")]
        elif sw == "iis":
            if not chunked:
                h.append(("Content-Length", str(blen)))
            h.append(("Content-Type", ctype))
            if loc:
                h.append(loc)
            if r.random() < 0.5:
                h += [("Last-Modified", lm), ("Accept-Ranges", "bytes"), ("ETag", etag)]
            h += [("Server", r.choice(("Microsoft-IIS/7.5", "Microsoft-IIS/8.5", "Microsoft-IIS/10.0")))]
            if r.random() < 0.7:
                h.append(("X-Powered-By", "ASP.NET"))
            h.append(("Date", date))
            if not keep:
                h.append(("Connection", "close"))
        elif sw == "lighttpd":
            h = [("Content-Type", ctype), ("Accept-Ranges", "bytes"), ("ETag", etag), ("Last-Modified", lm)]
            if not chunked:
                h.append(("Content-Length", str(blen)))
            h += [("Date", date), ("Server", r.choice(("lighttpd/1.4.55", "lighttpd/1.4.35", "lighttpd/2.0.0")))]
        elif sw == "gws":
            h = [("Date", date), ("Expires", "-1"), ("Cache-Control", "private, max-age=0"), ("Content-Type", ctype),
                 ("P3P", 'CP="This is not a P3P policy!"'), ("Server", "gws"), ("X-XSS-Protection", "0"),
                 ("X-Frame-Options", "SAMEORIGIN"), ("Set-Cookie", "NID=%s; expires=%s; path=/; domain=.google.com; HttpOnly"
                                                     % (self.token(r.randint(40, 180)), date))]
            chunked = blen > 0 and ver == 1
            if chunked:
                h.append(("Transfer-Encoding", "chunked"))
            else:
                h.append(("Content-Length", str(blen)))
        else:  # cloudflare
            h = [("Date", date), ("Content-Type", ctype)]
            if not chunked:
                h.append(("Content-Length", str(blen)))
            else:
                h.append(("Transfer-Encoding", "chunked"))
            h += [("Connection", "keep-alive" if keep else "close"),
                  ("Set-Cookie", "__cfduid=%s; expires=%s; path=/; domain=.example.com; HttpOnly" % (self.token(43), date)),
                  ("CF-Cache-Status", r.choice(("HIT", "MISS", "DYNAMIC"))), ("Server", "cloudflare"),
                  ("CF-RAY", "%x-%s" % (r.getrandbits(60), r.choice(("FRA", "AMS", "SJC", "WAW"))))]
        if r.random() < 0.1:
            h.append(("Via", "1.1 varnish"))
        if r.random() < 0.05:
            h.append(("X-Cache", "MISS from proxy"))
        body = b"" if head else self.body(blen, chunked)
        return first, h, body

    def body(self, n, chunked=False):
        r = self.r
        if n <= 0:
            return b""
        words = (b"lorem ", b"ipsum ", b"<p>", b"</p>\n", b"dolor ", b"sit ", b"amet ", b"<div class=\"x\">",
                 b"</div>\n", b"\xc3\xa9t\xc3\xa9 ", b"\x00\x01\x02", b"\xff\xd8\xff\xe0")
        out = bytearray(b"<!DOCTYPE html>\n<html><head><title>t</title></head><body>\n")
        while len(out) < n:
            out += r.choice(words)
        out = bytes(out[:n])
        if chunked:
            return b"%x\r\n" % len(out) + out + b"\r\n0\r\n\r\n"
        return out


# ---------------------------------------------------------------------------
# Conversation scripts
# ---------------------------------------------------------------------------

class Script:
    """Builds a flow's packet list with consistent sequence / ack numbers.
    A step is [dir, flags, seq, ack, payload, special, arg]; dir 0 is
    client to server."""

    def __init__(self, fl):
        self.fl = fl
        self.steps = fl.steps
        self.nxt = [(fl.c_isn + 1) & 0xFFFFFFFF, (fl.s_isn + 1) & 0xFFFFFFFF]

    def syn(self, seq=None, payload=b""):
        seq = self.fl.c_isn if seq is None else seq
        self.steps.append([0, F_SYN, seq, 0, payload, SP_SYN, None])

    def synack(self, ack=None):
        fl = self.fl
        a = self.nxt[0] if ack is None else ack
        self.steps.append([1, F_SYN | F_ACK, fl.s_isn, a, b"", SP_SYNACK, None])

    def ack(self, d, flags=F_ACK, seq_delta=0, payload=b""):
        self.steps.append([d, flags, (self.nxt[d] + seq_delta) & 0xFFFFFFFF, self.nxt[1 - d], payload, SP_NONE, None])

    def idle(self, us):
        self.steps.append([0, 0, 0, 0, b"", SP_IDLE, us])

    def segs(self, d, data, cuts=(), mss=None):
        """Cut data at the given offsets and at the MSS; returns the steps
        (not yet appended) and advances the sequence space."""
        mss = mss or self.fl.eff_mss
        pts = sorted(set(c for c in cuts if 0 < c < len(data)))
        pieces = []
        prev = 0
        for c in pts + [len(data)]:
            chunk = data[prev:c]
            while len(chunk) > mss:
                pieces.append(chunk[:mss])
                chunk = chunk[mss:]
            if chunk:
                pieces.append(chunk)
            prev = c
        out = []
        for i, p in enumerate(pieces):
            fl = F_ACK | (F_PSH if i == len(pieces) - 1 else 0)
            out.append([d, fl, self.nxt[d], self.nxt[1 - d], p, SP_NONE, None])
            self.nxt[d] = (self.nxt[d] + len(p)) & 0xFFFFFFFF
        return out

    def put(self, steps):
        self.steps.extend(steps)

    def fin(self, d, payload=b""):
        fl = F_FIN | F_ACK | (F_PSH if payload else 0)
        self.steps.append([d, fl, self.nxt[d], self.nxt[1 - d], payload, SP_NONE, None])
        self.nxt[d] = (self.nxt[d] + len(payload) + 1) & 0xFFFFFFFF

    def rst(self, d, with_ack=True):
        self.steps.append([d, F_RST | (F_ACK if with_ack else 0), self.nxt[d],
                           self.nxt[1 - d] if with_ack else 0, b"", SP_NONE, None])


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------

class Gen:
    def __init__(self, rng, nflows, max_hosts):
        self.r = rng
        self.http = Http(rng)
        self.nflows = nflows
        self.cli4, self.cli6, self.srv4, self.srv6 = [], [], [], []
        if max_hosts:
            ncli = max(4, max_hosts - 60)
            self.caps = {(4, False): max(2, ncli * 4 // 5), (6, False): max(2, ncli // 5),
                         (4, True): 45, (6, True): 15}
        else:
            self.caps = {(4, False): 20 + nflows // 2, (6, False): 8 + nflows // 8,
                         (4, True): 45, (6, True): 15}
        self.used = set()
        self.active_tuples = set()
        self.finished = deque(maxlen=400)
        self.n_started = 0
        self.stats = {}

    def count(self, k):
        self.stats[k] = self.stats.get(k, 0) + 1

    # -- hosts ----------------------------------------------------------------

    def addr(self, ver, server):
        r = self.r
        if ver == 4:
            x = r.random()
            if server:
                return bytes([r.choice((93, 104, 151, 172, 185, 192, 203, 198)), r.randint(0, 255),
                              r.randint(0, 255), r.randint(1, 254)])
            if x < 0.35:
                return bytes([10, r.randint(0, 255), r.randint(0, 255), r.randint(1, 254)])
            if x < 0.55:
                return bytes([192, 168, r.randint(0, 255), r.randint(1, 254)])
            return bytes([r.randint(1, 223), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254)])
        pre = struct.pack("!HHHH", r.choice((0x2001, 0x2a00, 0x2606, 0x2400)), r.randint(0, 0xffff),
                          r.randint(0, 0xffff), r.randint(0, 0xffff))
        if server and r.random() < 0.6:
            return pre + struct.pack("!HHHH", 0, 0, 0, r.randint(1, 0xff))
        return pre + bytes(r.getrandbits(8) for _ in range(8))

    def new_host(self, ver, server):
        r = self.r
        h = Host()
        h.ver = ver
        h.addr = self.addr(ver, server)
        h.mac = bytes([r.choice((0x00, 0x3c, 0xf4, 0x52, 0xa4))] + [r.getrandbits(8) for _ in range(5)])
        h.ua = None
        h.sw = None
        h.date_skew = 0
        if server:
            p = wpick(r, [(s, s[1]) for s in SERVER_OS])
            h.os, h.ittl = p[0], p[2]
            h.ipid_mode = p[5]
            h.ts_hz = r.choice(p[6])
            h.ts_percon = False
            h.sw = r.choice(p[7])
            h.date_skew = 0 if r.random() < 0.9 else r.randint(-4000, 4000)
        else:
            p = wpick(r, [(c, c[1]) for c in CLIENT_OS])
            h.os, h.ittl = p[0], p[2]
            h.ipid_mode = p[6]
            h.ts_hz = r.choice(p[7]) if p[7] else 0
            h.ts_percon = p[8]
            if r.random() < 0.7:
                h.ua = wpick(r, AGENTS[OS_FAMILY[h.os]])
        h.dist = r.choice((0, 0, 1, 2, 3, 5, 7, 9, 11, 14, 17, 20))
        h.df = r.random() < 0.97
        h.ipid = r.randint(1, 0xffff)
        h.ts_base = r.getrandbits(32)
        h.flow_label = r.random() < 0.5
        return h

    def host(self, ver, server):
        key = (ver, server)
        pool = {(4, False): self.cli4, (6, False): self.cli6, (4, True): self.srv4, (6, True): self.srv6}[key]
        cap = self.caps[key]
        if len(pool) < cap and (not pool or self.r.random() < 0.7):
            pool.append(self.new_host(ver, server))
            return pool[-1]
        # prefer recently added hosts a little
        if self.r.random() < 0.5:
            return pool[-1 - int(self.r.random() ** 2 * len(pool))]
        return self.r.choice(pool)

    # -- flows ------------------------------------------------------------------

    def client_profile(self, os_name):
        for c in CLIENT_OS:
            if c[0] == os_name:
                return c
        raise KeyError(os_name)

    def server_profile(self, os_name):
        for s in SERVER_OS:
            if s[0] == os_name:
                return s
        raise KeyError(os_name)

    def new_flow(self, now):
        r = self.r
        fl = Flow()
        fl.steps = []
        fl.pos = 0
        fl.wake = 0
        reuse = None
        if self.finished and r.random() < 0.04:
            for _ in range(4):
                cand = r.choice(self.finished)
                if cand[4] not in self.active_tuples:
                    reuse = cand
                    break
        if reuse:
            fl.cli, fl.srv, fl.cport, fl.sport, fl.tuple = reuse
            self.count("tuple reused")
        else:
            ver = 6 if r.random() < 0.2 else 4
            for _ in range(1000):
                cli = self.host(ver, False)
                srv = self.host(ver, True)
                if cli.os.startswith("win"):
                    cport = r.randint(49152, 65535)
                elif cli.os.startswith(("linux", "android")):
                    cport = r.randint(32768, 60999)
                else:
                    cport = r.randint(1024, 65535)
                sport = 80 if r.random() < 0.8 else r.choice((8080, 8000, 443, 25, 22, 6379, 3128, 81))
                tup = (cli.addr, cport, srv.addr, sport)
                if tup not in self.used:
                    break
            self.used.add(tup)
            fl.cli, fl.srv, fl.cport, fl.sport, fl.tuple = cli, srv, cport, sport, tup
        self.active_tuples.add(fl.tuple)
        cp = self.client_profile(fl.cli.os)
        sp = self.server_profile(fl.srv.os)
        v6 = fl.cli.ver == 6
        fl.c_isn = r.getrandbits(32)
        fl.s_isn = r.getrandbits(32)
        fl.c_layout = cp[3]
        fl.c_mss = r.choice(MSS6 if v6 else MSS4)
        fl.c_ws = r.choice(cp[5]) or 0
        w = cp[4]
        fl.c_synwin = (fl.c_mss * (w[2] if v6 else w[1])) & 0xFFFF if isinstance(w, tuple) else w
        if fl.c_synwin == 0:
            fl.c_synwin = 65535
        has_ts = "ts" in fl.c_layout
        has_sok = "sok" in fl.c_layout
        has_ws = "ws" in fl.c_layout
        # the server answers with what the client offered
        s_ts = has_ts and sp[6] and (sp[0] != "windows" or r.random() < 0.5)
        lay = ["mss"]
        if sp[0].startswith("linux"):
            if has_sok and s_ts:
                lay += ["sok", "ts"]
            elif has_sok:
                lay += ["nop", "nop", "sok"]
            elif s_ts:
                lay += ["nop", "nop", "ts"]
            if has_ws:
                lay += ["nop", "ws"]
        else:
            if has_ws and sp[4]:
                lay += ["nop", "ws"]
            if has_sok and s_ts:
                lay += ["sok", "ts"]
            elif has_sok:
                lay += ["nop", "nop", "sok"] if sp[0].startswith("windows") else ["sok", "eol"]
            elif s_ts:
                lay += ["nop", "nop", "ts"]
        fl.s_layout = tuple(lay)
        fl.s_mss = r.choice(SRV_MSS6 if v6 else SRV_MSS4)
        fl.s_ws = sp[4]
        w = sp[3]
        fl.s_synwin = (fl.s_mss * w[1]) & 0xFFFF if isinstance(w, tuple) else w
        fl.ts_ok = bool(has_ts and s_ts)
        fl.ts_off = [r.getrandbits(32) if fl.cli.ts_percon else 0, 0]
        fl.last_ts = [0, 0]
        fl.win = [r.choice((502, 501, 229, 1026, 2053, 64240, 513, 8212)),
                  r.choice((509, 235, 1024, 258, 65535, 16425))]
        fl.ipid = [r.randint(1, 0xffff), r.randint(1, 0xffff)]
        fl.flabel = r.getrandbits(20) if (v6 and fl.cli.flow_label) else 0
        fl.eff_mss = min(fl.c_mss, fl.s_mss) - (12 if fl.ts_ok else 0)
        self.n_started += 1
        self.plan(fl, now)
        return fl

    def finish(self, fl):
        self.active_tuples.discard(fl.tuple)
        self.finished.append((fl.cli, fl.srv, fl.cport, fl.sport, fl.tuple))

    # -- splitting ---------------------------------------------------------------

    def cuts(self, data, n=None):
        """Interesting cut points inside an HTTP-ish message."""
        r = self.r
        out = set()
        nl = data.find(b"\n")
        end = data.find(b"\r\n\r\n")
        if end < 0:
            end = data.find(b"\n\n")
        lines = []
        p = nl + 1 if nl >= 0 else len(data)
        while 0 < p < len(data):
            q = data.find(b"\n", p)
            if q < 0:
                break
            lines.append((p, q))
            p = q + 1
        for _ in range(n or r.randint(1, 4)):
            x = r.random()
            if x < 0.2 and nl > 1:
                out.add(r.randint(1, nl))                     # inside the first line
            elif x < 0.3:
                out.add(r.randint(1, 16))                     # tiny first segment
            elif x < 0.5 and lines:
                a, b = r.choice(lines)
                colon = data.find(b":", a, b)
                if colon > a:
                    out.add(r.randint(a, colon))              # inside a header name
            elif x < 0.65 and lines:
                a, b = r.choice(lines)
                colon = data.find(b":", a, b)
                if 0 < colon < b:
                    out.add(r.randint(colon, b + 1))         # inside a value / at CR, LF
            elif x < 0.85 and end > 0:
                out.add(end + r.choice((0, 1, 2, 3, 4)))     # around the blank line
            else:
                out.add(r.randint(1, max(1, len(data) - 1)))
        return sorted(c for c in out if 0 < c < len(data))

    def deliver(self, S, steps, allow_mess=True):
        """Append steps, sometimes out of order / lost / duplicated."""
        r = self.r
        if not allow_mess or len(steps) == 0:
            S.put(steps)
            return
        x = r.random()
        if x < 0.05 and len(steps) >= 2:
            i = r.randrange(len(steps) - 1)            # swap, then retransmit the rest
            order = steps[:i] + [steps[i + 1], steps[i]] + steps[i + 2:]
            S.put(order)
            if r.random() < 0.7:
                S.put([list(s) for s in steps[i + 1:]])
            self.count("out of order")
        elif x < 0.09 and len(steps) >= 2:
            i = r.randrange(len(steps) - 1)            # lost, later retransmitted
            S.put(steps[:i] + steps[i + 1:])
            if r.random() < 0.5:
                S.put([list(steps[i])])               # SACK-style: only the hole
            else:
                S.put([list(s) for s in steps[i:]])   # go-back-N
            self.count("lost segment")
        elif x < 0.13:
            i = r.randrange(len(steps))                # duplicate
            S.put(steps[:i + 1] + [list(steps[i])] + steps[i + 1:])
            self.count("duplicate segment")
        elif x < 0.15 and len(steps) >= 1:
            # repacketised retransmission covering more than one segment
            S.put(steps)
            a = r.randrange(len(steps))
            b = min(len(steps), a + r.randint(1, 3))
            st = list(steps[a])
            st[4] = b"".join(s[4] for s in steps[a:b])[:1400]
            S.put([st])
            self.count("repacketised retransmission")
        else:
            S.put(steps)

    # -- payload makers ---------------------------------------------------------

    def tls_client_hello(self):
        r = self.r
        sni = r.choice(DOMAINS).encode()
        ciphers = b"".join(struct.pack("!H", c) for c in r.sample(
            (0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c,
             0x009d, 0x002f, 0x0035, 0x0a0a), r.randint(5, 15)))
        ext = bytearray()
        ext += struct.pack("!HHHBH", 0, len(sni) + 5, len(sni) + 3, 0, len(sni)) + sni
        ext += struct.pack("!HHH", 10, 8, 6) + b"\x00\x1d\x00\x17\x00\x18"
        ext += struct.pack("!HHB", 11, 2, 1) + b"\x00"
        ext += struct.pack("!HH", 13, 10) + b"\x00\x08\x04\x03\x08\x04\x04\x01\x05\x01"
        ext += struct.pack("!HHHB", 16, 14, 12, 2) + b"h2" + b"\x08http/1.1"
        ext += struct.pack("!HH", 43, 5) + b"\x04\x03\x04\x03\x03"
        ext += struct.pack("!HH", 21, 100) + bytes(100)
        body = (b"\x03\x03" + bytes(r.getrandbits(8) for _ in range(32)) + b"\x20" +
                bytes(r.getrandbits(8) for _ in range(32)) + struct.pack("!H", len(ciphers)) + ciphers +
                b"\x01\x00" + struct.pack("!H", len(ext)) + bytes(ext))
        hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
        return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs

    def binary(self, n):
        return bytes(self.r.getrandbits(8) for _ in range(n))

    def valid_request(self, fl, method=None, ver=None, extra=()):
        r = self.r
        method = method or ("GET" if r.random() < 0.85 else "HEAD")
        first, h = self.http.request(fl.cli, fl.srv, method, ver, extra=extra)
        return first, h, method

    def malformed(self, fl, t_s):
        """(request bytes, response bytes or None, label)."""
        r = self.r
        H = self.http
        first, h, method = self.valid_request(fl)
        kind = r.choice(("ctl", "short", "long", "nover", "name_long", "name_bad", "val_long", "many", "fold",
                         "lf", "huge", "nul", "hibit", "empty_val", "no_blank", "del",
                         "r_short", "r_nover", "r_ctl", "r_many", "r_name", "r_val", "r_huge", "r_fold", "r_lf",
                         "r_hibit", "r_nul"))
        resp = None
        eol = "\r\n"
        if kind == "ctl":
            c = r.choice("\x01\x09\x0b\x1b\x00\x80\xff\x0c\x1f")
            p = r.randint(5, len(first) - 1)
            first = first[:p] + c + first[p:]
        elif kind == "del":
            first = first.replace(" HTTP", "\x7f HTTP", 1)       # DEL is accepted by p0f
        elif kind == "short":
            first = r.choice(("GET / HTTP/1", "GET /", "GET /a HTTP/1", "GET / HTTP/1.", "GET / HTTP/1.1",
                              "HEAD / HTTP/1", "GET / HTTP1.1", "GET /x HTT", "GET / H"))
            if r.random() < 0.5:
                eol = "\n"
        elif kind == "long":
            target = r.choice((1020, 1021, 1022, 1023, 1024, 1025, 1026, 1100, 2000, 1013, 1014, 1015))
            # target = offset of the LF; the CR (if any) sits just before it
            if r.random() < 0.5:
                eol = "\n"
            base = len("%s / HTTP/1.1" % method) + (1 if eol == "\r\n" else 0)
            path = "/" + H.token(max(0, target - base), "abcdefghijklmnopqrstuvwxyz0123456789/._-=&?%")
            first = "%s %s HTTP/1.%d" % (method, path, r.randint(0, 1))
        elif kind == "nover":
            first = r.choice(("GET /index.html HTTP/2.0", "GET /foo", "GET / HTTP/1.1 ", "GET / http/1.1",
                              "GET / HTTP/1.1\r", "GET / HTTP/1.x", "GET /index.html HTTP/0.9",
                              "HEAD / HTTP/1.0 extra", "GET / HTTP/1.1HTTP/1.1", "GET / XTTP/1.1", "GET  / HTTP/1.1"))
        elif kind == "name_long":
            n = r.choice((31, 32, 33, 34, 40, 64))
            h.insert(r.randint(0, len(h)), ("X-" + H.token(n - 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_0123456789"), "1"))
        elif kind == "name_bad":
            bad = r.choice((("User Agent", "x"), ("X.Custom", "1"), ("Host ", "example.com"), ("", "empty"),
                            ("X-\xc3\xbc", "1"), ("X-Foo(bar)", "1"), ("X-Tab\t", "1")))
            if r.random() < 0.25:
                # a line without a colon
                h.insert(r.randint(0, len(h)), ("X-No-Colon-Here", None))
            else:
                h.insert(r.randint(0, len(h)), bad)
        elif kind == "val_long":
            n = r.choice((1022, 1023, 1024, 1025, 1026, 1500, 2000))
            if r.random() < 0.3:
                eol = "\n"
            h.insert(r.randint(0, len(h)), (r.choice(("Cookie", "X-Data", "Referer")), H.token(n)))
        elif kind == "many":
            n = r.choice((30, 31, 32, 33, 34, 40, 60)) - len(h)
            for i in range(max(0, n)):
                h.insert(r.randint(0, len(h)), ("X-H%d" % i, H.token(r.randint(1, 12))))
        elif kind == "fold":
            i = r.randint(0, len(h))
            h.insert(i, ("X-Folded", "first part"))
            h.insert(i + 1, (None, r.choice((" second part", "\tsecond part", "   x"))))
        elif kind == "lf":
            eol = "\n"
        elif kind == "huge":
            while sum(len(a) + len(b or "") + 4 for a, b in h) < 8192 + r.randint(0, 4000):
                h.append(("X-Pad-%d" % len(h), H.token(r.randint(500, 1000))))
            if len(h) > 31:
                h = h[:31]
            if r.random() < 0.3:
                eol = "\n"
        elif kind == "nul":
            i = r.randint(0, len(h))
            h.insert(i, ("X-Nul", "a\x00b") if r.random() < 0.5 else ("\x00X", "1"))
        elif kind == "hibit":
            h.insert(r.randint(0, len(h)), ("X-Name", "J\xc3\xbcrgen \xe2\x82\xac"))
        elif kind == "empty_val":
            h.insert(r.randint(0, len(h)), (r.choice(("X-Empty", "Accept-Language", "User-Agent")), ""))
        req = self.render(first, h, eol, end=kind not in ("no_blank", "huge"))
        if kind.startswith("r_"):
            rf, rh, body = H.response(fl.srv, 1, method == "HEAD", t_s)
            reol = "\r\n"
            if kind == "r_short":
                rf = r.choice(("HTTP/1.1 OK", "HTTP/1.1 200", "HTTP/1.1 20", "HTTP/1.0 2", "HTTP/1.1 2000"))
            elif kind == "r_nover":
                rf = r.choice(("HTTP/2 200 OK", "ICY 200 OK", "HTTP 200 OK", "http/1.1 200 OK", "HTTP/1.1200 OK",
                               "RTSP/1.0 200 OK"))
            elif kind == "r_ctl":
                if r.random() < 0.5:
                    p = r.randint(1, len(rf) - 1)
                    rf = rf[:p] + r.choice("\x01\x09\x80\x00") + rf[p:]
                else:
                    rh.insert(r.randint(0, len(rh)), ("X-Ctl", "a\x01b\tc"))
            elif kind == "r_many":
                for i in range(r.choice((30, 31, 32, 33, 40)) - len(rh)):
                    rh.insert(r.randint(0, len(rh)), ("X-R%d" % i, H.token(6)))
            elif kind == "r_name":
                rh.insert(r.randint(0, len(rh)), r.choice((("X-" + H.token(r.choice((30, 31, 32))), "1"),
                                                           ("Bad Name", "1"), ("NoColon", None))))
            elif kind == "r_val":
                rh.insert(r.randint(0, len(rh)), ("Set-Cookie", "s=" + H.token(r.choice((1020, 1021, 1022, 1023, 1100)))))
            elif kind == "r_huge":
                while sum(len(a) + len(b or "") + 4 for a, b in rh) < 8192 + r.randint(0, 3000):
                    rh.append(("X-Pad-%d" % len(rh), H.token(r.randint(600, 1000))))
                rh = rh[:31]
            elif kind == "r_fold":
                rh.insert(r.randint(1, len(rh)), (None, " folded"))
            elif kind == "r_lf":
                reol = "\n"
            elif kind == "r_hibit":
                rh.insert(r.randint(0, len(rh)), ("X-Powered-By", "Caf\xc3\xa9 \xff"))
            elif kind == "r_nul":
                rh.insert(r.randint(0, len(rh)), ("X-Nul", "a\x00b"))
            resp = self.render(rf, rh, reol, end=kind != "r_huge") + body
        return req, resp, kind

    def render(self, first, hdrs, eol="\r\n", end=True):
        parts = [first, eol]
        for n, v in hdrs:
            if n is None:
                parts += [v, eol]
            elif v is None:
                parts += [n, eol]
            else:
                parts += [n, ": ", v, eol]
        if end:
            parts.append(eol)
        return "".join(parts).encode("latin-1")

    # -- the plan of one conversation ---------------------------------------------

    def plan(self, fl, now):
        r = self.r
        S = Script(fl)
        t_s = now // 1_000_000
        H = self.http

        # ---- handshake ------------------------------------------------------
        x = r.random()
        tfo = b""
        if x < 0.01:
            tfo = self.render(*self.valid_request(fl)[:2])[:r.randint(20, 200)]
            S.syn(payload=tfo)
            S.nxt[0] = (fl.c_isn + 1 + len(tfo)) & 0xFFFFFFFF
            self.count("TFO SYN with data")
        else:
            S.syn()
        y = r.random()
        if y < 0.06:
            # the SYN is retransmitted before the answer (same ISN: a dupe)
            for _ in range(r.randint(1, 3)):
                S.idle(r.randint(900_000, 3_200_000))
                S.syn(payload=tfo)
            self.count("SYN retransmitted")
        elif y < 0.08:
            S.idle(r.randint(500_000, 3_000_000))      # slow server
        z = r.random()
        if z < 0.02:
            self.count("no answer")
            return                                     # no answer at all
        if z < 0.04:
            S.rst(1)                                   # closed port
            self.count("refused")
            return
        if z < 0.045:
            S.ack(0)                                   # ACK before SYN+ACK: p0f drops the flow
            self.count("ACK before SYN+ACK")
        S.synack()
        if r.random() < 0.03:
            S.idle(r.randint(900_000, 2_000_000))
            S.synack()                                 # SYN+ACK retransmitted
            self.count("SYN+ACK retransmitted")
        if r.random() < 0.03:
            S.syn(payload=tfo)                          # SYN retransmitted after the SYN+ACK
        S.ack(0)

        # ---- what is said ---------------------------------------------------
        cat = wpick(r, (("http", 42), ("http-split", 14), ("early-resp", 6), ("server-first", 5),
                        ("non-http", 12), ("malformed", 16), ("silent", 3), ("mid-idle", 2)))
        self.count("flow " + cat)
        if cat == "silent":
            pass
        elif cat in ("http", "http-split", "mid-idle"):
            self.conv_http(S, fl, t_s, split=(cat == "http-split"), idle_mid=(cat == "mid-idle"))
        elif cat == "early-resp":
            self.conv_early(S, fl, t_s)
        elif cat == "server-first":
            self.conv_server_first(S, fl, t_s)
        elif cat == "non-http":
            self.conv_non_http(S, fl, t_s)
        else:
            req, resp, kind = self.malformed(fl, t_s)
            self.count("malformed " + kind)
            self.conv_pair(S, fl, req, resp, split=r.random() < 0.4)

        # ---- a retransmitted / new SYN on the live tuple -----------------------
        if r.random() < 0.08:
            self.syn_probe(S, fl)

        # ---- end ------------------------------------------------------------
        self.close(S, fl)

    def syn_probe(self, S, fl, mid=False):
        """A SYN on the live tuple: p0f ignores it only when it still tracks
        the flow and seq is its next client seq - 1; otherwise it starts a
        new flow (and logs the SYN again)."""
        r = self.r
        if r.random() < 0.3:
            S.idle(r.randint(50_000, 2_000_000))
        k = r.random()
        if mid and k < 0.35:
            k = 0.5                                      # mostly next-1 in the middle
        if k < 0.35:
            seq = fl.c_isn                               # the original SYN again
            self.count("SYN probe: original ISN")
        elif k < 0.75:
            seq = (S.nxt[0] - 1) & 0xFFFFFFFF            # what p0f calls a dupe, if it saw all data
            self.count("SYN probe: next-1")
        else:
            seq = r.getrandbits(32)
            self.count("SYN probe: random")
        S.steps.append([0, F_SYN, seq, 0, b"", SP_SYN, "probe"])
        a = r.random()
        if a < 0.4:
            S.ack(1)                                     # challenge ACK
        elif a < 0.7:
            S.synack()                                   # SYN+ACK again
            if r.random() < 0.5:
                S.ack(0)

    def close(self, S, fl):
        r = self.r
        x = r.random()
        if x < 0.04:
            S.idle(r.randint(31_000_000, 60_000_000))
            self.count("idle >30 s before close")
        x = r.random()
        if x < 0.55:
            first = 0 if r.random() < 0.5 else 1
            if r.random() < 0.1:
                S.fin(first, payload=self.binary(r.randint(1, 30)))   # FIN carrying data
            else:
                S.fin(first)
            other = 1 - first
            if r.random() < 0.15:
                # the other side still sends (segments after FIN)
                S.put(S.segs(other, self.binary(r.randint(10, 1800))))
                self.count("data after FIN")
            S.ack(other)
            S.fin(other)
            S.ack(first)
            if r.random() < 0.05:
                S.ack(first, flags=F_ACK, payload=b"late")             # stray data after close
        elif x < 0.8:
            d = 0 if r.random() < 0.5 else 1
            S.rst(d, with_ack=r.random() < 0.6)
            if r.random() < 0.1:
                S.ack(1 - d, payload=b"more")                          # after the RST
        else:
            self.count("left open")
            if r.random() < 0.3:
                S.idle(r.randint(5_000_000, 40_000_000))
                S.ack(0, flags=F_ACK, seq_delta=-1, payload=b"\x00" if r.random() < 0.5 else b"")  # keep-alive

    def msg(self, S, d, data, split):
        cuts = self.cuts(data) if split else ()
        return S.segs(d, data, cuts)

    def conv_http(self, S, fl, t_s, split=False, idle_mid=False):
        r = self.r
        H = self.http
        first, h, method = self.valid_request(fl)
        if r.random() < 0.1:
            eol = "\n"
        else:
            eol = "\r\n"
        req = self.render(first, h, eol)
        rsteps = self.msg(S, 0, req, split or r.random() < 0.15)
        if idle_mid:
            where = r.randint(0, len(rsteps))
            self.deliver(S, rsteps[:where])
            S.idle(r.randint(28_000_000, 45_000_000))
            self.deliver(S, rsteps[where:])
        else:
            self.deliver(S, rsteps)
        if r.random() < 0.5:
            S.ack(1)                                           # server ACKs the request
        if r.random() < 0.05:
            self.syn_probe(S, fl, mid=True)
        if r.random() < 0.05:
            # pipelined second request before the response
            f2, h2, _ = self.valid_request(fl)
            self.deliver(S, self.msg(S, 0, self.render(f2, h2), False))
        if r.random() < 0.03:
            S.idle(r.randint(31_000_000, 50_000_000))            # slow backend
            self.count("idle >30 s before response")
        rf, rh, body = H.response(fl.srv, 1 if first.endswith("1") else 0, method == "HEAD", t_s)
        resp = self.render(rf, rh, "\n" if r.random() < 0.05 else "\r\n") + body
        ssteps = self.msg(S, 1, resp, split or r.random() < 0.15)
        if idle_mid and r.random() < 0.5:
            where = r.randint(0, len(ssteps))
            self.deliver(S, ssteps[:where])
            S.idle(r.randint(28_000_000, 45_000_000))
            self.deliver(S, ssteps[where:])
        else:
            self.deliver(S, ssteps)
            if r.random() < 0.7:
                S.ack(0)
        if r.random() < 0.2 and not idle_mid:
            # keep-alive: another request / response on the same connection
            f2, h2, m2 = self.valid_request(fl)
            self.deliver(S, self.msg(S, 0, self.render(f2, h2), False))
            rf, rh, body = H.response(fl.srv, 1, m2 == "HEAD", t_s + 1)
            self.deliver(S, self.msg(S, 1, self.render(rf, rh) + body, False))

    def conv_pair(self, S, fl, req, resp, split=False):
        r = self.r
        rsteps = self.msg(S, 0, req, split)
        self.deliver(S, rsteps)
        if r.random() < 0.4:
            S.ack(1)
        if r.random() < 0.15:
            self.syn_probe(S, fl, mid=True)     # is p0f still following the flow?
        if r.random() < 0.08:
            S.idle(r.randint(29_000_000, 40_000_000))
            self.count("idle >30 s before response")
        if resp is None:
            if r.random() < 0.8:
                rf, rh, body = self.http.response(fl.srv, 1, False, 0)
                resp = self.render(rf, rh) + body
            else:
                resp = b""
        if resp:
            self.deliver(S, self.msg(S, 1, resp, split or r.random() < 0.2))
            S.ack(0)

    def conv_early(self, S, fl, t_s):
        """The response starts before the request headers are complete."""
        r = self.r
        first, h, method = self.valid_request(fl)
        req = self.render(first, h)
        rf, rh, body = self.http.response(fl.srv, 1, method == "HEAD", t_s)
        resp = self.render(rf, rh) + body
        rsteps = S.segs(0, req, self.cuts(req, r.randint(1, 3)) or [len(req) // 2])
        k = r.randint(min(1, len(rsteps) - 1), len(rsteps) - 1)
        # server steps' ack numbers are what the server saw so far
        saved = S.nxt[0]
        S.nxt[0] = rsteps[k][2] if k < len(rsteps) else saved
        ssteps = S.segs(1, resp, self.cuts(resp, 1) if r.random() < 0.5 else ())
        S.nxt[0] = saved
        j = r.randint(1, len(ssteps))
        S.put(rsteps[:k] + ssteps[:j] + rsteps[k:] + ssteps[j:])
        S.ack(0)

    def conv_server_first(self, S, fl, t_s):
        r = self.r
        kind = r.choice(("smtp", "ftp", "ssh", "http408", "pop3", "mysql"))
        self.count("server first " + kind)
        if kind == "smtp":
            S.put(S.segs(1, b"220 mail.example.com ESMTP Postfix (Ubuntu)\r\n"))
            S.put(S.segs(0, b"EHLO client.example.org\r\n"))
            S.put(S.segs(1, b"250-mail.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n"
                            b"250 8BITMIME\r\n"))
            S.put(S.segs(0, b"QUIT\r\n"))
            S.put(S.segs(1, b"221 2.0.0 Bye\r\n"))
        elif kind == "ftp":
            S.put(S.segs(1, b"220 (vsFTPd 3.0.3)\r\n"))
            S.put(S.segs(0, b"USER anonymous\r\n"))
            S.put(S.segs(1, b"331 Please specify the password.\r\n"))
        elif kind == "ssh":
            S.put(S.segs(1, b"SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5\r\n"))
            S.put(S.segs(0, b"SSH-2.0-OpenSSH_7.4\r\n"))
            S.put(S.segs(0, self.binary(r.randint(600, 1500))))
        elif kind == "http408":
            S.put(S.segs(1, b"HTTP/1.1 408 Request Timeout\r\nServer: nginx\r\nContent-Length: 0\r\n"
                            b"Connection: close\r\n\r\n"))
            first, h, _ = self.valid_request(fl)
            S.put(S.segs(0, self.render(first, h)))
        elif kind == "pop3":
            S.put(S.segs(1, b"+OK Dovecot ready.\r\n"))
            S.put(S.segs(0, b"CAPA\r\n"))
        else:
            S.put(S.segs(1, b"\x4a\x00\x00\x00\x0a5.7.33-0ubuntu0.18.04.1\x00" + self.binary(40)))
            S.put(S.segs(0, self.binary(r.randint(40, 200))))

    def conv_non_http(self, S, fl, t_s):
        r = self.r
        H = self.http
        kind = r.choice(("tls", "tls", "post", "put", "options", "connect", "proxy-get", "lower-get", "redis",
                         "binary", "smtp-client", "get-noslash", "head-noslash", "short-wait", "tiny-then-get"))
        self.count("non-http " + kind)
        resp = None
        if kind == "tls":
            req = self.tls_client_hello()
            resp = b"\x16\x03\x03" + struct.pack("!H", 2000) + self.binary(2000)
        elif kind in ("post", "put"):
            body = ("a=%s&b=%s" % (H.token(10), H.token(r.randint(10, 3000)))).encode()
            first, h, _ = self.valid_request(fl, method=kind.upper(),
                                             extra=(("Content-Type", "application/x-www-form-urlencoded"),
                                                    ("Content-Length", str(len(body)))))
            req = self.render(first, h) + body
        elif kind == "options":
            first, h, _ = self.valid_request(fl, method="OPTIONS")
            req = self.render(first.replace(" /", " *", 1) if r.random() < 0.5 else first, h)
        elif kind == "connect":
            req = ("CONNECT %s:443 HTTP/1.1\r\nHost: %s:443\r\nProxy-Connection: keep-alive\r\n"
                   "User-Agent: curl/7.68.0\r\n\r\n" % ((r.choice(DOMAINS),) * 2)).encode()
            resp = b"HTTP/1.1 200 Connection established\r\n\r\n"
        elif kind == "proxy-get":
            first, h, _ = self.valid_request(fl)
            m, p, v = first.split(" ")
            req = self.render("%s http://%s%s %s" % (m, r.choice(DOMAINS), p, v), h)
        elif kind == "lower-get":
            first, h, _ = self.valid_request(fl)
            req = self.render(first[0].lower() + first[1:] if r.random() < 0.3 else first.lower(), h)
        elif kind == "get-noslash":
            first, h, _ = self.valid_request(fl)
            req = self.render(first.replace(" /", " ", 1) if r.random() < 0.5 else first.replace(" /", " *", 1), h)
        elif kind == "head-noslash":
            first, h, _ = self.valid_request(fl, method="HEAD")
            req = self.render(first.replace("HEAD /", "HEAD "), h)
        elif kind == "redis":
            req = b"*1\r\n$4\r\nPING\r\n"         # 14 bytes: p0f waits for more
            resp = b"+PONG\r\n"
        elif kind == "binary":
            req = self.binary(r.randint(1, 900))
        elif kind == "smtp-client":
            req = b"EHLO client.example.org\r\n"
        elif kind == "short-wait":
            req = r.choice((b"GET / HTTP/1.", b"GET /", b"HEAD /", b"G", b"GET / HTTP/1.1\r"))  # under 15 bytes
            resp = None if r.random() < 0.6 else b"HTTP/1.1 400 Bad Request\r\n\r\n"
        else:  # a few bytes first, the real request later
            first, h, _ = self.valid_request(fl)
            req = self.render(first, h)
            cut = r.randint(1, 14)
            steps = S.segs(0, req, [cut])
            S.put(steps[:1])
            S.ack(1)
            S.idle(r.randint(100_000, 3_000_000))
            S.put(steps[1:])
            rf, rh, body = H.response(fl.srv, 1, False, t_s)
            S.put(S.segs(1, self.render(rf, rh) + body))
            S.ack(0)
            return
        self.deliver(S, self.msg(S, 0, req, r.random() < 0.3))
        if r.random() < 0.1:
            self.syn_probe(S, fl, mid=True)
        if resp is not None or r.random() < 0.5:
            if resp is None:
                rf, rh, body = H.response(fl.srv, 1, False, t_s, status=r.choice(("200 OK", "405 Method Not Allowed",
                                                                                 "400 Bad Request")))
                resp = self.render(rf, rh) + body
            self.deliver(S, self.msg(S, 1, resp, r.random() < 0.3))
            S.ack(0)

    def mid_stream(self, now):
        """A conversation picked up mid-stream: no SYN at all."""
        fl = self.new_flow_shell()
        S = Script(fl)
        for _ in range(self.r.randint(1, 6)):
            d = self.r.randint(0, 1)
            S.put(S.segs(d, self.binary(self.r.randint(1, 1400))))
        if self.r.random() < 0.5:
            S.fin(0)
        return fl

    def new_flow_shell(self):
        r = self.r
        fl = Flow()
        fl.steps = []
        fl.pos = 0
        fl.wake = 0
        ver = 6 if r.random() < 0.2 else 4
        fl.cli = self.host(ver, False)
        fl.srv = self.host(ver, True)
        fl.cport = r.randint(1024, 65535)
        fl.sport = r.choice((80, 443, 8080))
        fl.tuple = (fl.cli.addr, fl.cport, fl.srv.addr, fl.sport)
        fl.c_isn = r.getrandbits(32)
        fl.s_isn = r.getrandbits(32)
        fl.c_layout = fl.s_layout = ()
        fl.c_mss = fl.s_mss = 1460
        fl.c_ws = fl.s_ws = 0
        fl.c_synwin = fl.s_synwin = 65535
        fl.ts_ok = False
        fl.ts_off = [0, 0]
        fl.last_ts = [0, 0]
        fl.win = [501, 235]
        fl.ipid = [r.randint(1, 0xffff), r.randint(1, 0xffff)]
        fl.flabel = 0
        fl.eff_mss = 1400
        return fl

    # -- frames -------------------------------------------------------------------

    def frame(self, fl, st, now):
        d, flags, seq, ack, pay, sp, _ = st
        if d == 0:
            src, dst, sport, dport = fl.cli, fl.srv, fl.cport, fl.sport
        else:
            src, dst, sport, dport = fl.srv, fl.cli, fl.sport, fl.cport
        tsv = 0
        if src.ts_hz:
            tsv = (src.ts_base + fl.ts_off[d] + now * src.ts_hz // 1_000_000) & 0xFFFFFFFF
        if sp == SP_SYN:
            opts = opt_bytes(fl.c_layout, fl.c_mss, fl.c_ws, tsv, 0)
            win = fl.c_synwin
            fl.last_ts[0] = tsv
        elif sp == SP_SYNACK:
            opts = opt_bytes(fl.s_layout, fl.s_mss, fl.s_ws, tsv, fl.last_ts[0])
            win = fl.s_synwin
            fl.last_ts[1] = tsv
        elif flags & F_RST:
            opts = b""
            win = 0
        else:
            if fl.ts_ok:
                opts = b"\x01\x01\x08\x0a" + struct.pack("!II", tsv, fl.last_ts[1 - d])
                fl.last_ts[d] = tsv
            else:
                opts = b""
            win = fl.win[d]
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                          (5 + len(opts) // 4) << 4, flags, win, 0, 0) + opts + pay
        ttl = max(1, src.ittl - src.dist)
        if src.ver == 4:
            if src.ipid_mode == "seq":
                src.ipid = (src.ipid + 1) & 0xFFFF
                ipid = src.ipid
            elif src.ipid_mode == "zero" and sp == SP_SYNACK:
                ipid = 0
            elif sp == SP_SYN:
                ipid = self.r.randint(1, 0xFFFF)
            else:
                fl.ipid[d] = (fl.ipid[d] + 1) & 0xFFFF
                ipid = fl.ipid[d]
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), ipid, 0x4000 if src.df else 0,
                             ttl, 6, 0, src.addr, dst.addr)
            et = b"\x08\x00"
        else:
            fl_lab = fl.flabel if d == 0 else 0
            ip = struct.pack("!IHBB16s16s", (6 << 28) | fl_lab, len(tcp), 6, ttl, src.addr, dst.addr)
            et = b"\x86\xdd"
        return dst.mac + src.mac + et + ip + tcp



def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--flows", type=int, required=True)
    ap.add_argument("--hosts", type=int, default=0,
                    help="about this many distinct hosts (default: grows with --flows, "
                         "over 1000 at 2000 flows)")
    ap.add_argument("--stats", action="store_true", help="print what was generated to stderr")
    ap.add_argument("-o", dest="out", required=True)
    a = ap.parse_args()
    if a.flows < 1:
        sys.exit("gen_http_pcap: --flows must be positive")

    r = random.Random(a.seed)
    g = Gen(r, a.flows, a.hosts)
    now = (1_500_000_000 + r.randrange(0, 200_000_000)) * 1_000_000 + r.randrange(1_000_000)
    recs = []
    active = deque()
    started = 0
    target = 0
    phase_left = 0
    n_pkts = 0
    max_open = 0

    def add_flow():
        nonlocal started
        if r.random() < 0.02:
            fl = g.mid_stream(now)
        else:
            fl = g.new_flow(now)
            started += 1
        active.append(fl)

    while started < a.flows or active:
        if phase_left <= 0:
            x = r.random()
            if x < 0.4:
                target = r.randint(30, 80)
            elif x < 0.75:
                target = r.randint(80, 160)
            else:
                target = r.randint(160, 300)
            phase_left = r.randint(300, 3000)
        phase_left -= 1
        while started < a.flows and len(active) < target:
            add_flow()
        # next eligible flow, round-robin (with a little jitter)
        if len(active) > 2 and r.random() < 0.15:
            active.rotate(-r.randint(1, min(8, len(active) - 1)))
        fl = None
        for _ in range(len(active)):
            c = active[0]
            active.rotate(-1)
            if c.wake <= now:
                fl = c
                break
        if fl is None:
            if started < a.flows and len(active) < 300:
                add_flow()
                continue
            now = min(c.wake for c in active)
            continue
        st = fl.steps[fl.pos]
        fl.pos += 1
        frame = g.frame(fl, st, now)
        recs.append(struct.pack("<IIII", now // 1_000_000, now % 1_000_000, len(frame), len(frame)) + frame)
        n_pkts += 1
        # idle steps after this packet
        while fl.pos < len(fl.steps) and fl.steps[fl.pos][5] == SP_IDLE:
            fl.wake = now + fl.steps[fl.pos][6]
            fl.pos += 1
        if fl.pos >= len(fl.steps):
            active.pop()                       # fl is the last element after rotate
            g.finish(fl)
        max_open = max(max_open, len(active))
        now += 1000 + int(29000 * r.random() ** 2.5)

    with open(a.out, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        fh.write(b"".join(recs))
    if a.stats:
        hosts = len(g.cli4) + len(g.cli6) + len(g.srv4) + len(g.srv6)
        print("gen_http_pcap: %d packets, %d flows, %d hosts, at most %d open at once" %
              (n_pkts, started, hosts, max_open), file=sys.stderr)
        for k in sorted(g.stats):
            print("  %-40s %d" % (k, g.stats[k]), file=sys.stderr)


if __name__ == "__main__":
    main()
