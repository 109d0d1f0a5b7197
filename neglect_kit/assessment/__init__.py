"""The kit's own neglect assessment (issue 4, in progress): framework and model so far."""
