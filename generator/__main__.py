"""`python -m generator` runs the opsdocs command."""

from .cli import main

main()
