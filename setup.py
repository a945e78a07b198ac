"""For ``scrapyd-deploy``, which builds the project's egg with ``python setup.py bdist_egg``.

Everything else (packages, data, dependencies, the ``scrapy`` settings entry point) is declared
in ``pyproject.toml``; pip and other builders never run ``bdist_egg``.

The egg scrapyd receives holds the project's metadata and its ``scrapy`` entry point
(``settings = crawler.settings``), not the code: scrapyd runs the ``dsi-crawler`` installed in
its own environment (with its dependencies and data files, which cannot be read from inside a
zipped egg: the Alembic migrations, the classifier's and the gazetteer's data).
"""

from setuptools import setup
from setuptools.command.bdist_egg import bdist_egg


class SettingsOnlyEgg(bdist_egg):  # type: ignore[misc]
    """``bdist_egg`` without packages: metadata and entry points only."""

    def finalize_options(self) -> None:
        self.distribution.packages = []
        self.distribution.py_modules = []
        self.distribution.package_data = {}
        super().finalize_options()


setup(cmdclass={"bdist_egg": SettingsOnlyEgg})
