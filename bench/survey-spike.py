#!/usr/bin/env python3
"""Survey spike load: 50 classes of 30 pupils answer a class survey through POST /api/v1/answers.

Usage: survey-spike.py BASE ADMIN_TOKEN COORDINATOR_TOKEN [KIND]
  KIND: ratings (every classmate on a 5-point scale: 29 rows per answer, the heavier write)
        or nominations (positive and left_out, at most 3 choices each). Default: ratings.

Sets up 50 classes of 30 fictional pupils, then runs three phases, each with fresh codes
(a new round per class) so every answer is a first answer (201):
  1. lesson minute: every class starts at a random second in the first 30 s and its 30
     pupils answer spread over the next 30 s: 1,500 answers within one minute (open loop);
  2. burst: 1,500 answers arriving at a fixed 150 per second (open loop, 10 s);
  3. closed loop: 50 connections send the next answer as soon as the last is answered.
Open-loop latency counts from the moment an answer was due, not from when a thread got to
it, so a queue in front of the server shows up in the figures. One connection per answer,
as phones make.
"""

import http.client
import json
import queue
import random
import sys
import threading
import time
from urllib.parse import urlparse

CLASSES = 50
PUPILS = 30


def call(host, port, method, path, token=None, body=None):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    reply = conn.getresponse()
    data = reply.read()
    conn.close()
    return reply.status, data


def parallel(items, fn, threads=16):
    out = [None] * len(items)
    work = queue.Queue()
    for i, item in enumerate(items):
        work.put((i, item))

    def worker():
        while True:
            try:
                i, item = work.get_nowait()
            except queue.Empty:
                return
            out[i] = fn(item)

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return out


def setup(host, port, admin):
    def make_class(c):
        status, data = call(host, port, "POST", "/api/v1/classes", admin, {"name": f"K{c:02d}"})
        assert status == 201, data
        class_id = json.loads(data)["id"]
        pupils = []
        for p in range(PUPILS):
            status, data = call(host, port, "POST", f"/api/v1/classes/{class_id}/pupils", admin,
                                {"given_name": f"Leerling{p}", "family_name": f"Klas{c}-{p}"})
            assert status == 201, data
            pupils.append(json.loads(data)["id"])
        return class_id, pupils

    return parallel(list(range(CLASSES)), make_class, threads=8)


def start_rounds(host, port, coordinator, classes, kind):
    body = ({"kind": "ratings", "scale": 5} if kind == "ratings"
            else {"kind": "nominations", "questions": ["positive", "left_out"], "max_choices": 3})

    def start(item):
        class_id, pupils = item
        status, data = call(host, port, "POST", f"/api/v1/classes/{class_id}/surveys", coordinator, body)
        assert status == 201, data
        codes = {c["pupil_id"]: c["code"] for c in json.loads(data)["codes"]}
        return [(codes[p], p, pupils) for p in pupils]

    return [a for per_class in parallel(classes, start, threads=8) for a in per_class]


def answer_body(code, me, pupils, kind, rng):
    others = [p for p in pupils if p != me]
    if kind == "ratings":
        return {"code": code, "ratings": {str(p): rng.randint(1, 5) for p in others}}
    return {"code": code, "nominations": {"positive": rng.sample(others, 3),
                                          "left_out": rng.sample(others, rng.randint(0, 1))}}


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[k]


def report(name, results, started, finished):
    acked = [r for r in results if r[0] in (200, 201)]
    other = {}
    for status, _ in results:
        if status not in (200, 201):
            other[status] = other.get(status, 0) + 1
    lat = sorted(ms for _, ms in acked)
    span = finished - started
    print(f"{name}: sent {len(results)}, acknowledged {len(acked)} in {span:.1f} s "
          f"= {len(acked) / span:.0f}/s; latency ms p50 {percentile(lat, 0.5):.1f} "
          f"p90 {percentile(lat, 0.9):.1f} p99 {percentile(lat, 0.99):.1f} max {lat[-1] if lat else 0:.1f}"
          + (f"; other statuses {other}" if other else ""), flush=True)


def open_loop(host, port, schedule, threads=96):
    """schedule: list of (offset seconds, body). Returns (results, start, end)."""
    schedule.sort(key=lambda s: s[0])
    work = queue.Queue()
    results = []
    lock = threading.Lock()
    t0 = time.monotonic() + 0.5

    def worker():
        while True:
            item = work.get()
            if item is None:
                return
            due, body = item
            try:
                status, _ = call(host, port, "POST", "/api/v1/answers", None, body)
            except Exception:  # noqa: BLE001 - a refused connection is a result too
                status = -1
            done = time.monotonic()
            with lock:
                results.append((status, (done - due) * 1000.0))

    ts = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in ts:
        t.start()
    for offset, body in schedule:
        due = t0 + offset
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        work.put((due, body))
    for _ in ts:
        work.put(None)
    for t in ts:
        t.join()
    return results, t0 + schedule[0][0], time.monotonic()


def closed_loop(host, port, bodies, connections=50):
    work = queue.Queue()
    for b in bodies:
        work.put(b)
    results = []
    lock = threading.Lock()

    def worker():
        while True:
            try:
                body = work.get_nowait()
            except queue.Empty:
                return
            start = time.monotonic()
            try:
                status, _ = call(host, port, "POST", "/api/v1/answers", None, body)
            except Exception:  # noqa: BLE001
                status = -1
            with lock:
                results.append((status, (time.monotonic() - start) * 1000.0))

    started = time.monotonic()
    ts = [threading.Thread(target=worker) for _ in range(connections)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return results, started, time.monotonic()


def main():
    base, admin, coordinator = sys.argv[1], sys.argv[2], sys.argv[3]
    kind = sys.argv[4] if len(sys.argv) > 4 else "ratings"
    url = urlparse(base)
    host, port = url.hostname, url.port
    rng = random.Random(2026)
    t = time.monotonic()
    classes = setup(host, port, admin)
    print(f"setup: {CLASSES} classes of {PUPILS} pupils in {time.monotonic() - t:.1f} s; answers: {kind}", flush=True)

    # 1. One lesson minute.
    answers = start_rounds(host, port, coordinator, classes, kind)
    starts = {}
    schedule = []
    for code, me, pupils in answers:
        first = starts.setdefault(pupils[0], rng.uniform(0, 30))
        schedule.append((first + rng.uniform(0, 30), answer_body(code, me, pupils, kind, rng)))
    results, started, finished = open_loop(host, port, schedule)
    report("lesson minute (1,500 answers within 60 s, open loop)", results, started, finished)

    # 2. Burst at 150 per second.
    answers = start_rounds(host, port, coordinator, classes, kind)
    rng.shuffle(answers)
    schedule = [(i / 150.0, answer_body(code, me, pupils, kind, rng))
                for i, (code, me, pupils) in enumerate(answers)]
    results, started, finished = open_loop(host, port, schedule)
    report("burst (1,500 answers at 150/s, open loop)", results, started, finished)

    # 3. As fast as the server answers.
    answers = start_rounds(host, port, coordinator, classes, kind)
    rng.shuffle(answers)
    bodies = [answer_body(code, me, pupils, kind, rng) for code, me, pupils in answers]
    results, started, finished = closed_loop(host, port, bodies)
    report("closed loop (1,500 answers, 50 connections)", results, started, finished)


if __name__ == "__main__":
    main()
