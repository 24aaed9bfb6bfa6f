"""Who may do what: roles and scoping, logins and sessions, the audit trail."""
