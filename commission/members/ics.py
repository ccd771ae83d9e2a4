"""The .ics of a meeting invitation (RFC 5545), written by hand: one VEVENT, times in UTC."""

import datetime

from django.conf import settings


def escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545 §3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued by CRLF + space, never cutting a UTF-8 character."""
    pieces, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74  # a continuation line starts with the space
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(meeting, *, agenda: list[str], url: str, now=None) -> str:
    """The invitation's calendar: SUMMARY, LOCATION (or the visio link), agenda in DESCRIPTION."""
    establishment = meeting.commission.establishment
    ends_at = meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes)
    description = "Ordre du jour :\n" + "\n".join(f"- {item}" for item in agenda)
    if not agenda:
        description = "Ordre du jour à venir."
    if meeting.visio_url:
        description += f"\n\nVisioconférence : {meeting.visio_url}"
    description += f"\n\nDans le portail RRUPN : {url}"
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Académie de Limoges//Portail RRUPN//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        # Stable per meeting: a second invitation updates the event instead of doubling it.
        f"UID:commission-reunion-{meeting.pk}@{host}",
        f"SEQUENCE:{meeting.revision}",
        f"DTSTAMP:{utc(now or datetime.datetime.now(datetime.UTC))}",
        f"DTSTART:{utc(meeting.starts_at)}",
        f"DTEND:{utc(ends_at)}",
        "SUMMARY:" + escape(f"Commission numérique — {establishment.name}"),
        "LOCATION:" + escape(meeting.place or "Visioconférence"),
        "DESCRIPTION:" + escape(description),
    ]
    if meeting.visio_url:
        lines.append("URL:" + meeting.visio_url)
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
