"""One module per producer format; each registers itself with :func:`gutlens.io.register`."""
