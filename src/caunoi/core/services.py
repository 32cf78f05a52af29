"""Writes to units, people and roles. Each is atomic, checks permission, and is audited."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.models import Role, RoleName, Unit, UnitKind, User
from caunoi.core.permissions import Action, forget_roles, require
from caunoi.core.text import slug_for


class UnitError(CaunoiError):
    pass


class PersonError(CaunoiError):
    pass


def _check(by: User | None, action: Action, unit: Unit) -> None:
    # `by=None` is the system itself (CLI, demo loader, a task acting for nobody).
    if by is not None:
        require(by, action, unit)


# Path segments the portal uses under a unit's address; no unit may take them as its slug.
RESERVED_SLUGS = {"tin-tuc", "bai", "tim-kiem", "canh-bao", "chu-de"}


def free_slug(parent: Unit | None, wanted: str, *, exclude: Unit | None = None) -> str:
    siblings = (
        Unit.objects.get_children(parent) if parent is not None else Unit.objects.get_root_nodes()
    )
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    taken = set(siblings.filter(slug__startswith=wanted).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, n = wanted, 2
    while slug in taken:
        slug, n = f"{wanted}-{n}", n + 1
    return slug


def _validate_unit_fields(*, name: str, kind: str, code: str | None) -> None:
    if not name.strip():
        raise UnitError(_("Tên đơn vị không được để trống."))
    if kind not in UnitKind.values:
        raise UnitError(
            _("Loại đơn vị “%(kind)s” không hợp lệ; dùng một trong: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(UnitKind.values)}
        )
    if code and Unit.objects.filter(code=code).exists():
        raise UnitError(_("Mã “%(code)s” đã được dùng cho đơn vị khác.") % {"code": code})


@transaction.atomic
def unit_create(
    *,
    parent: Unit | None,
    name: str,
    kind: str,
    code: str | None = None,
    slug: str | None = None,
    by: User | None,
) -> Unit:
    if parent is None:
        if by is not None and not by.is_superuser:
            raise UnitError(_("Chỉ quản trị hệ thống mới tạo được đơn vị cấp cao nhất."))
    else:
        _check(by, Action.UNIT_CHANGE, parent)
    code = (code or "").strip() or None
    _validate_unit_fields(name=name, kind=kind, code=code)
    fields = {
        "name": name.strip(),
        "kind": kind,
        "code": code,
        "slug": free_slug(parent, slug_for(slug or name) or "don-vi"),
    }
    unit: Unit = (
        Unit.objects.add_child(parent, fields)
        if parent is not None
        else Unit.objects.add_root(fields)
    )
    audit.record(
        "caunoi.unit.created",
        actor=by,
        unit=unit,
        obj=unit,
        changes={k: [None, v] for k, v in fields.items()},
    )
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, name: str, kind: str, code: str | None, by: User | None) -> Unit:
    _check(by, Action.UNIT_CHANGE, unit)
    code = (code or "").strip() or None
    if not name.strip():
        raise UnitError(_("Tên đơn vị không được để trống."))
    if kind not in UnitKind.values:
        raise UnitError(_("Loại đơn vị không hợp lệ."))
    if code and Unit.objects.filter(code=code).exclude(pk=unit.pk).exists():
        raise UnitError(_("Mã “%(code)s” đã được dùng cho đơn vị khác.") % {"code": code})
    before = {"name": unit.name, "kind": unit.kind, "code": unit.code}
    unit.name, unit.kind, unit.code = name.strip(), kind, code
    unit.save()
    changes = audit.diff(before, {"name": unit.name, "kind": unit.kind, "code": unit.code})
    if changes:
        audit.record("caunoi.unit.updated", actor=by, unit=unit, obj=unit, changes=changes)
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit, by: User | None) -> Unit:
    """Put `unit` (with its subtree, people and figures) under `new_parent`."""
    old_parent = Unit.objects.get_parent(unit)
    # Moving changes the old parent's subtree too, so it must be inside the mover's reach.
    _check(by, Action.UNIT_CHANGE, unit)
    _check(by, Action.UNIT_CHANGE, new_parent)
    if old_parent is not None:
        _check(by, Action.UNIT_CHANGE, old_parent)
    elif by is not None and not by.is_superuser:
        raise UnitError(_("Chỉ quản trị hệ thống mới chuyển được đơn vị cấp cao nhất."))
    if new_parent.is_within(unit):
        raise UnitError(
            _("Không thể chuyển “%(unit)s” vào chính nó hoặc một đơn vị cấp dưới của nó.")
            % {"unit": unit.name}
        )
    if old_parent is not None and old_parent.pk == new_parent.pk:
        return unit
    slug = free_slug(new_parent, unit.slug, exclude=unit)
    if slug != unit.slug:
        Unit.objects.filter(pk=unit.pk).update(slug=slug)
    Unit.objects.move(unit, new_parent, pos="last-child")
    moved = Unit.objects.get(pk=unit.pk)
    audit.record(
        "caunoi.unit.moved",
        actor=by,
        unit=moved,
        obj=moved,
        changes={"parent": [old_parent.name if old_parent else None, new_parent.name]},
    )
    if by is not None:
        forget_roles(by)
    return moved


def _check_manages(by: User | None, person: User) -> None:
    """Managing a person needs the right on every unit they hold a role on; someone with no
    role at all belongs to no unit admin, so only a system administrator may touch them."""
    if by is None or by.is_superuser:
        return
    roles = list(person.roles.select_related("unit"))
    if not roles:
        raise PermissionDenied(f"person {person.pk} holds no role")
    for role in roles:
        require(by, Action.PERSON_MANAGE, role.unit)


def _validated_password(password: str, user: User) -> str:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise PersonError(" ".join(error.messages)) from None
    return password


@transaction.atomic
def person_create(
    *,
    username: str,
    full_name: str,
    email: str,
    password: str,
    unit: Unit,
    role: str,
    by: User | None,
) -> User:
    """Create a member of staff with a first role on `unit`."""
    _check(by, Action.PERSON_MANAGE, unit)
    username = username.strip()
    if not username:
        raise PersonError(_("Tên đăng nhập không được để trống."))
    if User.objects.filter(username__iexact=username).exists():
        raise PersonError(
            _("Tên đăng nhập “%(username)s” đã được dùng; hãy chọn tên khác.")
            % {"username": username}
        )
    if role not in RoleName.values:
        raise PersonError(_("Vai trò không hợp lệ."))
    user = User(username=username, full_name=full_name.strip(), email=email.strip())
    user.set_password(_validated_password(password, user))
    user.save()
    audit.record(
        "caunoi.person.created",
        actor=by,
        unit=unit,
        obj=user,
        changes={"username": [None, username], "full_name": [None, user.full_name]},
    )
    role_grant(user=user, unit=unit, name=role, by=by)
    return user


@transaction.atomic
def role_grant(*, user: User, unit: Unit, name: str, by: User | None) -> Role:
    _check(by, Action.PERSON_MANAGE, unit)
    if name not in RoleName.values:
        raise PersonError(_("Vai trò không hợp lệ."))
    try:
        with transaction.atomic():
            role = Role.objects.create(user=user, unit=unit, name=name)
    except IntegrityError:
        raise PersonError(
            _("%(person)s đã có vai trò này ở %(unit)s.") % {"person": user, "unit": unit}
        ) from None
    audit.record(
        "caunoi.role.granted",
        actor=by,
        unit=unit,
        obj=user,
        changes={"role": [None, name], "unit": [None, unit.name]},
    )
    forget_roles(user)
    return role


@transaction.atomic
def role_revoke(*, role: Role, by: User | None) -> None:
    _check(by, Action.PERSON_MANAGE, role.unit)
    audit.record(
        "caunoi.role.revoked",
        actor=by,
        unit=role.unit,
        obj=role.user,
        changes={"role": [role.name, None], "unit": [role.unit.name, None]},
    )
    role.delete()
    forget_roles(role.user)


@transaction.atomic
def person_set_active(*, user: User, active: bool, by: User | None) -> User:
    """Turn a person's access off or on."""
    _check_manages(by, user)
    if by is not None and by.pk == user.pk:
        raise PersonError(_("Bạn không thể tự khoá tài khoản của mình."))
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        first = user.roles.select_related("unit").first()
        audit.record(
            "caunoi.person.activated" if active else "caunoi.person.deactivated",
            actor=by,
            unit=first.unit if first else None,
            obj=user,
            changes={"is_active": [not active, active]},
        )
    return user


@transaction.atomic
def person_set_password(*, user: User, password: str, by: User | None) -> User:
    _check_manages(by, user)
    user.set_password(_validated_password(password, user))
    user.save(update_fields=["password"])
    # A new password is the way out of a lock-out: lift it for this login name.
    from axes.utils import reset as axes_reset

    axes_reset(username=user.get_username())
    first = user.roles.select_related("unit").first()
    audit.record(
        "caunoi.person.password_set", actor=by, unit=first.unit if first else None, obj=user
    )
    return user


def language_set(*, user: User, language: str) -> None:
    """A person's own choice of language; not audited (it is no one else's business)."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
