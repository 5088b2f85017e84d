"""Finding and creating the people credited in bylines: one rule for every way in.

The back office, the translation desk, `load_demo` and the importers all find people
here, so a name typed by an editor and the same name in an import are one contributor.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from jarida.accounts.models import Contributor
from jarida.core.slugs import free_slugs
from jarida.core.text import arabic_slug, clean_text

NAME_LENGTH = Contributor._meta.get_field("name").max_length
LOGIN_LENGTH = Contributor._meta.get_field("login").max_length


def clean_name(name: str) -> str:
    """A name as the contributor's field stores it (cut, then cleaned again as a save does)."""
    return clean_text(clean_text(name)[:NAME_LENGTH])


def contributors_named(names: Iterable[str]) -> dict[str, Contributor]:
    """The contributors with these names (as given → contributor), the missing ones created.

    A few queries for any number of names: the bulk importers call it once a batch.
    """
    cleaned = {name: clean_name(name) for name in names if clean_name(name)}
    wanted = set(cleaned.values())
    found: dict[str, Contributor] = {}
    for person in Contributor.objects.filter(name__in=wanted).order_by("pk"):
        found.setdefault(person.name, person)  # the first of namesakes, as a lookup would
    missing = sorted(wanted - found.keys())
    slugs = free_slugs(Contributor, [arabic_slug(name, 140) or "contributor" for name in missing])
    created = Contributor.objects.bulk_create(
        Contributor(name=name, slug=slug) for name, slug in zip(missing, slugs, strict=True)
    )
    found |= {c.name: c for c in created}
    return {name: found[clean] for name, clean in cleaned.items()}


def contributor_named(name: str) -> Contributor:
    """The contributor with this name, created (with a slug) when new."""
    if not clean_name(name):
        raise ValueError("a contributor needs a name")
    return contributors_named([name])[name]


@dataclass(frozen=True)
class Author:
    """A person as another system knows them: login, e-mail and the name it shows."""

    login: str
    email: str = ""
    name: str = ""


def _valid_email(value: str) -> str:
    value = value.strip()
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def contributor_for_author(author: Author) -> tuple[Contributor, bool]:
    """The contributor this author is (created when new), and whether it was created.

    Matched by login first (an e-mail on both sides must agree: `admin` of another site
    is another person), then by e-mail, then by name among people with no login yet.
    The login and e-mail are kept (staff-only) so the next import finds the same person.
    """
    login = clean_text(author.login)[:LOGIN_LENGTH]
    email = _valid_email(author.email)
    name = clean_name(author.name) or clean_name(login)
    if not name:
        raise ValueError("an author needs a login or a name")
    contributor = None
    if login:
        for candidate in Contributor.objects.filter(login=login).order_by("pk"):
            if not email or not candidate.email or candidate.email.lower() == email.lower():
                contributor = candidate
                break
    if contributor is None and email:
        contributor = Contributor.objects.filter(email__iexact=email).order_by("pk").first()
    if contributor is None:
        contributor = (
            Contributor.objects.filter(name=name, login="").order_by("pk").first()
            if login
            else Contributor.objects.filter(name=name).order_by("pk").first()
        )
    if contributor is None:
        contributor = Contributor.objects.create(
            name=name, slug=free_slugs(Contributor, [arabic_slug(name, 140) or "contributor"])[0],
            login=login, email=email,
        )  # fmt: skip
        return contributor, True
    # What the person lacked is filled in; what they had is never overwritten.
    known = {"login": login, "email": email}
    updates = {f: v for f, v in known.items() if v and not getattr(contributor, f)}
    for field, value in updates.items():
        setattr(contributor, field, value)
    if updates:
        contributor.save(update_fields=[*updates, "updated_at"])
    return contributor, False


def put_contributor(slug: str, name: str, **fields) -> tuple[Contributor, bool]:
    """The contributor at this slug brought to `name` and `fields` (a managed staff list:
    the demo's people), created when new; the name cleaned as every other way in."""
    contributor = Contributor.objects.filter(slug=slug).first()
    created = contributor is None
    contributor = contributor or Contributor(slug=slug)
    contributor.name = clean_name(name)
    for field, value in fields.items():
        setattr(contributor, field, value)
    contributor.full_clean()
    contributor.save()
    return contributor, created
