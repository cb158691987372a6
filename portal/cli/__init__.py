"""`glasswall`: the command line, one module per group of commands.

`main` holds the root command; each other module registers one group. Commands import
what they use when they run, so `glasswall --help` stays quick.
"""

from portal.cli.main import app, main

__all__ = ["app", "main"]
