"""Every Digital Front Door pathway, end to end in Chromium: the start page, one validation
error on the way (the GOV.UK error summary linking to the question, what was typed kept),
check your answers, the confirmation with its reference, and the submission found in the
receiving team's queue by the officer who works it. Every page is axe-checked (pages.Site).

Set KPAS_SCREENSHOTS to a folder to keep screenshots of the main pages.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from kpas.base.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SCHOOL_URN
from kpas.base.models import OutboxEmail
from kpas.base.roles import Role
from referrals.models import Submission
from schools.models import Alert, Enrolment, Mark, Pupil

from .pages import SignInPage, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNTS = {account.role: account for account in DEMO_ACCOUNTS}
HEAD = ACCOUNTS[Role.HEADTEACHER]
SAC = ACCOUNTS[Role.SENIOR_ATTENDANCE_CHAMPION]
OFFICE = ACCOUNTS[Role.SCHOOL_ATTENDANCE_STAFF]
AO = ACCOUNTS[Role.ATTENDANCE_OFFICER]
EIA = ACCOUNTS[Role.EXCLUSION_ADVISER]
COURTS = ACCOUNTS[Role.COURTS_TEAM]
CME = ACCOUNTS[Role.CME_TEAM]
TODAY = date(2026, 11, 23)  # the Monday after the demo register's last day
REFERENCE = re.compile(r"DFD-\d{4}-\d{6}")
UPN_QUESTION = "What is the pupil's unique pupil number (UPN)?"


# --- the world ---------------------------------------------------------------------------------
@pytest.fixture
def world(demo_accounts, monkeypatch, settings, tmp_path):  # type: ignore[no-untyped-def]
    """The small demo, a fixed today, and pupils with known registers and no flags."""
    monkeypatch.setattr("referrals.clock.today", lambda: TODAY)
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence files, not in the project's var/
    pupils = list(
        Pupil.objects.filter(
            enrolments__school__urn=DEMO_SCHOOL_URN,
            enrolments__year_group__in=["2", "3", "4", "5", "6"],
        )
        .order_by("pk")
        .distinct()[:4]
    )
    Pupil.objects.filter(pk__in=[p.pk for p in pupils]).update(
        ehcp=False,
        sen_support=False,
        child_in_care=False,
        social_worker=False,
        known_to_social_care=False,
        known_to_early_help=False,
        known_to_youth_offending=False,
    )
    plain, truant, second, third = (Pupil.objects.get(pk=p.pk) for p in pupils)
    # The truant: a week's holiday not authorised (10 sessions of G) just before today, and
    # no N left anywhere on their register.
    Mark.objects.filter(pupil=truant, code="N").update(code="O")
    Mark.objects.filter(pupil=truant, date__range=(date(2026, 11, 16), date(2026, 11, 20))).update(
        code="G"
    )
    return {"plain": plain, "truant": truant, "second": second, "third": third}


# --- driving the forms ------------------------------------------------------------------------
class FrontDoor:
    """A person filling in Digital Front Door forms."""

    def __init__(self, site: Site, tmp_path: Path) -> None:
        self.site = site
        self.page = site.page
        self.tmp_path = tmp_path

    # signing in and out
    def sign_in(self, account) -> None:  # type: ignore[no-untyped-def]
        SignInPage(self.site).open().sign_in(account.email, DEMO_PASSWORD)
        assert self.site.heading == account.home_heading, self.site.describe()

    def sign_out(self) -> None:
        self.site.sign_out()

    # pages
    def open(self, slug: str, title: str) -> None:
        self.site.goto(f"/dfd/{slug}/")
        assert self.site.heading == title, self.site.describe()

    def start(self) -> None:
        self.site.click_and_load(self.page.get_by_role("button", name="Start now"))

    def begin(self, account, slug: str, title: str) -> None:  # type: ignore[no-untyped-def]
        """Sign in as `account`, open the pathway's start page and start the form."""
        self.sign_in(account)
        self.open(slug, title)
        self.start()

    def choose_pupil(self, pupil: Pupil, *, flags_none: bool = False) -> None:
        """Give the pupil's UPN, then accept their details from the register."""
        self.fill(UPN_QUESTION, pupil.upn)
        self.continue_()
        self.pupil_details_continue(flags_none=flags_none)

    def pupil_details_continue(self, *, flags_none: bool = False) -> None:
        """The pupil's details page, pre-filled from the register for signed-in staff."""
        self.expect("The pupil's details")
        if flags_none:
            self.tick("Which of these apply to the pupil?", "None of these")
        self.continue_()

    def heading(self) -> str:
        return self.site.heading

    def expect(self, heading: str) -> None:
        assert self.heading() == heading, f"expected {heading!r}: {self.site.describe()}"

    def continue_(self) -> None:
        self.site.click_and_load(
            self.page.locator(".govuk-button-group").get_by_role("button", name="Continue")
        )

    def click(self, name: str) -> None:
        self.site.click_and_load(self.page.get_by_role("button", name=name, exact=True))

    def errors(self) -> list[str]:
        return [text for text, _ in self.site.error_summary_links()]

    def expect_error(self, message: str, anchor: str | None = None) -> None:
        links = self.site.error_summary_links()
        assert any(text == message for text, _ in links), links
        assert self.site.title.startswith("Error: "), self.site.title
        if anchor is not None:
            assert (message, anchor) in links, links
            self.page.get_by_role("link", name=message).click()  # the link moves focus
            assert self.page.evaluate("document.activeElement.id") == anchor[1:]

    # answering
    def scope(self, within: str | None):  # type: ignore[no-untyped-def]
        return self.page.get_by_role("group", name=within) if within else self.page

    def fill(self, label: str, value: str, within: str | None = None) -> None:
        self.scope(within).get_by_label(label, exact=True).fill(value)

    def choose(self, question: str, option: str, within: str | None = None) -> None:
        group = self.scope(within).get_by_role("group", name=question, exact=True)
        # The question's own options, not those of a question revealed under one of them.
        group.locator(":scope > .govuk-radios > .govuk-radios__item").get_by_label(
            option, exact=True
        ).check()

    def yes(self, question: str) -> None:
        self.choose(question, "Yes")

    def no(self, question: str) -> None:
        self.choose(question, "No")

    def tick(self, question: str, *options: str) -> None:
        group = self.page.get_by_role("group", name=question)
        for option in options:
            group.get_by_label(option, exact=True).check()

    def date(self, question: str, day: date, within: str | None = None) -> None:
        group = self.scope(within).get_by_role("group", name=question, exact=True)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))

    def select(self, label: str, option: str) -> None:
        self.page.get_by_label(label, exact=True).select_option(label=option)

    def give_reasons(self) -> None:
        for box in self.page.locator("textarea[name^='reason-']").all():
            box.fill("The school has discussed this with its linked officer.")

    def send(self, label: str) -> str:
        assert self.heading() == "Check your answers before sending", (
            self.site.describe(),
            self.errors(),
        )
        self.give_reasons()
        self.click(label)
        assert self.page.locator(".govuk-panel--confirmation").is_visible(), self.site.describe()
        reference = self.page.locator(".govuk-panel__body strong").inner_text()
        assert REFERENCE.fullmatch(reference), reference
        return reference

    def screenshot(self, name: str) -> None:
        if not os.environ.get("KPAS_SCREENSHOTS"):
            return
        folder = Path(os.environ["KPAS_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(folder / f"dfd-{name}.png"), full_page=True)

    # the officer's side
    def find_in_queue(self, account, reference: str, team: str) -> None:  # type: ignore[no-untyped-def]
        """Sign in as the officer, find the submission in the queue, open it."""
        if self.page.get_by_role("button", name="Sign out").count():
            self.sign_out()
        self.sign_in(account)
        self.site.click_and_load(self.page.get_by_role("link", name="Referrals", exact=True))
        self.expect("Referrals")
        link = self.page.get_by_role("link", name=reference, exact=True)
        assert link.count() == 1, f"{reference} is not in {account.email}'s queue"
        self.screenshot(f"queue-{account.role.value}")
        self.site.click_and_load(link)
        self.expect(reference)
        timeline = self.page.locator(".dfd-timeline").inner_text()
        assert f"Routed to {team}" in timeline, timeline


def answer_professionals_if_asked(door: FrontDoor, question: str) -> None:
    if door.heading() in ("Who else has been told?", "Professionals involved"):
        for group in door.page.locator("fieldset").all():
            group.get_by_label("Yes", exact=True).check()
        door.continue_()


@pytest.fixture
def door(site: Site, tmp_path: Path) -> FrontDoor:
    return FrontDoor(site, tmp_path)


# --- 1. suspension or permanent exclusion --------------------------------------------------------
def test_1_suspension_is_notified_and_reaches_the_exclusion_adviser(door, world):  # type: ignore[no-untyped-def]
    door.sign_in(HEAD)
    door.site.click_and_load(door.page.get_by_role("link", name="Digital Front Door", exact=True))
    door.screenshot("index")
    door.site.click_and_load(
        door.page.get_by_role("link", name="1. Notify us of a suspension or permanent exclusion")
    )
    door.expect("Notify us of a suspension or permanent exclusion")
    door.start()

    door.expect(UPN_QUESTION)
    door.fill(UPN_QUESTION, "X123")
    door.continue_()
    door.expect_error(
        "Enter a UPN in the correct format: a letter and 12 numbers, like D886200100001", "#id_upn"
    )
    assert door.page.get_by_label(UPN_QUESTION).input_value() == "X123"
    door.fill(UPN_QUESTION, world["plain"].upn)
    door.continue_()
    assert door.page.get_by_label("Legal first name").input_value() == world["plain"].forename
    door.pupil_details_continue()

    door.choose("What kind of exclusion is it?", "Suspension")
    door.continue_()
    door.expect("Dates and sessions")
    door.date("Date the headteacher decided", TODAY - timedelta(days=3))
    door.date("First day the pupil is excluded", TODAY - timedelta(days=2))
    door.date("Last day of the suspension", TODAY - timedelta(days=1))
    door.fill("How many school sessions will the pupil miss?", "2")
    door.date("Date the parents were told in writing", TODAY - timedelta(days=3))
    door.continue_()
    door.expect("Why was the pupil excluded?")
    door.select("Reason", "Persistent or general disruptive behaviour")
    door.fill("What happened?", "Repeated refusal to follow instructions in lessons.")
    door.no("Will the pupil miss a public examination or national curriculum test?")
    door.continue_()
    answer_professionals_if_asked(door, "Who else has been told?")
    reference = door.send("Send notification")

    submission = Submission.objects.get(reference=reference)
    assert submission.team.slug == "exclusions"
    assert submission.allocated_officer.email == EIA.email
    door.find_in_queue(EIA, reference, "Exclusions team")


# --- 2. potential child missing education, without an account -------------------------------------
def test_2_cme_without_an_account_emails_the_reference(door, world):  # type: ignore[no-untyped-def]
    door.open("child-missing-education", "Notify us of a potential child missing education")
    door.screenshot("start")
    door.start()
    door.expect("About you")
    door.fill("Your full name", "Pat Reception")
    door.fill("Your role at the school", "Office manager")
    door.fill("Your school's unique reference number (URN)", DEMO_SCHOOL_URN)
    door.continue_()
    door.expect_error("Enter your email address", "#id_referrer_email")
    door.screenshot("question-error")
    assert door.page.get_by_label("Your full name").input_value() == "Pat Reception"
    door.fill("Your email address", "office@oakfield.example")
    door.continue_()

    door.fill(UPN_QUESTION, world["plain"].upn)
    door.continue_()
    door.expect("The pupil's details")
    door.fill("Legal first name", "Sam")
    door.fill("Legal last name", "Example")
    door.date("Date of birth", date(2018, 3, 27))
    door.fill("Home address", "1 High Street\nMaidstone\nME1 1AB")
    door.tick("Which of these apply to the pupil?", "None of these")
    door.continue_()

    door.expect("Last attendance")
    door.date("When did the pupil last attend school?", TODAY - timedelta(days=7))
    door.continue_()
    door.expect("Your reasonable enquiries")
    door.tick(
        "Which enquiries have you made?",
        "Contacted the parents (telephone, email and letter)",
        "Made a home visit",
    )
    door.fill(
        "What did your enquiries find?",
        "The house is empty; neighbours say the family moved away last week.",
    )
    door.continue_()
    door.expect("Where the pupil may be")
    door.no("Do you have a forwarding address?")
    door.no("Do you know the pupil's new school?")
    door.choose("Where do you believe the pupil is now?", "Not known")
    door.continue_()
    door.no("Does the pupil have brothers or sisters of school age?")
    door.continue_()
    door.no("Do you have concerns that the child is at risk of harm?")
    door.continue_()
    door.screenshot("check-answers")
    reference = door.send("Send notification")
    door.screenshot("confirmation")
    assert "office@oakfield.example" in door.page.inner_text("main")

    # The emails are outbox rows (sent by the outbox's task), one per purpose.
    stored = [e for e in OutboxEmail.objects.all() if reference in e.subject]
    receipts = [e for e in stored if e.to == ["office@oakfield.example"]]
    assert len(receipts) == 1 and reference in receipts[0].body
    team_mail = [e for e in stored if "kpas-west@demo.kpas.test" in e.to]
    assert len(team_mail) == 1 and reference in team_mail[0].subject
    door.find_in_queue(AO, reference, "KPAS West area team")
    door.screenshot("submission")


# --- 3. attendance and sickness returns: several pupils -------------------------------------------
def test_3_return_for_several_pupils_starts_from_the_register(door, world):  # type: ignore[no-untyped-def]
    candidate = world["third"]
    school_id = Enrolment.objects.filter(pupil=candidate).values_list("school_id", flat=True)[0]
    Mark.objects.filter(
        pupil=candidate, date__range=(date(2026, 10, 5), date(2026, 10, 16))
    ).update(code="O")
    alert = Alert.objects.create(
        school_id=school_id,
        pupil=candidate,
        kind=Alert.Kind.ATTENDANCE_RETURN,
        academic_year=2026,
        key="2026-10-05",
        raised_on=date(2026, 11, 20),
        details={"school_days": 10, "from": "2026-10-05", "to": "2026-10-16"},
    )
    door.begin(
        OFFICE, "attendance-or-sickness-return", "Notify us of an attendance or sickness return"
    )
    door.expect("Which pupils do you want to include?")
    door.tick("Which pupils do you want to include?", f"{candidate.display_name} ({candidate.upn})")
    door.continue_()

    door.expect("Pupils in this return")
    first = door.page.get_by_role("group", name=re.compile(r"^Pupil 1"))
    assert first.get_by_label("UPN").input_value() == candidate.upn
    door.click("Add another pupil")
    door.fill("UPN", world["second"].upn, within="Pupil 2")
    door.date("First day of the absence", date(2026, 10, 19), within="Pupil 2")
    door.page.get_by_role("group", name="Pupil 2").get_by_role(
        "group", name="Which of these apply?"
    ).get_by_label("None of these").check()
    door.continue_()
    door.expect_error("Pupil 2: Select the kind of return", "#id_pupils-1-return_type")
    door.screenshot("return-error")
    assert (
        door.page.get_by_role("group", name="Pupil 2").get_by_label("UPN").input_value()
        == world["second"].upn
    )
    door.choose("Kind of return", "Sickness return", within="Pupil 2")
    door.choose(
        "Which applies?", "Expected to miss at least 15 school days in a row", within="Pupil 2"
    )
    door.continue_()
    reference = door.send("Send return")
    submission = Submission.objects.get(reference=reference)
    assert submission.answers["pupils"][0]["_alert"] == alert.pk  # not offered again
    assert [row["upn"] for row in submission.answers["pupils"]] == [
        candidate.upn,
        world["second"].upn,
    ]
    door.find_in_queue(AO, reference, "KPAS West area team")


# --- 4. deletion from the admission register ------------------------------------------------------
def test_4_deletion_under_1g_needs_a_cme_notification_or_an_address(door, world):  # type: ignore[no-untyped-def]
    door.begin(
        HEAD,
        "deletion-from-admission-register",
        "Notify us of a deletion from the admission register",
    )
    door.choose_pupil(world["plain"])
    door.choose(
        "What is the ground for deletion?",
        "1(g) No longer lives a reasonable distance from the school",
    )
    door.continue_()
    door.date("Date the pupil's name is deleted", TODAY)
    door.continue_()
    door.expect("Where the pupil is going")
    door.no("Do you have a forwarding address for the pupil?")
    door.continue_()
    door.expect_error(
        "You must notify us of a potential child missing education before deleting under "
        "ground 1(g), unless you have a forwarding address. Keep the pupil on roll until the "
        "authority's enquiries are complete.",
        "#id_forwarding_address_known",
    )
    door.yes("Do you have a forwarding address for the pupil?")
    door.fill("Forwarding address", "12 Harbour Road\nDover\nCT17 9AA")
    door.continue_()
    door.expect("Parents the pupil lives with")
    assert door.page.get_by_role("group", name="Parent 1").get_by_label("Full name").input_value()
    door.fill("Emergency telephone number", "07700 900 982")
    door.continue_()
    answer_professionals_if_asked(door, "Professionals involved")
    reference = door.send("Send return")
    assert Submission.objects.get(reference=reference).team.slug == "cme"
    door.find_in_queue(CME, reference, "Children Missing Education team")


# --- 5. formal attendance meeting -----------------------------------------------------------------
def test_5_formal_attendance_meeting_needs_unauthorised_absence(door, world):  # type: ignore[no-untyped-def]
    door.begin(
        SAC, "formal-attendance-meeting", "Request KPAS attendance at a formal attendance meeting"
    )
    door.choose_pupil(world["truant"])
    door.expect("The meeting")
    door.date("Proposed date", TODAY + timedelta(days=3))
    door.date("Another date you could offer", TODAY + timedelta(days=4))
    door.fill("Time", "9:30am")
    door.choose("Where will it be held?", "At the school")
    door.fill("Who from your senior leadership team will lead it?", "Sam Adeyemi, SAC")
    door.continue_()
    door.expect("The absence")
    assert "From the register" in door.page.inner_text("main")
    door.no("Are the absences you want to discuss unauthorised?")
    door.yes("Is the school considering legal intervention?")
    door.fill("What support has the school offered so far?", "Weekly check-ins and a mentor.")
    door.continue_()
    door.expect_error(
        "A KPAS officer attends a formal attendance meeting when the absences are "
        "unauthorised. Speak to your linked officer for advice instead.",
        "#id_absence_unauthorised",
    )
    door.yes("Are the absences you want to discuss unauthorised?")
    door.continue_()
    reference = door.send("Send request")
    door.find_in_queue(AO, reference, "KPAS West area team")


# --- 6. penalty notice ----------------------------------------------------------------------------
def test_6_penalty_notice_shows_the_threshold_and_goes_to_the_courts_team(door, world):  # type: ignore[no-untyped-def]
    door.begin(HEAD, "penalty-notice", "Request a penalty notice")
    door.choose_pupil(world["truant"], flags_none=True)
    door.expect("Headteacher's authorisation")
    door.tick("Headteacher's authorisation", "I am the headteacher and I authorise this request")
    door.continue_()

    door.expect("The threshold and the case")
    door.page.get_by_text("The 10 sessions in the window").click()
    door.screenshot("penalty-threshold")
    main = door.page.inner_text("main")
    assert "The threshold is met" in main
    assert "G 10" in main
    door.continue_()
    door.expect_error("Select which case this is", "#id_scenario")
    door.choose("Which case is this?", "Leave of absence not authorised (G)")
    door.continue_()
    door.expect("The leave of absence")
    door.yes("Did the parents ask for the leave?")
    door.date("First day of the leave", date(2026, 11, 16))
    door.date("Last day of the leave", date(2026, 11, 20))
    door.continue_()
    door.expect("Each parent")
    parent = door.page.get_by_role("group", name="Parent 1")
    assert parent.get_by_label("Full name").input_value()
    for index in range(door.page.locator(".dfd-group__item").count()):
        door.choose(
            "Penalty notices for this child since 19 August 2024, in the last 3 school years",
            "None",
            within=f"Parent {index + 1}",
        )
    door.continue_()
    door.expect("The national framework's conditions")
    door.no("Are there any safeguarding concerns about the pupil?")
    door.no("Is the pupil known to Early Help or children's social care?")
    door.yes("Have your duties under the Equality Act 2010 been considered and met?")
    door.yes("Does your attendance policy explain the national framework for penalty notices?")
    door.continue_()
    assert "Conditions we check" in door.page.inner_text("main")
    reference = door.send("Send request")
    submission = Submission.objects.get(reference=reference)
    assert submission.register_snapshot["threshold"]["by_code"]["G"] == 10
    door.find_in_queue(COURTS, reference, "Courts Team")


# --- 7. statutory attendance intervention, with evidence ------------------------------------------
def test_7_statutory_intervention_takes_evidence_checked_by_content(door, world, tmp_path):  # type: ignore[no-untyped-def]
    door.begin(
        HEAD, "statutory-attendance-intervention", "Request statutory attendance intervention"
    )
    door.choose_pupil(world["truant"])
    door.expect("Attendance and part-time timetable")
    door.yes("Is the pupil on a part-time timetable?")
    door.continue_()
    door.expect_error(
        "Legal intervention cannot be pursued while the pupil is on a part-time "
        "timetable: it would not be regular attendance.",
        "#id_part_time_timetable",
    )
    door.no("Is the pupil on a part-time timetable?")
    door.continue_()
    door.expect("Support tried")
    door.fill(
        "What support has the school and other services offered?",
        "Early Help referral, attendance contract, two meetings.",
    )
    door.choose("How have the parents engaged with it?", "Not engaged")
    door.fill("Tell us more about the parents' engagement", "Missed both meetings.")
    door.yes("Has an attendance contract been used?")
    door.continue_()
    door.expect("Each parent")
    door.continue_()

    door.expect("Evidence")
    fake = tmp_path / "letter.pdf"
    fake.write_text("This is not really a PDF")
    door.page.get_by_label("Upload a file (optional)").set_input_files(str(fake))
    door.click("Upload file")
    door.expect_error(
        "The selected file must be a PDF, Word document (.doc or .docx), PNG or JPEG",
        "#id_evidence",
    )
    real = tmp_path / "warning-letter.pdf"
    real.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    door.page.get_by_label("Upload a file (optional)").set_input_files(str(real))
    door.click("Upload file")
    assert door.page.get_by_role("link", name="warning-letter.pdf").is_visible()
    door.continue_()
    reference = door.send("Send request")
    assert Submission.objects.get(reference=reference).evidence.count() == 1
    door.find_in_queue(AO, reference, "KPAS West area team")
    assert door.page.get_by_role("link", name="warning-letter.pdf").is_visible()


# --- 8. single registration at a PRU --------------------------------------------------------------
def test_8_single_registration_at_a_pru(door, world):  # type: ignore[no-untyped-def]
    door.begin(OFFICE, "single-registration-at-a-pru", "Request single registration at a PRU")
    door.choose_pupil(world["second"])
    door.expect("Which criteria does the pupil meet?")
    door.continue_()
    door.expect_error("Select the criteria the pupil meets", "#id_criteria")
    door.tick(
        "Which criteria does the pupil meet?",
        "Permanently excluded, and the PRU is arranging their education",
    )
    door.continue_()
    door.expect("The placement")
    door.fill("Name of the PRU", "Swale Learning Centre")
    door.date("Date dual registration began", date(2026, 10, 1))
    door.date("Proposed date of single registration", TODAY + timedelta(days=10))
    door.fill("What do the parents think?", "They agree.")
    door.fill("Why is single registration in the pupil's interest?", "Settled at the PRU.")
    door.continue_()
    reference = door.send("Send request")
    assert Submission.objects.get(reference=reference).team.slug == "pru"
    door.find_in_queue(EIA, reference, "PRU commissioning")


# --- 9. exclusion intervention advice -------------------------------------------------------------
def test_9_exclusion_intervention_advice(door, world):  # type: ignore[no-untyped-def]
    door.begin(HEAD, "exclusion-intervention-advice", "Request exclusion intervention advice")
    door.choose_pupil(world["second"])
    door.expect("The advice you need")
    door.fill("Describe the situation", "Three suspensions this term.")
    door.fill("What support is in place?", "A pastoral support plan.")
    door.continue_()
    door.expect_error("Select what you would like advice about", "#id_topics")
    assert (
        door.page.get_by_label("Describe the situation").input_value()
        == "Three suspensions this term."
    )
    door.tick("What would you like advice about?", "Repeated suspensions")
    door.continue_()
    door.yes("Would you like the adviser to attend a meeting with the parents?")
    door.yes("Have the parents agreed to the adviser attending?")
    door.continue_()
    reference = door.send("Send request")
    door.find_in_queue(EIA, reference, "KPAS West area team")


# --- 10. part-time timetable ----------------------------------------------------------------------
def test_10_part_time_timetable(door, world):  # type: ignore[no-untyped-def]
    door.begin(SAC, "part-time-timetable", "Notify us of a part-time timetable or flexi-schooling")
    door.choose_pupil(world["third"])
    door.choose("What kind of arrangement is it?", "Part-time timetable")
    door.continue_()
    door.expect("Why")
    door.choose(
        "Why is the pupil on a part-time timetable?",
        "Returning to school after absence for physical or mental health reasons",
    )
    door.fill("Tell us more", "Returning after an operation.")
    door.no("Is the timetable being used to manage the pupil's behaviour?")
    door.continue_()
    door.expect("Dates and sessions")
    door.date("Start date", TODAY + timedelta(days=7))
    door.date("Proposed end date", TODAY)
    door.date("Review date", TODAY + timedelta(days=14), within="Review 1")
    door.fill("How many sessions a week will the pupil attend?", "5")
    door.fill("Describe the timetable", "Mornings only.")
    door.continue_()
    door.expect_error("The proposed end date must be after the start date", "#id_proposed_end-day")
    door.date("Proposed end date", TODAY + timedelta(days=35))
    door.continue_()
    door.yes("Has the parent the pupil normally lives with consented?")
    door.yes("Have you completed a risk assessment for the time the pupil is not in school?")
    answer = door.page.get_by_role("group", name=re.compile("Have you consulted"))
    if answer.count():
        answer.get_by_label("Yes", exact=True).check()
    door.continue_()
    reference = door.send("Send notification")
    door.find_in_queue(EIA, reference, "KPAS West area team")


# --- 11. professional request (the authority's own staff) -----------------------------------------
def test_11_professional_request_is_for_authority_staff_only(door, world):  # type: ignore[no-untyped-def]
    door.sign_in(HEAD)
    response = door.site.goto("/dfd/professional-request/")
    assert response is not None and response.ok
    assert "This form is not for your role" in door.page.inner_text("main")
    assert door.page.get_by_role("button", name="Start now").count() == 0
    door.sign_out()

    door.sign_in(AO)
    door.site.click_and_load(door.page.get_by_role("link", name="Referrals", exact=True))
    door.site.click_and_load(door.page.get_by_role("link", name="Digital Front Door forms"))
    door.site.click_and_load(
        door.page.get_by_role(
            "link", name="11. Professional request for KPAS advice or involvement"
        )
    )
    door.start()
    door.expect("Which school is this for?")
    door.fill("Which school is this for?", "999999")
    door.continue_()
    door.expect_error("There is no school with URN 999999 in Kent County Council", "#id_school_urn")
    door.fill("Which school is this for?", DEMO_SCHOOL_URN)
    door.continue_()
    door.continue_()  # no UPN: it is optional for the authority's staff
    door.expect("The pupil's details")
    door.fill("Legal first name", "Alex")
    door.fill("Legal last name", "Example")
    door.date("Date of birth", date(2015, 6, 1))
    door.fill("Home address", "3 Mill Lane, Maidstone ME14 2AA")
    door.tick("Which of these apply to the pupil?", "Is known to Early Help")
    door.continue_()
    door.choose("What are you asking for?", "Advice")
    door.choose("What is it about?", "Suspension or exclusion")
    door.fill("Your service and role", "Early Help, family practitioner")
    door.fill("Tell us about the request", "The family asks for help with a reintegration.")
    door.yes("Does the family know about this request?")
    door.continue_()
    reference = door.send("Send request")
    assert Submission.objects.get(reference=reference).allocated_officer.email == EIA.email
    door.find_in_queue(EIA, reference, "KPAS West area team")
