"""The cover planner: CP-SAT model parts, the flows and searches per week, and the stages."""

from planner.solver.model import CoverModel, Solution, SolveConfig, StageReport

__all__ = ["CoverModel", "Solution", "SolveConfig", "StageReport"]
