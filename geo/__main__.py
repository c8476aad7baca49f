"""``python -m geo``: the Frontline Atlas command line."""

from geo.cli import main

raise SystemExit(main())
