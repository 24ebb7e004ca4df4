"""Saving, loading and choosing the sentiment model: a gzipped pickle plus a JSON sidecar (the card).

Plain ``pickle`` (C unpickler, ≈ 0.15 s) rather than ``joblib.load`` (pure-Python unpickler for
this object, ≈ 1.5 s).
"""

from __future__ import annotations

import gzip
import json
import pickle
from datetime import date
from functools import lru_cache
from pathlib import Path

import sklearn

from voc.errors import VocError
from voc.paths import LEXICON_DIR, PROJECT_ROOT

#: The shipped model (built by ``bench/eval_loco.py --build`` / ``voc train``; see its MODEL_CARD.md).
DEFAULT_MODEL = PROJECT_ROOT / "models" / "sentiment" / "sentiment-lr.pkl.gz"


class ModelError(VocError):
    """A model file that cannot be used here, worded as one line."""


def card_path(path: Path) -> Path:
    """The JSON sidecar of a model file: ``model.pkl.gz`` → ``model.json``."""
    path = Path(path)
    return path.with_name(path.name.split(".")[0] + ".json")


def save_model(model, path: Path, *, card: dict) -> None:
    """Write ``model`` (gzipped pickle) and its card (JSON: version, data, metrics, versions, date)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(pickle.dumps(model, protocol=5), compresslevel=6, mtime=0))
    meta = {
        "version": getattr(model, "version_", None),
        "sklearn_version": sklearn.__version__,
        "date": date.today().isoformat(),
        "size_bytes": path.stat().st_size,
        **card,
    }
    card_path(path).write_text(
        json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def read_card(path: Path) -> dict:
    """The JSON sidecar of a model file ({} when it has none)."""
    p = card_path(path)
    return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else {}


def _major_minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def load_model(path: Path):
    """Load a saved model; refuse with one line when it is missing or built by another scikit-learn."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"sentiment model not found: {path}")
    built = read_card(path).get("sklearn_version")
    if built and _major_minor(built) != _major_minor(sklearn.__version__):
        raise ModelError(
            f"{path.name} was built with scikit-learn {built}, this is {sklearn.__version__}: "
            "rebuild it (see models/sentiment/MODEL_CARD.md) or install the matching scikit-learn"
        )
    try:
        model = pickle.loads(gzip.decompress(path.read_bytes()))
    except Exception as exc:  # unpickling errors have many types
        raise ModelError(f"cannot load sentiment model {path}: {type(exc).__name__}: {exc}") from None
    if not hasattr(model, "score") or not hasattr(model, "version_"):
        raise ModelError(f"{path} does not hold a sentiment model")
    return model


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float):
    return load_model(Path(path))


def load_default_scorer(lexicon_dir: Path = LEXICON_DIR, model_path: Path | None = DEFAULT_MODEL):
    """The shipped model when its file is present (loaded once per process), else the lexicon scorer.

    Either has ``.score(token_lists) -> np.ndarray`` in [-1, 1] and a version string
    (``version_`` for the model, :data:`voc.sentiment.MODEL_VERSION` for the scorer).
    """
    if model_path is not None and Path(model_path).is_file():
        p = Path(model_path).resolve()
        return _cached(str(p), p.stat().st_mtime)
    from voc.sentiment import SentimentScorer

    return SentimentScorer.from_lexicons(lexicon_dir)


def scorer_version(scorer) -> str:
    """The version string of a model or of the lexicon scorer."""
    from voc.sentiment import MODEL_VERSION

    return getattr(scorer, "version_", None) or MODEL_VERSION
