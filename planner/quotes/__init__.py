"""Answers to one new request against the capacity a plan leaves free."""
