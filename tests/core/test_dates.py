from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jarida.core.dates import (
    DIGITS_ARABIC_INDIC,
    MONTHS_BOTH,
    MONTHS_SYRIAC,
    DateStyle,
    format_arabic_date,
    format_arabic_datetime,
    format_hijri_date,
    month_name,
)

SEED_MOMENT = datetime(2020, 2, 9, 20, 48, tzinfo=ZoneInfo("Asia/Baghdad"))


def test_seed_date_in_egyptian_month_names():
    assert format_arabic_datetime(SEED_MOMENT) == "9 فبراير, 2020: 08:48 م"


def test_seed_date_in_syriac_month_names():
    style = DateStyle(month_names=MONTHS_SYRIAC)
    assert format_arabic_datetime(SEED_MOMENT, style) == "9 شباط, 2020: 08:48 م"


def test_both_month_systems():
    style = DateStyle(month_names=MONTHS_BOTH)
    assert format_arabic_datetime(SEED_MOMENT, style) == "9 شباط/فبراير, 2020: 08:48 م"


def test_morning_is_sabahan():
    morning = datetime(2020, 2, 9, 8, 5, tzinfo=ZoneInfo("Asia/Baghdad"))
    assert format_arabic_datetime(morning).endswith("08:05 ص")


def test_arabic_indic_digits():
    style = DateStyle(digits=DIGITS_ARABIC_INDIC)
    assert format_arabic_datetime(SEED_MOMENT, style) == "٩ فبراير, ٢٠٢٠: ٠٨:٤٨ م"


def test_printed_in_the_current_time_zone():
    utc_moment = datetime(2020, 2, 9, 17, 48, tzinfo=ZoneInfo("UTC"))
    with timezone.override("Asia/Baghdad"):
        assert format_arabic_datetime(utc_moment) == "9 فبراير, 2020: 08:48 م"
    with timezone.override("Africa/Cairo"):
        assert format_arabic_datetime(utc_moment) == "9 فبراير, 2020: 07:48 م"


@pytest.mark.parametrize(
    ("month", "egyptian", "syriac"),
    [(1, "يناير", "كانون الثاني"), (4, "أبريل", "نيسان"), (12, "ديسمبر", "كانون الأول")],
)
def test_month_names_come_from_cldr(month, egyptian, syriac):
    assert month_name(month, "egyptian") == egyptian
    assert month_name(month, MONTHS_SYRIAC) == syriac


def test_date_only():
    assert format_arabic_date(date(2024, 4, 16)) == "16 أبريل, 2024"


def test_hijri_umm_al_qura():
    assert format_hijri_date(SEED_MOMENT) == "15 جمادى الآخرة 1441 هـ"
    style = DateStyle(digits=DIGITS_ARABIC_INDIC)
    assert format_hijri_date(SEED_MOMENT, style) == "١٥ جمادى الآخرة ١٤٤١ هـ"


def test_hijri_outside_the_tables_is_empty_not_an_error():
    assert format_hijri_date(date(1900, 1, 1)) == ""
