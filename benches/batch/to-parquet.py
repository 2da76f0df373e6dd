"""The comparison bills (rows.mjs's CSV) as Parquet, the way an analyst's export has them:
text columns as strings, amounts as decimal128(12, 2) — exact, never floats. Snappy.

    node benches/batch/rows.mjs 1000000 > /tmp/bills.csv
    python3 benches/batch/to-parquet.py /tmp/bills.csv /tmp/bills.parquet   # needs pyarrow
"""

import sys
from decimal import Decimal

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

src, dst = sys.argv[1], sys.argv[2]
text = {k: pa.string() for k in ["id", "level", "category", "a", "b", "c"]}
table = pacsv.read_csv(src, convert_options=pacsv.ConvertOptions(column_types=text))
money = pa.decimal128(12, 2)
for k in ["a", "b", "c"]:
    exact = pa.array([Decimal(v) for v in table[k].to_pylist()], type=money)
    table = table.set_column(table.schema.get_field_index(k), k, exact)
pq.write_table(table, dst, compression="snappy", row_group_size=100_000)
print(f"{table.num_rows} rows, schema: {table.schema}".replace("\n", "; "))
