"""The pain-point catalogue: pain points whose ids survive weekly re-runs.

Clustering alone renumbers its groups whenever the data changes. The catalogue gives each pain point
a stable id: curated entries come from ``lexicons/pain_points.yaml`` (analysts rename, merge and pin
there), proposed ones are pain points the clustering found that no entry covers; those are
remembered in the warehouse table ``pain_point_catalogue`` so the next run matches them again.

:class:`voc.catalogue_match.CatalogueMatcher` puts every negative clause on one id, in this order:

1. **clause evidence**: a clause whose tokens (or whose extracted mention) carry one of an entry's
   aspects *and* one of its opinions (or 不/没 + a ``negated`` word), or one of its ``signals``, goes
   to that entry, when the entry is on the clause's stage (or the clause has no stage);
2. **its cluster**: otherwise the clause takes the id its cluster matched: the entry holding at least
   ``cluster_share`` of the cluster's clauses by (1), else the entry its label, aspect, opinion and
   terms point to, else a proposed entry of the same stage sharing ``min_overlap`` of its terms, else
   a new proposal whose id is derived from what it is (``stage-aspect-opinion``), not a counter.

A merged entry's clauses go to the entry it is merged into. The same data gives the same ids; a new
week keeps the ids of the pain points that still exist, because they are matched, not renumbered.

>>> from voc.catalogue_match import CatalogueMatcher
>>> entries = load_catalogue()                                   # doctest: +SKIP
>>> m = CatalogueMatcher(entries).fit(points, labels, texts, tokens, stages)  # doctest: +SKIP
>>> m.ids_[:3], list(m.proposals_)[:1]                           # doctest: +SKIP
(['late_delivery', None, 'refund_hard'], ['delivery-外卖-凉'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from voc.lexicons import fail, read_words, read_yaml
from voc.paths import LEXICON_DIR
from voc.records import LAYERS
from voc.stages import load_stages

CATALOGUE_FILE = "pain_points.yaml"
REQUIRED = ("id", "name", "stage", "layer")
WORD_LISTS = ("aspects", "opinions", "negated", "signals")
OPTIONAL = (*WORD_LISTS, "pinned", "merged_into")
_ID = re.compile(r"^[A-Za-z0-9_\-\u4e00-\u9fff]{1,64}$")


@dataclass(frozen=True)
class CatalogueEntry:
    """One pain point of the catalogue (curated from the YAML file, or proposed by a run)."""

    id: str
    name: str
    stage: str | None
    layer: str | None = None
    aspects: tuple[str, ...] = ()
    opinions: tuple[str, ...] = ()
    negated: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()
    pinned: bool = False
    merged_into: str | None = None
    status: str = "curated"  # curated (lexicons/pain_points.yaml) / proposed (found by a run)
    terms: tuple[str, ...] = ()  # proposed: the cluster terms it was found with

    def to_yaml(self) -> str:
        """The entry as it would be written in ``lexicons/pain_points.yaml`` (for curating proposals):
        a negated opinion (不便宜) becomes a ``negated`` word (便宜), as the file wants single tokens."""
        negated = [*self.negated, *(o[1:] for o in self.opinions if o[:1] in ("不", "没") and len(o) > 1)]
        words = {
            "aspects": self.aspects,
            "opinions": [o for o in self.opinions if not (o[:1] in ("不", "没") and len(o) > 1)],
            "negated": negated,
            "signals": self.signals,
        }
        if not words["signals"] and not (words["aspects"] and (words["opinions"] or words["negated"])):
            words["signals"] = self.terms[:1]  # the file needs some evidence: start from the top term
        lines = [f"  - id: {self.id}", f"    name: {self.name}", f"    stage: {self.stage}"]
        lines.append(f"    layer: {self.layer or 'functional'}" + ("" if self.layer else "  # check"))
        for key in WORD_LISTS:
            listed = sorted(set(words[key]))
            if listed:
                lines.append(f"    {key}: [{', '.join(listed)}]")
        if self.terms:
            lines.append(f"    # terms seen: {' '.join(self.terms)}")
        return "\n".join(lines)


def load_catalogue(lexicon_dir: Path = LEXICON_DIR) -> tuple[CatalogueEntry, ...]:
    """The entries of ``lexicon_dir/pain_points.yaml``, validated, in file order.

    Errors are one line naming the file and the entry: an unknown or missing key, an unknown stage
    or layer, an id used twice, a ``merged_into`` that names no entry, itself or a merged entry.
    """
    path = Path(lexicon_dir) / CATALOGUE_FILE
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("pain_points"), list):
        raise fail(path, None, "expected a top-level 'pain_points:' list of entries")
    if set(data) != {"pain_points"}:
        extra = ", ".join(sorted(map(str, set(data) - {"pain_points"})))
        raise fail(path, None, f"unknown top-level key(s): {extra}")
    stages = {s.key for s in load_stages(lexicon_dir)}
    entries = tuple(_entry(path, i, spec, stages) for i, spec in enumerate(data["pain_points"]))
    _check_ids(path, entries)
    return entries


def _entry(path: Path, index: int, spec: Any, stages: set[str]) -> CatalogueEntry:
    where = f"entry #{index + 1}"
    if not isinstance(spec, dict):
        raise fail(path, None, f"{where}: expected a table with {', '.join(REQUIRED)}")
    if isinstance(spec.get("id"), str) and spec["id"]:
        where = f"entry '{spec['id']}'"
    unknown = set(spec) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        allowed = ", ".join((*REQUIRED, *OPTIONAL))
        raise fail(path, None, f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))} ({allowed})")
    for key in REQUIRED:
        if not isinstance(spec.get(key), str) or not spec[key].strip():
            raise fail(path, None, f"{where}: '{key}' is required and must be a non-empty string")
    if not _ID.match(spec["id"]):
        raise fail(path, None, f"{where}: id must be a slug of letters, digits, _ or - (at most 64)")
    if spec["stage"] not in stages:
        raise fail(path, None, f"{where}: stage {spec['stage']!r} is not a key of stages.yaml")
    if spec["layer"] not in LAYERS:
        raise fail(path, None, f"{where}: layer must be one of {', '.join(LAYERS)}, got {spec['layer']!r}")
    if not isinstance(spec.get("pinned", False), bool):
        raise fail(path, None, f"{where}: pinned must be true or false")
    merged = spec.get("merged_into")
    if merged is not None and (not isinstance(merged, str) or not merged.strip()):
        raise fail(path, None, f"{where}: merged_into must be the id of another entry")
    words = {key: _words(path, where, key, spec.get(key, [])) for key in WORD_LISTS}
    if not merged and not (
        words["signals"] or (words["aspects"] and (words["opinions"] or words["negated"]))
    ):
        raise fail(path, None, f"{where}: needs signals, or aspects with opinions or negated words")
    return CatalogueEntry(
        id=spec["id"],
        name=spec["name"].strip(),
        stage=spec["stage"],
        layer=spec["layer"],
        pinned=spec.get("pinned", False),
        merged_into=merged,
        **words,
    )


def _words(path: Path, where: str, key: str, items: Any) -> tuple[str, ...]:
    if not isinstance(items, list):
        raise fail(path, None, f"{where}: '{key}' must be a list of words")
    out: list[str] = []
    for item in items:
        word = str(item) if isinstance(item, int) and not isinstance(item, bool) else item
        if not isinstance(word, str) or not word.strip() or any(ch.isspace() for ch in word.strip()):
            raise fail(path, None, f"{where}: {key} entry {item!r} must be one word")
        if word.strip() in out:
            raise fail(path, None, f"{where}: {key} lists {word.strip()!r} twice")
        out.append(word.strip())
    return tuple(out)


def _check_ids(path: Path, entries: tuple[CatalogueEntry, ...]) -> None:
    by_id: dict[str, CatalogueEntry] = {}
    for e in entries:
        if e.id in by_id:
            raise fail(path, None, f"entry '{e.id}': id is used twice")
        by_id[e.id] = e
    for e in entries:
        if e.merged_into is None:
            continue
        target = by_id.get(e.merged_into)
        if target is None or target.id == e.id:
            raise fail(path, None, f"entry '{e.id}': merged_into {e.merged_into!r} is not another entry's id")
        if target.merged_into is not None:
            raise fail(
                path,
                None,
                f"entry '{e.id}': merged_into '{target.id}', which is merged into "
                f"'{target.merged_into}' itself; merge into '{target.merged_into}' directly",
            )


def combine(curated: tuple[CatalogueEntry, ...], proposed: list[CatalogueEntry]) -> list[CatalogueEntry]:
    """Curated entries, then the proposals that no curated entry replaced (an analyst who pastes a
    proposal into the YAML file keeps its id and makes it curated)."""
    ids = {e.id for e in curated}
    return [*curated, *(replace(p, status="proposed") for p in proposed if p.id not in ids)]


def proposal_id(stage: str | None, aspect: str, opinion: str, label: str) -> str:
    """An id from what a proposal is: ``delivery-外卖-凉``; the label when aspect/opinion are unknown."""
    parts = [p for p in (aspect, opinion) if p] or ["".join(label.split())[:24] or "unnamed"]
    slug = "-".join([stage or "unstaged", *parts])
    return "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in slug)[:64]


def negation_words(lexicon_dir: Path = LEXICON_DIR) -> frozenset[str]:
    """The negation words of the sentiment lexicon (不, 没, 没有, ...)."""
    return frozenset(read_words(Path(lexicon_dir) / "sentiment" / "negation.txt"))


def proposals_from_rows(rows: Iterable[dict[str, Any]]) -> list[CatalogueEntry]:
    """Proposed entries from rows of the ``pain_point_catalogue`` table (``voc.warehouse.read_proposals``)."""
    return [
        CatalogueEntry(
            id=r["id"],
            name=r["name"],
            stage=r["stage"],
            layer=r["layer"],
            aspects=tuple(r["aspects"] or ()),
            opinions=tuple(r["opinions"] or ()),
            status="proposed",
            terms=tuple(r["terms"] or ()),
        )
        for r in rows
    ]


def proposals_yaml(rows: Iterable[dict[str, Any]], min_clauses: int = 1) -> str:
    """Proposed entries (``voc.warehouse.read_proposals`` rows) as YAML ready to paste under
    ``pain_points:`` in ``lexicons/pain_points.yaml``, the biggest first; check each name and layer."""
    rows = sorted(
        (r for r in rows if (r.get("clauses") or 0) >= min_clauses), key=lambda r: (-r["clauses"], r["id"])
    )
    if not rows:
        return "# no proposed pain points: every cluster matched lexicons/pain_points.yaml\n"
    out = [
        "# Proposed pain points (voc painpoints --proposals). Paste the ones worth keeping under",
        "# 'pain_points:' in lexicons/pain_points.yaml (keep the id: its history stays), then edit name,",
        "# layer and words; point duplicates of an entry at it with merged_into.",
    ]
    for r, e in zip(rows, proposals_from_rows(rows), strict=True):
        seen = f"{r['first_seen']} .. {r['last_seen']}" if r.get("first_seen") else "not seen"
        out += [f"  # {r['clauses']} clause(s) now, seen {seen}", e.to_yaml()]
    return "\n".join(out) + "\n"
