"""Printable records (HTML and PDF)."""
