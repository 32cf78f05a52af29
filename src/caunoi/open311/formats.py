"""The two shapes GeoReport v2 answers in: XML (required) and JSON (its Spark-convention twin).

Every response is built as plain Python data first (lists of dicts), then written as one or
the other, so both formats always carry the same fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse
from django.utils import timezone

JSON = "json"
XML = "xml"
CONTENT_TYPES = {
    JSON: "application/json; charset=utf-8",
    XML: "text/xml; charset=utf-8",
}
# The element name of each item inside a list, as the spec writes them.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def w3_datetime(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset, as the spec asks: 2026-11-23T19:05:00+07:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(parent: Element, name: str, value: Any) -> None:
    node = SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _fill(node, key, inner)
    elif isinstance(value, list | tuple):
        item = ITEM_NAMES.get(name, "item")
        for inner in value:
            _fill(node, item, inner)
    else:
        node.text = _text(value)


def to_xml(root: str, data: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> bytes:
    """`data` as the spec's XML: a list becomes <root><item>…</item></root>."""
    top = Element(root)
    if isinstance(data, Mapping):
        for key, value in data.items():
            _fill(top, key, value)
    else:
        item = ITEM_NAMES[root]
        for entry in data:
            _fill(top, item, entry)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(top, encoding="unicode").encode()


def respond(
    fmt: str,
    root: str,
    data: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    status: int = 200,
) -> HttpResponse:
    if fmt == JSON:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    else:
        body = to_xml(root, data)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    # Public data (no cookies, no contact details): any web app may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def errors(fmt: str, status: int, descriptions: Iterable[str]) -> HttpResponse:
    """The spec's error list: one {code, description} per problem, code = the HTTP status."""
    listed = [{"code": status, "description": text} for text in descriptions]
    return respond(fmt, "errors", listed, status=status)
