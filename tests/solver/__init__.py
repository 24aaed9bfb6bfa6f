"""Tests of planner.solver: the model, its stages and searches, checked by validation."""
