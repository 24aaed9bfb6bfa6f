"""Tests of planner.quotes: answering a client's request against a plan."""
