# Type stubs of the extension module `tiercost` (python/src/lib.rs; docs/PYTHON.md).
# maturin ships this file and a py.typed marker in the wheel.
import os
from typing import Any, Iterable, Mapping, Protocol, Union

import pyarrow

class _ArrowStream(Protocol):
    def __arrow_c_stream__(self, requested_schema: object = ...) -> object: ...

Document = Union[str, "os.PathLike[str]", Mapping[str, Any]]
"""A JSON document: JSON text, a file, or a dict (any value json.dumps cannot write, such as a
decimal.Decimal or a datetime.date, is written as its str())."""

__version__: str
data_version: str
"""The embedded policy packs' versions."""

class TiercostError(Exception):
    """A template, mapping, pack or case tiercost cannot use."""

    code: str
    """The stable error code (docs/FORMATS.md), e.g. "invalid_value"."""
    path: str
    """The JSON path in that document, e.g. "$.columns[1].to"."""
    message: str
    problems: list[dict[str, str]]
    """Each gathered problem's code, path and message (empty when there is one)."""

def estimate_batch(
    table: Union[pyarrow.Table, pyarrow.RecordBatch, pyarrow.RecordBatchReader, _ArrowStream],
    template: Document,
    mapping: Document,
    *,
    pack: Union[Document, None] = None,
    programmes: Union[str, Iterable[Document], None] = None,
    threads: Union[int, None] = None,
    stream: bool = False,
) -> Union[pyarrow.Table, pyarrow.RecordBatchReader]:
    """One result per row of `table`: row, id, status, total, family, family_low, paid_<layer>
    (decimal128(18, 2)), error_code, error_column, error_path, error_message. With
    stream=True, a RecordBatchReader that settles each input batch when it is read."""

def result_schema(
    template: Document,
    mapping: Document,
    *,
    pack: Union[Document, None] = None,
    programmes: Union[str, Iterable[Document], None] = None,
) -> pyarrow.Schema:
    """The schema estimate_batch returns for this template and mapping."""

def estimate(case: Document) -> dict[str, Any]:
    """One case's result, as `tiercost estimate` prints it."""
