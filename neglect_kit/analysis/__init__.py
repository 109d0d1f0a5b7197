"""What the records show when read together: patterns, risks never named, drift, the child unseen, start again."""
