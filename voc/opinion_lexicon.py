"""The opinion lexicons of :mod:`voc.opinions`, loaded and validated in one place.

``lexicons/aspects.yaml`` (groups → canonical aspect → synonyms, ``attributes``, ``not_aspects``),
``lexicons/opinions.yaml`` (families → canonical opinion → words, ``not_opinions``) and
``lexicons/implicit_aspects.tsv`` (canonical opinion → aspect). Every stage keyword of
``stages.yaml`` that carries no sentiment and is no opinion word is an aspect of its own too.
Errors name the file and the entry (a word listed twice, a group that is not a table).
"""

from __future__ import annotations

from dataclasses import dataclass
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


def load_opinion_lexicon(
    lexicon_dir: Path = LEXICON_DIR, polar: frozenset[str] = frozenset()
) -> OpinionLexicon:
    """Read and validate ``aspects.yaml``, ``opinions.yaml`` and ``implicit_aspects.tsv``.

    Stage keywords not in ``polar`` (words with sentiment) seed aspects of their own. Errors name
    the file and the entry: a word listed twice, a group that is not a table, a bad list.
    """
    d = Path(lexicon_dir)
    aspect_of, group_of, attributes, never = _aspects(d / ASPECTS_FILE)
    canonical_of, family_of, not_opinions = _opinions(d / OPINIONS_FILE)
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
    return OpinionLexicon(
        aspect_of, group_of, frozenset(attributes), canonical_of, family_of, implicit, not_opinions
    )


def _words(path: Path, where: str, value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise fail(path, None, f"{where}: expected a list of words")
    return [w.strip() for w in value]


def _aspects(path: Path) -> tuple[dict[str, str], dict[str, str], list[str], list[str]]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("groups"), dict):
        raise fail(path, None, "expected 'attributes:' (a list) and 'groups:' (group -> aspect -> synonyms)")
    attributes = _words(path, "attributes", data.get("attributes"))
    never = _words(path, "not_aspects", data.get("not_aspects"))
    aspect_of: dict[str, str] = {}
    group_of: dict[str, str] = {}
    seen = {a: "attributes" for a in attributes} | {w: "not_aspects" for w in never}
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
    return aspect_of, group_of, attributes, never


def _opinions(path: Path) -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
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
    return canonical_of, family_of, frozenset(never)
