"""Vietnamese text: one folding function for every search in caunoi.

fold() makes "Ủy ban", "Uỷ ban", "UY BAN" and "uy ban" the same key, and "đường" → "duong".
SQLite's LIKE and lower() only fold ASCII, so every search compares folded text.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

_D = str.maketrans({"đ": "d", "Đ": "d"})
_SPACES = re.compile(r"\s+")


def _fold_slowly(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare)


# Every lower-case Latin letter with marks (Latin-1 to Latin Extended Additional, where all
# of Vietnamese lies) mapped to its folded form once, so most text folds in one translate().
_LATIN = str.maketrans(
    {
        chr(code): _fold_slowly(chr(code).lower())
        for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
        if chr(code).lower() == chr(code) and _fold_slowly(chr(code)) != chr(code)
    }
)


def fold(text: str) -> str:
    """NFC, lower case, no combining marks, đ → d, single spaces."""
    text = unicodedata.normalize("NFC", text).lower().translate(_LATIN)
    if not text.isascii():  # marks the table does not know (other scripts, stray marks)
        text = _fold_slowly(text)
    return _SPACES.sub(" ", text).strip()


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = fold(ch)
    return folded[:1] if folded else (" " if ch.isspace() else "")


_ESCAPES = {ch: str(escape(ch)) for ch in "<>&\"'"}


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text`, HTML-escaped, with every folded match of a folded term wrapped in <mark>."""
    chars = [_fold_char(ch) for ch in text]
    folded, owner = "", []  # owner[i]: index in `text` of the i-th folded character
    for index, piece in enumerate(chars):
        if piece:
            folded += piece
            owner.append(index)
    marked = [False] * len(text)
    for term in {t for t in terms if t}:
        start = folded.find(term)
        while start != -1:
            for i in range(start, start + len(term)):
                marked[owner[i]] = True
            start = folded.find(term, start + len(term))
    out, inside = [], False
    for index, ch in enumerate(text):
        if marked[index] != inside:
            out.append("<mark>" if marked[index] else "</mark>")
            inside = marked[index]
        out.append(_ESCAPES.get(ch, ch))
    if inside:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every character above is escaped


def slug_for(text: str) -> str:
    """A URL slug from any name: "Phường Hoàn Kiếm" → "phuong-hoan-kiem"."""
    return slugify(fold(text))


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Phone numbers: 8 to 15 digits, optionally with +, spaces, dots, dashes or brackets between.
_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s.\-()]*\d){7,14}(?![\w])")


def mask_contacts(text: str) -> str:
    """Public text with e-mail addresses and phone numbers hidden: "0912 345 678" → "09…78"."""

    def phone(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return f"{digits[:2]}…{digits[-2:]}"

    def address(match: re.Match[str]) -> str:
        local, _, domain = match.group(0).partition("@")
        return f"{local[:1]}…@{domain}"

    return _PHONE.sub(phone, _EMAIL.sub(address, text))
