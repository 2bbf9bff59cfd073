"""The shipped JSON Schema files of the report (``report-v<N>.schema.json``)."""
