"""The on-call rota: who is on duty when, so that every promised operator-hour is answered
in time (the contract's "The on-call rota (incident support)")."""
