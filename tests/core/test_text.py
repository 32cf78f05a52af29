import unicodedata

import pytest

from caunoi.core.text import fold, slug_for


@pytest.mark.parametrize(
    ("old", "new"),
    [("hoà", "hòa"), ("thuý", "thúy"), ("uỷ", "ủy"), ("Hoà Bình", "Hòa Bình"), ("khoẻ", "khỏe")],
)
def test_it_folds_old_and_new_tone_placement_to_the_same_key(old: str, new: str) -> None:
    assert fold(old) == fold(new)


def test_it_folds_decomposed_input_like_composed() -> None:
    composed = "Ủy ban nhân dân xã Đình Lập"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert fold(decomposed) == fold(composed) == "uy ban nhan dan xa dinh lap"


def test_it_folds_capitals_and_d_with_stroke() -> None:
    assert fold("ĐƯỜNG") == "duong"
    assert fold("đường Trần Hưng Đạo") == "duong tran hung dao"


def test_it_folds_mixed_text_and_collapses_spaces() -> None:
    assert fold("  Phố  Lê Lợi,\tsố 12 — ĐT 0912 ") == "pho le loi, so 12 — dt 0912"


def test_it_leaves_plain_ascii_lower_case() -> None:
    assert fold("Uy Ban") == "uy ban"


def test_slug_is_ascii_and_readable() -> None:
    assert slug_for("Phường Hoàn Kiếm") == "phuong-hoan-kiem"
    assert slug_for("Xã Đình Lập") == "xa-dinh-lap"


def test_phone_numbers_and_e_mail_addresses_are_masked_in_public_text() -> None:
    from caunoi.core.text import mask_contacts

    masked = mask_contacts("Gọi 0912 345 678 hoặc +84 912.345.678, thư an.nguyen@example.vn nhé")
    assert "345" not in masked
    assert "an.nguyen" not in masked
    assert "09…78" in masked
    assert "a…@example.vn" in masked
    assert mask_contacts("Đường 3/2 dài 1200 m, năm 2025") == "Đường 3/2 dài 1200 m, năm 2025"


def _fold_by_the_book(text: str) -> str:
    """fold() as its docstring says, one step at a time (the reference for its fast path)."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFC", text).lower().replace("đ", "d")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", bare)).strip()


def test_the_fast_fold_agrees_with_the_definition_on_every_latin_letter_and_mixtures() -> None:
    import random

    letters = [
        chr(c)
        for c in [
            *range(0x20, 0x250),
            *range(0x300, 0x400),
            *range(0x1E00, 0x1F00),
            *[0x130, 0x1E9E, 0x2160, 0xFB01, 0x3A3, 0x0410],
        ]
    ]
    for letter in letters:
        assert fold(letter) == _fold_by_the_book(letter), repr(letter)
    rng = random.Random(5)
    for _ in range(5000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(1, 12)))
        assert fold(text) == _fold_by_the_book(text), repr(text)
    assert fold("Tiếng Việt  ĐƯỜNG Σ̃ ἄλφα") == _fold_by_the_book("Tiếng Việt  ĐƯỜNG Σ̃ ἄλφα")
