"""iCalendar (RFC 5545 / iTIP RFC 5546) for briefings: invitations, updates, cancellations and
the public feed. Each briefing is its own event with a stable UID; a change raises SEQUENCE."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from caunoi.press.models import Briefing

PRODID = "-//caunoi//press briefings//VI"


def _calendar(method: str | None, name: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _event(briefing: Briefing, *, cancel: bool = False, organizer: str = "") -> Event:
    event = Event()
    event.add("uid", briefing.uid)
    event.add("sequence", briefing.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", briefing.starts_at)
    event.add("dtend", briefing.ends_at)
    event.add("summary", briefing.title)
    if briefing.place:
        event.add("location", briefing.place)
    description = "\n\n".join(p for p in (briefing.agenda, briefing.speakers) if p)
    if description:
        event.add("description", description)
    if briefing.planned_at is not None:
        event.add("x-caunoi-planned", briefing.planned_at)
    cancelled = cancel or briefing.cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if organizer:
        address = vCalAddress(f"mailto:{organizer}")
        address.params["cn"] = vText(briefing.unit.name)
        event["organizer"] = address
    return event


def invitation(briefing: Briefing, *, cancel: bool, organizer: str, attendees: list[str]) -> bytes:
    """One briefing as METHOD:REQUEST (invite or update) or METHOD:CANCEL."""
    cal = _calendar("CANCEL" if cancel else "REQUEST")
    event = _event(briefing, cancel=cancel, organizer=organizer)
    for address in attendees:
        attendee = vCalAddress(f"mailto:{address}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def feed(briefings: Iterable[Briefing], *, name: str) -> bytes:
    """The public feed: every briefing, cancelled ones marked so calendars drop them."""
    cal = _calendar("PUBLISH", name)
    for briefing in briefings:
        cal.add_component(_event(briefing))
    data: bytes = cal.to_ical()
    return data
