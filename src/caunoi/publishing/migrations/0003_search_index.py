"""The search index over Article.search_text (already folded by caunoi.core.text.fold).

SQLite: an FTS5 table kept in step by triggers, tokenizer unicode61 with diacritics removed.
PostgreSQL: a GIN index on the 'simple' text-search vector of the folded column.
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE VIRTUAL TABLE publishing_article_fts USING fts5(
        search_text, content='publishing_article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER publishing_article_fts_ai AFTER INSERT ON publishing_article BEGIN
        INSERT INTO publishing_article_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER publishing_article_fts_ad AFTER DELETE ON publishing_article BEGIN
        INSERT INTO publishing_article_fts(publishing_article_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER publishing_article_fts_au AFTER UPDATE OF search_text ON publishing_article
    BEGIN
        INSERT INTO publishing_article_fts(publishing_article_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO publishing_article_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    "INSERT INTO publishing_article_fts(publishing_article_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS publishing_article_fts_au",
    "DROP TRIGGER IF EXISTS publishing_article_fts_ad",
    "DROP TRIGGER IF EXISTS publishing_article_fts_ai",
    "DROP TABLE IF EXISTS publishing_article_fts",
]
POSTGRES_UP = [
    """CREATE INDEX publishing_article_search_idx ON publishing_article
       USING GIN (to_tsvector('simple', search_text))""",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS publishing_article_search_idx"]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("publishing", "0002_search_text")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
