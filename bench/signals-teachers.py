#!/usr/bin/env python3
"""Open-loop load: N teachers, each recording one sign every INTERVAL seconds (jittered),
for DURATION seconds, each on its own keep-alive connection with its own token.
Prints the latency distribution of `POST /api/v1/pupils/{id}/signals`.
Usage: signals-teachers.py BASE TOKENS_FILE PUPILS(comma list) DURATION [INTERVAL]"""
import http.client, json, random, statistics, sys, threading, time, urllib.parse

base, tokens_file, pupils, duration = sys.argv[1], sys.argv[2], sys.argv[3].split(","), float(sys.argv[4])
interval = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
tokens = [t.strip() for t in open(tokens_file) if t.strip()]
kinds = ["alone_at_break", "chosen_last", "nickname", "absent_ill", "lingers", "removed_from_group"]
url = urllib.parse.urlparse(base)
latencies, failures, lock = [], [0], threading.Lock()

def teacher(i):
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    rng = random.Random(i)
    end = time.monotonic() + duration
    next_at = time.monotonic() + rng.random() * interval
    n = 0
    while True:
        now = time.monotonic()
        if next_at > end:
            break
        if next_at > now:
            time.sleep(next_at - now)
        n += 1
        body = json.dumps({"kind": kinds[(i + n) % len(kinds)], "note": f"meting {i}-{n}"})
        start = time.perf_counter()
        conn.request("POST", f"/api/v1/pupils/{pupils[(i + n) % len(pupils)]}/signals", body,
                     {"Authorization": "Bearer " + tokens[i % len(tokens)], "Content-Type": "application/json"})
        reply = conn.getresponse(); reply.read()
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            latencies.append(elapsed)
            if reply.status != 201:
                failures[0] += 1
        next_at += interval * (0.5 + rng.random())

threads = [threading.Thread(target=teacher, args=(i,)) for i in range(len(tokens))]
for t in threads: t.start()
for t in threads: t.join()
latencies.sort()
q = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))]
print(f"open loop: {len(tokens)} teachers, one sign each every ~{interval:g} s for {duration:g} s: "
      f"{len(latencies)} signs, {failures[0]} not 201")
print(f"median {statistics.median(latencies):.2f} ms, p75 {q(0.75):.2f} ms, p90 {q(0.90):.2f} ms, "
      f"p99 {q(0.99):.2f} ms, max {latencies[-1]:.2f} ms")
