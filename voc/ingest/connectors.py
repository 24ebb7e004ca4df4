"""Read one configured source (``[sources.NAME]`` in ``voc.toml``) into a :class:`SourceBatch`.

Every record read either lands as a :class:`~voc.records.RawFeedback` or is kept as a
:class:`~voc.records.Rejected` with its reason: ``rows_read == len(items) + len(rejected)``
always holds. File-level trouble (a missing column, an unknown format, undecodable bytes) is
reported as one line each in ``problems`` and the run goes on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from voc.config import SourceConfig
from voc.errors import InputError
from voc.ingest.files import RawRecord, file_format, list_files, open_table, sha256
from voc.ingest.mapping import RecordMapper, payload
from voc.ingest.values import BadValue
from voc.records import RawFeedback, Rejected

#: JSONL has no header: a configured key absent from all of a file's first records is "missing".
JSONL_SAMPLE = 1000
DUPLICATE = "duplicate id within batch"


@dataclass(frozen=True)
class FileRead:
    """A file drop that was read: its fingerprint and how many records came out of it."""

    path: Path
    sha256: str
    size: int  # bytes
    encoding: str  # the codec used: utf-8, utf-8-sig, gb18030, gbk
    rows_read: int  # records landed + rejected


@dataclass
class SourceBatch:
    """What one read of a source produced."""

    source: str
    items: list[RawFeedback] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    files: list[FileRead] = field(default_factory=list)
    skipped_files: list[Path] = field(default_factory=list)  # already ingested (known sha256)
    problems: list[str] = field(default_factory=list)  # one-line messages for the log

    @property
    def rows_read(self) -> int:
        """Records read: landed + rejected (the two always reconcile)."""
        return len(self.items) + len(self.rejected)


def read_source(
    src: SourceConfig, *, known_hashes: Iterable[str] = frozenset(), max_text_chars: int = 5000
) -> SourceBatch:
    """Read the file drops of ``src`` not read before (by sha256) into feedback items and rejects.

    Files are read in sorted order; a file whose content was already seen (in ``known_hashes`` or
    earlier in this run) is skipped. Ids repeated within the batch keep their first occurrence;
    later ones are rejected as ``"duplicate id within batch"``.
    """
    mapper = RecordMapper(
        src.name,
        src.kind,
        src.columns,
        tz=_zone(src),
        score_type=src.score_type,
        max_text_chars=max_text_chars,
    )
    batch = SourceBatch(src.name)
    paths = list_files(src.path, src.pattern)
    if not paths:
        where = src.path if src.path.is_file() or not src.path.is_dir() else src.path / src.pattern
        batch.problems.append(f"sources.{src.name}.path: no files at {where}")
    seen_hashes = set(known_hashes)
    seen_ids: set[str] = set()
    for path in paths:
        fmt = file_format(path, src.format)
        if fmt is None:
            batch.problems.append(
                f"sources.{src.name}.format: cannot tell the format of {path.name} from "
                "its extension (.csv, .tsv, .jsonl); set format or pattern"
            )
            continue
        try:
            data = path.read_bytes()
        except OSError as err:
            batch.problems.append(f"{path}: cannot read: {err.strerror}")
            continue
        digest = sha256(data)
        if digest in seen_hashes:
            batch.skipped_files.append(path)
            continue
        seen_hashes.add(digest)
        batch.files.append(_read_file(batch, mapper, path, data, digest, fmt, src.encoding, seen_ids))
    return batch


def _zone(src: SourceConfig) -> ZoneInfo:
    try:
        return ZoneInfo(src.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"sources.{src.name}.timezone: unknown time zone {src.timezone!r} "
            "(expected an IANA name like 'Asia/Shanghai')"
        ) from None


def _read_file(
    batch: SourceBatch,
    mapper: RecordMapper,
    path: Path,
    data: bytes,
    digest: str,
    fmt: str,
    encoding: str,
    seen_ids: set[str],
) -> FileRead:
    table = open_table(data, fmt, encoding)
    records: Iterator[RawRecord] = table.records
    if table.columns is not None:
        available: Iterable[str] = table.columns
    else:
        sample = list(islice(records, JSONL_SAMPLE))
        records = chain(sample, records)
        parsed = [r.values for r in sample if r.values is not None and r.error is None]
        available = set().union(*parsed) if parsed else set(mapper.columns.values())
    missing = mapper.missing_columns(set(available), path.name)
    batch.problems.extend(missing)
    if table.bad_bytes:
        batch.problems.append(
            f"{path.name}: {table.bad_bytes} undecodable bytes (read as {table.encoding}); "
            "the records holding them are rejected"
        )
    before = (len(batch.items), len(batch.rejected))
    _land(batch, mapper, records, path.name, "; ".join(missing) or None, seen_ids)
    landed, rejected = len(batch.items) - before[0], len(batch.rejected) - before[1]
    if rejected:
        batch.problems.append(_summary(path.name, batch.rejected[before[1] :], landed + rejected))
    return FileRead(path, digest, len(data), table.encoding, landed + rejected)


def _land(
    batch: SourceBatch,
    mapper: RecordMapper,
    records: Iterable[RawRecord],
    name: str,
    reject_all: str | None,
    seen_ids: set[str],
) -> None:
    items, rejected, source = batch.items, batch.rejected, batch.source
    keep = mapper.columns.get("id")
    for rec in records:
        origin = f"{name}:{rec.line}"
        reason = rec.error or reject_all
        if reason is None:
            try:
                item = mapper.map(rec.values, origin)  # type: ignore[arg-type]
            except BadValue as err:
                reason = str(err)
            else:
                if item.id not in seen_ids:
                    seen_ids.add(item.id)
                    items.append(item)
                    continue
                reason = DUPLICATE
        raw = rec.values if rec.values is not None else rec.raw
        rejected.append(Rejected(source=source, origin=origin, payload=payload(raw, keep), reason=reason))


def _summary(name: str, rejected: list[Rejected], total: int) -> str:
    """``reviews.csv: 3 of 120 records rejected (2 empty text, 1 unparseable time)``."""
    kinds = Counter(r.reason.split(": ", 1)[0] for r in rejected)
    top = ", ".join(f"{n} {k}" for k, n in kinds.most_common(3))
    more = ", ..." if len(kinds) > 3 else ""
    return f"{name}: {len(rejected)} of {total} records rejected ({top}{more})"
