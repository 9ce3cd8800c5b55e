#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""netprint --nats against real nats-server processes on loopback ports.

  publish_check.py NETPRINT P0F_FP TLS_FP

- One sensor reads a generated capture with two workers, --json and
  --nats: the stream it creates ("netprint", subjects netprint.>) holds
  exactly the records --json wrote (compared as multisets of JSON objects),
  each with "sensor", on netprint.<sensor>.<kind> (the kind subject-safe),
  each with its own Nats-Msg-Id; the host logic's inputs ride on them (or
  alone on netprint.<sensor>._input) for a collector; netprint says every
  message was acknowledged.
- NATS unreachable at start: netprint fingerprints all the same (its -o
  log is written), keeps the records in its queue, and once a server
  listens there publishes them all.
- The queue's bound: with --nats-queue 16 and no server, the messages
  beyond 16 are counted as dropped, and the 16 arrive once a server comes.
- A three-server cluster and an R3 stream: the stream's leader is killed
  while the sensor publishes, and restarted; every record is in the stream
  exactly once (by message id, and as a multiset against --json).
- Bad names and options are refused before anything starts.
TAP output.
"""
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
from natslib import (Client, JetStreamError, NatsError, NatsServer, cluster, free_port,  # noqa: E402
                     have_nats_server, stop_all)
from np_run import capture_path, stop, until  # noqa: E402
from records import wait_for  # noqa: E402
from tap import check, finish  # noqa: E402

STREAM = "netprint"


def subject_kind(kind):
    return re.sub(r"[^a-z0-9]", "_", kind)


def sensor_messages(url, sensor, inputs=False):
    """The stream's record messages of one sensor: [(subject, headers,
    object)]; with inputs, its _input messages too (object None); none while
    the stream is not there."""
    with Client(url) as c:
        try:
            msgs = c.stream_messages(STREAM)
        except JetStreamError as e:
            if e.code == 404:
                return []
            raise
        return [(subj, hdrs, json.loads(data) if data else None) for _, subj, hdrs, data in msgs
                if subj.startswith("netprint.%s." % sensor) and
                (inputs or subj != "netprint.%s._input" % sensor)]


def canon(obj):
    return json.dumps(obj, sort_keys=True)


def counts(err_path):
    m = re.search(r"nats messages +(\d+) queued, (\d+) acknowledged, (\d+) dropped", open(err_path).read())
    return tuple(int(x) for x in m.groups()) if m else None


def one_sensor(np, dbs, cap, tmp):
    with NatsServer(os.path.join(tmp, "js1")) as srv:
        out, err = os.path.join(tmp, "s1.json"), os.path.join(tmp, "s1.err")
        rc = subprocess.run([np, "-r", cap] + dbs + ["--workers", "2", "--json", out,
                                                     "--nats", srv.url, "--sensor", "s1"],
                            stdout=subprocess.DEVNULL, stderr=open(err, "w")).returncode
        lines = open(out).read().splitlines()
        msgs = sensor_messages(srv.url, "s1")
        every = sensor_messages(srv.url, "s1", inputs=True)
        alone = [(subj, h) for subj, h, o in every if o is None]
        got = collections.Counter(canon({k: v for k, v in o.items() if k != "sensor"})
                                  for _, _, o in msgs)
        want = collections.Counter(canon(json.loads(ln)) for ln in lines)
        check(rc == 0 and lines and got == want,
              "one sensor: the stream holds exactly the %d records --json wrote (%d messages)"
              % (len(lines), len(msgs)))
        check(all(o.get("sensor") == "s1" and subj == "netprint.s1." + subject_kind(o["mod"])
                  for subj, _, o in msgs),
              "each with \"sensor\": \"s1\", on netprint.s1.<kind> (%s)"
              % sorted({subj for subj, _, _ in msgs})[:6])
        ids = [h.get("Nats-Msg-Id") for _, h, _ in every]
        check(len(set(ids)) == len(ids) == len(every) and all(i and i.startswith("s1.") for i in ids),
              "each message with its own id (s1.<boot>.<seq>): %s ..." % ids[:2])
        inputs = sum(1 for _, h, _ in every if h.get("Netprint-Input"))
        check(alone and all(subj == "netprint.s1._input" and h.get("Netprint-Input")
                            for subj, h in alone) and
              inputs >= len(alone) + len([1 for _, _, o in msgs if o["mod"] == "syn"]),
              "the inputs of the host logic for a collector: %d messages carry one (%d of "
              "them alone, on netprint.s1._input)" % (inputs, len(alone)))
        check(counts(err) == (len(every), len(every), 0),
              "netprint counts %s queued, acknowledged, dropped (%d messages)"
              % (counts(err), len(every)))


def late_server(np, dbs, cap, tmp, sensor, queue=None):
    """netprint starts with no server at its URL; one comes 2 s later.
    Returns (records written, messages that arrived, netprint's counts)."""
    port = free_port()
    url = "nats://127.0.0.1:%d" % port
    log, err = os.path.join(tmp, sensor + ".log"), os.path.join(tmp, sensor + ".err")
    args = [np, "-r", cap] + dbs + ["-o", log, "--http", "127.0.0.1:0", "--nats", url,
                                    "--sensor", sensor]
    if queue:
        args += ["--nats-queue", str(queue)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(err, "w"))
    try:
        done = wait_for(err, r"capture done", 60) is not None
        written = len(open(log).read().splitlines())
        time.sleep(2)	# nothing to connect to yet
        m = re.search(r"\(port (\d+)\)", open(err).read())
        with urllib.request.urlopen("http://127.0.0.1:%s/api/stats" % m.group(1), timeout=20) as r:
            waiting = json.load(r).get("nats")
        with NatsServer(os.path.join(tmp, "js-" + sensor), port=port):
            def arrived():
                every = sensor_messages(url, sensor, inputs=True)
                records = [m for m in every if m[2] is not None]
                return every if len(records) >= written or len(every) >= (queue or 1 << 60) \
                    else None
            msgs = until(arrived, 60) or sensor_messages(url, sensor, inputs=True)
            rc = stop(proc)
            return done, written, waiting, msgs, counts(err), rc
    finally:
        if proc.poll() is None:
            proc.kill()


def api_stats(err_path):
    m = re.search(r"\(port (\d+)\)", open(err_path).read())
    with urllib.request.urlopen("http://127.0.0.1:%s/api/stats" % m.group(1), timeout=20) as r:
        return json.load(r)


def cluster_failover(np, dbs, cap, tmp):
    servers = cluster(3, os.path.join(tmp, "cl"))
    out, err = os.path.join(tmp, "c1.json"), os.path.join(tmp, "c1.err")
    proc = subprocess.Popen([np, "-r", cap] + dbs + [
        "--workers", "2", "--json", out, "--http", "127.0.0.1:0", "--nats-replicas", "3",
        "--nats", ",".join(s.url for s in servers), "--sensor", "c1"],
        stdout=subprocess.DEVNULL, stderr=open(err, "w"))
    try:
        started = until(lambda: wait_for(err, r"\(port \d+\)", 1) and
                        (api_stats(err).get("nats") or {}).get("acked", 0) > 0, 60)
        with Client(servers[0].url) as c:
            leader = c.stream_info(STREAM)["cluster"]["leader"]
        victim = next(s for s in servers if s.name == leader)
        victim.kill()	# while records are being published
        at_kill = api_stats(err)["nats"]
        time.sleep(2)
        victim.start()
        wait_for(err, r"capture done", 60)
        written = len(open(out).read().splitlines())
        final = until(lambda: (lambda n: n if n["acked"] + n["failed"] >= n["queued"] else None)(
            api_stats(err)["nats"]), 90) or api_stats(err)["nats"]
        every = sensor_messages(servers[(servers.index(victim) + 1) % 3].url, "c1", inputs=True)
        msgs = [m for m in every if m[2] is not None]
        rc = stop(proc)
        ids = collections.Counter(h.get("Nats-Msg-Id") for _, h, _ in every)
        got = collections.Counter(canon({k: v for k, v in o.items() if k != "sensor"})
                                  for _, _, o in msgs)
        want = collections.Counter(canon(json.loads(ln)) for ln in open(out))
        check(started and at_kill["acked"] < final["queued"],
              "R3 stream on 3 servers: its leader %s killed after %d of %d messages were "
              "acknowledged, restarted 2 s later" % (leader, at_kill["acked"], final["queued"]))
        check(len(msgs) == written and len(ids) == len(every) == final["queued"] and
              max(ids.values()) == 1 and got == want and final["acked"] == final["queued"] and
              final["failed"] == 0 and rc == 0,
              "every message in the stream exactly once: %d messages (%d records), %d ids; "
              "netprint: %s" % (len(every), written, len(ids), final))
    finally:
        if proc.poll() is None:
            proc.kill()
        stop_all(servers)


def main():
    np, p0f, tls = sys.argv[1:4]
    dbs = ["-f", p0f, "-f", tls]
    if not have_nats_server():
        check(False, "nats-server is installed (scripts/setup installs it)")
        return finish()
    with tempfile.TemporaryDirectory() as tmp:
        cap = capture_path("gen:9:300", tmp)
        try:
            one_sensor(np, dbs, cap, tmp)
            done, written, waiting, msgs, c, rc = late_server(np, dbs, cap, tmp, "late")
            check(done and written > 16, "no server at start: netprint reads the capture and "
                  "writes its %d records to its log all the same" % written)
            total = len(msgs)
            records = sum(1 for m in msgs if m[2] is not None)
            check(waiting and not waiting["connected"] and waiting["queued"] == total and
                  waiting["acked"] == 0 and waiting["dropped"] == 0,
                  "and /api/stats says so: not connected, %d messages queued (%s)"
                  % (total, waiting))
            check(records == written and c == (total, total, 0) and rc == 0,
                  "a server comes 2 s later: all %d queued messages arrive, the %d records "
                  "among them, acknowledged (%s)" % (total, written, c))
            cluster_failover(np, dbs, capture_path("gen:9:1500", tmp), tmp)
            done, written, waiting, msgs, c, rc = late_server(np, dbs, cap, tmp, "small", queue=16)
            check(done and len(msgs) == 16 and c == (16, 16, total - 16) and
                  waiting["dropped"] == total - 16,
                  "--nats-queue 16 and no server: %d of %d messages dropped and counted, the 16 "
                  "queued arrive when it comes (%d arrived; %s)"
                  % (total - 16, total, len(msgs), c))
        except NatsError as e:
            check(False, "nats-server runs: %s" % e)
        for args, what in ((["--nats", "nats://127.0.0.1:1", "--sensor", "bad name"], "a sensor name with a space"),
                           (["--nats", "nats://127.0.0.1:1", "--sensor", "a.b"], "a sensor name with a dot (a subject token)"),
                           (["--sensor", "s1"], "--sensor without --nats"),
                           (["--nats", "nats://127.0.0.1:1", "--nats-queue", "0"], "a queue of 0")):
            r = subprocess.run([np, "-r", cap] + dbs + args, capture_output=True, text=True,
                               timeout=60)
            check(r.returncode != 0 and "netprint:" in r.stderr and "nats messages" not in r.stderr,
                  "refused before reading: %s (exit %d: %s)"
                  % (what, r.returncode, r.stderr.strip().splitlines()[-1][:120] if r.stderr else ""))
    return finish()


if __name__ == "__main__":
    sys.exit(main())
