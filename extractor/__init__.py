"""Text -> facts: clean, find, resolve, link, evaluate (see ``pipeline.py``)."""
