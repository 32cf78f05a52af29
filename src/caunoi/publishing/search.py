"""Article search for the portal: one interface over SQLite FTS5 and PostgreSQL full text.

Both search the folded text (caunoi.core.text.fold), so "uy ban" finds "Ủy ban" and "Uỷ ban"
and "duong" finds "đường". Words must all match (a word may be the start of a longer word);
results are ranked by the engine's relevance, then by date. On PostgreSQL, when no article
has every word, pg_trgm's word similarity over the same folded text finds near misses
("tiep cong dam" still finds "tiếp công dân"); SQLite has no such fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def _ids_sqlite(words: list[str], unit: Unit, limit: int) -> list[int]:
    match = " ".join(f'"{w}"*' for w in words)
    sql = """
        SELECT a.id FROM publishing_article_fts f
        JOIN publishing_article a ON a.id = f.rowid
        JOIN core_unit u ON u.id = a.unit_id
        WHERE publishing_article_fts MATCH %s AND a.state = %s AND u.path LIKE %s
        ORDER BY bm25(publishing_article_fts), a.published_at DESC LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, ArticleState.PUBLISHED, f"{unit.path}%", limit])
        return [row[0] for row in cursor.fetchall()]


def _ids_postgres(words: list[str], unit: Unit, limit: int) -> list[int]:
    query = " & ".join(f"{w}:*" for w in words)
    sql = """
        SELECT a.id FROM publishing_article a
        JOIN core_unit u ON u.id = a.unit_id
        WHERE to_tsvector('simple', a.search_text) @@ to_tsquery('simple', %s)
          AND a.state = %s AND u.path LIKE %s
        ORDER BY ts_rank_cd(to_tsvector('simple', a.search_text), to_tsquery('simple', %s)) DESC,
                 a.published_at DESC
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, ArticleState.PUBLISHED, f"{unit.path}%", query, limit])
        found = [row[0] for row in cursor.fetchall()]
        if found:
            return found
        # Nothing has every word: the closest texts by trigram word similarity (pg_trgm).
        phrase = " ".join(words)
        cursor.execute(
            """
            SELECT a.id FROM publishing_article a
            JOIN core_unit u ON u.id = a.unit_id
            WHERE %s <%% a.search_text AND a.state = %s AND u.path LIKE %s
            ORDER BY word_similarity(%s, a.search_text) DESC, a.published_at DESC
            LIMIT %s
            """,
            [phrase, ArticleState.PUBLISHED, f"{unit.path}%", phrase, limit],
        )
        return [row[0] for row in cursor.fetchall()]


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
    finder = _ids_postgres if connection.vendor == "postgresql" else _ids_sqlite
    ids = finder(words, unit, limit)
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
