"""Exact Levenshtein distance in plain Python, fast enough for whole documents.

Hyyrö's bit-vector algorithm (a Myers variant) with Python's big integers as the
bit vectors: one pass over the longer text, a handful of integer operations per
character whatever the shorter text's length. Common prefixes and suffixes, which
most edits leave untouched, are stripped first.
"""

from .delta import common_prefix, common_suffix


def _bit_vector_distance(pattern: str, text: str) -> int:
    mask, last = (1 << len(pattern)) - 1, 1 << (len(pattern) - 1)
    peq: dict[str, int] = {}
    for i, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << i)
    pv, mv, score = mask, 0, len(pattern)
    for char in text:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return score


def levenshtein(a: str, b: str) -> int:
    """Return how many code-point insertions, deletions and substitutions turn a into b."""
    prefix = common_prefix(a, b)
    suffix = common_suffix(a[prefix:], b[prefix:])
    a, b = a[prefix:len(a) - suffix], b[prefix:len(b) - suffix]
    if len(a) > len(b):
        a, b = b, a
    if not a:
        return len(b)
    return _bit_vector_distance(a, b)
