"""The tools catalogue adds nothing to the three screens: it is reference reading."""
