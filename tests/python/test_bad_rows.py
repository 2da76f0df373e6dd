"""A bad row is reported with its row number, code, column and path; every other row is
still settled, to the same amounts as when the bad rows are not there."""

import pyarrow as pa
import tiercost


def test_bad_rows_are_reported_and_the_rest_settled(applicants, template, mapping):
    good = applicants.slice(0, 4).to_pylist()
    bad = [
        dict(good[0], applicant="BAD-AMOUNT", class_b="12.345"),
        dict(good[0], applicant="NO-A", class_a=None),
        dict(good[0], applicant="BAD-DATE", admitted="2025-02-30"),
        dict(good[0], applicant="OLD", admitted="2019-03-01"),
        dict(good[0], applicant="NEGATIVE", class_c="-1"),
        dict(good[0], applicant="LEVEL", hospital="四级"),
    ]
    rows = [good[0], bad[0], good[1], bad[1], bad[2], good[2], bad[3], bad[4], bad[5], good[3]]
    res = tiercost.estimate_batch(pa.Table.from_pylist(rows, schema=applicants.schema), template, mapping)
    out = {r["id"]: r for r in res.to_pylist()}
    expect = {
        "BAD-AMOUNT": (2, "invalid_amount", "class_b", "$.encounters[0].items[1].amount"),
        "NO-A": (4, "missing_field", "class_a", "$.encounters[0].items[0].amount"),
        "BAD-DATE": (5, "invalid_date", "admitted", "$.encounters[0].date"),
        "OLD": (7, "not_in_effect", "admitted", "$.encounters[0].date"),
        "NEGATIVE": (8, "invalid_amount", "class_c", "$.encounters[0].items[2].amount"),
    }
    for id, (row, code, column, path) in expect.items():
        r = out[id]
        assert (r["row"], r["status"], r["error_code"], r["error_column"], r["error_path"]) == (
            row, "error", code, column, path,
        ), r
        assert r["error_message"] and r["family"] is None and r["paid_basic"] is None
    level = out["LEVEL"]
    assert level["status"] == "error" and level["error_column"] == "hospital", level
    # The good rows are settled exactly as without the bad ones.
    alone = {r["id"]: r for r in tiercost.estimate_batch(applicants.slice(0, 4), template, mapping).to_pylist()}
    for id, r in alone.items():
        got = dict(out[id])
        assert got.pop("row") in (1, 3, 6, 10)
        r.pop("row")
        assert got == r


def test_a_float_amount_column_is_refused_on_every_row(applicants, template, mapping):
    t = applicants.set_column(5, "class_a", applicants.column("class_a").cast(pa.float64()))
    res = tiercost.estimate_batch(t, template, mapping).to_pylist()
    assert {(r["status"], r["error_code"], r["error_column"]) for r in res} == {
        ("error", "number_not_string", "class_a")
    }


def test_a_column_of_an_unread_type_stops_before_any_row(applicants, template, mapping):
    t = applicants.set_column(1, "admitted", pa.array([[1]] * applicants.num_rows))
    try:
        tiercost.estimate_batch(t, template, mapping)
    except tiercost.TiercostError as e:
        assert (e.code, e.path) == ("invalid_type", "$.columns[0].column")
    else:
        raise AssertionError("a list column must be refused")
