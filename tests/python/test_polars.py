"""Recipe: Polars. A DataFrame goes in (as Arrow, or directly), the results come back as a
DataFrame of exact decimals."""

from decimal import Decimal

import polars as pl
import tiercost

from conftest import EXAMPLES, run_cli_batch


def test_polars_in_and_out(cli, template, mapping, tmp_path):
    # infer_schema=False: every column as text, amounts exact.
    df = pl.read_csv(EXAMPLES / "applicants.csv", infer_schema=False)
    results = pl.from_arrow(tiercost.estimate_batch(df.to_arrow(), template, mapping))
    assert results.schema["family"] == pl.Decimal(18, 2)
    # The DataFrame itself passes too (the Arrow C stream).
    assert results.equals(pl.from_arrow(tiercost.estimate_batch(df, template, mapping)))
    by_status = results.group_by("status").agg(pl.len(), pl.col("family").sum()).sort("status")
    _, want = run_cli_batch(cli, EXAMPLES / "applicants.csv", tmp_path)
    counts = dict(zip(by_status["status"], by_status["len"]))
    assert counts == {"ok": want["ok"], "range": want["ranges"]}
    assert sum(by_status["family"]) == Decimal(want["family"])
    totals = results.select(pl.col("^paid_.*$").sum()).row(0, named=True)
    assert totals == {"paid_" + l["id"]: Decimal(l["paid"]) for l in want["layers"]}

    # Amounts as Polars decimals are read exactly too; floats are refused per row.
    dec = df.with_columns(pl.col("class_a", "class_b", "class_c").cast(pl.Decimal(12, 2)))
    assert pl.from_arrow(tiercost.estimate_batch(dec, template, mapping)).equals(results)
    # Categorical text columns (dictionary-encoded in Arrow) are read as their values.
    cat = df.with_columns(pl.col("hospital", "category").cast(pl.Categorical))
    assert pl.from_arrow(tiercost.estimate_batch(cat, template, mapping)).equals(results)
    flt = df.with_columns(pl.col("class_a").cast(pl.Float64))
    codes = pl.from_arrow(tiercost.estimate_batch(flt, template, mapping))["error_code"].unique()
    assert codes.to_list() == ["number_not_string"]
