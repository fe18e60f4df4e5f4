"""The DfE Common Transfer File (XML): read safely, checked whole, into plain records.

Read a chunk at a time by `ctf_xml` (defusedxml: no DTD, no entities, no external
references), each pupil when its element closes and then dropped from the tree, so memory
follows one pupil, not the file (issue 15 item 2). Elements keep their line numbers so every
error reads `line N: reason`.
Writing is in `ctf_apply`. See docs/import-formats.md for the mapping of AttendanceMarks
characters to register codes (`CTF_MARK_CHARACTERS`) and its source.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO

from django.utils import timezone

from schools.imports.common import ImportRefused, RowError, RowErrors
from schools.imports.ctf_attendance import (
    CTF_MARK_CHARACTERS,
    FILLER,
    CtfYear,
    check_totals,
    expand_marks,
)
from schools.imports.ctf_xml import CtfElement, parse_xml
from schools.imports.input_rules import birth_date_problem
from schools.imports.pupils_csv import clean_upn, clean_year_group

LOST_PUPIL_LEA, LOST_PUPIL_ESTAB = "XXX", "XXXX"  # destination unknown (KSAH §22)
# In a lost-pupil batch's counts: the source school and each pupil's leaving date there (from
# the file's school history), read by the off-rolling signals (returns/). Keys starting "_"
# are kept for other apps, not shown as counts.
LOST_PUPIL_LEAVERS = "_lost_pupil_leavers"

MISSING = "{path} is missing"
BAD_VALUE = "{path}: {value!r} is not {expected}"
DUPLICATE_UPN = "pupil {upn} is already in this file on line {first}"
SEXES = {"M": "M", "F": "F", "U": "U", "9": "U"}
ENGLISH = frozenset({"ENG", "ENB"})  # English, believed to be English


# --- plain records ----------------------------------------------------------------------------
@dataclass
class CtfContact:
    line: int
    forename: str
    surname: str
    title: str = ""
    relationship: str = ""
    responsibility: bool = False
    address_as_pupil: bool = False
    order: int = 1
    phone: str = ""
    email: str = ""
    address: dict[str, str] = field(default_factory=dict)


@dataclass
class CtfSchoolSpell:
    lea: str
    estab: str
    entry: date | None
    leaving: date | None


@dataclass
class CtfPupil:
    line: int
    upn: str
    values: dict[str, Any]  # Pupil model fields
    year_group: str | None = None
    contacts: list[CtfContact] = field(default_factory=list)
    years: list[CtfYear] = field(default_factory=list)
    history: list[CtfSchoolSpell] = field(default_factory=list)


@dataclass
class CtfFile:
    version: str
    written_on: date | None
    source_lea: str
    source_estab: str
    source_urn: str
    dest_lea: str
    dest_estab: str
    pupils: list[CtfPupil]
    source_line: int = 0

    @property
    def lost_pupil(self) -> bool:
        return (self.dest_lea.upper(), self.dest_estab.upper()) == (
            LOST_PUPIL_LEA,
            LOST_PUPIL_ESTAB,
        )


# --- reading ----------------------------------------------------------------------------------
def _text(element: ET.Element | None, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _line(element: ET.Element | None, default: int = 0) -> int:
    return getattr(element, "line", default)


def _date(element: ET.Element, path: str, errors: RowErrors | list[RowError]) -> date | None:
    value = _text(element, path)
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        found = element.find(path)
        errors.append(
            RowError(
                _line(found),
                BAD_VALUE.format(path=path, value=value, expected="a date (YYYY-MM-DD)"),
            )
        )
        return None


def _true(value: str) -> bool:
    return value.strip().lower() in {"true", "1", "y", "yes"}


def _address(element: ET.Element | None) -> dict[str, str]:
    if element is None:
        return {}
    bs = element.find("BS7666Address")
    if bs is not None:
        first = " ".join(
            p for p in (_text(bs, "SAON"), _text(bs, "PAON"), _text(bs, "Street")) if p
        )
        values = {
            "address_line_1": first,
            "address_line_2": _text(bs, "Locality"),
            "town": _text(bs, "Town") or _text(bs, "PostTown"),
        }
    else:
        lines = element.find("AddressLines")
        values = {
            "address_line_1": _text(lines, "AddressLine1"),
            "address_line_2": _text(lines, "AddressLine2"),
            "town": _text(lines, "AddressLine3") or _text(lines, "AddressLine4"),
        }
    postcode = element.find(".//Postcode")
    values["postcode"] = (postcode.text or "").strip().upper() if postcode is not None else ""
    limits = {"address_line_1": 200, "address_line_2": 200, "town": 100, "postcode": 10}
    return {k: v[: limits[k]] for k, v in values.items()}


def _year(node: ET.Element, upn: str, errors: RowErrors | list[RowError]) -> CtfYear | None:
    year = _text(node, "Year") or "year data"
    totals: dict[str, int] = {}
    for name in (
        "SessionsPossible",
        "SessionsAttended",
        "SessionsAuthorised",
        "SessionsUnauthorised",
    ):
        value = _text(node, name)
        if value:
            if not value.isdigit():
                errors.append(
                    RowError(
                        _line(node.find(name)),
                        BAD_VALUE.format(path=name, value=value, expected="a whole number"),
                    )
                )
                continue
            totals[name] = int(value)
    sessions = node.find("AttendSessions")
    marks: list[tuple[date, int, str]] = []
    before = len(errors)
    if sessions is not None:
        start = _date(sessions, "AttendanceStartDate", errors)
        text = _text(sessions, "AttendanceMarks")
        if text and start is None:
            errors.append(RowError(_line(sessions), MISSING.format(path="AttendanceStartDate")))
        elif text and start is not None:
            line = _line(sessions.find("AttendanceMarks"), _line(sessions))
            marks = expand_marks(start, text, upn=upn, year=year, line=line, errors=errors)
    result = CtfYear(
        line=_line(node),
        year=year,
        lea=_text(node, "LEA"),
        estab=_text(node, "Estab"),
        totals=totals,
        marks=marks,
    )
    if sessions is not None and len(errors) == before:  # totals only of readable marks
        check_totals(result, upn=upn, errors=errors)
    return result


def _contact(node: ET.Element, pupil_address: dict[str, str]) -> CtfContact | None:
    forename, surname = _text(node, "Forename"), _text(node, "Surname")
    if not forename or not surname:
        return None
    order = _text(node, "Order")
    address_node = node.find("Address")
    as_pupil = _true(_text(address_node, "AddressAsPupil")) if address_node is not None else False
    phone = node.find("Phones/Phone/PhoneNo")
    return CtfContact(
        line=_line(node),
        forename=forename[:100],
        surname=surname[:100],
        title=_text(node, "Title")[:20],
        relationship=_text(node, "Relationship"),
        responsibility=_true(_text(node, "Responsibility")),
        address_as_pupil=as_pupil,
        order=int(order) if order.isdigit() else 1,
        phone=((phone.text or "").strip() if phone is not None else "")[:30],
        email=_text(node, "Email")[:254],
        address=dict(pupil_address) if as_pupil else _address(address_node),
    )


def _characteristics(node: ET.Element, written_on: date | None) -> dict[str, Any]:
    """Basic characteristics, only where the file has them (DOMAIN §1)."""
    values: dict[str, Any] = {}
    fsm = node.find("FSMhistory")
    if fsm is not None:
        on = written_on or timezone.localdate()
        values["fsm"] = any(
            not _text(i, "FSMendDate") or _text(i, "FSMendDate")[:10] >= on.isoformat()
            for i in fsm.findall("FSMinstance")
        )
    first_language = [
        _text(t, "Language")
        for t in node.findall("BasicDetails/Languages/Type")
        if _text(t, "LanguageType").upper() == "F"
    ]
    if first_language:
        values["eal"] = first_language[0].upper() not in ENGLISH
    provision = _text(node, "SENhistory/SEN/SENprovision").upper()
    if provision:
        values["sen_support"], values["ehcp"] = provision == "K", provision == "E"
    looked_after = node.find("LookedAfter")
    if looked_after is not None:
        values["child_in_care"] = _true(_text(looked_after, "InCare"))
        values["care_la"] = _text(looked_after, "CareAuthority")[:100]
    return values


def _pupil(
    node: ET.Element, written_on: date | None, errors: RowErrors | list[RowError]
) -> CtfPupil | None:
    line = _line(node)
    before = len(errors)
    try:
        upn = clean_upn(_text(node, "UPN"))
    except ValueError as exc:
        errors.append(RowError(_line(node.find("UPN"), line), str(exc)))
        upn = _text(node, "UPN") or "(no UPN)"
    values: dict[str, Any] = {}
    for element, key in (("Forename", "forename"), ("Surname", "surname")):
        value = _text(node, element)
        if not value:
            errors.append(RowError(line, MISSING.format(path=f"Pupil {upn} {element}")))
        values[key] = value[:100]
    born = _date(node, "DOB", errors)
    if born is None and not _text(node, "DOB"):
        errors.append(RowError(line, MISSING.format(path=f"Pupil {upn} DOB")))
    elif born is not None and (problem := birth_date_problem(born, today=timezone.localdate())):
        errors.append(RowError(_line(node.find("DOB"), line), f"pupil {upn}: {problem}"))
    values["date_of_birth"] = born
    sex = (_text(node, "Sex") or _text(node, "Gender")).upper()
    if sex:
        values["gender"] = SEXES.get(sex, "U")
    for element, key in (
        ("BasicDetails/PreferredForename", "preferred_forename"),
        ("BasicDetails/PreferredSurname", "preferred_surname"),
    ):
        if node.find(element) is not None:
            values[key] = _text(node, element)[:100]
    address = _address(node.find("Address"))
    values.update(address)
    values.update(_characteristics(node, written_on))
    pupil = CtfPupil(line=line, upn=upn, values=values)
    year_group = _text(node, "BasicDetails/NCyearActual")
    if year_group:
        try:
            pupil.year_group = clean_year_group(year_group)
        except ValueError:
            pupil.year_group = None  # a year group we do not know is not worth refusing
    for contact_node in node.findall("Contacts/Contact"):
        contact = _contact(contact_node, address)
        if contact is not None:
            pupil.contacts.append(contact)
    for spell in node.findall("SchoolHistory/School"):
        pupil.history.append(
            CtfSchoolSpell(
                lea=_text(spell, "LEA"),
                estab=_text(spell, "Estab"),
                entry=_date(spell, "EntryDate", errors),
                leaving=_date(spell, "LeavingDate", errors),
            )
        )
    for year_node in node.findall("Attendance/YearData"):
        ctf_year = _year(year_node, upn, errors)
        if ctf_year is not None:
            pupil.years.append(ctf_year)
    return pupil if len(errors) == before else None


class CtfReader:
    """A CTF read as a stream: the header on opening, then `pupils()` one at a time, every
    error collected in `errors`. Refuses unreadable XML outright."""

    def __init__(self, data: BinaryIO | bytes) -> None:
        self.errors = RowErrors()
        self._elements = parse_xml(io.BytesIO(data) if isinstance(data, bytes) else data)
        header = next((e for e in self._elements if e.tag == "Header"), None)
        if header is None or header.find("SourceSchool") is None:
            raise ImportRefused([RowError(1, MISSING.format(path="Header/SourceSchool"))])
        self.file = _header(header)

    def pupils(self) -> Iterator[CtfPupil]:
        """Each readable pupil, once per UPN, as the file is read."""
        seen: dict[str, int] = {}
        for node in self._elements:
            pupil = _pupil(node, self.file.written_on, self.errors)
            if pupil is None:
                continue
            if pupil.upn in seen:
                first = seen[pupil.upn]
                self.errors.append(
                    RowError(pupil.line, DUPLICATE_UPN.format(upn=pupil.upn, first=first))
                )
                continue
            seen[pupil.upn] = pupil.line
            yield pupil


def _header(header: CtfElement) -> CtfFile:
    written = _text(header, "DateTime")
    try:
        written_on = date.fromisoformat(written[:10]) if written else None
    except ValueError:
        written_on = None
    return CtfFile(
        version=_text(header, "CTFversion"),
        written_on=written_on,
        source_lea=_text(header, "SourceSchool/LEA"),
        source_estab=_text(header, "SourceSchool/Estab"),
        source_urn=_text(header, "SourceSchool/URN"),
        dest_lea=_text(header, "DestSchool/LEA"),
        dest_estab=_text(header, "DestSchool/Estab"),
        pupils=[],
        source_line=_line(header.find("SourceSchool")),
    )


def parse_ctf(data: BinaryIO | bytes) -> tuple[CtfFile, RowErrors]:
    """The whole file as plain records, and every error found (for small files and tests)."""
    reader = CtfReader(data)
    reader.file.pupils = list(reader.pupils())
    return reader.file, reader.errors


__all__ = [
    "CTF_MARK_CHARACTERS",
    "FILLER",
    "CtfFile",
    "CtfPupil",
    "CtfReader",
    "CtfYear",
    "parse_ctf",
]
