"""Recipe: PySpark. mapInArrow settles each partition with estimate_batch (local[2] here, a
cluster the same way); the totals equal the single-process run to the fen."""

import os
import sys

import pyarrow as pa
import pytest
import tiercost

from conftest import scaled

pyspark = pytest.importorskip("pyspark")
from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402


def spark_ddl(schema: pa.Schema) -> str:
    """A pyarrow schema of estimate_batch's results as a Spark DDL string."""
    types = {pa.int64(): "bigint", pa.string(): "string"}
    cols = []
    for f in schema:
        t = types.get(f.type) or (
            f"decimal({f.type.precision}, {f.type.scale})" if pa.types.is_decimal(f.type) else None
        )
        cols.append(f"`{f.name}` {t}")
    return ", ".join(cols)


@pytest.fixture(scope="module")
def spark():
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    s = (
        SparkSession.builder.master("local[2]")
        .appName("tiercost-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "512m")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def test_spark_map_in_arrow(spark, applicants, template, mapping, tmp_path):
    table = scaled(applicants, 20)  # 400 applicants
    path = tmp_path / "applicants.parquet"
    import pyarrow.parquet as pq

    pq.write_table(table, path)
    df = spark.read.parquet(str(path)).repartition(4)

    def settle(batches):
        for b in batches:
            yield from tiercost.estimate_batch(b, template, mapping, threads=1).to_batches()

    results = df.mapInArrow(settle, spark_ddl(tiercost.result_schema(template, mapping)))
    layers = ["basic", "critical_illness", "assistance"]
    got = (
        results.agg(
            F.count("*").alias("rows"),
            F.sum("family").alias("family"),
            F.sum(F.coalesce("family_low", "family")).alias("family_low"),
            *[F.sum("paid_" + l).alias(l) for l in layers],
        )
        .collect()[0]
        .asDict()
    )
    one = tiercost.estimate_batch(table, template, mapping).to_pylist()
    want = {
        "rows": len(one),
        "family": sum(r["family"] for r in one),
        "family_low": sum(r["family_low"] if r["family_low"] is not None else r["family"] for r in one),
        **{l: sum(r["paid_" + l] for r in one) for l in layers},
    }
    assert got == want
    # And row by row, by applicant.
    by_id = {r["id"]: (r["status"], r["family"]) for r in one}
    spark_rows = {r["id"]: (r["status"], r["family"]) for r in results.select("id", "status", "family").collect()}
    assert spark_rows == by_id
