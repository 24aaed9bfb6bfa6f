"""Tests of planner.domain: the vocabulary, the calendar and demand, no I/O."""
