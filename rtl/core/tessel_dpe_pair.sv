// Two dot-product engines of one column: output channels k and k+1 share the column's CP
// activations. Each lane multiplies one uint8 activation by two int8 weights; with
// DspPacking both products come from one 27x9 multiply (one DSP48E2):
//   (w1 * 2^18 + w0) * a = a*w0 + a*w1 * 2^18,  |a*w0| < 2^17
//   a*w0 = low 18 bits (signed);  a*w1 = (product >>> 18) + bit 17 (undo the low field's borrow)
// Sums of each pass accumulate in int32; `first` restarts them. Latency: 3 cycles to acc_o.
module tessel_dpe_pair #(
  /// Reduction lanes.
  parameter int unsigned CP = 16,
  /// One DSP for both products of a lane (1) or one each (0); both are bit-exact.
  parameter bit DspPacking = 1'b1
) (
  input  logic                clk_i,
  input  logic                valid_i,
  input  logic                first_i,
  input  logic [CP-1:0][7:0]  act_i,  // uint8
  input  logic [CP-1:0][7:0]  w0_i,   // int8, output channel k
  input  logic [CP-1:0][7:0]  w1_i,   // int8, output channel k+1
  output logic signed [31:0]  acc0_o,
  output logic signed [31:0]  acc1_o
);
  localparam int unsigned SumWidth = 17 + $clog2(CP + 1);

  // ---- stage 1: products ----------------------------------------------------------------
  // Element selects of a packed array are unsigned: read them through signed'().
  logic [CP-1:0][16:0] p0_q, p1_q;
  logic valid_q, first_q;

  always_ff @(posedge clk_i) begin
    for (int unsigned l = 0; l < CP; l++) begin
      if (DspPacking) begin
        logic signed [26:0] packed_w;
        logic signed [35:0] product;
        packed_w = (27'(signed'(w1_i[l])) <<< 18) + 27'(signed'(w0_i[l]));
        product  = packed_w * signed'({1'b0, act_i[l]});
        p0_q[l] <= 17'(signed'(product[17:0]));
        p1_q[l] <= 17'((product >>> 18) + 36'(product[17]));
      end else begin
        p0_q[l] <= signed'(w0_i[l]) * signed'({1'b0, act_i[l]});
        p1_q[l] <= signed'(w1_i[l]) * signed'({1'b0, act_i[l]});
      end
    end
    valid_q <= valid_i;
    first_q <= first_i;
  end

  // ---- stage 2: adder trees ---------------------------------------------------------------
  logic signed [SumWidth-1:0] s0_q, s1_q;
  logic valid_q2, first_q2;

  always_ff @(posedge clk_i) begin
    logic signed [SumWidth-1:0] s0, s1;
    s0 = '0;
    s1 = '0;
    for (int unsigned l = 0; l < CP; l++) begin
      s0 += SumWidth'(signed'(p0_q[l]));
      s1 += SumWidth'(signed'(p1_q[l]));
    end
    s0_q     <= s0;
    s1_q     <= s1;
    valid_q2 <= valid_q;
    first_q2 <= first_q;
  end

  // ---- stage 3: accumulate ---------------------------------------------------------------
  always_ff @(posedge clk_i) begin
    if (valid_q2) begin
      acc0_o <= (first_q2 ? 32'sd0 : acc0_o) + 32'(s0_q);
      acc1_o <= (first_q2 ? 32'sd0 : acc1_o) + 32'(s1_q);
    end
  end
endmodule
