// Buffer-half bookkeeping: what each half of the activation and weight buffers holds (an
// input band: first row, rows, first group; weights: first group), so that a tile reuses a
// half that already holds its data and otherwise loads into the half the last load did not use.
module tessel_ctrl_halves
  import tessel_desc_pkg::*;
(
  input  logic   clk_i,
  input  logic   rst_i,
  input  logic   start_i,     // a layer begins: both halves hold nothing
  input  logic   plan_i,      // a tile is planned: take the decision below
  input  logic   conv_i,      // the layer is a convolution (weights; one band for all groups)
  // The tile being planned.
  input  group_t kg0_i,
  input  coord_t iy0_i,
  input  coord_t in_rows_i,
  // Where its data goes (valid with plan_i), and whether it must be loaded.
  output logic   in_half_o,
  output logic   load_in_o,
  output logic   wt_half_o,
  output logic   load_wt_o
);
  typedef struct packed {
    logic   in_held;       // an input band: its first row, rows and first group
    coord_t in_iy0, in_rows;
    group_t in_kg;
    logic   wt_held;       // weights: their first group
    group_t wt_kg;
  } half_t;
  typedef struct packed {
    half_t [1:0] half;
    logic        in_last, wt_last;  // the half loaded last
  } held_t;
  held_t q, d;

  // A convolution's band holds every input group: its key has no group.
  wire group_t key_kg = conv_i ? '0 : kg0_i;
  logic [1:0] in_hit, wt_hit;
  for (genvar h = 0; h < 2; h++) begin : gen_hit
    assign in_hit[h] = q.half[h].in_held && q.half[h].in_iy0 == iy0_i
                       && q.half[h].in_rows == in_rows_i && q.half[h].in_kg == key_kg;
    assign wt_hit[h] = q.half[h].wt_held && q.half[h].wt_kg == kg0_i;
  end

  assign in_half_o = in_hit[0] ? 1'b0 : in_hit[1] ? 1'b1 : !q.in_last;
  assign load_in_o = in_hit == '0;
  assign wt_half_o = !conv_i || wt_hit[0] ? 1'b0 : wt_hit[1] ? 1'b1 : !q.wt_last;
  assign load_wt_o = conv_i && wt_hit == '0;

  always_comb begin
    d = q;
    if (start_i) begin
      d.half[0].in_held = 1'b0;
      d.half[1].in_held = 1'b0;
      d.half[0].wt_held = 1'b0;
      d.half[1].wt_held = 1'b0;
      d.in_last = 1'b1;
      d.wt_last = 1'b1;
    end else if (plan_i) begin
      d.in_last = in_half_o;
      if (load_in_o) begin
        d.half[in_half_o].in_held = 1'b1;
        d.half[in_half_o].in_iy0  = iy0_i;
        d.half[in_half_o].in_rows = in_rows_i;
        d.half[in_half_o].in_kg   = key_kg;
      end
      if (conv_i) d.wt_last = wt_half_o;  // weights: convolutions only
      if (load_wt_o) begin
        d.half[wt_half_o].wt_held = 1'b1;
        d.half[wt_half_o].wt_kg   = kg0_i;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) q <= '0;  // a layer's start sets it up
    else       q <= d;
  end
endmodule
