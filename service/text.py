"""Text helpers shared by every domain: Vietnamese folding for search and ASCII names."""

from __future__ import annotations

import re
import unicodedata


class _WithoutMarks(dict[int, int | None]):
    """A str.translate table dropping combining marks (category Mn) and đ's stroke, filled as characters are met."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = value
        return value


_WITHOUT_MARKS = _WithoutMarks({ord("Đ"): ord("D"), ord("đ"): ord("d")})


# Neither ASCII nor a combining diacritical mark (U+0300-U+036F, all of category Mn): Vietnamese never needs it.
_NOT_ASCII_NOR_MARK = re.compile("[^\x00-\x7f\u0300-\u036f]")


def fold(text: str) -> str:
    """Lower-case ASCII form of Vietnamese text: 'Mường Tè' -> 'muong te', 'Đoàn Kết' -> 'doan ket'."""
    if not text.isascii():
        text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
        if _NOT_ASCII_NOR_MARK.search(text):  # other scripts, symbols: drop only the marks, keep the rest
            text = text.translate(_WITHOUT_MARKS)
        else:  # Vietnamese: every character past ASCII is a mark
            text = text.encode("ascii", "ignore").decode("ascii")
    return " ".join(text.lower().split())


def ascii_title(text: str) -> str:
    """ASCII form keeping capitals: 'Thị trấn Mường Tè' -> 'Thi tran Muong Te'."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
