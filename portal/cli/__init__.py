"""`glasswall`: the command line, one module per group of commands.

`root` holds the root command; each other module registers one group. Commands import
what they use when they run, so `glasswall --help` stays quick.
"""

from portal.cli.root import app, main

__all__ = ["app", "main"]
