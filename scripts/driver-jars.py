#!/usr/bin/env python3
"""Which jars of tributary.jar only the optional database drivers need: writes docker/driver-jars.txt.

The image's DRIVERS build argument (docker/Dockerfile) removes the jars of the drivers a user leaves out. A jar may be
removed only when no kept part of the app needs it, so this asks Maven for the resolved dependencies of the part that
always stays (connector-core, the PostgreSQL and H2 dialects, and connector-app's own external dependencies, resolved
apart in a generated pom under connector-app/target) and of each optional dialect module, and lists every jar of the
app that only optional dialects need, with the dialects that need it.

    python3 scripts/driver-jars.py            # rewrite docker/driver-jars.txt
    python3 scripts/driver-jars.py --check    # exit 1 when docker/driver-jars.txt is stale (scripts/docker-smoke.sh)

Needs the packaged connector-app/target/tributary.jar (mvn -B -q package -DskipTests): every jar it holds must
appear in the tree, so that the list cannot silently miss one.
"""
import argparse
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIST = os.path.join(ROOT, "docker", "driver-jars.txt")
JAR = os.path.join(ROOT, "connector-app", "target", "tributary.jar")
# The dialect modules a user may leave out, by the name the DRIVERS build argument uses. PostgreSQL (also a store)
# and H2 (the embedded store and the demo) always stay.
OPTIONAL = {"dialect-mysql": "mysql", "dialect-sqlserver": "sqlserver", "dialect-oracle": "oracle",
            "dialect-snowflake": "snowflake", "dialect-bigquery": "bigquery"}
PACKAGED_SCOPES = {"compile", "runtime", "provided"}


def maven_tree(args, cwd=ROOT):
    done = subprocess.run(["mvn", "-B", "-q", "-Dstyle.color=never", "dependency:tree",
                           "-DoutputFile=target/dependency-tree.txt"] + args, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"mvn dependency:tree failed in {cwd}:\n{done.stdout}{done.stderr}")


def closure(module_dir):
    """{group:artifact:classifier: jar file name} of a module's packaged dependencies, as Maven resolved them
    (exclusions and mediation applied: every resolved artifact is one line of the plain tree)."""
    deps = {}
    with open(os.path.join(module_dir, "target", "dependency-tree.txt"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    for line in lines:
        m = re.match(r"^[| ]*[+\\]- (\S+)", line)
        if not m:
            continue
        coords = m.group(1).split(":")  # group:artifact:type[:classifier]:version:scope
        if coords[-1] not in PACKAGED_SCOPES:
            continue
        classifier = coords[3] if len(coords) == 6 else ""
        deps[f"{coords[0]}:{coords[1]}:{classifier}"] = \
            f"{coords[1]}-{coords[-2]}{'-' + classifier if classifier else ''}.jar"
    return deps


def base_pom(target):
    """A pom with connector-app's external dependencies (Spring Boot, Flyway, the store's drivers...), none of the
    project's modules: Maven resolves it outside the reactor, so the part of the app that always stays is known
    apart from the dialects, with the exclusions its dependencies declare."""
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    ET.register_namespace("", ns["m"])
    app = ET.parse(os.path.join(ROOT, "connector-app", "pom.xml")).getroot()
    kept = []
    for dep in app.find("m:dependencies", ns):
        scope = dep.find("m:scope", ns)
        if dep.find("m:groupId", ns).text == "io.tributary" or (scope is not None and scope.text == "test"):
            continue
        kept.append(ET.tostring(dep, encoding="unicode").replace(' xmlns="http://maven.apache.org/POM/4.0.0"', ""))
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "pom.xml"), "w", encoding="utf-8") as f:
        f.write(f"""<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>io.tributary</groupId>
    <artifactId>tributary-parent</artifactId>
    <version>0.1.0-SNAPSHOT</version>
    <relativePath>{os.path.relpath(os.path.join(ROOT, "pom.xml"), target)}</relativePath>
  </parent>
  <artifactId>driver-jars-base</artifactId>
  <dependencies>{"".join(kept)}</dependencies>
</project>
""")


def render():
    dialects = {d: os.path.join("connector-dialects", d) for d in ["dialect-postgresql", "dialect-h2", *OPTIONAL]}
    # the support modules in the reactor too, so that what the dialects reach through them is resolved from source
    support = [os.path.join("connector-dialects", m) for m in ("dialect-support-r2dbc", "dialect-support-jdbc")]
    maven_tree(["-pl", ",".join(["connector-core", "connector-app", *support, *dialects.values()])])
    base_dir = os.path.join(ROOT, "connector-app", "target", "driver-jars-base")
    base_pom(base_dir)
    maven_tree([], cwd=base_dir)

    app = closure(os.path.join(ROOT, "connector-app"))
    base = set(closure(base_dir)) | set(closure(os.path.join(ROOT, "connector-core")))
    base |= {"io.tributary:connector-core:", "io.tributary:dialect-postgresql:", "io.tributary:dialect-h2:"}
    by_driver = {}
    for module, path in dialects.items():
        reached = set(closure(os.path.join(ROOT, path))) | {f"io.tributary:{module}:"}
        if module in OPTIONAL:
            by_driver[OPTIONAL[module]] = reached
        else:
            base |= reached
    with zipfile.ZipFile(JAR) as jar:
        packaged = {os.path.basename(n) for n in jar.namelist() if n.startswith("BOOT-INF/lib/") and n.endswith(".jar")}
    # the jar mode the image uses to extract the layers, added by spring-boot-maven-plugin
    unknown = packaged - set(app.values()) - {n for n in packaged if n.startswith("spring-boot-jarmode-tools-")}
    if unknown:
        sys.exit(f"{JAR} holds jars that connector-app's dependencies do not: {sorted(unknown)}; rebuild the jar")
    rows = []
    for key, name in app.items():
        if key in base:
            continue
        drivers = sorted(d for d, reached in by_driver.items() if key in reached)
        if not drivers:
            sys.exit(f"{name} is needed neither by the base nor by an optional dialect: cannot place it")
        rows.append(f"{name} {','.join(drivers)}")
    head = ("# Jars of tributary.jar that only optional drivers need, and which drivers need each (generated by\n"
            "# scripts/driver-jars.py from Maven's dependency trees; do not edit). docker/Dockerfile removes a jar\n"
            "# when none of its drivers is in the DRIVERS build argument.\n")
    return head + "\n".join(sorted(rows)) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when docker/driver-jars.txt is stale")
    args = parser.parse_args()
    text = render()
    if args.check:
        with open(LIST, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit("docker/driver-jars.txt does not match the dependencies; run python3 scripts/driver-jars.py")
        print("docker/driver-jars.txt matches the dependency tree")
        return
    os.makedirs(os.path.dirname(LIST), exist_ok=True)
    with open(LIST, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {LIST}: {text.count(chr(10)) - 3} jars")


if __name__ == "__main__":
    main()
