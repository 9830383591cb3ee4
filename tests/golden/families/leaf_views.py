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
