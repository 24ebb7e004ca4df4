"""``voc analyze``: a stable file-in, file-out contract that never touches the warehouse.

    voc analyze INPUT --text-column COL [--id-column COL] --output OUT.csv [--clauses CLAUSES.csv]

INPUT is CSV, TSV, JSONL or Parquet (by extension). OUT has one row per input row, in input order:

=============  =====================================================================
``id``         the ``--id-column`` value, else the 0-based row number
``sentiment``  document score in [-1, 1]
``label``      negative | neutral | positive
``stages``     ``;``-joined journey stage keys mentioned (journey order)
``neg_stages`` ``;``-joined stage keys with a negative clause
``pain_points`` ``;``-joined pain-point labels of its negative clauses
=============  =====================================================================

CLAUSES has ``id, clause_index, text, sentiment, label, stage, pain_point``. Pain points are
clustered within the input itself. Clause text is PII-masked and normalized.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from voc.enrich import enrich_batches
from voc.errors import InputError
from voc.ingest.files import detect_encoding
from voc.paths import LEXICON_DIR
from voc.records import EnrichedFeedback

OUT_COLUMNS = ("id", "sentiment", "label", "stages", "neg_stages", "pain_points")
CLAUSE_COLUMNS = ("id", "clause_index", "text", "sentiment", "label", "stage", "pain_point")
FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}


@dataclass(frozen=True)
class AnalyzeResult:
    rows: int
    clauses: int
    negative_clauses: int
    pain_points: int


def analyze_file(
    input_path: Path,
    *,
    text_column: str,
    output: Path,
    id_column: str | None = None,
    clauses_output: Path | None = None,
    lexicon_dir: Path = LEXICON_DIR,
    workers: int = 1,
) -> AnalyzeResult:
    """Analyze every row of ``input_path`` and write the OUT (and CLAUSES) CSV files."""
    ids, texts = read_input(Path(input_path), text_column, id_column)
    docs = [
        d
        for chunk in enrich_batches(
            [str(i) for i in range(len(texts))], texts, lexicon_dir=lexicon_dir, workers=workers
        )
        for d in chunk
    ]
    pain = _cluster(docs)
    _write_out(Path(output), ids, docs, pain)
    if clauses_output is not None:
        _write_clauses(Path(clauses_output), ids, docs, pain)
    negative = sum(1 for d in docs for c in d.clauses if c.label == "negative")
    return AnalyzeResult(len(docs), sum(len(d.clauses) for d in docs), negative, len(set(pain.values())))


def read_input(path: Path, text_column: str, id_column: str | None) -> tuple[list[str], list[str]]:
    """(ids, texts) from a CSV/TSV/JSONL/Parquet file; one clear :class:`InputError` if unreadable."""
    wanted = {"--text-column": text_column} | ({"--id-column": id_column} if id_column else {})
    cols = read_columns(path, wanted)
    texts = cols["--text-column"]
    return cols.get("--id-column", [str(i) for i in range(len(texts))]), texts


def read_columns(path: Path, wanted: dict[str, str]) -> dict[str, list[str]]:
    """Read the file once and return each wanted column (keyed like ``wanted``: option -> column) as
    strings ("" for missing cells); a missing column is one :class:`InputError` naming the option."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"{path}: unknown input format {path.suffix!r} (expected one of: {', '.join(sorted(FORMATS))})"
        )
    if not path.is_file():
        raise InputError(f"{path}: input file not found")
    try:
        columns, rows = _READERS[fmt](path)
    except (OSError, ValueError, csv.Error) as err:
        raise InputError(f"{path}: cannot read as {fmt}: {err}") from None
    for flag, col in wanted.items():
        if col not in columns:
            shown = ", ".join(columns[:20]) or "none"
            raise InputError(f"{path}: column {col!r} ({flag}) not found; columns are: {shown}")
    return {flag: [_cell(r.get(col)) for r in rows] for flag, col in wanted.items()}


def _cell(v: object) -> str:
    return "" if v is None else str(v)


def _decode(path: Path) -> str:
    """Text of a UTF-8 (with or without BOM) or GB18030/GBK file, detected as ingest does.

    A stray undecodable byte becomes U+FFFD: analyze keeps one output row per input row.
    """
    raw = path.read_bytes()
    codec, _ = detect_encoding(raw)
    return raw.decode(codec, errors="replace")


def _read_delimited(path: Path, delimiter: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(_decode(path).splitlines(keepends=True), delimiter=delimiter)
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _read_jsonl(path: Path) -> tuple[list[str], list[dict]]:
    rows, columns = [], {}
    for no, line in enumerate(_decode(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise ValueError(f"line {no}: invalid JSON ({err.msg})") from None
        if not isinstance(obj, dict):
            raise ValueError(f"line {no}: expected a JSON object")
        columns.update(dict.fromkeys(obj))
        rows.append(obj)
    return list(columns), rows


def _read_parquet(path: Path) -> tuple[list[str], list[dict]]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    return table.column_names, table.to_pylist()


_READERS = {
    "csv": lambda p: _read_delimited(p, ","),
    "tsv": lambda p: _read_delimited(p, "\t"),
    "jsonl": _read_jsonl,
    "parquet": _read_parquet,
}


def _cluster(docs: list[EnrichedFeedback]) -> dict[tuple[int, int], str]:
    """Pain-point label per (row, clause) for the input's negative clauses."""
    from voc.painpoints import PainPointClusterer

    keys, texts, tokens, stages = [], [], [], []
    for row, d in enumerate(docs):
        for c in d.clauses:
            if c.label == "negative":
                keys.append((row, c.position))
                texts.append(c.text)
                tokens.append(list(c.tokens))
                stages.append(c.stage)
    if not keys:
        return {}
    model = PainPointClusterer().fit(texts, tokens, stages)
    names = {p.id: p.label for p in model.points_}
    return {k: names[pid] for k, pid in zip(keys, model.labels_) if pid is not None}


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def _write_out(path: Path, ids, docs, pain) -> None:
    def rows():
        for row, (i, d) in enumerate(zip(ids, docs)):
            labels = dict.fromkeys(pain[(row, c.position)] for c in d.clauses if (row, c.position) in pain)
            stages, neg = ";".join(d.stages), ";".join(d.neg_stages)
            yield i, f"{d.sentiment:.4f}", d.label, stages, neg, ";".join(labels)

    _write_csv(path, OUT_COLUMNS, rows())


def _write_clauses(path: Path, ids, docs, pain) -> None:
    def rows():
        for row, (i, d) in enumerate(zip(ids, docs)):
            for c in d.clauses:
                pp = pain.get((row, c.position), "")
                yield i, c.position, c.text, f"{c.sentiment:.4f}", c.label, c.stage or "", pp

    _write_csv(path, CLAUSE_COLUMNS, rows())
