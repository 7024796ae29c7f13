#!/usr/bin/env python3
"""Many sources on one instance: are they all polled on time, and what does it cost?

Starts the packaged app with N sources (default 1,000) on the local PostgreSQL, all at a 1-minute interval,
with a PostgreSQL store, lets it warm up, then measures over a window:
  - how late automatic runs start against their plan (p50/p99 from tributary_run_start_delay_seconds),
  - how often each source ran and the largest gap between two runs of one source,
  - the process's CPU time as a share of one core and of the machine.

Usage: python3 scripts/scale_sources.py [--sources 1000] [--warmup 120] [--window 300]
Needs: connector-app/target/tributary.jar (mvn -B -q package -DskipTests), psql, a local PostgreSQL.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

PG = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qAt"]


def psql(db, sql):
    return subprocess.run(PG + ["-d", db, "-c", sql], check=True, capture_output=True, text=True).stdout.strip()


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def histogram(port):
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/prometheus", timeout=10).read().decode()
    buckets = {}
    for m in re.finditer(r'tributary_run_start_delay_seconds_bucket\{[^}]*kind="automatic"[^}]*le="([^"]+)"\} (\S+)', text):
        le = float("inf") if m.group(1) == "+Inf" else float(m.group(1))
        buckets[le] = float(m.group(2))
    return buckets


def quantile(before, after, q):
    les = sorted(after)
    counts = [after[le] - before.get(le, 0.0) for le in les]
    total = counts[-1] if counts else 0
    if total == 0:
        return float("nan"), 0
    for le, c in zip(les, counts):
        if c >= q * total:
            return le, int(total)
    return les[-1], int(total)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=120)
    ap.add_argument("--window", type=int, default=300)
    ap.add_argument("--port", type=int, default=18099)
    args = ap.parse_args()

    for db in ("tributary_scale", "tributary_scale_store"):
        psql("postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        psql("postgres", f"CREATE DATABASE {db}")
    psql("tributary_scale", "CREATE TABLE sales (id int PRIMARY KEY, seller int, amount numeric(10,2), updated_at timestamptz)")
    psql("tributary_scale", "CREATE INDEX ON sales (updated_at)")
    psql("tributary_scale", "INSERT INTO sales SELECT g, g % 10, g, now() - interval '1 day' FROM generate_series(1, 20) g")

    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIBUTARY_")}
    env.update({
        "TRIBUTARY_STORE_URL": "jdbc:postgresql://127.0.0.1:5432/tributary_scale_store?user=postgres",
        "TRIBUTARY_PORT": str(args.port),
    })
    statement = ("SELECT id AS reference, seller AS member_id, 'Seller' AS member_name, updated_at AS date, amount "
                 "FROM sales WHERE updated_at >= {{ last_update_time }} AND updated_at < {{ upper_date_limit }} ORDER BY updated_at")
    for i in range(args.sources):
        env[f"TRIBUTARY_SOURCES_S{i:04d}_URL"] = "postgresql://postgres@127.0.0.1:5432/tributary_scale"
        env[f"TRIBUTARY_SOURCES_S{i:04d}_STATEMENT"] = statement
    log = open("/tmp/tributary-scale.log", "w")
    app = subprocess.Popen(["java", "-Xmx512m", "-jar", "connector-app/target/tributary.jar"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/actuator/health", timeout=2)
                break
            except Exception:
                if time.time() > deadline or app.poll() is not None:
                    sys.exit("the app did not start; see /tmp/tributary-scale.log")
                time.sleep(1)
        print(f"{args.sources} sources started; warming up {args.warmup} s", flush=True)
        time.sleep(args.warmup)
        h0, c0, t0 = histogram(args.port), cpu_seconds(app.pid), time.time()
        from_ts = psql("tributary_scale_store", "SELECT now()")
        time.sleep(args.window)
        h1, c1, t1 = histogram(args.port), cpu_seconds(app.pid), time.time()
        to_ts = psql("tributary_scale_store", "SELECT now()")
        p50, n = quantile(h0, h1, 0.50)
        p99, _ = quantile(h0, h1, 0.99)
        pmax, _ = quantile(h0, h1, 1.0)
        cpu = (c1 - c0) / (t1 - t0)
        stats = psql("tributary_scale_store", f"""
            WITH r AS (SELECT source_id, started_at, lag(started_at) OVER (PARTITION BY source_id ORDER BY started_at) AS prev
                       FROM tributary.import_runs WHERE kind = 'AUTOMATIC' AND started_at >= '{from_ts}' AND started_at < '{to_ts}'),
                 per AS (SELECT source_id, count(*) AS runs, max(extract(epoch FROM started_at - prev)) AS max_gap FROM r GROUP BY source_id)
            SELECT count(*), min(runs), max(runs), round(max(max_gap)::numeric, 2), round(avg(max_gap)::numeric, 2) FROM per""")
        failed = psql("tributary_scale_store", f"SELECT count(*) FROM tributary.import_runs WHERE status <> 'SUCCEEDED' AND started_at >= '{from_ts}'")
        sources_seen, min_runs, max_runs, max_gap, avg_gap = stats.split("|")
        result = {
            "sources": args.sources, "window_s": args.window, "automatic_runs": n,
            "start_delay_p50_s_le": p50, "start_delay_p99_s_le": p99, "start_delay_max_s_le": pmax,
            "sources_that_ran": int(sources_seen), "runs_per_source_min": int(min_runs), "runs_per_source_max": int(max_runs),
            "largest_gap_between_runs_s": float(max_gap), "mean_largest_gap_s": float(avg_gap), "failed_runs": int(failed),
            "cpu_share_of_one_core": round(cpu, 3), "cpu_share_of_machine": round(cpu / os.cpu_count(), 3),
            "rss_mb": int(open(f"/proc/{app.pid}/status").read().split("VmRSS:")[1].split()[0]) // 1024,
        }
        print(json.dumps(result, indent=2))
    finally:
        app.terminate()
        app.wait(30)


if __name__ == "__main__":
    main()
