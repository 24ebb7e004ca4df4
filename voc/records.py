"""Typed records passed between pipeline stages.

Data flow (one module per stage, see the folder listing):

    ingest  -> RawFeedback / Rejected        (voc.ingest)
    text    -> masked + normalized text       (voc.pii, voc.normalize, voc.clauses, voc.segment)
    enrich  -> EnrichedFeedback + Clause      (voc.enrich: sentiment, stages)
    pains   -> PainPoint                      (voc.painpoints)
    store   -> DuckDB warehouse               (voc.warehouse)
    digest  -> Markdown + HTML                (voc.digest)

Records are frozen dataclasses with ``slots`` so a million of them stay cheap.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Kind = Literal["review", "survey", "social"]
KINDS: tuple[Kind, ...] = ("review", "survey", "social")
Label = Literal["negative", "neutral", "positive"]
LABELS: tuple[Label, ...] = ("negative", "neutral", "positive")


def stable_id(*parts: object) -> str:
    """A short, deterministic id from its parts: re-running a load yields the same ids."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=10).hexdigest()


@dataclass(frozen=True, slots=True)
class RawFeedback:
    """One item read from a source, PII already masked in ``text``.

    ``id`` derives from (source, source_id) when the source has ids, else from the content, so a
    second ingest of the same item upserts instead of duplicating.
    """

    id: str
    source: str
    kind: Kind
    source_id: str
    text: str
    created_at: datetime
    rating: float | None = None  # reviews: 1-5 stars
    score: float | None = None  # surveys: NPS 0-10 or CSAT 1-5
    score_type: Literal["nps", "csat"] | None = None
    product: str | None = None
    store: str | None = None
    touchpoint: str | None = None
    author: str | None = None
    likes: int | None = None
    reposts: int | None = None
    origin: str = ""  # "file.csv:12" for tracing a row back to its file drop


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row that could not land, kept with its reason. ``payload`` is the raw row, PII-masked."""

    source: str
    origin: str  # file and line/record number
    payload: str
    reason: str

    @property
    def id(self) -> str:
        return stable_id(self.source, self.origin, self.payload)


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of a feedback item, scored and placed on the journey."""

    feedback_id: str
    position: int
    text: str
    sentiment: float  # in [-1, 1]
    label: Label
    stage: str | None = None  # a stage key from lexicons/stages.yaml, or None
    tokens: tuple[str, ...] = ()
    pain_point_id: str | None = None


@dataclass(frozen=True, slots=True)
class EnrichedFeedback:
    """Document-level results for one feedback item."""

    id: str
    text_norm: str
    sentiment: float  # in [-1, 1]
    label: Label
    stages: tuple[str, ...]  # stage keys mentioned, journey order
    neg_stages: tuple[str, ...]  # stage keys with a negative clause, journey order
    clauses: tuple[Clause, ...] = field(default=())


Layer = Literal["functional", "convenience", "emotional"]
LAYERS: tuple[Layer, ...] = ("functional", "convenience", "emotional")


@dataclass(frozen=True, slots=True)
class Mention:
    """One (aspect, opinion) pair found in a negative clause by :mod:`voc.opinions`.

    ``aspect`` is canonical (店员/服务员/小二 → 服务员); an implicit aspect gets the name of what the
    clause is about (等了一个小时 → 等待) and ``implicit=True``. ``opinion`` is the complaint as said,
    degree adverbs dropped, negation kept (太慢 → 慢, 一直不处理 → 不处理).
    """

    aspect: str
    opinion: str
    implicit: bool = False


@dataclass(frozen=True, slots=True)
class PainPoint:
    """A group of negative clauses that share one complaint."""

    id: str
    label: str  # short readable Chinese phrase, e.g. "配送超时"
    stage: str | None
    size: int
    terms: tuple[str, ...]  # most characteristic tokens
    examples: tuple[str, ...]  # masked example quotes
    aspect: str = ""  # canonical aspect of most of its mentions, e.g. 配送
    opinion: str = ""  # canonical opinion of most of its mentions, e.g. 超时
    layer: Layer | None = None  # experience layer (DOMAIN.md): functional / convenience / emotional
    status: str = "discovered"  # catalogue (matched a lexicons/pain_points.yaml entry) / proposed / discovered
