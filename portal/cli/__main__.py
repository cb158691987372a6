"""`python -m portal.cli`: the same command as `glasswall`."""

from portal.cli.root import main

main()
