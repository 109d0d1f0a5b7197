"""The kit's one reader of terms in free text, in three modules, each importing only those before it here:

- `words`: the word lists (parent, negation, denial, stop, report and service words, false friends), a text's
  words with its clause and sentence breaks, and the one negation cue (`negated`);
- `patterns`: each term's pattern with its one-slip spelling tolerance, and `TermFinder`, which finds where the
  terms are written;
- `reading`: `TermMatcher`, which reads each place found: negation and denial, a service's name, whom it is about.

Nothing is re-exported here: each name is imported from the module that holds it.
"""
