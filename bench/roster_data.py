"""A made-up roster the size of a large force, with the awkward names real rosters have."""

from __future__ import annotations

import csv
import random
from pathlib import Path

FORENAMES = ["Aisha", "Ben", "Chloe", "Daniel", "Eilidh", "Farhan", "Grace", "Hamza", "Isla", "Jack", "Kofi", "Laura", "Mohammed", "Niamh", "Oliver", "Priya", "Rosa", "Samuel", "Tamsin", "Usman", "Victoria", "Wiktor", "Yasmin", "Zoe", "Siobhán", "Åsa", "Chidi", "Mei", "Tomás", "Lars", "Zainab", "Ruairí", "Agnieszka", "Dev", "Femi", "Hannah", "Ioan", "Joanna", "Kieran", "Amir", "Bethan", "Connor", "Deepa", "Emeka", "Fatima", "Gareth", "Harpreet", "Imran", "Jasmine", "Krzysztof", "Lucy", "Marek", "Nadia", "Owen", "Patrick", "Rhiannon", "Sanjay", "Thomas", "Uchenna", "Vikram", "William", "Xavier", "Yusuf", "Zofia"]
SURNAMES = ["O'Brien", "Ní Bhriain", "Sørensen", "Smith-Jones", "Okafor", "Patel", "Nowak", "MacLeod", "Khan", "Williams", "Evans", "Da Silva", "Ahmed", "Brown", "Chen", "Fitzgerald", "Hughes", "Jansen", "Kowalski", "Lewis", "Murphy", "Nguyen", "Osei", "Price", "Quinn", "Rahman", "Taylor", "Van der Berg", "Wright", "Young", "Ó Súilleabháin", "Müller", "García-López", "Adeyemi", "Begum", "Clarke", "Doyle", "Ellis", "Forde", "Green", "Smith", "Jones", "Davies", "Thomas", "Roberts", "Walker", "Robinson", "Thompson", "White", "Edwards", "Hall", "Wood", "Harris", "Martin", "Jackson", "Clark", "Turner", "Hill", "Moore", "Cooper", "Ward", "Morris", "King", "Watson", "Baker", "Singh", "Kaur", "Ali", "Hussain", "Mensah", "Owusu", "Kelly", "Byrne", "O'Sullivan", "McCarthy", "Nkemelu", "Szymańska", "Łukasiewicz", "Ødegaard", "Þórsdóttir", "Al-Farsi", "St John", "D'Souza", "Fernández", "Rossi"]
UNITS = ["CENTRAL-EAST", "CENTRAL-NORTH", "CENTRAL-SOUTH", "CENTRAL-WEST", "EAST", "NORTH", "NORTH-EAST", "NORTH-WEST", "SOUTH", "SOUTH-EAST", "SOUTH-WEST", "WEST", "SO-PROTECTION"]


def people_rows(count: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    numbers = rng.sample(range(100000, 999999), count)
    rows = []
    for number in numbers:
        role = rng.choices(["officer", "staff", "special"], [62, 33, 5])[0]
        prefix = {"officer": "", "staff": "S", "special": "SC"}[role]
        rows.append(
            {
                "staff_number": f"{prefix}{number}",
                "forename": rng.choice(FORENAMES),
                "surname": rng.choice(SURNAMES) + ("" if rng.random() < 0.7 else f"-{rng.choice(SURNAMES)}"),
                "unit": rng.choice(UNITS),
                "role": role,
                "rank": "",
            }
        )
    return rows


def write_roster_csv(path: Path, count: int) -> list[dict[str, str]]:
    rows = people_rows(count)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows
