"""Writes of the open311 app: API keys and jurisdictions. Each is atomic and audited."""

from __future__ import annotations

import hashlib
import re
import secrets

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit, User
from caunoi.core.permissions import Action, require
from caunoi.feedback.models import Report
from caunoi.open311.models import ApiKey, Jurisdiction, Submission

KEY_PREFIX = "c311_"
# Writing last_used_at on every request would add a write to each report; once a minute is
# enough to tell a key in use from a forgotten one.
LAST_USED_EVERY = 60
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


class Open311Error(CaunoiError):
    pass


def _check(by: User | None, unit: Unit) -> None:
    if by is not None:  # None is the system itself (the CLI)
        require(by, Action.FEEDBACK_CONFIGURE, unit)


def key_hash(raw: str) -> str:
    """Keys are 32 random bytes, so a plain SHA-256 is as strong as a slow hash and costs
    nothing on each request."""
    return hashlib.sha256(raw.strip().encode()).hexdigest()


@transaction.atomic
def apikey_create(*, unit: Unit, name: str, by: User | None) -> tuple[ApiKey, str]:
    """A new key for `unit`. Returns the key row and the key itself, which is never stored."""
    _check(by, unit)
    name = name.strip()
    if not name:
        raise Open311Error(_("Hãy đặt tên gợi nhớ cho khóa, ví dụ tên ứng dụng dùng nó."))
    if len(name) > 120:
        raise Open311Error(_("Tên gợi nhớ dài quá 120 ký tự; hãy viết ngắn lại."))
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        unit=unit,
        name=name,
        prefix=raw[: len(KEY_PREFIX) + 6],
        key_hash=key_hash(raw),
        created_by=by,
    )
    audit.record("caunoi.apikey.created", actor=by, unit=unit, obj=key, changes={"name": name})
    return key, raw


@transaction.atomic
def apikey_revoke(*, key: ApiKey, by: User | None) -> ApiKey:
    _check(by, key.unit)
    if key.revoked_at is not None:
        raise Open311Error(
            _("Khóa “%(key)s” đã bị thu hồi lúc %(at)s.")
            % {"key": key, "at": timezone.localtime(key.revoked_at).strftime("%Y-%m-%d %H:%M")}
        )
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    audit.record("caunoi.apikey.revoked", actor=by, unit=key.unit, obj=key)
    return key


def apikey_mark_used(key: ApiKey) -> None:
    """Note that a key was used, at most once a minute per key (shared through the cache)."""
    if cache.add(f"caunoi:open311:used:{key.pk}", 1, timeout=LAST_USED_EVERY):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())


def clean_domain(domain: str) -> str:
    cleaned = domain.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")
    if not _DOMAIN.match(cleaned):
        raise Open311Error(
            _("“%(domain)s” không phải là tên miền; hãy nhập dạng xadong.gov.vn.")
            % {"domain": domain}
        )
    return cleaned


@transaction.atomic
def jurisdiction_set(*, unit: Unit, domain: str, by: User | None) -> Jurisdiction:
    """Make `domain` the unit's jurisdiction_id (replacing the one it had)."""
    _check(by, unit)
    cleaned = clean_domain(domain)
    taken = Jurisdiction.objects.filter(domain=cleaned).exclude(unit=unit).select_related("unit")
    other = taken.first()
    if other is not None:
        raise Open311Error(
            _("Tên miền %(domain)s đã thuộc về %(unit)s.") % {"domain": cleaned, "unit": other.unit}
        )
    jurisdiction = Jurisdiction.objects.filter(unit=unit).first()
    before = jurisdiction.domain if jurisdiction is not None else ""
    if jurisdiction is None:
        jurisdiction = Jurisdiction.objects.create(unit=unit, domain=cleaned)
    elif jurisdiction.domain != cleaned:
        jurisdiction.domain = cleaned
        jurisdiction.save(update_fields=["domain"])
    if before != cleaned:
        audit.record(
            "caunoi.jurisdiction.set",
            actor=by,
            unit=unit,
            obj=jurisdiction,
            changes={"domain": [before, cleaned]},
        )
    return jurisdiction


@transaction.atomic
def jurisdiction_remove(*, unit: Unit, by: User | None) -> None:
    _check(by, unit)
    jurisdiction = Jurisdiction.objects.filter(unit=unit).first()
    if jurisdiction is None:
        raise Open311Error(_("%(unit)s chưa có tên miền Open311.") % {"unit": unit})
    audit.record(
        "caunoi.jurisdiction.removed",
        actor=by,
        unit=unit,
        obj=jurisdiction,
        changes={"domain": [jurisdiction.domain, ""]},
    )
    jurisdiction.delete()


@transaction.atomic
def media_url_share(*, report: Report, by: User, public: bool) -> Submission:
    """A handler who has checked the link a 311 app sent publishes it (or stops publishing it)."""
    require(by, Action.REPORT_HANDLE, report.unit)
    submission = Submission.objects.select_for_update().filter(report=report).first()
    if submission is None or not submission.media_url:
        raise Open311Error(_("Phản ánh này không có đường dẫn ảnh từ ứng dụng 311."))
    if submission.media_public != public:
        submission.media_public = public
        submission.save(update_fields=["media_public"])
        audit.record(
            "caunoi.report.media_url_shared" if public else "caunoi.report.media_url_withdrawn",
            actor=by,
            unit=report.unit,
            obj=report,
            changes={"media_url": submission.media_url},
        )
    return submission
