"""Recipe: DuckDB. SQL reads the applicants, estimate_batch settles them (Arrow in), and the
results go back into SQL (Arrow out) for a budget: exact DECIMAL sums."""

from decimal import Decimal

import duckdb
import tiercost

from conftest import EXAMPLES, run_cli_batch


def test_duckdb_sql_in_and_out(cli, template, mapping, tmp_path):
    con = duckdb.connect()
    # all_varchar: amounts stay exact decimal text (a DECIMAL column works too, below).
    rel = con.sql(f"select * from read_csv('{EXAMPLES / 'applicants.csv'}', all_varchar = true)")
    results = tiercost.estimate_batch(rel.arrow(), template, mapping)
    summary = con.execute(
        """
        select count(*) filter (where status <> 'error') as settled,
               sum(family) as family,
               sum(coalesce(family_low, family)) as family_low,
               sum(paid_basic) as basic,
               sum(paid_critical_illness) as critical_illness,
               sum(paid_assistance) as assistance,
               typeof(sum(family)) as type
        from results
        """
    ).fetchall()[0]
    _, want = run_cli_batch(cli, EXAMPLES / "applicants.csv", tmp_path)
    paid = {layer["id"]: Decimal(layer["paid"]) for layer in want["layers"]}
    assert summary[0] == want["ok"] + want["ranges"]
    assert summary[1:6] == (
        Decimal(want["family"]),
        Decimal(want["familyLow"]),
        paid["basic"],
        paid["critical_illness"],
        paid["assistance"],
    )
    assert summary[6].startswith("DECIMAL"), summary[6]

    # A relation passes directly (the Arrow C stream), amounts as DECIMAL from SQL.
    rel = con.sql(
        f"""select applicant, admitted, hospital, category, age,
                   class_a::decimal(12, 2) as class_a, class_b::decimal(12, 2) as class_b,
                   class_c::decimal(12, 2) as class_c
            from read_csv('{EXAMPLES / 'applicants.csv'}', all_varchar = true)"""
    )
    again = tiercost.estimate_batch(rel, template, mapping)
    assert again.equals(results)

    # Streamed: DuckDB pulls the results batch by batch (a table larger than memory). The
    # input relation's result stays open on `con` while it is read: query on another cursor.
    stream = tiercost.estimate_batch(rel, template, mapping, stream=True)
    assert con.cursor().execute("select sum(family), count(*) from stream").fetchall()[0] == (
        Decimal(want["family"]),
        results.num_rows,
    )
