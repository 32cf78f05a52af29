"""Article search for the portal: one interface over SQLite FTS5 and PostgreSQL full text.

Both search the folded text (caunoi.core.text.fold), so "uy ban" finds "Ủy ban" and "Uỷ ban"
and "duong" finds "đường". Words must all match; the last may be the start of a longer
word, as it is while one types ("giai pho" finds "giải phóng").

The engine finds the matches in the unit's subtree, newest first, and hands back at most
CANDIDATES of them; those are ranked here, the same way on both databases: articles with
more of the words in their title first, then those with the words as a phrase in the title,
then more of the words in the summary, then the newest. (Ranking every match with the
engine's own relevance, bm25 or ts_rank_cd, cost 40 ms to 1 s for a common word at 100k
articles; an office's readers look for recent news, so a broad query ranks its newest
thousand.) On PostgreSQL, when no article has every word, pg_trgm's word similarity over
the same folded text finds near misses ("tiep cong dam" still finds "tiếp công dân");
SQLite has no such fallback.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from caunoi.core.models import Unit
from caunoi.core.text import fold, highlight
from caunoi.publishing.models import Article, ArticleState
from caunoi.publishing.selectors import with_urls

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8


@dataclass(frozen=True)
class Hit:
    article: Article
    title: SafeString
    snippet: SafeString


def query_words(text: str) -> list[str]:
    return _WORD.findall(fold(text))[:MAX_WORDS]


CANDIDATES = 500
# The newest matches are looked for first among the newest WINDOW articles: a common word
# then costs a few thousand rows, not every match in the table. Only when the window holds
# fewer than CANDIDATES matches (rare words, small subtrees: few rows either way) is the
# whole table searched. Either way the result is the same: the newest CANDIDATES matches.
WINDOW = 20 * CANDIDATES
Candidate = tuple[int, str, str, Any]  # id, title, summary, published_at


def _newest_matches(sql: str, params: list[Any], *, window_sql: str = "") -> list[Candidate]:
    """Run `sql` (with a trailing `AND a.id > %s ORDER BY a.id DESC LIMIT %s`) over the
    window of newest articles (`window_sql` if given), then over all of them if the window
    had too few."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM publishing_article")
        newest = cursor.fetchone()[0] or 0
        cursor.execute(window_sql or sql, [*params, newest - WINDOW, CANDIDATES])
        found = list(cursor.fetchall())
        if len(found) < CANDIDATES and newest > WINDOW:
            cursor.execute(sql, [*params, 0, CANDIDATES])
            found = list(cursor.fetchall())
        return found


def _candidates_sqlite(words: list[str], units: list[int]) -> list[Candidate]:
    match = " ".join([*(f'"{w}"' for w in words[:-1]), f'"{words[-1]}"*'])
    marks = ", ".join(["%s"] * len(units))
    sql = f"""
        SELECT a.id, a.title, a.summary, a.published_at FROM publishing_article a
        WHERE a.unit_id IN ({marks}) AND a.state = %s
          AND a.id IN (SELECT rowid FROM publishing_article_fts
                       WHERE publishing_article_fts MATCH %s)
          AND a.id > %s
        ORDER BY a.id DESC LIMIT %s
    """  # noqa: S608 - placeholders only
    return _newest_matches(sql, [*units, ArticleState.PUBLISHED, match])


def _candidates_postgres(words: list[str], units: list[int]) -> tuple[list[Candidate], bool]:
    query = " & ".join([*words[:-1], f"{words[-1]}:*"])
    sql = """
        SELECT a.id, a.title, a.summary, a.published_at FROM publishing_article a
        WHERE a.search_vector @@ to_tsquery('simple', %s)
          AND a.state = %s AND a.unit_id = ANY(%s)
          AND a.id > %s
        ORDER BY a.id DESC LIMIT %s
    """
    # In the window the subtree is a filter on the few rows found, not an index to combine:
    # a province's subtree is every row, and its bitmap cost more than the search.
    window_sql = sql.replace("a.unit_id = ANY", "a.unit_id + 0 = ANY")
    found = _newest_matches(sql, [query, ArticleState.PUBLISHED, units], window_sql=window_sql)
    if found:
        return found, True
    with connection.cursor() as cursor:
        # Nothing has every word: the closest texts by trigram word similarity (pg_trgm).
        phrase = " ".join(words)
        cursor.execute(
            """
            SELECT a.id, a.title, a.summary, a.published_at FROM publishing_article a
            WHERE %s <%% a.search_text AND a.state = %s AND a.unit_id = ANY(%s)
            ORDER BY word_similarity(%s, a.search_text) DESC, a.published_at DESC
            LIMIT %s
            """,
            [phrase, ArticleState.PUBLISHED, units, phrase, MAX_FUZZY],
        )
        return list(cursor.fetchall()), False


MAX_FUZZY = 20


def _latin_key(text: str) -> str:
    """fold() for ranking only, ten times faster: the same for Latin script (Vietnamese
    included); letters of other scripts are dropped, which only costs them rank."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return decomposed.encode("ascii", "ignore").decode()


def _scorer(words: list[str]) -> Callable[[Candidate], tuple[int, bool, int, Any]]:
    starts = [re.compile(r"\b" + re.escape(w)) for w in words]
    phrase = " ".join(words)

    def score(candidate: Candidate) -> tuple[int, bool, int, Any]:
        title, _, summary = _latin_key(f"{candidate[1]} \x00 {candidate[2] or ''}").partition(
            "\x00"
        )
        in_title = sum(1 for s in starts if s.search(title))
        in_summary = sum(1 for s in starts if s.search(summary))
        return in_title, phrase in title, in_summary, candidate[3]

    return score


def ranked_ids(*, unit: Unit, words: list[str], limit: int) -> list[int]:
    """The ids of the best `limit` matches in the unit's subtree, best first."""
    units = list(Unit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))
    if connection.vendor == "postgresql":
        candidates, exact = _candidates_postgres(words, units)
    else:
        candidates, exact = _candidates_sqlite(words, units), True
    if exact:  # near misses keep their order of similarity
        score = _scorer(words)
        scores = {c[0]: score(c) for c in candidates}
        candidates.sort(key=lambda c: (scores[c[0]], c[0]), reverse=True)
    return [c[0] for c in candidates[:limit]]


def _snippet(article: Article, words: list[str], width: int = 220) -> SafeString:
    """A window of the summary (or body text) around the first match, matches marked."""
    text = " ".join((article.summary or strip_tags(article.body)).split())
    folded = fold(text)
    first = min((i for i in (folded.find(w) for w in words) if i >= 0), default=0)
    start = max(0, first - width // 3)
    piece = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return SafeString(prefix + highlight(piece, words) + suffix)


def search_articles(*, unit: Unit, text: str, limit: int = 20) -> list[Hit]:
    """Published articles in the unit's subtree matching every word of `text`, best first."""
    words = query_words(text)
    if not words:
        return []
    ids = ranked_ids(unit=unit, words=words, limit=limit)
    found = {a.pk: a for a in with_urls(Article.objects.filter(pk__in=ids).select_related("unit"))}
    return [
        Hit(
            article=found[pk],
            title=highlight(found[pk].title, words),
            snippet=_snippet(found[pk], words),
        )
        for pk in ids
        if pk in found
    ]
