"""Words of numeric expressions in Azerbaijani, Russian and English: the tables behind etl.numbers.

Every spelling the scanner knows lives here as data, grouped by language. Keys are lower-case
(``İ`` is folded to ``i``); a key of several words is written with single spaces between its
tokens, and punctuation that belongs to it is a token of its own (``"mln ."``, ``"ton - km"``).
Azerbaijani entries also match with case and possessive suffixes (``dollar`` matches ``dolları``,
``dollara``, ``dollardan``); Russian and English entries match only as written, so their
inflected forms are listed.

Example:
    >>> SCALES["az"]["milyon"], UNITS["ru"]["тонн"], QUALIFIERS_BEFORE["en"]["more than"]
    (1000000, 't', 'more_than')
"""

from __future__ import annotations

import re

LANGS = ("az", "ru", "en", "sym")

# Multipliers. "min" is Azerbaijani "thousand" (in English text it is read as "minute").
SCALES: dict[str, dict[str, int]] = {
    "az": {"min": 10**3, "milyon": 10**6, "mln": 10**6, "mln .": 10**6, "milyard": 10**9,
           "mlrd": 10**9, "mlrd .": 10**9, "trilyon": 10**12, "trln": 10**12},
    "ru": {"тыс": 10**3, "тыс .": 10**3, "тысяча": 10**3, "тысячи": 10**3, "тысяч": 10**3,
           "тысячу": 10**3, "млн": 10**6, "млн .": 10**6, "миллион": 10**6, "миллиона": 10**6,
           "миллионов": 10**6, "млрд": 10**9, "млрд .": 10**9, "миллиард": 10**9,
           "миллиарда": 10**9, "миллиардов": 10**9, "трлн": 10**12, "триллион": 10**12,
           "триллиона": 10**12, "триллионов": 10**12},
    "en": {"thousand": 10**3, "million": 10**6, "millions": 10**6, "mln": 10**6,
           "billion": 10**9, "bn": 10**9, "trillion": 10**12, "tn": 10**12},
}
# Abbreviations read as scales only when written straight after the digits ("$5m", "20k", "3bn").
GLUED_SCALES: dict[str, int] = {"k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6,
                                "bn": 10**9, "b": 10**9}

# Units (CONTRACT vocabulary). "mult" is a multiple-or-occurrence word resolved in context to
# "times" (a growth multiple) or "count" (how often something happened).
UNITS: dict[str, dict[str, str]] = {
    "az": {"dollar": "USD", "abş dollar": "USD", "manat": "AZN", "tenge": "KZT", "avro": "EUR",
           "ton": "t", "tonna": "t", "ton - km": "t_km", "ton - kilometr": "t_km",
           "tonkilometr": "t_km", "km": "km", "kilometr": "km", "faiz": "percent",
           "dəfə": "mult", "qat": "times", "nəfər": "persons", "insan": "persons",
           "ədəd": "count"},
    "ru": {"доллар": "USD", "доллара": "USD", "долларов": "USD", "долларах": "USD",
           "долл": "USD", "долл .": "USD", "долларов сша": "USD", "долл . сша": "USD",
           "доллара сша": "USD", "манат": "AZN", "маната": "AZN", "манатов": "AZN",
           "тенге": "KZT", "евро": "EUR", "т": "t", "т .": "t", "тонна": "t", "тонны": "t",
           "тонн": "t", "тоннам": "t", "тоннах": "t", "т - км": "t_km", "тонно - км": "t_km",
           "тонно - километров": "t_km", "дфэ": "TEU", "км": "km", "километр": "km",
           "километра": "km", "километров": "km", "процент": "percent", "процента": "percent",
           "процентов": "percent", "раз": "mult", "раза": "mult", "человек": "persons",
           "человека": "persons", "чел": "persons", "чел .": "persons", "штук": "count",
           "штуки": "count", "единиц": "count"},
    "en": {"dollar": "USD", "dollars": "USD", "us dollars": "USD", "us dollar": "USD",
           "usd": "USD", "azn": "AZN", "manat": "AZN", "manats": "AZN", "tenge": "KZT",
           "kzt": "KZT", "euro": "EUR", "euros": "EUR", "eur": "EUR", "ton": "t", "tons": "t",
           "tonne": "t", "tonnes": "t", "tonne - km": "t_km", "tonne - kilometres": "t_km",
           "ton - km": "t_km", "tkm": "t_km", "teu": "TEU", "teus": "TEU", "km": "km",
           "kilometres": "km", "kilometers": "km", "percent": "percent", "per cent": "percent",
           "pct": "percent", "times": "mult", "- fold": "times", "fold": "times",
           "people": "persons", "persons": "persons", "person": "persons", "units": "count"},
    "sym": {"%": "percent", "$": "USD", "₼": "AZN", "₸": "KZT", "€": "EUR"},
}
# Symbols and codes that may stand before the number ("$5 million", "USD 5 million").
CURRENCY_BEFORE: dict[str, str] = {"$": "USD", "us$": "USD", "usd": "USD", "₼": "AZN",
                                   "azn": "AZN", "₸": "KZT", "kzt": "KZT", "€": "EUR",
                                   "eur": "EUR", "%": "percent"}

# Time units: (CONTRACT unit, divisor into that unit). Months become years/12; days, weeks,
# hours and minutes have no CONTRACT unit, so they are reported with unit None.
TIME_UNITS: dict[str, dict[str, tuple[str | None, int]]] = {
    "az": {"il": ("years", 1), "ay": ("years", 12), "yaş": ("years", 1), "gün": (None, 1),
           "həftə": (None, 1), "saat": (None, 1), "dəqiqə": (None, 1), "saniyə": (None, 1)},
    "ru": {"год": ("years", 1), "года": ("years", 1), "лет": ("years", 1),
           "годам": ("years", 1), "месяц": ("years", 12), "месяца": ("years", 12),
           "месяцев": ("years", 12), "день": (None, 1), "дня": (None, 1), "дней": (None, 1),
           "неделя": (None, 1), "недели": (None, 1), "недель": (None, 1), "час": (None, 1),
           "часа": (None, 1), "часов": (None, 1), "минута": (None, 1), "минуты": (None, 1),
           "минут": (None, 1)},
    "en": {"year": ("years", 1), "years": ("years", 1), "month": ("years", 12),
           "months": ("years", 12), "day": (None, 1), "days": (None, 1), "week": (None, 1),
           "weeks": (None, 1), "hour": (None, 1), "hours": (None, 1), "minute": (None, 1),
           "minutes": (None, 1), "min": (None, 1)},
}
# Words after "il" that add half a year ("bir il yarım" = 1.5 years).
HALF_WORDS = frozenset({"yarım", "с половиной", "and a half"})

# Qualifiers written before the number.
QUALIFIERS_BEFORE: dict[str, dict[str, str]] = {
    "az": {"təxminən": "approx", "təqribən": "approx", "ən azı": "at_least",
           "azı": "at_least", "ən çoxu": "up_to"},
    "ru": {"около": "approx", "примерно": "approx", "почти": "approx",
           "приблизительно": "approx", "порядка": "approx", "свыше": "more_than",
           "более": "more_than", "больше": "more_than", "не менее": "at_least",
           "не меньше": "at_least", "менее": "less_than", "меньше": "less_than",
           "не более": "up_to", "до": "up_to"},
    "en": {"about": "approx", "around": "approx", "approximately": "approx",
           "roughly": "approx", "nearly": "approx", "almost": "approx", "some": "approx",
           "more than": "more_than", "over": "more_than", "in excess of": "more_than",
           "above": "more_than", "up to": "up_to", "at least": "at_least",
           "less than": "less_than", "fewer than": "less_than", "under": "less_than",
           "below": "less_than", "at most": "up_to"},
}
# Qualifiers written after the expression, with the case the word before them must be in:
# "250-dən artıq" (ablative), "150-yə yaxın" (dative), "3,5 milyon tonu keçmişdir"
# (accusative), "10 milyon tona qədər". "40% çoxdur" is not a qualifier: there "çox" says the
# figure is larger than a base, and the word before it is not in the ablative.
QUALIFIERS_AFTER: dict[str, dict[str, tuple[str, frozenset[str]]]] = {
    "az": {
        **{w: ("more_than", frozenset({"abl"})) for w in
           ("artıq", "çox", "yuxarı", "artıqdır", "çoxdur", "çox olub")},
        **{w: ("less_than", frozenset({"abl"})) for w in ("az", "azdır", "aşağı")},
        "yaxın": ("approx", frozenset({"dat"})),
        "qədər": ("up_to", frozenset({"dat", "nom"})),
        **{w: ("more_than", frozenset({"acc"})) for w in
           ("keçib", "keçmişdir", "keçmişdi", "keçdi", "keçir", "keçər", "keçərək",
            "keçməkdədir", "ötüb", "ötmüşdür", "ötdü", "ötür", "ötərək", "aşıb", "aşmışdır",
            "aşdı", "aşır", "aşaraq")},
    },
    "ru": {"с лишним": ("more_than", frozenset({"any"}))},
    "en": {"or more": ("at_least", frozenset({"any"})), "or less": ("up_to", frozenset({"any"})),
           "or so": ("approx", frozenset({"any"}))},
}

# Rates. Before the number ("ildə 1,5 milyon ton") or after the unit ("10 million tonnes a year").
PER_BEFORE: dict[str, dict[str, str]] = {
    "az": {"ildə": "year", "hər il": "year", "illik": "year", "ayda": "month",
           "hər ay": "month", "aylıq": "month", "gündə": "day", "hər gün": "day"},
    "ru": {"ежегодно": "year", "ежемесячно": "month"},
    "en": {"annually": "year", "annual": "year"},
}
PER_AFTER: dict[str, dict[str, str]] = {
    "az": {"ildə": "year", "illik": "year", "ayda": "month", "gündə": "day"},
    "ru": {"в год": "year", "ежегодно": "year", "в месяц": "month", "в сутки": "day",
           "в день": "day"},
    "en": {"a year": "year", "per year": "year", "per annum": "year", "annually": "year",
           "each year": "year", "every year": "year", "/ year": "year", "a month": "month",
           "per month": "month", "a day": "day", "per day": "day"},
}

# One-word multiples: always a growth multiple ("increase about fivefold").
MULTIPLE_WORDS: dict[str, int] = {
    "twofold": 2, "threefold": 3, "fourfold": 4, "fivefold": 5, "sixfold": 6,
    "sevenfold": 7, "eightfold": 8, "ninefold": 9, "tenfold": 10, "twentyfold": 20,
    "hundredfold": 100, "ikiqat": 2, "üçqat": 3, "dördqat": 4, "beşqat": 5,
    "двукратно": 2, "трехкратно": 3, "трёхкратно": 3, "пятикратно": 5, "десятикратно": 10,
}
# One-word durations, in years ("Son ilyarım ərzində" = in the last year and a half).
DURATION_WORDS: dict[str, float] = {"ilyarım": 1.5, "полгода": 0.5, "полугода": 0.5}
# A word numeral right before a superlative sizes a ranking ("on ən böyük tərəfdaş" = top ten),
# so it is a count even with no unit after it.
SUPERLATIVES = frozenset({"ən", "самых", "крупнейших"})
# Russian "до" is "up to" except after a growth verb, where it is "to" ("вырос до 448 млн").
UP_TO_AFTER_GROWTH = frozenset({"до", "to"})
# Words a rate may reach over ("1.5 million tonnes of oil a year", "1,5 млн тонн нефти в год").
PER_GAP_WORDS = 2

# Word numerals. Only reported when a unit, scale, multiple or time word follows.
NUMERALS: dict[str, dict[str, int | float]] = {
    "az": {"bir": 1, "iki": 2, "üç": 3, "dörd": 4, "beş": 5, "altı": 6, "yeddi": 7,
           "səkkiz": 8, "doqquz": 9, "on": 10, "iyirmi": 20, "otuz": 30, "qırx": 40,
           "əlli": 50, "altmış": 60, "yetmiş": 70, "səksən": 80, "doxsan": 90, "yüz": 100,
           "min": 1000, "yarım": 0.5},
    "ru": {"один": 1, "одна": 1, "одно": 1, "одного": 1, "два": 2, "две": 2, "двух": 2,
           "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "четырех": 4, "четырёх": 4,
           "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
           "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10,
           "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30, "сорок": 40,
           "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80,
           "девяносто": 90, "сто": 100, "двести": 200, "триста": 300, "четыреста": 400,
           "пятьсот": 500, "тысяча": 1000, "тысячи": 1000, "тысяч": 1000, "полтора": 1.5,
           "полторы": 1.5},
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
           "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
           "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000},
}
# Numeral words that multiply what precedes them ("iki yüz" = 200, "iki min" = 2000).
HUNDREDS = frozenset({100})
THOUSANDS = frozenset({1000})

MONTHS: dict[str, dict[str, int]] = {
    "az": {m: i for i, m in enumerate(
        ("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr",
         "oktyabr", "noyabr", "dekabr"), start=1)},
    "ru": {m: i for i, ms in enumerate(
        (("январь", "января", "январе"), ("февраль", "февраля", "феврале"),
         ("март", "марта", "марте"), ("апрель", "апреля", "апреле"), ("май", "мая", "мае"),
         ("июнь", "июня", "июне"), ("июль", "июля", "июле"), ("август", "августа", "августе"),
         ("сентябрь", "сентября", "сентябре"), ("октябрь", "октября", "октябре"),
         ("ноябрь", "ноября", "ноябре"), ("декабрь", "декабря", "декабре")), start=1)
        for m in ms},
    "en": {m: i for i, ms in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")), start=1) for m in ms},
}
# Words naming the year after a year number: "2024-cü ildə", "в 2024 году", "2024 г.".
YEAR_WORDS: dict[str, frozenset[str]] = {
    "az": frozenset({"il"}),
    "ru": frozenset({"год", "года", "году", "годом", "г", "г .", "гг", "гг .", "годах",
                     "годы", "годов"}),
    "en": frozenset(),
}
# "ayında" after a month name ("mart ayında").
MONTH_WORDS = frozenset({"ay"})

# Words around "dəfə" / "раз" / "times" that make it a growth multiple rather than a count of
# occurrences ("5 dəfə artaraq" vs "dörd dəfə səfər etmiş"). Matched as word prefixes.
GROWTH_STEMS: tuple[str, ...] = (
    "artar", "artıb", "artmış", "artım", "artdı", "artır", "artan", "artacaq", "artma",
    "azal", "çox", "böyü", "yüksəl", "genişlən", "düşüb", "düşər", "aşağı",
    "увелич", "вырос", "вырас", "рост", "снизи", "снижен", "сократ", "больше", "меньше",
    "выше", "ниже", "возрос",
    "increas", "grow", "grew", "rose", "rise", "risen", "more", "higher", "larger", "fell",
    "fall", "less", "lower", "declin", "drop", "multipl", "expand", "jump", "surg",
)
GROWTH_NOT = ("artıq",)  # "artıq" starts like a growth word but means "already" / "more than"
# Russian preposition that makes "в 5 раз" a multiple.
MULT_BEFORE = frozenset({"в", "во"})

# Words after a bare number that show it is not counting the next word ("20 iclası" counts
# meetings; "5 və" does not). Function words, postpositions and verbs seen after numbers.
NOT_NOUNS = frozenset({
    "və", "ilə", "ya", "yaxud", "da", "də", "isə", "ki", "kimi", "üçün", "sonra", "əvvəl",
    "ərzində", "olaraq", "olan", "olub", "oldu", "olmuşdur", "idi", "edib", "etdi", "təşkil",
    "qədər", "yaxın", "artıq", "çox", "az", "hər", "həm", "nə", "ancaq", "amma", "lakin",
    "artaraq", "artıb", "azalıb", "azalaraq", "üzrə", "görə", "dək", "tək", "cəmi", "bu", "o",
    "və ya", "yox", "deyil", "dir", "dır", "dur", "dür",
    "и", "в", "во", "на", "с", "со", "по", "из", "от", "до", "за", "к", "у", "о", "а", "но",
    "или", "что", "как", "это", "то", "не", "же", "ли", "бы", "при", "для", "без", "через",
    "составил", "составила", "составило", "составили", "был", "была", "было", "были",
    "and", "or", "of", "to", "in", "on", "at", "by", "for", "from", "the", "a", "an", "is",
    "was", "were", "are", "be", "been", "with", "than", "per", "as", "that", "which", "but",
    "this", "these", "those", "it", "its", "has", "have", "had", "will", "would", "into",
})

_V = "ıiuü"
_A = "aə"
# Azerbaijani suffix chain after a stem: plural, derivation (-lıq, -lı), possessive, case,
# copula. Bounded alternatives over a short string, so matching is linear.
AZ_SUFFIX_RE = re.compile(
    rf"(?:l[{_A}]r)?"
    rf"(?:l[{_V}][qkğy]?)?"
    rf"(?:s?[{_V}]|[{_V}]?m[{_V}]?z?|[{_V}]?n[{_V}]z)?"
    rf"(?:[yn]?[{_A}]|n?[dt][{_A}]n?|[yn]?[{_V}]n?|[dt][{_A}]k|[yn]?[{_A}]d[{_A}]k|y?l[{_A}])?"
    rf"(?:[dt][{_V}]r)?"
)
# After digits, an ordinal marker may come first: "2024-cü", "20-ci", "5-inci", "36 cı".
NUM_SUFFIX_RE = re.compile(rf"(?:[{_V}]?n?c[{_V}])?(?:{AZ_SUFFIX_RE.pattern})")
ORDINAL_RE = re.compile(rf"[{_V}]?n?c[{_V}]")
# Suffixes that may stand apart from their number ("100 dən çox", "36 cı ildönümü"), as in text
# whose hyphens were lost.
SPACED_NUM_SUFFIXES = frozenset({"dən", "dan", "ci", "cı", "cu", "cü", "nci", "ncı", "ncu",
                                 "ncü", "inci", "ıncı", "uncu", "üncü"})
MAX_SUFFIX = 14


def az_case(suffix: str) -> str:
    """Grammatical case an Azerbaijani suffix chain ends in.

    Example:
        >>> az_case("dən"), az_case("yə"), az_case("u"), az_case("")
        ('abl', 'dat', 'acc', 'nom')
    """
    s = suffix
    if not s:
        return "nom"
    if s.endswith(("dan", "dən", "tan", "tən")):
        return "abl"
    if s.endswith(("dək", "dak")):
        return "term"
    if s.endswith(("da", "də", "ta", "tə")):
        return "loc"
    if s.endswith(("la", "lə")):
        return "ins"
    if s.endswith(("a", "ə")):
        return "dat"
    if s.endswith(("ın", "in", "un", "ün")):
        return "gen"
    if s.endswith(tuple(_V)):
        return "acc"
    return "other"
