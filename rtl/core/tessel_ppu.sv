// Post-processing unit: turns blocks of int32 sums (YP pixels x KP channels) into uint8
// output words, PP pixels per cycle, and writes them to the output buffer.
//
// Stage A  conv:     sat(round_shift((acc + bias[k]) * M[k], S[k]) + z)          (requantize)
//          avg pool: exact round-half-even of sum / area via a reciprocal the compiler
//                    checked, + z                                               (divide)
//          max pool: the code itself                                             (pass)
// Stage B  (b_en):   sat(round_shift((x - zx) * (x >= zx ? Mpos : Mneg)
//                                    + (u - zu) * Mu + B, S) + z)               (elementwise)
//          x is stage A's output, u the residual buffer's word (res_en) or zu.
// docs/quantization.md defines the arithmetic; every lane computes exactly that.
`include "tessel_assert.svh"

module tessel_ppu
  import tessel_config_pkg::*;
  import tessel_desc_pkg::*;
  import tessel_arith_pkg::*;
#(
  /// Channels per block (and per output word).
  parameter int unsigned KP = ArrayKP,
  /// Pixels per block.
  parameter int unsigned YP = ArrayYP,
  /// Pixels finished per cycle.
  parameter int unsigned PP = PpuPixels
) (
  input  logic clk_i,
  input  logic rst_i,
  input  logic clear_i,  // a new tile starts: its parameters are not loaded yet
  input  tile_desc_t desc_i,
  // Blocks in.
  input  logic                        in_valid_i,
  output logic                        in_ready_o,
  input  logic [YP-1:0][KP-1:0][31:0] in_block_i,
  input  logic [9:0]                  in_kg_i,
  input  logic [11:0]                 in_oy_i,
  input  logic [11:0]                 in_ox_i,    // first column of the block (a multiple of PP)
  input  logic [YP-1:0]               in_cols_i,  // real pixels (a prefix)
  // Parameters of one output channel group (registered read, 1 cycle).
  output logic                        param_rd_en_o,
  output logic [ParamAddrWidth-1:0]   param_rd_addr_o,
  input  param_chan_t [KP-1:0]        param_rd_data_i,
  // Residual words (registered read, 1 cycle), one bank per pixel of a cycle.
  output logic                        res_rd_en_o,
  output logic [OutAddrWidth-1:0]     res_rd_addr_o,
  input  logic [PP-1:0][KP*8-1:0]     res_rd_data_i,
  // Output words.
  output logic [PP-1:0]               out_wr_en_o,
  output logic [OutAddrWidth-1:0]     out_wr_addr_o,
  output logic [PP-1:0][KP*8-1:0]     out_wr_data_o,
  output logic                        block_done_o,  // a block's last words are written
  output logic                        idle_o         // nothing in flight
);
  localparam int unsigned Chunks = YP / PP;
  localparam int unsigned Depth = 5;  // emit + 4 register stages

  // ---- control: load parameters when the channel group changes, walk the block ---------
  // A block is emitted PP pixels per cycle from the cycle it appears (no bubble between
  // blocks). Parameters of a new channel group are loaded once the blocks still in flight,
  // which need the old ones, have left the pipeline.
  param_chan_t [KP-1:0] params_q;
  logic [9:0]  params_kg_q;
  logic        params_valid_q, loading_q;
  logic [$clog2(Chunks+1)-1:0] chunk_q, chunks_needed;
  logic [Depth-1:0] busy_pipe_q;

  always_comb begin
    int unsigned n;
    n = 0;
    for (int unsigned i = 0; i < YP; i++) n += int'(in_cols_i[i]);
    chunks_needed = $bits(chunks_needed)'((n + PP - 1) / PP);
  end

  wire params_ok  = params_valid_q && params_kg_q == in_kg_i;
  wire emit       = in_valid_i && params_ok && !loading_q;
  wire last_chunk = emit && chunk_q == chunks_needed - 1'b1;
  wire load       = in_valid_i && !params_ok && !loading_q && busy_pipe_q == '0;
  assign in_ready_o      = last_chunk;
  assign idle_o          = !in_valid_i && !loading_q && busy_pipe_q == '0;
  assign param_rd_en_o   = load;
  assign param_rd_addr_o = desc_i.param_base + ParamAddrWidth'(in_kg_i);

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      params_valid_q <= 1'b0;
      loading_q      <= 1'b0;
      chunk_q        <= '0;
    end else begin
      loading_q <= load;
      if (load || clear_i) params_valid_q <= 1'b0;
      if (loading_q) begin  // the read issued last cycle returns now
        params_q       <= param_rd_data_i;
        params_kg_q    <= in_kg_i;
        params_valid_q <= 1'b1;
      end
      if (emit) chunk_q <= last_chunk ? '0 : chunk_q + 1'b1;
    end
  end

  // ---- E0: pick the chunk's pixels; address its words ----------------------------------
  logic [PP-1:0][KP-1:0][31:0] e0_vals;
  logic [PP-1:0]               e0_pix;
  logic [OutAddrWidth-1:0]     e0_addr;
  always_comb begin
    for (int unsigned q = 0; q < PP; q++) begin
      e0_vals[q] = in_block_i[int'(chunk_q) * PP + q];
      e0_pix[q]  = emit && in_cols_i[int'(chunk_q) * PP + q];
    end
    e0_addr = OutAddrWidth'((int'(in_kg_i) * int'(desc_i.oh) + int'(in_oy_i)) * int'(desc_i.out_wb)
                            + (int'(in_ox_i) / PP) + int'(chunk_q));
  end
  assign res_rd_en_o   = emit && desc_i.res_en;
  assign res_rd_addr_o = desc_i.res_base + e0_addr;

  // ---- E1: stage A products --------------------------------------------------------------
  // Element selects of packed arrays are unsigned: arithmetic reads them through signed'().
  logic [PP-1:0][KP-1:0][W-1:0]        e1_prod, e1_num;
  logic [PP-1:0][KP-1:0][7:0]          e1_code;
  logic [PP-1:0]                       e1_pix;
  logic [OutAddrWidth-1:0]             e1_addr;
  logic                                e1_last;
  always_ff @(posedge clk_i) begin
    for (int unsigned q = 0; q < PP; q++) begin
      for (int unsigned k = 0; k < KP; k++) begin
        logic signed [W-1:0] v, n;
        v = W'(signed'(e0_vals[q][k]));
        n = v + W'(256) * W'(desc_i.avg_area);  // >= area > 0: floor division is exact
        e1_num[q][k]  <= n;
        e1_code[q][k] <= e0_vals[q][k][7:0];
        e1_prod[q][k] <= (desc_i.op == OpAvgPool)
            ? n * W'(desc_i.avg_mult)
            : (v + W'(params_q[k].a_bias)) * W'(params_q[k].a_mult);
      end
    end
    e1_pix  <= e0_pix;
    e1_addr <= e0_addr;
    e1_last <= last_chunk;
  end

  // ---- E2: stage A results ----------------------------------------------------------------
  logic [PP-1:0][KP-1:0][7:0] e2_y;
  logic [PP-1:0][KP-1:0][7:0] e2_res;
  logic [PP-1:0]              e2_pix;
  logic [OutAddrWidth-1:0]    e2_addr;
  logic                       e2_last;
  always_ff @(posedge clk_i) begin
    for (int unsigned q = 0; q < PP; q++) begin
      for (int unsigned k = 0; k < KP; k++) begin
        unique case (desc_i.op)
          OpConv: e2_y[q][k] <= saturate(round_shift(signed'(e1_prod[q][k]), params_q[k].a_shift),
                                         desc_i.a_zero, desc_i.a_min, desc_i.a_max);
          OpAvgPool: begin
            logic signed [W-1:0] quot, rem;
            quot = signed'(e1_prod[q][k]) >>> desc_i.avg_shift;   // floor(n / area)
            rem  = signed'(e1_num[q][k]) - quot * W'(desc_i.avg_area);
            if (2 * rem > signed'(W'(desc_i.avg_area)) ||
                (2 * rem == signed'(W'(desc_i.avg_area)) && quot[0]))
              quot = quot + 1;                                    // ties to even
            e2_y[q][k] <= saturate(quot - W'(256), desc_i.a_zero, desc_i.a_min, desc_i.a_max);
          end
          default: e2_y[q][k] <= e1_code[q][k];                   // max pooling
        endcase
        e2_res[q][k] <= desc_i.res_en ? res_rd_data_i[q][k*8 +: 8] : desc_i.b_u_zero;
      end
    end
    e2_pix  <= e1_pix;
    e2_addr <= e1_addr;
    e2_last <= e1_last;
  end

  // ---- E3: stage B products -------------------------------------------------------------
  logic [PP-1:0][KP-1:0][W-1:0]        e3_sum;
  logic [PP-1:0][KP-1:0][7:0]          e3_a;
  logic [PP-1:0]                       e3_pix;
  logic [OutAddrWidth-1:0]             e3_addr;
  logic                                e3_last;
  always_ff @(posedge clk_i) begin
    for (int unsigned q = 0; q < PP; q++) begin
      for (int unsigned k = 0; k < KP; k++) begin
        logic signed [W-1:0] vx, vu;
        vx = W'(e2_y[q][k]) - W'(desc_i.b_x_zero);
        vu = W'(e2_res[q][k]) - W'(desc_i.b_u_zero);
        e3_sum[q][k] <= vx * W'(vx >= 0 ? params_q[k].b_mpos : params_q[k].b_mneg)
                        + vu * W'(params_q[k].b_mu) + W'(params_q[k].b_bias);
        e3_a[q][k] <= e2_y[q][k];
      end
    end
    e3_pix  <= e2_pix;
    e3_addr <= e2_addr;
    e3_last <= e2_last;
  end

  // ---- E4: stage B results, written ---------------------------------------------------------
  always_ff @(posedge clk_i) begin
    for (int unsigned q = 0; q < PP; q++) begin
      for (int unsigned k = 0; k < KP; k++) begin
        out_wr_data_o[q][k*8 +: 8] <= desc_i.b_en
            ? saturate(round_shift(signed'(e3_sum[q][k]), params_q[k].b_shift), desc_i.b_zero,
                       desc_i.b_min, desc_i.b_max)
            : e3_a[q][k];
      end
    end
    out_wr_addr_o <= desc_i.out_base + e3_addr;
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      out_wr_en_o  <= '0;
      block_done_o <= 1'b0;
      busy_pipe_q  <= '0;
    end else begin
      out_wr_en_o  <= e3_pix;
      block_done_o <= e3_last;
      busy_pipe_q  <= {busy_pipe_q[Depth-2:0], emit};
    end
  end

  `TESSEL_ASSERT(ppu_block_has_pixels, in_valid_i |-> in_cols_i[0])
  `TESSEL_ASSERT(ppu_ox_aligned, in_valid_i |-> (int'(in_ox_i) % PP) == 0)
endmodule
