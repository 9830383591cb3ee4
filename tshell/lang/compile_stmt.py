"""Statement handlers of the compiler: node -> closure `run(frame) -> None | signal`."""

from __future__ import annotations

from itertools import islice

from . import ast as A
from . import compiler as C
from . import guards
from .compile_expr import fused_augassign, index
from .compile_try import stops_the_program
from .errors import TshAttributeError, TshImportError, TshMemoryLimitError
from .deep_values import check_key
from .operators import INPLACE_FUNCTIONS
from .namespace import Namespace
from .sandbox import delete_attribute, get_attribute, set_attribute, type_name
from .typeview import public_class

HANDLERS: dict = {}
FUTURE_FEATURES = {"print_function", "division", "absolute_import", "unicode_literals",
                   "annotations", "generators", "nested_scopes", "with_statement",
                   "generator_stop"}


def handles(cls):
    def register(fn):
        HANDLERS[cls] = fn
        return fn
    return register


# ---------------------------------------------------------------------- targets
def target_binder(c, target):
    """A (frame, value) -> None closure that binds value to an assignment target."""
    if isinstance(target, A.Name):
        return c.store_name(target.id, target)
    loc = c.loc(target)
    if isinstance(target, A.Subscript):
        obj, idx = c.expr(target.value), index(c, target.index)

        def set_item(f, value):
            o = obj(f)
            i = idx(f)
            try:
                if isinstance(i, tuple) and isinstance(o, dict):
                    check_key(i)
                o[i] = value
            except Exception as e:
                C.note(e, loc)
                raise
        return set_item
    if isinstance(target, A.Attribute):
        obj, attr = c.expr(target.value), target.attr

        def set_attr(f, value):
            o = obj(f)
            try:
                set_attribute(o, attr, value)
            except Exception as e:
                C.note_call(e, loc, None, (value,))    # `x.data = 3`: the value is at fault
                raise
        return set_attr
    shape = _unpack_shape(c, target)
    if _sees_earlier_names(_leaves(target)):
        # `i, x[i] = 1, 9`: x[i] must see the new i, so bind from left to right, as Python
        # does, and put the names back if a later target fails.
        saver = _name_saver(c, _leaves(target))

        def unpack_in_order(f, value):
            leaves: list = []
            _unpack_into(shape, value, leaves)
            saved = saver(f)
            try:
                for bind, _is_name, item in leaves:
                    bind(f, item)
            except BaseException:
                _restore(saved)
                raise
        return unpack_in_order

    def unpack(f, value):
        # All unpacking is done before anything is bound, and names are bound last: a
        # failing statement (`a, (b, c) = 1, (2, 3, 4)`, `a, x[9] = 1, 2`) rebinds nothing.
        leaves: list = []
        _unpack_into(shape, value, leaves)
        for bind, is_name, item in leaves:
            if not is_name:
                bind(f, item)
        for bind, is_name, item in leaves:
            if is_name:
                bind(f, item)
    return unpack


def _leaves(target) -> list:
    """The targets inside a (nested) tuple target, in Python's binding order."""
    if isinstance(target, A.Starred):
        return _leaves(target.value)
    if isinstance(target, A.TupleExpr):
        return [leaf for e in target.elts for leaf in _leaves(e)]
    return [target]


def _sees_earlier_names(targets) -> bool:
    """Whether an item or attribute target may read a name that an earlier target of the same
    statement binds (`i, x[i] = ...`, `a = x[a] = ...`; a call may read any name)."""
    names: set = set()
    for t in targets:
        if isinstance(t, A.Name):
            names.add(t.id)
        elif names and _may_read(t, names):
            return True
    return False


def _may_read(node, names) -> bool:
    if isinstance(node, A.Name):
        return node.id in names
    if isinstance(node, A.Call):
        return True
    return any(_may_read(v, names) for v in node if isinstance(v, tuple))


_UNSET = object()


def _name_saver(c, targets):
    """frame -> what the statement's names are bound to now, for _restore."""
    g = c.g
    slots = tuple((t.id, c.resolve(t.id)[0] == "global") for t in targets
                  if isinstance(t, A.Name))

    def save(f):
        return [(g if is_global else f, name, (g if is_global else f).get(name, _UNSET))
                for name, is_global in slots]
    return save


def _restore(saved) -> None:
    for where, name, old in reversed(saved):
        if old is _UNSET:
            where.pop(name, None)
        else:
            where[name] = old


def _unpack_shape(c, target):
    """A tuple target as (loc, [(binder, is_name) | nested shape, ...], index of the starred
    target or None) for _unpack_into."""
    parts, star = [], None
    for i, e in enumerate(target.elts):
        if isinstance(e, A.Starred):
            star, e = i, e.value
        if isinstance(e, A.TupleExpr):
            parts.append(_unpack_shape(c, e))
        else:
            parts.append((target_binder(c, e), isinstance(e, A.Name)))
    return (c.loc(target), parts, star)


def _unpack_into(shape, value, leaves: list) -> None:
    loc, parts, star = shape
    try:
        items = _unpack(value, len(parts)) if star is None else \
            _unpack_starred(value, star, len(parts) - star - 1)
    except Exception as e:
        C.note(e, loc)
        raise
    for part, item in zip(parts, items):
        if isinstance(part[1], bool):
            leaves.append((part[0], part[1], item))
        else:
            _unpack_into(part, item, leaves)


def _unpack_starred(value, before: int, after: int) -> list:
    """`a, *rest, b = value`: the items, the starred one a list of the middle ones."""
    try:
        items = list(guards.materialize(value))
    except TypeError:
        if not hasattr(value.__class__, "__iter__"):
            raise TypeError(f"cannot unpack non-iterable {type_name(value)} object") from None
        raise
    if len(items) < before + after:
        raise ValueError(f"not enough values to unpack (expected at least {before + after}, "
                         f"got {len(items)})")
    return items[:before] + [items[before:len(items) - after]] + items[len(items) - after:]


def _unpack(value, count: int):
    """Python's unpacking with Python's messages; all items are taken before any binding.

    Like CPython, at most count + 1 items are taken: `a, b = range(10**12)` is "too many
    values", not a list of 10**12 items."""
    cls = value.__class__
    if cls is tuple or cls is list:
        items = value
    else:
        try:
            it = iter(value)
        except TypeError:
            if hasattr(cls, "__iter__") or (hasattr(cls, "__getitem__")
                                            and not issubclass(cls, dict)):
                raise                  # the value's own message ('iteration over a 0-d tensor')
            raise TypeError(f"cannot unpack non-iterable {type_name(value)} object") from None
        items = list(islice(it, count + 1))
    if len(items) > count:
        raise ValueError(f"too many values to unpack (expected {count})")
    if len(items) < count:
        raise ValueError(f"not enough values to unpack (expected {count}, got {len(items)})")
    return items


# ---------------------------------------------------------------------- simple statements
@handles(A.ExprStmt)
def expr_stmt(c, node):
    value = c.expr(node.value)
    echo = c.echo if not c.in_function else None
    if echo is None:
        def run(f):
            value(f)
        return run

    loc = c.loc(node)

    def run_echo(f):
        v = value(f)
        if v is not None:
            try:
                echo(v)
            except Exception as e:        # e.g. repr() of a 100 000-digit int
                C.note(e, loc)
                raise
    return run_echo


@handles(A.Assign)
def assign(c, node):
    value = c.expr(node.value)
    binders = [target_binder(c, t) for t in node.targets]
    if len(binders) == 1 and isinstance(node.targets[0], A.Name):
        name = node.targets[0].id
        if c.resolve(name)[0] == "global":
            g = c.g

            def run_global(f):
                g[name] = value(f)
            return run_global

        def run_local(f):
            f[name] = value(f)
        return run_local
    if len(binders) == 1:
        bind, = binders

        def run_one(f):
            bind(f, value(f))
        return run_one
    leaves = [leaf for t in node.targets for leaf in _leaves(t)]
    if _sees_earlier_names(leaves):
        # `a = x[a] = v`: Python's order, left to right; a failure puts the names back.
        saver, binders = _name_saver(c, leaves), tuple(binders)

        def run_in_order(f):
            v = value(f)
            saved = saver(f)
            try:
                for bind in binders:
                    bind(f, v)
            except BaseException:
                _restore(saved)
                raise
        return run_in_order
    # `a = x[9] = v`: the targets that can fail (items, attributes, unpacking) go first,
    # plain names last, so that a failure leaves every name as it was.
    order = sorted(range(len(binders)), key=lambda i: isinstance(node.targets[i], A.Name))
    binders = tuple(binders[i] for i in order)

    def run(f):
        v = value(f)
        for bind in binders:
            bind(f, v)
    return run


@handles(A.AugAssign)
def augassign(c, node):
    fn, value, target = INPLACE_FUNCTIONS[node.op], c.expr(node.value), node.target
    loc = c.loc(node)
    if isinstance(target, A.Name):
        load, store = c.load_name(target), c.store_name(target.id, target)

        def run_name(f):
            current = load(f)
            v = value(f)
            try:
                result = fn(current, v)
            except Exception as e:
                C.note(e, loc)
                raise
            store(f, result)
        return fused_augassign(c, node, run_name)     # `w -= lr * g` on CUDA: one kernel
    obj = c.expr(target.value)
    if isinstance(target, A.Subscript):
        idx = index(c, target.index)

        def run_item(f):
            o = obj(f)
            i = idx(f)
            try:
                if isinstance(i, tuple) and isinstance(o, dict):
                    check_key(i)
                o[i] = fn(o[i], value(f))
            except Exception as e:
                C.note(e, loc)
                raise
        return run_item
    attr = target.attr

    def run_attr(f):
        o = obj(f)
        try:      # get_attribute refuses private names with the sandbox's own error
            set_attribute(o, attr, fn(get_attribute(o, attr), value(f)))
        except Exception as e:
            C.note(e, loc)
            raise
    return run_attr


@handles(A.Pass)
def pass_stmt(c, node):
    return C._none


@handles(A.Break)
def break_stmt(c, node):
    return _loop_signal(c, node, C.BREAK, "'break' outside loop")


@handles(A.Continue)
def continue_stmt(c, node):
    return _loop_signal(c, node, C.CONTINUE, "'continue' not properly in loop")


def _loop_signal(c, node, signal, outside_loop):
    """break / continue: a runner returning the signal its loop acts on."""
    if not c.loops:
        raise c.error(outside_loop, node)
    return lambda f: signal


@handles(A.Delete)
def delete(c, node):
    # `del a, x[9]`: items first, then names, after checking that every name exists, so
    # that a failing del leaves every name bound.
    targets = sorted(node.targets, key=lambda t: isinstance(t, A.Name))
    runs = tuple(_deleter(c, t) for t in targets)
    checks = tuple(c.load_name(t) for t in node.targets if isinstance(t, A.Name))

    def run(f):
        for check in checks:
            check(f)
        for r in runs:
            r(f)
    return run


def _deleter(c, target):
    loc = c.loc(target)
    if isinstance(target, A.Name):
        name = target.id
        kind, _ = c.resolve(name)
        g = c.g if kind == "global" else None

        def del_name(f):
            try:
                del (g if g is not None else f)[name]
            except KeyError:
                e = NameError(f"name '{name}' is not defined")
                C.note(e, loc)
                raise e from None
        return del_name
    obj = c.expr(target.value)
    if isinstance(target, A.Subscript):
        idx = index(c, target.index)

        def del_item(f):
            o = obj(f)
            i = idx(f)
            try:
                if isinstance(i, tuple) and isinstance(o, dict):
                    check_key(i)
                try:
                    del o[i]
                except AttributeError as e:    # a type without __delitem__ (Tensor)
                    if isinstance(e, TshAttributeError):
                        raise
                    raise TypeError(f"'{type_name(o)}' object doesn't support item "
                                    "deletion") from None
            except Exception as e:
                C.note(e, loc)
                raise
        return del_item

    attr = target.attr

    def del_attr(f):
        o = obj(f)
        try:
            delete_attribute(o, attr)
        except Exception as e:
            C.note(e, loc)
            raise
    return del_attr


@handles(A.Assert)
def assert_stmt(c, node):
    test, loc = c.expr(node.test), c.loc(node)
    msg = c.expr(node.msg) if node.msg is not None else None

    def run(f):
        if not test(f):
            e = AssertionError(msg(f)) if msg is not None else AssertionError()
            C.note(e, loc)
            raise e
    return run


@handles(A.Import)
def import_stmt(c, node):
    binds = []
    for alias in node.names:
        top = alias.name.split(".")[0]
        binds.append((alias.name, c.store_name(alias.asname or top, alias), c.loc(alias),
                      alias.asname is None))
    modules = c.modules

    def run(f):
        found = []               # every module is found before any name is bound
        for name, store, loc, bind_top in binds:
            module = _module(modules, name, loc)       # `import torch.nn` checks torch.nn
            found.append((store, _module(modules, name.split(".")[0], loc) if bind_top
                          else module))
        for store, module in found:
            store(f, module)
    return run


def _module(modules, name, loc):
    """The namespace for a dotted module name: torch, numpy, torch.nn, torch.autograd..."""
    first, *rest = name.split(".")
    module = modules.get(first)
    for part in rest:
        member = getattr(module, "_members", {}).get(part)
        module = member if isinstance(member, Namespace) else None
    if module is None:
        e = TshImportError(f"No module named '{name}'")
        C.note(e, loc)
        raise e
    return module


@handles(A.ImportFrom)
def import_from(c, node):
    module_name, loc, modules = node.module, c.loc(node), c.modules
    if module_name == "__future__":
        for alias in node.names:
            if alias.name not in FUTURE_FEATURES:
                raise c.error(f"future feature {alias.name} is not defined", alias)
        return C._none
    binds = tuple((a.name, c.store_name(a.asname or a.name, a), c.loc(a)) for a in node.names)

    def run(f):
        module = _module(modules, module_name, loc)
        found = []               # every name is found before any is bound
        for name, store, aloc in binds:
            try:
                found.append((store, get_attribute(module, name)))
            except AttributeError:
                e = TshImportError(f"cannot import name '{name}' from '{module_name}'")
                C.note(e, aloc)
                raise e from None
        for store, value in found:
            store(f, value)
    return run


# ---------------------------------------------------------------------- compound statements
def _truth(test, loc):
    """A closure computing bool(test) with the test's span on errors (ambiguous tensors)."""
    def run(f):
        try:
            return True if test(f) else False
        except Exception as e:
            C.note(e, loc)
            raise
    return run


@handles(A.If)
def if_stmt(c, node):
    test = _truth(c.expr(node.test), c.loc(node.test))
    body, orelse = c.block(node.body), c.block(node.orelse) if node.orelse else None
    if orelse is None:
        def run_if(f):
            if test(f):
                return body(f)
        return run_if

    def run(f):
        if test(f):
            return body(f)
        return orelse(f)
    return run


def _loop_body(c, stmts):
    c.loops += 1
    try:
        return c.block(stmts)
    finally:
        c.loops -= 1


@handles(A.While)
def while_stmt(c, node):
    test, loc = _truth(c.expr(node.test), c.loc(node.test)), c.loc(node.test)
    body = _loop_body(c, node.body)
    orelse = c.block(node.orelse) if node.orelse else C._none
    BREAK, CONTINUE = C.BREAK, C.CONTINUE
    FIRST, next_step, count_iterations = guards.FIRST_STEP, guards.next_step, \
        guards.count_iterations

    def run(f):
        n, step = 0, FIRST
        due = step
        try:
            while test(f):
                n += 1
                if n == due:
                    step = next_step(step)
                    due += step
                r = body(f)
                if r is not None:
                    if r is BREAK:
                        return None
                    if r is CONTINUE:
                        continue
                    return r
        except TshMemoryLimitError as e:
            C.note(e, loc)              # the loop that grew (its body's errors have their own)
            raise
        finally:
            count_iterations(n - due + step)
        return orelse(f)
    return run


@handles(A.For)
def for_stmt(c, node):
    iterable, loc = c.expr(node.iter), c.loc(node.iter)
    bind = target_binder(c, node.target)
    body = _loop_body(c, node.body)
    orelse = c.block(node.orelse) if node.orelse else C._none
    BREAK, CONTINUE = C.BREAK, C.CONTINUE
    name = node.target.id if isinstance(node.target, A.Name) else None
    local = name is not None and c.resolve(name)[0] != "global"
    # the process is measured after a step of iterations that adapts (guards.next_step)
    FIRST, next_step, count_iterations = guards.FIRST_STEP, guards.next_step, \
        guards.count_iterations

    def start(f):
        try:
            return iter(iterable(f))
        except Exception as e:
            C.note(e, loc)
            raise

    if local or (name is not None and not c.in_function):
        # the frame is the namespace at module level, so a plain store is the fast path
        def loop(f):
            n, step = 0, FIRST
            due = step
            try:
                for item in start(f):
                    f[name] = item
                    n += 1
                    if n == due:
                        step = next_step(step)
                        due += step
                    r = body(f)
                    if r is not None:
                        if r is BREAK:
                            return None
                        if r is CONTINUE:
                            continue
                        return r
            finally:
                count_iterations(n - due + step)
            return orelse(f)
    else:
        def loop(f):
            n, step = 0, FIRST
            due = step
            try:
                for item in start(f):
                    bind(f, item)
                    n += 1
                    if n == due:
                        step = next_step(step)
                        due += step
                    r = body(f)
                    if r is not None:
                        if r is BREAK:
                            return None
                        if r is CONTINUE:
                            continue
                        return r
            finally:
                count_iterations(n - due + step)
            return orelse(f)

    def run(f):
        # An error of the iteration itself ('dictionary changed size during iteration') gets
        # the iterable's span; errors of the body have their own already (the innermost wins).
        try:
            return loop(f)
        except Exception as e:
            C.note(e, loc)
            raise
    return run


@handles(A.With)
def with_stmt(c, node):
    body = c.block(node.body)
    for item in reversed(node.items):       # `with a, b:` is `with a: with b:`
        body = _with_one(c, item, body)
    return body


def _with_one(c, item, body):
    context, loc = c.expr(item.context), c.loc(item.context)
    store = c.store_name(item.name, item) if item.name else None

    def run(f):
        mgr, enter, exit_ = context_manager(context(f), loc)
        value = enter(mgr)
        if store is not None:
            store(f, value)
        try:
            r = body(f)
        except BaseException as e:
            if not exit_(mgr, *exit_arguments(e)) or stops_the_program(e):
                raise
            return None
        exit_(mgr, None, None, None)
        return r
    return run


def context_manager(mgr, loc):
    """(mgr, its __enter__, its __exit__), or Python's TypeError."""
    try:
        kind = type(mgr)
        return mgr, kind.__enter__, kind.__exit__
    except AttributeError:
        e = TypeError(f"'{type_name(mgr)}' object does not support the context manager "
                      "protocol")
        C.note(e, loc)
        raise e from None


def exit_arguments(e):
    """What __exit__ gets for exception e: the class a program would see (type(e)), e, and
    no traceback (a tsh __exit__ could read frames from it)."""
    return public_class(type(e)), e, None
