"""Start Empathy Trainer: ``python main.py --help`` lists the commands and flags."""

from simulator.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
