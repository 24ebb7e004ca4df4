"""Shared fixtures: a small demo corpus (generated once per session) and settings that point a
real DuckDB warehouse and the digest folder into a temporary directory."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from voc.config import DEFAULT_CONFIG, Settings, load_settings
from voc.paths import LEXICON_DIR

SMALL_ITEMS = 900
SMALL_WEEKS = 8


@pytest.fixture(scope="session")
def demo_corpus(tmp_path_factory):
    """(data_dir, manifest) of a small demo corpus: every kind of source, planted pain points and bad rows."""
    from voc.demo import generate_demo

    data = tmp_path_factory.mktemp("demo") / "data"
    manifest = generate_demo(data, n_items=SMALL_ITEMS, weeks=SMALL_WEEKS)
    return data, manifest


def settings_for(tmp_path: Path, data_dir: Path) -> Settings:
    """The project's demo settings with sources read from ``data_dir`` and outputs under ``tmp_path``."""
    base = load_settings(DEFAULT_CONFIG, env={})
    sources = tuple(dataclasses.replace(s, path=data_dir / s.path.name) for s in base.sources)
    return dataclasses.replace(
        base,
        sources=sources,
        warehouse_path=tmp_path / "voc.duckdb",
        digest_dir=tmp_path / "digests",
        config_path=None,
    )


def write_config(tmp_path: Path, data_dir: Path) -> Path:
    """A voc.toml like the project's, reading ``data_dir`` and writing under ``tmp_path``."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    text = text.replace('path = "demo/data/', f'path = "{data_dir.as_posix()}/')
    text = text.replace('path = "warehouse/voc.duckdb"', f'path = "{(tmp_path / "voc.duckdb").as_posix()}"')
    text = text.replace('dir = "digests"', f'dir = "{(tmp_path / "digests").as_posix()}"')
    cfg = tmp_path / "voc.toml"
    cfg.write_text(text, encoding="utf-8")
    return cfg


@pytest.fixture
def demo_settings(tmp_path, demo_corpus) -> Settings:
    return settings_for(tmp_path, demo_corpus[0])


@pytest.fixture
def lexdir(tmp_path) -> Path:
    """A writable copy of the shipped lexicons, for tests that edit one."""
    shutil.copytree(LEXICON_DIR, tmp_path / "lexicons")
    return tmp_path / "lexicons"
