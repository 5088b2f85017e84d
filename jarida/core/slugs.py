"""Unused slugs for new rows: `name`, then `name-2`, `name-3`… (one rule for every model)."""

from collections.abc import Sequence

from django.db import models


def free_slugs(model: type[models.Model], bases: Sequence[str], field: str = "slug") -> list[str]:
    """A slug per base, unused in `model`'s table and not repeated among themselves.

    A few queries for the whole list, so a batch of a thousand names costs no more than one.
    """
    slugs: list[str | None] = [None] * len(bases)
    pending, used, n = list(range(len(bases))), set(), 1
    while pending:
        candidates = {i: bases[i] if n == 1 else f"{bases[i]}-{n}" for i in pending}
        lookup = {f"{field}__in": set(candidates.values())}
        taken = set(model._default_manager.filter(**lookup).values_list(field, flat=True))
        pending = []
        for i, slug in candidates.items():
            if slug in taken or slug in used:
                pending.append(i)
            else:
                slugs[i] = slug
                used.add(slug)
        n += 1
    return slugs
