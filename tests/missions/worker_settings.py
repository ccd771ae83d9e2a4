"""Production settings for the export-worker test, static files aside.

The worker reads static files where they lie (finders) rather than through the collectstatic
manifest: building that manifest takes about 30 s here, and the export only needs the PDF fonts,
which the PDF's fetcher finds either way. tests/infra covers the manifest path.
"""

from rrupn.settings import *  # noqa: F403
from rrupn.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
