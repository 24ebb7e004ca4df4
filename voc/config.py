"""Settings and source definitions: one TOML file plus ``VOC_*`` environment variables.

The file (default: ``voc.toml`` in the working directory, else the project's own demo config)::

    [warehouse]
    path = "warehouse/voc.duckdb"     # DuckDB file; relative paths are relative to this file
    lock_timeout_seconds = 30         # wait this long for another process's write lock

    [sources.shop_reviews]            # one table per source; the name is yours
    kind = "review"                   # review | survey | social
    path = "demo/data/reviews"        # a file, a folder or a glob
    columns = { text = "content", created_at = "time", rating = "stars" }

Every key is validated; a wrong one is reported as one line naming the file and the key.
Environment variables override the file: ``VOC_CONFIG``, ``VOC_WAREHOUSE_PATH``, ``VOC_LEXICON_DIR``,
``VOC_DIGEST_DIR``, ``VOC_MODELS_DIR``, ``VOC_WORKERS``, ``VOC_LOCK_TIMEOUT``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from voc.errors import ConfigError
from voc.paths import LEXICON_DIR, PROJECT_ROOT
from voc.records import KINDS

DEFAULT_CONFIG = PROJECT_ROOT / "voc.toml"

#: Fields a source can map to columns, per kind. ``text`` and ``created_at`` are always required.
SOURCE_FIELDS: dict[str, tuple[str, ...]] = {
    "review": ("id", "text", "created_at", "rating", "product", "store", "author"),
    "survey": ("id", "text", "created_at", "score", "touchpoint", "product", "store"),
    "social": ("id", "text", "created_at", "author", "likes", "reposts"),
}
REQUIRED_FIELDS = ("text", "created_at")
FORMATS = ("auto", "csv", "tsv", "jsonl")
ENCODINGS = ("auto", "utf-8", "utf-8-sig", "gb18030", "gbk")


@dataclass(frozen=True)
class SourceConfig:
    """Where one source's file drops are and which column holds which field."""

    name: str
    kind: str
    path: Path  # file, folder or glob, absolute
    columns: dict[str, str]  # field -> column name in the file
    format: str = "auto"  # by file extension when auto
    encoding: str = "auto"  # UTF-8 (with or without BOM) or GB18030/GBK, detected per file when auto
    score_type: str | None = None  # surveys: "nps" (0-10) or "csat" (1-5)
    timezone: str = "Asia/Shanghai"  # for timestamps without an offset
    pattern: str = "*"  # file name pattern when path is a folder


@dataclass(frozen=True)
class Settings:
    """Everything a run needs, passed explicitly to the library (no globals)."""

    config_path: Path | None = None
    warehouse_path: Path = PROJECT_ROOT / "warehouse" / "voc.duckdb"
    lock_timeout: float = 30.0  # seconds to wait for another process's DuckDB lock
    lexicon_dir: Path = LEXICON_DIR
    digest_dir: Path = PROJECT_ROOT / "digests"
    models_dir: Path = PROJECT_ROOT / "warehouse" / "models"  # from `voc train --from-warehouse`
    workers: int = 1  # processes for enrichment (one jieba segmenter each)
    max_text_chars: int = 5000  # longer texts are rejected with a reason, not truncated silently
    timezone: str = "Asia/Shanghai"
    sources: tuple[SourceConfig, ...] = field(default=())

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)


_TOP_KEYS = {"warehouse", "lexicons", "digest", "enrich", "models", "sources"}
_SECTION_KEYS = {
    "warehouse": {"path", "lock_timeout_seconds"},
    "lexicons": {"dir"},
    "digest": {"dir"},
    "models": {"dir"},
    "enrich": {"workers", "max_text_chars", "timezone"},
}
_SOURCE_KEYS = {"kind", "path", "columns", "format", "encoding", "score_type", "timezone", "pattern"}


def load_settings(path: str | os.PathLike | None = None, *, env: dict[str, str] | None = None) -> Settings:
    """Read settings from ``path`` (or ``$VOC_CONFIG``, ``./voc.toml``, the project's demo config)."""
    env = dict(os.environ) if env is None else env
    cfg_path = _pick_config(path, env)
    data = _read_toml(cfg_path)
    settings = _from_dict(data, cfg_path)
    return _apply_env(settings, env)


def _pick_config(path, env) -> Path:
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"{p}: config file not found")
        return p.resolve()
    if env.get("VOC_CONFIG"):
        p = Path(env["VOC_CONFIG"])
        if not p.is_file():
            raise ConfigError(f"{p}: config file not found (from VOC_CONFIG)")
        return p.resolve()
    local = Path("voc.toml")
    return local.resolve() if local.is_file() else DEFAULT_CONFIG


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror}") from None


def _from_dict(data: dict, cfg: Path) -> Settings:
    base = cfg.parent
    _check_keys(data, _TOP_KEYS, cfg, "")
    for section, keys in _SECTION_KEYS.items():
        if section in data:
            _expect(isinstance(data[section], dict), cfg, section, "must be a table")
            _check_keys(data[section], keys, cfg, section + ".")
    wh = data.get("warehouse", {})
    enrich = data.get("enrich", {})
    s = Settings(
        config_path=cfg,
        warehouse_path=_path(wh.get("path", "warehouse/voc.duckdb"), base, cfg, "warehouse.path"),
        lock_timeout=_number(wh.get("lock_timeout_seconds", 30), cfg, "warehouse.lock_timeout_seconds"),
        lexicon_dir=_path(data.get("lexicons", {}).get("dir", str(LEXICON_DIR)), base, cfg, "lexicons.dir"),
        digest_dir=_path(data.get("digest", {}).get("dir", "digests"), base, cfg, "digest.dir"),
        models_dir=_path(data.get("models", {}).get("dir", "warehouse/models"), base, cfg, "models.dir"),
        workers=int(_number(enrich.get("workers", 1), cfg, "enrich.workers", minimum=1)),
        max_text_chars=int(
            _number(enrich.get("max_text_chars", 5000), cfg, "enrich.max_text_chars", minimum=1)
        ),
        timezone=_zone(enrich.get("timezone", "Asia/Shanghai"), cfg, "enrich.timezone"),
    )
    sources = data.get("sources", {})
    _expect(isinstance(sources, dict), cfg, "sources", "must be a table of [sources.NAME] tables")
    return replace(s, sources=tuple(_source(name, spec, cfg, s.timezone) for name, spec in sources.items()))


def _source(name: str, spec: Any, cfg: Path, default_tz: str) -> SourceConfig:
    key = f"sources.{name}"
    _expect(isinstance(spec, dict), cfg, key, "must be a table")
    _check_keys(spec, _SOURCE_KEYS, cfg, key + ".")
    kind = spec.get("kind")
    _expect(kind in KINDS, cfg, key + ".kind", f"must be one of {', '.join(KINDS)} (got {kind!r})")
    _expect("path" in spec, cfg, key + ".path", "is required")
    columns = spec.get("columns", {})
    _expect(isinstance(columns, dict), cfg, key + ".columns", 'must be a table of field = "column"')
    allowed = SOURCE_FIELDS[kind]
    for fld, col in columns.items():
        _expect(
            fld in allowed,
            cfg,
            f"{key}.columns.{fld}",
            f"is not a field of a {kind} source (expected one of: {', '.join(allowed)})",
        )
        _expect(isinstance(col, str) and col != "", cfg, f"{key}.columns.{fld}", "must be a column name")
    cols = {f: f for f in REQUIRED_FIELDS} | dict(columns)  # default: the column is named like the field
    fmt = spec.get("format", "auto")
    _expect(fmt in FORMATS, cfg, key + ".format", f"must be one of {', '.join(FORMATS)} (got {fmt!r})")
    enc = str(spec.get("encoding", "auto")).lower()
    _expect(enc in ENCODINGS, cfg, key + ".encoding", f"must be one of {', '.join(ENCODINGS)} (got {enc!r})")
    score_type = spec.get("score_type")
    if kind == "survey":
        _expect(
            score_type in ("nps", "csat"),
            cfg,
            key + ".score_type",
            f'is required for a survey source: "nps" (0-10) or "csat" (1-5) (got {score_type!r})',
        )
    else:
        _expect(score_type is None, cfg, key + ".score_type", "applies only to survey sources")
    return SourceConfig(
        name=name,
        kind=kind,
        path=_path(spec["path"], cfg.parent, cfg, key + ".path"),
        columns=cols,
        format=fmt,
        encoding=enc,
        score_type=score_type,
        timezone=_zone(spec.get("timezone", default_tz), cfg, key + ".timezone"),
        pattern=_string(spec.get("pattern", "*"), cfg, key + ".pattern"),
    )


def _apply_env(s: Settings, env: dict[str, str]) -> Settings:
    where = "environment"
    changes: dict[str, Any] = {}
    if env.get("VOC_WAREHOUSE_PATH"):
        changes["warehouse_path"] = Path(env["VOC_WAREHOUSE_PATH"]).resolve()
    if env.get("VOC_LEXICON_DIR"):
        changes["lexicon_dir"] = Path(env["VOC_LEXICON_DIR"]).resolve()
    if env.get("VOC_DIGEST_DIR"):
        changes["digest_dir"] = Path(env["VOC_DIGEST_DIR"]).resolve()
    if env.get("VOC_MODELS_DIR"):
        changes["models_dir"] = Path(env["VOC_MODELS_DIR"]).resolve()
    if env.get("VOC_WORKERS"):
        changes["workers"] = int(_number(env["VOC_WORKERS"], Path(where), "VOC_WORKERS", minimum=1))
    if env.get("VOC_LOCK_TIMEOUT"):
        changes["lock_timeout"] = _number(env["VOC_LOCK_TIMEOUT"], Path(where), "VOC_LOCK_TIMEOUT")
    return replace(s, **changes) if changes else s


def _check_keys(table: dict, allowed: set[str], cfg: Path, prefix: str) -> None:
    for k in table:
        if k not in allowed:
            raise ConfigError(
                f"{cfg}: unknown key '{prefix}{k}' (expected one of: {', '.join(sorted(allowed))})"
            )


def _expect(ok: bool, cfg: Path, key: str, msg: str) -> None:
    if not ok:
        raise ConfigError(f"{cfg}: '{key}' {msg}")


def _path(value: Any, base: Path, cfg: Path, key: str) -> Path:
    _expect(isinstance(value, str) and value != "", cfg, key, "must be a path string")
    p = Path(value).expanduser()
    return p if p.is_absolute() else (base / p).resolve()


def _number(value: Any, cfg: Path, key: str, minimum: float = 0) -> float:
    try:
        n = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{cfg}: '{key}' must be a number (got {value!r})") from None
    _expect(n >= minimum, cfg, key, f"must be >= {minimum:g} (got {value!r})")
    return n


def _string(value: Any, cfg: Path, key: str) -> str:
    _expect(isinstance(value, str) and value != "", cfg, key, "must be a non-empty string")
    return value


def _zone(value: Any, cfg: Path, key: str) -> str:
    name = _string(value, cfg, key)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{cfg}: '{key}' is not a known time zone (got {name!r}, e.g. \"Asia/Shanghai\")"
        ) from None
    return name
