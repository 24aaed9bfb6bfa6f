"""The CP-SAT cover model: variables, one function per hard rule, objectives, and the stages."""

from planner.solver.model import CoverModel, SolveConfig, Solution, StageReport

__all__ = ["CoverModel", "SolveConfig", "Solution", "StageReport"]
