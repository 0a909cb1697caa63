"""Convert text offsets between UTF-8 bytes, UTF-16 code units and code points.

pycrdt reports Text deltas in UTF-8 bytes, browsers' Yjs in UTF-16 code units;
the trajectory counts code points (Python str indices). Every conversion here
walks only the slice of text it needs, and an ASCII text skips the walk.
A caller that follows every edit of one long non-ASCII text can use
tracker.TextTracker instead, whose cost does not grow with the prefix.
"""

from .delta import BAD_OP

UNITS = ("utf8", "utf16", "cp")

OUT_OF_RANGE = "offset {offset} {unit} is beyond the text ({size} {unit})"
INSIDE_CHAR = "offset {offset} {unit} falls inside a character"
UNKNOWN_UNIT = "unknown unit {unit!r}; expected one of utf8, utf16, cp"


def _check_offset(offset: int, size: int, unit: str) -> None:
    if offset < 0 or offset > size:
        raise ValueError(OUT_OF_RANGE.format(offset=offset, unit=unit, size=size))


def utf8_to_cp(text: str, byte_offset: int) -> int:
    """Return the code-point index at a UTF-8 byte offset of `text`."""
    if text.isascii():
        _check_offset(byte_offset, len(text), "bytes")
        return byte_offset
    return _utf8_span(text, 0, byte_offset)


def cp_to_utf8(text: str, cp: int) -> int:
    """Return the UTF-8 byte offset of code-point index `cp` in `text`."""
    _check_offset(cp, len(text), "code points")
    if text.isascii():
        return cp
    return len(text[:cp].encode("utf-8"))


def utf16_to_cp(text: str, units: int) -> int:
    """Return the code-point index at a UTF-16 code-unit offset of `text`."""
    if text.isascii():
        _check_offset(units, len(text), "UTF-16 units")
        return units
    return _utf16_span(text, 0, units)


def cp_to_utf16(text: str, cp: int) -> int:
    """Return the UTF-16 code-unit offset of code-point index `cp` in `text`."""
    _check_offset(cp, len(text), "code points")
    if text.isascii():
        return cp
    return len(text[:cp].encode("utf-16-le")) // 2


def _utf8_span(text: str, start: int, nbytes: int) -> int:
    """Count the code points that the next `nbytes` UTF-8 bytes from `start` cover."""
    if nbytes < 0:
        raise ValueError(OUT_OF_RANGE.format(offset=nbytes, unit="bytes", size=0))
    # A code point takes at least one byte, so the answer lies within this window.
    window = text[start:start + nbytes]
    if window.isascii():
        if len(window) < nbytes:
            raise _beyond(text, start, nbytes, "bytes")
        return nbytes
    encoded = window.encode("utf-8", "surrogatepass")
    if len(encoded) < nbytes:
        raise _beyond(text, start, nbytes, "bytes")
    # The window overshoots by the code points of its encoded tail; decoding only that
    # tail is cheap when few characters are multi-byte, and fails on a split character.
    try:
        return len(window) - len(encoded[nbytes:].decode("utf-8", "surrogatepass"))
    except UnicodeDecodeError:
        raise ValueError(INSIDE_CHAR.format(offset=nbytes, unit="bytes")) from None


def _utf16_span(text: str, start: int, nunits: int) -> int:
    """Count the code points that the next `nunits` UTF-16 units from `start` cover."""
    if nunits < 0:
        raise ValueError(OUT_OF_RANGE.format(offset=nunits, unit="UTF-16 units", size=0))
    window = text[start:start + nunits]
    if window.isascii():
        if len(window) < nunits:
            raise _beyond(text, start, nunits, "UTF-16 units")
        return nunits
    encoded = window.encode("utf-16-le", "surrogatepass")
    if len(encoded) < 2 * nunits:
        raise _beyond(text, start, nunits, "UTF-16 units")
    tail = encoded[2 * nunits:]
    if tail and 0xDC <= tail[1] <= 0xDF:  # a low surrogate: the offset splits a pair
        raise ValueError(INSIDE_CHAR.format(offset=nunits, unit="UTF-16 units"))
    return len(window) - len(tail.decode("utf-16-le", "surrogatepass"))


def _cp_span(text: str, start: int, n: int) -> int:
    if n < 0 or start + n > len(text):
        raise _beyond(text, start, n, "code points")
    return n


def _beyond(text: str, start: int, n: int, unit: str) -> ValueError:
    rest = text[start:]
    if unit == "bytes":
        size = len(rest.encode("utf-8", "surrogatepass"))
    elif unit == "UTF-16 units":
        size = len(rest.encode("utf-16-le", "surrogatepass")) // 2
    else:
        size = len(rest)
    return ValueError(OUT_OF_RANGE.format(offset=n, unit=unit, size=size)
                      + f" after code point {start}")


_SPANS = {"utf8": _utf8_span, "utf16": _utf16_span, "cp": _cp_span}


def delta_to_codepoints(delta: list[dict], text_before: str, unit: str = "utf8") -> list[dict]:
    """Return `delta` with its retain/delete counts converted from `unit` to code points."""
    if unit not in _SPANS:
        raise ValueError(UNKNOWN_UNIT.format(unit=unit))
    # In ASCII text every unit is one code point: only copy, dropping attributes.
    span = _cp_span if text_before.isascii() else _SPANS[unit]
    ops, pos = [], 0
    for op in delta:
        if "insert" in op:
            inserted = op["insert"]
            if not isinstance(inserted, str):
                raise ValueError(BAD_OP.format(op=op))
            if inserted:
                ops.append({"insert": inserted})
            continue
        key = "retain" if "retain" in op else "delete" if "delete" in op else None
        if key is None:
            raise ValueError(BAD_OP.format(op=op))
        n = span(text_before, pos, op[key])
        if n:
            ops.append({key: n})
        pos += n
    return ops
