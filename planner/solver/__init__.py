"""The CP-SAT cover model: variables, one function per hard rule, objectives, and the stages."""

from planner.solver.model import CoverModel, Solution, SolveConfig, StageReport

__all__ = ["CoverModel", "Solution", "SolveConfig", "StageReport"]
