"""Browser tests: Playwright (via pytest-playwright) driving Debian's Chromium against live_server."""

from pathlib import Path

import pytest
from django.conf import settings

from rrupn.accounts.demo import DEMO_PASSWORD, load_demo
from rrupn.establishments.services import establishments_import

from ..conftest import chromium_path, load_reference_rules, service_or_skip

# No downloaded browser (`playwright install` is blocked here): launch the system Chromium.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
ESTABLISHMENTS_CSV = Path(settings.BASE_DIR) / "data" / "establishments_limoges.csv"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    service_or_skip(chromium_path() is not None, "Chromium absent (apt-get install -y chromium)")
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs in page.goto(); also replaces pytest-playwright's fallback fixture, which
    pytest 9 deprecates (an instance-method session fixture: an error under filterwarnings)."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A desktop width: the header shows its tools and the establishment switcher inline.
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "fr-FR"}


@pytest.fixture
def reference_data(live_server, settings, tmp_path):
    """The 136 real establishments and the demo people, as `make demo` loads them (the demo
    letter's PDF goes to a temporary MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_reference_rules()
    result = establishments_import(text=ESTABLISHMENTS_CSV.read_text(encoding="utf-8"))
    assert not result.errors, result.errors
    load_demo()


class Console:
    """Console errors, uncaught page errors and failed responses seen by the page."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.failed: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))

    def csp_violations(self) -> list[str]:
        return [text for text in self.errors if "Content Security Policy" in text]


@pytest.fixture
def console(page):
    return Console(page)


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


@pytest.fixture
def login(page, live_server, reference_data):
    """Log in through the login form, as a person would."""

    def as_user(email: str):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_login", email)
        page.fill("#id_password", DEMO_PASSWORD)
        page.locator("main").get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state("networkidle")

    return as_user
