"""Start-up checks: every view of ours declares a known capability."""

from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver

from . import capabilities as caps

OUR_PACKAGES = ("rrupn.", "missions.", "commission.", "gar.", "maintenance.", "pix.")


def iter_patterns(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from iter_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


@checks.register(checks.Tags.security)
def check_views_declare_capability(app_configs, **kwargs):
    errors = []
    for route, pattern in iter_patterns(get_resolver().url_patterns):
        module = getattr(pattern.callback, "__module__", "")
        if not module.startswith(OUR_PACKAGES):
            continue
        capability = caps.view_capability(pattern.callback)
        if capability is None:
            errors.append(
                checks.Error(
                    f"View for {route!r} declares no capability",
                    hint="Decorate it with @requires(...) or set `permission` on the class.",
                    id="access.E001",
                )
            )
        elif not caps.is_known(capability):
            errors.append(
                checks.Error(
                    f"View for {route!r} needs unknown capability {capability!r}", id="access.E002"
                )
            )
    return errors
