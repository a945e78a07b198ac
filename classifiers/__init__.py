"""DSI classifiers: relevance, technologies and areas of society (scikit-learn, no SQL, no Scrapy).

See ``classifiers/README.md`` for the data, the models, what the scores mean and the
cross-validated figures.
"""
