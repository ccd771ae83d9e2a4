"""HTML → PDF for every app (mission letters, commission minutes…), rendered in a worker.

Fonts and images come from our static files on disk, never from the network: the fetcher
serves `STATIC_URL` paths and refuses everything else, and a refused or missing resource stops
the rendering instead of printing a document with a fallback font or a hole.
"""

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.templatetags.static import static
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

__all__ = ["FatalURLFetchingError", "RefusedURL", "StaticFileFetcher", "render_pdf", "short_error"]

# Marianne, the State's typeface (bundled by django-dsfr), for every printed document.
MARIANNE = (
    ("400", "normal", "Marianne-Regular.woff2"),
    ("700", "normal", "Marianne-Bold.woff2"),
    ("400", "italic", "Marianne-Regular_Italic.woff2"),
)


class RefusedURL(ValueError):
    pass


class StaticFileFetcher(URLFetcher):
    """Serve `STATIC_URL` paths from disk (finders, then the collected files); refuse the rest.

    Built with `fail_on_errors=True`: a refused or missing resource stops the rendering.
    """

    def __init__(self, base_url: str, **kwargs):
        kwargs.setdefault("fail_on_errors", True)
        super().__init__(**kwargs)
        base = urlsplit(base_url)
        self._origin = (base.scheme, base.netloc)

    def fetch(self, url, headers=None):
        full_path = self.static_path(url)
        content_type = mimetypes.guess_type(full_path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            full_path.as_uri(), full_path.open("rb"), {"Content-Type": content_type}
        )

    def static_path(self, url: str) -> Path:
        parts = urlsplit(url)
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if (parts.scheme, parts.netloc) != self._origin or not parts.path.startswith(prefix):
            raise RefusedURL(f"Ressource refusée (hors fichiers statiques) : {url}")
        relative = unquote(parts.path[len(prefix) :])
        if posixpath.normpath(relative) != relative or relative.startswith(("/", "..")):
            raise RefusedURL(f"Chemin refusé : {url}")
        try:
            found = finders.find(relative)
            if not found and staticfiles_storage.exists(relative):
                found = staticfiles_storage.path(relative)  # hashed name after collectstatic
        except SuspiciousFileOperation as exc:
            raise RefusedURL(f"Chemin refusé : {url}") from exc
        if not found:
            raise RefusedURL(f"Fichier statique introuvable : {url}")
        return Path(found)


def base_url() -> str:
    return settings.SITE_URL + "/"


def font_css() -> str:
    """The @font-face rules of Marianne; the document's own CSS says where to use it."""
    return "\n".join(
        f'@font-face {{ font-family: "Marianne"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{static("dsfr/dist/fonts/" + name)}") format("woff2"); }}'
        for weight, style, name in MARIANNE
    )


def render_pdf(html: str) -> bytes:
    """The PDF of a complete HTML document (raises on any refused or missing resource)."""
    url = base_url()
    fetcher = StaticFileFetcher(url, timeout=5)
    fonts = FontConfiguration()
    stylesheet = CSS(string=font_css(), base_url=url, url_fetcher=fetcher, font_config=fonts)
    return HTML(string=html, base_url=url, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet], font_config=fonts
    )


def short_error(exc: BaseException) -> str:
    """What a "PDF en échec" badge keeps of an exception."""
    cause = exc.__cause__ or exc
    return f"{type(cause).__name__}: {cause}"[:500]
