"""Newsroom roles as Django groups, created and kept in step by the project itself.

Run after every `migrate` (post_migrate) and by `manage.py ensure_roles`; idempotent.
Object-level rules (a reporter edits only their own drafts) live in
jarida.articles.workflow; these permissions decide what each role sees in the admin.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

WRITER_PERMISSIONS = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    # The article form's bylines (an inline): without these the byline table is not shown
    # at all and whoever writes the story cannot credit its writer or translator.
    "articles.add_byline",
    "articles.change_byline",
    "articles.delete_byline",
    "articles.view_byline",
    "articles.view_section",
    "articles.view_agency",
    "articles.view_tag",
    "articles.add_tag",
    "accounts.view_contributor",
    "media.add_image",
    "media.change_image",
    "media.view_image",
]

ROLES: dict[str, list[str]] = {
    "مراسل": WRITER_PERMISSIONS,
    "مترجم": [*WRITER_PERMISSIONS, "desk.view_wireitem", "desk.change_wireitem"],
    "محرر": [
        *WRITER_PERMISSIONS,
        "articles.delete_article",
        "articles.publish_article",
        "articles.edit_any_article",
        "articles.view_scheduledarticle",
        "articles.view_articleevent",
        "articles.add_section",
        "articles.change_section",
        "articles.add_agency",
        "articles.change_agency",
        "articles.change_tag",
        "accounts.add_contributor",
        "accounts.change_contributor",
        "media.delete_image",
        "desk.view_wireitem",
    ],
    "مشرف التعليقات": [
        "articles.view_article",
        "comments.view_comment",
        "comments.change_comment",
        "comments.delete_comment",
    ],
    # Ads have no app yet: the role exists so accounts can be given it; its permissions
    # arrive with the ads app.
    "مدير الإعلانات": ["articles.view_section"],
}
ADMINISTRATOR = "مدير الموقع"


def _permissions(names: list[str]) -> list[Permission]:
    wanted = {tuple(name.split(".")) for name in names}
    found = [
        p
        for p in Permission.objects.select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise LookupError(f"unknown permissions for roles: {sorted(missing)}")
    return found


def ensure_roles() -> list[str]:
    """Create or update every role's group; return the group names."""
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for name, permission_names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(permission_names))
    admin_group, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    admin_group.permissions.set(Permission.objects.all())
    return [*ROLES, ADMINISTRATOR]
