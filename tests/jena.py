"""Apache Jena's SHACL validator (Debian's libapache-jena-java) run as a subprocess, for tests.

Debian ships Jena as jars only, without the ``shacl`` script: the command is the main class
``shacl.shacl`` in ``jena-cmds.jar``.  Two things make it run (see /work/shared/docs/measurements.md):

* the classpath is built from the package's jars and those of the packages it depends on
  (``dpkg``), leaving out SLF4J's bridge and binding jars except ``slf4j-simple``
  (``log4j-over-slf4j`` together with ``slf4j-log4j12`` aborts with a delegation loop);
* a packaging bug is worked around: jena-core's shaded Xerces classes live in package
  ``xerces.*`` but their ``.properties`` resources stayed under ``org/apache/jena/ext/xerces/``,
  so every command dies in ``JenaSystem.init`` ("internal error" in ``applyFacets1``).  The
  resources are copied to ``xerces/`` in a temporary directory placed first on the classpath.

The JVM runs with the client compiler only and the serial collector, which start faster (a
validation of a few thousand triples takes 1-2 s, most of it JVM and Jena start-up): validate
many small graphs in one call where you can (see ``run_batch`` in tests/shacl_suite.py).

Everything is prepared once per process in a temporary directory (removed at exit)::

    from tests.jena import jena, unavailable_reason
    if unavailable_reason() is None:
        report = jena().validate_graph(data_graph, shapes_path)   # an rdflib Graph
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from rdflib import Graph

JAVA_SHARE = Path("/usr/share/java")
PACKAGE = "libapache-jena-java"
MAIN_CLASS = "shacl.shacl"
CMDS_JAR = JAVA_SHARE / "jena-cmds.jar"
CORE_JAR = JAVA_SHARE / "jena-core.jar"

# The jars of the package's dependencies, for systems where dpkg cannot tell (same Debian layout).
_FALLBACK_JARS = (
    "commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3",
    "dexx.collection", "gson", "guava", "httpclient", "httpcore", "jackson-annotations", "jackson-core",
    "jackson-databind", "jakarta.json-api", "jsonld-java", "protobuf", "slf4j-api", "slf4j-simple", "thrift",
    "titanium-json-ld",
)
# SLF4J ships bridges (x-over-slf4j, x-to-slf4j) and bindings; keep the API and one binding only.
_SLF4J_KEEP = {"slf4j-api.jar", "slf4j-simple.jar"}
_XERCES_PREFIX = "org/apache/jena/ext/xerces/"

# Client compiler only and the serial collector: short runs start faster.  JVM warnings go to
# stderr, so that stdout stays the Turtle report.
_JVM_OPTIONS = (
    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8",
    "-Xlog:disable", "-Xlog:all=warning:stderr",
)


class JenaError(RuntimeError):
    """Jena could not be run, or did not produce a report."""


def unavailable_reason() -> str | None:
    """Why Jena cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "no Java runtime (java) on PATH; install default-jre-headless"
    if not CMDS_JAR.is_file():
        return f"Apache Jena is not installed ({CMDS_JAR} missing); install the Debian package {PACKAGE}"
    if not CORE_JAR.is_file():
        return f"Apache Jena is incomplete ({CORE_JAR} missing); reinstall {PACKAGE}"
    return None


def _dpkg(*args: str) -> str | None:
    try:
        out = subprocess.run(["dpkg-query", *args], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout if out.returncode == 0 else None


def _package_jars(package: str) -> list[Path]:
    """The unversioned jars a Debian package puts in /usr/share/java."""
    listing = _dpkg("-L", package) or ""
    jars = []
    for line in listing.splitlines():
        p = Path(line.strip())
        # jena-core.jar, not jena-core-4.5.0.jar (a symlink and its target: keep one)
        if p.parent == JAVA_SHARE and p.suffix == ".jar" and not re.search(r"-\d[\w.~+-]*\.jar$", p.name):
            jars.append(p)
    return sorted(jars)


def _dependencies(package: str) -> list[str]:
    depends = _dpkg("-W", "-f", "${Depends}", package) or ""
    names = []
    for alternative in depends.split(","):
        first = alternative.split("|")[0].strip()
        if first:
            names.append(first.split()[0].split(":")[0])
    return names


@cache
def classpath_jars() -> tuple[Path, ...]:
    """Jena's jars and those of the Java packages it depends on (transitively), bridges left out."""
    jars: list[Path] = []
    seen: set[str] = set()
    todo = [PACKAGE]
    while todo:
        package = todo.pop(0)
        if package in seen:
            continue
        seen.add(package)
        own = _package_jars(package)
        if not own and package != PACKAGE:
            continue  # not a Java library package (or not installed): do not follow its dependencies
        jars.extend(own)
        todo.extend(d for d in _dependencies(package) if d.endswith("-java"))
    if not jars:  # no dpkg: Jena's jars and a fixed list of its dependencies
        jars = sorted(JAVA_SHARE.glob("jena-*.jar"))
        jars = [j for j in jars if not re.search(r"-\d[\w.~+-]*\.jar$", j.name)]
        jars += [JAVA_SHARE / f"{name}.jar" for name in _FALLBACK_JARS]
    keep = []
    for j in dict.fromkeys(jars):
        if "slf4j" in j.name and j.name not in _SLF4J_KEEP:
            continue
        if j.is_file():
            keep.append(j)
    return tuple(keep)


def _xerces_resources(target: Path) -> Path:
    """jena-core's Xerces .properties resources, copied to target/xerces/ (the packaging bug)."""
    with zipfile.ZipFile(CORE_JAR) as core:
        for name in core.namelist():
            if name.startswith(_XERCES_PREFIX) and name.endswith(".properties"):
                out = target / "xerces" / name[len(_XERCES_PREFIX):]
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(core.read(name))
    return target


class Jena:
    """A prepared Jena installation: classpath, JVM options, and a working directory of its own."""

    def __init__(self, workdir: Path) -> None:
        reason = unavailable_reason()
        if reason:
            raise JenaError(reason)
        self.workdir = workdir
        fix = _xerces_resources(workdir / "resources")
        self.classpath = os.pathsep.join(str(p) for p in [fix, *classpath_jars()])
        self.jvm_options = list(_JVM_OPTIONS)
        self._counter = 0
        self._lock = threading.Lock()

    def command(self, args: Iterable[str]) -> list[str]:
        """The java command line for ``shacl`` with these arguments."""
        return ["java", *self.jvm_options, "-cp", self.classpath, MAIN_CLASS, *args]

    def _run(self, args: list[str], timeout: float = 300) -> str:
        cmd = self.command(args)
        try:
            out = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False, cwd=self.workdir)
        except subprocess.TimeoutExpired:
            raise JenaError(f"Jena {args[0]} timed out after {timeout} s") from None
        stdout = out.stdout.decode("utf-8", errors="replace")
        if out.returncode != 0 or not stdout.strip():
            err = out.stderr.decode("utf-8", errors="replace").strip()
            raise JenaError(f"Jena {args[0]} failed (exit {out.returncode}): {err[-2000:] or stdout[-2000:]}")
        return stdout

    def version(self) -> str:
        return self._run(["--version"]).strip()

    def validate(self, data: Path, shapes: Path, timeout: float = 300) -> Graph:
        """``shacl validate --shapes S --data D``: the validation report as an rdflib Graph."""
        args = ["validate", "--shapes", str(Path(shapes).resolve()), "--data", str(Path(data).resolve())]
        text = self._run(args, timeout=timeout)
        try:
            return Graph().parse(data=text, format="turtle")
        except Exception as exc:  # rdflib raises several exception types for bad Turtle
            raise JenaError(f"Jena's report is not Turtle: {exc}: {text[:500]}") from None

    def validate_graph(self, data: Graph, shapes: Path, timeout: float = 300) -> Graph:
        """Validate an rdflib graph: it is written as N-Triples to the working directory first."""
        with self._lock:
            self._counter += 1
            path = self.workdir / f"data-{self._counter}.nt"
        data.serialize(destination=path, format="nt", encoding="utf-8")
        try:
            return self.validate(path, shapes, timeout=timeout)
        finally:
            path.unlink(missing_ok=True)


_SETUP = threading.Lock()


@cache
def _jena() -> Jena:
    workdir = Path(tempfile.mkdtemp(prefix="ctkg-jena-"))
    atexit.register(shutil.rmtree, workdir, True)
    return Jena(workdir)


def jena() -> Jena:
    """The process-wide Jena, prepared on first use in a temporary directory removed at exit."""
    with _SETUP:
        return _jena()


__all__ = ["Jena", "JenaError", "classpath_jars", "jena", "unavailable_reason"]
