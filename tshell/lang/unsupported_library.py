"""The names of torch's library namespaces (tests/surface/library_names.txt) that tshell
leaves out on purpose, each family with the reason; unsupported.py's FAMILIES takes them in,
so that reaching one says why, as for the torch names."""
from __future__ import annotations

# family -> (why tshell leaves it out, the qualified names)
LIBRARY_FAMILIES = {
    "attention kernel implementations": (
        "these select, register and warn about PyTorch's fused attention kernels (the "
        "FlashAttention libraries behind scaled_dot_product_attention); tshell computes "
        "attention with its own tensor ops and has no kernels to choose between",
        """torch.nn.attention.WARN_FOR_UNFUSED_KERNELS
        torch.nn.attention.activate_flash_attention_impl
        torch.nn.attention.current_flash_attention_impl
        torch.nn.attention.list_flash_attention_impls
        torch.nn.attention.register_flash_attention_impl
        torch.nn.attention.restore_flash_attention_impl"""),
    "selective activation checkpointing": (
        "a policy function decides, for every ATen op the checkpointed region runs, whether "
        "to save or recompute it; that needs PyTorch's dispatcher (a TorchDispatchMode) to "
        "intercept each op, which tshell does not have (checkpoint itself is provided)",
        """torch.utils.checkpoint.CheckpointPolicy
        torch.utils.checkpoint.SelectiveCheckpointContext
        torch.utils.checkpoint.create_selective_checkpoint_contexts
        torch.utils.checkpoint.SAC_IGNORED_OPS"""),
    "autograd on CUDA streams and compiled regions": (
        "these configure how the autograd engine synchronizes CUDA streams, and the "
        "activation memory budget of torch.compile's partitioner; tshell runs GPU work on "
        "one stream in program order and has no compiler",
        """torch.autograd.graph.set_override_stale_capture_stream
        torch.autograd.graph.set_warn_on_accumulate_grad_stream_mismatch
        torch.autograd.graph.region_activation_memory_budget"""),
}
