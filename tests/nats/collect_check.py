#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""netprint collect against real nats-server processes on loopback ports.

  collect_check.py NETPRINT P0F_FP TLS_FP CAPTURE

- One sensor (two workers) reads a generated capture and publishes; a
  collector then writes exactly the records the sensor's --json wrote
  (multisets, "sensor" and "msg_id" aside), and its query socket answers
  for every address exactly as the sensor's does (JSON, with "sensors":
  ["s1"], and p0f's binary answers byte for byte), as does its web
  console's /api/host/ADDR.
- Two sensors read the two halves of a capture (split by address pair, so
  servers are seen by both) and one collector merges them: its records and
  its answers for every address equal those of one sensor that read the
  whole capture (no NATS), and each host lists the sensors that saw it.
  Done for the generated capture and for CAPTURE (a real one).
- The collector is stopped (SIGTERM) while its stream fills (a relay
  copies a sensor's messages at 2000 a second), and started again: across
  both runs every record once, no message applied twice; then killed
  (SIGKILL) and started again: none lost, a record written twice only as
  "again"; both times the host answers exact (rebuilt from the stream).
- A three-server cluster, R3 stream: the stream's leader is killed and
  restarted while a sensor publishes and the collector consumes; the
  collector applies every input exactly once (message ids and counts) and
  writes exactly the sensor's records.
- Foreign and malformed messages on the subjects are counted, by why, and
  skipped; the rest is applied all the same.
TAP output.
"""
import base64
import collections
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
from natslib import (Client, NatsError, NatsServer, cluster, die_with_parent,  # noqa: E402
                     have_nats_server, stop_all)
from np_run import capture_path, stop, until  # noqa: E402
from pcapfile import read_pcap, write_pcap  # noqa: E402
from records import sock_json, wait_for  # noqa: E402
from tap import check, finish  # noqa: E402

STREAM = "netprint"
HOLD = ["--hold", "200"]


def canon(obj, drop=("sensor", "msg_id", "again")):
    return json.dumps({k: v for k, v in obj.items() if k not in drop}, sort_keys=True)


def records(path):
    """The complete lines of a --json file (one may be half written)."""
    if not os.path.exists(path):
        return []
    return [json.loads(ln) for ln in open(path) if ln.endswith("\n")]


def multiset(objs):
    return collections.Counter(canon(o) for o in objs)


def addresses(objs):
    return sorted({o[side]["ip"] for o in objs for side in ("client", "server") if side in o})


def ask_binary(sock_path, addr):
    """p0f's binary query for addr, and the 232-byte answer."""
    six = ":" in addr
    q = struct.pack("=IB16s", 0x50304601, 6 if six else 4,
                    socket.inet_pton(socket.AF_INET6 if six else socket.AF_INET, addr))
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(20)
        s.connect(sock_path)
        s.sendall(q)
        buf = b""
        while len(buf) < 232:
            chunk = s.recv(232 - len(buf))
            if not chunk:
                break
            buf += chunk
    return buf


def console_host(port, addr):
    """The web console's /api/host/ADDR (its status and body)."""
    try:
        with urllib.request.urlopen("http://127.0.0.1:%s/api/host/%s" % (port, addr),
                                    timeout=20) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def stream_count(url):
    with Client(url) as c:
        return c.stream_info(STREAM)["state"]["messages"]


def stream(url, timeout=120):
    """Every message of the stream: [(seq, subject, headers, data)], asked
    again until the server answers (a cluster may still be electing)."""
    def every_message():
        try:
            with Client(url) as c:
                return c.stream_messages(STREAM)
        except (NatsError, OSError):
            return None
    return until(every_message, timeout) or []


class Sensor:
    """netprint -r CAPTURE --nats ... --json, keeping its query socket open."""

    def __init__(self, np, dbs, cap, tmp, name, url=None, extra=()):
        self.json = os.path.join(tmp, name + ".json")
        self.err = os.path.join(tmp, name + ".err")
        self.sock = os.path.join(tmp, name + ".sock")
        args = [np, "-r", cap] + dbs + ["--json", self.json, "-s", self.sock,
                                        "--http", "127.0.0.1:0"] + list(extra)
        if url:
            args += ["--nats", url, "--sensor", name]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(self.err, "w"),
                                     preexec_fn=die_with_parent)
        m = wait_for(self.err, r"\(port (\d+)\)", 60)
        self.port = m.group(1) if m else None

    def done(self, timeout=120):
        return wait_for(self.err, r"capture done", timeout) is not None

    def published(self):
        """(queued, acknowledged) so far, from its console's /api/stats."""
        url = "http://127.0.0.1:%s/api/stats" % self.port
        with urllib.request.urlopen(url, timeout=20) as r:
            n = json.load(r).get("nats") or {}
        return (n.get("queued"), n.get("acked"))

    def all_published(self, timeout=60):
        return until(lambda: (lambda p: p if p[0] == p[1] else None)(self.published()), timeout)

    def finished(self):
        """The capture read and every message it made acknowledged."""
        return self.done() and self.all_published()

    def stop(self):
        return stop(self.proc)


class Collector:
    def __init__(self, np, dbs, url, tmp, name, durable="c1", extra=HOLD):
        self.json = os.path.join(tmp, name + ".json")
        self.err = os.path.join(tmp, name + ".err")
        self.sock = os.path.join(tmp, name + ".sock")
        self.proc = subprocess.Popen(
            [np, "collect", "--nats", url, "--durable", durable, "--json", self.json,
             "-s", self.sock, "--http", "127.0.0.1:0"] + dbs + list(extra),
            stdout=subprocess.DEVNULL, stderr=open(self.err, "a"), preexec_fn=die_with_parent)
        m = wait_for(self.err, r"\(port (\d+)\)", 30)
        self.port = m.group(1) if m else None

    def stats(self):
        with urllib.request.urlopen("http://127.0.0.1:%s/api/stats" % self.port, timeout=20) as r:
            return json.load(r)

    def wait_applied(self, messages, timeout=120):
        """Until it took every message of the stream, holds nothing, and its
        --json file has every record it wrote."""
        def ready():
            s = self.stats()
            return s if s["totals"]["messages"] >= messages and \
                s["totals"]["records_held"] == 0 and \
                len(records(self.json)) == s["records_written"] else None
        return until(ready, timeout) or self.stats()

    def stop(self, sig=signal.SIGTERM):
        if sig == signal.SIGKILL:
            self.proc.kill()
            return self.proc.wait()
        return stop(self.proc)


def same_answers(sock_a, sock_b, addrs, ignore=("sensors",)):
    """The addresses whose answers differ (at most 3 shown)."""
    diff = []
    for a in addrs:
        x, y = sock_json(sock_a, a), sock_json(sock_b, a)
        for k in ignore:
            x.pop(k, None)
            y.pop(k, None)
        if x != y:
            diff.append((a, x, y))
    return diff


def one_sensor(np, dbs, cap, tmp):
    with NatsServer(os.path.join(tmp, "js1")) as srv:
        s = Sensor(np, dbs, cap, tmp, "s1", srv.url, ["--workers", "2"])
        try:
            ok = s.finished()
            c = Collector(np, dbs, srv.url, tmp, "one")
            st = c.wait_applied(stream_count(srv.url))
            want, got = records(s.json), records(c.json)
            check(ok and want and multiset(got) == multiset(want),
                  "one sensor: the collector writes exactly the %d records the sensor's --json "
                  "wrote (%d written)" % (len(want), len(got)))
            check(all(o.get("sensor") == "s1" and o.get("msg_id", "").startswith("s1.")
                      and "again" not in o for o in got),
                  "each with \"sensor\": \"s1\" and the message it came from")
            addrs = addresses(want)
            diff = same_answers(s.sock, c.sock, addrs)
            check(addrs and not diff, "its query socket answers for all %d addresses as the "
                  "sensor's does%s" % (len(addrs), "" if not diff else ": %s" % (diff[:1],)))
            sensors = {tuple(sock_json(c.sock, a).get("sensors", ())) for a in addrs}
            check(sensors == {("s1",)}, "and names the sensor that saw each host: %s" % sensors)
            bdiff = [a for a in addrs if ask_binary(s.sock, a) != ask_binary(c.sock, a)]
            check(not bdiff, "p0f's binary queries too: the same 232 bytes for all %d addresses%s"
                  % (len(addrs), "" if not bdiff else " but %s" % bdiff[:3]))
            hdiff = []
            for a in addrs[:40]:
                (st1, h1), (st2, h2) = console_host(s.port, a), console_host(c.port, a)
                h1.pop("sensors", None)
                h2.pop("sensors", None)
                if st1 != st2 or h1 != h2:
                    hdiff.append(a)
            check(not hdiff, "its web console's /api/host/ADDR is the sensor's (signatures, OS "
                  "over time, changes, clock) for %d addresses%s"
                  % (min(40, len(addrs)), "" if not hdiff else " but %s" % hdiff[:3]))
            t = st["totals"]
            derived = sum(1 for _, _, h, _ in stream(srv.url) if not h.get("Netprint-Input"))
            check(t["skipped_derived"] == derived and t["skipped_foreign"] == 0 and
                  t["skipped_malformed"] == 0 and t["skipped_other_database"] == 0 and
                  t["records_applied"] + derived == t["messages"] and st["sensors"] == ["s1"],
                  "its counters: %d messages, %d inputs applied, the %d derived ones skipped "
                  "(made again), nothing else skipped" % (t["messages"], t["records_applied"],
                                                          t["skipped_derived"]))
            c.stop()
        finally:
            s.stop()


def split_by_address(cap, tmp, name):
    """The capture's frames in two halves, by the parity of a hash of the
    frame's address pair (both directions of a connection together);
    frames that are not IPv4/IPv6 over Ethernet go to the first."""
    snaplen, linktype, frames = read_pcap(cap)
    halves = ([], [])
    for f in frames:
        data = f[3]
        side = 0
        if linktype == 1 and len(data) >= 34:
            et = int.from_bytes(data[12:14], "big")
            off = 14
            while et in (0x8100, 0x88a8) and len(data) >= off + 4:
                et = int.from_bytes(data[off + 2:off + 4], "big")
                off += 4
            if et == 0x0800 and len(data) >= off + 20:
                pair = sorted((data[off + 12:off + 16], data[off + 16:off + 20]))
                side = sum(pair[0] + pair[1]) & 1
            elif et == 0x86dd and len(data) >= off + 40:
                pair = sorted((data[off + 8:off + 24], data[off + 24:off + 40]))
                side = sum(pair[0] + pair[1]) & 1
        halves[side].append(f)
    paths = []
    for i, h in enumerate(halves):
        p = os.path.join(tmp, "%s-half%d.pcap" % (name, i))
        write_pcap(p, linktype, h, snaplen)
        paths.append(p)
    return paths, [len(h) for h in halves]


# p0f drops connections past their age limit every 50 packets a sensor sees:
# halves see other packets than the whole, so a connection that outlives
# the limit may be dropped by one and not by the other. A long limit keeps
# that p0f effect out of what the halves test measures (the merge).
AGE = ["-t", "3600,120"]


def halves(np, dbs, cap, tmp, name):
    (a, b), sizes = split_by_address(cap, tmp, name)
    with NatsServer(os.path.join(tmp, "js-" + name)) as srv:
        whole = Sensor(np, dbs, cap, tmp, name + "-whole", extra=AGE)
        sa = Sensor(np, dbs, a, tmp, name + "-a", srv.url, AGE)
        sb = Sensor(np, dbs, b, tmp, name + "-b", srv.url, AGE)
        try:
            ok = whole.done() and sa.finished() and sb.finished()
            # what the halves published is read as a backlog: a hold longer
            # than the read, so the merge never stops waiting for the other
            c = Collector(np, dbs, srv.url, tmp, name + "-c", extra=["--hold", "5000"])
            c.wait_applied(stream_count(srv.url))
            want, got = records(whole.json), records(c.json)
            check(ok and want and multiset(got) == multiset(want),
                  "%s split by address pair into %d and %d frames, two sensors, one collector: "
                  "its %d records are the %d one sensor wrote reading the whole"
                  % (name, sizes[0], sizes[1], len(got), len(want)))
            addrs = addresses(want)
            diff = same_answers(whole.sock, c.sock, addrs)
            check(addrs and not diff, "%s: the collector answers for all %d addresses as the "
                  "whole capture's sensor does%s"
                  % (name, len(addrs), "" if not diff else ": %s" % (diff[:1],)))
            seen = {a: set() for a in addrs}
            for sensor, objs in ((name + "-a", records(sa.json)), (name + "-b", records(sb.json))):
                for a in addresses(objs):
                    seen[a].add(sensor)
            both = sum(1 for v in seen.values() if len(v) == 2)
            answers = {a: sock_json(c.sock, a) for a in addrs}
            wrong = [(a, ans.get("sensors")) for a, ans in answers.items()
                     if ans.get("status") == "ok" and set(ans.get("sensors") or ()) != seen[a]]
            check(both and not wrong, "%s: each host lists the sensors that saw it (%d seen "
                  "by both)%s" % (name, both, "" if not wrong else ": %s" % wrong[:3]))
            c.stop()
        finally:
            for p in (whole, sa, sb):
                p.stop()


class Relay(threading.Thread):
    """Copies a sensor's messages (subject, headers, payload) into the stream
    of another server, in order, about rate a second: a stream that fills
    while the collector reads it, so that it can be stopped in the middle."""

    def __init__(self, msgs, url, rate=2000):
        super().__init__(daemon=True)
        self.msgs, self.url, self.rate, self.sent, self.error = msgs, url, rate, 0, None

    def run(self):
        try:
            with Client(self.url) as c:
                c.add_stream({"name": STREAM, "subjects": ["netprint.>"], "storage": "file"})
                start = time.monotonic()
                for _, subj, hdrs, data in self.msgs:
                    c.js_publish(subj, data, headers=hdrs)
                    self.sent += 1
                    ahead = self.sent / self.rate - (time.monotonic() - start)
                    if ahead > 0:
                        time.sleep(ahead)
        except Exception as e:  # noqa: BLE001 (said by the check that reads it)
            self.error = e


def restarts(np, dbs, cap, tmp):
    """The collector stopped (SIGTERM) or killed (SIGKILL) while its stream
    fills, and started again."""
    with NatsServer(os.path.join(tmp, "js-r")) as src:
        s = Sensor(np, dbs, cap, tmp, "r1", src.url)
        try:
            s.finished()
            msgs = stream(src.url)
            want = records(s.json)
            addrs = addresses(want)
            for sig, name in ((signal.SIGTERM, "stopped (SIGTERM)"),
                              (signal.SIGKILL, "killed (SIGKILL)")):
                with NatsServer(os.path.join(tmp, "js-r%d" % sig)) as srv:
                    relay = Relay(msgs, srv.url)
                    relay.start()
                    c1 = Collector(np, dbs, srv.url, tmp, "r%d-first" % sig, durable="rc")
                    mid = until(lambda: relay.sent > len(msgs) // 3, 60)
                    c1.stop(sig)
                    stopped_at = relay.sent
                    first = records(c1.json)
                    c2 = Collector(np, dbs, srv.url, tmp, "r%d-second" % sig, durable="rc")
                    relay.join(120)
                    c2.wait_applied(len(msgs), 120)
                    second = records(c2.json)
                    got, whole = multiset(first + second), multiset(want)
                    again = multiset(o for o in second if o.get("again"))
                    both = {o["msg_id"] for o in first} & {o["msg_id"] for o in second}
                    if sig == signal.SIGTERM:
                        check(mid and first and second and not relay.error and got == whole and
                              not both,
                              "collector %s when %d of %d messages were in (%d records "
                              "written), started again: %d more, every one of the %d once, no "
                              "message applied by both runs (%d marked \"again\": sent to the "
                              "first, never taken)" % (name, stopped_at, len(msgs), len(first),
                                                       len(second), len(want),
                                                       sum(again.values())))
                    else:
                        twice = got - whole
                        check(mid and first and not relay.error and not (whole - got) and
                              not (twice - again),
                              "collector %s when %d of %d messages were in (%d records "
                              "written), started again: none of the %d lost; %d written twice, "
                              "each marked \"again\" (%d marked)"
                              % (name, stopped_at, len(msgs), len(first), len(want),
                                 sum(twice.values()), sum(again.values())))
                    diff = same_answers(s.sock, c2.sock, addrs)
                    check(not diff, "and, %s and started again, it answers for all %d addresses "
                          "as the sensor does (what the first run knew, read again)%s"
                          % (name, len(addrs), "" if not diff else ": %s" % (diff[:1],)))
                    c2.stop()
        finally:
            s.stop()


def cluster_failover(np, dbs, cap, tmp):
    servers = cluster(3, os.path.join(tmp, "cl"))
    urls = ",".join(x.url for x in servers)
    try:
        s = Sensor(np, dbs, cap, tmp, "f1", urls, ["--workers", "2", "--nats-replicas", "3"])
        c = None
        try:
            until(lambda: wait_for(s.err, r"created stream|connected", 1), 60)
            until(lambda: stream_count(servers[0].url) > 0, 60)
            c = Collector(np, dbs, urls, tmp, "f-c", durable="fc")
            with Client(servers[0].url) as cl:
                leader = cl.stream_info(STREAM)["cluster"]["leader"]
            victim = next(x for x in servers if x.name == leader)
            victim.kill()
            time.sleep(2)
            victim.start()
            pub = s.done() and s.all_published(120)
            msgs = stream(servers[(servers.index(victim) + 1) % 3].url)
            inputs = collections.Counter(h.get("Nats-Msg-Id") for _, _, h, _ in msgs
                                         if h.get("Netprint-Input"))
            st = c.wait_applied(len(msgs), 180)
            want, got = records(s.json), records(c.json)
            applied_ids = collections.Counter(o["msg_id"] for o in got)
            check(pub and len(msgs) == pub[0] and max(inputs.values()) == 1 and
                  st["totals"]["records_applied"] == len(inputs) and
                  set(applied_ids) <= set(inputs) and multiset(got) == multiset(want),
                  "R3 stream, its leader %s killed and restarted while the sensor published and "
                  "the collector consumed: %d messages, %d inputs, each applied once (%d); the "
                  "collector's %d records are the sensor's %d"
                  % (leader, len(msgs), len(inputs), st["totals"]["records_applied"], len(got),
                     len(want)))
        finally:
            if c:
                c.stop()
            s.stop()
    finally:
        stop_all(servers)


def bad_messages(np, dbs, cap, tmp):
    with NatsServer(os.path.join(tmp, "js-bad")) as srv:
        s = Sensor(np, dbs, cap, tmp, "b1", srv.url)
        try:
            s.finished()
            msgs = stream(srv.url)
            with Client(srv.url) as cl:
                _, _, hdrs, _ = next(m for m in msgs if m[2].get("Netprint-Input") and
                                     m[1].endswith(".syn"))
                packed = bytearray(base64.b64decode(hdrs["Netprint-Input"]))
                boot = hdrs["Nats-Msg-Id"].split(".")[1]
                n = [max(int(h["Nats-Msg-Id"].split(".")[2]) for _, _, h, _ in msgs)]

                def pub(subject, data=b"{}", input_bytes=None, raw_input=None, sensor="b1",
                        msg_id=True):
                    h = {}
                    if msg_id and subject.startswith("netprint.%s." % sensor):
                        n[0] += 1	# the next in the sensor's order
                        h["Nats-Msg-Id"] = "%s.%s.%d" % (sensor, boot, n[0])
                    elif msg_id:	# the subject names another: not in its order
                        h["Nats-Msg-Id"] = "%s.%016x.1" % (sensor, 1)
                    if input_bytes is not None:
                        h["Netprint-Input"] = base64.b64encode(bytes(input_bytes)).decode()
                    if raw_input is not None:
                        h["Netprint-Input"] = raw_input
                    cl.js_publish(subject, data, headers=h or None)

                pub("netprint.b1.syn", msg_id=False)                      # foreign: no id
                pub("netprint.b1.syn", b"hello", msg_id=False)            # foreign
                pub("netprint.x9.syn", sensor="b1")                       # foreign: id of another
                pub("netprint.b1.syn")                                    # foreign: no input
                pub("netprint.b1.syn", raw_input="%%%not base64")         # malformed
                pub("netprint.b1.syn", input_bytes=b"\x00" * 40)          # malformed
                pub("netprint.b1.syn", input_bytes=packed[:-3])           # malformed: cut
                v = bytearray(packed)
                v[2] += 1
                pub("netprint.b1.syn", input_bytes=v)                     # another version
                d = bytearray(packed)
                d[8] ^= 0xff
                pub("netprint.b1.syn", input_bytes=d)                     # another database
                ip = bytearray(packed)
                ip[16 + 1] = 5
                pub("netprint.b1.syn", input_bytes=ip)                    # malformed: IPv5
            c = Collector(np, dbs, srv.url, tmp, "bad-c", durable="bc")
            st = c.wait_applied(stream_count(srv.url))
            t = st["totals"]
            want, got = records(s.json), records(c.json)
            check(t["skipped_foreign"] == 4 and t["skipped_malformed"] == 4 and
                  t["skipped_other_version"] == 1 and t["skipped_other_database"] == 1 and
                  multiset(got) == multiset(want) and c.proc.poll() is None,
                  "10 foreign or malformed messages on the subjects: counted (foreign %d, "
                  "malformed %d, other version %d, other database %d) and skipped; the "
                  "sensor's %d records all written"
                  % (t["skipped_foreign"], t["skipped_malformed"], t["skipped_other_version"],
                     t["skipped_other_database"], len(want)))
            rc = c.stop()
            err = open(c.err).read()
            check(rc == 0 and re.search(r"4 skipped: not a netprint sensor's", err) and
                  re.search(r"1 skipped: an input of another database", err),
                  "and says so when it stops (exit %d)" % rc)
        finally:
            s.stop()


def bad_usage(np):
    for args, what in ((["collect"], "no --nats"),
                       (["collect", "--nats", "nats://127.0.0.1:1", "--durable", "a.b"],
                        "a durable name with a dot"),
                       (["collect", "--nats", "nats://127.0.0.1:1", "--hold", "x"],
                        "a hold that is not a number"),
                       (["collect", "--nats", "nats://127.0.0.1:1", "-f", "/nonexistent.fp"],
                        "a database that cannot be read")):
        r = subprocess.run([np] + args, capture_output=True, text=True, timeout=60)
        check(r.returncode != 0 and "netprint: collect:" in r.stderr,
              "refused: %s (exit %d: %s)" % (what, r.returncode,
                                            r.stderr.strip().splitlines()[0][:100]
                                            if r.stderr else ""))


def main():
    np, p0f, tls, real = sys.argv[1:5]
    dbs = ["-f", p0f, "-f", tls]
    if not have_nats_server():
        check(False, "nats-server is installed (scripts/setup installs it)")
        return finish()
    with tempfile.TemporaryDirectory() as tmp:
        gen = capture_path("gen:9:300", tmp)
        try:
            one_sensor(np, dbs, gen, tmp)
            halves(np, dbs, gen, tmp, "generated")
            halves(np, dbs, real, tmp, os.path.basename(real).split(".")[0])
            restarts(np, dbs, capture_path("gen:11:500", tmp), tmp)
            cluster_failover(np, dbs, capture_path("gen:12:1500", tmp), tmp)
            bad_messages(np, dbs, gen, tmp)
        except NatsError as e:
            check(False, "nats-server runs: %s" % e)
        bad_usage(np)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
