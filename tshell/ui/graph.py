"""graph(t): the autograd graph behind a tensor as a rich Tree, or as Graphviz DOT/SVG/PNG."""

from __future__ import annotations

import os
import shutil
import subprocess

from .console import make_console
from .inspection import shape_text

MAX_NODES = 300      # a graph bigger than this is cut, never dumped unbounded


def short_name(node) -> str:
    """PyTorch's class name without the C++ namespace (AccumulateGrad, not torch::...)."""
    return node.name().split("::")[-1]


def saved_count(node):
    """How many tensors the node saved for backward ('freed' after a backward)."""
    return node.saved_count


def input_shapes(node) -> list:
    """Shape of each input of node (= the output shape of the child on that edge)."""
    return node.input_shapes


def variable_name(tensor, names) -> str | None:
    """The namespace name bound to this very tensor (identity, never value comparison)."""
    for key, value in (names or {}).items():
        if value is tensor and not key.startswith(("_", "\0")):
            return key
    return None


def node_label(node, shape, names=None) -> str:
    """The text of one node: class, output shape, saved tensors, leaf variable name."""
    if hasattr(node, "variable"):
        var = node.variable
        name = variable_name(var, names) or "leaf"
        return f"AccumulateGrad {name} {shape_text(var.shape)} {str(var.dtype)[6:]}"
    parts = [short_name(node)]
    if shape is not None:
        parts.append(shape_text(shape))
    saved = saved_count(node)
    if saved:
        parts.append(f"saved: {saved}")
    return " ".join(parts)


class GraphWalk:
    """One depth-first walk that assigns ids and records nodes and edges once each."""

    def __init__(self, root, names):
        self.names = names
        self.ids: dict = {}                      # id(node) -> "n0", "n1", ...
        self.nodes: list = []                    # (id, node, output shape)
        self.edges: list = []                    # (child id, parent id)
        self.truncated = False
        self._visit(root, None)

    def _visit(self, start, start_shape):
        stack = [(start, start_shape, None)]
        while stack:
            node, shape, parent = stack.pop()
            key = id(node)
            if key in self.ids:
                self.edges.append((self.ids[key], parent))
                continue
            if len(self.nodes) >= MAX_NODES:
                self.truncated = True
                continue
            nid = self.ids[key] = f"n{len(self.nodes)}"
            self.nodes.append((nid, node, shape))
            if parent is not None:
                self.edges.append((nid, parent))
            shapes = input_shapes(node)
            children = list(node.next_functions)
            for i in range(len(children) - 1, -1, -1):
                child = children[i][0]
                if child is not None:
                    stack.append((child, shapes[i] if i < len(shapes) else None, nid))


def tree_renderable(t, names=None, color=True):
    """A rich Tree from t.grad_fn down to the AccumulateGrad leaves."""
    from rich.text import Text
    from rich.tree import Tree
    root = getattr(t, "grad_fn", None)
    if root is None:
        what = variable_name(t, names) or "this tensor"
        why = ("is a leaf that requires grad (AccumulateGrad)" if getattr(t, "requires_grad", 0)
               else "does not require grad")
        return Text(f"no autograd graph: {what} {why}")
    seen, count = set(), [0]

    def styled(node, shape):
        label = node_label(node, shape, names)
        if not color:
            return Text(label)
        text = Text(label)
        end = len(label.split(" ")[0])
        text.stylize("bold green" if hasattr(node, "variable") else "bold cyan", 0, end)
        text.stylize("dim", end)
        return text

    tree = Tree(styled(root, tuple(t.shape)))
    seen.add(id(root))
    # Pre-order, children in their order: a node shared by two branches is drawn in full
    # where it first appears on screen, and as "(shown above)" afterwards.
    stack = [(child, tree, shape) for child, shape in reversed(_children(root))]
    while stack:
        node, parent, shape = stack.pop()
        if id(node) in seen:
            name = node_label(node, None, names) if hasattr(node, "variable") else \
                short_name(node)
            parent.add(Text(f"{name} (shown above)", style="dim" if color else ""))
            continue
        count[0] += 1
        if count[0] > MAX_NODES:
            parent.add(Text("… (graph cut: too many nodes)"))
            return tree
        seen.add(id(node))
        branch = parent.add(styled(node, shape))
        stack.extend((child, branch, s) for child, s in reversed(_children(node)))
    return tree


def _children(node):
    """(child node, the shape flowing along that edge) for each input that has a node."""
    shapes = input_shapes(node)
    return [(child, shapes[i] if i < len(shapes) else None)
            for i, (child, _) in enumerate(node.next_functions) if child is not None]


def to_dot(t, names=None) -> str:
    """Graphviz DOT text of the graph, edges pointing from inputs to outputs like torchviz."""
    root = getattr(t, "grad_fn", None)
    if root is None:
        raise RuntimeError("graph(t, path): t has no autograd graph (it has no grad_fn)")
    walk = GraphWalk(root, names)
    walk.nodes[0] = (walk.nodes[0][0], root, tuple(t.shape))
    lines = ["digraph autograd {", '  rankdir="BT";',
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];']
    for nid, node, shape in walk.nodes:
        label = node_label(node, shape, names).replace("\\", "\\\\").replace('"', '\\"')
        fill = "lightblue" if hasattr(node, "variable") else (
            "darkolivegreen1" if node is root else "lightgrey")
        lines.append(f'  {nid} [label="{label}", fillcolor="{fill}"];')
    for child, parent in walk.edges:
        lines.append(f"  {child} -> {parent};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_graph(t, path: str, names=None) -> str:
    """Write DOT, or SVG/PNG through Graphviz's `dot`; returns the path written."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in (".dot", ".gv", ".svg", ".png"):
        raise ValueError(f"graph(t, path): unsupported file type {ext or path!r}; "
                         "use .dot, .svg or .png")
    dot = to_dot(t, names)
    if ext in (".dot", ".gv"):
        with open(path, "w", encoding="utf-8") as f:
            f.write(dot)
        return path
    if not has_dot():
        raise RuntimeError(f"graph(t, {path!r}) needs Graphviz's `dot` program, which is not "
                           "installed (install graphviz, e.g. `apt install graphviz`), or "
                           "write a .dot file instead")
    with open(path, "wb") as f:
        f.write(run_dot(dot, ext[1:]))
    return path


def has_dot() -> bool:
    return shutil.which("dot") is not None


def run_dot(dot: str, file_type: str) -> bytes:
    """Graphviz's rendering of DOT text as svg or png."""
    done = subprocess.run([shutil.which("dot") or "dot", f"-T{file_type}"], input=dot.encode(),
                          capture_output=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"Graphviz's dot failed: {done.stderr.decode(errors='replace')}")
    return done.stdout


def node_count(t) -> int:
    """How many nodes the graph behind t has (as drawn: at most MAX_NODES)."""
    root = getattr(t, "grad_fn", None)
    return len(GraphWalk(root, None).nodes) if root is not None else 0


def written_message(path: str, nodes: int) -> str:
    return f"wrote {path} (autograd graph, {nodes} node{'s' if nodes != 1 else ''})"


def graph(t, path=None, names=None, stream=None, console=None):
    """Print the tree (no path), or write the file (path given) and return (path, nodes)."""
    if path is not None:
        path = write_graph(t, str(path), names)
        return path, node_count(t)
    console = console or make_console(stream)
    console.print(tree_renderable(t, names, console.is_terminal and not console.no_color))
    return None
