"""The one place a CP-SAT solver is made: limits, workers, seed, and its log into `logging`.

Every model of the planner (the weeks, the whole horizon, the neighbourhoods,
the quote and the reshuffle) is solved by a solver from `new_solver`, so a
search log can be switched on for all of them at once: set the
`planner.solver.cpsat` logger to `SEARCH_LOG` (one below DEBUG). The parameters
are set exactly as given; callers that want a floor on the time or the workers
say so themselves, because a quote's plain time limit must stay as it is.
"""

from __future__ import annotations

import logging

from ortools.sat.python import cp_model

log = logging.getLogger(__name__)

SEARCH_LOG = logging.DEBUG - 1


def new_solver(
    time_limit: float, *, workers: int = 1, seed: int | None = None
) -> cp_model.CpSolver:
    """A CP-SAT solver with a time limit, its workers and (when given) its random seed.

    Without a seed CP-SAT keeps its own default, which some searches have always
    used; setting one there would change their results.
    """
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    if seed is not None:
        solver.parameters.random_seed = seed
    if log.isEnabledFor(SEARCH_LOG):
        solver.parameters.log_search_progress = True
        solver.log_callback = lambda line: log.log(SEARCH_LOG, "%s", line)
    return solver
