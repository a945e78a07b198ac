"""The rendering browser obeys the network policy: Chromium itself never reaches the network.

Every request of a rendered page (the page, its subresources, fetch/XHR, iframes, forms,
navigations, beacons) is intercepted by a Playwright route and fetched here, under
:mod:`crawler.network`'s policy, with ``aiohttp`` whose resolver drops the addresses the policy
refuses (checked at connection time: no DNS rebinding). Redirects are followed here hop by hop,
each hop checked, so the browser never follows one on its own. Then:

- a refused request is aborted (``blockedbyclient``), logged as one line and counted
  (``dsi/network/private_refused``, ``dsi/network/refused/<reason>``);
- the main frame never leaves the site it was asked to render: a navigation or a redirect to
  another site is answered "204 No Content", so the page stays where it is
  (``dsi/network/refused/offsite_navigation``);
- WebSockets are never opened (``dsi/network/refused/websocket``), service workers are blocked,
  popups and any page this guard did not set up have every request aborted (a context route),
  and images, media, fonts and styles are not downloaded (the text is all a crawl needs);
- if the guard could not be set up on a page, scrapy-playwright's ``PLAYWRIGHT_ABORT_REQUEST``
  (:func:`abort_unguarded`) aborts all its requests: the browser fails closed.

Used by the website spider; the guard is its ``playwright_page_init_callback``.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from crawler.network import NetworkPolicy, Refusal, check_url

logger = logging.getLogger(__name__)

#: Resource types never downloaded when rendering.
SKIPPED_RESOURCES = frozenset({"image", "media", "font", "stylesheet"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: Response headers the browser must not see after aiohttp decoded the body.
_DROPPED_HEADERS = frozenset(
    {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}
)
_SENT_HEADERS_DROPPED = frozenset({"host", "content-length", "connection", "cookie"})
MAX_REDIRECTS = 5
_GUARDED_ATTR = "_dsi_network_guard"


def abort_unguarded(request: Any) -> bool:
    """``PLAYWRIGHT_ABORT_REQUEST``: reached only by requests the guard did not take (its page
    route runs first), so every such request is aborted."""
    return True


class PolicyResolver(AbstractResolver):
    """aiohttp resolver: the system's answers minus the addresses the policy refuses."""

    def __init__(self, guard: BrowserGuard) -> None:
        self.guard = guard
        self.inner = aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self.inner.resolve(host, port, family)
        kept = []
        for answer in answers:
            addr = ipaddress.ip_address(str(answer["host"]).split("%", 1)[0])
            reason = self.guard.policy.address_refusal(addr, port)
            if reason is None:
                kept.append(answer)
            else:
                self.guard.refused(Refusal(f"{host}:{port}", reason, str(addr)))
        if not kept:
            raise OSError(f"no address of {host} is allowed by the network policy")
        return kept

    async def close(self) -> None:
        await self.inner.close()


class BrowserGuard:
    """Fetches a rendered page's requests under the network policy (see the module doc).

    ``site_of`` maps a URL to its site key (the site a page must stay on); ``count`` adds one
    to a crawl stat; ``max_size`` caps a response body (bytes)."""

    def __init__(
        self,
        policy: NetworkPolicy,
        *,
        site_of: Callable[[str], str | None],
        count: Callable[[str], None],
        timeout: float = 20.0,
        max_size: int = 3 * 1024 * 1024,
    ) -> None:
        self.policy = policy
        self.site_of = site_of
        self.count = count
        self.timeout = timeout
        self.max_size = max_size
        self._session: aiohttp.ClientSession | None = None

    # --- set-up -------------------------------------------------------------------------------
    async def __call__(self, page: Any, request: Any) -> None:
        """scrapy-playwright's page init callback: route the page and its context."""
        context = page.context
        if not getattr(context, _GUARDED_ATTR, False):
            await context.route("**", self._abort_stray)
            await context.route_web_socket("**", self._refuse_websocket)
            setattr(context, _GUARDED_ATTR, True)
        site = self.site_of(request.url)

        async def handle(route: Any, browser_request: Any) -> None:
            await self._handle(route, browser_request, page, site)

        await page.route("**", handle)
        await page.route_web_socket("**", self._refuse_websocket)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(resolver=PolicyResolver(self), limit=16)
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                auto_decompress=True,
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    # --- refusals -----------------------------------------------------------------------------
    def refused(self, refusal: Refusal) -> None:
        logger.warning("browser: %s", refusal)
        self.count("network/private_refused")
        self.count(f"network/refused/{refusal.reason}")

    async def _abort_stray(self, route: Any, browser_request: Any) -> None:
        self.refused(Refusal(browser_request.url, "unguarded_page"))
        await route.abort("blockedbyclient")

    async def _refuse_websocket(self, ws: Any) -> None:
        self.refused(Refusal(ws.url, "websocket"))
        await ws.close(code=1008, reason="refused by the crawler's network policy")

    # --- requests -----------------------------------------------------------------------------
    async def _handle(self, route: Any, browser_request: Any, page: Any, site: str | None) -> None:
        if str(browser_request.resource_type) in SKIPPED_RESOURCES:
            self.count("network/browser_skipped")
            await route.abort("blockedbyclient")
            return
        main = browser_request.is_navigation_request() and browser_request.frame == page.main_frame
        try:
            answer = await self._fetch(browser_request, site if main else None)
        except Exception as exc:  # unreachable, timeout, too large: the browser sees a failure
            logger.info("browser: %s failed: %s", browser_request.url, exc)
            self.count("network/browser_failed")
            await route.abort("failed")
            return
        if isinstance(answer, Refusal):
            self.refused(answer)
            if main:  # "No Content": the page stays where it is (an abort shows an error page)
                await route.fulfill(status=204, body=b"")
            else:
                await route.abort("blockedbyclient")
            return
        status, headers, body = answer
        self.count("network/browser_fetched")
        await route.fulfill(status=status, headers=headers, body=body)

    async def _fetch(
        self, browser_request: Any, site: str | None
    ) -> tuple[int, dict[str, str], bytes] | Refusal:
        """Fetch under the policy, following redirects hop by hop; ``site`` set for the main
        frame, which may not leave it."""
        url = browser_request.url
        method = browser_request.method
        body = browser_request.post_data_buffer
        sent = {
            k: v
            for k, v in (await browser_request.all_headers()).items()
            if k.lower() not in _SENT_HEADERS_DROPPED and not k.startswith(":")
        }
        for _ in range(MAX_REDIRECTS + 1):
            refusal = await check_url(url, self.policy, None)
            if refusal is None and site is not None and self.site_of(url) != site:
                refusal = Refusal(url, "offsite_navigation")
            if refusal is not None:
                return refusal
            async with self._client().request(
                method, url, headers=sent, data=body, allow_redirects=False
            ) as response:
                location = response.headers.get("Location")
                if response.status in _REDIRECTS and location:
                    url = urljoin(url, location)
                    if response.status == 303 or (
                        method == "POST" and response.status not in (307, 308)
                    ):
                        method, body = "GET", None
                    continue
                data = await self._read(response)
                headers = {
                    k: v for k, v in response.headers.items() if k.lower() not in _DROPPED_HEADERS
                }
                return response.status, headers, data
        return Refusal(url, "redirect_loop")

    async def _read(self, response: aiohttp.ClientResponse) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(65536):
            size += len(chunk)
            if size > self.max_size:
                raise ValueError(f"response over {self.max_size} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
