"""tshell as a Jupyter kernel: `python -m tshell.kernel install [--user | --sys-prefix |
--prefix PATH]` installs the kernelspec `tshell`; Jupyter then runs
`python -m tshell.kernel -f CONNECTION_FILE`. Needs the `tshell[jupyter]` extra
(jupyter_client and pyzmq; no IPython).
"""
