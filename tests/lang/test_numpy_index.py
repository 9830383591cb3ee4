"""A tensor indexed by a numpy array, as PyTorch indexes by one (d2l's voc_label_indices:
`colormap2label[idx]` with idx an int32 array): int arrays gather, bool arrays mask, 0-d
int arrays pick, float arrays (and lists of floats) are truncated to ints as PyTorch reads
them; a write works too."""
import io


from tshell.lang import Interpreter


def run(src):
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh")
    return out.getvalue()


def test_int_arrays_gather():
    assert run("""
import numpy as np
import torch
t = torch.arange(10) * 10
idx = np.array([[1, 2], [3, 9]]).astype('int32')
print(t[idx])
print(t[np.array(4)])
""") == "tensor([[10, 20],\n        [30, 90]])\ntensor(40)\n"


def test_bool_arrays_mask_and_writes():
    assert run("""
import numpy as np
import torch
t = torch.arange(4.)
print(t[np.array([True, False, True, False])])
t[np.array([0, 3])] = -1.
print(t)
""") == "tensor([0., 2.])\ntensor([-1.,  1.,  2., -1.])\n"


def test_floats_are_truncated_as_pytorch_reads_a_sequence():
    assert run("""
import numpy as np
import torch
t = torch.arange(4)
print(t[np.array([0.5, 2.7])], t[[0.5, 2.7]], t[np.array(2.0)])
""") == "tensor([0, 2]) tensor([0, 2]) tensor(2)\n"



def test_a_0d_array_selects_as_a_0d_tensor_does():
    assert run("""
import numpy as np
import torch
x = torch.arange(5.).requires_grad_()
print(x[np.array(2)], x[np.array([1, 2])], x[np.array(2.0)])
""") == ("tensor(2., grad_fn=<SelectBackward0>) tensor([1., 2.], grad_fn=<IndexBackward0>) "
         "tensor(2., grad_fn=<SelectBackward0>)\n")
