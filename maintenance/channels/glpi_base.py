"""What both GLPI clients share (legacy API, glpi.py; API v2, glpi_hl.py)."""

from . import TransientError

TRANSIENT_HTTP = {429, 500, 502, 503, 504}


def glpi_root(url: str) -> str:
    """The GLPI root from a channel address: …/api.php/v2, …/api.php, …/apirest.php removed."""
    root = url.strip().rstrip("/")
    for suffix in ("/api.php/v2", "/api.php/v1", "/api.php", "/apirest.php"):
        if root.endswith(suffix):
            return root.removesuffix(suffix).rstrip("/")
    return root


class Expired(Exception):
    """GLPI no longer takes the session (legacy) or the access token (v2)."""


class LoginOnceMore:
    """`_authed`: a call made after logging in, and made again once after a new login if GLPI
    no longer takes the session or token (it expired midway, §3.4 / §4.2)."""

    expired_again = "La session GLPI expire aussitôt ouverte."

    def _authed(self, method: str, path: str, **kwargs):
        if not self.logged_in:
            self.login()
        try:
            return self._call(method, path, **kwargs)
        except Expired:
            self.login()
            try:
                return self._call(method, path, **kwargs)
            except Expired as exc:
                raise TransientError(self.expired_again) from exc
