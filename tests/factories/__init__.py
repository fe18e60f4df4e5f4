"""Factories for the models tests need (factory_boy)."""

from __future__ import annotations

import factory

from kpas.base.models import Area, District, User
from kpas.base.roles import Role
from schools.models import School


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Area {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"District {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.SCHOOL_ATTENDANCE_STAFF

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        obj.set_password(extracted or "a-long-test-password")
        if create:
            obj.save(update_fields=["password"])


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("urn",)

    urn = factory.Sequence(lambda n: f"{200000 + n}")
    name = factory.Sequence(lambda n: f"Test School {n}")
    phase = School.Phase.PRIMARY
    school_type = School.Type.MAINTAINED
    district = factory.SubFactory(DistrictFactory)
