#!/usr/bin/env python3
"""Which areas of core/src import which (test modules and comments left out), and any
import cycle between files. Usage: scripts/module-deps.py [core/src]

docs/ARCHITECTURE.md shows the picture this prints; core/tests/architecture.rs
keeps the encoder and the reader apart."""
import os, re, sys, itertools
root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'core', 'src')
files = {}
for d, _, fs in os.walk(root):
    for f in fs:
        if f.endswith('.rs'):
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            mod = re.sub(r'/mod$', '', rel[:-3]).replace('/', '::')
            if mod == 'lib': mod = 'crate'
            files[mod] = p
def strip_tests(src):
    # drop #[cfg(test)] mod blocks (crudely: from '#[cfg(test)]\nmod' to end of file)
    m = re.search(r'#\[cfg\((all\()?test.*\n(pub\(crate\) )?mod \w+', src)
    return src[:m.start()] if m else src
edges = set()
for mod, p in files.items():
    src = '\n'.join(l for l in strip_tests(open(p).read()).splitlines() if not l.strip().startswith('//'))
    parent = mod.rsplit('::', 1)[0] if '::' in mod else 'crate'
    is_mod_rs = p.endswith('mod.rs')
    here = mod if is_mod_rs else parent
    for m in re.finditer(r'(crate|super)::([a-z_0-9:]+)', src):
        base, path = m.group(1), m.group(2).split('::')
        if base == 'super':
            start = parent
        else:
            start = 'crate'
        # resolve longest existing module prefix
        cur = start
        target = None
        for part in path:
            cand = part if cur == 'crate' else cur + '::' + part
            if cand in files: cur = cand; target = cand
            else: break
        if target and target != mod and not target.startswith(mod + '::') and not mod.startswith(target + '::'):
            edges.add((mod, target))
top = lambda m: m.split('::')[0]
areas = {}
for a, b in edges:
    if top(a) != top(b): areas.setdefault(top(a), set()).add(top(b))
for a in sorted(areas): print(f"{a} -> {', '.join(sorted(areas[a]))}")
# cycles among files (Tarjan)
graph = {}
for a, b in edges: graph.setdefault(a, set()).add(b)
index = {}; low = {}; stack = []; on = set(); sccs = []; c = [0]
sys.setrecursionlimit(10000)
def strong(v):
    index[v] = low[v] = c[0]; c[0] += 1; stack.append(v); on.add(v)
    for w in graph.get(v, ()):
        if w not in index: strong(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: sccs.append(comp)
for v in list(graph):
    if v not in index: strong(v)
print("file-level import cycles:", sccs if sccs else "none")
