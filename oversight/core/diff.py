"""Word and line diffs between two texts, and rows for a two-column view.

A diff is a list of (op, text) with op "equal", "insert" or "delete":
equal + delete segments concatenate to the old text, equal + insert to the new.
"""

import re
from difflib import SequenceMatcher

from diff_match_patch import diff_match_patch

EQUAL, INSERT, DELETE, REPLACE = "equal", "insert", "delete", "replace"
DIFF_KINDS = ("prose", "code")

UNKNOWN_KIND = "unknown diff kind {kind!r}; expected 'prose' or 'code'"

# Words, runs of whitespace, and each other character on its own.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_DMP_OPS = {0: EQUAL, 1: INSERT, -1: DELETE}


def _merge(segments) -> list[tuple[str, str]]:
    """Drop empty segments and merge neighbours with the same op."""
    out: list[tuple[str, str]] = []
    for op, text in segments:
        if not text:
            continue
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return out


def _tokens_to_chars(a: str, b: str) -> tuple[str, str, list[str]]:
    """Encode each distinct token as one character, as dmp does with lines."""
    vocabulary: list[str] = []
    index: dict[str, int] = {}

    def encode(text: str) -> str:
        chars = []
        for token in _TOKEN.findall(text):
            if token not in index:
                index[token] = len(vocabulary)
                vocabulary.append(token)
            chars.append(chr(index[token]))
        return "".join(chars)

    return encode(a), encode(b), vocabulary


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Return the word-level diff of `a` to `b`, cleaned up for human reading."""
    dmp = diff_match_patch()
    # No time limit: with dmp's default (1 s) a busy machine returns a coarser diff,
    # so the same review would show different diffs under load. Token-level input
    # keeps the exact diff affordable.
    dmp.Diff_Timeout = 0
    chars_a, chars_b, vocabulary = _tokens_to_chars(a, b)
    diffs = dmp.diff_main(chars_a, chars_b, False)
    # Clean up on tokens, so no boundary ever falls inside a word.
    dmp.diff_cleanupSemantic(diffs)
    return _merge((_DMP_OPS[op], "".join(vocabulary[ord(c)] for c in chars))
                  for op, chars in diffs)


def line_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Return the line-level diff of `a` to `b`."""
    lines_a, lines_b = a.splitlines(keepends=True), b.splitlines(keepends=True)
    matcher = SequenceMatcher(None, lines_a, lines_b, autojunk=False)
    segments = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == EQUAL:
            segments.append((EQUAL, "".join(lines_a[i1:i2])))
            continue
        segments.append((DELETE, "".join(lines_a[i1:i2])))
        segments.append((INSERT, "".join(lines_b[j1:j2])))
    return _merge(segments)


def diff_for(kind: str, a: str, b: str) -> list[tuple[str, str]]:
    """Return the diff that suits the project kind: words for prose, lines for code."""
    if kind == "prose":
        return word_diff(a, b)
    if kind == "code":
        return line_diff(a, b)
    raise ValueError(UNKNOWN_KIND.format(kind=kind))


def side_by_side(segments: list[tuple[str, str]]) -> list[dict]:
    """Return rows {left, right, op} for a two-column view; a delete then insert pairs up."""
    rows: list[dict] = []
    for op, text in segments:
        previous = rows[-1] if rows else None
        if op == INSERT and previous is not None and previous["op"] == DELETE:
            previous.update(right=text, op=REPLACE)
        elif op == EQUAL:
            rows.append({"left": text, "right": text, "op": EQUAL})
        elif op == DELETE:
            rows.append({"left": text, "right": "", "op": DELETE})
        else:
            rows.append({"left": "", "right": text, "op": INSERT})
    return rows
