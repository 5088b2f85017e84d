"""Arabic dates as newspapers print them, from CLDR data (Babel) and Umm al-Qura tables.

The seed page prints `9 فبراير, 2020: 08:48 م`: CLDR's `ar` month names give فبراير,
`ar_IQ` gives the Syriac شباط used by Iraqi and Levantine papers; Babel always prints
Latin digits, so Arabic-Indic digits are a translation step after formatting.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_datetime
from django.utils import timezone
from hijridate import Gregorian

MONTHS_EGYPTIAN = "egyptian"  # يناير فبراير مارس ...
MONTHS_SYRIAC = "syriac"  # كانون الثاني شباط آذار ...
MONTHS_BOTH = "both"  # شباط/فبراير

DIGITS_LATIN = "latin"
DIGITS_ARABIC_INDIC = "arabic_indic"

_LOCALES = {MONTHS_EGYPTIAN: Locale.parse("ar"), MONTHS_SYRIAC: Locale.parse("ar_IQ")}
_TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

DATETIME_PATTERN = "d {month}, y: hh:mm a"
DATE_PATTERN = "d {month}, y"


@dataclass(frozen=True)
class DateStyle:
    """How the site prints dates: a site setting edited in the back office."""

    month_names: str = MONTHS_EGYPTIAN
    digits: str = DIGITS_LATIN
    show_hijri: bool = False


def month_name(month: int, system: str) -> str:
    """The month's name in the chosen system (`both` gives `شباط/فبراير`)."""
    if system == MONTHS_BOTH:
        return f"{month_name(month, MONTHS_SYRIAC)}/{month_name(month, MONTHS_EGYPTIAN)}"
    return _LOCALES[system].months["format"]["wide"][month]


def localize_digits(text: str, digits: str) -> str:
    return text.translate(_TO_ARABIC_INDIC) if digits == DIGITS_ARABIC_INDIC else text


def _format(value: datetime, pattern: str, style: DateStyle) -> str:
    # Every listing prints the same few hundred dates on every request: each is formatted
    # once per process (Babel's formatter is the costly part of a card).
    zone = timezone.get_current_timezone_name() if timezone.is_aware(value) else ""
    return _format_once(value, pattern, style, zone)


@lru_cache(maxsize=20_000)
def _format_once(value: datetime, pattern: str, style: DateStyle, zone: str) -> str:
    value = timezone.localtime(value) if zone else value
    # The month goes in as a quoted literal so one pattern serves all three systems.
    literal = month_name(value.month, style.month_names).replace("'", "''")
    text = format_datetime(
        value, pattern.format(month=f"'{literal}'"), locale=_LOCALES[MONTHS_EGYPTIAN]
    )
    return localize_digits(text, style.digits)


def format_arabic_datetime(value: datetime, style: DateStyle = DateStyle()) -> str:
    """`9 فبراير, 2020: 08:48 م` in the current time zone."""
    return _format(value, DATETIME_PATTERN, style)


def format_arabic_date(value: datetime | date, style: DateStyle = DateStyle()) -> str:
    """`9 فبراير, 2020`."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return _format(value, DATE_PATTERN, style)


#: Card dates (related stories, lists): the site chooses one of these in its settings.
CARD_DATE_NUMERIC = "numeric"  # 16-04-2024, as the seed page's related cards print it
CARD_DATE_NUMERIC_SLASH = "numeric_slash"  # 16/04/2024
CARD_DATE_LONG = "long"  # 16 أبريل, 2024 (the month-name setting applies)


def format_card_date(
    value: datetime | date, form: str = CARD_DATE_NUMERIC, style: DateStyle = DateStyle()
) -> str:
    """A card's date in the chosen form: `16-04-2024`, `16/04/2024` or `16 أبريل, 2024`."""
    if form == CARD_DATE_LONG:
        return format_arabic_date(value, style)
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    separator = "/" if form == CARD_DATE_NUMERIC_SLASH else "-"
    text = f"{value.day:02d}{separator}{value.month:02d}{separator}{value.year:04d}"
    return localize_digits(text, style.digits)


def format_hijri_date(value: datetime | date, style: DateStyle = DateStyle()) -> str:
    """`15 جمادى الآخرة 1441 هـ` (Umm al-Qura); empty outside the tables' range."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    try:
        hijri = Gregorian(value.year, value.month, value.day).to_hijri()
    except OverflowError:
        return ""
    text = f"{hijri.day} {hijri.month_name('ar')} {hijri.year} {hijri.notation('ar')}"
    return localize_digits(text, style.digits)
