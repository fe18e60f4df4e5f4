"""Registration certificates: a pupil's register printed with its codes (EA96 s.566(1)(c);
DOMAIN §2; KSAH §17, §25).

- `grid`: the week-by-week layout and the code key (pure);
- `period`: which periods may be certified;
- `content`: everything a certificate prints, read from the register;
- `documents`: the head teacher's certificate, the authority's copy and the working copy,
  who may produce which, rendered by the documents pipeline.
"""

from schools.certificate.content import CertificateContent, Correction, certificate_content
from schools.certificate.documents import (
    AUDIT_ACTION,
    AUTHORITY_COPY,
    HEAD_CERTIFICATE,
    WORKING_COPY,
    certificate_filename,
    certificate_kind_for,
    certificate_request,
    render_certificate,
)
from schools.certificate.grid import (
    BANK_HOLIDAY,
    BEFORE_PERIOD,
    CLOSED,
    CODE_SET_2024,
    CODE_SET_PRE_2024,
    HOLIDAY,
    NOT_ON_ROLL,
    GapRow,
    WeekRow,
    build_rows,
    code_key,
    day_label,
    days_printed,
)
from schools.certificate.period import (
    END_AFTER_ENROLMENT,
    END_BEFORE_START,
    END_IN_FUTURE,
    PERIOD_TOO_LONG,
    START_BEFORE_ENROLMENT,
    START_IN_FUTURE,
    default_period,
    long_date,
    period_problems,
)

__all__ = [
    "AUDIT_ACTION",
    "AUTHORITY_COPY",
    "BANK_HOLIDAY",
    "BEFORE_PERIOD",
    "CLOSED",
    "CODE_SET_2024",
    "CODE_SET_PRE_2024",
    "END_AFTER_ENROLMENT",
    "END_BEFORE_START",
    "END_IN_FUTURE",
    "HEAD_CERTIFICATE",
    "HOLIDAY",
    "NOT_ON_ROLL",
    "PERIOD_TOO_LONG",
    "START_BEFORE_ENROLMENT",
    "START_IN_FUTURE",
    "WORKING_COPY",
    "CertificateContent",
    "Correction",
    "GapRow",
    "WeekRow",
    "build_rows",
    "certificate_content",
    "certificate_filename",
    "certificate_kind_for",
    "certificate_request",
    "code_key",
    "day_label",
    "days_printed",
    "default_period",
    "long_date",
    "period_problems",
    "render_certificate",
]
