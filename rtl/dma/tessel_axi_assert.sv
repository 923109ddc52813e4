// AXI4 protocol checker for any master in the project, bound to it in simulation
// (rtl/dma/tessel_dma_assert_bind.sv shows how; a read-only master ties the write channel's
// valids to 0, and the other way round).
//
// Rules (the index is the bit of `fired` that records a failure):
//   0..5   AW, W, AR: valid stays high until ready; the payload is stable while waiting
//   6, 7   an INCR burst on AW / AR never crosses a 4 KB boundary
//   8      W: WLAST on exactly beat AWLEN + 1 of each burst (bursts in AW order)
//   9      R: RLAST on exactly beat ARLEN + 1 of each burst, and no R beat without an AR
//          (responses in AR order: the checker assumes one ID, as the Tessel masters use)
//   10..13 B, R (the slave's side): valid held until ready, payload stable while waiting
// A failure is an $error (which stops a Verilator simulation). With
// TESSEL_ASSERT_RECORD_ONLY defined it is only printed, so a test can provoke every rule in
// turn and read `fired`.
`include "tessel_assert.svh"

module tessel_axi_assert #(
  /// Bits per data beat.
  parameter int unsigned DataWidth = 128,
  /// Byte address bits.
  parameter int unsigned AddrWidth = 40,
  /// ID bits.
  parameter int unsigned IdWidth = 4,
  localparam int unsigned StrbWidth = DataWidth / 8
) (
  input logic                 clk_i,
  input logic                 rst_i,
  input logic [IdWidth-1:0]   awid_i,
  input logic [AddrWidth-1:0] awaddr_i,
  input logic [7:0]           awlen_i,
  input logic [2:0]           awsize_i,
  input logic [1:0]           awburst_i,
  input logic                 awvalid_i,
  input logic                 awready_i,
  input logic [DataWidth-1:0] wdata_i,
  input logic [StrbWidth-1:0] wstrb_i,
  input logic                 wlast_i,
  input logic                 wvalid_i,
  input logic                 wready_i,
  input logic [IdWidth-1:0]   bid_i,
  input logic [1:0]           bresp_i,
  input logic                 bvalid_i,
  input logic                 bready_i,
  input logic [IdWidth-1:0]   arid_i,
  input logic [AddrWidth-1:0] araddr_i,
  input logic [7:0]           arlen_i,
  input logic [2:0]           arsize_i,
  input logic [1:0]           arburst_i,
  input logic                 arvalid_i,
  input logic                 arready_i,
  input logic [IdWidth-1:0]   rid_i,
  input logic [DataWidth-1:0] rdata_i,
  input logic [1:0]           rresp_i,
  input logic                 rlast_i,
  input logic                 rvalid_i,
  input logic                 rready_i
);
  localparam int unsigned NumRules = 14;
  localparam logic [1:0] BurstIncr = 2'b01;

  // Bits: see the rule list above. Only read from outside (tb/dma/tb_axi_assert.py).
  /* verilator lint_off UNUSEDSIGNAL */
  logic [NumRules-1:0] fired;
  /* verilator lint_on UNUSEDSIGNAL */

`ifdef TESSEL_ASSERT_ON
`ifdef TESSEL_ASSERT_RECORD_ONLY
  `define TESSEL_AXI_FAIL(bit_q, what) \
    begin bit_q <= 1'b1; $display("%m: AXI rule broken: %s", what); end
`else
  `define TESSEL_AXI_FAIL(bit_q, what) \
    begin bit_q <= 1'b1; $error("%m: AXI rule broken: %s", what); end
`endif

  // Sticky failure flags: start at 0, set only by a failing rule's action.
  /* verilator lint_off PROCASSINIT */
  logic aw_held_q = 1'b0, aw_stable_q = 1'b0, w_held_q = 1'b0, w_stable_q = 1'b0;
  logic ar_held_q = 1'b0, ar_stable_q = 1'b0, aw_4k_q = 1'b0, ar_4k_q = 1'b0;
  logic w_len_q = 1'b0, r_len_q = 1'b0;
  logic b_held_q = 1'b0, b_stable_q = 1'b0, r_held_q = 1'b0, r_stable_q = 1'b0;
  /* verilator lint_on PROCASSINIT */
  assign fired = {r_stable_q, r_held_q, b_stable_q, b_held_q, r_len_q, w_len_q, ar_4k_q,
                  aw_4k_q, ar_stable_q, ar_held_q, w_stable_q, w_held_q, aw_stable_q, aw_held_q};

  // Last byte of a burst lies in the same 4 KB page as its first byte.
  function automatic logic crosses_4k(logic [AddrWidth-1:0] addr, logic [7:0] len,
                                      logic [2:0] size);
    logic [63:0] first, last;
    first = 64'(addr);
    last  = ((first >> size) << size) + ((64'(len) + 64'd1) << size) - 64'd1;
    return (first >> 12) != (last >> 12);
  endfunction

  aw_valid_held: assert property (@(posedge clk_i) disable iff (rst_i)
      (awvalid_i && !awready_i) |=> awvalid_i)
    else `TESSEL_AXI_FAIL(aw_held_q, "AWVALID dropped before AWREADY")
  aw_payload_stable: assert property (@(posedge clk_i) disable iff (rst_i)
      (awvalid_i && !awready_i) |=> $stable({awid_i, awaddr_i, awlen_i, awsize_i, awburst_i}))
    else `TESSEL_AXI_FAIL(aw_stable_q, "AW payload changed while AWVALID and not AWREADY")
  w_valid_held: assert property (@(posedge clk_i) disable iff (rst_i)
      (wvalid_i && !wready_i) |=> wvalid_i)
    else `TESSEL_AXI_FAIL(w_held_q, "WVALID dropped before WREADY")
  w_payload_stable: assert property (@(posedge clk_i) disable iff (rst_i)
      (wvalid_i && !wready_i) |=> $stable({wdata_i, wstrb_i, wlast_i}))
    else `TESSEL_AXI_FAIL(w_stable_q, "W payload changed while WVALID and not WREADY")
  ar_valid_held: assert property (@(posedge clk_i) disable iff (rst_i)
      (arvalid_i && !arready_i) |=> arvalid_i)
    else `TESSEL_AXI_FAIL(ar_held_q, "ARVALID dropped before ARREADY")
  ar_payload_stable: assert property (@(posedge clk_i) disable iff (rst_i)
      (arvalid_i && !arready_i) |=> $stable({arid_i, araddr_i, arlen_i, arsize_i, arburst_i}))
    else `TESSEL_AXI_FAIL(ar_stable_q, "AR payload changed while ARVALID and not ARREADY")
  aw_no_4k_crossing: assert property (@(posedge clk_i) disable iff (rst_i)
      (awvalid_i && awburst_i == BurstIncr) |-> !crosses_4k(awaddr_i, awlen_i, awsize_i))
    else `TESSEL_AXI_FAIL(aw_4k_q, "write burst crosses a 4 KB boundary")
  ar_no_4k_crossing: assert property (@(posedge clk_i) disable iff (rst_i)
      (arvalid_i && arburst_i == BurstIncr) |-> !crosses_4k(araddr_i, arlen_i, arsize_i))
    else `TESSEL_AXI_FAIL(ar_4k_q, "read burst crosses a 4 KB boundary")
  b_valid_held: assert property (@(posedge clk_i) disable iff (rst_i)
      (bvalid_i && !bready_i) |=> bvalid_i)
    else `TESSEL_AXI_FAIL(b_held_q, "BVALID dropped before BREADY")
  b_payload_stable: assert property (@(posedge clk_i) disable iff (rst_i)
      (bvalid_i && !bready_i) |=> $stable({bid_i, bresp_i}))
    else `TESSEL_AXI_FAIL(b_stable_q, "B payload changed while BVALID and not BREADY")
  r_valid_held: assert property (@(posedge clk_i) disable iff (rst_i)
      (rvalid_i && !rready_i) |=> rvalid_i)
    else `TESSEL_AXI_FAIL(r_held_q, "RVALID dropped before RREADY")
  r_payload_stable: assert property (@(posedge clk_i) disable iff (rst_i)
      (rvalid_i && !rready_i) |=> $stable({rid_i, rdata_i, rresp_i, rlast_i}))
    else `TESSEL_AXI_FAIL(r_stable_q, "R payload changed while RVALID and not RREADY")

  // Burst lengths: W may run ahead of AW, so both sides queue their lengths and pair up.
  // Checker-only code: queues and counters update immediately within the clock edge.
  /* verilator lint_off BLKSEQ */
  int unsigned aw_beats[$], w_beats[$], ar_beats[$];
  int unsigned w_count, r_count;
  always @(posedge clk_i) begin
    if (rst_i) begin
      aw_beats.delete();
      w_beats.delete();
      ar_beats.delete();
      w_count = 0;
      r_count = 0;
    end else begin
      if (awvalid_i && awready_i) aw_beats.push_back(int'(awlen_i) + 1);
      if (wvalid_i && wready_i) begin
        w_count++;
        if (wlast_i) begin
          w_beats.push_back(w_count);
          w_count = 0;
        end
      end
      if (aw_beats.size() > 0 && w_beats.size() > 0) begin
        w_burst_length: assert (aw_beats[0] == w_beats[0])
          else `TESSEL_AXI_FAIL(w_len_q, "WLAST not on beat AWLEN + 1")
        void'(aw_beats.pop_front());
        void'(w_beats.pop_front());
      end
      w_no_last: assert (w_count <= 256)
        else `TESSEL_AXI_FAIL(w_len_q, "more than 256 W beats without WLAST")
      if (arvalid_i && arready_i) ar_beats.push_back(int'(arlen_i) + 1);
      if (rvalid_i && rready_i) begin
        r_count++;
        r_burst_length: assert (ar_beats.size() > 0 &&
                                (rlast_i ? r_count == ar_beats[0] : r_count < ar_beats[0]))
          else `TESSEL_AXI_FAIL(r_len_q, "RLAST not on beat ARLEN + 1, or R without AR")
        if (rlast_i) begin
          r_count = 0;
          if (ar_beats.size() > 0) void'(ar_beats.pop_front());
        end
      end
    end
  end
  /* verilator lint_on BLKSEQ */
  `undef TESSEL_AXI_FAIL
`else
  assign fired = '0;
`endif
endmodule
