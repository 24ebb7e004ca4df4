"""The demo's phrase pools: YAML files under ``voc/demo/phrases/``, loaded once and validated.

``common.yaml`` holds what every industry shares (openers, closers, particles, emoji, slots),
one file per industry holds clauses per journey stage x polarity, ``painpoints.yaml`` the planted
pain points and ``plan.yaml`` the mix. Slots such as ``{product}`` are filled by :class:`Slots`.
"""

from __future__ import annotations

import random
import re
from bisect import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PHRASE_DIR = Path(__file__).resolve().parent / "phrases"
INDUSTRIES = ("ecommerce", "dining", "retail", "telecom")
STAGES = ("awareness", "consideration", "purchase", "delivery", "usage", "service", "aftersales", "loyalty")
STAGE_LABELS = {
    "awareness": "认知触达",
    "consideration": "选购决策",
    "purchase": "下单支付",
    "delivery": "交付履约",
    "usage": "使用体验",
    "service": "服务沟通",
    "aftersales": "售后保障",
    "loyalty": "忠诚复购",
}
POLARITIES = ("positive", "negative", "neutral")
SLOT = re.compile(r"\{(\w+)\}")
_CN_DIGITS = "零一二三四五六七八九十"


class PhraseError(ValueError):
    """A phrase file that does not have the expected shape."""


@dataclass(frozen=True)
class Industry:
    """One industry's vocabulary: brands with their products, staff, stage clauses."""

    key: str
    label: str
    store_format: str
    brands: dict[str, list[str]]
    districts: list[str]
    staff: list[str]
    touchpoints: dict[str, list[str]]
    context: list[str]
    questions: list[str]
    clauses: dict[str, dict[str, list[str]]]  # stage -> polarity -> clauses


@dataclass(frozen=True)
class PainSpec:
    """A planted pain point as written in ``painpoints.yaml``."""

    key: str
    label: str
    stage: str
    trend: str
    industries: tuple[str, ...]
    markers: tuple[str, ...]
    clauses: dict[str, list[str]]  # industry or "any" -> clauses
    details: list[str]
    suggestions: list[str]

    def clauses_for(self, industry: str) -> list[str]:
        return self.clauses.get(industry, []) + self.clauses.get("any", [])


@dataclass(frozen=True)
class Phrases:
    """Everything the composer needs, read from the YAML files."""

    common: dict[str, Any]
    industries: dict[str, Industry]
    pains: dict[str, PainSpec]
    plan: dict[str, Any]


@lru_cache(maxsize=4)
def load_phrases(directory: Path = PHRASE_DIR) -> Phrases:
    """Read and validate the phrase files (cached per directory)."""
    common = _read(directory / "common.yaml")
    industries = {key: _industry(key, _read(directory / f"{key}.yaml"), directory) for key in INDUSTRIES}
    pains_raw = _read(directory / "painpoints.yaml")
    pains = {key: _pain(key, spec, directory / "painpoints.yaml") for key, spec in pains_raw.items()}
    return Phrases(common, industries, pains, _read(directory / "plan.yaml"))


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise PhraseError(f"{path}: expected a mapping at the top")
    _check_strings(data, path, "")
    return data


def _check_strings(node: Any, path: Path, where: str) -> None:
    """Every list item must be a string: an unquoted ``{slot}`` or ``~`` in YAML is not."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "range":  # slot ranges: [low, high] numbers
                continue
            _check_strings(value, path, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            if not isinstance(item, str):
                raise PhraseError(f"{path}: {where}[{i}] is {item!r}, not a string (quote it)")


def _industry(key: str, data: dict[str, Any], directory: Path) -> Industry:
    clauses = data.get("clauses", {})
    for stage in STAGES:
        for polarity in POLARITIES:
            if not clauses.get(stage, {}).get(polarity):
                raise PhraseError(f"{directory / (key + '.yaml')}: clauses.{stage}.{polarity} is missing")
    return Industry(
        key,
        data["label"],
        data["store_format"],
        data["brands"],
        data.get("districts", [""]),
        data["staff"],
        data["touchpoints"],
        data["context"],
        data["questions"],
        clauses,
    )


def _pain(key: str, spec: dict[str, Any], path: Path) -> PainSpec:
    if spec.get("stage") not in STAGES:
        raise PhraseError(f"{path}: {key}.stage must be one of {', '.join(STAGES)}")
    pain = PainSpec(
        key,
        spec["label"],
        spec["stage"],
        spec["trend"],
        tuple(spec["industries"]),
        tuple(spec["markers"]),
        spec["clauses"],
        spec["details"],
        spec.get("suggestions", []),
    )
    for industry in pain.industries:
        for clause in pain.clauses_for(industry):
            if not any(m in clause for m in pain.markers):
                raise PhraseError(f"{path}: {key}: clause {clause!r} has none of the markers")
    return pain


class Weighted:
    """A weighted draw with the cumulative weights computed once (``random.choices`` redoes them)."""

    def __init__(self, weights: Mapping[Any, float] | Sequence[tuple[Any, float]]) -> None:
        pairs = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
        self.values = [v for v, _ in pairs]
        self.cum: list[float] = []
        total = 0.0
        for _, w in pairs:
            total += w
            self.cum.append(total)
        self.total = total

    def draw(self, rng: random.Random) -> Any:
        return self.values[bisect(self.cum, rng.random() * self.total)]


class Slots:
    """Fills ``{slot}`` placeholders: fixed values for one item (brand, product...), else random."""

    def __init__(self, common: dict[str, Any], rng: random.Random) -> None:
        self._pools = common["slots"]
        self._rng = rng
        self.fixed: dict[str, str] = {}

    def fill(self, template: str) -> str:
        """``template`` with every slot replaced (slots inside slot values are filled too)."""
        for _ in range(3):
            if "{" not in template:
                break
            template = SLOT.sub(self._value, template)
        return template

    def _value(self, match: re.Match[str]) -> str:
        name = match.group(1)
        if name in self.fixed:
            return self.fixed[name]
        pool = self._pools.get(name)
        if pool is None:
            raise PhraseError(f"unknown slot {{{name}}}")
        if isinstance(pool, dict):  # {range: [low, high]}
            return self._number(*pool["range"])
        return self._rng.choice(pool)

    def _number(self, low: int, high: int) -> str:
        n = self._rng.randint(low, high)
        if n <= 10 and self._rng.random() < 0.4:  # 三天, 两个 — how people write small numbers
            return "两" if n == 2 else _CN_DIGITS[n]
        return str(n)
