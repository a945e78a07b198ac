"""The durable crawl frontier: the requests still to fetch, the ones in flight (leases) and the
fingerprints already seen, kept outside the process so a crawl killed at any moment resumes.

One concept, two backends behind one Scrapy scheduler interface and one lease protocol
(:mod:`crawler.frontier.leases`):

- :class:`SqlScheduler` (:mod:`crawler.frontier.sql_queue`): a plain ``dsi crawl NAME`` of a
  jobs source, in the crawler's database (SQLite or PostgreSQL);
- :class:`LeasedScheduler` (:mod:`crawler.frontier.redis_queue`): ``dsi crawl NAME
  --distributed``, shared by workers on many machines in Redis (scrapy-redis); spiders whose
  state is per site share whole sites instead (:class:`UnitFrontier`, same module).
"""

from crawler.frontier.leases import (
    LEASE_META,
    FailedFetchMiddleware,
    Frontier,
    LeaseMiddleware,
    frontier_of,
)
from crawler.frontier.redis_queue import LeasedScheduler, UnitFrontier, frontier_keys, units_of
from crawler.frontier.sql_queue import SqlScheduler

__all__ = [
    "LEASE_META",
    "FailedFetchMiddleware",
    "Frontier",
    "LeaseMiddleware",
    "LeasedScheduler",
    "SqlScheduler",
    "UnitFrontier",
    "frontier_keys",
    "frontier_of",
    "units_of",
]
