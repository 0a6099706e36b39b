"""`python -m bpoterms` runs the same command as the `bpoterms` script."""

from .cli import main

main()
