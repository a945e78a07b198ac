"""Entity resolution: records in, scored matches with reasons out (no SQL, no Scrapy).

* :mod:`matching.keys` -- deterministic keys: registrable domain, social-profile handles;
* :mod:`matching.names` -- name normalisation, legal forms per country, weighted similarity;
* :mod:`matching.places` -- countries and multilingual city names (offline gazetteer);
* :mod:`matching.features` -- the per-feature comparison of two records, with reasons;
* :mod:`matching.model` -- the calibrated score (logistic regression over the features);
* :mod:`matching.index` -- blocking and the :class:`~matching.index.Matcher` entry point;
* :mod:`matching.noise` -- web-noise variants of names, for training pairs and measurement.
"""
