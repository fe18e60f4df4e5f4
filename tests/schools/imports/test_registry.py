"""Issue 9 item 5: the import registry each app fills in its AppConfig.ready()."""

from __future__ import annotations

from typing import Any, BinaryIO

import pytest
from django.core.exceptions import ValidationError

from kpas.base.models import User
from kpas.base.roles import Role
from schools import import_registry as registry
from schools.import_registry import ImportKind, Uploaders, import_kind_register, import_kinds
from schools.imports.common import Counts, Outcome, Prepared
from schools.imports.services import import_run
from schools.models import ImportBatch, School
from schools.uploads import upload_kinds_for

pytestmark = pytest.mark.django_db


class NoticePayments(Prepared):
    """What a later app (penalties, say) would register: schools need not know it."""

    def __init__(self, data: BinaryIO, *, school: Any = None, authority: bool = False) -> None:
        self.errors, self.rows_total = [], sum(1 for _ in data) - 1

    def preview(self) -> dict[str, Any]:
        counts = Counts()
        counts.add("payments", "added", self.rows_total)
        return counts.as_dict()

    def apply(self, batch: Any) -> Outcome:
        return Outcome(counts=self.preview(), rows_done=self.rows_total)


@pytest.fixture
def payments_kind(monkeypatch: pytest.MonkeyPatch) -> ImportKind:
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    entry = ImportKind(
        kind="penalty_payments",
        label="Penalty notice payments (CSV)",
        prepare=NoticePayments,
        uploaders=Uploaders.AUTHORITY,
    )
    import_kind_register(entry)
    return entry


def test_the_schools_app_registers_its_own_kinds() -> None:
    assert [k.kind for k in import_kinds()][:5] == ["marks", "pupils", "ctf", "calendar", "schools"]


def test_another_app_adds_a_kind_without_schools_knowing_it(payments_kind: ImportKind) -> None:
    result = import_run(kind="penalty_payments", data=b"notice,amount\nPN1,80\n")
    assert result.status == ImportBatch.Status.APPLIED
    assert result.batch is not None and result.batch.get_kind_display() == payments_kind.label
    admin = User.objects.create_user(email="admin@example.test", role=Role.SERVICE_ADMIN)
    assert "penalty_payments" in upload_kinds_for(admin, None)


def test_a_kind_outside_the_registry_is_refused(riverside: School) -> None:
    with pytest.raises(ValueError, match="unknown import kind 'penalty_payments'"):
        import_run(kind="penalty_payments", data=b"x\n")
    batch = ImportBatch(kind="penalty_payments", filename="x.csv", sha256="0" * 64)
    with pytest.raises(ValidationError):
        batch.full_clean()
    ImportBatch(kind="marks", filename="x.csv", sha256="0" * 64).full_clean()


def test_registering_a_different_entry_under_a_taken_kind_is_an_error(
    payments_kind: ImportKind,
) -> None:
    with pytest.raises(ValueError, match="already registered"):
        import_kind_register(
            ImportKind("penalty_payments", "Other", NoticePayments, Uploaders.SCHOOL)
        )
