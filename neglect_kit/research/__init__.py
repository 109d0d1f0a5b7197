"""Research: anonymised case reviews coded by passage (two coders blind, their agreement, the corpus's
prevalence and co-occurrence) and pseudonymised extracts of the kit's case data.

A capability beside the case folders: it reads the other capabilities' records (an extract takes the
chronology, plans, grades and findings) and nothing below imports it. A researcher's role reads no named
case data; the extract is the one way case data reaches research, and only pseudonymised.
"""
