"""Run the real task worker once, as `caunoi worker --batch` would, inside a test."""

from __future__ import annotations

from django.core.management import call_command


def run_worker() -> None:
    """Run every task that is due now, then return."""
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--queue-name",
        "*",
        "--no-reload",
        verbosity=0,
    )
