"""Source connectors: file drops (CSV, TSV, JSONL; UTF-8 or GB18030/GBK) -> feedback items.

Three kinds of source are configured in ``voc.toml`` (see ``docs/sources.md``): reviews, survey
responses and social posts. :func:`read_source` reads one of them::

    batch = read_source(settings.sources[0], known_hashes=already_loaded, max_text_chars=5000)
    batch.items      # RawFeedback, PII masked
    batch.rejected   # Rejected, each with a reason; rows_read == len(items) + len(rejected)
    batch.files      # FileRead: path, sha256, size, encoding, rows_read (record these hashes)
    batch.problems   # one-line messages for the log (missing columns, undecodable bytes, ...)

Modules, in data-flow order: ``files`` (list, fingerprint, decode, split into records),
``values`` (time, rating, score and count parsers), ``mapping`` (record -> RawFeedback),
``connectors`` (a whole source -> SourceBatch).
"""

from voc.ingest.connectors import DUPLICATE, FileRead, SourceBatch, read_source
from voc.ingest.files import RawRecord, iter_records, list_files, open_table

__all__ = [
    "DUPLICATE",
    "FileRead",
    "RawRecord",
    "SourceBatch",
    "iter_records",
    "list_files",
    "open_table",
    "read_source",
]
