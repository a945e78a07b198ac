"""Curator review web app (``dsi review serve``): queue, candidate pages, decisions, audit."""
