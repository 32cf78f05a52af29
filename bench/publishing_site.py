"""Settings for bench/publishing.py: caunoi's own, plus one bare Django view at /bench/bare
that goes through the same middleware, served by the same `caunoi serve`."""

from caunoi.settings import *  # noqa: F403

ROOT_URLCONF = "publishing_urls"
