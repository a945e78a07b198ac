"""Benchmarks of the crawl pipeline: a generated web, a bare Scrapy baseline, the report."""
