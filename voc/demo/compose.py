"""Compose one feedback text from clause pools: industry x journey stage x polarity, plus slots.

A text is a list of sentences, each a list of clauses; clauses come from the phrase files, get
their slots filled, and are joined with the punctuation, particles and connectives people use.
What kind of text to write is the caller's choice (``category``):

* ``pain``: a planted pain point, sometimes after praise for something else (东西不错，但是…);
* ``negative`` / ``positive`` / ``neutral``: generic clauses of that polarity;
* ``mixed``: praise, a contrast word, then a generic complaint;
* ``question``: a question, sometimes after some context;
* ``short``: 好评！, 一般般 and the like.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from voc.demo.phrases import STAGES, Industry, PainSpec, Phrases, Slots, Weighted

_SEPARATORS = Weighted({"，": 70, "。": 14, "！": 6, " ": 6, ",": 4})
_SHORT_POLARITY = Weighted({"positive": 55, "negative": 25, "neutral": 20})


@dataclass(frozen=True, slots=True)
class Composed:
    """A composed text with what it is about: polarity (for the rating) and main journey stage."""

    text: str
    polarity: str  # negative | mixed | neutral | positive
    stage: str


class Composer:
    """Writes texts for one corpus; all randomness comes from ``rng`` (deterministic per seed)."""

    def __init__(self, phrases: Phrases, rng: random.Random, *, long_share: float = 0.08) -> None:
        self.phrases = phrases
        self.common = phrases.common
        self.rng = rng
        self.slots = Slots(phrases.common, rng)
        self.long_share = long_share
        # No particle after a particle or 的 (…吧呀, …的啊 read wrong).
        self._no_particle_after = tuple(phrases.common["particles"]) + tuple("的！？。~～")

    def begin(self, industry: Industry) -> dict[str, str]:
        """Pick the brand, product, store and staff one item talks about; returns them."""
        rng = self.rng
        brand = rng.choice(list(industry.brands))
        fixed = {
            "brand": brand,
            "product": rng.choice(industry.brands[brand]),
            "staff": rng.choice(industry.staff),
            "district": rng.choice(industry.districts),
        }
        self.slots.fixed = fixed
        fixed["store"] = self.slots.fill(industry.store_format)
        return fixed

    def compose(self, category: str, industry: Industry, kind: str, pain: PainSpec | None = None) -> Composed:
        """One text of ``category`` (see the module docstring) for a ``kind`` source."""
        if category == "pain" and pain is not None:
            return self._pain(industry, kind, pain)
        return getattr(self, "_" + category)(industry, kind)

    # -- recipes -----------------------------------------------------------------------------

    def _pain(self, ind: Industry, kind: str, pain: PainSpec) -> Composed:
        rng = self.rng
        picks = rng.sample(pain.clauses_for(ind.key), k=min(2, len(pain.clauses_for(ind.key))))
        body = [picks[0]] + ([picks[1]] if rng.random() < 0.4 else [])
        if rng.random() < 0.45:
            body.append(rng.choice(pain.details))
        if rng.random() < 0.12:
            body.append(self._clause(ind, self._other_stage(pain.stage), "negative"))
        if kind == "survey" and pain.suggestions and rng.random() < 0.4:
            body.append(rng.choice(pain.suggestions))
        if rng.random() < self.phrases.plan["pain_with_praise_first"]:
            praise = [self._clause(ind, self._other_stage(pain.stage), "positive")]
            body = praise + [self._contrast() + body[0]] + body[1:]
        return self._finish(body, "negative", pain.stage, ind, kind)

    def _negative(self, ind: Industry, kind: str) -> Composed:
        stages = self.rng.sample(STAGES, k=self.rng.choice((1, 1, 2)))
        parts = [self._clause(ind, s, "negative") for s in stages]
        return self._finish(parts, "negative", stages[0], ind, kind)

    def _positive(self, ind: Industry, kind: str) -> Composed:
        stages = self.rng.sample(STAGES, k=self.rng.choice((1, 2, 2, 3, 3, 4)))
        parts = [self._clause(ind, s, "positive") for s in stages]
        return self._finish(parts, "positive", stages[0], ind, kind)

    def _mixed(self, ind: Industry, kind: str) -> Composed:
        good, bad, *more = self.rng.sample(STAGES, k=3)
        parts = [self._clause(ind, good, "positive")]
        if self.rng.random() < 0.4:
            parts.append(self._clause(ind, more[0], "positive"))
        parts.append(self._contrast() + self._clause(ind, bad, "negative"))
        return self._finish(parts, "mixed", bad, ind, kind)

    def _neutral(self, ind: Industry, kind: str) -> Composed:
        stages = self.rng.sample(STAGES, k=self.rng.choice((1, 2)))
        parts = [self._clause(ind, s, "neutral") for s in stages]
        if self.rng.random() < 0.5:
            parts.append(self.rng.choice(self.common["neutral_tail"]))
        return self._finish(parts, "neutral", stages[0], ind, kind)

    def _question(self, ind: Industry, kind: str) -> Composed:
        rng = self.rng
        pool = ind.questions if rng.random() < 0.7 else self.common["questions"]
        text = self.slots.fill(rng.choice(pool))
        if rng.random() < 0.4:
            text = self.slots.fill(rng.choice(ind.context)) + "，" + text
        return Composed(text, "neutral", rng.choice(STAGES))

    def _short(self, ind: Industry, kind: str) -> Composed:
        rng = self.rng
        polarity = _SHORT_POLARITY.draw(rng)
        text = rng.choice(self.common["short"][polarity])
        if rng.random() < 0.5:
            text += rng.choice(self.common["emoji"][polarity] + self.common["end_punct"][polarity])
        return Composed(text, polarity, rng.choice(STAGES))

    # -- pieces ------------------------------------------------------------------------------

    def _clause(self, ind: Industry, stage: str, polarity: str) -> str:
        return self.rng.choice(ind.clauses[stage][polarity])

    def _other_stage(self, stage: str) -> str:
        return self.rng.choice([s for s in STAGES if s != stage])

    def _contrast(self) -> str:
        return self.rng.choice(self.common["contrast"])

    def _finish(self, parts: list[str], polarity: str, stage: str, ind: Industry, kind: str) -> Composed:
        """Add context, opener and closer, fill slots, and punctuate into sentences."""
        rng, common = self.rng, self.common
        tone = "negative" if polarity == "negative" else ("neutral" if polarity == "neutral" else "positive")
        long = rng.random() < self.long_share
        if long or rng.random() < 0.2:
            parts = [rng.choice(ind.context)] + parts
        if long:  # a story: more context and a clause or two about other stages
            extra = [self._clause(ind, s, tone) for s in rng.sample(STAGES, k=rng.choice((1, 2)))]
            more = [c for c in ind.context if c != parts[0]]
            parts = parts[:1] + [rng.choice(more)] + parts[1:] + extra
        survey = kind == "survey" and rng.random() < 0.5
        if rng.random() < 0.3:
            parts = [rng.choice(common["openers"]["survey" if survey else tone])] + parts
        if rng.random() < 0.45:
            closers = common["closers"]
            parts = parts + [rng.choice(closers[f"survey_{tone}"] if survey else closers[tone])]
        return Composed(self._punctuate([self.slots.fill(p) for p in parts], tone), polarity, stage)

    def _punctuate(self, clauses: list[str], tone: str) -> str:
        rng, common = self.rng, self.common
        out: list[str] = []
        for i, clause in enumerate(clauses):
            last = i == len(clauses) - 1
            if (last or rng.random() < 0.25) and rng.random() < 0.3:
                particle = rng.choice(common["particles"])
                clause += "" if clause.endswith(self._no_particle_after) else particle
            if last:
                out.append(clause + rng.choice(common["end_punct"][tone]))
            else:
                out.append(clause + _SEPARATORS.draw(rng))
        return "".join(out)
