"""All SQL of dsi-crawler: models, sessions, repositories and Alembic migrations."""
