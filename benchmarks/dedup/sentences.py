"""Sentences and headlines about one news event, from templates and the word lists."""

from __future__ import annotations

import random
from dataclasses import dataclass

from benchmarks.dedup import vocab as V


@dataclass(frozen=True)
class Person:
    name: str
    role: tuple[str, str]  # (title, short form used in headlines)
    country: tuple[str, str]  # (country, demonym)

    def full(self) -> str:
        return f"{self.country[1]} {self.role[0]} {self.name}"

    def surname(self) -> str:
        return self.name.split(" ", 1)[1]


@dataclass(frozen=True)
class Event:
    people: list[Person]
    countries: list[tuple[str, str]]
    topic: str
    topic2: str
    city: str
    weekday: str
    org: str
    date: str
    # Sentences every article on the event may quote verbatim (the official statement,
    # a minister's quote): what makes unrelated articles on one event look alike.
    shared: tuple[str, ...] = ()


# Slots: {A}/{B} a person's full title, {a}/{b} a surname, {c}/{c2} countries, {d} a
# demonym; lower-case slots are drawn fresh for every sentence.
TEMPLATES = [
    "{A} said on {day} that {c} was ready to {verb} {adj} cooperation with {c2} in {sector}.",
    "During {talk} in {city}, the two sides {past} a {adj} {thing} on {topic}.",
    "{a} stressed the importance of joint efforts to {verb} {topic}, according to a statement "
    "by {org}.",
    "According to {org}, the {thing} is expected to {verb} {xtopic} {when}.",
    "The {thing} includes {num} {unit} and will be carried out {when}, the statement added.",
    "{a} told reporters that {reason} had made it necessary to {verb} {topic}.",
    "The {d} side expressed hope that the {adj} {thing} would help {verb} {sector} {when}.",
    "{B} praised the role of {c} in {topic}, calling it {adj} and {adj2}.",
    "Trade between the two countries reached {num} {unit} last year, up {pct} percent from a "
    "year earlier, according to {org}.",
    "{a} also {past} plans to {verb} {xtopic}, a file that has been pending since {year}.",
    "Officials from {org} are scheduled to visit {city} {when} to {verb} the {thing}.",
    "The meeting comes as {c} seeks to {verb} {xtopic} amid {reason}.",
    "{a} pointed out that {num} {unit} had already been delivered under the {thing}.",
    "In {year}, {c} and {c2} {past} a {thing} to {verb} {sector}, which {a} described as a "
    "model for the region.",
    "The {adj} {thing} covers {sector}, {sector2} and {sector3}, {org} said in a statement on "
    "{day}.",
    "Both sides agreed to form a {adj} {thing} to follow up on {topic} and report back {when}.",
    "{A} is on a {small}-day visit to {c2}, during which {a} will meet senior officials and "
    "business leaders.",
    "{b} invited {a} to visit {city} {when}, an invitation that was welcomed by the {d} side.",
    "Analysts say {xtopic} remains a {adj} priority for {c}, given {reason}.",
    "{a} warned that any delay in {xtopic} would affect some {num} {unit}.",
    "A source at {org} said the {thing} would be presented to {org2} {when}.",
    "The two officials also touched on {xtopic} and {xtopic2}, according to the statement.",
    '"We are determined to {verb} {topic} together," {a} said.',
    '"{c} will not hesitate to {verb} {xtopic}," {a} added, according to {org}.',
    "{c} has allocated {num} {unit} to {xtopic} in the budget for the current fiscal year.",
    "Earlier this month, {org} {past} a {adj} {thing} worth {num} {unit}.",
    "{a} and {b} {past} the latest figures on {sector}, which showed an increase of {pct} percent.",
    "The talks in {city} were attended by representatives of {org} and {org2}.",
    "{b} said {c2} looked forward to a {adj} {thing} with {c} on {xtopic}.",
    "Last {day}, {a} held {talk} with {b} on {topic}, the second such contact in {small} weeks.",
    "{c} is among the largest investors in {sector} in {c2}, with projects worth {num} {unit}.",
    "The {thing} was first proposed in {year} but stalled because of {reason}.",
    "{a} noted that the {adj} phase of the {thing} would focus on {sector} and {sector2}.",
    "The statement did not give details on the cost of the {thing} or on how {xtopic} would be "
    "financed.",
    "{org} has repeatedly called for steps to {verb} {xtopic}, citing {reason}.",
    "Speaking at {talk} in {city} on {day}, {a} said {c} aimed to {verb} {sector} {when}.",
    "Some {num} {unit} are expected to benefit from the {thing}, {a} said.",
    "{b} briefed {a} on the {adj} steps taken by {c2} to {verb} {xtopic}.",
]

TITLE_TEMPLATES = [
    "{c}'s {r} discusses {t} with {c2} counterpart",
    "{c}, {c2} discuss {t}",
    "{d} {rl} reviews progress on {t}",
    "{c} to {verb} {t}: {rl}",
    "{c}'s {r} meets {d2} delegation on {t}",
    "{c} and {c2} sign {thing} on {t}",
]


def _bare(topic: str) -> str:
    return topic[4:] if topic.startswith("the ") else topic


def make_sentence(rng: random.Random, event: Event) -> str:
    """One sentence about the event: its people and topic, fresh fillers elsewhere."""
    a, b = rng.sample(event.people, 2)
    c, c2 = (a.country, b.country) if a.country != b.country else (a.country, event.countries[2])
    topic = rng.choice((event.topic, event.topic2))
    slots = {
        "A": a.full(),
        "B": b.full(),
        "a": a.surname(),
        "b": b.surname(),
        "c": c[0],
        "c2": c2[0],
        "d": c[1],
        "topic": topic,
        "xtopic": rng.choice(V.TOPICS),
        "xtopic2": rng.choice(V.TOPICS),
        "day": event.weekday,
        "city": rng.choice((event.city, rng.choice(V.CITIES))),
        "verb": rng.choice(V.VERBS),
        "past": rng.choice(V.PAST_VERBS),
        "adj": rng.choice(V.ADJECTIVES),
        "adj2": rng.choice(V.ADJECTIVES),
        "thing": rng.choice(V.THINGS),
        "sector": rng.choice(V.SECTORS),
        "sector2": rng.choice(V.SECTORS),
        "sector3": rng.choice(V.SECTORS),
        "org": event.org,
        "org2": rng.choice(V.ORGS),
        "talk": rng.choice(V.PLACES_OF_TALK),
        "reason": rng.choice(V.REASONS),
        "when": rng.choice(V.TIME_PHRASES),
        "unit": rng.choice(V.UNITS),
        "num": _number(rng),
        "pct": str(rng.randint(2, 60)),
        "year": str(rng.randint(2008, 2023)),
        "small": str(rng.randint(2, 6)),
    }
    sentence = rng.choice(TEMPLATES).format(**slots)
    return sentence[0].upper() + sentence[1:]


def make_title(rng: random.Random, event: Event) -> str:
    a = event.people[0]
    other = event.people[2].country
    slots = {
        "c": a.country[0],
        "c2": other[0],
        "d": a.country[1],
        "d2": other[1],
        "r": a.role[1],
        "rl": a.role[1].lower() if a.role[1] != "FM" else "foreign minister",
        "t": _bare(event.topic),
        "verb": rng.choice(V.VERBS),
        "thing": rng.choice(V.THINGS),
    }
    title = rng.choice(TITLE_TEMPLATES).format(**slots)
    return title[0].upper() + title[1:]


def _number(rng: random.Random) -> str:
    value = rng.choice((rng.randint(2, 99), rng.randint(100, 999), round(rng.uniform(1, 20), 1)))
    return f"{value:,}" if isinstance(value, int) else str(value)
