#!/usr/bin/env python3
"""POSTs one application to /api/check N times over one keep-alive connection, one request after the other,
and prints latency percentiles (ms) of the answers and the errors (non-200 answers, connection failures).
Usage: http_check_client.py URL BODY_FILE CONTENT_TYPE N"""
import http.client
import sys
import time
import urllib.parse

url, body_file, ctype, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
u = urllib.parse.urlsplit(url)
body = open(body_file, "rb").read()
target = u.path + ("?" + u.query if u.query else "")  # the query carries the application's attributes
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
times, errors = [], 0
for _ in range(n):
    t = time.perf_counter()
    try:
        conn.request("POST", target, body=body, headers={"Content-Type": ctype})
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            errors += 1
    except (OSError, http.client.HTTPException):
        errors += 1
        conn.close()
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
pct = lambda p: times[min(len(times) - 1, max(0, int(round(p / 100 * len(times) + 0.5)) - 1))]
print(f"RESULT requests={len(times)} rps={1000 * len(times) / sum(times):.1f} p50_ms={pct(50):.2f} p90_ms={pct(90):.2f} "
      f"p99_ms={pct(99):.2f} max_ms={times[-1]:.2f} errors={errors}")
