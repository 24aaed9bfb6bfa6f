"""Cover Planner: finds staffing gaps at telecom operators and plans the vendor's cover."""
