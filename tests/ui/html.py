"""Reading rendered HTML in tests: lxml with XPath, and the accessibility checks shared by them."""

import lxml.html


def parse(html: str):
    """A whole page, or a fragment wrapped in a page."""
    if "<html" not in html[:500]:
        html = f"<html><body>{html}</body></html>"
    return lxml.html.document_fromstring(html)


def one(doc, xpath: str):
    found = doc.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} matches"
    return found[0]


def classes(element) -> set[str]:
    return set(element.get("class", "").split())


def described_by(doc, element) -> list:
    """The elements an aria-describedby points to; every id must exist."""
    targets = []
    for ref in element.get("aria-describedby", "").split():
        matches = doc.xpath(f'//*[@id="{ref}"]')
        assert len(matches) == 1, f"aria-describedby points to missing id {ref!r}"
        targets.append(matches[0])
    return targets


def assert_every_control_labelled(doc):
    """Every visible input, select and textarea has a <label for> naming it."""
    controls = doc.xpath("//input[not(@type='hidden')] | //select | //textarea")
    assert controls
    for control in controls:
        control_id = control.get("id")
        assert control_id, lxml.html.tostring(control)
        labels = doc.xpath(f'//label[@for="{control_id}"]')
        assert len(labels) == 1, f"{control_id}: {len(labels)} labels"
        assert labels[0].text_content().strip()


def assert_unique_ids(doc):
    ids = doc.xpath("//@id")
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, duplicates
