"""opsdocs: operations documentation for consultancies, generated from YAML."""

__version__ = "0.1.0"
