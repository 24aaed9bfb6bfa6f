"""Tests of planner.cli: the commands, run as a user runs them."""
