#!/usr/bin/env python3
"""Generates inputs for the Datalog benchmarks (docs/performance.md).

  generate.py graph --nodes N --edges M --seed S OUT_DIR
      OUT_DIR/edge.facts: M distinct random directed edges over N nodes
      (tab separated numbers), for tc.dl (transitive closure).
  generate.py sg --nodes N --edges M --seed S OUT_DIR
      OUT_DIR/edge.facts: a random forest-like parent relation for
      same-generation (sg.dl): each edge links a parent to a child.

Deterministic for a given seed.
"""

import argparse
import os
import random


def random_graph(nodes, edges, rng):
    seen = set()
    while len(seen) < edges:
        a, b = rng.randrange(nodes), rng.randrange(nodes)
        seen.add((a, b))
    return sorted(seen)


def same_generation(nodes, edges, rng):
    # Each node but the first few roots gets parents among lower-numbered
    # nodes, so generations are well defined and the relation is acyclic.
    seen = set()
    roots = max(1, nodes // 100)
    while len(seen) < edges:
        child = rng.randrange(roots, nodes)
        parent = rng.randrange(0, child)
        seen.add((parent, child))
    return sorted(seen)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=["graph", "sg"])
    parser.add_argument("--nodes", type=int, required=True)
    parser.add_argument("--edges", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("out")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    generate = random_graph if args.kind == "graph" else same_generation
    pairs = generate(args.nodes, args.edges, rng)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "edge.facts"), "w") as f:
        for a, b in pairs:
            f.write("%d\t%d\n" % (a, b))


if __name__ == "__main__":
    main()
