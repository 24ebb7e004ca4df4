"""Settings files: a wrong key or value is one readable line naming the file and the key."""

from pathlib import Path

import pytest

from voc.config import DEFAULT_CONFIG, load_settings
from voc.errors import ConfigError

GOOD_SOURCE = """
[sources.shop]
kind = "review"
path = "drops/reviews"
columns = { text = "content", created_at = "time", rating = "stars" }
"""


def write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "voc.toml"
    p.write_text(body, encoding="utf-8")
    return p


def test_project_default_config_loads_with_three_kinds_of_source():
    s = load_settings(DEFAULT_CONFIG, env={})
    assert {src.kind for src in s.sources} == {"review", "survey", "social"}
    assert s.warehouse_path.name == "voc.duckdb"


def test_relative_paths_resolve_against_the_config_file(tmp_path):
    s = load_settings(write(tmp_path, '[warehouse]\npath = "wh/x.duckdb"\n' + GOOD_SOURCE), env={})
    assert s.warehouse_path == tmp_path / "wh" / "x.duckdb"
    assert s.sources[0].path == tmp_path / "drops" / "reviews"
    assert s.sources[0].columns["rating"] == "stars"


def test_environment_overrides_the_file(tmp_path):
    cfg = write(tmp_path, GOOD_SOURCE)
    s = load_settings(cfg, env={"VOC_WAREHOUSE_PATH": str(tmp_path / "other.duckdb"), "VOC_WORKERS": "2"})
    assert s.warehouse_path == tmp_path / "other.duckdb"
    assert s.workers == 2


def test_voc_config_variable_picks_the_file(tmp_path):
    cfg = write(tmp_path, GOOD_SOURCE)
    assert load_settings(env={"VOC_CONFIG": str(cfg)}).config_path == cfg


@pytest.mark.parametrize(
    ("body", "key"),
    [
        pytest.param('[warehouse]\npaht = "x"\n', "warehouse.paht", id="typo-in-section-key"),
        pytest.param("[warehous]\n", "warehous", id="unknown-section"),
        pytest.param(
            GOOD_SOURCE.replace('kind = "review"', 'kind = "tweet"'), "sources.shop.kind", id="unknown-kind"
        ),
        pytest.param(
            GOOD_SOURCE.replace('rating = "stars"', 'score = "stars"'),
            "sources.shop.columns.score",
            id="field-not-of-this-kind",
        ),
        pytest.param(
            GOOD_SOURCE.replace('path = "drops/reviews"\n', ""), "sources.shop.path", id="missing-path"
        ),
        pytest.param(
            GOOD_SOURCE.replace("columns", "colums"), "sources.shop.colums", id="typo-in-source-key"
        ),
        pytest.param(
            GOOD_SOURCE.replace('kind = "review"', 'kind = "survey"').replace("rating", "score"),
            "sources.shop.score_type",
            id="survey-without-score-type",
        ),
        pytest.param('[enrich]\nworkers = "many"\n', "enrich.workers", id="not-a-number"),
        pytest.param(
            GOOD_SOURCE + 'timezone = "Asia/Beijing"\n', "sources.shop.timezone", id="unknown-timezone"
        ),
        pytest.param(GOOD_SOURCE + 'encoding = "latin-1"\n', "sources.shop.encoding", id="bad-encoding"),
    ],
)
def test_wrong_config_is_one_line_naming_file_and_key(tmp_path, body, key):
    cfg = write(tmp_path, body)
    with pytest.raises(ConfigError) as exc:
        load_settings(cfg, env={})
    message = str(exc.value)
    assert "\n" not in message
    assert str(cfg) in message
    assert key in message


def test_invalid_toml_names_the_file(tmp_path):
    cfg = write(tmp_path, "[warehouse\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(cfg, env={})


def test_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml", env={})
