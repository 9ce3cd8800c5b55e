#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tshark's hellos of the bundled captures, kept as reference data.

tshark is the JA3 / JA3S oracle, and its answers on the bundled captures
never change: running it on 158 files took two minutes of every test run.
Its answers (tshark_hellos.py) are kept in tshark-ref.jsonl, one line per
capture with the capture's SHA-256 and tshark's version, as p0f's logs are
kept in captures/p0f-ref/. A capture whose bytes differ from the recorded
ones is read by tshark again (hellos_of below), so the data cannot go stale
silently.

  tshark_ref.py --write CAPTURE...   run tshark, (re)write tshark-ref.jsonl
  tshark_ref.py --check CAPTURE...   run tshark now on each recorded capture
                                     with hellos; its answer must be the
                                     recorded one (TAP; the test command's
                                     live check of the JA3 / JA3S oracle)
"""
import hashlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tshark_hellos  # noqa: E402

REF = os.path.join(HERE, "tshark-ref.jsonl")


def _encode(v):
    if isinstance(v, bytes):
        return {"hex": v.hex()}
    if isinstance(v, list):
        return [_encode(x) for x in v]
    if isinstance(v, dict):
        return {k: _encode(x) for k, x in v.items()}
    return v


def _decode(v):
    if isinstance(v, dict):
        if set(v) == {"hex"}:
            return bytes.fromhex(v["hex"])
        return {k: _decode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_decode(x) for x in v]
    return v


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _load():
    refs = {}
    if os.path.exists(REF):
        for line in open(REF, encoding="utf-8"):
            r = json.loads(line)
            refs[r["capture"]] = r
    return refs


_refs = None


def hellos_of(capture):
    """(hellos, "reference" or "tshark"): the recorded hellos if the capture
    is the one recorded, else tshark's answer now."""
    global _refs
    if _refs is None:
        _refs = _load()
    r = _refs.get(os.path.basename(capture))
    if r and r["sha256"] == sha256(capture):
        return _decode(r["hellos"]), "reference"
    return tshark_hellos.tshark_hellos(capture)[0], "tshark"


def check(captures):
    """tshark live against the record: JA3 / JA3S and every field kept."""
    import concurrent.futures
    sys.path.insert(0, os.path.dirname(HERE))
    from tap import check as tap_check, finish

    refs = _load()
    todo = [c for c in captures if refs.get(os.path.basename(c), {}).get("hellos")]
    tap_check(len(todo) > 0, "%d recorded captures with hellos" % len(todo))

    def one(cap):
        return cap, tshark_hellos.tshark_hellos(cap)[0]

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for cap, live in pool.map(one, todo):
            r = refs[os.path.basename(cap)]
            same = r["sha256"] == sha256(cap) and _decode(r["hellos"]) == live
            ja3 = sum(1 for h in live if h.get("ja3") or h.get("ja3s"))
            tap_check(same, "%s: tshark now gives the %d recorded hellos (%d JA3 / JA3S)" %
                      (os.path.basename(cap), len(live), ja3))
    return finish()


def main(argv):
    if len(argv) >= 2 and argv[0] == "--check":
        return check(argv[1:])
    if len(argv) < 2 or argv[0] != "--write":
        sys.exit(__doc__)
    version = subprocess.run(["tshark", "--version"], stdout=subprocess.PIPE,
                             text=True).stdout.splitlines()[0]
    refs = _load()
    for cap in argv[1:]:
        refs[os.path.basename(cap)] = {
            "capture": os.path.basename(cap), "sha256": sha256(cap), "tshark": version,
            "hellos": _encode(tshark_hellos.tshark_hellos(cap)[0])}
    with open(REF, "w", encoding="utf-8") as f:
        for name in sorted(refs):
            f.write(json.dumps(refs[name], separators=(",", ":")) + "\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
