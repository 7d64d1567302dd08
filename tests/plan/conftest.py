"""Fixtures for the plan package's database tests."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from carbon.db.models import LibraryVersion

from .libraries import old_grid_library


@pytest.fixture
def old_library(db_session: Session) -> LibraryVersion:
    return old_grid_library(db_session)
