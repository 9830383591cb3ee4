"""tshell's front ends: the prompt_toolkit REPL and the rich renderers (imports core + lang)."""
