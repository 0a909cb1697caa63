"""The one block text: a text edited in place by many deltas, and converting their units.

Applying 500 small deltas to a 100 KB string with apply_ops copies it 500 times
(~40 ms when it holds emoji); here the text lives in blocks of about BLOCK code
points, each edit rewrites one block and the text is joined once when read. The
replay (`core.replay`), the import check and the editor's recorder all use it.

`units.delta_to_codepoints` is linear in the prefix before an edit: for a 100 KB
non-ASCII text that is ~50-250 µs per edit. A recorder that sees every edit of one
document converts with `to_codepoints`/`observe` instead: each block's length in
UTF-8 bytes or UTF-16 units is kept once that unit is first asked for, so a
conversion walks the block lengths and encodes only the one block the edit touches
(and a replay, which never converts, measures nothing).
"""

from .delta import (
    BAD_OP,
    DELETE_BEYOND,
    RETAIN_BEYOND,
    DeltaError,
    _count,
    _inserted,
    _op_kind,
)
from .units import UNKNOWN_UNIT, _beyond, _utf8_span, _utf16_span

BLOCK = 2048


def _utf8_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogatepass"))


def _utf16_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-16-le", "surrogatepass")) // 2


_MEASURES = {"cp": len, "utf8": _utf8_len, "utf16": _utf16_len}
_SPANS = {"utf8": _utf8_span, "utf16": _utf16_span}
_UNIT_NAMES = {"utf8": "bytes", "utf16": "UTF-16 units", "cp": "code points"}


class TextTracker:
    """The current text in blocks, with per-block lengths in code points (and code units)."""

    def __init__(self, text: str = "", block: int = BLOCK):
        self.block = block
        self.blocks = [text[i:i + block] for i in range(0, len(text), block)] or [""]
        # Code points always; a code unit from the first conversion in it on.
        self.sizes = {"cp": [len(b) for b in self.blocks]}
        self.length = len(text)
        self._text: str | None = text

    def __str__(self) -> str:
        if self._text is None:
            self._text = "".join(self.blocks)
        return self._text

    def __len__(self) -> int:
        return self.length

    def _sizes(self, unit: str) -> list[int]:
        if unit not in _MEASURES:
            raise ValueError(UNKNOWN_UNIT.format(unit=unit))
        if unit not in self.sizes:
            self.sizes[unit] = [_MEASURES[unit](b) for b in self.blocks]
        return self.sizes[unit]

    def to_codepoints(self, delta: list[dict], unit: str = "utf8") -> list[dict]:
        """Return `delta` (counted in `unit`, against the current text) in code points."""
        sizes, cp_sizes, nblocks = self._sizes(unit), self.sizes["cp"], len(self.blocks)
        span = _SPANS.get(unit)
        ops, k, offset, pos = [], 0, 0, 0  # cursor: block k, `offset` in it, `pos` overall
        for op in delta:
            if "insert" in op:
                if not isinstance(op["insert"], str):
                    raise DeltaError(BAD_OP.format(op=op))
                if op["insert"]:
                    ops.append({"insert": op["insert"]})
                continue
            key = "retain" if "retain" in op else "delete" if "delete" in op else None
            if key is None:
                raise DeltaError(BAD_OP.format(op=op))
            n, cps = op[key], 0
            if offset == 0:  # skip whole blocks on their lengths alone: the usual long retain
                while k < nblocks and sizes[k] <= n:
                    n -= sizes[k]
                    cps += cp_sizes[k]
                    k += 1
            while n > 0:
                if k >= nblocks:
                    raise _beyond(str(self), pos, op[key], _UNIT_NAMES[unit])
                block = self.blocks[k]
                rest = sizes[k] if offset == 0 else _MEASURES[unit](block[offset:])
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
        """Apply a code-point delta; raise DeltaError (text unchanged) if it does not fit."""
        self._check(ops)
        pos = 0
        for op in ops:
            if "retain" in op:
                pos += op["retain"]
            elif "delete" in op:
                self._delete(pos, op["delete"])
            else:
                self._insert(pos, op["insert"])
                pos += len(op["insert"])

    def observe(self, delta: list[dict], unit: str = "utf8") -> list[dict]:
        """Convert a delta to code points and apply it: one call per observed change."""
        ops = self.to_codepoints(delta, unit)
        self.apply(ops)
        return ops

    def _check(self, ops: list[dict]) -> None:
        """Validate the whole delta first, so a bad one leaves the text as it was."""
        pos = 0
        for op in ops:
            kind = _op_kind(op)
            if kind == "insert":
                _inserted(op)
                continue
            n = _count(op, kind)
            if pos + n > self.length:
                template = RETAIN_BEYOND if kind == "retain" else DELETE_BEYOND
                raise DeltaError(template.format(n=n, pos=pos, size=self.length))
            pos += n  # retains and deletes both walk the text as it was

    def _locate(self, pos: int) -> tuple[int, int]:
        """Return (block, offset) of `pos`; a block's end rather than the next block's start."""
        sizes, k = self.sizes["cp"], 0
        while pos > sizes[k]:
            pos -= sizes[k]
            k += 1
        return k, pos

    def _insert(self, pos: int, value: str) -> None:
        k, offset = self._locate(pos)
        block = self.blocks[k]
        self._store(k, "".join((block[:offset], value, block[offset:])))
        self.length += len(value)

    def _delete(self, pos: int, n: int) -> None:
        self.length -= n
        while n:
            k, offset = self._locate(pos)
            if offset == self.sizes["cp"][k]:
                k, offset = k + 1, 0
            block = self.blocks[k]
            take = min(n, len(block) - offset)
            self._store(k, "".join((block[:offset], block[offset + take:])))
            n -= take

    def _store(self, k: int, block: str) -> None:
        """Put block k back, split when it grew well past the size, dropped when empty."""
        # Split only well past the size, so typing at a block's end does not shed slivers.
        if len(block) > 2 * self.block:
            pieces = [block[i:i + self.block] for i in range(0, len(block), self.block)]
        else:
            pieces = [block] if block or len(self.blocks) == 1 else []
        self.blocks[k:k + 1] = pieces
        for unit, sizes in self.sizes.items():
            sizes[k:k + 1] = [_MEASURES[unit](p) for p in pieces]
        self._text = None
