//! The Python module `tiercost` (docs/PYTHON.md): `estimate_batch` over Arrow tables and
//! `estimate` of one case.
//!
//! Only conversion lives here: Arrow columns become the batch's cells
//! ([`tiercost::batch::arrow`]), each row is settled by [`Batch::settle`] — the same code as
//! `tiercost batch`, to the fen — and the results become an Arrow table whose amounts are
//! exact `decimal128(18, 2)` (integer fen with two decimal places; never a float). Rows are
//! settled on all cores (rayon) with the GIL released.

use arrow_array::ffi_stream::ArrowArrayStreamReader;
use arrow_array::{RecordBatch, RecordBatchIterator, RecordBatchReader};
use arrow_pyarrow::{FromPyArrow, IntoPyArrow, Table, ToPyArrow};
use arrow_schema::{ArrowError, SchemaRef};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use rayon::prelude::*;
use serde_json::{Map, Value};
use tiercost::batch::arrow::{Columns, ResultTypes};
use tiercost::batch::{Batch, Mapping, RowError, RowResult, Template};
use tiercost::{Catalog, Error, ErrorCode, Money};

create_exception!(
    tiercost,
    TiercostError,
    PyException,
    "A template, mapping, pack or case tiercost cannot use: `.code` (the stable error code, \
     e.g. `invalid_value`), `.path` (the JSON path in that document, e.g. `$.columns[1].to`), \
     `.message`, and `.problems` (each gathered problem as a dict of code, path and message)."
);

/// Amounts: decimal128 with two places. Precision 18 is an `int64` inside DuckDB, Spark and
/// Polars (sums widen to 38 digits); an amount of 10¹⁶ yuan or more, which no bill reaches,
/// makes its row an `overflow` error rather than a wrong number.
const PRECISION: u8 = 18;
/// `row` as `Int64` (Spark has no unsigned type), amounts as decimal128(18, 2).
const TYPES: ResultTypes = ResultTypes {
    signed_rows: true,
    precision: PRECISION,
};
const MAX_FEN: i64 = 999_999_999_999_999_999;

fn tiercost_error(py: Python<'_>, e: &Error) -> PyErr {
    let err = TiercostError::new_err(format!("error[{}] at {}: {}", e.code, e.path, e.message));
    let v = err.value(py);
    let set = || -> PyResult<()> {
        v.setattr("code", e.code.to_string())?;
        v.setattr("path", &e.path)?;
        v.setattr("message", &e.message)?;
        let problems = PyList::empty(py);
        for p in &e.problems {
            let d = PyDict::new(py);
            d.set_item("code", p.code.to_string())?;
            d.set_item("path", &p.path)?;
            d.set_item("message", &p.message)?;
            problems.append(d)?;
        }
        v.setattr("problems", problems)
    };
    match set() {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// A document given as JSON text, as a file (a `pathlib.Path` or other `os.PathLike`), or as
/// Python objects (dict, list, str, numbers; anything else — a `decimal.Decimal`, a
/// `datetime.date` — as its `str()`, which for those is exact).
fn json_text(py: Python<'_>, doc: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = doc.cast::<PyString>() {
        return Ok(s.to_str()?.to_owned());
    }
    if doc.hasattr("__fspath__")? {
        let path: std::path::PathBuf = doc.extract()?;
        return Ok(std::fs::read_to_string(path)?);
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("ensure_ascii", false)?;
    kwargs.set_item("default", py.get_type::<PyString>())?;
    py.import("json")?
        .call_method("dumps", (doc,), Some(&kwargs))?
        .extract()
}

fn parse(py: Python<'_>, text: &str) -> PyResult<Value> {
    serde_json::from_str(text)
        .map_err(|e| tiercost_error(py, &Error::new(ErrorCode::JsonSyntax, "$", e.to_string())))
}

/// The template's text, with `pack` and `programmes` put in place of its own when given.
fn template_text(
    py: Python<'_>,
    template: &Bound<'_, PyAny>,
    pack: Option<&Bound<'_, PyAny>>,
    programmes: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let text = json_text(py, template)?;
    if pack.is_none() && programmes.is_none() {
        return Ok(text);
    }
    let mut doc = parse(py, &text)?;
    let Some(obj) = doc.as_object_mut() else {
        // Template::from_json says what is wrong with it.
        return Ok(text);
    };
    if let Some(p) = pack {
        obj.remove("pack");
        obj.remove("inlinePack");
        match p.cast::<PyString>() {
            // A built-in pack's id, or a pack as JSON text.
            Ok(s) if !s.to_str()?.trim_start().starts_with('{') => {
                obj.insert("pack".into(), Value::String(s.to_str()?.trim().to_owned()));
            }
            _ => {
                obj.insert("inlinePack".into(), parse(py, &json_text(py, p)?)?);
            }
        }
    }
    if let Some(p) = programmes {
        let list = match parse(py, &json_text(py, p)?)? {
            Value::Array(a) => a,
            one => vec![one],
        };
        let list = list
            .into_iter()
            .map(|p| match p {
                // A built-in programme's id.
                Value::String(id) => Value::Object(Map::from_iter([("id".into(), id.into())])),
                // Already as a case writes it: `{ "id": … }` or `{ "inline": … }`, with `since`.
                Value::Object(m)
                    if m.contains_key("inline") || m.keys().all(|k| k == "id" || k == "since") =>
                {
                    Value::Object(m)
                }
                // A programme document.
                other => Value::Object(Map::from_iter([("inline".into(), other)])),
            })
            .collect();
        obj.insert("programmes".into(), Value::Array(list));
    }
    Ok(doc.to_string())
}

fn make_batch(
    py: Python<'_>,
    template: &Bound<'_, PyAny>,
    mapping: &Bound<'_, PyAny>,
    pack: Option<&Bound<'_, PyAny>>,
    programmes: Option<&Bound<'_, PyAny>>,
) -> PyResult<Batch<'static>> {
    let template = template_text(py, template, pack, programmes)?;
    let mapping = json_text(py, mapping)?;
    let template =
        Template::from_json(&template, Catalog::embedded()).map_err(|e| tiercost_error(py, &e))?;
    let mapping = Mapping::from_json(&mapping).map_err(|e| tiercost_error(py, &e))?;
    Batch::new(template, mapping).map_err(|e| tiercost_error(py, &e))
}

/// The results' schema: `row`, `id`, `status`, the amounts, the error's fields.
fn result_schema_of(layers: &[String]) -> SchemaRef {
    tiercost::batch::arrow::result_schema(layers, TYPES)
}

/// A settled row whose amounts do not fit `decimal128(18, 2)` becomes an `overflow` error.
fn fit(mut r: RowResult) -> RowResult {
    let too_big = match &r.outcome {
        Ok(s) => std::iter::once(s.total)
            .chain(Some(s.family))
            .chain(s.family_low)
            .chain(s.paid.iter().copied())
            .any(|m: Money| m.fen().unsigned_abs() > MAX_FEN.unsigned_abs()),
        Err(_) => false,
    };
    if too_big {
        r.outcome = Err(RowError {
            code: ErrorCode::Overflow,
            column: None,
            path: "$".into(),
            message: "an amount of this row does not fit decimal128(18, 2) (10¹⁶ yuan or more)"
                .into(),
        });
    }
    r
}

/// The results of rows as a record batch of `schema` (result_schema_of).
fn result_batch(
    schema: &SchemaRef,
    layers: usize,
    rows: &[RowResult],
) -> Result<RecordBatch, String> {
    tiercost::batch::arrow::result_batch(schema, TYPES, layers, rows).map_err(|e| e.to_string())
}

/// Settles the rows of one input batch (numbered from `first`) into one result batch.
fn settle(
    batch: &Batch<'_>,
    columns: &Columns,
    schema: &SchemaRef,
    rb: &RecordBatch,
    first: u64,
) -> Result<RecordBatch, String> {
    let results: Vec<RowResult> = (0..rb.num_rows())
        .into_par_iter()
        .with_min_len(64)
        .map_init(
            || batch.scratch(),
            |scratch, i| {
                let (id, cells) = columns.row(rb, i);
                fit(batch.settle_in(scratch, first + i as u64, id, &cells))
            },
        )
        .collect();
    result_batch(schema, batch.layers().len(), &results)
}

/// The input as a stream of record batches: anything with `__arrow_c_stream__` (a pyarrow
/// Table, RecordBatch or RecordBatchReader, a Polars DataFrame, a DuckDB relation), or with
/// `__arrow_c_array__` (a struct array, a record batch).
fn reader(table: &Bound<'_, PyAny>) -> PyResult<Box<dyn RecordBatchReader + Send>> {
    if table.hasattr("__arrow_c_stream__")? {
        return Ok(Box::new(ArrowArrayStreamReader::from_pyarrow_bound(table)?));
    }
    if table.hasattr("__arrow_c_array__")? {
        let rb = RecordBatch::from_pyarrow_bound(table)?;
        let schema = rb.schema();
        return Ok(Box::new(RecordBatchIterator::new(vec![Ok(rb)], schema)));
    }
    if let Ok(r) = ArrowArrayStreamReader::from_pyarrow_bound(table) {
        return Ok(Box::new(r));
    }
    Err(PyTypeError::new_err(format!(
        "estimate_batch reads an Arrow table: a pyarrow Table or RecordBatch, or any object with \
         __arrow_c_stream__ (a Polars DataFrame, a DuckDB relation…); got {}",
        table.get_type().name()?
    )))
}

/// Settles each row of `table` — a case made from `template` (a case document: dict or JSON
/// text) with the row's cells in the fields `mapping` names (docs/BATCH.md) — and returns a
/// pyarrow Table with one result per row, in input order: `row` (1 for the first), `id`,
/// `status` (`ok`, `range`, `error`), `total`, `family`, `family_low`, `paid_<layer>` for
/// each layer of the template's packs (all `decimal128(18, 2)`), and for an `error` row
/// `error_code`, `error_column`, `error_path`, `error_message`. A bad row never stops the
/// others. `pack` replaces the template's pack (a built-in pack's id, or a pack as a dict or
/// JSON text); `programmes` its programmes (ids or programme documents). `threads`: how many
/// threads settle rows (default: one per core). `stream=True` returns a
/// `pyarrow.RecordBatchReader` instead, which settles each input batch when it is read: for
/// tables larger than memory (the results can go straight to DuckDB or a Parquet writer).
/// A bad template, mapping or pack, or a required column the table lacks, raises
/// `TiercostError`.
#[pyfunction]
// The Python function's keyword arguments.
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (table, template, mapping, *, pack=None, programmes=None, threads=None, stream=false))]
fn estimate_batch<'py>(
    py: Python<'py>,
    table: &Bound<'py, PyAny>,
    template: &Bound<'py, PyAny>,
    mapping: &Bound<'py, PyAny>,
    pack: Option<&Bound<'py, PyAny>>,
    programmes: Option<&Bound<'py, PyAny>>,
    threads: Option<usize>,
    stream: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let batch = make_batch(py, template, mapping, pack, programmes)?;
    let input = reader(table)?;
    let columns =
        Columns::bind(&batch, input.schema().as_ref()).map_err(|e| tiercost_error(py, &e))?;
    let schema = result_schema_of(batch.layers());
    let pool = match threads {
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| PyValueError::new_err(e.to_string()))?,
        ),
        None => None,
    };
    let mut settling = Settling {
        batch,
        columns,
        schema,
        input,
        first: 1,
        pool,
    };
    if stream {
        let reader: Box<dyn RecordBatchReader + Send> = Box::new(settling);
        return reader.into_pyarrow(py);
    }
    let mut out = Vec::new();
    // The input is read with the GIL held (its producer may be Python code); each batch is
    // settled without it.
    while let Some(rb) = settling.input.next() {
        let rb = rb.map_err(|e| PyValueError::new_err(format!("cannot read the table: {e}")))?;
        let results = py
            .detach(|| settling.settle(&rb))
            .map_err(|e| PyValueError::new_err(format!("cannot build the results: {e}")))?;
        out.push(results);
    }
    Table::try_new(out, settling.schema)
        .map_err(|e| PyValueError::new_err(e.to_string()))?
        .into_pyarrow(py)
}

/// A batch run over an input stream: each input batch settled into a result batch, in order.
/// Iterated by `estimate_batch` itself, or handed to Python as a `pyarrow.RecordBatchReader`
/// (`stream=True`), which settles a batch each time its consumer asks for one.
struct Settling {
    batch: Batch<'static>,
    columns: Columns,
    schema: SchemaRef,
    input: Box<dyn RecordBatchReader + Send>,
    /// The number of the next input row.
    first: u64,
    pool: Option<rayon::ThreadPool>,
}

impl Settling {
    fn settle(&mut self, rb: &RecordBatch) -> Result<RecordBatch, String> {
        let run = || settle(&self.batch, &self.columns, &self.schema, rb, self.first);
        let out = match &self.pool {
            Some(p) => p.install(run),
            None => run(),
        }?;
        self.first += rb.num_rows() as u64;
        Ok(out)
    }
}

impl Iterator for Settling {
    type Item = Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rb = match self.input.next()? {
            Ok(rb) => rb,
            Err(e) => return Some(Err(e)),
        };
        Some(self.settle(&rb).map_err(ArrowError::ComputeError))
    }
}

impl RecordBatchReader for Settling {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
}

/// The pyarrow Schema `estimate_batch` returns for this template and mapping (its `paid_…`
/// columns are the packs' layers): what Spark's `mapInArrow` needs before any row.
#[pyfunction]
#[pyo3(signature = (template, mapping, *, pack=None, programmes=None))]
fn result_schema<'py>(
    py: Python<'py>,
    template: &Bound<'py, PyAny>,
    mapping: &Bound<'py, PyAny>,
    pack: Option<&Bound<'py, PyAny>>,
    programmes: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let batch = make_batch(py, template, mapping, pack, programmes)?;
    result_schema_of(batch.layers()).as_ref().to_pyarrow(py)
}

/// Estimates one case (a dict or JSON text, docs/FORMATS.md) and returns the result as a dict
/// (amounts are decimal strings, "1234.50"), as `tiercost estimate` prints it. A case tiercost
/// cannot settle raises `TiercostError`.
#[pyfunction]
fn estimate<'py>(py: Python<'py>, case: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let text = json_text(py, case)?;
    let result = py.detach(|| {
        tiercost::estimate_json(&text).and_then(|e| {
            serde_json::to_string(&e)
                .map_err(|e| Error::new(ErrorCode::Internal, "$", e.to_string()))
        })
    });
    let json = result.map_err(|e| tiercost_error(py, &e))?;
    py.import("json")?.call_method1("loads", (json,))
}

#[pymodule]
#[pyo3(name = "tiercost")]
fn tiercost_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("TiercostError", m.py().get_type::<TiercostError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("data_version", tiercost::data_version())?;
    m.add_function(wrap_pyfunction!(estimate_batch, m)?)?;
    m.add_function(wrap_pyfunction!(result_schema, m)?)?;
    m.add_function(wrap_pyfunction!(estimate, m)?)?;
    Ok(())
}
