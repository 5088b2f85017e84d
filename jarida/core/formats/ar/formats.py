"""Arabic dates in the back office as the reader site prints them (jarida.core.dates):
day first, `9 فبراير, 2020: 08:48 م`. Django's own `ar` formats leave DATETIME_FORMAT
unset, so the admin fell back to the English `N j, Y, P` (month first, `ظهراً`)."""

DATE_FORMAT = "j F, Y"
DATETIME_FORMAT = "j F, Y: h:i A"
TIME_FORMAT = "h:i A"
