"""OpenFisca beside tiercost on the comparison bills (issue 17 point 6), as Markdown.

    make bench-openfisca                      (installs ./.venv, then runs this; N = 10⁶)
    .venv/bin/python run.py [--rows N | --quick] [--repeat K] [--tiercost BIN] [--keep DIR]
    .venv/bin/python run.py --check           exactness check only: exit 1 on a model error

The bills are the Publicodes comparison's (benches/compare/bills.mjs: the 9 fixed bills, then
drawn by the seeded generator), written as CSV by `node benches/batch/rows.mjs N`. Steps:

1. tiercost's answers, exact: the release CLI, `tiercost batch bills.csv --template
   examples/batch/template.json --mapping benches/batch/mapping.json -o out.csv` (built first
   with `cargo build --release --bin tiercost`, a no-op when current; or `--tiercost BIN`),
   whose decimal strings are read as integer fen exactly; and the same bills as Parquet
   (benches/batch/to-parquet.py, amounts decimal128(12, 2), outside the timings) through
   `tiercost batch bills.parquet … -o out.parquet`, which must equal the CSV run to the fen
   (needs pyarrow; skipped with --check). If the Python package is importable
   (`import tiercost`, with pyarrow: docs/PYTHON.md), `tiercost.estimate_batch` too, on the
   same CSV read by pyarrow with every column as text; it must equal the CLI to the fen.
   Otherwise its rows say why not.
2. The OpenFisca model (model.py, parameters/) three times: as OpenFisca ships it (float
   variables are float32), with float64 variables, and with float64 plus the Publicodes
   rules' 5·10⁻⁹-yuan nudge before each rounding (the `rounding_nudge` parameter). Amounts
   enter as numpy float64 parsed from the CSV's decimal text; results are turned into fen by
   rounding half up: floor(float64(x) × 100 + 0.5).
3. Agreement first: per engine, the bills on which any of the four amounts (basic, 大病,
   医疗救助, family) differs from tiercost's, and the largest difference in fen. float32 and
   float64 are reported as they are. **float64 + nudge must agree on every bill**: exact
   payments here are multiples of 10⁻⁴ yuan and float64's error on them is far below 10⁻⁹
   yuan, so the nudge only puts back over an exact half fen a float that fell just below it;
   any other difference is an error of the model, and the run exits 1. So does any
   disagreement between the CLI and estimate_batch, or a row tiercost did not settle.
4. Speed, same run, rounds interleaved (each round runs every engine once, so all see the same
   load): wall time and rows/s, and CPU time. OpenFisca: build the simulation (N persons,
   set_input of the five input arrays — the enum columns encoded there) and calculate the four
   outputs; the tax-benefit system (YAML parameters) is built once beforehand, and the CSV
   parsed once beforehand (both reported apart). tiercost CLI: the whole process — reading the
   CSV, settling, writing the CSV. estimate_batch: the call alone, Arrow table in memory in
   and out.

--check: N = 1009 (the 9 fixed bills and 1000 drawn), float64 + nudge must be exact; float32
and float64 reported; no timing; exit 1 on a model error. It needs Node and Cargo.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(HERE))

import model  # noqa: E402

AMOUNTS = ("basic", "critical", "assistance", "family")
CLI_COLUMNS = ("paid_basic", "paid_critical_illness", "paid_assistance", "family")
TEMPLATE = ROOT / "examples/batch/template.json"
MAPPING = ROOT / "benches/batch/mapping.json"


def fen_of_text(values) -> numpy.ndarray:
    """Decimal strings of yuan with exactly two places ("1234.50") as int64 fen, exactly."""
    arr = numpy.asarray(values, dtype=str)
    if not numpy.all(numpy.char.find(arr, ".") == numpy.char.str_len(arr) - 3):
        bad = next(v for v in arr if len(v) < 3 or v[-3] != ".")
        raise SystemExit(f"not an amount with two decimal places: {bad!r}")
    return numpy.char.replace(arr, ".", "").astype(numpy.int64)


def fen_of_float(x: numpy.ndarray) -> numpy.ndarray:
    """An OpenFisca float result as fen: half up, floor(float64(x) × 100 + 0.5)."""
    return numpy.floor(x.astype(numpy.float64) * 100 + 0.5).astype(numpy.int64)


def sh(*cmd, **kw) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout.strip()


def read_bills(path: Path) -> dict:
    cols = {k: [] for k in ("id", "level", "category", "a", "b", "c")}
    with path.open(newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        header = next(r)
        assert header == list(cols), header
        lists = list(cols.values())
        for row in r:
            for lst, v in zip(lists, row):
                lst.append(v)
    return {
        "id": cols["id"],
        "level": numpy.array(cols["level"]),
        "category": numpy.array(cols["category"]),
        # What a user of OpenFisca has: the amounts as binary floats (nearest double).
        "a": numpy.array(cols["a"], dtype=numpy.float64),
        "b": numpy.array(cols["b"], dtype=numpy.float64),
        "c": numpy.array(cols["c"], dtype=numpy.float64),
    }


def cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_cli(binary: Path, bills: Path, out: Path) -> tuple[float, float]:
    c0, t0 = cpu_children(), time.perf_counter()
    subprocess.run(
        [str(binary), "batch", str(bills), "--template", str(TEMPLATE), "--mapping",
         str(MAPPING), "-o", str(out), "--quiet"],
        check=True,
    )
    return time.perf_counter() - t0, cpu_children() - c0


def read_parquet_out(out: Path) -> dict:
    """`tiercost batch … -o out.parquet`'s answers (amounts are decimal128(…, 2)) as fen."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = pq.read_table(out)
    res = {"status": numpy.array(t.column("status").to_pylist())}
    for a, c in zip(AMOUNTS, CLI_COLUMNS):
        res[a] = fen_of_text(t.column(c).cast(pa.string()).to_pylist())
    return res


def read_cli(out: Path) -> dict:
    cols = {k: [] for k in ("status", *CLI_COLUMNS)}
    with out.open(newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        for row in r:
            for k, lst in cols.items():
                lst.append(row[k])
    status = numpy.array(cols.pop("status"))
    return {"status": status, **{a: fen_of_text(cols[c]) for a, c in zip(AMOUNTS, CLI_COLUMNS)}}


class PythonPackage:
    """tiercost.estimate_batch, if the package (and pyarrow) can be imported."""

    def __init__(self, bills_csv: Path):
        self.why_not = None
        try:
            import pyarrow
            import pyarrow.csv as pacsv
            import tiercost
        except ImportError as e:
            self.why_not = f"not importable here ({e})"
            return
        self.pa, self.tiercost = pyarrow, tiercost
        self.version = getattr(tiercost, "__version__", "?")
        names = ["id", "level", "category", "a", "b", "c"]
        t0 = time.perf_counter()
        self.table = pacsv.read_csv(
            bills_csv,
            convert_options=pacsv.ConvertOptions(
                column_types={n: pyarrow.string() for n in names}
            ),
        )
        self.read_s = time.perf_counter() - t0
        self.template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
        self.mapping = json.loads(MAPPING.read_text(encoding="utf-8"))

    def run(self):
        c0, t0 = time.process_time(), time.perf_counter()
        res = self.tiercost.estimate_batch(self.table, self.template, self.mapping)
        return res, time.perf_counter() - t0, time.process_time() - c0

    def fen(self, res) -> dict:
        out = {"status": numpy.array(res.column("status").to_pylist())}
        for a, c in zip(AMOUNTS, CLI_COLUMNS):
            text = res.column(c).cast(self.pa.string()).to_pylist()
            out[a] = fen_of_text(text)
        return out


def run_openfisca(system, bills: dict) -> tuple[dict, float, float]:
    from openfisca_core.simulations import SimulationBuilder

    n = len(bills["id"])
    c0, t0 = time.process_time(), time.perf_counter()
    sim = SimulationBuilder().build_default_simulation(system, n)
    for var, key in (("class_a", "a"), ("class_b", "b"), ("class_c", "c"),
                     ("level", "level"), ("category", "category")):
        sim.set_input(var, "2025", bills[key])
    results = {a: sim.calculate(v, "2025") for a, v in zip(AMOUNTS, model.OUTPUTS)}
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    dtype = results["basic"].dtype
    fen = {a: fen_of_float(x) for a, x in results.items()}
    return fen | {"dtype": dtype, "raw": results}, wall, cpu


def compare(want: dict, got: dict, ids: list) -> dict:
    diffs = numpy.stack([got[a] - want[a] for a in AMOUNTS])
    per_amount = {a: int(numpy.count_nonzero(diffs[i])) for i, a in enumerate(AMOUNTS)}
    bad = numpy.flatnonzero(numpy.any(diffs != 0, axis=0))
    maxabs = {a: int(numpy.abs(diffs[i]).max()) for i, a in enumerate(AMOUNTS)}
    examples = []
    for j in bad[:5]:
        parts = [f"{a} {int(diffs[i, j]):+d}" for i, a in enumerate(AMOUNTS) if diffs[i, j]]
        examples.append(f"{ids[j]}: {', '.join(parts)} fen")
    return {"bills": int(bad.size), "per_amount": per_amount, "max": maxabs,
            "examples": examples, "first_bad": [int(j) for j in bad[:5]]}


def machine() -> str:
    model_name = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model_name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {model_name}{mem}"


def fmt_rate(n: int, s: float) -> str:
    return f"{n / s:,.0f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="bills (default 10⁶)")
    ap.add_argument("--quick", action="store_true", help="10⁵ bills")
    ap.add_argument("--check", action="store_true",
                    help="the 9 fixed bills + 1000 drawn: float64 + nudge must be exact")
    ap.add_argument("--repeat", type=int, default=3, help="timed rounds (default 3)")
    ap.add_argument("--tiercost", type=Path, help="the tiercost binary (default: build it)")
    ap.add_argument("--keep", type=Path, help="write bills.csv and out.csv here and keep them")
    args = ap.parse_args()
    n = 1009 if args.check else 100_000 if args.quick else args.rows

    load_start = os.getloadavg()
    started = datetime.now(timezone.utc)
    work = args.keep or Path(tempfile.mkdtemp(prefix="tiercost-openfisca-"))
    work.mkdir(parents=True, exist_ok=True)
    bills_csv, out_csv = work / "bills.csv", work / "out.csv"
    bills_pq, out_pq = work / "bills.parquet", work / "out.parquet"
    log = (lambda *a: print(*a, file=sys.stderr, flush=True))

    # The bills.
    log(f"writing {n} bills: node benches/batch/rows.mjs {n} > {bills_csv}")
    with bills_csv.open("w") as f:
        subprocess.run(["node", str(ROOT / "benches/batch/rows.mjs"), str(n)], stdout=f,
                       check=True, cwd=ROOT)
    t0 = time.perf_counter()
    bills = read_bills(bills_csv)
    parse_s = time.perf_counter() - t0
    assert len(bills["id"]) == n

    # tiercost: the CLI (built if needed) and, if importable, the Python package.
    binary = args.tiercost
    if binary is None:
        log("cargo build --release --bin tiercost")
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "tiercost"],
                       check=True, cwd=ROOT)
        binary = ROOT / "target/release/tiercost"
    cli_version = sh(str(binary), "--version")
    py = PythonPackage(bills_csv)
    # The same bills as Parquet (amounts decimal128(12, 2), as an analyst's export has them),
    # written by benches/batch/to-parquet.py outside the timings, for `tiercost batch` Parquet →
    # Parquet (issue 17's "native batch, Parquet in and out" row). Needs pyarrow.
    parquet_why_not = None
    if args.check:
        parquet_why_not = "--check"
    else:
        try:
            import pyarrow  # noqa: F401
        except ImportError as e:
            parquet_why_not = f"pyarrow not importable here ({e})"
        else:
            log(f"writing {bills_pq}: benches/batch/to-parquet.py")
            subprocess.run([sys.executable, str(ROOT / "benches/batch/to-parquet.py"),
                            str(bills_csv), str(bills_pq)], check=True, cwd=ROOT,
                           stdout=subprocess.DEVNULL)

    systems = {}
    t0 = time.perf_counter()
    systems["float32"] = model.build_system(float64=False)
    system_s = time.perf_counter() - t0
    systems["float64"] = model.build_system(float64=True)
    systems["float32, lookup"] = model.build_system(float64=False, fancy=False)
    systems["float64, lookup"] = model.build_system(float64=True, fancy=False)
    systems["float64 + nudge"] = model.build_system(float64=True, fancy=False)
    systems["float64 + nudge"].parameters.rounding_nudge.update(
        period="year:2025:1", value=5e-9
    )

    timings = {k: [] for k in ("cli", "parquet", "py", *systems)}
    answers = {}
    rounds = 1 if args.check else max(1, args.repeat)
    for r in range(rounds):
        log(f"round {r + 1}/{rounds}: tiercost batch (CLI)")
        timings["cli"].append(run_cli(binary, bills_csv, out_csv))
        if r == 0:
            answers["cli"] = read_cli(out_csv)
        if parquet_why_not is None:
            log(f"round {r + 1}/{rounds}: tiercost batch (CLI, Parquet)")
            timings["parquet"].append(run_cli(binary, bills_pq, out_pq))
            if r == 0:
                answers["parquet"] = read_parquet_out(out_pq)
        if py.why_not is None:
            log(f"round {r + 1}/{rounds}: tiercost.estimate_batch")
            res, wall, cpu = py.run()
            timings["py"].append((wall, cpu))
            if r == 0:
                answers["py"] = py.fen(res)
            del res
        for name, system in systems.items():
            log(f"round {r + 1}/{rounds}: OpenFisca {name}")
            got, wall, cpu = run_openfisca(system, bills)
            timings[name].append((wall, cpu))
            if r == 0:
                answers[name] = got
    load_end = os.getloadavg()

    # Agreement.
    failed = []
    want = answers["cli"]
    unsettled = int(numpy.count_nonzero(want["status"] != "ok"))
    if unsettled:
        failed.append(f"tiercost batch: {unsettled} rows not `ok`")
    agree = {}
    if "parquet" in answers:
        agree["parquet"] = compare(want, answers["parquet"], bills["id"])
        if agree["parquet"]["bills"] or numpy.any(answers["parquet"]["status"] != "ok"):
            failed.append("tiercost batch, Parquet, differs from CSV: "
                          f"{agree['parquet']['examples']}")
    if "py" in answers:
        agree["py"] = compare(want, answers["py"], bills["id"])
        if agree["py"]["bills"] or numpy.any(answers["py"]["status"] != "ok"):
            failed.append(f"estimate_batch differs from the CLI: {agree['py']['examples']}")
    for name in systems:
        agree[name] = compare(want, answers[name], bills["id"])
    for name in ("float32", "float64"):
        raw, lookup = answers[name]["raw"], answers[f"{name}, lookup"]["raw"]
        if any(not numpy.array_equal(raw[a], lookup[a]) for a in AMOUNTS):
            failed.append(f"OpenFisca {name}: the table lookup's results differ from fancy "
                          "indexing's")
    if agree["float64 + nudge"]["bills"]:
        failed.append(
            "the OpenFisca model is wrong (float64 + nudge differs from tiercost): "
            + "; ".join(agree["float64 + nudge"]["examples"])
        )

    # The report.
    versions = {
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "openfisca-core": _version("openfisca-core"),
        "node": sh("node", "--version"),
    }
    commit = sh("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD")
    if sh("git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "Cargo.toml",
          "Cargo.lock", "benches/compare", "examples/batch", "benches/batch"):
        commit += " + uncommitted changes"
    label = {"cli": "tiercost batch (CLI, CSV → CSV)",
             "parquet": "tiercost batch (CLI, Parquet → Parquet)",
             "py": "tiercost.estimate_batch (Python, Arrow → Arrow)",
             "float32": "OpenFisca, float32 (as shipped)",
             "float64": "OpenFisca, float64 variables",
             "float32, lookup": "OpenFisca, float32, table lookup",
             "float64, lookup": "OpenFisca, float64, table lookup",
             "float64 + nudge": "OpenFisca, float64, table lookup, + 5·10⁻⁹ nudge"}
    order = ["cli", "parquet", "py", "float32", "float64", "float32, lookup", "float64, lookup",
             "float64 + nudge"]

    p = print
    p(f"Bills: N = {n:,} (`node benches/batch/rows.mjs {n}`: the 9 fixed comparison bills, "
      f"then {n - 9:,} drawn by the seeded generator). tiercost at {commit}; "
      f"{started:%Y-%m-%d %H:%M}Z.")
    p()
    p(f"Machine: {machine()}; load average {load_start[0]:.2f} at the start and "
      f"{load_end[0]:.2f} at the end (1 min; other work shares the cores). "
      + ", ".join(f"{k} {v}" for k, v in versions.items()) + f", {cli_version} (CLI)"
      + (f", tiercost Python package {py.version}" if py.why_not is None else "")
      + ".")
    p()
    p("**Agreement with `tiercost batch`, to the fen** (four amounts per bill: basic, 大病, "
      "医疗救助, family's share; OpenFisca's floats turned into fen by "
      "floor(float64(x) × 100 + 0.5)):")
    p()
    p("| engine | bills differing | basic | 大病 | 医疗救助 | family | largest difference |")
    p("|---|---|---|---|---|---|---|")
    for k in order:
        if k == "py" and k not in agree:
            p(f"| {label[k]} | — (not run: {py.why_not}) | | | | | |")
            continue
        if k == "parquet" and k not in agree:
            p(f"| {label[k]} | — (not run: {parquet_why_not}) | | | | | |")
            continue
        if k not in agree or k.endswith("lookup"):
            continue  # the same results as fancy indexing's, checked above
        a = agree[k]
        share = f"{a['bills']:,} of {n:,} ({a['bills'] / n:.2%})"
        cells = " | ".join(f"{a['per_amount'][x]:,}" for x in AMOUNTS)
        big = max(a["max"].values())
        p(f"| {label[k]} | {share} | {cells} | {big:,} fen |")
    p()
    p("The table-lookup variants (parameters by level and category taken by the enum's "
      "indices instead of OpenFisca's fancy indexing) give bit-for-bit the same floats as "
      "fancy indexing: checked on every bill.")
    p()
    for k in ("float32", "float64"):
        if agree[k]["examples"]:
            p(f"First {label[k]} differences: " + "; ".join(agree[k]["examples"]) + ".")
            p()
    if args.check:
        p("(--check: no timing.)")
    else:
        p(f"**Speed, same run** ({rounds} rounds, interleaved; best round, and every round's "
          "wall time):")
        p()
        p("| engine | wall (best) | rows/s | CPU (best round) | every round |")
        p("|---|---|---|---|---|")
        for k in order:
            if not timings.get(k):
                if k == "py":
                    p(f"| {label[k]} | — | — | — | not run: {py.why_not} |")
                if k == "parquet":
                    p(f"| {label[k]} | — | — | — | not run: {parquet_why_not} |")
                continue
            wall, cpu = min(timings[k])
            rounds_s = " / ".join(f"{w:.2f}" for w, _ in timings[k])
            p(f"| {label[k]} | {wall:.2f} s | {fmt_rate(n, wall)} | {cpu:.2f} s | "
              f"{rounds_s} s |")
        p()
        p(f"Outside the timings: parsing the CSV for OpenFisca (Python csv, amounts to float64) "
          f"{parse_s:.2f} s; building OpenFisca's tax-benefit system (parameters from YAML) "
          f"{system_s:.2f} s, once"
          + ("." if py.why_not else f"; reading the CSV into a pyarrow table of text columns "
             f"for estimate_batch {py.read_s:.2f} s."))
    p()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p(f"Peak memory of the Python process (OpenFisca, the parsed bills"
      f"{'' if py.why_not else ', estimate_batch'}): {rss:,.0f} MB.")
    p()
    p(f"Command: `{'' if args.check else 'make bench-openfisca, i.e. '}"
      f"benches/compare/openfisca/.venv/bin/python benches/compare/openfisca/run.py"
      f"{' --check' if args.check else f' --rows {n} --repeat {rounds}'}`.")
    if failed:
        for f in failed:
            log(f"FAILED: {f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


if __name__ == "__main__":
    sys.exit(main())
