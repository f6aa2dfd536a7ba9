"""Rule tables behind ``python -m etl draft``: the words that make a guess, as data.

Everything the drafter recognises in a sentence lives here, grouped by language (``az``, ``ru``,
``en``): the kind of a figure (target, forecast, agreement, change), the grammar of periods
("ötən il", "2025-ci ilin yanvar-iyul aylarında", "в первом полугодии", "in the first seven
months"), base periods of a change, statistics bodies and the side whose statistics they are,
speech verbs for attribution, event cues and page chrome. The indicators' own cue words live
with the indicators, in ``data/indicators.yaml`` (field ``cues``).

A *cue* is a phrase of word stems: each token (of three letters or more) matches a word that
starts with it
(``"ticarət dövriyyə"`` matches "ticarət dövriyyəsi", ``"товарооборот"`` matches
"товарооборота"); ``…`` between tokens allows up to :data:`GAP_WORDS` words in between
(``"Əliyev … Qazaxıstana"``). Matching is case-insensitive; Azerbaijani ``İ`` folds to ``i``.

Period phrases are regular expressions over the lower-cased sentence, built from the small
tables below; each names the groups it fills (``y`` year, ``rel`` relative year, ``h`` half,
``q`` quarter, ``n`` first-n-months, ``m1``/``m2`` months) and :mod:`etl.draft` resolves them
against the article's published date.

Example:
    >>> cue_tokens("Əliyev … Qazaxıstana")
    (('əliyev',), ('qazaxıstana',))
    >>> KIND_CUES["target"]["ru"][0]
    'цель'
"""

from __future__ import annotations

import re

from etl import lexicon as lx

DRAFT_LANGS = ("az", "ru", "en")
GAP = "…"
GAP_WORDS = 8
# Cue tokens this short match whole words only ("up" must not match "upgrade").
WHOLE_WORD_MAX = 2

# --- kinds of figures ---------------------------------------------------------------------------
# Order matters: the first kind whose cue is found decides (change needs unit percent or times).
KIND_ORDER = ("change", "target", "forecast", "agreement")
KIND_CUES: dict[str, dict[str, list[str]]] = {
    "change": {
        "az": ["artaraq", "artıb", "artım", "artmış", "artdı", "artacaq", "artması", "çoxdur",
               "çox olub", "müqayisədə", "azalıb", "azalaraq", "azalma", "yüksəlib"],
        "ru": ["больше", "меньше", "вырос", "выросл", "вырастет", "увелич", "рост", "сократ",
               "снизи", "по сравнению"],
        "en": ["up", "down", "increase", "grew", "grow", "rose", "rise", "fell", "more than the",
               "compared", "higher", "lower", "jump", "growth"],
    },
    "target": {
        "az": ["məqsəd", "hədəf", "çatdırmaq", "çatdırılması"],
        "ru": ["цель", "целев", "намерен", "планиру", "задача"],
        "en": ["aim", "target", "goal", "plan to", "plans to", "intend", "seek"],
    },
    "forecast": {
        "az": ["proqnoz", "gözlənilir", "gözləntil"],
        "ru": ["прогноз", "ожида", "по оценк"],
        "en": ["forecast", "expect", "projected", "predict", "outlook"],
    },
    "agreement": {
        "az": ["saziş", "müqavilə", "razılaşma", "kontrakt"],
        "ru": ["соглашени", "договор", "контракт"],
        "en": ["agreement", "contract", "deal"],
    },
}

# --- periods --------------------------------------------------------------------------------------
# Relative years, as an offset from the published year.
RELATIVE_YEARS: dict[str, dict[str, int]] = {
    "az": {"ötən il": -1, "keçən il": -1, "bu il": 0, "cari il": 0, "gələn il": 1,
           "növbəti il": 1},
    "ru": {"прошлого года": -1, "прошлом году": -1, "прошлый год": -1, "этого года": 0,
           "этом году": 0, "текущего года": 0, "текущем году": 0, "следующего года": 1,
           "следующем году": 1},
    "en": {"last year": -1, "previous year": -1, "the year before": -1, "this year": 0,
           "current year": 0, "next year": 1},
}
# Halves and quarters of a year.
HALVES: dict[str, dict[str, int]] = {
    "az": {"ilk yarı": 1, "birinci yarı": 1, "ikinci yarı": 2, "ilk yarımil": 1,
           "birinci yarımil": 1, "ikinci yarımil": 2, "i yarımil": 1, "ii yarımil": 2},
    "ru": {"первом полугоди": 1, "первое полугоди": 1, "первого полугоди": 1,
           "втором полугоди": 2, "второе полугоди": 2, "второго полугоди": 2},
    "en": {"first half": 1, "second half": 2, "h1": 1, "h2": 2},
}
QUARTERS: dict[str, dict[str, int]] = {
    "az": {"birinci rüb": 1, "ilk rüb": 1, "i rüb": 1, "ikinci rüb": 2, "üçüncü rüb": 3,
           "dördüncü rüb": 4},
    "ru": {"первом квартал": 1, "первый квартал": 1, "втором квартал": 2, "третьем квартал": 3,
           "четвертом квартал": 4, "четвёртом квартал": 4},
    "en": {"first quarter": 1, "second quarter": 2, "third quarter": 3, "fourth quarter": 4,
           "q1": 1, "q2": 2, "q3": 3, "q4": 4},
}
# "the first N months": the words around N ({n} is digits or a word numeral of lexicon.NUMERALS).
FIRST_MONTHS: dict[str, str] = {
    "az": r"ilk\s+{n}\s+ay\w*",
    "ru": r"(?:перв\w+\s+)?{n}\s+месяц\w*",
    "en": r"first\s+{n}\s+months",
}
# Words between a sub-period and its year: "ilin", "of", "года"...
YEAR_JOINERS: dict[str, str] = {"az": r"\s+", "ru": r"\s+", "en": r"\s+(?:of\s+)?(?:the\s+)?"}
# An absolute year as written.
YEAR_ABS: dict[str, str] = {
    "az": r"(?P<y>(?:19|20)\d\d)(?:\s?-?\s?(?:c[iıuü]|[iıuü]nc[iıuü]))?\s+il\w*",
    "ru": r"(?P<y>(?:19|20)\d\d)\s*(?:год\w*|гг?\.?)",
    "en": r"(?P<y>(?:19|20)\d\d)\b",
}
# Deadlines: "2029-cu ilədək", "к 2030 году", "by the end of 2026". Group ``end`` marks "end of".
DEADLINES: dict[str, list[str]] = {
    "az": [r"(?P<y>(?:19|20)\d\d)(?:\s?-?\s?(?:c[iıuü]|[iıuü]nc[iıuü]))?\s+"
           r"(?:il[əi]d[əa]k|il[əa]\s+q[əa]d[əa]r|ilin\s+(?P<end>sonuna\s+q[əa]d[əa]r|sonunad[əa]k))"],
    "ru": [r"к\s+(?:(?P<end>концу)\s+)?(?P<y>(?:19|20)\d\d)\s*год\w*",
           r"до\s+(?P<end>конца)\s+(?P<y>(?:19|20)\d\d)\s*год\w*"],
    "en": [r"by\s+(?:(?P<end>the\s+end\s+of)\s+)?(?P<y>(?:19|20)\d\d)\b"],
}
# "So far / to date / now": a stock at the published date.
STOCK_CUES: dict[str, list[str]] = {
    "az": ["indiyədək", "bu günədək", "hazırda", "hal-hazırda"],
    "ru": ["на сегодняшний день", "на данный момент", "к настоящему времени", "на сегодня",
           "в настоящее время", "всего"],
    "en": ["to date", "so far", "now stands", "now", "currently", "in total"],
}
# "This month": the published month.
THIS_MONTH: dict[str, list[str]] = {
    "az": ["bu ay"], "ru": ["в этом месяце", "в текущем месяце"], "en": ["this month"]}
# An event under way or imminent when the article appeared ("indiki bu səfər", "on the eve of
# the visit"): dated to the published month, for events only (never a figure's period).
ONGOING: dict[str, list[str]] = {
    "az": ["indiki", "hazırkı", "ərəfəsində", "davam edən"],
    "ru": ["нынешн", "текущ визит", "накануне"],
    "en": ["current visit", "ongoing", "on the eve of", "under way"],
}
# A duration (scanner unit "years") becomes a trailing window ending at the published date when
# one of these stands right before it ("son ilyarım") or right after it ("1 il 6 ay ərzində").
WINDOW_BEFORE: dict[str, list[str]] = {
    "az": ["son", "təkcə", "ötən", "keçən", "axırıncı"],
    "ru": ["последние", "последний", "прошедшие", "за"],
    "en": ["last", "past", "previous"],
}
WINDOW_AFTER: dict[str, list[str]] = {
    "az": ["ərzində", "müddətində", "içində"], "ru": [], "en": []}
# The base of a change: consumed before periods are read, so "2024-cü ilin eyni dövrü" is not
# taken as the figure's own period. {year} is a year as written (absolute or relative).
BASE_PERIODS: dict[str, list[str]] = {
    "az": [r"(?:{year}\s+)?eyni\s+dövr\w*", r"{year}\s+il\w*\s+müqayisədə",
           r"{year}\s+ilə\s+müqayisədə"],
    "ru": [r"(?:с\s+|за\s+)?аналогичн\w+\s+период\w*(?:\s+{year})?",
           r"по\s+сравнению\s+с\s+{year}"],
    "en": [r"(?:from|over|on|than\s+in|than)\s+the\s+same\s+period(?:\s+(?:of|in)\s+{year})?",
           r"(?:from|over|than)\s+the\s+year\s+before", r"(?:compared\s+(?:with|to)|from)\s+{year}",
           r"year[\s-]on[\s-]year"],
}
# The period of the figure before is meant: "Bunun ..." (of this), "bu dövrdə" (in this period).
ANAPHORA: dict[str, list[str]] = {
    "az": ["bunun", "bu dövrdə", "həmin dövrdə", "onun"],
    "ru": ["из них", "из него", "в этот период", "за этот период", "за тот же период"],
    "en": ["of this", "of which", "of that", "in the same period", "during this period",
           "over the same period"],
}

# Words that point back to the quantity named before ("bu həcmi ... 10 milyon tona çatdırmaq"):
# a number with no indicator cue of its own takes the indicator of the figure before it.
INDICATOR_ANAPHORA: dict[str, list[str]] = {
    "az": ["bu həcm", "həmin həcm", "bu göstərici", "həmin göstərici", "bu rəqəm"],
    "ru": ["этот объем", "этот объём", "этот показатель", "эту цифру", "его до"],
    "en": ["this volume", "this figure", "the figure", "raise it", "bring it"],
}

# --- who reports, who speaks ----------------------------------------------------------------------
# Statistics bodies: cue -> (cited_body as the register spells it, reporting side).
STAT_BODIES: dict[str, dict[str, tuple[str, str]]] = {
    "az": {
        "azərbaycan iqtisadiyyat nazirliy": ("Azerbaijan's Ministry of Economy", "AZ"),
        "dövlət statistika komitə": ("State Statistical Committee of Azerbaijan", "AZ"),
        "dövlət gömrük komitə": ("Azerbaijan's State Customs Committee", "AZ"),
        "qazaxıstan nəqliyyat nazirliy": ("Kazakhstan's Ministry of Transport", "KZ"),
        "milli statistika bürosu": ("Kazakhstan's Bureau of National Statistics", "KZ"),
        "qazaxıstan ticarət və inteqrasiya nazirliy": (
            "Kazakhstan's Ministry of Trade and Integration", "KZ"),
    },
    "ru": {
        "бюро национальной статистики": ("Kazakhstan's Bureau of National Statistics", "KZ"),
        "министерства транспорта казахстан": ("Kazakhstan's Ministry of Transport", "KZ"),
        "министерство транспорта казахстан": ("Kazakhstan's Ministry of Transport", "KZ"),
        "министерства торговли и интеграции": (
            "Kazakhstan's Ministry of Trade and Integration", "KZ"),
        "госкомстат азербайджан": ("State Statistical Committee of Azerbaijan", "AZ"),
        "государственного комитета по статистике азербайджан": (
            "State Statistical Committee of Azerbaijan", "AZ"),
        "государственного таможенного комитета": ("Azerbaijan's State Customs Committee", "AZ"),
        "министерства экономики азербайджан": ("Azerbaijan's Ministry of Economy", "AZ"),
    },
    "en": {
        "bureau of national statistics": ("Kazakhstan's Bureau of National Statistics", "KZ"),
        "kazakhstan's ministry of transport": ("Kazakhstan's Ministry of Transport", "KZ"),
        "state statistical committee": ("State Statistical Committee of Azerbaijan", "AZ"),
        "state customs committee": ("Azerbaijan's State Customs Committee", "AZ"),
        "azerbaijan's ministry of economy": ("Azerbaijan's Ministry of Economy", "AZ"),
    },
}
# Verbs that attribute words to a speaker ("deyib", "сказал", "said").
SPEECH_VERBS: dict[str, list[str]] = {
    "az": ["deyib", "deyə", "bildirib", "bildirdi", "qeyd edib", "vurğulayıb", "vurğuladı",
           "əlavə edib", "açıqlayıb", "diqqətə çatdırıb", "sözlərinə görə", "fikrincə"],
    "ru": ["сказал", "заявил", "сообщил", "отметил", "подчеркнул", "добавил", "по словам"],
    "en": ["said", "says", "told", "stated", "noted", "added", "quoted by", "according to"],
}
# Capitalised words that are places or titles, not names ("Qazaxıstan Prezidenti").
NOT_NAMES: tuple[str, ...] = (
    "azərbaycan", "qazaxıstan", "azerbaijan", "kazakhstan", "азербайджан", "казахстан",
    "prezident", "president", "президент", "cənab", "deputy", "minister", "министр",
    "bakı", "baku", "баку", "astana", "астана", "milli", "day", "trend", "report", "bu", "об",
    "the", "by", "according", "o", "он", "she", "he", "economy", "экономики", "торговли",
)

# Words that make a capitalised run an organisation, not a person ("State Customs Committee").
ORG_WORDS: tuple[str, ...] = (
    "committee", "ministry", "bureau", "statistical", "commission", "council", "komitə",
    "nazirliy", "komissiya", "şura", "комитет", "министерств", "бюро", "комисси", "совет",
    "kazinform", "redaktor",
)

# A single capitalised word counts as a name when it ends like a surname ("— сказал Шаккалиев").
SURNAME_ENDINGS: tuple[str, ...] = ("ov", "ev", "yev", "li", "zadə", "ova", "eva", "ов", "ев",
                                    "ова", "ева", "ин", "ский")
# How far (characters) a name may stand from the speech verb.
NAME_REACH = 80
# Connectors a quote should not end on ("... imzalanıb ki").
TRAILING_WORDS: dict[str, frozenset[str]] = {
    "az": frozenset({"ki", "və", "isə", "amma", "lakin"}),
    "ru": frozenset({"и", "а", "что", "но"}),
    "en": frozenset({"and", "that", "which", "but"}),
}

# --- events ---------------------------------------------------------------------------------------
EVENT_ORDER = ("agreement", "institution", "visit", "meeting")
EVENT_CUES: dict[str, dict[str, list[str]]] = {
    "agreement": {
        "az": ["imzala", "saziş", "bəyannamə", "müqavilə", "memorandum", "yol xəritəsi"],
        "ru": ["подписа", "соглашени", "декларац", "договор", "меморандум", "дорожн карт"],
        "en": ["signed", "agreement", "declaration", "treaty", "memorandum", "road map"],
    },
    "institution": {
        "az": ["yaradılmış", "yaradılıb", "yaradıldı", "təsis"],
        "ru": ["создан", "основан", "учрежден"],
        "en": ["set up", "founded", "established", "created"],
    },
    "visit": {"az": ["səfər"], "ru": ["визит"], "en": ["visit"]},
    "meeting": {
        "az": ["iclas", "görüş", "sammit", "toplantı", "baş tutub"],
        "ru": ["заседани", "встреч", "саммит", "состоял"],
        "en": ["meeting", "summit", "session", "talks", "met "],
    },
}

# --- the page around the article ----------------------------------------------------------------
# Lines that are site chrome even when they read like prose.
CHROME: list[str] = [
    "saytını izləyin", "müsahibənin tam mətni", "заметили ошибку", "читайте также",
    "subscribe to", "read more", "read also", "follow us",
]
# A body line is prose: long enough and ending like a sentence.
PROSE_MIN_CHARS = 60
SENTENCE_END = ".!?\"»”“'…)"


def cue_tokens(cue: str) -> tuple[tuple[str, ...], ...]:
    """A cue as groups of word stems, split at ``…`` (up to :data:`GAP_WORDS` words between)."""
    parts = [p.strip() for p in fold(cue).split(GAP)]
    return tuple(tuple(re.findall(r"\w+", p)) for p in parts if p)


def fold(text: str) -> str:
    """Lower-case for matching; the dotted capital İ folds to i (not i + U+0307)."""
    out = []
    for ch in text.replace("İ", "i"):
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)  # keep offsets: one character for one
    return "".join(out)


def phrase_regex(phrase: str) -> str:
    """A phrase of word stems as a regex: each token starts a word, words may be inflected."""
    toks = re.findall(r"\w+", fold(phrase))
    return r"(?<!\w)" + r"\w*[\s\-]+".join(re.escape(t) for t in toks) + r"\w*"


def numeral_regex(lang: str) -> str:
    """Digits or a word numeral of ``lang`` (lexicon.NUMERALS)."""
    words = sorted(lx.NUMERALS.get(lang, {}), key=len, reverse=True)
    return r"(?P<n>\d{1,2}|" + "|".join(re.escape(w) for w in words) + ")"


def month_regex(lang: str, group: str) -> str:
    """A month name of ``lang`` (lexicon.MONTHS), possibly inflected."""
    names = sorted(lx.MONTHS.get(lang, {}), key=len, reverse=True)
    return rf"(?P<{group}>" + "|".join(re.escape(n) for n in names) + r")\w*"
