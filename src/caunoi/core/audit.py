"""Writing the audit log. Every service that changes something calls `record`."""

from __future__ import annotations

from typing import Any

from django.db import models

from caunoi.core.models import AuditEntry, Unit, User

SYSTEM_ACTOR = "caunoi"


def record(
    action: str,
    *,
    actor: User | None,
    unit: Unit | None = None,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. `action` is a namespaced code such as caunoi.unit.moved."""
    made = entry(action, actor=actor, unit=unit, obj=obj, changes=changes)
    made.save()
    return made


def entry(
    action: str,
    *,
    actor: User | None,
    unit: Unit | None = None,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """The entry `record` appends, not yet saved: for a caller that inserts it with its own
    rows in one statement (core.inserts.insert_together)."""
    return AuditEntry(
        actor=actor,
        actor_label=actor.get_username() if actor is not None else SYSTEM_ACTOR,
        action=action,
        unit=unit,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:250] if obj is not None else "",
        changes=changes or {},
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{"field": [old, new]} for the fields whose value changed."""
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }
