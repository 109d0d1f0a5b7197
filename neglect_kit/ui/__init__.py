"""Shared widget pieces for the apps."""
