"""The kernel's side of the Jupyter messaging protocol (5.3), on jupyter_client's Session
(signing, serialisation) and pyzmq sockets - no IPython.

Threads: the main thread serves the shell channel and runs cells (so SIGINT, which
JupyterLab and classic notebooks send to interrupt, reaches the running cell as
KeyboardInterrupt); a daemon thread serves the control channel (shutdown, interrupt as a
message) and another echoes heartbeats. Only the main thread publishes on IOPub.
"""

from __future__ import annotations

import _thread
import json
import os
import signal
import sys
import threading

import zmq
from jupyter_client.session import Session

from tshell import __version__

from .cells import CellRunner

PROTOCOL_VERSION = "5.3"
LANGUAGE_INFO = {"name": "tsh", "version": __version__, "mimetype": "text/x-tsh",
                 "file_extension": ".tsh", "pygments_lexer": "tsh",
                 "codemirror_mode": "python"}
NO_STDIN = ("input() was called, but this frontend does not support input requests "
            "(allow_stdin is false)")
BANNER = f"tshell {__version__} — PyTorch-style tensors (%help for the magics)"


def kernel_info() -> dict:
    return {"status": "ok", "protocol_version": PROTOCOL_VERSION, "implementation": "tshell",
            "implementation_version": __version__, "language_info": LANGUAGE_INFO,
            "banner": BANNER, "help_links": [], "debugger": False}


class KernelServer:
    """One kernel process: its sockets (from a connection file) and the cell runner."""

    def __init__(self, connection: dict):
        self.connection = connection
        self.context = zmq.Context()
        self.shell = self._bind(zmq.ROUTER, "shell_port")
        self.iopub = self._bind(zmq.PUB, "iopub_port")
        self.stdin = self._bind(zmq.ROUTER, "stdin_port")
        self.control = self._bind(zmq.ROUTER, "control_port")
        self.heartbeat = self._bind(zmq.ROUTER, "hb_port")
        self.session = self._session()
        self.parent = None                        # the request being served (shell channel)
        self.parent_idents = None                 # and who sent it (its stdin gets asked)
        self.cells = CellRunner(self.publish, self.read_input)
        self.running = True
        self.handlers = {"execute_request": self.execute, "kernel_info_request": self.info,
                         "complete_request": self.complete, "inspect_request": self.inspect,
                         "is_complete_request": self.is_complete,
                         "history_request": self.history, "comm_info_request": self.comm_info,
                         "shutdown_request": self.shutdown}

    def _session(self) -> Session:
        return Session(key=self.connection.get("key", "").encode(),
                       signature_scheme=self.connection.get("signature_scheme", "hmac-sha256"),
                       username="tshell")

    def _bind(self, kind, port_name):
        sock = self.context.socket(kind)
        sock.linger = 1000
        address = f"{self.connection.get('transport', 'tcp')}://{self.connection['ip']}"
        sock.bind(f"{address}:{self.connection[port_name]}")
        return sock

    # ------------------------------------------------------------------ running
    def serve(self) -> None:
        """Serve until a shutdown request; Ctrl-C (SIGINT) between cells is ignored."""
        threading.Thread(target=self.echo_heartbeats, daemon=True, name="heartbeat").start()
        threading.Thread(target=self.serve_control, daemon=True, name="control").start()
        self.publish("status", {"execution_state": "starting"})
        while self.running:
            try:
                if not self.shell.poll(500):
                    continue
                idents, msg = self.session.recv(self.shell, mode=zmq.NOBLOCK)
                if msg is not None:
                    self.dispatch(idents, msg)
            except KeyboardInterrupt:
                continue                   # an interrupt that came after its cell ended
        self.context.destroy(linger=1000)

    def dispatch(self, idents, msg) -> None:
        handler = self.handlers.get(msg["header"]["msg_type"])
        if handler is None:
            return                          # unknown requests get no reply (as ipykernel)
        self.parent, self.parent_idents = msg, idents
        self.publish("status", {"execution_state": "busy"})
        try:
            reply_type, content = handler(msg["content"])
            self.session.send(self.shell, reply_type, content, parent=msg, ident=idents)
        finally:
            self.publish("status", {"execution_state": "idle"})

    def publish(self, msg_type: str, content: dict) -> None:
        """Send on IOPub, as a child of the request being served."""
        self.session.send(self.iopub, msg_type, content, parent=self.parent,
                          ident=f"kernel.tshell.{msg_type}".encode())

    def read_input(self, prompt: str) -> str:
        """input(): ask the front end that sent the running cell for a line (an
        input_request on the stdin channel) and wait for its input_reply; an interrupt
        while waiting reaches the cell as KeyboardInterrupt."""
        if not self.parent["content"].get("allow_stdin", False):
            raise RuntimeError(NO_STDIN)
        self.session.send(self.stdin, "input_request", {"prompt": prompt, "password": False},
                          parent=self.parent, ident=self.parent_idents)
        while True:
            if not self.stdin.poll(100):
                continue                          # signals are checked between polls
            _, reply = self.session.recv(self.stdin, mode=zmq.NOBLOCK)
            if reply is not None and reply["header"]["msg_type"] == "input_reply":
                return reply["content"].get("value", "")

    def echo_heartbeats(self) -> None:
        try:
            zmq.proxy(self.heartbeat, self.heartbeat)
        except zmq.ZMQError:
            pass                                  # the context ended: the kernel is leaving

    def serve_control(self) -> None:
        """Control channel: kernel info, interrupt as a message, shutdown."""
        session = self._session()               # a Session per thread, as a socket is
        while True:
            try:
                idents, msg = session.recv(self.control, mode=0)
            except zmq.ZMQError:
                return                            # the context ended: the kernel is leaving
            if msg is None:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "interrupt_request":
                _thread.interrupt_main(signal.SIGINT)
                session.send(self.control, "interrupt_reply", {"status": "ok"}, parent=msg,
                             ident=idents)
            elif kind == "shutdown_request":
                session.send(self.control, "shutdown_reply",
                             {"status": "ok", "restart": msg["content"].get("restart", False)},
                             parent=msg, ident=idents)
                self.running = False
                _thread.interrupt_main(signal.SIGINT)   # end a running cell too
                return
            elif kind == "kernel_info_request":
                session.send(self.control, "kernel_info_reply", kernel_info(), parent=msg,
                             ident=idents)

    # ------------------------------------------------------------------ requests
    def execute(self, content):
        return "execute_reply", self.cells.execute(content.get("code", ""),
                                                   silent=content.get("silent", False),
                                                   store=content.get("store_history", True))

    def info(self, content):
        return "kernel_info_reply", kernel_info()

    def complete(self, content):
        return "complete_reply", self.cells.complete(content["code"], content["cursor_pos"])

    def inspect(self, content):
        return "inspect_reply", self.cells.inspect(content["code"], content["cursor_pos"],
                                                   content.get("detail_level", 0))

    def is_complete(self, content):
        return "is_complete_reply", self.cells.is_complete(content["code"])

    def history(self, content):
        return "history_reply", self.cells.history_reply(content)

    def comm_info(self, content):
        return "comm_info_reply", {"status": "ok", "comms": {}}

    def shutdown(self, content):
        self.running = False
        return "shutdown_reply", {"status": "ok", "restart": content.get("restart", False)}


def serve(connection_file: str) -> None:
    with open(connection_file, encoding="utf-8") as f:
        connection = json.load(f)
    os.environ.setdefault("COLUMNS", "80")        # help() and tables: a notebook's width
    server = KernelServer(connection)
    try:
        server.serve()
    finally:
        sys.stdout.flush()
