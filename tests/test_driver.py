"""The driver's register protocol where it does not need the RTL (the rest runs on the RTL in
tb/top and on the fake PYNQ in test_pynq_board.py)."""

import asyncio

import pytest

from tessel.runtime.driver import AcceleratorTimeout, Driver


class BusyRegisters:
    """STATUS reads BUSY until `busy_reads` reads have passed (None: forever); writes are kept."""

    def __init__(self, busy_reads: int | None):
        self.busy_reads, self.reads, self.writes = busy_reads, 0, []
        self.driver = Driver(self, 0, 0)

    async def read32(self, offset: int) -> int:
        assert offset == self.driver.offsets["STATUS"], "only STATUS is polled"
        self.reads += 1
        busy = self.busy_reads is None or self.reads <= self.busy_reads
        return self.driver.bit("STATUS", "BUSY") if busy else 0

    async def write32(self, offset: int, value: int) -> None:
        self.writes.append((offset, value))

    async def wait_irq(self) -> None:
        raise AssertionError("soft reset does not wait for an interrupt")


def test_soft_reset_returns_once_busy_falls():
    regs = BusyRegisters(busy_reads=5)
    asyncio.run(regs.driver.soft_reset())
    assert regs.writes == [(regs.driver.offsets["CTRL"], regs.driver.bit("CTRL", "SOFT_RESET"))]
    assert regs.reads == 6  # five busy reads, then the idle one


def test_soft_reset_that_never_drains_times_out():
    regs = BusyRegisters(busy_reads=None)
    with pytest.raises(AcceleratorTimeout, match="STATUS.BUSY still set 100 register reads"):
        asyncio.run(regs.driver.soft_reset(polls=100))
    assert regs.reads == 100
