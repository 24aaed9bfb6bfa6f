"""The app's account roles by name: plain words, so the command line's help can list them
without loading what the roles may see (`access`)."""

from __future__ import annotations

ADMIN, MANAGER, OPERATOR = "admin", "manager", "operator"
ACCOUNT_ROLES = (ADMIN, MANAGER, OPERATOR)
