"""Execute a notebook with nbclient and the Deno kernel, losing no output.

    /usr/bin/python3 barrier_client.py IN.ipynb OUT.ipynb --kernel deno [--timeout S]

Why this exists. The Deno kernel (2.9.6) publishes a cell's outputs from a
queue that a second task drains, while the task that ran the cell publishes
`status: idle` itself; the two race, so a cell's outputs can reach the client
after its idle. nbclient stops listening to a cell at idle and drops what comes
later (measured with a probe of the iopub order: a cell ending in an expression
lost its result 21 times in 100, one awaiting Deno.jupyter.display once, one
printing twice). The queue itself keeps its order, so after each cell this
client sends a silent barrier request whose code broadcasts a sentinel through
the same queue; every output the cell sent is published before the sentinel.
Everything that arrives until the sentinel, with the cell's parent or the
barrier's (the kernel stamps a queued message with the request current when it
is published), is the cell's and is added to it.

The sentinel also carries the count of displays the kernel made through
lib/notebook's `show` (a counter on globalThis), so the runner can check that
each cell holds every display it made: the guard for figures and tables.

Prints one JSON line on stdout: per code cell, the displays the kernel made,
the display outputs the cell holds and how many outputs arrived after idle.
On a cell error: exit 1 with the error on stderr, nothing written.

Progress: with HARNESSLAB_PROGRESS set, appends a `start` event per execution
and a `cell` event as each code cell starts to that file (the progress feed,
lib/core/progress_feed.ts), which the runner renders on its terminal.
"""
import argparse
import asyncio
import json
import os
import sys
import time
import uuid

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError
from nbclient.util import ensure_async

BARRIER_MIME = "application/x.harnesslab-barrier+json"
DISPLAY_COUNTER = "harnesslab.displays"


def progress_event(**event):
    """Append one event to the progress feed, if the runner named one (one short O_APPEND write)."""
    path = os.environ.get("HARNESSLAB_PROGRESS")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({**event, "t": time.time()}) + "\n")
    except OSError:
        pass  # progress is best effort


class BarrierClient(NotebookClient):
    """nbclient, plus a barrier after each code cell (see the module doc)."""

    barrier_timeout = 120

    def __init__(self, nb, **kw):
        super().__init__(nb, **kw)
        self.cell_reports = []
        self._parent_of_cell = {}
        self._displays_so_far = 0

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        self._parent_of_cell[cell_index] = parent_msg_id
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if cell.cell_type == "code" and cell.source.strip():
            progress_event(ev="cell", cell=cell_index)
        cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if cell.cell_type != "code" or not cell.source.strip():
            return cell
        late, displays = await self._barrier(cell, cell_index)
        made = displays - self._displays_so_far
        self._displays_so_far = displays
        held = sum(1 for o in cell.outputs if o.output_type == "display_data")
        self.cell_reports.append({"cell": cell_index, "displays_made": made, "display_outputs": held,
                                  "late_outputs": late})
        return cell

    async def _barrier(self, cell, cell_index):
        token = uuid.uuid4().hex
        code = (
            f'await Deno.jupyter.broadcast("display_data", {{ data: {{ "{BARRIER_MIME}": '
            f'{{ token: "{token}", displays: globalThis[Symbol.for("{DISPLAY_COUNTER}")] ?? 0 }} }}, '
            "metadata: {}, transient: {} });"
        )
        cell_parent = self._parent_of_cell.get(cell_index)
        barrier_parent = await ensure_async(self.kc.execute(code, silent=True, store_history=False))
        parents = {cell_parent, barrier_parent}
        late = 0
        deadline = asyncio.get_event_loop().time() + self.barrier_timeout
        while True:
            remaining = deadline - asyncio.get_event_loop().time()
            if remaining <= 0:
                raise DeadKernelError(f"cell {cell_index}: the kernel did not answer the output barrier "
                                      f"in {self.barrier_timeout} s")
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=remaining))
            if msg["parent_header"].get("msg_id") not in parents:
                continue
            kind = msg["msg_type"]
            data = msg["content"].get("data", {}) if kind == "display_data" else {}
            if BARRIER_MIME in data and data[BARRIER_MIME].get("token") == token:
                return late, int(data[BARRIER_MIME].get("displays", 0))
            if kind in ("status", "execute_input"):
                continue
            late += 1
            self.process_message(msg, cell, cell_index)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--kernel", default="deno")
    ap.add_argument("--timeout", type=int, default=-1, help="per-cell timeout in seconds; -1 for none")
    args = ap.parse_args()
    nb = nbformat.read(args.input, as_version=4)
    client = BarrierClient(
        nb,
        kernel_name=args.kernel,
        timeout=None if args.timeout < 0 else args.timeout,
        record_timing=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.input))}},
    )
    progress_event(ev="start", cells=len(nb.cells))
    try:
        client.execute()
    except CellExecutionError as e:
        print(f"CellExecutionError: {e}", file=sys.stderr)
        return 1
    except DeadKernelError as e:
        print(f"DeadKernelError: {e}", file=sys.stderr)
        return 1
    nbformat.write(nb, args.output)
    print(json.dumps({"cells": client.cell_reports}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
