"""A parent's person reference is unique when set; parents known only from a CTF have none."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from schools.models import Parent

pytestmark = pytest.mark.django_db


def test_parent_ref_is_unique_when_set() -> None:
    Parent.objects.create(forename="A", surname="B", parent_ref="P-1")
    Parent.objects.create(forename="C", surname="D")  # blank: from a CTF
    Parent.objects.create(forename="E", surname="F")  # blank again: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        Parent.objects.create(forename="G", surname="H", parent_ref="P-1")
    assert Parent.objects.filter(parent_ref="").count() == 2
