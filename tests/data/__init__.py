"""Tests of planner.data: reading, validating and writing datasets, storage and migrations."""
