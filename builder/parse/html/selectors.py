"""Data for the HTML parser: metadata names, boilerplate markers and phrases, month names.

Where these come from: the metadata names are those of the published vocabularies
(schema.org, Open Graph and its `article:` namespace, Dublin Core, the `pubdate`/
`sailthru`/`parsely` names news CMSs emit); the class/id markers and phrases are the
conventions of common CMSs and widgets (WordPress and Jetpack, Blogger, Arc/Next.js
CSS modules, AdSense/GPT slots, consent banners) and the phrases news sites print
above link boxes, in the three languages of the corpus (English, Arabic, French).
Each entry was checked against the gold pages in tests/fixtures/html: adding one
must not remove a gold paragraph there (the tests fail if it does).
"""

from __future__ import annotations

import re

# --- JSON-LD ---------------------------------------------------------------------------
# schema.org types whose node describes the article itself (CreativeWork > Article tree).
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "AnalysisNewsArticle",
        "AskPublicNewsArticle",
        "BackgroundNewsArticle",
        "OpinionNewsArticle",
        "ReportageNews",
        "ReportageNewsArticle",
        "ReviewNewsArticle",
        "SatiricalArticle",
        "ScholarlyArticle",
        "MedicalScholarlyArticle",
        "AdvertiserContentArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "DiscussionForumPosting",
        "SocialMediaPosting",
        "Report",
        "TechArticle",
    }
)
# Page-level nodes whose dates/names are a fallback when no article node has them.
PAGE_TYPES = frozenset({"WebPage", "ItemPage"})

# --- <meta> names, best first -----------------------------------------------------------
# Only names that mean "first published"; modified/updated names are never read.
PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "sailthru.date",
    "parsely-pub-date",
    "date",
    "created",
)
# Names of a modification date: read only to know that a page has one.
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dcterms.modified",
)
# Attributes marking an element whose content/datetime/text is the publication date:
# schema.org microdata, and the RDFa properties Drupal and other CMSs print.
PUBLISHED_PROPERTIES = (
    "datePublished",
    "schema:datePublished",
    "dc:date",
    "dc:created",
    "dcterms:created",
    "dcterms:issued",
    "article:published_time",
)
TITLE_META = ("og:title", "twitter:title", "dc.title", "dcterms.title", "sailthru.title")
SITE_META = (
    "og:site_name",
    "application-name",
    "dc.publisher",
    "dcterms.publisher",
    "twitter:app:name:iphone",
)
AUTHOR_META = (
    "author",
    "article:author",
    "sailthru.author",
    "parsely-author",
    "dc.creator",
    "dcterms.creator",
    "byl",
)
LANGUAGE_META = ("content-language", "dc.language", "dcterms.language", "og:locale", "language")

# --- authors ----------------------------------------------------------------------------
# A byline starts with one of these; what follows is the list of names. The words are
# the labels news and blog themes print before a name, in the corpus languages and the
# other languages of real crawls (German, Spanish, Portuguese); a word must end there
# ("By" is not the start of "Byron").
BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:words|written|posted|published|report|reporting|story|text|article|recipe)"
    r"\s+by|by|par|von|por|"
    r"(?:text|artikel|beitrag|rezept|ein\s+beitrag|ein\s+artikel|interview)\s+von|"
    r"(?:zum\s+)?profil\s+von|"
    r"(?:geschrieben|verfasst|erstellt|eingestellt|ver[öo]ffentlicht|gepostet)\s+von|"
    r"(?:[ée]crit|r[ée]dig[ée]|publi[ée])\s+par|(?:escrito|publicado|redactado)\s+por|"
    r"autor(?:in|en)?|author|auteur|text|interview|"
    r"بقلم|كتب|كتبت|إعداد|تقرير)(?:\s*[:\-–—]\s*|\s+|$)",
    re.IGNORECASE,
)
# What separates several names in one byline ("A, B and C", "A و B").
NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\bet\b|\bund\b|\s+و\s*)\s*", re.IGNORECASE)
# Where a byline stops being names: a pipe, a dot, a date or a role after a comma is cut.
BYLINE_END = re.compile(
    r"\s*(?:[|·•—–]|\bupdated\b|\bpublished\b|\bon\s+\w+day\b|\s(?:at|in|from|am)\s|"
    r"\s(?:follow|folgen|kontakt)\b).*$",
    re.IGNORECASE
)
# Asides in a byline: "Julien Morel (Louxor, envoyé spécial)", "[Cairo]".
BYLINE_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Bylines that name a desk, not a person (wire copy credits a desk in `meta author`).
NOT_A_PERSON = re.compile(
    r"\b(?:desk|staff|team|newsroom|editorial|editors|agency|agencies|bureau|online|"
    r"correspondents?|reporters|admin|administrator)\b|^https?://|^www\.|@|"
    # labels of an author box printed where a byline selector looks for the name
    r"^(?:über\s+den\s+autor|about\s+the\s+author|post\s+author|autoreninfo|"
    r"posted(?:\s+on)?|ver[öo]ffentlicht(?:\s+am)?|publiziert(?:\s+am)?|datum|"
    r"publisher|unknown|no\s+author|anonymous|an[óo]nimo|home|collected\s+by|quelle|source|"
    # "Stand" (German "as of", before a date); "Autor kontaktieren" (a contact button)
    r"stand|kontakt(?:ieren)?|contact)$|"
    # academic degrees after a comma ("Ann Lee, PhD")
    r"^(?:ph\.?\s?d|m\.?\s?d|mba|msc|bsc|ma|ba|rn)\.?$|"
    # a "Key: value" line (an archive toolbar's "Organization: ...") is not a name
    r"^[^:]{1,30}:",
    re.IGNORECASE,
)
# Job titles that follow a name after a comma ("Youssef Adly, News Editor").
ROLE_WORDS = re.compile(
    r"\b(?:editor|reporter|correspondent|writer|columnist|contributor|producer|"
    r"journalist|intern|chief|senior|staff|photographer|analyst)\b",
    re.IGNORECASE,
)
MAX_NAME_WORDS = 5  # longer "names" are sentences that a loose selector picked up

# --- body boilerplate -------------------------------------------------------------------
# Elements that never hold article text, whatever their share of the page.
# (<noscript> is not one: pages that build the article with scripts put its text there.)
CAPTION_TAGS = frozenset({"figcaption", "figure", "button", "label", "select", "menu"})
# The caption tags and class word of figures: a gallery's text (body.py).
FIGURE_TAGS = frozenset({"figcaption", "figure"})
CAPTION_PREFIX = "caption"
# Layout elements that hold no article text unless they wrap the whole article (ASP.NET
# pages sit inside one <form>; some themes put the article in an <aside>).
LAYOUT_TAGS = frozenset({"nav", "aside", "footer", "form"})
# The link-box words that name a list of links (tags, related articles, menus, "read
# more"): a block they mark is boilerplate for the body only when it holds a link.
LINK_LIST_EXACT = frozenset(
    {"also", "more", "tags", "tag", "breadcrumb", "breadcrumbs", "crumbs", "pager", "menu", "nav"}
)
LINK_LIST_PREFIXES = (
    "related",
    "recommend",
    "trending",
    "popular",
    "mostread",
    "readalso",
    "readmore",
    "lireaussi",
    "relacionad",
)
# class/id words (split at -, _, spaces and camelCase) marking a non-body block; a word
# matches when it equals one of the EXACT words or starts with one of the PREFIXES.
# Link boxes, ads, calls to action and comments: never body, never the article's date.
# The link-list words above are link-box words too.
LINKBOX_EXACT = LINK_LIST_EXACT | frozenset(
    {
        "ad",
        "ads",
        "adv",
        "adslot",
        "dfp",
        "gpt",
        "pub",
        "promo",
        "share",
        "partage",
        "cta",
        "appeal",
        "signup",
        "outbrain",
        "taboola",
        "reagir",
        "tools",
        "toolbar",
        "ticker",
        "widget",
        "sidebar",
    }
)
LINKBOX_PREFIXES = LINK_LIST_PREFIXES + (
    "sponsor",
    "promo",
    "newsletter",
    "subscri",
    "cookie",
    "consent",
    "sharing",
    "social",
    "advert",
    "comment",
    "disclaim",
    "paywall",
    "donat",
)
# Bylines, dates, captions and bios: not body, but where the byline and date live.
META_EXACT = frozenset(
    {
        "bio",
        "byline",
        "author",
        "authors",
        "auteur",
        "writer",
        "date",
        "time",
        "dateline",
        "meta",
        "updated",
        "credit",
        "credits",
        "by",
    }
)
# Link-box words that still mark a link box for the date and byline search, but not a
# block of body text: page builders wrap every block of an article in a "widget"
# (Elementor's `elementor-widget-container`). Measured on trafilatura-eval: as body
# markers they removed 11 gold sentences and kept out 1 boilerplate snippet.
BODY_NEUTRAL_WORDS = frozenset({"widget"})
# Words that match a marker prefix but name the article itself: Drupal classes an article
# shown on the front page `node--promoted` ("promo" prefix).
NOT_MARKER_WORDS = frozenset({"promoted"})
META_PREFIXES = (CAPTION_PREFIX, "pullquote")
# A short line starting with one of these is a link box, credit or call to action.
BOILERPLATE_LINE = re.compile(
    r"^\s*(?:read\s+(?:more|also|next)|also\s+read|see\s+also|related(?:\s+\w+)?\s*:|"
    r"recommended|advertisement|sponsored|paid\s+(?:partner|post|content)|"
    r"photo(?:graph)?s?\s*(?:by|:)|fotos?\s*:|fot\.\s|image\s*:|pictures?\s*:|credit\s*:|courtesy\s+of|"
    r"\(?(?:additional\s+)?reporting\s+by|editing\s+by|writing\s+by|comments\s+are\s+closed|"
    r"follow\s+us|share\s+(?:this|on)|sign\s+up|subscribe|click\s+here|download\s+our|"
    r"listen\s+to\s+this|all\s+rights\s+reserved|copyright|©|"
    r"(?:we|this\s+(?:site|website))\s+uses?\s+cookies|by\s+continuing\s+(?:to\s+)?(?:use|brows)|"
    r"(?:à\s+)?lire\s+(?:aussi|également|la\s+suite)|voir\s+aussi|publicité|abonnez|"
    r"partager|إقرأ|اقرأ|شاهد\s+أيضا|للمزيد|تابعنا|إعلان|"
    r"اشترك|"
    # the same calls in the other languages of real crawls (German, Spanish, Portuguese,
    # Italian); a lone "Anzeige" is the label of an ad slot
    r"lesen\s+sie\s+(?:auch|mehr|hier)|mehr\s+zum\s+thema|auch\s+interessant|weiterlesen|"
    r"das\s+könnte\s+sie\s+auch\s+interessieren|"
    r"lea\s+(?:más|también|además)|lea\s*:|lee\s+(?:más|también)|le\s+puede\s+interesar|"
    r"mira\s*:|ver\s+también|leia\s+(?:mais|também)|veja\s+também|leggi\s+anche|"
    r"(?:anzeige|werbung|publicidad|pubblicità)\s*$)",
    re.IGNORECASE,
)
BOILERPLATE_LINE_MAX_CHARS = 220  # a real paragraph opening with "Subscribe" is longer
# A paragraph that is (nearly) all link text and this short is a teaser, not prose.
LINK_SHARE = 0.9
LINK_LINE_MAX_CHARS = 160
# A line contained in a longer body line is a pull quote when at least this long.
PULLQUOTE_MIN_CHARS = 40

# Class/id words of the block that holds an article's lead (standfirst) in its header:
# the names themes give it in English, French (chapô, sapo), German (Vorspann, Anriss)
# and Spanish (entradilla, bajada). A word equals one of LEAD_WORDS or starts with one of
# LEAD_PREFIXES ("introtext", "teasertext", "excerpt-wrap"). "lead" is exact: a
# "leaderboard" is an ad slot.
LEAD_WORDS = frozenset(
    {
        "lead",
        "lede",
        "leadtext",
        "standfirst",
        "deck",
        "dek",
        "chapo",
        "chapeau",
        "sapo",
        "vorspann",
        "anriss",
        "entradilla",
        "bajada",
        "subheadline",
        "subtitle",
        "preface",
    }
)
LEAD_PREFIXES = ("intro", "teaser", "excerpt", "abstract", "summary")

# --- dates ------------------------------------------------------------------------------
# Words that say the date next to them is not the first publication.
NOT_PUBLISHED_CONTEXT = re.compile(
    r"updat|modif|edit|revis|last|changed|تحديث|تعديل|mis\s+à\s+jour|modifié", re.IGNORECASE
)
# Words that announce the publication date in a byline or dateline.
PUBLISHED_CONTEXT = re.compile(r"publi|posted|نشر|first", re.IGNORECASE)
# Month names of the corpus languages; Arabic has both Egyptian and Levantine names.
MONTHS: dict[str, int] = {
    **{
        m: i
        for i, m in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
            1,
        )
    },
    **{
        m: i
        for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
        )
    },
    "sept": 9,
    **{
        m: i
        for i, m in enumerate(
            [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
            1,
        )
    },
    "fevrier": 2,
    "aout": 8,
    "decembre": 12,
    **{
        m: i
        for i, m in enumerate(
            [
                "يناير",
                "فبراير",
                "مارس",
                "أبريل",
                "مايو",
                "يونيو",
                "يوليو",
                "أغسطس",
                "سبتمبر",
                "أكتوبر",
                "نوفمبر",
                "ديسمبر",
            ],
            1,
        )
    },
    "إبريل": 4,
    "ابريل": 4,
    "يونيه": 6,
    "يوليه": 7,
    "اغسطس": 8,
    "اكتوبر": 10,
    **{
        m: i
        for i, m in enumerate(
            [
                "كانون الثاني",
                "شباط",
                "آذار",
                "نيسان",
                "أيار",
                "حزيران",
                "تموز",
                "آب",
                "أيلول",
                "تشرين الأول",
                "تشرين الثاني",
                "كانون الأول",
            ],
            1,
        )
    },
    # German, Dutch, Spanish, Italian and Portuguese: the other languages of European
    # news pages (German is a third of the real-web dev sets). No name here means two
    # different months in two languages ("mar", "mai" mean the same month everywhere).
    **{
        name: month
        for names in (
            "januar februar märz april mai juni juli august september oktober november dezember",
            "jan feb mär apr mai jun jul aug sep okt nov dez",
            "januari februari maart april mei juni juli augustus september oktober november"
            " december",
            "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre"
            " diciembre",
            "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre"
            " dicembre",
            "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro"
            " dezembro",
            "janv févr mars avr mai juin juil août sept oct nov déc",
        )
        for month, name in enumerate(names.split(), 1)
    },
    "jänner": 1,  # Austrian
    "mrz": 3,
    "maerz": 3,
    "setiembre": 9,
}
# How far after the headline a visible byline or date may sit (characters of text).
HEADER_WINDOW_CHARS = 600
# How far before the headline a date line may sit: a kicker or date line just above the
# <h1> ("12.01.2022 | Press release"), not the navigation further up.
ABOVE_HEADLINE_CHARS = 120
