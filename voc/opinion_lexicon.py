"""The opinion lexicons of :mod:`voc.opinions`, loaded and validated in one place.

``lexicons/aspects.yaml`` (groups → canonical aspect → synonyms, ``attributes``, ``not_aspects``),
``lexicons/opinions.yaml`` (families → canonical opinion → words, ``not_opinions``, ``pending``,
``by_aspect``: per aspect group, canonical opinions folded into one: 停车 小/满/堵 → 停车难) and
``lexicons/implicit_aspects.tsv`` (canonical opinion → aspect). Every stage keyword of
``stages.yaml`` that carries no sentiment and is no opinion word is an aspect of its own too.
Errors name the file and the entry (a word listed twice, a group that is not a table).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from voc.lexicons import fail, read_table, read_yaml
from voc.paths import LEXICON_DIR
from voc.stages import load_stages

ASPECTS_FILE = "aspects.yaml"
OPINIONS_FILE = "opinions.yaml"
IMPLICIT_FILE = "implicit_aspects.tsv"


@dataclass(frozen=True)
class OpinionLexicon:
    """The three opinion lexicons as lookup tables (built by :func:`load_opinion_lexicon`)."""

    aspect_of: dict[str, str]  # word -> canonical aspect
    group_of: dict[str, str]  # canonical aspect -> group name
    attributes: frozenset[str]
    canonical_of: dict[str, str]  # opinion entry -> canonical opinion
    family_of: dict[str, str]  # canonical opinion -> family
    implicit: dict[str, str]  # canonical opinion -> aspect
    not_opinions: frozenset[str] = frozenset()  # framing words: 唯一不足的是, 缺点
    pending: frozenset[str] = frozenset()  # states a complaint is stuck in: 一直 显示 处理 中
    folded: dict[tuple[str, str], str] = field(default_factory=dict)  # (aspect group, canonical) -> canonical
    agents: frozenset[str] = frozenset()  # aspect groups of people: 商家 拒绝 退款 is about 退款


def load_opinion_lexicon(
    lexicon_dir: Path = LEXICON_DIR, polar: frozenset[str] = frozenset()
) -> OpinionLexicon:
    """Read and validate ``aspects.yaml``, ``opinions.yaml`` and ``implicit_aspects.tsv``.

    Stage keywords not in ``polar`` (words with sentiment) seed aspects of their own. Errors name
    the file and the entry: a word listed twice, a group that is not a table, a bad list.
    """
    d = Path(lexicon_dir)
    aspect_of, group_of, attributes, never, agents = _aspects(d / ASPECTS_FILE)
    canonical_of, family_of, not_opinions, pending, folded = _opinions(d / OPINIONS_FILE)
    for stage in load_stages(d):
        for w in stage.keywords:
            skip = w in polar or w in attributes or w in canonical_of or w in never
            if w not in aspect_of and not skip:
                aspect_of[w] = w
                group_of.setdefault(w, w)
    implicit = {}
    for row in read_table(d / IMPLICIT_FILE, ("opinion", "aspect")):
        if row["opinion"] in implicit:
            raise fail(d / IMPLICIT_FILE, int(row["_line"]), f"opinion {row['opinion']!r} listed twice")
        if not row["aspect"]:
            raise fail(d / IMPLICIT_FILE, int(row["_line"]), "empty aspect")
        implicit[row["opinion"]] = row["aspect"]
        group_of.setdefault(row["aspect"], group_of.get(aspect_of.get(row["aspect"], ""), row["aspect"]))
    groups = set(group_of.values())
    for group in agents:
        if group not in groups:
            raise fail(d / ASPECTS_FILE, None, f"agents: {group!r} is no group")
    for group, _ in folded:
        if group not in groups:
            raise fail(d / OPINIONS_FILE, None, f"by_aspect: {group!r} is no aspect group of {ASPECTS_FILE}")
    return OpinionLexicon(
        aspect_of,
        group_of,
        frozenset(attributes),
        canonical_of,
        family_of,
        implicit,
        not_opinions,
        pending,
        folded,
        frozenset(agents),
    )


def _words(path: Path, where: str, value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise fail(path, None, f"{where}: expected a list of words")
    return [w.strip() for w in value]


def _aspects(path: Path) -> tuple[dict[str, str], dict[str, str], list[str], list[str], list[str]]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("groups"), dict):
        raise fail(path, None, "expected 'attributes:' (a list) and 'groups:' (group -> aspect -> synonyms)")
    attributes = _words(path, "attributes", data.get("attributes"))
    never = _words(path, "not_aspects", data.get("not_aspects"))
    aspect_of: dict[str, str] = {}
    group_of: dict[str, str] = {}
    seen = {w: "not_aspects" for w in never}  # an attribute may be an aspect too (味道 → 口味)
    for group, aspects in data["groups"].items():
        if not isinstance(aspects, dict):
            raise fail(path, None, f"group {group!r}: expected canonical aspect -> list of synonyms")
        for canonical, synonyms in aspects.items():
            for w in [str(canonical), *_words(path, f"aspect {canonical!r}", synonyms)]:
                if w in seen:
                    raise fail(path, None, f"{w!r} listed twice (under {seen[w]!r} and {canonical!r})")
                seen[w] = str(canonical)
                aspect_of[w] = str(canonical)
            group_of[str(canonical)] = str(group)
    return aspect_of, group_of, attributes, never, _words(path, "agents", data.get("agents"))


def _opinions(path: Path):
    """(canonical_of, family_of, not_opinions, pending, folded) of ``opinions.yaml``."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("families"), dict):
        raise fail(path, None, "expected 'families:' (family -> canonical opinion -> words)")
    canonical_of: dict[str, str] = {}
    family_of: dict[str, str] = {}
    never = _words(path, "not_opinions", data.get("not_opinions"))
    for family, opinions in data["families"].items():
        if not isinstance(opinions, dict):
            raise fail(path, None, f"family {family!r}: expected canonical opinion -> list of words")
        for canonical, words in opinions.items():
            for w in {str(canonical), *_words(path, f"opinion {canonical!r}", words)}:
                if w in canonical_of and canonical_of[w] != canonical:
                    raise fail(
                        path, None, f"{w!r} listed twice (under {canonical_of[w]!r} and {canonical!r})"
                    )
                canonical_of[w] = str(canonical)
            family_of[str(canonical)] = str(family)
    for w in never:
        if w in canonical_of:
            raise fail(path, None, f"{w!r} is in not_opinions and under {canonical_of[w]!r}")
    pending = _words(path, "pending", data.get("pending"))
    return canonical_of, family_of, frozenset(never), frozenset(pending), _folded(path, data, family_of)


def _folded(path: Path, data: dict, family_of: dict[str, str]) -> dict[tuple[str, str], str]:
    """``by_aspect``: aspect group -> canonical opinion -> the canonical opinions it absorbs for that
    group (停车: 难: [小, 挤] names 停车场太小 and 车位永远满 停车难). Every name must be a canonical
    opinion of ``families``."""
    by = data.get("by_aspect") or {}
    if not isinstance(by, dict):
        raise fail(path, None, "by_aspect: expected aspect group -> canonical opinion -> list")
    folded: dict[tuple[str, str], str] = {}
    for group, table in by.items():
        if not isinstance(table, dict):
            raise fail(path, None, f"by_aspect {group!r}: expected canonical opinion -> list")
        for target, sources in table.items():
            for w in [str(target), *_words(path, f"by_aspect {group!r} {target!r}", sources)]:
                if w not in family_of:
                    raise fail(path, None, f"by_aspect {group!r}: {w!r} is no canonical opinion")
            for w in _words(path, f"by_aspect {group!r} {target!r}", sources):
                if (str(group), w) in folded:
                    raise fail(path, None, f"by_aspect {group!r}: {w!r} listed twice")
                folded[(str(group), w)] = str(target)
    return folded
