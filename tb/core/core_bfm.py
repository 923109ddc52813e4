"""Bus functional model of tessel_core: the only code that touches its signals."""

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ReadOnly, RisingEdge

import numpy as np

from tiles import CoreTile, LayerData, layer_tiles
from tessel.sim import config_from_env


class CoreBfm:
    def __init__(self, dut):
        self.dut = dut
        self.config = config_from_env()  # the configuration the model was built for

    async def reset(self):
        cocotb.start_soon(Clock(self.dut.clk_i, 10, unit="ns").start())
        for name in ("start_i", "act_wr_valid_i", "wt_wr_valid_i", "param_wr_valid_i",
                     "res_wr_valid_i", "out_rd_en_i"):
            getattr(self.dut, name).value = 0
        self.dut.rst_i.value = 1
        for _ in range(3):
            await RisingEdge(self.dut.clk_i)
        self.dut.rst_i.value = 0
        await RisingEdge(self.dut.clk_i)

    async def _write(self, prefix: str, writes, banked: bool):
        dut = self.dut
        valid = getattr(dut, f"{prefix}_wr_valid_i")
        addr = getattr(dut, f"{prefix}_wr_addr_i")
        data = getattr(dut, f"{prefix}_wr_data_i")
        bank = getattr(dut, f"{prefix}_wr_bank_i") if banked else None
        for entry in writes:
            if banked:
                bank.value, addr.value, data.value = entry
            else:
                addr.value, data.value = entry
            valid.value = 1
            await RisingEdge(dut.clk_i)
        valid.value = 0

    async def load(self, tile: CoreTile):
        await self._write("act", tile.act, banked=True)
        await self._write("wt", tile.weights, banked=False)
        if tile.params:
            await self._write("param", tile.params, banked=False)
        if tile.residual:
            await self._write("res", tile.residual, banked=True)

    async def run(self, tile: CoreTile) -> tuple[int, int]:
        """Start the tile, wait for done; returns (cycles, busy MAC lanes) of this tile."""
        dut = self.dut
        cycles0, lanes0 = int(dut.cycles_o.value), int(dut.mac_lanes_o.value)
        dut.desc_i.value = tile.descriptor(self.config)
        dut.start_i.value = 1
        await RisingEdge(dut.clk_i)
        dut.start_i.value = 0
        await RisingEdge(dut.done_o)
        await ReadOnly()
        result = int(dut.cycles_o.value) - cycles0, int(dut.mac_lanes_o.value) - lanes0
        await RisingEdge(dut.clk_i)
        return result

    async def read_word(self, bank: int, address: int) -> int:
        """One output-buffer word: address in, the registered data read after the edge."""
        dut = self.dut
        dut.out_rd_en_i.value = 1
        dut.out_rd_bank_i.value = bank
        dut.out_rd_addr_i.value = address
        await RisingEdge(dut.clk_i)
        dut.out_rd_en_i.value = 0
        await ReadOnly()
        word = int(dut.out_rd_data_o.value)
        await RisingEdge(dut.clk_i)
        return word

    async def read_output(self, tile: CoreTile):
        """The tile's output block (channels, rows, columns), read word by word."""
        words = {place: await self.read_word(*place) for place in tile.output_places()}
        return tile.read_output(lambda bank, address: words[(bank, address)])

    async def run_layer(self, data: LayerData) -> tuple[np.ndarray, int, int, int]:
        """Every tile of the layer's plan, as the tiling controller runs them: load what the
        tile needs, run it, read its output block into the layer's output.
        Returns (output, cycles, busy lanes, tiles)."""
        plan, tiles = layer_tiles(self.config, data)
        out = np.zeros(data.image.out_shape, np.uint8)
        cycles = lanes = 0
        for tile in tiles:
            await self.load(tile)
            c, n = await self.run(tile)
            cycles, lanes = cycles + c, lanes + n
            tile.place_output(out, await self.read_output(tile))
        return out, cycles, lanes, len(tiles)
