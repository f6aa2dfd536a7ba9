"""Column contract of the tidy tables (see CONTRACT.md).

Every table the build writes is described here once: column name, Arrow type, nullability and a
one-line description. The build writes exactly these columns in this order (contract columns
first, project extras after), the Parquet schema metadata carries the descriptions, and
``datapackage.json`` is generated from the same definitions. Readers (the dashboard, embeds,
tests) import ``TABLES`` instead of spelling column names again.

Example:
    >>> [c.name for c in TABLES["indicators"].columns][:3]
    ['indicator_id', 'label_en', 'label_az']
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from babel import Locale

UNITS = ("USD", "AZN", "KZT", "EUR", "t", "t_km", "TEU", "km", "percent", "times", "persons",
         "count", "years")
QUALIFIERS = ("exact", "approx", "more_than", "less_than", "at_least", "up_to", "range")
FIGURE_KINDS = ("observed", "target", "forecast", "agreement", "change", "derived")
EVENT_KINDS = ("agreement", "visit", "meeting", "institution", "milestone", "deadline")
PRECISIONS = ("day", "month", "year", "unknown")
CATEGORIES = ("trade", "investment", "transit", "energy", "business", "diplomacy", "people",
              "digital")
MENTION_STATUSES = ("registered", "dismissed")
BASES = ("stated", "inferred")  # how a date or period is known: said, or worked out by the editors
REPORTING_SIDES = ("AZ", "KZ")  # whose statistics a trade figure comes from
# The reference register (data/reference.yaml) and the checks of claims against it (etl/checks.py).
REFERENCE_KINDS = ("observed", "change")
GRADES = ("A", "B", "C")
REPORT_BASES = ("statistics", "statement", "unattributed")
DEFINITIONS = ("whole_route", "seaports", "az_railways")
VERDICTS = ("matches", "understates", "overstates", "no_reference", "not_comparable")

LANGS = ("az", "en", "ru")
"""Languages of every reader-facing text (ISO 639-1), the default first. The one definition:
the register's translated columns, the tables and the interface all follow it. A new language
is one entry here, one locale file and its register columns (data/README.md)."""


def language_name(lang: str) -> str:
    """English name of a language code, for column descriptions and messages (Babel's CLDR data).

    >>> language_name("ru")
    'Russian'
    """
    return Locale.parse(lang).get_display_name("en") or lang


@dataclass(frozen=True)
class Translated:
    """A reader-facing text held once per language in :data:`LANGS`.

    ``plain`` is the language of the unsuffixed column (``note`` is English, the verbatim
    ``quote`` is the article's Azerbaijani), or ``None`` when every language is suffixed
    (``label_en``, ``label_az``…). Every other language ``xx`` is the column ``<name>_xx``.
    ``required``: every language's column must be given; otherwise all of them or none.
    """

    name: str
    plain: str | None
    required: bool
    description: str

    def column(self, lang: str) -> str:
        """Column holding this text in ``lang``.

        >>> Translated("note", "en", False, "Caveats").column("ru")
        'note_ru'
        """
        return self.name if lang == self.plain else f"{self.name}_{lang}"

    @property
    def by_lang(self) -> dict[str, str]:
        """The column of each language, in :data:`LANGS` order."""
        return {lang: self.column(lang) for lang in LANGS}

    @property
    def columns(self) -> tuple[str, ...]:
        """One column per language, in :data:`LANGS` order."""
        return tuple(self.by_lang.values())


def _t(name: str, plain: str | None, required: bool, description: str) -> Translated:
    return Translated(name, plain, required, description)


# Per table: the reader-facing texts and the language of their unsuffixed column. ``quote``,
# the sources' ``title`` and ``speaker`` are as printed in the (Azerbaijani) article; the
# editors' own texts (notes, roles, attributions) have an English unsuffixed column.
TRANSLATED: dict[str, tuple[Translated, ...]] = {
    "sources": (
        _t("title", "az", True, "Headline"),
        _t("outlet", "en", True, "Publication that carried the article"),
        _t("speaker", "az", True, "Person or body whose words carry the figures"),
        _t("speaker_role", "en", True, "Speaker's position"),
        _t("published_note", "en", False, "How an inferred date was reached"),
        _t("note", "en", False, "Caveats about the source as a whole"),
    ),
    "indicators": (
        _t("label", None, True, "Label"),
        _t("description", None, True, "What the indicator measures"),
    ),
    "figures": (
        _t("quote", "az", True, "Rendering of the quote"),
        _t("attributed_to", "en", True, "Who is quoted"),
        _t("cited_body", "en", False, "Statistics body the quote names"),
        _t("base_period_label", "en", False, "Base period of a change"),
        _t("note", "en", False, "Caveats"),
    ),
    "events": (
        _t("title", None, True, "Title"),
        _t("quote", "az", True, "Rendering of the quote"),
        _t("note", "en", False, "Caveats"),
    ),
    "reference": (
        _t("reported_by", "en", True, "Body or official that reported the figure"),
        _t("note", "en", False, "Caveats, in the editors' own words"),
    ),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    nullable: bool
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]

    def arrow_schema(self) -> pa.Schema:
        """Arrow schema with each field's description in its metadata."""
        fields = [
            pa.field(c.name, c.type, nullable=c.nullable,
                     metadata={"description": c.description})
            for c in self.columns
        ]
        return pa.schema(fields, metadata={"description": self.description})

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, typ: pa.DataType, nullable: bool, description: str) -> Column:
    return Column(name, typ, nullable, description)


S, F, INT, D = pa.string(), pa.float64(), pa.int64(), pa.date32()

TABLES: dict[str, Table] = {
    "sources": Table(
        "sources",
        "One row per article the figures are quoted from.",
        ("source_id",),
        (
            _c("source_id", S, False, "Readable identifier of the article"),
            _c("title", S, False, "Headline as printed"),
            _c("outlet", S, False, "Publication that carried the article"),
            _c("via", S, True, "Outlet the article was republished from"),
            _c("author", S, True, "Byline"),
            _c("speaker", S, False, "Person or body whose words carry the figures"),
            _c("speaker_role", S, False, "Speaker's position, in English"),
            _c("language", S, False, "ISO 639-1 code of the article's language"),
            _c("published", D, True, "Publication date (null when unknown)"),
            _c("published_precision", S, False, "day | month | year | unknown"),
            _c("published_basis", S, False, "stated (printed in the article) | inferred"),
            _c("published_note", S, True, "How an inferred date was reached"),
            _c("url", S, True, "Address of the article where known"),
            _c("raw_path", S, False, "Path of the raw text inside the repository"),
            _c("sha256", S, False, "SHA-256 of the raw file's bytes"),
            _c("body_start", INT, False, "Offset (str characters) where the article body starts"),
            _c("body_end", INT, False, "Offset (str characters) where the article body ends"),
            _c("note", S, True, "Caveats about the source as a whole"),
            _c("note_az", S, True, "Caveats about the source as a whole, in Azerbaijani"),
            _c("published_note_az", S, True, "How an inferred date was reached, in Azerbaijani"),
        ),
    ),
    "indicators": Table(
        "indicators",
        "One row per indicator.",
        ("indicator_id",),
        (
            _c("indicator_id", S, False, "Identifier of the indicator"),
            _c("label_en", S, False, "Label in English"),
            _c("label_az", S, False, "Label in Azerbaijani"),
            _c("unit", S, False, "Unit of observed values (CONTRACT vocabulary)"),
            _c("category", S, False, "Thematic category"),
            _c("description_en", S, False, "What the indicator measures"),
            _c("description_az", S, True, "What the indicator measures, in Azerbaijani"),
        ),
    ),
    "figures": Table(
        "figures",
        "One row per figure quoted in an article, plus rows derived by the ETL.",
        ("figure_id",),
        (
            _c("figure_id", S, False, "Identifier of the figure"),
            _c("source_id", S, False, "Article the figure is quoted from (derived: first input's)"),
            _c("indicator_id", S, False, "Indicator measured"),
            _c("kind", S, False, "observed | target | forecast | agreement | change | derived"),
            _c("value", F, False, "Value in base units"),
            _c("value_high", F, True, "Upper end when qualifier is range"),
            _c("unit", S, False, "Unit (CONTRACT vocabulary)"),
            _c("per", S, True, "Rate denominator, e.g. year"),
            _c("qualifier", S, False, "exact | approx | more_than | less_than | at_least | up_to "
                                      "| range"),
            _c("period_start", D, True, "First day of the period the figure covers"),
            _c("period_end", D, True, "Last day of the period the figure covers"),
            _c("period_label", S, False, "Period as a reader would say it, e.g. H1 2025"),
            _c("attributed_to", S, False, "Who is quoted"),
            _c("cited_body", S, True, "Statistics body the quote names"),
            _c("quote", S, False, "Verbatim quote from the article"),
            _c("quote_start", INT, True, "Offset of the quote in the raw text (null for derived)"),
            _c("quote_end", INT, True, "End offset of the quote in the raw text"),
            _c("quote_en", S, False, "English rendering of the quote"),
            _c("note", S, True, "Caveats"),
            _c("formula", S, True, "Formula over input figure ids (derived rows only)"),
            _c("inputs", S, True, "Comma-separated input figure ids (derived rows only)"),
            _c("base_period_label", S, True, "Base period of a change (kind change)"),
            _c("reporting_side", S, True, "Whose statistics: AZ | KZ | null when not stated"),
            _c("period_basis", S, False, "stated | inferred (resolved from a relative or "
                                         "inferred date)"),
            _c("definition", S, True, "What the claim counts when several definitions are in use "
                                      "(as in reference.definition), else null"),
            _c("note_az", S, True, "Caveats, in Azerbaijani (null exactly when note is null)"),
        ),
    ),
    "events": Table(
        "events",
        "One row per dated happening mentioned in an article.",
        ("event_id",),
        (
            _c("event_id", S, False, "Identifier of the event"),
            _c("source_id", S, False, "Article that mentions the event"),
            _c("kind", S, False, "agreement | visit | meeting | institution | milestone | "
                                 "deadline"),
            _c("date_start", D, False, "First day of the event (first day of month/year for "
                                       "coarser precision)"),
            _c("date_end", D, True, "Last day when the event spans a period"),
            _c("precision", S, False, "day | month | year | unknown"),
            _c("title_en", S, False, "Title in English"),
            _c("title_az", S, False, "Title in Azerbaijani"),
            _c("quote", S, False, "Verbatim quote from the article"),
            _c("quote_start", INT, False, "Offset of the quote in the raw text"),
            _c("quote_end", INT, False, "End offset of the quote in the raw text"),
            _c("note", S, True, "Caveats, e.g. how a relative date was resolved"),
            _c("date_basis", S, False, "stated | inferred"),
            _c("note_az", S, True, "Caveats, in Azerbaijani (null exactly when note is null)"),
        ),
    ),
    "mentions": Table(
        "mentions",
        "Every numeric expression the scanner finds inside an article body, with its review.",
        ("source_id", "start"),
        (
            _c("source_id", S, False, "Article"),
            _c("start", INT, False, "Offset of the expression in the raw text"),
            _c("end", INT, False, "End offset of the expression"),
            _c("text", S, False, "The expression as printed"),
            _c("value", F, True, "Parsed value in base units"),
            _c("value_high", F, True, "Upper end of a range"),
            _c("unit", S, True, "Unit, null for bare numbers, years and dates"),
            _c("qualifier", S, False, "Qualifier"),
            _c("status", S, False, "registered | dismissed"),
            _c("figure_id", S, True, "Figure the expression belongs to"),
            _c("event_id", S, True, "Event the expression belongs to"),
            _c("reason", S, True, "Why a dismissed expression is not a figure"),
            _c("mention_kind", S, False, "quantity | year | date | time (scanner's class)"),
        ),
    ),
}



def _with_translations(table: Table) -> Table:
    """``table`` plus, at the end, every language column of its translated texts not declared
    above (so a language added to :data:`LANGS` adds its columns here by itself)."""
    have = set(table.names)
    extra = tuple(
        _c(col, S, not tr.required,
           f"{tr.description}, in {language_name(lang)}"
           + ("" if tr.required else f" (null exactly when {tr.column(tr.plain)} is null)"))
        for tr in TRANSLATED.get(table.name, ()) for lang, col in tr.by_lang.items()
        if col not in have)
    return Table(table.name, table.description, table.primary_key, table.columns + extra)


TABLES["reference"] = Table(
    "reference",
    "One row per statistic an official body reported (mostly via an outlet), to check claims "
    "against. Facts only: no text from the reporting page.",
    ("reference_id",),
    (
        _c("reference_id", S, False, "Readable identifier of the reported statistic"),
        _c("indicator_id", S, False, "Indicator measured"),
        _c("value", F, False, "Value in base units"),
        _c("value_high", F, True, "Upper end when qualifier is range"),
        _c("unit", S, False, "Unit (CONTRACT vocabulary)"),
        _c("per", S, True, "Rate denominator, e.g. year"),
        _c("period_start", D, True, "First day of the period (null for a stock: see period_end)"),
        _c("period_end", D, True, "Last day of the period, or the date a stock refers to"),
        _c("period_label", S, False, "Period as a reader would say it, e.g. H1 2025"),
        _c("reporting_side", S, True, "Whose statistics: AZ | KZ | null (neither or not said)"),
        _c("definition", S, True, "What exactly is counted when several definitions are in use "
                                  "(whole_route | seaports | az_railways), else null"),
        _c("reported_by", S, False, "Body or official that reported the figure"),
        _c("via", S, True, "Outlet the figure was read in (null on the body's own site)"),
        _c("url", S, False, "Address of the page that states the figure"),
        _c("page_date", D, False, "Date of that page (first day of month/year when coarser)"),
        _c("grade", S, False, "A the body's own site | B an outlet quoting a named body or "
                              "official | C unattributed or rounded"),
        _c("note", S, True, "Caveats, in the editors' own words"),
        _c("kind", S, False, "observed | change (growth vs base_period_label, percent or times)"),
        _c("qualifier", S, False, "exact | approx | more_than | less_than | at_least | up_to "
                                  "| range"),
        _c("base_period_label", S, True, "Base period of a change (kind change)"),
        _c("basis", S, False, "statistics (a release of data) | statement (said by an "
                              "official) | unattributed"),
        _c("page_date_precision", S, False, "day | month | year: how exactly page_date is known"),
    ),
)
TABLES["checks"] = Table(
    "checks",
    "One row per quoted figure of kind observed (and of kind change where the reference holds "
    "growth rates for its indicator): the claim checked against the reported statistics.",
    ("figure_id",),
    (
        _c("figure_id", S, False, "Figure checked"),
        _c("reference_id", S, True, "Reference it was checked against (null: none fits)"),
        _c("verdict", S, False, "matches | understates | overstates | no_reference | "
                                "not_comparable"),
        _c("gap", F, True, "Claim minus reference, in the claim's unit"),
        _c("gap_pct", F, True, "gap as a percentage of the reference"),
        _c("qualifier_holds", pa.bool_(), True, "Whether the claim's qualifier (more than, up "
                                                "to…) holds for the reference; null without one"),
        _c("rule", S, False, "Which rule decided, in words (data/README.md, Checks)"),
        _c("tolerance", F, True, "Half the last digit the quote shows, in the claim's unit"),
        _c("candidates", S, True, "Other fitting references, comma-separated (not picked)"),
    ),
)

TABLES = {name: _with_translations(table) for name, table in TABLES.items()}

TABLE_ORDER = ("sources", "indicators", "figures", "events", "mentions", "reference",
               "checks")
