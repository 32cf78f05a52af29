"""The demo office's Open311 set-up: the province answers for a demo domain, and one API key
with a fixed, published value lets anyone try the API against `caunoi demo` at once.

The key is as public as the demo password (`caunoi demo` prints both); a real office makes its
own with `caunoi apikey create`. Idempotent: a second run changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from caunoi.open311.models import ApiKey, Jurisdiction
from caunoi.open311.services import KEY_PREFIX, jurisdiction_set, key_hash

if TYPE_CHECKING:
    from caunoi.core.demo import DemoContext

# A reserved top-level domain (RFC 2606): it can never be a real office's domain.
DEMO_JURISDICTION = "langson.example"
DEMO_API_KEY = KEY_PREFIX + "demo-langson-2026"  # published, like the demo password
DEMO_KEY_NAME = "Ứng dụng thử (demo)"


def load(context: DemoContext) -> None:
    province = context.province
    if not Jurisdiction.objects.filter(unit=province).exists():
        jurisdiction_set(unit=province, domain=DEMO_JURISDICTION, by=None)
    ApiKey.objects.get_or_create(
        key_hash=key_hash(DEMO_API_KEY),
        defaults={
            "unit": province,
            "name": DEMO_KEY_NAME,
            "prefix": DEMO_API_KEY[: len(KEY_PREFIX) + 6],
        },
    )
