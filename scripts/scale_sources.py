#!/usr/bin/env python3
"""Many sources on one instance: are they all polled on time, and what does it cost?

Starts the packaged app with N sources (default 1,000) on the local PostgreSQL, all at a 1-minute interval,
with a PostgreSQL store, lets it warm up, then measures over a window:
  - how late automatic runs start against their plan (p50/p99 from tributary_run_start_delay_seconds),
  - how often each source ran (the run timer's counts) and a bound on the largest gap between two runs of one source,
  - the process's CPU time as a share of one core and of the machine, per automatic run, and per run by thread,
  - the CPU of the store's and of the source's PostgreSQL backends per automatic run,
  - the app's resident memory at the end and at its peak (VmHWM), with the heap limit given (--xmx).
Each figure is printed with its target (issue 18) and the machine's load average at the start and end of the window.
With --jfr FILE the window is recorded by Java Flight Recorder (execution samples) into FILE; with --nmt the JVM's
native memory by category is printed at the end, with --histo N the live heap's N largest classes.

Usage: python3 scripts/scale_sources.py [--sources 1000] [--warmup 120] [--window 300] [--xmx 512m] [--jvm=OPTION ...]
                                        [--nmt] [--histo N] [--jfr FILE]
Needs: connector-app/target/tributary.jar (mvn -B -q package -DskipTests), psql, a local PostgreSQL.
"""
import argparse
import json
import os
import resource
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


def thread_cpu(pid):
    """CPU seconds (user + system) by thread name, digits folded ("tributary-store-3" -> "tributary-store-N")."""
    by_name = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                raw = f.read()
        except OSError:
            continue  # the thread ended meanwhile
        name = re.sub(r"\d+", "N", raw[raw.index("(") + 1:raw.rindex(")")])
        fields = raw.rsplit(")", 1)[1].split()
        by_name[name] = by_name.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return by_name


def runs_by_source(port):
    """Automatic runs so far by source, from the run timer's counts (the import log folds idle runs into one row)."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/prometheus"
                                  "?includedNames=tributary_run_duration_seconds,tributary_run_duration_seconds_count", timeout=600).read().decode()
    runs = {}
    for m in re.finditer(r'tributary_run_duration_seconds_count\{([^}]*)\} (\S+)', text):
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        if labels.get("kind") == "automatic":
            runs[labels["source"]] = runs.get(labels["source"], 0) + float(m.group(2))
    return runs


def backend_cpu():
    """CPU seconds of each PostgreSQL backend, by (database, pid)."""
    rows = psql("postgres", "SELECT datname, pid FROM pg_stat_activity WHERE datname IS NOT NULL")
    found = {}
    for line in rows.splitlines():
        db, pid = line.split("|")
        try:
            found[(db, pid)] = cpu_seconds(pid)
        except OSError:
            pass  # ended meanwhile
    return found


def cpu_delta(before, after, db):
    """CPU the backends of one database spent between two readings (a backend born meanwhile counts from zero)."""
    return sum(sec - before.get(key, 0.0) for key, sec in after.items() if key[0] == db)


def histogram(port):
    # only the histogram: a full scrape of 10,000 sources' meters takes many seconds (timed separately below)
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/prometheus"
                                  "?includedNames=tributary_run_start_delay_seconds,tributary_run_start_delay_seconds_bucket", timeout=60).read().decode()
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
    ap.add_argument("--xmx", default="512m", help="the app's -Xmx")
    ap.add_argument("--jfr", help="record the measured window with Java Flight Recorder into this file")
    ap.add_argument("--jvm", action="append", default=[], help="an extra JVM option for the app (repeatable), e.g. --jvm=-Xss256k")
    ap.add_argument("--nmt", action="store_true",
                    help="run with -XX:NativeMemoryTracking=summary and print the committed memory by category at the end")
    ap.add_argument("--histo", type=int, default=0, metavar="N", help="print the N largest classes of the heap at the end")
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
    # One statement file for all: 10,000 inline statements would not fit in the process environment.
    statement_file = "/tmp/tributary-scale-statement.sql"
    with open(statement_file, "w") as f:
        f.write(statement)
    for i in range(args.sources):
        env[f"TRIBUTARY_SOURCES_S{i:05d}_URL"] = "postgresql://postgres@127.0.0.1:5432/tributary_scale"
        env[f"TRIBUTARY_SOURCES_S{i:05d}_STATEMENT_FILE"] = statement_file
    log = open("/tmp/tributary-scale.log", "w")
    # The environment of 10,000 sources is over the default 2 MB limit of exec (a quarter of the stack limit).
    raise_stack = lambda: resource.setrlimit(resource.RLIMIT_STACK, (256 << 20, resource.getrlimit(resource.RLIMIT_STACK)[1]))
    jvm = [f"-Xmx{args.xmx}"] + (["-XX:NativeMemoryTracking=summary"] if args.nmt else []) + args.jvm
    print("java " + " ".join(jvm), flush=True)
    app = subprocess.Popen(["java", *jvm, "-jar", "connector-app/target/tributary.jar"], env=env,
                           stdout=log, stderr=subprocess.STDOUT, preexec_fn=raise_stack)
    try:
        deadline = time.time() + 300
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
        if args.jfr:
            subprocess.run(["jcmd", str(app.pid), "JFR.start", "name=scale", "settings=profile",
                            f"filename={os.path.abspath(args.jfr)}"], check=True, capture_output=True)
        load0 = open("/proc/loadavg").read().split()[:3]
        h0, r0, th0, pg0 = histogram(args.port), runs_by_source(args.port), thread_cpu(app.pid), backend_cpu()
        c0, t0 = cpu_seconds(app.pid), time.time()
        from_ts = psql("tributary_scale_store", "SELECT now()")
        time.sleep(args.window)
        c1, t1 = cpu_seconds(app.pid), time.time()
        h1, r1, th1, pg1 = histogram(args.port), runs_by_source(args.port), thread_cpu(app.pid), backend_cpu()
        load1 = open("/proc/loadavg").read().split()[:3]
        if args.jfr:
            subprocess.run(["jcmd", str(app.pid), "JFR.stop", "name=scale"], check=True, capture_output=True)
        p50, n = quantile(h0, h1, 0.50)
        p99, _ = quantile(h0, h1, 0.99)
        pmax, _ = quantile(h0, h1, 1.0)
        cpu = (c1 - c0) / (t1 - t0)
        runs = [r1.get(f"s{i:05d}", 0) - r0.get(f"s{i:05d}", 0) for i in range(args.sources)]
        # idle runs share one row of the import log, whose duration is their longest: a bound for the window's runs
        longest_run_ms, failed = psql("tributary_scale_store", f"""
            SELECT coalesce(max(duration_ms), 0), count(*) FILTER (WHERE status = 'FAILED') FROM tributary.import_runs
            WHERE kind = 'AUTOMATIC' AND coalesce(last_started_at, started_at) >= '{from_ts}'""").split("|")
        s0 = time.time()
        scrape = urllib.request.urlopen(f"http://127.0.0.1:{args.port}/actuator/prometheus", timeout=600).read()
        scrape_s = time.time() - s0
        status = open(f"/proc/{app.pid}/status").read()
        kb = lambda key: int(status.split(key + ":")[1].split()[0])
        result = {
            "sources": args.sources, "window_s": args.window, "automatic_runs": n,
            "start_delay_p50_s_le": p50, "start_delay_p99_s_le": p99, "start_delay_max_s_le": pmax,
            "sources_that_ran": sum(1 for r in runs if r > 0), "runs_per_source_min": int(min(runs)),
            "runs_per_source_max": int(max(runs)),
            # a run is planned one interval after the previous one ended, so two starts are at most this far apart
            "longest_run_s": int(longest_run_ms) / 1000,
            "largest_gap_between_runs_s_le": round(60 + int(longest_run_ms) / 1000 + pmax, 2),
            "failed_runs": int(failed),
            "cpu_share_of_one_core": round(cpu, 3), "cpu_share_of_machine": round(cpu / os.cpu_count(), 3),
            "cpu_ms_per_automatic_run": round((c1 - c0) * 1000 / n, 2) if n else None,
            "store_cpu_ms_per_automatic_run": round(cpu_delta(pg0, pg1, "tributary_scale_store") * 1000 / n, 3) if n else None,
            "source_cpu_ms_per_automatic_run": round(cpu_delta(pg0, pg1, "tributary_scale") * 1000 / n, 3) if n else None,
            "rss_mb": kb("VmRSS") // 1024, "peak_rss_mb": kb("VmHWM") // 1024, "xmx": args.xmx,
            "full_prometheus_scrape_s": round(scrape_s, 2), "full_prometheus_scrape_mb": round(len(scrape) / 1e6, 1),
            "loadavg_start": " ".join(load0), "loadavg_end": " ".join(load1),
        }
        print(json.dumps(result, indent=2))
        print("the app's CPU ms per automatic run, by thread:")
        for name, sec in sorted(((k, th1.get(k, 0) - th0.get(k, 0)) for k in th1), key=lambda x: -x[1])[:12]:
            print(f"  {name:<28} {sec * 1000 / max(n, 1):7.3f}")
        expected = args.sources * args.window / 60
        checks = [
            (f"every source polled every minute (each ran >= {int(args.window // 60)} times, largest gap <= 61 s)",
             result["runs_per_source_min"] >= args.window // 60 and result["largest_gap_between_runs_s_le"] <= 61),
            (f"automatic runs >= 95 % of {expected:.0f} planned", n >= 0.95 * expected),
            ("start delay p99 < 1 s", p99 < 1),
            ("process CPU < 0.5 of a core", cpu < 0.5),
            ("peak RSS < 512 MB", result["peak_rss_mb"] < 512),
            ("no failed run", result["failed_runs"] == 0),
        ]
        for name, ok in checks:
            print(f"{'met   ' if ok else 'MISSED'} {name}")
        if args.nmt:
            nmt = subprocess.run(["jcmd", str(app.pid), "VM.native_memory", "summary", "scale=MB"],
                                 capture_output=True, text=True).stdout
            print("native memory, committed MB by category (NMT):")
            for m in re.finditer(r"^(?:Total:\s+|-\s+(\S[^(]*?)\s*\()reserved=\d+MB, committed=(\d+)MB", nmt, re.M):
                print(f"  {(m.group(1) or 'Total'):<28} {m.group(2):>6}")
        if args.histo:
            histo = subprocess.run(["jcmd", str(app.pid), "GC.class_histogram"], capture_output=True, text=True).stdout
            print(f"heap, the {args.histo} largest classes (after a full GC):")
            lines = histo.splitlines()
            print("\n".join(lines[1:args.histo + 3] + lines[-1:]))
    finally:
        app.terminate()
        app.wait(30)


if __name__ == "__main__":
    main()
