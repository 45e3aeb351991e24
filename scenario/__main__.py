"""``python -m scenario``: the command-line interface."""

from scenario.cli import main

if __name__ == "__main__":
    main()
