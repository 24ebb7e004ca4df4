"""A labeled stage set from the shared restaurant triplets, by mapping aspect terms to stages.

Each sentence is one document. Its gold negative stage pairs are the stages of its NEG triplets'
aspects (``bench/stage_aspects.tsv``; an unlisted aspect is usage when it names food, else none).
Clause-level gold (for per-clause diagnostics and for training the stage model on the train split)
puts each triplet's aspect, or its opinion when the aspect is implicit, in the clause that holds it.
Nothing here is written to the repository: the rows stay in ../shared/data.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from voc.clauses import split_clauses
from voc.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent.parent / "shared" / "data"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/data")
TRIPLETS = SHARED / "restaurant_aspect_triplets.csv"
ASPECT_TABLE = ROOT / "bench" / "stage_aspects.tsv"
#: A dish or drink names the core product: characters that end (or make up) most food words.
FOOD = set(
    "菜肉鱼虾蟹鸡鸭鹅牛羊猪排骨汤面饭粥饼包糕饺粉茶酒奶果豆蛋串丸卷酥蚝贝螺参鲍翅肚肠舌蛙鳗鳝"
    "锅煲堡披萨沙拉寿司刺身甜点心冰淇淋咖啡饮料汁酱料菇笋瓜茄椒葱姜蒜米麦馍馒头馄饨抄手烧烤卤"
    "腩柳扒膀蹄爪头尾皮丝片块条泥羹冻糖布丁挞塔芝士巧克力蛙鸽鹌鹑兔腰肝心蚌蛤蛏鱿墨蚬螃"
)


def load_aspect_table(path: Path = ASPECT_TABLE) -> dict[str, str]:
    """aspect (normalized) -> stage key or "none"."""
    table: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        aspect, sep, stage = line.partition("\t")
        if not sep or not stage.strip():
            raise ValueError(f"{path}:{n}: expected 'aspect<TAB>stage', got {line!r}")
        table[normalize(aspect.strip())] = stage.strip()
    return table


def aspect_stage(aspect: str, table: dict[str, str]) -> str | None:
    """The stage of an aspect term, None when it names no stage."""
    stage = table.get(aspect)
    if stage is None:
        stage = "usage" if aspect[-1:] in FOOD or (aspect and sum(c in FOOD for c in aspect) >= 2) else "none"
    return None if stage == "none" else stage


@dataclass
class GoldDoc:
    doc_id: str
    split: str
    text: str  # as in the corpus (mixed traditional / simplified)
    neg_stages: set[str] = field(default_factory=set)
    #: per clause of the normalized text: {stage or None: polarity set} of the triplets it holds
    clause_gold: list[dict[str | None, set[str]]] = field(default_factory=list)
    neg_clauses: set[int] = field(default_factory=set)  # clauses holding a NEG opinion


def _find(clauses: list[str], needle: str) -> int | None:
    if not needle:
        return None
    for i, c in enumerate(clauses):
        if needle in c:
            return i
    return None


def load_gold(path: Path = TRIPLETS, table: dict[str, str] | None = None) -> list[GoldDoc]:
    """One GoldDoc per sentence of the triplets file, in file order."""
    table = load_aspect_table() if table is None else table
    rows_of: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rows_of[(row["split"], row["sentence_id"])].append(row)
    docs = []
    for (split, sid), rows in rows_of.items():
        doc = GoldDoc(f"{split}-{sid}", split, rows[0]["sentence"])
        clauses = split_clauses(normalize(doc.text))
        doc.clause_gold = [{} for _ in clauses]
        for r in rows:
            aspect = normalize(r["aspect"]) if r["aspect"] != "IMPLICIT" else "IMPLICIT"
            stage = aspect_stage(aspect, table)
            if r["polarity"] == "NEG" and stage:
                doc.neg_stages.add(stage)
            opinion = normalize(r["opinion"])
            where = _find(clauses, aspect) if aspect != "IMPLICIT" else None
            if where is None:
                where = _find(clauses, opinion)
            if where is not None:
                doc.clause_gold[where].setdefault(stage, set()).add(r["polarity"])
            k = _find(clauses, opinion)
            if r["polarity"] == "NEG" and k is not None:
                doc.neg_clauses.add(k)
                if k != where:  # 服务员，态度很差: the opinion's clause complains about the aspect too
                    doc.clause_gold[k].setdefault(stage, set()).add("NEG")
        docs.append(doc)
    return docs
