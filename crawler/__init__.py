"""Fetch articles from news and government sites.

- ``profile``  site profiles (``profiles/*.yaml``): what to crawl and how politely
- ``spider``   the Scrapy spider a profile drives, the store middleware (resume), backoff, progress
- ``run``      Scrapy settings from a profile; ``crawl(profile, store_dir)``
- ``store``    the raw page store: WARC + SQLite index, crash-safe
- ``article``  HTML to article (encoding, title, date, body); ``dates`` the date forms
- ``read``     the articles of a store (``vnfacts articles``)
- ``urls``     URL canonicalization (tracking parameters, fragments)
- ``serve``, ``demo``  the bundled corpus served on 127.0.0.1 and crawled
"""
