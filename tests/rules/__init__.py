"""One test module per hard rule of the contract, beside `planner/rules/<rule>.py`.

Each proves the rule three ways: a tiny CP-SAT model with only that rule (or, for
rules 1 and 2, the eligibility that replaces a constraint) is feasible and
infeasible where the contract says; the validator accepts a valid plan and names
the rule when exactly one booking is changed to break it; and the rule's fit test
and reasons say what the heuristics and `explain` rely on.
"""
