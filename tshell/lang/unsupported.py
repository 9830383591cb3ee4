"""The torch names tshell leaves out on purpose, each family with the reason (issue 17).

Reviewed by hand against torch 2.13's public names (tests/surface/torch_names.txt, made by
tools/torch_surface/gen_names.py). A name is out of scope when it needs machinery a tensor
shell over NumPy and CuPy does not have and should not grow: sparse and quantized tensors,
compilers, processes, other accelerators' runtimes, code from the network. Predicates that
ask about those things stay in scope (`x.is_sparse`, `x.is_quantized` and
`torch.is_vulkan_available()` answer False), and so does everything a program computes with.

sandbox.no_attribute asks `error(obj, name)` first, so that `torch.compile` or
`x.to_sparse` says why it is missing instead of a bare "has no attribute". The error is still
an AttributeError: `hasattr(torch, "compile")` is False, as for any absent name.
tests/surface/test_name_coverage.py checks that every entry is one of torch's public names and
that tshell provides none of them.
"""
from __future__ import annotations

import sys

from .errors import TshAttributeError
from .namespace import Namespace
from .unsupported_library import LIBRARY_FAMILIES

TENSOR = "torch.Tensor"

# family -> (why tshell leaves it out, the qualified names)
FAMILIES = {
    "sparse tensors": (
        "tshell's tensors are dense arrays (NumPy on the CPU, CuPy on the GPU), with no "
        "sparse layouts or sparse kernels",
        """torch.sparse torch.sparse_coo torch.sparse_csr torch.sparse_csc torch.sparse_bsr
        torch.sparse_bsc torch.sparse_coo_tensor torch.sparse_csr_tensor torch.sparse_csc_tensor
        torch.sparse_bsr_tensor torch.sparse_bsc_tensor torch.sparse_compressed_tensor
        torch.ccol_indices_copy torch.col_indices_copy torch.crow_indices_copy
        torch.row_indices_copy torch.indices_copy torch.values_copy torch.dsmm torch.hsmm
        torch.hspmm torch.smm torch.spmm torch.saddmm torch.sspaddmm torch.resize_as_sparse_
        torch.Tensor.ccol_indices torch.Tensor.col_indices torch.Tensor.crow_indices
        torch.Tensor.row_indices torch.Tensor.indices torch.Tensor.values
        torch.Tensor.coalesce torch.Tensor.is_coalesced torch.Tensor.dense_dim
        torch.Tensor.sparse_dim torch.Tensor.sparse_mask torch.Tensor.sparse_resize_
        torch.Tensor.sparse_resize_and_clear_ torch.Tensor.smm torch.Tensor.sspaddmm
        torch.Tensor.resize_as_sparse_ torch.Tensor.to_sparse torch.Tensor.to_sparse_coo
        torch.Tensor.to_sparse_csr torch.Tensor.to_sparse_csc torch.Tensor.to_sparse_bsr
        torch.Tensor.to_sparse_bsc torch.optim.SparseAdam"""),
    "nested tensors": (
        "tshell's tensors are rectangular arrays, with no ragged (nested) tensors or jagged "
        "layout",
        "torch.nested torch.jagged torch.Tensor.to_padded_tensor"),
    "quantized tensors": (
        "tshell's tensors hold plain numbers, with no quantized dtypes, quantization schemes, "
        "observers or quantized kernels (torch.ao, FBGEMM)",
        """torch.ao torch.quantization torch.qint8 torch.qint32 torch.quint8 torch.quint4x2
        torch.quint2x4 torch.qscheme torch.per_tensor_affine torch.per_tensor_symmetric
        torch.per_channel_affine torch.per_channel_symmetric
        torch.per_channel_affine_float_qparams torch.QInt8Storage torch.QInt32Storage
        torch.QUInt8Storage torch.QUInt4x2Storage torch.QUInt2x4Storage torch.quantize_per_tensor
        torch.quantize_per_tensor_dynamic torch.quantize_per_channel torch.dequantize
        torch.empty_quantized torch.int_repr torch.q_scale torch.q_zero_point
        torch.q_per_channel_axis torch.q_per_channel_scales torch.q_per_channel_zero_points
        torch.fake_quantize_per_tensor_affine torch.fake_quantize_per_channel_affine
        torch.fused_moving_avg_obs_fake_quant torch.choose_qparams_optimized
        torch.quantized_batch_norm torch.quantized_max_pool1d torch.quantized_max_pool2d
        torch.quantized_max_pool3d torch.quantized_gru torch.quantized_gru_cell
        torch.quantized_lstm torch.quantized_lstm_cell torch.quantized_rnn_relu_cell
        torch.quantized_rnn_tanh_cell torch.fbgemm_linear_fp16_weight
        torch.fbgemm_linear_fp16_weight_fp32_activation torch.fbgemm_linear_int8_weight
        torch.fbgemm_linear_int8_weight_fp32_activation torch.fbgemm_linear_quantize_weight
        torch.fbgemm_pack_gemm_matrix_fp16 torch.fbgemm_pack_quantized_matrix
        torch.Tensor.dequantize torch.Tensor.int_repr torch.Tensor.q_scale
        torch.Tensor.q_zero_point torch.Tensor.q_per_channel_axis
        torch.Tensor.q_per_channel_scales torch.Tensor.q_per_channel_zero_points
        torch.Tensor.qscheme"""),
    "sub-byte and 32-bit complex dtypes": (
        "NumPy and CuPy have no element type to store them (packed bits, 1- to 7-bit integers, "
        "4-bit floats, complex32), and PyTorch itself runs few ops on them",
        """torch.bit torch.bits1x8 torch.bits2x4 torch.bits4x2 torch.bits8 torch.bits16
        torch.int1 torch.int2 torch.int3 torch.int4 torch.int5 torch.int6 torch.int7
        torch.uint1 torch.uint2 torch.uint3 torch.uint4 torch.uint5 torch.uint6 torch.uint7
        torch.float4_e2m1fn_x2 torch.complex32 torch.chalf torch.Tensor.chalf"""),
    "compilers and graph capture": (
        "tshell interprets a program statement by statement: there is no compiler, tracer, "
        "graph IR or dispatcher to reach (TorchScript, FX, torch.export, symbolic shapes, "
        "custom-op registration; torch.compile runs the model eagerly)",
        """torch.jit torch.fx torch.export torch.library torch.ops
        torch.classes torch.futures torch.fork torch.wait torch.cond torch.while_loop
        torch.Future torch.CompilationUnit torch.ScriptFunction torch.ScriptMethod
        torch.ScriptModule torch.ScriptObject torch.ScriptObjectProperty torch.ScriptClass
        torch.ScriptClassFunction torch.ScriptDict torch.ScriptDictIterator
        torch.ScriptDictKeyIterator torch.ScriptList torch.ScriptListIterator
        torch.ScriptModuleSerializer torch.LiteScriptModule torch.StaticModule
        torch.ConcreteModuleType torch.ConcreteModuleTypeBuilder torch.ModuleDict
        torch.ParameterDict torch.BufferDict torch.JITException torch.Graph torch.Block
        torch.Node torch.Value torch.Use torch.Code torch.ExecutionPlan torch.Gradient
        torch.GraphExecutorState torch.ArgumentSpec torch.CompleteArgumentSpec torch.AliasDb
        torch.Argument torch.FunctionSchema torch.OperatorInfo torch.CallStack
        torch.ErrorReport torch.FileCheck torch.TracingState torch.DeepCopyMemoTable
        torch.IODescriptor torch.Capsule torch.Type torch.AnyType torch.AwaitType
        torch.BoolType torch.ClassType torch.ComplexType torch.DeviceObjType torch.DictType
        torch.EnumType torch.FloatType torch.FutureType torch.InferredType torch.IntType
        torch.InterfaceType torch.ListType torch.NoneType torch.NumberType torch.OptionalType
        torch.PyObjectType torch.RRefType torch.StreamObjType torch.StringType
        torch.SymBoolType torch.SymIntType torch.TensorType torch.TupleType torch.UnionType
        torch.import_ir_module torch.import_ir_module_from_buffer torch.parse_ir
        torch.parse_schema torch.parse_type_comment torch.merge_type_from_type_comment
        torch.unify_type_list torch.LoggerBase torch.LockingLogger torch.NoopLogger
        torch.BenchmarkConfig torch.BenchmarkExecutionStats torch.ThroughputBenchmark
        torch.Tag torch.DispatchKey torch.DispatchKeySet torch.ExcludeDispatchKeyGuard
        torch.SymInt torch.SymFloat torch.SymBool torch.sym_int torch.sym_float torch.sym_not
        torch.sym_ite torch.sym_max torch.sym_min torch.sym_sqrt torch.sym_sum
        torch.sym_fresh_size torch.sym_constrain_range torch.sym_constrain_range_for_size
        torch.autograd.is_view_replay_enabled"""),
    "tensor subclasses": (
        "tsh classes cannot derive from torch.Tensor (docs/language.md), so there are no "
        "tensor subclasses to convert to or dispatch through __torch_function__ (the "
        "protocol, masked tensors and first-class dimensions are built on them)",
        """torch.overrides torch.masked torch.DisableTorchFunction
        torch.DisableTorchFunctionSubclass torch.Tensor.as_subclass torch.Tensor.module_load
        torch.Tensor.index"""),
    "legacy autograd function protocol": (
        "NestedIOFunction is PyTorch's pre-1.0 base for autograd functions with nested "
        "inputs, driven by torch._C's _do_forward/_do_backward; custom autograd functions "
        "are written as torch.autograd.Function subclasses, which tshell provides",
        "torch.autograd.NestedIOFunction"),
    "processes and distributed training": (
        "tshell runs one program in one process: no process groups, collectives, RPC, "
        "memory shared between processes, or replication across devices",
        """torch.distributed torch.multiprocessing torch.nn.DataParallel torch.nn.SyncBatchNorm
        torch.utils.data.DistributedSampler torch.Tensor.share_memory_
        torch.batch_norm_stats torch.batch_norm_elemt torch.batch_norm_gather_stats
        torch.batch_norm_gather_stats_with_counts torch.batch_norm_update_stats
        torch.batch_norm_backward_reduce torch.batch_norm_backward_elemt"""),
    "other accelerators": (
        "tshell computes on the CPU (NumPy) and on NVIDIA GPUs (CuPy); the runtimes of Apple "
        "MPS, Intel XPU, MTIA and IPU are not there (tensor.is_mps and the like answer False)",
        "torch.mps torch.xpu torch.mtia torch.Tensor.xpu torch.Tensor.mtia torch.Tensor.ipu"),
    "CUDA streams, events and graphs": (
        "tshell runs GPU work on CuPy's current stream in program order; streams, events and "
        "graph capture are not exposed",
        "torch.Stream torch.Event torch.Tensor.record_stream"),
    "kernel libraries' entry points": (
        "these call cuDNN, MIOpen, oneDNN (mkldnn) or cuBLASLt's float8 kernels directly; "
        "tshell has none of those libraries, and its generic ops (conv2d, batch_norm, "
        "grid_sample...) compute the same results",
        """torch.cudnn_affine_grid_generator torch.cudnn_batch_norm torch.cudnn_convolution
        torch.cudnn_convolution_add_relu torch.cudnn_convolution_relu
        torch.cudnn_convolution_transpose torch.cudnn_grid_sampler torch.cudnn_is_acceptable
        torch.miopen_batch_norm torch.miopen_convolution torch.miopen_convolution_add_relu
        torch.miopen_convolution_relu torch.miopen_convolution_transpose
        torch.miopen_ctc_loss torch.miopen_depthwise_convolution torch.miopen_rnn
        torch.mkldnn_adaptive_avg_pool2d torch.mkldnn_convolution
        torch.mkldnn_linear_backward_weights torch.mkldnn_max_pool2d torch.mkldnn_max_pool3d
        torch.mkldnn_rnn_layer torch.Tensor.to_mkldnn torch.nn.functional.scaled_mm
        torch.nn.functional.scaled_grouped_mm torch.nn.functional.ScalingType
        torch.nn.functional.SwizzleType"""),
    "backend configuration": (
        "torch.backends switches PyTorch's kernel libraries (cuDNN, cuBLAS TF32, oneDNN, the "
        "attention kernels, opt_einsum); tshell has none of them to configure",
        "torch.backends"),
    "IPU and XLA autocast": (
        "tshell has no IPU or XLA device to autocast on; autocast runs on the CPU and CUDA "
        "(torch.autocast, torch.amp)",
        """torch.get_autocast_ipu_dtype torch.get_autocast_xla_dtype torch.set_autocast_ipu_dtype
        torch.set_autocast_xla_dtype torch.is_autocast_ipu_enabled torch.is_autocast_xla_enabled
        torch.set_autocast_ipu_enabled torch.set_autocast_xla_enabled"""),
    "profiling and monitoring": (
        "tshell has no tracing profiler or event counters (the REPL's %timeit and %time time "
        "statements)",
        "torch.profiler torch.monitor torch.AggregationType torch.SUM torch.AVG"),
    "code from elsewhere": (
        "torch.hub downloads and runs code from the network, and torch.package imports pickled "
        "code: running code a program did not write is what the sandbox prevents "
        "(docs/security.md)",
        "torch.hub torch.package"),
    "storage and serialization internals": (
        "a tsh program sees a tensor's memory through storage(), untyped_storage() and "
        "data_ptr(); the legacy typed storages, raw memory (DLPack capsules, Python buffers, "
        "memory-mapped files), storage swapping and the pickling configuration of torch.load "
        "(which in tshell never unpickles a program's classes) are not reachable",
        """torch.storage torch.serialization torch.Storage torch.StorageBase
        torch.BoolStorage torch.ByteStorage torch.CharStorage torch.ShortStorage
        torch.IntStorage torch.LongStorage torch.HalfStorage torch.BFloat16Storage
        torch.FloatStorage torch.DoubleStorage torch.ComplexFloatStorage
        torch.ComplexDoubleStorage torch.SerializationStorageContext
        torch.DeserializationStorageContext torch.PyTorchFileReader torch.PyTorchFileWriter
        torch.from_dlpack torch.to_dlpack torch.frombuffer torch.from_file
        torch.Tensor.storage_type torch.Tensor.set_ torch.Tensor.is_set_to"""),
    "facts about the torch binary": (
        "how the torch package was built (C++ ABI, LAPACK, MKL, OpenMP) and the modules that "
        "hold its implementation and annotation types; tshell is a Python package over NumPy "
        "and never evaluates annotations",
        """torch.compiled_with_cxx11_abi torch.has_lapack torch.has_mkl torch.has_openmp
        torch.has_spectral torch.functional torch.types torch.torch_version"""),
    "DataPipes": (
        "PyTorch deprecated DataPipes (they moved to torchdata, which dropped them); tshell "
        "provides the Dataset, Sampler and DataLoader API",
        """torch.utils.data.IterDataPipe torch.utils.data.MapDataPipe
        torch.utils.data.DFIterDataPipe torch.utils.data.DataChunk
        torch.utils.data.functional_datapipe torch.utils.data.guaranteed_datapipes_determinism
        torch.utils.data.non_deterministic torch.utils.data.runtime_validation
        torch.utils.data.runtime_validation_disabled torch.utils.data.argument_validation"""),
}

FAMILIES.update(LIBRARY_FAMILIES)          # torch.nn.utils, torch.utils.checkpoint...

_families_by_name: dict = {}


def names() -> list:
    """Every out-of-scope qualified name."""
    return list(_by_name())


def family(qualified: str) -> str | None:
    """The family an out-of-scope name belongs to, or None."""
    return _by_name().get(qualified)


def _by_name() -> dict:
    if not _families_by_name:
        for title, (_, listed) in FAMILIES.items():
            _families_by_name.update(dict.fromkeys(listed.split(), title))
    return _families_by_name


def error(obj, name: str) -> TshAttributeError | None:
    """The error for obj.name when that is a torch name tshell leaves out, else None."""
    owner = _owner(obj)
    if owner is None:
        return None
    qualified = f"{owner}.{name}"
    title = family(qualified)
    if title is None:
        return None
    return TshAttributeError(f"{qualified} is not supported in tshell ({title}): "
                             f"{FAMILIES[title][0]}", name=None, obj=obj)


def _owner(obj) -> str | None:
    """The qualified name attributes of obj have: a torch namespace's, or torch.Tensor for
    tensors (and the class itself)."""
    if type(obj) is Namespace:
        return obj._name if obj._name.startswith("torch") else None
    tensor_module = sys.modules.get("tshell.core.tensor")   # not imported: obj is no tensor
    if tensor_module is not None and (isinstance(obj, tensor_module.Tensor)
                                      or obj is tensor_module.Tensor):
        return TENSOR
    return None
