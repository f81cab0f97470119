"""Helpers shared by the example DAGs."""
