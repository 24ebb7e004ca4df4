"""Pain points: negative clauses grouped by what they complain about, named like an analyst would.

Input: negative clauses (text, tokens of the project segmenter, stage key or None). Steps:

1. **mentions**: :class:`voc.opinions.OpinionExtractor` finds the (aspect, opinion) pairs of each
   clause; the clause keeps one (``mentions_``): an explicit aspect before an implicit one, a
   listed opinion before an unlisted one, then the first.
2. **groups**: clauses of one stage whose mentions share the aspect group (aspects.yaml: 快递,
   物流, 外卖 → 配送) and the opinion family (opinions.yaml: 慢, 超时, 时间长 → 延误) form one
   group. Clauses with no aspect stay out; a clause with no stage joins the largest group of its
   aspect group and family when its aspect is explicit (``infer_stage``), or groups on its own with
   ``unstaged=True``. A delay word after praise is effort (耐心地帮我算了半天) and is dropped.
3. **near-duplicates**: a group below ``min_size`` joins the largest kept group of the same stage
   and opinion family (骑手态度差 joins 服务人员态度差); clauses still left (a small group of its own
   family, or no mention) join the kept group of their stage whose TF-IDF centroid is nearest when
   the cosine reaches ``join_similarity``, else stay unassigned: wrong is worse than unassigned.
4. **names**: aspect + canonical opinion, no space: the canonical aspect that holds most of the
   group (its group name when none holds more than ``ASPECT_SHARE``), then the most common canonical opinion:
   ``配送超时``, ``服务员态度差``, ``退款难``. Groups of one stage that end with the same name merge;
   ids are ``stable_id(stage, label)`` (a catalogue step maps them to stable catalogue ids).

>>> model = PainPointClusterer(min_size=2).fit(texts, tokens, stages)   # doctest: +SKIP
>>> [(p.label, p.stage, p.size) for p in model.points_]                # doctest: +SKIP
[('配送慢', 'delivery', 6), ('客服态度差', 'service', 5)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from voc.lexicons import read_words
from voc.opinions import OpinionExtractor, Span
from voc.paths import LEXICON_DIR
from voc.records import Mention, PainPoint, stable_id

N_TERMS = 6  # terms kept per pain point
N_EXAMPLES = 3  # example quotes per pain point
ASPECT_SHARE = 0.5  # a canonical aspect names the pain point when it holds more than this share
DELAY_FAMILY = "延误"  # opinions.yaml family whose words (半天) also describe effort: 耐心地讲了半天
JOIN_SIMILARITY = 0.5
ASPECT_SIMILARITY = float(
    __import__("os").environ.get("AS", "0.4")
)  # cosine to a pain point's centroid needed for a clause without a usable mention


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class PainPointClusterer:
    """Groups negative clauses into :class:`voc.records.PainPoint` s (scikit-learn estimator style).

    After :meth:`fit`: ``points_`` (largest first, ``aspect`` and ``opinion`` filled), ``labels_``
    (pain-point id per input clause, None when unassigned) and ``mentions_`` (the chosen
    :class:`voc.records.Mention` per input clause, None when the clause has none).
    """

    def __init__(
        self,
        *,
        min_size: int = 5,
        join_similarity: float = JOIN_SIMILARITY,
        aspect_similarity: float | None = None,
        merge_unlisted: bool = True,
        unstaged: bool = False,
        infer_stage: bool = True,
        lexicon_dir: Path = LEXICON_DIR,
    ):
        self.min_size = min_size
        self.join_similarity = join_similarity
        # A clause with no mention that names an aspect (车位 永远 满, 满 unknown) may join a pain
        # point of that aspect group at this cosine. Off (None): measured on the demo, every
        # threshold below join_similarity costs purity (客服很耐心, scored negative, joins 客服态度差).
        self.aspect_similarity = aspect_similarity
        self.merge_unlisted = merge_unlisted
        # Clauses with no journey stage are mostly generic venting ("太失望了"): off by default.
        self.unstaged = unstaged
        # ... but one that names an aspect and a complaint (钱还没退回来 → 退款, 难) is no venting:
        # it joins the largest pain point of that aspect group and opinion family, on any stage.
        self.infer_stage = infer_stage
        self.lexicon_dir = lexicon_dir

    def fit(
        self, texts: Sequence[str], token_lists: Sequence[Sequence[str]], stages: Sequence[str | None]
    ) -> PainPointClusterer:
        """Group the clauses; ``texts``, ``token_lists`` and ``stages`` are parallel lists."""
        if not len(texts) == len(token_lists) == len(stages):
            raise ValueError("texts, token_lists and stages must have the same length")
        ex = self.extractor_ = OpinionExtractor.from_lexicons(self.lexicon_dir)
        spans = [self._choose(ex.spans(t), t) for t in token_lists]
        self.mentions_: list[Mention | None] = [s.mention() if s else None for s in spans]
        self.points_: list[PainPoint] = []
        self.labels_: list[str | None] = [None] * len(texts)
        groups: dict[tuple[str | None, str, str], list[int]] = {}
        for i, s in enumerate(spans):
            if s is not None and s.aspect and (self.unstaged or stages[i] is not None):
                key = (stages[i], ex.group(s.aspect), ex.family(s.canonical))
                groups.setdefault(key, []).append(i)
        kept = {k: v for k, v in groups.items() if len(v) >= max(1, self.min_size)}
        left = self._merge_small(groups, kept)
        if self.infer_stage and not self.unstaged:
            self._join_unstaged(kept, spans, stages)
        self._join_similar(kept, left, texts, token_lists, stages)
        self._build(kept, spans, texts, token_lists, stages)
        return self

    # --- steps -------------------------------------------------------------------------------------

    def _choose(self, spans: list[Span], tokens: Sequence[str]) -> Span | None:
        spans = [s for s in spans if not self._effort(s, tokens)]
        if not spans:
            return None
        listed = self.extractor_.lexicon_.canonical_of
        best = max(
            range(len(spans)),
            key=lambda j: (
                bool(spans[j].aspect),
                spans[j].opinion in listed or spans[j].canonical in listed,
                not spans[j].implicit,
                -j,
            ),
        )
        return spans[best]

    def _effort(self, span: Span, tokens: Sequence[str]) -> bool:
        """营业员耐心地帮我算了半天: time spent next to praise is effort, not a delay."""
        ex = self.extractor_
        if ex.family(span.canonical) != DELAY_FAMILY:
            return False
        praise = [j for j, t in enumerate(tokens) if (ex._polarity(t) or 0) > 0]
        return any(j < span.start and not self._negated(tokens, j) for j in praise)

    def _negated(self, tokens: Sequence[str], j: int) -> bool:
        neg = self.extractor_.scorer_.lexicon_.negation
        return any(t in neg for t in tokens[max(0, j - 3) : j])

    def _join_unstaged(self, kept, spans, stages) -> None:
        """Clauses with no stage but an explicit aspect join the largest kept group of its aspect group
        and opinion family (any stage): the complaint says which pain point it is. An implicit
        aspect is not enough (卡 of a SIM card is no APP 卡顿, 晚高峰 is no late delivery)."""
        ex = self.extractor_
        by: dict[tuple[str, str], tuple[str | None, str, str]] = {}
        for key in sorted(kept, key=lambda k: (-len(kept[k]), k[0] or "", k[1:])):
            by.setdefault(key[1:], key)
        for i, s in enumerate(spans):
            if stages[i] is None and s is not None and s.aspect and not s.implicit:
                key = by.get((ex.group(s.aspect), ex.family(s.canonical)))
                if key is not None:
                    kept[key].append(i)

    def _merge_small(self, groups, kept) -> list[int]:
        """Small groups join the largest kept group of their stage and opinion family; with
        ``merge_unlisted``, a group whose opinion is in no family of opinions.yaml (没找到, 不通用)
        joins the largest listed group of its stage and aspect group. The clauses left over are
        returned (still unassigned)."""
        left: list[int] = []
        listed = set(self.extractor_.lexicon_.family_of.values())
        if self.merge_unlisted:
            for key in sorted((k for k in groups if k[2] not in listed), key=lambda k: (k[0] or "", k[1:])):
                stage, group, _ = key
                same = [k for k in kept if k[0] == stage and k[1] == group and k[2] in listed]
                if same:
                    target = max(same, key=lambda k: (len(kept[k]), k[2]))
                    if len(kept[target]) > len(groups[key]):
                        kept[target].extend(groups[key])
                        kept.pop(key, None)
                        groups[key] = []
        for (stage, group, family), members in groups.items():
            if (stage, group, family) in kept or not members:
                continue
            same = [k for k in kept if k[0] == stage and k[2] == family]
            if same:
                kept[max(same, key=lambda k: (len(kept[k]), k[1]))].extend(members)
            else:
                left.extend(members)
        return left

    def _join_similar(self, kept, left, texts, token_lists, stages) -> None:
        """Clauses without a kept group join the nearest kept group of their stage when similar."""
        staged = {k[0] for k in kept}
        rest = set(left) | {
            i
            for i, m in enumerate(self.mentions_)
            if (m is None or not m.aspect)
            and stages[i] in staged
            and (self.unstaged or stages[i] is not None)
        }
        if not kept or not rest:
            return
        drop = self._drop_words()
        terms = [[t for t in toks if t not in drop and t[0].isalnum()] for toks in token_lists]
        members = sorted({i for v in kept.values() for i in v} | rest)
        pos = {i: r for r, i in enumerate(members)}
        vec = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
        try:
            X = vec.fit_transform([terms[i] for i in members]).tocsr()
        except ValueError:  # nothing but stopwords
            return
        keys = list(kept)
        centroids = np.vstack([np.asarray(X[[pos[i] for i in kept[k]]].mean(axis=0)) for k in keys])
        centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
        idx = sorted(rest)
        sims = np.asarray(X[[pos[i] for i in idx]] @ centroids.T)
        stage_of = np.array([k[0] or "" for k in keys], dtype=object)
        group_of = np.array([k[1] for k in keys], dtype=object)
        for row, i in enumerate(idx):
            s = np.where(stage_of == (stages[i] or ""), sims[row], -1.0)
            named = set()
            if self.mentions_[i] is None and self.aspect_similarity is not None:
                named = self._aspect_groups(token_lists[i])
            if named:  # 车位 永远 是 满 的 with 满 unknown: a pain point of the aspect it names
                a = np.where(np.isin(group_of, list(named)), s, -1.0)
                best = int(a.argmax())
                if a[best] >= self.aspect_similarity:
                    kept[keys[best]].append(i)
                    continue
            best = int(s.argmax())
            if s[best] >= self.join_similarity:
                kept[keys[best]].append(i)

    def _aspect_groups(self, tokens: Sequence[str]) -> set[str]:
        ex = self.extractor_
        aspect_of = ex.lexicon_.aspect_of
        return {ex.group(aspect_of[t]) for t in tokens if t in aspect_of}

    def _drop_words(self) -> frozenset[str]:
        lex = self.extractor_.scorer_.lexicon_
        stop = read_words(Path(self.lexicon_dir) / "stopwords.txt")
        return frozenset(stop).union(lex.degree, lex.negation, lex.contrast, lex.question)

    def _name(self, members: list[int], spans) -> tuple[str, str]:
        """(aspect, opinion) naming a group: its main canonical aspect (or group), main opinion."""
        ex = self.extractor_
        mentioned = [spans[i] for i in members if spans[i] is not None and spans[i].aspect]
        aspects = Counter(s.aspect for s in mentioned)
        aspect, n = aspects.most_common(1)[0]
        if n <= ASPECT_SHARE * len(mentioned):
            aspect = ex.group(aspect)
        opinions = Counter(s.canonical for s in mentioned)
        return aspect, opinions.most_common(1)[0][0]

    def _build(self, kept, spans, texts, token_lists, stages) -> None:
        named: dict[tuple[str | None, str, str], list[int]] = {}
        for (stage, _, _), members in kept.items():
            aspect, opinion = self._name(members, spans)
            named.setdefault((stage, aspect, opinion), []).extend(members)
        drop = self._drop_words()
        for (stage, aspect, opinion), members in named.items():
            members = sorted(set(members))
            label = aspect + opinion
            pid = stable_id(stage, label)
            for i in members:
                self.labels_[i] = pid
            terms = Counter(
                t for i in members for t in set(token_lists[i]) if t not in drop and t[0].isalnum()
            )
            self.points_.append(
                PainPoint(
                    id=pid,
                    label=label,
                    stage=stage,
                    size=len(members),
                    terms=tuple(t for t, _ in terms.most_common(N_TERMS)),
                    examples=self._examples(members, spans, texts, aspect, opinion),
                    aspect=aspect,
                    opinion=opinion,
                )
            )
        self.points_.sort(key=lambda p: (-p.size, p.label))

    def _examples(self, members, spans, texts, aspect, opinion) -> tuple[str, ...]:
        """Up to N_EXAMPLES distinct texts, those whose mention carries the name first, shortest first."""

        def rank(i: int):
            s = spans[i]
            fits = s is not None and s.canonical == opinion
            return (not fits, len(texts[i]), i)

        out: list[str] = []
        for i in sorted(members, key=rank):
            text = texts[i].strip()
            if text and text not in out:
                out.append(text)
                if len(out) == N_EXAMPLES:
                    break
        return tuple(out)
