"""Tests of planner.accounts: who may do what, logins and the audit trail."""
