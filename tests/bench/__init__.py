"""Tests of bench/: the benchmark's greedy baseline stays valid and shows what it misses."""
