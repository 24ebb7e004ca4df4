"""The pain-point catalogue: pain points whose ids survive weekly re-runs.

Clustering alone renumbers its groups whenever the data changes. The catalogue gives each pain point
a stable id: curated entries come from ``lexicons/pain_points.yaml`` (analysts rename, merge and pin
there), proposed ones are pain points the clustering found that no entry covers; those are
remembered in the warehouse table ``pain_point_catalogue`` so the next run matches them again.

:class:`CatalogueMatcher` puts every negative clause on one id, in this order:

1. **clause evidence**: a clause whose tokens (or whose extracted mention) carry one of an entry's
   aspects *and* one of its opinions (or 不/没 + a ``negated`` word), or one of its ``signals``, goes
   to that entry, when the entry is on the clause's stage (or the clause has no stage);
2. **its cluster**: otherwise the clause takes the id its cluster matched: the entry holding at least
   ``cluster_share`` of the cluster's clauses by (1), else the entry its label, aspect, opinion and
   terms point to, else a proposed entry of the same stage sharing ``min_overlap`` of its terms, else
   a new proposal whose id is derived from what it is (``stage-aspect-opinion``), not a counter.

A merged entry's clauses go to the entry it is merged into. The same data gives the same ids; a new
week keeps the ids of the pain points that still exist, because they are matched, not renumbered.

>>> entries = load_catalogue()                                   # doctest: +SKIP
>>> m = CatalogueMatcher(entries).fit(points, labels, tokens, stages)  # doctest: +SKIP
>>> m.ids_[:3], [e.id for e in m.proposals_][:1]                 # doctest: +SKIP
(['late_delivery', None, 'refund_hard'], ['delivery-外卖-凉'])
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from voc.lexicons import fail, read_table, read_words, read_yaml
from voc.paths import LEXICON_DIR
from voc.records import LAYERS, Mention, PainPoint
from voc.stages import load_stages

CATALOGUE_FILE = "pain_points.yaml"
REQUIRED = ("id", "name", "stage", "layer")
WORD_LISTS = ("aspects", "opinions", "negated", "signals")
OPTIONAL = (*WORD_LISTS, "pinned", "merged_into")
N_TERMS = 6  # terms kept per pain point
N_EXAMPLES = 3  # example quotes per pain point
MAX_TERMS = 12  # terms a proposal remembers (its first ones, then new ones)
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
        """The entry as it would be written in ``lexicons/pain_points.yaml`` (for curating proposals)."""
        lines = [f"  - id: {self.id}", f"    name: {self.name}", f"    stage: {self.stage}"]
        lines.append(f"    layer: {self.layer or 'functional'}" + ("" if self.layer else "  # check"))
        for key in WORD_LISTS:
            words = sorted(set(getattr(self, key)))
            if words:
                lines.append(f"    {key}: [{', '.join(words)}]")
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


def degree_words(lexicon_dir: Path = LEXICON_DIR) -> frozenset[str]:
    """The degree adverbs of the sentiment lexicon (太, 很, ...): 太慢 counts as 慢."""
    return frozenset(
        r["word"] for r in read_table(Path(lexicon_dir) / "sentiment" / "degree.tsv", ("word", "weight"))
    )


class CatalogueMatcher:
    """Puts negative clauses and their clusters on catalogue ids (scikit-learn estimator style).

    After :meth:`fit`: ``ids_`` (catalogue id per clause, merges resolved, None when unassigned),
    ``cluster_ids_`` (cluster id -> catalogue id), ``proposals_`` (proposed entries seen this run,
    new ones included, names updated to their cluster's label), ``points_`` (one
    :class:`~voc.records.PainPoint` per id with clauses, named from the catalogue), ``direct_``
    (clauses placed by their own evidence).
    """

    def __init__(
        self,
        entries: Sequence[CatalogueEntry] = (),
        *,
        cluster_share: float = 0.4,
        min_overlap: float = 0.34,
        lexicon_dir: Path = LEXICON_DIR,
    ):
        self.entries = entries
        self.cluster_share = cluster_share  # a cluster with this share of clauses on one entry is that entry
        self.min_overlap = min_overlap  # Jaccard of terms for a cluster to be a known proposal again
        self.lexicon_dir = lexicon_dir

    def fit(
        self,
        points: Sequence[PainPoint],
        labels: Sequence[str | None],
        texts: Sequence[str],
        token_lists: Sequence[Sequence[str]],
        stages: Sequence[str | None],
        mentions: Sequence[Mention | None] | None = None,
    ) -> CatalogueMatcher:
        """Match ``points`` (clusters; ``labels`` is the cluster id per clause) and their clauses."""
        self._prepare()
        mentions = mentions if mentions is not None else [None] * len(texts)
        direct = [self._clause(t, s, m) for t, s, m in zip(token_lists, stages, mentions, strict=True)]
        self.direct_ = sum(1 for d in direct if d)
        members: dict[str, list[int]] = {}
        for i, lab in enumerate(labels):
            if lab is not None:
                members.setdefault(lab, []).append(i)
        self.proposals_: dict[str, CatalogueEntry] = {}
        self.cluster_ids_ = {
            p.id: self._cluster(p, [direct[i] for i in members.get(p.id, [])]) for p in points
        }
        self.ids_ = [
            self._resolve(d or (self.cluster_ids_.get(lab) if lab is not None else None))
            for d, lab in zip(direct, labels, strict=True)
        ]
        self.points_ = self._points(points, members, texts)
        return self

    # --- steps -------------------------------------------------------------------------------------

    def _prepare(self) -> None:
        self._negation = negation_words(self.lexicon_dir)
        self._degree = degree_words(self.lexicon_dir)
        self._by_id = {e.id: e for e in self.entries}
        self._curated = [e for e in self.entries if e.status == "curated"]
        self._known = [e for e in self.entries if e.status == "proposed"]
        self._sets = {e.id: tuple(frozenset(getattr(e, k)) for k in WORD_LISTS) for e in self._curated}

    def _evidence(self, tokens: Sequence[str], mention: Mention | None) -> tuple[set[str], set[str]]:
        """(words, negated words) of a clause: tokens, their cores (太慢 → 慢), words after 不/没."""
        words, negated = set(tokens), set()
        for i, t in enumerate(tokens):
            for n in (2, 1):
                if len(t) > n and t[:n] in self._degree:
                    words.add(t[n:])
            if t in self._negation:
                negated.update(tokens[i + 1 : i + 3])
        if mention is not None:
            words.update((mention.aspect, mention.opinion))
            if mention.opinion[:1] in ("不", "没"):
                negated.add(mention.opinion[1:])
        return words, negated

    def _best(self, stage: str | None, words: set[str], negated: set[str], minimum: float) -> str | None:
        best, top = None, minimum - 1e-9
        for e in self._curated:
            if stage is not None and e.stage != stage:
                continue
            aspects, opinions, neg, signals = self._sets[e.id]
            score = 0.0
            if not words.isdisjoint(aspects) and (
                not words.isdisjoint(opinions) or not negated.isdisjoint(neg)
            ):
                score += 2.0
            if not words.isdisjoint(signals):
                score += 1.5
            if score > top:
                best, top = e.id, score
        return best

    def _clause(self, tokens: Sequence[str], stage: str | None, mention: Mention | None) -> str | None:
        words, negated = self._evidence(tokens, mention)
        # without a stage only a full aspect + opinion pair is evidence enough
        return self._best(stage, words, negated, 1.5 if stage is not None else 2.0)

    def _cluster(self, p: PainPoint, direct: list[str | None]) -> str:
        """The catalogue id of one cluster: by its clauses' votes, its own words, a known proposal, or new."""
        votes = Counter(d for d in direct if d)
        if votes:
            top, n = votes.most_common(1)[0]
            if n >= self.cluster_share * len(direct):
                return top
        found = None
        if p.aspect and p.stage is not None:  # a mention-based cluster: its own aspect and opinion
            words = {p.aspect, p.opinion, *p.label.split()} - {""}
            found = self._best(p.stage, words, {w[1:] for w in words if w[:1] in ("不", "没")}, 2.0)
        return found or self._propose(p)

    def _propose(self, p: PainPoint) -> str:
        aspect, opinion = p.aspect, p.opinion
        if not aspect and " " in p.label:  # older labels: "配送 慢" = aspect, opinion
            parts = p.label.split()
            aspect, opinion = parts[0], parts[-1]
        pid = proposal_id(p.stage, aspect, opinion, p.label)
        if pid in self._by_id and self._by_id[pid].status == "curated":
            return pid  # an analyst already curated this very proposal
        terms = set(p.terms)
        known = [e for e in (*self._known, *self.proposals_.values()) if e.stage == p.stage]
        match = next((e for e in known if e.id == pid), None) or max(
            (e for e in known if _jaccard(terms, set(e.terms)) >= self.min_overlap),
            key=lambda e: (_jaccard(terms, set(e.terms)), e.id),
            default=None,
        )
        base = self.proposals_.get(match.id, match) if match else None
        entry = CatalogueEntry(
            id=base.id if base else pid,
            name=p.label,  # proposals follow their cluster's label; curated names are the analyst's
            stage=p.stage,
            layer=p.layer or (base.layer if base else None),
            aspects=_union(base.aspects if base else (), [aspect]),
            opinions=_union(base.opinions if base else (), [opinion]),
            status="proposed",
            terms=_union(base.terms if base else (), p.terms)[:MAX_TERMS],
        )
        self.proposals_[entry.id] = entry
        return entry.id

    def _resolve(self, pid: str | None) -> str | None:
        entry = self._by_id.get(pid) if pid else None
        return entry.merged_into if entry is not None and entry.merged_into else pid

    def _points(self, points: Sequence[PainPoint], members: dict[str, list[int]], texts) -> list[PainPoint]:
        """One pain point per catalogue id with clauses: its catalogue name, size, terms, quotes."""
        sizes = Counter(i for i in self.ids_ if i)
        clusters: dict[str, list[PainPoint]] = {}
        for p in points:
            clusters.setdefault(self._resolve(self.cluster_ids_[p.id]), []).append(p)
        first_text: dict[str, list[str]] = {}
        for i, pid in enumerate(self.ids_):
            if pid and len(first_text.setdefault(pid, [])) < N_EXAMPLES and texts[i] not in first_text[pid]:
                first_text[pid].append(texts[i])
        out = []
        for pid, size in sizes.items():
            entry = self._by_id.get(pid) or self.proposals_[pid]
            found = sorted(clusters.get(pid, []), key=lambda p: -p.size)
            terms = _union(*(p.terms for p in found))[:N_TERMS] or (*entry.aspects, *entry.opinions)[:N_TERMS]
            examples = _union(*(p.examples for p in found))[:N_EXAMPLES] or tuple(first_text.get(pid, ()))
            out.append(
                PainPoint(
                    id=pid,
                    label=entry.name,
                    stage=entry.stage,
                    size=size,
                    terms=tuple(terms),
                    examples=tuple(examples),
                    aspect=entry.aspects[0] if entry.aspects else "",
                    opinion=entry.opinions[0] if entry.opinions else "",
                    layer=entry.layer,  # type: ignore[arg-type]
                    status="catalogue" if entry.status == "curated" else "proposed",
                )
            )
        return sorted(out, key=lambda p: (-p.size, p.id))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _union(*groups: Iterable[str]) -> tuple[str, ...]:
    """The words of all groups, first occurrence order, empty strings dropped."""
    return tuple(dict.fromkeys(w for g in groups for w in g if w))


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
