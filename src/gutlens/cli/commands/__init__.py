"""One module per CLI command group; each adds itself to ``gutlens.cli._app.app``."""
