"""What the digital project adds to the three screens: nothing yet.

The SPEC's checklist (§8) names no project item; the project page is reached from the
navigation, so the dashboards spend no query on it.
"""
