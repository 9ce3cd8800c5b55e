#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""natslib.py against a real nats-server: the ground the NATS tests stand on.

One server with JetStream: a stream T (t.>, file storage, a duplicate
window of 120 s) takes 1000 messages published with HPUB, each with its
Nats-Msg-Id (binary payloads, CR LF in them), a few ids published twice
(the stream keeps the first) and one message without headers (PUB);
stream_messages gives them all back, subjects, data and headers as sent;
a deleted message is left out; a large message comes back whole through a
subscription; the stream is deleted. Then three servers as one JetStream
cluster: an R3 stream takes messages, one server (the stream's leader) is
killed, the two left still accept, the third comes back, catches up, and
every server's client reads all the messages back, through the leader and
through the replicas (direct get). Fails, never skips, without nats-server.
TAP output.
"""
import os
import shutil
import socket
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from tap import check, finish  # noqa: E402
import natslib  # noqa: E402
from natslib import Client, JetStreamError, NatsError, NatsServer, wait_until  # noqa: E402

N = 1000
TWICE = (0, 1, 7, 500, 999)	# indexes whose Nats-Msg-Id is published twice
WINDOW = 120 * 10**9	# the duplicate window, in nanoseconds


def sent(i, prefix="t"):
    """Message i as published: (subject, headers, data)."""
    data = b"m%04d\r\nMSG x 1 2\r\n" % i + bytes((i * 7 + k) % 256 for k in range(i % 64))
    return "%s.%s.%d" % (prefix, "ab"[i % 2], i % 10), {"Nats-Msg-Id": "id-%d" % i,
                                                          "X-Index": str(i)}, data


def read_until(conn, what, timeout=10):
    conn.settimeout(timeout)
    got = b""
    while what not in got:
        chunk = conn.recv(4096)
        if not chunk:
            break
        got += chunk
    return got


def fake_server(tmp):
    """A server of our own: MSG and HMSG come a byte at a time, a PING among
    them; the client must read them whole and answer PONG."""
    lsock = socket.create_server(("127.0.0.1", 0))
    seen = {}
    hmsg = b"NATS/1.0\r\nA: b\r\n\r\n" + b"a\r\nb"

    def serve():
        conn, _ = lsock.accept()
        with conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.sendall(b'INFO {"server_id":"fake","headers":true,"max_payload":1048576}\r\n')
            seen["connect"] = read_until(conn, b"PING\r\n")
            conn.sendall(b"PONG\r\n")
            seen["sub"] = read_until(conn, b"SUB x 2\r\n")
            out = (b"PING\r\nMSG x 2 5\r\nhe\r\no\r\nHMSG x 2 r.1 18 %d\r\n" % len(hmsg)
                   + hmsg + b"\r\n")
            for k in range(len(out)):
                conn.sendall(out[k:k + 1])
                time.sleep(0.002)
            seen["pong"] = read_until(conn, b"PONG\r\n")

    th = threading.Thread(target=serve, daemon=True)
    th.start()
    with Client("nats://127.0.0.1:%d" % lsock.getsockname()[1]) as c:
        sid = c.subscribe("x")
        got = [c.next_msg(sid, 10), c.next_msg(sid, 10)]
        th.join(10)
    lsock.close()
    check(b'"headers": true' in seen.get("connect", b"")
          and b'"no_responders": true' in seen["connect"],
          "CONNECT asks for headers and no_responders")
    check(got == [("x", None, None, b"he\r\no"), ("x", "r.1", {"A": "b"}, b"a\r\nb")],
          "MSG and HMSG read whole, a byte at a time, CR LF in payloads")
    check(b"PONG\r\n" in seen.get("pong", b""), "a PING from the server is answered PONG")


def single(tmp):
    with NatsServer(os.path.join(tmp, "single")) as srv, Client(srv.url) as c:
        check(c.info.get("jetstream") and c.info.get("headers"),
              "one nats-server %s up with JetStream and headers" % c.info.get("version"))
        cfg = c.add_stream({"name": "T", "subjects": ["t.>"], "storage": "file",
                            "duplicate_window": WINDOW})["config"]
        check(cfg["duplicate_window"] == WINDOW and cfg["storage"] == "file",
              "stream T created: file storage, duplicate window 120 s")

        for i in range(N):
            subject, hdrs, data = sent(i)
            c.publish(subject, data, hdrs)
            if i in TWICE:	# the same id again, other data: to be dropped
                c.publish(subject, b"duplicate", hdrs)
        c.publish("t.plain", b"no headers")
        c.flush()
        state = wait_until(lambda: (lambda s: s if s["messages"] >= N + 1 else None)(
            c.stream_info("T")["state"]), 30, "%d messages in T" % (N + 1))
        ack = c.js_publish(*[sent(7)[k] for k in (0, 2, 1)])
        check(ack.get("duplicate") is True and ack["seq"] == 8 and ack["stream"] == "T",
              "an id published again is acked as a duplicate of its first (%s)" % ack)
        state = c.stream_info("T")["state"]
        check(state["messages"] == N + 1 and state["first_seq"] == 1
              and state["last_seq"] == N + 1,
              "T holds %d messages, seq 1 to %d: duplicates dropped (%d, %d to %d)"
              % (N + 1, N + 1, state["messages"], state["first_seq"], state["last_seq"]))

        t = time.monotonic()
        got = c.stream_messages("T")
        took = time.monotonic() - t
        want = [(i + 1,) + sent(i) for i in range(N)] + [(N + 1, "t.plain", {}, b"no headers")]
        check(len(got) == N + 1, "stream_messages reads %d messages (%.1f s)" % (len(got), took))
        bad = [w for w, g in zip(want, got) if w != g]
        check(not bad and len(got) == len(want),
              "each with its seq, subject, headers and data as published%s"
              % (": first wrong %r, got %r" % (bad[0], got[want.index(bad[0])]) if bad else ""))

        c.js_api("STREAM.MSG.DELETE.T", {"seq": 5})
        got = c.stream_messages("T")
        check([m[0] for m in got] == [s for s in range(1, N + 2) if s != 5],
              "a deleted message (seq 5) is left out, the others read (%d)" % len(got))

        big = os.urandom(600 * 1024)
        sid = c.subscribe("echo.big")
        c.publish("echo.big", big, {"K": "v"})
        subj, _, hdrs, data = c.next_msg(sid)
        c.unsubscribe(sid)
        check(subj == "echo.big" and hdrs == {"K": "v"} and data == big,
              "a message of 600 KiB comes back whole, with its header, through HMSG")
        try:
            c.request("nobody.listens", b"", 5)
            check(False, "a request nobody answers raises NoResponders")
        except natslib.NoResponders:
            check(True, "a request nobody answers raises NoResponders")

        sid = c.subscribe("keep.>")
        for k in range(3):
            c.publish("keep.%d" % k, b"%d" % k)
        c.stream_info("T")	# a request while they come
        kept = [c.next_msg(sid, 5)[0] for _ in range(3)]
        check(kept == ["keep.0", "keep.1", "keep.2"],
              "messages of a subscription that come during a request are kept for it")

        c.delete_stream("T")
        try:
            c.stream_info("T")
            check(False, "stream T deleted")
        except JetStreamError as e:
            check(e.code == 404, "stream T deleted: its info is 404 (%s)" % e)


def stream_settled(c, name, replicas):
    """The stream's info once it has a leader and all replicas are current."""
    info = c.stream_info(name, timeout=3)
    cl = info.get("cluster", {})
    peers = cl.get("replicas", [])
    if cl.get("leader") and len(peers) == replicas - 1 and all(
            p.get("current") and not p.get("offline") for p in peers):
        return info
    return None


def publish_acked(clients, i, timeout=60):
    """Message i of stream C published until acked (elections may be under way);
    the same Nats-Msg-Id each time, so it is stored once."""
    subject, hdrs, data = sent(i, "c")
    deadline = time.monotonic() + timeout
    n = 0
    while True:
        c = clients[(i + n) % len(clients)]
        n += 1
        try:
            return c.js_publish(subject, data, hdrs, timeout=3)
        except (NatsError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def clustered(tmp):
    t = time.monotonic()
    servers = natslib.cluster(3, tmp)
    try:
        check(True, "3 servers as one JetStream cluster, meta leader elected (%.1f s)"
              % (time.monotonic() - t))
        clients = [Client(s.url) for s in servers]
        cfg = wait_until(lambda: clients[0].add_stream(
            {"name": "C", "subjects": ["c.>"], "storage": "file", "num_replicas": 3,
             "duplicate_window": WINDOW, "allow_direct": True}), 30, "stream C")["config"]
        info = wait_until(lambda: stream_settled(clients[0], "C", 3), 30, "C's replicas")
        check(cfg["num_replicas"] == 3, "R3 stream C created, leader %s"
              % info["cluster"]["leader"])

        acks = [publish_acked(clients, i) for i in range(100)]
        check([a["seq"] for a in acks] == list(range(1, 101)),
              "100 messages published through the 3 servers, acked seq 1 to 100")

        leader = info["cluster"]["leader"]
        dead = next(k for k, s in enumerate(servers) if s.name == leader)
        clients[dead].close()
        servers[dead].kill()
        alive = [c for k, c in enumerate(clients) if k != dead]
        t = time.monotonic()
        acks = [publish_acked(alive, i) for i in range(100, 200)]
        check(sorted(a["seq"] for a in acks) == list(range(101, 201)),
              "the stream leader %s killed: the 2 left accept 100 more, seq 101 to 200 "
              "(%.1f s)" % (leader, time.monotonic() - t))

        t = time.monotonic()
        servers[dead].start()
        clients[dead] = Client(servers[dead].url)
        wait_until(lambda: stream_settled(clients[dead], "C", 3), 60, "C's replicas again")
        check(True, "%s restarted, same store: all 3 replicas current again (%.1f s)"
              % (leader, time.monotonic() - t))

        want = [(i + 1,) + sent(i, "c") for i in range(200)]
        for s, c in zip(servers, clients):
            check(c.stream_messages("C") == want,
                  "through %s: all 200 messages as published" % s.name)
        for s, c in zip(servers, clients):
            try:
                got = wait_until(lambda: (lambda m: m if m == want else None)(
                    c.stream_messages("C", direct=True)), 30, "direct reads on " + s.name)
            except TimeoutError:
                got = None
            check(got == want, "direct get (any replica answers) through %s: all 200"
                  % s.name)
        for c in clients:
            c.close()
    finally:
        natslib.stop_all(servers)


def main():
    if not shutil.which("nats-server"):
        check(False, "nats-server is installed (scripts/setup installs it)")
        return finish()
    t = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for part in (fake_server, single, clustered):
            try:
                part(tmp)
            except Exception as e:
                check(False, "%s: %s: %s" % (part.__name__, type(e).__name__, e))
    print("# all in %.1f s" % (time.monotonic() - t))
    return finish()


if __name__ == "__main__":
    sys.exit(main())
