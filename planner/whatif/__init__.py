"""What-if analysis: scenarios of changes, their comparison, turnover simulation, advice."""
