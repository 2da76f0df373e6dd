"""estimate_batch equals `tiercost batch` on examples/batch/ to the fen, row by row and in
the summary; estimate() equals `tiercost estimate`; errors of the documents are raised."""

import json
import subprocess
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc
import pytest
import tiercost

from conftest import EXAMPLES, ROOT, as_text, run_cli_batch, scaled


def test_rows_equal_the_cli_to_the_fen(cli, applicants, template, mapping, tmp_path):
    cli_rows, _ = run_cli_batch(cli, EXAMPLES / "applicants.csv", tmp_path)
    res = tiercost.estimate_batch(applicants, template, mapping)
    assert res.num_rows == applicants.num_rows == len(cli_rows)
    for name in ["total", "family", "family_low", "paid_basic", "paid_critical_illness", "paid_assistance"]:
        assert res.schema.field(name).type == pa.decimal128(18, 2), name
    ours = res.to_pylist()
    assert set(cli_rows[0]) == set(ours[0]), "the same columns as the CLI's CSV"
    for want, got in zip(cli_rows, ours):
        assert {k: as_text(v) for k, v in got.items()} == want
    # The example has ranges and plain answers, and every row settles.
    assert {r["status"] for r in ours} == {"ok", "range"}


def test_summary_equals_the_cli(cli, applicants, template, mapping, tmp_path):
    _, summary = run_cli_batch(cli, EXAMPLES / "applicants.csv", tmp_path)
    res = tiercost.estimate_batch(applicants, template, mapping, threads=1).to_pylist()
    settled = [r for r in res if r["status"] != "error"]
    assert len(settled) == summary["ok"] + summary["ranges"]
    assert sum(r["family"] for r in settled) == Decimal(summary["family"])
    assert sum(r["total"] for r in settled) == Decimal(summary["total"])
    low = sum((r["family_low"] if r["family_low"] is not None else r["family"]) for r in settled)
    assert low == Decimal(summary["familyLow"])
    for layer in summary["layers"]:
        assert sum(r["paid_" + layer["id"]] for r in settled) == Decimal(layer["paid"])


def test_inputs_of_every_arrow_shape(applicants, template, mapping):
    want = tiercost.estimate_batch(applicants, template, mapping)
    # JSON text as well as dicts; a RecordBatch; a reader; many small batches.
    assert tiercost.estimate_batch(
        applicants, json.dumps(template), json.dumps(mapping)
    ).equals(want)
    assert tiercost.estimate_batch(applicants.combine_chunks().to_batches()[0], template, mapping).equals(want)
    reader = pa.RecordBatchReader.from_batches(applicants.schema, applicants.to_batches(max_chunksize=3))
    assert tiercost.estimate_batch(reader, template, mapping).combine_chunks().equals(want.combine_chunks())
    # Rows count across batches.
    big = scaled(applicants, 5)
    many = tiercost.estimate_batch(pa.Table.from_batches(big.to_batches(max_chunksize=7)), template, mapping)
    assert many.column("row").to_pylist() == list(range(1, big.num_rows + 1))
    assert tiercost.result_schema(template, mapping) == want.schema


def test_decimal_and_date_columns_are_read_exactly(applicants, template, mapping):
    t = applicants
    for c in ["class_a", "class_b", "class_c"]:
        t = t.set_column(t.schema.get_field_index(c), c, t.column(c).cast(pa.decimal128(12, 2)))
    t = t.set_column(1, "admitted", t.column("admitted").cast(pa.date32()))
    age = t.column("age")
    age = pc.if_else(pc.equal(age, ""), pa.scalar(None, pa.string()), age).cast(pa.int32())
    t = t.set_column(t.schema.get_field_index("age"), "age", age)
    assert tiercost.estimate_batch(t, template, mapping).equals(
        tiercost.estimate_batch(applicants, template, mapping)
    )


def test_estimate_equals_the_cli(cli):
    case = ROOT / "examples" / "inline-pack-case.json"
    want = json.loads(subprocess.run([str(cli), "estimate", str(case)], check=True, capture_output=True).stdout)
    assert tiercost.estimate(case.read_text(encoding="utf-8")) == want
    assert tiercost.estimate(json.loads(case.read_text(encoding="utf-8"))) == want
    with pytest.raises(tiercost.TiercostError) as e:
        tiercost.estimate({"member": {"scheme": "resident"}, "encounters": []})
    assert e.value.code and e.value.path.startswith("$")


def test_bad_documents_raise_with_code_and_path(applicants, template, mapping):
    bad = dict(mapping, columns=mapping["columns"] + [{"column": "x", "to": "/pack", "type": "string"}])
    with pytest.raises(tiercost.TiercostError) as e:
        tiercost.estimate_batch(applicants, template, bad)
    assert (e.value.code, e.value.path) == ("invalid_value", "$.columns[7].to")
    with pytest.raises(tiercost.TiercostError) as e:
        tiercost.estimate_batch(applicants, "{not json", mapping)
    assert e.value.code == "json_syntax"
    with pytest.raises(tiercost.TiercostError) as e:
        tiercost.estimate_batch(applicants, template, mapping, pack="no-such-pack")
    assert (e.value.code, e.value.path) == ("unknown_pack", "$.pack")
    with pytest.raises(tiercost.TiercostError) as e:
        tiercost.estimate_batch(applicants.drop_columns(["class_b"]), template, mapping)
    assert (e.value.code, e.value.path) == ("missing_field", "$.columns[5].column")
    with pytest.raises(TypeError):
        tiercost.estimate_batch([1, 2, 3], template, mapping)


def test_streamed_results_equal_the_table(applicants, template, mapping):
    big = scaled(applicants, 5)
    want = tiercost.estimate_batch(big, template, mapping)
    reader = pa.RecordBatchReader.from_batches(big.schema, big.to_batches(max_chunksize=9))
    out = tiercost.estimate_batch(reader, template, mapping, stream=True)
    assert isinstance(out, pa.RecordBatchReader)
    assert out.schema == want.schema
    assert out.read_all().combine_chunks().equals(want.combine_chunks())


def test_documents_from_files(applicants):
    want = tiercost.estimate_batch(applicants, (EXAMPLES / "template.json").read_text(encoding="utf-8"),
                                   (EXAMPLES / "mapping.json").read_text(encoding="utf-8"))
    assert tiercost.estimate_batch(applicants, EXAMPLES / "template.json", EXAMPLES / "mapping.json").equals(want)
    with pytest.raises(OSError):
        tiercost.estimate_batch(applicants, EXAMPLES / "no-such-file.json", EXAMPLES / "mapping.json")


def test_dictionary_columns_are_read_as_their_values(applicants, template, mapping):
    t = applicants
    for c in ["hospital", "category"]:
        t = t.set_column(t.schema.get_field_index(c), c, pc.dictionary_encode(t.column(c)))
    assert tiercost.estimate_batch(t, template, mapping).equals(tiercost.estimate_batch(applicants, template, mapping))


def test_pack_given_apart_from_the_template(applicants, template, mapping):
    want = tiercost.estimate_batch(applicants, template, mapping)
    bare = {k: v for k, v in template.items() if k != "inlinePack"}
    assert tiercost.estimate_batch(applicants, bare, mapping, pack=template["inlinePack"]).equals(want)
    assert tiercost.estimate_batch(applicants, bare, mapping, pack=json.dumps(template["inlinePack"])).equals(want)
