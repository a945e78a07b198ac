"""Connectedness: organisations and projects linked by website links, shared projects and
co-mentions (networkx).

Nodes are candidates (organisations and projects; ``c<id>``) and websites that take part in a
link but are no candidate (``s:<site key>``). A candidate's node takes its website's links.
Edge kinds (an edge can have several; ``weight`` counts the reasons):

* ``link``: one site links to the other (``site_links``; direction dropped);
* ``co_mention``: one harvested item is evidence for both (an advert naming its employer and a
  showcase, a publisher and its showcase...);
* ``shared_project``: two organisations both tied to the same project by co-mentions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from reports.data import Harvest

TOP = 10


def build_graph(harvest: Harvest) -> nx.Graph:
    """The undirected network of the harvest."""
    graph = nx.Graph()
    cands = harvest.candidates
    site_node: dict[str, str] = {}
    for row in cands.itertuples(index=False):
        node = f"c{row.id}"
        graph.add_node(
            node,
            label=str(row.name),
            kind=str(row.kind),
            country=str(row.country or ""),
            site=str(row.site or ""),
            relevance=_number(row.relevance),
        )
        if row.site and row.site not in site_node:
            site_node[str(row.site)] = node
    main_projects = _add_main_database(graph, harvest.main, site_node)
    profiles = harvest.websites.dropna(subset=["site_key"])
    countries = {str(r.site_key): str(r.country or "") for r in profiles.itertuples(index=False)}
    names = {str(r.site_key): str(r.name or r.site_key) for r in profiles.itertuples(index=False)}

    def node_of(site: str) -> str:
        if site in site_node:
            return site_node[site]
        node = f"s:{site}"
        if node not in graph:
            graph.add_node(
                node,
                label=names.get(site, site),
                kind="website",
                country=countries.get(site, ""),
                site=site,
                relevance=-1.0,
            )
        return node

    for row in harvest.links.itertuples(index=False):
        _add_edge(graph, node_of(str(row.from_site)), node_of(str(row.to_site)), "link")
    kinds = dict(zip(cands["id"], cands["kind"], strict=True))
    by_item = harvest.evidence.groupby("item_id")["candidate_id"].apply(sorted)
    projects_of: dict[int, set[int]] = {}
    for members in by_item:
        for a, b in itertools.combinations(sorted(set(members)), 2):
            _add_edge(graph, f"c{a}", f"c{b}", "co_mention")
            for org, project in ((a, b), (b, a)):
                if kinds.get(org) == "organisation" and kinds.get(project) == "project":
                    projects_of.setdefault(project, set()).add(org)
    for orgs in projects_of.values():
        for a, b in itertools.combinations(sorted(orgs), 2):
            _add_edge(graph, f"c{a}", f"c{b}", "shared_project")
    for main_orgs in main_projects.values():
        for a, b in itertools.combinations(sorted(main_orgs), 2):
            _add_edge(graph, a, b, "shared_project")
    return graph


def _add_main_database(
    graph: nx.Graph, main: pd.DataFrame | None, site_node: dict[str, str]
) -> dict[str, set[str]]:
    """Add the main database's organisations (a candidate with the same website is the same
    node); returns project id -> the nodes of its organisations."""
    projects: dict[str, set[str]] = {}
    if main is None:
        return projects
    records = [{str(k): v for k, v in r.items()} for r in main.to_dict("records")]
    id_node: dict[str, str] = {}
    for row in (r for r in records if r["kind"] == "organisation"):
        site = str(row["site"] or "")
        node = site_node.get(site) if site else None
        if node is None:
            node = f"m{row['id']}"
            graph.add_node(
                node,
                label=str(row["name"]),
                kind="organisation (main database)",
                country=str(row["country"] or ""),
                site=site,
                relevance=-1.0,
            )
            if site:
                site_node[site] = node
        id_node[str(row["id"])] = node
        for project in row["linked"]:
            projects.setdefault(str(project), set()).add(node)
    for row in (r for r in records if r["kind"] == "project"):
        for org in row["linked"]:
            if str(org) in id_node:
                projects.setdefault(str(row["id"]), set()).add(id_node[str(org)])
    return projects


def _number(value: object) -> float:
    """A float for GraphML/GEXF (-1 for missing)."""
    return float(value) if isinstance(value, int | float) and value == value else -1.0


def _add_edge(graph: nx.Graph, a: str, b: str, kind: str) -> None:
    if a == b:
        return
    if graph.has_edge(a, b):
        data = graph.edges[a, b]
        kinds = set(data["kinds"].split(","))
        if kind not in kinds:
            data["kinds"] = ",".join(sorted(kinds | {kind}))
            data["weight"] += 1
        return
    graph.add_edge(a, b, kinds=kind, weight=1)


@dataclass(slots=True)
class NetworkSummary:
    #: one row per figure: nodes, edges, components, largest component, modularity ...
    figures: pd.DataFrame
    degrees: pd.DataFrame
    central: pd.DataFrame
    communities: pd.DataFrame
    country_pairs: pd.DataFrame
    edge_kinds: pd.DataFrame


def summarise(graph: nx.Graph, *, seed: int = 0) -> NetworkSummary:
    """Size, components, degree distribution, communities (Louvain, modularity), central
    actors and cross-country edges."""
    n = graph.number_of_nodes()
    components = sorted(nx.connected_components(graph), key=len, reverse=True)
    largest = len(components[0]) if components else 0
    with_edges = graph.subgraph(node for node in graph if graph.degree(node))
    communities = (
        nx.community.louvain_communities(with_edges, seed=seed)
        if with_edges.number_of_edges()
        else []
    )
    communities = sorted(communities, key=lambda c: (-len(c), min(c)))
    modularity = nx.community.modularity(with_edges, communities) if communities else float("nan")
    cross, known = 0, 0
    pairs: dict[tuple[str, str], int] = {}
    for a, b in graph.edges:
        ca, cb = graph.nodes[a].get("country"), graph.nodes[b].get("country")
        if ca and cb:
            known += 1
            if ca != cb:
                cross += 1
                key = (min(ca, cb), max(ca, cb))
                pairs[key] = pairs.get(key, 0) + 1
    figures = pd.DataFrame(
        [
            ("nodes", n),
            ("edges", graph.number_of_edges()),
            ("isolated nodes", n - with_edges.number_of_nodes()),
            ("components", len(components)),
            ("largest component", largest),
            ("largest component share", round(largest / n, 4) if n else float("nan")),
            ("communities", len(communities)),
            ("modularity", round(modularity, 4)),
            ("edges with both countries known", known),
            ("cross-country edges", cross),
            ("cross-country share", round(cross / known, 4) if known else float("nan")),
            ("density", round(nx.density(graph), 6) if n > 1 else float("nan")),
        ],
        columns=["figure", "value"],
        dtype=object,
    ).set_index("figure")
    degree_counts = pd.Series([d for _, d in graph.degree]).value_counts().sort_index()
    degrees = pd.DataFrame({"degree": degree_counts.index, "nodes": degree_counts.to_numpy()})
    community_of = {node: i for i, c in enumerate(communities) for node in c}
    nx.set_node_attributes(graph, {node: community_of.get(node, -1) for node in graph}, "community")
    return NetworkSummary(
        figures=figures,
        degrees=degrees,
        central=central_actors(graph),
        communities=pd.DataFrame(
            [
                {
                    "community": i,
                    "size": len(c),
                    "countries": ",".join(sorted({graph.nodes[x]["country"] for x in c} - {""})),
                    "members": "; ".join(sorted(graph.nodes[x]["label"] for x in c)[:8]),
                }
                for i, c in enumerate(communities)
            ],
            columns=["community", "size", "countries", "members"],
        ),
        country_pairs=pd.DataFrame(
            [{"a": a, "b": b, "edges": k} for (a, b), k in sorted(pairs.items())],
            columns=["a", "b", "edges"],
        ),
        edge_kinds=pd.DataFrame(
            [
                {
                    "kind": kind,
                    "edges": sum(
                        kind in d["kinds"].split(",") for *_e, d in graph.edges(data=True)
                    ),
                }
                for kind in ("link", "co_mention", "shared_project")
            ]
        ),
    )


def central_actors(graph: nx.Graph, top: int = TOP) -> pd.DataFrame:
    """The ``top`` nodes by degree, with betweenness and PageRank."""
    columns = ["node", "label", "kind", "country", "degree", "betweenness", "pagerank"]
    if graph.number_of_edges() == 0:
        return pd.DataFrame(columns=columns)
    betweenness = nx.betweenness_centrality(graph)
    pagerank = nx.pagerank(graph, weight="weight")
    rows = [
        {
            "node": node,
            "label": graph.nodes[node]["label"],
            "kind": graph.nodes[node]["kind"],
            "country": graph.nodes[node]["country"],
            "degree": graph.degree(node),
            "betweenness": round(betweenness[node], 4),
            "pagerank": round(pagerank[node], 4),
        }
        for node in graph
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return (
        frame.sort_values(["degree", "betweenness", "node"], ascending=[False, False, True])
        .head(top)
        .reset_index(drop=True)
    )


def write_graph(graph: nx.Graph, folder: Path) -> list[Path]:
    """GraphML and GEXF (for Gephi) in ``folder``."""
    graphml = folder / "network.graphml"
    gexf = folder / "network.gexf"
    nx.write_graphml(graph, graphml)
    nx.write_gexf(graph, gexf)
    return [graphml, gexf]


def node_table(graph: nx.Graph) -> pd.DataFrame:
    rows: list[dict[str, Any]] = [
        {"node": node, **data, "degree": graph.degree(node)}
        for node, data in graph.nodes(data=True)
    ]
    return pd.DataFrame(rows)


__all__ = [
    "NetworkSummary",
    "build_graph",
    "central_actors",
    "node_table",
    "summarise",
    "write_graph",
]
