from __future__ import annotations

from pathlib import Path

import pytest

from crawler.sources import SourceError, adhoc_source, find_source, load_sources, parse_sources

GOOD = """
[[source]]
name = "sandbox-jobs"
spider = "jobs"
urls = ["http://127.0.0.1:8765/jobs/"]
schedule = "0 3 * * 1"
allow_private_network = true
max_pages = 50
api = "greenhouse"

[[source]]
name = "portal"
spider = "opendata"
urls = "https://data.example.org/"
"""


def test_parses_sources_with_options() -> None:
    jobs, portal = parse_sources(GOOD, file="s.toml")
    assert jobs.name == "sandbox-jobs" and jobs.spider == "jobs"
    assert jobs.urls == ("http://127.0.0.1:8765/jobs/",)
    assert jobs.schedule == "0 3 * * 1" and jobs.max_pages == 50
    assert jobs.allow_private_network is True
    assert jobs.option("api") == "greenhouse"
    assert portal.urls == ("https://data.example.org/",)
    assert portal.max_pages == 500 and portal.allow_private_network is False
    with pytest.raises(TypeError):
        jobs.options["api"] = "x"  # type: ignore[index]


@pytest.mark.parametrize(
    ("snippet", "field"),
    [
        ('name = "x"\nspider = "shop"\nurls = ["http://a.org/"]', "spider"),
        ('name = "x"\nspider = "jobs"\nurls = []', "urls"),
        ('name = "x"\nspider = "jobs"\nurls = ["ftp://a.org/"]', "urls"),
        (
            'name = "x"\nspider = "jobs"\nurls = ["http://a.org/"]\nschedule = "every day"',
            "schedule",
        ),
        ('name = "x"\nspider = "jobs"\nurls = ["http://a.org/"]\nmax_pages = 0', "max_pages"),
        ('name = "x"\nspider = "jobs"\nurls = ["http://a.org/"]\nmax_pages = true', "max_pages"),
        (
            'name = "x"\nspider = "jobs"\nurls = ["http://a.org/"]\nallow_private_network = "yes"',
            "allow_private_network",
        ),
        ('name = "bad name!"\nspider = "jobs"\nurls = ["http://a.org/"]', "name"),
    ],
)
def test_errors_name_file_source_and_field(snippet: str, field: str) -> None:
    with pytest.raises(SourceError) as err:
        parse_sources("[[source]]\n" + snippet, file="sources.toml")
    assert err.value.field == field
    assert "sources.toml" in str(err.value)
    assert f"'{field}'" in str(err.value)


def test_duplicate_names_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="duplicate"):
        parse_sources(GOOD + GOOD)
    bad = tmp_path / "s.toml"
    bad.write_text("[[source]\nname=", encoding="utf-8")
    with pytest.raises(SourceError, match="not valid TOML"):
        load_sources(bad)
    with pytest.raises(SourceError, match="file not found"):
        load_sources(tmp_path / "missing.toml")


def test_find_and_adhoc() -> None:
    sources = parse_sources(GOOD)
    assert find_source(sources, "portal").spider == "opendata"
    with pytest.raises(SourceError, match="known: sandbox-jobs, portal"):
        find_source(sources, "nope")
    src = adhoc_source(
        "opendata", ["http://127.0.0.1:9/ckan/"], api="ckan", allow_private_network=True
    )
    assert src.name == "adhoc-opendata-127.0.0.1"
    assert src.option("api") == "ckan"


def test_spider_options_are_checked_before_a_crawl() -> None:
    from spiders.jobs import JobsSpider
    from spiders.opendata import OpendataSpider

    def src(spider: str, **options: object) -> object:
        text = f'[[source]]\nname = "p"\nspider = "{spider}"\nurls = ["https://a.org/"]\n'
        for key, value in options.items():
            text += f"{key} = {json_value(value)}\n"
        return parse_sources(text, file="sources.toml")[0]

    OpendataSpider.check_source(src("opendata", api="ckan", rows=500, incremental=False))
    JobsSpider.check_source(src("jobs", api="lever", seed="candidates"))
    with pytest.raises(SourceError) as err:
        OpendataSpider.check_source(src("opendata", apu="ckan"))
    assert err.value.field == "apu" and "unknown option" in str(err.value)
    assert "sources.toml" in str(err.value) and "source 'p'" in str(err.value)
    for api in ("opendatasoft", "udata", "arcgis"):
        OpendataSpider.check_source(src("opendata", api=api))
    with pytest.raises(
        SourceError, match="must be one of ckan, dcat, socrata, opendatasoft, udata, arcgis"
    ):
        OpendataSpider.check_source(src("opendata", api="geonode"))
    with pytest.raises(SourceError, match="must be int"):
        OpendataSpider.check_source(src("opendata", rows="many"))
    with pytest.raises(SourceError, match="must be bool"):
        OpendataSpider.check_source(src("opendata", incremental=1))
    with pytest.raises(SourceError, match="field 'api'"):
        JobsSpider.check_source(src("jobs", api="monster"))


def json_value(value: object) -> str:
    import json

    return json.dumps(value)
