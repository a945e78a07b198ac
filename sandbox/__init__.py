"""The bundled sandbox web: a realistic local web on 127.0.0.1 for ``dsi demo`` and spider tests.

Start it with :class:`sandbox.server.SandboxServer` (or ``dsi sandbox serve``). The URL layout
is documented in :mod:`sandbox.portal` (main portal) and :mod:`sandbox.content.sites`
(organisation websites, one port each).
"""
