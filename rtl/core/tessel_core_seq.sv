// Tile sequencer: walks one tile's loops and issues one array step per cycle.
//
//   for kg < kgroups:            output channel group (conv) / channel group (pooling)
//     for oy < oh:               output row of the tile
//       for xg < ceil(ow/cols):  group of `cols` output pixels in that row
//         pass: for ky < kh, kx < kw, g < groups (conv; pooling reads group kg only)
//
// A step names the weight word and, per output column, the image coordinates of the input
// word to read. `first`/`last` mark a pass; `last` carries the block's place in the tile.
`include "tessel_assert.svh"

module tessel_core_seq
  import tessel_config_pkg::*;
  import tessel_desc_pkg::*;
#(
  /// Output pixels per pass (DPE columns).
  parameter int unsigned YP = ArrayYP,
  /// Output channels per group (DPE rows).
  parameter int unsigned KP = ArrayKP,
  /// Reduction lanes per DPE.
  parameter int unsigned CP = ArrayCP,
  /// Bits of a step's busy-lane count (at most YP * KP * CP).
  localparam int unsigned LaneWidth = $clog2(YP * KP * CP + 1)
) (
  input  logic        clk_i,
  input  logic        rst_i,
  input  logic        start_i,        // take desc_i and begin (only when idle)
  input  tile_desc_t  desc_i,
  output logic        busy_o,         // steps remain to be issued
  input  logic        issue_ok_i,     // downstream has room for the block of a pass

  output logic        step_valid_o,
  output logic        step_first_o,   // first step of a pass: clear accumulators
  output logic        step_last_o,    // last step of a pass: emit the block
  output logic [WeightAddrWidth-1:0] step_wt_addr_o,
  output logic [9:0]  step_group_o,   // activation channel group to read
  output logic signed [13:0] step_y_o,   // image row of the input word (all columns)
  output logic signed [13:0] step_x0_o,  // image column for column 0; column i adds i * sx
  output logic [YP-1:0] step_cols_o,  // columns holding a real output pixel
  output logic [9:0]  step_kg_o,      // block tag: output channel group
  output logic [11:0] step_oy_o,      // block tag: output row within the tile
  output logic [11:0] step_ox_o,      // block tag: output column of column 0 within the tile
  output logic [LaneWidth-1:0] step_lanes_o  // busy MAC lanes in this step (conv), for utilization
);
  tile_desc_t d_q;
  logic running_q;
  logic [9:0]  kg_q, g_q;
  logic [11:0] oy_q, xg_q, xgroups_q;
  logic [7:0]  ky_q, kx_q;
  logic [WeightAddrWidth-1:0] wt_ptr_q, wt_kg_base_q;
  logic [WeightAddrWidth-1:0] pass_words_q;  // weight words per output group: kh * kw * groups

  wire is_conv   = (d_q.op == OpConv);
  wire last_g    = !is_conv || (g_q == d_q.groups - 10'd1);
  wire last_kx   = (kx_q == d_q.kw - 8'd1);
  wire last_ky   = (ky_q == d_q.kh - 8'd1);
  wire last_step = last_g && last_kx && last_ky;
  wire last_xg   = (xg_q == xgroups_q - 12'd1);
  wire last_oy   = (oy_q == d_q.oh - 12'd1);
  wire last_kg   = (kg_q == d_q.kgroups - 10'd1);
  wire advance   = running_q && issue_ok_i;

  assign busy_o = running_q;

  // Pixels of this group that exist: column i is output column xg * cols + i < ow.
  logic [YP-1:0] cols_mask;
  always_comb begin
    for (int unsigned i = 0; i < YP; i++) begin
      cols_mask[i] = (i < 32'(d_q.cols)) &&
                     (32'(xg_q) * 32'(d_q.cols) + i < 32'(d_q.ow));
    end
  end

  // Busy lanes: real pixels x real output channels x real input channels of this step.
  logic [LaneWidth-1:0] lanes;
  always_comb begin
    int unsigned n_cols;
    n_cols = 0;
    for (int unsigned i = 0; i < YP; i++) n_cols += int'(cols_mask[i]);
    lanes = is_conv ? LaneWidth'(n_cols * (last_kg ? 32'(d_q.k_last) : KP) *
                                 (last_g ? 32'(d_q.c_last) : CP)) : '0;
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      running_q    <= 1'b0;
      step_valid_o <= 1'b0;
    end else begin
      step_valid_o <= advance;
      if (start_i && !running_q) begin
        d_q          <= desc_i;
        running_q    <= 1'b1;
        kg_q <= '0; oy_q <= '0; xg_q <= '0; ky_q <= '0; kx_q <= '0; g_q <= '0;
        xgroups_q    <= 12'((32'(desc_i.ow) + 32'(desc_i.cols) - 1) / 32'(desc_i.cols));
        pass_words_q <= WeightAddrWidth'(32'(desc_i.kh) * 32'(desc_i.kw) * 32'(desc_i.groups));
        wt_ptr_q     <= desc_i.wt_base;
        wt_kg_base_q <= desc_i.wt_base;
      end else if (advance) begin
        // Innermost first: group, then kernel column, kernel row; then pixels, rows, groups.
        if (!last_g) begin
          g_q <= g_q + 10'd1;
        end else begin
          g_q <= '0;
          if (!last_kx) begin
            kx_q <= kx_q + 8'd1;
          end else begin
            kx_q <= '0;
            if (!last_ky) begin
              ky_q <= ky_q + 8'd1;
            end else begin
              ky_q <= '0;
              if (!last_xg) begin
                xg_q <= xg_q + 12'd1;
              end else begin
                xg_q <= '0;
                if (!last_oy) begin
                  oy_q <= oy_q + 12'd1;
                end else begin
                  oy_q <= '0;
                  if (!last_kg) begin
                    kg_q <= kg_q + 10'd1;
                  end else begin
                    running_q <= 1'b0;
                  end
                end
              end
            end
          end
        end
        // Weights of one output group are read in pass order, once per pixel group.
        if (last_step && last_xg && last_oy) begin
          wt_kg_base_q <= wt_kg_base_q + pass_words_q;
          wt_ptr_q     <= wt_kg_base_q + pass_words_q;
        end else if (last_step) begin
          wt_ptr_q <= wt_kg_base_q;
        end else if (is_conv) begin
          wt_ptr_q <= wt_ptr_q + 1'b1;
        end
      end
    end
  end

  // Step outputs, registered.
  always_ff @(posedge clk_i) begin
    if (advance) begin
      step_first_o   <= (g_q == '0 || !is_conv) && kx_q == '0 && ky_q == '0;
      step_last_o    <= last_step;
      step_wt_addr_o <= wt_ptr_q;
      step_group_o   <= is_conv ? g_q : kg_q;
      step_y_o       <= 14'(signed'(32'(d_q.oy0) + 32'(oy_q)) * signed'(32'(d_q.sy))
                        + signed'(32'(ky_q)) - signed'(32'(d_q.py)));
      step_x0_o      <= 14'(signed'(32'(d_q.ox0) + 32'(xg_q) * 32'(d_q.cols)) * signed'(32'(d_q.sx))
                        + signed'(32'(kx_q)) - signed'(32'(d_q.px)));
      step_cols_o    <= cols_mask;
      step_kg_o      <= kg_q;
      step_oy_o      <= oy_q;
      step_ox_o      <= 12'(32'(xg_q) * 32'(d_q.cols));
      step_lanes_o   <= lanes;
    end
  end

  `TESSEL_ASSERT(seq_start_when_idle, start_i |-> !running_q)
endmodule
