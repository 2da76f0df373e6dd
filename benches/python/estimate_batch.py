"""Rows per second of tiercost.estimate_batch on the comparison bills (BENCHMARKS.md, "Python").

    bash scripts/build-wheel.sh && .venv/bin/pip install --force-reinstall --no-deps target/wheels/*.whl
    node benches/batch/rows.mjs 100000 > /tmp/bills.csv
    .venv/bin/python benches/batch/to-parquet.py /tmp/bills.csv /tmp/bills.parquet
    .venv/bin/python benches/python/estimate_batch.py /tmp/bills.parquet [runs]

The Parquet file's amounts are decimal128(12, 2) and its text columns strings; it is read
into memory first, so the figures are estimate_batch's alone (Arrow in → settle → Arrow out).
Prints, per thread count, the best wall time of `runs` runs, rows/s and CPU seconds per row
(process time over all threads), and the exact sum of the family's share.
"""

import json
import os
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import tiercost

ROOT = Path(__file__).resolve().parents[2]
table = pq.read_table(sys.argv[1])
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
template = json.loads((ROOT / "examples/batch/template.json").read_text(encoding="utf-8"))
mapping = json.loads((ROOT / "benches/batch/mapping.json").read_text(encoding="utf-8"))

print(f"{table.num_rows} rows, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
for threads in [None, 1]:
    best = None
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        res = tiercost.estimate_batch(table, template, mapping, threads=threads)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        if best is None or wall < best[0]:
            best = (wall, cpu)
    wall, cpu = best
    import pyarrow.compute as pc

    family = pc.sum(res.column("family")).as_py()
    errors = pc.sum(pc.equal(res.column("status"), "error")).as_py()
    print(
        f"threads={threads or 'all'}: {wall:.2f} s, {table.num_rows / wall:,.0f} rows/s, "
        f"CPU {cpu:.2f} s ({cpu / table.num_rows * 1e6:.1f} µs/row), "
        f"family total {family} (decimal), {errors} error rows; "
        f"load average now {os.getloadavg()[0]:.2f}"
    )
