"""A text that follows its own edits and converts byte deltas in time independent of its size.

`units.delta_to_codepoints` is linear in the prefix before an edit: for a 100 KB
non-ASCII text that is ~50-250 µs per edit. A recorder that sees every edit of
one document can keep a TextTracker instead: the text lives in blocks of about
BLOCK code points with their UTF-8 and UTF-16 lengths, so a conversion walks
the block lengths and encodes only the one block the edit touches.
"""

from .delta import DeltaError
from .units import UNKNOWN_UNIT, _beyond, _utf8_span, _utf16_span

BLOCK = 2048
BAD_OP = "delta op {op!r} is not a retain, insert or delete"


def _utf8_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogatepass"))


def _utf16_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-16-le", "surrogatepass")) // 2


class TextTracker:
    """The current text in blocks, with per-block lengths in code points and code units."""

    def __init__(self, text: str = "", block: int = BLOCK):
        self.block = block
        self.blocks = [text[i:i + block] for i in range(0, len(text), block)] or [""]
        self._measure_all()

    def _measure_all(self) -> None:
        self.sizes = {"cp": [len(b) for b in self.blocks],
                      "utf8": [_utf8_len(b) for b in self.blocks],
                      "utf16": [_utf16_len(b) for b in self.blocks]}
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            self._text = "".join(self.blocks)
        return self._text

    def __len__(self) -> int:
        return sum(self.sizes["cp"])

    def to_codepoints(self, delta: list[dict], unit: str = "utf8") -> list[dict]:
        """Return `delta` (counted in `unit`, against the current text) in code points."""
        if unit not in self.sizes:
            raise ValueError(UNKNOWN_UNIT.format(unit=unit))
        sizes, cp_sizes, nblocks = self.sizes[unit], self.sizes["cp"], len(self.blocks)
        span = {"utf8": _utf8_span, "utf16": _utf16_span}.get(unit)
        ops, k, offset, pos = [], 0, 0, 0  # cursor: block k, `offset` in it, `pos` overall
        for op in delta:
            if "insert" in op:
                if not isinstance(op["insert"], str):
                    raise ValueError(BAD_OP.format(op=op))
                if op["insert"]:
                    ops.append({"insert": op["insert"]})
                continue
            key = "retain" if "retain" in op else "delete" if "delete" in op else None
            if key is None:
                raise ValueError(BAD_OP.format(op=op))
            n, cps = op[key], 0
            if offset == 0:  # skip whole blocks on their lengths alone: the usual long retain
                while k < nblocks and sizes[k] <= n:
                    n -= sizes[k]
                    cps += cp_sizes[k]
                    k += 1
            while n > 0:
                if k >= len(self.blocks):
                    raise _beyond(str(self), pos, op[key], _UNIT_NAMES[unit])
                block = self.blocks[k]
                rest = sizes[k] if offset == 0 else _measure(unit, block[offset:])
                if rest <= n:  # the whole rest of this block
                    n -= rest
                    cps += len(block) - offset
                    k, offset = k + 1, 0
                    continue
                step = n if span is None else span(block, offset, n)
                cps, offset, n = cps + step, offset + step, 0
            if cps:
                ops.append({key: cps})
            pos += cps
        return ops

    def apply(self, ops: list[dict]) -> None:
        """Apply a code-point delta to the tracked text."""
        pos = 0
        for op in ops:
            if "retain" in op:
                pos += op["retain"]
            elif "delete" in op:
                self._delete(pos, op["delete"])
            elif "insert" in op:
                self._insert(pos, op["insert"])
                pos += len(op["insert"])
        if pos > len(self):
            raise DeltaError(f"retain to code point {pos} goes beyond the text ({len(self)})")

    def observe(self, delta: list[dict], unit: str = "utf8") -> list[dict]:
        """Convert a delta to code points and apply it: one call per observed change."""
        ops = self.to_codepoints(delta, unit)
        self.apply(ops)
        return ops

    def _locate(self, pos: int) -> tuple[int, int]:
        """Return (block, offset) of code point `pos`; the end of a block, not the next start."""
        for k, size in enumerate(self.sizes["cp"]):
            if pos <= size:
                return k, pos
            pos -= size
        raise DeltaError(f"position beyond the text ({len(self)} code points)")

    def _insert(self, pos: int, value: str) -> None:
        k, offset = self._locate(pos)
        block = self.blocks[k]
        self._replace(k, block[:offset] + value + block[offset:])

    def _delete(self, pos: int, n: int) -> None:
        while n > 0:
            k, offset = self._locate(pos)
            block = self.blocks[k]
            if offset == len(block):
                if k + 1 == len(self.blocks):
                    raise DeltaError(f"delete of {n} at code point {pos} goes beyond the text")
                k, offset, block = k + 1, 0, self.blocks[k + 1]
            take = min(n, len(block) - offset)
            self._replace(k, block[:offset] + block[offset + take:])
            n -= take

    def _replace(self, k: int, block: str) -> None:
        """Store block k's new content, splitting it if large and dropping it if empty."""
        size = self.block
        # Split only well past the size, so typing at a block's end does not shed slivers.
        if len(block) > 2 * size:
            pieces = [block[i:i + size] for i in range(0, len(block), size)]
        else:
            pieces = [block] if block or len(self.blocks) == 1 else []
        self.blocks[k:k + 1] = pieces
        for unit, measure in (("cp", len), ("utf8", _utf8_len), ("utf16", _utf16_len)):
            self.sizes[unit][k:k + 1] = [measure(p) for p in pieces]
        self._text = None


_UNIT_NAMES = {"utf8": "bytes", "utf16": "UTF-16 units", "cp": "code points"}


def _measure(unit: str, s: str) -> int:
    if unit == "utf8":
        return _utf8_len(s)
    return _utf16_len(s) if unit == "utf16" else len(s)
