"""README.md stays true: the two commands first, every environment variable documented."""

from .production import BASE_DIR
from .test_compose import settings_variables


def test_readme_starts_with_the_two_commands():
    readme = (BASE_DIR / "README.md").read_text()
    first_section = readme.split("\n## ")[1]
    assert first_section.startswith("Les deux commandes")
    assert "make demo" in first_section and "make test" in first_section


def test_every_environment_variable_is_in_the_readme():
    readme = (BASE_DIR / "README.md").read_text()
    undocumented = sorted(name for name in settings_variables() if f"`{name}`" not in readme)
    assert not undocumented, f"Variables read by settings.py missing from README.md: {undocumented}"
