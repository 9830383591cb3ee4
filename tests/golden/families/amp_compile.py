# Golden cases: torch.compile run eagerly (tshell/core/torch_compile.py, OptimizedModule) and
# automatic mixed precision (tshell/core/autocast_state.py, tshell/core/amp/): reprs, state_dict
# keys, outputs, dtypes under autocast, gradients, GradScaler's scale trajectory, errors.

C("compile_module_wrapper", """
torch.manual_seed(0)
m = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
c = torch.compile(m)
print(type(c).__name__, isinstance(c, torch.nn.Module))
print(c)
print(list(c.state_dict().keys()))
print([n for n, _ in c.named_parameters()])
print([n for n, _ in c.named_modules()])
print(c._orig_mod is m, len(list(c.parameters())), next(c.parameters()) is m[0].weight)
x = torch.randn(2, 3)
print(torch.equal(c(x), m(x)))
print(c(x))
""")
C("compile_module_forwarding", """
torch.manual_seed(0)
m = torch.nn.Linear(3, 2)
c = torch.compile(m, mode="max-autotune")
print(c.in_features, c.weight is m.weight, c.training)
c.eval()
print(m.training, c.training)
c.train()
print(m.training)
c.note = 5
print(m.note)
sd = c.state_dict()
print(list(sd))
m2 = torch.nn.Linear(3, 2)
c2 = torch.compile(m2)
print(c2.load_state_dict(sd))
print(torch.equal(m2.weight, m.weight))
print(m.compile(), type(m).__name__)
print(torch.compile(m, disable=True) is m)
""")
C("compile_functions", """
def f(x):
    return x * 2

cf = torch.compile(f)
print(cf.__name__, cf(torch.ones(2)))

@torch.compile
def g(x):
    return x + 1

@torch.compile(mode="reduce-overhead", fullgraph=True)
def h(x):
    return x - 1

@torch.compile(backend="eager", dynamic=True)
def k(x):
    return x.sin()

print(g.__name__, g(torch.ones(2)), h(torch.ones(2)), k(torch.zeros(2)))
print(torch.compile(lambda x: x.relu())(torch.tensor([-1.0, 2.0])))
""")
C("compile_errors", """
m = torch.nn.Linear(2, 2)
for kwargs in [dict(backend="nonexistent"), dict(mode="bad"), dict(mode="max-autotune", options={}),
               dict(dynamic="yes")]:
    try:
        torch.compile(m, **kwargs)
    except Exception as e:
        print(type(e).__name__, e)
try:
    torch.compile(3)
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.compile()(None)
except Exception as e:
    print(type(e).__name__, e)
print(type(torch.compile(m, backend="eager", mode="bad")).__name__)
print(type(torch.compile(m, backend="aot_eager")).__name__)
""")
C("compiler_namespace", """
def f(x):
    return x + 1

print(torch.compiler.is_compiling(), torch.compiler.is_dynamo_compiling(), torch.compiler.reset())
print(torch.compiler.disable(f) is f, torch.compiler.allow_in_graph(f) is f)
print(torch.compiler.list_backends())
d = torch.compiler.disable(recursive=False)
print(d(f) is f)
""")
C("autocast_cpu_policy", """
torch.manual_seed(0)
a = torch.randn(4, 4)
b = torch.randn(4, 4)
img = torch.randn(1, 2, 5, 5)
w = torch.randn(3, 2, 3, 3)
B = torch.randn(2, 4, 4)
F = torch.nn.functional
with torch.autocast("cpu"):
    outs = {"mm": torch.mm(a, b), "matmul": a @ b, "bmm": torch.bmm(B, B),
            "addmm": torch.addmm(a, a, b), "linear": F.linear(a, b, a[0]),
            "conv2d": F.conv2d(img, w), "baddbmm": torch.baddbmm(B, B, B),
            "einsum": torch.einsum("ij,jk->ik", a, b), "relu": a.relu(), "exp": a.exp(),
            "softmax": a.softmax(-1), "sum": a.sum(), "mv": torch.mv(a, a[0]),
            "mse": F.mse_loss(a.bfloat16(), b.bfloat16()),
            "ce": F.cross_entropy(a.bfloat16(), torch.tensor([0, 1, 2, 3])),
            "cat": torch.cat([a.bfloat16(), b]), "stack": torch.stack([a.bfloat16(), b]),
            "double": torch.mm(a.double(), b.double()), "add": a.bfloat16() + b,
            "layer_norm": F.layer_norm(a, (4,)), "cdist": torch.cdist(a.bfloat16(), b.bfloat16())}
    for name, t in outs.items():
        print(name, t.dtype)
    print(torch.mm(a, b))
""")
C("autocast_state_nesting", """
print(torch.is_autocast_enabled(), torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"),
      torch.get_autocast_dtype("cuda"))
a = torch.ones(2, 2)
with torch.autocast("cpu", dtype=torch.float16):
    print(torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"), (a @ a).dtype)
    with torch.autocast("cpu", enabled=False):
        print(torch.is_autocast_enabled("cpu"), (a @ a).dtype)
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
            print((a @ a).dtype)
    print((a @ a).dtype, torch.get_autocast_dtype("cpu"))
print(torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"), (a @ a).dtype)
with torch.amp.autocast("cpu") as ctx:
    print(type(ctx).__name__, ctx.fast_dtype, (a @ a).dtype)

@torch.autocast("cpu")
def run(x):
    return x @ x, torch.is_autocast_enabled("cpu")

print(run(a)[0].dtype, run(a)[1], torch.is_autocast_enabled("cpu"))
""")
C("autocast_warnings_and_errors", """
a = torch.ones(2, 2)
with torch.cpu.amp.autocast():
    print((a @ a).dtype)
with torch.autocast("cpu", dtype=torch.float32):
    print((a @ a).dtype, torch.is_autocast_enabled("cpu"))
for args in [(3,), ("cpux",)]:
    try:
        torch.autocast(*args)
    except Exception as e:
        print(type(e).__name__, e)
try:
    torch.autocast("cpu")(3)
except Exception as e:
    print(type(e).__name__, e)
""", warn=True)
C("autocast_training_step_grads", """
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
x = torch.randn(5, 4)
y = torch.tensor([0, 1, 2, 1, 0])
with torch.autocast("cpu", dtype=torch.bfloat16):
    h = model[0](x)
    out = model(x)
    loss = torch.nn.functional.cross_entropy(out, y)
print(h.dtype, out.dtype, loss.dtype)
print(out)
print(loss)
loss.backward()
for name, p in model.named_parameters():
    print(name, p.grad.dtype)
print(model[0].weight.grad)
print(model[2].bias.grad)
""")
C("autocast_float16_cpu_values", """
torch.manual_seed(1)
lin = torch.nn.Linear(3, 2)
x = torch.randn(4, 3)
with torch.autocast("cpu", dtype=torch.float16):
    y = lin(x)
print(y.dtype)
print(y)
y.float().pow(2).sum().backward()
print(lin.weight.grad.dtype, lin.weight.grad)
""")
C("grad_scaler_trajectory", """
torch.manual_seed(0)
w = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
opt = torch.optim.SGD([w], lr=0.1)
scaler = torch.amp.GradScaler("cpu", init_scale=8.0, growth_factor=2.0, backoff_factor=0.5,
                              growth_interval=2)
print(scaler.get_scale(), scaler.is_enabled(), scaler.state_dict())
for step in range(6):
    opt.zero_grad()
    loss = (w * w).sum()
    scaled = scaler.scale(loss)
    scaled.backward()
    if step == 2:
        w.grad[0] = float("inf")
    print(step, scaled.item(), w.grad)
    scaler.step(opt)
    scaler.update()
    print(w, scaler.get_scale(), scaler.state_dict()["_growth_tracker"])
""")
C("grad_scaler_unscale_and_errors", """
w = torch.nn.Parameter(torch.tensor([3.0]))
opt = torch.optim.SGD([w], lr=1.0)
scaler = torch.amp.GradScaler("cpu")
for f in (lambda: scaler.step(opt), lambda: scaler.update(), lambda: scaler.unscale_(opt)):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
scaler.scale(w * 2).backward()
print(w.grad)
scaler.unscale_(opt)
print(w.grad)
try:
    scaler.unscale_(opt)
except Exception as e:
    print(type(e).__name__, e)
print(scaler.step(opt), w)
try:
    scaler.step(opt)
except Exception as e:
    print(type(e).__name__, e)
scaler.update(new_scale=4.0)
print(scaler.get_scale())
print(scaler.scale([torch.ones(1), (torch.ones(2),)]))
for kwargs in (dict(growth_factor=1.0), dict(backoff_factor=1.0)):
    try:
        torch.amp.GradScaler("cpu", **kwargs)
    except Exception as e:
        print(type(e).__name__, e)
""")
C("grad_scaler_state_and_disabled", """
s = torch.amp.GradScaler("cpu", init_scale=2.0 ** 10, growth_interval=5)
s2 = torch.amp.GradScaler("cpu")
s2.load_state_dict(s.state_dict())
print(s2.get_scale(), s2.get_growth_interval(), s2.state_dict())
off = torch.amp.GradScaler("cpu", enabled=False)
x = torch.ones(2)
print(off.scale(x) is x, off.get_scale(), off.state_dict(), off.is_enabled())
try:
    s2.load_state_dict({})
except Exception as e:
    print(type(e).__name__, e)
w = torch.nn.Parameter(torch.ones(1))
opt = torch.optim.SGD([w], lr=0.5)
(w * 3).sum().backward()
print(off.step(opt), off.update(), w)
""")
C("grad_scaler_deprecated_spellings", """
s = torch.cpu.amp.GradScaler(init_scale=4.0)
print(type(s).__name__, s.get_scale())
g = torch.GradScaler("cpu")
print(g.get_scale())
""", warn=True)
C("amp_class_paths", """
print(torch.autocast, torch.amp.autocast, torch.GradScaler, torch.amp.GradScaler)
print(torch.cpu.amp.autocast, torch.cuda.amp.GradScaler, torch.cpu.amp.GradScaler)
print(type(torch.compile(torch.nn.Linear(1, 1))))
print(torch.autocast is torch.amp.autocast, torch.GradScaler is torch.amp.GradScaler)
""")
C("amp_custom_fwd_bwd", """
class MyMM(torch.autograd.Function):
    @staticmethod
    @torch.amp.custom_fwd(device_type="cpu", cast_inputs=torch.float32)
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a.mm(b)

    @staticmethod
    @torch.amp.custom_bwd(device_type="cpu")
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        print("backward autocast:", torch.is_autocast_enabled("cpu"))
        return grad.mm(b.t()), a.t().mm(grad)

class Plain(torch.autograd.Function):
    @staticmethod
    @torch.amp.custom_fwd(device_type="cpu")
    def forward(ctx, a):
        print("forward autocast:", torch.is_autocast_enabled("cpu"))
        return a.mm(a)

    @staticmethod
    @torch.amp.custom_bwd(device_type="cpu")
    def backward(ctx, grad):
        print("backward autocast:", torch.is_autocast_enabled("cpu"))
        return grad * 2

x = torch.randn(2, 2, requires_grad=True)
with torch.autocast("cpu"):
    y = MyMM.apply(x.bfloat16(), x)
    z = Plain.apply(x)
    print(y.dtype, z.dtype)
y.float().sum().backward()
z.float().sum().backward()
print(x.grad.dtype)
""")
