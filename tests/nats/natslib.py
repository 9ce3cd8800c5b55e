# SPDX-License-Identifier: MIT
"""A nats-server to test against, and a small NATS client, standard library only.

  NatsServer(store_dir, port=None, cluster=None, name=None, routes=(),
             cluster_name="np")
      nats-server -js on 127.0.0.1 storing under store_dir (cluster: the
      port it takes routes on; routes: the others' ports); a context
      manager; .start() (again after .stop() or .kill(): same ports, same
      store), .stop() (SIGTERM), .kill() (SIGKILL), .url, .log (its output).
  cluster(n, tmp)   n such servers as one JetStream cluster, started, with
                    a meta leader; the caller stops them (stop_all).
  Client(url)       the NATS text protocol over one TCP socket: publish,
                    request, flush, close; and JetStream's API on top:
                    js_publish, stream_info, stream_messages, add_stream,
                    delete_stream.

Errors: NatsError (-ERR, a closed connection, nats-server missing),
NoResponders (a request nobody listens to), JetStreamError (an API answer
with "error"), ServerExited (while being waited for), and TimeoutError.
"""
import atexit
import base64
import collections
import ctypes
import json
import os
import random
import signal
import socket
import subprocess
import tempfile
import threading
import time

CRLF = b"\r\n"
_running = set()	# the servers started and not yet stopped, killed at exit
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):
    _prctl = None


def die_with_parent():
    """Popen's preexec_fn: in the child, SIGKILL once the thread that
    started it is gone, so that a test killed (a timeout) or failing leaves
    no process behind."""
    if _prctl:
        _prctl(1, signal.SIGKILL)	# PR_SET_PDEATHSIG


@atexit.register
def _kill_running():
    for s in list(_running):
        s.kill()


class NatsError(Exception):
    pass


class NoResponders(NatsError):
    pass


class ServerExited(Exception):
    """nats-server exited while we waited for it."""


class JetStreamError(NatsError):
    def __init__(self, err):
        self.code, self.err_code = err.get("code"), err.get("err_code")
        super().__init__("%s (code %s, err_code %s)"
                         % (err.get("description"), self.code, self.err_code))


_ports_handed = set()
_PORTS_DIR = os.path.join(tempfile.gettempdir(), "netprint-test-ports")


@atexit.register
def _free_ports():
    for port in _ports_handed:
        try:
            os.unlink(os.path.join(_PORTS_DIR, str(port)))
        except OSError:
            pass


def free_port():
    """A TCP port of 127.0.0.1 nobody listens on, drawn at random below the
    kernel's ephemeral range (a socket another test binds to port 0 never
    gets it, so a server killed and started again finds its port still
    free), and reserved for this process: never handed out twice, and held
    by a file in the temporary directory against tests running alongside
    (a reservation older than an hour is stale)."""
    low = 20000
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            high = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        high = 32768
    os.makedirs(_PORTS_DIR, exist_ok=True)
    rng = random.SystemRandom()
    for _ in range(1000):
        port = rng.randrange(low, max(high, low + 1000))
        if port in _ports_handed:
            continue
        path = os.path.join(_PORTS_DIR, str(port))
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            try:
                if time.time() - os.path.getmtime(path) < 3600:
                    continue
                os.utime(path)
            except OSError:
                continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _ports_handed.add(port)
        return port
    raise OSError("no free port below the ephemeral range")


def have_nats_server():
    """Is nats-server installed (scripts/setup installs it)?"""
    try:
        subprocess.run(["nats-server", "--version"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return False
    return True


def wait_until(cond, timeout, what, step=0.05):
    """Call cond() until it returns something true; that value, or TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            got = cond()
            if got:
                return got
        except (OSError, NatsError):
            if time.monotonic() >= deadline:
                raise
        if time.monotonic() >= deadline:
            raise TimeoutError("timed out (%g s) waiting for %s" % (timeout, what))
        time.sleep(step)


# Headers: "NATS/1.0[ status[ description]]\r\nKey: Value\r\n...\r\n\r\n"

def encode_headers(headers):
    lines = ["NATS/1.0"] + ["%s: %s" % (k, v) for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def decode_headers(block):
    """A header block as a dict (the last value of a repeated key). A status
    line's code and description are given as "Status" and "Description"."""
    lines = block.decode("utf-8", "replace").split("\r\n")
    out = {}
    first = lines[0].split(None, 2)
    if len(first) > 1:
        out["Status"] = first[1]
        if len(first) > 2:
            out["Description"] = first[2]
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            out[k.strip()] = v.strip()
    return out


class NatsServer:
    """One nats-server with JetStream, its output in store_dir + ".log"."""

    def __init__(self, store_dir, port=None, cluster=None, name=None, routes=(),
                 cluster_name="np"):
        self.store_dir = store_dir
        self.port = port or free_port()
        self.cluster_port = cluster	# the port for routes; None: not clustered
        self.name = name or "np-%d" % self.port
        self.routes = [r if "://" in str(r) else "nats://127.0.0.1:%d" % r
                       for r in routes]	# the other servers' cluster ports or URLs
        self.cluster_name = cluster_name
        self.url = "nats://127.0.0.1:%d" % self.port
        self.log = store_dir.rstrip("/") + ".log"
        self.proc = None

    def command(self):
        cmd = ["nats-server", "-js", "-a", "127.0.0.1", "-p", str(self.port),
               "-sd", self.store_dir, "--name", self.name]
        if self.cluster_port:
            cmd += ["--cluster", "nats://127.0.0.1:%d" % self.cluster_port,
                    "--cluster_name", self.cluster_name]
            if self.routes:
                cmd += ["--routes", ",".join(self.routes)]
        return cmd

    def start(self, wait_js=True, timeout=30):
        """Start it (nothing if it runs); return once it takes connections
        and, with wait_js, once $JS.API.INFO answers without error."""
        if self.proc and self.proc.poll() is None:
            return self
        os.makedirs(self.store_dir, exist_ok=True)
        # Bound to the main thread's life only: another thread may well end first.
        main = threading.current_thread() is threading.main_thread()
        with open(self.log, "ab") as log:
            try:
                self.proc = subprocess.Popen(self.command(), stdout=log, stderr=log,
                                             stdin=subprocess.DEVNULL,
                                             preexec_fn=die_with_parent if main else None)
            except FileNotFoundError:
                raise NatsError("nats-server is not installed (scripts/setup installs it)")
        _running.add(self)
        try:
            wait_until(self._accepting, timeout, "%s to listen on %d" % (self.name, self.port))
            if wait_js:
                self.wait_jetstream(timeout)
        except BaseException:
            self.kill()
            raise
        return self

    def _accepting(self):
        if self.proc.poll() is not None:
            raise ServerExited("nats-server %s exited (%s); its log:\n%s"
                               % (self.name, self.proc.returncode, self.log_tail()))
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def wait_jetstream(self, timeout=30):
        """Wait until $JS.API.INFO answers this server's client without error."""
        def ready():
            self._accepting()
            with Client(self.url, timeout=5) as c:
                try:
                    return c.js_api("INFO", timeout=1)	# no meta leader: no answer
                except (JetStreamError, NoResponders, TimeoutError):
                    return None
        return wait_until(ready, timeout, "JetStream on %s" % self.name, step=0.2)

    def log_tail(self, n=30):
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def stop(self, timeout=30):
        """SIGTERM, and wait (SIGKILL if it does not go)."""
        self._end(signal.SIGTERM, timeout)

    def kill(self):
        self._end(signal.SIGKILL, 30)

    def _end(self, sig, timeout):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        _running.discard(self)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def cluster(n, tmp, timeout=60):
    """n servers started as one JetStream cluster on 127.0.0.1 (stores
    tmp/nN), once $JS.API.INFO answers each: a meta leader is elected."""
    ports = [(free_port(), free_port()) for _ in range(n)]
    name = "np-%d" % ports[0][1]	# its own: never routed to another test's cluster
    servers = [NatsServer(os.path.join(tmp, "n%d" % i), port=p, cluster=cp, name="n%d" % i,
                          routes=[o for j, (_, o) in enumerate(ports) if j != i],
                          cluster_name=name)
               for i, (p, cp) in enumerate(ports)]
    try:
        for s in servers:
            s.start(wait_js=False, timeout=timeout)
        for s in servers:
            s.wait_jetstream(timeout)
    except BaseException:
        stop_all(servers)
        raise
    return servers


def stop_all(servers):
    for s in servers:
        s.stop()


class Client:
    """A NATS connection: synchronous, one socket, one inbox for requests."""

    def __init__(self, url, timeout=10, name="netprint-tests"):
        host, port = url.split("://", 1)[-1].rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=timeout)
        self.buf = b""
        self.sid = 0
        self.subs = {}	# sid: subject
        self.pending = {}	# sid: deque of its messages read but not yet asked for
        op, info = self._read_op(timeout)
        if op != "INFO":
            raise NatsError("expected INFO, got %r" % op)
        self.info = info
        connect = {"verbose": False, "pedantic": False, "headers": True,
                   "no_responders": True, "protocol": 1, "name": name, "lang": "python"}
        self._send(b"CONNECT " + json.dumps(connect).encode() + CRLF)
        self.flush(timeout)
        self.inbox = "_INBOX." + os.urandom(8).hex()
        self.inbox_sid = self.subscribe(self.inbox + ".*")
        self.req_n = 0

    # -- the protocol

    def _send(self, data):
        self.sock.sendall(data)

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no answer from the NATS server in time")
        self.sock.settimeout(left)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            raise TimeoutError("no answer from the NATS server in time")
        if not chunk:
            raise NatsError("the NATS server closed the connection")
        self.buf += chunk

    def _read_line(self, deadline):
        while CRLF not in self.buf:
            self._fill(deadline)
        line, self.buf = self.buf.split(CRLF, 1)
        return line.decode()

    def _read_bytes(self, n, deadline):
        """n bytes and the CRLF after them."""
        while len(self.buf) < n + 2:
            self._fill(deadline)
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def _read_op(self, timeout):
        """The next operation, PING answered: (op, value). MSG and HMSG give
        (subject, sid, reply, headers dict or None, payload bytes); INFO the dict."""
        deadline = time.monotonic() + timeout
        while True:
            line = self._read_line(deadline)
            op, _, rest = line.partition(" ")
            op = op.upper()
            if op == "PING":
                self._send(b"PONG\r\n")
            elif op == "+OK":
                continue
            elif op == "-ERR":
                raise NatsError("server error: " + rest.strip())
            elif op == "INFO":
                return op, json.loads(rest)
            elif op == "PONG":
                return op, None
            elif op in ("MSG", "HMSG"):
                return op, self._read_msg(op, rest.split(), deadline)
            else:
                raise NatsError("unexpected from the server: %r" % line)

    def _read_msg(self, op, args, deadline):
        # MSG subject sid [reply] size / HMSG subject sid [reply] hdr_size total_size
        nsizes = 2 if op == "HMSG" else 1
        subject, sid = args[0], int(args[1])
        reply = args[2] if len(args) == 2 + nsizes + 1 else None
        sizes = [int(x) for x in args[-nsizes:]]
        data = self._read_bytes(sizes[-1], deadline)
        if op == "HMSG":
            return subject, sid, reply, decode_headers(data[:sizes[0]]), data[sizes[0]:]
        return subject, sid, reply, None, data

    def subscribe(self, subject):
        self.sid += 1
        self.subs[self.sid] = subject
        self._send(("SUB %s %d\r\n" % (subject, self.sid)).encode())
        return self.sid

    def unsubscribe(self, sid):
        self.subs.pop(sid, None)
        self.pending.pop(sid, None)
        self._send(("UNSUB %d\r\n" % sid).encode())

    def publish(self, subject, data=b"", headers=None, reply=None):
        """PUB, or HPUB when there are headers."""
        to = subject + (" " + reply if reply else "")
        if headers:
            hdr = encode_headers(headers)
            self._send(("HPUB %s %d %d\r\n" % (to, len(hdr), len(hdr) + len(data))).encode()
                       + hdr + data + CRLF)
        else:
            self._send(("PUB %s %d\r\n" % (to, len(data))).encode() + data + CRLF)

    def _read_until(self, done, timeout, op_wanted=None):
        """Read operations, queueing messages by subscription, until done()
        or until an operation op_wanted comes."""
        deadline = time.monotonic() + timeout
        while not done():
            op, val = self._read_op(max(deadline - time.monotonic(), 0.001))
            if op == op_wanted:
                return
            if op in ("MSG", "HMSG") and val[1] in self.subs:
                subject, sid, reply, hdrs, data = val
                self.pending.setdefault(sid, collections.deque()).append(
                    (subject, reply, hdrs, data))

    def flush(self, timeout=10):
        """PING, and wait for the PONG: the server has read all sent before."""
        self._send(b"PING\r\n")
        self._read_until(lambda: False, timeout, "PONG")

    def next_msg(self, sid, timeout=10):
        """The next message of subscription sid: (subject, reply, headers, data),
        headers None for a MSG. Others' messages are kept for them meanwhile."""
        self._read_until(lambda: self.pending.get(sid), timeout)
        return self.pending[sid].popleft()

    def request(self, subject, data=b"", timeout=10, headers=None):
        """Publish with a reply subject and wait for the answer: (headers, data),
        headers {} without any. NoResponders if nobody listens on subject."""
        self.req_n += 1
        reply = "%s.%d" % (self.inbox, self.req_n)
        self.publish(subject, data, headers, reply)
        deadline = time.monotonic() + timeout
        while True:	# answers to earlier, timed out requests are dropped
            subj, _, hdrs, payload = self.next_msg(self.inbox_sid,
                                                   max(deadline - time.monotonic(), 0.001))
            if subj != reply:
                continue
            if hdrs and hdrs.get("Status") == "503" and not payload:
                raise NoResponders("no responders on " + subject)
            return hdrs or {}, payload

    def close(self):
        try:
            self.sock.close()
        finally:
            self.sock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- JetStream

    def js_api(self, what, body=None, timeout=10):
        """$JS.API.<what> with body as JSON; the answer's dict, or JetStreamError."""
        data = json.dumps(body).encode() if body is not None else b""
        _, payload = self.request("$JS.API." + what, data, timeout)
        answer = json.loads(payload)
        if "error" in answer:
            raise JetStreamError(answer["error"])
        return answer

    def js_publish(self, subject, data, headers=None, timeout=10):
        """Publish and wait for the stream's ack: {"stream", "seq"[, "duplicate"]}."""
        _, payload = self.request(subject, data, timeout, headers)
        ack = json.loads(payload)
        if "error" in ack:
            raise JetStreamError(ack["error"])
        return ack

    def stream_info(self, name, timeout=10):
        return self.js_api("STREAM.INFO." + name, timeout=timeout)

    def add_stream(self, config, timeout=10):
        return self.js_api("STREAM.CREATE." + config["name"], config, timeout)

    def delete_stream(self, name, timeout=10):
        return self.js_api("STREAM.DELETE." + name, timeout=timeout)

    def stream_message(self, name, seq, timeout=10, direct=False):
        """(seq, subject, headers, data) of message seq, None if there is none.
        direct: $JS.API.DIRECT.GET (the stream needs allow_direct), which any
        replica answers, one on this client's server first."""
        if direct:
            return self._direct_get(name, seq, timeout)
        try:
            m = self.js_api("STREAM.MSG.GET." + name, {"seq": seq}, timeout)["message"]
        except JetStreamError as e:
            if e.code == 404:	# deleted, or never stored
                return None
            raise
        hdrs = decode_headers(base64.b64decode(m["hdrs"])) if m.get("hdrs") else {}
        return m["seq"], m["subject"], hdrs, base64.b64decode(m.get("data") or "")

    DIRECT_HEADERS = ("Nats-Stream", "Nats-Sequence", "Nats-Subject", "Nats-Time-Stamp",
                      "Nats-Last-Sequence", "Nats-Num-Pending")

    def _direct_get(self, name, seq, timeout):
        # The stored message itself, with its place in the stream as headers,
        # or a status alone: 404 (none), 408 (bad request).
        hdrs, data = self.request("$JS.API.DIRECT.GET." + name,
                                  json.dumps({"seq": seq}).encode(), timeout)
        if hdrs.get("Status") == "404":
            return None
        if "Status" in hdrs:
            raise JetStreamError({"code": int(hdrs["Status"]),
                                  "description": hdrs.get("Description")})
        subject, got = hdrs["Nats-Subject"], int(hdrs["Nats-Sequence"])
        own = {k: v for k, v in hdrs.items() if k not in self.DIRECT_HEADERS}
        return got, subject, own, data

    def stream_messages(self, name, timeout=10, direct=False):
        """Every message of the stream, first_seq to last_seq, the missing left out."""
        state = self.stream_info(name, timeout)["state"]
        out = []
        for seq in range(state["first_seq"], state["last_seq"] + 1):
            m = self.stream_message(name, seq, timeout, direct)
            if m:
                out.append(m)
        return out
