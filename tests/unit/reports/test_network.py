"""The network of a constructed harvest: a known graph, its figures and its files."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from reports.data import export_format_frame
from reports.network import build_graph, summarise, write_graph
from tests.unit.reports.helpers import harvest


def test_known_graph() -> None:
    graph = build_graph(harvest())
    assert sorted(graph.nodes) == ["c1", "c2", "c3", "c4", "c5", "s:other.net"]
    edges = {tuple(sorted(e)): d["kinds"] for *e, d in graph.edges(data=True)}
    assert edges == {
        ("c1", "c2"): "link",  # both directions: one undirected edge
        ("c2", "c4"): "link",
        ("c4", "s:other.net"): "link",
        ("c1", "c3"): "co_mention",
        ("c3", "c4"): "co_mention",
        ("c1", "c4"): "shared_project",  # both tied to project P
    }
    assert graph.nodes["c1"]["label"] == "Alpha" and graph.nodes["c1"]["country"] == "DE"


def test_figures_of_the_known_graph() -> None:
    graph = build_graph(harvest())
    s = summarise(graph)
    fig = s.figures["value"]
    assert fig["nodes"] == 6 and fig["edges"] == 6
    assert fig["components"] == 2 and fig["largest component"] == 5
    assert fig["largest component share"] == pytest.approx(5 / 6, abs=1e-4)
    assert fig["isolated nodes"] == 1
    assert fig["edges with both countries known"] == 5 and fig["cross-country edges"] == 2
    assert dict(zip(s.degrees["degree"], s.degrees["nodes"], strict=True)) == {
        0: 1,
        1: 1,
        2: 2,
        3: 1,
        4: 1,
    }
    assert s.central.iloc[0]["label"] == "Gamma" and s.central.iloc[0]["degree"] == 4
    assert s.country_pairs.to_dict("records") == [{"a": "DE", "b": "FR", "edges": 2}]
    assert dict(zip(s.edge_kinds["kind"], s.edge_kinds["edges"], strict=True)) == {
        "link": 3,
        "co_mention": 2,
        "shared_project": 1,
    }
    # communities partition the connected nodes; modularity as networkx computes it
    members = set().union(*(set(m.split("; ")) for m in s.communities["members"]))
    assert "Delta" not in members and len(s.communities) >= 1
    assert -0.5 <= fig["modularity"] <= 1


def test_graphml_and_gexf_round_trip(tmp_path: Path) -> None:
    graph = build_graph(harvest())
    summarise(graph)
    graphml, gexf = write_graph(graph, tmp_path)
    back = nx.read_graphml(graphml)
    assert back.number_of_nodes() == 6 and back.number_of_edges() == 6
    assert back.nodes["c4"]["label"] == "Gamma" and back.nodes["c4"]["community"] >= 0
    assert nx.read_gexf(gexf).number_of_edges() == 6


def test_main_database_organisations_join_the_graph() -> None:
    h = harvest()
    h.main = export_format_frame(
        [
            # the same organisation as candidate Alpha (same website): one node
            {
                "organisation_id": 7,
                "organisation_name": "Alpha",
                "website": "https://www.alpha.org",
                "country": "Germany",
                "linked_project_ids": ["9"],
            },
            {
                "organisation_id": 8,
                "organisation_name": "Omega",
                "website": "",
                "country": "Latvia",
                "region": "Riga",
                "linked_project_ids": [],
            },
        ],
        "organisation",
    )
    h.main = pd.concat(
        [
            h.main,
            export_format_frame(
                [{"project_id": 9, "project_name": "Map", "linked_organisation_ids": ["7", "8"]}],
                "project",
            ),
        ],
        ignore_index=True,
    )
    graph = build_graph(h)
    assert "m7" not in graph and graph.nodes["m8"]["country"] == "LV"
    assert graph.edges["c1", "m8"]["kinds"] == "shared_project"  # both in project 9
