"""The pipeline from a dataset to a plan, the reasons for what is left uncovered, and the
solver-free validator that checks any plan against every rule."""
