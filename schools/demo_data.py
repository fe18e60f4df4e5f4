"""The register demo's declarations: its seed, term dates, schools and the names it draws
from (schools/demo.py builds the files from them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kpas.base.demo_accounts import DEMO_SCHOOL_URN

SEED = 20260901
DEMO_AS_OF = date(2026, 11, 20)  # the last register day in the demo (a Friday)
KENT_LA = "886"

# Kent's term dates pattern for 2025/26 and 2026/27 (demo values): (start, end) of each
# half term; everything between is holiday.
DEMO_TERMS: tuple[tuple[date, date], ...] = (
    (date(2025, 9, 3), date(2025, 10, 24)),
    (date(2025, 11, 3), date(2025, 12, 19)),
    (date(2026, 1, 5), date(2026, 2, 13)),
    (date(2026, 2, 23), date(2026, 3, 27)),
    (date(2026, 4, 13), date(2026, 5, 22)),
    (date(2026, 6, 1), date(2026, 7, 22)),
    (date(2026, 9, 2), date(2026, 10, 23)),
    (date(2026, 11, 2), date(2026, 12, 18)),
    (date(2027, 1, 4), date(2027, 2, 12)),
    (date(2027, 2, 22), date(2027, 3, 26)),
    (date(2027, 4, 12), date(2027, 5, 28)),
    (date(2027, 6, 7), date(2027, 7, 21)),
)


@dataclass(frozen=True)
class DemoSchool:
    urn: str
    name: str
    phase: str
    school_type: str
    district: str
    pupils: int
    year_groups: tuple[str, ...]


PRIMARY_YEARS = ("R", "1", "2", "3", "4", "5", "6")
SECONDARY_YEARS = ("7", "8", "9", "10", "11")

DEMO_SCHOOLS: tuple[DemoSchool, ...] = (
    DemoSchool(
        DEMO_SCHOOL_URN,
        "Oakfield Primary School",
        "primary",
        "maintained",
        "Maidstone",
        210,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118002", "Medway Valley Academy", "secondary", "academy", "Maidstone", 420, SECONDARY_YEARS
    ),
    DemoSchool(
        "118003",
        "Hop Garden Primary School",
        "primary",
        "maintained",
        "Tonbridge & Malling",
        180,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118004",
        "Wealdview Special School",
        "special",
        "special",
        "Tunbridge Wells",
        80,
        PRIMARY_YEARS + SECONDARY_YEARS,
    ),
    DemoSchool(
        "118005",
        "Pantiles Church of England Primary",
        "primary",
        "academy",
        "Tunbridge Wells",
        150,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118006",
        "Darent Valley Primary School",
        "primary",
        "maintained",
        "Dartford",
        200,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118007",
        "Thameside Secondary School",
        "secondary",
        "academy",
        "Gravesham",
        380,
        SECONDARY_YEARS,
    ),
    DemoSchool(
        "118008",
        "Knole Park Primary School",
        "primary",
        "maintained",
        "Sevenoaks",
        140,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118009", "Stour Primary Academy", "primary", "academy", "Ashford", 190, PRIMARY_YEARS
    ),
    DemoSchool(
        "118010",
        "White Cliffs Secondary Academy",
        "secondary",
        "academy",
        "Dover",
        360,
        SECONDARY_YEARS,
    ),
    DemoSchool(
        "118011", "Harbour Free School", "primary", "free", "Folkestone & Hythe", 120, PRIMARY_YEARS
    ),
    DemoSchool(
        "118012",
        "Westgate Primary School",
        "primary",
        "maintained",
        "Canterbury",
        170,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118013",
        "Sheppey Secondary School",
        "secondary",
        "maintained",
        "Swale",
        400,
        SECONDARY_YEARS,
    ),
    DemoSchool(
        "118014",
        "Isle of Thanet Primary School",
        "primary",
        "maintained",
        "Thanet",
        160,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118015",
        "Viking Coast Academy",
        "all_through",
        "academy",
        "Thanet",
        300,
        PRIMARY_YEARS + SECONDARY_YEARS,
    ),
    DemoSchool("118016", "Swale Learning Centre", "pru", "pru", "Swale", 40, SECONDARY_YEARS),
    DemoSchool(
        "118017",
        "Orchard Special School",
        "special",
        "special",
        "Canterbury",
        70,
        PRIMARY_YEARS + SECONDARY_YEARS,
    ),
    DemoSchool(
        "118018",
        "Ebbsfleet Primary School",
        "primary",
        "maintained",
        "Dartford",
        130,
        PRIMARY_YEARS,
    ),
    DemoSchool(
        "118019", "Godinton Primary School", "primary", "maintained", "Ashford", 150, PRIMARY_YEARS
    ),
    DemoSchool(
        "118020",
        "Romney Marsh Independent School",
        "secondary",
        "independent",
        "Folkestone & Hythe",
        90,
        SECONDARY_YEARS,
    ),
)

FORENAMES = [
    "Oliver",
    "Amelia",
    "Noah",
    "Isla",
    "Jack",
    "Ava",
    "George",
    "Mia",
    "Leo",
    "Ivy",
    "Arthur",
    "Freya",
    "Muhammad",
    "Lily",
    "Harry",
    "Florence",
    "Oscar",
    "Sophia",
    "Archie",
    "Grace",
    "Henry",
    "Willow",
    "Theo",
    "Emily",
    "Finley",
    "Ella",
    "Charlie",
    "Evie",
    "Jacob",
    "Poppy",
    "Alfie",
    "Rosie",
    "Tommy",
    "Daisy",
    "Zain",
    "Aisha",
    "Kacper",
    "Zofia",
    "Ravi",
    "Priya",
    "Tyler",
    "Chloe",
    "Kai",
    "Maya",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Robinson",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Khan",
    "Lewis",
    "Harris",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Nowak",
    "Kowalski",
    "Okafor",
    "Begum",
    "Singh",
    "Ali",
    "Murphy",
    "Kelly",
    "Price",
]
STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "London Road",
    "Mill Lane",
    "Park Road",
    "The Green",
]
