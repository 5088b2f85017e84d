import pytest

from jarida.articles.models import Agency, Section
from jarida.desk.models import WireFeed, WireItem


@pytest.fixture
def wire_item(db):
    Section.objects.get_or_create(slug="world", defaults={"name": "عربي ودولي"})
    agency = Agency.objects.create(
        name="اسوشيتدبرس", name_en="Associated Press", slug="ap", other_spellings="اسوشييتدبرس"
    )
    feed = WireFeed.objects.create(name="AP World", url="https://example.com/ap.xml", agency=agency)
    return WireItem.objects.create(
        feed=feed,
        guid="ap-2020-02-06-iraq-russia",
        url="https://example.com/ap/iraq-russia",
        title="Russia offers Iraq military cooperation amid calls to expel US troops",
        body="<p>Iraq and Russia discussed deepening military cooperation.</p>"
        "<p>The meeting took place in Baghdad.</p>",
        content_hash="x",
    )
