"""Matching negative clauses and their clusters to catalogue ids (see :mod:`voc.catalogue`).

The order of evidence, and why: a clause's own words are the surest sign of a curated pain point
(an analyst wrote them down), a cluster's majority the next surest; only what neither covers becomes
a proposal, and a proposal seen before is recognised by its terms, so its id survives re-runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from voc.catalogue import WORD_LISTS, CatalogueEntry, negation_words, proposal_id
from voc.layers import LayerTagger
from voc.lexicons import read_table
from voc.paths import LEXICON_DIR
from voc.records import Mention, PainPoint

N_TERMS = 6  # terms kept per pain point
N_EXAMPLES = 3  # example quotes per pain point
MAX_TERMS = 12  # terms a proposal remembers (its first ones, then new ones)


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
        inherit_share: float = 0.5,
        min_overlap: float = 0.34,
        lexicon_dir: Path = LEXICON_DIR,
    ):
        self.entries = entries
        self.cluster_share = cluster_share  # a cluster with this share of clauses on one entry is that entry
        # a cluster whose clauses already had one id in the last run (this share of those that had one)
        # keeps that id: k-means regroups clauses when a week is added, the pain point stays the same
        self.inherit_share = inherit_share
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
        previous: Sequence[str | None] | None = None,
    ) -> CatalogueMatcher:
        """Match ``points`` (clusters; ``labels`` is the cluster id per clause) and their clauses.

        ``mentions``: the (aspect, opinion) of each clause when known; ``previous``: each clause's
        pain-point id from the last run (``clauses.pain_point_id``), so regrouped clusters keep ids.
        """
        self._prepare()
        mentions = mentions if mentions is not None else [None] * len(texts)
        previous = previous if previous is not None else [None] * len(texts)
        direct = [self._clause(t, s, m) for t, s, m in zip(token_lists, stages, mentions, strict=True)]
        self.direct_ = sum(1 for d in direct if d)
        members: dict[str, list[int]] = {}
        for i, lab in enumerate(labels):
            if lab is not None:
                members.setdefault(lab, []).append(i)
        self.proposals_: dict[str, CatalogueEntry] = {}
        self.cluster_ids_ = {
            p.id: self._cluster(
                p, [direct[i] for i in members.get(p.id, [])], [previous[i] for i in members.get(p.id, [])]
            )
            for p in points
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
        self._layers = LayerTagger.from_lexicons(self.lexicon_dir)  # a proposal's layer, from its words
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
            elif len(t) > 1 and t[0] in ("不", "没"):  # fused: 不耐心, 没回复
                negated.add(t[1:])
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

    def _cluster(self, p: PainPoint, direct: list[str | None], previous: list[str | None]) -> str:
        """The catalogue id of one cluster: by its clauses' votes, the ids its clauses had last run, its
        own words, a known proposal's terms, or a new proposal."""
        votes = Counter(d for d in direct if d)
        if votes:
            top, n = votes.most_common(1)[0]
            if n >= self.cluster_share * len(direct):
                return top
        had = Counter(self._resolve(x) for x in previous if x)
        if had:
            top, n = had.most_common(1)[0]
            entry = self._by_id.get(top) or self.proposals_.get(top)
            if entry is not None and entry.stage == p.stage and n >= self.inherit_share * sum(had.values()):
                return self._propose(p, entry) if entry.status == "proposed" else top
        found = None
        if p.aspect and p.stage is not None:  # a mention-based cluster: its own aspect and opinion
            words = {p.aspect, p.opinion, *p.label.split()} - {""}
            found = self._best(p.stage, words, {w[1:] for w in words if w[:1] in ("不", "没")}, 2.0)
        return found or self._propose(p)

    def _propose(self, p: PainPoint, match: CatalogueEntry | None = None) -> str:
        """A proposal for cluster ``p``: ``match`` when given, else a known one with its id or its
        terms, else a new one; its words and terms grow with each cluster that lands on it."""
        aspect, opinion = p.aspect, p.opinion
        if not aspect and " " in p.label:  # older labels: "配送 慢" = aspect, opinion
            parts = p.label.split()
            aspect, opinion = parts[0], parts[-1]
        pid = proposal_id(p.stage, aspect, opinion, p.label)
        if pid in self._by_id and self._by_id[pid].status == "curated":
            return pid  # an analyst already curated this very proposal
        terms = set(p.terms)
        known = [e for e in (*self._known, *self.proposals_.values()) if e.stage == p.stage]
        match = match or next((e for e in known if e.id == pid), None)
        match = match or max(
            (e for e in known if _jaccard(terms, set(e.terms)) >= self.min_overlap),
            key=lambda e: (_jaccard(terms, set(e.terms)), e.id),
            default=None,
        )
        seen = self.proposals_.get(match.id) if match else None  # already named by a bigger cluster
        base = seen or match
        entry = CatalogueEntry(
            id=base.id if base else pid,
            # proposals follow the label of their biggest cluster this run; curated names are the analyst's
            name=seen.name if seen else p.label,
            stage=p.stage,
            layer=p.layer or (base.layer if base else None) or self._layers.infer(aspect, opinion, p.stage),
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
