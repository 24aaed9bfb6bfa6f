"""The vocabulary of the contract: records, the production calendar, demand. No I/O, no solver."""
