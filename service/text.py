"""Text helpers shared by every domain: Vietnamese folding for search and ASCII names."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case ASCII form of Vietnamese text: 'Mường Tè' -> 'muong te', 'Đoàn Kết' -> 'doan ket'."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def ascii_title(text: str) -> str:
    """ASCII form keeping capitals: 'Thị trấn Mường Tè' -> 'Thi tran Muong Te'."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
