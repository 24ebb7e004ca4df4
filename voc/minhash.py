"""MinHash with LSH in numpy: near-duplicate texts among a million without a per-pair Python loop.

Used by :mod:`voc.bursts`. Shingles are character ``k``-grams hashed from UTF-32 code points of all
texts at once; signatures keep the top 16 bits of each minimum, so 4 of them make one uint64 LSH
bucket key and a band is a sort, not a hash table.

>>> texts = ["空气炸锅用了一次就冒烟大家别买", "空气炸锅用了两次就冒烟大家别买", "快递三天还没到"]
>>> sig = signatures(texts, 3, 80, 1)
>>> [(int(a), int(b)) for a, b in zip(*similar_pairs(sig, 0.4))]
[(0, 1)]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

ROWS = 4  # MinHash values per LSH band: 4 x uint16 = one uint64 bucket key, no hashing needed
_CHUNK_SHINGLES = 4_000_000  # shingles hashed at once (≈ 32 MB per uint64 array)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def shingle_hashes(texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every character ``k``-gram, concatenated, and the offset of each text's first.

    Every text needs at least ``k`` characters. Works on the UTF-32 code points of all texts at
    once, so 1M posts cost a few numpy passes, not 1M Python loops.
    """
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    if len(lengths) and lengths.min() < k:
        raise ValueError(f"every text needs at least {k} characters")
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    codes = np.concatenate([codes, np.zeros(k, dtype=np.uint64)])  # padding for the last k-gram
    h = np.zeros(len(codes) - k, dtype=np.uint64)
    for j in range(k):  # polynomial hash of code points c[i..i+k)
        h = h * np.uint64(1_000_003) + codes[j : j + len(h)]
    h = (h ^ (h >> np.uint64(29))) * _MIX
    counts = lengths - k + 1
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    keep = np.repeat(starts, counts) + _ranks(counts)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return h[keep], offsets


def _ranks(counts: np.ndarray) -> np.ndarray:
    """0, 1, .., c-1 for each count c, concatenated."""
    total = int(counts.sum())
    firsts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return np.arange(total, dtype=np.int64) - np.repeat(firsts, counts)


def minhash(hashes: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """``(n_texts, num_perm)`` uint16 MinHash signatures (the top 16 bits of 32-bit minima).

    Each permutation is a multiply-shift hash of the shingle hash; texts without shingles must not be
    passed (``offsets`` strictly increasing).
    """
    rng = np.random.default_rng(seed)
    xors = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    mults = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    n = len(offsets) - 1
    sig = np.empty((n, num_perm), dtype=np.uint16)
    lo = 0
    while lo < n:  # texts in chunks of about _CHUNK_SHINGLES shingles
        hi = int(np.searchsorted(offsets, offsets[lo] + _CHUNK_SHINGLES, side="right")) - 1
        hi = min(max(hi, lo + 1), n)
        part = hashes[offsets[lo] : offsets[hi]]
        starts = offsets[lo:hi] - offsets[lo]
        for p in range(num_perm):
            v = ((part ^ xors[p]) * mults[p]) >> np.uint64(48)
            sig[lo:hi, p] = np.minimum.reduceat(v, starts)
        lo = hi
    return sig


def signatures(texts: Sequence[str], k: int, num_perm: int, seed: int, chunk: int = 100_000) -> np.ndarray:
    """MinHash signatures of ``texts`` (each ≥ ``k`` characters), ``chunk`` texts at a time so the
    shingle arrays of 1M posts never exist at once."""
    parts = [
        minhash(*shingle_hashes(texts[lo : lo + chunk], k), num_perm, seed)
        for lo in range(0, len(texts), chunk)
    ]
    return np.concatenate(parts) if parts else np.empty((0, num_perm), dtype=np.uint16)


def similar_pairs(sig: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(a, b)`` of rows whose signatures agree on ≥ ``threshold`` of their values.

    Candidates come from LSH bands: rows sharing all 4 values of a band are linked to the first
    row of that bucket (a star, not all pairs: a bucket of 10k copies makes 10k candidates, not 50M).
    """
    n, num_perm = sig.shape
    keys = np.ascontiguousarray(sig).view(np.uint64)  # (n, bands): 4 uint16 per key
    pairs = []  # head * n + member, one int64 per candidate pair
    for band in range(keys.shape[1]):
        order = np.argsort(keys[:, band], kind="stable")
        sk = keys[order, band]
        new = np.concatenate([[True], sk[1:] != sk[:-1]])
        head = order[np.maximum.accumulate(np.where(new, np.arange(n), 0))]
        pairs.append(head[~new].astype(np.int64) * n + order[~new])
    pair = np.unique(np.concatenate(pairs)) if pairs else np.empty(0, np.int64)
    a, b = pair // n, pair % n
    keep = np.zeros(len(a), dtype=bool)
    for lo in range(0, len(a), 200_000):  # verify in chunks: pairs x num_perm booleans
        sl = slice(lo, lo + 200_000)
        keep[sl] = (sig[a[sl]] == sig[b[sl]]).mean(axis=1) >= threshold
    return a[keep], b[keep]


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Group label of each of ``n`` rows, joined by the pairs (connected components)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    return connected_components(graph, directed=False)[1]
