"""Checklist, inbox and SRANE contributions of this part."""
