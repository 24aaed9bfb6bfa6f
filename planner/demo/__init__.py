"""The seeded demo vendor and the benchmark presets (`python -m planner.demo`)."""
