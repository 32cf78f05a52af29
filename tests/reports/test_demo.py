"""The demo office's report roll-ups agree with its raw data, so `caunoi reports check` is
quiet on a fresh demo."""

from __future__ import annotations

import pytest

from caunoi.core.demo import load_demo
from caunoi.reports.check import FIRST_DAY, differences


@pytest.mark.django_db
def test_the_demo_roll_ups_agree_with_the_demo_data() -> None:
    load_demo()
    assert differences(start=FIRST_DAY, end=None) == []
