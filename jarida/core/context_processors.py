from jarida.core.models import SiteSettings


def site_settings(request):
    """Expose the editorial settings to every template as `site`."""
    return {"site": SiteSettings.load()}
