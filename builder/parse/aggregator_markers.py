"""The fixed phrases of the news aggregator's text dumps, in English and Arabic.

Taken from the aggregator's page layout (the seed page in shared/seeds shows the English
one); each phrase is matched on a whole line, case-insensitively, after white space is
collapsed. Add a phrase here when a new variant of the layout shows up in a crawl.
"""

from __future__ import annotations

import re

# "Published in <Publication> on DD - MM - YYYY" and its Arabic form
# "نشر في <publication> يوم DD - MM - YYYY"; digits may be Eastern Arabic.
DATE_LINE = re.compile(
    r"^\s*(?:Published\s+in|نشر\s+في)\s+(?P<publication>.+?)\s+(?:on|يوم)\s+"
    r"(?P<date>[0-9٠-٩۰-۹]{1,2}\s*-\s*[0-9٠-٩۰-۹]{1,2}\s*-\s*[0-9٠-٩۰-۹]{4})\s*$",
    re.IGNORECASE,
)
# A date line whose date is not in the DD - MM - YYYY form ("2023-02-07", "7/2/23"):
# still the date line (so it never becomes the title or a paragraph), and the date
# then fails with `bad_date` instead of vanishing. Only digits and separators count as
# a date, so prose such as "Published in Nature on Monday, ..." never matches. The
# publication is greedy: a name containing " on " keeps it, as dates never do.
LOOSE_DATE_LINE = re.compile(
    r"^\s*(?:Published\s+in|نشر\s+في)\s+(?P<publication>.+)\s+(?:on|يوم)\s+"
    r"(?P<date>[0-9٠-٩۰-۹][0-9٠-٩۰-۹\s./-]*)$",
    re.IGNORECASE,
)
ARABIC_DATE_LINE = re.compile(r"^\s*نشر\s+في")

# Lines of the "report this image" widget that sits between the ticker and the title.
BOILERPLATE_LINES = frozenset(
    {
        "thank you for reporting!",
        "this image will be automatically disabled when it gets reported by several people.",
        "شكرا على الإبلاغ!",
        "شكراً على الإبلاغ!",
        "سيتم حجب هذه الصورة تلقائيا عندما يتم الإبلاغ عنها من طرف عدة أشخاص.",
        "سيتم حجب هذه الصورة تلقائياً عندما يتم الإبلاغ عنها من طرف عدة أشخاص.",
    }
)

# The footer that links to the original story; "Clic" is the aggregator's own spelling.
FOOTER_LINE = re.compile(
    r"^\s*(?:Clic|Click)\s+here\s+to\s+read\s+the\s+story\s+from\s+its\s+source\.?\s*$"
    r"|^\s*اضغط\s+هنا\s+ل(?:قراءة|مطالعة)\s+(?:الخبر|المقال|القصة)\s+من\s+مصدره[ا]?\.?\s*$",
    re.IGNORECASE,
)

# The headline ticker is one long line of headlines glued with runs of spaces; a line
# with at least this many such segments is a ticker, never a title or paragraph.
# Only lines above the title are candidates: inside the body, a paragraph with runs of
# spaces is still a paragraph. The seed glues headlines with four no-break spaces and
# ends the line with the same run, so two segments plus that trailing run also count.
TICKER_SEPARATOR = re.compile(r"\s{3,}|\t+")
TICKER_MIN_SEGMENTS = 3
TICKER_TRAILING_RUN = re.compile(r"[^\S\n]{3,}$")
