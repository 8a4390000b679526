"""Load test of ``ctkg serve`` from a second process, on loopback only, bounded in count and time.

Builds a store (the demo set, or the counter-terrorism set with ``--ct``) in a temporary
folder, starts ``ctkg serve`` on 127.0.0.1 at a free port as a subprocess, then sends
``--requests`` requests per query from ``--clients`` threads for three catalogue queries
(stopping early after ``--seconds``), and prints requests per second, p50 and p99 latency
and the number of errors.  The server is stopped by its PID at the end.

    python bench/serve_load.py [--ct] [--clients 4] [--requests 200] [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

QUERIES = {
    "obligations (actor=CTED)": ("obligations", {"actor": "CTED"}),
    "reporting-lines": ("reporting-lines", {}),
    "citations (resolution=2322)": ("citations", {"resolution": "S/RES/2322 (2016)"}),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "?query=" + urllib.parse.quote("ASK {}"), timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run_load(url: str, body: bytes, clients: int, requests: int, seconds: float) -> tuple[list[float], int, float]:
    """Send ``requests`` POSTs from ``clients`` threads (at most ``seconds``): latencies, errors, wall time."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    todo = iter(range(requests))
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        while time.monotonic() < stop_at:
            with lock:
                if next(todo, None) is None:
                    return
            req = urllib.request.Request(url, data=body, headers={
                "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=30) as resp:
                    resp.read()
                    ok = resp.status == 200
            except (urllib.error.URLError, OSError):
                ok = False
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                errors += 0 if ok else 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    w0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - w0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ct", action="store_true", help="serve the counter-terrorism set (default: demo set)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=200, help="requests per query")
    parser.add_argument("--seconds", type=float, default=60, help="time bound per query")
    args = parser.parse_args()

    import ctkg
    from ctkg.query.bind import bind_values
    from ctkg.query.catalog import get_query

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        ctkg.build(corpus="ct" if args.ct else "demo", store=store)
        port = free_port()
        url = f"http://127.0.0.1:{port}/sparql"
        server = subprocess.Popen(
            [sys.executable, "-m", "ctkg", "serve", "--store", str(store), "--host", "127.0.0.1", "--port",
             str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            wait_ready(url)
            print(f"ctkg serve load test: {'CT set' if args.ct else 'demo set'}, {args.clients} clients, "
                  f"{args.requests} requests per query, pid {server.pid}, {url}")
            print()
            print("| query | requests | errors | req/s | p50 ms | p99 ms |")
            print("|---|---:|---:|---:|---:|---:|")
            failed = 0
            for label, (name, params) in QUERIES.items():
                spec = get_query(name)
                sparql = bind_values(spec.sparql, {p.name: params.get(p.name) for p in spec.params},
                                     {p.name: p.type for p in spec.params})
                body = urllib.parse.urlencode({"query": sparql}).encode()
                latencies, errors, wall = run_load(url, body, args.clients, args.requests, args.seconds)
                failed += errors
                print(f"| {label} | {len(latencies)} | {errors} | {len(latencies) / wall:.0f} | "
                      f"{statistics.median(latencies) * 1000:.1f} | {percentile(latencies, 99) * 1000:.1f} |")
            return 1 if failed else 0
        finally:
            os.kill(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    raise SystemExit(main())
