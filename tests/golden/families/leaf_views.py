# In-place writes on leaves that are themselves views (PyTorch asks whether a view's base is a
# leaf, whether or not the base requires grad).

C("leaf-view-add_", """
a = torch.arange(12.).view(3, 4).requires_grad_()
print(a.is_leaf)
a.add_(1)
""")

C("leaf-view-row-mul_", """
a = torch.arange(12.).view(3, 4).requires_grad_()
a[0].mul_(2)
""")

C("leaf-view-setitem", """
a = torch.arange(6.).view(2, 3).requires_grad_()
a[0] = 1.
""")

C("leaf-view-row-grad_fn", """
a = torch.arange(6.).view(2, 3).requires_grad_()
a[0].grad_fn.name()
""")

C("view-made-leaf-mul_", """
b = torch.zeros(4)
v = b[:2]
v.requires_grad_()
v.mul_(2)
""")

C("detached-leaf-add_", """
w = torch.ones(3, requires_grad=True)
d = w.detach()
d.requires_grad_()
d.add_(1)
""")

C("leaf-view-no-grad-write", """
a = torch.arange(6.).view(2, 3).requires_grad_()
with torch.no_grad():
    a[0].mul_(2)
(a * a).sum().backward()
print(a)
a.grad
""")

C("expanded-writes", """
import warnings
warnings.simplefilter("ignore")
z = torch.zeros(3).expand(2, 3)
for src in ("z.add_(1)", "z.copy_(torch.ones(2, 3))", "z.zero_()", "z.fill_(2)",
            "z[0] = torch.tensor([1., 2., 3.])", "z[1, 2] = 7", "z[:, 0] = torch.tensor([5., 6.])",
            "z[0, :2] += 1", "z.clamp_(0, 1)", "z.t().add_(1)",
            "z[torch.tensor([0]), 1] = 5.", "z[torch.tensor([True, False])] = torch.tensor([1., 2., 3.])",
            "z.index_fill_(1, torch.tensor([0]), 9.)",
            "z.masked_fill_(torch.tensor([True, False, True]), 4.)"):
    try:
        exec(src)
        print(src, "->", z, z.stride())
    except RuntimeError as e:
        print(src, "!!", e)
""")
