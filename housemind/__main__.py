"""``python -m housemind``: the same entry point as the ``housemind`` command."""

from housemind.agent.cli import main

if __name__ == "__main__":
    main()
