"""Fixtures shared by the domain tests."""

from __future__ import annotations

import pytest
from tests.domain.parents_world import World


@pytest.fixture
def world() -> World:
    """A fresh region with a pupil who has a havo advice, and six VO schools (parents_world)."""
    return World().setup()
