"""The progress page's per-address limit: fixed windows, a bounded table, whole seconds to
wait."""

from __future__ import annotations

import pytest

from district_backend.rate_limit import FixedWindowLimit

START = 60 * 16_667 + 20.0  # 20 s into a 60 s window


def test_each_address_gets_its_own_allowance_per_window() -> None:
    limit = FixedWindowLimit(2)
    assert limit.wait_seconds("10.0.0.1", START) is None
    assert limit.wait_seconds("10.0.0.1", START + 1) is None
    assert limit.wait_seconds("10.0.0.1", START + 2) == 38  # until the next whole minute
    assert limit.wait_seconds("10.0.0.2", START + 2) is None  # another address
    assert limit.wait_seconds("10.0.0.1", START + 39.5) == 1  # never "0 seconds"
    assert limit.wait_seconds("10.0.0.1", START + 40) is None  # the next window


def test_the_table_is_bounded_within_a_window() -> None:
    limit = FixedWindowLimit(5, max_clients=3)
    for client in ("a", "b", "c"):
        assert limit.wait_seconds(client, START) is None
    assert limit.wait_seconds("d", START) == 40  # a fourth address waits for the next window
    assert limit.wait_seconds("a", START) is None  # those counted keep their allowance
    assert limit.wait_seconds("d", START + 40) is None


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        FixedWindowLimit(0)
