"""Node positions for large views, computed once in Python so the browser can draw without physics.

A force layout of thousands of nodes is slow in networkx and never settles in the browser, and
even when it finishes it is a single blob. Here the actors are first split into communities
(Louvain), each community is laid out on its own with a small spring layout, and the
communities are then placed as discs (spring layout of the community graph, then overlaps
pushed apart). Clusters of actors that deal with each other stay visibly together.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

NODE_SPACING = 70.0  # pixels between neighbouring actors in vis-network coordinates
SEED = 7  # layouts are deterministic: the same graph gives the same picture


def community_layout(graph: nx.Graph) -> dict:
    """Node → (x, y) in pixels for any (multi)graph; direction and parallel edges are ignored."""
    simple = nx.Graph()
    simple.add_nodes_from(graph)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    isolated = sorted((n for n in simple if simple.degree(n) == 0), key=str)
    simple.remove_nodes_from(isolated)
    positions = _connected_layout(simple) if len(simple) else {}
    return positions | _grid_below(isolated, positions)


def _grid_below(nodes: list, positions: dict) -> dict:
    """Actors without events (speakers only, say) in rows under the network, not mixed into it."""
    if not nodes:
        return {}
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    columns = max(1, int((max(xs) - min(xs)) / NODE_SPACING) + 1, int(math.sqrt(len(nodes))))
    top = max(ys) + 2 * NODE_SPACING
    return {
        node: (min(xs) + (i % columns) * NODE_SPACING, top + (i // columns) * NODE_SPACING)
        for i, node in enumerate(nodes)
    }


def _connected_layout(simple: nx.Graph) -> dict:
    communities = [sorted(c, key=str) for c in nx.community.louvain_communities(simple, seed=SEED, threshold=1e-3)]
    communities.sort(key=lambda c: (-len(c), str(c[0])))

    radii = np.array([NODE_SPACING * (0.5 + math.sqrt(len(c)) * 0.75) for c in communities])
    centres = _community_centres(simple, communities, radii)
    positions = {}
    for community, centre, radius in zip(communities, centres, radii):
        for node, (x, y) in _inner_layout(simple.subgraph(community), radius).items():
            positions[node] = (float(centre[0] + x), float(centre[1] + y))
    return positions


def _inner_layout(community: nx.Graph, radius: float) -> dict:
    if len(community) == 1:
        return {next(iter(community)): (0.0, 0.0)}
    # few iterations for big communities: networkx's sparse solver is slow above 500 nodes
    iterations = 50 if len(community) < 500 else 15
    layout = nx.spring_layout(community, iterations=iterations, seed=SEED)
    return {node: (x * radius, y * radius) for node, (x, y) in layout.items()}


def _community_centres(simple: nx.Graph, communities: list[list], radii: np.ndarray) -> np.ndarray:
    """Centres of the community discs: linked communities near each other, discs not overlapping."""
    count = len(communities)
    if count == 1:
        return np.zeros((1, 2))
    membership = {node: index for index, community in enumerate(communities) for node in community}
    quotient = nx.Graph()
    quotient.add_nodes_from(range(count))
    for u, v in simple.edges():
        a, b = membership[u], membership[v]
        if a != b:
            weight = quotient.get_edge_data(a, b, {"weight": 0})["weight"]
            quotient.add_edge(a, b, weight=weight + 1)
    start = nx.spring_layout(quotient, seed=SEED, iterations=100, weight="weight")
    centres = np.array([start[i] for i in range(count)]) * radii.sum() / 2
    return _push_apart(centres, radii * 1.1)


def _push_apart(centres: np.ndarray, radii: np.ndarray, rounds: int = 200) -> np.ndarray:
    """Move overlapping discs apart along the line joining their centres until none overlap."""
    rng = np.random.default_rng(SEED)
    centres = centres + rng.normal(scale=1e-3, size=centres.shape)  # no two centres coincide
    needed = radii[:, None] + radii[None, :]
    for _ in range(rounds):
        delta = centres[:, None, :] - centres[None, :, :]
        distance = np.sqrt((delta**2).sum(-1)) + np.eye(len(centres))
        overlap = np.clip(needed - distance, 0, None)
        np.fill_diagonal(overlap, 0)
        if not overlap.any():
            break
        push = (delta / distance[..., None] * (overlap / 2)[..., None]).sum(1)
        centres = centres + push
    return centres
