"""``python -m govcloud`` runs the command line."""

from govcloud.cli import main

if __name__ == "__main__":
    main()
