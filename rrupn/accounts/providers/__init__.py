"""allauth providers of the portal."""
