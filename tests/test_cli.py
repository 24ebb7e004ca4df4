"""The `voc` command: documented, fast to answer --help, one-line errors."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from voc.cli import _week, build_parser, main
from voc.paths import PROJECT_ROOT


def subcommands() -> list[str]:
    action = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(action.choices)


@pytest.mark.parametrize("command", subcommands())
def test_every_command_is_documented_in_the_readme(command):
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The `voc` command")[1].split("\n## ")[0]
    assert re.search(rf"(^|[\s|])({re.escape(command)})([\s|]|$)", section, re.M)


def test_help_does_not_import_the_heavy_libraries():
    code = (
        "import sys; from voc.cli import build_parser; build_parser().format_help(); "
        "print(sorted(m for m in ('jieba', 'sklearn', 'snownlp', 'prefect', 'duckdb') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_config_error_is_one_line_with_exit_2(tmp_path, capsys):
    bad = tmp_path / "voc.toml"
    bad.write_text("[warehouse]\nlocation = 'x'\n", encoding="utf-8")
    assert main(["--config", str(bad), "migrate"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("voc: error:") and "warehouse.location" in err and "\n" not in err


@pytest.mark.parametrize(
    ("value", "monday"),
    [("2026-W41", "2026-10-05"), ("2026-10-08", "2026-10-05"), ("2026-w01", "2025-12-29")],
)
def test_week_argument_accepts_iso_weeks_and_dates(value, monday):
    assert _week(value).isoformat() == monday
