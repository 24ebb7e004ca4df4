"""One loader for every lexicon under ``lexicons/``: validated, with file and line in every error.

Formats (UTF-8, ``#`` starts a comment, blank lines ignored):

* word lists (``.txt``): one entry per line;
* tables (``.tsv``): tab-separated columns, the first non-comment line is the header;
* structured definitions (``.yaml``): e.g. ``stages.yaml``.

Loaded lexicons are cached per (path, mtime) so a process reads each file once.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from voc.errors import LexiconError


def read_words(path: Path) -> tuple[str, ...]:
    """Entries of a word list, in file order, duplicates rejected."""
    return _read_words(Path(path), _mtime(path))


def read_table(path: Path, columns: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    """Rows of a TSV lexicon whose header must be exactly ``columns``."""
    return _read_table(Path(path), _mtime(path), tuple(columns))


def read_yaml(path: Path) -> Any:
    """A parsed YAML lexicon (validation is the caller's, using :func:`fail`)."""
    return _read_yaml(Path(path), _mtime(path))


def fail(path: Path, line: int | None, message: str) -> LexiconError:
    """The error to raise for a bad entry: ``lexicons/x.txt:12: message``."""
    where = f"{path}:{line}" if line else str(path)
    return LexiconError(f"{where}: {message}")


def _mtime(path: Path) -> float:
    try:
        return Path(path).stat().st_mtime
    except OSError:
        raise LexiconError(f"{path}: lexicon file not found") from None


def _lines(path: Path):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise fail(path, None, f"not UTF-8 ({err.reason} at byte {err.start})") from None
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if line.strip():
            yield no, line


@lru_cache(maxsize=128)
def _read_words(path: Path, _mtime: float) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    for no, line in _lines(path):
        word = line.strip()
        if any(ch.isspace() for ch in word):
            raise fail(path, no, f"one entry per line, found whitespace inside {word!r}")
        if word in seen:
            raise fail(path, no, f"duplicate entry {word!r} (first on line {seen[word]})")
        seen[word] = no
    return tuple(seen)


@lru_cache(maxsize=128)
def _read_table(path: Path, _mtime: float, columns: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for no, line in _lines(path):
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = cells
            if tuple(header) != columns:
                raise fail(path, no, f"header must be {'<TAB>'.join(columns)}, found {'<TAB>'.join(cells)}")
            continue
        if len(cells) != len(columns):
            raise fail(path, no, f"expected {len(columns)} tab-separated columns, found {len(cells)}")
        if not cells[0]:
            raise fail(path, no, f"empty {columns[0]}")
        rows.append(dict(zip(columns, cells)) | {"_line": str(no)})
    return tuple(rows)


@lru_cache(maxsize=32)
def _read_yaml(path: Path, _mtime: float) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise fail(path, line, f"not valid YAML: {getattr(err, 'problem', err)}") from None


#: Lexicons that only the pain-point step reads (it re-runs over every clause each time), so an
#: analyst's edit of them must not re-enrich the whole warehouse. The opinion lexicons are not among
#: them: the stage step of enrichment asks the opinion extractor about clauses it is unsure of.
PAIN_POINT_LEXICONS = frozenset({"pain_points.yaml", "experience_layers.yaml"})


def fingerprint(lexicon_dir: Path) -> str:
    """A short hash of every file under ``lexicon_dir`` that enrichment reads: changes whenever an
    analyst edits one (the pain-point step's own files, :data:`PAIN_POINT_LEXICONS`, do not count)."""
    h = hashlib.blake2b(digest_size=4)
    root = Path(lexicon_dir)
    files = (
        p
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).as_posix() not in PAIN_POINT_LEXICONS
    )
    for path in sorted(files):
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()
