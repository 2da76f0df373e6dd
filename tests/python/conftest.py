"""Shared fixtures of the Python package's tests (docs/PYTHON.md; `make python-test`).

The package under test is the installed wheel (`import tiercost`); the command line it is
checked against is TIERCOST_BIN (default: target/debug/tiercost, built if missing).
"""

import csv
import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "batch"


@pytest.fixture(scope="session")
def template():
    return json.loads((EXAMPLES / "template.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def mapping():
    return json.loads((EXAMPLES / "mapping.json").read_text(encoding="utf-8"))


def read_csv_as_text(path):
    """A CSV file as a pyarrow Table of strings: amounts stay exact decimal text (pyarrow would
    otherwise read `150.00` as a float, which estimate_batch refuses for amounts)."""
    with open(path, encoding="utf-8") as f:
        names = next(csv.reader(f))
    return pacsv.read_csv(
        path, convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names})
    )


@pytest.fixture(scope="session")
def applicants():
    return read_csv_as_text(EXAMPLES / "applicants.csv")


def scaled(table, times):
    """The table repeated `times` times, each copy's applicants renamed (A001 → A001-7)."""
    parts = []
    for k in range(times):
        ids = pa.array([f"{i}-{k}" for i in table.column("applicant").to_pylist()])
        parts.append(table.set_column(0, "applicant", ids))
    return pa.concat_tables(parts)


@pytest.fixture(scope="session")
def cli():
    """The tiercost command line (the main crate, feature `cli`)."""
    exe = Path(os.environ.get("TIERCOST_BIN", ROOT / "target" / "debug" / "tiercost"))
    if not exe.exists():
        subprocess.run(["cargo", "build", "--bin", "tiercost"], cwd=ROOT, check=True)
    return exe


def run_cli_batch(cli, input_path, tmp_path):
    """`tiercost batch` of a CSV file with the example template and mapping: its rows (CSV
    text, '' for empty) and its summary."""
    out, summary = tmp_path / "out.csv", tmp_path / "summary.json"
    subprocess.run(
        [
            str(cli), "batch", str(input_path),
            "--template", str(EXAMPLES / "template.json"),
            "--mapping", str(EXAMPLES / "mapping.json"),
            "-o", str(out), "--summary", str(summary), "--quiet",
        ],
        check=False,
    )
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return rows, json.loads(summary.read_text(encoding="utf-8"))


def as_text(v):
    """A result cell as the CLI's CSV writes it: decimals with two places, '' for null."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return f"{v:.2f}"
    return str(v)


def fen(d):
    """A Decimal of yuan as integer fen, refusing anything not whole fen."""
    f = d * 100
    assert f == f.to_integral_value(), d
    return int(f)
