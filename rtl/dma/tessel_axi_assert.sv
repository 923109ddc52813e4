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
  /// Byte address bits.
  parameter int unsigned AddrWidth = tessel_dma_pkg::AddrWidth,
  /// The bus halves (tessel_axi_typedef.svh); a read-only or write-only master gives the
  /// other half any bus's types (the configured bus's by default) and ties it to 0.
  parameter type wr_req_t = tessel_dma_pkg::axi_wr_req_t,
  parameter type wr_resp_t = tessel_dma_pkg::axi_wr_resp_t,
  parameter type rd_req_t = tessel_dma_pkg::axi_rd_req_t,
  parameter type rd_resp_t = tessel_dma_pkg::axi_rd_resp_t
) (
  input logic     clk_i,
  input logic     rst_i,
  input wr_req_t  wr_req_i,
  input wr_resp_t wr_resp_i,
  input rd_req_t  rd_req_i,
  input rd_resp_t rd_resp_i
);
  localparam int unsigned NumRules = 14;
  localparam tessel_axi_pkg::burst_t BurstIncr = tessel_axi_pkg::BurstIncr;

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
  function automatic logic crosses_4k(logic [AddrWidth-1:0] addr, tessel_axi_pkg::len_t len,
                                      tessel_axi_pkg::size_t size);
    logic [63:0] first, last;
    first = 64'(addr);
    last  = ((first >> size) << size) + ((64'(len) + 64'd1) << size) - 64'd1;
    return (first >> 12) != (last >> 12);
  endfunction

  aw_valid_held: assert property (@(posedge clk_i) disable iff (rst_i)
      (wr_req_i.aw_valid && !wr_resp_i.aw_ready) |=> wr_req_i.aw_valid)
    else `TESSEL_AXI_FAIL(aw_held_q, "AWVALID dropped before AWREADY")
  aw_payload_stable: assert property (@(posedge clk_i) disable iff (rst_i)
      (wr_req_i.aw_valid && !wr_resp_i.aw_ready) |=> $stable(wr_req_i.aw))
    else `TESSEL_AXI_FAIL(aw_stable_q, "AW payload changed while AWVALID and not AWREADY")
  w_valid_held: assert property (@(posedge clk_i) disable iff (rst_i)
      (wr_req_i.w_valid && !wr_resp_i.w_ready) |=> wr_req_i.w_valid)
    else `TESSEL_AXI_FAIL(w_held_q, "WVALID dropped before WREADY")
  w_payload_stable: assert property (@(posedge clk_i) disable iff (rst_i)
      (wr_req_i.w_valid && !wr_resp_i.w_ready) |=> $stable(wr_req_i.w))
    else `TESSEL_AXI_FAIL(w_stable_q, "W payload changed while WVALID and not WREADY")
  ar_valid_held: assert property (@(posedge clk_i) disable iff (rst_i)
      (rd_req_i.ar_valid && !rd_resp_i.ar_ready) |=> rd_req_i.ar_valid)
    else `TESSEL_AXI_FAIL(ar_held_q, "ARVALID dropped before ARREADY")
  ar_payload_stable: assert property (@(posedge clk_i) disable iff (rst_i)
      (rd_req_i.ar_valid && !rd_resp_i.ar_ready) |=> $stable(rd_req_i.ar))
    else `TESSEL_AXI_FAIL(ar_stable_q, "AR payload changed while ARVALID and not ARREADY")
  aw_no_4k_crossing: assert property (@(posedge clk_i) disable iff (rst_i)
      (wr_req_i.aw_valid && wr_req_i.aw.burst == BurstIncr) |->
      !crosses_4k(wr_req_i.aw.addr, wr_req_i.aw.len, wr_req_i.aw.size))
    else `TESSEL_AXI_FAIL(aw_4k_q, "write burst crosses a 4 KB boundary")
  ar_no_4k_crossing: assert property (@(posedge clk_i) disable iff (rst_i)
      (rd_req_i.ar_valid && rd_req_i.ar.burst == BurstIncr) |->
      !crosses_4k(rd_req_i.ar.addr, rd_req_i.ar.len, rd_req_i.ar.size))
    else `TESSEL_AXI_FAIL(ar_4k_q, "read burst crosses a 4 KB boundary")
  b_valid_held: assert property (@(posedge clk_i) disable iff (rst_i)
      (wr_resp_i.b_valid && !wr_req_i.b_ready) |=> wr_resp_i.b_valid)
    else `TESSEL_AXI_FAIL(b_held_q, "BVALID dropped before BREADY")
  b_payload_stable: assert property (@(posedge clk_i) disable iff (rst_i)
      (wr_resp_i.b_valid && !wr_req_i.b_ready) |=> $stable(wr_resp_i.b))
    else `TESSEL_AXI_FAIL(b_stable_q, "B payload changed while BVALID and not BREADY")
  r_valid_held: assert property (@(posedge clk_i) disable iff (rst_i)
      (rd_resp_i.r_valid && !rd_req_i.r_ready) |=> rd_resp_i.r_valid)
    else `TESSEL_AXI_FAIL(r_held_q, "RVALID dropped before RREADY")
  r_payload_stable: assert property (@(posedge clk_i) disable iff (rst_i)
      (rd_resp_i.r_valid && !rd_req_i.r_ready) |=> $stable(rd_resp_i.r))
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
      if (wr_req_i.aw_valid && wr_resp_i.aw_ready) aw_beats.push_back(int'(wr_req_i.aw.len) + 1);
      if (wr_req_i.w_valid && wr_resp_i.w_ready) begin
        w_count++;
        if (wr_req_i.w.last) begin
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
      if (rd_req_i.ar_valid && rd_resp_i.ar_ready) ar_beats.push_back(int'(rd_req_i.ar.len) + 1);
      if (rd_resp_i.r_valid && rd_req_i.r_ready) begin
        r_count++;
        r_burst_length: assert (ar_beats.size() > 0 &&
                                (rd_resp_i.r.last ? r_count == ar_beats[0] : r_count < ar_beats[0]))
          else `TESSEL_AXI_FAIL(r_len_q, "RLAST not on beat ARLEN + 1, or R without AR")
        if (rd_resp_i.r.last) begin
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
