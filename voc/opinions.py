"""Opinion extraction: (aspect, opinion) pairs from a negative clause, rule-based over its tokens.

It reads the tokens the project segmenter already produced (no POS tagging: ``jieba.posseg`` is
~20x slower) and three editable lexicons next to the sentiment word lists:

* ``aspects.yaml`` — canonical aspect -> synonyms, in groups (店员/服务生 → 服务员, group 服务人员),
  plus attribute words (态度, 速度); every stage keyword without sentiment is an aspect too;
* ``opinions.yaml`` — complaint words by family -> canonical opinion (太慢/半天 → 慢);
* ``implicit_aspects.tsv`` — canonical opinion -> aspect for a complaint with no aspect word
  (太贵了 → 价格, 太咸 → 口味, 等了一个小时 → 等待).

Steps per clause: find the opinion spans — a complaint word (``opinions.yaml``, or negative in the
sentiment lexicon; degree adverbs dropped: 太慢 → 慢), a negation with the word it negates
(一直不处理 → 不处理, 不够新鲜 as said; a negated complaint such as 不贵 is praise and is skipped,
and so is a complaint up to three tokens after a negation: 没让我失望),
a duration with what did not happen (三天没到) or after a waiting verb (等了一个小时 → (等待,
一个小时); after 排 the queue: 排了一上午 → 排队), a pending state after a "still" word (退款一直显示
处理中 → 卡住), 没人 + verb (没人送), verb + 不到 (用不到); then give each the nearest aspect token
(one before the opinion wins a tie) unless the opinion names its own (排长队 → 排队), and an agent
(商家 拒绝 退款) yields to the aspect right after the opinion. An attribute between them joins
the opinion: 服务员 态度 差 → (服务员, 态度差); alone, an attribute that is an aspect too names it
(味道 差 → (口味, 差)). The canonical opinion is folded per aspect group (``by_aspect`` of
``opinions.yaml``: 停车场 太小 → 停车 + 难). With no aspect in
the clause the implicit table names one, else the mention keeps an empty aspect (or, with
``guess_aspects``, takes the noun-like token right before the opinion: 牛排 太老 → (牛排, 老)).

>>> ex = OpinionExtractor.from_lexicons()
>>> ex.extract(["上菜", "太慢"]), ex.extract(["太贵", "了"])   # doctest: +NORMALIZE_WHITESPACE
([Mention(aspect='上菜', opinion='慢', implicit=False)],
 [Mention(aspect='价格', opinion='贵', implicit=True)])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from voc.lexicons import read_words
from voc.opinion_lexicon import (
    ASPECTS_FILE,
    IMPLICIT_FILE,
    OPINIONS_FILE,
    OpinionLexicon,
    load_opinion_lexicon,
)
from voc.paths import LEXICON_DIR
from voc.records import Mention
from voc.sentiment import SentimentScorer

__all__ = [
    "ASPECTS_FILE",
    "IMPLICIT_FILE",
    "OPINIONS_FILE",
    "OpinionExtractor",
    "OpinionLexicon",
    "Span",
    "load_opinion_lexicon",
]
WAIT_VERBS = {
    "等": "等待",
    "等待": "等待",
    "排": "排队",
    "排队": "排队",
    "花": "等待",
    "耗": "等待",
    "要": "等待",  # 结账要半小时: it takes that long
    "需要": "等待",
}
QUEUE = "排队"  # the aspect WAIT_VERBS give a queue; that verb names the aspect, never implicit
STILL = frozenset({"一直", "仍", "仍然", "依然", "始终", "至今", "还", "还是"})  # 一直 显示 处理 中
STATE_VERBS = frozenset({"停在", "处于", "卡在", "在", "显示", "是"})
STUCK = "卡住"  # the canonical opinion of a complaint stuck in a pending state
NEGATED_FINE = frozenset({"区别", "差别", "知道", "问题"})  # 没问题: negated, yet no complaint
COMPLEMENTS = frozenset("开了上到动通进出回住清懂")  # X不Y that says "cannot": 打不开, 找不到
KEPT_NEGATIONS = frozenset({"不够", "不太", "没有", "不怎么", "从不", "从未", "毫无"})  # kept as said
NEGATION_REACH = 3  # 没 让 我 失望: a negation reaches this many tokens ahead
FILLERS = frozenset({"任何", "什么", "一点", "啥", "怎么"})  # 没任何回应 → 没回应
MAX_ASPECT_DISTANCE = 6  # tokens between an aspect and its opinion, at most
_NUM = r"[0-9一二两三四五六七八九十几半多个]"
DURATION = re.compile(
    rf"^(?:{_NUM}+(?:个)?)?(?:天|小时|分钟|分|钟头|周|星期|礼拜|月|个月|年|上午|下午|晚上|晚)$"
)
NUMERAL = re.compile(rf"^{_NUM}+(?:个)?$")
_ASPECT, _OPINION, _NEG, _DEGREE, _SKIP, _DUR, _OTHER = range(7)


@dataclass(frozen=True, slots=True)
class Span:
    """One opinion found in a clause, before it becomes a :class:`Mention` (the evaluation needs
    the aspect as written and the token positions)."""

    aspect: str  # canonical aspect, "" when none
    aspect_term: str  # the aspect token as written, "" when implicit or none
    opinion: str  # as said, degree dropped, negation kept
    canonical: str  # canonical opinion (opinions.yaml) or ``opinion`` when not listed
    implicit: bool
    start: int  # token positions of the opinion, end exclusive
    end: int

    def mention(self) -> Mention:
        return Mention(self.aspect, self.opinion, self.implicit)


class OpinionExtractor:
    """(aspect, opinion) mentions of negative clauses (settings in ``__init__``, tables end in ``_``).

    ``guess_aspects``: with no lexicon aspect in the clause, take the noun-like token just before
    the opinion (牛排 太老 → 牛排) before falling back to the implicit table.
    """

    def __init__(self, *, guess_aspects: bool = False, max_distance: int = MAX_ASPECT_DISTANCE):
        self.guess_aspects = guess_aspects
        self.max_distance = max_distance

    @classmethod
    def from_lexicons(cls, lexicon_dir: Path = LEXICON_DIR, **settings) -> OpinionExtractor:
        ex = cls(**settings)
        ex.scorer_ = SentimentScorer.from_lexicons(lexicon_dir, bayes_weight=0.0)
        lex = ex.scorer_.lexicon_
        polar = frozenset(w for w, v in lex.polarity.items() if v)
        ex.lexicon_ = load_opinion_lexicon(lexicon_dir, polar)
        ex.stopwords_ = frozenset(read_words(Path(lexicon_dir) / "stopwords.txt"))
        ex.cache_ = {}
        return ex

    # --- public ------------------------------------------------------------------------------------

    def extract(self, tokens: Sequence[str], text: str | None = None) -> list[Mention]:
        """The mentions of one negative clause, in clause order (``text`` is accepted for callers
        that have it; the tokens carry everything the rules need)."""
        return [s.mention() for s in self.spans(tokens)]

    def extract_many(self, token_lists: Sequence[Sequence[str]]) -> list[list[Mention]]:
        return [self.extract(t) for t in token_lists]

    def canonical(self, opinion: str) -> str:
        """太慢/半天 → 慢, 三天没到 → 超时: the canonical opinion of an extracted opinion."""
        c = self.lexicon_.canonical_of
        if opinion in c:
            return c[opinion]
        if self._stuck(opinion):
            return c.get(STUCK, opinion)
        for neg in KEPT_NEGATIONS:  # 不够新鲜 → 不新鲜, 没有味道 → 没味道
            if opinion.startswith(neg):
                opinion = neg[0] + opinion[len(neg) :]
                if opinion in c:
                    return c[opinion]
                break
        stripped = opinion.lstrip("0123456789一二两三四五六七八九十几半多个天小时分钟周星期月年上下午晚")
        if stripped in c:
            return c[stripped]
        if stripped != opinion and not stripped:
            return c.get("时间长", opinion)  # a bare duration: 等了一个小时
        if stripped != opinion and stripped.startswith("才"):
            return c.get("才到", opinion)  # 一个多小时才吃上: it took that long
        for a in self.lexicon_.attributes:  # 速度 慢 → 慢 when 速度慢 is not listed
            if opinion.startswith(a) and len(opinion) > len(a):
                rest = opinion[len(a) :]
                if rest in c:
                    return c[rest]
                if a + "差" in c and self._negative(rest):  # 态度 让人不舒服 → 态度差
                    return c[a + "差"]
        return opinion

    def _stuck(self, opinion: str) -> bool:
        """一直显示处理中, 还显示待揽收: a "still" word, maybe a state verb, a pending state."""
        head = next((w for w in sorted(STILL, key=len, reverse=True) if opinion.startswith(w)), "")
        if not head:
            return False
        rest = opinion[len(head) :]
        for _ in range(2):
            verb = next((v for v in sorted(STATE_VERBS, key=len, reverse=True) if rest.startswith(v)), "")
            rest = rest[len(verb) :]
        rest = rest[:-1] if rest.endswith("中") and rest[:-1] else rest
        return rest in self.lexicon_.pending

    def _negative(self, word: str) -> bool:
        pol = self._polarity(word)
        return pol is not None and pol < 0

    def family(self, canonical: str) -> str:
        return self.lexicon_.family_of.get(canonical, canonical)

    def group(self, aspect: str) -> str:
        return self.lexicon_.group_of.get(aspect, aspect)

    # --- rules -------------------------------------------------------------------------------------

    def _kind(self, tok: str) -> tuple[int, str]:
        """(kind, core) of a token, cached: an aspect, an opinion (core without degree), ..."""
        hit = self.cache_.get(tok)
        if hit is None:
            hit = self.cache_[tok] = self._kind_uncached(tok)
        return hit

    def _kind_uncached(self, tok: str) -> tuple[int, str]:
        lex, slex = self.lexicon_, self.scorer_.lexicon_
        if tok in slex.negation:  # 不够 新鲜; a listed negation (不够) is an opinion only at the end
            return _NEG, tok
        if tok in lex.canonical_of and tok not in lex.aspect_of:
            return _OPINION, tok
        if tok in slex.degree:
            return _DEGREE, tok
        if tok.isascii() and tok.upper() in lex.aspect_of:  # App, app → APP
            tok = tok.upper()
        if tok in lex.aspect_of or tok in lex.attributes:
            return _ASPECT, tok
        if DURATION.match(tok) or NUMERAL.match(tok) or tok.isdigit():
            return _DUR, tok
        if tok in self.stopwords_ or not tok[0].isalnum() or tok in lex.not_opinions:
            return _SKIP, tok
        core = self._strip_degree(tok)
        if (
            len(core) > 1
            and core[-1] in "得死"
            and (core[:-1] in lex.canonical_of or self._polarity(core[:-1]))
        ):
            core = core[:-1]  # 慢得(要命) → 慢
        if core in lex.canonical_of:
            return _OPINION, core
        if core[0] in "不没" and len(core) > 1:  # fused negation
            rest = self._polarity(core[1:])
            if core[1:] in lex.canonical_of or (rest is not None and rest < 0):
                return _OTHER, core  # 不慢, 不贵: praise
            if rest is not None and rest > 0:
                return _OPINION, core  # 不好
        if (
            len(tok) == 3
            and tok[1] == "不"
            and tok[2] in COMPLEMENTS
            or tok.endswith("不了")
            or tok == "不了"
        ):
            return _OPINION, tok  # potential complement: 打不开, 退不了, 用不上 (not 差不多, 是不是)
        pol = self._polarity(tok)
        if pol is not None and pol < 0:
            return _OPINION, core
        if pol is not None and pol > 0:
            return _OTHER, core  # praise: only a complaint when negated
        return _OTHER, core

    def _attributive(self, tokens, kinds, i: int) -> bool:
        """老 会员, 小 程序: a one-character descriptive word right before a noun describes it; it is
        a complaint only when the sentiment lexicon says so (破 服务)."""
        tok = tokens[i]
        if len(tok) != 1 or i + 1 >= len(tokens) or self._polarity(tok) is not None:
            return False
        return kinds[i + 1][0] in (_ASPECT, _OTHER, _DUR)

    def _strip_degree(self, tok: str) -> str:
        """太慢 → 慢, 有点小贵 → 小贵; 更新 stays (新 after 更 is no opinion)."""
        degree = self.scorer_.lexicon_.degree
        for n in (3, 2, 1):
            if len(tok) > n and tok[:n] in degree:
                rest = tok[n:]
                if rest in self.lexicon_.canonical_of or self._polarity(rest) is not None:
                    return rest
        return tok

    def _polarity(self, tok: str) -> float | None:
        return self.scorer_.word_polarity(tok)

    def spans(self, tokens: Sequence[str]) -> list[Span]:
        """Every opinion of the clause with its aspect (see the module docstring for the rules)."""
        kinds = [self._kind(t) for t in tokens]
        found: list[tuple[int, int, str, str, bool]] = []  # (start, end, opinion, default aspect, implicit)
        i, n, negated_until = 0, len(tokens), -1
        while i < n:
            kind, core = kinds[i]
            end = self._pending_end(tokens, i) if tokens[i] in STILL else 0
            if end:  # 退款 一直 显示 处理 中 → (退款, 一直显示处理中) → 卡住
                found.append((i, end, "".join(tokens[i:end]), "", False))
                i = end
                continue
            if kind == _OPINION and core == "不了" and i > 0:  # 退 不了 → 退不了
                prev = tokens[i - 1]
                found.append((i - 1, i + 1, prev + core, self.lexicon_.aspect_of.get(prev, ""), False))
            elif tokens[i] == "没人" and i + 1 < n and kinds[i + 1][0] in (_OTHER, _ASPECT):  # 没人 送
                found.append((i, i + 2, "没人" + tokens[i + 1], self._named(kinds[i + 1]), False))
                i += 1
            elif tokens[i] == "不到" and i > 0 and self._verb(tokens[i - 1]):  # 用 不到 → 用不到
                prev = tokens[i - 1]
                found.append((i - 1, i + 1, prev + "不到", self.lexicon_.aspect_of.get(prev, ""), False))
            elif kind == _OPINION and i <= negated_until:
                pass  # 没 让 我 失望: a negated complaint is praise
            elif kind == _OPINION and not self._attributive(tokens, kinds, i):
                found.append((i, i + 1, core, self._fused(tokens[i]), False))
            elif kind == _NEG:
                i, negated_until = self._negation(tokens, kinds, i, found), i + NEGATION_REACH
            elif kind == _DUR:
                i = self._duration(tokens, kinds, i, found)
            i += 1
        return [self._span(tokens, kinds, s, e, op, dflt, imp, found) for s, e, op, dflt, imp in found]

    def _verb(self, tok: str) -> bool:
        """A one-character verb-like token before 不到 (用 不到, 找 不到; not 三 不到, 的 不到)."""
        return len(tok) == 1 and self._kind(tok)[0] == _OTHER and tok not in self.stopwords_

    def _pending_end(self, tokens, i: int) -> int:
        """End of "still (state verb) pending-state (中)" starting at i, 0 when it is none."""
        j = i + 1
        while j < len(tokens) and j <= i + 2 and tokens[j] in STATE_VERBS:  # 一直 显示 在 取餐
            j += 1
        if j >= len(tokens) or tokens[j] not in self.lexicon_.pending:
            return 0
        return j + 2 if j + 1 < len(tokens) and tokens[j + 1] == "中" else j + 1

    def _negation(self, tokens, kinds, i: int, found: list) -> int:
        """不 处理 → 不处理, 不够 新鲜 → 不够新鲜 (degree words between dropped); a negated complaint
        (不贵, 没压坏) or a negated "problem" (没问题) is praise. Returns the last position used."""
        n, lex = len(tokens), self.lexicon_
        j = i + 1
        while j < n and (kinds[j][0] in (_DEGREE, _NEG) or tokens[j] in FILLERS):
            j += 1
        if j >= n:
            if tokens[j - 1] in lex.canonical_of:  # 通话 却 不够: a negation that ends the clause
                found.append((j - 1, j, tokens[j - 1], "", False))
            return j - 1
        neg = tokens[i] if tokens[i] in KEPT_NEGATIONS else tokens[i][0]
        listed = tokens[i][0] + tokens[j] in lex.canonical_of  # 不 给
        if kinds[j][0] not in (_OTHER, _OPINION, _ASPECT) and not listed:
            return i
        target = kinds[j][1]
        degree = self.scorer_.lexicon_.degree
        for m in (2, 1):  # 不是 很大 → 不大
            if len(target) > m and target[:m] in degree:
                target = target[m:]
                break
        pol = self._polarity(target)
        weak = len(target) == 1 and pol is None and tokens[i][0] + target not in lex.canonical_of  # 不再
        fine = (pol is not None and pol < 0) or target in NEGATED_FINE
        fine = fine or (target in lex.canonical_of and not listed)  # 没 压坏 (but 不 处理 is listed)
        if i > 0 and tokens[i - 1] == tokens[j]:  # 压坏 没 压坏: a question, not a complaint
            fine = True
            if found and found[-1][0] == i - 1:
                found.pop()
        if not fine and not weak:
            default = lex.aspect_of.get(target, "") if kinds[j][0] == _ASPECT else ""
            found.append((i, j + 1, neg + target, default, False))
        return j

    def _duration(self, tokens, kinds, i: int, found: list) -> int:
        """三天 没 到 → 三天没到; 等 了 一个 小时 → 一个小时 (waiting). Returns the last position used."""
        j = i
        while j + 1 < len(tokens) and kinds[j + 1][0] == _DUR:
            j += 1
        phrase = "".join(tokens[i : j + 1])
        k = j + 1
        if (
            k + 1 < len(tokens) and tokens[k] == "天才" and kinds[k + 1][0] in (_OTHER, _ASPECT)
        ):  # 13 天才 送到
            found.append((i, k + 2, phrase + "天才" + kinds[k + 1][1], self._named(kinds[k + 1]), False))
            return k + 1
        if not any(DURATION.match(t) for t in tokens[i : j + 1]):
            return i  # a bare number
        k = j + 1
        late = k < len(tokens) and tokens[k] == "才"  # 13天 才 送到: late
        if (
            (late or k < len(tokens) and kinds[k][0] == _NEG)
            and k + 1 < len(tokens)
            and kinds[k + 1][0] in (_OTHER, _ASPECT)
        ):
            head = "才" if late else tokens[k][0]
            found.append((i, k + 2, phrase + head + kinds[k + 1][1], self._named(kinds[k + 1]), False))
            return k + 1
        back = i - 1
        while back >= 0 and tokens[back] in ("了", "过", "着"):
            back -= 1
        if back >= 0 and tokens[back] in WAIT_VERBS:
            queue = WAIT_VERBS[tokens[back]] == QUEUE  # 排了一上午: the verb names the queue
            found.append((i, j + 1, phrase, WAIT_VERBS[tokens[back]], not queue))
        return j

    def _fused(self, tok: str) -> str:
        """The aspect a fused opinion word names (排长队 → 排队: a word row of the implicit table)."""
        implicit = self.lexicon_.implicit
        return implicit.get(tok, "") if tok not in self.lexicon_.family_of else ""

    def _named(self, kind: tuple[int, str]) -> str:
        """The canonical aspect of a token inside an opinion phrase (5天才 送到 → 配送), or ""."""
        return self.lexicon_.aspect_of.get(kind[1], "") if kind[0] == _ASPECT else ""

    def _span(self, tokens, kinds, s: int, e: int, opinion: str, default: str, implicit: bool, found) -> Span:
        lex = self.lexicon_
        # An aspect the opinion phrase names wins over any aspect near it: 结账 排队 排了 20分钟,
        # 自助收银 要 排长队 (排队); an implied one (等了 → 等待) does not.
        named = default and not implicit and (default == QUEUE or self._fused(tokens[s]))
        a = None if named else self._nearest_aspect(kinds, s, e)
        if a is not None and a < s and self.group(lex.aspect_of.get(kinds[a][1], "")) in lex.agents:
            if e < len(kinds) and kinds[e][0] == _ASPECT and kinds[e][1] not in lex.attributes:
                a = e  # 商家 拒绝 退款: who refuses is not what the complaint is about
        term, aspect = "", ""
        if a is not None:
            term = kinds[a][1]
            if term in lex.attributes:  # 态度 差 → 态度差; the entity before it, if any, is the aspect
                short = next((x for x in lex.attributes if x != term and term.endswith(x)), term)
                joined = short + opinion if a < s else opinion  # 服务态度 差 → 态度差
                entity = self._nearest_aspect(kinds, a, a + 1, attributes=False)
                if entity is not None and entity < a:
                    term, opinion = kinds[entity][1], joined
                elif term not in lex.aspect_of:  # 态度 差 → 态度差 (the implicit table may name 服务员)
                    term, opinion = "", joined
                # else: an attribute that is an aspect too names it: 味道 一般 → (口味, 一般)
            aspect = lex.aspect_of.get(term, "")
        canonical = self.canonical(opinion)
        if aspect or default:  # 停车场 太小 → 难 (by_aspect of opinions.yaml)
            canonical = lex.folded.get((self.group(aspect or default), canonical), canonical)
        if not aspect and default:  # 等了一个小时 → 等待 (implicit), 退不了 → 退款
            return Span(default, "" if implicit else tokens[s], opinion, canonical, implicit, s, e)
        if not aspect and self.guess_aspects:
            term = self._guess(tokens, kinds, s, found)
            aspect = term
        if aspect:
            return Span(aspect, term, opinion, canonical, False, s, e)
        implicit = lex.implicit.get(opinion) or lex.implicit.get(canonical, "")  # 排长队 → 排队
        if implicit:
            canonical = lex.folded.get((self.group(implicit), canonical), canonical)
        return Span(implicit, "", opinion, canonical, bool(implicit), s, e)

    def _nearest_aspect(self, kinds, s: int, e: int, *, attributes: bool = True) -> int | None:
        """Position of the aspect token nearest to tokens[s:e]; one before wins a tie."""
        attrs = self.lexicon_.attributes
        for d in range(1, self.max_distance + 1):
            for p in (s - d, e - 2 + d):  # an aspect after the opinion counts one token further
                if s <= p < e:
                    continue
                if (
                    0 <= p < len(kinds)
                    and kinds[p][0] == _ASPECT
                    and (attributes or kinds[p][1] not in attrs)
                ):
                    return p
        return None

    def _guess(self, tokens, kinds, s: int, found) -> str:
        """The content token right before the opinion (skipping degree words), if noun-like."""
        p = s - 1
        while p >= 0 and kinds[p][0] in (_DEGREE, _SKIP) and len(tokens[p]) == 1:
            p -= 1
        if p < 0 or kinds[p][0] != _OTHER or len(tokens[p]) < 2 or any(a <= p < b for a, b, *_ in found):
            return ""
        return tokens[p]
