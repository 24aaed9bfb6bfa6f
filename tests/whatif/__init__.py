"""Tests of planner.whatif: scenarios, their comparison, simulation and advice."""
