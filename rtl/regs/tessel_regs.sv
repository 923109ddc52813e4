// Control/status registers: an AXI4-Lite slave (32-bit data) over the map in
// rtl/regs/tessel_regs.yaml (offsets and fields from the generated tessel_regs_pkg), with a
// hardware-side interface to the accelerator.
//
// One write and one read are handled at a time; each answers one cycle after it is complete
// (address and data for a write). Unmapped offsets answer SLVERR and change nothing; writes to
// read-only registers are ignored (OKAY). The low two address bits are ignored.
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
  localparam logic [1:0] RespOkay = 2'b00, RespSlverr = 2'b10;

  if (DmaAddrWidth < 33 || DmaAddrWidth > 64) begin : gen_bad_addr_width
    $error("%m: tessel_regs DmaAddrWidth must be 33..64, got %0d", DmaAddrWidth);
  end
  if (LayerCounters < 2) begin : gen_bad_layers
    $error("%m: tessel_regs needs at least 2 layer counters, got %0d", LayerCounters);
  end

  // ---------------------------------------------------------------- register state
  logic                    irq_en_q, done_q, error_q;
  logic [1:0]              irq_status_q;   // {ERROR, DONE}
  logic [DmaAddrWidth-1:0] prog_base_q, win_base_q, win_limit_q;
  logic [15:0]             layer_sel_q;
  logic [31:0]             counter_hi_q [5];  // upper halves latched by reading a _LO

  logic [63:0] cycles, busy_cycles, stall_cycles, bytes_read, bytes_written;
  logic [63:0] layer_cycles;

  // ---------------------------------------------------------------- AXI4-Lite write side
  logic                 aw_valid_q, w_valid_q;
  logic [AddrWidth-1:2] aw_word_q;   // registers are words: the low address bits are ignored
  logic [31:0]          w_data_q;
  logic [3:0]           w_strb_q;
  logic                 b_valid_q;
  logic [1:0]           b_resp_q;

  assign s_axil_awready = !aw_valid_q;
  assign s_axil_wready  = !w_valid_q;
  assign s_axil_bvalid  = b_valid_q;
  assign s_axil_bresp   = b_resp_q;

  wire                 write = aw_valid_q && w_valid_q && (!b_valid_q || s_axil_bready);
  wire [AddrWidth-1:0] waddr = {aw_word_q, 2'b00};
  wire [31:0]          wmask = {{8{w_strb_q[3]}}, {8{w_strb_q[2]}}, {8{w_strb_q[1]}},
                                {8{w_strb_q[0]}}};
  wire [31:0]          wbits = w_data_q & wmask;  // bits written with 1 (for w1p, w1c)

  // `addr` is word aligned.
  function automatic logic mapped(logic [AddrWidth-1:0] addr);
    unique case (addr)
      IdOffset, VersionOffset, CtrlOffset, StatusOffset, IrqStatusOffset, ErrCodeOffset,
      ErrAddrLoOffset, ErrAddrHiOffset, ProgBaseLoOffset, ProgBaseHiOffset, WinBaseLoOffset,
      WinBaseHiOffset, WinLimitLoOffset, WinLimitHiOffset, CyclesLoOffset, CyclesHiOffset,
      BusyCyclesLoOffset, BusyCyclesHiOffset, StallCyclesLoOffset, StallCyclesHiOffset,
      BytesReadLoOffset, BytesReadHiOffset, BytesWrittenLoOffset, BytesWrittenHiOffset,
      LayerSelectOffset, LayerCyclesLoOffset, LayerCyclesHiOffset, ParamCountOffset: return 1'b1;
      default: return addr >= ParamOffset && 32'(addr) < 32'(ParamOffset) + 4 * NumParams;
    endcase
  endfunction

  // A 32-bit write into one half of a 64-bit address register (bits above Width stay 0).
  function automatic logic [DmaAddrWidth-1:0] write_half(logic [DmaAddrWidth-1:0] value,
                                                        logic high, logic [31:0] data,
                                                        logic [31:0] mask);
    logic [63:0] wide;
    wide = 64'(value);
    if (high) wide[63:32] = (wide[63:32] & ~mask) | (data & mask);
    else      wide[31:0]  = (wide[31:0] & ~mask) | (data & mask);
    return wide[DmaAddrWidth-1:0];
  endfunction

  // Command pulses leave from registers (the cycle after the write), so nothing on the
  // AXI4-Lite port reaches the accelerator combinationally.
  wire start_write = write && waddr == CtrlOffset && wbits[CtrlStartLsb];
  wire reset_write = write && waddr == CtrlOffset && wbits[CtrlSoftResetLsb];
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      start_o      <= 1'b0;
      soft_reset_o <= 1'b0;
    end else begin
      start_o      <= start_write && !busy_i;
      soft_reset_o <= reset_write;
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      aw_valid_q <= 1'b0;
      w_valid_q  <= 1'b0;
      b_valid_q  <= 1'b0;
      b_resp_q   <= RespOkay;
    end else begin
      if (s_axil_awvalid && s_axil_awready) begin
        aw_valid_q <= 1'b1;
        aw_word_q  <= s_axil_awaddr[AddrWidth-1:2];
      end
      if (s_axil_wvalid && s_axil_wready) begin
        w_valid_q <= 1'b1;
        w_data_q  <= s_axil_wdata;
        w_strb_q  <= s_axil_wstrb;
      end
      if (write) begin
        aw_valid_q <= 1'b0;
        w_valid_q  <= 1'b0;
        b_valid_q  <= 1'b1;
        b_resp_q   <= mapped(waddr) ? RespOkay : RespSlverr;
      end else if (s_axil_bready) begin
        b_valid_q <= 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      irq_en_q     <= CtrlReset[CtrlIrqEnLsb];
      prog_base_q  <= '0;
      win_base_q   <= '0;
      win_limit_q  <= '0;
      layer_sel_q  <= '0;
      irq_status_q <= '0;
      done_q       <= 1'b0;
      error_q      <= 1'b0;
    end else begin
      if (write) begin
        unique case (waddr)
          CtrlOffset:        if (w_strb_q[0]) irq_en_q <= w_data_q[CtrlIrqEnLsb];
          ProgBaseLoOffset:  prog_base_q <= write_half(prog_base_q, 1'b0, w_data_q, wmask);
          ProgBaseHiOffset:  prog_base_q <= write_half(prog_base_q, 1'b1, w_data_q, wmask);
          WinBaseLoOffset:   win_base_q  <= write_half(win_base_q, 1'b0, w_data_q, wmask);
          WinBaseHiOffset:   win_base_q  <= write_half(win_base_q, 1'b1, w_data_q, wmask);
          WinLimitLoOffset:  win_limit_q <= write_half(win_limit_q, 1'b0, w_data_q, wmask);
          WinLimitHiOffset:  win_limit_q <= write_half(win_limit_q, 1'b1, w_data_q, wmask);
          LayerSelectOffset: layer_sel_q <= (layer_sel_q & ~wmask[15:0]) | wbits[15:0];
          default: ;
        endcase
      end
      // Interrupt causes: the hardware sets them, writing 1 clears them (setting wins).
      error_q <= error_i;
      for (int unsigned i = 0; i < 2; i++) begin
        if (write && waddr == IrqStatusOffset && wbits[i]) irq_status_q[i] <= 1'b0;
      end
      if (done_i) irq_status_q[IrqStatusDoneLsb] <= 1'b1;
      if (error_i && !error_q) irq_status_q[IrqStatusErrorLsb] <= 1'b1;
      if (start_o || soft_reset_o) done_q <= 1'b0;
      if (done_i) done_q <= 1'b1;
    end
  end

  assign irq_en_o    = irq_en_q;
  assign irq_o       = irq_en_q && (irq_status_q != '0);
  assign prog_base_o = prog_base_q;
  assign win_base_o  = win_base_q;
  assign win_limit_o = win_limit_q;

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
  tessel_sdp_ram #(.Width(64), .Depth(LayerCounters)) u_layer_cycles (
    .clk_i    (clk_i),
    .wr_en_i  (layer_cycles_we_i),
    .wr_addr_i(layer_cycles_idx_i),
    .wr_data_i(layer_cycles_i),
    .rd_en_i  (1'b1),
    .rd_addr_i(layer_sel_q[LayerWidth-1:0]),
    .rd_data_o(layer_cycles)
  );
  wire layer_in_range = 32'(layer_sel_q) < LayerCounters;

  // ---------------------------------------------------------------- AXI4-Lite read side
  logic                 r_valid_q;
  logic [31:0]          r_data_q;
  logic [1:0]           r_resp_q;
  logic [31:0]          rdata;
  wire                  read  = s_axil_arvalid && s_axil_arready;
  wire [AddrWidth-1:0]  raddr = {s_axil_araddr[AddrWidth-1:2], 2'b00};
  wire [AddrWidth-1:0]  param_byte = raddr - ParamOffset;
  wire [$clog2(NumParams)-1:0] param_index = param_byte[$clog2(NumParams)+1:2];
  logic unused_addr_bits;  // byte-in-word address bits, and parameter offsets past the last
  assign unused_addr_bits = ^{s_axil_araddr[1:0], s_axil_awaddr[1:0], param_byte};

  assign s_axil_arready = !r_valid_q;
  assign s_axil_rvalid  = r_valid_q;
  assign s_axil_rdata   = r_data_q;
  assign s_axil_rresp   = r_resp_q;

  always_comb begin
    rdata = '0;
    unique case (raddr)
      IdOffset:             rdata = RegsId;
      VersionOffset:        rdata = VersionReset;
      CtrlOffset:           rdata[CtrlIrqEnLsb] = irq_en_q;
      StatusOffset: begin
        rdata[StatusBusyLsb]  = busy_i;
        rdata[StatusDoneLsb]  = done_q;
        rdata[StatusErrorLsb] = error_i;
      end
      IrqStatusOffset:      rdata[1:0] = irq_status_q;
      ErrCodeOffset:        rdata[7:0] = err_code_i;
      ErrAddrLoOffset:      rdata = err_addr_i[31:0];
      ErrAddrHiOffset:      rdata = err_addr_i[63:32];
      ProgBaseLoOffset:     rdata = 32'(64'(prog_base_q));
      ProgBaseHiOffset:     rdata = 32'(64'(prog_base_q) >> 32);
      WinBaseLoOffset:      rdata = 32'(64'(win_base_q));
      WinBaseHiOffset:      rdata = 32'(64'(win_base_q) >> 32);
      WinLimitLoOffset:     rdata = 32'(64'(win_limit_q));
      WinLimitHiOffset:     rdata = 32'(64'(win_limit_q) >> 32);
      CyclesLoOffset:       rdata = cycles[31:0];
      CyclesHiOffset:       rdata = counter_hi_q[0];
      BusyCyclesLoOffset:   rdata = busy_cycles[31:0];
      BusyCyclesHiOffset:   rdata = counter_hi_q[1];
      StallCyclesLoOffset:  rdata = stall_cycles[31:0];
      StallCyclesHiOffset:  rdata = counter_hi_q[2];
      BytesReadLoOffset:    rdata = bytes_read[31:0];
      BytesReadHiOffset:    rdata = counter_hi_q[3];
      BytesWrittenLoOffset: rdata = bytes_written[31:0];
      BytesWrittenHiOffset: rdata = counter_hi_q[4];
      LayerSelectOffset:    rdata[15:0] = layer_sel_q;
      LayerCyclesLoOffset:  rdata = layer_in_range ? layer_cycles[31:0] : '0;
      LayerCyclesHiOffset:  rdata = layer_in_range ? layer_cycles[63:32] : '0;
      ParamCountOffset:     rdata = NumParams;
      default: if (mapped(raddr)) rdata = ParamValues[param_index];
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      r_valid_q <= 1'b0;
      for (int unsigned i = 0; i < 5; i++) counter_hi_q[i] <= '0;
    end else begin
      if (read) begin
        r_valid_q <= 1'b1;
        r_data_q  <= rdata;
        r_resp_q  <= mapped(raddr) ? RespOkay : RespSlverr;
        unique case (raddr)
          CyclesLoOffset:       counter_hi_q[0] <= cycles[63:32];
          BusyCyclesLoOffset:   counter_hi_q[1] <= busy_cycles[63:32];
          StallCyclesLoOffset:  counter_hi_q[2] <= stall_cycles[63:32];
          BytesReadLoOffset:    counter_hi_q[3] <= bytes_read[63:32];
          BytesWrittenLoOffset: counter_hi_q[4] <= bytes_written[63:32];
          default: ;
        endcase
      end else if (s_axil_rready) begin
        r_valid_q <= 1'b0;
      end
    end
  end

  `TESSEL_ASSERT_STREAM(regs_b, s_axil_bvalid, s_axil_bready, s_axil_bresp)
  `TESSEL_ASSERT_STREAM(regs_r, s_axil_rvalid, s_axil_rready, {s_axil_rdata, s_axil_rresp})
  `TESSEL_ASSERT(regs_start_is_pulse, start_o |=> !start_o)
endmodule
