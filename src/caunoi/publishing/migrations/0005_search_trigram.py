"""PostgreSQL: pg_trgm over the folded search text, for words inside words and misspellings
(the search falls back to trigram similarity when full-text search finds nothing).
SQLite keeps FTS5 alone."""

from django.db import migrations

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX IF NOT EXISTS publishing_article_trgm_idx ON publishing_article
       USING GIN (search_text gin_trgm_ops)""",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS publishing_article_trgm_idx"]


def _run(statements):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("publishing", "0004_media_topics_corrections_reshares")]

    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]
