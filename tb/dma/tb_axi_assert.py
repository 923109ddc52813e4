"""tessel_axi_assert fires on each rule it checks, and only on that rule.

Built with TESSEL_ASSERT_RECORD_ONLY, so a failing rule prints and sets its bit of `fired`
instead of stopping the simulation. The bits are sticky, so the tests run in order: first
legal random traffic must fire nothing, then each test breaks one rule and expects exactly its
bit to appear. Bit numbers are the rule list at the top of rtl/dma/tessel_axi_assert.sv.
"""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ReadOnly, RisingEdge

RULES = ["aw_valid_held", "aw_payload_stable", "w_valid_held", "w_payload_stable",
         "ar_valid_held", "ar_payload_stable", "aw_no_4k_crossing", "ar_no_4k_crossing",
         "w_burst_length", "r_burst_length", "b_valid_held", "b_payload_stable",
         "r_valid_held", "r_payload_stable"]
# The flat inputs of tessel_axi_assert_flat (tb/dma), named as tessel_axi_port.svh names them.
INPUTS = [f"axi_{name}" for name in (
    "awid awaddr awlen awsize awburst awlock awcache awprot awqos awvalid awready "
    "wdata wstrb wlast wvalid wready bid bresp bvalid bready "
    "arid araddr arlen arsize arburst arlock arcache arprot arqos arvalid arready "
    "rid rdata rresp rlast rvalid rready").split()]
SIZE = 3  # 8-byte beats (DataWidth 64)


async def start(dut):
    """Idle inputs and a reset pulse (which empties the checker's burst-length queues)."""
    clock = getattr(start, "clock", None)
    if clock is None or clock.done():  # cocotb ends a test's tasks with the test
        start.clock = cocotb.start_soon(Clock(dut.clk_i, 10, unit="ns").start())
    for name in INPUTS:
        getattr(dut, name).value = 0
    dut.axi_awburst.value = dut.axi_arburst.value = 1  # INCR
    dut.axi_awsize.value = dut.axi_arsize.value = SIZE
    dut.rst_i.value = 1
    for _ in range(2):
        await RisingEdge(dut.clk_i)
    dut.rst_i.value = 0


async def cycle(dut, **values):
    """Drive `values` (AXI wire names without the axi_ prefix) for one clock edge."""
    for name, value in values.items():
        getattr(dut, f"axi_{name}").value = value
    await RisingEdge(dut.clk_i)


async def fired(dut) -> int:
    await RisingEdge(dut.clk_i)
    await ReadOnly()
    value = int(dut.u_assert.fired.value)
    await RisingEdge(dut.clk_i)
    return value


async def expect_only(dut, rule, before):
    after = await fired(dut)
    new = after & ~before
    bit = 1 << RULES.index(rule)
    names = [RULES[i] for i in range(len(RULES)) if new >> i & 1]
    assert new == bit, f"breaking {rule} fired {names or 'nothing'}"


@cocotb.test()
async def legal_traffic_fires_nothing(dut):
    """Random legal traffic on all five channels: bursts within 4 KB, correct LAST, valid
    held with stable payload until ready, W ahead of and behind AW."""
    rng = random.Random(cocotb.RANDOM_SEED)
    await start(dut)
    aw, w, ar = [], [], []  # bursts still to present: AW / W beats / AR
    r_bursts, b_pending = [], 0
    cur = {"aw": None, "w": None, "ar": None, "r": None, "b": None}
    for _ in range(3000):
        if rng.random() < 0.1 and len(aw) < 4:
            beats = rng.randint(1, 16)
            addr = rng.randrange(0, 1 << 40) & ~7
            addr -= max(0, addr % 4096 + beats * 8 - 4096)  # keep it in its page
            aw.append((addr, beats))
            w.extend((rng.getrandbits(64), i == beats - 1) for i in range(beats))
            b_pending += 1
        if rng.random() < 0.1 and len(ar) < 4:
            beats = rng.randint(1, 16)
            addr = (rng.randrange(0, 1 << 40) & ~7)
            addr -= max(0, addr % 4096 + beats * 8 - 4096)
            ar.append((addr, beats))
        # Offer the head of each queue; hold it until ready.
        for ch, queue in (("aw", aw), ("ar", ar)):
            if cur[ch] is None and queue and rng.random() < 0.7:
                cur[ch] = queue.pop(0)
            if cur[ch] is not None:
                getattr(dut, f"axi_{ch}addr").value = cur[ch][0]
                getattr(dut, f"axi_{ch}len").value = cur[ch][1] - 1
            getattr(dut, f"axi_{ch}valid").value = cur[ch] is not None
            getattr(dut, f"axi_{ch}ready").value = rng.random() < 0.6
        if cur["w"] is None and w and rng.random() < 0.7:
            cur["w"] = w.pop(0)
        if cur["w"] is not None:
            dut.axi_wdata.value, dut.axi_wlast.value = cur["w"]
            dut.axi_wstrb.value = 0xFF
        dut.axi_wvalid.value = cur["w"] is not None
        dut.axi_wready.value = rng.random() < 0.6
        if cur["r"] is None and r_bursts and rng.random() < 0.7:
            addr, beats, n = r_bursts[0]
            cur["r"] = (rng.getrandbits(64), n == beats - 1)
            r_bursts[0] = (addr, beats, n + 1)
            if n == beats - 1:
                r_bursts.pop(0)
        if cur["r"] is not None:
            dut.axi_rdata.value, dut.axi_rlast.value = cur["r"]
        dut.axi_rvalid.value = cur["r"] is not None
        dut.axi_rready.value = rng.random() < 0.6
        if cur["b"] is None and b_pending and rng.random() < 0.3:
            cur["b"] = rng.choice([0, 2, 3])
            b_pending -= 1
        if cur["b"] is not None:
            dut.axi_bresp.value = cur["b"]
        dut.axi_bvalid.value = cur["b"] is not None
        dut.axi_bready.value = rng.random() < 0.6
        await RisingEdge(dut.clk_i)
        # Handshakes of the edge that just passed (values are those the checker sampled).
        for ch in ("aw", "w", "ar", "r", "b"):
            if cur[ch] is not None and getattr(dut, f"axi_{ch}ready").value:
                if ch == "ar":
                    r_bursts.append((cur["ar"][0], cur["ar"][1], 0))
                cur[ch] = None
    for ch in ("aw", "w", "ar", "r", "b"):
        if cur[ch] is None:  # stop offering, but a beat on offer stays until taken
            getattr(dut, f"axi_{ch}valid").value = 0
        getattr(dut, f"axi_{ch}ready").value = 0
    value = await fired(dut)
    assert value == 0, f"legal traffic fired {[r for i, r in enumerate(RULES) if value >> i & 1]}"


async def break_valid_held(dut, ch):
    await start(dut)
    before = await fired(dut)
    await cycle(dut, **{f"{ch}valid": 1, f"{ch}ready": 0})
    await cycle(dut, **{f"{ch}valid": 0})
    await expect_only(dut, f"{ch}_valid_held", before)


async def break_payload_stable(dut, ch, field, value):
    await start(dut)
    before = await fired(dut)
    await cycle(dut, **{f"{ch}valid": 1, f"{ch}ready": 0})
    await cycle(dut, **{field: value})
    await cycle(dut, **{f"{ch}ready": 1})
    await cycle(dut, **{f"{ch}valid": 0, f"{ch}ready": 0})
    await expect_only(dut, f"{ch}_payload_stable", before)


@cocotb.test()
@cocotb.parametrize(ch=["aw", "w", "ar", "b"])
async def valid_dropped(dut, ch):
    await break_valid_held(dut, ch)


@cocotb.test()
@cocotb.parametrize((("ch", "field", "value"),
                     [("aw", "awaddr", 0x40), ("w", "wdata", 0x1234), ("ar", "arlen", 5),
                      ("b", "bresp", 2)]))
async def payload_changed(dut, ch, field, value):
    await break_payload_stable(dut, ch, field, value)


@cocotb.test()
async def aw_crosses_4k(dut):
    await start(dut)
    before = await fired(dut)
    await cycle(dut, awvalid=1, awready=1, awaddr=0x7_0000_0FF8, awlen=1)  # 0xFF8..0x1007
    await cycle(dut, awvalid=0)
    # Its two W beats, correctly closed, so only the 4 KB rule is broken.
    await cycle(dut, wvalid=1, wready=1, wlast=0)
    await cycle(dut, wlast=1)
    await cycle(dut, wvalid=0, wlast=0)
    await expect_only(dut, "aw_no_4k_crossing", before)


@cocotb.test()
async def ar_crosses_4k(dut):
    await start(dut)
    before = await fired(dut)
    await cycle(dut, arvalid=1, arready=1, araddr=0x3_FFFF_FFF0, arlen=2)  # 3 beats from 0xFF0
    await cycle(dut, arvalid=0)
    for n in range(3):
        await cycle(dut, rvalid=1, rready=1, rlast=int(n == 2))
    await cycle(dut, rvalid=0, rlast=0)
    await expect_only(dut, "ar_no_4k_crossing", before)


@cocotb.test()
async def wlast_early(dut):
    await start(dut)
    before = await fired(dut)
    await cycle(dut, awvalid=1, awready=1, awaddr=0x1000, awlen=3)  # 4 beats
    await cycle(dut, awvalid=0, wvalid=1, wready=1, wlast=0)
    await cycle(dut, wlast=1)  # WLAST on beat 2
    await cycle(dut, wvalid=0, wlast=0)
    await expect_only(dut, "w_burst_length", before)


@cocotb.test()
async def rlast_late(dut):
    await start(dut)
    before = await fired(dut)
    await cycle(dut, arvalid=1, arready=1, araddr=0x2000, arlen=0)  # 1 beat
    await cycle(dut, arvalid=0, rvalid=1, rready=1, rlast=0)  # no RLAST on it
    await cycle(dut, rvalid=0)
    await expect_only(dut, "r_burst_length", before)


@cocotb.test()
async def r_valid_dropped(dut):
    await start(dut)
    before = await fired(dut)
    await cycle(dut, arvalid=1, arready=1, araddr=0x3000, arlen=0)
    await cycle(dut, arvalid=0, rvalid=1, rready=0, rlast=1)
    await cycle(dut, rvalid=0)
    await expect_only(dut, "r_valid_held", before)


@cocotb.test()
async def r_payload_changed(dut):
    await start(dut)
    before = await fired(dut)
    await cycle(dut, arvalid=1, arready=1, araddr=0x3000, arlen=0)
    await cycle(dut, arvalid=0, rvalid=1, rready=0, rlast=1)
    await cycle(dut, rdata=0xBAD)
    await cycle(dut, rready=1)
    await cycle(dut, rvalid=0, rready=0, rlast=0)
    await expect_only(dut, "r_payload_stable", before)
