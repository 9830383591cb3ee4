# Golden cases: grad mode's classes (tshell/core/grad_mode.py) as programs see them: their
# class paths, their modes as contexts and decorators (declared with C(...) as core_cases.py).

C("grad_mode_class_paths", """
print(torch.no_grad)
print(torch.enable_grad)
print(torch.set_grad_enabled)
print(type(torch.inference_mode()))
print(type(torch.set_grad_enabled(True)))
""")
C("grad_mode_nesting", """
x = torch.ones(2, requires_grad=True)
with torch.no_grad():
    a = x * 2
    with torch.enable_grad():
        b = x * 2
    with torch.set_grad_enabled(True):
        c = x * 2
print(a.requires_grad, b.requires_grad, c.requires_grad, torch.is_grad_enabled())
with torch.inference_mode():
    print(torch.is_grad_enabled(), (x * 2).requires_grad)
""")
C("grad_mode_decorators", """
x = torch.ones(2, requires_grad=True)

@torch.no_grad
def bare(t):
    return t * 2

@torch.no_grad()
def called(t):
    return t * 2

@torch.inference_mode
def inference(t):
    return t * 2

@torch.set_grad_enabled(False)
def off(t):
    return t * 2

print(bare(x).requires_grad, called(x).requires_grad, inference(x).requires_grad,
      off(x).requires_grad, torch.is_grad_enabled())
""")
C("inference-mode-false-enables-grad", """
x = torch.ones(2, requires_grad=True)
with torch.inference_mode(False):
    print((x * 2).requires_grad, torch.is_grad_enabled(), torch.is_inference_mode_enabled())
with torch.no_grad():
    with torch.inference_mode(mode=False):
        print((x * 2).requires_grad, torch.is_grad_enabled())
    with torch.inference_mode():
        with torch.inference_mode(False):
            print((x * 2).requires_grad, torch.is_grad_enabled(), torch.is_inference_mode_enabled())
        print(torch.is_grad_enabled(), torch.is_inference_mode_enabled())
    print(torch.is_grad_enabled())
@torch.inference_mode(False)
def twice(a):
    return a * 2
with torch.no_grad():
    print(twice(x).requires_grad)
""")
