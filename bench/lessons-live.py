#!/usr/bin/env python3
"""Live dilemma boards under load: 40 sessions of 30 pupils, every vote timed until its board shows it.

Usage: lessons-live.py BASE ADMIN_TOKEN COORDINATOR_TOKEN COORDINATOR_EMAIL PASSWORD SERVER_PID
                       [SESSIONS] [PUPILS] [SPREAD_SECONDS]

Sets up SESSIONS classes (default 40), starts a dilemma session for each through
POST /api/v1/dilemma-sessions, logs the coordinator in through the login form and opens every
session's board stream (GET /lessons/sessions/{id}/events, server-sent events) as the
classroom screens' browsers do. Then PUPILS (default 30) phones per session join and vote at
a lesson's pace, open loop: each class starts at a random moment in the first SPREAD seconds
(default 30); its pupils open the code's page (GET /l/{code}, which joins and sets the device
cookie) within 5 s of that and vote (POST /api/v1/votes with that cookie) over the next 25 s,
so a class has voted within 30 s. One connection per request, as phones make.

Latency of a vote: from the moment its request is sent until that session's board stream
delivers a state with at least k votes, where k is the vote's rank in its session by the
moment its 201 arrived. Within a class votes are about a second apart, so the rank is
unambiguous in practice. Also reported: votes per second, whether every board reached 30
joined and 30 votes, how late the load generator sent (queueing on the client side), and
the server's resident memory (VmRSS sampled each second, and VmHWM) from /proc.
"""

import heapq
import http.client
import json
import random
import re
import sys
import threading
import time
from urllib.parse import urlencode, urlparse

WORKERS = 96


def call(host, port, method, path, token=None, body=None, headers=None):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    h.update(headers or {})
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    reply = conn.getresponse()
    data = reply.read()
    conn.close()
    return reply.status, data, reply


def cookies_of(reply):
    out = {}
    for name, value in reply.getheaders():
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            if "=" in pair:
                k, v = pair.split("=", 1)
                out[k.strip()] = v.strip()
    return out


def login(host, port, email, password):
    status, page, reply = call(host, port, "GET", "/login")
    jar = cookies_of(reply)
    csrf = re.search(rb'name="csrf" value="([^"]*)"', page).group(1).decode()
    body = urlencode({"csrf": csrf, "email": email, "password": password})
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("POST", "/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
    })
    reply = conn.getresponse()
    reply.read()
    conn.close()
    assert reply.status == 303, f"login: {reply.status}"
    jar.update(cookies_of(reply))
    assert "erbij_session" in jar, jar
    return "; ".join(f"{k}={v}" for k, v in jar.items())


class Board:
    """One classroom screen's event stream: (monotonic time, votes, joined) per state event."""

    def __init__(self, host, port, session, cookie):
        self.session = session
        self.states = []
        self.lock = threading.Lock()
        self.first = threading.Event()
        self.error = None
        self.thread = threading.Thread(target=self.read, args=(host, port, cookie), daemon=True)
        self.thread.start()

    def read(self, host, port, cookie):
        try:
            conn = http.client.HTTPConnection(host, port, timeout=300)
            conn.request("GET", f"/lessons/sessions/{self.session}/events",
                         headers={"Cookie": cookie, "Accept": "text/event-stream"})
            reply = conn.getresponse()
            assert reply.status == 200, reply.status
            event = ""
            while True:
                line = reply.readline()
                if not line:
                    return
                now = time.monotonic()
                line = line.decode().rstrip("\r\n")
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event == "state":
                    state = json.loads(line[5:])
                    with self.lock:
                        self.states.append((now, state["votes"], state["joined"]))
                    self.first.set()
                elif not line:
                    event = ""
        except Exception as e:  # reported at the end
            self.error = repr(e)
            self.first.set()

    def seen_at(self, count):
        with self.lock:
            for t, votes, _ in self.states:
                if votes >= count:
                    return t
        return None

    def last(self):
        with self.lock:
            return self.states[-1] if self.states else (0, 0, 0)


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[i]


def rss_sampler(pid, samples, stop):
    while not stop.is_set():
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        samples.append(int(line.split()[1]))
        except OSError:
            return
        stop.wait(1.0)


def vm(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return 0
    return 0


def main():
    base, admin, coordinator, email, password, pid = sys.argv[1:7]
    sessions = int(sys.argv[7]) if len(sys.argv) > 7 else 40
    pupils = int(sys.argv[8]) if len(sys.argv) > 8 else 30
    spread = float(sys.argv[9]) if len(sys.argv) > 9 else 30.0
    url = urlparse(base)
    host, port = url.hostname, url.port
    random.seed(13)

    status, data, _ = call(host, port, "GET", "/api/v1/dilemmas", coordinator)
    assert status == 200, data
    dilemma = json.loads(data)[0]["id"]
    runs = []
    for c in range(sessions):
        status, data, _ = call(host, port, "POST", "/api/v1/classes", admin, {"name": f"L{c:02d}"})
        assert status == 201, data
        class_id = json.loads(data)["id"]
        status, data, _ = call(host, port, "POST", "/api/v1/dilemma-sessions", coordinator,
                               {"class_id": class_id, "dilemma_ids": [dilemma]})
        assert status == 201, data
        created = json.loads(data)
        runs.append((created["id"], created["join_code"]))
    cookie = login(host, port, email, password)
    boards = [Board(host, port, sid, cookie) for sid, _ in runs]
    for b in boards:
        assert b.first.wait(30), f"board {b.session} never answered"
        assert b.error is None, b.error
    rss_before = vm(pid, "VmRSS")
    print(f"{sessions} sessions, {sessions} board streams open; {sessions * pupils} pupils; "
          f"server RSS before the votes: {rss_before / 1024:.1f} MiB", flush=True)

    # The schedule: (due, kind, session index, pupil index).
    t0 = time.monotonic() + 1.0
    plan = []
    for s in range(sessions):
        start = random.uniform(0, spread)
        for p in range(pupils):
            join = start + random.uniform(0, 5)
            vote = start + random.uniform(5, 30)
            plan.append((t0 + join, 0, s, p))
            plan.append((t0 + vote, 1, s, p))
    heapq.heapify(plan)
    devices = {}
    votes = [[] for _ in range(sessions)]  # (sent, answered, status)
    joins_failed = []
    lateness = []
    lock = threading.Lock()
    waiting = {}  # votes due before their join finished

    def do(item):
        due, kind, s, p = item
        sid, code = runs[s]
        if kind == 0:
            sent = time.monotonic()
            status, _, reply = call(host, port, "GET", f"/l/{code}")
            device = cookies_of(reply).get("erbij_device")
            with lock:
                lateness.append(sent - due)
                if status != 200 or not device:
                    joins_failed.append(status)
                devices[(s, p)] = device
                late_vote = waiting.pop((s, p), None)
            if late_vote is not None:
                do(late_vote)
            return
        with lock:
            device = devices.get((s, p))
            if device is None:
                waiting[(s, p)] = item
                return
        sent = time.monotonic()
        status, data, _ = call(host, port, "POST", "/api/v1/votes",
                               body={"join_code": code, "dilemma_id": dilemma,
                                     "choice": random.randint(1, 2)},
                               headers={"Cookie": f"erbij_device={device}"})
        answered = time.monotonic()
        with lock:
            lateness.append(sent - due)
            votes[s].append((sent, answered, status))

    queue_lock = threading.Condition()

    def worker():
        while True:
            with queue_lock:
                if not plan:
                    return
                due = plan[0][0]
                now = time.monotonic()
                if due > now:
                    queue_lock.wait(min(due - now, 0.05))
                    continue
                item = heapq.heappop(plan)
            do(item)

    samples = []
    stop = threading.Event()
    sampler = threading.Thread(target=rss_sampler, args=(pid, samples, stop), daemon=True)
    sampler.start()
    workers = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    first_sent = min(v[0] for vs in votes for v in vs)
    last_answered = max(v[1] for vs in votes for v in vs)
    # Let the boards catch up (they have at most POLL = 0.7 s behind them).
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if all(b.last()[1] >= len([v for v in votes[i] if v[2] == 201])
               for i, b in enumerate(boards)):
            break
        time.sleep(0.05)
    stop.set()

    latencies = []
    missing = 0
    statuses = {}
    for i, b in enumerate(boards):
        accepted = sorted((v for v in votes[i] if v[2] == 201), key=lambda v: v[1])
        for v in votes[i]:
            statuses[v[2]] = statuses.get(v[2], 0) + 1
        for k, (sent, _, _) in enumerate(accepted, start=1):
            seen = b.seen_at(k)
            if seen is None:
                missing += 1
            else:
                latencies.append(max(0.0, seen - sent))
    latencies.sort()
    total = sum(len(v) for v in votes)
    full = sum(1 for b in boards if b.last()[1] == pupils and b.last()[2] == pupils)
    lateness.sort()
    ms = lambda x: f"{x * 1000:.1f} ms"
    print(f"votes: {total} sent, statuses {statuses}; joins failed: {len(joins_failed)}")
    print(f"boards showing {pupils} joined and {pupils} votes at the end: {full} of {sessions}")
    print(f"vote to board: n={len(latencies)} p50 {ms(percentile(latencies, 50))}, "
          f"p90 {ms(percentile(latencies, 90))}, p99 {ms(percentile(latencies, 99))}, "
          f"max {ms(latencies[-1] if latencies else float('nan'))}; never seen: {missing}")
    window = last_answered - first_sent
    print(f"rate: {total} votes in {window:.1f} s = {total / window:.1f} votes/s "
          f"(plus {sessions * pupils} joins); peak 1-s rate "
          f"{max_per_second([v[0] for vs in votes for v in vs])} votes/s")
    print(f"load generator lateness: p99 {ms(percentile(lateness, 99))}, max {ms(lateness[-1])}")
    print(f"server RSS: before {rss_before / 1024:.1f} MiB, max during {max(samples or [0]) / 1024:.1f} MiB, "
          f"peak (VmHWM) {vm(pid, 'VmHWM') / 1024:.1f} MiB")
    errors = [b.error for b in boards if b.error]
    if errors:
        print(f"board stream errors: {errors[:3]}")
    ok = missing == 0 and full == sessions and statuses.get(201, 0) == sessions * pupils
    sys.exit(0 if ok else 1)


def max_per_second(times):
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] < t - 1.0:
            j += 1
        best = max(best, i - j + 1)
    return best


if __name__ == "__main__":
    main()
