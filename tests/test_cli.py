"""The command line: commands, output formats, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ctkg.cli import main
from tests.conftest import DOCS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ctkg", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    assert main(["build", "--demo", "--store", str(path), "--quiet"]) == 0
    return path


def test_build_prints_a_summary(tmp_path: Path) -> None:
    p = run("build", str(DOCS["1373_2001"]), "--store", str(tmp_path / "s"))
    assert p.returncode == 0, p.stderr
    assert "S/RES/1373 (2001): 37 paragraphs" in p.stdout
    assert "built 1 document(s)" in p.stdout


def test_query_formats(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "reporting-lines", "--store", str(store), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "reporter,recipient,resolution,paragraph,deadline,frequency"
    assert "CTED,CTC,S/RES/2322 (2016),21,2017-10-12," in out
    assert main(["query", "obligations", "--param", "actor=CTED", "--store", str(store), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [b["paragraph"]["value"] for b in data["results"]["bindings"]] == ["21"]
    assert main(["query", "citations", "--store", str(store)]) == 0
    assert "S/RES/1373 (2001)" in capsys.readouterr().out


def test_query_list_and_file(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--list"]) == 0
    listing = capsys.readouterr().out
    for name in ("obligations", "reporting-lines", "citations"):
        assert name in listing
    rq = tmp_path / "count.rq"
    rq.write_text("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a <https://w3id.org/ctkg/ontology#Resolution> ;"
                  " <https://w3id.org/ctkg/ontology#textAvailable> true }")
    assert main(["query", "--file", str(rq), "--store", str(store), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "4"


def test_extract_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(DOCS["731_1992"])]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["resolution"]["symbol"] == "S/RES/731 (1992)"
    assert doc["resolution"]["adoption"]["date"] == "1992-01-21"
    assert doc["source"]["kind"] == "resolution"


@pytest.mark.parametrize(
    ("content", "code", "needle"),
    [
        (b"", 3, "empty"),
        (b"\xff\xfe\x00garbage", 3, "binary"),
        (b"Caf\xe9 au lait\n", 3, "not UTF-8"),
        (b"A letter about something else entirely.\n", 3, "no Security Council resolution"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, content: bytes, code: int, needle: str) -> None:
    bad = tmp_path / "input.txt"
    bad.write_bytes(content)
    p = run("extract", str(bad))
    assert p.returncode == code
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and needle in lines[0], p.stderr


def test_unknown_query_and_usage_errors(store: Path) -> None:
    p = run("query", "no-such-query", "--store", str(store))
    assert p.returncode == 5 and "unknown query" in p.stderr
    p = run("query", "obligations", "--param", "actor", "--store", str(store))
    assert p.returncode == 5
    assert run("frobnicate").returncode == 2


def test_missing_store_is_a_store_error(tmp_path: Path) -> None:
    p = run("query", "obligations", "--store", str(tmp_path / "nowhere"))
    assert p.returncode == 4 and "no store here" in p.stderr


def test_validate_exit_codes_and_report(store: Path, tmp_path: Path) -> None:
    """0 when the graph conforms, 1 on violations, 2 on any error; the report in Turtle on request.
    The store is validated on disk, so the SPARQL engine runs in worker processes here."""
    p = run("validate", "--store", str(store), "--report", "-")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "sh:ValidationReport" in p.stdout and "sh:conforms true" in p.stdout
    assert "conforms: 4 resolution graph(s), 0 violation(s)" in p.stderr

    import shutil

    import pyoxigraph as ox

    from ctkg.store.local import database_dir

    broken = tmp_path / "broken"
    shutil.copytree(store, broken, symlinks=True)
    db = ox.Store(str(database_dir(broken)))
    # a sub-paragraph of the "Calls upon all States to:" chapeau of 2322 (2016) labelled "decides"
    clause = "<https://w3id.org/ctkg/id/res/2322-2016/para_13__subpara_b__clause_1>"
    graph = "<https://w3id.org/ctkg/graph/res/2322-2016>"
    db.update(f"DELETE {{ GRAPH {graph} {{ {clause} <https://w3id.org/ctkg/ontology#modality> ?m }} }} "
              f"INSERT {{ GRAPH {graph} {{ {clause} <https://w3id.org/ctkg/ontology#modality> "
              f"<https://w3id.org/ctkg/modality/decides> }} }} "
              f"WHERE {{ GRAPH {graph} {{ {clause} <https://w3id.org/ctkg/ontology#modality> ?m }} }}")
    db.flush()
    del db
    out = tmp_path / "report.ttl"
    for engine in ("sparql", "pyshacl"):
        p = run("validate", "--store", str(broken), "--engine", engine, "--report", str(out))
        assert p.returncode == 1, p.stdout + p.stderr
        assert "Violation: S/RES/2322 (2016) para 13(b): Clause" in p.stdout
        assert "does not conform" in p.stdout
        assert "sh:conforms false" in out.read_text()

    p = run("validate", "--store", str(tmp_path / "nowhere"))
    assert p.returncode == 2 and "no store here" in p.stderr
