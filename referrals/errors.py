"""Error texts the Digital Front Door shows, as constants tests import (STYLE: HackSoft).

GOV.UK Design System wording: say what happened and how to fix it.
"""

from __future__ import annotations

from typing import Final

ANSWER_REQUIRED: Final = "Answer this question"
SELECT_REQUIRED: Final = "Select an answer"
DATE_MUST_INCLUDE: Final = "{label} must include a {parts}"
DATE_REAL: Final = "{label} must be a real date"
DATE_YEAR_FOUR_DIGITS: Final = "{label} must include a year with 4 numbers"
INTEGER_FORMAT: Final = "{label} must be a whole number"
INTEGER_MIN: Final = "{label} must be {minimum} or more"
INTEGER_MAX: Final = "{label} must be {maximum} or fewer"
TOO_LONG: Final = "{label} must be {limit} characters or fewer"
EMAIL_FORMAT: Final = "Enter an email address in the correct format, like name@example.com"
PHONE_FORMAT: Final = (
    "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
)
POSTCODE_FORMAT: Final = "Enter a real postcode"
CHOICE_UNKNOWN: Final = "Select one of the options"
CHECKBOX_EXCLUSIVE: Final = "Select the ones that apply, or select ‘{label}’ on its own"  # noqa: RUF001
UPN_FORMAT: Final = "Enter a UPN in the correct format: a letter and 12 numbers, like D886200100001"
UPN_NOT_FOUND: Final = "There is no pupil with UPN {upn} on the register of {schools}"
UPN_NOT_ON_ROLL: Final = (
    "{name} is not on roll at {school}: their enrolment ended on {ended}. You can only send "
    "this form for a pupil on your school's roll"
)
UPN_NOT_AT_SCHOOL: Final = "{name} is not on roll at {school}"
UPN_DUPLICATE: Final = "You have already added the pupil with UPN {upn}"
URN_FORMAT: Final = "Enter a URN of 6 to 8 numbers"
URN_NOT_FOUND: Final = "There is no school with URN {urn} in {authority}"
SCHOOL_NOT_YOURS: Final = "Select one of your schools"
GROUP_MIN_ITEMS: Final = "Add at least one {item}"
GROUP_MAX_ITEMS: Final = "You can add up to {limit} {items}"
REASON_REQUIRED: Final = "Tell us why you are sending this although: {condition}"

# Pathway access and submission
PATHWAY_NOT_FOR_YOU: Final = "This form is not for your role"
PATHWAY_NEEDS_ACCOUNT: Final = "You need to sign in to use this form"
CANNOT_SUBMIT_BLOCKED: Final = "This cannot be sent: {reasons}"
CANNOT_SUBMIT_INVALID: Final = "Some answers are missing or need correcting"
ALREADY_SUBMITTED: Final = "This form has already been sent"

# Evidence
EVIDENCE_TYPE: Final = "The selected file must be a PDF, Word document (.doc or .docx), PNG or JPEG"
EVIDENCE_TOO_BIG: Final = "The selected file must be smaller than {limit}"
EVIDENCE_EMPTY: Final = "The selected file is empty"
EVIDENCE_NONE_CHOSEN: Final = "Select a file to upload"
EVIDENCE_REQUIRED: Final = "Upload at least one file"
EVIDENCE_TOO_MANY: Final = "You can upload up to {limit} files"

# Without an account (issue 10 item 2): the authority's records are checked after sending.
CHECKED_AFTER_SENDING: Final = "We will check this against our own records when we receive the form"

# The officer's actions
CLOSE_OUTCOME_REQUIRED: Final = "Enter the outcome before closing"
NOTE_REQUIRED: Final = "Enter a note"
OFFICER_REQUIRED: Final = "Select an officer to allocate it to"
CLOSING_OUTCOME_UNKNOWN: Final = "Select how the enquiries ended"
CLOSING_OUTCOME_CME_ONLY: Final = (
    "Only a notification of a child missing education can be closed with deletion advised"
)
DELETION_ADVISED_DATE_REQUIRED: Final = "Enter the date the authority confirmed deletion"
DELETION_ADVISED_DATE_FUTURE: Final = (
    "The date the authority confirmed deletion must be today or in the past"
)
