"""What this part adds to the three screens (rrupn.dashboard registries)."""
