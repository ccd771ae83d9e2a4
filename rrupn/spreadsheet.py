"""CSV files people open in a spreadsheet (Excel, LibreOffice): shared by every export."""

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# UTF-8 with BOM: Excel otherwise reads the accents as Latin-1.
BOM = "\ufeff"


def safe_cell(value) -> str:
    """The cell's text, with a leading quote when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
