"""iCalendar rendering of calendar events (a pure function over selector output)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from icalendar import Calendar
from icalendar import Event

from launches.selectors import CalendarEvent


def render_calendar(
    events: Iterable[CalendarEvent], *, name: str, uid_domain: str, base_url: str = ""
) -> bytes:
    """All-day VEVENTs; DTEND is exclusive in iCalendar, so it is the day after the end."""
    calendar = Calendar()
    calendar.add("prodid", "-//Tandem//GTM calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = datetime.now(UTC).replace(microsecond=0)
    for item in events:
        event = Event()
        event.add("uid", f"{item.type}-{item.id}@{uid_domain}")
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        event.add("dtstart", item.start)
        event.add("dtend", item.end + timedelta(days=1))
        event.add("categories", [item.type])
        description = item.detail
        if item.conflict:
            description = f"{description} · CONFLICT: see the GTM calendar".strip(" ·")
        if description:
            event.add("description", description)
        if item.url and base_url:
            event.add("url", f"{base_url.rstrip('/')}{item.url}")
        calendar.add_component(event)
    return calendar.to_ical()
