// The weight masters' share of a tile: on kick_i each of the WeightPorts masters gets its run of
// the tile's weight words, runs of ceil(words / WeightPorts) with the last one shorter or empty.
// A loader per master writes its words into the weight buffer (the lowest-numbered waiting word
// first) and a check sum per master adds up what it read; busy_o holds until every master's
// loader has written its last word.
`include "tessel_assert.svh"

module tessel_ctrl_wt_split
  import tessel_config_pkg::*;
  import tessel_desc_pkg::*;
  import tessel_dma_pkg::*;
#(
  /// Weight read masters (at least one).
  parameter int unsigned WeightPorts = 1,
  /// Output channels per weight word (beats per word).
  parameter int unsigned KP = ArrayKP,
  /// Bytes per bus beat.
  parameter int unsigned CP = ArrayCP,
  localparam int unsigned WP = WeightPorts,
  localparam int unsigned BeatBits = CP * 8
) (
  input  logic                       clk_i,
  input  logic                       rst_i,
  input  logic                       stop_i,        // the run failed: issue nothing more
  // The tile's weights, sampled on kick_i.
  input  logic                       kick_i,
  input  logic [AddrWidth-1:0]       addr_i,        // the layer's first weight byte
  input  logic [31:0]                offset_i,      // the tile's first weight byte after addr_i
  input  logic [31:0]                words_i,       // weight words of the tile
  input  logic [31:0]                first_beat_i,  // the tile's first beat among the layer's
  input  logic [WeightAddrWidth-1:0] base_i,        // the tile's first weight-buffer word
  output logic                       busy_o,
  output logic                       loading_o,     // a loader is writing words
  output logic [31:0]                sum_o,         // check sum of the beats read so far
  // The masters.
  output dma_rd_req_t [WP-1:0]       wm_req_o,
  input  dma_rd_resp_t [WP-1:0]      wm_resp_i,
  // The weight buffer's write port.
  output logic                       wt_wr_valid_o,
  output logic [WeightAddrWidth-1:0] wt_wr_addr_o,
  output logic [KP*CP*8-1:0]         wt_wr_data_o
);
  logic [WP-1:0]     pending_q, pending_d, cmd_ready, loader_busy, loader_valid, grant;
  dma_cmd_t [WP-1:0] cmd_q, cmd_d;
  logic [WP-1:0][WeightAddrWidth-1:0] base_q, base_d, loader_addr;
  logic [WP-1:0][KP*CP*8-1:0] loader_data;
  logic [WP-1:0][31:0] sums;
  wire [31:0] run = (words_i + WP - 1) / WP;

  always_comb begin
    pending_d = pending_q & ~cmd_ready;
    cmd_d     = cmd_q;
    base_d    = base_q;
    for (int p = 0; p < WP; p++) begin
      logic [31:0] first, count;
      first = 32'(p) * run;
      count = (first >= words_i) ? 32'd0 : (words_i - first < run) ? words_i - first : run;
      if (kick_i) begin
        pending_d[p]       = count != 0;
        cmd_d[p]           = '0;  // one row
        cmd_d[p].addr      = addr_i + AddrWidth'(offset_i + first * KP * CP);
        cmd_d[p].row_bytes = $bits(cmd_d[p].row_bytes)'(count * KP * CP);
        cmd_d[p].rows      = $bits(cmd_d[p].rows)'(1);
        cmd_d[p].planes    = $bits(cmd_d[p].planes)'(1);
        base_d[p]          = WeightAddrWidth'(32'(base_i) + first);
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      pending_q <= '0;
    end else begin
      pending_q <= pending_d;
      cmd_q     <= cmd_d;
      base_q    <= base_d;
    end
  end

  always_comb begin
    sum_o = '0;
    for (int p = 0; p < WP; p++) sum_o += sums[p];
  end
  for (genvar p = 0; p < WP; p++) begin : gen_loader
    assign wm_req_o[p].cmd_valid = pending_q[p] && !stop_i;
    assign wm_req_o[p].cmd       = cmd_q[p];
    assign cmd_ready[p]          = wm_resp_i[p].cmd_ready;
    tessel_beat_check #(.DataBits(BeatBits)) u_check (
      .clk_i, .start_i (kick_i), .index_i (first_beat_i + 32'(p) * run * KP),
      .valid_i (wm_resp_i[p].valid && wm_req_o[p].ready), .data_i (wm_resp_i[p].data),
      .sum_o (sums[p])
    );
    tessel_ctrl_wt_loader #(.CP(CP), .KP(KP)) u_wt_loader (
      .clk_i, .rst_i,
      .start_i (wm_req_o[p].cmd_valid && cmd_ready[p]), .base_i (base_q[p]),
      .busy_o (loader_busy[p]),
      .rd_valid_i (wm_resp_i[p].valid), .rd_ready_o (wm_req_o[p].ready),
      .rd_data_i (wm_resp_i[p].data), .rd_last_i (wm_resp_i[p].last),
      .wr_valid_o (loader_valid[p]), .wr_ready_i (grant[p]), .wr_addr_o (loader_addr[p]),
      .wr_data_o (loader_data[p])
    );
  end

  // The weight buffer's write port: the lowest-numbered waiting word goes first.
  always_comb begin
    grant = '0;
    wt_wr_valid_o = 1'b0;
    wt_wr_addr_o  = loader_addr[0];
    wt_wr_data_o  = loader_data[0];
    for (int p = WP - 1; p >= 0; p--) begin
      if (loader_valid[p]) begin
        grant = WP'(1) << p;
        wt_wr_valid_o = 1'b1;
        wt_wr_addr_o  = loader_addr[p];
        wt_wr_data_o  = loader_data[p];
      end
    end
  end
  logic unused_bytes;  // a weight run is whole beats: every beat is full
  always_comb begin
    unused_bytes = 1'b0;
    for (int p = 0; p < WP; p++) unused_bytes ^= ^wm_resp_i[p].bytes;
  end
  assign loading_o = |loader_busy;
  assign busy_o    = (|pending_q) || loading_o;

  `TESSEL_COVER(ctrl_weight_words_wait, (|(loader_valid & ~grant)))
endmodule
