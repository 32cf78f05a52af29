"""Errors a person can cause and fix. Views turn them into messages, the CLI into one line."""

from __future__ import annotations


class CaunoiError(Exception):
    """Base of the domain errors: the message says what is wrong and what to do."""


class RowError:
    """One problem on one line of an uploaded file."""

    __slots__ = ("line", "message")

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"

    def __repr__(self) -> str:
        return f"RowError({self.line!r}, {self.message!r})"


class ImportRejected(CaunoiError):
    """A file had errors; nothing from it was written."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))
