"""torch.optim: optimizers and learning-rate schedulers over tshell's tensors.

Each optimizer's update follows PyTorch 2.13's single-tensor `for` path op by op, so float32
trajectories match PyTorch's bit for bit (foreach= and fused= are accepted and run the same
path). lr_scheduler holds the schedulers, swa_utils weight averaging.
"""
from . import lr_scheduler, swa_utils
from .adadelta import Adadelta
from .adafactor import Adafactor
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .asgd import ASGD
from .lbfgs import LBFGS
from .muon import Muon
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD
from .stateless import swap_in_optimizer_params_and_state

__all__ = ["Adadelta", "Adafactor", "Adagrad", "Adam", "Adamax", "AdamW", "ASGD", "LBFGS",
           "lr_scheduler", "Muon", "NAdam", "Optimizer", "RAdam", "RMSprop", "Rprop", "SGD",
           "swa_utils", "swap_in_optimizer_params_and_state"]
SUBMODULES = ("swa_utils",)        # torch.optim.swa_utils, for tsh code

