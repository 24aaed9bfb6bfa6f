"""The hard rules of the contract, one module each: constraint, check, fit test and reason."""
