"""`python -m bpoterms` runs the same command as the `bpoterms` script."""

from .fastpath import script

script()
