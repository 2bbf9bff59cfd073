"""``python -m gutlens``."""

from gutlens.cli import main

main()
