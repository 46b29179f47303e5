"""Allow ``python -m simulator``."""

from simulator.cli.main import main

raise SystemExit(main())
