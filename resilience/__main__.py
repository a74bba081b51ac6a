"""Entry point for ``python -m resilience``."""

from resilience.cli import main

if __name__ == "__main__":
    main()
