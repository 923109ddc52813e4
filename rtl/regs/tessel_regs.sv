// Control/status registers: the AXI4-Lite register block that peakrdl-regblock generates
// from rtl/regs/tessel_regs.rdl (tessel_regs_block), wired to the accelerator: command
// pulses and settings out, status, error, counters and build parameters in.
//
// The block answers SLVERR for an unmapped offset and changes nothing; writes to read-only
// fields are ignored (OKAY); the low two address bits are ignored.
`include "tessel_assert.svh"

module tessel_regs
  import tessel_regs_pkg::*;
#(
  /// Byte address bits of programs and of the DMA window (the AXI masters' address width).
  parameter int unsigned DmaAddrWidth = tessel_config_pkg::AxiAddrWidth,
  /// Bits of the per-cycle byte counts fed to the performance counters.
  parameter int unsigned BytesWidth = 16,
  localparam int unsigned AddrWidth = RegsAddrWidth,
  localparam int unsigned LayerWidth = $clog2(LayerCounters)
) (
  input  logic                    clk_i,
  input  logic                    rst_i,

  input  logic [AddrWidth-1:0]    s_axil_awaddr,
  input  logic                    s_axil_awvalid,
  output logic                    s_axil_awready,
  input  logic [31:0]             s_axil_wdata,
  input  logic [3:0]              s_axil_wstrb,
  input  logic                    s_axil_wvalid,
  output logic                    s_axil_wready,
  output logic [1:0]              s_axil_bresp,
  output logic                    s_axil_bvalid,
  input  logic                    s_axil_bready,
  input  logic [AddrWidth-1:0]    s_axil_araddr,
  input  logic                    s_axil_arvalid,
  output logic                    s_axil_arready,
  output logic [31:0]             s_axil_rdata,
  output logic [1:0]              s_axil_rresp,
  output logic                    s_axil_rvalid,
  input  logic                    s_axil_rready,

  // To the accelerator.
  output logic                    start_o,          // one cycle after CTRL.START written with 1
  output logic                    soft_reset_o,     // one cycle after CTRL.SOFT_RESET written
  output logic                    irq_en_o,
  output logic [DmaAddrWidth-1:0] prog_base_o,
  output logic [DmaAddrWidth-1:0] win_base_o,
  output logic [DmaAddrWidth-1:0] win_limit_o,
  output logic                    irq_o,

  // From the accelerator.
  input  logic                    busy_i,           // STATUS.BUSY
  input  logic                    done_i,           // one cycle: the program finished
  input  logic                    error_i,          // an error stopped it (held until soft reset)
  input  logic [7:0]              err_code_i,
  input  logic [63:0]             err_addr_i,
  input  logic                    array_busy_i,     // counted in BUSY_CYCLES
  input  logic                    dma_stall_i,      // counted in STALL_CYCLES
  input  logic [BytesWidth-1:0]   bytes_read_i,     // added to BYTES_READ
  input  logic [BytesWidth-1:0]   bytes_written_i,  // added to BYTES_WRITTEN
  input  logic                    layer_cycles_we_i,
  input  logic [LayerWidth-1:0]   layer_cycles_idx_i,
  input  logic [63:0]             layer_cycles_i
);
  if (DmaAddrWidth < 33 || DmaAddrWidth > 64) begin : gen_bad_addr_width
    $error("%m: tessel_regs DmaAddrWidth must be 33..64, got %0d", DmaAddrWidth);
  end
  if (DmaAddrWidth != tessel_config_pkg::AxiAddrWidth) begin : gen_block_mismatch
    $error("%m: tessel_regs_block was generated for %0d address bits, DmaAddrWidth is %0d",
           tessel_config_pkg::AxiAddrWidth, DmaAddrWidth);
  end
  if (LayerCounters < 2) begin : gen_bad_layers
    $error("%m: tessel_regs needs at least 2 layer counters, got %0d", LayerCounters);
  end

  tessel_regs_block_pkg::tessel_regs__in_t  hwif_in;
  tessel_regs_block_pkg::tessel_regs__out_t hwif_out;

  tessel_regs_block u_block (
    .clk            (clk_i),
    .rst            (rst_i),
    .s_axil_awready (s_axil_awready),
    .s_axil_awvalid (s_axil_awvalid),
    .s_axil_awaddr  (s_axil_awaddr),
    .s_axil_awprot  (3'b000),
    .s_axil_wready  (s_axil_wready),
    .s_axil_wvalid  (s_axil_wvalid),
    .s_axil_wdata   (s_axil_wdata),
    .s_axil_wstrb   (s_axil_wstrb),
    .s_axil_bready  (s_axil_bready),
    .s_axil_bvalid  (s_axil_bvalid),
    .s_axil_bresp   (s_axil_bresp),
    .s_axil_arready (s_axil_arready),
    .s_axil_arvalid (s_axil_arvalid),
    .s_axil_araddr  (s_axil_araddr),
    .s_axil_arprot  (3'b000),
    .s_axil_rready  (s_axil_rready),
    .s_axil_rvalid  (s_axil_rvalid),
    .s_axil_rdata   (s_axil_rdata),
    .s_axil_rresp   (s_axil_rresp),
    .hwif_in        (hwif_in),
    .hwif_out       (hwif_out)
  );

  logic [63:0] cycles, busy_cycles, stall_cycles, bytes_read, bytes_written;
  logic [15:0] layer_sel;
  logic [63:0] layer_cycles;

  // ---------------------------------------------------------------- commands and status
  // The block's command fields are registers (high the cycle after the write); START is
  // dropped if the accelerator was busy when it was written, so busy_i has no path to start_o.
  logic busy_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) busy_q <= 1'b0;
    else       busy_q <= busy_i;
  end
  assign start_o      = hwif_out.CTRL.START.value && !busy_q;
  assign soft_reset_o = hwif_out.CTRL.SOFT_RESET.value;
  assign irq_en_o     = hwif_out.CTRL.IRQ_EN.value;
  assign irq_o        = hwif_out.IRQ_STATUS.intr;
  assign prog_base_o  = DmaAddrWidth'({hwif_out.PROG_BASE.HI.value, hwif_out.PROG_BASE.LO.value});
  assign win_base_o   = DmaAddrWidth'({hwif_out.WIN_BASE.HI.value, hwif_out.WIN_BASE.LO.value});
  assign win_limit_o  = DmaAddrWidth'({hwif_out.WIN_LIMIT.HI.value, hwif_out.WIN_LIMIT.LO.value});

  always_comb begin
    hwif_in.STATUS.BUSY.next         = busy_i;
    hwif_in.STATUS.DONE.hwset        = done_i;
    hwif_in.STATUS.DONE.hwclr        = start_o || soft_reset_o;
    hwif_in.STATUS.ERROR.next        = error_i;
    hwif_in.IRQ_STATUS.DONE.next     = done_i;
    hwif_in.IRQ_STATUS.ERROR.next    = error_i;  // sets IRQ_STATUS.ERROR on its rising edge
    hwif_in.ERR_CODE.CODE.next       = err_code_i;
    hwif_in.ERR_ADDR.VALUE.next      = err_addr_i;
    hwif_in.CYCLES.VALUE.next        = cycles;
    hwif_in.BUSY_CYCLES.VALUE.next   = busy_cycles;
    hwif_in.STALL_CYCLES.VALUE.next  = stall_cycles;
    hwif_in.BYTES_READ.VALUE.next    = bytes_read;
    hwif_in.BYTES_WRITTEN.VALUE.next = bytes_written;
    hwif_in.LAYER_CYCLES.VALUE.next  = 32'(layer_sel) < LayerCounters ? layer_cycles : '0;
    for (int unsigned i = 0; i < NumParams; i++) hwif_in.PARAM[i].VALUE.next = ParamValues[i];
  end

  // ---------------------------------------------------------------- counters
  tessel_perf_counters #(.BytesWidth(BytesWidth)) u_counters (
    .clk_i          (clk_i),
    .rst_i          (rst_i),
    .start_i        (start_o),
    .stop_i         (soft_reset_o),
    .done_i         (done_i),
    .error_i        (error_i),
    .busy_i         (array_busy_i),
    .stall_i        (dma_stall_i),
    .bytes_read_i   (bytes_read_i),
    .bytes_written_i(bytes_written_i),
    .cycles_o       (cycles),
    .busy_cycles_o  (busy_cycles),
    .stall_cycles_o (stall_cycles),
    .bytes_read_o   (bytes_read),
    .bytes_written_o(bytes_written)
  );

  // The selected layer's count is read continuously; it is ready one cycle after LAYER_SELECT
  // changes, before any read that follows the write's response.
  assign layer_sel = hwif_out.LAYER_SELECT.INDEX.value;
  tessel_sdp_ram #(.Width(64), .Depth(LayerCounters)) u_layer_cycles (
    .clk_i    (clk_i),
    .wr_en_i  (layer_cycles_we_i),
    .wr_addr_i(layer_cycles_idx_i),
    .wr_data_i(layer_cycles_i),
    .rd_en_i  (1'b1),
    .rd_addr_i(layer_sel[LayerWidth-1:0]),
    .rd_data_o(layer_cycles)
  );

  `TESSEL_ASSERT_STREAM(regs_b, s_axil_bvalid, s_axil_bready, s_axil_bresp)
  `TESSEL_ASSERT_STREAM(regs_r, s_axil_rvalid, s_axil_rready, {s_axil_rdata, s_axil_rresp})
  `TESSEL_ASSERT(regs_start_is_pulse, start_o |=> !start_o)
endmodule
