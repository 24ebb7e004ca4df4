"""Experience layer of a pain point (``DOMAIN.md``): functional, convenience or emotional.

Functional: does it work (坏, 闪退, 难吃, 质量). Convenience: is it easy and fast (慢, 超时, 排队,
麻烦). Emotional: respect, warmth, fairness (态度, 敷衍, 歧视, 不公平, 插队). The words live in
``lexicons/experience_layers.yaml``; the opinion decides first, then the aspect, then the
stage's default layer, else there is none.

>>> infer_layer("服务员", "态度差", "service"), infer_layer("上菜", "太慢", "delivery")
('emotional', 'convenience')
>>> infer_layer("服务员", "不公平", None), infer_layer("东西", "一般", "usage"), infer_layer("", "", None)
('emotional', 'functional', None)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args

from voc.lexicons import fail, read_yaml
from voc.normalize import normalize
from voc.paths import LEXICON_DIR
from voc.records import Layer
from voc.segment import get_segmenter
from voc.stages import load_stages

LAYERS_FILE = "experience_layers.yaml"
#: Tie order when words of several layers occur in one field.
LAYER_ORDER: tuple[Layer, ...] = ("emotional", "functional", "convenience")
assert set(LAYER_ORDER) == set(get_args(Layer))


@dataclass(frozen=True)
class LayerLexicon:
    """The loaded lexicon: word -> layer, and stage key -> default layer."""

    words: dict[str, Layer] = field(default_factory=dict)
    stage_defaults: dict[str, Layer] = field(default_factory=dict)


def load_layers(lexicon_dir: Path = LEXICON_DIR) -> LayerLexicon:
    """``lexicon_dir/experience_layers.yaml``, validated; errors name the file and the key.

    Checked: only the keys ``stage_defaults`` and ``layers``; layer names are the three layers;
    every word is a non-empty string without spaces and listed once in the whole file; every stage
    key exists in ``stages.yaml``.
    """
    path = Path(lexicon_dir) / LAYERS_FILE
    data = read_yaml(path)
    if not isinstance(data, dict) or set(data) != {"stage_defaults", "layers"}:
        raise fail(path, None, "expected exactly the top-level keys 'stage_defaults' and 'layers'")
    return LayerLexicon(_words(path, data["layers"]), _defaults(path, data["stage_defaults"], lexicon_dir))


def _layer(path: Path, where: str, name: Any) -> Layer:
    if name not in LAYER_ORDER:
        raise fail(path, None, f"{where}: unknown layer {name!r} (expected one of {', '.join(LAYER_ORDER)})")
    return name


def _words(path: Path, layers: Any) -> dict[str, Layer]:
    if not isinstance(layers, dict) or not layers:
        raise fail(path, None, "'layers' must map each layer to a list of words")
    words: dict[str, Layer] = {}
    for name, items in layers.items():
        layer = _layer(path, "layers", name)
        if not isinstance(items, list) or not items:
            raise fail(path, None, f"layers.{name}: expected a non-empty list of words")
        for word in items:
            if not isinstance(word, str) or not word.strip() or any(ch.isspace() for ch in word):
                raise fail(path, None, f"layers.{name}: {word!r} must be one word")
            if word in words:
                first = words[word]
                where = "twice" if first == layer else f"also under {first}"
                raise fail(path, None, f"layers.{name}: {word!r} is listed {where} (a word has one layer)")
            words[word] = layer
    return words


def _defaults(path: Path, defaults: Any, lexicon_dir: Path) -> dict[str, Layer]:
    if not isinstance(defaults, dict):
        raise fail(path, None, "'stage_defaults' must map stage keys to layers")
    known = {s.key for s in load_stages(lexicon_dir)}
    out: dict[str, Layer] = {}
    for key, name in defaults.items():
        if key not in known:
            raise fail(
                path, None, f"stage_defaults.{key}: not a stage of stages.yaml ({', '.join(sorted(known))})"
            )
        out[key] = _layer(path, f"stage_defaults.{key}", name)
    return out


class LayerTagger:
    """Infers the experience layer from (aspect, opinion, stage); loaded tables end in ``_``.

    For many pain points build one tagger (``LayerTagger.from_lexicons()``) and call :meth:`infer`.
    """

    def __init__(self, lexicon: LayerLexicon, lexicon_dir: Path = LEXICON_DIR) -> None:
        self.lexicon = lexicon
        self.lexicon_dir = lexicon_dir
        self.words_ = dict(lexicon.words)
        self.stage_defaults_ = dict(lexicon.stage_defaults)
        self.segmenter_ = get_segmenter(lexicon_dir)

    @classmethod
    def from_lexicons(cls, lexicon_dir: Path = LEXICON_DIR) -> LayerTagger:
        return cls(load_layers(lexicon_dir), lexicon_dir)

    def layer_of(self, tokens: Sequence[str]) -> Layer | None:
        """The layer most of the tokens' lexicon words belong to (ties: :data:`LAYER_ORDER`), or None."""
        votes = Counter(self.words_[t] for t in tokens if t in self.words_)
        if not votes:
            return None
        return min(votes, key=lambda layer: (-votes[layer], LAYER_ORDER.index(layer)))

    def infer(self, aspect: str, opinion: str, stage: str | None = None) -> Layer | None:
        """Opinion words first, then aspect words, then the stage's default; None without any."""
        for text in (opinion, aspect):
            if text:
                layer = self.layer_of(self._tokens(text))
                if layer is not None:
                    return layer
        return self.stage_defaults_.get(stage) if stage else None

    def _tokens(self, text: str) -> list[str]:
        text = normalize(text)
        return [text] if text in self.words_ else self.segmenter_.cut(text)


@lru_cache(maxsize=8)
def _tagger(lexicon_dir: Path, _mtime: float) -> LayerTagger:
    return LayerTagger.from_lexicons(lexicon_dir)


def infer_layer(
    aspect: str, opinion: str, stage: str | None, lexicon_dir: Path = LEXICON_DIR
) -> Layer | None:
    """The experience layer of a pain point (aspect, opinion, stage), e.g. ('上菜', '太慢') -> convenience.

    Uses a tagger cached per lexicon folder (reloaded when ``experience_layers.yaml`` changes).
    """
    path = Path(lexicon_dir) / LAYERS_FILE
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return _tagger(Path(lexicon_dir), mtime).infer(aspect, opinion, stage)
