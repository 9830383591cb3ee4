"""The Python that PyTorch programs are written in: each snippet runs under CPython and under
tsh, with the same output and the same error class and message (tests/lang/differential.py).
Classes, exceptions, lambda, signatures, decorators, scopes, generators, comprehensions,
unpacking, walrus, sets, complex numbers, loops with else, annotations."""

import pytest

from differential import cpython, tsh

CLASSES = [
    # attributes, methods, class attributes, repr/str, protocol methods
    "class A:\n    x = 1\n    def __init__(self, v):\n        self.v = v\n"
    "    def get(self):\n        return self.v + self.x\n"
    "a = A(4)\nprint(a.get(), A.x, a.x, a.v)\nA.x = 10\nprint(a.get())",
    "class A:\n    def __repr__(self):\n        return 'A()'\n    def __str__(self):\n"
    "        return 'an A'\nprint(A(), repr(A()), [A()], f'{A()}', str(A()))",
    "class V:\n    def __init__(self, *xs):\n        self.xs = list(xs)\n"
    "    def __len__(self):\n        return len(self.xs)\n"
    "    def __getitem__(self, i):\n        return self.xs[i]\n"
    "    def __setitem__(self, i, v):\n        self.xs[i] = v\n"
    "    def __contains__(self, v):\n        return v in self.xs\n"
    "    def __iter__(self):\n        return iter(self.xs)\n"
    "v = V(1, 2, 3)\nv[0] = 9\nprint(len(v), v[1], v[-1], 2 in v, 7 in v, list(v), sum(v))",
    "class N:\n    def __init__(self, v):\n        self.v = v\n"
    "    def __add__(self, o):\n        return N(self.v + (o.v if isinstance(o, N) else o))\n"
    "    def __radd__(self, o):\n        return N(o + self.v)\n"
    "    def __mul__(self, o):\n        return N(self.v * o)\n"
    "    def __neg__(self):\n        return N(-self.v)\n"
    "    def __eq__(self, o):\n        return isinstance(o, N) and o.v == self.v\n"
    "    def __lt__(self, o):\n        return self.v < o.v\n"
    "    def __hash__(self):\n        return hash(self.v)\n"
    "    def __repr__(self):\n        return f'N({self.v})'\n"
    "print(N(1) + N(2), 3 + N(1), N(2) * 5, -N(3), N(1) == N(1), N(1) != N(2))\n"
    "print(sorted([N(3), N(1), N(2)]), max(N(1), N(5)), {N(1): 'a'}[N(1)], sum([N(1), N(2)], "
    "N(0)))",
    "class C:\n    def __init__(self):\n        self.n = 0\n    def __call__(self, k):\n"
    "        self.n += k\n        return self.n\nc = C()\nprint(c(2), c(3), callable(c))",
    "class B:\n    def __bool__(self):\n        return False\n    def __len__(self):\n"
    "        return 3\n"
    "print(bool(B()), 'yes' if B() else 'no', not B(), len(B()))",
    "class Ctx:\n    def __enter__(self):\n        print('enter')\n        return self\n"
    "    def __exit__(self, kind, value, tb):\n        print('exit', kind, value)\n"
    "        return True\n"
    "with Ctx() as c:\n    print('body', type(c).__name__)\n    1 / 0\nprint('after')",
    "class I:\n    def __init__(self, n):\n        self.i, self.n = 0, n\n"
    "    def __iter__(self):\n        return self\n    def __next__(self):\n"
    "        if self.i >= self.n:\n            raise StopIteration\n        self.i += 1\n"
    "        return self.i\nprint(list(I(3)), [x * 2 for x in I(2)], sum(I(4)))",
    "class F:\n    def __format__(self, spec):\n        return 'F<' + spec + '>'\n"
    "    def __index__(self):\n        return 2\n    def __float__(self):\n        return 2.5\n"
    "print(f'{F():x}', format(F(), '>3'), [0, 1, 2, 3][F()], float(F()), bin(F()))",
    # inheritance, super, MRO
    "class A:\n    def f(self):\n        return 'A'\nclass B(A):\n    def f(self):\n"
    "        return 'B' + super().f()\nclass C(A):\n    def f(self):\n"
    "        return 'C' + super().f()\n"
    "class D(B, C):\n    def f(self):\n        return 'D' + super().f()\n"
    "print(D().f(), isinstance(D(), A), issubclass(D, C), issubclass(A, D))",
    "class A:\n    def __init__(self, x):\n        self.x = x\nclass B(A):\n"
    "    def __init__(self, x, y):\n        super(B, self).__init__(x)\n        self.y = y\n"
    "b = B(1, 2)\nprint(b.x, b.y, type(b).__name__, type(b).__qualname__)",
    # super(Class) with one argument, as tutorials write it: an unbound super, a no-op
    "class A:\n    def __init__(self, v):\n        super(A).__init__()\n        self.v = v\n"
    "s = super(A)\nprint(A(3).v, s, type(s))\ntry:\n    s.f\nexcept AttributeError as e:\n"
    "    print(e)",
    "class A:\n    def __init__(self):\n        self.log = ['A']\nclass B(A):\n"
    "    def __init__(self):\n        A.__init__(self)\n        self.log.append('B')\n"
    "print(B().log)",
    "class A:\n    pass\nclass B(A):\n    pass\nprint(type(B()) is B, type(B()) == A, "
    "isinstance(B(), (int, A)), B.__name__, A().__class__.__name__)",
    # properties, static and class methods
    "class T:\n    def __init__(self):\n        self._c = 0\n    @property\n    def c(self):\n"
    "        return self._c * 2\n    @c.setter\n    def c(self, v):\n        self._c = v\n"
    "t = T()\nt.c = 5\nprint(t.c)",
    "class K:\n    n = 0\n    @staticmethod\n    def double(v):\n        return 2 * v\n"
    "    @classmethod\n    def make(cls):\n        cls.n += 1\n        return cls()\n"
    "class L(K):\n    pass\nprint(K.double(4), K().double(1), type(L.make()).__name__, K.n, L.n)",
    # class bodies: scoping
    "x = 'global'\nclass A:\n    y = x\n    x = 'class'\n    z = x\n    def f(self):\n"
    "        return x\nprint(A.y, A.z, A().f())",
    "def make(v):\n    class Local:\n        w = v\n        def get(self):\n            return v\n"
    "    return Local\nL = make(7)\nprint(L.w, L().get(), L.__qualname__)",
    "class A:\n    xs = [1, 2, 3]\n    ys = [x * 2 for x in xs]\nprint(A.ys)",
    "class A:\n    '''Doc of A.'''\n    def m(self):\n        '''Doc of m.'''\n"
    "print(A.__doc__, A.m.__doc__, A.m.__name__, A.m.__qualname__)",
    "class A:\n    pass\na = A()\na.z = 3\ndel a.z\n"
    "print(hasattr(a, 'z'), getattr(a, 'z', 'none'))\n"
    "setattr(a, 'w', 4)\nprint(a.w, vars(a), sorted(n for n in dir(a) if not n.startswith('_')))",
    "class A:\n    def __eq__(self, o):\n        return True\nprint(A() == 1)\nhash(A())",
    # hasattr of a protocol method says whether the value supports it (d2l's Vocab asks
    # hasattr(indices, '__len__')), on any value, though reading it stays refused
    "class A:\n    def __len__(self):\n        return 0\n"
    "print(hasattr([1], '__len__'), hasattr(3, '__len__'), hasattr(A, '__len__'), "
    "hasattr(iter([1]), '__next__'), hasattr('s', '__getitem__'), hasattr(3, '__add__'), "
    "hasattr(None, '__call__'), hasattr(len, '__call__'), hasattr(A(), '__len__'), "
    "hasattr(A, '__iter__'), hasattr(3, '__subclasses__'))",
    # errors
    "class A:\n    def __init__(self, x):\n        pass\nA()",
    "class A:\n    def f(self):\n        pass\nA().f(1)",
    "class A:\n    pass\nA().missing",
    "class A:\n    def __init__(self):\n        return 1\nA()",
    "class A:\n    def __len__(self):\n        return -1\nlen(A())",
    "class A:\n    def __repr__(self):\n        return 5\nrepr(A())",
    "class A:\n    pass\nlen(A())",
    "class A:\n    pass\nA() + 1",
]

EXCEPTIONS = [
    "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n"
    "    print('caught', e, e.args, type(e).__name__)\n"
    "else:\n    print('else')\nfinally:\n    print('finally')",
    "try:\n    x = 1\nexcept Exception:\n    print('no')\nelse:\n    print('else', x)\nfinally:\n"
    "    print('done')",
    "def f():\n    try:\n        return 'try'\n    finally:\n        print('finally runs')\n"
    "print(f())",
    "def f():\n    try:\n        1 / 0\n    finally:\n        return 'finally wins'\nprint(f())",
    "for i in range(3):\n    try:\n        if i == 1:\n            continue\n        print(i)\n"
    "    finally:\n        print('f', i)",
    "try:\n    [][1]\nexcept (KeyError, IndexError) as e:\n    print(type(e).__name__, e)",
    "try:\n    {}['a']\nexcept LookupError as e:\n    print(repr(e))",
    "try:\n    int('x')\nexcept TypeError:\n    print('type')\nexcept ValueError as e:\n"
    "    print('value', e)",
    "class MyError(Exception):\n    def __init__(self, code):\n"
    "        super().__init__(f'code {code}')\n"
    "        self.code = code\ntry:\n    raise MyError(3)\nexcept MyError as e:\n"
    "    print(e, e.code, e.args, isinstance(e, Exception))",
    "class E1(Exception):\n    pass\nclass E2(E1):\n    pass\ntry:\n    raise E2('x')\n"
    "except E1 as e:\n    print('E1 caught', type(e).__name__)",
    "try:\n    try:\n        raise ValueError('inner')\n    except ValueError:\n        raise\n"
    "except ValueError as e:\n    print('re-raised', e)",
    "try:\n    try:\n        raise KeyError('k')\n    except KeyError as e:\n"
    "        raise RuntimeError('wrapped') from e\nexcept RuntimeError as e:\n"
    "    print(e, repr(e.__cause__) if False else 'cause hidden')",
    "try:\n    raise ValueError\nexcept ValueError as e:\n    print(repr(e), e.args)",
    "e = None\ntry:\n    raise ValueError('v')\nexcept ValueError as e:\n    pass\n"
    "print('e' in dir())" if False else
    "def f():\n    try:\n        raise ValueError('v')\n    except ValueError as err:\n"
    "        pass\n"
    "    return err\nf()",
    "raise ValueError('top level')",
    "raise 3",
    "raise",
    "class Weird:\n    pass\ntry:\n    pass\nexcept Weird:\n    pass\nprint('not evaluated')",
    "try:\n    1 / 0\nexcept 3:\n    pass",
    "def g():\n    raise KeyError('deep')\ndef f():\n    g()\ntry:\n    f()\n"
    "except KeyError as e:\n    print('from deep', e)",
    "assert 1 == 2, 'custom'",
    "try:\n    assert False\nexcept AssertionError as e:\n    print('assertion', e.args)",
    "try:\n    undefined_name\nexcept NameError as e:\n    print(e)",
    "try:\n    (1).nope\nexcept AttributeError as e:\n    print(type(e).__name__, e)",
    "try:\n    raise StopIteration(5)\nexcept StopIteration as e:\n    print(e.args)",
    "x = 0\nwhile True:\n    try:\n        x += 1\n        if x > 3:\n            break\n"
    "    except Exception:\n"
    "        pass\nprint(x)",
]

FUNCTIONS = [
    # a script's entry point: the program is the main module
    "def main():\n    print('main ran', __name__)\nif __name__ == '__main__':\n    main()",
    "class A:\n    where = __name__\ndef f():\n    return __name__\nprint(A.where, f())",
    "def f(a, b=2, *args, c, d=4, **kw):\n    return a, b, args, c, d, kw\n"
    "print(f(1, c=3))\nprint(f(1, 2, 3, 4, c=5, e=6))\nprint(f(*[1, 2, 3], **{'c': 0, 'z': 1}))",
    "def f(a, /, b):\n    return a + b\nprint(f(1, 2), f(1, b=3))\nf(a=1, b=2)",
    "def f(a, /, **kw):\n    return a, kw\nprint(f(1, a=2))",
    "def f(*, key):\n    return key\nprint(f(key=1))\nf(1)",
    "def f(a, *, b):\n    return a\nf(1, 2, b=3)",
    "def f(a, b):\n    pass\nf(1, 2, 3, a=1)",
    "def f(a, b, c):\n    pass\nf(1)",
    "def f(*, a, b):\n    pass\nf()",
    "def f(a):\n    pass\nf(b=1)",
    "def f(**kw):\n    return sorted(kw)\nprint(f(**{'x': 1}, y=2))\nf(**{'x': 1}, x=2)",
    "def f(*a):\n    return a\nprint(f(*range(3), *'ab', 9))\nf(**[1])",
    "def f(a, b):\n    return a - b\nprint(f(*(5,), **{'b': 2}))\nf(*5)",
    # lambda, closures, late binding
    "sq = lambda x, p=2: x ** p\n"
    "print(sq(3), sq(2, p=5), (lambda: 'no args')(), (lambda *a, **k: (a, k))(1, z=2))",
    "fs = [lambda: i for i in range(3)]\nprint([f() for f in fs])\n"
    "gs = [lambda i=i: i for i in range(3)]\nprint([g() for g in gs])",
    "def counter():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n"
    "        return n\n"
    "    return inc\nc = counter()\nc(); c()\nprint(c())",
    "total = 0\ndef add(v):\n    global total\n    total += v\nadd(3); add(4)\nprint(total)",
    "def outer():\n    x = 'outer'\n    def mid():\n        def inner():\n            return x\n"
    "        return inner()\n"
    "    return mid()\nprint(outer())",
    "print(sorted(['bb', 'a', 'ccc'], key=lambda s: -len(s)), list(map(lambda a, b: a * b, [1, 2], "
    "[3, 4])))",
    "print((lambda: (lambda: 5)())(), (lambda x: x if x else 'zero')(0))",
    # decorators
    "def twice(f):\n    def wrapper(*a, **k):\n        return f(*a, **k) * 2\n    return wrapper\n"
    "@twice\ndef three():\n    return 3\nprint(three())",
    "def tag(name):\n    def deco(f):\n        def w(x):\n            return name + ':' + f(x)\n"
    "        return w\n    return deco\n"
    "@tag('a')\n@tag('b')\ndef f(x):\n    return x\nprint(f('v'))",
    "def register(cls):\n    cls.registered = True\n    return cls\n@register\nclass A:\n    pass\n"
    "print(A.registered)",
    "log = []\ndef d(n):\n    log.append('eval ' + n)\n    def deco(f):\n"
    "        log.append('apply ' + n)\n"
    "        return f\n    return deco\n@d('1')\n@d('2')\ndef f():\n    pass\nprint(log)",
    "def f():\n    '''The doc.'''\n    return 1\n"
    "print(f.__doc__, f.__name__, (lambda: 0).__name__)",
    # a name read before the function binds it: from a comprehension, an unbound local from
    # CPython 3.12 on (list, set and dict comprehensions run in the function's frame, PEP 709)
    "def f():\n    r = [v for _ in [1]]\n    v = 1\nf()",
    "def f():\n    r = [[v for _ in [1]] for _ in [1]]\n    v = 1\nf()",
    "def f():\n    r = {k: v for k in [1]}\n    v = 1\nf()",
    "def f():\n    r = (v for _ in [1])\n    list(r)\n    v = 1\nf()",
    "def f():\n    def g():\n        return [v for _ in [1]]\n    g()\n    v = 1\nf()",
    "def f():\n    r = [(lambda: v)() for _ in [1]]\n    v = 1\nf()",
]

GENERATORS = [
    "def gen(n):\n    for i in range(n):\n        yield i * i\nprint(list(gen(5)), sum(gen(4)))",
    "def gen():\n    x = yield 1\n    print('got', x)\n    y = yield x * 2\n    return 'end'\n"
    "g = gen()\nprint(next(g))\nprint(g.send(10))\ntry:\n    g.send(None)\n"
    "except StopIteration as e:\n"
    "    print('stop', e.args)",
    "def inner():\n    yield 1\n    yield 2\n    return 'r'\ndef outer():\n"
    "    r = yield from inner()\n"
    "    yield r\nprint(list(outer()))",
    "def fib():\n    a, b = 0, 1\n    while True:\n        yield a\n        a, b = b, a + b\n"
    "g = fib()\nprint([next(g) for _ in range(10)])",
    "def gen():\n    try:\n        yield 1\n        yield 2\n    finally:\n"
    "        print('cleanup')\n"
    "g = gen()\nprint(next(g))\ng.close()\nprint('closed')",
    "def gen():\n    try:\n        yield 1\n    except ValueError as e:\n"
    "        yield 'handled ' + str(e)\n"
    "g = gen()\nnext(g)\nprint(g.throw(ValueError('x')))",
    "def gen():\n    with open_ctx() as c:\n        yield c\nclass open_ctx:\n"
    "    def __enter__(self):\n"
    "        return 'ctx'\n    def __exit__(self, *a):\n        print('exit')\nprint(list(gen()))",
    "def gen(xs):\n    for x in xs:\n        if x < 0:\n            continue\n        if x > 5:\n"
    "            break\n"
    "        yield x\n    else:\n        yield 'no break'\n"
    "print(list(gen([1, -1, 2])), list(gen([1, 9, 2])))",
    "g = (x * x for x in range(5))\nprint(type(g).__name__, next(g), list(g), list(g))",
    "evens = (n for n in range(10**12) if n % 2 == 0)\n"
    "print(next(evens), next(evens), next(evens))",
    "print(sum(x for x in range(100)), max(len(w) for w in 'a bb ccc'.split()), "
    "sorted(c for c in 'hello'), any(v > 3 for v in [1, 5]))",
    "def gen():\n    yield 1\ng = gen()\nprint(iter(g) is g, list(g), list(g))",
    "def gen():\n    return\n    yield\nprint(list(gen()))",
    "def gen():\n    i = 0\n    while i < 3:\n        i += 1\n        if i == 2:\n"
    "            continue\n        yield i\nprint(list(gen()))",
    "def gen():\n    raise KeyError('in gen')\n    yield\nlist(gen())",
    "g = (1 / x for x in [1, 0])\nprint(next(g))\nnext(g)",
]

COLLECTIONS = [
    "s = {3, 1, 2}\nt = {2, 3, 4}\n"
    "print(sorted(s | t), sorted(s & t), sorted(s - t), sorted(s ^ t), s <= t)",
    "s = set()\ns.add(1)\ns.update([2, 3])\ns.discard(5)\ns.remove(1)\n"
    "print(sorted(s), len(s), 2 in s, frozenset([1, 1]))",
    "print({x % 3 for x in range(10)}, {k: v * 2 for k, v in {'a': 1}.items()}, {i: i * i for i in "
    "range(4) if i})",
    "print(set('abca') == {'a', 'b', 'c'}, sorted(frozenset({1, 2}) | {3}), set([[1]]) if False "
    "else set())",
    "a, *b = [1, 2, 3]\n*c, d = 'xyz'\ne, *f, g = range(5)\nprint(a, b, c, d, e, f, g)",
    "for a, *rest in [(1, 2, 3), (4,)]:\n    print(a, rest)",
    "a, *b, c = [1]",
    "print([*range(3), *'ab'], (*[1, 2], 3), {*[1, 1], 2}, {**{'a': 1}, 'b': 2, **{'a': 3}})",
    "print({**[]})",
    "if (n := len('hello')) > 3:\n    print('long', n)\n"
    "print([y for x in range(5) if (y := x * 2) > 4], y)",
    "data = [1, 2, 3]\nwhile (item := data.pop()) > 1:\n    print(item)\nprint(item)",
    "print(1 + 2j, (1 + 2j) * (3 - 1j), abs(3 + 4j), (2j).imag, complex(1, 2), 1j ** 2, 1e3j, .5J)",
    "for i in range(3):\n    if i == 5:\n        break\nelse:\n    print('for else')\n"
    "while False:\n    pass\nelse:\n    print('while else')\nfor i in range(3):\n    break\nelse:\n"
    "    print('never')",
    "x: int = 5\ny: list = []\nz: 'str'\nprint(x, y)\ndef f(a: int, b: float = 1.0) -> float:\n"
    "    return a * b\nprint(f(2))",
    "class P:\n    x: int\n    y: float = 0.5\n"
    "print(P.__annotations__ if False else 'annotations kept', P.y)",
    "print(slice(1, 5, 2), [0, 1, 2, 3, 4, 5][slice(1, 5, 2)], Ellipsis, ..., NotImplemented)",
    "print(isinstance(1, object), issubclass(bool, int), id(1) == id(1), format(3.14159, '.2f'), "
    "ascii('é'))",
]


@pytest.mark.parametrize("src", CLASSES + EXCEPTIONS + FUNCTIONS + GENERATORS + COLLECTIONS)
def test_same_output_and_errors_as_cpython(src):
    assert tsh(src) == cpython(src)
