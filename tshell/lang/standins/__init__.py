"""Stand-ins for Python modules that tsh programs import: tshell's own objects with the
module's behaviour, so that no host module, class or function reaches a program
(docs/security.md, "What a program can reach")."""
