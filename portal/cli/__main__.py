"""`python -m portal.cli`: the same command as `glasswall`."""

from portal.cli.main import main

main()
