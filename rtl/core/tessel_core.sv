// The compute core: buffers, tile sequencer, DPE array, pooling unit and post-processing.
// It runs one tile (tessel_desc_pkg::tile_desc_t) on data already in its buffers and writes
// uint8 words to its output buffer; done_o pulses when the last word is written. Loading the
// buffers and draining the output buffer are the tiling controller's job (write/read ports).
//
//   seq --step--> act buffer --words--> DPE array --blocks--> FIFO --> PPU --> output buffer
//       \--weight address--> weight buffer --^     pool unit --^        ^-- params, residual
`include "tessel_assert.svh"

module tessel_core
  import tessel_config_pkg::*;
  import tessel_desc_pkg::*;
#(
  /// Output channels per cycle (DPE rows).
  parameter int unsigned KP = ArrayKP,
  /// Output pixels per cycle (DPE columns).
  parameter int unsigned YP = ArrayYP,
  /// Reduction lanes per DPE.
  parameter int unsigned CP = ArrayCP,
  /// Two int8 multiplies per DSP.
  parameter bit DspPacking = ArrayDspPacking,
  /// Pixels the PPU finishes per cycle (output/residual banks).
  parameter int unsigned PP = PpuPixels,
  localparam int unsigned ActBanks = act_banks(YP),
  localparam int unsigned ActBankBits = $clog2(ActBanks),
  localparam int unsigned OutBankBits = (PP > 1) ? $clog2(PP) : 1
) (
  input  logic clk_i,
  input  logic rst_i,
  // One tile.
  input  logic        start_i,
  input  tile_desc_t  desc_i,
  output logic        busy_o,
  output logic        done_o,
  // Buffer loading.
  input  logic                        act_wr_valid_i,
  input  logic [ActBankBits-1:0]      act_wr_bank_i,
  input  logic [ActAddrWidth-1:0]     act_wr_addr_i,
  input  logic [CP*8-1:0]             act_wr_data_i,
  input  logic                        wt_wr_valid_i,
  input  logic [WeightAddrWidth-1:0]  wt_wr_addr_i,
  input  logic [KP*CP*8-1:0]          wt_wr_data_i,
  input  logic                        param_wr_valid_i,
  input  logic [ParamAddrWidth-1:0]   param_wr_addr_i,
  input  param_chan_t [KP-1:0]        param_wr_data_i,
  input  logic                        res_wr_valid_i,
  input  logic [OutBankBits-1:0]      res_wr_bank_i,
  input  logic [OutAddrWidth-1:0]     res_wr_addr_i,
  input  logic [KP*8-1:0]             res_wr_data_i,
  // Output buffer read port (registered, 1 cycle).
  input  logic                        out_rd_en_i,
  input  logic [OutBankBits-1:0]      out_rd_bank_i,
  input  logic [OutAddrWidth-1:0]     out_rd_addr_i,
  output logic [KP*8-1:0]             out_rd_data_o,
  // Performance: cycles with a tile in progress, and busy MAC lanes summed over them.
  output logic [63:0]                 cycles_o,
  output logic [63:0]                 mac_lanes_o
);
  if (KP != CP) begin : gen_bad_kp
    $error("%m: KP (%0d) must equal CP (%0d): an output word is one pixel's channels", KP, CP);
  end
  if (YP % PP != 0) begin : gen_bad_pp
    $error("%m: YP (%0d) must be a multiple of PP (%0d)", YP, PP);
  end

  localparam int unsigned FifoDepth = 8;
  localparam int unsigned TagWidth = 10 + 12 + 12 + YP;

  tile_desc_t desc_q;
  logic       active_q;

  // ---- sequencer ---------------------------------------------------------------------------
  logic step_valid, step_first, step_last, seq_busy, issue_ok;
  logic [WeightAddrWidth-1:0] step_wt_addr;
  logic [9:0]  step_group, step_kg;
  logic signed [13:0] step_y, step_x0;
  logic [YP-1:0] step_cols;
  logic [11:0] step_oy, step_ox;
  logic [$clog2(YP * KP * CP + 1)-1:0] step_lanes;

  tessel_core_seq #(.YP(YP), .KP(KP), .CP(CP)) u_seq (
    .clk_i, .rst_i,
    .start_i       (start_i && !active_q),
    .desc_i        (desc_i),
    .busy_o        (seq_busy),
    .issue_ok_i    (issue_ok),
    .step_valid_o  (step_valid),
    .step_first_o  (step_first),
    .step_last_o   (step_last),
    .step_wt_addr_o(step_wt_addr),
    .step_group_o  (step_group),
    .step_y_o      (step_y),
    .step_x0_o     (step_x0),
    .step_cols_o   (step_cols),
    .step_kg_o     (step_kg),
    .step_oy_o     (step_oy),
    .step_ox_o     (step_ox),
    .step_lanes_o  (step_lanes)
  );

  // ---- operands: activations (3-cycle latency) and weights (aligned to it) ------------------
  logic [YP-1:0][CP*8-1:0] act_words;
  tessel_act_buffer #(.YP(YP), .CP(CP)) u_act (
    .clk_i, .rst_i,
    .wr_valid_i (act_wr_valid_i),
    .wr_bank_i  (act_wr_bank_i),
    .wr_addr_i  (act_wr_addr_i),
    .wr_data_i  (act_wr_data_i),
    .desc_i     (desc_q),
    .rd_valid_i (step_valid),
    .rd_group_i (step_group),
    .rd_y_i     (step_y),
    .rd_x0_i    (step_x0),
    .rd_cols_i  (step_cols),
    .rd_words_o (act_words)
  );

  logic [KP*CP*8-1:0] wt_word, wt_word_q, wt_word_q2;
  tessel_sdp_ram #(.Width(KP * CP * 8), .Depth(BuffersWeightWords)) u_weights (
    .clk_i,
    .wr_en_i   (wt_wr_valid_i),
    .wr_addr_i (wt_wr_addr_i),
    .wr_data_i (wt_wr_data_i),
    .rd_en_i   (step_valid && desc_q.op == OpConv),
    .rd_addr_i (step_wt_addr),
    .rd_data_o (wt_word)
  );
  always_ff @(posedge clk_i) begin
    wt_word_q  <= wt_word;
    wt_word_q2 <= wt_word_q;
  end

  logic [2:0] op_valid_q, op_first_q, op_last_q;  // the step's control, 3 cycles late
  always_ff @(posedge clk_i) begin
    if (rst_i) op_valid_q <= '0;
    else       op_valid_q <= {op_valid_q[1:0], step_valid};
    op_first_q <= {op_first_q[1:0], step_first};
    op_last_q  <= {op_last_q[1:0], step_last};
  end

  // ---- the two producers of blocks ----------------------------------------------------------
  logic array_valid, pool_valid;
  logic [YP-1:0][KP-1:0][31:0] array_block, pool_block;

  tessel_dpe_array #(.KP(KP), .YP(YP), .CP(CP), .DspPacking(DspPacking)) u_array (
    .clk_i, .rst_i,
    .valid_i       (op_valid_q[2] && desc_q.op == OpConv),
    .first_i       (op_first_q[2]),
    .last_i        (op_last_q[2]),
    .weights_i     (wt_word_q2),
    .acts_i        (act_words),
    .block_valid_o (array_valid),
    .block_o       (array_block)
  );

  tessel_pool_unit #(.YP(YP), .CP(CP)) u_pool (
    .clk_i, .rst_i,
    .valid_i       (op_valid_q[2] && desc_q.op != OpConv),
    .first_i       (op_first_q[2]),
    .last_i        (op_last_q[2]),
    .average_i     (desc_q.op == OpAvgPool),
    .zero_i        (desc_q.pad_value),
    .acts_i        (act_words),
    .block_valid_o (pool_valid),
    .block_o       (pool_block)
  );

  // ---- blocks wait for the PPU with their place in the tile ----------------------------------
  // Tags are queued when a pass is issued and joined to its block when the block appears.
  logic [TagWidth-1:0] tag_out;
  logic tag_valid;
  tessel_fifo #(.Width(TagWidth), .Depth(FifoDepth + 8)) u_tags (
    .clk_i, .rst_i,
    .in_valid_i  (step_valid && step_last),
    .in_ready_o  (),
    .in_data_i   ({step_kg, step_oy, step_ox, step_cols}),
    .out_valid_o (tag_valid),
    .out_ready_i (array_valid || pool_valid),
    .out_data_o  (tag_out),
    .count_o     ()
  );

  logic block_push, block_valid, block_ready;
  logic [YP*KP*32+TagWidth-1:0] block_entry;
  logic [$clog2(FifoDepth+1)-1:0] block_count;
  assign block_push = array_valid || pool_valid;
  tessel_fifo #(.Width(YP * KP * 32 + TagWidth), .Depth(FifoDepth)) u_blocks (
    .clk_i, .rst_i,
    .in_valid_i  (block_push),
    .in_ready_o  (),
    .in_data_i   ({array_valid ? array_block : pool_block, tag_out}),
    .out_valid_o (block_valid),
    .out_ready_i (block_ready),
    .out_data_o  (block_entry),
    .count_o     (block_count)
  );

  // Passes in flight (issued, block not yet queued) plus queued blocks never exceed the
  // FIFO; two spare places cover the cycle the sequencer's decision takes to show.
  logic [7:0] inflight_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) inflight_q <= '0;
    else inflight_q <= inflight_q + 8'(step_valid && step_last) - 8'(block_push);
  end
  assign issue_ok = 32'(block_count) + 32'(inflight_q) + 2 < FifoDepth;

  // ---- post-processing, parameters, residual and output buffers ------------------------------
  logic param_rd_en, res_rd_en, ppu_idle;
  logic [ParamAddrWidth-1:0] param_rd_addr;
  param_chan_t [KP-1:0] param_word;
  logic [OutAddrWidth-1:0] res_rd_addr, out_wr_addr;
  logic [PP-1:0][KP*8-1:0] res_words, out_words;
  logic [PP-1:0] out_wr_en;

  tessel_ppu #(.KP(KP), .YP(YP), .PP(PP)) u_ppu (
    .clk_i, .rst_i,
    .clear_i         (start_i && !active_q),
    .desc_i          (desc_q),
    .in_valid_i      (block_valid),
    .in_ready_o      (block_ready),
    .in_block_i      (block_entry[TagWidth +: YP*KP*32]),
    .in_kg_i         (block_entry[TagWidth-1 -: 10]),
    .in_oy_i         (block_entry[TagWidth-11 -: 12]),
    .in_ox_i         (block_entry[TagWidth-23 -: 12]),
    .in_cols_i       (block_entry[YP-1:0]),
    .param_rd_en_o   (param_rd_en),
    .param_rd_addr_o (param_rd_addr),
    .param_rd_data_i (param_word),
    .res_rd_en_o     (res_rd_en),
    .res_rd_addr_o   (res_rd_addr),
    .res_rd_data_i   (res_words),
    .out_wr_en_o     (out_wr_en),
    .out_wr_addr_o   (out_wr_addr),
    .out_wr_data_o   (out_words),
    .block_done_o    (),
    .idle_o          (ppu_idle)
  );

  tessel_sdp_ram #(.Width(KP * $bits(param_chan_t)), .Depth(BuffersParamWords)) u_params (
    .clk_i,
    .wr_en_i   (param_wr_valid_i),
    .wr_addr_i (param_wr_addr_i),
    .wr_data_i (param_wr_data_i),
    .rd_en_i   (param_rd_en),
    .rd_addr_i (param_rd_addr),
    .rd_data_o (param_word)
  );

  logic [PP-1:0][KP*8-1:0] out_rd_words;
  logic [OutBankBits-1:0]  out_rd_bank_q;
  for (genvar q = 0; q < PP; q++) begin : gen_out_bank
    tessel_sdp_ram #(.Width(KP * 8), .Depth(BuffersOutBankWords)) u_res (
      .clk_i,
      .wr_en_i   (res_wr_valid_i && (PP == 1 || res_wr_bank_i == OutBankBits'(q))),
      .wr_addr_i (res_wr_addr_i),
      .wr_data_i (res_wr_data_i),
      .rd_en_i   (res_rd_en),
      .rd_addr_i (res_rd_addr),
      .rd_data_o (res_words[q])
    );
    tessel_sdp_ram #(.Width(KP * 8), .Depth(BuffersOutBankWords)) u_out (
      .clk_i,
      .wr_en_i   (out_wr_en[q]),
      .wr_addr_i (out_wr_addr),
      .wr_data_i (out_words[q]),
      .rd_en_i   (out_rd_en_i && (PP == 1 || out_rd_bank_i == OutBankBits'(q))),
      .rd_addr_i (out_rd_addr_i),
      .rd_data_o (out_rd_words[q])
    );
  end
  always_ff @(posedge clk_i) out_rd_bank_q <= out_rd_bank_i;
  assign out_rd_data_o = out_rd_words[PP == 1 ? 0 : int'(out_rd_bank_q)];

  // ---- tile lifetime and counters ------------------------------------------------------------
  wire finished = active_q && !seq_busy && !step_valid && op_valid_q == '0 && inflight_q == '0
                  && !block_valid && ppu_idle;
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      active_q    <= 1'b0;
      done_o      <= 1'b0;
      cycles_o    <= '0;
      mac_lanes_o <= '0;
    end else begin
      done_o <= 1'b0;
      if (start_i && !active_q) begin
        active_q <= 1'b1;
        desc_q   <= desc_i;
      end else if (finished) begin
        active_q <= 1'b0;
        done_o   <= 1'b1;
      end
      if (active_q) cycles_o <= cycles_o + 64'd1;
      if (step_valid) mac_lanes_o <= mac_lanes_o + 64'(step_lanes);
    end
  end
  assign busy_o = active_q;

  `TESSEL_ASSERT(core_tags_match_blocks, block_push |-> tag_valid)
  `TESSEL_ASSERT(core_block_fifo_never_full, block_push |-> 32'(block_count) < FifoDepth)

  // The PPU paces short passes (the cost model's max(steps, PPU cycles)): the sequencer
  // holds issue while blocks wait, and blocks queue up behind a busy PPU.
  `TESSEL_COVER(core_issue_held_for_ppu, seq_busy && !issue_ok)
  `TESSEL_COVER(core_blocks_queue_behind_ppu, block_valid && !block_ready && block_count > 1)
endmodule
