"""Researchers' reports: tidy pandas tables of the harvest (``reports.data``) and the
``dsi report`` outputs (trends, geography, network) built from them.

Reads storage and the classifiers' taxonomy data; never Scrapy.
"""
