"""Recurring template reports: daily gold, currency and weather bulletins.

Each day's bulletin is its own story: the same sentences with that day's figures. They
are the hardest negatives for text similarity, since most of their words repeat daily.
"""

from __future__ import annotations

import random

# Every bulletin sentence carries figures or the day, except the fixed closing lines,
# as in the daily price reports Egyptian sites publish.
GOLD = [
    "Gold prices in Egypt {move} on {day}, with the price of 21-karat gold, the most popular in "
    "the country, reaching EGP {n1} per gram, according to the Gold Division at the Federation "
    "of Chambers of Commerce.",
    "The price of 24-karat gold stood at EGP {n2} per gram, while 18-karat gold was at EGP {n3}.",
    "The gold pound, which weighs eight grams of 21-karat gold, was sold at EGP {n4}.",
    "Globally, the ounce traded at {n5} dollars, {updown} {pct} percent from the previous session.",
    "Prices have {moved} by about {pct2} percent since the start of the month, traders said.",
    "Prices are indicative and may vary between shops, as workmanship fees are added to the "
    "price of each gram.",
]
CURRENCY = [
    "The US dollar traded at EGP {n1} for buying and EGP {n2} for selling at the National Bank "
    "of Egypt on {day}.",
    "At Banque Misr, the dollar was at EGP {n3} for buying and EGP {n4} for selling.",
    "The euro {move} to EGP {n5}, while the pound sterling was at EGP {n6}.",
    "The Saudi riyal traded at EGP {n7} and the UAE dirham at EGP {n8}.",
    "The central bank's official rate stood at EGP {n9}, {updown} {pct} percent from the week "
    "before.",
    "Rates are updated throughout the day and may differ slightly between banks.",
]
WEATHER = [
    "The Egyptian Meteorological Authority forecast {sky} weather on {day}, with a high of {t1} "
    "degrees Celsius in Cairo.",
    "Temperatures in Alexandria will reach {t2} degrees, and {t3} degrees in Aswan.",
    "Winds will blow at {w1} kilometres per hour on the northern coast, the authority said.",
    "Humidity will range between {h1} and {h2} percent in the early morning hours.",
    "Light fog is expected on agricultural roads between {hour1} and {hour2} am.",
    "The authority advised citizens to follow its daily bulletins for updates.",
]
SERIES = {
    "gold": ("Gold prices {move} on {day}", GOLD),
    "currency": ("Dollar exchange rate on {day}", CURRENCY),
    "weather": ("Weather forecast for {day}: {sky} skies", WEATHER),
}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _figures(rng: random.Random, day: str) -> dict[str, str]:
    up = rng.random() < 0.5
    values = {f"n{i}": f"{rng.uniform(20, 5000):,.2f}" for i in range(1, 10)}
    values.update({f"t{i}": str(rng.randint(14, 45)) for i in range(1, 4)})
    values.update(
        {
            "day": day,
            "move": "rose" if up else "fell",
            "moved": "risen" if up else "fallen",
            "updown": "up" if up else "down",
            "pct": f"{rng.uniform(0.1, 3):.1f}",
            "pct2": f"{rng.uniform(0.5, 8):.1f}",
            "sky": rng.choice(("hot", "mild", "cloudy", "humid")),
            "w1": str(rng.randint(10, 60)),
            "h1": str(rng.randint(30, 60)),
            "h2": str(rng.randint(61, 95)),
            "hour1": str(rng.randint(3, 5)),
            "hour2": str(rng.randint(7, 9)),
        }
    )
    return values


def bulletin(rng: random.Random, series: str, day_index: int) -> tuple[str, list[str]]:
    """(title, paragraphs) of one day's bulletin of a series."""
    title_template, sentences = SERIES[series]
    values = _figures(rng, DAYS[day_index % 7])
    return title_template.format(**values), [s.format(**values) for s in sentences]
