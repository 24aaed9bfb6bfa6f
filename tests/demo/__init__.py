"""Tests of planner.demo: the seeded demo data keeps the contract and is reproducible."""
