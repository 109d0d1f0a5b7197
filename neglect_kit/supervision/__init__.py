"""Reflective supervision: session records, actions, escalation of disagreement, and working days."""
