"""The demo loader writes sections, agencies and people through the domain services."""

import pytest

from jarida.accounts.models import Contributor
from jarida.accounts.services import put_contributor
from jarida.articles import services
from jarida.articles.models import Section
from jarida.demo import loader

pytestmark = pytest.mark.django_db


def test_load_site_goes_through_the_services(monkeypatch):
    calls = []
    for module, name in [(services, "put_section"), (services, "put_agency")]:
        real = getattr(module, name)
        monkeypatch.setattr(
            module,
            name,
            lambda *a, real=real, name=name, **k: (calls.append(name), real(*a, **k))[1],
        )
    real_person = loader.put_contributor
    monkeypatch.setattr(
        loader,
        "put_contributor",
        lambda *a, **k: (calls.append("put_contributor"), real_person(*a, **k))[1],
    )
    report = loader.LoadReport()
    loader.load_site(report)
    assert {"put_section", "put_agency", "put_contributor"} <= set(calls)
    again = loader.LoadReport()
    loader.load_site(again)
    assert again.created == [] and len(again.updated) == Section.objects.count()


def test_the_services_clean_what_the_back_office_cleans():
    section, created = services.put_section("local", "محليات\u202e\u200b ", position=3)
    assert created and (section.name, section.position) == ("محليات", 3)
    section, created = services.put_section("local", "أخبار محلية")
    assert not created and Section.objects.get(slug="local").name == "أخبار محلية"
    person, _ = put_contributor("sara", "سارة\u202e  علي", bio="\ue000نبذة")
    assert Contributor.objects.get(slug="sara").name == "سارة علي"
    assert person.bio == "نبذة"
    agency, _ = services.put_agency("ap", "اسوشيتدبرس\u200f", name_en="AP")
    assert agency.name == "اسوشيتدبرس"
